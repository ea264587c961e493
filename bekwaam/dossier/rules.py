"""Who may see and change dossier items. The `user` argument is an Actor; objects are dossier rows.

The page rules (`dossier.view_own`) need an active employment; the item rules defer to
dossier.selectors.access_right_for, the one place that knows about shares.
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.dossier.models import DevelopmentPlan, Goal, ShareAudience
from bekwaam.dossier.selectors import OWNER, access_right_for, leads
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


@rules.predicate
def has_own_dossier(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(roles.VIEW_DOSSIER)


@rules.predicate
def owns_item(actor: Actor, item: Any) -> bool:
    return isinstance(actor, Actor) and item is not None and access_right_for(actor=actor, item=item) == OWNER


@rules.predicate
def may_see_item(actor: Actor, item: Any) -> bool:
    return isinstance(actor, Actor) and item is not None and access_right_for(actor=actor, item=item) is not None


@rules.predicate
def leads_owner_of_shared_plan(actor: Actor, goal: Any) -> bool:
    """The leidinggevende of the goal's owner, with the goal's plan shared with them (as manager or by name)."""
    if not isinstance(actor, Actor) or not isinstance(goal, Goal):
        return False
    plan: DevelopmentPlan = goal.plan
    right = access_right_for(actor=actor, item=plan)
    return right in (ShareAudience.MANAGER, ShareAudience.PERSON) and leads(actor=actor, owner_id=plan.person_id)


rules.add_rule("dossier.view_own", has_own_dossier)
rules.add_rule("dossier.view_item", may_see_item)
rules.add_rule("dossier.change_item", owns_item)
rules.add_rule("dossier.comment_goal", leads_owner_of_shared_plan)
