"""Test and benchmark helper: a signed-in client as if the person passed password and second factor."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.test import Client

from bekwaam.accounts.models import Person


def sign_in(client: Client, person: Person, *, second_factor: bool = True) -> Client:
    """force_login, plus the session records allauth writes for a password (and TOTP) sign-in.

    RequireMfaMiddleware lets a role that sees others' data in only when the session passed the
    second factor; a bare force_login would (rightly) be signed out.
    """
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    records: list[dict[str, Any]] = [{"method": "password", "at": now, "email": person.email}]
    if second_factor:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(person.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()
    return client
