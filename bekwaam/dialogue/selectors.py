"""Reads of the team dialogue: who belongs to which school, sessions in reach, one session's page, the
school's shared view with its versions, and the agreed actions of a school.

Who sees what (docs/dialogue.md):
- a session with its answers: its facilitator and participants, the school's other staff (read-only), and
  the school's leaders; nobody else finds it (404);
- a session's agreed statements and the school's shared view: those people, and the board's quality viewers
  (bestuurder, kwaliteitsmedewerker), who do not see the answers: answers are the team's, statements shared.
Every getter answers 404 outside that reach, for another board's records too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

import rules
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bekwaam.accounts.models import Person
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
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment, School

# At most this many agreed actions are listed on a school's shared-view page (newest sessions first).
AGREED_ACTIONS_SHOWN = 100


def active_employment_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


# --- who belongs where ---------------------------------------------------------------------------------


def employed_school_ids(actor: Actor) -> frozenset[int]:
    """The schools of the active board where the actor has an active employment (one query)."""
    if actor.board_id is None:
        return frozenset()
    return frozenset(
        Employment.objects.filter(active_employment_q(), person=actor.person, board_id=actor.board_id).values_list(
            "school_id", flat=True
        )
    )


def led_school_ids(actor: Actor) -> frozenset[int]:
    """The schools the actor leads as schoolleider (a grant for the school, with quality rights there)."""
    if actor.board_id is None or not actor.has_permission(roles.SCHOOL_QUALITY):
        return frozenset()
    return actor.managed_school_ids


def is_board_viewer(actor: Actor) -> bool:
    """The bestuur and the kwaliteitsmedewerker: every school's shared view and agreed statements."""
    return actor.board_id is not None and actor.has_permission(roles.VIEW_QUALITY)


def may_use(actor: Actor) -> bool:
    """The dialogue's pages at all: staff of a school, schoolleiders, and the board's quality viewers."""
    return actor.board_id is not None and (
        actor.has_permission(roles.VIEW_DOSSIER)
        or actor.has_permission(roles.SCHOOL_QUALITY)
        or actor.has_permission(roles.VIEW_QUALITY)
    )


def may_start(actor: Actor, school: School, *, employed: frozenset[int] | None = None) -> bool:
    """Any medewerker employed at the school, or a schoolleider of it, may start a session there."""
    if actor.board_id is None or school.board_id != actor.board_id:
        return False
    if school.pk in led_school_ids(actor):
        return True
    return school.pk in (employed if employed is not None else employed_school_ids(actor))


def may_see_school_view(actor: Actor, school: School, *, employed: frozenset[int] | None = None) -> bool:
    """The school's shared view: its staff and leaders, and the board's quality viewers."""
    if actor.board_id is None or school.board_id != actor.board_id:
        return False
    if is_board_viewer(actor) or school.pk in led_school_ids(actor):
        return True
    return school.pk in (employed if employed is not None else employed_school_ids(actor))


def startable_schools_for(*, actor: Actor) -> list[School]:
    """The schools where the actor may start a session, by name."""
    ids = employed_school_ids(actor) | led_school_ids(actor)
    if not ids:
        return []
    return list(School.objects.filter(board_id=actor.board_pk, pk__in=ids).order_by("name", "pk"))


def school_view_schools_for(*, actor: Actor) -> list[School]:
    """The schools whose shared view the actor may read: every school for board viewers, else their own."""
    schools = School.objects.filter(board_id=actor.board_pk)
    if not is_board_viewer(actor):
        schools = schools.filter(pk__in=employed_school_ids(actor) | led_school_ids(actor))
    return list(schools.order_by("name", "pk"))


def participant_choices_for(*, school: School) -> list[Person]:
    """Who may take part in a session at the school: the people with an active employment there."""
    employed = Employment.objects.filter(active_employment_q(), board_id=school.board_id, school=school)
    return list(
        Person.objects.filter(pk__in=employed.values("person_id"), is_active=True).order_by(
            "family_name", "given_name", "pk"
        )
    )


# --- one session's access --------------------------------------------------------------------------------


class SessionStatus:
    PLANNED = "planned"  # not held yet: the facilitator captures
    OPEN = "open"  # held: participants may add until additions_until
    CLOSED = "closed"  # read-only


def additions_until(session: TeamSession) -> datetime.datetime | None:
    """When additions close: DIALOGUE_ADDITION_DAYS after the session was marked held."""
    if session.held_at is None:
        return None
    return session.held_at + datetime.timedelta(days=settings.DIALOGUE_ADDITION_DAYS)


def session_status(session: TeamSession, now: datetime.datetime | None = None) -> str:
    until = additions_until(session)
    if until is None:
        return SessionStatus.PLANNED
    return SessionStatus.OPEN if (now or timezone.now()) < until else SessionStatus.CLOSED


@dataclass(frozen=True)
class SessionAccess:
    """What the actor may do with one session, decided once (the rules read it, the page shows it)."""

    read: bool = False  # the session with its answers
    statements: bool = False  # its agreed statements (board quality viewers too)
    facilitator: bool = False
    participant: bool = False  # the facilitator counts as a participant
    leader: bool = False
    capture: bool = False  # answers and statements during the session (facilitator, before held)
    add_afterwards: bool = False  # a participant, while additions are open
    adopt: bool = False  # into the shared view (facilitator or school leader, once held)
    to_plan: bool = False  # agreed actions into the verbeterplan ("quality.edit_school", once held)
    to_pop: bool = False  # an agreed action into one's own POP (a participant, once held)

    @property
    def write(self) -> bool:
        return self.capture or self.add_afterwards


NO_ACCESS = SessionAccess()


def session_access(
    actor: Actor,
    session: TeamSession,
    *,
    participant_ids: Iterable[UUID] | None = None,
    employed: frozenset[int] | None = None,
    now: datetime.datetime | None = None,
) -> SessionAccess:
    """The actor's rights on the session; `participant_ids` / `employed` when already read (saves a query)."""
    if actor.board_id is None or session.board_id != actor.board_id:
        return NO_ACCESS
    person_id = actor.person.pk
    facilitator = session.facilitator_id == person_id
    if facilitator:
        participant = True
    elif participant_ids is not None:
        participant = person_id in set(participant_ids)
    else:
        participant = session.participants.filter(pk=person_id).exists()
    leader = session.school_id in led_school_ids(actor)
    read = participant or leader
    if not read:
        read = session.school_id in (employed if employed is not None else employed_school_ids(actor))
    statements = read or is_board_viewer(actor)
    if not statements:
        return NO_ACCESS
    status = session_status(session, now)
    held = status != SessionStatus.PLANNED
    return SessionAccess(
        read=read,
        statements=statements,
        facilitator=facilitator,
        participant=participant,
        leader=leader,
        capture=facilitator and not held,
        add_afterwards=participant and status == SessionStatus.OPEN,
        adopt=held and (facilitator or leader),
        to_plan=held and bool(rules.test_rule("quality.edit_school", actor, session.school)),
        to_pop=held and participant and actor.has_permission(roles.VIEW_DOSSIER),
    )


# --- lists ---------------------------------------------------------------------------------------------


def session_list_for(*, actor: Actor) -> QuerySet[TeamSession]:
    """Sessions at the schools the actor works at or leads, and those they take part in; newest first."""
    schools = employed_school_ids(actor) | led_school_ids(actor)
    taking_part = TeamSession.participants.through.objects.filter(
        teamsession_id=OuterRef("pk"), person_id=actor.person.pk
    )
    return (
        TeamSession.objects.filter(board_id=actor.board_pk)
        .filter(Q(school_id__in=schools) | Q(facilitator=actor.person) | Exists(taking_part))
        .select_related("school", "facilitator")
        .annotate(
            question_count=Count("questions", distinct=True),
            statement_count=Count("statements", distinct=True),
        )
        .order_by("-planned_on", "-created_at", "pk")
    )


# --- one session ---------------------------------------------------------------------------------------


def _session_queryset(actor: Actor) -> QuerySet[TeamSession]:
    return TeamSession.objects.filter(board_id=actor.board_pk).select_related("school", "facilitator")


def session_get_for(*, actor: Actor, session_id: UUID, statements_only: bool = False) -> TeamSession:
    """A session the actor may read (or, with statements_only, whose statements they may see); 404 otherwise."""
    session = _session_queryset(actor).filter(pk=session_id).first()
    if session is None:
        raise Http404
    access = session_access(actor, session)
    if not (access.statements if statements_only else access.read):
        raise Http404
    return session


def question_get_for(*, actor: Actor, question_id: UUID) -> SessionQuestion:
    """A question of a session the actor may read; 404 otherwise."""
    question = (
        SessionQuestion.objects.filter(board_id=actor.board_pk, pk=question_id)
        .select_related("session__school", "session__facilitator")
        .first()
    )
    if question is None or not session_access(actor, question.session).read:
        raise Http404
    return question


def answer_get_for(*, actor: Actor, answer_id: UUID) -> SessionAnswer:
    """An answer of a session the actor may read; 404 otherwise."""
    answer = (
        SessionAnswer.objects.filter(board_id=actor.board_pk, pk=answer_id)
        .select_related("question__session__school", "question__session__facilitator", "author")
        .first()
    )
    if answer is None or not session_access(actor, answer.question.session).read:
        raise Http404
    return answer


def statement_get_for(*, actor: Actor, statement_id: UUID, statements_only: bool = False) -> Statement:
    """A statement of a session the actor may read (statements_only: whose statements they see); 404 otherwise."""
    statement = (
        Statement.objects.filter(board_id=actor.board_pk, pk=statement_id)
        .select_related("session__school", "session__facilitator", "question", "author", "improvement_action")
        .first()
    )
    if statement is None:
        raise Http404
    access = session_access(actor, statement.session)
    if not (access.statements if statements_only else access.read):
        raise Http404
    return statement


@dataclass
class QuestionPanel:
    question: SessionQuestion
    answers: list[SessionAnswer]
    statements: list[Statement]


@dataclass
class SessionPage:
    session: TeamSession
    access: SessionAccess
    status: str
    additions_until: datetime.datetime | None
    participants: list[Person]
    questions: list[QuestionPanel]
    loose_statements: list[Statement]  # of a question that no longer exists
    adoptable_count: int = 0

    @property
    def statements(self) -> list[Statement]:
        return [s for panel in self.questions for s in panel.statements] + self.loose_statements

    @property
    def actions(self) -> list[Statement]:
        return [s for s in self.statements if s.kind == StatementKind.ACTION]

    @property
    def views(self) -> list[Statement]:
        return [s for s in self.statements if s.kind == StatementKind.VIEW]


def _answers() -> QuerySet[SessionAnswer]:
    return SessionAnswer.objects.select_related("author").order_by("created_at", "pk")


def _statements() -> QuerySet[Statement]:
    return Statement.objects.select_related("author", "improvement_action__goal__plan").order_by("created_at", "pk")


def session_page_for(*, actor: Actor, session: TeamSession) -> SessionPage:
    """The session with its participants, questions, answers and statements, in a fixed number of queries."""
    participants = list(session.participants.order_by("family_name", "given_name", "pk"))
    access = session_access(actor, session, participant_ids=[p.pk for p in participants])
    questions = (
        SessionQuestion.objects.filter(board_id=session.board_id, session=session)
        .prefetch_related(Prefetch("answers", queryset=_answers()))
        .prefetch_related(Prefetch("statements", queryset=_statements()))
    )
    panels = [QuestionPanel(q, list(q.answers.all()), list(q.statements.all())) for q in questions]
    loose = list(_statements().filter(board_id=session.board_id, session=session, question__isnull=True))
    page = SessionPage(
        session=session,
        access=access,
        status=session_status(session),
        additions_until=additions_until(session),
        participants=participants,
        questions=panels,
        loose_statements=loose,
    )
    if access.adopt:
        page.adoptable_count = len(adoptable_statements_for(session=session))
    return page


def question_panel_for(*, question: SessionQuestion) -> QuestionPanel:
    """One question with its answers and statements (the fragment htmx swaps in)."""
    answers = list(_answers().filter(board_id=question.board_id, question=question))
    statements = list(_statements().filter(board_id=question.board_id, question=question))
    return QuestionPanel(question, answers, statements)


# --- the shared view -----------------------------------------------------------------------------------


def school_get_for(*, actor: Actor, school_id: int) -> School:
    """A school of the actor's board whose shared view they may read; 404 otherwise."""
    school = School.objects.filter(pk=school_id, board_id=actor.board_pk).first()
    if school is None or not may_see_school_view(actor, school):
        raise Http404
    return school


def current_view_of(school: School) -> SharedView | None:
    return (
        SharedView.objects.filter(board_id=school.board_id, school=school)
        .select_related("session", "created_by")
        .order_by("-number")
        .first()
    )


def adoptable_statements_for(*, session: TeamSession) -> list[Statement]:
    """The session's agreed views that are not in the school's current shared view."""
    current = SharedView.objects.filter(board_id=session.board_id, school_id=session.school_id).order_by("-number")[:1]
    in_current = SharedViewStatement.objects.filter(view__in=current, source_id__isnull=False).values("source_id")
    return list(
        Statement.objects.filter(board_id=session.board_id, session=session, kind=StatementKind.VIEW)
        .exclude(pk__in=in_current)
        .select_related("question", "author")
        .order_by("created_at", "pk")
    )


@dataclass
class PillarGroup:
    pillar: str
    label: str
    statements: list[SharedViewStatement]


def by_pillar(statements: Iterable[SharedViewStatement]) -> list[PillarGroup]:
    """Statements in the order of the pillars (empty pillars left out), each pillar in its positions."""
    groups = {value: PillarGroup(value, str(label), []) for value, label in Pillar.choices}
    for statement in sorted(statements, key=lambda s: (s.position, s.pk or 0)):
        if statement.pillar in groups:
            groups[statement.pillar].statements.append(statement)
    return [group for group in groups.values() if group.statements]


def _key(statement: SharedViewStatement) -> tuple[str, str]:
    return (statement.pillar, statement.text)


@dataclass
class ViewVersion:
    view: SharedView
    groups: list[PillarGroup]
    added: list[SharedViewStatement] = field(default_factory=list)
    dropped: list[SharedViewStatement] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.statements) for group in self.groups)


def shared_view_history_for(*, school: School) -> list[ViewVersion]:
    """Every version of the school's shared view, newest first, each with what it added and dropped."""
    views = list(
        SharedView.objects.filter(board_id=school.board_id, school=school)
        .select_related("session", "created_by")
        .prefetch_related(Prefetch("statements", queryset=SharedViewStatement.objects.order_by("pillar", "position")))
        .order_by("number")
    )
    versions: list[ViewVersion] = []
    previous: list[SharedViewStatement] = []
    for view in views:
        statements = list(view.statements.all())
        before = {_key(s) for s in previous}
        now = {_key(s) for s in statements}
        versions.append(
            ViewVersion(
                view=view,
                groups=by_pillar(statements),
                added=[s for s in statements if _key(s) not in before],
                dropped=[s for s in previous if _key(s) not in now],
            )
        )
        previous = statements
    versions.reverse()
    return versions


@dataclass
class SchoolViewSummary:
    """The current shared view as the quality school page shows it."""

    school: School
    view: SharedView | None
    groups: list[PillarGroup]


def shared_view_summary_for(*, actor: Actor, school: School) -> SchoolViewSummary | None:
    """The school's current shared view for the school page (two queries); None when the actor may not see it."""
    if not may_see_school_view(actor, school):
        return None
    view = (
        SharedView.objects.filter(board_id=school.board_id, school=school)
        .select_related("session")
        .order_by("-number")
        .first()
    )
    statements = (
        list(SharedViewStatement.objects.filter(view=view).order_by("pillar", "position")) if view is not None else []
    )
    return SchoolViewSummary(school=school, view=view, groups=by_pillar(statements))


def agreed_actions_for(*, school: School) -> list[Statement]:
    """The agreed actions of the school's held sessions, newest sessions first (at most AGREED_ACTIONS_SHOWN)."""
    return list(
        Statement.objects.filter(
            board_id=school.board_id, session__school=school, kind=StatementKind.ACTION, session__held_at__isnull=False
        )
        .select_related("session", "improvement_action__goal__plan")
        .order_by("-session__planned_on", "-session__created_at", "created_at", "pk")[:AGREED_ACTIONS_SHOWN]
    )


def sessions_of_school_count(*, school: School) -> int:
    return TeamSession.objects.filter(board_id=school.board_id, school=school).count()
