"""Writes of 360° feedback, one module per part: rounds (the owner's), answers (the invitees'), sharing.

The shared piece lives here: `round_state_move`, the only writer of a round's `state` (ROUND_MACHINE),
which writes the history row (FeedbackEvent, the round's audit trail) in the caller's transaction.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.feedback.models import ROUND_MACHINE, FeedbackEvent, FeedbackRound


def round_state_move(
    *, round_: FeedbackRound, action: str, by: Person | None, update_fields: tuple[str, ...] = ()
) -> str:
    """Move a round locked by the caller (select_for_update, inside its transaction) and record the event.

    `by` is None for the daily run that closes rounds past their date. Raises TransitionRefusedError when
    ROUND_MACHINE does not allow the action in the round's current state.
    """
    before = round_.state
    after = ROUND_MACHINE.move(before, action)
    round_.state = after
    round_.save(update_fields=["state", *update_fields])
    FeedbackEvent.objects.create(
        board_id=round_.board_id, round=round_, action=action, from_state=before, to_state=after, actor=by
    )
    return after


def invitation_expiry(closes_on: datetime.date) -> datetime.datetime:
    """A link works until the end of the round's last day (midnight after it, in the site's time zone)."""
    return timezone.make_aware(datetime.datetime.combine(closes_on + datetime.timedelta(days=1), datetime.time.min))
