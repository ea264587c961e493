"""Roles that see other people's data must set up a second factor before they see anything,
and every session of theirs must have passed it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Pages reachable before the second factor is set up: sign-in, MFA setup, logout, language, static.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/invitation/", "/health/")


def session_passed_second_factor(request: HttpRequest, authenticator: Authenticator) -> bool:
    """The session gave a TOTP or recovery code, or set up this authenticator after signing in."""
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    signed_in = [float(record.get("at", 0)) for record in records]
    if not signed_in:
        return False
    # First setup in this very session (right after signing in with the password).
    return bool(authenticator.created_at >= datetime.datetime.fromtimestamp(min(signed_in), tz=datetime.UTC))


class RequireMfaMiddleware:
    """Runs after TenantMiddleware, which resolved `request.actor` (with `requires_mfa`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = getattr(request, "actor", None)
        if (
            actor is not None
            and actor.requires_mfa
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            authenticator = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).first()
            if authenticator is None:
                return redirect("accounts:mfa-required")
            if not session_passed_second_factor(request, authenticator):
                # Signed in with the password only, before the authenticator existed (set up elsewhere
                # since): this session must sign in again, now with the code.
                logout(request)
                messages.info(request, _("Please sign in again, now with the code from your authenticator app."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
