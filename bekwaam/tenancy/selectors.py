"""Every read of organisations and people a page needs, scoped to the actor."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes import scopes_disabled

from bekwaam.accounts.models import Person
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board, Employment, Provider, ProviderRoleGrant, RoleGrant, School, StaffImport, Team


def _active_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def organisation_is_among_actors(*, actor: Actor, key: str) -> bool:
    """True when the key ("board:3", "provider:2") names one of the actor's own organisations."""
    return any(organisation.key == key for organisation in actor.organisations)


def board_get_for(*, actor: Actor) -> Board:
    """The actor's active board; 404 when they work in none."""
    if actor.board_id is None:
        raise Http404
    return get_object_or_404(Board, id=actor.board_id)


def school_list_for(*, actor: Actor) -> QuerySet[School]:
    """Schools of the actor's board with their number of active staff (one query)."""
    return School.objects.filter(board_id=actor.board_pk).annotate(
        staff_count=Count("employments", filter=_active_q("employments__"), distinct=True),
        team_count=Count("teams", distinct=True),
    )


def school_get_for(*, actor: Actor, school_id: int) -> School:
    """One school of the actor's board; 404 for any other."""
    return get_object_or_404(School.objects.select_related("board"), id=school_id, board_id=actor.board_pk)


def employment_list_for_school(*, actor: Actor, school: School) -> QuerySet[Employment]:
    """Active employments at a school of the actor's board."""
    return (
        Employment.objects.filter(school=school, board_id=actor.board_pk)
        .filter(_active_q())
        .select_related("person", "team", "manager")
        .order_by("person__family_name", "person__given_name")
    )


def team_list_for_board(*, actor: Actor) -> QuerySet[Team]:
    return Team.objects.filter(school__board_id=actor.board_pk).select_related("school")


SEARCH_TERMS = 5  # words of a search that count; keeps the page's query count bounded


def person_list_for(*, actor: Actor, search: str = "", school_id: int | None = None) -> QuerySet[Person]:
    """People with an employment at the actor's board, each with those employments prefetched."""
    employments = Employment.objects.filter(board_id=actor.board_pk).select_related("school")
    # Driven from the board's employments (IN subquery, by index) rather than a join + DISTINCT or a
    # scan of everyone: a national installation holds far more people than any one board.
    at_board = Employment.objects.filter(board_id=actor.board_pk)
    if school_id:
        at_board = at_board.filter(school_id=school_id)
    people = Person.objects.filter(id__in=at_board.values("person_id"))
    for term in search.split()[:SEARCH_TERMS]:
        # The people with this personnel number are read first (one indexed query per term): as a
        # subquery inside the OR, SQLite would run it once for every person of the board.
        numbered = list(
            Employment.objects.filter(board_id=actor.board_pk, personnel_number__iexact=term).values_list(
                "person_id", flat=True
            )
        )
        people = people.filter(
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | Q(email__icontains=term)
            | Q(id__in=numbered)
        )
    return people.order_by("family_name", "given_name").prefetch_related(
        Prefetch("employments", queryset=employments, to_attr="board_employments")
    )


def person_get_for(*, actor: Actor, person_id: UUID) -> Person:
    """A person who works or worked at the actor's board; 404 otherwise (also for other boards)."""
    people = Person.objects.filter(
        Q(employments__board_id=actor.board_pk) | Q(role_grants__board_id=actor.board_pk)
    ).distinct()
    return get_object_or_404(people, id=person_id)


def employment_list_for_person(*, actor: Actor, person: Person) -> QuerySet[Employment]:
    return (
        Employment.objects.filter(person=person, board_id=actor.board_pk)
        .select_related("school", "team", "manager")
        .order_by("-start_date")
    )


def employment_get_for(*, actor: Actor, employment_id: UUID) -> Employment:
    """An employment at the actor's board; 404 otherwise."""
    return get_object_or_404(
        Employment.objects.select_related("person", "school"), id=employment_id, board_id=actor.board_pk
    )


def role_grant_list_for_person(*, actor: Actor, person: Person) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(person=person, board_id=actor.board_pk).select_related("school")


def role_grant_get_for(*, actor: Actor, grant_id: UUID) -> RoleGrant:
    return get_object_or_404(RoleGrant.objects.select_related("person"), id=grant_id, board_id=actor.board_pk)


def team_members_for(*, actor: Actor) -> QuerySet[Employment]:
    """Active employments the actor leads: named as their manager, or at a school they lead."""
    return (
        Employment.objects.filter(board_id=actor.board_pk)
        .filter(_active_q())
        .filter(Q(manager=actor.person) | Q(school_id__in=list(actor.managed_school_ids)))
        .exclude(person=actor.person)
        .select_related("person", "school", "team")
        .order_by("school__name", "person__family_name", "person__given_name")
    )


def own_employments_for(*, actor: Actor) -> QuerySet[Employment]:
    return (
        Employment.objects.filter(person=actor.person, board_id=actor.board_pk)
        .filter(_active_q())
        .select_related("school", "manager")
    )


def provider_get_for(*, actor: Actor) -> Provider:
    if actor.provider_id is None:
        raise Http404
    return get_object_or_404(Provider, id=actor.provider_id)


def provider_staff_for(*, actor: Actor) -> QuerySet[ProviderRoleGrant]:
    """The coaches and assessors of the actor's provider."""
    return (
        ProviderRoleGrant.objects.filter(provider_id=actor.provider_pk)
        .select_related("person")
        .order_by("role", "person__family_name")
    )


def board_list_for_operator() -> QuerySet[Board]:
    """All boards with their school and active staff counts (platform operator only; no personal data)."""
    with scopes_disabled():
        schools = School.objects.filter(board=OuterRef("pk")).values("board").annotate(n=Count("pk")).values("n")
        staff = (
            Employment.objects.filter(_active_q(), board=OuterRef("pk"))
            .values("board")
            .annotate(n=Count("pk"))
            .values("n")
        )
    return Board.objects.annotate(
        school_count=Coalesce(Subquery(schools, output_field=IntegerField()), 0),
        staff_count=Coalesce(Subquery(staff, output_field=IntegerField()), 0),
    )


def provider_get_for_operator(*, provider_id: int) -> Provider:
    """Any provider (platform operator only: the view checks the rule)."""
    return get_object_or_404(Provider, id=provider_id)


def provider_staff_for_operator(*, provider: Provider) -> QuerySet[ProviderRoleGrant]:
    """The coaches and assessors of one provider, for the platform operator (who works above the tenants)."""
    grants: QuerySet[ProviderRoleGrant] = (
        ProviderRoleGrant.objects.with_scopes_disabled()  # type: ignore[attr-defined]
        .filter(provider=provider)
        .select_related("person")
        .order_by("role", "person__family_name")
    )
    return grants


def provider_list_for_operator() -> QuerySet[Provider]:
    return Provider.objects.annotate(staff_count=Count("role_grants", distinct=True))


# --- Staff and school import (appended by the import feature; the lead may move this import up) ---


def staff_import_get_for(*, actor: Actor, import_id: UUID) -> StaffImport:
    """One import (dry run or applied) of the actor's board; 404 for another board's."""
    return get_object_or_404(StaffImport.objects.select_related("uploaded_by"), id=import_id, board_id=actor.board_pk)


def staff_import_list_for(*, actor: Actor) -> QuerySet[StaffImport]:
    """The board's imports, newest first, without their (large) rows and results."""
    return (
        StaffImport.objects.filter(board_id=actor.board_pk)
        .select_related("uploaded_by")
        .defer("rows", "summary")
        .order_by("-created_at")
    )
