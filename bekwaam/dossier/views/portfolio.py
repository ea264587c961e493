"""Dossier views: the portfolio (evidence and reflections), its files, and the coverage map.

The owner creates, changes and deletes their own items (own_item_get_for: 404 for anyone else).
Someone the owner shared an item with opens it read-only through item_get_for, and every such view
or download is written to the access log (item_access_record).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.audit.services import access_record
from bekwaam.dossier.forms.portfolio import (
    CoverageVersionForm,
    EvidenceForm,
    PortfolioFilterForm,
    ReflectionForm,
)
from bekwaam.dossier.models import Evidence, EvidenceKind, Reflection, ShareAudience
from bekwaam.dossier.selectors import OWNER, item_get_for, own_item_get_for
from bekwaam.dossier.selectors.portfolio import (
    coverage_for,
    coverage_owner_get_for,
    coverage_version_for,
    coverage_versions_for,
    evidence_detail_for,
    own_evidence_choices_for,
    portfolio_items_load,
    portfolio_list_for,
    reflection_detail_for,
    tag_choices_for,
)
from bekwaam.dossier.services.access import item_access_record
from bekwaam.dossier.services.portfolio import (
    evidence_create,
    evidence_delete,
    evidence_update,
    reflection_create,
    reflection_delete,
    reflection_update,
)
from bekwaam.dossier.uploads import ALLOWED_TYPES, INLINE_TYPES
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

PAGE_SIZE = 25
FILE_BLOCK = 64 * 1024

# Images shown inline run in a sandbox that can load nothing but themselves.
IMAGE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
# Browsers refuse to start their PDF viewer in a sandboxed document (docs/dossier.md): a PDF gets no
# `sandbox`, but may run no script of the page, load nothing else, and is only ever sent as application/pdf.
PDF_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; "
    "script-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
)


# --- the list ---------------------------------------------------------------------------------------


@require_safe
@actor_view("dossier.view_own")
def evidence_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    tags = tag_choices_for(actor=actor)
    form = PortfolioFilterForm(request.GET or None, tags=tags)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data["kind"] or "",
            "competence_id": data["competence"].pk if data["competence"] else None,
            "goal_id": data["goal"].pk if data["goal"] else None,
            "search": data["q"] or "",
        }
    page = Paginator(portfolio_list_for(actor=actor, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    items = portfolio_items_load(actor=actor, rows=list(page.object_list))
    context = {"form": form, "page": page, "items": items, "filtered": bool(filters and any(filters.values()))}
    template = "dossier/_evidence_rows.html" if request.htmx else "dossier/evidence_list.html"  # type: ignore[attr-defined]
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- evidence ---------------------------------------------------------------------------------------


def _evidence_kind(value: str | None) -> str:
    return value if value in EvidenceKind.values else EvidenceKind.DOCUMENT


def _tag_data(form: EvidenceForm | ReflectionForm) -> dict[str, Any]:
    """The tags from a valid form; a tag the form did not offer (no goals, not a leader) is left alone."""
    data = form.cleaned_data
    return {
        "competences": data["competences"],
        "goals": data["goals"] if "goals" in form.fields else None,
        "themes": data["themes"] if "themes" in form.fields else None,
    }


def _evidence_data(form: EvidenceForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "file": data.get("file") or None,
        "url": data.get("url", ""),
        "issuer": data.get("issuer", ""),
        "issued_on": data.get("issued_on"),
        "expires_on": data.get("expires_on"),
        **_tag_data(form),
    }


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def evidence_create_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    kind = _evidence_kind(request.GET.get("kind"))
    tags = tag_choices_for(actor=actor)
    form = EvidenceForm(request.POST or None, request.FILES or None, kind=kind, tags=tags)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_create(actor=actor, kind=kind, **_evidence_data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The evidence has been added to your portfolio."))
            return redirect("dossier:evidence-detail", evidence_id=evidence.pk)
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "kind": kind,
        "kind_label": EvidenceKind(kind).label,
        "kinds": EvidenceKind.choices,
        "max_size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }
    return render(request, "dossier/evidence_form.html", context, status=status)


@require_safe
@actor_view()
def evidence_detail(request: ActorRequest, evidence_id: UUID) -> HttpResponse:
    actor = request.actor
    evidence, right = item_get_for(actor=actor, model=Evidence, item_id=evidence_id)
    item_access_record(actor=actor, item=evidence, right=right, path=request.path)
    is_owner = right == OWNER
    context = {
        "evidence": evidence,
        "is_owner": is_owner,
        "inline": evidence.content_type in INLINE_TYPES,
        "is_image": evidence.content_type in INLINE_TYPES and evidence.content_type.startswith("image/"),
        **evidence_detail_for(actor=actor, evidence=evidence, is_owner=is_owner),
    }
    return render(request, "dossier/evidence_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view()
def evidence_edit(request: ActorRequest, evidence_id: UUID) -> HttpResponse:
    actor = request.actor
    evidence = own_item_get_for(actor=actor, model=Evidence, item_id=evidence_id)
    tags = tag_choices_for(actor=actor, item=evidence)
    initial = {
        "title": evidence.title,
        "description": evidence.description,
        "url": evidence.url,
        "issuer": evidence.issuer,
        "issued_on": evidence.issued_on,
        "expires_on": evidence.expires_on,
        "competences": list(evidence.competences.all()),
        "goals": list(evidence.goals.all()),
        "themes": list(evidence.themes.all()),
    }
    form = EvidenceForm(
        request.POST or None, request.FILES or None, kind=evidence.kind, tags=tags, evidence=evidence, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence_update(actor=actor, evidence=evidence, **_evidence_data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("dossier:evidence-detail", evidence_id=evidence.pk)
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "evidence": evidence,
        "kind": evidence.kind,
        "kind_label": evidence.get_kind_display(),
        "max_size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }
    return render(request, "dossier/evidence_form.html", context, status=status)


@require_POST
@actor_view()
def evidence_delete_view(request: ActorRequest, evidence_id: UUID) -> HttpResponse:
    evidence = own_item_get_for(actor=request.actor, model=Evidence, item_id=evidence_id)
    evidence_delete(actor=request.actor, evidence=evidence)
    messages.success(request, _("“%(title)s” has been deleted.") % {"title": evidence.title})
    return redirect("dossier:evidence-list")


def _file_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    """The stored file in blocks; opened only once the body is sent, and closed when it ends or is dropped."""
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(FILE_BLOCK):
            yield chunk


@require_safe
@actor_view()
def evidence_file(request: ActorRequest, evidence_id: UUID) -> FileResponse:
    """The evidence's file, to download; images and PDF may be shown inline in a sandbox (`?inline=1`)."""
    actor = request.actor
    evidence, right = item_get_for(actor=actor, model=Evidence, item_id=evidence_id)
    if not evidence.file:
        raise Http404
    storage, name = evidence.file.storage, evidence.file.name or ""
    try:
        size = storage.size(name)
    except OSError as error:  # the row is there but its file is not: nothing to send
        raise Http404 from error
    item_access_record(actor=actor, item=evidence, right=right, path=request.get_full_path())
    # Sent as the type detected from the content when it was uploaded; never as HTML or SVG.
    content_type = evidence.content_type if evidence.content_type in ALLOWED_TYPES else "application/octet-stream"
    inline = request.GET.get("inline") == "1" and content_type in INLINE_TYPES
    filename = evidence.original_name or f"evidence.{ALLOWED_TYPES.get(content_type, 'bin')}"
    response = FileResponse(_file_chunks(storage, name), content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CSP if content_type.startswith("image/") else PDF_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- reflections ------------------------------------------------------------------------------------


def _reflection_data(form: ReflectionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "written_on": data["written_on"],
        "evidence": data["evidence"] if "evidence" in form.fields else None,
        **_tag_data(form),
    }


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def reflection_create_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    choices = own_evidence_choices_for(actor=actor)
    initial: dict[str, Any] = {"written_on": timezone.localdate()}
    about = request.GET.get("evidence", "")
    if _is_uuid(about):
        # "Write a reflection about this": preselect the evidence (when it is not the actor's own, nothing is).
        initial["evidence"] = list(choices.filter(pk=about).values_list("pk", flat=True))
    form = ReflectionForm(
        request.POST or None, tags=tag_choices_for(actor=actor), evidence_choices=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = _reflection_data(form)
        data["evidence"] = data["evidence"] or ()
        try:
            reflection = reflection_create(actor=actor, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The reflection has been added to your portfolio."))
            return redirect("dossier:reflection-detail", reflection_id=reflection.pk)
    status = 400 if form.is_bound else 200
    return render(request, "dossier/reflection_form.html", {"form": form}, status=status)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@require_safe
@actor_view()
def reflection_detail(request: ActorRequest, reflection_id: UUID) -> HttpResponse:
    actor = request.actor
    reflection, right = item_get_for(actor=actor, model=Reflection, item_id=reflection_id)
    item_access_record(actor=actor, item=reflection, right=right, path=request.path)
    is_owner = right == OWNER
    context = {
        "reflection": reflection,
        "is_owner": is_owner,
        **reflection_detail_for(actor=actor, reflection=reflection, is_owner=is_owner),
    }
    return render(request, "dossier/reflection_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view()
def reflection_edit(request: ActorRequest, reflection_id: UUID) -> HttpResponse:
    actor = request.actor
    reflection = own_item_get_for(actor=actor, model=Reflection, item_id=reflection_id)
    initial = {
        "title": reflection.title,
        "body": reflection.body,
        "written_on": reflection.written_on,
        "evidence": list(reflection.evidence.all()),
        "competences": list(reflection.competences.all()),
        "goals": list(reflection.goals.all()),
        "themes": list(reflection.themes.all()),
    }
    form = ReflectionForm(
        request.POST or None,
        tags=tag_choices_for(actor=actor, item=reflection),
        evidence_choices=own_evidence_choices_for(actor=actor),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            reflection_update(actor=actor, reflection=reflection, **_reflection_data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("dossier:reflection-detail", reflection_id=reflection.pk)
    status = 400 if form.is_bound else 200
    return render(request, "dossier/reflection_form.html", {"form": form, "reflection": reflection}, status=status)


@require_POST
@actor_view()
def reflection_delete_view(request: ActorRequest, reflection_id: UUID) -> HttpResponse:
    reflection = own_item_get_for(actor=request.actor, model=Reflection, item_id=reflection_id)
    reflection_delete(actor=request.actor, reflection=reflection)
    messages.success(request, _("“%(title)s” has been deleted.") % {"title": reflection.title})
    return redirect("dossier:evidence-list")


# --- the coverage map -------------------------------------------------------------------------------


def _coverage_context(request: ActorRequest, owner: Any) -> dict[str, Any]:
    actor = request.actor
    versions = coverage_versions_for(actor=actor)
    form = CoverageVersionForm(request.GET or None, versions=versions)
    chosen = form.cleaned_data["version"].pk if form.is_valid() else None
    version = coverage_version_for(actor=actor, owner=owner, version_id=chosen)
    if version is not None and not form.is_bound:
        form = CoverageVersionForm(initial={"version": version.pk}, versions=versions)
    coverage = coverage_for(actor=actor, owner_id=owner.pk, version=version) if version is not None else None
    return {"owner": owner, "coverage": coverage, "version_form": form, "has_versions": versions.count() > 1}


@require_safe
@actor_view("dossier.view_own")
def coverage(request: ActorRequest) -> HttpResponse:
    context = _coverage_context(request, request.actor.person)
    context["is_owner"] = True
    return render(request, "dossier/coverage.html", context)


@require_safe
@actor_view()
def person_coverage(request: ActorRequest, person_id: UUID) -> HttpResponse:
    actor = request.actor
    owner, right = coverage_owner_get_for(actor=actor, person_id=person_id)
    access_record(
        actor=actor, subject=owner, what=_("coverage map"), right=str(ShareAudience(right).label), path=request.path
    )
    context = _coverage_context(request, owner)
    context["is_owner"] = False
    return render(request, "dossier/coverage.html", context)


urlpatterns: list[URLPattern] = [
    path("portfolio/", evidence_list, name="evidence-list"),
    path("portfolio/new/", evidence_create_view, name="evidence-create"),
    path("portfolio/<uuid:evidence_id>/", evidence_detail, name="evidence-detail"),
    path("portfolio/<uuid:evidence_id>/edit/", evidence_edit, name="evidence-edit"),
    path("portfolio/<uuid:evidence_id>/delete/", evidence_delete_view, name="evidence-delete"),
    path("portfolio/<uuid:evidence_id>/file/", evidence_file, name="evidence-file"),
    path("reflections/new/", reflection_create_view, name="reflection-create"),
    path("reflections/<uuid:reflection_id>/", reflection_detail, name="reflection-detail"),
    path("reflections/<uuid:reflection_id>/edit/", reflection_edit, name="reflection-edit"),
    path("reflections/<uuid:reflection_id>/delete/", reflection_delete_view, name="reflection-delete"),
    path("coverage/", coverage, name="coverage"),
    path("people/<uuid:person_id>/coverage/", person_coverage, name="person-coverage"),
]
