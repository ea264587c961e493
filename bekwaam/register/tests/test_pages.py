"""The register pages: the overview (empty, running, under conditions), the forms with their errors (typed
input kept), the activity page, deleting, the certificate download, and flat query counts."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bekwaam.dossier.tests.test_uploads import pdf_bytes, png_bytes
from bekwaam.register.models import Activity, ActivityKind, RegistrationPeriod
from bekwaam.register.tests.factories import (
    activity_build,
    period_build,
    second_leader,
    themes_since_2014,
)
from bekwaam.register.tests.test_services import certificate_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


@pytest.fixture
def leader(world: Any, client_for: Any) -> Client:
    client: Client = client_for(world.manager)
    return client


@pytest.fixture
def period(world: Any) -> RegistrationPeriod:
    return period_build(person=world.manager, start=TODAY - datetime.timedelta(days=730), number="RDO-7")


def html(response: Any) -> str:
    return str(response.content.decode())


# --- the overview ----------------------------------------------------------------------------------------------


def test_the_empty_overview_explains_the_register_and_offers_a_period(leader: Client) -> None:
    response = leader.get(reverse("register:overview"))
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="empty"' in page
    assert reverse("register:period-create") in page
    assert "100 points" in page


def test_the_overview_shows_the_period_status_points_and_what_is_missing(
    world: Any, leader: Client, period: RegistrationPeriod
) -> None:
    a, b = themes_since_2014(2)
    activity_build(period=period, title="Leergang", points=35, themes=[a], practices=["LP2"])
    activity_build(
        period=period, title="Waardering", kind=ActivityKind.RETRO_ASSESSED, points=20, themes=[a, b], level=4
    )
    page = html(leader.get(reverse("register:overview")))
    assert f'data-period="{period.pk}"' in page
    assert 'data-status="active"' in page
    assert 'data-points="55" data-required="100"' in page
    assert '<progress id="points-progress" max="100" value="55" aria-labelledby="points-text">' in page
    assert "55 of 100 points" in page
    assert f"Still missing: 45 points, by {period.end_date:%-d} " in page
    assert re.search(r'data-kind="pre_accredited"><th [^>]+>[^<]+</th><td class="num">1</td><td class="num">35', page)
    assert re.search(rf'data-theme="{a.pk}">.*?<td class="num">2</td><td class="num">55</td>', page)
    assert re.search(r'data-practice="LP2"[^>]*>.*?<td class="num">1</td><td class="num">35</td>', page)
    assert "RDO-7" in page
    assert reverse("register:activity-create", args=[period.pk]) in page


def test_the_overview_says_under_conditions_after_the_end_without_points(world: Any, leader: Client) -> None:
    ended = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365 * 5 + 60))
    activity_build(period=ended, points=50, on=ended.start_date)
    page = html(leader.get(reverse("register:overview")))
    assert 'data-status="conditional"' in page
    assert "Still missing: 50 points. Enter what you did in this period" in page


def test_the_overview_lists_older_periods_below_the_current_one(world: Any, leader: Client) -> None:
    old = period_build(person=world.manager, start=datetime.date(2014, 9, 1), years=4)  # old rule: themes
    activity_build(period=old, points=10, themes=themes_since_2014(3), on=old.start_date)
    current = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=10))
    page = html(leader.get(reverse("register:overview")))
    assert page.index(f'data-period="{current.pk}"') < page.index(f'data-period="{old.pk}"')
    assert 'data-testid="other-periods"' in page
    assert "3 themes (old rule)" in page
    assert 'data-status="met"' in page


def overview_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("register:overview"))
    assert response.status_code == 200
    return len(captured)


def test_the_overview_takes_the_same_queries_for_1_or_30_activities(
    world: Any, leader: Client, period: RegistrationPeriod, django_assert_max_num_queries: Any
) -> None:
    pool = themes_since_2014(4)
    activity_build(period=period, title="Cursus 0", themes=pool[:1])
    period_build(person=world.manager, start=period.start_date - datetime.timedelta(days=365 * 5))
    one = overview_queries(leader)
    for n in range(1, 30):
        activity_build(period=period, title=f"Cursus {n}", themes=pool[: 1 + n % 4], practices=["LP3"])
    for n in range(3):
        period_build(person=world.manager, start=datetime.date(1990 + 5 * n, 1, 1))
    with django_assert_max_num_queries(one):
        response = leader.get(reverse("register:overview"))
    assert len(response.context["summary"].activities) == 30


# --- periods ---------------------------------------------------------------------------------------------------


def test_the_period_form_proposes_the_day_after_the_last_period(world: Any, leader: Client) -> None:
    period_build(person=world.manager, start=datetime.date(2019, 9, 1))
    page = html(leader.get(reverse("register:period-create")))
    assert 'value="2024-09-01"' in page


def test_it_adds_a_period(world: Any, leader: Client) -> None:
    response = leader.post(reverse("register:period-create"), {"start_date": "2023-09-01", "length_years": ""})
    assert response.status_code == 302 and response["Location"] == reverse("register:overview")
    period = RegistrationPeriod.objects.get()
    assert (period.end_date, period.length_years, period.person) == (datetime.date(2028, 8, 31), 5, world.manager)


def test_an_overlapping_period_comes_back_with_the_message_and_the_input(world: Any, leader: Client) -> None:
    period_build(person=world.manager, start=datetime.date(2023, 9, 1))
    data = {"start_date": "2024-02-01", "length_years": "4", "registration_number": "RDO-99"}
    response = leader.post(reverse("register:period-create"), data)
    assert response.status_code == 400
    page = html(response)
    assert "These dates overlap your registration period from 01-09-2023 to 31-08-2028" in page
    assert 'value="2024-02-01"' in page and 'value="4"' in page and 'value="RDO-99"' in page
    assert RegistrationPeriod.objects.count() == 1


def test_it_changes_a_period(leader: Client, period: RegistrationPeriod) -> None:
    url = reverse("register:period-edit", args=[period.pk])
    assert f'value="{period.start_date:%Y-%m-%d}"' in html(leader.get(url))
    response = leader.post(url, {"start_date": f"{period.start_date:%Y-%m-%d}", "length_years": "6"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.length_years == 6


def test_a_bad_length_is_refused_on_the_form(leader: Client) -> None:
    response = leader.post(reverse("register:period-create"), {"start_date": "2023-09-01", "length_years": "12"})
    assert response.status_code == 400
    assert "from 1 to 10 years" in html(response)


# --- activities ------------------------------------------------------------------------------------------------


def test_without_a_kind_it_asks_which_kind(leader: Client, period: RegistrationPeriod) -> None:
    url = reverse("register:activity-create", args=[period.pk])
    page = html(leader.get(url))
    assert f"{url}?kind=pre_accredited" in page and f"{url}?kind=retro_assessed" in page
    assert leader.post(url)["Location"] == url


def test_it_adds_a_pre_accredited_activity_with_its_certificate(leader: Client, period: RegistrationPeriod) -> None:
    a, b = themes_since_2014(2)
    url = reverse("register:activity-create", args=[period.pk]) + "?kind=pre_accredited"
    assert 'name="certificate_file"' in html(leader.get(url))
    data = {
        "title": "Leergang Onderwijskundig leiderschap",
        "provider_name": "AVS",
        "completed_on": f"{TODAY:%Y-%m-%d}",
        "points": "35",
        "themes": [a.pk, b.pk],
        "leadership_practices": ["LP1", "PL"],
        "certificate_file": SimpleUploadedFile("certificaat.pdf", pdf_bytes()),
    }
    response = leader.post(url, data)
    activity = Activity.objects.get()
    assert response["Location"] == reverse("register:activity-detail", args=[activity.pk])
    assert (activity.points, activity.leadership_practices) == (35, ["LP1", "PL"])
    page = html(leader.get(response["Location"]))
    assert "Leergang Onderwijskundig leiderschap" in page and 'data-points="35"' in page
    assert reverse("register:activity-certificate", args=[activity.pk]) in page


def retro_data(**overrides: Any) -> dict[str, Any]:
    a, b, c = themes_since_2014(3)
    return {
        "title": "Schoolleiders waarderen schoolleiders",
        "provider_name": "Bureau Waardering",
        "completed_on": f"{TODAY:%Y-%m-%d}",
        "themes": [a.pk, b.pk, c.pk],
        "learning_level": "6",
        "leadership_practices": ["LP3"],
        "notes": "Gesprek op locatie",
    } | overrides


def test_it_adds_an_assessment_with_its_points_computed(leader: Client, period: RegistrationPeriod) -> None:
    url = reverse("register:activity-create", args=[period.pk]) + "?kind=retro_assessed"
    response = leader.post(url, retro_data())
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.points, activity.learning_level, activity.kind) == (50, 6, "retro_assessed")


def test_a_claim_below_level_4_comes_back_with_the_reason_and_the_input(
    leader: Client, period: RegistrationPeriod
) -> None:
    url = reverse("register:activity-create", args=[period.pk]) + "?kind=retro_assessed"
    response = leader.post(url, retro_data(learning_level="3"))
    assert response.status_code == 400
    page = html(response)
    assert "Below learning level 4 an assessment gives no points for the register" in page
    assert 'value="Schoolleiders waarderen schoolleiders"' in page
    assert 'value="Bureau Waardering"' in page
    assert re.search(r'<input type="radio" name="learning_level" value="3"[^>]*checked', page)
    for theme in themes_since_2014(3):
        assert re.search(rf'<input type="checkbox" name="themes" value="{theme.pk}"[^>]*checked', page)
    assert re.search(r'<input type="checkbox" name="leadership_practices" value="LP3"[^>]*checked', page)
    assert "Gesprek op locatie" in page
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"completed_on": "2001-01-01"}, "The date must fall within this registration period"),
        ({"points": "5"}, "from 10 to 100"),
        ({"points": "101"}, "from 10 to 100"),
    ],
)
def test_bad_input_for_a_course_comes_back_on_the_form(
    leader: Client, period: RegistrationPeriod, data: dict[str, str], message: str
) -> None:
    url = reverse("register:activity-create", args=[period.pk]) + "?kind=pre_accredited"
    values = {
        "title": "Cursus",
        "provider_name": "AVS",
        "completed_on": f"{TODAY:%Y-%m-%d}",
        "points": "20",
        "certificate_file": SimpleUploadedFile("c.pdf", pdf_bytes()),
    } | data
    response = leader.post(url, values)
    assert response.status_code == 400
    assert message in html(response)
    assert 'value="Cursus"' in html(response)
    assert not Activity.objects.exists()


def test_a_certificate_that_is_not_what_it_says_is_refused(leader: Client, period: RegistrationPeriod) -> None:
    url = reverse("register:activity-create", args=[period.pk]) + "?kind=pre_accredited"
    values = {
        "title": "Cursus",
        "provider_name": "AVS",
        "completed_on": f"{TODAY:%Y-%m-%d}",
        "points": "20",
        "certificate_file": SimpleUploadedFile("c.pdf", png_bytes()),
    }
    response = leader.post(url, values)
    assert response.status_code == 400
    assert "not a real .pdf file" in html(response)


def test_the_same_activity_twice_gets_a_message(leader: Client, period: RegistrationPeriod) -> None:
    url = reverse("register:activity-create", args=[period.pk]) + "?kind=retro_assessed"
    assert leader.post(url, retro_data()).status_code == 302
    response = leader.post(url, retro_data())
    assert response.status_code == 400
    assert "You have already entered this activity" in html(response)
    assert Activity.objects.count() == 1


def test_a_theme_not_valid_that_year_is_refused(leader: Client, world: Any) -> None:
    from bekwaam.register.models import Theme

    old = period_build(person=world.manager, start=datetime.date(2017, 9, 1))
    newer = Theme.objects.get(code="kansenongelijkheid")  # from 2021
    url = reverse("register:activity-create", args=[old.pk]) + "?kind=retro_assessed"
    response = leader.post(url, retro_data(completed_on="2019-05-01", themes=[newer.pk]))
    assert response.status_code == 400
    assert "Not a theme of the register in 2019" in html(response)


def test_it_deletes_an_activity_by_post_only(leader: Client, period: RegistrationPeriod) -> None:
    activity = activity_build(period=period)
    url = reverse("register:activity-delete", args=[activity.pk])
    assert leader.get(url).status_code == 405
    response = leader.post(url)
    assert response["Location"] == reverse("register:overview")
    assert not Activity.objects.exists()


def test_an_activity_from_a_bekwaam_certificate_is_not_deleted(world: Any, leader: Client) -> None:
    from bekwaam.register.services import activity_record_from_certificate

    period_build(person=world.manager, start=TODAY - datetime.timedelta(days=30))
    activity = activity_record_from_certificate(certificate=certificate_of(world))
    assert activity is not None
    page = html(leader.get(reverse("register:activity-detail", args=[activity.pk])))
    assert reverse("register:activity-delete", args=[activity.pk]) not in page
    response = leader.post(reverse("register:activity-delete", args=[activity.pk]), follow=True)
    assert "cannot be deleted" in html(response)
    assert Activity.objects.filter(pk=activity.pk).exists()
    download = leader.get(reverse("register:activity-certificate", args=[activity.pk]))
    try:
        target = reverse("credentials:certificate", kwargs={"certificate_id": activity.certificate_id})
    except NoReverseMatch:
        assert download.status_code == 404
    else:
        assert download.status_code == 302 and download["Location"] == target
        assert target in page


def test_it_sends_the_certificate_as_a_download(leader: Client, period: RegistrationPeriod) -> None:
    activity = activity_build(period=period, with_file=True)
    response = leader.get(reverse("register:activity-certificate", args=[activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "certificaat.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    without = activity_build(period=period, title="Zonder bestand")
    assert leader.get(reverse("register:activity-certificate", args=[without.pk])).status_code == 404


def test_someone_elses_pages_are_not_found(world: Any, leader: Client) -> None:
    other = second_leader(world)
    theirs = period_build(person=other, start=TODAY - datetime.timedelta(days=30))
    activity = activity_build(period=theirs, with_file=True)
    for url in (
        reverse("register:period-edit", args=[theirs.pk]),
        reverse("register:activity-create", args=[theirs.pk]),
        reverse("register:activity-detail", args=[activity.pk]),
        reverse("register:activity-certificate", args=[activity.pk]),
    ):
        assert leader.get(url).status_code == 404, url
    assert leader.post(reverse("register:activity-delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_teacher_keeps_no_register(world: Any, client_for: Any) -> None:
    assert client_for(world.teacher).get(reverse("register:overview")).status_code == 403


def test_the_activity_page_has_a_fixed_number_of_queries(
    leader: Client, period: RegistrationPeriod, django_assert_max_num_queries: Any
) -> None:
    activity = activity_build(period=period, themes=themes_since_2014(1))
    url = reverse("register:activity-detail", args=[activity.pk])
    with CaptureQueriesContext(connection) as captured:
        leader.get(url)
    activity.themes.set(themes_since_2014(6))
    with django_assert_max_num_queries(len(captured)):
        assert leader.get(url).status_code == 200


def test_every_page_keeps_its_query_count_as_the_register_grows(
    world: Any, leader: Client, period: RegistrationPeriod, django_assert_max_num_queries: Any
) -> None:
    activity = activity_build(period=period, title="Cursus 0", themes=themes_since_2014(1), with_file=True)
    urls = [
        reverse("register:period-create"),
        reverse("register:period-edit", args=[period.pk]),
        reverse("register:activity-create", args=[period.pk]),
        reverse("register:activity-create", args=[period.pk]) + "?kind=pre_accredited",
        reverse("register:activity-create", args=[period.pk]) + "?kind=retro_assessed",
        reverse("register:activity-certificate", args=[activity.pk]),
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert leader.get(url).status_code == 200, url
        counts[url] = len(captured)
    for n in range(1, 30):
        activity_build(period=period, title=f"Cursus {n}", themes=themes_since_2014(4), practices=["LP1"])
    for n in range(4):
        period_build(person=world.manager, start=datetime.date(1990 + 5 * n, 1, 1))
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert leader.get(url).status_code == 200, url
