"""Dossier import: bad input is refused with a clear message and writes nothing (no rows, no files)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from bekwaam.dossier.models import (
    Action,
    DevelopmentPlan,
    Evidence,
    Goal,
    GoalComment,
    GoalPhaseChange,
    Rating,
    Reflection,
    SelfAssessment,
)
from bekwaam.dossier.services import transfer_import
from bekwaam.dossier.services.transfer import entry_name_problem, safe_file_name
from bekwaam.dossier.services.transfer_import import dossier_import
from bekwaam.dossier.tests.matrix_transfer import minimal_manifest, zip_of
from bekwaam.dossier.tests.test_transfer import (
    actor_of,
    dossier_build,
    export_bytes,
    stored_files,
    upload_of,
    zip_entries,
)
from bekwaam.frameworks.models import (
    Competence,
    Domain,
    Framework,
    FrameworkKind,
    FrameworkVersion,
    Indicator,
    ScaleLevel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Files go to a temporary directory through the normal storage API."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


ROWS = (
    SelfAssessment,
    Rating,
    DevelopmentPlan,
    Goal,
    Action,
    GoalPhaseChange,
    GoalComment,
    Evidence,
    Reflection,
    Framework,
    FrameworkVersion,
    ScaleLevel,
    Domain,
    Competence,
    Indicator,
)


def snapshot() -> dict[str, int]:
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in ROWS}


@pytest.fixture
def exported(world: Any) -> dict[str, bytes]:
    dossier_build(world.board_a, world.teacher, commenter=world.manager)
    return zip_entries(export_bytes(world.teacher, world.board_a))


def rebuilt(
    entries: dict[str, bytes], change: Callable[[dict[str, Any]], None] | None = None, **replace: bytes
) -> bytes:
    """The export with its manifest changed by `change` and entries replaced or added."""
    entries = dict(entries)
    if change is not None:
        manifest = json.loads(entries["manifest.json"])
        change(manifest)
        entries["manifest.json"] = json.dumps(manifest).encode()
    entries.update(replace)
    return zip_of(entries)


def refused(world: Any, data: bytes, media_root: Path) -> list[str]:
    """Import as the outsider (board B); assert it was refused with nothing written; the messages."""
    before = snapshot()
    files_before = stored_files(media_root)
    with pytest.raises(ValidationError) as raised:
        dossier_import(actor=actor_of(world.outsider, world.board_b), upload=upload_of(data))
    assert snapshot() == before
    assert stored_files(media_root) == files_before
    return raised.value.messages


def test_it_refuses_what_is_not_a_zip(world: Any, media: Path) -> None:
    messages = refused(world, b"%PDF-1.4 this is a PDF, not a ZIP", media)
    assert messages == ["This is not a ZIP file. Upload the ZIP file you downloaded with “Download my dossier”."]


def test_it_refuses_a_zip_without_a_manifest(world: Any, media: Path) -> None:
    assert "no manifest.json" in refused(world, zip_of({"index.html": b"<p>hi</p>"}), media)[0]


def test_it_refuses_a_zip_bomb_by_its_compression_ratio_before_unpacking(
    world: Any, media: Path, monkeypatch: Any
) -> None:
    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an entry was unpacked")

    data = zip_of(
        {"manifest.json": json.dumps(minimal_manifest()).encode(), "files/x/bomb.pdf": bytes(5 * 1024 * 1024)}
    )
    assert len(data) < 20_000
    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    assert "ZIP bomb" in refused(world, data, media)[0]


def test_it_refuses_a_zip_that_unpacks_beyond_the_limit(world: Any, media: Path, settings: Any) -> None:
    settings.DOSSIER_IMPORT_MAX_BYTES = 100_000
    entries = {f"files/{n}/zeros.bin": bytes(60_000) for n in range(5)}  # small entries: no ratio check
    data = zip_of({"manifest.json": json.dumps(minimal_manifest()).encode(), **entries})
    assert len(data) < 100_000
    assert "unpacks to more than" in refused(world, data, media)[0]


def test_it_refuses_an_upload_beyond_the_limit(world: Any, media: Path, settings: Any) -> None:
    settings.DOSSIER_IMPORT_MAX_BYTES = 100
    assert "larger than" in refused(world, zip_of({"manifest.json": json.dumps(minimal_manifest()).encode()}), media)[0]


def test_it_refuses_too_many_entries(world: Any, media: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(transfer_import, "MAX_ENTRIES", 3)
    data = zip_of({"manifest.json": b"{}", **{f"files/{n}/a.pdf": b"x" for n in range(3)}})
    assert "more than 3 files" in refused(world, data, media)[0]


@pytest.mark.parametrize(
    "name", ["../evil.pdf", "files/../../evil.pdf", "/etc/passwd", "files\\..\\evil.pdf", "C:/evil.pdf"]
)
def test_it_refuses_names_that_point_outside_the_dossier(
    world: Any, media: Path, exported: dict[str, bytes], name: str
) -> None:
    data = rebuilt(exported, **{name: b"%PDF-1.4"})
    assert "points outside the dossier" in refused(world, data, media)[0]


def test_it_knows_safe_names_from_unsafe_ones() -> None:
    assert not entry_name_problem("files/1b2c/diploma pabo.pdf")
    assert all(entry_name_problem(n) for n in ("..", "a/../b", "./a", "/a", "a\\b", "c:x", "a\x00b", ""))
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\Users\\tom\\cv<1>.pdf") == "cv_1_.pdf"
    assert safe_file_name("...") == "bestand"


def test_it_refuses_a_manifest_of_a_newer_schema_version(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    def newer(manifest: dict[str, Any]) -> None:
        manifest["schema_version"] = 2
        manifest["something_new"] = {"shape": "unknown"}

    messages = refused(world, rebuilt(exported, newer), media)
    assert messages == [
        "This export was made by a newer version of Bekwaam (format version 2); this installation reads format "
        "version 1. Ask your administrator to update Bekwaam."
    ]


@pytest.mark.parametrize("version", ["1", 0, None, True])
def test_it_refuses_an_unknown_schema_version(
    world: Any, media: Path, exported: dict[str, bytes], version: Any
) -> None:
    def unknown(manifest: dict[str, Any]) -> None:
        manifest["schema_version"] = version

    assert "unknown format version" in refused(world, rebuilt(exported, unknown), media)[0]


def test_it_refuses_a_manifest_that_does_not_fit_the_schema(
    world: Any, media: Path, exported: dict[str, bytes]
) -> None:
    def broken(manifest: dict[str, Any]) -> None:
        del manifest["evidence"][1]["title"]
        manifest["measurements"][0]["ratings"][0]["level"] = "3"
        manifest["plans"][0]["starts_on"] = "1 augustus 2024"
        manifest["reflections"][0]["colour"] = "blue"

    messages = refused(world, rebuilt(exported, broken), media)
    assert "manifest.json, evidence[1].title: is missing" in messages
    assert "manifest.json, measurements[0].ratings[0].level: has the wrong type (expected: integer/null)" in messages
    assert "manifest.json, plans[0].starts_on: is not a valid date" in messages
    assert "manifest.json, reflections[0].colour: is not a field of this format" in messages


def test_it_refuses_invalid_json(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    assert refused(world, rebuilt(exported, **{"manifest.json": b"{not json"}), media) == [
        "manifest.json is not valid JSON."
    ]


def test_it_refuses_a_file_whose_checksum_does_not_match(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    manifest = json.loads(exported["manifest.json"])
    path = manifest["evidence"][1]["file"]["path"]
    original = exported[path]
    changed = original[:-2] + b"X\n"
    assert len(changed) == len(original)
    messages = refused(world, rebuilt(exported, **{path: changed}), media)
    assert messages == [
        "Evidence 2 (Diploma pabo): the file has been changed or damaged: its checksum (SHA-256) does not match."
    ]


def test_it_refuses_a_file_missing_from_the_zip(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    manifest = json.loads(exported["manifest.json"])
    path = manifest["evidence"][1]["file"]["path"]
    entries = {name: data for name, data in exported.items() if name != path}
    messages = refused(world, zip_of(entries), media)
    assert messages == [f"Evidence 2 (Diploma pabo): the file is missing from the ZIP ({path})."]


def test_it_refuses_a_file_that_claims_to_be_a_pdf_but_is_not(
    world: Any, media: Path, exported: dict[str, bytes]
) -> None:
    fake = b"<html><script>alert(1)</script></html>"

    def claims_pdf(manifest: dict[str, Any]) -> None:
        file = manifest["evidence"][0]["file"]
        file.update(sha256=hashlib.sha256(fake).hexdigest(), size=len(fake))

    path = json.loads(exported["manifest.json"])["evidence"][0]["file"]["path"]
    messages = refused(world, rebuilt(exported, claims_pdf, **{path: fake}), media)
    assert messages == [
        "Evidence 1 (Lesplan rekenen): This file is not a real .pdf file: its content does not match its name."
    ]


def test_it_refuses_a_file_whose_type_differs_from_the_manifest(
    world: Any, media: Path, exported: dict[str, bytes]
) -> None:
    def says_png(manifest: dict[str, Any]) -> None:
        manifest["evidence"][0]["file"].update(content_type="image/png", name="lesplan")

    messages = refused(world, rebuilt(exported, says_png), media)
    assert messages == ["Evidence 1 (Lesplan rekenen): the file is not what the manifest says it is (image/png)."]


def test_it_refuses_a_rating_level_outside_the_scale(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    def off_scale(manifest: dict[str, Any]) -> None:
        manifest["measurements"][0]["ratings"][2]["level"] = 9

    messages = refused(world, rebuilt(exported, off_scale), media)
    assert messages == ["Measurement 1, indicator D1.C2.I1: level 9 is not on the framework's scale (1, 2, 3, 4)."]


def test_it_refuses_duplicate_ids(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    def duplicated(manifest: dict[str, Any]) -> None:
        manifest["evidence"][3]["id"] = manifest["evidence"][2]["id"]

    messages = refused(world, rebuilt(exported, duplicated), media)
    assert messages[0].startswith("Evidence 3 (EHBO-certificaat): its id ")
    assert messages[0].endswith(" is used more than once in the manifest.")


def test_it_refuses_references_to_what_is_not_in_the_manifest(
    world: Any, media: Path, exported: dict[str, bytes]
) -> None:
    def dangling(manifest: dict[str, Any]) -> None:
        manifest["reflections"][0]["evidence"].append("00000000-0000-4000-8000-000000000000")
        manifest["evidence"][0]["competences"].append(
            {"framework": "bekwaamheidseisen-test", "version": 1, "code": "D9.C9"}
        )
        manifest["measurements"][0]["ratings"][0]["indicator"] = "D1.C1.I9"

    messages = refused(world, rebuilt(exported, dangling), media)
    assert "Measurement 1, indicator D1.C1.I9: the framework has no such indicator under competence D1.C1." in messages
    assert (
        "Evidence 1 (Lesplan rekenen): it names competence D9.C9, which framework bekwaamheidseisen-test version 1 "
        "does not have." in messages
    )
    assert (
        "Reflection 1 (Terugblik eerste periode): it refers to evidence 00000000-0000-4000-8000-000000000000, which is "
        "not in the manifest." in messages
    )


def test_it_refuses_dates_out_of_order(world: Any, media: Path, exported: dict[str, bytes]) -> None:
    def backwards(manifest: dict[str, Any]) -> None:
        manifest["plans"][0]["ends_on"] = "2020-01-01"
        manifest["evidence"][2]["expires_on"] = "2020-01-01"

    messages = refused(world, rebuilt(exported, backwards), media)
    assert "Development plan 1 (POP 2024-2025): it ends before it starts." in messages
    assert "Evidence 3 (EHBO-certificaat): it expires before it was issued." in messages


def test_it_removes_stored_files_when_writing_fails_halfway(
    world: Any, media: Path, exported: dict[str, bytes], monkeypatch: Any
) -> None:
    files_before = stored_files(media)
    before = snapshot()

    def broken(self: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(transfer_import._Writer, "reflections", broken)
    with pytest.raises(RuntimeError):
        dossier_import(actor=actor_of(world.outsider, world.board_b), upload=upload_of(zip_of(exported)))
    assert snapshot() == before
    assert stored_files(media) == files_before


def test_it_warns_about_themes_this_installation_does_not_know(world: Any, exported: dict[str, bytes]) -> None:
    def unknown_theme(manifest: dict[str, Any]) -> None:
        manifest["reflections"][1]["themes"] = ["thema-van-elders"]

    result = dossier_import(
        actor=actor_of(world.outsider, world.board_b), upload=upload_of(rebuilt(exported, unknown_theme))
    )
    assert result.warnings == [
        "The register theme “thema-van-elders” is not known in this installation; items keep no tag for it."
    ]
    assert result.reflections == 2


# --- the page ------------------------------------------------------------------------------------


def test_it_imports_through_the_page_and_shows_the_result_once(
    world: Any, client_for: Any, exported: dict[str, bytes]
) -> None:
    client = client_for(world.outsider)
    response = client.post(reverse("dossier:import"), {"file": upload_of(zip_of(exported))})
    assert response.status_code == 302 and response["Location"] == reverse("dossier:import")
    page = client.get(reverse("dossier:import")).content.decode()
    assert "The dossier has been imported" in page
    assert "4 evidence items (3 files)" in page
    assert "The dossier has been imported" not in client.get(reverse("dossier:import")).content.decode()
    assert Evidence.objects.filter(person=world.outsider, board=world.board_b).count() == 4


def test_it_shows_every_problem_on_the_page_and_keeps_the_form(
    world: Any, client_for: Any, exported: dict[str, bytes]
) -> None:
    def off_scale(manifest: dict[str, Any]) -> None:
        manifest["measurements"][0]["ratings"][2]["level"] = 9
        manifest["evidence"][2]["expires_on"] = "2020-01-01"

    response = client_for(world.outsider).post(
        reverse("dossier:import"), {"file": upload_of(rebuilt(exported, off_scale))}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "level 9 is not on the framework" in page
    assert "Evidence 3 (EHBO-certificaat): it expires before it was issued." in page
    assert 'type="file"' in page
    assert Evidence.objects.filter(person=world.outsider).count() == 0


def test_it_asks_for_a_file(world: Any, client_for: Any) -> None:
    response = client_for(world.outsider).post(reverse("dossier:import"), {})
    assert response.status_code == 400
    assert (
        "This field is required." in response.content.decode() or "Dit veld is verplicht." in response.content.decode()
    )


def test_it_keeps_one_import_to_the_importers_own_dossier(world: Any, exported: dict[str, bytes]) -> None:
    dossier_import(actor=actor_of(world.outsider, world.board_b), upload=upload_of(zip_of(exported)))
    with scopes_disabled():
        owners = set(Evidence.objects.filter(board=world.board_b).values_list("person_id", flat=True))
    assert owners == {world.outsider.pk}


def test_it_refuses_the_import_for_someone_without_a_dossier(world: Any, exported: dict[str, bytes]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        dossier_import(actor=actor_of(world.outsider_admin, world.board_b), upload=upload_of(zip_of(exported)))


def test_it_reads_the_zip_it_exported_itself_in_memory_or_from_disk(world: Any, exported: dict[str, bytes]) -> None:
    data = zip_of(exported)
    with io.BytesIO(data) as raw:
        from django.core.files import File

        result = dossier_import(actor=actor_of(world.outsider, world.board_b), upload=File(raw, name="dossier.zip"))
    assert result.files == 3


def test_it_refuses_text_with_a_nul_character_and_moments_out_of_range(
    world: Any, media: Path, exported: dict[str, bytes]
) -> None:
    def nul(manifest: dict[str, Any]) -> None:
        manifest["reflections"][0]["body"] = "voor\x00na"

    assert refused(world, rebuilt(exported, nul), media) == [
        "manifest.json, reflections[0].body: contains a NUL character"
    ]

    def ancient(manifest: dict[str, Any]) -> None:
        manifest["reflections"][0]["created_at"] = "0001-01-01T00:30:00+02:00"

    assert refused(world, rebuilt(exported, ancient), media) == [
        "manifest.json, reflections[0].created_at: is not a valid date-time"
    ]


@pytest.fixture(autouse=True)
def _english_messages(client: Any) -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids,
    and ask for the pages in English (the language cookie of the `client` fixture that client_for uses)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def test_it_refuses_a_framework_whose_code_is_a_kijkwijzer_at_the_board(
    world: Any, media: Path, exported: dict[str, bytes]
) -> None:
    slug = json.loads(exported["manifest.json"])["frameworks"][0]["slug"]
    with scopes_disabled():
        Framework.objects.create(board=world.board_b, slug=slug, name="Kijkwijzer", kind=FrameworkKind.OBSERVATION)

    messages = refused(world, zip_of(exported), media)
    assert len(messages) == 1
    assert slug in messages[0]
    assert "kijkwijzer" in messages[0]
