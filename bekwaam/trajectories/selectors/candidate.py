"""Reads for the candidate's pages: the catalogue of published templates, one offer, the candidate's own
trajectories and the page of one trajectory, with its portfolio.

Templates and trajectories are scoped to their aanbieder (django-scopes) and a candidate works from their
board, where the provider scope is empty; so these reads leave the scope and filter explicitly: published
and not archived templates (of every aanbieder), or rows of a trajectory the caller already fetched
through trajectories.selectors.trajectory_get_for. Lists are evaluated inside the unscoped block, so the
prefetches (which go through the scoped managers) see their rows too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from bekwaam.dossier.models import Evidence, Reflection
from bekwaam.dossier.selectors.portfolio import REFLECTION, portfolio_items_load, portfolio_list_for
from bekwaam.register.models import LearningLevel, Theme
from bekwaam.tenancy.context import Actor
from bekwaam.trajectories.models import (
    EDITABLE_STATES,
    TRAJECTORY_MACHINE,
    Assignment,
    CoachingSession,
    Comment,
    Decision,
    DecisionOutcome,
    PortfolioItem,
    PortfolioItemKind,
    StepKind,
    TemplateAssignment,
    TemplateStep,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.selectors import candidate_trajectories
from bekwaam.trajectories.services.enrolment import advice_lines
from bekwaam.trajectories.services.portfolio import assignment_missing, not_editable_message

S = TrajectoryState
DOSSIER_CHOICES_MAX = 200  # the newest items of the dossier offered to copy; keeps the page bounded

# How far each state has come along the template's steps (a step of a lower phase is done).
STEP_PHASE: dict[str, int] = {
    StepKind.INTAKE: 0,
    StepKind.BASELINE: 1,
    StepKind.COLLECTING: 2,
    StepKind.COACHING: 2,
    StepKind.PORTFOLIO_CHECK: 3,
    StepKind.INTERVIEW: 4,
    StepKind.DECISION: 5,
    StepKind.CERTIFICATE: 6,
}
STATE_PHASE: dict[str, int] = {
    S.ENROLLED: 0,
    S.COLLECTING: 2,
    S.ADDITIONS_REQUESTED: 2,
    S.ASSESSMENT_REQUESTED: 3,
    S.UNDER_REVIEW: 3,
    S.INTERVIEW_PLANNED: 4,
    S.DECIDING: 5,
    S.CERTIFIED: 7,
    S.ADVISED: 6,
}

# History rows written by other parts than the state machine's moves.
EVENT_LABELS: dict[str, Promise] = {
    "enrol": gettext_lazy("Enrolled"),
}


# --- the catalogue ------------------------------------------------------------------------------------


def catalogue_list() -> QuerySet[TrajectoryTemplate]:
    """Published, not archived templates of every aanbieder, by aanbieder and name, with their steps and
    the number of assignments."""
    with scopes_disabled():
        return (
            TrajectoryTemplate.objects.filter(published_at__isnull=False, archived_at__isnull=True)
            .select_related("provider")
            .annotate(assignment_count=Count("assignments"))
            .prefetch_related(Prefetch("steps", queryset=TemplateStep.objects.order_by("position")))
            .order_by("provider__name", "name", "pk")
        )


def catalogue_page(rows: Any) -> list[TrajectoryTemplate]:
    """One page of catalogue_list, evaluated (prefetches included) outside the candidate's scope."""
    with scopes_disabled():
        return list(rows)


@dataclass(frozen=True)
class AssignmentGroup:
    theme: Theme | None  # None: for every theme
    assignments: list[TemplateAssignment]


@dataclass(frozen=True)
class Offer:
    template: TrajectoryTemplate
    steps: list[TemplateStep]
    groups: list[AssignmentGroup]
    criteria: list[dict[str, str]]
    instrument_is_link: bool


def offer_get(*, template_id: UUID) -> Offer:
    """A published, not archived template with its steps, assignments per theme and criteria; 404 otherwise."""
    with scopes_disabled():
        template = (
            TrajectoryTemplate.objects.filter(pk=template_id, published_at__isnull=False, archived_at__isnull=True)
            .select_related("provider")
            .first()
        )
        if template is None:
            raise Http404
        steps = list(template.steps.order_by("position"))
        assignments = list(template.assignments.select_related("theme").order_by("position", "pk"))
    groups: dict[int | None, AssignmentGroup] = {}
    for assignment in assignments:
        key = assignment.theme_id
        if key not in groups:
            groups[key] = AssignmentGroup(theme=assignment.theme, assignments=[])
        groups[key].assignments.append(assignment)
    ordered = sorted(groups.values(), key=lambda g: (g.theme is not None, g.theme.name if g.theme else ""))
    criteria = [
        {"code": str(c.get("code", "")), "text": str(c.get("text", ""))}
        for c in (template.criteria if isinstance(template.criteria, list) else [])
        if isinstance(c, dict)
    ]
    instrument = template.reflection_instrument.strip().lower()
    return Offer(
        template=template,
        steps=steps,
        groups=ordered,
        criteria=criteria,
        instrument_is_link=instrument.startswith(("https://", "http://")),
    )


# --- the candidate's trajectories ---------------------------------------------------------------------


def next_step_for(trajectory: Trajectory) -> str:
    """What happens next, in the candidate's words."""
    state = trajectory.state
    texts: dict[str, str] = {
        S.ENROLLED: _("The aanbieder confirms your enrolment. Meanwhile you can already add evidence and reflections."),
        S.COLLECTING: _(
            "Add evidence and reflections to each assignment. When every assignment is complete, request the "
            "assessment."
        ),
        S.ASSESSMENT_REQUESTED: _("An assessor of the aanbieder will review your portfolio."),
        S.UNDER_REVIEW: _("An assessor is reviewing your portfolio."),
        S.ADDITIONS_REQUESTED: _(
            "The assessor asks for additions. Add what is asked for, then request the assessment again."
        ),
        S.INTERVIEW_PLANNED: _(
            "Prepare for the criterion-based interview. Your portfolio is frozen as it was when the interview "
            "was planned."
        ),
        S.DECIDING: _("Two assessors each record their judgement; the decision follows when they agree."),
        S.CERTIFIED: _("You are certified. Your certificate is ready, and the points count in your register."),
        S.ADVISED: _("Read the development advice, and turn it into goals in your development plan if you like."),
        S.WITHDRAWN: _("You have withdrawn from this trajectory."),
    }
    return texts.get(state, "")


def mine_list(actor: Actor) -> QuerySet[Trajectory]:
    """The actor's own trajectories as a candidate (newest first), with their themes."""
    return candidate_trajectories(actor).prefetch_related("themes")


def mine_page(rows: Any) -> list[Trajectory]:
    """One page of mine_list, evaluated, each with its next step (a fixed number of queries)."""
    with scopes_disabled():
        trajectories: list[Trajectory] = list(rows)
    for trajectory in trajectories:
        trajectory.next_step = next_step_for(trajectory)  # type: ignore[attr-defined]
    return trajectories


def has_trajectories(actor: Actor) -> bool:
    return candidate_trajectories(actor).exists()


# --- the portfolio ------------------------------------------------------------------------------------


def portfolio_assignments_for(*, trajectory: Trajectory, with_comments: bool = False) -> list[Assignment]:
    """The trajectory's assignments in order, each with its items (and their themes; with the comments on
    them when asked) and `evidence_count`, `reflection_count` and `missing` (a sentence, or empty).

    The context the read-only partial trajectories/candidate/_portfolio.html expects as `assignments`.
    """
    with scopes_disabled():
        items = PortfolioItem.objects.prefetch_related("themes").order_by("created_at", "pk")
        if with_comments:
            items = items.prefetch_related(
                Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created_at", "pk"))
            )
        assignments = list(
            Assignment.objects.filter(trajectory_id=trajectory.pk)
            .select_related("theme")
            .prefetch_related(Prefetch("items", queryset=items))
            .order_by("position", "pk")
        )
    for assignment in assignments:
        loaded = list(assignment.items.all())
        evidence = sum(1 for item in loaded if item.kind == PortfolioItemKind.EVIDENCE)
        reflections = len(loaded) - evidence
        assignment.evidence_count = evidence  # type: ignore[attr-defined]
        assignment.reflection_count = reflections  # type: ignore[attr-defined]
        assignment.missing = assignment_missing(  # type: ignore[attr-defined]
            assignment=assignment, evidence=evidence, reflections=reflections
        )
    return assignments


def assignment_get_for(*, trajectory: Trajectory, assignment_id: int) -> Assignment:
    """One assignment of the trajectory (404 for any other)."""
    with scopes_disabled():
        found = Assignment.objects.filter(pk=assignment_id, trajectory_id=trajectory.pk).first()
    if found is None:
        raise Http404
    found.trajectory = trajectory
    return found


def item_get_for(*, trajectory: Trajectory, item_id: UUID) -> PortfolioItem:
    """One portfolio item of the trajectory (404 for any other), with its assignment."""
    with scopes_disabled():
        found = (
            PortfolioItem.objects.filter(pk=item_id, trajectory_id=trajectory.pk)
            .select_related("assignment")
            .prefetch_related("themes")
            .first()
        )
    if found is None:
        raise Http404
    found.trajectory = trajectory
    return found


def dossier_choices_for(*, actor: Actor) -> list[tuple[str, str]]:
    """The actor's own evidence and reflections at the active board (newest first, at most
    DOSSIER_CHOICES_MAX), as choices "evidence:<id>" / "reflection:<id>" with a label."""
    if actor.board_id is None:
        return []
    rows = list(portfolio_list_for(actor=actor)[:DOSSIER_CHOICES_MAX])
    choices = []
    for item in portfolio_items_load(actor=actor, rows=rows):
        if isinstance(item, Reflection):
            label = _("Reflection: %(title)s (%(date)s)") % {
                "title": item.title,
                "date": item.written_on.strftime("%d-%m-%Y"),
            }
            choices.append((f"{REFLECTION}:{item.pk}", label))
        elif isinstance(item, Evidence):
            label = _("%(kind)s: %(title)s (%(date)s)") % {
                "kind": item.get_kind_display(),
                "title": item.title,
                "date": item.created_at.strftime("%d-%m-%Y"),
            }
            choices.append((f"evidence:{item.pk}", label))
    return choices


# --- one trajectory -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    title: str
    kind: str
    description: str
    status: str  # "passed", "current", "upcoming" or "skipped"


def steps_for(*, trajectory: Trajectory, steps: list[TemplateStep]) -> list[StepView]:
    """The template's steps, each marked as done, current or to come for the trajectory's state."""
    state = trajectory.state
    reached = STATE_PHASE.get(state)
    views = []
    for step in steps:
        phase = STEP_PHASE.get(step.kind, 2)
        if reached is None:  # withdrawn: nothing is current any more
            status = "upcoming"
        elif state == S.ADVISED and step.kind == StepKind.CERTIFICATE:
            status = "skipped"
        elif phase < reached:
            status = "passed"
        elif phase == reached:
            status = "current"
        else:
            status = "upcoming"
        views.append(StepView(title=step.title, kind=step.kind, description=step.description, status=status))
    return views


@dataclass(frozen=True)
class DecisionView:
    decision: Decision
    certified: bool
    level_label: str
    themes: list[Theme]
    advice_lines: list[str]


@dataclass
class CandidatePage:
    trajectory: Trajectory
    themes: list[Theme]
    steps: list[StepView]
    next_step: str
    assignments: list[Assignment]
    missing: list[str]
    coaching_sessions: list[CoachingSession]
    comments: list[Comment]  # on the portfolio as a whole (item comments sit with their item)
    events: list[tuple[TrajectoryEvent, str, bool]]  # the row, its label, whether its note is shown
    decision: DecisionView | None
    certificate: Any  # credentials.Certificate or None
    may: dict[str, bool] = field(default_factory=dict)
    frozen_message: str = ""
    candidate_board_name: str = ""


def _event_label(action: str) -> str:
    """The same words as on the staff page (one label table per part; imported late: provider imports us)."""
    from bekwaam.trajectories.selectors.decision import decision_event_label
    from bekwaam.trajectories.selectors.provider import event_label

    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    return str(decision_event_label(action) or event_label(action))


def candidate_page_for(*, actor: Actor, trajectory: Trajectory) -> CandidatePage:
    """Everything the candidate's trajectory page shows, in a fixed number of queries.

    `trajectory` comes from trajectory_get_for with related ("decision", "certificate", "candidate_board").
    """
    state = trajectory.state
    with scopes_disabled():
        themes = list(trajectory.themes.order_by("name"))
        steps = list(TemplateStep.objects.filter(template_id=trajectory.template_id).order_by("position"))
        sessions = list(
            CoachingSession.objects.filter(trajectory_id=trajectory.pk).select_related("coach").order_by("held_on")
        )
        comments = list(
            Comment.objects.filter(trajectory_id=trajectory.pk, item__isnull=True)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        events = list(
            TrajectoryEvent.objects.filter(trajectory_id=trajectory.pk).select_related("actor").order_by("at", "pk")
        )
        decision: Decision | None = getattr(trajectory, "decision", None)
        decision_themes = list(decision.themes.order_by("name")) if decision is not None else []
    assignments = portfolio_assignments_for(trajectory=trajectory, with_comments=True)
    missing = [a.missing for a in assignments if a.missing]  # type: ignore[attr-defined]
    if not assignments:
        missing = [_("This trajectory has no assignments. Ask the aanbieder which assignments apply.")]
    decision_view = None
    if decision is not None and state in (S.CERTIFIED, S.ADVISED):
        decision_view = DecisionView(
            decision=decision,
            certified=decision.outcome == DecisionOutcome.CERTIFIED,
            level_label=str(LearningLevel(decision.learning_level).label)
            if decision.learning_level in LearningLevel.values
            else str(decision.learning_level),
            themes=decision_themes,
            advice_lines=advice_lines(decision.advice),
        )
    certificate = getattr(trajectory, "certificate", None) if state == S.CERTIFIED else None
    editable = state in EDITABLE_STATES and trajectory.frozen_at is None
    may = {
        "edit": editable,
        "copy": editable and actor.board_id == trajectory.candidate_board_id,
        "request": state in (S.COLLECTING, S.ADDITIONS_REQUESTED),
        "withdraw": TRAJECTORY_MACHINE.allows(state, "withdraw"),
        "advice_goals": decision_view is not None
        and not decision_view.certified
        and bool(decision_view.advice_lines)
        and not trajectory.advice_goals_created,
        "share": certificate is not None,
    }
    candidate_id = trajectory.candidate_id
    board = getattr(trajectory, "candidate_board", None)
    return CandidatePage(
        trajectory=trajectory,
        themes=themes,
        steps=steps_for(trajectory=trajectory, steps=steps),
        next_step=next_step_for(trajectory),
        assignments=assignments,
        missing=missing if editable or may["request"] else [],
        coaching_sessions=sessions,
        comments=comments,
        # Notes are shown on the candidate's own rows (a withdrawal's reason); staff notes stay with staff.
        events=[(event, _event_label(event.action), event.actor_id == candidate_id) for event in events],
        decision=decision_view,
        certificate=certificate,
        may=may,
        frozen_message="" if editable else not_editable_message(state),
        candidate_board_name=board.name if board is not None else "",
    )
