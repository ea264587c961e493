"""Input validation for the candidate's pages: enrolling, portfolio items (new or from the dossier),
turning advice into goals and withdrawing. The services check again (and decide on the state)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bekwaam.dossier.uploads import ALLOWED_TYPES, evidence_file_check
from bekwaam.register.models import Theme
from bekwaam.trajectories.models import PortfolioItem, PortfolioItemKind, TrajectoryTemplate
from bekwaam.trajectories.services.enrolment import NOTE_MAX
from bekwaam.trajectories.services.portfolio import BODY_MAX, LINK_MAX, TITLE_MAX, URL_SCHEMES

YES, NO = "yes", "no"


class EnrolForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The professional development themes your development is about (at least one)."),
        error_messages={"required": _("Choose at least one theme.")},
    )
    with_coaching = forms.ChoiceField(label=_("Coaching"), widget=forms.RadioSelect, required=False)

    def __init__(self, *args: Any, template: TrajectoryTemplate, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        if template.coaching_offered:
            field = self.fields["with_coaching"]
            field.required = True
            field.choices = [  # type: ignore[attr-defined]
                (NO, _("Without coaching")),
                (YES, _("With coaching (€ %(price)s extra)") % {"price": template.coaching_price}),
            ]
            field.initial = NO
        else:
            del self.fields["with_coaching"]

    @property
    def wants_coaching(self) -> bool:
        return self.cleaned_data.get("with_coaching") == YES


def _accept_attribute() -> str:
    """The file input's `accept`: a hint for the browser's file picker; the server decides by content."""
    return ",".join(sorted({f".{extension}" for extension in ALLOWED_TYPES.values()} | {".jpeg"}))


def _themes_field() -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which of the trajectory's themes does this item show?"),
        error_messages={"required": _("Choose the theme (or themes) this item shows.")},
    )


class ItemForm(forms.Form):
    """A new item (kind chosen here) or an existing one (kind fixed)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PortfolioItemKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("For evidence: what it shows. For a reflection: your reflection itself."),
    )
    link = forms.CharField(label=_("Web address"), required=False, max_length=LINK_MAX, help_text=_("https://…"))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Optional. PDF, image (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint or OpenDocument."),
    )
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    themes = _themes_field()

    def __init__(self, *args: Any, themes: QuerySet[Theme], item: PortfolioItem | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        self.fields["file"].widget.attrs["accept"] = _accept_attribute()
        if item is not None:
            del self.fields["kind"]
            if item.file:
                self.fields["file"].help_text = _("Choose a file only to replace the current one (%(name)s).") % {
                    "name": item.file_name
                }
            else:
                del self.fields["remove_file"]
        else:
            del self.fields["remove_file"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            evidence_file_check(upload)
        return upload

    def clean_link(self) -> str:
        link = str(self.cleaned_data.get("link") or "").strip()
        if not link:
            return link
        if urlsplit(link).scheme.lower() not in URL_SCHEMES:
            raise forms.ValidationError(
                _("Only web addresses that start with http:// or https:// are allowed."), code="scheme"
            )
        URLValidator(schemes=list(URL_SCHEMES), message=_("Enter a valid web address."))(link)
        return link


class DossierCopyForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Item from your dossier"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an item of your dossier.")},
    )
    themes = _themes_field()

    def __init__(self, *args: Any, choices: list[tuple[str, str]], themes: QuerySet[Theme], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]

    def source_parts(self) -> tuple[str, str]:
        kind, _sep, source_id = str(self.cleaned_data["source"]).partition(":")
        return kind, source_id


class AdviceGoalsForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(
        label=_("Parts of the advice that become goals"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one part of the advice.")},
    )

    def __init__(self, *args: Any, lines: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(str(n), line) for n, line in enumerate(lines)]  # type: ignore[attr-defined]
        self.fields["lines"].initial = [str(n) for n in range(len(lines))]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The aanbieder reads it in the trajectory's history."),
    )
