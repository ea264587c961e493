"""Input validation for verbeterplannen, goals, actions and their checks.

What may be chosen (schools, standards, owners, next steps, proposals) is given to the forms by the view
from the selectors; the services check it all again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bekwaam.accounts.models import Person
from bekwaam.dossier.uploads import ALLOWED_TYPES
from bekwaam.quality.models import Standard
from bekwaam.quality.selectors.plans import BOARD, GoalProposal
from bekwaam.tenancy.forms import DateInput
from bekwaam.tenancy.models import School

TEXT_MAX = 10_000


def standard_label(standard: Standard) -> str:
    core = f" ({_('kernstandaard')})" if standard.is_core else ""
    return f"{standard.code} {standard.name}{core}"


def accept_attribute() -> str:
    """The file input's `accept`: a hint for the browser's file picker; the server decides by content."""
    return ",".join(sorted({f".{extension}" for extension in ALLOWED_TYPES.values()} | {".jpeg"}))


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this plan, and what the school wants to have reached at the end."),
    )


class PlanCreateForm(PlanForm):
    """A new plan: for which school (or the board itself), and which of the proposed goals to create."""

    school = forms.ChoiceField(label=_("For"))
    proposals = forms.MultipleChoiceField(
        label=_("Goals to start with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each goal you tick is created with the plan; you can change it and add actions afterwards."),
    )
    field_order = ("school", "title", "description", "proposals")

    def __init__(
        self,
        *args: Any,
        schools: Sequence[School],
        board_choice: bool,
        proposals: Sequence[GoalProposal] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "---------")]
        if board_choice:
            choices.append((BOARD, str(_("The board itself"))))
        choices += [(str(school.pk), school.name) for school in schools]
        self.fields["school"].choices = choices  # type: ignore[attr-defined]
        if proposals:
            self.fields["proposals"].choices = [(p.key, p.title) for p in proposals]  # type: ignore[attr-defined]
        else:
            del self.fields["proposals"]


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the school wants to reach, and how it will know it did."),
    )
    standards = forms.TypedMultipleChoiceField(
        label=_("Standards"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, standards: Sequence[Standard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].choices = [(s.pk, standard_label(s)) for s in standards]  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=str)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args: Any, owners: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (str(person.pk), person.full_name) for person in owners
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline cannot be before the start date."))
        return cleaned


class CheckForm(forms.Form):
    """A dated note of what was checked or done, with an optional document."""

    checked_on = forms.DateField(label=_("Date of the check"), widget=DateInput())
    text = forms.CharField(
        label=_("What was checked or done?"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(
        label=_("Document (optional)"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument or an image."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"checked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["document"].widget.attrs["accept"] = accept_attribute()


class ActionMoveForm(CheckForm):
    """The next PDCA step, with the dated note (needed for check and done; the service says so)."""

    move = forms.ChoiceField(label=_("Next step"), widget=forms.RadioSelect)
    field_order = ("move", "checked_on", "text", "document")

    def __init__(self, *args: Any, moves: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = list(moves)  # type: ignore[attr-defined]
        self.fields["text"].required = False
        self.fields["text"].help_text = _("Needed for “check” and “done”: what was checked, and what it showed.")
        if len(moves) == 1:
            self.fields["move"].initial = moves[0][0]
