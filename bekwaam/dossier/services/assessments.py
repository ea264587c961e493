"""Writes for measurements: start (or resume) one, save ratings while it is a draft, finish it once.

A finished measurement is fixed: every write here re-reads the row under a lock and refuses a
finished one, so two browser tabs finishing (or one saving while the other finishes) cannot both
win, and nothing of the loser is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import AssessmentKind, AssessmentStatus, Evidence, Rating, SelfAssessment
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

EXPLANATION_MAX_LENGTH = 5000


@dataclass(frozen=True)
class RatingInput:
    """What the person entered for one indicator: a level of the version's scale (or none yet)."""

    level_id: int | None = None
    explanation: str = ""
    evidence_ids: frozenset[UUID] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return self.level_id is None and not self.explanation and not self.evidence_ids


class AssessmentIncompleteError(ValidationError):
    """Finishing was refused because these indicators have no level yet (what was entered is saved)."""

    def __init__(self, missing: list[Indicator]) -> None:
        codes = ", ".join(indicator.code for indicator in missing)
        super().__init__(
            _("Rate every indicator before finishing. Not rated yet: %(codes)s.") % {"codes": codes},
            code="incomplete",
        )
        self.missing = missing


def _finished_error(assessment: SelfAssessment) -> ValidationError:
    finished_at = timezone.localtime(assessment.finished_at) if assessment.finished_at else None
    return ValidationError(
        _("This measurement was finished on %(date)s and can no longer be changed. Your changes have not been saved.")
        % {"date": formats.date_format(finished_at, "DATETIME_FORMAT") if finished_at else ""},
        code="finished",
    )


def assessment_start(*, actor: Actor, framework_version: FrameworkVersion) -> tuple[SelfAssessment, bool]:
    """Start a measurement against a published version of the board, or resume the one in progress.

    Returns (measurement, created). One draft per person per framework: starting again returns it.
    The first measurement of a person for a framework is the baseline (nulmeting), later ones follow-ups.
    """
    authorize(actor, "dossier.view_own")
    if framework_version.board_id != actor.board_pk or not framework_version.is_published:
        raise ValidationError(
            {"framework_version": _("Choose one of the published competence frameworks of your board.")}
        )
    with transaction.atomic():
        # Serialise starts of one person: two clicks on "start" must not create two drafts.
        get_user_model().objects.select_for_update().filter(pk=actor.person.pk).first()
        earlier = SelfAssessment.objects.filter(
            board_id=actor.board_pk,
            person=actor.person,
            framework_version__framework_id=framework_version.framework_id,
        )
        draft = earlier.filter(status=AssessmentStatus.DRAFT).order_by("-started_at").first()
        if draft is not None:
            return draft, False
        assessment = SelfAssessment(
            board_id=actor.board_pk,
            person=actor.person,
            framework_version=framework_version,
            kind=AssessmentKind.FOLLOW_UP if earlier.exists() else AssessmentKind.BASELINE,
            status=AssessmentStatus.DRAFT,
        )
        assessment.full_clean()
        assessment.save()
    return assessment, True


def _locked_draft(*, actor: Actor, assessment: SelfAssessment) -> SelfAssessment:
    """The measurement re-read under a row lock; refused when it was finished meanwhile."""
    authorize(actor, "dossier.change_item", assessment)
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk, board_id=actor.board_pk)
    if locked.is_finished:
        raise _finished_error(locked)
    return locked


def _ratings_check(*, assessment: SelfAssessment, ratings: Mapping[int, RatingInput]) -> dict[int, Indicator]:
    """Refuse the whole input when one value lies outside the measurement's version or the person's portfolio."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(
            pk__in=list(ratings),
            board_id=assessment.board_id,
            competence__version_id=assessment.framework_version_id,
        )
    }
    errors: list[ValidationError] = []
    if set(ratings) - set(indicators):
        errors.append(ValidationError(_("Some indicators do not belong to this framework."), code="indicator"))
    level_ids = {r.level_id for r in ratings.values() if r.level_id is not None}
    scale = set(
        ScaleLevel.objects.filter(
            pk__in=level_ids, version_id=assessment.framework_version_id, board_id=assessment.board_id
        ).values_list("pk", flat=True)
    )
    evidence_ids = {e for r in ratings.values() for e in r.evidence_ids}
    own_evidence = set(
        Evidence.objects.filter(
            pk__in=evidence_ids, person_id=assessment.person_id, board_id=assessment.board_id
        ).values_list("pk", flat=True)
    )
    for indicator_id, rating in ratings.items():
        code = indicators[indicator_id].code if indicator_id in indicators else str(indicator_id)
        if rating.level_id is not None and rating.level_id not in scale:
            errors.append(
                ValidationError(
                    _("%(code)s: choose one of the levels of this framework's scale.") % {"code": code},
                    code="level",
                )
            )
        if rating.evidence_ids - own_evidence:
            errors.append(
                ValidationError(
                    _("%(code)s: link only evidence from your own portfolio.") % {"code": code}, code="evidence"
                )
            )
        if len(rating.explanation) > EXPLANATION_MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("%(code)s: the explanation can be at most %(max)s characters.")
                    % {"code": code, "max": EXPLANATION_MAX_LENGTH},
                    code="explanation",
                )
            )
    if errors:
        raise ValidationError(errors)
    return indicators


def _ratings_apply(*, assessment: SelfAssessment, ratings: Mapping[int, RatingInput]) -> None:
    """Make the measurement's ratings for these indicators exactly as given, in a bounded number of queries."""
    if not ratings:
        return
    _ratings_check(assessment=assessment, ratings=ratings)
    existing = {r.indicator_id: r for r in Rating.objects.filter(assessment=assessment, indicator_id__in=list(ratings))}
    through = Rating.evidence.through
    linked: dict[int, set[UUID]] = {}
    for rating_id, evidence_id in through.objects.filter(rating_id__in=[r.pk for r in existing.values()]).values_list(
        "rating_id", "evidence_id"
    ):
        linked.setdefault(rating_id, set()).add(evidence_id)
    now = timezone.now()
    changed: list[Rating] = []
    created: list[tuple[Rating, frozenset[UUID]]] = []
    relink: dict[int, frozenset[UUID]] = {}
    for indicator_id, given in ratings.items():
        rating = existing.get(indicator_id)
        if rating is None:
            if not given.is_empty:
                new = Rating(
                    board_id=assessment.board_id,
                    assessment=assessment,
                    indicator_id=indicator_id,
                    level_id=given.level_id,
                    explanation=given.explanation,
                )
                created.append((new, given.evidence_ids))
            continue
        if rating.level_id != given.level_id or rating.explanation != given.explanation:
            rating.level_id = given.level_id
            rating.explanation = given.explanation
            rating.updated_at = now
            changed.append(rating)
        if linked.get(rating.pk, set()) != given.evidence_ids:
            relink[rating.pk] = given.evidence_ids
    if changed:
        Rating.objects.bulk_update(changed, ["level", "explanation", "updated_at"])
    if created:
        Rating.objects.bulk_create([rating for rating, _evidence in created])
        relink.update({rating.pk: evidence for rating, evidence in created if evidence})
    if relink:
        through.objects.filter(rating_id__in=list(relink)).delete()
        through.objects.bulk_create(
            [
                through(rating_id=rating_id, evidence_id=evidence_id)
                for rating_id, evidence_ids in relink.items()
                for evidence_id in sorted(evidence_ids)
            ]
        )


def assessment_save(*, actor: Actor, assessment: SelfAssessment, ratings: Mapping[int, RatingInput]) -> SelfAssessment:
    """Save the ratings of the given indicators of a draft; all or nothing, refused once it is finished."""
    with transaction.atomic():
        locked = _locked_draft(actor=actor, assessment=assessment)
        _ratings_apply(assessment=locked, ratings=ratings)
    return locked


def assessment_missing(*, assessment: SelfAssessment) -> list[Indicator]:
    """The indicators of the measurement's version that have no level yet, in the framework's order."""
    rated = Rating.objects.filter(assessment=assessment, level__isnull=False).values("indicator_id")
    return list(
        Indicator.objects.filter(board_id=assessment.board_id, competence__version_id=assessment.framework_version_id)
        .exclude(pk__in=rated)
        .order_by("competence__domain__position", "competence__position", "position", "code")
    )


def assessment_finish(
    *, actor: Actor, assessment: SelfAssessment, ratings: Mapping[int, RatingInput] | None = None
) -> SelfAssessment:
    """Save what was entered last, then fix the measurement when every indicator has a level.

    Refused (ValidationError "finished") when it was finished meanwhile, e.g. in another tab:
    nothing is written then. Refused (AssessmentIncompleteError, naming the indicators) when some have
    no level: the entered ratings are kept as a draft, the measurement stays open.
    """
    with transaction.atomic():
        locked = _locked_draft(actor=actor, assessment=assessment)
        _ratings_apply(assessment=locked, ratings=ratings or {})
        missing = assessment_missing(assessment=locked)
        if not missing:
            locked.status = AssessmentStatus.FINISHED
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "finished_at"])
    if missing:
        raise AssessmentIncompleteError(missing)
    return locked
