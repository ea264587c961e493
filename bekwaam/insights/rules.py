"""Who may see which insights. The `user` argument is an Actor; the groups themselves come from
insights.selectors (scoped), and figures only from released contributions (insights.models).

- "insights.own": a medewerker: Mijn ontwikkeling, their own results over time.
- "insights.team": a leidinggevende: aggregates of the people they lead.
- "insights.board": bestuur and kwaliteitsmedewerker: aggregates per school and for the board.
Parts may add rules in rules_<part>.py; they are imported here.
"""

from __future__ import annotations

import importlib
from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


def _has(permission: str) -> Any:
    @rules.predicate
    def has_permission(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return has_permission


rules.add_rule("insights.own", _has(roles.VIEW_DOSSIER))  # Mijn ontwikkeling: one's own results
rules.add_rule("insights.team", _has(roles.VIEW_TEAM))  # a leidinggevende: their team's aggregates
rules.add_rule("insights.board", _has(roles.VIEW_QUALITY))  # bestuur, kwaliteitsmedewerker: schools and board

for _part in ("person", "loop", "groups"):
    try:
        importlib.import_module(f"bekwaam.insights.rules_{_part}")
    except ModuleNotFoundError as error:
        if error.name != f"bekwaam.insights.rules_{_part}":
            raise
