"""Services of tenancy (invite, end employment, grant and revoke roles) and the identifiers they validate."""

from __future__ import annotations

import datetime
import re
import string
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekwaam.accounts.models import Invitation
from bekwaam.tenancy import selectors, services
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Employment, Role, RoleGrant
from bekwaam.tenancy.tests.factories import PersonFactory, RoleGrantFactory, with_totp
from bekwaam.tenancy.validators import normalize_brin, validate_authority_number, validate_brin

pytestmark = pytest.mark.django_db


def actor(person: Any) -> Actor:
    return actor_for(person, None)


def invite(world: Any, by: Any = None, **overrides: Any) -> services.InviteResult:
    data: dict[str, Any] = {
        "email": "nina.nieuw@alfa.nl",
        "given_name": "Nina",
        "name_prefix": "",
        "family_name": "Nieuw",
        "school": world.school_a,
        "function": "teacher",
        "personnel_number": "N-0001",
        "start_date": datetime.date(2024, 8, 1),
        "fte": Decimal("0.600"),
    }
    data.update(overrides)
    return services.person_invite(actor=actor(by or world.administrator), **data)


def counts() -> tuple[int, int, int]:
    return get_user_model().objects.count(), Employment.objects.count(), Invitation.objects.count()


def error_fields(error: ValidationError) -> set[str]:
    return set(error.message_dict)


# --- person_invite --------------------------------------------------------------------------------


def test_it_invites_a_new_person_with_an_email(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = invite(world)
    assert result.invitation is not None
    assert result.person.email == "nina.nieuw@alfa.nl"
    assert not result.person.has_usable_password()
    assert result.employment.board_id == world.board_a.pk
    assert result.employment.fte == Decimal("0.600")
    assert [m.to for m in mail.outbox] == [["nina.nieuw@alfa.nl"]]
    assert re.search(r"/invitation/[\w-]+/", mail.outbox[0].body)


def test_it_sends_no_email_before_the_transaction_commits(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(world)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_it_normalises_the_email_address(world: Any) -> None:
    result = invite(world, email="  Nina.NIEUW@Alfa.nl ")
    assert result.person.email == "nina.nieuw@alfa.nl"


def test_it_adds_a_person_of_another_board_and_tells_them(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = invite(world, email="LEERKRACHT@beta.nl", given_name="Other", family_name="Name")
    assert result.invitation is None
    assert result.person == world.outsider
    assert result.person.given_name == "Olga"  # an existing account keeps its own name
    assert set(Employment.objects.filter(person=world.outsider).values_list("board_id", flat=True)) == {
        world.board_a.pk,
        world.board_b.pk,
    }
    assert [m.to for m in mail.outbox] == [["leerkracht@beta.nl"]]
    assert "/invitation/" not in mail.outbox[0].body


def test_it_refuses_someone_already_at_the_board(world: Any) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        invite(world, email=world.teacher.email.upper())
    assert error_fields(error.value) == {"email"}
    assert counts() == before


def test_it_allows_inviting_again_someone_whose_employment_ended(world: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    services.employment_end(
        actor=actor(world.administrator), employment=employment, end_date=datetime.date(2024, 7, 31)
    )
    result = invite(world, email=world.teacher.email)
    assert result.person == world.teacher
    assert Employment.objects.filter(person=world.teacher).count() == 2


def test_it_refuses_a_personnel_number_in_use(world: Any) -> None:
    number = Employment.objects.get(person=world.teacher).personnel_number
    before = counts()
    with pytest.raises(ValidationError) as error:
        invite(world, personnel_number=number)
    assert error_fields(error.value) == {"personnel_number"}
    assert counts() == before


def test_it_allows_the_same_personnel_number_at_another_board(world: Any) -> None:
    number = Employment.objects.get(person=world.teacher).personnel_number
    result = invite(world, by=world.outsider_admin, school=world.school_b, personnel_number=number)
    assert result.employment.board_id == world.board_b.pk


def test_it_refuses_a_school_of_another_board(world: Any) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        invite(world, school=world.school_b)
    assert error_fields(error.value) == {"school"}
    assert counts() == before


@pytest.mark.parametrize("persona", ["board_member", "quality_officer", "manager", "teacher", "assessor"])
def test_it_lets_only_an_administrator_invite(world: Any, persona: str) -> None:
    before = counts()
    with pytest.raises(PermissionDenied):
        invite(world, by=world.persona(persona))
    assert counts() == before


def test_it_rolls_back_the_new_person_when_the_employment_is_invalid(world: Any) -> None:
    before = counts()
    with pytest.raises(ValidationError):
        invite(world, fte=Decimal("2.000"))
    assert counts() == before


# --- employment_end -------------------------------------------------------------------------------


def test_it_ends_an_employment(world: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    services.employment_end(
        actor=actor(world.administrator), employment=employment, end_date=datetime.date(2024, 7, 31)
    )
    employment.refresh_from_db()
    assert employment.end_date == datetime.date(2024, 7, 31)
    assert actor_for(world.teacher, None).organisation is None  # no longer at the board


def test_it_refuses_an_end_before_the_start(world: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    with pytest.raises(ValidationError) as error:
        services.employment_end(
            actor=actor(world.administrator),
            employment=employment,
            end_date=employment.start_date - datetime.timedelta(1),
        )
    assert error_fields(error.value) == {"end_date"}
    employment.refresh_from_db()
    assert employment.end_date is None


def test_it_allows_an_end_on_the_start_date(world: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    ended = services.employment_end(
        actor=actor(world.administrator), employment=employment, end_date=employment.start_date
    )
    assert ended.end_date == employment.start_date


@pytest.mark.parametrize("persona", ["outsider_admin", "board_member", "manager"])
def test_it_refuses_to_end_an_employment_for_others(world: Any, persona: str) -> None:
    employment = Employment.objects.get(person=world.teacher)
    with pytest.raises(PermissionDenied):
        services.employment_end(
            actor=actor(world.persona(persona)), employment=employment, end_date=datetime.date(2030, 1, 1)
        )
    employment.refresh_from_db()
    assert employment.end_date is None


# --- role_grant -----------------------------------------------------------------------------------


def test_it_grants_a_board_role(world: Any) -> None:
    grant = services.role_grant(actor=actor(world.administrator), person=world.teacher, role=Role.QUALITY_OFFICER)
    assert (grant.board_id, grant.school_id, grant.granted_by) == (world.board_a.pk, None, world.administrator)
    assert Role.QUALITY_OFFICER in actor_for(world.teacher, None).roles


def test_it_grants_a_board_role_without_a_school_even_when_one_is_given(world: Any) -> None:
    grant = services.role_grant(
        actor=actor(world.administrator), person=world.teacher, role=Role.BOARD_MEMBER, school=world.school_a
    )
    assert grant.school_id is None


def test_it_grants_a_school_role_at_a_school(world: Any) -> None:
    grant = services.role_grant(
        actor=actor(world.administrator), person=world.colleague, role=Role.MANAGER, school=world.school_a2
    )
    assert grant.school == world.school_a2
    assert actor_for(world.colleague, None).managed_school_ids == {world.school_a2.pk}


@pytest.mark.parametrize("school", [None, "school_b"])
def test_it_refuses_a_school_role_without_a_school_of_the_board(world: Any, school: str | None) -> None:
    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=actor(world.administrator),
            person=world.colleague,
            role=Role.MANAGER,
            school=getattr(world, school) if school else None,
        )
    assert error_fields(error.value) == {"school"}
    assert not RoleGrant.objects.filter(person=world.colleague).exists()


@pytest.mark.parametrize("role", [Role.COACH, Role.ASSESSOR, "superuser"])
def test_it_refuses_roles_a_board_cannot_grant(world: Any, role: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.role_grant(actor=actor(world.administrator), person=world.teacher, role=role)
    assert error_fields(error.value) == {"role"}


def test_it_refuses_a_duplicate_grant(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.role_grant(actor=actor(world.administrator), person=world.quality_officer, role=Role.QUALITY_OFFICER)
    assert error_fields(error.value) == {"role"}
    assert RoleGrant.objects.filter(person=world.quality_officer).count() == 1


@pytest.mark.parametrize("persona", ["board_member", "manager", "teacher", "operator"])
def test_it_lets_only_an_administrator_grant(world: Any, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=actor(world.persona(persona)), person=world.teacher, role=Role.ADMINISTRATOR)
    assert not RoleGrant.objects.filter(person=world.teacher).exists()


# --- role_revoke ----------------------------------------------------------------------------------


def test_it_revokes_a_role(world: Any) -> None:
    grant = RoleGrant.objects.get(person=world.quality_officer)
    services.role_revoke(actor=actor(world.administrator), grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_it_refuses_to_revoke_the_own_administrator_role(world: Any) -> None:
    grant = RoleGrant.objects.get(person=world.administrator)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=actor(world.administrator), grant=grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_it_lets_an_administrator_revoke_another_administrator(world: Any) -> None:
    second = with_totp(PersonFactory(email="beheer2@alfa.nl"))
    grant = RoleGrantFactory(person=second, board=world.board_a, role=Role.ADMINISTRATOR)
    services.role_revoke(actor=actor(world.administrator), grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_it_keeps_the_last_administrator_when_two_revoke_each_other(world: Any) -> None:
    """Two administrators remove each other at once: the second removal finds one left and is refused."""
    second = with_totp(PersonFactory(email="beheer2@alfa.nl"))
    second_grant = RoleGrantFactory(person=second, board=world.board_a, role=Role.ADMINISTRATOR)
    first_grant = RoleGrant.objects.get(person=world.administrator)
    first_actor, second_actor = actor(world.administrator), actor(second)  # both resolved before either acts
    services.role_revoke(actor=first_actor, grant=second_grant)
    with pytest.raises(ValidationError):
        services.role_revoke(actor=second_actor, grant=first_grant)
    assert RoleGrant.objects.filter(board=world.board_a, role=Role.ADMINISTRATOR).count() == 1


def test_it_refuses_to_revoke_a_grant_of_another_board(world: Any) -> None:
    grant = RoleGrant.objects.get(person=world.outsider_admin)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=actor(world.administrator), grant=grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


@pytest.mark.parametrize("persona", ["board_member", "quality_officer", "manager"])
def test_it_lets_only_an_administrator_revoke(world: Any, persona: str) -> None:
    grant = RoleGrant.objects.get(person=world.quality_officer)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=actor(world.persona(persona)), grant=grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


# --- organisation_is_among_actors --------------------------------------------------------------------------


def test_it_chooses_only_the_actors_own_organisations(world: Any) -> None:
    admin = actor(world.administrator)
    assert selectors.organisation_is_among_actors(actor=admin, key=f"board:{world.board_a.pk}")
    assert not selectors.organisation_is_among_actors(actor=admin, key=f"board:{world.board_b.pk}")
    assert not selectors.organisation_is_among_actors(actor=admin, key=f"provider:{world.provider.pk}")
    assert not selectors.organisation_is_among_actors(actor=admin, key="")


# --- validators: BRIN and bestuursnummer ----------------------------------------------------------

# Any text, and text made of the very characters a BRIN or number is made of (plus look-alikes: other
# scripts' digits, lower case, a trailing newline), where the near misses are.
no_nul_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12),
    st.text(alphabet=string.digits + "ABZabz\n \u0661\u0662\uff11", max_size=8),
)
valid_brin = st.builds(
    lambda digits, letters, suffix: digits + letters + suffix,
    st.text(alphabet=string.digits, min_size=2, max_size=2),
    st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2),
    st.one_of(st.just(""), st.text(alphabet=string.digits, min_size=2, max_size=2)),
)
BRIN = re.compile(r"[0-9]{2}[A-Z]{2}([0-9]{2})?")
AUTHORITY = re.compile(r"[0-9]{5}")
validator_settings = settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])


@validator_settings
@given(value=valid_brin)
def test_it_accepts_every_well_formed_brin(value: str) -> None:
    validate_brin(value)


@validator_settings
@given(value=no_nul_text.filter(lambda s: not BRIN.fullmatch(s)))
def test_it_refuses_every_other_brin(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_brin(value)
    assert error.value.code == "invalid_brin"


@pytest.mark.parametrize("value", ["12ab", "12AB0", "12AB000", "1AB", "12A1", "AB12", "12AB\n", "١٢AB", "12ÄB", ""])
def test_it_refuses_near_brins(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_brin(value)


@validator_settings
@given(value=valid_brin, noise=st.sampled_from(["", " ", "  "]), lower=st.booleans())
def test_it_normalises_a_typed_brin_to_a_valid_one(value: str, noise: str, lower: bool) -> None:
    typed = noise + (value.lower() if lower else value)[:2] + noise + (value.lower() if lower else value)[2:] + noise
    assert normalize_brin(typed) == value
    validate_brin(normalize_brin(typed))


@validator_settings
@given(value=st.text(alphabet=string.digits, min_size=5, max_size=5))
def test_it_accepts_every_five_digit_board_number(value: str) -> None:
    validate_authority_number(value)


@validator_settings
@given(value=no_nul_text.filter(lambda s: not AUTHORITY.fullmatch(s)))
def test_it_refuses_every_other_board_number(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_authority_number(value)
    assert error.value.code == "invalid_authority_number"


@pytest.mark.parametrize("value", ["1234", "123456", "12 345", "12345\n", "١٢٣٤٥", "abcde", ""])
def test_it_refuses_near_board_numbers(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_authority_number(value)
