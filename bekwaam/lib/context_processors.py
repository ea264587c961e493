"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """django-csp 4 sets request.csp_nonce; django-htmx's {% htmx_script %} reads csp_nonce."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
