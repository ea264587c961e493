"""The Schoolleidersregister points rules, as pure functions (no database): REFERENCE.md sections 0.1 to 0.3.

- A vooraf gewaardeerde activity carries the points the register certified: 10 to 100.
- An achteraf gewaardeerde activity (an assessment) names the themes shown and one learning level (Shulman,
  1 to 6). From REGISTER_MIN_LEARNING_LEVEL (4) each theme shown gives REGISTER_POINTS_PER_THEME (10); once per
  assessment REGISTER_LEVEL_BONUS adds 10 at level 5 or 20 at level 6; at most
  REGISTER_MAX_POINTS_PER_ASSESSMENT (100). Below the minimum level: nothing.
- Since 17 November 2020 (POINTS_RULE_FROM) a period needs points (100) and themes may repeat; before,
  a period needed at least THEMES_RULE_MINIMUM (3) different themes.

The settings are read at call time, so a test (or a board that learns otherwise) changes data, not code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

POINTS_RULE_FROM = datetime.date(2020, 11, 17)
THEMES_RULE_MINIMUM = 3
PRE_ACCREDITED_MIN, PRE_ACCREDITED_MAX = 10, 100
LEARNING_LEVELS = range(1, 7)


@dataclass(frozen=True)
class PointsRules:
    min_level: int
    per_theme: int
    level_bonus: dict[int, int]
    max_points: int

    @classmethod
    def from_settings(cls) -> PointsRules:
        return cls(
            min_level=settings.REGISTER_MIN_LEARNING_LEVEL,
            per_theme=settings.REGISTER_POINTS_PER_THEME,
            level_bonus=dict(settings.REGISTER_LEVEL_BONUS),
            max_points=settings.REGISTER_MAX_POINTS_PER_ASSESSMENT,
        )


def assessment_points(*, theme_count: int, learning_level: int, rules: PointsRules | None = None) -> int:
    """The points of one assessment afterwards: `theme_count` different themes shown at `learning_level`."""
    if learning_level not in LEARNING_LEVELS:
        raise ValueError(f"learning level {learning_level} is not 1–6")
    if theme_count < 0:
        raise ValueError("theme_count cannot be negative")
    rules = rules or PointsRules.from_settings()
    if learning_level < rules.min_level or theme_count == 0:
        return 0
    return min(rules.max_points, theme_count * rules.per_theme + rules.level_bonus.get(learning_level, 0))


def pre_accredited_points_valid(points: int) -> bool:
    return PRE_ACCREDITED_MIN <= points <= PRE_ACCREDITED_MAX
