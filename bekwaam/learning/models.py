"""E-learning: modules (courses) in versions, lessons, a quiz, and a person's enrolment and completion.

A `Course` belongs to a board (its functioneel beheerder writes it) or to an aanbieder (its assessors
write it) that offers it to the boards it chooses (`Course.boards`). Its content lives in versions
(`CourseVersion`): the author edits a draft, publishes it, and starts a new draft from the published one
to change anything. A published version's lessons, quiz and competences never change; a person who
started a version finishes that version (`Enrolment.version`), whatever is published later.

Competences are named by framework slug and competence code (`CourseCompetence`), the identity that is
stable across boards and framework versions (frameworks.models.Competence.code), so one aanbieder module
fits every board's bekwaamheidseisen. When a completion enters the portfolio the codes are resolved to the
person's board's competences.

Course content is not personal data and has no tenancy manager: learning.selectors filter it explicitly
(a board sees its own courses and those offered to it; an aanbieder its own). What a person does
(`Enrolment`, `LessonProgress`, `QuizAttempt`, `Completion`, `Suggestion`) is scoped to the board.

A `Completion` is immutable: written once when the quiz is passed, never updated (save() refuses) and
kept when the course is archived.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def material_upload_to(instance: LessonMaterial, filename: str) -> str:
    """A random name: nothing to guess, nothing to execute (the original name is kept on the row)."""
    return f"learning/{instance.lesson.version.course_id}/{uuid.uuid4().hex}"


class CourseLevel(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction")
    DEEPENING = "deepening", _("Deepening")
    ADVANCED = "advanced", _("Advanced")


class Course(models.Model):
    """One module of a board or an aanbieder; its content is in its versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, null=True, blank=True, related_name="courses")
    provider = models.ForeignKey(
        "tenancy.Provider", on_delete=models.CASCADE, null=True, blank=True, related_name="courses"
    )
    # The boards an aanbieder offers this module to (empty for a board's own module).
    boards = models.ManyToManyField(
        "tenancy.Board", blank=True, related_name="offered_courses", verbose_name=_("offered to")
    )
    # The shipped example this course was loaded from ("feedback-geven"), empty for a written one.
    shipped_as = models.CharField(max_length=64, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Course]] = models.Manager()

    class Meta:
        verbose_name = _("e-learning module")
        verbose_name_plural = _("e-learning modules")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=False, provider__isnull=True) | Q(board__isnull=True, provider__isnull=False),
                name="course_one_owner",
            ),
            models.UniqueConstraint(
                fields=["board", "shipped_as"], condition=~Q(shipped_as=""), name="course_unique_shipped_per_board"
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Replaced")


class CourseVersion(models.Model):
    """The content of a course at one moment: a draft, the published version, or a replaced one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(6000)]
    )
    level = models.CharField(_("level"), max_length=16, choices=CourseLevel.choices, default=CourseLevel.INTRODUCTION)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (percentage of questions right)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[CourseVersion]] = models.Manager()

    class Meta:
        verbose_name = _("module version")
        verbose_name_plural = _("module versions")
        ordering = ("course", "-number")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="courseversion_unique_number"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="published"), name="courseversion_one_published"
            ),
            models.UniqueConstraint(fields=["course"], condition=Q(status="draft"), name="courseversion_one_draft"),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="courseversion_pass_mark_percent"
            ),
        ]
        indexes = [models.Index(fields=["status", "course"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class CourseCompetence(models.Model):
    """A competence a version is linked to, by its stable codes (see the module docstring)."""

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="competences")
    framework_slug = models.SlugField(_("framework"), max_length=64)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=300)  # as named when linked, for display

    objects: ClassVar[models.Manager[CourseCompetence]] = models.Manager()

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ("framework_slug", "code")
        constraints = [
            models.UniqueConstraint(fields=["version", "framework_slug", "code"], name="coursecompetence_unique")
        ]
        indexes = [models.Index(fields=["framework_slug", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Lesson(models.Model):
    """One lesson of a version: Markdown text (rendered safe), an optional video and downloads."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    video_url = models.URLField(_("video (link)"), max_length=500, blank=True)  # http(s) only: learning.forms

    objects: ClassVar[models.Manager[Lesson]] = models.Manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ("version", "position", "title")

    def __str__(self) -> str:
        return self.title


class LessonMaterial(models.Model):
    """A downloadable file (or an image the lesson text shows) of one lesson."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)  # as detected from the content
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[LessonMaterial]] = models.Manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ("lesson", "created_at")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    OPEN = "open", _("Short open answer")


class Question(models.Model):
    """A quiz question of a version. An open answer is right when it matches one of `accepted_answers`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.MULTIPLE_CHOICE
    )
    text = models.TextField(_("question"))
    # Open questions: one accepted answer per line, compared without case, accents' case or extra spaces.
    accepted_answers = models.TextField(_("accepted answers (one per line)"), blank=True)
    explanation = models.TextField(_("explanation after answering"), blank=True)

    objects: ClassVar[models.Manager[Question]] = models.Manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("version", "position")

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    objects: ClassVar[models.Manager[Choice]] = models.Manager()

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ("question", "position")

    def __str__(self) -> str:
        return self.text


# --- what a person does ------------------------------------------------------------------------------


class Enrolment(models.Model):
    """A person working through one version of a course; progress is kept between sessions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="enrolments")
    started_at = models.DateTimeField(auto_now_add=True)
    last_lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Enrolment]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ("-started_at",)
        constraints = [
            # One running enrolment per person and course; after completing, a later version may be taken.
            models.UniqueConstraint(
                fields=["person", "course"], condition=Q(completed_at__isnull=True), name="enrolment_one_running"
            ),
            models.UniqueConstraint(fields=["person", "version"], name="enrolment_once_per_version"),
        ]
        indexes = [models.Index(fields=["board", "course"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.version_id}"


class LessonProgress(models.Model):
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[LessonProgress]] = ScopedManager(board="board")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="lessonprogress_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.lesson_id}"


class QuizAttempt(models.Model):
    """One submitted quiz, checked on the server: what was answered, what was right, passed or not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    # {question id: {"answer": choice id or text, "correct": bool}}
    answers = models.JSONField(default=dict)
    correct = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[QuizAttempt]] = ScopedManager(board="board")

    class Meta:
        ordering = ("enrolment", "number")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="quizattempt_unique_number"),
            # Passed once: a second passing submission at the same moment is refused by the database too.
            models.UniqueConstraint(fields=["enrolment"], condition=Q(passed=True), name="quizattempt_one_pass"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} #{self.number}"

    @property
    def score_percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


class ImmutableRowError(Exception):
    pass


class Completion(models.Model):
    """The record that a person passed a module version: written once, never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="completion")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="completions")
    # What the module was when passed, kept with the record (the course may be archived later).
    title = models.CharField(max_length=200)
    version_number = models.PositiveIntegerField()
    offered_by = models.CharField(max_length=200)  # board or aanbieder name
    score_percent = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField()
    evidence = models.OneToOneField(
        "dossier.Evidence", on_delete=models.SET_NULL, null=True, blank=True, related_name="completion"
    )

    objects: ClassVar[models.Manager[Completion]] = ScopedManager(board="board")

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        ordering = ("-completed_at",)
        indexes = [models.Index(fields=["board", "course"]), models.Index(fields=["person", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.version_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The evidence link is the one field set after writing (the portfolio item is made in the same
        # transaction, just after); nothing else ever changes.
        if not self._state.adding and kwargs.get("update_fields") != ["evidence"]:
            raise ImmutableRowError("A completion record is never changed.")
        super().save(*args, **kwargs)


class Suggestion(models.Model):
    """A leidinggevende suggests a module to a person of their team; the person decides (never forced)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("tenancy.Board", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_suggestions")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="suggestions")
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Suggestion]] = ScopedManager(board="board")

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"], condition=Q(dismissed_at__isnull=True), name="suggestion_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id} → {self.person_id}"
