"""Reads of the bestuur's overview: the grid of schools by standards, flags, overdue actions, coming inspections.

The grid's columns are the school standards of the onderzoekskader in force today. Each cell holds the
latest judgement of that school and standard on each side:

- the board's own: the level of the latest *final* self-evaluation of any kind (a nu-meting counts)
  that judged the standard, by the evaluation's date (then the moment it was made final);
- the inspectie's: the judgement of the latest inspection visit that took place (date today or earlier)
  and judged the standard.

A judgement given against another version of the onderzoekskader counts for a standard with the same
code and name (quality.selectors.evaluations). Both sides are one SQL query each with a window function
(RowNumber partitioned by school and standard, newest first, filtered to the first), shared with the
school's own page so that "latest" means the same everywhere; the whole page is a fixed number of
queries however many schools the board has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from bekwaam.quality.models import (
    ActionPhase,
    ImprovementAction,
    InspectionFramework,
    InspectionJudgement,
    InspectionVisit,
    Level,
    SchoolFlag,
    Standard,
)
from bekwaam.quality.selectors.evaluations import Latest, latest_inspection_judgements, latest_self_judgements
from bekwaam.quality.selectors.plans import framework_today, lowest_levels
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School

LIST_LIMIT = 50  # overdue actions and coming inspections shown; the export has them all


@dataclass(frozen=True)
class GridCell:
    standard: Standard
    own: Latest | None
    inspection: Latest | None

    @property
    def inspection_weak(self) -> bool:
        return self.inspection is not None and self.inspection.value in (
            InspectionJudgement.INSUFFICIENT,
            InspectionJudgement.VERY_WEAK,
        )


@dataclass(frozen=True)
class GridRow:
    school: School
    cells: list[GridCell]
    flagged: bool


@dataclass(frozen=True)
class BoardGrid:
    framework: InspectionFramework | None
    standards: list[Standard]
    rows: list[GridRow]
    lowest_level_value: int | None  # the board's lowest level, to mark a cell "at the lowest level"


def grid_standards(framework: InspectionFramework | None) -> list[Standard]:
    if framework is None:
        return []
    return list(
        Standard.objects.filter(framework=framework, area__level=Level.SCHOOL)
        .select_related("area")
        .order_by("area__position", "position", "code")
    )


def board_grid_for(*, actor: Actor) -> BoardGrid:
    """The board's schools by the current school standards with the latest judgements, in a fixed number of queries."""
    board_id = actor.board_pk
    framework = framework_today()
    standards = grid_standards(framework)
    schools = list(School.objects.filter(board_id=board_id).order_by("name", "pk"))
    ids = [school.pk for school in schools]
    own = latest_self_judgements(board_id=board_id, school_ids=ids, standards=standards) if ids else {}
    inspected = latest_inspection_judgements(board_id=board_id, school_ids=ids, standards=standards) if ids else {}
    flagged = set(
        SchoolFlag.objects.filter(board_id=board_id, cleared_at__isnull=True).values_list("school_id", flat=True)
    )
    rows = [
        GridRow(
            school=school,
            cells=[
                GridCell(standard, own.get((school.pk, standard.pk)), inspected.get((school.pk, standard.pk)))
                for standard in standards
            ],
            flagged=school.pk in flagged,
        )
        for school in schools
    ]
    lowest = lowest_levels(board_id)
    return BoardGrid(
        framework=framework,
        standards=standards,
        rows=rows,
        lowest_level_value=max(level.value for level in lowest) if lowest else None,
    )


@dataclass(frozen=True)
class Limited:
    """At most `LIST_LIMIT` items and how many there are in all."""

    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _limited(queryset: QuerySet[Any], limit: int = LIST_LIMIT) -> Limited:
    # Always counted, so the page takes the same number of queries with 5 or 500 rows.
    return Limited(items=list(queryset[:limit]), total=queryset.count())


def overdue_actions_for(*, actor: Actor, today: datetime.date | None = None) -> QuerySet[ImprovementAction]:
    """The board's actions past their deadline and not done, oldest deadline first (schools and the board's own)."""
    return (
        ImprovementAction.objects.filter(board_id=actor.board_pk, deadline__lt=today or timezone.localdate())
        .exclude(phase=ActionPhase.DONE)
        .select_related("goal__plan__school", "owner")
        .order_by("deadline", "goal__plan__school__name", "pk")
    )


@dataclass(frozen=True)
class BoardOverview:
    grid: BoardGrid
    flags: list[SchoolFlag]
    overdue: Limited
    upcoming: Limited
    today: datetime.date


def board_overview_for(*, actor: Actor) -> BoardOverview:
    """Everything the bestuur's page shows, in a fixed number of queries."""
    board_id = actor.board_pk
    today = timezone.localdate()
    flags = list(
        SchoolFlag.objects.filter(board_id=board_id, cleared_at__isnull=True)
        .select_related("school", "flagged_by")
        .order_by("school__name", "pk")
    )
    upcoming = (
        InspectionVisit.objects.filter(board_id=board_id, date__gte=today)
        .select_related("school")
        .order_by("date", "school__name", "pk")
    )
    return BoardOverview(
        grid=board_grid_for(actor=actor),
        flags=flags,
        overdue=_limited(overdue_actions_for(actor=actor, today=today)),
        upcoming=_limited(upcoming),
        today=today,
    )
