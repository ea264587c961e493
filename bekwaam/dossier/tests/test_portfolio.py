"""The portfolio: evidence and reflections, safe uploads and serving, tags, expiry warnings, the list."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import DevelopmentPlan, Evidence, EvidenceKind, Goal, Reflection, Share, ShareAudience
from bekwaam.dossier.selectors.portfolio import portfolio_overview_for
from bekwaam.dossier.services.portfolio import (
    evidence_create,
    evidence_delete,
    evidence_update,
    original_name_clean,
    reflection_create,
)
from bekwaam.dossier.tests.test_uploads import docx_bytes, pdf_bytes, png_bytes
from bekwaam.dossier.uploads import DOCX, PDF
from bekwaam.frameworks.models import Competence
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Files go to a temporary directory through the normal storage API."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def actor_of(person: Any, board: Any) -> Any:
    return actor_for(person, f"board:{board.pk}")


@pytest.fixture
def version(world: Any) -> Any:
    return framework_version_build(board=world.board_a)


@pytest.fixture
def competence(version: Any) -> Competence:
    return Competence.objects.filter(version=version).order_by("code").first()  # type: ignore[return-value]


def goal_of(person: Any, board: Any, title: str = "Beter differentiëren") -> Goal:
    plan = DevelopmentPlan.objects.create(board=board, person=person, title="POP 2025", starts_on=TODAY())
    return Goal.objects.create(board=board, plan=plan, title=title)


def pdf_upload(name: str = "certificaat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def create_url(kind: str) -> str:
    return reverse("dossier:evidence-create") + f"?kind={kind}"


def certificate_data(competence: Competence, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "EHBO-certificaat",
        "issuer": "Het Oranje Kruis",
        "issued_on": (TODAY() - datetime.timedelta(days=300)).isoformat(),
        "expires_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        "competences": [competence.pk],
        "file": pdf_upload(),
    }
    data.update(extra)
    return data


def evidence_of(person: Any, board: Any, **fields: Any) -> Evidence:
    defaults: dict[str, Any] = {"kind": EvidenceKind.LINK, "url": "https://example.org/", "title": "Lesvideo"}
    defaults.update(fields)
    return Evidence.objects.create(board=board, person=person, **defaults)


def file_evidence(world: Any, *, content: bytes | None = None, name: str = "certificaat.pdf") -> Evidence:
    return evidence_create(
        actor=actor_of(world.teacher, world.board_a),
        kind=EvidenceKind.DOCUMENT,
        title="Scan",
        file=SimpleUploadedFile(name, content if content is not None else pdf_bytes()),
    )


def share_with_manager(world: Any, item: Evidence | Reflection) -> Share:
    field = "evidence" if isinstance(item, Evidence) else "reflection"
    return Share.objects.create(
        board=world.board_a,
        owner=world.teacher,
        audience=ShareAudience.MANAGER,
        section="portfolio",
        **{field: item},
    )


# --- creating evidence ----------------------------------------------------------------------------------


def test_it_adds_a_certificate_with_its_file_expiry_and_tags(
    world: Any, client_for: Any, competence: Competence, media: Path
) -> None:
    goal = goal_of(world.teacher, world.board_a)
    response = client_for(world.teacher).post(
        create_url("certificate"), certificate_data(competence, goals=[goal.pk], file=pdf_upload("Mijn EHBO.pdf"))
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk})
    assert evidence.kind == EvidenceKind.CERTIFICATE
    assert (evidence.issuer, evidence.expires_on) == ("Het Oranje Kruis", TODAY() + datetime.timedelta(days=30))
    assert (evidence.content_type, evidence.original_name, evidence.size) == (PDF, "Mijn EHBO.pdf", len(pdf_bytes()))
    assert list(evidence.competences.all()) == [competence]
    assert list(evidence.goals.all()) == [goal]
    # Stored under a random name without the uploader's name or extension.
    assert evidence.file.name.startswith(f"evidence/{world.board_a.pk}/")
    assert "EHBO" not in evidence.file.name and not evidence.file.name.endswith(".pdf")
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == pdf_bytes()
    assert stored_files(media) == [media / evidence.file.name]


def test_it_adds_a_link(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).post(
        create_url("link"), {"title": "Mijn lesvideo", "url": "https://video.example.org/les-1"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.url, evidence.file.name) == ("link", "https://video.example.org/les-1", "")


def test_it_shows_the_fields_of_each_kind(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    link = client.get(create_url("link")).content.decode()
    assert 'name="url"' in link and 'name="file"' not in link and 'name="issuer"' not in link
    certificate = client.get(create_url("certificate")).content.decode()
    assert 'name="issuer"' in certificate and 'name="expires_on"' in certificate and 'name="file"' in certificate
    document = client.get(create_url("document")).content.decode()
    assert 'name="file"' in document and 'name="issuer"' not in document


def test_it_groups_competence_choices_per_domain(world: Any, client_for: Any, version: Any) -> None:
    page = client_for(world.teacher).get(create_url("document")).content.decode()
    assert page.count('<fieldset class="checkbox-group"><legend>D1 Domein 1</legend>') == 1
    assert "D2.C2 Competentie 2.2" in page


# --- bad input: a clear message, the typed values kept, nothing written ----------------------------------


def assert_refused(response: Any, message: str, media: Path) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page, page
    assert "EHBO-certificaat" in page or "Mijn lesvideo" in page  # what was typed is kept
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_a_file_that_claims_to_be_a_pdf_but_is_not(
    world: Any, client_for: Any, competence: Competence, media: Path
) -> None:
    fake = SimpleUploadedFile("certificaat.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client_for(world.teacher).post(create_url("certificate"), certificate_data(competence, file=fake))
    assert_refused(response, "This file is not a real .pdf file: its content does not match its name.", media)


def test_it_refuses_an_empty_upload(world: Any, client_for: Any, competence: Competence, media: Path) -> None:
    empty = SimpleUploadedFile("certificaat.pdf", b"", "application/pdf")
    response = client_for(world.teacher).post(create_url("certificate"), certificate_data(competence, file=empty))
    assert_refused(response, "The submitted file is empty.", media)


def test_it_refuses_an_oversized_upload(
    world: Any, client_for: Any, competence: Competence, media: Path, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 200
    response = client_for(world.teacher).post(create_url("certificate"), certificate_data(competence))
    assert_refused(response, "The file is too large", media)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pagina.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("tekening.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_it_refuses_html_and_svg(
    world: Any, client_for: Any, competence: Competence, media: Path, name: str, content: bytes
) -> None:
    response = client_for(world.teacher).post(
        create_url("certificate"), certificate_data(competence, file=SimpleUploadedFile(name, content))
    )
    assert_refused(response, "This type of file is not allowed.", media)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,x"])
def test_it_refuses_a_link_that_is_not_http(world: Any, client_for: Any, media: Path, url: str) -> None:
    response = client_for(world.teacher).post(create_url("link"), {"title": "Mijn lesvideo", "url": url})
    assert_refused(response, "Only web addresses that start with http:// or https:// are allowed.", media)


def test_it_refuses_an_expiry_date_before_the_date_of_issue(
    world: Any, client_for: Any, competence: Competence, media: Path
) -> None:
    data = certificate_data(
        competence,
        issued_on=(TODAY() - datetime.timedelta(days=10)).isoformat(),
        expires_on=(TODAY() - datetime.timedelta(days=20)).isoformat(),
    )
    response = client_for(world.teacher).post(create_url("certificate"), data)
    assert_refused(response, "The expiry date must be after the date of issue.", media)


def test_it_refuses_a_competence_of_another_board(
    world: Any, client_for: Any, competence: Competence, media: Path
) -> None:
    other = Competence.objects.filter(version=framework_version_build(board=world.board_b)).first()
    assert other is not None
    response = client_for(world.teacher).post(
        create_url("certificate"), certificate_data(competence, competences=[other.pk])
    )
    assert_refused(response, "Select a valid choice", media)


def test_it_refuses_a_goal_of_another_person(world: Any, client_for: Any, competence: Competence, media: Path) -> None:
    goal_of(world.teacher, world.board_a)  # the teacher has goals: the field is there
    theirs = goal_of(world.colleague, world.board_a, title="Doel van een collega")
    response = client_for(world.teacher).post(
        create_url("certificate"), certificate_data(competence, goals=[theirs.pk])
    )
    assert_refused(response, "Select a valid choice", media)


def test_its_services_refuse_tags_outside_the_actors_reach(world: Any, competence: Competence, media: Path) -> None:
    actor = actor_of(world.teacher, world.board_a)
    other_board = Competence.objects.filter(version=framework_version_build(board=world.board_b)).first()
    with pytest.raises(ValidationError, match="your own framework"):
        evidence_create(actor=actor, kind="link", title="x", url="https://example.org", competences=[other_board])
    with pytest.raises(ValidationError, match="your own development plan"):
        evidence_create(
            actor=actor,
            kind="link",
            title="x",
            url="https://example.org",
            goals=[goal_of(world.colleague, world.board_a)],
        )
    theme = Theme.objects.create(code="t", name="Thema", first_year=2000)
    with pytest.raises(ValidationError, match="for school leaders"):
        evidence_create(actor=actor, kind="link", title="x", url="https://example.org", themes=[theme])
    with pytest.raises(ValidationError, match="http"):
        evidence_create(actor=actor, kind="link", title="x", url="javascript:alert(1)")
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_offers_register_themes_to_school_leaders_only(world: Any, client_for: Any) -> None:
    theme = Theme.objects.create(code="leiderschap", name="Leiderschap in onderwijs", first_year=2000)
    assert 'name="themes"' not in client_for(world.teacher).get(create_url("link")).content.decode()
    leader = client_for(world.manager)
    assert "Leiderschap in onderwijs" in leader.get(create_url("link")).content.decode()
    response = leader.post(
        create_url("link"), {"title": "Visiestuk", "url": "https://example.org", "themes": [theme.pk]}
    )
    assert response.status_code == 302
    assert list(Evidence.objects.get().themes.all()) == [theme]


def test_it_cleans_the_original_name() -> None:
    assert original_name_clean("C:\\Users\\tom\\..\\certificaat.pdf") == "certificaat.pdf"
    assert original_name_clean("../../etc/passwd") == "passwd"
    assert original_name_clean("a\x00b\r\n.pdf") == "ab.pdf"
    assert original_name_clean("") == "file"
    assert original_name_clean("x" * 300 + ".pdf").endswith("x.pdf")
    assert len(original_name_clean("x" * 300 + ".pdf")) == 200


# --- serving files --------------------------------------------------------------------------------------


def fetch(client: Client, url: str) -> Any:
    """GET a file response and read it: the test client closes it (and the file) at the end of the stream.

    Not response.close() here: outside the client that sends request_finished, which closes the test's
    database connection (PostgreSQL then fails every later query of the test).
    """
    response = client.get(url)
    if response.status_code == 200 and response.streaming:
        response.body = b"".join(response.streaming_content)
    return response


def file_url(evidence: Evidence, inline: bool = False) -> str:
    return reverse("dossier:evidence-file", kwargs={"evidence_id": evidence.pk}) + ("?inline=1" if inline else "")


def test_it_serves_a_file_as_a_download_with_its_original_name(world: Any, client_for: Any) -> None:
    evidence = file_evidence(world, name="Getuigschrift één.pdf")
    response = fetch(client_for(world.teacher), file_url(evidence))
    assert response.status_code == 200
    assert response.body == pdf_bytes()
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Getuigschrift%20%C3%A9%C3%A9n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_it_shows_images_inline_in_a_sandbox(world: Any, client_for: Any) -> None:
    evidence = file_evidence(world, content=png_bytes(), name="foto.png")
    response = fetch(client_for(world.teacher), file_url(evidence, inline=True))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_it_shows_a_pdf_inline_without_scripts(world: Any, client_for: Any) -> None:
    response = fetch(client_for(world.teacher), file_url(file_evidence(world), inline=True))
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("inline;")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "script-src 'none'" in response["Content-Security-Policy"]


def test_it_never_shows_office_files_inline(world: Any, client_for: Any) -> None:
    evidence = file_evidence(world, content=docx_bytes(), name="verslag.docx")
    response = fetch(client_for(world.teacher), file_url(evidence, inline=True))
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_serves_a_stored_type_outside_the_list_as_plain_bytes(world: Any, client_for: Any) -> None:
    evidence = file_evidence(world)
    Evidence.objects.filter(pk=evidence.pk).update(content_type="text/html")
    response = fetch(client_for(world.teacher), file_url(evidence, inline=True))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_answers_404_for_an_item_without_a_file(world: Any, client_for: Any) -> None:
    evidence = evidence_of(world.teacher, world.board_a)
    assert client_for(world.teacher).get(file_url(evidence)).status_code == 404


def test_it_answers_404_when_the_stored_file_is_gone(world: Any, client_for: Any, media: Path) -> None:
    evidence = file_evidence(world)
    (media / evidence.file.name).unlink()
    assert client_for(world.teacher).get(file_url(evidence)).status_code == 404


def test_a_download_that_is_never_read_holds_no_file_open(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).get(file_url(file_evidence(world)))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(pdf_bytes()))
    del response  # no ResourceWarning (an error in this test suite) for an unclosed file


@pytest.mark.parametrize("persona", ["colleague", "manager", "administrator", "board_member", "operator", "outsider"])
def test_it_hides_items_from_everyone_without_a_share(world: Any, client_for: Any, persona: str) -> None:
    evidence = file_evidence(world)
    reflection = Reflection.objects.create(
        board=world.board_a, person=world.teacher, title="Terugblik", body="Tekst", written_on=TODAY()
    )
    client = client_for(world.persona(persona))
    for url in (
        reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk}),
        file_url(evidence),  # 404: nothing to close
        reverse("dossier:evidence-edit", kwargs={"evidence_id": evidence.pk}),
        reverse("dossier:reflection-detail", kwargs={"reflection_id": reflection.pk}),
        reverse("dossier:reflection-edit", kwargs={"reflection_id": reflection.pk}),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("dossier:evidence-delete", kwargs={"evidence_id": evidence.pk}),
        reverse("dossier:reflection-delete", kwargs={"reflection_id": reflection.pk}),
    ):
        assert client.post(url).status_code == 404, url
    assert Evidence.objects.count() == 1 and Reflection.objects.count() == 1


def test_a_shared_viewer_opens_the_item_and_its_file_read_only_and_is_logged(world: Any, client_for: Any) -> None:
    evidence = file_evidence(world)
    share = share_with_manager(world, evidence)
    client = client_for(world.manager)
    detail = client.get(reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk}))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "shared with you by Tom Leraar" in page
    assert reverse("dossier:evidence-edit", kwargs={"evidence_id": evidence.pk}) not in page
    assert fetch(client, file_url(evidence)).status_code == 200
    logged = list(AccessLog.objects.filter(subject=world.teacher).values_list("actor_id", "object_id", "path"))
    assert logged == [
        (world.manager.pk, str(evidence.pk), file_url(evidence)),
        (world.manager.pk, str(evidence.pk), reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk})),
    ]
    # Read-only: the edit page and delete are not theirs.
    assert client.get(reverse("dossier:evidence-edit", kwargs={"evidence_id": evidence.pk})).status_code == 404
    assert client.post(reverse("dossier:evidence-delete", kwargs={"evidence_id": evidence.pk})).status_code == 404
    # Withdrawing takes effect at once.
    Share.objects.filter(pk=share.pk).update(withdrawn_at=timezone.now())
    assert client.get(file_url(evidence)).status_code == 404
    assert client.get(reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk})).status_code == 404


def test_the_owners_own_views_are_not_logged(world: Any, client_for: Any) -> None:
    evidence = file_evidence(world)
    client = client_for(world.teacher)
    client.get(reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk}))
    fetch(client, file_url(evidence))
    assert not AccessLog.objects.exists()


# --- changing and deleting ---------------------------------------------------------------------------------


def test_it_removes_the_file_of_a_deleted_item_after_commit(
    world: Any, client_for: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = file_evidence(world)
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(world.teacher).post(
            reverse("dossier:evidence-delete", kwargs={"evidence_id": evidence.pk})
        )
        assert path.exists()  # not before the delete has committed
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_a_rolled_back_delete_keeps_the_file(world: Any, media: Path, django_capture_on_commit_callbacks: Any) -> None:
    evidence = file_evidence(world)
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_delete(actor=actor_of(world.teacher, world.board_a), evidence=evidence)
    # Nothing ran yet: a rollback would simply never call them.
    assert path.exists() and len(callbacks) == 1


def test_it_replaces_a_file_and_removes_the_old_one(
    world: Any, client_for: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = file_evidence(world)
    old = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.teacher).post(
            reverse("dossier:evidence-edit", kwargs={"evidence_id": evidence.pk}),
            {"title": "Nieuwe scan", "file": SimpleUploadedFile("nieuw.png", png_bytes())},
        )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.original_name, evidence.content_type) == ("Nieuwe scan", "nieuw.png", "image/png")
    assert not old.exists()
    assert stored_files(media) == [media / evidence.file.name]


def test_editing_without_a_new_file_keeps_the_file_and_the_tags(
    world: Any, client_for: Any, competence: Competence, media: Path
) -> None:
    evidence = file_evidence(world)
    evidence.competences.add(competence)
    name = evidence.file.name
    client = client_for(world.teacher)
    edit_url = reverse("dossier:evidence-edit", kwargs={"evidence_id": evidence.pk})
    assert f'value="{competence.pk}" id="id_competences_0_0" checked' in client.get(edit_url).content.decode()
    response = client.post(edit_url, {"title": "Andere titel", "competences": [competence.pk]})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.file.name) == ("Andere titel", name)
    assert list(evidence.competences.all()) == [competence]


def test_a_refused_edit_writes_nothing(world: Any, client_for: Any, media: Path) -> None:
    evidence = file_evidence(world)
    response = client_for(world.teacher).post(
        reverse("dossier:evidence-edit", kwargs={"evidence_id": evidence.pk}),
        {"title": "Andere titel", "file": SimpleUploadedFile("nep.pdf", b"<html></html>")},
    )
    assert response.status_code == 400
    evidence.refresh_from_db()
    assert evidence.title == "Scan"
    assert len(stored_files(media)) == 1


def test_a_new_file_is_removed_when_the_update_fails(world: Any, media: Path) -> None:
    evidence = file_evidence(world)
    with pytest.raises(ValidationError):
        evidence_update(
            actor=actor_of(world.teacher, world.board_a),
            evidence=evidence,
            title="x",
            file=SimpleUploadedFile("nieuw.pdf", pdf_bytes()),
            goals=[goal_of(world.colleague, world.board_a)],
        )
    assert len(stored_files(media)) == 1


# --- reflections ------------------------------------------------------------------------------------------


def test_it_writes_a_reflection_about_evidence(world: Any, client_for: Any, competence: Competence) -> None:
    evidence = evidence_of(world.teacher, world.board_a)
    client = client_for(world.teacher)
    form = client.get(reverse("dossier:reflection-create") + f"?evidence={evidence.pk}").content.decode()
    assert f'<option value="{evidence.pk}" selected>' in form
    response = client.post(
        reverse("dossier:reflection-create"),
        {
            "title": "Wat ik leerde",
            "body": "Differentiëren werkt beter met een instructietafel.",
            "written_on": TODAY().isoformat(),
            "evidence": [evidence.pk],
            "competences": [competence.pk],
        },
    )
    reflection = Reflection.objects.get()
    assert response.status_code == 302
    assert list(reflection.evidence.all()) == [evidence]
    detail = client.get(reverse("dossier:reflection-detail", kwargs={"reflection_id": reflection.pk}))
    assert "instructietafel" in detail.content.decode()
    assert (
        "Wat ik leerde"
        in client.get(reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk})).content.decode()
    )


def test_it_refuses_a_reflection_about_someone_elses_evidence(world: Any, client_for: Any) -> None:
    evidence_of(world.teacher, world.board_a)  # the teacher has evidence: the field is there
    theirs = evidence_of(world.colleague, world.board_a, title="Van een collega")
    response = client_for(world.teacher).post(
        reverse("dossier:reflection-create"),
        {"title": "Wat ik leerde", "body": "Tekst", "written_on": TODAY().isoformat(), "evidence": [theirs.pk]},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Wat ik leerde" in response.content.decode()
    assert not Reflection.objects.exists()
    translation.activate("en")  # the requests before it left Dutch active in this thread
    with pytest.raises(ValidationError, match="your own portfolio"):
        reflection_create(
            actor=actor_of(world.teacher, world.board_a), title="x", body="y", written_on=TODAY(), evidence=[theirs]
        )


def test_it_refuses_a_reflection_dated_in_the_future(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).post(
        reverse("dossier:reflection-create"),
        {"title": "Wat ik leerde", "body": "Tekst", "written_on": (TODAY() + datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not Reflection.objects.exists()


def test_it_edits_and_deletes_a_reflection(world: Any, client_for: Any) -> None:
    reflection = Reflection.objects.create(
        board=world.board_a, person=world.teacher, title="Terugblik", body="Tekst", written_on=TODAY()
    )
    client = client_for(world.teacher)
    response = client.post(
        reverse("dossier:reflection-edit", kwargs={"reflection_id": reflection.pk}),
        {"title": "Terugblik blok 2", "body": "Nieuwe tekst", "written_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    reflection.refresh_from_db()
    assert (reflection.title, reflection.body) == ("Terugblik blok 2", "Nieuwe tekst")
    response = client.post(reverse("dossier:reflection-delete", kwargs={"reflection_id": reflection.pk}))
    assert response.status_code == 302
    assert not Reflection.objects.exists()


def test_a_shared_reflection_is_read_only_and_logged(world: Any, client_for: Any) -> None:
    reflection = Reflection.objects.create(
        board=world.board_a, person=world.teacher, title="Terugblik", body="Tekst", written_on=TODAY()
    )
    share_with_manager(world, reflection)
    response = client_for(world.manager).get(
        reverse("dossier:reflection-detail", kwargs={"reflection_id": reflection.pk})
    )
    assert response.status_code == 200
    assert reverse("dossier:reflection-edit", kwargs={"reflection_id": reflection.pk}) not in response.content.decode()
    assert AccessLog.objects.filter(actor=world.manager, object_id=str(reflection.pk)).count() == 1


# --- the list ---------------------------------------------------------------------------------------------


def test_it_lists_filters_and_searches_the_portfolio(world: Any, client_for: Any, competence: Competence) -> None:
    goal = goal_of(world.teacher, world.board_a)
    certificate = evidence_of(
        world.teacher, world.board_a, kind="certificate", title="BHV-certificaat", issuer="NIBHV", issued_on=TODAY()
    )
    certificate.competences.add(competence)
    link = evidence_of(world.teacher, world.board_a, title="Lesvideo rekenen")
    link.goals.add(goal)
    reflection = Reflection.objects.create(
        board=world.board_a, person=world.teacher, title="Terugblik rekenen", body="Tekst", written_on=TODAY()
    )
    evidence_of(world.colleague, world.board_a, title="Niet van mij")
    client = client_for(world.teacher)
    url = reverse("dossier:evidence-list")

    def titles(**query: Any) -> set[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {item.title for item in response.context["items"]}

    assert titles() == {"BHV-certificaat", "Lesvideo rekenen", "Terugblik rekenen"}
    assert titles(kind="certificate") == {"BHV-certificaat"}
    assert titles(kind="reflection") == {"Terugblik rekenen"}
    assert titles(competence=competence.pk) == {"BHV-certificaat"}
    assert titles(goal=goal.pk) == {"Lesvideo rekenen"}
    assert titles(q="rekenen") == {"Lesvideo rekenen", "Terugblik rekenen"}
    assert titles(q="rekenen", kind="link") == {"Lesvideo rekenen"}
    assert reflection.pk in {item.pk for item in client.get(url).context["items"]}


def test_it_answers_htmx_with_the_rows_only(world: Any, client_for: Any) -> None:
    evidence_of(world.teacher, world.board_a)
    response = client_for(world.teacher).get(reverse("dossier:evidence-list"), {"q": "Les"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert 'id="evidence-count" hx-swap-oob' in response.content.decode()


def many_items(world: Any, version: Any, count: int) -> None:
    """`count` evidence items and reflections, each tagged with a competence and a goal."""
    goal = goal_of(world.teacher, world.board_a)
    competences = list(Competence.objects.filter(version=version))
    evidence = Evidence.objects.bulk_create(
        Evidence(
            board=world.board_a,
            person=world.teacher,
            kind=EvidenceKind.CERTIFICATE if i % 2 else EvidenceKind.LINK,
            url="https://example.org/",
            title=f"Bewijs {i}",
            issuer="Instelling",
            issued_on=TODAY() - datetime.timedelta(days=i),
            expires_on=TODAY() + datetime.timedelta(days=i) if i % 2 else None,
        )
        for i in range(count)
    )
    reflections = Reflection.objects.bulk_create(
        Reflection(board=world.board_a, person=world.teacher, title=f"Reflectie {i}", body="Tekst", written_on=TODAY())
        for i in range(count // 5)
    )
    for model, items, key in ((Evidence, evidence, "evidence_id"), (Reflection, reflections, "reflection_id")):
        model.competences.through.objects.bulk_create(
            model.competences.through(**{key: item.pk}, competence_id=competences[i % len(competences)].pk)
            for i, item in enumerate(items)
        )
        model.goals.through.objects.bulk_create(
            model.goals.through(**{key: item.pk}, goal_id=goal.pk) for item in items
        )


def list_queries(client: Client, django_assert_max_num_queries: Any, **query: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dossier:evidence-list"), query)
    assert response.status_code == 200
    return len(captured)


def test_the_list_stays_at_a_constant_query_count_with_500_items(
    world: Any, client_for: Any, version: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.teacher)
    many_items(world, version, 5)
    few = list_queries(client, django_assert_max_num_queries)
    many_items(world, version, 500)
    assert Evidence.objects.count() == 505
    with django_assert_max_num_queries(few):
        response = client.get(reverse("dossier:evidence-list"))
    assert len(response.context["items"]) == 25
    assert response.context["page"].paginator.count == 505 + 101
    competence = Competence.objects.filter(version=version).first()
    assert competence is not None
    with django_assert_max_num_queries(few):
        client.get(reverse("dossier:evidence-list"), {"competence": competence.pk, "page": 3})


# --- expiry warnings on the dossier overview -----------------------------------------------------------------


def test_the_overview_warns_before_expiry_and_shows_expired_items(world: Any, client_for: Any, settings: Any) -> None:
    settings.EXPIRY_WARNING_DAYS = 60

    def credential(title: str, days: int | None, kind: str = "certificate") -> Evidence:
        expires = TODAY() + datetime.timedelta(days=days) if days is not None else None
        return evidence_of(
            world.teacher,
            world.board_a,
            kind=kind,
            title=title,
            issuer="X",
            issued_on=TODAY() - datetime.timedelta(days=400),
            expires_on=expires,
        )

    credential("Verloopt over 10 dagen", 10)
    credential("Verloopt over 60 dagen", 60, kind="diploma")
    credential("Verloopt over 61 dagen", 61)
    credential("Verlopen", -5)
    credential("Verloopt nooit", None)
    context = portfolio_overview_for(actor=actor_of(world.teacher, world.board_a))
    assert [item.title for item in context["portfolio_expiring"]] == [
        "Verloopt over 10 dagen",
        "Verloopt over 60 dagen",
    ]
    assert [item.title for item in context["portfolio_expired"]] == ["Verlopen"]
    assert context["portfolio_evidence_count"] == 5
    page = client_for(world.teacher).get(reverse("dossier:overview")).content.decode()
    assert "Verloopt over 10 dagen" in page and "(in 10 days)" in page
    assert "Verlopen" in page and "expired on" in page
    assert "Verloopt over 61 dagen" not in page.split("Latest")[0]


def test_the_overview_card_has_a_fixed_query_count(
    world: Any, version: Any, django_assert_max_num_queries: Any
) -> None:
    actor = actor_of(world.teacher, world.board_a)
    with django_assert_max_num_queries(6):
        portfolio_overview_for(actor=actor)
    many_items(world, version, 200)
    with django_assert_max_num_queries(6):
        context = portfolio_overview_for(actor=actor)
    assert len(context["portfolio_latest"]) == 5


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield
