"""The cycle status of "Mijn team": the rules for due, planned, overdue and done, and their bounded read."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from bekwaam.conversations.models import Conversation, ConversationCycle, ConversationState, CycleStep
from bekwaam.conversations.selectors.cycle import (
    DONE,
    DUE,
    NOT_DUE,
    OVERDUE,
    PLANNED,
    ConversationFact,
    StepStatus,
    step_status,
    team_cycle_status_for,
)
from bekwaam.conversations.services.setup import conversation_defaults_install, cycle_create
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2025, 12, 10)  # school year 2025-2026
YEAR = 2025


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


def fact(state: str, day: datetime.date, signed: datetime.date | None = None) -> ConversationFact:
    return ConversationFact(uuid.uuid4(), state, at(day), at(signed) if signed else None)


def status(
    *,
    interval: int = 1,
    first_year: bool = False,
    month: int = 11,
    today: datetime.date = TODAY,
    start: datetime.date = datetime.date(2015, 8, 1),
    last: int | None = None,
    conversations: tuple[ConversationFact, ...] = (),
) -> StepStatus:
    return step_status(
        kind="development",
        interval_years=interval,
        in_first_year=first_year,
        due_month=month,
        today=today,
        employment_start=start,
        last_signed_year=last,
        conversations=conversations,
    )


# --- due ----------------------------------------------------------------------------------------------


def test_it_makes_a_yearly_step_due_every_school_year() -> None:
    for last in (None, YEAR - 1, YEAR - 5):
        assert status(interval=1, last=last, month=6).status == DUE


@pytest.mark.parametrize(
    ("last", "expected"),
    [(None, DUE), (YEAR - 1, NOT_DUE), (YEAR - 2, NOT_DUE), (YEAR - 3, DUE), (YEAR - 7, DUE)],
)
def test_it_makes_a_three_yearly_step_due_three_years_after_the_last_signed_one(
    last: int | None, expected: str
) -> None:
    result = status(interval=3, last=last, month=6)
    assert result.status == expected
    assert result.due is (expected == DUE)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime.date(2025, 8, 1), DUE),  # the first day of this school year
        (datetime.date(2025, 11, 1), DUE),
        (datetime.date(2025, 7, 31), NOT_DUE),  # the last day of the previous one
        (datetime.date(2024, 9, 1), NOT_DUE),
    ],
)
def test_it_makes_a_step_due_in_the_first_year_of_an_employment(start: datetime.date, expected: str) -> None:
    assert status(interval=3, first_year=True, last=YEAR - 1, start=start, month=6).status == expected
    # Without the first-year rule, a recent appraisal keeps it from being due.
    assert status(interval=3, first_year=False, last=YEAR - 1, start=start, month=6).status == NOT_DUE


def test_it_counts_the_school_year_from_the_first_of_august() -> None:
    # 31 July 2026 still belongs to 2025-2026: the step signed in 2024 is recent; from 1 August it is not.
    assert status(interval=2, last=2024, month=6, today=datetime.date(2026, 7, 31)).status == NOT_DUE
    assert status(interval=2, last=2024, month=6, today=datetime.date(2026, 8, 1)).status == DUE


# --- overdue ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "today", "expected", "due_by"),
    [
        (11, datetime.date(2025, 11, 30), DUE, datetime.date(2025, 11, 30)),
        (11, datetime.date(2025, 12, 1), OVERDUE, datetime.date(2025, 11, 30)),
        (3, datetime.date(2026, 3, 31), DUE, datetime.date(2026, 3, 31)),
        (3, datetime.date(2026, 4, 1), OVERDUE, datetime.date(2026, 3, 31)),
        (8, datetime.date(2025, 9, 1), OVERDUE, datetime.date(2025, 8, 31)),
        (7, datetime.date(2026, 7, 31), DUE, datetime.date(2026, 7, 31)),
        (12, datetime.date(2026, 1, 1), OVERDUE, datetime.date(2025, 12, 31)),
    ],
)
def test_it_makes_a_due_step_overdue_after_its_month(
    month: int, today: datetime.date, expected: str, due_by: datetime.date
) -> None:
    result = status(month=month, today=today)
    assert (result.status, result.due_by) == (expected, due_by)


def test_it_makes_a_conversation_overdue_when_its_date_passed_without_a_report() -> None:
    held = fact(ConversationState.PLANNED, TODAY - datetime.timedelta(days=1))
    result = status(month=6, conversations=(held,))
    assert (result.status, result.conversation_id) == (OVERDUE, held.id)
    assert result.text == "Overdue: held on 09-12-2025, no report yet"
    # Even when the step was not due this year.
    assert status(interval=3, last=YEAR - 1, conversations=(held,)).status == OVERDUE


def test_it_is_not_overdue_once_the_report_is_being_written() -> None:
    for state in (ConversationState.REPORTING, ConversationState.WITH_EMPLOYEE, ConversationState.WITH_MANAGER):
        held = fact(state, datetime.date(2025, 10, 1))
        result = status(month=11, conversations=(held,))
        assert (result.status, result.conversation_state) == (PLANNED, state)
    reporting = status(conversations=(fact(ConversationState.REPORTING, datetime.date(2025, 10, 1)),))
    assert reporting.text == "Held on 01-10-2025; report being written"
    signing = status(conversations=(fact(ConversationState.WITH_EMPLOYEE, datetime.date(2025, 10, 1)),))
    assert signing.text == "Held on 01-10-2025; waiting for signatures"


# --- planned and done ---------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, 60])
def test_it_shows_a_conversation_planned_from_today_on(days: int) -> None:
    planned = fact(ConversationState.PLANNED, TODAY + datetime.timedelta(days=days))
    # Planned after the step's month has passed: still "planned", not overdue.
    result = status(month=11, conversations=(planned,))
    assert (result.status, result.conversation_id, result.planned_at) == (PLANNED, planned.id, planned.scheduled_at)
    assert result.text.startswith("Planned on ")


def test_it_shows_a_step_done_once_signed_this_school_year() -> None:
    signed = fact(ConversationState.SIGNED, datetime.date(2025, 9, 15), signed=datetime.date(2025, 9, 20))
    later = fact(ConversationState.PLANNED, TODAY + datetime.timedelta(days=5))
    for conversations in ((signed,), (signed, later), (later, signed)):
        result = status(month=6, conversations=conversations)
        assert (result.status, result.conversation_id) == (DONE, signed.id)
        assert result.text == "Done (signed on 20-09-2025)"
    # Also when it was not due this year (an extra appraisal, say).
    assert status(interval=3, last=YEAR - 1, conversations=(signed,)).status == DONE


def test_it_words_every_status() -> None:
    assert status(month=6).text == "Due by 30-06-2026"
    assert status(month=11).text == "Overdue (due by 30-11-2025)"
    assert status(interval=3, last=YEAR - 1).text == "Not due this school year"


STATES = st.sampled_from(
    [s for s in ConversationState.values if s != ConversationState.CANCELLED]  # the read drops cancelled ones
)


@settings(max_examples=300, deadline=None)
@given(
    interval=st.integers(1, 5),
    first_year=st.booleans(),
    month=st.integers(1, 12),
    today=st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)),
    start_offset=st.integers(-3000, 0),
    last_back=st.one_of(st.none(), st.integers(1, 8)),
    conversations=st.lists(st.tuples(STATES, st.integers(-200, 200)), max_size=3),
)
def test_it_keeps_the_rules_consistent_for_any_input(
    interval: int,
    first_year: bool,
    month: int,
    today: datetime.date,
    start_offset: int,
    last_back: int | None,
    conversations: list[tuple[str, int]],
) -> None:
    year = today.year if today.month >= 8 else today.year - 1
    facts = tuple(
        fact(state, today + datetime.timedelta(days=offset), signed=today if state == "signed" else None)
        for state, offset in conversations
    )
    result = status(
        interval=interval,
        first_year=first_year,
        month=month,
        today=today,
        start=today + datetime.timedelta(days=start_offset),
        last=None if last_back is None else year - last_back,
        conversations=facts,
    )
    has_signed = any(f.state == ConversationState.SIGNED for f in facts)
    assert (result.status == DONE) == has_signed
    if result.status == NOT_DUE:
        assert not result.due and not facts
    if result.status == DUE:
        assert result.due and not facts and today <= result.due_by
    if result.status == OVERDUE and result.conversation_id is None:
        assert result.due and not facts and today > result.due_by
    if result.status == OVERDUE and result.conversation_id is not None:
        assert result.conversation_state == ConversationState.PLANNED and result.planned_at
        assert result.planned_at.date() < today
    if result.status in (PLANNED, DONE):
        assert result.conversation_id is not None
    if last_back is None or last_back >= interval:
        assert result.due
    assert result.text


# --- the read for a team ------------------------------------------------------------------------------


def conversation(employment: Employment, manager: Any, kind: str, year: int, state: str, day: datetime.date) -> Any:
    return Conversation.objects.create(
        board_id=employment.board_id,
        school_id=employment.school_id,
        employment=employment,
        employee_id=employment.person_id,
        manager=manager,
        kind=kind,
        school_year=year,
        state=state,
        scheduled_at=at(day),
        signed_at=at(day) if state == ConversationState.SIGNED else None,
    )


@pytest.mark.django_db
def test_it_reads_the_status_of_each_person_of_a_team(world: Any) -> None:
    conversation_defaults_install(board_id=world.board_a.pk)
    teacher = Employment.objects.get(person=world.teacher)
    colleague = Employment.objects.get(person=world.colleague)
    newcomer = EmploymentFactory(
        person=PersonFactory(), school=world.school_a2, manager=world.manager, start_date=datetime.date(2025, 9, 1)
    )
    # The teacher: development signed this year, an appraisal two years ago, performance cancelled.
    conversation(teacher, world.manager, "development", YEAR, ConversationState.SIGNED, datetime.date(2025, 10, 1))
    conversation(teacher, world.manager, "appraisal", YEAR - 2, ConversationState.SIGNED, datetime.date(2024, 5, 1))
    conversation(teacher, world.manager, "performance", YEAR, ConversationState.CANCELLED, datetime.date(2026, 1, 5))
    # The colleague: appraisal cancelled three years ago (does not count), development planned.
    conversation(
        colleague, world.manager, "appraisal", YEAR - 1, ConversationState.CANCELLED, datetime.date(2025, 3, 1)
    )
    planned = conversation(
        colleague, world.manager, "development", YEAR, ConversationState.PLANNED, datetime.date(2026, 1, 15)
    )
    # Another board's conversation of a person with the same manager does not leak in.
    outsider = Employment.objects.get(person=world.outsider)
    other_manager = PersonFactory()
    conversation(outsider, other_manager, "development", YEAR, ConversationState.SIGNED, datetime.date(2025, 10, 1))

    # school_a2 has its own cycle with only the appraisal, every year.
    actor = actor_for(world.administrator, None)
    school_cycle = cycle_create(actor=actor, school=world.school_a2)
    school_cycle.steps.exclude(kind="appraisal").delete()
    CycleStep.objects.filter(cycle=school_cycle).update(interval_years=1)

    manager = actor_for(world.manager, None)
    result = team_cycle_status_for(actor=manager, employments=[teacher, colleague, newcomer], today=TODAY)

    def summary(employment: Employment) -> dict[str, str]:
        return {s.kind: s.status for s in result[employment.pk]}

    assert summary(teacher) == {"development": DONE, "performance": DUE, "appraisal": NOT_DUE}
    assert summary(colleague) == {"development": PLANNED, "performance": DUE, "appraisal": DUE}
    assert [s.kind for s in result[colleague.pk]] == ["development", "performance", "appraisal"]
    assert next(s for s in result[colleague.pk] if s.kind == "development").conversation_id == planned.pk
    assert summary(newcomer) == {"appraisal": DUE}

    # A school cycle without steps replaces the board's all the same: nothing is due at that school.
    school_cycle.steps.all().delete()
    result = team_cycle_status_for(actor=manager, employments=[teacher, newcomer], today=TODAY)
    assert result[newcomer.pk] == []
    assert len(result[teacher.pk]) == 3

    # No cycle at all: nothing to show.
    ConversationCycle.objects.filter(board=world.board_a).delete()
    assert team_cycle_status_for(actor=manager, employments=[teacher], today=TODAY) == {teacher.pk: []}
    assert team_cycle_status_for(actor=manager, employments=[], today=TODAY) == {}


@pytest.mark.django_db
def test_it_reads_any_team_in_the_same_number_of_queries(world: Any) -> None:
    conversation_defaults_install(board_id=world.board_a.pk)
    manager = actor_for(world.manager, None)

    def grow(count: int) -> None:
        for _ in range(count):
            employment = EmploymentFactory(person=PersonFactory(), school=world.school_a, manager=world.manager)
            for year in range(YEAR - 4, YEAR + 1):
                for kind in ("development", "performance"):
                    conversation(
                        employment, world.manager, kind, year, ConversationState.SIGNED, datetime.date(year, 10, 1)
                    )

    counts = []
    for count in (3, 12):
        grow(count)
        employments = list(Employment.objects.filter(board=world.board_a, manager=world.manager))
        with CaptureQueriesContext(connection) as queries:
            result = team_cycle_status_for(actor=manager, employments=employments, today=TODAY)
        assert len(result) == len(employments)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 3
    # Without a cycle there is nothing to read after the steps.
    ConversationCycle.objects.filter(board=world.board_a).delete()
    with CaptureQueriesContext(connection) as queries:
        team_cycle_status_for(actor=manager, employments=employments, today=TODAY)
    assert len(queries) == 1
