"""Who reaches which e-learning content: the one place that decides it (docs/learning.md, "Who sees what").

- A medewerker (in their active board) sees the published versions of the board's own modules and of the
  modules an aanbieder offers to that board, unless archived.
- An author (permission learning.author) edits the modules of the organisation they work in: the board's
  beheerder the board's modules, an aanbieder's assessors the aanbieder's modules.
- What a person did (enrolments, attempts, completions) is theirs: found by person and board.
Everything else is not found (404).
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from bekwaam.learning.models import Course, CourseVersion, Enrolment, VersionStatus
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def courses_visible_q(*, board_id: int, prefix: str = "") -> Q:
    """Courses a board's people may take: the board's own and those offered to it, not archived."""
    return Q(**{f"{prefix}archived_at__isnull": True}) & (
        Q(**{f"{prefix}board_id": board_id}) | Q(**{f"{prefix}provider__isnull": False, f"{prefix}boards": board_id})
    )


def published_versions_for(*, actor: Actor) -> QuerySet[CourseVersion]:
    """The published version of every course the actor's board may take (the catalogue's rows)."""
    visible = Course.objects.filter(courses_visible_q(board_id=actor.board_pk)).values("pk")
    return CourseVersion.objects.filter(status=VersionStatus.PUBLISHED, course__in=visible)


def published_version_get_for(*, actor: Actor, course_id: object) -> CourseVersion:
    version = published_versions_for(actor=actor).filter(course_id=_uuid(course_id)).first()
    if version is None:
        raise Http404
    return version


def courses_for_competence(*, actor: Actor, framework_slug: str, code: str) -> list[CourseVersion]:
    """Published modules linked to one competence (by its stable codes), for proposals; titles in order."""
    return list(
        published_versions_for(actor=actor)
        .filter(competences__framework_slug=framework_slug, competences__code=code)
        .distinct()
        .order_by("title")
    )


def author_courses_for(*, actor: Actor) -> QuerySet[Course]:
    """The courses the actor may edit: their board's or their aanbieder's (none without the permission)."""
    if not actor.has_permission(roles.AUTHOR_COURSES):
        return Course.objects.none()
    if actor.board_id is not None:
        return Course.objects.filter(board_id=actor.board_id)
    if actor.provider_id is not None:
        return Course.objects.filter(provider_id=actor.provider_id)
    return Course.objects.none()


def author_course_get_for(*, actor: Actor, course_id: object) -> Course:
    course = author_courses_for(actor=actor).filter(pk=_uuid(course_id)).first()
    if course is None:
        raise Http404
    return course


def enrolment_get_for(*, actor: Actor, enrolment_id: object) -> Enrolment:
    """The actor's own enrolment in their active board; anyone else's is not found."""
    enrolment = (
        Enrolment.objects.filter(pk=_uuid(enrolment_id), person=actor.person, board_id=actor.board_pk)
        .select_related("version", "course")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment
