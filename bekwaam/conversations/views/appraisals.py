"""The beoordeling's pages: the beheerder's criteria and scale, the board's list with objections, and the
appraisal of one beoordelingsgesprek (written by the leidinggevende, read, reacted to and signed by the
medewerker), whose part on the conversation page is templates/conversations/_appraisal_section.html.

Each form posts here and comes back to the conversation page; a form with errors is shown again on a
page of its own with what was typed (status 400). Conversation pages answer 404 to whoever takes no
part in the conversation (conversations.selectors.conversation_get_for), and 403 to the other party
for a step that is not theirs.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.conversations.forms.appraisals import (
    AppraisalCriterionEditForm,
    AppraisalCriterionForm,
    AppraisalDraftForm,
    AppraisalEmployeeSignForm,
    AppraisalLevelEditForm,
    AppraisalLevelForm,
    AppraisalReactionForm,
    BoardAppraisalFilterForm,
    ObjectionForm,
    argument_field_name,
    level_field_name,
)
from bekwaam.conversations.models import AppraisalState, Conversation, ConversationKind
from bekwaam.conversations.selectors import MANAGER, conversation_get_for
from bekwaam.conversations.selectors.appraisals import (
    DraftForm,
    appraisal_criteria_for,
    appraisal_criterion_get_for,
    appraisal_draft_for,
    appraisal_get_for,
    appraisal_level_get_for,
    appraisal_levels_for,
    appraisal_section_for,
    board_appraisal_get_for,
    board_appraisal_rows,
    board_appraisals_for,
    board_state_choices,
)
from bekwaam.conversations.services import appraisals as services
from bekwaam.conversations.views import typed_text_kept
from bekwaam.lib.forms import apply_validation_error
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

MANAGE = "conversations.manage"
PAGE_SIZE = 50


def _detail_url(conversation: Conversation) -> str:
    """The conversation page, at the appraisal's part."""
    return f"{reverse('conversations:detail', kwargs={'conversation_id': conversation.pk})}#appraisal"


def _conversation(request: ActorRequest, conversation_id: UUID) -> tuple[Conversation, str]:
    """The beoordelingsgesprek and the actor's role in it; 404 for anyone outside it and for other kinds."""
    conversation, role = conversation_get_for(actor=request.actor, conversation_id=conversation_id)
    if conversation.kind != ConversationKind.APPRAISAL:
        raise Http404
    return conversation, role


def _refused(request: ActorRequest, conversation: Conversation, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(conversation))


# --- the appraisal of one conversation ------------------------------------------------------------------


def _appraisal_page(
    request: ActorRequest,
    conversation: Conversation,
    role: str,
    *,
    reaction_form: django_forms.Form | None = None,
    sign_form: django_forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The appraisal on a page of its own (the part of the conversation page, with forms that came back)."""
    section = appraisal_section_for(actor=request.actor, conversation=conversation, role=role)
    if reaction_form is not None:
        section["reaction_form"] = reaction_form
    if sign_form is not None:
        section["sign_form"] = sign_form
    context = {"conversation": conversation, "appraisal": section, "back": _detail_url(conversation)}
    return render(request, "conversations/appraisal_view.html", context, status=status)


@require_safe
@actor_view()
def appraisal_view(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The appraisal part alone: what the conversation page shows of it, for either party."""
    conversation, role = _conversation(request, conversation_id)
    return _appraisal_page(request, conversation, role)


def _draft_data(draft: DraftForm) -> dict[str, Any]:
    """The saved draft as form data, to show put-forward errors at their fields."""
    data: dict[str, Any] = {}
    for key, value in draft.initial.items():
        if key == "evidence":
            data[key] = [str(pk) for pk in value]
        else:
            data[key] = "" if value is None else str(value)
    for criterion in draft.criteria:
        data.setdefault(level_field_name(criterion.pk), "")
        data.setdefault(argument_field_name(criterion.pk), "")
    return data


def _edit_page(
    request: ActorRequest, conversation: Conversation, form: AppraisalDraftForm, draft: DraftForm, *, status: int = 200
) -> HttpResponse:
    context = {"conversation": conversation, "form": form, "draft": draft, "back": _detail_url(conversation)}
    return render(request, "conversations/appraisal_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
def appraisal_edit(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The leidinggevende writes the draft; "save and put forward" also shows it to the medewerker."""
    actor = request.actor
    conversation, _role = _conversation(request, conversation_id)
    authorize(actor, "conversations.act_as_manager", conversation)
    draft = appraisal_draft_for(actor=actor, conversation=conversation)
    if draft.appraisal is not None and draft.appraisal.state != AppraisalState.DRAFT:
        messages.info(request, _("This appraisal is no longer a draft: take it back first to change it."))
        return redirect(_detail_url(conversation))
    form = AppraisalDraftForm(request.POST or None, draft=draft)
    if request.method != "POST":
        return _edit_page(request, conversation, form, draft)
    if form.is_valid():
        data = form.cleaned_data
        try:
            appraisal = services.appraisal_save(
                actor=actor,
                conversation=conversation,
                ratings=form.ratings(),
                overall_level_id=data["overall_level"],
                overall_text=data["overall_text"],
                evidence_ids=data.get("evidence") or [],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if request.POST.get("intent") != "put_forward":
                messages.success(request, _("The draft has been saved. The employee does not see it yet."))
                return redirect(_detail_url(conversation))
            try:
                services.appraisal_put_forward(actor=actor, appraisal=appraisal)
            except ValidationError as error:
                apply_validation_error(form, error)
                messages.warning(request, _("The draft has been saved, but not put forward yet."))
            else:
                messages.success(request, _("The appraisal has been put forward to the employee."))
                return redirect(_detail_url(conversation))
    return _edit_page(request, conversation, form, draft, status=400)


@require_POST
@actor_view()
def appraisal_put_forward(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    actor = request.actor
    conversation, role = _conversation(request, conversation_id)
    authorize(actor, "conversations.act_as_manager", conversation)
    appraisal = appraisal_get_for(actor=actor, conversation=conversation, role=role)
    try:
        services.appraisal_put_forward(actor=actor, appraisal=appraisal)
    except TransitionRefusedError as error:
        return _refused(request, conversation, error)
    except ValidationError as error:
        # What is missing is shown at its fields, on the draft as it was saved.
        draft = appraisal_draft_for(actor=actor, conversation=conversation)
        form = AppraisalDraftForm(_draft_data(draft), draft=draft)
        form.is_valid()
        apply_validation_error(form, error)
        return _edit_page(request, conversation, form, draft, status=400)
    messages.success(request, _("The appraisal has been put forward to the employee."))
    return redirect(_detail_url(conversation))


@require_POST
@actor_view()
def appraisal_withdraw(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    actor = request.actor
    conversation, role = _conversation(request, conversation_id)
    authorize(actor, "conversations.act_as_manager", conversation)
    appraisal = appraisal_get_for(actor=actor, conversation=conversation, role=role)
    try:
        services.appraisal_withdraw(actor=actor, appraisal=appraisal)
    except ValidationError as error:
        return _refused(request, conversation, error)
    messages.success(request, _("The appraisal has been taken back; the employee no longer sees it."))
    return redirect(_detail_url(conversation))


@require_http_methods(["GET", "POST"])
@actor_view()
def appraisal_reaction(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The medewerker writes (or changes) their reaction to the appraisal put forward to them."""
    actor = request.actor
    conversation, role = _conversation(request, conversation_id)
    authorize(actor, "conversations.act_as_employee", conversation)
    try:
        appraisal = appraisal_get_for(actor=actor, conversation=conversation, role=role)
    except Http404:
        if request.method != "POST":
            raise
        # Taken back while the medewerker was writing: the draft is not theirs to see, their text is.
        typed_text_kept(request, typed=request.POST.get("reaction", ""))
        messages.error(
            request, _("Your manager has taken the appraisal back; you can react once it is put forward again.")
        )
        return redirect(_detail_url(conversation))
    if request.method != "POST":
        return _appraisal_page(request, conversation, role)
    form = AppraisalReactionForm(request.POST)
    if form.is_valid():
        try:
            services.appraisal_react(actor=actor, appraisal=appraisal, reaction=form.cleaned_data["reaction"])
        except TransitionRefusedError as error:
            typed_text_kept(request, typed=form.cleaned_data["reaction"], stored=appraisal.employee_reaction)
            return _refused(request, conversation, error)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your reaction has been saved."))
            return redirect(_detail_url(conversation))
    return _appraisal_page(request, conversation, role, reaction_form=form, status=400)


@require_POST
@actor_view()
def appraisal_sign(request: ActorRequest, conversation_id: UUID) -> HttpResponse:
    """The medewerker signs (agreed, or seen and not agreed); after them the leidinggevende, making it final."""
    actor = request.actor
    conversation, role = _conversation(request, conversation_id)
    appraisal = appraisal_get_for(actor=actor, conversation=conversation, role=role)
    if role == MANAGER:
        try:
            services.appraisal_manager_sign(actor=actor, appraisal=appraisal)
        except ValidationError as error:
            return _refused(request, conversation, error)
        messages.success(request, _("You have signed: the appraisal is final."))
        return redirect(_detail_url(conversation))
    form = AppraisalEmployeeSignForm(request.POST)
    if form.is_valid():
        try:
            services.appraisal_employee_sign(actor=actor, appraisal=appraisal, verdict=form.cleaned_data["verdict"])
        except TransitionRefusedError as error:
            return _refused(request, conversation, error)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("You have signed the appraisal. Your manager signs next."))
            return redirect(_detail_url(conversation))
    return _appraisal_page(request, conversation, role, sign_form=form, status=400)


# --- the board's appraisals: status only, and objections ----------------------------------------------


@require_safe
@actor_view(MANAGE)
def appraisal_list(request: ActorRequest) -> HttpResponse:
    """Who has an appraisal at the board, where, when and in which status; never what it says."""
    form = BoardAppraisalFilterForm(request.GET or None, states=board_state_choices())
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = Paginator(board_appraisals_for(actor=request.actor, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "rows": board_appraisal_rows(page.object_list), "state": state}
    return render(request, "conversations/appraisal_list.html", context)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def appraisal_objection(request: ActorRequest, appraisal_id: UUID) -> HttpResponse:
    """The beheerder records that an objection to a final appraisal was received."""
    actor = request.actor
    appraisal, row = board_appraisal_get_for(actor=actor, appraisal_id=appraisal_id)
    form = ObjectionForm(request.POST or None, initial={"received_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appraisal_objection_record(
                    actor=actor,
                    appraisal=appraisal,
                    received_on=form.cleaned_data["received_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The objection has been recorded."))
                return redirect("conversations:appraisal-list")
        status = 400
    note = appraisal.objection_note if row.state == AppraisalState.OBJECTED else ""
    context = {"form": form, "row": row, "note": note}
    return render(request, "conversations/appraisal_objection.html", context, status=status)


# --- the beheerder's criteria and scale -----------------------------------------------------------------


def _settings_url(anchor: str) -> str:
    return f"{reverse('conversations:appraisal-settings')}#{anchor}"


@require_safe
@actor_view(MANAGE)
def appraisal_settings(request: ActorRequest) -> HttpResponse:
    context = {
        "criteria": appraisal_criteria_for(actor=request.actor),
        "levels": appraisal_levels_for(actor=request.actor),
    }
    return render(request, "conversations/appraisal_settings.html", context)


def _item_form(
    request: ActorRequest, form: django_forms.Form, *, title: str, submit: str, anchor: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": _settings_url(anchor)}
    return render(request, "conversations/appraisal_item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def criterion_create(request: ActorRequest) -> HttpResponse:
    form = AppraisalCriterionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appraisal_criterion_create(actor=request.actor, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The criterion has been added."))
                return redirect(_settings_url("criteria"))
        return _item_form(
            request, form, title=_("New criterion"), submit=_("Add criterion"), anchor="criteria", status=400
        )
    return _item_form(request, form, title=_("New criterion"), submit=_("Add criterion"), anchor="criteria")


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def criterion_edit(request: ActorRequest, criterion_id: int) -> HttpResponse:
    criterion = appraisal_criterion_get_for(actor=request.actor, criterion_id=criterion_id)
    initial = {"name": criterion.name, "description": criterion.description, "position": criterion.position}
    form = AppraisalCriterionEditForm(request.POST or None, initial=initial)
    title = _("Edit criterion")
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appraisal_criterion_update(actor=request.actor, criterion=criterion, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The criterion has been saved."))
                return redirect(_settings_url("criteria"))
        return _item_form(request, form, title=title, submit=_("Save"), anchor="criteria", status=400)
    return _item_form(request, form, title=title, submit=_("Save"), anchor="criteria")


def _settings_step(request: ActorRequest, step: Any, success: str, anchor: str, **kwargs: Any) -> HttpResponse:
    try:
        step(actor=request.actor, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(_settings_url(anchor))


@require_POST
@actor_view(MANAGE)
def criterion_archive(request: ActorRequest, criterion_id: int) -> HttpResponse:
    criterion = appraisal_criterion_get_for(actor=request.actor, criterion_id=criterion_id)
    return _settings_step(
        request,
        services.appraisal_criterion_archive,
        _("The criterion has been archived."),
        "criteria",
        criterion=criterion,
    )


@require_POST
@actor_view(MANAGE)
def criterion_restore(request: ActorRequest, criterion_id: int) -> HttpResponse:
    criterion = appraisal_criterion_get_for(actor=request.actor, criterion_id=criterion_id)
    return _settings_step(
        request,
        services.appraisal_criterion_restore,
        _("The criterion is in use again."),
        "criteria",
        criterion=criterion,
    )


@require_POST
@actor_view(MANAGE)
def criterion_delete(request: ActorRequest, criterion_id: int) -> HttpResponse:
    criterion = appraisal_criterion_get_for(actor=request.actor, criterion_id=criterion_id)
    return _settings_step(
        request,
        services.appraisal_criterion_delete,
        _("The criterion has been deleted."),
        "criteria",
        criterion=criterion,
    )


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def level_create(request: ActorRequest) -> HttpResponse:
    form = AppraisalLevelForm(request.POST or None)
    title = _("New level")
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appraisal_level_create(actor=request.actor, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The level has been added."))
                return redirect(_settings_url("scale"))
        return _item_form(request, form, title=title, submit=_("Add level"), anchor="scale", status=400)
    return _item_form(request, form, title=title, submit=_("Add level"), anchor="scale")


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def level_edit(request: ActorRequest, level_id: int) -> HttpResponse:
    level = appraisal_level_get_for(actor=request.actor, level_id=level_id)
    form = AppraisalLevelEditForm(request.POST or None, initial={"label": level.label})
    title = _("Edit level %(value)s") % {"value": level.value}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appraisal_level_update(actor=request.actor, level=level, label=form.cleaned_data["label"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The level has been saved."))
                return redirect(_settings_url("scale"))
        return _item_form(request, form, title=title, submit=_("Save"), anchor="scale", status=400)
    return _item_form(request, form, title=title, submit=_("Save"), anchor="scale")


@require_POST
@actor_view(MANAGE)
def level_archive(request: ActorRequest, level_id: int) -> HttpResponse:
    level = appraisal_level_get_for(actor=request.actor, level_id=level_id)
    return _settings_step(
        request, services.appraisal_level_archive, _("The level has been archived."), "scale", level=level
    )


@require_POST
@actor_view(MANAGE)
def level_restore(request: ActorRequest, level_id: int) -> HttpResponse:
    level = appraisal_level_get_for(actor=request.actor, level_id=level_id)
    return _settings_step(
        request, services.appraisal_level_restore, _("The level is in use again."), "scale", level=level
    )


@require_POST
@actor_view(MANAGE)
def level_delete(request: ActorRequest, level_id: int) -> HttpResponse:
    level = appraisal_level_get_for(actor=request.actor, level_id=level_id)
    return _settings_step(
        request, services.appraisal_level_delete, _("The level has been deleted."), "scale", level=level
    )


urlpatterns: list[URLPattern] = [
    path("appraisal-settings/", appraisal_settings, name="appraisal-settings"),
    path("appraisal-settings/criteria/new/", criterion_create, name="appraisal-criterion-create"),
    path("appraisal-settings/criteria/<int:criterion_id>/edit/", criterion_edit, name="appraisal-criterion-edit"),
    path(
        "appraisal-settings/criteria/<int:criterion_id>/archive/", criterion_archive, name="appraisal-criterion-archive"
    ),
    path(
        "appraisal-settings/criteria/<int:criterion_id>/restore/", criterion_restore, name="appraisal-criterion-restore"
    ),
    path("appraisal-settings/criteria/<int:criterion_id>/delete/", criterion_delete, name="appraisal-criterion-delete"),
    path("appraisal-settings/levels/new/", level_create, name="appraisal-level-create"),
    path("appraisal-settings/levels/<int:level_id>/edit/", level_edit, name="appraisal-level-edit"),
    path("appraisal-settings/levels/<int:level_id>/archive/", level_archive, name="appraisal-level-archive"),
    path("appraisal-settings/levels/<int:level_id>/restore/", level_restore, name="appraisal-level-restore"),
    path("appraisal-settings/levels/<int:level_id>/delete/", level_delete, name="appraisal-level-delete"),
    path("appraisals/", appraisal_list, name="appraisal-list"),
    path("appraisals/<uuid:appraisal_id>/objection/", appraisal_objection, name="appraisal-objection"),
    path("<uuid:conversation_id>/appraisal/", appraisal_view, name="appraisal-view"),
    path("<uuid:conversation_id>/appraisal/edit/", appraisal_edit, name="appraisal-edit"),
    path("<uuid:conversation_id>/appraisal/put-forward/", appraisal_put_forward, name="appraisal-put-forward"),
    path("<uuid:conversation_id>/appraisal/withdraw/", appraisal_withdraw, name="appraisal-withdraw"),
    path("<uuid:conversation_id>/appraisal/reaction/", appraisal_reaction, name="appraisal-reaction"),
    path("<uuid:conversation_id>/appraisal/sign/", appraisal_sign, name="appraisal-sign"),
]
