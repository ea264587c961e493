"""Who reaches which conversation: the one place that decides (rules.py and every part's selectors use it).

A conversation is an employer record (ARCHITECTURE.md principle 1): the medewerker it is about always
sees it; so does whoever leads them now at the board, as "Mijn team" defines it (dossier.selectors.leads),
because the file follows the person, not the leidinggevende who happened to plan it. Nobody else does:
not a colleague, not the beheerder, not the bestuur. A preparation is private to its author until shared.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bekwaam.conversations.models import Conversation, ConversationDocument, DocumentRole
from bekwaam.dossier.selectors import leads
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.selectors import team_members_for

EMPLOYEE = "employee"
MANAGER = "manager"


def role_in(*, actor: Actor, conversation: Conversation) -> str | None:
    """ "employee" for the person it is about, "manager" for whoever leads them now, else None."""
    if actor.board_id is None or conversation.board_id != actor.board_id:
        return None
    if conversation.employee_id == actor.person.pk:
        return EMPLOYEE
    if leads(actor=actor, owner_id=conversation.employee_id):
        return MANAGER
    return None


def conversations_visible_to(*, actor: Actor) -> QuerySet[Conversation]:
    """Every conversation the actor reaches: their own, and those of the people they lead now."""
    if actor.board_id is None:
        return Conversation.objects.none()
    led = team_members_for(actor=actor).values("person_id")
    own_or_led = Q(employee=actor.person) | Q(employee_id__in=led)
    return Conversation.objects.filter(board_id=actor.board_id).filter(own_or_led)


def conversation_get_for(*, actor: Actor, conversation_id: UUID) -> tuple[Conversation, str]:
    """The conversation and the actor's role in it; 404 when missing, at another board, or out of reach."""
    conversation = get_object_or_404(
        Conversation.objects.select_related("employee", "manager", "school", "employment"),
        pk=conversation_id,
        board_id=actor.board_pk,
    )
    role = role_in(actor=actor, conversation=conversation)
    if role is None:
        raise Http404
    return conversation, role


def document_visible(*, document: ConversationDocument, role: str) -> bool:
    """A preparation is seen by its author's side always, by the other side once shared; the report by both
    once it is put forward (the leidinggevende writes it; the medewerker reads it from then on)."""
    if document.role == DocumentRole.EMPLOYEE_PREPARATION:
        return role == EMPLOYEE or document.shared_at is not None
    if document.role == DocumentRole.MANAGER_PREPARATION:
        return role == MANAGER or document.shared_at is not None
    return role == MANAGER or document.conversation.report_submitted_at is not None
