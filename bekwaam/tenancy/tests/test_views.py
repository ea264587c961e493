"""The administrator's pages for people: forms keep what was typed, errors are clear, bad input never crashes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from bekwaam.tenancy.models import Employment, Role, RoleGrant
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, TeamFactory

pytestmark = pytest.mark.django_db


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def invite_form(world: Any, **overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_name": "Nina",
        "family_name": "Nieuwelinge",
        "email": "nina@alfa.nl",
        "school": world.school_a.pk,
        "function": "teacher",
        "personnel_number": "N-77",
        "start_date": "2024-08-01",
        "fte": "0.8",
    }
    data.update(overrides)
    return data


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- inviting -------------------------------------------------------------------------------------


def test_it_invites_and_opens_the_new_person(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/board/people/invite/", invite_form(world))
    person = get_user_model().objects.get(email="nina@alfa.nl")
    assert response.status_code == 302
    assert response["Location"] == f"/board/people/{person.pk}/"
    assert [m.to for m in mail.outbox] == [["nina@alfa.nl"]]
    page = client.get(response["Location"])
    assert messages_of(page) == [dutch("An invitation has been sent to %(email)s.") % {"email": "nina@alfa.nl"}]


def test_it_keeps_what_was_typed_when_the_email_is_taken(world: Any, client_for: Any) -> None:
    before = Employment.objects.count()
    response = client_for(world.administrator).post(
        "/board/people/invite/", invite_form(world, email=world.teacher.email, personnel_number="TYPED-1")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        dutch("This e-mail address already belongs to someone at your board.")
    ]
    content = response.content.decode()
    assert 'value="Nieuwelinge"' in content
    assert 'value="TYPED-1"' in content
    assert Employment.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", "31-02-2024"),
        ("start_date", "gisteren"),
        ("fte", "1,5x"),
        ("fte", "9"),
        ("school", "999999"),
        ("school", "not-a-number"),
        ("email", "geen-adres"),
        ("function", "headmaster"),
        ("manager", "00000000-0000-0000-0000-000000000000"),
        ("team", "abc"),
    ],
)
def test_it_shows_a_message_for_bad_input_and_writes_nothing(
    world: Any, client_for: Any, field: str, value: str
) -> None:
    before = (get_user_model().objects.count(), Employment.objects.count())
    response = client_for(world.administrator).post("/board/people/invite/", invite_form(world, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (get_user_model().objects.count(), Employment.objects.count()) == before


def test_it_does_not_offer_schools_of_another_board(world: Any, client_for: Any) -> None:
    response = client_for(world.administrator).post(
        "/board/people/invite/", invite_form(world, school=str(world.school_b.pk))
    )
    assert "school" in response.context["form"].errors
    assert world.school_b.name not in response.content.decode()


def test_it_refuses_a_team_of_another_school(world: Any, client_for: Any) -> None:
    team = TeamFactory(school=world.school_a2)
    response = client_for(world.administrator).post("/board/people/invite/", invite_form(world, team=str(team.pk)))
    assert response.context["form"].errors["team"] == [dutch("This team belongs to another school.")]


# --- ending an employment -------------------------------------------------------------------------


def test_it_refuses_an_end_date_before_the_start_with_a_message(world: Any, client_for: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    response = client_for(world.administrator).post(
        f"/board/employments/{employment.pk}/end/", {"end_date": "2019-01-01"}
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert 'value="2019-01-01"' in response.content.decode()
    employment.refresh_from_db()
    assert employment.end_date is None


@pytest.mark.parametrize("value", ["", "morgen", "2024-13-01"])
def test_it_refuses_a_malformed_end_date(world: Any, client_for: Any, value: str) -> None:
    employment = Employment.objects.get(person=world.teacher)
    response = client_for(world.administrator).post(f"/board/employments/{employment.pk}/end/", {"end_date": value})
    assert response.status_code == 200
    employment.refresh_from_db()
    assert employment.end_date is None


def test_it_ends_an_employment_and_returns_to_the_person(world: Any, client_for: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    response = client_for(world.administrator).post(
        f"/board/employments/{employment.pk}/end/", {"end_date": "2030-07-31"}
    )
    assert response["Location"] == f"/board/people/{world.teacher.pk}/"
    employment.refresh_from_db()
    assert str(employment.end_date) == "2030-07-31"


# --- granting and revoking roles ------------------------------------------------------------------


def test_it_asks_for_a_school_when_granting_a_school_role(world: Any, client_for: Any) -> None:
    response = client_for(world.administrator).post(
        f"/board/people/{world.colleague.pk}/roles/", {"role": Role.MANAGER, "school": ""}
    )
    assert response.status_code == 400
    assert response.context["grant_form"].errors["school"] == [dutch("Choose the school where this role applies.")]
    assert not RoleGrant.objects.filter(person=world.colleague).exists()


def test_it_shows_a_duplicate_grant_on_the_form(world: Any, client_for: Any) -> None:
    response = client_for(world.administrator).post(
        f"/board/people/{world.quality_officer.pk}/roles/", {"role": Role.QUALITY_OFFICER}
    )
    assert response.status_code == 400
    assert "role" in response.context["grant_form"].errors
    assert RoleGrant.objects.filter(person=world.quality_officer).count() == 1


@pytest.mark.parametrize("role", ["coach", "superuser", ""])
def test_it_refuses_roles_not_on_offer(world: Any, client_for: Any, role: str) -> None:
    response = client_for(world.administrator).post(f"/board/people/{world.teacher.pk}/roles/", {"role": role})
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(person=world.teacher).exists()


def test_it_offers_to_remove_others_roles_but_not_the_own_administrator_role(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    own = RoleGrant.objects.get(person=world.administrator)
    other = RoleGrant.objects.get(person=world.quality_officer)
    assert (
        f"/board/roles/{own.pk}/revoke/" not in client.get(f"/board/people/{world.administrator.pk}/").content.decode()
    )
    assert (
        f"/board/roles/{other.pk}/revoke/" in client.get(f"/board/people/{world.quality_officer.pk}/").content.decode()
    )


def test_it_refuses_to_revoke_the_own_administrator_role(world: Any, client_for: Any) -> None:
    own = RoleGrant.objects.get(person=world.administrator)
    response = client_for(world.administrator).post(f"/board/roles/{own.pk}/revoke/")
    assert response.status_code == 403
    assert RoleGrant.objects.filter(pk=own.pk).exists()


def test_it_revokes_a_role_with_a_message(world: Any, client_for: Any) -> None:
    grant = RoleGrantFactory(person=world.teacher, board=world.board_a, role=Role.BOARD_MEMBER)
    client = client_for(world.administrator)
    response = client.post(f"/board/roles/{grant.pk}/revoke/", follow=True)
    assert messages_of(response) == [dutch("The role has been removed.")]
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


# --- finding people -------------------------------------------------------------------------------


def listed(response: Any) -> set[str]:
    return {person.email for person in response.context["page"]}


def test_it_searches_by_name_email_and_personnel_number(world: Any, client_for: Any) -> None:
    client = client_for(world.administrator)
    number = Employment.objects.get(person=world.colleague).personnel_number
    assert listed(client.get("/board/people/", {"q": "leraar"})) == {world.teacher.email}
    assert listed(client.get("/board/people/", {"q": "collega@alfa"})) == {world.colleague.email}
    assert listed(client.get("/board/people/", {"q": number})) == {world.colleague.email}
    assert listed(client.get("/board/people/", {"q": "Buiten"})) == set()  # board B's teacher


def test_it_filters_by_school(world: Any, client_for: Any) -> None:
    elsewhere = PersonFactory(email="tweede@alfa.nl")
    EmploymentFactory(person=elsewhere, school=world.school_a2)
    response = client_for(world.administrator).get("/board/people/", {"school": world.school_a2.pk})
    assert listed(response) == {elsewhere.email}


@pytest.mark.parametrize(
    "query", [{"school": "abc"}, {"school": "999999"}, {"page": "abc"}, {"page": "-1"}, {"q": "x" * 500}]
)
def test_it_survives_bad_search_input(world: Any, client_for: Any, query: dict[str, str]) -> None:
    response = client_for(world.administrator).get("/board/people/", query)
    assert response.status_code == 200


def test_it_answers_htmx_with_the_rows_only(world: Any, client_for: Any) -> None:
    response = client_for(world.administrator).get("/board/people/", {"q": "leraar"}, headers={"HX-Request": "true"})
    assert response.templates[0].name == "tenancy/_person_rows.html"
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "99"])
def test_it_survives_a_bad_page_number_on_a_school(world: Any, client_for: Any, page: str) -> None:
    response = client_for(world.administrator).get(f"/board/schools/{world.school_a.pk}/", {"page": page})
    assert response.status_code == 200


def test_it_returns_to_the_people_list_when_the_revoked_role_was_the_only_link(world: Any, client_for: Any) -> None:
    grant = RoleGrant.objects.get(person=world.quality_officer)
    response = client_for(world.administrator).post(f"/board/roles/{grant.pk}/revoke/")
    assert response["Location"] == "/board/people/"
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_it_returns_to_the_person_when_they_still_work_here(world: Any, client_for: Any) -> None:
    grant = RoleGrant.objects.get(person=world.manager)
    response = client_for(world.administrator).post(f"/board/roles/{grant.pk}/revoke/")
    assert response["Location"] == f"/board/people/{world.manager.pk}/"


@pytest.mark.parametrize("path", ["/board/", "/board/people/", "/audit/changes/", "/audit/changes.csv"])
def test_it_refuses_post_on_read_only_pages(world: Any, client_for: Any, path: str) -> None:
    assert client_for(world.administrator).post(path).status_code == 405


def test_it_takes_the_team_away_from_a_leader_who_left(world: Any, client_for: Any) -> None:
    import datetime

    from django.utils import timezone

    Employment.objects.filter(person=world.manager).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    assert client_for(world.manager).get("/team/").status_code == 403


def test_it_refuses_to_move_the_end_of_an_ended_employment(world: Any, client_for: Any) -> None:
    import datetime

    employment = Employment.objects.get(person=world.teacher)
    Employment.objects.filter(pk=employment.pk).update(end_date=datetime.date(2024, 7, 31))
    response = client_for(world.administrator).post(
        f"/board/employments/{employment.pk}/end/", {"end_date": "2099-07-31"}
    )
    assert response.status_code == 200
    employment.refresh_from_db()
    assert employment.end_date == datetime.date(2024, 7, 31)
