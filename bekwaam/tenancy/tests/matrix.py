"""The authorization matrix's machinery, shared by the apps that add their own cases.

Each app with pages keeps its cases in `<app>/tests/matrix_cases.py` as a `MATRIX` dict (URL name →
cases); bekwaam/tenancy/tests/test_authorization_matrix.py merges them and walks them all. The
outcomes and the `Case` fields are explained in that module's docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from bekwaam.accounts.testing import sign_in
from conftest import PERSONAS

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONAS)
SIGNED_IN = PERSONAS
# Third-party pages classified in bulk are sent by a sample: nobody, the strongest board role,
# a plain employee and the operator (the outcome table still names everyone).
SAMPLE = (ANONYMOUS, "administrator", "teacher", "operator")

OK, DENIED, NOT_FOUND, NOT_ALLOWED, INVALID, LOGIN, ADMIN_LOGIN, MFA, ANY = (
    "ok",
    "denied",
    "not_found",
    "not_allowed",
    "invalid",
    "login",
    "admin_login",
    "mfa",
    "any",
)

World = Any
Expect = dict[str, str]


def expect(
    *,
    ok: tuple[str, ...] = (),
    not_found: tuple[str, ...] = (),
    others: str = DENIED,
    anonymous: str = LOGIN,
) -> Expect:
    """One outcome per persona: the named ones, `others` for the rest of the signed-in personas."""
    unknown = (set(ok) | set(not_found)) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    table = {persona: others for persona in PERSONAS}
    table.update(dict.fromkeys(ok, OK))
    table.update(dict.fromkeys(not_found, NOT_FOUND))
    table[ANONYMOUS] = anonymous
    return table


def same_for_everyone(outcome: str) -> Expect:
    return dict.fromkeys(EVERYONE, outcome)


@dataclass(frozen=True)
class Case:
    """One request to make as every persona, and what each of them must get."""

    url: Callable[[World], str]
    expect: Expect
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    # Read before and after a request: unchanged unless the persona is in `changes`.
    state: Callable[[World], object] | None = None
    changes: tuple[str, ...] = ()
    label: str = ""
    # Who to actually send: everyone, or (for third-party pages classified in bulk) a sample.
    personas: tuple[str, ...] = EVERYONE


def at(name: str, **kwargs: Any) -> Callable[[World], str]:
    """A URL builder: kwargs values may be callables of the world (e.g. a person id of board A)."""

    def build(world: World) -> str:
        return reverse(name, kwargs={k: v(world) if callable(v) else v for k, v in kwargs.items()})

    return build


def fixed(path: str) -> Callable[[World], str]:
    return lambda world: path


BOARD_VIEWERS = ("administrator", "board_member", "quality_officer", "outsider_admin")
ADMINISTRATORS = ("administrator", "outsider_admin")  # each of their own board
EMPLOYEES = ("manager", "teacher", "colleague", "outsider")
PROVIDER_STAFF = ("assessor", "coach")

# Only the administrator of board A on board A's object; the other board's administrator does not find it.
A_ONLY = expect(ok=("administrator",), not_found=("outsider_admin",))
# The same, for an object of board B.
B_ONLY = expect(ok=("outsider_admin",), not_found=("administrator",))


def outcome_of(response: HttpResponse) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(str(reverse("account_login"))):
            return LOGIN
        if location.startswith(str(reverse("admin:login"))):
            return ADMIN_LOGIN
        if location.startswith(str(reverse("accounts:mfa-required"))):
            return MFA
        return OK
    return {200: OK, 400: INVALID, 403: DENIED, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(status, f"status {status}")


def matches(expected: str, actual: str) -> bool:
    if expected == ANY:
        return not actual.startswith("status 5")
    return expected == actual


def client_as(world: World, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        sign_in(client, world.persona(persona))
    return client


def run_case(world: World, case: Case) -> list[str]:
    """Make the case's request as every persona; return the mismatches, in words."""
    problems: list[str] = []
    url = case.url(world)
    for persona in case.personas:
        data = case.data(world) if case.data else {}  # afresh: an uploaded file is read once
        expected = case.expect[persona]
        with transaction.atomic():
            before = case.state(world) if case.state else None
            response = getattr(client_as(world, persona), case.method)(url, data)
            actual = outcome_of(response)
            after = case.state(world) if case.state else None
            transaction.set_rollback(True)
        where = f"{case.method.upper()} {url} {case.label}".strip()
        if not matches(expected, actual):
            problems.append(f"{where}: {persona} expected {expected}, got {actual} ({response.status_code})")
        if case.state is not None:
            if persona in case.changes and before == after:
                problems.append(f"{where}: {persona} should have changed something and did not")
            if persona not in case.changes and before != after:
                problems.append(f"{where}: {persona} changed something: {before!r} → {after!r}")
    return problems
