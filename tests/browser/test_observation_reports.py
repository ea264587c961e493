"""The team report and calibration in the browser.

1. A team report over six lesson visits (and five the school year before): the kwaliteitsmedewerker opens
   it, chooses the period in the form, sees the charts beside their tables; a bestuurder sees the same figures
   and no teacher's name. axe and reflow on the report and the calibration overview.
2. Calibration: the leidinggevende adds the kwaliteitsmedewerker as second observer on the visit page; both
   score the same lesson (set up in the database) and each sees only who scores and in which state until
   both have put their scores forward on their own page; then both see the comparison, and the teacher only
   that a second observer scored the lesson.

Texts on the pages are translated (Dutch by default): the test finds things by ids, names, form actions and
data attributes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.accounts.testing import sign_in
from bekwaam.lib.dates import school_year_bounds, school_year_of
from bekwaam.observations.models import Observation, ObservationScore, ObservationState
from bekwaam.observations.tests.factories import instrument_build, items_of, observation_build
from bekwaam.observations.tests.factories_reports import move, teachers_build, visits_build
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORE_SETS = [
    [1, 2, 3, 4, 4, 3],
    [2, 2, 3, 4, 3, 3],
    [3, 3, 4, 4, 2, 2],
    [2, 3, 3, 3, 4, 1],
    [4, 4, 4, 3, 3, 2],
    [3, 2, 4, 4, 2, 2],
]


def test_it_shows_a_team_report_over_six_visits(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    browser_errors.expect(r"status of 400")  # the form with a date range the wrong way round answers 400
    findings: list[str] = []
    instrument = instrument_build(board=world.board_a)
    teachers = teachers_build(school=world.school_a, count=6, manager=world.manager)
    today = timezone.localdate()
    year = school_year_of(today)
    for teacher, scores in zip(teachers, SCORE_SETS, strict=True):
        visits_build(
            teachers=[teacher], observer=world.quality_officer, instrument=instrument, scores=scores, date=today
        )
    last_year = school_year_bounds(year - 1)[0] + datetime.timedelta(days=40)
    visits_build(teachers=teachers[:5], observer=world.manager, instrument=instrument, scores=[2] * 6, date=last_year)
    path = reverse("observations:team-report", kwargs={"school_id": world.school_a.pk})

    page = sign_in_as(world.quality_officer)
    page.goto(path)
    expect(page.locator("main .report-totals")).to_have_attribute("data-visits", "6")
    expect(page.locator("main .report-totals")).to_have_attribute("data-teachers", "6")
    charts = page.locator("main svg.chart[role=img]")
    expect(charts).to_have_count(3)  # the means per domain, and one distribution per domain
    expect(page.locator("main table.report-means tbody tr")).to_have_count(2)
    expect(page.locator("main table.report-means thead th")).to_have_count(5)  # with the previous year and the change
    expect(page.locator("main table.report-distribution tbody tr")).to_have_count(6)
    first_item = items_of(instrument)[0].code
    expect(page.locator(f"main table.report-distribution tr[data-item='{first_item}']")).to_have_attribute(
        "data-counts", "1,2,2,1"
    )
    expect(page.locator("main [data-testid=strengths] li")).to_have_count(3)
    expect(page.locator("main [data-testid=report-visits] tbody tr")).to_have_count(6)
    for chart in charts.all():  # each chart is named and described, and fits the screen
        assert chart.locator("title").count() == 1
        assert chart.locator("desc").count() == 1
    check_page(page, "team report", findings)

    # The form: last school year, through the select; the report follows.
    page.locator("main select[name=year]").select_option(str(year - 1))
    page.locator("main form.report-filter button[type=submit]").click()
    page.wait_for_url(f"**year={year - 1}**")
    expect(page.locator("main .report-totals")).to_have_attribute("data-visits", "5")
    expect(page.locator("main [data-testid=trend-empty]")).to_have_count(1)

    # Bad input: a clear message on the form, nothing else.
    page.locator("main input[name=start]").fill("2025-05-01")
    page.locator("main input[name=end]").fill("2025-04-01")
    page.locator("main form.report-filter button[type=submit]").click()
    expect(page.locator("main #error-summary")).to_be_visible()
    expect(page.locator("main svg.chart")).to_have_count(0)

    # The bestuurder: the same figures, no names.
    board = sign_in_as(world.board_member)
    board.goto(path)
    expect(board.locator("main svg.chart[role=img]")).to_have_count(3)
    expect(board.locator("main [data-testid=report-no-visits-visible]")).to_have_count(1)
    content = board.content()
    for teacher in teachers:
        assert teacher.full_name not in content
    check_page(board, "team report (bestuurder)", findings)

    overview = sign_in_as(world.quality_officer)
    overview.goto(reverse("observations:calibration-overview"))
    expect(overview.locator("main [data-testid=calibration-empty]")).to_have_count(1)
    check_page(overview, "calibration overview", findings)


FIRST = [1, 2, 3, 4, 4, 3]
SECOND = [1, 3, 3, 4, 4, 2]


def put_scores(observation: Observation, values: list[int]) -> None:
    """Scores as the scoring page saves them (that page is the visits part's and has its own browser test)."""
    move(observation, ObservationState.IN_PROGRESS)
    ObservationScore.objects.bulk_create(
        ObservationScore(board_id=observation.board_id, observation=observation, item=item, value=value)
        for item, value in zip(items_of(observation.instrument), values, strict=True)
    )


def panel_state(page: Page) -> str:
    """What the calibration panel shows: "blind", "comparison", "teacher", or "" when there is none."""
    section = page.locator("main #calibration")
    if section.count() == 0:
        return ""
    if section.locator("[data-testid=calibration-summary]").count():
        return "comparison"
    if section.locator("[data-testid=calibration-blind]").count():
        return "blind"
    if section.locator("[data-testid=calibration-teacher]").count():
        return "teacher"
    return "other"


def test_two_observers_see_the_comparison_only_after_both_put_forward(
    world: Any, sign_in_as: Callable[[Any], Page]
) -> None:
    findings: list[str] = []
    instrument = instrument_build(board=world.board_a)
    visit = observation_build(teacher=world.teacher, observer=world.manager, instrument=instrument)
    visit_url = reverse("observations:visit-detail", kwargs={"observation_id": visit.pk})

    # The leidinggevende adds the kwaliteitsmedewerker as second observer on the visit page.
    leader = sign_in_as(world.manager)
    leader.goto(visit_url)
    form = leader.locator("main form[data-testid=calibration-add]")
    form.locator("select[name=observer]").select_option(str(world.quality_officer.pk))
    form.locator("button[type=submit]").click()
    leader.wait_for_url(f"**{visit_url}")
    second = Observation.objects.get(calibrates=visit)
    assert second.observer == world.quality_officer
    assert second.state == ObservationState.PLANNED
    expect(leader.locator("main #calibration [data-side=second]")).to_have_attribute("data-state", "planned")
    assert panel_state(leader) == "blind"
    expect(leader.locator("main form[data-testid=calibration-add]")).to_have_count(0)

    # Both score the lesson on their own (the scoring page is the visits part's).
    put_scores(visit, FIRST)
    put_scores(second, SECOND)
    second_url = reverse("observations:visit-detail", kwargs={"observation_id": second.pk})
    detail_url = reverse("observations:calibration-detail", kwargs={"observation_id": visit.pk})

    # The second observer puts their scores forward: still blind, for both.
    quality = sign_in_as(world.quality_officer)
    quality.goto(second_url)
    assert panel_state(quality) == "blind"
    quality.locator(
        f"main form[action='{reverse('observations:visit-submit', kwargs={'observation_id': second.pk})}'] button"
    ).click()
    quality.wait_for_url(f"**{second_url}#status")
    expect(quality.locator("main #calibration [data-side=second]")).to_have_attribute("data-state", "submitted")
    assert panel_state(quality) == "blind"
    quality.goto(detail_url)
    expect(quality.locator("main [data-testid=calibration-blind]")).to_have_count(1)
    expect(quality.locator("main [data-first]")).to_have_count(0)
    leader.goto(visit_url)
    assert panel_state(leader) == "blind"
    leader.goto(detail_url)
    expect(leader.locator("main [data-first]")).to_have_count(0)

    # The visit's observer puts the visit forward: now both see the comparison.
    leader.goto(visit_url)
    leader.locator(
        f"main form[action='{reverse('observations:visit-submit', kwargs={'observation_id': visit.pk})}'] button"
    ).click()
    leader.wait_for_url(f"**{visit_url}#status")
    expect(leader.locator("main #calibration [data-testid=calibration-summary]")).to_be_visible()
    # 4 of 6 the same; kappa by hand: rows and columns both {1:1, 2:1, 3:2, 4:2}, Σ r·c = 10:
    # (6·4 - 10)/(36 - 10) = 14/26 = 0.54.
    expect(leader.locator("main #calibration [data-testid=calibration-summary] [data-exact]")).to_have_attribute(
        "data-exact", "4/6"
    )
    expect(leader.locator("main #calibration [data-testid=calibration-summary] [data-kappa]")).to_have_attribute(
        "data-kappa", "0.54"
    )
    leader.locator("main [data-testid=calibration-detail-link]").click()
    leader.wait_for_url(f"**{detail_url}")
    rows = leader.locator("main table.calibration-items tbody tr")
    expect(rows).to_have_count(6)
    expect(leader.locator("main table.calibration-items tr[data-equal=no]")).to_have_count(2)
    expect(leader.locator("main svg.chart[role=img]")).to_have_count(1)
    check_page(leader, "calibration comparison", findings)
    quality.goto(second_url)
    assert panel_state(quality) == "comparison"

    # The teacher: only that a second observer scored the lesson.
    teacher = sign_in_as(world.teacher)
    teacher.goto(visit_url)
    assert panel_state(teacher) == "teacher"
    expect(teacher.locator("main #calibration")).to_contain_text(world.quality_officer.full_name)
    expect(teacher.locator("main #calibration [data-first], main #calibration table")).to_have_count(0)
    client = sign_in(Client(), world.teacher)
    assert client.get(detail_url).status_code == 404
    assert client.get(second_url).status_code == 404

    # The board's overview counts the pair.
    quality.goto(reverse("observations:calibration-overview"))
    expect(quality.locator(f"main tr[data-observer='{world.manager.pk}']")).to_have_attribute("data-pairs", "6")
    check_page(quality, "calibration overview with figures", findings)
