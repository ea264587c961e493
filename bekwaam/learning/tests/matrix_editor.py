"""Authorization matrix cases for the editor part of learning (merged by matrix_cases.py).

Writing modules is for authors ("learning.author"): board A's beheerder (administrator), board B's beheerder
(outsider_admin) and the aanbieder's assessor. Everyone else signed in gets 403 (the coach, the board's other
roles, medewerkers, the operator); anonymous visitors are sent to sign in. A module of another board or
aanbieder is not found (404) by an author, and so is a lesson, question or material asked for under a module
it does not belong to. The boards page exists only for an aanbieder's module; the example modules only for a
board. Suggesting is for a leidinggevende (the manager). POST cases carry a `state` snapshot: a refused request
changes nothing, an allowed one changes something.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bekwaam.dossier.tests.test_uploads import png_bytes
from bekwaam.learning.models import (
    Choice,
    Course,
    CourseCompetence,
    CourseVersion,
    Lesson,
    LessonMaterial,
    Question,
    Suggestion,
)
from bekwaam.learning.tests.factories import course_build
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.tenancy.tests.matrix import NOT_ALLOWED, Case, World, at, expect

AUTHORS = expect(ok=("administrator", "outsider_admin", "assessor"))
A_AUTHOR = expect(ok=("administrator",), not_found=("outsider_admin", "assessor"))
B_AUTHOR = expect(ok=("outsider_admin",), not_found=("administrator", "assessor"))
P_AUTHOR = expect(ok=("assessor",), not_found=("administrator", "outsider_admin"))
NOBODY_FINDS = expect(not_found=("administrator", "outsider_admin", "assessor"))
BOARD_AUTHORS = expect(ok=("administrator", "outsider_admin"), not_found=("assessor",))
MANAGER = expect(ok=("manager",))
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)


# --- the objects the URLs point at (made once per world, found again by title) ---------------------------


def version_named(title: str, owner: str = "board_a", **build: Any) -> Callable[[World], CourseVersion]:
    def get(world: World) -> CourseVersion:
        found = CourseVersion.objects.filter(title=title).first()
        if found is not None:
            return found
        if owner == "provider":
            return course_build(provider=world.provider, offered_to=(world.board_a,), title=title, **build)
        if owner == "other_provider":
            return course_build(provider=ProviderFactory(name="Andere Academie"), title=title, **build)
        version = course_build(board=getattr(world, owner), title=title, **build)
        if build.get("published", True) is False:
            # A draft with a file on its first lesson (the material pages need one).
            lesson = Lesson.objects.filter(version=version).order_by("position").first()
            assert lesson is not None
            material = LessonMaterial(
                lesson=lesson, title="Schema", original_name="schema.png", content_type="image/png"
            )
            material.file.save("schema.png", ContentFile(png_bytes()), save=True)
        return version

    return get


A_DRAFT = version_named("Editor-matrix concept A", published=False)
A_PUBLISHED = version_named("Editor-matrix gepubliceerd A")
A_ARCHIVED = version_named("Editor-matrix gearchiveerd A")
B_DRAFT = version_named("Editor-matrix concept B", owner="board_b", published=False)
P_DRAFT = version_named("Editor-matrix concept aanbieder", owner="provider", published=False)
P_PUBLISHED = version_named("Editor-matrix aanbieder", owner="provider")
ELSEWHERE = version_named("Editor-matrix andere aanbieder", owner="other_provider", published=False)


def archived(world: World) -> Any:
    version = A_ARCHIVED(world)
    Course.objects.filter(pk=version.course_id, archived_at__isnull=True).update(archived_at=timezone.now())
    return version.course_id


def course_of(version: Callable[[World], CourseVersion]) -> Callable[[World], Any]:
    return lambda world: version(world).course_id


def version_of(version: Callable[[World], CourseVersion]) -> Callable[[World], Any]:
    return lambda world: version(world).pk


def lesson_of(version: Callable[[World], CourseVersion], position: int = 1) -> Callable[[World], Any]:
    return lambda world: Lesson.objects.filter(version=version(world)).order_by("position")[position - 1].pk


def question_of(version: Callable[[World], CourseVersion], position: int = 1) -> Callable[[World], Any]:
    return lambda world: Question.objects.filter(version=version(world)).order_by("position")[position - 1].pk


def material_of(version: Callable[[World], CourseVersion]) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        found = LessonMaterial.objects.filter(lesson__version=version(world)).first()
        assert found is not None
        return found.pk

    return get


def course_url(name: str, version: Callable[[World], CourseVersion], **extra: Any) -> Callable[[World], str]:
    return at(f"learning:{name}", course_id=course_of(version), **extra)


# --- state snapshots --------------------------------------------------------------------------------------


def courses_state(world: World) -> object:
    return (
        sorted((str(c.pk), c.archived_at is not None, c.shipped_as) for c in Course.objects.all()),
        sorted((str(c), str(b)) for c, b in Course.boards.through.objects.values_list("course_id", "board_id")),
        sorted(
            (str(v.course_id), v.number, v.status, v.title, v.summary, v.pass_mark) for v in CourseVersion.objects.all()
        ),
        sorted((str(x.version_id), x.framework_slug, x.code) for x in CourseCompetence.objects.all()),
        sorted((str(x.version_id), x.position, x.title, x.body, x.video_url) for x in Lesson.objects.all()),
        sorted((str(x.lesson_id), x.title) for x in LessonMaterial.objects.all()),
        sorted((str(x.version_id), x.position, x.kind, x.text) for x in Question.objects.all()),
        sorted((str(x.question_id), x.position, x.text, x.is_correct) for x in Choice.objects.all()),
    )


def suggestions_state(world: World) -> object:
    return sorted((str(s.person_id), str(s.course_id), s.message) for s in Suggestion.objects.all())


def post(url: Callable[[World], str], outcome: dict[str, str], state: Any, **kwargs: Any) -> Case:
    """A POST case whose `ok` personas must change the state."""
    changes = tuple(persona for persona, result in outcome.items() if result == "ok" and persona != "anonymous")
    return Case(url, outcome, method="post", state=state, changes=changes, **kwargs)


def details(world: World) -> dict[str, Any]:
    return {"title": "Editor-matrix nieuw", "duration_minutes": "20", "level": "deepening", "pass_mark": "60"}


def lesson_data(world: World) -> dict[str, Any]:
    return {"title": "Editor-matrix les", "body": "Tekst", "video_url": "https://vimeo.com/76979871"}


def question_data(world: World) -> dict[str, Any]:
    return {
        "kind": "multiple_choice",
        "text": "Editor-matrix vraag?",
        "option_1": "Ja",
        "correct_1": "on",
        "option_2": "Nee",
    }


def upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("bijlage.png", png_bytes(), content_type="image/png"), "title": ""}


def suggestion_data(world: World) -> dict[str, Any]:
    return {"person": str(world.teacher.pk), "course": str(A_PUBLISHED(world).course_id), "message": "Iets voor jou?"}


MATRIX: dict[str, list[Case]] = {
    "learning:editor": [Case(at("learning:editor"), AUTHORS)],
    "learning:editor-create": [
        Case(at("learning:editor-create"), AUTHORS),
        post(at("learning:editor-create"), AUTHORS, courses_state, data=details),
    ],
    "learning:editor-examples": [
        Case(at("learning:editor-examples"), NOT_GET),
        post(at("learning:editor-examples"), BOARD_AUTHORS, courses_state, label="a board's examples"),
    ],
    "learning:editor-course": [
        Case(course_url("editor-course", A_DRAFT), A_AUTHOR),
        Case(course_url("editor-course", A_PUBLISHED), A_AUTHOR, label="published"),
        Case(course_url("editor-course", B_DRAFT), B_AUTHOR, label="board B"),
        Case(course_url("editor-course", P_DRAFT), P_AUTHOR, label="the aanbieder's"),
        Case(course_url("editor-course", ELSEWHERE), NOBODY_FINDS, label="another aanbieder's"),
        post(course_url("editor-course", A_DRAFT), A_AUTHOR, courses_state, data=details),
        post(course_url("editor-course", P_DRAFT), P_AUTHOR, courses_state, data=details, label="the aanbieder's"),
    ],
    "learning:editor-version": [
        Case(course_url("editor-version", A_PUBLISHED, version_id=version_of(A_PUBLISHED)), A_AUTHOR),
        Case(course_url("editor-version", B_DRAFT, version_id=version_of(B_DRAFT)), B_AUTHOR, label="board B"),
        Case(
            course_url("editor-version", A_DRAFT, version_id=version_of(B_DRAFT)),
            NOBODY_FINDS,
            label="board B's version under board A's module",
        ),
    ],
    "learning:editor-competences": [
        Case(course_url("editor-competences", A_DRAFT), A_AUTHOR),
        Case(course_url("editor-competences", P_DRAFT), P_AUTHOR, label="the aanbieder's"),
        post(course_url("editor-competences", A_DRAFT), A_AUTHOR, courses_state, data=lambda w: {"competences": []}),
    ],
    "learning:editor-boards": [
        Case(course_url("editor-boards", P_PUBLISHED), P_AUTHOR),
        Case(course_url("editor-boards", A_PUBLISHED), NOBODY_FINDS, label="a board's own module"),
        post(
            course_url("editor-boards", P_PUBLISHED),
            P_AUTHOR,
            courses_state,
            data=lambda w: {"boards": [str(w.board_a.pk), str(w.board_b.pk)]},
        ),
    ],
    "learning:editor-publish": [
        Case(course_url("editor-publish", A_DRAFT), NOT_GET),
        post(course_url("editor-publish", A_DRAFT), A_AUTHOR, courses_state),
        post(course_url("editor-publish", P_DRAFT), P_AUTHOR, courses_state, label="the aanbieder's"),
        post(course_url("editor-publish", B_DRAFT), B_AUTHOR, courses_state, label="board B"),
    ],
    "learning:editor-new-version": [
        Case(course_url("editor-new-version", A_PUBLISHED), NOT_GET),
        post(course_url("editor-new-version", A_PUBLISHED), A_AUTHOR, courses_state),
        post(course_url("editor-new-version", P_PUBLISHED), P_AUTHOR, courses_state, label="the aanbieder's"),
    ],
    "learning:editor-draft-delete": [
        Case(course_url("editor-draft-delete", A_DRAFT), NOT_GET),
        post(course_url("editor-draft-delete", A_DRAFT), A_AUTHOR, courses_state),
        post(course_url("editor-draft-delete", ELSEWHERE), NOBODY_FINDS, courses_state, label="another aanbieder's"),
    ],
    "learning:editor-archive": [
        Case(course_url("editor-archive", A_PUBLISHED), NOT_GET),
        post(course_url("editor-archive", A_PUBLISHED), A_AUTHOR, courses_state),
    ],
    "learning:editor-unarchive": [
        Case(at("learning:editor-unarchive", course_id=archived), NOT_GET),
        post(at("learning:editor-unarchive", course_id=archived), A_AUTHOR, courses_state),
    ],
    "learning:editor-figures": [
        Case(course_url("editor-figures", A_PUBLISHED), A_AUTHOR),
        Case(course_url("editor-figures", P_PUBLISHED), P_AUTHOR, label="the aanbieder's"),
        Case(course_url("editor-figures", B_DRAFT), B_AUTHOR, label="board B"),
    ],
    "learning:editor-lesson-create": [
        Case(course_url("editor-lesson-create", A_DRAFT), A_AUTHOR),
        post(course_url("editor-lesson-create", A_DRAFT), A_AUTHOR, courses_state, data=lesson_data),
        post(course_url("editor-lesson-create", B_DRAFT), B_AUTHOR, courses_state, data=lesson_data, label="board B"),
    ],
    "learning:editor-lesson": [
        Case(course_url("editor-lesson", A_DRAFT, lesson_id=lesson_of(A_DRAFT)), A_AUTHOR),
        Case(course_url("editor-lesson", A_PUBLISHED, lesson_id=lesson_of(A_PUBLISHED)), A_AUTHOR, label="published"),
        Case(
            course_url("editor-lesson", A_DRAFT, lesson_id=lesson_of(B_DRAFT)),
            NOBODY_FINDS,
            label="board B's lesson under board A's module",
        ),
        post(
            course_url("editor-lesson", A_DRAFT, lesson_id=lesson_of(A_DRAFT)),
            A_AUTHOR,
            courses_state,
            data=lesson_data,
        ),
        post(
            course_url("editor-lesson", P_DRAFT, lesson_id=lesson_of(P_DRAFT)),
            P_AUTHOR,
            courses_state,
            data=lesson_data,
            label="the aanbieder's",
        ),
    ],
    "learning:editor-lesson-move": [
        Case(course_url("editor-lesson-move", A_DRAFT, lesson_id=lesson_of(A_DRAFT, 2)), NOT_GET),
        post(
            course_url("editor-lesson-move", A_DRAFT, lesson_id=lesson_of(A_DRAFT, 2)),
            A_AUTHOR,
            courses_state,
            data=lambda w: {"direction": "up"},
        ),
    ],
    "learning:editor-lesson-delete": [
        Case(course_url("editor-lesson-delete", A_DRAFT, lesson_id=lesson_of(A_DRAFT, 2)), NOT_GET),
        post(course_url("editor-lesson-delete", A_DRAFT, lesson_id=lesson_of(A_DRAFT, 2)), A_AUTHOR, courses_state),
        post(
            course_url("editor-lesson-delete", A_DRAFT, lesson_id=lesson_of(ELSEWHERE)),
            NOBODY_FINDS,
            courses_state,
            label="another aanbieder's lesson under board A's module",
        ),
    ],
    "learning:editor-material-add": [
        Case(course_url("editor-material-add", A_DRAFT, lesson_id=lesson_of(A_DRAFT)), NOT_GET),
        post(
            course_url("editor-material-add", A_DRAFT, lesson_id=lesson_of(A_DRAFT)),
            A_AUTHOR,
            courses_state,
            data=upload,
        ),
        post(
            course_url("editor-material-add", B_DRAFT, lesson_id=lesson_of(B_DRAFT)),
            B_AUTHOR,
            courses_state,
            data=upload,
            label="board B",
        ),
    ],
    "learning:editor-material-delete": [
        Case(
            course_url(
                "editor-material-delete", A_DRAFT, lesson_id=lesson_of(A_DRAFT), material_id=material_of(A_DRAFT)
            ),
            NOT_GET,
        ),
        post(
            course_url(
                "editor-material-delete", A_DRAFT, lesson_id=lesson_of(A_DRAFT), material_id=material_of(A_DRAFT)
            ),
            A_AUTHOR,
            courses_state,
        ),
        post(
            course_url(
                "editor-material-delete", A_DRAFT, lesson_id=lesson_of(A_DRAFT), material_id=material_of(B_DRAFT)
            ),
            NOBODY_FINDS,
            courses_state,
            label="board B's file under board A's lesson",
        ),
    ],
    "learning:editor-question-create": [
        Case(course_url("editor-question-create", A_DRAFT), A_AUTHOR),
        post(course_url("editor-question-create", A_DRAFT), A_AUTHOR, courses_state, data=question_data),
        post(
            course_url("editor-question-create", P_DRAFT),
            P_AUTHOR,
            courses_state,
            data=question_data,
            label="the aanbieder's",
        ),
    ],
    "learning:editor-question": [
        Case(course_url("editor-question", A_DRAFT, question_id=question_of(A_DRAFT)), A_AUTHOR),
        Case(
            course_url("editor-question", A_DRAFT, question_id=question_of(B_DRAFT)),
            NOBODY_FINDS,
            label="board B's question under board A's module",
        ),
        post(
            course_url("editor-question", A_DRAFT, question_id=question_of(A_DRAFT)),
            A_AUTHOR,
            courses_state,
            data=question_data,
        ),
    ],
    "learning:editor-question-move": [
        Case(course_url("editor-question-move", A_DRAFT, question_id=question_of(A_DRAFT, 2)), NOT_GET),
        post(
            course_url("editor-question-move", A_DRAFT, question_id=question_of(A_DRAFT, 2)),
            A_AUTHOR,
            courses_state,
            data=lambda w: {"direction": "up"},
        ),
    ],
    "learning:editor-question-delete": [
        Case(course_url("editor-question-delete", A_DRAFT, question_id=question_of(A_DRAFT)), NOT_GET),
        post(course_url("editor-question-delete", A_DRAFT, question_id=question_of(A_DRAFT)), A_AUTHOR, courses_state),
        post(
            course_url("editor-question-delete", B_DRAFT, question_id=question_of(B_DRAFT)),
            B_AUTHOR,
            courses_state,
            label="board B",
        ),
    ],
    "learning:suggest": [
        Case(at("learning:suggest"), MANAGER),
        post(at("learning:suggest"), MANAGER, suggestions_state, data=suggestion_data),
    ],
}
