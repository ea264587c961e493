"""Kijkwijzers are frameworks of kind "observation" (decision 0007): shipped, installed, edited in their own words."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from bekwaam.frameworks import defaults, schema, selectors, services
from bekwaam.frameworks.models import Competence, Framework, FrameworkKind, FrameworkVersion
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.frameworks.tests.test_schema import problems, valid
from bekwaam.tenancy import services as tenancy_services
from bekwaam.tenancy.context import Actor, actor_for

pytestmark = pytest.mark.django_db

OBSERVATION = FrameworkKind.OBSERVATION
ICALT_SCALE = ["Overwegend zwak", "Meer zwak dan sterk", "Meer sterk dan zwak", "Overwegend sterk"]


def dutch(msgid: str, **params: Any) -> str:
    """The message as a page shows it (Dutch is the default language), HTML-escaped."""
    with translation.override("nl"):
        return escape(gettext(msgid) % params if params else gettext(msgid))


def kijkwijzer_file() -> dict[str, Any]:
    data = valid()
    data.update(slug="eigen-kijkwijzer", name="Eigen kijkwijzer", kind="observation")
    return data


# --- the shipped kijkwijzers -----------------------------------------------------------------------


def test_it_ships_the_icalt_kijkwijzer_on_the_seven_domains(admin_a: Actor) -> None:
    framework = services.framework_adopt(actor=admin_a, slug="icalt-kijkwijzer")
    assert framework.kind == OBSERVATION and framework.audience == "teachers"
    assert "ICALT" in framework.source and "niet overgenomen" in framework.source
    version = framework.versions.get()
    assert version.is_published
    tree = selectors.version_tree(version=version)
    assert [(d.code, d.name) for d in tree.domains] == [
        ("K1", "Veilig en stimulerend leerklimaat"),
        ("K2", "Efficiënte lesorganisatie"),
        ("K3", "Duidelijke en gestructureerde instructie"),
        ("K4", "Intensieve en activerende les"),
        ("K5", "Afstemmen van instructie en verwerking op verschillen"),
        ("K6", "Leerstrategieën aanleren"),
        ("K7", "Betrokkenheid van leerlingen"),
    ]
    assert [len(d.competences.all()) for d in tree.domains] == [4, 4, 7, 7, 4, 6, 3]
    assert [(s.value, s.label) for s in tree.scale_levels] == list(enumerate(ICALT_SCALE, start=1))
    for domain in tree.domains:
        for n, item in enumerate(domain.competences.all(), start=1):
            assert item.code == f"{domain.code}.{n}"
            look_fors = list(item.indicators.all())
            assert 1 <= len(look_fors) <= 3, item.code
            assert [i.code for i in look_fors] == [f"{item.code}.{m}" for m in range(1, len(look_fors) + 1)]


def test_it_ships_a_short_focus_kijkwijzer_on_the_same_scale(admin_a: Actor) -> None:
    framework = services.framework_adopt(actor=admin_a, slug="focus-kijkwijzer")
    assert framework.kind == OBSERVATION
    tree = selectors.version_tree(version=framework.versions.get())
    assert 3 <= len(tree.domains) <= 4
    assert 6 <= len(tree.competences) <= 10
    assert [s.label for s in tree.scale_levels] == ICALT_SCALE
    assert all(1 <= len(item.indicators.all()) <= 3 for item in tree.competences)
    # Each focus item names the item of the ICALT-kijkwijzer it corresponds to.
    assert all("ICALT-kijkwijzer" in item.description for item in tree.competences)


@pytest.mark.parametrize("slug", ["icalt-kijkwijzer", "focus-kijkwijzer"])
def test_it_exports_a_shipped_kijkwijzer_as_the_file_it_came_from(admin_a: Actor, admin_b: Actor, slug: str) -> None:
    framework = services.framework_adopt(actor=admin_a, slug=slug)
    exported = selectors.framework_export_for(actor=admin_a, framework=framework)
    assert exported["kind"] == "observation"
    assert exported == defaults.shipped_data(slug)
    imported = services.framework_import(actor=admin_b, content=schema.dumps(exported))
    assert imported.framework.kind == OBSERVATION


def test_it_offers_the_shipped_kijkwijzers_as_observation_instruments(world: Any) -> None:
    framework_version_build(board=world.board_a, slug="eigen-kader")
    services.observation_defaults_install(board=world.board_a)
    services.observation_defaults_install(board=world.board_a)  # idempotent
    instruments = list(selectors.observation_instruments(board_id=world.board_a.pk))
    assert [v.framework.slug for v in instruments] == ["focus-kijkwijzer", "icalt-kijkwijzer"]
    assert Framework.objects.filter(board=world.board_a).count() == 3
    assert not selectors.observation_instruments(board_id=world.board_b.pk).exists()


def test_it_gives_a_new_board_both_kijkwijzers(world: Any) -> None:
    board = tenancy_services.board_create(
        actor=actor_for(world.operator, None),
        name="Stichting Nieuw",
        authority_number="55555",
        admin_email="beheer@nieuw.nl",
        admin_given_name="Nina",
        admin_name_prefix="",
        admin_family_name="Nieuw",
    )
    frameworks = Framework.objects.filter(board=board)
    assert {(f.shipped_as, f.kind) for f in frameworks} == {
        ("icalt-kijkwijzer", OBSERVATION),
        ("focus-kijkwijzer", OBSERVATION),
    }
    assert FrameworkVersion.objects.filter(board=board, status="published").count() == 2


# --- the file format -------------------------------------------------------------------------------


def test_it_reads_a_file_without_a_kind_as_a_competence_framework() -> None:
    assert schema.parse(valid()).kind == FrameworkKind.COMPETENCES
    assert schema.parse(kijkwijzer_file()).kind == OBSERVATION


@pytest.mark.parametrize("kind", ["kijkwijzer", "Observation", "", 3])
def test_it_refuses_an_unknown_kind_and_says_which_kinds_exist(kind: Any) -> None:
    data = valid()
    data["kind"] = kind
    if kind == "":
        assert schema.parse(data).kind == FrameworkKind.COMPETENCES  # empty: the default
        return
    messages = problems(data)
    assert any(m.startswith("kind: ") for m in messages), messages
    if isinstance(kind, str):
        assert any("use “competences” for a competence framework or “observation”" in m for m in messages)


def test_it_lets_a_kijkwijzer_item_go_without_look_fors_but_not_a_competence() -> None:
    data = kijkwijzer_file()
    data["versions"][0]["domains"][0]["competences"][0]["indicators"] = []
    assert schema.parse(data).versions[0].domains[0].competences[0].indicators == []
    data["kind"] = "competences"
    assert any("Every competence needs at least one indicator" in m for m in problems(data))


def test_it_asks_for_an_item_in_every_observation_domain() -> None:
    data = kijkwijzer_file()
    data["versions"][0]["domains"][0]["competences"] = []
    assert problems(data) == ["versions[0].domains[0].competences: Every observation domain needs at least one item."]


def test_it_writes_the_kind_it_reads() -> None:
    parsed = schema.parse(kijkwijzer_file())
    written = schema.framework_to_dict(parsed)
    assert written["kind"] == "observation"
    assert schema.parse(written) == parsed


# --- import, export, adopt, create -----------------------------------------------------------------


def test_it_imports_a_kijkwijzer_file_as_a_kijkwijzer(admin_a: Actor) -> None:
    result = services.framework_import(actor=admin_a, content=schema.dumps(kijkwijzer_file()))
    assert result.created and result.framework.kind == OBSERVATION
    again = selectors.framework_export_for(actor=admin_a, framework=result.framework)
    assert again["kind"] == "observation"


def test_it_refuses_to_mix_kinds_when_adding_versions(admin_a: Actor, world: Any) -> None:
    kijkwijzer = framework_version_build(board=world.board_a, slug="eigen-kijkwijzer", kind=OBSERVATION)
    competences = framework_version_build(board=world.board_a, slug="eigen-kader")
    as_competences = selectors.version_export_for(actor=admin_a, version=kijkwijzer)
    as_competences.update(kind="competences")
    as_competences["versions"][0]["label"] = "2025"
    before = FrameworkVersion.objects.count()
    with pytest.raises(ValidationError, match="the kinds differ"):
        services.framework_import(actor=admin_a, content=schema.dumps(as_competences), target=kijkwijzer.framework)
    as_kijkwijzer = selectors.version_export_for(actor=admin_a, version=competences)
    as_kijkwijzer.update(kind="observation")
    as_kijkwijzer["versions"][0]["label"] = "2025"
    with pytest.raises(ValidationError, match="the kinds differ"):
        services.framework_import(actor=admin_a, content=schema.dumps(as_kijkwijzer), target=competences.framework)
    assert FrameworkVersion.objects.count() == before
    same_kind = selectors.version_export_for(actor=admin_a, version=kijkwijzer)
    same_kind["versions"][0]["label"] = "2025"
    result = services.framework_import(actor=admin_a, content=schema.dumps(same_kind), target=kijkwijzer.framework)
    assert [v.number for v in result.versions] == [2]


def test_it_creates_a_kijkwijzer_whose_items_need_no_look_fors(admin_a: Actor) -> None:
    framework = services.framework_create(
        actor=admin_a, name="Rekenkijkwijzer", slug="", audience="teachers", kind=OBSERVATION
    )
    assert framework.kind == OBSERVATION and framework.slug == "rekenkijkwijzer"
    draft = framework.versions.get()
    assert services.version_problems(draft) == [
        "The rating scale needs at least one level.",
        "Add at least one observation domain.",
    ]
    services.scale_level_create(actor=admin_a, version=draft, value=1, label="Zwak")
    domain = services.domain_create(actor=admin_a, version=draft, code="R", name="Rekenen")
    assert services.version_problems(draft) == ["Observation domain R “Rekenen” has no items."]
    item = services.competence_create(actor=admin_a, domain=domain, code="", name="Gebruikt het drieslagmodel")
    assert item.code == "R.1"
    services.version_publish(actor=admin_a, version=draft)
    assert FrameworkVersion.objects.get(pk=draft.pk).is_published
    # Kept when the framework is renamed: the kind is chosen once.
    services.framework_update(
        actor=admin_a, framework=framework, name="Kijkwijzer rekenen", audience="teachers", source=""
    )
    assert Framework.objects.get(pk=framework.pk).kind == OBSERVATION


def test_it_still_creates_a_competence_framework_by_default(admin_a: Actor) -> None:
    framework = services.framework_create(actor=admin_a, name="Eigen kader", slug="", audience="teachers")
    assert framework.kind == FrameworkKind.COMPETENCES


def test_it_names_taken_codes_in_the_kijkwijzers_words(admin_a: Actor, world: Any) -> None:
    framework = services.framework_create(
        actor=admin_a, name="Kijkwijzer", slug="", audience="teachers", kind=OBSERVATION
    )
    draft = framework.versions.get()
    domain = services.domain_create(actor=admin_a, version=draft, code="A", name="Klimaat")
    item = services.competence_create(actor=admin_a, domain=domain, code="A.1", name="Respect")
    services.indicator_create(actor=admin_a, competence=item, code="A.1.1", text="Luistert")
    with pytest.raises(ValidationError) as caught:
        services.domain_create(actor=admin_a, version=draft, code="a", name="Nog eens")
    assert caught.value.message_dict == {"code": ["Another observation domain of this version has this code."]}
    with pytest.raises(ValidationError) as caught:
        services.competence_create(actor=admin_a, domain=domain, code="A.1", name="Nog eens")
    assert caught.value.message_dict == {"code": ["Another item of this version has this code."]}
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(actor=admin_a, competence=item, code="A.1.1", text="Nog eens")
    assert caught.value.message_dict == {"code": ["Another look-for of this item has this code."]}


def test_it_adopts_a_shipped_kijkwijzer_once(admin_a: Actor) -> None:
    services.framework_adopt(actor=admin_a, slug="focus-kijkwijzer")
    with pytest.raises(ValidationError, match="already adopted"):
        services.framework_adopt(actor=admin_a, slug="focus-kijkwijzer")
    # Installing the defaults afterwards keeps what the board has.
    services.observation_defaults_install(board=Framework.objects.get(slug="focus-kijkwijzer").board)
    assert Framework.objects.filter(kind=OBSERVATION).count() == 2


# --- pages -----------------------------------------------------------------------------------------


def test_it_lists_kijkwijzers_apart_and_shows_the_kind_of_shipped_ones(world: Any, client_for: Any) -> None:
    framework_version_build(board=world.board_a, slug="eigen-kader", name="Eigen kader")
    kijkwijzer = framework_version_build(
        board=world.board_a, slug="eigen-kijkwijzer", name="Eigen kijkwijzer", kind=OBSERVATION
    )
    client = client_for(world.administrator)
    text = client.get("/frameworks/").content.decode()
    kijkwijzers = text[text.index('id="table-kijkwijzers"') :]
    competences = text[text.index('id="table-competences"') : text.index('id="table-kijkwijzers"')]
    assert f'href="/frameworks/{kijkwijzer.framework_id}/"' in kijkwijzers
    assert "Eigen kader" in competences and "Eigen kijkwijzer" not in competences
    assert 'data-kind="observation"' in text and 'href="/frameworks/new/?kind=observation"' in text
    shipped = text[text.index('id="shipped"') :]
    with translation.override("nl"):
        observation_label = escape(str(FrameworkKind.OBSERVATION.label))
    assert observation_label in shipped
    assert 'value="icalt-kijkwijzer"' in shipped and 'value="focus-kijkwijzer"' in shipped
    response = client.post("/frameworks/adopt/", {"slug": "icalt-kijkwijzer"})
    adopted = Framework.objects.get(board=world.board_a, slug="icalt-kijkwijzer")
    assert response.status_code == 302 and adopted.kind == OBSERVATION
    assert 'value="icalt-kijkwijzer"' not in client.get("/frameworks/").content.decode()


def test_it_lets_the_beheerder_choose_the_kind_of_a_new_framework(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    page = client.get("/frameworks/new/?kind=observation")
    assert page.status_code == 200
    assert page.context["form"]["kind"].value() == "observation"
    assert 'value="observation"' in page.content.decode()
    response = client.post(
        "/frameworks/new/", {"name": "Kijkwijzer gym", "kind": "observation", "audience": "teachers"}
    )
    assert response.status_code == 302
    assert Framework.objects.get(slug="kijkwijzer-gym").kind == OBSERVATION
    refused = client.post("/frameworks/new/", {"name": "Iets", "kind": "checklist", "audience": "teachers"})
    assert refused.status_code == 400 and not Framework.objects.filter(slug="iets").exists()


def test_it_edits_a_kijkwijzer_with_items_and_look_fors(world: Any, client_for: Any) -> None:
    draft = framework_version_build(board=world.board_a, slug="kw", kind=OBSERVATION, published=False)
    item = Competence.objects.filter(version=draft).order_by("pk").first()
    assert item is not None
    client = client_for(world.administrator)
    text = client.get(f"/frameworks/versions/{draft.pk}/").content.decode()
    for msgid in (
        "Add an item",
        "Add a look-for",
        "Add an observation domain",
        "Observation domains, items and look-fors",
    ):
        assert dutch(msgid) in text, msgid
    assert dutch("Add a competence") not in text and dutch("Add an indicator") not in text
    form = client.get(f"/frameworks/versions/{draft.pk}/domains/{item.domain_id}/competences/new/")
    assert form.context["title"] == dutch("Add an item to %(code)s %(name)s", code="D1", name="Domein 1")
    edit = client.get(f"/frameworks/versions/{draft.pk}/competences/{item.pk}/")
    assert edit.context["form"].fields["domain"].label == dutch("Observation domain")
    response = client.post(
        f"/frameworks/versions/{draft.pk}/competences/{item.pk}/indicators/new/", {"code": "", "text": "Kijkt rond"}
    )
    assert response.status_code == 302
    assert dutch("The look-for has been added.") in client.get(response["Location"]).content.decode()


def test_it_keeps_the_competence_words_for_a_competence_framework(world: Any, client_for: Any) -> None:
    draft = framework_version_build(board=world.board_a, slug="kader", published=False)
    text = client_for(world.administrator).get(f"/frameworks/versions/{draft.pk}/").content.decode()
    assert dutch("Add a competence") in text and dutch("Add an indicator") in text
    assert dutch("Add an item") not in text and dutch("Add a look-for") not in text


def test_it_reads_the_list_page_with_kijkwijzers_in_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    framework_version_build(board=world.board_a, slug="een")
    framework_version_build(board=world.board_a, slug="kw-een", kind=OBSERVATION)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/frameworks/").status_code == 200
        return len(queries)

    count()
    few = count()
    for n in range(4):
        framework_version_build(board=world.board_a, slug=f"kader-{n}")
        framework_version_build(board=world.board_a, slug=f"kw-{n}", kind=OBSERVATION)
    assert count() == few


def test_it_refuses_another_boards_kijkwijzer(world: Any, client_for: Any) -> None:
    other = framework_version_build(board=world.board_b, slug="kw", kind=OBSERVATION, published=False)
    client = client_for(world.administrator)
    assert client.get(f"/frameworks/{other.framework_id}/").status_code == 404
    assert client.get(f"/frameworks/versions/{other.pk}/").status_code == 404
