"""A lesson visit in the browser, on a tablet (768x1024): the leidinggevende plans it, scores it in the
classroom while the network drops out (nothing is lost: the page keeps the changes and sends them when
the connection is back, also after a reload), writes the nagesprek and puts the visit forward; the
teacher reads it, reacts, marks it as seen and turns an agreement into a POP goal. Plus axe on the list,
the scoring page and the visit page.

Texts on the pages are translated (Dutch by default); the test finds things by ids, names, form actions
and data attributes, and by the words it typed itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.dossier.models import Goal
from bekwaam.observations.models import Observation, ObservationAgreement, ObservationScore, ObservationState
from bekwaam.observations.tests.factories import instrument_build, items_of
from bekwaam.tenancy.models import Employment
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}
AGREEMENT = "Tom werkt met een instructietafel voor de verlengde instructie."


def scores_of(observation: Observation) -> dict[int, tuple[int | None, str]]:
    return {s.item_id: (s.value, s.note) for s in ObservationScore.objects.filter(observation=observation)}


def tap(page: Page, item_id: int, value: str) -> None:
    """Tap a scale button (the whole label is the target)."""
    page.locator(f"#item-{item_id} label.score-option:has(input[value='{value}'])").click()


def wait_for_db(check: Callable[[], bool], page: Page) -> None:
    for _ in range(60):
        if check():
            return
        page.wait_for_timeout(250)
    assert check()


def test_it_plans_scores_offline_debriefs_and_the_teacher_acknowledges(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    # While offline, chromium reports each failed request as a console error: that is the point here.
    browser_errors.expect(r"ERR_INTERNET_DISCONNECTED")
    instrument = instrument_build(board=world.board_a)
    items = items_of(instrument)
    employment = Employment.objects.get(person=world.teacher)
    findings: list[str] = []

    manager = sign_in_as(world.manager)
    manager.set_viewport_size(TABLET)

    # Plan the visit for today, with a focus point and a focus item.
    manager.goto("/observations/plan/")
    manager.locator("main select[name=employment]").select_option(str(employment.pk))
    manager.locator("main select[name=group]").select_option("5")
    manager.locator("main input[name=date]").fill(timezone.localdate().isoformat())
    manager.locator("main input[name=start_time]").fill("09:30")
    manager.locator("main input[name=subject]").fill("Rekenen: breuken")
    manager.locator("main select[name=instrument]").select_option(str(instrument.pk))
    manager.locator("main textarea[name=focus]").fill("Hoe Tom de verlengde instructie geeft")
    manager.locator(f"main input[name=focus_items][value='{items[1].pk}']").check()
    manager.locator("main form[data-testid=plan-form] button[type=submit]").first.click()
    expect(manager).to_have_url(re.compile(r"/observations/[0-9a-f-]{36}/$"))
    observation = Observation.objects.get()
    base = f"/observations/{observation.pk}/"
    expect(manager.locator("[data-testid=state]")).to_have_attribute("data-state", "planned")
    assert list(observation.focus_items.all()) == [items[1]]

    manager.goto("/observations/")
    expect(manager.locator(f"tr[data-visit='{observation.pk}']")).to_be_visible()
    check_page(manager, "lesson visit list", findings)

    # Score in the classroom: each tap is saved at once, the first one starts the visit.
    manager.goto(f"{base}score/")
    manager.set_viewport_size(TABLET)
    status = manager.locator("#save-status")
    expect(manager.locator(f"#item-{items[1].pk}")).to_have_class(re.compile("scoring-item--focus"))
    tap(manager, items[0].pk, "3")
    expect(status).to_have_attribute("data-state", "saved")
    wait_for_db(lambda: scores_of(observation).get(items[0].pk, (None, ""))[0] == 3, manager)
    observation.refresh_from_db()
    assert observation.state == ObservationState.IN_PROGRESS
    box = manager.locator(f"#item-{items[0].pk} label.score-option").first.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44  # a touch target

    # The network drops: more taps and a note stay on the tablet, clearly not saved yet.
    manager.context.set_offline(True)
    tap(manager, items[1].pk, "2")
    tap(manager, items[2].pk, "4")
    manager.locator(f"#note_{items[0].pk}").fill("Duidelijk lesdoel op het bord")
    manager.locator(f"#note_{items[0].pk}").blur()
    expect(status).to_have_attribute("data-state", "pending")
    pending = json.loads(
        manager.evaluate(f"() => localStorage.getItem('bekwaam:observation:{observation.pk}:pending')") or "{}"
    )
    assert {str(items[1].pk), str(items[2].pk), str(items[0].pk)} <= set(pending)
    assert items[1].pk not in scores_of(observation)

    # Back online: everything arrives, nothing waits any more.
    manager.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "saved", timeout=20_000)
    wait_for_db(lambda: len(scores_of(observation)) == 3, manager)
    assert scores_of(observation) == {
        items[0].pk: (3, "Duidelijk lesdoel op het bord"),
        items[1].pk: (2, ""),
        items[2].pk: (4, ""),
    }
    assert manager.evaluate(f"() => localStorage.getItem('bekwaam:observation:{observation.pk}:pending')") is None

    # A change that never left the tablet (the page was closed while offline) is sent when it opens again.
    manager.evaluate(
        "([key, item]) => localStorage.setItem(key, JSON.stringify({[item]: {value: 1, note: 'Nagekomen', "
        "edited_at: Date.now()}}))",
        [f"bekwaam:observation:{observation.pk}:pending", str(items[3].pk)],
    )
    manager.reload()
    expect(status).to_have_attribute("data-state", "saved", timeout=20_000)
    wait_for_db(lambda: scores_of(observation).get(items[3].pk) == (1, "Nagekomen"), manager)
    expect(manager.locator(f"#item-{items[3].pk} input[value='1']")).to_be_checked()
    check_page(manager, "scoring page", findings)

    # The nagesprek, and put forward.
    manager.set_viewport_size(TABLET)
    manager.locator("main form[data-scoring] button[name=next][value=debrief]").click()
    expect(manager).to_have_url(re.compile(rf"{base}nagesprek/$"))
    manager.locator("main textarea[name=went_well]").fill("Rustige, duidelijke start van de les.")
    manager.locator("main textarea[name=work_on]").fill("Meer afstemming op de snelle rekenaars.")
    manager.locator("main input[name=agreement_new_1]").fill(AGREEMENT)
    manager.locator("main button[name=submit]").click()
    expect(manager.locator("[data-testid=state]")).to_have_attribute("data-state", "submitted")
    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED
    check_page(manager, "lesson visit page (observer, put forward)", findings)

    # The teacher reads it, reacts, marks it as seen, and makes the agreement a POP goal.
    teacher = sign_in_as(world.teacher)
    teacher.set_viewport_size(TABLET)
    teacher.goto(base)
    expect(teacher.locator(f"tr[data-item='{items[0].pk}']")).to_have_attribute("data-value", "3")
    expect(teacher.locator("[data-testid=went-well]")).to_contain_text("Rustige, duidelijke start")
    expect(teacher.locator("li[data-agreement]")).to_contain_text(AGREEMENT)
    check_page(teacher, "lesson visit page (teacher)", findings)
    teacher.locator("main textarea[name=reaction]").fill("Dank voor de tips over de instructietafel.")
    teacher.locator(f"main form[action='{base}acknowledge/'] button[type=submit]:not([formaction])").click()
    expect(teacher.locator("[data-testid=state]")).to_have_attribute("data-state", "acknowledged")
    agreement = ObservationAgreement.objects.get(observation=observation)
    teacher.locator(f"main form[action='{base}agreements/{agreement.pk}/goal/'] button").click()
    expect(teacher).to_have_url(re.compile(r"/dossier/.*#goal-"))
    goal = Goal.objects.get()
    assert goal.title == AGREEMENT
    agreement.refresh_from_db()
    assert agreement.goal_id == goal.pk
    observation.refresh_from_db()
    assert observation.state == ObservationState.ACKNOWLEDGED
    assert observation.teacher_reaction == "Dank voor de tips over de instructietafel."

    # The observer sees the reaction now.
    manager.goto(base)
    expect(manager.locator("[data-testid=reaction]")).to_contain_text("Dank voor de tips")
    if findings:
        print("\naxe moderate/minor findings:\n" + "\n".join(findings))
