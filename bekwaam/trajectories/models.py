"""Waarderingstrajecten: an aanbieder's templates, and a school leader's trajectory from enrolment to decision.

A template (`TrajectoryTemplate`) is what an aanbieder publishes: its steps, its assignments (opdrachten)
per theme, optional coaching, an optional reflection instrument, prices and the criteria the assessors
judge. Enrolling copies the template's assignments into the trajectory, so a later edit of the template
never changes a running trajectory.

A trajectory (`Trajectory`) belongs to the aanbieder (tenancy: provider). Its states and moves are
TRAJECTORY_MACHINE, declared once; each move is one service in trajectories.services. The candidate's own
portfolio for the trajectory is `PortfolioItem` (new, or copied from their dossier); it is frozen into
`Trajectory.snapshot` (with its SHA-256 in `snapshot_hash`) when the interview is planned. After the
interview two different assessors each record a `Judgement`, blind to each other's; when they agree a
`Decision` follows (certified: a credentials.Certificate; otherwise development advice). When they differ,
a third assessor or a revised judgement (consensus round) decides. The candidate's coach never judges.

Who sees what (trajectories.selectors): the candidate their own trajectories, whatever organisation is
active; the aanbieder's staff the trajectories enrolled with them, and the portfolio only from the moment
it was submitted (`requested_at`); the candidate's board nothing.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from bekwaam.lib.states import StateMachine


class TemplateKind(models.TextChoices):
    RETRO_ASSESSMENT = "retro_assessment", _("Assessment afterwards (informal learning)")
    PROGRAMME = "programme", _("Programme with intake, coaching and assessment")


class StepKind(models.TextChoices):
    """The steps a template shows the candidate; the trajectory's states are TRAJECTORY_MACHINE's."""

    INTAKE = "intake", _("Intake conversation")
    BASELINE = "baseline", _("Digital baseline and development plan")
    COLLECTING = "collecting", _("Collecting evidence")
    COACHING = "coaching", _("Coaching session")
    PORTFOLIO_CHECK = "portfolio_check", _("Portfolio check")
    INTERVIEW = "interview", _("Criterion-based interview")
    DECISION = "decision", _("Four-eyes decision")
    CERTIFICATE = "certificate", _("Certificate")


def criteria_default() -> list[dict[str, str]]:
    """What the assessors substantiate per judgement, unless the template names its own criteria."""
    return [
        {"code": "development", "text": "De ontwikkeling is concreet beschreven en met bewijs onderbouwd."},
        {"code": "themes", "text": "De ontwikkeling is verbonden met de gekozen professionaliseringsthema's."},
        {"code": "practice", "text": "De ontwikkeling is zichtbaar in de leiderschapspraktijk op school."},
        {"code": "reflection", "text": "De kandidaat reflecteert kritisch op eigen handelen en keuzes."},
        {"code": "level", "text": "Het leerniveau (Shulman) blijkt uit portfolio en interview."},
    ]


class TrajectoryTemplate(models.Model):
    """What an aanbieder offers: steps, assignments per theme, coaching, prices; published to candidates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey("tenancy.Provider", on_delete=models.CASCADE, related_name="trajectory_templates")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TemplateKind.choices)
    description = models.TextField(_("description"), blank=True)
    coaching_offered = models.BooleanField(_("coaching offered"), default=False)
    reflection_instrument = models.CharField(
        _("reflection instrument"),
        max_length=300,
        blank=True,
        help_text=_("Optional: the self-reflection tool candidates use (a name or a web address)."),
    )
    price = models.DecimalField(
        _("price (euro)"), max_digits=8, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    coaching_price = models.DecimalField(
        _("price of coaching (euro)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    criteria = models.JSONField(_("assessment criteria"), default=criteria_default)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[models.Manager[TrajectoryTemplate]] = ScopedManager(provider="provider")

    class Meta:
        verbose_name = _("trajectory template")
        verbose_name_plural = _("trajectory templates")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="trajectorytemplate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(TrajectoryTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects: ClassVar[models.Manager[TemplateStep]] = ScopedManager(provider="template__provider")

    class Meta:
        ordering = ("position",)
        constraints = [models.UniqueConstraint(fields=["template", "position"], name="templatestep_unique_position")]

    def __str__(self) -> str:
        return self.title


class TemplateAssignment(models.Model):
    """An opdracht; for one theme, or (theme empty) for every trajectory of the template."""

    template = models.ForeignKey(TrajectoryTemplate, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveSmallIntegerField()
    theme = models.ForeignKey(
        "register.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    min_evidence = models.PositiveSmallIntegerField(
        _("evidence required"), default=1, validators=[MaxValueValidator(20)]
    )
    min_reflections = models.PositiveSmallIntegerField(
        _("reflections required"), default=1, validators=[MaxValueValidator(20)]
    )

    objects: ClassVar[models.Manager[TemplateAssignment]] = ScopedManager(provider="template__provider")

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="templateassignment_unique_position")
        ]

    def __str__(self) -> str:
        return self.title


class TrajectoryState(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COLLECTING = "collecting", _("Collecting evidence")
    ASSESSMENT_REQUESTED = "assessment_requested", _("Assessment requested")
    UNDER_REVIEW = "under_review", _("Portfolio under review")
    ADDITIONS_REQUESTED = "additions_requested", _("Additions requested")
    INTERVIEW_PLANNED = "interview_planned", _("Interview planned")
    DECIDING = "deciding", _("Decision in progress")
    CERTIFIED = "certified", _("Certified")
    ADVISED = "advised", _("Development advice")
    WITHDRAWN = "withdrawn", pgettext_lazy("trajectory", "Withdrawn")


OPEN_STATES = (
    TrajectoryState.ENROLLED,
    TrajectoryState.COLLECTING,
    TrajectoryState.ASSESSMENT_REQUESTED,
    TrajectoryState.UNDER_REVIEW,
    TrajectoryState.ADDITIONS_REQUESTED,
    TrajectoryState.INTERVIEW_PLANNED,
    TrajectoryState.DECIDING,
)
# The candidate may add to and change the portfolio in these states (frozen from the interview on).
EDITABLE_STATES = (TrajectoryState.ENROLLED, TrajectoryState.COLLECTING, TrajectoryState.ADDITIONS_REQUESTED)
# The aanbieder's staff see the portfolio once it was submitted (requested_at set) — never before.
ASSESSOR_WORK_STATES = (
    TrajectoryState.ASSESSMENT_REQUESTED,
    TrajectoryState.UNDER_REVIEW,
    TrajectoryState.INTERVIEW_PLANNED,
    TrajectoryState.DECIDING,
)

S = TrajectoryState
TRAJECTORY_MACHINE = StateMachine(
    states=TrajectoryState,
    transitions={
        "start": {S.ENROLLED: S.COLLECTING},
        "request_assessment": {S.COLLECTING: S.ASSESSMENT_REQUESTED, S.ADDITIONS_REQUESTED: S.ASSESSMENT_REQUESTED},
        "start_review": {S.ASSESSMENT_REQUESTED: S.UNDER_REVIEW},
        "request_additions": {S.UNDER_REVIEW: S.ADDITIONS_REQUESTED},
        "plan_interview": {S.UNDER_REVIEW: S.INTERVIEW_PLANNED},
        "start_deciding": {S.INTERVIEW_PLANNED: S.DECIDING},
        "certify": {S.DECIDING: S.CERTIFIED},
        "advise": {S.DECIDING: S.ADVISED},
        "withdraw": {
            S.ENROLLED: S.WITHDRAWN,
            S.COLLECTING: S.WITHDRAWN,
            S.ASSESSMENT_REQUESTED: S.WITHDRAWN,
            S.UNDER_REVIEW: S.WITHDRAWN,
            S.ADDITIONS_REQUESTED: S.WITHDRAWN,
            S.INTERVIEW_PLANNED: S.WITHDRAWN,
        },
    },
    action_labels={
        "start": _("Start collecting"),
        "request_assessment": _("Request the assessment"),
        "start_review": _("Start the review"),
        "request_additions": _("Ask for additions"),
        "plan_interview": _("Plan the interview"),
        "start_deciding": _("Record judgements"),
        "certify": _("Certify"),
        "advise": _("Give development advice"),
        "withdraw": pgettext_lazy("trajectory", "Withdraw"),
    },
)


class Trajectory(models.Model):
    """One candidate's waarderingstraject with one aanbieder."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey("tenancy.Provider", on_delete=models.PROTECT, related_name="trajectories")
    template = models.ForeignKey(TrajectoryTemplate, on_delete=models.PROTECT, related_name="trajectories")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trajectories")
    # The board the candidate enrolled from: their dossier items come from there. Never grants that board access.
    candidate_board = models.ForeignKey("tenancy.Board", on_delete=models.PROTECT, related_name="+")
    themes = models.ManyToManyField("register.Theme", related_name="+", verbose_name=_("themes"))
    with_coaching = models.BooleanField(_("with coaching"), default=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coached_trajectories",
        verbose_name=_("coach"),
    )
    state = models.CharField(
        _("status"), max_length=24, choices=TrajectoryState.choices, default=TrajectoryState.ENROLLED
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    requested_at = models.DateTimeField(null=True, blank=True)  # first request for assessment
    additions_requested = models.TextField(_("additions requested"), blank=True)  # the latest review's list
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    interview_location = models.CharField(_("location"), max_length=200, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)  # the portfolio as assessed (canonical JSON)
    snapshot_hash = models.CharField(max_length=64, blank=True)  # SHA-256 hex of the canonical snapshot
    disagreement = models.BooleanField(default=False)  # both judgements recorded and they differ
    closed_at = models.DateTimeField(null=True, blank=True)
    advice_goals_created = models.BooleanField(default=False)

    objects: ClassVar[models.Manager[Trajectory]] = ScopedManager(provider="provider")

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ("-enrolled_at",)
        indexes = [
            models.Index(fields=["provider", "state"]),
            models.Index(fields=["candidate", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.template} – {self.candidate}"


class TrajectoryEvent(models.Model):
    """The trajectory's history: every move and who made it, shown on the trajectory."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[TrajectoryEvent]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%Y-%m-%d})"


class Assignment(models.Model):
    """A template assignment copied into the trajectory at enrolment."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveSmallIntegerField()
    theme = models.ForeignKey("register.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    min_evidence = models.PositiveSmallIntegerField(default=1)
    min_reflections = models.PositiveSmallIntegerField(default=1)

    objects: ClassVar[models.Manager[Assignment]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("position",)

    def __str__(self) -> str:
        return self.title


class PortfolioItemKind(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    REFLECTION = "reflection", _("Reflection")


class PortfolioItem(models.Model):
    """Evidence or a reflection for one assignment: written here, or copied from the candidate's dossier."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="items")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=PortfolioItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="trajectories/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    themes = models.ManyToManyField("register.Theme", related_name="+", verbose_name=_("themes"), blank=True)
    source_evidence = models.ForeignKey(
        "dossier.Evidence", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_reflection = models.ForeignKey(
        "dossier.Reflection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[PortfolioItem]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.title


class CoachingSession(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="coaching_sessions")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[CoachingSession]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("held_on", "id")

    def __str__(self) -> str:
        return f"{self.held_on:%d-%m-%Y}"


class Comment(models.Model):
    """A coach's or assessor's comment on the portfolio (or one item); the candidate reads it."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(PortfolioItem, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Comment]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.body[:60]


class ReviewOutcome(models.TextChoices):
    NEEDS_ADDITIONS = "needs_additions", _("Additions needed")
    INTERVIEW = "interview", _("Ready for the interview")


class PortfolioReview(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="reviews")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    missing = models.TextField(_("what is missing"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[PortfolioReview]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.get_outcome_display()


class Judgement(models.Model):
    """One assessor's judgement after the interview; the other assessors see it only once two are recorded."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="judgements")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    themes = models.ManyToManyField("register.Theme", related_name="+", verbose_name=_("themes shown"), blank=True)
    learning_level = models.PositiveSmallIntegerField(
        _("learning level"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    criteria = models.JSONField(_("substantiation per criterion"), default=dict)
    advice = models.TextField(_("development advice"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    revised_at = models.DateTimeField(null=True, blank=True)  # changed in a consensus round

    objects: ClassVar[models.Manager[Judgement]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        ordering = ("recorded_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "assessor"], name="judgement_one_per_assessor"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} – {self.learning_level}"


class DecisionOutcome(models.TextChoices):
    CERTIFIED = "certified", _("Certified")
    DEVELOPMENT_ADVICE = "development_advice", _("Development advice")


class Decision(models.Model):
    """The final four-eyes decision: two different assessors whose judgements agree."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionOutcome.choices)
    learning_level = models.PositiveSmallIntegerField(_("learning level"))
    themes = models.ManyToManyField("register.Theme", related_name="+", verbose_name=_("themes shown"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    first_assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    advice = models.TextField(_("development advice"), blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Decision]] = ScopedManager(provider="trajectory__provider")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_assessor=models.F("second_assessor")), name="decision_two_different_assessors"
            ),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()
