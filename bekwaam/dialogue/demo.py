"""Demo team dialogue at the first demo school, written through the services the pages use.

- Last month the schoolleider led a session on "hoe definiëren we beroepskwaliteit" with three of
  Bekwaam's questions and one of the team's own; the team's answers and three agreed statements (two views,
  one action) were captured, the session was marked held, and the two views became version 1 of the
  school's shared view.
- Next week a session on "hoe maken we het zichtbaar" is planned, with Lotte de Leerkracht as a
  participant, so she can open it.
Idempotent: a school with a session is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.dialogue.models import Pillar, StatementKind, TeamSession
from bekwaam.dialogue.questions import shipped_questions
from bekwaam.dialogue.services import (
    answer_add,
    session_create,
    session_mark_held,
    shared_view_adopt,
    statement_add,
)
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Board, School

ANSWERS = (
    "Goed onderwijs begint bij kennen wat je leerlingen nodig hebben.",
    "We vinden het belangrijk dat we elkaars lessen kennen.",
)


def seed_dialogue_demo(
    *, board: Board, school: School, leader: Person, teacher: Person, team: Sequence[Person], today: datetime.date
) -> None:
    if TeamSession.objects.filter(board=board, school=school).exists():
        return
    actor = actor_for(leader, f"board:{board.pk}")
    participants = [leader.pk, teacher.pk, *[person.pk for person in team]]
    held_on = today - datetime.timedelta(days=30)
    session = session_create(
        actor=actor,
        school=school,
        pillar=Pillar.DEFINE,
        title="Studiemiddag: wat is voor ons goed onderwijs?",
        planned_on=held_on,
        participant_ids=participants,
        shipped_keys=[question.key for question in shipped_questions(Pillar.DEFINE)[:3]],
        own_questions=["Wat zien ouders als ze bij ons binnenlopen?"],
    )
    questions = list(session.questions.order_by("position"))
    for question in questions[:2]:
        for text in ANSWERS:
            answer_add(actor=actor, question=question, text=text)
    views = [
        statement_add(
            actor=actor,
            question=questions[0],
            kind=StatementKind.VIEW,
            text="Een goede leraar stemt de instructie af op wat leerlingen al kunnen.",
        ),
        statement_add(
            actor=actor,
            question=questions[1],
            kind=StatementKind.VIEW,
            text="We leren van en met elkaar: lessen van collega's bezoeken hoort erbij.",
        ),
    ]
    statement_add(
        actor=actor,
        question=questions[1],
        kind=StatementKind.ACTION,
        text="Iedereen bezoekt dit schooljaar twee lessen van een collega.",
    )
    session = session_mark_held(actor=actor, session=session)
    shared_view_adopt(actor=actor, session=session, based_on=0, keep_ids=[], adopt_ids=[v.pk for v in views])
    held_at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(16, 30)))
    TeamSession.objects.filter(pk=session.pk).update(held_at=held_at)
    session_create(
        actor=actor,
        school=school,
        pillar=Pillar.SHOW,
        title="Teamvergadering: hoe maken we zichtbaar wat we doen?",
        planned_on=today + datetime.timedelta(days=7),
        participant_ids=participants,
        shipped_keys=[question.key for question in shipped_questions(Pillar.SHOW)[:3]],
        own_questions=[],
    )
