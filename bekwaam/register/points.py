"""The Schoolleidersregister rules, as pure functions (no database): REFERENCE.md sections 0.1 to 0.5 and 3.

Points (sections 0.1, 0.2, 3.3):
- A vooraf gewaardeerde activity carries the points the register certified: 10 to 100.
- An achteraf gewaardeerde activity (an assessment) names the themes shown and one learning level (Shulman,
  1 to 6). From REGISTER_MIN_LEARNING_LEVEL (4) each theme shown gives REGISTER_POINTS_PER_THEME (10); once per
  assessment REGISTER_LEVEL_BONUS adds 10 at level 5 or 20 at level 6; at most
  REGISTER_MAX_POINTS_PER_ASSESSMENT (100). Below the minimum level: nothing.

Periods (sections 0.3, 3.2, 3.3):
- Since 17 November 2020 (POINTS_RULE_FROM) a period needs points (100 by default, `points_required` is data)
  and themes may repeat: two activities on the same theme both count in full. Before, a period needed at
  least THEMES_RULE_MINIMUM (3) different themes. A period that began *and* ended before POINTS_RULE_FROM
  is judged by that old rule; every other period by points (docs/register.md, "The rule change").
- A period lasts five years (registerreglement art. 7); four for periods begun under the earlier rule
  (before POINTS_RULE_FROM). The length is data on the period: `default_length_years` only proposes it.
- The status of a period: running until its end date ("active", whether it has enough yet or not); after
  it "met" with enough, else "conditional" (onder voorwaarden) for six months, then "expired"
  (herregistratie verlopen). Late herregistratie does not shift the next period (section 3.2).

Themes (section 0.5): valid from `first_year` up to and including `last_year` (open when None). The list
grows each year (new themes are added with their first year); an activity may only carry themes valid in
the year it took place.

The settings are read at call time, so a test (or a board that learns otherwise) changes data, not code.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS_RULE_FROM = datetime.date(2020, 11, 17)
THEMES_RULE_MINIMUM = 3
PRE_ACCREDITED_MIN, PRE_ACCREDITED_MAX = 10, 100
LEARNING_LEVELS = range(1, 7)
PERIOD_YEARS = 5  # registerreglement art. 7 [S26]
PERIOD_YEARS_EARLIER_RULE = 4  # the original herregistratie rule [S22][S28]
CONDITIONAL_MONTHS = 6  # "onder voorwaarden" for up to six months after the end date [S30][S31]


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


def assessment_gives_points(*, learning_level: int, rules: PointsRules | None = None) -> bool:
    """Whether an assessment at this learning level can give points at all (from the minimum level)."""
    rules = rules or PointsRules.from_settings()
    return learning_level >= rules.min_level


def pre_accredited_points_valid(points: int) -> bool:
    return PRE_ACCREDITED_MIN <= points <= PRE_ACCREDITED_MAX


# --- themes ------------------------------------------------------------------------------------------------


def theme_valid_in(*, first_year: int, last_year: int | None, year: int) -> bool:
    """Whether a theme valid from `first_year` to `last_year` (inclusive; None: still valid) exists in `year`."""
    return first_year <= year and (last_year is None or year <= last_year)


# --- dates -------------------------------------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier); 29 February becomes 1 March in a year without it.

    So a period begun on 29 February 2020 and five years long ends on 28 February 2025 (the day before).
    """
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 3, 1)
    return day.replace(year=year)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), at the month's last day when it has no such day (31 → 30)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_length_years(start_date: datetime.date) -> int:
    """The proposed length of a period begun on `start_date`: four years under the earlier rule, else five."""
    return PERIOD_YEARS_EARLIER_RULE if start_date < POINTS_RULE_FROM else PERIOD_YEARS


def period_end(start_date: datetime.date, length_years: int) -> datetime.date:
    """The last day of a period: the day before the start's anniversary `length_years` later."""
    if length_years < 1:
        raise ValueError("a period lasts at least one year")
    return add_years(start_date, length_years) - datetime.timedelta(days=1)


def uses_themes_rule(*, start_date: datetime.date, end_date: datetime.date) -> bool:
    """A period that began and ended before the change of 17 November 2020 needs three different themes."""
    return start_date < POINTS_RULE_FROM and end_date < POINTS_RULE_FROM


def expires_on(end_date: datetime.date) -> datetime.date:
    """The first day of "herregistratie verlopen": six months after the day after the period's last day."""
    return add_months(end_date + datetime.timedelta(days=1), CONDITIONAL_MONTHS)


def reminder_date(end_date: datetime.date, months_before: int) -> datetime.date:
    """The day `months_before` months before the period is over (counted from the day after its last day)."""
    return add_months(end_date + datetime.timedelta(days=1), -months_before)


def reminder_due(*, end_date: datetime.date, today: datetime.date, months: list[int]) -> int | None:
    """The reminder milestone (months before the end) current on `today`, or None (not yet, or ended).

    The nearest milestone reached wins: a period entered with four months left gets the six-month
    reminder, not the twelve-month one as well.
    """
    if today > end_date:
        return None
    reached = [m for m in months if m > 0 and today >= reminder_date(end_date, m)]
    return min(reached) if reached else None


# --- a period's standing -----------------------------------------------------------------------------------


class PeriodStatus(models.TextChoices):
    ACTIVE = "active", _("Running")
    MET = "met", _("Requirement met")
    CONDITIONAL = "conditional", _("Under conditions")
    EXPIRED = "expired", _("Re-registration expired")


class PeriodRule(models.TextChoices):
    POINTS = "points", _("points")
    THEMES = "themes", _("different themes")


@dataclass(frozen=True)
class PeriodStanding:
    """Where a period stands on a day: its status, what it has, what it still needs and by when."""

    status: PeriodStatus
    rule: PeriodRule
    points: int
    points_required: int
    distinct_themes: int
    themes_required: int
    short_by: int  # what is still missing, in the unit of the rule (points, or themes for the old rule)
    end_date: datetime.date
    expires_on: datetime.date  # the first day of "verlopen" when it is not met by then

    @property
    def requirement_met(self) -> bool:
        return self.short_by == 0

    @property
    def points_short_by(self) -> int:
        return max(0, self.points_required - self.points)

    @property
    def conditional_until(self) -> datetime.date:
        """The last day "onder voorwaarden"."""
        return self.expires_on - datetime.timedelta(days=1)

    @property
    def percent(self) -> int:
        """How far along, in percent from 0 to 100 (in the unit of the rule)."""
        if self.rule == PeriodRule.THEMES:
            have, need = self.distinct_themes, self.themes_required
        else:
            have, need = self.points, self.points_required
        return 100 if need <= 0 else min(100, have * 100 // need)

    @property
    def deadline(self) -> datetime.date | None:
        """By when what is missing must be there: the end date, or while onder voorwaarden the last day of it."""
        if self.requirement_met or self.status == PeriodStatus.EXPIRED:
            return None
        return self.end_date if self.status == PeriodStatus.ACTIVE else self.conditional_until


def period_standing(
    *,
    start_date: datetime.date,
    end_date: datetime.date,
    today: datetime.date,
    points: int,
    points_required: int,
    distinct_themes: int = 0,
) -> PeriodStanding:
    """The status of a period on `today`, with what it has and what is missing (see the module docstring)."""
    if points < 0 or distinct_themes < 0:
        raise ValueError("points and theme counts cannot be negative")
    if uses_themes_rule(start_date=start_date, end_date=end_date):
        rule, short_by = PeriodRule.THEMES, max(0, THEMES_RULE_MINIMUM - distinct_themes)
    else:
        rule, short_by = PeriodRule.POINTS, max(0, points_required - points)
    expiry = expires_on(end_date)
    if today <= end_date:
        status = PeriodStatus.ACTIVE
    elif short_by == 0:
        status = PeriodStatus.MET
    elif today < expiry:
        status = PeriodStatus.CONDITIONAL
    else:
        status = PeriodStatus.EXPIRED
    return PeriodStanding(
        status=status,
        rule=rule,
        points=points,
        points_required=points_required,
        distinct_themes=distinct_themes,
        themes_required=THEMES_RULE_MINIMUM,
        short_by=short_by,
        end_date=end_date,
        expires_on=expiry,
    )
