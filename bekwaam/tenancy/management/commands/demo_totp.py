"""manage.py demo_totp: the current six-digit code of the demo accounts (development only)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bekwaam.tenancy.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current TOTP code shared by the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.BEKWAAM_ENV == "production" and not settings.DEBUG:
            raise CommandError("demo_totp is for the demo only.")
        counter = next(iter(yield_hotp_counters_from_time()))
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
