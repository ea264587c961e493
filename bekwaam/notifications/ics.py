"""Calendar invitations (RFC 5545) with the icalendar library, as Outlook, Google and Apple expect them.

One event per conversation: the UID stays the same for its whole life and SEQUENCE grows with every
change, so a moved conversation updates the event in the calendar instead of adding a second one, and a
cancellation (METHOD:CANCEL) removes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


def calendar_event(
    *,
    uid: str,
    sequence: int,
    start: datetime.datetime,
    end: datetime.datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    organizer: Attendee,
    attendees: Sequence[Attendee] = (),
    cancel: bool = False,
) -> bytes:
    """The .ics bytes of one event: METHOD:REQUEST to invite or update, METHOD:CANCEL to call it off."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bekwaam//Gesprekscyclus//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "bekwaam.invalid"
    event.add("uid", f"{uid}@{domain}")
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", start.astimezone(datetime.UTC))
    event.add("dtend", end.astimezone(datetime.UTC))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer_address = icalendar.vCalAddress(f"mailto:{organizer.email}")
    organizer_address.params["cn"] = icalendar.vText(organizer.name)
    event.add("organizer", organizer_address)
    for attendee in attendees:
        address = icalendar.vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = icalendar.vText(attendee.name)
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        address.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", address, encode=False)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
