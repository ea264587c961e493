"""Authorization matrix cases for the team, school and board figures (merged by matrix_cases.py).

- insights:team and its CSV: a leidinggevende (the manager persona), their own team only; 403 for the rest.
- insights:board, its CSV and PDF: bestuurder and kwaliteitsmedewerker of board A; 403 for the rest (the
  beheerder included: figures are not theirs to read).
- insights:school and its CSV: board viewers for every school of their board, the schoolleider of school_a
  for school_a only (404 for school_a2); board B's school is not found (404) for board A's viewers.
- insights:board_refresh: POST only; it runs a refresh (the tasks run immediately in tests), which is the
  state that must change for the board viewers and nobody else.
- Parameters that would narrow a group (a person, a team, a school) are refused with 400 for whoever may see
  the page; a school year that is not one is 400 as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from bekwaam.insights.models import RefreshRun
from bekwaam.tenancy.tests.matrix import EVERYONE, INVALID, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect

BOARD_VIEWERS = ("board_member", "quality_officer")
SCHOOL_A_VIEWERS = ("board_member", "quality_officer", "manager")
POST_ONLY = dict.fromkeys(EVERYONE, NOT_ALLOWED)

BOARD_PAGE = expect(ok=BOARD_VIEWERS)
TEAM_PAGE = expect(ok=("manager",))
SCHOOL_A = expect(ok=SCHOOL_A_VIEWERS)
SCHOOL_A2 = expect(ok=BOARD_VIEWERS, not_found=("manager",))
SCHOOL_B = expect(not_found=SCHOOL_A_VIEWERS)  # board A's viewers look in board A: not found; the rest have no rule


def with_query(name: str, query: Callable[[World], str], **kwargs: Callable[[World], Any]) -> Callable[[World], str]:
    def build(world: World) -> str:
        return reverse(name, kwargs={key: value(world) for key, value in kwargs.items()}) + "?" + query(world)

    return build


def refresh_runs(world: World) -> object:
    return RefreshRun.objects.filter(board=world.board_a).count()


def school_id(persona: str) -> Callable[[World], Any]:
    return lambda world: world.persona(persona).pk


MATRIX: dict[str, list[Case]] = {
    "insights:team": [
        Case(at("insights:team"), TEAM_PAGE),
        Case(
            with_query("insights:team", lambda w: f"person={w.teacher.pk}"),
            expect(ok=(), others="denied") | {"manager": INVALID},
            label="a person narrowing the team",
        ),
        Case(
            with_query("insights:team", lambda w: "year=twintig"),
            expect(ok=(), others="denied") | {"manager": INVALID},
            label="a school year that is not one",
        ),
    ],
    "insights:team_csv": [
        Case(at("insights:team_csv"), TEAM_PAGE),
        Case(
            with_query("insights:team_csv", lambda w: f"team={w.board_member.pk}"),
            expect(ok=(), others="denied") | {"manager": INVALID},
            label="someone else's team",
        ),
    ],
    "insights:board": [
        Case(at("insights:board"), BOARD_PAGE),
        Case(
            with_query("insights:board", lambda w: f"school={w.school_a.pk}"),
            expect(ok=(), others="denied") | dict.fromkeys(BOARD_VIEWERS, INVALID),
            label="a school as a parameter",
        ),
    ],
    "insights:board_csv": [
        Case(at("insights:board_csv"), BOARD_PAGE),
        Case(
            with_query("insights:board_csv", lambda w: f"person={w.teacher.pk}"),
            expect(ok=(), others="denied") | dict.fromkeys(BOARD_VIEWERS, INVALID),
            label="a person",
        ),
    ],
    "insights:board_pdf": [Case(at("insights:board_pdf"), BOARD_PAGE)],
    "insights:board_refresh": [
        Case(at("insights:board_refresh"), POST_ONLY),
        Case(
            at("insights:board_refresh"),
            BOARD_PAGE,
            method="post",
            state=refresh_runs,
            changes=BOARD_VIEWERS,
        ),
    ],
    "insights:school": [
        Case(at("insights:school", school_id=school_id("school_a")), SCHOOL_A, label="school_a"),
        Case(at("insights:school", school_id=school_id("school_a2")), SCHOOL_A2, label="school_a2"),
        Case(at("insights:school", school_id=school_id("school_b")), SCHOOL_B, label="school of board B"),
        Case(at("insights:school", school_id=lambda w: 999_999), expect(not_found=SCHOOL_A_VIEWERS), label="none"),
        Case(
            with_query("insights:school", lambda w: f"person={w.teacher.pk}", school_id=school_id("school_a")),
            expect(ok=(), others="denied") | dict.fromkeys(SCHOOL_A_VIEWERS, INVALID),
            label="a person",
        ),
    ],
    "insights:school_csv": [
        Case(at("insights:school_csv", school_id=school_id("school_a")), SCHOOL_A, label="school_a"),
        Case(at("insights:school_csv", school_id=school_id("school_a2")), SCHOOL_A2, label="school_a2"),
        Case(at("insights:school_csv", school_id=school_id("school_b")), SCHOOL_B, label="school of board B"),
    ],
}

__all__ = ["MATRIX", "NOT_FOUND"]
