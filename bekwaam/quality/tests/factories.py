"""Builders for quality tests (shared by the evaluations and plans parts).

The onderzoekskader comes from the real shipped file through the real loader (`kader_load`), so tests
judge the standards a board really sees. Migrations already load it into the test database; the loader
is idempotent, so calling `kader_load()` again is cheap and harmless.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from bekwaam.quality.defaults import onderzoekskader_load
from bekwaam.quality.models import (
    EvaluationKind,
    EvaluationState,
    InspectionFramework,
    InspectionJudgement,
    InspectionKind,
    InspectionStandardJudgement,
    InspectionVisit,
    JudgementLevel,
    Level,
    QualityArea,
    RepairOrder,
    SchoolFlag,
    SchoolVisit,
    SelfEvaluation,
    Standard,
    StandardAssessment,
)
from bekwaam.quality.services.scale import judgement_scale_ensure


def kader_load(code: str = "2024") -> InspectionFramework:
    """The shipped onderzoekskader loaded (idempotent); returns the framework version `code` (default 2024)."""
    onderzoekskader_load(framework_model=InspectionFramework, area_model=QualityArea, standard_model=Standard)
    return InspectionFramework.objects.get(code=code)


def standards_of(framework: InspectionFramework, *, level: str = Level.SCHOOL) -> list[Standard]:
    """The framework's standards of one level (school or board) in their shown order."""
    return list(
        Standard.objects.filter(framework=framework, area__level=level)
        .select_related("area")
        .order_by("area__position", "position", "code")
    )


def standard(framework: InspectionFramework, code: str) -> Standard:
    return Standard.objects.get(framework=framework, code=code)


def scale_build(board: Any) -> dict[str, JudgementLevel]:
    """The board's scale (the default onvoldoende / voldoende / goed on first use) by lower-case label."""
    judgement_scale_ensure(board_id=board.pk)
    return {level.label.lower(): level for level in JudgementLevel.objects.filter(board=board)}


def evaluation_build(
    *,
    board: Any,
    school: Any | None,
    framework: InspectionFramework | None = None,
    judgements: Mapping[str, str | None] | None = None,
    state: str = EvaluationState.FINAL,
    kind: str = EvaluationKind.SELF_EVALUATION,
    date: datetime.date | None = None,
    title: str = "Zelfevaluatie",
    created_by: Any | None = None,
    substantiation: str = "",
) -> SelfEvaluation:
    """A self-evaluation (final by default) with one assessment per standard of its level.

    `judgements` maps a standard code to a level label of the board's scale ("voldoende") or None
    (not judged); standards not named get no level. School None = the board's own (BKA) evaluation.
    """
    framework = framework or kader_load()
    levels = scale_build(board)
    evaluation = SelfEvaluation.objects.create(
        board=board,
        school=school,
        framework=framework,
        kind=kind,
        title=title,
        date=date or timezone.localdate(),
        state=state,
        created_by=created_by,
        finalised_at=timezone.now() if state == EvaluationState.FINAL else None,
    )
    judgements = judgements or {}
    level = Level.SCHOOL if school is not None else Level.BOARD
    StandardAssessment.objects.bulk_create(
        StandardAssessment(
            board=board,
            evaluation=evaluation,
            standard=s,
            level=levels[judgements[s.code].lower()] if judgements.get(s.code) else None,  # type: ignore[union-attr]
            substantiation=substantiation if judgements.get(s.code) else "",
        )
        for s in standards_of(framework, level=level)
    )
    return evaluation


def inspection_build(
    *,
    board: Any,
    school: Any | None,
    framework: InspectionFramework | None = None,
    date: datetime.date | None = None,
    kind: str = InspectionKind.FOUR_YEARLY,
    overall: str = "",
    judgements: Mapping[str, str] | None = None,
    repair_orders: Iterable[tuple[str | None, str, datetime.date | None]] = (),
    recorded_by: Any | None = None,
) -> InspectionVisit:
    """An inspection visit with judgements by standard code (InspectionJudgement values: "sufficient", …)
    and herstelopdrachten as (standard code or None, text, deadline). A future date = an upcoming visit."""
    framework = framework or kader_load()
    visit = InspectionVisit.objects.create(
        board=board,
        school=school,
        framework=framework,
        date=date or timezone.localdate(),
        kind=kind,
        overall_judgement=overall,
        recorded_by=recorded_by,
    )
    for code, judgement in (judgements or {}).items():
        assert judgement in InspectionJudgement.values, judgement
        InspectionStandardJudgement.objects.create(
            board=board, visit=visit, standard=standard(framework, code), judgement=judgement
        )
    for code, text, deadline in repair_orders:
        RepairOrder.objects.create(
            board=board,
            visit=visit,
            standard=standard(framework, code) if code else None,
            description=text,
            deadline=deadline,
        )
    return visit


def school_visit_build(
    *,
    school: Any,
    visitor: Any,
    date: datetime.date | None = None,
    purpose: str = "Schoolbezoek",
    findings: str = "Bevindingen van het bezoek.",
    standard_codes: Iterable[str] = (),
    framework: InspectionFramework | None = None,
) -> SchoolVisit:
    """The kwaliteitsmedewerker's visit to a school, linked to standards by code."""
    visit = SchoolVisit.objects.create(
        board_id=school.board_id,
        school=school,
        visitor=visitor,
        date=date or timezone.localdate(),
        purpose=purpose,
        findings=findings,
    )
    codes = list(standard_codes)
    if codes:
        framework = framework or kader_load()
        visit.standards.set(Standard.objects.filter(framework=framework, code__in=codes))
    return visit


def flag_build(*, school: Any, reason: str = "Dalende resultaten", flagged_by: Any | None = None) -> SchoolFlag:
    """An open flag: the school "onder het vergrootglas"."""
    return SchoolFlag.objects.create(board_id=school.board_id, school=school, reason=reason, flagged_by=flagged_by)
