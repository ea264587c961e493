"""Reads for the answer page behind a personal link, and for the owner's self-rating.

Every query is filtered by the invitation's (or round's) own board and round: the page of one link
shows that round's questions and that invitation's own saved answers, nothing of anybody else's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bekwaam.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    Relation,
)
from bekwaam.frameworks.models import ScaleLevel


@dataclass(frozen=True)
class QuestionSheet:
    """What a form to answer a round needs: its questions (competences with their domain) and its scale."""

    questions: list[FeedbackQuestion]
    scale: list[ScaleLevel]


def question_sheet_for(*, round_: FeedbackRound) -> QuestionSheet:
    """The round's questions in order, and the levels of its framework version's scale (two queries)."""
    questions = list(
        FeedbackQuestion.objects.filter(board_id=round_.board_id, round=round_)
        .select_related("competence", "competence__domain")
        .order_by("position", "pk")
    )
    scale = list(
        ScaleLevel.objects.filter(board_id=round_.board_id, version_id=round_.framework_version_id).order_by("value")
    )
    return QuestionSheet(questions=questions, scale=scale)


def saved_answer_for(*, invitation: FeedbackInvitation) -> tuple[FeedbackResponse | None, dict[int, FeedbackAnswer]]:
    """The invitee's own saved answer, if any, with its answers by question (two queries)."""
    response = FeedbackResponse.objects.filter(
        board_id=invitation.board_id, round_id=invitation.round_id, invitation=invitation
    ).first()
    if response is None:
        return None, {}
    answers = FeedbackAnswer.objects.filter(board_id=invitation.board_id, response=response)
    return response, {answer.question_id: answer for answer in answers}


def self_rating_for(*, round_: FeedbackRound) -> dict[int, int | None]:
    """The owner's own levels by question (None: "cannot judge"), for their self-rating form (one query)."""
    return dict(
        FeedbackAnswer.objects.filter(
            board_id=round_.board_id, response__round=round_, response__relation=Relation.SELF
        ).values_list("question_id", "value")
    )
