"""Input of the credentials pages: the reason for a revocation, and what a verifier hands in."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from bekwaam.credentials.services import REASON_MAX
from bekwaam.credentials.vc import too_large_message


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The holder reads this reason. It is not shown on the public verification page."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for revoking: the holder reads it.")},
    )


def certificate_id_from(text: str) -> uuid.UUID | None:
    """The certificate of a verification URL of this site (or a bare certificate id); None for anything else.

    Only this site's own addresses are read: Bekwaam never fetches a URL a visitor gives.
    """
    text = text.strip()
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    parts = urlsplit(text)
    own = urlsplit(settings.SITE_URL)
    if parts.netloc and (parts.netloc.lower() != own.netloc.lower() or parts.scheme not in ("http", "https")):
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name not in ("credentials:verify-certificate", "credentials:certificate"):
        return None
    found = match.kwargs.get("certificate_id")
    return found if isinstance(found, uuid.UUID) else None


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Credential file"),
        required=False,
        help_text=_("The .json file the holder downloaded from Bekwaam."),
    )
    url = forms.CharField(
        label=_("Or the verification URL"),
        required=False,
        max_length=500,
        help_text=_("The address printed under the QR code on the certificate."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        # The size is checked before a byte of the file is read.
        if upload is not None and upload.size is not None and upload.size > settings.CREDENTIALS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload

    def clean_url(self) -> uuid.UUID | None:
        text = self.cleaned_data.get("url", "").strip()
        if not text:
            return None
        certificate_id = certificate_id_from(text)
        if certificate_id is None:
            raise forms.ValidationError(
                _("This is not a verification URL of this site. It looks like %(example)s."),
                params={"example": settings.SITE_URL.rstrip("/") + reverse("credentials:verify") + "…/"},
            )
        return certificate_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("file") and not cleaned.get("url"):
            raise forms.ValidationError(_("Choose a credential file, or paste a verification URL."))
        if cleaned.get("file") and cleaned.get("url"):
            raise forms.ValidationError(_("Give either a file or a URL, not both."))
        return cleaned
