"""The learner's services: starting a module, lesson progress, the quiz judged on the server, the
completion and its portfolio item (with competences resolved to the person's board), the version kept
when a newer one is published mid-way, and suggestions. Messages are compared in English."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bekwaam.dossier.models import Evidence, EvidenceKind
from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.frameworks.services import framework_adopt_for_board
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.learning.models import (
    Completion,
    CourseVersion,
    Enrolment,
    ImmutableRowError,
    LessonProgress,
    QuestionKind,
    QuizAttempt,
    Suggestion,
    VersionStatus,
)
from bekwaam.learning.selectors.learner import continue_url, progress_of
from bekwaam.learning.services import learner as services
from bekwaam.learning.services.learner import question_field
from bekwaam.learning.tests.factories import FEEDBACK_COMPETENCE, course_build
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def actor(person: Any) -> Actor:
    return actor_for(person, None)


def answers(version: CourseVersion, *, choice: str = "Goed", open_answer: str = "feedback") -> dict[str, str]:
    """Answers for the factory's quiz: the option with text `choice`, and `open_answer` typed."""
    result: dict[str, str] = {}
    for question in version.questions.all():
        if question.kind == QuestionKind.OPEN:
            result[question_field(question)] = open_answer
        else:
            result[question_field(question)] = str(question.choices.get(text=choice).pk)
    return result


def started(world: Any, version: CourseVersion, person: Any = None, *, lessons_done: bool = True) -> Enrolment:
    learner = actor(person or world.teacher)
    enrolment, _created = services.enrolment_start(actor=learner, version=version)
    if lessons_done:
        for lesson in version.lessons.all():
            services.lesson_mark_done(actor=learner, enrolment=enrolment, lesson=lesson)
    return enrolment


def newer_version(version: CourseVersion, *, title: str = "Feedback geven, herzien", lessons: int = 3) -> CourseVersion:
    """Publish version 2 of the course the way the editor does: v1 retired, v2 published (factory rows)."""
    CourseVersion.objects.filter(pk=version.pk).update(status=VersionStatus.RETIRED)
    return course_build(course=version.course, number=version.number + 1, title=title, lessons=lessons)


# --- starting ---------------------------------------------------------------------------------------


def test_it_starts_the_published_version_once(world: Any) -> None:
    version = course_build(board=world.board_a)
    first, created = services.enrolment_start(actor=actor(world.teacher), version=version)
    again, created_again = services.enrolment_start(actor=actor(world.teacher), version=version)
    assert created and not created_again
    assert again.pk == first.pk
    assert (first.version_id, first.course_id, first.board_id) == (version.pk, version.course_id, world.board_a.pk)
    assert Enrolment.objects.count() == 1


def test_it_refuses_a_module_of_another_board(world: Any) -> None:
    version = course_build(board=world.board_b)
    with pytest.raises(ValidationError, match="not offered to you"):
        services.enrolment_start(actor=actor(world.teacher), version=version)
    assert not Enrolment.objects.exists()


def test_it_refuses_a_draft_an_archived_module_and_someone_without_employment(world: Any) -> None:
    draft = course_build(board=world.board_a, published=False)
    archived = course_build(board=world.board_a, title="Oud")
    archived.course.archived_at = timezone.now()
    archived.course.save()
    for version in (draft, archived):
        with pytest.raises(ValidationError):
            services.enrolment_start(actor=actor(world.teacher), version=version)
    with pytest.raises(PermissionDenied):
        services.enrolment_start(actor=actor(world.administrator), version=course_build(board=world.board_a))
    assert not Enrolment.objects.exists()


def test_it_starts_an_aanbieder_module_offered_to_the_board_only(world: Any) -> None:
    provider = Provider.objects.create(name="Academie Twee")
    offered = course_build(provider=provider, offered_to=(world.board_a,), title="Aangeboden")
    elsewhere = course_build(provider=provider, offered_to=(world.board_b,), title="Elders")
    enrolment, created = services.enrolment_start(actor=actor(world.teacher), version=offered)
    assert created and enrolment.board_id == world.board_a.pk
    with pytest.raises(ValidationError):
        services.enrolment_start(actor=actor(world.teacher), version=elsewhere)


# --- lessons ----------------------------------------------------------------------------------------


def test_it_keeps_progress_and_the_last_lesson(world: Any) -> None:
    version = course_build(board=world.board_a, lessons=3)
    enrolment = started(world, version, lessons_done=False)
    lessons = list(version.lessons.order_by("position"))
    services.lesson_mark_done(actor=actor(world.teacher), enrolment=enrolment, lesson=lessons[1])
    services.lesson_mark_done(actor=actor(world.teacher), enrolment=enrolment, lesson=lessons[1])  # twice: once
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1
    fresh = Enrolment.objects.get(pk=enrolment.pk)
    assert fresh.last_lesson_id == lessons[1].pk
    progress = progress_of(fresh)
    assert (progress.done, progress.total) == (1, 3)
    # "Continue" goes to the next lesson not done after the last one: lesson 3, then round to lesson 1.
    assert str(lessons[2].pk) in continue_url(fresh, progress)
    services.lesson_mark_done(actor=actor(world.teacher), enrolment=fresh, lesson=lessons[2])
    fresh = Enrolment.objects.get(pk=enrolment.pk)
    assert str(lessons[0].pk) in continue_url(fresh, progress_of(fresh))
    services.lesson_mark_done(actor=actor(world.teacher), enrolment=fresh, lesson=lessons[0])
    fresh = Enrolment.objects.get(pk=enrolment.pk)
    assert continue_url(fresh, progress_of(fresh)).endswith("/quiz/")


def test_it_refuses_a_lesson_of_another_version_and_someone_elses_enrolment(world: Any) -> None:
    version = course_build(board=world.board_a)
    other = course_build(board=world.board_a, title="Ander")
    enrolment = started(world, version, lessons_done=False)
    with pytest.raises(ValidationError):
        services.lesson_mark_done(actor=actor(world.teacher), enrolment=enrolment, lesson=other.lessons.first())
    with pytest.raises(PermissionDenied):
        services.lesson_mark_done(actor=actor(world.colleague), enrolment=enrolment, lesson=version.lessons.first())
    assert not LessonProgress.objects.exists()


# --- the quiz ---------------------------------------------------------------------------------------


def test_it_checks_open_answers_without_case_and_extra_spaces(world: Any) -> None:
    version = course_build(board=world.board_a, pass_mark=100)
    enrolment = started(world, version)
    attempt = services.quiz_submit(
        actor=actor(world.teacher), enrolment=enrolment, answers=answers(version, open_answer="  FEED\tforward ")
    )
    assert attempt.answers[str(version.questions.get(kind=QuestionKind.OPEN).pk)]["correct"] is False
    attempt = services.quiz_submit(
        actor=actor(world.teacher), enrolment=enrolment, answers=answers(version, open_answer="  FeedForward ")
    )
    assert attempt.passed and attempt.correct == 2


def test_it_collapses_whitespace_inside_accepted_answers(world: Any) -> None:
    version = course_build(board=world.board_a, pass_mark=100)
    version.questions.filter(kind=QuestionKind.OPEN).update(accepted_answers="\n  Positieve   Feedback \n\n")
    enrolment = started(world, version)
    attempt = services.quiz_submit(
        actor=actor(world.teacher), enrolment=enrolment, answers=answers(version, open_answer="positieve\nfeedback")
    )
    assert attempt.passed


def test_it_never_trusts_a_posted_verdict(world: Any) -> None:
    """Only the answer counts: extra fields that claim correctness, or a choice of another question, do not."""
    version = course_build(board=world.board_a, pass_mark=100)
    enrolment = started(world, version)
    posted = answers(version, choice="Fout") | {"correct": "2", "passed": "true", "score": "100"}
    attempt = services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=posted)
    assert (attempt.correct, attempt.passed) == (1, False)
    other = course_build(board=world.board_a, title="Ander")
    foreign = answers(version)
    choice_question = version.questions.get(kind=QuestionKind.MULTIPLE_CHOICE)
    other_choice = other.questions.get(kind=QuestionKind.MULTIPLE_CHOICE).choices.get(text="Goed")
    foreign[question_field(choice_question)] = str(other_choice.pk)
    with pytest.raises(ValidationError) as error:
        services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=foreign)
    assert error.value.message_dict == {question_field(choice_question): ["Choose one of the answers."]}
    assert QuizAttempt.objects.count() == 1


def test_it_refuses_missing_answers_on_their_question(world: Any) -> None:
    version = course_build(board=world.board_a)
    enrolment = started(world, version)
    posted = answers(version)
    open_question = version.questions.get(kind=QuestionKind.OPEN)
    posted[question_field(open_question)] = "   "
    with pytest.raises(ValidationError) as error:
        services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=posted)
    assert error.value.message_dict == {question_field(open_question): ["Answer this question."]}
    assert not QuizAttempt.objects.exists()


def test_it_opens_the_quiz_once_every_lesson_is_done(world: Any) -> None:
    version = course_build(board=world.board_a, lessons=2)
    enrolment = started(world, version, lessons_done=False)
    with pytest.raises(ValidationError, match="Finish every lesson"):
        services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    assert not QuizAttempt.objects.exists()


def test_a_failed_attempt_can_be_followed_by_another(world: Any) -> None:
    version = course_build(board=world.board_a, pass_mark=100)
    enrolment = started(world, version)
    first = services.quiz_submit(
        actor=actor(world.teacher), enrolment=enrolment, answers=answers(version, open_answer="niets")
    )
    second = services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    assert (first.number, first.score_percent, first.passed) == (1, 50, False)
    assert (second.number, second.score_percent, second.passed) == (2, 100, True)
    assert not Completion.objects.exclude(score_percent=100).exists()


def test_it_passes_on_the_score_as_shown(world: Any) -> None:
    """One of two right is 50%: a pass mark of 50 passes, 51 does not."""
    for mark, passed in ((50, True), (51, False)):
        version = course_build(board=world.board_a, pass_mark=mark, title=f"Grens {mark}")
        enrolment = started(world, version)
        attempt = services.quiz_submit(
            actor=actor(world.teacher), enrolment=enrolment, answers=answers(version, open_answer="nee")
        )
        assert attempt.passed is passed


def test_passing_writes_the_completion_and_the_portfolio_item_with_the_boards_competences(world: Any) -> None:
    framework_adopt_for_board(board=world.board_a, slug="teacher-competences")
    framework_adopt_for_board(board=world.board_b, slug="teacher-competences")
    version = course_build(
        board=world.board_a,
        competences=(FEEDBACK_COMPETENCE, ("teacher-competences", "9.9.9", "Bestaat niet"), ("ander-kader", "1", "X")),
    )
    enrolment = started(world, version)
    attempt = services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    assert attempt.passed and attempt.number == 1
    completion = Completion.objects.get()
    assert (completion.person, completion.board, completion.enrolment, completion.version) == (
        world.teacher,
        world.board_a,
        enrolment,
        version,
    )
    assert (completion.title, completion.version_number, completion.offered_by, completion.score_percent) == (
        "Feedback geven",
        1,
        "Stichting Alfa",
        100,
    )
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at == completion.completed_at
    evidence = Evidence.objects.get()
    assert completion.evidence == evidence
    assert (evidence.person, evidence.board, evidence.kind) == (world.teacher, world.board_a, EvidenceKind.CERTIFICATE)
    assert evidence.title == "E-learning: Feedback geven"
    assert (evidence.issuer, evidence.issued_on) == ("Stichting Alfa", timezone.localdate())
    assert "version 1" in evidence.description and "100%" in evidence.description
    # Only the board's own 2.3.3, of its newest published version; unknown codes are left out.
    tagged = list(evidence.competences.all())
    assert [(c.board_id, c.code) for c in tagged] == [(world.board_a.pk, "2.3.3")]
    newest = FrameworkVersion.objects.filter(board=world.board_a, framework__slug="teacher-competences").order_by(
        "-number"
    )[0]
    assert tagged[0].version_id == newest.pk


def test_competences_come_from_the_boards_newest_published_framework_version(world: Any) -> None:
    older = framework_version_build(board=world.board_a, slug="eigen-kader")
    newer = framework_version_build(board=world.board_a, slug="eigen-kader")
    framework_version_build(board=world.board_a, slug="eigen-kader", published=False)  # a draft: never
    version = course_build(board=world.board_a, competences=(("eigen-kader", "D1.C2", "Competentie 1.2"),))
    enrolment = started(world, version)
    services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    tagged = Evidence.objects.get().competences.get()
    assert tagged == Competence.objects.get(version=newer, code="D1.C2")
    assert tagged.version_id != older.pk


def test_a_completion_is_never_changed(world: Any) -> None:
    version = course_build(board=world.board_a)
    enrolment = started(world, version)
    services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    completion = Completion.objects.get()
    completion.score_percent = 10
    with pytest.raises(ImmutableRowError):
        completion.save()


def test_a_submission_after_the_pass_is_refused(world: Any) -> None:
    version = course_build(board=world.board_a)
    enrolment = started(world, version)
    services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    # The same page submitted again (a stale copy of the enrolment): refused, nothing written.
    with pytest.raises(ValidationError) as error:
        services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    assert error.value.messages == [services.already_completed_message()]
    assert (QuizAttempt.objects.count(), Completion.objects.count(), Evidence.objects.count()) == (1, 1, 1)


def test_someone_else_cannot_submit_the_quiz(world: Any) -> None:
    version = course_build(board=world.board_a)
    enrolment = started(world, version)
    with pytest.raises(PermissionDenied):
        services.quiz_submit(actor=actor(world.colleague), enrolment=enrolment, answers=answers(version))
    assert not QuizAttempt.objects.exists()


def test_a_module_without_questions_cannot_be_completed(world: Any) -> None:
    version = course_build(board=world.board_a)
    version.questions.all().delete()
    enrolment = started(world, version)
    with pytest.raises(ValidationError, match="no quiz questions"):
        services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers={})
    assert not Completion.objects.exists()


# --- the version changes while someone is halfway ---------------------------------------------------


def test_the_version_started_is_the_version_finished(world: Any) -> None:
    v1 = course_build(board=world.board_a, lessons=2)
    enrolment = started(world, v1, lessons_done=False)
    services.lesson_mark_done(actor=actor(world.teacher), enrolment=enrolment, lesson=v1.lessons.first())
    v2 = newer_version(v1, lessons=3)
    v2.questions.filter(kind=QuestionKind.OPEN).update(accepted_answers="alleen in versie twee")

    # Starting again returns the running v1 enrolment, not a new one of v2.
    again, created = services.enrolment_start(actor=actor(world.teacher), version=v2)
    assert (again.pk, again.version_id, created) == (enrolment.pk, v1.pk, False)
    progress = progress_of(again)
    assert [lesson.version_id for lesson in progress.lessons] == [v1.pk, v1.pk]
    for lesson in v1.lessons.all():
        services.lesson_mark_done(actor=actor(world.teacher), enrolment=again, lesson=lesson)
    with pytest.raises(ValidationError):  # v2's lessons are not part of it
        services.lesson_mark_done(actor=actor(world.teacher), enrolment=again, lesson=v2.lessons.first())

    # The quiz is v1's: v1's answers count, v2's options are not options.
    with pytest.raises(ValidationError):
        services.quiz_submit(actor=actor(world.teacher), enrolment=again, answers=answers(v2))
    attempt = services.quiz_submit(actor=actor(world.teacher), enrolment=again, answers=answers(v1))
    assert attempt.passed and set(attempt.answers) == {str(q.pk) for q in v1.questions.all()}
    completion = Completion.objects.get()
    assert (completion.version, completion.version_number, completion.title) == (v1, 1, "Feedback geven")
    assert "version 1" in completion.evidence.description

    # Once v1 is completed, v2 may be taken as a new module version.
    v2_enrolment, created = services.enrolment_start(actor=actor(world.teacher), version=v2)
    assert created and v2_enrolment.version_id == v2.pk


def test_an_archived_course_can_still_be_finished_by_who_started_it(world: Any) -> None:
    version = course_build(board=world.board_a)
    enrolment = started(world, version)
    version.course.archived_at = timezone.now()
    version.course.save()
    attempt = services.quiz_submit(actor=actor(world.teacher), enrolment=enrolment, answers=answers(version))
    assert attempt.passed and Completion.objects.filter(enrolment=enrolment).exists()


# --- suggestions ------------------------------------------------------------------------------------


def test_a_suggestion_is_dismissed_by_its_person_only(world: Any) -> None:
    version = course_build(board=world.board_a)
    suggestion = Suggestion.objects.create(
        board=world.board_a, person=world.teacher, course=version.course, suggested_by=world.manager
    )
    services.suggestion_dismiss(actor=actor(world.colleague), suggestion=suggestion)
    assert Suggestion.objects.get().dismissed_at is None
    services.suggestion_dismiss(actor=actor(world.teacher), suggestion=suggestion)
    assert Suggestion.objects.get().dismissed_at is not None
    assert not Enrolment.objects.exists()  # never forced: dismissing (or suggesting) starts nothing
