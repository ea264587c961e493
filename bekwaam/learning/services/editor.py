"""Writing e-learning modules: create, edit the draft (details, competences, lessons, materials, quiz), publish,
start a new version, delete a draft, archive, and (an aanbieder) choose the boards a module is offered to.

Every write locks the course row first, so two authors working at once never publish twice, make two drafts or
give two lessons one position; the rule "learning.author_course" is checked again on the locked row. Only a
draft is ever changed: a lesson, material or question of a published (or replaced) version is refused, whatever
the request says. Publishing replaces the published version (it becomes RETIRED); enrolments keep the version
they started and are never moved. A new version copies everything of the published one, the material files
included (copied to new stored files: a stored name is never shared, so deleting a draft never takes a file
from a version someone is reading).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bekwaam.dossier.uploads import evidence_file_check
from bekwaam.learning import markdown
from bekwaam.learning.models import (
    Choice,
    Course,
    CourseCompetence,
    CourseLevel,
    CourseVersion,
    Lesson,
    LessonMaterial,
    Question,
    QuestionKind,
    VersionStatus,
)
from bekwaam.lib.states import StateMachine
from bekwaam.lib.storage import file_remove
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board
from bekwaam.tenancy.policy import authorize

logger = logging.getLogger(__name__)

AUTHOR = "learning.author"
AUTHOR_COURSE = "learning.author_course"
UP, DOWN = "up", "down"

TITLE_MAX = 200
SUMMARY_MAX = 2000
DURATION_MAX = 6000
VIDEO_URL_MAX = 500
BODY_MAX = markdown.MAX_LENGTH
QUESTION_MAX = 2000
EXPLANATION_MAX = 5000
OPTION_MAX = 300
OPTIONS_MAX = 10
ANSWER_MAX = 200
ANSWERS_MAX = 20
VIDEO_SCHEMES = ("http", "https")

# A version's workflow (STYLE habit 2): a draft is published once; the published one is replaced by the next.
PUBLISH, RETIRE = "publish", "retire"
VERSION_MACHINE = StateMachine(
    states=VersionStatus,
    transitions={
        PUBLISH: {VersionStatus.DRAFT: VersionStatus.PUBLISHED},
        RETIRE: {VersionStatus.PUBLISHED: VersionStatus.RETIRED},
    },
    action_labels={PUBLISH: gettext_lazy("Publish"), RETIRE: gettext_lazy("Replace")},
)

# How a lesson text points at a material of the module (learning:material); the UUID is the material's id.
MATERIAL_PATH = re.compile(r"/learning/materials/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")


def read_only_message() -> str:
    return _("This version has been published and can no longer be changed. Make a new version to change it.")


@dataclass(frozen=True)
class VersionData:
    """A version's own fields as typed on its form."""

    title: str
    summary: str = ""
    duration_minutes: int = 30
    level: str = CourseLevel.INTRODUCTION
    pass_mark: int = 70


@dataclass(frozen=True)
class LessonData:
    title: str
    body: str = ""
    video_url: str = ""


@dataclass(frozen=True)
class QuestionData:
    kind: str
    text: str
    explanation: str = ""
    accepted_answers: Sequence[str] = ()
    options: Sequence[tuple[str, bool]] = field(default_factory=tuple)  # (text, correct), in order


@dataclass(frozen=True)
class CompetencePick:
    framework_slug: str
    code: str
    name: str


# --- helpers --------------------------------------------------------------------------------------------


def material_path(material_id: Any) -> str:
    """The site path a lesson text uses to show (or link to) a material: `![photo](/learning/materials/…/)`."""
    return reverse("learning:material", kwargs={"material_id": material_id})


def _locked(actor: Actor, course: Course) -> Course:
    """The course row locked, and the rule checked on it (the actor's organisation may have changed)."""
    locked = Course.objects.select_for_update().filter(pk=course.pk).first()
    if locked is None:
        raise ValidationError(_("This module no longer exists."))
    authorize(actor, AUTHOR_COURSE, locked)
    return locked


def _draft(course: Course) -> CourseVersion:
    draft = CourseVersion.objects.filter(course=course, status=VersionStatus.DRAFT).first()
    if draft is None:
        raise ValidationError(read_only_message())
    return draft


def _published(course: Course) -> CourseVersion | None:
    return CourseVersion.objects.filter(course=course, status=VersionStatus.PUBLISHED).first()


def _spaces(text: str) -> str:
    return " ".join(text.split())


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(top=Max("position"))["top"] or 0) + 1


def _move(rows: list[Any], row_pk: Any, direction: str) -> None:
    """Swap a row's place with its neighbour's (renumbered 1…n, so equal positions never stay ambiguous)."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose up or down."))
    order = [row.pk for row in rows]
    if row_pk not in order:
        raise ValidationError(read_only_message())
    at = order.index(row_pk)
    to = at - 1 if direction == UP else at + 1
    if 0 <= to < len(rows):
        rows[at], rows[to] = rows[to], rows[at]
    model = type(rows[0])
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            model.objects.filter(pk=row.pk).update(position=position)


def _clean_version(data: VersionData) -> VersionData:
    errors: dict[str, str] = {}
    title = _spaces(data.title)
    if not title:
        errors["title"] = _("Give the module a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}
    if len(data.summary) > SUMMARY_MAX:
        errors["summary"] = _("Keep the summary under %(max)d characters.") % {"max": SUMMARY_MAX}
    if not 1 <= data.duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("Enter a duration from 1 to %(max)d minutes.") % {"max": DURATION_MAX}
    if data.level not in CourseLevel.values:
        errors["level"] = _("Choose a level.")
    if not 1 <= data.pass_mark <= 100:
        errors["pass_mark"] = _("Enter a pass mark from 1 to 100 (the percentage of questions answered right).")
    if errors:
        raise ValidationError(errors)
    return VersionData(title, data.summary.strip(), data.duration_minutes, data.level, data.pass_mark)


def video_url_clean(value: str) -> str:
    """The video link as stored: empty, or an http(s) address (never ftp:, javascript: or anything else)."""
    value = value.strip()
    if not value:
        return ""
    message = _(
        "Enter a web address that starts with http:// or https:// (for example a YouTube or Vimeo page). "
        "Other kinds of links cannot be shown as a video."
    )
    if len(value) > VIDEO_URL_MAX:
        raise ValidationError({"video_url": _("Keep the link under %(max)d characters.") % {"max": VIDEO_URL_MAX}})
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in VIDEO_SCHEMES:
        raise ValidationError({"video_url": message})
    try:
        URLValidator(schemes=list(VIDEO_SCHEMES))(value)
    except ValidationError:
        raise ValidationError({"video_url": message}) from None
    return value


def _clean_lesson(data: LessonData) -> LessonData:
    errors: dict[str, Any] = {}
    title = _spaces(data.title)
    if not title:
        errors["title"] = _("Give the lesson a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}
    if len(data.body) > BODY_MAX:
        errors["body"] = _("The text is too long: keep it under %(max)d characters.") % {"max": BODY_MAX}
    video_url = ""
    try:
        video_url = video_url_clean(data.video_url)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return LessonData(title, data.body.replace("\r\n", "\n").rstrip(), video_url)


def _clean_question(data: QuestionData) -> QuestionData:
    errors: dict[str, str] = {}
    if data.kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose the kind of question.")})
    text = data.text.strip()
    if not text:
        errors["text"] = _("Write the question.")
    elif len(text) > QUESTION_MAX:
        errors["text"] = _("Keep the question under %(max)d characters.") % {"max": QUESTION_MAX}
    if len(data.explanation) > EXPLANATION_MAX:
        errors["explanation"] = _("Keep the explanation under %(max)d characters.") % {"max": EXPLANATION_MAX}
    answers: list[str] = []
    options: list[tuple[str, bool]] = []
    if data.kind == QuestionKind.OPEN:
        seen: set[str] = set()
        for line in data.accepted_answers:
            answer = _spaces(line)
            if answer and answer.casefold() not in seen:
                seen.add(answer.casefold())
                answers.append(answer)
        if not answers:
            errors["accepted_answers"] = _("Give at least one accepted answer (one per line).")
        elif len(answers) > ANSWERS_MAX:
            errors["accepted_answers"] = _("Give at most %(max)d accepted answers.") % {"max": ANSWERS_MAX}
        elif any(len(answer) > ANSWER_MAX for answer in answers):
            errors["accepted_answers"] = _("Keep each accepted answer under %(max)d characters.") % {"max": ANSWER_MAX}
    else:
        options = [(_spaces(option), bool(correct)) for option, correct in data.options if _spaces(option)]
        if len(options) < 2:
            errors["options"] = _("Give at least two answer options.")
        elif len(options) > OPTIONS_MAX:
            errors["options"] = _("Give at most %(max)d answer options.") % {"max": OPTIONS_MAX}
        elif any(len(option) > OPTION_MAX for option, _correct in options):
            errors["options"] = _("Keep each answer option under %(max)d characters.") % {"max": OPTION_MAX}
        elif not any(correct for _option, correct in options):
            errors["options"] = _("Mark at least one answer option as correct.")
        elif len({option.casefold() for option, _correct in options}) != len(options):
            errors["options"] = _("Each answer option once, please: two options are the same.")
    if errors:
        raise ValidationError(errors)
    return QuestionData(data.kind, text, data.explanation.strip(), tuple(answers), tuple(options))


def material_file_check(upload: File[bytes]) -> str:
    """The content type of an acceptable material: the dossier's checks (type from the content, a name that
    must match it) with the material's own size limit. ValidationError on "file" when not acceptable."""
    try:
        return evidence_file_check(upload, max_bytes=settings.LEARNING_MATERIAL_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


def _remove_on_commit(names: Iterable[str]) -> None:
    """Delete stored files once the rows are really gone (a rolled-back delete keeps them)."""
    remaining = [name for name in names if name]
    if not remaining:
        return

    def remove() -> None:
        storage = LessonMaterial._meta.get_field("file").storage
        for name in remaining:
            file_remove(storage, name)

    transaction.on_commit(remove)


# --- publish checks -------------------------------------------------------------------------------------


def publish_problems(version: CourseVersion) -> list[str]:
    """What keeps a version from being published, one sentence per problem (empty: it may be published)."""
    problems: list[str] = []
    lessons = list(Lesson.objects.filter(version=version).order_by("position", "title"))
    questions = list(Question.objects.filter(version=version).prefetch_related("choices").order_by("position"))
    if not lessons:
        problems.append(_("Add at least one lesson."))
    if not questions:
        problems.append(_("Add at least one quiz question."))
    for number, question in enumerate(questions, start=1):
        label = {"number": number, "text": question.text[:60]}
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            choices = list(question.choices.all())
            if len(choices) < 2:
                problems.append(_("Question %(number)d (“%(text)s”) needs at least two answer options.") % label)
            if not any(choice.is_correct for choice in choices):
                problems.append(
                    _("Question %(number)d (“%(text)s”) has no correct answer: mark at least one option as correct.")
                    % label
                )
        elif not [line for line in question.accepted_answers.splitlines() if line.strip()]:
            problems.append(_("Question %(number)d (“%(text)s”) has no accepted answer: add at least one.") % label)
    own = {str(pk) for pk in LessonMaterial.objects.filter(lesson__version=version).values_list("pk", flat=True)}
    for lesson in lessons:
        foreign = sorted(set(MATERIAL_PATH.findall(lesson.body)) - own)
        if foreign:
            problems.append(
                _("Lesson “%(title)s” points at a file that is not one of this version's materials: %(path)s")
                % {"title": lesson.title, "path": material_path(foreign[0])}
            )
    return problems


# --- the module -----------------------------------------------------------------------------------------


def course_create(*, actor: Actor, data: VersionData) -> Course:
    """A new module of the actor's board or aanbieder, with its first version as a draft."""
    authorize(actor, AUTHOR)
    data = _clean_version(data)
    if actor.board_id is not None:
        owner: dict[str, Any] = {"board_id": actor.board_id}
    elif actor.provider_id is not None:
        owner = {"provider_id": actor.provider_id}
    else:  # pragma: no cover - the permission comes with an organisation
        raise ValidationError(_("Choose the organisation you write for first."))
    with transaction.atomic():
        course = Course.objects.create(created_by=actor.person, **owner)
        version = CourseVersion(
            course=course,
            number=1,
            status=VersionStatus.DRAFT,
            title=data.title,
            summary=data.summary,
            duration_minutes=data.duration_minutes,
            level=data.level,
            pass_mark=data.pass_mark,
        )
        version.full_clean()
        version.save()
    return course


def draft_update(*, actor: Actor, course: Course, data: VersionData) -> CourseVersion:
    """Change the draft's own fields: title, summary, duration, level and pass mark."""
    authorize(actor, AUTHOR)
    data = _clean_version(data)
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        draft.title, draft.summary, draft.duration_minutes = data.title, data.summary, data.duration_minutes
        draft.level, draft.pass_mark = data.level, data.pass_mark
        draft.full_clean()
        draft.save(update_fields=["title", "summary", "duration_minutes", "level", "pass_mark"])
    return draft


def draft_competences_set(*, actor: Actor, course: Course, picks: Sequence[CompetencePick]) -> CourseVersion:
    """Link the draft to exactly these competences (by framework slug and code; the name as shown when linked)."""
    authorize(actor, AUTHOR)
    unique: dict[tuple[str, str], CompetencePick] = {}
    for pick in picks:
        if not pick.framework_slug or not pick.code or len(pick.code) > 32 or len(pick.framework_slug) > 64:
            raise ValidationError({"competences": _("Choose competences from the list.")})
        unique[(pick.framework_slug, pick.code)] = pick
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        CourseCompetence.objects.filter(version=draft).delete()
        CourseCompetence.objects.bulk_create(
            [
                CourseCompetence(version=draft, framework_slug=p.framework_slug, code=p.code, name=p.name[:300])
                for p in unique.values()
            ]
        )
    return draft


def version_publish(*, actor: Actor, course: Course) -> CourseVersion:
    """Publish the draft: the published version (if any) is replaced (RETIRED); enrolments keep theirs."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        locked = _locked(actor, course)
        draft = CourseVersion.objects.select_for_update().filter(course=locked, status=VersionStatus.DRAFT).first()
        if draft is None:
            raise ValidationError(_("There is no draft to publish: make a new version first."))
        problems = publish_problems(draft)
        if problems:
            raise ValidationError(problems)
        previous = _published(locked)
        if previous is not None:
            # Retired first: the database allows one published version per course.
            previous.status = VERSION_MACHINE.move(previous.status, RETIRE)
            previous.save(update_fields=["status"])
        draft.status = VERSION_MACHINE.move(draft.status, PUBLISH)
        draft.published_at, draft.published_by = timezone.now(), actor.person
        draft.save(update_fields=["status", "published_at", "published_by"])
    return draft


def version_new(*, actor: Actor, course: Course) -> CourseVersion:
    """A new draft that copies the published version: competences, lessons (their texts pointing at the copied
    materials), materials (each file copied to a new stored file), questions and their options."""
    authorize(actor, AUTHOR)
    storage = LessonMaterial._meta.get_field("file").storage
    saved: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(actor, course)
            if CourseVersion.objects.filter(course=locked, status=VersionStatus.DRAFT).exists():
                raise ValidationError(_("This module has a draft already: change that one, or delete it first."))
            source = _published(locked)
            if source is None:
                raise ValidationError(_("Only a published module gets a new version: publish the draft first."))
            top = CourseVersion.objects.filter(course=locked).aggregate(top=Max("number"))["top"] or 0
            draft = CourseVersion.objects.create(
                course=locked,
                number=top + 1,
                status=VersionStatus.DRAFT,
                title=source.title,
                summary=source.summary,
                duration_minutes=source.duration_minutes,
                level=source.level,
                pass_mark=source.pass_mark,
                based_on=source,
            )
            CourseCompetence.objects.bulk_create(
                [
                    CourseCompetence(version=draft, framework_slug=c.framework_slug, code=c.code, name=c.name)
                    for c in CourseCompetence.objects.filter(version=source)
                ]
            )
            saved.extend(_copy_lessons(source, draft))
            _copy_questions(source, draft)
    except IntegrityError:
        # Two "new version" clicks at once where rows are not locked (the database allows one draft).
        for name in saved:
            file_remove(storage, name)
        raise ValidationError(_("This module has a draft already: change that one, or delete it first.")) from None
    except BaseException:
        for name in saved:
            file_remove(storage, name)
        raise
    return draft


def _copy_lessons(source: CourseVersion, draft: CourseVersion) -> list[str]:
    """Copy the lessons and their materials; returns the stored names written (to remove on failure)."""
    lessons = list(Lesson.objects.filter(version=source).order_by("position", "title"))
    materials = list(LessonMaterial.objects.filter(lesson__version=source).order_by("created_at"))
    new_lesson_ids = {lesson.pk: uuid.uuid4() for lesson in lessons}
    new_material_ids = {material.pk: uuid.uuid4() for material in materials}
    paths = {material_path(old): material_path(new) for old, new in new_material_ids.items()}

    def rewritten(body: str) -> str:
        return MATERIAL_PATH.sub(lambda match: paths.get(match.group(0), match.group(0)), body)

    Lesson.objects.bulk_create(
        [
            Lesson(
                id=new_lesson_ids[lesson.pk],
                version=draft,
                position=lesson.position,
                title=lesson.title,
                body=rewritten(lesson.body),
                video_url=lesson.video_url,
            )
            for lesson in lessons
        ]
    )
    lesson_by_id = {lesson.pk: lesson for lesson in Lesson.objects.filter(version=draft)}
    saved: list[str] = []
    for material in materials:
        copy = LessonMaterial(
            id=new_material_ids[material.pk],
            lesson=lesson_by_id[new_lesson_ids[material.lesson_id]],
            title=material.title,
            original_name=material.original_name,
            content_type=material.content_type,
            size=material.size,
        )
        try:
            with material.file.open("rb") as handle:
                copy.file.save(material.original_name or "material", File(handle), save=False)
        except OSError:
            # The stored file is gone (removed by hand from the storage): the copy goes without it.
            logger.warning("Material %s has no stored file; not copied to the new version", material.pk)
            continue
        saved.append(copy.file.name or "")
        copy.save()
    return saved


def _copy_questions(source: CourseVersion, draft: CourseVersion) -> None:
    questions = list(Question.objects.filter(version=source).prefetch_related("choices").order_by("position"))
    copies = [
        Question(
            id=uuid.uuid4(),
            version=draft,
            position=question.position,
            kind=question.kind,
            text=question.text,
            accepted_answers=question.accepted_answers,
            explanation=question.explanation,
        )
        for question in questions
    ]
    Question.objects.bulk_create(copies)
    Choice.objects.bulk_create(
        [
            Choice(question=copy, position=choice.position, text=choice.text, is_correct=choice.is_correct)
            for question, copy in zip(questions, copies, strict=True)
            for choice in question.choices.all()
        ]
    )


def draft_delete(*, actor: Actor, course: Course) -> bool:
    """Delete the draft (its materials' files once committed); a module never published goes with it.

    Returns True when the whole module was deleted."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        locked = _locked(actor, course)
        draft = _draft(locked)
        names = list(LessonMaterial.objects.filter(lesson__version=draft).values_list("file", flat=True))
        others = CourseVersion.objects.filter(course=locked).exclude(pk=draft.pk).exists()
        if others:
            draft.delete()
        else:
            locked.delete()
        _remove_on_commit(names)
    return not others


def course_archive(*, actor: Actor, course: Course) -> Course:
    """Take the module out of the catalogue; enrolments, completions and portfolio items stay."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        locked = _locked(actor, course)
        if locked.archived_at is None:
            locked.archived_at = timezone.now()
            locked.save(update_fields=["archived_at"])
    course.archived_at = locked.archived_at
    return course


def course_unarchive(*, actor: Actor, course: Course) -> Course:
    """Put an archived module back in the catalogue (its published version, if any)."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        locked = _locked(actor, course)
        if locked.archived_at is not None:
            locked.archived_at = None
            locked.save(update_fields=["archived_at"])
    course.archived_at = None
    return course


def course_boards_set(*, actor: Actor, course: Course, board_ids: Iterable[int]) -> list[Board]:
    """An aanbieder's module: offer it to exactly these boards (people already enrolled elsewhere go on)."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        locked = _locked(actor, course)
        if locked.provider_id is None:
            raise ValidationError(_("A board's own module is offered to that board only."))
        wanted = set(board_ids)
        boards = list(Board.objects.filter(pk__in=wanted).order_by("name"))
        if len(boards) != len(wanted):
            raise ValidationError({"boards": _("Choose boards from the list.")})
        locked.boards.set(boards)
    return boards


# --- lessons --------------------------------------------------------------------------------------------


def _draft_lesson(draft: CourseVersion, lesson: Lesson) -> Lesson:
    found = Lesson.objects.filter(pk=lesson.pk, version=draft).first()
    if found is None:
        raise ValidationError(read_only_message())
    return found


def lesson_create(*, actor: Actor, course: Course, data: LessonData) -> Lesson:
    """Add a lesson at the end of the draft."""
    authorize(actor, AUTHOR)
    data = _clean_lesson(data)
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        return Lesson.objects.create(
            version=draft,
            position=_next_position(Lesson.objects.filter(version=draft)),
            title=data.title,
            body=data.body,
            video_url=data.video_url,
        )


def lesson_update(*, actor: Actor, course: Course, lesson: Lesson, data: LessonData) -> Lesson:
    """Change a lesson of the draft: title, Markdown text and video link."""
    authorize(actor, AUTHOR)
    data = _clean_lesson(data)
    with transaction.atomic():
        found = _draft_lesson(_draft(_locked(actor, course)), lesson)
        found.title, found.body, found.video_url = data.title, data.body, data.video_url
        found.full_clean()
        found.save(update_fields=["title", "body", "video_url"])
    return found


def lesson_move(*, actor: Actor, course: Course, lesson: Lesson, direction: str) -> None:
    """Move a lesson of the draft one place up or down."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        _draft_lesson(draft, lesson)
        _move(list(Lesson.objects.filter(version=draft).order_by("position", "title")), lesson.pk, direction)


def lesson_delete(*, actor: Actor, course: Course, lesson: Lesson) -> None:
    """Delete a lesson of the draft with its materials (their files once committed)."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        found = _draft_lesson(_draft(_locked(actor, course)), lesson)
        names = list(LessonMaterial.objects.filter(lesson=found).values_list("file", flat=True))
        found.delete()
        _remove_on_commit(names)


# --- materials ------------------------------------------------------------------------------------------


def material_add(
    *, actor: Actor, course: Course, lesson: Lesson, upload: UploadedFile, title: str = ""
) -> LessonMaterial:
    """Upload a file to a lesson of the draft, checked like a portfolio file (type from the content, a size limit)."""
    authorize(actor, AUTHOR)
    content_type = material_file_check(upload)
    original = PurePath(upload.name or "").name[:200] or "material"
    title = _spaces(title) or original
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}})
    storage = LessonMaterial._meta.get_field("file").storage
    stored = ""
    try:
        with transaction.atomic():
            found = _draft_lesson(_draft(_locked(actor, course)), lesson)
            material = LessonMaterial(
                lesson=found,
                title=title,
                original_name=original,
                content_type=content_type,
                size=upload.size or 0,
            )
            material.file.save(original, upload, save=False)
            stored = material.file.name or ""
            material.save()
    except BaseException:
        if stored:
            file_remove(storage, stored)
        raise
    return material


def material_delete(*, actor: Actor, course: Course, material: LessonMaterial) -> None:
    """Delete a material of a lesson of the draft (its file once committed)."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        found = LessonMaterial.objects.filter(pk=material.pk, lesson__version=draft).first()
        if found is None:
            raise ValidationError(read_only_message())
        name = found.file.name or ""
        found.delete()
        _remove_on_commit([name])


# --- the quiz -------------------------------------------------------------------------------------------


def _draft_question(draft: CourseVersion, question: Question) -> Question:
    found = Question.objects.filter(pk=question.pk, version=draft).first()
    if found is None:
        raise ValidationError(read_only_message())
    return found


def _write_choices(question: Question, data: QuestionData) -> None:
    Choice.objects.filter(question=question).delete()
    if data.kind == QuestionKind.MULTIPLE_CHOICE:
        Choice.objects.bulk_create(
            [
                Choice(question=question, position=position, text=text, is_correct=correct)
                for position, (text, correct) in enumerate(data.options, start=1)
            ]
        )


def question_create(*, actor: Actor, course: Course, data: QuestionData) -> Question:
    """Add a quiz question at the end of the draft: multiple choice (two options or more, one correct at least)
    or a short open answer (the accepted answers, one per line)."""
    authorize(actor, AUTHOR)
    data = _clean_question(data)
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        question = Question.objects.create(
            version=draft,
            position=_next_position(Question.objects.filter(version=draft)),
            kind=data.kind,
            text=data.text,
            accepted_answers="\n".join(data.accepted_answers),
            explanation=data.explanation,
        )
        _write_choices(question, data)
    return question


def question_update(*, actor: Actor, course: Course, question: Question, data: QuestionData) -> Question:
    """Change a question of the draft; its options are replaced by the ones given."""
    authorize(actor, AUTHOR)
    data = _clean_question(data)
    with transaction.atomic():
        found = _draft_question(_draft(_locked(actor, course)), question)
        found.kind, found.text, found.explanation = data.kind, data.text, data.explanation
        found.accepted_answers = "\n".join(data.accepted_answers)
        found.save(update_fields=["kind", "text", "explanation", "accepted_answers"])
        _write_choices(found, data)
    return found


def question_move(*, actor: Actor, course: Course, question: Question, direction: str) -> None:
    """Move a question of the draft one place up or down."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        draft = _draft(_locked(actor, course))
        _draft_question(draft, question)
        _move(list(Question.objects.filter(version=draft).order_by("position")), question.pk, direction)


def question_delete(*, actor: Actor, course: Course, question: Question) -> None:
    """Delete a question of the draft with its options."""
    authorize(actor, AUTHOR)
    with transaction.atomic():
        found = _draft_question(_draft(_locked(actor, course)), question)
        found.delete()
