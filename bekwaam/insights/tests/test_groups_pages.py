"""The team, school and board pages: who sees which group, what is withheld and why, bounded queries.

Figures come from a refresh over rows the apps make (factories_groups). Pages are read through their data
attributes and the Dutch they show (gettext inside translation.override("nl")).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from bekwaam.accounts.testing import sign_in
from bekwaam.conversations.models import ConversationKind, ConversationState
from bekwaam.insights.models import Contribution, RefreshRun
from bekwaam.insights.services.release import refresh
from bekwaam.insights.tests.factories_groups import (
    SLUG,
    YEAR,
    conversation_in,
    framework_build,
    measurements_build,
    staff_build,
    visit_build,
)
from bekwaam.observations.tests.factories import instrument_build
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, SchoolFactory, with_totp

pytestmark = pytest.mark.django_db


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def page(client: Any, name: str, query: str = "", **kwargs: Any) -> Any:
    return client.get(reverse(name, kwargs=kwargs) + (f"?{query}" if query else ""))


def text_of(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def version(world: Any) -> Any:
    return framework_build(world.board_a)


@pytest.fixture
def figures(world: Any, version: Any) -> dict[str, Any]:
    """school_a: six people led by the manager (levels 1-4 on D1, 3 on D2); school_a2: four people (withheld)."""
    team = staff_build(school=world.school_a, count=6, manager=world.manager, prefix="team")
    for person, level in zip(team, [1, 2, 3, 4, 4, 3], strict=True):
        measurements_build(people=[person], version=version, levels=[level, 3])
    small = staff_build(school=world.school_a2, count=4, prefix="klein")
    measurements_build(people=small, version=version, levels=[1, 1])
    refresh(board=world.board_a)
    return {"team": team, "small": small}


# --- the board page ------------------------------------------------------------------------------------------


def test_the_board_page_shows_the_board_and_each_school_and_names_the_withheld_ones(
    world: Any, figures: Any, client_for: Any
) -> None:
    response = page(client_for(world.board_member), "insights:board")
    assert response.status_code == 200
    insights = response.context["insights"]
    assert (insights.selection.metric, insights.selection.framework_slug, insights.selection.year) == (
        "measurement",
        SLUG,
        YEAR,
    )
    body = text_of(response)
    # The board total: school_a's six people only (the four of school_a2 would show through it).
    assert 'data-dimension="D1" data-counts="1,1,2,2" data-people="6" data-records="6" data-mean="2.833"' in body
    assert f'data-school="{world.school_a.pk}" data-dimension="D1" data-counts="1,1,2,2"' in body
    withheld = insights.withheld_schools
    assert [series.school for series in withheld] == [world.school_a2]
    assert f'<li data-school="{world.school_a2.pk}">{escape(world.school_a2.name)}</li>' in body
    assert 'data-testid="as-of"' in body and 'svg xmlns="http://www.w3.org/2000/svg" class="chart' in body
    assert 'id="chart-distribution"' in body and 'id="chart-schools-1"' in body
    assert f'data-school="{world.school_a2.pk}" data-dimension' not in body  # no figure of the small school
    assert "klein" not in body and world.teacher.family_name not in body  # nobody is named


def test_a_board_without_released_figures_says_they_are_withheld_and_why(
    world: Any, version: Any, client_for: Any
) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=4), version=version)
    refresh(board=world.board_a)
    response = page(client_for(world.quality_officer), "insights:board")
    assert response.status_code == 200
    body = text_of(response)
    assert 'data-testid="withheld"' in body and 'data-shown="0"' in body
    assert escape(dutch("Withheld")) in body
    assert "data-counts" not in body


def test_the_board_page_shows_the_conversation_cycle_as_people_per_milestone(world: Any, client_for: Any) -> None:
    people = staff_build(school=world.school_a, count=5, manager=world.manager)
    for person in people:
        conversation_in(ConversationState.SIGNED, employee=person, manager=world.manager)
    conversation_in(
        ConversationState.PLANNED, employee=people[0], manager=world.manager, kind=ConversationKind.PERFORMANCE
    )
    refresh(board=world.board_a)
    response = page(client_for(world.board_member), "insights:board", "metric=conversations")
    assert response.status_code == 200
    body = text_of(response)
    for milestone in ("planned", "held", "signed"):
        assert f'data-dimension="development:{milestone}" data-people="5" data-records="5"' in body
    assert "performance:planned" not in body  # one person: not released anywhere


def test_the_board_page_shows_lesson_visits_per_domain(world: Any, client_for: Any) -> None:
    instrument = instrument_build(board=world.board_a, domains=2, items=1)
    for n, teacher in enumerate(staff_build(school=world.school_a, count=5, manager=world.manager)):
        visit_build(teacher=teacher, observer=world.quality_officer, instrument=instrument, scores=[1 + n % 4, 4])
    refresh(board=world.board_a)
    response = page(client_for(world.quality_officer), "insights:board", "metric=observation")
    body = text_of(response)
    assert response.context["insights"].selection.framework_slug == "test-kijkwijzer"
    assert 'data-dimension="D1" data-counts="2,1,1,1" data-people="5"' in body
    assert 'data-dimension="D2" data-counts="0,0,0,5" data-people="5"' in body


def test_the_trend_shows_every_school_year_and_the_withheld_ones(world: Any, version: Any, client_for: Any) -> None:
    people = staff_build(school=world.school_a, count=5)
    measurements_build(people=people, version=version, levels=2, day=datetime.date(2023, 10, 1))
    measurements_build(people=people[:3], version=version, levels=2, day=datetime.date(2024, 10, 1))
    measurements_build(people=people, version=version, levels=4)
    refresh(board=world.board_a)
    body = text_of(page(client_for(world.board_member), "insights:board"))
    assert '<tr data-year="2023" data-shown="1">' in body
    assert '<tr data-year="2024" data-shown="0">' not in body  # a year with nothing released anywhere is not offered
    assert '<tr data-year="2025" data-shown="1">' in body
    body = text_of(page(client_for(world.board_member), "insights:board", "year=2024"))
    assert '<tr data-year="2024" data-shown="0">' in body and 'data-testid="withheld"' in body


def test_refresh_now_counts_new_records_and_comes_back_to_the_page(world: Any, version: Any, client_for: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=5), version=version)
    client = client_for(world.board_member)
    assert page(client, "insights:board").context["insights"].current is None
    response = client.post(reverse("insights:board_refresh"))
    assert response.status_code == 302 and response["Location"] == reverse("insights:board")
    assert RefreshRun.objects.filter(board=world.board_a, finished_at__isnull=False).count() == 1
    assert page(client, "insights:board").context["insights"].current is not None
    assert client.get(reverse("insights:board_refresh")).status_code == 405


# --- who sees what ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "administrator", "outsider_admin", "outsider", "assessor", "manager"])
def test_only_board_viewers_open_the_board_page(world: Any, figures: Any, client_for: Any, persona: str) -> None:
    assert page(client_for(world.persona(persona)), "insights:board").status_code == 403


def test_a_bestuurder_of_board_a_does_not_find_a_school_of_board_b(world: Any, figures: Any, client_for: Any) -> None:
    client = client_for(world.board_member)
    assert page(client, "insights:school", school_id=world.school_b.pk).status_code == 404
    assert page(client, "insights:school", school_id=999_999).status_code == 404
    other = with_totp(PersonFactory(email="bestuur@beta.nl"))
    RoleGrantFactory(person=other, board=world.board_b, role=Role.BOARD_MEMBER)
    assert page(client_for(other), "insights:school", school_id=world.school_a.pk).status_code == 404


def test_a_teacher_gets_403_on_the_school_and_team_pages(world: Any, figures: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    assert page(client, "insights:school", school_id=world.school_a.pk).status_code == 403
    assert page(client, "insights:team").status_code == 403


def test_a_schoolleider_sees_the_school_they_manage_and_no_other(world: Any, figures: Any, client_for: Any) -> None:
    client = client_for(world.manager)
    response = page(client, "insights:school", school_id=world.school_a.pk)
    assert response.status_code == 200
    assert 'data-dimension="D1" data-counts="1,1,2,2" data-people="6"' in text_of(response)
    assert page(client, "insights:school", school_id=world.school_a2.pk).status_code == 404


def test_a_board_viewer_sees_a_withheld_school_saying_why(world: Any, figures: Any, client_for: Any) -> None:
    response = page(client_for(world.board_member), "insights:school", school_id=world.school_a2.pk)
    assert response.status_code == 200
    body = text_of(response)
    assert 'data-testid="withheld"' in body and "data-counts" not in body


def test_a_leidinggevende_sees_only_their_own_team(world: Any, version: Any, client_for: Any) -> None:
    mine = staff_build(school=world.school_a, count=5, manager=world.manager, prefix="mijn")
    measurements_build(people=mine, version=version, levels=[2, 2])
    other_leader = with_totp(PersonFactory(email="andere@alfa.nl"))
    EmploymentFactory(person=other_leader, school=world.school_a, function="director")
    theirs = staff_build(school=world.school_a, count=5, manager=other_leader, prefix="hun")
    measurements_build(people=theirs, version=version, levels=[4, 4])
    refresh(board=world.board_a)
    response = page(client_for(world.manager), "insights:team")
    assert response.status_code == 200
    insights = response.context["insights"]
    assert insights.main.group == f"team:{world.manager.pk}"
    body = text_of(response)
    assert 'data-dimension="D1" data-counts="0,5,0,0" data-people="5"' in body
    assert "0,0,0,5" not in body
    other = page(client_for(other_leader), "insights:team")
    assert 'data-dimension="D1" data-counts="0,0,0,5" data-people="5"' in text_of(other)


def test_a_team_of_four_is_withheld_on_the_team_page(world: Any, version: Any, client_for: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=4, manager=world.manager), version=version)
    measurements_build(people=staff_build(school=world.school_a, count=5), version=version)
    refresh(board=world.board_a)
    body = text_of(page(client_for(world.manager), "insights:team"))
    assert 'data-testid="withheld"' in body and "data-counts" not in body


# --- the address chooses, it never narrows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("insights:board", "person={teacher}"),
        ("insights:board", "school={school}"),
        ("insights:board", "team={manager}"),
        ("insights:board", "year=2025&year=2024"),
        ("insights:board", "start=2025-09-01"),
        ("insights:board_csv", "person={teacher}"),
        ("insights:board_pdf", "group=team"),
        ("insights:team", "team={board_member}"),
        ("insights:team", "person={teacher}"),
        ("insights:team_csv", "manager={board_member}"),
        ("insights:school", "person={teacher}"),
    ],
)
def test_a_parameter_that_would_narrow_a_group_is_refused_with_a_message(
    world: Any, figures: Any, client_for: Any, name: str, query: str
) -> None:
    persona = "manager" if name.startswith("insights:team") else "board_member"
    kwargs = {"school_id": world.school_a.pk} if name == "insights:school" else {}
    query = query.format(
        teacher=world.teacher.pk,
        school=world.school_a2.pk,
        manager=world.manager.pk,
        board_member=world.board_member.pk,
    )
    response = page(client_for(world.persona(persona)), name, query, **kwargs)
    assert response.status_code == 400
    body = text_of(response)
    assert escape(dutch("These figures cannot be narrowed down")) in body
    assert 'data-testid="refused"' in body
    assert "data-counts" not in body and "data-people" not in body


@pytest.mark.parametrize("year", ["twintig", "1999", "20255", "-1", "2025.0", "２０２５"])
def test_a_school_year_that_is_not_one_is_refused_with_a_message(
    world: Any, figures: Any, client_for: Any, year: str
) -> None:
    response = page(client_for(world.board_member), "insights:board", f"year={year}")
    assert response.status_code == 400
    body = text_of(response)
    assert escape(dutch("Choose a school year: the year it began, such as 2025 for 2025-2026.")) in body
    assert "data-counts" not in body


def test_an_unknown_measure_or_framework_is_refused(world: Any, figures: Any, client_for: Any) -> None:
    client = client_for(world.board_member)
    response = page(client, "insights:board", "metric=salaris")
    assert response.status_code == 400 and escape(dutch("Choose one of the measures.")) in text_of(response)
    response = page(client, "insights:board", "metric=measurement&framework=geen-kader")
    assert response.status_code == 400
    assert escape(dutch("Choose one of the frameworks with figures.")) in text_of(response)


def test_a_school_year_without_figures_is_shown_as_withheld(world: Any, figures: Any, client_for: Any) -> None:
    response = page(client_for(world.board_member), "insights:board", "year=2010")
    assert response.status_code == 200
    assert 'data-testid="withheld"' in text_of(response)
    assert "data-counts" not in text_of(response)


def test_the_figures_of_fewer_than_five_never_appear_whatever_the_address(
    world: Any, figures: Any, client_for: Any
) -> None:
    """The four people of school_a2 (all level 1 on D1 and D2): no page, in no variant, shows a 4 or their level."""
    client = client_for(world.board_member)
    for query in ("", "year=2025", "metric=measurement", f"metric=measurement&framework={SLUG}&year=2025"):
        for name, kwargs in (
            ("insights:board", {}),
            ("insights:school", {"school_id": world.school_a2.pk}),
            ("insights:board_csv", {}),
            ("insights:school_csv", {"school_id": world.school_a2.pk}),
        ):
            body = text_of(page(client, name, query, **kwargs))
            assert 'data-people="4"' not in body and ";4;4;" not in body
    small = Contribution.objects.filter(person__in=figures["small"])
    assert set(small.values_list("school_version", "board_version")) == {(None, None)}


# --- bounded queries -------------------------------------------------------------------------------------------


def count_queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_board_page_runs_the_same_number_of_queries_for_5_and_60_schools(
    world: Any, version: Any, django_assert_max_num_queries: Any
) -> None:
    def schools(count: int) -> None:
        for _n in range(count):
            school = SchoolFactory(board=world.board_a)
            measurements_build(people=staff_build(school=school, count=5, manager=world.manager), version=version)
        refresh(board=world.board_a)

    client = sign_in(Client(), world.board_member)
    schools(5)
    paths = [
        reverse("insights:board"),
        reverse("insights:board_csv"),
        reverse("insights:school", kwargs={"school_id": world.school_a.pk}),
        reverse("insights:team"),
    ]
    manager = sign_in(Client(), world.manager)
    few = [count_queries(client, path) for path in paths[:3]] + [count_queries(manager, paths[3])]
    assert page(client, "insights:board").context["insights"].shown_schools.__len__() == 5
    schools(55)
    many = [count_queries(client, path) for path in paths[:3]] + [count_queries(manager, paths[3])]
    assert len(page(client, "insights:board").context["insights"].shown_schools) == 60
    assert many == few
    with django_assert_max_num_queries(few[0]):
        client.get(paths[0])


def test_a_rare_conversation_does_not_hold_back_the_others(world: Any, client_for: Any) -> None:
    """One appraisal among five development conversations: the five are shown, the one is not."""
    people = staff_build(school=world.school_a, count=5, manager=world.manager)
    for person in people:
        conversation_in(ConversationState.WITH_EMPLOYEE, employee=person, manager=world.manager)
    conversation_in(
        ConversationState.SIGNED, employee=people[0], manager=world.manager, kind=ConversationKind.APPRAISAL
    )
    refresh(board=world.board_a)
    body = text_of(page(client_for(world.manager), "insights:team", "metric=conversations"))
    assert 'data-dimension="development:held" data-people="5" data-records="5"' in body
    assert "appraisal:" not in body
