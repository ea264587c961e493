"""Background work of the notifications app."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from bekwaam.notifications.reminders import reminders_send


@task()
def reminders_run() -> dict[str, int]:
    """Send today's reminders (idempotent: a reminder already sent today is not sent again)."""
    return reminders_send(timezone.localdate())
