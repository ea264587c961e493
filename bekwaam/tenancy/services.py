"""Every write to organisations and people: policy check, one transaction, audit, side effects on commit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import BOARD_ROLES, SCHOOL_ROLES, Employment, Role, RoleGrant, School, Team
from bekwaam.tenancy.policy import authorize

if TYPE_CHECKING:
    from bekwaam.accounts.models import Invitation, Person


@dataclass(frozen=True)
class InviteResult:
    person: Person
    employment: Employment
    invitation: Invitation | None  # None when the person already had an account (added, not invited)


def person_invite(
    *,
    actor: Actor,
    email: str,
    given_name: str,
    name_prefix: str,
    family_name: str,
    school: School,
    function: str,
    personnel_number: str,
    start_date: datetime.date,
    fte: Decimal = Decimal("1.000"),
    team: Team | None = None,
    manager: Person | None = None,
) -> InviteResult:
    """Create the employment and invite the person by e-mail; an existing account is added, not duplicated."""
    from bekwaam.accounts.services import invitation_create, notify_added_to_board

    authorize(actor, "tenancy.invite_person")
    if school.board_id != actor.board_id:
        raise ValidationError({"school": _("Choose a school of your board.")})
    email = email.strip().lower()
    person_model = get_user_model()
    with transaction.atomic():
        person = person_model.objects.filter(email__iexact=email).first()
        if (
            person is not None
            and Employment.objects.filter(person=person, board_id=actor.board_pk, end_date__isnull=True).exists()
        ):
            raise ValidationError({"email": _("This e-mail address already belongs to someone at your board.")})
        if Employment.objects.filter(board_id=actor.board_pk, personnel_number=personnel_number).exists():
            raise ValidationError({"personnel_number": _("This personnel number is already in use at your board.")})
        created = person is None
        if person is None:
            person = person_model(email=email, given_name=given_name, name_prefix=name_prefix, family_name=family_name)
            person.set_unusable_password()
            person.full_clean()
            person.save()
        employment = Employment(
            person=person,
            board_id=school.board_id,
            school=school,
            team=team,
            function=function,
            personnel_number=personnel_number,
            start_date=start_date,
            fte=fte,
            manager=manager,
        )
        employment.full_clean()
        employment.save()
        if created:
            invitation = invitation_create(actor=actor, person=person)
            return InviteResult(person=person, employment=employment, invitation=invitation)
        notify_added_to_board(person=person, board_id=school.board_id)
        return InviteResult(person=person, employment=employment, invitation=None)


def employment_end(*, actor: Actor, employment: Employment, end_date: datetime.date) -> Employment:
    """End an employment on a date on or after its start; the person's own dossier stays theirs."""
    authorize(actor, "tenancy.end_employment", employment)
    if end_date < employment.start_date:
        raise ValidationError(
            {
                "end_date": _("The end date cannot be before the start date (%(start)s).")
                % {"start": employment.start_date.strftime("%d-%m-%Y")}
            }
        )
    with transaction.atomic():
        locked = Employment.objects.select_for_update().get(pk=employment.pk)
        locked.end_date = end_date
        locked.save(update_fields=["end_date"])
    return locked


def role_grant(*, actor: Actor, person: Person, role: str, school: School | None = None) -> RoleGrant:
    """Give a person a role at the actor's board (or at one of its schools for school roles)."""
    authorize(actor, "tenancy.grant_role")
    if role in SCHOOL_ROLES:
        if school is None or school.board_id != actor.board_id:
            raise ValidationError({"school": _("Choose the school where this role applies.")})
    elif role in BOARD_ROLES:
        school = None
    else:
        raise ValidationError({"role": _("This role cannot be granted by a board.")})
    with transaction.atomic():
        existing = RoleGrant.objects.filter(person=person, role=role, board_id=actor.board_pk, school=school).first()
        if existing:
            raise ValidationError({"role": _("%(name)s already has this role.") % {"name": person.full_name}})
        grant = RoleGrant(person=person, role=role, board_id=actor.board_pk, school=school, granted_by=actor.person)
        grant.full_clean()
        grant.save()
    return grant


def role_revoke(*, actor: Actor, grant: RoleGrant) -> None:
    """Take a role away; the board always keeps at least one functional administrator."""
    authorize(actor, "tenancy.revoke_role", grant)
    with transaction.atomic():
        if grant.role == Role.ADMINISTRATOR and (
            RoleGrant.objects.select_for_update().filter(board_id=grant.board_id, role=Role.ADMINISTRATOR).count() <= 1
        ):
            raise ValidationError(_("A board needs at least one functional administrator."))
        grant.delete()


def organisation_choose(*, actor: Actor, key: str) -> bool:
    """True when the key names one of the actor's organisations (the view stores it in the session)."""
    return any(o.key == key for o in actor.organisations)


def today() -> datetime.date:
    return timezone.localdate()
