"""Authorization matrix cases for the person part of insights: Mijn ontwikkeling and its PDF (merged by
matrix_cases.py).

Rule "insights.own" (dossier.view_own): everyone with a dossier of their own at the active board — the
employees, the leidinggevende included, board B's teacher at board B — gets their own page; people without
one (board roles without an employment, provider staff, the operator) are refused (403). There is no person
in the address: another person's measurement id in it changes nothing (still one's own page, 200; the
selector tests prove nothing of theirs is shown). GET only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from bekwaam.dossier.models import AssessmentStatus, SelfAssessment
from bekwaam.frameworks.models import FrameworkVersion
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.tests.matrix import EMPLOYEES, NOT_ALLOWED, Case, World, at, expect, same_for_everyone

OWN_PAGE = expect(ok=EMPLOYEES)


def _colleagues_measurement(world: World) -> Any:
    """A finished measurement of the colleague (board A), made once per world."""
    found = SelfAssessment.objects.filter(person=world.colleague).first()
    if found is not None:
        return found
    version = FrameworkVersion.objects.filter(board=world.board_a).first() or framework_version_build(
        board=world.board_a, slug="matrix-person", domains=1, competences=1, indicators=1
    )
    return SelfAssessment.objects.create(
        board=world.board_a,
        person=world.colleague,
        framework_version=version,
        status=AssessmentStatus.FINISHED,
        finished_at=timezone.now(),
    )


def with_foreign_ids(name: str) -> Callable[[World], str]:
    def build(world: World) -> str:
        measurement = _colleagues_measurement(world)
        return f"{reverse(name)}?measurement={measurement.pk}&person={world.colleague.pk}&section=measurements"

    return build


MATRIX: dict[str, list[Case]] = {
    "insights:mine": [
        Case(at("insights:mine"), OWN_PAGE),
        Case(with_foreign_ids("insights:mine"), OWN_PAGE, label="another person's measurement in the address"),
        Case(at("insights:mine"), same_for_everyone(NOT_ALLOWED), method="post"),
    ],
    "insights:mine_pdf": [
        Case(at("insights:mine_pdf"), OWN_PAGE),
        Case(with_foreign_ids("insights:mine_pdf"), OWN_PAGE, label="another person's measurement in the address"),
        Case(at("insights:mine_pdf"), same_for_everyone(NOT_ALLOWED), method="post"),
    ],
}
