"""A closed 360° feedback round for the bench teacher (issue 4): the report page with 30 answers.

Eight competences of the board's teacher framework and two open questions; 34 invitations of which 30
answered: the leidinggevende (named), 19 colleagues, 6 parents, 2 interns and 2 of another relation
(pooled into "others"), so the report shows groups, a pooled group, a named manager and comments.
The owner rated themselves. Everything through bulk_create, with deterministic ids and tokens nobody
holds (the round is closed: its links would not work anyway).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

COMPETENCES = 8
OPEN_QUESTIONS = ("Wat moet ik vooral blijven doen?", "Waar kan ik nog in groeien?")
# (relation, how many answered, how many invited): 30 answers of 34 invitations.
PLAN = (("manager", 1, 1), ("colleague", 19, 21), ("parent", 6, 8), ("intern", 2, 2), ("other", 2, 2))
COMMENTS = (
    "Heldere instructie, de kinderen weten wat er van ze verwacht wordt.",
    "Meer differentiëren voor de snelle rekenaars.",
    "Fijne, rustige sfeer in de klas.",
    "Zou vaker feedback kunnen vragen aan de kinderen.",
    "Goede samenwerking in de bouw.",
    "Neem de tijd voor het nagesprek na een les.",
)
TITLE = "360°-feedback voorjaar"


def generate_feedback(
    rng: random.Random, new_id: Callable[[], Any], *, board: Any, owner: Any, raters: list[Any]
) -> Any:
    """One closed round of `owner` with 30 submitted answers; returns the round (its report: /feedback/<id>/report/).

    `raters` are people of the board (the first as the leidinggevende, the next ones as colleagues);
    parents, interns and others are people without an account.
    """
    from bekwaam.feedback.models import (
        FeedbackAnswer,
        FeedbackEvent,
        FeedbackInvitation,
        FeedbackQuestion,
        FeedbackResponse,
        FeedbackRound,
        QuestionKind,
        Relation,
        RoundState,
        token_hash,
    )
    from bekwaam.frameworks.models import Competence, FrameworkVersion, ScaleLevel, VersionStatus

    versions = FrameworkVersion.objects.filter(board=board, status=VersionStatus.PUBLISHED)
    version = (
        versions.filter(framework__slug="teacher-competences").order_by("-number").first()
        or versions.order_by("-number").first()
    )
    if version is None:
        raise RuntimeError("the board has adopted no framework (generate the dossiers first)")
    competences = list(
        Competence.objects.filter(version=version).order_by("domain__position", "position")[:COMPETENCES]
    )
    values = list(ScaleLevel.objects.filter(version=version).order_by("value").values_list("value", flat=True))

    today = timezone.localdate()
    opened = timezone.now() - datetime.timedelta(days=28)
    closed = timezone.now() - datetime.timedelta(days=6)
    round_ = FeedbackRound(
        id=new_id(),
        board=board,
        owner=owner,
        title=TITLE,
        message="Ik ben benieuwd hoe jullie mijn lessen en mijn samenwerking ervaren.",
        framework_version=version,
        state=RoundState.CLOSED,
        closes_on=today - datetime.timedelta(days=7),
        opened_at=opened,
        closed_at=closed,
    )
    FeedbackRound.objects.bulk_create([round_])
    FeedbackRound.objects.filter(pk=round_.pk).update(created_at=opened - datetime.timedelta(days=1))
    questions = [
        FeedbackQuestion(board=board, round=round_, kind=QuestionKind.COMPETENCE, competence=c, position=n)
        for n, c in enumerate(competences)
    ] + [
        FeedbackQuestion(board=board, round=round_, kind=QuestionKind.OPEN, text=text, position=len(competences) + n)
        for n, text in enumerate(OPEN_QUESTIONS)
    ]
    FeedbackQuestion.objects.bulk_create(questions)
    rating_questions = [q for q in questions if q.kind == QuestionKind.COMPETENCE]
    text_questions = [q for q in questions if q.kind == QuestionKind.OPEN]

    invitations: list[Any] = []
    responses: list[Any] = []
    answers: list[Any] = []
    board_people = iter(raters)
    external = 0

    def respond(relation: str, invitation: Any, *, named: bool = False) -> None:
        response = FeedbackResponse(
            id=new_id(),
            board=board,
            round=round_,
            invitation=invitation,
            relation=relation,
            named=named,
            submitted_at=opened + datetime.timedelta(days=rng.randint(1, 20)),
        )
        responses.append(response)
        base = rng.randint(1, len(values))
        for question in rating_questions:
            if relation != Relation.SELF and rng.random() < 0.1:
                value = None  # "I cannot judge this"
            else:
                value = values[max(0, min(len(values) - 1, base - 1 + rng.randint(-1, 1)))]
            answers.append(FeedbackAnswer(board=board, response=response, question=question, value=value))
        if relation == Relation.SELF:
            return
        answers.extend(
            FeedbackAnswer(board=board, response=response, question=question, text=rng.choice(COMMENTS))
            for question in text_questions
            if rng.random() < 0.6
        )

    respond(Relation.SELF, None)
    for relation, answered, invited in PLAN:
        for number in range(invited):
            person = next(board_people, None) if relation in (Relation.MANAGER, Relation.COLLEAGUE) else None
            if person is None:
                external += 1
                name, email = f"Genodigde {external}", f"genodigde.{external}@example.invalid"
            else:
                name, email = person.full_name, person.email.lower()
            invitation = FeedbackInvitation(
                id=new_id(),
                board=board,
                round=round_,
                name=name,
                email=email,
                person=person,
                relation=relation,
                token_hash=token_hash(f"bench-{new_id()}"),
                expires_at=closed,
                sent_at=opened,
            )
            invitations.append(invitation)
            if number < answered:
                respond(relation, invitation, named=relation == Relation.MANAGER)

    FeedbackInvitation.objects.bulk_create(invitations)
    FeedbackResponse.objects.bulk_create(responses)
    FeedbackAnswer.objects.bulk_create(answers, batch_size=1000)
    FeedbackEvent.objects.bulk_create(
        [
            FeedbackEvent(board=board, round=round_, action="open", from_state="draft", to_state="open", actor=owner),
            FeedbackEvent(board=board, round=round_, action="close", from_state="open", to_state="closed", actor=owner),
        ]
    )
    return round_
