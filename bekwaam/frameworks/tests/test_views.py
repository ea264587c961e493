"""The beheerder's framework pages: who may open them, forms that keep what was typed, bounded queries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from bekwaam.frameworks import services
from bekwaam.frameworks.forms import IMPORT_MAX_BYTES
from bekwaam.frameworks.models import Domain, Framework, FrameworkVersion, Indicator
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db

SAMPLE_MATRIX = Path(__file__).parent / "sample.matrix"


def dutch(msgid: str, **params: Any) -> str:
    """The message as a page shows it (Dutch is the default language), HTML-escaped."""
    with translation.override("nl"):
        return escape(gettext(msgid) % params if params else gettext(msgid))


def test_it_lists_the_boards_frameworks_and_offers_the_shipped_ones(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    page = client.get("/frameworks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bekwaamheidseisen leraren primair onderwijs" in text
    assert "Beroepsstandaard schoolleiders primair onderwijs" in text
    response = client.post("/frameworks/adopt/", {"slug": "teacher-competences"})
    framework = Framework.objects.get(board=world.board_a)
    assert response.status_code == 302 and response["Location"] == f"/frameworks/{framework.pk}/"
    page = client.get("/frameworks/")
    text = page.content.decode()
    assert f'href="/frameworks/{framework.pk}/"' in text
    assert 'value="teacher-competences"' not in text  # no longer offered
    again = client.post("/frameworks/adopt/", {"slug": "teacher-competences"}, follow=True)
    assert dutch("Your board has already adopted %(name)s.", name=framework.name) in again.content.decode()
    assert Framework.objects.filter(board=world.board_a).count() == 1


def test_it_links_to_the_frameworks_from_the_board_home_for_administrators(world: Any, client_for: Any) -> None:
    assert 'href="/frameworks/"' in client_for(world.administrator).get("/board/").content.decode()


def test_it_shows_a_published_version_read_only(world: Any, client_for: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    page = client_for(world.administrator).get(f"/frameworks/versions/{version.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Indicator 2.2.2" in text and "Vakbekwaam" in text
    assert "/domains/new/" not in text and "Publish version" not in text and "/delete/" not in text


def test_it_refuses_edit_pages_of_a_published_version(world: Any, client_for: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    client = client_for(world.administrator)
    before = Domain.objects.count()
    response = client.post(f"/frameworks/versions/{version.pk}/domains/new/", {"code": "X", "name": "Nieuw"})
    assert response.status_code == 302
    message = dutch("This version has been published and can no longer be changed.")
    assert message in client.get(response["Location"]).content.decode()
    assert Domain.objects.count() == before


def test_it_builds_and_publishes_a_framework_through_the_pages(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    response = client.post("/frameworks/new/", {"name": "Eigen kader", "audience": "teachers", "slug": ""})
    draft = FrameworkVersion.objects.get(framework__slug="eigen-kader")
    base = f"/frameworks/versions/{draft.pk}/"
    assert response["Location"] == base
    assert client.post(base + "scale/new/", {"value": "1", "label": "Laag"}).status_code == 302
    assert client.post(base + "domains/new/", {"code": "", "name": "Lesgeven"}).status_code == 302
    domain = Domain.objects.get(version=draft)
    assert client.post(base + f"domains/{domain.pk}/competences/new/", {"name": "Uitleg"}).status_code == 302
    page = client.get(base).content.decode()
    assert dutch("Competence %(code)s “%(name)s” has no indicators.", code="1.1", name="Uitleg") in page
    competence = domain.competences.get()
    client.post(base + f"competences/{competence.pk}/indicators/new/", {"text": "Legt helder uit."})
    indicator = Indicator.objects.get(competence=competence)
    assert client.get(base + f"indicators/{indicator.pk}/").status_code == 200
    response = client.post(base + "publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published


def test_it_keeps_what_was_typed_when_a_code_is_taken(world: Any, client_for: Any) -> None:
    draft = framework_version_build(board=world.board_a, slug="eigen", published=False)
    response = client_for(world.administrator).post(
        f"/frameworks/versions/{draft.pk}/domains/new/", {"code": "D1", "name": "Mijn nieuwe domein"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert dutch("Another domain of this version has this code.") in text
    assert 'value="Mijn nieuwe domein"' in text


def test_it_explains_a_refused_publication(world: Any, client_for: Any) -> None:
    framework = services.framework_create(
        actor=actor_for(world.administrator, None), name="Leeg", slug="leeg", audience="teachers"
    )
    draft = framework.versions.get()
    client = client_for(world.administrator)
    response = client.post(f"/frameworks/versions/{draft.pk}/publish/", follow=True)
    assert dutch("The rating scale needs at least one level.") in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_it_imports_a_mahara_file_and_opens_the_draft(world: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile("kader.matrix", SAMPLE_MATRIX.read_bytes(), "application/octet-stream")
    response = client_for(world.administrator).post("/frameworks/import/", {"file": upload})
    draft = FrameworkVersion.objects.get(framework__board=world.board_a)
    assert response.status_code == 302 and response["Location"] == f"/frameworks/versions/{draft.pk}/"


def test_it_shows_every_problem_of_a_bad_file_and_imports_nothing(world: Any, client_for: Any) -> None:
    data = {"schema": "bekwaam.framework", "schema_version": 1, "slug": "x", "name": "", "audience": "teachers"}
    upload = SimpleUploadedFile("kader.json", json.dumps(data).encode(), "application/json")
    response = client_for(world.administrator).post("/frameworks/import/", {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "name: " + dutch("Must not be empty.") in text
    assert "versions: " + dutch("This field is required.") in text
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"{" * (IMPORT_MAX_BYTES + 1), "The file is too large (at most %(size)s)."),
    ],
)
def test_it_refuses_empty_and_oversized_uploads(world: Any, client_for: Any, content: bytes, message: str) -> None:
    upload = SimpleUploadedFile("kader.json", content, "application/json")
    response = client_for(world.administrator).post("/frameworks/import/", {"file": upload})
    assert response.status_code == 400
    assert dutch(message).split(" (")[0] in response.content.decode()  # the size is written per language


def test_it_downloads_a_version_and_a_framework_as_json(world: Any, client_for: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    client = client_for(world.administrator)
    response = client.get(f"/frameworks/versions/{version.pk}/export/")
    assert response["Content-Disposition"] == 'attachment; filename="eigen-v1.json"'
    assert json.loads(response.content)["versions"][0]["domains"][0]["code"] == "D1"
    response = client.get(f"/frameworks/{version.framework_id}/export/")
    assert response["Content-Disposition"] == 'attachment; filename="eigen.json"'


def test_it_hides_another_boards_frameworks(world: Any, client_for: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen", published=False)
    client = client_for(world.outsider_admin)
    for url in (
        f"/frameworks/{version.framework_id}/",
        f"/frameworks/{version.framework_id}/export/",
        f"/frameworks/versions/{version.pk}/",
        f"/frameworks/versions/{version.pk}/export/",
    ):
        assert client.get(url).status_code == 404, url
    domain = Domain.objects.filter(version=version).first()
    assert domain is not None
    response = client.post(f"/frameworks/versions/{version.pk}/domains/{domain.pk}/delete/")
    assert response.status_code == 404
    assert Domain.objects.filter(pk=domain.pk).exists()


@pytest.mark.parametrize("persona", ["teacher", "manager", "board_member", "quality_officer", "assessor"])
def test_it_denies_the_pages_to_everyone_but_administrators(world: Any, client_for: Any, persona: str) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    client = client_for(world.persona(persona))
    assert client.get("/frameworks/").status_code == 403
    assert client.get(f"/frameworks/versions/{version.pk}/").status_code == 403
    assert client.post("/frameworks/adopt/", {"slug": "teacher-competences"}).status_code == 403
    assert Framework.objects.count() == 1


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("published", [True, False])
def test_it_reads_a_version_page_in_a_fixed_number_of_queries(world: Any, client_for: Any, published: bool) -> None:
    small = framework_version_build(board=world.board_a, slug="klein", domains=1, competences=1, indicators=1)
    big = framework_version_build(board=world.board_a, slug="groot", domains=8, competences=8, indicators=6)
    if not published:
        FrameworkVersion.objects.filter(pk__in=[small.pk, big.pk]).update(status="draft", published_at=None)
    client = client_for(world.administrator)
    _count(client, f"/frameworks/versions/{small.pk}/")  # warm-up
    assert _count(client, f"/frameworks/versions/{small.pk}/") == _count(client, f"/frameworks/versions/{big.pk}/")
    assert _count(client, f"/frameworks/versions/{big.pk}/") <= 20


def test_it_reads_the_list_and_detail_pages_in_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    first = framework_version_build(board=world.board_a, slug="een")
    _count(client, "/frameworks/")
    few = (_count(client, "/frameworks/"), _count(client, f"/frameworks/{first.framework_id}/"))
    for n in range(5):
        framework_version_build(board=world.board_a, slug=f"kader-{n}")
        framework_version_build(board=world.board_a, framework=first.framework)
    assert (_count(client, "/frameworks/"), _count(client, f"/frameworks/{first.framework_id}/")) == few
