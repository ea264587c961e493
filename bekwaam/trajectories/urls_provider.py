"""Trajectory pages: the provider part (included by trajectories/urls.py): templates, worklist, the staff page."""

from __future__ import annotations

from django.urls import URLPattern, path

from bekwaam.trajectories.views import provider as views

TEMPLATE = "templates/<uuid:template_id>/"
STEP = TEMPLATE + "steps/<int:step_id>/"
ASSIGNMENT = TEMPLATE + "assignments/<int:assignment_id>/"
WORK = "work/<uuid:trajectory_id>/"

urlpatterns: list[URLPattern] = [
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_create, name="template-create"),
    path(TEMPLATE, views.template_edit, name="template-edit"),
    path(TEMPLATE + "steps/", views.template_step_add, name="template-step-add"),
    path(STEP + "delete/", views.template_step_delete, name="template-step-delete"),
    path(STEP + "move/", views.template_step_move, name="template-step-move"),
    path(TEMPLATE + "assignments/", views.template_assignment_add, name="template-assignment-add"),
    path(ASSIGNMENT, views.template_assignment_edit, name="template-assignment-edit"),
    path(ASSIGNMENT + "delete/", views.template_assignment_delete, name="template-assignment-delete"),
    path(ASSIGNMENT + "move/", views.template_assignment_move, name="template-assignment-move"),
    path(TEMPLATE + "publish/", views.template_publish, name="template-publish"),
    path(TEMPLATE + "unpublish/", views.template_unpublish, name="template-unpublish"),
    path(TEMPLATE + "archive/", views.template_archive, name="template-archive"),
    path("work/", views.worklist, name="worklist"),
    path(WORK, views.work, name="work"),
    path(WORK + "accept/", views.accept, name="accept"),
    path(WORK + "review/", views.review_start, name="review-start"),
    path(WORK + "additions/", views.additions_request, name="additions-request"),
    path(WORK + "interview/", views.interview_plan, name="interview-plan"),
    path(WORK + "coaching/", views.coaching_create, name="coaching-create"),
    path(WORK + "comments/", views.comment_create, name="comment-create"),
]
