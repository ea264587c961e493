"""Every list page issues the same number of queries with 5 rows as with 15 (STYLE.md habit 5).

Each page is measured twice after a warm-up request: with N rows and with 3N rows. The counts must
be equal (no query per row) and stay under a ceiling, so a page that grows a query shows up here.
The ceilings are the counts measured when this test was written plus one; lower them when a page
gets cheaper, and raise one only with a reason (a new constant query, never one per row).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bekwaam.audit.models import AccessLog
from bekwaam.conversations.models import Conversation
from bekwaam.conversations.services.setup import conversation_defaults_install
from bekwaam.dossier.models import Action, DevelopmentPlan, Evidence, Goal, Reflection, SelfAssessment
from bekwaam.frameworks.models import FrameworkVersion
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.lib.dates import school_year_of
from bekwaam.tenancy.models import Employment, Role
from bekwaam.tenancy.tests.factories import (
    BoardFactory,
    EmploymentFactory,
    PersonFactory,
    ProviderFactory,
    ProviderRoleGrantFactory,
    RoleGrantFactory,
    SchoolFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

N = 5


@dataclass(frozen=True)
class Page:
    persona: str
    url: Callable[[Any], str]
    # Adds `count` rows the page lists, numbered from `start`; returns text each row shows.
    add_rows: Callable[[Any, int, int], list[str]]
    ceiling: int


def _person(number: int, tag: str) -> Any:
    return PersonFactory(email=f"{tag}{number}@rij.nl", given_name="Rij", family_name=f"{tag.title()}{number:03d}")


def schools(world: Any, start: int, count: int) -> list[str]:
    names = []
    for number in range(start, start + count):
        school = SchoolFactory(board=world.board_a, name=f"School {number:03d}")
        TeamFactory(school=school)
        EmploymentFactory(school=school)
        names.append(school.name)
    return names


def school_staff(world: Any, start: int, count: int) -> list[str]:
    team = TeamFactory(school=world.school_a)
    names = []
    for number in range(start, start + count):
        person = _person(number, "staf")
        EmploymentFactory(person=person, school=world.school_a, team=team, manager=world.manager)
        names.append(person.family_name)
    return names


def people(world: Any, start: int, count: int) -> list[str]:
    names = []
    for number in range(start, start + count):
        person = _person(number, "mens")
        EmploymentFactory(person=person, school=world.school_a)
        EmploymentFactory(person=person, school=world.school_a2, manager=world.manager)
        names.append(person.family_name)
    return names


def teacher_employments(world: Any, start: int, count: int) -> list[str]:
    names = []
    for number in range(start, start + count):
        school = SchoolFactory(board=world.board_a, name=f"Werkplek {number:03d}")
        EmploymentFactory(person=world.teacher, school=school, team=TeamFactory(school=school), manager=world.manager)
        RoleGrantFactory(person=world.teacher, board=world.board_a, school=school, role=Role.MANAGER)
        names.append(school.name)
    return names


def team_members(world: Any, start: int, count: int) -> list[str]:
    """People led by the manager, each with a conversation history: the cycle column reads it in bulk."""
    conversation_defaults_install(board_id=world.board_a.pk)
    team = TeamFactory(school=world.school_a)
    names = []
    today = timezone.localdate()
    year = school_year_of(today)
    for number in range(start, start + count):
        person = _person(number, "team")
        employment = EmploymentFactory(person=person, school=world.school_a, team=team, manager=world.manager)
        common = {
            "board": world.board_a, "school": world.school_a, "employment": employment, "employee": person,
            "manager": world.manager,
        }  # fmt: skip
        for kind, school_year in (("development", year - 1), ("appraisal", year - 2)):
            scheduled = datetime.datetime(school_year, 10, 1, 10, tzinfo=datetime.UTC)
            Conversation.objects.create(
                **common, kind=kind, school_year=school_year, scheduled_at=scheduled, state="signed",
                signed_at=scheduled,
            )  # fmt: skip
        Conversation.objects.create(
            **common, kind="performance", school_year=year, state="planned",
            scheduled_at=timezone.now() + datetime.timedelta(days=number + 1),
        )  # fmt: skip
        names.append(person.family_name)
    return names


def provider_staff(world: Any, start: int, count: int) -> list[str]:
    names = []
    for number in range(start, start + count):
        person = _person(number, "coach")
        ProviderRoleGrantFactory(person=person, provider=world.provider, role=Role.COACH)
        names.append(person.family_name)
    return names


def boards_and_providers(world: Any, start: int, count: int) -> list[str]:
    names = []
    for number in range(start, start + count):
        board = BoardFactory(name=f"Stichting {number:03d}")
        EmploymentFactory(school=SchoolFactory(board=board))
        provider = ProviderFactory(name=f"Academie {number:03d}")
        ProviderRoleGrantFactory(provider=provider)
        names += [board.name, provider.name]
    return names


def changes(world: Any, start: int, count: int) -> list[str]:
    """Each new employment writes a change-log entry linked to board A."""
    names = []
    for number in range(start, start + count):
        person = _person(number, "wijz")
        EmploymentFactory(person=person, school=world.school_a)
        names.append(person.family_name)
    return names


def accesses(world: Any, start: int, count: int) -> list[str]:
    names = []
    for number in range(start, start + count):
        person = _person(number, "inzage")
        EmploymentFactory(person=person, school=world.school_a)
        AccessLog.objects.create(
            board=world.board_a,
            actor=world.administrator,
            subject=person,
            what="personal details",
            viewed_at=timezone.now(),
        )
        names.append(person.family_name)
    return names


def dossier_content(world: Any, start: int, count: int) -> list[str]:
    """Measurements, plans with goals and actions, evidence that expires and reflections: every card grows."""
    version = FrameworkVersion.objects.filter(board=world.board_a).first() or framework_version_build(
        board=world.board_a
    )
    today = timezone.localdate()
    for number in range(start, start + count):
        SelfAssessment.objects.create(
            board=world.board_a, person=world.teacher, framework_version=version, status="finished",
            finished_at=timezone.now(),
        )  # fmt: skip
        plan = DevelopmentPlan.objects.create(
            board=world.board_a, person=world.teacher, title=f"POP {number}", starts_on=today
        )
        goal = Goal.objects.create(board=world.board_a, plan=plan, title=f"Doel {number}", due_date=today)
        Action.objects.create(board=world.board_a, goal=goal, description=f"Actie {number}", due_date=today)
        Evidence.objects.create(
            board=world.board_a, person=world.teacher, kind="certificate", title=f"Certificaat {number}",
            expires_on=today + datetime.timedelta(days=number + 1),
        )  # fmt: skip
        Reflection.objects.create(board=world.board_a, person=world.teacher, title=f"Reflectie {number}", body="-",
                                  written_on=today)  # fmt: skip
    return [f"Certificaat {start}"]  # the ten that expire soonest are listed; these stay among them


PAGES: dict[str, Page] = {
    "board home": Page("administrator", lambda w: "/board/", schools, ceiling=11),
    "school detail": Page("administrator", lambda w: f"/board/schools/{w.school_a.pk}/", school_staff, ceiling=12),
    "person list": Page("administrator", lambda w: "/board/people/", people, ceiling=13),
    "person detail": Page("administrator", lambda w: f"/board/people/{w.teacher.pk}/", teacher_employments, ceiling=14),
    # + 3 for the conversation cycle column: the cycles' steps, last signed per kind, this year's conversations.
    "team": Page("manager", lambda w: "/team/", team_members, ceiling=14),
    "provider home": Page("assessor", lambda w: "/provider/", provider_staff, ceiling=11),
    "platform home": Page("operator", lambda w: "/platform/", boards_and_providers, ceiling=10),
    "provider staff": Page("operator", lambda w: f"/platform/providers/{w.provider.pk}/", provider_staff, ceiling=10),
    "audit change list": Page("administrator", lambda w: "/audit/changes/", changes, ceiling=11),
    "audit access list": Page("administrator", lambda w: "/audit/access/", accesses, ceiling=11),
    # Session, person, memberships and board (7), then each card's reads: a fixed 15 whatever the dossier holds.
    "dossier overview": Page("teacher", lambda w: "/dossier/", dossier_content, ceiling=23),
}


def measure(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # warm-up: caches (content types, sessions) are not what this test is about
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response
    return len(queries), response.content.decode()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_does_not_grow_queries_with_rows(world: Any, client_for: Any, name: str) -> None:
    page = PAGES[name]
    client = client_for(world.persona(page.persona))
    url = page.url(world)

    shown = page.add_rows(world, 0, N)
    few, content = measure(client, url)
    assert all(text in content for text in shown), f"{name}: the rows are not on the page"

    shown = page.add_rows(world, N, 2 * N)
    many, content = measure(client, url)
    assert all(text in content for text in shown), f"{name}: the rows are not on the page"

    assert few == many, f"{name}: {few} queries with {N} rows, {many} with {3 * N}"
    assert many <= page.ceiling, f"{name}: {many} queries, more than the ceiling of {page.ceiling}"


def test_it_reads_a_large_person_list_page_in_the_same_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    """Past one page (50 rows) the count stays put: the paginator counts once, the page is prefetched."""
    people(world, 0, 60)
    client = client_for(world.administrator)
    client.get("/board/people/")
    with django_assert_max_num_queries(PAGES["person list"].ceiling + 1):  # + the paginator's COUNT
        response = client.get("/board/people/?page=2")
    assert response.status_code == 200
    assert Employment.objects.filter(board=world.board_a).count() > 100
