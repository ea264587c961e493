"""The change log (who changed what, before/after) and the access log (who opened whose personal data).

Changes are recorded by django-auditlog into ChangeEntry (our swapped-in LogEntry model). A change
concerns one or more boards (a person may work at several): ChangeBoard links each entry to each
board, indexed by (board, time), so a board's log is read by index, never by scanning the log.
"""

from __future__ import annotations

from typing import Any, ClassVar

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ChangeEntryManager(LogEntryManager):  # type: ignore[misc]
    def log_create(self, instance: Any, force_log: bool = False, **kwargs: Any) -> Any:
        """auditlog's write, plus one ChangeBoard row per board the changed object belongs to."""
        entry = super().log_create(instance, force_log=force_log, **kwargs)
        if entry is not None:
            board_ids = (entry.additional_data or {}).get("board_ids") or []
            ChangeBoard.objects.bulk_create(
                [ChangeBoard(entry=entry, board_id=board_id, timestamp=entry.timestamp) for board_id in board_ids]
            )
        return entry


class ChangeEntry(AbstractLogEntry):  # type: ignore[misc]
    """One change to a person, employment, role, school or team (AUDITLOG_LOGENTRY_MODEL)."""

    objects = ChangeEntryManager()

    class Meta(AbstractLogEntry.Meta):  # type: ignore[misc]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")


class ChangeBoard(models.Model):
    """Which board may read a change; the time is copied for the (board, -timestamp) index."""

    entry = models.ForeignKey(ChangeEntry, on_delete=models.CASCADE, related_name="board_links")
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="change_links")
    timestamp = models.DateTimeField()

    objects: ClassVar[models.Manager[ChangeBoard]] = ScopedManager(board="board")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "board"], name="changeboard_unique")]
        indexes = [models.Index(fields=["board", "-timestamp"], name="changeboard_board_time")]

    def __str__(self) -> str:
        return f"{self.board_id}: {self.entry_id}"


class AccessLog(models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="access_logs")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="accesses_made"
    )
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accesses_received")
    # What was opened, in words ("personal details", later "POP goal …"), and with which right.
    what = models.CharField(_("what"), max_length=200)
    right = models.CharField(_("right"), max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)
    # The item opened, when it is one ("dossier.evidence" + its id): the owner's per-item privacy view.
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)

    objects: ClassVar[models.Manager[AccessLog]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ("-viewed_at",)
        indexes = [
            models.Index(fields=["board", "-viewed_at"]),
            models.Index(fields=["subject", "-viewed_at"]),
            models.Index(fields=["object_id", "-viewed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor} → {self.subject}: {self.what}"
