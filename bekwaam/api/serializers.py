"""The API's answers, described for the OpenAPI schema and filled from insights.selectors.aggregates.

Serializers here only shape what the selectors return (STYLE.md: no logic in serializers). A withheld group
and school year carries its reason and no numbers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from bekwaam.insights.selectors.aggregates import GroupSeries, Insights

SHOWN, WITHHELD = "shown", "withheld"


class LevelSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # the answer's key; DRF's Field.label is unrelated


class DimensionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="A domain code, or '<conversation kind>:<milestone>'.")
    label = serializers.CharField()  # type: ignore[assignment]  # the answer's key; DRF's Field.label is unrelated
    people = serializers.IntegerField(help_text="Different people with a record on this dimension.")
    records = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=9, decimal_places=3, allow_null=True, help_text="Null for counts.")
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text="Records per level, in the order of the slice's levels."
    )


class GroupYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="The calendar year the school year began in.")
    label = serializers.CharField()  # type: ignore[assignment]  # the answer's key; DRF's Field.label is unrelated
    status = serializers.ChoiceField(choices=[SHOWN, WITHHELD])
    reason = serializers.CharField(allow_blank=True)
    figures_as_of = serializers.DateTimeField(allow_null=True)
    dimensions = DimensionSerializer(many=True)


class GroupSerializer(serializers.Serializer[Any]):
    group = serializers.CharField(help_text="'board', 'school:<id>' or 'team:<person id>'.")
    kind = serializers.CharField(help_text="'board', 'school' or 'team'.")
    name = serializers.CharField()
    school_id = serializers.IntegerField(allow_null=True)
    years = GroupYearSerializer(many=True)


class SliceSerializer(serializers.Serializer[Any]):
    metric = serializers.CharField()
    metric_label = serializers.CharField()
    framework = serializers.CharField(allow_blank=True, help_text="The framework's slug; empty for conversations.")
    framework_name = serializers.CharField(allow_blank=True)
    levels = LevelSerializer(many=True)
    groups = GroupSerializer(many=True)


class InsightsSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField(help_text="Whose page: 'board' (with its schools), 'school' or 'team'.")
    name = serializers.CharField()
    minimum_group_size = serializers.IntegerField()
    slices = SliceSerializer(many=True)


def _series(insights: Insights, series: GroupSeries, *, year: int | None) -> dict[str, Any]:
    years = []
    for row in insights.trend_of(series):
        if year is not None and row.year != year:
            continue
        entry = row.entry
        years.append(
            {
                "year": row.year,
                "label": row.label,
                "status": SHOWN if entry else WITHHELD,
                "reason": ""
                if entry
                else _("Fewer than %(threshold)s people, or the figures would show someone's result.")
                % {"threshold": insights.threshold},
                "figures_as_of": entry.released_at if entry else None,
                "dimensions": [
                    {
                        "code": figures.dimension.code,
                        "label": figures.dimension.label,
                        "people": figures.people,
                        "records": figures.records,
                        "mean": None if insights.is_counts else figures.mean,
                        "counts": [] if insights.is_counts else figures.counts,
                    }
                    for figures in row.cells
                    if figures is not None
                ],
            }
        )
    kind = insights.audience.kind if series is insights.main else "school"
    return {
        "group": series.group,
        "kind": kind,
        "name": series.name,
        "school_id": series.school.pk if series.school is not None else None,
        "years": years,
    }


def insights_payload(
    slices: list[Insights], *, scope: str, name: str, threshold: int, year: int | None
) -> dict[str, Any]:
    """The answer: per metric and framework, the page's group (and on the board's, each school) per school year."""
    return {
        "scope": scope,
        "name": name,
        "minimum_group_size": threshold,
        "slices": [
            {
                "metric": insights.selection.metric,
                "metric_label": insights.metric_label,
                "framework": insights.selection.framework_slug,
                "framework_name": insights.framework_name,
                "levels": []
                if insights.is_counts
                else [{"value": level.value, "label": level.label} for level in insights.levels],
                "groups": [_series(insights, series, year=year) for series in (insights.main, *insights.schools)],
            }
            for insights in slices
        ],
    }
