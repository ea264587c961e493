"""manage.py seed_demo: the fictional demo board with a login for every role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bekwaam.tenancy.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo


class Command(BaseCommand):
    help = "Create the demo board (idempotent). Refuses to run with production settings."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.BEKWAAM_ENV == "production" and not settings.DEBUG:
            raise CommandError("seed_demo never runs in production (set DEBUG=1 or BEKWAAM_ENV=development).")
        logins = seed_demo()
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Bekwaam demo logins (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        self.stdout.write("-" * (width + 40))
        for login in logins:
            mark = "  [tweestapsverificatie]" if login.mfa else ""
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role}{mark}")
        self.stdout.write("")
        self.stdout.write(
            f"Tweestapsverificatie: voeg de sleutel {DEMO_TOTP_SECRET} toe aan een authenticator-app,\n"
            "of vraag de actuele code op met:  .venv/bin/python manage.py demo_totp"
        )
