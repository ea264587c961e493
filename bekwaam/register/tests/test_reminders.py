"""Reminders at 12, 6 and 3 months before a period ends, when it is short: once per milestone, in the daily run."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from bekwaam.notifications.models import NotificationPreference
from bekwaam.notifications.reminders import REMINDERS
from bekwaam.register.models import RegisterReminder
from bekwaam.register.reminders import register_short_remind
from bekwaam.register.tests.factories import activity_build, period_build, second_leader

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2021, 9, 1)  # ends 31 August 2026: milestones 1 September 2025, 1 March 2026, 1 June 2026


@pytest.fixture
def period(world: Any) -> Any:
    period = period_build(person=world.manager, start=START)
    activity_build(period=period, points=40, on=D(2022, 1, 10))
    return period


def test_it_is_registered_with_the_daily_run() -> None:
    assert register_short_remind in REMINDERS


def test_it_reminds_once_at_a_milestone_when_short(world: Any, period: Any) -> None:
    assert register_short_remind(D(2025, 8, 31)) == 0  # not yet
    assert register_short_remind(D(2025, 9, 1)) == 1
    assert register_short_remind(D(2025, 9, 1)) == 0  # the same day again
    assert register_short_remind(D(2025, 10, 15)) == 0  # the next days: the same milestone
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.manager.email]
    assert "60" in message.subject  # the points still missing, in the recipient's language
    assert "/register/" in message.body
    reminder = RegisterReminder.objects.get()
    assert (reminder.period, reminder.months_before, reminder.points_then, reminder.board) == (
        period,
        12,
        40,
        world.board_a,
    )


def test_each_milestone_sends_its_own_reminder(period: Any) -> None:
    for day in (D(2025, 9, 2), D(2026, 3, 1), D(2026, 6, 1), D(2026, 8, 31), D(2026, 9, 1)):
        register_short_remind(day)
    assert sorted(RegisterReminder.objects.values_list("months_before", flat=True)) == [3, 6, 12]
    assert len(mail.outbox) == 3


def test_it_sends_nothing_when_the_period_has_enough(period: Any) -> None:
    activity_build(period=period, points=60, title="Nog een leergang", on=D(2023, 3, 1))
    assert register_short_remind(D(2025, 9, 1)) == 0
    assert not RegisterReminder.objects.exists()
    assert mail.outbox == []


def test_a_period_entered_late_gets_only_the_nearest_milestone(world: Any) -> None:
    period_build(person=world.manager, start=START)
    assert register_short_remind(D(2026, 7, 1)) == 1
    assert list(RegisterReminder.objects.values_list("months_before", flat=True)) == [3]


def test_it_respects_who_wants_no_reminders(world: Any, period: Any) -> None:
    NotificationPreference.objects.create(person=world.manager, reminders=False)
    assert register_short_remind(D(2025, 9, 1)) == 0
    assert not RegisterReminder.objects.exists()


def test_it_follows_the_months_in_the_settings(period: Any, settings: Any) -> None:
    settings.REGISTER_REMINDER_MONTHS = [1]
    assert register_short_remind(D(2025, 9, 1)) == 0
    assert register_short_remind(D(2026, 8, 1)) == 1
    assert RegisterReminder.objects.get().months_before == 1


def test_it_reminds_every_short_person_across_boards(world: Any, period: Any) -> None:
    other = second_leader(world)
    period_build(person=other, start=START)
    period_build(person=world.outsider, start=START, board=world.board_b)
    assert register_short_remind(D(2025, 9, 1)) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.manager.email, other.email, world.outsider.email])


def test_the_daily_command_sends_it_once(period: Any) -> None:
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert "register_short_remind: 1" in out.getvalue()
        again = StringIO()
        call_command("send_reminders", stdout=again)
        assert "register_short_remind: 0" in again.getvalue()
    assert RegisterReminder.objects.get().months_before == 6
