"""The frameworks and kijkwijzers Bekwaam ships (defaults/*.json): found by slug, read and checked once per process."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from bekwaam.frameworks import schema
from bekwaam.frameworks.models import FrameworkKind

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"


@dataclass(frozen=True)
class ShippedFramework:
    slug: str
    name: str
    audience: str
    source: str
    version_labels: tuple[str, ...]
    kind: str  # FrameworkKind: a competence framework or a kijkwijzer

    @property
    def kind_label(self) -> str:
        return str(FrameworkKind(self.kind).label)

    @property
    def is_kijkwijzer(self) -> bool:
        return self.kind == FrameworkKind.OBSERVATION


@cache
def _raw(slug: str) -> dict[str, Any]:
    path = DEFAULTS_DIR / f"{slug}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def shipped_frameworks() -> tuple[ShippedFramework, ...]:
    """Every shipped framework, by name; a broken file fails loudly here (tests read them all)."""
    found = []
    for path in sorted(DEFAULTS_DIR.glob("*.json")):
        parsed = schema.parse(_raw(path.stem))
        if parsed.slug != path.stem:
            raise ImproperlyConfigured(f"{path.name}: its slug {parsed.slug!r} must match the file name")
        found.append(
            ShippedFramework(
                slug=parsed.slug,
                name=parsed.name,
                audience=parsed.audience,
                source=parsed.source,
                version_labels=tuple(v.label for v in parsed.versions),
                kind=parsed.kind,
            )
        )
    return tuple(sorted(found, key=lambda f: f.name))


def shipped_slugs(*, kind: str | None = None) -> tuple[str, ...]:
    """The codes of the shipped frameworks (of one FrameworkKind when `kind` is given)."""
    return tuple(f.slug for f in shipped_frameworks() if kind is None or f.kind == kind)


def shipped_data(slug: str) -> dict[str, Any] | None:
    """The decoded file of a shipped framework (a fresh copy), or None when Bekwaam ships no such slug."""
    if slug not in shipped_slugs():
        return None
    return copy.deepcopy(_raw(slug))
