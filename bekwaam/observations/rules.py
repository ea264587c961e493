"""Who may see and do what with lesson visits. The `user` argument is an Actor; object rules defer to role_in.

Page rules: "observations.view_list" (anyone with a dossier, or who observes), "observations.plan" (a
leidinggevende or kwaliteitsmedewerker plans visits), "observations.request_peer" (a medewerker invites a
colleague), "observations.view_calibration_overview" (the kwaliteitsmedewerker). Object rules on a School:
"observations.view_team_report". Object rules on an Observation: view / score / act_as_teacher / add_calibration.
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.observations.models import Observation, ObservationKind
from bekwaam.observations.selectors import OBSERVER, QUALITY_OFFICER, TEACHER, role_in
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School


def _has(permission: str) -> Any:
    @rules.predicate
    def has_permission(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return has_permission


def _role_is(*wanted: str) -> Any:
    @rules.predicate
    def role_is(actor: Actor, observation: Any) -> bool:
        return (
            isinstance(actor, Actor)
            and isinstance(observation, Observation)
            and role_in(actor=actor, observation=observation) in wanted
        )

    return role_is


@rules.predicate
def may_see(actor: Actor, observation: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(observation, Observation)
        and role_in(actor=actor, observation=observation) is not None
    )


@rules.predicate
def is_calibratable(actor: Actor, observation: Any) -> bool:
    return (
        isinstance(observation, Observation)
        and observation.kind == ObservationKind.VISIT
        and observation.calibrates_id is None
    )


@rules.predicate
def reports_on_school(actor: Actor, school: Any) -> bool:
    """Board viewers of quality for every school of their board; a schoolleider for the schools they manage."""
    if not isinstance(actor, Actor) or not isinstance(school, School) or school.board_id != actor.board_id:
        return False
    return actor.has_permission(roles.VIEW_QUALITY) or (
        actor.has_permission(roles.SCHOOL_QUALITY) and school.pk in actor.managed_school_ids
    )


rules.add_rule("observations.view_list", _has(roles.VIEW_DOSSIER) | _has(roles.OBSERVE_LESSONS))
rules.add_rule("observations.plan", _has(roles.OBSERVE_LESSONS))
rules.add_rule("observations.request_peer", _has(roles.VIEW_DOSSIER))
rules.add_rule("observations.view_calibration_overview", _has(roles.MANAGE_QUALITY))
rules.add_rule("observations.view_team_report", reports_on_school)
rules.add_rule("observations.view", may_see)
rules.add_rule("observations.score", _role_is(OBSERVER))
rules.add_rule("observations.act_as_teacher", _role_is(TEACHER))
rules.add_rule("observations.add_calibration", _role_is(OBSERVER, QUALITY_OFFICER) & is_calibratable)
