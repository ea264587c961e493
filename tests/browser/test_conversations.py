"""The gesprekscyclus in the browser: the leidinggevende plans, both prepare (the medewerker shares),
the leidinggevende writes the report with an agreement and puts it forward, the medewerker reacts and
signs "seen, not agreed", the leidinggevende signs, an addendum is signed by both, and the medewerker
turns the agreement into a POP goal. Plus axe on the conversation page in two states.

Texts on the pages are translated (Dutch by default); the test finds things by form actions, links,
names and data attributes, and by the words people typed, so it keeps working as translations change.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.conversations.models import Addendum, Agreement, Conversation, ConversationState, Signature
from bekwaam.conversations.services.setup import conversation_defaults_install
from bekwaam.dossier.models import Goal
from bekwaam.tenancy.models import Employment
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGREEMENT = "Tom volgt dit jaar de cursus rekendidactiek."


def click_form(page: Page, action_end: str) -> None:
    """Press the submit button of the form whose action ends with `action_end`."""
    page.locator(f"main form[action$='{action_end}'] button[type=submit]").first.click()


def test_it_plans_prepares_reports_signs_and_adds_an_addendum(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    conversation_defaults_install(board_id=world.board_a.pk)
    employment = Employment.objects.get(person=world.teacher)
    day = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    manager = sign_in_as(world.manager)

    # The leidinggevende plans from the team page's link (person and kind preselected).
    manager.goto(f"/conversations/plan/?employment={employment.pk}&kind=performance")
    expect(manager.locator("main select[name=employment]")).to_have_value(str(employment.pk))
    expect(manager.locator("main select[name=kind]")).to_have_value("performance")
    manager.locator("main [name=date]").fill(day)
    manager.locator("main [name=time]").fill("14:30")
    manager.locator("main [name=location]").fill("Kamer van de directeur")
    manager.locator("main form button[type=submit]").first.click()
    expect(manager).to_have_url(re.compile(r"/conversations/[0-9a-f-]{36}/$"))
    conversation = Conversation.objects.get()
    base = f"/conversations/{conversation.pk}/"
    expect(manager.locator("[data-testid=state]")).to_have_attribute("data-state", "planned")
    expect(manager.locator("main a[href$='/calendar.ics']")).to_be_visible()

    # The medewerker prepares and shares; the leidinggevende prepares and keeps it to themself.
    teacher = sign_in_as(world.teacher)
    teacher.goto(base)
    teacher.locator(f"main a[href='{base}preparation/']").click()
    teacher.locator("main textarea").first.fill("Ik ben trots op mijn leesgroepjes.")
    teacher.locator("main form button[type=submit]").first.click()
    expect(teacher).to_have_url(re.compile(rf"{base}#preparation$"))
    click_form(teacher, "/preparation/share/")
    expect(teacher.locator("[data-testid=own-preparation-status]")).to_contain_text(
        timezone.localdate().strftime("%d-%m-%Y")
    )

    manager.goto(f"{base}preparation/")
    manager.locator("main textarea").first.fill("Notitie: werkdruk bespreken.")
    manager.locator("main form button[type=submit]").first.click()
    expect(manager.locator("[data-testid=other-preparation]")).to_contain_text("Ik ben trots op mijn leesgroepjes.")
    teacher.reload()
    expect(teacher.locator("[data-testid=other-preparation-hidden]")).to_be_visible()
    expect(teacher.locator("main")).not_to_contain_text("werkdruk bespreken")

    # The leidinggevende writes the report with an agreement and puts it forward.
    click_form(manager, "/report/start/")
    expect(manager).to_have_url(re.compile(rf"{base}report/$"))
    answers = manager.locator("main textarea")
    answers.first.fill("Een open gesprek over lezen en rekenen.")
    for n in range(1, answers.count()):  # the shipped report form has required questions
        answers.nth(n).fill(f"Antwoord {n}.")
    manager.locator("main input[name=agreement_new_1]").fill(AGREEMENT)
    manager.locator("main form button[type=submit]:not([name])").first.click()
    expect(manager.locator("[data-testid=report]")).to_contain_text("Een open gesprek over lezen en rekenen.")
    teacher.reload()
    expect(teacher.locator("[data-testid=report-hidden]")).to_be_visible()
    click_form(manager, "/report/submit/")
    expect(manager.locator("[data-testid=state]")).to_have_attribute("data-state", "with_employee")

    # The medewerker reads it, reacts and signs "seen, not agreed".
    teacher.reload()
    expect(teacher.locator("[data-testid=report]")).to_contain_text("Een open gesprek over lezen en rekenen.")
    expect(teacher.locator("li[data-agreement]")).to_contain_text(AGREEMENT)
    check_page(teacher, "conversation waiting for the employee's signature", [])
    teacher.locator("main textarea[name=reaction]").fill("De werkdruk had meer aandacht mogen krijgen.")
    teacher.locator("main input[name=verdict][value=seen]").check()
    click_form(teacher, f"{base}sign/")
    expect(teacher.locator("tr[data-signature=employee]")).to_have_attribute("data-verdict", "seen")

    # The leidinggevende reads the reaction and signs: the report is final.
    manager.reload()
    expect(manager.locator("[data-testid=reaction]")).to_contain_text("De werkdruk had meer aandacht")
    click_form(manager, f"{base}sign/")
    expect(manager.locator("[data-testid=state]")).to_have_attribute("data-state", "signed")
    expect(manager.locator("main a[href$='/report.pdf']")).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.SIGNED
    assert Signature.objects.filter(conversation=conversation, part="report").count() == 2

    # A correction: an addendum, signed by both.
    manager.locator(f"main a[href='{base}addenda/new/']").click()
    manager.locator("main textarea[name=body]").fill("Aanvulling: de cursus start in februari.")
    manager.locator("main form button[type=submit]").first.click()
    addendum = Addendum.objects.get()
    card = f"#addendum-{addendum.pk}"
    expect(manager.locator(card)).to_have_attribute("data-addendum-state", "with_employee")
    teacher.reload()
    teacher.locator(f"{card} input[value=agreed]").check()
    teacher.locator(f"{card} form button[type=submit]").click()
    expect(teacher.locator(card)).to_have_attribute("data-addendum-state", "with_manager")
    manager.reload()
    manager.locator(f"{card} form button[type=submit]").click()
    expect(manager.locator(card)).to_have_attribute("data-addendum-state", "signed")
    expect(manager.locator(f"{card} tr[data-signature]")).to_have_count(2)

    # The medewerker makes the agreement a goal in their POP, with one click.
    teacher.reload()
    agreement = Agreement.objects.get()
    click_form(teacher, f"/agreements/{agreement.pk}/goal/")
    goal = Goal.objects.get()
    expect(teacher).to_have_url(re.compile(rf"/dossier/plans/{goal.plan_id}/#goal-{goal.pk}$"))
    expect(teacher.locator("article.goal h3")).to_contain_text(AGREEMENT)
    teacher.goto(base)
    expect(teacher.locator("[data-testid=agreement-goal-link]")).to_be_visible()
    check_page(teacher, "signed conversation with an addendum", [])
    browser_errors.assert_none()
