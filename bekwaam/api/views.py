"""The read-only API over the team, school and board figures: the pages' rules and selectors, as JSON.

Session sign-in only (settings.REST_FRAMEWORK), the same rules as the pages (insights.board, insights.schools
with insights.view_school, insights.team), the same refusal of any parameter but metric, framework and year
(400), and the same selectors (insights.selectors.aggregates): released figures only, withheld groups named
without numbers. Without a metric the answer has every metric and framework with figures.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bekwaam.api.serializers import InsightsSerializer, insights_payload
from bekwaam.insights.forms.groups import InsightsFilterForm
from bekwaam.insights.selectors.aggregates import (
    Audience,
    audience_board_for,
    audience_school_for,
    audience_team_for,
    choices_for,
    insights_all_for,
    insights_for,
    selection_resolve,
)
from bekwaam.insights.views.groups import refused_parameters
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import ActorRequest

PARAMETERS = [
    OpenApiParameter("metric", OpenApiTypes.STR, enum=["measurement", "observation", "conversations"]),
    OpenApiParameter("framework", OpenApiTypes.STR, description="A framework's slug (measurements, lesson visits)."),
    OpenApiParameter("year", OpenApiTypes.INT, description="The year the school year began, e.g. 2025."),
]


def actor_of(request: Request) -> Actor:
    return cast(ActorRequest, request._request).actor


def insights_response(request: Request, audience: Audience) -> Response:
    """The figures of the audience's groups, or 400 for a parameter the pages refuse too."""
    refused = refused_parameters(request._request)
    if refused:
        return Response(
            {
                "detail": _(
                    "Figures are shown for whole groups and school years only; the address may choose the metric, "
                    "the framework and the year, nothing else."
                ),
                "refused": refused,
            },
            status=400,
        )
    choices = choices_for(audience=audience)
    form = InsightsFilterForm(request.query_params or None, choices=choices)
    if request.query_params and not form.is_valid():
        return Response({"detail": _("Please correct the choices."), "errors": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data if request.query_params else {}
    today = timezone.localdate()
    if data.get("metric"):
        selection = selection_resolve(
            choices, today=today, metric=data["metric"], framework_slug=data.get("framework"), year=data.get("year")
        )
        slices = [insights_for(audience=audience, choices=choices, selection=selection, schools_all_years=True)]
    else:
        slices = insights_all_for(audience=audience, choices=choices, today=today)
    threshold = int(settings.AGGREGATE_MIN_GROUP_SIZE)
    year = data.get("year")
    payload = insights_payload(slices, scope=audience.kind, name=audience.name, threshold=threshold, year=year)
    return Response(InsightsSerializer(payload).data)


class BoardInsights(APIView):
    """The board's released figures and every school's, per metric, framework and school year."""

    @extend_schema(parameters=PARAMETERS, responses=InsightsSerializer, operation_id="insights_board")
    def get(self, request: Request) -> Response:
        return insights_response(request, audience_board_for(actor=actor_of(request)))


class SchoolInsights(APIView):
    """One school's released figures (board viewers; a schoolleider for the schools they manage)."""

    @extend_schema(parameters=PARAMETERS, responses=InsightsSerializer, operation_id="insights_school")
    def get(self, request: Request, school_id: int) -> Response:
        return insights_response(request, audience_school_for(actor=actor_of(request), school_id=school_id))


class TeamInsights(APIView):
    """The released figures of the team the signed-in leidinggevende leads."""

    @extend_schema(parameters=PARAMETERS, responses=InsightsSerializer, operation_id="insights_team")
    def get(self, request: Request) -> Response:
        return insights_response(request, audience_team_for(actor=actor_of(request)))


__all__: list[Any] = ["BoardInsights", "SchoolInsights", "TeamInsights"]
