"""Input validation for the conversation pages; the rules (future dates, states, whose turn) live in
services/conversations.py."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bekwaam.conversations.models import Agreement, ConversationKind, Verdict
from bekwaam.conversations.selectors.conversations import FormView
from bekwaam.conversations.services.conversations import AGREEMENT_MAX, AgreementInput, AnswerInput
from bekwaam.tenancy.forms import DateInput
from bekwaam.tenancy.models import Employment

NEW_AGREEMENTS = 3  # empty lines offered on each save: more appear after saving (works without JavaScript)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MomentForm(forms.Form):
    """When and where: a date and time in the future, a duration, and a place or an online link."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=10,
        max_value=480,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    location = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("For example: the director's office.")
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A video call link. Give a place, an online link, or both."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("location", "").strip()
            and not cleaned.get("online_url")
            and "online_url" not in self.errors
        ):
            self.add_error("location", _("Give a place, an online link, or both."))
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is not None and time is not None:
            moment = timezone.make_aware(datetime.datetime.combine(day, time))
            if moment <= timezone.now():
                self.add_error("date", _("Choose a moment in the future: this date and time have passed."))
            cleaned["scheduled_at"] = moment
        return cleaned


def employment_label(employment: Employment) -> str:
    return f"{employment.person.full_name} – {employment.school.name}"


class PlanForm(MomentForm):
    employment = forms.ModelChoiceField(label=_("Employee"), queryset=Employment.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Conversation"), choices=ConversationKind.choices)

    field_order = ("employment", "kind", "date", "time", "duration_minutes", "location", "online_url")

    def __init__(self, *args: Any, employments: QuerySet[Employment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employment"]
        field.queryset = employments  # type: ignore[attr-defined]
        field.label_from_instance = employment_label  # type: ignore[attr-defined]
        self.order_fields(self.field_order)


class DocumentForm(forms.Form):
    """A preparation or report form: one field per question (text; or a level and a note for a rating),
    and for the report its agreements."""

    def __init__(
        self,
        *args: Any,
        form_view: FormView | None,
        agreements: Sequence[Agreement] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.form_view = form_view
        self.agreement_rows = list(agreements) if agreements is not None else None
        if form_view is not None:
            for prompt_view in form_view.prompts:
                prompt = prompt_view.prompt
                answer = prompt_view.answer
                help_text = prompt.help_text
                if prompt_view.is_rating:
                    self.fields[prompt_view.field_name] = forms.TypedChoiceField(
                        label=prompt.text,
                        help_text=help_text,
                        choices=[("", _("Not rated"))]
                        + [(level.pk, f"{level.value}. {level.label}") for level in prompt_view.levels],
                        coerce=int,
                        empty_value=None,
                        required=False,
                        widget=forms.RadioSelect,
                        initial=answer.level_id if answer else "",
                    )
                    self.fields[prompt_view.note_name] = forms.CharField(
                        label=_("Explanation"),
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 2}),
                        initial=answer.text if answer else "",
                    )
                else:
                    self.fields[prompt_view.field_name] = forms.CharField(
                        label=prompt.text,
                        help_text=help_text,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 4}),
                        initial=answer.text if answer else "",
                    )
        if self.agreement_rows is not None:
            for agreement in self.agreement_rows:
                self.fields[f"agreement_{agreement.pk}"] = forms.CharField(
                    label=_("Agreement"), max_length=AGREEMENT_MAX, required=False, initial=agreement.text
                )
            for n in range(1, NEW_AGREEMENTS + 1):
                self.fields[f"agreement_new_{n}"] = forms.CharField(
                    label=_("New agreement"), max_length=AGREEMENT_MAX, required=False
                )

    def prompt_fields(self) -> list[tuple[Any, list[tuple[Any, forms.BoundField, forms.BoundField | None]]]]:
        """(section, [(prompt view, its field, its note field or None)]) in the form's order, for the template."""
        if self.form_view is None:
            return []
        return [
            (
                section.section,
                [(p, self[p.field_name], self[p.note_name] if p.is_rating else None) for p in section.prompts],
            )
            for section in self.form_view.sections
        ]

    def agreement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("agreement_")]

    def answers(self) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        result: dict[int, AnswerInput] = {}
        if self.form_view is None:
            return result
        for prompt_view in self.form_view.prompts:
            if prompt_view.is_rating:
                result[prompt_view.prompt.pk] = AnswerInput(
                    text=data.get(prompt_view.note_name) or "", level_id=data.get(prompt_view.field_name)
                )
            else:
                result[prompt_view.prompt.pk] = AnswerInput(text=data.get(prompt_view.field_name) or "")
        return result

    def agreements(self) -> list[AgreementInput]:
        data = self.cleaned_data
        rows = [AgreementInput(a.pk, data.get(f"agreement_{a.pk}") or "") for a in self.agreement_rows or []]
        rows += [AgreementInput(None, data.get(f"agreement_new_{n}") or "") for n in range(1, NEW_AGREEMENTS + 1)]
        return rows


class ReactionForm(forms.Form):
    reaction = forms.CharField(
        label=_("Your reaction"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Your manager reads it once you have signed; it is part of the signed report."),
    )


class EmployeeSignForm(ReactionForm):
    verdict = forms.ChoiceField(
        label=_("Your signature"),
        choices=[(Verdict.AGREED, _("Agreed")), (Verdict.SEEN, _("Seen, not agreed"))],
        widget=forms.RadioSelect,
        help_text=_("“Seen, not agreed” means you have read the report but do not agree with (all of) it."),
    )


class AddendumForm(forms.Form):
    body = forms.CharField(
        label=_("Correction"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is corrected or added. The signed report itself stays as it is."),
    )


class AddendumSignForm(EmployeeSignForm):
    pass
