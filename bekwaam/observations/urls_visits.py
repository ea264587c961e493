"""Lesson visits: planning, scoring, nagesprek, acknowledgement, peer visits (under /observations/)."""

from django.urls import path

from bekwaam.observations.views import visits

urlpatterns = [
    path("", visits.visit_list, name="visit-list"),
    path("<uuid:observation_id>/", visits.visit_detail, name="visit-detail"),
]
