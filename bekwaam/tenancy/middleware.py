"""Resolve the actor once per request and run the view inside its tenancy scope."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from bekwaam.tenancy.context import actor_for

SESSION_KEY = "organisation"


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            request.actor = None  # type: ignore[attr-defined]
            # An empty scope: any tenant query made for an anonymous visitor finds nothing.
            with scope(board=[], provider=[]):
                return self.get_response(request)
        actor = actor_for(user, request.session.get(SESSION_KEY))
        request.actor = actor  # type: ignore[attr-defined]
        if user.is_superuser and request.path.startswith("/admin/"):
            # The platform operator's admin shows organisations only (no dossier models are
            # registered there), across all boards: see docs/decisions/0002-tenancy.md.
            with scopes_disabled():
                return self.get_response(request)
        board_ids = [actor.board_id] if actor.board_id else []
        provider_ids = [actor.provider_id] if actor.provider_id else []
        with scope(board=board_ids, provider=provider_ids):
            return self.get_response(request)
