"""Each level lands on its own home page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("administrator", "/board/"),
        ("board_member", "/board/"),
        ("quality_officer", "/board/"),
        ("manager", "/team/"),
        ("teacher", "/dossier/"),
        ("assessor", "/provider/"),
        ("coach", "/provider/"),
        ("operator", "/platform/"),
    ],
)
def test_it_sends_each_role_to_their_home(world, client_for, persona, target):
    response = client_for(world.persona(persona)).get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_board_home_with_schools(world, client_for):
    response = client_for(world.administrator).get("/board/")
    assert response.status_code == 200
    assert b"De Alfaschool" in response.content
    assert b"De Betaschool" not in response.content


def test_it_shows_the_manager_their_team(world, client_for):
    response = client_for(world.manager).get("/team/")
    assert response.status_code == 200
    assert b"Leraar, Tom" in response.content
    assert b"Buiten" not in response.content


def test_it_shows_the_teacher_an_empty_dossier(world, client_for):
    response = client_for(world.teacher).get("/dossier/")
    assert response.status_code == 200
    assert response.context["employments"][0].school == world.school_a
