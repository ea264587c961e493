"""Input of the loop part: which score to make a goal of (no value: the server reads it), and the consent to a
follow-up lesson visit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.insights.models import OriginKind


class GoalFromScoreForm(forms.Form):
    """The one-click button's hidden fields: the kind of score, its source record and the code."""

    kind = forms.ChoiceField(choices=OriginKind.choices)
    source = forms.UUIDField()
    code = forms.CharField(max_length=64)
    next = forms.CharField(max_length=500, required=False)


class FollowUpForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Yes, I would like a follow-up lesson visit on this item."),
        error_messages={"required": _("Tick the box if you want a follow-up lesson visit.")},
    )
