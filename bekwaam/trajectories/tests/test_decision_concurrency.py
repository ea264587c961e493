"""Races of the four-eyes decision, with real threads and PostgreSQL row locks (skipped on SQLite, which
serialises writers anyway): two assessors recording at the same moment, and the second decision race (a
third assessor and a revision both about to decide)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from bekwaam.lib.tests.concurrency import at_the_same_moment, require_postgresql
from bekwaam.tenancy.context import actor_for
from bekwaam.trajectories.models import Decision, Judgement, Trajectory, TrajectoryState
from bekwaam.trajectories.selectors.decision import criteria_of
from bekwaam.trajectories.services import decision as services
from bekwaam.trajectories.tests.factories import (
    assessor_build,
    judgement_build,
    template_build,
    themes,
    trajectory_build,
)

# The test's data is committed (real threads see it); the `world` fixture restores the shipped themes
# that the flush at the end takes away.
pytestmark = pytest.mark.django_db(transaction=True)


def recording(trajectory: Trajectory, person: Any, *, level: int, revise: bool = False) -> Callable[[], object]:
    """A step: `person` records (or revises) a judgement of `level` on the first two themes, from a fresh copy."""

    def step() -> object:
        fresh = Trajectory.objects.select_related("template", "provider", "candidate", "coach").get(pk=trajectory.pk)
        service = services.judgement_revise if revise else services.judgement_record
        return service(
            actor=actor_for(person, None),
            trajectory=fresh,
            themes=list(fresh.themes.order_by("name")[:2]),
            learning_level=level,
            criteria={code: "Gelijktijdig onderbouwd" for code, _text in criteria_of(fresh)},
            advice="",
        )

    return step


def deciding(world: Any) -> Trajectory:
    return trajectory_build(
        candidate=world.manager,
        template=template_build(provider=world.provider),
        state=TrajectoryState.DECIDING,
        coach=world.coach,
        theme_list=themes(2),
    )


def test_two_assessors_recording_at_the_same_moment_make_one_decision(world: Any) -> None:
    require_postgresql()
    trajectory = deciding(world)
    second = assessor_build(provider=world.provider, email="tweede@academie.nl")
    outcomes = at_the_same_moment(
        recording(trajectory, world.assessor, level=5), recording(trajectory, second, level=5)
    )
    assert outcomes == ["ok", "ok"]
    assert Judgement.objects.filter(trajectory=trajectory).count() == 2
    decision = Decision.objects.get(trajectory=trajectory)
    assert {decision.first_assessor, decision.second_assessor} == {world.assessor, second}
    assert Trajectory.objects.get(pk=trajectory.pk).state == TrajectoryState.CERTIFIED


def test_the_second_decision_of_a_race_is_refused(world: Any) -> None:
    """Two judgements differ; a third assessor and a revision both agree with the second at the same moment."""
    require_postgresql()
    trajectory = deciding(world)
    second = assessor_build(provider=world.provider, email="tweede@academie.nl")
    third = assessor_build(provider=world.provider, email="derde@academie.nl")
    theme_list = list(trajectory.themes.order_by("name")[:2])
    judgement_build(trajectory=trajectory, assessor=world.assessor, level=6, theme_list=theme_list)
    judgement_build(trajectory=trajectory, assessor=second, level=4, theme_list=theme_list)
    Trajectory.objects.filter(pk=trajectory.pk).update(disagreement=True)
    outcomes = at_the_same_moment(
        recording(trajectory, third, level=4), recording(trajectory, world.assessor, level=4, revise=True)
    )
    with translation.override("en"):
        assert sorted(outcomes) == sorted(["ok", services.already_decided_message()])
    assert Decision.objects.filter(trajectory=trajectory).count() == 1
    assert Trajectory.objects.get(pk=trajectory.pk).state == TrajectoryState.CERTIFIED
    # The refused step stored nothing: either the third judgement or the revision, never both.
    third_recorded = Judgement.objects.filter(trajectory=trajectory, assessor=third).exists()
    revised = Judgement.objects.get(trajectory=trajectory, assessor=world.assessor).revised_at is not None
    assert third_recorded != revised
