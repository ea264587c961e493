"""Who may keep a register: a school leader, their own periods and activities only.

Page rule "register.keep" (SCHOOL_LEADER: an active employment as schoolleider or directeur). Object rule
"register.change_period" on a RegistrationPeriod: its own person. Nobody else ever sees a period; the
selectors filter on the person, so another person's period is not found (404).
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.register.models import RegistrationPeriod
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


@rules.predicate
def keeps_register(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(roles.KEEP_REGISTER)


@rules.predicate
def owns_period(actor: Actor, period: Any) -> bool:
    return isinstance(period, RegistrationPeriod) and period.person_id == actor.person.pk


rules.add_rule("register.keep", keeps_register)
rules.add_rule("register.change_period", keeps_register & owns_period)
