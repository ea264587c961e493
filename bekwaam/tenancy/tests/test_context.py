"""Who is acting where: organisations, roles per organisation, switching, and who must use a second factor."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.tenancy.context import actor_for, organisations_of, person_requires_mfa
from bekwaam.tenancy.middleware import SESSION_KEY
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.roles import EMPLOYEE
from bekwaam.tenancy.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    ProviderRoleGrantFactory,
    RoleGrantFactory,
    SchoolFactory,
    with_totp,
)

pytestmark = pytest.mark.django_db


def dutch(msgid: str) -> str:
    """The message as people see it (Dutch is the default language)."""
    with translation.override("nl"):
        return gettext(msgid)


def key(kind: str, organisation: Any) -> str:
    return f"{kind}:{organisation.pk}"


@pytest.fixture
def commuter(world: Any) -> Any:
    """A teacher at board A who is also quality officer at board B (so with a second factor)."""
    person = with_totp(PersonFactory(email="pendel@alfa.nl"))
    EmploymentFactory(person=person, school=world.school_a)
    RoleGrantFactory(person=person, board=world.board_b, role=Role.QUALITY_OFFICER)
    return person


# --- organisations_of / actor_for -----------------------------------------------------------------


def test_it_lists_every_board_and_provider_a_person_belongs_to(world: Any, commuter: Any) -> None:
    ProviderRoleGrantFactory(person=commuter, provider=world.provider, role=Role.COACH)
    keys = {o.key for o in organisations_of(commuter)}
    assert keys == {key("board", world.board_a), key("board", world.board_b), key("provider", world.provider)}


def test_it_gives_roles_per_organisation(world: Any, commuter: Any) -> None:
    at_a = actor_for(commuter, key("board", world.board_a))
    at_b = actor_for(commuter, key("board", world.board_b))
    assert at_a.board_id == world.board_a.pk
    assert at_a.roles == {EMPLOYEE}
    assert at_b.board_id == world.board_b.pk
    assert at_b.roles == {Role.QUALITY_OFFICER}
    assert len(at_a.organisations) == 2  # the switcher shows both


def test_it_falls_back_to_the_first_organisation_for_an_unknown_key(world: Any, commuter: Any) -> None:
    actor = actor_for(commuter, "board:999999")
    assert actor.organisation == organisations_of(commuter)[0]


def test_it_gives_a_single_board_person_no_switcher(world: Any) -> None:
    assert len(actor_for(world.teacher, None).organisations) == 1


def test_it_ignores_ended_and_future_employments(world: Any) -> None:
    today = timezone.localdate()
    person = PersonFactory(email="tijdelijk@alfa.nl")
    EmploymentFactory(
        person=person,
        school=world.school_a,
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=1),
    )
    EmploymentFactory(person=person, school=world.school_b, start_date=today + datetime.timedelta(days=30))
    actor = actor_for(person, None)
    assert actor.organisation is None
    assert actor.roles == frozenset()


def test_it_makes_a_named_manager_a_manager_without_a_grant(world: Any) -> None:
    leader = PersonFactory(email="leider@alfa.nl")
    EmploymentFactory(person=leader, school=world.school_a2, function="school_leader")
    EmploymentFactory(school=world.school_a2, manager=leader)
    actor = actor_for(leader, None)
    assert Role.MANAGER in actor.roles
    assert actor.managed_school_ids == frozenset()  # leads their own people, not the whole school


def test_it_limits_the_school_leader_grant_to_their_school(world: Any) -> None:
    actor = actor_for(world.manager, None)
    assert actor.managed_school_ids == {world.school_a.pk}


def test_it_gives_the_operator_no_organisation(world: Any) -> None:
    actor = actor_for(world.operator, None)
    assert actor.organisation is None
    assert actor.is_operator


# --- switching organisation -----------------------------------------------------------------------


def test_it_switches_to_another_board_of_the_person(world: Any, commuter: Any, client_for: Any) -> None:
    client = client_for(commuter)
    assert client.get("/")["Location"] == "/dossier/"
    response = client.post("/organisation/switch/", {"organisation": key("board", world.board_b)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == key("board", world.board_b)
    assert client.get("/")["Location"] == "/board/"  # a quality officer at board B


@pytest.mark.parametrize("persona", ["teacher", "administrator", "outsider_admin"])
def test_it_refuses_to_switch_to_a_board_the_person_does_not_belong_to(
    world: Any, client_for: Any, persona: str
) -> None:
    client = client_for(world.persona(persona))
    other = world.board_b if persona != "outsider_admin" else world.board_a
    response = client.post("/organisation/switch/", {"organisation": key("board", other)}, follow=True)
    assert SESSION_KEY not in client.session
    assert [str(m) for m in response.context["messages"]] == [dutch("You do not work at that organisation.")]
    # Nothing of the other board shows: its people stay not found.
    victim = world.outsider if persona != "outsider_admin" else world.teacher
    assert client.get(f"/board/people/{victim.pk}/").status_code in (403, 404)


def test_it_ignores_a_forged_session_key(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    session = client.session
    session[SESSION_KEY] = key("board", world.board_b)
    session.save()
    response = client.get("/board/")
    assert response.context["board"] == world.board_a
    assert client.get(f"/board/people/{world.outsider.pk}/").status_code == 404


# --- who needs a second factor --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.BOARD_MEMBER, Role.QUALITY_OFFICER])
def test_it_requires_mfa_for_board_roles(world: Any, role: str) -> None:
    person = PersonFactory(email=f"{role}@mfa.nl")
    RoleGrantFactory(person=person, board=world.board_a, role=role)
    assert person_requires_mfa(person)


def test_it_requires_mfa_for_a_school_leader_grant(world: Any) -> None:
    person = PersonFactory(email="schoolleider@mfa.nl")
    RoleGrantFactory(person=person, board=world.board_a, school=world.school_a2, role=Role.MANAGER)
    assert person_requires_mfa(person)


@pytest.mark.parametrize("role", [Role.COACH, Role.ASSESSOR])
def test_it_requires_mfa_for_provider_roles(world: Any, role: str) -> None:
    person = PersonFactory(email=f"{role}@mfa.nl")
    ProviderRoleGrantFactory(person=person, provider=world.provider, role=role)
    assert person_requires_mfa(person)


def test_it_requires_mfa_for_a_manager_named_on_an_active_employment(world: Any) -> None:
    leader = PersonFactory(email="leider@mfa.nl")
    EmploymentFactory(school=world.school_a, manager=leader)
    assert person_requires_mfa(leader)


def test_it_does_not_require_mfa_for_a_manager_of_ended_employments_only(world: Any) -> None:
    leader = PersonFactory(email="oud-leider@mfa.nl")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    EmploymentFactory(school=world.school_a, manager=leader, end_date=yesterday)
    assert not person_requires_mfa(leader)


def test_it_requires_mfa_for_the_operator(world: Any) -> None:
    assert person_requires_mfa(world.operator)


@pytest.mark.parametrize("persona", ["teacher", "colleague", "outsider"])
def test_it_does_not_require_mfa_for_a_plain_employee(world: Any, persona: str) -> None:
    assert not person_requires_mfa(world.persona(persona))


# --- RequireMfaMiddleware -------------------------------------------------------------------------


@pytest.fixture
def admin_without_totp(world: Any) -> Any:
    person = PersonFactory(email="nieuw-beheer@alfa.nl")
    RoleGrantFactory(person=person, board=world.board_a, role=Role.ADMINISTRATOR)
    assert not Authenticator.objects.filter(user=person).exists()
    return person


@pytest.mark.parametrize("path", ["/", "/board/", "/board/people/", "/audit/changes/", "/dossier/", "/platform/"])
def test_it_sends_an_administrator_without_totp_to_set_it_up(
    admin_without_totp: Any, client_for: Any, path: str
) -> None:
    response = client_for(admin_without_totp).get(path)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa-required/"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/accounts/mfa-required/", 200),
        ("/accounts/2fa/", 200),
        ("/accounts/logout/", 200),
        ("/health/", 200),
        ("/invitation/unknown-token/", 404),
    ],
)
def test_it_lets_an_administrator_without_totp_reach_the_allowed_pages(
    admin_without_totp: Any, client_for: Any, path: str, status: int
) -> None:
    assert client_for(admin_without_totp).get(path).status_code == status


def test_it_lets_an_administrator_without_totp_switch_language(admin_without_totp: Any, client_for: Any) -> None:
    response = client_for(admin_without_totp).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_lets_the_administrator_in_once_totp_is_set_up(admin_without_totp: Any, client_for: Any) -> None:
    with_totp(admin_without_totp)
    assert client_for(admin_without_totp).get("/board/").status_code == 200


def test_it_does_not_ask_a_plain_teacher_for_totp(world: Any, client_for: Any) -> None:
    assert client_for(world.teacher).get("/dossier/").status_code == 200


def test_it_asks_a_new_school_leader_for_totp_when_someone_is_placed_under_them(world: Any, client_for: Any) -> None:
    client = client_for(world.colleague)
    assert client.get("/dossier/").status_code == 200
    EmploymentFactory(school=SchoolFactory(board=world.board_a), manager=world.colleague)
    assert client.get("/dossier/")["Location"] == "/accounts/mfa-required/"
