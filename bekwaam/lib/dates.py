"""School years: 1 August to 31 July (the Dutch school year as the WPO's "schooljaar" counts it)."""

from __future__ import annotations

import datetime

SCHOOL_YEAR_START_MONTH = 8


def school_year_of(day: datetime.date) -> int:
    """The calendar year in which the school year holding `day` began (2026 for 2026-09-01 and 2027-03-01)."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year that began in `year`."""
    return datetime.date(year, SCHOOL_YEAR_START_MONTH, 1), datetime.date(year + 1, SCHOOL_YEAR_START_MONTH, 1) - (
        datetime.timedelta(days=1)
    )


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def month_end_in_school_year(year: int, month: int) -> datetime.date:
    """The last day of `month` within the school year that began in `year` (month 6 → 30 June of year + 1)."""
    calendar_year = year if month >= SCHOOL_YEAR_START_MONTH else year + 1
    first_of_next = datetime.date(calendar_year + (month == 12), month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)
