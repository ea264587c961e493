"""The POP pages: the owner writes plans, goals and actions and moves goals through PDCA; someone a plan
is shared with reads it (logged in the access log), and the leidinggevende comments on its goals.

Own pages use the page rule "dossier.view_own" and the own_*_get_for selectors (404 for anybody else's
item, shared or not). The plan page and the comment form are reached through a share as well, so they
have no page rule: the item lookups answer 404 to everyone the plan is not shared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import rules
from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dossier.forms.plans import ActionForm, GoalCommentForm, GoalForm, GoalMoveForm, PlanCreateForm, PlanForm
from bekwaam.dossier.models import DevelopmentPlan, Goal
from bekwaam.dossier.selectors import OWNER, goal_get_for, item_get_for
from bekwaam.dossier.selectors.plans import (
    PROPOSALS_CHECKED,
    GoalDetail,
    competence_choices_for,
    finished_assessments_for,
    lowest_rated_competences_for,
    next_phases_for,
    own_action_get_for,
    own_goal_get_for,
    own_plan_get_for,
    plan_detail_for,
    plan_list_for,
    plan_source_get_for,
)
from bekwaam.dossier.services import plans as services
from bekwaam.dossier.services.access import item_access_record
from bekwaam.insights.selectors.loop import goals_before_after
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

PAGE_SIZE = 25


def _goal_url(goal: Goal) -> str:
    return f"{reverse('dossier:plan-detail', kwargs={'plan_id': goal.plan_id})}#goal-{goal.pk}"


def _auto_id(goal: Goal, form: str) -> str:
    # Every goal on the page has its own forms: ids must differ, the field names stay the same.
    return f"id_{form}_{goal.pk.hex[:12]}_%s"


@dataclass(frozen=True)
class GoalPanel:
    """One goal on the plan page with the forms the reader may use on it."""

    detail: GoalDetail
    move_form: GoalMoveForm | None
    action_form: ActionForm | None
    comment_form: GoalCommentForm | None
    before_after: Any = None  # insights: the score the goal was made from, and after (its check step on)


def _plan_page(
    request: ActorRequest,
    plan: DevelopmentPlan,
    right: str,
    *,
    bound: tuple[UUID, str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan with its goals; `bound` is (goal id, form name, form) for a form that came back with errors."""
    actor = request.actor
    item_access_record(actor=actor, item=plan, right=right, path=request.path)
    is_owner = right == OWNER
    # Whether the reader may comment depends on the plan only: one check, not one per goal.
    first_goal = Goal.objects.filter(board_id=actor.board_pk, plan=plan).first() if not is_owner else None
    if first_goal is not None:
        first_goal.plan = plan
    may_comment = first_goal is not None and rules.test_rule("dossier.comment_goal", actor, first_goal)
    # Comments are between the owner and their leidinggevende: a colleague it is shared with does not read them.
    detail = plan_detail_for(actor=actor, plan=plan, with_comments=is_owner or may_comment)

    def returned(goal: Goal, name: str) -> Any:
        """The form that came back with errors, when it is this goal's form of this name."""
        if bound is not None and bound[0] == goal.pk and bound[1] == name:
            return bound[2]
        return None

    # The loop (insights): before and after at a goal's check step, for the owner only (the scores are theirs).
    before_after = goals_before_after(goals=[d.goal for d in detail.goals]) if is_owner else {}
    panels = []
    for goal_detail in detail.goals:
        goal = goal_detail.goal
        move_form = action_form = comment_form = None
        if is_owner:
            if goal_detail.next_phases:
                move_form = returned(goal, "move")
                if move_form is None:
                    move_form = GoalMoveForm(next_phases=goal_detail.next_phases, auto_id=_auto_id(goal, "move"))
            action_form = returned(goal, "action")
            if action_form is None:
                action_form = ActionForm(auto_id=_auto_id(goal, "action"))
        elif may_comment:
            comment_form = returned(goal, "comment")
            if comment_form is None:
                comment_form = GoalCommentForm(auto_id=_auto_id(goal, "comment"))
        panels.append(GoalPanel(goal_detail, move_form, action_form, comment_form, before_after.get(goal.pk)))
    context = {
        "plan": plan,
        "detail": detail,
        "panels": panels,
        "is_owner": is_owner,
        "may_comment": may_comment,
        "today": timezone.localdate(),
    }
    return render(request, "dossier/plan_detail.html", context, status=status)


# --- plans -----------------------------------------------------------------------------------------


@require_safe
@actor_view("dossier.view_own")
def plan_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(plan_list_for(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "assessments": finished_assessments_for(actor=actor)[:5], "today": timezone.localdate()}
    return render(request, "dossier/plan_list.html", context)


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def plan_create(request: ActorRequest) -> HttpResponse:
    """A new plan, from scratch or (with ?assessment=<id>) from a finished measurement of one's own."""
    actor = request.actor
    source, proposals = None, []
    initial: dict[str, Any] = {"starts_on": timezone.localdate()}
    assessment_id = request.GET.get("assessment", "")
    if assessment_id:
        source = plan_source_get_for(actor=actor, assessment_id=assessment_id)
        proposals = lowest_rated_competences_for(actor=actor, assessment=source)
        finished = timezone.localdate(source.finished_at) if source.finished_at else timezone.localdate()
        initial["title"] = _("Development plan after the measurement of %(date)s") % {
            "date": finished.strftime("%d-%m-%Y")
        }
        initial["goal_competences"] = [p.competence.pk for p in proposals[:PROPOSALS_CHECKED]]
    form = PlanCreateForm(request.POST or None, proposals=proposals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Keep the order in which they were proposed (lowest first) for the goals' order.
        chosen = {c.pk: c for c in data.get("goal_competences") or []}
        ordered = [p.competence for p in proposals if p.competence.pk in chosen]
        try:
            plan = services.plan_create(
                actor=actor,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                source_assessment=source,
                goal_competences=ordered,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your development plan has been created."))
            return redirect("dossier:plan-detail", plan_id=plan.pk)
    context = {"form": form, "source": source, "has_proposals": bool(proposals), "plan": None}
    return render(request, "dossier/plan_form.html", context)


@require_safe
@actor_view()
def plan_detail(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    plan, right = item_get_for(actor=request.actor, model=DevelopmentPlan, item_id=plan_id)
    return _plan_page(request, plan, right)


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def plan_edit(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    plan = own_plan_get_for(actor=request.actor, plan_id=plan_id)
    initial = {"title": plan.title, "starts_on": plan.starts_on, "ends_on": plan.ends_on}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect("dossier:plan-detail", plan_id=plan.pk)
    return render(request, "dossier/plan_form.html", {"form": form, "plan": plan, "source": None})


# --- goals -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def goal_create(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    actor = request.actor
    plan = own_plan_get_for(actor=actor, plan_id=plan_id)
    choices = competence_choices_for(actor=actor, source=plan.source_assessment)
    form = GoalForm(request.POST or None, competences=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.goal_create(
                actor=actor,
                plan=plan,
                title=data["title"],
                why=data["why"],
                success_criteria=data["success_criteria"],
                due_date=data["due_date"],
                competences=list(data["competences"]),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The goal has been added."))
            return redirect(_goal_url(goal))
    return render(request, "dossier/goal_form.html", {"form": form, "plan": plan, "goal": None})


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def goal_edit(request: ActorRequest, goal_id: UUID) -> HttpResponse:
    actor = request.actor
    goal = own_goal_get_for(actor=actor, goal_id=goal_id)
    choices = competence_choices_for(actor=actor, source=goal.plan.source_assessment, goal=goal)
    initial = {
        "title": goal.title,
        "why": goal.why,
        "success_criteria": goal.success_criteria,
        "due_date": goal.due_date,
        "competences": list(goal.competences.values_list("pk", flat=True)),
    }
    form = GoalForm(request.POST or None, competences=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                actor=actor,
                goal=goal,
                title=data["title"],
                why=data["why"],
                success_criteria=data["success_criteria"],
                due_date=data["due_date"],
                competences=list(data["competences"]),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The goal has been saved."))
            return redirect(_goal_url(goal))
    return render(request, "dossier/goal_form.html", {"form": form, "plan": goal.plan, "goal": goal})


@require_POST
@actor_view("dossier.view_own")
def goal_move(request: ActorRequest, goal_id: UUID) -> HttpResponse:
    actor = request.actor
    goal = own_goal_get_for(actor=actor, goal_id=goal_id)
    form = GoalMoveForm(request.POST, next_phases=next_phases_for(goal.phase), auto_id=_auto_id(goal, "move"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.goal_move(
                actor=actor,
                goal=goal,
                to_phase=data["to_phase"],
                reflection=data["reflection"],
                changed_on=data["changed_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The goal is now in phase %(phase)s.") % {"phase": change.get_to_phase_display()}
            )
            return redirect(_goal_url(goal))
    if not next_phases_for(goal.phase):
        # A goal that is done has no move form to show the message at (sent from an older page).
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_goal_url(goal))
    return _plan_page(request, goal.plan, OWNER, bound=(goal.pk, "move", form), status=400)


# --- actions ---------------------------------------------------------------------------------------


@require_POST
@actor_view("dossier.view_own")
def action_create(request: ActorRequest, goal_id: UUID) -> HttpResponse:
    actor = request.actor
    goal = own_goal_get_for(actor=actor, goal_id=goal_id)
    form = ActionForm(request.POST, auto_id=_auto_id(goal, "action"))
    if form.is_valid():
        try:
            services.action_create(actor=actor, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action has been added."))
            return redirect(_goal_url(goal))
    return _plan_page(request, goal.plan, OWNER, bound=(goal.pk, "action", form), status=400)


@require_POST
@actor_view("dossier.view_own")
def action_toggle(request: ActorRequest, action_id: UUID) -> HttpResponse:
    action = own_action_get_for(actor=request.actor, action_id=action_id)
    action = services.action_toggle(actor=request.actor, action=action)
    if action.done_at:
        messages.success(request, _("The action is marked as done."))
    else:
        messages.success(request, _("The action is marked as not done."))
    return redirect(_goal_url(action.goal))


@require_POST
@actor_view("dossier.view_own")
def action_delete(request: ActorRequest, action_id: UUID) -> HttpResponse:
    action = own_action_get_for(actor=request.actor, action_id=action_id)
    services.action_delete(actor=request.actor, action=action)
    messages.success(request, _("The action has been removed."))
    return redirect(_goal_url(action.goal))


# --- comments --------------------------------------------------------------------------------------


@require_POST
@actor_view()
def goal_comment(request: ActorRequest, goal_id: UUID) -> HttpResponse:
    """The leidinggevende comments on a goal of a plan shared with them; others who see it get 403."""
    actor = request.actor
    goal, right = goal_get_for(actor=actor, goal_id=goal_id)
    authorize(actor, "dossier.comment_goal", goal)
    form = GoalCommentForm(request.POST, auto_id=_auto_id(goal, "comment"))
    if form.is_valid():
        try:
            services.goal_comment_create(actor=actor, goal=goal, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect(_goal_url(goal))
    return _plan_page(request, goal.plan, right, bound=(goal.pk, "comment", form), status=400)


urlpatterns: list[URLPattern] = [
    path("plans/", plan_list, name="plan-list"),
    path("plans/new/", plan_create, name="plan-create"),
    path("plans/<uuid:plan_id>/", plan_detail, name="plan-detail"),
    path("plans/<uuid:plan_id>/edit/", plan_edit, name="plan-edit"),
    path("plans/<uuid:plan_id>/goals/new/", goal_create, name="goal-create"),
    path("goals/<uuid:goal_id>/edit/", goal_edit, name="goal-edit"),
    path("goals/<uuid:goal_id>/move/", goal_move, name="goal-move"),
    path("goals/<uuid:goal_id>/actions/new/", action_create, name="action-create"),
    path("goals/<uuid:goal_id>/comments/new/", goal_comment, name="goal-comment"),
    path("actions/<uuid:action_id>/done/", action_toggle, name="action-toggle"),
    path("actions/<uuid:action_id>/delete/", action_delete, name="action-delete"),
]
