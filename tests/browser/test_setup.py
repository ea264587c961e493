"""The gesprekscyclus set-up and "Mijn team" in the browser, with axe on each page.

The beheerder installs the shipped cycle and forms, gives a school its own cycle, builds a form of their
own (a section, a question) and publishes it; the leidinggevende then sees on "Mijn team" who is due and
follows "Plan"; everyone's e-mail preference page. Texts are Dutch by default: the test finds things by
URLs, names and the words typed, so it keeps working as the translations change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bekwaam.conversations.models import ConversationCycle, ConversationForm, FormPrompt, FormStatus, FormVersion
from bekwaam.notifications.models import NotificationPreference
from bekwaam.tenancy.models import Employment
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page, findings  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_sets_up_the_cycle_and_builds_a_form(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    browser_errors: BrowserErrors,
    findings: list[str],  # noqa: F811
) -> None:
    page = sign_in_as(world.administrator)
    page.goto("/conversations/setup/")
    check_page(page, "setup (empty)", findings)
    page.locator("main form[action='/conversations/setup/install/'] button").first.click()
    page.wait_for_load_state()
    assert ConversationForm.objects.filter(board=world.board_a).count() == 6
    expect(page.locator("main")).to_contain_text("Voorbereiding ontwikkelgesprek (waarderend)")
    check_page(page, "setup (installed)", findings)

    # A school of its own: a copy of the board's cycle.
    page.locator("main details.fw-add summary").click()
    page.locator("main select[name=school]").select_option(str(world.school_a2.pk))
    page.locator("main form[action='/conversations/setup/cycles/new/'] button[type=submit]").click()
    page.wait_for_load_state()
    school_cycle = ConversationCycle.objects.get(board=world.board_a, school=world.school_a2)
    assert school_cycle.steps.count() == 3
    expect(page.locator(f"#cycle-{school_cycle.pk}")).to_contain_text(world.school_a2.name)

    # A shipped version, read only.
    shipped = FormVersion.objects.get(board=world.board_a, form__shipped_as="ontwikkelgesprek-verslag")
    page.goto(f"/conversations/setup/form-versions/{shipped.pk}/")
    expect(page.locator("main")).to_contain_text("Ontdekken")
    assert page.locator("#part-actions").count() == 0
    check_page(page, "published form version", findings)

    # A form of the board's own: a draft with a section and a question, then published.
    page.goto("/conversations/setup/forms/new/")
    page.locator("main [name=name]").fill("Startgesprek nieuwe collega")
    page.locator("main [name=kind]").select_option("development")
    page.locator("main [name=purpose]").select_option("preparation")
    submit(page)
    draft = FormVersion.objects.get(form__name="Startgesprek nieuwe collega")
    expect(page).to_have_url(re.compile(rf"/conversations/setup/form-versions/{draft.pk}/$"))
    expect(page.locator("main details.fw-add")).to_have_attribute("open", "")  # an empty draft: open already
    page.locator("main [name=title]").fill("Eerste weken")
    page.locator("main form[action$='/sections/new/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("main a[href$='/questions/new/']").first.click()
    page.locator("main [name=text]").fill("Wat ging er goed in je eerste weken?")
    page.locator("main [name=help_text]").fill("Denk aan je groep en je collega's.")
    submit(page)
    assert FormPrompt.objects.filter(section__version=draft, text="Wat ging er goed in je eerste weken?").exists()
    check_page(page, "draft form version", findings)
    page.locator("main form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.status == FormStatus.PUBLISHED
    browser_errors.assert_none()


def test_it_shows_the_team_where_each_stands_and_plans_from_there(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    findings: list[str],  # noqa: F811
) -> None:
    from bekwaam.conversations.services.setup import conversation_defaults_install

    conversation_defaults_install(board_id=world.board_a.pk)
    teacher = Employment.objects.get(person=world.teacher)
    page = sign_in_as(world.manager)
    page.goto("/team/")
    row = page.locator("main tr", has_text=world.teacher.family_name)
    expect(row.locator(".team-cycle__step")).to_have_count(3)
    check_page(page, "my team with the cycle", findings)
    row.locator(f"a[href*='employment={teacher.pk}']").first.click()
    expect(page).to_have_url(re.compile(rf"/conversations/plan/\?employment={teacher.pk}&kind=\w+$"))


def test_it_saves_an_e_mail_preference(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    findings: list[str],  # noqa: F811
) -> None:
    page = sign_in_as(world.teacher)
    page.goto("/notifications/preferences/")
    check_page(page, "e-mail preferences", findings)
    page.locator("main input[name=updates]").uncheck()
    submit(page)
    expect(page.locator("main input[name=updates]")).not_to_be_checked()
    expect(page.locator("main input[name=reminders]")).to_be_checked()
    preference = NotificationPreference.objects.get(person=world.teacher)
    assert (preference.updates, preference.reminders) == (False, True)
