"""E-mails of the gesprekscyclus, sent by the task worker in each recipient's language (Dutch by default).

Every message has a plain-text and an HTML part (templates/conversations/email/). Invitations carry the
conversation's calendar event (.ics): the UID is the conversation's id for its whole life and SEQUENCE
grows with each change, so a moved conversation updates the calendar entry and a cancelled one removes it.
All of these are "updates" (notifications.Category): a person who turned updates off gets none of them.
Tasks are safe to retry: they read the conversation afresh and send what it says now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.accounts.models import Person
from bekwaam.conversations.models import Addendum, Conversation
from bekwaam.conversations.selectors.conversations import conversation_calendar, conversation_for_task
from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category

# Which participant each notice goes to.
NOTICES = {
    "report_ready": "employee",
    "report_withdrawn": "employee",
    "employee_signed": "manager",
    "report_signed": "employee",
    "addendum_ready": "employee",
    "addendum_employee_signed": "manager",
    "addendum_signed": "employee",
}
CHANGES = ("planned", "moved", "cancelled")


def conversation_link(conversation: Conversation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("conversations:detail", args=[conversation.pk])


def mail_to(
    *,
    person: Person,
    template: str,
    context: Mapping[str, Any],
    category: str = Category.UPDATES,
    calendar: bytes | None = None,
    cancel: bool = False,
) -> bool:
    """Send one message if the person wants this category; False when not sent (preference or bounce)."""
    if not person.email or not wants(person_id=person.pk, category=category):
        return False
    try:
        email_send(
            to=person.email,
            language=person.language,
            template=f"conversations/email/{template}",
            context={"recipient": person, **context},
            calendar=calendar,
            cancel=cancel,
        )
    except DeliveryFailedError:
        return False  # recorded as a Bounce by email_send; the other participant still gets theirs
    return True


def participants(conversation: Conversation) -> dict[str, Person]:
    return {"employee": conversation.employee, "manager": conversation.manager}


def other_of(conversation: Conversation, role: str) -> Person:
    return conversation.manager if role == "employee" else conversation.employee


@task()
def conversation_invitation_send(*, conversation_id: str, change: str) -> int:
    """The invitation (change "planned"), its update ("moved") or its cancellation ("cancelled") to both
    participants, each with the .ics in their own language. Returns the number of messages sent."""
    if change not in CHANGES:
        raise ValueError(f"unknown change {change!r}")
    sent = 0
    with scopes_disabled():
        conversation = conversation_for_task(conversation_id=conversation_id)
        if conversation is None:
            return 0
        for role, person in participants(conversation).items():
            with translation.override(person.language or settings.LANGUAGE_CODE):
                calendar = conversation_calendar(conversation=conversation, site_url=settings.SITE_URL)
            context = {
                "conversation": conversation,
                "change": change,
                "role": role,
                "other": other_of(conversation, role),
                "link": conversation_link(conversation),
            }
            sent += mail_to(
                person=person,
                template="invitation",
                context=context,
                calendar=calendar,
                cancel=change == "cancelled",
            )
    return sent


@task()
def conversation_notice_send(*, conversation_id: str, notice: str, addendum_id: str = "") -> int:
    """One step of the report or an addendum, told to the participant whose turn it is (NOTICES)."""
    role = NOTICES[notice]
    with scopes_disabled():
        conversation = conversation_for_task(conversation_id=conversation_id)
        if conversation is None:
            return 0
        addendum = Addendum.objects.filter(pk=addendum_id, conversation=conversation).first() if addendum_id else None
        person = participants(conversation)[role]
        context = {
            "conversation": conversation,
            "role": role,
            "other": other_of(conversation, role),
            "addendum": addendum,
            "link": conversation_link(conversation),
        }
        return int(mail_to(person=person, template=notice, context=context))
