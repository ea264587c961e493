"""Every read of competence frameworks and kijkwijzers a page needs, scoped to the actor's board (404 outside it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from bekwaam.frameworks import defaults, schema
from bekwaam.frameworks.models import (
    Competence,
    Domain,
    Framework,
    FrameworkKind,
    FrameworkVersion,
    Indicator,
    ScaleLevel,
    VersionStatus,
)
from bekwaam.tenancy.context import Actor


def framework_list_for(*, actor: Actor) -> QuerySet[Framework]:
    """The board's frameworks, each with its number of versions, latest published version and draft (one query)."""
    versions = FrameworkVersion.objects.filter(framework=OuterRef("pk"))
    latest = versions.filter(status=VersionStatus.PUBLISHED).order_by("-number")
    return (
        Framework.objects.filter(board_id=actor.board_pk)
        .annotate(
            version_count=Count("versions", distinct=True),
            latest_number=Subquery(latest.values("number")[:1]),
            latest_label=Subquery(latest.values("label")[:1]),
            draft_number=Subquery(versions.filter(status=VersionStatus.DRAFT).values("number")[:1]),
        )
        .order_by("name")
    )


def shipped_not_adopted_for(*, actor: Actor) -> list[defaults.ShippedFramework]:
    """The frameworks Bekwaam ships that the actor's board has not adopted (nor has its own by that code)."""
    have = Framework.objects.filter(board_id=actor.board_pk).values_list("slug", "shipped_as")
    taken = {code for pair in have for code in pair if code}
    return [f for f in defaults.shipped_frameworks() if f.slug not in taken]


def framework_get_for(*, actor: Actor, framework_id: UUID) -> Framework:
    """One framework of the actor's board; 404 for any other."""
    return get_object_or_404(Framework, pk=framework_id, board_id=actor.board_pk)


def version_list_for(*, actor: Actor, framework: Framework) -> QuerySet[FrameworkVersion]:
    """A framework's versions, newest first, with their size."""
    return (
        FrameworkVersion.objects.filter(framework=framework, board_id=actor.board_pk)
        .annotate(
            domain_count=Count("domains", distinct=True),
            competence_count=Count("competences", distinct=True),
        )
        .order_by("-number")
    )


def version_get_for(*, actor: Actor, version_id: UUID) -> FrameworkVersion:
    """One framework version of the actor's board (with its framework); 404 for any other."""
    return get_object_or_404(
        FrameworkVersion.objects.select_related("framework"), pk=version_id, board_id=actor.board_pk
    )


def scale_level_get_for(*, actor: Actor, version: FrameworkVersion, level_id: int) -> ScaleLevel:
    """A level of the version's scale; 404 for any other."""
    return get_object_or_404(ScaleLevel, pk=level_id, version=version, board_id=actor.board_pk)


def domain_get_for(*, actor: Actor, version: FrameworkVersion, domain_id: int) -> Domain:
    """A domain of the version; 404 for any other."""
    return get_object_or_404(Domain, pk=domain_id, version=version, board_id=actor.board_pk)


def competence_get_for(*, actor: Actor, version: FrameworkVersion, competence_id: int) -> Competence:
    """A competence of the version (with its domain); 404 for any other."""
    return get_object_or_404(
        Competence.objects.select_related("domain"), pk=competence_id, version=version, board_id=actor.board_pk
    )


def indicator_get_for(*, actor: Actor, version: FrameworkVersion, indicator_id: int) -> Indicator:
    """An indicator of the version (with its competence); 404 for any other."""
    return get_object_or_404(
        Indicator.objects.select_related("competence"),
        pk=indicator_id,
        competence__version=version,
        board_id=actor.board_pk,
    )


@dataclass
class VersionTree:
    """A version read whole: its scale, and its domains → competences → indicators in order.

    `domain.competences.all()` and `competence.indicators.all()` are prefetched (no further queries).
    """

    version: FrameworkVersion
    scale_levels: list[ScaleLevel]
    domains: list[Domain]
    competences: list[Competence] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.competences = [c for d in self.domains for c in d.competences.all()]
        self.indicators = [i for c in self.competences for i in c.indicators.all()]


def version_tree(*, version: FrameworkVersion) -> VersionTree:
    """The whole content of a version in four queries, however big it is."""
    indicators = Indicator.objects.filter(board_id=version.board_id).order_by("position", "code")
    competences = (
        Competence.objects.filter(board_id=version.board_id)
        .order_by("position", "code")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
    )
    domains = (
        Domain.objects.filter(version=version, board_id=version.board_id)
        .order_by("position", "code")
        .prefetch_related(Prefetch("competences", queryset=competences))
    )
    return VersionTree(
        version=version,
        scale_levels=list(ScaleLevel.objects.filter(version=version, board_id=version.board_id).order_by("value")),
        domains=list(domains),
    )


# --- export -----------------------------------------------------------------------------------------


def _version_data(tree: VersionTree, *, number: bool = True) -> schema.VersionData:
    version = tree.version
    return schema.VersionData(
        number=version.number if number else None,
        label=version.label,
        notes=version.notes,
        scale_name=version.scale_name,
        scale=[schema.ScaleLevelData(s.value, s.label, s.description) for s in tree.scale_levels],
        domains=[
            schema.DomainData(
                code=d.code,
                name=d.name,
                description=d.description,
                competences=[
                    schema.CompetenceData(
                        code=c.code,
                        name=c.name,
                        description=c.description,
                        indicators=[schema.IndicatorData(i.code, i.text) for i in c.indicators.all()],
                    )
                    for c in d.competences.all()
                ],
            )
            for d in tree.domains
        ],
    )


def _framework_file(framework: Framework, versions: list[FrameworkVersion]) -> dict[str, Any]:
    return schema.framework_to_dict(
        schema.FrameworkData(
            slug=framework.slug,
            name=framework.name,
            audience=framework.audience,
            kind=framework.kind,
            source=framework.source,
            versions=[_version_data(version_tree(version=v)) for v in versions],
        )
    )


def version_export_for(*, actor: Actor, version: FrameworkVersion) -> dict[str, Any]:
    """One version as a framework file with one version (docs/frameworks.md)."""
    if version.board_id != actor.board_pk:  # resolved through version_get_for; checked again for callers
        raise ValueError("version of another board")
    return _framework_file(version.framework, [version])


def framework_export_for(*, actor: Actor, framework: Framework) -> dict[str, Any]:
    """A framework with all its published versions, oldest first, as a framework file."""
    if framework.board_id != actor.board_pk:
        raise ValueError("framework of another board")
    published = list(
        FrameworkVersion.objects.filter(framework=framework, status=VersionStatus.PUBLISHED).order_by("number")
    )
    return _framework_file(framework, published)


def framework_has_published(*, framework: Framework) -> bool:
    """True when the framework has at least one published version (something to export or measure)."""
    return FrameworkVersion.objects.filter(framework=framework, status=VersionStatus.PUBLISHED).exists()


def observation_instruments(*, board_id: int) -> QuerySet[FrameworkVersion]:
    """The kijkwijzers a visit can be scored with: the latest published version of each observation framework."""
    latest = (
        FrameworkVersion.objects.filter(framework=OuterRef("framework"), status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return (
        FrameworkVersion.objects.filter(
            board_id=board_id,
            framework__kind=FrameworkKind.OBSERVATION,
            status=VersionStatus.PUBLISHED,
            pk=Subquery(latest),
        )
        .select_related("framework")
        .order_by("framework__name")
    )
