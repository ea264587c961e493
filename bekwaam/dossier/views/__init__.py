"""The medewerker's own dossier. Its sections are built by the dossier issue; this is the home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bekwaam.tenancy import selectors
from bekwaam.tenancy.policy import ActorRequest, actor_view


@require_safe
@actor_view("dossier.view_own")
def overview(request: ActorRequest) -> HttpResponse:
    employments = selectors.own_employments_for(actor=request.actor)
    return render(request, "dossier/overview.html", {"employments": employments})
