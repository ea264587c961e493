"""Standards, self-evaluations, nu-metingen, inspection visits, school visits, flags (under /quality/)."""

from django.urls import path

from bekwaam.quality.views import evaluations, evaluations_records

urlpatterns = [
    path("", evaluations.quality_home, name="home"),
    path("schools/<int:school_id>/", evaluations.school_detail, name="school-detail"),
    path("board/evaluations/", evaluations.board_evaluations, name="board-evaluations"),
    # The board's judgement scale for self-evaluations.
    path("scale/", evaluations.scale_settings, name="scale-settings"),
    path("scale/new/", evaluations.scale_level_create, name="scale-level-create"),
    path("scale/<int:level_id>/edit/", evaluations.scale_level_edit, name="scale-level-edit"),
    path("scale/<int:level_id>/archive/", evaluations.scale_level_archive, name="scale-level-archive"),
    path("scale/<int:level_id>/restore/", evaluations.scale_level_restore, name="scale-level-restore"),
    path("scale/<int:level_id>/delete/", evaluations.scale_level_delete, name="scale-level-delete"),
    path("scale/<int:level_id>/move/", evaluations.scale_level_move, name="scale-level-move"),
    # Self-evaluations and nu-metingen.
    path("evaluations/new/", evaluations.evaluation_create, name="evaluation-create"),
    path("evaluations/<uuid:evaluation_id>/", evaluations.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<uuid:evaluation_id>/edit/", evaluations.evaluation_edit, name="evaluation-edit"),
    path("evaluations/<uuid:evaluation_id>/move/", evaluations.evaluation_move, name="evaluation-move"),
    path("documents/<uuid:document_id>/", evaluations_records.document_file, name="document-file"),
    # Inspection visits.
    path("inspections/new/", evaluations_records.inspection_create, name="inspection-create"),
    path("inspections/<uuid:visit_id>/", evaluations_records.inspection_detail, name="inspection-detail"),
    path("inspections/<uuid:visit_id>/edit/", evaluations_records.inspection_edit, name="inspection-edit"),
    # The kwaliteitsmedewerker's school visits and flags.
    path("school-visits/new/", evaluations_records.school_visit_create, name="schoolvisit-create"),
    path("school-visits/<uuid:visit_id>/", evaluations_records.school_visit_detail, name="schoolvisit-detail"),
    path("schools/<int:school_id>/flag/", evaluations_records.flag_create, name="flag-create"),
    path("flags/<int:flag_id>/clear/", evaluations_records.flag_clear, name="flag-clear"),
]
