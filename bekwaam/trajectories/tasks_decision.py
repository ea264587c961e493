"""E-mail about the four-eyes decision, to the candidate, sent by the task worker in their language.

Sent once the decision is made (on commit of the judgement that made it): certified (with the points; the
certificate is on their page) or development advice (to read on their page and turn into POP goals). It
names the trajectory and the outcome only: never an assessor's substantiation or the advice itself. An
"update" (notifications.Category): a candidate who turned updates off still sees it on their page.
The task reads the trajectory afresh, so a retry sends what is true now.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.trajectories.models import Decision, Trajectory

# The candidate's page of the trajectory (the candidate part of trajectories).
CANDIDATE_PAGE = "trajectories:detail"


def candidate_link(trajectory: Trajectory) -> str:
    """The candidate's page of the trajectory, as an absolute address."""
    try:
        path = reverse(CANDIDATE_PAGE, kwargs={"trajectory_id": trajectory.pk})
    except NoReverseMatch:  # the candidate's pages are a separate part; the site's start page meanwhile
        path = reverse("home")
    return settings.SITE_URL.rstrip("/") + path


@task()
def decision_notice_send(*, trajectory_id: str) -> int:
    """Tell the candidate the decision; 1 when sent, 0 when not (no decision, preference, no address, bounce)."""
    with scopes_disabled():
        trajectory = (
            Trajectory.objects.filter(pk=trajectory_id).select_related("template", "provider", "candidate").first()
        )
        if trajectory is None:
            return 0
        decision = Decision.objects.filter(trajectory=trajectory).first()
        person = trajectory.candidate
        if decision is None or not person.email or not wants(person_id=person.pk, category=Category.UPDATES):
            return 0
        try:
            email_send(
                to=person.email,
                language=person.language,
                template="trajectories/decision/email/decided",
                context={
                    "recipient": person,
                    "trajectory": trajectory,
                    "decision": decision,
                    "certified": decision.outcome == "certified",
                    "link": candidate_link(trajectory),
                },
            )
        except DeliveryFailedError:
            return 0  # recorded as a Bounce by email_send
    return 1
