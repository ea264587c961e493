"""Kijkwijzers in the browser: adopt the shipped ICALT-kijkwijzer, make one of the board's own, axe on each page.

Texts are Dutch by default: the test finds things by URLs, names, data attributes and the words typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bekwaam.frameworks.models import Framework, FrameworkKind, FrameworkVersion
from tests.browser.conftest import BrowserErrors, submit
from tests.browser.test_accessibility import check_page, findings  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_adopts_a_kijkwijzer_and_builds_one_of_the_boards_own(
    world: Any,
    sign_in_as: Callable[[Any], Page],
    browser_errors: BrowserErrors,
    findings: list[str],  # noqa: F811
) -> None:
    page = sign_in_as(world.administrator)
    page.goto("/frameworks/")
    expect(page.locator("main .fw-shipped[data-kind=observation]")).to_have_count(2)
    check_page(page, "frameworks with shipped kijkwijzers", findings)

    page.locator("main form:has(input[value=icalt-kijkwijzer]) button[type=submit]").click()
    page.wait_for_load_state()
    icalt = Framework.objects.get(board=world.board_a, slug="icalt-kijkwijzer")
    assert icalt.kind == FrameworkKind.OBSERVATION
    expect(page.locator("main")).to_contain_text("ICALT-kijkwijzer")
    check_page(page, "kijkwijzer", findings)
    version = FrameworkVersion.objects.get(framework=icalt)
    page.goto(f"/frameworks/versions/{version.pk}/")
    expect(page.locator("main")).to_contain_text("Veilig en stimulerend leerklimaat")
    check_page(page, "published kijkwijzer version", findings)

    page.goto("/frameworks/")
    expect(page.locator("#table-kijkwijzers")).to_contain_text("ICALT-kijkwijzer")
    page.locator("main a[href='/frameworks/new/?kind=observation']").click()
    expect(page.locator("main input[name=kind][value=observation]")).to_be_checked()
    check_page(page, "new kijkwijzer", findings)
    page.locator("main [name=name]").fill("Kijkwijzer bewegingsonderwijs")
    submit(page)
    page.wait_for_load_state()
    own = Framework.objects.get(board=world.board_a, slug="kijkwijzer-bewegingsonderwijs")
    assert own.kind == FrameworkKind.OBSERVATION
    draft = own.versions.get()

    # The draft editor: a level, an observation domain and an item without look-fors is enough to publish.
    page.locator("main form[action$='/scale/new/'] [name=label]").fill("Zwak")
    page.locator("main form[action$='/scale/new/'] button[type=submit]").click()
    page.wait_for_load_state()
    # The "add an observation domain" form is open while the version has none.
    page.locator("main form[action$='/domains/new/'] [name=name]").fill("Veiligheid in de gymzaal")
    page.locator("main form[action$='/domains/new/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("main a[href$='/competences/new/']").first.click()
    page.locator("main [name=name]").fill("Geeft duidelijke veiligheidsafspraken")
    submit(page)
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Geeft duidelijke veiligheidsafspraken")
    check_page(page, "kijkwijzer draft editor", findings)
    page.locator(f"main form[action='/frameworks/versions/{draft.pk}/publish/'] button").click()
    page.wait_for_load_state()
    assert FrameworkVersion.objects.get(pk=draft.pk).is_published
    browser_errors.assert_none()
