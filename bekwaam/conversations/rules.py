"""Who may see and do what in the gesprekscyclus. The `user` argument is an Actor.

Page rules: "conversations.manage" (the beheerder sets up cycles, forms, criteria and records objections),
"conversations.view_own" (anyone with a dossier has conversations), "conversations.lead" (a
leidinggevende with "Mijn team"). Object rules defer to conversations.selectors.role_in.
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.conversations.models import Conversation
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER, role_in
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


def _has(permission: str) -> Any:
    @rules.predicate
    def has_permission(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return has_permission


@rules.predicate
def takes_part(actor: Actor, conversation: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(conversation, Conversation)
        and role_in(actor=actor, conversation=conversation) is not None
    )


@rules.predicate
def is_employee_of(actor: Actor, conversation: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(conversation, Conversation)
        and role_in(actor=actor, conversation=conversation) == EMPLOYEE
    )


@rules.predicate
def is_manager_of(actor: Actor, conversation: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(conversation, Conversation)
        and role_in(actor=actor, conversation=conversation) == MANAGER
    )


rules.add_rule("conversations.manage", _has(roles.MANAGE_CONVERSATIONS))
rules.add_rule("conversations.view_own", _has(roles.VIEW_DOSSIER) | _has(roles.VIEW_TEAM))
rules.add_rule("conversations.lead", _has(roles.VIEW_TEAM))
rules.add_rule("conversations.view", takes_part)
rules.add_rule("conversations.act_as_employee", is_employee_of)
rules.add_rule("conversations.act_as_manager", is_manager_of)
