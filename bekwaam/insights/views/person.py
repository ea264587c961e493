"""Mijn ontwikkeling: the signed-in medewerker's own results over time (page and PDF), rule "insights.own".

There is no person in the address: the page is always the actor's own, at the active board. The address
carries only the choices (insights.forms.person); what is not the person's own is left out with a word.
The PDF is the same selection rendered for print, charts inline, for the next conversation.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bekwaam.insights.forms.person import selection_query, selection_read
from bekwaam.insights.selectors.person import PersonView, person_options_for, person_view_for
from bekwaam.lib.charts import GroupedRow, grouped_bar_chart
from bekwaam.lib.pdf import pdf_render
from bekwaam.tenancy.policy import ActorRequest, actor_view

RULE = "insights.own"


def _below() -> str:
    return _("The table below the chart has the same figures.")


def person_charts(view: PersonView) -> dict[str, Any]:
    """Every chart of the chosen parts, shared by the page and the PDF, each beside the block it draws."""
    charts: dict[str, Any] = {}
    if view.measurements is not None:
        charts["measurements"] = [
            (
                group,
                grouped_bar_chart(
                    chart_id=f"chart-measurements-{n}",
                    title=_("Mean level per domain: %(framework)s") % {"framework": group.name},
                    description=_(
                        "A group of bars per domain, one bar per measurement from old (A) to new, each with its "
                        "letter and the mean level you gave the domain's indicators."
                    )
                    + " "
                    + _below(),
                    series=[column.label for column in group.columns],
                    rows=[GroupedRow(f"{row.code} {row.name}", row.values) for row in group.domains],
                    maximum=group.scale_max,
                    empty_text=_("not rated"),
                ),
            )
            for n, group in enumerate(view.measurements, start=1)
        ]
    if view.visits is not None:
        charts["visits"] = [
            (
                group,
                grouped_bar_chart(
                    chart_id=f"chart-visits-{n}",
                    title=_("Mean score per domain per lesson visit: %(kijkwijzer)s") % {"kijkwijzer": group.name},
                    description=_(
                        "A group of bars per domain, one bar per lesson visit from old (A) to new, each with its "
                        "letter and the mean score of the domain's items."
                    )
                    + " "
                    + _below(),
                    series=[column.label for column in group.columns],
                    rows=[GroupedRow(f"{row.code} {row.name}", row.values) for row in group.domains],
                    maximum=group.scale_max,
                    empty_text=_("not scored"),
                ),
            )
            for n, group in enumerate(view.visits, start=1)
        ]
    if view.appraisals is not None and view.appraisals.columns and view.appraisals.criteria:
        block = view.appraisals
        charts["appraisals"] = grouped_bar_chart(
            chart_id="chart-appraisals",
            title=_("Level per appraisal criterion"),
            description=_(
                "A group of bars per criterion, one bar per appraisal from old (A) to new, each with its letter "
                "and the level's value on the scale."
            )
            + " "
            + _below(),
            series=[column.label for column in block.columns],
            rows=[GroupedRow(row.name, row.values) for row in block.criteria],
            maximum=block.scale_max,
            empty_text=_("no level"),
            decimals=0,
        )
    if view.feedback is not None:
        charts["feedback"] = [
            (
                block,
                grouped_bar_chart(
                    chart_id=f"chart-feedback-{n}",
                    title=_("Your own view and others' per competence: %(round)s") % {"round": block.column.label},
                    description=_(
                        "Two bars per competence: A your self-rating, B the mean of the groups the report shows "
                        "(groups too small to show are left out)."
                    )
                    + " "
                    + _below(),
                    series=[_("Self-rating"), _("Others (the groups shown)")],
                    rows=[
                        GroupedRow(f"{line.code} {line.name}", [line.self_value, line.others]) for line in block.lines
                    ],
                    maximum=block.scale_max,
                    empty_text=_("not shown"),
                ),
            )
            for n, block in enumerate(view.feedback.rounds, start=1)
        ]
    if view.goals is not None and view.goals.years:
        charts["goals"] = _count_chart(
            "chart-goals",
            _("POP goals done per school year"),
            _("A bar per school year with the number of POP goals you moved to done in it."),
            _("Goals done"),
            view.goals.years,
        )
    if view.learning is not None and view.learning.years:
        charts["learning"] = _count_chart(
            "chart-learning",
            _("E-learning modules completed per school year"),
            _("A bar per school year with the number of e-learning modules you completed in it."),
            _("Modules completed"),
            view.learning.years,
        )
    return charts


def _count_chart(chart_id: str, title: str, description: str, series: str, years: list[tuple[str, int]]) -> SafeString:
    top = max((count for _label, count in years), default=0)
    return grouped_bar_chart(
        chart_id=chart_id,
        title=title,
        description=description + " " + _below(),
        series=[series],
        rows=[GroupedRow(label, [float(count)]) for label, count in years],
        maximum=max(top, 1),
        decimals=0,
    )


def _context(request: ActorRequest) -> dict[str, Any]:
    actor = request.actor
    options = person_options_for(actor=actor)
    form, selection = selection_read(request.GET, options=options)
    view = person_view_for(actor=actor, options=options, selection=selection)
    query = selection_query(selection)
    return {
        "form": form,
        "view": view,
        "selection": selection,
        "charts": person_charts(view),
        "low_scores": view.low_scores,
        "query": query,
        "pdf_url": f"{reverse('insights:mine_pdf')}?{query}",
        "page_url": f"{reverse('insights:mine')}?{query}",
        "person_name": actor.person.full_name,
        "board_name": actor.organisation.name if actor.organisation else "",
        "today": timezone.localdate(),
    }


@require_safe
@actor_view(RULE)
def mine(request: ActorRequest) -> HttpResponse:
    """The actor's own results, the chosen parts side by side (always 200: bad choices are left out, with a word)."""
    return render(request, "insights/person/mine.html", _context(request))


@require_safe
@actor_view(RULE)
def mine_pdf(request: ActorRequest) -> HttpResponse:
    """Exactly the chosen view as a PDF, dated, for the next conversation."""
    context = _context(request)
    html = render_to_string("insights/person/mine_pdf.html", {**context, "pdf": True}, request=request)
    response = HttpResponse(pdf_render(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mijn-ontwikkeling-{context["today"]:%Y-%m-%d}.pdf"'
    return response
