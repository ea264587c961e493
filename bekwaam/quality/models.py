"""Kwaliteitszorg: the inspectie's onderzoekskader, judgements per school and standard, verbeterplannen.

The onderzoekskader is national: `InspectionFramework` → `QualityArea` → `Standard` rows belong to no
board, ship from quality/defaults/onderzoekskader.json (loaded by a data migration, kept up to date by
`manage.py quality_frameworks_load`) and are edited by the platform operator in the admin.

A board judges its schools (and itself, against the BKA standards) in a `SelfEvaluation`: a full
self-evaluation or a quick nu-meting, on the board's own scale (`JudgementLevel`, default onvoldoende
/ voldoende / goed). The inspectie's judgements are recorded in an `InspectionVisit` on the inspectie's
own scale (`InspectionJudgement`). Either, or a kwaliteitsmedewerker's `SchoolVisit`, can start an
`ImprovementPlan` whose actions move through PDCA with dated checks.

School-level records (school = None means the board itself). These are the board's policy records, not
personal data: they join the board's change log (quality/audit.py).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from bekwaam.lib.states import StateMachine
from bekwaam.tenancy.models import BoardTagged

if TYPE_CHECKING:
    from bekwaam.observations.models import Observation


class Level(models.TextChoices):
    SCHOOL = "school", _("School")
    BOARD = "board", _("Board")


class InspectionFramework(models.Model):
    """One version of the onderzoekskader (2017, 2021, and the yearly updates of 2021)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("inspection framework")
        verbose_name_plural = _("inspection frameworks")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return self.name


class QualityArea(models.Model):
    """A kwaliteitsgebied: Onderwijsproces (OP), Veiligheid en schoolklimaat (VS), … or the board's BKA."""

    framework = models.ForeignKey(InspectionFramework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.SCHOOL)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quality area")
        verbose_name_plural = _("quality areas")
        ordering = ("framework", "position", "code")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="qualityarea_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Standard(models.Model):
    """One standard (OP2 Zicht op ontwikkeling en begeleiding); kernstandaarden weigh heavier."""

    framework = models.ForeignKey(InspectionFramework, on_delete=models.CASCADE, related_name="standards")
    area = models.ForeignKey(QualityArea, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_core = models.BooleanField(_("kernstandaard"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ("area__position", "position", "code")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="standard_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JudgementLevel(BoardTagged, models.Model):
    """One level of the board's own self-evaluation scale; `value` orders them (1 = lowest)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    archived = models.BooleanField(_("archived"), default=False)

    objects: ClassVar[models.Manager[JudgementLevel]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("judgement level")
        verbose_name_plural = _("judgement levels")
        ordering = ("value",)
        constraints = [models.UniqueConstraint(fields=["board", "value"], name="judgementlevel_unique_value")]

    def __str__(self) -> str:
        return self.label


class InspectionJudgement(models.TextChoices):
    """The inspectie's own scale (REFERENCE.md 4.3); "goed" was abolished in 2023."""

    SUFFICIENT = "sufficient", _("Voldoende")
    INSUFFICIENT = "insufficient", _("Onvoldoende")
    VERY_WEAK = "very_weak", _("Zeer zwak")


class EvaluationKind(models.TextChoices):
    SELF_EVALUATION = "self_evaluation", _("Self-evaluation")
    SNAPSHOT = "snapshot", _("Quick snapshot (nu-meting)")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


EVALUATION_MACHINE = StateMachine(
    states=EvaluationState,
    transitions={
        "finalise": {EvaluationState.DRAFT: EvaluationState.FINAL},
        "reopen": {EvaluationState.FINAL: EvaluationState.DRAFT},
    },
    action_labels={"finalise": _("Make final"), "reopen": _("Reopen")},
)


class QualityDocument(BoardTagged, models.Model):
    """A document kept as evidence for a judgement (a school plan, a report, an analysis)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="quality/%Y/")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[QualityDocument]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class SelfEvaluation(BoardTagged, models.Model):
    """A school's (or, with school None, the board's own) judgement of itself per standard at one date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "tenancy.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    framework = models.ForeignKey(
        InspectionFramework, on_delete=models.PROTECT, related_name="+", verbose_name=_("onderzoekskader")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=EvaluationKind.choices, default=EvaluationKind.SELF_EVALUATION
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(_("status"), max_length=16, choices=EvaluationState.choices, default=EvaluationState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[SelfEvaluation]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        ordering = ("-date", "-created_at")
        indexes = [models.Index(fields=["board", "school", "state", "date"])]

    def __str__(self) -> str:
        return self.title


class StandardAssessment(BoardTagged, models.Model):
    """The judgement of one standard in a self-evaluation, with its substantiation and evidence."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="assessments")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        JudgementLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("judgement")
    )
    substantiation = models.TextField(_("substantiation"), blank=True)
    documents = models.ManyToManyField(QualityDocument, blank=True, related_name="+", verbose_name=_("documents"))
    observations: models.ManyToManyField[Observation, Any] = models.ManyToManyField(
        "observations.Observation", blank=True, related_name="+", verbose_name=_("lesson visits")
    )

    objects: ClassVar[models.Manager[StandardAssessment]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("judgement per standard")
        verbose_name_plural = _("judgements per standard")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "standard"], name="standardassessment_unique_standard")
        ]

    def __str__(self) -> str:
        return f"{self.standard_id}: {self.level_id}"


class InspectionKind(models.TextChoices):
    FOUR_YEARLY = "four_yearly", _("Four-yearly examination")
    FOLLOW_UP = "follow_up", _("Follow-up examination (herstelonderzoek)")
    QUALITY_IMPROVEMENT = "quality_improvement", _("Examination of quality improvement")
    THEMATIC = "thematic", _("Thematic examination")
    OTHER = "other", _("Other examination")


class InspectionVisit(BoardTagged, models.Model):
    """A visit of the inspectie to a school (or, with school None, to the board): planned or held."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "tenancy.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    framework = models.ForeignKey(
        InspectionFramework, on_delete=models.PROTECT, related_name="+", verbose_name=_("onderzoekskader")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=32, choices=InspectionKind.choices)
    overall_judgement = models.CharField(
        _("overall judgement"), max_length=16, choices=InspectionJudgement.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    report_url = models.URLField(_("link to the report"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[InspectionVisit]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ("-date",)
        indexes = [models.Index(fields=["board", "school", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class InspectionStandardJudgement(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="judgements")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    judgement = models.CharField(_("judgement"), max_length=16, choices=InspectionJudgement.choices)
    note = models.TextField(_("note"), blank=True)

    objects: ClassVar[models.Manager[InspectionStandardJudgement]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("inspection judgement")
        verbose_name_plural = _("inspection judgements")
        constraints = [
            models.UniqueConstraint(fields=["visit", "standard"], name="inspectionjudgement_unique_standard")
        ]

    def __str__(self) -> str:
        return f"{self.standard_id}: {self.judgement}"


class RepairOrder(BoardTagged, models.Model):
    """A herstelopdracht from the inspectie, with the date by which it must be resolved."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="repair_orders")
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("standard")
    )
    description = models.TextField(_("herstelopdracht"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    objects: ClassVar[models.Manager[RepairOrder]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("herstelopdracht")
        verbose_name_plural = _("herstelopdrachten")
        ordering = ("deadline", "pk")

    def __str__(self) -> str:
        return self.description[:60]


class SchoolVisit(BoardTagged, models.Model):
    """The kwaliteitsmedewerker's own visit to a school and what they found."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("visitor")
    )
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    findings = models.TextField(_("findings"))
    standards = models.ManyToManyField(Standard, blank=True, related_name="+", verbose_name=_("standards"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[SchoolVisit]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("school visit")
        verbose_name_plural = _("school visits")
        ordering = ("-date",)

    def __str__(self) -> str:
        return f"{self.school} {self.date:%Y-%m-%d}"


class SchoolFlag(BoardTagged, models.Model):
    """A school "onder het vergrootglas": flagged with a reason until cleared."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    reason = models.TextField(_("reason"))
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[SchoolFlag]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ("-flagged_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(cleared_at__isnull=True), name="schoolflag_one_open_per_school"
            )
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class PlanState(models.TextChoices):
    OPEN = "open", pgettext_lazy("state of a plan", "Open")
    CLOSED = "closed", _("Closed")


class ImprovementPlan(BoardTagged, models.Model):
    """A verbeterplan of a school (or the board), started from a judgement, an inspection or a visit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "tenancy.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("status"), max_length=16, choices=PlanState.choices, default=PlanState.OPEN)
    source_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    source_inspection = models.ForeignKey(
        InspectionVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    source_school_visit = models.ForeignKey(
        SchoolVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ImprovementPlan]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class ImprovementGoal(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    standards = models.ManyToManyField(Standard, blank=True, related_name="+", verbose_name=_("standards"))
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[ImprovementGoal]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("improvement goal")
        verbose_name_plural = _("improvement goals")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title


class ActionPhase(models.TextChoices):
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")
    DONE = "done", _("Done")


# PDCA, declared once: check records what was checked; act adjusts and either starts another round or closes.
ACTION_MACHINE = StateMachine(
    states=ActionPhase,
    transitions={
        "start": {ActionPhase.PLAN: ActionPhase.DO},
        "check": {ActionPhase.DO: ActionPhase.CHECK},
        "adjust": {ActionPhase.CHECK: ActionPhase.ACT},
        "restart": {ActionPhase.ACT: ActionPhase.PLAN},
        "complete": {ActionPhase.CHECK: ActionPhase.DONE, ActionPhase.ACT: ActionPhase.DONE},
        "reopen": {ActionPhase.DONE: ActionPhase.ACT},
    },
    action_labels={
        "start": _("Start (do)"),
        "check": _("Check the result"),
        "adjust": _("Adjust (act)"),
        "restart": _("Plan a new round"),
        "complete": _("Mark as done"),
        "reopen": _("Reopen"),
    },
)


class ImprovementAction(BoardTagged, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(ImprovementGoal, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start date"))
    deadline = models.DateField(_("deadline"))
    phase = models.CharField(_("phase"), max_length=16, choices=ActionPhase.choices, default=ActionPhase.PLAN)
    phase_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ImprovementAction]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ("deadline", "pk")
        indexes = [models.Index(fields=["board", "phase", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("start_date")), name="action_deadline_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionCheck(BoardTagged, models.Model):
    """Dated evidence of what was checked or done in a phase of an action (one per PDCA move, or added)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="checks")
    phase = models.CharField(_("phase"), max_length=16, choices=ActionPhase.choices)
    checked_on = models.DateField(_("date"))
    text = models.TextField(_("what was checked or done"))
    document = models.ForeignKey(
        QualityDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("document")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ActionCheck]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ("checked_on", "pk")

    def __str__(self) -> str:
        return self.text[:60]
