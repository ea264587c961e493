"""What a person wants by e-mail, which reminders went out, and which addresses bounced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Kinds of e-mail. Essential mail (an invitation to answer, a sign-in link) is always sent."""

    ESSENTIAL = "essential", _("Essential")
    UPDATES = "updates", _("Updates")
    REMINDERS = "reminders", _("Reminders")


class NotificationPreference(models.Model):
    """One row per person who changed the default (everything on); no row means "send everything"."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    updates = models.BooleanField(
        _("updates"),
        default=True,
        help_text=_("A conversation planned or moved, a report to read or sign, feedback answered, something shared."),
    )
    reminders = models.BooleanField(
        _("reminders"),
        default=True,
        help_text=_("Before a conversation, and when a signature has been waiting for more than a week."),
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return f"{self.person_id}"


class ReminderSent(models.Model):
    """One row per reminder that went out: the key makes the daily run idempotent (safe to run twice)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key


class Bounce(models.Model):
    """An address the mail server refused or reported as undeliverable (stored lower-case)."""

    email = models.EmailField(db_index=True)
    reason = models.CharField(max_length=300, blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bounced address")
        verbose_name_plural = _("bounced addresses")
        ordering = ("-reported_at",)

    def __str__(self) -> str:
        return self.email
