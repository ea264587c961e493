"""The conversation pages, one module per part (setup, conversations, appraisals)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


def typed_text_kept(request: HttpRequest, *, typed: str, stored: str = "") -> None:
    """When a step is refused (the other side moved first), hand back what the person typed, so nothing is lost."""
    typed = typed.strip()
    if typed and typed != stored.strip():
        messages.warning(
            request, _("Your text has not been saved. This is what you typed, to copy: %(text)s") % {"text": typed}
        )
