"""360° feedback: a medewerker's round, the people invited through personal links, their answers.

The round and its report belong to the medewerker who started it (ARCHITECTURE.md principle 1); they
decide whom to share the report with (FeedbackShare). Invitees need no account: each invitation holds
the hash of a random token that only their e-mail carries (the token itself is never stored).

Anonymity (docs/feedback.md): a group's figures and comments are computed only for groups of at least
FEEDBACK_MIN_GROUP_SIZE answers, in the query (feedback.selectors), and the report exists only once the
round is closed, so no one can difference two states of it.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bekwaam.lib.states import StateMachine


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


ROUND_MACHINE = StateMachine(
    states=RoundState,
    transitions={
        "open": {RoundState.DRAFT: RoundState.OPEN},
        "extend": {RoundState.OPEN: RoundState.OPEN},
        "close": {RoundState.OPEN: RoundState.CLOSED},
    },
    action_labels={
        "open": _("Send the invitations"),
        "extend": _("Extend the deadline"),
        "close": _("Close the round"),
    },
)


class Relation(models.TextChoices):
    """In which relation someone answers; each is one group in the report."""

    SELF = "self", _("Self")
    MANAGER = "manager", _("Manager")
    COLLEAGUE = "colleague", _("Colleague")
    PARENT = "parent", _("Parent")
    INTERN = "intern", _("Intern")
    OTHER = "other", _("Other")


class FeedbackRound(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_rounds")
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message to the people you invite"), blank=True)
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    state = models.CharField(_("status"), max_length=16, choices=RoundState.choices, default=RoundState.DRAFT)
    closes_on = models.DateField(_("answers until"))
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[FeedbackRound]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["board", "owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False), name="feedbackround_closed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    COMPETENCE = "competence", _("Competence")
    OPEN = "open", _("Open question")


class FeedbackQuestion(models.Model):
    """A competence to rate on the framework's scale, or an open question."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    competence = models.ForeignKey(
        "frameworks.Competence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("question"), max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[FeedbackQuestion]] = ScopedManager(board="board")

    class Meta:
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="competence", competence__isnull=False) | Q(kind="open", competence__isnull=True),
                name="feedbackquestion_kind_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.text or str(self.competence_id)


class FeedbackInvitation(models.Model):
    """One invitee's personal link: the hash of its token, its expiry, and what happened to the e-mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    # Set when the address belongs to someone at the board (a colleague, the leidinggevende).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices, default=Relation.COLLEAGUE)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivery_failed_at = models.DateTimeField(null=True, blank=True)
    delivery_problem = models.CharField(max_length=300, blank=True)

    objects: ClassVar[models.Manager[FeedbackInvitation]] = ScopedManager(board="board")

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="feedbackinvitation_unique_email"),
            models.CheckConstraint(condition=~Q(relation="self"), name="feedbackinvitation_not_self"),
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackResponse(models.Model):
    """One person's answers: the owner's own (relation self, no invitation) or an invitee's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        FeedbackInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    relation = models.CharField(_("I answer as"), max_length=16, choices=Relation.choices)
    # A leidinggevende may agree to be shown by name (their answer then stands alone in the report).
    named = models.BooleanField(_("show my answer with my name"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[FeedbackResponse]] = ScopedManager(board="board")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(relation="self"), name="feedbackresponse_one_self_per_round"
            ),
            models.CheckConstraint(
                condition=Q(relation="self", invitation__isnull=True)
                | (~Q(relation="self") & Q(invitation__isnull=False)),
                name="feedbackresponse_self_has_no_invitation",
            ),
            models.CheckConstraint(
                condition=Q(named=False) | Q(relation="manager"), name="feedbackresponse_named_manager"
            ),
        ]
        indexes = [models.Index(fields=["round", "relation", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.relation}"


class FeedbackAnswer(models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.CASCADE, related_name="answers")
    # The scale value of the round's framework version (frameworks.ScaleLevel.value); empty: "cannot judge".
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    objects: ClassVar[models.Manager[FeedbackAnswer]] = ScopedManager(board="board")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="feedbackanswer_unique")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class ShareAudience(models.TextChoices):
    MANAGER = "manager", _("My manager")
    PERSON = "person", _("A colleague")


class FeedbackShare(models.Model):
    """The owner shares a closed round's report with their leidinggevende or a named colleague."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="shares")
    audience = models.CharField(_("with"), max_length=16, choices=ShareAudience.choices)
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[FeedbackShare]] = ScopedManager(board="board")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="manager", grantee__isnull=True) | Q(audience="person", grantee__isnull=False),
                name="feedbackshare_grantee_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.audience}"


class FeedbackEvent(models.Model):
    """The history (and audit row) of each state change of a round."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[FeedbackEvent]] = ScopedManager(board="board")

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"
