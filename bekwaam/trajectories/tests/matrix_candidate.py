"""Authorization matrix cases for the candidate pages of trajectories (merged by matrix_cases.py).

The candidate is the manager persona (directeur at board A, so a school leader who may enrol). The
catalogue and the enrolment are for school leaders only: the teacher (not a school leader), the board's
roles and the aanbieder's staff are refused (403). A trajectory is found by its candidate and by the
aanbieder's assessor and (when coaching it) coach, who see it but get 403 on the candidate's steps; anyone
else (the candidate's board, board B, the operator) does not find it (404). A file of the portfolio goes
to the staff only once the portfolio was submitted. Denied POSTs change nothing: the `state` snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from bekwaam.dossier.models import Evidence, EvidenceKind, Goal
from bekwaam.tenancy.tests.matrix import DENIED, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect
from bekwaam.trajectories.models import (
    Decision,
    DecisionOutcome,
    PortfolioItem,
    Trajectory,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.tests.factories import (
    assessor_build,
    item_build,
    template_build,
    themes,
    trajectory_build,
)

CANDIDATE = ("manager",)
# A page or step of the candidate: the staff who see the trajectory are refused, the rest do not find it.
CANDIDATE_STEP = expect(ok=CANDIDATE, others=NOT_FOUND) | {"assessor": DENIED, "coach": DENIED}
# The certified trajectory is not coached: the coach does not find it.
UNCOACHED_STEP = expect(ok=CANDIDATE, others=NOT_FOUND) | {"assessor": DENIED}
SCHOOL_LEADERS_ONLY = expect(ok=CANDIDATE)  # everyone else signed in: 403
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def template_named(name: str, *, published: bool = True) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        found = TrajectoryTemplate.objects.filter(provider=world.provider, name=name).first()
        return (found or template_build(provider=world.provider, name=name, published=published)).pk

    return get


def trajectory_in(state: str, label: str = "", *, complete: bool | None = None) -> Callable[[World], Any]:
    """The manager's trajectory in `state` (coached by the coach persona), one per label, with a file."""

    def get(world: World) -> Any:
        name = f"Matrix {label or state}"
        found = Trajectory.objects.filter(template__name=name, state=state).first()
        if found is None:
            template = template_build(provider=world.provider, name=name)
            found = trajectory_build(
                candidate=world.manager, template=template, state=state, coach=world.coach, complete=complete
            )
            item = item_build(trajectory=found, assignment=found.assignments.first(), title="Matrix met bestand")
            item.file.save("matrix", ContentFile(PDF), save=False)
            item.file_name, item.file_sha256 = "verslag.pdf", "0" * 64
            item.save()
            if state == TrajectoryState.ADVISED:
                decision = Decision.objects.create(
                    trajectory=found,
                    outcome=DecisionOutcome.DEVELOPMENT_ADVICE,
                    learning_level=3,
                    first_assessor=world.assessor,
                    second_assessor=assessor_build(provider=world.provider, email="tweede@academie.nl"),
                    advice="Werk aan de visie.\nBetrek het team.",
                )
                decision.themes.set(found.themes.all())
        return found.pk

    return get


def certified(world: World) -> Any:
    from bekwaam.credentials.tests.factories import world_certificate

    return world_certificate(world).trajectory_id


def item_of(trajectory: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: PortfolioItem.objects.filter(trajectory_id=trajectory(world), title="Matrix met bestand")[0].pk


def assignment_of(trajectory: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: Trajectory.objects.get(pk=trajectory(world)).assignments.order_by("position")[0].pk


def trajectories_state(world: World) -> object:
    return sorted((str(t.template_id), t.state, t.requested_at is not None) for t in Trajectory.objects.all())


def items_state(world: World) -> object:
    return sorted((str(i.pk), i.title, i.body, i.link, i.file_name) for i in PortfolioItem.objects.all())


def goals_state(world: World) -> object:
    return (Goal.objects.count(), sorted(Trajectory.objects.values_list("advice_goals_created", flat=True)))


def evidence_state(world: World) -> object:
    return sorted(Evidence.objects.values_list("title", "kind"))


def dossier_evidence(world: World) -> Any:
    found = Evidence.objects.filter(person=world.manager, title="Matrix uit het dossier").first()
    if found is None:
        found = Evidence.objects.create(
            board=world.board_a,
            person=world.manager,
            kind=EvidenceKind.LINK,
            title="Matrix uit het dossier",
            url="https://example.org/studiedag",
        )
    return found.pk


def theme_ids(world: World) -> list[Any]:
    return [theme.pk for theme in themes(2)]


COLLECTING = trajectory_in(TrajectoryState.COLLECTING, "collecting", complete=True)
INCOMPLETE = trajectory_in(TrajectoryState.COLLECTING, "incomplete", complete=False)
SUBMITTED = trajectory_in(TrajectoryState.ASSESSMENT_REQUESTED, "submitted")
ADVISED = trajectory_in(TrajectoryState.ADVISED, "advised")


def item_data(world: World) -> dict[str, Any]:
    return {"kind": "evidence", "title": "Matrix nieuw", "body": "Verslag", "link": "", "themes": theme_ids(world)}


MATRIX: dict[str, list[Case]] = {
    "trajectories:mine": [Case(at("trajectories:mine"), SCHOOL_LEADERS_ONLY)],
    "trajectories:catalogue": [Case(at("trajectories:catalogue"), SCHOOL_LEADERS_ONLY)],
    "trajectories:offer": [
        Case(at("trajectories:offer", template_id=template_named("Matrix offer")), SCHOOL_LEADERS_ONLY),
        Case(
            at("trajectories:offer", template_id=template_named("Matrix draft", published=False)),
            expect(not_found=CANDIDATE),
            label="unpublished",
        ),
        Case(
            at("trajectories:offer", template_id=template_named("Matrix offer")),
            SCHOOL_LEADERS_ONLY,
            method="post",
            data=lambda w: {"themes": theme_ids(w)[:1], "with_coaching": "no"},
            state=trajectories_state,
            changes=CANDIDATE,
            label="enrol",
        ),
    ],
    "trajectories:detail": [
        Case(at("trajectories:detail", trajectory_id=COLLECTING), CANDIDATE_STEP),
        Case(at("trajectories:detail", trajectory_id=ADVISED), CANDIDATE_STEP, label="advised"),
    ],
    "trajectories:item-create": [
        Case(
            at("trajectories:item-create", trajectory_id=COLLECTING, assignment_id=assignment_of(COLLECTING)),
            CANDIDATE_STEP,
        ),
        Case(
            at("trajectories:item-create", trajectory_id=COLLECTING, assignment_id=assignment_of(COLLECTING)),
            CANDIDATE_STEP,
            method="post",
            data=item_data,
            state=items_state,
            changes=CANDIDATE,
        ),
        Case(
            at("trajectories:item-create", trajectory_id=SUBMITTED, assignment_id=assignment_of(SUBMITTED)),
            CANDIDATE_STEP,
            method="post",
            data=item_data,
            state=items_state,
            label="frozen: the candidate is sent back with a message",
        ),
    ],
    "trajectories:item-copy": [
        Case(
            at("trajectories:item-copy", trajectory_id=COLLECTING, assignment_id=assignment_of(COLLECTING)),
            CANDIDATE_STEP,
        ),
        Case(
            at("trajectories:item-copy", trajectory_id=COLLECTING, assignment_id=assignment_of(COLLECTING)),
            CANDIDATE_STEP,
            method="post",
            data=lambda w: {"source": f"evidence:{dossier_evidence(w)}", "themes": theme_ids(w)},
            state=items_state,
            changes=CANDIDATE,
        ),
    ],
    "trajectories:item-edit": [
        Case(at("trajectories:item-edit", trajectory_id=COLLECTING, item_id=item_of(COLLECTING)), CANDIDATE_STEP),
        Case(
            at("trajectories:item-edit", trajectory_id=COLLECTING, item_id=item_of(COLLECTING)),
            CANDIDATE_STEP,
            method="post",
            data=lambda w: {"title": "Matrix gewijzigd", "body": "Nieuw", "link": "", "themes": theme_ids(w)},
            state=items_state,
            changes=CANDIDATE,
        ),
    ],
    "trajectories:item-delete": [
        Case(at("trajectories:item-delete", trajectory_id=COLLECTING, item_id=item_of(COLLECTING)), NOT_GET),
        Case(
            at("trajectories:item-delete", trajectory_id=COLLECTING, item_id=item_of(COLLECTING)),
            CANDIDATE_STEP,
            method="post",
            state=items_state,
            changes=CANDIDATE,
        ),
    ],
    "trajectories:item-file": [
        Case(
            at("trajectories:item-file", trajectory_id=COLLECTING, item_id=item_of(COLLECTING)),
            CANDIDATE_STEP,
            label="not yet submitted: staff refused",
        ),
        Case(
            at("trajectories:item-file", trajectory_id=SUBMITTED, item_id=item_of(SUBMITTED)),
            expect(ok=("manager", "assessor", "coach"), others=NOT_FOUND),
            label="submitted: staff see it",
        ),
    ],
    "trajectories:request-assessment": [
        Case(at("trajectories:request-assessment", trajectory_id=COLLECTING), NOT_GET),
        Case(
            at("trajectories:request-assessment", trajectory_id=COLLECTING),
            CANDIDATE_STEP,
            method="post",
            state=trajectories_state,
            changes=CANDIDATE,
        ),
        Case(
            at("trajectories:request-assessment", trajectory_id=INCOMPLETE),
            CANDIDATE_STEP,
            method="post",
            state=trajectories_state,
            label="incomplete: refused with what is missing",
        ),
    ],
    "trajectories:withdraw": [
        Case(at("trajectories:withdraw", trajectory_id=COLLECTING), CANDIDATE_STEP),
        Case(
            at("trajectories:withdraw", trajectory_id=COLLECTING),
            CANDIDATE_STEP,
            method="post",
            data=lambda w: {"reason": "Geen tijd"},
            state=trajectories_state,
            changes=CANDIDATE,
        ),
    ],
    "trajectories:advice-goals": [
        Case(at("trajectories:advice-goals", trajectory_id=ADVISED), NOT_GET),
        Case(
            at("trajectories:advice-goals", trajectory_id=ADVISED),
            CANDIDATE_STEP,
            method="post",
            data=lambda w: {"lines": ["0", "1"]},
            state=goals_state,
            changes=CANDIDATE,
        ),
    ],
    "trajectories:share-result": [
        Case(at("trajectories:share-result", trajectory_id=certified), NOT_GET),
        Case(
            at("trajectories:share-result", trajectory_id=certified),
            UNCOACHED_STEP,
            method="post",
            state=evidence_state,
            changes=CANDIDATE,
        ),
    ],
}
