"""The team report (page and PDF), the board's calibration overview, and a calibration's comparison page
with the form that adds a second observer.

The team report has an object rule on the school (observations.view_team_report: the board's quality
viewers, and a schoolleider for the schools they manage); a school of another board is not found (404).
The calibration overview is for the kwaliteitsmedewerker (observations.view_calibration_overview). The
comparison page answers 404 to everyone outside the calibration set and to the teacher
(selectors.calibration.calibration_get_for); the blind rule is the selector's.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bekwaam.lib.charts import DistributionRow, MeanRow, distribution_chart, mean_chart
from bekwaam.lib.forms import apply_validation_error
from bekwaam.lib.pdf import pdf_render
from bekwaam.observations.forms.calibration import CalibrationAddForm
from bekwaam.observations.forms.reports import TeamReportForm
from bekwaam.observations.selectors import observation_get_for
from bekwaam.observations.selectors.calibration import (
    Comparison,
    calibration_comparison,
    calibration_get_for,
    calibration_observer_choices,
)
from bekwaam.observations.selectors.reports import (
    TeamReport,
    calibration_overview_for,
    kappa_band,
    report_default_framework,
    report_frameworks_for,
    report_period,
    team_report_for,
)
from bekwaam.observations.services.calibration import calibration_add as calibration_add_service
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize
from bekwaam.tenancy.selectors import school_get_for

REPORT_RULE = "observations.view_team_report"
OVERVIEW_RULE = "observations.view_calibration_overview"


# --- charts, shared by the page and the PDF -------------------------------------------------------------


def team_report_charts(report: TeamReport) -> dict[str, Any]:
    """The report's charts: the means per domain (with the previous period), a distribution per domain."""
    if not report.shows_figures:
        return {}
    series = (report.period.label, report.previous_period.label) if report.has_trend else None
    means = mean_chart(
        chart_id="chart-means",
        title=_("Mean score per domain"),
        description=(
            _("Bars for the mean score per domain in %(now)s and in the period before (%(before)s).")
            % {"now": report.period.label, "before": report.previous_period.label}
            if series
            else _("Bars for the mean score per domain in %(now)s.") % {"now": report.period.label}
        )
        + " "
        + _("The table below the chart has the same figures."),
        rows=[
            MeanRow(domain.label, domain.mean, domain.previous_mean if series else None) for domain in report.domains
        ],
        minimum=0,
        maximum=max(report.scale_max, 1),
        series=series,
    )
    categories = [f"{value} {label}" for value, label in report.scale]
    distributions = [
        distribution_chart(
            chart_id=f"chart-domain-{index}",
            title=_("How often each score was given: %(domain)s") % {"domain": domain.label},
            description=_(
                "A bar per item, divided by score from low to high, each part with its number of scores. "
                "The table below the chart has the same figures."
            ),
            categories=categories,
            rows=[DistributionRow(item.label, item.counts) for item in domain.items],
        )
        for index, domain in enumerate(report.domains, start=1)
    ]
    return {"means": means, "domains": list(zip(report.domains, distributions, strict=True))}


def _report_for(request: ActorRequest, school_id: int) -> tuple[dict[str, Any], int]:
    """The page's context (shared with the PDF) and its status: 400 for choices that do not make sense."""
    actor = request.actor
    school = school_get_for(actor=actor, school_id=school_id)
    authorize(actor, REPORT_RULE, school)
    today = timezone.localdate()
    frameworks = report_frameworks_for(actor=actor)
    form = TeamReportForm(request.GET or None, frameworks=frameworks, today=today)
    context: dict[str, Any] = {"school": school, "form": form, "frameworks": frameworks, "today": today}
    if request.GET and not form.is_valid():
        return context, 400
    data = form.cleaned_data if request.GET else {}
    period = report_period(today=today, year=data.get("year"), start=data.get("start"), end=data.get("end"))
    framework = data.get("instrument") or report_default_framework(school=school, period=period, frameworks=frameworks)
    report = team_report_for(actor=actor, school=school, framework=framework, period=period)
    query = request.GET.urlencode()
    context.update(
        {
            "report": report,
            "charts": team_report_charts(report),
            "pdf_url": reverse("observations:team-report-pdf", kwargs={"school_id": school.pk})
            + (f"?{query}" if query else ""),
        }
    )
    return context, 200


@require_safe
@actor_view()
def team_report(request: ActorRequest, school_id: int) -> HttpResponse:
    """One school's lesson visits in a period, per domain and item, with charts and the same figures as tables."""
    context, status = _report_for(request, school_id)
    return render(request, "observations/report_team.html", context, status=status)


@require_safe
@actor_view()
def team_report_pdf(request: ActorRequest, school_id: int) -> HttpResponse:
    """The same report as a PDF to share with the team: the same selector, charts and threshold as the page."""
    context, status = _report_for(request, school_id)
    if status != 200:
        return render(request, "observations/report_team.html", context, status=status)
    report: TeamReport = context["report"]
    html = render_to_string("observations/report_team_pdf.html", {**context, "printed": timezone.localdate()})
    response = HttpResponse(pdf_render(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="teamrapportage-{report.school.pk}-{report.period.start:%Y%m%d}-'
        f'{report.period.end:%Y%m%d}.pdf"'
    )
    return response


# --- calibration ---------------------------------------------------------------------------------------------


def _overview_charts(years: list[Any]) -> dict[int, Any]:
    charts: dict[int, Any] = {}
    for year in years:
        rows = [MeanRow(row.name, row.agreement.exact_percent) for row in year.observers]
        if not rows:
            continue
        charts[year.year] = mean_chart(
            chart_id=f"chart-calibration-{year.year}",
            title=_("Exact agreement per observer in %(year)s") % {"year": year.label},
            description=_(
                "A bar per observer: the share of items on which they gave the same score as their partner. "
                "The table next to the chart has the same figures, with kappa."
            ),
            rows=rows,
            minimum=0,
            maximum=100,
            steps=[0, 25, 50, 75, 100],
            unit="%",
            decimals=0,
        )
    return charts


@require_safe
@actor_view(OVERVIEW_RULE)
def calibration_overview(request: ActorRequest) -> HttpResponse:
    """Per school year and observer: calibrated visits, exact agreement and kappa against their partners."""
    years = calibration_overview_for(actor=request.actor)
    charts = _overview_charts(years)
    context = {"years": [(year, charts.get(year.year)) for year in years]}
    return render(request, "observations/calibration_overview.html", context)


def _comparison_chart(comparison: Comparison) -> Any:
    """A stacked bar per domain: items scored the same, one point apart, two or more apart."""
    rows = []
    for domain in comparison.domains:
        counts = [0, 0, 0]
        for item in domain.items:
            if item.difference is not None:
                counts[2 - min(item.difference, 2)] += 1
        rows.append(DistributionRow(f"{domain.domain.code} {domain.domain.name}", counts))
    return distribution_chart(
        chart_id="chart-calibration",
        title=_("Agreement per domain"),
        description=_(
            "A bar per domain, divided into the items scored two or more points apart, one point apart and the "
            "same by both observers. The table below has every item."
        ),
        categories=[_("Two or more points apart"), _("One point apart"), _("The same score")],
        rows=rows,
    )


@require_safe
@actor_view()
def calibration_detail(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """Both observers' scores of one lesson side by side, once both have put theirs forward."""
    found = calibration_get_for(actor=request.actor, observation_id=observation_id)
    comparison = (
        calibration_comparison(primary=found.primary, partner=found.partner)
        if found.comparable and found.partner is not None
        else None
    )
    context = {
        "calibration": found,
        "comparison": comparison,
        "chart": _comparison_chart(comparison) if comparison is not None else None,
        "kappa_band": kappa_band(comparison.overall.kappa) if comparison is not None else "",
    }
    return render(request, "observations/calibration_detail.html", context)


@require_POST
@actor_view()
def calibration_add(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """Add a second observer to a visit (its observer or a kwaliteitsmedewerker); errors come back on a page."""
    actor = request.actor
    observation, _role = observation_get_for(actor=actor, observation_id=observation_id)
    authorize(actor, "observations.add_calibration", observation)
    # The rule admits a visit itself only (not a calibration scoring), so the observation is the primary.
    form = CalibrationAddForm(request.POST, choices=calibration_observer_choices(primary=observation))
    if form.is_valid():
        try:
            second = calibration_add_service(
                actor=actor, observation=observation, observer=form.cleaned_data["observer"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added as second observer and gets an e-mail to score the lesson.")
                % {"name": second.observer.full_name},
            )
            return redirect(reverse("observations:visit-detail", kwargs={"observation_id": observation.pk}))
    context = {"observation": observation, "form": form}
    return render(request, "observations/calibration_add.html", context, status=400)
