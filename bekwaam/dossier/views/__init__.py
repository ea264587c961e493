"""The medewerker's own dossier: the overview of every part; each part's pages live in its own module.

Import selectors by function name here: a module name (`assessments`) would shadow the views submodule.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bekwaam.dossier.selectors.assessments import assessment_overview_for
from bekwaam.dossier.selectors.plans import plan_overview_for
from bekwaam.dossier.selectors.portfolio import portfolio_overview_for
from bekwaam.tenancy import selectors
from bekwaam.tenancy.policy import ActorRequest, actor_view


@require_safe
@actor_view("dossier.view_own")
def overview(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context: dict[str, Any] = {"employments": selectors.own_employments_for(actor=actor)}
    context.update(assessment_overview_for(actor=actor))
    context.update(plan_overview_for(actor=actor))
    context.update(portfolio_overview_for(actor=actor))
    return render(request, "dossier/overview.html", context)
