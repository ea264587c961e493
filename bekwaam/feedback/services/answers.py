"""The invitee's answer through their personal link: save halfway, come back, submit once.

There is no actor: the link is the right (a bearer token, docs/feedback.md). The view finds the
invitation by its token (feedback.selectors.invitation_by_token) and passes it here; every row read or
written belongs to that invitation's round and board, so one invitee's link never reaches another's
answer. The round row is locked, so an answer and the round's closing never cross: an answer saved
is saved in an open round, and one that comes after the close is refused with nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    QuestionKind,
    Relation,
    RoundState,
)
from bekwaam.frameworks.models import ScaleLevel

# How an invitee may say they answer (everyone but the owner).
ANSWER_RELATIONS = (Relation.COLLEAGUE, Relation.MANAGER, Relation.PARENT, Relation.INTERN, Relation.OTHER)
TEXT_MAX_LENGTH = 5000

# Why an answer is refused as a whole (ValidationError.code); the view shows a page for each.
CLOSED, EXPIRED, ANSWERED = "closed", "expired", "answered"


class AnswerRefusedError(ValidationError):
    """The link no longer takes answers: the round closed, the link expired, or it was answered already."""


@dataclass(frozen=True)
class AnswerInput:
    relation: str
    named: bool = False
    ratings: Mapping[int, int | None] = field(default_factory=dict)  # question id → value (None: cannot judge)
    texts: Mapping[int, str] = field(default_factory=dict)  # open question id → text


def refusal_for(invitation: FeedbackInvitation, round_: FeedbackRound) -> str | None:
    """Why this link takes no answer now (CLOSED, EXPIRED or ANSWERED), or None when it does."""
    if round_.state == RoundState.CLOSED:
        return CLOSED
    if FeedbackResponse.objects.filter(
        board_id=round_.board_id, invitation=invitation, submitted_at__isnull=False
    ).exists():
        return ANSWERED
    if round_.state != RoundState.OPEN or invitation.expires_at <= timezone.now():
        return EXPIRED
    return None


def _refuse(code: str) -> AnswerRefusedError:
    messages = {
        CLOSED: _("This feedback round has closed: answers can no longer be saved."),
        EXPIRED: _("This link has expired: answers can no longer be saved."),
        ANSWERED: _("You have answered already. Thank you!"),
    }
    return AnswerRefusedError(messages[code], code=code)


def response_save(*, invitation: FeedbackInvitation, data: AnswerInput, submit: bool) -> FeedbackResponse:
    """Save the invitee's answers (a draft), or save and submit them (then they are final).

    Raises AnswerRefusedError when the link takes no answers now (nothing is written), ValidationError
    for bad input, and on submit for a competence without a level or "cannot judge".
    """
    if data.relation not in ANSWER_RELATIONS:
        raise ValidationError({"relation": _("Choose in which relation you answer.")})
    if data.named and data.relation != Relation.MANAGER:
        raise ValidationError({"named": _("Only a manager can choose to be shown by name.")})
    with transaction.atomic():
        round_ = FeedbackRound.objects.select_for_update().get(pk=invitation.round_id, board_id=invitation.board_id)
        locked = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk, round=round_)
        refusal = refusal_for(locked, round_)
        if refusal is not None:
            raise _refuse(refusal)
        questions = {q.pk: q for q in FeedbackQuestion.objects.filter(round=round_, board_id=round_.board_id)}
        values = set(ScaleLevel.objects.filter(version_id=round_.framework_version_id).values_list("value", flat=True))
        for question_id, value in data.ratings.items():
            question = questions.get(question_id)
            if question is None or question.kind != QuestionKind.COMPETENCE:
                raise ValidationError(_("This question is not part of the round."))
            if value is not None and value not in values:
                raise ValidationError({f"q{question_id}": _("Choose a level of the scale.")})
        texts = {question_id: text.strip() for question_id, text in data.texts.items()}
        for question_id, text in texts.items():
            question = questions.get(question_id)
            if question is None or question.kind != QuestionKind.OPEN:
                raise ValidationError(_("This question is not part of the round."))
            if len(text) > TEXT_MAX_LENGTH:
                raise ValidationError(
                    {f"q{question_id}": _("Keep your answer under %(count)s characters.") % {"count": TEXT_MAX_LENGTH}}
                )
        if submit:
            missing = [
                question_id
                for question_id, question in questions.items()
                if question.kind == QuestionKind.COMPETENCE and question_id not in data.ratings
            ]
            if missing:
                raise ValidationError(
                    {
                        f"q{question_id}": _("Choose a level, or “I cannot judge this”.")
                        for question_id in sorted(missing, key=lambda pk: questions[pk].position)
                    }
                )
        response = FeedbackResponse.objects.filter(invitation=locked).first()
        if response is None:
            response = FeedbackResponse(board_id=round_.board_id, round=round_, invitation=locked)
        response.relation, response.named = data.relation, data.named
        response.submitted_at = timezone.now() if submit else None
        response.full_clean()
        response.save()
        # The answers become exactly what was sent: a rating taken back, or a text emptied, is gone.
        FeedbackAnswer.objects.filter(response=response).delete()
        answers = [
            FeedbackAnswer(board_id=round_.board_id, response=response, question_id=question_id, value=value)
            for question_id, value in data.ratings.items()
        ] + [
            FeedbackAnswer(board_id=round_.board_id, response=response, question_id=question_id, text=text)
            for question_id, text in texts.items()
            if text
        ]
        FeedbackAnswer.objects.bulk_create(answers)
    return response
