"""The team, school and board pages of insights, and the board's "refresh now".

- insights:team — a leidinggevende: the people they lead (the team group of their own person id);
- insights:school — one school: board viewers, and a schoolleider for the schools they manage (404 otherwise);
- insights:board — bestuurder, kwaliteitsmedewerker: the board total and every school side by side;
- insights:board_refresh — POST: enqueue a refresh of the board's figures (insights.tasks).

The address may choose the metric, the framework and the school year, nothing else: any other parameter
(a person, a team, a school, a date) is refused with a page that says why (400), before any figure is read.
The PDF and the CSV exports (views.exports) and the API (bekwaam.api) use the same context and selectors.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bekwaam.insights.forms.groups import PARAMETERS, InsightsFilterForm
from bekwaam.insights.selectors.aggregates import (
    Audience,
    Insights,
    audience_board_for,
    audience_school_for,
    audience_team_for,
    choices_for,
    insights_for,
    selection_resolve,
)
from bekwaam.insights.services.release import refresh_request
from bekwaam.lib.charts import DistributionRow, MeanRow, distribution_chart, mean_chart
from bekwaam.lib.dates import school_year_label
from bekwaam.tenancy.policy import ActorRequest, actor_view

TEMPLATES = {
    "board": "insights/groups/board.html",
    "school": "insights/groups/school.html",
    "team": "insights/groups/team.html",
}


def refused_parameters(request: HttpRequest) -> list[str]:
    """The address's parameters that are not a page's choices, or given more than once."""
    return sorted(key for key in request.GET if key not in PARAMETERS or len(request.GET.getlist(key)) > 1)


# --- charts, shared by the pages and the PDF ---------------------------------------------------------------


def insights_charts(insights: Insights) -> dict[str, Any]:
    """The charts of the chosen year: a distribution per dimension and the means (with the year before), or
    for conversations the people per milestone; on the board page a chart per dimension of the schools."""
    current, previous = insights.current, insights.previous
    charts: dict[str, Any] = {"schools": []}
    year, before = insights.selection.year_label, school_year_label(insights.selection.year - 1)
    series = (year, before) if previous is not None else None
    if current is not None and not insights.is_counts:
        charts["distribution"] = distribution_chart(
            chart_id="chart-distribution",
            title=_("How many records on each level, per domain, in %(year)s") % {"year": year},
            description=_(
                "A bar per domain, divided by level from low to high, each part with its number of records. "
                "The table below the chart has the same figures."
            ),
            categories=[level.name for level in insights.levels],
            rows=[
                DistributionRow(figures.dimension.label, figures.counts)
                for dimension in insights.dimensions
                if (figures := current.figures.get(dimension.code)) is not None
            ],
        )
    if current is not None:
        rows = []
        for dimension in insights.dimensions:
            figures = current.figures.get(dimension.code)
            if figures is None:
                continue
            earlier = previous.figures.get(dimension.code) if previous is not None else None
            if insights.is_counts:
                rows.append(MeanRow(dimension.label, figures.people, earlier.people if earlier else None))
            else:
                rows.append(MeanRow(dimension.label, float(figures.mean), float(earlier.mean) if earlier else None))
        if insights.is_counts:
            top = max([row.value or 0 for row in rows] + [row.previous or 0 for row in rows] + [1])
            charts["means"] = mean_chart(
                chart_id="chart-means",
                title=_("People per milestone in %(year)s") % {"year": year},
                description=_("A bar per kind of conversation and milestone: how many people reached it.")
                + " "
                + _("The table below the chart has the same figures."),
                rows=rows,
                minimum=0,
                maximum=top,
                steps=[0, top],
                series=series,
                decimals=0,
            )
        else:
            charts["means"] = mean_chart(
                chart_id="chart-means",
                title=_("Mean per domain in %(year)s") % {"year": year},
                description=(
                    _("Bars for the mean per domain in %(now)s and in %(before)s.") % {"now": year, "before": before}
                    if series
                    else _("Bars for the mean per domain in %(now)s.") % {"now": year}
                )
                + " "
                + _("The table below the chart has the same figures."),
                rows=rows,
                minimum=0,
                maximum=max(insights.scale_max, 1),
                series=series,
            )
    if insights.audience.kind == "board" and not insights.is_counts:
        categories = [level.name for level in insights.levels]
        for index, dimension in enumerate(insights.dimensions, start=1):
            rows_of_schools = insights.schools_for(dimension.code)
            if not rows_of_schools:
                continue
            chart = distribution_chart(
                chart_id=f"chart-schools-{index}",
                title=_("%(domain)s per school, %(year)s") % {"domain": dimension.label, "year": year},
                description=_(
                    "A bar per school whose figures are shown, divided by level from low to high, each part with its "
                    "number of records. The table below the chart has the same figures."
                ),
                categories=categories,
                rows=[DistributionRow(series_.name, figures.counts) for series_, figures in rows_of_schools],
            )
            charts["schools"].append((dimension, chart, rows_of_schools))
    return charts


# --- the pages ---------------------------------------------------------------------------------------------------


def page_context(
    request: ActorRequest, audience: Audience, *, schools_all_years: bool = False
) -> tuple[dict[str, Any], int]:
    """The context of a page (also its PDF and CSV) and its status: 400 for a refused parameter or a bad choice."""
    context: dict[str, Any] = {"audience": audience}
    refused = refused_parameters(request)
    if refused:
        context["refused"] = refused
        return context, 400
    choices = choices_for(audience=audience)
    form = InsightsFilterForm(request.GET or None, choices=choices)
    context["form"] = form
    if request.GET and not form.is_valid():
        return context, 400
    data = form.cleaned_data if request.GET else {}
    selection = selection_resolve(
        choices,
        today=timezone.localdate(),
        metric=data.get("metric"),
        framework_slug=data.get("framework"),
        year=data.get("year"),
    )
    insights = insights_for(
        audience=audience, choices=choices, selection=selection, schools_all_years=schools_all_years
    )
    if not request.GET:
        form = InsightsFilterForm(
            {"metric": selection.metric, "framework": selection.framework_slug, "year": str(selection.year)},
            choices=choices,
        )
        form.is_valid()
    query = request.GET.urlencode()
    context.update({"form": form, "insights": insights, "query": f"?{query}" if query else ""})
    return context, 200


def render_page(request: ActorRequest, audience: Audience) -> HttpResponse:
    context, status = page_context(request, audience)
    if "refused" in context:
        return render(request, "insights/groups/refused.html", context, status=status)
    if "insights" in context:
        context["charts"] = insights_charts(context["insights"])
        context["may_refresh"] = rules.test_rule("insights.refresh", request.actor)
    return render(request, TEMPLATES[audience.kind], context, status=status)


@require_safe
@actor_view("insights.team")
def team(request: ActorRequest) -> HttpResponse:
    """The figures of the people the actor leads, per metric and framework, over the school years."""
    return render_page(request, audience_team_for(actor=request.actor))


@require_safe
@actor_view("insights.board")
def board(request: ActorRequest) -> HttpResponse:
    """The board total and every school side by side, per metric and school year, with the trend."""
    return render_page(request, audience_board_for(actor=request.actor))


@require_safe
@actor_view("insights.schools")
def school(request: ActorRequest, school_id: int) -> HttpResponse:
    """One school's figures over the school years (404 for a school the actor may not see)."""
    return render_page(request, audience_school_for(actor=request.actor, school_id=school_id))


@require_POST
@actor_view("insights.refresh")
def board_refresh(request: ActorRequest) -> HttpResponse:
    """Ask for the board's figures to be refreshed now (the daily run does it anyway)."""
    if refresh_request(actor=request.actor):
        messages.success(
            request,
            _(
                "The figures are being refreshed. New figures appear once enough new people can be added at once; "
                "reload this page in a minute."
            ),
        )
    else:
        messages.info(request, _("A refresh is already running. Reload this page in a minute."))
    return redirect(reverse("insights:board"))
