"""Authorization matrix cases for the register pages.

Only a school leader keeps a register ("register.keep": an active employment as schoolleider or directeur):
of the personas that is the manager (directeur of school A). Everyone else is refused the pages (403): the
teacher and colleague, the board's roles (beheerder, bestuurder, kwaliteitsmedewerker, and board B's), the
outsider, the aanbieder's assessor and coach, and the operator. A period or activity of another school
leader (of board A too) is not found (404) for the manager; a denied POST changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.dossier.tests.test_uploads import pdf_bytes
from bekwaam.register import points
from bekwaam.register.models import Activity, ActivityKind, RegistrationPeriod, Theme
from bekwaam.tenancy.models import Employment, Function
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from bekwaam.tenancy.tests.matrix import NOT_ALLOWED, Case, World, at, expect

OWN = expect(ok=("manager",))  # the school leader, on their own register
OTHERS = expect(not_found=("manager",))  # another school leader's period: not found; the rest: 403
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)
MATRIX_FILE = "register/matrix/certificaat.pdf"


def _today() -> datetime.date:
    return timezone.localdate()


def other_leader(world: World) -> Person:
    """A second school leader at board A (school A2): never a persona, so only the manager could find them."""
    person = Person.objects.filter(email="directeur2@alfa.nl").first()
    if person is None:
        person = PersonFactory(email="directeur2@alfa.nl")
        EmploymentFactory(person=person, school=world.school_a2, function=Function.SCHOOL_LEADER)
    return person


def _period(person: Person) -> RegistrationPeriod:
    found = RegistrationPeriod.objects.filter(person=person).first()
    if found is None:
        start = _today() - datetime.timedelta(days=730)
        employment = Employment.objects.filter(person=person).first()
        assert employment is not None
        found = RegistrationPeriod.objects.create(
            board_id=employment.board_id,
            person=person,
            start_date=start,
            length_years=5,
            end_date=points.period_end(start, 5),
        )
    return found


def _activity(person: Person) -> Activity:
    period = _period(person)
    found = Activity.objects.filter(period=period, title="Matrix leergang").first()
    if found is None:
        found = Activity(
            board_id=period.board_id,
            period=period,
            kind=ActivityKind.PRE_ACCREDITED,
            title="Matrix leergang",
            provider_name="AVS",
            completed_on=period.start_date,
            points=30,
            certificate_file_name="certificaat.pdf",
        )
        storage = Activity._meta.get_field("certificate_file").storage  # type: ignore[union-attr]
        # One fixed file for every run (the rows are rolled back, the storage is not).
        if not storage.exists(MATRIX_FILE):
            storage.save(MATRIX_FILE, ContentFile(pdf_bytes()))
        found.certificate_file.name = MATRIX_FILE
        found.save()
    return found


def own_period(world: World) -> Any:
    return _period(world.manager).pk


def their_period(world: World) -> Any:
    return _period(other_leader(world)).pk


def own_activity(world: World) -> Any:
    return _activity(world.manager).pk


def their_activity(world: World) -> Any:
    return _activity(other_leader(world)).pk


def with_kind(url: Callable[[World], str], kind: str) -> Callable[[World], str]:
    return lambda world: f"{url(world)}?kind={kind}"


def state(world: World) -> object:
    return (
        sorted(
            (str(p.person_id), p.start_date, p.length_years, p.end_date, p.registration_number)
            for p in RegistrationPeriod.objects.all()
        ),
        sorted((str(a.period_id), a.title, a.points) for a in Activity.objects.all()),
    )


def period_data(world: World) -> dict[str, Any]:
    return {"start_date": "2005-01-01", "length_years": "1", "registration_number": "MATRIX"}


def period_edit_data(world: World) -> dict[str, Any]:
    return {"start_date": (_today() - datetime.timedelta(days=730)).isoformat(), "length_years": "6"}


def retro_data(world: World) -> dict[str, Any]:
    themes = Theme.objects.filter(first_year=2014, last_year__isnull=True).order_by("name")[:2]
    return {
        "title": "Matrix waardering",
        "provider_name": "Matrix bureau",
        "completed_on": _today().isoformat(),
        "themes": [theme.pk for theme in themes],
        "learning_level": "5",
    }


def pre_data(world: World) -> dict[str, Any]:
    return {
        "title": "Matrix cursus",
        "provider_name": "AVS",
        "completed_on": _today().isoformat(),
        "points": "20",
        "certificate_file": SimpleUploadedFile("certificaat.pdf", pdf_bytes()),
    }


MATRIX: dict[str, list[Case]] = {
    "register:overview": [Case(at("register:overview"), OWN)],
    "register:period-create": [
        Case(at("register:period-create"), OWN),
        Case(
            at("register:period-create"),
            OWN,
            method="post",
            data=period_data,
            state=state,
            changes=("manager",),
        ),
    ],
    "register:period-edit": [
        Case(at("register:period-edit", period_id=own_period), OWN),
        Case(
            at("register:period-edit", period_id=own_period),
            OWN,
            method="post",
            data=period_edit_data,
            state=state,
            changes=("manager",),
        ),
        Case(at("register:period-edit", period_id=their_period), OTHERS, label="another school leader's"),
        Case(
            at("register:period-edit", period_id=their_period),
            OTHERS,
            method="post",
            data=period_edit_data,
            state=state,
            label="another school leader's",
        ),
    ],
    "register:activity-create": [
        Case(at("register:activity-create", period_id=own_period), OWN, label="the choice of kind"),
        Case(with_kind(at("register:activity-create", period_id=own_period), "pre_accredited"), OWN),
        Case(
            with_kind(at("register:activity-create", period_id=own_period), "retro_assessed"),
            OWN,
            method="post",
            data=retro_data,
            state=state,
            changes=("manager",),
        ),
        Case(
            with_kind(at("register:activity-create", period_id=own_period), "pre_accredited"),
            OWN,
            method="post",
            data=pre_data,
            state=state,
            changes=("manager",),
        ),
        Case(
            with_kind(at("register:activity-create", period_id=their_period), "retro_assessed"),
            OTHERS,
            method="post",
            data=retro_data,
            state=state,
            label="in another school leader's period",
        ),
    ],
    "register:activity-detail": [
        Case(at("register:activity-detail", activity_id=own_activity), OWN),
        Case(at("register:activity-detail", activity_id=their_activity), OTHERS, label="another school leader's"),
    ],
    "register:activity-delete": [
        Case(at("register:activity-delete", activity_id=own_activity), NOT_GET),
        Case(
            at("register:activity-delete", activity_id=own_activity),
            OWN,
            method="post",
            state=state,
            changes=("manager",),
        ),
        Case(
            at("register:activity-delete", activity_id=their_activity),
            OTHERS,
            method="post",
            state=state,
            label="another school leader's",
        ),
    ],
    "register:activity-certificate": [
        Case(at("register:activity-certificate", activity_id=own_activity), OWN),
        Case(at("register:activity-certificate", activity_id=their_activity), OTHERS, label="another school leader's"),
    ],
}
