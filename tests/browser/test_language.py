"""The header's language button switches every page between Dutch and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_switches_the_sign_in_page_between_dutch_and_english(page: Page) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    password = page.locator("main label[for=id_password]")
    expect(password).to_have_text(re.compile("^Wachtwoord"))

    page.locator("header form.language").get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(password).to_have_text(re.compile("^Password"))
    expect(page.locator("main form button[type=submit]")).to_have_text("Sign In")

    # The choice sticks on the next page, and the button offers the way back.
    page.goto("/accounts/password/reset/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(re.compile("Password Reset", re.I))
    page.locator("header form.language").get_by_role("button", name="Nederlands").click()

    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("main h1")).to_have_text(re.compile("wachtwoord", re.I))
