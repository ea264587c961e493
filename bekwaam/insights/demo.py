"""Demo history for the insights pages, then a refresh so the school and board figures have something to show.

- Lotte de Leerkracht's nulmeting moves two school years back and a measurement of a year ago is added,
  so Mijn ontwikkeling compares three measurements over three years.
- Staff of the first three demo schools get finished measurements this school year and last: fourteen at the
  first school, six at the second, three at the third (withheld on the board page, which says why).
- The refresh (insights.services.release) then releases what the rule allows.
Rows are written directly with backdated dates (the services stamp "now"); idempotent: a board that has
contributions already is left alone.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.dossier.models import AssessmentKind, AssessmentStatus, Rating, SelfAssessment
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel, VersionStatus
from bekwaam.insights.models import Contribution
from bekwaam.insights.services.release import refresh
from bekwaam.tenancy.models import Board, Employment, Function, School

STAFF_WITH_MEASUREMENTS = (14, 6, 3)  # per demo school, in order


def _measurement(
    *, board: Board, person: Person, version: FrameworkVersion, finished: datetime.date, base: int, rng: random.Random
) -> None:
    levels = list(ScaleLevel.objects.filter(version=version).order_by("value").values_list("pk", flat=True))
    indicators = list(Indicator.objects.filter(competence__version=version).values_list("pk", flat=True))
    at = timezone.make_aware(datetime.datetime.combine(finished, datetime.time(15, 0)))
    assessment = SelfAssessment.objects.create(
        board=board,
        person=person,
        framework_version=version,
        kind=AssessmentKind.FOLLOW_UP,
        status=AssessmentStatus.FINISHED,
        finished_at=at,
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(started_at=at - datetime.timedelta(days=2))
    Rating.objects.bulk_create(
        Rating(
            board=board,
            assessment=assessment,
            indicator_id=indicator,
            level_id=levels[max(0, min(len(levels) - 1, base + rng.randint(-1, 1)))],
        )
        for indicator in indicators
    )


def seed_insights_demo(*, board: Board, schools: Sequence[School], teacher: Person, today: datetime.date) -> None:
    if Contribution.objects.filter(board=board).exists():
        return
    version = (
        FrameworkVersion.objects.filter(
            board=board, framework__slug="teacher-competences", status=VersionStatus.PUBLISHED
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        return
    rng = random.Random(7)  # noqa: S311  (demo content, not secrets)
    # Lotte's nulmeting (made by the dossier demo today) moves two school years back; a measurement a year
    # ago fills the middle, so her page compares three measurements over three years.
    two_years_ago = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=730), datetime.time(15, 0))
    )
    SelfAssessment.objects.filter(board=board, person=teacher, kind=AssessmentKind.BASELINE).update(
        started_at=two_years_ago - datetime.timedelta(days=2), finished_at=two_years_ago
    )
    _measurement(
        board=board,
        person=teacher,
        version=version,
        finished=today - datetime.timedelta(days=365),
        base=1,
        rng=rng,
    )
    for school, count in zip(schools, STAFF_WITH_MEASUREMENTS, strict=False):
        staff = list(
            Employment.objects.filter(board=board, school=school, function=Function.TEACHER, end_date__isnull=True)
            .exclude(person=teacher)
            .select_related("person")
            .order_by("personnel_number")[:count]
        )
        for employment in staff:
            for days_ago in (380, 40):
                _measurement(
                    board=board,
                    person=employment.person,
                    version=version,
                    finished=today - datetime.timedelta(days=days_ago),
                    base=rng.randint(0, 2),
                    rng=rng,
                )
    refresh(board=board)
