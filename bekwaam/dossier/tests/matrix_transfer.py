"""Authorization matrix cases for the dossier export and import (merged by matrix_cases.py).

Every employee exports and imports their own dossier at their board (rule "dossier.view_own"); people
without a dossier of their own there (board roles, provider staff, the operator) are refused (403);
anonymous visitors are sent to sign in. An import adds to the importer's own dossier only.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from bekwaam.dossier.models import Reflection
from bekwaam.tenancy.tests.matrix import EMPLOYEES, INVALID, Case, World, at, expect

OWN_PAGE = expect(ok=EMPLOYEES)


def minimal_manifest() -> dict[str, Any]:
    """The smallest valid export: one reflection, no frameworks or files."""
    return {
        "format": "bekwaam-dossier",
        "schema_version": 1,
        "exported_at": "2025-06-01T10:00:00+02:00",
        "generator": "Bekwaam",
        "person": {"given_name": "Tom", "name_prefix": "", "family_name": "Leraar", "email": "tom@example.nl"},
        "frameworks": [],
        "measurements": [],
        "plans": [],
        "evidence": [],
        "reflections": [
            {
                "id": str(uuid.uuid4()),
                "title": "Meegenomen reflectie",
                "body": "Wat ik leerde bij mijn vorige school.",
                "written_on": "2024-05-01",
                "created_at": "2024-05-01T12:00:00+02:00",
                "competences": [],
                "goals": [],
                "themes": [],
                "evidence": [],
            }
        ],
    }


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def import_data(world: World) -> dict[str, Any]:
    data = zip_of({"manifest.json": json.dumps(minimal_manifest()).encode()})
    return {"file": SimpleUploadedFile("dossier.zip", data, "application/zip")}


def not_a_zip(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("dossier.zip", b"this is not a zip", "application/zip")}


def reflections_snapshot(world: World) -> object:
    with scopes_disabled():
        return sorted(Reflection.objects.values_list("person__email", "board_id", "title"))


MATRIX: dict[str, list[Case]] = {
    "dossier:export": [Case(at("dossier:export"), OWN_PAGE)],
    "dossier:export-zip": [Case(at("dossier:export-zip"), OWN_PAGE)],
    "dossier:export-pdf": [Case(at("dossier:export-pdf"), OWN_PAGE)],
    "dossier:import": [
        Case(at("dossier:import"), OWN_PAGE),
        Case(
            at("dossier:import"),
            OWN_PAGE,
            method="post",
            data=import_data,
            state=reflections_snapshot,
            changes=EMPLOYEES,
            label="a valid export",
        ),
        Case(
            at("dossier:import"),
            {**expect(), **dict.fromkeys(EMPLOYEES, INVALID)},
            method="post",
            data=not_a_zip,
            state=reflections_snapshot,
            label="not a ZIP",
        ),
    ],
}
