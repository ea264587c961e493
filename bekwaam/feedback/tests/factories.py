"""Builders for feedback tests: a framework for the board, rounds in any state, invitations with a known
token, and answers (written straight to the database: the services have their own tests)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from bekwaam.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    QuestionKind,
    Relation,
    RoundState,
    token_hash,
)
from bekwaam.feedback.services import invitation_expiry
from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.frameworks.tests.factories import framework_version_build

_tokens = itertools.count(1)


def version_of(board: Any) -> FrameworkVersion:
    """The board's published teacher framework (2 domains by 2 competences, scale 1 to 4), made once."""
    existing = (
        FrameworkVersion.objects.filter(board=board, framework__slug="test-framework").order_by("-number").first()
    )
    return existing or framework_version_build(board=board)


def round_build(
    *,
    owner: Any,
    board: Any,
    state: str = RoundState.DRAFT,
    competences: int = 4,
    open_questions: tuple[str, ...] = ("Wat moet ik vooral blijven doen?",),
    closes_on: datetime.date | None = None,
    title: str = "Feedback op mijn lessen",
    version: FrameworkVersion | None = None,
) -> FeedbackRound:
    version = version or version_of(board)
    closes_on = closes_on or timezone.localdate() + datetime.timedelta(days=14)
    now = timezone.now()
    round_ = FeedbackRound.objects.create(
        board=board,
        owner=owner,
        title=title,
        message="Ik hoor graag hoe je mijn lessen ervaart.",
        framework_version=version,
        closes_on=closes_on,
        state=state,
        opened_at=now if state != RoundState.DRAFT else None,
        closed_at=now if state == RoundState.CLOSED else None,
    )
    chosen = Competence.objects.filter(version=version).order_by("domain__position", "position")[:competences]
    position = 0
    for competence in chosen:
        FeedbackQuestion.objects.create(
            board=board, round=round_, kind=QuestionKind.COMPETENCE, competence=competence, position=position
        )
        position += 1
    for text in open_questions:
        FeedbackQuestion.objects.create(board=board, round=round_, kind=QuestionKind.OPEN, text=text, position=position)
        position += 1
    return round_


def invitation_build(
    round_: FeedbackRound,
    *,
    name: str = "",
    email: str = "",
    relation: str = Relation.COLLEAGUE,
    person: Any = None,
    token: str = "",
    sent: bool = True,
) -> tuple[FeedbackInvitation, str]:
    """An invitation whose link is `token` (a made-up one when empty)."""
    number = next(_tokens)
    token = token or f"test-token-{number}-{'x' * 30}"
    invitation = FeedbackInvitation.objects.create(
        board_id=round_.board_id,
        round=round_,
        name=name or (person.full_name if person else f"Genodigde {number}"),
        email=email or (person.email if person else f"genodigde{number}@example.nl"),
        person=person,
        relation=relation,
        token_hash=token_hash(token),
        expires_at=invitation_expiry(round_.closes_on),
        sent_at=timezone.now() - datetime.timedelta(days=1) if sent else None,
    )
    return invitation, token


def questions_of(round_: FeedbackRound, kind: str = QuestionKind.COMPETENCE) -> list[FeedbackQuestion]:
    return list(FeedbackQuestion.objects.filter(round=round_, kind=kind).order_by("position"))


def response_build(
    round_: FeedbackRound,
    *,
    relation: str,
    values: Mapping[FeedbackQuestion, int | None] | None = None,
    texts: Mapping[FeedbackQuestion, str] | None = None,
    named: bool = False,
    submitted: bool = True,
    invitation: FeedbackInvitation | None = None,
    name: str = "",
) -> FeedbackResponse:
    """A response with its answers; an invitation is made for it unless it is the self-rating."""
    if relation != Relation.SELF and invitation is None:
        invitation, _token = invitation_build(round_, relation=relation, name=name)
    response = FeedbackResponse.objects.create(
        board_id=round_.board_id,
        round=round_,
        invitation=invitation,
        relation=relation,
        named=named,
        submitted_at=timezone.now() if submitted else None,
    )
    FeedbackAnswer.objects.bulk_create(
        [
            FeedbackAnswer(board_id=round_.board_id, response=response, question=question, value=value)
            for question, value in (values or {}).items()
        ]
        + [
            FeedbackAnswer(board_id=round_.board_id, response=response, question=question, text=text)
            for question, text in (texts or {}).items()
        ]
    )
    return response
