"""A low score becomes a POP goal with one click (insights.services.loop.goal_from_score and its views): the
score is read again on the server, only the actor's own, once; the low-score page and its query count."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.dossier.models import DevelopmentPlan, Goal, Phase
from bekwaam.dossier.services.plans import plan_create
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.models import GoalOrigin, OriginKind
from bekwaam.insights.selectors.loop import low_scores_for
from bekwaam.insights.services.loop import goal_from_score
from bekwaam.insights.tests.factories_loop import closed_round, competences, kijkwijzer, measurement, visit
from bekwaam.observations.models import ObservationScore
from bekwaam.tenancy.context import Actor, actor_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


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


def post(client: Client, kind: str, source: Any, code: str, **extra: str) -> Any:
    return client.post(
        reverse("insights:goal_from_score"), {"kind": kind, "source": str(source), "code": code, **extra}
    )


def test_it_makes_a_goal_of_a_kijkwijzer_item_with_its_origin(world: Any) -> None:
    lesson = visit(world, {"D1.C1": 1, "D1.C2": 3})
    made = goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C1")
    goal = made.goal
    assert made.created and made.plan_created
    assert goal.title.endswith("Competentie 1.1") and goal.phase == Phase.PLAN
    assert goal.plan.person == world.teacher
    # A kijkwijzer item is never one of a POP goal's competences (decision 0007); the origin keeps its code.
    assert not made.linked and list(goal.competences.all()) == []
    origin = GoalOrigin.objects.get(goal=goal)
    assert (origin.kind, origin.framework_slug, origin.code, origin.label) == (
        OriginKind.OBSERVATION_ITEM,
        "test-kijkwijzer",
        "D1.C1",
        "Competentie 1.1",
    )
    assert (origin.source_id, origin.before_value, origin.before_on, origin.scale_max) == (
        lesson.pk,
        Decimal(1),
        lesson.date,
        4,
    )
    assert origin.board_id == world.board_a.pk and origin.follow_up_visit is None


def test_it_links_an_indicators_competence_when_the_pop_allows_it(world: Any) -> None:
    version = competences(world.board_a)
    assessment = measurement(world.teacher, version, {"D2.C1.I2": 2})
    made = goal_from_score(actor=teacher(world), kind=OriginKind.INDICATOR, source_id=assessment.pk, code="D2.C1.I2")
    assert made.linked
    assert [c.code for c in made.goal.competences.all()] == ["D2.C1"]
    origin = made.goal.origin
    assert (origin.code, origin.before_value, origin.label) == ("D2.C1.I2", Decimal(2), "Indicator 2.1.2")


def test_it_does_not_link_a_competence_of_a_version_the_board_has_replaced(world: Any) -> None:
    old = competences(world.board_a)
    assessment = measurement(world.teacher, old, {"D1.C1.I1": 1})
    framework_version_build(board=world.board_a, slug="test-framework")  # version 2, now the teacher's own
    plan_create(actor=teacher(world), title="Mijn POP", starts_on=TODAY)  # a plan not from that measurement
    made = goal_from_score(actor=teacher(world), kind=OriginKind.INDICATOR, source_id=assessment.pk, code="D1.C1.I1")
    assert not made.linked and not made.plan_created
    assert made.goal.plan.title == "Mijn POP"
    assert made.goal.origin.code == "D1.C1.I1"


def test_it_makes_a_goal_of_others_mean_on_a_360_competence(world: Any) -> None:
    round_ = closed_round(world.teacher, world.board_a, {"D1.C1": 2, "D1.C2": 4})
    made = goal_from_score(actor=teacher(world), kind=OriginKind.FEEDBACK_COMPETENCE, source_id=round_.pk, code="D1.C1")
    assert made.linked
    assert [c.code for c in made.goal.competences.all()] == ["D1.C1"]
    assert made.goal.origin.before_value == Decimal(2)
    assert made.goal.origin.before_on == TODAY


def test_it_makes_the_same_score_a_goal_once(world: Any) -> None:
    lesson = visit(world, {"D1.C1": 1})
    actor = teacher(world)
    first = goal_from_score(actor=actor, kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C1")
    second = goal_from_score(actor=actor, kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C1")
    assert not second.created and second.goal == first.goal
    assert Goal.objects.count() == 1 and GoalOrigin.objects.count() == 1 and DevelopmentPlan.objects.count() == 1


def test_it_reads_the_value_from_the_source_not_from_the_request(world: Any, client_for: Any) -> None:
    lesson = visit(world, {"D1.C1": 2})
    response = post(client_for(world.teacher), OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C1", value="4", label="x")
    assert response.status_code == 302
    origin = GoalOrigin.objects.get()
    assert (origin.before_value, origin.label) == (Decimal(2), "Competentie 1.1")


@pytest.mark.parametrize(
    "whose",
    ["colleague", "outsider"],
)
def test_it_does_not_find_someone_elses_score(world: Any, client_for: Any, whose: str) -> None:
    person = world.persona(whose)
    board = world.board_a if whose == "colleague" else world.board_b
    lesson = visit(world, {"D1.C1": 1}, teacher=person, instrument=kijkwijzer(board), observer=world.manager)
    response = post(client_for(world.teacher), OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C1")
    assert response.status_code == 404
    with pytest.raises(Http404):
        goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C1")
    assert not Goal.objects.exists() and not GoalOrigin.objects.exists()


def test_it_does_not_find_a_visit_that_is_not_put_forward_or_an_unscored_item(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    draft = visit(world, {"D1.C1": 1}, state="in_progress")
    assert post(client, OriginKind.OBSERVATION_ITEM, draft.pk, "D1.C1").status_code == 404
    lesson = visit(world, {"D1.C1": 1, "D1.C2": None})
    assert post(client, OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C2").status_code == 404  # not scored
    assert post(client, OriginKind.OBSERVATION_ITEM, lesson.pk, "D9.C9").status_code == 404  # no such item
    assert post(client, OriginKind.INDICATOR, lesson.pk, "D1.C1").status_code == 404  # a visit is no measurement
    draft_measurement = measurement(world.teacher, competences(world.board_a), {"D1.C1.I1": 1}, finished=False)
    assert post(client, OriginKind.INDICATOR, draft_measurement.pk, "D1.C1.I1").status_code == 404
    assert not Goal.objects.exists()


def test_it_refuses_a_score_that_is_not_low_with_a_message(world: Any, client_for: Any) -> None:
    lesson = visit(world, {"D1.C1": 3})
    client = client_for(world.teacher)
    response = post(client, OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C1", next="/insights/scores/")
    assert response.status_code == 302 and response["Location"] == "/insights/scores/"
    page = client.get(response["Location"]).content.decode()
    assert "not in the lower half of the scale" in page
    assert not Goal.objects.exists()


def test_it_reads_the_score_as_it_is_now(world: Any) -> None:
    """The observer corrected the score after the page was shown: the goal gets the value stored now."""
    lesson = visit(world, {"D1.C1": 1})
    ObservationScore.objects.filter(observation=lesson).update(value=2)
    made = goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C1")
    assert made.goal.origin.before_value == Decimal(2)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "appraisal", "source": "00000000-0000-0000-0000-000000000000", "code": "D1.C1"},
        {"kind": "indicator", "source": "not-a-uuid", "code": "D1.C1"},
        {"kind": "indicator", "source": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_it_answers_a_tampered_form_with_400(world: Any, client_for: Any, data: dict[str, str]) -> None:
    response = client_for(world.teacher).post(reverse("insights:goal_from_score"), data)
    assert response.status_code == 400
    assert "This score could not be read" in response.content.decode()
    assert not Goal.objects.exists()


def test_it_never_sends_back_to_another_site(world: Any, client_for: Any) -> None:
    lesson = visit(world, {"D1.C1": 3})
    response = post(client_for(world.teacher), OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C1", next="//evil.example/")
    assert response["Location"] == reverse("insights:low_scores")


def test_it_goes_to_the_page_after_the_goal_and_to_the_same_goal_the_second_time(world: Any, client_for: Any) -> None:
    lesson = visit(world, {"D1.C1": 1})
    client = client_for(world.teacher)
    first = post(client, OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C1")
    goal = Goal.objects.get()
    assert first["Location"] == reverse("insights:goal_next", kwargs={"goal_id": goal.pk})
    assert "A new development plan has been started" in client.get(first["Location"]).content.decode()
    second = post(client, OriginKind.OBSERVATION_ITEM, lesson.pk, "D1.C1")
    assert second["Location"] == first["Location"]
    assert "You have made this score a goal already" in client.get(second["Location"]).content.decode()
    assert Goal.objects.count() == 1


def test_it_shows_the_low_scores_with_one_button_each(world: Any, client_for: Any) -> None:
    lesson = visit(world, {"D1.C1": 1, "D1.C2": 2, "D1.C3": 4})
    goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code="D1.C2")
    page = client_for(world.teacher).get(reverse("insights:low_scores")).content.decode()
    assert page.count("Make it a POP goal") == 1
    assert f'name="source" value="{lesson.pk}"' in page and 'name="code" value="D1.C1"' in page
    assert "View your goal" in page
    assert "Competentie 1.3" not in page  # 4 of 4 is not low


def test_it_says_when_there_is_nothing_low(world: Any, client_for: Any) -> None:
    page = client_for(world.teacher).get(reverse("insights:low_scores")).content.decode()
    assert 'data-testid="low-scores-none"' in page


def test_it_reads_the_low_score_page_in_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    url = reverse("insights:low_scores")
    version = competences(world.board_a)
    visit(world, {"D1.C1": 1}, date=TODAY - datetime.timedelta(days=3))
    measurement(world.teacher, version, {"D1.C1.I1": 1}, finished_at=timezone.now() - datetime.timedelta(days=3))
    closed_round(world.teacher, world.board_a, {"D1.C1": 1, "D1.C2": 4, "D2.C1": 4, "D2.C2": 4})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count("Make it a POP goal") == 3
    visit(world, {f"D{d}.C{c}": 1 for d in (1, 2) for c in (1, 2, 3)})
    measurement(world.teacher, version, {f"D{d}.C{c}.I{i}": 1 for d in (1, 2) for c in (1, 2) for i in (1, 2)})
    closed_round(world.teacher, world.board_a, {"D1.C1": 1, "D1.C2": 1, "D2.C1": 1, "D2.C2": 1})
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Make it a POP goal") == 8
    assert len(many) == len(few) <= 40, len(many)


def test_the_list_has_no_buttons_in_a_pdf(world: Any) -> None:
    visit(world, {"D1.C1": 1})
    scores = low_scores_for(actor=teacher(world))
    html = render_to_string("insights/loop/_low_scores.html", {"low_scores": scores, "pdf": True})
    assert "D1.C1" in html and "<form" not in html and "<button" not in html
