"""Dossier export: the teacher downloads the ZIP and the PDF; the ZIP goes into another board's dossier."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from bekwaam.dossier.models import Evidence
from bekwaam.dossier.tests.test_transfer import dossier_build
from tests.browser.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


def test_it_downloads_the_dossier_as_zip_and_pdf_and_imports_it_elsewhere(
    world: Any, sign_in_as: Callable[[Any], Page], tmp_path: Path
) -> None:
    with scopes_disabled():
        dossier_build(world.board_a, world.teacher, commenter=world.manager)
    page = sign_in_as(world.teacher)
    page.goto("/dossier/export/")
    expect(page.locator("h1")).to_be_visible()

    with page.expect_download(timeout=60_000) as zip_download:
        page.locator(".export-choices a[href='/dossier/export/zip/']").click()
    assert re.fullmatch(r"bekwaamheidsdossier-tom-leraar-\d{4}-\d{2}-\d{2}\.zip", zip_download.value.suggested_filename)
    zip_path = tmp_path / "dossier.zip"
    zip_download.value.save_as(zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        assert {"manifest.json", "index.html"} <= names
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["person"]["email"] == "leerkracht@alfa.nl"
        diploma = next(item for item in manifest["evidence"] if item["title"] == "Diploma pabo")
        data = archive.read(diploma["file"]["path"])
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == diploma["file"]["sha256"]
        assert "Diploma pabo" in archive.read("index.html").decode()

    with page.expect_download(timeout=60_000) as pdf_download:  # WeasyPrint takes a moment on a busy machine
        page.locator(".export-choices a[href='/dossier/export/pdf/']").click()
    pdf_path = tmp_path / "dossier.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    # The new employer: the outsider of board B imports the ZIP into their own dossier.
    other = sign_in_as(world.outsider)
    other.goto("/dossier/import/")
    other.locator("main form input[type=file]").set_input_files(str(zip_path))
    submit(other)
    expect(other).to_have_url(re.compile(r"/dossier/import/$"))
    expect(other.locator(".message--success")).to_contain_text("4")
    with scopes_disabled():
        assert Evidence.objects.filter(board=world.board_b, person=world.outsider).count() == 4
