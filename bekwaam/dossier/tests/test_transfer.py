"""Dossier export (ZIP with files, index.html and manifest.json; PDF) and the round trip through an import."""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.dossier.models import (
    Action,
    AssessmentKind,
    AssessmentStatus,
    DevelopmentPlan,
    Evidence,
    EvidenceKind,
    Goal,
    GoalComment,
    GoalPhaseChange,
    Phase,
    Rating,
    Reflection,
    Section,
    SelfAssessment,
    Share,
    ShareAudience,
)
from bekwaam.dossier.services.transfer import SCHEMA_VERSION, manifest_schema, schema_problems
from bekwaam.dossier.services.transfer_export import dossier_export_pdf, dossier_export_zip
from bekwaam.dossier.services.transfer_import import dossier_import
from bekwaam.dossier.tests.test_uploads import pdf_bytes, png_bytes
from bekwaam.dossier.uploads import PDF, PNG
from bekwaam.frameworks.models import Competence, Framework, FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db

SLUG = "bekwaamheidseisen-test"
TZ = timezone.get_current_timezone()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Files go to a temporary directory through the normal storage API."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def actor_of(person: Any, board: Any) -> Any:
    return actor_for(person, f"board:{board.pk}")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, 7, 123456, tzinfo=TZ)


def _evidence(
    board: Any, person: Any, *, created: datetime.datetime, data: bytes | None = None, **fields: Any
) -> Evidence:
    evidence = Evidence(board=board, person=person, **fields)
    if data is not None:
        evidence.file.save("upload", ContentFile(data), save=False)
        evidence.size = len(data)
    evidence.save()
    Evidence.objects.filter(pk=evidence.pk).update(created_at=created)
    evidence.created_at = created
    return evidence


def dossier_build(board: Any, person: Any, commenter: Any | None = None) -> dict[str, Any]:
    """A realistic dossier: a framework, two measurements, a POP with history, evidence of each kind with
    real files, reflections with tags, themes, and a share (which the export must leave out)."""
    version = framework_version_build(board=board, slug=SLUG, name="Bekwaamheidseisen (test)")
    version.label = "2017"
    version.notes = "Overgenomen van de wettelijke eisen."
    version.save()
    competences = list(Competence.objects.filter(version=version).order_by("code"))
    indicators = list(Indicator.objects.filter(competence__version=version).order_by("code"))
    levels = {level.value: level for level in ScaleLevel.objects.filter(version=version)}
    # The shipped themes come from a data migration, which a transactional (browser) test before this one
    # may have flushed: make sure two are there.
    for code, name in (
        ("leidinggeven-aan-leren", "Leidinggeven aan leren"),
        ("pedagogisch-leiderschap", "Pedagogisch leiderschap"),
    ):
        Theme.objects.get_or_create(code=code, defaults={"name": name, "first_year": 2020})
    themes = list(Theme.objects.order_by("code")[:2])

    document = _evidence(
        board,
        person,
        created=at(2023, 9, 1),
        data=pdf_bytes(),
        kind=EvidenceKind.DOCUMENT,
        title="Lesplan rekenen",
        description="Mijn lesplan met differentiatie.",
        original_name="lesplan rekenen.pdf",
        content_type=PDF,
    )
    diploma = _evidence(
        board,
        person,
        created=at(2023, 9, 2),
        data=pdf_bytes() + b"%diploma\n",
        kind=EvidenceKind.DIPLOMA,
        title="Diploma pabo",
        issuer="Hogeschool Utrecht",
        issued_on=datetime.date(2015, 7, 1),
        original_name="diploma-pabo.pdf",
        content_type=PDF,
    )
    certificate = _evidence(
        board,
        person,
        created=at(2024, 1, 10),
        data=png_bytes(),
        kind=EvidenceKind.CERTIFICATE,
        title="EHBO-certificaat",
        issuer="Het Oranje Kruis",
        issued_on=datetime.date(2024, 1, 5),
        expires_on=datetime.date(2026, 1, 5),
        original_name="ehbo.png",
        content_type=PNG,
    )
    link = _evidence(
        board,
        person,
        created=at(2024, 2, 1),
        kind=EvidenceKind.LINK,
        title="Blog over rekenonderwijs",
        url="https://example.nl/blog/rekenen",
    )
    document.competences.set(competences[:2])
    diploma.competences.set([competences[0]])
    certificate.themes.set(themes)
    link.competences.set([competences[3]])

    baseline = SelfAssessment.objects.create(
        board=board,
        person=person,
        framework_version=version,
        kind=AssessmentKind.BASELINE,
        status=AssessmentStatus.FINISHED,
        finished_at=at(2023, 10, 2),
    )
    SelfAssessment.objects.filter(pk=baseline.pk).update(started_at=at(2023, 10, 1))
    for number, indicator in enumerate(indicators):
        rating = Rating.objects.create(
            board=board,
            assessment=baseline,
            indicator=indicator,
            level=levels[1 + number % 4],
            explanation=f"Toelichting {indicator.code}" if number % 2 else "",
        )
        if number == 0:
            rating.evidence.set([document, diploma])
    follow_up = SelfAssessment.objects.create(
        board=board,
        person=person,
        framework_version=version,
        kind=AssessmentKind.FOLLOW_UP,
    )
    SelfAssessment.objects.filter(pk=follow_up.pk).update(started_at=at(2025, 3, 1))
    Rating.objects.create(
        board=board, assessment=follow_up, indicator=indicators[0], level=levels[3], explanation="Gegroeid"
    )
    Rating.objects.create(
        board=board, assessment=follow_up, indicator=indicators[1], level=None, explanation="Nog twijfel"
    )

    plan = DevelopmentPlan.objects.create(
        board=board,
        person=person,
        title="POP 2024-2025",
        starts_on=datetime.date(2024, 8, 1),
        ends_on=datetime.date(2025, 7, 31),
        source_assessment=baseline,
    )
    DevelopmentPlan.objects.filter(pk=plan.pk).update(created_at=at(2024, 8, 1))
    goal = Goal.objects.create(
        board=board,
        plan=plan,
        title="Beter differentiëren bij rekenen",
        why="Niveauverschillen groeien.",
        success_criteria="Drie niveaugroepen per les.",
        due_date=datetime.date(2025, 6, 1),
        phase=Phase.DO,
        phase_changed_at=at(2025, 1, 15),
        position=0,
    )
    goal.competences.set(competences[:2])
    done_goal = Goal.objects.create(
        board=board,
        plan=plan,
        title="Ouders vaker betrekken",
        phase=Phase.DONE,
        phase_changed_at=at(2025, 5, 1),
        position=1,
    )
    done_goal.competences.set([competences[2]])
    Goal.objects.filter(pk=goal.pk).update(created_at=at(2024, 8, 2))
    Goal.objects.filter(pk=done_goal.pk).update(created_at=at(2024, 8, 3))
    steps = [
        (Phase.PLAN, Phase.DO),
        (Phase.DO, Phase.CHECK),
        (Phase.CHECK, Phase.ACT),
        (Phase.ACT, Phase.PLAN),
        (Phase.PLAN, Phase.DO),
    ]
    for day, (from_phase, to_phase) in enumerate(steps, start=1):
        GoalPhaseChange.objects.create(
            board=board,
            goal=goal,
            from_phase=from_phase,
            to_phase=to_phase,
            reflection=f"Stap {day}: {to_phase}",
            changed_at=at(2024, 9, day),
            changed_by=person,
        )
    first = Action.objects.create(
        board=board,
        goal=goal,
        description="Cursus volgen",
        due_date=datetime.date(2024, 11, 1),
        done_at=at(2024, 10, 30),
    )
    second = Action.objects.create(
        board=board, goal=goal, description="Collega observeren", due_date=datetime.date(2025, 2, 1)
    )
    Action.objects.filter(pk=first.pk).update(created_at=at(2024, 8, 5))
    Action.objects.filter(pk=second.pk).update(created_at=at(2024, 8, 6))
    comment = GoalComment.objects.create(board=board, goal=goal, author=commenter, body="Mooi doel, ik denk mee.")
    GoalComment.objects.filter(pk=comment.pk).update(created_at=at(2024, 9, 20))
    document.goals.set([goal])

    reflection = Reflection.objects.create(
        board=board,
        person=person,
        title="Terugblik eerste periode",
        body="Ik merk dat…\nTweede regel.",
        written_on=datetime.date(2024, 12, 20),
    )
    reflection.competences.set(competences[:1])
    reflection.goals.set([goal])
    reflection.themes.set(themes[:1])
    reflection.evidence.set([document, certificate])
    short = Reflection.objects.create(
        board=board, person=person, title="Korte notitie", body="Kort.", written_on=datetime.date(2025, 1, 3)
    )
    Reflection.objects.filter(pk=reflection.pk).update(created_at=at(2024, 12, 20))
    Reflection.objects.filter(pk=short.pk).update(created_at=at(2025, 1, 3))
    Share.objects.create(board=board, owner=person, audience=ShareAudience.MANAGER, section=Section.PORTFOLIO)
    return {"version": version, "evidence": [document, diploma, certificate, link], "goal": goal}


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def export_bytes(person: Any, board: Any) -> bytes:
    exported = dossier_export_zip(actor=actor_of(person, board))
    with exported.file:
        return exported.file.read()


def upload_of(data: bytes, name: str = "dossier.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/zip")


def normalised(manifest: dict[str, Any]) -> dict[str, Any]:
    """A manifest with ids replaced by their position, the export moment and the person taken out:
    what must survive an export → import → export unchanged."""
    manifest = copy.deepcopy(manifest)
    names: dict[str, str] = {}

    def name(entry: dict[str, Any], kind: str) -> None:
        names[entry["id"]] = f"{kind}-{len(names)}"

    for measurement in manifest["measurements"]:
        name(measurement, "measurement")
    for plan in manifest["plans"]:
        name(plan, "plan")
        for goal in plan["goals"]:
            name(goal, "goal")
            for action in goal["actions"]:
                name(action, "action")
            for comment in goal["comments"]:
                name(comment, "comment")
    for item in manifest["evidence"]:
        name(item, "evidence")
    for reflection in manifest["reflections"]:
        name(reflection, "reflection")
    owner = " ".join(
        p
        for p in (
            manifest["person"]["given_name"],
            manifest["person"]["name_prefix"],
            manifest["person"]["family_name"],
        )
        if p
    )
    text = json.dumps(manifest, sort_keys=True, ensure_ascii=False)
    for old, new in names.items():
        text = text.replace(old, new)
    result = json.loads(text)
    del result["exported_at"], result["person"]
    for measurement in result["measurements"]:
        for rating in measurement["ratings"]:
            rating["evidence"].sort()
    for plan in result["plans"]:
        for goal in plan["goals"]:
            for change in goal["phase_changes"]:
                change["changed_by"] = "<owner>" if change["changed_by"] == owner else change["changed_by"]
    for item in (*result["evidence"], *result["reflections"]):
        item["goals"].sort()
    for reflection in result["reflections"]:
        reflection["evidence"].sort()
    return result


# --- the export --------------------------------------------------------------------------------


def test_it_exports_every_file_an_index_and_a_manifest_that_fits_its_schema(world: Any, client_for: Any) -> None:
    built = dossier_build(world.board_a, world.teacher, commenter=world.manager)
    response = client_for(world.teacher).get(reverse("dossier:export-zip"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="bekwaamheidsdossier-tom-leraar-')
    assert "no-store" in response["Cache-Control"]
    entries = zip_entries(b"".join(response.streaming_content) if response.streaming else response.content)

    manifest = json.loads(entries["manifest.json"])
    assert schema_problems(manifest) == []
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["person"] == {
        "given_name": "Tom",
        "name_prefix": "",
        "family_name": "Leraar",
        "email": "leerkracht@alfa.nl",
    }
    assert "shares" not in json.dumps(manifest)
    assert [f["slug"] for f in manifest["frameworks"]] == [SLUG]
    framework = manifest["frameworks"][0]
    assert (framework["version"], framework["label"], len(framework["scale"]), len(framework["domains"])) == (
        1,
        "2017",
        4,
        2,
    )
    assert [m["kind"] for m in manifest["measurements"]] == ["baseline", "follow_up"]
    assert len(manifest["measurements"][0]["ratings"]) == 8
    assert manifest["measurements"][1]["ratings"][1]["level"] is None
    goal = manifest["plans"][0]["goals"][0]
    assert [c["code"] for c in goal["competences"]] == ["D1.C1", "D1.C2"]
    assert [(c["from_phase"], c["to_phase"]) for c in goal["phase_changes"]][:2] == [("plan", "do"), ("do", "check")]
    assert goal["comments"][0]["author"] == "Mira Leider"

    files = [item["file"] for item in manifest["evidence"] if item["file"]]
    assert len(files) == 3
    for item, evidence in zip(manifest["evidence"], built["evidence"], strict=True):
        assert item["id"] == str(evidence.pk)
        if item["file"] is None:
            continue
        data = entries[item["file"]["path"]]
        assert item["file"]["path"].startswith(f"files/{evidence.pk}/")
        assert hashlib.sha256(data).hexdigest() == item["file"]["sha256"]
        assert len(data) == item["file"]["size"]
        with evidence.file.open("rb") as stored:
            assert stored.read() == data
    assert manifest["evidence"][0]["file"]["path"].endswith("/lesplan rekenen.pdf")

    index = entries["index.html"].decode()
    assert "<script" not in index
    assert 'rel="stylesheet"' not in index
    for text in (
        "Lesplan rekenen",
        "Diploma pabo",
        "Beter differentiëren bij rekenen",
        "Terugblik eerste periode",
        "Toelichting D1.C1.I2",
    ):
        assert text in index
    assert f'href="files/{built["evidence"][0].pk}/lesplan%20rekenen.pdf"' in index


def test_it_validates_against_the_shipped_json_schema() -> None:
    schema = manifest_schema()
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    wrong = {"format": "bekwaam-dossier", "schema_version": 1, "exported_at": "yesterday", "generator": 3}
    problems = {(p.path, p.problem) for p in schema_problems(wrong)}
    assert ("exported_at", "format") in problems
    assert ("generator", "type") in problems
    assert ("person", "required") in problems


def test_it_exports_an_empty_dossier(world: Any) -> None:
    entries = zip_entries(export_bytes(world.teacher, world.board_a))
    manifest = json.loads(entries["manifest.json"])
    assert schema_problems(manifest) == []
    assert manifest["evidence"] == [] and manifest["frameworks"] == []
    assert set(entries) == {"manifest.json", "index.html"}


def test_it_leaves_out_what_belongs_to_someone_else_or_another_board(world: Any) -> None:
    dossier_build(world.board_a, world.colleague)
    Reflection.objects.create(
        board=world.board_a, person=world.teacher, title="Van mij", body="x", written_on=datetime.date(2025, 1, 1)
    )
    manifest = json.loads(zip_entries(export_bytes(world.teacher, world.board_a))["manifest.json"])
    assert [r["title"] for r in manifest["reflections"]] == ["Van mij"]
    assert manifest["evidence"] == [] and manifest["measurements"] == []


def test_it_exports_in_a_fixed_number_of_queries(world: Any, django_assert_max_num_queries: Any) -> None:
    dossier_build(world.board_a, world.teacher, commenter=world.manager)
    actor = actor_of(world.teacher, world.board_a)
    with django_assert_max_num_queries(40) as few:
        dossier_export_zip(actor=actor).file.close()
    for number in range(30):
        Reflection.objects.create(
            board=world.board_a,
            person=world.teacher,
            title=f"R{number}",
            body="x",
            written_on=datetime.date(2025, 1, 1),
        )
        _evidence(
            world.board_a, world.teacher, created=at(2025, 1, 1), data=pdf_bytes(), title=f"E{number}", content_type=PDF
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        dossier_export_zip(actor=actor).file.close()


def test_it_sends_a_pdf_summary(world: Any, client_for: Any) -> None:
    dossier_build(world.board_a, world.teacher)
    response = client_for(world.teacher).get(reverse("dossier:export-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="bekwaamheidsdossier-tom-leraar-')
    assert response.content.startswith(b"%PDF")


def test_it_fetches_nothing_while_making_the_pdf(world: Any, monkeypatch: Any) -> None:
    """A title with an image and a stylesheet from outside: the PDF is made without fetching them."""
    import urllib.request

    opened: list[Any] = []

    def no_network(self: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(url)  # WeasyPrint swallows a fetcher's errors: record, so the test can fail
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    Reflection.objects.create(
        board=world.board_a,
        person=world.teacher,
        written_on=datetime.date(2025, 1, 1),
        body="x",
        title='<img src="http://example.com/x.png"><link rel="stylesheet" href="file:///etc/passwd">',
    )
    from bekwaam.dossier.services import transfer_export

    html_seen: list[str] = []
    render = transfer_export._pdf_render

    def spy(html: str) -> bytes:
        html_seen.append(html)
        return render(html + '<img src="http://example.com/y.png"><img src="file:///etc/hostname">')

    monkeypatch.setattr(transfer_export, "_pdf_render", spy)
    pdf, _name = dossier_export_pdf(actor=actor_of(world.teacher, world.board_a))
    assert pdf.startswith(b"%PDF")
    assert opened == []
    assert "&lt;img" in html_seen[0]  # the title is text, not markup


def test_it_shows_the_export_page_with_what_it_holds(world: Any, client_for: Any) -> None:
    dossier_build(world.board_a, world.teacher)
    response = client_for(world.teacher).get(reverse("dossier:export"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("dossier:export-zip") in page and reverse("dossier:export-pdf") in page
    assert "4 evidence items, 3 with a file" in page or "4 bewijsstukken" in page


# --- the round trip ------------------------------------------------------------------------------


def test_it_round_trips_a_dossier_to_another_board_without_losing_anything(world: Any, media: Path) -> None:
    dossier_build(world.board_a, world.teacher, commenter=world.manager)
    first = export_bytes(world.teacher, world.board_a)

    result = dossier_import(actor=actor_of(world.outsider, world.board_b), upload=upload_of(first))
    assert (result.measurements, result.plans, result.goals, result.evidence, result.files, result.reflections) == (
        2,
        1,
        2,
        4,
        3,
        2,
    )
    assert result.frameworks_created and not result.frameworks_reused
    assert result.warnings == []

    second = export_bytes(world.outsider, world.board_b)
    first_entries, second_entries = zip_entries(first), zip_entries(second)
    before, after = json.loads(first_entries["manifest.json"]), json.loads(second_entries["manifest.json"])
    assert schema_problems(after) == []
    assert after["person"]["email"] == "leerkracht@beta.nl"
    assert normalised(after) == normalised(before)
    # Every file byte for byte, under the new ids.
    files_before = {i["file"]["sha256"]: first_entries[i["file"]["path"]] for i in before["evidence"] if i["file"]}
    files_after = {i["file"]["sha256"]: second_entries[i["file"]["path"]] for i in after["evidence"] if i["file"]}
    assert files_before == files_after and len(files_after) == 3
    # New rows at board B with new ids; board A's dossier untouched.
    assert {e["id"] for e in after["evidence"]}.isdisjoint({e["id"] for e in before["evidence"]})
    assert Evidence.objects.filter(board=world.board_b, person=world.outsider).count() == 4
    assert Evidence.objects.filter(board=world.board_a, person=world.teacher).count() == 4
    assert len(stored_files(media)) == 6


def test_it_keeps_the_name_of_a_comments_author_from_another_board(world: Any) -> None:
    dossier_build(world.board_a, world.teacher, commenter=world.manager)
    dossier_import(
        actor=actor_of(world.outsider, world.board_b), upload=upload_of(export_bytes(world.teacher, world.board_a))
    )
    after = json.loads(zip_entries(export_bytes(world.outsider, world.board_b))["manifest.json"])
    assert after["plans"][0]["goals"][0]["comments"][0]["author"] == "Mira Leider"


def test_it_reuses_the_boards_framework_version_with_the_same_content(world: Any) -> None:
    dossier_build(world.board_a, world.teacher)
    existing = framework_version_build(board=world.board_b, slug=SLUG, name="Eigen naam van bestuur B")
    result = dossier_import(
        actor=actor_of(world.outsider, world.board_b), upload=upload_of(export_bytes(world.teacher, world.board_a))
    )
    assert result.frameworks_reused == [str(existing)] and result.frameworks_created == []
    assert FrameworkVersion.objects.filter(board=world.board_b).count() == 1
    assert set(SelfAssessment.objects.filter(person=world.outsider).values_list("framework_version", flat=True)) == {
        existing.pk
    }
    goal = Goal.objects.get(plan__person=world.outsider, title="Beter differentiëren bij rekenen")
    assert {c.version_id for c in goal.competences.all()} == {existing.pk}
    assert Rating.objects.filter(assessment__person=world.outsider, level__version=existing).count() == 9


def test_it_adds_a_new_published_version_when_the_slug_exists_with_other_content(world: Any) -> None:
    dossier_build(world.board_a, world.teacher)
    other = framework_version_build(board=world.board_b, slug=SLUG, scale=("Laag", "Hoog"))
    result = dossier_import(
        actor=actor_of(world.outsider, world.board_b), upload=upload_of(export_bytes(world.teacher, world.board_a))
    )
    assert result.frameworks_reused == []
    added = FrameworkVersion.objects.get(board=world.board_b, framework=other.framework, number=2)
    assert added.is_published and added.label == "2017"
    assert added.notes.startswith("Imported with the dossier of Olga Buiten")
    assert "Overgenomen van de wettelijke eisen." in added.notes
    assert Framework.objects.filter(board=world.board_b).count() == 1
    assert set(SelfAssessment.objects.filter(person=world.outsider).values_list("framework_version", flat=True)) == {
        added.pk
    }


def test_it_creates_the_framework_when_the_board_does_not_have_it(world: Any) -> None:
    built = dossier_build(world.board_a, world.teacher)
    result = dossier_import(
        actor=actor_of(world.outsider, world.board_b), upload=upload_of(export_bytes(world.teacher, world.board_a))
    )
    created = FrameworkVersion.objects.select_related("framework").get(board=world.board_b)
    assert result.frameworks_created == [str(created)]
    assert (created.framework.slug, created.framework.name, created.number, created.notes) == (
        SLUG,
        "Bekwaamheidseisen (test)",
        1,
        built["version"].notes,
    )
    assert Indicator.objects.filter(board=world.board_b).count() == 8


def test_it_imports_into_the_same_board_reusing_its_framework(world: Any) -> None:
    """Another person of the same board (a colleague bringing a copy) or the owner after a move."""
    built = dossier_build(world.board_a, world.teacher)
    data = export_bytes(world.teacher, world.board_a)
    result = dossier_import(actor=actor_of(world.colleague, world.board_a), upload=upload_of(data))
    assert result.frameworks_reused == [str(built["version"])]
    assert Evidence.objects.filter(person=world.colleague).count() == 4


def test_it_imports_in_a_bounded_number_of_queries(world: Any, django_assert_max_num_queries: Any) -> None:
    dossier_build(world.board_a, world.teacher, commenter=world.manager)
    small = export_bytes(world.teacher, world.board_a)
    for number in range(40):
        reflection = Reflection.objects.create(
            board=world.board_a,
            person=world.teacher,
            title=f"R{number}",
            body="x",
            written_on=datetime.date(2025, 1, 1),
        )
        evidence = _evidence(
            world.board_a,
            world.teacher,
            created=at(2025, 1, 1),
            data=pdf_bytes() + bytes([number]),
            title=f"E{number}",
            content_type=PDF,
            original_name=f"e{number}.pdf",
        )
        reflection.evidence.set([evidence])
    large = export_bytes(world.teacher, world.board_a)
    with django_assert_max_num_queries(80) as counted:
        dossier_import(actor=actor_of(world.colleague, world.board_a), upload=upload_of(small))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        dossier_import(actor=actor_of(world.manager, world.board_a), upload=upload_of(large))


def test_it_brings_two_versions_of_one_framework_as_one_framework(world: Any) -> None:
    first = framework_version_build(board=world.board_a, slug="eigen-kader", name="Eigen kader")
    second = framework_version_build(board=world.board_a, slug="eigen-kader", scale=("Laag", "Midden", "Hoog"))
    for version in (first, second):
        SelfAssessment.objects.create(board=world.board_a, person=world.teacher, framework_version=version)
    result = dossier_import(
        actor=actor_of(world.outsider, world.board_b), upload=upload_of(export_bytes(world.teacher, world.board_a))
    )
    assert len(result.frameworks_created) == 2
    framework = Framework.objects.get(board=world.board_b)
    versions = list(framework.versions.order_by("number"))
    assert [(v.number, v.notes) for v in versions] == [(1, ""), (2, "")]
    assert ScaleLevel.objects.filter(version=versions[1]).count() == 3
    assert SelfAssessment.objects.filter(person=world.outsider).count() == 2


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield
