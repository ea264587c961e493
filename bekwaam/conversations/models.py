"""The gesprekscyclus: which conversations a board holds, the forms they use, the conversations, reports,
signatures and addenda, and the beoordeling (appraisal).

Employer records (ARCHITECTURE.md principle 1): a conversation and its report belong to both the
medewerker and the leidinggevende, and are always visible to the person they are about. A signed
report or a final appraisal never changes (the services refuse, the tests prove it): a correction is an
Addendum, signed again. Each workflow is one declared StateMachine below; services are the only
writers of `state`, and each move writes a ConversationEvent (the history and audit row).

Forms are versioned like frameworks: a conversation pins the form versions it was planned with, and a
published form version never changes, so a signed report keeps the prompts it was written against.
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

# --- kinds and forms ------------------------------------------------------------------------------


class ConversationKind(models.TextChoices):
    DEVELOPMENT = "development", _("Development conversation")
    PERFORMANCE = "performance", _("Performance conversation")
    APPRAISAL = "appraisal", _("Appraisal conversation")


class FormPurpose(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    REPORT = "report", _("Report")


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AnswerType(models.TextChoices):
    TEXT = "text", _("Free text")
    RATING = "rating", _("Rating against the framework")


class ConversationForm(BoardTagged, models.Model):
    """A board's form for one purpose (preparation or report) of one kind of conversation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("conversation"), max_length=16, choices=ConversationKind.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=FormPurpose.choices)
    # The shipped default it was copied from (defaults/forms.json), empty for a board's own form.
    shipped_as = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ConversationForm]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("conversation form")
        verbose_name_plural = _("conversation forms")
        ordering = ("kind", "purpose", "name")
        constraints = [models.UniqueConstraint(fields=["board", "slug"], name="conversationform_unique_slug")]

    def __str__(self) -> str:
        return self.name


class FormVersion(BoardTagged, models.Model):
    """One version of a form; a published version is fixed (conversations point at it with PROTECT)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(ConversationForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=FormStatus.choices, default=FormStatus.DRAFT)
    # The framework version whose competences and scale the rating prompts use.
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intro = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects: ClassVar[models.Manager[FormVersion]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ("form", "-number")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="formversion_unique_number"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="formversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == FormStatus.PUBLISHED


class FormSection(BoardTagged, models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[FormSection]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title


class FormPrompt(BoardTagged, models.Model):
    """One question of a form: free text, or a rating of one competence on its framework's scale."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="prompts")
    text = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help"), blank=True)
    answer_type = models.CharField(_("answer"), max_length=16, choices=AnswerType.choices, default=AnswerType.TEXT)
    competence = models.ForeignKey(
        "frameworks.Competence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[FormPrompt]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("form question")
        verbose_name_plural = _("form questions")
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_type="text") | Q(competence__isnull=False),
                name="formprompt_rating_has_competence",
            ),
        ]

    def __str__(self) -> str:
        return self.text


# --- the cycle ------------------------------------------------------------------------------------


class ConversationCycle(BoardTagged, models.Model):
    """The conversations a board holds (school empty) or one school holds instead of the board's cycle."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ConversationCycle]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("conversation cycle")
        verbose_name_plural = _("conversation cycles")
        constraints = [
            models.UniqueConstraint(fields=["board", "school"], name="cycle_unique_school"),
            models.UniqueConstraint(fields=["board"], condition=Q(school__isnull=True), name="cycle_unique_board"),
        ]

    def __str__(self) -> str:
        return f"{self.board_id}/{self.school_id or '*'}"


class CycleStep(BoardTagged, models.Model):
    """One kind of conversation in a cycle: how often (every n school years), whether also in the first
    year of a new employment, by when in the school year, and with which forms."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(ConversationCycle, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("conversation"), max_length=16, choices=ConversationKind.choices)
    interval_years = models.PositiveSmallIntegerField(
        _("every how many school years"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    in_first_year = models.BooleanField(_("also in the first year of a new employment"), default=False)
    due_month = models.PositiveSmallIntegerField(
        _("held by the end of"), default=6, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    preparation_form = models.ForeignKey(
        ConversationForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_form = models.ForeignKey(ConversationForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[CycleStep]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("conversation in the cycle")
        verbose_name_plural = _("conversations in the cycle")
        ordering = ("position", "id")
        constraints = [models.UniqueConstraint(fields=["cycle", "kind"], name="cyclestep_unique_kind")]

    def __str__(self) -> str:
        return f"{self.kind} / {self.interval_years}"


# --- conversations --------------------------------------------------------------------------------


class ConversationState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPORTING = "reporting", _("Report being written")
    WITH_EMPLOYEE = "with_employee", _("Waiting for the employee's signature")
    WITH_MANAGER = "with_manager", _("Waiting for the manager's signature")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


CONVERSATION_MACHINE = StateMachine(
    states=ConversationState,
    transitions={
        "reschedule": {ConversationState.PLANNED: ConversationState.PLANNED},
        "cancel": {ConversationState.PLANNED: ConversationState.CANCELLED},
        "report_start": {ConversationState.PLANNED: ConversationState.REPORTING},
        "report_submit": {ConversationState.REPORTING: ConversationState.WITH_EMPLOYEE},
        "report_reopen": {ConversationState.WITH_EMPLOYEE: ConversationState.REPORTING},
        "employee_sign": {ConversationState.WITH_EMPLOYEE: ConversationState.WITH_MANAGER},
        "manager_sign": {ConversationState.WITH_MANAGER: ConversationState.SIGNED},
    },
    action_labels={
        "reschedule": _("Move the conversation"),
        "cancel": _("Cancel the conversation"),
        "report_start": _("Write the report"),
        "report_submit": _("Put the report forward"),
        "report_reopen": _("Take the report back"),
        "employee_sign": _("Sign as employee"),
        "manager_sign": _("Sign as manager"),
    },
)


class Conversation(models.Model):
    """One conversation between a medewerker and their leidinggevende in one school year."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("tenancy.School", on_delete=models.PROTECT, related_name="+")
    employment = models.ForeignKey("tenancy.Employment", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations_led")
    kind = models.CharField(_("conversation"), max_length=16, choices=ConversationKind.choices)
    school_year = models.PositiveSmallIntegerField(_("school year"))
    state = models.CharField(
        _("status"), max_length=16, choices=ConversationState.choices, default=ConversationState.PLANNED
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    preparation_form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The medewerker's own reaction to the report, written before they sign.
    employee_reaction = models.TextField(_("your reaction"), blank=True)
    # Grows with every change of date or place: calendar programs replace the event of the same UID.
    calendar_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Conversation]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ("-scheduled_at",)
        indexes = [
            models.Index(fields=["board", "employee", "kind", "school_year"]),
            models.Index(fields=["board", "manager", "state"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(employee=models.F("manager")), name="conversation_not_with_self"),
            models.CheckConstraint(
                condition=~Q(state="signed") | Q(signed_at__isnull=False), name="conversation_signed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_at:%Y-%m-%d}"

    @property
    def is_signed(self) -> bool:
        return self.state == ConversationState.SIGNED


class DocumentRole(models.TextChoices):
    EMPLOYEE_PREPARATION = "employee_preparation", _("Preparation of the employee")
    MANAGER_PREPARATION = "manager_preparation", _("Preparation of the manager")
    REPORT = "report", _("Report")


class ConversationDocument(models.Model):
    """A filled-in form: a preparation (private to its author until shared) or the report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="documents")
    role = models.CharField(max_length=24, choices=DocumentRole.choices)
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[ConversationDocument]] = ScopedManager(board="board")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "role"], name="document_unique_role")]

    def __str__(self) -> str:
        return f"{self.conversation_id}/{self.role}"


class Answer(models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(ConversationDocument, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(FormPrompt, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    level = models.ForeignKey(
        "frameworks.ScaleLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Answer]] = ScopedManager(board="board")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "prompt"], name="answer_unique_prompt")]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.prompt_id}"


class Agreement(models.Model):
    """An agreement (afspraak) in the report; the medewerker can turn it into a POP goal with one click."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="agreements")
    text = models.CharField(_("agreement"), max_length=500)
    position = models.PositiveIntegerField(default=0)
    goal = models.ForeignKey("dossier.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects: ClassVar[models.Manager[Agreement]] = ScopedManager(board="board")

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.text


class AddendumState(models.TextChoices):
    WITH_EMPLOYEE = "with_employee", _("Waiting for the employee's signature")
    WITH_MANAGER = "with_manager", _("Waiting for the manager's signature")
    SIGNED = "signed", _("Signed")


ADDENDUM_MACHINE = StateMachine(
    states=AddendumState,
    transitions={
        "employee_sign": {AddendumState.WITH_EMPLOYEE: AddendumState.WITH_MANAGER},
        "manager_sign": {AddendumState.WITH_MANAGER: AddendumState.SIGNED},
    },
    action_labels={"employee_sign": _("Sign as employee"), "manager_sign": _("Sign as manager")},
)


class Addendum(models.Model):
    """A correction to a signed report, written by the leidinggevende and signed again by both."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="addenda")
    body = models.TextField(_("correction"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=AddendumState.choices, default=AddendumState.WITH_EMPLOYEE)
    employee_reaction = models.TextField(_("your reaction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Addendum]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"{self.conversation_id}/{self.created_at:%Y-%m-%d}"


# --- the beoordeling ------------------------------------------------------------------------------


class AppraisalCriterion(BoardTagged, models.Model):
    """A criterion the board judges on; archived rather than deleted once used (ratings PROTECT it)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[AppraisalCriterion]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("appraisal criterion")
        verbose_name_plural = _("appraisal criteria")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


class AppraisalLevel(BoardTagged, models.Model):
    """One level of the board's appraisal scale (default: onvoldoende … uitstekend)."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[AppraisalLevel]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("appraisal level")
        verbose_name_plural = _("appraisal levels")
        ordering = ("value",)
        constraints = [models.UniqueConstraint(fields=["board", "value"], name="appraisallevel_unique_value")]

    def __str__(self) -> str:
        return self.label


class AppraisalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUT_FORWARD = "put_forward", _("Put forward to the employee")
    WITH_MANAGER = "with_manager", _("Waiting for the manager's signature")
    FINAL = "final", _("Final")
    OBJECTED = "objected", _("Final, objection made")


APPRAISAL_MACHINE = StateMachine(
    states=AppraisalState,
    transitions={
        "put_forward": {AppraisalState.DRAFT: AppraisalState.PUT_FORWARD},
        "withdraw": {AppraisalState.PUT_FORWARD: AppraisalState.DRAFT},
        "employee_sign": {AppraisalState.PUT_FORWARD: AppraisalState.WITH_MANAGER},
        "manager_sign": {AppraisalState.WITH_MANAGER: AppraisalState.FINAL},
        "objection_record": {AppraisalState.FINAL: AppraisalState.OBJECTED},
    },
    action_labels={
        "put_forward": _("Put the appraisal forward"),
        "withdraw": _("Take the appraisal back"),
        "employee_sign": _("Sign as employee"),
        "manager_sign": _("Sign as manager"),
        "objection_record": _("Record an objection"),
    },
)


class Appraisal(models.Model):
    """The leidinggevende's formal judgement in a beoordelingsgesprek; fixed once final."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="appraisal")
    state = models.CharField(_("status"), max_length=16, choices=AppraisalState.choices, default=AppraisalState.DRAFT)
    overall_level = models.ForeignKey(
        AppraisalLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("overall")
    )
    overall_text = models.TextField(_("overall judgement"), blank=True)
    # Copied when put forward, like the ratings' labels: renaming a level later does not change this appraisal.
    overall_level_label = models.CharField(max_length=100, blank=True)
    employee_reaction = models.TextField(_("your reaction"), blank=True)
    # Evidence from the person's dossier that the leidinggevende may see (shared with them) and refers to.
    evidence = models.ManyToManyField("dossier.Evidence", blank=True, related_name="+")
    put_forward_at = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(_("final on"), null=True, blank=True)
    objection_recorded_at = models.DateTimeField(null=True, blank=True)
    # The day the board received the objection (the medewerker lodges it with the board, not in Bekwaam).
    objection_received_on = models.DateField(_("objection received on"), null=True, blank=True)
    objection_note = models.TextField(_("objection"), blank=True)
    objection_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Appraisal]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["final", "objected"]) | Q(final_at__isnull=False),
                name="appraisal_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}"

    @property
    def is_final(self) -> bool:
        return self.state in (AppraisalState.FINAL, AppraisalState.OBJECTED)


class AppraisalRating(models.Model):
    """The judgement on one criterion, with its argument; the names are copied when it is put forward."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(AppraisalCriterion, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(AppraisalLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    argument = models.TextField(_("argument"), blank=True)
    criterion_name = models.CharField(max_length=200, blank=True)
    level_label = models.CharField(max_length=100, blank=True)

    objects: ClassVar[models.Manager[AppraisalRating]] = ScopedManager(board="board")

    class Meta:
        ordering = ("criterion__position", "id")
        constraints = [models.UniqueConstraint(fields=["appraisal", "criterion"], name="appraisalrating_unique")]

    def __str__(self) -> str:
        return f"{self.appraisal_id}/{self.criterion_id}"


# --- signatures and history -----------------------------------------------------------------------


class SignedPart(models.TextChoices):
    REPORT = "report", _("Report")
    ADDENDUM = "addendum", _("Addendum")
    APPRAISAL = "appraisal", _("Appraisal")


class SignerRole(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")


class Verdict(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    SEEN = "seen", _("Seen, not agreed")
    SIGNED = "signed", _("Signed")  # the leidinggevende's signature


class Signature(models.Model):
    """A signature with the name and time it was given; unique per signed part and role (two tabs: one wins)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="signatures")
    part = models.CharField(max_length=16, choices=SignedPart.choices)
    addendum = models.ForeignKey(Addendum, on_delete=models.CASCADE, null=True, blank=True, related_name="signatures")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, null=True, blank=True, related_name="signatures")
    role = models.CharField(max_length=16, choices=SignerRole.choices)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signer_name = models.CharField(max_length=300)
    signed_at = models.DateTimeField()

    objects: ClassVar[models.Manager[Signature]] = ScopedManager(board="board")

    class Meta:
        ordering = ("signed_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "role"], condition=Q(part="report"), name="signature_unique_report"
            ),
            models.UniqueConstraint(
                fields=["addendum", "role"], condition=Q(part="addendum"), name="signature_unique_addendum"
            ),
            models.UniqueConstraint(
                fields=["appraisal", "role"], condition=Q(part="appraisal"), name="signature_unique_appraisal"
            ),
            models.CheckConstraint(
                condition=Q(part="report", addendum__isnull=True, appraisal__isnull=True)
                | Q(part="addendum", addendum__isnull=False, appraisal__isnull=True)
                | Q(part="appraisal", addendum__isnull=True, appraisal__isnull=False),
                name="signature_part_matches",
            ),
            models.CheckConstraint(
                condition=Q(role="employee", verdict__in=["agreed", "seen"]) | Q(role="manager", verdict="signed"),
                name="signature_verdict_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.signed_at:%Y-%m-%d %H:%M}"


class EventSubject(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    ADDENDUM = "addendum", _("Addendum")
    APPRAISAL = "appraisal", _("Appraisal")


class ConversationEvent(models.Model):
    """The history (and audit row) of every state change of a conversation, addendum or appraisal."""

    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    subject = models.CharField(max_length=16, choices=EventSubject.choices, default=EventSubject.CONVERSATION)
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[ConversationEvent]] = ScopedManager(board="board")

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"
