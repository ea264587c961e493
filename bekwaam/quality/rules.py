"""Who may see and record what in kwaliteitszorg. The `user` argument is an Actor.

- "quality.view_board": the board's overview and grid (bestuurder, kwaliteitsmedewerker);
- "quality.manage": settings of the board's judgement scale, flags, school visits (kwaliteitsmedewerker);
- "quality.view_school" / "quality.edit_school" on a School: board viewers see every school and the
  kwaliteitsmedewerker records at every school; a schoolleider sees and records for the schools they manage;
- "quality.edit_board_level": the board's own evaluation against BKA and board-level plans (bestuurder,
  kwaliteitsmedewerker).
A bestuurder reads school-level records; nothing here shows one teacher's scores (observations has its own rules).
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School


def _has(permission: str) -> Any:
    @rules.predicate
    def has_permission(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return has_permission


def _leads_school(actor: Actor, school: Any) -> bool:
    return actor.has_permission(roles.SCHOOL_QUALITY) and school.pk in actor.managed_school_ids


@rules.predicate
def sees_school(actor: Actor, school: Any) -> bool:
    if not isinstance(actor, Actor) or not isinstance(school, School) or school.board_id != actor.board_id:
        return False
    return actor.has_permission(roles.VIEW_QUALITY) or _leads_school(actor, school)


@rules.predicate
def records_for_school(actor: Actor, school: Any) -> bool:
    if not isinstance(actor, Actor) or not isinstance(school, School) or school.board_id != actor.board_id:
        return False
    return actor.has_permission(roles.MANAGE_QUALITY) or _leads_school(actor, school)


rules.add_rule("quality.home", _has(roles.VIEW_QUALITY) | _has(roles.SCHOOL_QUALITY))
rules.add_rule("quality.view_board", _has(roles.VIEW_QUALITY))
rules.add_rule("quality.manage", _has(roles.MANAGE_QUALITY))
rules.add_rule("quality.edit_board_level", _has(roles.VIEW_QUALITY))
rules.add_rule("quality.view_school", sees_school)
rules.add_rule("quality.edit_school", records_for_school)
