"""Reads of the change log and the access log for one board."""

from __future__ import annotations

from django.db.models import QuerySet

from bekwaam.audit.models import AccessLog, ChangeBoard
from bekwaam.tenancy.context import Actor


def change_list_for(*, actor: Actor) -> QuerySet[ChangeBoard]:
    """Changes to people, employments, roles and schools of the actor's board, newest first (by index)."""
    return (
        ChangeBoard.objects.filter(board_id=actor.board_pk)
        .select_related("entry", "entry__actor", "entry__content_type")
        .order_by("-timestamp")
    )


def access_list_for(*, actor: Actor) -> QuerySet[AccessLog]:
    """Who opened whose personal data at the actor's board, newest first."""
    return AccessLog.objects.filter(board_id=actor.board_pk).select_related("actor", "subject")
