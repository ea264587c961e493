"""The loop closes, in the browser: a teacher with a low kijkwijzer score on a lesson visit opens Mijn
ontwikkeling, makes the score a POP goal with one click, sees the e-learning module linked to that item,
agrees to a follow-up visit, and the observer finds it planned; after the follow-up visit is scored, the goal
at its check step shows the score before and after, side by side. Plus axe on the loop's pages.

Texts are translated (Dutch by default); the test finds things by data attributes, form actions, names and
the titles it made itself.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.dossier.models import Goal, Phase
from bekwaam.dossier.services.plans import goal_move
from bekwaam.insights.models import GoalOrigin
from bekwaam.learning.tests.factories import course_build
from bekwaam.observations.models import Observation, ObservationScore, ObservationState
from bekwaam.observations.tests.factories import instrument_build, items_of, observation_build
from bekwaam.tenancy.context import actor_for
from tests.browser.conftest import BrowserErrors
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODULE = "Een veilig leerklimaat in je groep"


def entry_url() -> str:
    """Mijn ontwikkeling (insights:mine), which includes the low scores; the loop's own page otherwise."""
    try:
        return reverse("insights:mine")
    except NoReverseMatch:
        return reverse("insights:low_scores")


def test_a_low_kijkwijzer_score_becomes_a_goal_a_follow_up_visit_and_a_before_and_after(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []
    browser_errors.expect(r"/follow-up/: Failed to load resource: .* 400")  # the form without the box ticked
    instrument = instrument_build(board=world.board_a)
    item = items_of(instrument)[0]  # D1.C1
    earlier = observation_build(
        teacher=world.teacher,
        observer=world.manager,
        instrument=instrument,
        state=ObservationState.SUBMITTED,
        date=timezone.localdate() - datetime.timedelta(days=14),
        scores={"D1.C1": 1, "D1.C2": 3, "D1.C3": 4},
    )
    module = course_build(board=world.board_a, title=MODULE, competences=(("test-kijkwijzer", item.code, item.name),))

    teacher = sign_in_as(world.teacher)
    teacher.goto(reverse("insights:low_scores"))
    check_page(teacher, "scores to work on", findings)
    teacher.goto(entry_url())
    row = teacher.locator("[data-testid=low-scores] tr[data-kind=observation_item][data-code='D1.C1']")
    expect(row).to_be_visible()
    expect(teacher.locator("[data-testid=low-scores] tr[data-code='D1.C2']")).to_have_count(0)  # 3 of 4: not low

    # One click.
    row.locator("form[action$='/insights/scores/goal/'] button[type=submit]").click()
    expect(teacher).to_have_url(re.compile(r"/insights/goals/[0-9a-f-]{36}/$"))
    goal = Goal.objects.get()
    origin = GoalOrigin.objects.get(goal=goal)
    assert (origin.code, origin.before_value, origin.source_id) == ("D1.C1", 1, earlier.pk)

    # The module linked to the item is proposed, with a link to its page in the catalogue.
    proposed = teacher.locator("[data-testid=proposed-courses] li")
    expect(proposed).to_have_count(1)
    expect(proposed.first).to_contain_text(MODULE)
    link = proposed.first.locator("a")
    if link.count():
        expect(link).to_have_attribute("href", reverse("learning:course", kwargs={"course_id": module.course_id}))
    check_page(teacher, "after the goal", findings)

    # Agree to a follow-up visit: without the box nothing happens.
    follow_up = teacher.locator(f"main form[action='{reverse('insights:follow_up', kwargs={'goal_id': goal.pk})}']")
    follow_up.locator("button[type=submit]").click()
    expect(teacher.locator("#error-summary")).to_be_visible()
    assert Observation.objects.count() == 1
    teacher.locator("main input[name=consent]").check()
    follow_up.locator("button[type=submit]").click()
    expect(teacher.locator("[data-testid=follow-up-asked]")).to_be_visible()
    visit = Observation.objects.get(state=ObservationState.PLANNED)
    assert (visit.teacher, visit.observer) == (world.teacher, world.manager)
    assert [i.code for i in visit.focus_items.all()] == ["D1.C1"]

    # The observer has it planned, with the item as focus.
    manager = sign_in_as(world.manager)
    manager.goto(reverse("observations:visit-detail", args=[visit.pk]))
    expect(manager.locator("[data-testid=state]")).to_have_attribute("data-state", "planned")
    expect(manager.locator("main")).to_contain_text(item.name)

    # Later: the follow-up visit is scored (3 of 4) and put forward; the goal moves to its check step.
    ObservationScore.objects.create(board=world.board_a, observation=visit, item=visit.focus_items.get(), value=3)
    Observation.objects.filter(pk=visit.pk).update(
        state=ObservationState.SUBMITTED, submitted_at=timezone.now(), date=timezone.localdate()
    )
    owner = actor_for(world.teacher, None)
    goal_move(actor=owner, goal=goal, to_phase=Phase.DO, reflection="Ik werk met een vaste start van de les.")

    plan_page = reverse("dossier:plan-detail", kwargs={"plan_id": goal.plan_id})
    teacher.goto(plan_page)
    card = teacher.locator(f"#goal-{goal.pk}")
    expect(card.locator("[data-testid=before-after]")).to_have_count(0)  # not at the check step yet
    goal_move(actor=owner, goal=goal, to_phase=Phase.CHECK, reflection="De rust in de groep is beter.")
    teacher.reload()
    before_after = card.locator("[data-testid=before-after]")
    expect(before_after).to_be_visible()
    expect(before_after.locator("[data-testid=before-value]")).to_have_text(re.compile(r"^\s*1\s+\S+\s+4\s*$"))
    expect(before_after.locator("[data-testid=after-value]")).to_have_text(re.compile(r"^\s*3\s+\S+\s+4\s*$"))
    check_page(teacher, "plan with before and after", findings)
    if findings:
        print("\naxe moderate/minor findings:\n" + "\n".join(findings))
