"""Authorization matrix cases for measurements (merged by matrix_cases.py).

The teacher owns every measurement here. Own pages and writes (rule "dossier.view_own" +
own_item_get_for): the teacher gets them; other employees do not find them (404), also when the
measurement is shared with them; people without a dossier of their own (board roles, provider
staff, the operator) are refused (403). The detail and comparison pages go by share only
(item_get_for): whoever it is not shared with does not find it (404); a measurement shared with the
leidinggevende is read by them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.dossier.models import AssessmentStatus, Rating, Section, SelfAssessment, Share, ShareAudience
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.tests.matrix import (
    DENIED,
    EMPLOYEES,
    INVALID,
    NOT_ALLOWED,
    NOT_FOUND,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)

OTHER_EMPLOYEES = tuple(p for p in EMPLOYEES if p != "teacher")
OWN = expect(ok=("teacher",), not_found=OTHER_EMPLOYEES, others=DENIED)
ONLY_OWNER_SEES = expect(ok=("teacher",), others=NOT_FOUND)
OWNER_AND_MANAGER_SEE = expect(ok=("teacher", "manager"), others=NOT_FOUND)


def _version(world: World, slug: str) -> FrameworkVersion:
    version = FrameworkVersion.objects.filter(board=world.board_a, framework__slug=slug).first()
    return version or framework_version_build(board=world.board_a, slug=slug, domains=1, competences=1, indicators=2)


def _measurement(
    world: World, slug: str, *, finished: bool, rated: bool = False, shared: bool = False, number: int = 1
) -> Any:
    """The teacher's measurement number `number` against its own framework (`slug`), made once per world."""
    version = _version(world, slug)
    existing = list(SelfAssessment.objects.filter(person=world.teacher, framework_version=version).order_by("pk"))
    if len(existing) >= number:
        return existing[number - 1].pk
    assessment = SelfAssessment.objects.create(
        board=world.board_a,
        person=world.teacher,
        framework_version=version,
        status=AssessmentStatus.FINISHED if finished else AssessmentStatus.DRAFT,
        finished_at=timezone.now() if finished else None,
    )
    if rated or finished:
        top = ScaleLevel.objects.filter(version=version).order_by("value").last()
        Rating.objects.bulk_create(
            Rating(board=world.board_a, assessment=assessment, indicator=indicator, level=top)
            for indicator in Indicator.objects.filter(competence__version=version)
        )
    if shared:
        Share.objects.create(
            board=world.board_a,
            owner=world.teacher,
            audience=ShareAudience.MANAGER,
            section=Section.ASSESSMENTS,
            assessment=assessment,
        )
    return assessment.pk


def draft(world: World) -> Any:
    return _measurement(world, "matrix-draft", finished=False)


def complete_draft(world: World) -> Any:
    return _measurement(world, "matrix-complete", finished=False, rated=True)


def shared_draft(world: World) -> Any:
    return _measurement(world, "matrix-shared-draft", finished=False, rated=True, shared=True)


def finished_first(world: World) -> Any:
    return _measurement(world, "matrix-finished", finished=True)


def finished_second(world: World) -> Any:
    finished_first(world)
    return _measurement(world, "matrix-finished", finished=True, number=2)


def shared_first(world: World) -> Any:
    return _measurement(world, "matrix-shared", finished=True, shared=True)


def shared_second(world: World) -> Any:
    shared_first(world)
    return _measurement(world, "matrix-shared", finished=True, shared=True, number=2)


def rating_data(measurement: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    """A post that gives the measurement's first indicator the lowest level of its scale."""

    def data(world: World) -> dict[str, Any]:
        assessment = SelfAssessment.objects.get(pk=measurement(world))
        indicator = Indicator.objects.filter(competence__version=assessment.framework_version).order_by("pk").first()
        lowest = ScaleLevel.objects.filter(version=assessment.framework_version).order_by("value").first()
        assert indicator is not None and lowest is not None
        return {"indicator": [str(indicator.pk)], f"level-{indicator.pk}": str(lowest.pk)}

    return data


def start_data(world: World) -> dict[str, Any]:
    return {"framework_version": str(_version(world, "matrix-start").pk)}


def compare(before: Callable[[World], Any], after: Callable[[World], Any]) -> Callable[[World], str]:
    url = at("dossier:assessment-compare")
    return lambda world: f"{url(world)}?from={before(world)}&to={after(world)}"


def measurements_state(world: World) -> object:
    return sorted((str(a.pk), a.status, a.kind) for a in SelfAssessment.objects.all())


def ratings_state(world: World) -> object:
    return sorted((str(r.assessment_id), r.indicator_id, r.level_id) for r in Rating.objects.all())


MATRIX: dict[str, list[Case]] = {
    "dossier:assessment-list": [Case(at("dossier:assessment-list"), expect(ok=EMPLOYEES))],
    "dossier:assessment-start": [
        Case(at("dossier:assessment-start"), same_for_everyone(NOT_ALLOWED)),
        Case(
            at("dossier:assessment-start"),
            # Board A's employees start one; board B's teacher gets the page back: not a framework of theirs.
            expect(ok=("manager", "teacher", "colleague")) | {"outsider": INVALID},
            method="post",
            data=start_data,
            state=measurements_state,
            changes=("manager", "teacher", "colleague"),
            label="a published framework of board A",
        ),
    ],
    "dossier:assessment-detail": [
        Case(at("dossier:assessment-detail", assessment_id=draft), ONLY_OWNER_SEES, label="the teacher's draft"),
        Case(
            at("dossier:assessment-detail", assessment_id=finished_first),
            ONLY_OWNER_SEES,
            label="finished, not shared",
        ),
        Case(
            at("dossier:assessment-detail", assessment_id=shared_first),
            OWNER_AND_MANAGER_SEE,
            label="finished, shared with the manager",
        ),
    ],
    "dossier:assessment-save": [
        Case(at("dossier:assessment-save", assessment_id=draft), same_for_everyone(NOT_ALLOWED)),
        Case(
            at("dossier:assessment-save", assessment_id=draft),
            OWN,
            method="post",
            data=rating_data(draft),
            state=ratings_state,
            changes=("teacher",),
            label="the teacher's draft",
        ),
        Case(
            at("dossier:assessment-save", assessment_id=shared_draft),
            OWN,
            method="post",
            data=rating_data(shared_draft),
            state=ratings_state,
            changes=("teacher",),
            label="a draft shared with the manager (read-only for them)",
        ),
    ],
    "dossier:assessment-finish": [
        Case(at("dossier:assessment-finish", assessment_id=complete_draft), same_for_everyone(NOT_ALLOWED)),
        Case(
            at("dossier:assessment-finish", assessment_id=complete_draft),
            OWN,
            method="post",
            state=measurements_state,
            changes=("teacher",),
            label="the teacher's fully rated draft",
        ),
        Case(
            at("dossier:assessment-finish", assessment_id=shared_draft),
            OWN,
            method="post",
            state=measurements_state,
            changes=("teacher",),
            label="a rated draft shared with the manager (read-only for them)",
        ),
    ],
    "dossier:assessment-compare": [
        Case(compare(finished_first, finished_second), ONLY_OWNER_SEES, label="not shared"),
        Case(compare(shared_first, shared_second), OWNER_AND_MANAGER_SEE, label="both shared with the manager"),
    ],
}
