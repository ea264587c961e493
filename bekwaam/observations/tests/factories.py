"""Builders for lesson-visit tests: a small kijkwijzer and observations with scores."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bekwaam.frameworks.models import Competence, FrameworkKind, FrameworkVersion
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.observations.models import (
    PUT_FORWARD_STATES,
    Observation,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.tenancy.models import Employment

ICALT_SCALE = ("Overwegend zwak", "Meer zwak dan sterk", "Meer sterk dan zwak", "Overwegend sterk")


def instrument_build(
    *, board: Any, domains: int = 2, items: int = 3, slug: str = "test-kijkwijzer"
) -> FrameworkVersion:
    """A published kijkwijzer: `domains` by `items` (codes D1.C1 …), scale 1-4, one look-for per item."""
    return framework_version_build(
        board=board,
        slug=slug,
        name="Test-kijkwijzer",
        domains=domains,
        competences=items,
        indicators=1,
        scale=ICALT_SCALE,
        kind=FrameworkKind.OBSERVATION,
    )


def items_of(instrument: FrameworkVersion) -> list[Competence]:
    return list(Competence.objects.filter(version=instrument).order_by("domain__position", "position"))


def observation_build(
    *,
    teacher: Any,
    observer: Any,
    instrument: FrameworkVersion,
    state: str = ObservationState.PLANNED,
    kind: str = ObservationKind.VISIT,
    date: datetime.date | None = None,
    group: int = 5,
    scores: dict[str, int | None] | list[int | None] | None = None,
    calibrates: Observation | None = None,
    subject: str = "Rekenen",
) -> Observation:
    """An observation of the teacher's first active employment; `scores` by item code or in item order."""
    employment = Employment.objects.filter(person=teacher, board=instrument.board).order_by("start_date").first()
    assert employment is not None, "the teacher needs an employment at the instrument's board"
    put_forward = state in PUT_FORWARD_STATES
    observation = Observation.objects.create(
        board=instrument.board,
        school=employment.school,
        employment=employment,
        teacher=teacher,
        observer=observer,
        kind=kind,
        instrument=instrument,
        calibrates=calibrates,
        group=group,
        date=date or timezone.localdate(),
        subject=subject,
        state=state,
        submitted_at=timezone.now() if put_forward else None,
        acknowledged_at=timezone.now() if state == ObservationState.ACKNOWLEDGED else None,
        created_by=observer,
    )
    if scores is not None:
        items = items_of(instrument)
        pairs = (
            [(item, scores.get(item.code)) for item in items if item.code in scores]
            if isinstance(scores, dict)
            else list(zip(items, scores, strict=False))
        )
        ObservationScore.objects.bulk_create(
            ObservationScore(board=instrument.board, observation=observation, item=item, value=value)
            for item, value in pairs
        )
    return observation
