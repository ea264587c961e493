"""Authorization matrix cases for verbeterplannen, the board overview and the exports (merged by matrix_cases.py).

Board A's school plan is of school_a: the kwaliteitsmedewerker and the schoolleider of school_a write it,
the bestuurder reads it (403 on every write), anyone else does not find it (404), the beheerder and
board B included. The board's own plan is the bestuur's and the kwaliteitsmedewerker's: the schoolleider
does not find it. The overview and the grid export are the bestuur's and the kwaliteitsmedewerker's
(403 for other signed-in people, who have no page rule there). Each POST case names a `state` that must
change for exactly the personas that may write.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.quality.models import (
    ActionCheck,
    ActionPhase,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    PlanState,
)
from bekwaam.quality.tests.factories import evaluation_build
from bekwaam.quality.tests.factories_plans import action_build, goal_build, plan_build
from bekwaam.tenancy.tests.matrix import DENIED, EVERYONE, INVALID, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect

READERS = ("board_member", "quality_officer", "manager")
BOARD_READERS = ("board_member", "quality_officer")
WRITERS = ("quality_officer", "manager")

# Pages with the page rule "quality.home" or "quality.view_board": 403 for signed-in people without it.
HOME = expect(ok=READERS)
BOARD_PAGE = expect(ok=BOARD_READERS)
# A school_a plan's pages: found by its readers, written by its writers.
SEE_SCHOOL_PLAN = expect(ok=READERS, others=NOT_FOUND)
WRITE_SCHOOL_PLAN = expect(ok=WRITERS, others=NOT_FOUND) | {"board_member": DENIED}
SEE_BOARD_PLAN = expect(ok=BOARD_READERS, others=NOT_FOUND)
POST_ONLY = dict.fromkeys(EVERYONE, NOT_ALLOWED)


def _plan(title: str, *, school: str | None = "school_a", state: str = PlanState.OPEN) -> Callable[[World], Any]:
    """A plan of board A with one goal and one action, made once per test and found again by its title."""

    def get(world: World) -> Any:
        plan = ImprovementPlan.objects.filter(title=title).first()
        if plan is None:
            plan = plan_build(
                board=world.board_a, school=world.persona(school) if school else None, title=title, state=state
            )
            goal = goal_build(plan, title=f"{title} doel")
            action_build(
                goal, title=f"{title} actie", phase=ActionPhase.DONE if state == PlanState.CLOSED else ActionPhase.PLAN
            )
        return plan

    return get


def _done_plan(world: World) -> Any:
    plan = ImprovementPlan.objects.filter(title="Matrix af").first()
    if plan is None:
        plan = plan_build(board=world.board_a, school=world.school_a, title="Matrix af")
        action_build(goal_build(plan), title="Matrix af actie", phase=ActionPhase.DONE)
    return plan


SCHOOL_PLAN = _plan("Matrix school")
BOARD_PLAN = _plan("Matrix bestuur", school=None)
CLOSED_PLAN = _plan("Matrix gesloten", state=PlanState.CLOSED)


def plan_id(plan: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: plan(world).pk


def goal_id(plan: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: ImprovementGoal.objects.filter(plan=plan(world)).first().pk


def action_id(plan: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: ImprovementAction.objects.filter(goal__plan=plan(world)).first().pk


def with_query(name: str, query: Callable[[World], str], **kwargs: Any) -> Callable[[World], str]:
    return lambda world: f"{at(name, **kwargs)(world)}?{query(world)}"


def _evaluation_query(world: World) -> str:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a, judgements={"OP2": "Onvoldoende"})
    return f"school={world.school_a.pk}&evaluation={evaluation.pk}"


def today() -> str:
    return timezone.localdate().isoformat()


def plans_state(world: World) -> object:
    return sorted((p.title, p.state, p.description) for p in ImprovementPlan.objects.all())


def goals_state(world: World) -> object:
    return sorted((g.plan.title, g.title, g.description) for g in ImprovementGoal.objects.select_related("plan"))


def actions_state(world: World) -> object:
    return sorted(
        (a.goal.title, a.title, a.phase, a.deadline) for a in ImprovementAction.objects.select_related("goal")
    )


def checks_state(world: World) -> object:
    return sorted(ActionCheck.objects.values_list("action__title", "text"))


def action_data(world: World) -> dict[str, Any]:
    return {
        "title": "Matrix nieuwe actie",
        "description": "",
        "owner": str(world.quality_officer.pk),
        "start_date": today(),
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }


def _url(name: str, **kwargs: Any) -> Callable[[World], str]:
    return at(f"quality:{name}", **kwargs)


MATRIX: dict[str, list[Case]] = {
    "quality:board-overview": [Case(_url("board-overview"), BOARD_PAGE)],
    "quality:board-grid-export": [
        Case(with_query("quality:board-grid-export", lambda world: "format=csv"), BOARD_PAGE),
        Case(with_query("quality:board-grid-export", lambda world: "format=xlsx"), BOARD_PAGE),
    ],
    "quality:actions-export": [
        Case(with_query("quality:actions-export", lambda world: "format=xlsx"), BOARD_PAGE, label="(the board's)"),
        Case(
            with_query("quality:actions-export", lambda world: f"format=csv&school={world.school_a.pk}"),
            HOME,
            label="(school_a)",
        ),
        Case(
            with_query("quality:actions-export", lambda world: f"format=csv&school={world.school_a2.pk}"),
            expect(ok=BOARD_READERS) | {"manager": NOT_FOUND},
            label="(school_a2)",
        ),
        Case(
            with_query("quality:actions-export", lambda world: f"format=csv&school={world.school_b.pk}"),
            expect(ok=(), not_found=READERS),
            label="(board B's school)",
        ),
    ],
    "quality:plan-list": [
        Case(_url("plan-list"), HOME),
        Case(with_query("quality:plan-list", lambda world: "school=board"), HOME, label="(the board's own)"),
    ],
    "quality:plan-create": [
        Case(_url("plan-create"), HOME),
        Case(
            with_query("quality:plan-create", lambda world: f"school={world.school_a.pk}"),
            expect(ok=WRITERS) | {"board_member": DENIED},
            label="(school_a)",
        ),
        Case(
            with_query("quality:plan-create", _evaluation_query),
            expect(ok=WRITERS) | {"board_member": DENIED},
            label="(from a self-evaluation)",
        ),
        Case(
            with_query("quality:plan-create", lambda world: f"school={world.school_b.pk}"),
            expect(ok=(), not_found=READERS),
            label="(board B's school)",
        ),
        Case(
            _url("plan-create"),
            expect(ok=WRITERS) | {"board_member": INVALID},  # the bestuurder is offered only the board itself
            method="post",
            data=lambda world: {"school": str(world.school_a.pk), "title": "Matrix nieuw plan"},
            state=plans_state,
            changes=WRITERS,
        ),
    ],
    "quality:plan-detail": [
        Case(_url("plan-detail", plan_id=plan_id(SCHOOL_PLAN)), SEE_SCHOOL_PLAN),
        Case(_url("plan-detail", plan_id=plan_id(BOARD_PLAN)), SEE_BOARD_PLAN, label="(the board's own)"),
    ],
    "quality:plan-edit": [
        Case(_url("plan-edit", plan_id=plan_id(SCHOOL_PLAN)), WRITE_SCHOOL_PLAN),
        Case(
            _url("plan-edit", plan_id=plan_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=lambda world: {"title": "Matrix school", "description": "Aangepast"},
            state=plans_state,
            changes=WRITERS,
        ),
        Case(
            _url("plan-edit", plan_id=plan_id(BOARD_PLAN)),
            SEE_BOARD_PLAN,
            method="post",
            data=lambda world: {"title": "Matrix bestuur", "description": "Aangepast"},
            state=plans_state,
            changes=BOARD_READERS,
            label="(the board's own)",
        ),
    ],
    "quality:plan-close": [
        Case(_url("plan-close", plan_id=lambda world: _done_plan(world).pk), POST_ONLY),
        Case(
            _url("plan-close", plan_id=lambda world: _done_plan(world).pk),
            WRITE_SCHOOL_PLAN,
            method="post",
            state=plans_state,
            changes=WRITERS,
        ),
    ],
    "quality:plan-reopen": [
        Case(
            _url("plan-reopen", plan_id=plan_id(CLOSED_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            state=plans_state,
            changes=WRITERS,
        ),
    ],
    "quality:goal-create": [
        Case(_url("goal-create", plan_id=plan_id(SCHOOL_PLAN)), WRITE_SCHOOL_PLAN),
        Case(
            _url("goal-create", plan_id=plan_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=lambda world: {"title": "Matrix nieuw doel", "description": ""},
            state=goals_state,
            changes=WRITERS,
        ),
    ],
    "quality:goal-edit": [
        Case(_url("goal-edit", goal_id=goal_id(SCHOOL_PLAN)), WRITE_SCHOOL_PLAN),
        Case(
            _url("goal-edit", goal_id=goal_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=lambda world: {"title": "Matrix doel aangepast", "description": ""},
            state=goals_state,
            changes=WRITERS,
        ),
        Case(_url("goal-edit", goal_id=goal_id(BOARD_PLAN)), SEE_BOARD_PLAN, label="(the board's own)"),
    ],
    "quality:goal-delete": [
        Case(_url("goal-delete", goal_id=goal_id(SCHOOL_PLAN)), POST_ONLY),
        Case(
            _url("goal-delete", goal_id=goal_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            state=goals_state,
            changes=WRITERS,
        ),
    ],
    "quality:action-create": [
        Case(_url("action-create", goal_id=goal_id(SCHOOL_PLAN)), WRITE_SCHOOL_PLAN),
        Case(
            _url("action-create", goal_id=goal_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=action_data,
            state=actions_state,
            changes=WRITERS,
        ),
    ],
    "quality:action-edit": [
        Case(_url("action-edit", action_id=action_id(SCHOOL_PLAN)), WRITE_SCHOOL_PLAN),
        Case(
            _url("action-edit", action_id=action_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=action_data,
            state=actions_state,
            changes=WRITERS,
        ),
        Case(
            _url("action-edit", action_id=action_id(SCHOOL_PLAN)),
            expect(ok=(), others=NOT_FOUND) | {"board_member": DENIED, "quality_officer": INVALID, "manager": INVALID},
            method="post",
            data=lambda world: {**action_data(world), "deadline": "2000-01-01"},
            state=actions_state,
            label="(deadline before the start)",
        ),
    ],
    "quality:action-delete": [
        Case(
            _url("action-delete", action_id=action_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            state=actions_state,
            changes=WRITERS,
        ),
    ],
    "quality:action-move": [
        Case(_url("action-move", action_id=action_id(SCHOOL_PLAN)), POST_ONLY),
        Case(
            _url("action-move", action_id=action_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=lambda world: {"move": "start", "checked_on": today(), "text": ""},
            state=actions_state,
            changes=WRITERS,
        ),
        Case(
            _url("action-move", action_id=action_id(BOARD_PLAN)),
            SEE_BOARD_PLAN,
            method="post",
            data=lambda world: {"move": "start", "checked_on": today(), "text": ""},
            state=actions_state,
            changes=BOARD_READERS,
            label="(the board's own)",
        ),
    ],
    "quality:action-check-add": [
        Case(
            _url("action-check-add", action_id=action_id(SCHOOL_PLAN)),
            WRITE_SCHOOL_PLAN,
            method="post",
            data=lambda world: {"checked_on": today(), "text": "Matrix controle"},
            state=checks_state,
            changes=WRITERS,
        ),
    ],
}
