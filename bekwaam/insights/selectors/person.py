"""Mijn ontwikkeling: the signed-in person's own results over time, section by section (docs/insights.md).

Everything here is the actor's own, at the active board, read through the rule of the app that owns it:
- measurements: the actor's finished measurements (dossier.selectors.assessments.finished_assessments_for);
- appraisals: of the actor's own conversations (conversations.selectors.conversations_visible_to), only in
  the states the medewerker may read (conversations.selectors.appraisals.SHOWN_TO_EMPLOYEE);
- lesson visits: those observations_visible_to lets the actor see as the teacher, once put forward (the
  teacher sees scores only then: observations.selectors.may_see_scores);
- 360° feedback: the actor's own closed rounds (feedback.selectors.round_list_for), each through the round's
  report (feedback.selectors.report.report_for), so its anonymity rules apply unchanged;
- POP goals and e-learning completions: the actor's own rows.
There is no person parameter anywhere: nobody reaches another person's page.

The number of queries does not grow with the length of someone's history: each section reads its rows in a
fixed number of queries (aggregated in SQL where it can), and what is compared side by side is capped
(MAX_MEASUREMENTS, MAX_VISITS, MAX_ROUNDS, MAX_APPRAISALS). Only the 360° section costs queries per chosen
round (the feedback report's own, about ten), at most MAX_ROUNDS of them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, Min, Q, Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from bekwaam.conversations.models import Appraisal, AppraisalLevel, AppraisalRating, ConversationKind
from bekwaam.conversations.selectors import conversations_visible_to
from bekwaam.conversations.selectors.appraisals import SHOWN_TO_EMPLOYEE
from bekwaam.dossier.models import Goal, Phase, Rating, SelfAssessment
from bekwaam.dossier.selectors.assessments import finished_assessments_for
from bekwaam.feedback.models import FeedbackRound, RoundState
from bekwaam.feedback.selectors import round_list_for
from bekwaam.feedback.selectors.report import Report, report_for
from bekwaam.frameworks.models import Competence, Domain, ScaleLevel
from bekwaam.insights.selectors import loop
from bekwaam.learning.models import Completion
from bekwaam.lib.charts import SERIES_KEYS
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.observations.models import PUT_FORWARD_STATES, Observation, ObservationKind, ObservationScore
from bekwaam.observations.selectors import observations_visible_to
from bekwaam.tenancy.context import Actor

# The parts of the page, in its order; each can be chosen on its own.
MEASUREMENTS = "measurements"
APPRAISALS = "appraisals"
VISITS = "visits"
FEEDBACK = "feedback"
GOALS = "goals"
LEARNING = "learning"
ATTENTION = "attention"
SECTIONS: tuple[str, ...] = (MEASUREMENTS, APPRAISALS, VISITS, FEEDBACK, GOALS, LEARNING, ATTENTION)

# How many of each can stand side by side (a chart stays readable; the query count stays bounded).
MAX_MEASUREMENTS = 5
MAX_VISITS = 6
MAX_ROUNDS = 4
MAX_APPRAISALS = 6
# What is chosen when nothing is: the latest three of each.
DEFAULT_COUNT = 3
OPEN_GOALS_LISTED = 20


def _day(value: datetime.datetime | datetime.date) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _dmy(day: datetime.date) -> str:
    return dateformat.format(day, "d-m-Y")


def _mean(total: float, count: int) -> float | None:
    return total / count if count else None


def _difference(value: float | None, previous: float | None) -> float | None:
    if value is None or previous is None:
        return None
    return round(value - previous, 2)


# --- what can be chosen ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One of the person's own measurements, visits or rounds, as the form offers it (newest first)."""

    id: str
    label: str  # long: for the form
    short: str  # short: a column head and a chart's legend
    day: datetime.date
    group: str  # what it is compared within: a framework's slug
    group_name: str


@dataclass(frozen=True)
class PersonOptions:
    measurements: tuple[Option, ...]
    visits: tuple[Option, ...]
    rounds: tuple[Option, ...]


def _measurement_option(assessment: SelfAssessment) -> Option:
    day = _day(assessment.finished_at or assessment.started_at)
    version = assessment.framework_version
    kind = assessment.get_kind_display()
    return Option(
        id=str(assessment.pk),
        label=f"{kind} {_dmy(day)} – {version}",
        short=f"{kind} {_dmy(day)}",
        day=day,
        group=version.framework.slug,
        group_name=version.framework.name,
    )


def _visit_option(visit: Observation) -> Option:
    kind = visit.get_kind_display() if visit.kind != ObservationKind.VISIT else _("Lesson visit")
    group = _("groep %(group)s") % {"group": visit.group}
    return Option(
        id=str(visit.pk),
        label=f"{_dmy(visit.date)} – {kind}: {group}, {visit.subject}",
        short=f"{_dmy(visit.date)} {group}",
        day=visit.date,
        group=visit.instrument.framework.slug,
        group_name=visit.instrument.framework.name,
    )


def _round_option(round_: FeedbackRound) -> Option:
    day = _day(round_.closed_at or round_.created_at)
    return Option(
        id=str(round_.pk),
        label=f"{round_.title} ({_dmy(day)})",
        short=f"{round_.title} {_dmy(day)}",
        day=day,
        group="",
        group_name="",
    )


def own_visits_for(*, actor: Actor) -> Any:
    """The actor's own lesson visits whose scores they may read: visible to them as the teacher, put forward."""
    return observations_visible_to(actor=actor).filter(
        teacher=actor.person, calibrates__isnull=True, state__in=PUT_FORWARD_STATES
    )


def person_options_for(*, actor: Actor) -> PersonOptions:
    """The actor's own finished measurements, put-forward lesson visits and closed 360° rounds (three queries)."""
    measurements = finished_assessments_for(actor=actor).select_related("framework_version__framework")
    visits = (
        own_visits_for(actor=actor)
        .select_related("instrument__framework")
        .only(
            "id",
            "date",
            "kind",
            "group",
            "subject",
            "instrument__number",
            "instrument__framework__slug",
            "instrument__framework__name",
        )
        .order_by("-date", "-submitted_at")
    )
    rounds = (
        round_list_for(actor=actor)
        .filter(state=RoundState.CLOSED)
        .only("id", "title", "closed_at", "created_at")
        .order_by("-closed_at", "-created_at")
    )
    return PersonOptions(
        measurements=tuple(_measurement_option(a) for a in measurements),
        visits=tuple(_visit_option(v) for v in visits),
        rounds=tuple(_round_option(r) for r in rounds),
    )


@dataclass
class Selection:
    """What the person chose to see: the parts, and which measurements, visits and rounds (ids, any order)."""

    sections: tuple[str, ...] = SECTIONS
    measurements: tuple[str, ...] = ()
    visits: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    notices: list[str] = field(default_factory=list)

    def shows(self, section: str) -> bool:
        return section in self.sections


# --- columns and compared rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One measurement, visit, appraisal or round in a comparison, oldest on the left; `key` is its chart key."""

    id: str
    label: str
    day: datetime.date
    key: str
    previous_key: str = ""  # the key of the column before ("" for the first)


@dataclass(frozen=True)
class Cell:
    value: float | None
    difference: float | None = None  # to the column before (None: the first column, or a value missing)
    text: str = ""  # for appraisals: the level's label


@dataclass
class Row:
    code: str
    name: str
    cells: list[Cell]
    children: list[Row] = field(default_factory=list)

    @property
    def values(self) -> list[float | None]:
        return [cell.value for cell in self.cells]


def _cells(values: Sequence[float | None], texts: Sequence[str] | None = None) -> list[Cell]:
    cells = []
    for index, value in enumerate(values):
        previous = values[index - 1] if index else None
        cells.append(Cell(value, _difference(value, previous), texts[index] if texts else ""))
    return cells


def _columns(options: Sequence[Option]) -> list[Column]:
    ordered = sorted(options, key=lambda option: (option.day, option.id))
    return [
        Column(o.id, o.short, o.day, SERIES_KEYS[n], SERIES_KEYS[n - 1] if n else "") for n, o in enumerate(ordered)
    ]


def _chosen(options: Sequence[Option], ids: Iterable[str]) -> list[Option]:
    wanted = set(ids)
    return [option for option in options if option.id in wanted]


def _by_group(options: Sequence[Option]) -> list[list[Option]]:
    """Options per comparison group (framework), the group of the newest option first."""
    groups: dict[str, list[Option]] = {}
    for option in sorted(options, key=lambda o: (o.day, o.id), reverse=True):
        groups.setdefault(option.group, []).append(option)
    return list(groups.values())


def _scale_max(version_ids: Iterable[Any], board_id: int) -> dict[Any, int]:
    """The top value of each version's scale (one query)."""
    top: dict[Any, int] = {}
    for version_id, value in ScaleLevel.objects.filter(board_id=board_id, version_id__in=list(version_ids)).values_list(
        "version_id", "value"
    ):
        top[version_id] = max(top.get(version_id, 0), value)
    return top


# --- measurements ----------------------------------------------------------------------------------------


@dataclass
class MeasurementGroup:
    """Chosen measurements of one framework, per domain and competence (matched by code across versions)."""

    slug: str
    name: str
    columns: list[Column]
    domains: list[Row]
    scale_max: int
    same_scale: bool


StructureRow = tuple[Any, str, str, int, str, str, int]  # version, code, name, position, domain code, name, position


def _structure_rows(version_ids: Iterable[Any], board_id: int) -> list[StructureRow]:
    """Every competence of the versions with its domain (one query)."""
    return list(
        Competence.objects.filter(board_id=board_id, version_id__in=list(version_ids)).values_list(
            "version_id", "code", "name", "position", "domain__code", "domain__name", "domain__position"
        )
    )


def _structure(
    version_order: Sequence[Any], rows: Sequence[StructureRow]
) -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """Domains (code, name) and their competences (code, name) in the newest version's order, codes found only
    in older versions after them; each named as in the newest version that has its code."""
    rank = {version_id: n for n, version_id in enumerate(version_order)}  # 0 = newest
    domains: dict[str, tuple[int, int, str]] = {}
    competences: dict[str, tuple[int, str, int, str]] = {}
    for version_id, code, name, position, domain_code, domain_name, domain_position in rows:
        if version_id not in rank:
            continue
        r = rank[version_id]
        if domain_code not in domains or r < domains[domain_code][0]:
            domains[domain_code] = (r, domain_position, domain_name)
        if code not in competences or r < competences[code][0]:
            competences[code] = (r, domain_code, position, name)
    per_domain: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, (_r, domain_code, _position, name) in sorted(
        competences.items(), key=lambda item: (item[1][0], item[1][2], item[0])
    ):
        per_domain[domain_code].append((code, name))
    ordered = sorted(domains.items(), key=lambda item: (item[1][0], item[1][1], item[0]))
    return [(code, info[2]) for code, info in ordered], per_domain


def measurements_for(*, actor: Actor, options: Sequence[Option]) -> list[MeasurementGroup]:
    """The chosen measurements (already the actor's own: `options` come from person_options_for), grouped by
    framework: the mean level per domain and per competence, each with the difference to the one before.
    A domain's mean is over every rated indicator of the domain, as on the dossier's profile. Four queries."""
    if not options:
        return []
    board_id = actor.board_pk
    ids = [UUID(option.id) for option in options]
    assessments = {
        str(a.pk): a.framework_version_id
        for a in SelfAssessment.objects.filter(board_id=board_id, person=actor.person, pk__in=ids).only(
            "id", "framework_version_id"
        )
    }
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (assessment, competence) → sum, n
    domain_sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    ratings = (
        Rating.objects.filter(board_id=board_id, assessment_id__in=ids, level__isnull=False)
        .values_list("assessment_id", "indicator__competence__code", "indicator__competence__domain__code")
        .annotate(total=Sum("level__value"), n=Count("pk"))
        .order_by()
    )
    for assessment_id, code, domain_code, total, n in ratings:
        sums[(str(assessment_id), code)] = [total, n]
        domain_sums[(str(assessment_id), domain_code)][0] += total
        domain_sums[(str(assessment_id), domain_code)][1] += n
    versions = set(assessments.values())
    tops = _scale_max(versions, board_id)
    structure = _structure_rows(versions, board_id)
    groups = []
    for group in _by_group([o for o in options if o.id in assessments]):
        columns = _columns(group)
        newest_first = [assessments[c.id] for c in reversed(columns)]
        version_order = list(dict.fromkeys(newest_first))
        domain_list, per_domain = _structure(version_order, structure)
        rows = []
        for domain_code, domain_name in domain_list:
            children = [
                Row(
                    code,
                    name,
                    _cells([_mean(*sums[(c.id, code)]) if (c.id, code) in sums else None for c in columns]),
                )
                for code, name in per_domain.get(domain_code, [])
            ]
            values = [
                _mean(*domain_sums[(c.id, domain_code)]) if (c.id, domain_code) in domain_sums else None
                for c in columns
            ]
            rows.append(Row(domain_code, domain_name, _cells(values), children))
        group_tops = {tops.get(v, 0) for v in version_order}
        groups.append(
            MeasurementGroup(
                slug=group[0].group,
                name=group[0].group_name,
                columns=columns,
                domains=rows,
                scale_max=max(group_tops, default=0) or 1,
                same_scale=len(group_tops) <= 1,
            )
        )
    return groups


# --- lesson visits ---------------------------------------------------------------------------------------


@dataclass
class VisitGroup:
    """Chosen visits with one kijkwijzer: the mean score per domain per visit, by date."""

    slug: str
    name: str
    columns: list[Column]
    domains: list[Row]
    scale_max: int


def visits_for(*, actor: Actor, options: Sequence[Option]) -> list[VisitGroup]:
    """The chosen lesson visits (the actor's own, put forward), grouped by kijkwijzer: the mean score per domain
    per visit with the difference to the visit before; domains matched by code across versions. Four queries."""
    if not options:
        return []
    board_id = actor.board_pk
    ids = [UUID(option.id) for option in options]
    instruments = dict(own_visits_for(actor=actor).filter(pk__in=ids).values_list("id", "instrument_id"))
    instruments = {str(pk): version for pk, version in instruments.items()}
    sums: dict[tuple[str, str], tuple[int, int]] = {}
    scores = (
        ObservationScore.objects.filter(board_id=board_id, observation_id__in=ids, value__isnull=False)
        .values_list("observation_id", "item__domain__code")
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
    )
    for observation_id, domain_code, total, n in scores:
        sums[(str(observation_id), domain_code)] = (total, n)
    versions = set(instruments.values())
    names: dict[Any, dict[str, tuple[int, str]]] = defaultdict(dict)
    for version_id, code, name, position in Domain.objects.filter(
        board_id=board_id, version_id__in=list(versions)
    ).values_list("version_id", "code", "name", "position"):
        names[version_id][code] = (position, name)
    tops = _scale_max(versions, board_id)
    groups = []
    for group in _by_group([o for o in options if o.id in instruments]):
        columns = _columns(group)
        version_order = list(dict.fromkeys(instruments[c.id] for c in reversed(columns)))
        domains: dict[str, tuple[int, int, str]] = {}
        for rank, version_id in enumerate(version_order):
            for code, (position, name) in names[version_id].items():
                domains.setdefault(code, (rank, position, name))
        rows = [
            Row(
                code,
                name,
                _cells([_mean(*sums[(c.id, code)]) if (c.id, code) in sums else None for c in columns]),
            )
            for code, (_rank, _position, name) in sorted(domains.items(), key=lambda i: (i[1][0], i[1][1], i[0]))
        ]
        groups.append(
            VisitGroup(
                slug=group[0].group,
                name=group[0].group_name,
                columns=columns,
                domains=rows,
                scale_max=max((tops.get(v, 0) for v in version_order), default=0) or 1,
            )
        )
    return groups


# --- appraisals ------------------------------------------------------------------------------------------


@dataclass
class AppraisalBlock:
    """The latest appraisals the person may read, oldest left: the level per criterion, and the overall one."""

    columns: list[Column]
    criteria: list[Row]
    overall: list[str]
    scale: list[tuple[int, str]]
    scale_max: int
    more: bool  # older appraisals exist that are not shown


def appraisals_for(*, actor: Actor) -> AppraisalBlock:
    """The actor's own appraisals from the moment they are put forward to them (as on the conversation page),
    the latest MAX_APPRAISALS by date; criteria matched across years by the criterion. Three queries."""
    board_id = actor.board_pk
    own = conversations_visible_to(actor=actor).filter(employee=actor.person, kind=ConversationKind.APPRAISAL)
    appraisals = list(
        Appraisal.objects.filter(board_id=board_id, conversation__in=own.values("pk"), state__in=SHOWN_TO_EMPLOYEE)
        .select_related("conversation", "overall_level")
        .order_by("-conversation__scheduled_at", "-pk")[: MAX_APPRAISALS + 1]
    )
    more = len(appraisals) > MAX_APPRAISALS
    appraisals = list(reversed(appraisals[:MAX_APPRAISALS]))
    columns = []
    for n, appraisal in enumerate(appraisals):
        day = _day(appraisal.conversation.scheduled_at)
        label = f"{school_year_label(appraisal.conversation.school_year)} ({_dmy(day)})"
        columns.append(Column(str(appraisal.pk), label, day, SERIES_KEYS[n], SERIES_KEYS[n - 1] if n else ""))
    ratings: dict[tuple[str, int], AppraisalRating] = {}
    criteria: dict[int, tuple[int, int, str]] = {}  # criterion → (newest column, position, name)
    for rating in AppraisalRating.objects.filter(
        board_id=board_id, appraisal_id__in=[a.pk for a in appraisals]
    ).select_related("criterion", "level"):
        column = next(n for n, a in enumerate(appraisals) if a.pk == rating.appraisal_id)
        ratings[(str(rating.appraisal_id), rating.criterion_id)] = rating
        name = rating.criterion_name or rating.criterion.name  # as it was put forward
        if rating.criterion_id not in criteria or column >= criteria[rating.criterion_id][0]:
            criteria[rating.criterion_id] = (column, rating.criterion.position, name)
    rows = []
    for criterion_id, (_column, _position, name) in sorted(criteria.items(), key=lambda i: (i[1][1], i[0])):
        found = [ratings.get((c.id, criterion_id)) for c in columns]
        values: list[float | None] = [float(r.level.value) if r and r.level else None for r in found]
        texts = [(r.level_label or (r.level.label if r.level else "")) if r else "" for r in found]
        rows.append(Row(str(criterion_id), name, _cells(values, texts)))
    overall = [a.overall_level_label or (a.overall_level.label if a.overall_level else "") for a in appraisals]
    scale = list(
        AppraisalLevel.objects.filter(board_id=board_id, archived_at__isnull=True)
        .order_by("value")
        .values_list("value", "label")
    )
    top = max([value for value, _label in scale] + [int(v) for r in rows for v in r.values if v is not None] + [1])
    return AppraisalBlock(columns=columns, criteria=rows, overall=overall, scale=scale, scale_max=top, more=more)


# --- 360° feedback ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackLine:
    """One competence of one round: the self-rating and others' mean over the groups the report shows."""

    code: str
    name: str
    self_value: float | None
    others: float | None
    others_count: int
    withheld: str  # the report's "not shown: …" groups, when any

    @property
    def gap(self) -> float | None:
        """Others' mean minus the self-rating (positive: others rate higher than the person does)."""
        return _difference(self.others, self.self_value)


@dataclass
class RoundBlock:
    column: Column
    lines: list[FeedbackLine]
    threshold: int
    scale_max: int

    @property
    def shows_others(self) -> bool:
        return any(line.others is not None for line in self.lines)


@dataclass
class FeedbackBlock:
    rounds: list[RoundBlock]
    competences: list[Row]  # per competence: per round the others' mean (the change from round to round)

    @property
    def columns(self) -> list[Column]:
        return [block.column for block in self.rounds]


def _feedback_lines(report: Report) -> list[FeedbackLine]:
    """Per competence: the self figure, and the mean of the figures the report shows for others (its groups,
    the pooled "others", named managers), weighted by their answers. Only what the report shows is used, so
    nothing withheld there can be computed from this (a mean over all raters is never made)."""
    lines = []
    for item in report.competences:
        self_value = next((f.average for f in item.figures if f.kind == "self"), None)
        others = [f for f in item.figures if f.kind != "self"]
        count = sum(f.count for f in others)
        mean = sum(f.average * f.count for f in others) / count if count else None
        lines.append(
            FeedbackLine(
                code=item.competence.code,
                name=item.competence.name,
                self_value=self_value,
                others=mean,
                others_count=count,
                withheld=item.withheld.labels if item.withheld else "",
            )
        )
    return lines


def feedback_for(*, actor: Actor, options: Sequence[Option]) -> FeedbackBlock:
    """The chosen closed rounds of the actor (at most MAX_ROUNDS), each through its report: the self-rating
    against others' mean per competence, and others' mean per competence across the rounds."""
    if not options:
        return FeedbackBlock(rounds=[], competences=[])
    ids = [UUID(option.id) for option in options[:MAX_ROUNDS]]
    rounds = {str(r.pk): r for r in round_list_for(actor=actor).filter(state=RoundState.CLOSED, pk__in=ids)}
    columns = _columns([o for o in options[:MAX_ROUNDS] if o.id in rounds])
    blocks = []
    for column in columns:
        report = report_for(round_=rounds[column.id])
        blocks.append(
            RoundBlock(
                column=column, lines=_feedback_lines(report), threshold=report.threshold, scale_max=report.max_value
            )
        )
    names: dict[str, str] = {}
    for block in reversed(blocks):  # the newest round's names first
        for line in block.lines:
            names.setdefault(line.code, line.name)
    order = list(dict.fromkeys(line.code for block in reversed(blocks) for line in block.lines))
    per_round = [{line.code: line for line in block.lines} for block in blocks]
    competences = []
    for code in order:
        found = [lines.get(code) for lines in per_round]
        competences.append(Row(code, names[code], _cells([line.others if line else None for line in found])))
    return FeedbackBlock(rounds=blocks, competences=competences)


# --- POP goals -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenGoal:
    id: str
    title: str
    phase: str
    phase_label: str
    due_date: datetime.date | None
    plan_id: str
    plan_title: str


@dataclass
class GoalsBlock:
    years: list[tuple[str, int]]  # (school year, goals done in it), from the first year with a goal to now
    open_goals: list[OpenGoal]
    open_count: int

    @property
    def done_count(self) -> int:
        return sum(count for _label, count in self.years)


def goals_for(*, actor: Actor) -> GoalsBlock:
    """The actor's POP goals done per school year (by the day they were moved to done) and the open ones."""
    board_id = actor.board_pk
    own = Goal.objects.filter(board_id=board_id, plan__person=actor.person)
    summary = own.aggregate(open=Count("pk", filter=~Q(phase=Phase.DONE)), first=Min("created_at"))
    done: dict[int, int] = defaultdict(int)
    for changed_at, created_at in own.filter(phase=Phase.DONE).values_list("phase_changed_at", "created_at"):
        done[school_year_of(_day(changed_at or created_at))] += 1
    starts = [school_year_of(_day(summary["first"]))] if summary["first"] is not None else []
    starts += list(done)
    years: list[tuple[str, int]] = []
    if starts:
        last = max([school_year_of(timezone.localdate()), *done])
        years = [(school_year_label(year), done.get(year, 0)) for year in range(min(starts), last + 1)]
    open_goals = [
        OpenGoal(
            id=str(goal.pk),
            title=goal.title,
            phase=goal.phase,
            phase_label=str(Phase(goal.phase).label),
            due_date=goal.due_date,
            plan_id=str(goal.plan_id),
            plan_title=goal.plan.title,
        )
        for goal in own.exclude(phase=Phase.DONE)
        .select_related("plan")
        .order_by("due_date", "created_at")[:OPEN_GOALS_LISTED]
    ]
    return GoalsBlock(years=years, open_goals=open_goals, open_count=summary["open"])


# --- e-learning ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRow:
    title: str
    completed_on: datetime.date
    score_percent: int
    version_number: int
    offered_by: str


@dataclass
class LearningBlock:
    completions: list[CompletionRow]  # newest first
    years: list[tuple[str, int]]  # (school year, modules completed), first year to now


def learning_for(*, actor: Actor) -> LearningBlock:
    """The actor's completed e-learning modules at the board (as recorded when passed), newest first."""
    rows = [
        CompletionRow(
            title=c.title,
            completed_on=_day(c.completed_at),
            score_percent=c.score_percent,
            version_number=c.version_number,
            offered_by=c.offered_by,
        )
        for c in Completion.objects.filter(board_id=actor.board_pk, person=actor.person)
        .only("title", "completed_at", "score_percent", "version_number", "offered_by")
        .order_by("-completed_at")
    ]
    per_year: dict[int, int] = defaultdict(int)
    for row in rows:
        per_year[school_year_of(row.completed_on)] += 1
    years: list[tuple[str, int]] = []
    if per_year:
        first, last = min(per_year), max([*per_year, school_year_of(timezone.localdate())])
        years = [(school_year_label(year), per_year.get(year, 0)) for year in range(first, last + 1)]
    return LearningBlock(completions=rows, years=years)


# --- the whole page --------------------------------------------------------------------------------------


@dataclass
class PersonView:
    selection: Selection
    options: PersonOptions
    measurements: list[MeasurementGroup] | None = None
    appraisals: AppraisalBlock | None = None
    visits: list[VisitGroup] | None = None
    feedback: FeedbackBlock | None = None
    goals: GoalsBlock | None = None
    learning: LearningBlock | None = None
    low_scores: list[Any] = field(default_factory=list)


def person_view_for(*, actor: Actor, options: PersonOptions, selection: Selection) -> PersonView:
    """Every chosen part of Mijn ontwikkeling for the actor; `selection` holds only ids of `options`."""
    view = PersonView(selection=selection, options=options)
    if selection.shows(MEASUREMENTS):
        view.measurements = measurements_for(actor=actor, options=_chosen(options.measurements, selection.measurements))
    if selection.shows(APPRAISALS):
        view.appraisals = appraisals_for(actor=actor)
    if selection.shows(VISITS):
        view.visits = visits_for(actor=actor, options=_chosen(options.visits, selection.visits))
    if selection.shows(FEEDBACK):
        view.feedback = feedback_for(actor=actor, options=_chosen(options.rounds, selection.rounds))
    if selection.shows(GOALS):
        view.goals = goals_for(actor=actor)
    if selection.shows(LEARNING):
        view.learning = learning_for(actor=actor)
    if selection.shows(ATTENTION):
        view.low_scores = list(loop.low_scores_for(actor=actor))  # the loop part's (insights.selectors.loop)
    return view
