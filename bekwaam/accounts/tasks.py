"""E-mails about accounts, sent by the task worker in the recipient's language."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task


@task()
def send_invitation_email(*, invitation_id: str) -> None:
    """Make a fresh link and send it. Safe to retry: a retry sends a new link and the old one stops working."""
    from bekwaam.accounts.models import Invitation, hash_token

    invitation = (
        Invitation.objects.select_related("person", "board", "provider", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.accepted_at is not None:
        return
    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    person = invitation.person
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation-accept", args=[token])
    with translation.override(person.language):
        context = {"person": person, "invitation": invitation, "link": link}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [person.email])


@task()
def send_added_to_board_email(*, person_id: str, board_id: int) -> None:
    from bekwaam.accounts.models import Person
    from bekwaam.tenancy.models import Board

    person = Person.objects.filter(pk=person_id).first()
    board = Board.objects.filter(pk=board_id).first()
    if person is None or board is None:
        return
    with translation.override(person.language):
        context = {"person": person, "board": board, "link": settings.SITE_URL}
        subject = render_to_string("accounts/email/added_subject.txt", context).strip()
        body = render_to_string("accounts/email/added_body.txt", context)
    send_mail(subject, body, None, [person.email])
