"""Writes to the register: periods, the two kinds of activity with every bad input the issue names, deleting,
and the entry of a certificate issued in Bekwaam."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from bekwaam.credentials.models import Certificate, SigningKey
from bekwaam.dossier.tests.test_uploads import png_bytes
from bekwaam.register import points
from bekwaam.register.models import Activity, ActivityKind, LeadershipPractice, RegistrationPeriod, Theme
from bekwaam.register.services import (
    activity_create,
    activity_delete,
    activity_record_from_certificate,
    period_create,
    period_update,
)
from bekwaam.register.tests.factories import (
    activity_build,
    actor_of,
    pdf_upload,
    period_build,
    second_leader,
    themes_since_2014,
)
from bekwaam.tenancy.context import actor_for
from bekwaam.trajectories.models import Decision, DecisionOutcome, TrajectoryState
from bekwaam.trajectories.tests.factories import assessor_build, template_build, themes, trajectory_build

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def leader(world: Any) -> Any:
    return actor_of(world.manager)


@pytest.fixture
def period(world: Any) -> RegistrationPeriod:
    """The manager's running period, begun two years ago."""
    return period_build(person=world.manager, start=TODAY - datetime.timedelta(days=730))


def messages_of(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict.get(field, []))


# --- periods ---------------------------------------------------------------------------------------------------


def test_it_creates_a_period_of_five_years_ending_the_day_before(world: Any, leader: Any) -> None:
    period = period_create(actor=leader, start_date=datetime.date(2023, 9, 1), registration_number=" RDO-123 ")
    assert (period.length_years, period.end_date) == (5, datetime.date(2028, 8, 31))
    assert (period.person, period.board, period.registration_number) == (world.manager, world.board_a, "RDO-123")
    assert period.points_required == 100


def test_it_proposes_four_years_for_a_period_begun_under_the_earlier_rule(leader: Any) -> None:
    period = period_create(actor=leader, start_date=datetime.date(2016, 9, 1))
    assert (period.length_years, period.end_date) == (4, datetime.date(2020, 8, 31))
    chosen = period_create(actor=leader, start_date=datetime.date(2020, 9, 1), length_years=5)
    assert chosen.end_date == datetime.date(2025, 8, 31)


@pytest.mark.parametrize(
    ("start", "years"),
    [
        (datetime.date(2023, 9, 1), 5),  # the same
        (datetime.date(2028, 8, 31), 5),  # starts on the last day of the other
        (datetime.date(2020, 1, 1), 4),  # ends on its first day
        (datetime.date(2024, 1, 1), 1),  # inside
        (datetime.date(2020, 1, 1), 10),  # around
    ],
)
def test_it_refuses_overlapping_periods(leader: Any, start: datetime.date, years: int) -> None:
    period_create(actor=leader, start_date=datetime.date(2023, 9, 1))
    with pytest.raises(ValidationError) as error:
        period_create(actor=leader, start_date=start, length_years=years)
    assert "overlap your registration period from 01-09-2023 to 31-08-2028" in messages_of(error, "start_date")
    assert RegistrationPeriod.objects.count() == 1


def test_the_next_period_may_start_the_day_after(leader: Any) -> None:
    first = period_create(actor=leader, start_date=datetime.date(2018, 9, 1), length_years=5)
    second = period_create(actor=leader, start_date=first.end_date + datetime.timedelta(days=1))
    assert second.start_date == datetime.date(2023, 9, 1)


def test_it_refuses_an_overlap_with_a_period_kept_at_another_board(world: Any, leader: Any) -> None:
    period_build(person=world.manager, start=datetime.date(2023, 9, 1), board=world.board_b)
    with pytest.raises(ValidationError, match="overlap"):
        period_create(actor=leader, start_date=datetime.date(2024, 1, 1))


def test_it_refuses_a_length_out_of_range(leader: Any) -> None:
    with pytest.raises(ValidationError) as error:
        period_create(actor=leader, start_date=datetime.date(2023, 9, 1), length_years=11)
    assert "from 1 to 10 years" in messages_of(error, "length_years")


def test_only_a_school_leader_keeps_periods(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        period_create(actor=actor_for(world.teacher, f"board:{world.board_a.pk}"), start_date=TODAY)


def test_it_updates_the_dates_and_refuses_to_leave_an_activity_out(leader: Any, period: RegistrationPeriod) -> None:
    activity_build(period=period, title="Vroege cursus", on=period.start_date)
    later = period.start_date + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        period_update(actor=leader, period=period, start_date=later, length_years=5)
    assert "“Vroege cursus”" in messages_of(error, "start_date")
    period.refresh_from_db()
    updated = period_update(
        actor=leader, period=period, start_date=period.start_date, length_years=4, registration_number="X1"
    )
    assert updated.end_date == points.period_end(period.start_date, 4)
    period.refresh_from_db()
    assert (period.length_years, period.registration_number) == (4, "X1")


def test_it_refuses_an_update_that_overlaps_another(leader: Any, world: Any) -> None:
    first = period_build(person=world.manager, start=datetime.date(2018, 9, 1))
    second = period_build(person=world.manager, start=datetime.date(2023, 9, 1))
    with pytest.raises(ValidationError, match="overlap"):
        period_update(actor=leader, period=second, start_date=datetime.date(2023, 8, 1), length_years=5)
    period_update(actor=leader, period=first, start_date=datetime.date(2018, 9, 1), length_years=5)  # itself: fine


def test_nobody_changes_someone_elses_period(world: Any) -> None:
    other = second_leader(world)
    theirs = period_build(person=other, start=datetime.date(2023, 9, 1))
    with pytest.raises(PermissionDenied):
        period_update(actor=actor_of(world.manager), period=theirs, start_date=datetime.date(2023, 9, 1))


# --- a pre-accredited activity ---------------------------------------------------------------------------------


def pre(leader: Any, period: RegistrationPeriod, **overrides: Any) -> Activity:
    values: dict[str, Any] = {
        "actor": leader,
        "period": period,
        "kind": ActivityKind.PRE_ACCREDITED,
        "title": "Leergang Strategisch leiderschap",
        "provider_name": "AVS Academie",
        "completed_on": TODAY - datetime.timedelta(days=30),
        "points": 35,
        "themes": themes_since_2014(2),
        "leadership_practices": [LeadershipPractice.QUALITY, LeadershipPractice.VISION, LeadershipPractice.VISION],
        "certificate_file": pdf_upload(),
    }
    return activity_create(**(values | overrides))


def test_it_records_a_pre_accredited_activity_with_its_certificate(
    leader: Any, period: RegistrationPeriod, media: Path
) -> None:
    activity = pre(leader, period)
    assert (activity.points, activity.learning_level, activity.kind) == (35, None, "pre_accredited")
    assert activity.leadership_practices == ["LP1", "LP4"]  # the standard's order, once each
    assert activity.themes.count() == 2
    assert activity.certificate_file_name == "certificaat.pdf"
    assert activity.certificate_file.name.startswith("register/")
    assert "certificaat" not in activity.certificate_file.name  # stored under a random name
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("value", [None, 0, 9, 101, 250])
def test_it_refuses_points_outside_10_to_100(leader: Any, period: RegistrationPeriod, value: int | None) -> None:
    with pytest.raises(ValidationError) as error:
        pre(leader, period, points=value)
    assert "from 10 to 100" in messages_of(error, "points")
    assert not Activity.objects.exists()


@pytest.mark.parametrize("value", [10, 100])
def test_it_accepts_the_edges_of_the_points(leader: Any, period: RegistrationPeriod, value: int) -> None:
    assert pre(leader, period, points=value).points == value


def test_it_requires_the_certificate_and_checks_its_type(leader: Any, period: RegistrationPeriod, media: Path) -> None:
    with pytest.raises(ValidationError) as error:
        pre(leader, period, certificate_file=None)
    assert "Upload the certificate" in messages_of(error, "certificate_file")
    with pytest.raises(ValidationError) as error:
        pre(leader, period, certificate_file=SimpleUploadedFile("certificaat.pdf", png_bytes()))
    assert "not a real .pdf file" in messages_of(error, "certificate_file")
    with pytest.raises(ValidationError) as error:
        pre(leader, period, certificate_file=SimpleUploadedFile("x.html", b"<html><script>1</script></html>"))
    assert "not allowed" in messages_of(error, "certificate_file")
    assert not stored_files(media)


@pytest.mark.parametrize("days", [-1, 1])
def test_it_refuses_a_date_outside_the_period(leader: Any, world: Any, days: int) -> None:
    period = period_build(person=world.manager, start=datetime.date(2018, 9, 1))
    outside = period.start_date + datetime.timedelta(days=days) if days < 0 else period.end_date + datetime.timedelta(1)
    with pytest.raises(ValidationError) as error:
        pre(leader, period, completed_on=outside)
    assert "within this registration period: 01-09-2018 to 31-08-2023" in messages_of(error, "completed_on")


def test_it_accepts_the_first_and_last_day_of_the_period(leader: Any, world: Any) -> None:
    period = period_build(person=world.manager, start=datetime.date(2018, 9, 1))
    assert pre(leader, period, completed_on=period.start_date, title="Eerste").completed_on == period.start_date
    assert pre(leader, period, completed_on=period.end_date, title="Laatste").completed_on == period.end_date


def test_it_refuses_a_date_in_the_future(leader: Any, period: RegistrationPeriod) -> None:
    with pytest.raises(ValidationError) as error:
        pre(leader, period, completed_on=TODAY + datetime.timedelta(days=1))
    assert "cannot be in the future" in messages_of(error, "completed_on")


def test_it_refuses_the_same_activity_twice_with_a_message(
    leader: Any, period: RegistrationPeriod, media: Path
) -> None:
    pre(leader, period)
    with pytest.raises(ValidationError) as error:
        pre(leader, period, title=" leergang strategisch LEIDERSCHAP ", provider_name="avs academie")
    assert "already entered this activity" in " ".join(error.value.messages)
    assert Activity.objects.count() == 1
    assert len(stored_files(media)) == 1  # the refused one's file is not kept
    # Another date is another activity.
    pre(leader, period, completed_on=TODAY - datetime.timedelta(days=31))
    assert Activity.objects.count() == 2


def test_a_race_on_the_same_activity_ends_in_the_message_not_an_integrity_error(
    leader: Any, period: RegistrationPeriod, monkeypatch: Any
) -> None:
    """A second request that passed the check just before the first saved hits the constraint."""
    from bekwaam.register import services

    pre(leader, period, certificate_file=pdf_upload())
    monkeypatch.setattr(services, "_duplicate_check", lambda activity: None)
    with transaction.atomic(), pytest.raises(ValidationError, match="already entered"):
        pre(leader, period)
    assert Activity.objects.count() == 1


def test_it_refuses_a_theme_not_valid_in_the_activitys_year(leader: Any, period: RegistrationPeriod) -> None:
    year = TODAY.year
    future = Theme.objects.create(code="nieuw", name="Nieuw thema", first_year=year + 1)
    ended = Theme.objects.create(code="oud", name="Oud thema", first_year=2014, last_year=year - 1)
    with pytest.raises(ValidationError) as error:
        pre(leader, period, completed_on=TODAY, themes=[future, ended, *themes(1)])
    message = messages_of(error, "themes")
    assert f"in {year}" in message
    assert "Nieuw thema, Oud thema" in message
    assert themes(1)[0].name not in message


def test_it_accepts_a_theme_in_its_last_year(leader: Any, period: RegistrationPeriod) -> None:
    ending = Theme.objects.create(code="laatste", name="Laatste jaar", first_year=2014, last_year=TODAY.year)
    assert list(pre(leader, period, completed_on=TODAY, themes=[ending]).themes.all()) == [ending]


def test_it_refuses_unknown_leadership_practices(leader: Any, period: RegistrationPeriod) -> None:
    with pytest.raises(ValidationError) as error:
        pre(leader, period, leadership_practices=["LP9"])
    assert "from the list" in messages_of(error, "leadership_practices")


def test_it_refuses_an_activity_in_someone_elses_period(world: Any) -> None:
    other = second_leader(world)
    theirs = period_build(person=other, start=TODAY - datetime.timedelta(days=30))
    with pytest.raises(PermissionDenied):
        pre(actor_of(world.manager), theirs)
    assert not Activity.objects.exists()


# --- an assessment afterwards ----------------------------------------------------------------------------------


def retro(leader: Any, period: RegistrationPeriod, **overrides: Any) -> Activity:
    values: dict[str, Any] = {
        "actor": leader,
        "period": period,
        "kind": ActivityKind.RETRO_ASSESSED,
        "title": "Schoolleiders waarderen schoolleiders",
        "provider_name": "Schoolleidersregister PO",
        "completed_on": TODAY - datetime.timedelta(days=10),
        "themes": themes_since_2014(3),
        "learning_level": 5,
    }
    return activity_create(**(values | overrides))


@pytest.mark.parametrize(("level", "expected"), [(4, 30), (5, 40), (6, 50)])
def test_it_computes_the_points_of_an_assessment(
    leader: Any, period: RegistrationPeriod, level: int, expected: int
) -> None:
    activity = retro(leader, period, learning_level=level, points=99)  # typed points are ignored
    assert (activity.points, activity.learning_level) == (expected, level)
    assert not activity.certificate_file


def test_it_counts_a_theme_named_twice_once(leader: Any, period: RegistrationPeriod) -> None:
    one = themes(1)
    assert retro(leader, period, themes=one + one, learning_level=4).points == 10


@pytest.mark.parametrize("level", [1, 2, 3])
def test_it_refuses_a_claim_below_level_4_with_the_reason(leader: Any, period: RegistrationPeriod, level: int) -> None:
    with pytest.raises(ValidationError) as error:
        retro(leader, period, learning_level=level)
    message = messages_of(error, "learning_level")
    assert "Below learning level 4 an assessment gives no points" in message
    assert "4 – Reflection and critique" in message
    assert not Activity.objects.exists()


def test_the_minimum_level_is_a_setting(leader: Any, period: RegistrationPeriod, settings: Any) -> None:
    settings.REGISTER_MIN_LEARNING_LEVEL = 3
    assert retro(leader, period, learning_level=3).points == 30
    settings.REGISTER_MIN_LEARNING_LEVEL = 5
    with pytest.raises(ValidationError, match="Below learning level 5"):
        retro(leader, period, learning_level=4, title="Ander")


def test_it_requires_the_themes_shown_and_a_level(leader: Any, period: RegistrationPeriod) -> None:
    with pytest.raises(ValidationError) as error:
        retro(leader, period, themes=[], learning_level=None)
    assert "Choose the themes" in messages_of(error, "themes")
    assert "Choose the learning level" in messages_of(error, "learning_level")


def test_it_keeps_an_optional_report_of_the_assessment(leader: Any, period: RegistrationPeriod) -> None:
    activity = retro(leader, period, certificate_file=pdf_upload("rapport.pdf"))
    assert activity.certificate_file_name == "rapport.pdf"


def test_it_refuses_empty_names_and_an_unknown_kind(leader: Any, period: RegistrationPeriod) -> None:
    with pytest.raises(ValidationError) as error:
        retro(leader, period, title="  ", provider_name="")
    assert set(error.value.message_dict) >= {"title", "provider_name"}
    with pytest.raises(ValidationError, match="kind"):
        retro(leader, period, kind="other")


# --- deleting --------------------------------------------------------------------------------------------------


def test_it_deletes_an_activity_and_its_file_after_commit(
    leader: Any, period: RegistrationPeriod, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    activity = pre(leader, period)
    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(actor=leader, activity=activity)
    assert not Activity.objects.exists()
    assert not stored_files(media)


def test_it_does_not_delete_an_activity_from_a_bekwaam_certificate(world: Any, leader: Any) -> None:
    period = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365))
    activity = activity_record_from_certificate(certificate=certificate_of(world))
    assert activity is not None
    with pytest.raises(ValidationError, match="issued in Bekwaam"):
        activity_delete(actor=leader, activity=activity)
    assert Activity.objects.filter(period=period).count() == 1


def test_it_does_not_delete_someone_elses_activity(world: Any) -> None:
    other = second_leader(world)
    theirs = activity_build(period=period_build(person=other, start=TODAY - datetime.timedelta(days=30)))
    with pytest.raises(PermissionDenied):
        activity_delete(actor=actor_of(world.manager), activity=theirs)
    assert Activity.objects.count() == 1


# --- the contract with the decision: a certificate enters the register -----------------------------------------


def certificate_of(world: Any, *, issued_at: datetime.datetime | None = None, level: int = 5) -> Certificate:
    """A positive decision's certificate for the manager, as credentials.certificate_issue leaves it."""
    template = template_build(provider=world.provider)
    shown = themes(3)
    trajectory = trajectory_build(
        candidate=world.manager, template=template, state=TrajectoryState.CERTIFIED, theme_list=shown
    )
    second = assessor_build(provider=world.provider, email="assessor2@academie.nl")
    decision = Decision.objects.create(
        trajectory=trajectory,
        outcome=DecisionOutcome.CERTIFIED,
        learning_level=level,
        points=points.assessment_points(theme_count=len(shown), learning_level=level),
        first_assessor=world.assessor,
        second_assessor=second,
    )
    decision.themes.set(shown)
    key = SigningKey.objects.create(provider=world.provider, kid="test-key", public_jwk={"kty": "OKP"})
    return Certificate.objects.create(
        provider=world.provider,
        trajectory=trajectory,
        holder=world.manager,
        holder_name=world.manager.full_name,
        issuer_name=world.provider.name,
        title="Waarderingstraject Schoolleiders",
        theme_names=[theme.name for theme in shown],
        learning_level=level,
        points=decision.points,
        assessor_names=["A", "B"],
        issued_at=issued_at or timezone.now(),
        snapshot_hash="0" * 64,
        key=key,
        credential="x.y.z",
        status_index=1,
    )


def test_a_certificate_enters_the_period_holding_its_date(world: Any) -> None:
    old = period_build(person=world.manager, start=datetime.date(2015, 9, 1))
    current = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365))
    certificate = certificate_of(world)
    activity = activity_record_from_certificate(certificate=certificate)
    assert activity is not None
    assert activity.period == current and activity.period != old
    assert (activity.kind, activity.points, activity.learning_level) == ("retro_assessed", 40, 5)
    assert (activity.title, activity.provider_name) == ("Waarderingstraject Schoolleiders", world.provider.name)
    assert activity.completed_on == timezone.localdate(certificate.issued_at)
    assert sorted(t.name for t in activity.themes.all()) == sorted(certificate.theme_names)
    assert activity.certificate == certificate
    assert activity.board_id == current.board_id


def test_entering_a_certificate_twice_gives_the_same_activity(world: Any) -> None:
    period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365))
    certificate = certificate_of(world)
    first = activity_record_from_certificate(certificate=certificate)
    second = activity_record_from_certificate(certificate=certificate)
    assert first is not None and second is not None and first.pk == second.pk
    assert Activity.objects.count() == 1


def test_a_certificate_without_a_period_for_its_date_goes_to_the_latest_open_one(world: Any) -> None:
    upcoming = period_build(person=world.manager, start=TODAY + datetime.timedelta(days=10))
    period_build(person=world.manager, start=datetime.date(2010, 1, 1))
    activity = activity_record_from_certificate(certificate=certificate_of(world))
    assert activity is not None and activity.period == upcoming


def test_a_certificate_without_any_open_period_is_not_entered(world: Any) -> None:
    period_build(person=world.manager, start=datetime.date(2010, 1, 1))
    assert activity_record_from_certificate(certificate=certificate_of(world)) is None
    assert not Activity.objects.exists()


def test_a_certificate_finds_the_period_kept_at_another_board(world: Any) -> None:
    elsewhere = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=30), board=world.board_b)
    activity = activity_record_from_certificate(certificate=certificate_of(world))
    assert activity is not None and activity.period == elsewhere and activity.board_id == world.board_b.pk


def test_a_certificate_takes_over_the_same_assessment_entered_by_hand(world: Any) -> None:
    period = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365))
    certificate = certificate_of(world)
    by_hand = activity_build(
        period=period,
        kind=ActivityKind.RETRO_ASSESSED,
        title=certificate.title,
        provider=certificate.issuer_name,
        on=timezone.localdate(certificate.issued_at),
        points=20,
        level=4,
    )
    activity = activity_record_from_certificate(certificate=certificate)
    assert activity is not None and activity.pk == by_hand.pk
    by_hand.refresh_from_db()
    assert (by_hand.points, by_hand.learning_level, by_hand.certificate_id) == (40, 5, certificate.pk)
    assert Activity.objects.count() == 1


def test_it_runs_inside_the_callers_transaction(world: Any) -> None:
    period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365))
    certificate = certificate_of(world)
    with transaction.atomic():
        activity_record_from_certificate(certificate=certificate)
        transaction.set_rollback(True)
    assert not Activity.objects.exists()
