"""Who sees a trajectory, and in which role: the one rule every trajectory page and service goes through.

- the candidate: their own trajectories, whichever organisation is active (they are theirs, not the board's);
- an assessor of the aanbieder: every trajectory enrolled with that aanbieder (the worklist);
- a coach of the aanbieder: the trajectories they coach;
- nobody else: not the candidate's board, leidinggevende or bestuur, not another aanbieder.

The portfolio (items, files, the snapshot) is seen by the aanbieder's staff only from the moment it was
submitted (`requested_at`): before that it is the candidate's alone (`may_see_portfolio`).

Trajectories are scoped to their aanbieder (django-scopes). A candidate works from their board, where the
provider scope is empty, so the reads here leave the scope and filter on the person or the actor's own
aanbieder explicitly; no trajectory is ever fetched by id alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Role
from bekwaam.trajectories.models import Trajectory

CANDIDATE, ASSESSOR, COACH = "candidate", "assessor", "coach"


def role_in(*, actor: Actor, trajectory: Trajectory) -> str | None:
    """The actor's role in the trajectory, or None when they may not see it."""
    if trajectory.candidate_id == actor.person.pk:
        return CANDIDATE
    if actor.provider_id is not None and actor.provider_id == trajectory.provider_id:
        if actor.has_role(Role.ASSESSOR):
            return ASSESSOR
        if actor.has_role(Role.COACH) and trajectory.coach_id == actor.person.pk:
            return COACH
    return None


def may_see_portfolio(*, actor: Actor, trajectory: Trajectory) -> bool:
    role = role_in(actor=actor, trajectory=trajectory)
    return role == CANDIDATE or (role is not None and trajectory.requested_at is not None)


def visible_filter(actor: Actor) -> Q:
    """The trajectories the actor may see, as a filter (for lists and for fetching one)."""
    visible = Q(candidate_id=actor.person.pk)
    if actor.provider_id is not None:
        if actor.has_role(Role.ASSESSOR):
            visible |= Q(provider_id=actor.provider_id)
        elif actor.has_role(Role.COACH):
            visible |= Q(provider_id=actor.provider_id, coach_id=actor.person.pk)
    return visible


def trajectories_visible_to(actor: Actor) -> QuerySet[Trajectory]:
    with scopes_disabled():
        return Trajectory.objects.filter(visible_filter(actor))


def trajectory_get_for(*, actor: Actor, trajectory_id: Any, related: tuple[str, ...] = ()) -> Trajectory:
    """One trajectory the actor may see (404 otherwise), with the template, provider and candidate."""
    with scopes_disabled():
        found = (
            Trajectory.objects.filter(visible_filter(actor), pk=trajectory_id)
            .select_related("template", "provider", "candidate", "coach", *related)
            .first()
        )
    if found is None:
        raise Http404
    return found


def candidate_trajectories(actor: Actor) -> QuerySet[Trajectory]:
    """The actor's own trajectories as a candidate, newest first."""
    with scopes_disabled():
        return (
            Trajectory.objects.filter(candidate_id=actor.person.pk)
            .select_related("template", "provider")
            .order_by("-enrolled_at")
        )


__all__ = [
    "ASSESSOR",
    "CANDIDATE",
    "COACH",
    "candidate_trajectories",
    "may_see_portfolio",
    "role_in",
    "trajectories_visible_to",
    "trajectory_get_for",
]
