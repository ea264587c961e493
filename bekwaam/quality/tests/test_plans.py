"""Services of verbeterplannen: sources and proposals, goals, actions, PDCA with dated checks, closing."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bekwaam.lib.states import TransitionRefusedError
from bekwaam.quality.models import (
    ACTION_MACHINE,
    ActionCheck,
    ActionPhase,
    EvaluationKind,
    EvaluationState,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    JudgementLevel,
    PlanState,
    QualityDocument,
)
from bekwaam.quality.selectors.plans import goal_proposals_for, lowest_levels, owner_choices_for, plan_source_get_for
from bekwaam.quality.services import plans as services
from bekwaam.quality.services.evaluations import DocumentUpload
from bekwaam.quality.tests.factories import (
    evaluation_build,
    inspection_build,
    kader_load,
    scale_build,
    school_visit_build,
    standard,
)
from bekwaam.quality.tests.factories_plans import (
    action_build,
    actor_of,
    check_build,
    goal_build,
    plan_build,
    plan_with_action,
)
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def note(text: str = "Twee lessen bekeken; de instructie is korter.", days_ago: int = 0, **extra: Any) -> Any:
    return services.CheckInput(checked_on=TODAY() - datetime.timedelta(days=days_ago), text=text, **extra)


def action_input(world: Any, **changes: Any) -> services.ActionInput:
    values: dict[str, Any] = {
        "title": "Lesbezoeken rekenen",
        "description": "",
        "owner_id": world.teacher.pk,
        "start_date": TODAY(),
        "deadline": TODAY() + datetime.timedelta(days=90),
    }
    values.update(changes)
    return services.ActionInput(**values)


# --- plans and their sources ---------------------------------------------------------------------------


def test_it_creates_a_plan_from_a_final_self_evaluation_with_the_ticked_proposals(world: Any) -> None:
    framework = kader_load()
    evaluation = evaluation_build(
        board=world.board_a,
        school=world.school_a,
        framework=framework,
        judgements={"OP2": "Onvoldoende", "OP3": "Voldoende", "VS1": "Onvoldoende", "OR1": "Goed"},
    )
    source = plan_source_get_for(actor=actor_of(world.quality_officer), evaluation_id=evaluation.pk)
    assert [p.standard_ids for p in source.proposals] == [
        (standard(framework, "OP2").pk,),
        (standard(framework, "VS1").pk,),
    ]
    chosen = [source.proposals[1]]
    plan = services.plan_create(
        actor=actor_of(world.quality_officer),
        school=world.school_a,
        title="Plan na zelfevaluatie",
        source_evaluation=evaluation,
        goals=[services.GoalInput(p.title, p.description, p.standard_ids) for p in chosen],
    )
    assert plan.state == PlanState.OPEN
    assert plan.source_evaluation == evaluation
    goal = ImprovementGoal.objects.get(plan=plan)
    assert list(goal.standards.values_list("code", flat=True)) == ["VS1"]


def test_it_proposes_the_lowest_levels_of_a_longer_scale(world: Any) -> None:
    scale_build(world.board_a)
    JudgementLevel.objects.create(board=world.board_a, value=4, label="Excellent")
    assert [level.value for level in lowest_levels(world.board_a.pk)] == [1, 2]
    evaluation = evaluation_build(
        board=world.board_a, school=world.school_a, judgements={"OP1": "Voldoende", "OP2": "Goed", "OP3": "Onvoldoende"}
    )
    source = plan_source_get_for(actor=actor_of(world.quality_officer), evaluation_id=evaluation.pk)
    codes = {standard_id for p in source.proposals for standard_id in p.standard_ids}
    framework = evaluation.framework
    assert codes == {standard(framework, "OP1").pk, standard(framework, "OP3").pk}


def test_it_proposes_herstelopdrachten_and_weak_inspection_judgements(world: Any) -> None:
    framework = kader_load()
    deadline = TODAY() + datetime.timedelta(days=180)
    visit = inspection_build(
        board=world.board_a,
        school=world.school_a,
        framework=framework,
        date=TODAY() - datetime.timedelta(days=10),
        judgements={"OP2": "insufficient", "OP3": "sufficient", "VS1": "very_weak"},
        repair_orders=[
            ("OP2", "Breng de leerlingzorg op orde.", deadline),
            (None, "Verbeter de verantwoording.", None),
        ],
    )
    source = plan_source_get_for(actor=actor_of(world.manager), inspection_id=visit.pk)
    keys = [p.key[0] for p in source.proposals]
    assert keys == ["r", "r", "j", "j"]
    assert source.proposals[0].standard_ids == (standard(framework, "OP2").pk,)
    assert source.proposals[1].standard_ids == ()
    assert [p.standard_ids for p in source.proposals[2:]] == [
        (standard(framework, "OP2").pk,),
        (standard(framework, "VS1").pk,),
    ]
    assert all(p.checked for p in source.proposals)


def test_it_proposes_a_school_visits_standards_unticked(world: Any) -> None:
    visit = school_visit_build(school=world.school_a, visitor=world.quality_officer, standard_codes=["OP3", "SKA1"])
    source = plan_source_get_for(actor=actor_of(world.quality_officer), visit_id=visit.pk)
    assert len(source.proposals) == 2
    assert not any(p.checked for p in source.proposals)


def test_a_draft_evaluation_proposes_nothing_and_cannot_start_a_plan(world: Any) -> None:
    evaluation = evaluation_build(
        board=world.board_a, school=world.school_a, judgements={"OP2": "Onvoldoende"}, state=EvaluationState.DRAFT
    )
    source = plan_source_get_for(actor=actor_of(world.quality_officer), evaluation_id=evaluation.pk)
    assert goal_proposals_for(source=source) == []
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=actor_of(world.quality_officer), school=world.school_a, title="Te vroeg", source_evaluation=evaluation
        )
    assert not ImprovementPlan.objects.exists()


def test_it_refuses_a_source_of_another_school_or_board(world: Any) -> None:
    other_school = evaluation_build(board=world.board_a, school=world.school_a2, judgements={"OP2": "Onvoldoende"})
    other_board = evaluation_build(board=world.board_b, school=world.school_b, judgements={"OP2": "Onvoldoende"})
    board_own = inspection_build(board=world.board_a, school=None, date=TODAY() - datetime.timedelta(days=3))
    actor = actor_of(world.quality_officer)
    for kwargs in (
        {"school": world.school_a, "source_evaluation": other_school},
        {"school": world.school_a, "source_evaluation": other_board},
        {"school": world.school_a, "source_inspection": board_own},
        {"school": None, "source_evaluation": other_school},
    ):
        with pytest.raises(ValidationError):
            services.plan_create(actor=actor, title="Verkeerde bron", **kwargs)
    assert not ImprovementPlan.objects.exists()


def test_it_refuses_an_inspection_that_has_not_taken_place(world: Any) -> None:
    upcoming = inspection_build(board=world.board_a, school=world.school_a, date=TODAY() + datetime.timedelta(days=20))
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=actor_of(world.quality_officer), school=world.school_a, title="Te vroeg", source_inspection=upcoming
        )


def test_it_refuses_more_than_one_source(world: Any) -> None:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP2": "Onvoldoende"})
    visit = school_visit_build(school=world.school_a, visitor=world.quality_officer)
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=actor_of(world.quality_officer),
            school=world.school_a,
            title="Twee bronnen",
            source_evaluation=evaluation,
            source_school_visit=visit,
        )


def test_who_may_write_which_plans(world: Any) -> None:
    def create(person: Any, school: Any) -> None:
        services.plan_create(actor=actor_of(person), school=school, title="Plan")

    create(world.quality_officer, world.school_a)
    create(world.quality_officer, None)
    create(world.manager, world.school_a)
    create(world.board_member, None)  # the bestuur's own plan against BKA
    for person, school in (
        (world.board_member, world.school_a),  # reads school plans, does not write them
        (world.manager, world.school_a2),  # leads school_a only
        (world.manager, None),
        (world.teacher, world.school_a),
        (world.administrator, world.school_a),
    ):
        with pytest.raises(PermissionDenied):
            create(person, school)
    with pytest.raises(ValidationError):
        create(world.outsider_admin, world.school_a)  # a school of another board
    assert ImprovementPlan.objects.count() == 4


def test_goals_link_standards_of_the_plans_framework_and_level(world: Any) -> None:
    framework = kader_load()
    plan = plan_build(board=world.board_a, school=world.school_a)
    actor = actor_of(world.quality_officer)
    goal = services.goal_create(
        actor=actor, plan=plan, goal=services.GoalInput("Zicht op ontwikkeling", "", [standard(framework, "OP2").pk])
    )
    assert goal.position == 0
    with pytest.raises(ValidationError):  # a board standard on a school's plan
        services.goal_create(
            actor=actor, plan=plan, goal=services.GoalInput("BKA", "", [standard(framework, "BKA1").pk])
        )
    older = kader_load("2017")
    with pytest.raises(ValidationError):  # another version than the plan's
        services.goal_create(actor=actor, plan=plan, goal=services.GoalInput("Oud", "", [standard(older, "OP1").pk]))
    second = services.goal_create(actor=actor, plan=plan, goal=services.GoalInput("Tweede", ""))
    assert second.position == 1


def test_a_goal_goes_only_while_no_action_has_checks(world: Any) -> None:
    _plan, goal, action = plan_with_action(board=world.board_a, school=world.school_a)
    actor = actor_of(world.manager)
    check_build(action)
    with pytest.raises(ValidationError):
        services.goal_delete(actor=actor, goal=goal)
    assert ImprovementGoal.objects.filter(pk=goal.pk).exists()
    ActionCheck.objects.all().delete()
    services.goal_delete(actor=actor, goal=goal)
    assert not ImprovementGoal.objects.filter(pk=goal.pk).exists()
    assert not ImprovementAction.objects.filter(pk=action.pk).exists()


# --- actions -------------------------------------------------------------------------------------------


def test_an_action_has_an_owner_of_the_school_or_the_quality_staff(world: Any) -> None:
    plan = plan_build(board=world.board_a, school=world.school_a)
    goal = goal_build(plan)
    actor = actor_of(world.quality_officer)
    owners = {person.pk for person in owner_choices_for(board_id=world.board_a.pk, school=world.school_a)}
    assert {world.teacher.pk, world.colleague.pk, world.manager.pk, world.quality_officer.pk} <= owners
    assert world.outsider.pk not in owners and world.board_member.pk not in owners
    action = services.action_create(
        actor=actor, goal=goal, given=action_input(world, owner_id=world.quality_officer.pk)
    )
    assert action.phase == ActionPhase.PLAN
    for stranger in (world.outsider, world.board_member, world.administrator):
        with pytest.raises(ValidationError) as refused:
            services.action_create(actor=actor, goal=goal, given=action_input(world, owner_id=stranger.pk))
        assert "owner" in refused.value.message_dict


def test_a_former_employee_stays_owner_but_cannot_become_one(world: Any) -> None:
    leaver = PersonFactory()
    employment = EmploymentFactory(person=leaver, school=world.school_a)
    _plan, goal, action = plan_with_action(board=world.board_a, school=world.school_a, owner=leaver)
    employment.end_date = TODAY() - datetime.timedelta(days=1)
    employment.save()
    actor = actor_of(world.quality_officer)
    services.action_update(actor=actor, action=action, given=action_input(world, owner_id=leaver.pk, title="Nieuw"))
    with pytest.raises(ValidationError):
        services.action_create(actor=actor, goal=goal, given=action_input(world, owner_id=leaver.pk))


def test_the_board_plans_owners_are_the_bestuur_and_quality_staff(world: Any) -> None:
    other_officer = PersonFactory()
    RoleGrantFactory(person=other_officer, board=world.board_a, role=Role.QUALITY_OFFICER)
    owners = {person.pk for person in owner_choices_for(board_id=world.board_a.pk, school=None)}
    assert owners == {world.board_member.pk, world.quality_officer.pk, other_officer.pk}


def test_a_deadline_before_the_start_is_refused_and_the_database_agrees(world: Any) -> None:
    _plan, goal, action = plan_with_action(board=world.board_a, school=world.school_a)
    actor = actor_of(world.quality_officer)
    early = action_input(world, start_date=TODAY(), deadline=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.action_create(actor=actor, goal=goal, given=early)
    assert "deadline" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.action_update(actor=actor, action=action, given=early)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementAction.objects.filter(pk=action.pk).update(deadline=action.start_date - datetime.timedelta(days=1))
    assert ImprovementAction.objects.count() == 1


# --- PDCA ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("phase", "move"), list(itertools.product(ActionPhase.values, ACTION_MACHINE.actions)))
def test_every_pdca_move_is_allowed_or_refused_as_declared(world: Any, phase: str, move: str) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=phase)
    actor = actor_of(world.manager)
    if ACTION_MACHINE.allows(phase, move):
        moved, check = services.action_move(actor=actor, action=action, move=move, note=note())
        assert moved.phase == ACTION_MACHINE.transitions[move][phase]
        assert check is not None and check.phase == moved.phase and check.recorded_by == world.manager
        assert ImprovementAction.objects.get(pk=action.pk).phase_changed_at is not None
    else:
        with pytest.raises(TransitionRefusedError):
            services.action_move(actor=actor, action=action, move=move, note=note())
        assert ImprovementAction.objects.get(pk=action.pk).phase == phase
        assert not ActionCheck.objects.exists()


@pytest.mark.parametrize(("phase", "move"), [("do", "check"), ("check", "complete"), ("act", "complete")])
def test_moving_to_check_or_done_needs_a_dated_note(world: Any, phase: str, move: str) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=phase)
    actor = actor_of(world.manager)
    for given in (None, note(text="   ")):
        with pytest.raises(ValidationError) as refused:
            services.action_move(actor=actor, action=action, move=move, note=given)
        assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.action_move(actor=actor, action=action, move=move, note=note(days_ago=-1))
    assert "checked_on" in refused.value.message_dict
    assert ImprovementAction.objects.get(pk=action.pk).phase == phase
    assert not ActionCheck.objects.exists()
    services.action_move(actor=actor, action=action, move=move, note=note(days_ago=3))
    assert ActionCheck.objects.get().checked_on == TODAY() - datetime.timedelta(days=3)


@pytest.mark.parametrize(
    ("phase", "move"), [("plan", "start"), ("check", "adjust"), ("act", "restart"), ("done", "reopen")]
)
def test_other_moves_need_no_note(world: Any, phase: str, move: str) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=phase)
    moved, check = services.action_move(actor=actor_of(world.manager), action=action, move=move, note=None)
    assert check is None and moved.phase == ACTION_MACHINE.transitions[move][phase]


def test_a_stale_move_gets_the_state_machines_message_and_writes_nothing(world: Any) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.DO)
    seen_by_both = ImprovementAction.objects.select_related("goal__plan__school").get(pk=action.pk)
    services.action_move(actor=actor_of(world.manager), action=seen_by_both, move="check", note=note("Eerste"))
    with pytest.raises(TransitionRefusedError):
        services.action_move(
            actor=actor_of(world.quality_officer), action=seen_by_both, move="check", note=note("Tweede")
        )
    assert list(ActionCheck.objects.values_list("text", flat=True)) == ["Eerste"]


def test_extra_checks_can_be_added_in_any_phase_with_a_document(world: Any, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.DO)
    upload = DocumentUpload(title="", file=SimpleUploadedFile("verslag.pdf", PDF, content_type="application/pdf"))
    check = services.action_check_add(actor=actor_of(world.manager), action=action, note=note(upload=upload))
    assert check.phase == ActionPhase.DO
    assert check.document is not None and check.document.school == world.school_a
    assert check.document.title == "verslag.pdf"
    with pytest.raises(ValidationError) as refused:
        services.action_check_add(actor=actor_of(world.manager), action=action, note=note(text=""))
    assert "text" in refused.value.message_dict


def test_a_refused_document_writes_nothing(world: Any, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.DO)
    upload = DocumentUpload(title="", file=SimpleUploadedFile("script.pdf", b"<html>nope</html>"))
    with pytest.raises(ValidationError) as refused:
        services.action_move(actor=actor_of(world.manager), action=action, move="check", note=note(upload=upload))
    assert "document" in refused.value.message_dict
    assert ImprovementAction.objects.get(pk=action.pk).phase == ActionPhase.DO
    assert not ActionCheck.objects.exists() and not QualityDocument.objects.exists()


def test_a_reader_cannot_move_or_check(world: Any) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.DO)
    for person in (world.board_member, world.teacher):
        with pytest.raises(PermissionDenied):
            services.action_move(actor=actor_of(person), action=action, move="check", note=note())
        with pytest.raises(PermissionDenied):
            services.action_check_add(actor=actor_of(person), action=action, note=note())
    assert not ActionCheck.objects.exists()


# --- closing -------------------------------------------------------------------------------------------


def test_a_plan_closes_when_every_action_is_done_and_is_read_only_then(world: Any) -> None:
    plan, goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.ACT)
    actor = actor_of(world.manager)
    with pytest.raises(ValidationError):
        services.plan_move(actor=actor, plan=plan, move="close")
    services.action_move(actor=actor, action=action, move="complete", note=note())
    closed = services.plan_move(actor=actor, plan=plan, move="close")
    assert closed.state == PlanState.CLOSED
    with pytest.raises(TransitionRefusedError):
        services.plan_move(actor=actor, plan=plan, move="close")
    for write in (
        lambda: services.plan_update(actor=actor, plan=plan, title="Nieuw", description=""),
        lambda: services.goal_create(actor=actor, plan=plan, goal=services.GoalInput("Nieuw")),
        lambda: services.action_create(actor=actor, goal=goal, given=action_input(world)),
        lambda: services.action_move(actor=actor, action=action, move="reopen"),
        lambda: services.action_check_add(actor=actor, action=action, note=note()),
        lambda: services.goal_delete(actor=actor, goal=goal),
    ):
        with pytest.raises(ValidationError):
            write()
    services.plan_move(actor=actor, plan=plan, move="reopen")
    services.action_move(actor=actor, action=action, move="reopen")
    assert ImprovementAction.objects.get(pk=action.pk).phase == ActionPhase.ACT


def test_a_nu_meting_is_a_source_too(world: Any) -> None:
    snapshot = evaluation_build(
        board=world.board_a, school=world.school_a, kind=EvaluationKind.SNAPSHOT, judgements={"OR1": "Onvoldoende"}
    )
    source = plan_source_get_for(actor=actor_of(world.manager), evaluation_id=snapshot.pk)
    assert len(source.proposals) == 1
    plan = services.plan_create(
        actor=actor_of(world.manager), school=world.school_a, title="Na nu-meting", source_evaluation=snapshot
    )
    assert plan.source_evaluation == snapshot


def test_an_action_with_checks_stays(world: Any) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a)
    check_build(action)
    with pytest.raises(ValidationError):
        services.action_delete(actor=actor_of(world.manager), action=action)
    ActionCheck.objects.all().delete()
    services.action_delete(actor=actor_of(world.manager), action=action)
    assert not ImprovementAction.objects.exists()


def test_a_check_cannot_be_dated_in_the_future(world: Any) -> None:
    plan = plan_build(board=world.board_a, school=world.school_a)
    action = action_build(goal_build(plan), phase=ActionPhase.PLAN)
    with pytest.raises(ValidationError):
        services.action_check_add(
            actor=actor_of(world.manager),
            action=action,
            note=services.CheckInput(checked_on=TODAY() + datetime.timedelta(days=1), text="Morgen"),
        )
