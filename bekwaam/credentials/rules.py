"""Who may see and do what with certificates. The `user` argument is an Actor; object rules use role_of.

Page rule: "credentials.view_list" (an aanbieder's assessor: the certificates it issued). Object rules on a
Certificate: "credentials.view_certificate" (its holder, or an assessor of the issuing aanbieder) and
"credentials.revoke" (an assessor of the issuing aanbieder). Verification and the issuer's published keys
and status list are public and have no rule.
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.credentials.models import Certificate
from bekwaam.credentials.selectors import ASSESSOR, HOLDER, role_of
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


def _has(permission: str) -> Any:
    @rules.predicate
    def has_permission(actor: Actor) -> bool:
        return isinstance(actor, Actor) and actor.has_permission(permission)

    return has_permission


def _role_is(*wanted: str) -> Any:
    @rules.predicate
    def role_is(actor: Actor, certificate: Any) -> bool:
        return (
            isinstance(actor, Actor)
            and isinstance(certificate, Certificate)
            and role_of(actor=actor, certificate=certificate) in wanted
        )

    return role_is


rules.add_rule("credentials.view_list", _has(roles.ASSESS))
rules.add_rule("credentials.view_certificate", _role_is(HOLDER, ASSESSOR))
rules.add_rule("credentials.revoke", _role_is(ASSESSOR))
