"""Rules of the author side of e-learning (imported by learning.rules).

- "learning.author_course" (object: a Course): the actor may write modules ("learning.author") and the course
  belongs to the organisation they work in now: the active board's own module for its beheerder, the active
  aanbieder's module for its assessors. Services check it again on the locked row.
- "learning.suggest_course" (object: a Course): a leidinggevende ("learning.suggest") suggesting a module their
  board's people may take; the service checks the module and the person themselves.
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


def _authors_course(actor: Any, course: Any) -> bool:
    if not isinstance(actor, Actor) or not actor.has_permission(roles.AUTHOR_COURSES) or course is None:
        return False
    if actor.board_id is not None:
        return bool(course.board_id == actor.board_id)
    if actor.provider_id is not None:
        return bool(course.provider_id == actor.provider_id)
    return False


def _suggests(actor: Any, course: Any) -> bool:
    return isinstance(actor, Actor) and actor.board_id is not None and actor.has_permission(roles.VIEW_TEAM)


# rules' decorator is untyped: the predicates are made by calling it (mypy strict on this module).
authors_course = rules.predicate(_authors_course)
suggests = rules.predicate(_suggests)

rules.add_rule("learning.author_course", authors_course)
rules.add_rule("learning.suggest_course", suggests)
