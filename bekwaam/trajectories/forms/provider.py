"""Input of the aanbieder's pages: templates, steps, assignments, and the steps of a trajectory.

Validation only (types, lengths, choices); the services check the rules on the locked rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bekwaam.register.models import Theme
from bekwaam.trajectories.models import StepKind, TemplateKind, TrajectoryTemplate
from bekwaam.trajectories.services.templates import (
    CRITERIA_MAX,
    DOWN,
    MIN_ITEMS_MAX,
    NAME_MAX,
    TEXT_MAX,
    UP,
    AssignmentData,
    TemplateData,
)

START_EMPTY, START_EXAMPLE = "empty", "example"


def criteria_text(template: TrajectoryTemplate) -> str:
    """The criteria as the form shows them: one per line."""
    return "\n".join(str(item.get("text", "")) for item in template.criteria or [])


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=TemplateKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What candidates read before they enrol."),
    )
    price = forms.DecimalField(
        label=_("Price (euro)"), min_value=Decimal("0"), max_digits=8, decimal_places=2, initial=Decimal("0")
    )
    coaching_offered = forms.BooleanField(label=_("Coaching offered"), required=False)
    coaching_price = forms.DecimalField(
        label=_("Price of coaching (euro)"),
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("Paid on top of the price by candidates who choose coaching."),
    )
    reflection_instrument = forms.CharField(
        label=_("Reflection instrument"),
        required=False,
        max_length=300,
        help_text=_("Optional: the self-reflection tool candidates use (a name or a web address)."),
    )
    criteria = forms.CharField(
        label=_("Assessment criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One criterion per line (at most %(max)d): what the assessors substantiate in their judgement.")
        % {"max": CRITERIA_MAX},
    )

    def data_object(self) -> TemplateData:
        data = self.cleaned_data
        return TemplateData(
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            coaching_offered=data["coaching_offered"],
            coaching_price=data["coaching_price"] or Decimal("0"),
            reflection_instrument=data["reflection_instrument"],
            price=data["price"],
            criteria=str(data["criteria"]).splitlines(),
        )


class TemplateCreateForm(TemplateForm):
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (START_EXAMPLE, _("An example of this kind: its steps and assignments filled in, to change as you like")),
            (START_EMPTY, _("An empty template: add the steps and assignments yourself")),
        ],
        initial=START_EXAMPLE,
        widget=forms.RadioSelect,
    )

    field_order = ("name", "kind", "start")


def template_initial(template: TrajectoryTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "kind": template.kind,
        "description": template.description,
        "price": template.price,
        "coaching_offered": template.coaching_offered,
        "coaching_price": template.coaching_price,
        "reflection_instrument": template.reflection_instrument,
        "criteria": criteria_text(template),
    }


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of step"), choices=StepKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=NAME_MAX, required=False, help_text=_("Empty: the name of the kind.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "step_%s")  # unique ids beside the other forms of the template page
        super().__init__(*args, **kwargs)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, UP), (DOWN, DOWN)])


def theme_choices() -> Any:
    year = timezone.localdate().year
    return Theme.objects.filter(first_year__lte=year).exclude(last_year__lt=year).order_by("name")


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Every theme"),
        help_text=_("An assignment for one theme is given only to candidates who enrol for that theme."),
    )
    min_evidence = forms.IntegerField(label=_("Evidence required"), min_value=0, max_value=MIN_ITEMS_MAX, initial=1)
    min_reflections = forms.IntegerField(
        label=_("Reflections required"), min_value=0, max_value=MIN_ITEMS_MAX, initial=1
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assignment_%s")  # unique ids beside the other forms of the template page
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = theme_choices()  # type: ignore[attr-defined]

    def data_object(self) -> AssignmentData:
        data = self.cleaned_data
        return AssignmentData(
            title=data["title"],
            instructions=data["instructions"],
            theme=data["theme"],
            min_evidence=data["min_evidence"],
            min_reflections=data["min_reflections"],
        )


# --- the steps of a trajectory --------------------------------------------------------------------------


class AcceptForm(forms.Form):
    coach: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Coach"), queryset=get_user_model().objects.none(), empty_label=_("Choose a coach")
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]
        self.fields["coach"].label_from_instance = lambda person: person.full_name  # type: ignore[attr-defined]


class AdditionsForm(forms.Form):
    missing = forms.CharField(
        label=_("What is missing"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The candidate reads this and adds to the portfolio before asking again."),
    )


class InterviewForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    location = forms.CharField(
        label=_("Location"), max_length=200, help_text=_("An address, a room, or a link to the video call.")
    )

    def moment(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))


class CoachingSessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the session"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Record a session once it has taken place."),
    )
    summary = forms.CharField(label=_("Summary"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    item = forms.ChoiceField(label=_("About"), required=False)

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        if items:
            field.choices = [("", _("The portfolio as a whole")), *items]  # type: ignore[attr-defined]
        else:
            del self.fields["item"]
