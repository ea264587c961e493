"""The daily reminder run: each app registers a function that sends what is due today, once.

`manage.py send_reminders` (run it daily from cron or a systemd timer, docs/operations.md) and the task
`reminders_run` call every registered function. Each function claims a key per reminder with
`reminder_claim` before sending, so running twice on a day sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction

from bekwaam.notifications.models import ReminderSent

Reminder = Callable[[datetime.date], int]
REMINDERS: list[Reminder] = []


def reminder(function: Reminder) -> Reminder:
    """Register a function(today) → number of e-mails sent."""
    REMINDERS.append(function)
    return function


def reminder_claim(key: str) -> bool:
    """True the first time a key is claimed; False when that reminder went out already."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def reminders_send(today: datetime.date) -> dict[str, int]:
    """Run every registered reminder for `today`; the count sent per function."""
    return {f"{function.__module__}.{function.__name__}": function(today) for function in REMINDERS}
