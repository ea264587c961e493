"""Writes of the kwaliteitsmedewerker's own work at the schools: school visits and flags ("onder het vergrootglas").

Both are "quality.manage" (the kwaliteitsmedewerker). A school visit records what was found on a day that
has passed, linked to standards of one onderzoekskader version. A school has at most one open flag (a
partial unique constraint in the database); a second is refused with a message, also when two people
flag the same school at the same moment.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bekwaam.lib.db import unique_or
from bekwaam.quality.models import InspectionFramework, SchoolFlag, SchoolVisit, Standard
from bekwaam.quality.services.evaluations import standards_for
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import authorize

MANAGE = "quality.manage"


def _own_school(actor: Actor, school: School) -> None:
    authorize(actor, MANAGE)
    if school.board_id != actor.board_id:
        raise ValidationError({"school": ValidationError(_("Choose a school of your board."), code="other_board")})


def school_visit_create(
    *,
    actor: Actor,
    school: School,
    date: datetime.date,
    purpose: str,
    findings: str,
    framework: InspectionFramework,
    standard_ids: Collection[int] = (),
) -> SchoolVisit:
    """Record the kwaliteitsmedewerker's visit to a school of their board, after it took place."""
    _own_school(actor, school)
    if date > timezone.localdate():
        raise ValidationError(
            {"date": ValidationError(_("Record a school visit once it has taken place."), code="future")}
        )
    allowed = {standard.pk for standard in standards_for(framework=framework, school=school)}
    if set(standard_ids) - allowed:
        raise ValidationError(
            {
                "standards": ValidationError(
                    _("Choose standards of the onderzoekskader; reload the page to see the current list."),
                    code="unknown",
                )
            }
        )
    visit = SchoolVisit(
        board_id=actor.board_pk,
        school=school,
        visitor=actor.person,
        date=date,
        purpose=purpose.strip(),
        findings=findings.strip(),
    )
    visit.full_clean()
    with transaction.atomic():
        visit.save()
        if standard_ids:
            visit.standards.set(Standard.objects.filter(pk__in=standard_ids))
    return visit


def flag_create(*, actor: Actor, school: School, reason: str) -> SchoolFlag:
    """Put a school "onder het vergrootglas" with a reason; a school has one open flag at most."""
    _own_school(actor, school)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the school is under scrutiny."), code="required")})
    open_flag = SchoolFlag.objects.filter(board_id=actor.board_pk, school=school, cleared_at__isnull=True).first()
    already = _("%(school)s is already under scrutiny (since %(date)s): clear that flag first to give a new reason.")
    if open_flag is not None:
        raise ValidationError(
            already % {"school": school.name, "date": date_format(timezone.localtime(open_flag.flagged_at).date())},
            code="open_flag",
        )
    flag = SchoolFlag(board_id=actor.board_pk, school=school, reason=reason, flagged_by=actor.person)
    # Two people flagging the same school at once: the partial unique constraint decides.
    with unique_or(
        ValidationError(already % {"school": school.name, "date": date_format(timezone.localdate())}, code="open_flag")
    ):
        flag.save()
    return flag


def flag_clear(*, actor: Actor, flag: SchoolFlag) -> SchoolFlag:
    """Take a school out from under scrutiny; the flag stays in the school's history."""
    authorize(actor, MANAGE)
    if flag.board_id != actor.board_id:
        raise ValidationError(_("This flag is not of your board."))
    with transaction.atomic():
        locked = SchoolFlag.objects.select_for_update().get(pk=flag.pk, board_id=actor.board_pk)
        if locked.cleared_at is not None:
            raise ValidationError(_("This flag has been cleared already."), code="cleared")
        locked.cleared_at, locked.cleared_by = timezone.now(), actor.person
        locked.save(update_fields=["cleared_at", "cleared_by"])
    return locked
