"""Lesson visits: planning, scoring, nagesprek, acknowledgement, peer visits (under /observations/)."""

from django.urls import path

from bekwaam.observations.views import visits

VISIT = "<uuid:observation_id>/"

urlpatterns = [
    path("", visits.visit_list, name="visit-list"),
    path("plan/", visits.visit_create, name="visit-create"),
    path("peer/", visits.peer_create, name="peer-create"),
    path(VISIT, visits.visit_detail, name="visit-detail"),
    path(VISIT + "edit/", visits.visit_edit, name="visit-edit"),
    path(VISIT + "cancel/", visits.visit_cancel, name="visit-cancel"),
    path(VISIT + "score/", visits.visit_score, name="visit-score"),
    path(VISIT + "score/save/", visits.score_save, name="score-save"),
    path(VISIT + "nagesprek/", visits.visit_debrief, name="visit-debrief"),
    path(VISIT + "submit/", visits.visit_submit, name="visit-submit"),
    path(VISIT + "reopen/", visits.visit_reopen, name="visit-reopen"),
    path(VISIT + "reaction/", visits.visit_reaction, name="visit-reaction"),
    path(VISIT + "acknowledge/", visits.visit_acknowledge, name="visit-acknowledge"),
    path(VISIT + "agreements/<int:agreement_id>/goal/", visits.agreement_goal, name="visit-agreement-goal"),
]
