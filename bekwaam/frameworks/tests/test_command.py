"""manage.py frameworks_adopt: loads the shipped frameworks for one board or all, and is safe to run again."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bekwaam.frameworks.models import Framework, FrameworkVersion

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("frameworks_adopt", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_adopts_every_shipped_framework_for_one_board_idempotently(world: Any) -> None:
    output = run("--board", world.board_a.authority_number)
    assert "Stichting Alfa: Bekwaamheidseisen leraren primair onderwijs adopted" in output
    assert "Stichting Alfa: ICALT-kijkwijzer adopted" in output
    counts = (Framework.objects.count(), FrameworkVersion.objects.count())
    assert counts == (4, 5)  # two competence frameworks (three versions) and two kijkwijzers
    again = run("--board", world.board_a.authority_number)
    assert "already adopted" in again
    assert (Framework.objects.count(), FrameworkVersion.objects.count()) == counts
    assert not Framework.objects.filter(board=world.board_b).exists()


def test_it_adopts_one_framework_for_all_boards(world: Any) -> None:
    run("--board", "all", "--slug", "school-leader-standard")
    assert sorted(Framework.objects.values_list("board__name", "slug")) == [
        ("Stichting Alfa", "school-leader-standard"),
        ("Stichting Beta", "school-leader-standard"),
    ]


def test_it_fails_loudly_for_an_unknown_board_or_framework(world: Any) -> None:
    with pytest.raises(CommandError, match="No board with authority number"):
        run("--board", "99999")
    with pytest.raises(CommandError):
        run("--board", "all", "--slug", "no-such-framework")
    assert not Framework.objects.exists()


def test_it_reports_a_board_whose_own_framework_has_the_code(world: Any) -> None:
    Framework.objects.create(board=world.board_a, slug="teacher-competences", name="Eigen")
    with pytest.raises(CommandError, match="could not be adopted"):
        run("--board", world.board_a.authority_number, "--slug", "teacher-competences")
