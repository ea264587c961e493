"""Feedback tests read English pages: the messages are asserted in the language of their msgids."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _english_pages(client: Any) -> None:
    """The language switch's cookie on the test client (client_for signs in on the same client)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
