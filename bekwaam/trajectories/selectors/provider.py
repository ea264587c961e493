"""Reads of the aanbieder's side: its templates, the worklist of assessors and coaches, the staff trajectory page.

Everything here is the active aanbieder's (actor.provider_pk): a template or trajectory of another aanbieder
is not found (404), whatever its id. Trajectories come through trajectories.selectors (visible_filter), so a
coach sees only the trajectories they coach. Reads are bounded: the worklist and the trajectory page issue
a fixed number of queries whatever the number of trajectories, items or events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import ProviderRoleGrant, Role
from bekwaam.trajectories.models import (
    OPEN_STATES,
    Assignment,
    CoachingSession,
    Comment,
    PortfolioItem,
    PortfolioReview,
    TemplateAssignment,
    TemplateStep,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.selectors import (
    ASSESSOR,
    COACH,
    may_see_portfolio,
    role_in,
    trajectory_get_for,
    visible_filter,
)
from bekwaam.trajectories.selectors.candidate import portfolio_assignments_for
from bekwaam.trajectories.selectors.decision import JUDGEMENT_EVENT_ACTIONS, decision_event_label, decision_panel_for
from bekwaam.trajectories.services.portfolio import portfolio_missing

# The worklist's default for assessors: the trajectories waiting for an assessor's step.
ACTION_STATES = (
    TrajectoryState.ENROLLED,
    TrajectoryState.ASSESSMENT_REQUESTED,
    TrajectoryState.UNDER_REVIEW,
    TrajectoryState.INTERVIEW_PLANNED,
    TrajectoryState.DECIDING,
)
FILTER_ACTION, FILTER_OPEN, FILTER_ALL = "action", "open", "all"
FILTERS = (FILTER_ACTION, FILTER_OPEN, FILTER_ALL)
# Once a trajectory reached the interview its assessors judge against the template's criteria: from then on
# the criteria stay as they are (Trajectory does not copy them).
CRITERIA_IN_USE_STATES = (
    TrajectoryState.INTERVIEW_PLANNED,
    TrajectoryState.DECIDING,
    TrajectoryState.CERTIFIED,
    TrajectoryState.ADVISED,
)


# --- templates ----------------------------------------------------------------------------------------


def template_list_for(*, actor: Actor) -> QuerySet[TrajectoryTemplate]:
    """The active aanbieder's templates, archived last, with their counts of steps, assignments and trajectories."""
    return (
        TrajectoryTemplate.objects.filter(provider_id=actor.provider_pk)
        .annotate(
            step_count=Count("steps", distinct=True),
            assignment_count=Count("assignments", distinct=True),
            trajectory_count=Count("trajectories", distinct=True),
            open_count=Count("trajectories", filter=Q(trajectories__state__in=OPEN_STATES), distinct=True),
        )
        .order_by("archived_at", "name")
    )


def template_get_for(*, actor: Actor, template_id: Any) -> TrajectoryTemplate:
    """One template of the active aanbieder (404 otherwise)."""
    found = TrajectoryTemplate.objects.filter(provider_id=actor.provider_pk, pk=template_id).first()
    if found is None:
        raise Http404
    return found


def template_steps(*, template: TrajectoryTemplate) -> list[TemplateStep]:
    return list(TemplateStep.objects.filter(template=template).order_by("position"))


def template_assignments(*, template: TrajectoryTemplate) -> list[TemplateAssignment]:
    return list(TemplateAssignment.objects.filter(template=template).select_related("theme").order_by("position"))


def template_step_get_for(*, template: TrajectoryTemplate, step_id: int) -> TemplateStep:
    found = TemplateStep.objects.filter(template=template, pk=step_id).first()
    if found is None:
        raise Http404
    return found


def template_assignment_get_for(*, template: TrajectoryTemplate, assignment_id: int) -> TemplateAssignment:
    found = TemplateAssignment.objects.filter(template=template, pk=assignment_id).select_related("theme").first()
    if found is None:
        raise Http404
    return found


def template_trajectory_counts(*, template: TrajectoryTemplate) -> dict[str, int]:
    """How many trajectories use the template: open ones, and those past the interview (criteria in use)."""
    counts = Trajectory.objects.filter(template=template).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        judged=Count("pk", filter=Q(state__in=CRITERIA_IN_USE_STATES)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


# --- the worklist -------------------------------------------------------------------------------------


def worklist_default(actor: Actor) -> str:
    """Assessors start at what waits for them; coaches at every open trajectory they coach."""
    return FILTER_ACTION if actor.has_role(Role.ASSESSOR) else FILTER_OPEN


def _staff_trajectories(actor: Actor) -> QuerySet[Trajectory]:
    """The trajectories the actor works on at the active aanbieder (never their own as a candidate)."""
    provider_id = actor.provider_pk
    with scopes_disabled():
        return Trajectory.objects.filter(visible_filter(actor), provider_id=provider_id).exclude(
            candidate_id=actor.person.pk
        )


def worklist_states(choice: str) -> tuple[str, ...] | None:
    """The states a worklist filter shows; None for every state."""
    if choice == FILTER_ACTION:
        return tuple(ACTION_STATES)
    if choice == FILTER_OPEN:
        return tuple(OPEN_STATES)
    if choice == FILTER_ALL:
        return None
    return (choice,) if choice in TrajectoryState.values else tuple(ACTION_STATES)


def worklist_for(*, actor: Actor, choice: str) -> QuerySet[Trajectory]:
    """The worklist rows (paginate them): template, candidate, coach and themes loaded; oldest enrolment first."""
    trajectories = _staff_trajectories(actor)
    states = worklist_states(choice)
    if states is not None:
        trajectories = trajectories.filter(state__in=states)
    return (
        trajectories.select_related("template", "candidate", "coach")
        .prefetch_related("themes")
        .order_by("enrolled_at", "id")
    )


def worklist_counts(*, actor: Actor) -> dict[str, int]:
    """The number of the actor's trajectories per state (one query), with every state present."""
    counts = dict.fromkeys(TrajectoryState.values, 0)
    rows = _staff_trajectories(actor).order_by().values_list("state").annotate(n=Count("pk"))
    for state, number in rows:
        counts[state] = number
    return counts


@dataclass(frozen=True)
class FilterOption:
    key: str
    label: Any
    count: int


def worklist_options(*, counts: dict[str, int]) -> list[FilterOption]:
    """The filter's choices with their counts: waiting for action, open, every state, then each state."""
    return [
        FilterOption(FILTER_ACTION, _("Waiting for action"), sum(counts[s] for s in ACTION_STATES)),
        FilterOption(FILTER_OPEN, _("All open"), sum(counts[s] for s in OPEN_STATES)),
        FilterOption(FILTER_ALL, _("All"), sum(counts.values())),
        *(FilterOption(value, label, counts[value]) for value, label in TrajectoryState.choices),
    ]


# --- the staff trajectory page ------------------------------------------------------------------------


def staff_trajectory_get_for(*, actor: Actor, trajectory_id: Any) -> tuple[Trajectory, str | None]:
    """A trajectory the actor may see (404 otherwise) and their role in it (the candidate's is "candidate")."""
    trajectory = trajectory_get_for(actor=actor, trajectory_id=trajectory_id)
    return trajectory, role_in(actor=actor, trajectory=trajectory)


def is_own_trajectory(actor: Actor, trajectory_id: Any) -> bool:
    """Whether the id is one of the actor's own trajectories as a candidate."""
    with scopes_disabled():
        return Trajectory.objects.filter(pk=trajectory_id, candidate_id=actor.person.pk).exists()


def trajectory_locked(trajectory: Trajectory) -> Trajectory:
    """The trajectory's row, locked for the rest of the transaction (services decide on this copy)."""
    with scopes_disabled():
        locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk, provider_id=trajectory.provider_id)
    locked.template = trajectory.template
    locked.provider = trajectory.provider
    locked.candidate = trajectory.candidate
    return locked


def coach_choices_for(*, trajectory: Trajectory) -> QuerySet[Any]:
    """The aanbieder's coaches who may coach this candidate (never the candidate themself)."""
    with scopes_disabled():
        coach_ids = ProviderRoleGrant.objects.filter(provider_id=trajectory.provider_id, role=Role.COACH).values(
            "person_id"
        )
        return (
            get_user_model()
            .objects.filter(pk__in=coach_ids, is_active=True)
            .exclude(pk=trajectory.candidate_id)
            .order_by("family_name", "given_name")
        )


def assessors_of(*, provider_id: int) -> list[Any]:
    """The aanbieder's assessors (people), for the interview invitation."""
    with scopes_disabled():
        ids = ProviderRoleGrant.objects.filter(provider_id=provider_id, role=Role.ASSESSOR).values("person_id")
        return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("family_name", "given_name"))


@dataclass(frozen=True)
class StepRow:
    title: str
    kind: str
    description: str


@dataclass(frozen=True)
class EventRow:
    """One line of the trajectory's history."""

    action: str
    label: Any
    at: Any
    actor_name: str
    note: str


@dataclass(frozen=True)
class Actions:
    """What the actor may do on the trajectory now (the services check again on the locked row)."""

    accept: bool = False
    start_review: bool = False
    request_additions: bool = False
    plan_interview: bool = False
    replan_interview: bool = False
    judge: bool = False
    coach: bool = False
    comment: bool = False

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def actions_for(*, role: str | None, trajectory: Trajectory) -> Actions:
    state = trajectory.state
    is_open = state in OPEN_STATES
    if role == ASSESSOR:
        return Actions(
            accept=state == TrajectoryState.ENROLLED,
            start_review=state == TrajectoryState.ASSESSMENT_REQUESTED,
            request_additions=state == TrajectoryState.UNDER_REVIEW,
            plan_interview=state == TrajectoryState.UNDER_REVIEW,
            replan_interview=state == TrajectoryState.INTERVIEW_PLANNED,
            judge=state == TrajectoryState.DECIDING,
            comment=is_open,
        )
    if role == COACH:
        return Actions(coach=is_open, comment=is_open)
    return Actions()


@dataclass
class StaffPage:
    """Everything the staff trajectory page shows, read in a fixed number of queries."""

    trajectory: Trajectory
    role: str | None
    actions: Actions
    themes: list[Any]
    steps: list[StepRow]
    events: list[EventRow]
    reviews: list[PortfolioReview]
    sessions: list[CoachingSession]
    comments: list[Comment]
    sees_portfolio: bool
    assignments: list[Assignment] = field(default_factory=list)
    missing: Sequence[str] = ()
    coaches: list[Any] = field(default_factory=list)
    certificate_id: Any = None
    item_choices: list[tuple[str, str]] = field(default_factory=list)
    decision_panel: Any = None  # selectors.decision.DecisionPanel: the four-eyes part, blind rule applied


def _missing(trajectory: Trajectory) -> list[str]:
    return list(portfolio_missing(trajectory))


def _certificate_id(trajectory: Trajectory) -> Any:
    if trajectory.state != TrajectoryState.CERTIFIED:
        return None
    from bekwaam.credentials.models import Certificate

    with scopes_disabled():
        return Certificate.objects.filter(trajectory=trajectory).values_list("pk", flat=True).first()


def staff_page_for(*, actor: Actor, trajectory: Trajectory, role: str | None) -> StaffPage:
    """The staff trajectory page: facts, steps, history, reviews, coaching, comments, the portfolio once
    submitted (may_see_portfolio) with what it still misses, and the actions open to the actor now."""
    sees = may_see_portfolio(actor=actor, trajectory=trajectory)
    actions = actions_for(role=role, trajectory=trajectory)
    panel = decision_panel_for(actor=actor, trajectory=trajectory)
    with scopes_disabled():
        themes = list(trajectory.themes.order_by("name"))
        steps = [
            StepRow(step.title, step.kind, step.description)
            for step in TemplateStep.objects.filter(template_id=trajectory.template_id).order_by("position")
        ]
        events = [
            EventRow(
                action=event.action,
                label=decision_event_label(event.action) or event_label(event.action),
                at=event.at,
                actor_name=event.actor.full_name if event.actor is not None else "",
                # A revision's note holds the old judgement: only for who may read the judgements (blind rule).
                note=event.note if event.action not in JUDGEMENT_EVENT_ACTIONS or panel.shows_judgement_notes else "",
            )
            for event in TrajectoryEvent.objects.filter(trajectory=trajectory)
            .select_related("actor")
            .order_by("at", "id")
        ]
        reviews = list(
            PortfolioReview.objects.filter(trajectory=trajectory)
            .select_related("assessor")
            .order_by("created_at", "id")
        )
        sessions = list(
            CoachingSession.objects.filter(trajectory=trajectory).select_related("coach").order_by("held_on", "id")
        )
        comments = list(
            Comment.objects.filter(trajectory=trajectory).select_related("author", "item").order_by("created_at", "id")
        )
        if not sees:
            # Before the portfolio is submitted staff see no item, not even the title one was commented on.
            for comment in comments:
                comment.item = None
        assignments = portfolio_assignments_for(trajectory=trajectory, with_comments=True) if sees else []
        coaches = list(coach_choices_for(trajectory=trajectory)) if actions.accept and trajectory.with_coaching else []
        page = StaffPage(
            trajectory=trajectory,
            role=role,
            actions=actions,
            themes=themes,
            steps=steps,
            events=events,
            reviews=reviews,
            sessions=sessions,
            comments=comments,
            sees_portfolio=sees,
            assignments=assignments,
            missing=_missing(trajectory) if sees and trajectory.state in OPEN_STATES else (),
            coaches=coaches,
            certificate_id=_certificate_id(trajectory),
            decision_panel=panel,
            item_choices=[
                (str(item.pk), f"{assignment.title}: {item.title}")
                for assignment in assignments
                for item in assignment.items.all()
            ],
        )
    return page


def comment_item_choices(*, actor: Actor, trajectory: Trajectory) -> list[tuple[str, str]]:
    """The portfolio items a comment may be about (none before the portfolio is submitted): (id, label)."""
    if not may_see_portfolio(actor=actor, trajectory=trajectory):
        return []
    with scopes_disabled():
        items = (
            PortfolioItem.objects.filter(trajectory=trajectory)
            .select_related("assignment")
            .order_by("assignment__position", "created_at")
        )
        return [(str(item.pk), f"{item.assignment.title}: {item.title}") for item in items]


def event_label(action: str) -> Any:
    """A history row's words: the machine's label for a move, or the name of another recorded step."""
    from bekwaam.trajectories.models import TRAJECTORY_MACHINE

    labels: dict[str, Any] = {
        "enrol": _("Enrolled"),
        "replan_interview": _("Interview moved"),
        "coaching_session": _("Coaching session recorded"),
        "coach_assigned": _("Coach assigned"),
        "certificate_issued": _("Certificate issued"),
        "certificate_revoked": _("Certificate revoked"),
    }
    if action in TRAJECTORY_MACHINE.action_labels:
        return TRAJECTORY_MACHINE.action_labels[action]
    return labels.get(action, action)


def interview_sequence(*, trajectory: Trajectory) -> int:
    """The interview's calendar SEQUENCE: 0 when planned, one up for every later move of it."""
    with scopes_disabled():
        planned = TrajectoryEvent.objects.filter(
            trajectory=trajectory, action__in=("plan_interview", "replan_interview")
        ).count()
    return max(planned - 1, 0)


def interview_organizer(*, trajectory: Trajectory) -> Any:
    """Who planned (or last moved) the interview: the invitation's organiser."""
    with scopes_disabled():
        event = (
            TrajectoryEvent.objects.filter(trajectory=trajectory, action__in=("plan_interview", "replan_interview"))
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
    return event.actor if event is not None else None


def trajectory_for_task(*, trajectory_id: Any) -> Trajectory | None:
    """A trajectory for a background task (unscoped: the task runs outside any request)."""
    with scopes_disabled():
        return (
            Trajectory.objects.filter(pk=trajectory_id)
            .select_related("template", "provider", "candidate", "coach")
            .first()
        )


def state_label(state: str) -> str:
    return str(TrajectoryState(state).label)
