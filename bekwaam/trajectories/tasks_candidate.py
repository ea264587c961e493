"""E-mails about the candidate's steps, to the aanbieder's assessors, sent by the task worker in each
recipient's language (Dutch by default).

Notices: "enrolled" (a new enrolment to accept), "requested" (a portfolio handed in for assessment) and
"withdrawn". They are "updates" (notifications.Category): an assessor who turned updates off gets none.
The task reads the trajectory afresh, so a retry sends what is true now; it names the candidate and the
template only, never portfolio content.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.tenancy.models import ProviderRoleGrant, Role
from bekwaam.trajectories.models import Trajectory

NOTICES = ("enrolled", "requested", "withdrawn")


def staff_link(trajectory: Trajectory) -> str:
    """The aanbieder's page of the trajectory (its worklist's entry), as an absolute address."""
    try:
        path = reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk})
    except NoReverseMatch:  # the aanbieder's pages are a separate part; the site's start page meanwhile
        path = reverse("home")
    return settings.SITE_URL.rstrip("/") + path


@task()
def staff_notice_send(*, trajectory_id: str, notice: str) -> int:
    """Tell every assessor of the trajectory's aanbieder about the candidate's step; returns how many were sent."""
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    with scopes_disabled():
        trajectory = (
            Trajectory.objects.filter(pk=trajectory_id).select_related("template", "provider", "candidate").first()
        )
        if trajectory is None:
            return 0
        assessors = [
            grant.person
            for grant in ProviderRoleGrant.objects.filter(
                provider_id=trajectory.provider_id, role=Role.ASSESSOR, person__is_active=True
            )
            .select_related("person")
            .order_by("person__family_name", "person__given_name")
        ]
        link = staff_link(trajectory)
        sent = 0
        for person in assessors:
            if not person.email or not wants(person_id=person.pk, category=Category.UPDATES):
                continue
            try:
                email_send(
                    to=person.email,
                    language=person.language,
                    template="trajectories/candidate/email/staff_notice",
                    context={
                        "recipient": person,
                        "trajectory": trajectory,
                        "candidate": trajectory.candidate,
                        "notice": notice,
                        "link": link,
                    },
                )
            except DeliveryFailedError:
                continue  # recorded as a Bounce by email_send
            sent += 1
    return sent
