"""Builders for verbeterplannen in tests (self-evaluations, inspections and visits: tests/factories.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bekwaam.quality.models import (
    ActionCheck,
    ActionPhase,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    Standard,
)
from bekwaam.tenancy.context import Actor, actor_for


def actor_of(person: Any) -> Actor:
    """The person as an actor in their first organisation (the personas each have one)."""
    return actor_for(person, None)


def plan_build(
    *, board: Any, school: Any | None, title: str = "Verbeterplan", created_by: Any = None, **extra: Any
) -> ImprovementPlan:
    return ImprovementPlan.objects.create(board=board, school=school, title=title, created_by=created_by, **extra)


def goal_build(
    plan: ImprovementPlan, *, title: str = "Doel", standards: list[Standard] | None = None, position: int = 0
) -> ImprovementGoal:
    goal = ImprovementGoal.objects.create(board_id=plan.board_id, plan=plan, title=title, position=position)
    if standards:
        goal.standards.set(standards)
    return goal


def action_build(
    goal: ImprovementGoal,
    *,
    title: str = "Actie",
    owner: Any = None,
    phase: str = ActionPhase.PLAN,
    start_date: datetime.date | None = None,
    deadline: datetime.date | None = None,
) -> ImprovementAction:
    today = timezone.localdate()
    start = start_date or today - datetime.timedelta(days=30)
    return ImprovementAction.objects.create(
        board_id=goal.board_id,
        goal=goal,
        title=title,
        owner=owner,
        phase=phase,
        start_date=start,
        deadline=deadline or max(start, today + datetime.timedelta(days=60)),
    )


def check_build(action: ImprovementAction, *, text: str = "Gecontroleerd", days_ago: int = 0) -> ActionCheck:
    return ActionCheck.objects.create(
        board_id=action.board_id,
        action=action,
        phase=action.phase,
        checked_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        text=text,
    )


def plan_with_action(
    *, board: Any, school: Any | None, phase: str = ActionPhase.PLAN, owner: Any = None, **action: Any
) -> tuple[ImprovementPlan, ImprovementGoal, ImprovementAction]:
    """A plan with one goal and one action in `phase`."""
    plan = plan_build(board=board, school=school)
    goal = goal_build(plan)
    return plan, goal, action_build(goal, phase=phase, owner=owner, **action)
