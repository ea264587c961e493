"""Input validation for the beheerder's framework pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_slug
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bekwaam.frameworks import schema
from bekwaam.frameworks.models import Audience, Domain, Framework, FrameworkKind, FrameworkVersion

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
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=FrameworkKind.choices,
        initial=FrameworkKind.COMPETENCES,
        widget=forms.RadioSelect,
        # Optional in the POST: a form without it (an older page, a script) makes a competence framework.
        required=False,
        help_text=_(
            "A competence framework is what staff measure themselves against and link their goals and evidence "
            "to; a kijkwijzer is what lesson visits are scored with. The kind cannot be changed later."
        ),
    )
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

    field_order = ("name", "kind", "audience", "source", "slug")

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or FrameworkKind.COMPETENCES)


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
    """A form with a code; for a new part the code may be left empty (the next number is taken).

    `observation`: the part belongs to a kijkwijzer, and the form uses its words (items, look-fors).
    """

    def __init__(self, *args: Any, new: bool = False, observation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if observation:
            self.use_observation_words()
        if new:
            code = self.fields["code"]
            code.required = False
            code.help_text = _("Leave empty to number it after the last one.")

    def use_observation_words(self) -> None:
        """Relabel the fields for a kijkwijzer; the default keeps the competence framework's words."""


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

    def use_observation_words(self) -> None:
        self.fields["code"].help_text = _(
            "Unique within the version: reports and comparisons between versions match items by code."
        )
        self.fields["name"].help_text = _("What the observer scores, for example: Gives a clear explanation.")


class CompetenceEditForm(CompetenceForm):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.none(), empty_label=None)

    def __init__(self, *args: Any, version: FrameworkVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = Domain.objects.filter(  # type: ignore[attr-defined]
            version=version, board_id=version.board_id
        ).order_by("position", "code")

    def use_observation_words(self) -> None:
        super().use_observation_words()
        self.fields["domain"].label = _("Observation domain")


class IndicatorForm(CodedForm):
    code = forms.CharField(label=_("Code"), max_length=schema.CODE_MAX)
    text = forms.CharField(label=_("Text"), max_length=schema.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))

    def use_observation_words(self) -> None:
        self.fields["text"].help_text = _(
            "Something an observer can see in the lesson: an example of good practice, not a checklist item."
        )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
