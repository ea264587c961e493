"""E-mails, calendar invitations and reminders of the conversation workflow.

Tasks run at enqueue (ImmediateBackend), enqueued on commit: the tests run the commit callbacks with
django_capture_on_commit_callbacks(execute=True). E-mails are checked in Dutch (the default) with
their plain-text part, the .ics attachments parsed with the icalendar library.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.management import call_command
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from bekwaam.conversations.models import Conversation, ConversationKind, ConversationState, Verdict
from bekwaam.conversations.reminders import conversations_upcoming_remind, signatures_pending_remind
from bekwaam.conversations.services import conversations as services
from bekwaam.conversations.tests.factories_conversations import addendum_build, conversation_build, forms_build
from bekwaam.notifications.models import NotificationPreference, ReminderSent
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def actor_of(person: Any, board: Any) -> Any:
    return actor_for(person, f"board:{board.pk}")


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=AMSTERDAM)


def dutch(msgid: str, **params: Any) -> str:
    """The Dutch text of a msgid (the msgid itself until the translation exists)."""
    with translation.override("nl"):
        text = gettext(msgid)
    return text % params if params else text


def kind_nl(kind: str = ConversationKind.DEVELOPMENT) -> str:
    with translation.override("nl"):
        return str(ConversationKind(kind).label)


def calendar_of(message: Any) -> icalendar.Calendar:
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_filename().endswith(".ics")
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def calendar_method_of(message: Any) -> str:
    [part] = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    return str(part.get_param("method"))


def event_of(calendar: icalendar.Calendar) -> Any:
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


def parts_of(message: Any) -> tuple[str, str]:
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1
    return message.body, html[0]


def plan(world: Any, captured: Any, **extra: Any) -> Conversation:
    forms_build(world.board_a)
    with captured(execute=True):
        return services.conversation_plan(
            actor=actor_of(world.manager, world.board_a),
            employment=Employment.objects.get(person=world.teacher),
            kind=ConversationKind.DEVELOPMENT,
            scheduled_at=extra.pop(
                "scheduled_at", (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
            ),
            location=extra.pop("location", "Kamer 12"),
            **extra,
        )


# --- invitations and .ics ---------------------------------------------------------------------------


def test_it_invites_both_in_dutch_with_a_plain_text_part_and_an_ics(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = plan(world, django_capture_on_commit_callbacks, online_url="https://meet.example.org/x")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.teacher.email, world.manager.email])
    to_teacher = next(m for m in mailoutbox if m.to == [world.teacher.email])
    with translation.override("nl"):
        day = dateformat.format(timezone.localtime(conversation.scheduled_at), "j F")
        weekday = dateformat.format(timezone.localtime(conversation.scheduled_at), "l")
    assert to_teacher.subject == dutch("Invitation: %(kind)s on %(date)s", kind=kind_nl(), date=day)
    text, html = parts_of(to_teacher)
    assert dutch("Hello %(name)s,", name="Tom") in text
    assert weekday in text and weekday in html  # the date is written in Dutch: "woensdag", not "Wednesday"
    assert "Mira Leider" in text
    assert "Kamer 12" in text and "https://meet.example.org/x" in text
    assert "<html" in html and "Kamer 12" in html
    assert "&amp;" not in text
    event = event_of(calendar_of(to_teacher))
    calendar = calendar_of(to_teacher)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(f"{conversation.pk}@")
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == conversation.scheduled_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=60)
    assert str(event["LOCATION"]) == "Kamer 12"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == sorted([f"mailto:{world.teacher.email}", f"mailto:{world.manager.email}"])


def test_it_writes_in_the_recipients_language(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.teacher.language = "en"
    world.teacher.save()
    plan(world, django_capture_on_commit_callbacks)
    to_teacher = next(m for m in mailoutbox if m.to == [world.teacher.email])
    to_manager = next(m for m in mailoutbox if m.to == [world.manager.email])
    assert to_teacher.subject.startswith("Invitation: Development conversation")
    assert "Hello Tom," in to_teacher.body
    assert dutch("Hello %(name)s,", name="Mira") in to_manager.body
    local = timezone.localtime(Conversation.objects.get().scheduled_at)
    with translation.override("en"):
        assert dateformat.format(local, "l") in to_teacher.body  # English weekday
    with translation.override("nl"):
        assert dateformat.format(local, "l") in to_manager.body  # Dutch weekday
    assert "Development conversation" in str(event_of(calendar_of(to_teacher))["SUMMARY"])


def test_it_moves_and_cancels_the_same_calendar_event(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = plan(world, django_capture_on_commit_callbacks)
    boss = actor_of(world.manager, world.board_a)
    uid = str(event_of(calendar_of(mailoutbox[0]))["UID"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_reschedule(
            actor=boss,
            conversation=conversation,
            scheduled_at=timezone.now() + datetime.timedelta(days=20),
            duration_minutes=30,
            location="",
            online_url="https://meet.example.org/y",
        )
    assert len(mailoutbox) == 2
    moved = calendar_of(mailoutbox[0])
    assert str(moved["METHOD"]) == "REQUEST"
    assert (str(event_of(moved)["UID"]), int(event_of(moved)["SEQUENCE"])) == (uid, 1)
    assert str(event_of(moved)["LOCATION"]) == "https://meet.example.org/y"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_cancel(actor=boss, conversation=conversation)
    assert len(mailoutbox) == 2
    cancelled = calendar_of(mailoutbox[0])
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert (str(event_of(cancelled)["UID"]), int(event_of(cancelled)["SEQUENCE"])) == (uid, 2)
    assert str(event_of(cancelled)["STATUS"]) == "CANCELLED"
    assert calendar_method_of(mailoutbox[0]) == "CANCEL"


def test_it_sends_no_update_to_someone_who_turned_updates_off(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationPreference.objects.create(person=world.teacher, updates=False)
    plan(world, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[world.manager.email]]


def test_it_tells_each_side_when_it_is_their_turn(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = conversation_build(world, ConversationState.REPORTING)
    boss, worker = actor_of(world.manager, world.board_a), actor_of(world.teacher, world.board_a)
    kind = kind_nl().lower()
    ready = dutch("The report of your %(kind)s is ready to sign", kind=kind)
    steps = [
        (lambda: services.report_submit(actor=boss, conversation=conversation), world.teacher, ready),
        (
            lambda: services.report_reopen(actor=boss, conversation=conversation),
            world.teacher,
            dutch("The report of your %(kind)s has been taken back", kind=kind),
        ),
        (lambda: services.report_submit(actor=boss, conversation=conversation), world.teacher, ready),
        (
            lambda: services.report_employee_sign(actor=worker, conversation=conversation, verdict=Verdict.AGREED),
            world.manager,
            dutch("%(other)s has signed the report", other="Tom Leraar"),
        ),
        (
            lambda: services.report_manager_sign(actor=boss, conversation=conversation),
            world.teacher,
            dutch("The report of your %(kind)s is final", kind=kind),
        ),
    ]
    for step, recipient, subject in steps:
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert [m.to for m in mailoutbox] == [[recipient.email]]
        assert mailoutbox[0].subject == subject
        text, html = parts_of(mailoutbox[0])
        assert f"/conversations/{conversation.pk}/" in text and f"/conversations/{conversation.pk}/" in html

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        addendum = services.addendum_create(actor=boss, conversation=conversation, body="Correctie")
    assert [m.to for m in mailoutbox] == [[world.teacher.email]]
    addendum.conversation = conversation
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.addendum_employee_sign(actor=worker, addendum=addendum, verdict=Verdict.SEEN)
    assert [m.to for m in mailoutbox] == [[world.manager.email]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.addendum_manager_sign(actor=boss, addendum=addendum)
    assert [m.to for m in mailoutbox] == [[world.teacher.email]]


def test_it_sends_nothing_when_a_step_is_refused(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    from bekwaam.lib.states import TransitionRefusedError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefusedError):
        services.report_submit(actor=actor_of(world.manager, world.board_a), conversation=conversation)
    assert mailoutbox == []


# --- reminders ----------------------------------------------------------------------------------------

MONDAY = datetime.date(2031, 3, 3)


def test_it_reminds_both_before_the_conversation_once(world: Any, mailoutbox: Any, settings: Any) -> None:
    settings.CONVERSATION_REMINDER_DAYS = 2
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=14)), tick=False):
        conversation = conversation_build(world)
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=3), 10))
    with time_machine.travel(at(MONDAY), tick=False):
        assert conversations_upcoming_remind(MONDAY) == 0  # three days ahead: not yet
    tuesday = MONDAY + datetime.timedelta(days=1)
    with time_machine.travel(at(tuesday), tick=False):
        assert conversations_upcoming_remind(tuesday) == 2
        assert conversations_upcoming_remind(tuesday) == 0  # a second run the same day
    wednesday = tuesday + datetime.timedelta(days=1)
    with time_machine.travel(at(wednesday), tick=False):
        assert conversations_upcoming_remind(wednesday) == 0  # the next day: sent already
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.teacher.email, world.manager.email])
    assert all(
        m.subject.startswith(dutch("Reminder: %(kind)s on %(date)s", kind=kind_nl(), date="")) for m in mailoutbox
    )
    assert all(parts_of(m)[0] for m in mailoutbox)


def test_it_reminds_again_for_the_new_date_of_a_moved_conversation(world: Any, mailoutbox: Any) -> None:
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=14)), tick=False):
        conversation = conversation_build(world)
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=1), 10))
    with time_machine.travel(at(MONDAY), tick=False):
        assert conversations_upcoming_remind(MONDAY) == 2
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=8), 10))
    later = MONDAY + datetime.timedelta(days=7)
    with time_machine.travel(at(later), tick=False):
        assert conversations_upcoming_remind(later) == 2


def test_it_sends_no_reminder_for_a_conversation_planned_just_now_or_cancelled(world: Any, mailoutbox: Any) -> None:
    with time_machine.travel(at(MONDAY), tick=False):
        fresh = conversation_build(world)
        Conversation.objects.filter(pk=fresh.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=1), 10))
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=14)), tick=False):
        cancelled = conversation_build(world, ConversationState.CANCELLED, employee=world.colleague)
    Conversation.objects.filter(pk=cancelled.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=1), 10))
    with time_machine.travel(at(MONDAY), tick=False):
        assert conversations_upcoming_remind(MONDAY) == 0
    assert mailoutbox == []


def test_it_respects_the_reminder_preference(world: Any, mailoutbox: Any) -> None:
    NotificationPreference.objects.create(person=world.manager, reminders=False)
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=14)), tick=False):
        conversation = conversation_build(world)
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=1), 10))
    with time_machine.travel(at(MONDAY), tick=False):
        assert conversations_upcoming_remind(MONDAY) == 1
    assert [m.to for m in mailoutbox] == [[world.teacher.email]]


def test_it_reminds_of_a_pending_signature_once_per_pending_state(
    world: Any, mailoutbox: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SIGNATURE_REMINDER_DAYS = 7
    with time_machine.travel(at(MONDAY), tick=False):
        conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    for days in (1, 6):
        day = MONDAY + datetime.timedelta(days=days)
        with time_machine.travel(at(day), tick=False):
            assert signatures_pending_remind(day) == 0
    week = MONDAY + datetime.timedelta(days=7)
    with time_machine.travel(at(week), tick=False):
        assert signatures_pending_remind(week) == 1
        assert signatures_pending_remind(week) == 0
    assert [m.to for m in mailoutbox] == [[world.teacher.email]]
    assert mailoutbox[0].subject == dutch("Reminder: a report waits for your signature")
    for days in (8, 15):
        day = MONDAY + datetime.timedelta(days=days)
        with time_machine.travel(at(day), tick=False):
            assert signatures_pending_remind(day) == 0

    # The employee signs; a week later the manager is reminded, once.
    mailoutbox.clear()
    signed_on = MONDAY + datetime.timedelta(days=16)
    with time_machine.travel(at(signed_on), tick=False):
        services.report_employee_sign(
            actor=actor_of(world.teacher, world.board_a), conversation=conversation, verdict=Verdict.AGREED
        )
    mailoutbox.clear()
    for days, sent in ((22, 0), (23, 1), (24, 0)):
        day = MONDAY + datetime.timedelta(days=days)
        with time_machine.travel(at(day), tick=False):
            assert signatures_pending_remind(day) == sent, days
    assert [m.to for m in mailoutbox] == [[world.manager.email]]


def test_it_reminds_of_a_pending_addendum_signature(world: Any, mailoutbox: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    with time_machine.travel(at(MONDAY), tick=False):
        addendum_build(conversation)
    week = MONDAY + datetime.timedelta(days=7)
    with time_machine.travel(at(week), tick=False):
        assert signatures_pending_remind(week) == 1
        assert signatures_pending_remind(week) == 0
    assert [m.to for m in mailoutbox] == [[world.teacher.email]]
    assert mailoutbox[0].subject == dutch("Reminder: an addendum waits for your signature")


def test_it_runs_from_the_daily_command_without_sending_twice(world: Any, mailoutbox: Any) -> None:
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=14)), tick=False):
        conversation = conversation_build(world)
        waiting = conversation_build(world, ConversationState.WITH_EMPLOYEE, employee=world.colleague)
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=at(MONDAY + datetime.timedelta(days=1), 10))
    assert waiting.report_submitted_at is not None
    with time_machine.travel(at(MONDAY), tick=False):
        call_command("send_reminders", stdout=None)
        first = len(mailoutbox)
        call_command("send_reminders", stdout=None)
    assert first == 3  # both sides of the coming conversation, and the colleague's pending signature
    assert len(mailoutbox) == first
    assert ReminderSent.objects.count() == 3
