"""Lesson visits and kwaliteitszorg for the bench board (issue 5).

Observations: the ICALT kijkwijzer adopted; per school and per school year (this one and the previous
one) a visit by the school leader to twelve teachers, every item scored, put forward or acknowledged; two
visits per school and year also scored by the kwaliteitsmedewerker (calibration). The manager persona has
one visit in progress, half scored (the scoring page). About 2,400 visits and 90,000 scores.

Quality: the onderzoekskader as the migration loads it; per school a final self-evaluation of last school
year and a nu-meting of this one (every school standard judged), an inspection visit of one to three years
ago with judgements and herstelopdrachten; every third school a verbeterplan with goals and actions in all
PDCA phases (some overdue); five schools flagged, ten with an upcoming inspection; the board's own BKA
evaluation. Everything through bulk_create with deterministic ids.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.lib.dates import school_year_bounds, school_year_of

ICALT_SLUG = "icalt-kijkwijzer"
TEACHERS_PER_SCHOOL_YEAR = 12
CALIBRATIONS_PER_SCHOOL_YEAR = 2
SUBJECTS = ("Rekenen", "Taal", "Begrijpend lezen", "Spelling", "Wereldoriëntatie", "Schrijven")
NOTES = (
    "Heldere start, lesdoel op het bord.",
    "Snelle rekenaars wachten na de instructie.",
    "Goede vragen die kinderen laten nadenken.",
    "",
    "",
)
BATCH = 5000


def _instrument(board: Any) -> Any:
    from bekwaam.frameworks.models import FrameworkVersion, VersionStatus
    from bekwaam.frameworks.services import framework_adopt_for_board

    framework = framework_adopt_for_board(board=board, slug=ICALT_SLUG)
    return FrameworkVersion.objects.filter(framework=framework, status=VersionStatus.PUBLISHED).latest("number")


def generate_observations(
    rng: random.Random,
    new_id: Callable[[], Any],
    *,
    board: Any,
    employments: list[Any],
    quality_officer: Any,
    manager: Any,
    today: datetime.date | None = None,
) -> int:
    """Visits at every school of the board; returns the number of observations written."""
    from bekwaam.frameworks.models import Competence, ScaleLevel
    from bekwaam.observations.models import Observation, ObservationScore, ObservationState

    today = today or timezone.localdate()
    instrument = _instrument(board)
    items = list(Competence.objects.filter(version=instrument).order_by("domain__position", "position"))
    values = list(ScaleLevel.objects.filter(version=instrument).order_by("value").values_list("value", flat=True))

    by_school: dict[int, list[Any]] = {}
    for employment in employments:
        by_school.setdefault(employment.school_id, []).append(employment)
    observations: list[Any] = []
    scores: list[Any] = []

    def visit(
        employment: Any, observer: Any, day: datetime.date, *, calibrates: Any = None, base: int, state: str
    ) -> Any:
        submitted = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))
        observation = Observation(
            id=new_id(),
            board=board,
            school_id=employment.school_id,
            employment=employment,
            teacher=employment.person,
            observer=observer,
            instrument=instrument,
            calibrates=calibrates,
            group=rng.randint(1, 8),
            date=day,
            subject=rng.choice(SUBJECTS),
            state=state,
            went_well="De rust in de groep en de heldere instructie." if calibrates is None else "",
            work_on="Afstemmen van de verwerking op verschillen." if calibrates is None else "",
            submitted_at=submitted if state != ObservationState.IN_PROGRESS else None,
            acknowledged_at=submitted + datetime.timedelta(days=3) if state == ObservationState.ACKNOWLEDGED else None,
            created_by=observer,
        )
        observations.append(observation)
        scored = items if state != ObservationState.IN_PROGRESS else items[: len(items) // 2]
        for item in scored:
            value = values[max(0, min(len(values) - 1, base + rng.randint(-1, 1)))]
            scores.append(
                ObservationScore(board=board, observation=observation, item=item, value=value, note=rng.choice(NOTES))
            )
        return observation

    this_year = school_year_of(today)
    for staff in by_school.values():
        leader = next((e.person for e in staff if e.function == "director"), None)
        teachers = [e for e in staff if e.function == "teacher" and e.person_id != getattr(leader, "pk", None)]
        if leader is None or not teachers:
            continue
        for year in (this_year - 1, this_year):
            start, end = school_year_bounds(year)
            last = min(end, today - datetime.timedelta(days=1))
            span = max(1, (last - start).days)
            chosen = rng.sample(teachers, min(TEACHERS_PER_SCHOOL_YEAR, len(teachers)))
            for number, employment in enumerate(chosen):
                day = start + datetime.timedelta(days=rng.randint(0, span))
                base = rng.randint(1, len(values) - 1)
                state = (
                    ObservationState.ACKNOWLEDGED
                    if year < this_year
                    else rng.choice((ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED))
                )
                primary = visit(employment, leader, day, base=base, state=state)
                if number < CALIBRATIONS_PER_SCHOOL_YEAR:
                    visit(
                        employment,
                        quality_officer,
                        day,
                        calibrates=primary,
                        base=base,
                        state=ObservationState.SUBMITTED,
                    )
        if leader == manager:
            visit(teachers[0], manager, today, base=2, state=ObservationState.IN_PROGRESS)

    Observation.objects.bulk_create(observations, batch_size=BATCH)
    ObservationScore.objects.bulk_create(scores, batch_size=BATCH)
    return len(observations)


def generate_quality(
    rng: random.Random,
    new_id: Callable[[], Any],
    *,
    board: Any,
    schools: list[Any],
    quality_officer: Any,
    leaders: dict[int, Any],
    today: datetime.date | None = None,
) -> int:
    """Judgements, inspections, plans and flags for every school; returns the number of self-evaluations."""
    from bekwaam.quality.models import (
        ActionCheck,
        ActionPhase,
        EvaluationKind,
        EvaluationState,
        ImprovementAction,
        ImprovementGoal,
        ImprovementPlan,
        InspectionFramework,
        InspectionJudgement,
        InspectionKind,
        InspectionStandardJudgement,
        InspectionVisit,
        JudgementLevel,
        Level,
        RepairOrder,
        SchoolFlag,
        SelfEvaluation,
        Standard,
        StandardAssessment,
    )
    from bekwaam.quality.selectors import current_framework
    from bekwaam.quality.services.scale import judgement_scale_ensure

    today = today or timezone.localdate()
    if not InspectionFramework.objects.exists():
        # A flushed database (the bench on PostgreSQL) has lost what the data migration loaded.
        from bekwaam.quality.defaults import onderzoekskader_load
        from bekwaam.quality.models import QualityArea

        onderzoekskader_load(framework_model=InspectionFramework, area_model=QualityArea, standard_model=Standard)
    framework = current_framework()
    standards = list(Standard.objects.filter(framework=framework, area__level=Level.SCHOOL))
    board_standards = list(Standard.objects.filter(framework=framework, area__level=Level.BOARD))
    judgement_scale_ensure(board_id=board.pk)
    levels = list(JudgementLevel.objects.filter(board=board, archived=False).order_by("value"))
    weights = [1, 6, 3][: len(levels)] + [1] * max(0, len(levels) - 3)
    now = timezone.now()

    evaluations: list[Any] = []
    assessments: list[Any] = []
    visits: list[Any] = []
    judgements: list[Any] = []
    orders: list[Any] = []
    plans: list[Any] = []
    goals: list[Any] = []
    actions: list[Any] = []
    checks: list[Any] = []
    flags: list[Any] = []

    def evaluation(school: Any, kind: str, day: datetime.date, judged: list[Any]) -> None:
        row = SelfEvaluation(
            id=new_id(),
            board=board,
            school=school,
            framework=framework,
            kind=kind,
            title=("Zelfevaluatie " if kind == EvaluationKind.SELF_EVALUATION else "Nu-meting ") + str(day.year),
            date=day,
            state=EvaluationState.FINAL,
            created_by=quality_officer,
            finalised_at=now,
        )
        evaluations.append(row)
        substantiation = (
            "Onderbouwd met de analyse van de tussenresultaten en de lesbezoeken."
            if kind == EvaluationKind.SELF_EVALUATION
            else ""
        )
        assessments.extend(
            StandardAssessment(
                board=board,
                evaluation=row,
                standard=standard,
                level=rng.choices(levels, weights=weights)[0],
                substantiation=substantiation,
            )
            for standard in judged
        )

    for index, school in enumerate(schools):
        evaluation(school, EvaluationKind.SELF_EVALUATION, today - datetime.timedelta(days=300 + index), standards)
        evaluation(school, EvaluationKind.SNAPSHOT, today - datetime.timedelta(days=20 + index % 30), standards)
        inspected = today - datetime.timedelta(days=365 + rng.randint(0, 730))
        visit = InspectionVisit(
            id=new_id(),
            board=board,
            school=school,
            framework=framework,
            date=inspected,
            kind=InspectionKind.FOUR_YEARLY,
            overall_judgement=InspectionJudgement.SUFFICIENT,
            recorded_by=quality_officer,
        )
        visits.append(visit)
        for standard in rng.sample(standards, min(6, len(standards))):
            verdict = rng.choices((InspectionJudgement.SUFFICIENT, InspectionJudgement.INSUFFICIENT), weights=(5, 1))[0]
            judgements.append(
                InspectionStandardJudgement(board=board, visit=visit, standard=standard, judgement=verdict)
            )
            if verdict == InspectionJudgement.INSUFFICIENT:
                orders.append(
                    RepairOrder(
                        board=board,
                        visit=visit,
                        standard=standard,
                        description=f"Herstel de tekortkoming op {standard.code} binnen een jaar.",
                        deadline=inspected + datetime.timedelta(days=365),
                    )
                )
        if index % 10 == 3:
            visits.append(
                InspectionVisit(
                    id=new_id(),
                    board=board,
                    school=school,
                    framework=framework,
                    date=today + datetime.timedelta(days=14 + index),
                    kind=InspectionKind.FOUR_YEARLY,
                    recorded_by=quality_officer,
                )
            )
        if index % 20 == 7:
            flags.append(
                SchoolFlag(
                    board=board,
                    school=school,
                    reason="Resultaten rekenen twee jaar onder de signaleringswaarde.",
                    flagged_by=quality_officer,
                )
            )
        if index % 3 == 0:
            plan = ImprovementPlan(
                id=new_id(),
                board=board,
                school=school,
                title=f"Verbeterplan {school.name}",
                created_by=quality_officer,
            )
            plans.append(plan)
            for g in range(2):
                goal = ImprovementGoal(board=board, plan=plan, title=f"Verbeterdoel {g + 1}", position=g)
                goals.append(goal)
                for a, phase in enumerate(rng.sample(list(ActionPhase.values), 3)):
                    start = today - datetime.timedelta(days=rng.randint(30, 200))
                    action = ImprovementAction(
                        id=new_id(),
                        board=board,
                        goal=goal,
                        title=f"Actie {g + 1}.{a + 1}",
                        owner=leaders.get(school.pk),
                        start_date=start,
                        deadline=start + datetime.timedelta(days=rng.randint(20, 300)),
                        phase=phase,
                        phase_changed_at=now,
                    )
                    actions.append(action)
                    if phase in (ActionPhase.CHECK, ActionPhase.ACT, ActionPhase.DONE):
                        checks.append(
                            ActionCheck(
                                board=board,
                                action=action,
                                phase=ActionPhase.CHECK,
                                checked_on=today - datetime.timedelta(days=5),
                                text="Twee lesbezoeken laten zien dat de afspraak wordt uitgevoerd.",
                                recorded_by=quality_officer,
                            )
                        )
    board_evaluation = SelfEvaluation(
        id=new_id(),
        board=board,
        school=None,
        framework=framework,
        kind=EvaluationKind.SELF_EVALUATION,
        title=f"Zelfevaluatie bestuur {today.year}",
        date=today - datetime.timedelta(days=60),
        state=EvaluationState.FINAL,
        created_by=quality_officer,
        finalised_at=now,
    )
    evaluations.append(board_evaluation)
    assessments.extend(
        StandardAssessment(board=board, evaluation=board_evaluation, standard=s, level=levels[min(1, len(levels) - 1)])
        for s in board_standards
    )

    SelfEvaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    StandardAssessment.objects.bulk_create(assessments, batch_size=BATCH)
    InspectionVisit.objects.bulk_create(visits, batch_size=BATCH)
    InspectionStandardJudgement.objects.bulk_create(judgements, batch_size=BATCH)
    RepairOrder.objects.bulk_create(orders, batch_size=BATCH)
    SchoolFlag.objects.bulk_create(flags)
    ImprovementPlan.objects.bulk_create(plans)
    ImprovementGoal.objects.bulk_create(goals)
    ImprovementAction.objects.bulk_create(actions, batch_size=BATCH)
    ActionCheck.objects.bulk_create(checks, batch_size=BATCH)
    return len(evaluations)
