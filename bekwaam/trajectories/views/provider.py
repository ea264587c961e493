"""The aanbieder's pages: templates (with their steps and assignments), the worklist of assessors and
coaches, and the staff trajectory page with its steps (accept, review, additions, interview, coaching
sessions, comments).

Template pages need "trajectories.manage_templates" (assessors); the worklist and trajectory pages
"trajectories.view_worklist" (assessors and coaches). Objects are fetched only through the provider
selectors: another aanbieder's template or trajectory, and a trajectory a coach does not coach, is not
found (404). Someone who sees the trajectory but may not take a step gets 403; a step the state no longer
allows (another assessor was first) comes back as a message on the trajectory page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.lib.forms import apply_validation_error
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize
from bekwaam.trajectories.forms.provider import (
    START_EXAMPLE,
    AcceptForm,
    AdditionsForm,
    AssignmentForm,
    CoachingSessionForm,
    CommentForm,
    InterviewForm,
    MoveForm,
    StepForm,
    TemplateCreateForm,
    TemplateForm,
    template_initial,
)
from bekwaam.trajectories.models import Trajectory, TrajectoryState, TrajectoryTemplate, criteria_default
from bekwaam.trajectories.selectors import ASSESSOR, CANDIDATE, COACH
from bekwaam.trajectories.selectors import provider as selectors
from bekwaam.trajectories.services import coaching as coaching_services
from bekwaam.trajectories.services import review as review_services
from bekwaam.trajectories.services import templates as template_services

MANAGE = "trajectories.manage_templates"
WORK = "trajectories.view_worklist"
PAGE_SIZE = 25


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- templates ------------------------------------------------------------------------------------------


def _edit_url(template: TrajectoryTemplate, anchor: str = "") -> str:
    url = reverse("trajectories:template-edit", kwargs={"template_id": template.pk})
    return f"{url}#{anchor}" if anchor else url


@require_safe
@actor_view(MANAGE)
def template_list(request: ActorRequest) -> HttpResponse:
    templates = list(selectors.template_list_for(actor=request.actor))
    return render(request, "trajectories/provider/template_list.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def template_create(request: ActorRequest) -> HttpResponse:
    """A new template: empty, or started from the example of its kind (steps and assignments filled in)."""
    initial = {"criteria": "\n".join(item["text"] for item in criteria_default())}
    form = TemplateCreateForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template = template_services.template_create(
                actor=request.actor, data=form.data_object(), example=form.cleaned_data["start"] == START_EXAMPLE
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The template has been made. Add or change its steps and assignments, then publish it.")
            )
            return redirect(_edit_url(template))
    status = 400 if request.method == "POST" else 200
    return render(request, "trajectories/provider/template_create.html", {"form": form}, status=status)


def _edit_page(
    request: ActorRequest,
    template: TrajectoryTemplate,
    *,
    form: TemplateForm | None = None,
    step_form: StepForm | None = None,
    assignment_form: AssignmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "template": template,
        "form": form or TemplateForm(initial=template_initial(template)),
        "step_form": step_form or StepForm(),
        "assignment_form": assignment_form or AssignmentForm(),
        "steps": selectors.template_steps(template=template),
        "assignments": selectors.template_assignments(template=template),
        "counts": selectors.template_trajectory_counts(template=template),
        "archived": template.archived_at is not None,
    }
    return render(request, "trajectories/provider/template_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def template_edit(request: ActorRequest, template_id: UUID) -> HttpResponse:
    """The template's page: its fields (POST saves them), steps and assignments with their small forms."""
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    if request.method == "GET":
        return _edit_page(request, template)
    form = TemplateForm(request.POST, initial=template_initial(template))
    if form.is_valid():
        try:
            template_services.template_update(actor=request.actor, template=template, data=form.data_object())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The template has been saved."))
            return redirect(_edit_url(template))
    return _edit_page(request, template, form=form, status=400)


def _template_action(
    request: ActorRequest, template: TrajectoryTemplate, action: Callable[[], Any], success: str, anchor: str = ""
) -> HttpResponse:
    """A button on the template page: do it, and come back with its message (or the refusal)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(_edit_url(template, anchor))


def _direction(request: HttpRequest) -> str:
    form = MoveForm(request.POST)
    return str(form.cleaned_data["direction"]) if form.is_valid() else ""


@require_POST
@actor_view(MANAGE)
def template_step_add(request: ActorRequest, template_id: UUID) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            template_services.template_step_add(actor=request.actor, template=template, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_edit_url(template, "steps"))
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The step has been added."))
            return redirect(_edit_url(template, "steps"))
    return _edit_page(request, template, step_form=form, status=400)


@require_POST
@actor_view(MANAGE)
def template_step_delete(request: ActorRequest, template_id: UUID, step_id: int) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    step = selectors.template_step_get_for(template=template, step_id=step_id)
    step.template = template
    return _template_action(
        request,
        template,
        lambda: template_services.template_step_delete(actor=request.actor, step=step),
        _("The step has been removed."),
        "steps",
    )


@require_POST
@actor_view(MANAGE)
def template_step_move(request: ActorRequest, template_id: UUID, step_id: int) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    step = selectors.template_step_get_for(template=template, step_id=step_id)
    step.template = template
    direction = _direction(request)
    return _template_action(
        request,
        template,
        lambda: template_services.template_step_move(actor=request.actor, step=step, direction=direction),
        _("The step has been moved."),
        "steps",
    )


@require_POST
@actor_view(MANAGE)
def template_assignment_add(request: ActorRequest, template_id: UUID) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            template_services.template_assignment_add(actor=request.actor, template=template, data=form.data_object())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_edit_url(template, "assignments"))
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The assignment has been added."))
            return redirect(_edit_url(template, "assignments"))
    return _edit_page(request, template, assignment_form=form, status=400)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def template_assignment_edit(request: ActorRequest, template_id: UUID, assignment_id: int) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    assignment = selectors.template_assignment_get_for(template=template, assignment_id=assignment_id)
    assignment.template = template
    initial = {
        "title": assignment.title,
        "instructions": assignment.instructions,
        "theme": assignment.theme_id,
        "min_evidence": assignment.min_evidence,
        "min_reflections": assignment.min_reflections,
    }
    form = AssignmentForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template_services.template_assignment_update(
                actor=request.actor, assignment=assignment, data=form.data_object()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The assignment has been saved."))
            return redirect(_edit_url(template, "assignments"))
    status = 400 if request.method == "POST" else 200
    context = {"template": template, "assignment": assignment, "form": form}
    return render(request, "trajectories/provider/assignment_edit.html", context, status=status)


@require_POST
@actor_view(MANAGE)
def template_assignment_delete(request: ActorRequest, template_id: UUID, assignment_id: int) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    assignment = selectors.template_assignment_get_for(template=template, assignment_id=assignment_id)
    assignment.template = template
    return _template_action(
        request,
        template,
        lambda: template_services.template_assignment_delete(actor=request.actor, assignment=assignment),
        _("The assignment has been removed."),
        "assignments",
    )


@require_POST
@actor_view(MANAGE)
def template_assignment_move(request: ActorRequest, template_id: UUID, assignment_id: int) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    assignment = selectors.template_assignment_get_for(template=template, assignment_id=assignment_id)
    assignment.template = template
    direction = _direction(request)
    return _template_action(
        request,
        template,
        lambda: template_services.template_assignment_move(
            actor=request.actor, assignment=assignment, direction=direction
        ),
        _("The assignment has been moved."),
        "assignments",
    )


@require_POST
@actor_view(MANAGE)
def template_publish(request: ActorRequest, template_id: UUID) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    return _template_action(
        request,
        template,
        lambda: template_services.template_publish(actor=request.actor, template=template),
        _("The template has been published: school leaders can enrol for it."),
    )


@require_POST
@actor_view(MANAGE)
def template_unpublish(request: ActorRequest, template_id: UUID) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    return _template_action(
        request,
        template,
        lambda: template_services.template_unpublish(actor=request.actor, template=template),
        _("The template is no longer offered. Running trajectories go on."),
    )


@require_POST
@actor_view(MANAGE)
def template_archive(request: ActorRequest, template_id: UUID) -> HttpResponse:
    template = selectors.template_get_for(actor=request.actor, template_id=template_id)
    return _template_action(
        request,
        template,
        lambda: template_services.template_archive(actor=request.actor, template=template),
        _("The template has been archived. Running trajectories go on."),
    )


# --- the worklist ---------------------------------------------------------------------------------------


@require_safe
@actor_view(WORK)
def worklist(request: ActorRequest) -> HttpResponse:
    """Assessors: every trajectory at the aanbieder, those waiting for action first; coaches: those they coach."""
    actor = request.actor
    choice = request.GET.get("state", "") or selectors.worklist_default(actor)
    if choice not in selectors.FILTERS and choice not in TrajectoryState.values:
        choice = selectors.worklist_default(actor)
    counts = selectors.worklist_counts(actor=actor)
    page = Paginator(selectors.worklist_for(actor=actor, choice=choice), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": list(page.object_list),
        "choice": choice,
        "options": selectors.worklist_options(counts=counts),
        "is_assessor": actor.has_permission("trajectories.assess"),
        "query": f"state={choice}",
    }
    return render(request, "trajectories/provider/worklist.html", context)


# --- the staff trajectory page --------------------------------------------------------------------------


def _work_url(trajectory: Trajectory, anchor: str = "") -> str:
    url = reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk})
    return f"{url}#{anchor}" if anchor else url


def _staff(request: ActorRequest, trajectory_id: UUID) -> tuple[Trajectory, str | None]:
    """The trajectory (404 when not visible) and the actor's role; the candidate is sent off with 403."""
    trajectory, role = selectors.staff_trajectory_get_for(actor=request.actor, trajectory_id=trajectory_id)
    if role not in (ASSESSOR, COACH):
        raise PermissionDenied
    return trajectory, role


def _hub(
    request: ActorRequest,
    trajectory: Trajectory,
    role: str | None,
    *,
    status: int = 200,
    accept_form: AcceptForm | None = None,
    additions_form: AdditionsForm | None = None,
    coaching_form: CoachingSessionForm | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    page = selectors.staff_page_for(actor=request.actor, trajectory=trajectory, role=role)
    context = {
        "trajectory": trajectory,
        "page": page,
        "role": role,
        "may": page.actions,
        "assignments": page.assignments,
        "show_comments": True,
        "accept_form": accept_form
        or (
            AcceptForm(coaches=selectors.coach_choices_for(trajectory=trajectory))
            if page.actions.accept and trajectory.with_coaching
            else None
        ),
        "additions_form": additions_form or (AdditionsForm() if page.actions.request_additions else None),
        "coaching_form": coaching_form or (CoachingSessionForm() if page.actions.coach else None),
        "comment_form": comment_form or (CommentForm(items=page.item_choices) if page.actions.comment else None),
    }
    return render(request, "trajectories/provider/work.html", context, status=status)


@require_safe
@actor_view()
def work(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """The staff page; anyone else gets 403, and the candidate of this trajectory a link to their own page."""
    actor = request.actor
    if not rules.test_rule(WORK, actor):
        context = {"trajectory_id": trajectory_id, "is_candidate": selectors.is_own_trajectory(actor, trajectory_id)}
        return render(request, "trajectories/provider/not_staff.html", context, status=403)
    trajectory, role = selectors.staff_trajectory_get_for(actor=actor, trajectory_id=trajectory_id)
    if role not in (ASSESSOR, COACH):
        context = {"trajectory_id": trajectory.pk, "is_candidate": role == CANDIDATE}
        return render(request, "trajectories/provider/not_staff.html", context, status=403)
    return _hub(request, trajectory, role)


def _refused(request: HttpRequest, trajectory: Trajectory, error: ValidationError, typed: str = "") -> HttpResponse:
    """A step that is not possible (any more): its message on the trajectory page; typed text handed back."""
    messages.error(request, " ".join(error.messages))
    if typed.strip():
        messages.warning(
            request, _("Your text has not been saved. This is what you typed, to copy: %(text)s") % {"text": typed}
        )
    return redirect(_work_url(trajectory))


def _as(request: ActorRequest, trajectory: Trajectory, rule: str) -> None:
    """403 for someone who sees the trajectory but may not take this step."""
    authorize(request.actor, rule, trajectory)


@require_POST
@actor_view(WORK)
def accept(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory, role = _staff(request, trajectory_id)
    _as(request, trajectory, "trajectories.assess")
    coach = None
    form: AcceptForm | None = None
    if trajectory.with_coaching:
        form = AcceptForm(request.POST, coaches=selectors.coach_choices_for(trajectory=trajectory))
        if not form.is_valid():
            if trajectory.state != TrajectoryState.ENROLLED:
                return _refused(request, trajectory, review_services.refusal(trajectory, "start"))
            return _hub(request, trajectory, role, status=400, accept_form=form)
        coach = form.cleaned_data["coach"]
    try:
        review_services.trajectory_accept(actor=request.actor, trajectory=trajectory, coach=coach)
    except TransitionRefusedError as error:
        return _refused(request, trajectory, error)
    except ValidationError as error:
        if form is None:
            return _refused(request, trajectory, error)
        apply_validation_error(form, error)
        return _hub(request, trajectory, role, status=400, accept_form=form)
    messages.success(request, _("The enrolment has been accepted. The candidate gets an e-mail."))
    return redirect(_work_url(trajectory))


@require_POST
@actor_view(WORK)
def review_start(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory, _role = _staff(request, trajectory_id)
    _as(request, trajectory, "trajectories.assess")
    try:
        review_services.review_start(actor=request.actor, trajectory=trajectory)
    except ValidationError as error:
        return _refused(request, trajectory, error)
    messages.success(request, _("You have started the review of the portfolio."))
    return redirect(_work_url(trajectory, "portfolio"))


@require_POST
@actor_view(WORK)
def additions_request(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory, role = _staff(request, trajectory_id)
    _as(request, trajectory, "trajectories.assess")
    form = AdditionsForm(request.POST)
    if not form.is_valid():
        if trajectory.state != TrajectoryState.UNDER_REVIEW:
            error = review_services.refusal(trajectory, "request_additions")
            return _refused(request, trajectory, error, request.POST.get("missing", ""))
        return _hub(request, trajectory, role, status=400, additions_form=form)
    try:
        review_services.additions_request(
            actor=request.actor, trajectory=trajectory, missing=form.cleaned_data["missing"]
        )
    except TransitionRefusedError as error:
        return _refused(request, trajectory, error, form.cleaned_data["missing"])
    except ValidationError as error:
        apply_validation_error(form, error)
        return _hub(request, trajectory, role, status=400, additions_form=form)
    messages.success(request, _("The candidate has been asked for additions and gets an e-mail."))
    return redirect(_work_url(trajectory))


@require_http_methods(["GET", "POST"])
@actor_view(WORK)
def interview_plan(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """Plan the interview (from the review: freezes the portfolio), or move it while it is planned."""
    trajectory, _role = _staff(request, trajectory_id)
    _as(request, trajectory, "trajectories.assess")
    moving = (request.POST.get("move") if request.method == "POST" else None) == "1" or (
        request.method == "GET" and trajectory.state == TrajectoryState.INTERVIEW_PLANNED
    )
    if request.method == "GET" and trajectory.state not in (
        TrajectoryState.UNDER_REVIEW,
        TrajectoryState.INTERVIEW_PLANNED,
    ):
        return _refused(request, trajectory, review_services.refusal(trajectory, "plan_interview"))
    initial: dict[str, Any] = {}
    if trajectory.interview_at is not None and trajectory.state == TrajectoryState.INTERVIEW_PLANNED:
        local = timezone.localtime(trajectory.interview_at)
        initial = {"date": local.date(), "time": local.time(), "location": trajectory.interview_location}
    form = InterviewForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        service = review_services.interview_move if moving else review_services.interview_plan
        try:
            service(
                actor=request.actor,
                trajectory=trajectory,
                at=form.moment(),
                location=form.cleaned_data["location"],
            )
        except TransitionRefusedError as error:
            return _refused(request, trajectory, error)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if moving:
                messages.success(request, _("The interview has been moved. Everyone invited gets the update."))
            else:
                messages.success(
                    request,
                    _(
                        "The interview has been planned and the portfolio frozen. The candidate, the coach and "
                        "the assessors get the invitation."
                    ),
                )
            return redirect(_work_url(trajectory))
    status = 400 if request.method == "POST" else 200
    context = {"trajectory": trajectory, "form": form, "moving": moving}
    return render(request, "trajectories/provider/interview_form.html", context, status=status)


@require_POST
@actor_view(WORK)
def coaching_create(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory, role = _staff(request, trajectory_id)
    _as(request, trajectory, "trajectories.coach")
    form = CoachingSessionForm(request.POST)
    if form.is_valid():
        try:
            coaching_services.coaching_session_create(
                actor=request.actor,
                trajectory=trajectory,
                held_on=form.cleaned_data["held_on"],
                summary=form.cleaned_data["summary"],
            )
        except TransitionRefusedError as error:
            return _refused(request, trajectory, error, form.cleaned_data["summary"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The coaching session has been recorded. The candidate sees it."))
            return redirect(_work_url(trajectory, "coaching"))
    return _hub(request, trajectory, role, status=400, coaching_form=form)


@require_POST
@actor_view(WORK)
def comment_create(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory, role = _staff(request, trajectory_id)
    _as(request, trajectory, "trajectories.comment")
    items = selectors.comment_item_choices(actor=request.actor, trajectory=trajectory)
    form = CommentForm(request.POST, items=items)
    if form.is_valid():
        try:
            coaching_services.comment_create(
                actor=request.actor,
                trajectory=trajectory,
                body=form.cleaned_data["body"],
                item_id=form.cleaned_data.get("item") or None,
            )
        except TransitionRefusedError as error:
            return _refused(request, trajectory, error, form.cleaned_data["body"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your comment has been added. The candidate reads it."))
            return redirect(_work_url(trajectory, "comments"))
    return _hub(request, trajectory, role, status=400, comment_form=form)
