"""The bench dataset: one large board, a noise board, an aanbieder and an empty board for the import.

Deterministic (fixed seed, fixed ids), built with bulk_create in well under a minute, and kept
between runs: a marker row records the generator version and a hash of the migrations, and the
data is rebuilt only when either changes or `--fresh` is given. django-auditlog's signals do not
fire on bulk_create; the change log is filled with generated entries instead.

When a later issue adds models to a page being timed, give those pages data here and bump
GENERATOR_VERSION so every bench database is rebuilt.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.generate_conversations import generate_conversations
from bench.generate_dossier import generate_dossiers
from bench.generate_feedback import generate_feedback
from bench.generate_insights import generate_history, generate_learning, generate_released
from bench.generate_quality import generate_observations, generate_quality
from bench.generate_register import generate_register

# 4: dossiers (issue 3); 5: ANALYZE after generating; 6: five years of conversations and the cycle (issue 4);
# 7: a 360° round with 30 answers for the teacher persona; 8: lesson visits and quality care (issue 5);
# 10: e-learning, ten years of the teacher persona's history, released insights (issue 7)
GENERATOR_VERSION = 10
SEED = 20260101
DOMAIN = "bench.bekwaam.nl"
PASSWORD = "bench-password-not-secret"  # noqa: S105  (generated test people only)

MAIN_SCHOOLS = 100
STAFF_PER_SCHOOL = 40  # the school leader included: 100 x 40 = 4,000 staff
NOISE_SCHOOLS = 20
NOISE_STAFF_PER_SCHOOL = 40
IMPORT_SCHOOLS = 100  # an empty board that the import timing fills (and rolls back)
TEAMS = ("Onderbouw", "Middenbouw", "Bovenbouw")
PROVIDER_ASSESSORS = 10
PROVIDER_COACHES = 10
CHANGE_LOG_ENTRIES = 30_000
NOISE_CHANGE_LOG_ENTRIES = 5_000
ACCESS_LOG_ENTRIES = 30_000
NOISE_ACCESS_LOG_ENTRIES = 5_000

MAIN_AUTHORITY = "90001"
NOISE_AUTHORITY = "90002"
IMPORT_AUTHORITY = "90003"
PROVIDER_NAME = "Bench Academie"

# The people the runner signs in as, by role.
PERSONA_EMAILS = {
    "administrator": f"beheerder@{DOMAIN}",
    "board_member": f"bestuurder@{DOMAIN}",
    "quality_officer": f"kwaliteit@{DOMAIN}",
    "manager": f"directeur.000@{DOMAIN}",
    "teacher": f"leerkracht@{DOMAIN}",
    "assessor": f"assessor.00@{DOMAIN}",
    "coach": f"coach.00@{DOMAIN}",
    "operator": f"platform@{DOMAIN}",
    "import_administrator": f"beheerder.import@{DOMAIN}",
}

GIVEN = (
    "Anouk", "Bram", "Daan", "Eva", "Fleur", "Floor", "Gijs", "Hanneke", "Inge", "Jeroen", "Joost", "Karin",
    "Lieke", "Lotte", "Maaike", "Marieke", "Mark", "Nienke", "Noor", "Pieter", "Roos", "Ruben", "Sanne", "Sven",
    "Thijs", "Tim", "Vera", "Wouter", "Yvonne", "Femke", "Esther", "Hester", "Jasper", "Kees", "Linda", "Marloes",
    "Mohamed", "Fatima", "Sara", "Youssef", "Ilse", "Wendy", "Annemieke", "Bas", "Emma", "Julia", "Lucas", "Milan",
    "Zoë", "Sem",
)  # fmt: skip
FAMILY = (
    ("", "Bakker"), ("de", "Boer"), ("", "Bos"), ("van", "Dijk"), ("de", "Graaf"), ("", "Hendriks"),
    ("de", "Jong"), ("", "Jansen"), ("van der", "Linden"), ("", "Meijer"), ("", "Mulder"), ("", "Peters"),
    ("de", "Vries"), ("van den", "Berg"), ("", "Smit"), ("", "Visser"), ("van", "Leeuwen"), ("", "Kok"),
    ("", "Vermeulen"), ("van der", "Meer"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Koster"), ("van", "Wijk"), ("", "Prins"), ("", "Huisman"), ("el", "Amrani"), ("", "Yilmaz"),
    ("van", "Beek"), ("", "Schouten"), ("ter", "Horst"), ("", "Postma"),
)  # fmt: skip
PLACES = ("Utrecht", "Zeist", "Amersfoort", "Houten", "Nieuwegein", "IJsselstein", "Woerden", "Bunnik")
# Per school: the leader, then these functions in turn.
STAFF_FUNCTIONS = ("internal_supervisor", "teaching_assistant", "teaching_assistant", "support_staff") + (
    "teacher",
) * 16
TEACHER_POSITION = 5  # the teacher persona: position 5 of the first school
# "Mijn team" of the manager persona (the first school's director): its 39 staff and the teacher of the last
# school who also works there (position 25). Checked when generating, so the timed team stays this size.
MANAGER_TEAM_SIZE = 40


@dataclass
class Dataset:
    """What the database holds, and how long it took to get there."""

    generated: bool
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def brin(n: int, letters: str) -> str:
    return f"{n % 100:02d}{letters}"


def email_for(given: str, prefix: str, family: str, number: int, domain: str = DOMAIN) -> str:
    """A plain ASCII address (Zoë → zoe), as an e-mail validator accepts it."""
    local = f"{given}.{prefix.replace(' ', '')}{family}.{number}".lower()
    return f"{unicodedata.normalize('NFKD', local).encode('ascii', 'ignore').decode()}@{domain}"


def _marker() -> dict[str, Any]:
    migrations = sorted(Path(settings.BASE_DIR, "bekwaam").glob("*/migrations/*.py"))
    digest = hashlib.sha256()
    for path in migrations:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return {
        "version": GENERATOR_VERSION,
        "migrations": digest.hexdigest()[:16],
        "scale": [MAIN_SCHOOLS, STAFF_PER_SCHOOL, NOISE_SCHOOLS, CHANGE_LOG_ENTRIES, ACCESS_LOG_ENTRIES],
    }


def _read_marker() -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        if "bench_meta" not in connection.introspection.table_names(cursor):
            return None
        cursor.execute("SELECT value FROM bench_meta WHERE name = %s", ["marker"])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _write_marker(marker: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (name VARCHAR(32) PRIMARY KEY, value TEXT NOT NULL)")
        cursor.execute("DELETE FROM bench_meta WHERE name = %s", ["marker"])
        cursor.execute("INSERT INTO bench_meta (name, value) VALUES (%s, %s)", ["marker", json.dumps(marker)])


def _is_own_sqlite_file() -> bool:
    db = settings.DATABASES["default"]
    own = getattr(settings, "BENCH_SQLITE_PATH", None)  # set by bench.settings only
    return own is not None and db["ENGINE"] == "django.db.backends.sqlite3" and Path(db["NAME"]) == Path(own)


def _has_foreign_data() -> bool:
    from bekwaam.tenancy.models import Board

    tables = connection.introspection.table_names()
    if Board._meta.db_table not in tables:
        return False
    with scopes_disabled():
        return Board.objects.exclude(authority_number__in=[MAIN_AUTHORITY, NOISE_AUTHORITY, IMPORT_AUTHORITY]).exists()


def ensure_dataset(*, fresh: bool = False, log: Any = print) -> Dataset:
    """Reuse the bench database when its marker matches; otherwise (or with fresh) rebuild it."""
    started = time.perf_counter()
    marker = _marker()
    try:
        current = _read_marker()
    except Exception:  # an unreadable or foreign file is rebuilt like an outdated one
        current = None
    if current == marker and not fresh:
        call_command("migrate", verbosity=0, interactive=False)
        return Dataset(generated=False, seconds=time.perf_counter() - started, counts=dataset_counts())

    if _is_own_sqlite_file():
        # The bench owns this file: start from nothing, so migrations edited in place cannot bite.
        connection.close()
        path = Path(str(settings.DATABASES["default"]["NAME"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        log(f"Building the bench database in {path} …")
        call_command("migrate", verbosity=0, interactive=False)
    else:
        # Checked before anything is written: the bench never migrates or empties someone else's data.
        if current is None and _has_foreign_data():
            raise SystemExit(
                "The database holds boards that the bench did not create. Point BENCH_DATABASE_URL at an empty "
                "database of its own; the bench empties the database it uses."
            )
        call_command("migrate", verbosity=0, interactive=False)
        log(f"Emptying and rebuilding the bench database {settings.DATABASES['default']['NAME']} …")
        call_command("flush", verbosity=0, interactive=False)
    generate()
    # Planner statistics, as a production database has them (PostgreSQL's autovacuum; `ANALYZE` on
    # SQLite, docs/operations.md): without them SQLite picks the board index over the person's.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _write_marker(marker)
    return Dataset(generated=True, seconds=time.perf_counter() - started, counts=dataset_counts())


def dataset_counts() -> dict[str, int]:
    from bekwaam.audit.models import AccessLog
    from bekwaam.audit.models import ChangeEntry as LogEntry
    from bekwaam.conversations.models import Conversation
    from bekwaam.dossier.models import DevelopmentPlan, Evidence, SelfAssessment
    from bekwaam.observations.models import Observation
    from bekwaam.quality.models import SelfEvaluation
    from bekwaam.tenancy.models import Board, Employment, RoleGrant, School, Team

    with scopes_disabled():
        main = Board.objects.get(authority_number=MAIN_AUTHORITY)
        return {
            "boards": Board.objects.count(),
            "schools": School.objects.count(),
            "main_board_schools": School.objects.filter(board=main).count(),
            "teams": Team.objects.count(),
            "people": get_user_model().objects.count(),
            "employments": Employment.objects.count(),
            "main_board_employments": Employment.objects.filter(board=main).count(),
            "role_grants": RoleGrant.objects.count(),
            "change_log_entries": LogEntry.objects.count(),
            "access_log_entries": AccessLog.objects.count(),
            "measurements": SelfAssessment.objects.count(),
            "development_plans": DevelopmentPlan.objects.count(),
            "evidence": Evidence.objects.count(),
            "conversations": Conversation.objects.count(),
            "lesson_visits": Observation.objects.count(),
            "self_evaluations": SelfEvaluation.objects.count(),
        }


class _Ids:
    """Deterministic UUIDs, so URLs of generated people are the same in every bench database."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _board(
    rng: random.Random,
    new_id: _Ids,
    *,
    name: str,
    authority: str,
    schools: int,
    staff_per_school: int,
    letters: str,
    email_prefix: str,
    password: str,
    people: list[Any],
    employments: list[Any],
) -> tuple[Any, list[Any], list[Any]]:
    """A board with schools, teams, a leader per school and staff; returns (board, schools, leaders)."""
    from bekwaam.tenancy.models import Board, Employment, School, Team

    person_model = get_user_model()
    board = Board.objects.create(name=name, authority_number=authority)
    school_rows = School.objects.bulk_create(
        School(board=board, name=f"Basisschool {letters} {n:03d}", brin=brin(n, letters), place=PLACES[n % len(PLACES)])
        for n in range(schools)
    )
    team_rows = Team.objects.bulk_create(Team(school=s, name=t) for s in school_rows for t in TEAMS)
    teams_by_school: dict[int, list[Any]] = {}
    for team in team_rows:
        teams_by_school.setdefault(team.school_id, []).append(team)
    if not staff_per_school:
        return board, school_rows, []

    number = 10000
    leaders: list[Any] = []
    today = timezone.localdate()
    for index, school in enumerate(school_rows):
        teams = teams_by_school[school.id]
        leader: Any = None
        for position in range(staff_per_school):
            number += 1
            given = rng.choice(GIVEN)
            prefix, family = rng.choice(FAMILY)
            if position == 0:
                email = f"{email_prefix}directeur.{index:03d}@{DOMAIN}"
                function = "director"
            else:
                email = email_prefix + email_for(given, prefix, family, number)
                function = STAFF_FUNCTIONS[(position - 1) % len(STAFF_FUNCTIONS)]
                if not email_prefix and index == 0 and position == TEACHER_POSITION:
                    email, given, prefix, family = PERSONA_EMAILS["teacher"], "Lotte", "de", "Leerkracht"
            person = person_model(
                id=new_id(), email=email, given_name=given, name_prefix=prefix, family_name=family, password=password
            )
            people.append(person)
            start = datetime.date(rng.randint(1995, 2024), 8, 1)
            employments.append(
                Employment(
                    id=new_id(),
                    person=person,
                    board=board,
                    school=school,
                    team=None if function in {"director", "support_staff"} else teams[position % len(teams)],
                    function=function,
                    personnel_number=str(number),
                    start_date=start,
                    manager=leader,
                    fte=rng.choice([Decimal("0.4"), Decimal("0.6"), Decimal("0.8"), Decimal("1.0")]),
                )
            )
            if position == 0:
                leader = person
                leaders.append(person)
            # Some people also work at the next school, some left another school of the board.
            elif position % 25 == 0:
                number += 1
                other = school_rows[(index + 1) % len(school_rows)]
                employments.append(
                    Employment(
                        id=new_id(),
                        person=person,
                        board=board,
                        school=other,
                        function="teacher",
                        personnel_number=str(number),
                        start_date=start,
                        fte=Decimal("0.2"),
                    )
                )
            elif position % 20 == 0:
                number += 1
                other = school_rows[(index + 2) % len(school_rows)]
                employments.append(
                    Employment(
                        id=new_id(),
                        person=person,
                        board=board,
                        school=other,
                        function="teacher",
                        personnel_number=str(number),
                        start_date=datetime.date(1990, 8, 1),
                        end_date=min(start, today) - datetime.timedelta(days=1),
                        fte=Decimal("0.6"),
                    )
                )
    return board, school_rows, leaders


def _check_manager_team(leader: Any, employments: list[Any]) -> None:
    """The manager persona leads MANAGER_TEAM_SIZE active employments (as tenancy.selectors.team_members_for counts)."""
    today = timezone.localdate()
    school_id = next(e.school_id for e in employments if e.person_id == leader.id)
    team = [
        e
        for e in employments
        if e.person_id != leader.id
        and e.start_date <= today
        and (e.end_date is None or e.end_date >= today)
        and (e.manager_id == leader.id or e.school_id == school_id)
    ]
    assert len(team) == MANAGER_TEAM_SIZE, f"the manager persona leads {len(team)}, not {MANAGER_TEAM_SIZE}"


def _log_entries(
    rng: random.Random, *, board: Any, actor: Any, people: list[Any], employments: list[Any], count: int
) -> list[Any]:
    from bekwaam.audit.models import ChangeEntry as LogEntry
    from bekwaam.tenancy.models import Employment

    person_type = ContentType.objects.get_for_model(get_user_model())
    employment_type = ContentType.objects.get_for_model(Employment)
    now = timezone.now()
    board_ids = [board.id]
    rows: list[Any] = []
    for n in range(count):
        when = now - datetime.timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60))
        if n % 3 == 0:
            employment = rng.choice(employments)
            old, new = rng.sample(["0.400", "0.600", "0.800", "1.000"], 2)
            rows.append(
                LogEntry(
                    content_type=employment_type,
                    object_pk=str(employment.id),
                    object_repr=f"{employment.person.given_name} {employment.person.family_name}",
                    action=LogEntry.Action.UPDATE,
                    changes={"fte": [old, new]},
                    actor=actor,
                    timestamp=when,
                    additional_data={"board_ids": board_ids},
                )
            )
        else:
            person = rng.choice(people)
            rows.append(
                LogEntry(
                    content_type=person_type,
                    object_pk=str(person.id),
                    object_repr=f"{person.given_name} {person.family_name}",
                    action=LogEntry.Action.CREATE if n % 3 == 1 else LogEntry.Action.UPDATE,
                    changes=(
                        {"email": ["None", person.email]}
                        if n % 3 == 1
                        else {"family_name": ["Oud", person.family_name]}
                    ),
                    actor=actor,
                    timestamp=when,
                    additional_data={"board_ids": board_ids},
                )
            )
    return rows


def _access_logs(rng: random.Random, *, board: Any, actors: list[Any], people: list[Any], count: int) -> list[Any]:
    from bekwaam.audit.models import AccessLog

    now = timezone.now()
    return [
        AccessLog(
            board=board,
            actor=rng.choice(actors),
            subject=(subject := rng.choice(people)),
            what="personal details",
            right="functional administrator",
            path=f"/board/people/{subject.id}/",
            viewed_at=now - datetime.timedelta(minutes=rng.randint(1, 365 * 24 * 60)),
        )
        for _ in range(count)
    ]


def generate() -> None:
    """Fill an empty, migrated database with the bench data (one transaction)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from bekwaam.audit.models import AccessLog
    from bekwaam.audit.services import changes_record_bulk
    from bekwaam.tenancy.models import Employment, Provider, ProviderRoleGrant, Role, RoleGrant

    rng = random.Random(SEED)
    new_id = _Ids(random.Random(SEED + 1))
    person_model = get_user_model()
    # One hash for everyone: hashing 5,000 passwords one by one would take the whole minute.
    password = make_password(PASSWORD)

    with transaction.atomic(), scopes_disabled():
        people: list[Any] = []
        employments: list[Any] = []
        main, _, main_leaders = _board(
            rng, new_id, name="Stichting Bench", authority=MAIN_AUTHORITY, schools=MAIN_SCHOOLS,
            staff_per_school=STAFF_PER_SCHOOL, letters="BA", email_prefix="", password=password,
            people=people, employments=employments,
        )  # fmt: skip
        main_people = list(people)
        main_employments = list(employments)
        noise, _, noise_leaders = _board(
            rng, new_id, name="Stichting Ruis", authority=NOISE_AUTHORITY, schools=NOISE_SCHOOLS,
            staff_per_school=NOISE_STAFF_PER_SCHOOL, letters="BB", email_prefix="ruis.", password=password,
            people=people, employments=employments,
        )  # fmt: skip
        noise_people = people[len(main_people) :]
        noise_employments = employments[len(main_employments) :]
        import_board, _, _ = _board(
            rng, new_id, name="Stichting Import", authority=IMPORT_AUTHORITY, schools=IMPORT_SCHOOLS,
            staff_per_school=0, letters="BC", email_prefix="import.", password=password,
            people=people, employments=employments,
        )  # fmt: skip

        def staff(email: str, given: str, family: str, **extra: Any) -> Any:
            person = person_model(
                id=new_id(), email=email, given_name=given, family_name=family, password=password, **extra
            )
            people.append(person)
            return person

        administrator = staff(PERSONA_EMAILS["administrator"], "Bas", "Beheer")
        board_member = staff(PERSONA_EMAILS["board_member"], "Hester", "Bestuur")
        quality_officer = staff(PERSONA_EMAILS["quality_officer"], "Karin", "Kwaliteit")
        noise_admin = staff(f"beheerder.ruis@{DOMAIN}", "Rik", "Ruis")
        import_admin = staff(PERSONA_EMAILS["import_administrator"], "Ilse", "Import")
        operator = staff(PERSONA_EMAILS["operator"], "Pim", "Platform", is_superuser=True, is_staff=True)
        assessors = [staff(f"assessor.{n:02d}@{DOMAIN}", "Joost", f"Assessor {n}") for n in range(PROVIDER_ASSESSORS)]
        coaches = [staff(f"coach.{n:02d}@{DOMAIN}", "Femke", f"Coach {n}") for n in range(PROVIDER_COACHES)]

        person_model.objects.bulk_create(people, batch_size=1000)
        Employment.objects.bulk_create(employments, batch_size=1000)

        grants = [
            RoleGrant(id=new_id(), person=administrator, board=main, role=Role.ADMINISTRATOR),
            RoleGrant(id=new_id(), person=board_member, board=main, role=Role.BOARD_MEMBER),
            RoleGrant(id=new_id(), person=quality_officer, board=main, role=Role.QUALITY_OFFICER),
            RoleGrant(id=new_id(), person=noise_admin, board=noise, role=Role.ADMINISTRATOR),
            RoleGrant(id=new_id(), person=import_admin, board=import_board, role=Role.ADMINISTRATOR),
        ]
        for board, leaders in ((main, main_leaders), (noise, noise_leaders)):
            leader_employments = [e for e in employments if e.board_id == board.id and e.function == "director"]
            grants += [
                RoleGrant(id=new_id(), person=e.person, board=board, school=e.school, role=Role.MANAGER)
                for e in leader_employments
            ]
            assert len(leader_employments) == len(leaders)
        RoleGrant.objects.bulk_create(grants)

        provider = Provider.objects.create(name=PROVIDER_NAME)
        ProviderRoleGrant.objects.bulk_create(
            [ProviderRoleGrant(id=new_id(), person=p, provider=provider, role=Role.ASSESSOR) for p in assessors]
            + [ProviderRoleGrant(id=new_id(), person=p, provider=provider, role=Role.COACH) for p in coaches]
        )

        # Everyone who sees others' data has a second factor, or RequireMfaMiddleware would redirect.
        for person in [
            administrator, board_member, quality_officer, noise_admin, import_admin, operator,
            *assessors, *coaches, *main_leaders, *noise_leaders,
        ]:  # fmt: skip
            TOTP.activate(person, generate_totp_secret())

        changes_record_bulk(
            board_id=main.id,
            entries=_log_entries(
                rng,
                board=main,
                actor=administrator,
                people=main_people,
                employments=main_employments,
                count=CHANGE_LOG_ENTRIES,
            ),
        )
        changes_record_bulk(
            board_id=noise.id,
            entries=_log_entries(
                rng, board=noise, actor=noise_admin, people=noise_people, employments=noise_employments,
                count=NOISE_CHANGE_LOG_ENTRIES,
            ),
        )  # fmt: skip
        generate_dossiers(rng, new_id, board=main, employments=main_employments)
        _check_manager_team(main_leaders[0], main_employments)
        generate_conversations(rng, new_id, board=main, employments=main_employments)
        # The teacher persona's 360° round with 30 answers, from their leidinggevende and their school.
        teacher_employment = next(e for e in main_employments if e.person.email == PERSONA_EMAILS["teacher"])
        schoolmates = [
            e.person
            for e in main_employments
            if e.school_id == teacher_employment.school_id and e.person_id != teacher_employment.person_id
        ]
        generate_feedback(
            rng,
            new_id,
            board=main,
            owner=teacher_employment.person,
            raters=[teacher_employment.manager, *[p for p in schoolmates if p != teacher_employment.manager]],
        )
        generate_observations(
            rng,
            new_id,
            board=main,
            employments=main_employments,
            quality_officer=quality_officer,
            manager=main_leaders[0],
        )
        main_schools = sorted({e.school for e in main_employments}, key=lambda school: school.name)
        generate_quality(
            rng,
            new_id,
            board=main,
            schools=main_schools,
            quality_officer=quality_officer,
            leaders={e.school_id: e.person for e in main_employments if e.function == "director"},
        )
        generate_register(rng, new_id, board=main, provider=provider, leaders=main_leaders, coaches=coaches)
        generate_history(rng, new_id, board=main, employment=teacher_employment)
        generate_learning(
            rng, new_id, board=main, provider=provider, people=main_people, teacher=teacher_employment.person
        )
        generate_released(board=main)
        AccessLog.objects.bulk_create(
            _access_logs(rng, board=main, actors=[administrator, *main_leaders[:10]], people=main_people,
                         count=ACCESS_LOG_ENTRIES)
            + _access_logs(rng, board=noise, actors=[noise_admin], people=noise_people,
                           count=NOISE_ACCESS_LOG_ENTRIES),
            batch_size=1000,
        )  # fmt: skip
