"""Input validation for the beoordeling's forms; what is allowed when lives in services/appraisals.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.conversations.models import Verdict
from bekwaam.conversations.services.appraisals import MAX_LEVEL_VALUE, RatingInput
from bekwaam.tenancy.forms import DateInput

if TYPE_CHECKING:  # the selectors build this module's forms for the conversation page
    from bekwaam.conversations.selectors.appraisals import DraftForm

TEXT_LIMIT = 10_000  # a few pages: an argument or judgement, not a thesis


def level_field_name(criterion_id: int) -> str:
    return f"level_{criterion_id}"


def argument_field_name(criterion_id: int) -> str:
    return f"argument_{criterion_id}"


class AppraisalDraftForm(forms.Form):
    """The leidinggevende's draft: per active criterion a level and an argument, the overall judgement, and the
    evidence to refer to. Every field may stay empty in a draft; putting it forward asks for the rest."""

    overall_level = forms.TypedChoiceField(label=_("Overall level"), coerce=int, empty_value=None, required=False)
    overall_text = forms.CharField(
        label=_("Overall judgement"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = forms.TypedMultipleChoiceField(
        label=_("Evidence you refer to"),
        coerce=UUID,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only evidence the employee has shared with you is listed."),
    )

    def __init__(self, *args: Any, draft: DraftForm, **kwargs: Any) -> None:
        kwargs.setdefault("initial", draft.initial)
        super().__init__(*args, **kwargs)
        level_choices = [
            ("", _("— not chosen yet —")),
            *((level.pk, f"{level.value} {level.label}") for level in draft.levels),
        ]
        self.criteria = draft.criteria
        self.fields["overall_level"].choices = level_choices  # type: ignore[attr-defined]
        self.fields["evidence"].choices = [  # type: ignore[attr-defined]
            (item.pk, f"{item.title} ({item.get_kind_display()})") for item in draft.evidence
        ]
        # Kept without choices too: an id sent anyway is refused ("not one of the choices"), not ignored.
        self.has_evidence = bool(draft.evidence)
        for criterion in draft.criteria:
            self.fields[level_field_name(criterion.pk)] = forms.TypedChoiceField(
                label=_("Level"), choices=level_choices, coerce=int, empty_value=None, required=False
            )
            self.fields[argument_field_name(criterion.pk)] = forms.CharField(
                label=_("Argument"),
                max_length=TEXT_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # The criteria's fields come first, in the board's order; the overall judgement after them.
        order = [name for c in draft.criteria for name in (level_field_name(c.pk), argument_field_name(c.pk))]
        self.order_fields([*order, "overall_level", "overall_text", "evidence"])

    def criterion_fields(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """Per criterion: (criterion, its level field, its argument field), for the template."""
        return [
            (criterion, self[level_field_name(criterion.pk)], self[argument_field_name(criterion.pk)])
            for criterion in self.criteria
        ]

    def ratings(self) -> dict[int, RatingInput]:
        data = self.cleaned_data
        return {
            c.pk: RatingInput(
                level_id=data.get(level_field_name(c.pk)), argument=data.get(argument_field_name(c.pk), "")
            )
            for c in self.criteria
        }


class _OnConversationPage(forms.Form):
    """A form shown on the conversation page beside the report's forms: ids of its own (no duplicates)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_appraisal_%s")
        super().__init__(*args, **kwargs)


class AppraisalReactionForm(_OnConversationPage):
    reaction = forms.CharField(
        label=_("Your reaction"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your reaction is part of the appraisal; your manager reads it before signing."),
    )


class AppraisalEmployeeSignForm(_OnConversationPage):
    verdict = forms.ChoiceField(
        label=_("Your signature"),
        choices=[(Verdict.AGREED, _("Agreed")), (Verdict.SEEN, _("Seen, not agreed"))],
        widget=forms.RadioSelect,
        help_text=_("Signing “seen, not agreed” means you have read the appraisal, not that you agree with it."),
    )


class AppraisalCriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )


class AppraisalCriterionEditForm(AppraisalCriterionForm):
    position = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=10_000, help_text=_("Criteria are shown from low to high.")
    )


class AppraisalLevelForm(forms.Form):
    value = forms.IntegerField(
        label=_("Value"), min_value=1, max_value=MAX_LEVEL_VALUE, help_text=_("The higher, the better.")
    )
    label = forms.CharField(label=_("Label"), max_length=100)


class AppraisalLevelEditForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Objection received on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the board's administration, for example how the objection came in. Not the objection itself."),
    )


class BoardAppraisalFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, states: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *states]  # type: ignore[attr-defined]
