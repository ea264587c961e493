"""Who is acting, in which organisation, with which roles: resolved once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from bekwaam.tenancy.models import Board, Employment, Provider, ProviderRoleGrant, Role, RoleGrant
from bekwaam.tenancy.roles import EMPLOYEE, ROLES_REQUIRING_MFA, permissions_for

if TYPE_CHECKING:
    from bekwaam.accounts.models import Person


@dataclass(frozen=True)
class Organisation:
    """A board or a provider a person belongs to; `key` goes in the session and the switcher."""

    kind: str  # "board" | "provider"
    id: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Actor:
    """The signed-in person in their active organisation."""

    person: Person
    organisation: Organisation | None
    roles: frozenset[str] = frozenset()
    managed_school_ids: frozenset[int] = frozenset()
    organisations: tuple[Organisation, ...] = field(default=())

    @property
    def board_id(self) -> int | None:
        return self.organisation.id if self.organisation and self.organisation.kind == "board" else None

    @property
    def provider_id(self) -> int | None:
        return self.organisation.id if self.organisation and self.organisation.kind == "provider" else None

    @property
    def board_pk(self) -> int:
        """The active board's id; 404 for an actor working in none (every board page needs one)."""
        if self.board_id is None:
            raise Http404
        return self.board_id

    @property
    def provider_pk(self) -> int:
        """The active provider's id; 404 for an actor working for none."""
        if self.provider_id is None:
            raise Http404
        return self.provider_id

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_for(self.roles)

    @property
    def is_operator(self) -> bool:
        return bool(self.person.is_superuser)

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions

    def has_role(self, role: str) -> bool:
        return role in self.roles


def organisations_of(person: Person) -> tuple[Organisation, ...]:
    """Every board (through an active employment or a grant) and provider the person belongs to."""
    today = timezone.localdate()
    with scopes_disabled():
        board_ids = set(
            Employment.objects.filter(person=person, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values_list("board_id", flat=True)
        ) | set(RoleGrant.objects.filter(person=person).values_list("board_id", flat=True))
        provider_ids = set(ProviderRoleGrant.objects.filter(person=person).values_list("provider_id", flat=True))
    boards = [Organisation("board", b.id, b.name) for b in Board.objects.filter(id__in=board_ids)]
    providers = [Organisation("provider", p.id, p.name) for p in Provider.objects.filter(id__in=provider_ids)]
    return tuple(boards + providers)


def actor_for(person: Person, organisation_key: str | None) -> Actor:
    """Resolve the person's roles in the chosen organisation (the first one when none is chosen)."""
    organisations = organisations_of(person)
    active = next((o for o in organisations if o.key == organisation_key), None)
    if active is None and organisations:
        active = organisations[0]
    if active is None:
        return Actor(person=person, organisation=None, organisations=organisations)

    roles: set[str] = set()
    managed: set[int] = set()
    today = timezone.localdate()
    with scopes_disabled():
        if active.kind == "board":
            for role, school_id in RoleGrant.objects.filter(person=person, board_id=active.id).values_list(
                "role", "school_id"
            ):
                roles.add(role)
                if school_id is not None:
                    managed.add(school_id)
            active_employments = Employment.objects.filter(board_id=active.id, start_date__lte=today).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today)
            )
            if active_employments.filter(person=person).exists():
                roles.add(EMPLOYEE)
            # A leidinggevende named on someone's employment manages that person without a grant.
            if active_employments.filter(manager=person).exists():
                roles.add(Role.MANAGER)
        else:
            roles.update(
                ProviderRoleGrant.objects.filter(person=person, provider_id=active.id).values_list("role", flat=True)
            )
    return Actor(
        person=person,
        organisation=active,
        roles=frozenset(roles),
        managed_school_ids=frozenset(managed),
        organisations=organisations,
    )


def person_requires_mfa(person: Person) -> bool:
    """True when the person can see others' data anywhere: any grant, a managed employee, or operator."""
    if person.is_superuser:
        return True
    today = timezone.localdate()
    with scopes_disabled():
        if RoleGrant.objects.filter(person=person).exists():
            return True
        if ProviderRoleGrant.objects.filter(person=person).exists():
            return True
        return (
            Employment.objects.filter(manager=person).filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).exists()
        )


__all__ = ["ROLES_REQUIRING_MFA", "Actor", "Organisation", "actor_for", "person_requires_mfa"]
