"""Input validation for 360° feedback; the rules about states, dates and who may be invited live in services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bekwaam.accounts.models import Person
from bekwaam.dossier.forms.portfolio import CompetenceMultipleChoiceField
from bekwaam.feedback.models import FeedbackQuestion, QuestionKind, Relation, ShareAudience
from bekwaam.feedback.services.answers import ANSWER_RELATIONS, TEXT_MAX_LENGTH, AnswerInput
from bekwaam.feedback.services.rounds import EXTERNAL_RELATIONS, MAX_OPEN_QUESTIONS
from bekwaam.frameworks.models import Competence, ScaleLevel
from bekwaam.tenancy.forms import DateInput

CANNOT_JUDGE = "none"
MANAGER_CHOICE = "manager"


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: Feedback on my lessons, spring 2026")
    )
    message = forms.CharField(
        label=_("Message to the people you invite"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("What you would like feedback on, and why. It is shown in the e-mail and above the questions."),
    )
    closes_on = forms.DateField(label=_("Answers until"), widget=DateInput())
    competences = CompetenceMultipleChoiceField(
        label=_("Competences to rate"),
        queryset=Competence.objects.none(),
        required=False,
        help_text=_("Each one you tick is rated on your framework's scale by everyone you invite, and by you."),
    )
    open_questions = forms.CharField(
        label=_("Open questions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, competences: QuerySet[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = competences  # type: ignore[attr-defined]
        self.fields["open_questions"].help_text = gettext(
            "One question per line, at most %(count)s. For example: What should I keep doing?"
        ) % {"count": MAX_OPEN_QUESTIONS}

    @property
    def question_lines(self) -> list[str]:
        return str(self.cleaned_data.get("open_questions") or "").splitlines()


class InvitePeopleForm(forms.Form):
    """Colleagues and the leidinggevende, picked from the board's people (the list shows only some of them)."""

    people = forms.ModelMultipleChoiceField(
        label=_("People at your board"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        shown: Sequence[Person],
        managers: Sequence[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.queryset = people  # type: ignore[attr-defined]
        manager_ids = {person.pk for person in managers}
        # Only these are rendered; the queryset (everyone at the board) is what a POST is checked against.
        field.widget.choices = [
            (person.pk, _("%(name)s (your manager)") % {"name": person.sort_name})
            if person.pk in manager_ids
            else (person.pk, person.sort_name)
            for person in shown
        ]


class ExternalInviteForm(forms.Form):
    """Someone without an account: a parent, an intern, anyone else."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[(value, label) for value, label in Relation.choices if value in EXTERNAL_RELATIONS],
    )


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class ExtendForm(forms.Form):
    closes_on = forms.DateField(label=_("New closing date"), widget=DateInput())


def _level_choices(scale: Sequence[ScaleLevel]) -> list[tuple[str, str]]:
    return [(str(level.value), f"{level.value} – {level.label}") for level in scale] + [
        (CANNOT_JUDGE, str(_("I cannot judge this")))
    ]


def _competence_label(question: FeedbackQuestion) -> str:
    competence = question.competence
    return f"{competence.code} {competence.name}" if competence is not None else question.text


class _QuestionsForm(forms.Form):
    """A field per question of the round: q<id>, radio buttons on the scale, or a text for an open question."""

    def __init__(
        self,
        *args: Any,
        questions: Sequence[FeedbackQuestion],
        scale: Sequence[ScaleLevel],
        open_questions: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if open_questions or q.kind == QuestionKind.COMPETENCE]
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.COMPETENCE:
                self.fields[name] = forms.ChoiceField(
                    label=_competence_label(question),
                    choices=_level_choices(scale),
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=question.competence.description if question.competence is not None else "",
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                )

    @property
    def items(self) -> list[tuple[FeedbackQuestion, forms.BoundField]]:
        """Each question with its field, for the template (which groups competences under their domain)."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]

    def ratings(self) -> dict[int, int | None]:
        """Question id → value (None: cannot judge); questions left open are not in it."""
        ratings: dict[int, int | None] = {}
        for question in self.questions:
            if question.kind != QuestionKind.COMPETENCE:
                continue
            chosen = self.cleaned_data.get(f"q{question.pk}") or ""
            if chosen == CANNOT_JUDGE:
                ratings[question.pk] = None
            elif chosen:
                ratings[question.pk] = int(chosen)
        return ratings

    def texts(self) -> dict[int, str]:
        return {
            question.pk: str(self.cleaned_data.get(f"q{question.pk}") or "")
            for question in self.questions
            if question.kind == QuestionKind.OPEN
        }


class AnswerForm(_QuestionsForm):
    relation = forms.ChoiceField(
        label=_("I answer as"),
        choices=[(value, label) for value, label in Relation.choices if value in ANSWER_RELATIONS],
        widget=forms.RadioSelect,
    )
    named = forms.BooleanField(
        label=_("Show my answer with my name"),
        required=False,
        help_text=_("Only for a manager. Without this, your answer is shown only together with those of others."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("named") and cleaned.get("relation") != Relation.MANAGER:
            self.add_error("named", _("Only a manager can choose to be shown by name."))
        return cleaned

    def answer_input(self) -> AnswerInput:
        return AnswerInput(
            relation=self.cleaned_data["relation"],
            named=bool(self.cleaned_data.get("named")),
            ratings=self.ratings(),
            texts=self.texts(),
        )


class SelfRatingForm(_QuestionsForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, open_questions=False, **kwargs)


class ShareForm(forms.Form):
    """One select "share with": my manager, or one of the colleagues at my school(s) (as in the dossier)."""

    with_whom = forms.ChoiceField(label=_("Share the report with"))

    def __init__(self, *args: Any, managers: Sequence[Person], colleagues: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._colleagues = {str(person.pk): person for person in colleagues}
        choices: list[Any] = [("", _("Choose…"))]
        if managers:
            names = ", ".join(person.full_name for person in managers)
            choices.append((MANAGER_CHOICE, _("My manager (now: %(names)s)") % {"names": names}))
        if colleagues:
            choices.append((_("Colleagues"), [(str(person.pk), person.sort_name) for person in colleagues]))
        self.fields["with_whom"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        with_whom = cleaned.get("with_whom")
        if with_whom == MANAGER_CHOICE:
            cleaned["audience"], cleaned["grantee"] = ShareAudience.MANAGER, None
        elif with_whom:
            cleaned["audience"], cleaned["grantee"] = ShareAudience.PERSON, self._colleagues[with_whom]
        return cleaned
