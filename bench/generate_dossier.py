"""Realistic dossiers for the bench board (issue 3): per person 3 measurements, 2 POPs, 50 evidence items.

Spread over the school years 2022 to 2025, with ratings on every indicator of the shipped
bekwaamheidseisen, goals in every PDCA phase with their history, certificates that expire, and
portfolio sections shared with the leidinggevende (so "Mijn team" has something to count).
Everything through bulk_create, with deterministic ids.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

MEASUREMENTS_PER_PERSON = 3
PLANS_PER_PERSON = 2
GOALS_PER_PLAN = 3
ACTIONS_PER_GOAL = 2
EVIDENCE_PER_PERSON = 50
REFLECTIONS_PER_PERSON = 10
BATCH = 5000
KINDS = ("document",) * 12 + ("certificate",) * 4 + ("diploma",) + ("link",) * 3
PHASES = ("plan", "do", "check", "act", "done")


def _at(year: int, rng: random.Random) -> datetime.datetime:
    day = datetime.date(year, 9, 1) + datetime.timedelta(days=rng.randint(0, 300))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def generate_dossiers(
    rng: random.Random, new_id: Callable[[], Any], *, board: Any, employments: list[Any]
) -> dict[str, int]:
    """Dossiers for everyone with an active employment at the board; returns row counts."""
    from bekwaam.dossier.models import (
        Action,
        DevelopmentPlan,
        Evidence,
        Goal,
        GoalPhaseChange,
        Rating,
        Reflection,
        SelfAssessment,
        Share,
    )
    from bekwaam.frameworks.models import Competence, Indicator, ScaleLevel
    from bekwaam.frameworks.services import framework_adopt_for_board

    framework = framework_adopt_for_board(board=board, slug="teacher-competences")
    version = framework.versions.order_by("-number").first()
    assert version is not None
    indicators = list(Indicator.objects.filter(competence__version=version).values_list("id", flat=True))
    competences = list(Competence.objects.filter(version=version).values_list("id", flat=True))
    levels = list(ScaleLevel.objects.filter(version=version).order_by("value").values_list("id", flat=True))

    people = {e.person_id: e for e in employments if e.end_date is None}
    rows: dict[str, list[Any]] = {name: [] for name in ("assessments", "ratings", "plans", "goals", "changes",
                                                         "actions", "evidence", "reflections", "shares")}  # fmt: skip
    links: dict[str, list[Any]] = {"evidence_competences": [], "reflection_competences": [], "evidence_goals": []}
    today = timezone.localdate()
    for person_id, employment in people.items():
        for n, year in enumerate(range(2023, 2023 + MEASUREMENTS_PER_PERSON)):
            started = _at(year - 1, rng)
            assessment = SelfAssessment(
                id=new_id(), board=board, person_id=person_id, framework_version=version,
                kind="baseline" if n == 0 else "follow_up", status="finished",
                finished_at=started + datetime.timedelta(days=3),
            )  # fmt: skip
            assessment.started_at = started
            rows["assessments"].append(assessment)
            base = min(n + 1, len(levels) - 1)
            rows["ratings"] += [
                Rating(board=board, assessment=assessment, indicator_id=i,
                       level_id=levels[max(0, min(len(levels) - 1, base + rng.randint(-1, 1)))])
                for i in indicators
            ]  # fmt: skip
        person_goals: list[Any] = []
        for p, year in enumerate(range(2024, 2024 + PLANS_PER_PERSON)):
            plan = DevelopmentPlan(
                id=new_id(), board=board, person_id=person_id, title=f"POP {year}-{year + 1}",
                starts_on=datetime.date(year, 8, 1), ends_on=datetime.date(year + 1, 7, 31),
            )  # fmt: skip
            rows["plans"].append(plan)
            for g in range(GOALS_PER_PLAN):
                phase = PHASES[min(len(PHASES) - 1, rng.randint(0, 4) if p else 4)]
                goal = Goal(
                    id=new_id(), board=board, plan=plan, title=f"Doel {g + 1}: differentiëren in de instructie",
                    why="Zodat alle leerlingen op hun niveau leren.",
                    success_criteria="Drie lesbezoeken laten het zien.",
                    due_date=datetime.date(year + 1, rng.randint(1, 6), 15), phase=phase, position=g,
                )  # fmt: skip
                rows["goals"].append(goal)
                person_goals.append(goal)
                for step in range(PHASES.index(phase)):
                    rows["changes"].append(
                        GoalPhaseChange(
                            board=board, goal=goal, from_phase=PHASES[step], to_phase=PHASES[step + 1],
                            reflection="Wat ging goed, wat kan beter.", changed_at=_at(year, rng),
                        )
                    )  # fmt: skip
                rows["actions"] += [
                    Action(
                        id=new_id(), board=board, goal=goal, description=f"Actie {a + 1}",
                        due_date=datetime.date(year + 1, rng.randint(1, 6), 1),
                        done_at=_at(year, rng) if phase == "done" or a == 0 else None,
                    )
                    for a in range(ACTIONS_PER_GOAL)
                ]  # fmt: skip
        for e in range(EVIDENCE_PER_PERSON):
            kind = KINDS[e % len(KINDS)]
            issued = datetime.date(2018 + e % 8, 1 + e % 12, 1)
            evidence = Evidence(
                id=new_id(), board=board, person_id=person_id, kind=kind, title=f"Bewijsstuk {e + 1}",
                description="Toelichting bij dit bewijsstuk.", original_name=f"bewijs-{e + 1}.pdf",
                content_type="" if kind == "link" else "application/pdf", size=0 if kind == "link" else 120_000,
                url="https://example.org/les" if kind == "link" else "", issued_on=issued,
                issuer="Hogeschool" if kind in ("certificate", "diploma") else "",
                expires_on=today + datetime.timedelta(days=rng.randint(-100, 700)) if kind == "certificate" else None,
            )  # fmt: skip
            evidence.created_at = _at(2018 + e % 8, rng)
            rows["evidence"].append(evidence)
            for c in rng.sample(competences, 2):
                links["evidence_competences"].append(Evidence.competences.through(evidence=evidence, competence_id=c))
            if e % 10 == 0:
                goal = person_goals[e // 10 % len(person_goals)]
                links["evidence_goals"].append(Evidence.goals.through(evidence=evidence, goal=goal))
        for r in range(REFLECTIONS_PER_PERSON):
            reflection = Reflection(
                id=new_id(), board=board, person_id=person_id, title=f"Reflectie {r + 1}",
                body="Wat ik zag, wat ik deed, wat ik leerde.", written_on=datetime.date(2020 + r % 6, 3, 1 + r),
            )  # fmt: skip
            reflection.created_at = _at(2020 + r % 6, rng)
            rows["reflections"].append(reflection)
            links["reflection_competences"].append(
                Reflection.competences.through(reflection=reflection, competence_id=rng.choice(competences))
            )
        # Most people let their leidinggevende see their portfolio; some their POP too.
        if employment.manager_id and rng.random() < 0.8:
            rows["shares"].append(
                Share(id=new_id(), board=board, owner_id=person_id, audience="manager", section="portfolio")
            )
            if rng.random() < 0.5:
                rows["shares"].append(
                    Share(id=new_id(), board=board, owner_id=person_id, audience="manager", section="plans")
                )

    models = {
        "assessments": SelfAssessment, "ratings": Rating, "plans": DevelopmentPlan, "goals": Goal,
        "changes": GoalPhaseChange, "actions": Action, "evidence": Evidence, "reflections": Reflection,
        "shares": Share,
    }  # fmt: skip
    # The dates are spread over the years on purpose: auto_now_add would stamp them all with today.
    stamped = [(SelfAssessment, "started_at"), (Evidence, "created_at"), (Reflection, "created_at")]
    for model, name in stamped:
        model._meta.get_field(name).auto_now_add = False  # type: ignore[union-attr]
    try:
        for name, model in models.items():
            model.objects.bulk_create(rows[name], batch_size=BATCH)
    finally:
        for model, name in stamped:
            model._meta.get_field(name).auto_now_add = True  # type: ignore[union-attr]
    through = {
        "evidence_competences": Evidence.competences.through,
        "reflection_competences": Reflection.competences.through,
        "evidence_goals": Evidence.goals.through,
    }
    for name, model in through.items():
        model.objects.bulk_create(links[name], batch_size=BATCH)
    counts = {name: len(value) for name, value in rows.items()}
    counts.update({name: len(value) for name, value in links.items()})
    return counts
