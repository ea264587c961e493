"""School years run from 1 August to 31 July."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from bekwaam.lib.dates import month_end_in_school_year, school_year_bounds, school_year_label, school_year_of


def test_it_starts_the_school_year_on_the_first_of_august() -> None:
    assert school_year_of(datetime.date(2026, 7, 31)) == 2025
    assert school_year_of(datetime.date(2026, 8, 1)) == 2026
    assert school_year_of(datetime.date(2027, 3, 1)) == 2026
    assert school_year_bounds(2026) == (datetime.date(2026, 8, 1), datetime.date(2027, 7, 31))
    assert school_year_label(2026) == "2026-2027"


def test_it_finds_the_end_of_a_month_within_the_school_year() -> None:
    assert month_end_in_school_year(2026, 6) == datetime.date(2027, 6, 30)
    assert month_end_in_school_year(2026, 11) == datetime.date(2026, 11, 30)
    assert month_end_in_school_year(2026, 12) == datetime.date(2026, 12, 31)
    assert month_end_in_school_year(2027, 2) == datetime.date(2028, 2, 29)


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_day_lies_within_the_bounds_of_its_school_year(day: datetime.date) -> None:
    first, last = school_year_bounds(school_year_of(day))
    assert first <= day <= last


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12))
def test_every_month_end_lies_within_its_school_year(year: int, month: int) -> None:
    day = month_end_in_school_year(year, month)
    assert school_year_of(day) == year
    assert day.month == month
    assert (day + datetime.timedelta(days=1)).day == 1
