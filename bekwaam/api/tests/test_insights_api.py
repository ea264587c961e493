"""The read-only API over the team, school and board figures: the pages' rules, selectors and refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bekwaam.conversations.models import ConversationState
from bekwaam.insights.services.release import refresh
from bekwaam.insights.tests.factories_groups import (
    SLUG,
    conversation_in,
    framework_build,
    measurements_build,
    staff_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(world: Any) -> None:
    version = framework_build(world.board_a)
    team = staff_build(school=world.school_a, count=5, manager=world.manager)
    for person, level in zip(team, [1, 2, 3, 4, 4], strict=True):
        measurements_build(people=[person], version=version, levels=[level, 2])
        conversation_in(ConversationState.SIGNED, employee=person, manager=world.manager)
    measurements_build(people=staff_build(school=world.school_a2, count=3), version=version)
    refresh(board=world.board_a)


def group(payload: dict[str, Any], metric: str, name: str) -> dict[str, Any]:
    found = next(slice_ for slice_ in payload["slices"] if slice_["metric"] == metric)
    return next(entry for entry in found["groups"] if entry["group"] == name)


def test_the_board_lists_every_metric_group_and_year_with_withheld_schools_without_numbers(
    world: Any, released: None, client_for: Any
) -> None:
    response = client_for(world.board_member).get(reverse("api:insights-board"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    payload = response.json()
    assert (payload["scope"], payload["minimum_group_size"]) == ("board", 5)
    assert [slice_["metric"] for slice_ in payload["slices"]] == ["measurement", "conversations"]
    board = group(payload, "measurement", "board")
    year = board["years"][0]
    assert (year["year"], year["status"]) == (2025, "shown")
    d1 = next(d for d in year["dimensions"] if d["code"] == "D1")
    assert (d1["people"], d1["records"], d1["mean"], d1["counts"]) == (5, 5, "2.800", [1, 1, 1, 2])
    withheld = group(payload, "measurement", f"school:{world.school_a2.pk}")
    assert withheld["years"] == [
        {
            "year": 2025,
            "label": "2025-2026",
            "status": "withheld",
            "reason": withheld["years"][0]["reason"],
            "figures_as_of": None,
            "dimensions": [],
        }
    ]
    assert withheld["years"][0]["reason"]
    signed = group(payload, "conversations", "board")["years"][0]["dimensions"]
    assert {(d["code"], d["people"], d["mean"]) for d in signed} == {
        ("development:planned", 5, None),
        ("development:held", 5, None),
        ("development:signed", 5, None),
    }


def test_the_choices_narrow_the_answer_to_one_metric_and_year(world: Any, released: None, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    payload = client.get(reverse("api:insights-board") + f"?metric=measurement&framework={SLUG}&year=2024").json()
    assert [slice_["metric"] for slice_ in payload["slices"]] == ["measurement"]
    assert group(payload, "measurement", "board")["years"] == [
        {
            "year": 2024,
            "label": "2024-2025",
            "status": "withheld",
            "reason": group(payload, "measurement", "board")["years"][0]["reason"],
            "figures_as_of": None,
            "dimensions": [],
        }
    ]


@pytest.mark.parametrize(
    "query", ["person={teacher}", "team={manager}", "school={school}", "year=2025&year=2024", "year=nul", "metric=x"]
)
def test_it_refuses_what_the_pages_refuse(world: Any, released: None, client_for: Any, query: str) -> None:
    query = query.format(teacher=world.teacher.pk, manager=world.manager.pk, school=world.school_a2.pk)
    response = client_for(world.board_member).get(reverse("api:insights-board") + "?" + query)
    assert response.status_code == 400
    assert "detail" in response.json() and "slices" not in response.json()


def test_the_rules_are_the_pages_rules(world: Any, released: None, client_for: Any) -> None:
    assert client_for(world.teacher).get(reverse("api:insights-board")).status_code == 403
    assert Client().get(reverse("api:insights-board")).status_code == 403
    school_b = reverse("api:insights-school", kwargs={"school_id": world.school_b.pk})
    assert client_for(world.board_member).get(school_b).status_code == 404
    manager = client_for(world.manager)
    own = manager.get(reverse("api:insights-school", kwargs={"school_id": world.school_a.pk}))
    assert own.status_code == 200 and own.json()["scope"] == "school"
    assert manager.get(reverse("api:insights-school", kwargs={"school_id": world.school_a2.pk})).status_code == 404
    team = manager.get(reverse("api:insights-team")).json()
    assert team["scope"] == "team"
    assert [entry["group"] for slice_ in team["slices"] for entry in slice_["groups"]] == [
        f"team:{world.manager.pk}",
        f"team:{world.manager.pk}",
    ]


def test_the_schema_describes_the_insights_endpoints(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).get(reverse("api:schema"))
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/insights/board/", "/api/v1/insights/schools/{school_id}/", "/api/v1/insights/team/"):
        assert path in text
    assert Client().get(reverse("api:schema")).status_code == 403
