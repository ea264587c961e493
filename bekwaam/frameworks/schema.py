"""The framework file format ("bekwaam.framework", docs/frameworks.md): validation and serialisation.

One format for the shipped frameworks (defaults/*.json), import and export. `parse` checks a decoded
file completely and returns typed data, or raises one ValidationError that lists every problem with
its place in the file ("versions[1].domains[0].code: …"), so nothing is ever half-written. No
database access here: the services write what `parse` returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from bekwaam.frameworks.models import Audience, FrameworkKind

SCHEMA = "bekwaam.framework"
SCHEMA_VERSION = 1

# Bounds that keep an upload from filling the database; the largest real frameworks are far below.
MAX_VERSIONS = 20
MAX_SCALE_LEVELS = 20
MAX_DOMAINS = 100
MAX_COMPETENCES = 1000  # per version
MAX_INDICATORS = 5000  # per version
MAX_TEXT = 5000
MAX_SCALE_VALUE = 32767  # PositiveSmallIntegerField
MAX_ERRORS = 50  # reported; the rest is summed up

# Field lengths of the models (frameworks/models.py).
SLUG_MAX, NAME_MAX, LABEL_MAX, CODE_MAX, DOMAIN_NAME_MAX, COMPETENCE_NAME_MAX = 64, 200, 100, 32, 200, 300


@dataclass
class IndicatorData:
    code: str
    text: str


@dataclass
class CompetenceData:
    code: str
    name: str
    description: str = ""
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class DomainData:
    code: str
    name: str
    description: str = ""
    competences: list[CompetenceData] = field(default_factory=list)


@dataclass
class ScaleLevelData:
    value: int
    label: str
    description: str = ""


@dataclass
class VersionData:
    number: int | None
    label: str = ""
    notes: str = ""
    scale_name: str = ""
    scale: list[ScaleLevelData] = field(default_factory=list)
    domains: list[DomainData] = field(default_factory=list)


@dataclass
class FrameworkData:
    slug: str
    name: str
    audience: str
    source: str = ""
    versions: list[VersionData] = field(default_factory=list)
    # "competences" (a competence framework) or "observation" (a kijkwijzer); optional in a file.
    kind: str = FrameworkKind.COMPETENCES.value


# --- reading ---------------------------------------------------------------------------------------


def decode(content: bytes) -> Any:
    """The JSON value in an uploaded file; a ValidationError in words for anything that is not JSON."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not a text file in UTF-8.")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except (ValueError, RecursionError):  # absurdly long numbers or nesting
        raise ValidationError(_("The file is not valid JSON.")) from None


class _Reader:
    """Walks a decoded file and collects every problem with its path; never raises until `finish`."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def finish(self) -> None:
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            if len(self.errors) > MAX_ERRORS:
                shown.append(
                    _("… and %(count)s more problems.") % {"count": len(self.errors) - MAX_ERRORS},
                )
            raise ValidationError(shown)

    def obj(self, value: Any, path: str, keys: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, _("Must be an object ({…})."))
            return None
        for key in sorted(set(value) - keys, key=str):
            self.error(_join(path, str(key)), _("Unknown field."))
        return value

    def items(self, parent: dict[str, Any], key: str, path: str, limit: int) -> list[Any]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.error(_join(path, key), _("Must be a list ([…])."))
            return []
        if len(value) > limit:
            self.error(_join(path, key), _("Too many entries (at most %(max)s).") % {"max": limit})
            return value[:limit]
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, *, max_length: int, required: bool) -> str:
        value = parent.get(key)
        where = _join(path, key)
        if value is None:
            if required:
                self.error(where, _("This field is required."))
            return ""
        if not isinstance(value, str):
            self.error(where, _("Must be text."))
            return ""
        value = value.strip()
        if required and not value:
            self.error(where, _("Must not be empty."))
        if len(value) > max_length:
            self.error(where, _("Too long (at most %(max)s characters).") % {"max": max_length})
        return value

    def integer(
        self, parent: dict[str, Any], key: str, path: str, *, minimum: int, maximum: int, required: bool
    ) -> int | None:
        value = parent.get(key)
        where = _join(path, key)
        if value is None:
            if required:
                self.error(where, _("This field is required."))
            return None
        # bool is an int in Python, and 2.0 is a float in JSON: neither is a whole number here.
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, _("Must be a whole number."))
            return None
        if not minimum <= value <= maximum:
            self.error(where, _("Must be between %(min)s and %(max)s.") % {"min": minimum, "max": maximum})
            return None
        return int(value)

    def unique(self, seen: dict[str, str], key: str, path: str, what: str) -> None:
        """Report `key` when it was seen before (case-insensitively, as people read codes)."""
        if not key:
            return
        folded = key.casefold()
        if folded in seen:
            self.error(
                path,
                _("Duplicate %(what)s “%(code)s” (also at %(other)s).")
                % {"what": what, "code": key, "other": seen[folded]},
            )
        else:
            seen[folded] = path


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse(data: Any, *, complete: bool = True) -> FrameworkData:
    """Check a decoded framework file and return its content; ValidationError listing every problem.

    `complete` applies the publish rules to every version (at least one scale level and one domain,
    a competence in every domain, an indicator in every competence): shipped files and JSON imports
    become published versions. A converted Mahara matrix becomes a draft and is checked without them.
    A kijkwijzer ("kind": "observation") scores its items, not their look-fors: look-fors are optional.
    """
    reader = _Reader()
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError(
            _('This is not a Bekwaam framework file: the field "schema" must be "%(schema)s".') % {"schema": SCHEMA}
        )
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError(_('The field "schema_version" must be a whole number from 1.'))
    if version > SCHEMA_VERSION:
        raise ValidationError(
            _(
                "This file was made by a newer version of Bekwaam (format version %(found)s; this installation "
                "reads up to version %(supported)s). Update this installation, or export the framework again "
                "from an installation of the same version."
            )
            % {"found": version, "supported": SCHEMA_VERSION}
        )
    # Checked only now: unknown fields of a newer format are that format's, not mistakes in this one.
    top: dict[str, Any] = data
    reader.obj(top, "", {"schema", "schema_version", "slug", "name", "audience", "kind", "source", "versions"})

    slug = reader.text(top, "slug", "", max_length=SLUG_MAX, required=True)
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            reader.error("slug", _("Use only letters, digits, hyphens and underscores."))
    audience = reader.text(top, "audience", "", max_length=32, required=True)
    if audience and audience not in Audience.values:
        reader.error("audience", _("Must be one of: %(choices)s.") % {"choices": ", ".join(Audience.values)})
    kind = reader.text(top, "kind", "", max_length=32, required=False) or FrameworkKind.COMPETENCES.value
    if kind not in FrameworkKind.values:
        reader.error(
            "kind",
            _(
                "Unknown kind “%(kind)s”: use “competences” for a competence framework or “observation” for a "
                "kijkwijzer (lesson observation instrument)."
            )
            % {"kind": kind},
        )
    framework = FrameworkData(
        slug=slug,
        name=reader.text(top, "name", "", max_length=NAME_MAX, required=True),
        audience=audience,
        source=reader.text(top, "source", "", max_length=MAX_TEXT, required=False),
        kind=kind,
    )
    observation = kind == FrameworkKind.OBSERVATION
    raw_versions = reader.items(top, "versions", "", MAX_VERSIONS)
    if not raw_versions and "versions" in top:
        reader.error("versions", _("The file has no versions."))
    elif "versions" not in top:
        reader.error("versions", _("This field is required."))
    previous_number = 0
    for v, raw in enumerate(raw_versions):
        parsed = _version(reader, raw, f"versions[{v}]", complete=complete, observation=observation)
        if parsed is None:
            continue
        if parsed.number is not None:
            if parsed.number <= previous_number:
                reader.error(f"versions[{v}].number", _("Versions must be listed oldest first, numbers increasing."))
            previous_number = parsed.number
        framework.versions.append(parsed)
    numbered = [v.number is not None for v in framework.versions]
    if any(numbered) and not all(numbered):
        reader.error("versions", _("Give every version a number, or none."))
    reader.finish()
    return framework


def _version(reader: _Reader, raw: Any, path: str, *, complete: bool, observation: bool) -> VersionData | None:
    obj = reader.obj(raw, path, {"number", "label", "notes", "scale_name", "scale", "domains"})
    if obj is None:
        return None
    version = VersionData(
        number=reader.integer(obj, "number", path, minimum=1, maximum=2_000_000_000, required=False),
        label=reader.text(obj, "label", path, max_length=LABEL_MAX, required=False),
        notes=reader.text(obj, "notes", path, max_length=MAX_TEXT, required=False),
        scale_name=reader.text(obj, "scale_name", path, max_length=LABEL_MAX, required=False),
    )
    values: dict[str, str] = {}
    raw_scale = reader.items(obj, "scale", path, MAX_SCALE_LEVELS)
    if complete and not raw_scale:
        reader.error(_join(path, "scale"), _("The rating scale needs at least one level."))
    for s, raw_level in enumerate(raw_scale):
        where = f"{path}.scale[{s}]"
        level = reader.obj(raw_level, where, {"value", "label", "description"})
        if level is None:
            continue
        value = reader.integer(level, "value", where, minimum=0, maximum=MAX_SCALE_VALUE, required=True)
        if value is not None:
            reader.unique(values, str(value), _join(where, "value"), _("value"))
        version.scale.append(
            ScaleLevelData(
                value=value or 0,
                label=reader.text(level, "label", where, max_length=LABEL_MAX, required=True),
                description=reader.text(level, "description", where, max_length=MAX_TEXT, required=False),
            )
        )

    raw_domains = reader.items(obj, "domains", path, MAX_DOMAINS)
    if complete and not raw_domains:
        reader.error(_join(path, "domains"), _("A version needs at least one domain."))
    domain_codes: dict[str, str] = {}
    competence_codes: dict[str, str] = {}
    competence_count = indicator_count = 0
    for d, raw_domain in enumerate(raw_domains):
        where = f"{path}.domains[{d}]"
        domain_obj = reader.obj(raw_domain, where, {"code", "name", "description", "competences"})
        if domain_obj is None:
            continue
        domain = DomainData(
            code=reader.text(domain_obj, "code", where, max_length=CODE_MAX, required=True),
            name=reader.text(domain_obj, "name", where, max_length=DOMAIN_NAME_MAX, required=True),
            description=reader.text(domain_obj, "description", where, max_length=MAX_TEXT, required=False),
        )
        reader.unique(domain_codes, domain.code, _join(where, "code"), _("domain code"))
        raw_competences = reader.items(domain_obj, "competences", where, MAX_COMPETENCES)
        if complete and not raw_competences:
            reader.error(
                _join(where, "competences"),
                _("Every observation domain needs at least one item.")
                if observation
                else _("Every domain needs at least one competence."),
            )
        for c, raw_competence in enumerate(raw_competences):
            competence = _competence(
                reader,
                raw_competence,
                f"{where}.competences[{c}]",
                complete and not observation,  # a kijkwijzer's look-fors are optional
                competence_codes,
            )
            if competence is not None:
                domain.competences.append(competence)
                competence_count += 1
                indicator_count += len(competence.indicators)
        version.domains.append(domain)
    if competence_count > MAX_COMPETENCES:
        reader.error(path, _("Too many competences (at most %(max)s).") % {"max": MAX_COMPETENCES})
    if indicator_count > MAX_INDICATORS:
        reader.error(path, _("Too many indicators (at most %(max)s).") % {"max": MAX_INDICATORS})
    return version


def _competence(
    reader: _Reader, raw: Any, where: str, need_indicators: bool, codes: dict[str, str]
) -> CompetenceData | None:
    obj = reader.obj(raw, where, {"code", "name", "description", "indicators"})
    if obj is None:
        return None
    competence = CompetenceData(
        code=reader.text(obj, "code", where, max_length=CODE_MAX, required=True),
        name=reader.text(obj, "name", where, max_length=COMPETENCE_NAME_MAX, required=True),
        description=reader.text(obj, "description", where, max_length=MAX_TEXT, required=False),
    )
    # Competence codes identify a competence across the whole version (comparisons match on them).
    reader.unique(codes, competence.code, _join(where, "code"), _("competence code"))
    raw_indicators = reader.items(obj, "indicators", where, MAX_INDICATORS)
    if need_indicators and not raw_indicators:
        reader.error(
            _join(where, "indicators"),
            _("Every competence needs at least one indicator: indicators are what is rated."),
        )
    indicator_codes: dict[str, str] = {}
    for i, raw_indicator in enumerate(raw_indicators):
        at = f"{where}.indicators[{i}]"
        indicator = reader.obj(raw_indicator, at, {"code", "text"})
        if indicator is None:
            continue
        code = reader.text(indicator, "code", at, max_length=CODE_MAX, required=True)
        reader.unique(indicator_codes, code, _join(at, "code"), _("indicator code"))
        competence.indicators.append(
            IndicatorData(code=code, text=reader.text(indicator, "text", at, max_length=MAX_TEXT, required=True))
        )
    return competence


# --- writing ---------------------------------------------------------------------------------------


def version_to_dict(version: VersionData) -> dict[str, Any]:
    """One version as in a file; "number" only when it has one."""
    data: dict[str, Any] = {}
    if version.number is not None:
        data["number"] = version.number
    data.update(
        {
            "label": version.label,
            "notes": version.notes,
            "scale_name": version.scale_name,
            "scale": [{"value": s.value, "label": s.label, "description": s.description} for s in version.scale],
            "domains": [
                {
                    "code": d.code,
                    "name": d.name,
                    "description": d.description,
                    "competences": [
                        {
                            "code": c.code,
                            "name": c.name,
                            "description": c.description,
                            "indicators": [{"code": i.code, "text": i.text} for i in c.indicators],
                        }
                        for c in d.competences
                    ],
                }
                for d in version.domains
            ],
        }
    )
    return data


def framework_to_dict(framework: FrameworkData) -> dict[str, Any]:
    """The file for a framework: the same schema for a whole framework and for one exported version."""
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "slug": framework.slug,
        "name": framework.name,
        "audience": framework.audience,
        "kind": framework.kind,
        "source": framework.source,
        "versions": [version_to_dict(v) for v in framework.versions],
    }


def dumps(data: dict[str, Any]) -> bytes:
    """A framework file as UTF-8 bytes, readable (indented, accents as they are)."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
