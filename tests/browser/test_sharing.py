"""Sharing an upload with the leidinggevende: seen on "Mijn team", withdrawn, no longer seen; the owner sees who looked.

Fields are found by name, not by their (translated) labels.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import Evidence, Share
from tests.browser.conftest import BrowserErrors, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
TITLE = "Certificaat kleuterdidactiek"


def test_it_shares_an_upload_with_the_manager_until_it_is_withdrawn(
    world: Any, sign_in_as: Callable[[Any], Page], browser_errors: BrowserErrors
) -> None:
    # The manager's 404 after the withdrawal is the point of the test, not an error.
    browser_errors.expect(r"404 \(Not Found\)")

    # The teacher uploads a certificate to their portfolio.
    teacher = sign_in_as(world.teacher)
    teacher.goto("/dossier/portfolio/new/?kind=document")
    teacher.locator("main form [name=title]").fill(TITLE)
    teacher.locator("main form input[type=file][name=file]").set_input_files(
        {"name": "certificaat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(teacher)
    expect(teacher).to_have_url(re.compile(r"/dossier/portfolio/[0-9a-f-]{36}/$"))
    item_url = teacher.url
    evidence = Evidence.objects.get(title=TITLE)

    # Private until shared: the panel says only the owner sees it; then share it with "my manager".
    panel = teacher.locator("section.item-privacy")
    expect(panel).to_be_visible()
    expect(panel.locator(".item-privacy__private")).to_be_visible()
    panel.locator("select[name=with_whom]").select_option("manager")
    panel.locator("form.item-privacy__share button[type=submit]").click()
    expect(teacher).to_have_url(item_url)
    expect(panel.locator(".item-privacy__who")).to_contain_text(world.manager.full_name)
    assert Share.objects.filter(evidence=evidence, withdrawn_at__isnull=True).count() == 1

    # The manager finds it on "Mijn team" → the teacher's shared dossier → the item.
    manager = sign_in_as(world.manager)
    manager.goto("/team/")
    row = manager.locator("tbody tr", has_text=world.teacher.family_name)
    expect(row.locator("td.num").nth(2)).to_have_text("1")  # portfolio
    row.locator("a[href*='/dossier/people/']").click()
    expect(manager.locator("h1")).to_have_text(world.teacher.full_name)
    manager.get_by_role("link", name=TITLE).click()
    expect(manager).to_have_url(item_url)
    expect(manager.locator("h1")).to_have_text(TITLE)
    expect(manager.locator("section.item-privacy")).to_have_count(0)  # the panel is the owner's

    # The teacher withdraws the share on the item's page.
    teacher.reload()
    teacher.locator("section.item-privacy form[action*='/withdraw/'] button").click()
    expect(teacher).to_have_url(item_url)
    expect(teacher.locator("section.item-privacy .item-privacy__private")).to_be_visible()

    # At once: the manager's reload is a 404, and "Mijn team" offers nothing to open.
    response = manager.reload()
    assert response is not None and response.status == 404
    manager.goto("/team/")
    row = manager.locator("tbody tr", has_text=world.teacher.family_name)
    expect(row.locator("td.num").nth(2)).to_have_text("0")
    expect(row.locator("a[href*='/dossier/people/']")).to_have_count(0)

    # The teacher sees the manager's views on the privacy page, with the item's title.
    teacher.goto("/dossier/privacy/")
    table = teacher.locator("main table")
    expect(table).to_contain_text(world.manager.full_name)
    expect(table.get_by_role("link", name=TITLE)).to_be_visible()
    assert AccessLog.objects.filter(actor=world.manager, object_id=str(evidence.pk)).count() == 1
