"""Writes to the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bekwaam.audit.models import AccessLog, ChangeBoard, ChangeEntry

if TYPE_CHECKING:
    from bekwaam.accounts.models import Person
    from bekwaam.tenancy.context import Actor


def access_record(
    *,
    actor: Actor,
    subject: Person,
    what: str,
    right: str = "",
    path: str = "",
    object_type: str = "",
    object_id: str = "",
) -> None:
    """Record that the actor opened someone else's personal data; opening your own is not logged."""
    if subject.pk == actor.person.pk or actor.board_id is None:
        return
    AccessLog.objects.create(
        board_id=actor.board_id,
        actor=actor.person,
        subject=subject,
        what=what[:200],
        right=right[:64],
        path=path[:500],
        object_type=object_type[:64],
        object_id=object_id[:64],
    )


def changes_record_bulk(*, board_id: int, entries: list[ChangeEntry]) -> None:
    """Write change-log entries made by a bulk write (which skips auditlog's signals), linked to the board."""
    created = ChangeEntry.objects.bulk_create(entries, batch_size=500)
    ChangeBoard.objects.bulk_create(
        [ChangeBoard(entry=entry, board_id=board_id, timestamp=entry.timestamp) for entry in created],
        batch_size=500,
    )
