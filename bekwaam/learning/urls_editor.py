"""URLs of the editor part of learning: the author's pages, completion figures, suggestions."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.learning.views import editor as views
from bekwaam.learning.views import figures, suggest

COURSE = "editor/<uuid:course_id>/"
LESSON = COURSE + "lessons/<uuid:lesson_id>/"
QUESTION = COURSE + "questions/<uuid:question_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("editor/", views.editor, name="editor"),
    path("editor/new/", views.editor_create, name="editor-create"),
    path("editor/examples/", views.editor_examples, name="editor-examples"),
    path(COURSE, views.editor_course, name="editor-course"),
    path(COURSE + "versions/<uuid:version_id>/", views.editor_version, name="editor-version"),
    path(COURSE + "competences/", views.editor_competences, name="editor-competences"),
    path(COURSE + "boards/", views.editor_boards, name="editor-boards"),
    path(COURSE + "publish/", views.editor_publish, name="editor-publish"),
    path(COURSE + "new-version/", views.editor_new_version, name="editor-new-version"),
    path(COURSE + "draft/delete/", views.editor_draft_delete, name="editor-draft-delete"),
    path(COURSE + "archive/", views.editor_archive, name="editor-archive"),
    path(COURSE + "unarchive/", views.editor_unarchive, name="editor-unarchive"),
    path(COURSE + "figures/", figures.editor_figures, name="editor-figures"),
    path(COURSE + "lessons/new/", views.editor_lesson_create, name="editor-lesson-create"),
    path(LESSON, views.editor_lesson, name="editor-lesson"),
    path(LESSON + "move/", views.editor_lesson_move, name="editor-lesson-move"),
    path(LESSON + "delete/", views.editor_lesson_delete, name="editor-lesson-delete"),
    path(LESSON + "materials/", views.editor_material_add, name="editor-material-add"),
    path(LESSON + "materials/<uuid:material_id>/delete/", views.editor_material_delete, name="editor-material-delete"),
    path(COURSE + "questions/new/", views.editor_question_create, name="editor-question-create"),
    path(QUESTION, views.editor_question, name="editor-question"),
    path(QUESTION + "move/", views.editor_question_move, name="editor-question-move"),
    path(QUESTION + "delete/", views.editor_question_delete, name="editor-question-delete"),
    path("suggest/", suggest.suggest, name="suggest"),
]
