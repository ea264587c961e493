"""Input validation for the e-mail preference page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.notifications.models import NotificationPreference


class PreferenceForm(forms.Form):
    updates = forms.BooleanField(
        label=_("Updates"),
        required=False,
        help_text=NotificationPreference._meta.get_field("updates").help_text,
    )
    reminders = forms.BooleanField(
        label=_("Reminders"),
        required=False,
        help_text=NotificationPreference._meta.get_field("reminders").help_text,
    )
