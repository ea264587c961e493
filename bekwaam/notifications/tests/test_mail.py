"""Sending one e-mail: a plain-text part always, HTML when there is a template, the .ics with its method,
the person's preference, and a refused address recorded as a bounce."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from bekwaam.notifications.mail import DeliveryFailedError, bounced_since, email_send, wants
from bekwaam.notifications.models import Bounce, Category, NotificationPreference
from bekwaam.tenancy.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TEST_TEMPLATES = Path(__file__).parent / "templates"
CALENDAR = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def _test_templates() -> Iterator[None]:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEST_TEMPLATES]
    with override_settings(TEMPLATES=templates):
        yield


def test_it_sends_a_plain_text_part_and_the_html_alternative(mailoutbox: Any) -> None:
    email_send(to="tom@alfa.nl", language="nl", template="notifications_test/greeting", context={"name": "Tom"})
    [message] = mailoutbox
    assert message.subject == "Hallo Tom"
    assert message.to == ["tom@alfa.nl"]
    assert "Dag Tom," in message.body
    assert settings.SITE_URL.rstrip("/") in message.body
    assert message.alternatives == [("<p>Dag <strong>Tom</strong>,</p>\n", "text/html")]


def test_it_sends_plain_text_only_when_there_is_no_html_template(mailoutbox: Any) -> None:
    email_send(to="tom@alfa.nl", language="en", template="notifications_test/plain", context={"name": "Tom"})
    [message] = mailoutbox
    assert message.body == "Gewoon tekst voor Tom.\n"
    assert message.alternatives == []
    assert message.attachments == []


@pytest.mark.parametrize(("cancel", "method"), [(False, "REQUEST"), (True, "CANCEL")])
def test_it_attaches_the_calendar_invitation_with_its_method(mailoutbox: Any, cancel: bool, method: str) -> None:
    email_send(
        to="tom@alfa.nl",
        language="nl",
        template="notifications_test/plain",
        context={"name": "Tom"},
        calendar=CALENDAR,
        cancel=cancel,
    )
    [message] = mailoutbox
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert [part.get_param("method") for part in parts] == [method]
    [part] = parts
    assert part.get_filename() == "uitnodiging.ics"
    assert part.get_content_charset() == "utf-8"
    # One charset parameter, not two (calendar programs differ in which one they read).
    assert part["Content-Type"].count("charset") == 1
    assert part.get_payload(decode=True) == CALENDAR


def test_it_records_a_refused_address_as_a_bounce(mailoutbox: Any) -> None:
    before = timezone.now() - datetime.timedelta(seconds=1)
    with (
        override_settings(EMAIL_BACKEND="bekwaam.notifications.tests.backends.RefusingBackend"),
        pytest.raises(DeliveryFailedError, match="User unknown"),
    ):
        email_send(to="Weg@Nergens.nl", language="nl", template="notifications_test/plain", context={"name": "X"})
    bounce = Bounce.objects.get()
    assert bounce.email == "weg@nergens.nl"
    assert "550" in bounce.reason
    assert bounced_since(email="WEG@nergens.nl", since=before) == bounce
    assert bounced_since(email="weg@nergens.nl", since=timezone.now() + datetime.timedelta(seconds=1)) is None
    assert bounced_since(email="weg@nergens.nl", since=None) is None
    assert mailoutbox == []


def test_it_sends_what_a_person_wants() -> None:
    person = PersonFactory()
    # No preference row: everything.
    assert all(wants(person_id=person.pk, category=category) for category in Category.values)
    NotificationPreference.objects.create(person=person, updates=False, reminders=True)
    assert not wants(person_id=person.pk, category=Category.UPDATES)
    assert wants(person_id=person.pk, category=Category.REMINDERS)
    NotificationPreference.objects.filter(person=person).update(updates=True, reminders=False)
    assert wants(person_id=person.pk, category=Category.UPDATES)
    assert not wants(person_id=person.pk, category=Category.REMINDERS)
    NotificationPreference.objects.filter(person=person).update(updates=False, reminders=False)
    # Essential mail always goes.
    assert wants(person_id=person.pk, category=Category.ESSENTIAL)
