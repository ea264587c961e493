"""Every write to the register: a school leader's periods and activities, and activities from certificates.

Each write is one transaction that checks the policy ("register.change_period": the actor's own period)
and locks what it checks against: the person for periods (no two overlapping periods, even from two tabs),
the period for activities (no activity twice). Input that breaks a rule is refused with a ValidationError
naming the field, in words the school leader can act on (docs/register.md lists them).

Certificate files go through the dossier's upload check (by content, not by name) and are stored under a
random name; a deleted activity's file is removed once the transaction has committed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.accounts.models import Person
from bekwaam.dossier.services.portfolio import original_name_clean
from bekwaam.dossier.uploads import ALLOWED_TYPES, evidence_file_check
from bekwaam.lib.storage import file_remove
from bekwaam.register import points as rules
from bekwaam.register.models import (
    Activity,
    ActivityKind,
    LeadershipPractice,
    LearningLevel,
    RegistrationPeriod,
    Theme,
)
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

TITLE_MAX = 200  # Activity.title, Activity.provider_name


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "d-m-Y")


# --- periods -----------------------------------------------------------------------------------------------


def _period_overlap_check(
    *, person: Person, start_date: datetime.date, end_date: datetime.date, exclude: RegistrationPeriod | None
) -> None:
    """ValidationError when the dates overlap another period of the person's, at any board."""
    with scopes_disabled():  # a person's registration is one, wherever they worked when they kept it
        others = RegistrationPeriod.objects.filter(person=person, start_date__lte=end_date, end_date__gte=start_date)
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        other = others.order_by("start_date").first()
    if other is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "These dates overlap your registration period from %(start)s to %(end)s. "
                    "A new period starts the day after the previous one ends."
                )
                % {"start": _day(other.start_date), "end": _day(other.end_date)}
            },
            code="overlap",
        )


def _period_fill(
    period: RegistrationPeriod, *, start_date: datetime.date, length_years: int | None, registration_number: str
) -> None:
    length = length_years or rules.default_length_years(start_date)
    if not 1 <= length <= 10:
        raise ValidationError({"length_years": _("A registration period lasts from 1 to 10 years.")}, code="length")
    period.start_date = start_date
    period.length_years = length
    period.end_date = rules.period_end(start_date, length)
    period.registration_number = registration_number.strip()


def _person_lock(person: Person) -> None:
    """Serialise the writes of one person's periods: the overlap check then sees every committed period."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()


def period_create(
    *,
    actor: Actor,
    start_date: datetime.date,
    length_years: int | None = None,
    registration_number: str = "",
) -> RegistrationPeriod:
    """A new period of the actor's own at the active board; its end follows from its length (default by start)."""
    authorize(actor, "register.keep")
    period = RegistrationPeriod(board_id=actor.board_pk, person=actor.person)
    _period_fill(period, start_date=start_date, length_years=length_years, registration_number=registration_number)
    period.full_clean(exclude=["person", "board"], validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        _person_lock(actor.person)
        _period_overlap_check(person=actor.person, start_date=period.start_date, end_date=period.end_date, exclude=None)
        period.save()
    return period


def period_update(
    *,
    actor: Actor,
    period: RegistrationPeriod,
    start_date: datetime.date,
    length_years: int | None = None,
    registration_number: str = "",
) -> RegistrationPeriod:
    """Change the actor's own period's dates; refused when they overlap another or leave out an activity."""
    authorize(actor, "register.change_period", period)
    with transaction.atomic():
        _person_lock(actor.person)
        locked = RegistrationPeriod.objects.select_for_update().get(pk=period.pk)
        _period_fill(locked, start_date=start_date, length_years=length_years, registration_number=registration_number)
        locked.full_clean(exclude=["person", "board"], validate_unique=False, validate_constraints=False)
        _period_overlap_check(
            person=actor.person, start_date=locked.start_date, end_date=locked.end_date, exclude=locked
        )
        outside = (
            Activity.objects.filter(period=locked)
            .exclude(completed_on__range=(locked.start_date, locked.end_date))
            .order_by("completed_on")
            .first()
        )
        if outside is not None:
            raise ValidationError(
                {
                    "start_date": _(
                        "“%(title)s” (%(date)s) would fall outside the period. Change or delete that activity first."
                    )
                    % {"title": outside.title, "date": _day(outside.completed_on)}
                },
                code="activity_outside",
            )
        locked.save(update_fields=["start_date", "length_years", "end_date", "registration_number"])
    for name in ("start_date", "length_years", "end_date", "registration_number"):
        setattr(period, name, getattr(locked, name))
    return period


# --- activities --------------------------------------------------------------------------------------------


def _file_store(activity: Activity, upload: File[Any]) -> str:
    """Check the upload by its content and store it under a random name; returns the stored name."""
    content_type = evidence_file_check(upload)
    activity.certificate_file_name = original_name_clean(upload.name or "")
    activity.certificate_file.save(f"{uuid.uuid4().hex}.{ALLOWED_TYPES[content_type]}", upload, save=False)
    return activity.certificate_file.name or ""


def _practices_clean(practices: Iterable[str]) -> list[str]:
    chosen = set(practices)
    unknown = chosen - set(LeadershipPractice.values)
    if unknown:
        raise ValidationError({"leadership_practices": _("Choose leadership practices from the list.")})
    return [code for code in LeadershipPractice.values if code in chosen]  # the standard's order, once each


def _themes_check(themes: list[Theme], *, completed_on: datetime.date) -> None:
    year = completed_on.year
    invalid = [
        theme.name
        for theme in themes
        if not rules.theme_valid_in(first_year=theme.first_year, last_year=theme.last_year, year=year)
    ]
    if invalid:
        raise ValidationError(
            {
                "themes": _(
                    "Not a theme of the register in %(year)s, the year of this activity: %(themes)s. "
                    "Choose themes that were valid then."
                )
                % {"year": year, "themes": ", ".join(sorted(invalid))}
            },
            code="theme_year",
        )


def _duplicate_check(activity: Activity) -> None:
    same = Activity.objects.filter(
        period=activity.period,
        kind=activity.kind,
        provider_name__iexact=activity.provider_name,
        title__iexact=activity.title,
        completed_on=activity.completed_on,
    )
    if same.exists():
        raise ValidationError(
            _(
                "You have already entered this activity: “%(title)s” by %(provider)s on %(date)s is in this "
                "period. Open it from the overview to check it."
            )
            % {"title": activity.title, "provider": activity.provider_name, "date": _day(activity.completed_on)},
            code="duplicate",
        )


def _low_level_message() -> str:
    minimum = rules.PointsRules.from_settings().min_level
    label = LearningLevel(minimum).label if minimum in LearningLevel.values else str(minimum)
    return _(
        "Below learning level %(level)s an assessment gives no points for the register: each theme shown "
        "counts only from “%(label)s”. Check the level in the assessor's report; nothing has been saved."
    ) % {"level": minimum, "label": label}


def activity_create(
    *,
    actor: Actor,
    period: RegistrationPeriod,
    kind: str,
    title: str,
    provider_name: str,
    completed_on: datetime.date,
    themes: Iterable[Theme] = (),
    leadership_practices: Iterable[str] = (),
    points: int | None = None,
    learning_level: int | None = None,
    certificate_file: File[Any] | None = None,
    notes: str = "",
) -> Activity:
    """A new activity in the actor's own period, with its points fixed now.

    pre_accredited: the points as certified (10 to 100) and the certificate file are required.
    retro_assessed: the learning level and the themes shown are required; the points follow from
    register.points; below the minimum level the claim is refused (it would give nothing).
    """
    authorize(actor, "register.change_period", period)
    if kind not in ActivityKind.values:
        raise ValidationError(_("Choose the kind of activity."), code="kind")
    theme_list = list({theme.pk: theme for theme in themes}.values())
    activity = Activity(
        board_id=period.board_id,
        period=period,
        kind=kind,
        title=title.strip(),
        provider_name=provider_name.strip(),
        completed_on=completed_on,
        leadership_practices=_practices_clean(leadership_practices),
        notes=notes.strip(),
    )
    errors: dict[str, list[str]] = {}
    if not activity.title:
        errors.setdefault("title", []).append(_("Fill in the title."))
    if not activity.provider_name:
        errors.setdefault("provider_name", []).append(_("Fill in who provided or assessed it."))
    if not period.start_date <= completed_on <= period.end_date:
        errors.setdefault("completed_on", []).append(
            _("The date must fall within this registration period: %(start)s to %(end)s.")
            % {"start": _day(period.start_date), "end": _day(period.end_date)}
        )
    elif completed_on > timezone.localdate():
        errors.setdefault("completed_on", []).append(_("The date cannot be in the future: enter it once it is done."))
    if kind == ActivityKind.PRE_ACCREDITED:
        if points is None or not rules.pre_accredited_points_valid(points):
            errors.setdefault("points", []).append(
                _("Enter the points the register certified for this activity: from %(min)s to %(max)s.")
                % {"min": rules.PRE_ACCREDITED_MIN, "max": rules.PRE_ACCREDITED_MAX}
            )
        if not certificate_file:
            errors.setdefault("certificate_file", []).append(_("Upload the certificate of this activity."))
        activity.points = points or 0
    else:
        if learning_level not in LearningLevel.values:
            errors.setdefault("learning_level", []).append(_("Choose the learning level of the assessment."))
        elif not rules.assessment_gives_points(learning_level=learning_level or 0):
            errors.setdefault("learning_level", []).append(_low_level_message())
        if not theme_list:
            errors.setdefault("themes", []).append(_("Choose the themes the assessment says you have shown."))
        activity.learning_level = learning_level
        if learning_level in LearningLevel.values:
            activity.points = rules.assessment_points(theme_count=len(theme_list), learning_level=learning_level or 0)
    if certificate_file:
        try:
            evidence_file_check(certificate_file)
        except ValidationError as error:
            errors.setdefault("certificate_file", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    _themes_check(theme_list, completed_on=completed_on)

    with transaction.atomic():
        RegistrationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk", flat=True).first()
        _duplicate_check(activity)
        stored = _file_store(activity, certificate_file) if certificate_file else ""
        try:
            activity.full_clean(exclude=["certificate_file", "themes"], validate_constraints=False)
            try:
                with transaction.atomic():
                    activity.save()
            except IntegrityError as error:  # the same activity, saved by a second request at the same moment
                raise ValidationError(
                    _("You have already entered this activity in this period."), code="duplicate"
                ) from error
            activity.themes.set(theme_list)
        except BaseException:
            if stored:  # the row is not written: neither is its file
                file_remove(activity.certificate_file.storage, stored)
            raise
    return activity


def activity_delete(*, actor: Actor, activity: Activity) -> None:
    """Delete an activity of the actor's own period; not one that came from a certificate issued in Bekwaam."""
    authorize(actor, "register.change_period", activity.period)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if locked is None:
            return  # deleted by another request already: the outcome asked for
        if locked.certificate_id is not None:
            raise ValidationError(
                _(
                    "This activity comes from a certificate issued in Bekwaam and cannot be deleted. "
                    "If the certificate is revoked, its issuer tells the register."
                ),
                code="from_certificate",
            )
        if locked.certificate_file:
            transaction.on_commit(
                partial(file_remove, locked.certificate_file.storage, locked.certificate_file.name or "")
            )
        locked.delete()


def activity_record_from_certificate(*, certificate: Any) -> Activity | None:
    """Enter a positive waarderingstraject's certificate in its holder's register; idempotent.

    Runs in the caller's transaction. The period is the holder's (at any board) that holds the date of
    issue, else their latest one still running on that date; None when they keep no such period (the
    certificate then only shows on their trajectory). An activity they entered by hand for the same
    assessment (same provider, title and date) is linked to the certificate instead of entered twice.
    """
    issued_on = timezone.localdate(certificate.issued_at)
    with scopes_disabled():
        existing = Activity.objects.filter(certificate=certificate).first()
        if existing is not None:
            return existing
        periods = RegistrationPeriod.objects.filter(person_id=certificate.holder_id)
        period = (
            periods.filter(start_date__lte=issued_on, end_date__gte=issued_on).first()
            or periods.filter(end_date__gte=issued_on).order_by("-start_date").first()
        )
        if period is None:
            return None
        decision = getattr(certificate.trajectory, "decision", None)
        theme_list = list(decision.themes.all()) if decision is not None else []
        if not theme_list:
            theme_list = list(Theme.objects.filter(name__in=list(certificate.theme_names or [])))
        title = str(certificate.title)[:TITLE_MAX]
        provider_name = str(certificate.issuer_name)[:TITLE_MAX]
        with transaction.atomic():
            RegistrationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk", flat=True).first()
            activity = Activity.objects.filter(
                period=period,
                kind=ActivityKind.RETRO_ASSESSED,
                provider_name=provider_name,
                title=title,
                completed_on=issued_on,
                certificate__isnull=True,
            ).first() or Activity(
                board_id=period.board_id,
                period=period,
                kind=ActivityKind.RETRO_ASSESSED,
                title=title,
                provider_name=provider_name,
                completed_on=issued_on,
            )
            activity.points = min(int(certificate.points), rules.PRE_ACCREDITED_MAX)
            activity.learning_level = int(certificate.learning_level)
            activity.certificate = certificate
            activity.save()
            activity.themes.set(theme_list)
    return activity
