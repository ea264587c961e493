"""Invitations: create, e-mail, accept."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.accounts.models import Invitation, Person, hash_token
from bekwaam.accounts.tasks import send_added_to_board_email, send_invitation_email

if TYPE_CHECKING:
    from bekwaam.tenancy.context import Actor


def invitation_create(
    *, actor: Actor, person: Person, board_id: int | None = None, provider_id: int | None = None
) -> Invitation:
    """A new single-use link for the person; the e-mail goes out by a task once the transaction commits.

    The inviting organisation is the actor's board unless a board or provider is named (the
    platform operator invites a new board's first administrator or a provider's staff).
    """
    if board_id is None and provider_id is None:
        board_id = actor.board_pk
    now = timezone.now()
    invitation = Invitation.objects.create(
        person=person,
        board_id=board_id,
        provider_id=provider_id,
        # No working link exists yet: the task makes the token when it sends the e-mail, so the token
        # never rests in the task queue or the database in the clear.
        token_hash=hash_token(secrets.token_urlsafe(32)),
        invited_by=actor.person,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation_id = str(invitation.pk)
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id=invitation_id))
    return invitation


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The usable invitation for this token, or None when it is unknown, used or expired."""
    invitation = (
        Invitation.objects.select_related("person", "board", "provider").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable() or not invitation.person.is_active:
        return None
    return invitation


def invitation_accept(*, token: str, password: str) -> Person:
    """Set the invited person's password and mark the invitation used (once)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if invitation is None or not invitation.is_usable():
            raise ValidationError(_("This invitation link has expired or has already been used."))
        person = invitation.person
        if not person.is_active:
            # A switched-off account stays off: an old invitation must not bring it back.
            raise ValidationError(_("This invitation link has expired or has already been used."))
        person.set_password(password)
        person.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        # Any other open invitations for this person are spent too.
        Invitation.objects.filter(person=person, accepted_at__isnull=True).update(accepted_at=invitation.accepted_at)
    return person


def notify_added_to_board(*, person: Person, board_id: int) -> None:
    """Tell a person with an account that a (further) board added them."""
    person_id = str(person.pk)
    transaction.on_commit(lambda: send_added_to_board_email.enqueue(person_id=person_id, board_id=board_id))


def language_save(*, person: Person, language: str) -> None:
    """Remember the person's interface language (also used for the e-mails they receive)."""
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
