"""Input validation for adding a second observer (calibration)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.accounts.models import Person


class ObserverChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class CalibrationAddForm(forms.Form):
    observer = ObserverChoiceField(
        label=_("Second observer"),
        queryset=Person.objects.none(),
        empty_label=_("– choose a colleague who observes lessons –"),
        help_text=_(
            "They score the same lesson on their own. Neither of you sees the other's scores until both have "
            "put theirs forward."
        ),
    )

    def __init__(self, *args: Any, choices: Sequence[Person] | Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_calibration_%s")
        super().__init__(*args, **kwargs)
        field: Any = self.fields["observer"]
        field.queryset = (
            choices if hasattr(choices, "model") else Person.objects.filter(pk__in=[person.pk for person in choices])
        )
