"""Who may read a board's change and access logs. The `user` argument is an Actor."""

from __future__ import annotations

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


@rules.predicate
def can_view_board_log(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(roles.VIEW_AUDIT)


rules.add_rule("audit.view_board_log", can_view_board_log)
