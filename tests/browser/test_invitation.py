"""Inviting a colleague: the administrator sends the invitation, the colleague opens the e-mailed link."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import BrowserErrors, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_invites_a_colleague_who_sets_a_password_and_lands_on_their_dossier(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    settings: Any,
    browser_errors: BrowserErrors,
) -> None:
    settings.SITE_URL = live_server.url  # the link in the e-mail points at this test server
    page = sign_in_as(world.administrator)
    page.goto("/board/")
    page.locator("main a[href='/board/people/invite/']").first.click()
    expect(page).to_have_url(re.compile(r"/board/people/invite/$"))

    form = page.locator("main form")
    form.locator("[name=given_name]").fill("Noor")
    form.locator("[name=family_name]").fill("Nieuw")
    form.locator("[name=email]").fill("noor.nieuw@")
    form.locator("[name=school]").select_option(label="De Alfaschool")
    form.locator("[name=function]").select_option(value="teacher")
    form.locator("[name=personnel_number]").fill("P-4711")
    form.locator("[name=start_date]").fill("2026-08-01")
    submit(page)

    # A mistake gets a clear message next to the field, and what was typed stays.
    expect(form.locator("[name=email]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=given_name]")).to_have_value("Noor")
    expect(form.locator("[name=personnel_number]")).to_have_value("P-4711")
    assert mail.outbox == []

    form.locator("[name=email]").fill("Noor.Nieuw@Alfa.nl")
    submit(page)

    expect(page.locator("h1")).to_have_text("Noor Nieuw")
    expect(page.locator("main [role=status]")).to_contain_text("noor.nieuw@alfa.nl")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["noor.nieuw@alfa.nl"]
    link = re.search(r"https?://\S+/invitation/\S+/", email.body)
    assert link, email.body

    # The colleague opens the link on their own computer: a browser without the administrator's session.
    colleague = new_context().new_page()
    colleague.goto(link.group(0))
    expect(colleague.locator("main")).to_contain_text("Stichting Alfa")
    colleague.locator("[name=password1]").fill("zonnebloem-akker-42")
    colleague.locator("[name=password2]").fill("zonnebloem-akker-42")
    submit(colleague)

    expect(colleague).to_have_url(re.compile(r"/dossier/$"))
    expect(colleague.locator("main [role=status]")).to_contain_text("Noor")
    expect(colleague.locator("main")).to_contain_text("De Alfaschool")
    expect(colleague.locator("header")).to_contain_text("Noor")

    # The link works once; the second time it answers 404 (which Chromium logs on the console).
    browser_errors.expect(r"status of 404")
    colleague.goto(link.group(0))
    expect(colleague.locator("h1")).to_have_text(re.compile("(Invitation not valid|niet geldig)"))
