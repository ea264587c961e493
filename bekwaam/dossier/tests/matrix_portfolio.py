"""Authorization matrix cases for the portfolio: evidence, reflections, files and the coverage map.

The teacher owns every item here. "shared" items are shared with their leidinggevende (the manager
persona); the others with nobody. Everyone but the owner (and, for shared items, the manager) gets
404 — including the beheerder, the bestuurder and the platform operator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bekwaam.dossier.models import Evidence, EvidenceKind, Reflection, Share, ShareAudience
from bekwaam.dossier.tests.test_uploads import pdf_bytes
from bekwaam.tenancy.tests.matrix import (
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

OWNER_ONLY = expect(ok=("teacher",), others=NOT_FOUND)
OWNER_AND_MANAGER = expect(ok=("teacher", "manager"), others=NOT_FOUND)
MATRIX_FILE = "evidence/matrix/certificaat.pdf"


def _evidence(world: World, title: str, *, shared: bool) -> str:
    """The teacher's evidence with a PDF (made once per world), shared with their manager or not."""
    item = Evidence.objects.filter(board=world.board_a, person=world.teacher, title=title).first()
    if item is None:
        item = Evidence(
            board=world.board_a,
            person=world.teacher,
            kind=EvidenceKind.CERTIFICATE,
            title=title,
            issuer="Matrix",
            issued_on=timezone.localdate(),
            original_name="certificaat.pdf",
            content_type="application/pdf",
            size=len(pdf_bytes()),
        )
        storage = Evidence._meta.get_field("file").storage  # type: ignore[union-attr]
        # One fixed file for every run (the rows are rolled back, the storage is not).
        if not storage.exists(MATRIX_FILE):
            storage.save(MATRIX_FILE, ContentFile(pdf_bytes()))
        item.file.name = MATRIX_FILE
        item.save()
        if shared:
            Share.objects.create(
                board=world.board_a,
                owner=world.teacher,
                audience=ShareAudience.MANAGER,
                section="portfolio",
                evidence=item,
            )
    return str(item.pk)


def private_evidence(world: World) -> str:
    return _evidence(world, "Matrix: private evidence", shared=False)


def shared_evidence(world: World) -> str:
    return _evidence(world, "Matrix: shared evidence", shared=True)


def _reflection(world: World, title: str, *, shared: bool) -> str:
    item = Reflection.objects.filter(board=world.board_a, person=world.teacher, title=title).first()
    if item is None:
        item = Reflection.objects.create(
            board=world.board_a, person=world.teacher, title=title, body="Tekst", written_on=timezone.localdate()
        )
        if shared:
            Share.objects.create(
                board=world.board_a,
                owner=world.teacher,
                audience=ShareAudience.MANAGER,
                section="portfolio",
                reflection=item,
            )
    return str(item.pk)


def private_reflection(world: World) -> str:
    return _reflection(world, "Matrix: private reflection", shared=False)


def shared_reflection(world: World) -> str:
    return _reflection(world, "Matrix: shared reflection", shared=True)


def teacher_id(world: World) -> str:
    return str(world.teacher.pk)


def teacher_id_shared(world: World) -> str:
    """The teacher, with (some of) their portfolio shared with their manager."""
    shared_evidence(world)
    return str(world.teacher.pk)


def with_query(build: Callable[[World], str], query: str) -> Callable[[World], str]:
    return lambda world: f"{build(world)}?{query}"


def evidence_count(world: World) -> object:
    return Evidence.objects.count()


def reflection_count(world: World) -> object:
    return Reflection.objects.count()


def titles(world: World) -> object:
    return sorted(
        [*Evidence.objects.values_list("title", flat=True), *Reflection.objects.values_list("title", flat=True)]
    )


def new_pdf(world: World) -> dict[str, Any]:
    return {"title": "Matrix upload", "file": SimpleUploadedFile("certificaat.pdf", pdf_bytes())}


def fake_pdf(world: World) -> dict[str, Any]:
    return {"title": "Matrix upload", "file": SimpleUploadedFile("certificaat.pdf", b"<html></html>")}


def new_reflection(world: World) -> dict[str, Any]:
    return {"title": "Matrix reflection", "body": "Tekst", "written_on": timezone.localdate().isoformat()}


def evidence_edit(world: World) -> dict[str, Any]:
    return {"title": "Matrix: changed", "issuer": "Matrix", "issued_on": timezone.localdate().isoformat()}


def reflection_edit(world: World) -> dict[str, Any]:
    return {"title": "Matrix: changed", "body": "Tekst", "written_on": timezone.localdate().isoformat()}


def _create_url(world: World) -> str:
    return str(reverse("dossier:evidence-create"))


MATRIX: dict[str, list[Case]] = {
    "dossier:evidence-list": [Case(at("dossier:evidence-list"), expect(ok=EMPLOYEES))],
    "dossier:evidence-create": [
        Case(with_query(_create_url, "kind=certificate"), expect(ok=EMPLOYEES)),
        Case(
            with_query(_create_url, "kind=document"),
            expect(ok=EMPLOYEES),
            method="post",
            data=new_pdf,
            state=evidence_count,
            changes=EMPLOYEES,
            label="a real PDF",
        ),
        Case(
            with_query(_create_url, "kind=document"),
            {**expect(), **dict.fromkeys(EMPLOYEES, INVALID)},
            method="post",
            data=fake_pdf,
            state=evidence_count,
            label="a PDF that is not one",
        ),
    ],
    "dossier:evidence-detail": [
        Case(at("dossier:evidence-detail", evidence_id=private_evidence), OWNER_ONLY, label="not shared"),
        Case(at("dossier:evidence-detail", evidence_id=shared_evidence), OWNER_AND_MANAGER, label="shared"),
    ],
    "dossier:evidence-file": [
        Case(at("dossier:evidence-file", evidence_id=private_evidence), OWNER_ONLY, label="not shared"),
        Case(at("dossier:evidence-file", evidence_id=shared_evidence), OWNER_AND_MANAGER, label="shared"),
        Case(
            with_query(at("dossier:evidence-file", evidence_id=shared_evidence), "inline=1"),
            OWNER_AND_MANAGER,
            label="shared, inline",
        ),
    ],
    "dossier:evidence-edit": [
        Case(at("dossier:evidence-edit", evidence_id=shared_evidence), OWNER_ONLY, label="shared: still the owner's"),
        Case(
            at("dossier:evidence-edit", evidence_id=shared_evidence),
            OWNER_ONLY,
            method="post",
            data=evidence_edit,
            state=titles,
            changes=("teacher",),
        ),
    ],
    "dossier:evidence-delete": [
        Case(
            at("dossier:evidence-delete", evidence_id=shared_evidence),
            OWNER_ONLY,
            method="post",
            state=evidence_count,
            changes=("teacher",),
        ),
        Case(at("dossier:evidence-delete", evidence_id=private_evidence), same_for_everyone(NOT_ALLOWED)),
    ],
    "dossier:reflection-create": [
        Case(at("dossier:reflection-create"), expect(ok=EMPLOYEES)),
        Case(
            at("dossier:reflection-create"),
            expect(ok=EMPLOYEES),
            method="post",
            data=new_reflection,
            state=reflection_count,
            changes=EMPLOYEES,
        ),
    ],
    "dossier:reflection-detail": [
        Case(at("dossier:reflection-detail", reflection_id=private_reflection), OWNER_ONLY, label="not shared"),
        Case(at("dossier:reflection-detail", reflection_id=shared_reflection), OWNER_AND_MANAGER, label="shared"),
    ],
    "dossier:reflection-edit": [
        Case(at("dossier:reflection-edit", reflection_id=shared_reflection), OWNER_ONLY),
        Case(
            at("dossier:reflection-edit", reflection_id=shared_reflection),
            OWNER_ONLY,
            method="post",
            data=reflection_edit,
            state=titles,
            changes=("teacher",),
        ),
    ],
    "dossier:reflection-delete": [
        Case(
            at("dossier:reflection-delete", reflection_id=shared_reflection),
            OWNER_ONLY,
            method="post",
            state=reflection_count,
            changes=("teacher",),
        ),
        Case(at("dossier:reflection-delete", reflection_id=private_reflection), same_for_everyone(NOT_ALLOWED)),
    ],
    "dossier:coverage": [Case(at("dossier:coverage"), expect(ok=EMPLOYEES))],
    "dossier:person-coverage": [
        Case(
            at("dossier:person-coverage", person_id=teacher_id),
            expect(ok=(), others=NOT_FOUND),
            label="nothing shared",
        ),
        Case(
            at("dossier:person-coverage", person_id=teacher_id_shared),
            expect(ok=("manager",), others=NOT_FOUND),
            label="portfolio shared with the manager",
        ),
    ],
}
