"""Who may manage competence frameworks: the functioneel beheerder, for their own board only."""

from __future__ import annotations

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.rules import in_active_board

MANAGE_FRAMEWORKS = roles.MANAGE_FRAMEWORKS  # granted to Role.ADMINISTRATOR


@rules.predicate
def can_manage_frameworks(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(MANAGE_FRAMEWORKS)


# Page level: the frameworks pages. Object level: a framework, version or any of its rows, of the
# actor's active board (selectors already answer 404 for another board's; services check again).
rules.add_rule("frameworks.manage", can_manage_frameworks)
rules.add_rule("frameworks.change_framework", can_manage_frameworks & in_active_board)
