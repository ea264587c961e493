"""Reads of the change log and the access log for one board."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet

from bekwaam.audit.models import AccessLog
from bekwaam.tenancy.context import Actor


def change_list_for(*, actor: Actor) -> QuerySet[LogEntry]:
    """Changes to people, employments, roles and schools of the actor's board, newest first."""
    entries: QuerySet[LogEntry] = (
        LogEntry.objects.filter(additional_data__boards__icontains=f"|{actor.board_pk}|")
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    return entries


def access_list_for(*, actor: Actor) -> QuerySet[AccessLog]:
    """Who opened whose personal data at the actor's board, newest first."""
    return AccessLog.objects.filter(board_id=actor.board_pk).select_related("actor", "subject")
