"""URLs of the learner part of learning: the catalogue, a module, the person's enrolments, lesson material."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.learning.views import learner as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.catalogue, name="catalogue"),
    path("modules/<uuid:course_id>/", views.course, name="course"),
    path("modules/<uuid:course_id>/start/", views.start, name="start"),
    path("suggestions/<uuid:suggestion_id>/dismiss/", views.suggestion_dismiss, name="suggestion-dismiss"),
    path("mine/<uuid:enrolment_id>/", views.enrolment, name="enrolment"),
    path("mine/<uuid:enrolment_id>/lessons/<uuid:lesson_id>/", views.lesson, name="lesson"),
    path("mine/<uuid:enrolment_id>/lessons/<uuid:lesson_id>/done/", views.lesson_done, name="lesson-done"),
    path("mine/<uuid:enrolment_id>/quiz/", views.quiz, name="quiz"),
    path("mine/<uuid:enrolment_id>/quiz/<int:number>/", views.attempt, name="attempt"),
    path("materials/<uuid:material_id>/", views.material, name="material"),
]
