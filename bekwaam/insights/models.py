"""Benchmarking: released contributions for school and board aggregates, and where a POP goal came from.

School, team and board pages never aggregate the source tables directly. A refresh (insights.services.
release, daily and on demand) copies each finished source record — a finished measurement, a put-forward
lesson visit, a conversation that reached a milestone — into a `Contribution` with its values per
dimension (`ContributionValue`: a domain, or a milestone), and then *releases* contributions into the
groups a page shows: the board, the record's school, and the team of the record's leidinggevende. A
group's released set only grows, in versions (`board_version`, `school_version`, `team_version`: the
version of that group in which the record was first shown; null while not yet shown).

A release is allowed only when, afterwards, every "atom" — the records that share exactly the same
release history across all groups — holds either no one or at least settings.AGGREGATE_MIN_GROUP_SIZE
different people, per dimension (insights.disclosure). Every figure a page shows is a sum over released
sets, so what anyone can compute by comparing pages (a school before and after one person joins, a team
against its school, the board against its schools) is a sum over whole atoms: never one person's value.
Pages, PDFs, CSV exports and the API all read released rows only (insights.selectors.aggregates).

`GoalOrigin` remembers the low score a POP goal was made from ("the loop closes"), so the goal's check
step can show the score before and after.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Metric(models.TextChoices):
    MEASUREMENT = "measurement", _("Measurements (nulmeting) per domain")
    OBSERVATION = "observation", _("Lesson visits per domain")
    CONVERSATIONS = "conversations", _("Conversation cycle progress")


class Contribution(models.Model):
    """One source record as counted in aggregates, with the groups it was released into."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=16, choices=Metric.choices)
    # For measurements and visits: the framework's slug (comparable across versions); else empty.
    framework_slug = models.SlugField(max_length=64, blank=True)
    year = models.PositiveIntegerField()  # the school year (lib.dates.school_year_of) of the record's date
    record_key = models.CharField(max_length=80)  # e.g. "<measurement uuid>" or "<conversation uuid>:held"
    # Erasing a person erases what they contributed; released figures then shrink (docs/insights.md).
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    board_version = models.PositiveIntegerField(null=True, blank=True)
    school_version = models.PositiveIntegerField(null=True, blank=True)
    team_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Contribution]] = ScopedManager(board="board")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "metric", "record_key"], name="contribution_unique_record"),
        ]
        indexes = [
            models.Index(fields=["board", "metric", "framework_slug", "year"]),
            models.Index(fields=["school", "metric", "year"]),
            models.Index(fields=["manager", "metric", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.record_key}"


class ContributionValue(models.Model):
    """A contribution's value on one dimension (a domain code with its mean level, or a milestone = 1)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="values")
    dimension = models.CharField(max_length=64)
    value = models.DecimalField(max_digits=6, decimal_places=3)
    bucket = models.PositiveSmallIntegerField()  # the value rounded to a scale level (distribution charts)

    objects: ClassVar[models.Manager[ContributionValue]] = ScopedManager(board="board")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "dimension"], name="contributionvalue_unique"),
        ]
        indexes = [models.Index(fields=["board", "dimension"])]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}"


class GroupRelease(models.Model):
    """When a group's figures were last released (shown as "figures as of ..."), per metric and year."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=16, choices=Metric.choices)
    framework_slug = models.SlugField(max_length=64, blank=True)
    year = models.PositiveIntegerField()
    group = models.CharField(max_length=64)  # "board", "school:<id>", "team:<person uuid>"
    version = models.PositiveIntegerField()
    released_at = models.DateTimeField()

    objects: ClassVar[models.Manager[GroupRelease]] = ScopedManager(board="board")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "metric", "framework_slug", "year", "group"], name="grouprelease_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} v{self.version}"


class RefreshRun(models.Model):
    """One refresh of a board's contributions: when, and how many records were added and released."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    added = models.PositiveIntegerField(default=0)
    released = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[RefreshRun]] = ScopedManager(board="board")

    class Meta:
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"{self.board_id} {self.started_at:%Y-%m-%d %H:%M}"


class OriginKind(models.TextChoices):
    OBSERVATION_ITEM = "observation_item", _("Kijkwijzer item")
    INDICATOR = "indicator", _("Measurement indicator")
    FEEDBACK_COMPETENCE = "feedback_competence", _("360° feedback competence")


class GoalOrigin(models.Model):
    """The low score a POP goal was made from: kept so the check step shows before and after."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    goal = models.OneToOneField("dossier.Goal", on_delete=models.CASCADE, related_name="origin")
    kind = models.CharField(max_length=24, choices=OriginKind.choices)
    framework_slug = models.SlugField(max_length=64)
    code = models.CharField(max_length=64)  # the item's, indicator's or competence's code
    label = models.CharField(max_length=300)
    # The record the score came from (observation, measurement or feedback round id).
    source_id = models.UUIDField()
    before_value = models.DecimalField(max_digits=6, decimal_places=3)
    before_on = models.DateField()
    scale_max = models.PositiveSmallIntegerField()
    # The person agreed to a follow-up lesson visit on the same items (observations.Observation planned).
    follow_up_visit = models.ForeignKey(
        "observations.Observation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[GoalOrigin]] = ScopedManager(board="board")

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"
