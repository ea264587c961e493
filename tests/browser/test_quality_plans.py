"""Verbeterplannen and the bestuur's grid in the browser.

1. From a final self-evaluation, the schoolleider starts a verbeterplan (the evaluation page's link), keeps the
   proposed goal, adds an action (a deadline before the start is refused and what was typed stays), and
   moves it plan → do → check (with a dated note) → act → done.
2. The bestuur's grid shows a school's new judgement once a self-evaluation is made final.

Texts on the page are translated (Dutch by default); the tests find things by URL, names, data attributes
and the words typed in them.
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

from bekwaam.quality.models import ActionCheck, ActionPhase, EvaluationState, ImprovementAction, ImprovementPlan
from bekwaam.quality.services.evaluations import evaluation_move
from bekwaam.quality.tests.factories import evaluation_build, kader_load, scale_build
from bekwaam.tenancy.context import actor_for
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate


def test_it_starts_a_plan_from_a_self_evaluation_and_moves_an_action_through_pdca(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []  # moderate and minor axe findings; serious ones fail check_page
    kader_load()
    evaluation = evaluation_build(
        board=world.board_a,
        school=world.school_a,
        judgements={"OP2": "Onvoldoende", "OP3": "Voldoende"},
        title="Zelfevaluatie voorjaar",
        created_by=world.manager,
    )
    page = sign_in_as(world.manager)

    # The evaluation's page links to a new plan from it; the weak standard is proposed and ticked.
    page.goto(reverse("quality:evaluation-detail", kwargs={"evaluation_id": evaluation.pk}))
    page.locator(f"main a[href*='/quality/plans/new/'][href*='evaluation={evaluation.pk}']").first.click()
    expect(page).to_have_url(re.compile(r"/quality/plans/new/\?"))
    proposals = page.locator("main input[name=proposals]")
    expect(proposals).to_have_count(1)
    expect(proposals.first).to_be_checked()
    check_page(page, "plan create", findings)
    submit(page)
    plan = ImprovementPlan.objects.get()
    expect(page).to_have_url(re.compile(rf"/quality/plans/{plan.pk}/(#main)?$"))
    goal = page.locator("article.qp-goal")
    expect(goal).to_have_count(1)
    expect(goal.locator(".qp-goal__standards")).to_contain_text("OP2")

    # An action: a deadline before the start is refused, and what was typed is still there.
    goal.locator(f"a[href='/quality/goals/{plan.goals.get().pk}/actions/new/']").click()
    start = TODAY()
    page.locator("main [name=title]").fill("Groepsbezoeken door de intern begeleider")
    page.locator("main [name=description]").fill("Elke groep één keer per kwartaal.")
    page.locator("main [name=owner]").select_option(str(world.teacher.pk))
    page.locator("main [name=start_date]").fill(start.isoformat())
    page.locator("main [name=deadline]").fill((start - datetime.timedelta(days=7)).isoformat())
    browser_errors.expect(r"status of 400")
    submit(page)
    expect(page.locator("main [name=deadline]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main [name=title]")).to_have_value("Groepsbezoeken door de intern begeleider")
    expect(page.locator("main [name=description]")).to_have_value("Elke groep één keer per kwartaal.")
    assert not ImprovementAction.objects.exists()
    page.locator("main [name=deadline]").fill((start + datetime.timedelta(days=90)).isoformat())
    submit(page)
    action = ImprovementAction.objects.get()
    section = page.locator(f"#action-{action.pk}")
    expect(section).to_have_attribute("data-phase", "plan")
    expect(section).to_have_attribute("data-overdue", "no")

    def step(move: str, note: str = "", *, open_form: bool = True) -> None:
        target = page.locator(f"#action-{action.pk}")
        form = target.locator("form.qp-action-form--move")
        if open_form and not form.is_visible():
            target.locator("details:has(form.qp-action-form--move) > summary").click()
        form.locator(f"input[name=move][value={move}]").check()
        if note:
            form.locator("[name=checked_on]").fill(TODAY().isoformat())
            form.locator("[name=text]").fill(note)
        form.locator("button[type=submit]").click()

    step("start")
    expect(page.locator(f"#action-{action.pk}")).to_have_attribute("data-phase", "do")
    # Check without a note is refused at the note field; nothing moves.
    step("check")
    expect(page.locator(f"#action-{action.pk} form.qp-action-form--move [name=text]")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator(f"#action-{action.pk}")).to_have_attribute("data-phase", "do")
    step("check", "Vier groepen bezocht; de instructie is korter geworden.", open_form=False)
    expect(page.locator(f"#action-{action.pk}")).to_have_attribute("data-phase", "check")
    step("adjust")
    expect(page.locator(f"#action-{action.pk}")).to_have_attribute("data-phase", "act")
    step("complete", "De werkwijze staat in het schoolplan.")
    section = page.locator(f"#action-{action.pk}")
    expect(section).to_have_attribute("data-phase", "done")
    expect(section.locator(".pdca [aria-current=step]")).to_have_attribute("data-phase", "done")
    rows = section.locator("table.qp-checks tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Vier groepen bezocht")
    expect(rows.nth(1)).to_contain_text("De werkwijze staat in het schoolplan.")
    assert ImprovementAction.objects.get().phase == ActionPhase.DONE
    assert list(ActionCheck.objects.order_by("created_at").values_list("phase", "checked_on")) == [
        (ActionPhase.CHECK, TODAY()),
        (ActionPhase.DONE, TODAY()),
    ]
    check_page(page, "plan detail", findings)


def test_the_board_grid_shows_a_new_judgement(world: Any, sign_in_as: Callable[[Any], Page]) -> None:
    findings: list[str] = []
    kader_load()
    levels = scale_build(world.board_a)
    evaluation_build(
        board=world.board_a,
        school=world.school_a,
        date=TODAY() - datetime.timedelta(days=200),
        judgements={"OP2": "Goed"},
    )
    page = sign_in_as(world.board_member)
    page.goto(reverse("quality:board-overview"))
    cell = page.locator(f"table.qp-grid tr[data-school='{world.school_a.pk}'] td[data-standard=OP2]")
    expect(cell).to_have_attribute("data-own", str(levels["goed"].value))
    expect(cell).to_contain_text("Goed")
    check_page(page, "board overview", findings)

    # The kwaliteitsmedewerker makes a new self-evaluation final; the grid shows it after a reload.
    draft = evaluation_build(
        board=world.board_a,
        school=world.school_a,
        judgements={"OP2": "Onvoldoende"},
        state=EvaluationState.DRAFT,
    )
    evaluation_move(actor=actor_for(world.quality_officer, None), evaluation=draft, action="finalise")
    page.reload()
    expect(cell).to_have_attribute("data-own", str(levels["onvoldoende"].value))
    expect(cell).to_have_attribute("data-own-date", TODAY().isoformat())
    expect(cell).to_contain_text("Onvoldoende")
    cell.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/quality/schools/{world.school_a.pk}/#standard-OP2$"))
