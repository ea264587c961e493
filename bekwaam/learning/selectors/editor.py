"""Reads of the author side: the list of modules, a module's versions and content, the competences an author may
link, and the boards an aanbieder may offer to.

Everything starts from learning.selectors.author_courses_for / author_course_get_for: a module of another board
or aanbieder is not found (404), whatever its id; a lesson, question or material is found only inside the module
it was asked under. Counts of people are SQL aggregates; for an aanbieder's module only boards with at least
AGGREGATE_MIN_GROUP_SIZE people enrolled are counted (the same rule as the completion figures, so the two pages
never differ by a small board's numbers).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django_scopes import scopes_disabled

from bekwaam.frameworks import defaults as shipped
from bekwaam.frameworks.models import Competence, FrameworkKind, FrameworkVersion
from bekwaam.frameworks.models import VersionStatus as FrameworkStatus
from bekwaam.learning.models import (
    Completion,
    Course,
    CourseCompetence,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonMaterial,
    Question,
    VersionStatus,
)
from bekwaam.learning.selectors import author_course_get_for, author_courses_for
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board

# The framework kinds an author links a module to: competence frameworks (not kijkwijzers; decision in
# docs/learning-authoring.md). A link made otherwise (a shipped example's kijkwijzer item) is kept as it is.
PICKABLE_KINDS = (FrameworkKind.COMPETENCES,)


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def _count(queryset: QuerySet[Any], group: str) -> Coalesce:
    return Coalesce(Subquery(queryset.values(group).annotate(n=Count("pk")).values("n")[:1]), Value(0))


def counted_boards(course_ref: Any) -> QuerySet[Any, Any]:
    """The boards with at least the minimum group of people enrolled in the course (as a board-id subquery)."""
    with scopes_disabled():
        return (
            Enrolment.objects.filter(course=course_ref)
            .values("board")
            .annotate(n=Count("pk"))
            .filter(n__gte=settings.AGGREGATE_MIN_GROUP_SIZE)
            .values("board")
        )


def editor_rows_for(*, actor: Actor) -> QuerySet[Course]:
    """The author's modules in one query: the published version's number and title, the draft's (if any), and
    how many people enrolled and completed (an aanbieder: counted over boards that reach the minimum group)."""
    versions = CourseVersion.objects.filter(course=OuterRef("pk"))
    published = versions.filter(status=VersionStatus.PUBLISHED)
    draft = versions.filter(status=VersionStatus.DRAFT)
    with scopes_disabled():
        enrolments = Enrolment.objects.filter(course=OuterRef("pk"))
        completions = Completion.objects.filter(course=OuterRef("pk"))
        if actor.provider_id is not None:
            enrolments = enrolments.filter(board__in=counted_boards(OuterRef(OuterRef("pk"))))
            completions = completions.filter(board__in=counted_boards(OuterRef(OuterRef("pk"))))
        elif actor.board_id is not None:
            enrolments = enrolments.filter(board_id=actor.board_id)
            completions = completions.filter(board_id=actor.board_id)
        return (
            author_courses_for(actor=actor)
            .annotate(
                published_number=Subquery(published.values("number")[:1], output_field=IntegerField()),
                published_title=Subquery(published.values("title")[:1]),
                draft_number=Subquery(draft.values("number")[:1], output_field=IntegerField()),
                draft_title=Subquery(draft.values("title")[:1]),
                enrolment_count=_count(enrolments, "course"),
                completion_count=_count(completions, "course"),
            )
            .order_by("archived_at", "-created_at")
        )


def examples_loaded(*, actor: Actor) -> bool:
    """Whether the active board has Bekwaam's example modules already (an aanbieder loads none)."""
    return actor.board_id is not None and author_courses_for(actor=actor).exclude(shipped_as="").exists()


def course_versions(*, course: Course) -> list[CourseVersion]:
    """The module's versions, newest first, with who published them."""
    return list(CourseVersion.objects.filter(course=course).select_related("published_by").order_by("-number"))


def shown_version(versions: list[CourseVersion]) -> CourseVersion:
    """The version the module's page shows: the draft, else the published one, else the newest."""
    for status in (VersionStatus.DRAFT, VersionStatus.PUBLISHED):
        for version in versions:
            if version.status == status:
                return version
    return versions[0]


def draft_of(*, course: Course) -> CourseVersion | None:
    return CourseVersion.objects.filter(course=course, status=VersionStatus.DRAFT).first()


def board_of(*, actor: Actor) -> Board:
    """The active board (404 for an actor working for an aanbieder)."""
    return Board.objects.get(pk=actor.board_pk)


def version_get_for(*, actor: Actor, course_id: object, version_id: object) -> tuple[Course, CourseVersion]:
    course = author_course_get_for(actor=actor, course_id=course_id)
    version = CourseVersion.objects.filter(course=course, pk=_uuid(version_id)).first()
    if version is None:
        raise Http404
    return course, version


@dataclass(frozen=True)
class VersionContent:
    lessons: list[Lesson]
    questions: list[Question]
    competences: list[CourseCompetence]


def version_content(*, version: CourseVersion) -> VersionContent:
    """A version's lessons (with materials), questions (with options) and competences: three queries and two
    prefetches, whatever their number."""
    lessons = list(
        Lesson.objects.filter(version=version)
        .prefetch_related(Prefetch("materials", queryset=LessonMaterial.objects.order_by("created_at")))
        .order_by("position", "title")
    )
    questions = list(Question.objects.filter(version=version).prefetch_related("choices").order_by("position"))
    competences = list(CourseCompetence.objects.filter(version=version).order_by("framework_slug", "code"))
    return VersionContent(lessons, questions, competences)


def lesson_get_for(*, actor: Actor, course: Course, lesson_id: object) -> Lesson:
    """A lesson of any version of the module (the service refuses changes outside the draft); else 404."""
    lesson = Lesson.objects.filter(pk=_uuid(lesson_id), version__course=course).select_related("version").first()
    if lesson is None:
        raise Http404
    return lesson


def lesson_materials(*, lesson: Lesson) -> list[LessonMaterial]:
    return list(LessonMaterial.objects.filter(lesson=lesson).order_by("created_at"))


def material_get_for(*, actor: Actor, lesson: Lesson, material_id: object) -> LessonMaterial:
    material = LessonMaterial.objects.filter(pk=_uuid(material_id), lesson=lesson).first()
    if material is None:
        raise Http404
    return material


def question_get_for(*, actor: Actor, course: Course, question_id: object) -> Question:
    question = (
        Question.objects.filter(pk=_uuid(question_id), version__course=course)
        .select_related("version")
        .prefetch_related("choices")
        .first()
    )
    if question is None:
        raise Http404
    return question


# --- competences ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetenceOption:
    framework_slug: str
    code: str
    name: str

    @property
    def value(self) -> str:
        return f"{self.framework_slug}|{self.code}"


@dataclass(frozen=True)
class CompetenceGroup:
    label: str  # the framework's name (and the domain)
    options: tuple[CompetenceOption, ...]


def competence_groups_for(*, actor: Actor, linked: list[CourseCompetence]) -> list[CompetenceGroup]:
    """What the author may link: a board's own competence frameworks (the newest published version of each), an
    aanbieder the frameworks Bekwaam ships (their newest version); plus what the draft links already."""
    groups = _board_groups(actor) if actor.board_id is not None else _shipped_groups()
    offered = {option.value for group in groups for option in group.options}
    kept = tuple(
        CompetenceOption(c.framework_slug, c.code, c.name)
        for c in linked
        if f"{c.framework_slug}|{c.code}" not in offered
    )
    if kept:
        groups.append(CompetenceGroup(label="", options=kept))
    return groups


def _board_groups(actor: Actor) -> list[CompetenceGroup]:
    newest: dict[Any, FrameworkVersion] = {}
    versions = (
        FrameworkVersion.objects.filter(
            board_id=actor.board_pk, framework__kind__in=PICKABLE_KINDS, status=FrameworkStatus.PUBLISHED
        )
        .select_related("framework")
        .order_by("framework__name", "framework_id", "-number")
    )
    for version in versions:
        newest.setdefault(version.framework_id, version)
    if not newest:
        return []
    competences = (
        Competence.objects.filter(version__in=list(newest.values()))
        .select_related("domain", "version__framework")
        .order_by("version__framework__name", "domain__position", "position", "code")
    )
    grouped: dict[tuple[str, str], list[CompetenceOption]] = {}
    for competence in competences:
        framework = competence.version.framework
        key = (framework.name, f"{competence.domain.code} {competence.domain.name}")
        grouped.setdefault(key, []).append(CompetenceOption(framework.slug, competence.code, competence.name))
    return [CompetenceGroup(f"{name} – {domain}", tuple(options)) for (name, domain), options in grouped.items()]


def _shipped_groups() -> list[CompetenceGroup]:
    groups: list[CompetenceGroup] = []
    for framework in shipped.shipped_frameworks():
        if framework.kind not in PICKABLE_KINDS:
            continue
        data = shipped.shipped_data(framework.slug) or {}
        versions = sorted(data.get("versions", []), key=lambda v: int(v.get("number", 0)))
        if not versions:
            continue
        for domain in versions[-1].get("domains", []):
            options = tuple(
                CompetenceOption(framework.slug, str(c["code"]), str(c["name"])) for c in domain.get("competences", [])
            )
            if options:
                groups.append(CompetenceGroup(f"{framework.name} – {domain['code']} {domain['name']}", options))
    return groups


def boards_to_offer() -> list[Board]:
    """Every board, by name: an aanbieder may offer a module to any of them."""
    return list(Board.objects.order_by("name"))
