"""A mail backend for tests: the server refuses every recipient, as a hard bounce at sending time does."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        refused = {to: (550, b"5.1.1 User unknown") for message in email_messages for to in message.recipients()}
        raise smtplib.SMTPRecipientsRefused(refused)
