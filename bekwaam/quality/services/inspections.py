"""Writes of inspection visits: what the inspectie judged, per standard, and the herstelopdrachten it gave.

A visit with a date in the future is an upcoming inspection: it has no judgements and no herstelopdrachten
yet. Judgements use the inspectie's own scale (voldoende / onvoldoende / zeer zwak, or not judged). A
herstelopdracht's deadline is on or after the visit. Recording is "quality.edit_school" for a school (the
kwaliteitsmedewerker, a schoolleider for their own school) and "quality.edit_board_level" for an
inspection of the board itself (school None). A school of another board is refused and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.quality.models import (
    InspectionFramework,
    InspectionJudgement,
    InspectionKind,
    InspectionStandardJudgement,
    InspectionVisit,
    RepairOrder,
)
from bekwaam.quality.selectors import framework_valid_on
from bekwaam.quality.services.evaluations import record_authorize, standards_for
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School

NOTE_MAX = 2000


@dataclass(frozen=True)
class JudgementInput:
    """The inspectie's judgement of one standard ("" = not judged) and an optional note."""

    judgement: str
    note: str = ""


@dataclass(frozen=True)
class RepairOrderInput:
    """One herstelopdracht: its text, the standard it is about (optional) and its deadline. `id` for an existing one."""

    description: str
    standard_id: int | None = None
    deadline: datetime.date | None = None
    id: int | None = None


def inspection_authorize(*, actor: Actor, visit: InspectionVisit) -> None:
    if visit.board_id != actor.board_id:
        raise ValidationError(_("This inspection is not of your board."), code="other_board")
    record_authorize(actor=actor, school=visit.school)


def _check(
    *,
    framework: InspectionFramework,
    school: School | None,
    date: datetime.date,
    kind: str,
    overall_judgement: str,
    judgements: Mapping[int, JudgementInput],
    repair_orders: Sequence[RepairOrderInput],
) -> None:
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("Choose the kind of examination.")})
    if overall_judgement and overall_judgement not in InspectionJudgement.values:
        raise ValidationError({"overall_judgement": _("Choose a judgement on the inspectie's scale.")})
    standard_ids = {standard.pk for standard in standards_for(framework=framework, school=school)}
    if set(judgements) - standard_ids or {o.standard_id for o in repair_orders if o.standard_id} - standard_ids:
        raise ValidationError(
            _("This form names a standard that is not part of this onderzoekskader; reload the page."), code="unknown"
        )
    given = {standard_id: j for standard_id, j in judgements.items() if j.judgement}
    for j in given.values():
        if j.judgement not in InspectionJudgement.values:
            raise ValidationError(_("Choose a judgement on the inspectie's scale, or “not judged”."), code="off_scale")
        if len(j.note) > NOTE_MAX:
            raise ValidationError(_("A note is at most %(max)s characters.") % {"max": NOTE_MAX})
    upcoming = date > timezone.localdate()
    if upcoming and (overall_judgement or given or repair_orders):
        message = _(
            "This inspection is still to come: it has no judgements or herstelopdrachten yet. "
            "Record them once the visit has taken place."
        )
        raise ValidationError({"date": ValidationError(message, code="upcoming")})
    for number, order in enumerate(repair_orders, start=1):
        if not order.description.strip():
            raise ValidationError(_("Herstelopdracht %(number)s: describe what must be done.") % {"number": number})
        if order.deadline is not None and order.deadline < date:
            raise ValidationError(
                _("Herstelopdracht %(number)s: the deadline (%(deadline)s) is before the visit (%(date)s).")
                % {"number": number, "deadline": order.deadline.isoformat(), "date": date.isoformat()},
                code="deadline_before_visit",
            )


def _framework_for(date: datetime.date, framework: InspectionFramework | None) -> InspectionFramework:
    if framework is not None:
        return framework
    found = framework_valid_on(date) or InspectionFramework.objects.order_by("valid_from").first()
    if found is None:
        raise ValidationError(_("No onderzoekskader is loaded; ask the platform operator."))
    return found


def inspection_create(
    *,
    actor: Actor,
    school: School | None,
    date: datetime.date,
    kind: str,
    framework: InspectionFramework | None = None,
    overall_judgement: str = "",
    summary: str = "",
    report_url: str = "",
    judgements: Mapping[int, JudgementInput] | None = None,
    repair_orders: Sequence[RepairOrderInput] = (),
) -> InspectionVisit:
    """Record an inspection (held or upcoming) of a school of the actor's board, or of the board itself.

    The onderzoekskader defaults to the version in force on the visit's date.
    """
    record_authorize(actor=actor, school=school)
    framework = _framework_for(date, framework)
    judgements = judgements or {}
    _check(
        framework=framework,
        school=school,
        date=date,
        kind=kind,
        overall_judgement=overall_judgement,
        judgements=judgements,
        repair_orders=repair_orders,
    )
    visit = InspectionVisit(
        board_id=actor.board_pk,
        school=school,
        framework=framework,
        date=date,
        kind=kind,
        overall_judgement=overall_judgement,
        summary=summary.strip(),
        report_url=report_url.strip(),
        recorded_by=actor.person,
    )
    visit.full_clean()
    with transaction.atomic():
        visit.save()
        _judgements_write(visit, judgements)
        _repair_orders_write(visit, repair_orders)
    return visit


def inspection_update(
    *,
    actor: Actor,
    visit: InspectionVisit,
    date: datetime.date,
    kind: str,
    overall_judgement: str,
    summary: str,
    report_url: str,
    judgements: Mapping[int, JudgementInput],
    repair_orders: Sequence[RepairOrderInput],
) -> InspectionVisit:
    """Change a recorded inspection: its facts, the judgement per standard, the herstelopdrachten (the whole list).

    A standard missing from `judgements` keeps its judgement; one given as "" is no longer judged.
    Herstelopdrachten not in `repair_orders` are removed. The school and the onderzoekskader stay as recorded.
    """
    inspection_authorize(actor=actor, visit=visit)
    with transaction.atomic():
        locked = InspectionVisit.objects.select_for_update().get(pk=visit.pk, board_id=actor.board_pk)
        existing = {j.standard_id: j for j in InspectionStandardJudgement.objects.filter(visit=locked)}
        merged = {standard_id: JudgementInput(j.judgement, j.note) for standard_id, j in existing.items()} | dict(
            judgements
        )
        _check(
            framework=locked.framework,
            school=locked.school,
            date=date,
            kind=kind,
            overall_judgement=overall_judgement,
            judgements=merged,
            repair_orders=repair_orders,
        )
        known_orders = set(RepairOrder.objects.filter(visit=locked).values_list("pk", flat=True))
        if {o.id for o in repair_orders if o.id is not None} - known_orders:
            raise ValidationError(_("A herstelopdracht on this form is not part of this inspection; reload the page."))
        locked.date, locked.kind, locked.overall_judgement = date, kind, overall_judgement
        locked.summary, locked.report_url = summary.strip(), report_url.strip()
        locked.full_clean(exclude=["recorded_by"])  # the recorder may have left (SET_NULL)
        locked.save(update_fields=["date", "kind", "overall_judgement", "summary", "report_url"])
        _judgements_write(locked, judgements, existing=existing)
        _repair_orders_write(locked, repair_orders, replace=True)
    return locked


def _judgements_write(
    visit: InspectionVisit,
    judgements: Mapping[int, JudgementInput],
    *,
    existing: Mapping[int, InspectionStandardJudgement] | None = None,
) -> None:
    existing = existing or {}
    for standard_id, given in judgements.items():
        row = existing.get(standard_id)
        note = given.note.strip()
        if not given.judgement:
            if row is not None:
                row.delete()
        elif row is None:
            InspectionStandardJudgement.objects.create(
                board_id=visit.board_id, visit=visit, standard_id=standard_id, judgement=given.judgement, note=note
            )
        elif (row.judgement, row.note) != (given.judgement, note):
            row.judgement, row.note = given.judgement, note
            row.save(update_fields=["judgement", "note"])


def _repair_orders_write(visit: InspectionVisit, orders: Sequence[RepairOrderInput], *, replace: bool = False) -> None:
    rows = {row.pk: row for row in RepairOrder.objects.filter(visit=visit)} if replace else {}
    kept: set[int] = set()
    for order in orders:
        description = order.description.strip()
        if order.id is not None and order.id in rows:
            row = rows[order.id]
            kept.add(row.pk)
            if (row.description, row.standard_id, row.deadline) != (description, order.standard_id, order.deadline):
                row.description, row.standard_id, row.deadline = description, order.standard_id, order.deadline
                row.save(update_fields=["description", "standard", "deadline"])
        else:
            RepairOrder.objects.create(
                board_id=visit.board_id,
                visit=visit,
                description=description,
                standard_id=order.standard_id,
                deadline=order.deadline,
            )
    for pk, row in rows.items():
        if pk not in kept:
            row.delete()
