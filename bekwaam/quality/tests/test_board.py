"""The bestuur's overview: the grid's "latest" on both sides, flags, overdue actions, coming inspections,
who may open it, and a fixed number of queries however many schools a board has."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.quality.models import ActionPhase, EvaluationKind, EvaluationState, InspectionJudgement
from bekwaam.quality.selectors.board import board_grid_for
from bekwaam.quality.tests.factories import evaluation_build, flag_build, inspection_build, kader_load, scale_build
from bekwaam.quality.tests.factories_plans import action_build, actor_of, goal_build, plan_build, plan_with_action
from bekwaam.tenancy.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
URL = "quality:board-overview"


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


def cell(world: Any, school: Any, code: str) -> Any:
    grid = board_grid_for(actor=actor_of(world.quality_officer))
    row = next(row for row in grid.rows if row.school.pk == school.pk)
    return next(c for c in row.cells if c.standard.code == code)


# --- the grid -----------------------------------------------------------------------------------------


def test_the_latest_final_self_evaluation_wins(world: Any) -> None:
    kader_load()
    evaluation_build(board=world.board_a, school=world.school_a, date=days_ago(200), judgements={"OP2": "Goed"})
    evaluation_build(board=world.board_a, school=world.school_a, date=days_ago(100), judgements={"OP2": "Onvoldoende"})
    evaluation_build(
        board=world.board_a,
        school=world.school_a,
        date=days_ago(1),
        judgements={"OP2": "Voldoende"},
        state=EvaluationState.DRAFT,  # a draft does not count
    )
    own = cell(world, world.school_a, "OP2").own
    assert (own.label, own.date) == ("Onvoldoende", days_ago(100))


def test_a_nu_meting_counts_and_an_unjudged_standard_keeps_the_older_judgement(world: Any) -> None:
    kader_load()
    evaluation_build(
        board=world.board_a, school=world.school_a, date=days_ago(300), judgements={"OP2": "Goed", "VS1": "Goed"}
    )
    evaluation_build(
        board=world.board_a,
        school=world.school_a,
        date=days_ago(10),
        kind=EvaluationKind.SNAPSHOT,
        judgements={"OP2": "Onvoldoende"},  # VS1 not judged in the nu-meting
    )
    assert cell(world, world.school_a, "OP2").own.label == "Onvoldoende"
    vs1 = cell(world, world.school_a, "VS1").own
    assert (vs1.label, vs1.date) == ("Goed", days_ago(300))


def test_inspection_and_self_evaluation_side_by_side(world: Any) -> None:
    kader_load()
    evaluation_build(board=world.board_a, school=world.school_a, date=days_ago(30), judgements={"OP3": "Goed"})
    inspection_build(board=world.board_a, school=world.school_a, date=days_ago(400), judgements={"OP3": "sufficient"})
    inspection_build(board=world.board_a, school=world.school_a, date=days_ago(60), judgements={"OP3": "insufficient"})
    inspection_build(board=world.board_a, school=world.school_a, date=TODAY() + datetime.timedelta(days=20))
    op3 = cell(world, world.school_a, "OP3")
    assert (op3.own.label, op3.own.date) == ("Goed", days_ago(30))
    assert (op3.inspection.value, op3.inspection.date) == (InspectionJudgement.INSUFFICIENT, days_ago(60))
    assert op3.inspection_weak
    empty = cell(world, world.school_a2, "OP3")
    assert empty.own is None and empty.inspection is None


def test_an_older_version_counts_for_the_same_standard(world: Any) -> None:
    older = kader_load("2021")
    evaluation_build(
        board=world.board_a, school=world.school_a, framework=older, date=days_ago(500), judgements={"OP2": "Voldoende"}
    )
    own = cell(world, world.school_a, "OP2").own
    assert own is not None and own.framework_code == "2021"


def test_columns_are_the_current_school_standards_with_kernstandaarden_marked(world: Any) -> None:
    kader_load()
    grid = board_grid_for(actor=actor_of(world.board_member))
    codes = [s.code for s in grid.standards]
    assert "OP2" in codes and "VS1" in codes and not any(code.startswith("BKA") for code in codes)
    assert {s.code for s in grid.standards if s.is_core} >= {"OP2", "OP3", "VS1", "OR1"}
    assert [row.school for row in grid.rows] == [world.school_a, world.school_a2]  # board B's school is not there


def test_the_page_shows_the_grid_and_links_each_cell_to_the_school_at_the_standard(world: Any, client_for: Any) -> None:
    kader_load()
    evaluation_build(board=world.board_a, school=world.school_a, date=days_ago(3), judgements={"OP2": "Onvoldoende"})
    flag_build(school=world.school_a2, reason="Dalende eindtoetsresultaten")
    response = client_for(world.board_member).get(reverse(URL))
    assert response.status_code == 200
    body = response.content.decode()
    school_url = reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk})
    assert f'href="{school_url}#standard-OP2"' in body
    level = scale_build(world.board_a)["onvoldoende"]
    assert f'data-standard="OP2" data-own="{level.value}" data-own-date="{days_ago(3).isoformat()}"' in body
    assert "Dalende eindtoetsresultaten" in body
    assert 'role="region"' in body and 'class="table-wrap qp-grid-wrap" tabindex="0"' in body


# --- the lists ----------------------------------------------------------------------------------------


def test_it_lists_overdue_actions_and_coming_inspections(world: Any, client_for: Any) -> None:
    plan, goal, late = plan_with_action(
        board=world.board_a,
        school=world.school_a,
        owner=world.teacher,
        start_date=days_ago(90),
        deadline=days_ago(2),
    )
    action_build(goal, phase=ActionPhase.DONE, start_date=days_ago(90), deadline=days_ago(2))  # done: not overdue
    action_build(goal, start_date=days_ago(90), deadline=TODAY())  # due today: not yet overdue
    board_plan = plan_build(board=world.board_a, school=None)
    board_late = action_build(goal_build(board_plan), start_date=days_ago(90), deadline=days_ago(1))
    other_board = plan_build(board=world.board_b, school=world.school_b)
    action_build(goal_build(other_board), start_date=days_ago(90), deadline=days_ago(5))
    today_visit = inspection_build(board=world.board_a, school=world.school_a, date=TODAY())
    later = inspection_build(board=world.board_a, school=world.school_a2, date=TODAY() + datetime.timedelta(days=40))
    inspection_build(board=world.board_a, school=world.school_a, date=days_ago(1))  # held
    inspection_build(board=world.board_b, school=world.school_b, date=TODAY() + datetime.timedelta(days=3))
    overview = client_for(world.quality_officer).get(reverse(URL)).context["overview"]
    assert [a.pk for a in overview.overdue.items] == [late.pk, board_late.pk]
    assert [v.pk for v in overview.upcoming.items] == [today_visit.pk, later.pk]
    assert plan.school == world.school_a


def test_who_opens_the_overview(world: Any, client_for: Any) -> None:
    for persona, status in {
        "board_member": 200,
        "quality_officer": 200,
        "manager": 403,
        "teacher": 403,
        "administrator": 403,
        "outsider_admin": 403,
    }.items():
        assert client_for(world.persona(persona)).get(reverse(URL)).status_code == status, persona


# --- bounded ------------------------------------------------------------------------------------------


def _school_with_history(world: Any, index: int) -> Any:
    school = SchoolFactory(board=world.board_a, name=f"School {index:03d}")
    evaluation_build(board=world.board_a, school=school, date=days_ago(100 + index), judgements={"OP2": "Voldoende"})
    evaluation_build(
        board=world.board_a,
        school=school,
        date=days_ago(index),
        kind=EvaluationKind.SNAPSHOT,
        judgements={"OP3": "Onvoldoende"},
    )
    inspection_build(board=world.board_a, school=school, date=days_ago(50), judgements={"VS1": "insufficient"})
    if index % 5 == 0:
        flag_build(school=school)
        inspection_build(board=world.board_a, school=school, date=TODAY() + datetime.timedelta(days=index))
    _plan, _goal, _action = plan_with_action(
        board=world.board_a, school=school, owner=world.quality_officer, start_date=days_ago(60), deadline=days_ago(1)
    )
    return school


def test_the_overview_takes_the_same_number_of_queries_for_a_large_board(world: Any, client_for: Any) -> None:
    kader_load()
    scale_build(world.board_a)
    client = client_for(world.board_member)
    _school_with_history(world, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(URL)).status_code == 200
    for index in range(1, 100):
        _school_with_history(world, index)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(URL))
    assert response.status_code == 200
    assert len(response.context["grid"].rows) == 102  # + school_a and school_a2 of the world
    assert response.context["overview"].overdue.total == 100
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20
