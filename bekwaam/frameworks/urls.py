"""Framework pages for the functioneel beheerder (under /frameworks/)."""

from django.urls import path

from bekwaam.frameworks import views

app_name = "frameworks"

VERSION = "versions/<uuid:version_id>/"

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("adopt/", views.framework_adopt, name="framework-adopt"),
    path("new/", views.framework_create, name="framework-create"),
    path("import/", views.framework_import, name="framework-import"),
    path("<uuid:framework_id>/", views.framework_detail, name="framework-detail"),
    path("<uuid:framework_id>/edit/", views.framework_update, name="framework-update"),
    path("<uuid:framework_id>/export/", views.framework_export, name="framework-export"),
    path("<uuid:framework_id>/versions/new/", views.version_create_draft, name="version-create-draft"),
    path(VERSION, views.version_detail, name="version-detail"),
    path(VERSION + "export/", views.version_export, name="version-export"),
    path(VERSION + "edit/", views.version_update, name="version-update"),
    path(VERSION + "publish/", views.version_publish, name="version-publish"),
    path(VERSION + "delete/", views.version_delete, name="version-delete"),
    path(VERSION + "scale/new/", views.scale_level_create, name="scale-level-create"),
    path(VERSION + "scale/<int:level_id>/", views.scale_level_update, name="scale-level-update"),
    path(VERSION + "scale/<int:level_id>/delete/", views.scale_level_delete, name="scale-level-delete"),
    path(VERSION + "scale/<int:level_id>/move/", views.scale_level_move, name="scale-level-move"),
    path(VERSION + "domains/new/", views.domain_create, name="domain-create"),
    path(VERSION + "domains/<int:domain_id>/", views.domain_update, name="domain-update"),
    path(VERSION + "domains/<int:domain_id>/delete/", views.domain_delete, name="domain-delete"),
    path(VERSION + "domains/<int:domain_id>/move/", views.domain_move, name="domain-move"),
    path(VERSION + "domains/<int:domain_id>/competences/new/", views.competence_create, name="competence-create"),
    path(VERSION + "competences/<int:competence_id>/", views.competence_update, name="competence-update"),
    path(VERSION + "competences/<int:competence_id>/delete/", views.competence_delete, name="competence-delete"),
    path(VERSION + "competences/<int:competence_id>/move/", views.competence_move, name="competence-move"),
    path(VERSION + "competences/<int:competence_id>/indicators/new/", views.indicator_create, name="indicator-create"),
    path(VERSION + "indicators/<int:indicator_id>/", views.indicator_update, name="indicator-update"),
    path(VERSION + "indicators/<int:indicator_id>/delete/", views.indicator_delete, name="indicator-delete"),
    path(VERSION + "indicators/<int:indicator_id>/move/", views.indicator_move, name="indicator-move"),
]
