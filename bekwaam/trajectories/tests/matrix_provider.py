"""Authorization matrix cases for the aanbieder's pages of trajectories (merged by matrix_cases.py).

The world's aanbieder has an assessor and a coach. Template pages are the assessor's only (the coach and
everyone else: 403). The worklist is for the assessor and the coach. A trajectory's staff page and steps:
its trajectories are the manager's (the candidate, who gets 403 here: their own page is elsewhere);
the assessor reaches every trajectory of the aanbieder, the coach only the ones they coach (another is not
found); a step that is not theirs answers 403 (the coach accepting, the assessor recording a coaching
session). Another aanbieder's template and trajectory are not found by the assessor or the coach. POST cases
carry `state` snapshots: a denied request changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.tenancy.tests.matrix import DENIED, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect
from bekwaam.trajectories.models import (
    CoachingSession,
    Comment,
    PortfolioReview,
    StepKind,
    TemplateAssignment,
    TemplateKind,
    TemplateStep,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.tests.factories import template_build, trajectory_build

S = TrajectoryState

TEMPLATE_PAGE = expect(ok=("assessor",))
ELSEWHERE_TEMPLATE = expect(not_found=("assessor",))
WORK_PAGE = expect(ok=("assessor", "coach"))
COACHED = expect(ok=("assessor", "coach"))
NOT_COACHED = expect(ok=("assessor",), not_found=("coach",))
ASSESSOR_STEP = expect(ok=("assessor",)) | {"coach": DENIED}
COACH_STEP = expect(ok=("coach",)) | {"assessor": DENIED}
ELSEWHERE = expect(not_found=("assessor", "coach"))
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)


# --- the objects the URLs point at (made once per world, found again by name) ----------------------------


def draft_template(world: World) -> TrajectoryTemplate:
    found = TrajectoryTemplate.objects.filter(name="Matrix concept").first()
    return found or template_build(provider=world.provider, name="Matrix concept", published=False)


def published_template(world: World) -> TrajectoryTemplate:
    found = TrajectoryTemplate.objects.filter(name="Matrix gepubliceerd").first()
    return found or template_build(provider=world.provider, name="Matrix gepubliceerd", assignments=3)


def elsewhere_template(world: World) -> TrajectoryTemplate:
    found = TrajectoryTemplate.objects.filter(name="Matrix elders").first()
    return found or template_build(provider=ProviderFactory(name="Andere Academie"), name="Matrix elders")


def template_id(get: Callable[[World], TrajectoryTemplate]) -> Callable[[World], Any]:
    return lambda world: get(world).pk


def second_step(world: World) -> Any:
    return TemplateStep.objects.filter(template=draft_template(world)).order_by("position")[1].pk


def second_assignment(world: World) -> Any:
    return TemplateAssignment.objects.filter(template=draft_template(world)).order_by("position")[1].pk


def elsewhere_step(world: World) -> Any:
    return TemplateStep.objects.filter(template=elsewhere_template(world)).order_by("position")[1].pk


def elsewhere_assignment(world: World) -> Any:
    return TemplateAssignment.objects.filter(template=elsewhere_template(world)).order_by("position")[1].pk


def trajectory_in(state: str, *, coached: bool = True, elsewhere: bool = False) -> Callable[[World], Any]:
    """The id of the manager's trajectory in `state` (coached by the world's coach, or not; or at another
    aanbieder), made once per world under a template named for it."""

    def get(world: World) -> Any:
        name = f"Matrix {state} {'coached' if coached else 'alone'}{' elders' if elsewhere else ''}"
        found = Trajectory.objects.filter(template__name=name).first()
        if found is None:
            provider = elsewhere_template(world).provider if elsewhere else world.provider
            template = template_build(provider=provider, name=name)
            found = trajectory_build(
                candidate=world.manager, template=template, state=state, coach=world.coach if coached else None
            )
            if state == S.ENROLLED and coached:
                # Enrolled with coaching asked for: the coach is chosen when the assessor accepts.
                found.coach = None
                found.with_coaching = True
                found.save(update_fields=["coach", "with_coaching"])
        return found.pk

    return get


ENROLLED = trajectory_in(S.ENROLLED)
REQUESTED = trajectory_in(S.ASSESSMENT_REQUESTED)
REVIEWING = trajectory_in(S.UNDER_REVIEW)
REVIEWING_ALONE = trajectory_in(S.UNDER_REVIEW, coached=False)
COLLECTING = trajectory_in(S.COLLECTING)
PLANNED = trajectory_in(S.INTERVIEW_PLANNED)
ELSEWHERE_TRAJECTORY = trajectory_in(S.UNDER_REVIEW, elsewhere=True)


def work(name: str, trajectory: Callable[[World], Any]) -> Callable[[World], str]:
    return at(f"trajectories:{name}", trajectory_id=trajectory)


def enrolled_coach_id(world: World) -> Any:
    # The enrolled trajectory is coached "later": building it also keeps the world's coach off it.
    ENROLLED(world)
    return world.coach.pk


# --- state snapshots --------------------------------------------------------------------------------------


def templates_state(world: World) -> object:
    return (
        sorted(
            (t.name, t.published_at is not None, t.archived_at is not None, t.description, str(t.price))
            for t in TrajectoryTemplate.objects.all()
        ),
        sorted(TemplateStep.objects.values_list("template__name", "position", "kind", "title")),
        sorted(
            TemplateAssignment.objects.values_list("template__name", "position", "title", "theme_id", "min_evidence")
        ),
    )


def trajectories_state(world: World) -> object:
    return (
        sorted(
            (str(t.pk), t.state, str(t.coach_id), t.additions_requested, t.interview_location, t.snapshot_hash)
            for t in Trajectory.objects.all()
        ),
        PortfolioReview.objects.count(),
        CoachingSession.objects.count(),
        Comment.objects.count(),
        TrajectoryEvent.objects.count(),
    )


def template_data(world: World) -> dict[str, Any]:
    return {
        "name": "Matrix hernoemd",
        "kind": TemplateKind.RETRO_ASSESSMENT,
        "price": "100",
        "criteria": "Een criterium",
    }


def create_data(world: World) -> dict[str, Any]:
    return {**template_data(world), "name": "Matrix nieuw", "start": "example"}


def assignment_data(world: World) -> dict[str, Any]:
    return {"title": "Matrix opdracht", "min_evidence": "2", "min_reflections": "1"}


def interview_data(world: World) -> dict[str, Any]:
    day = timezone.localdate() + datetime.timedelta(days=14)
    return {"date": day.isoformat(), "time": "10:00", "location": "Matrixzaal"}


def post(url: Callable[[World], str], outcome: dict[str, str], state: Any, **kwargs: Any) -> Case:
    """A POST case whose `ok` personas must change the state."""
    changes = tuple(persona for persona, result in outcome.items() if result == "ok" and persona != "anonymous")
    return Case(url, outcome, method="post", state=state, changes=changes, **kwargs)


def template_url(name: str, get: Callable[[World], TrajectoryTemplate], **extra: Any) -> Callable[[World], str]:
    return at(f"trajectories:{name}", template_id=template_id(get), **extra)


MATRIX: dict[str, list[Case]] = {
    # --- templates ---
    "trajectories:template-list": [Case(at("trajectories:template-list"), TEMPLATE_PAGE)],
    "trajectories:template-create": [
        Case(at("trajectories:template-create"), TEMPLATE_PAGE),
        post(at("trajectories:template-create"), TEMPLATE_PAGE, templates_state, data=create_data),
    ],
    "trajectories:template-edit": [
        Case(template_url("template-edit", draft_template), TEMPLATE_PAGE),
        post(template_url("template-edit", draft_template), TEMPLATE_PAGE, templates_state, data=template_data),
        Case(template_url("template-edit", elsewhere_template), ELSEWHERE_TEMPLATE, label="another aanbieder"),
        post(
            template_url("template-edit", elsewhere_template),
            ELSEWHERE_TEMPLATE,
            templates_state,
            data=template_data,
            label="another aanbieder",
        ),
    ],
    "trajectories:template-step-add": [
        Case(template_url("template-step-add", draft_template), NOT_GET),
        post(
            template_url("template-step-add", draft_template),
            TEMPLATE_PAGE,
            templates_state,
            data=lambda w: {"kind": StepKind.COACHING, "title": "Matrix stap"},
        ),
        post(
            template_url("template-step-add", elsewhere_template),
            ELSEWHERE_TEMPLATE,
            templates_state,
            data=lambda w: {"kind": StepKind.COACHING},
            label="another aanbieder",
        ),
    ],
    "trajectories:template-step-delete": [
        Case(template_url("template-step-delete", draft_template, step_id=second_step), NOT_GET),
        post(template_url("template-step-delete", draft_template, step_id=second_step), TEMPLATE_PAGE, templates_state),
        post(
            template_url("template-step-delete", elsewhere_template, step_id=elsewhere_step),
            ELSEWHERE_TEMPLATE,
            templates_state,
            label="another aanbieder",
        ),
        post(
            template_url("template-step-delete", draft_template, step_id=elsewhere_step),
            ELSEWHERE_TEMPLATE,
            templates_state,
            label="a step of another aanbieder's template under our template",
        ),
    ],
    "trajectories:template-step-move": [
        Case(template_url("template-step-move", draft_template, step_id=second_step), NOT_GET),
        post(
            template_url("template-step-move", draft_template, step_id=second_step),
            TEMPLATE_PAGE,
            templates_state,
            data=lambda w: {"direction": "up"},
        ),
        post(
            template_url("template-step-move", elsewhere_template, step_id=elsewhere_step),
            ELSEWHERE_TEMPLATE,
            templates_state,
            data=lambda w: {"direction": "up"},
            label="another aanbieder",
        ),
    ],
    "trajectories:template-assignment-add": [
        Case(template_url("template-assignment-add", draft_template), NOT_GET),
        post(
            template_url("template-assignment-add", draft_template),
            TEMPLATE_PAGE,
            templates_state,
            data=assignment_data,
        ),
        post(
            template_url("template-assignment-add", elsewhere_template),
            ELSEWHERE_TEMPLATE,
            templates_state,
            data=assignment_data,
            label="another aanbieder",
        ),
    ],
    "trajectories:template-assignment-edit": [
        Case(template_url("template-assignment-edit", draft_template, assignment_id=second_assignment), TEMPLATE_PAGE),
        post(
            template_url("template-assignment-edit", draft_template, assignment_id=second_assignment),
            TEMPLATE_PAGE,
            templates_state,
            data=assignment_data,
        ),
        Case(
            template_url("template-assignment-edit", elsewhere_template, assignment_id=elsewhere_assignment),
            ELSEWHERE_TEMPLATE,
            label="another aanbieder",
        ),
    ],
    "trajectories:template-assignment-delete": [
        Case(template_url("template-assignment-delete", draft_template, assignment_id=second_assignment), NOT_GET),
        post(
            template_url("template-assignment-delete", draft_template, assignment_id=second_assignment),
            TEMPLATE_PAGE,
            templates_state,
        ),
        post(
            template_url("template-assignment-delete", elsewhere_template, assignment_id=elsewhere_assignment),
            ELSEWHERE_TEMPLATE,
            templates_state,
            label="another aanbieder",
        ),
    ],
    "trajectories:template-assignment-move": [
        Case(template_url("template-assignment-move", draft_template, assignment_id=second_assignment), NOT_GET),
        post(
            template_url("template-assignment-move", draft_template, assignment_id=second_assignment),
            TEMPLATE_PAGE,
            templates_state,
            data=lambda w: {"direction": "up"},
        ),
    ],
    "trajectories:template-publish": [
        Case(template_url("template-publish", draft_template), NOT_GET),
        post(template_url("template-publish", draft_template), TEMPLATE_PAGE, templates_state),
        post(
            template_url("template-publish", elsewhere_template),
            ELSEWHERE_TEMPLATE,
            templates_state,
            label="another aanbieder",
        ),
    ],
    "trajectories:template-unpublish": [
        Case(template_url("template-unpublish", published_template), NOT_GET),
        post(template_url("template-unpublish", published_template), TEMPLATE_PAGE, templates_state),
        post(
            template_url("template-unpublish", elsewhere_template),
            ELSEWHERE_TEMPLATE,
            templates_state,
            label="another aanbieder",
        ),
    ],
    "trajectories:template-archive": [
        Case(template_url("template-archive", published_template), NOT_GET),
        post(template_url("template-archive", published_template), TEMPLATE_PAGE, templates_state),
    ],
    # --- the worklist and the staff trajectory page ---
    "trajectories:worklist": [Case(at("trajectories:worklist"), WORK_PAGE)],
    "trajectories:work": [
        Case(work("work", COLLECTING), COACHED, label="coached"),
        Case(work("work", REVIEWING_ALONE), NOT_COACHED, label="not coached"),
        Case(work("work", ELSEWHERE_TRAJECTORY), ELSEWHERE, label="another aanbieder"),
    ],
    # --- the steps ---
    "trajectories:accept": [
        Case(work("accept", ENROLLED), NOT_GET),
        post(
            work("accept", ENROLLED),
            ASSESSOR_STEP | {"coach": NOT_FOUND},  # not coached yet: the coach does not find it
            trajectories_state,
            data=lambda w: {"coach": enrolled_coach_id(w)},
        ),
    ],
    "trajectories:review-start": [
        Case(work("review-start", REQUESTED), NOT_GET),
        post(work("review-start", REQUESTED), ASSESSOR_STEP, trajectories_state),
        post(work("review-start", ELSEWHERE_TRAJECTORY), ELSEWHERE, trajectories_state, label="another aanbieder"),
    ],
    "trajectories:additions-request": [
        Case(work("additions-request", REVIEWING), NOT_GET),
        post(
            work("additions-request", REVIEWING),
            ASSESSOR_STEP,
            trajectories_state,
            data=lambda w: {"missing": "Een verslag"},
        ),
        post(
            work("additions-request", REVIEWING_ALONE),
            expect(ok=("assessor",), not_found=("coach",)),
            trajectories_state,
            data=lambda w: {"missing": "Een verslag"},
            label="not coached",
        ),
    ],
    "trajectories:interview-plan": [
        Case(work("interview-plan", REVIEWING), ASSESSOR_STEP),
        post(work("interview-plan", REVIEWING), ASSESSOR_STEP, trajectories_state, data=interview_data),
        Case(work("interview-plan", PLANNED), ASSESSOR_STEP, label="moving a planned interview"),
        post(
            work("interview-plan", PLANNED),
            ASSESSOR_STEP,
            trajectories_state,
            data=lambda w: {**interview_data(w), "move": "1"},
            label="moving a planned interview",
        ),
        post(
            work("interview-plan", ELSEWHERE_TRAJECTORY),
            ELSEWHERE,
            trajectories_state,
            data=interview_data,
            label="another aanbieder",
        ),
    ],
    "trajectories:coaching-create": [
        Case(work("coaching-create", COLLECTING), NOT_GET),
        post(
            work("coaching-create", COLLECTING),
            COACH_STEP,
            trajectories_state,
            data=lambda w: {"held_on": timezone.localdate().isoformat(), "summary": "Matrixgesprek"},
        ),
    ],
    "trajectories:comment-create": [
        Case(work("comment-create", COLLECTING), NOT_GET),
        post(
            work("comment-create", COLLECTING),
            expect(ok=("assessor", "coach")),
            trajectories_state,
            data=lambda w: {"body": "Matrixopmerking"},
        ),
        post(
            work("comment-create", REVIEWING_ALONE),
            NOT_COACHED,
            trajectories_state,
            data=lambda w: {"body": "Matrixopmerking"},
            label="not coached",
        ),
        post(
            work("comment-create", ELSEWHERE_TRAJECTORY),
            ELSEWHERE,
            trajectories_state,
            data=lambda w: {"body": "Matrixopmerking"},
            label="another aanbieder",
        ),
    ],
}
