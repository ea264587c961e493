"""Writes of the gesprekscyclus, one module per part (setup, conversations, appraisals).

The shared pieces live here: `state_move` (the only writer of a `state`, with its history row) and
`signature_add` (one signature per part and role, so a second tab's signature is refused, not doubled).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.conversations.models import (
    Addendum,
    Appraisal,
    Conversation,
    ConversationEvent,
    EventSubject,
    Signature,
    SignedPart,
)
from bekwaam.lib.states import StateMachine, TransitionRefusedError
from bekwaam.tenancy.context import Actor


def state_move(
    *,
    actor: Actor,
    machine: StateMachine,
    record: Conversation | Addendum | Appraisal,
    action: str,
    conversation: Conversation,
    subject: str = EventSubject.CONVERSATION,
    update_fields: tuple[str, ...] = (),
) -> str:
    """Move a locked row (select_for_update, inside the caller's transaction) and write the history row.

    Raises TransitionRefusedError when the action is not allowed in the row's current state.
    """
    before = record.state
    after = machine.move(before, action)
    record.state = after
    record.save(update_fields=["state", *update_fields])
    ConversationEvent.objects.create(
        board_id=conversation.board_id,
        conversation=conversation,
        subject=subject,
        action=action,
        from_state=before,
        to_state=after,
        actor=actor.person,
        actor_name=actor.person.full_name,
    )
    return after


def signature_add(
    *,
    actor: Actor,
    conversation: Conversation,
    part: str,
    role: str,
    verdict: str,
    addendum: Addendum | None = None,
    appraisal: Appraisal | None = None,
) -> Signature:
    """One signature with the signer's name and time; a second one for the same part and role is refused."""
    try:
        with transaction.atomic():
            return Signature.objects.create(
                board_id=conversation.board_id,
                conversation=conversation,
                part=part,
                addendum=addendum if part == SignedPart.ADDENDUM else None,
                appraisal=appraisal if part == SignedPart.APPRAISAL else None,
                role=role,
                verdict=verdict,
                signer=actor.person,
                signer_name=actor.person.full_name,
                signed_at=timezone.now(),
            )
    except IntegrityError as error:
        raise TransitionRefusedError(_("This has been signed already (perhaps in another tab).")) from error
