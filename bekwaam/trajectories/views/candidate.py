"""The candidate's pages: my trajectories, the catalogue and one offer (with enrolling), the trajectory
page, portfolio items (new, from the dossier, changed, deleted, their files), the request for assessment,
withdrawing, advice into POP goals and the certificate into the dossier.

Every trajectory page resolves the trajectory through trajectory_get_for (404 for anyone role_in does not
know, such as the candidate's board or another aanbieder); the candidate's steps then check
"trajectories.act_as_candidate", so the aanbieder's staff, who do see the trajectory, get 403 with a
message (their own pages are elsewhere). A file is sent to the candidate, and to the staff once
"trajectories.view_portfolio" holds (the portfolio was submitted). Services check again on the locked row;
a refused step comes back as a message on the trajectory page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any
from uuid import UUID

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scopes_disabled

from bekwaam.dossier.uploads import ALLOWED_TYPES, detect_content_type, file_head
from bekwaam.lib.forms import apply_validation_error
from bekwaam.register.selectors import theme_list_current
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize
from bekwaam.trajectories.forms.candidate import (
    AdviceGoalsForm,
    DossierCopyForm,
    EnrolForm,
    ItemForm,
    WithdrawForm,
)
from bekwaam.trajectories.models import TRAJECTORY_MACHINE, PortfolioItemKind, Trajectory
from bekwaam.trajectories.selectors import trajectory_get_for
from bekwaam.trajectories.selectors.candidate import (
    assignment_get_for,
    candidate_page_for,
    catalogue_list,
    catalogue_page,
    dossier_choices_for,
    has_trajectories,
    item_get_for,
    mine_list,
    mine_page,
    offer_get,
)
from bekwaam.trajectories.services import enrolment, portfolio
from bekwaam.trajectories.services.enrolment import open_trajectory_of

PAGE_SIZE = 25
FILE_BLOCK = 64 * 1024
ENROL = "trajectories.enrol"
AS_CANDIDATE = "trajectories.act_as_candidate"
VIEW_PORTFOLIO = "trajectories.view_portfolio"
DETAIL_RELATED = ("decision", "certificate", "candidate_board")


# --- helpers ------------------------------------------------------------------------------------------


def url_or_empty(name: str, **kwargs: Any) -> str:
    """A URL of another part (credentials) that may not be installed yet: empty when it is not."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _detail(trajectory: Trajectory, anchor: str = "") -> HttpResponse:
    url = reverse("trajectories:detail", kwargs={"trajectory_id": trajectory.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(request: HttpRequest, trajectory: Trajectory, error: ValidationError, anchor: str = "") -> HttpResponse:
    """A step that is not possible (any more): the message(s) on the trajectory page, as it is now."""
    for message in error.messages:
        messages.error(request, message)
    return _detail(trajectory, anchor)


def _forbidden(request: HttpRequest, trajectory: Trajectory | None, message: str) -> HttpResponse:
    context = {"trajectory": trajectory, "message": message}
    return render(request, "trajectories/candidate/refused.html", context, status=403)


def _own(request: ActorRequest, trajectory_id: UUID, related: tuple[str, ...] = ()) -> Trajectory:
    """The trajectory as its candidate: 404 when not visible at all, 403 for the aanbieder's staff."""
    trajectory = trajectory_get_for(actor=request.actor, trajectory_id=trajectory_id, related=related)
    try:
        authorize(request.actor, AS_CANDIDATE, trajectory)
    except PermissionDenied as error:
        raise PermissionDenied(
            _("This page is for the candidate. The aanbieder's staff work on their own pages.")
        ) from error
    return trajectory


def candidate_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn the PermissionDenied of `_own` into the 403 page with its message."""

    @wraps(view)
    def wrapper(request: ActorRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return _forbidden(request, None, str(error) or _("You cannot take this step on this trajectory."))

    return wrapper


# --- my trajectories, the catalogue, an offer ---------------------------------------------------------


@require_safe
@actor_view()
@candidate_view
def mine(request: ActorRequest) -> HttpResponse:
    """The candidate's trajectories; for a school leader (who may enrol) also when there are none yet."""
    actor = request.actor
    may_enrol = rules.test_rule(ENROL, actor)
    if not may_enrol and not has_trajectories(actor):
        raise PermissionDenied(_("Waarderingstrajecten are for school leaders."))
    page = Paginator(mine_list(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "trajectories": mine_page(page.object_list), "may_enrol": may_enrol}
    return render(request, "trajectories/candidate/mine.html", context)


@require_safe
@actor_view(ENROL)
def catalogue(request: ActorRequest) -> HttpResponse:
    page = Paginator(catalogue_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "templates": catalogue_page(page.object_list)}
    return render(request, "trajectories/candidate/catalogue.html", context)


@require_http_methods(["GET", "POST"])
@actor_view(ENROL)
def offer(request: ActorRequest, template_id: UUID) -> HttpResponse:
    """One offer in full, with the enrolment form (themes valid this year; coaching when offered)."""
    actor = request.actor
    found = offer_get(template_id=template_id)
    template = found.template
    existing = open_trajectory_of(actor=actor, template=template)
    form = EnrolForm(request.POST or None, template=template, themes=theme_list_current().order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = enrolment.trajectory_enrol(
                actor=actor,
                template=template,
                themes=form.cleaned_data["themes"],
                with_coaching=form.wants_coaching,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "You are enrolled. %(provider)s gets an e-mail and confirms your enrolment; you can start "
                    "adding evidence and reflections now."
                )
                % {"provider": template.provider.name},
            )
            return _detail(trajectory)
    status = 400 if request.method == "POST" else 200
    context = {"offer": found, "template": template, "form": form, "existing": existing}
    return render(request, "trajectories/candidate/offer.html", context, status=status)


# --- one trajectory -----------------------------------------------------------------------------------


@require_safe
@actor_view()
@candidate_view
def detail(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory = _own(request, trajectory_id, DETAIL_RELATED)
    page = candidate_page_for(actor=request.actor, trajectory=trajectory)
    advice_form = None
    if page.may["advice_goals"] and page.decision is not None:
        advice_form = AdviceGoalsForm(lines=page.decision.advice_lines)
    context = {
        "page": page,
        "trajectory": trajectory,
        "advice_form": advice_form,
        "certificate_url": url_or_empty("credentials:certificate", certificate_id=page.certificate.pk)
        if page.certificate is not None
        else "",
    }
    return render(request, "trajectories/candidate/detail.html", context)


# --- portfolio items ----------------------------------------------------------------------------------


def _themes_of(trajectory: Trajectory) -> Any:
    with scopes_disabled():
        return trajectory.themes.order_by("name")


def _not_editable(request: HttpRequest, trajectory: Trajectory) -> HttpResponse | None:
    try:
        portfolio.refuse_unless_editable(trajectory)
    except ValidationError as error:
        return _refused(request, trajectory, error, "portfolio")
    return None


@require_http_methods(["GET", "POST"])
@actor_view()
@candidate_view
def item_create(request: ActorRequest, trajectory_id: UUID, assignment_id: int) -> HttpResponse:
    """A new piece of evidence or a reflection for one assignment (?kind=reflection preselects)."""
    trajectory = _own(request, trajectory_id)
    assignment = assignment_get_for(trajectory=trajectory, assignment_id=assignment_id)
    refused = _not_editable(request, trajectory)
    if refused is not None:
        return refused
    themes = _themes_of(trajectory)
    kind = request.GET.get("kind", "")
    initial: dict[str, Any] = {
        "kind": kind if kind in PortfolioItemKind.values else PortfolioItemKind.EVIDENCE,
        "themes": [assignment.theme_id] if assignment.theme_id else list(themes.values_list("pk", flat=True)),
    }
    form = ItemForm(request.POST or None, request.FILES or None, themes=themes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            portfolio.item_create(
                actor=request.actor,
                trajectory=trajectory,
                assignment=assignment,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                link=data["link"],
                file=data.get("file"),
                themes=data["themes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Added to “%(assignment)s”.") % {"assignment": assignment.title})
            return _detail(trajectory, f"assignment-{assignment.pk}")
    status = 400 if request.method == "POST" else 200
    context = {
        "trajectory": trajectory,
        "assignment": assignment,
        "form": form,
        "item": None,
        "may_copy": trajectory.candidate_board_id == request.actor.board_id,
    }
    return render(request, "trajectories/candidate/item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
@candidate_view
def item_copy(request: ActorRequest, trajectory_id: UUID, assignment_id: int) -> HttpResponse:
    """Copy one of the candidate's own dossier items into an assignment (from the board they enrolled at)."""
    actor = request.actor
    trajectory = _own(request, trajectory_id, ("candidate_board",))
    assignment = assignment_get_for(trajectory=trajectory, assignment_id=assignment_id)
    refused = _not_editable(request, trajectory)
    if refused is not None:
        return refused
    at_board = actor.board_id == trajectory.candidate_board_id
    themes = _themes_of(trajectory)
    choices = dossier_choices_for(actor=actor) if at_board else []
    initial = {
        "themes": [assignment.theme_id] if assignment.theme_id else list(themes.values_list("pk", flat=True)),
    }
    form = DossierCopyForm(request.POST or None, choices=choices, themes=themes, initial=initial)
    if request.method == "POST" and at_board and form.is_valid():
        source_kind, source_id = form.source_parts()
        try:
            portfolio.item_copy_from_dossier(
                actor=actor,
                trajectory=trajectory,
                assignment=assignment,
                source_kind=source_kind,
                source_id=source_id,
                themes=form.cleaned_data["themes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Copied from your dossier to “%(assignment)s”.") % {"assignment": assignment.title}
            )
            return _detail(trajectory, f"assignment-{assignment.pk}")
    status = 400 if request.method == "POST" else 200
    context = {
        "trajectory": trajectory,
        "assignment": assignment,
        "form": form,
        "at_board": at_board,
        "has_choices": bool(choices),
    }
    return render(request, "trajectories/candidate/item_copy.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
@candidate_view
def item_edit(request: ActorRequest, trajectory_id: UUID, item_id: UUID) -> HttpResponse:
    trajectory = _own(request, trajectory_id)
    item = item_get_for(trajectory=trajectory, item_id=item_id)
    refused = _not_editable(request, trajectory)
    if refused is not None:
        return refused
    initial = {
        "title": item.title,
        "body": item.body,
        "link": item.link,
        "themes": [theme.pk for theme in item.themes.all()],
    }
    form = ItemForm(
        request.POST or None, request.FILES or None, themes=_themes_of(trajectory), item=item, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            portfolio.item_update(
                actor=request.actor,
                item=item,
                title=data["title"],
                body=data["body"],
                link=data["link"],
                file=data.get("file"),
                remove_file=bool(data.get("remove_file")),
                themes=data["themes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return _detail(trajectory, f"item-{item.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"trajectory": trajectory, "assignment": item.assignment, "form": form, "item": item}
    return render(request, "trajectories/candidate/item_form.html", context, status=status)


@require_POST
@actor_view()
@candidate_view
def item_delete(request: ActorRequest, trajectory_id: UUID, item_id: UUID) -> HttpResponse:
    trajectory = _own(request, trajectory_id)
    item = item_get_for(trajectory=trajectory, item_id=item_id)
    try:
        portfolio.item_delete(actor=request.actor, item=item)
    except ValidationError as error:
        return _refused(request, trajectory, error, "portfolio")
    messages.success(request, _("“%(title)s” has been deleted.") % {"title": item.title})
    return _detail(trajectory, f"assignment-{item.assignment_id}")


def _file_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(FILE_BLOCK):
            yield chunk


@require_safe
@actor_view()
def item_file(request: ActorRequest, trajectory_id: UUID, item_id: UUID) -> HttpResponseBase:
    """An item's file, always as a download under its original name: to the candidate, and to the
    aanbieder's staff once the portfolio was submitted (403 before)."""
    trajectory = trajectory_get_for(actor=request.actor, trajectory_id=trajectory_id)
    if not rules.test_rule(VIEW_PORTFOLIO, request.actor, trajectory):
        return _forbidden(
            request, None, _("The aanbieder sees the portfolio once the candidate has requested the assessment.")
        )
    item = item_get_for(trajectory=trajectory, item_id=item_id)
    if not item.file:
        raise Http404
    storage, name = item.file.storage, item.file.name or ""
    try:
        size = storage.size(name)
        with storage.open(name, "rb") as handle:
            detected = detect_content_type(file_head(handle))
    except OSError as error:  # the row is there but its file is not: nothing to send
        raise Http404 from error
    # Sent as the type its content shows (checked at upload); never as HTML or SVG, never inline.
    content_type = detected if detected in ALLOWED_TYPES else "application/octet-stream"
    filename = item.file_name or f"bestand.{ALLOWED_TYPES.get(content_type, 'bin')}"
    response = FileResponse(_file_chunks(storage, name), content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- the request, withdrawing, the outcome ------------------------------------------------------------


@require_POST
@actor_view()
@candidate_view
def request_assessment(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    trajectory = _own(request, trajectory_id)
    try:
        portfolio.trajectory_request_assessment(actor=request.actor, trajectory=trajectory)
    except ValidationError as error:
        if any(item.code == "incomplete" for item in getattr(error, "error_list", [])):
            messages.error(request, _("Your portfolio is not complete yet. Still missing:"))
        return _refused(request, trajectory, error, "status")
    messages.success(
        request,
        _("You have requested the assessment. The assessors of %(provider)s get an e-mail and review your portfolio.")
        % {"provider": trajectory.provider.name},
    )
    return _detail(trajectory, "status")


@require_http_methods(["GET", "POST"])
@actor_view()
@candidate_view
def withdraw(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """Ask for confirmation (GET), then withdraw (POST)."""
    trajectory = _own(request, trajectory_id)
    if not TRAJECTORY_MACHINE.allows(trajectory.state, "withdraw"):
        messages.error(
            request,
            _("This trajectory can no longer be withdrawn (the status is “%(state)s”).")
            % {"state": trajectory.get_state_display()},
        )
        return _detail(trajectory, "status")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.trajectory_withdraw(
                actor=request.actor, trajectory=trajectory, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            return _refused(request, trajectory, error, "status")
        messages.success(request, _("You have withdrawn from this trajectory. The aanbieder gets an e-mail."))
        return _detail(trajectory, "status")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "trajectories/candidate/withdraw.html", {"trajectory": trajectory, "form": form}, status=status
    )


@require_POST
@actor_view()
@candidate_view
def advice_goals(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """The chosen lines of the development advice become goals in the candidate's POP (once)."""
    trajectory = _own(request, trajectory_id, ("decision",))
    decision = getattr(trajectory, "decision", None)
    lines = enrolment.advice_lines(decision.advice) if decision is not None else []
    chosen: list[int] = []
    if lines:  # without advice lines the service says why (no advice yet), not the form
        form = AdviceGoalsForm(request.POST, lines=lines)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, str(message))
            return _detail(trajectory, "outcome")
        chosen = form.cleaned_data["lines"]
    try:
        result = enrolment.advice_goals_create(actor=request.actor, trajectory=trajectory, line_numbers=chosen)
    except ValidationError as error:
        return _refused(request, trajectory, error, "outcome")
    messages.success(
        request,
        _("%(count)s goals have been added to your development plan “%(plan)s”.")
        % {"count": len(result.goals), "plan": result.plan_title},
    )
    return redirect("dossier:plan-detail", plan_id=result.plan_id)


@require_POST
@actor_view()
@candidate_view
def share_result(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """The certificate becomes evidence in the candidate's dossier, to share from there."""
    trajectory = _own(request, trajectory_id, ("certificate",))
    try:
        evidence, created = enrolment.result_share(actor=request.actor, trajectory=trajectory)
    except ValidationError as error:
        return _refused(request, trajectory, error, "outcome")
    if created:
        messages.success(
            request,
            _(
                "The certificate is now in your dossier's portfolio. Only you see it there, until you share it "
                "(with your leidinggevende, for example) below."
            ),
        )
    else:
        messages.info(request, _("The certificate is in your dossier's portfolio already."))
    return redirect("dossier:evidence-detail", evidence_id=evidence.pk)
