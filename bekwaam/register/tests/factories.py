"""Builders for register tests: periods and activities written directly (fast, any date); service tests go
through the services themselves."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from bekwaam.dossier.tests.test_uploads import pdf_bytes
from bekwaam.register import points
from bekwaam.register.models import Activity, ActivityKind, RegistrationPeriod, Theme
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, with_totp


def board_of(person: Any) -> Any:
    employment = Employment.objects.filter(person=person).order_by("start_date").first()
    assert employment is not None, "a school leader works somewhere"
    return employment.board


def actor_of(person: Any) -> Actor:
    return actor_for(person, f"board:{board_of(person).pk}")


def period_build(
    *,
    person: Any,
    start: datetime.date,
    years: int = 5,
    points_required: int = 100,
    board: Any | None = None,
    number: str = "",
) -> RegistrationPeriod:
    return RegistrationPeriod.objects.create(
        board=board or board_of(person),
        person=person,
        start_date=start,
        length_years=years,
        end_date=points.period_end(start, years),
        points_required=points_required,
        registration_number=number,
    )


def activity_build(
    *,
    period: RegistrationPeriod,
    title: str = "Leergang Leiderschap",
    kind: str = ActivityKind.PRE_ACCREDITED,
    points: int = 30,
    on: datetime.date | None = None,
    themes: list[Theme] | None = None,
    practices: list[str] | None = None,
    level: int | None = None,
    provider: str = "AVS Academie",
    certificate: Any = None,
    with_file: bool = False,
) -> Activity:
    activity = Activity(
        board_id=period.board_id,
        period=period,
        kind=kind,
        title=title,
        provider_name=provider,
        completed_on=on or period.start_date,
        points=points,
        learning_level=level if kind == ActivityKind.PRE_ACCREDITED else (level or 5),
        leadership_practices=practices or [],
        certificate=certificate,
    )
    if with_file:
        activity.certificate_file_name = "certificaat.pdf"
        activity.certificate_file.save("certificaat.pdf", SimpleUploadedFile("c.pdf", pdf_bytes()), save=False)
    activity.save()
    if themes:
        activity.themes.set(themes)
    return activity


def second_leader(world: Any) -> Any:
    """Another school leader at board A (of the second school), with a second factor: their own register."""
    person = with_totp(PersonFactory(email="directeur2@alfa.nl", given_name="Sam", family_name="Tweede"))
    EmploymentFactory(person=person, school=world.school_a2, function="school_leader")
    return person


def pdf_upload(name: str = "certificaat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def themes_since_2014(count: int = 2) -> list[Theme]:
    """Shipped themes valid in every year of any period a test uses (the 2014 set), by name."""
    found = list(Theme.objects.filter(first_year=2014, last_year__isnull=True).order_by("name")[:count])
    assert len(found) == count
    return found
