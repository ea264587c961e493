"""Self-evaluations and inspections in the browser (kwaliteitszorg, evaluations part).

1. The schoolleider opens Kwaliteit (straight to their school), starts a self-evaluation, judges OP2 with a
   substantiation, a document and a lesson visit they made, saves and makes it final, and sees the judgement
   on the school's page next to the inspectie's.
2. The schoolleider records an inspection and its herstelopdracht: a deadline before the visit is refused
   and what was typed stays.
3. The kwaliteitsmedewerker's nu-meting page and the board's scale page pass the accessibility checks.

Texts on the page are Dutch by default; the tests find things by URL, names, values and data attributes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.observations.models import ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.quality.models import (
    EvaluationState,
    InspectionVisit,
    RepairOrder,
    SelfEvaluation,
    StandardAssessment,
)
from bekwaam.quality.tests.factories import kader_load, scale_build, standard
from tests.browser import test_accessibility
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
findings = test_accessibility.findings  # the fixture: moderate axe findings, printed after each test

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_schoolleider_fills_in_and_finalises_a_self_evaluation(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors, findings: list[str]
) -> None:
    framework = kader_load()
    levels = scale_build(world.board_a)
    visit = observation_build(
        teacher=world.teacher,
        observer=world.manager,
        instrument=instrument_build(board=world.board_a),
        state=ObservationState.SUBMITTED,
        subject="Begrijpend lezen",
    )
    op2 = standard(framework, "OP2")
    page = sign_in_as(world.manager)

    # Kwaliteit leads a schoolleider of one school straight to its page.
    page.goto(reverse("quality:home"))
    expect(page).to_have_url(re.compile(rf"/quality/schools/{world.school_a.pk}/(#main)?$"))
    check_page(page, "school quality page", findings)

    page.locator(f"main a[href$='/quality/evaluations/new/?school={world.school_a.pk}']").click()
    expect(page.locator("main [name=school]")).to_have_value(str(world.school_a.pk))
    check_page(page, "self-evaluation start", findings)
    page.locator("main [name=title]").fill("Zelfevaluatie voorjaar")
    submit(page)
    evaluation = SelfEvaluation.objects.get()
    expect(page).to_have_url(re.compile(rf"/quality/evaluations/{evaluation.pk}/edit/(#main)?$"))
    check_page(page, "self-evaluation form", findings)

    # OP2: a level, why, a document and the lesson visit.
    block = page.locator("#s-OP2")
    block.locator(f"input[name='s{op2.pk}-level'][value='{levels['voldoende'].pk}']").check()
    block.locator(f"[name='s{op2.pk}-substantiation']").fill("De trendanalyses laten groei zien in alle groepen.")
    block.locator("details summary").click()
    block.locator(f"[name='s{op2.pk}-upload']").set_input_files(
        {"name": "trendanalyse.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    block.locator(f"[name='s{op2.pk}-upload_title']").fill("Trendanalyse groep 3-8")
    block.locator(f"input[name='s{op2.pk}-observations'][value='{visit.pk}']").check()
    page.locator("main button[name=then][value=final]").click()

    expect(page).to_have_url(re.compile(rf"/quality/evaluations/{evaluation.pk}/(#main)?$"))
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", EvaluationState.FINAL)
    row = StandardAssessment.objects.get(evaluation=evaluation, standard=op2)
    assert row.level == levels["voldoende"]
    assert row.documents.get().title == "Trendanalyse groep 3-8"
    assert list(row.observations.all()) == [visit]
    shown = page.locator("#s-OP2")
    expect(shown.locator(f"a[data-visit='{visit.pk}']")).to_be_visible()
    expect(shown.locator("a[data-document]")).to_have_text("Trendanalyse groep 3-8")
    check_page(page, "self-evaluation", findings)

    # The school's page shows the judgement, linked to the evaluation.
    page.goto(reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk}))
    expect(page.locator("#standard-OP2 td[data-own]")).to_have_attribute("data-own", str(levels["voldoende"].value))
    expect(page.locator(f"[data-evaluation='{evaluation.pk}']")).to_have_attribute("data-state", "final")


def test_a_schoolleider_records_an_inspection_with_a_herstelopdracht(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors, findings: list[str]
) -> None:
    framework = kader_load()
    op2 = standard(framework, "OP2")
    today = timezone.localdate()
    page = sign_in_as(world.manager)
    page.goto(reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk}))
    page.locator(f"main a[href$='/quality/inspections/new/?school={world.school_a.pk}']").click()
    check_page(page, "inspection start", findings)
    page.locator("main [name=date]").fill(today.isoformat())
    page.locator("main [name=kind]").select_option("four_yearly")
    submit(page)
    visit = InspectionVisit.objects.get()
    expect(page).to_have_url(re.compile(rf"/quality/inspections/{visit.pk}/edit/(#main)?$"))
    check_page(page, "inspection form", findings)

    page.locator("main [name=overall_judgement]").select_option("insufficient")
    page.locator(f"main [name='j{op2.pk}-judgement']").select_option("insufficient")
    page.locator("main [name='repair-0-description']").fill("Zorg voor trendanalyses per groep.")
    page.locator("main [name='repair-0-standard']").select_option(str(op2.pk))
    page.locator("main [name='repair-0-deadline']").fill((today - datetime.timedelta(days=3)).isoformat())
    browser_errors.expect(r"status of 400")
    submit(page)
    expect(page.locator("main [name='repair-0-deadline']")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main [name='repair-0-description']")).to_have_value("Zorg voor trendanalyses per groep.")
    assert not RepairOrder.objects.exists()

    page.locator("main [name='repair-0-deadline']").fill((today + datetime.timedelta(days=90)).isoformat())
    submit(page)
    expect(page).to_have_url(re.compile(rf"/quality/inspections/{visit.pk}/(#main)?$"))
    expect(page.locator("[data-testid=repair-orders] li")).to_have_count(1)
    expect(page.locator("#standard-OP2")).to_have_attribute("data-judgement", "insufficient")
    check_page(page, "inspection", findings)
    assert RepairOrder.objects.get().standard == op2

    page.goto(reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk}))
    expect(page.locator("#standard-OP2 td[data-inspection]")).to_have_attribute("data-inspection", "insufficient")


def test_the_quality_officers_pages_are_accessible(
    world: Any, sign_in_as: Callable[[Any], Page], findings: list[str]
) -> None:
    kader_load()
    scale_build(world.board_a)
    page = sign_in_as(world.quality_officer)
    page.goto(reverse("quality:evaluation-create") + f"?kind=snapshot&school={world.school_a.pk}")
    expect(page.locator("[data-testid=level-grid]")).to_be_visible()
    check_page(page, "nu-meting", findings)
    page.goto(reverse("quality:scale-settings"))
    check_page(page, "judgement scale", findings)
    page.goto(reverse("quality:schoolvisit-create") + f"?school={world.school_a.pk}")
    check_page(page, "school visit", findings)
    page.goto(reverse("quality:board-evaluations"))
    check_page(page, "board's own quality", findings)
