"""The team dialogue in the browser.

The schoolleider starts a team session on the first pillar with three questions (two of Bekwaam's, one of the
team's own), captures answers (htmx adds them without a reload), records two agreed statements (a shared view
and an agreed action), marks the session held, adopts the view into the school's shared view (then shown on
the quality school page) and puts the action into the school's verbeterplan (a deadline before the start is
refused and what was typed stays). Texts on the page are Dutch; the test finds things by URL, names, data
attributes and the words typed in them.
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

from bekwaam.dialogue.models import SessionAnswer, SharedView, Statement, StatementKind, TeamSession
from bekwaam.quality.models import ImprovementAction
from bekwaam.quality.tests.factories_plans import goal_build, plan_build
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate
OWN_QUESTION = "Waar zijn we als team trots op?"
VIEW = "Een goede leraar kijkt eerst naar wat een kind nodig heeft."
ACTION = "We bezoeken elkaars lessen één keer per maand."


def test_a_team_session_feeds_the_shared_view_and_the_verbeterplan(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    findings: list[str] = []  # moderate and minor axe findings; serious ones fail check_page
    plan = plan_build(board=world.board_a, school=world.school_a, title="Verbeterplan 2025-2026")
    goal = goal_build(plan, title="Een lerende cultuur")
    page = sign_in_as(world.manager)

    # The list, and starting: step one chooses the pillar (the schoolleider has one school).
    page.goto(reverse("dialogue:sessions"))
    check_page(page, "dialogue sessions", findings)
    page.locator(f"main a[href='{reverse('dialogue:session_create')}']").click()
    page.locator("main input[name=pillar][value=define]").check()
    submit(page)
    expect(page).to_have_url(re.compile(r"/dialogue/sessions/new/\?.*pillar=define"))

    # Step two: every shipped question is ticked; keep two, add one of the team's own.
    shipped = page.locator("main input[name=shipped]")
    assert shipped.count() >= 5
    for index in range(shipped.count()):
        expect(shipped.nth(index)).to_be_checked()
    for index in range(2, shipped.count()):
        shipped.nth(index).uncheck()
    page.locator("main [name=title]").fill("Wat is voor ons een goede leraar?")
    page.locator(f"main input[name=participants][value='{world.teacher.pk}']").check()
    page.locator("main [name=own_questions]").fill(OWN_QUESTION)
    check_page(page, "session start", findings)
    submit(page)
    session = TeamSession.objects.get()
    expect(page).to_have_url(re.compile(rf"/dialogue/sessions/{session.pk}/(#.*)?$"))
    questions = page.locator("main article.dl-question")
    expect(questions).to_have_count(3)
    expect(questions.nth(2)).to_contain_text(OWN_QUESTION)
    assert list(session.questions.values_list("shipped_as", flat=True)) == ["define-1", "define-2", ""]

    # Capture: an answer per question, added in place by htmx.
    answers = ["Geduld en nieuwsgierigheid", "Vakkennis én relatie", "Onze aanpak van lezen"]
    for index, text in enumerate(answers):
        article = page.locator("main article.dl-question").nth(index)
        article.locator("form.dl-add-answer [name=text]").fill(text)
        article.locator("form.dl-add-answer button[type=submit]").click()
        expect(page.locator("main article.dl-question").nth(index).locator("[data-testid=answers]")).to_contain_text(
            text
        )
    assert SessionAnswer.objects.count() == 3
    expect(page).to_have_url(re.compile(rf"/dialogue/sessions/{session.pk}/$"))  # no reload: htmx swapped them in

    # An empty statement is refused in place; then a shared view and an agreed action.
    first = page.locator("main article.dl-question").nth(0)
    first.locator("form.dl-add-statement button[type=submit]").click()
    expect(
        page.locator("main article.dl-question").nth(0).locator("form.dl-add-statement [name=text]")
    ).to_have_attribute("aria-invalid", "true")
    first = page.locator("main article.dl-question").nth(0)
    first.locator("form.dl-add-statement input[name=kind][value=view]").check()
    first.locator("form.dl-add-statement [name=text]").fill(VIEW)
    first.locator("form.dl-add-statement button[type=submit]").click()
    expect(page.locator("main article.dl-question").nth(0).locator("[data-testid=statements]")).to_contain_text(VIEW)
    second = page.locator("main article.dl-question").nth(1)
    second.locator("form.dl-add-statement input[name=kind][value=action]").check()
    second.locator("form.dl-add-statement [name=text]").fill(ACTION)
    second.locator("form.dl-add-statement button[type=submit]").click()
    expect(page.locator("main article.dl-question").nth(1).locator("[data-kind=action]")).to_contain_text(ACTION)
    assert sorted(Statement.objects.values_list("kind", flat=True)) == [StatementKind.ACTION, StatementKind.VIEW]
    check_page(page, "session during", findings)

    # Mark as held: additions open for a week, the capture forms turn into additions.
    page.locator("main [data-testid=mark-held]").click()
    expect(page.locator("main [data-testid=session-status]")).to_have_attribute("data-status", "open")
    expect(page.locator("main [data-testid=additions]")).to_be_visible()

    # Adopt the agreed view into the school's shared view.
    page.locator(f"main a[href='{reverse('dialogue:session_adopt', kwargs={'session_id': session.pk})}']").click()
    adopt = page.locator("main input[name=adopt]")
    expect(adopt).to_have_count(1)
    expect(adopt).to_be_checked()
    check_page(page, "adopt", findings)
    submit(page)
    expect(page).to_have_url(re.compile(rf"/dialogue/schools/{world.school_a.pk}/shared-view/"))
    expect(page.locator("main [data-testid=current-view]")).to_contain_text(VIEW)
    assert SharedView.objects.get().statements.get().text == VIEW
    check_page(page, "shared view", findings)

    # The quality school page shows it.
    page.goto(reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk}))
    section = page.locator("main [data-testid=shared-view]")
    expect(section).to_have_attribute("data-version", "1")
    expect(section).to_contain_text(VIEW)
    check_page(page, "quality school page", findings)

    # The agreed action into the verbeterplan: a deadline before the start is refused, what was typed stays.
    page.goto(reverse("dialogue:session", kwargs={"session_id": session.pk}))
    statement = Statement.objects.get(kind=StatementKind.ACTION)
    page.locator(
        f"main a[href='{reverse('dialogue:statement_to_plan', kwargs={'statement_id': statement.pk})}']"
    ).click()
    expect(page.locator("main [name=title]")).to_have_value(ACTION)
    page.locator("main [name=goal]").select_option(str(goal.pk))
    page.locator("main [name=title]").fill("Maandelijkse lesbezoeken bij elkaar")
    page.locator("main [name=owner]").select_option(str(world.teacher.pk))
    page.locator("main [name=start_date]").fill(TODAY().isoformat())
    page.locator("main [name=deadline]").fill((TODAY() - datetime.timedelta(days=1)).isoformat())
    check_page(page, "to the verbeterplan", findings)
    browser_errors.expect(r"status of 400")
    submit(page)
    expect(page.locator("main [name=deadline]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main [name=title]")).to_have_value("Maandelijkse lesbezoeken bij elkaar")
    assert not ImprovementAction.objects.exists()
    page.locator("main [name=deadline]").fill((TODAY() + datetime.timedelta(days=120)).isoformat())
    submit(page)
    expect(page.locator("main [data-testid=agreed-actions] [data-testid=in-plan]")).to_contain_text(plan.title)
    action = ImprovementAction.objects.get()
    assert (action.goal, action.owner, action.title) == (goal, world.teacher, "Maandelijkse lesbezoeken bij elkaar")
    statement.refresh_from_db()
    assert statement.improvement_action == action
    check_page(page, "session held", findings)
