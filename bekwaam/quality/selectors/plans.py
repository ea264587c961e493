"""Reads of verbeterplannen: one plan with its goals, actions and checks, the lists, owners, and proposals.

Seeing a plan is "quality.view_school" on its school, or "quality.view_board" for the board's own plans
(school None); changing it is "quality.edit_school" / "quality.edit_board_level" (the services check it
again). Every getter answers 404 for a plan the actor may not see, of their board or another.

A plan judges against one onderzoekskader version: its source's (a self-evaluation's or inspection's
framework, or the version of the standards a school visit named), else the version in force today.
Goals link standards of that version and of the plan's level (school standards, or BKA for the board).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

import rules
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bekwaam.accounts.models import Person
from bekwaam.quality.models import (
    ACTION_MACHINE,
    ActionCheck,
    ActionPhase,
    EvaluationState,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    InspectionFramework,
    InspectionJudgement,
    InspectionStandardJudgement,
    InspectionVisit,
    JudgementLevel,
    Level,
    PlanState,
    RepairOrder,
    SchoolVisit,
    SelfEvaluation,
    Standard,
    StandardAssessment,
)
from bekwaam.quality.selectors import framework_valid_on
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment, Role, RoleGrant, School

# Inspection judgements that ask for improvement (REFERENCE.md 4.3: zeer zwak is below the legal norm).
WEAK_JUDGEMENTS = (InspectionJudgement.INSUFFICIENT, InspectionJudgement.VERY_WEAK)
BOARD = "board"


# --- who may -------------------------------------------------------------------------------------------


def plan_may_view(actor: Actor, school: School | None) -> bool:
    """The quality rules for seeing a school's plans, or (None) the board's own."""
    if school is None:
        return bool(rules.test_rule("quality.view_board", actor))
    return bool(rules.test_rule("quality.view_school", actor, school))


def plan_may_edit(actor: Actor, school: School | None) -> bool:
    """The quality rules for writing a school's plans, or (None) the board's own."""
    if school is None:
        return bool(rules.test_rule("quality.edit_board_level", actor))
    return bool(rules.test_rule("quality.edit_school", actor, school))


def _visible(actor: Actor, school: School | None) -> None:
    if not plan_may_view(actor, school):
        raise Http404


# --- one record ----------------------------------------------------------------------------------------


def plan_get_for(*, actor: Actor, plan_id: UUID) -> ImprovementPlan:
    """A plan of the actor's board they may see; 404 otherwise."""
    plan = (
        ImprovementPlan.objects.filter(board_id=actor.board_pk, pk=plan_id)
        .select_related(
            "school",
            "created_by",
            "source_evaluation__framework",
            "source_inspection__framework",
            "source_school_visit",
        )
        .first()
    )
    if plan is None:
        raise Http404
    _visible(actor, plan.school)
    return plan


def goal_get_for(*, actor: Actor, goal_id: int) -> ImprovementGoal:
    """A goal of a plan the actor may see; 404 otherwise."""
    goal = (
        ImprovementGoal.objects.filter(board_id=actor.board_pk, pk=goal_id)
        .select_related("plan__school", "plan__source_evaluation__framework", "plan__source_inspection__framework")
        .first()
    )
    if goal is None:
        raise Http404
    _visible(actor, goal.plan.school)
    return goal


def action_get_for(*, actor: Actor, action_id: UUID) -> ImprovementAction:
    """An action of a plan the actor may see; 404 otherwise."""
    action = (
        ImprovementAction.objects.filter(board_id=actor.board_pk, pk=action_id)
        .select_related("goal__plan__school", "owner")
        .first()
    )
    if action is None:
        raise Http404
    _visible(actor, action.goal.plan.school)
    return action


# --- the plan's framework, standards and owners ----------------------------------------------------------


def plan_framework(plan: ImprovementPlan) -> InspectionFramework | None:
    """The onderzoekskader the plan's goals link standards of: its source's, else the one in force today."""
    if plan.source_evaluation is not None:
        return plan.source_evaluation.framework
    if plan.source_inspection is not None:
        return plan.source_inspection.framework
    if plan.source_school_visit is not None:
        return school_visit_framework(plan.source_school_visit)
    return framework_today()


def school_visit_framework(visit: SchoolVisit) -> InspectionFramework | None:
    """The version of the standards a school visit named (a visit has no version of its own)."""
    linked = Standard.objects.filter(pk__in=visit.standards.values("pk")).select_related("framework").first()
    return linked.framework if linked is not None else framework_today()


def framework_today() -> InspectionFramework | None:
    return framework_valid_on(timezone.localdate())


def plan_level(school: School | None) -> str:
    return Level.SCHOOL if school is not None else Level.BOARD


def plan_standards_for(
    *, framework: InspectionFramework | None, school: School | None, keep: Iterable[int] = ()
) -> list[Standard]:
    """The standards a goal may link: the version's standards of the plan's level, plus those already linked."""
    where = Q(pk__in=list(keep))
    if framework is not None:
        where |= Q(framework=framework, area__level=plan_level(school))
    return list(
        Standard.objects.filter(where)
        .select_related("area", "framework")
        .order_by("-framework__valid_from", "area__position", "position", "code")
    )


def _active(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def owner_choices_for(*, board_id: int, school: School | None, keep: Person | None = None) -> list[Person]:
    """Who may own an action: the school's people with an active employment and the board's quality staff.

    For the board's own plan: the bestuur (bestuurders) and the quality staff. `keep` (the current owner)
    stays a choice after their employment ended, so an action can be edited without reassigning it.
    """
    quality_staff = RoleGrant.objects.filter(board_id=board_id, role=Role.QUALITY_OFFICER).values("person_id")
    where = Q(pk__in=quality_staff)
    if school is not None:
        where |= Q(pk__in=Employment.objects.filter(_active(), board_id=board_id, school=school).values("person_id"))
    else:
        where |= Q(pk__in=RoleGrant.objects.filter(board_id=board_id, role=Role.BOARD_MEMBER).values("person_id"))
    where &= Q(is_active=True)
    if keep is not None:
        where |= Q(pk=keep.pk)
    return list(Person.objects.filter(where).order_by("family_name", "given_name", "pk"))


# --- one plan's page -------------------------------------------------------------------------------------


def action_is_overdue(action: ImprovementAction, today: datetime.date | None = None) -> bool:
    """Overdue: the deadline has passed and the action is not done."""
    return action.deadline < (today or timezone.localdate()) and action.phase != ActionPhase.DONE


@dataclass
class ActionRow:
    action: ImprovementAction
    checks: list[ActionCheck]
    overdue: bool
    moves: list[tuple[str, str]]  # (machine action, label) possible from the current phase

    @property
    def steps(self) -> list[dict[str, str]]:
        """The PDCA phases in order, each passed, current or to come (for the stepper)."""
        order = list(ActionPhase.values)
        here = order.index(self.action.phase)
        return [
            {
                "phase": phase,
                "label": str(ActionPhase(phase).label),
                "state": "passed" if index < here else "current" if index == here else "todo",
            }
            for index, phase in enumerate(order)
        ]


@dataclass
class GoalRow:
    goal: ImprovementGoal
    standards: list[Standard]
    actions: list[ActionRow]

    @property
    def deletable(self) -> bool:
        """A goal goes only while none of its actions has recorded evidence."""
        return not any(row.checks for row in self.actions)


@dataclass
class PlanDetail:
    plan: ImprovementPlan
    framework: InspectionFramework | None
    goals: list[GoalRow]
    may_edit: bool
    action_count: int = 0
    done_count: int = 0
    overdue_count: int = 0


# Moving to check (what was checked?) and to done (what shows it is done?) needs a dated note.
MOVES_NEEDING_A_NOTE = frozenset({"check", "complete"})


def action_moves(phase: str) -> list[tuple[str, str]]:
    return [(move, str(ACTION_MACHINE.action_labels[move])) for move in ACTION_MACHINE.actions_from(phase)]


def plan_detail_for(*, actor: Actor, plan: ImprovementPlan) -> PlanDetail:
    """The plan with its goals, their standards, actions and checks, in a fixed number of queries."""
    today = timezone.localdate()
    checks = ActionCheck.objects.select_related("document", "recorded_by").order_by("checked_on", "pk")
    actions = ImprovementAction.objects.select_related("owner").prefetch_related(Prefetch("checks", queryset=checks))
    goals = (
        ImprovementGoal.objects.filter(board_id=plan.board_id, plan=plan)
        .prefetch_related(
            Prefetch("standards", queryset=Standard.objects.order_by("area__position", "position", "code")),
            Prefetch("actions", queryset=actions.order_by("deadline", "created_at", "pk")),
        )
        .order_by("position", "pk")
    )
    rows: list[GoalRow] = []
    detail = PlanDetail(
        plan=plan, framework=plan_framework(plan), goals=rows, may_edit=plan_may_edit(actor, plan.school)
    )
    for goal in goals:
        action_rows = []
        for action in goal.actions.all():
            overdue = action_is_overdue(action, today)
            action_rows.append(ActionRow(action, list(action.checks.all()), overdue, action_moves(action.phase)))
            detail.action_count += 1
            detail.done_count += action.phase == ActionPhase.DONE
            detail.overdue_count += overdue
        rows.append(GoalRow(goal=goal, standards=list(goal.standards.all()), actions=action_rows))
    return detail


# --- lists -----------------------------------------------------------------------------------------------


def visible_school_ids(actor: Actor) -> list[int] | None:
    """The schools whose plans the actor sees: None for all (board viewers), else the schools they lead."""
    if rules.test_rule("quality.view_board", actor):
        return None
    schools = School.objects.filter(board_id=actor.board_pk, pk__in=actor.managed_school_ids)
    return [school.pk for school in schools if rules.test_rule("quality.view_school", actor, school)]


def plan_list_for(*, actor: Actor, school: School | str | None = None, state: str = "") -> QuerySet[ImprovementPlan]:
    """Plans the actor may see, newest first, with their numbers of goals, actions and overdue actions.

    `school`: a School for that school's plans, BOARD for the board's own, None for all the actor sees.
    """
    today = timezone.localdate()
    plans = ImprovementPlan.objects.filter(board_id=actor.board_pk)
    ids = visible_school_ids(actor)
    if ids is not None:
        plans = plans.filter(school_id__in=ids)
    if school == BOARD:
        plans = plans.filter(school__isnull=True)
    elif isinstance(school, School):
        plans = plans.filter(school=school)
    if state in PlanState.values:
        plans = plans.filter(state=state)
    return (
        plans.select_related("school")
        .annotate(
            goal_count=Count("goals", distinct=True),
            action_count=Count("goals__actions", distinct=True),
            overdue_count=Count(
                "goals__actions",
                filter=Q(goals__actions__deadline__lt=today) & ~Q(goals__actions__phase=ActionPhase.DONE),
                distinct=True,
            ),
        )
        .order_by("-created_at", "pk")
    )


def recordable_schools_for(*, actor: Actor) -> list[School]:
    """The schools of the board the actor may write plans for."""
    schools = School.objects.filter(board_id=actor.board_pk).order_by("name")
    return [school for school in schools if rules.test_rule("quality.edit_school", actor, school)]


def viewable_schools_for(*, actor: Actor) -> list[School]:
    schools = School.objects.filter(board_id=actor.board_pk).order_by("name")
    ids = visible_school_ids(actor)
    return [school for school in schools if ids is None or school.pk in ids]


def actions_for_export(*, actor: Actor, school: School | None = None) -> QuerySet[ImprovementAction]:
    """Every action of the plans the actor sees (of one school, when given), with what the export shows.

    Goals' standards are prefetched and each action's latest check is annotated: a fixed number of queries.
    """
    actions = ImprovementAction.objects.filter(board_id=actor.board_pk)
    if school is not None:
        actions = actions.filter(goal__plan__school=school)
    else:
        ids = visible_school_ids(actor)
        if ids is not None:
            actions = actions.filter(goal__plan__school_id__in=ids)
    latest = ActionCheck.objects.filter(action=OuterRef("pk")).order_by("-checked_on", "-pk")
    return (
        actions.select_related("goal__plan__school", "owner")
        .prefetch_related(
            Prefetch("goal__standards", queryset=Standard.objects.order_by("area__position", "position", "code"))
        )
        .annotate(
            has_checks=Exists(latest),
            last_checked_on=latest.values("checked_on")[:1],
            last_check_text=latest.values("text")[:1],
        )
        .order_by("goal__plan__school__name", "goal__plan__created_at", "goal__position", "deadline", "pk")
    )


# --- where a plan comes from, and the goals it proposes ----------------------------------------------------


@dataclass(frozen=True)
class GoalProposal:
    """A goal offered when a plan starts from a record; `key` identifies it in the form."""

    key: str
    title: str
    description: str
    standard_ids: tuple[int, ...]
    checked: bool = True


@dataclass
class PlanSource:
    """The record a plan starts from: a self-evaluation, an inspection visit or a school visit."""

    kind: str  # "evaluation" | "inspection" | "visit"
    record: SelfEvaluation | InspectionVisit | SchoolVisit
    proposals: list[GoalProposal] = field(default_factory=list)

    @property
    def school(self) -> School | None:
        return self.record.school

    @property
    def school_id(self) -> int | None:
        return self.record.school_id

    @property
    def framework(self) -> InspectionFramework | None:
        if isinstance(self.record, SchoolVisit):
            return school_visit_framework(self.record)
        return self.record.framework

    @property
    def label(self) -> str:
        """What the plan was started from, in words."""
        record = self.record
        day = date_format(record.date)
        if isinstance(record, SelfEvaluation):
            return _("the self-evaluation “%(title)s” of %(date)s") % {"title": record.title, "date": day}
        if isinstance(record, InspectionVisit):
            return _("the inspection visit of %(date)s") % {"date": day}
        return _("the school visit of %(date)s") % {"date": day}


def plan_source_of(plan: ImprovementPlan) -> PlanSource | None:
    """The plan's source as a PlanSource (without proposals), or None."""
    if plan.source_evaluation is not None:
        return PlanSource("evaluation", plan.source_evaluation)
    if plan.source_inspection is not None:
        return PlanSource("inspection", plan.source_inspection)
    if plan.source_school_visit is not None:
        return PlanSource("visit", plan.source_school_visit)
    return None


def plan_source_get_for(
    *, actor: Actor, evaluation_id: UUID | None = None, inspection_id: UUID | None = None, visit_id: UUID | None = None
) -> PlanSource:
    """The record a new plan starts from, with its proposed goals; 404 for one the actor may not see."""
    record: SelfEvaluation | InspectionVisit | SchoolVisit | None
    if evaluation_id is not None:
        record = (
            SelfEvaluation.objects.filter(board_id=actor.board_pk, pk=evaluation_id)
            .select_related("school", "framework")
            .first()
        )
        kind = "evaluation"
    elif inspection_id is not None:
        record = (
            InspectionVisit.objects.filter(board_id=actor.board_pk, pk=inspection_id)
            .select_related("school", "framework")
            .first()
        )
        kind = "inspection"
    elif visit_id is not None:
        record = SchoolVisit.objects.filter(board_id=actor.board_pk, pk=visit_id).select_related("school").first()
        kind = "visit"
    else:
        raise Http404
    if record is None:
        raise Http404
    _visible(actor, record.school)
    source = PlanSource(kind, record)
    source.proposals = goal_proposals_for(source=source)
    return source


def lowest_levels(board_id: int) -> list[JudgementLevel]:
    """The levels below the middle of the board's scale: onvoldoende on the default three-level scale.

    On a four- or five-level scale the two lowest; never none (a two-level scale gives its lowest).
    Archived levels count: old judgements still use them.
    """
    levels = list(JudgementLevel.objects.filter(board_id=board_id).order_by("value"))
    return levels[: max(1, len(levels) // 2)]


def goal_proposals_for(*, source: PlanSource) -> list[GoalProposal]:
    """The goals a source suggests, in the onderzoekskader's order.

    Self-evaluation: one per standard judged at the lowest level(s) of the board's scale. Inspection: one
    per herstelopdracht and one per standard judged onvoldoende or zeer zwak. School visit: one per
    standard it named, not ticked (a visit names standards it looked at, not only weak ones).
    """
    record = source.record
    if isinstance(record, SelfEvaluation):
        return _evaluation_proposals(record)
    if isinstance(record, InspectionVisit):
        return _inspection_proposals(record)
    return [
        GoalProposal(
            key=f"s{standard.pk}",
            title=_("Improve %(code)s %(name)s") % {"code": standard.code, "name": standard.name},
            description=_("Found at the school visit of %(date)s.") % {"date": date_format(record.date)},
            standard_ids=(standard.pk,),
            checked=False,
        )
        for standard in record.standards.order_by("area__position", "position", "code")
    ]


def _evaluation_proposals(evaluation: SelfEvaluation) -> list[GoalProposal]:
    if evaluation.state != EvaluationState.FINAL:
        return []
    low = [level.pk for level in lowest_levels(evaluation.board_id)]
    assessments = (
        StandardAssessment.objects.filter(evaluation=evaluation, level_id__in=low)
        .select_related("standard", "level")
        .order_by("standard__area__position", "standard__position", "standard__code")
    )
    proposals = []
    for assessment in assessments:
        standard = assessment.standard
        description = _("Judged “%(level)s” in “%(evaluation)s” of %(date)s.") % {
            "level": assessment.level.label if assessment.level else "",
            "evaluation": evaluation.title,
            "date": date_format(evaluation.date),
        }
        if assessment.substantiation:
            description = f"{description}\n\n{assessment.substantiation}"
        proposals.append(
            GoalProposal(
                key=f"a{assessment.pk}",
                title=_("Improve %(code)s %(name)s") % {"code": standard.code, "name": standard.name},
                description=description,
                standard_ids=(standard.pk,),
            )
        )
    return proposals


def _inspection_proposals(visit: InspectionVisit) -> list[GoalProposal]:
    proposals = []
    orders = (
        RepairOrder.objects.filter(visit=visit)
        .select_related("standard")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
    for order in orders:
        text = order.description.strip()
        title = _("Herstelopdracht: %(text)s") % {"text": text}
        description = text
        if order.deadline:
            description += "\n\n" + _("To be resolved by %(date)s.") % {"date": date_format(order.deadline)}
        proposals.append(
            GoalProposal(
                key=f"r{order.pk}",
                title=title if len(title) <= 300 else title[:299] + "…",
                description=description,
                standard_ids=(order.standard_id,) if order.standard_id else (),
            )
        )
    judgements = (
        InspectionStandardJudgement.objects.filter(visit=visit, judgement__in=WEAK_JUDGEMENTS)
        .select_related("standard")
        .order_by("standard__area__position", "standard__position", "standard__code")
    )
    for judgement in judgements:
        standard = judgement.standard
        description = _("The inspectie judged this standard “%(judgement)s” on %(date)s.") % {
            "judgement": InspectionJudgement(judgement.judgement).label,
            "date": date_format(visit.date),
        }
        if judgement.note:
            description = f"{description}\n\n{judgement.note}"
        proposals.append(
            GoalProposal(
                key=f"j{judgement.pk}",
                title=_("Improve %(code)s %(name)s") % {"code": standard.code, "name": standard.name},
                description=description,
                standard_ids=(standard.pk,),
            )
        )
    return proposals
