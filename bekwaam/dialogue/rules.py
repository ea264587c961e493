"""Who may see and do what in the team dialogue. The `user` argument is an Actor.

Page rule: "dialogue.use" (staff of a school, schoolleiders, the board's quality viewers). On a School:
"dialogue.start" (staff employed there, its schoolleiders) and "dialogue.view_shared" (also the board's
quality viewers). On a TeamSession: view, capture, add_afterwards, adopt, to_plan, to_pop, and
view_statements; each reads selectors.session_access (one place decides).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from bekwaam.dialogue.models import TeamSession
from bekwaam.dialogue.selectors import SessionAccess, may_see_school_view, may_start, may_use, session_access
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School


@rules.predicate
def uses_dialogue(actor: Actor) -> bool:
    return isinstance(actor, Actor) and may_use(actor)


@rules.predicate
def starts_at(actor: Actor, school: Any) -> bool:
    return isinstance(actor, Actor) and isinstance(school, School) and may_start(actor, school)


@rules.predicate
def sees_shared_view(actor: Actor, school: Any) -> bool:
    return isinstance(actor, Actor) and isinstance(school, School) and may_see_school_view(actor, school)


def _access(right: Callable[[SessionAccess], bool]) -> Any:
    @rules.predicate
    def has_right(actor: Actor, session: Any) -> bool:
        return isinstance(actor, Actor) and isinstance(session, TeamSession) and right(session_access(actor, session))

    return has_right


rules.add_rule("dialogue.use", uses_dialogue)
rules.add_rule("dialogue.start", starts_at)
rules.add_rule("dialogue.view_shared", sees_shared_view)
rules.add_rule("dialogue.view", _access(lambda access: access.read))
rules.add_rule("dialogue.view_statements", _access(lambda access: access.statements))
rules.add_rule("dialogue.capture", _access(lambda access: access.capture))
rules.add_rule("dialogue.add_afterwards", _access(lambda access: access.add_afterwards))
rules.add_rule("dialogue.adopt", _access(lambda access: access.adopt))
rules.add_rule("dialogue.to_plan", _access(lambda access: access.to_plan))
rules.add_rule("dialogue.to_pop", _access(lambda access: access.to_pop))
