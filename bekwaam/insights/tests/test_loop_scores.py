"""The person's own low scores (insights.selectors.loop.low_scores_for): which sources, the lower half of each
scale, what is never the actor's to see, the order and the cap, and a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from bekwaam.feedback.models import Relation, RoundState
from bekwaam.feedback.tests.factories import questions_of, response_build
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.models import OriginKind
from bekwaam.insights.selectors.loop import LOW_SCORES_MAX, _share, is_low, low_scores_for
from bekwaam.insights.services.loop import goal_from_score
from bekwaam.insights.tests.factories_loop import closed_round, competences, kijkwijzer, measurement, visit
from bekwaam.observations.models import ObservationKind, ObservationState
from bekwaam.observations.tests.factories import instrument_build
from bekwaam.tenancy.context import Actor, actor_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def teacher(world: Any) -> Actor:
    return actor_for(world.teacher, f"board:{world.board_a.pk}")


def codes(scores: list[Any]) -> list[tuple[str, str]]:
    return [(score.kind, score.code) for score in scores]


@pytest.mark.parametrize(
    ("low", "high", "lows"),
    [(1, 4, {1, 2}), (1, 5, {1, 2}), (1, 3, {1}), (0, 4, {0, 1}), (1, 6, {1, 2, 3}), (1, 2, {1})],
)
def test_it_calls_low_what_lies_below_the_middle_of_the_scale(low: int, high: int, lows: set[int]) -> None:
    found = {v for v in range(low, high + 1) if is_low(value=Decimal(v), scale_min=low, scale_max=high)}
    assert found == lows


def test_it_calls_a_mean_low_only_below_the_middle() -> None:
    assert is_low(value=Decimal("2.49"), scale_min=1, scale_max=4)
    assert not is_low(value=Decimal("2.50"), scale_min=1, scale_max=4)
    assert not is_low(value=Decimal("3.00"), scale_min=1, scale_max=5)


def test_it_lists_the_low_items_of_the_latest_visit_lowest_first(world: Any) -> None:
    visit(world, {"D1.C1": 4, "D1.C2": 1}, date=TODAY - datetime.timedelta(days=30))
    latest = visit(world, {"D1.C1": 2, "D1.C2": 3, "D1.C3": 1, "D2.C1": None, "D2.C2": 4})
    with translation.override("en"):
        scores = low_scores_for(actor=teacher(world))
    assert codes(scores) == [(OriginKind.OBSERVATION_ITEM, "D1.C3"), (OriginKind.OBSERVATION_ITEM, "D1.C1")]
    first = scores[0]
    assert first.source_id == str(latest.pk)
    assert (first.value, first.scale_max, first.framework_slug) == (Decimal(1), 4, "test-kijkwijzer")
    assert first.label == "Competentie 1.3"
    assert first.source_label == f"Lesson visit of {TODAY:%d-%m-%Y}"
    assert first.goal_id is None


def test_it_uses_the_scale_of_the_visits_own_kijkwijzer(world: Any) -> None:
    five = instrument_build(board=world.board_a, slug="vijf-punten")
    five.scale_levels.create(board=world.board_a, value=5, label="Uitstekend")
    visit(world, {"D1.C1": 2, "D1.C2": 3, "D1.C3": 1}, instrument=five)
    assert [(s.code, s.scale_max) for s in low_scores_for(actor=teacher(world))] == [("D1.C3", 5), ("D1.C1", 5)]


@pytest.mark.parametrize(
    "build",
    [
        pytest.param({"state": ObservationState.IN_PROGRESS}, id="not put forward"),
        pytest.param({"state": ObservationState.PLANNED}, id="planned"),
        pytest.param({"state": ObservationState.CANCELLED}, id="cancelled"),
        pytest.param({"kind": ObservationKind.PEER, "observer": "colleague"}, id="peer visit"),
    ],
)
def test_it_leaves_out_visits_the_teacher_does_not_see_scored(world: Any, build: dict[str, Any]) -> None:
    if "observer" in build:
        build["observer"] = world.persona(build["observer"])
    visit(world, {"D1.C1": 1}, **build)
    assert low_scores_for(actor=teacher(world)) == []


def test_it_leaves_out_a_second_observers_calibration_scoring(world: Any) -> None:
    first = visit(world, {"D1.C1": 3}, date=TODAY - datetime.timedelta(days=1))
    visit(world, {"D1.C1": 1}, observer=world.quality_officer, calibrates=first)
    assert low_scores_for(actor=teacher(world)) == []


def test_it_leaves_out_other_peoples_visits_measurements_and_rounds(world: Any) -> None:
    visit(world, {"D1.C1": 1}, teacher=world.colleague)
    measurement(world.colleague, competences(world.board_a), {"D1.C1.I1": 1})
    closed_round(world.colleague, world.board_a, {"D1.C1": 1})
    assert low_scores_for(actor=teacher(world)) == []
    assert codes(low_scores_for(actor=actor_for(world.colleague, None))) == [
        (OriginKind.FEEDBACK_COMPETENCE, "D1.C1"),
        (OriginKind.INDICATOR, "D1.C1.I1"),
        (OriginKind.OBSERVATION_ITEM, "D1.C1"),
    ]


def test_it_lists_the_low_indicators_of_the_latest_finished_measurement(world: Any) -> None:
    version = competences(world.board_a)
    old = timezone.now() - datetime.timedelta(days=60)
    measurement(world.teacher, version, {"D1.C1.I1": 1, "D1.C1.I2": 1}, finished_at=old)
    latest = measurement(world.teacher, version, {"D1.C1.I1": 3, "D1.C1.I2": 2, "D1.C2.I1": None, "D2.C1.I1": 1})
    measurement(world.teacher, version, {"D1.C1.I1": 1}, finished=False)  # a draft counts for nothing
    scores = low_scores_for(actor=teacher(world))
    assert codes(scores) == [(OriginKind.INDICATOR, "D2.C1.I1"), (OriginKind.INDICATOR, "D1.C1.I2")]
    assert scores[0].source_id == str(latest.pk)
    assert scores[0].label == "Indicator 2.1.1"


def test_it_lists_the_competences_where_others_mean_is_low(world: Any) -> None:
    round_ = closed_round(world.teacher, world.board_a, {"D1.C1": 2, "D1.C2": 3, "D2.C1": 1, "D2.C2": 4})
    scores = low_scores_for(actor=teacher(world))
    assert codes(scores) == [(OriginKind.FEEDBACK_COMPETENCE, "D2.C1"), (OriginKind.FEEDBACK_COMPETENCE, "D1.C1")]
    assert scores[0].source_id == str(round_.pk)
    assert scores[0].value == Decimal(1)


def test_it_weighs_the_shown_groups_and_leaves_out_self_and_named_managers(world: Any) -> None:
    round_ = closed_round(world.teacher, world.board_a, {"D1.C1": 2, "D1.C2": 4, "D2.C1": 4, "D2.C2": 4})
    question = questions_of(round_)[0]
    for _number in range(3):
        response_build(round_, relation=Relation.PARENT, values={question: 1})
    response_build(round_, relation=Relation.MANAGER, values={question: 4}, named=True)
    [score] = low_scores_for(actor=teacher(world))
    assert score.value == Decimal("1.50")  # (3 x 2 + 3 x 1) / 6; the self-rating of 4 and the named 4 are not in it


def test_it_never_reads_a_mean_of_fewer_answers_than_the_threshold(world: Any, settings: Any) -> None:
    settings.FEEDBACK_MIN_GROUP_SIZE = 3
    closed_round(world.teacher, world.board_a, {"D1.C1": 1}, answers=2)
    assert low_scores_for(actor=teacher(world)) == []


def test_it_reads_only_closed_rounds(world: Any) -> None:
    closed_round(world.teacher, world.board_a, {"D1.C1": 1}, state=RoundState.OPEN)
    assert low_scores_for(actor=teacher(world)) == []


def test_it_puts_the_newest_source_first_and_shares_the_places(world: Any) -> None:
    version = competences(world.board_a)
    all_low = {f"D{d}.C{c}.I{i}": 1 for d in (1, 2) for c in (1, 2) for i in (1, 2)}
    measurement(world.teacher, version, all_low, finished_at=timezone.now() - datetime.timedelta(days=10))
    visit(world, {f"D{d}.C{c}": 1 for d in (1, 2) for c in (1, 2, 3)}, date=TODAY - datetime.timedelta(days=5))
    closed_round(world.teacher, world.board_a, {"D1.C1": 1, "D1.C2": 1, "D2.C1": 1, "D2.C2": 2})
    scores = low_scores_for(actor=teacher(world))
    assert len(scores) == LOW_SCORES_MAX
    kinds = [score.kind for score in scores]
    assert (
        kinds == [OriginKind.FEEDBACK_COMPETENCE] * 3 + [OriginKind.OBSERVATION_ITEM] * 3 + [OriginKind.INDICATOR] * 2
    )


def test_it_shares_places_in_turns_and_gives_unused_ones_to_the_others() -> None:
    assert _share([[1, 2, 3, 4, 5], [6], [7, 8, 9, 10]], 8) == [1, 2, 3, 4, 6, 7, 8, 9]  # type: ignore[list-item]
    assert _share([[1, 2], []], 8) == [1, 2]  # type: ignore[list-item]


def test_it_says_which_scores_are_a_goal_already(world: Any) -> None:
    latest = visit(world, {"D1.C1": 1, "D1.C2": 2})
    made = goal_from_score(actor=teacher(world), kind=OriginKind.OBSERVATION_ITEM, source_id=latest.pk, code="D1.C1")
    scores = {score.code: score.goal_id for score in low_scores_for(actor=teacher(world))}
    assert scores == {"D1.C1": str(made.goal.pk), "D1.C2": None}


def test_it_stays_at_the_active_board(world: Any) -> None:
    visit(world, {"D1.C1": 1})
    assert low_scores_for(actor=actor_for(world.outsider, None)) == []


def fill(world: Any, items: int) -> None:
    instrument = kijkwijzer(world.board_a, slug=f"kijkwijzer-{items}")
    visit(world, {f"D{d}.C{c}": 1 for d in (1, 2) for c in (1, 2, 3)}, instrument=instrument)
    version = framework_version_build(board=world.board_a, slug=f"kader-{items}", competences=items, indicators=items)
    codes_ = [f"D{d}.C{c}.I{i}" for d in (1, 2) for c in range(1, items + 1) for i in range(1, items + 1)]
    measurement(world.teacher, version, dict.fromkeys(codes_, 1))
    closed_round(world.teacher, world.board_a, dict.fromkeys([f"D1.C{c}" for c in range(1, 3)], 1), version=version)


def test_it_reads_the_scores_in_a_fixed_number_of_queries(world: Any) -> None:
    actor = teacher(world)
    fill(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert low_scores_for(actor=actor)
    fill(world, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(low_scores_for(actor=actor)) == LOW_SCORES_MAX
    assert len(many) == len(few) <= 25, [q["sql"] for q in many.captured_queries]
