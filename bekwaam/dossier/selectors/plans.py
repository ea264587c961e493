"""Reads for the POP: plans, goals with their PDCA history, actions, comments, and what is overdue.

Overdue (issue 3, "the dossier overview shows … what is overdue"): a goal whose target date has
passed while it is not done, and an action whose date has passed while it is not done. "Passed"
means before today in the board's time zone (timezone.localdate()); a goal due today is not overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bekwaam.dossier.models import (
    PHASE_TRANSITIONS,
    Action,
    AssessmentStatus,
    DevelopmentPlan,
    Goal,
    GoalComment,
    GoalPhaseChange,
    Phase,
    Rating,
    SelfAssessment,
)
from bekwaam.dossier.selectors import framework_version_for, own_item_get_for
from bekwaam.frameworks.models import Competence, FrameworkKind
from bekwaam.tenancy.context import Actor

# The PDCA steps in the order the stepper shows them.
PHASE_ORDER: tuple[str, ...] = (Phase.PLAN, Phase.DO, Phase.CHECK, Phase.ACT, Phase.DONE)
OVERVIEW_PLANS = 3  # the newest plans on the overview card
OVERVIEW_OVERDUE = 8  # overdue goals and actions listed on the card (the count says how many in all)
PROPOSALS = 6  # competences offered when a plan starts from a measurement
PROPOSALS_CHECKED = 3  # of which the lowest are ticked to begin with


def overdue_goals_q(today: datetime.date, prefix: str = "") -> Q:
    """Goals past their target date and not done (prefix e.g. "goals__" from a plan)."""
    return Q(**{f"{prefix}due_date__lt": today}) & ~Q(**{f"{prefix}phase": Phase.DONE})


def overdue_actions_q(today: datetime.date, prefix: str = "") -> Q:
    """Actions past their date and not done."""
    return Q(**{f"{prefix}due_date__lt": today, f"{prefix}done_at__isnull": True})


def next_phases_for(phase: str) -> tuple[tuple[str, str], ...]:
    """(value, label) of the phases a goal in `phase` may move to, in PDCA order."""
    allowed = PHASE_TRANSITIONS.get(phase, frozenset())
    return tuple((step, str(Phase(step).label)) for step in PHASE_ORDER if step in allowed)


def goal_is_overdue(goal: Goal, *, today: datetime.date) -> bool:
    return goal.due_date is not None and goal.due_date < today and goal.phase != Phase.DONE


def action_is_overdue(action: Action, *, today: datetime.date) -> bool:
    return action.due_date is not None and action.due_date < today and action.done_at is None


# --- own items -------------------------------------------------------------------------------------


def current_plan_for(*, actor: Actor) -> DevelopmentPlan | None:
    """The actor's own plan that runs today (the latest started, when several do), or None."""
    today = timezone.localdate()
    return (
        DevelopmentPlan.objects.filter(board_id=actor.board_pk, person=actor.person, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .order_by("-starts_on", "-created_at")
        .first()
    )


def plan_list_for(*, actor: Actor) -> QuerySet[DevelopmentPlan]:
    """The actor's own plans, newest first, with counts of goals, done goals and overdue goals and actions."""
    today = timezone.localdate()
    return (
        DevelopmentPlan.objects.filter(board_id=actor.board_pk, person=actor.person)
        .select_related("source_assessment")
        .annotate(
            goal_count=Count("goals", distinct=True),
            done_goal_count=Count("goals", filter=Q(goals__phase=Phase.DONE), distinct=True),
            overdue_goal_count=Count("goals", filter=overdue_goals_q(today, "goals__"), distinct=True),
            overdue_action_count=Count(
                "goals__actions", filter=overdue_actions_q(today, "goals__actions__"), distinct=True
            ),
        )
        .order_by("-starts_on", "-created_at")
    )


def own_plan_get_for(*, actor: Actor, plan_id: UUID) -> DevelopmentPlan:
    """One of the actor's own plans (to change it); 404 for anybody else's, shared or not."""
    return own_item_get_for(actor=actor, model=DevelopmentPlan, item_id=plan_id)


def own_goal_get_for(*, actor: Actor, goal_id: UUID) -> Goal:
    """A goal of one of the actor's own plans; 404 for anybody else's, shared or not."""
    return get_object_or_404(
        Goal.objects.select_related("plan", "plan__source_assessment"),
        pk=goal_id,
        board_id=actor.board_pk,
        plan__person=actor.person,
    )


def own_action_get_for(*, actor: Actor, action_id: UUID) -> Action:
    """An action of one of the actor's own goals; 404 for anybody else's."""
    return get_object_or_404(
        Action.objects.select_related("goal"), pk=action_id, board_id=actor.board_pk, goal__plan__person=actor.person
    )


def finished_assessments_for(*, actor: Actor) -> QuerySet[SelfAssessment]:
    """The actor's finished measurements, newest first: where a plan can start from."""
    return (
        SelfAssessment.objects.filter(board_id=actor.board_pk, person=actor.person, status=AssessmentStatus.FINISHED)
        .select_related("framework_version__framework")
        .order_by("-finished_at")
    )


def plan_source_get_for(*, actor: Actor, assessment_id: str) -> SelfAssessment:
    """A finished measurement of the actor's own to start a plan from; 404 for anything else."""
    try:
        pk = UUID(assessment_id)
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(finished_assessments_for(actor=actor), pk=pk)


# --- competences a goal may be linked to -----------------------------------------------------------


def goal_version_ids_for(*, actor: Actor, source: SelfAssessment | None) -> set[UUID]:
    """The framework versions a goal's competences may come from: the actor's own, and the plan's source."""
    ids: set[UUID] = set()
    version = framework_version_for(actor=actor)
    if version is not None:
        ids.add(version.pk)
    if source is not None:
        ids.add(source.framework_version_id)
    return ids


def competence_choices_for(
    *, actor: Actor, source: SelfAssessment | None, goal: Goal | None = None
) -> QuerySet[Competence]:
    """Competences a goal of a plan (started from `source`, or not) may be linked to, in framework order;
    for an existing goal also those it is linked to already (of a version that is no longer the default)."""
    allowed = Q(version_id__in=goal_version_ids_for(actor=actor, source=source))
    if goal is not None:
        allowed |= Q(pk__in=goal.competences.values("pk"))
    return (
        Competence.objects.filter(allowed, board_id=actor.board_pk, version__framework__kind=FrameworkKind.COMPETENCES)
        .select_related("domain")
        .order_by("version_id", "domain__position", "position", "code")
    )


@dataclass(frozen=True)
class CompetenceProposal:
    competence: Competence
    average: float  # the mean level value the person gave the competence's indicators


def lowest_rated_competences_for(
    *, actor: Actor, assessment: SelfAssessment, limit: int = PROPOSALS
) -> list[CompetenceProposal]:
    """The competences the person rated lowest in the measurement (mean level of their rated indicators)."""
    rows = list(
        Rating.objects.filter(board_id=actor.board_pk, assessment=assessment, level__isnull=False)
        .values("indicator__competence_id")
        .annotate(average=Avg("level__value"))
        .order_by("average", "indicator__competence__domain__position", "indicator__competence__position")[:limit]
    )
    competences = Competence.objects.filter(
        board_id=actor.board_pk, pk__in=[row["indicator__competence_id"] for row in rows]
    ).in_bulk()
    return [
        CompetenceProposal(competence=competences[row["indicator__competence_id"]], average=float(row["average"]))
        for row in rows
        if row["indicator__competence_id"] in competences
    ]


# --- the plan page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseStep:
    phase: str
    label: str
    state: str  # "passed", "current" or "upcoming"


@dataclass(frozen=True)
class ActionRow:
    action: Action
    overdue: bool


@dataclass(frozen=True)
class GoalDetail:
    goal: Goal
    steps: tuple[PhaseStep, ...]
    cycle: int  # 1, or more after "act → plan" started a new round
    overdue: bool
    next_phases: tuple[tuple[str, str], ...]  # (value, label) the goal may move to
    competences: list[Competence]
    changes: list[GoalPhaseChange]
    actions: tuple[ActionRow, ...]
    comments: list[GoalComment]


@dataclass(frozen=True)
class PlanDetail:
    plan: DevelopmentPlan
    goals: tuple[GoalDetail, ...]
    overdue_count: int  # overdue goals plus overdue actions


def phase_steps(phase: str) -> tuple[PhaseStep, ...]:
    """The stepper: the steps before the goal's phase are passed, its own is current, the rest upcoming."""
    current = PHASE_ORDER.index(phase)
    return tuple(
        PhaseStep(
            phase=step,
            label=str(Phase(step).label),
            state="passed" if index < current else "current" if index == current else "upcoming",
        )
        for index, step in enumerate(PHASE_ORDER)
    )


def plan_detail_for(*, actor: Actor, plan: DevelopmentPlan, with_comments: bool) -> PlanDetail:
    """Goals with competences, history, actions and (when the reader may see them) comments, in a fixed
    number of queries however many goals, actions and changes the plan has."""
    today = timezone.localdate()
    prefetches: list[str | Prefetch[Any]] = [
        Prefetch("competences", queryset=Competence.objects.order_by("domain__position", "position", "code")),
        Prefetch("phase_changes", queryset=GoalPhaseChange.objects.select_related("changed_by")),
        Prefetch("actions", queryset=Action.objects.order_by("due_date", "created_at")),
    ]
    if with_comments:
        prefetches.append(Prefetch("comments", queryset=GoalComment.objects.select_related("author")))
    goals = list(Goal.objects.filter(board_id=actor.board_pk, plan=plan).prefetch_related(*prefetches))
    details = []
    overdue_count = 0
    for goal in goals:
        goal.plan = plan  # the rule checks read the plan through the goal: no query per goal
        actions = tuple(ActionRow(action=a, overdue=action_is_overdue(a, today=today)) for a in goal.actions.all())
        changes = list(goal.phase_changes.all())
        overdue = goal_is_overdue(goal, today=today)
        overdue_count += int(overdue) + sum(row.overdue for row in actions)
        details.append(
            GoalDetail(
                goal=goal,
                steps=phase_steps(goal.phase),
                cycle=1 + sum(1 for c in changes if c.from_phase == Phase.ACT and c.to_phase == Phase.PLAN),
                overdue=overdue,
                next_phases=next_phases_for(goal.phase),
                competences=list(goal.competences.all()),
                changes=changes,
                actions=actions,
                comments=list(goal.comments.all()) if with_comments else [],
            )
        )
    return PlanDetail(plan=plan, goals=tuple(details), overdue_count=overdue_count)


# --- the overview card -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSummary:
    goal: Goal
    overdue: bool


@dataclass(frozen=True)
class PlanSummary:
    plan: DevelopmentPlan
    goals: tuple[GoalSummary, ...]


@dataclass(frozen=True)
class PlanOverview:
    plans: tuple[PlanSummary, ...]
    plan_count: int
    overdue_goals: list[Goal]
    overdue_goal_count: int
    overdue_actions: list[Action]
    overdue_action_count: int

    @property
    def more_overdue(self) -> int:
        return self.overdue_goal_count + self.overdue_action_count - len(self.overdue_goals) - len(self.overdue_actions)


def plan_overview_for(*, actor: Actor) -> dict[str, Any]:
    """Context for the dossier overview's plans card (template dossier/_overview_plans.html): the newest
    plans with each goal's phase, and what is overdue across all plans, in a fixed number of queries."""
    today = timezone.localdate()
    own = DevelopmentPlan.objects.filter(board_id=actor.board_pk, person=actor.person)
    plans = list(own.order_by("-starts_on", "-created_at")[:OVERVIEW_PLANS])
    goals_by_plan: dict[UUID, list[GoalSummary]] = {plan.pk: [] for plan in plans}
    for goal in Goal.objects.filter(board_id=actor.board_pk, plan__in=plans):
        goals_by_plan[goal.plan_id].append(GoalSummary(goal=goal, overdue=goal_is_overdue(goal, today=today)))
    own_goals = Goal.objects.filter(board_id=actor.board_pk, plan__person=actor.person)
    own_actions = Action.objects.filter(board_id=actor.board_pk, goal__plan__person=actor.person)
    overdue_goals = own_goals.filter(overdue_goals_q(today)).select_related("plan").order_by("due_date", "created_at")
    overdue_actions = (
        own_actions.filter(overdue_actions_q(today)).select_related("goal__plan").order_by("due_date", "created_at")
    )
    counts = own.aggregate(
        plan_count=Count("pk", distinct=True),
        overdue_goal_count=Count("goals", filter=overdue_goals_q(today, "goals__"), distinct=True),
        overdue_action_count=Count(
            "goals__actions", filter=overdue_actions_q(today, "goals__actions__"), distinct=True
        ),
    )
    overview = PlanOverview(
        plans=tuple(PlanSummary(plan=plan, goals=tuple(goals_by_plan[plan.pk])) for plan in plans),
        plan_count=counts["plan_count"],
        overdue_goals=list(overdue_goals[:OVERVIEW_OVERDUE]),
        overdue_goal_count=counts["overdue_goal_count"],
        overdue_actions=list(overdue_actions[:OVERVIEW_OVERDUE]),
        overdue_action_count=counts["overdue_action_count"],
    )
    return {"plan_overview": overview}
