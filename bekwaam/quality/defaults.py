"""The shipped onderzoekskader (quality/defaults/onderzoekskader.json) and the one loader that writes it.

The loader takes the model classes as arguments, so the data migration runs it with the historical
models of `apps.get_model` and `manage.py quality_frameworks_load` with the real ones; this module
imports no models (a migration may import it without loading the app's code).

It upserts by code: a framework by its code, an area and a standard by (framework, code). Running it
twice changes nothing the second time. A standard of a shipped version that is no longer in the file
is removed only when nothing refers to it (a self-evaluation, an inspection judgement, a herstelopdracht,
a school visit, an improvement goal); one in use is kept and reported, so an old record never loses
the standard it was judged on. Frameworks that are not in the file (added by the operator) are left alone.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ONDERZOEKSKADER_FILE = Path(__file__).resolve().parent / "defaults" / "onderzoekskader.json"
SCHEMA = "bekwaam.onderzoekskader"
SCHEMA_VERSION = 1
LEVELS = ("school", "board")


@dataclass(frozen=True)
class ShippedStandard:
    code: str
    name: str
    description: str
    is_core: bool


@dataclass(frozen=True)
class ShippedArea:
    code: str
    name: str
    level: str
    standards: tuple[ShippedStandard, ...]


@dataclass(frozen=True)
class ShippedFramework:
    code: str
    name: str
    valid_from: datetime.date
    source: str
    notes: str
    areas: tuple[ShippedArea, ...]

    @property
    def standards(self) -> tuple[ShippedStandard, ...]:
        return tuple(standard for area in self.areas for standard in area.standards)


@dataclass(frozen=True)
class Onderzoekskader:
    source: str
    frameworks: tuple[ShippedFramework, ...]


def onderzoekskader_parse(data: dict[str, Any]) -> Onderzoekskader:
    """The file's content, checked: a broken file fails loudly (ValueError) before anything is written."""
    if data.get("schema") != SCHEMA or data.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"not an onderzoekskader file of schema version {SCHEMA_VERSION}")
    frameworks: list[ShippedFramework] = []
    for f in data["frameworks"]:
        areas: list[ShippedArea] = []
        for a in f["areas"]:
            if a["level"] not in LEVELS:
                raise ValueError(f"{f['code']} {a['code']}: level must be one of {LEVELS}")
            standards = tuple(
                ShippedStandard(
                    code=str(s["code"]).strip(),
                    name=str(s["name"]).strip(),
                    description=str(s.get("description", "")).strip(),
                    is_core=bool(s.get("core", False)),
                )
                for s in a["standards"]
            )
            code = str(a["code"]).strip()
            areas.append(ShippedArea(code=code, name=a["name"], level=a["level"], standards=standards))
        framework = ShippedFramework(
            code=str(f["code"]).strip(),
            name=f["name"],
            valid_from=datetime.date.fromisoformat(f["valid_from"]),
            source=f.get("source", ""),
            notes=f.get("notes", ""),
            areas=tuple(areas),
        )
        for what, codes in (
            ("area", [area.code for area in framework.areas]),
            ("standard", [standard.code for standard in framework.standards]),
        ):
            doubles = sorted({code for code in codes if codes.count(code) > 1})
            if doubles:
                raise ValueError(f"{framework.code}: {what} codes appear twice: {', '.join(doubles)}")
        frameworks.append(framework)
    codes = [framework.code for framework in frameworks]
    if len(set(codes)) != len(codes):
        raise ValueError("two frameworks share a code")
    return Onderzoekskader(source=data.get("source", ""), frameworks=tuple(frameworks))


@cache
def shipped_onderzoekskader() -> Onderzoekskader:
    """quality/defaults/onderzoekskader.json, read and checked once per process."""
    return onderzoekskader_parse(json.loads(ONDERZOEKSKADER_FILE.read_text(encoding="utf-8")))


@dataclass
class LoadReport:
    """What a load did, for the management command's output and the tests."""

    frameworks_created: int = 0
    areas_created: int = 0
    standards_created: int = 0
    standards_updated: int = 0
    standards_removed: list[str] = field(default_factory=list)
    standards_kept_in_use: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.frameworks_created
            or self.areas_created
            or self.standards_created
            or self.standards_updated
            or self.standards_removed
        )


def standards_in_use(standard_model: Any, ids: list[int]) -> set[int]:
    """The ids among `ids` that any row refers to (foreign keys and many-to-many fields alike)."""
    used: set[int] = set()
    if not ids:
        return used
    # include_hidden: the foreign keys to a standard have related_name "+", which hides them from related_objects.
    relations = [
        field
        for field in standard_model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and not field.related_model._meta.auto_created
    ]
    for relation in relations:
        name = relation.field.name
        # The base manager: the models that refer to a standard are scoped per board (django-scopes),
        # and this check is about every board at once.
        rows = relation.related_model._base_manager.filter(**{f"{name}__in": ids}).values_list(name, flat=True)
        used.update(rows)
    return used


def onderzoekskader_load(
    *,
    framework_model: Any,
    area_model: Any,
    standard_model: Any,
    kader: Onderzoekskader | None = None,
) -> LoadReport:
    """Write the shipped onderzoekskader with the given model classes; idempotent, never deletes a standard in use.

    The caller runs it in a transaction (a migration does; the management command opens one).
    """
    kader = kader or shipped_onderzoekskader()
    report = LoadReport()
    for shipped in kader.frameworks:
        framework, created = framework_model.objects.update_or_create(
            code=shipped.code,
            defaults={
                "name": shipped.name,
                "valid_from": shipped.valid_from,
                "source": shipped.source,
                "notes": shipped.notes,
            },
        )
        report.frameworks_created += int(created)
        existing_areas = {area.code: area for area in area_model.objects.filter(framework=framework)}
        existing = {standard.code: standard for standard in standard_model.objects.filter(framework=framework)}
        position = 0
        for area_position, shipped_area in enumerate(shipped.areas, start=1):
            area = existing_areas.get(shipped_area.code)
            if area is None:
                area = area_model.objects.create(
                    framework=framework,
                    code=shipped_area.code,
                    name=shipped_area.name,
                    level=shipped_area.level,
                    position=area_position,
                )
                report.areas_created += 1
            elif (area.name, area.level, area.position) != (shipped_area.name, shipped_area.level, area_position):
                area.name, area.level, area.position = shipped_area.name, shipped_area.level, area_position
                area.save(update_fields=["name", "level", "position"])
            for shipped_standard in shipped_area.standards:
                position += 1
                wanted = {
                    "area_id": area.pk,
                    "name": shipped_standard.name,
                    "description": shipped_standard.description,
                    "is_core": shipped_standard.is_core,
                    "position": position,
                }
                standard = existing.pop(shipped_standard.code, None)
                if standard is None:
                    standard_model.objects.create(framework=framework, code=shipped_standard.code, **wanted)
                    report.standards_created += 1
                elif any(getattr(standard, key) != value for key, value in wanted.items()):
                    for key, value in wanted.items():
                        setattr(standard, key, value)
                    standard.save(update_fields=[key.removesuffix("_id") for key in wanted])
                    report.standards_updated += 1
        # What is left was taken out of the file: remove it unless an old record was judged on it.
        leftover = list(existing.values())
        in_use = standards_in_use(standard_model, [standard.pk for standard in leftover])
        for standard in leftover:
            label = f"{shipped.code} {standard.code}"
            if standard.pk in in_use:
                report.standards_kept_in_use.append(label)
            else:
                standard.delete()
                report.standards_removed.append(label)
        shipped_codes = {shipped_area.code for shipped_area in shipped.areas}
        for code, area in existing_areas.items():
            if code not in shipped_codes and not standard_model.objects.filter(area=area).exists():
                area.delete()
    return report
