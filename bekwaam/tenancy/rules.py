"""Who may see or do what with organisations and people. The `user` argument is an Actor."""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import RoleGrant


def _has(permission: str) -> rules.Predicate:
    @rules.predicate(name=f"has:{permission}")
    def predicate(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return predicate


@rules.predicate
def is_operator(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.is_operator


@rules.predicate
def in_active_board(actor: Actor, obj: Any) -> bool:
    """The object belongs to the board the actor is working in."""
    board_id = getattr(obj, "board_id", None)
    return board_id is not None and board_id == actor.board_id


@rules.predicate
def grant_is_not_own_administrator_role(actor: Actor, grant: RoleGrant) -> bool:
    """A beheerder cannot take away their own beheerder role (a board must keep one)."""
    return not (grant.person_id == actor.person.pk and grant.role == "administrator")


can_view_board = _has(roles.VIEW_BOARD)
can_view_people = _has(roles.VIEW_PEOPLE)
can_manage_people = _has(roles.MANAGE_PEOPLE)
can_import_staff = _has(roles.IMPORT_STAFF)
can_manage_roles = _has(roles.MANAGE_ROLES)
can_view_team = _has(roles.VIEW_TEAM)
can_view_provider = _has(roles.VIEW_PROVIDER)

rules.add_rule("tenancy.view_board", can_view_board)
rules.add_rule("tenancy.view_people", can_view_people)
rules.add_rule("tenancy.manage_people", can_manage_people)
rules.add_rule("tenancy.invite_person", can_manage_people)
rules.add_rule("tenancy.import_staff", can_import_staff)
rules.add_rule("tenancy.grant_role", can_manage_roles)
rules.add_rule("tenancy.revoke_role", can_manage_roles & in_active_board & grant_is_not_own_administrator_role)
rules.add_rule("tenancy.end_employment", can_manage_people & in_active_board)
rules.add_rule("tenancy.view_team", can_view_team)
rules.add_rule("tenancy.view_provider", can_view_provider)
rules.add_rule("tenancy.operate_platform", is_operator)
