"""Template context: the actor and the navigation for their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bekwaam.tenancy.navigation import navigation_for


def tenant(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    return {"actor": actor, "navigation": navigation_for(actor) if actor else []}
