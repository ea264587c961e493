"""The bekwaamheidsdossier: measurements, the POP with PDCA, the portfolio, and what the owner shares.

Everything here belongs to one person (`person`/`owner`) and is private to them until they share it
(ARCHITECTURE.md principle 1). Rows carry the board where they were made, for tenancy scoping.

Privacy choice (docs/privacy.md): the board's change log does not record dossier rows, because its
readers (the beheerder) may not read a person's own dossier. The dossier keeps its own history
instead: measurement finish dates, PDCA phase changes with their reflections, shares with their
withdrawal date, and the access log of who opened what.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bekwaam.register.models import Theme


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A random name without the uploader's name or extension: nothing to guess, nothing to execute."""
    return f"evidence/{instance.board_id}/{uuid.uuid4().hex}"


# --- measurements (nulmeting and later measurements) -----------------------------------------------


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline measurement")
    FOLLOW_UP = "follow_up", _("Measurement")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    FINISHED = "finished", _("Finished")


class SelfAssessment(models.Model):
    """A person rates themselves against one framework version; fixed once finished."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments", verbose_name=_("person")
    )
    # PROTECT: a measurement keeps pointing at the version it used; published versions are never deleted.
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices, default=AssessmentKind.BASELINE)
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects: ClassVar[models.Manager[SelfAssessment]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ("-started_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", finished_at__isnull=True) | Q(status="finished", finished_at__isnull=False),
                name="selfassessment_finished_has_date",
            ),
        ]
        indexes = [models.Index(fields=["person", "board", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.status == AssessmentStatus.FINISHED


class Rating(models.Model):
    """The level a person gives themselves on one indicator, with an optional explanation and evidence."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey("frameworks.Indicator", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        "frameworks.ScaleLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explanation = models.TextField(_("explanation"), blank=True)
    evidence = models.ManyToManyField("dossier.Evidence", blank=True, related_name="ratings")
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Rating]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="rating_unique_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.level_id}"


# --- the POP ----------------------------------------------------------------------------------------


class DevelopmentPlan(models.Model):
    """A POP: a person's development plan for a period, made of goals."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_plans", verbose_name=_("person")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # Where the plan came from: a measurement (or, with the conversations issue, a conversation).
    source_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[DevelopmentPlan]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ("-starts_on", "-created_at")
        indexes = [models.Index(fields=["person", "board", "-starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="developmentplan_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Phase(models.TextChoices):
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")
    DONE = "done", _("Done")


# The PDCA cycle, declared once (STYLE.md habit 2): act closes the goal or starts a new round at plan.
PHASE_TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.PLAN: frozenset({Phase.DO}),
    Phase.DO: frozenset({Phase.CHECK}),
    Phase.CHECK: frozenset({Phase.ACT}),
    Phase.ACT: frozenset({Phase.DONE, Phase.PLAN}),
    Phase.DONE: frozenset(),
}


class Goal(models.Model):
    """One POP goal: what, why, how the person will know it worked, and where it is in PDCA."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("what do you want to achieve?"), max_length=300)
    why = models.TextField(_("why?"), blank=True)
    success_criteria = models.TextField(_("how will you know it worked?"), blank=True)
    competences = models.ManyToManyField(
        "frameworks.Competence", blank=True, related_name="+", verbose_name=_("competences")
    )
    due_date = models.DateField(_("target date"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.PLAN)
    phase_changed_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Goal]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ("position", "created_at")

    def __str__(self) -> str:
        return self.title


class GoalPhaseChange(models.Model):
    """The history of a goal's PDCA: every move with its dated reflection."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=16, choices=Phase.choices)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    reflection = models.TextField(_("reflection"))
    changed_at = models.DateTimeField(_("date"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects: ClassVar[models.Manager[GoalPhaseChange]] = ScopedManager(board="board")

    class Meta:
        ordering = ("changed_at", "id")

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class Action(models.Model):
    """A step towards a goal, with a date; overdue when the date has passed and it is not done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Action]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ("due_date", "created_at")

    def __str__(self) -> str:
        return self.description


class GoalComment(models.Model):
    """A remark by someone the plan is shared with (the leidinggevende), shown to the owner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The name as it was when written: it survives the author's account, and a dossier imported at a
    # new employer, where the author is nobody's account.
    author_name = models.CharField(max_length=300, blank=True)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[GoalComment]] = ScopedManager(board="board")

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.body[:40]


# --- the portfolio ----------------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document or image")
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificate", _("Certificate")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """A bewijsstuk: an uploaded file, a diploma or certificate, or a link, tagged with what it shows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices, default=EvidenceKind.DOCUMENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)  # as detected from the content
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    competences = models.ManyToManyField(
        "frameworks.Competence", blank=True, related_name="+", verbose_name=_("competences")
    )
    goals: models.ManyToManyField[Goal, Any] = models.ManyToManyField(
        Goal, blank=True, related_name="evidence", verbose_name=_("POP goals")
    )
    themes: models.ManyToManyField[Theme, Any] = models.ManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("register themes")
    )

    objects: ClassVar[models.Manager[Evidence]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="evidence_expires_after_issue",
            ),
            models.CheckConstraint(condition=~Q(kind="link") | ~Q(url=""), name="evidence_link_has_url"),
        ]
        indexes = [
            models.Index(fields=["person", "board", "-created_at"]),
            models.Index(fields=["board", "expires_on"]),
        ]

    def __str__(self) -> str:
        return self.title


class Reflection(models.Model):
    """A written reflection in the portfolio, optionally about evidence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("person")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("reflection"))
    written_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    competences = models.ManyToManyField(
        "frameworks.Competence", blank=True, related_name="+", verbose_name=_("competences")
    )
    goals: models.ManyToManyField[Goal, Any] = models.ManyToManyField(
        Goal, blank=True, related_name="reflections", verbose_name=_("POP goals")
    )
    themes: models.ManyToManyField[Theme, Any] = models.ManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("register themes")
    )
    evidence: models.ManyToManyField[Evidence, Any] = models.ManyToManyField(
        Evidence, blank=True, related_name="reflections", verbose_name=_("evidence")
    )

    objects: ClassVar[models.Manager[Reflection]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ("-written_on", "-created_at")
        indexes = [models.Index(fields=["person", "board", "-written_on"])]

    def __str__(self) -> str:
        return self.title


# --- sharing ----------------------------------------------------------------------------------------


class Section(models.TextChoices):
    ASSESSMENTS = "assessments", _("Measurements")
    PLANS = "plans", _("Development plans (POP)")
    PORTFOLIO = "portfolio", _("Portfolio")


class ShareAudience(models.TextChoices):
    # "My leidinggevende" follows the person's current leidinggevende(n) (tenancy.selectors.team_members_for),
    # so a new school leader sees what was shared with the role, and a leaving one no longer does.
    MANAGER = "manager", _("My manager")
    PERSON = "person", _("A colleague")


class Share(models.Model):
    """The owner lets someone see one item, or a whole section of their dossier, until withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares_made")
    audience = models.CharField(_("with"), max_length=16, choices=ShareAudience.choices)
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares_received",
        verbose_name=_("colleague"),
    )
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    # At most one item; none means the whole section (including what is added later).
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="shares")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, null=True, blank=True, related_name="shares")
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="shares")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Share]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="manager", grantee__isnull=True) | Q(audience="person", grantee__isnull=False),
                name="share_grantee_matches_audience",
            ),
            # The item, when there is one, lies in the share's section.
            models.CheckConstraint(
                condition=(
                    Q(assessment__isnull=True, plan__isnull=True, evidence__isnull=True, reflection__isnull=True)
                    | Q(
                        section="assessments",
                        assessment__isnull=False,
                        plan__isnull=True,
                        evidence__isnull=True,
                        reflection__isnull=True,
                    )
                    | Q(
                        section="plans",
                        plan__isnull=False,
                        assessment__isnull=True,
                        evidence__isnull=True,
                        reflection__isnull=True,
                    )
                    | Q(
                        section="portfolio",
                        evidence__isnull=False,
                        assessment__isnull=True,
                        plan__isnull=True,
                        reflection__isnull=True,
                    )
                    | Q(
                        section="portfolio",
                        reflection__isnull=False,
                        assessment__isnull=True,
                        plan__isnull=True,
                        evidence__isnull=True,
                    )
                ),
                name="share_item_in_section",
            ),
        ]
        indexes = [
            models.Index(fields=["board", "owner", "withdrawn_at"]),
            models.Index(fields=["grantee", "withdrawn_at"]),
            # "Mijn team" and every visibility check ask per owner and section.
            models.Index(fields=["owner", "section", "withdrawn_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} → {self.audience}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def item(self) -> SelfAssessment | DevelopmentPlan | Evidence | Reflection | None:
        return self.assessment or self.plan or self.evidence or self.reflection
