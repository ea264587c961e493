"""Input of the learner's pages: the catalogue's filters and the quiz. Validation only; the quiz is judged
by services.learner.quiz_submit, never here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.learning.models import CourseLevel, Question, QuestionKind
from bekwaam.learning.selectors.learner import CatalogueChoices
from bekwaam.learning.services.learner import question_field

OPEN_ANSWER_MAX = 300
SEARCH_MAX = 100


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters (GET). A value that is not on offer is an error the page turns into a
    message; that filter is then left out, the others still apply."""

    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX)
    competence = forms.ChoiceField(label=_("Competence"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    offered_by = forms.ChoiceField(label=_("Offered by"), required=False)

    def __init__(self, *args: Any, choices: CatalogueChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["competence"].choices = [("", _("All competences")), *choices.competences]  # type: ignore[attr-defined]
        self.fields["level"].choices = [("", _("All levels")), *CourseLevel.choices]  # type: ignore[attr-defined]
        self.fields["offered_by"].choices = [("", _("Everyone")), *choices.offered_by]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters (call after is_valid()); an invalid field is simply not among them."""
        data = getattr(self, "cleaned_data", {})
        competence = data.get("competence") or ""
        slug, _sep, code = competence.partition(":")
        return {
            "search": (data.get("q") or "").strip(),
            "competence": (slug, code) if competence else None,
            "level": data.get("level") or "",
            "offered_by": data.get("offered_by") or "",
        }


class QuizForm(forms.Form):
    """One field per question: radio buttons for multiple choice, a short text for an open question."""

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        required = {"required": _("Answer this question.")}
        for number, question in enumerate(questions, start=1):
            label = f"{number}. {question.text}"
            field: forms.Field
            if question.kind == QuestionKind.OPEN:
                field = forms.CharField(
                    label=label,
                    max_length=OPEN_ANSWER_MAX,
                    error_messages=required,
                    widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(str(choice.pk), choice.text) for choice in question.choices.all()],
                    widget=forms.RadioSelect,
                    error_messages={**required, "invalid_choice": _("Choose one of the answers.")},
                )
            self.fields[question_field(question)] = field
