"""The conversation pages: the list, planning, the page of one conversation, the preparations, the report,
signing, addenda, agreements to the POP, the .ics and the PDF of a signed report.

Every page resolves the conversation through conversation_get_for (404 for anyone who is neither the
medewerker nor whoever leads them now); the services check the role again (403 for the other side).
A refused step (a stale page, a second tab) comes back as a message on the conversation page.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.conversations.forms.conversations import (
    AddendumForm,
    AddendumSignForm,
    DocumentForm,
    EmployeeSignForm,
    MomentForm,
    PlanForm,
)
from bekwaam.conversations.models import (
    AddendumState,
    Conversation,
    ConversationKind,
    ConversationState,
    DocumentRole,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER, conversation_get_for
from bekwaam.conversations.selectors.appraisals import appraisal_section_for
from bekwaam.conversations.selectors.conversations import (
    WHO_OWN,
    WHO_TEAM,
    addendum_get_for,
    agreement_get_for,
    agreements_for,
    conversation_calendar,
    conversation_list_for,
    conversation_page_for,
    document_edit_for,
    event_label,
    plan_choices_for,
    plan_employment_for,
    waiting_for,
)
from bekwaam.conversations.services import conversations as services
from bekwaam.conversations.views import typed_text_kept
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

PAGE_SIZE = 25
AS_MANAGER = "conversations.act_as_manager"
AS_EMPLOYEE = "conversations.act_as_employee"


def _conversation(request: ActorRequest, conversation_id: UUID) -> tuple[Conversation, str]:
    return conversation_get_for(actor=request.actor, conversation_id=conversation_id)


def _detail(conversation: Conversation, anchor: str = "") -> HttpResponse:
    url = reverse("conversations:detail", args=[conversation.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(
    request: ActorRequest, conversation: Conversation, error: ValidationError, anchor: str = ""
) -> HttpResponse:
    """A step that is not possible (any more): the message on the conversation page, as it is now."""
    messages.error(request, " ".join(error.messages))
    return _detail(conversation, anchor)


def _moment_errors(form: Any, error: ValidationError) -> None:
    """The service names the moment "scheduled_at"; the form asks for it as a date and a time."""
    if hasattr(error, "error_dict") and "scheduled_at" in error.error_dict:
        error.error_dict["date"] = error.error_dict.pop("scheduled_at")
    apply_validation_error(form, error)


# --- the list and planning --------------------------------------------------------------------------


@require_safe
@actor_view("conversations.view_own")
def conversation_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    who = request.GET.get("who", "")
    who = who if who in (WHO_OWN, WHO_TEAM) else ""
    leads = actor.has_permission("tenancy.view_team")
    page = Paginator(conversation_list_for(actor=actor, who=who), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for conversation in page.object_list:
        role = EMPLOYEE if conversation.employee_id == actor.person.pk else MANAGER
        rows.append((conversation, role, waiting_for(conversation=conversation, role=role)))
    context = {"page": page, "rows": rows, "who": who, "leads": leads, "kinds": ConversationKind.choices}
    return render(request, "conversations/list.html", context)


@require_http_methods(["GET", "POST"])
@actor_view("conversations.lead")
def conversation_plan(request: ActorRequest) -> HttpResponse:
    """Plan a conversation; ?employment=<id>&kind=<kind> (from "Mijn team") preselects the person and kind."""
    actor = request.actor
    employments = plan_choices_for(actor=actor)
    initial: dict[str, Any] = {}
    chosen = plan_employment_for(actor=actor, employment_id=request.GET.get("employment", ""))
    if chosen is not None:
        initial["employment"] = chosen.pk
    if request.GET.get("kind") in ConversationKind.values:
        initial["kind"] = request.GET["kind"]
    form = PlanForm(request.POST or None, employments=employments, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_plan(
                actor=actor,
                employment=data["employment"],
                kind=data["kind"],
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                online_url=data["online_url"],
            )
        except ValidationError as error:
            _moment_errors(form, error)
        else:
            messages.success(
                request,
                _("The conversation has been planned. %(name)s and you get an invitation by e-mail.")
                % {"name": conversation.employee.full_name},
            )
            return _detail(conversation)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "has_team": employments.exists(), "conversation": None}
    return render(request, "conversations/plan_form.html", context, status=status)


# --- one conversation -------------------------------------------------------------------------------


def _page(
    request: ActorRequest,
    conversation: Conversation,
    role: str,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The conversation page; `bound` holds a form that came back with errors, by its name."""
    actor = request.actor
    page = conversation_page_for(actor=actor, conversation=conversation, role=role)
    services.conversation_access_record(actor=actor, conversation=conversation, role=role, path=request.path)
    bound = bound or {}
    sign_form = None
    if page.may["sign"] and role == EMPLOYEE:
        sign_form = bound.get("sign") or EmployeeSignForm(initial={"reaction": conversation.employee_reaction})
    addenda = []
    for item in page.addenda:
        form = None
        if item.may_sign and role == EMPLOYEE:
            form = bound.get(f"addendum-{item.addendum.pk}") or AddendumSignForm(
                prefix=f"addendum-{item.addendum.pk.hex[:8]}"
            )
        addenda.append((item, form))
    context = {
        "page": page,
        "conversation": conversation,
        "role": role,
        "sign_form": sign_form,
        "addenda": addenda,
        "events": [(event, event_label(event)) for event in page.events],
        "appraisal": appraisal_section_for(actor=actor, conversation=conversation, role=role),
    }
    return render(request, "conversations/detail.html", context, status=status)


@require_safe
@actor_view()
def conversation_detail(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, role = _conversation(request, conversation_id)
    return _page(request, conversation, role)


@require_safe
@actor_view()
def conversation_ics(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The calendar event to add by hand (the same UID and SEQUENCE as the e-mailed invitation)."""
    conversation, _role = _conversation(request, conversation_id)
    data = conversation_calendar(conversation=conversation, site_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{conversation.scheduled_at:%Y%m%d}.ics"'
    return response


@require_safe
@actor_view()
def conversation_pdf(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, role = _conversation(request, conversation_id)
    if conversation.state != ConversationState.SIGNED:
        raise Http404
    pdf = services.conversation_pdf(actor=request.actor, conversation=conversation, role=role, path=request.path)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"verslag-{conversation.kind}-{conversation.scheduled_at:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@actor_view()
def conversation_reschedule(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    if conversation.state != ConversationState.PLANNED:
        messages.error(request, _("Only a planned conversation can be moved."))
        return _detail(conversation)
    initial = {
        "date": timezone.localtime(conversation.scheduled_at).date(),
        "time": timezone.localtime(conversation.scheduled_at).time().replace(second=0, microsecond=0),
        "duration_minutes": conversation.duration_minutes,
        "location": conversation.location,
        "online_url": conversation.online_url,
    }
    form = MomentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conversation_reschedule(
                actor=request.actor,
                conversation=conversation,
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                online_url=data["online_url"],
            )
        except ValidationError as error:
            _moment_errors(form, error)
        else:
            messages.success(request, _("The conversation has been moved. Both of you get the new invitation."))
            return _detail(conversation)
    status = 400 if request.method == "POST" else 200
    return render(request, "conversations/plan_form.html", {"form": form, "conversation": conversation}, status=status)


@require_POST
@actor_view()
def conversation_cancel(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    try:
        services.conversation_cancel(actor=request.actor, conversation=conversation)
    except ValidationError as error:
        return _refused(request, conversation, error)
    messages.success(request, _("The conversation has been cancelled. Both of you get a cancellation by e-mail."))
    return _detail(conversation)


# --- preparation ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view()
def preparation(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The actor's own preparation (each side has one); save halfway as often as you like."""
    conversation, role = _conversation(request, conversation_id)
    document_role = DocumentRole.EMPLOYEE_PREPARATION if role == EMPLOYEE else DocumentRole.MANAGER_PREPARATION
    if conversation.state not in (ConversationState.PLANNED, ConversationState.REPORTING):
        messages.error(request, _("The report has been put forward: the preparations can no longer change."))
        return _detail(conversation, "preparation")
    form_view = document_edit_for(conversation=conversation, document_role=document_role)
    if form_view is None:
        raise Http404
    form = DocumentForm(request.POST or None, form_view=form_view)
    if request.method == "POST" and form.is_valid():
        try:
            services.preparation_save(actor=request.actor, conversation=conversation, answers=form.answers())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your preparation has been saved. Only you can read it until you share it."))
            return _detail(conversation, "preparation")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "conversation": conversation, "role": role, "is_report": False}
    return render(request, "conversations/document_form.html", context, status=status)


@require_POST
@actor_view()
def preparation_share(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    try:
        services.preparation_share(actor=request.actor, conversation=conversation)
    except ValidationError as error:
        return _refused(request, conversation, error, "preparation")
    messages.success(request, _("Your preparation is shared: the other side can read it now."))
    return _detail(conversation, "preparation")


# --- the report -------------------------------------------------------------------------------------


@require_POST
@actor_view()
def report_start(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    try:
        services.report_start(actor=request.actor, conversation=conversation)
    except ValidationError as error:
        return _refused(request, conversation, error)
    return redirect("conversations:report", conversation_id=conversation.pk)


@require_http_methods(["GET", "POST"])
@actor_view()
def report(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The leidinggevende writes the report: the report form's answers and the agreements."""
    conversation, role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    if conversation.state != ConversationState.REPORTING:
        messages.error(request, _("The report can only be changed while it is being written."))
        return _detail(conversation, "report")
    form_view = document_edit_for(conversation=conversation, document_role=DocumentRole.REPORT)
    form = DocumentForm(request.POST or None, form_view=form_view, agreements=agreements_for(conversation=conversation))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                actor=request.actor, conversation=conversation, answers=form.answers(), agreements=form.agreements()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The report has been saved. The employee reads it once you put it forward."))
            if "continue" in request.POST:
                return redirect("conversations:report", conversation_id=conversation.pk)
            return _detail(conversation, "report")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "conversation": conversation, "role": role, "is_report": True}
    return render(request, "conversations/document_form.html", context, status=status)


@require_POST
@actor_view()
def report_submit(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    try:
        services.report_submit(actor=request.actor, conversation=conversation)
    except ValidationError as error:
        return _refused(request, conversation, error, "report")
    messages.success(
        request,
        _("The report has been put forward. %(name)s gets an e-mail to read and sign it.")
        % {"name": conversation.employee.full_name},
    )
    return _detail(conversation, "report")


@require_POST
@actor_view()
def report_reopen(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    try:
        services.report_reopen(actor=request.actor, conversation=conversation)
    except ValidationError as error:
        return _refused(request, conversation, error, "report")
    messages.success(
        request, _("You have taken the report back. The employee no longer sees it until you put it forward again.")
    )
    return redirect("conversations:report", conversation_id=conversation.pk)


@require_POST
@actor_view()
def reaction(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The medewerker saves their reaction without signing yet."""
    conversation, role = _conversation(request, conversation_id)
    authorize(request.actor, AS_EMPLOYEE, conversation)
    form = EmployeeSignForm(request.POST)
    form.fields["verdict"].required = False
    if form.is_valid():
        try:
            services.reaction_save(
                actor=request.actor, conversation=conversation, reaction=form.cleaned_data["reaction"]
            )
        except ValidationError as error:
            typed_text_kept(request, typed=form.cleaned_data["reaction"], stored=conversation.employee_reaction)
            return _refused(request, conversation, error, "sign")
        messages.success(request, _("Your reaction has been saved. Your manager reads it once you have signed."))
        return _detail(conversation, "sign")
    return _page(request, conversation, role, bound={"sign": form}, status=400)


@require_POST
@actor_view()
def sign(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """Sign the report: the medewerker with a verdict (and their reaction), the leidinggevende after them."""
    conversation, role = _conversation(request, conversation_id)
    actor = request.actor
    if role == MANAGER:
        try:
            services.report_manager_sign(actor=actor, conversation=conversation)
        except ValidationError as error:
            return _refused(request, conversation, error, "signatures")
        messages.success(request, _("You have signed. The report is final now."))
        return _detail(conversation, "signatures")
    form = EmployeeSignForm(request.POST)
    if form.is_valid():
        try:
            services.report_employee_sign(
                actor=actor,
                conversation=conversation,
                verdict=form.cleaned_data["verdict"],
                reaction=form.cleaned_data["reaction"],
            )
        except ValidationError as error:
            typed_text_kept(request, typed=form.cleaned_data["reaction"], stored=conversation.employee_reaction)
            return _refused(request, conversation, error, "signatures")
        messages.success(request, _("You have signed. Your manager signs next."))
        return _detail(conversation, "signatures")
    if conversation.state != ConversationState.WITH_EMPLOYEE:
        # No form to show the error at any more (a stale page): say what happened instead.
        typed_text_kept(request, typed=request.POST.get("reaction", ""), stored=conversation.employee_reaction)
        return _refused(
            request,
            conversation,
            ValidationError(_("You have signed this already (perhaps in another tab).")),
            "signatures",
        )
    return _page(request, conversation, role, bound={"sign": form}, status=400)


# --- addenda ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view()
def addendum_create(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_MANAGER, conversation)
    if conversation.state != ConversationState.SIGNED:
        messages.error(request, _("An addendum can only be added to a signed report."))
        return _detail(conversation)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.addendum_create(actor=request.actor, conversation=conversation, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The addendum has been added. %(name)s gets an e-mail to sign it.")
                % {"name": conversation.employee.full_name},
            )
            return _detail(conversation, "addenda")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "conversations/addendum_form.html", {"form": form, "conversation": conversation}, status=status
    )


@require_POST
@actor_view()
def addendum_sign(request: ActorRequest, conversation_id: UUID, addendum_id: UUID) -> HttpResponse:
    conversation, role = _conversation(request, conversation_id)
    addendum = addendum_get_for(conversation=conversation, addendum_id=addendum_id)
    actor = request.actor
    anchor = f"addendum-{addendum.pk}"
    if role == MANAGER:
        try:
            services.addendum_manager_sign(actor=actor, addendum=addendum)
        except ValidationError as error:
            return _refused(request, conversation, error, anchor)
        messages.success(request, _("You have signed the addendum. It is final now."))
        return _detail(conversation, anchor)
    form = AddendumSignForm(request.POST, prefix=f"addendum-{addendum.pk.hex[:8]}")
    if form.is_valid():
        try:
            services.addendum_employee_sign(
                actor=actor,
                addendum=addendum,
                verdict=form.cleaned_data["verdict"],
                reaction=form.cleaned_data["reaction"],
            )
        except ValidationError as error:
            typed_text_kept(request, typed=form.cleaned_data["reaction"], stored=addendum.employee_reaction)
            return _refused(request, conversation, error, anchor)
        messages.success(request, _("You have signed the addendum. Your manager signs next."))
        return _detail(conversation, anchor)
    if addendum.state != AddendumState.WITH_EMPLOYEE:
        return _refused(
            request, conversation, ValidationError(_("You have signed this already (perhaps in another tab).")), anchor
        )
    return _page(request, conversation, role, bound={f"addendum-{addendum.pk}": form}, status=400)


# --- agreements to the POP --------------------------------------------------------------------------


@require_POST
@actor_view()
def agreement_goal(request: ActorRequest, conversation_id: UUID, agreement_id: int) -> HttpResponse:
    """One click: the agreement becomes a goal in the medewerker's POP (a second click opens the same goal)."""
    conversation, _role = _conversation(request, conversation_id)
    authorize(request.actor, AS_EMPLOYEE, conversation)
    agreement = agreement_get_for(conversation=conversation, agreement_id=agreement_id)
    had_goal = agreement.goal_id is not None and agreement.goal is not None
    try:
        goal = services.agreement_goal_create(actor=request.actor, agreement=agreement)
    except ValidationError as error:
        return _refused(request, conversation, error, "agreements")
    if not had_goal:
        messages.success(
            request, _("The agreement is now a goal in your development plan “%(plan)s”.") % {"plan": goal.plan.title}
        )
    return redirect(f"{reverse('dossier:plan-detail', kwargs={'plan_id': goal.plan_id})}#goal-{goal.pk}")


urlpatterns: list[URLPattern] = [
    path("", conversation_list, name="list"),
    path("plan/", conversation_plan, name="plan"),
    path("<uuid:conversation_id>/", conversation_detail, name="detail"),
    path("<uuid:conversation_id>/calendar.ics", conversation_ics, name="ics"),
    path("<uuid:conversation_id>/report.pdf", conversation_pdf, name="pdf"),
    path("<uuid:conversation_id>/move/", conversation_reschedule, name="reschedule"),
    path("<uuid:conversation_id>/cancel/", conversation_cancel, name="cancel"),
    path("<uuid:conversation_id>/preparation/", preparation, name="preparation"),
    path("<uuid:conversation_id>/preparation/share/", preparation_share, name="preparation-share"),
    path("<uuid:conversation_id>/report/start/", report_start, name="report-start"),
    path("<uuid:conversation_id>/report/", report, name="report"),
    path("<uuid:conversation_id>/report/submit/", report_submit, name="report-submit"),
    path("<uuid:conversation_id>/report/reopen/", report_reopen, name="report-reopen"),
    path("<uuid:conversation_id>/reaction/", reaction, name="reaction"),
    path("<uuid:conversation_id>/sign/", sign, name="sign"),
    path("<uuid:conversation_id>/addenda/new/", addendum_create, name="addendum-create"),
    path("<uuid:conversation_id>/addenda/<uuid:addendum_id>/sign/", addendum_sign, name="addendum-sign"),
    path("<uuid:conversation_id>/agreements/<int:agreement_id>/goal/", agreement_goal, name="agreement-goal"),
]
