"""Dossier views: export (ZIP and PDF) and import of the whole own dossier (docs/dossier-export.md).

Only the owner exports or imports their own dossier at the active board (rule "dossier.view_own").
The import runs within the request, bounded by DOSSIER_IMPORT_MAX_BYTES; its result is kept in the
session for one page view, so reloading the result page cannot import the ZIP a second time.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from bekwaam.dossier.forms.transfer import DossierImportForm
from bekwaam.dossier.selectors.transfer import dossier_counts_for
from bekwaam.dossier.services.transfer_export import dossier_export_pdf, dossier_export_zip
from bekwaam.dossier.services.transfer_import import dossier_import
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

RESULT_KEY = "dossier_import_result"


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


@require_safe
@actor_view("dossier.view_own")
def export(request: ActorRequest) -> HttpResponse:
    """The page with the two downloads and what they hold."""
    return render(request, "dossier/export.html", {"counts": dossier_counts_for(actor=request.actor)})


@require_safe
@actor_view("dossier.view_own")
def export_zip(request: ActorRequest) -> HttpResponseBase:
    """The ZIP: sent in one piece when small, else streamed from its temporary file (closed when sent)."""
    exported = dossier_export_zip(actor=request.actor)
    response: HttpResponseBase
    if exported.in_memory:
        with exported.file:
            response = HttpResponse(exported.file.read(), content_type="application/zip")
        response["Content-Disposition"] = _attachment(exported.filename)
    else:
        response = FileResponse(
            exported.file, as_attachment=True, filename=exported.filename, content_type="application/zip"
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@actor_view("dossier.view_own")
def export_pdf(request: ActorRequest) -> HttpResponse:
    pdf, filename = dossier_export_pdf(actor=request.actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _attachment(filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
@actor_view("dossier.view_own")
def dossier_import_page(request: ActorRequest) -> HttpResponse:
    """Upload an export ZIP; everything in it is added to the own dossier, or nothing with the reasons."""
    if request.method == "POST":
        form = DossierImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = dossier_import(actor=request.actor, upload=form.cleaned_data["file"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                request.session[RESULT_KEY] = asdict(result)
                return redirect("dossier:import")
        return render(request, "dossier/import.html", {"form": form}, status=400)
    result = request.session.pop(RESULT_KEY, None)
    return render(request, "dossier/import.html", {"form": DossierImportForm(), "result": result})


urlpatterns: list[URLPattern] = [
    path("export/", export, name="export"),
    path("export/zip/", export_zip, name="export-zip"),
    path("export/pdf/", export_pdf, name="export-pdf"),
    path("import/", dossier_import_page, name="import"),
]
