"""Reads for the dossier's portfolio: the list, tag choices, expiry warnings and the coverage map.

Everything is scoped to the actor's board. The owner reads their own items; the coverage map of
someone else counts only what that person shared with the actor (visible_items_of).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bekwaam.dossier.models import Evidence, EvidenceKind, Goal, Reflection
from bekwaam.dossier.selectors import (
    LEADER_FUNCTIONS,
    framework_version_for,
    share_grants_for,
    visible_items_of,
)
from bekwaam.frameworks.models import Competence, Domain, FrameworkKind, FrameworkVersion, VersionStatus
from bekwaam.register.models import Theme
from bekwaam.register.selectors import theme_list_current
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.selectors import own_employments_for

if TYPE_CHECKING:
    from bekwaam.accounts.models import Person

REFLECTION = "reflection"  # the portfolio list's "kind" for reflections, beside the evidence kinds
EXPIRING_KINDS = (EvidenceKind.DIPLOMA, EvidenceKind.CERTIFICATE)
SEARCH_TERMS = 5  # words of a search that count; keeps the query bounded
OVERVIEW_LATEST = 5
OVERVIEW_EXPIRY_ROWS = 10


# --- the portfolio list -------------------------------------------------------------------------------


def portfolio_list_for(
    *,
    actor: Actor,
    kind: str = "",
    competence_id: int | None = None,
    goal_id: UUID | None = None,
    search: str = "",
) -> QuerySet[Any]:
    """The actor's own evidence and reflections as (pk, created_at, source) rows, newest first.

    One UNION query, so the list pages and counts in SQL whatever the mix of the two kinds; load a
    page's rows with `portfolio_items_load`.
    """
    evidence = Evidence.objects.filter(board_id=actor.board_pk, person=actor.person)
    reflections = Reflection.objects.filter(board_id=actor.board_pk, person=actor.person)
    if kind == REFLECTION:
        evidence = evidence.none()
    elif kind in EvidenceKind.values:
        evidence = evidence.filter(kind=kind)
        reflections = reflections.none()
    if competence_id is not None:
        evidence = evidence.filter(competences=competence_id)
        reflections = reflections.filter(competences=competence_id)
    if goal_id is not None:
        evidence = evidence.filter(goals=goal_id)
        reflections = reflections.filter(goals=goal_id)
    for term in search.split()[:SEARCH_TERMS]:
        evidence = evidence.filter(title__icontains=term)
        reflections = reflections.filter(title__icontains=term)
    rows = [
        queryset.order_by()  # no ORDER BY inside a compound statement
        .annotate(source=Value(source, output_field=CharField()))
        .values_list("pk", "created_at", "source")
        for queryset, source in ((evidence, "evidence"), (reflections, REFLECTION))
    ]
    return rows[0].union(rows[1], all=True).order_by("-created_at", "-pk")


def portfolio_items_load(*, actor: Actor, rows: list[tuple[UUID, datetime.datetime, str]]) -> list[Any]:
    """The items of one page of `portfolio_list_for`, in order, with their tags (a fixed number of queries)."""
    evidence_ids = [pk for pk, _created, source in rows if source == "evidence"]
    reflection_ids = [pk for pk, _created, source in rows if source == REFLECTION]
    tags = ("competences",)  # what the list shows of an item's tags
    loaded: dict[UUID, Any] = {}
    if evidence_ids:
        loaded.update(
            (item.pk, item)
            for item in Evidence.objects.filter(board_id=actor.board_pk, pk__in=evidence_ids).prefetch_related(*tags)
        )
    if reflection_ids:
        loaded.update(
            (item.pk, item)
            for item in Reflection.objects.filter(board_id=actor.board_pk, pk__in=reflection_ids).prefetch_related(
                *tags
            )
        )
    items = [loaded[pk] for pk, _created, _source in rows if pk in loaded]
    for item in items:
        item.portfolio_source = REFLECTION if isinstance(item, Reflection) else "evidence"
    expiry_mark(items)
    return items


def expiry_mark(items: list[Any]) -> None:
    """Set `expiry_state` ("expired", "expiring" or "") on evidence, for the list and detail pages."""
    today = timezone.localdate()
    warn_from = today + datetime.timedelta(days=settings.EXPIRY_WARNING_DAYS)
    for item in items:
        state = ""
        expires_on = getattr(item, "expires_on", None)
        if expires_on is not None and getattr(item, "kind", "") in EXPIRING_KINDS:
            state = "expired" if expires_on < today else "expiring" if expires_on <= warn_from else ""
        item.expiry_state = state


# --- tags -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagChoices:
    """What the actor may tag a portfolio item with."""

    competences: QuerySet[Competence]
    goals: QuerySet[Goal]
    themes: QuerySet[Theme] | None  # None: not a school leader, no register themes


def is_school_leader(*, actor: Actor) -> bool:
    """True when the actor works as schoolleider or directeur at the active board (register themes apply)."""
    return own_employments_for(actor=actor).filter(function__in=LEADER_FUNCTIONS).exists()


def tag_choices_for(*, actor: Actor, item: Evidence | Reflection | None = None) -> TagChoices:
    """Competences of the actor's framework version (plus any the item already has), their own POP goals,
    and the current register themes for school leaders (plus any the item already has)."""
    version = framework_version_for(actor=actor)
    in_version = Q(version=version) if version is not None else Q(pk__in=[])
    if item is not None:
        in_version |= Q(pk__in=item.competences.values("pk"))
    competences = (
        Competence.objects.filter(
            in_version, board_id=actor.board_pk, version__framework__kind=FrameworkKind.COMPETENCES
        )
        .select_related("domain")
        .order_by("domain__position", "domain__code", "position", "code")
    )
    goals = (
        Goal.objects.filter(board_id=actor.board_pk, plan__person=actor.person)
        .select_related("plan")
        .order_by("-plan__starts_on", "position", "created_at")
    )
    themes: QuerySet[Theme] | None = None
    if is_school_leader(actor=actor):
        themes = theme_list_current()
        if item is not None:
            themes = Theme.objects.filter(Q(pk__in=themes.values("pk")) | Q(pk__in=item.themes.values("pk")))
        themes = themes.order_by("name")
    return TagChoices(competences=competences, goals=goals, themes=themes)


def own_evidence_choices_for(*, actor: Actor) -> QuerySet[Evidence]:
    """The actor's own evidence, for a reflection to be about (newest first)."""
    return Evidence.objects.filter(board_id=actor.board_pk, person=actor.person).only("pk", "title", "created_at")


# --- detail pages ------------------------------------------------------------------------------------


def evidence_detail_for(*, actor: Actor, evidence: Evidence, is_owner: bool) -> dict[str, Any]:
    """What the evidence page shows besides the item: its tags and the reflections the actor may see."""
    expiry_mark([evidence])
    reflections = visible_items_of(actor=actor, model=Reflection, owner_id=evidence.person_id).filter(evidence=evidence)
    return {
        "competences": list(evidence.competences.select_related("domain")),
        # POP goals are part of the plan: only the owner sees them here (the plan has its own shares).
        "goals": list(evidence.goals.select_related("plan")) if is_owner else [],
        "themes": list(evidence.themes.all()),
        "reflections": list(reflections.order_by("-written_on")),
    }


def reflection_detail_for(*, actor: Actor, reflection: Reflection, is_owner: bool) -> dict[str, Any]:
    """What the reflection page shows: its tags and the evidence it is about that the actor may see."""
    evidence = visible_items_of(actor=actor, model=Evidence, owner_id=reflection.person_id).filter(
        reflections=reflection
    )
    return {
        "competences": list(reflection.competences.select_related("domain")),
        "goals": list(reflection.goals.select_related("plan")) if is_owner else [],
        "themes": list(reflection.themes.all()),
        "evidence_items": list(evidence),
    }


# --- the dossier overview card -------------------------------------------------------------------------


def expiry_list_for(*, actor: Actor) -> QuerySet[Evidence]:
    """The actor's diplomas and certificates that expired or expire within EXPIRY_WARNING_DAYS, soonest first."""
    warn_until = timezone.localdate() + datetime.timedelta(days=settings.EXPIRY_WARNING_DAYS)
    return Evidence.objects.filter(
        board_id=actor.board_pk,
        person=actor.person,
        kind__in=EXPIRING_KINDS,
        expires_on__isnull=False,
        expires_on__lte=warn_until,
    ).order_by("expires_on", "title")


def portfolio_overview_for(*, actor: Actor) -> dict[str, Any]:
    """Context for the dossier overview's portfolio card (template dossier/_overview_portfolio.html).

    Counts, the latest items and the expiry warnings, in a fixed number of queries.
    """
    if actor.board_id is None:
        return {}
    evidence = Evidence.objects.filter(board_id=actor.board_id, person=actor.person)
    reflections = Reflection.objects.filter(board_id=actor.board_id, person=actor.person)
    recent: list[Evidence | Reflection] = [
        *evidence.order_by("-created_at")[:OVERVIEW_LATEST],
        *reflections.order_by("-created_at")[:OVERVIEW_LATEST],
    ]
    latest = sorted(recent, key=lambda item: item.created_at, reverse=True)[:OVERVIEW_LATEST]
    for item in latest:
        item.portfolio_source = REFLECTION if isinstance(item, Reflection) else "evidence"  # type: ignore[union-attr]
    today = timezone.localdate()
    expiring = list(expiry_list_for(actor=actor).filter(expires_on__gte=today)[:OVERVIEW_EXPIRY_ROWS])  # soonest first
    expired = list(
        expiry_list_for(actor=actor).filter(expires_on__lt=today).order_by("-expires_on")[:OVERVIEW_EXPIRY_ROWS]
    )
    for item in expiring:
        item.days_left = (item.expires_on - today).days  # type: ignore[attr-defined,operator]
    return {
        "portfolio_evidence_count": evidence.count(),
        "portfolio_reflection_count": reflections.count(),
        "portfolio_latest": latest,
        "portfolio_expiring": expiring,
        "portfolio_expired": expired,
        "portfolio_warning_days": settings.EXPIRY_WARNING_DAYS,
    }


# --- the coverage map ----------------------------------------------------------------------------------


CHART_BARS_FROM = 32  # percent of the chart's width where the bars start (the codes stand before it)
CHART_BARS_WIDTH = 58  # percent of the chart's width for the longest bar
CHART_ROW = 30  # pixels per competence


def _percent(value: float) -> str:
    """A percentage for an SVG attribute: always with a dot, whatever the page's language."""
    return f"{value:.1f}%"


@dataclass
class CompetenceCoverage:
    competence: Competence
    evidence_count: int
    reflection_count: int
    scale: int = 1  # the map's largest count: the longest bar

    @property
    def is_empty(self) -> bool:
        return self.evidence_count == 0 and self.reflection_count == 0

    def _bar(self, count: int) -> float:
        return CHART_BARS_WIDTH * count / max(self.scale, 1)

    @property
    def evidence_bar(self) -> str:
        return _percent(self._bar(self.evidence_count))

    @property
    def reflection_bar(self) -> str:
        return _percent(self._bar(self.reflection_count))

    @property
    def evidence_label_x(self) -> str:
        return _percent(CHART_BARS_FROM + self._bar(self.evidence_count) + 1)

    @property
    def reflection_label_x(self) -> str:
        return _percent(CHART_BARS_FROM + self._bar(self.reflection_count) + 1)


@dataclass
class DomainCoverage:
    domain: Domain
    evidence_count: int  # distinct items linked to any competence of the domain
    reflection_count: int
    competences: list[CompetenceCoverage] = field(default_factory=list)

    @property
    def empty_count(self) -> int:
        return sum(1 for row in self.competences if row.is_empty)

    @property
    def chart_height(self) -> int:
        return CHART_ROW * len(self.competences)


@dataclass
class Coverage:
    version: FrameworkVersion
    domains: list[DomainCoverage]
    evidence_total: int  # distinct visible items linked to any competence of the version
    reflection_total: int

    @property
    def competence_count(self) -> int:
        return sum(len(domain.competences) for domain in self.domains)

    @property
    def empty_count(self) -> int:
        return sum(domain.empty_count for domain in self.domains)


def _linked_count(*, through: Any, item_field: str, items: QuerySet[Any], group: str, outer: str = "pk") -> Subquery:
    """A subquery: how many distinct `items` are linked (through an M2M table) per `group` row."""
    return Subquery(
        through.objects.filter(**{group: OuterRef(outer), f"{item_field}__in": items.values("pk")})
        .order_by()
        .values(group)
        .annotate(n=Count(item_field, distinct=True))
        .values("n"),
        output_field=IntegerField(),
    )


def coverage_for(*, actor: Actor, owner_id: UUID, version: FrameworkVersion) -> Coverage:
    """Per domain and competence of the version: how many evidence items and reflections the actor may see
    are linked to it (the owner sees all, a viewer what is shared with them). Counted in SQL: four queries."""
    evidence = visible_items_of(actor=actor, model=Evidence, owner_id=owner_id)
    reflections = visible_items_of(actor=actor, model=Reflection, owner_id=owner_id)
    evidence_links = Evidence.competences.through
    reflection_links = Reflection.competences.through

    def counts(group: str) -> dict[str, Coalesce]:
        return {
            "evidence_count": Coalesce(
                _linked_count(through=evidence_links, item_field="evidence", items=evidence, group=group), 0
            ),
            "reflection_count": Coalesce(
                _linked_count(through=reflection_links, item_field="reflection", items=reflections, group=group), 0
            ),
        }

    domains = list(
        Domain.objects.filter(board_id=actor.board_pk, version=version)
        .annotate(**counts("competence__domain"))
        .order_by("position", "code")
    )
    competences = (
        Competence.objects.filter(board_id=actor.board_pk, version=version)
        .annotate(**counts("competence"))
        .order_by("position", "code")
    )
    by_domain: dict[int, DomainCoverage] = {}
    for domain in domains:
        counted: Any = domain  # with the annotations above
        by_domain[domain.pk] = DomainCoverage(domain, counted.evidence_count, counted.reflection_count)
    for competence in competences:
        counted = competence
        by_domain[competence.domain_id].competences.append(
            CompetenceCoverage(competence, counted.evidence_count, counted.reflection_count)
        )
    scale = max(
        [1, *(max(row.evidence_count, row.reflection_count) for d in by_domain.values() for row in d.competences)]
    )
    for domain_coverage in by_domain.values():
        for row in domain_coverage.competences:
            row.scale = scale
    in_version = {"competences__version": version}
    totals = {
        "evidence_total": evidence.filter(**in_version).values("pk").distinct().count(),
        "reflection_total": reflections.filter(**in_version).values("pk").distinct().count(),
    }
    return Coverage(version=version, domains=list(by_domain.values()), **totals)


def coverage_versions_for(*, actor: Actor) -> QuerySet[FrameworkVersion]:
    """The board's published framework versions a coverage map can be drawn for."""
    return (
        FrameworkVersion.objects.filter(
            board_id=actor.board_pk, status=VersionStatus.PUBLISHED, framework__kind=FrameworkKind.COMPETENCES
        )
        .select_related("framework")
        .order_by("framework__name", "-number")
    )


def coverage_version_for(*, actor: Actor, owner: Person, version_id: UUID | None = None) -> FrameworkVersion | None:
    """The version to draw: the one asked for (a published one of the board), else the owner's default."""
    if version_id is not None:
        return get_object_or_404(coverage_versions_for(actor=actor), pk=version_id)
    if owner.pk == actor.person.pk:
        return framework_version_for(actor=actor)
    # The owner's default version, decided by the owner's own employments at this board.
    return framework_version_for(
        actor=dataclasses.replace(actor, person=owner, roles=frozenset(), managed_school_ids=frozenset())
    )


def coverage_owner_get_for(*, actor: Actor, person_id: UUID) -> tuple[Person, str]:
    """The person whose coverage map the actor opens and the actor's right (a share audience);
    404 unless some of their portfolio is shared with the actor."""
    if person_id == actor.person.pk:
        raise Http404  # the owner uses their own map
    right = (
        share_grants_for(actor=actor, owner_id=person_id)
        .filter(section="portfolio")
        .order_by("audience")  # "manager" before "person", as access_right_for reports it
        .values_list("audience", flat=True)
        .first()
    )
    if right is None:
        raise Http404
    person: Person = get_object_or_404(get_user_model(), pk=person_id)
    return person, right
