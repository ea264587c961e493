"""Authorization matrix cases for the decision pages of trajectories (merged by matrix_cases.py).

The trajectories here are the manager's (the candidate, a school leader of board A) with world.provider;
world.coach coaches them. An assessor of the aanbieder takes every step; the coach of the trajectory is
refused (403: four eyes), and so is the candidate (403: they see the trajectory, the step is not theirs);
everyone else does not find it (404): the candidate's board, board B, the operator. One trajectory is
coached by world.assessor: then the assessor is refused too. Another aanbieder's assessor is covered in
test_decision_pages.py. A refused step changes nothing, which the `state` snapshots prove.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.tenancy.tests.matrix import DENIED, INVALID, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect
from bekwaam.trajectories.models import Decision, Judgement, Trajectory, TrajectoryState, TrajectoryTemplate
from bekwaam.trajectories.selectors.decision import criteria_of
from bekwaam.trajectories.services.decision import criterion_field
from bekwaam.trajectories.tests.factories import assessor_build, judgement_build, template_build, trajectory_build

# An assessor's step: the candidate and the coach see the trajectory but may not take it.
ASSESSOR_STEP = expect(ok=("assessor",), others=NOT_FOUND) | {"manager": DENIED, "coach": DENIED}
# The same, on a trajectory world.assessor coaches: nobody of the matrix may judge it.
COACHED_BY_ASSESSOR = expect(others=NOT_FOUND) | {"manager": DENIED, "coach": NOT_FOUND, "assessor": DENIED}
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)


def trajectory_in(state: str, label: str, *, coach: str = "coach", judged: str = "") -> Callable[[World], Any]:
    """The id of the manager's trajectory in `state` (made once per test, named by its template).

    `judged`: "first" — world.assessor has recorded level 5; "differ" — and a second assessor level 4.
    """

    def get(world: World) -> Any:
        name = f"Matrix {label}"
        found = Trajectory.objects.filter(template__name=name).first()
        if found is None:
            found = trajectory_build(
                candidate=world.manager,
                template=template_build(provider=world.provider, name=name),
                state=state,
                coach=world.persona(coach),
            )
            if state == TrajectoryState.INTERVIEW_PLANNED:
                found.interview_at = timezone.now() - datetime.timedelta(hours=2)
                found.save(update_fields=["interview_at"])
            if judged:
                judgement_build(trajectory=found, assessor=world.assessor, level=5)
            if judged == "differ":
                second = assessor_build(provider=world.provider, email=f"tweede-{found.pk}@academie.nl")
                judgement_build(trajectory=found, assessor=second, level=4)
                found.disagreement = True
                found.save(update_fields=["disagreement"])
        return found.pk

    return get


def judgement_data(trajectory: Callable[[World], Any], level: int = 5) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        found = Trajectory.objects.select_related("template").get(pk=trajectory(world))
        return {
            "themes": [theme.pk for theme in found.themes.all()],
            "learning_level": str(level),
            "advice": "",
            **{criterion_field(code): "Onderbouwing uit de matrix" for code, _text in criteria_of(found)},
        }

    return data


def decision_state(world: World) -> object:
    return (
        sorted(
            (j.trajectory.template.name, j.assessor.email, j.learning_level, j.revised_at is not None)
            for j in Judgement.objects.select_related("trajectory__template", "assessor")
        ),
        sorted(Trajectory.objects.values_list("template__name", "state", "disagreement")),
        Decision.objects.count(),
        TrajectoryTemplate.objects.count(),
    )


def url(name: str, trajectory: Callable[[World], Any]) -> Callable[[World], str]:
    return at(f"trajectories:{name}", trajectory_id=trajectory)


PLANNED = trajectory_in(TrajectoryState.INTERVIEW_PLANNED, "planned")
DECIDING = trajectory_in(TrajectoryState.DECIDING, "deciding")
COACHED = trajectory_in(TrajectoryState.DECIDING, "coached by the assessor", coach="assessor")
DIFFER = trajectory_in(TrajectoryState.DECIDING, "differ", judged="differ")
COLLECTING = trajectory_in(TrajectoryState.COLLECTING, "collecting")

MATRIX: dict[str, list[Case]] = {
    "trajectories:interview-held": [
        Case(url("interview-held", PLANNED), NOT_GET),
        Case(
            url("interview-held", PLANNED),
            ASSESSOR_STEP,
            method="post",
            state=decision_state,
            changes=("assessor",),
        ),
        Case(
            url("interview-held", DECIDING),
            ASSESSOR_STEP,
            method="post",
            state=decision_state,
            label="held already: refused with a message",
        ),
    ],
    "trajectories:judgement": [
        Case(url("judgement", DECIDING), ASSESSOR_STEP),
        Case(url("judgement", COLLECTING), ASSESSOR_STEP, label="before the interview: no form"),
        Case(url("judgement", COACHED), COACHED_BY_ASSESSOR, label="the assessor coaches this candidate"),
        Case(
            url("judgement", DECIDING),
            ASSESSOR_STEP,
            method="post",
            data=judgement_data(DECIDING),
            state=decision_state,
            changes=("assessor",),
        ),
        Case(
            url("judgement", COACHED),
            COACHED_BY_ASSESSOR,
            method="post",
            data=judgement_data(COACHED),
            state=decision_state,
            label="the assessor coaches this candidate",
        ),
        Case(
            url("judgement", DIFFER),
            expect(others=NOT_FOUND) | {"assessor": INVALID, "manager": DENIED, "coach": DENIED},
            method="post",
            data=judgement_data(DIFFER),
            state=decision_state,
            label="recorded already: refused, the form kept",
        ),
    ],
    "trajectories:judgement-revise": [
        Case(url("judgement-revise", DIFFER), ASSESSOR_STEP),
        Case(
            url("judgement-revise", DIFFER),
            ASSESSOR_STEP,
            method="post",
            data=judgement_data(DIFFER, level=4),
            state=decision_state,
            changes=("assessor",),
            label="the consensus round decides",
        ),
        Case(
            url("judgement-revise", COACHED),
            COACHED_BY_ASSESSOR,
            method="post",
            data=judgement_data(COACHED),
            state=decision_state,
            label="the assessor coaches this candidate",
        ),
    ],
}
