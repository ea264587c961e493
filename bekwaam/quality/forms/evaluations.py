"""Input validation for the scale, self-evaluations and nu-metingen, inspections, school visits and flags.

Forms only check input; what may be chosen (schools, levels, lesson visits, standards) is given to them
by the view from the selectors, and the services check it all again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bekwaam.dossier.uploads import ALLOWED_TYPES, evidence_file_check
from bekwaam.observations.models import Observation
from bekwaam.quality.models import InspectionFramework, InspectionJudgement, InspectionKind, Standard
from bekwaam.tenancy.forms import DateInput
from bekwaam.tenancy.models import School

BOARD = "board"


def accept_attribute() -> str:
    """The file input's `accept`: a hint for the browser's file picker; the server decides by content."""
    return ",".join(sorted({f".{extension}" for extension in ALLOWED_TYPES.values()} | {".jpeg"}))


def unknown_ids(data: Mapping[str, Any], pattern: str, known: Iterable[int]) -> set[int]:
    """Ids named in posted field names (`pattern` with one group of digits) that are not among `known`."""
    regex = re.compile(pattern)
    named = {int(match.group(1)) for key in data if (match := regex.fullmatch(key))}
    return named - set(known)


def standard_label(standard: Standard) -> str:
    core = f" ({_('kernstandaard')})" if standard.is_core else ""
    return f"{standard.code} {standard.name}{core}"


class StandardMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return standard_label(obj)


class FrameworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({_('from')} {date_format(obj.valid_from)})"


def visit_label(visit: Observation) -> str:
    """A lesson visit as a choice: date, groep, subject, teacher."""
    return f"{date_format(visit.date)} · {_('groep')} {visit.group} · {visit.subject} · {visit.teacher.full_name}"


class SchoolChoiceField(forms.ChoiceField):
    """A school of the board the actor may record for, or (when allowed) the board itself."""

    def __init__(self, *, schools: Iterable[School], board_choice: bool = False, **kwargs: Any) -> None:
        choices: list[tuple[str, str]] = [("", "---------")]
        if board_choice:
            choices.append((BOARD, str(_("The board itself"))))
        choices += [(str(school.pk), school.name) for school in schools]
        super().__init__(choices=choices, label=_("School"), **kwargs)


# --- the scale -------------------------------------------------------------------------------------------


class JudgementLevelForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this level means at your board, shown with the level when judging."),
    )


# --- self-evaluations ------------------------------------------------------------------------------------


class EvaluationForm(forms.Form):
    """The heading of a self-evaluation or nu-meting; the school field only where a school is chosen."""

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    framework = FrameworkChoiceField(
        label=_("Onderzoekskader"), queryset=InspectionFramework.objects.none(), empty_label=None
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The main conclusions, in a few sentences."),
    )

    def __init__(
        self,
        *args: Any,
        schools: Iterable[School] | None = None,
        frameworks: Any = None,
        with_framework: bool = True,
        with_summary: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"] = SchoolChoiceField(schools=schools)
            self.order_fields(["school", "title", "date", "framework", "summary"])
        if with_framework:
            self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        else:
            del self.fields["framework"]
        if not with_summary:
            del self.fields["summary"]

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("An evaluation describes the situation today or earlier, not later."))
        return date


class AssessmentForm(forms.Form):
    """One standard of an evaluation: its level, and (not in a nu-meting) substantiation and evidence.

    The choices come as lists from the view (read once for all standards), not as querysets per form.
    """

    level = forms.TypedChoiceField(
        label=_("Judgement"), coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    substantiation = forms.CharField(
        label=_("Substantiation"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents kept"),
        coerce=uuid.UUID,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a document to take it off this standard."),
    )
    upload = forms.FileField(
        label=_("Add a document"),
        required=False,
        help_text=_("PDF, image (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint or OpenDocument."),
    )
    upload_title = forms.CharField(label=_("Title of the document"), required=False, max_length=200)
    observations = forms.TypedMultipleChoiceField(
        label=_("Lesson visits"), coerce=uuid.UUID, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        standard: Standard,
        level_choices: list[tuple[Any, str]],
        snapshot: bool = False,
        document_choices: list[tuple[Any, str]] | None = None,
        visit_choices: list[tuple[Any, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        level = self.fields["level"]
        level.choices = [("", _("Not judged")), *level_choices]  # type: ignore[attr-defined]
        level.label = standard_label(standard)
        if snapshot:
            for name in ("substantiation", "documents", "upload", "upload_title", "observations"):
                del self.fields[name]
            return
        # Every field names its standard: a screen reader lists the controls of fifteen standards on one page.
        code = standard.code
        level.label = _("Judgement of %(standard)s") % {"standard": standard_label(standard)}
        self.fields["substantiation"].label = _("Substantiation of %(code)s") % {"code": code}
        self.fields["documents"].label = _("Documents kept for %(code)s") % {"code": code}
        self.fields["upload"].label = _("Add a document to %(code)s") % {"code": code}
        self.fields["upload_title"].label = _("Title of that document")
        self.fields["observations"].label = _("Lesson visits as evidence for %(code)s") % {"code": code}
        self.fields["upload"].widget.attrs["accept"] = accept_attribute()
        if document_choices:
            self.fields["documents"].choices = document_choices  # type: ignore[attr-defined]
        else:
            del self.fields["documents"]
        if visit_choices is None:
            del self.fields["observations"]
        else:
            self.fields["observations"].choices = visit_choices  # type: ignore[attr-defined]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            evidence_file_check(upload)
        return upload


# --- inspections --------------------------------------------------------------------------------------------

JUDGEMENT_CHOICES = [("", _("Not judged")), *InspectionJudgement.choices]


class InspectionForm(forms.Form):
    """The facts of an inspection visit; the school field only when it is being recorded (not on edit)."""

    date = forms.DateField(
        label=_("Date of the visit"),
        widget=DateInput(),
        help_text=_("A date in the future records an upcoming inspection: its judgements follow after the visit."),
    )
    kind = forms.ChoiceField(label=_("Kind of examination"), choices=InspectionKind.choices)
    framework = FrameworkChoiceField(
        label=_("Onderzoekskader"),
        queryset=InspectionFramework.objects.none(),
        required=False,
        empty_label=_("The version in force on the date of the visit"),
    )
    overall_judgement = forms.ChoiceField(
        label=_("Overall judgement"),
        choices=[("", _("No judgement (yet)")), *InspectionJudgement.choices],
        required=False,
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    report_url = forms.URLField(
        label=_("Link to the report"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The inspectie's published report, if there is one."),
    )

    def __init__(
        self,
        *args: Any,
        schools: Iterable[School] | None = None,
        board_choice: bool = False,
        frameworks: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"] = SchoolChoiceField(schools=schools, board_choice=board_choice)
            self.order_fields(["school", "date", "kind", "framework", "overall_judgement", "summary", "report_url"])
        if frameworks is None:
            del self.fields["framework"]
        else:
            self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]

    def clean_report_url(self) -> str:
        url = str(self.cleaned_data.get("report_url") or "").strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Only web addresses that start with http:// or https:// are allowed."))
        return url


class StandardJudgementForm(forms.Form):
    """The inspectie's judgement of one standard, with a short note."""

    judgement = forms.ChoiceField(choices=JUDGEMENT_CHOICES, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, standard: Standard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.fields["judgement"].label = standard_label(standard)
        self.fields["note"].label = _("Note on %(code)s") % {"code": standard.code}


class RepairOrderForm(forms.Form):
    """One herstelopdracht; an empty row is left out."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Herstelopdracht"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    standard = forms.TypedChoiceField(label=_("Standard"), coerce=int, empty_value=None, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())

    def __init__(self, *args: Any, standard_choices: list[tuple[Any, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", _("(no standard)")), *(standard_choices or [])]  # type: ignore[attr-defined]

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not str(data.get("description") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not str(cleaned.get("description") or "").strip() and (cleaned.get("deadline") or cleaned.get("standard")):
            self.add_error("description", _("Describe what must be done, or clear the row."))
        return cleaned


RepairOrderFormSet = forms.formset_factory(RepairOrderForm, extra=2, max_num=50, absolute_max=60, validate_max=True)


# --- school visits and flags -------------------------------------------------------------------------------


class SchoolVisitForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    date = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 8}))
    standards = StandardMultipleChoiceField(
        label=_("Standards the findings are about"),
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, schools: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["standards"].queryset = standards  # type: ignore[attr-defined]

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Record a school visit once it has taken place."))
        return date


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the board looks closely at this school now; the school's pages show it."),
    )
