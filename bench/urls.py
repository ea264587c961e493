"""Bekwaam's URL map plus the floor: kept here so the floor never reaches the production URL map."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from bekwaam.tenancy.policy import ActorRequest, actor_view


@actor_view()
def floor(request: ActorRequest) -> HttpResponse:
    """The floor of the stack: a signed-in page through every middleware, base.html, empty content."""
    return render(request, "bench/floor.html")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("bekwaam.urls")),
]
