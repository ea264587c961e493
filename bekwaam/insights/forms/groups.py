"""The only choices on a team, school or board page (and its exports and API): metric, framework, school year.

Each is one of fixed values. Any other parameter in the address — a person, a team, a school, a date — is
refused before this form is made (views.groups.refused_parameters): nothing can narrow a group.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.insights.models import Metric
from bekwaam.insights.selectors.aggregates import Choices
from bekwaam.lib.dates import school_year_label

PARAMETERS = frozenset({"metric", "framework", "year"})
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class InsightsFilterForm(forms.Form):
    metric = forms.CharField(label=_("Measure"), required=False, widget=forms.Select)
    framework = forms.CharField(label=_("Framework or kijkwijzer"), required=False, widget=forms.Select)
    year = forms.CharField(label=_("School year"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_insights_%s")
        super().__init__(*args, **kwargs)
        self.choices = choices
        metric_widget: Any = self.fields["metric"].widget
        metric_widget.choices = [(metric, Metric(metric).label) for metric in Metric.values]
        framework_widget: Any = self.fields["framework"].widget
        framework_widget.choices = [("", _("– not for conversations –"))] + [
            (str(Metric(metric).label), [(slug, choices.framework_name(slug)) for slug in choices.frameworks(metric)])
            for metric in choices.metrics
            if metric != Metric.CONVERSATIONS
        ]
        year_widget: Any = self.fields["year"].widget
        year_widget.choices = [(str(year), school_year_label(year)) for year in reversed(choices.all_years)]

    def clean_metric(self) -> str | None:
        value = (self.cleaned_data.get("metric") or "").strip()
        if not value:
            return None
        if value not in Metric.values:
            raise forms.ValidationError(_("Choose one of the measures."), code="unknown_metric")
        return value

    def clean_framework(self) -> str | None:
        value = (self.cleaned_data.get("framework") or "").strip()
        if not value:
            return None
        if not any(value in self.choices.frameworks(metric) for metric in self.choices.metrics):
            raise forms.ValidationError(_("Choose one of the frameworks with figures."), code="unknown_framework")
        return value

    def clean_year(self) -> int | None:
        value = (self.cleaned_data.get("year") or "").strip()
        if not value:
            return None
        year = int(value) if value.isascii() and value.isdigit() and len(value) == 4 else 0
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise forms.ValidationError(
                _("Choose a school year: the year it began, such as 2025 for 2025-2026."), code="bad_year"
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric, framework = data.get("metric"), data.get("framework")
        # A framework of another measure (the metric was changed, the framework left): that measure's own.
        if metric and framework and framework not in self.choices.frameworks(metric):
            data["framework"] = None
        return data
