"""Reads for measurements (nulmeting and later ones): the framework's shape, ratings, profile and comparison.

Every read is scoped to the actor's board. Which measurement an actor may open is decided by the
visibility core (dossier.selectors.item_get_for / own_item_get_for); the functions here take a
measurement the view has already resolved through it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from bekwaam.dossier.models import AssessmentStatus, Evidence, Rating, SelfAssessment
from bekwaam.dossier.selectors import framework_version_for, visible_items_of
from bekwaam.frameworks.models import (
    Competence,
    Domain,
    FrameworkKind,
    FrameworkVersion,
    Indicator,
    ScaleLevel,
    VersionStatus,
)
from bekwaam.tenancy.context import Actor

# --- the framework's shape ---------------------------------------------------------------------------


@dataclass
class CompetenceBlock:
    competence: Competence
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class DomainBlock:
    domain: Domain
    competences: list[CompetenceBlock] = field(default_factory=list)


@dataclass
class FrameworkShape:
    """One version's scale and its domains → competences → indicators, in their order."""

    version: FrameworkVersion
    levels: list[ScaleLevel]
    domains: list[DomainBlock]

    @property
    def indicators(self) -> list[Indicator]:
        return [i for d in self.domains for c in d.competences for i in c.indicators]

    @property
    def max_value(self) -> int:
        return max((level.value for level in self.levels), default=0)


def framework_shape_for(*, version_id: UUID, board_id: int) -> FrameworkShape:
    """The version (with its framework), scale, domains, competences and indicators in five queries."""
    version = FrameworkVersion.objects.select_related("framework").get(pk=version_id, board_id=board_id)
    levels = list(ScaleLevel.objects.filter(version=version, board_id=board_id).order_by("value"))
    domains = {
        d.pk: DomainBlock(d)
        for d in Domain.objects.filter(version=version, board_id=board_id).order_by("position", "code")
    }
    competences: dict[int, CompetenceBlock] = {}
    for competence in Competence.objects.filter(version=version, board_id=board_id).order_by("position", "code"):
        block = CompetenceBlock(competence)
        competences[competence.pk] = block
        domains[competence.domain_id].competences.append(block)
    for indicator in Indicator.objects.filter(competence__version=version, board_id=board_id).order_by(
        "position", "code"
    ):
        competences[indicator.competence_id].indicators.append(indicator)
    return FrameworkShape(version=version, levels=levels, domains=list(domains.values()))


# --- measurements of the actor ---------------------------------------------------------------------


def assessment_list_for(*, actor: Actor) -> QuerySet[SelfAssessment]:
    """The actor's own measurements at the active board, newest first, with their framework."""
    return (
        SelfAssessment.objects.filter(board_id=actor.board_pk, person=actor.person)
        .select_related("framework_version", "framework_version__framework")
        .order_by("-started_at")
    )


def finished_assessments_for(*, actor: Actor) -> QuerySet[SelfAssessment]:
    """The actor's own finished measurements, newest first: what can be compared."""
    return assessment_list_for(actor=actor).filter(status=AssessmentStatus.FINISHED).order_by("-finished_at")


def startable_versions_for(*, actor: Actor, default: FrameworkVersion | None) -> list[FrameworkVersion]:
    """The newest published version of each framework of the actor's board, `default` (theirs) first."""
    versions = (
        FrameworkVersion.objects.filter(
            board_id=actor.board_pk, status=VersionStatus.PUBLISHED, framework__kind=FrameworkKind.COMPETENCES
        )
        .select_related("framework")
        .order_by("framework__name", "framework_id", "-number")
    )
    newest: dict[UUID, FrameworkVersion] = {}
    for version in versions:
        newest.setdefault(version.framework_id, version)
    return sorted(newest.values(), key=lambda v: (default is None or v.pk != default.pk, v.framework.name))


def own_evidence_for(*, actor: Actor) -> list[Evidence]:
    """The actor's own portfolio items at the board (title and kind only), to link to ratings."""
    return list(
        Evidence.objects.filter(board_id=actor.board_pk, person=actor.person)
        .only("id", "title", "kind", "created_at")
        .order_by("-created_at")
    )


def ratings_for(*, assessment: SelfAssessment) -> dict[int, Rating]:
    """The measurement's ratings by indicator id, each with its level and linked evidence (three queries)."""
    ratings = (
        Rating.objects.filter(assessment=assessment, board_id=assessment.board_id)
        .select_related("level")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id", "title", "kind")))
    )
    return {rating.indicator_id: rating for rating in ratings}


# --- the profile -------------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    rating: Rating | None
    evidence: list[Evidence]

    @property
    def level(self) -> ScaleLevel | None:
        return self.rating.level if self.rating else None


def _average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _percent(average: float | None, max_value: int) -> float:
    return round(100 * average / max_value, 1) if average is not None and max_value else 0.0


@dataclass
class CompetenceResult:
    competence: Competence
    indicators: list[IndicatorResult]
    max_value: int

    @property
    def values(self) -> list[int]:
        return [r.level.value for r in self.indicators if r.level is not None]

    @property
    def average(self) -> float | None:
        return _average(self.values)

    @property
    def rated(self) -> int:
        return len(self.values)

    @property
    def total(self) -> int:
        return len(self.indicators)

    @property
    def code(self) -> str:
        return self.competence.code

    @property
    def name(self) -> str:
        return self.competence.name

    @property
    def percent(self) -> float:
        """The average as a share of the scale's top, for the width of its bar."""
        return _percent(self.average, self.max_value)


@dataclass
class LevelCount:
    level: ScaleLevel
    count: int
    percent: float


@dataclass
class DomainResult:
    domain: Domain
    competences: list[CompetenceResult]
    levels: list[ScaleLevel]
    max_value: int

    @property
    def code(self) -> str:
        return self.domain.code

    @property
    def name(self) -> str:
        return self.domain.name

    @property
    def values(self) -> list[int]:
        return [value for c in self.competences for value in c.values]

    @property
    def average(self) -> float | None:
        """The mean level over every rated indicator of the domain (not a mean of competence means)."""
        return _average(self.values)

    @property
    def percent(self) -> float:
        return _percent(self.average, self.max_value)

    @property
    def rated(self) -> int:
        return len(self.values)

    @property
    def total(self) -> int:
        return sum(len(c.indicators) for c in self.competences)

    @property
    def distribution(self) -> list[LevelCount]:
        """How many of the domain's indicators were rated at each level of the scale."""
        values = self.values
        return [
            LevelCount(
                level=level,
                count=values.count(level.value),
                percent=round(100 * values.count(level.value) / len(values), 1) if values else 0.0,
            )
            for level in self.levels
        ]


@dataclass
class Profile:
    shape: FrameworkShape
    domains: list[DomainResult]

    @property
    def rated(self) -> int:
        return sum(d.rated for d in self.domains)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.domains)


def profile_build(*, shape: FrameworkShape, ratings: dict[int, Rating], visible_evidence: set[UUID] | None) -> Profile:
    """Averages and distribution per domain and competence; evidence limited to `visible_evidence` when given."""
    domains = []
    for block in shape.domains:
        competences = []
        for competence_block in block.competences:
            results = []
            for indicator in competence_block.indicators:
                rating = ratings.get(indicator.pk)
                evidence = list(rating.evidence.all()) if rating else []
                if visible_evidence is not None:
                    evidence = [e for e in evidence if e.pk in visible_evidence]
                results.append(IndicatorResult(indicator=indicator, rating=rating, evidence=evidence))
            competences.append(
                CompetenceResult(competence=competence_block.competence, indicators=results, max_value=shape.max_value)
            )
        domains.append(
            DomainResult(domain=block.domain, competences=competences, levels=shape.levels, max_value=shape.max_value)
        )
    return Profile(shape=shape, domains=domains)


def assessment_profile_for(*, actor: Actor, assessment: SelfAssessment) -> Profile:
    """The measurement as a profile per domain, for the owner or someone it is shared with.

    A viewer other than the owner sees only the linked evidence that is shared with them too: a
    title in someone's portfolio is theirs to share.
    """
    shape = framework_shape_for(version_id=assessment.framework_version_id, board_id=assessment.board_id)
    ratings = ratings_for(assessment=assessment)
    visible: set[UUID] | None = None
    if assessment.person_id != actor.person.pk:
        visible = set(
            visible_items_of(actor=actor, model=Evidence, owner_id=assessment.person_id).values_list("pk", flat=True)
        )
    return profile_build(shape=shape, ratings=ratings, visible_evidence=visible)


# --- comparison -------------------------------------------------------------------------------------


@dataclass
class CompareRow:
    code: str
    name: str
    before: float | None
    after: float | None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)


@dataclass
class CompareDomain:
    row: CompareRow
    competences: list[CompareRow]


@dataclass
class Comparison:
    before: Profile
    after: Profile
    domains: list[CompareDomain]

    @property
    def same_scale(self) -> bool:
        return [lv.value for lv in self.before.shape.levels] == [lv.value for lv in self.after.shape.levels]


def comparison_build(*, before: Profile, after: Profile) -> Comparison:
    """Domains and competences of both measurements matched by code, in the later one's order.

    A competence's code is its identity across framework versions; what only the earlier version
    had comes last in its own domain (or in a domain of its own), with no later value.
    """
    before_domains = {d.domain.code: d for d in before.domains}
    before_competences = {c.competence.code: c for d in before.domains for c in d.competences}
    seen: set[str] = set()
    domains: list[CompareDomain] = []
    rows_by_domain: dict[str, CompareDomain] = {}
    for domain in after.domains:
        earlier = before_domains.get(domain.domain.code)
        rows = []
        for competence in domain.competences:
            code = competence.competence.code
            seen.add(code)
            old = before_competences.get(code)
            rows.append(CompareRow(code, competence.competence.name, old.average if old else None, competence.average))
        entry = CompareDomain(
            row=CompareRow(
                domain.domain.code, domain.domain.name, earlier.average if earlier else None, domain.average
            ),
            competences=rows,
        )
        domains.append(entry)
        rows_by_domain[domain.domain.code] = entry
    leftovers: dict[str, list[CompareRow]] = defaultdict(list)
    for domain in before.domains:
        for competence in domain.competences:
            if competence.competence.code not in seen:
                leftovers[domain.domain.code].append(
                    CompareRow(competence.competence.code, competence.competence.name, competence.average, None)
                )
    for domain in before.domains:
        rows = leftovers.get(domain.domain.code, [])
        if domain.domain.code in rows_by_domain:
            rows_by_domain[domain.domain.code].competences.extend(rows)
        else:
            domains.append(
                CompareDomain(
                    row=CompareRow(domain.domain.code, domain.domain.name, domain.average, None),
                    competences=rows,
                )
            )
    return Comparison(before=before, after=after, domains=domains)


def assessment_comparison_for(*, actor: Actor, before: SelfAssessment, after: SelfAssessment) -> Comparison:
    """Two measurements the actor may see, side by side per domain and competence."""
    return comparison_build(
        before=assessment_profile_for(actor=actor, assessment=before),
        after=assessment_profile_for(actor=actor, assessment=after),
    )


# --- the dossier overview's card --------------------------------------------------------------------


def assessment_overview_for(*, actor: Actor) -> dict[str, Any]:
    """Context for the dossier overview's assessments card (template dossier/_overview_assessments.html).

    The measurement in progress (to continue), the latest finished one, the two latest finished ones
    to compare, and the default framework to start against (None: the board has adopted none).
    """
    own = assessment_list_for(actor=actor)
    draft = own.filter(status=AssessmentStatus.DRAFT).first()
    finished = list(finished_assessments_for(actor=actor)[:2])
    return {
        "assessment_draft": draft,
        "assessment_latest": finished[0] if finished else None,
        "assessment_compare_pair": (finished[1], finished[0]) if len(finished) == 2 else None,
        "assessment_default_version": framework_version_for(actor=actor),
    }
