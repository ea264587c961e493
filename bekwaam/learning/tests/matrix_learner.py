"""Authorization matrix cases for the learner part of learning (merged by matrix_cases.py).

E-learning is for medewerkers: the personas with an active employment (manager, teacher, colleague of
board A; outsider of board B). Everyone else signed in (the board's roles without employment, the
aanbieder's staff, the operator) gets 403; anonymous visitors are sent to sign in. A module outside the
board's offer (another board's, a draft, an aanbieder's not offered to the board) is not found (404), and
so is another person's enrolment, lesson, quiz or attempt. Lesson material also goes to the authors of
the module (the board's beheerder, an aanbieder's assessor). Denied POSTs change nothing (`state`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from bekwaam.dossier.tests.test_uploads import png_bytes
from bekwaam.learning.models import (
    CourseVersion,
    Enrolment,
    LessonMaterial,
    LessonProgress,
    QuestionKind,
    QuizAttempt,
    Suggestion,
)
from bekwaam.learning.services import learner as services
from bekwaam.learning.services.learner import question_field
from bekwaam.learning.tests.factories import course_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.matrix import INVALID, NOT_ALLOWED, Case, World, at, expect

BOARD_A_EMPLOYEES = ("manager", "teacher", "colleague")
EMPLOYEES = (*BOARD_A_EMPLOYEES, "outsider")
LEARNER = ("teacher",)

FOR_EMPLOYEES = expect(ok=EMPLOYEES)
BOARD_A_COURSE = expect(ok=BOARD_A_EMPLOYEES, not_found=("outsider",))
BOARD_B_COURSE = expect(ok=("outsider",), not_found=BOARD_A_EMPLOYEES)
NOBODY_FINDS = expect(not_found=EMPLOYEES)
# The teacher's own enrolment: the other medewerkers do not find it.
OWN = expect(ok=LEARNER, not_found=("manager", "colleague", "outsider"))
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)


def version_named(title: str, owner: str = "board_a", **build: Any) -> Callable[[World], CourseVersion]:
    """The version of the matrix course `title` (of board A or B, or the aanbieder's offered to board A),
    built once per world."""

    def get(world: World) -> CourseVersion:
        found = CourseVersion.objects.filter(title=title).first()
        if found is not None:
            return found
        if owner == "provider":
            return course_build(provider=world.provider, offered_to=(world.board_a,), title=title, **build)
        return course_build(board=getattr(world, owner), title=title, **build)

    return get


A_COURSE = version_named("Matrix A", lessons=1)
B_COURSE = version_named("Matrix B", owner="board_b")
A_DRAFT = version_named("Matrix concept", published=False)
PROVIDER_COURSE = version_named("Matrix aanbieder", owner="provider", lessons=1)
START_COURSE = version_named("Matrix start")
LESSONS_COURSE = version_named("Matrix lessen", lessons=2)


def course_id(version: Callable[[World], CourseVersion]) -> Callable[[World], Any]:
    return lambda world: version(world).course_id


def quiz_answers(version: CourseVersion, *, right: bool = False) -> dict[str, str]:
    answers: dict[str, str] = {}
    for question in version.questions.all():
        if question.kind == QuestionKind.OPEN:
            answers[question_field(question)] = "feedback" if right else "geen idee"
        else:
            answers[question_field(question)] = str(question.choices.get(is_correct=right).pk)
    return answers


def quiz_enrolment(world: World) -> Enrolment:
    """The teacher's enrolment on "Matrix A": every lesson done, one failed attempt."""
    version = A_COURSE(world)
    found = Enrolment.objects.filter(person=world.teacher, version=version).first()
    if found is None:
        actor = actor_for(world.teacher, None)
        found, _created = services.enrolment_start(actor=actor, version=version)
        for lesson in version.lessons.all():
            services.lesson_mark_done(actor=actor, enrolment=found, lesson=lesson)
        services.quiz_submit(actor=actor, enrolment=found, answers=quiz_answers(version))
    return found


def lessons_enrolment(world: World) -> Enrolment:
    """The teacher's enrolment on "Matrix lessen", nothing done yet."""
    version = LESSONS_COURSE(world)
    found = Enrolment.objects.filter(person=world.teacher, version=version).first()
    if found is None:
        found, _created = services.enrolment_start(actor=actor_for(world.teacher, None), version=version)
    return found


def enrolment_id(get: Callable[[World], Enrolment]) -> Callable[[World], Any]:
    return lambda world: get(world).pk


def first_lesson(get: Callable[[World], Enrolment]) -> Callable[[World], Any]:
    return lambda world: get(world).version.lessons.order_by("position")[0].pk


def material_on(version: Callable[[World], CourseVersion]) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        lesson = version(world).lessons.order_by("position")[0]
        found = LessonMaterial.objects.filter(lesson=lesson).first()
        if found is None:
            content = png_bytes()
            found = LessonMaterial(
                lesson=lesson, title="Schema", original_name="schema.png", content_type="image/png", size=len(content)
            )
            found.file.save("matrix", ContentFile(content), save=False)
            found.save()
        return found.pk

    return get


def suggestion_id(world: World) -> Any:
    found = Suggestion.objects.filter(person=world.teacher, dismissed_at__isnull=True).first()
    if found is None:
        found = Suggestion.objects.create(
            board=world.board_a, person=world.teacher, course=A_COURSE(world).course, suggested_by=world.manager
        )
    return found.pk


def enrolments_state(world: World) -> object:
    return sorted((str(person), str(version)) for person, version in Enrolment.objects.values_list("person", "version"))


def suggestions_state(world: World) -> object:
    rows = Suggestion.objects.values_list("pk", "dismissed_at")
    return sorted((str(pk), dismissed is not None) for pk, dismissed in rows)


def progress_state(world: World) -> object:
    return sorted(str(lesson) for lesson in LessonProgress.objects.values_list("lesson", flat=True))


def attempts_state(world: World) -> object:
    rows = QuizAttempt.objects.values_list("enrolment", "number")
    return sorted((str(enrolment), number) for enrolment, number in rows)


MATRIX: dict[str, list[Case]] = {
    "learning:catalogue": [
        Case(at("learning:catalogue"), FOR_EMPLOYEES),
        Case(lambda world: at("learning:catalogue")(world) + "?level=nope&competence=x", FOR_EMPLOYEES, label="bad"),
    ],
    "learning:course": [
        Case(at("learning:course", course_id=course_id(A_COURSE)), BOARD_A_COURSE),
        Case(at("learning:course", course_id=course_id(PROVIDER_COURSE)), BOARD_A_COURSE, label="aanbieder"),
        Case(at("learning:course", course_id=course_id(B_COURSE)), BOARD_B_COURSE, label="board B"),
        Case(at("learning:course", course_id=course_id(A_DRAFT)), NOBODY_FINDS, label="draft"),
    ],
    "learning:start": [
        Case(
            at("learning:start", course_id=course_id(START_COURSE)),
            BOARD_A_COURSE,
            method="post",
            state=enrolments_state,
            changes=BOARD_A_EMPLOYEES,
        ),
        Case(
            at("learning:start", course_id=course_id(B_COURSE)),
            BOARD_B_COURSE,
            method="post",
            state=enrolments_state,
            changes=("outsider",),
            label="board B",
        ),
        Case(
            at("learning:start", course_id=course_id(A_DRAFT)),
            NOBODY_FINDS,
            method="post",
            state=enrolments_state,
            label="draft",
        ),
        Case(at("learning:start", course_id=course_id(START_COURSE)), NOT_GET, label="GET"),
    ],
    "learning:suggestion-dismiss": [
        Case(
            at("learning:suggestion-dismiss", suggestion_id=suggestion_id),
            OWN,
            method="post",
            state=suggestions_state,
            changes=LEARNER,
        ),
        Case(at("learning:suggestion-dismiss", suggestion_id=suggestion_id), NOT_GET, label="GET"),
    ],
    "learning:enrolment": [
        Case(at("learning:enrolment", enrolment_id=enrolment_id(quiz_enrolment)), OWN),
    ],
    "learning:lesson": [
        Case(
            at(
                "learning:lesson",
                enrolment_id=enrolment_id(lessons_enrolment),
                lesson_id=first_lesson(lessons_enrolment),
            ),
            OWN,
        ),
        Case(
            at(
                "learning:lesson",
                enrolment_id=enrolment_id(lessons_enrolment),
                lesson_id=first_lesson(quiz_enrolment),
            ),
            expect(not_found=EMPLOYEES),
            label="lesson of another module",
        ),
    ],
    "learning:lesson-done": [
        Case(
            at(
                "learning:lesson-done",
                enrolment_id=enrolment_id(lessons_enrolment),
                lesson_id=first_lesson(lessons_enrolment),
            ),
            OWN,
            method="post",
            state=progress_state,
            changes=LEARNER,
        ),
        Case(
            at(
                "learning:lesson-done",
                enrolment_id=enrolment_id(lessons_enrolment),
                lesson_id=first_lesson(lessons_enrolment),
            ),
            NOT_GET,
            label="GET",
        ),
    ],
    "learning:quiz": [
        Case(at("learning:quiz", enrolment_id=enrolment_id(quiz_enrolment)), OWN),
        Case(
            at("learning:quiz", enrolment_id=enrolment_id(quiz_enrolment)),
            OWN,
            method="post",
            data=lambda world: quiz_answers(A_COURSE(world)),
            state=attempts_state,
            changes=LEARNER,
            label="answers",
        ),
        Case(
            at("learning:quiz", enrolment_id=enrolment_id(quiz_enrolment)),
            expect(not_found=("manager", "colleague", "outsider")) | {"teacher": INVALID},
            method="post",
            data=lambda world: {},
            state=attempts_state,
            label="no answers",
        ),
    ],
    "learning:attempt": [
        Case(at("learning:attempt", enrolment_id=enrolment_id(quiz_enrolment), number=1), OWN),
    ],
    "learning:material": [
        Case(
            at("learning:material", material_id=material_on(A_COURSE)),
            expect(
                ok=(*BOARD_A_EMPLOYEES, "administrator"),
                not_found=("outsider", "outsider_admin", "assessor"),
            ),
        ),
        Case(
            at("learning:material", material_id=material_on(PROVIDER_COURSE)),
            expect(
                ok=(*BOARD_A_EMPLOYEES, "assessor"),
                not_found=("outsider", "administrator", "outsider_admin"),
            ),
            label="aanbieder",
        ),
    ],
}
