"""A teacher's nulmeting: saved halfway, left, resumed with every answer still there, finished, shown as a profile."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bekwaam.dossier.models import AssessmentStatus, Rating, SelfAssessment
from bekwaam.dossier.services.assessments import RatingInput, assessment_finish, assessment_start
from bekwaam.frameworks.models import Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import actor_for
from tests.browser.test_accessibility import FAILING_IMPACTS, PAGE_OVERFLOW, REFLOW, VIEWPORTS, describe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def autosaved(page: Page) -> Any:
    """Wait for the autosave a change sends (htmx), so no two requests run at once on the test database."""
    return page.expect_response(lambda response: response.url.endswith("/save/") and response.request.method == "POST")


def assert_accessible(page: Page, name: str) -> None:
    """No serious axe-core violation at desktop and tablet width, and no sideways scrolling at 320 px."""
    for viewport in VIEWPORTS.values():
        page.set_viewport_size(viewport)
        serious = [v for v in run_axe(page) if v["impact"] in FAILING_IMPACTS]
        assert not serious, f"{name}:\n{describe(serious)}"
    page.set_viewport_size(REFLOW)
    assert page.evaluate(PAGE_OVERFLOW) <= 0, f"{name} scrolls sideways at 320 px"
    page.set_viewport_size(VIEWPORTS["desktop"])


def choose(page: Page, indicator: Indicator, level: ScaleLevel) -> None:
    with autosaved(page):
        page.locator(f"input[name='level-{indicator.pk}'][value='{level.pk}']").check()


def test_it_saves_a_baseline_halfway_resumes_it_and_finishes_it(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: Any
) -> None:
    version = framework_version_build(board=world.board_a, domains=2, competences=2, indicators=2)
    indicators = list(
        Indicator.objects.filter(competence__version=version).order_by(
            "competence__domain__position", "competence__position", "position"
        )
    )
    levels = {level.value: level for level in ScaleLevel.objects.filter(version=version)}
    page = sign_in_as(world.teacher)

    # Start from the dossier overview.
    page.goto("/dossier/")
    page.locator("main form[action='/dossier/measurements/start/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dossier/measurements/[0-9a-f-]{36}/$"))
    assessment = SelfAssessment.objects.get(person=world.teacher)
    detail = f"/dossier/measurements/{assessment.pk}/"

    # Halfway: three levels (each saved as it is chosen) and an explanation, then "Save".
    for indicator, value in zip(indicators[:3], (2, 3, 4), strict=True):
        choose(page, indicator, levels[value])
    expect(page.locator("#assessment-status progress")).to_have_attribute("value", "3")
    page.locator(f"#indicator-{indicators[0].pk} details summary").click()
    page.locator(f"#explanation-{indicators[0].pk}").fill("Ik oefen dit sinds vorig jaar.")
    with autosaved(page):
        page.locator(f"#explanation-{indicators[0].pk}").press("Tab")
    expect(page.locator("#assessment-status")).to_contain_text(re.compile(r"\d{2}:\d{2}"))
    page.locator("main form button[name=anchor]").first.click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "#domain-"))
    expect(page.locator(".message--success")).to_be_visible()

    # Leave, and come back through the overview.
    page.goto("/dossier/")
    page.locator(f"main a[href='{detail}']").first.click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    for indicator, value in zip(indicators[:3], (2, 3, 4), strict=True):
        expect(page.locator(f"input[name='level-{indicator.pk}'][value='{levels[value].pk}']")).to_be_checked()
    expect(page.locator(f"#explanation-{indicators[0].pk}")).to_have_value("Ik oefen dit sinds vorig jaar.")
    expect(page.locator("#assessment-status")).to_contain_text("3")
    assert_accessible(page, "the fill form")

    # Finishing too early names what is missing and keeps the answers (the page comes back as 400).
    browser_errors.expect(r"status of 400")
    page.locator("main button[formaction$='/finish/']").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a")).to_have_count(len(indicators) - 3)
    expect(summary).to_contain_text(indicators[3].code)
    expect(page.locator(f"input[name='level-{indicators[2].pk}'][value='{levels[4].pk}']")).to_be_checked()

    # Complete with the keyboard-accessible radios and finish.
    for indicator in indicators[3:]:
        choose(page, indicator, levels[1])
    page.locator("main button[formaction$='/finish/']").click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator(".assessment-chart").first).to_be_visible()
    expect(page.locator("main form[action$='/save/']")).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINISHED and assessment.finished_at is not None
    assert Rating.objects.filter(assessment=assessment, level__isnull=False).count() == len(indicators)
    # D1: 2, 3, 4, 1 → 2.5 on the profile (Dutch decimals).
    expect(page.locator("main")).to_contain_text("2,5")
    assert_accessible(page, "the profile")

    # A follow-up (made here directly), then the list and the comparison.
    actor = actor_for(world.teacher, None)
    later, _ = assessment_start(actor=actor, framework_version=version)
    assessment_finish(
        actor=actor, assessment=later, ratings={i.pk: RatingInput(level_id=levels[4].pk) for i in indicators}
    )
    page.goto("/dossier/measurements/")
    assert_accessible(page, "the list")
    page.locator(f"main a[href^='/dossier/measurements/compare/?from={assessment.pk}']").click()
    expect(page.locator("table.assessment-compare")).to_contain_text("+")
    assert_accessible(page, "the comparison")
