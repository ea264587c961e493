"""Issue 7 on the bench board: 200 e-learning modules, ten years of one person's history, and the released
contributions behind the board insights page.

- The catalogue: 100 modules of the board and 100 of the aanbieder offered to it, each published with three
  lessons, a quiz of three questions and two competences; 600 people of the board have enrolled in some.
- The teacher persona's history goes back ten school years: two measurements a year, a lesson visit a
  year, a POP each year with its goals done, an e-learning module a year (on top of what the other
  generators made for everyone).
- Finally the insights refresh runs for the board, so the board page times reading released figures of
  4,000 staff (measurements of three years, two years of lesson visits, five years of conversations).
Everything through bulk_create with deterministic ids, like the other generators.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

BOARD_MODULES = 100
PROVIDER_MODULES = 100
LESSONS_PER_MODULE = 3
QUESTIONS_PER_MODULE = 3
ENROLLED_PEOPLE = 600
HISTORY_YEARS = 10
BATCH = 5000
LEVELS = ("introduction", "deepening", "advanced")
TOPICS = (
    "Feedback geven", "Differentiëren", "Klassenmanagement", "Rekenen in groep 5", "Begrijpend lezen",
    "Het jonge kind", "Gedrag en groepsvorming", "Ouderbetrokkenheid", "Formatief evalueren", "Burgerschap",
)  # fmt: skip


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def generate_learning(
    rng: random.Random, new_id: Callable[[], Any], *, board: Any, provider: Any, people: list[Any], teacher: Any
) -> dict[str, int]:
    """The catalogue of 200 modules, enrolments of 600 people, and the teacher's module a year."""
    from bekwaam.frameworks.models import Competence
    from bekwaam.learning.models import (
        Choice,
        Completion,
        Course,
        CourseCompetence,
        CourseVersion,
        Enrolment,
        Lesson,
        Question,
    )

    competences = list(
        Competence.objects.filter(board=board, version__framework__slug="teacher-competences")
        .order_by("code")
        .values_list("code", "name")
        .distinct()
    )
    courses: list[Any] = []
    versions: list[Any] = []
    rows: dict[str, list[Any]] = {"competences": [], "lessons": [], "questions": [], "choices": []}
    published = _at(datetime.date(2024, 8, 1))
    for n in range(BOARD_MODULES + PROVIDER_MODULES):
        own = n < BOARD_MODULES
        course = Course(id=new_id(), board=board if own else None, provider=None if own else provider)
        courses.append(course)
        topic = TOPICS[n % len(TOPICS)]
        version = CourseVersion(
            id=new_id(), course=course, number=1, status="published", title=f"{topic} ({n + 1})",
            summary=f"Een korte module over {topic.lower()}.", duration_minutes=rng.choice((20, 30, 45, 60)),
            level=LEVELS[n % len(LEVELS)], pass_mark=70, published_at=published,
        )  # fmt: skip
        versions.append(version)
        for code, name in rng.sample(competences, 2):
            rows["competences"].append(
                CourseCompetence(version=version, framework_slug="teacher-competences", code=code, name=name)
            )
        for position in range(1, LESSONS_PER_MODULE + 1):
            rows["lessons"].append(
                Lesson(id=new_id(), version=version, position=position, title=f"Les {position}",
                       body="## Waarom\n\nTekst van de les met **nadruk** en een lijst:\n\n- een\n- twee\n")
            )  # fmt: skip
        for position in range(1, QUESTIONS_PER_MODULE + 1):
            question = Question(id=new_id(), version=version, position=position, text=f"Vraag {position}?")
            rows["questions"].append(question)
            rows["choices"] += [
                Choice(id=new_id(), question=question, position=1, text="Juist", is_correct=True),
                Choice(id=new_id(), question=question, position=2, text="Onjuist", is_correct=False),
            ]
    Course.objects.bulk_create(courses)
    Course.boards.through.objects.bulk_create(
        [Course.boards.through(course_id=c.id, board_id=board.id) for c in courses if c.provider_id]
    )
    CourseVersion.objects.bulk_create(versions)
    CourseCompetence.objects.bulk_create(rows["competences"], batch_size=BATCH)
    Lesson.objects.bulk_create(rows["lessons"], batch_size=BATCH)
    Question.objects.bulk_create(rows["questions"], batch_size=BATCH)
    Choice.objects.bulk_create(rows["choices"], batch_size=BATCH)

    enrolments: list[Any] = []
    completions: list[Any] = []
    for person in rng.sample([p for p in people if p.pk != teacher.pk], ENROLLED_PEOPLE):
        for version in rng.sample(versions, 3):
            enrolment = Enrolment(id=new_id(), board=board, person=person, course=version.course, version=version)
            enrolments.append(enrolment)
            if rng.random() < 0.6:
                day = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
                enrolment.completed_at = _at(day)
                completions.append(_completion(new_id, board, person, enrolment, version, day, rng))
    this_year = timezone.localdate().year
    for n, version in enumerate(versions[:HISTORY_YEARS]):
        enrolment = Enrolment(id=new_id(), board=board, person=teacher, course=version.course, version=version)
        day = datetime.date(this_year - HISTORY_YEARS + n, 3, 1)
        enrolment.completed_at = _at(day)
        enrolments.append(enrolment)
        completions.append(_completion(new_id, board, teacher, enrolment, version, day, rng))
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    Completion.objects.bulk_create(completions, batch_size=BATCH)
    return {"courses": len(courses), "enrolments": len(enrolments), "completions": len(completions)}


def _completion(
    new_id: Callable[[], Any], board: Any, person: Any, enrolment: Any, version: Any, day: datetime.date, rng: Any
) -> Any:
    from bekwaam.learning.models import Completion

    return Completion(
        id=new_id(), board=board, person=person, enrolment=enrolment, course=version.course, version=version,
        title=version.title, version_number=1, offered_by="Stichting Bench", score_percent=rng.randint(70, 100),
        completed_at=_at(day),
    )  # fmt: skip


def generate_history(rng: random.Random, new_id: Callable[[], Any], *, board: Any, employment: Any) -> dict[str, int]:
    """Ten school years of the teacher persona's own results, before those the other generators made."""
    from bekwaam.dossier.models import DevelopmentPlan, Goal, GoalPhaseChange, Rating, SelfAssessment
    from bekwaam.frameworks.models import Competence, FrameworkVersion, Indicator, ScaleLevel
    from bekwaam.observations.models import Observation, ObservationScore

    person = employment.person
    version = FrameworkVersion.objects.filter(board=board, framework__slug="teacher-competences").order_by("-number")[0]
    indicators = list(Indicator.objects.filter(competence__version=version).values_list("id", flat=True))
    levels = list(ScaleLevel.objects.filter(version=version).order_by("value").values_list("id", flat=True))
    instrument = FrameworkVersion.objects.filter(board=board, framework__slug="icalt-kijkwijzer").order_by("-number")[0]
    items = list(Competence.objects.filter(version=instrument))
    values = list(ScaleLevel.objects.filter(version=instrument).order_by("value").values_list("value", flat=True))
    first = timezone.localdate().year - HISTORY_YEARS
    names = ("assessments", "ratings", "plans", "goals", "changes", "visits", "scores")
    rows: dict[str, list[Any]] = {name: [] for name in names}
    for year in range(first, first + HISTORY_YEARS - 3):  # the last three years exist already
        for half in (0, 1):
            finished = _at(datetime.date(year + 1, 3, 15) if half else datetime.date(year, 10, 15))
            assessment = SelfAssessment(
                id=new_id(), board=board, person=person, framework_version=version,
                kind="baseline" if year == first and half == 0 else "follow_up", status="finished",
                finished_at=finished,
            )  # fmt: skip
            assessment.started_at = finished - datetime.timedelta(days=2)
            rows["assessments"].append(assessment)
            base = min(len(levels) - 1, (year - first) * len(levels) // HISTORY_YEARS)
            rows["ratings"] += [
                Rating(board=board, assessment=assessment, indicator_id=i,
                       level_id=levels[max(0, min(len(levels) - 1, base + rng.randint(-1, 1)))])
                for i in indicators
            ]  # fmt: skip
        plan = DevelopmentPlan(
            id=new_id(), board=board, person=person, title=f"POP {year}-{year + 1}",
            starts_on=datetime.date(year, 8, 1), ends_on=datetime.date(year + 1, 7, 31),
        )  # fmt: skip
        rows["plans"].append(plan)
        for g in range(3):
            goal = Goal(id=new_id(), board=board, plan=plan, title=f"Doel {g + 1} ({year})", phase="done", position=g)
            goal.phase_changed_at = _at(datetime.date(year + 1, 6, 1))
            rows["goals"].append(goal)
            rows["changes"].append(
                GoalPhaseChange(board=board, goal=goal, from_phase="act", to_phase="done", reflection="Gehaald.",
                                changed_at=goal.phase_changed_at)
            )  # fmt: skip
        day = datetime.date(year + 1, 2, 10)
        visit = Observation(
            id=new_id(), board=board, school_id=employment.school_id, employment=employment, teacher=person,
            observer=employment.manager, instrument=instrument, group=4, date=day, subject="Rekenen",
            state="acknowledged", submitted_at=_at(day), acknowledged_at=_at(day + datetime.timedelta(days=2)),
            created_by=employment.manager,
        )  # fmt: skip
        rows["visits"].append(visit)
        rows["scores"] += [
            ObservationScore(board=board, observation=visit, item=item, value=rng.choice(values)) for item in items
        ]
    SelfAssessment._meta.get_field("started_at").auto_now_add = False  # type: ignore[union-attr]
    try:
        SelfAssessment.objects.bulk_create(rows["assessments"])
    finally:
        SelfAssessment._meta.get_field("started_at").auto_now_add = True  # type: ignore[union-attr]
    Rating.objects.bulk_create(rows["ratings"], batch_size=BATCH)
    DevelopmentPlan.objects.bulk_create(rows["plans"])
    Goal.objects.bulk_create(rows["goals"])
    GoalPhaseChange.objects.bulk_create(rows["changes"])
    Observation.objects.bulk_create(rows["visits"])
    ObservationScore.objects.bulk_create(rows["scores"], batch_size=BATCH)
    return {name: len(value) for name, value in rows.items()}


def generate_released(*, board: Any) -> dict[str, int]:
    """Run the insights refresh over everything generated: the board page reads released figures."""
    from bekwaam.insights.services.release import refresh

    run = refresh(board=board)
    return {"contributions_added": run.added, "contributions_released": run.released}
