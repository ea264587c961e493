"""Every write to organisations and people: policy check, one transaction, audit, side effects on commit."""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from auditlog.cid import get_cid
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.accounts.services import invitation_create, notify_added_to_board
from bekwaam.audit.models import ChangeEntry
from bekwaam.audit.services import changes_record_bulk
from bekwaam.lib.db import bulk_update_rows, unique_or
from bekwaam.tenancy import imports
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import (
    BOARD_ROLES,
    PROVIDER_ROLES,
    SCHOOL_ROLES,
    Board,
    Employment,
    Provider,
    ProviderRoleGrant,
    Role,
    RoleGrant,
    School,
    StaffImport,
    Team,
)
from bekwaam.tenancy.policy import authorize

if TYPE_CHECKING:
    from bekwaam.accounts.models import Invitation, Person


@dataclass(frozen=True)
class InviteResult:
    person: Person
    employment: Employment
    invitation: Invitation | None  # None when the person already had an account (added, not invited)


def _person_get_or_create(*, email: str, given_name: str, name_prefix: str, family_name: str) -> tuple[Person, bool]:
    """The person with this e-mail address (a person may work for several organisations), or a new one
    without a usable password (they set it through their invitation)."""
    email = email.strip().lower()
    person_model = get_user_model()
    person = person_model.objects.filter(email__iexact=email).first()
    if person is not None:
        return person, False
    person = person_model(email=email, given_name=given_name, name_prefix=name_prefix, family_name=family_name)
    person.set_unusable_password()
    person.full_clean()
    person.save()
    return person, True


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
    authorize(actor, "tenancy.invite_person")
    if school.board_id != actor.board_id:
        raise ValidationError({"school": _("Choose a school of your board.")})
    email = email.strip().lower()
    with transaction.atomic():
        existing = get_user_model().objects.filter(email__iexact=email).first()
        if (
            existing is not None
            and Employment.objects.filter(person=existing, board_id=actor.board_pk, end_date__isnull=True).exists()
        ):
            raise ValidationError({"email": _("This e-mail address already belongs to someone at your board.")})
        if Employment.objects.filter(board_id=actor.board_pk, personnel_number=personnel_number).exists():
            raise ValidationError({"personnel_number": _("This personnel number is already in use at your board.")})
        person, created = _person_get_or_create(
            email=email, given_name=given_name, name_prefix=name_prefix, family_name=family_name
        )
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
        with unique_or(
            ValidationError({"personnel_number": _("This personnel number is already in use at your board.")})
        ):
            employment.save()
        if created:
            invitation = invitation_create(actor=actor, person=person)
            return InviteResult(person=person, employment=employment, invitation=invitation)
        notify_added_to_board(person=person, board_id=school.board_id)
        return InviteResult(person=person, employment=employment, invitation=None)


def employment_end(*, actor: Actor, employment: Employment, end_date: datetime.date) -> Employment:
    """End an employment on a date on or after its start; the person's own dossier stays theirs."""
    authorize(actor, "tenancy.end_employment", employment)
    if employment.end_date is not None and employment.end_date < timezone.localdate():
        # Moving the end of a finished employment later would quietly make it active again.
        raise ValidationError({"end_date": _("This employment has already ended.")})
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
        with unique_or(ValidationError({"role": _("%(name)s already has this role.") % {"name": person.full_name}})):
            grant.save()
    return grant


def role_revoke(*, actor: Actor, grant: RoleGrant) -> None:
    """Take a role away; the board always keeps at least one functional administrator."""
    authorize(actor, "tenancy.revoke_role", grant)
    with transaction.atomic():
        # Lock the board row: two beheerders removing each other at once must not both see "two left"
        # (FOR UPDATE is dropped from an aggregate, so locking the grants would not serialise them).
        Board.objects.select_for_update().get(pk=grant.board_id)
        if (
            grant.role == Role.ADMINISTRATOR
            and RoleGrant.objects.filter(board_id=grant.board_id, role=Role.ADMINISTRATOR).count() <= 1
        ):
            raise ValidationError(_("A board needs at least one functional administrator."))
        grant.delete()


def board_create(
    *,
    actor: Actor,
    name: str,
    authority_number: str,
    admin_email: str,
    admin_given_name: str,
    admin_name_prefix: str,
    admin_family_name: str,
) -> Board:
    """The platform operator adds a board (with the shipped conversation forms and cycle, and the shipped
    kijkwijzers) and invites its first functional administrator."""
    authorize(actor, "tenancy.operate_platform")
    # The operator works above the tenants: no board scope applies to what they create here.
    with transaction.atomic(), scopes_disabled():
        board = Board(name=name.strip(), authority_number=authority_number.strip())
        board.full_clean()
        board.save()
        person, created = _person_get_or_create(
            email=admin_email, given_name=admin_given_name, name_prefix=admin_name_prefix, family_name=admin_family_name
        )
        RoleGrant.objects.create(person=person, role=Role.ADMINISTRATOR, board=board, granted_by=actor.person)
        # A new board starts with the shipped gesprekscyclus: forms, cycle and appraisal criteria. Imported
        # here: the conversations app builds on tenancy, not the other way round.
        from bekwaam.conversations.services.setup import conversation_defaults_install

        conversation_defaults_install(board_id=board.pk)
        # And with the shipped kijkwijzers, so lesson visits can start straight away (decision 0007).
        from bekwaam.frameworks.services import observation_defaults_install

        observation_defaults_install(board=board)
        if created:
            invitation_create(actor=actor, person=person, board_id=board.pk)
        else:
            notify_added_to_board(person=person, board_id=board.pk)
    return board


def provider_create(*, actor: Actor, name: str) -> Provider:
    """The platform operator adds an aanbieder."""
    authorize(actor, "tenancy.operate_platform")
    with transaction.atomic():
        provider = Provider(name=name.strip())
        provider.full_clean()
        provider.save()
    return provider


def provider_staff_invite(
    *, actor: Actor, provider: Provider, role: str, email: str, given_name: str, name_prefix: str, family_name: str
) -> ProviderRoleGrant:
    """The platform operator gives a coach or assessor a place at a provider, inviting them if new."""
    authorize(actor, "tenancy.operate_platform")
    if role not in PROVIDER_ROLES:
        raise ValidationError({"role": _("Choose coach or assessor.")})
    with transaction.atomic(), scopes_disabled():
        person, created = _person_get_or_create(
            email=email, given_name=given_name, name_prefix=name_prefix, family_name=family_name
        )
        if ProviderRoleGrant.objects.filter(person=person, role=role, provider=provider).exists():
            raise ValidationError({"email": _("%(name)s already has this role.") % {"name": person.full_name}})
        with unique_or(ValidationError({"email": _("%(name)s already has this role.") % {"name": person.full_name}})):
            grant = ProviderRoleGrant.objects.create(person=person, role=role, provider=provider)
        if created:
            invitation_create(actor=actor, person=person, provider_id=provider.pk)
    return grant


# --- Staff and school import (docs/import.md) -------------------------------------------------


def _staff_import_plan(*, board_id: int, kind: str, rows: list[dict[str, str]], end_missing: bool) -> imports.Plan:
    state = imports.load_board_state(board_id=board_id, kind=kind, rows=rows, today=timezone.localdate())
    if kind == imports.KIND_SCHOOLS:
        return imports.plan_schools(rows, state)
    return imports.plan_staff(rows, state, end_missing=end_missing)


def staff_import_check(*, actor: Actor, kind: str, filename: str, content: bytes, end_missing: bool) -> StaffImport:
    """Read and check a file against the board as it is now and store the dry run; writes no staff data."""
    authorize(actor, "tenancy.import_staff")
    if kind not in StaffImport.Kind.values:
        raise ValidationError({"kind": _("Choose what the file contains.")})
    try:
        rows = imports.read_rows(content, kind=kind, max_bytes=settings.IMPORT_MAX_BYTES)
    except imports.ImportFileError as error:
        raise ValidationError({"file": str(error.message)}) from None
    end_missing = end_missing and kind == imports.KIND_STAFF
    plan = _staff_import_plan(board_id=actor.board_pk, kind=kind, rows=rows, end_missing=end_missing)
    return StaffImport.objects.create(
        board_id=actor.board_pk,
        kind=kind,
        filename=filename[-255:],
        rows=rows,
        end_missing=end_missing,
        summary=plan.summary(),
        uploaded_by=actor.person,
    )


class _ImportNoLongerValid(Exception):  # noqa: N818  (a signal to leave the transaction, carrying the new check)
    def __init__(self, summary: dict[str, object]) -> None:
        super().__init__("import no longer valid")
        self.summary = summary


def staff_import_apply(*, actor: Actor, staff_import: StaffImport, send_invitations: bool = True) -> StaffImport:
    """Check the stored rows again against the board as it is now, then write all of them or nothing (once)."""
    authorize(actor, "tenancy.import_staff")
    if staff_import.board_id != actor.board_pk:
        raise PermissionDenied
    now = timezone.now()
    try:
        with transaction.atomic():
            # Claiming the row with a conditional UPDATE makes a second apply (double click, two tabs) a no-op.
            claimed = StaffImport.objects.filter(
                pk=staff_import.pk, board_id=actor.board_pk, status=StaffImport.Status.CHECKED
            ).update(status=StaffImport.Status.APPLIED, applied_at=now)
            if not claimed:
                raise ValidationError(_("This import has already been applied."))
            plan = _staff_import_plan(
                board_id=actor.board_pk,
                kind=staff_import.kind,
                rows=staff_import.rows,
                end_missing=staff_import.end_missing,
            )
            if plan.error_count:
                raise _ImportNoLongerValid(plan.summary())
            applied = _staff_import_write(
                actor=actor, staff_import=staff_import, plan=plan, send_invitations=send_invitations
            )
            summary = {**plan.summary(), "applied": applied}
            StaffImport.objects.filter(pk=staff_import.pk).update(summary=summary)
    except _ImportNoLongerValid as outdated:
        StaffImport.objects.filter(pk=staff_import.pk).update(summary=outdated.summary)
        staff_import.summary = outdated.summary
        raise ValidationError(
            _(
                "Since the check, your board's data changed and some rows are no longer valid. "
                "Nothing has been written: see the errors below."
            )
        ) from None
    staff_import.status = StaffImport.Status.APPLIED
    staff_import.applied_at = now
    staff_import.summary = summary
    return staff_import


def _staff_import_write(
    *, actor: Actor, staff_import: StaffImport, plan: imports.Plan, send_invitations: bool
) -> dict[str, int]:
    """Write a checked plan with bulk queries; the change log gets an entry per update and one for the import.

    Bulk writes skip django-auditlog's signals. Updates (usually few) are logged per object with their
    before and after; creations are summed up in one entry on the import, whose stored rows say what
    was created (docs/import.md).
    """
    board_id = actor.board_pk
    batch = 500
    entries: list[ChangeEntry] = []
    log_extra = {
        "actor": actor.person,
        "actor_email": actor.person.email,
        "cid": get_cid(),
        "additional_data": {"board_ids": [board_id]},
    }

    def log(model: type, pk: object, text: str, action: int, changes: dict[str, list[str]]) -> None:
        entries.append(
            ChangeEntry(
                content_type=ContentType.objects.get_for_model(model),
                object_pk=str(pk),
                object_id=pk if isinstance(pk, int) else None,
                object_repr=text,
                action=action,
                changes=changes,
                **log_extra,
            )
        )

    counts = plan.counts
    result = {
        "created": counts[imports.CREATE],
        "updated": counts[imports.UPDATE],
        "ended": counts[imports.END],
        "unchanged": counts[imports.UNCHANGED],
        "people_created": 0,
        "teams_created": 0,
        "invitations": 0,
        "schools_created": 0,
    }

    def log_import() -> None:
        changes = {"status": [StaffImport.Status.CHECKED.value, StaffImport.Status.APPLIED.value]}
        changes |= {key: ["0", str(value)] for key, value in result.items() if key != "unchanged"}
        log(StaffImport, staff_import.pk, staff_import.filename, ChangeEntry.Action.UPDATE, changes)

    if plan.kind == imports.KIND_SCHOOLS:
        School.objects.bulk_create(
            [School(board_id=board_id, brin=s.brin, name=s.name, place=s.place) for s in plan.school_creates],
            batch_size=batch,
        )
        School.objects.bulk_update(
            [School(id=s.id, name=s.name, place=s.place) for s in plan.school_updates],
            ["name", "place"],
            batch_size=batch,
        )
        for s in plan.school_updates:
            log(School, s.id, s.name, ChangeEntry.Action.UPDATE, plan.update_changes.get(f"school:{s.id}", {}))
        result["schools_created"] = len(plan.school_creates)
        log_import()
        changes_record_bulk(board_id=board_id, entries=entries)
        return result

    # Teams the file names that do not exist yet.
    Team.objects.bulk_create([Team(school_id=k[0], name=name) for k, name in plan.new_teams.items()], batch_size=batch)
    teams = {
        (school_id, name.casefold()): team_id
        for team_id, school_id, name in Team.objects.filter(school__board_id=board_id).values_list(
            "id", "school_id", "name"
        )
    }
    result["teams_created"] = len(plan.new_teams)

    # People: new accounts get an unusable password until they accept their invitation.
    person_model = get_user_model()
    new_people = {
        key: person_model(
            id=uuid.uuid4(),
            email=p.email,
            given_name=p.given_name,
            name_prefix=p.name_prefix,
            family_name=p.family_name,
            # What make_password(None) gives (an unusable password with a random tail), without its slow loop.
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
        for key, p in plan.new_people.items()
    }
    person_model.objects.bulk_create(new_people.values(), batch_size=batch)
    result["people_created"] = len(new_people)
    person_fields = ["email", "given_name", "name_prefix", "family_name"]
    updated_people = [
        person_model(id=uuid.UUID(key), **{f: getattr(p, f) for f in person_fields})
        for key, p in plan.person_updates.items()
    ]
    bulk_update_rows(person_model, updated_people, person_fields)
    for person in updated_people:
        log(
            person_model,
            person.pk,
            person.full_name,
            ChangeEntry.Action.UPDATE,
            plan.update_changes.get(f"person:{person.pk}", {}),
        )

    def person_id(key: str) -> uuid.UUID:
        return new_people[key].pk if key in new_people else uuid.UUID(key)

    def employment(values: imports.EmploymentValues) -> Employment:
        team_id = teams[(values.team[0], values.team[1].casefold())] if values.team else values.keep_team_id
        return Employment(
            id=uuid.UUID(values.employment_id) if values.employment_id else uuid.uuid4(),
            person_id=person_id(values.person),
            board_id=board_id,
            school_id=values.school_id,
            team_id=team_id,
            function=values.function,
            personnel_number=values.personnel_number,
            start_date=values.start_date,
            end_date=values.end_date,
            fte=values.fte,
            manager_id=person_id(values.manager) if values.manager else None,
        )

    employment_fields = ["school", "team", "function", "start_date", "end_date", "fte", "manager"]
    created = [employment(v) for v in plan.employment_creates]
    Employment.objects.bulk_create(created, batch_size=batch)
    updated = [employment(v) for v in plan.employment_updates]
    bulk_update_rows(Employment, updated, employment_fields)
    for e, values in zip(updated, plan.employment_updates, strict=True):
        changes = plan.update_changes.get(f"employment:{e.pk}", {})
        log(Employment, e.pk, values.label, ChangeEntry.Action.UPDATE, changes)

    if send_invitations:
        for person in new_people.values():
            invitation_create(actor=actor, person=person)
        result["invitations"] = len(new_people)
    log_import()
    changes_record_bulk(board_id=board_id, entries=entries)
    return result
