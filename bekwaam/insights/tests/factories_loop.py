"""Builders for the loop tests: a teacher's scored lesson visit, finished measurement and closed 360° round."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from bekwaam.dossier.models import AssessmentStatus, Rating, SelfAssessment
from bekwaam.feedback.models import FeedbackRound, Relation, RoundState
from bekwaam.feedback.tests.factories import questions_of, response_build, round_build
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build


def kijkwijzer(board: Any, *, slug: str = "test-kijkwijzer") -> FrameworkVersion:
    """The board's kijkwijzer (2 domains by 3 items: D1.C1 … D2.C3, scale 1-4), made once per slug."""
    found = FrameworkVersion.objects.filter(board=board, framework__slug=slug).order_by("-number").first()
    return found or instrument_build(board=board, slug=slug)


def competences(board: Any, *, slug: str = "test-framework", scale: tuple[str, ...] | None = None) -> FrameworkVersion:
    """The board's teacher framework (2 by 2 competences, 2 indicators each: D1.C1.I1 …), made once per slug."""
    found = FrameworkVersion.objects.filter(board=board, framework__slug=slug).order_by("-number").first()
    if found is not None:
        return found
    if scale is None:
        return framework_version_build(board=board, slug=slug)
    return framework_version_build(board=board, slug=slug, scale=scale)


def visit(
    world: Any,
    scores: Mapping[str, int | None],
    *,
    teacher: Any = None,
    observer: Any = None,
    instrument: FrameworkVersion | None = None,
    date: datetime.date | None = None,
    state: str = ObservationState.SUBMITTED,
    **extra: Any,
) -> Observation:
    """A lesson visit to the teacher's lesson by the manager, put forward, with scores by item code."""
    return observation_build(
        teacher=teacher or world.teacher,
        observer=observer or world.manager,
        instrument=instrument or kijkwijzer(world.board_a),
        state=state,
        date=date,
        scores=dict(scores),
        **extra,
    )


def measurement(
    person: Any,
    version: FrameworkVersion,
    levels: Mapping[str, int | None],
    *,
    finished: bool = True,
    finished_at: datetime.datetime | None = None,
) -> SelfAssessment:
    """A measurement of the person's own, with a level per indicator code (None: not rated)."""
    assessment = SelfAssessment.objects.create(
        board=version.board,
        person=person,
        framework_version=version,
        status=AssessmentStatus.FINISHED if finished else AssessmentStatus.DRAFT,
        finished_at=(finished_at or timezone.now()) if finished else None,
    )
    scale = {level.value: level for level in ScaleLevel.objects.filter(version=version)}
    indicators = {i.code: i for i in Indicator.objects.filter(competence__version=version)}
    Rating.objects.bulk_create(
        Rating(
            board=version.board,
            assessment=assessment,
            indicator=indicators[code],
            level=scale[value] if value is not None else None,
        )
        for code, value in levels.items()
    )
    return assessment


def closed_round(
    owner: Any,
    board: Any,
    values: Mapping[str, int],
    *,
    answers: int | None = None,
    version: FrameworkVersion | None = None,
    title: str = "Feedback op mijn lessen",
    state: str = RoundState.CLOSED,
) -> FeedbackRound:
    """A closed round on the framework's competences, `answers` colleagues (default: the threshold) each giving
    the value per competence code in `values`, and a self-rating of 4 everywhere."""
    round_ = round_build(owner=owner, board=board, state=state, version=version, title=title)
    questions = questions_of(round_)
    count = settings.FEEDBACK_MIN_GROUP_SIZE if answers is None else answers
    for _number in range(count):
        response_build(
            round_,
            relation=Relation.COLLEAGUE,
            values={q: values[q.competence.code] for q in questions if q.competence and q.competence.code in values},
        )
    response_build(round_, relation=Relation.SELF, values=dict.fromkeys(questions, 4))
    return round_
