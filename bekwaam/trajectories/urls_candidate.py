"""Trajectory pages: the candidate part (included by trajectories/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from bekwaam.trajectories.views import candidate as views

urlpatterns: list[URLPattern] = [
    path("", views.mine, name="mine"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<uuid:template_id>/", views.offer, name="offer"),
    path("<uuid:trajectory_id>/", views.detail, name="detail"),
    path(
        "<uuid:trajectory_id>/assignments/<int:assignment_id>/items/new/",
        views.item_create,
        name="item-create",
    ),
    path(
        "<uuid:trajectory_id>/assignments/<int:assignment_id>/items/from-dossier/",
        views.item_copy,
        name="item-copy",
    ),
    path("<uuid:trajectory_id>/items/<uuid:item_id>/edit/", views.item_edit, name="item-edit"),
    path("<uuid:trajectory_id>/items/<uuid:item_id>/delete/", views.item_delete, name="item-delete"),
    path("<uuid:trajectory_id>/items/<uuid:item_id>/file/", views.item_file, name="item-file"),
    path("<uuid:trajectory_id>/request-assessment/", views.request_assessment, name="request-assessment"),
    path("<uuid:trajectory_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:trajectory_id>/advice-goals/", views.advice_goals, name="advice-goals"),
    path("<uuid:trajectory_id>/share-result/", views.share_result, name="share-result"),
]
