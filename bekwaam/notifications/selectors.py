"""Reads of the notifications app: a person's own e-mail preference."""

from __future__ import annotations

from bekwaam.notifications.models import NotificationPreference
from bekwaam.tenancy.context import Actor


def preference_for(*, actor: Actor) -> NotificationPreference:
    """The actor's own preference; an unsaved one with everything on when they never changed it."""
    preference = NotificationPreference.objects.filter(person=actor.person).first()
    return preference or NotificationPreference(person=actor.person)
