"""The board grid and the improvement actions as CSV and XLSX, parsed back: what is in them, who gets them,
headers in Dutch, dated file names, and no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from bekwaam.quality.exports import spreadsheet_safe
from bekwaam.quality.models import ActionPhase
from bekwaam.quality.tests.factories import evaluation_build, inspection_build, kader_load, standard
from bekwaam.quality.tests.factories_plans import action_build, check_build, goal_build, plan_build, plan_with_action
from bekwaam.tenancy.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


def rows_of(response: Any) -> list[list[Any]]:
    """The file's rows (header first), from CSV or XLSX alike; XLSX dates as dates."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [
        [value.date() if isinstance(value, datetime.datetime) else ("" if value is None else value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def as_dicts(rows: list[list[Any]]) -> list[dict[str, Any]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def export(client: Any, name: str, fmt: str, **params: Any) -> Any:
    return client.get(reverse(f"quality:{name}"), {"format": fmt, **params})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_grid_export_has_a_row_per_school_and_standard(world: Any, client_for: Any, fmt: str) -> None:
    framework = kader_load()
    evaluation_build(board=world.board_a, school=world.school_a, date=days_ago(40), judgements={"OP2": "Onvoldoende"})
    inspection_build(board=world.board_a, school=world.school_a, date=days_ago(9), judgements={"OP2": "very_weak"})
    response = export(client_for(world.board_member), "board-grid-export", fmt)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-{TODAY().isoformat()}.{fmt}"')
    rows = rows_of(response)
    assert rows[0][0] == nl("School") and rows[0][3] == nl("Standard")
    school_standards = [s for s in framework.standards.all() if s.area.level == "school"]
    assert len(rows) == 1 + 2 * len(school_standards)  # school_a and school_a2, not board B's school
    found = as_dicts(rows)
    op2 = next(r for r in found if r[nl("School")] == world.school_a.name and r[nl("Standard")] == "OP2")
    assert op2[nl("Self-evaluation: judgement")] == "Onvoldoende"
    with translation.override("nl"):
        very_weak = str(gettext("Zeer zwak"))
    assert op2[nl("Inspection: judgement")] == very_weak
    expected_dates = (
        (days_ago(40), days_ago(9)) if fmt == "xlsx" else (days_ago(40).isoformat(), days_ago(9).isoformat())
    )
    assert (op2[nl("Self-evaluation: date")], op2[nl("Inspection: date")]) == expected_dates
    assert op2[nl("Kernstandaard")] == nl("yes") and standard(framework, "OP2").is_core


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_actions_export_lists_every_action_with_its_latest_check(world: Any, client_for: Any, fmt: str) -> None:
    framework = kader_load()
    plan = plan_build(board=world.board_a, school=world.school_a, title="Plan rekenen")
    goal = goal_build(
        plan, title="Beter rekenonderwijs", standards=[standard(framework, "OP0"), standard(framework, "OP3")]
    )
    late = action_build(
        goal, title="Rekenmethode kiezen", owner=world.teacher, start_date=days_ago(30), deadline=days_ago(1)
    )
    check_build(late, text="Oud", days_ago=10)
    check_build(late, text="Drie methodes vergeleken", days_ago=2)
    action_build(goal, title="Klaar", phase=ActionPhase.DONE, start_date=days_ago(30), deadline=days_ago(1))
    plan_with_action(board=world.board_a, school=None)
    plan_with_action(board=world.board_b, school=world.school_b)
    rows = as_dicts(rows_of(export(client_for(world.quality_officer), "actions-export", fmt)))
    assert len(rows) == 3
    first = next(r for r in rows if r[nl("Action")] == "Rekenmethode kiezen")
    assert first[nl("School")] == world.school_a.name
    assert first[nl("Improvement plan")] == "Plan rekenen"
    assert first[nl("Standards")] == "OP0, OP3"
    assert first[nl("Owner")] == world.teacher.full_name
    assert first[nl("Overdue")] == nl("yes")
    assert first[nl("Last check")] == "Drie methodes vergeleken"
    assert first[nl("Deadline")] == (days_ago(1) if fmt == "xlsx" else days_ago(1).isoformat())
    done = next(r for r in rows if r[nl("Action")] == "Klaar")
    assert done[nl("Overdue")] == nl("no")
    assert any(r[nl("School")] == nl("The board itself") for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formula_is_written_as_text(world: Any, client_for: Any, fmt: str) -> None:
    plan = plan_build(board=world.board_a, school=world.school_a, title='=HYPERLINK("http://evil","klik")')
    goal = goal_build(plan, title="+1+1")
    action_build(goal, title="@SUM(A1)")
    action_build(goal, title="-2+3")
    rows = as_dicts(rows_of(export(client_for(world.quality_officer), "actions-export", fmt)))
    assert {r[nl("Improvement plan")] for r in rows} == {'\'=HYPERLINK("http://evil","klik")'}
    assert {r[nl("Goal")] for r in rows} == {"'+1+1"}
    assert {r[nl("Action")] for r in rows} == {"'@SUM(A1)", "'-2+3"}


def test_spreadsheet_safe_leaves_ordinary_values_alone() -> None:
    assert spreadsheet_safe("De Alfaschool") == "De Alfaschool"
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("\t=1") == "'\t=1"
    assert spreadsheet_safe(3) == 3
    assert spreadsheet_safe(None) is None


def test_a_schoolleider_exports_the_actions_of_their_own_school_only(world: Any, client_for: Any) -> None:
    plan_with_action(board=world.board_a, school=world.school_a)
    plan_with_action(board=world.board_a, school=world.school_a2)
    client = client_for(world.manager)
    rows = as_dicts(rows_of(export(client, "actions-export", "csv", school=world.school_a.pk)))
    assert [r[nl("School")] for r in rows] == [world.school_a.name]
    assert export(client, "actions-export", "csv", school=world.school_a2.pk).status_code == 404
    assert export(client, "actions-export", "csv").status_code == 403
    assert export(client, "board-grid-export", "csv").status_code == 403
    assert export(client_for(world.quality_officer), "actions-export", "pdf").status_code == 400


def test_exports_take_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    kader_load()
    client = client_for(world.quality_officer)
    plan_with_action(board=world.board_a, school=world.school_a)
    with CaptureQueriesContext(connection) as grid_few:
        export(client, "board-grid-export", "xlsx")
    with CaptureQueriesContext(connection) as actions_few:
        export(client, "actions-export", "xlsx")
    for index in range(30):
        school = SchoolFactory(board=world.board_a)
        evaluation_build(board=world.board_a, school=school, date=days_ago(index), judgements={"OP2": "Voldoende"})
        _plan, goal, action = plan_with_action(board=world.board_a, school=school, owner=world.quality_officer)
        goal.standards.set([standard(kader_load(), "OP2")])
        check_build(action)
    with CaptureQueriesContext(connection) as grid_many:
        export(client, "board-grid-export", "xlsx")
    with CaptureQueriesContext(connection) as actions_many:
        response = export(client, "actions-export", "xlsx")
    assert len(rows_of(response)) == 32
    assert len(grid_many) == len(grid_few)
    assert len(actions_many) == len(actions_few)
