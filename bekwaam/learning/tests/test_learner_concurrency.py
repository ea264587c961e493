"""A quiz answered twice at once, with real threads and PostgreSQL row locks (skipped on SQLite, which
serialises writers anyway): two passing submissions of the same enrolment at the same moment give one
completion and one portfolio item; the other is refused with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from bekwaam.dossier.models import Evidence
from bekwaam.learning.models import Completion, Enrolment, QuestionKind, QuizAttempt
from bekwaam.learning.services import learner as services
from bekwaam.learning.services.learner import question_field
from bekwaam.learning.tests.factories import course_build
from bekwaam.lib.tests.concurrency import at_the_same_moment, require_postgresql
from bekwaam.tenancy.context import actor_for

# The test's data is committed (real threads see it); the `world` fixture restores the shipped themes
# that the flush at the end takes away.
pytestmark = pytest.mark.django_db(transaction=True)


def submitting(enrolment: Enrolment, person: Any, answers: dict[str, str]) -> Callable[[], object]:
    """A step: the person submits the quiz from a fresh copy of the enrolment (as a second tab would)."""

    def step() -> object:
        fresh = Enrolment.objects.select_related("version", "course").get(pk=enrolment.pk)
        return services.quiz_submit(actor=actor_for(person, None), enrolment=fresh, answers=answers)

    return step


def test_two_passing_submissions_at_the_same_moment_make_one_completion(world: Any) -> None:
    require_postgresql()
    version = course_build(board=world.board_a, lessons=1)
    actor = actor_for(world.teacher, None)
    enrolment, _created = services.enrolment_start(actor=actor, version=version)
    services.lesson_mark_done(actor=actor, enrolment=enrolment, lesson=version.lessons.get())
    answers: dict[str, str] = {}
    for question in version.questions.all():
        if question.kind == QuestionKind.OPEN:
            answers[question_field(question)] = "feedback"
        else:
            answers[question_field(question)] = str(question.choices.get(is_correct=True).pk)

    outcomes = at_the_same_moment(
        submitting(enrolment, world.teacher, answers), submitting(enrolment, world.teacher, answers)
    )

    with translation.override("en"):
        assert sorted(outcomes) == sorted(["ok", services.already_completed_message()])
    assert Completion.objects.filter(enrolment=enrolment).count() == 1
    assert Evidence.objects.filter(person=world.teacher).count() == 1
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1
    assert Completion.objects.get().evidence == Evidence.objects.get()
