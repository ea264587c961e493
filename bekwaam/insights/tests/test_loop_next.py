"""The page after making a goal of a score (insights:goal_next): e-learning proposals by the competence's code,
and for a kijkwijzer item a follow-up lesson visit, only with consent, once (insights:follow_up)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bekwaam.dossier.models import Goal
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.models import GoalOrigin, OriginKind
from bekwaam.insights.services.loop import goal_follow_up_request, goal_from_score
from bekwaam.insights.tests.factories_loop import closed_round, competences, measurement, visit
from bekwaam.learning.tests.factories import course_build
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import RoleGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def teacher(world: Any) -> Actor:
    return actor_for(world.teacher, f"board:{world.board_a.pk}")


def item_goal(world: Any, code: str = "D1.C1") -> Goal:
    lesson = visit(world, {code: 1})
    return goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code=code).goal


def next_url(goal: Goal) -> str:
    return reverse("insights:goal_next", kwargs={"goal_id": goal.pk})


def follow_up_url(goal: Goal) -> str:
    return reverse("insights:follow_up", kwargs={"goal_id": goal.pk})


def test_it_proposes_modules_linked_to_the_kijkwijzer_item(world: Any, client_for: Any) -> None:
    goal = item_goal(world)
    course_build(board=world.board_a, title="Veilig klimaat", competences=(("test-kijkwijzer", "D1.C1", "Item"),))
    course_build(board=world.board_a, title="Ander item", competences=(("test-kijkwijzer", "D1.C2", "Item"),))
    course_build(board=world.board_a, title="Andere kader", competences=(("test-framework", "D1.C1", "Comp"),))
    course_build(board=world.board_b, title="Andere stichting", competences=(("test-kijkwijzer", "D1.C1", "Item"),))
    page = client_for(world.teacher).get(next_url(goal)).content.decode()
    assert "Veilig klimaat" in page
    for title in ("Ander item", "Andere kader", "Andere stichting"):
        assert title not in page


def test_it_proposes_modules_of_an_indicators_competence(world: Any, client_for: Any) -> None:
    assessment = measurement(world.teacher, competences(world.board_a), {"D2.C1.I2": 1})
    goal = goal_from_score(
        actor=teacher(world), kind=OriginKind.INDICATOR, source_id=assessment.pk, code="D2.C1.I2"
    ).goal
    course_build(board=world.board_a, title="Over competentie 2.1", competences=(("test-framework", "D2.C1", "C"),))
    page = client_for(world.teacher).get(next_url(goal)).content.decode()
    assert "Over competentie 2.1" in page
    assert "A follow-up lesson visit" not in page  # only for a kijkwijzer item


def test_it_says_when_no_module_is_linked(world: Any, client_for: Any) -> None:
    page = client_for(world.teacher).get(next_url(item_goal(world))).content.decode()
    assert 'data-testid="no-courses"' in page


def test_it_asks_whom_a_follow_up_visit_would_be_for(world: Any, client_for: Any) -> None:
    page = client_for(world.teacher).get(next_url(item_goal(world))).content.decode()
    assert "Would you like Mira Leider, who visited your lesson, to visit it again" in page
    assert "Ask for a follow-up visit" in page
    assert not Observation.objects.filter(state=ObservationState.PLANNED).exists()


def test_it_plans_a_follow_up_visit_only_with_consent(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    goal = item_goal(world)
    client = client_for(world.teacher)
    refused = client.post(follow_up_url(goal), {})
    assert refused.status_code == 400
    assert "Tick the box if you want a follow-up lesson visit." in refused.content.decode()
    assert Observation.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(follow_up_url(goal), {"consent": "on"})
    assert response.status_code == 302 and response["Location"] == next_url(goal)
    follow_up = Observation.objects.get(state=ObservationState.PLANNED)
    assert (follow_up.teacher, follow_up.observer) == (world.teacher, world.manager)
    assert [item.code for item in follow_up.focus_items.all()] == ["D1.C1"]
    assert GoalOrigin.objects.get(goal=goal).follow_up_visit == follow_up
    assert [message.to for message in mailoutbox] == [[world.manager.email]]
    page = client.get(response["Location"]).content.decode()
    assert "You have asked Mira Leider for a follow-up lesson visit" in page
    assert 'data-testid="follow-up-asked"' in page


def test_it_asks_for_one_follow_up_visit_however_often_one_clicks(world: Any, client_for: Any) -> None:
    goal = item_goal(world)
    client = client_for(world.teacher)
    client.post(follow_up_url(goal), {"consent": "on"})
    again = client.post(follow_up_url(goal), {"consent": "on"})
    assert again.status_code == 302
    assert "You have asked for a follow-up lesson visit already." in client.get(again["Location"]).content.decode()
    assert Observation.objects.filter(state=ObservationState.PLANNED).count() == 1


def test_it_may_ask_again_after_the_observer_cancelled(world: Any) -> None:
    goal = item_goal(world)
    first, created = goal_follow_up_request(actor=teacher(world), goal=goal)
    assert created
    Observation.objects.filter(pk=first.pk).update(state=ObservationState.CANCELLED)
    second, created = goal_follow_up_request(actor=teacher(world), goal=goal)
    assert created and second.pk != first.pk
    assert GoalOrigin.objects.get(goal=goal).follow_up_visit == second


@pytest.mark.parametrize("kind", ["indicator", "feedback_competence"])
def test_it_asks_for_a_follow_up_visit_for_a_kijkwijzer_item_only(world: Any, client_for: Any, kind: str) -> None:
    if kind == "indicator":
        source = measurement(world.teacher, competences(world.board_a), {"D1.C1.I1": 1})
        code = "D1.C1.I1"
    else:
        source = closed_round(world.teacher, world.board_a, {"D1.C1": 1})
        code = "D1.C1"
    goal = goal_from_score(actor=teacher(world), kind=kind, source_id=source.pk, code=code).goal
    client = client_for(world.teacher)
    response = client.post(follow_up_url(goal), {"consent": "on"})
    assert response.status_code == 302
    assert "only be asked for a kijkwijzer item" in client.get(response["Location"]).content.decode()
    assert not Observation.objects.exists()


def test_it_asks_the_leidinggevende_when_the_observer_is_gone(world: Any, client_for: Any) -> None:
    lesson = visit(world, {"D1.C1": 1}, observer=world.quality_officer)
    goal = goal_from_score(
        actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C1"
    ).goal
    RoleGrant.objects.filter(person=world.quality_officer).delete()
    client = client_for(world.teacher)
    assert "your leidinggevende Mira Leider" in client.get(next_url(goal)).content.decode()
    client.post(follow_up_url(goal), {"consent": "on"})
    assert Observation.objects.get(state=ObservationState.PLANNED).observer == world.manager


@pytest.mark.parametrize("persona", ["colleague", "manager", "outsider"])
def test_it_does_not_find_someone_elses_goal(world: Any, client_for: Any, persona: str) -> None:
    goal = item_goal(world)
    client = client_for(world.persona(persona))
    assert client.get(next_url(goal)).status_code == 404
    assert client.post(follow_up_url(goal), {"consent": "on"}).status_code == 404
    assert Observation.objects.count() == 1


def test_it_does_not_find_a_goal_not_made_from_a_score(world: Any, client_for: Any) -> None:
    goal = item_goal(world)
    GoalOrigin.objects.filter(goal=goal).delete()
    assert client_for(world.teacher).get(next_url(goal)).status_code == 404


def test_it_reads_the_page_in_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    goal = item_goal(world)
    client = client_for(world.teacher)
    course_build(board=world.board_a, title="Module 0", competences=(("test-kijkwijzer", "D1.C1", "Item"),))
    client.get(next_url(goal))
    with CaptureQueriesContext(connection) as few:
        client.get(next_url(goal))
    for number in range(1, 6):
        course_build(board=world.board_a, title=f"Module {number}", competences=(("test-kijkwijzer", "D1.C1", "I"),))
    framework_version_build(board=world.board_a, slug="nog-een-kader")
    with CaptureQueriesContext(connection) as many:
        page = client.get(next_url(goal)).content.decode()
    assert "Module 5" in page
    assert len(many) == len(few) <= 40, len(many)
