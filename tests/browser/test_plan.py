"""The POP in the browser: a teacher writes a plan with a goal and an action, and moves the goal through PDCA.

Texts on the page are translated (Dutch by default); the test finds things by their names, data
attributes and the teacher's own words, so it keeps working as the translations change.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.dossier.models import DevelopmentPlan, GoalPhaseChange
from bekwaam.frameworks.tests.factories import framework_version_build
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = [
    ("do", "Ik heb een plan gemaakt met drie niveaus."),
    ("check", "Ik heb de lessen uitgevoerd en twee collega's laten kijken."),
    ("act", "De sterke leerlingen hadden meer uitdaging nodig."),
    ("done", "Ik werk nu standaard met drie niveaus."),
]


def test_it_writes_a_plan_and_moves_a_goal_through_every_pdca_phase(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    framework_version_build(board=world.board_a)
    target = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    page = sign_in_as(world.teacher)

    # From the dossier overview to a new plan.
    page.goto("/dossier/")
    page.locator("section[aria-labelledby=s-plan] a[href='/dossier/plans/']").click()
    page.locator("main a[href='/dossier/plans/new/']").first.click()
    page.locator("main [name=title]").fill("POP 2025–2026")
    page.locator("main [name=starts_on]").fill("2025-08-01")
    submit(page)
    plan = DevelopmentPlan.objects.get(person=world.teacher)
    expect(page).to_have_url(re.compile(rf"/dossier/plans/{plan.pk}/$"))
    expect(page.locator("h1")).to_have_text("POP 2025–2026")

    # A goal with what, why, how they will know, a date and a competence.
    page.locator(f"main a[href='/dossier/plans/{plan.pk}/goals/new/']").first.click()
    page.locator("main [name=title]").fill("Beter differentiëren in rekenen")
    page.locator("main [name=why]").fill("Sterke rekenaars vervelen zich.")
    page.locator("main [name=success_criteria]").fill("Elke les heeft drie niveaus.")
    page.locator("main [name=due_date]").fill(target)
    page.locator("main input[name=competences]").first.check()
    submit(page)
    goal = page.locator("article.goal")
    expect(goal.locator("h3")).to_have_text("Beter differentiëren in rekenen")
    expect(goal).to_have_attribute("data-phase", "plan")
    expect(goal.locator(".pdca [aria-current=step]")).to_have_attribute("data-phase", "plan")

    # An action with a date, then marked as done.
    action_form = goal.locator("form.goal-form--action")
    action_form.locator("[name=description]").fill("Lesvoorbeelden verzamelen")
    action_form.locator("[name=due_date]").fill(target)
    action_form.locator("button[type=submit]").click()
    action = page.locator("article.goal .goal-action", has_text="Lesvoorbeelden verzamelen")
    expect(action).to_have_attribute("data-done", "no")
    action.locator("form[action$='/done/'] button").click()
    expect(page.locator("article.goal .goal-action", has_text="Lesvoorbeelden verzamelen")).to_have_attribute(
        "data-done", "yes"
    )

    # Moving without a reflection is refused with a message at the field; nothing moves.
    browser_errors.expect(r"status of 400")
    move = page.locator("article.goal form.goal-form--move")
    move.locator("input[name=to_phase][value=do]").check()
    move.locator("button[type=submit]").click()
    expect(page.locator("article.goal form.goal-form--move [name=reflection]")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("article.goal")).to_have_attribute("data-phase", "plan")

    # Plan → do → check → act → done, with a reflection at each step.
    for phase, reflection in STEPS:
        move = page.locator("article.goal form.goal-form--move")
        move.locator(f"input[name=to_phase][value={phase}]").check()
        move.locator("[name=reflection]").fill(reflection)
        move.locator("button[type=submit]").click()
        expect(page.locator("article.goal")).to_have_attribute("data-phase", phase)
        expect(page.locator("article.goal .pdca [aria-current=step]")).to_have_attribute("data-phase", phase)

    # The history shows every step with its reflection; a done goal has no move form left.
    history = page.locator("article.goal table.phase-history tbody tr")
    expect(history).to_have_count(4)
    for row, (phase, reflection) in enumerate(STEPS):
        expect(history.nth(row)).to_have_attribute("data-to-phase", phase)
        expect(history.nth(row)).to_contain_text(reflection)
    expect(page.locator("article.goal form.goal-form--move")).to_have_count(0)
    assert list(GoalPhaseChange.objects.order_by("changed_at").values_list("to_phase", flat=True)) == [
        phase for phase, _ in STEPS
    ]
    check_page(page, "plan detail", [])

    # The dossier overview shows the goal's phase.
    page.goto("/dossier/")
    card = page.locator("section[aria-labelledby=s-plan]")
    expect(card.locator("li[data-phase=done]")).to_contain_text("Beter differentiëren in rekenen")
