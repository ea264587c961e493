"""The dialogue's services: starting a session, capturing and adding afterwards, marking held, adopting into the
shared view (versions), and agreed actions into the verbeterplan and into one's own POP."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bekwaam.dialogue import services
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
from bekwaam.dialogue.tests.factories import (
    actor_of,
    first_question,
    session_build,
    statement_build,
    view_build,
)
from bekwaam.dossier.models import DevelopmentPlan, Goal
from bekwaam.quality.models import ImprovementAction, ImprovementGoal, PlanState
from bekwaam.quality.services.plans import ActionInput
from bekwaam.quality.tests.factories_plans import goal_build, plan_build
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def start(world: Any, person: Any = None, **overrides: Any) -> TeamSession:
    person = person or world.manager
    given: dict[str, Any] = {
        "school": world.school_a,
        "pillar": Pillar.DEFINE,
        "title": "Wat is een goede leraar?",
        "planned_on": TODAY(),
        "participant_ids": [world.teacher.pk],
        "shipped_keys": ["define-1", "define-3"],
        "own_questions": ["Wat maakt onze school bijzonder?"],
    }
    given.update(overrides)
    return services.session_create(actor=actor_of(person), **given)


# --- starting a session ----------------------------------------------------------------------------------


def test_it_starts_a_session_with_shipped_and_own_questions_in_order(world: Any) -> None:
    session = start(world)
    questions = list(SessionQuestion.objects.filter(session=session).order_by("position"))
    shipped = {q.key: q.text for q in shipped_questions(Pillar.DEFINE)}
    assert [(q.shipped_as, q.text) for q in questions] == [
        ("define-1", shipped["define-1"]),
        ("define-3", shipped["define-3"]),
        ("", "Wat maakt onze school bijzonder?"),
    ]
    assert session.facilitator == world.manager
    assert set(session.participants.all()) == {world.manager, world.teacher}


def test_it_lets_any_teacher_of_the_school_facilitate(world: Any) -> None:
    session = start(world, world.teacher, participant_ids=[world.colleague.pk])
    assert session.facilitator == world.teacher
    assert set(session.participants.all()) == {world.teacher, world.colleague}


def test_it_refuses_a_session_without_questions(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        start(world, shipped_keys=[], own_questions=["  ", ""])
    assert "own_questions" in error.value.error_dict
    assert not TeamSession.objects.exists()


def test_it_refuses_a_participant_from_another_school(world: Any) -> None:
    elsewhere = PersonFactory()
    EmploymentFactory(person=elsewhere, school=world.school_a2)
    for person in (elsewhere, world.outsider, world.quality_officer):
        with pytest.raises(ValidationError) as error:
            start(world, participant_ids=[world.teacher.pk, person.pk])
        assert "participants" in error.value.error_dict
    assert not TeamSession.objects.exists()


def test_it_refuses_a_participant_whose_employment_has_ended(world: Any) -> None:
    left = PersonFactory()
    EmploymentFactory(person=left, school=world.school_a, end_date=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        start(world, participant_ids=[left.pk])


def test_it_refuses_questions_of_another_pillar_and_overlong_ones(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        start(world, shipped_keys=["monitor-1"])
    assert "shipped" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        start(world, own_questions=["x" * 1001])
    assert "own_questions" in error.value.error_dict
    with pytest.raises(ValidationError):
        start(world, pillar="everything")


def test_it_refuses_to_start_at_a_school_one_does_not_work_at(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        start(world, world.teacher, school=world.school_a2, participant_ids=[])
    with pytest.raises(PermissionDenied):
        start(world, world.quality_officer, participant_ids=[])
    with pytest.raises(PermissionDenied):
        start(world, world.outsider, participant_ids=[])


# --- capturing and adding afterwards ---------------------------------------------------------------------


def test_the_facilitator_captures_and_corrects_before_the_session_is_held(world: Any) -> None:
    session = session_build(school=world.school_a, facilitator=world.manager, participants=[world.teacher])
    question = first_question(session)
    actor = actor_of(world.manager)
    answer = services.answer_add(actor=actor, question=question, text="  Geduld  ")
    assert (answer.text, answer.added_afterwards, answer.author) == ("Geduld", False, world.manager)
    statement = services.statement_add(actor=actor, question=question, kind=StatementKind.ACTION, text="Samen plannen")
    services.answer_update(actor=actor, answer=answer, text="Geduld en humor")
    services.statement_update(actor=actor, statement=statement, kind=StatementKind.VIEW, text="Plannen is samen")
    statement.refresh_from_db()
    assert (statement.kind, statement.text) == (StatementKind.VIEW, "Plannen is samen")
    services.answer_delete(actor=actor, answer=answer)
    services.statement_delete(actor=actor, statement=statement)
    assert not SessionAnswer.objects.exists() and not Statement.objects.exists()


def test_a_participant_does_not_write_before_the_session_is_held(world: Any) -> None:
    session = session_build(school=world.school_a, facilitator=world.manager, participants=[world.teacher])
    with pytest.raises(PermissionDenied):
        services.answer_add(actor=actor_of(world.teacher), question=first_question(session), text="Iets")


def test_it_refuses_an_empty_or_overlong_statement_and_an_unknown_kind(world: Any) -> None:
    session = session_build(school=world.school_a, facilitator=world.manager)
    actor, question = actor_of(world.manager), first_question(session)
    for kind, text in ((StatementKind.VIEW, "   "), (StatementKind.VIEW, "x" * 2001), ("wish", "Iets")):
        with pytest.raises(ValidationError):
            services.statement_add(actor=actor, question=question, kind=kind, text=text)
    with pytest.raises(ValidationError):
        services.answer_add(actor=actor, question=question, text="")
    assert not Statement.objects.exists() and not SessionAnswer.objects.exists()


def test_marking_held_opens_additions_for_every_participant_for_seven_days(world: Any, settings: Any) -> None:
    settings.DIALOGUE_ADDITION_DAYS = 7
    session = session_build(
        school=world.school_a, facilitator=world.manager, participants=[world.teacher, world.colleague]
    )
    question = first_question(session)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        services.session_mark_held(actor=actor_of(world.manager), session=session)
        traveller.shift(datetime.timedelta(days=6, hours=23))
        answer = services.answer_add(actor=actor_of(world.teacher), question=question, text="Nog een gedachte")
        assert answer.added_afterwards and answer.author == world.teacher
        statement = services.statement_add(
            actor=actor_of(world.colleague), question=question, kind=StatementKind.ACTION, text="Wij gaan..."
        )
        assert statement.added_afterwards
        # The facilitator's additions are additions too, and what was captured stays as it is.
        late = services.answer_add(actor=actor_of(world.manager), question=question, text="Van de voorzitter")
        assert late.added_afterwards
        with pytest.raises(ValidationError):
            services.answer_update(actor=actor_of(world.manager), answer=late, text="Anders")
        traveller.shift(datetime.timedelta(hours=1, seconds=1))
        with pytest.raises(ValidationError) as error:
            services.answer_add(actor=actor_of(world.teacher), question=question, text="Te laat")
        assert error.value.code == "closed"
    assert SessionAnswer.objects.count() == 2


def test_a_colleague_who_did_not_take_part_does_not_add_afterwards(world: Any) -> None:
    session = session_build(
        school=world.school_a, facilitator=world.manager, participants=[world.teacher], held_days_ago=1
    )
    with pytest.raises(PermissionDenied):
        services.answer_add(actor=actor_of(world.colleague), question=first_question(session), text="Ook ik")


def test_it_marks_a_session_held_once_and_only_by_its_facilitator(world: Any) -> None:
    session = session_build(school=world.school_a, facilitator=world.teacher, participants=[world.colleague])
    with pytest.raises(PermissionDenied):
        services.session_mark_held(actor=actor_of(world.colleague), session=session)
    with pytest.raises(PermissionDenied):
        services.session_mark_held(actor=actor_of(world.manager), session=session)
    held = services.session_mark_held(actor=actor_of(world.teacher), session=session)
    assert held.held_at is not None
    with pytest.raises(ValidationError):
        services.session_mark_held(actor=actor_of(world.teacher), session=session)


# --- the shared view -------------------------------------------------------------------------------------


def test_adopting_makes_a_new_version_of_kept_and_new_statements_per_pillar(world: Any) -> None:
    view_build(
        school=world.school_a,
        statements=[(Pillar.DEFINE, "Oude opvatting"), (Pillar.MONITOR, "We kijken bij elkaar")],
    )
    session = session_build(school=world.school_a, facilitator=world.teacher, pillar=Pillar.IMPROVE, held_days_ago=1)
    new_view = statement_build(session, text="We leren samen")
    statement_build(session, text="Samen scholing kiezen", kind=StatementKind.ACTION)
    current = SharedView.objects.get()
    kept = SharedViewStatement.objects.get(text="We kijken bij elkaar")
    view = services.shared_view_adopt(
        actor=actor_of(world.teacher), session=session, based_on=1, keep_ids=[kept.pk], adopt_ids=[new_view.pk]
    )
    assert view.number == 2 and view.session == session
    assert sorted(view.statements.values_list("pillar", "text", "source_id")) == [
        (Pillar.IMPROVE, "We leren samen", new_view.pk),
        (Pillar.MONITOR, "We kijken bij elkaar", None),
    ]
    # The earlier version is kept as it was.
    assert current.statements.count() == 2


def test_adopting_refuses_no_change_a_stale_version_and_foreign_statements(world: Any) -> None:
    session = session_build(school=world.school_a, facilitator=world.manager, held_days_ago=1)
    other = session_build(school=world.school_a, facilitator=world.manager, held_days_ago=1)
    mine, theirs = statement_build(session, text="Van ons"), statement_build(other, text="Van hen")
    action = statement_build(session, text="Actie", kind=StatementKind.ACTION)
    actor = actor_of(world.manager)
    with pytest.raises(ValidationError) as error:
        services.shared_view_adopt(actor=actor, session=session, based_on=0, keep_ids=[], adopt_ids=[])
    assert error.value.code == "unchanged"
    for adopt in ([theirs.pk], [action.pk]):
        with pytest.raises(ValidationError):
            services.shared_view_adopt(actor=actor, session=session, based_on=0, keep_ids=[], adopt_ids=adopt)
    services.shared_view_adopt(actor=actor, session=session, based_on=0, keep_ids=[], adopt_ids=[mine.pk])
    # A second tab still showing "no version yet" is refused; adopting the same statement again is too.
    with pytest.raises(ValidationError) as error:
        services.shared_view_adopt(actor=actor, session=other, based_on=0, keep_ids=[], adopt_ids=[theirs.pk])
    assert error.value.code == "stale"
    with pytest.raises(ValidationError):
        services.shared_view_adopt(actor=actor, session=session, based_on=1, keep_ids=[], adopt_ids=[mine.pk])
    assert SharedView.objects.count() == 1


def test_dropping_every_statement_is_a_version_too(world: Any) -> None:
    view_build(school=world.school_a, statements=[(Pillar.DEFINE, "Weg ermee")])
    session = session_build(school=world.school_a, facilitator=world.manager, held_days_ago=1)
    view = services.shared_view_adopt(
        actor=actor_of(world.manager), session=session, based_on=1, keep_ids=[], adopt_ids=[]
    )
    assert view.number == 2 and not view.statements.exists()


def test_only_the_facilitator_or_a_school_leader_adopts_once_held(world: Any) -> None:
    planned = session_build(school=world.school_a, facilitator=world.teacher, participants=[world.colleague])
    statement = statement_build(planned)
    with pytest.raises(PermissionDenied):
        services.shared_view_adopt(
            actor=actor_of(world.teacher), session=planned, based_on=0, keep_ids=[], adopt_ids=[statement.pk]
        )
    TeamSession.objects.filter(pk=planned.pk).update(held_at=timezone.now())
    planned.refresh_from_db()
    for person in (world.colleague, world.quality_officer, world.board_member):
        with pytest.raises(PermissionDenied):
            services.shared_view_adopt(
                actor=actor_of(person), session=planned, based_on=0, keep_ids=[], adopt_ids=[statement.pk]
            )
    view = services.shared_view_adopt(
        actor=actor_of(world.manager), session=planned, based_on=0, keep_ids=[], adopt_ids=[statement.pk]
    )
    assert view.created_by == world.manager


# --- agreed actions ---------------------------------------------------------------------------------------


def action_input(world: Any, **overrides: Any) -> ActionInput:
    given: dict[str, Any] = {
        "title": "Collegiale consultatie",
        "description": "",
        "owner_id": world.teacher.pk,
        "start_date": TODAY(),
        "deadline": TODAY() + datetime.timedelta(days=60),
    }
    given.update(overrides)
    return ActionInput(**given)


def agreed_action(world: Any) -> Statement:
    session = session_build(
        school=world.school_a, facilitator=world.teacher, participants=[world.colleague], held_days_ago=1
    )
    return statement_build(session, text="Elke maand een lesbezoek bij elkaar", kind=StatementKind.ACTION)


def test_an_agreed_action_goes_into_a_goal_of_the_schools_plan_once(world: Any) -> None:
    statement = agreed_action(world)
    plan = plan_build(board=world.board_a, school=world.school_a)
    goal = goal_build(plan, title="Leren van elkaar")
    action = services.statement_to_plan(
        actor=actor_of(world.manager),
        statement=statement,
        plan=plan,
        goal=goal,
        new_goal="",
        action=action_input(world),
    )
    assert action.goal == goal and action.owner == world.teacher
    statement.refresh_from_db()
    assert statement.improvement_action == action
    with pytest.raises(ValidationError) as error:
        services.statement_to_plan(
            actor=actor_of(world.quality_officer),
            statement=statement,
            plan=plan,
            goal=goal,
            new_goal="",
            action=action_input(world),
        )
    assert error.value.code == "linked"
    assert ImprovementAction.objects.count() == 1


def test_an_agreed_action_can_start_a_new_goal_in_the_plan(world: Any) -> None:
    statement = agreed_action(world)
    plan = plan_build(board=world.board_a, school=world.school_a)
    services.statement_to_plan(
        actor=actor_of(world.quality_officer),
        statement=statement,
        plan=plan,
        goal=None,
        new_goal="Een professionele cultuur",
        action=action_input(world),
    )
    assert ImprovementGoal.objects.get(plan=plan).title == "Een professionele cultuur"


def test_it_refuses_a_deadline_before_the_start_and_writes_nothing(world: Any) -> None:
    statement = agreed_action(world)
    plan = plan_build(board=world.board_a, school=world.school_a)
    with pytest.raises(ValidationError) as error:
        services.statement_to_plan(
            actor=actor_of(world.manager),
            statement=statement,
            plan=plan,
            goal=None,
            new_goal="Nieuw doel",
            action=action_input(world, deadline=TODAY() - datetime.timedelta(days=1)),
        )
    assert "deadline" in error.value.error_dict
    assert not ImprovementGoal.objects.exists() and not ImprovementAction.objects.exists()
    statement.refresh_from_db()
    assert statement.improvement_action is None


def test_it_refuses_a_plan_of_another_school_a_closed_plan_a_view_and_a_teacher(world: Any) -> None:
    statement = agreed_action(world)
    other = plan_build(board=world.board_a, school=world.school_a2)
    closed = plan_build(board=world.board_a, school=world.school_a, state=PlanState.CLOSED)
    for plan in (other, closed):
        with pytest.raises(ValidationError):
            services.statement_to_plan(
                actor=actor_of(world.quality_officer),
                statement=statement,
                plan=plan,
                goal=goal_build(plan),
                new_goal="",
                action=action_input(world),
            )
    plan = plan_build(board=world.board_a, school=world.school_a)
    view = statement_build(statement.session, text="Een opvatting")
    with pytest.raises(ValidationError):
        services.statement_to_plan(
            actor=actor_of(world.manager),
            statement=view,
            plan=plan,
            goal=None,
            new_goal="x",
            action=action_input(world),
        )
    for person in (world.teacher, world.board_member, world.administrator):
        with pytest.raises(PermissionDenied):
            services.statement_to_plan(
                actor=actor_of(person),
                statement=statement,
                plan=plan,
                goal=None,
                new_goal="x",
                action=action_input(world),
            )
    assert not ImprovementAction.objects.exists()


def test_a_participant_puts_an_agreed_action_into_their_own_pop_once(world: Any) -> None:
    statement = agreed_action(world)
    goal, created = services.statement_to_pop(actor=actor_of(world.colleague), statement=statement)
    assert created and goal.plan.person == world.colleague
    assert goal.title == "Elke maand een lesbezoek bij elkaar"
    again, created = services.statement_to_pop(actor=actor_of(world.colleague), statement=statement)
    assert again == goal and not created
    mine, _ = services.statement_to_pop(actor=actor_of(world.teacher), statement=statement)
    assert mine.plan.person == world.teacher
    assert Goal.objects.count() == 2
    # Nothing links back: the statement does not know about personal goals.
    statement.refresh_from_db()
    assert statement.improvement_action is None


def test_only_participants_put_an_action_into_a_pop_and_only_once_held(world: Any) -> None:
    statement = agreed_action(world)
    for person in (world.manager, world.quality_officer, world.outsider):
        with pytest.raises(PermissionDenied):
            services.statement_to_pop(actor=actor_of(person), statement=statement)
    planned = session_build(school=world.school_a, facilitator=world.teacher)
    action = statement_build(planned, kind=StatementKind.ACTION)
    with pytest.raises(PermissionDenied):
        services.statement_to_pop(actor=actor_of(world.teacher), statement=action)
    assert not DevelopmentPlan.objects.exists()
