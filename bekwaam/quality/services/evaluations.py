"""Writes of self-evaluations and nu-metingen, and of the documents kept as their evidence.

A self-evaluation judges a school (or, with school None, the board itself against BKA1-BKA3) per
standard of one onderzoekskader version, on the board's own scale. It is a draft until made final
(EVALUATION_MACHINE); a final evaluation is read-only until reopened. A nu-meting is the same record
(kind snapshot) with only a level per standard. Every write checks the quality rules: for a school
"quality.edit_school", for the board "quality.edit_board_level".

Evidence: documents (QualityDocument, checked by content like the dossier's uploads and stored under a
random name) and lesson visits at the school that the writer may see and that were put forward. Links
the writer may not see (made by someone else) are kept as they are when the writer saves.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bekwaam.dossier.uploads import ALLOWED_TYPES, evidence_file_check
from bekwaam.lib.storage import file_remove
from bekwaam.observations.models import Observation
from bekwaam.observations.selectors import observations_visible_to
from bekwaam.quality.models import (
    EVALUATION_MACHINE,
    EvaluationKind,
    EvaluationState,
    InspectionFramework,
    JudgementLevel,
    Level,
    QualityDocument,
    SelfEvaluation,
    Standard,
    StandardAssessment,
)
from bekwaam.quality.selectors.evaluations import linkable_visits_for
from bekwaam.quality.services.scale import judgement_scale_ensure
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import authorize

SUBSTANTIATION_MAX = 10_000
FUTURE = _lazy("An evaluation describes the situation today or earlier, not later.")
EVALUATION_ACTIONS = ("finalise", "reopen")


# --- shared by the quality services --------------------------------------------------------------------


def record_authorize(*, actor: Actor, school: School | None) -> None:
    """May the actor record quality data for this school (or, with None, for the board itself)?"""
    if school is None:
        authorize(actor, "quality.edit_board_level")
        return
    if school.board_id != actor.board_id:
        raise ValidationError(_("Choose a school of your board."), code="other_board")
    authorize(actor, "quality.edit_school", school)


def standards_for(*, framework: InspectionFramework, school: School | None) -> list[Standard]:
    """The standards a record judges: the school standards of the version, or its board standards (BKA)."""
    level = Level.BOARD if school is None else Level.SCHOOL
    return list(
        Standard.objects.filter(framework=framework, area__level=level)
        .select_related("area")
        .order_by("area__position", "position", "code")
    )


# --- documents ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentUpload:
    """A file to keep as evidence, with the title it is shown by (the file's name when empty)."""

    title: str
    file: File[Any]


def _document_build(*, actor: Actor, school: School | None, upload: DocumentUpload) -> QualityDocument:
    """Check the upload by its content and store it under a random name; the row is not saved yet."""
    content_type = evidence_file_check(upload.file)
    title = (upload.title or "").strip() or (upload.file.name or "").rsplit("/", 1)[-1].strip() or _("Document")
    document = QualityDocument(
        board_id=actor.board_pk,
        school=school,
        title=title[:200],
        content_type=content_type,
        size=upload.file.size or 0,
        uploaded_by=actor.person,
    )
    # The stored name is random: the uploader's file name never becomes part of a path.
    document.file.save(f"{uuid.uuid4().hex}.{ALLOWED_TYPES[content_type]}", upload.file, save=False)
    return document


def quality_document_create(*, actor: Actor, school: School | None, upload: DocumentUpload) -> QualityDocument:
    """A document kept as quality evidence for a school (or the board), checked by content like the dossier."""
    record_authorize(actor=actor, school=school)
    document = _document_build(actor=actor, school=school, upload=upload)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        file_remove(document.file.storage, document.file.name or "")
        raise
    return document


# --- self-evaluations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentInput:
    """What was filled in for one standard. None for a collection means "leave as it is" (a nu-meting)."""

    level_id: int | None
    substantiation: str = ""
    keep_document_ids: Collection[UUID] | None = None
    uploads: Sequence[DocumentUpload] = field(default_factory=tuple)
    observation_ids: Collection[UUID] | None = None


def evaluation_authorize(*, actor: Actor, evaluation: SelfEvaluation) -> None:
    """May the actor change this evaluation (its school's records, or the board's own)?"""
    if evaluation.board_id != actor.board_id:
        raise ValidationError(_("This evaluation is not of your board."), code="other_board")
    record_authorize(actor=actor, school=evaluation.school)


def _levels_of(board_id: int) -> dict[int, JudgementLevel]:
    return {level.pk: level for level in JudgementLevel.objects.filter(board_id=board_id)}


def _level_check(
    levels: Mapping[int, JudgementLevel], level_id: int | None, *, current_id: int | None, code: str
) -> JudgementLevel | None:
    if level_id is None:
        return None
    level = levels.get(level_id)
    if level is None:
        raise ValidationError(
            _("%(code)s: choose a level of your board's scale.") % {"code": code}, code="unknown_level"
        )
    if level.archived and level_id != current_id:
        raise ValidationError(
            _("%(code)s: “%(label)s” is no longer on your board's scale; choose another level.")
            % {"code": code, "label": level.label},
            code="archived_level",
        )
    return level


def evaluation_create(
    *,
    actor: Actor,
    school: School | None,
    framework: InspectionFramework,
    kind: str = EvaluationKind.SELF_EVALUATION,
    title: str,
    date: datetime.date,
    summary: str = "",
    levels: Mapping[int, int | None] | None = None,
) -> SelfEvaluation:
    """A draft evaluation with one (empty) judgement per standard of its level; a nu-meting may bring its levels.

    `levels` maps standard id → level id (or None); a standard outside the version or a level outside the
    board's scale is refused and nothing is written.
    """
    record_authorize(actor=actor, school=school)
    if kind not in EvaluationKind.values:
        raise ValidationError({"kind": _("Choose a kind of evaluation.")})
    if date > timezone.localdate():
        raise ValidationError({"date": ValidationError(FUTURE, code="future")})
    standards = standards_for(framework=framework, school=school)
    if not standards:
        raise ValidationError({"framework": _("This version of the onderzoekskader has no standards for this.")})
    by_id = {standard.pk: standard for standard in standards}
    levels = levels or {}
    unknown = set(levels) - set(by_id)
    if unknown:
        raise ValidationError(
            _("This form names a standard that is not part of this onderzoekskader; reload the page."), code="unknown"
        )
    judgement_scale_ensure(board_id=actor.board_pk)
    scale = _levels_of(actor.board_pk)
    chosen = {
        standard_id: _level_check(scale, level_id, current_id=None, code=by_id[standard_id].code)
        for standard_id, level_id in levels.items()
    }
    evaluation = SelfEvaluation(
        board_id=actor.board_pk,
        school=school,
        framework=framework,
        kind=kind,
        title=title.strip(),
        date=date,
        summary=summary.strip(),
        created_by=actor.person,
    )
    evaluation.full_clean()
    with transaction.atomic():
        evaluation.save()
        for standard in standards:
            # One save per row (not bulk_create): each judgement joins the board's change log.
            StandardAssessment.objects.create(
                board_id=actor.board_pk, evaluation=evaluation, standard=standard, level=chosen.get(standard.pk)
            )
    return evaluation


def evaluation_refuse_unless_draft(evaluation: SelfEvaluation) -> None:
    if evaluation.state != EvaluationState.DRAFT:
        raise ValidationError(_("This evaluation is final: reopen it first to change it."), code="final")


def evaluation_save(
    *,
    actor: Actor,
    evaluation: SelfEvaluation,
    title: str,
    date: datetime.date,
    summary: str,
    assessments: Mapping[int, AssessmentInput],
) -> SelfEvaluation:
    """Save a draft: its heading, and per standard (by standard id) the level, substantiation and evidence.

    All or nothing: an unknown standard, a level outside the board's scale, a lesson visit the actor may not
    link or a refused file leaves everything as it was (files stored so far are removed again).
    """
    evaluation_authorize(actor=actor, evaluation=evaluation)
    if date > timezone.localdate():
        raise ValidationError({"date": ValidationError(FUTURE, code="future")})
    stored: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            locked = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk, board_id=actor.board_pk)
            evaluation_refuse_unless_draft(locked)
            rows = {
                row.standard_id: row
                for row in StandardAssessment.objects.filter(evaluation=locked)
                .select_related("standard")
                .prefetch_related("documents", "observations")
            }
            if set(assessments) - set(rows):
                raise ValidationError(
                    _("This form names a standard that is not part of this evaluation; reload the page."),
                    code="unknown",
                )
            scale = _levels_of(locked.board_id)
            visible_visits: set[UUID] | None = None
            linkable: set[UUID] = set()
            if locked.school is not None and any(a.observation_ids is not None for a in assessments.values()):
                visible_visits = set(
                    observations_visible_to(actor=actor).filter(school=locked.school).values_list("pk", flat=True)
                )
                linkable = set(linkable_visits_for(actor=actor, school=locked.school).values_list("pk", flat=True))
            for standard_id, given in assessments.items():
                row = rows[standard_id]
                code = row.standard.code
                level = _level_check(scale, given.level_id, current_id=row.level_id, code=code)
                substantiation = given.substantiation.strip()
                if len(substantiation) > SUBSTANTIATION_MAX:
                    raise ValidationError(
                        _("%(code)s: the substantiation is longer than %(max)s characters.")
                        % {"code": code, "max": SUBSTANTIATION_MAX}
                    )
                if (row.level_id, row.substantiation) != (level.pk if level else None, substantiation):
                    row.level, row.substantiation = level, substantiation
                    row.save(update_fields=["level", "substantiation"])
                if given.keep_document_ids is not None:
                    keep = set(given.keep_document_ids)
                    dropped = [document for document in row.documents.all() if document.pk not in keep]
                    if dropped:
                        row.documents.remove(*dropped)
                for upload in given.uploads:
                    try:
                        document = _document_build(actor=actor, school=locked.school, upload=upload)
                    except ValidationError as error:
                        raise ValidationError(
                            _("%(code)s: %(problem)s") % {"code": code, "problem": " ".join(error.messages)},
                            code="file",
                        ) from error
                    stored.append((document.file.storage, document.file.name or ""))
                    document.save()
                    row.documents.add(document)
                if given.observation_ids is not None:
                    if locked.school is None:
                        if given.observation_ids:
                            raise ValidationError(
                                _("The board's own evaluation has no lesson visits as evidence."), code="not_linkable"
                            )
                        continue
                    wanted = set(given.observation_ids)
                    if wanted - linkable:
                        raise ValidationError(
                            _(
                                "%(code)s: link only lesson visits at this school that you may see "
                                "and that were put forward."
                            )
                            % {"code": code},
                            code="not_linkable",
                        )
                    current_visits = {observation.pk for observation in row.observations.all()}
                    # Links the actor cannot see were made by someone else: they stay.
                    target = wanted | (current_visits - (visible_visits or set()))
                    if target != current_visits:
                        row.observations.set(Observation.objects.filter(pk__in=target, board_id=locked.board_id))
            locked.title, locked.date, locked.summary = title.strip(), date, summary.strip()
            locked.full_clean(exclude=["created_by"])  # the starter may have left (SET_NULL)
            locked.save(update_fields=["title", "date", "summary"])
    except BaseException:
        for storage, name in stored:
            file_remove(storage, name)
        raise
    return locked


def evaluation_move(*, actor: Actor, evaluation: SelfEvaluation, action: str) -> SelfEvaluation:
    """Make an evaluation final (it needs at least one judgement) or reopen it; TransitionRefusedError otherwise."""
    evaluation_authorize(actor=actor, evaluation=evaluation)
    if action not in EVALUATION_ACTIONS:
        raise ValidationError(_("Choose what to do with the evaluation."))
    with transaction.atomic():
        locked = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk, board_id=actor.board_pk)
        after = EVALUATION_MACHINE.move(locked.state, action)
        if (
            action == "finalise"
            and not StandardAssessment.objects.filter(evaluation=locked, level__isnull=False).exists()
        ):
            raise ValidationError(
                _("Judge at least one standard before making the evaluation final."), code="nothing_judged"
            )
        locked.state = after
        locked.finalised_at = timezone.now() if after == EvaluationState.FINAL else None
        locked.save(update_fields=["state", "finalised_at"])
    return locked
