"""A kijkwijzer is a framework of kind "observation" (decision 0007): no competence use ever offers it.

The board below has a competence framework and three published kijkwijzers: the two Bekwaam ships and
one for teachers whose name sorts first, so nothing but the kind keeps it out of the pickers.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from bekwaam.conversations.forms.setup import VersionForm
from bekwaam.conversations.selectors.setup import competence_choices_for as rating_competence_choices_for
from bekwaam.dossier.forms.assessments import AssessmentStartForm
from bekwaam.dossier.forms.plans import GoalForm
from bekwaam.dossier.selectors import framework_version_for
from bekwaam.dossier.selectors.assessments import startable_versions_for
from bekwaam.dossier.selectors.plans import competence_choices_for
from bekwaam.dossier.selectors.portfolio import coverage_version_for, coverage_versions_for, tag_choices_for
from bekwaam.dossier.selectors.transfer import dossier_contents_for
from bekwaam.dossier.services.portfolio import evidence_create
from bekwaam.dossier.services.transfer_export import dossier_export_zip
from bekwaam.frameworks.models import Competence, FrameworkKind, FrameworkVersion, VersionStatus
from bekwaam.frameworks.services import observation_defaults_install
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import Actor, actor_for

pytestmark = pytest.mark.django_db


@dataclass
class Board:
    competences: FrameworkVersion  # the competence framework's published version
    kijkwijzer_versions: set[Any]  # ids of every published kijkwijzer version
    kijkwijzer_items: set[int]  # ids of every item of those versions


@pytest.fixture
def board(world: Any) -> Board:
    competences = framework_version_build(board=world.board_a, slug="teacher-competences", name="Bekwaamheidseisen")
    framework_version_build(
        board=world.board_a, slug="aa-kijkwijzer", name="Aaa kijkwijzer", kind=FrameworkKind.OBSERVATION
    )
    observation_defaults_install(board=world.board_a)
    kijkwijzers = FrameworkVersion.objects.filter(
        board=world.board_a, framework__kind=FrameworkKind.OBSERVATION, status=VersionStatus.PUBLISHED
    )
    assert kijkwijzers.count() == 3
    items = set(Competence.objects.filter(version__in=kijkwijzers).values_list("pk", flat=True))
    return Board(competences, set(kijkwijzers.values_list("pk", flat=True)), items)


def teacher(world: Any) -> Actor:
    return actor_for(world.teacher, None)


def ids(rows: Any) -> set[Any]:
    return {row.pk for row in rows}


# --- the default framework -------------------------------------------------------------------------


def test_it_measures_a_dossier_against_the_competence_framework_never_a_kijkwijzer(world: Any, board: Board) -> None:
    assert framework_version_for(actor=teacher(world)) == board.competences
    # A school leader's own framework is missing here: the fallback is still no kijkwijzer.
    assert framework_version_for(actor=actor_for(world.manager, None)) == board.competences


def test_it_has_no_default_framework_on_a_board_with_only_kijkwijzers(world: Any) -> None:
    observation_defaults_install(board=world.board_b)
    assert framework_version_for(actor=actor_for(world.outsider, None)) is None


# --- nulmeting -------------------------------------------------------------------------------------


def test_it_offers_no_kijkwijzer_for_a_nulmeting(world: Any, board: Board) -> None:
    actor = teacher(world)
    form = AssessmentStartForm(actor=actor)
    offered = ids(form.fields["framework_version"].queryset)  # type: ignore[attr-defined]
    assert offered == {board.competences.pk}
    for version_id in board.kijkwijzer_versions:
        assert not AssessmentStartForm({"framework_version": version_id}, actor=actor).is_valid()
    assert ids(startable_versions_for(actor=actor, default=board.competences)) == {board.competences.pk}


def test_it_shows_no_kijkwijzer_on_the_measurements_page(world: Any, board: Board, client_for: Any) -> None:
    page = client_for(world.teacher).get(reverse("dossier:assessment-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert str(board.competences.pk) in text
    assert not any(str(version_id) in text for version_id in board.kijkwijzer_versions)


# --- portfolio and coverage map --------------------------------------------------------------------


def test_it_offers_no_kijkwijzer_item_to_tag_evidence_with(world: Any, board: Board, client_for: Any) -> None:
    tags = tag_choices_for(actor=teacher(world))
    assert ids(tags.competences) == set(
        Competence.objects.filter(version=board.competences).values_list("pk", flat=True)
    )
    assert not ids(tags.competences) & board.kijkwijzer_items
    page = client_for(world.teacher).get(reverse("dossier:evidence-create") + "?kind=link")
    text = page.content.decode()
    assert not any(f'value="{item_id}"' in text for item_id in board.kijkwijzer_items)


def test_it_draws_no_coverage_map_for_a_kijkwijzer(world: Any, board: Board, client_for: Any) -> None:
    actor = teacher(world)
    assert ids(coverage_versions_for(actor=actor)) == {board.competences.pk}
    for version_id in board.kijkwijzer_versions:
        with pytest.raises(Http404):
            coverage_version_for(actor=actor, owner=world.teacher, version_id=version_id)
    page = client_for(world.teacher).get(reverse("dossier:coverage"))
    assert page.status_code == 200
    assert not any(str(version_id) in page.content.decode() for version_id in board.kijkwijzer_versions)
    # Asked for by id, a kijkwijzer is not a choice: the page draws the competence framework instead.
    kijkwijzer_id = next(iter(board.kijkwijzer_versions))
    asked = client_for(world.teacher).get(reverse("dossier:coverage") + f"?version={kijkwijzer_id}")
    assert asked.status_code == 200
    assert asked.context["coverage"].version == board.competences


# --- POP goals -------------------------------------------------------------------------------------


def test_it_offers_no_kijkwijzer_item_as_a_goal_competence(world: Any, board: Board) -> None:
    choices = competence_choices_for(actor=teacher(world), source=None)
    assert choices.exists()
    assert not ids(choices) & board.kijkwijzer_items
    item_id = next(iter(board.kijkwijzer_items))
    form = GoalForm({"title": "Beter lesgeven", "competences": [item_id]}, competences=choices)
    assert not form.is_valid() and "competences" in form.errors


# --- conversation forms ----------------------------------------------------------------------------


def test_it_offers_no_kijkwijzer_for_rating_questions_of_a_conversation_form(world: Any, board: Board) -> None:
    form = VersionForm(board_id=world.board_a.pk)
    assert ids(form.fields["framework_version"].queryset) == {board.competences.pk}  # type: ignore[attr-defined]
    rating = rating_competence_choices_for(actor=actor_for(world.administrator, None))
    assert rating.exists()
    assert not ids(rating) & board.kijkwijzer_items


# --- 360° feedback ---------------------------------------------------------------------------------


def test_it_offers_no_kijkwijzer_item_in_a_feedback_round(world: Any, board: Board, client_for: Any) -> None:
    page = client_for(world.teacher).get(reverse("feedback:round-create"))
    assert page.status_code == 200
    text = page.content.decode()
    some_competence = Competence.objects.filter(version=board.competences).first()
    assert some_competence is not None and f'value="{some_competence.pk}"' in text
    assert not any(f'value="{item_id}"' in text for item_id in board.kijkwijzer_items)


# --- dossier export --------------------------------------------------------------------------------


def test_it_exports_a_dossier_without_the_boards_kijkwijzers(world: Any, board: Board) -> None:
    actor = teacher(world)
    competence = Competence.objects.filter(version=board.competences).first()
    assert competence is not None
    evidence_create(
        actor=actor, kind="link", title="Lesvoorbereiding", url="https://example.org/les", competences=[competence]
    )
    contents = dossier_contents_for(actor=actor)
    assert [v.pk for v in contents.frameworks] == [board.competences.pk]
    exported = dossier_export_zip(actor=actor)
    with exported.file, zipfile.ZipFile(io.BytesIO(exported.file.read())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert {entry["slug"] for entry in manifest["frameworks"]} == {"teacher-competences"}
