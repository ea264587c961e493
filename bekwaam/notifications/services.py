"""Writes of the notifications app: a person's own e-mail preference, and bounces reported by the mail provider."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from bekwaam.notifications.models import Bounce, NotificationPreference
from bekwaam.tenancy.context import Actor

REASON_MAX = Bounce._meta.get_field("reason").max_length or 300


def preference_save(*, actor: Actor, updates: bool, reminders: bool) -> NotificationPreference:
    """Save the actor's own choice of updates and reminders (essential mail is not a choice: it always goes).

    Only ever the actor's own row: there is no way to name another person, so no policy rule is needed.
    """
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
            person=actor.person, defaults={"updates": updates, "reminders": reminders}
        )
        if (preference.updates, preference.reminders) != (updates, reminders):
            preference.updates, preference.reminders = updates, reminders
            preference.save(update_fields=["updates", "reminders", "changed_at"])
    return preference


def bounce_record(*, email: str, reason: str = "") -> Bounce:
    """Record an address the mail provider reported as undeliverable (stored lower-case, the reason cut to fit).

    Pages that sent mail to it (a feedback invitation, say) show the bounce through mail.bounced_since.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    with transaction.atomic():
        return Bounce.objects.create(email=email, reason=" ".join(reason.split())[:REASON_MAX])
