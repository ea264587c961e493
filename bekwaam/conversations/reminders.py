"""Reminders of the gesprekscyclus (registered with notifications.reminders; run daily, safe to repeat).

- Before a conversation: CONVERSATION_REMINDER_DAYS days ahead (or fewer, when the daily run missed a
  day), both participants get one reminder. The key holds the conversation's date, so a conversation
  that is moved gets a reminder for its new date. One planned only today or yesterday for a date this
  close gets none: its invitation has just gone out.
- A signature pending for SIGNATURE_REMINDER_DAYS days or more: the report waiting for the medewerker
  (with_employee) or the leidinggevende (with_manager), and the same for an addendum. Once per pending
  state: the key holds the state and the day that state began, so a report taken back and put forward
  again, or an addendum, starts a new wait with its own reminder.

Each reminder is claimed (`reminder_claim`) before it is sent, so a second run the same day, or a run on
two machines, sends nothing twice. Only people who want reminders (category "reminders") get them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from bekwaam.accounts.models import Person
from bekwaam.conversations.models import (
    Addendum,
    AddendumState,
    Conversation,
    ConversationState,
    Signature,
    SignedPart,
    SignerRole,
)
from bekwaam.conversations.tasks import conversation_link, mail_to, other_of
from bekwaam.notifications.mail import wants
from bekwaam.notifications.models import Category
from bekwaam.notifications.reminders import reminder, reminder_claim


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _remind(*, key: str, person: Person, template: str, context: dict[str, object]) -> int:
    """Claim the key and send; 0 when the person wants no reminders or it went out already."""
    if not wants(person_id=person.pk, category=Category.REMINDERS):
        return 0
    if not reminder_claim(key):
        return 0
    return int(mail_to(person=person, template=template, context=context, category=Category.REMINDERS))


@reminder
def conversations_upcoming_remind(today: datetime.date) -> int:
    """Remind both participants of a planned conversation in the coming CONVERSATION_REMINDER_DAYS days."""
    days = settings.CONVERSATION_REMINDER_DAYS
    sent = 0
    with scopes_disabled():
        due = (
            Conversation.objects.filter(
                state=ConversationState.PLANNED,
                scheduled_at__gte=_day_start(today + datetime.timedelta(days=1)),
                scheduled_at__lt=_day_start(today + datetime.timedelta(days=days + 1)),
                created_at__lt=_day_start(today - datetime.timedelta(days=1)),
            )
            .select_related("employee", "manager")
            .order_by("scheduled_at", "pk")
        )
        for conversation in due:
            day = timezone.localdate(conversation.scheduled_at).isoformat()
            for role, person in (("employee", conversation.employee), ("manager", conversation.manager)):
                context = {
                    "conversation": conversation,
                    "role": role,
                    "other": other_of(conversation, role),
                    "link": conversation_link(conversation),
                }
                key = f"conversation:{conversation.pk}:upcoming:{day}:{person.pk}"
                sent += _remind(key=key, person=person, template="reminder_upcoming", context=context)
    return sent


def _signed_by_employee_at(**match: object) -> Subquery:
    return Subquery(
        Signature.objects.filter(role=SignerRole.EMPLOYEE, **match).order_by("signed_at").values("signed_at")[:1]
    )


@reminder
def signatures_pending_remind(today: datetime.date) -> int:
    """Remind whoever has to sign a report or addendum that has waited SIGNATURE_REMINDER_DAYS days or more."""
    days = settings.SIGNATURE_REMINDER_DAYS
    before = _day_start(today - datetime.timedelta(days=days - 1))  # began on or before today - days
    sent = 0
    with scopes_disabled():
        reports = (
            Conversation.objects.filter(state__in=(ConversationState.WITH_EMPLOYEE, ConversationState.WITH_MANAGER))
            .annotate(employee_signed_at=_signed_by_employee_at(conversation=OuterRef("pk"), part=SignedPart.REPORT))
            .select_related("employee", "manager")
            .order_by("pk")
        )
        for conversation in reports:
            waiting_employee = conversation.state == ConversationState.WITH_EMPLOYEE
            began = conversation.report_submitted_at if waiting_employee else conversation.employee_signed_at
            if began is None or began >= before:
                continue
            role = "employee" if waiting_employee else "manager"
            person = conversation.employee if waiting_employee else conversation.manager
            key = (
                f"conversation:{conversation.pk}:signature:{conversation.state}:{timezone.localdate(began).isoformat()}"
            )
            context = {
                "conversation": conversation,
                "role": role,
                "other": other_of(conversation, role),
                "addendum": None,
                "since": began,
                "link": conversation_link(conversation),
            }
            sent += _remind(key=key, person=person, template="reminder_signature", context=context)

        addenda = (
            Addendum.objects.filter(state__in=(AddendumState.WITH_EMPLOYEE, AddendumState.WITH_MANAGER))
            .annotate(employee_signed_at=_signed_by_employee_at(addendum=OuterRef("pk"), part=SignedPart.ADDENDUM))
            .select_related("conversation", "conversation__employee", "conversation__manager")
            .order_by("pk")
        )
        for addendum in addenda:
            parent = addendum.conversation
            waiting_employee = addendum.state == AddendumState.WITH_EMPLOYEE
            began = addendum.created_at if waiting_employee else addendum.employee_signed_at
            if began is None or began >= before:
                continue
            role = "employee" if waiting_employee else "manager"
            person = parent.employee if waiting_employee else parent.manager
            key = f"addendum:{addendum.pk}:signature:{addendum.state}:{timezone.localdate(began).isoformat()}"
            context = {
                "conversation": parent,
                "role": role,
                "other": other_of(parent, role),
                "addendum": addendum,
                "since": began,
                "link": conversation_link(parent),
            }
            sent += _remind(key=key, person=person, template="reminder_signature", context=context)
    return sent
