"""The daily run of 360° feedback (registered with notifications.reminders).

1. Rounds whose closing date has passed are closed (the owner is told their report is ready).
2. Invitees who have not answered get one reminder, REMINDER_DAYS before the closing date, with a new
   link (only the hash of a link is stored, so a reminder cannot repeat the old one; the old link stops
   working, a saved draft stays). Claimed per invitation with `reminder_claim`, so a second run on the
   same day, or the next day, sends it no second time; a run missed for a day or two still sends it.
"""

from __future__ import annotations

import datetime

from django_scopes import scopes_disabled

from bekwaam.feedback.models import FeedbackInvitation, RoundState
from bekwaam.feedback.services.rounds import rounds_close_due
from bekwaam.feedback.tasks import invitation_send
from bekwaam.notifications.reminders import reminder, reminder_claim

REMINDER_DAYS = 3


@reminder
def feedback_daily(today: datetime.date) -> int:
    """Close rounds past their date; remind who has not answered, once; the number of reminders queued."""
    rounds_close_due(today=today)
    with scopes_disabled():
        # Every board at once: the daily run has no request and no board (each send opens its own scope).
        due = list(
            FeedbackInvitation.objects.filter(
                round__state=RoundState.OPEN,
                round__closes_on__gte=today,
                round__closes_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
                sent_at__date__lt=today,
            )
            .exclude(response__submitted_at__isnull=False)
            .values_list("pk", "board_id")
        )
    sent = 0
    for invitation_id, board_id in due:
        if not reminder_claim(f"feedback-reminder:{invitation_id}"):
            continue
        invitation_send.enqueue(invitation_id=str(invitation_id), board_id=board_id, reminder=True)
        sent += 1
    return sent
