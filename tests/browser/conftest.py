"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Every browser context a test opens reports console errors, CSP violations, uncaught page errors and
server errors (5xx); the test fails at teardown if any occurred that it did not expect.
"""

from __future__ import annotations

import os

# STACK-NOTES trap 4: Playwright's sync API keeps an event loop running in the test thread, so Django
# would refuse the test's own (synchronous) ORM calls. Tests only; production never sets this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa import app_settings as allauth_mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, Playwright, Response, expect

from bekwaam.accounts.testing import sign_in as session_sign_in

# Debian's chromium (STACK-NOTES trap 5); no `playwright install`.
CHROMIUM = Path(os.environ.get("BEKWAAM_CHROMIUM", "/usr/bin/chromium"))
TOTP_MARGIN_SECONDS = 5
# Generous waits: CI machines have two cores and run two test workers, each with a browser.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def _db_connections_closed_before_playwright() -> Iterator[None]:
    """Close the thread's database connections before Playwright starts its event loop, and after it stops.

    While Playwright's loop runs, asgiref sees this thread as async and gives Django a second set of
    connections (per context instead of per thread). A connection left open in the other set is never
    closed, and PostgreSQL then refuses to drop the test database ("being accessed by other users").
    Closing is a no-op for SQLite's in-memory test database.
    """
    connections.close_all()
    yield
    connections.close_all()


@pytest.fixture(scope="session")
def playwright(_db_connections_closed_before_playwright: None, playwright: Playwright) -> Iterator[Playwright]:
    yield playwright
    connections.close_all()  # the set used while the loop ran, before it stops


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: apt-get install chromium fonts-liberation (or set BEKWAAM_CHROMIUM)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    # Replaces pytest-playwright's own fallback fixture, which pytest 9 warns about (an error here).
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # The site's own default language is Dutch; a Dutch browser makes that explicit.
    return {**browser_context_args, "locale": "nl-NL"}


@dataclass
class BrowserErrors:
    """What went wrong in the browser while a test ran, except what the test said to expect."""

    errors: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)

    def expect(self, pattern: str) -> None:
        """Tolerate messages matching pattern, e.g. the console line for a deliberate 429 page."""
        self.expected.append(re.compile(pattern))

    def add(self, message: str) -> None:
        if not any(pattern.search(message) for pattern in self.expected):
            self.errors.append(message)

    def watch(self, context: BrowserContext) -> None:
        def on_console(message: ConsoleMessage) -> None:
            # Chromium reports a CSP violation as a console error ("… violates the following Content
            # Security Policy directive …"); report-only violations come as warnings and count too.
            if message.type == "error" or "Content Security Policy" in message.text:
                self.add(f"console {message.type} on {message.page.url if message.page else '?'}: {message.text}")

        def on_page_error(error: Error) -> None:
            self.add(f"uncaught error: {error.message}")

        def on_response(response: Response) -> None:
            if response.status >= 500:
                self.add(f"server error {response.status} for {response.request.method} {response.url}")

        context.on("console", on_console)
        context.on("weberror", lambda web_error: on_page_error(web_error.error))
        context.on("response", on_response)

    def assert_none(self) -> None:
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], browser_errors: BrowserErrors
) -> Iterator[Callable[..., BrowserContext]]:
    """pytest-playwright's new_context, with every context watched for browser errors."""

    def create(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        browser_errors.watch(context)
        return context

    yield create
    browser_errors.assert_none()


@pytest.fixture
def sign_in_as(new_context: Callable[..., BrowserContext], live_server: Any) -> Callable[[Any], Page]:
    """sign_in_as(person) → a page in a fresh context whose session is already signed in.

    For flows that are not about signing in; test_sign_in.py does it through the form.
    """

    def sign_in(person: Any) -> Page:
        client = Client()
        session_sign_in(client, person)
        context = new_context()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return context.new_page()

    return sign_in


def totp_code(secret: str) -> str:
    """The authenticator app's current code for this secret, with a few seconds left to type it.

    allauth accepts only the current 30-second window (MFA_TOTP_TOLERANCE 0): a code computed just
    before the window turns would be refused by the time the form arrives on a busy machine.
    """
    period = allauth_mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.1)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def submit(page: Page) -> None:
    """Press the main form's submit button (the header has language and sign-out buttons too)."""
    page.locator("main form button[type=submit]:not([form])").first.click()
