"""Mijn ontwikkeling as a page and a PDF: who gets it, that it is always one's own whatever the address says,
the chosen parts only, and a number of queries that does not grow with ten years of history."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.selectors.person import FEEDBACK, GOALS, MEASUREMENTS, SECTIONS
from bekwaam.insights.tests.factories_person import (
    appraisal_build,
    completion_build,
    goals_build,
    history_build,
    measurement_build,
    round_with_answers_build,
    visit_build,
)
from bekwaam.insights.views import person as person_views

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MINE = "insights:mine"
PDF = "insights:mine_pdf"


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def nl(text: str) -> str:
    """A text as the page shows it: in Dutch (the default language), HTML-escaped."""
    with translation.override("nl"):
        return escape(translation.gettext(text))


def get(client: Any, name: str = MINE, data: Any = None) -> Any:
    return client.get(reverse(name), data or {})


def shown_sections(html: str) -> list[str]:
    return re.findall(r'data-section="([a-z]+)"', html)


# --- who -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "colleague", "manager", "outsider"])
def test_every_employee_gets_their_own_page(world: Any, client_for: Any, persona: str) -> None:
    response = get(client_for(world.persona(persona)))
    assert response.status_code == 200
    assert shown_sections(response.content.decode()) == list(SECTIONS)


@pytest.mark.parametrize(
    "persona", ["administrator", "board_member", "quality_officer", "assessor", "coach", "operator"]
)
def test_whoever_has_no_dossier_of_their_own_is_refused(world: Any, client_for: Any, persona: str) -> None:
    assert get(client_for(world.persona(persona))).status_code == 403
    assert get(client_for(world.persona(persona)), PDF).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Any) -> None:
    for name in (MINE, PDF):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_it_answers_get_only(world: Any, client_for: Any) -> None:
    assert client_for(world.teacher).post(reverse(MINE)).status_code == 405


# --- always one's own ------------------------------------------------------------------------------------


def test_a_person_in_the_address_changes_nothing(world: Any, client_for: Any) -> None:
    measurement_build(person=world.colleague, board=world.board_a, day=days_ago(3), levels=4)
    completion_build(person=world.colleague, board=world.board_a, day=days_ago(3), title="Module van Cas")
    for params in ({"person": world.colleague.pk}, {"person_id": world.colleague.pk}, {"user": world.colleague.pk}):
        response = get(client_for(world.teacher), data=params)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Module van Cas" not in html
        assert "measurements-table" not in html  # the teacher has no measurement; the colleague's is not shown


def test_another_persons_measurement_ids_are_ignored_and_nothing_leaks(world: Any, client_for: Any) -> None:
    own = measurement_build(person=world.teacher, board=world.board_a, day=days_ago(40), levels=2)
    theirs = [measurement_build(person=world.colleague, board=world.board_a, day=days_ago(n), levels=4) for n in (1, 2)]
    outsider_version = framework_version_build(board=world.board_b)
    outsider = measurement_build(
        person=world.outsider, board=world.board_b, day=days_ago(1), levels=3, version=outsider_version
    )
    their_round = round_with_answers_build(owner=world.colleague, board=world.board_a, day=days_ago(5))
    their_visit = visit_build(teacher=world.colleague, observer=world.manager, board=world.board_a, day=days_ago(5))
    data = {
        "measurement": [*(m.pk for m in theirs), outsider.pk],
        "round": [their_round.pk],
        "visit": [their_visit.pk],
    }
    response = get(client_for(world.teacher), data=data)
    assert response.status_code == 200
    # The address as typed comes back only where a form returns to this page (the language switch, the loop's
    # "make it a goal"): that is the person's own input, not anybody's data.
    html = re.sub(
        r'<input type="hidden" name="next" value="[^"]*">', "", response.content.decode().split("<main", 1)[1]
    )
    for item in (*theirs, outsider, their_round, their_visit):
        assert str(item.pk) not in html  # not shown, not even echoed back in the form or the PDF link
    assert "4,0" not in html and "3,0" not in html  # none of their levels
    assert their_round.title not in html
    with translation.override("nl"):
        told = translation.ngettext(
            "%(count)s chosen measurement is not one of your own finished measurements and was left out.",
            "%(count)s chosen measurements are not among your own finished measurements and were left out.",
            3,
        ) % {"count": 3}
    assert escape(told) in html
    # Their own measurement is shown instead (the latest, as when nothing is chosen).
    assert f'data-column="{own.pk}"' in html
    assert response.context["view"].measurements[0].columns[0].id == str(own.pk)


def test_garbage_and_too_many_values_give_the_page_with_a_word(world: Any, client_for: Any) -> None:
    for n in range(7):
        measurement_build(person=world.teacher, board=world.board_a, day=days_ago(10 * n + 1))
    response = get(client_for(world.teacher), data={"measurement": ["'; drop table", "<script>", "0" * 40]})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
    own = [o.id for o in response.context["view"].options.measurements]
    response = get(client_for(world.teacher), data={"measurement": own, "section": ["measurements", "bogus"]})
    assert response.status_code == 200
    response_ids = [c.id for c in response.context["view"].measurements[0].columns]
    assert sorted(response_ids) == sorted(own[:5])
    assert len(response.context["selection"].notices) == 2  # too many; an unknown part
    html = response.content.decode()
    assert shown_sections(html) == [MEASUREMENTS]
    # Seven to choose from: the list is folded, saying how many are chosen.
    assert re.search(r'<details class="mine-choice__list" data-testid="choice-measurement">', html)
    assert "(5 " in html.split('data-testid="choice-measurement"', 1)[1].split("</summary>", 1)[0]


# --- the chosen parts ------------------------------------------------------------------------------------


def test_it_shows_only_the_chosen_parts_with_a_chart_and_a_table_each(world: Any, client_for: Any) -> None:
    history_build(world, years=2, per_year=2)
    response = get(client_for(world.teacher), data={"section": [GOALS, MEASUREMENTS]})
    html = response.content.decode()
    assert shown_sections(html) == [MEASUREMENTS, GOALS]
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') == 2
    assert 'data-testid="measurements-table"' in html
    assert 'data-testid="goals-table"' in html
    assert 'data-testid="feedback-table"' not in html
    # The PDF link carries exactly this choice.
    pdf_url = response.context["pdf_url"]
    assert pdf_url.startswith(reverse(PDF) + "?section=measurements&section=goals&measurement=")


def test_every_part_has_its_chart_and_table(world: Any, client_for: Any) -> None:
    history_build(world, years=2, per_year=2)
    html = get(client_for(world.teacher)).content.decode()
    for testid in ("measurements-table", "appraisals-table", "visits-table", "feedback-table", "goals-table"):
        assert f'data-testid="{testid}"' in html, testid
    assert 'data-testid="learning-table"' in html
    assert 'data-testid="feedback-rounds-table"' in html  # two rounds: others' mean across them
    # measurements, appraisals, visits, the latest three of four rounds, goals, e-learning
    assert len(re.findall(r'<svg [^>]*role="img"', html)) == 8
    assert 'aria-hidden="true">↑</span>' in html or 'aria-hidden="true">↓</span>' in html


def test_it_compares_three_measurements_with_the_differences(world: Any, client_for: Any) -> None:
    measurements = [
        measurement_build(person=world.teacher, board=world.board_a, day=days_ago(days), levels=level)
        for days, level in ((300, 1), (150, 3), (10, 2))
    ]
    html = get(client_for(world.teacher)).content.decode()
    table = html.split('data-testid="measurements-table"', 1)[1].split("</table>", 1)[0]
    assert re.search(r'data-code="D1" data-values="1.00,3.00,2.00"', table)
    for measurement in measurements:
        assert f'data-column="{measurement.pk}"' in table
    assert table.count('data-change="2.00"') == 6  # A → B for both domains and their four competences
    assert table.count('data-change="-1.00"') == 6
    assert nl("higher") in table and nl("lower") in table  # the change in words, not in colour alone


def test_an_empty_history_says_so_in_every_part(world: Any, client_for: Any) -> None:
    html = get(client_for(world.teacher)).content.decode()
    for testid in ("measurements-empty", "appraisals-empty", "visits-empty", "feedback-empty", "goals-empty"):
        assert f'data-testid="{testid}"' in html
    assert 'data-testid="learning-empty"' in html


def test_a_round_below_the_threshold_shows_no_others_figures_on_the_page(
    world: Any, client_for: Any, settings: Any
) -> None:
    settings.FEEDBACK_MIN_GROUP_SIZE = 3
    round_with_answers_build(
        owner=world.teacher, board=world.board_a, day=days_ago(3), colleagues=((1, 1, 1, 1), (1, 1, 1, 1))
    )
    html = get(client_for(world.teacher), data={"section": FEEDBACK}).content.decode()
    assert 'data-testid="feedback-withheld"' in html
    assert 'data-others="1.00"' not in html
    assert set(re.findall(r'data-others="([^"]*)"', html)) == {"-"}


# --- the PDF ---------------------------------------------------------------------------------------------


@pytest.fixture
def rendered(monkeypatch: Any) -> list[str]:
    """The HTML each PDF is made from (the PDF itself is still made)."""
    pages: list[str] = []
    real = person_views.pdf_render

    def spy(html: str) -> bytes:
        pages.append(html)
        return real(html)

    monkeypatch.setattr(person_views, "pdf_render", spy)
    return pages


def test_the_pdf_holds_exactly_the_chosen_parts(world: Any, client_for: Any, rendered: list[str]) -> None:
    history_build(world, years=1, per_year=2)
    appraisal_build(world, day=days_ago(400))
    response = get(client_for(world.teacher), PDF, data={"section": [MEASUREMENTS, FEEDBACK]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="mijn-ontwikkeling-{TODAY:%Y-%m-%d}.pdf"'
    [html] = rendered
    assert shown_sections(html) == [MEASUREMENTS, FEEDBACK]
    assert len(re.findall(r'<svg [^>]*role="img"', html)) == 3  # one framework; two rounds
    assert 'data-testid="measurements-table"' in html and 'data-testid="feedback-table"' in html
    assert "appraisals-table" not in html and "goals-table" not in html
    assert world.teacher.full_name in html
    assert "<form" not in html  # no choices, no buttons on paper
    assert 'href="/' not in html


def test_the_pdf_of_garbage_choices_is_still_the_persons_own(world: Any, client_for: Any, rendered: list[str]) -> None:
    theirs = measurement_build(person=world.colleague, board=world.board_a, day=days_ago(1))
    response = get(client_for(world.teacher), PDF, data={"measurement": [theirs.pk, "x"], "section": "nope"})
    assert response.status_code == 200
    assert str(theirs.pk) not in rendered[0]
    assert shown_sections(rendered[0]) == list(SECTIONS)


# --- bounded queries -------------------------------------------------------------------------------------


def count_queries(client: Any, name: str = MINE) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get(client, name)
    assert response.status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_ten_years_of_history(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    history_build(world, years=1)
    goals_build(person=world.teacher, board=world.board_a, day=days_ago(1), done=1, open_=1)
    get(client)  # warm: the session and the first request's one-offs
    one_year = count_queries(client)
    history_build(world, years=9, first_back=1)
    ten_years = count_queries(client)
    assert ten_years == one_year
    assert one_year <= 80  # three 360° reports of about ten queries each; everything else a fixed few


def test_names_are_escaped_everywhere(world: Any, client_for: Any, rendered: list[str]) -> None:
    version = framework_version_build(board=world.board_a, slug="kader-x", name='<script>alert(1)</script>"kader')
    measurement_build(person=world.teacher, board=world.board_a, day=days_ago(2), version=version)
    round_with_answers_build(owner=world.teacher, board=world.board_a, day=days_ago(1), title="<b>ronde</b>")
    client = client_for(world.teacher)
    page = get(client).content.decode()
    assert get(client, PDF).status_code == 200
    for html in (page, rendered[0]):
        body = html.split("<body", 1)[1]
        assert "<script>alert" not in body and "<b>ronde" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;kader" in body
        assert "&lt;b&gt;ronde&lt;/b&gt;" in body
