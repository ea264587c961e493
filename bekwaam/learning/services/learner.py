"""Every write of the learner: starting a module, marking a lesson done, submitting the quiz (and on
passing the completion record and its portfolio item), dismissing a suggestion.

Each is one transaction and checks the policy again. The quiz is checked here, on the server, against the
version's own questions: what a browser posts is an answer, never a verdict. A pass is written with the
enrolment row locked, so two submissions at the same moment give one completion and one portfolio item.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.dossier.models import EvidenceKind
from bekwaam.dossier.services.portfolio import evidence_create
from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.frameworks.models import VersionStatus as FrameworkVersionStatus
from bekwaam.learning.models import (
    Completion,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonProgress,
    Question,
    QuestionKind,
    QuizAttempt,
    Suggestion,
)
from bekwaam.learning.selectors import published_versions_for
from bekwaam.learning.selectors.learner import offered_by_name, progress_of, questions_of
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

LEARN = "learning.learn"
EVIDENCE_TITLE_MAX = 200  # dossier.Evidence.title


def question_field(question: Question) -> str:
    """The name a question's answer is posted under (the quiz form uses the same)."""
    return f"question_{question.pk}"


def answer_normalise(text: str) -> str:
    """An open answer as compared: Unicode-normalised, without case, trimmed, inner whitespace single."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def accepted_answers_of(question: Question) -> set[str]:
    return {answer_normalise(line) for line in question.accepted_answers.splitlines() if line.strip()}


def already_completed_message() -> str:
    return _("You have already completed this module. Your answers were not saved a second time.")


def _own(actor: Actor, enrolment: Enrolment) -> None:
    """The enrolment is the actor's own, in their active board (views reach it through enrolment_get_for)."""
    authorize(actor, LEARN)
    if enrolment.person_id != actor.person.pk or enrolment.board_id != actor.board_pk:
        raise PermissionDenied


# --- starting and working through a module --------------------------------------------------------


def _existing_enrolment(actor: Actor, version: CourseVersion) -> Enrolment | None:
    """The person's running enrolment of this course (whatever its version), else their enrolment of
    this very version (completed)."""
    # Across boards: the database allows one running enrolment per person and course, wherever started.
    with scopes_disabled():
        enrolments = Enrolment.objects.filter(person=actor.person, course_id=version.course_id)
        running = enrolments.filter(completed_at__isnull=True).first()
        return running or enrolments.filter(version=version).first()


def enrolment_start(*, actor: Actor, version: CourseVersion) -> tuple[Enrolment, bool]:
    """Start the published version of a module the actor's board may take. Starting again returns the
    running enrolment (of the version started, even when a newer one has been published since) or the
    completed one of this version. Returns the enrolment and whether it is new."""
    authorize(actor, LEARN)
    board_id = actor.board_pk
    if not published_versions_for(actor=actor).filter(pk=version.pk).exists():
        raise ValidationError(_("This module is not offered to you (any more)."))
    existing = _existing_enrolment(actor, version)
    if existing is not None:
        if existing.board_id != board_id:
            # Started while working at another board: it is continued there, not here.
            raise ValidationError(_("You started this module at another organisation; continue it there."))
        return existing, False
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                board_id=board_id, person=actor.person, course_id=version.course_id, version=version
            )
    except IntegrityError:
        # The same person pressed "start" twice at once: the other request made it.
        existing = _existing_enrolment(actor, version)
        if existing is None or existing.board_id != board_id:
            raise
        return existing, False
    return enrolment, True


def lesson_mark_done(*, actor: Actor, enrolment: Enrolment, lesson: Lesson) -> None:
    """Record that the person finished a lesson of their enrolment's version (once) and that it was the
    last one they worked on; kept in the database, so progress survives the session."""
    _own(actor, enrolment)
    if lesson.version_id != enrolment.version_id:
        raise ValidationError(_("This lesson is not part of the version you are working on."))
    with transaction.atomic():
        LessonProgress.objects.get_or_create(board_id=enrolment.board_id, enrolment=enrolment, lesson=lesson)
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    enrolment.last_lesson = lesson


def suggestion_dismiss(*, actor: Actor, suggestion: Suggestion) -> None:
    """The person sets a suggestion aside (a suggestion is never an obligation)."""
    authorize(actor, LEARN)
    Suggestion.objects.filter(
        pk=suggestion.pk, person=actor.person, board_id=actor.board_pk, dismissed_at__isnull=True
    ).update(dismissed_at=timezone.now())


# --- the quiz ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedAnswers:
    answers: dict[str, dict[str, Any]]  # {question id: {"answer": choice id or text, "correct": bool}}
    correct: int
    total: int


def answers_check(questions: Iterable[Question], posted: Mapping[str, str]) -> CheckedAnswers:
    """Judge the posted answers (keyed by question_field) against the questions themselves. A missing
    answer, or an option that is not one of the question's, is a ValidationError on that question."""
    checked: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    correct = 0
    total = 0
    for question in questions:
        total += 1
        name = question_field(question)
        given = str(posted.get(name) or "").strip()
        if not given:
            errors[name] = _("Answer this question.")
            continue
        if question.kind == QuestionKind.OPEN:
            right = answer_normalise(given) in accepted_answers_of(question)
        else:
            options = {str(choice.pk): choice for choice in question.choices.all()}
            if given not in options:
                errors[name] = _("Choose one of the answers.")
                continue
            right = options[given].is_correct
        checked[str(question.pk)] = {"answer": given, "correct": right}
        correct += int(right)
    if errors:
        raise ValidationError(errors)
    return CheckedAnswers(answers=checked, correct=correct, total=total)


def competences_resolve(*, board_id: int, pairs: Iterable[tuple[str, str]]) -> list[Competence]:
    """The board's competences for (framework slug, code) pairs: each in the newest published version of
    the board's framework with that slug. Codes the board does not have are left out."""
    wanted = set(pairs)
    slugs = {slug for slug, _code in wanted}
    if not slugs:
        return []
    newest: dict[str, Any] = {}
    versions = FrameworkVersion.objects.filter(
        board_id=board_id, framework__slug__in=slugs, status=FrameworkVersionStatus.PUBLISHED
    ).order_by("framework__slug", "-number")
    for version_id, slug in versions.values_list("pk", "framework__slug"):
        newest.setdefault(slug, version_id)
    if not newest:
        return []
    slug_of = {version_id: slug for slug, version_id in newest.items()}
    found = Competence.objects.filter(
        board_id=board_id, version_id__in=newest.values(), code__in={code for _slug, code in wanted}
    ).order_by("domain__position", "position", "code")
    return [competence for competence in found if (slug_of[competence.version_id], competence.code) in wanted]


def _complete(*, actor: Actor, enrolment: Enrolment, attempt: QuizAttempt) -> Completion:
    """The completion record, the enrolment's end and the portfolio item, inside the caller's transaction."""
    version = enrolment.version
    offered_by = offered_by_name(enrolment.course)
    now = timezone.now()
    completion = Completion.objects.create(
        board_id=enrolment.board_id,
        person=actor.person,
        enrolment=enrolment,
        course=enrolment.course,
        version=version,
        title=version.title,
        version_number=version.number,
        offered_by=offered_by,
        score_percent=attempt.score_percent,
        completed_at=now,
    )
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    competences = competences_resolve(
        board_id=enrolment.board_id, pairs=version.competences.values_list("framework_slug", "code")
    )
    description = _(
        "Completed the e-learning module “%(title)s” (version %(version)s) of %(offered_by)s with a score of "
        "%(score)s%% (pass mark %(pass_mark)s%%)."
    ) % {
        "title": version.title,
        "version": version.number,
        "offered_by": offered_by,
        "score": attempt.score_percent,
        "pass_mark": version.pass_mark,
    }
    evidence = evidence_create(
        actor=actor,
        kind=EvidenceKind.CERTIFICATE,
        title=(_("E-learning: %(title)s") % {"title": version.title})[:EVIDENCE_TITLE_MAX],
        description=description,
        issuer=offered_by,
        issued_on=timezone.localdate(now),
        competences=competences,
    )
    completion.evidence = evidence
    completion.save(update_fields=["evidence"])
    return completion


def quiz_submit(*, actor: Actor, enrolment: Enrolment, answers: Mapping[str, str]) -> QuizAttempt:
    """Check a submitted quiz of the enrolment's own version and record the attempt (number = last + 1).
    A pass also writes the completion, ends the enrolment and adds the portfolio item, in the same
    transaction with the enrolment locked; a submission after the pass is refused (ValidationError)."""
    _own(actor, enrolment)
    version = CourseVersion.objects.get(pk=enrolment.version_id)  # a published version never changes
    questions = questions_of(version)
    if not questions:
        raise ValidationError(_("This module has no quiz questions yet. Ask whoever offers it."), code="no_questions")
    checked = answers_check(questions, answers)
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("version", "course__board", "course__provider")
            .get(pk=enrolment.pk)
        )
        if locked.completed_at is not None:
            raise ValidationError(already_completed_message(), code="completed")
        if not progress_of(locked).all_done:
            raise ValidationError(_("Finish every lesson before you take the quiz."), code="lessons")
        last = QuizAttempt.objects.filter(enrolment=locked).aggregate(last=Max("number"))["last"] or 0
        attempt = QuizAttempt(
            board_id=locked.board_id,
            enrolment=locked,
            number=last + 1,
            answers=checked.answers,
            correct=checked.correct,
            total=checked.total,
        )
        # Passed on the score as shown (rounded to whole percents), so the page never says "70%, pass mark
        # 70%, not passed".
        attempt.passed = attempt.score_percent >= version.pass_mark
        attempt.save()
        if attempt.passed:
            _complete(actor=actor, enrolment=locked, attempt=attempt)
    enrolment.completed_at = locked.completed_at
    return attempt
