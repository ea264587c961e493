"""Input validation for the beheerder's gesprekscyclus pages: cycle steps and the form builder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from bekwaam.conversations.models import (
    AnswerType,
    ConversationForm,
    ConversationKind,
    FormPurpose,
    FormSection,
    FormVersion,
)
from bekwaam.frameworks.models import Competence, FrameworkKind, FrameworkVersion, VersionStatus
from bekwaam.lib.dates import SCHOOL_YEAR_START_MONTH
from bekwaam.tenancy.models import School

# The months in school-year order (August first), as the beheerder thinks of them.
MONTH_CHOICES = [(m, MONTHS[m]) for m in [*range(SCHOOL_YEAR_START_MONTH, 13), *range(1, SCHOOL_YEAR_START_MONTH)]]


class FormChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Conversation"), choices=ConversationKind.choices)
    interval_years = forms.IntegerField(
        label=_("Every how many school years"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("1: every school year; 3: once in three school years."),
    )
    in_first_year = forms.BooleanField(
        label=_("Also in the first school year of a new employment"),
        required=False,
    )
    due_month = forms.TypedChoiceField(
        label=_("Held by the end of"),
        choices=MONTH_CHOICES,
        coerce=int,
        initial=6,
        help_text=_("After the end of this month, a conversation that is due and not planned counts as overdue."),
    )
    preparation_form = FormChoiceField(
        label=_("Preparation form"),
        queryset=ConversationForm.objects.none(),
        required=False,
        empty_label=_("– the board's latest preparation form of this kind –"),
    )
    report_form = FormChoiceField(
        label=_("Report form"),
        queryset=ConversationForm.objects.none(),
        required=False,
        empty_label=_("– the board's latest report form of this kind –"),
    )

    def __init__(self, *args: Any, board_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forms_of_board = ConversationForm.objects.filter(board_id=board_id).order_by("kind", "name")
        self.fields["preparation_form"].queryset = forms_of_board.filter(  # type: ignore[attr-defined]
            purpose=FormPurpose.PREPARATION
        )
        self.fields["report_form"].queryset = forms_of_board.filter(  # type: ignore[attr-defined]
            purpose=FormPurpose.REPORT
        )


class CycleCreateForm(forms.Form):
    """Empty school: the board's cycle (empty); a school: its own cycle, a copy of the board's."""

    # No empty choice in the list: the page's "create an empty cycle" button is the one that sends no school.
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False, empty_label=None)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class FormCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Conversation"), choices=ConversationKind.choices)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=FormPurpose.choices,
        help_text=_(
            "A preparation form is filled in by both before the talk; the report form by the manager after it."
        ),
    )


class FormRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class VersionForm(forms.Form):
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the top of the form: what the conversation is for and how to fill it in."),
    )
    framework_version = forms.ModelChoiceField(
        label=_("Framework version for rating questions"),
        queryset=FrameworkVersion.objects.none(),
        required=False,
        empty_label=_("– none, or taken from the first rating question –"),
    )

    def __init__(self, *args: Any, board_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = (  # type: ignore[attr-defined]
            FrameworkVersion.objects.filter(
                board_id=board_id, status=VersionStatus.PUBLISHED, framework__kind=FrameworkKind.COMPETENCES
            )
            .select_related("framework")
            .order_by("framework__name", "-number")
        )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompetenceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name} ({obj.version})"


class PromptForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(
        label=_("Help"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A hint shown under the question."),
    )
    answer_type = forms.ChoiceField(
        label=_("Answer"), choices=AnswerType.choices, widget=forms.RadioSelect, initial=AnswerType.TEXT
    )
    competence = CompetenceChoiceField(
        label=_("Competence to rate"),
        queryset=Competence.objects.none(),
        required=False,
        help_text=_("Only for a rating: the competence is rated on its framework's scale."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args: Any, competences: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = competences  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer_type") == AnswerType.RATING and not data.get("competence"):
            self.add_error("competence", _("Choose the competence to rate."))
        return data


class PromptEditForm(PromptForm):
    section = forms.ModelChoiceField(label=_("Section"), queryset=FormSection.objects.none(), empty_label=None)

    def __init__(self, *args: Any, version: FormVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = FormSection.objects.filter(  # type: ignore[attr-defined]
            version=version, board_id=version.board_id
        ).order_by("position", "id")


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
