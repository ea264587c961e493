"""Writes of the team dialogue: start a session, capture answers and statements, mark it held, add afterwards,
adopt agreed views into the school's shared view, and put agreed actions into the verbeterplan or one's POP.

Every write checks the dialogue rules again and works on the locked session row, so a capture that
arrives after the session was marked held is judged by the state it finds: by then it is an addition
(marked so, for participants, while additions are open) or refused. Adoptions lock the school's row, so
two adoptions at once never write the same version number; each checks it was based on the version that
is current. Verbeterplan actions are created by the quality services (their rules and checks apply).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
from bekwaam.dialogue.questions import shipped_questions
from bekwaam.dialogue.selectors import (
    SessionStatus,
    active_employment_q,
    adoptable_statements_for,
    session_access,
    session_status,
)
from bekwaam.dossier.models import Goal
from bekwaam.dossier.services import plans as pop
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.quality.models import ImprovementAction, ImprovementGoal, ImprovementPlan
from bekwaam.quality.services import plans as quality_plans
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment, School
from bekwaam.tenancy.policy import authorize

QUESTION_MAX = 1000
QUESTIONS_MAX = 30
ANSWER_MAX = 4000
STATEMENT_MAX = 2000


def _text(value: str, *, field: str, maximum: int, empty: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: empty}, code="required")
    if len(value) > maximum:
        raise ValidationError({field: _("Write at most %(max)s characters.") % {"max": maximum}}, code="max_length")
    return value


# --- starting a session ----------------------------------------------------------------------------------


def own_questions_from(text: str) -> list[str]:
    """The team's own questions: one per line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def session_create(
    *,
    actor: Actor,
    school: School,
    pillar: str,
    title: str,
    planned_on: datetime.date,
    participant_ids: Sequence[UUID],
    shipped_keys: Sequence[str],
    own_questions: Sequence[str],
) -> TeamSession:
    """A session at the school, facilitated by the actor (always a participant), with at least one question.

    Participants are people with an active employment at the school; the questions are the chosen
    shipped questions of the pillar (in the shipped order), then the team's own (in the order written).
    """
    authorize(actor, "dialogue.start", school)
    if pillar not in Pillar.values:
        raise ValidationError({"pillar": _("Choose one of the four pillars.")}, code="pillar")
    title = _text(title, field="title", maximum=200, empty=_("Give the session a title."))
    shipped = [q for q in shipped_questions(pillar) if q.key in set(shipped_keys)]
    if set(shipped_keys) - {q.key for q in shipped}:
        raise ValidationError(
            {"shipped": _("Choose questions of this pillar; reload the page to see them.")}, code="shipped"
        )
    own = [question.strip() for question in own_questions if question.strip()]
    for question in own:
        if len(question) > QUESTION_MAX:
            raise ValidationError(
                {"own_questions": _("Write each question in at most %(max)s characters.") % {"max": QUESTION_MAX}},
                code="max_length",
            )
    if not shipped and not own:
        raise ValidationError(
            {"own_questions": _("Choose at least one question, or write your own.")}, code="no_questions"
        )
    if len(shipped) + len(own) > QUESTIONS_MAX:
        raise ValidationError(
            {"own_questions": _("A session has at most %(max)s questions.") % {"max": QUESTIONS_MAX}}, code="too_many"
        )
    wanted = set(participant_ids)
    employed = set(
        Employment.objects.filter(
            active_employment_q(), board_id=school.board_id, school=school, person_id__in=wanted, person__is_active=True
        ).values_list("person_id", flat=True)
    )
    if wanted - employed - {actor.person.pk}:
        raise ValidationError(
            {"participants": _("Choose participants who work at %(school)s.") % {"school": school.name}},
            code="participants",
        )
    session = TeamSession(
        board_id=school.board_id,
        school=school,
        pillar=pillar,
        title=title,
        planned_on=planned_on,
        facilitator=actor.person,
        created_by=actor.person,
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        people: list[Any] = [*employed, actor.person.pk]  # Person's key is a UUID (the stubs expect int)
        session.participants.set(people)
        texts = [(q.text, q.key) for q in shipped] + [(text, "") for text in own]
        SessionQuestion.objects.bulk_create(
            SessionQuestion(board_id=session.board_id, session=session, position=position, text=text, shipped_as=key)
            for position, (text, key) in enumerate(texts)
        )
    return session


# --- during and after the session ------------------------------------------------------------------------


def _lock(session: TeamSession) -> TeamSession:
    # The school comes along for the rules; only the session's row is locked.
    return (
        TeamSession.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=session.pk, board_id=session.board_id)
    )


def _writing_mode(actor: Actor, session: TeamSession) -> bool:
    """On the locked session: may the actor write now, and is it an addition afterwards? Refuses otherwise."""
    access = session_access(actor, session)
    if access.capture:
        return False
    if access.add_afterwards:
        return True
    if access.participant and session_status(session) == SessionStatus.CLOSED:
        raise ValidationError(_("Additions to this session have closed; it is read-only now."), code="closed")
    raise PermissionDenied


def answer_add(*, actor: Actor, question: SessionQuestion, text: str) -> SessionAnswer:
    """An answer to a question: by the facilitator before the session is held, by a participant while open."""
    text = _text(text, field="text", maximum=ANSWER_MAX, empty=_("Write down the answer."))
    with transaction.atomic():
        session = _lock(question.session)
        afterwards = _writing_mode(actor, session)
        answer = SessionAnswer(
            board_id=session.board_id, question=question, text=text, author=actor.person, added_afterwards=afterwards
        )
        answer.save()
    return answer


def _capturing(actor: Actor, session: TeamSession) -> TeamSession:
    """Lock the session and check the facilitator may still change what was captured (before held)."""
    locked = _lock(session)
    if not session_access(actor, locked).capture:
        if locked.held_at is not None and locked.facilitator_id == actor.person.pk:
            raise ValidationError(
                _("The session has been held: what was written down stays. Add to it instead."), code="held"
            )
        raise PermissionDenied
    return locked


def answer_update(*, actor: Actor, answer: SessionAnswer, text: str) -> SessionAnswer:
    """Correct an answer while the session is not held yet (the facilitator)."""
    text = _text(text, field="text", maximum=ANSWER_MAX, empty=_("Write down the answer."))
    with transaction.atomic():
        _capturing(actor, answer.question.session)
        answer.text = text
        answer.save(update_fields=["text"])
    return answer


def answer_delete(*, actor: Actor, answer: SessionAnswer) -> None:
    """Remove an answer while the session is not held yet (the facilitator)."""
    with transaction.atomic():
        _capturing(actor, answer.question.session)
        answer.delete()


def _kind(kind: str) -> str:
    if kind not in StatementKind.values:
        raise ValidationError({"kind": _("Choose a shared view or an agreed action.")}, code="kind")
    return kind


def statement_add(*, actor: Actor, question: SessionQuestion, kind: str, text: str) -> Statement:
    """A statement the team agrees on, at a question: like an answer, by the facilitator or afterwards."""
    kind = _kind(kind)
    text = _text(text, field="text", maximum=STATEMENT_MAX, empty=_("Write down what the team agrees on."))
    with transaction.atomic():
        session = _lock(question.session)
        afterwards = _writing_mode(actor, session)
        statement = Statement(
            board_id=session.board_id,
            session=session,
            question=question,
            kind=kind,
            text=text,
            author=actor.person,
            added_afterwards=afterwards,
        )
        statement.save()
    return statement


def statement_update(*, actor: Actor, statement: Statement, kind: str, text: str) -> Statement:
    """Correct a statement while the session is not held yet (the facilitator)."""
    kind = _kind(kind)
    text = _text(text, field="text", maximum=STATEMENT_MAX, empty=_("Write down what the team agrees on."))
    with transaction.atomic():
        _capturing(actor, statement.session)
        statement.kind, statement.text = kind, text
        statement.save(update_fields=["kind", "text"])
    return statement


def statement_delete(*, actor: Actor, statement: Statement) -> None:
    """Remove a statement while the session is not held yet (the facilitator)."""
    with transaction.atomic():
        _capturing(actor, statement.session)
        statement.delete()


def session_mark_held(*, actor: Actor, session: TeamSession) -> TeamSession:
    """The facilitator marks the session held: additions open for DIALOGUE_ADDITION_DAYS days from now."""
    with transaction.atomic():
        locked = _lock(session)
        if locked.held_at is not None:
            raise ValidationError(_("This session has already been marked as held."), code="held")
        authorize(actor, "dialogue.capture", locked)
        locked.held_at = timezone.now()
        locked.save(update_fields=["held_at"])
    return locked


# --- the shared view -------------------------------------------------------------------------------------


def shared_view_adopt(
    *,
    actor: Actor,
    session: TeamSession,
    based_on: int,
    keep_ids: Sequence[int],
    adopt_ids: Sequence[UUID],
) -> SharedView:
    """A new version of the school's shared view: the kept statements of the current version plus the chosen
    agreed views of the session (with the session's pillar), per pillar in order.

    `based_on` is the version number the form showed (0 for none): when another adoption came first, the
    choice is refused so it can be made again on the version that is current now.
    """
    authorize(actor, "dialogue.adopt", session)
    with transaction.atomic():
        # One adoption per school at a time: the version numbers follow each other.
        School.objects.select_for_update().get(pk=session.school_id, board_id=session.board_id)
        current = (
            SharedView.objects.filter(board_id=session.board_id, school_id=session.school_id)
            .order_by("-number")
            .first()
        )
        number = current.number if current is not None else 0
        if number != based_on:
            raise ValidationError(
                _(
                    "Meanwhile someone else adopted a new version of the shared view. "
                    "Look at it below and choose again."
                ),
                code="stale",
            )
        previous = list(current.statements.order_by("pillar", "position", "pk")) if current is not None else []
        by_id = {statement.pk: statement for statement in previous}
        if set(keep_ids) - set(by_id):
            raise ValidationError({"keep": _("Choose statements of the current shared view.")}, code="keep")
        candidates = {statement.pk: statement for statement in adoptable_statements_for(session=session)}
        if set(adopt_ids) - set(candidates):
            raise ValidationError(
                {"adopt": _("Choose agreed views of this session that are not in the shared view yet.")},
                code="adopt",
            )
        kept = [statement for statement in previous if statement.pk in set(keep_ids)]
        added = [statement for pk, statement in candidates.items() if pk in set(adopt_ids)]
        if len(kept) == len(previous) and not added:
            raise ValidationError(
                _("Nothing would change: choose an agreed view to add, or untick a statement to drop."),
                code="unchanged",
            )
        view = SharedView.objects.create(
            board_id=session.board_id,
            school_id=session.school_id,
            number=number + 1,
            session=session,
            created_by=actor.person,
        )
        rows: list[SharedViewStatement] = []
        positions: dict[str, int] = {}
        for pillar, text, source_id in [(s.pillar, s.text, s.source_id) for s in kept] + [
            (session.pillar, s.text, s.pk) for s in added
        ]:
            positions[pillar] = positions.get(pillar, -1) + 1
            rows.append(
                SharedViewStatement(
                    board_id=view.board_id,
                    view=view,
                    pillar=pillar,
                    text=text,
                    position=positions[pillar],
                    source_id=source_id,
                )
            )
        SharedViewStatement.objects.bulk_create(rows)
    return view


# --- agreed actions ----------------------------------------------------------------------------------------


def _agreed_action(statement: Statement) -> None:
    if statement.kind != StatementKind.ACTION:
        raise ValidationError(_("Only an agreed action can go into a plan."), code="kind")


def statement_to_plan(
    *,
    actor: Actor,
    statement: Statement,
    plan: ImprovementPlan,
    goal: ImprovementGoal | None,
    new_goal: str,
    action: quality_plans.ActionInput,
) -> ImprovementAction:
    """The agreed action as an action of the school's verbeterplan (in an existing goal of an open plan of the
    school, or a new goal in it), once; the statement links to it. The quality services check the plan, the
    owner and the dates (a deadline before the start is refused)."""
    session = statement.session
    authorize(actor, "dialogue.to_plan", session)
    _agreed_action(statement)
    if plan.school_id != session.school_id or plan.board_id != session.board_id:
        raise ValidationError({"goal": _("Choose a plan of %(school)s.") % {"school": session.school.name}})
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of the chosen plan.")}, code="goal")
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk, board_id=statement.board_id)
        if locked.improvement_action_id is not None:
            raise ValidationError(_("This agreed action is already in the verbeterplan."), code="linked")
        if goal is None:
            title = _text(new_goal, field="new_goal", maximum=300, empty=_("Give the new goal a title."))
            goal = quality_plans.goal_create(actor=actor, plan=plan, goal=quality_plans.GoalInput(title=title))
        created = quality_plans.action_create(actor=actor, goal=goal, given=action)
        locked.improvement_action = created
        locked.save(update_fields=["improvement_action"])
    statement.improvement_action = created
    return created


def pop_goal_why(statement: Statement) -> str:
    session = statement.session
    return _("Agreed in the team session “%(title)s” of %(date)s at %(school)s.") % {
        "title": session.title,
        "date": date_format(session.planned_on),
        "school": session.school.name,
    }


def statement_to_pop(*, actor: Actor, statement: Statement) -> tuple[Goal, bool]:
    """The agreed action as a goal in the actor's own POP (their current plan, or a new one for this school
    year), once per person: a second click returns the goal made the first time. Nothing links back: the
    goal is private to its owner. Returns the goal and whether it is new."""
    session = statement.session
    authorize(actor, "dialogue.to_pop", session)
    _agreed_action(statement)
    title, why = statement.text[:300], pop_goal_why(statement)
    with transaction.atomic():
        # Serialise one person's double click (the statement row is shared, the lock is brief).
        Statement.objects.select_for_update().get(pk=statement.pk, board_id=statement.board_id)
        existing = Goal.objects.filter(board_id=actor.board_pk, plan__person=actor.person, title=title, why=why).first()
        if existing is not None:
            return existing, False
        year = school_year_label(school_year_of(timezone.localdate()))
        plan, _created = pop.plan_current_or_create(actor=actor, title=_("Development plan %(year)s") % {"year": year})
        return pop.goal_create(actor=actor, plan=plan, title=title, why=why), True
