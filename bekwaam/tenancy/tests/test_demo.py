"""The demo board: a login per role, the same result when run twice, never in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from bekwaam.accounts.models import Person
from bekwaam.tenancy.models import Board, Employment, ProviderRoleGrant, Role, RoleGrant, School, Team

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Board, School, Team, Employment, RoleGrant, ProviderRoleGrant, Person)
    )


def test_it_builds_the_demo_board_once(settings: Any) -> None:
    settings.BEKWAAM_ENV = "development"
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    board = Board.objects.get()
    assert School.objects.filter(board=board).count() == 6
    assert 140 <= Employment.objects.filter(board=board).count() <= 160
    roles = set(RoleGrant.objects.values_list("role", flat=True))
    assert roles == {Role.ADMINISTRATOR, Role.BOARD_MEMBER, Role.QUALITY_OFFICER, Role.MANAGER}
    assert ProviderRoleGrant.objects.filter(role=Role.ASSESSOR).count() == 2
    assert ProviderRoleGrant.objects.filter(role=Role.COACH).count() == 1


def test_it_prints_the_logins(settings: Any, capsys: Any) -> None:
    settings.BEKWAAM_ENV = "development"
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "beheerder@demo.bekwaam.nl" in out
    assert "bekwaam-demo-2026" in out


def test_it_refuses_to_run_in_production(settings: Any) -> None:
    settings.BEKWAAM_ENV = "production"
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert Board.objects.count() == 0
