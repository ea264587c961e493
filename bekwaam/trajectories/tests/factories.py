"""Builders for trajectory tests: a published template and trajectories in any state, made directly.

Builders write rows without going through the services (fast, any state); tests of a service go
through the service itself.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils import timezone, translation

from bekwaam.register.models import Theme
from bekwaam.tenancy.models import Employment, Role
from bekwaam.tenancy.tests.factories import PersonFactory, ProviderRoleGrantFactory, with_totp
from bekwaam.trajectories.models import (
    Assignment,
    Judgement,
    PortfolioItem,
    PortfolioItemKind,
    StepKind,
    TemplateAssignment,
    TemplateKind,
    TemplateStep,
    Trajectory,
    TrajectoryState,
    TrajectoryTemplate,
)

# States in which the candidate has submitted the portfolio at least once (requested_at is set).
SUBMITTED_STATES = (
    TrajectoryState.ASSESSMENT_REQUESTED,
    TrajectoryState.UNDER_REVIEW,
    TrajectoryState.ADDITIONS_REQUESTED,
    TrajectoryState.INTERVIEW_PLANNED,
    TrajectoryState.DECIDING,
    TrajectoryState.CERTIFIED,
    TrajectoryState.ADVISED,
)
FROZEN_STATES = (
    TrajectoryState.INTERVIEW_PLANNED,
    TrajectoryState.DECIDING,
    TrajectoryState.CERTIFIED,
    TrajectoryState.ADVISED,
)


def themes(count: int = 2) -> list[Theme]:
    """The first `count` shipped themes valid now, by name."""
    year = timezone.localdate().year
    found = list(Theme.objects.filter(first_year__lte=year, last_year__isnull=True).order_by("name")[:count])
    assert len(found) == count, "the shipped themes are loaded by register's data migration"
    return found


def template_build(
    *,
    provider: Any,
    name: str = "Achteraf waarderen",
    kind: str = TemplateKind.RETRO_ASSESSMENT,
    assignments: int = 2,
    min_evidence: int = 1,
    min_reflections: int = 1,
    published: bool = True,
    coaching_offered: bool = True,
) -> TrajectoryTemplate:
    """A template with the usual steps and `assignments` assignments for every theme."""
    template = TrajectoryTemplate.objects.create(
        provider=provider,
        name=name,
        kind=kind,
        description="Uw informele leren in beeld, beoordeeld door twee assessoren.",
        coaching_offered=coaching_offered,
        price=1250,
        coaching_price=300,
        published_at=timezone.now() if published else None,
    )
    steps = (StepKind.COLLECTING, StepKind.PORTFOLIO_CHECK, StepKind.INTERVIEW, StepKind.DECISION, StepKind.CERTIFICATE)
    for position, step in enumerate(steps, start=1):
        with translation.override("en"):  # stored text: the same whatever language the test runs in
            title = str(step.label)
        TemplateStep.objects.create(template=template, position=position, kind=step, title=title)
    for position in range(1, assignments + 1):
        TemplateAssignment.objects.create(
            template=template,
            position=position,
            title=f"Opdracht {position}",
            instructions="Beschrijf een situatie uit uw praktijk en wat u ervan leerde.",
            min_evidence=min_evidence,
            min_reflections=min_reflections,
        )
    return template


def trajectory_build(
    *,
    candidate: Any,
    template: TrajectoryTemplate,
    state: str = TrajectoryState.COLLECTING,
    coach: Any | None = None,
    theme_list: list[Theme] | None = None,
    complete: bool | None = None,
) -> Trajectory:
    """A trajectory in `state`, its assignments copied; `complete` fills every assignment's minimum.

    `complete` defaults to True for states past the request for assessment. Frozen states get a snapshot.
    """
    employment = Employment.objects.filter(person=candidate).order_by("start_date").first()
    assert employment is not None, "the candidate needs an employment (their board)"
    submitted = state in SUBMITTED_STATES
    now = timezone.now()
    trajectory = Trajectory.objects.create(
        provider=template.provider,
        template=template,
        candidate=candidate,
        candidate_board_id=employment.board_id,
        with_coaching=coach is not None,
        coach=coach,
        state=state,
        requested_at=now if submitted else None,
        interview_at=now + datetime.timedelta(days=7) if state in FROZEN_STATES else None,
        interview_location="Utrecht" if state in FROZEN_STATES else "",
    )
    trajectory.themes.set(theme_list or themes(2))
    for source in template.assignments.order_by("position"):
        Assignment.objects.create(
            trajectory=trajectory,
            position=source.position,
            theme=source.theme,
            title=source.title,
            instructions=source.instructions,
            min_evidence=source.min_evidence,
            min_reflections=source.min_reflections,
        )
    if complete if complete is not None else submitted:
        for assignment in trajectory.assignments.all():
            for n in range(assignment.min_evidence):
                item_build(trajectory=trajectory, assignment=assignment, title=f"Bewijs {assignment.position}.{n}")
            for n in range(assignment.min_reflections):
                item_build(
                    trajectory=trajectory,
                    assignment=assignment,
                    kind=PortfolioItemKind.REFLECTION,
                    title=f"Reflectie {assignment.position}.{n}",
                )
    if state in FROZEN_STATES:
        snapshot = {"trajectory": str(trajectory.pk), "items": sorted(str(i.pk) for i in trajectory.items.all())}
        trajectory.snapshot = snapshot
        trajectory.snapshot_hash = hashlib.sha256(repr(snapshot).encode()).hexdigest()
        trajectory.frozen_at = now
        trajectory.save(update_fields=["snapshot", "snapshot_hash", "frozen_at"])
    return trajectory


def item_build(
    *,
    trajectory: Trajectory,
    assignment: Assignment,
    kind: str = PortfolioItemKind.EVIDENCE,
    title: str = "Bewijsstuk",
    body: str = "Verslag van de studiedag die ik organiseerde.",
) -> PortfolioItem:
    item = PortfolioItem.objects.create(trajectory=trajectory, assignment=assignment, kind=kind, title=title, body=body)
    item.themes.set(trajectory.themes.all())
    return item


def judgement_build(
    *, trajectory: Trajectory, assessor: Any, level: int = 5, theme_list: list[Theme] | None = None, **extra: Any
) -> Judgement:
    judgement = Judgement.objects.create(
        trajectory=trajectory,
        assessor=assessor,
        learning_level=level,
        criteria={c["code"]: "Onderbouwing" for c in trajectory.template.criteria},
        **extra,
    )
    judgement.themes.set(theme_list if theme_list is not None else trajectory.themes.all())
    return judgement


def assessor_build(*, provider: Any, email: str, role: str = Role.ASSESSOR) -> Any:
    """Another member of the aanbieder's staff (with a second factor, as their role requires)."""
    person = with_totp(PersonFactory(email=email))
    ProviderRoleGrantFactory(person=person, provider=provider, role=role)
    return person
