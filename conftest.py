"""Shared fixtures: the personas every permission test uses (STYLE.md habit 8)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scopes_disabled

from bekwaam.accounts.testing import sign_in
from bekwaam.tenancy.models import Role, School
from bekwaam.tenancy.tests.factories import (
    BoardFactory,
    EmploymentFactory,
    PersonFactory,
    ProviderRoleGrantFactory,
    RoleGrantFactory,
    SchoolFactory,
    with_totp,
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and single-use TOTP codes live in the cache, which no test rollback resets."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_setup_unscoped() -> Iterator[None]:
    """Test set-up code creates rows freely; requests still run inside the middleware's scope."""
    with scopes_disabled():
        yield


def _shipped_data_reloaded() -> None:
    """Data migrations ship rows (the professionaliseringsthema's); a transactional test empties every table
    when it ends, so put them back for the tests that come after it in the same process."""
    from bekwaam.register.models import Theme

    if not Theme.objects.exists():
        from django.apps import apps

        importlib.import_module("bekwaam.register.migrations.0002_load_themes").load(apps, None)


@dataclass
class World:
    """Two boards and a provider, with one person per role.

    Board A: school_a (+ school_a2), administrator, board_member, quality_officer, manager (school leader of
    school_a, manager on teacher's employment), teacher, colleague (same school). Board B: outsider_admin,
    outsider (teacher). Provider: assessor, coach. Plus the platform operator.
    """

    board_a: Any
    school_a: School
    school_a2: School
    board_b: Any
    school_b: School
    provider: Any
    administrator: Any
    board_member: Any
    quality_officer: Any
    manager: Any
    teacher: Any
    colleague: Any
    outsider_admin: Any
    outsider: Any
    assessor: Any
    coach: Any
    operator: Any

    def persona(self, name: str) -> Any:
        return getattr(self, name)


PERSONAS = (
    "administrator",
    "board_member",
    "quality_officer",
    "manager",
    "teacher",
    "colleague",
    "outsider_admin",
    "outsider",
    "assessor",
    "coach",
    "operator",
)


@pytest.fixture
def world(db: None) -> World:
    _shipped_data_reloaded()
    board_a = BoardFactory(name="Stichting Alfa")
    school_a = SchoolFactory(board=board_a, name="De Alfaschool")
    school_a2 = SchoolFactory(board=board_a, name="De Tweede Alfaschool")
    board_b = BoardFactory(name="Stichting Beta")
    school_b = SchoolFactory(board=board_b, name="De Betaschool")

    administrator = with_totp(PersonFactory(email="admin@alfa.nl", given_name="Ada", family_name="Beheer"))
    RoleGrantFactory(person=administrator, board=board_a, role=Role.ADMINISTRATOR)
    board_member = with_totp(PersonFactory(email="bestuur@alfa.nl"))
    RoleGrantFactory(person=board_member, board=board_a, role=Role.BOARD_MEMBER)
    quality_officer = with_totp(PersonFactory(email="kwaliteit@alfa.nl"))
    RoleGrantFactory(person=quality_officer, board=board_a, role=Role.QUALITY_OFFICER)
    manager = with_totp(PersonFactory(email="directeur@alfa.nl", given_name="Mira", family_name="Leider"))
    EmploymentFactory(person=manager, school=school_a, function="director")
    RoleGrantFactory(person=manager, board=board_a, school=school_a, role=Role.MANAGER)
    teacher = PersonFactory(email="leerkracht@alfa.nl", given_name="Tom", family_name="Leraar")
    EmploymentFactory(person=teacher, school=school_a, manager=manager)
    colleague = PersonFactory(email="collega@alfa.nl", given_name="Cas", family_name="Collega")
    EmploymentFactory(person=colleague, school=school_a, manager=manager)

    outsider_admin = with_totp(PersonFactory(email="admin@beta.nl"))
    RoleGrantFactory(person=outsider_admin, board=board_b, role=Role.ADMINISTRATOR)
    outsider = PersonFactory(email="leerkracht@beta.nl", given_name="Olga", family_name="Buiten")
    EmploymentFactory(person=outsider, school=school_b)

    assessor = with_totp(PersonFactory(email="assessor@academie.nl"))
    grant = ProviderRoleGrantFactory(person=assessor, role=Role.ASSESSOR)
    coach = with_totp(PersonFactory(email="coach@academie.nl"))
    ProviderRoleGrantFactory(person=coach, provider=grant.provider, role=Role.COACH)
    operator = with_totp(PersonFactory(email="platform@bekwaam.nl", is_superuser=True, is_staff=True))
    return World(
        board_a=board_a,
        school_a=school_a,
        school_a2=school_a2,
        board_b=board_b,
        school_b=school_b,
        provider=grant.provider,
        administrator=administrator,
        board_member=board_member,
        quality_officer=quality_officer,
        manager=manager,
        teacher=teacher,
        colleague=colleague,
        outsider_admin=outsider_admin,
        outsider=outsider,
        assessor=assessor,
        coach=coach,
        operator=operator,
    )


@pytest.fixture
def client_for(client: Client) -> Any:
    """client_for(person) → a test client signed in as that person (password and second factor)."""

    def signed_in(person: Any) -> Client:
        return sign_in(client, person)

    return signed_in
