"""Schoolleidersregister and waarderingstrajecten for the bench (issue 6).

Register: every school leader of the main board has a registration period (begun one to four years ago,
five years long); the manager persona's holds 40 activities (pre-accredited courses and assessments
afterwards, each with two or three themes), the others a few. Trajectories: the aanbieder publishes
two templates; 500 trajectories of the main board's school leaders spread over every state, with their
assignments copied, and for submitted ones two evidence items and a reflection per assignment (about
3,000 items). The first assessor persona sees all 500 on the worklist. Everything through bulk_create
with deterministic ids.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

TRAJECTORIES = 500
PERSONA_ACTIVITIES = 40
STATE_WEIGHTS = (
    ("enrolled", 30),
    ("collecting", 150),
    ("assessment_requested", 60),
    ("under_review", 60),
    ("additions_requested", 40),
    ("interview_planned", 40),
    ("deciding", 30),
    ("advised", 20),
    ("withdrawn", 20),
    ("certified", 50),
)
SUBMITTED = {
    "assessment_requested",
    "under_review",
    "additions_requested",
    "interview_planned",
    "deciding",
    "advised",
    "certified",
}
ITEMS = (("evidence", "Verslag studiedag"), ("evidence", "Teamplan"), ("reflection", "Reflectie"))
COURSES = (
    ("AVS Academie", "Leergang onderwijskundig leiderschap", 35),
    ("NSO-CNA", "Leiderschap in verandering", 20),
    ("Universiteit Utrecht", "Data-gedreven schoolontwikkeling", 15),
    ("Academie Vakmanschap", "Strategisch personeelsbeleid", 25),
    ("Penta Nova", "Pedagogisch leiderschap", 10),
)


def generate_register(
    rng: random.Random,
    new_id: Callable[[], Any],
    *,
    board: Any,
    provider: Any,
    leaders: list[Any],
    coaches: list[Any],
) -> None:
    from bekwaam.register.models import Activity, ActivityKind, RegistrationPeriod, Theme
    from bekwaam.trajectories.models import (
        Assignment,
        PortfolioItem,
        TemplateAssignment,
        TemplateStep,
        Trajectory,
    )
    from bekwaam.trajectories.tests.factories import template_build

    today = timezone.localdate()
    now = timezone.now()
    themes = list(Theme.objects.filter(first_year__lte=today.year, last_year__isnull=True).order_by("name"))

    # Register periods and activities.
    periods = []
    for index, leader in enumerate(leaders):
        start = today.replace(year=today.year - (1 + index % 4), day=1)
        periods.append(
            RegistrationPeriod(
                id=new_id(),
                board=board,
                person=leader,
                start_date=start,
                length_years=5,
                end_date=start.replace(year=start.year + 5) - datetime.timedelta(days=1),
            )
        )
    RegistrationPeriod.objects.bulk_create(periods)
    activities: list[Any] = []
    activity_themes: list[Any] = []
    through = Activity.themes.through
    for index, period in enumerate(periods):
        count = PERSONA_ACTIVITIES if index == 0 else 3
        for n in range(count):
            day = period.start_date + datetime.timedelta(days=20 + n * 17)
            day = min(day, today)
            provider_name, course, points = COURSES[n % len(COURSES)]
            retro = n % 4 == 3
            level = rng.choice((4, 5, 6)) if retro else None
            chosen = rng.sample(themes, 2 + n % 2)
            activity = Activity(
                id=new_id(),
                board=board,
                period=period,
                kind=ActivityKind.RETRO_ASSESSED if retro else ActivityKind.PRE_ACCREDITED,
                title=f"{course} ({n + 1})",
                provider_name=provider_name,
                completed_on=day,
                points=min(100, len(chosen) * 10 + {4: 0, 5: 10, 6: 20}[level]) if retro and level else points,
                learning_level=level,
                leadership_practices=rng.sample(["LP1", "LP2", "LP3", "LP4", "LP5", "PL"], 2),
            )
            activities.append(activity)
            activity_themes += [through(activity_id=activity.id, theme_id=t.id) for t in chosen]
    Activity.objects.bulk_create(activities, batch_size=2000)
    through.objects.bulk_create(activity_themes, batch_size=5000)

    # The aanbieder's templates.
    retro_template = template_build(provider=provider, name="Achteraf waarderen (bench)", assignments=3)
    template_build(provider=provider, name="Traject leidinggeven (bench)", kind="programme", assignments=4)
    template_assignments = list(TemplateAssignment.objects.filter(template=retro_template).order_by("position"))
    assert TemplateStep.objects.filter(template=retro_template).exists()

    states = [state for state, weight in STATE_WEIGHTS for _ in range(weight)]
    assert len(states) == TRAJECTORIES
    rng.shuffle(states)
    trajectories, trajectory_themes, assignments, items, item_themes = [], [], [], [], []
    for index, state in enumerate(states):
        candidate = leaders[index % len(leaders)]
        enrolled = now - datetime.timedelta(days=rng.randint(5, 400))
        coach = coaches[index % len(coaches)] if index % 3 == 0 else None
        trajectory = Trajectory(
            id=new_id(),
            provider=provider,
            template=retro_template,
            candidate=candidate,
            candidate_board=board,
            with_coaching=coach is not None,
            coach=coach,
            state=state,
            enrolled_at=enrolled,
            requested_at=enrolled + datetime.timedelta(days=30) if state in SUBMITTED else None,
        )
        trajectories.append(trajectory)
        chosen = rng.sample(themes, 2)
        trajectory_themes += [Trajectory.themes.through(trajectory_id=trajectory.id, theme_id=t.id) for t in chosen]
        for source in template_assignments:
            assignment = Assignment(
                id=None,
                trajectory=trajectory,
                position=source.position,
                title=source.title,
                instructions=source.instructions,
                min_evidence=source.min_evidence,
                min_reflections=source.min_reflections,
            )
            assignments.append(assignment)
    Trajectory.objects.bulk_create(trajectories, batch_size=1000)
    Trajectory.themes.through.objects.bulk_create(trajectory_themes, batch_size=5000)
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    by_trajectory: dict[Any, list[Any]] = {}
    for assignment in Assignment.objects.filter(trajectory__provider=provider).only("id", "trajectory_id"):
        by_trajectory.setdefault(assignment.trajectory_id, []).append(assignment)
    for trajectory in trajectories:
        if trajectory.state not in SUBMITTED:
            continue
        for assignment in by_trajectory[trajectory.id]:
            for kind, title in ITEMS:
                item = PortfolioItem(
                    id=new_id(),
                    trajectory=trajectory,
                    assignment=assignment,
                    kind=kind,
                    title=title,
                    body="Wat ik deed, wat het opleverde en wat ik ervan leerde.",
                )
                items.append(item)
    PortfolioItem.objects.bulk_create(items, batch_size=2000)
    item_through = PortfolioItem.themes.through
    first_theme = {row.trajectory_id: row.theme_id for row in trajectory_themes}
    item_themes = [item_through(portfolioitem_id=item.id, theme_id=first_theme[item.trajectory.id]) for item in items]
    item_through.objects.bulk_create(item_themes, batch_size=5000)
