"""Who sees a trajectory, in which role; and who sees its portfolio (trajectories.selectors)."""

from __future__ import annotations

import pytest

from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.trajectories.models import TrajectoryState
from bekwaam.trajectories.selectors import (
    ASSESSOR,
    CANDIDATE,
    COACH,
    may_see_portfolio,
    role_in,
    trajectories_visible_to,
)
from bekwaam.trajectories.tests.factories import assessor_build, template_build, trajectory_build

pytestmark = pytest.mark.django_db


def test_each_persona_has_its_role_or_none(world) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), coach=world.coach
    )
    roles = {
        name: role_in(actor=actor_for(world.persona(name), None), trajectory=trajectory)
        for name in ("manager", "assessor", "coach", "teacher", "administrator", "board_member", "outsider")
    }
    assert roles == {
        "manager": CANDIDATE,
        "assessor": ASSESSOR,
        "coach": COACH,
        "teacher": None,
        "administrator": None,
        "board_member": None,
        "outsider": None,
    }


def test_another_providers_staff_see_nothing(world) -> None:
    trajectory = trajectory_build(candidate=world.manager, template=template_build(provider=world.provider))
    other = assessor_build(provider=ProviderFactory(), email="assessor@elders.nl")
    actor = actor_for(other, None)
    assert role_in(actor=actor, trajectory=trajectory) is None
    assert not trajectories_visible_to(actor).exists()


def test_staff_see_the_portfolio_only_once_submitted(world) -> None:
    template = template_build(provider=world.provider)
    collecting = trajectory_build(candidate=world.manager, template=template, coach=world.coach)
    requested = trajectory_build(
        candidate=world.manager, template=template, coach=world.coach, state=TrajectoryState.ASSESSMENT_REQUESTED
    )
    for name in ("assessor", "coach"):
        actor = actor_for(world.persona(name), None)
        assert not may_see_portfolio(actor=actor, trajectory=collecting)
        assert may_see_portfolio(actor=actor, trajectory=requested)
    candidate = actor_for(world.manager, None)
    assert may_see_portfolio(actor=candidate, trajectory=collecting)


def test_a_coach_sees_only_the_trajectories_they_coach(world) -> None:
    template = template_build(provider=world.provider)
    trajectory_build(candidate=world.manager, template=template)
    assert not trajectories_visible_to(actor_for(world.coach, None)).exists()
    assert trajectories_visible_to(actor_for(world.assessor, None)).count() == 1
