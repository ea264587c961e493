"""The CSV exports and the board's PDF: the page's own figures, withheld groups named without numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from bekwaam.insights.services.release import refresh
from bekwaam.insights.tests.factories_groups import SLUG, framework_build, measurements_build, staff_build
from bekwaam.tenancy.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def rows_of(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def released(world: Any) -> dict[str, Any]:
    version = framework_build(world.board_a)
    team = staff_build(school=world.school_a, count=5, manager=world.manager)
    for person, level in zip(team, [1, 2, 3, 4, 4], strict=True):
        measurements_build(people=[person], version=version, levels=[level, 2])
    tricky = SchoolFactory(board=world.board_a, name="=HYPERLINK(evil)")
    measurements_build(people=staff_build(school=tricky, count=2), version=version)
    refresh(board=world.board_a)
    return {"tricky": tricky, "version": version}


def test_the_board_csv_has_the_board_each_school_and_the_withheld_ones(
    world: Any, released: Any, client_for: Any
) -> None:
    response = client_for(world.board_member).get(reverse("insights:board_csv"))
    assert response["Content-Disposition"].startswith('attachment; filename="')
    rows = rows_of(response)
    with translation.override("nl"):
        people, mean, status = gettext("People"), gettext("Mean"), gettext("Status")
        name, code = gettext("Name"), gettext("Code")
    board_d1 = next(row for row in rows if row[name] == "Stichting Alfa" and row[code] == "D1")
    assert (board_d1[people], board_d1[mean]) == ("5", "2,80")
    assert [board_d1[f"{dutch('Level')} {n} {label}"] for n, label in enumerate(("Beginnend", "Basis"), 1)] == [
        "1",
        "1",
    ]
    school_a = [row for row in rows if row[name] == world.school_a.name]
    assert {row[code] for row in school_a} == {"D1", "D2"}
    withheld = [row for row in rows if row[name] in (world.school_a2.name, "'=HYPERLINK(evil)")]
    assert len(withheld) == 2  # one row each, school year 2025-2026, no numbers
    assert all(row[people] == "" and row[status].startswith(dutch("withheld")[:6]) for row in withheld)
    assert not any(row[name].startswith("=") for row in rows)  # a formula is written as text


def test_the_csv_has_exactly_the_figures_of_the_page(world: Any, released: Any, client_for: Any) -> None:
    client = client_for(world.board_member)
    insights = client.get(reverse("insights:board")).context["insights"]
    rows = rows_of(client.get(reverse("insights:board_csv")))
    with translation.override("nl"):
        code, records = gettext("Code"), gettext("Records")
    page_records = sorted(
        figures.records
        for series in (insights.main, *insights.schools)
        for figures in insights.rows_of(series.at(2025))
    )
    assert sorted(int(row[records]) for row in rows if row[code]) == page_records


def test_the_school_and_team_csv_hold_their_own_group_only(world: Any, released: Any, client_for: Any) -> None:
    with translation.override("nl"):
        name, code = gettext("Name"), gettext("Code")
    rows = rows_of(client_for(world.manager).get(reverse("insights:team_csv")))
    assert {row[name] for row in rows} == {world.manager.full_name}
    assert {row[code] for row in rows} == {"D1", "D2"}
    rows = rows_of(
        client_for(world.manager).get(reverse("insights:school_csv", kwargs={"school_id": world.school_a.pk}))
    )
    assert {row[name] for row in rows} == {world.school_a.name}


def test_the_csv_follows_the_chosen_measure_and_refuses_anything_else(
    world: Any, released: Any, client_for: Any
) -> None:
    client = client_for(world.board_member)
    rows = rows_of(client.get(reverse("insights:board_csv") + f"?metric=measurement&framework={SLUG}&year=2025"))
    assert rows
    response = client.get(reverse("insights:board_csv") + f"?person={world.teacher.pk}")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert client.get(reverse("insights:board_csv") + "?year=nul").status_code == 400


def test_the_board_pdf_is_the_board_page(world: Any, released: Any, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    response = client.get(reverse("insights:board_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("insights:board_pdf") + "?team=x").status_code == 400
    assert client_for(world.teacher).get(reverse("insights:board_pdf")).status_code == 403


def test_the_pdf_html_holds_the_figures_and_the_withheld_schools(world: Any, released: Any, client_for: Any) -> None:
    from django.template.loader import render_to_string

    client = client_for(world.board_member)
    context = client.get(reverse("insights:board")).context
    html = render_to_string(
        "insights/groups/board_pdf.html",
        {"insights": context["insights"], "charts": context["charts"], "printed": "2025-10-01"},
    )
    assert 'data-dimension="D1" data-counts="1,1,1,2" data-people="5"' in html
    # Withheld: the school of two, and school_a2 without any record (the page never tells nobody from a few).
    assert f'<li data-school="{world.school_a2.pk}">' in html
    assert f'<li data-school="{released["tricky"].pk}">' in html
    assert f'<li data-school="{world.school_a.pk}">' not in html
    assert "<form" not in html and "<script" not in html
