"""The board's insights page in the browser: a school of four withheld (saying why), of six shown.

A bestuurder opens the board page while one school has four people with a finished measurement: the school
is named as withheld, with the reason, and no figure of it is on the page (the board total is withheld too:
it would be that school). Two more people finish a measurement; the bestuurder presses "refresh now"
(the task runs at once in tests); the school of six is shown with its distribution chart and table, and
so is the board total. axe and reflow on the board page (both states), the school page, the team page and
the page that refuses a narrowing parameter.

Texts are translated (Dutch by default): the test finds things by data attributes, ids and form actions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bekwaam.insights.services.release import refresh
from bekwaam.insights.tests.factories_groups import framework_build, measurements_build, staff_build
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_school_of_four_is_withheld_and_of_six_shown(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    browser_errors.expect(r"status of 400")  # the page that refuses a narrowing parameter answers 400
    findings: list[str] = []
    version = framework_build(world.board_a)
    school = world.school_a2
    four = staff_build(school=school, count=4, prefix="vier")
    for person, level in zip(four, [1, 2, 3, 4], strict=True):
        measurements_build(people=[person], version=version, levels=[level, 3])
    refresh(board=world.board_a)

    page = sign_in_as(world.board_member)
    page.goto(reverse("insights:board"))
    expect(page.locator("main [data-testid=figures]")).to_have_attribute("data-shown", "0")
    withheld = page.locator("main [data-testid=withheld-schools]")
    expect(withheld).to_be_visible()
    expect(withheld.locator(f"li[data-school='{school.pk}']")).to_have_text(school.name)
    expect(withheld.locator("p")).to_contain_text("5")  # the reason names the minimum group size
    expect(page.locator(f"main tr[data-school='{school.pk}']")).to_have_count(0)
    expect(page.locator("main [data-testid=schools-table]")).to_have_count(0)
    for person in four:
        assert str(person.pk) not in page.content()
    check_page(page, "board insights (withheld)", findings)

    # Two more people finish a measurement; the bestuurder asks for a refresh now.
    measurements_build(people=staff_build(school=school, count=2, prefix="twee"), version=version, levels=[4, 2])
    page.locator("main [data-testid=refresh]").click()
    page.wait_for_url(f"**{reverse('insights:board')}")
    expect(page.locator("main .messages")).to_be_visible()
    expect(page.locator("main [data-testid=figures]")).to_have_attribute("data-shown", "1")
    withheld = page.locator("main [data-testid=withheld-schools]")
    expect(withheld.locator(f"li[data-school='{school.pk}']")).to_have_count(0)
    expect(withheld.locator(f"li[data-school='{world.school_a.pk}']")).to_have_count(1)  # nobody measured there
    row = page.locator(f"main [data-testid=schools-table] tr[data-school='{school.pk}'][data-dimension='D1']")
    expect(row).to_have_attribute("data-counts", "1,1,1,3")
    expect(row).to_have_attribute("data-people", "6")
    chart = page.locator("main svg#chart-schools-1[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_count(1)
    expect(chart.locator("desc")).to_have_count(1)
    expect(page.locator("main svg#chart-distribution[role=img]")).to_be_visible()
    expect(page.locator("main [data-testid=distribution-table] tr[data-dimension='D1']")).to_have_attribute(
        "data-people", "6"
    )
    check_page(page, "board insights (shown)", findings)

    # The school's own page, through its link on the board page: the same figures.
    page.locator(f"main [data-testid=schools-table] tr[data-school='{school.pk}'] a").first.click()
    page.wait_for_url(f"**{reverse('insights:school', kwargs={'school_id': school.pk})}**")
    expect(page.locator("main [data-testid=distribution-table] tr[data-dimension='D1']")).to_have_attribute(
        "data-counts", "1,1,1,3"
    )
    check_page(page, "school insights", findings)

    # A parameter that would narrow the group: refused, with a way back.
    page.goto(reverse("insights:board") + f"?person={four[0].pk}")
    expect(page.locator("main [data-testid=refused]")).to_be_visible()
    expect(page.locator("main [data-testid=figures]")).to_have_count(0)
    check_page(page, "insights refused", findings)

    # The leidinggevende's team page (no team of theirs has figures: withheld, saying why).
    leader = sign_in_as(world.manager)
    leader.goto(reverse("insights:team"))
    expect(leader.locator("main [data-testid=withheld]")).to_be_visible()
    check_page(leader, "team insights", findings)
