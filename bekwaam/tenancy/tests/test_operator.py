"""The platform operator adds boards and providers and invites their first people."""

from __future__ import annotations

import pytest
from django.core import mail

from bekwaam.accounts.models import Invitation
from bekwaam.tenancy.models import Board, Provider, ProviderRoleGrant, Role, RoleGrant

pytestmark = pytest.mark.django_db

NEW_BOARD = {
    "name": "Stichting Gamma",
    "authority_number": "54321",
    "admin_given_name": "Gert",
    "admin_name_prefix": "van",
    "admin_family_name": "Gamma",
    "admin_email": "gert@gamma.nl",
}


def test_it_creates_a_board_and_invites_its_administrator(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.operator).post("/platform/boards/new/", NEW_BOARD)
    assert response.status_code == 302
    board = Board.objects.get(authority_number="54321")
    grant = RoleGrant.objects.get(board=board)
    assert grant.role == Role.ADMINISTRATOR
    assert grant.person.email == "gert@gamma.nl"
    assert Invitation.objects.get(person=grant.person).board == board
    assert mail.outbox[-1].to == ["gert@gamma.nl"]
    assert "Stichting Gamma" in mail.outbox[-1].subject


def test_it_keeps_the_form_and_writes_nothing_on_a_bad_board_number(world, client_for):
    response = client_for(world.operator).post("/platform/boards/new/", {**NEW_BOARD, "authority_number": "12A45"})
    assert response.status_code == 200
    assert response.context["form"].errors["authority_number"]
    assert b"Stichting Gamma" in response.content  # what was typed is kept
    assert not Board.objects.filter(name="Stichting Gamma").exists()
    assert len(mail.outbox) == 0


def test_it_refuses_a_board_number_in_use(world, client_for):
    data = {**NEW_BOARD, "authority_number": world.board_a.authority_number}
    response = client_for(world.operator).post("/platform/boards/new/", data)
    assert response.status_code == 200
    assert "authority_number" in response.context["form"].errors


def test_it_adds_a_provider_and_invites_an_assessor(world, client_for):
    client = client_for(world.operator)
    response = client.post("/platform/providers/new/", {"name": "Academie Delta"})
    provider = Provider.objects.get(name="Academie Delta")
    assert response["Location"] == f"/platform/providers/{provider.pk}/"
    staff = {
        "role": "assessor",
        "given_name": "Anna",
        "name_prefix": "",
        "family_name": "Delta",
        "email": "anna@delta.nl",
    }
    response = client.post(f"/platform/providers/{provider.pk}/", staff)
    assert response.status_code == 302
    grant = ProviderRoleGrant.objects.get(provider=provider)
    assert grant.role == Role.ASSESSOR
    assert Invitation.objects.get(person=grant.person).provider == provider
    # The same person again is refused with a message, not a crash.
    response = client.post(f"/platform/providers/{provider.pk}/", staff)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


@pytest.mark.parametrize("persona", ["administrator", "board_member", "teacher", "assessor"])
def test_it_keeps_everyone_else_out(world, client_for, persona):
    client = client_for(world.persona(persona))
    assert client.post("/platform/boards/new/", NEW_BOARD).status_code == 403
    assert client.get(f"/platform/providers/{world.provider.pk}/").status_code == 403
    assert not Board.objects.filter(authority_number="54321").exists()
