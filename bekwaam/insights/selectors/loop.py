"""The loop closes (docs/insights-loop.md): the person's own low scores, the score behind a POP goal, and the
score before and after at the goal's check step.

A score is one of three kinds (insights.models.OriginKind), always the actor's own and only where they may
see it themself:

- a kijkwijzer item of a lesson visit (kind "visit", not a peer visit nor a calibration scoring) of theirs
  that the observer has put forward: the observer's score on the item;
- an indicator of a finished measurement of theirs: the level they gave themself;
- a competence of a closed 360° round of theirs: others' mean, computed from the figures the report shows
  (feedback.selectors.report.report_for): the anonymous groups of at least FEEDBACK_MIN_GROUP_SIZE answers,
  weighted by their size. Withheld groups, the self-rating and named managers are not in it, so the mean
  tells nothing the report does not show already.

"Low" means in the lower half of the scale of the source's own framework version: value < (lowest + highest)
/ 2, so on a 1-4 scale 1 and 2, on a 1-5 scale 1 and 2 (3 is the middle, not low), on 1-3 only 1.

Codes are the identity across framework versions (frameworks.Competence.code): a later score matches the
goal's origin by framework slug and code, never by row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.db.models import Max, Min
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import AssessmentStatus, Goal, Phase, Rating, SelfAssessment
from bekwaam.feedback.models import FeedbackQuestion, FeedbackRound, QuestionKind, RoundState
from bekwaam.feedback.selectors import OWNER, report_right_for
from bekwaam.feedback.selectors.report import OTHERS, CompetenceFigures, Report, report_for
from bekwaam.frameworks.models import Competence, Indicator, ScaleLevel
from bekwaam.insights.models import GoalOrigin, OriginKind
from bekwaam.observations.models import (
    PUT_FORWARD_STATES,
    Observation,
    ObservationKind,
    ObservationScore,
)
from bekwaam.tenancy.context import Actor

LOW_SCORES_MAX = 8  # shown on Mijn ontwikkeling, shared between the sources (see _share)
LABEL_MAX = 300  # GoalOrigin.label
# The goal's check step and after: where before and after are shown side by side.
CHECK_PHASES = (Phase.CHECK, Phase.ACT, Phase.DONE)
AFTER_ROUNDS_MAX = 3  # later 360° reports read for one page at most (each is about ten queries)
PLACES = Decimal("0.01")


@dataclass(frozen=True)
class LowScore:
    kind: str  # insights.models.OriginKind
    framework_slug: str
    code: str
    label: str
    value: Decimal
    scale_max: int
    source_id: str
    source_label: str  # e.g. "Lesbezoek 12-03-2026"
    scale_min: int = 1
    source_on: datetime.date | None = None
    goal_id: str | None = None  # the POP goal made from this score already, if any

    @property
    def is_low(self) -> bool:
        return is_low(value=self.value, scale_min=self.scale_min, scale_max=self.scale_max)

    @property
    def kind_label(self) -> str:
        return str(OriginKind(self.kind).label)


def is_low(*, value: Decimal, scale_min: int, scale_max: int) -> bool:
    """In the lower half of the scale: strictly below its middle."""
    return value * 2 < scale_min + scale_max


def _decimal(value: float | int) -> Decimal:
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _date_text(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def visit_label(day: datetime.date) -> str:
    return _("Lesson visit of %(date)s") % {"date": _date_text(day)}


def measurement_label(day: datetime.date) -> str:
    return _("Measurement of %(date)s") % {"date": _date_text(day)}


def round_label(title: str, day: datetime.date) -> str:
    return _("360° feedback “%(title)s” of %(date)s") % {"title": title, "date": _date_text(day)}


def _scales(version_ids: Iterable[Any]) -> dict[Any, tuple[int, int]]:
    """(lowest, highest) scale value per framework version: one query."""
    rows = (
        ScaleLevel.objects.filter(version_id__in=set(version_ids))
        .order_by()
        .values("version_id")
        .annotate(low=Min("value"), high=Max("value"))
    )
    return {row["version_id"]: (row["low"], row["high"]) for row in rows}


# --- where the actor's scores come from (always their own, always what they may see) ---------------


def own_visits_q_for(*, actor: Actor) -> dict[str, Any]:
    """Filters for the actor's own lesson visits whose scores they see: put forward, not peer, not calibration."""
    return {
        "board_id": actor.board_pk,
        "teacher": actor.person,
        "kind": ObservationKind.VISIT,
        "calibrates__isnull": True,
        "state__in": PUT_FORWARD_STATES,
    }


def _own_visits(actor: Actor) -> Any:
    return Observation.objects.filter(**own_visits_q_for(actor=actor)).select_related("instrument__framework")


def _own_measurements(actor: Actor) -> Any:
    return SelfAssessment.objects.filter(
        board_id=actor.board_pk, person=actor.person, status=AssessmentStatus.FINISHED
    ).select_related("framework_version__framework")


def _own_rounds(actor: Actor) -> Any:
    return FeedbackRound.objects.filter(
        board_id=actor.board_pk, owner=actor.person, state=RoundState.CLOSED
    ).select_related("framework_version__framework")


def others_mean(figures: CompetenceFigures) -> tuple[Decimal, int] | None:
    """Others' mean of one competence from the figures the report shows, and how many answers it holds:
    the anonymous groups (each of at least the threshold), weighted by size; None when all are withheld."""
    shown = [f for f in figures.figures if f.kind == "group" or f.key == OTHERS]
    count = sum(f.count for f in shown)
    if not count:
        return None
    return _decimal(sum(f.average * f.count for f in shown) / count), count


# --- reading one score ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRead:
    """One of the actor's scores as read from its source, with what a goal made from it links to."""

    score: LowScore
    competence: Competence  # the item, the indicator's competence, or the 360° competence
    course_code: str  # the code e-learning modules are linked by: the competence's (for an indicator too)


def _visit_scores(observation: Observation, scale: tuple[int, int]) -> list[tuple[LowScore, Competence]]:
    scores = (
        ObservationScore.objects.filter(board_id=observation.board_id, observation=observation, value__isnull=False)
        .select_related("item")
        .order_by("value", "item__domain__position", "item__position", "item__code")
    )
    label = visit_label(observation.date)
    return [
        (
            LowScore(
                kind=OriginKind.OBSERVATION_ITEM,
                framework_slug=observation.instrument.framework.slug,
                code=score.item.code,
                label=_label(score.item.name),
                value=Decimal(score.value or 0),
                scale_max=scale[1],
                scale_min=scale[0],
                source_id=str(observation.pk),
                source_label=label,
                source_on=observation.date,
            ),
            score.item,
        )
        for score in scores
    ]


def _measurement_scores(assessment: SelfAssessment, scale: tuple[int, int]) -> list[tuple[LowScore, Indicator]]:
    finished_on = timezone.localdate(assessment.finished_at or assessment.started_at)
    ratings = (
        Rating.objects.filter(board_id=assessment.board_id, assessment=assessment, level__isnull=False)
        .select_related("indicator__competence", "level")
        .order_by(
            "level__value",
            "indicator__competence__domain__position",
            "indicator__competence__position",
            "indicator__position",
            "indicator__code",
        )
    )
    label = measurement_label(finished_on)
    result = []
    for rating in ratings:
        if rating.level is None:
            continue
        result.append(
            (
                LowScore(
                    kind=OriginKind.INDICATOR,
                    framework_slug=assessment.framework_version.framework.slug,
                    code=rating.indicator.code,
                    label=_label(rating.indicator.text),
                    value=Decimal(rating.level.value),
                    scale_max=scale[1],
                    scale_min=scale[0],
                    source_id=str(assessment.pk),
                    source_label=label,
                    source_on=finished_on,
                ),
                rating.indicator,
            )
        )
    return result


def _report_scale(report: Report) -> tuple[int, int]:
    values = [value for value, _label in report.scale]
    return (min(values, default=1), max(values, default=1))


def _round_scores(round_: FeedbackRound, report: Report) -> list[tuple[LowScore, Competence]]:
    closed_on = timezone.localdate(round_.closed_at or round_.created_at)
    low, high = _report_scale(report)
    label = round_label(round_.title, closed_on)
    result = []
    for figures in report.competences:
        mean = others_mean(figures)
        if mean is None:
            continue
        result.append(
            (
                LowScore(
                    kind=OriginKind.FEEDBACK_COMPETENCE,
                    framework_slug=round_.framework_version.framework.slug,
                    code=figures.competence.code,
                    label=_label(figures.competence.name),
                    value=mean[0],
                    scale_max=high,
                    scale_min=low,
                    source_id=str(round_.pk),
                    source_label=label,
                    source_on=closed_on,
                ),
                figures.competence,
            )
        )
    result.sort(key=lambda pair: pair[0].value)  # lowest first; the report's order breaks ties
    return result


def _uuid(value: object) -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def score_read_for(*, actor: Actor, kind: str, source_id: object, code: str, lock: bool = False) -> ScoreRead:
    """One score of the actor's own, read afresh from its source by id (never from what a form posted).

    404 when the source is not the actor's own (another person's, another board's, not put forward, not
    finished or not closed), or when it holds no score on that code. `lock` (inside a transaction) locks the
    source row, so two requests making a goal of the same score take turns.
    """
    pk = _uuid(source_id)
    if kind == OriginKind.OBSERVATION_ITEM:
        visits = _own_visits(actor)
        visit = (visits.select_for_update(of=("self",)) if lock else visits).filter(pk=pk).first()
        if visit is None:
            raise Http404
        scale = _scales([visit.instrument_id]).get(visit.instrument_id, (1, 1))
        for score, item in _visit_scores(visit, scale):
            if score.code == code:
                return ScoreRead(score=score, competence=item, course_code=item.code)
        raise Http404
    if kind == OriginKind.INDICATOR:
        measurements = _own_measurements(actor)
        assessment = (measurements.select_for_update(of=("self",)) if lock else measurements).filter(pk=pk).first()
        if assessment is None:
            raise Http404
        scale = _scales([assessment.framework_version_id]).get(assessment.framework_version_id, (1, 1))
        for rated, indicator in _measurement_scores(assessment, scale):
            if rated.code == code:
                competence = indicator.competence
                return ScoreRead(score=rated, competence=competence, course_code=competence.code)
        raise Http404
    if kind == OriginKind.FEEDBACK_COMPETENCE:
        rounds = _own_rounds(actor)
        round_ = (rounds.select_for_update(of=("self",)) if lock else rounds).filter(pk=pk).first()
        if round_ is None or report_right_for(actor=actor, round_=round_) != OWNER:
            raise Http404
        for mean, competence in _round_scores(round_, report_for(round_=round_)):
            if mean.code == code:
                return ScoreRead(score=mean, competence=competence, course_code=competence.code)
        raise Http404
    raise Http404


# --- the list on Mijn ontwikkeling ----------------------------------------------------------------------


def _share(groups: Sequence[Sequence[LowScore]], total: int) -> list[LowScore]:
    """At most `total`, taken in turns from each group (newest source first), so an older source still shows
    when a newer one has many; each group's lowest come first."""
    taken = [0] * len(groups)
    left = total
    while left > 0:
        progressed = False
        for index, group in enumerate(groups):
            if left > 0 and taken[index] < len(group):
                taken[index] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    return [score for index, group in enumerate(groups) for score in group[: taken[index]]]


def low_scores_for(*, actor: Actor) -> list[LowScore]:
    """The actor's own low scores: from their latest put-forward lesson visit, latest finished measurement and
    latest closed 360° round, newest source first, lowest first within a source, at most LOW_SCORES_MAX; each
    says whether a POP goal was made from it already. About twenty queries, whatever the sizes."""
    if actor.board_id is None:
        return []
    # Newest first by the source's date, then (on the same day) by when it was put forward, finished or closed.
    sources: list[tuple[datetime.date, datetime.datetime, list[LowScore]]] = []
    visit = _own_visits(actor).order_by("-date", "-submitted_at").first()
    assessment = _own_measurements(actor).order_by("-finished_at").first()
    round_ = _own_rounds(actor).order_by("-closed_at").first()
    versions = [visit.instrument_id] if visit is not None else []
    if assessment is not None:
        versions.append(assessment.framework_version_id)
    scales = _scales(versions)
    if visit is not None:
        scale = scales.get(visit.instrument_id, (1, 1))
        low = [s for s, _item in _visit_scores(visit, scale) if s.is_low]
        sources.append((visit.date, visit.submitted_at or visit.created_at, low))
    if assessment is not None and assessment.finished_at is not None:
        scale = scales.get(assessment.framework_version_id, (1, 1))
        low = [s for s, _indicator in _measurement_scores(assessment, scale) if s.is_low]
        sources.append((timezone.localdate(assessment.finished_at), assessment.finished_at, low))
    if round_ is not None and round_.closed_at is not None and report_right_for(actor=actor, round_=round_) == OWNER:
        low = [s for s, _competence in _round_scores(round_, report_for(round_=round_)) if s.is_low]
        sources.append((timezone.localdate(round_.closed_at), round_.closed_at, low))
    sources.sort(key=lambda source: (source[0], source[1]), reverse=True)
    shown = _share([scores for _day, _at, scores in sources], LOW_SCORES_MAX)
    if not shown:
        return []
    made = {
        (origin.kind, str(origin.source_id), origin.code): str(origin.goal_id)
        for origin in GoalOrigin.objects.filter(
            board_id=actor.board_pk,
            goal__plan__person=actor.person,
            source_id__in={UUID(score.source_id) for score in shown},
        ).only("kind", "source_id", "code", "goal_id")
    }
    return [replace(score, goal_id=made.get((score.kind, score.source_id, score.code))) for score in shown]


# --- a goal made from a score --------------------------------------------------------------------------


def origin_goal_get_for(*, actor: Actor, goal_id: object) -> Goal:
    """One of the actor's own POP goals that was made from a score (with its origin); 404 for anything else."""
    goal = (
        Goal.objects.filter(pk=_uuid(goal_id), board_id=actor.board_pk, plan__person=actor.person, origin__isnull=False)
        .select_related("plan", "origin", "origin__follow_up_visit", "origin__follow_up_visit__observer")
        .first()
    )
    if goal is None:
        raise Http404
    return goal


def course_code_for(*, actor: Actor, origin: GoalOrigin) -> str:
    """The competence code e-learning modules are linked by: the origin's own code, or for a measurement
    indicator its competence's code (as in the newest version of the framework that has the indicator)."""
    if origin.kind != OriginKind.INDICATOR:
        return origin.code
    code: str | None = (
        Indicator.objects.filter(
            board_id=actor.board_pk,
            code=origin.code,
            competence__version__framework__slug=origin.framework_slug,
        )
        .order_by("-competence__version__number")
        .values_list("competence__code", flat=True)
        .first()
    )
    return code or origin.code


# --- before and after ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    value: Decimal
    scale_max: int
    on: datetime.date
    source_label: str


@dataclass(frozen=True)
class BeforeAfter:
    origin: GoalOrigin
    before: ScorePoint
    after: ScorePoint | None  # None: no later score on the same code yet

    @property
    def kind_label(self) -> str:
        return str(OriginKind(self.origin.kind).label)

    @property
    def change(self) -> Decimal | None:
        """After minus before, when both are on a scale of the same size."""
        if self.after is None or self.after.scale_max != self.before.scale_max:
            return None
        return self.after.value - self.before.value


def _before(origin: GoalOrigin) -> ScorePoint:
    if origin.kind == OriginKind.OBSERVATION_ITEM:
        label = visit_label(origin.before_on)
    elif origin.kind == OriginKind.INDICATOR:
        label = measurement_label(origin.before_on)
    else:
        label = _("360° feedback of %(date)s") % {"date": _date_text(origin.before_on)}
    return ScorePoint(value=origin.before_value, scale_max=origin.scale_max, on=origin.before_on, source_label=label)


def _after_visits(origins: list[tuple[GoalOrigin, Goal]], people: set[Any]) -> dict[Any, ScorePoint]:
    """The newest later put-forward visit score per origin: two queries for all of them."""
    if not origins:
        return {}
    since = min(timezone.localdate(goal.created_at) for _origin, goal in origins)
    rows = list(
        ObservationScore.objects.filter(
            board_id=origins[0][0].board_id,
            value__isnull=False,
            item__code__in={origin.code for origin, _goal in origins},
            item__version__framework__slug__in={origin.framework_slug for origin, _goal in origins},
            observation__teacher_id__in=people,
            observation__kind=ObservationKind.VISIT,
            observation__calibrates__isnull=True,
            observation__state__in=PUT_FORWARD_STATES,
            observation__date__gte=since,
        )
        .order_by("-observation__date", "-observation__submitted_at")
        .values(
            "value",
            "item__code",
            "item__version__framework__slug",
            "observation_id",
            "observation__teacher_id",
            "observation__date",
            "observation__submitted_at",
            "observation__instrument_id",
        )
    )
    scales = _scales(row["observation__instrument_id"] for row in rows)
    found: dict[Any, ScorePoint] = {}
    for origin, goal in origins:
        for row in rows:
            if (
                row["item__code"] == origin.code
                and row["item__version__framework__slug"] == origin.framework_slug
                and row["observation__teacher_id"] == goal.plan.person_id
                and row["observation_id"] != origin.source_id
                and row["observation__date"] >= timezone.localdate(goal.created_at)
                and row["observation__submitted_at"] is not None
                and row["observation__submitted_at"] > goal.created_at
            ):
                found[origin.pk] = ScorePoint(
                    value=Decimal(row["value"] or 0),
                    scale_max=scales.get(row["observation__instrument_id"], (1, origin.scale_max))[1],
                    on=row["observation__date"],
                    source_label=visit_label(row["observation__date"]),
                )
                break
    return found


def _after_measurements(origins: list[tuple[GoalOrigin, Goal]], people: set[Any]) -> dict[Any, ScorePoint]:
    """The newest later finished measurement's level per origin: two queries for all of them."""
    if not origins:
        return {}
    since = min(goal.created_at for _origin, goal in origins)
    rows = list(
        Rating.objects.filter(
            board_id=origins[0][0].board_id,
            level__isnull=False,
            indicator__code__in={origin.code for origin, _goal in origins},
            indicator__competence__version__framework__slug__in={origin.framework_slug for origin, _goal in origins},
            assessment__person_id__in=people,
            assessment__status=AssessmentStatus.FINISHED,
            assessment__finished_at__gt=since,
        )
        .order_by("-assessment__finished_at")
        .values(
            "level__value",
            "indicator__code",
            "indicator__competence__version__framework__slug",
            "assessment_id",
            "assessment__person_id",
            "assessment__finished_at",
            "assessment__framework_version_id",
        )
    )
    scales = _scales(row["assessment__framework_version_id"] for row in rows)
    found: dict[Any, ScorePoint] = {}
    for origin, goal in origins:
        for row in rows:
            if (
                row["indicator__code"] == origin.code
                and row["indicator__competence__version__framework__slug"] == origin.framework_slug
                and row["assessment__person_id"] == goal.plan.person_id
                and row["assessment_id"] != origin.source_id
                and row["assessment__finished_at"] is not None
                and row["assessment__finished_at"] > goal.created_at
            ):
                on = timezone.localdate(row["assessment__finished_at"])
                found[origin.pk] = ScorePoint(
                    value=Decimal(row["level__value"]),
                    scale_max=scales.get(row["assessment__framework_version_id"], (1, origin.scale_max))[1],
                    on=on,
                    source_label=measurement_label(on),
                )
                break
    return found


def _after_rounds(origins: list[tuple[GoalOrigin, Goal]], people: set[Any]) -> dict[Any, ScorePoint]:
    """Others' mean in the newest later closed round that shows one, per origin: two queries, plus one report
    (about ten queries) per later round read, at most AFTER_ROUNDS_MAX."""
    if not origins:
        return {}
    since = min(goal.created_at for _origin, goal in origins)
    rounds = list(
        FeedbackRound.objects.filter(
            board_id=origins[0][0].board_id,
            owner_id__in=people,
            state=RoundState.CLOSED,
            closed_at__gt=since,
            framework_version__framework__slug__in={origin.framework_slug for origin, _goal in origins},
        )
        .select_related("framework_version__framework")
        .order_by("-closed_at")
    )
    codes: dict[Any, set[str]] = defaultdict(set)
    for round_id, code in FeedbackQuestion.objects.filter(
        round__in=rounds, kind=QuestionKind.COMPETENCE, competence__code__in={o.code for o, _g in origins}
    ).values_list("round_id", "competence__code"):
        codes[round_id].add(code)
    reports: dict[Any, Report] = {}
    found: dict[Any, ScorePoint] = {}
    for origin, goal in origins:
        for round_ in rounds:
            if (
                round_.owner_id != goal.plan.person_id
                or round_.pk == origin.source_id
                or round_.closed_at is None
                or round_.closed_at <= goal.created_at
                or round_.framework_version.framework.slug != origin.framework_slug
                or origin.code not in codes[round_.pk]
            ):
                continue
            if round_.pk not in reports:
                if len(reports) >= AFTER_ROUNDS_MAX:
                    break
                reports[round_.pk] = report_for(round_=round_)
            report = reports[round_.pk]
            figures = next((f for f in report.competences if f.competence.code == origin.code), None)
            mean = others_mean(figures) if figures is not None else None
            if mean is None:
                continue  # withheld in this round: look at the one before
            on = timezone.localdate(round_.closed_at)
            found[origin.pk] = ScorePoint(
                value=mean[0], scale_max=_report_scale(report)[1], on=on, source_label=round_label(round_.title, on)
            )
            break
    return found


def goals_before_after(*, goals: Sequence[Goal]) -> dict[Any, BeforeAfter]:
    """Before and after for each goal at its check step or later that was made from a score, by goal id.

    No query when no goal is at that step; else one for the origins, two per kind of source that has origins,
    and for 360° competences the later reports (at most AFTER_ROUNDS_MAX). Each goal's plan must be loaded
    (goal.plan): the after-score is searched among the plan owner's own records only.
    """
    at_check = [goal for goal in goals if goal.phase in CHECK_PHASES]
    if not at_check:
        return {}
    by_id = {goal.pk: goal for goal in at_check}
    origins = list(GoalOrigin.objects.filter(board_id=at_check[0].board_id, goal_id__in=list(by_id)))
    if not origins:
        return {}
    people = {goal.plan.person_id for goal in at_check}
    kinds: dict[str, list[tuple[GoalOrigin, Goal]]] = defaultdict(list)
    for origin in origins:
        kinds[origin.kind].append((origin, by_id[origin.goal_id]))
    after: dict[Any, ScorePoint] = {}
    after.update(_after_visits(kinds[OriginKind.OBSERVATION_ITEM], people))
    after.update(_after_measurements(kinds[OriginKind.INDICATOR], people))
    after.update(_after_rounds(kinds[OriginKind.FEEDBACK_COMPETENCE], people))
    return {
        origin.goal_id: BeforeAfter(origin=origin, before=_before(origin), after=after.get(origin.pk))
        for origin in origins
    }


def goal_before_after(*, goal: Goal) -> BeforeAfter | None:
    """The score a goal was made from and the newest later one on the same code, from the same kind of source,
    once the goal is at its check step (or after); None for a goal not made from a score or not there yet."""
    return goals_before_after(goals=[goal]).get(goal.pk)
