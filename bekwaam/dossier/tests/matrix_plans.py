"""Authorization matrix cases for the POP pages (merged by matrix_cases.py).

The teacher owns every plan here. Own pages (rule "dossier.view_own" + own_*_get_for): the teacher gets
them; other employees do not find them (404), also when the plan is shared with them; people without
a dossier of their own (board roles, provider staff, the operator) are refused the page (403). The plan
page and the comment form go by share only: a plan shared with the leidinggevende is read by them and
commented on by them; a plan shared with a named colleague is read by the colleague, who may not comment.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from bekwaam.dossier.models import Action, DevelopmentPlan, Goal, GoalComment, Section, Share, ShareAudience
from bekwaam.tenancy.tests.matrix import DENIED, EMPLOYEES, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect

OWN = expect(ok=("teacher",), not_found=tuple(p for p in EMPLOYEES if p != "teacher"))
ONLY_OWNER_SEES = expect(ok=("teacher",), others=NOT_FOUND)
FUTURE = "2099-06-30"


def _plan(world: World, title: str, audience: str | None = None) -> DevelopmentPlan:
    """A plan of the teacher with one goal and one action; shared with `audience` when given."""
    plan = DevelopmentPlan.objects.filter(person=world.teacher, title=title).first()
    if plan is not None:
        return plan
    plan = DevelopmentPlan.objects.create(
        board=world.board_a, person=world.teacher, title=title, starts_on=datetime.date(2025, 8, 1)
    )
    goal = Goal.objects.create(board=world.board_a, plan=plan, title=f"Doel van {title}")
    Action.objects.create(board=world.board_a, goal=goal, description=f"Actie van {title}")
    if audience == ShareAudience.MANAGER:
        Share.objects.create(
            board=world.board_a, owner=world.teacher, audience=audience, section=Section.PLANS, plan=plan
        )
    elif audience == ShareAudience.PERSON:
        Share.objects.create(
            board=world.board_a,
            owner=world.teacher,
            audience=audience,
            grantee=world.colleague,
            section=Section.PLANS,
            plan=plan,
        )
    return plan


def private_plan(world: World) -> Any:
    return _plan(world, "Eigen plan").pk


def manager_plan(world: World) -> Any:
    return _plan(world, "Gedeeld met leidinggevende", ShareAudience.MANAGER).pk


def colleague_plan(world: World) -> Any:
    return _plan(world, "Gedeeld met collega", ShareAudience.PERSON).pk


def goal_of(plan: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: Goal.objects.get(plan_id=plan(world)).pk


def action_of(plan: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: Action.objects.get(goal__plan_id=plan(world)).pk


def plans_state(world: World) -> object:
    return sorted((p.title, p.starts_on, p.ends_on) for p in DevelopmentPlan.objects.all())


def goals_state(world: World) -> object:
    return sorted((g.title, g.phase, g.due_date) for g in Goal.objects.all())


def actions_state(world: World) -> object:
    return sorted((a.description, a.done_at is None) for a in Action.objects.all())


def comments_state(world: World) -> object:
    return GoalComment.objects.count()


def own_cases(name: str, ids: dict[str, Callable[[World], Any]], *, get: bool = True) -> list[Case]:
    """GET (when the page has one) on the private and on both shared plans: only the owner."""
    if not get:
        return []
    return [
        Case(at(name, **{key: make(private_plan) for key, make in ids.items()}), OWN, label="private plan"),
        Case(at(name, **{key: make(manager_plan) for key, make in ids.items()}), OWN, label="shared with manager"),
        Case(at(name, **{key: make(colleague_plan) for key, make in ids.items()}), OWN, label="shared by name"),
    ]


def own_posts(
    name: str,
    ids: dict[str, Callable[[World], Any]],
    data: dict[str, str],
    state: Callable[[World], object],
) -> list[Case]:
    """POSTs on the private and the manager-shared plan: only the owner changes anything."""
    return [
        Case(
            at(name, **{key: make(plan) for key, make in ids.items()}),
            OWN,
            method="post",
            data=lambda w, data=data: dict(data),
            state=state,
            changes=("teacher",),
            label=label,
        )
        for plan, label in ((private_plan, "private plan"), (manager_plan, "shared with manager"))
    ]


PLAN_IDS: dict[str, Callable[[Callable[[World], Any]], Callable[[World], Any]]] = {"plan_id": lambda plan: plan}
GOAL_IDS = {"goal_id": goal_of}
ACTION_IDS = {"action_id": action_of}


def _post_only(name: str, ids: dict[str, Callable[[World], Any]]) -> Case:
    return Case(
        at(name, **{key: make(private_plan) for key, make in ids.items()}),
        expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED),
        label="GET",
    )


MATRIX: dict[str, list[Case]] = {
    "dossier:plan-list": [Case(at("dossier:plan-list"), expect(ok=EMPLOYEES))],
    "dossier:plan-create": [
        Case(at("dossier:plan-create"), expect(ok=EMPLOYEES)),
        Case(
            at("dossier:plan-create"),
            expect(ok=EMPLOYEES),
            method="post",
            data=lambda w: {"title": "Matrix-POP", "starts_on": "2025-08-01"},
            state=plans_state,
            changes=EMPLOYEES,
        ),
    ],
    "dossier:plan-detail": [
        Case(at("dossier:plan-detail", plan_id=private_plan), ONLY_OWNER_SEES, label="private plan"),
        Case(
            at("dossier:plan-detail", plan_id=manager_plan),
            expect(ok=("teacher", "manager"), others=NOT_FOUND),
            label="shared with manager",
        ),
        Case(
            at("dossier:plan-detail", plan_id=colleague_plan),
            expect(ok=("teacher", "colleague"), others=NOT_FOUND),
            label="shared by name",
        ),
    ],
    "dossier:plan-edit": [
        *own_cases("dossier:plan-edit", PLAN_IDS),
        *own_posts("dossier:plan-edit", PLAN_IDS, {"title": "Nieuwe titel", "starts_on": "2025-09-01"}, plans_state),
    ],
    "dossier:goal-create": [
        *own_cases("dossier:goal-create", PLAN_IDS),
        *own_posts("dossier:goal-create", PLAN_IDS, {"title": "Nieuw doel", "due_date": FUTURE}, goals_state),
    ],
    "dossier:goal-edit": [
        *own_cases("dossier:goal-edit", GOAL_IDS),
        *own_posts("dossier:goal-edit", GOAL_IDS, {"title": "Ander doel", "due_date": FUTURE}, goals_state),
    ],
    "dossier:goal-move": [
        _post_only("dossier:goal-move", GOAL_IDS),
        *own_posts("dossier:goal-move", GOAL_IDS, {"to_phase": "do", "reflection": "Begonnen."}, goals_state),
    ],
    "dossier:action-create": [
        _post_only("dossier:action-create", GOAL_IDS),
        *own_posts("dossier:action-create", GOAL_IDS, {"description": "Lezen", "due_date": FUTURE}, actions_state),
    ],
    "dossier:action-toggle": [
        _post_only("dossier:action-toggle", ACTION_IDS),
        *own_posts("dossier:action-toggle", ACTION_IDS, {}, actions_state),
    ],
    "dossier:action-delete": [
        _post_only("dossier:action-delete", ACTION_IDS),
        *own_posts("dossier:action-delete", ACTION_IDS, {}, actions_state),
    ],
    "dossier:goal-comment": [
        _post_only("dossier:goal-comment", GOAL_IDS),
        Case(
            at("dossier:goal-comment", goal_id=goal_of(manager_plan)),
            expect(ok=("manager",), others=NOT_FOUND) | {"teacher": DENIED},
            method="post",
            data=lambda w: {"body": "Mooi doel."},
            state=comments_state,
            changes=("manager",),
            label="plan shared with manager",
        ),
        Case(
            at("dossier:goal-comment", goal_id=goal_of(colleague_plan)),
            expect(others=NOT_FOUND) | {"teacher": DENIED, "colleague": DENIED},
            method="post",
            data=lambda w: {"body": "Mooi doel."},
            state=comments_state,
            label="plan shared with a colleague by name",
        ),
        Case(
            at("dossier:goal-comment", goal_id=goal_of(private_plan)),
            expect(others=NOT_FOUND) | {"teacher": DENIED},
            method="post",
            data=lambda w: {"body": "Mooi doel."},
            state=comments_state,
            label="private plan",
        ),
    ],
}
