"""The verbeterplan pages: start a plan (from a self-evaluation, inspection or school visit, or from scratch),
its goals and actions, and each action's PDCA steps with their dated checks.

Pages of a plan answer 404 to whoever may not see its school (or, for the board's own plans, the board's
records); those who may see but not write (a bestuurder on a school's plan) get 403 on every write. A
form with errors comes back on its own page (or on the plan page, at its action) with what was typed
and status 400. A PDCA step someone else took first gets the state machine's message, and the note that
was typed is handed back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import rules
from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.lib.forms import apply_validation_error
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.quality.forms.plans import ActionForm, ActionMoveForm, CheckForm, GoalForm, PlanCreateForm, PlanForm
from bekwaam.quality.models import (
    ACTION_MACHINE,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    InspectionVisit,
    PlanState,
    SchoolVisit,
    SelfEvaluation,
)
from bekwaam.quality.selectors import school_get_for
from bekwaam.quality.selectors.plans import (
    BOARD,
    ActionRow,
    GoalRow,
    PlanSource,
    action_get_for,
    action_moves,
    goal_get_for,
    owner_choices_for,
    plan_detail_for,
    plan_framework,
    plan_get_for,
    plan_list_for,
    plan_may_edit,
    plan_source_get_for,
    plan_source_of,
    plan_standards_for,
    recordable_schools_for,
    viewable_schools_for,
)
from bekwaam.quality.services import plans as services
from bekwaam.quality.services.evaluations import DocumentUpload
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import ActorRequest, actor_view

PAGE_SIZE = 25
SOURCE_PARAMS = ("evaluation", "inspection", "visit")


def _plan_url(plan: ImprovementPlan, anchor: str = "") -> str:
    url = reverse("quality:plan-detail", kwargs={"plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def _editable(request: ActorRequest, plan: ImprovementPlan) -> None:
    """403 for a reader who may not write this plan (they may see it: the getter has checked)."""
    if not plan_may_edit(request.actor, plan.school):
        raise PermissionDenied


def _closed(request: ActorRequest, plan: ImprovementPlan) -> HttpResponse | None:
    """A closed plan is read-only: back to it with a message (a page opened before it was closed)."""
    if plan.state == PlanState.OPEN:
        return None
    messages.error(request, _("This plan is closed: reopen it first to change it."))
    return redirect(_plan_url(plan))


def _typed_text_kept(request: ActorRequest, typed: str) -> None:
    """When a step is refused (someone else moved first), hand back the note, so nothing typed is lost."""
    typed = typed.strip()
    if typed:
        messages.warning(
            request, _("Your note has not been saved. This is what you typed, to copy: %(text)s") % {"text": typed}
        )


def _upload(form: django_forms.Form) -> DocumentUpload | None:
    file = form.cleaned_data.get("document")
    return DocumentUpload(title="", file=file) if file else None


def _auto_id(action: ImprovementAction, form: str) -> str:
    # Every action on the page has its own forms: ids must differ, the field names stay the same.
    return f"id_{form}_{action.pk.hex[:12]}_%s"


# --- the plan page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionPanel:
    """An action on the plan page with the forms the reader may use on it (None where they may not)."""

    row: ActionRow
    move_form: ActionMoveForm | None
    check_form: CheckForm | None
    open: str  # "move" or "check" when that form came back with errors


@dataclass(frozen=True)
class GoalPanel:
    row: GoalRow
    actions: list[ActionPanel]


def _plan_page(
    request: ActorRequest,
    plan: ImprovementPlan,
    *,
    bound: tuple[UUID, str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan with its goals and actions; `bound` is (action id, form name, form) for a form with errors."""
    detail = plan_detail_for(actor=request.actor, plan=plan)
    writable = detail.may_edit and plan.state == PlanState.OPEN
    goals: list[GoalPanel] = []
    for goal in detail.goals:
        actions: list[ActionPanel] = []
        for row in goal.actions:
            action = row.action
            mine = bound if bound is not None and bound[0] == action.pk else None
            move_form: Any = None
            check_form: Any = None
            if writable:
                if mine is not None and mine[1] == "move":
                    move_form = mine[2]
                elif row.moves:
                    move_form = ActionMoveForm(moves=row.moves, auto_id=_auto_id(action, "move"))
                if mine is not None and mine[1] == "check":
                    check_form = mine[2]
                else:
                    check_form = CheckForm(auto_id=_auto_id(action, "check"))
            actions.append(ActionPanel(row, move_form, check_form, mine[1] if mine else ""))
        goals.append(GoalPanel(goal, actions))
    context = {
        "plan": plan,
        "detail": detail,
        "goals": goals,
        "source": plan_source_of(plan),
        "writable": writable,
    }
    return render(request, "quality/plan_detail.html", context, status=status)


@require_safe
@actor_view()
def plan_detail(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    return _plan_page(request, plan_get_for(actor=request.actor, plan_id=plan_id))


@require_safe
@actor_view("quality.home")
def plan_list(request: ActorRequest) -> HttpResponse:
    """The plans the actor may see, by school (or the board's own) and status."""
    actor = request.actor
    schools = viewable_schools_for(actor=actor)
    board_viewer = rules.test_rule("quality.view_board", actor)
    wanted = request.GET.get("school", "")
    chosen: School | str | None = None
    if wanted == BOARD and board_viewer:
        chosen = BOARD
    elif wanted.isdigit():
        chosen = next((school for school in schools if school.pk == int(wanted)), None)
        if chosen is None:
            raise Http404
    state = request.GET.get("state", "")
    plans = plan_list_for(actor=actor, school=chosen, state=state)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "schools": schools,
        "board_viewer": board_viewer,
        "chosen": wanted if chosen is not None else "",
        "state": state if state in PlanState.values else "",
        "states": PlanState.choices,
        "may_create": bool(recordable_schools_for(actor=actor)) or rules.test_rule("quality.edit_board_level", actor),
    }
    return render(request, "quality/plan_list.html", context)


# --- starting a plan -------------------------------------------------------------------------------------


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise Http404 from None


def _source_from(request: ActorRequest) -> PlanSource | None:
    given = [name for name in SOURCE_PARAMS if request.GET.get(name)]
    if not given:
        return None
    if len(given) > 1:
        raise Http404  # a link names one source; more is not a link Bekwaam made
    name = given[0]
    value = _uuid(request.GET[name])
    return plan_source_get_for(
        actor=request.actor,
        evaluation_id=value if name == "evaluation" else None,
        inspection_id=value if name == "inspection" else None,
        visit_id=value if name == "visit" else None,
    )


@require_http_methods(["GET", "POST"])
@actor_view("quality.home")
def plan_create(request: ActorRequest) -> HttpResponse:
    """A new plan for a school (?school=<id>) or the board, optionally from one record (?evaluation= |
    ?inspection= | ?visit=) whose proposed goals the user ticks."""
    actor = request.actor
    source = _source_from(request)
    wanted = request.GET.get("school", "")
    board_choice = bool(rules.test_rule("quality.edit_board_level", actor))
    schools = recordable_schools_for(actor=actor)
    problem = ""
    fixed: School | str | None = None  # a School, BOARD, or None (the form offers the choice)
    if wanted == BOARD:
        fixed = BOARD
    elif wanted:
        if not wanted.isdigit():
            raise Http404
        fixed = school_get_for(actor=actor, school_id=int(wanted))
    if source is not None:
        chosen_key = fixed.pk if isinstance(fixed, School) else fixed
        if fixed is not None and chosen_key != (source.school_id or BOARD):
            problem = _(
                "The record you started from is about another school than the one chosen: start the plan "
                "from a record of the same school."
            )
        fixed = source.school if source.school is not None else BOARD
    if isinstance(fixed, School):
        if not rules.test_rule("quality.edit_school", actor, fixed):
            raise PermissionDenied
        schools, board_choice = [fixed], False
    elif fixed == BOARD:
        if not board_choice:
            raise PermissionDenied
        schools = []
    if not schools and not board_choice:
        raise PermissionDenied
    proposals = source.proposals if source is not None else []
    initial: dict[str, Any] = {"proposals": [p.key for p in proposals if p.checked]}
    if isinstance(fixed, School):
        initial["school"] = str(fixed.pk)
    elif fixed == BOARD or (board_choice and not schools):
        initial["school"] = BOARD
    elif len(schools) == 1 and not board_choice:
        initial["school"] = str(schools[0].pk)
    if source is not None:
        initial["title"] = _("Improvement plan after %(source)s") % {"source": source.label}
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None,
        schools=schools,
        board_choice=board_choice,
        proposals=proposals,
        initial=initial,
    )
    status = 400 if problem else 200
    if request.method == "POST" and not problem:
        if form.is_valid():
            data = form.cleaned_data
            school = None if data["school"] == BOARD else next(s for s in schools if str(s.pk) == data["school"])
            ticked = set(data.get("proposals") or [])
            goals = [
                services.GoalInput(title=p.title, description=p.description, standard_ids=p.standard_ids)
                for p in proposals
                if p.key in ticked
            ]
            record = source.record if source is not None else None
            try:
                plan = services.plan_create(
                    actor=actor,
                    school=school,
                    title=data["title"],
                    description=data["description"],
                    source_evaluation=record if isinstance(record, SelfEvaluation) else None,
                    source_inspection=record if isinstance(record, InspectionVisit) else None,
                    source_school_visit=record if isinstance(record, SchoolVisit) else None,
                    goals=goals,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The improvement plan has been created."))
                return redirect(_plan_url(plan))
        status = 400
    context = {"form": form, "source": source, "problem": problem, "fixed": fixed, "proposals": proposals}
    return render(request, "quality/plan_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
def plan_edit(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    plan = plan_get_for(actor=request.actor, plan_id=plan_id)
    _editable(request, plan)
    if (closed := _closed(request, plan)) is not None:
        return closed
    initial = {"title": plan.title, "description": plan.description}
    form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.plan_update(actor=request.actor, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect(_plan_url(plan))
        status = 400
    return render(request, "quality/plan_form.html", {"form": form, "plan": plan}, status=status)


def _plan_move(request: ActorRequest, plan_id: UUID, move: str, done: str) -> HttpResponse:
    plan = plan_get_for(actor=request.actor, plan_id=plan_id)
    _editable(request, plan)
    try:
        services.plan_move(actor=request.actor, plan=plan, move=move)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_plan_url(plan))


@require_POST
@actor_view()
def plan_close(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    return _plan_move(request, plan_id, "close", _("The plan has been closed."))


@require_POST
@actor_view()
def plan_reopen(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    return _plan_move(request, plan_id, "reopen", _("The plan has been reopened."))


# --- goals -----------------------------------------------------------------------------------------------


def _goal_input(form: GoalForm) -> services.GoalInput:
    data = form.cleaned_data
    return services.GoalInput(
        title=data["title"], description=data["description"], standard_ids=list(data.get("standards") or [])
    )


@require_http_methods(["GET", "POST"])
@actor_view()
def goal_create(request: ActorRequest, plan_id: UUID) -> HttpResponse:
    actor = request.actor
    plan = plan_get_for(actor=actor, plan_id=plan_id)
    _editable(request, plan)
    if (closed := _closed(request, plan)) is not None:
        return closed
    standards = plan_standards_for(framework=plan_framework(plan), school=plan.school)
    form = GoalForm(request.POST if request.method == "POST" else None, standards=standards)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.goal_create(actor=actor, plan=plan, goal=_goal_input(form))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The goal has been added."))
                return redirect(_plan_url(plan, f"goal-{goal.pk}"))
        status = 400
    return render(request, "quality/plan_goal_form.html", {"form": form, "plan": plan, "goal": None}, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
def goal_edit(request: ActorRequest, goal_id: int) -> HttpResponse:
    actor = request.actor
    goal = goal_get_for(actor=actor, goal_id=goal_id)
    plan = goal.plan
    _editable(request, plan)
    if (closed := _closed(request, plan)) is not None:
        return closed
    current = list(goal.standards.values_list("pk", flat=True))
    standards = plan_standards_for(framework=plan_framework(plan), school=plan.school, keep=current)
    initial = {"title": goal.title, "description": goal.description, "standards": current}
    form = GoalForm(request.POST if request.method == "POST" else None, standards=standards, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.goal_update(actor=actor, goal=goal, given=_goal_input(form))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The goal has been saved."))
                return redirect(_plan_url(plan, f"goal-{goal.pk}"))
        status = 400
    return render(request, "quality/plan_goal_form.html", {"form": form, "plan": plan, "goal": goal}, status=status)


@require_POST
@actor_view()
def goal_delete(request: ActorRequest, goal_id: int) -> HttpResponse:
    goal = goal_get_for(actor=request.actor, goal_id=goal_id)
    plan = goal.plan
    _editable(request, plan)
    try:
        services.goal_delete(actor=request.actor, goal=goal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_plan_url(plan, f"goal-{goal.pk}"))
    messages.success(request, _("The goal has been removed."))
    return redirect(_plan_url(plan, "goals"))


# --- actions ---------------------------------------------------------------------------------------------


def _action_input(form: ActionForm) -> services.ActionInput:
    data = form.cleaned_data
    return services.ActionInput(
        title=data["title"],
        description=data["description"],
        owner_id=_uuid(data["owner"]) if data["owner"] else None,
        start_date=data["start_date"],
        deadline=data["deadline"],
    )


def _action_form_page(
    request: ActorRequest,
    form: ActionForm,
    goal: ImprovementGoal,
    action: ImprovementAction | None,
    status: int,
) -> HttpResponse:
    context = {"form": form, "plan": goal.plan, "goal": goal, "action": action}
    return render(request, "quality/plan_action_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
def action_create(request: ActorRequest, goal_id: int) -> HttpResponse:
    actor = request.actor
    goal = goal_get_for(actor=actor, goal_id=goal_id)
    plan = goal.plan
    _editable(request, plan)
    if (closed := _closed(request, plan)) is not None:
        return closed
    owners = owner_choices_for(board_id=plan.board_id, school=plan.school)
    form = ActionForm(request.POST if request.method == "POST" else None, owners=owners)
    if request.method != "POST":
        return _action_form_page(request, form, goal, None, 200)
    if form.is_valid():
        try:
            action = services.action_create(actor=actor, goal=goal, given=_action_input(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action has been added."))
            return redirect(_plan_url(plan, f"action-{action.pk}"))
    return _action_form_page(request, form, goal, None, 400)


@require_http_methods(["GET", "POST"])
@actor_view()
def action_edit(request: ActorRequest, action_id: UUID) -> HttpResponse:
    actor = request.actor
    action = action_get_for(actor=actor, action_id=action_id)
    goal = action.goal
    plan = goal.plan
    _editable(request, plan)
    if (closed := _closed(request, plan)) is not None:
        return closed
    owners = owner_choices_for(board_id=plan.board_id, school=plan.school, keep=action.owner)
    initial = {
        "title": action.title,
        "description": action.description,
        "owner": str(action.owner_id) if action.owner_id else "",
        "start_date": action.start_date,
        "deadline": action.deadline,
    }
    form = ActionForm(request.POST if request.method == "POST" else None, owners=owners, initial=initial)
    if request.method != "POST":
        return _action_form_page(request, form, goal, action, 200)
    if form.is_valid():
        try:
            services.action_update(actor=actor, action=action, given=_action_input(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action has been saved."))
            return redirect(_plan_url(plan, f"action-{action.pk}"))
    return _action_form_page(request, form, goal, action, 400)


@require_POST
@actor_view()
def action_delete(request: ActorRequest, action_id: UUID) -> HttpResponse:
    action = action_get_for(actor=request.actor, action_id=action_id)
    plan = action.goal.plan
    _editable(request, plan)
    try:
        services.action_delete(actor=request.actor, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_plan_url(plan, f"action-{action.pk}"))
    messages.success(request, _("The action has been removed."))
    return redirect(_plan_url(plan, f"goal-{action.goal_id}"))


@require_POST
@actor_view()
def action_move(request: ActorRequest, action_id: UUID) -> HttpResponse:
    """One PDCA step with its dated note. Every step of the machine is accepted by the form, so a step
    that is no longer possible (someone else moved first) gets the state machine's own message."""
    actor = request.actor
    action = action_get_for(actor=actor, action_id=action_id)
    plan = action.goal.plan
    _editable(request, plan)
    all_moves = action_moves(action.phase) + [
        (move, str(ACTION_MACHINE.action_labels[move]))
        for move in ACTION_MACHINE.actions
        if move not in ACTION_MACHINE.actions_from(action.phase)
    ]
    form = ActionMoveForm(request.POST, request.FILES, moves=all_moves, auto_id=_auto_id(action, "move"))
    if form.is_valid():
        data = form.cleaned_data
        note = services.CheckInput(checked_on=data["checked_on"], text=data["text"], upload=_upload(form))
        try:
            moved, _check = services.action_move(actor=actor, action=action, move=data["move"], note=note)
        except TransitionRefusedError as error:
            messages.error(request, " ".join(error.messages))
            _typed_text_kept(request, data["text"])
            return redirect(_plan_url(plan, f"action-{action.pk}"))
        except ValidationError as error:
            if getattr(error, "code", None) == "closed":
                messages.error(request, " ".join(error.messages))
                _typed_text_kept(request, data["text"])
                return redirect(_plan_url(plan, f"action-{action.pk}"))
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("“%(action)s” is now in phase %(phase)s.")
                % {"action": moved.title, "phase": moved.get_phase_display()},
            )
            return redirect(_plan_url(plan, f"action-{action.pk}"))
    # Shown again with the steps possible now.
    form.fields["move"].choices = action_moves(action.phase)  # type: ignore[attr-defined]
    return _plan_page(request, plan, bound=(action.pk, "move", form), status=400)


@require_POST
@actor_view()
def action_check_add(request: ActorRequest, action_id: UUID) -> HttpResponse:
    """An extra dated note of what was checked or done, at any time while the plan is open."""
    actor = request.actor
    action = action_get_for(actor=actor, action_id=action_id)
    plan = action.goal.plan
    _editable(request, plan)
    form = CheckForm(request.POST, request.FILES, auto_id=_auto_id(action, "check"))
    if form.is_valid():
        data = form.cleaned_data
        note = services.CheckInput(checked_on=data["checked_on"], text=data["text"], upload=_upload(form))
        try:
            services.action_check_add(actor=actor, action=action, note=note)
        except ValidationError as error:
            if getattr(error, "code", None) == "closed":
                messages.error(request, " ".join(error.messages))
                _typed_text_kept(request, data["text"])
                return redirect(_plan_url(plan, f"action-{action.pk}"))
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The check has been recorded."))
            return redirect(_plan_url(plan, f"action-{action.pk}"))
    return _plan_page(request, plan, bound=(action.pk, "check", form), status=400)
