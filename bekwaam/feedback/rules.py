"""Who may do what with 360° feedback. The `user` argument is an Actor; objects are FeedbackRounds.

"feedback.start": anyone with a dossier of their own starts rounds and sees their list. "feedback.manage_round":
only the round's owner (and only while they have a dossier at the board). "feedback.view_report": the owner,
or someone a share of the closed round reaches now (feedback.selectors.report_right_for decides).
"""

from __future__ import annotations

from typing import Any

import rules

from bekwaam.feedback.models import FeedbackRound
from bekwaam.feedback.selectors import OWNER, report_right_for
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor


@rules.predicate
def has_own_dossier(actor: Actor) -> bool:
    return isinstance(actor, Actor) and actor.has_permission(roles.VIEW_DOSSIER)


@rules.predicate
def owns_round(actor: Actor, round_: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(round_, FeedbackRound)
        and actor.has_permission(roles.VIEW_DOSSIER)
        and report_right_for(actor=actor, round_=round_) == OWNER
    )


@rules.predicate
def may_read_report(actor: Actor, round_: Any) -> bool:
    return (
        isinstance(actor, Actor)
        and isinstance(round_, FeedbackRound)
        and report_right_for(actor=actor, round_=round_) is not None
    )


rules.add_rule("feedback.start", has_own_dossier)
rules.add_rule("feedback.manage_round", owns_round)
rules.add_rule("feedback.view_report", may_read_report)
