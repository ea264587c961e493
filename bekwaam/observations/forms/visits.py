"""Input validation for the lesson-visit pages; the rules (who, which kijkwijzer, states) live in
services/visits.py."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.observations.models import Observation, ObservationAgreement
from bekwaam.observations.services.visits import (
    AGREEMENT_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
    AgreementLine,
    ScoreChange,
    VisitDetails,
)
from bekwaam.tenancy.forms import DateInput
from bekwaam.tenancy.models import Employment

NEW_AGREEMENTS = 3  # empty lines offered on each save: more appear after saving (works without JavaScript)
GROUPS: list[tuple[Any, str]] = [("", "—"), *((n, str(n)) for n in range(1, 9))]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def employment_label(employment: Employment) -> str:
    return f"{employment.person.full_name} – {employment.school.name}"


def instrument_label(version: FrameworkVersion) -> str:
    label = version.label or gettext("version %(number)s") % {"number": version.number}
    return f"{version.framework.name} ({label})"


def grouped_by_school(employments: Iterable[Employment]) -> list[tuple[str, list[tuple[Any, str]]]]:
    """Choices in optgroups per school, in the queryset's order."""
    groups: dict[str, list[tuple[Any, str]]] = {}
    for employment in employments:
        groups.setdefault(employment.school.name, []).append((employment.pk, employment.person.full_name))
    return list(groups.items())


class VisitDetailsForm(forms.Form):
    """The plan of a visit: group, date and time, subject, kijkwijzer, focus agreed beforehand."""

    group = forms.TypedChoiceField(label=_("Group"), choices=GROUPS, coerce=int, help_text=_("Groep 1 to 8"))
    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_("A date in the past records a visit afterwards."),
    )
    start_time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput(), help_text=_("Optional."))
    subject = forms.CharField(
        label=_("Subject"), max_length=SUBJECT_MAX, help_text=_("The lesson visited, for example: rekenen.")
    )
    instrument = forms.ModelChoiceField(label=_("Kijkwijzer"), queryset=FrameworkVersion.objects.none())
    focus = forms.CharField(
        label=_("Focus points agreed beforehand"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the teacher asked you to look at, in your own words."),
    )
    focus_items = forms.ModelMultipleChoiceField(
        label=_("Items to focus on"),
        required=False,
        queryset=Competence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: items of the chosen kijkwijzer, highlighted while scoring."),
    )

    def __init__(
        self,
        *args: Any,
        instruments: Sequence[FrameworkVersion],
        items: QuerySet[Competence],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = list(instruments)
        instrument = self.fields["instrument"]
        instrument.queryset = FrameworkVersion.objects.filter(pk__in=[v.pk for v in self.instruments]).select_related(  # type: ignore[attr-defined]
            "framework"
        )
        instrument.label_from_instance = instrument_label  # type: ignore[attr-defined]
        if len(self.instruments) == 1 and not self.is_bound and "instrument" not in self.initial:
            self.initial["instrument"] = self.instruments[0].pk
        self.items = list(items)
        focus_items = self.fields["focus_items"]
        focus_items.queryset = items  # type: ignore[attr-defined]
        names = {version.pk: instrument_label(version) for version in self.instruments}
        groups: dict[str, list[tuple[Any, str]]] = {}
        for item in self.items:
            groups.setdefault(names.get(item.version_id, ""), []).append((item.pk, f"{item.code} {item.name}"))
        focus_items.choices = list(groups.items())  # type: ignore[attr-defined]

    def focus_groups(self) -> list[tuple[str, list[tuple[str, Competence, bool]]]]:
        """The focus items per kijkwijzer, each with its checkbox id and whether it is ticked (the template
        renders them as one fieldset with a group per kijkwijzer)."""
        field = self["focus_items"]
        raw = field.value() or []
        chosen = {str(value) for value in (raw if isinstance(raw, list | tuple) else [raw])}
        names = {version.pk: instrument_label(version) for version in self.instruments}
        groups: dict[str, list[tuple[str, Competence, bool]]] = {}
        for n, item in enumerate(self.items):
            groups.setdefault(names.get(item.version_id, ""), []).append(
                (f"{field.auto_id}_{n}", item, str(item.pk) in chosen)
            )
        return list(groups.items())

    def plain_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name != "focus_items"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instrument, items = cleaned.get("instrument"), cleaned.get("focus_items")
        if instrument is not None and items and any(item.version_id != instrument.pk for item in items):
            self.add_error("focus_items", _("Choose focus items of the chosen kijkwijzer."))
        return cleaned

    def details(self) -> VisitDetails:
        data = self.cleaned_data
        return VisitDetails(
            group=data["group"],
            date=data["date"],
            start_time=data.get("start_time"),
            subject=data["subject"],
            instrument=data["instrument"],
            focus=data.get("focus") or "",
            focus_items=list(data.get("focus_items") or []),
        )

    def is_in_the_past(self) -> bool:
        day = self.cleaned_data.get("date") if hasattr(self, "cleaned_data") else None
        return day is not None and day < timezone.localdate()


class VisitPlanForm(VisitDetailsForm):
    employment = forms.ChoiceField(label=_("Teacher"), help_text=_("Whose lesson you visit."))

    field_order = ("employment", "group", "date", "start_time", "subject", "instrument", "focus", "focus_items")

    def __init__(self, *args: Any, employments: QuerySet[Employment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employments = employments
        self.fields["employment"].choices = [("", "—"), *grouped_by_school(employments)]  # type: ignore[attr-defined]
        self.order_fields(self.field_order)

    def clean_employment(self) -> Employment:
        value = self.cleaned_data.get("employment")
        employment = self.employments.filter(pk=value).first() if value else None
        if employment is None:
            raise ValidationError(_("Choose a teacher whose lessons you may visit."))
        return employment


class PeerRequestForm(VisitDetailsForm):
    colleague = forms.ChoiceField(
        label=_("Colleague"), help_text=_("Who observes your lesson. Only the two of you ever see this visit.")
    )
    employment = forms.ModelChoiceField(
        label=_("Your job"), queryset=Employment.objects.none(), empty_label=None, help_text=_("Where the lesson is.")
    )

    field_order = (
        "colleague",
        "employment",
        "group",
        "date",
        "start_time",
        "subject",
        "instrument",
        "focus",
        "focus_items",
    )

    def __init__(self, *args: Any, colleagues: QuerySet[Employment], own: QuerySet[Employment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = colleagues
        self.fields["colleague"].choices = [("", "—"), *grouped_by_school(colleagues)]  # type: ignore[attr-defined]
        self.only_employment: Employment | None = None
        if own.count() == 1:
            # One job: nothing to choose, the lesson is there.
            self.only_employment = own.first()
            del self.fields["employment"]
        else:
            employment = self.fields["employment"]
            employment.queryset = own  # type: ignore[attr-defined]
            employment.label_from_instance = lambda e: e.school.name  # type: ignore[attr-defined]
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.only_employment is not None:
            cleaned["employment"] = self.only_employment
        return cleaned

    def clean_colleague(self) -> Employment:
        value = self.cleaned_data.get("colleague")
        colleague = self.colleagues.filter(pk=value).first() if value else None
        if colleague is None:
            raise ValidationError(_("Choose a colleague who works at your board now."))
        return colleague


def visit_initial(observation: Observation) -> dict[str, Any]:
    return {
        "group": observation.group,
        "date": observation.date,
        "start_time": observation.start_time,
        "subject": observation.subject,
        "instrument": observation.instrument_id,
        "focus": observation.focus,
        "focus_items": list(observation.focus_items.values_list("pk", flat=True)),
    }


class DebriefForm(forms.Form):
    """The nagesprek: what went well, points to work on, and the agreements (one per line)."""

    went_well = forms.CharField(
        label=_("What went well"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    work_on = forms.CharField(
        label=_("Points to work on"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, agreements: Sequence[ObservationAgreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement_rows = list(agreements)
        for agreement in self.agreement_rows:
            self.fields[f"agreement_{agreement.pk}"] = forms.CharField(
                label=_("Agreement"), max_length=AGREEMENT_MAX, required=False, initial=agreement.text
            )
        for n in range(1, NEW_AGREEMENTS + 1):
            self.fields[f"agreement_new_{n}"] = forms.CharField(
                label=_("New agreement"), max_length=AGREEMENT_MAX, required=False
            )

    def text_fields(self) -> list[forms.BoundField]:
        return [self["went_well"], self["work_on"]]

    def agreement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("agreement_")]

    def agreements(self) -> list[AgreementLine]:
        data = self.cleaned_data
        rows = [AgreementLine(a.pk, data.get(f"agreement_{a.pk}") or "") for a in self.agreement_rows]
        rows += [AgreementLine(None, data.get(f"agreement_new_{n}") or "") for n in range(1, NEW_AGREEMENTS + 1)]
        return rows


class ReactionForm(forms.Form):
    reaction = forms.CharField(
        label=_("Your reaction"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. The observer reads it once you have marked the visit as seen."),
    )


# --- scores -------------------------------------------------------------------------------------------


def _value(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValidationError(gettext("A score must be a whole number."))
    try:
        return int(raw)
    except ValueError as error:
        raise ValidationError(gettext("A score must be a whole number.")) from error


def score_changes_from_post(data: Mapping[str, Any], *, now: datetime.datetime) -> list[ScoreChange]:
    """The scoring form sent without JavaScript: `item_<id>` (a scale value, or empty for not scored) and
    `note_<id>` for every item on the page, all made now."""
    changes = []
    for key in data:
        if not key.startswith("item_"):
            continue
        try:
            item_id = int(key.removeprefix("item_"))
        except ValueError as error:
            raise ValidationError(gettext("This item is not part of the kijkwijzer of this visit.")) from error
        note = data.get(f"note_{item_id}", "")
        changes.append(ScoreChange(item_id=item_id, value=_value(data.get(key)), note=str(note), edited_at=now))
    return changes


def score_changes_from_json(payload: Any, *, now: datetime.datetime) -> list[ScoreChange]:
    """The scoring page's own requests: {"changes": [{"item", "value", "note", "edited_at"}]}, the edit time in
    milliseconds since 1970 as the device knew it (missing: now)."""
    if isinstance(payload, str | bytes):
        try:
            payload = json.loads(payload)
        except ValueError as error:
            raise ValidationError(gettext("The changes could not be read. Reload the page and try again.")) from error
    rows = payload.get("changes") if isinstance(payload, dict) else payload
    if not isinstance(rows, list):
        raise ValidationError(gettext("The changes could not be read. Reload the page and try again."))
    changes = []
    for row in rows:
        if not isinstance(row, dict) or isinstance(row.get("item"), bool) or not isinstance(row.get("item"), int):
            raise ValidationError(gettext("This item is not part of the kijkwijzer of this visit."))
        note = row.get("note") or ""
        if not isinstance(note, str):
            raise ValidationError(gettext("The changes could not be read. Reload the page and try again."))
        edited = row.get("edited_at")
        if edited is None:
            edited_at = now
        elif isinstance(edited, int | float) and not isinstance(edited, bool) and 0 < edited < 1e14:
            edited_at = datetime.datetime.fromtimestamp(edited / 1000, tz=datetime.UTC)
        else:
            raise ValidationError(gettext("The changes could not be read. Reload the page and try again."))
        changes.append(ScoreChange(item_id=row["item"], value=_value(row.get("value")), note=note, edited_at=edited_at))
    return changes
