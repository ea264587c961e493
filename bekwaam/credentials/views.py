"""The certificate pages: for its holder and the issuing aanbieder's assessors (the page, the PDF, the
credential file, the frozen portfolio, revocation, the aanbieder's list), and the public ones (verification
by file or URL, a certificate's verification page, the issuer's DID document, JWK set and status list).

Signed-in pages resolve the certificate through certificate_get_for (404 for anyone but the holder and the
aanbieder's assessors); revoking checks its rule by name (403 for the holder). The public pages need no
sign-in and show only what the certificate itself states (the reason of a revocation stays private).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from uuid import UUID

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bekwaam.credentials import services
from bekwaam.credentials.forms import RevokeForm, VerifyForm
from bekwaam.credentials.models import Certificate
from bekwaam.credentials.selectors import (
    ASSESSOR,
    certificate_get_for,
    certificate_list_for,
    certificate_public_get,
    issuer_keys,
    revoked_status_indices,
    role_of,
    snapshot_bytes,
)
from bekwaam.credentials.vc import (
    credential_file,
    did_document,
    jwk_set,
    level_label,
    status_list_payload,
    token_sign,
    verify,
    verify_url,
)
from bekwaam.lib.forms import apply_validation_error
from bekwaam.lib.pdf import pdf_render
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

VIEW = "credentials.view_certificate"
REVOKE = "credentials.revoke"
PAGE_SIZE = 25
# The public documents are read by verifiers' browsers too (wallets, badge validators).
PUBLIC_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
# Revocation must show soon; a minute of caching keeps a busy verifier cheap.
STATUS_LIST_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}


def _certificate(request: ActorRequest, certificate_id: UUID) -> Certificate:
    certificate = certificate_get_for(actor=request.actor, certificate_id=certificate_id)
    authorize(request.actor, VIEW, certificate)
    return certificate


def _to_page(certificate: Certificate) -> HttpResponse:
    return redirect("credentials:certificate", certificate_id=certificate.pk)


def qr_svg(url: str) -> SafeString:
    """The QR code of a URL as inline SVG (no image to fetch: the PDF renderer refuses every URL)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title=url, svgclass="qr")
    return mark_safe(svg)  # noqa: S308  # segno's own markup; the URL is escaped in the title by segno


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- for the holder and the aanbieder -------------------------------------------------------------------------


@require_safe
@actor_view()
def certificate_detail(request: ActorRequest, certificate_id: UUID) -> HttpResponse:
    """What the certificate says, whether it holds, its downloads and public link; the revoke button for assessors."""
    certificate = _certificate(request, certificate_id)
    role = role_of(actor=request.actor, certificate=certificate)
    context = {
        "certificate": certificate,
        "role": role,
        "level_label": level_label(certificate.learning_level),
        "verify_url": verify_url(certificate.pk),
        "may_revoke": role == ASSESSOR and certificate.revoked_at is None,
    }
    return render(request, "credentials/certificate.html", context)


@require_safe
@actor_view()
def certificate_pdf(request: ActorRequest, certificate_id: UUID) -> HttpResponse:
    """The certificate as an A4 PDF with the verification URL and its QR code; marked when revoked."""
    certificate = _certificate(request, certificate_id)
    url = verify_url(certificate.pk)
    html = render_to_string(
        "credentials/certificate_pdf.html",
        {
            "certificate": certificate,
            "level_label": level_label(certificate.learning_level),
            "verify_url": url,
            "qr": qr_svg(url),
            "printed": timezone.localdate(),
        },
        request=None,
    )
    return _download(pdf_render(html), content_type="application/pdf", filename=f"certificaat-{certificate.pk}.pdf")


@require_safe
@actor_view()
def certificate_credential(request: ActorRequest, certificate_id: UUID) -> HttpResponse:
    """The credential file: the signed VC-JWT as issued, enveloped in JSON, for the holder's wallet or a verifier."""
    certificate = _certificate(request, certificate_id)
    return _download(
        credential_file(certificate), content_type="application/json", filename=f"certificaat-{certificate.pk}.json"
    )


@require_safe
@actor_view()
def certificate_snapshot(request: ActorRequest, certificate_id: UUID) -> HttpResponse:
    """The portfolio as assessed, byte for byte as hashed: its SHA-256 is the credential's evidence digest."""
    certificate = _certificate(request, certificate_id)
    content = snapshot_bytes(certificate=certificate)
    response = _download(
        content, content_type="application/json; charset=utf-8", filename=f"portfolio-{certificate.pk}.json"
    )
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode("ascii")
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


@require_http_methods(["GET", "POST"])
@actor_view()
def certificate_revoke(request: ActorRequest, certificate_id: UUID) -> HttpResponse:
    """Revoke with a reason (an assessor of the issuing aanbieder); the form keeps the typed reason on error."""
    certificate = _certificate(request, certificate_id)
    authorize(request.actor, REVOKE, certificate)
    if certificate.revoked_at is not None:
        messages.info(request, _("This certificate has been revoked already."))
        return _to_page(certificate)
    form = RevokeForm(request.POST) if request.method == "POST" else RevokeForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                actor=request.actor, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The certificate has been revoked. The holder gets an e-mail."))
            return _to_page(certificate)
    status = 400 if request.method == "POST" else 200
    return render(request, "credentials/revoke.html", {"certificate": certificate, "form": form}, status=status)


@require_safe
@actor_view("credentials.view_list")
def certificate_list(request: ActorRequest) -> HttpResponse:
    """The certificates the aanbieder issued, newest first, a page at a time."""
    page = Paginator(certificate_list_for(actor=request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credentials/list.html", {"page": page})


# --- public ---------------------------------------------------------------------------------------------------


def _result_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "credentials/verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone: upload a credential file (or paste a verification URL) and read whether it holds."""
    if request.method != "POST":
        return _result_page(request, {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _result_page(request, {"form": form}, status=400)
    certificate_id = form.cleaned_data.get("url")
    if certificate_id is not None:
        return redirect("credentials:verify-certificate", certificate_id=certificate_id)
    result = verify(form.cleaned_data["file"].read())
    return _result_page(request, {"form": VerifyForm(), "result": result})


@require_safe
def verify_certificate(request: HttpRequest, certificate_id: UUID) -> HttpResponse:
    """Anyone: the certificate behind a verification URL (the QR code), verified as its credential."""
    certificate = certificate_public_get(certificate_id=certificate_id)
    result = verify(certificate.credential)
    context = {"result": result, "verify_url": verify_url(certificate.pk)}
    return render(request, "credentials/verify_certificate.html", context)


def _json(document: dict[str, Any], content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(document, content_type=content_type, json_dumps_params={"indent": 2})
    for name, value in PUBLIC_HEADERS.items():
        response[name] = value
    return response


@require_safe
def issuer_did(request: HttpRequest, provider_id: int) -> HttpResponse:
    """The aanbieder's did:web document: every signing key it ever had (retired ones still verify)."""
    return _json(did_document(provider_id=provider_id, keys=issuer_keys(provider_id=provider_id)))


@require_safe
def issuer_jwks(request: HttpRequest, provider_id: int) -> HttpResponse:
    """The same keys as a JWK set."""
    return _json(jwk_set(issuer_keys(provider_id=provider_id)))


@require_safe
def status_list(request: HttpRequest, provider_id: int) -> HttpResponse:
    """The aanbieder's revocation list: a BitstringStatusListCredential, signed with its active key."""
    keys = issuer_keys(provider_id=provider_id)
    active = next((key for key in reversed(keys) if key.retired_at is None), None)
    if active is None:
        raise Http404
    payload = status_list_payload(
        provider_id=provider_id, revoked_indices=revoked_status_indices(provider_id=provider_id)
    )
    response = HttpResponse(token_sign(payload=payload, key=active), content_type="application/vc+jwt")
    for name, value in STATUS_LIST_HEADERS.items():
        response[name] = value
    return response
