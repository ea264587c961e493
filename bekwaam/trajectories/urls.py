"""Waarderingstrajecten: the candidate's pages, the aanbieder's pages and the four-eyes decision."""

from __future__ import annotations

from django.urls import include, path

app_name = "trajectories"

urlpatterns = [
    path("", include("bekwaam.trajectories.urls_candidate")),
    path("", include("bekwaam.trajectories.urls_provider")),
    path("", include("bekwaam.trajectories.urls_decision")),
]
