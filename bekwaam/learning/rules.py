"""Who may do what in e-learning. The `user` argument is an Actor. Objects are reached through
learning.selectors (scoped); these rules decide the page-level permission.

- "learning.learn": a medewerker with an active employment in the active board: the catalogue, lessons, quiz.
- "learning.author": the board's functioneel beheerder, or an aanbieder's assessor: writes modules.
- "learning.suggest": a leidinggevende: suggests a module to people of their team.
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


rules.add_rule("learning.learn", _has(roles.VIEW_DOSSIER))
rules.add_rule("learning.author", _has(roles.AUTHOR_COURSES))
rules.add_rule("learning.suggest", _has(roles.VIEW_TEAM))

for _part in ("learner", "editor"):
    try:
        importlib.import_module(f"bekwaam.learning.rules_{_part}")
    except ModuleNotFoundError as error:
        if error.name != f"bekwaam.learning.rules_{_part}":
            raise
