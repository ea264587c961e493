"""Competence frameworks: a board's versioned set of domains → competences → indicators with a rating scale.

A board owns its frameworks. The shipped ones (frameworks/defaults/*.json) are not rows until a
beheerder adopts them: adopting loads the file into the board as a published version. A published
version never changes; measurements point at the version they used; a new version starts as a copy
of the latest one (services.version_create_draft).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bekwaam.tenancy.models import BoardTagged


class Audience(models.TextChoices):
    TEACHERS = "teachers", _("Teachers and other staff")
    SCHOOL_LEADERS = "school_leaders", _("School leaders")


class FrameworkKind(models.TextChoices):
    """What a framework is used for: competences (nulmeting, POP, portfolio) or observing lessons (kijkwijzer).

    A kijkwijzer is versioned and edited like any framework (decision 0007): its domains are the
    observation domains, its "competences" the items scored in the classroom, its indicators the
    optional look-fors, and its scale the observation scale.
    """

    COMPETENCES = "competences", _("Competence framework")
    OBSERVATION = "observation", _("Lesson observation instrument (kijkwijzer)")


class Framework(BoardTagged, models.Model):
    """One framework of a board, e.g. the bekwaamheidseisen; its content lives in its versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="frameworks")
    # Stable across boards and installations ("teacher-competences"): export/import and comparison key.
    slug = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    audience = models.CharField(_("for"), max_length=32, choices=Audience.choices, default=Audience.TEACHERS)
    kind = models.CharField(_("kind"), max_length=16, choices=FrameworkKind.choices, default=FrameworkKind.COMPETENCES)
    source = models.TextField(_("source"), blank=True)
    # The shipped file this framework was adopted from ("teacher-competences"), empty for the board's own.
    shipped_as = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Framework]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=["board", "slug"], name="framework_unique_slug_per_board")]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FrameworkVersion(BoardTagged, models.Model):
    """One version of a framework: editable while a draft, frozen once published."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="framework_versions")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("For example: 2017"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    scale_name = models.CharField(_("rating scale"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects: ClassVar[models.Manager[FrameworkVersion]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ("framework__name", "-number")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="frameworkversion_unique_number"),
            # At most one draft per framework: "new version" continues it rather than forking a second.
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="draft"), name="frameworkversion_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="frameworkversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number}" + (f" ({self.label})" if self.label else "")

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class ScaleLevel(BoardTagged, models.Model):
    """One level of a version's rating scale; `value` orders them (1 = lowest)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="scale_levels")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    objects: ClassVar[models.Manager[ScaleLevel]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ("version", "value")
        constraints = [models.UniqueConstraint(fields=["version", "value"], name="scalelevel_unique_value")]

    def __str__(self) -> str:
        return f"{self.value}. {self.label}"


class Domain(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Domain]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ("version", "position", "code")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="domain_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competence(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="competences")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competences")
    # The code is the competence's identity across versions: comparisons and export match on it.
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Competence]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ("domain__position", "position", "code")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="competence_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Indicator]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ("competence__domain__position", "competence__position", "position", "code")
        constraints = [models.UniqueConstraint(fields=["competence", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"
