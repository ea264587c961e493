"""Schoolleidersregister PO: professionaliseringsthema's, registration periods, activities and their points.

Themes are platform-wide data the operator edits (REFERENCE.md section 0.5); portfolio items of school
leaders are tagged with them. A school leader keeps their registration periods here: each period has its
length as data (five years now, four for periods begun under the earlier rule) and the points it needs.
Activities are vooraf gewaardeerd (a certified course with the register's points) or achteraf gewaardeerd
(an assessment: themes shown and one learning level; the points follow from register.points). Points are
stored on the activity when it is recorded, so the overview sums them in SQL.

A period is the school leader's own record, kept at the board where they work (like their dossier): the
board's roles see nothing of it (register.selectors filters on the person).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Theme(models.Model):
    """A professionaliseringsthema, valid from `first_year` until `last_year` (inclusive, open when empty)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("valid from (year)"))
    last_year = models.PositiveSmallIntegerField(_("valid until (year)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("professional development theme")
        verbose_name_plural = _("professional development themes")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="theme_valid_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LeadershipPractice(models.TextChoices):
    """The five leiderschapspraktijken of the beroepsstandaard (2020) and persoonlijk leiderschap."""

    VISION = "LP1", _("Working from a vision")
    PEOPLE = "LP2", _("Developing people")
    ORGANISATION = "LP3", _("Developing the organisation")
    QUALITY = "LP4", _("Leading the quality of education")
    RELATIONS = "LP5", _("Investing in good relations with the environment")
    PERSONAL = "PL", _("Personal leadership")


class LearningLevel(models.IntegerChoices):
    """Shulman's Table of Learning (REFERENCE.md section 3.4)."""

    ENGAGEMENT = 1, _("1 – Engagement and motivation")
    KNOWLEDGE = 2, _("2 – Knowledge and understanding")
    PERFORMANCE = 3, _("3 – Performance and action")
    REFLECTION = 4, _("4 – Reflection and critique")
    JUDGMENT = 5, _("5 – Judgment and design")
    COMMITMENT = 6, _("6 – Commitment and identity")


class RegistrationPeriod(models.Model):
    """One registration period of a school leader: from the start date, `length_years` long."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration_periods")
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    start_date = models.DateField(_("start date"))
    length_years = models.PositiveSmallIntegerField(
        _("length (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    end_date = models.DateField(_("end date"))  # start_date + length_years - 1 day, set by the service
    points_required = models.PositiveSmallIntegerField(_("points required"), default=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[models.Manager[RegistrationPeriod]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("registration period")
        verbose_name_plural = _("registration periods")
        ordering = ("-start_date",)
        constraints = [
            models.UniqueConstraint(fields=["person", "start_date"], name="registrationperiod_unique_start"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="registrationperiod_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%d-%m-%Y} – {self.end_date:%d-%m-%Y}"


class ActivityKind(models.TextChoices):
    PRE_ACCREDITED = "pre_accredited", _("Pre-accredited activity")
    RETRO_ASSESSED = "retro_assessed", _("Activity assessed afterwards")


class Activity(models.Model):
    """A professionalisation activity counted in a period; `points` is fixed when it is recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(RegistrationPeriod, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)  # the course, or what was assessed
    provider_name = models.CharField(_("provider"), max_length=200)
    completed_on = models.DateField(_("date"))
    points = models.PositiveSmallIntegerField(_("points"), validators=[MaxValueValidator(100)])
    learning_level = models.PositiveSmallIntegerField(
        _("learning level"), choices=LearningLevel.choices, null=True, blank=True
    )
    themes = models.ManyToManyField(Theme, related_name="+", verbose_name=_("themes"), blank=True)
    leadership_practices = models.JSONField(_("leadership practices"), default=list, blank=True)
    certificate_file = models.FileField(_("certificate"), upload_to="register/%Y/%m/", blank=True)
    certificate_file_name = models.CharField(max_length=255, blank=True)
    # Set when the activity came from a waarderingstraject in Bekwaam (credentials.Certificate).
    certificate = models.OneToOneField(
        "credentials.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_activity",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[models.Manager[Activity]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ("-completed_on", "title")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "provider_name", "title", "completed_on"],
                name="activity_unique_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(kind="pre_accredited") | (Q(points__gte=10) & Q(points__lte=100)),
                name="activity_pre_accredited_points_10_100",
            ),
            models.CheckConstraint(
                condition=~Q(kind="retro_assessed") | Q(learning_level__isnull=False),
                name="activity_retro_assessed_has_level",
            ),
        ]
        indexes = [models.Index(fields=["period", "completed_on"])]

    def __str__(self) -> str:
        return self.title


class RegisterReminder(models.Model):
    """A reminder sent for a period that is short on points, `months_before` its end (12, 6 or 3): once each."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(RegistrationPeriod, on_delete=models.CASCADE, related_name="reminders")
    months_before = models.PositiveSmallIntegerField()
    points_then = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[RegisterReminder]] = ScopedManager(board="board")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "months_before"], name="registerreminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.months_before}"
