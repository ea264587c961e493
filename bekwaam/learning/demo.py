"""Demo e-learning: the two example modules, one module of the aanbieder, and people who took them.

- The demo board gets Bekwaam's two example modules (published); Academie Vakmanschap offers it a module
  of its own.
- Lotte de Leerkracht completed "Feedback die het leren verder helpt" (through the same services the pages
  use, so the completion is in her portfolio) and has the other module suggested by her schoolleider.
- Twelve colleagues took the feedback module, so its completion figures have something to count.
Idempotent: a board with example modules is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.learning.models import Choice, Course, CourseCompetence, CourseVersion, Lesson, Question, QuestionKind
from bekwaam.learning.services.examples import examples_load
from bekwaam.learning.services.learner import enrolment_start, lesson_mark_done, question_field, quiz_submit
from bekwaam.learning.services.suggest import suggestion_create
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Board, Provider


def _complete(*, person: Person, board: Board, version: CourseVersion) -> None:
    """Take the module as a learner would: start, every lesson, the quiz with the right answers."""
    actor = actor_for(person, f"board:{board.pk}")
    enrolment, _ = enrolment_start(actor=actor, version=version)
    for lesson in version.lessons.order_by("position"):
        lesson_mark_done(actor=actor, enrolment=enrolment, lesson=lesson)
    answers: dict[str, str] = {}
    for question in version.questions.prefetch_related("choices"):
        if question.kind == QuestionKind.OPEN:
            answers[question_field(question)] = question.accepted_answers.splitlines()[0]
        else:
            answers[question_field(question)] = str(next(c.pk for c in question.choices.all() if c.is_correct))
    quiz_submit(actor=actor, enrolment=enrolment, answers=answers)


def _provider_module(*, provider: Provider, board: Board) -> None:
    """A short module of the aanbieder, offered to the demo board."""
    course = Course.objects.create(provider=provider)
    course.boards.set([board])
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        status="published",
        title="Rekenen met het drieslagmodel",
        summary="Van concreet via schematisch naar abstract: zo bouw je een rekenles op.",
        duration_minutes=25,
        pass_mark=75,
        published_at=timezone.now(),
    )
    CourseCompetence.objects.create(
        version=version, framework_slug="teacher-competences", code="2.2.2", name="Taal en rekenen"
    )
    Lesson.objects.create(
        version=version,
        position=1,
        title="Drie stappen",
        body=(
            "## Concreet, schematisch, abstract\n\n"
            "1. **Concreet**: de leerlingen handelen met materiaal.\n"
            "2. **Schematisch**: ze tekenen of gebruiken een model.\n"
            "3. **Abstract**: ze rekenen met getallen alleen.\n"
        ),
    )
    question = Question.objects.create(
        version=version, position=1, text="Welke stap komt na het handelen met materiaal?"
    )
    Choice.objects.create(question=question, position=1, text="De schematische stap", is_correct=True)
    Choice.objects.create(question=question, position=2, text="De abstracte stap", is_correct=False)


def seed_learning_demo(
    *, board: Board, provider: Provider, teacher: Person, leader: Person, colleagues: Sequence[Person]
) -> None:
    if Course.objects.filter(board=board).exclude(shipped_as="").exists():
        return
    courses = examples_load(board=board)
    versions = [CourseVersion.objects.get(course=course, status="published") for course in courses]
    feedback = next(v for v in versions if "Feedback" in v.title)
    climate = next(v for v in versions if v is not feedback)
    _provider_module(provider=provider, board=board)
    _complete(person=teacher, board=board, version=feedback)
    for colleague in colleagues:
        _complete(person=colleague, board=board, version=feedback)
    suggestion_create(
        actor=actor_for(leader, f"board:{board.pk}"),
        person_id=teacher.pk,
        course_id=climate.course_id,
        message=f"Past mooi bij je POP-doel van dit jaar. Groet, {leader.given_name} ({timezone.localdate():%d-%m})",
    )
