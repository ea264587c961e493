"""Reads for the dossier export and import: the whole own dossier at once, and a board's framework versions.

Each read is a fixed number of queries whatever the dossier's size (prefetches, no per-row queries).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Count, Prefetch, Q

from bekwaam.dossier.models import (
    DevelopmentPlan,
    Evidence,
    Goal,
    GoalComment,
    GoalPhaseChange,
    Rating,
    Reflection,
    SelfAssessment,
)
from bekwaam.frameworks.models import Competence, Domain, Framework, FrameworkVersion, Indicator
from bekwaam.tenancy.context import Actor

if TYPE_CHECKING:
    from bekwaam.accounts.models import Person


@dataclass(frozen=True)
class DossierContents:
    """Everything of one person's dossier at one board, with what the export needs prefetched."""

    person: Person
    measurements: list[SelfAssessment]
    plans: list[DevelopmentPlan]
    evidence: list[Evidence]
    reflections: list[Reflection]
    frameworks: list[FrameworkVersion]


def framework_versions_with_content(*, board_id: int, version_ids: Iterable[UUID]) -> list[FrameworkVersion]:
    """Framework versions of a board with their scale, domains, competences and indicators."""
    return list(
        FrameworkVersion.objects.filter(board_id=board_id, pk__in=list(version_ids))
        .select_related("framework")
        .prefetch_related(
            "scale_levels",
            Prefetch(
                "domains",
                queryset=Domain.objects.order_by("position", "code").prefetch_related(
                    Prefetch(
                        "competences",
                        queryset=Competence.objects.order_by("position", "code").prefetch_related(
                            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "code"))
                        ),
                    )
                ),
            ),
        )
        .order_by("framework__slug", "number")
    )


def dossier_contents_for(*, actor: Actor) -> DossierContents:
    """The actor's own dossier at the active board, complete (shares excluded), in a fixed number of queries."""
    board_id = actor.board_pk
    person = actor.person
    own = Q(board_id=board_id, person=person)
    measurements = list(
        SelfAssessment.objects.filter(own)
        .order_by("started_at", "id")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("indicator__competence", "level")
                .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id")))
                .order_by(
                    "indicator__competence__domain__position",
                    "indicator__competence__position",
                    "indicator__position",
                    "indicator__code",
                ),
            )
        )
    )
    plans = list(
        DevelopmentPlan.objects.filter(own)
        .order_by("starts_on", "created_at", "id")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("position", "created_at", "id").prefetch_related(
                    Prefetch("competences", queryset=Competence.objects.select_related("version__framework")),
                    "actions",
                    Prefetch("phase_changes", queryset=GoalPhaseChange.objects.select_related("changed_by")),
                    Prefetch("comments", queryset=GoalComment.objects.select_related("author")),
                ),
            )
        )
    )
    evidence = list(
        Evidence.objects.filter(own)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.select_related("version__framework")),
            Prefetch("goals", queryset=Goal.objects.only("id")),
            "themes",
        )
    )
    reflections = list(
        Reflection.objects.filter(own)
        .order_by("written_on", "created_at", "id")
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.select_related("version__framework")),
            Prefetch("goals", queryset=Goal.objects.only("id")),
            "themes",
            Prefetch("evidence", queryset=Evidence.objects.only("id")),
        )
    )
    version_ids: set[UUID] = {m.framework_version_id for m in measurements}
    for plan in plans:
        for goal in plan.goals.all():
            version_ids.update(c.version_id for c in goal.competences.all())
    for item in evidence:
        version_ids.update(c.version_id for c in item.competences.all())
    for reflection in reflections:
        version_ids.update(c.version_id for c in reflection.competences.all())
    return DossierContents(
        person=person,
        measurements=measurements,
        plans=plans,
        evidence=evidence,
        reflections=reflections,
        frameworks=framework_versions_with_content(board_id=board_id, version_ids=version_ids),
    )


def dossier_counts_for(*, actor: Actor) -> dict[str, int]:
    """How many measurements, plans, evidence items (and files) and reflections the actor's export holds."""
    own = Q(board_id=actor.board_pk, person=actor.person)
    evidence = Evidence.objects.filter(own).aggregate(items=Count("id"), files=Count("id", filter=~Q(file="")))
    return {
        "measurements": SelfAssessment.objects.filter(own).count(),
        "plans": DevelopmentPlan.objects.filter(own).count(),
        "evidence": evidence["items"],
        "files": evidence["files"],
        "reflections": Reflection.objects.filter(own).count(),
    }


def frameworks_for_import(*, board_id: int, slugs: Iterable[str]) -> list[Framework]:
    """The board's frameworks with these slugs, each with its versions (numbers and status) prefetched."""
    return list(
        Framework.objects.filter(board_id=board_id, slug__in=list(slugs)).prefetch_related(
            Prefetch("versions", queryset=FrameworkVersion.objects.order_by("-number"))
        )
    )
