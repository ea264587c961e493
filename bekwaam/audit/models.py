"""The access log: who opened whose personal data, when (AVG art. 5(2), accountability).

Changes (who changed what, before/after) are kept by django-auditlog's LogEntry; every entry
of a tenant model carries `additional_data["boards"]` ("|3|7|") so a board sees only its own.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


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
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)

    objects: ClassVar[models.Manager[AccessLog]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ("-viewed_at",)
        indexes = [models.Index(fields=["board", "-viewed_at"]), models.Index(fields=["subject", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.actor} → {self.subject}: {self.what}"
