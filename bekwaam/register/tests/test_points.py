"""The register's rules as pure functions: points of an assessment, period dates, status, themes of a year.

No database: these run in milliseconds and try every level and theme count, and the exact boundaries.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bekwaam.register import points
from bekwaam.register.points import (
    POINTS_RULE_FROM,
    PeriodRule,
    PeriodStatus,
    PointsRules,
    add_months,
    add_years,
    assessment_points,
    default_length_years,
    expires_on,
    period_end,
    period_standing,
    pre_accredited_points_valid,
    reminder_date,
    reminder_due,
    theme_valid_in,
    uses_themes_rule,
)

DEFAULT = PointsRules(min_level=4, per_theme=10, level_bonus={5: 10, 6: 20}, max_points=100)
D = datetime.date

# --- points of one assessment: every level 1-6 with 0-10 themes, written out ---------------------------------

# Row: themes 0..10. Levels 1-3 give nothing; 4 gives 10 a theme; 5 adds 10 once; 6 adds 20 once; cap 100.
EXPECTED = {
    1: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    2: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    3: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    4: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    5: [0, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100],
    6: [0, 30, 40, 50, 60, 70, 80, 90, 100, 100, 100],
}


@pytest.mark.parametrize("level", range(1, 7))
@pytest.mark.parametrize("themes", range(0, 11))
def test_it_gives_the_points_of_the_table_for_every_level_and_theme_count(level: int, themes: int) -> None:
    assert assessment_points(theme_count=themes, learning_level=level, rules=DEFAULT) == EXPECTED[level][themes]


def test_it_reads_the_rules_from_the_settings_by_default(settings: Any) -> None:
    assert assessment_points(theme_count=8, learning_level=6) == 100  # REFERENCE.md 0.1: 80 + 20
    settings.REGISTER_MIN_LEARNING_LEVEL = 3
    settings.REGISTER_POINTS_PER_THEME = 5
    settings.REGISTER_LEVEL_BONUS = {4: 1, 5: 2, 6: 3}
    settings.REGISTER_MAX_POINTS_PER_ASSESSMENT = 40
    assert assessment_points(theme_count=2, learning_level=3) == 10
    assert assessment_points(theme_count=2, learning_level=2) == 0
    assert assessment_points(theme_count=2, learning_level=6) == 13
    assert assessment_points(theme_count=10, learning_level=6) == 40
    assert points.assessment_gives_points(learning_level=3)
    assert not points.assessment_gives_points(learning_level=2)


def test_it_refuses_impossible_input() -> None:
    with pytest.raises(ValueError, match="learning level"):
        assessment_points(theme_count=1, learning_level=0, rules=DEFAULT)
    with pytest.raises(ValueError, match="learning level"):
        assessment_points(theme_count=1, learning_level=7, rules=DEFAULT)
    with pytest.raises(ValueError, match="negative"):
        assessment_points(theme_count=-1, learning_level=4, rules=DEFAULT)


levels = st.integers(min_value=1, max_value=6)
theme_counts = st.integers(min_value=0, max_value=40)


@given(theme_counts, levels)
def test_it_stays_between_zero_and_the_maximum(themes: int, level: int) -> None:
    assert 0 <= assessment_points(theme_count=themes, learning_level=level, rules=DEFAULT) <= 100


@given(theme_counts, theme_counts, levels)
def test_more_themes_never_give_fewer_points(a: int, b: int, level: int) -> None:
    low, high = sorted((a, b))
    assert assessment_points(theme_count=low, learning_level=level, rules=DEFAULT) <= assessment_points(
        theme_count=high, learning_level=level, rules=DEFAULT
    )


@given(theme_counts, levels, levels)
def test_a_higher_level_never_gives_fewer_points(themes: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert assessment_points(theme_count=themes, learning_level=low, rules=DEFAULT) <= assessment_points(
        theme_count=themes, learning_level=high, rules=DEFAULT
    )


@given(theme_counts, st.integers(min_value=1, max_value=3))
def test_below_the_minimum_level_it_gives_nothing(themes: int, level: int) -> None:
    assert assessment_points(theme_count=themes, learning_level=level, rules=DEFAULT) == 0


@given(st.integers(min_value=1, max_value=8), st.integers(min_value=1, max_value=8), st.sampled_from([5, 6]))
def test_the_level_bonus_counts_once_per_assessment_not_per_theme(a: int, b: int, level: int) -> None:
    """Up to eight themes (under the cap) the bonus is the same whatever the number of themes."""

    def bonus(themes: int) -> int:
        return assessment_points(theme_count=themes, learning_level=level, rules=DEFAULT) - assessment_points(
            theme_count=themes, learning_level=4, rules=DEFAULT
        )

    assert bonus(a) == bonus(b) == DEFAULT.level_bonus[level]


@given(
    theme_counts,
    levels,
    st.builds(
        PointsRules,
        min_level=levels,
        per_theme=st.integers(min_value=0, max_value=50),
        level_bonus=st.fixed_dictionaries({5: st.integers(0, 50), 6: st.integers(0, 50)}),
        max_points=st.integers(min_value=0, max_value=200),
    ),
)
def test_any_rules_stay_within_their_own_cap_and_threshold(themes: int, level: int, rules: PointsRules) -> None:
    result = assessment_points(theme_count=themes, learning_level=level, rules=rules)
    assert 0 <= result <= rules.max_points
    if level < rules.min_level or themes == 0:
        assert result == 0


def test_pre_accredited_points_run_from_10_to_100() -> None:
    assert [p for p in (0, 9, 10, 55, 100, 101) if pre_accredited_points_valid(p)] == [10, 55, 100]


# --- themes of a year ----------------------------------------------------------------------------------------


def test_a_theme_is_valid_from_its_first_year_up_to_its_last() -> None:
    assert not theme_valid_in(first_year=2021, last_year=None, year=2020)
    assert theme_valid_in(first_year=2021, last_year=None, year=2021)
    assert theme_valid_in(first_year=2021, last_year=None, year=2040)
    assert theme_valid_in(first_year=2014, last_year=2019, year=2019)
    assert not theme_valid_in(first_year=2014, last_year=2019, year=2020)


def test_the_list_grows_as_new_themes_are_added_each_year() -> None:
    """Two new themes a year: each year's list holds the last one's (nothing ended) plus the new ones."""
    themes = [(2014, None)] * 8 + [(2020, None), (2020, None), (2021, None), (2021, None)]
    counts = [
        sum(theme_valid_in(first_year=first, last_year=last, year=y) for first, last in themes)
        for y in (2019, 2020, 2021)
    ]
    assert counts == [8, 10, 12]


# --- dates ---------------------------------------------------------------------------------------------------


def test_a_period_ends_the_day_before_its_anniversary() -> None:
    assert period_end(D(2021, 9, 1), 5) == D(2026, 8, 31)
    assert period_end(D(2016, 1, 1), 4) == D(2019, 12, 31)
    assert period_end(D(2020, 2, 29), 5) == D(2025, 2, 28)  # 29 February: the anniversary is 1 March
    assert period_end(D(2020, 2, 29), 4) == D(2024, 2, 28)
    with pytest.raises(ValueError, match="at least one year"):
        period_end(D(2021, 1, 1), 0)


def test_it_adds_years_and_months_at_the_month_end() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert add_years(D(2024, 2, 29), -4) == D(2020, 2, 29)
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 15), -15) == D(2023, 12, 15)
    assert add_months(D(2025, 12, 1), 1) == D(2026, 1, 1)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=1, max_value=10))
def test_a_period_lasts_its_length_in_whole_years(start: datetime.date, years: int) -> None:
    end = period_end(start, years)
    assert end > start
    assert end + datetime.timedelta(days=1) == add_years(start, years)
    assert 365 * years <= (end - start).days + 1 <= 366 * years + 1


def test_the_default_length_is_four_years_before_the_rule_change_and_five_since() -> None:
    assert default_length_years(POINTS_RULE_FROM - datetime.timedelta(days=1)) == 4
    assert default_length_years(POINTS_RULE_FROM) == 5
    assert default_length_years(D(2025, 8, 1)) == 5


# --- the old rule --------------------------------------------------------------------------------------------


def test_only_a_period_begun_and_ended_before_the_change_uses_the_themes_rule() -> None:
    before = POINTS_RULE_FROM - datetime.timedelta(days=1)
    assert uses_themes_rule(start_date=D(2016, 11, 17), end_date=before)
    assert not uses_themes_rule(start_date=D(2016, 11, 18), end_date=POINTS_RULE_FROM)
    assert not uses_themes_rule(start_date=D(2018, 1, 1), end_date=D(2021, 12, 31))
    assert not uses_themes_rule(start_date=POINTS_RULE_FROM, end_date=D(2025, 11, 16))


def standing(**overrides: Any) -> points.PeriodStanding:
    values: dict[str, Any] = {
        "start_date": D(2021, 9, 1),
        "end_date": D(2026, 8, 31),
        "today": D(2024, 1, 1),
        "points": 40,
        "points_required": 100,
        "distinct_themes": 0,
    }
    return period_standing(**(values | overrides))


def test_an_old_rule_period_needs_three_different_themes_not_points() -> None:
    old = {"start_date": D(2016, 1, 1), "end_date": D(2019, 12, 31), "today": D(2020, 1, 2)}
    two = standing(**old, points=0, distinct_themes=2)
    assert (two.rule, two.status, two.short_by) == (PeriodRule.THEMES, PeriodStatus.CONDITIONAL, 1)
    three = standing(**old, points=0, distinct_themes=3)
    assert (three.rule, three.status, three.short_by, three.percent) == (PeriodRule.THEMES, PeriodStatus.MET, 0, 100)
    # 300 points on one theme do not make up for the missing themes under the old rule.
    assert standing(**old, points=300, distinct_themes=1).status == PeriodStatus.CONDITIONAL


@given(st.integers(min_value=0, max_value=30))
def test_since_the_change_themes_may_repeat(distinct: int) -> None:
    """Under the points rule only the points count: ten activities on one theme are as good as on ten."""
    met = standing(points=100, distinct_themes=distinct, today=D(2026, 9, 1))
    assert (met.rule, met.status) == (PeriodRule.POINTS, PeriodStatus.MET)


# --- status at the boundaries --------------------------------------------------------------------------------

END = D(2026, 8, 31)  # a period from 1 September 2021; "onder voorwaarden" from 1 September 2026 to 28 February 2027


@pytest.mark.parametrize(
    ("today", "points_total", "status", "short_by"),
    [
        (D(2021, 9, 1), 0, PeriodStatus.ACTIVE, 100),
        (END, 99, PeriodStatus.ACTIVE, 1),  # the last day still runs
        (END, 100, PeriodStatus.ACTIVE, 0),  # enough, still running
        (END + datetime.timedelta(days=1), 100, PeriodStatus.MET, 0),
        (END + datetime.timedelta(days=1), 99, PeriodStatus.CONDITIONAL, 1),
        (D(2027, 2, 28), 99, PeriodStatus.CONDITIONAL, 1),  # the last day onder voorwaarden
        (D(2027, 3, 1), 99, PeriodStatus.EXPIRED, 1),  # end + 6 months
        (D(2027, 3, 1), 120, PeriodStatus.MET, 0),
        (D(2035, 1, 1), 0, PeriodStatus.EXPIRED, 100),
    ],
)
def test_the_status_changes_at_the_exact_boundaries(
    today: datetime.date, points_total: int, status: PeriodStatus, short_by: int
) -> None:
    result = standing(end_date=END, today=today, points=points_total)
    assert (result.status, result.short_by) == (status, short_by)
    assert result.expires_on == D(2027, 3, 1)
    assert result.conditional_until == D(2027, 2, 28)


def test_it_says_by_when_the_missing_points_are_due() -> None:
    assert standing(end_date=END, today=D(2024, 1, 1)).deadline == END
    assert standing(end_date=END, today=D(2026, 10, 1)).deadline == D(2027, 2, 28)
    assert standing(end_date=END, today=D(2027, 3, 1)).deadline is None
    assert standing(end_date=END, today=D(2024, 1, 1), points=100).deadline is None


def test_it_reports_progress_capped_at_100_percent() -> None:
    assert standing(points=0).percent == 0
    assert standing(points=45).percent == 45
    assert standing(points=180).percent == 100
    assert standing(points=180).points_short_by == 0
    assert standing(points=45).points_short_by == 55


def test_it_follows_the_points_the_period_requires() -> None:
    assert standing(points=60, points_required=60, today=D(2027, 1, 1)).status == PeriodStatus.MET
    assert standing(points=60, points_required=0, today=D(2022, 1, 1)).percent == 100


def test_it_refuses_negative_totals() -> None:
    with pytest.raises(ValueError, match="negative"):
        standing(points=-1)


@given(
    st.dates(min_value=D(2021, 1, 1), max_value=D(2040, 1, 1)),
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=200),
)
def test_more_points_never_make_the_status_worse(today: datetime.date, a: int, b: int) -> None:
    order = [PeriodStatus.EXPIRED, PeriodStatus.CONDITIONAL, PeriodStatus.ACTIVE, PeriodStatus.MET]
    low, high = sorted((a, b))
    worse = standing(end_date=END, today=today, points=low).status
    better = standing(end_date=END, today=today, points=high).status
    assert order.index(better) >= order.index(worse)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2080, 1, 1)))
def test_expiry_is_six_months_after_the_end(end: datetime.date) -> None:
    assert expires_on(end) == add_months(end + datetime.timedelta(days=1), 6)
    assert 181 <= (expires_on(end) - end).days <= 185


# --- reminder milestones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (D(2025, 8, 31), None),  # a day before the twelve-month milestone
        (D(2025, 9, 1), 12),
        (D(2026, 2, 28), 12),
        (D(2026, 3, 1), 6),
        (D(2026, 5, 31), 6),
        (D(2026, 6, 1), 3),
        (END, 3),
        (END + datetime.timedelta(days=1), None),  # ended: the status says the rest
    ],
)
def test_the_nearest_reminder_milestone_reached_is_due(today: datetime.date, due: int | None) -> None:
    assert reminder_due(end_date=END, today=today, months=[12, 6, 3]) == due


def test_reminder_dates_count_back_from_the_day_after_the_end() -> None:
    assert reminder_date(END, 12) == D(2025, 9, 1)
    assert reminder_date(END, 3) == D(2026, 6, 1)
    assert reminder_due(end_date=END, today=D(2026, 8, 1), months=[]) is None
