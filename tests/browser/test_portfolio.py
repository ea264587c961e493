"""A teacher uploads a PDF certificate with an expiry date, tags it with a competence, and finds it back
in the portfolio list, on the dossier overview (expiry warning) and on the coverage map.

Fields are found by name, not by their (translated) labels.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bekwaam.dossier.models import Evidence
from bekwaam.dossier.tests.test_uploads import pdf_bytes
from bekwaam.frameworks.models import Competence
from bekwaam.frameworks.tests.factories import framework_version_build
from tests.browser.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "EHBO-certificaat"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_it_uploads_a_certificate_and_shows_it_in_the_list_and_on_the_coverage_map(
    world: Any, sign_in_as: Callable[[Any], Page]
) -> None:
    version = framework_version_build(board=world.board_a)
    competence = Competence.objects.get(version=version, code="D2.C1")
    today = timezone.localdate()

    page = sign_in_as(world.teacher)
    page.goto("/dossier/portfolio/")
    page.locator("a[href='/dossier/portfolio/new/?kind=certificate']").click()
    form = page.locator("main form[enctype]")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=issuer]").fill("Het Oranje Kruis")
    form.locator("[name=issued_on]").fill((today - datetime.timedelta(days=700)).isoformat())
    form.locator("[name=expires_on]").fill((today + datetime.timedelta(days=30)).isoformat())
    form.locator("input[type=file][name=file]").set_input_files(
        {"name": "ehbo.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    form.locator(f"input[name=competences][value='{competence.pk}']").check()
    submit(page)

    expect(page).to_have_url(re.compile(r"/dossier/portfolio/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main .message--warning")).to_be_visible()  # expires within 60 days
    expect(page.locator("main a[href$='/file/']")).to_be_visible()
    evidence = Evidence.objects.get(title=TITLE)
    assert (evidence.content_type, evidence.original_name) == ("application/pdf", "ehbo.pdf")
    assert list(evidence.competences.all()) == [competence]

    # In the list, with its competence and the expiry in words.
    page.goto("/dossier/portfolio/")
    row = page.locator("tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator(".badge", has_text="D2.C1")).to_be_visible()
    expect(row.locator(".expiry--soon")).to_be_visible()

    # The filter finds it by competence, without a page reload when JS runs and with one when not.
    page.locator("select[name=competence]").select_option(str(competence.pk))
    expect(page.locator("#evidence-rows tbody tr")).to_have_count(1)
    page.locator("select[name=competence]").select_option(str(Competence.objects.get(version=version, code="D1.C1").pk))
    expect(page.locator("#evidence-rows tbody tr")).to_have_count(0)

    # The dossier overview warns before it expires.
    page.goto("/dossier/")
    expect(page.locator(".expiry-warning", has_text=TITLE)).to_be_visible()

    # The coverage map counts it for D2.C1; the other competences are marked empty, in words.
    page.goto("/dossier/coverage/")
    covered = page.locator("table.coverage-table tbody tr", has_text="D2.C1 ")
    expect(covered.locator("td.num").first).to_have_text("1")
    expect(covered.locator(".coverage-status--empty")).to_have_count(0)
    expect(page.locator("table.coverage-table .coverage-status--empty")).to_have_count(3)
    expect(page.locator("svg.coverage-chart")).to_have_count(2)
