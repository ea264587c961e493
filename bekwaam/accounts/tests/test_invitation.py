"""Accepting an invitation, resetting a password, the lockout page and the closed sign-up, through the test client."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.accounts.models import Invitation
from bekwaam.accounts.tasks import send_invitation_email
from bekwaam.tenancy import services
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zonnebloem-lokaal-7b"
LINK = re.compile(r"https?://[^/\s]+(/invitation/[^/\s]+/)")


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


@pytest.fixture
def invited(world: Any, django_capture_on_commit_callbacks: Any) -> tuple[Any, str]:
    """A person invited by board A's administrator, and the path of the link in their e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        result = services.person_invite(
            actor=actor_for(world.administrator, None),
            email="nina@alfa.nl",
            given_name="Nina",
            name_prefix="",
            family_name="Nieuw",
            school=world.school_a,
            function="teacher",
            personnel_number="N-1",
            start_date=datetime.date(2024, 8, 1),
        )
    (message,) = mail.outbox
    match = LINK.search(message.body)
    assert match, message.body
    return result.person, match.group(1)


def errors_of(response: Any, field: str) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def test_it_shows_the_invitation_with_the_board_and_address(invited: tuple[Any, str]) -> None:
    _person, path = invited
    response = Client().get(path)
    assert response.status_code == 200
    assert b"Stichting Alfa" in response.content
    assert b"nina@alfa.nl" in response.content


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("password123", "password_too_common"),
        ("Kort-1x", "password_too_short"),
        ("8405920384", "password_entirely_numeric"),
        ("nina@alfa.nl", "password_too_similar"),
    ],
)
def test_it_refuses_weak_passwords_with_a_message_and_changes_nothing(
    invited: tuple[Any, str], password: str, code: str
) -> None:
    person, path = invited
    response = Client().post(path, {"password1": password, "password2": password})
    assert response.status_code == 200
    assert code in errors_of(response, "password1")
    assert response.context["form"].errors["password1"][0] in response.content.decode()
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert Invitation.objects.get(person=person).accepted_at is None
    assert Client().get(path).status_code == 200  # the link still works


def test_it_refuses_two_different_passwords(invited: tuple[Any, str]) -> None:
    person, path = invited
    response = Client().post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == [dutch("The two passwords are not the same.")]
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_it_sets_the_password_signs_in_and_spends_the_link(invited: tuple[Any, str]) -> None:
    person, path = invited
    client = Client()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/dossier/"  # signed in, as a teacher of board A
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(person=person).accepted_at is not None

    again = Client().get(path)
    assert again.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in again.templates]
    # A used link cannot set a password either.
    Client().post(path, {"password1": "Ander-wachtwoord-99", "password2": "Ander-wachtwoord-99"})
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_it_lets_the_person_sign_in_after_accepting(invited: tuple[Any, str]) -> None:
    _person, path = invited
    Client().post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client = Client()
    response = client.post("/accounts/login/", {"login": "nina@alfa.nl", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/dossier/").status_code == 200


def test_it_refuses_an_expired_link(invited: tuple[Any, str]) -> None:
    person, path = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15), tick=False):
        response = Client().get(path)
        assert response.status_code == 404
        assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
        Client().post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_it_accepts_a_link_on_its_last_day(invited: tuple[Any, str]) -> None:
    _person, path = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(days=13, hours=23), tick=False):
        assert Client().get(path).status_code == 200


def test_it_refuses_an_unknown_link() -> None:
    response = Client().get("/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert dutch("Invitation not valid").encode() in response.content


def test_it_replaces_the_link_when_the_email_is_sent_again(
    invited: tuple[Any, str], django_capture_on_commit_callbacks: Any
) -> None:
    person, old_path = invited
    invitation = Invitation.objects.get(person=person)
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation_email.enqueue(invitation_id=str(invitation.pk))
    match = LINK.search(mail.outbox[-1].body)
    assert match
    assert match.group(1) != old_path
    assert Client().get(old_path).status_code == 404
    assert Client().get(match.group(1)).status_code == 200


# --- password reset through allauth ---------------------------------------------------------------


def test_it_sends_a_password_reset_email(world: Any) -> None:
    response = Client().post("/accounts/password/reset/", {"email": world.teacher.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[world.teacher.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_it_resets_the_password_through_the_emailed_link(world: Any) -> None:
    Client().post("/accounts/password/reset/", {"email": world.teacher.email})
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert path
    client = Client()
    response = client.get(path.group(1), follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path.group(1)
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(NEW_PASSWORD)


def test_it_refuses_a_common_password_on_reset_too(world: Any) -> None:
    Client().post("/accounts/password/reset/", {"email": world.teacher.email})
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert path
    client = Client()
    response = client.get(path.group(1), follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path.group(1)
    response = client.post(form_path, {"password1": "password123", "password2": "password123"})
    assert response.status_code == 200
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)


# --- lockout and closed sign-up -------------------------------------------------------------------


def test_it_shows_the_dutch_lockout_page_after_five_wrong_passwords(world: Any) -> None:
    client = Client()
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": world.teacher.email, "password": "fout-wachtwoord"})
    response = client.post("/accounts/login/", {"login": world.teacher.email, "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert dutch("Account temporarily locked") in page
    assert dutch("Account temporarily locked") != "Account temporarily locked"  # translated, not the msgid
    assert "/accounts/password/reset/" in page
    assert "_auth_user_id" not in client.session


def test_it_keeps_sign_up_closed() -> None:
    client = Client()
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    client.post("/accounts/signup/", {"email": "zelf@example.nl", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not get_user_model().objects.filter(email="zelf@example.nl").exists()


def test_it_does_not_revive_a_switched_off_account(world, client_for, django_capture_on_commit_callbacks):
    from bekwaam.accounts.models import Person

    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.administrator).post(
            "/board/people/invite/",
            {
                "given_name": "Uit",
                "family_name": "Gezet",
                "email": "uit@alfa.nl",
                "school": world.school_a.pk,
                "function": "teacher",
                "personnel_number": "U1",
                "start_date": "2026-08-01",
                "fte": "1",
            },
        )
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitation/" in line)
    Person.objects.filter(email="uit@alfa.nl").update(is_active=False)
    path = link[link.index("/invitation/") :]
    response = Client().post(
        path, {"password1": "een-lang-en-sterk-wachtwoord", "password2": "een-lang-en-sterk-wachtwoord"}
    )
    assert response.status_code == 404
    assert not Person.objects.get(email="uit@alfa.nl").is_active


def test_it_writes_names_in_e_mails_as_they_are(world, client_for, django_capture_on_commit_callbacks):
    world.board_a.name = "Stichting 's-Hertogenbosch & Omstreken"
    world.board_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.administrator).post(
            "/board/people/invite/",
            {
                "given_name": "D'Arcy",
                "family_name": "Test",
                "email": "darcy@alfa.nl",
                "school": world.school_a.pk,
                "function": "teacher",
                "personnel_number": "D1",
                "start_date": "2026-08-01",
                "fte": "1",
            },
        )
    assert "'s-Hertogenbosch & Omstreken" in mail.outbox[-1].subject
    assert "D'Arcy" in mail.outbox[-1].body
