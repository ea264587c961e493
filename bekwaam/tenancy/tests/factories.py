"""factory-boy factories for organisations and people."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model

from bekwaam.tenancy.models import (
    Board,
    Employment,
    Function,
    Provider,
    ProviderRoleGrant,
    Role,
    RoleGrant,
    School,
    Team,
)

PASSWORD = "correct-horse-battery-staple"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.nl")
    given_name = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Stichting Test {n}")
    authority_number = factory.Sequence(lambda n: f"{10000 + n:05d}")


def _brin(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{n % 100:02d}{letters[(n // 100) % 26]}{letters[(n // 2600) % 26]}"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(_brin)
    place = "Utrecht"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Academie {n}")


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    school = factory.SubFactory(SchoolFactory)
    board = factory.SelfAttribute("school.board")
    function = Function.TEACHER
    personnel_number = factory.Sequence(lambda n: f"P{n:06d}")
    start_date = datetime.date(2020, 8, 1)
    fte = Decimal("0.8")


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    person = factory.SubFactory(PersonFactory)
    board = factory.SubFactory(BoardFactory)
    role = Role.ADMINISTRATOR
    school = None


class ProviderRoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderRoleGrant

    person = factory.SubFactory(PersonFactory)
    provider = factory.SubFactory(ProviderFactory)
    role = Role.ASSESSOR


def with_totp(person: Any) -> Any:
    """Give the person a TOTP authenticator, as a role that sees others' data must have."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, generate_totp_secret())
    return person
