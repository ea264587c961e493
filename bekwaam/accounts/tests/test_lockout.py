"""Five wrong passwords lock the account (per e-mail address, not per IP address): django-axes."""

from __future__ import annotations

import pytest
from django.test import Client

from bekwaam.tenancy.tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
SCHOOL_IP = "192.0.2.10"  # a whole school behind one public address (NAT)


def _sign_in(email: str, password: str, ip: str = SCHOOL_IP) -> int:
    response = Client(REMOTE_ADDR=ip).post(LOGIN_URL, {"login": email, "password": password})
    return response.status_code


def test_it_locks_an_account_after_five_wrong_passwords_from_any_address_in_any_case() -> None:
    PersonFactory(email="leerkracht@alfa.nl")
    variants = ["leerkracht@alfa.nl", "Leerkracht@alfa.nl", "LEERKRACHT@ALFA.NL", "leerkracht@Alfa.nl"]
    for number, email in enumerate(variants, start=1):
        assert _sign_in(email, "not-the-password", ip=f"198.51.100.{number}") == 200

    assert _sign_in("leerkracht@alfa.nl", "not-the-password", ip="198.51.100.99") == 429
    # Locked: even the right password is refused until the cool-off ends.
    response = Client(REMOTE_ADDR="203.0.113.7").post(LOGIN_URL, {"login": "leerkracht@alfa.nl", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]


def test_it_does_not_lock_colleagues_who_share_the_schools_ip_address() -> None:
    PersonFactory(email="leerkracht@alfa.nl")
    PersonFactory(email="collega@alfa.nl")
    for _attempt in range(5):
        _sign_in("leerkracht@alfa.nl", "not-the-password")

    assert _sign_in("collega@alfa.nl", PASSWORD) == 302


def test_it_forgets_earlier_failures_after_a_successful_sign_in() -> None:
    PersonFactory(email="leerkracht@alfa.nl")
    for _attempt in range(4):
        _sign_in("leerkracht@alfa.nl", "not-the-password")
    assert _sign_in("leerkracht@alfa.nl", PASSWORD) == 302

    assert _sign_in("leerkracht@alfa.nl", "not-the-password") == 200
