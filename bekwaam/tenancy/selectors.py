"""Every read of organisations and people a page needs, scoped to the actor."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board, Employment, Provider, ProviderRoleGrant, RoleGrant, School, Team


def _active_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


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


def person_list_for(*, actor: Actor, search: str = "", school_id: int | None = None) -> QuerySet[Person]:
    """People with an employment at the actor's board, each with those employments prefetched."""
    employments = Employment.objects.filter(board_id=actor.board_pk).select_related("school")
    people = Person.objects.filter(employments__board_id=actor.board_pk)
    if school_id:
        people = people.filter(employments__school_id=school_id)
    if search:
        for term in search.split():
            people = people.filter(
                Q(given_name__icontains=term)
                | Q(family_name__icontains=term)
                | Q(email__icontains=term)
                | Q(employments__personnel_number__iexact=term)
            )
    return (
        people.distinct()
        .order_by("family_name", "given_name")
        .prefetch_related(Prefetch("employments", queryset=employments, to_attr="board_employments"))
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
    """All boards with their school and staff counts (platform operator only; no personal data)."""
    return Board.objects.annotate(
        school_count=Count("schools", distinct=True),
        staff_count=Count("employments", filter=_active_q("employments__"), distinct=True),
    )


def provider_list_for_operator() -> QuerySet[Provider]:
    return Provider.objects.annotate(staff_count=Count("role_grants", distinct=True))
