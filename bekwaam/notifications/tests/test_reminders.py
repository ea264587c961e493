"""The daily reminder run: each reminder goes out once, however often the run is repeated."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from bekwaam.notifications import reminders
from bekwaam.notifications.models import ReminderSent
from bekwaam.notifications.tasks import reminders_run

pytestmark = pytest.mark.django_db


def test_it_claims_a_reminder_once() -> None:
    assert reminders.reminder_claim("conversation:1:before:2026-03-10")
    assert not reminders.reminder_claim("conversation:1:before:2026-03-10")
    assert reminders.reminder_claim("conversation:1:before:2026-03-11")
    assert ReminderSent.objects.count() == 2


def test_it_cuts_a_long_key_to_what_fits() -> None:
    key = "x" * 300
    assert reminders.reminder_claim(key)
    assert not reminders.reminder_claim(key)
    assert ReminderSent.objects.get().key == "x" * 200


@pytest.fixture
def one_reminder(monkeypatch: Any) -> list[datetime.date]:
    """Only a test reminder is registered: it sends one mail per day, claimed by date."""
    days: list[datetime.date] = []

    def test_reminder(today: datetime.date) -> int:
        days.append(today)
        return int(reminders.reminder_claim(f"test:{today.isoformat()}"))

    monkeypatch.setattr(reminders, "REMINDERS", [test_reminder])
    return days


def test_it_runs_the_command_and_sends_nothing_twice(one_reminder: list[datetime.date]) -> None:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip().endswith("test_reminder: 1")
    again = StringIO()
    call_command("send_reminders", stdout=again)
    assert again.getvalue().strip().endswith("test_reminder: 0")
    assert len(one_reminder) == 2


def test_it_runs_the_task_too(one_reminder: list[datetime.date]) -> None:
    result = reminders_run.enqueue()
    assert list(result.return_value.values()) == [1]


def test_it_runs_every_registered_reminder_of_the_apps() -> None:
    # The apps register theirs when they load; the run calls each and counts what it sent.
    out = StringIO()
    call_command("send_reminders", stdout=out)
    names = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert names == [f"{f.__module__}.{f.__name__}" for f in reminders.REMINDERS]
