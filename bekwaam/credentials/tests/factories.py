"""Builders for certificate tests: a certified trajectory with its Decision, issued through certificate_issue."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bekwaam.accounts.models import Person
from bekwaam.credentials.models import Certificate
from bekwaam.credentials.services import certificate_issue
from bekwaam.register.points import assessment_points
from bekwaam.trajectories.models import Decision, DecisionOutcome, Trajectory, TrajectoryState, TrajectoryTemplate
from bekwaam.trajectories.tests.factories import assessor_build, template_build, trajectory_build


def canonical_hash(snapshot: Any) -> str:
    """The SHA-256 the portfolio snapshot carries (trajectories.services.portfolio's canonical JSON)."""
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def second_assessor_of(provider: Any) -> Person:
    email = f"tweede-assessor-{provider.pk}@academie.nl"
    return Person.objects.filter(email=email).first() or assessor_build(provider=provider, email=email)


def certified_trajectory_build(*, provider: Any, candidate: Any) -> Trajectory:
    template = TrajectoryTemplate.objects.filter(provider=provider).first() or template_build(provider=provider)
    trajectory = trajectory_build(candidate=candidate, template=template, state=TrajectoryState.CERTIFIED)
    trajectory.snapshot = {**trajectory.snapshot, "title": "Portfolio van één schoolleider"}
    trajectory.snapshot_hash = canonical_hash(trajectory.snapshot)
    trajectory.save(update_fields=["snapshot", "snapshot_hash"])
    return trajectory


def decision_build(*, trajectory: Trajectory, first: Any, second: Any, level: int = 5) -> Decision:
    themes = list(trajectory.themes.all())
    decision = Decision.objects.create(
        trajectory=trajectory,
        outcome=DecisionOutcome.CERTIFIED,
        learning_level=level,
        points=assessment_points(theme_count=len(themes), learning_level=level),
        first_assessor=first,
        second_assessor=second,
    )
    decision.themes.set(themes)
    return decision


def certificate_build(*, provider: Any, candidate: Any, assessor: Any, level: int = 5) -> Certificate:
    """A certificate issued through the service for a fresh certified trajectory of `candidate`."""
    trajectory = certified_trajectory_build(provider=provider, candidate=candidate)
    decision = decision_build(trajectory=trajectory, first=assessor, second=second_assessor_of(provider), level=level)
    return certificate_issue(trajectory=trajectory, decision=decision)


def world_certificate(world: Any) -> Certificate:
    """The manager's certificate from world.provider (made once per test)."""
    found = Certificate.objects.filter(provider=world.provider, holder=world.manager).order_by("issued_at").first()
    return found or certificate_build(provider=world.provider, candidate=world.manager, assessor=world.assessor)
