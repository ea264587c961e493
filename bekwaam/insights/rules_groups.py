"""Rules of the school, team and board figures (imported by insights.rules, which has insights.team and
insights.board).

- "insights.schools": the school page at all: board viewers (bestuurder, kwaliteitsmedewerker) and a
  schoolleider (quality.school: a manager grant for a school). Anyone else gets 403.
- "insights.view_school" (object: a School): a school of the active board, for board viewers; for a
  schoolleider only the schools they manage (actor.managed_school_ids), as quality.view_school. The views
  answer 404 for a school the rule refuses (another board's, or a school the schoolleider does not lead).
- "insights.refresh": asking for a refresh now (board viewers).
Every figure comes from released contributions only (insights.selectors.aggregates): these rules decide who
sees which group, never how small a group may be.
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School


def _sees_schools(actor: Any) -> bool:
    return isinstance(actor, Actor) and (
        actor.has_permission(roles.VIEW_QUALITY) or actor.has_permission(roles.SCHOOL_QUALITY)
    )


def _sees_school(actor: Any, school: Any) -> bool:
    if not isinstance(actor, Actor) or not isinstance(school, School) or school.board_id != actor.board_id:
        return False
    if actor.has_permission(roles.VIEW_QUALITY):
        return True
    return actor.has_permission(roles.SCHOOL_QUALITY) and school.pk in actor.managed_school_ids


def _refreshes(actor: Any) -> bool:
    return isinstance(actor, Actor) and actor.board_id is not None and actor.has_permission(roles.VIEW_QUALITY)


# rules' decorator is untyped: the predicates are made by calling it (mypy strict on this module).
sees_schools = rules.predicate(_sees_schools)
sees_school = rules.predicate(_sees_school)
refreshes = rules.predicate(_refreshes)

rules.add_rule("insights.schools", sees_schools)
rules.add_rule("insights.view_school", sees_school)
rules.add_rule("insights.refresh", refreshes)
