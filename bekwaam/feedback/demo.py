"""Demo 360° feedback for the demo teacher: a closed round with a report, and an open one still waiting.

Written through the same services the pages use (round, invitations, self-rating, the invitees' answers),
except that the demo sends no e-mail: the rounds are opened and closed with round_state_move directly,
so nobody at a real address hears from a demo. The closed round's report shows a group (four
colleagues), the leidinggevende by name, and a parent and an intern withheld ("fewer than 3 answers").
Idempotent: an owner who has a round at the board already is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.dossier.selectors import framework_version_for
from bekwaam.feedback.models import (
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackRound,
    QuestionKind,
    Relation,
)
from bekwaam.feedback.services import invitation_expiry, round_state_move
from bekwaam.feedback.services.answers import AnswerInput, response_save
from bekwaam.feedback.services.rounds import (
    invitation_add_external,
    invitations_add,
    round_create,
    self_rating_save,
)
from bekwaam.frameworks.models import Competence
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Board

COMMENTS = (
    "Je geeft heldere instructie en checkt of iedereen het begrepen heeft.",
    "De kinderen voelen zich veilig bij jou in de klas.",
    "Probeer de snelle leerlingen vaker extra uitdaging te geven.",
    "Je denkt actief mee in de bouwvergadering.",
    "Je overleg met ouders is open en duidelijk.",
    "Ik leer veel van hoe je de dag opstart.",
)


def _move(round_: FeedbackRound, action: str, by: Person) -> None:
    with transaction.atomic():
        locked = FeedbackRound.objects.select_for_update().get(pk=round_.pk)
        fields: tuple[str, ...] = ()
        if action == "open":
            locked.opened_at, fields = timezone.now(), ("opened_at",)
        elif action == "close":
            locked.closed_at, fields = timezone.now(), ("closed_at",)
        round_state_move(round_=locked, action=action, by=by, update_fields=fields)
        if action == "open":
            FeedbackInvitation.objects.filter(round=locked).update(
                sent_at=timezone.now(), expires_at=invitation_expiry(locked.closes_on)
            )


def _start(actor: Actor, *, title: str, closes_on: datetime.date, competences: int) -> FeedbackRound:
    version = framework_version_for(actor=actor)
    if version is None:
        raise RuntimeError("the demo board has adopted no framework")
    chosen = list(
        Competence.objects.filter(version=version).select_related("domain").order_by("domain__position", "position")
    )[:competences]
    return round_create(
        actor=actor,
        title=title,
        message="Ik wil graag weten hoe jullie mijn lessen en onze samenwerking ervaren. Dank je wel!",
        closes_on=closes_on,
        competences=chosen,
        open_questions=["Wat moet ik vooral blijven doen?", "Waar kan ik nog in groeien?"],
    )


def seed_feedback_demo(
    *, board: Board, owner: Person, colleagues: Sequence[Person], manager: Person, today: datetime.date
) -> None:
    """A closed round with its report and an open round with a pending invitation, for `owner` at `board`."""
    if FeedbackRound.objects.filter(board=board, owner=owner).exists():
        return
    actor = actor_for(owner, f"board:{board.pk}")

    # The closed round: four colleagues, the leidinggevende (by name), one parent, one intern.
    closed = _start(actor, title="Feedback op mijn lessen", closes_on=today + datetime.timedelta(days=1), competences=6)
    invitations_add(actor=actor, round_=closed, people=[manager, *colleagues[:4]])
    invitation_add_external(
        actor=actor, round_=closed, name="Sanne Ouder", email="ouder.demo@example.invalid", relation=Relation.PARENT
    )
    invitation_add_external(
        actor=actor,
        round_=closed,
        name="Stijn Stagiair",
        email="stagiair.demo@example.invalid",
        relation=Relation.INTERN,
    )
    questions = list(FeedbackQuestion.objects.filter(round=closed).order_by("position"))
    ratings = [q for q in questions if q.kind == QuestionKind.COMPETENCE]
    texts = [q for q in questions if q.kind == QuestionKind.OPEN]
    self_rating_save(actor=actor, round_=closed, ratings={q.pk: 2 + n % 2 for n, q in enumerate(ratings)})
    _move(closed, "open", owner)
    for n, invitation in enumerate(FeedbackInvitation.objects.filter(round=closed).order_by("created_at", "name")):
        response_save(
            invitation=invitation,
            data=AnswerInput(
                relation=invitation.relation,
                named=invitation.relation == Relation.MANAGER,
                ratings={q.pk: (None if (n + i) % 7 == 6 else 2 + (n + i) % 3) for i, q in enumerate(ratings)},
                texts={q.pk: COMMENTS[(n + i) % len(COMMENTS)] for i, q in enumerate(texts)},
            ),
            submit=True,
        )
    _move(closed, "close", owner)

    # The open round: two colleagues invited, one answered, one still to do.
    waiting = _start(
        actor, title="Feedback op mijn rol in het team", closes_on=today + datetime.timedelta(days=10), competences=3
    )
    invitations_add(actor=actor, round_=waiting, people=list(colleagues[4:6]))
    _move(waiting, "open", owner)
    first = FeedbackInvitation.objects.filter(round=waiting).order_by("created_at", "name").first()
    if first is not None:
        questions = list(FeedbackQuestion.objects.filter(round=waiting, kind=QuestionKind.COMPETENCE))
        response_save(
            invitation=first,
            data=AnswerInput(relation=first.relation, ratings={q.pk: 3 for q in questions}),
            submit=True,
        )
