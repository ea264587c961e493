"""Adopting, importing, exporting and versioning frameworks; a published version never changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bekwaam.frameworks import defaults, schema, selectors, services
from bekwaam.frameworks.models import (
    Competence,
    Domain,
    Framework,
    FrameworkVersion,
    Indicator,
    ScaleLevel,
    VersionStatus,
)
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import Actor, actor_for

pytestmark = pytest.mark.django_db

SAMPLE_MATRIX = Path(__file__).parent / "sample.matrix"


def snapshot() -> list[tuple[Any, ...]]:
    """Everything of every framework row, to prove a refused write changed nothing."""
    rows: list[tuple[Any, ...]] = []
    for model in (Framework, FrameworkVersion, ScaleLevel, Domain, Competence, Indicator):
        model_rows: Any = model.objects.order_by("pk").values_list()
        rows.extend(tuple(row) for row in model_rows)
    return rows


def content(version: FrameworkVersion) -> dict[str, Any]:
    """A version's content as in an export, without its number."""
    data = selectors.version_export_for(actor=_owner(version), version=version)["versions"][0]
    data.pop("number")
    return data


def _owner(version: FrameworkVersion) -> Actor:
    from bekwaam.tenancy.models import RoleGrant

    grant = RoleGrant.objects.filter(board_id=version.board_id, role="administrator").first()
    assert grant is not None
    return actor_for(grant.person, f"board:{version.board_id}")


# --- adopting the shipped frameworks ----------------------------------------------------------------


def test_it_adopts_a_shipped_framework_with_all_its_versions_published(admin_a: Actor) -> None:
    framework = services.framework_adopt(actor=admin_a, slug="teacher-competences")
    versions = list(framework.versions.order_by("number"))
    assert [(v.number, v.label, v.status) for v in versions] == [(1, "2005", "published"), (2, "2017", "published")]
    assert all(v.published_at for v in versions)
    assert framework.shipped_as == "teacher-competences"
    assert framework.source.startswith("Besluit bekwaamheidseisen onderwijspersoneel")
    tree = selectors.version_tree(version=versions[1])
    assert [d.code for d in tree.domains] == ["2.1", "2.2", "2.3", "2.4"]
    assert [s.label for s in tree.scale_levels] == ["Beginnend", "In ontwikkeling", "Bekwaam", "Excellent"]
    assert all(c.indicators.all() for c in tree.competences)
    assert [c.code for c in selectors.version_tree(version=versions[0]).competences] == [str(n) for n in range(1, 8)]


def test_it_marks_the_working_paraphrases_of_the_teacher_competences(admin_a: Actor) -> None:
    framework = services.framework_adopt(actor=admin_a, slug="teacher-competences")
    tree = selectors.version_tree(version=framework.versions.get(label="2017"))
    for indicator in tree.indicators:
        if indicator.code.startswith(("2.3", "2.4", "2.2.5")):
            assert "werkversie Bekwaam" in indicator.text, indicator.code


def test_it_ships_the_school_leader_standard_for_school_leaders(admin_a: Actor) -> None:
    framework = services.framework_adopt(actor=admin_a, slug="school-leader-standard")
    assert framework.audience == "school_leaders"
    tree = selectors.version_tree(version=framework.versions.get())
    assert [c.name for c in tree.competences] == [
        "Visiegericht werken",
        "Ontwikkelen van mensen",
        "Ontwikkelen van de organisatie",
        "Leidinggeven aan de kwaliteit van het onderwijs",
        "Investeren in goede relaties met de omgeving",
        "Persoonlijk leiderschap",
    ]
    personal = tree.competences[-1].indicators.all()
    assert [i.text.split("?")[0] for i in personal] == ["Wie ben ik", "Wat wil ik", "Wat kan ik en wat doe ik"]


def test_it_refuses_to_adopt_twice_and_changes_nothing(admin_a: Actor) -> None:
    services.framework_adopt(actor=admin_a, slug="teacher-competences")
    before = snapshot()
    with pytest.raises(ValidationError, match="already adopted Bekwaamheidseisen"):
        services.framework_adopt(actor=admin_a, slug="teacher-competences")
    assert snapshot() == before


def test_it_refuses_a_shipped_code_the_board_uses_for_its_own(admin_a: Actor) -> None:
    services.framework_create(actor=admin_a, name="Eigen", slug="teacher-competences", audience="teachers")
    with pytest.raises(ValidationError, match="its own framework with the code"):
        services.framework_adopt(actor=admin_a, slug="teacher-competences")
    with pytest.raises(ValidationError, match="ships no framework"):
        services.framework_adopt(actor=admin_a, slug="no-such-framework")


def test_it_adopts_per_board_idempotently(world: Any) -> None:
    first = services.framework_adopt_for_board(board=world.board_a, slug="school-leader-standard")
    again = services.framework_adopt_for_board(board=world.board_a, slug="school-leader-standard")
    other = services.framework_adopt_for_board(board=world.board_b, slug="school-leader-standard")
    assert first.pk == again.pk != other.pk
    assert FrameworkVersion.objects.filter(board=world.board_a).count() == 1


def test_it_lets_only_administrators_adopt(world: Any) -> None:
    for persona in ("teacher", "manager", "board_member", "quality_officer"):
        with pytest.raises(PermissionDenied):
            services.framework_adopt(actor=actor_for(world.persona(persona), None), slug="teacher-competences")
    assert not Framework.objects.exists()


# --- import and export -----------------------------------------------------------------------------


def test_it_round_trips_a_framework_through_export_and_import(admin_a: Actor, admin_b: Actor) -> None:
    services.framework_adopt(actor=admin_a, slug="teacher-competences")
    original = Framework.objects.get(board_id=admin_a.board_id)
    exported = selectors.framework_export_for(actor=admin_a, framework=original)
    result = services.framework_import(actor=admin_b, content=schema.dumps(exported))
    assert result.created and result.kind == "bekwaam"
    assert result.framework.board_id == admin_b.board_id
    assert selectors.framework_export_for(actor=admin_b, framework=result.framework) == exported
    # The file Bekwaam ships is what comes out again.
    assert exported == defaults.shipped_data("teacher-competences")


def test_it_exports_one_version_in_the_same_schema(admin_a: Actor) -> None:
    framework = services.framework_adopt(actor=admin_a, slug="teacher-competences")
    version = framework.versions.get(label="2005")
    data = selectors.version_export_for(actor=admin_a, version=version)
    assert data["schema"] == "bekwaam.framework" and data["schema_version"] == 1
    assert [v["label"] for v in data["versions"]] == ["2005"]
    assert schema.parse(data).versions[0].number == 1


def test_it_imports_a_file_as_new_versions_of_the_framework_with_its_code(admin_a: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    data = selectors.version_export_for(actor=admin_a, version=version)
    data["versions"][0]["label"] = "2025"
    with pytest.raises(ValidationError, match="already has a framework with the code “eigen”"):
        services.framework_import(actor=admin_a, content=schema.dumps(data))
    result = services.framework_import(actor=admin_a, content=schema.dumps(data), target=version.framework)
    assert not result.created
    assert [(v.number, v.label, v.status) for v in result.versions] == [(2, "2025", "published")]
    assert content(result.versions[0]) == {**content(version), "label": "2025"}


def test_it_refuses_a_new_version_from_a_file_of_another_framework(admin_a: Actor, world: Any) -> None:
    mine = framework_version_build(board=world.board_a, slug="eigen")
    other = framework_version_build(board=world.board_a, slug="ander")
    data = selectors.version_export_for(actor=admin_a, version=other)
    before = snapshot()
    with pytest.raises(ValidationError, match="holds the framework “ander”, not “eigen”"):
        services.framework_import(actor=admin_a, content=schema.dumps(data), target=mine.framework)
    assert snapshot() == before


def test_it_refuses_a_version_label_the_framework_has_and_while_a_draft_is_open(admin_a: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    FrameworkVersion.objects.filter(pk=version.pk).update(label="2024")
    data = selectors.version_export_for(actor=admin_a, version=FrameworkVersion.objects.get(pk=version.pk))
    with pytest.raises(ValidationError, match="already has a version “2024”"):
        services.framework_import(actor=admin_a, content=schema.dumps(data), target=version.framework)
    data["versions"][0]["label"] = "2025"
    services.version_create_draft(actor=admin_a, framework=version.framework)
    before = snapshot()
    with pytest.raises(ValidationError, match="has a draft \\(version 2\\)"):
        services.framework_import(actor=admin_a, content=schema.dumps(data), target=version.framework)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not valid JSON"),
        (b"\x00\xff\xfe", "UTF-8"),
        (b"[1, 2, 3]", "neither a Bekwaam framework file"),
        (b'{"schema": "bekwaam.framework", "schema_version": 7}', "newer version of Bekwaam"),
        (b'{"framework": {"name": "Leeg"}}', "no standards"),
        (b'{"framework": {"standards": []}}', "no name"),
    ],
)
def test_it_refuses_bad_files_with_a_clear_message(admin_a: Actor, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.framework_import(actor=admin_a, content=content)
    assert not Framework.objects.exists()


def test_it_refuses_imports_by_people_who_are_not_administrators(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.framework_import(actor=actor_for(world.teacher, None), content=SAMPLE_MATRIX.read_bytes())


def test_it_refuses_a_target_framework_of_another_board(admin_b: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    with pytest.raises(PermissionDenied):
        services.framework_import(actor=admin_b, content=SAMPLE_MATRIX.read_bytes(), target=version.framework)


# --- Mahara SmartEvidence --------------------------------------------------------------------------


def test_it_imports_a_mahara_matrix_as_a_draft(admin_a: Actor) -> None:
    result = services.framework_import(actor=admin_a, content=SAMPLE_MATRIX.read_bytes())
    assert result.kind == "mahara" and result.created
    framework = result.framework
    assert framework.name == "Competentieprofiel startende leraar"
    assert framework.slug == "competentieprofiel-startende-leraar"
    assert framework.source.startswith(
        "Imported from a Mahara SmartEvidence matrix (pabo-voorbeeld). Het competentieprofiel"
    )
    (draft,) = result.versions
    assert draft.status == VersionStatus.DRAFT and draft.number == 1
    tree = selectors.version_tree(version=draft)
    # Evidence statuses → the scale, "ready for assessment" left out.
    assert [(s.value, s.label) for s in tree.scale_levels] == [
        (1, "Voldoet (nog) niet"),
        (2, "Voldoet gedeeltelijk"),
        (3, "Voldoet aan de standaard"),
    ]
    # Standards → domains (a shortname too long for a code gets a generated one).
    assert [(d.code, d.name) for d in tree.domains] == [
        ("Pedagogisch", "Pedagogisch handelen"),
        ("Didactisch", "Didactisch handelen"),
        ("S3", "Professionele ontwikkeling"),
        ("Later", "Wordt later ingevuld"),
    ]
    assert tree.domains[0].description == "De leraar zorgt voor een veilige leeromgeving."
    assert tree.domains[2].description == "Reflectie & samenwerking"
    # Top-level elements → competences; every element below (at any depth) → an indicator.
    competences = {c.code: c for c in tree.competences}
    assert list(competences) == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    assert [(i.code, i.text) for i in competences["1.1"].indicators.all()] == [
        ("1.1.1", "Regels en routines: Hanteert heldere regels en routines."),
        ("1.1.2", "Relatie: Bouwt een positieve relatie op met elke leerling."),
        ("1.1.2.1", "Gesprekjes: Voert korte gesprekjes met leerlingen."),
    ]
    # A sub-element without a name is named by its short name.
    assert [(i.code, i.text) for i in competences["2.2"].indicators.all()] == [
        ("2.2.1", "D2a: Werkt met niveaugroepen.")
    ]
    # A competence without sub-elements: one indicator with its own text (HTML made plain).
    assert [(i.code, i.text) for i in competences["1.2"].indicators.all()] == [
        ("1.2", "Signaleert problemen; Stemt af met de IB'er")
    ]
    # The empty standard stays (as an empty domain): publishing asks to fill or delete it.
    assert services.version_problems(draft) == ["Domain Later “Wordt later ingevuld” has no competences."]


def test_it_reads_the_old_nested_mahara_layout_and_uses_the_default_scale(admin_a: Actor) -> None:
    matrix = {
        "framework": {
            "institution": "all",
            "name": "SmartEvidence",
            "selfassess": True,
            "standards": [
                {
                    "shortname": "Kennis 1.",
                    "name": "Kent de leerlingen",
                    "standardelement": [
                        {"shortname": "1.1", "name": "een", "description": "Eerste", "parent": False},
                        {"shortname": "1.2", "name": "twee", "description": "Tweede", "parent": False},
                        {"shortname": "1.2.1", "name": "twee-een", "description": "Onder twee", "parent": True},
                    ],
                }
            ],
        }
    }
    result = services.framework_import(actor=admin_a, content=json.dumps(matrix).encode())
    tree = selectors.version_tree(version=result.versions[0])
    assert [s.label for s in tree.scale_levels] == ["Beginnend", "In ontwikkeling", "Bekwaam", "Excellent"]
    assert [(c.code, [i.code for i in c.indicators.all()]) for c in tree.competences] == [
        ("1.1", ["1.1"]),
        ("1.2", ["1.2.1"]),
    ]
    assert result.framework.source == "Imported from a Mahara SmartEvidence matrix."


def test_it_survives_a_loop_of_parents_in_a_matrix(admin_a: Actor) -> None:
    matrix = {
        "framework": {
            "name": "Lus",
            "standards": [{"shortname": "S", "name": "S", "standardid": 1}],
            "standardelements": [
                {"name": "A", "standardid": 1, "elementid": "a", "parentelementid": "b"},
                {"name": "B", "standardid": 1, "elementid": "b", "parentelementid": "a"},
            ],
        }
    }
    result = services.framework_import(actor=admin_a, content=json.dumps(matrix).encode())
    assert [c.code for c in selectors.version_tree(version=result.versions[0]).competences] == ["a", "b"]


def test_it_gives_a_second_import_of_the_same_matrix_a_free_code(admin_a: Actor) -> None:
    first = services.framework_import(actor=admin_a, content=SAMPLE_MATRIX.read_bytes()).framework
    second = services.framework_import(actor=admin_a, content=SAMPLE_MATRIX.read_bytes()).framework
    assert (first.slug, second.slug) == ("competentieprofiel-startende-leraar", "competentieprofiel-startende-leraar-2")


def test_it_imports_a_matrix_as_the_next_draft_of_a_framework(admin_a: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    result = services.framework_import(actor=admin_a, content=SAMPLE_MATRIX.read_bytes(), target=version.framework)
    assert [(v.number, v.status) for v in result.versions] == [(2, "draft")]
    assert result.framework.name == "Testkader"  # the framework keeps its own name


# --- the board's own frameworks: drafts, publishing, new versions -----------------------------------


def build_draft(actor: Actor) -> FrameworkVersion:
    framework = services.framework_create(actor=actor, name="Eigen kader", slug="", audience="teachers")
    assert framework.slug == "eigen-kader"
    draft = framework.versions.get()
    services.scale_level_create(actor=actor, version=draft, value=1, label="Laag")
    services.scale_level_create(actor=actor, version=draft, value=2, label="Hoog")
    domain = services.domain_create(actor=actor, version=draft, code="", name="Lesgeven")
    competence = services.competence_create(actor=actor, domain=domain, code="", name="Instructie")
    services.indicator_create(actor=actor, competence=competence, code="", text="Legt helder uit.")
    return draft


def test_it_creates_a_framework_with_an_empty_draft_and_numbers_new_parts(admin_a: Actor) -> None:
    draft = build_draft(admin_a)
    assert (draft.number, draft.status) == (1, "draft")
    tree = selectors.version_tree(version=draft)
    assert [d.code for d in tree.domains] == ["1"]
    assert [c.code for c in tree.competences] == ["1.1"]
    assert [i.code for i in tree.indicators] == ["1.1.1"]


def test_it_refuses_a_code_that_is_taken(admin_a: Actor) -> None:
    draft = build_draft(admin_a)
    domain = Domain.objects.get(version=draft)
    with pytest.raises(ValidationError) as caught:
        services.domain_create(actor=admin_a, version=draft, code="1", name="Nog een")
    assert caught.value.message_dict == {"code": ["Another domain of this version has this code."]}
    other = services.domain_create(actor=admin_a, version=draft, code="2", name="Omgeving")
    with pytest.raises(ValidationError, match="Another competence of this version"):
        services.competence_create(actor=admin_a, domain=other, code="1.1", name="Dubbel")
    with pytest.raises(ValidationError, match="already has a level with this value"):
        services.scale_level_create(actor=admin_a, version=draft, value=2, label="Dubbel")
    with pytest.raises(ValidationError, match="Your board already has a framework with this code"):
        services.framework_create(actor=admin_a, name="Eigen kader", slug="eigen-kader", audience="teachers")
    assert Domain.objects.filter(version=draft).count() == 2 and domain.code == "1"


def test_it_edits_reorders_and_deletes_parts_of_a_draft(admin_a: Actor) -> None:
    draft = build_draft(admin_a)
    first = Domain.objects.get(version=draft)
    second = services.domain_create(actor=admin_a, version=draft, code="B", name="Omgeving")
    services.domain_move(actor=admin_a, domain=second, direction="up")
    assert [d.code for d in selectors.version_tree(version=draft).domains] == ["B", "1"]
    services.domain_update(actor=admin_a, domain=first, code="A", name="Lesgeven in de klas", description="Kern")
    competence = Competence.objects.get(version=draft)
    services.competence_update(actor=admin_a, competence=competence, code="A.1", name="Uitleg", domain=second)
    extra = services.indicator_create(actor=admin_a, competence=competence, code="x", text="Controleert begrip.")
    services.indicator_move(actor=admin_a, indicator=extra, direction="up")
    services.indicator_update(actor=admin_a, indicator=extra, code="A.1.0", text="Controleert of het begrepen is.")
    high = ScaleLevel.objects.get(version=draft, value=2)
    services.scale_level_move(actor=admin_a, level=high, direction="up")
    tree = selectors.version_tree(version=draft)
    assert [(d.code, d.name, [c.code for c in d.competences.all()]) for d in tree.domains] == [
        ("B", "Omgeving", ["A.1"]),
        ("A", "Lesgeven in de klas", []),
    ]
    assert [i.code for i in tree.indicators] == ["A.1.0", "1.1.1"]
    assert [(s.value, s.label) for s in tree.scale_levels] == [(1, "Hoog"), (2, "Laag")]
    services.domain_delete(actor=admin_a, domain=first)
    services.indicator_delete(actor=admin_a, indicator=extra)
    services.scale_level_delete(actor=admin_a, level=high)
    tree = selectors.version_tree(version=draft)
    assert [d.code for d in tree.domains] == ["B"] and [i.code for i in tree.indicators] == ["1.1.1"]
    assert [s.label for s in tree.scale_levels] == ["Laag"]
    with pytest.raises(ValidationError, match="Choose up or down"):
        services.domain_move(actor=admin_a, domain=second, direction="sideways")


def test_it_says_what_is_missing_before_publishing(admin_a: Actor) -> None:
    framework = services.framework_create(actor=admin_a, name="Leeg", slug="leeg", audience="teachers")
    draft = framework.versions.get()
    with pytest.raises(ValidationError) as caught:
        services.version_publish(actor=admin_a, version=draft)
    assert caught.value.messages == ["The rating scale needs at least one level.", "Add at least one domain."]
    domain = services.domain_create(actor=admin_a, version=draft, code="A", name="Lesgeven")
    with pytest.raises(ValidationError, match="Domain A “Lesgeven” has no competences"):
        services.version_publish(actor=admin_a, version=draft)
    services.competence_create(actor=admin_a, domain=domain, code="A.1", name="Uitleg")
    services.scale_level_create(actor=admin_a, version=draft, value=1, label="Laag")
    with pytest.raises(ValidationError) as caught:
        services.version_publish(actor=admin_a, version=draft)
    assert caught.value.messages == ["Competence A.1 “Uitleg” has no indicators."]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.published_at is None


def test_it_never_changes_a_published_version(admin_a: Actor) -> None:
    draft = build_draft(admin_a)
    published = services.version_publish(actor=admin_a, version=draft)
    assert published.published_at is not None
    level = ScaleLevel.objects.filter(version=draft).first()
    domain = Domain.objects.get(version=draft)
    competence = Competence.objects.get(version=draft)
    indicator = Indicator.objects.get(competence=competence)
    assert level is not None
    attempts = [
        lambda: services.version_update(actor=admin_a, version=draft, label="x", scale_name="x", notes="x"),
        lambda: services.version_publish(actor=admin_a, version=draft),
        lambda: services.version_delete(actor=admin_a, version=draft),
        lambda: services.scale_level_create(actor=admin_a, version=draft, value=9, label="Nieuw"),
        lambda: services.scale_level_update(actor=admin_a, level=level, value=9, label="Anders"),
        lambda: services.scale_level_delete(actor=admin_a, level=level),
        lambda: services.scale_level_move(actor=admin_a, level=level, direction="down"),
        lambda: services.domain_create(actor=admin_a, version=draft, code="N", name="Nieuw"),
        lambda: services.domain_update(actor=admin_a, domain=domain, code="N", name="Anders"),
        lambda: services.domain_delete(actor=admin_a, domain=domain),
        lambda: services.domain_move(actor=admin_a, domain=domain, direction="down"),
        lambda: services.competence_create(actor=admin_a, domain=domain, code="N", name="Nieuw"),
        lambda: services.competence_update(actor=admin_a, competence=competence, code="N", name="Anders"),
        lambda: services.competence_delete(actor=admin_a, competence=competence),
        lambda: services.competence_move(actor=admin_a, competence=competence, direction="down"),
        lambda: services.indicator_create(actor=admin_a, competence=competence, code="N", text="Nieuw"),
        lambda: services.indicator_update(actor=admin_a, indicator=indicator, code="N", text="Anders"),
        lambda: services.indicator_delete(actor=admin_a, indicator=indicator),
        lambda: services.indicator_move(actor=admin_a, indicator=indicator, direction="down"),
    ]
    before = snapshot()
    for attempt in attempts:
        with pytest.raises(ValidationError, match="has been published and can no longer be changed"):
            attempt()
    assert snapshot() == before


def test_it_starts_a_new_version_as_a_deep_copy_of_the_latest_published(admin_a: Actor, world: Any) -> None:
    first = framework_version_build(board=world.board_a, slug="eigen", domains=2, competences=2, indicators=3)
    second = framework_version_build(board=world.board_a, framework=first.framework, domains=3)
    FrameworkVersion.objects.filter(pk=second.pk).update(label="2025", notes="Tweede", scale_name="Schaal 2")
    second.refresh_from_db()
    draft = services.version_create_draft(actor=admin_a, framework=first.framework)
    assert (draft.number, draft.status, draft.based_on_id) == (3, "draft", second.pk)
    assert content(draft) == {**content(second), "label": ""}
    # A copy, not the same rows: editing the draft leaves the published version alone.
    before = content(second)
    indicator = Indicator.objects.filter(competence__version=draft).first()
    assert indicator is not None
    services.indicator_update(actor=admin_a, indicator=indicator, code=indicator.code, text="Anders")
    assert content(second) == before
    assert not set(Indicator.objects.filter(competence__version=draft).values_list("pk", flat=True)) & set(
        Indicator.objects.filter(competence__version=second).values_list("pk", flat=True)
    )


def test_it_keeps_one_draft_at_a_time(admin_a: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    services.version_create_draft(actor=admin_a, framework=version.framework)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.version_create_draft(actor=admin_a, framework=version.framework)
    assert version.framework.versions.count() == 2


def test_it_deletes_a_draft_but_never_a_published_version(admin_a: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    draft = services.version_create_draft(actor=admin_a, framework=version.framework)
    assert services.version_delete(actor=admin_a, version=draft) is False
    assert list(version.framework.versions.all()) == [version]
    assert not Indicator.objects.filter(competence__version_id=draft.pk).exists()
    with pytest.raises(ValidationError, match="has been published"):
        services.version_delete(actor=admin_a, version=version)


def test_it_removes_a_framework_with_its_only_draft(admin_a: Actor) -> None:
    draft = build_draft(admin_a)
    assert services.version_delete(actor=admin_a, version=draft) is True
    assert not Framework.objects.exists() and not Domain.objects.exists()


def test_it_refuses_changes_to_another_boards_framework(admin_b: Actor, world: Any) -> None:
    draft = framework_version_build(board=world.board_a, slug="eigen", published=False)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.domain_create(actor=admin_b, version=draft, code="X", name="X")
    with pytest.raises(PermissionDenied):
        services.version_create_draft(actor=admin_b, framework=draft.framework)
    with pytest.raises(PermissionDenied):
        services.framework_update(actor=admin_b, framework=draft.framework, name="X", audience="teachers", source="")
    assert snapshot() == before


def test_it_updates_a_frameworks_name_audience_and_source(admin_a: Actor, world: Any) -> None:
    version = framework_version_build(board=world.board_a, slug="eigen")
    services.framework_update(
        actor=admin_a, framework=version.framework, name=" Nieuw ", audience="school_leaders", source="Beleid"
    )
    framework = Framework.objects.get(pk=version.framework_id)
    assert (framework.name, framework.audience, framework.source, framework.slug) == (
        "Nieuw",
        "school_leaders",
        "Beleid",
        "eigen",
    )
