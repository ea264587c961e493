"""A role that sees others' data is let in only by a session that passed the second factor."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.utils import timezone

from bekwaam.accounts.testing import sign_in
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import PASSWORD, PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db


def test_it_signs_out_a_password_only_session_once_an_authenticator_exists(world: Any) -> None:
    # Signed in with the password before any authenticator existed (e.g. a phished password) ...
    client = sign_in(Client(), world.board_member, second_factor=False)
    Authenticator.objects.filter(user=world.board_member).update(created_at=timezone.now() - datetime.timedelta(days=1))
    # ... that session must not be let in now the real person has set one up elsewhere.
    response = client.get("/board/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/dossier/").status_code == 302  # signed out


def test_it_lets_in_the_session_that_set_up_its_first_authenticator(world: Any) -> None:
    client = sign_in(Client(), world.board_member, second_factor=False)
    # with_totp in conftest made the authenticator just now, after this session signed in.
    Authenticator.objects.filter(user=world.board_member).update(created_at=timezone.now())
    assert client.get("/board/").status_code == 200


def test_it_lets_in_a_session_that_passed_the_code(world: Any) -> None:
    assert sign_in(Client(), world.board_member).get("/board/").status_code == 200


def test_it_refuses_the_right_code_after_ten_wrong_ones() -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    person = PersonFactory(email="gok@alfa.nl")
    RoleGrantFactory(person=person, role=Role.BOARD_MEMBER)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
    TOTP.activate(person, secret)
    client = Client()
    response = client.post("/accounts/login/", {"login": "gok@alfa.nl", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    right = format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _attempt in range(10):
        assert client.post("/accounts/2fa/authenticate/", {"code": wrong}).status_code == 200
    response = client.post("/accounts/2fa/authenticate/", {"code": right})
    assert response.status_code == 200  # refused: too many attempts
    assert client.get("/board/").status_code == 302
