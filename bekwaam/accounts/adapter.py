"""allauth adapter: no self sign-up (people come in by invitation or import), and a first MFA setup
right after signing in without being asked for the password a second time."""

from __future__ import annotations

import datetime
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Re-authentication protects changing an existing second factor. Setting up the first one,
        which Bekwaam demands right after sign-in, needs only that sign-in to be recent."""
        request = context.request
        if app == "allauth.mfa" and request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            signed_in_at = max((float(record.get("at", 0)) for record in records), default=0.0)
            recent = time.time() - signed_in_at < account_settings.REAUTHENTICATION_TIMEOUT
            # First setup: no second factor older than this sign-in (the TOTP set up a moment ago
            # counts as part of it, so its recovery codes show without another password prompt).
            older = Authenticator.objects.filter(
                user=request.user, created_at__lt=datetime.datetime.fromtimestamp(signed_in_at, tz=datetime.UTC)
            )
            if recent and not older.exists():
                return False
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        return required
