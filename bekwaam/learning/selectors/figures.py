"""Completion figures of one module for its authors: per version and in total, started, running, completed and the
average score; per board for an aanbieder; names for a board's own people.

Who sees what (docs/learning-authoring.md, "Completion figures"):
- A board's author sees the figures of the board's own people and, per completion, the person's name, date and
  score: they are the board's people and the board already keeps their records.
- An aanbieder's author sees counts only, never names. A board with fewer than AGGREGATE_MIN_GROUP_SIZE people
  enrolled is shown as withheld and left out of every other figure (so no total minus the shown boards gives its
  numbers). Within the counted boards, a version row with fewer people than the minimum is withheld, and so many
  more rows that the withheld rows together hold at least the minimum (nothing follows from total minus the
  rest); the same for averages, by the number of completions.
Every figure is a SQL aggregate: a fixed number of queries, whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, When
from django_scopes import scopes_disabled

from bekwaam.learning.models import Completion, Course, CourseVersion, Enrolment, Suggestion, VersionStatus
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board
from bekwaam.tenancy.selectors import team_members_for

NAMES_PER_PAGE = 50


@dataclass
class FigureRow:
    label: str
    started: int = 0
    running: int = 0
    completed: int = 0
    score_sum: int = 0
    withheld: bool = False  # the counts are not shown
    average_withheld: bool = False  # the average is not shown
    version: CourseVersion | None = None
    board_id: int | None = None

    @property
    def average(self) -> float | None:
        if self.withheld or self.average_withheld or not self.completed:
            return None
        return round(self.score_sum / self.completed, 1)


@dataclass
class CourseFigures:
    minimum: int
    for_board: bool  # a board's own module: no minimum, names shown
    versions: list[FigureRow]
    total: FigureRow
    boards: list[FigureRow] = field(default_factory=list)  # an aanbieder's module: counts per board
    withheld_boards: int = 0
    names: Page | None = None  # type: ignore[type-arg]


def suppressed(sizes: list[int], minimum: int) -> list[bool]:
    """Which of the rows that make up one total to withhold: every row of 1..minimum-1 people, and then the
    smallest shown rows until the withheld ones hold at least `minimum` together (or all are withheld)."""
    withheld = [0 < size < minimum for size in sizes]
    while 0 < sum(size for size, hidden in zip(sizes, withheld, strict=True) if hidden) < minimum:
        candidates = [(size, index) for index, size in enumerate(sizes) if not withheld[index] and size > 0]
        if not candidates:
            break
        withheld[min(candidates)[1]] = True
    return withheld


def course_figures_for(*, actor: Actor, course: Course, page: int | str | None = 1) -> CourseFigures:
    """The figures of a module the actor authors (fetched through author_course_get_for)."""
    minimum: int = settings.AGGREGATE_MIN_GROUP_SIZE
    for_board = course.board_id is not None
    versions = list(CourseVersion.objects.filter(course=course).order_by("number"))
    with scopes_disabled():
        enrolments = Enrolment.objects.filter(course=course)
        completions = Completion.objects.filter(course=course)
        if course.board_id is not None:
            # Only the board's own people take its own module; said again for safety.
            enrolments = enrolments.filter(board_id=course.board_id)
            completions = completions.filter(board_id=course.board_id)
        started = list(
            enrolments.values("version_id", "board_id").annotate(
                started=Count("pk"), running=Count("pk", filter=Q(completed_at__isnull=True))
            )
        )
        passed = list(
            completions.values("version_id", "board_id").annotate(completed=Count("pk"), score_sum=Sum("score_percent"))
        )
        names = None
        if for_board:
            rows = completions.select_related("person").order_by("-completed_at", "person__family_name")
            names = Paginator(rows, NAMES_PER_PAGE).get_page(page)
            names.object_list = list(names.object_list)  # read here, inside the unscoped block

    per_board: dict[int, FigureRow] = {}
    for values in started:
        board = per_board.setdefault(values["board_id"], FigureRow(label="", board_id=values["board_id"]))
        board.started += values["started"]
        board.running += values["running"]
    for values in passed:
        board = per_board.setdefault(values["board_id"], FigureRow(label="", board_id=values["board_id"]))
        board.completed += values["completed"]
        board.score_sum += values["score_sum"] or 0
    counted = {board_id for board_id, figures in per_board.items() if for_board or figures.started >= minimum}

    by_version: dict[object, FigureRow] = defaultdict(lambda: FigureRow(label=""))
    for values in started:
        if values["board_id"] in counted:
            by_version[values["version_id"]].started += values["started"]
            by_version[values["version_id"]].running += values["running"]
    for values in passed:
        if values["board_id"] in counted:
            by_version[values["version_id"]].completed += values["completed"]
            by_version[values["version_id"]].score_sum += values["score_sum"] or 0
    version_rows = []
    for version in versions:
        version_row = by_version[version.pk]
        version_row.label, version_row.version = str(version.number), version
        version_rows.append(version_row)
    total = FigureRow(
        label="",
        started=sum(r.started for r in version_rows),
        running=sum(r.running for r in version_rows),
        completed=sum(r.completed for r in version_rows),
        score_sum=sum(r.score_sum for r in version_rows),
    )
    result = CourseFigures(minimum=minimum, for_board=for_board, versions=version_rows, total=total, names=names)
    if for_board:
        return result

    # An aanbieder: the minimum everywhere (see the module docstring).
    for row, hidden in zip(version_rows, suppressed([r.started for r in version_rows], minimum), strict=True):
        row.withheld = hidden
    for row, hidden in zip(version_rows, suppressed([r.completed for r in version_rows], minimum), strict=True):
        row.average_withheld = hidden
    total.withheld = 0 < total.started < minimum
    total.average_withheld = total.completed < minimum
    names_by_id = dict(Board.objects.filter(pk__in=list(per_board)).values_list("pk", "name"))
    boards = []
    for board_id, row in per_board.items():
        row.label = names_by_id.get(board_id, "")
        row.withheld = board_id not in counted
        row.average_withheld = True  # per board: counts only
        boards.append(row)
    result.boards = sorted(boards, key=lambda r: (r.withheld, r.label))
    result.withheld_boards = sum(1 for r in boards if r.withheld)
    return result


# --- a leidinggevende's suggestions ---------------------------------------------------------------------


def suggestion_rows_for(*, actor: Actor) -> QuerySet[Suggestion]:
    """The suggestions the actor made to people they lead now (one query): the module's current title, and
    whether the person started or completed it (any version; after the suggestion or before)."""
    team = team_members_for(actor=actor).values("person_id")
    title = Subquery(
        CourseVersion.objects.filter(course=OuterRef("course_id"))
        .order_by(Case(When(status=VersionStatus.PUBLISHED, then=0), default=1), "-number")
        .values("title")[:1]
    )
    enrolled = Enrolment.objects.filter(person=OuterRef("person_id"), course=OuterRef("course_id"))
    return (
        Suggestion.objects.filter(board_id=actor.board_pk, suggested_by=actor.person, person_id__in=team)
        .select_related("person")
        .annotate(
            course_title=title,
            started=Exists(enrolled),
            completed=Exists(enrolled.filter(completed_at__isnull=False)),
        )
        .order_by("-created_at")
    )
