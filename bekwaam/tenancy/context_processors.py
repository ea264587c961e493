"""Template context: the actor and the navigation for their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bekwaam.tenancy.navigation import navigation_for


def tenant(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    navigation = navigation_for(actor) if actor else []
    # The item the page belongs to: the longest item URL the path starts with (/observations/calibration/
    # is Kalibratie, /observations/12/ is Lesbezoeken).
    matching = [item.url for item in navigation if request.path.startswith(item.url)]
    return {"actor": actor, "navigation": navigation, "navigation_current": max(matching, key=len, default="")}
