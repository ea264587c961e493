"""Reads for sharing and privacy: my shares, my leidinggevenden, what others shared with me, who opened what.

Who may see an item is decided in the core (bekwaam.dossier.selectors); the reads here use its rules
(share_grants_for, shares_reaching) and never widen them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Case, Count, Exists, IntegerField, Max, Model, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from bekwaam.accounts.models import Person
from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import (
    DevelopmentPlan,
    Evidence,
    Reflection,
    Section,
    SelfAssessment,
    Share,
    ShareAudience,
)
from bekwaam.dossier.selectors import (
    ITEM_FIELDS,
    SECTION_WIDE,
    own_item_get_for,
    reached_by_name,
    share_grants_for,
    shares_reaching,
)
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment, Role, RoleGrant
from bekwaam.tenancy.selectors import _active_q, own_employments_for, team_members_for

DossierItem = SelfAssessment | DevelopmentPlan | Evidence | Reflection

# The Share field naming one item, as used in forms ("evidence") → its model.
ITEM_KINDS: dict[str, type[DossierItem]] = {field: model for model, (_, field) in ITEM_FIELDS.items()}  # type: ignore[misc]

# The owner's detail page of each kind of item (built by the other parts of the dossier).
ITEM_URLS: dict[type[Model], tuple[str, str]] = {
    SelfAssessment: ("dossier:assessment-detail", "assessment_id"),
    DevelopmentPlan: ("dossier:plan-detail", "plan_id"),
    Evidence: ("dossier:evidence-detail", "evidence_id"),
    Reflection: ("dossier:reflection-detail", "reflection_id"),
}
ITEM_LOG_TYPES: dict[str, type[DossierItem]] = {model._meta.label_lower: model for model in ITEM_KINDS.values()}

RECENT_ACCESSES = 20  # on an item's privacy panel; the privacy page has them all


def item_kind_of(item: DossierItem) -> str:
    """The name of the Share field that points at this kind of item ("assessment", "plan", …)."""
    return ITEM_FIELDS[type(item)][1]


def item_url(item: DossierItem) -> str | None:
    """The detail page of an item, or None while the part that shows it has no such page."""
    name, kwarg = ITEM_URLS[type(item)]
    try:
        return reverse(name, kwargs={kwarg: item.pk})
    except NoReverseMatch:
        return None


def _employed_at_board(board_id: int) -> QuerySet[Employment]:
    return Employment.objects.filter(_active_q(), board_id=board_id)


def managers_for(*, actor: Actor) -> QuerySet[Person]:
    """The actor's current leidinggevende(n) at the active board: whoever has them on "Mijn team".

    The inverse of tenancy.selectors.team_members_for (and of dossier.selectors.leads): named as manager
    on one of the actor's active employments, or holding the manager role at one of its schools, and
    working at the board themselves. A "my manager" share reaches exactly these people.
    """
    if actor.board_id is None:
        return Person.objects.none()
    own = own_employments_for(actor=actor).order_by()
    school_leaders = RoleGrant.objects.filter(
        board_id=actor.board_id, role=Role.MANAGER, school_id__in=own.values("school_id")
    ).values("person_id")
    return (
        Person.objects.filter(Q(pk__in=own.values("manager_id")) | Q(pk__in=school_leaders))
        .filter(pk__in=_employed_at_board(actor.board_id).values("person_id"))
        .exclude(pk=actor.person.pk)
        .order_by("family_name", "given_name")
    )


def colleagues_for(*, actor: Actor) -> QuerySet[Person]:
    """People working now at one of the actor's schools of the active board, except the actor: whom to share with."""
    if actor.board_id is None:
        return Person.objects.none()
    schools = own_employments_for(actor=actor).order_by().values("school_id")
    return (
        Person.objects.filter(
            pk__in=_employed_at_board(actor.board_id).filter(school_id__in=schools).values("person_id")
        )
        .exclude(pk=actor.person.pk)
        .order_by("family_name", "given_name")
    )


def works_at_board(*, actor: Actor, person: Person) -> bool:
    """True when the person has an active employment at the actor's board."""
    return _employed_at_board(actor.board_pk).filter(person=person).exists()


def _with_reach(shares: QuerySet[Share], board_id: int) -> QuerySet[Share]:
    """Each share with `grantee_works_here`: a named colleague who left the board is no longer reached."""
    employed = _employed_at_board(board_id).filter(person_id=OuterRef("grantee_id"))
    return shares.annotate(grantee_works_here=Exists(employed))


def share_list_for(*, actor: Actor) -> QuerySet[Share]:
    """All the actor's shares at the active board, active ones first, with their grantee and item."""
    shares = Share.objects.filter(board_id=actor.board_pk, owner=actor.person).select_related(
        "grantee", "assessment", "plan", "evidence", "reflection"
    )
    return _with_reach(shares, actor.board_pk).order_by("section", "-withdrawn_at", "-created_at")


def own_item_of_kind_get_for(*, actor: Actor, kind: str, item_id: UUID) -> DossierItem:
    """One of the actor's own items, named by its kind ("evidence") and id; 404 for anybody else's."""
    model: Any = ITEM_KINDS[kind]
    item: DossierItem = own_item_get_for(actor=actor, model=model, item_id=item_id)
    return item


def share_get_for(*, actor: Actor, share_id: UUID) -> Share:
    """One of the actor's own shares; 404 for anybody else's."""
    return get_object_or_404(Share, pk=share_id, board_id=actor.board_pk, owner=actor.person)


@dataclass
class SectionShares:
    section: str
    label: str
    active: list[Share] = field(default_factory=list)
    withdrawn: list[Share] = field(default_factory=list)


def shares_by_section_for(*, actor: Actor) -> list[SectionShares]:
    """The actor's shares per section of the dossier (one query), for the sharing page."""
    sections = {value: SectionShares(value, str(label)) for value, label in Section.choices}
    for share in share_list_for(actor=actor):
        group = sections[share.section]
        (group.active if share.withdrawn_at is None else group.withdrawn).append(share)
    return list(sections.values())


# --- one item: who can see it and who opened it -----------------------------------------------------


def item_shares_for(*, actor: Actor, item: DossierItem) -> QuerySet[Share]:
    """The owner's active shares that cover this item: its own, and those of its whole section."""
    section, field_name = ITEM_FIELDS[type(item)]
    shares = Share.objects.filter(
        SECTION_WIDE | Q(**{field_name: item.pk}),
        board_id=actor.board_pk,
        owner=actor.person,
        section=section,
        withdrawn_at__isnull=True,
    ).select_related("grantee")
    return _with_reach(shares, actor.board_pk).order_by("audience", "created_at")


def item_access_list_for(*, actor: Actor, item: DossierItem) -> QuerySet[AccessLog]:
    """Who opened this item of the actor's, newest first (the actor's own items only)."""
    return AccessLog.objects.filter(
        board_id=actor.board_pk,
        subject=actor.person,
        object_type=item._meta.label_lower,
        object_id=str(item.pk),
    ).select_related("actor")


# --- the whole dossier: who opened what ------------------------------------------------------------


def access_list_for_subject(*, actor: Actor) -> QuerySet[AccessLog]:
    """Who opened the actor's personal data or dossier at the active board, newest first."""
    return AccessLog.objects.filter(board_id=actor.board_pk, subject=actor.person).select_related("actor")


def access_items_for(*, actor: Actor, entries: list[AccessLog]) -> dict[tuple[str, str], DossierItem]:
    """The actor's own items the entries name, by (object_type, object_id): one query per kind of item.

    Only the actor's own items at the board are looked up, so a forged entry reveals nothing.
    """
    wanted: dict[str, set[UUID]] = defaultdict(set)
    for entry in entries:
        if entry.object_type in ITEM_LOG_TYPES and entry.object_id:
            try:
                wanted[entry.object_type].add(UUID(entry.object_id))
            except ValueError:
                continue
    found: dict[tuple[str, str], DossierItem] = {}
    for object_type, ids in wanted.items():
        model = ITEM_LOG_TYPES[object_type]
        for item in model.objects.filter(board_id=actor.board_pk, person=actor.person, pk__in=ids):
            found[(object_type, str(item.pk))] = item
    return found


# --- what others shared with me ----------------------------------------------------------------------


def _section_counts(prefix: str = "") -> dict[str, Any]:
    """Per section: shares of the whole section and shares of single items (for Count filters)."""
    counts: dict[str, Any] = {}
    for section in Section.values:
        in_section = Q(**{f"{prefix}section": section})
        counts[f"{section}_whole"] = Count("pk", filter=in_section & SECTION_WIDE)
        counts[f"{section}_items"] = Count("pk", filter=in_section & ~SECTION_WIDE)
    return counts


def shared_with_me_for(*, actor: Actor) -> QuerySet[Share, dict[str, Any]]:
    """The people who share something with the actor, one row per owner (values), with counts per section."""
    return (
        shares_reaching(actor=actor)
        .values("owner_id", "owner__given_name", "owner__name_prefix", "owner__family_name")
        .annotate(last_shared=Max("created_at"), **_section_counts())
        .order_by("owner__family_name", "owner__given_name", "owner_id")
    )


@dataclass
class SharedSection:
    section: str
    label: str
    items: list[tuple[DossierItem, str | None]]  # each item with its detail page
    whole: bool  # the whole section is shared (including what is added later)


@dataclass
class SharedDossier:
    owner: Person
    right: str  # the widest audience reaching the actor: "manager" or "person"
    sections: list[SharedSection]
    coverage_url: str | None


def shared_dossier_of(*, actor: Actor, owner_id: UUID) -> SharedDossier:
    """What the owner shares with the actor, per section; 404 when nothing is (also for another board).

    The grants are read once (share_grants_for, the core's rule); each kind of item is then one query.
    """
    grants = list(share_grants_for(actor=actor, owner_id=owner_id).select_related("owner"))
    if not grants:
        raise Http404
    owner = grants[0].owner
    right = ShareAudience.MANAGER if any(g.audience == ShareAudience.MANAGER for g in grants) else ShareAudience.PERSON
    items_per_section: dict[str, list[tuple[DossierItem, str | None]]] = defaultdict(list)
    whole_sections: set[str] = set()
    for model, (section, field_name) in ITEM_FIELDS.items():
        in_section = [g for g in grants if g.section == section]
        if not in_section:
            continue
        whole = any(
            g.assessment_id is None and g.plan_id is None and g.evidence_id is None and g.reflection_id is None
            for g in in_section
        )
        items: QuerySet[Any] = model._default_manager.filter(board_id=actor.board_pk, person_id=owner_id)
        if whole:
            whole_sections.add(section)
        else:
            ids = {getattr(g, f"{field_name}_id") for g in in_section} - {None}
            if not ids:
                continue
            items = items.filter(pk__in=ids)
        items_per_section[section].extend((item, item_url(item)) for item in items)
    sections = [
        SharedSection(value, str(label), items_per_section.get(value, []), value in whole_sections)
        for value, label in Section.choices
        if value in items_per_section or value in whole_sections
    ]
    coverage_url: str | None = None
    if any(g.section == Section.PORTFOLIO for g in grants):  # the map counts shared evidence and reflections
        try:
            coverage_url = reverse("dossier:person-coverage", kwargs={"person_id": owner_id})
        except NoReverseMatch:
            coverage_url = None
    return SharedDossier(owner=owner, right=right, sections=sections, coverage_url=coverage_url)


# --- "Mijn team": what each person shares with their leidinggevende --------------------------------


def _visible_count(actor: Actor, model: type[DossierItem]) -> Case:
    """Per team member (outer Employment row): how many of their items of this kind the actor may see.

    Everyone on "Mijn team" is led by the actor, so their "manager" shares reach the actor, as do shares
    naming the actor. With a share of the whole section every item counts; otherwise the items shared
    one by one. Decided per person, not per item: a board's 200,000 items are never visited one by one.
    """
    section, field_name = ITEM_FIELDS[model]
    reach = Q(audience=ShareAudience.MANAGER)
    if reached_by_name(actor):
        reach |= Q(audience=ShareAudience.PERSON, grantee_id=actor.person.pk)
    shares = Share.objects.filter(
        reach, board_id=actor.board_pk, section=section, withdrawn_at__isnull=True, owner_id=OuterRef("person_id")
    )
    every_item = (
        model.objects.filter(board_id=actor.board_pk, person_id=OuterRef("person_id"))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items_shared_one_by_one = (
        shares.exclude(**{f"{field_name}__isnull": True})
        .order_by()
        .values("owner_id")
        .annotate(n=Count(field_name, distinct=True))
        .values("n")
    )
    return Case(
        When(Exists(shares.filter(SECTION_WIDE)), then=Coalesce(Subquery(every_item, output_field=IntegerField()), 0)),
        default=Coalesce(Subquery(items_shared_one_by_one, output_field=IntegerField()), 0),
    )


def team_members_with_shares_for(*, actor: Actor) -> QuerySet[Employment]:
    """The actor's team (as on "Mijn team") with, per person, the number of items they share with the actor.

    One query for any number of people: the counts are correlated subqueries, never a query per row.
    """
    reach = Q(audience=ShareAudience.MANAGER)
    if reached_by_name(actor):
        reach |= Q(audience=ShareAudience.PERSON, grantee_id=actor.person.pk)
    any_share = Share.objects.filter(
        reach, board_id=actor.board_pk, withdrawn_at__isnull=True, owner_id=OuterRef("person_id")
    )
    return team_members_for(actor=actor).annotate(
        shared_assessments=_visible_count(actor, SelfAssessment),
        shared_plans=_visible_count(actor, DevelopmentPlan),
        shared_evidence=_visible_count(actor, Evidence),
        shared_reflections=_visible_count(actor, Reflection),
        shares_anything=Exists(any_share),
    )
