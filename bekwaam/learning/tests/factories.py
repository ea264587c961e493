"""Builders for e-learning tests: a course with one version (published or draft), lessons and a quiz.

Builders write rows directly (fast, any state); tests of a service go through the service itself.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bekwaam.learning.models import (
    Choice,
    Course,
    CourseCompetence,
    CourseVersion,
    Lesson,
    Question,
    QuestionKind,
    VersionStatus,
)

# The stable codes of the shipped bekwaamheidseisen 2017 (frameworks/defaults/teacher-competences.json).
FEEDBACK_COMPETENCE = ("teacher-competences", "2.3.3", "Onderwijs uitvoeren en afstemmen")


def course_build(
    *,
    board: Any = None,
    provider: Any = None,
    offered_to: tuple[Any, ...] = (),
    title: str = "Feedback geven",
    lessons: int = 2,
    published: bool = True,
    pass_mark: int = 50,
    competences: tuple[tuple[str, str, str], ...] = (FEEDBACK_COMPETENCE,),
    number: int = 1,
    course: Course | None = None,
) -> CourseVersion:
    """A course (or a new version of `course`) with `lessons` lessons and a quiz of one multiple-choice
    question (right answer: "Goed") and one open question (accepted: "feedback")."""
    if course is None:
        course = Course.objects.create(board=board, provider=provider)
        if offered_to:
            course.boards.set(offered_to)
    version = CourseVersion.objects.create(
        course=course,
        number=number,
        status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        title=title,
        summary=f"Over {title.lower()}.",
        duration_minutes=30,
        pass_mark=pass_mark,
        published_at=timezone.now() if published else None,
    )
    for slug, code, name in competences:
        CourseCompetence.objects.create(version=version, framework_slug=slug, code=code, name=name)
    for position in range(1, lessons + 1):
        Lesson.objects.create(
            version=version, position=position, title=f"Les {position}", body=f"Tekst van **les {position}**."
        )
    choice_question = Question.objects.create(
        version=version, position=1, kind=QuestionKind.MULTIPLE_CHOICE, text="Welk antwoord is goed?"
    )
    Choice.objects.create(question=choice_question, position=1, text="Goed", is_correct=True)
    Choice.objects.create(question=choice_question, position=2, text="Fout", is_correct=False)
    Question.objects.create(
        version=version,
        position=2,
        kind=QuestionKind.OPEN,
        text="Wat geef je om het leren verder te helpen?",
        accepted_answers="feedback\nfeedforward",
    )
    return version
