"""The judgement form: themes shown, the learning level (Shulman), a substantiation per criterion, advice.

Input validation only; the service checks everything again on the locked trajectory (and is the one that
knows the themes allowed and when advice is required).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from bekwaam.register.models import LearningLevel, Theme
from bekwaam.trajectories.models import Judgement
from bekwaam.trajectories.services.decision import TEXT_MAX, criterion_field

# Short explanations of Shulman's Table of Learning (REFERENCE.md section 3.4), shown with each level.
LEVEL_EXPLANATIONS = {
    LearningLevel.ENGAGEMENT: _("Is interested and wants to learn: the theme matters to them."),
    LearningLevel.KNOWLEDGE: _("Knows and understands the ideas, and can explain what they mean for their school."),
    LearningLevel.PERFORMANCE: _("Puts what they learned into practice in their own leadership."),
    LearningLevel.REFLECTION: _("Looks back critically on their own actions and their effects, and adjusts."),
    LearningLevel.JUDGMENT: _("Weighs situations, makes well-founded choices and designs new approaches."),
    LearningLevel.COMMITMENT: _("The learning has become part of who they are as a leader, and they carry it on."),
}


class JudgementForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes shown"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The themes on which the candidate showed development. You may find fewer than the candidate chose."
        ),
    )
    learning_level = forms.TypedChoiceField(
        label=_("Learning level reached"),
        choices=LearningLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the learning level reached.")},
    )
    advice = forms.CharField(
        label=_("Development advice"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        themes: QuerySet[Theme],
        criteria: list[tuple[str, str]],
        judgement: Judgement | None = None,
    ) -> None:
        initial: dict[str, Any] = {}
        if judgement is not None:
            initial = {
                "themes": [theme.pk for theme in judgement.themes.all()],
                "learning_level": judgement.learning_level,
                "advice": judgement.advice,
            }
            initial.update({criterion_field(code): judgement.criteria.get(code, "") for code, _text in criteria})
        super().__init__(data, initial=initial)
        self.fields["advice"].help_text = _(
            "Required when the outcome is no points (a learning level below %(level)s, or no theme shown). "
            "The candidate reads it and can turn it into goals in their development plan (POP)."
        ) % {"level": settings.REGISTER_MIN_LEARNING_LEVEL}
        themes_field = self.fields["themes"]
        if isinstance(themes_field, forms.ModelMultipleChoiceField):
            themes_field.queryset = themes
        self.criteria = criteria
        for code, text in criteria:
            self.fields[criterion_field(code)] = forms.CharField(
                label=text,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("Substantiate this criterion.")},
            )

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[criterion_field(code)] for code, _text in self.criteria]

    def level_options(self) -> list[tuple[BoundWidget, str]]:
        """Each level's radio button with its explanation (rendered in the page, read out with the label)."""
        return [
            (radio, str(LEVEL_EXPLANATIONS.get(LearningLevel(int(radio.data["value"])), "")))
            for radio in self["learning_level"]
        ]

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {
            "themes": list(data["themes"]),
            "learning_level": data["learning_level"],
            "criteria": {code: data[criterion_field(code)] for code, _text in self.criteria},
            "advice": data.get("advice", ""),
        }


class InterviewHeldForm(forms.Form):
    held_early = forms.BooleanField(
        label=_("The interview was held before the planned date"),
        required=False,
    )
