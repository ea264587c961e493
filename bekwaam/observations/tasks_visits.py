"""E-mails of lesson visits, sent by the task worker in the recipient's language (Dutch by default).

One message trio (templates/observations/email/visit*): a planned visit or a peer visit asked for comes
with its calendar event (.ics, when it has a time and is not in the past); a changed plan updates that
event (same UID, higher SEQUENCE) and a cancellation removes it. All of these are "updates"
(notifications.Category): a person who turned updates off gets none of them. Tasks are safe to retry:
they read the visit afresh and send what it says now.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.observations.selectors.visits import observation_calendar, observation_for_task

NOTICES = ("planned", "peer_requested", "changed", "cancelled", "submitted", "reopened", "acknowledged")
WITH_CALENDAR = ("planned", "peer_requested", "changed", "cancelled")


@task()
def visit_notice_send(*, observation_id: str, notice: str, to: str) -> int:
    """One step of a visit told to its teacher or observer (`to`); 1 when sent, 0 when not (preference,
    no address, bounce, or the visit is gone)."""
    if notice not in NOTICES or to not in ("teacher", "observer"):
        raise ValueError(f"unknown notice {notice!r} to {to!r}")
    with scopes_disabled():
        observation = observation_for_task(observation_id=observation_id)
        if observation is None:
            return 0
        person = observation.teacher if to == "teacher" else observation.observer
        other = observation.observer if to == "teacher" else observation.teacher
        if not person.email or not wants(person_id=person.pk, category=Category.UPDATES):
            return 0
        calendar = None
        if notice in WITH_CALENDAR:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                calendar = observation_calendar(observation=observation, site_url=settings.SITE_URL)
        link = settings.SITE_URL.rstrip("/") + reverse("observations:visit-detail", args=[observation.pk])
        try:
            email_send(
                to=person.email,
                language=person.language,
                template="observations/email/visit",
                context={
                    "recipient": person,
                    "other": other,
                    "observation": observation,
                    "notice": notice,
                    "to": to,
                    "link": link,
                    "has_calendar": calendar is not None,
                },
                calendar=calendar,
                cancel=notice == "cancelled",
            )
        except DeliveryFailedError:
            return 0  # recorded as a Bounce by email_send
    return 1
