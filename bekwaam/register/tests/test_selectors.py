"""Reads of the register: only one's own periods, totals summed in SQL, a flat number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bekwaam.register.models import ActivityKind, LeadershipPractice, Theme
from bekwaam.register.points import PeriodRule, PeriodStatus
from bekwaam.register.selectors import (
    activity_get_for,
    period_get_for,
    period_list_for,
    period_proposed_start,
    period_summary_for,
    periods_overview_for,
    theme_choices_for_period,
)
from bekwaam.register.tests.factories import (
    activity_build,
    actor_of,
    period_build,
    second_leader,
    themes_since_2014,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_it_sums_the_totals_per_kind_theme_and_practice(world: Any) -> None:
    period = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=400))
    a, b, c = themes_since_2014(3)
    activity_build(period=period, title="Cursus 1", points=30, themes=[a, b], practices=["LP1", "LP4"])
    activity_build(period=period, title="Cursus 2", points=15, themes=[a], practices=["LP4"])
    activity_build(
        period=period, title="Waardering", kind=ActivityKind.RETRO_ASSESSED, points=40, themes=[a, b, c], level=5
    )
    summary = period_summary_for(actor=actor_of(world.manager), period=period, today=TODAY)
    assert (summary.points_total, summary.pre_points, summary.pre_count) == (85, 45, 2)
    assert (summary.retro_points, summary.retro_count, summary.activity_count) == (40, 1, 3)
    per_theme = {row.label: (row.activities, row.points) for row in summary.themes}
    assert per_theme == {a.name: (3, 85), b.name: (2, 70), c.name: (1, 40)}
    assert [row.label for row in summary.themes] == [a.name, b.name, c.name]  # most points first
    per_practice = {row.key: (row.activities, row.points) for row in summary.practices}
    assert per_practice["LP1"] == (1, 30)
    assert per_practice["LP4"] == (2, 45)
    assert per_practice["PL"] == (0, 0)
    assert [row.key for row in summary.practices] == LeadershipPractice.values
    assert (summary.standing.status, summary.standing.short_by) == (PeriodStatus.ACTIVE, 15)
    assert summary.standing.distinct_themes == 3


def test_the_list_annotates_points_and_different_themes(world: Any) -> None:
    period = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=400))
    a, b = themes_since_2014(2)
    activity_build(period=period, title="1", points=50, themes=[a, b])
    activity_build(period=period, title="2", points=50, themes=[a])
    (row,) = period_list_for(actor=actor_of(world.manager))
    assert (row.points_total, row.theme_total) == (100, 2)  # themes once each, points not multiplied by them


def test_an_old_rule_period_counts_different_themes(world: Any) -> None:
    period = period_build(person=world.manager, start=datetime.date(2015, 9, 1), years=4)
    a, b = themes_since_2014(2)
    activity_build(period=period, title="1", points=10, themes=[a, b])
    activity_build(period=period, title="2", points=10, themes=[a])
    current, _others = periods_overview_for(actor=actor_of(world.manager), today=TODAY)
    assert current is not None
    assert (current.standing.rule, current.standing.distinct_themes, current.standing.short_by) == (
        PeriodRule.THEMES,
        2,
        1,
    )
    assert current.standing.status == PeriodStatus.EXPIRED


def test_the_current_period_is_the_latest_begun_and_the_rest_follow(world: Any) -> None:
    old = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=365 * 6))
    now = period_build(person=world.manager, start=old.end_date + datetime.timedelta(days=1))
    current, others = periods_overview_for(actor=actor_of(world.manager), today=TODAY)
    assert current is not None and current.period == now
    assert [row.period for row in others] == [old]


def test_a_period_still_to_come_is_current_when_none_has_begun(world: Any) -> None:
    upcoming = period_build(person=world.manager, start=TODAY + datetime.timedelta(days=30))
    current, others = periods_overview_for(actor=actor_of(world.manager), today=TODAY)
    assert current is not None and current.period == upcoming and others == []
    assert periods_overview_for(actor=actor_of(second_leader(world)), today=TODAY) == (None, [])


def test_it_proposes_the_day_after_the_latest_period(world: Any) -> None:
    actor = actor_of(world.manager)
    assert period_proposed_start(actor=actor) is None
    period_build(person=world.manager, start=datetime.date(2019, 9, 1))
    assert period_proposed_start(actor=actor) == datetime.date(2024, 9, 1)


def test_nobody_finds_someone_elses_period_or_activity(world: Any) -> None:
    other = second_leader(world)
    theirs = period_build(person=other, start=TODAY - datetime.timedelta(days=30))
    activity = activity_build(period=theirs)
    mine = actor_of(world.manager)
    with pytest.raises(Http404):
        period_get_for(actor=mine, period_id=theirs.pk)
    with pytest.raises(Http404):
        activity_get_for(actor=mine, activity_id=activity.pk)
    with pytest.raises(Http404):
        period_summary_for(actor=mine, period=theirs)
    assert list(period_list_for(actor=mine)) == []
    assert period_get_for(actor=actor_of(other), period_id=theirs.pk) == theirs


def test_a_period_kept_at_another_board_is_not_listed_at_this_one(world: Any) -> None:
    elsewhere = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=30), board=world.board_b)
    actor = actor_of(world.manager)
    assert list(period_list_for(actor=actor)) == []
    with pytest.raises(Http404):
        period_get_for(actor=actor, period_id=elsewhere.pk)


def test_the_theme_choices_are_those_valid_in_some_year_of_the_period(world: Any) -> None:
    period = period_build(person=world.manager, start=datetime.date(2016, 9, 1), years=4)  # to 31-08-2020
    Theme.objects.create(code="tot-2015", name="Tot 2015", first_year=2014, last_year=2015)
    Theme.objects.create(code="tot-2017", name="Tot 2017", first_year=2014, last_year=2017)
    names = set(theme_choices_for_period(period=period).values_list("name", flat=True))
    assert "Tot 2017" in names and "Tot 2015" not in names
    assert "Pedagogisch leiderschap" in names  # from 2020
    assert "Kansen(on)gelijkheid" not in names  # from 2021


def summary_queries(world: Any) -> int:
    actor = actor_of(world.manager)
    period = period_get_for(actor=actor, period_id=world.manager.registration_periods.get().pk)
    with CaptureQueriesContext(connection) as captured:
        summary = period_summary_for(actor=actor, period=period)
        for activity in summary.activities:
            list(activity.themes.all())
    return len(captured)


def test_the_summary_takes_the_same_queries_for_1_or_30_activities(world: Any) -> None:
    period = period_build(person=world.manager, start=TODAY - datetime.timedelta(days=400))
    pool = themes_since_2014(4)
    activity_build(period=period, title="Cursus 0", themes=pool[:2], practices=["LP1"])
    one = summary_queries(world)
    for n in range(1, 30):
        activity_build(
            period=period,
            title=f"Cursus {n}",
            themes=pool[: 1 + n % 4],
            practices=["LP2", "PL"],
            kind=ActivityKind.RETRO_ASSESSED if n % 2 else ActivityKind.PRE_ACCREDITED,
        )
    assert summary_queries(world) == one == 4


def test_a_revoked_certificate_stays_listed_but_no_longer_counts(world: Any) -> None:
    from bekwaam.credentials.tests.factories import world_certificate
    from bekwaam.register.services import activity_record_from_certificate

    today = timezone.localdate()
    period = period_build(person=world.manager, start=today.replace(year=today.year - 1))
    activity_build(period=period, title="Leergang", points=35)
    certificate = world_certificate(world)
    activity = activity_record_from_certificate(certificate=certificate)
    assert activity is not None and activity.period_id == period.pk
    actor = actor_of(world.manager)
    counted = period_summary_for(actor=actor, period=period).points_total
    assert counted == 35 + certificate.points

    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    summary = period_summary_for(actor=actor, period=period)
    assert summary.points_total == 35
    assert {a.pk for a in summary.activities} >= {activity.pk}
    assert all(row.points <= 35 for row in summary.themes)
    current, _others = periods_overview_for(actor=actor)
    assert current is not None and current.period.points_total == 35
