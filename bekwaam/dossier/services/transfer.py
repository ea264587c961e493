"""What the dossier export and import share: the manifest format, its schema check, framework fingerprints.

The export (services/transfer_export.py) writes a ZIP with manifest.json, index.html and the files;
the import (services/transfer_import.py) reads the same ZIP into another board or installation.
docs/dossier-export.md describes the format field by field; the JSON Schema is
bekwaam/dossier/defaults/manifest.schema.json, checked here by a small validator for the subset
of JSON Schema it uses (no extra dependency).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from bekwaam.frameworks.models import Competence, FrameworkVersion

FORMAT = "bekwaam-dossier"
SCHEMA_VERSION = 1  # raise on any change to the manifest's shape; the import refuses newer versions
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "defaults" / "manifest.schema.json"

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
FILES_FOLDER = "files"

# A manifest larger than this is not a dossier: refused before it is parsed.
MANIFEST_MAX_BYTES = 50 * 1024 * 1024
# More entries than this is not a dossier either (the bench's large dossiers have ~200 files).
MAX_ENTRIES = 20_000
# An entry that inflates more than this is refused as a ZIP bomb. Our own export deflates JSON and
# HTML about 10:1; PDFs, images and Office files (already compressed) about 1:1.
MAX_COMPRESSION_RATIO = 200
# Small entries cannot blow up anything, whatever their ratio (an empty deflated file has ratio 0).
RATIO_CHECK_FROM_BYTES = 64 * 1024


# --- names -------------------------------------------------------------------------------------


def safe_file_name(name: str, *, fallback: str = "bestand") -> str:
    """A file name that is safe in a ZIP and on any file system: no folders, no control characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ]+", "_", base, flags=re.UNICODE).strip(" ._")
    if not base:
        base = fallback
    if len(base) > 100:
        stem, dot, extension = base.rpartition(".")
        base = f"{stem[: 99 - len(extension)]}.{extension}" if dot and len(extension) <= 10 else base[:100]
    return base


def entry_name_problem(name: str) -> bool:
    """True for a ZIP entry name that could point outside the folder it is unpacked in."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part in ("..", ".") for part in name.split("/")[:-1]) or name.split("/")[-1] in ("..", ".")


# --- the schema --------------------------------------------------------------------------------


@cache
def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of the manifest (schema version SCHEMA_VERSION)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@dataclass(frozen=True)
class SchemaProblem:
    """One place where a document does not match the schema: a path like `evidence[2].title`."""

    path: str
    problem: str  # a code, see PROBLEM_CODES
    detail: str = ""


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False  # JSON's true is not a number, although Python's bool is an int
    return isinstance(value, _JSON_TYPES[name])


def _format_ok(value: str, fmt: str) -> bool:
    try:
        if fmt == "date":
            datetime.date.fromisoformat(value)
            return len(value) == 10
        if fmt == "date-time":
            # A timestamp without its offset is ambiguous: the schema requires one.
            moment = datetime.datetime.fromisoformat(value)
            moment.astimezone(datetime.UTC)  # year 1 at +02:00 is out of range in UTC
            return "T" in value and moment.tzinfo is not None
        if fmt == "uuid":
            uuid.UUID(value)
            return len(value) == 36
        if fmt == "email":
            validate_email(value)
            return True
    except (ValueError, OverflowError, ValidationError):
        return False
    return True  # an unknown format is not checked, as JSON Schema prescribes


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        reference: str = schema["$ref"]
        if not reference.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {reference}")
        schema = root["$defs"][reference.removeprefix("#/$defs/")]
    return schema


def schema_problems(
    value: Any, schema: Mapping[str, Any] | None = None, *, path: str = "", limit: int = 50
) -> list[SchemaProblem]:
    """Where `value` does not match the schema (the manifest schema by default); at most `limit`."""
    root = manifest_schema() if schema is None else schema
    problems: list[SchemaProblem] = []
    for problem in _walk(value, root, root, path):
        problems.append(problem)
        if len(problems) >= limit:
            break
    return problems


def _walk(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: str) -> Iterator[SchemaProblem]:
    schema = _resolve(schema, root)
    here = path or "manifest"
    if "anyOf" in schema:
        branches = [_resolve(branch, root) for branch in schema["anyOf"]]
        if any(not next(_walk(value, branch, root, path), None) for branch in branches):
            return
        # Report the branch meant for this kind of value (e.g. the object, not the null).
        fitting = [b for b in branches if "type" not in b or any(_is_type(value, t) for t in _types(b))]
        if fitting:
            yield from _walk(value, fitting[-1], root, path)
        else:
            yield SchemaProblem(here, "type", "/".join(t for b in branches for t in _types(b)))
        return
    if "type" in schema and not any(_is_type(value, name) for name in _types(schema)):
        yield SchemaProblem(here, "type", "/".join(_types(schema)))
        return
    if "const" in schema and value != schema["const"]:
        yield SchemaProblem(here, "const", json.dumps(schema["const"]))
        return
    if "enum" in schema and value not in schema["enum"]:
        yield SchemaProblem(here, "enum", ", ".join(json.dumps(option) for option in schema["enum"]))
        return
    if isinstance(value, str):
        yield from _string_problems(value, schema, here)
    elif _is_type(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            yield SchemaProblem(here, "minimum", str(schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            yield SchemaProblem(here, "maximum", str(schema["maximum"]))
    elif isinstance(value, dict):
        yield from _object_problems(value, schema, root, path)
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _walk(item, schema["items"], root, f"{path}[{index}]")


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _string_problems(value: str, schema: Mapping[str, Any], here: str) -> Iterator[SchemaProblem]:
    if "minLength" in schema and len(value) < schema["minLength"]:
        yield SchemaProblem(here, "min_length", str(schema["minLength"]))
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        yield SchemaProblem(here, "max_length", str(schema["maxLength"]))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        yield SchemaProblem(here, "pattern", schema["pattern"])
    if "format" in schema and not _format_ok(value, schema["format"]):
        yield SchemaProblem(here, "format", schema["format"])


def _object_problems(
    value: dict[str, Any], schema: Mapping[str, Any], root: Mapping[str, Any], path: str
) -> Iterator[SchemaProblem]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            yield SchemaProblem(f"{path}.{name}" if path else name, "required")
    if schema.get("additionalProperties") is False:
        for name in value:
            if name not in properties:
                yield SchemaProblem(f"{path}.{name}" if path else str(name), "additional")
    for name, subschema in properties.items():
        if name in value:
            yield from _walk(value[name], subschema, root, f"{path}.{name}" if path else name)


def null_character_paths(value: Any, path: str = "") -> Iterator[str]:
    """Where a string holds a NUL character, which no database text column accepts (PostgreSQL refuses it)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "manifest"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from null_character_paths(key, path)
            yield from null_character_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from null_character_paths(item, f"{path}[{index}]")


# --- framework fingerprints ---------------------------------------------------------------------


def framework_fingerprint(entry: Mapping[str, Any]) -> str:
    """A hash of a framework version's content as in the manifest: scale, codes and texts (not names of the
    framework, positions, label or notes). Two versions with the same fingerprint rate the same things."""
    content = {
        "scale": sorted((level["value"], level["label"], level["description"]) for level in entry["scale"]),
        "domains": sorted(
            (
                domain["code"],
                domain["name"],
                domain["description"],
                sorted(
                    (
                        competence["code"],
                        competence["name"],
                        competence["description"],
                        sorted((indicator["code"], indicator["text"]) for indicator in competence["indicators"]),
                    )
                    for competence in domain["competences"]
                ),
            )
            for domain in entry["domains"]
        ),
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# --- manifest entries shared by export and import ------------------------------------------------


def iso(value: datetime.datetime | datetime.date | None) -> str | None:
    """A date as YYYY-MM-DD, a moment in local time with its offset; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def competence_ref(competence: Competence) -> dict[str, Any]:
    """How the manifest names a competence: its framework's slug, the version number and its code."""
    return {
        "framework": competence.version.framework.slug,
        "version": competence.version.number,
        "code": competence.code,
    }


def framework_entry(version: FrameworkVersion) -> dict[str, Any]:
    """A framework version's full content as the manifest has it (prefetched as in
    selectors.transfer.framework_versions_with_content)."""
    framework = version.framework
    return {
        "slug": framework.slug,
        "name": framework.name,
        "audience": framework.audience,
        "source": framework.source,
        "version": version.number,
        "label": version.label,
        "status": version.status,
        "published_at": iso(version.published_at),
        "scale_name": version.scale_name,
        "notes": version.notes,
        "scale": [
            {"value": level.value, "label": level.label, "description": level.description}
            for level in sorted(version.scale_levels.all(), key=lambda level: level.value)
        ],
        "domains": [
            {
                "code": domain.code,
                "name": domain.name,
                "description": domain.description,
                "position": domain.position,
                "competences": [
                    {
                        "code": competence.code,
                        "name": competence.name,
                        "description": competence.description,
                        "position": competence.position,
                        "indicators": [
                            {"code": indicator.code, "text": indicator.text, "position": indicator.position}
                            for indicator in competence.indicators.all()
                        ],
                    }
                    for competence in domain.competences.all()
                ],
            }
            for domain in version.domains.all()
        ],
    }
