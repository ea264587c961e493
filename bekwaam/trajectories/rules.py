"""Who may see and do what in waarderingstrajecten. The `user` argument is an Actor; object rules use role_in.

Page rules: "trajectories.enrol" (a school leader), "trajectories.view_worklist" (an aanbieder's assessor or
coach), "trajectories.manage_templates" (an assessor). Object rules on a Trajectory: view,
view_portfolio, act_as_candidate, assess, coach, comment, judge (an assessor who is not this trajectory's coach).
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.trajectories.models import Trajectory
from bekwaam.trajectories.selectors import ASSESSOR, CANDIDATE, COACH, may_see_portfolio, role_in


def _has(permission: str) -> Any:
    @rules.predicate
    def has_permission(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return has_permission


def _role_is(*wanted: str) -> Any:
    @rules.predicate
    def role_is(actor: Actor, trajectory: Any) -> bool:
        return (
            isinstance(actor, Actor)
            and isinstance(trajectory, Trajectory)
            and role_in(actor=actor, trajectory=trajectory) in wanted
        )

    return role_is


@rules.predicate
def sees_portfolio(actor: Actor, trajectory: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(trajectory, Trajectory)
        and may_see_portfolio(actor=actor, trajectory=trajectory)
    )


@rules.predicate
def is_not_its_coach(actor: Actor, trajectory: Any) -> bool:
    """The vier-ogenprincipe keeps the candidate's coach out of the decision."""
    return isinstance(trajectory, Trajectory) and trajectory.coach_id != actor.person.pk


rules.add_rule("trajectories.enrol", _has(roles.KEEP_REGISTER))
rules.add_rule("trajectories.view_worklist", _has(roles.ASSESS) | _has(roles.COACH_TRAJECTORIES))
rules.add_rule("trajectories.manage_templates", _has(roles.ASSESS))
rules.add_rule("trajectories.view", _role_is(CANDIDATE, ASSESSOR, COACH))
rules.add_rule("trajectories.view_portfolio", sees_portfolio)
rules.add_rule("trajectories.act_as_candidate", _role_is(CANDIDATE))
rules.add_rule("trajectories.assess", _role_is(ASSESSOR))
rules.add_rule("trajectories.coach", _role_is(COACH))
rules.add_rule("trajectories.comment", _role_is(ASSESSOR, COACH))
rules.add_rule("trajectories.judge", _role_is(ASSESSOR) & is_not_its_coach)
