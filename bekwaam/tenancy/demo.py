"""The fictional demo board: six schools, about 150 staff, one of each role, one aanbieder.

Deterministic (a fixed random seed) and idempotent: running it twice changes nothing.
Never runs with production settings (the command refuses).
"""

from __future__ import annotations

import datetime
import functools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bekwaam.accounts.models import Person
from bekwaam.tenancy.models import (
    Board,
    Employment,
    Function,
    Provider,
    ProviderRoleGrant,
    Role,
    RoleGrant,
    School,
    Team,
)

DEMO_PASSWORD = "bekwaam-demo-2026"
DEMO_DOMAIN = "demo.bekwaam.nl"
# Fixed secrets so a demo visitor can add the account to an authenticator app, or run
# `manage.py demo_totp` for the current codes. Base32, 32 characters; demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SCHOOLS = [
    ("OBS De Regenboog", "99AA", "Purmerend"),
    ("CBS De Wegwijzer", "99AB", "Edam"),
    ("KBS Sint Jozef", "99AC", "Volendam"),
    ("OBS Het Kompas", "99AD", "Monnickendam"),
    ("IKC De Zonnebloem", "99AE", "Ilpendam"),
    ("Daltonschool De Vlinder", "99AF", "Landsmeer"),
]
TEAMS = ["Onderbouw", "Middenbouw", "Bovenbouw"]
GIVEN = [
    "Anouk",
    "Bram",
    "Daan",
    "Eva",
    "Fleur",
    "Floor",
    "Gijs",
    "Hanneke",
    "Inge",
    "Jeroen",
    "Joost",
    "Karin",
    "Lieke",
    "Lotte",
    "Maaike",
    "Marieke",
    "Mark",
    "Nienke",
    "Noor",
    "Pieter",
    "Roos",
    "Ruben",
    "Sanne",
    "Sven",
    "Thijs",
    "Tim",
    "Vera",
    "Wouter",
    "Yvonne",
    "Femke",
    "Esther",
    "Hester",
    "Jasper",
    "Kees",
    "Linda",
    "Marloes",
    "Mohamed",
    "Fatima",
    "Sara",
    "Youssef",
    "Ilse",
    "Wendy",
    "Annemieke",
    "Bas",
]
FAMILY = [
    ("", "Bakker"),
    ("de", "Boer"),
    ("", "Bos"),
    ("van", "Dijk"),
    ("de", "Graaf"),
    ("", "Hendriks"),
    ("de", "Jong"),
    ("", "Jansen"),
    ("van der", "Linden"),
    ("", "Meijer"),
    ("", "Mulder"),
    ("", "Peters"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Smit"),
    ("", "Visser"),
    ("van", "Leeuwen"),
    ("", "Kok"),
    ("", "Vermeulen"),
    ("van der", "Meer"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Koster"),
    ("van", "Wijk"),
    ("", "Prins"),
    ("", "Huisman"),
    ("el", "Amrani"),
    ("", "Yilmaz"),
    ("van", "Beek"),
    ("", "Schouten"),
    ("ter", "Horst"),
    ("", "Postma"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    mfa: bool


@functools.cache
def _demo_password_hash() -> str:
    # One hash for every demo account: hashing 150 passwords one by one takes most of a minute.
    return make_password(DEMO_PASSWORD)


def _person(email: str, given: str, prefix: str, family: str) -> Person:
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = Person(email=email, given_name=given, name_prefix=prefix, family_name=family)
        person.password = _demo_password_hash()
        person.save()
    return person


def _employment(person: Person, school: School, number: str, function: str, **extra: object) -> Employment:
    employment, _ = Employment.objects.get_or_create(
        board=school.board,
        personnel_number=number,
        defaults={
            "person": person,
            "school": school,
            "function": function,
            "start_date": datetime.date(2015, 8, 1),
            **extra,
        },
    )
    return employment


def _activate_totp(person: Person) -> None:
    # allauth's internal TOTP API: used here only, for demo accounts, so they can sign in at once.
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(person)


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create (or leave as it is) the demo board; return the logins to print."""
    rng = random.Random(2026)
    with scopes_disabled():
        board, _ = Board.objects.get_or_create(authority_number="99001", defaults={"name": "Stichting Polderwijs"})
        schools: list[School] = []
        for name, brin, place in SCHOOLS:
            school, _ = School.objects.get_or_create(brin=brin, defaults={"board": board, "name": name, "place": place})
            schools.append(school)
            for team_name in TEAMS:
                Team.objects.get_or_create(school=school, name=team_name)

        logins: list[DemoLogin] = []

        def role_person(local: str, given: str, prefix: str, family: str, role: str) -> Person:
            person = _person(f"{local}@{DEMO_DOMAIN}", given, prefix, family)
            logins.append(DemoLogin(f"{local}@{DEMO_DOMAIN}", role, True))
            return person

        admin = role_person("beheerder", "Bas", "van", "Beheer", "functioneel beheerder")
        RoleGrant.objects.get_or_create(person=admin, role=Role.ADMINISTRATOR, board=board, school=None)
        director = role_person("bestuurder", "Hester", "", "Bestuur", "bestuurder")
        RoleGrant.objects.get_or_create(person=director, role=Role.BOARD_MEMBER, board=board, school=None)
        quality = role_person("kwaliteit", "Karin", "de", "Kwaliteit", "kwaliteitsmedewerker")
        RoleGrant.objects.get_or_create(person=quality, role=Role.QUALITY_OFFICER, board=board, school=None)

        number = 1000
        for index, school in enumerate(schools):
            teams = list(Team.objects.filter(school=school).order_by("name"))
            if index == 0:
                leader = role_person("schoolleider", "Marieke", "", "Schoolleider", "leidinggevende / schoolleider")
            else:
                given = rng.choice(GIVEN)
                prefix, family = rng.choice(FAMILY)
                leader = _person(f"directeur.{school.brin.lower()}@{DEMO_DOMAIN}", given, prefix, family)
            number += 1
            _employment(leader, school, str(number), Function.DIRECTOR, fte=Decimal("1.000"))
            RoleGrant.objects.get_or_create(person=leader, role=Role.MANAGER, board=board, school=school)
            staff_functions = (
                [Function.INTERNAL_SUPERVISOR]
                + [Function.TEACHING_ASSISTANT] * 2
                + [Function.SUPPORT_STAFF]
                + [Function.TEACHER] * 20
            )
            for position, function in enumerate(staff_functions):
                number += 1
                if index == 0 and position == 4:
                    person = _person(f"leerkracht@{DEMO_DOMAIN}", "Lotte", "de", "Leerkracht")
                    logins.append(DemoLogin(f"leerkracht@{DEMO_DOMAIN}", "medewerker (leerkracht)", False))
                else:
                    given = rng.choice(GIVEN)
                    prefix, family = rng.choice(FAMILY)
                    email = f"{given}.{prefix.replace(' ', '')}{family}.{number}@{DEMO_DOMAIN}".lower()
                    person = _person(email, given, prefix, family)
                fte = rng.choice([Decimal("0.4"), Decimal("0.6"), Decimal("0.8"), Decimal("1.0")])
                _employment(
                    person, school, str(number), function, team=teams[position % len(teams)], manager=leader, fte=fte
                )

        provider, _ = Provider.objects.get_or_create(name="Academie Vakmanschap")
        for local, given, family, role, label in (
            ("assessor1", "Joost", "Assessor", Role.ASSESSOR, "assessor"),
            ("assessor2", "Inge", "Assessor", Role.ASSESSOR, "assessor"),
            ("coach", "Femke", "Coach", Role.COACH, "begeleider (coach)"),
        ):
            person = role_person(local, given, "", family, f"{label}, Academie Vakmanschap")
            ProviderRoleGrant.objects.get_or_create(person=person, role=role, provider=provider)

        operator = _person(f"platform@{DEMO_DOMAIN}", "Pim", "", "Platform")
        if not operator.is_superuser:
            operator.is_superuser = operator.is_staff = True
            operator.save()
        logins.append(DemoLogin(f"platform@{DEMO_DOMAIN}", "platformbeheerder (superuser)", True))

        for login in logins:
            if login.mfa:
                _activate_totp(Person.objects.get(email=login.email))

        # Late import: the dossier app builds on tenancy, not the other way round.
        from bekwaam.dossier.demo import seed_dossier_demo

        seed_dossier_demo(board=board, teacher=Person.objects.get(email=f"leerkracht@{DEMO_DOMAIN}"))

        from bekwaam.conversations.demo import seed_conversations_demo

        teacher = Person.objects.get(email=f"leerkracht@{DEMO_DOMAIN}")
        leader = Person.objects.get(email=f"schoolleider@{DEMO_DOMAIN}")
        team = list(
            Person.objects.filter(employments__manager=leader, employments__board=board)
            .exclude(pk=teacher.pk)
            .order_by("family_name", "given_name")
            .distinct()[:1]
        )
        seed_conversations_demo(board=board, manager=leader, employees=[teacher, *team], today=timezone.localdate())

        from bekwaam.feedback.demo import seed_feedback_demo

        colleagues = list(
            Person.objects.filter(
                employments__school=schools[0], employments__function=Function.TEACHER, employments__board=board
            )
            .exclude(pk=teacher.pk)
            .order_by("email")
            .distinct()[:6]
        )
        seed_feedback_demo(
            board=board, owner=teacher, colleagues=colleagues, manager=leader, today=timezone.localdate()
        )

        from bekwaam.observations.demo import seed_observations_demo
        from bekwaam.quality.demo import seed_quality_demo

        team_teachers = list(
            Person.objects.filter(
                employments__school=schools[0], employments__function=Function.TEACHER, employments__board=board
            )
            .exclude(pk=teacher.pk)
            .order_by("email")
            .distinct()[:9]
        )
        seed_observations_demo(
            board=board,
            leader=leader,
            quality_officer=quality,
            teacher=teacher,
            colleagues=team_teachers,
            today=timezone.localdate(),
        )
        seed_quality_demo(
            board=board,
            schools=schools,
            quality_officer=quality,
            leaders={
                e.school_id: e.person
                for e in Employment.objects.filter(board=board, function=Function.DIRECTOR).select_related("person")
            },
            today=timezone.localdate(),
        )
        from bekwaam.trajectories.demo import seed_trajectories_demo

        seed_trajectories_demo(
            board=board,
            leader=leader,
            provider=provider,
            assessors=[Person.objects.get(email=f"assessor{n}@{DEMO_DOMAIN}") for n in (1, 2)],
            coach=Person.objects.get(email=f"coach@{DEMO_DOMAIN}"),
        )
        from bekwaam.learning.demo import seed_learning_demo

        seed_learning_demo(
            board=board,
            provider=provider,
            teacher=teacher,
            leader=leader,
            colleagues=list(
                Person.objects.filter(
                    employments__school=schools[0], employments__function=Function.TEACHER, employments__board=board
                )
                .exclude(pk=teacher.pk)
                .order_by("email")
                .distinct()[:12]
            ),
        )
        from bekwaam.dialogue.demo import seed_dialogue_demo

        seed_dialogue_demo(
            board=board,
            school=schools[0],
            leader=leader,
            teacher=teacher,
            team=team_teachers[:6],
            today=timezone.localdate(),
        )
        # Last: the refresh releases the figures of everything the demos above made.
        from bekwaam.insights.demo import seed_insights_demo

        seed_insights_demo(board=board, schools=schools, teacher=teacher, today=timezone.localdate())
    return logins
