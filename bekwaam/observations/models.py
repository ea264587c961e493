"""Lesbezoeken: a lesson observed with a kijkwijzer, its nagesprek, and the teacher's acknowledgement.

The kijkwijzer itself is a framework of kind "observation" (frameworks.FrameworkKind, decision 0007):
its domains are the observation domains, its competences the items scored, its indicators the
look-fors, its scale levels the observation scale. An observation pins the published version it
was scored with (PROTECT), so a later version never changes an old visit.

Calibration: a second observer scores the same lesson in an observation of their own whose
`calibrates` points at the first one; neither sees the other's scores until both have put theirs
forward (observations.selectors.calibration). A peer visit (collegiale consultatie) is an
observation of kind PEER: only the teacher and the colleague who observed ever see it.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bekwaam.lib.states import StateMachine
from bekwaam.tenancy.models import BoardTagged


class ObservationKind(models.TextChoices):
    VISIT = "visit", _("Lesson visit")
    PEER = "peer", _("Peer visit (collegiale consultatie)")


class ObservationState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Being scored")
    SUBMITTED = "submitted", _("Put forward")
    ACKNOWLEDGED = "acknowledged", _("Seen by the teacher")
    CANCELLED = "cancelled", _("Cancelled")


# Declared once (STYLE.md habit 2). Scoring a planned visit starts it; "reopen" lets the observer
# correct a visit the teacher has not acknowledged yet.
OBSERVATION_MACHINE = StateMachine(
    states=ObservationState,
    transitions={
        "start": {ObservationState.PLANNED: ObservationState.IN_PROGRESS},
        "submit": {ObservationState.IN_PROGRESS: ObservationState.SUBMITTED},
        "reopen": {ObservationState.SUBMITTED: ObservationState.IN_PROGRESS},
        "acknowledge": {ObservationState.SUBMITTED: ObservationState.ACKNOWLEDGED},
        "cancel": {
            ObservationState.PLANNED: ObservationState.CANCELLED,
            ObservationState.IN_PROGRESS: ObservationState.CANCELLED,
        },
    },
    action_labels={
        "start": _("Start scoring"),
        "submit": _("Put forward"),
        "reopen": _("Take back to correct"),
        "acknowledge": _("Mark as seen"),
        "cancel": _("Cancel the visit"),
    },
)

# States in which the observer's scores are final enough to count: the teacher sees them, reports use them.
PUT_FORWARD_STATES = (ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED)


class Observation(BoardTagged, models.Model):
    """One observer's visit to one lesson of one teacher."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    employment = models.ForeignKey("tenancy.Employment", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations", verbose_name=_("teacher")
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations_made", verbose_name=_("observer")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ObservationKind.choices, default=ObservationKind.VISIT)
    instrument = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("kijkwijzer")
    )
    # Set on a second observer's scoring of the same lesson (calibration); null on the visit itself.
    calibrates = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="calibrations")
    group = models.PositiveSmallIntegerField(
        _("group"), validators=[MinValueValidator(1), MaxValueValidator(8)], help_text=_("Groep 1 to 8")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("time"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    focus = models.TextField(_("focus points agreed beforehand"), blank=True)
    focus_items = models.ManyToManyField(
        "frameworks.Competence", blank=True, related_name="+", verbose_name=_("items to focus on")
    )
    state = models.CharField(
        _("status"), max_length=16, choices=ObservationState.choices, default=ObservationState.PLANNED
    )
    # The nagesprek, written by the observer after the lesson.
    went_well = models.TextField(_("what went well"), blank=True)
    work_on = models.TextField(_("points to work on"), blank=True)
    teacher_reaction = models.TextField(_("your reaction"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Observation]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("lesson visit")
        verbose_name_plural = _("lesson visits")
        ordering = ("-date", "-created_at")
        indexes = [
            models.Index(fields=["board", "school", "date"]),
            models.Index(fields=["board", "teacher", "date"]),
            models.Index(fields=["board", "observer", "state"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(teacher=models.F("observer")), name="observation_not_of_self"),
            models.CheckConstraint(condition=Q(group__gte=1, group__lte=8), name="observation_group_1_to_8"),
            models.CheckConstraint(
                condition=~Q(kind="peer") | Q(calibrates__isnull=True), name="observation_peer_not_calibration"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "acknowledged"]) | Q(submitted_at__isnull=False),
                name="observation_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d} groep {self.group}"

    @property
    def is_put_forward(self) -> bool:
        return self.state in PUT_FORWARD_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in (ObservationState.PLANNED, ObservationState.IN_PROGRESS)


class ObservationScore(models.Model):
    """The observer's score and note on one item; `value` is a scale level's value, None = not seen."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey("frameworks.Competence", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[ObservationScore]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["observation", "item"], name="observationscore_unique_item")]
        indexes = [models.Index(fields=["item", "value"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"


class ObservationAgreement(models.Model):
    """An agreement from the nagesprek; the teacher can turn it into a POP goal (goal is then set)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("agreement"))
    position = models.PositiveIntegerField(default=0)
    goal = models.ForeignKey("dossier.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects: ClassVar[models.Manager[ObservationAgreement]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.text[:60]


class ObservationEvent(models.Model):
    """The visit's own history: who moved it when (the change log is for board policy, not people's records)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ObservationEvent]] = ScopedManager(board="board")

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
