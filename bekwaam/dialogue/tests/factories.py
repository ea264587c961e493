"""Builders for the team dialogue in tests: sessions with questions, answers, statements and shared views."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from bekwaam.dialogue.models import (
    Pillar,
    SessionAnswer,
    SessionQuestion,
    SharedView,
    SharedViewStatement,
    Statement,
    StatementKind,
    TeamSession,
)
from bekwaam.tenancy.context import Actor, actor_for


def actor_of(person: Any) -> Actor:
    """The person as an actor in their first organisation (the personas each have one)."""
    return actor_for(person, None)


def session_build(
    *,
    school: Any,
    facilitator: Any,
    participants: Sequence[Any] = (),
    pillar: str = Pillar.DEFINE,
    title: str = "Teamsessie",
    questions: Sequence[str] = ("Wat is een goede leraar?",),
    planned_on: datetime.date | None = None,
    held_days_ago: float | None = None,
) -> TeamSession:
    """A session (held `held_days_ago` days ago, or not held) with its questions; the facilitator takes part."""
    held_at = timezone.now() - datetime.timedelta(days=held_days_ago) if held_days_ago is not None else None
    session = TeamSession.objects.create(
        board_id=school.board_id,
        school=school,
        pillar=pillar,
        title=title,
        planned_on=planned_on or timezone.localdate(),
        facilitator=facilitator,
        created_by=facilitator,
        held_at=held_at,
    )
    session.participants.set([facilitator, *participants])
    for position, text in enumerate(questions):
        SessionQuestion.objects.create(board_id=session.board_id, session=session, position=position, text=text)
    return session


def first_question(session: TeamSession) -> SessionQuestion:
    return SessionQuestion.objects.filter(session=session).order_by("position").first()  # type: ignore[return-value]


def answer_build(
    question: SessionQuestion, *, text: str = "Een antwoord", author: Any = None, afterwards: bool = False
) -> SessionAnswer:
    return SessionAnswer.objects.create(
        board_id=question.board_id, question=question, text=text, author=author, added_afterwards=afterwards
    )


def statement_build(
    session: TeamSession,
    *,
    text: str = "We kijken bij elkaar in de klas.",
    kind: str = StatementKind.VIEW,
    question: SessionQuestion | None = None,
    author: Any = None,
    afterwards: bool = False,
) -> Statement:
    return Statement.objects.create(
        board_id=session.board_id,
        session=session,
        question=question or first_question(session),
        kind=kind,
        text=text,
        author=author,
        added_afterwards=afterwards,
    )


def view_build(
    *, school: Any, statements: Sequence[tuple[str, str]], session: TeamSession | None = None, number: int | None = None
) -> SharedView:
    """A version of the school's shared view with (pillar, text) statements; the next number by default."""
    if number is None:
        last = SharedView.objects.filter(school=school).order_by("-number").first()
        number = (last.number if last else 0) + 1
    view = SharedView.objects.create(board_id=school.board_id, school=school, number=number, session=session)
    for position, (pillar, text) in enumerate(statements):
        SharedViewStatement.objects.create(
            board_id=view.board_id, view=view, pillar=pillar, text=text, position=position
        )
    return view
