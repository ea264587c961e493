"""The team, school and board figures as CSV, and the board page as a PDF: the pages' own context.

Each export goes through views.groups.page_context — the same rules, the same refusal of any parameter
but metric, framework and school year, the same selectors (insights.selectors.aggregates) — so an export
never holds a figure its page would not show. The CSV has every school year of the chosen metric and
framework (on the board's, every school too), one row per group, school year and dimension; a withheld group
and year is one row that says so, without numbers. As Dutch Excel reads it: UTF-8 with a byte-order mark,
";"-separated, text that looks like a formula prefixed with ' (quality.exports).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bekwaam.insights.selectors.aggregates import (
    Audience,
    GroupSeries,
    Insights,
    audience_board_for,
    audience_school_for,
    audience_team_for,
)
from bekwaam.insights.views.groups import TEMPLATES, insights_charts, page_context
from bekwaam.lib.dates import school_year_label
from bekwaam.lib.pdf import pdf_render
from bekwaam.quality.exports import Cell, csv_bytes
from bekwaam.tenancy.policy import ActorRequest, actor_view

HUNDREDTH = Decimal("0.01")  # the mean in the CSV, rounded half up (number_format alone would cut it off)


def withheld_text(threshold: int) -> str:
    return _("withheld: fewer than %(threshold)s people, or the figures would show someone's result") % {
        "threshold": threshold
    }


def _kind_label(series: GroupSeries, insights: Insights) -> str:
    if series is not insights.main:
        return _("School")
    return {"board": _("Board"), "school": _("School"), "team": _("Team")}[insights.audience.kind]


def insights_table(insights: Insights) -> tuple[list[str], list[list[Cell]]]:
    """Header and rows: per group (the page's own, then each school), school year and dimension."""
    header = [
        _("Group"),
        _("Name"),
        _("BRIN number"),
        _("School year"),
        _("Measure"),
        _("Framework"),
        _("Code"),
        _("Dimension"),
        _("Status"),
        _("People"),
        _("Records"),
    ]
    if not insights.is_counts:
        header += [_("Mean"), *(f"{_('Level')} {level.name}" for level in insights.levels)]
    rows: list[list[Cell]] = []
    for series in (insights.main, *insights.schools):
        for year in insights.years:
            lead: list[Cell] = [
                _kind_label(series, insights),
                series.name,
                series.school.brin if series.school is not None else "",
                school_year_label(year),
                insights.metric_label,
                insights.framework_name,
            ]
            entry = series.at(year)
            if entry is None:
                rows.append([*lead, "", "", withheld_text(insights.threshold), None, None])
                continue
            for dimension in insights.dimensions:
                figures = entry.figures.get(dimension.code)
                if figures is None:
                    continue
                row: list[Cell] = [*lead, dimension.code, dimension.label, _("shown"), figures.people, figures.records]
                if not insights.is_counts:
                    row += [number_format(figures.mean.quantize(HUNDREDTH, rounding=ROUND_HALF_UP), 2), *figures.counts]
                rows.append(row)
    return header, rows


def _csv(request: ActorRequest, audience: Audience, name: str) -> HttpResponse:
    context, status = page_context(request, audience, schools_all_years=True)
    if status != 200:
        return _page_again(request, context, status)
    header, rows = insights_table(context["insights"])
    filename = f"{slugify(name)}-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _page_again(request: ActorRequest, context: dict[str, Any], status: int) -> HttpResponse:
    """A refused parameter or a bad choice: the page's answer, not a file."""
    if "refused" in context:
        return render(request, "insights/groups/refused.html", context, status=status)
    return render(request, TEMPLATES[context["audience"].kind], context, status=status)


@require_safe
@actor_view("insights.board")
def board_csv(request: ActorRequest) -> HttpResponse:
    """The board's figures and every school's, every school year of the chosen metric and framework."""
    audience = audience_board_for(actor=request.actor)
    return _csv(request, audience, f"{_('figures')} {audience.name}")


@require_safe
@actor_view("insights.schools")
def school_csv(request: ActorRequest, school_id: int) -> HttpResponse:
    """One school's figures, every school year of the chosen metric and framework."""
    audience = audience_school_for(actor=request.actor, school_id=school_id)
    return _csv(request, audience, f"{_('figures')} {audience.name}")


@require_safe
@actor_view("insights.team")
def team_csv(request: ActorRequest) -> HttpResponse:
    """The actor's team's figures, every school year of the chosen metric and framework."""
    audience = audience_team_for(actor=request.actor)
    return _csv(request, audience, f"{_('figures')} {_('team')}")


@require_safe
@actor_view("insights.board")
def board_pdf(request: ActorRequest) -> HttpResponse:
    """The board page as a PDF: the same figures, charts and withheld schools."""
    audience = audience_board_for(actor=request.actor)
    context, status = page_context(request, audience)
    if status != 200:
        return _page_again(request, context, status)
    insights: Insights = context["insights"]
    context["charts"] = insights_charts(insights)
    html = render_to_string("insights/groups/board_pdf.html", {**context, "printed": timezone.localdate()})
    response = HttpResponse(pdf_render(html), content_type="application/pdf")
    filename = f"{slugify(_('figures'))}-{insights.selection.metric}-{insights.selection.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
