"""Importing staff: a file with a mistake is refused with the row and the reason, the corrected file goes in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from bekwaam.tenancy.models import Employment
from tests.browser.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "personeelsnummer;voornaam;tussenvoegsel;achternaam;e-mail;brin;functie;startdatum;fte"


def staff_csv(*rows: str) -> bytes:
    # As Dutch Excel saves it: UTF-8 with a byte order mark, semicolons.
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode()


def upload(page: Page, content: bytes, name: str) -> None:
    page.locator("main form [name=kind][value=staff]").check()
    page.locator("main form input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    submit(page)


def test_it_refuses_a_file_with_an_error_and_imports_the_corrected_one(
    world: Any, sign_in_as: Callable[[Any], Page]
) -> None:
    brin = world.school_a.brin
    good = f"900001;Sara;van;Dijk;sara.vandijk@alfa.nl;{brin};leerkracht;01-08-2025;0,8"
    page = sign_in_as(world.administrator)
    page.goto("/board/")
    page.locator("nav.main-nav a[href='/board/import/']").click()
    expect(page).to_have_url(re.compile(r"/board/import/$"))

    upload(page, staff_csv(good, f"900002;Joris;;Bakker;joris.bakker@alfa.nl;{brin};leerkracht;31-02-2025;1"), "v1.csv")

    # The check names the row and what is wrong with it, and offers no way to import.
    expect(page).to_have_url(re.compile(r"/board/import/[0-9a-f-]{36}/$"))
    expect(page.locator("#error-summary")).to_be_visible()
    error_row = page.locator("tr.row--error")
    expect(error_row).to_have_count(1)
    expect(error_row).to_contain_text("900002")
    expect(error_row.locator(".errorlist")).not_to_be_empty()
    expect(page.locator("main form[action$='/apply/']")).to_have_count(0)
    assert not Employment.objects.filter(personnel_number__in=["900001", "900002"]).exists()

    page.locator("#error-summary a.button").click()
    expect(page).to_have_url(re.compile(r"/board/import/$"))
    upload(page, staff_csv(good, f"900002;Joris;;Bakker;joris.bakker@alfa.nl;{brin};leerkracht;01-02-2025;1"), "v2.csv")

    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator("tr.row--create")).to_have_count(2)
    assert not Employment.objects.filter(personnel_number__in=["900001", "900002"]).exists()  # a dry run
    expect(page.locator("main form [name=send_invitations]")).to_be_checked()
    page.locator("main form[action$='/apply/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/board/import/[0-9a-f-]{36}/result/$"))
    expect(page.locator("tr.row--create")).to_have_count(2)
    assert set(
        Employment.objects.filter(school=world.school_a, personnel_number__in=["900001", "900002"]).values_list(
            "person__email", flat=True
        )
    ) == {"sara.vandijk@alfa.nl", "joris.bakker@alfa.nl"}
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "joris.bakker@alfa.nl",
        "sara.vandijk@alfa.nl",
    ]

    page.locator("main .actions a.button").first.click()
    expect(page).to_have_url(re.compile(r"/board/people/$"))
    expect(page.locator("main")).to_contain_text("Bakker")
    expect(page.locator("main")).to_contain_text("Dijk")
