"""Builders for the lesson-visit tests, on top of observations/tests/factories.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bekwaam.frameworks.models import FrameworkVersion
from bekwaam.observations.models import Observation, ObservationAgreement, ObservationKind, ObservationState
from bekwaam.observations.services.visits import VisitDetails
from bekwaam.observations.tests.factories import instrument_build, items_of, observation_build
from bekwaam.tenancy.context import Actor, actor_for

__all__ = ["instrument_build", "items_of", "observation_build"]


def actor_of(person: Any, board: Any) -> Actor:
    return actor_for(person, f"board:{board.pk}")


def instrument_of(world: Any) -> FrameworkVersion:
    """Board A's kijkwijzer (2 domains x 3 items, scale 1-4), made once per test."""
    found = FrameworkVersion.objects.filter(board=world.board_a, framework__slug="test-kijkwijzer").first()
    return found or instrument_build(board=world.board_a)


def details(instrument: FrameworkVersion, **overrides: Any) -> VisitDetails:
    values: dict[str, Any] = {
        "group": 5,
        "date": timezone.localdate() + datetime.timedelta(days=7),
        "start_time": datetime.time(9, 30),
        "subject": "Rekenen",
        "instrument": instrument,
        "focus": "Instructie aan de verlengde instructietafel",
        "focus_items": [],
    }
    values.update(overrides)
    return VisitDetails(**values)


def visit_in(
    world: Any,
    state: str = ObservationState.PLANNED,
    *,
    observer: Any = None,
    teacher: Any = None,
    kind: str = ObservationKind.VISIT,
    scores: Any = None,
    agreements: tuple[str, ...] = (),
    subject: str = "Rekenen",
    calibrates: Observation | None = None,
) -> Observation:
    """A visit of board A: by default the manager observes the teacher. Put-forward states get a score."""
    instrument = instrument_of(world)
    if scores is None and state in (ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED):
        scores = [3, 4, None]
    observation = observation_build(
        teacher=teacher or world.teacher,
        observer=observer or world.manager,
        instrument=instrument,
        state=state,
        kind=kind,
        scores=scores,
        subject=subject,
        calibrates=calibrates,
    )
    for position, text in enumerate(agreements, start=1):
        ObservationAgreement.objects.create(
            board=observation.board, observation=observation, text=text, position=position
        )
    return observation


def peer_visit_in(world: Any, state: str = ObservationState.PLANNED, **kwargs: Any) -> Observation:
    """The teacher's peer visit, observed by the colleague."""
    return visit_in(world, state, observer=world.colleague, kind=ObservationKind.PEER, **kwargs)
