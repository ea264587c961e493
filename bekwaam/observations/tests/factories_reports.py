"""Builders for the reports part's tests: teachers at a school, a set of scored visits, a calibration pair."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from bekwaam.frameworks.models import FrameworkVersion
from bekwaam.observations.models import PUT_FORWARD_STATES, Observation, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, with_totp


def actor_of(person: Any, board: Any) -> Actor:
    """The person as they act at the board (roles resolved as at sign-in)."""
    return actor_for(person, f"board:{board.pk}")


def teachers_build(*, school: Any, count: int, manager: Any = None, prefix: str = "leerkracht") -> list[Any]:
    """`count` teachers with an employment at the school (led by `manager` when given)."""
    teachers = []
    for n in range(count):
        person = PersonFactory(email=f"{prefix}{n}-{school.pk}@alfa.nl", given_name=f"Leraar{n}", family_name="Team")
        EmploymentFactory(person=person, school=school, manager=manager)
        teachers.append(person)
    return teachers


def observer_build(*, board: Any, school: Any, email: str, given_name: str = "Otto") -> Any:
    """A leidinggevende of `school` (employment and manager grant there): observes lessons at the board."""
    person = with_totp(PersonFactory(email=email, given_name=given_name, family_name="Observator"))
    EmploymentFactory(person=person, school=school, function="director")
    RoleGrantFactory(person=person, board=board, school=school, role=Role.MANAGER)
    return person


def visits_build(
    *,
    teachers: Sequence[Any],
    observer: Any,
    instrument: FrameworkVersion,
    scores: Sequence[int | None] | dict[str, int | None],
    date: datetime.date | None = None,
    state: str = ObservationState.SUBMITTED,
    per_teacher: int = 1,
    group: int | None = None,
) -> list[Observation]:
    """One (or `per_teacher`) put-forward visit per teacher, each with the same scores, in groep 1-8 in turn."""
    return [
        observation_build(
            teacher=teacher,
            observer=observer,
            instrument=instrument,
            state=state,
            date=date or timezone.localdate(),
            group=group or (n + k) % 8 + 1,
            scores=scores,
        )
        for n, teacher in enumerate(teachers)
        for k in range(per_teacher)
    ]


def calibration_build(
    *,
    primary: Observation,
    observer: Any,
    state: str = ObservationState.PLANNED,
    scores: Sequence[int | None] | dict[str, int | None] | None = None,
) -> Observation:
    """The second observer's observation of the same lesson (as services.calibration makes it), in `state`."""
    second = observation_build(
        teacher=primary.teacher,
        observer=observer,
        instrument=primary.instrument,
        state=state,
        date=primary.date,
        group=primary.group,
        scores=scores,
        calibrates=primary,
        subject=primary.subject,
    )
    return second


def move(observation: Observation, state: str) -> Observation:
    """Put an observation in `state` directly (test set-up; the visits part's services do it for real)."""
    observation.state = state
    observation.submitted_at = timezone.now() if state in PUT_FORWARD_STATES else None
    observation.save(update_fields=["state", "submitted_at"])
    return observation


__all__ = ["instrument_build"]
