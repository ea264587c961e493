"""Dutch by default, English when chosen; the choice is remembered."""

from __future__ import annotations

import pytest

from bekwaam.accounts.testing import sign_in

pytestmark = pytest.mark.django_db


def test_it_speaks_dutch_even_to_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert b'lang="nl"' in response.content


def test_it_switches_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert b'lang="en"' in client.get("/accounts/login/").content
    client.post("/i18n/setlang/", {"language": "nl", "next": "/accounts/login/"})
    assert b'lang="nl"' in client.get("/accounts/login/").content


def test_it_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert b'lang="nl"' in client.get("/accounts/login/").content


def test_it_remembers_the_choice_on_the_person(world, client_for):
    client = client_for(world.teacher)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    world.teacher.refresh_from_db()
    assert world.teacher.language == "en"
    client.cookies.clear()
    sign_in(client, world.teacher)
    assert client.get("/dossier/")["Content-Language"] == "en"
