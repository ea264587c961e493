"""Builders for the groups part's tests: staff at a school, finished measurements, visits and conversations,
made as the apps make them (rows of dossier, observations and conversations), then a refresh."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from bekwaam.conversations.models import Conversation, ConversationKind, ConversationState
from bekwaam.conversations.tests.factories_conversations import conversation_build
from bekwaam.dossier.models import AssessmentKind, AssessmentStatus, Rating, SelfAssessment
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.models import RefreshRun
from bekwaam.insights.services.release import refresh
from bekwaam.lib.dates import school_year_bounds
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

SLUG = "bekwaamheidseisen"
DAY = datetime.date(2025, 10, 15)  # in school year 2025-2026
YEAR = 2025


def framework_build(board: Any, *, domains: int = 2, slug: str = SLUG) -> FrameworkVersion:
    """A measurement framework: `domains` domains of one competence with one indicator, scale 1-4."""
    return framework_version_build(
        board=board, slug=slug, name="Bekwaamheidseisen", domains=domains, competences=1, indicators=1
    )


def staff_build(*, school: Any, count: int, manager: Any = None, prefix: str = "mw") -> list[Any]:
    """`count` people employed at the school since 2020 (led by `manager` when given)."""
    people = []
    for _n in range(count):
        person = PersonFactory(given_name=prefix, family_name="Groep")
        EmploymentFactory(person=person, school=school, manager=manager)
        people.append(person)
    return people


def measurement_build(
    *, person: Any, version: FrameworkVersion, levels: int | Sequence[int], day: datetime.date = DAY
) -> SelfAssessment:
    """A finished measurement: one level for every indicator, or a level per indicator in order."""
    indicators = list(
        Indicator.objects.filter(competence__version=version).order_by(
            "competence__domain__position", "competence__position", "position"
        )
    )
    values = [levels] * len(indicators) if isinstance(levels, int) else list(levels)
    scale = {level.value: level for level in ScaleLevel.objects.filter(version=version)}
    finished = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    assessment = SelfAssessment.objects.create(
        board=version.board,
        person=person,
        framework_version=version,
        kind=AssessmentKind.FOLLOW_UP,
        status=AssessmentStatus.FINISHED,
        finished_at=finished,
    )
    Rating.objects.bulk_create(
        Rating(board=version.board, assessment=assessment, indicator=indicator, level=scale[value])
        for indicator, value in zip(indicators, values, strict=True)
    )
    return assessment


def measurements_build(
    *, people: Sequence[Any], version: FrameworkVersion, levels: int | Sequence[int] = 3, day: datetime.date = DAY
) -> list[SelfAssessment]:
    return [measurement_build(person=person, version=version, levels=levels, day=day) for person in people]


def visit_build(
    *, teacher: Any, observer: Any, instrument: FrameworkVersion, scores: Sequence[int | None], day: datetime.date = DAY
) -> Observation:
    return observation_build(
        teacher=teacher,
        observer=observer,
        instrument=instrument,
        state=ObservationState.SUBMITTED,
        date=day,
        scores=list(scores),
    )


def conversation_in(
    state: str, *, employee: Any, manager: Any, kind: str = ConversationKind.DEVELOPMENT, year: int = YEAR
) -> Conversation:
    """A conversation in `state` (factories of conversations), moved into school year `year`."""
    conversation = conversation_build(None, state, employee=employee, manager=manager, kind=kind)
    when = timezone.make_aware(datetime.datetime.combine(school_year_bounds(year)[0], datetime.time(10, 0)))
    Conversation.objects.filter(pk=conversation.pk).update(school_year=year, scheduled_at=when)
    conversation.refresh_from_db()
    return conversation


def refreshed(board: Any) -> RefreshRun:
    return refresh(board=board)


__all__ = ["ConversationState", "instrument_build"]
