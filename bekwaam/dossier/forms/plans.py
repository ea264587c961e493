"""Input validation for the POP forms; the rules about dates and phases live in services/plans.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bekwaam.dossier.models import Phase
from bekwaam.dossier.selectors.plans import CompetenceProposal
from bekwaam.frameworks.models import Competence
from bekwaam.tenancy.forms import DateInput


def competence_label(competence: Competence) -> str:
    return f"{competence.code} {competence.name}"


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: My development plan 2025–2026"))
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return cleaned


class PlanCreateForm(PlanForm):
    """A new plan; started from a measurement, it offers the competences rated lowest as goals."""

    goal_competences = forms.ModelMultipleChoiceField(
        label=_("Goals to start with"),
        queryset=Competence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The competences you rated lowest in this measurement, lowest first. "
            "Each one you tick becomes a goal you can fill in."
        ),
    )

    def __init__(self, *args: Any, proposals: Sequence[CompetenceProposal] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["goal_competences"]
        if not proposals:
            del self.fields["goal_competences"]
            return
        ids = [p.competence.pk for p in proposals]
        field.queryset = Competence.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        labels = {
            p.competence.pk: gettext("%(competence)s (your mean level: %(average)s)")
            % {"competence": competence_label(p.competence), "average": number_format(p.average, 1)}
            for p in proposals
        }
        # Lowest first, as proposed (the queryset's own order would be the framework's).
        field.choices = [(pk, labels[pk]) for pk in ids]  # type: ignore[attr-defined]


class GoalForm(forms.Form):
    title = forms.CharField(label=_("What do you want to achieve?"), max_length=300)
    why = forms.CharField(label=_("Why?"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    success_criteria = forms.CharField(
        label=_("How will you know it worked?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_date = forms.DateField(label=_("Target date"), widget=DateInput(), required=False)
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"),
        queryset=Competence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, competences: QuerySet[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competences"]
        field.queryset = competences  # type: ignore[attr-defined]
        field.label_from_instance = competence_label  # type: ignore[attr-defined]
        if not competences.exists():
            field.help_text = _("Your board has not adopted a competence framework yet.")


class GoalMoveForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Move to"), choices=Phase.choices, widget=forms.RadioSelect)
    reflection = forms.CharField(
        label=_("Reflection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What did you do, what did you notice, what is next?"),
    )
    changed_on = forms.DateField(
        label=_("Date"), widget=DateInput(), required=False, help_text=_("Leave empty for today.")
    )

    def __init__(self, *args: Any, next_phases: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the moves the goal can make; any other value posted is still refused by the service.
        if next_phases:
            self.fields["to_phase"].widget.choices = list(next_phases)
            if len(next_phases) == 1:
                self.fields["to_phase"].initial = next_phases[0][0]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    due_date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)


class GoalCommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
