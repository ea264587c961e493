"""E-mails of 360° feedback, sent by the task worker: the personal links, the reminder, "your report is ready".

A task runs outside any request, so it opens the scope of the board it was given. Sending a link makes
a FRESH random token every time and stores only its hash (feedback.models.token_hash): a retry, a
resend or a reminder sends a new link, and the link sent before stops working. That is what makes a
task safe to run twice, and why the token never needs to be stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from django_tasks import task

from bekwaam.feedback.models import FeedbackInvitation, FeedbackRound, RoundState, token_hash
from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category

DEFAULT_LANGUAGE = "nl"


def answer_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("feedback:answer", kwargs={"token": token})


def invitation_language(invitation: FeedbackInvitation) -> str:
    """The invitee's own language when they have an account here, else Dutch."""
    return invitation.person.language if invitation.person is not None else DEFAULT_LANGUAGE


@task()
def invitation_send(*, invitation_id: str, board_id: int, reminder: bool = False) -> bool:
    """Make a new link for one invitation and e-mail it; False when there was nothing (more) to send.

    A refused address is written on the invitation (the round page shows it); the send itself is
    essential mail (an invitation to answer), the reminder follows the person's preference.
    """
    with scope(board=[board_id]):
        invitation = (
            FeedbackInvitation.objects.select_related("round", "round__owner", "person")
            .filter(pk=invitation_id, board_id=board_id)
            .first()
        )
        if invitation is None or invitation.round.state != RoundState.OPEN:
            return False
        answered = invitation.round.responses.filter(invitation=invitation, submitted_at__isnull=False).exists()
        if answered:
            return False
        category = Category.REMINDERS if reminder else Category.ESSENTIAL
        if invitation.person_id is not None and not wants(person_id=invitation.person_id, category=category):
            return False
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        FeedbackInvitation.objects.filter(pk=invitation.pk).update(
            token_hash=token_hash(token), sent_at=now, delivery_failed_at=None, delivery_problem=""
        )
        round_ = invitation.round
        context = {
            "invitation": invitation,
            "round": round_,
            "owner_name": round_.owner.full_name,
            "link": answer_link(token),
            "closes_on": round_.closes_on,
            "threshold": settings.FEEDBACK_MIN_GROUP_SIZE,
            "reminder": reminder,
        }
        try:
            email_send(
                to=invitation.email,
                language=invitation_language(invitation),
                template="feedback/email/reminder" if reminder else "feedback/email/invitation",
                context=context,
            )
        except DeliveryFailedError as error:
            FeedbackInvitation.objects.filter(pk=invitation.pk).update(
                delivery_failed_at=timezone.now(), delivery_problem=str(error)[:300]
            )
            return False
    return True


@task()
def round_closed_notify(*, round_id: str, board_id: int) -> bool:
    """Tell the owner that a round closed by its date has its report ready (an update they may switch off)."""
    with scope(board=[board_id]):
        round_ = FeedbackRound.objects.select_related("owner").filter(pk=round_id, board_id=board_id).first()
        if round_ is None or round_.state != RoundState.CLOSED:
            return False
        owner = round_.owner
        if not wants(person_id=owner.pk, category=Category.UPDATES):
            return False
        link = settings.SITE_URL.rstrip("/") + reverse("feedback:report", kwargs={"round_id": round_.pk})
        try:
            email_send(
                to=owner.email,
                language=owner.language,
                template="feedback/email/round_closed",
                context={"round": round_, "owner": owner, "link": link},
            )
        except DeliveryFailedError:
            return False
    return True
