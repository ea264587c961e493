"""Calendar invitations as calendar programs read them: parsed back with the icalendar library."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import override_settings

from bekwaam.notifications.ics import Attendee, calendar_event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime.datetime(2026, 3, 12, 15, 30, tzinfo=AMSTERDAM)


def event(**overrides: object) -> icalendar.Calendar:
    arguments: dict[str, object] = {
        "uid": "conversation-123",
        "sequence": 2,
        "start": START,
        "end": START + datetime.timedelta(hours=1),
        "summary": "Ontwikkelgesprek",
        "description": "Bereid je voor met het formulier.",
        "location": "Lokaal 4",
        "url": "https://bekwaam.example.nl/conversations/123/",
        "organizer": Attendee("Mira Leider", "directeur@alfa.nl"),
        "attendees": (Attendee("Tom Leraar", "leerkracht@alfa.nl"), Attendee("Mira Leider", "directeur@alfa.nl")),
    }
    arguments.update(overrides)
    return icalendar.Calendar.from_ical(calendar_event(**arguments))  # type: ignore[arg-type]


@override_settings(SITE_URL="https://bekwaam.example.nl:8443/pad/")
def test_it_writes_an_invitation_calendar_programs_accept() -> None:
    calendar = event()
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == "conversation-123@bekwaam.example.nl"
    assert vevent["SEQUENCE"] == 2
    assert vevent.decoded("DTSTART") == START
    assert vevent.decoded("DTEND") == START + datetime.timedelta(hours=1)
    assert vevent.decoded("DTSTART").utcoffset() == datetime.timedelta(0)  # written in UTC
    assert "DTSTAMP" in vevent
    assert str(vevent["SUMMARY"]) == "Ontwikkelgesprek"
    assert str(vevent["LOCATION"]) == "Lokaal 4"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:directeur@alfa.nl"
    assert organizer.params["CN"] == "Mira Leider"
    attendees = vevent["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:leerkracht@alfa.nl", "mailto:directeur@alfa.nl"]
    assert attendees[0].params["CN"] == "Tom Leraar"
    assert attendees[0].params["PARTSTAT"] == "NEEDS-ACTION"


def test_it_writes_a_cancellation_of_the_same_event() -> None:
    request = event()
    cancel = event(sequence=3, cancel=True)
    assert cancel["METHOD"] == "CANCEL"
    [before], [after] = request.walk("VEVENT"), cancel.walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == 3
    assert str(after["STATUS"]) == "CANCELLED"
    assert "ORGANIZER" in after and "ATTENDEE" in after


@pytest.mark.parametrize("field", ["DESCRIPTION", "LOCATION", "URL"])
def test_it_leaves_out_what_is_empty(field: str) -> None:
    [vevent] = event(description="", location="", url="").walk("VEVENT")
    assert field not in vevent


def test_it_keeps_text_with_commas_and_semicolons_intact() -> None:
    [vevent] = event(summary="Gesprek: Tom, Mira; kamer 2").walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Gesprek: Tom, Mira; kamer 2"
