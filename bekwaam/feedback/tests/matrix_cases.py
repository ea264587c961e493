"""Authorization matrix cases for 360° feedback (merged by tenancy/tests/test_authorization_matrix.py).

The teacher owns every round here. The owner's pages (rule "feedback.start" + own_*_get_for): the teacher
gets them; other employees do not find them (404), also when the report is shared with them; people
without a dossier of their own (board roles, provider staff, the operator) are refused (403).
The report and its PDF go by share only (no page rule): the owner, and whoever a share reaches now.

The answer page is a bearer link: whoever holds a valid token gets the page, signed in or not and at
whichever board (decision in docs/feedback.md); an unknown token is "not found" for everyone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.dossier.models import Goal
from bekwaam.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackRound,
    FeedbackShare,
    QuestionKind,
    Relation,
    RoundState,
    ShareAudience,
    token_hash,
)
from bekwaam.feedback.tests.factories import invitation_build, round_build, version_of
from bekwaam.tenancy.tests.matrix import (
    EMPLOYEES,
    INVALID,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)

OWN = expect(ok=("teacher",), not_found=tuple(p for p in EMPLOYEES if p != "teacher"))
POST_ONLY = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)
ANSWER_TOKEN = "matrix-feedback-token-0123456789-abcdefghijklmnop"
FAR = "2099-12-31"


def _round(world: World, title: str, state: str, share: str | None = None) -> FeedbackRound:
    existing = FeedbackRound.objects.filter(owner=world.teacher, title=title).first()
    if existing is not None:
        return existing
    round_ = round_build(owner=world.teacher, board=world.board_a, state=state, competences=2, title=title)
    if share == ShareAudience.MANAGER:
        FeedbackShare.objects.create(board=world.board_a, round=round_, audience=ShareAudience.MANAGER)
    elif share == ShareAudience.PERSON:
        FeedbackShare.objects.create(
            board=world.board_a, round=round_, audience=ShareAudience.PERSON, grantee=world.colleague
        )
    return round_


def draft(world: World) -> Any:
    round_ = _round(world, "Matrix concept", RoundState.DRAFT)
    if not round_.invitations.exists():
        invitation_build(round_, name="Ouder concept", relation=Relation.PARENT, sent=False)
    return round_.pk


def open_round(world: World) -> Any:
    round_ = _round(world, "Matrix open", RoundState.OPEN)
    if not FeedbackInvitation.objects.filter(token_hash=token_hash(ANSWER_TOKEN)).exists():
        invitation, _token = invitation_build(round_, name="Ouder open", relation=Relation.PARENT, token=ANSWER_TOKEN)
        FeedbackInvitation.objects.filter(pk=invitation.pk).update(
            delivery_failed_at=timezone.now(), delivery_problem="550 No such user"
        )
    return round_.pk


def private_report(world: World) -> Any:
    return _round(world, "Matrix gesloten", RoundState.CLOSED).pk


def manager_report(world: World) -> Any:
    return _round(world, "Matrix gedeeld met leidinggevende", RoundState.CLOSED, ShareAudience.MANAGER).pk


def colleague_report(world: World) -> Any:
    return _round(world, "Matrix gedeeld met collega", RoundState.CLOSED, ShareAudience.PERSON).pk


def answer_token(world: World) -> str:
    open_round(world)
    return ANSWER_TOKEN


def invitation_of(make: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: FeedbackInvitation.objects.filter(round_id=make(world)).order_by("created_at").first().pk


def first_competence_question(world: World) -> int:
    return FeedbackQuestion.objects.filter(round_id=private_report(world), kind=QuestionKind.COMPETENCE).first().pk


def manager_share(world: World) -> int:
    return FeedbackShare.objects.get(round_id=manager_report(world)).pk


def rounds_state(world: World) -> object:
    return sorted((r.title, r.state, r.closes_on) for r in FeedbackRound.objects.all())


def invitations_state(world: World) -> object:
    return sorted((i.email, i.token_hash, i.delivery_problem) for i in FeedbackInvitation.objects.all())


def answers_state(world: World) -> object:
    return sorted((a.response_id, a.question_id, a.value, a.text) for a in FeedbackAnswer.objects.all())


def shares_state(world: World) -> object:
    return sorted((s.pk, s.audience, s.withdrawn_at is None) for s in FeedbackShare.objects.all())


def goals_state(world: World) -> object:
    return Goal.objects.count()


def create_data(world: World) -> dict[str, Any]:
    version_of(world.board_a)  # board A has a framework; board B none (the outsider gets the form back)
    return {"title": "Matrix-ronde", "closes_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "open_questions": "Wat kan beter?"}  # fmt: skip


def edit_data(world: World) -> dict[str, Any]:
    return {**create_data(world), "title": "Matrix concept (gewijzigd)"}


def self_rating_data(world: World) -> dict[str, Any]:
    question = FeedbackQuestion.objects.filter(round_id=draft(world), kind=QuestionKind.COMPETENCE).first()
    return {f"q{question.pk}": "3"}


def answer_data(world: World) -> dict[str, Any]:
    return {"relation": Relation.PARENT, "action": "save"}


def own_post(
    name: str, ids: dict[str, Callable[[World], Any]], state: Callable[[World], object], data: Any = None
) -> list[Case]:
    return [
        Case(at(name, **ids), POST_ONLY, label="GET"),
        Case(
            at(name, **ids),
            OWN,
            method="post",
            data=data or (lambda w: {}),
            state=state,
            changes=("teacher",),
        ),
    ]


REPORT_CASES = {
    "private": (private_report, expect(ok=("teacher",), others=NOT_FOUND)),
    "shared with manager": (manager_report, expect(ok=("teacher", "manager"), others=NOT_FOUND)),
    "shared with colleague": (colleague_report, expect(ok=("teacher", "colleague"), others=NOT_FOUND)),
}


MATRIX: dict[str, list[Case]] = {
    "feedback:round-list": [Case(at("feedback:round-list"), expect(ok=EMPLOYEES))],
    "feedback:round-create": [
        Case(at("feedback:round-create"), expect(ok=EMPLOYEES)),
        Case(
            at("feedback:round-create"),
            expect(ok=("manager", "teacher", "colleague")) | {"outsider": INVALID},
            method="post",
            data=create_data,
            state=rounds_state,
            changes=("manager", "teacher", "colleague"),
        ),
    ],
    "feedback:round-detail": [
        Case(at("feedback:round-detail", round_id=draft), OWN, label="draft"),
        Case(at("feedback:round-detail", round_id=open_round), OWN, label="open"),
        Case(at("feedback:round-detail", round_id=manager_report), OWN, label="closed, shared with manager"),
    ],
    "feedback:round-edit": [
        Case(at("feedback:round-edit", round_id=draft), OWN),
        Case(
            at("feedback:round-edit", round_id=draft),
            OWN,
            method="post",
            data=edit_data,
            state=rounds_state,
            changes=("teacher",),
        ),
    ],
    "feedback:self-rating": [
        Case(at("feedback:self-rating", round_id=draft), OWN),
        Case(
            at("feedback:self-rating", round_id=draft),
            OWN,
            method="post",
            data=self_rating_data,
            state=answers_state,
            changes=("teacher",),
        ),
    ],
    "feedback:invite-people": own_post(
        "feedback:invite-people",
        {"round_id": draft},
        invitations_state,
        lambda w: {"people": [str(w.colleague.pk)]},
    ),
    "feedback:invite-external": own_post(
        "feedback:invite-external",
        {"round_id": draft},
        invitations_state,
        lambda w: {"name": "Stagiair", "email": "stage@example.nl", "relation": Relation.INTERN},
    ),
    "feedback:round-open": own_post("feedback:round-open", {"round_id": draft}, rounds_state),
    "feedback:round-extend": own_post(
        "feedback:round-extend", {"round_id": open_round}, rounds_state, lambda w: {"closes_on": FAR}
    ),
    "feedback:round-close": own_post("feedback:round-close", {"round_id": open_round}, rounds_state),
    "feedback:invitation-resend": own_post(
        "feedback:invitation-resend",
        {"invitation_id": invitation_of(open_round)},
        invitations_state,
        lambda w: {"email": "verbeterd@example.nl"},
    ),
    "feedback:invitation-remove": own_post(
        "feedback:invitation-remove", {"invitation_id": invitation_of(draft)}, invitations_state
    ),
    "feedback:report": [
        Case(at("feedback:report", round_id=make), outcome, label=label)
        for label, (make, outcome) in REPORT_CASES.items()
    ],
    "feedback:report-pdf": [
        Case(at("feedback:report-pdf", round_id=make), outcome, label=label)
        for label, (make, outcome) in REPORT_CASES.items()
    ],
    "feedback:share-create": own_post(
        "feedback:share-create", {"round_id": private_report}, shares_state, lambda w: {"with_whom": "manager"}
    ),
    "feedback:share-withdraw": own_post(
        "feedback:share-withdraw", {"round_id": manager_report}, shares_state, lambda w: {"share": manager_share(w)}
    ),
    "feedback:goal-create": own_post(
        "feedback:goal-create",
        {"round_id": private_report},
        goals_state,
        lambda w: {"question": first_competence_question(w)},
    ),
    "feedback:answer": [
        Case(at("feedback:answer", token=answer_token), same_for_everyone(OK), label="valid link"),
        Case(
            at("feedback:answer", token=answer_token),
            same_for_everyone(OK),
            method="post",
            data=answer_data,
            label="save through a valid link",
        ),
        Case(at("feedback:answer", token="no-such-token"), same_for_everyone(NOT_FOUND), label="unknown link"),
        Case(
            at("feedback:answer", token=lambda w: answer_token(w)[:-1] + "Q"),
            same_for_everyone(NOT_FOUND),
            method="post",
            data=answer_data,
            state=answers_state,
            label="tampered link",
        ),
    ],
}
