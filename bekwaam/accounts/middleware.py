"""Roles that see other people's data must set up a second factor before they see anything."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Pages reachable before the second factor is set up: sign-in, MFA setup, logout, language, static.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/invitation/", "/health/")


class RequireMfaMiddleware:
    """Runs after TenantMiddleware, which resolved `request.actor` (with `requires_mfa`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and getattr(request, "actor", None) is not None
            and request.actor.requires_mfa  # type: ignore[attr-defined]
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect("accounts:mfa-required")
        return self.get_response(request)
