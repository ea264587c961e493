"""The frameworks pages in the authorization matrix (bekwaam/tenancy/tests/test_authorization_matrix.py).

Only the functioneel beheerder opens them, for their own board: the other board's beheerder does not
find board A's frameworks (404); everyone else is refused at the door (403). Every POST names the
state it may change (all framework rows), so an "ok" that changed nothing fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from bekwaam.frameworks.models import Competence, Domain, Framework, FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.tests.matrix import (
    A_ONLY,
    ADMINISTRATORS,
    B_ONLY,
    NOT_ALLOWED,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)

PAGE = expect(ok=ADMINISTRATORS)
SAMPLE_MATRIX = Path(__file__).parent / "sample.matrix"


def version_of(board: str, slug: str, *, published: bool) -> Callable[[World], Any]:
    """A version of board A or B (built once per world): 2 domains of 2 competences of 2 indicators."""

    def get(world: World) -> Any:
        owner = world.board_a if board == "a" else world.board_b
        version = FrameworkVersion.objects.filter(board=owner, framework__slug=slug).first()
        if version is None:
            version = framework_version_build(board=owner, slug=slug, published=published)
        return version.pk

    return get


DRAFT_A = version_of("a", "matrix-draft", published=False)
PUBLISHED_A = version_of("a", "matrix-published", published=True)
DRAFT_B = version_of("b", "matrix-draft", published=False)


def framework_of(version: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: FrameworkVersion.objects.get(pk=version(world)).framework_id


def first(model: Any, version: Callable[[World], Any]) -> Callable[[World], Any]:
    """The first scale level, domain, competence or indicator of a version."""

    def get(world: World) -> Any:
        version_id = version(world)
        rows = model.objects.filter(competence__version_id=version_id) if model is Indicator else None
        if rows is None:
            rows = model.objects.filter(version_id=version_id)
        return rows.order_by("pk").values_list("pk", flat=True).first()

    return get


def framework_rows(world: World) -> object:
    """Every framework row of every board: what any POST here may change."""
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (Framework, FrameworkVersion, ScaleLevel, Domain, Competence, Indicator)
    ]


def matrix_upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("kader.matrix", SAMPLE_MATRIX.read_bytes(), "application/octet-stream")}


def post(url: Callable[[World], str], outcome: dict[str, str], changes: tuple[str, ...], **data: Any) -> Case:
    """A POST whose data values may be callables of the world (ids of objects built for it)."""
    return Case(
        url,
        outcome,
        method="post",
        data=lambda w: {key: value(w) if callable(value) else value for key, value in data.items()},
        state=framework_rows,
        changes=changes,
    )


def v(name: str, version: Callable[[World], Any] = DRAFT_A, **kwargs: Any) -> Callable[[World], str]:
    return at(name, version_id=version, **kwargs)


ADMIN_A = ("administrator",)
POST_ONLY = same_for_everyone(NOT_ALLOWED)
LEVEL, DOMAIN = first(ScaleLevel, DRAFT_A), first(Domain, DRAFT_A)
COMPETENCE, INDICATOR = first(Competence, DRAFT_A), first(Indicator, DRAFT_A)
FRAMEWORK = framework_of(PUBLISHED_A)

MATRIX: dict[str, list[Case]] = {
    "frameworks:framework-list": [Case(at("frameworks:framework-list"), PAGE)],
    "frameworks:framework-adopt": [
        Case(at("frameworks:framework-adopt"), POST_ONLY),
        post(at("frameworks:framework-adopt"), PAGE, ADMINISTRATORS, slug="teacher-competences"),
    ],
    "frameworks:framework-create": [
        Case(at("frameworks:framework-create"), PAGE),
        post(at("frameworks:framework-create"), PAGE, ADMINISTRATORS, name="Matrixkader", audience="teachers"),
    ],
    "frameworks:framework-import": [
        Case(at("frameworks:framework-import"), PAGE),
        Case(
            at("frameworks:framework-import"),
            PAGE,
            method="post",
            data=matrix_upload,
            state=framework_rows,
            changes=ADMINISTRATORS,
            label="a Mahara matrix",
        ),
    ],
    "frameworks:framework-detail": [
        Case(at("frameworks:framework-detail", framework_id=FRAMEWORK), A_ONLY, label="board A"),
        Case(at("frameworks:framework-detail", framework_id=framework_of(DRAFT_B)), B_ONLY, label="board B"),
    ],
    "frameworks:framework-update": [
        Case(at("frameworks:framework-update", framework_id=FRAMEWORK), A_ONLY),
        post(
            at("frameworks:framework-update", framework_id=FRAMEWORK),
            A_ONLY,
            ADMIN_A,
            name="Hernoemd",
            audience="school_leaders",
            source="",
        ),
    ],
    "frameworks:framework-export": [
        Case(at("frameworks:framework-export", framework_id=FRAMEWORK), A_ONLY),
    ],
    "frameworks:version-create-draft": [
        Case(
            at("frameworks:version-create-draft", framework_id=FRAMEWORK),
            same_for_everyone(NOT_ALLOWED),
        ),
        post(at("frameworks:version-create-draft", framework_id=FRAMEWORK), A_ONLY, ADMIN_A),
    ],
    "frameworks:version-detail": [
        Case(v("frameworks:version-detail"), A_ONLY, label="a draft of board A"),
        Case(v("frameworks:version-detail", PUBLISHED_A), A_ONLY, label="published, board A"),
        Case(v("frameworks:version-detail", DRAFT_B), B_ONLY, label="a draft of board B"),
    ],
    "frameworks:version-export": [Case(v("frameworks:version-export", PUBLISHED_A), A_ONLY)],
    "frameworks:version-update": [
        Case(v("frameworks:version-update"), A_ONLY),
        post(v("frameworks:version-update"), A_ONLY, ADMIN_A, label="2030", scale_name="", notes=""),
    ],
    "frameworks:version-publish": [
        Case(v("frameworks:version-publish"), POST_ONLY),
        post(v("frameworks:version-publish"), A_ONLY, ADMIN_A),
        post(v("frameworks:version-publish", DRAFT_B), B_ONLY, ("outsider_admin",)),
    ],
    "frameworks:version-delete": [
        Case(v("frameworks:version-delete"), A_ONLY),
        post(v("frameworks:version-delete"), A_ONLY, ADMIN_A),
    ],
    "frameworks:scale-level-create": [
        Case(v("frameworks:scale-level-create"), A_ONLY),
        post(v("frameworks:scale-level-create"), A_ONLY, ADMIN_A, value="9", label="Matrix"),
    ],
    "frameworks:scale-level-update": [
        Case(v("frameworks:scale-level-update", level_id=LEVEL), A_ONLY),
        post(
            v("frameworks:scale-level-update", level_id=LEVEL),
            A_ONLY,
            ADMIN_A,
            value="1",
            label="Anders",
        ),
    ],
    "frameworks:scale-level-delete": [
        Case(v("frameworks:scale-level-delete", level_id=LEVEL), POST_ONLY),
        post(v("frameworks:scale-level-delete", level_id=LEVEL), A_ONLY, ADMIN_A),
    ],
    "frameworks:scale-level-move": [
        Case(v("frameworks:scale-level-move", level_id=LEVEL), POST_ONLY),
        post(v("frameworks:scale-level-move", level_id=LEVEL), A_ONLY, ADMIN_A, direction="down"),
    ],
    "frameworks:domain-create": [
        Case(v("frameworks:domain-create"), A_ONLY),
        post(v("frameworks:domain-create"), A_ONLY, ADMIN_A, code="MX", name="Matrixdomein"),
    ],
    "frameworks:domain-update": [
        Case(v("frameworks:domain-update", domain_id=DOMAIN), A_ONLY),
        post(v("frameworks:domain-update", domain_id=DOMAIN), A_ONLY, ADMIN_A, code="D1", name="X"),
    ],
    "frameworks:domain-delete": [
        Case(v("frameworks:domain-delete", domain_id=DOMAIN), POST_ONLY),
        post(v("frameworks:domain-delete", domain_id=DOMAIN), A_ONLY, ADMIN_A),
        post(v("frameworks:domain-delete", DRAFT_B, domain_id=first(Domain, DRAFT_B)), B_ONLY, ("outsider_admin",)),
    ],
    "frameworks:domain-move": [
        Case(v("frameworks:domain-move", domain_id=DOMAIN), POST_ONLY),
        post(v("frameworks:domain-move", domain_id=DOMAIN), A_ONLY, ADMIN_A, direction="down"),
    ],
    "frameworks:competence-create": [
        Case(v("frameworks:competence-create", domain_id=DOMAIN), A_ONLY),
        post(v("frameworks:competence-create", domain_id=DOMAIN), A_ONLY, ADMIN_A, name="Nieuw"),
    ],
    "frameworks:competence-update": [
        Case(v("frameworks:competence-update", competence_id=COMPETENCE), A_ONLY),
        post(
            v("frameworks:competence-update", competence_id=COMPETENCE),
            A_ONLY,
            ADMIN_A,
            code="D1.C1",
            name="Anders",
            domain=DOMAIN,
        ),
    ],
    "frameworks:competence-delete": [
        Case(v("frameworks:competence-delete", competence_id=COMPETENCE), same_for_everyone(NOT_ALLOWED)),
        post(v("frameworks:competence-delete", competence_id=COMPETENCE), A_ONLY, ADMIN_A),
    ],
    "frameworks:competence-move": [
        Case(v("frameworks:competence-move", competence_id=COMPETENCE), POST_ONLY),
        post(v("frameworks:competence-move", competence_id=COMPETENCE), A_ONLY, ADMIN_A, direction="down"),
    ],
    "frameworks:indicator-create": [
        Case(v("frameworks:indicator-create", competence_id=COMPETENCE), A_ONLY),
        post(v("frameworks:indicator-create", competence_id=COMPETENCE), A_ONLY, ADMIN_A, text="Nieuw"),
    ],
    "frameworks:indicator-update": [
        Case(v("frameworks:indicator-update", indicator_id=INDICATOR), A_ONLY),
        post(
            v("frameworks:indicator-update", indicator_id=INDICATOR),
            A_ONLY,
            ADMIN_A,
            code="D1.C1.I1",
            text="Anders",
        ),
    ],
    "frameworks:indicator-delete": [
        Case(v("frameworks:indicator-delete", indicator_id=INDICATOR), POST_ONLY),
        post(v("frameworks:indicator-delete", indicator_id=INDICATOR), A_ONLY, ADMIN_A),
    ],
    "frameworks:indicator-move": [
        Case(v("frameworks:indicator-move", indicator_id=INDICATOR), POST_ONLY),
        post(v("frameworks:indicator-move", indicator_id=INDICATOR), A_ONLY, ADMIN_A, direction="down"),
    ],
}
