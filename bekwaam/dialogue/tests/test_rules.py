"""Every dialogue rule, for every persona: who may start, read, capture, add afterwards (within the addition
days and not after), adopt, push to the verbeterplan and to one's POP; and that other boards see nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import rules
import time_machine
from django.utils import timezone

from bekwaam.dialogue.models import TeamSession
from bekwaam.dialogue.selectors import SessionStatus, session_status
from bekwaam.dialogue.tests.factories import actor_of, session_build
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, SchoolFactory
from conftest import PERSONAS

pytestmark = pytest.mark.django_db


def allowed(world: Any, rule: str, obj: Any = None) -> set[str]:
    return {name for name in PERSONAS if rules.test_rule(rule, actor_of(world.persona(name)), obj)}


def session_of(world: Any, held_days_ago: float | None = None) -> TeamSession:
    """A session at school_a facilitated by the teacher, with the manager (schoolleider) taking part too;
    the colleague works at the school but does not take part."""
    return session_build(
        school=world.school_a, facilitator=world.teacher, participants=[world.manager], held_days_ago=held_days_ago
    )


def test_the_page_rule_lets_in_staff_school_leaders_and_quality_viewers(world: Any) -> None:
    assert allowed(world, "dialogue.use") == {
        "board_member",
        "quality_officer",
        "manager",
        "teacher",
        "colleague",
        "outsider",
    }


def test_staff_and_leaders_of_a_school_start_sessions_there(world: Any) -> None:
    assert allowed(world, "dialogue.start", world.school_a) == {"manager", "teacher", "colleague"}
    assert allowed(world, "dialogue.start", world.school_a2) == set()
    assert allowed(world, "dialogue.start", world.school_b) == {"outsider"}


def test_a_leader_by_grant_starts_at_the_school_they_lead_without_working_there(world: Any) -> None:
    leader = PersonFactory()
    EmploymentFactory(person=leader, school=world.school_a)
    RoleGrantFactory(person=leader, board=world.board_a, school=world.school_a2, role=Role.MANAGER)
    assert rules.test_rule("dialogue.start", actor_of(leader), world.school_a2)
    assert rules.test_rule("dialogue.view_shared", actor_of(leader), world.school_a2)


def test_the_shared_view_is_the_schools_and_the_boards_quality_viewers(world: Any) -> None:
    assert allowed(world, "dialogue.view_shared", world.school_a) == {
        "board_member",
        "quality_officer",
        "manager",
        "teacher",
        "colleague",
    }
    assert allowed(world, "dialogue.view_shared", world.school_a2) == {"board_member", "quality_officer"}
    assert allowed(world, "dialogue.view_shared", world.school_b) == {"outsider"}


def test_a_planned_session(world: Any) -> None:
    session = session_of(world)
    school_people = {"manager", "teacher", "colleague"}
    assert allowed(world, "dialogue.view", session) == school_people
    assert allowed(world, "dialogue.view_statements", session) == school_people | {"board_member", "quality_officer"}
    assert allowed(world, "dialogue.capture", session) == {"teacher"}
    assert allowed(world, "dialogue.add_afterwards", session) == set()
    assert allowed(world, "dialogue.adopt", session) == set()
    assert allowed(world, "dialogue.to_plan", session) == set()
    assert allowed(world, "dialogue.to_pop", session) == set()


def test_a_held_session_open_for_additions(world: Any) -> None:
    session = session_of(world, held_days_ago=1)
    assert allowed(world, "dialogue.capture", session) == set()
    assert allowed(world, "dialogue.add_afterwards", session) == {"teacher", "manager"}
    assert allowed(world, "dialogue.adopt", session) == {"teacher", "manager"}
    assert allowed(world, "dialogue.to_plan", session) == {"manager", "quality_officer"}
    assert allowed(world, "dialogue.to_pop", session) == {"teacher", "manager"}


def test_a_closed_session_is_read_only_but_its_statements_still_travel(world: Any) -> None:
    session = session_of(world, held_days_ago=8)
    assert allowed(world, "dialogue.view", session) == {"manager", "teacher", "colleague"}
    assert allowed(world, "dialogue.add_afterwards", session) == set()
    assert allowed(world, "dialogue.capture", session) == set()
    assert allowed(world, "dialogue.adopt", session) == {"teacher", "manager"}
    assert allowed(world, "dialogue.to_plan", session) == {"manager", "quality_officer"}
    assert allowed(world, "dialogue.to_pop", session) == {"teacher", "manager"}


def test_additions_close_exactly_after_the_addition_days(world: Any, settings: Any) -> None:
    settings.DIALOGUE_ADDITION_DAYS = 7
    session = session_of(world)
    held_at = timezone.now()
    TeamSession.objects.filter(pk=session.pk).update(held_at=held_at)
    session.refresh_from_db()
    teacher = actor_of(world.teacher)
    with time_machine.travel(held_at + datetime.timedelta(days=7) - datetime.timedelta(seconds=1), tick=False):
        assert session_status(session) == SessionStatus.OPEN
        assert rules.test_rule("dialogue.add_afterwards", teacher, session)
    with time_machine.travel(held_at + datetime.timedelta(days=7), tick=False):
        assert session_status(session) == SessionStatus.CLOSED
        assert not rules.test_rule("dialogue.add_afterwards", teacher, session)
    settings.DIALOGUE_ADDITION_DAYS = 14
    with time_machine.travel(held_at + datetime.timedelta(days=10), tick=False):
        assert rules.test_rule("dialogue.add_afterwards", teacher, session)


def test_a_participant_who_left_the_school_still_reads_and_adds_while_open(world: Any) -> None:
    """Taking part is what counts: a participant keeps their session, the school's colleagues read it."""
    newcomer = PersonFactory()
    EmploymentFactory(person=newcomer, school=world.school_a2)
    session = session_build(school=world.school_a, facilitator=world.teacher, participants=[newcomer], held_days_ago=1)
    assert rules.test_rule("dialogue.view", actor_of(newcomer), session)
    assert rules.test_rule("dialogue.add_afterwards", actor_of(newcomer), session)


def test_nothing_crosses_boards(world: Any) -> None:
    school = SchoolFactory(board=world.board_b)
    session = session_build(school=school, facilitator=world.outsider, held_days_ago=1)
    for rule in (
        "dialogue.view",
        "dialogue.view_statements",
        "dialogue.capture",
        "dialogue.add_afterwards",
        "dialogue.adopt",
        "dialogue.to_plan",
        "dialogue.to_pop",
    ):
        assert allowed(world, rule, session) <= {"outsider", "outsider_admin"}, rule
    assert allowed(world, "dialogue.view", session) == {"outsider"}


def test_rules_refuse_objects_that_are_not_theirs(world: Any) -> None:
    actor = actor_of(world.manager)
    assert not rules.test_rule("dialogue.view", actor, world.school_a)
    assert not rules.test_rule("dialogue.start", actor, None)
    assert not rules.test_rule("dialogue.view_shared", actor, "school")
