"""The board's calibration overview: per school year and observer, agreement against their partners, counted
by the database in a fixed number of queries; only the kwaliteitsmedewerker opens it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bekwaam.observations.calibration import agreement_of_pairs
from bekwaam.observations.models import ObservationState
from bekwaam.observations.selectors.reports import calibration_overview_for, kappa_band, school_year_expression
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.observations.tests.factories_reports import (
    actor_of,
    calibration_build,
    observer_build,
    teachers_build,
)

pytestmark = pytest.mark.django_db

URL = reverse("observations:calibration-overview")
SCALE = [1, 2, 3, 4]


@pytest.fixture
def instrument(world: Any) -> Any:
    return instrument_build(board=world.board_a)


def calibrated(
    world: Any,
    instrument: Any,
    *,
    first: Any,
    second: Any,
    day: datetime.date,
    a: list[int | None],
    b: list[int | None],
    second_state: str = ObservationState.SUBMITTED,
    first_state: str = ObservationState.SUBMITTED,
    teacher: Any = None,
) -> None:
    visit = observation_build(
        teacher=teacher or world.teacher, observer=first, instrument=instrument, state=first_state, date=day, scores=a
    )
    calibration_build(primary=visit, observer=second, state=second_state, scores=b)


def test_it_shows_agreement_per_observer_and_school_year(world: Any, client_for: Any, instrument: Any) -> None:
    leader = observer_build(board=world.board_a, school=world.school_a2, email="leider2@alfa.nl", given_name="Lies")
    this_year = datetime.date(2025, 10, 1)
    last_year = datetime.date(2025, 3, 1)  # school year 2024-2025
    manager, quality = world.manager, world.quality_officer
    # 2025: manager with quality officer twice, leader with manager once (manager second).
    pairs_mq = [([1, 2, 3, 4, 4, 3], [1, 2, 3, 3, 4, None]), ([2, 2, 2, 3, 3, 3], [2, 3, 2, 3, 3, 4])]
    for a, b in pairs_mq:
        calibrated(world, instrument, first=manager, second=quality, day=this_year, a=a, b=b)
    calibrated(
        world, instrument, first=leader, second=manager, day=this_year, a=[4, 4, 4, 4, 4, 4], b=[4, 3, 4, 4, 4, 4]
    )
    # 2024: quality officer first, leader second.
    calibrated(
        world, instrument, first=quality, second=leader, day=last_year, a=[1, 1, 2, 2, 3, 3], b=[1, 2, 2, 2, 3, 4]
    )
    # Not counted: one side not put forward, a cancelled second observer.
    calibrated(
        world,
        instrument,
        first=manager,
        second=quality,
        day=this_year,
        a=[1] * 6,
        b=[4] * 6,
        second_state="in_progress",
    )
    calibrated(
        world, instrument, first=manager, second=quality, day=this_year, a=[1] * 6, b=[4] * 6, first_state="in_progress"
    )
    calibrated(
        world, instrument, first=manager, second=quality, day=this_year, a=[1] * 6, b=[4] * 6, second_state="cancelled"
    )

    response = client_for(quality).get(URL)
    assert response.status_code == 200
    years = [entry for entry, _chart in response.context["years"]]
    assert [year.year for year in years] == [2025, 2024]
    current = {row.name: row for row in years[0].observers}
    mq_pairs = [pair for a, b in pairs_mq for pair in zip(a, b, strict=True)]
    manager_pairs = mq_pairs + list(zip([4, 3, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4], strict=True))  # own score first
    expected_manager = agreement_of_pairs(manager_pairs, SCALE)
    row = current[manager.full_name]
    assert row.visits == 3
    assert row.agreement.pairs == expected_manager.pairs == 17
    assert row.agreement.exact == pytest.approx(expected_manager.exact)
    assert row.agreement.kappa == pytest.approx(expected_manager.kappa)
    assert sorted(row.partners) == sorted([quality.full_name, leader.full_name])
    quality_row = current[quality.full_name]
    assert quality_row.visits == 2
    assert quality_row.agreement.kappa == pytest.approx(agreement_of_pairs(mq_pairs, SCALE).kappa)
    assert current[leader.full_name].visits == 1
    assert years[0].visits == 3
    board = agreement_of_pairs(mq_pairs + list(zip([4, 4, 4, 4, 4, 4], [4, 3, 4, 4, 4, 4], strict=True)), SCALE)
    assert years[0].board.kappa == pytest.approx(board.kappa)
    previous = {row.name: row for row in years[1].observers}
    assert set(previous) == {quality.full_name, leader.full_name}
    assert previous[leader.full_name].agreement.agreed == 4
    page = response.content.decode()
    assert page.count('role="img"') == 2
    assert f'data-observer="{manager.pk}" data-visits="3" data-pairs="17"' in page


def test_it_says_so_when_nothing_was_calibrated(world: Any, client_for: Any) -> None:
    response = client_for(world.quality_officer).get(URL)
    assert response.status_code == 200
    assert b'data-testid="calibration-empty"' in response.content


@pytest.mark.parametrize("persona", ["board_member", "manager", "administrator", "teacher", "outsider_admin"])
def test_only_the_quality_officer_opens_it(world: Any, client_for: Any, persona: str) -> None:
    assert client_for(world.persona(persona)).get(URL).status_code == 403


def test_it_counts_only_the_actors_board(world: Any, instrument: Any) -> None:
    calibrated(
        world,
        instrument,
        first=world.manager,
        second=world.quality_officer,
        day=datetime.date(2025, 9, 1),
        a=[1] * 6,
        b=[1] * 6,
    )
    theirs = instrument_build(board=world.board_b, slug="beta")
    leader_b = observer_build(board=world.board_b, school=world.school_b, email="leider@beta.nl")
    other_b = observer_build(board=world.board_b, school=world.school_b, email="leider2@beta.nl")
    visit = observation_build(
        teacher=world.outsider, observer=leader_b, instrument=theirs, state="submitted", scores=[1] * 6
    )
    calibration_build(primary=visit, observer=other_b, state="submitted", scores=[2] * 6)
    years = calibration_overview_for(actor=actor_of(world.quality_officer, world.board_a))
    assert {row.name for year in years for row in year.observers} == {
        world.manager.full_name,
        world.quality_officer.full_name,
    }


def test_it_runs_a_fixed_number_of_queries(world: Any, client_for: Any, instrument: Any) -> None:
    leader = observer_build(board=world.board_a, school=world.school_a2, email="leider2@alfa.nl")
    teachers = teachers_build(school=world.school_a, count=12)
    client = client_for(world.quality_officer)

    def add(count: int, day: datetime.date) -> None:
        for n in range(count):
            first, second = [
                (world.manager, world.quality_officer),
                (leader, world.manager),
                (world.quality_officer, leader),
            ][n % 3]
            calibrated(
                world,
                instrument,
                first=first,
                second=second,
                day=day,
                a=[1, 2, 3, 4, n % 4 + 1, 2],
                b=[1, 2, 4, 4, 1, n % 4 + 1],
                teacher=teachers[n % len(teachers)],
            )

    add(3, datetime.date(2025, 9, 1))
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    add(24, datetime.date(2024, 9, 1))
    add(12, datetime.date(2023, 9, 1))
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(response.context["years"]) == 3
    assert len(large.captured_queries) == len(small.captured_queries)


def test_school_year_expression_agrees_with_lib_dates(world: Any, instrument: Any) -> None:
    from bekwaam.lib.dates import school_year_of
    from bekwaam.observations.models import Observation

    days = [
        datetime.date(2025, 7, 31),
        datetime.date(2025, 8, 1),
        datetime.date(2026, 1, 15),
        datetime.date(2024, 12, 31),
    ]
    for day in days:
        observation_build(teacher=world.teacher, observer=world.manager, instrument=instrument, date=day)
    computed = dict(Observation.objects.annotate(year=school_year_expression("date")).values_list("date", "year"))
    assert computed == {day: school_year_of(day) for day in days}


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (None, ""),
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.5, "moderate"),
        (0.7, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_kappa_bands_follow_landis_and_koch(kappa: float | None, band: str) -> None:
    with translation.override("en"):
        assert str(kappa_band(kappa)) == band
