"""The author's pages: the list of modules, a module (its draft's details, competences, lessons with their
materials, the quiz), publishing, new versions, archiving, the boards an aanbieder offers a module to, the
example modules. A material's file is served by the learner part (learning:material), for authors too.

Every page needs "learning.author" (a board's functioneel beheerder, an aanbieder's assessor); everyone else
gets 403. Modules are fetched only through learning.selectors.author_course_get_for: another board's or
aanbieder's module is not found (404). A change to a published version is refused with a message (only a draft
is edited). Lesson text is shown only through bekwaam.learning.markdown.render, the preview included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.learning import markdown
from bekwaam.learning.forms.editor import (
    BoardsForm,
    CompetencesForm,
    LessonForm,
    MaterialForm,
    MoveForm,
    QuestionForm,
    VersionForm,
    lesson_initial,
    question_initial,
    version_initial,
)
from bekwaam.learning.models import Course, CourseVersion, Lesson, QuestionKind, VersionStatus
from bekwaam.learning.selectors import author_course_get_for
from bekwaam.learning.selectors import editor as selectors
from bekwaam.learning.services import editor as services
from bekwaam.learning.services.examples import examples_load
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

AUTHOR = "learning.author"
PAGE_SIZE = 50
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _course_url(course: Course, anchor: str = "") -> str:
    url = reverse("learning:editor-course", kwargs={"course_id": course.pk})
    return f"{url}#{anchor}" if anchor else url


def _lesson_url(course: Course, lesson: Lesson, anchor: str = "") -> str:
    url = reverse("learning:editor-lesson", kwargs={"course_id": course.pk, "lesson_id": lesson.pk})
    return f"{url}#{anchor}" if anchor else url


def _action(request: ActorRequest, action: Callable[[], Any], success: str, url: str) -> HttpResponse:
    """A button: do it and come back with its message, or with each reason it was refused."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(url)


def _direction(request: HttpRequest) -> str:
    form = MoveForm(request.POST)
    return str(form.cleaned_data["direction"]) if form.is_valid() else ""


# --- the list -------------------------------------------------------------------------------------------


@require_safe
@actor_view(AUTHOR)
def editor(request: ActorRequest) -> HttpResponse:
    """The author's modules with their published version, whether a draft exists, enrolments and completions."""
    actor = request.actor
    page = Paginator(selectors.editor_rows_for(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "for_board": actor.board_id is not None,
        "examples_loaded": selectors.examples_loaded(actor=actor),
        "minimum": settings.AGGREGATE_MIN_GROUP_SIZE,
    }
    return render(request, "learning/editor/list.html", context)


@require_POST
@actor_view(AUTHOR)
def editor_examples(request: ActorRequest) -> HttpResponse:
    """Add Bekwaam's example modules to the active board (published; a second click adds nothing)."""
    board = selectors.board_of(actor=request.actor)  # an aanbieder has no examples to load: 404
    courses = examples_load(board=board)
    messages.success(
        request,
        _("The example modules are in your list (%(count)d). They are published: change them with a new version.")
        % {"count": len(courses)},
    )
    return redirect("learning:editor")


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_create(request: ActorRequest) -> HttpResponse:
    form = VersionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.actor, data=form.data_object())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The module has been made as a draft. Add lessons and quiz questions."))
            return redirect(_course_url(course))
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/editor/create.html", {"form": form}, status=status)


# --- a module -------------------------------------------------------------------------------------------


def _course_page(
    request: ActorRequest,
    course: Course,
    *,
    form: VersionForm | None = None,
    status: int = 200,
    version: CourseVersion | None = None,
) -> HttpResponse:
    versions = selectors.course_versions(course=course)
    shown = version or selectors.shown_version(versions)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    editable = shown.status == VersionStatus.DRAFT
    context = {
        "course": course,
        "versions": versions,
        "version": shown,
        "draft": draft,
        "published": published,
        "editable": editable,
        "content": selectors.version_content(version=shown),
        "form": (form or VersionForm(initial=version_initial(shown))) if editable else None,
        "problems": services.publish_problems(shown) if editable else [],
        "offered_to": list(course.boards.order_by("name")) if course.provider_id is not None else [],
        "for_provider": course.provider_id is not None,
        "single_version_page": version is not None,
    }
    return render(request, "learning/editor/course.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_course(request: ActorRequest, course_id: UUID) -> HttpResponse:
    """The module: its versions, the draft's details (POST saves them), lessons, quiz and the buttons."""
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    if request.method == "GET":
        return _course_page(request, course)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.draft_update(actor=request.actor, course=course, data=form.data_object())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_course_url(course))
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The details have been saved."))
            return redirect(_course_url(course, "details"))
    return _course_page(request, course, form=form, status=400)


@require_safe
@actor_view(AUTHOR)
def editor_version(request: ActorRequest, course_id: UUID, version_id: UUID) -> HttpResponse:
    """One version as it is (a replaced one included), read-only unless it is the draft."""
    course, version = selectors.version_get_for(actor=request.actor, course_id=course_id, version_id=version_id)
    return _course_page(request, course, version=version)


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_competences(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    versions = selectors.course_versions(course=course)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    if draft is None:
        messages.error(request, services.read_only_message())
        return redirect(_course_url(course))
    linked = selectors.version_content(version=draft).competences
    groups = selectors.competence_groups_for(actor=request.actor, linked=linked)
    initial = {"competences": [f"{c.framework_slug}|{c.code}" for c in linked]}
    form = CompetencesForm(_data(request), initial=initial, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_competences_set(actor=request.actor, course=course, picks=form.picks())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The competences have been saved."))
            return redirect(_course_url(course, "competences"))
    status = 400 if request.method == "POST" else 200
    context = {"course": course, "version": draft, "form": form, "has_choices": bool(groups)}
    return render(request, "learning/editor/competences.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_boards(request: ActorRequest, course_id: UUID) -> HttpResponse:
    """An aanbieder's module: the boards it is offered to (a board's own module has no such page)."""
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    if course.provider_id is None:
        raise Http404
    boards = selectors.boards_to_offer()
    initial = {"boards": [str(pk) for pk in course.boards.values_list("pk", flat=True)]}
    form = BoardsForm(_data(request), initial=initial, boards=boards)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_boards_set(actor=request.actor, course=course, board_ids=form.board_ids())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The boards this module is offered to have been saved."))
            return redirect(_course_url(course, "offered"))
    status = 400 if request.method == "POST" else 200
    versions = selectors.course_versions(course=course)
    title = selectors.shown_version(versions).title
    return render(
        request, "learning/editor/boards.html", {"course": course, "title": title, "form": form}, status=status
    )


# --- the buttons on a module ----------------------------------------------------------------------------


@require_POST
@actor_view(AUTHOR)
def editor_publish(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    return _action(
        request,
        lambda: services.version_publish(actor=request.actor, course=course),
        _("The version has been published. People who started an earlier version finish that one."),
        _course_url(course),
    )


@require_POST
@actor_view(AUTHOR)
def editor_new_version(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    return _action(
        request,
        lambda: services.version_new(actor=request.actor, course=course),
        _("A new version has been made as a draft, with everything of the published one. Change it, then publish."),
        _course_url(course),
    )


@require_POST
@actor_view(AUTHOR)
def editor_draft_delete(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    try:
        whole = services.draft_delete(actor=request.actor, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_course_url(course))
    if whole:
        messages.success(request, _("The module has been deleted: it had never been published."))
        return redirect("learning:editor")
    messages.success(request, _("The draft has been deleted. The published version stays as it is."))
    return redirect(_course_url(course))


@require_POST
@actor_view(AUTHOR)
def editor_archive(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    return _action(
        request,
        lambda: services.course_archive(actor=request.actor, course=course),
        _("The module has been archived: it is no longer in the catalogue. Completions stay in the portfolios."),
        _course_url(course),
    )


@require_POST
@actor_view(AUTHOR)
def editor_unarchive(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    return _action(
        request,
        lambda: services.course_unarchive(actor=request.actor, course=course),
        _("The module is back in the catalogue."),
        _course_url(course),
    )


# --- lessons --------------------------------------------------------------------------------------------


def _preview(form: LessonForm) -> Any:
    return markdown.render(str(form.data.get("body", "")))


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_lesson_create(request: ActorRequest, course_id: UUID) -> HttpResponse:
    """A new lesson of the draft; "Preview" shows the text as learners will see it, without saving."""
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    draft = selectors.draft_of(course=course)
    if draft is None:
        messages.error(request, services.read_only_message())
        return redirect(_course_url(course))
    form = LessonForm(_data(request))
    preview = None
    status = 200
    if request.method == "POST":
        if "preview" in request.POST:
            form.is_valid()  # shows what is wrong, keeps what was typed
            preview = _preview(form)
        elif form.is_valid():
            try:
                lesson = services.lesson_create(actor=request.actor, course=course, data=form.data_object())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The lesson has been added. You can upload material for it below."))
                return redirect(_lesson_url(course, lesson, "materials"))
        if preview is None:
            status = 400
    context = {"course": course, "version": draft, "form": form, "preview": preview, "lesson": None, "editable": True}
    return render(request, "learning/editor/lesson.html", context, status=status)


def _lesson_page(
    request: ActorRequest,
    course: Course,
    lesson: Lesson,
    *,
    form: LessonForm | None = None,
    material_form: MaterialForm | None = None,
    preview: Any = None,
    status: int = 200,
) -> HttpResponse:
    editable = lesson.version.status == VersionStatus.DRAFT
    materials = selectors.lesson_materials(lesson=lesson)
    context = {
        "course": course,
        "version": lesson.version,
        "lesson": lesson,
        "editable": editable,
        "form": (form or LessonForm(initial=lesson_initial(lesson))) if editable else None,
        "material_form": material_form or MaterialForm(),
        "materials": [(m, services.material_path(m.pk), m.content_type in IMAGE_TYPES) for m in materials],
        "preview": preview,
        "rendered": None if editable else markdown.render(lesson.body),
    }
    return render(request, "learning/editor/lesson.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_lesson(request: ActorRequest, course_id: UUID, lesson_id: UUID) -> HttpResponse:
    """A lesson: its form and preview while a draft, read-only once published; its materials."""
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    lesson = selectors.lesson_get_for(actor=request.actor, course=course, lesson_id=lesson_id)
    if request.method == "GET":
        return _lesson_page(request, course, lesson)
    form = LessonForm(request.POST)
    if "preview" in request.POST:
        form.is_valid()
        return _lesson_page(request, course, lesson, form=form, preview=_preview(form))
    if form.is_valid():
        try:
            services.lesson_update(actor=request.actor, course=course, lesson=lesson, data=form.data_object())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_lesson_url(course, lesson))
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The lesson has been saved."))
            return redirect(_lesson_url(course, lesson))
    return _lesson_page(request, course, lesson, form=form, status=400)


@require_POST
@actor_view(AUTHOR)
def editor_lesson_move(request: ActorRequest, course_id: UUID, lesson_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    lesson = selectors.lesson_get_for(actor=request.actor, course=course, lesson_id=lesson_id)
    direction = _direction(request)
    return _action(
        request,
        lambda: services.lesson_move(actor=request.actor, course=course, lesson=lesson, direction=direction),
        _("The lesson has been moved."),
        _course_url(course, "lessons"),
    )


@require_POST
@actor_view(AUTHOR)
def editor_lesson_delete(request: ActorRequest, course_id: UUID, lesson_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    lesson = selectors.lesson_get_for(actor=request.actor, course=course, lesson_id=lesson_id)
    return _action(
        request,
        lambda: services.lesson_delete(actor=request.actor, course=course, lesson=lesson),
        _("The lesson has been deleted."),
        _course_url(course, "lessons"),
    )


# --- materials ------------------------------------------------------------------------------------------


@require_POST
@actor_view(AUTHOR)
def editor_material_add(request: ActorRequest, course_id: UUID, lesson_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    lesson = selectors.lesson_get_for(actor=request.actor, course=course, lesson_id=lesson_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(
                actor=request.actor,
                course=course,
                lesson=lesson,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_lesson_url(course, lesson, "materials"))
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The file has been uploaded."))
            return redirect(_lesson_url(course, lesson, "materials"))
    return _lesson_page(request, course, lesson, material_form=form, status=400)


@require_POST
@actor_view(AUTHOR)
def editor_material_delete(request: ActorRequest, course_id: UUID, lesson_id: UUID, material_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    lesson = selectors.lesson_get_for(actor=request.actor, course=course, lesson_id=lesson_id)
    material = selectors.material_get_for(actor=request.actor, lesson=lesson, material_id=material_id)
    return _action(
        request,
        lambda: services.material_delete(actor=request.actor, course=course, material=material),
        _("The file has been deleted. A lesson text that shows it shows nothing there now."),
        _lesson_url(course, lesson, "materials"),
    )


# --- the quiz -------------------------------------------------------------------------------------------


def _question_page(
    request: ActorRequest, course: Course, version: CourseVersion, form: QuestionForm, question: Any, status: int
) -> HttpResponse:
    editable = version.status == VersionStatus.DRAFT
    context = {"course": course, "version": version, "form": form, "question": question, "editable": editable}
    return render(request, "learning/editor/question.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_question_create(request: ActorRequest, course_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    draft = selectors.draft_of(course=course)
    if draft is None:
        messages.error(request, services.read_only_message())
        return redirect(_course_url(course))
    kind = request.GET.get("kind", QuestionKind.MULTIPLE_CHOICE)
    initial = {"kind": kind if kind in QuestionKind.values else QuestionKind.MULTIPLE_CHOICE}
    form = QuestionForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(actor=request.actor, course=course, data=form.data_object())
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("The question has been added."))
            return redirect(_course_url(course, "quiz"))
    status = 400 if request.method == "POST" else 200
    return _question_page(request, course, draft, form, None, status)


@require_http_methods(["GET", "POST"])
@actor_view(AUTHOR)
def editor_question(request: ActorRequest, course_id: UUID, question_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    question = selectors.question_get_for(actor=request.actor, course=course, question_id=question_id)
    form = QuestionForm(_data(request), initial=question_initial(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.actor, course=course, question=question, data=form.data_object())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_course_url(course, "quiz"))
            form.apply_service_error(error)
        else:
            messages.success(request, _("The question has been saved."))
            return redirect(_course_url(course, "quiz"))
    status = 400 if request.method == "POST" else 200
    return _question_page(request, course, question.version, form, question, status)


@require_POST
@actor_view(AUTHOR)
def editor_question_move(request: ActorRequest, course_id: UUID, question_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    question = selectors.question_get_for(actor=request.actor, course=course, question_id=question_id)
    direction = _direction(request)
    return _action(
        request,
        lambda: services.question_move(actor=request.actor, course=course, question=question, direction=direction),
        _("The question has been moved."),
        _course_url(course, "quiz"),
    )


@require_POST
@actor_view(AUTHOR)
def editor_question_delete(request: ActorRequest, course_id: UUID, question_id: UUID) -> HttpResponse:
    course = author_course_get_for(actor=request.actor, course_id=course_id)
    question = selectors.question_get_for(actor=request.actor, course=course, question_id=question_id)
    return _action(
        request,
        lambda: services.question_delete(actor=request.actor, course=course, question=question),
        _("The question has been deleted."),
        _course_url(course, "quiz"),
    )
