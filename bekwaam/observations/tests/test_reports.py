"""The team report: what it counts, its figures against a brute-force count, the anonymity threshold, the
trend, bad input, the PDF, and a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.lib.dates import school_year_bounds, school_year_of
from bekwaam.observations.models import ObservationKind, ObservationScore, ObservationState
from bekwaam.observations.selectors.reports import ReportPeriod, report_period, team_report_for
from bekwaam.observations.tests.factories import instrument_build, items_of, observation_build
from bekwaam.observations.tests.factories_reports import (
    actor_of,
    calibration_build,
    teachers_build,
    visits_build,
)
from bekwaam.observations.views import reports as report_views

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = school_year_of(TODAY)
# Two domains of three items; every visit below gets these scores unless a test says otherwise.
SCORES = [1, 2, 3, 4, 4, 3]


def url(school: Any, **query: Any) -> str:
    path = reverse("observations:team-report", kwargs={"school_id": school.pk})
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def this_year_day(offset: int = 0) -> datetime.date:
    """A day inside the current school year, not after today."""
    start, _end = school_year_bounds(YEAR)
    return max(start, TODAY - datetime.timedelta(days=offset))


@pytest.fixture
def instrument(world: Any) -> Any:
    return instrument_build(board=world.board_a)


def report_of(response: Any) -> Any:
    return response.context["report"]


# --- what it counts, and its figures -----------------------------------------------------------------


def test_it_counts_the_scores_per_item_and_domain(world: Any, client_for: Any, instrument: Any) -> None:
    teachers = teachers_build(school=world.school_a, count=5, manager=world.manager)
    score_sets = [[1, 2, 3, 4, None, 3], [2, 2, 3, 4, 4, 1], [4, 3, 3, 4, 4, 2], [3, 2, 1, 4, 4, 3], [1, 1, 1, 4, 2, 3]]
    for teacher, scores in zip(teachers, score_sets, strict=True):
        observation_build(
            teacher=teacher,
            observer=world.quality_officer,
            instrument=instrument,
            state=ObservationState.SUBMITTED,
            date=this_year_day(),
            scores=scores,
            group=3,
        )
    response = client_for(world.board_member).get(url(world.school_a))
    assert response.status_code == 200
    report = report_of(response)
    assert (report.totals.visits, report.totals.teachers, report.totals.groups) == (5, 5, 1)
    assert report.shows_figures
    assert [value for value, _label in report.scale] == [1, 2, 3, 4]
    codes = [item.code for item in items_of(instrument)]
    for index, item in enumerate(report.items):
        assert item.code == codes[index]
        given = [scores[index] for scores in score_sets if scores[index] is not None]
        counted = Counter(given)
        assert item.counts == [counted.get(value, 0) for value in (1, 2, 3, 4)]
        assert item.total == len(given)
        assert item.mean == pytest.approx(sum(given) / len(given))
    first_domain = [s for scores in score_sets for s in scores[:3] if s is not None]
    assert report.domains[0].mean == pytest.approx(sum(first_domain) / len(first_domain))
    assert report.domains[0].total == len(first_domain)
    # Highest and lowest means: D1.C3... by brute force.
    means = sorted(((item.mean, item.code) for item in report.items), key=lambda pair: (-pair[0], pair[1]))
    assert [item.code for item in report.strengths] == [code for _mean, code in means[:3]]
    assert {item.code for item in report.strengths}.isdisjoint({item.code for item in report.work_on})
    page = response.content.decode()
    assert page.count('role="img"') == 1 + len(report.domains)  # the means chart and one per domain
    assert 'data-counts="' in page


def test_it_counts_only_put_forward_lesson_visits_at_the_school_in_the_period(
    world: Any, client_for: Any, instrument: Any
) -> None:
    teachers = teachers_build(school=world.school_a, count=5, manager=world.manager)
    counted = visits_build(
        teachers=teachers, observer=world.quality_officer, instrument=instrument, scores=SCORES, date=this_year_day()
    )
    counted[0].state = ObservationState.ACKNOWLEDGED
    counted[0].save(update_fields=["state"])
    day = this_year_day()
    # Not counted: a second observer's calibration scoring, visits not put forward, a peer visit, another
    # school, another period.
    calibration_build(primary=counted[1], observer=world.manager, state=ObservationState.SUBMITTED, scores=[1] * 6)
    for state in (ObservationState.PLANNED, ObservationState.IN_PROGRESS, ObservationState.CANCELLED):
        observation_build(
            teacher=teachers[2], observer=world.manager, instrument=instrument, state=state, date=day, scores=[1] * 6
        )
    observation_build(
        teacher=teachers[3],
        observer=teachers[4],
        instrument=instrument,
        kind=ObservationKind.PEER,
        state=ObservationState.SUBMITTED,
        date=day,
        scores=[1] * 6,
    )
    elsewhere = teachers_build(school=world.school_a2, count=1)[0]
    observation_build(
        teacher=elsewhere, observer=world.manager, instrument=instrument, state="submitted", date=day, scores=[1] * 6
    )
    observation_build(
        teacher=teachers[0],
        observer=world.manager,
        instrument=instrument,
        state="submitted",
        date=school_year_bounds(YEAR)[0] - datetime.timedelta(days=400),
        scores=[1] * 6,
    )
    report = report_of(client_for(world.quality_officer).get(url(world.school_a)))
    assert report.totals.visits == 5
    assert [item.counts for item in report.items] == [
        [5 if value == score else 0 for value in (1, 2, 3, 4)] for score in SCORES
    ]


def test_it_compares_with_the_previous_school_year(world: Any, client_for: Any, instrument: Any) -> None:
    teachers = teachers_build(school=world.school_a, count=5, manager=world.manager)
    visits_build(
        teachers=teachers, observer=world.quality_officer, instrument=instrument, scores=SCORES, date=this_year_day()
    )
    last_year = school_year_bounds(YEAR - 1)[0] + datetime.timedelta(days=30)
    visits_build(
        teachers=teachers,
        observer=world.quality_officer,
        instrument=instrument,
        scores=[1, 1, 1, 2, 2, 2],
        date=last_year,
    )
    report = report_of(client_for(world.quality_officer).get(url(world.school_a)))
    assert report.has_trend
    assert report.previous_period == ReportPeriod(*school_year_bounds(YEAR - 1), year=YEAR - 1)
    assert report.domains[0].previous_mean == pytest.approx(1.0)
    assert report.domains[1].previous_mean == pytest.approx(2.0)
    assert report.domains[0].mean == pytest.approx(2.0)
    assert report.domains[0].change == pytest.approx(1.0)
    assert report.items[2].previous_mean == pytest.approx(1.0)


def test_it_matches_items_across_versions_by_code(world: Any, client_for: Any, instrument: Any) -> None:
    teachers = teachers_build(school=world.school_a, count=5, manager=world.manager)
    newer = instrument_build(board=world.board_a)  # version 2 of the same framework, same codes
    assert newer.framework_id == instrument.framework_id
    first_item = items_of(newer)[0]
    first_item.name = "Nieuwe naam"
    first_item.save(update_fields=["name"])
    visits_build(
        teachers=teachers[:3],
        observer=world.quality_officer,
        instrument=instrument,
        scores=SCORES,
        date=this_year_day(),
    )
    visits_build(
        teachers=teachers[3:], observer=world.quality_officer, instrument=newer, scores=SCORES, date=this_year_day()
    )
    for instrument_value in (str(instrument.framework_id), str(newer.pk), instrument.framework.slug, ""):
        response = client_for(world.quality_officer).get(url(world.school_a, instrument=instrument_value))
        assert response.status_code == 200, instrument_value
        report = report_of(response)
        assert report.framework.pk == instrument.framework_id
        assert report.totals.visits == 5
        assert report.items[0].name == "Nieuwe naam"
        assert report.items[0].total == 5


def test_it_chooses_the_kijkwijzer_used_most_by_default(world: Any, client_for: Any, instrument: Any) -> None:
    other = instrument_build(board=world.board_a, slug="andere-kijkwijzer", domains=1, items=2)
    teachers = teachers_build(school=world.school_a, count=5)
    visits_build(teachers=teachers[:2], observer=world.quality_officer, instrument=instrument, scores=SCORES)
    visits_build(teachers=teachers, observer=world.quality_officer, instrument=other, scores=[2, 3])
    report = report_of(client_for(world.quality_officer).get(url(world.school_a)))
    assert report.framework.pk == other.framework_id
    chosen = report_of(client_for(world.quality_officer).get(url(world.school_a, instrument=instrument.framework_id)))
    assert chosen.framework.pk == instrument.framework_id
    assert chosen.totals.visits == 2


def test_it_takes_a_period_of_dates(world: Any, client_for: Any, instrument: Any) -> None:
    teachers = teachers_build(school=world.school_a, count=5)
    visits_build(
        teachers=teachers,
        observer=world.quality_officer,
        instrument=instrument,
        scores=SCORES,
        date=datetime.date(2025, 3, 10),
    )
    visits_build(
        teachers=teachers,
        observer=world.quality_officer,
        instrument=instrument,
        scores=SCORES,
        date=datetime.date(2025, 2, 10),
    )
    response = client_for(world.quality_officer).get(url(world.school_a, start="2025-03-01", end="2025-03-31"))
    report = report_of(response)
    assert report.period == ReportPeriod(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    assert report.previous_period == ReportPeriod(datetime.date(2025, 1, 29), datetime.date(2025, 2, 28))
    assert report.totals.visits == 5
    assert report.previous_totals.visits == 5
    assert report.has_trend
    year = report_of(client_for(world.quality_officer).get(url(world.school_a, year=2024)))
    assert year.period.year == 2024
    assert year.totals.visits == 10


def test_report_period_fills_in_a_missing_end() -> None:
    today = datetime.date(2026, 3, 1)
    assert report_period(today=today) == ReportPeriod(datetime.date(2025, 8, 1), datetime.date(2026, 7, 31), 2025)
    assert report_period(today=today, start=datetime.date(2026, 1, 1)).end == today
    assert report_period(today=today, end=datetime.date(2026, 2, 1)).start == datetime.date(2025, 8, 1)
    assert report_period(today=today, start=datetime.date(2026, 5, 1)).end == datetime.date(2026, 7, 31)


def test_it_says_so_when_the_period_has_no_visits(world: Any, client_for: Any, instrument: Any) -> None:
    response = client_for(world.quality_officer).get(url(world.school_a, year=2020))
    assert response.status_code == 200
    assert report_of(response).is_empty
    assert b'data-testid="report-empty"' in response.content
    assert b'role="img"' not in response.content


def test_it_says_so_when_the_board_has_no_kijkwijzer(world: Any, client_for: Any) -> None:
    response = client_for(world.quality_officer).get(url(world.school_a))
    assert response.status_code == 200
    assert b'data-testid="report-no-instrument"' in response.content


@pytest.mark.parametrize(
    "query",
    [
        {"instrument": "onbekend"},
        {"instrument": "00000000-0000-0000-0000-000000000000"},
        {"start": "2025-05-01", "end": "2025-04-01"},
        {"start": "geen-datum"},
        {"end": "2025-02-30"},
        {"start": "0001-01-01"},
        {"year": "twintig"},
        {"year": "99999"},
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(
    world: Any, client_for: Any, instrument: Any, query: dict[str, str]
) -> None:
    response = client_for(world.quality_officer).get(url(world.school_a, **query))
    assert response.status_code == 400
    assert b'id="error-summary"' in response.content
    assert "report" not in response.context
    pdf = client_for(world.quality_officer).get(
        reverse("observations:team-report-pdf", kwargs={"school_id": world.school_a.pk}), query
    )
    assert pdf.status_code == 400


def test_it_refuses_a_kijkwijzer_of_another_board(world: Any, client_for: Any, instrument: Any) -> None:
    theirs = instrument_build(board=world.board_b, slug="beta-kijkwijzer")
    response = client_for(world.quality_officer).get(url(world.school_a, instrument=theirs.framework_id))
    assert response.status_code == 400


def test_it_does_not_find_a_school_of_another_board(world: Any, client_for: Any) -> None:
    assert client_for(world.quality_officer).get(url(world.school_b)).status_code == 404
    missing = reverse("observations:team-report", kwargs={"school_id": 999_999})
    assert client_for(world.quality_officer).get(missing).status_code == 404


def test_a_school_leader_sees_only_the_schools_they_lead(world: Any, client_for: Any) -> None:
    assert client_for(world.manager).get(url(world.school_a)).status_code == 200
    assert client_for(world.manager).get(url(world.school_a2)).status_code == 403


# --- anonymity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "teachers", "withheld"),
    [
        ("board_member", 4, True),  # sees none of the visits: four teachers are too few
        ("board_member", 5, False),
        ("board_member", 1, True),
        ("quality_officer", 4, False),  # may open every one of these visits anyway
        ("quality_officer", 1, False),
        ("manager", 4, False),  # the school's own leader: every visit at the school is in their team
    ],
)
def test_it_withholds_figures_below_the_threshold_for_who_may_not_see_every_visit(
    world: Any, client_for: Any, instrument: Any, persona: str, teachers: int, withheld: bool
) -> None:
    assert settings.AGGREGATE_MIN_GROUP_SIZE == 5
    people = teachers_build(school=world.school_a, count=teachers, manager=world.manager)
    # Two visits each: the threshold counts teachers, not visits.
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES, per_teacher=2)
    response = client_for(world.persona(persona)).get(url(world.school_a))
    report = report_of(response)
    assert report.totals.visits == 2 * teachers
    assert report.withheld is withheld
    page = response.content.decode()
    assert ('data-testid="report-withheld"' in page) is withheld
    assert ('role="img"' in page) is not withheld
    assert ("data-counts=" in page) is not withheld
    if withheld:
        assert report.domains == []


def test_it_withholds_when_a_school_leader_cannot_see_every_visit(world: Any, client_for: Any, instrument: Any) -> None:
    # A teacher who has left the school (employment ended) is no longer in the leader's team.
    people = teachers_build(school=world.school_a, count=4, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    from bekwaam.tenancy.models import Employment

    Employment.objects.filter(person=people[0]).update(end_date=TODAY - datetime.timedelta(days=1))
    report = report_of(client_for(world.manager).get(url(world.school_a)))
    assert report.totals.visible == 3
    assert report.withheld


def test_the_page_names_no_teacher_to_a_board_member(world: Any, client_for: Any, instrument: Any) -> None:
    people = teachers_build(school=world.school_a, count=6, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    response = client_for(world.board_member).get(url(world.school_a))
    page = response.content.decode()
    assert report_of(response).shows_figures
    assert report_of(response).visible_visits == []
    assert 'data-testid="report-no-visits-visible"' in page
    for person in people:
        assert person.full_name not in page
    assert world.quality_officer.full_name not in page


def test_the_visit_list_holds_what_the_viewer_may_open(world: Any, client_for: Any, instrument: Any) -> None:
    people = teachers_build(school=world.school_a, count=5, manager=world.manager)
    visits = visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    report = report_of(client_for(world.quality_officer).get(url(world.school_a)))
    assert {v.pk for v in report.visible_visits} == {v.pk for v in visits}
    # The manager sees them too: every teacher is in their team.
    report = report_of(client_for(world.manager).get(url(world.school_a)))
    assert len(report.visible_visits) == 5


def test_the_previous_period_follows_the_threshold_on_its_own(world: Any, client_for: Any, instrument: Any) -> None:
    people = teachers_build(school=world.school_a, count=5, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    last_year = school_year_bounds(YEAR - 1)[0] + datetime.timedelta(days=10)
    visits_build(
        teachers=people[:2], observer=world.quality_officer, instrument=instrument, scores=SCORES, date=last_year
    )
    response = client_for(world.board_member).get(url(world.school_a))
    report = report_of(response)
    assert report.shows_figures
    assert report.previous_withheld
    assert not report.has_trend
    assert all(domain.previous_mean is None for domain in report.domains)
    assert b'data-testid="trend-withheld"' in response.content
    assert report_of(client_for(world.quality_officer).get(url(world.school_a))).has_trend


# --- PDF and queries ----------------------------------------------------------------------------


def test_the_pdf_has_the_same_figures_and_charts_without_names(
    world: Any, client_for: Any, instrument: Any, monkeypatch: Any
) -> None:
    people = teachers_build(school=world.school_a, count=6, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    rendered: list[str] = []
    real = report_views.pdf_render

    def spy(html: str) -> bytes:
        rendered.append(html)
        return real(html)

    monkeypatch.setattr(report_views, "pdf_render", spy)
    response = client_for(world.manager).get(
        reverse("observations:team-report-pdf", kwargs={"school_id": world.school_a.pk}), {"year": YEAR}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    html = rendered[0]
    assert html.count('role="img"') == 3
    assert 'data-counts="0,0,0,6"' in html
    for person in people:
        assert person.full_name not in html  # no list of visits in what is shared with the team


def test_the_page_has_its_pdf_link_with_the_same_choices(world: Any, client_for: Any, instrument: Any) -> None:
    people = teachers_build(school=world.school_a, count=5)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    response = client_for(world.quality_officer).get(url(world.school_a, year=YEAR))
    assert response.context["pdf_url"].endswith(f"/pdf/?year={YEAR}")


def count_queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    assert report_of(response).shows_figures
    return len(context.captured_queries)


def test_it_runs_a_fixed_number_of_queries(
    world: Any, client_for: Any, instrument: Any, django_assert_max_num_queries: Any
) -> None:
    last_year = school_year_bounds(YEAR - 1)[0] + datetime.timedelta(days=10)
    people = teachers_build(school=world.school_a, count=6, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES, date=last_year)
    client = client_for(world.manager)
    small = count_queries(client, url(world.school_a))
    more = teachers_build(school=world.school_a, count=24, manager=world.manager, prefix="meer")
    visits_build(
        teachers=people + more, observer=world.quality_officer, instrument=instrument, scores=SCORES, per_teacher=2
    )
    visits_build(teachers=more, observer=world.quality_officer, instrument=instrument, scores=SCORES, date=last_year)
    assert ObservationScore.objects.count() > 500
    large = count_queries(client, url(world.school_a))
    assert large == small
    with django_assert_max_num_queries(small):
        client.get(url(world.school_a))


def test_the_selector_alone_runs_a_fixed_number_of_queries(
    world: Any, instrument: Any, django_assert_max_num_queries: Any
) -> None:
    people = teachers_build(school=world.school_a, count=12, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES, per_teacher=3)
    actor = actor_of(world.quality_officer, world.board_a)
    period = report_period(today=TODAY)
    with django_assert_max_num_queries(9):
        report = team_report_for(actor=actor, school=world.school_a, framework=instrument.framework, period=period)
        assert report.totals.visits == 36
        assert len(report.visible_visits) == 36


def test_a_viewer_who_may_not_see_every_visit_gets_whole_school_years_only(
    world: Any, client_for: Any, instrument: Any
) -> None:
    """Two overlapping custom periods would give away the teacher visited between them (differencing)."""
    people = teachers_build(school=world.school_a, count=6, manager=world.manager)
    visits_build(teachers=people, observer=world.quality_officer, instrument=instrument, scores=SCORES)
    start, _end = school_year_bounds(YEAR)
    custom = url(world.school_a, start=start.isoformat(), end=TODAY.isoformat())

    year_report = report_of(client_for(world.board_member).get(url(world.school_a, year=YEAR)))
    assert year_report.shows_figures
    response = client_for(world.board_member).get(custom)
    report = report_of(response)
    assert report.withheld and report.needs_school_year
    assert report.domains == []
    assert 'data-testid="report-needs-school-year"' in response.content.decode()

    # The kwaliteitsmedewerker may open every visit: any period is fine.
    assert report_of(client_for(world.quality_officer).get(custom)).shows_figures
