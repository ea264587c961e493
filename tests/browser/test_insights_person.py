"""Mijn ontwikkeling in the browser: a teacher with three finished measurements compares them (the chart and the
table show three columns and the differences), narrows the choice to two, and downloads the PDF of that view.
axe and reflow on the page.

Texts on the page are translated (Dutch by default): the test finds things by names, data attributes and test ids.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.insights.tests.factories_person import (
    completion_build,
    goals_build,
    measurement_build,
    visit_build,
)
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_compares_three_measurements_and_takes_two_along_as_pdf(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors, tmp_path: Path
) -> None:
    findings: list[str] = []  # moderate and minor axe findings; serious ones fail check_page
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    measurements = [
        measurement_build(person=world.teacher, board=world.board_a, day=ago(days), levels=level)
        for days, level in ((400, 1), (200, 3), (20, 2))
    ]
    first, middle, last = measurements
    visit_build(teacher=world.teacher, observer=world.manager, board=world.board_a, day=ago(9))
    goals_build(person=world.teacher, board=world.board_a, day=ago(30), done=2, open_=1)
    completion_build(person=world.teacher, board=world.board_a, day=ago(5))

    page = sign_in_as(world.teacher)
    page.goto(reverse("insights:mine"))
    section = page.locator("main #measurements")
    chart = section.locator("svg.chart[role=img]")
    expect(chart).to_have_count(1)
    assert chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
    expect(chart.locator("g.chart__legend-item")).to_have_count(3)
    expect(chart.locator("rect.chart__bar[data-series=C]")).to_have_count(2)  # one bar per domain
    table = section.locator("table[data-testid=measurements-table]")
    expect(table.locator("thead th[data-column]")).to_have_count(3)
    for measurement in measurements:
        expect(table.locator(f"thead th[data-column='{measurement.pk}']")).to_have_count(1)
    expect(table.locator("tr[data-code=D1]")).to_have_attribute("data-values", "1.00,3.00,2.00")
    expect(table.locator("tr[data-code=D1] .change--up")).to_have_attribute("data-change", "2.00")
    expect(table.locator("tr[data-code=D1] .change--down")).to_have_attribute("data-change", "-1.00")
    # The other parts have their chart and table too.
    expect(page.locator("main svg.chart[role=img]")).to_have_count(4)  # measurements, the visit, goals, e-learning
    check_page(page, "Mijn ontwikkeling", findings)

    # Narrow the choice to two: the middle measurement off, the rest as it was.
    choice = page.locator("main form[data-testid=mine-choice]")
    choice.locator(f"input[name=measurement][value='{middle.pk}']").uncheck()
    choice.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*measurement=.*"))
    assert str(middle.pk) not in page.url
    expect(table.locator("thead th[data-column]")).to_have_count(2)
    expect(table.locator(f"thead th[data-column='{first.pk}']")).to_have_count(1)
    expect(table.locator(f"thead th[data-column='{last.pk}']")).to_have_count(1)
    expect(table.locator("tr[data-code=D1]")).to_have_attribute("data-values", "1.00,2.00")
    expect(table.locator("tr[data-code=D1] .change--up")).to_have_attribute("data-change", "1.00")
    expect(chart.locator("g.chart__legend-item")).to_have_count(2)
    expect(page.locator("main [data-testid=mine-notices]")).to_have_count(0)

    # The PDF of exactly this view.
    pdf_link = page.locator("main a[data-testid=mine-pdf]")
    href = pdf_link.get_attribute("href") or ""
    assert str(first.pk) in href and str(last.pk) in href and str(middle.pk) not in href
    with page.expect_download(timeout=60_000) as download:  # WeasyPrint takes a moment on a busy machine
        pdf_link.click()
    assert download.value.suggested_filename == f"mijn-ontwikkeling-{today:%Y-%m-%d}.pdf"
    path = tmp_path / "mine.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
