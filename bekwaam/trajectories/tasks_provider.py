"""E-mails of the aanbieder's steps on a trajectory, sent by the task worker in the recipient's language.

One message trio (templates/trajectories/provider/email/notice*). The interview invitation carries a
calendar event (.ics, METHOD:REQUEST): one UID per trajectory, SEQUENCE one up for every move, so a moved
interview updates the event in the calendar instead of adding a second one. Essential: the request for
additions to the candidate and the interview invitation (someone must act); the rest are "updates"
(notifications.Category). Tasks are safe to retry: they read the trajectory afresh and send what it says now.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.notifications.ics import Attendee, calendar_event
from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.trajectories.models import Trajectory, TrajectoryState
from bekwaam.trajectories.selectors.provider import (
    assessors_of,
    interview_organizer,
    interview_sequence,
    trajectory_for_task,
)

NOTICES = (
    "accepted",
    "coach_assigned",
    "additions_requested",
    "interview_planned",
    "interview_moved",
    "coaching_session",
    "comment",
)
WITH_CALENDAR = ("interview_planned", "interview_moved")
INTERVIEW_MINUTES = 90


def interview_uid(trajectory: Trajectory) -> str:
    return f"trajectory-interview-{trajectory.pk}"


def interview_calendar(*, trajectory: Trajectory) -> bytes | None:
    """The interview's calendar event (texts in the active language); None when none is planned ahead."""
    if (
        trajectory.state != TrajectoryState.INTERVIEW_PLANNED
        or trajectory.interview_at is None
        or trajectory.interview_at < timezone.now()
    ):
        return None
    organizer = interview_organizer(trajectory=trajectory) or trajectory.candidate
    people = [trajectory.candidate, trajectory.coach, *assessors_of(provider_id=trajectory.provider_id)]
    attendees: list[Attendee] = []
    seen: set[Any] = set()
    for person in people:
        if person is None or person.pk in seen or not person.email:
            continue
        seen.add(person.pk)
        attendees.append(Attendee(person.full_name, person.email))
    link = settings.SITE_URL.rstrip("/") + reverse("trajectories:work", args=[trajectory.pk])
    description = "\n".join(
        [
            _("Candidate: %(name)s") % {"name": trajectory.candidate.full_name},
            _("Trajectory: %(name)s (%(provider)s)")
            % {"name": trajectory.template.name, "provider": trajectory.provider.name},
            _("The portfolio was frozen when the interview was planned."),
        ]
    )
    return calendar_event(
        uid=interview_uid(trajectory),
        sequence=interview_sequence(trajectory=trajectory),
        start=trajectory.interview_at,
        end=trajectory.interview_at + datetime.timedelta(minutes=INTERVIEW_MINUTES),
        summary=_("Criterion-based interview: %(name)s") % {"name": trajectory.candidate.full_name},
        description=description,
        location=trajectory.interview_location,
        url=link,
        organizer=Attendee(organizer.full_name, organizer.email),
        attendees=attendees,
    )


def _link(trajectory: Trajectory, for_candidate: bool) -> str:
    """The candidate's own trajectory page, or the staff page; the trajectories start page as a fallback."""
    base = settings.SITE_URL.rstrip("/")
    name = "trajectories:detail" if for_candidate else "trajectories:work"
    try:
        return base + reverse(name, kwargs={"trajectory_id": trajectory.pk})
    except NoReverseMatch:
        return base + "/trajectories/"


def _category(notice: str, for_candidate: bool) -> str:
    if notice in WITH_CALENDAR or (notice == "additions_requested" and for_candidate):
        return Category.ESSENTIAL
    return Category.UPDATES


@task()
def trajectory_notice_send(*, trajectory_id: str, notice: str, person_id: str) -> int:
    """One step of a trajectory told to one person; 1 when sent, 0 when not (preference, no address, bounce,
    the trajectory gone, or the person no longer part of it)."""
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    with scopes_disabled():
        trajectory = trajectory_for_task(trajectory_id=trajectory_id)
        if trajectory is None:
            return 0
        person = get_user_model().objects.filter(pk=person_id, is_active=True).first()
        if person is None or not person.email:
            return 0
        for_candidate = person.pk == trajectory.candidate_id
        if not wants(person_id=person.pk, category=_category(notice, for_candidate)):
            return 0
        calendar = None
        if notice in WITH_CALENDAR:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                calendar = interview_calendar(trajectory=trajectory)
        try:
            email_send(
                to=person.email,
                language=person.language,
                template="trajectories/provider/email/notice",
                context={
                    "recipient": person,
                    "trajectory": trajectory,
                    "notice": notice,
                    "for_candidate": for_candidate,
                    "link": _link(trajectory, for_candidate),
                    "has_calendar": calendar is not None,
                },
                calendar=calendar,
            )
        except DeliveryFailedError:
            return 0  # recorded as a Bounce by email_send
    return 1
