"""Authorization matrix cases for the sessions part of dialogue (merged by matrix_cases.py).

Sessions are at school_a, facilitated by the teacher, with the manager (the schoolleider of school_a) taking
part; the colleague works at school_a and does not take part (reads, never writes). A planned session is
captured by its facilitator only; a held one takes additions from its participants for a week; a closed one
(held ten days ago) sends a participant's late addition back with a message, changing nothing. The board's
quality viewers (bestuurder, kwaliteitsmedewerker) do not find sessions (answers are the team's) but see the
shared view and the agreed actions; the kwaliteitsmedewerker and the schoolleider put an agreed action into
the verbeterplan (the bestuurder: 403). Everyone else, board B included, finds nothing (404). Each POST case
names a `state` that must change for exactly the personas that may write.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.dialogue.models import SessionAnswer, SharedView, Statement, StatementKind, TeamSession
from bekwaam.dialogue.tests.factories import answer_build, first_question, session_build, statement_build
from bekwaam.dossier.models import Goal
from bekwaam.quality.models import ImprovementAction, ImprovementPlan
from bekwaam.quality.tests.factories_plans import plan_build
from bekwaam.tenancy.tests.matrix import DENIED, EVERYONE, INVALID, NOT_ALLOWED, Case, World, at, expect

NOT_FOUND_OTHERS = "not_found"
SCHOOL_A = ("manager", "teacher", "colleague")
QUALITY_VIEWERS = ("board_member", "quality_officer")
POST_ONLY = dict.fromkeys(EVERYONE, NOT_ALLOWED)

# Pages of a session: the school's people find it, everyone else does not.
READ = expect(ok=SCHOOL_A, others=NOT_FOUND_OTHERS)


def only(*ok: str, denied: tuple[str, ...] = ()) -> dict[str, str]:
    """ok for `ok`, 403 for `denied`, 404 for everyone else signed in."""
    return expect(ok=ok, others=NOT_FOUND_OTHERS) | dict.fromkeys(denied, DENIED)


def _session(title: str, held_days_ago: float | None = None) -> Callable[[World], TeamSession]:
    """A session at school_a with one question, an answer, an agreed view and an agreed action; made once per test."""

    def get(world: World) -> TeamSession:
        session = TeamSession.objects.filter(title=title).first()
        if session is None:
            session = session_build(
                school=world.school_a,
                facilitator=world.teacher,
                participants=[world.manager],
                title=title,
                held_days_ago=held_days_ago,
            )
            answer_build(first_question(session), text=f"{title} antwoord", author=world.teacher)
            statement_build(session, text=f"{title} opvatting")
            statement_build(session, text=f"{title} actie", kind=StatementKind.ACTION)
        return session

    return get


PLANNED = _session("Matrix gepland")
HELD = _session("Matrix gehouden", held_days_ago=1)
CLOSED = _session("Matrix gesloten", held_days_ago=10)


def session_id(session: Callable[[World], TeamSession]) -> Callable[[World], Any]:
    return lambda world: session(world).pk


def question_id(session: Callable[[World], TeamSession]) -> Callable[[World], Any]:
    return lambda world: first_question(session(world)).pk


def answer_id(session: Callable[[World], TeamSession]) -> Callable[[World], Any]:
    return lambda world: SessionAnswer.objects.filter(question__session=session(world)).first().pk


def statement_id(session: Callable[[World], TeamSession], kind: str = StatementKind.VIEW) -> Callable[[World], Any]:
    return lambda world: Statement.objects.filter(session=session(world), kind=kind).first().pk


def _open_plan(world: World) -> ImprovementPlan:
    plan = ImprovementPlan.objects.filter(title="Matrix verbeterplan").first()
    return plan or plan_build(board=world.board_a, school=world.school_a, title="Matrix verbeterplan")


def _url(name: str, **kwargs: Any) -> Callable[[World], str]:
    return at(f"dialogue:{name}", **kwargs)


def _with_query(name: str, query: Callable[[World], str]) -> Callable[[World], str]:
    return lambda world: f"{at(f'dialogue:{name}')(world)}?{query(world)}"


def sessions_state(world: World) -> object:
    return sorted(TeamSession.objects.values_list("title", "held_at"))


def answers_state(world: World) -> object:
    return sorted(SessionAnswer.objects.values_list("text", "added_afterwards"))


def statements_state(world: World) -> object:
    return sorted(Statement.objects.values_list("text", "kind", "added_afterwards"))


def views_state(world: World) -> object:
    return sorted(SharedView.objects.values_list("school_id", "number"))


def actions_state(world: World) -> object:
    return sorted(ImprovementAction.objects.values_list("title", "deadline"))


def goals_state(world: World) -> object:
    return sorted(Goal.objects.values_list("title", "plan__person__email"))


def today() -> datetime.date:
    return timezone.localdate()


def create_data(world: World) -> dict[str, Any]:
    return {
        "title": "Matrix nieuwe sessie",
        "planned_on": today().isoformat(),
        "participants": [str(world.teacher.pk)],
        "shipped": ["define-1"],
        "own_questions": "",
    }


def plan_data(world: World, deadline: datetime.date | None = None) -> dict[str, Any]:
    return {
        "goal": f"new-{_open_plan(world).pk}",
        "new_goal": "Matrix nieuw doel",
        "title": "Matrix actie in het plan",
        "description": "",
        "owner": str(world.quality_officer.pk),
        "start_date": today().isoformat(),
        "deadline": (deadline or today() + datetime.timedelta(days=60)).isoformat(),
    }


def adopt_data(world: World) -> dict[str, Any]:
    return {"based_on": "0", "adopt": [str(statement_id(HELD)(world))]}


def _school(name: str) -> Callable[[World], int]:
    return lambda world: world.persona(name).pk


MATRIX: dict[str, list[Case]] = {
    "dialogue:sessions": [
        Case(_url("sessions"), expect(ok=(*QUALITY_VIEWERS, *SCHOOL_A, "outsider"))),
    ],
    "dialogue:session_create": [
        # Step one: only those who may start somewhere (staff and leaders of a school).
        Case(_url("session_create"), expect(ok=(*SCHOOL_A, "outsider"))),
        Case(
            _with_query("session_create", lambda world: f"school={world.school_a.pk}&pillar=define"),
            expect(ok=SCHOOL_A) | {"outsider": NOT_FOUND_OTHERS},
            label="(school_a, step two)",
        ),
        Case(
            _with_query("session_create", lambda world: f"school={world.school_a.pk}&pillar=define"),
            expect(ok=SCHOOL_A) | {"outsider": NOT_FOUND_OTHERS},
            method="post",
            data=create_data,
            state=sessions_state,
            changes=SCHOOL_A,
        ),
        Case(
            _with_query("session_create", lambda world: f"school={world.school_a.pk}&pillar=define"),
            expect(ok=()) | dict.fromkeys(SCHOOL_A, INVALID) | {"outsider": NOT_FOUND_OTHERS},
            method="post",
            data=lambda world: {**create_data(world), "shipped": [], "own_questions": "  "},
            state=sessions_state,
            label="(no questions)",
        ),
    ],
    "dialogue:session": [
        Case(_url("session", session_id=session_id(PLANNED)), READ),
        Case(_url("session", session_id=session_id(HELD)), READ, label="(held)"),
    ],
    "dialogue:session_held": [
        Case(_url("session_held", session_id=session_id(PLANNED)), POST_ONLY),
        Case(
            _url("session_held", session_id=session_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            state=sessions_state,
            changes=("teacher",),
        ),
    ],
    "dialogue:session_adopt": [
        Case(_url("session_adopt", session_id=session_id(HELD)), only("teacher", "manager", denied=("colleague",))),
        Case(
            _url("session_adopt", session_id=session_id(PLANNED)),
            only(denied=SCHOOL_A),
            label="(not held yet)",
        ),
        Case(
            _url("session_adopt", session_id=session_id(HELD)),
            only("teacher", "manager", denied=("colleague",)),
            method="post",
            data=adopt_data,
            state=views_state,
            changes=("teacher", "manager"),
        ),
    ],
    "dialogue:answer_add": [
        Case(_url("answer_add", question_id=question_id(PLANNED)), POST_ONLY),
        Case(
            _url("answer_add", question_id=question_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            data=lambda world: {"text": "Matrix antwoord"},
            state=answers_state,
            changes=("teacher",),
        ),
        Case(
            _url("answer_add", question_id=question_id(PLANNED)),
            only(denied=("manager", "colleague")) | {"teacher": INVALID},
            method="post",
            data=lambda world: {"text": "   "},
            state=answers_state,
            label="(empty)",
        ),
        Case(
            _url("answer_add", question_id=question_id(HELD)),
            only("teacher", "manager", denied=("colleague",)),
            method="post",
            data=lambda world: {"text": "Matrix achteraf"},
            state=answers_state,
            changes=("teacher", "manager"),
            label="(afterwards)",
        ),
        Case(
            _url("answer_add", question_id=question_id(CLOSED)),
            only("teacher", "manager", denied=("colleague",)),
            method="post",
            data=lambda world: {"text": "Matrix te laat"},
            state=answers_state,
            label="(closed: back with a message)",
        ),
    ],
    "dialogue:statement_add": [
        Case(_url("statement_add", question_id=question_id(PLANNED)), POST_ONLY),
        Case(
            _url("statement_add", question_id=question_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            data=lambda world: {"kind": "view", "text": "Matrix uitspraak"},
            state=statements_state,
            changes=("teacher",),
        ),
        Case(
            _url("statement_add", question_id=question_id(PLANNED)),
            only(denied=("manager", "colleague")) | {"teacher": INVALID},
            method="post",
            data=lambda world: {"kind": "view", "text": ""},
            state=statements_state,
            label="(empty)",
        ),
        Case(
            _url("statement_add", question_id=question_id(HELD)),
            only("teacher", "manager", denied=("colleague",)),
            method="post",
            data=lambda world: {"kind": "action", "text": "Matrix afspraak achteraf"},
            state=statements_state,
            changes=("teacher", "manager"),
            label="(afterwards)",
        ),
    ],
    "dialogue:answer_edit": [
        Case(_url("answer_edit", answer_id=answer_id(PLANNED)), only("teacher", denied=("manager", "colleague"))),
        Case(
            _url("answer_edit", answer_id=answer_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            data=lambda world: {"text": "Matrix verbeterd"},
            state=answers_state,
            changes=("teacher",),
        ),
        Case(
            _url("answer_edit", answer_id=answer_id(HELD)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            data=lambda world: {"text": "Matrix verbeterd"},
            state=answers_state,
            label="(held: back with a message)",
        ),
    ],
    "dialogue:answer_delete": [
        Case(_url("answer_delete", answer_id=answer_id(PLANNED)), POST_ONLY),
        Case(
            _url("answer_delete", answer_id=answer_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            state=answers_state,
            changes=("teacher",),
        ),
    ],
    "dialogue:statement_edit": [
        Case(
            _url("statement_edit", statement_id=statement_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
        ),
        Case(
            _url("statement_edit", statement_id=statement_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            data=lambda world: {"kind": "action", "text": "Matrix aangepast"},
            state=statements_state,
            changes=("teacher",),
        ),
    ],
    "dialogue:statement_delete": [
        Case(_url("statement_delete", statement_id=statement_id(PLANNED)), POST_ONLY),
        Case(
            _url("statement_delete", statement_id=statement_id(PLANNED)),
            only("teacher", denied=("manager", "colleague")),
            method="post",
            state=statements_state,
            changes=("teacher",),
        ),
    ],
    "dialogue:statement_to_plan": [
        # The bestuurder sees agreed statements but does not write the verbeterplan.
        Case(
            _url("statement_to_plan", statement_id=statement_id(HELD, StatementKind.ACTION)),
            only("manager", "quality_officer", denied=("teacher", "colleague", "board_member")),
        ),
        Case(
            _url("statement_to_plan", statement_id=statement_id(HELD, StatementKind.ACTION)),
            only("manager", "quality_officer", denied=("teacher", "colleague", "board_member")),
            method="post",
            data=plan_data,
            state=actions_state,
            changes=("manager", "quality_officer"),
        ),
        Case(
            _url("statement_to_plan", statement_id=statement_id(HELD, StatementKind.ACTION)),
            only(denied=("teacher", "colleague", "board_member")) | {"manager": INVALID, "quality_officer": INVALID},
            method="post",
            data=lambda world: plan_data(world, deadline=today() - datetime.timedelta(days=1)),
            state=actions_state,
            label="(deadline before the start)",
        ),
        Case(
            _url("statement_to_plan", statement_id=statement_id(HELD)),
            only(),
            label="(a shared view is no action)",
        ),
    ],
    "dialogue:statement_to_pop": [
        Case(_url("statement_to_pop", statement_id=statement_id(HELD, StatementKind.ACTION)), POST_ONLY),
        Case(
            _url("statement_to_pop", statement_id=statement_id(HELD, StatementKind.ACTION)),
            only("teacher", "manager", denied=("colleague",)),
            method="post",
            state=goals_state,
            changes=("teacher", "manager"),
        ),
        Case(
            _url("statement_to_pop", statement_id=statement_id(PLANNED, StatementKind.ACTION)),
            only(denied=SCHOOL_A),
            method="post",
            state=goals_state,
            label="(not held yet)",
        ),
    ],
    "dialogue:school_view": [
        Case(
            _url("school_view", school_id=_school("school_a")),
            expect(ok=(*QUALITY_VIEWERS, *SCHOOL_A), others="not_found"),
        ),
        Case(
            _url("school_view", school_id=_school("school_a2")),
            expect(ok=QUALITY_VIEWERS, others="not_found"),
            label="(school_a2)",
        ),
        Case(
            _url("school_view", school_id=_school("school_b")),
            expect(ok=("outsider",), others="not_found"),
            label="(board B's school)",
        ),
    ],
}
