"""Reads of self-evaluations, inspections, school visits, flags and documents, and the school's quality page.

Every getter answers 404 for what the actor may not see (another board's record, a school they do not lead,
the board's own records for a schoolleider). Seeing is "quality.view_school" on the record's school, or
"quality.view_board" for the board's own records (school None); changing is checked by the services.

The school page's side-by-side view (latest self-evaluation judgement and latest inspection judgement per
standard) is two SQL queries with a window function, however many evaluations a school has. Judgements
given against another version of the onderzoekskader count for a standard with the same code and name:
OP2 "Zicht op ontwikkeling en begeleiding" of 2021 is the OP2 of 2024, but OP4 "(Extra) ondersteuning" of
2017 is not OP4 "Onderwijstijd" of 2021.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import rules
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from bekwaam.lib.dates import school_year_bounds, school_year_of
from bekwaam.observations.models import PUT_FORWARD_STATES, Observation, ObservationKind
from bekwaam.observations.selectors import observations_visible_to
from bekwaam.quality.models import (
    EvaluationState,
    ImprovementPlan,
    InspectionFramework,
    InspectionJudgement,
    InspectionStandardJudgement,
    InspectionVisit,
    JudgementLevel,
    Level,
    QualityDocument,
    RepairOrder,
    SchoolFlag,
    SchoolVisit,
    SelfEvaluation,
    Standard,
    StandardAssessment,
)
from bekwaam.quality.selectors import current_framework
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School

LIST_LIMIT = 25  # per list on the school page; older records are rare and the page says how many there are


def may_view(actor: Actor, school: School | None) -> bool:
    """The quality rules for seeing a school's records, or (None) the board's own."""
    if school is None:
        return bool(rules.test_rule("quality.view_board", actor))
    return bool(rules.test_rule("quality.view_school", actor, school))


def may_record(actor: Actor, school: School | None) -> bool:
    """The quality rules for recording at a school, or (None) for the board itself."""
    if school is None:
        return bool(rules.test_rule("quality.edit_board_level", actor))
    return bool(rules.test_rule("quality.edit_school", actor, school))


def _visible(actor: Actor, record: Any) -> Any:
    if record is None or not may_view(actor, record.school):
        raise Http404
    return record


# --- frameworks and standards ---------------------------------------------------------------------------


def frameworks_for() -> QuerySet[InspectionFramework]:
    """Every version of the onderzoekskader, newest first (national data: the same for every board)."""
    return InspectionFramework.objects.order_by("-valid_from")


def framework_default() -> InspectionFramework | None:
    """The version in force today, or the newest one when none is (yet) in force; None when none is loaded."""
    try:
        return current_framework()
    except Http404:
        return InspectionFramework.objects.order_by("-valid_from").first()


def standards_of(*, framework: InspectionFramework, level: str) -> list[Standard]:
    """The version's standards of one level (school or board) in the inspectie's order, with their area."""
    return list(
        Standard.objects.filter(framework=framework, area__level=level)
        .select_related("area")
        .order_by("area__position", "position", "code")
    )


# --- the board's scale -----------------------------------------------------------------------------------


def judgement_levels_for(*, actor: Actor, active_only: bool = False) -> QuerySet[JudgementLevel]:
    """The board's scale from lowest to highest, each with `in_use` (a judgement refers to it)."""
    levels = JudgementLevel.objects.filter(board_id=actor.board_pk)
    if active_only:
        levels = levels.filter(archived=False)
    used = StandardAssessment.objects.filter(board_id=actor.board_pk, level_id=OuterRef("pk"))
    return levels.annotate(in_use=Exists(used)).order_by("value")


def judgement_level_get_for(*, actor: Actor, level_id: int) -> JudgementLevel:
    level = JudgementLevel.objects.filter(board_id=actor.board_pk, pk=level_id).first()
    if level is None:
        raise Http404
    return level


# --- one record -------------------------------------------------------------------------------------------


def evaluation_get_for(*, actor: Actor, evaluation_id: UUID) -> SelfEvaluation:
    """A self-evaluation or nu-meting the actor may see; 404 otherwise."""
    record = (
        SelfEvaluation.objects.filter(board_id=actor.board_pk, pk=evaluation_id)
        .select_related("school", "framework", "created_by")
        .first()
    )
    return _visible(actor, record)  # type: ignore[no-any-return]


def inspection_get_for(*, actor: Actor, visit_id: UUID) -> InspectionVisit:
    record = (
        InspectionVisit.objects.filter(board_id=actor.board_pk, pk=visit_id)
        .select_related("school", "framework", "recorded_by")
        .first()
    )
    return _visible(actor, record)  # type: ignore[no-any-return]


def school_visit_get_for(*, actor: Actor, visit_id: UUID) -> SchoolVisit:
    record = (
        SchoolVisit.objects.filter(board_id=actor.board_pk, pk=visit_id)
        .select_related("school", "visitor")
        .prefetch_related(Prefetch("standards", queryset=Standard.objects.select_related("framework")))
        .first()
    )
    return _visible(actor, record)  # type: ignore[no-any-return]


def flag_get_for(*, actor: Actor, flag_id: int) -> SchoolFlag:
    record = SchoolFlag.objects.filter(board_id=actor.board_pk, pk=flag_id).select_related("school").first()
    return _visible(actor, record)  # type: ignore[no-any-return]


def document_get_for(*, actor: Actor, document_id: UUID) -> QualityDocument:
    """A quality document of a school the actor may see (or of the board, for board viewers); 404 otherwise."""
    record = QualityDocument.objects.filter(board_id=actor.board_pk, pk=document_id).select_related("school").first()
    return _visible(actor, record)  # type: ignore[no-any-return]


# --- an evaluation's rows ---------------------------------------------------------------------------------


@dataclass
class AssessmentRow:
    """One standard of an evaluation as a page shows it: the judgement and the evidence the viewer may open."""

    assessment: StandardAssessment
    documents: list[QualityDocument]
    visits: list[Observation]
    hidden_visits: int  # linked lesson visits the viewer may not open (counted, not shown)

    @property
    def standard(self) -> Standard:
        return self.assessment.standard


@dataclass
class AreaRows:
    code: str
    name: str
    rows: list[AssessmentRow]


def assessment_rows_for(*, actor: Actor, evaluation: SelfEvaluation) -> list[AreaRows]:
    """The evaluation's judgements grouped by area, in the inspectie's order, in a fixed number of queries."""
    assessments = (
        StandardAssessment.objects.filter(evaluation=evaluation)
        .select_related("standard__area", "level")
        .prefetch_related("documents", "observations__teacher")
        .order_by("standard__area__position", "standard__position", "standard__code")
    )
    visible: set[UUID] = set()
    if evaluation.school_id is not None:
        visible = set(
            observations_visible_to(actor=actor).filter(school_id=evaluation.school_id).values_list("pk", flat=True)
        )
    areas: dict[int, AreaRows] = {}
    for assessment in assessments:
        area = assessment.standard.area
        visits = sorted(assessment.observations.all(), key=lambda visit: visit.date, reverse=True)
        shown = [visit for visit in visits if visit.pk in visible]
        areas.setdefault(area.pk, AreaRows(code=area.code, name=area.name, rows=[])).rows.append(
            AssessmentRow(
                assessment=assessment,
                documents=sorted(assessment.documents.all(), key=lambda document: document.created_at),
                visits=shown,
                hidden_visits=len(visits) - len(shown),
            )
        )
    return list(areas.values())


def linkable_visits_for(*, actor: Actor, school: School) -> QuerySet[Observation]:
    """Lesson visits at the school the actor may see and that were put forward: what may be linked as evidence.

    Peer visits (only their teacher sees the result) and a second observer's calibration scoring are not evidence.
    """
    return observations_visible_to(actor=actor).filter(
        school=school, state__in=PUT_FORWARD_STATES, kind=ObservationKind.VISIT, calibrates__isnull=True
    )


def evidence_visits_for(*, actor: Actor, school: School, since: datetime.date | None = None) -> list[Observation]:
    """The linkable lesson visits, newest first, from `since` (default: the start of the previous school year),
    so the form stays short; visits linked before stay linked whatever their date."""
    if since is None:
        since = school_year_bounds(school_year_of(timezone.localdate()) - 1)[0]
    visits = linkable_visits_for(actor=actor, school=school).filter(date__gte=since)
    return list(visits.select_related("teacher").order_by("-date", "group"))


# --- latest judgements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Latest:
    """The latest judgement of one standard at one school (or the board): what, when, and where it was given."""

    label: str
    value: str | int | None
    date: datetime.date
    record_id: UUID
    framework_code: str


def _school_filter(prefix: str, school_ids: Collection[int] | None) -> Q:
    if school_ids is None:
        return Q(**{f"{prefix}__school__isnull": True})
    return Q(**{f"{prefix}__school_id__in": list(school_ids)})


def latest_self_judgements(
    *, board_id: int, school_ids: Collection[int] | None, standards: Iterable[Standard]
) -> dict[tuple[int | None, int], Latest]:
    """Per (school id, standard id of `standards`) the level of the latest final self-evaluation that judged it.

    One query. school_ids None = the board's own evaluations. A judgement counts for a standard with the
    same code and name in any version.
    """
    wanted = {(s.code, s.name): s.pk for s in standards}
    if not wanted:
        return {}
    rows = (
        StandardAssessment.objects.filter(
            _school_filter("evaluation", school_ids),
            board_id=board_id,
            evaluation__state=EvaluationState.FINAL,
            level__isnull=False,
            standard__code__in={code for code, _name in wanted},
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("evaluation__school_id"), F("standard__code"), F("standard__name")],
                order_by=[F("evaluation__date").desc(), F("evaluation__finalised_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list(
            "evaluation__school_id",
            "standard__code",
            "standard__name",
            "level__label",
            "level__value",
            "evaluation__date",
            "evaluation_id",
            "evaluation__framework__code",
        )
    )
    found: dict[tuple[int | None, int], Latest] = {}
    for school_id, code, name, label, value, date, record_id, framework_code in rows:
        standard_id = wanted.get((code, name))
        if standard_id is not None:
            found[(school_id, standard_id)] = Latest(label, value, date, record_id, framework_code)
    return found


def latest_inspection_judgements(
    *, board_id: int, school_ids: Collection[int] | None, standards: Iterable[Standard]
) -> dict[tuple[int | None, int], Latest]:
    """Per (school id, standard id of `standards`) the inspectie's latest judgement (value: the InspectionJudgement)."""
    wanted = {(s.code, s.name): s.pk for s in standards}
    if not wanted:
        return {}
    rows = (
        InspectionStandardJudgement.objects.filter(
            _school_filter("visit", school_ids),
            board_id=board_id,
            visit__date__lte=timezone.localdate(),
            standard__code__in={code for code, _name in wanted},
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("visit__school_id"), F("standard__code"), F("standard__name")],
                order_by=[F("visit__date").desc(), F("visit__created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list(
            "visit__school_id",
            "standard__code",
            "standard__name",
            "judgement",
            "visit__date",
            "visit_id",
            "visit__framework__code",
        )
    )
    found: dict[tuple[int | None, int], Latest] = {}
    for school_id, code, name, judgement, date, record_id, framework_code in rows:
        standard_id = wanted.get((code, name))
        if standard_id is not None:
            label = str(InspectionJudgement(judgement).label)
            found[(school_id, standard_id)] = Latest(label, judgement, date, record_id, framework_code)
    return found


# --- the school's page (and the board's own) -----------------------------------------------------------


@dataclass
class StandardLine:
    standard: Standard
    self_judgement: Latest | None
    inspection: Latest | None


@dataclass
class Bounded:
    """At most LIST_LIMIT records, and how many there are in all."""

    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _bounded(queryset: QuerySet[Any]) -> Bounded:
    """The first LIST_LIMIT rows and the count of all, in one query (the count rides along as a window)."""
    items = list(queryset.annotate(total_rows=Window(Count("pk")))[:LIST_LIMIT])
    return Bounded(items=items, total=items[0].total_rows if items else 0)


@dataclass
class QualityPage:
    """Everything the school's (or, with school None, the board's own) quality page shows."""

    school: School | None
    framework: InspectionFramework | None
    lines: list[StandardLine]
    flag: SchoolFlag | None
    evaluations: Bounded
    upcoming_inspections: list[InspectionVisit]
    inspections: Bounded
    school_visits: Bounded
    plans: Bounded
    repair_orders: list[RepairOrder] = field(default_factory=list)


def quality_page_for(*, actor: Actor, school: School | None) -> QualityPage:
    """The quality page of a school the actor may see (school_get_for has checked), or of the board itself."""
    board_id = actor.board_pk
    framework = framework_default()
    level = Level.SCHOOL if school is not None else Level.BOARD
    standards = standards_of(framework=framework, level=level) if framework else []
    school_ids = [school.pk] if school is not None else None
    key = school.pk if school is not None else None
    own = latest_self_judgements(board_id=board_id, school_ids=school_ids, standards=standards)
    inspected = latest_inspection_judgements(board_id=board_id, school_ids=school_ids, standards=standards)
    lines = [StandardLine(s, own.get((key, s.pk)), inspected.get((key, s.pk))) for s in standards]
    where = Q(school=school) if school is not None else Q(school__isnull=True)
    today = timezone.localdate()
    flag = (
        SchoolFlag.objects.filter(board_id=board_id, school=school, cleared_at__isnull=True)
        .select_related("flagged_by")
        .first()
        if school is not None
        else None
    )
    inspections = InspectionVisit.objects.filter(where, board_id=board_id).select_related("framework")
    return QualityPage(
        school=school,
        framework=framework,
        lines=lines,
        flag=flag,
        evaluations=_bounded(
            SelfEvaluation.objects.filter(where, board_id=board_id)
            .select_related("framework")
            .order_by("-date", "-created_at")
        ),
        upcoming_inspections=list(inspections.filter(date__gt=today).order_by("date")[:LIST_LIMIT]),
        inspections=_bounded(inspections.filter(date__lte=today).order_by("-date")),
        school_visits=_bounded(
            SchoolVisit.objects.filter(board_id=board_id, school=school).select_related("visitor").order_by("-date")
            if school is not None
            else SchoolVisit.objects.none()
        ),
        plans=_bounded(ImprovementPlan.objects.filter(where, board_id=board_id).order_by("-created_at")),
        repair_orders=list(
            RepairOrder.objects.filter(board_id=board_id, visit__in=inspections.filter(date__lte=today))
            .select_related("standard", "visit")
            .order_by("-visit__date", "deadline", "pk")[:LIST_LIMIT]
        ),
    )


def flags_history_for(*, actor: Actor, school: School) -> list[SchoolFlag]:
    """The school's cleared flags, newest first (the open one is on the page itself)."""
    return list(
        SchoolFlag.objects.filter(board_id=actor.board_pk, school=school, cleared_at__isnull=False).order_by(
            "-flagged_at"
        )[:LIST_LIMIT]
    )


# --- home ------------------------------------------------------------------------------------------------


def led_schools_for(*, actor: Actor) -> list[School]:
    """The schools whose quality the actor records as schoolleider (their managed schools at this board)."""
    if not actor.managed_school_ids:
        return []
    return list(School.objects.filter(board_id=actor.board_pk, pk__in=actor.managed_school_ids).order_by("name"))


def recordable_schools_for(*, actor: Actor) -> list[School]:
    """The schools of the board the actor may record quality data for ("quality.edit_school")."""
    schools = School.objects.filter(board_id=actor.board_pk).order_by("name")
    return [school for school in schools if rules.test_rule("quality.edit_school", actor, school)]
