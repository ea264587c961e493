"""Who may see the dossier pages. The `user` argument is an Actor."""

from __future__ import annotations

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


@rules.predicate
def has_own_dossier(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(roles.VIEW_DOSSIER)


rules.add_rule("dossier.view_own", has_own_dossier)
