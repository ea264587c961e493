"""Trajectory pages: the four-eyes decision (included by trajectories/urls.py, under /trajectories/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from bekwaam.trajectories.views import decision

WORK = "work/<uuid:trajectory_id>/"

urlpatterns: list[URLPattern] = [
    path(WORK + "interview-held/", decision.interview_held, name="interview-held"),
    path(WORK + "judgement/", decision.judgement, name="judgement"),
    path(WORK + "judgement/revise/", decision.judgement_revise, name="judgement-revise"),
]
