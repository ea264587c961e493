"""The refresh: finished records copied into contributions, then released into board, school and team groups.

Collecting each metric from rows the apps make (measurements, put-forward lesson visits, conversation
milestones), values copied so a later change in the source changes nothing, a second refresh adding
nothing, versions that only grow, releases that wait for five new people, a team inside a school.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from bekwaam.conversations.models import ConversationKind, ConversationState
from bekwaam.dossier.models import Rating
from bekwaam.dossier.services.assessments import RatingInput, assessment_finish, assessment_start
from bekwaam.frameworks.models import Indicator, ScaleLevel
from bekwaam.insights.disclosure import Unit, atoms_safe
from bekwaam.insights.models import Contribution, ContributionValue, GroupRelease, Metric, RefreshRun
from bekwaam.insights.services.release import refresh, refresh_request
from bekwaam.insights.tasks import insights_refresh, insights_refresh_all
from bekwaam.insights.tests.factories_groups import (
    DAY,
    SLUG,
    YEAR,
    conversation_in,
    framework_build,
    measurement_build,
    measurements_build,
    staff_build,
    visit_build,
)
from bekwaam.observations.models import ObservationKind, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(world: Any) -> Any:
    return framework_build(world.board_a)


def values_of(contribution: Contribution) -> dict[str, tuple[Decimal, int]]:
    return {v.dimension: (v.value, v.bucket) for v in ContributionValue.objects.filter(contribution=contribution)}


def release_of(board: Any, group: str, metric: str = Metric.MEASUREMENT, slug: str = SLUG) -> int | None:
    row = GroupRelease.objects.filter(board=board, metric=metric, framework_slug=slug, year=YEAR, group=group).first()
    return row.version if row else None


def units_of(board: Any) -> list[Unit]:
    rows = Contribution.objects.filter(board=board).prefetch_related("values")
    return [
        Unit(
            key=row.pk,
            person=row.person_id,
            dimensions=frozenset(value.dimension for value in row.values.all()),
            groups={"board": row.board_id, "school": row.school_id, "team": row.manager_id},
            versions={"board": row.board_version, "school": row.school_version, "team": row.team_version},
        )
        for row in rows
    ]


# --- collecting -------------------------------------------------------------------------------------------


def test_it_copies_a_measurement_with_the_mean_level_per_domain(world: Any, version: Any) -> None:
    # Two domains of one indicator each: D1 rated 2, D2 rated 4.
    measurement_build(person=world.teacher, version=version, levels=[2, 4])
    run = refresh(board=world.board_a)
    assert run.added == 1 and run.finished_at is not None
    contribution = Contribution.objects.get()
    assert (contribution.metric, contribution.framework_slug, contribution.year) == (Metric.MEASUREMENT, SLUG, YEAR)
    assert (contribution.person, contribution.school, contribution.manager) == (
        world.teacher,
        world.school_a,
        world.manager,
    )
    assert values_of(contribution) == {"D1": (Decimal("2.000"), 2), "D2": (Decimal("4.000"), 4)}


def test_it_takes_the_mean_of_a_domain_and_rounds_its_level_half_up(world: Any) -> None:
    version = framework_build(world.board_a, domains=1, slug="twee-indicatoren")
    # One domain, two competences of one indicator: 2 and 3 → mean 2.5, level 3.
    from bekwaam.frameworks.tests.factories import framework_version_build

    version = framework_version_build(board=world.board_a, slug="een-domein", domains=1, competences=2, indicators=1)
    measurement_build(person=world.teacher, version=version, levels=[2, 3])
    refresh(board=world.board_a)
    assert values_of(Contribution.objects.get()) == {"D1": (Decimal("2.500"), 3)}


def test_it_collects_a_measurement_finished_through_the_dossier(world: Any, version: Any) -> None:
    actor = actor_for(world.teacher, None)
    assessment, _created = assessment_start(actor=actor, framework_version=version)
    levels = {level.value: level.pk for level in ScaleLevel.objects.filter(version=version)}
    ratings = {i.pk: RatingInput(level_id=levels[3]) for i in Indicator.objects.filter(competence__version=version)}
    refresh(board=world.board_a)
    assert not Contribution.objects.exists()  # a draft is not a finished record
    assessment_finish(actor=actor, assessment=assessment, ratings=ratings)
    refresh(board=world.board_a)
    contribution = Contribution.objects.get()
    assert contribution.record_key == str(assessment.pk)
    assert contribution.year == (today := timezone.localdate()).year - (today.month < 8)


def test_the_copied_values_do_not_change_when_the_source_does(world: Any, version: Any) -> None:
    assessment = measurement_build(person=world.teacher, version=version, levels=[2, 2])
    refresh(board=world.board_a)
    four = ScaleLevel.objects.get(version=version, value=4)
    Rating.objects.filter(assessment=assessment).update(level=four)
    run = refresh(board=world.board_a)
    assert run.added == 0
    assert values_of(Contribution.objects.get()) == {"D1": (Decimal("2.000"), 2), "D2": (Decimal("2.000"), 2)}


def test_it_counts_a_measurement_where_the_person_worked_that_day(world: Any, version: Any) -> None:
    person = PersonFactory()
    later = EmploymentFactory(person=person, school=world.school_a2, start_date=datetime.date(2024, 1, 1))
    EmploymentFactory(person=person, school=world.school_a, start_date=datetime.date(2019, 8, 1), manager=world.manager)
    measurement_build(person=person, version=version, levels=3)
    refresh(board=world.board_a)
    contribution = Contribution.objects.get()
    # Both employments were active on the day: the earliest started one counts.
    assert (contribution.school, contribution.manager) == (world.school_a, world.manager)
    assert later.school != contribution.school


def test_it_waits_with_a_measurement_until_an_employment_covers_its_day(world: Any, version: Any) -> None:
    person = PersonFactory()
    employment = EmploymentFactory(person=person, school=world.school_a, start_date=datetime.date(2026, 1, 1))
    measurement_build(person=person, version=version, levels=3)
    assert refresh(board=world.board_a).added == 0
    employment.start_date = datetime.date(2025, 8, 1)
    employment.save()
    assert refresh(board=world.board_a).added == 1


def test_it_copies_put_forward_lesson_visits_only(world: Any) -> None:
    instrument = instrument_build(board=world.board_a, domains=2, items=2)
    visit = visit_build(teacher=world.teacher, observer=world.manager, instrument=instrument, scores=[1, 2, None, 4])
    observation_build(teacher=world.colleague, observer=world.manager, instrument=instrument, scores=[3, 3, 3, 3])
    observation_build(
        teacher=world.colleague,
        observer=world.manager,
        instrument=instrument,
        state=ObservationState.SUBMITTED,
        kind=ObservationKind.PEER,
        scores=[3, 3, 3, 3],
    )
    observation_build(
        teacher=world.teacher,
        observer=world.quality_officer,
        instrument=instrument,
        state=ObservationState.SUBMITTED,
        calibrates=visit,
        scores=[4, 4, 4, 4],
    )
    refresh(board=world.board_a)
    contribution = Contribution.objects.get(metric=Metric.OBSERVATION)
    assert contribution.record_key == str(visit.pk)
    assert (contribution.framework_slug, contribution.year) == ("test-kijkwijzer", YEAR)
    assert (contribution.person, contribution.school, contribution.manager) == (
        world.teacher,
        world.school_a,
        world.manager,
    )
    # D1: 1 and 2 → 1.5 (level 2); D2: "not seen" is not counted → 4.
    assert values_of(contribution) == {"D1": (Decimal("1.500"), 2), "D2": (Decimal("4.000"), 4)}


def test_it_counts_each_conversation_milestone_once(world: Any) -> None:
    planned = conversation_in(ConversationState.PLANNED, employee=world.teacher, manager=world.manager)
    signed = conversation_in(
        ConversationState.SIGNED, employee=world.colleague, manager=world.manager, kind=ConversationKind.PERFORMANCE
    )
    conversation_in(ConversationState.CANCELLED, employee=world.colleague, manager=world.manager)
    refresh(board=world.board_a)
    rows = Contribution.objects.filter(metric=Metric.CONVERSATIONS)
    assert sorted(rows.values_list("record_key", flat=True)) == sorted(
        [f"{planned.pk}:planned", f"{signed.pk}:planned", f"{signed.pk}:held", f"{signed.pk}:signed"]
    )
    assert sorted(ContributionValue.objects.values_list("dimension", "value", "bucket")) == [
        ("development:planned", Decimal("1.000"), 1),
        ("performance:held", Decimal("1.000"), 1),
        ("performance:planned", Decimal("1.000"), 1),
        ("performance:signed", Decimal("1.000"), 1),
    ]
    assert {row.year for row in rows} == {YEAR}
    # The planned one is held and written up later: only the new milestone is added.
    type(planned).objects.filter(pk=planned.pk).update(state=ConversationState.WITH_EMPLOYEE)
    assert refresh(board=world.board_a).added == 1
    assert Contribution.objects.filter(record_key=f"{planned.pk}:held").exists()


# --- releasing ---------------------------------------------------------------------------------------------


def test_a_second_refresh_adds_and_releases_nothing(world: Any, version: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=6), version=version)
    first = refresh(board=world.board_a)
    assert (first.added, first.released) == (6, 6)
    versions = list(Contribution.objects.order_by("pk").values_list("board_version", "school_version", "team_version"))
    releases = list(GroupRelease.objects.order_by("pk").values_list("group", "version", "released_at"))
    second = refresh(board=world.board_a)
    assert (second.added, second.released) == (0, 0)
    assert list(Contribution.objects.order_by("pk").values_list("board_version", "school_version", "team_version")) == (
        versions
    )
    assert list(GroupRelease.objects.order_by("pk").values_list("group", "version", "released_at")) == releases
    assert RefreshRun.objects.count() == 2


def test_a_school_of_four_is_withheld_and_of_five_shown(world: Any, version: Any) -> None:
    people = staff_build(school=world.school_a2, count=4)
    measurements_build(people=people, version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") is None
    assert release_of(world.board_a, "board") is None
    measurements_build(people=staff_build(school=world.school_a2, count=1), version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") == 1
    assert release_of(world.board_a, "board") == 1


def test_a_release_waits_for_five_new_people_and_versions_only_grow(world: Any, version: Any) -> None:
    group = f"school:{world.school_a2.pk}"
    measurements_build(people=staff_build(school=world.school_a2, count=6), version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, group) == 1
    first = GroupRelease.objects.get(group=group).released_at
    newcomer = staff_build(school=world.school_a2, count=1)
    measurements_build(people=newcomer, version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, group) == 1
    assert Contribution.objects.get(person=newcomer[0]).school_version is None
    # A second measurement of someone already shown is not a new person either.
    measurements_build(people=newcomer, version=version, levels=2, day=DAY + datetime.timedelta(days=30))
    refresh(board=world.board_a)
    assert release_of(world.board_a, group) == 1
    more = staff_build(school=world.school_a2, count=4)
    measurements_build(people=more, version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, group) == 2
    assert set(Contribution.objects.filter(person__in=[*newcomer, *more]).values_list("school_version", flat=True)) == {
        2
    }
    assert GroupRelease.objects.get(group=group).released_at > first
    assert atoms_safe(units_of(world.board_a), k=5)


def test_a_team_is_shown_only_when_the_rest_of_its_school_is_large_enough(world: Any, version: Any) -> None:
    leader = PersonFactory()
    team = staff_build(school=world.school_a2, count=5, manager=leader)
    others = staff_build(school=world.school_a2, count=2)
    measurements_build(people=[*team, *others], version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") == 1
    assert release_of(world.board_a, f"team:{leader.pk}") is None  # school minus team would show two people
    # Three more join the school later: the team still shares its release history with those two, so it stays
    # withheld this school year (its figures next to the school's would still single them out).
    measurements_build(people=staff_build(school=world.school_a2, count=3), version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"team:{leader.pk}") is None
    assert atoms_safe(units_of(world.board_a), k=5)


def test_a_team_and_the_rest_of_its_school_of_five_each_are_both_shown(world: Any, version: Any) -> None:
    leader = PersonFactory()
    team = staff_build(school=world.school_a2, count=5, manager=leader)
    others = staff_build(school=world.school_a2, count=5)
    measurements_build(people=[*team, *others], version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") == 1
    assert release_of(world.board_a, f"team:{leader.pk}") == 1
    assert set(Contribution.objects.filter(person__in=team).values_list("team_version", flat=True)) == {1}
    assert set(Contribution.objects.filter(person__in=others).values_list("team_version", flat=True)) == {None}
    assert atoms_safe(units_of(world.board_a), k=5)


def test_a_small_school_does_not_show_through_the_board_total(world: Any, version: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=6), version=version)
    small = SchoolFactory(board=world.board_a, name="De Kleine School")
    measurements_build(people=staff_build(school=small, count=3), version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{small.pk}") is None
    small_rows = Contribution.objects.filter(school=small)
    assert set(small_rows.values_list("board_version", flat=True)) == {None}
    assert atoms_safe(units_of(world.board_a), k=5)


def test_each_metric_framework_and_year_is_released_on_its_own(world: Any, version: Any) -> None:
    people = staff_build(school=world.school_a2, count=5)
    measurements_build(people=people, version=version)
    measurements_build(people=people[:3], version=version, day=datetime.date(2024, 10, 1))
    refresh(board=world.board_a)
    years = set(GroupRelease.objects.values_list("year", flat=True))
    assert years == {YEAR}  # three people the year before: withheld


@override_settings(AGGREGATE_MIN_GROUP_SIZE=3)
def test_the_minimum_group_size_is_the_setting(world: Any, version: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a2, count=3), version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") == 1


def test_the_full_refresh_looks_again_after_the_setting_changed(world: Any, version: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a2, count=3), version=version)
    refresh(board=world.board_a)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") is None
    with override_settings(AGGREGATE_MIN_GROUP_SIZE=3):
        refresh(board=world.board_a)
        assert release_of(world.board_a, f"school:{world.school_a2.pk}") is None  # no new records: not looked at
        refresh(board=world.board_a, full=True)
    assert release_of(world.board_a, f"school:{world.school_a2.pk}") == 1


def test_it_refreshes_only_its_own_board(world: Any, version: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=5), version=version)
    refresh(board=world.board_b)
    assert not Contribution.objects.exists()
    refresh(board=world.board_a)
    assert set(Contribution.objects.values_list("board_id", flat=True)) == {world.board_a.pk}


# --- running it ---------------------------------------------------------------------------------------------


def test_the_tasks_and_the_command_refresh(world: Any, version: Any) -> None:
    measurements_build(people=staff_build(school=world.school_a, count=5), version=version)
    result = insights_refresh.enqueue(board_id=world.board_a.pk)
    assert result.return_value == {"added": 5, "released": 5}
    measurements_build(people=staff_build(school=world.school_b, count=5), version=framework_build(world.board_b))
    assert insights_refresh_all.enqueue().return_value == {"boards": 2, "added": 5, "released": 5}
    out = StringIO()
    call_command("insights_refresh", "--board", str(world.board_a.pk), stdout=out)
    assert f"{world.board_a.pk} Stichting Alfa: 0 added, 0 released" in out.getvalue()


def test_refresh_now_is_not_asked_twice_while_one_runs(world: Any) -> None:
    actor = actor_for(world.board_member, f"board:{world.board_a.pk}")
    RefreshRun.objects.create(board=world.board_a)  # started, not finished
    assert refresh_request(actor=actor) is False
    RefreshRun.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=5))
    assert refresh_request(actor=actor) is True
    assert RefreshRun.objects.filter(finished_at__isnull=False).count() == 1
