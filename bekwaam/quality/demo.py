"""Demo kwaliteitszorg for the demo board, so the bestuur's grid and the school pages have content.

Every school has a final self-evaluation of last school year; most a nu-meting of this one. The first
school had its four-yearly inspection with a herstelopdracht on OP2 and has a verbeterplan from it with
actions in several PDCA phases (one overdue). One school is onder het vergrootglas, one has an
inspection coming up, and the board judged itself against BKA1 to BKA3. Written with the models directly;
idempotent: a board with self-evaluations is left alone.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.quality.models import (
    ActionCheck,
    ActionPhase,
    EvaluationKind,
    EvaluationState,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
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
from bekwaam.quality.selectors import framework_valid_on
from bekwaam.quality.services.scale import judgement_scale_ensure
from bekwaam.tenancy.models import Board, School


def seed_quality_demo(
    *,
    board: Board,
    schools: Sequence[School],
    quality_officer: Person,
    leaders: dict[int, Person],
    today: datetime.date,
) -> None:
    framework = framework_valid_on(today)
    if framework is None or SelfEvaluation.objects.filter(board=board).exists():
        return
    rng = random.Random(21)  # noqa: S311  (demo content, not secrets)
    judgement_scale_ensure(board_id=board.pk)
    levels = list(JudgementLevel.objects.filter(board=board, archived=False).order_by("value"))
    standards = list(Standard.objects.filter(framework=framework, area__level=Level.SCHOOL))
    by_code = {s.code: s for s in standards}
    now = timezone.now()

    def evaluation(
        school: School | None, kind: str, day: datetime.date, judged: Sequence[Standard], low: set[str]
    ) -> SelfEvaluation:
        row = SelfEvaluation.objects.create(
            board=board,
            school=school,
            framework=framework,
            kind=kind,
            title=("Zelfevaluatie " if kind == EvaluationKind.SELF_EVALUATION else "Nu-meting ") + f"{day:%Y}",
            date=day,
            state=EvaluationState.FINAL,
            created_by=quality_officer,
            finalised_at=now,
            summary="Jaarlijkse zelfevaluatie, besproken met het team en de MR."
            if kind == EvaluationKind.SELF_EVALUATION
            else "",
        )
        StandardAssessment.objects.bulk_create(
            StandardAssessment(
                board=board,
                evaluation=row,
                standard=standard,
                level=levels[0] if standard.code in low else levels[min(len(levels) - 1, rng.choice((1, 1, 1, 2)))],
                substantiation="Onderbouwd met de tussenresultaten, de lesbezoeken en de leerlingvragenlijst."
                if kind == EvaluationKind.SELF_EVALUATION
                else "",
            )
            for standard in judged
        )
        return row

    first_evaluation = None
    for index, school in enumerate(schools):
        low = {"OP2"} if index == 0 else ({"OR1"} if index == 3 else set())
        made = evaluation(
            school, EvaluationKind.SELF_EVALUATION, today - datetime.timedelta(days=320 + index), standards, low
        )
        first_evaluation = first_evaluation or made
        if index % 2 == 0:
            evaluation(school, EvaluationKind.SNAPSHOT, today - datetime.timedelta(days=25 + index), standards, set())

    # The first school's four-yearly inspection, with a herstelopdracht on OP2 and a verbeterplan from it.
    school = schools[0]
    inspection = InspectionVisit.objects.create(
        board=board,
        school=school,
        framework=framework,
        date=today - datetime.timedelta(days=200),
        kind=InspectionKind.FOUR_YEARLY,
        overall_judgement=InspectionJudgement.SUFFICIENT,
        summary="De school is voldoende; zicht op ontwikkeling moet beter.",
        recorded_by=quality_officer,
    )
    for code, verdict in (
        ("OP2", InspectionJudgement.INSUFFICIENT),
        ("OP3", InspectionJudgement.SUFFICIENT),
        ("VS1", InspectionJudgement.SUFFICIENT),
        ("OR1", InspectionJudgement.SUFFICIENT),
    ):
        if code in by_code:
            InspectionStandardJudgement.objects.create(
                board=board, visit=inspection, standard=by_code[code], judgement=verdict
            )
    if "OP2" in by_code:
        RepairOrder.objects.create(
            board=board,
            visit=inspection,
            standard=by_code["OP2"],
            description="Zorg dat de school de ontwikkeling van leerlingen volgt en de begeleiding daarop afstemt.",
            deadline=inspection.date + datetime.timedelta(days=365),
        )
    plan = ImprovementPlan.objects.create(
        board=board,
        school=school,
        title="Verbeterplan zicht op ontwikkeling",
        description="Naar aanleiding van het vierjaarlijks onderzoek.",
        source_inspection=inspection,
        created_by=quality_officer,
    )
    goal = ImprovementGoal.objects.create(
        board=board, plan=plan, title="Leerkrachten stemmen hun aanbod af op de analyse van de resultaten"
    )
    if "OP2" in by_code:
        goal.standards.add(by_code["OP2"])
    leader = leaders.get(school.pk)
    for number, (title, phase, started, length) in enumerate(
        (
            ("Groepsoverzichten vernieuwen met het team", ActionPhase.DONE, 180, 60),
            ("Groepsbesprekingen vier keer per jaar met de IB'er", ActionPhase.CHECK, 150, 120),
            ("Lesbezoeken gericht op afstemming (ICALT domein 5)", ActionPhase.DO, 90, 60),
            ("Evaluatie met het team en bijstellen", ActionPhase.PLAN, 10, 120),
        )
    ):
        action = ImprovementAction.objects.create(
            board=board,
            goal=goal,
            title=title,
            owner=leader,
            start_date=today - datetime.timedelta(days=started),
            deadline=today - datetime.timedelta(days=started - length),
            phase=phase,
            phase_changed_at=now,
        )
        if phase in (ActionPhase.CHECK, ActionPhase.DONE):
            ActionCheck.objects.create(
                board=board,
                action=action,
                phase=ActionPhase.CHECK,
                checked_on=today - datetime.timedelta(days=14 + number),
                text="In de groepsbespreking van november gecontroleerd: alle groepen hebben een actueel overzicht.",
                recorded_by=quality_officer,
            )

    if len(schools) > 3:
        SchoolFlag.objects.create(
            board=board,
            school=schools[3],
            reason="De resultaten rekenen liggen twee jaar onder de signaleringswaarde.",
            flagged_by=quality_officer,
        )
    if len(schools) > 2:
        InspectionVisit.objects.create(
            board=board,
            school=schools[2],
            framework=framework,
            date=today + datetime.timedelta(days=45),
            kind=InspectionKind.FOUR_YEARLY,
            recorded_by=quality_officer,
        )
    board_standards = list(Standard.objects.filter(framework=framework, area__level=Level.BOARD))
    evaluation(None, EvaluationKind.SELF_EVALUATION, today - datetime.timedelta(days=90), board_standards, set())
