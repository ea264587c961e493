"""Who is acting, in which organisation, with which roles: resolved once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from bekwaam.tenancy.models import Board, Employment, Function, Provider, ProviderRoleGrant, Role, RoleGrant
from bekwaam.tenancy.roles import EMPLOYEE, ROLES_REQUIRING_MFA, SCHOOL_LEADER, permissions_for

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
    requires_mfa: bool = False  # sees others' data somewhere: must have a second factor

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


SCHOOL_LEADER_FUNCTIONS = frozenset({Function.SCHOOL_LEADER, Function.DIRECTOR})


@dataclass(frozen=True)
class Memberships:
    """Where a person works, read in a few queries: the source of their organisations and roles."""

    employment_board_ids: frozenset[int]
    school_leader_board_ids: frozenset[int]  # boards where an active employment is as schoolleider or directeur
    managed_board_ids: frozenset[int]  # boards where someone's active employment names them as manager
    board_grants: tuple[tuple[int, str, int | None], ...]  # (board_id, role, school_id)
    provider_grants: tuple[tuple[int, str], ...]  # (provider_id, role)

    # Any grant or managed colleague at all, counted before the employment rule below: a second factor
    # is asked for conservatively, even where the role gives no access (yet, or any more).
    holds_any_role: bool = False

    @property
    def requires_mfa(self) -> bool:
        """Any grant or any managed employee means (possibly) seeing others' data."""
        return self.holds_any_role or bool(self.provider_grants)


def memberships_of(person: Person) -> Memberships:
    """The person's active employments, managed employments and grants, across all organisations."""
    today = timezone.localdate()
    active = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    with scopes_disabled():
        employment_boards = Employment.objects.filter(active, person=person).values_list("board_id", "function")
        managed_boards = Employment.objects.filter(active, manager=person).values_list("board_id", flat=True)
        board_grants = RoleGrant.objects.filter(person=person).values_list("board_id", "role", "school_id")
        provider_grants = ProviderRoleGrant.objects.filter(person=person).values_list("provider_id", "role")
        employments = list(employment_boards)
        employed_at = frozenset(board_id for board_id, _function in employments)
        leading_at = frozenset(board_id for board_id, function in employments if function in SCHOOL_LEADER_FUNCTIONS)
        managed = frozenset(managed_boards.distinct())
        grants = tuple(board_grants)
        # School roles and leading colleagues come with working at that board: once the person's last
        # employment there has ended (a school leader who left), they lead nobody there any more.
        # Board-level roles (beheerder, bestuurder, kwaliteitsmedewerker) need no employment.
        return Memberships(
            employment_board_ids=employed_at,
            school_leader_board_ids=leading_at,
            managed_board_ids=managed & employed_at,
            board_grants=tuple(
                (board_id, role, school_id)
                for board_id, role, school_id in grants
                if school_id is None or board_id in employed_at
            ),
            provider_grants=tuple(provider_grants),
            holds_any_role=bool(grants or managed),
        )


def organisations_of(person: Person, memberships: Memberships | None = None) -> tuple[Organisation, ...]:
    """Every board (through an active employment or a grant) and provider the person belongs to."""
    memberships = memberships or memberships_of(person)
    board_ids = memberships.employment_board_ids | {board_id for board_id, _, _ in memberships.board_grants}
    provider_ids = {provider_id for provider_id, _ in memberships.provider_grants}
    boards = [Organisation("board", b.id, b.name) for b in Board.objects.filter(id__in=board_ids)] if board_ids else []
    providers = (
        [Organisation("provider", p.id, p.name) for p in Provider.objects.filter(id__in=provider_ids)]
        if provider_ids
        else []
    )
    return tuple(boards + providers)


def actor_for(person: Person, organisation_key: str | None) -> Actor:
    """Resolve the person's roles in the chosen organisation (the first one when none is chosen)."""
    memberships = memberships_of(person)
    organisations = organisations_of(person, memberships)
    requires_mfa = person.is_superuser or memberships.requires_mfa
    active = next((o for o in organisations if o.key == organisation_key), None)
    if active is None and organisations:
        active = organisations[0]
    if active is None:
        return Actor(person=person, organisation=None, organisations=organisations, requires_mfa=requires_mfa)

    roles: set[str] = set()
    managed: set[int] = set()
    if active.kind == "board":
        for board_id, role, school_id in memberships.board_grants:
            if board_id == active.id:
                roles.add(role)
                if school_id is not None:
                    managed.add(school_id)
        if active.id in memberships.employment_board_ids:
            roles.add(EMPLOYEE)
        # Schoolleiders keep their Schoolleidersregister registration (and enrol in waarderingstrajecten).
        if active.id in memberships.school_leader_board_ids:
            roles.add(SCHOOL_LEADER)
        # A leidinggevende named on someone's employment manages that person without a grant.
        if active.id in memberships.managed_board_ids:
            roles.add(Role.MANAGER)
    else:
        roles.update(role for provider_id, role in memberships.provider_grants if provider_id == active.id)
    return Actor(
        person=person,
        organisation=active,
        roles=frozenset(roles),
        managed_school_ids=frozenset(managed),
        organisations=organisations,
        requires_mfa=requires_mfa,
    )


def person_requires_mfa(person: Person) -> bool:
    """True when the person can see others' data anywhere: any grant, a managed employee, or operator."""
    return bool(person.is_superuser) or memberships_of(person).requires_mfa


__all__ = ["ROLES_REQUIRING_MFA", "Actor", "Organisation", "actor_for", "person_requires_mfa"]
