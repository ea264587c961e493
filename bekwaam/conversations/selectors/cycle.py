"""Where each person stands in the gesprekscyclus this school year (docs/conversation-setup.md, "Due,
planned, overdue, done").

The rules, per step of the cycle that applies to the employment (its school's own cycle, else the board's):

- The school year runs from 1 August to 31 July (bekwaam.lib.dates). A step is *due* this school year when
  no conversation of its kind was signed in the previous `interval_years - 1` school years (or ever), or
  when the step is also held in the first year and the employment started in this school year.
- *done*: a conversation of that kind this school year is signed (whether it was due or not).
- *planned*: one this school year is planned with a date from today on, or has been held and its report is
  being written or signed.
- *overdue*: it is due, nothing is planned and the end of the step's month in this school year has passed;
  or a conversation is still "planned" while its date has passed (held, but no report started).
- *not_due*: none of the above.
Cancelled conversations do not count. History counts per person at the board (not per employment): the
cycle follows the medewerker, as the board is the employer.

Bounded: three queries for any number of people (the cycles' steps, the last signed school year per person
and kind as one aggregate, this school year's conversations); one when the board has no cycle.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.conversations.models import (
    Conversation,
    ConversationCycle,
    ConversationKind,
    ConversationState,
)
from bekwaam.lib.dates import month_end_in_school_year, school_year_bounds, school_year_of
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment

NOT_DUE, DUE, PLANNED, OVERDUE, DONE = "not_due", "due", "planned", "overdue", "done"
ACTIVE_STATES = (
    ConversationState.PLANNED,
    ConversationState.REPORTING,
    ConversationState.WITH_EMPLOYEE,
    ConversationState.WITH_MANAGER,
)


@dataclass(frozen=True)
class ConversationFact:
    """What the rules need of one conversation this school year."""

    id: UUID
    state: str
    scheduled_at: datetime.datetime
    signed_at: datetime.datetime | None = None


@dataclass(frozen=True)
class StepStatus:
    """One step of a person's cycle this school year: its status, and the conversation behind it, if any."""

    kind: str
    label: str  # the kind, for people ("Ontwikkelgesprek")
    status: str  # not_due | due | planned | overdue | done
    due: bool
    due_by: datetime.date
    conversation_id: UUID | None = None
    conversation_state: str = ""
    planned_at: datetime.datetime | None = None
    signed_at: datetime.datetime | None = None

    @property
    def text(self) -> str:
        """The status in words (never colour alone), in the active language."""
        date = self.planned_at and timezone.localtime(self.planned_at).strftime("%d-%m-%Y")
        due_by = self.due_by.strftime("%d-%m-%Y")
        if self.status == DONE:
            signed = self.signed_at and timezone.localtime(self.signed_at).strftime("%d-%m-%Y")
            return _("Done (signed on %(date)s)") % {"date": signed} if signed else _("Done")
        if self.status == PLANNED:
            if self.conversation_state == ConversationState.PLANNED:
                return _("Planned on %(date)s") % {"date": date}
            if self.conversation_state == ConversationState.REPORTING:
                return _("Held on %(date)s; report being written") % {"date": date}
            return _("Held on %(date)s; waiting for signatures") % {"date": date}
        if self.status == OVERDUE:
            if self.conversation_id is not None:
                return _("Overdue: held on %(date)s, no report yet") % {"date": date}
            return _("Overdue (due by %(date)s)") % {"date": due_by}
        if self.status == DUE:
            return _("Due by %(date)s") % {"date": due_by}
        return _("Not due this school year")


def step_status(
    *,
    kind: str,
    interval_years: int,
    in_first_year: bool,
    due_month: int,
    today: datetime.date,
    employment_start: datetime.date,
    last_signed_year: int | None,
    conversations: Sequence[ConversationFact],
) -> StepStatus:
    """The status of one step for one person this school year (the rules in this module's docstring).

    `last_signed_year` is the latest school year *before* this one with a signed conversation of this kind;
    `conversations` are this school year's conversations of this kind that are not cancelled.
    """
    year = school_year_of(today)
    first_day, last_day = school_year_bounds(year)
    due_by = month_end_in_school_year(year, due_month)
    recently_signed = last_signed_year is not None and last_signed_year > year - interval_years
    due = not recently_signed or (in_first_year and first_day <= employment_start <= last_day)
    label = str(ConversationKind(kind).label)

    signed = [c for c in conversations if c.state == ConversationState.SIGNED]
    if signed:
        latest = max(signed, key=lambda c: c.signed_at or c.scheduled_at)
        return StepStatus(
            kind, label, DONE, due, due_by, latest.id, latest.state, latest.scheduled_at, latest.signed_at
        )
    active = [c for c in conversations if c.state in ACTIVE_STATES]
    if active:
        current = max(active, key=lambda c: c.scheduled_at)
        held_without_report = (
            current.state == ConversationState.PLANNED and timezone.localdate(current.scheduled_at) < today
        )
        status = OVERDUE if held_without_report else PLANNED
        return StepStatus(kind, label, status, due, due_by, current.id, current.state, current.scheduled_at)
    if due:
        return StepStatus(kind, label, OVERDUE if today > due_by else DUE, due, due_by)
    return StepStatus(kind, label, NOT_DUE, due, due_by)


@dataclass(frozen=True)
class StepRule:
    """What the rules need of a cycle step."""

    kind: str
    interval_years: int
    in_first_year: bool
    due_month: int


def _cycles_by_school(board_id: int) -> tuple[list[StepRule] | None, dict[int, list[StepRule]]]:
    """The board's steps (None without a board cycle) and each school's own steps, in order; one query.

    Read from the cycles with their steps joined, so a school cycle without steps still replaces the board's.
    """
    cycles: dict[int | None, list[StepRule]] = {}
    rows = (
        ConversationCycle.objects.filter(board_id=board_id)
        .values_list("school_id", "steps__kind", "steps__interval_years", "steps__in_first_year", "steps__due_month")
        .order_by("school_id", "steps__position", "steps__id")
    )
    for school_id, kind, interval_years, in_first_year, due_month in rows:
        steps = cycles.setdefault(school_id, [])
        if kind is not None:  # an empty cycle comes as one row without a step
            steps.append(StepRule(kind, interval_years, in_first_year, due_month))
    board_steps = cycles.pop(None, None)
    return board_steps, {school_id: steps for school_id, steps in cycles.items() if school_id is not None}


def team_cycle_status_for(
    *, actor: Actor, employments: Sequence[Employment], today: datetime.date
) -> dict[UUID, list[StepStatus]]:
    """Per employment (by id), the status of each step of its cycle this school year; three queries in all
    (one when the board has no cycle)."""
    if not employments:
        return {}
    board_id = actor.board_pk
    year = school_year_of(today)
    board_steps, school_steps = _cycles_by_school(board_id)
    if board_steps is None and not school_steps:
        return {employment.pk: [] for employment in employments}
    people = {e.person_id for e in employments}
    last_signed: dict[tuple[Any, str], int] = {
        (row["employee_id"], row["kind"]): row["last"]
        for row in Conversation.objects.filter(
            board_id=board_id, employee_id__in=people, state=ConversationState.SIGNED, school_year__lt=year
        )
        .values("employee_id", "kind")
        .annotate(last=Max("school_year"))
        .order_by()
    }
    this_year: dict[tuple[Any, str], list[ConversationFact]] = {}
    for row in (
        Conversation.objects.filter(board_id=board_id, employee_id__in=people, school_year=year)
        .exclude(state=ConversationState.CANCELLED)
        .values("id", "employee_id", "kind", "state", "scheduled_at", "signed_at")
        .order_by()
    ):
        this_year.setdefault((row["employee_id"], row["kind"]), []).append(
            ConversationFact(row["id"], row["state"], row["scheduled_at"], row["signed_at"])
        )
    result: dict[UUID, list[StepStatus]] = {}
    for employment in employments:
        steps = school_steps.get(employment.school_id, board_steps or [])
        result[employment.pk] = [
            step_status(
                kind=step.kind,
                interval_years=step.interval_years,
                in_first_year=step.in_first_year,
                due_month=step.due_month,
                today=today,
                employment_start=employment.start_date,
                last_signed_year=last_signed.get((employment.person_id, step.kind)),
                conversations=this_year.get((employment.person_id, step.kind), ()),
            )
            for step in steps
        ]
    return result
