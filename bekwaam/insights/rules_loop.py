"""Rules of the loop part of insights (imported by insights/rules.py).

"insights.loop": a medewerker works on their own scores: the low-score list, making a goal of one, the page
after it and asking for a follow-up visit. Whose score and goal it is, the selectors decide (404 for anybody
else's: insights.selectors.loop).
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


def _has_own_dossier(actor: Any) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(roles.VIEW_DOSSIER)


# rules' decorator is untyped: the predicate is made by calling it (mypy strict on this module).
has_own_dossier = rules.predicate(_has_own_dossier)

rules.add_rule("insights.loop", has_own_dossier)
