"""Authorization matrix cases for the API (its own part): the insights pages' rules, as JSON.

DRF answers 403 to an anonymous request (session authentication has no sign-in page to send to) and 403 to
a signed-in person without the rule; a school of another board is not found (404), as on the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from bekwaam.tenancy.tests.matrix import DENIED, INVALID, SIGNED_IN, Case, World, at, expect

BOARD_VIEWERS = ("board_member", "quality_officer")
SCHOOL_A_VIEWERS = ("board_member", "quality_officer", "manager")


def school_id(persona: str) -> Callable[[World], Any]:
    return lambda world: world.persona(persona).pk


MATRIX: dict[str, list[Case]] = {
    "api:insights-board": [
        Case(at("api:insights-board"), expect(ok=BOARD_VIEWERS, anonymous=DENIED)),
        Case(
            lambda w: reverse("api:insights-board") + f"?person={w.teacher.pk}",
            expect(anonymous=DENIED) | dict.fromkeys(BOARD_VIEWERS, INVALID),
            label="a person",
        ),
    ],
    "api:insights-school": [
        Case(
            at("api:insights-school", school_id=school_id("school_a")),
            expect(ok=SCHOOL_A_VIEWERS, anonymous=DENIED),
            label="school_a",
        ),
        Case(
            at("api:insights-school", school_id=school_id("school_a2")),
            expect(ok=BOARD_VIEWERS, not_found=("manager",), anonymous=DENIED),
            label="school_a2",
        ),
        Case(
            at("api:insights-school", school_id=school_id("school_b")),
            expect(not_found=SCHOOL_A_VIEWERS, anonymous=DENIED),
            label="school of board B",
        ),
    ],
    "api:insights-team": [
        Case(at("api:insights-team"), expect(ok=("manager",), anonymous=DENIED)),
        Case(
            lambda w: reverse("api:insights-team") + f"?team={w.board_member.pk}",
            expect(anonymous=DENIED) | {"manager": INVALID},
            label="someone else's team",
        ),
    ],
    "api:schema": [Case(at("api:schema"), expect(ok=SIGNED_IN, anonymous=DENIED))],
}
