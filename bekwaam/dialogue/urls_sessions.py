"""URLs of the sessions part of dialogue (under /dialogue/): sessions, their questions' answers and statements,
the shared view of a school, and agreed actions into the verbeterplan or one's POP."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.dialogue import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.session_list, name="sessions"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:session_id>/held/", views.session_held, name="session_held"),
    path("sessions/<uuid:session_id>/adopt/", views.session_adopt, name="session_adopt"),
    path("questions/<uuid:question_id>/answers/new/", views.answer_add, name="answer_add"),
    path("questions/<uuid:question_id>/statements/new/", views.statement_add, name="statement_add"),
    path("answers/<uuid:answer_id>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<uuid:answer_id>/delete/", views.answer_delete, name="answer_delete"),
    path("statements/<uuid:statement_id>/edit/", views.statement_edit, name="statement_edit"),
    path("statements/<uuid:statement_id>/delete/", views.statement_delete, name="statement_delete"),
    path("statements/<uuid:statement_id>/verbeterplan/", views.statement_to_plan, name="statement_to_plan"),
    path("statements/<uuid:statement_id>/pop/", views.statement_to_pop, name="statement_to_pop"),
    path("schools/<int:school_id>/shared-view/", views.school_view, name="school_view"),
]
