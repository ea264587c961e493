"""Signing in: password plus authenticator code, setting up the authenticator, and the lockout."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import Page, expect

from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import (
    PASSWORD,
    BoardFactory,
    PersonFactory,
    RoleGrantFactory,
    SchoolFactory,
)
from tests.browser.conftest import BrowserErrors, submit, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A fixed authenticator secret, so the test computes the codes an app would show.
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def fill_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^(E-mail|E-mailadres)")).fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page)


def test_it_signs_in_with_password_and_authenticator_code(page: Page) -> None:
    board = BoardFactory(name="Stichting Gamma")
    SchoolFactory(board=board, name="De Gammaschool")
    quality_officer = PersonFactory(email="kwaliteit@gamma.nl", given_name="Kim")
    RoleGrantFactory(person=quality_officer, board=board, role=Role.QUALITY_OFFICER)
    TOTP.activate(quality_officer, SECRET)

    fill_sign_in(page, "kwaliteit@gamma.nl", PASSWORD)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    code = page.locator("input[name=code]")
    code.fill(totp_code(SECRET))
    code.press("Enter")

    expect(page).to_have_url(re.compile(r"/board/$"))
    expect(page.locator("main")).to_contain_text("De Gammaschool")
    expect(page.locator("header")).to_contain_text("Stichting Gamma")


def activate_authenticator(page: Page) -> None:
    """From the "set up two-step verification" page: read the secret as an app would, type its code."""
    expect(page).to_have_url(re.compile(r"/accounts/mfa-required/$"))
    page.locator("main a.button").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    code = page.locator("input[name=code]")
    code.fill(totp_code(secret))
    code.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))


def test_it_sends_a_role_without_authenticator_to_set_one_up(page: Page) -> None:
    board = BoardFactory(name="Stichting Delta")
    SchoolFactory(board=board, name="De Deltaschool")
    administrator = PersonFactory(email="beheer@delta.nl")
    RoleGrantFactory(person=administrator, board=board, role=Role.ADMINISTRATOR)

    fill_sign_in(page, "beheer@delta.nl", PASSWORD)
    page.goto("/board/")  # every page sends them back to the set-up until it is done
    activate_authenticator(page)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/board/$"))
    expect(page.locator("main")).to_contain_text("De Deltaschool")


def test_it_shows_the_recovery_codes_right_after_setting_up_the_authenticator(page: Page) -> None:
    board = BoardFactory(name="Stichting Zeta")
    administrator = PersonFactory(email="beheer@zeta.nl")
    RoleGrantFactory(person=administrator, board=board, role=Role.ADMINISTRATOR)

    fill_sign_in(page, "beheer@zeta.nl", PASSWORD)
    activate_authenticator(page)

    page.wait_for_load_state()
    assert re.search(r"/accounts/2fa/recovery-codes/$", page.url), page.url
    expect(page.locator("main")).to_contain_text(re.compile(r"\b[a-z0-9]{8}\b"))


def test_it_locks_the_account_after_five_wrong_passwords(page: Page, browser_errors: BrowserErrors) -> None:
    # The lockout page is served with status 429 on purpose; Chromium logs that on the console.
    browser_errors.expect(r"status of 429")
    teacher = PersonFactory(email="leerkracht@epsilon.nl")
    TOTP.activate(teacher, SECRET)

    for _attempt in range(4):
        fill_sign_in(page, "leerkracht@epsilon.nl", "not-the-password")
        expect(page).to_have_url(re.compile(r"/accounts/login/$"))
        expect(page.locator("main form")).to_contain_text(re.compile("(niet|not) correct"))

    fill_sign_in(page, "leerkracht@epsilon.nl", "not-the-password")
    expect(page.locator("h1")).to_have_text(re.compile("(Account temporarily locked|tijdelijk geblokkeerd)", re.I))

    # Even the right password does not get in now.
    fill_sign_in(page, "leerkracht@epsilon.nl", PASSWORD)
    expect(page.locator("[role=alert] h1")).to_have_text(
        re.compile("(Account temporarily locked|tijdelijk geblokkeerd)", re.I)
    )
    expect(page.locator("main")).to_contain_text(re.compile("30 min"))
    assert page.locator("input[name=code]").count() == 0
