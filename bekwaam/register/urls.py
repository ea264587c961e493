"""The school leader's register pages (under /register/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from bekwaam.register import views

app_name = "register"

PERIOD = "periods/<uuid:period_id>/"
ACTIVITY = "activities/<uuid:activity_id>/"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("periods/add/", views.period_create_view, name="period-create"),
    path(PERIOD + "edit/", views.period_edit, name="period-edit"),
    path(PERIOD + "activities/add/", views.activity_create_view, name="activity-create"),
    path(ACTIVITY, views.activity_detail, name="activity-detail"),
    path(ACTIVITY + "delete/", views.activity_delete_view, name="activity-delete"),
    path(ACTIVITY + "certificate/", views.activity_certificate, name="activity-certificate"),
]
