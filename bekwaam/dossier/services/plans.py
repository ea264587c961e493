"""Every write to the POP: the owner's plans, goals, PDCA moves and actions; the leidinggevende's comments.

Each service checks the policy itself, runs in one transaction and raises ValidationError (with the
form field it belongs to) for bad input, so a view only has to show the message. The PDCA moves go
through `goal_move` alone (STYLE.md habit 2): it locks the goal, checks PHASE_TRANSITIONS against the
locked row and writes the history row with its reflection.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import (
    PHASE_TRANSITIONS,
    Action,
    DevelopmentPlan,
    Goal,
    GoalComment,
    GoalPhaseChange,
    Phase,
    SelfAssessment,
)
from bekwaam.dossier.selectors.plans import PHASE_ORDER, current_plan_for, goal_version_ids_for
from bekwaam.frameworks.models import Competence
from bekwaam.lib.dates import school_year_bounds, school_year_of
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

# A step dated in the past is placed at midday of that day: on the right date in every time zone
# the board's people are likely to be in, and after anything recorded earlier that day by default.
BACKDATED_TIME = datetime.time(12, 0)


def _date_text(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _check_period(*, starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


def _check_not_past(*, field: str, day: datetime.date | None) -> None:
    if day is not None and day < timezone.localdate():
        raise ValidationError({field: _("Choose a date from today onwards: this date is in the past.")})


def _check_competences(
    *, actor: Actor, plan: DevelopmentPlan, competences: Sequence[Competence], goal: Goal | None = None
) -> None:
    allowed = goal_version_ids_for(actor=actor, source=plan.source_assessment)
    # A goal keeps what it is linked to already, also when the board has published a newer version since.
    linked = set(goal.competences.values_list("pk", flat=True)) if goal is not None else set()
    if any(c.board_id != actor.board_id or (c.version_id not in allowed and c.pk not in linked) for c in competences):
        raise ValidationError({"competences": _("Choose competences of your own framework.")})


def plan_create(
    *,
    actor: Actor,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    source_assessment: SelfAssessment | None = None,
    goal_competences: Sequence[Competence] = (),
) -> DevelopmentPlan:
    """A new plan of the actor's own; from a finished measurement, one proposed goal per chosen competence."""
    authorize(actor, "dossier.view_own")
    _check_period(starts_on=starts_on, ends_on=ends_on)
    if source_assessment is not None and (
        source_assessment.person_id != actor.person.pk
        or source_assessment.board_id != actor.board_id
        or not source_assessment.is_finished
    ):
        raise ValidationError(_("A plan can only start from a finished measurement of your own."))
    with transaction.atomic():
        plan = DevelopmentPlan(
            board_id=actor.board_pk,
            person=actor.person,
            title=title.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            source_assessment=source_assessment,
        )
        plan.full_clean()
        plan.save()
        if goal_competences:
            _check_competences(actor=actor, plan=plan, competences=goal_competences)
        for position, competence in enumerate(goal_competences):
            # A proposal to work on: the person writes the why, how and date when they open it.
            goal = Goal.objects.create(
                board_id=plan.board_id,
                plan=plan,
                title=_("Grow in: %(competence)s") % {"competence": competence.name},
                position=position,
            )
            goal.competences.set([competence])
    return plan


def plan_current_or_create(*, actor: Actor, title: str) -> tuple[DevelopmentPlan, bool]:
    """The plan a goal from elsewhere (a conversation, a feedback report) goes into: the actor's plan that runs
    today, or a new one titled `title` for the rest of the school year. Returns the plan and whether it is new."""
    current = current_plan_for(actor=actor)
    if current is not None:
        return current, False
    today = timezone.localdate()
    return plan_create(
        actor=actor, title=title, starts_on=today, ends_on=school_year_bounds(school_year_of(today))[1]
    ), True


def plan_update(
    *, actor: Actor, plan: DevelopmentPlan, title: str, starts_on: datetime.date, ends_on: datetime.date | None
) -> DevelopmentPlan:
    """Change the title and period of one of the actor's own plans."""
    authorize(actor, "dossier.change_item", plan)
    _check_period(starts_on=starts_on, ends_on=ends_on)
    with transaction.atomic():
        locked = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
        locked.title, locked.starts_on, locked.ends_on = title.strip(), starts_on, ends_on
        locked.full_clean()
        locked.save(update_fields=["title", "starts_on", "ends_on"])
    return locked


def goal_create(
    *,
    actor: Actor,
    plan: DevelopmentPlan,
    title: str,
    why: str = "",
    success_criteria: str = "",
    due_date: datetime.date | None = None,
    competences: Sequence[Competence] = (),
) -> Goal:
    """A goal in phase "plan" on one of the actor's own plans; its target date may not lie in the past."""
    authorize(actor, "dossier.change_item", plan)
    _check_not_past(field="due_date", day=due_date)
    _check_competences(actor=actor, plan=plan, competences=competences)
    with transaction.atomic():
        # Lock the plan: two goals added at once still get distinct positions.
        DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
        last = Goal.objects.filter(plan=plan).aggregate(last=Max("position"))["last"]
        goal = Goal(
            board_id=plan.board_id,
            plan=plan,
            title=title.strip(),
            why=why.strip(),
            success_criteria=success_criteria.strip(),
            due_date=due_date,
            phase=Phase.PLAN,
            position=0 if last is None else last + 1,
        )
        goal.full_clean()
        goal.save()
        goal.competences.set(competences)
    return goal


def goal_update(
    *,
    actor: Actor,
    goal: Goal,
    title: str,
    why: str,
    success_criteria: str,
    due_date: datetime.date | None,
    competences: Sequence[Competence],
) -> Goal:
    """Change what a goal is about. A new target date may not lie in the past; keeping the date a goal
    already had is fine, even when it has passed since (the goal is then shown as overdue)."""
    authorize(actor, "dossier.change_item", goal.plan)
    _check_competences(actor=actor, plan=goal.plan, competences=competences, goal=goal)
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        if due_date != locked.due_date:
            _check_not_past(field="due_date", day=due_date)
        locked.title, locked.why, locked.success_criteria = title.strip(), why.strip(), success_criteria.strip()
        locked.due_date = due_date
        locked.full_clean()
        locked.save(update_fields=["title", "why", "success_criteria", "due_date"])
        locked.competences.set(competences)
    return locked


def phase_move_error(*, current: str, target: str) -> str | None:
    """Why a goal in `current` cannot move to `target`, or None when PHASE_TRANSITIONS allows it."""
    allowed = PHASE_TRANSITIONS.get(current, frozenset())
    if target in allowed:
        return None
    if not allowed:
        return _("This goal is done: it cannot move to another phase.")
    return _("A goal in phase %(phase)s cannot move to %(target)s; from here it can move to: %(allowed)s.") % {
        "phase": Phase(current).label,
        "target": Phase(target).label if target in Phase.values else target,
        "allowed": ", ".join(str(Phase(step).label) for step in PHASE_ORDER if step in allowed),
    }


def goal_move(
    *,
    actor: Actor,
    goal: Goal,
    to_phase: str,
    reflection: str,
    changed_on: datetime.date | None = None,
) -> GoalPhaseChange:
    """Move a goal to the next PDCA phase with a reflection, dated now or on a given day that is not in
    the future nor before the goal's previous step; anything PHASE_TRANSITIONS does not allow is refused."""
    authorize(actor, "dossier.change_item", goal.plan)
    reflection = reflection.strip()
    if not reflection:
        raise ValidationError({"reflection": _("Write a short reflection on this step.")})
    today = timezone.localdate()
    if changed_on is not None and changed_on > today:
        raise ValidationError({"changed_on": _("The date of a step cannot be in the future.")})
    with transaction.atomic():
        # The lock makes the check and the move one step: two tabs moving the same goal cannot
        # both pass the check against a phase that one of them has already left.
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        error = phase_move_error(current=locked.phase, target=to_phase)
        if error is not None:
            raise ValidationError({"to_phase": error})
        now = timezone.now()
        if changed_on is None or changed_on == today:
            changed_at = now
        else:
            changed_at = timezone.make_aware(datetime.datetime.combine(changed_on, BACKDATED_TIME))
        previous = locked.phase_changes.order_by("-changed_at", "-id").values_list("changed_at", flat=True).first()
        if previous is not None and timezone.localdate(changed_at) < timezone.localdate(previous):
            raise ValidationError(
                {
                    "changed_on": _("The date cannot be before the goal's previous step (%(date)s).")
                    % {"date": _date_text(timezone.localdate(previous))}
                }
            )
        change = GoalPhaseChange(
            board_id=locked.board_id,
            goal=locked,
            from_phase=locked.phase,
            to_phase=to_phase,
            reflection=reflection,
            changed_at=changed_at,
            changed_by=actor.person,
        )
        change.full_clean()
        change.save()
        locked.phase = to_phase
        locked.phase_changed_at = changed_at
        locked.save(update_fields=["phase", "phase_changed_at"])
    goal.phase, goal.phase_changed_at = locked.phase, locked.phase_changed_at
    return change


def action_create(*, actor: Actor, goal: Goal, description: str, due_date: datetime.date | None = None) -> Action:
    """A step towards one of the actor's own goals; like a goal's target date, its date may not be past."""
    authorize(actor, "dossier.change_item", goal.plan)
    _check_not_past(field="due_date", day=due_date)
    with transaction.atomic():
        action = Action(board_id=goal.board_id, goal=goal, description=description.strip(), due_date=due_date)
        action.full_clean()
        action.save()
    return action


def action_toggle(*, actor: Actor, action: Action) -> Action:
    """Mark an action of the actor's own as done (now), or as not done again."""
    authorize(actor, "dossier.change_item", action.goal.plan)
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        locked.done_at = None if locked.done_at else timezone.now()
        locked.save(update_fields=["done_at"])
    return locked


def action_delete(*, actor: Actor, action: Action) -> None:
    """Remove an action of the actor's own."""
    authorize(actor, "dossier.change_item", action.goal.plan)
    with transaction.atomic():
        Action.objects.filter(pk=action.pk, board_id=action.board_id).delete()


def goal_comment_create(*, actor: Actor, goal: Goal, body: str) -> GoalComment:
    """The leidinggevende's remark on a goal of a plan shared with them (rule dossier.comment_goal)."""
    authorize(actor, "dossier.comment_goal", goal)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write your comment first.")})
    with transaction.atomic():
        comment = GoalComment(
            board_id=goal.board_id, goal=goal, author=actor.person, author_name=actor.person.full_name, body=body
        )
        comment.full_clean()
        comment.save()
    return comment
