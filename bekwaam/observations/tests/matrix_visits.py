"""Authorization matrix cases for the lesson-visit pages (merged by matrix_cases.py).

The visits here are board A's: the manager (leidinggevende of the teacher) observes the teacher's lesson.
A visit is seen by its teacher, its observer and the kwaliteitsmedewerker (and a leidinggevende of the
teacher, which is the observer here); anyone else does not find it (404): the bestuurder, the beheerder,
the colleague, board B. A peer visit (the teacher's lesson, the colleague observes) is seen by those two
only: not the manager, not the kwaliteitsmedewerker. The observer's steps answer 403 to the others who see
the visit, the teacher's steps likewise. A step that is not possible in the state changes nothing, which
the `state` snapshots prove.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.dossier.models import Goal
from bekwaam.observations.models import (
    Observation,
    ObservationAgreement,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.observations.tests.factories import instrument_build, items_of, observation_build
from bekwaam.observations.tests.factories_visits import instrument_of
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from bekwaam.tenancy.tests.matrix import DENIED, INVALID, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect

# Who may open the lists and pages at all.
VIEWERS = ("manager", "teacher", "colleague", "outsider", "quality_officer")  # observations.view_list
PLANNERS = ("manager", "quality_officer")  # observations.plan
PEER_ASKERS = ("manager", "teacher", "colleague", "outsider")  # observations.request_peer (a dossier)

# A visit: its teacher, observer (the manager) and the kwaliteitsmedewerker see it; nobody else finds it.
SEEN = expect(ok=("teacher", "manager", "quality_officer"), others=NOT_FOUND)
OBSERVER_STEP = expect(ok=("manager",), others=NOT_FOUND) | {"teacher": DENIED, "quality_officer": DENIED}
TEACHER_STEP = expect(ok=("teacher",), others=NOT_FOUND) | {"manager": DENIED, "quality_officer": DENIED}
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)
# A peer visit: the teacher and the colleague only.
PEER_SEEN = expect(ok=("teacher", "colleague"), others=NOT_FOUND)


def visit_in(state: str, label: str = "", kind: str = ObservationKind.VISIT) -> Callable[[World], Any]:
    """The id of the teacher's visit in `state` (made once per test, named by its subject)."""

    def get(world: World) -> Any:
        subject = f"Matrix {kind} {label or state}"
        found = Observation.objects.filter(subject=subject).first()
        if found is None:
            put_forward = state in (ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED)
            found = observation_build(
                teacher=world.teacher,
                observer=world.colleague if kind == ObservationKind.PEER else world.manager,
                instrument=instrument_of(world),
                state=state,
                kind=kind,
                subject=subject,
                scores=[3, 2] if put_forward or label == "scored" else None,
            )
            ObservationAgreement.objects.create(
                board=found.board, observation=found, text="Een afspraak uit de matrix", position=1
            )
        return found.pk

    return get


def board_b_visit(world: World) -> Any:
    """A visit at board B: the outsider's lesson, observed by a leidinggevende of board B."""
    found = Observation.objects.filter(board=world.board_b).first()
    if found is None:
        observer = PersonFactory(email="directeur@beta.nl")
        EmploymentFactory(person=observer, school=world.school_b)
        found = observation_build(
            teacher=world.outsider,
            observer=observer,
            instrument=instrument_build(board=world.board_b),
            state=ObservationState.SUBMITTED,
            scores=[2],
        )
    return found.pk


def agreement_of(visit: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: ObservationAgreement.objects.filter(observation_id=visit(world)).first().pk


def visits_state(world: World) -> object:
    return sorted(
        (
            o.subject,
            o.state,
            o.kind,
            o.group,
            o.date,
            o.went_well,
            o.teacher_reaction,
            str(o.observer_id),
            o.submitted_at is not None,
        )
        for o in Observation.objects.all()
    )


def everything_state(world: World) -> object:
    return (
        visits_state(world),
        sorted(ObservationScore.objects.values_list("observation__subject", "item__code", "value", "note")),
        sorted(ObservationAgreement.objects.values_list("observation__subject", "text", "goal_id")),
        Goal.objects.count(),
    )


def future(days: int = 10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def plan_data(world: World) -> dict[str, Any]:
    return {
        "employment": Employment.objects.get(person=world.teacher).pk,
        "group": 4,
        "date": future(),
        "start_time": "10:15",
        "subject": "Matrix planned by post",
        "instrument": instrument_of(world).pk,
        "focus": "Klassenmanagement",
    }


def peer_data(world: World) -> dict[str, Any]:
    """Each persona has one job, so the form asks no "your job" (it is the one)."""
    return {
        "colleague": Employment.objects.get(person=world.colleague).pk,
        "group": 6,
        "date": future(),
        "subject": "Matrix peer by post",
        "instrument": instrument_of(world).pk,
    }


def edit_data(world: World) -> dict[str, Any]:
    return {"group": 7, "date": future(12), "subject": "Matrix edited", "instrument": instrument_of(world).pk}


def score_form_data(visit: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        observation = Observation.objects.get(pk=visit(world))
        item = items_of(observation.instrument)[2]
        return {f"item_{item.pk}": "4", f"note_{item.pk}": "Matrix"}

    return data


def score_json_data(visit: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    """The save endpoint also takes its JSON as a form field (`changes`), as the matrix posts forms."""

    def data(world: World) -> dict[str, Any]:
        observation = Observation.objects.get(pk=visit(world))
        item = items_of(observation.instrument)[2]
        return {"changes": json.dumps([{"item": item.pk, "value": 1, "note": "Matrix"}])}

    return data


def url(name: str, visit: Callable[[World], Any], **extra: Any) -> Callable[[World], str]:
    return at(f"observations:{name}", observation_id=visit, **extra)


PLANNED = visit_in(ObservationState.PLANNED)
IN_PROGRESS = visit_in(ObservationState.IN_PROGRESS, "scored")
IN_PROGRESS_EMPTY = visit_in(ObservationState.IN_PROGRESS)
SUBMITTED = visit_in(ObservationState.SUBMITTED)
ACKNOWLEDGED = visit_in(ObservationState.ACKNOWLEDGED)
PEER_PLANNED = visit_in(ObservationState.PLANNED, kind=ObservationKind.PEER)
PEER_SUBMITTED = visit_in(ObservationState.SUBMITTED, kind=ObservationKind.PEER)

MATRIX: dict[str, list[Case]] = {
    "observations:visit-list": [Case(at("observations:visit-list"), expect(ok=VIEWERS))],
    "observations:visit-create": [
        Case(at("observations:visit-create"), expect(ok=PLANNERS)),
        Case(
            at("observations:visit-create"),
            expect(ok=PLANNERS),
            method="post",
            data=plan_data,
            state=visits_state,
            changes=PLANNERS,
        ),
    ],
    "observations:peer-create": [
        Case(at("observations:peer-create"), expect(ok=PEER_ASKERS)),
        Case(
            at("observations:peer-create"),
            expect(ok=("teacher", "manager")) | {"colleague": INVALID, "outsider": INVALID},
            method="post",
            data=peer_data,
            state=visits_state,
            changes=("teacher", "manager"),
            label="the colleague cannot ask themself; board B does not find board A's colleague",
        ),
    ],
    "observations:visit-detail": [
        Case(url("visit-detail", PLANNED), SEEN, label="planned"),
        Case(url("visit-detail", SUBMITTED), SEEN, label="put forward"),
        Case(url("visit-detail", PEER_SUBMITTED), PEER_SEEN, label="peer visit"),
        Case(
            at("observations:visit-detail", observation_id=board_b_visit),
            expect(ok=("outsider",), others=NOT_FOUND),
            label="a visit of board B",
        ),
    ],
    "observations:visit-edit": [
        Case(url("visit-edit", PLANNED), OBSERVER_STEP),
        Case(
            url("visit-edit", PLANNED),
            OBSERVER_STEP,
            method="post",
            data=edit_data,
            state=visits_state,
            changes=("manager",),
        ),
        Case(
            url("visit-edit", PEER_PLANNED),
            PEER_SEEN,
            method="post",
            data=edit_data,
            state=visits_state,
            changes=("teacher", "colleague"),
            label="peer visit: both change it",
        ),
    ],
    "observations:visit-cancel": [
        Case(url("visit-cancel", PLANNED), NOT_GET),
        Case(url("visit-cancel", PLANNED), OBSERVER_STEP, method="post", state=visits_state, changes=("manager",)),
        Case(
            url("visit-cancel", SUBMITTED),
            OBSERVER_STEP,
            method="post",
            state=visits_state,
            label="put forward: refused with a message",
        ),
    ],
    "observations:visit-score": [
        Case(url("visit-score", PLANNED), OBSERVER_STEP),
        Case(
            url("visit-score", PLANNED),
            OBSERVER_STEP,
            method="post",
            data=score_form_data(PLANNED),
            state=everything_state,
            changes=("manager",),
        ),
        Case(url("visit-score", PEER_PLANNED), PEER_SEEN | {"teacher": DENIED}, label="peer visit: the colleague"),
    ],
    "observations:score-save": [
        Case(url("score-save", IN_PROGRESS), NOT_GET),
        Case(
            url("score-save", IN_PROGRESS),
            OBSERVER_STEP,
            method="post",
            data=score_json_data(IN_PROGRESS),
            state=everything_state,
            changes=("manager",),
        ),
        Case(
            url("score-save", SUBMITTED),
            OBSERVER_STEP | {"manager": INVALID},
            method="post",
            data=score_json_data(SUBMITTED),
            state=everything_state,
            label="put forward: 400 with a message",
        ),
    ],
    "observations:visit-debrief": [
        Case(url("visit-debrief", IN_PROGRESS), OBSERVER_STEP),
        Case(
            url("visit-debrief", IN_PROGRESS),
            OBSERVER_STEP,
            method="post",
            data=lambda w: {"went_well": "Matrix ging goed", "work_on": "", "agreement_new_1": "Nieuw"},
            state=everything_state,
            changes=("manager",),
        ),
    ],
    "observations:visit-submit": [
        Case(url("visit-submit", IN_PROGRESS), NOT_GET),
        Case(url("visit-submit", IN_PROGRESS), OBSERVER_STEP, method="post", state=visits_state, changes=("manager",)),
        Case(
            url("visit-submit", IN_PROGRESS_EMPTY),
            OBSERVER_STEP,
            method="post",
            state=visits_state,
            label="no score yet: refused with a message",
        ),
    ],
    "observations:visit-reopen": [
        Case(url("visit-reopen", SUBMITTED), NOT_GET),
        Case(url("visit-reopen", SUBMITTED), OBSERVER_STEP, method="post", state=visits_state, changes=("manager",)),
        Case(
            url("visit-reopen", ACKNOWLEDGED),
            OBSERVER_STEP,
            method="post",
            state=visits_state,
            label="seen by the teacher: refused with a message",
        ),
    ],
    "observations:visit-reaction": [
        Case(url("visit-reaction", SUBMITTED), NOT_GET),
        Case(
            url("visit-reaction", SUBMITTED),
            TEACHER_STEP,
            method="post",
            data=lambda w: {"reaction": "Mijn reactie"},
            state=visits_state,
            changes=("teacher",),
        ),
    ],
    "observations:visit-acknowledge": [
        Case(url("visit-acknowledge", SUBMITTED), NOT_GET),
        Case(
            url("visit-acknowledge", SUBMITTED),
            TEACHER_STEP,
            method="post",
            data=lambda w: {"reaction": "Gezien"},
            state=visits_state,
            changes=("teacher",),
        ),
        Case(
            url("visit-acknowledge", PLANNED),
            TEACHER_STEP,
            method="post",
            state=visits_state,
            label="not put forward: refused with a message",
        ),
    ],
    "observations:visit-agreement-goal": [
        Case(url("visit-agreement-goal", SUBMITTED, agreement_id=agreement_of(SUBMITTED)), NOT_GET),
        Case(
            url("visit-agreement-goal", SUBMITTED, agreement_id=agreement_of(SUBMITTED)),
            TEACHER_STEP,
            method="post",
            state=everything_state,
            changes=("teacher",),
        ),
        Case(
            url("visit-agreement-goal", SUBMITTED, agreement_id=agreement_of(ACKNOWLEDGED)),
            TEACHER_STEP | {"teacher": NOT_FOUND},
            method="post",
            state=everything_state,
            label="agreement of another visit",
        ),
        Case(
            url("visit-agreement-goal", PLANNED, agreement_id=agreement_of(PLANNED)),
            TEACHER_STEP,
            method="post",
            state=everything_state,
            label="not put forward: refused with a message",
        ),
    ],
}
