"""Quality records are the board's policy, not personal data: they join the board's change log."""

from __future__ import annotations

from auditlog.registry import auditlog

from bekwaam.quality.models import (
    ActionCheck,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
    InspectionStandardJudgement,
    InspectionVisit,
    JudgementLevel,
    QualityDocument,
    RepairOrder,
    SchoolFlag,
    SchoolVisit,
    SelfEvaluation,
    StandardAssessment,
)

for model in (
    JudgementLevel,
    QualityDocument,
    SelfEvaluation,
    StandardAssessment,
    InspectionVisit,
    InspectionStandardJudgement,
    RepairOrder,
    SchoolVisit,
    SchoolFlag,
    ImprovementPlan,
    ImprovementGoal,
    ImprovementAction,
    ActionCheck,
):
    auditlog.register(model)
