"""Input validation for the register pages: a period, and the two kinds of activity.

The rules themselves (points from 10 to 100, the learning level, the dates, the themes of the year) are checked by
the services, which name the field; the forms only parse what was typed, so it all comes back on an error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bekwaam.dossier.uploads import ALLOWED_TYPES, evidence_file_check
from bekwaam.register import points as rules
from bekwaam.register.models import ActivityKind, LeadershipPractice, LearningLevel, Theme
from bekwaam.tenancy.forms import DateInput


class PeriodForm(forms.Form):
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        help_text=_("The date on your registration decision, or the day after your previous period ended."),
    )
    length_years = forms.IntegerField(
        label=_("Length in years"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 10, "inputmode": "numeric"}),
        help_text=_(
            "Leave empty for the usual length: five years, or four for a period that began before 17 November 2020."
        ),
    )
    registration_number = forms.CharField(label=_("Registration number"), max_length=40, required=False)

    def clean_length_years(self) -> int | None:
        value: int | None = self.cleaned_data.get("length_years")
        if value is not None and not 1 <= value <= 10:
            raise forms.ValidationError(_("A registration period lasts from 1 to 10 years."), code="length")
        return value


class ThemeChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        theme: Theme = obj
        if theme.last_year is not None:
            return str(
                _("%(name)s (%(first)s–%(last)s)")
                % {"name": theme.name, "first": theme.first_year, "last": theme.last_year}
            )
        return str(_("%(name)s (from %(first)s)") % {"name": theme.name, "first": theme.first_year})


def _accept_attribute() -> str:
    """The file input's `accept`: a hint for the browser's file picker; the server decides by content."""
    return ",".join(sorted({f".{extension}" for extension in ALLOWED_TYPES.values()} | {".jpeg"}))


class ActivityForm(forms.Form):
    """The fields both kinds share; the kind's own fields are added by the subclass."""

    title = forms.CharField(label=_("Title"), max_length=200)
    provider_name = forms.CharField(label=_("Provider"), max_length=200)
    completed_on = forms.DateField(label=_("Date"), widget=DateInput())
    themes = ThemeChoiceField(
        label=_("Professional development themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leadership_practices = forms.MultipleChoiceField(
        label=_("Leadership practices"),
        choices=LeadershipPractice.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The practices of the professional standard (2020) this activity is about."),
    )
    certificate_file = forms.FileField(label=_("Certificate"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    kind: str = ""

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        self.fields["certificate_file"].widget.attrs["accept"] = _accept_attribute()

    def clean_certificate_file(self) -> Any:
        upload = self.cleaned_data.get("certificate_file")
        if upload:
            evidence_file_check(upload)
        return upload

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": self.kind,
            "title": data["title"],
            "provider_name": data["provider_name"],
            "completed_on": data["completed_on"],
            "themes": list(data["themes"]),
            "leadership_practices": list(data["leadership_practices"]),
            "certificate_file": data.get("certificate_file") or None,
            "notes": data.get("notes", ""),
        }


class PreAccreditedForm(ActivityForm):
    """A course from the register's catalogue, with the points the register certified for it."""

    points = forms.IntegerField(
        label=_("Points"),
        widget=forms.NumberInput(
            attrs={"min": rules.PRE_ACCREDITED_MIN, "max": rules.PRE_ACCREDITED_MAX, "inputmode": "numeric"}
        ),
        help_text=_("The points the register certified for this activity (from 10 to 100), as in the catalogue."),
    )

    kind = ActivityKind.PRE_ACCREDITED
    field_order = (
        "title",
        "provider_name",
        "completed_on",
        "points",
        "certificate_file",
        "themes",
        "leadership_practices",
        "notes",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Course")
        self.fields["provider_name"].label = _("Provider")
        self.fields["completed_on"].label = _("Date completed")
        self.fields["certificate_file"].required = True
        self.fields["certificate_file"].help_text = _(
            "A PDF or a photo of the certificate (PDF, PNG, JPEG, GIF, WebP, Word or OpenDocument)."
        )

    def service_data(self) -> dict[str, Any]:
        return {**super().service_data(), "points": self.cleaned_data["points"]}


class RetroAssessedForm(ActivityForm):
    """An assessment afterwards done elsewhere: who assessed, when, the themes shown and the learning level."""

    learning_level = forms.TypedChoiceField(
        label=_("Learning level"),
        choices=LearningLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "The level the assessor's report names (Shulman's Table of Learning). From level 4 each theme "
            "shown gives 10 points, plus once 10 at level 5 or 20 at level 6, at most 100."
        ),
    )

    kind = ActivityKind.RETRO_ASSESSED
    field_order = (
        "title",
        "provider_name",
        "completed_on",
        "themes",
        "learning_level",
        "leadership_practices",
        "certificate_file",
        "notes",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("What was assessed")
        self.fields["title"].help_text = _("For example the method: “Schoolleiders waarderen schoolleiders”.")
        self.fields["provider_name"].label = _("Assessor (organisation)")
        self.fields["completed_on"].label = _("Date of the assessment")
        self.fields["themes"].label = _("Themes shown")
        self.fields["themes"].help_text = _("The themes the assessment says you have shown development on.")
        self.fields["certificate_file"].label = _("Assessment report")
        self.fields["certificate_file"].help_text = _("Optional: the assessor's report or statement.")

    def service_data(self) -> dict[str, Any]:
        return {**super().service_data(), "learning_level": self.cleaned_data["learning_level"]}


ACTIVITY_FORMS: dict[str, type[ActivityForm]] = {
    ActivityKind.PRE_ACCREDITED: PreAccreditedForm,
    ActivityKind.RETRO_ASSESSED: RetroAssessedForm,
}
