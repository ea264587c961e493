"""The beheerder's gesprekscyclus pages (under /conversations/setup/): cycles and the form builder."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.conversations.views import setup as views

VERSION = "setup/form-versions/<uuid:version_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("setup/", views.setup, name="setup"),
    path("setup/install/", views.setup_install, name="setup-install"),
    path("setup/cycles/new/", views.cycle_create, name="cycle-create"),
    path("setup/cycles/<int:cycle_id>/delete/", views.cycle_delete, name="cycle-delete"),
    path("setup/cycles/<int:cycle_id>/steps/new/", views.step_create, name="step-create"),
    path("setup/steps/<int:step_id>/", views.step_update, name="step-update"),
    path("setup/steps/<int:step_id>/delete/", views.step_delete, name="step-delete"),
    path("setup/forms/new/", views.form_create, name="form-create"),
    path("setup/forms/<uuid:form_id>/", views.form_detail, name="form-detail"),
    path("setup/forms/<uuid:form_id>/edit/", views.form_update, name="form-update"),
    path("setup/forms/<uuid:form_id>/versions/new/", views.form_version_create, name="form-version-create"),
    path(VERSION, views.form_version_detail, name="form-version-detail"),
    path(VERSION + "edit/", views.form_version_update, name="form-version-update"),
    path(VERSION + "publish/", views.form_version_publish, name="form-version-publish"),
    path(VERSION + "delete/", views.form_version_delete, name="form-version-delete"),
    path(VERSION + "sections/new/", views.section_create, name="form-section-create"),
    path(VERSION + "sections/<int:section_id>/", views.section_update, name="form-section-update"),
    path(VERSION + "sections/<int:section_id>/delete/", views.section_delete, name="form-section-delete"),
    path(VERSION + "sections/<int:section_id>/move/", views.section_move, name="form-section-move"),
    path(VERSION + "sections/<int:section_id>/questions/new/", views.prompt_create, name="form-prompt-create"),
    path(VERSION + "questions/<int:prompt_id>/", views.prompt_update, name="form-prompt-update"),
    path(VERSION + "questions/<int:prompt_id>/delete/", views.prompt_delete, name="form-prompt-delete"),
    path(VERSION + "questions/<int:prompt_id>/move/", views.prompt_move, name="form-prompt-move"),
]
