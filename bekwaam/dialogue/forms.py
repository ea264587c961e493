"""Input validation of the team dialogue. What may be chosen (schools, participants, questions, statements,
plans, owners) is given to the forms by the view from the selectors; the services check it all again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bekwaam.accounts.models import Person
from bekwaam.dialogue.models import Pillar, SharedViewStatement, Statement, StatementKind
from bekwaam.dialogue.questions import ShippedQuestion
from bekwaam.dialogue.services import ANSWER_MAX, QUESTION_MAX, QUESTIONS_MAX, STATEMENT_MAX, own_questions_from
from bekwaam.quality.models import ImprovementPlan
from bekwaam.tenancy.forms import DateInput
from bekwaam.tenancy.models import School

NEW_GOAL = "new-"  # goal choice "new-<plan id>": a new goal in that plan


def _uuid(value: Any) -> UUID:
    return UUID(str(value))


class SessionChooseForm(forms.Form):
    """Step one of starting a session (a GET form): where, and on which pillar."""

    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, schools: Sequence[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(school.pk, school.name) for school in schools]  # type: ignore[attr-defined]
        if len(schools) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = schools[0].pk


class SessionForm(forms.Form):
    """Step two: title, date, participants and questions of a session at a chosen school and pillar."""

    title = forms.CharField(label=_("Title"), max_length=200)
    planned_on = forms.DateField(label=_("Date"), widget=DateInput())
    participants = forms.TypedMultipleChoiceField(
        label=_("Participants"),
        coerce=_uuid,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The people of the school who take part. You take part as the facilitator."),
    )
    shipped = forms.MultipleChoiceField(
        label=_("Bekwaam's questions for this pillar"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick the questions the team will not discuss."),
    )
    own_questions = forms.CharField(
        label=_("The team's own questions"),
        required=False,
        max_length=QUESTIONS_MAX * (QUESTION_MAX + 2),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line. They come after the questions ticked above."),
    )

    def __init__(
        self,
        *args: Any,
        people: Sequence[Person],
        facilitator: Person,
        questions: Sequence[ShippedQuestion],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "planned_on": timezone.localdate(),
                "participants": [facilitator.pk],
                "shipped": [question.key for question in questions],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [  # type: ignore[attr-defined]
            (person.pk, person.full_name) for person in people
        ]
        self.fields["shipped"].choices = [(q.key, q.text) for q in questions]  # type: ignore[attr-defined]
        if not questions:
            del self.fields["shipped"]

    def own_question_list(self) -> list[str]:
        return own_questions_from(self.cleaned_data.get("own_questions") or "")


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class StatementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=StatementKind.choices, initial=StatementKind.VIEW, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What the team agrees on"), max_length=STATEMENT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdoptForm(forms.Form):
    """Which statements of the current shared view stay, and which agreed views of the session join it."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    keep = forms.TypedMultipleChoiceField(
        label=_("Keep from the current shared view"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    adopt = forms.TypedMultipleChoiceField(
        label=_("Add from this session"), coerce=_uuid, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        current: Sequence[SharedViewStatement],
        candidates: Sequence[Statement],
        based_on: int,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {"keep": [s.pk for s in current], "adopt": [s.pk for s in candidates], "based_on": based_on},
        )
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(s.pk, s.text) for s in current]  # type: ignore[attr-defined]
        self.fields["adopt"].choices = [(s.pk, s.text) for s in candidates]  # type: ignore[attr-defined]
        if not current:
            del self.fields["keep"]
        if not candidates:
            del self.fields["adopt"]


class PlanActionForm(forms.Form):
    """An agreed action into the verbeterplan: which goal (or a new one in a plan), owner and dates."""

    goal = forms.ChoiceField(label=_("Goal in the verbeterplan"))
    new_goal = forms.CharField(
        label=_("Title of the new goal"),
        required=False,
        max_length=300,
        help_text=_("Only when you chose a new goal above."),
    )
    title = forms.CharField(label=_("Action"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=_uuid)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        plans: Sequence[ImprovementPlan],
        owners: Sequence[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for plan in plans:
            options = [(str(goal.pk), goal.title) for goal in plan.goals.all()]
            options.append((f"{NEW_GOAL}{plan.pk}", str(_("A new goal in this plan"))))
            groups.append((plan.title, options))
        self.fields["goal"].choices = [("", "---------"), *groups]  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (str(person.pk), person.full_name) for person in owners
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline cannot be before the start date."))
        goal = cleaned.get("goal") or ""
        if goal.startswith(NEW_GOAL) and not (cleaned.get("new_goal") or "").strip():
            self.add_error("new_goal", _("Give the new goal a title."))
        return cleaned
