"""Input validation for the team report's choices: kijkwijzer and period (a school year, or from/to)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.frameworks.models import Framework, FrameworkVersion
from bekwaam.lib.dates import school_year_label, school_year_of

# Bounds for a typed date: a report on the year 0001 is a typing error, and the previous period of such
# a range would fall before the calendar's start.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
YEARS_OFFERED = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TeamReportForm(forms.Form):
    instrument = forms.CharField(label=_("Kijkwijzer"), required=False, widget=forms.Select)
    year = forms.CharField(label=_("School year"), required=False, widget=forms.Select)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    end = forms.DateField(label=_("To"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d", "%d-%m-%Y"])

    def __init__(self, *args: Any, frameworks: list[Framework], today: datetime.date, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_report_%s")
        super().__init__(*args, **kwargs)
        self.frameworks = frameworks
        self.today = today
        current = school_year_of(today)
        self.years = [current - back for back in range(YEARS_OFFERED)]
        instrument = self.fields["instrument"]
        instrument.widget.choices = [
            ("", _("– the kijkwijzer used most in this period –")),
            *((str(framework.pk), framework.name) for framework in frameworks),
        ]
        year = self.fields["year"]
        year.widget.choices = [
            ("", _("– the current school year, or the dates below –")),
            *((str(y), school_year_label(y)) for y in self.years),
        ]

    def clean_instrument(self) -> Framework | None:
        """A framework by id or slug, or a version by id (its framework): items are matched across versions."""
        value = (self.cleaned_data.get("instrument") or "").strip()
        if not value:
            return None
        for framework in self.frameworks:
            if value in (str(framework.pk), framework.slug):
                return framework
        try:
            version_id = uuid.UUID(value)
        except ValueError:
            version_id = None
        if version_id is not None:
            framework_id = (
                FrameworkVersion.objects.filter(pk=version_id, framework__in=self.frameworks)
                .values_list("framework_id", flat=True)
                .first()
            )
            for framework in self.frameworks:
                if framework.pk == framework_id:
                    return framework
        raise forms.ValidationError(_("Choose one of the board's kijkwijzers."), code="unknown_instrument")

    def clean_year(self) -> int | None:
        value = (self.cleaned_data.get("year") or "").strip()
        if not value:
            return None
        try:
            year = int(value)
        except ValueError:
            year = 0
        if not EARLIEST.year <= year <= LATEST.year:
            raise forms.ValidationError(_("Choose a school year."), code="bad_year")
        return year

    def _in_range(self, name: str) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": EARLIEST.strftime("%d-%m-%Y"), "last": LATEST.strftime("%d-%m-%Y")},
                code="out_of_range",
            )
        return day

    def clean_start(self) -> datetime.date | None:
        return self._in_range("start")

    def clean_end(self) -> datetime.date | None:
        return self._in_range("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start > end:
            self.add_error("end", forms.ValidationError(_("The end date lies before the start date."), code="order"))
        return data
