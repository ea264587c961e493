"""Before and after at a POP goal's check step (insights.selectors.loop.goal_before_after, shown on the plan
page): the newest later score on the same code from the same kind of source, matched across framework
versions, only the owner's own and only for the owner."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.dossier.models import Goal, Phase, Section, Share, ShareAudience
from bekwaam.dossier.services.plans import goal_move
from bekwaam.feedback.models import Relation
from bekwaam.feedback.tests.factories import questions_of, response_build
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.models import OriginKind
from bekwaam.insights.selectors.loop import goal_before_after, goals_before_after
from bekwaam.insights.services.loop import goal_from_score
from bekwaam.insights.tests.factories_loop import closed_round, competences, kijkwijzer, measurement, visit
from bekwaam.observations.models import ObservationKind, ObservationState
from bekwaam.observations.tests.factories import instrument_build
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


def to_check(world: Any, goal: Goal) -> Goal:
    for phase in (Phase.DO, Phase.CHECK):
        goal_move(actor=teacher(world), goal=goal, to_phase=phase, reflection="Verder")
    return Goal.objects.select_related("plan").get(pk=goal.pk)


def item_goal(world: Any, code: str = "D1.C1", *, check: bool = True, value: int = 1) -> Goal:
    lesson = visit(world, {code: value}, date=TODAY - datetime.timedelta(days=7))
    goal = goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code=code).goal
    return to_check(world, goal) if check else goal


def plan_url(goal: Goal) -> str:
    return reverse("dossier:plan-detail", kwargs={"plan_id": goal.plan_id})


def test_it_shows_nothing_before_the_check_step(world: Any) -> None:
    goal = item_goal(world, check=False)
    visit(world, {"D1.C1": 3})
    assert goal_before_after(goal=Goal.objects.select_related("plan").get(pk=goal.pk)) is None


def test_it_shows_nothing_for_a_goal_not_made_from_a_score(world: Any) -> None:
    goal = item_goal(world)
    goal.origin.delete()
    assert goal_before_after(goal=Goal.objects.select_related("plan").get(pk=goal.pk)) is None


def test_it_has_no_after_score_without_a_later_visit(world: Any) -> None:
    goal = item_goal(world)
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is None
    assert (result.before.value, result.before.scale_max, result.before.on) == (
        Decimal(1),
        4,
        TODAY - datetime.timedelta(days=7),
    )


def test_it_shows_the_newest_later_visit_score_on_the_same_item(world: Any) -> None:
    goal = item_goal(world)
    visit(world, {"D1.C1": 2}, date=TODAY)
    visit(world, {"D1.C1": 3, "D1.C2": 1}, date=TODAY + datetime.timedelta(days=1))
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is not None
    assert (result.after.value, result.after.scale_max, result.after.on) == (
        Decimal(3),
        4,
        TODAY + datetime.timedelta(days=1),
    )
    assert result.change == Decimal(2)


@pytest.mark.parametrize(
    "later",
    [
        pytest.param({"state": ObservationState.IN_PROGRESS}, id="not put forward"),
        pytest.param({"kind": ObservationKind.PEER, "observer": "colleague"}, id="peer visit"),
        pytest.param({"teacher": "colleague"}, id="someone else's"),
        pytest.param({"scores": {"D1.C2": 3}}, id="another item"),
        pytest.param({"scores": {"D1.C1": None}}, id="item not scored"),
        pytest.param({"instrument": "other-kijkwijzer"}, id="another kijkwijzer with the same codes"),
    ],
)
def test_it_does_not_count_what_is_not_a_later_score_of_the_same_item(world: Any, later: dict[str, Any]) -> None:
    goal = item_goal(world)
    scores = later.pop("scores", {"D1.C1": 4})
    for role in ("observer", "teacher"):
        if role in later:
            later[role] = world.persona(later[role])
    if "instrument" in later:
        later["instrument"] = kijkwijzer(world.board_a, slug=later["instrument"])
    visit(world, scores, **later)
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is None


def test_it_does_not_count_a_visit_put_forward_before_the_goal_was_made(world: Any) -> None:
    earlier = visit(world, {"D1.C1": 4}, date=TODAY)
    goal = item_goal(world)
    assert earlier.submitted_at is not None and earlier.submitted_at < goal.created_at
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is None


def test_it_matches_the_item_by_code_across_kijkwijzer_versions(world: Any) -> None:
    goal = item_goal(world)
    newer = instrument_build(board=world.board_a)  # version 2 of test-kijkwijzer: other rows, same codes
    visit(world, {"D1.C1": 4}, instrument=newer)
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is not None and result.after.value == Decimal(4)


def test_it_shows_a_later_measurement_of_the_same_indicator_across_versions(world: Any) -> None:
    first = competences(world.board_a)
    assessment = measurement(
        world.teacher, first, {"D1.C2.I1": 1}, finished_at=timezone.now() - datetime.timedelta(days=20)
    )
    goal = goal_from_score(actor=teacher(world), kind=OriginKind.INDICATOR, source_id=assessment.pk, code="D1.C2.I1")
    goal_ = to_check(world, goal.goal)
    result = goal_before_after(goal=goal_)
    assert result is not None and result.after is None
    second = framework_version_build(board=world.board_a, slug="test-framework")
    measurement(world.teacher, second, {"D1.C2.I1": 3})
    measurement(world.teacher, second, {"D1.C2.I1": 4}, finished=False)  # a draft is no score
    result = goal_before_after(goal=goal_)
    assert result is not None and result.after is not None
    assert (result.before.value, result.after.value, result.after.on) == (Decimal(1), Decimal(3), TODAY)


def test_it_shows_others_mean_of_a_later_round(world: Any, settings: Any) -> None:
    first = closed_round(world.teacher, world.board_a, {"D1.C1": 1, "D1.C2": 3})
    made = goal_from_score(actor=teacher(world), kind=OriginKind.FEEDBACK_COMPETENCE, source_id=first.pk, code="D1.C1")
    goal = to_check(world, made.goal)
    assert (result := goal_before_after(goal=goal)) is not None and result.after is None
    later = closed_round(world.teacher, world.board_a, {"D1.C1": 3}, title="Later")
    question = questions_of(later)[0]
    for _number in range(settings.FEEDBACK_MIN_GROUP_SIZE):
        response_build(later, relation=Relation.PARENT, values={question: 2})
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is not None
    assert result.after.value == Decimal("2.50")
    assert "Later" in result.after.source_label


def test_it_shows_no_mean_of_a_later_round_below_the_threshold(world: Any) -> None:
    first = closed_round(world.teacher, world.board_a, {"D1.C1": 1})
    made = goal_from_score(actor=teacher(world), kind=OriginKind.FEEDBACK_COMPETENCE, source_id=first.pk, code="D1.C1")
    goal = to_check(world, made.goal)
    closed_round(world.teacher, world.board_a, {"D1.C1": 4}, answers=1, title="Te weinig")
    result = goal_before_after(goal=goal)
    assert result is not None and result.after is None


def test_it_keeps_showing_them_after_the_check_step(world: Any) -> None:
    goal = item_goal(world)
    goal_move(actor=teacher(world), goal=goal, to_phase=Phase.ACT, reflection="Bijstellen")
    visit(world, {"D1.C1": 3})
    result = goal_before_after(goal=Goal.objects.select_related("plan").get(pk=goal.pk))
    assert result is not None and result.after is not None


def test_the_plan_page_shows_before_and_after_side_by_side(world: Any, client_for: Any) -> None:
    goal = item_goal(world)
    client = client_for(world.teacher)
    page = client.get(plan_url(goal)).content.decode()
    assert 'data-testid="before-after"' in page
    assert "No later score yet" in page and "after your next lesson visit that scores it" in page
    visit(world, {"D1.C1": 3})
    page = client.get(plan_url(goal)).content.decode()
    assert "1 of 4" in page and "3 of 4" in page and "Up by 2." in page


def test_the_plan_page_shows_them_to_the_owner_only(world: Any, client_for: Any) -> None:
    goal = item_goal(world)
    Share.objects.create(
        board=world.board_a, owner=world.teacher, audience=ShareAudience.MANAGER, section=Section.PLANS, plan=goal.plan
    )
    page = client_for(world.manager).get(plan_url(goal)).content.decode()
    assert goal.title in page and 'data-testid="before-after"' not in page


def test_it_reads_before_and_after_for_many_goals_in_a_fixed_number_of_queries(world: Any) -> None:
    version = competences(world.board_a)

    def goals(count: int) -> list[Goal]:
        lesson = visit(
            world, {f"D{d}.C{c}": 1 for d in (1, 2) for c in (1, 2, 3)}, date=TODAY - datetime.timedelta(days=9)
        )
        actor = teacher(world)
        item_codes = [f"D{d}.C{c}" for d in (1, 2) for c in (1, 2, 3)][:count]
        made = [
            goal_from_score(actor=actor, kind=OriginKind.OBSERVATION_ITEM, source_id=lesson.pk, code=code).goal
            for code in item_codes
        ]
        assessment = measurement(
            world.teacher,
            version,
            {"D1.C1.I1": 1, "D1.C1.I2": 1, "D1.C2.I1": 1},
            finished_at=timezone.now() - datetime.timedelta(days=9),
        )
        made += [
            goal_from_score(actor=actor, kind=OriginKind.INDICATOR, source_id=assessment.pk, code=code).goal
            for code in ["D1.C1.I1", "D1.C1.I2", "D1.C2.I1"][:count]
        ]
        return [to_check(world, goal) for goal in made]

    few_goals = goals(1)
    visit(world, {"D1.C1": 3})
    measurement(world.teacher, version, {"D1.C1.I1": 3})
    with CaptureQueriesContext(connection) as few:
        assert len(goals_before_after(goals=few_goals)) == 2
    many_goals = few_goals + goals(3)
    visit(world, {f"D{d}.C{c}": 4 for d in (1, 2) for c in (1, 2, 3)})
    measurement(world.teacher, version, {"D1.C1.I1": 4, "D1.C1.I2": 4, "D1.C2.I1": 4})
    with CaptureQueriesContext(connection) as many:
        result = goals_before_after(goals=many_goals)
    assert len(result) == 8 and all(r.after is not None for r in result.values())
    assert len(many) == len(few) == 5
