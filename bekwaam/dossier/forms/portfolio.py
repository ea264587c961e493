"""Input validation for the portfolio: evidence, reflections, the list's filter and the coverage map's version."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from bekwaam.dossier.models import Evidence, EvidenceKind, Goal
from bekwaam.dossier.selectors.portfolio import REFLECTION, TagChoices
from bekwaam.dossier.uploads import ALLOWED_TYPES, evidence_file_check
from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.register.models import Theme
from bekwaam.tenancy.forms import DateInput

URL_SCHEMES = ("http", "https")
# Kinds with an issuer, a date of issue and an optional expiry date.
CREDENTIAL_KINDS = (EvidenceKind.DIPLOMA, EvidenceKind.CERTIFICATE)


class _CompetencesByDomain(forms.models.ModelChoiceIterator):
    """Competence choices grouped under their domain (the queryset is ordered by domain)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for domain, competences in groupby(self.queryset, key=lambda competence: competence.domain):
            yield (f"{domain.code} {domain.name}", [self.choice(competence) for competence in competences])


def _competence_label(competence: Competence) -> str:
    return f"{competence.code} {competence.name}"


def _goal_label(goal: Goal) -> str:
    return f"{goal.title} ({goal.plan.title})"


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a fieldset per group (domain), rendered with the project's templates."""

    template_name = "dossier/_evidence_checkbox_groups.html"

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        # The default form renderer only sees Django's own widget templates; this one lives with the pages.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template's output


class CompetenceMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    iterator = _CompetencesByDomain
    widget = GroupedCheckboxes

    def label_from_instance(self, obj: Any) -> str:
        return _competence_label(obj)


class CompetenceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = _CompetencesByDomain

    def label_from_instance(self, obj: Any) -> str:
        return _competence_label(obj)


class GoalMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _goal_label(obj)


def _accept_attribute() -> str:
    """The file input's `accept`: a hint for the browser's file picker; the server decides by content."""
    return ",".join(sorted({f".{extension}" for extension in ALLOWED_TYPES.values()} | {".jpeg"}))


class _TaggedForm(forms.Form):
    """Tags shared by evidence and reflections: competences, the person's POP goals, register themes."""

    competences = CompetenceMultipleChoiceField(
        label=_("Competences"),
        queryset=Competence.objects.none(),
        required=False,
        help_text=_("Which competences of your framework does this show?"),
    )
    goals = GoalMultipleChoiceField(
        label=_("POP goals"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Register themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Professional development themes of the school leaders' register."),
    )

    def _tags_set(self, tags: TagChoices) -> None:
        self.fields["competences"].queryset = tags.competences  # type: ignore[attr-defined]
        self.fields["goals"].queryset = tags.goals  # type: ignore[attr-defined]
        if tags.themes is None:
            del self.fields["themes"]
        else:
            self.fields["themes"].queryset = tags.themes  # type: ignore[attr-defined]
        if not tags.goals.exists():
            del self.fields["goals"]


class EvidenceForm(_TaggedForm):
    """One evidence item of a given kind; only that kind's fields are on the form."""

    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint or OpenDocument."),
    )
    url = forms.CharField(label=_("Web address"), max_length=1000, required=False, help_text=_("https://…"))
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Date of issue"), required=False, widget=DateInput())
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if it does not expire. Your dossier warns you before it expires."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ("title", "issuer", "issued_on", "expires_on", "file", "url", "description")

    def __init__(self, *args: Any, kind: str, tags: TagChoices, evidence: Evidence | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.evidence = evidence
        self._tags_set(tags)
        self.fields["file"].widget.attrs["accept"] = _accept_attribute()
        if kind == EvidenceKind.LINK:
            del self.fields["file"]
            self.fields["url"].required = True
        else:
            del self.fields["url"]
            # A document is its file; a diploma or certificate may be recorded without a scan.
            self.fields["file"].required = kind == EvidenceKind.DOCUMENT and evidence is None
            if evidence is not None and evidence.file:
                self.fields["file"].help_text = _("Choose a file only to replace the current one (%(name)s).") % {
                    "name": evidence.original_name
                }
        if kind in CREDENTIAL_KINDS:
            self.fields["issuer"].required = True
            self.fields["issued_on"].required = True
        else:
            for name in ("issuer", "issued_on", "expires_on"):
                del self.fields[name]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            evidence_file_check(upload)
        return upload

    def clean_url(self) -> str:
        url = str(self.cleaned_data.get("url") or "").strip()
        if not url:
            return url
        if urlsplit(url).scheme.lower() not in URL_SCHEMES:
            raise forms.ValidationError(
                _("Only web addresses that start with http:// or https:// are allowed."), code="scheme"
            )
        URLValidator(schemes=list(URL_SCHEMES))(url)
        return url

    def clean_issued_on(self) -> Any:
        issued_on = self.cleaned_data.get("issued_on")
        if issued_on and issued_on > timezone.localdate():
            raise forms.ValidationError(_("The date of issue cannot be in the future."), code="future")
        return issued_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issued_on, expires_on = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued_on and expires_on and expires_on <= issued_on:
            self.add_error("expires_on", _("The expiry date must be after the date of issue."))
        return cleaned


class ReflectionForm(_TaggedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    written_on = forms.DateField(label=_("Date"), widget=DateInput())
    body = forms.CharField(label=_("Reflection"), widget=forms.Textarea(attrs={"rows": 10}))
    evidence = forms.ModelMultipleChoiceField(
        label=_("About evidence"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Optional. Hold Ctrl (or Cmd on a Mac) to choose more than one."),
    )

    field_order = ("title", "written_on", "body", "evidence")

    def __init__(self, *args: Any, tags: TagChoices, evidence_choices: QuerySet[Evidence], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._tags_set(tags)
        self.fields["evidence"].queryset = evidence_choices  # type: ignore[attr-defined]
        if not evidence_choices.exists():
            del self.fields["evidence"]

    def clean_written_on(self) -> Any:
        written_on = self.cleaned_data["written_on"]
        if written_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return written_on


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by title"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    competence = CompetenceChoiceField(
        label=_("Competence"), queryset=Competence.objects.none(), required=False, empty_label=_("All competences")
    )
    goal = forms.ModelChoiceField(
        label=_("POP goal"), queryset=Goal.objects.none(), required=False, empty_label=_("All goals")
    )

    def __init__(self, *args: Any, tags: TagChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("All kinds")),
            *EvidenceKind.choices,
            (REFLECTION, _("Reflection")),
        ]
        self.fields["competence"].queryset = tags.competences  # type: ignore[attr-defined]
        self.fields["goal"].queryset = tags.goals  # type: ignore[attr-defined]
        self.fields["goal"].label_from_instance = _goal_label  # type: ignore[attr-defined]

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)


class CoverageVersionForm(forms.Form):
    version = forms.ModelChoiceField(label=_("Framework"), queryset=FrameworkVersion.objects.none(), empty_label=None)

    def __init__(self, *args: Any, versions: QuerySet[FrameworkVersion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
