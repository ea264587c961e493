"""Writes of verbeterplannen: plans, their goals, actions through PDCA, and the dated checks of each action.

A plan belongs to a school ("quality.edit_school" to write) or to the board itself ("quality.edit_board_level").
It may start from one record of the same board and school: a self-evaluation (final), an inspection visit
that took place, or a kwaliteitsmedewerker's school visit. An open plan can be written; a closed plan is
read-only until reopened, and closes only when every action is done (so a closed plan never has overdue
actions).

Actions move through PDCA with ACTION_MACHINE (models.py). Moving to check and to done needs a dated note
of what was checked (an ActionCheck, with an optional document); other moves may bring one. Every write of
an action locks its plan and then the action (always in that order, so two writes never deadlock), checks
the move on the locked row, and saves: a stale move gets the state machine's message and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bekwaam.accounts.models import Person
from bekwaam.lib.states import StateMachine
from bekwaam.lib.storage import file_remove
from bekwaam.quality.models import (
    ACTION_MACHINE,
    ActionCheck,
    ActionPhase,
    EvaluationState,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    InspectionVisit,
    PlanState,
    QualityDocument,
    SchoolVisit,
    SelfEvaluation,
    Standard,
)
from bekwaam.quality.selectors.plans import (
    MOVES_NEEDING_A_NOTE,
    owner_choices_for,
    plan_framework,
    plan_standards_for,
)
from bekwaam.quality.services.evaluations import DocumentUpload, quality_document_create
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import authorize

TEXT_MAX = 10_000
# What an edit of a plan leaves as it is (the creator may have left: SET_NULL, which full_clean would refuse).
PLAN_FIXED_FIELDS = ["board", "school", "created_by", "source_evaluation", "source_inspection", "source_school_visit"]

# A plan's own lifecycle, declared once like the action's.
PLAN_MACHINE = StateMachine(
    states=PlanState,
    transitions={
        "close": {PlanState.OPEN: PlanState.CLOSED},
        "reopen": {PlanState.CLOSED: PlanState.OPEN},
    },
    action_labels={"close": gettext_lazy("Close the plan"), "reopen": gettext_lazy("Reopen the plan")},
)


@dataclass(frozen=True)
class GoalInput:
    title: str
    description: str = ""
    standard_ids: Sequence[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class CheckInput:
    """A dated note of what was checked or done, with an optional document."""

    checked_on: datetime.date | None
    text: str
    upload: DocumentUpload | None = None


# --- who may -------------------------------------------------------------------------------------------


def plan_authorize(*, actor: Actor, school: School | None) -> None:
    """May the actor write plans of this school (or, with None, the board's own)?"""
    if school is None:
        authorize(actor, "quality.edit_board_level")
        return
    if school.board_id != actor.board_id:
        raise ValidationError(_("Choose a school of your board."))
    authorize(actor, "quality.edit_school", school)


def _own_plan(actor: Actor, plan: ImprovementPlan) -> None:
    if plan.board_id != actor.board_id:
        raise ValidationError(_("This plan is not of your board."))
    plan_authorize(actor=actor, school=plan.school)


def _lock_open_plan(actor: Actor, plan: ImprovementPlan) -> ImprovementPlan:
    # No select_related: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (the school).
    locked = ImprovementPlan.objects.select_for_update().get(pk=plan.pk, board_id=actor.board_pk)
    if locked.state != PlanState.OPEN:
        raise ValidationError(_("This plan is closed: reopen it first to change it."), code="closed")
    return locked


# --- plans ---------------------------------------------------------------------------------------------


def _source_check(
    *,
    actor: Actor,
    school: School | None,
    evaluation: SelfEvaluation | None,
    inspection: InspectionVisit | None,
    visit: SchoolVisit | None,
) -> None:
    given = [record for record in (evaluation, inspection, visit) if record is not None]
    if len(given) > 1:
        raise ValidationError(_("A plan starts from one record at most."))
    if not given:
        return
    record = given[0]
    if record.board_id != actor.board_id:
        raise ValidationError(_("This record is not of your board; a plan starts from your board's own records."))
    if record.school_id != (school.pk if school is not None else None):
        raise ValidationError(
            _("This record is about another school than the plan: start the plan from a record of the same school.")
            if school is not None and record.school_id is not None
            else _("A plan of the board starts from the board's own records, a school's plan from that school's.")
        )
    if evaluation is not None and evaluation.state != EvaluationState.FINAL:
        raise ValidationError(_("Make the self-evaluation final before starting a plan from it."))
    if inspection is not None and inspection.date > timezone.localdate():
        raise ValidationError(_("This inspection visit has not taken place yet."))


def _standards_check(*, plan: ImprovementPlan, standard_ids: Sequence[int], keep: Sequence[int] = ()) -> list[Standard]:
    allowed = {s.pk: s for s in plan_standards_for(framework=plan_framework(plan), school=plan.school, keep=keep)}
    if set(standard_ids) - set(allowed):
        raise ValidationError(
            {"standards": _("Choose standards of the plan's onderzoekskader; reload the page to see the list.")}
        )
    return [allowed[pk] for pk in standard_ids]


def _text(value: str, *, name: str) -> str:
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({name: _("Write at most %(max)s characters.") % {"max": TEXT_MAX}})
    return value


def plan_create(
    *,
    actor: Actor,
    school: School | None,
    title: str,
    description: str = "",
    source_evaluation: SelfEvaluation | None = None,
    source_inspection: InspectionVisit | None = None,
    source_school_visit: SchoolVisit | None = None,
    goals: Sequence[GoalInput] = (),
) -> ImprovementPlan:
    """An open plan for a school (or the board), from at most one record of the same board and school.

    The goals (the proposals the user ticked) are created with it; all or nothing.
    """
    plan_authorize(actor=actor, school=school)
    _source_check(
        actor=actor,
        school=school,
        evaluation=source_evaluation,
        inspection=source_inspection,
        visit=source_school_visit,
    )
    plan = ImprovementPlan(
        board_id=actor.board_pk,
        school=school,
        title=title.strip(),
        description=_text(description, name="description"),
        source_evaluation=source_evaluation,
        source_inspection=source_inspection,
        source_school_visit=source_school_visit,
        created_by=actor.person,
    )
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        for position, goal in enumerate(goals):
            standards = _standards_check(plan=plan, standard_ids=list(goal.standard_ids))
            _goal_save(
                ImprovementGoal(board_id=plan.board_id, plan=plan, position=position), given=goal, standards=standards
            )
    return plan


def plan_update(*, actor: Actor, plan: ImprovementPlan, title: str, description: str) -> ImprovementPlan:
    """Rename or describe an open plan."""
    _own_plan(actor, plan)
    with transaction.atomic():
        locked = _lock_open_plan(actor, plan)
        locked.title, locked.description = title.strip(), _text(description, name="description")
        locked.full_clean(exclude=PLAN_FIXED_FIELDS)
        locked.save(update_fields=["title", "description"])
    return locked


def plan_move(*, actor: Actor, plan: ImprovementPlan, move: str) -> ImprovementPlan:
    """Close a plan (every action done) or reopen it; TransitionRefusedError when the state does not allow it."""
    _own_plan(actor, plan)
    if move not in PLAN_MACHINE.actions:
        raise ValidationError(_("Choose what to do with the plan."))
    with transaction.atomic():
        locked = ImprovementPlan.objects.select_for_update().get(pk=plan.pk, board_id=actor.board_pk)
        after = PLAN_MACHINE.move(locked.state, move)
        if move == "close":
            not_done = ImprovementAction.objects.filter(goal__plan=locked).exclude(phase=ActionPhase.DONE).count()
            if not_done:
                raise ValidationError(
                    ngettext(
                        "A plan closes when every action is done; %(count)s action is not done yet.",
                        "A plan closes when every action is done; %(count)s actions are not done yet.",
                        not_done,
                    )
                    % {"count": not_done},
                    code="not_done",
                )
        locked.state = after
        locked.save(update_fields=["state"])
    return locked


# --- goals ---------------------------------------------------------------------------------------------


def _goal_save(goal: ImprovementGoal, *, given: GoalInput, standards: Sequence[Standard]) -> ImprovementGoal:
    goal.title, goal.description = given.title.strip(), _text(given.description, name="description")
    goal.full_clean(exclude=["plan", "board"])
    goal.save()
    goal.standards.set(standards)
    return goal


def goal_create(*, actor: Actor, plan: ImprovementPlan, goal: GoalInput) -> ImprovementGoal:
    """A goal at the end of an open plan, linked to standards of the plan's onderzoekskader and level."""
    _own_plan(actor, plan)
    with transaction.atomic():
        locked = _lock_open_plan(actor, plan)
        standards = _standards_check(plan=plan, standard_ids=list(goal.standard_ids))
        last = ImprovementGoal.objects.filter(plan=locked).aggregate(last=Max("position"))["last"]
        created = ImprovementGoal(board_id=locked.board_id, plan=locked, position=0 if last is None else last + 1)
        return _goal_save(created, given=goal, standards=standards)


def goal_update(*, actor: Actor, goal: ImprovementGoal, given: GoalInput) -> ImprovementGoal:
    """Change a goal of an open plan; standards linked before stay choosable (the plan's version may differ)."""
    plan = goal.plan
    _own_plan(actor, plan)
    with transaction.atomic():
        _lock_open_plan(actor, plan)
        locked = ImprovementGoal.objects.select_for_update().get(pk=goal.pk, plan=plan)
        current = list(locked.standards.values_list("pk", flat=True))
        standards = _standards_check(plan=plan, standard_ids=list(given.standard_ids), keep=current)
        return _goal_save(locked, given=given, standards=standards)


def goal_delete(*, actor: Actor, goal: ImprovementGoal) -> None:
    """Remove a goal of an open plan with its actions, while none of its actions has a recorded check."""
    plan = goal.plan
    _own_plan(actor, plan)
    with transaction.atomic():
        _lock_open_plan(actor, plan)
        locked = ImprovementGoal.objects.select_for_update().get(pk=goal.pk, plan=plan)
        if ActionCheck.objects.filter(action__goal=locked).exists():
            raise ValidationError(
                _("An action of this goal has recorded checks: the goal stays, as evidence of what was done."),
                code="has_checks",
            )
        # One delete per action (not a cascade): each joins the board's change log.
        for action in ImprovementAction.objects.filter(goal=locked):
            action.delete()
        locked.delete()


# --- actions -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    title: str
    description: str
    owner_id: UUID | None
    start_date: datetime.date
    deadline: datetime.date


def _action_fill(
    action: ImprovementAction, *, plan: ImprovementPlan, given: ActionInput, current_owner: Person | None
) -> None:
    if given.deadline < given.start_date:
        raise ValidationError({"deadline": _("The deadline cannot be before the start date.")}, code="deadline")
    if given.owner_id is None:
        raise ValidationError({"owner": _("Choose who owns this action.")}, code="owner")
    owners = {
        person.pk: person
        for person in owner_choices_for(board_id=plan.board_id, school=plan.school, keep=current_owner)
    }
    owner = owners.get(given.owner_id)
    if owner is None:
        raise ValidationError(
            {"owner": _("Choose someone who works at the school or the board's quality staff.")}, code="owner"
        )
    action.title = given.title.strip()
    action.description = _text(given.description, name="description")
    action.owner = owner
    action.start_date, action.deadline = given.start_date, given.deadline
    action.full_clean(exclude=["goal", "board"])


def action_create(*, actor: Actor, goal: ImprovementGoal, given: ActionInput) -> ImprovementAction:
    """A new action (in phase plan) of a goal of an open plan; the deadline is not before the start."""
    plan = goal.plan
    _own_plan(actor, plan)
    with transaction.atomic():
        _lock_open_plan(actor, plan)
        action = ImprovementAction(board_id=plan.board_id, goal=goal, phase=ActionPhase.PLAN)
        _action_fill(action, plan=plan, given=given, current_owner=None)
        action.save()
    return action


def _lock_action(actor: Actor, action: ImprovementAction) -> tuple[ImprovementPlan, ImprovementAction]:
    plan = action.goal.plan
    _own_plan(actor, plan)
    locked_plan = _lock_open_plan(actor, plan)
    locked = ImprovementAction.objects.select_for_update(of=("self",)).get(
        pk=action.pk, board_id=actor.board_pk, goal__plan=locked_plan
    )
    return locked_plan, locked


def action_update(*, actor: Actor, action: ImprovementAction, given: ActionInput) -> ImprovementAction:
    """Change an action's title, description, owner and dates (not its phase: that is action_move)."""
    with transaction.atomic():
        plan, locked = _lock_action(actor, action)
        _action_fill(locked, plan=plan, given=given, current_owner=locked.owner)
        locked.save(update_fields=["title", "description", "owner", "start_date", "deadline"])
    return locked


def action_delete(*, actor: Actor, action: ImprovementAction) -> None:
    """Remove an action that has no recorded checks (a mistake); one with checks stays as evidence."""
    with transaction.atomic():
        _plan, locked = _lock_action(actor, action)
        if ActionCheck.objects.filter(action=locked).exists():
            raise ValidationError(_("This action has recorded checks: it stays, as evidence of what was done."))
        locked.delete()


def _file_remove(document: QualityDocument) -> None:
    file_remove(document.file.storage, document.file.name or "")


def _check_record(
    *,
    actor: Actor,
    plan: ImprovementPlan,
    action: ImprovementAction,
    phase: str,
    given: CheckInput,
    stored: list[QualityDocument],
) -> ActionCheck:
    """Validate and save one dated note; the caller holds the locks and the transaction.

    A document is stored through quality_document_create (checked by content); it is added to `stored`
    so the caller can remove the file when the transaction fails after all.
    """
    text = _text(given.text, name="text")
    if not text:
        raise ValidationError({"text": _("Write down what was checked or done.")}, code="text")
    if given.checked_on is None:
        raise ValidationError({"checked_on": _("Give the date of the check.")}, code="checked_on")
    if given.checked_on > timezone.localdate():
        raise ValidationError(
            {"checked_on": _("A check is recorded once it took place: the date cannot be in the future.")},
            code="checked_on",
        )
    document: QualityDocument | None = None
    if given.upload is not None:
        try:
            document = quality_document_create(actor=actor, school=plan.school, upload=given.upload)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
        stored.append(document)
    check = ActionCheck(
        board_id=action.board_id,
        action=action,
        phase=phase,
        checked_on=given.checked_on,
        text=text,
        document=document,
        recorded_by=actor.person,
    )
    check.full_clean(exclude=["action", "board", "document", "recorded_by"])
    check.save()
    return check


def action_move(
    *, actor: Actor, action: ImprovementAction, move: str, note: CheckInput | None = None
) -> tuple[ImprovementAction, ActionCheck | None]:
    """Move an action one PDCA step (ACTION_MACHINE) on its locked row, with a dated note of what was checked.

    Moving to check and to done needs the note; other moves keep one when given. The note is recorded
    in the phase the action moves to. A move the current phase does not allow (another person moved
    first) raises TransitionRefusedError and writes nothing.
    """
    if move not in ACTION_MACHINE.actions:
        raise ValidationError({"move": _("Choose the next step.")}, code="move")
    stored: list[QualityDocument] = []
    try:
        with transaction.atomic():
            plan, locked = _lock_action(actor, action)
            after = ACTION_MACHINE.move(locked.phase, move)
            has_note = note is not None and (note.text.strip() or note.upload is not None)
            if move in MOVES_NEEDING_A_NOTE and not has_note:
                raise ValidationError(
                    {"text": _("Write down, with its date, what was checked before this step.")}, code="text"
                )
            check = None
            if note is not None and has_note:
                check = _check_record(actor=actor, plan=plan, action=locked, phase=after, given=note, stored=stored)
            locked.phase, locked.phase_changed_at = after, timezone.now()
            locked.save(update_fields=["phase", "phase_changed_at"])
    except BaseException:
        for document in stored:
            _file_remove(document)
        raise
    return locked, check


def action_check_add(*, actor: Actor, action: ImprovementAction, note: CheckInput) -> ActionCheck:
    """An extra dated note of what was checked or done, in the action's current phase (any time the plan is open)."""
    stored: list[QualityDocument] = []
    try:
        with transaction.atomic():
            plan, locked = _lock_action(actor, action)
            return _check_record(actor=actor, plan=plan, action=locked, phase=locked.phase, given=note, stored=stored)
    except BaseException:
        for document in stored:
            _file_remove(document)
        raise
