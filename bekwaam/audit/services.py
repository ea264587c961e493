"""Writes to the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bekwaam.audit.models import AccessLog

if TYPE_CHECKING:
    from bekwaam.accounts.models import Person
    from bekwaam.tenancy.context import Actor


def access_record(*, actor: Actor, subject: Person, what: str, right: str = "", path: str = "") -> None:
    """Record that the actor opened someone else's personal data; opening your own is not logged."""
    if subject.pk == actor.person.pk or actor.board_id is None:
        return
    AccessLog.objects.create(
        board_id=actor.board_id, actor=actor.person, subject=subject, what=what[:200], right=right[:64], path=path[:500]
    )


def boards_marker(board_ids: object) -> str:
    """The `additional_data["boards"]` value: '|3|7|', searchable with icontains on any database."""
    ids = sorted({int(b) for b in board_ids})  # type: ignore[attr-defined]
    return "|" + "|".join(str(b) for b in ids) + "|" if ids else ""
