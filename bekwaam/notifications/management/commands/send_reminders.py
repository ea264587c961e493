"""Send today's reminders: run daily (cron, systemd timer). Safe to run more than once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from bekwaam.notifications.reminders import reminders_send


class Command(BaseCommand):
    help = "Send today's reminders (conversations, signatures, feedback rounds). Safe to repeat."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(timezone.localdate())
        for name, count in sent.items():
            self.stdout.write(f"{name}: {count}")
