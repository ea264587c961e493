"""The owner's pages: their rounds, starting and preparing one, inviting, the moves, their self-rating.

Every page here is the owner's alone: the page rule "feedback.start" (a dossier of one's own) and the
own_*_get_for selectors, which answer 404 for anybody else's round, shared or not.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dossier.selectors import framework_version_for
from bekwaam.dossier.selectors.sharing import managers_for
from bekwaam.feedback.forms import (
    CANNOT_JUDGE,
    ExtendForm,
    ExternalInviteForm,
    InvitePeopleForm,
    ResendForm,
    RoundForm,
    SelfRatingForm,
)
from bekwaam.feedback.models import ROUND_MACHINE, FeedbackRound, QuestionKind, RoundState
from bekwaam.feedback.selectors import (
    answered_count_for,
    board_people_for,
    event_list_for,
    invitation_list_for,
    invitee_choices_for,
    own_invitation_get_for,
    own_round_get_for,
    reports_shared_with_for,
    round_list_for,
)
from bekwaam.feedback.selectors.answers import question_sheet_for, self_rating_for
from bekwaam.feedback.services import rounds as services
from bekwaam.frameworks.models import Competence
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100


def _competences_of(version_id: Any, board_id: int) -> Any:
    return (
        Competence.objects.filter(board_id=board_id, version_id=version_id)
        .select_related("domain")
        .order_by("domain__position", "position", "code")
    )


@require_safe
@actor_view("feedback.start")
def round_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(round_list_for(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "shared": list(reports_shared_with_for(actor=actor)[:50])}
    return render(request, "feedback/round_list.html", context)


@require_http_methods(["GET", "POST"])
@actor_view("feedback.start")
def round_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    version = framework_version_for(actor=actor)
    competences = _competences_of(version.pk if version else None, actor.board_pk)
    form = RoundForm(request.POST or None, competences=competences)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                actor=actor,
                title=data["title"],
                message=data["message"],
                closes_on=data["closes_on"],
                competences=list(data["competences"]),
                open_questions=form.question_lines,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your feedback round has been saved. Now invite people and rate yourself."))
            return redirect("feedback:round-detail", round_id=round_.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "round": None, "version": version}
    return render(request, "feedback/round_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view("feedback.start")
def round_edit(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    if round_.state != RoundState.DRAFT:
        messages.info(request, _("The invitations have been sent: the questions of this round can no longer change."))
        return redirect("feedback:round-detail", round_id=round_.pk)
    questions = question_sheet_for(round_=round_).questions
    initial = {
        "title": round_.title,
        "message": round_.message,
        "closes_on": round_.closes_on,
        "competences": [q.competence_id for q in questions if q.kind == QuestionKind.COMPETENCE],
        "open_questions": "\n".join(q.text for q in questions if q.kind == QuestionKind.OPEN),
    }
    competences = _competences_of(round_.framework_version_id, actor.board_pk)
    form = RoundForm(request.POST or None, competences=competences, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_update(
                actor=actor,
                round_=round_,
                title=data["title"],
                message=data["message"],
                closes_on=data["closes_on"],
                competences=list(data["competences"]),
                open_questions=form.question_lines,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("feedback:round-detail", round_id=round_.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "round": round_, "version": round_.framework_version}
    return render(request, "feedback/round_form.html", context, status=status)


def _invite_form(request: ActorRequest, round_: FeedbackRound, data: Any = None) -> InvitePeopleForm:
    actor = request.actor
    search = request.GET.get("q", "")[:SEARCH_MAX_LENGTH]
    managers = list(managers_for(actor=actor))
    manager_ids = {person.pk for person in managers}
    shown = invitee_choices_for(actor=actor, round_=round_, search=search)
    shown.sort(key=lambda person: person.pk not in manager_ids)  # the leidinggevende first
    return InvitePeopleForm(
        data, people=board_people_for(actor=actor), shown=shown, managers=managers, auto_id="id_invite_%s"
    )


def _detail_page(
    request: ActorRequest,
    round_: FeedbackRound,
    *,
    invite_form: InvitePeopleForm | None = None,
    external_form: ExternalInviteForm | None = None,
    extend_form: ExtendForm | None = None,
    resend: tuple[UUID, ResendForm] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    invitations = list(invitation_list_for(actor=actor, round_=round_))
    sheet = question_sheet_for(round_=round_)
    rows = []
    for invitation in invitations:
        form: django_forms.Form | None = None
        if round_.state == RoundState.OPEN and (invitation.delivery_failed_at or getattr(invitation, "bounced", False)):
            if resend is not None and resend[0] == invitation.pk:
                form = resend[1]
            else:
                form = ResendForm(initial={"email": invitation.email}, auto_id=f"id_resend_{invitation.pk.hex[:12]}_%s")
        rows.append((invitation, form))
    may_invite = round_.state in (RoundState.DRAFT, RoundState.OPEN)
    context = {
        "round": round_,
        "rows": rows,
        "questions": sheet.questions,
        "competence_count": sum(1 for q in sheet.questions if q.kind == QuestionKind.COMPETENCE),
        "self_rated": bool(self_rating_for(round_=round_)),
        "answered": answered_count_for(round_=round_),
        "invite_form": (invite_form or _invite_form(request, round_)) if may_invite else None,
        "external_form": (external_form or ExternalInviteForm(auto_id="id_external_%s")) if may_invite else None,
        "extend_form": extend_form or ExtendForm(auto_id="id_extend_%s"),
        "search": request.GET.get("q", "")[:SEARCH_MAX_LENGTH],
        "actions": ROUND_MACHINE.actions_from(round_.state),
        "events": list(event_list_for(actor=actor, round_=round_)),
        "errors": errors or [],
    }
    return render(request, "feedback/round_detail.html", context, status=status)


@require_safe
@actor_view("feedback.start")
def round_detail(request: ActorRequest, round_id: UUID) -> HttpResponse:
    round_ = own_round_get_for(actor=request.actor, round_id=round_id)
    return _detail_page(request, round_)


@require_POST
@actor_view("feedback.start")
def invite_people(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    form = _invite_form(request, round_, request.POST)
    if form.is_valid():
        try:
            created = services.invitations_add(actor=actor, round_=round_, people=list(form.cleaned_data["people"]))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s people invited.") % {"count": len(created)}
                if created
                else _("They had been invited already."),
            )
            return redirect("feedback:round-detail", round_id=round_.pk)
    return _detail_page(request, round_, invite_form=form, status=400)


@require_POST
@actor_view("feedback.start")
def invite_external(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    form = ExternalInviteForm(request.POST, auto_id="id_external_%s")
    if form.is_valid():
        try:
            invitation = services.invitation_add_external(actor=actor, round_=round_, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s has been invited.") % {"name": invitation.name})
            return redirect("feedback:round-detail", round_id=round_.pk)
    return _detail_page(request, round_, external_form=form, status=400)


@require_POST
@actor_view("feedback.start")
def invitation_resend(request: ActorRequest, invitation_id: UUID) -> HttpResponse:
    actor = request.actor
    invitation = own_invitation_get_for(actor=actor, invitation_id=invitation_id)
    round_ = own_round_get_for(actor=actor, round_id=invitation.round_id)
    form = ResendForm(request.POST, auto_id=f"id_resend_{invitation.pk.hex[:12]}_%s")
    if form.is_valid():
        try:
            services.invitation_resend(actor=actor, invitation=invitation, email=form.cleaned_data["email"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("A new link has been sent to %(email)s; the earlier link no longer works.")
                % {"email": form.cleaned_data["email"].lower()},
            )
            return redirect("feedback:round-detail", round_id=round_.pk)
    if round_.state != RoundState.OPEN:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("feedback:round-detail", round_id=round_.pk)
    return _detail_page(request, round_, resend=(invitation.pk, form), status=400)


@require_POST
@actor_view("feedback.start")
def invitation_remove(request: ActorRequest, invitation_id: UUID) -> HttpResponse:
    actor = request.actor
    invitation = own_invitation_get_for(actor=actor, invitation_id=invitation_id)
    try:
        services.invitation_remove(actor=actor, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s has been taken off the list.") % {"name": invitation.name})
    return redirect("feedback:round-detail", round_id=invitation.round_id)


@require_POST
@actor_view("feedback.start")
def round_open(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    try:
        services.round_open(actor=actor, round_=round_)
    except ValidationError as error:
        return _detail_page(request, round_, errors=error.messages, status=400)
    messages.success(request, _("The invitations are on their way. Each person gets their own link by e-mail."))
    return redirect("feedback:round-detail", round_id=round_.pk)


@require_POST
@actor_view("feedback.start")
def round_extend(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    form = ExtendForm(request.POST, auto_id="id_extend_%s")
    if form.is_valid():
        try:
            services.round_extend(actor=actor, round_=round_, closes_on=form.cleaned_data["closes_on"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The closing date has been moved; every link works until then."))
            return redirect("feedback:round-detail", round_id=round_.pk)
    return _detail_page(request, round_, extend_form=form, status=400)


@require_POST
@actor_view("feedback.start")
def round_close(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    try:
        services.round_close(actor=actor, round_=round_)
    except ValidationError as error:
        return _detail_page(request, round_, errors=error.messages, status=400)
    messages.success(request, _("The round is closed. Your report is ready."))
    return redirect("feedback:report", round_id=round_.pk)


@require_http_methods(["GET", "POST"])
@actor_view("feedback.start")
def self_rating(request: ActorRequest, round_id: UUID) -> HttpResponse:
    actor = request.actor
    round_ = own_round_get_for(actor=actor, round_id=round_id)
    sheet = question_sheet_for(round_=round_)
    saved = self_rating_for(round_=round_)
    initial = {f"q{pk}": CANNOT_JUDGE if value is None else str(value) for pk, value in saved.items()}
    data = request.POST if request.method == "POST" else None
    form = SelfRatingForm(data, questions=sheet.questions, scale=sheet.scale, initial=initial)
    closed = round_.state == RoundState.CLOSED
    if request.method == "POST" and form.is_valid():
        try:
            services.self_rating_save(actor=actor, round_=round_, ratings=form.ratings())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your self-rating has been saved."))
            return redirect("feedback:round-detail", round_id=round_.pk)
    status = 400 if form.is_bound else 200
    context = {"round": round_, "form": form, "closed": closed, "scale": sheet.scale}
    return render(request, "feedback/self_rating.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("", round_list, name="round-list"),
    path("new/", round_create, name="round-create"),
    path("<uuid:round_id>/", round_detail, name="round-detail"),
    path("<uuid:round_id>/edit/", round_edit, name="round-edit"),
    path("<uuid:round_id>/self-rating/", self_rating, name="self-rating"),
    path("<uuid:round_id>/invite/", invite_people, name="invite-people"),
    path("<uuid:round_id>/invite-external/", invite_external, name="invite-external"),
    path("<uuid:round_id>/open/", round_open, name="round-open"),
    path("<uuid:round_id>/extend/", round_extend, name="round-extend"),
    path("<uuid:round_id>/close/", round_close, name="round-close"),
    path("invitations/<uuid:invitation_id>/resend/", invitation_resend, name="invitation-resend"),
    path("invitations/<uuid:invitation_id>/remove/", invitation_remove, name="invitation-remove"),
]
