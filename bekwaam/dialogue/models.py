"""The team dialogue on beroepskwaliteit along four pillars (toolkit beroepskwaliteit).

A `TeamSession` is one team's conversation at one school on one pillar, led by a facilitator (a
schoolleider or any team member). Its questions (`SessionQuestion`) are copied from Bekwaam's question set
for the pillar (dialogue/defaults/questions.json, written in Dutch for this purpose) or written by the team.
During the session the facilitator captures per question the team's answers (`SessionAnswer`) and the
statements (`Statement`) the team agrees on; a statement is a view on the profession or an agreed action.

After the session is marked held, participants may add answers and statements for
settings.DIALOGUE_ADDITION_DAYS days (default 7); then it is closed and read-only.

The agreed views of a session can be adopted into the school's shared view of the profession
(`SharedView`), which is versioned: each adoption writes a new version with the statements kept from the
previous one plus the new ones, and every version stays readable on the school page. An agreed action can
go into the school's verbeterplan (quality.ImprovementAction, linked here) or, by each participant for
themselves, into their own POP (a dossier goal, private to them: not linked back here).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bekwaam.tenancy.models import BoardTagged


class Pillar(models.TextChoices):
    DEFINE = "define", _("How do we define professional quality?")
    MONITOR = "monitor", _("How do we keep sight of professional quality?")
    IMPROVE = "improve", _("How do we work on professional quality?")
    SHOW = "show", _("How do we make professional quality visible?")


class TeamSession(BoardTagged, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    pillar = models.CharField(_("pillar"), max_length=16, choices=Pillar.choices)
    title = models.CharField(_("title"), max_length=200)
    planned_on = models.DateField(_("date"))
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="team_sessions", blank=True, verbose_name=_("participants")
    )
    # Set when the facilitator marks the session held; additions are open until held_at + DIALOGUE_ADDITION_DAYS.
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[TeamSession]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("team session")
        verbose_name_plural = _("team sessions")
        ordering = ("-planned_on", "-created_at")
        indexes = [models.Index(fields=["board", "school", "-planned_on"])]

    def __str__(self) -> str:
        return self.title


class SessionQuestion(BoardTagged, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TeamSession, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("question"), max_length=1000)
    # The key of the shipped question it was copied from ("define-1"), empty for the team's own.
    shipped_as = models.CharField(max_length=32, blank=True)

    objects: ClassVar[models.Manager[SessionQuestion]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("session", "position")

    def __str__(self) -> str:
        return self.text[:60]


class SessionAnswer(BoardTagged, models.Model):
    """What the team answered to a question, as the facilitator (or, afterwards, a participant) wrote it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(SessionQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_afterwards = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[SessionAnswer]] = ScopedManager(board="board")

    class Meta:
        ordering = ("question", "created_at")

    def __str__(self) -> str:
        return self.text[:60]


class StatementKind(models.TextChoices):
    VIEW = "view", _("Shared view")
    ACTION = "action", _("Agreed action")


class Statement(BoardTagged, models.Model):
    """A statement the team agrees on: a view on the profession, or an action."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TeamSession, on_delete=models.CASCADE, related_name="statements")
    question = models.ForeignKey(
        SessionQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=StatementKind.choices, default=StatementKind.VIEW)
    text = models.TextField(_("statement"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_afterwards = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # An agreed action taken into the school's verbeterplan.
    improvement_action = models.ForeignKey(
        "quality.ImprovementAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Statement]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("agreed statement")
        verbose_name_plural = _("agreed statements")
        ordering = ("session", "created_at")

    def __str__(self) -> str:
        return self.text[:60]


class SharedView(BoardTagged, models.Model):
    """One version of a school's shared view of the profession (the agreed views, per pillar)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    session = models.ForeignKey(TeamSession, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[SharedView]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("shared view")
        verbose_name_plural = _("shared views")
        ordering = ("school", "-number")
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="sharedview_unique_number")]

    def __str__(self) -> str:
        return f"{self.school_id} v{self.number}"


class SharedViewStatement(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    view = models.ForeignKey(SharedView, on_delete=models.CASCADE, related_name="statements")
    pillar = models.CharField(_("pillar"), max_length=16, choices=Pillar.choices)
    text = models.TextField(_("statement"), max_length=2000)
    position = models.PositiveIntegerField(default=0)
    # The session statement it came from (kept when the statement carries over into later versions).
    source = models.ForeignKey(Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects: ClassVar[models.Manager[SharedViewStatement]] = ScopedManager(board="board")

    class Meta:
        ordering = ("view", "pillar", "position")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="sharedviewstatement_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
