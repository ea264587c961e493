"""Organisations and people's places in them: the tenant boundary of Bekwaam."""

from __future__ import annotations

import operator
import uuid
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bekwaam.tenancy.validators import validate_authority_number, validate_brin


class BoardTagged:
    """django-auditlog tags each entry with the row's board, so a board's log shows only its own."""

    audit_board_path = "board_id"

    def get_additional_data(self) -> dict[str, list[int]]:
        return {"board_ids": [operator.attrgetter(self.audit_board_path)(self)]}


class Board(models.Model):
    """A schoolbestuur: the legal owner of schools and the tenant boundary of Bekwaam."""

    name = models.CharField(_("name"), max_length=200)
    authority_number = models.CharField(
        _("board number"), max_length=5, unique=True, validators=[validate_authority_number]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class School(BoardTagged, models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools", verbose_name=_("board"))
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(_("BRIN number"), max_length=6, unique=True, validators=[validate_brin])
    place = models.CharField(_("place"), max_length=100, blank=True)

    objects: ClassVar[models.Manager[School]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Team(BoardTagged, models.Model):
    """A group of staff inside a school (onderbouw, bovenbouw, …)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teams", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=100)

    objects: ClassVar[models.Manager[Team]] = ScopedManager(board="school__board")
    audit_board_path = "school.board_id"

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="team_unique_name_per_school")]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """An aanbieder: runs waarderingstrajecten and e-learning for several boards."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Function(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    INTERNAL_SUPERVISOR = "internal_supervisor", _("Internal supervisor (IB)")
    TEACHING_ASSISTANT = "teaching_assistant", _("Teaching assistant")
    SCHOOL_LEADER = "school_leader", _("School leader")
    DIRECTOR = "director", _("Director")
    SUPPORT_STAFF = "support_staff", _("Support staff")
    OTHER = "other", _("Other")


class Employment(BoardTagged, models.Model):
    """A person's job at one school: function, period, leidinggevende and FTE.

    `personnel_number` is the board's number for this employment (dienstverband), so a person
    at two schools of one board has two numbers; a re-import with the same number updates.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employments", verbose_name=_("person")
    )
    # Denormalised from school so tenancy scoping and board aggregates need no join.
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="employments", verbose_name=_("board"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="employments", verbose_name=_("school"))
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="employments", verbose_name=_("team")
    )
    function = models.CharField(_("function"), max_length=32, choices=Function.choices)
    personnel_number = models.CharField(_("personnel number"), max_length=32)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_employments",
        verbose_name=_("manager"),
    )
    fte = models.DecimalField(
        _("FTE"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.010")), MaxValueValidator(Decimal("1.200"))],
    )

    objects: ClassVar[models.Manager[Employment]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ("school__name", "person__family_name", "person__given_name")
        constraints = [
            models.UniqueConstraint(fields=["board", "personnel_number"], name="employment_unique_number_per_board"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            ),
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=Decimal("1.2")), name="employment_fte_in_range"),
        ]
        indexes = [
            models.Index(fields=["board", "end_date"]),
            models.Index(fields=["manager", "end_date"]),
            # "does this person work at this board": the people list, person detail and the actor's memberships.
            models.Index(fields=["person", "board"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.school} ({self.get_function_display()})"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Functional administrator")
    BOARD_MEMBER = "board_member", _("Board member")
    QUALITY_OFFICER = "quality_officer", _("Quality officer")
    MANAGER = "manager", _("Manager / school leader")
    COACH = "coach", _("Coach")
    ASSESSOR = "assessor", _("Assessor")


BOARD_ROLES = (Role.ADMINISTRATOR, Role.BOARD_MEMBER, Role.QUALITY_OFFICER)
SCHOOL_ROLES = (Role.MANAGER,)
PROVIDER_ROLES = (Role.COACH, Role.ASSESSOR)


class RoleGrant(BoardTagged, models.Model):
    """A board-level role (board set, school empty) or a school-level role (both set)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("board"))
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants", verbose_name=_("school")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[models.Manager[RoleGrant]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ("role",)
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=[r.value for r in BOARD_ROLES]) & Q(school__isnull=True))
                | (Q(role__in=[r.value for r in SCHOOL_ROLES]) & Q(school__isnull=False)),
                name="rolegrant_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "board"], condition=Q(school__isnull=True), name="rolegrant_unique_board_role"
            ),
            models.UniqueConstraint(
                fields=["person", "role", "school"],
                condition=Q(school__isnull=False),
                name="rolegrant_unique_school_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.school if self.school_id else self.board
        return f"{self.get_role_display()} – {where}"


class ProviderRoleGrant(models.Model):
    """A coach or assessor working for an aanbieder."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_role_grants",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=32, choices=[(r.value, r.label) for r in PROVIDER_ROLES])
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("provider")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[models.Manager[ProviderRoleGrant]] = ScopedManager(provider="provider")

    class Meta:
        verbose_name = _("provider role")
        verbose_name_plural = _("provider roles")
        ordering = ("role",)
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "provider"], name="providerrolegrant_unique"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in PROVIDER_ROLES]), name="providerrolegrant_provider_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.provider}"


class StaffImport(models.Model):
    """An uploaded staff or school file, kept between the dry run and the apply step."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        SCHOOLS = "schools", _("Schools")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        APPLIED = "applied", _("Applied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    # The rows as parsed (list of dicts of strings): the apply step re-validates them.
    rows = models.JSONField(default=list)
    end_missing = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKED)
    summary = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[StaffImport]] = ScopedManager(board="board")

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.filename
