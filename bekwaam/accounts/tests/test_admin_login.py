"""The admin has no second factor of its own: its login goes through allauth (with MFA)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_the_admin_login_through_allauth(world, client):
    response = client.post("/admin/login/", {"username": world.operator.email, "password": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_opens_the_admin_for_the_operator_only(world, client_for):
    assert client_for(world.operator).get("/admin/").status_code == 200


def test_it_keeps_board_staff_out_of_the_admin(world, client_for):
    response = client_for(world.administrator).get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
