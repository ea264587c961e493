"""Input validation for the beheerder's framework pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_slug
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bekwaam.frameworks import schema
from bekwaam.frameworks.models import Audience, Domain, Framework, FrameworkVersion

# Framework files are small (the shipped ones are some tens of kilobytes).
IMPORT_MAX_BYTES = 2 * 1024 * 1024


class FrameworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=schema.NAME_MAX)
    audience = forms.ChoiceField(label=_("For"), choices=Audience.choices)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=schema.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the content comes from, for example a law, a standard or your own policy."),
    )


class FrameworkCreateForm(FrameworkForm):
    slug = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=schema.SLUG_MAX,
        validators=[validate_slug],
        help_text=_(
            "A short code without spaces, used when the framework is exported and imported. "
            "Leave empty to derive it from the name."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    target = forms.ModelChoiceField(
        label=_("Add as new versions of"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=_("– none: import as a new framework –"),
    )

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["file"].help_text = _(
            "A Bekwaam framework file (.json) or a Mahara SmartEvidence file (.matrix), at most %(size)s."
        ) % {"size": filesizeformat(IMPORT_MAX_BYTES)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s).") % {"size": filesizeformat(IMPORT_MAX_BYTES)}
            )
        return upload


class VersionForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), required=False, max_length=schema.LABEL_MAX, help_text=_("For example: 2017")
    )
    scale_name = forms.CharField(label=_("Name of the rating scale"), required=False, max_length=schema.LABEL_MAX)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=schema.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScaleLevelForm(forms.Form):
    value = forms.IntegerField(
        label=_("Value"),
        min_value=0,
        max_value=schema.MAX_SCALE_VALUE,
        help_text=_("The number of the level; a higher number is a higher level."),
    )
    label = forms.CharField(label=_("Label"), max_length=schema.LABEL_MAX)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=schema.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class CodedForm(forms.Form):
    """A form with a code; for a new part the code may be left empty (the next number is taken)."""

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            code = self.fields["code"]
            code.required = False
            code.help_text = _("Leave empty to number it after the last one.")


class DomainForm(CodedForm):
    code = forms.CharField(label=_("Code"), max_length=schema.CODE_MAX)
    name = forms.CharField(label=_("Name"), max_length=schema.DOMAIN_NAME_MAX)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=schema.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompetenceForm(CodedForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=schema.CODE_MAX,
        help_text=_("Unique within the version: comparisons between versions match competences by code."),
    )
    name = forms.CharField(label=_("Name"), max_length=schema.COMPETENCE_NAME_MAX)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=schema.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompetenceEditForm(CompetenceForm):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.none(), empty_label=None)

    def __init__(self, *args: Any, version: FrameworkVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = Domain.objects.filter(  # type: ignore[attr-defined]
            version=version, board_id=version.board_id
        ).order_by("position", "code")


class IndicatorForm(CodedForm):
    code = forms.CharField(label=_("Code"), max_length=schema.CODE_MAX)
    text = forms.CharField(label=_("Text"), max_length=schema.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
