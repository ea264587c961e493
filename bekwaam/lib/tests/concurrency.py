"""Helpers for tests that race two requests at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation
from django_scopes import scopes_disabled


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")


def at_the_same_moment(*steps: Callable[[], object]) -> list[str]:
    """Run the steps in threads released together; each outcome is "ok" or the refusal's message."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []

    def run(step: Callable[[], object]) -> None:
        # A thread starts without the test's context: no disabled scope, no language override.
        with scopes_disabled(), translation.override("en"):
            try:
                barrier.wait()
                step()
                outcomes.append("ok")
            except ValidationError as error:
                outcomes.append(error.messages[0])
            except Exception as error:
                outcomes.append(repr(error))
            finally:
                connections.close_all()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
