"""Authorization matrix cases for the loop part of insights (merged by matrix_cases.py).

Every page has the rule "insights.loop": a medewerker (anyone with a dossier: the manager, teacher, colleague
and outsider); everyone else gets 403. A score and a goal are found only by their own person: the teacher's
score and goal answer 404 to the other medewerkers (the manager who observed the visit included), and the
outsider's score at board B answers 404 to everyone at board A. Each POST names a state that changes for
exactly the persona it belongs to.
"""

from __future__ import annotations

from typing import Any

from bekwaam.dossier.models import Goal
from bekwaam.insights.models import GoalOrigin, OriginKind
from bekwaam.insights.services.loop import goal_from_score
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.observations.tests.factories_visits import instrument_of
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from bekwaam.tenancy.tests.matrix import EVERYONE, INVALID, NOT_ALLOWED, Case, World, at, expect

EMPLOYEES = ("manager", "teacher", "colleague", "outsider")
PAGE = expect(ok=EMPLOYEES)  # 403 for everyone without a dossier
TEACHERS_OWN = expect(ok=("teacher",), not_found=("manager", "colleague", "outsider"))
OUTSIDERS_OWN = expect(ok=("outsider",), not_found=("manager", "teacher", "colleague"))
INVALID_FOR_EMPLOYEES = dict(PAGE) | dict.fromkeys(EMPLOYEES, INVALID)
POST_ONLY = dict.fromkeys(EVERYONE, NOT_ALLOWED)


def teacher_visit(world: World) -> Any:
    """The teacher's put-forward visit (observed by the manager) with a low score on D1.C1, made once."""
    found = Observation.objects.filter(subject="Matrix loop").first()
    if found is None:
        found = observation_build(
            teacher=world.teacher,
            observer=world.manager,
            instrument=instrument_of(world),
            state=ObservationState.SUBMITTED,
            subject="Matrix loop",
            scores={"D1.C1": 1, "D1.C2": 2},
        )
    return found.pk


def board_b_visit(world: World) -> Any:
    """The outsider's put-forward visit at board B with a low score on D1.C1, made once."""
    found = Observation.objects.filter(subject="Matrix loop B").first()
    if found is None:
        observer = PersonFactory(email="directeur.loop@beta.nl")
        EmploymentFactory(person=observer, school=world.school_b)
        found = observation_build(
            teacher=world.outsider,
            observer=observer,
            instrument=instrument_build(board=world.board_b),
            state=ObservationState.SUBMITTED,
            subject="Matrix loop B",
            scores={"D1.C1": 1},
        )
    return found.pk


def teacher_goal(world: World) -> Any:
    """The goal the teacher made of the D1.C2 score of their visit (made once)."""
    visit_id = teacher_visit(world)
    origin = GoalOrigin.objects.filter(source_id=visit_id, code="D1.C2").first()
    if origin is not None:
        return origin.goal_id
    actor = actor_for(world.teacher, f"board:{world.board_a.pk}")
    return goal_from_score(actor=actor, kind=OriginKind.OBSERVATION_ITEM, source_id=visit_id, code="D1.C2").goal.pk


def score_data(source: Any) -> Any:
    return lambda world: {"kind": OriginKind.OBSERVATION_ITEM, "source": str(source(world)), "code": "D1.C1"}


def goals_state(world: World) -> object:
    return sorted((str(o.goal_id), o.code, str(o.follow_up_visit_id)) for o in GoalOrigin.objects.all()), sorted(
        str(pk) for pk in Goal.objects.values_list("pk", flat=True)
    )


def visits_state(world: World) -> object:
    return sorted((str(o.pk), o.state, str(o.observer_id)) for o in Observation.objects.all()), goals_state(world)


MATRIX: dict[str, list[Case]] = {
    "insights:low_scores": [Case(at("insights:low_scores"), PAGE)],
    "insights:goal_from_score": [
        Case(at("insights:goal_from_score"), POST_ONLY, label="GET"),
        Case(
            at("insights:goal_from_score"),
            TEACHERS_OWN,
            method="post",
            data=score_data(teacher_visit),
            state=goals_state,
            changes=("teacher",),
            label="the teacher's score",
        ),
        Case(
            at("insights:goal_from_score"),
            OUTSIDERS_OWN,
            method="post",
            data=score_data(board_b_visit),
            state=goals_state,
            changes=("outsider",),
            label="a score at board B",
        ),
        Case(
            at("insights:goal_from_score"),
            INVALID_FOR_EMPLOYEES,
            method="post",
            data=lambda world: {"kind": "appraisal", "source": "no-id", "code": ""},
            state=goals_state,
            label="a forged form",
        ),
    ],
    "insights:goal_next": [Case(at("insights:goal_next", goal_id=teacher_goal), TEACHERS_OWN)],
    "insights:follow_up": [
        Case(at("insights:follow_up", goal_id=teacher_goal), POST_ONLY, label="GET"),
        Case(
            at("insights:follow_up", goal_id=teacher_goal),
            TEACHERS_OWN,
            method="post",
            data=lambda world: {"consent": "on"},
            state=visits_state,
            changes=("teacher",),
            label="with consent",
        ),
        Case(
            at("insights:follow_up", goal_id=teacher_goal),
            TEACHERS_OWN | {"teacher": INVALID},
            method="post",
            data=lambda world: {},
            state=visits_state,
            label="without consent",
        ),
    ],
}
