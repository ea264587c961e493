"""Reads for the learner's pages: the catalogue with its filters, the person's suggestions, running and
completed modules, one module, progress through an enrolment, the quiz, an attempt and lesson material.

Which courses a board's people reach is decided in learning.selectors (published_versions_for); what a
person did is found by person and active board (enrolment_get_for). Every list here is read in a fixed
number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from bekwaam.learning.models import (
    Choice,
    Completion,
    Course,
    CourseCompetence,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonMaterial,
    LessonProgress,
    Question,
    QuizAttempt,
    Suggestion,
    VersionStatus,
)
from bekwaam.learning.selectors import author_courses_for, courses_visible_q, published_versions_for
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor

OFFERED_BY_BOARD = "board"
PROVIDER_PREFIX = "provider:"


def offered_by_name(course: Course) -> str:
    """The name of who offers the course: its board or its aanbieder."""
    owner = course.board if course.board_id is not None else course.provider
    return owner.name if owner is not None else ""


# --- progress through one enrolment ---------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """The lessons of an enrolment's version in order, and which of them the person marked done."""

    lessons: Sequence[Lesson]
    done_ids: frozenset[UUID]

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_ids)

    @property
    def all_done(self) -> bool:
        return self.done == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    def is_done(self, lesson: Lesson) -> bool:
        return lesson.pk in self.done_ids

    def number_of(self, lesson: Lesson) -> int:
        """The lesson's place (1-based) in the version."""
        return next((index for index, item in enumerate(self.lessons, start=1) if item.pk == lesson.pk), 0)

    def next_undone(self, after_id: UUID | None) -> Lesson | None:
        """The first lesson not done after `after_id` (from the start when none), wrapping round; None
        when every lesson is done."""
        ids = [lesson.pk for lesson in self.lessons]
        start = ids.index(after_id) + 1 if after_id in ids else 0
        ordered = [*self.lessons[start:], *self.lessons[:start]]
        return next((lesson for lesson in ordered if lesson.pk not in self.done_ids), None)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        number = self.number_of(lesson)
        previous = self.lessons[number - 2] if number > 1 else None
        following = self.lessons[number] if 0 < number < self.total else None
        return previous, following


def _lessons_of(version_ids: Iterable[UUID]) -> dict[UUID, list[Lesson]]:
    by_version: dict[UUID, list[Lesson]] = defaultdict(list)
    rows = Lesson.objects.filter(version_id__in=set(version_ids)).only("id", "version_id", "position", "title")
    for lesson in rows.order_by("version_id", "position", "title"):
        by_version[lesson.version_id].append(lesson)
    return by_version


def progress_of_all(enrolments: Sequence[Enrolment]) -> dict[UUID, Progress]:
    """Progress of each enrolment, in two queries."""
    if not enrolments:
        return {}
    lessons = _lessons_of(enrolment.version_id for enrolment in enrolments)
    done: dict[UUID, set[UUID]] = defaultdict(set)
    rows = LessonProgress.objects.filter(enrolment__in=[enrolment.pk for enrolment in enrolments])
    for enrolment_id, lesson_id in rows.values_list("enrolment_id", "lesson_id"):
        done[enrolment_id].add(lesson_id)
    return {
        enrolment.pk: Progress(
            lessons=tuple(lessons.get(enrolment.version_id, [])), done_ids=frozenset(done[enrolment.pk])
        )
        for enrolment in enrolments
    }


def progress_of(enrolment: Enrolment) -> Progress:
    return progress_of_all([enrolment])[enrolment.pk]


def lesson_url(enrolment: Enrolment, lesson: Lesson) -> str:
    return reverse("learning:lesson", kwargs={"enrolment_id": enrolment.pk, "lesson_id": lesson.pk})


def continue_url(enrolment: Enrolment, progress: Progress) -> str:
    """Where "continue" goes: the next lesson not done after the last one opened, else the quiz (the
    enrolment's page once completed)."""
    if enrolment.completed_at is not None:
        return reverse("learning:enrolment", kwargs={"enrolment_id": enrolment.pk})
    lesson = progress.next_undone(enrolment.last_lesson_id)
    if lesson is not None:
        return lesson_url(enrolment, lesson)
    return reverse("learning:quiz", kwargs={"enrolment_id": enrolment.pk})


# --- the catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueChoices:
    """The values the catalogue's filters offer: the competences that occur, and who offers modules."""

    competences: list[tuple[str, str]]  # ("teacher-competences:2.3.3", "2.3.3 Onderwijs …")
    offered_by: list[tuple[str, str]]  # ("board", board name), ("provider:<id>", aanbieder name)


def catalogue_choices_for(*, actor: Actor) -> CatalogueChoices:
    """The filter values, from the published versions the actor's board may take (two queries)."""
    versions = published_versions_for(actor=actor)
    competence_rows = (
        CourseCompetence.objects.filter(version__in=versions.values("pk"))
        .values("framework_slug", "code")
        .annotate(label=Min("name"))
        .order_by("framework_slug", "code")
    )
    competences = [
        (f"{row['framework_slug']}:{row['code']}", f"{row['code']} {row['label']}") for row in competence_rows
    ]
    owners = set(
        Course.objects.filter(courses_visible_q(board_id=actor.board_pk))
        .filter(versions__status=VersionStatus.PUBLISHED)
        .values_list("board_id", "provider_id", "provider__name")
        .order_by()  # no model ordering in a DISTINCT: its column would make every row distinct
        .distinct()
    )
    offered_by: list[tuple[str, str]] = []
    if any(board_id is not None for board_id, _provider, _name in owners):
        offered_by.append((OFFERED_BY_BOARD, actor.organisation.name if actor.organisation else ""))
    providers = sorted((name, pk) for _board, pk, name in owners if pk is not None)
    offered_by += [(f"{PROVIDER_PREFIX}{pk}", name) for name, pk in providers]
    return CatalogueChoices(competences=competences, offered_by=offered_by)


def catalogue_list_for(
    *,
    actor: Actor,
    search: str = "",
    competence: tuple[str, str] | None = None,
    level: str = "",
    offered_by: str = "",
) -> QuerySet[CourseVersion]:
    """The published modules the actor's board may take, filtered, by title (rows load their owner and
    competences along: a page of 25 costs three queries)."""
    versions = published_versions_for(actor=actor)
    if search:
        versions = versions.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    if competence is not None:
        slug, code = competence
        versions = versions.filter(competences__framework_slug=slug, competences__code=code)
    if level:
        versions = versions.filter(level=level)
    if offered_by == OFFERED_BY_BOARD:
        versions = versions.filter(course__board_id=actor.board_pk)
    elif offered_by.startswith(PROVIDER_PREFIX):
        versions = versions.filter(course__provider_id=int(offered_by.removeprefix(PROVIDER_PREFIX)))
    return (
        versions.select_related("course__board", "course__provider")
        .prefetch_related(Prefetch("competences", queryset=CourseCompetence.objects.order_by("framework_slug", "code")))
        .order_by("title", "course_id")
    )


def course_states_for(*, actor: Actor, course_ids: Iterable[UUID]) -> dict[UUID, str]:
    """Per course: "running" when the person is working on it, else "completed" when they passed it."""
    states: dict[UUID, str] = {}
    rows = Enrolment.objects.filter(person=actor.person, board_id=actor.board_pk, course_id__in=set(course_ids))
    for course_id, completed_at in rows.values_list("course_id", "completed_at"):
        if completed_at is None:
            states[course_id] = "running"
        else:
            states.setdefault(course_id, "completed")
    return states


@dataclass(frozen=True)
class CatalogueRow:
    version: CourseVersion
    offered_by: str
    state: str  # "", "running" or "completed": the person's own


def catalogue_rows(*, actor: Actor, versions: Sequence[CourseVersion]) -> list[CatalogueRow]:
    """One page of the catalogue with who offers each module and the person's own state (one query)."""
    states = course_states_for(actor=actor, course_ids=[version.course_id for version in versions])
    return [
        CatalogueRow(
            version=version, offered_by=offered_by_name(version.course), state=states.get(version.course_id, "")
        )
        for version in versions
    ]


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: Suggestion
    version: CourseVersion


def suggestions_for(*, actor: Actor) -> list[SuggestionRow]:
    """The person's open suggestions of modules their board may (still) take, newest first (two queries)."""
    suggestions = list(
        Suggestion.objects.filter(person=actor.person, board_id=actor.board_pk, dismissed_at__isnull=True)
        .select_related("suggested_by")
        .order_by("-created_at")
    )
    if not suggestions:
        return []
    versions = {
        version.course_id: version
        for version in published_versions_for(actor=actor).filter(
            course_id__in={suggestion.course_id for suggestion in suggestions}
        )
    }
    return [
        SuggestionRow(suggestion=suggestion, version=versions[suggestion.course_id])
        for suggestion in suggestions
        if suggestion.course_id in versions
    ]


def suggestion_get_for(*, actor: Actor, suggestion_id: UUID) -> Suggestion:
    """One of the actor's own open suggestions; anyone else's (or a dismissed one) is not found."""
    suggestion = Suggestion.objects.filter(
        pk=suggestion_id, person=actor.person, board_id=actor.board_pk, dismissed_at__isnull=True
    ).first()
    if suggestion is None:
        raise Http404
    return suggestion


@dataclass(frozen=True)
class RunningRow:
    enrolment: Enrolment
    progress: Progress
    continue_url: str


def running_for(*, actor: Actor) -> list[RunningRow]:
    """The person's modules in progress in the active board, most recently started first (three queries)."""
    enrolments = list(
        Enrolment.objects.filter(person=actor.person, board_id=actor.board_pk, completed_at__isnull=True)
        .select_related("version")
        .order_by("-started_at")
    )
    progress = progress_of_all(enrolments)
    return [
        RunningRow(
            enrolment=enrolment,
            progress=progress[enrolment.pk],
            continue_url=continue_url(enrolment, progress[enrolment.pk]),
        )
        for enrolment in enrolments
    ]


def completions_for(*, actor: Actor) -> QuerySet[Completion]:
    """The person's completion records in the active board, newest first."""
    return Completion.objects.filter(person=actor.person, board_id=actor.board_pk).order_by("-completed_at")


# --- one module -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoursePage:
    version: CourseVersion
    offered_by: str
    lessons: list[Lesson]
    competences: list[CourseCompetence]
    question_count: int
    running: Enrolment | None  # the person's running enrolment of this course (any version)
    completed: Enrolment | None  # the person's completed enrolment of this very version
    completions: list[Completion] = field(default_factory=list)  # of any version of this course

    @property
    def running_older(self) -> bool:
        """Working on an older version than the one published now: they finish the one they started."""
        return self.running is not None and self.running.version_id != self.version.pk

    @property
    def may_start(self) -> bool:
        return self.running is None and self.completed is None


def course_page_for(*, actor: Actor, version: CourseVersion) -> CoursePage:
    """A published module with the person's own enrolments and completions of it."""
    course = Course.objects.select_related("board", "provider").get(pk=version.course_id)
    enrolments = list(
        Enrolment.objects.filter(person=actor.person, board_id=actor.board_pk, course=course).select_related("version")
    )
    return CoursePage(
        version=version,
        offered_by=offered_by_name(course),
        lessons=list(version.lessons.order_by("position", "title").only("id", "version_id", "position", "title")),
        competences=list(version.competences.order_by("framework_slug", "code")),
        question_count=version.questions.count(),
        running=next((enrolment for enrolment in enrolments if enrolment.completed_at is None), None),
        completed=next(
            (e for e in enrolments if e.version_id == version.pk and e.completed_at is not None),
            None,
        ),
        completions=list(completions_for(actor=actor).filter(course=course)),
    )


# --- inside one enrolment -------------------------------------------------------------------------


def newer_version_of(enrolment: Enrolment) -> CourseVersion | None:
    """The version published now when it is newer than the one the person is working on."""
    return (
        CourseVersion.objects.filter(
            course_id=enrolment.course_id, status=VersionStatus.PUBLISHED, number__gt=enrolment.version.number
        )
        .only("id", "number", "title")
        .first()
    )


def lesson_get_for(*, enrolment: Enrolment, lesson_id: UUID) -> Lesson:
    """A lesson of the enrolment's own version; a lesson of any other version is not found."""
    lesson = Lesson.objects.filter(pk=lesson_id, version_id=enrolment.version_id).first()
    if lesson is None:
        raise Http404
    return lesson


def materials_of(lesson: Lesson) -> list[LessonMaterial]:
    return list(lesson.materials.order_by("created_at", "title"))


def questions_of(version: CourseVersion) -> list[Question]:
    """The version's quiz questions in order, with their answer options (two queries)."""
    return list(
        version.questions.order_by("position", "id").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
        )
    )


def attempts_of(enrolment: Enrolment) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(enrolment=enrolment).order_by("number"))


def attempt_get_for(*, enrolment: Enrolment, number: int) -> QuizAttempt:
    attempt = QuizAttempt.objects.filter(enrolment=enrolment, number=number).first()
    if attempt is None:
        raise Http404
    return attempt


def completion_of(enrolment: Enrolment) -> Completion | None:
    return Completion.objects.filter(enrolment=enrolment).first()


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    answer: str  # the chosen option's text or the typed answer
    correct: bool


def attempt_rows(attempt: QuizAttempt, questions: Sequence[Question]) -> list[AnswerRow]:
    """Each question with what was answered in the attempt and whether the server judged it right."""
    rows: list[AnswerRow] = []
    for question in questions:
        given = attempt.answers.get(str(question.pk), {})
        answer = str(given.get("answer", ""))
        choices = {str(choice.pk): choice.text for choice in question.choices.all()}
        rows.append(
            AnswerRow(question=question, answer=choices.get(answer, answer), correct=bool(given.get("correct")))
        )
    return rows


def last_attempt_number(enrolment: Enrolment) -> int:
    return QuizAttempt.objects.filter(enrolment=enrolment).aggregate(last=Max("number"))["last"] or 0


# --- lesson material ------------------------------------------------------------------------------


def material_get_for(*, actor: Actor, material_id: UUID) -> LessonMaterial:
    """A lesson's file, for people who may see that version: an author of the course, or a medewerker
    whose board may take the published version or who has an enrolment on that version. Others: 404."""
    material = LessonMaterial.objects.select_related("lesson__version").filter(pk=material_id).first()
    if material is None:
        raise Http404
    version = material.lesson.version
    if author_courses_for(actor=actor).filter(pk=version.course_id).exists():
        return material
    if actor.board_id is not None and actor.has_permission(roles.VIEW_DOSSIER):
        if published_versions_for(actor=actor).filter(pk=version.pk).exists():
            return material
        if Enrolment.objects.filter(person=actor.person, board_id=actor.board_id, version_id=version.pk).exists():
            return material
    raise Http404
