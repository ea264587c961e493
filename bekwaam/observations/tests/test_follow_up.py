"""A follow-up lesson visit the teacher asks for (observations.services.follow_up): for whom, with which
kijkwijzer and item, who may ask, and the observer's e-mail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.observations.models import Observation, ObservationEvent, ObservationKind, ObservationState
from bekwaam.observations.services.follow_up import FOLLOW_UP_AFTER, follow_up_plan_for, follow_up_visit_request
from bekwaam.observations.tests.factories import ICALT_SCALE, instrument_build, observation_build
from bekwaam.observations.tests.factories_visits import instrument_of
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Employment, Role, RoleGrant

pytestmark = pytest.mark.django_db


def actor(person: Any) -> Actor:
    return actor_for(person, None)


def earlier_visit(world: Any, *, observer: Any = None, state: str = ObservationState.SUBMITTED, **extra: Any) -> Any:
    return observation_build(
        teacher=world.teacher,
        observer=observer or world.manager,
        instrument=instrument_of(world),
        state=state,
        scores={"D1.C1": 1, "D1.C2": 3},
        subject="Begrijpend lezen",
        group=6,
        **extra,
    )


def test_it_plans_a_visit_for_the_earlier_observer_on_the_item(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    earlier = earlier_visit(world)
    with django_capture_on_commit_callbacks(execute=True):
        visit = follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1", focus="Doel")
    assert (visit.teacher, visit.observer, visit.created_by) == (world.teacher, world.manager, world.teacher)
    assert (visit.state, visit.kind, visit.group, visit.subject, visit.focus) == (
        ObservationState.PLANNED,
        ObservationKind.VISIT,
        6,
        "Begrijpend lezen",
        "Doel",
    )
    assert visit.date == timezone.localdate() + FOLLOW_UP_AFTER and visit.start_time is None
    assert visit.instrument_id == earlier.instrument_id and visit.employment_id == earlier.employment_id
    assert [item.code for item in visit.focus_items.all()] == ["D1.C1"]
    assert list(ObservationEvent.objects.filter(observation=visit).values_list("action", flat=True)) == ["plan"]
    [message] = mailoutbox
    assert message.to == [world.manager.email]
    assert world.teacher.full_name in message.subject
    assert "D1.C1" in message.body and reverse("observations:visit-detail", args=[visit.pk]) in message.body


def test_it_uses_the_newest_kijkwijzer_version_that_has_the_item(world: Any) -> None:
    earlier = earlier_visit(world)
    newer = instrument_build(board=world.board_a)  # version 2 of the same kijkwijzer, same codes
    visit = follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert visit.instrument_id == newer.pk
    [item] = visit.focus_items.all()
    assert (item.version_id, item.code) == (newer.pk, "D1.C1")


def test_it_keeps_the_earlier_version_when_the_newest_has_no_such_item(world: Any) -> None:
    earlier = earlier_visit(world)
    instrument_build(board=world.board_a, domains=1, items=1)  # version 2 has D1.C1 only
    visit = follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C2")
    assert visit.instrument_id == earlier.instrument_id


def test_it_asks_the_leidinggevende_when_the_observer_can_no_longer_visit(world: Any) -> None:
    earlier = earlier_visit(world, observer=world.quality_officer)
    RoleGrant.objects.filter(person=world.quality_officer).delete()  # no longer the kwaliteitsmedewerker
    plan = follow_up_plan_for(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert (plan.observer, plan.is_earlier_observer) == (world.manager, False)
    visit = follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert visit.observer == world.manager


def test_it_asks_the_earlier_observer_while_they_still_may(world: Any) -> None:
    earlier = earlier_visit(world, observer=world.quality_officer)
    plan = follow_up_plan_for(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert (plan.observer, plan.is_earlier_observer) == (world.quality_officer, True)


def test_it_says_so_when_nobody_can_visit(world: Any) -> None:
    earlier = earlier_visit(world)
    Employment.objects.filter(person=world.manager).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    RoleGrant.objects.filter(person=world.manager, role=Role.MANAGER).delete()
    Employment.objects.filter(person=world.teacher).update(manager=None)
    with translation.override("en"), pytest.raises(ValidationError, match="Nobody can be asked"):
        follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert Observation.objects.count() == 1


def test_it_only_lets_the_teacher_ask(world: Any) -> None:
    earlier = earlier_visit(world)
    for person in (world.manager, world.quality_officer):
        with pytest.raises(PermissionDenied):
            follow_up_visit_request(actor=actor(person), observation=earlier, code="D1.C1")
    assert Observation.objects.count() == 1


@pytest.mark.parametrize("state", [ObservationState.PLANNED, ObservationState.IN_PROGRESS])
def test_it_asks_after_a_visit_that_was_put_forward_only(world: Any, state: str) -> None:
    earlier = earlier_visit(world, state=state)
    with pytest.raises(ValidationError):
        follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")


def test_it_refuses_an_item_that_is_not_in_the_kijkwijzer(world: Any) -> None:
    earlier = earlier_visit(world)
    with pytest.raises(ValidationError):
        follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="X9")


def test_it_uses_the_teachers_current_job_when_the_visited_one_has_ended(world: Any) -> None:
    earlier = earlier_visit(world)
    old = Employment.objects.get(person=world.teacher)
    old.end_date = timezone.localdate() - datetime.timedelta(days=1)
    old.save()
    current = Employment.objects.create(
        board=world.board_a,
        school=world.school_a,
        person=world.teacher,
        function=old.function,
        personnel_number="NIEUW-1",
        start_date=timezone.localdate(),
        manager=world.manager,
    )
    visit = follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert visit.employment_id == current.pk


def test_it_sends_no_mail_to_an_observer_who_turned_updates_off(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    from bekwaam.notifications.models import NotificationPreference

    NotificationPreference.objects.create(person=world.manager, updates=False)
    earlier = earlier_visit(world)
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert mailoutbox == []


def test_it_is_not_fooled_by_a_framework_of_another_kind_with_the_same_codes(world: Any) -> None:
    earlier = earlier_visit(world)
    framework_version_build(board=world.board_a, slug="test-kijkwijzer-kader", scale=ICALT_SCALE, competences=3)
    visit = follow_up_visit_request(actor=actor(world.teacher), observation=earlier, code="D1.C1")
    assert visit.instrument_id == earlier.instrument_id
