"""Import of a dossier export ZIP into the signed-in person's dossier at their active board.

Three stages, and nothing is written before the last:
1. The ZIP itself, from its headers only (nothing unpacked): entry count, names (no `..`, absolute
   paths or backslashes), encryption, compression method, total unpacked size and compression ratio.
2. The manifest (bounded read): JSON, format, schema version (newer ones are refused), the JSON
   Schema, then the meaning: unique ids, references that resolve, ratings on their scale, dates in
   order, and each file: present, the declared size, the same sha256, and a type the portfolio
   accepts that matches the manifest (uploads.evidence_file_check, by content).
3. One transaction writes everything with new ids and remapped references. Framework versions are
   reused when the board has one with the same slug and content (fingerprint), else created
   (docs/dossier-export.md). Files are stored only now; on any error the stored ones are deleted.

Every problem is reported per entry ("Evidence 3 (Diploma pabo): the file is missing from the ZIP.").
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import itertools
import json
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import (
    Action,
    DevelopmentPlan,
    Evidence,
    EvidenceKind,
    Goal,
    GoalComment,
    GoalPhaseChange,
    Rating,
    Reflection,
    SelfAssessment,
)
from bekwaam.dossier.selectors.transfer import framework_versions_with_content, frameworks_for_import
from bekwaam.dossier.services.transfer import (
    FORMAT,
    INDEX_NAME,
    MANIFEST_MAX_BYTES,
    MANIFEST_NAME,
    MAX_COMPRESSION_RATIO,
    MAX_ENTRIES,
    RATIO_CHECK_FROM_BYTES,
    SCHEMA_VERSION,
    SchemaProblem,
    entry_name_problem,
    framework_entry,
    framework_fingerprint,
    null_character_paths,
    schema_problems,
)
from bekwaam.dossier.uploads import evidence_file_check
from bekwaam.frameworks.models import (
    Competence,
    Domain,
    Framework,
    FrameworkKind,
    FrameworkVersion,
    Indicator,
    ScaleLevel,
    VersionStatus,
)
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

MAX_MESSAGES = 50
URL_SCHEMES = ["http", "https"]  # as the portfolio form accepts
CHUNK_BYTES = 1024 * 1024

Row = TypeVar("Row", bound=models.Model)


@dataclass
class ImportResult:
    """What an import added, for the result page (plain data: it is kept in the session)."""

    measurements: int = 0
    plans: int = 0
    goals: int = 0
    evidence: int = 0
    files: int = 0
    reflections: int = 0
    frameworks_reused: list[str] = field(default_factory=list)
    frameworks_created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _refuse(*messages: str) -> ValidationError:
    return ValidationError(list(messages), code="invalid")


# --- stage 1: the ZIP ------------------------------------------------------------------------------


def _zip_open(upload: File[bytes]) -> zipfile.ZipFile:
    limit: int = settings.DOSSIER_IMPORT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise _refuse(
            _("The file is larger than %(limit)s, the most a dossier import may be.") % {"limit": filesizeformat(limit)}
        )
    try:
        upload.seek(0)
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise _refuse(
            _("This is not a ZIP file. Upload the ZIP file you downloaded with “Download my dossier”.")
        ) from None


def _entries_checked(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The ZIP's entries by name, after checks on their headers alone (nothing is unpacked)."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(
            _("The ZIP holds more than %(count)s files; that is not a dossier export.") % {"count": MAX_ENTRIES}
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    limit: int = settings.DOSSIER_IMPORT_MAX_BYTES
    for info in infos:
        name = info.filename
        shown = name[:80].encode("unicode_escape").decode("ascii")
        if entry_name_problem(info.orig_filename) or entry_name_problem(name):
            raise _refuse(
                _("The ZIP contains a file name that points outside the dossier (“%(name)s”); it is not imported.")
                % {"name": shown}
            )
        if name in entries:
            raise _refuse(_("The ZIP contains the file “%(name)s” twice.") % {"name": shown})
        if info.flag_bits & 0x1:
            raise _refuse(_("The ZIP is protected with a password; export the dossier again without one."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(_("The ZIP uses a compression method Bekwaam does not read (“%(name)s”).") % {"name": shown})
        if (
            info.file_size >= RATIO_CHECK_FROM_BYTES
            and info.file_size > max(info.compress_size, 1) * MAX_COMPRESSION_RATIO
        ):
            raise _refuse(
                _("The ZIP is refused: “%(name)s” unpacks to far more than it takes packed (a “ZIP bomb”).")
                % {"name": shown}
            )
        total += info.file_size
        if total > limit:
            raise _refuse(
                _("The ZIP unpacks to more than %(limit)s, the most a dossier import may be.")
                % {"limit": filesizeformat(limit)}
            )
        entries[name] = info
    return entries


# --- stage 2: the manifest --------------------------------------------------------------------------

PROBLEM_TEXTS: dict[str, Callable[[str], str]] = {
    "required": lambda detail: _("is missing"),
    "additional": lambda detail: _("is not a field of this format"),
    "type": lambda detail: _("has the wrong type (expected: %(expected)s)") % {"expected": detail},
    "const": lambda detail: _("has a value that is not allowed (allowed: %(allowed)s)") % {"allowed": detail},
    "enum": lambda detail: _("has a value that is not allowed (allowed: %(allowed)s)") % {"allowed": detail},
    "min_length": lambda detail: _("is too short (at least %(count)s characters)") % {"count": detail},
    "max_length": lambda detail: _("is too long (at most %(count)s characters)") % {"count": detail},
    "pattern": lambda detail: _("has a form that is not allowed"),
    "format": lambda detail: _("is not a valid %(format)s") % {"format": detail},
    "minimum": lambda detail: _("is smaller than %(minimum)s") % {"minimum": detail},
    "maximum": lambda detail: _("is larger than %(maximum)s") % {"maximum": detail},
}


def schema_problem_text(problem: SchemaProblem) -> str:
    """A schema problem in words: "manifest.json, evidence[2].title: is missing"."""
    return _("manifest.json, %(path)s: %(problem)s") % {
        "path": problem.path,
        "problem": PROBLEM_TEXTS[problem.problem](problem.detail),
    }


def _manifest_read(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo]) -> dict[str, Any]:
    info = entries.get(MANIFEST_NAME)
    if info is None:
        raise _refuse(_("The ZIP has no manifest.json: it is not a dossier export of Bekwaam."))
    if info.file_size > MANIFEST_MAX_BYTES:
        raise _refuse(_("manifest.json is too large (%(size)s).") % {"size": filesizeformat(info.file_size)})
    try:
        with archive.open(info) as source:
            raw = source.read(MANIFEST_MAX_BYTES + 1)
        manifest = json.loads(raw.decode("utf-8"))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise _refuse(_("The ZIP is damaged: manifest.json cannot be read.")) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(_("manifest.json is not valid JSON.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(_("manifest.json is not the manifest of a Bekwaam dossier export."))
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse(_("manifest.json has an unknown format version (%(version)s).") % {"version": str(version)[:20]})
    if version > SCHEMA_VERSION:
        raise _refuse(
            _(
                "This export was made by a newer version of Bekwaam (format version %(version)s); this "
                "installation reads format version %(supported)s. Ask your administrator to update Bekwaam."
            )
            % {"version": version, "supported": SCHEMA_VERSION}
        )
    problems = schema_problems(manifest, limit=MAX_MESSAGES)
    if problems:
        raise _refuse(*(schema_problem_text(problem) for problem in problems))
    nul = list(itertools.islice(null_character_paths(manifest), MAX_MESSAGES))
    if nul:
        raise _refuse(*(_("manifest.json, %(path)s: contains a NUL character") % {"path": path} for path in nul))
    return manifest


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:57]}…"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _at(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


FrameworkKey = tuple[str, int]


@dataclass
class _Framework:
    """One framework version of the manifest, indexed for checking references."""

    entry: dict[str, Any]
    competences: set[str]
    indicators: set[tuple[str, str]]
    levels: set[int]


@dataclass
class _FileCheck:
    info: zipfile.ZipInfo
    name: str
    content_type: str


class _Checker:
    """Stage 2's meaning checks: collects every problem, per entry, and what stage 3 needs."""

    def __init__(self, manifest: dict[str, Any], archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo]):
        self.manifest = manifest
        self.archive = archive
        self.entries = entries
        self.messages: list[str] = []
        self.frameworks: dict[FrameworkKey, _Framework] = {}
        self.files: dict[str, _FileCheck] = {}  # by evidence id
        self.evidence_ids = {item["id"] for item in manifest["evidence"]}
        self.measurement_ids = {item["id"] for item in manifest["measurements"]}
        self.goal_ids = {goal["id"] for plan in manifest["plans"] for goal in plan["goals"]}

    def add(self, entry: str, problem: str) -> None:
        self.messages.append(_("%(entry)s: %(problem)s") % {"entry": entry, "problem": problem})

    def run(self) -> None:
        self._ids_unique()
        self._frameworks()
        for number, measurement in enumerate(self.manifest["measurements"], start=1):
            self._measurement(number, measurement)
        for number, plan in enumerate(self.manifest["plans"], start=1):
            self._plan(number, plan)
        used_paths: set[str] = set()
        for number, item in enumerate(self.manifest["evidence"], start=1):
            self._evidence(number, item, used_paths)
        for number, reflection in enumerate(self.manifest["reflections"], start=1):
            self._reflection(number, reflection)

    # ids and references

    def _ids_unique(self) -> None:
        ids: list[tuple[str, str]] = []
        for number, item in enumerate(self.manifest["measurements"], start=1):
            ids.append((item["id"], _("Measurement %(number)s") % {"number": number}))
        for number, plan in enumerate(self.manifest["plans"], start=1):
            ids.append((plan["id"], self._plan_label(number, plan)))
            for goal_number, goal in enumerate(plan["goals"], start=1):
                label = self._goal_label(number, goal_number, goal)
                ids.append((goal["id"], label))
                ids.extend((action["id"], label) for action in goal["actions"])
                ids.extend((comment["id"], label) for comment in goal["comments"])
        for number, item in enumerate(self.manifest["evidence"], start=1):
            ids.append((item["id"], self._evidence_label(number, item)))
        for number, item in enumerate(self.manifest["reflections"], start=1):
            ids.append((item["id"], self._reflection_label(number, item)))
        counts = Counter(UUID(identifier) for identifier, _label in ids)
        reported: set[UUID] = set()
        for identifier, label in ids:
            key = UUID(identifier)
            if counts[key] > 1 and key not in reported:
                reported.add(key)
                self.add(label, _("its id %(id)s is used more than once in the manifest.") % {"id": identifier})

    def _refs_check(self, label: str, refs: Iterable[Mapping[str, Any]]) -> None:
        for ref in refs:
            framework = self.frameworks.get((ref["framework"], ref["version"]))
            if framework is None:
                self.add(
                    label,
                    _("it names framework %(slug)s version %(version)s, which is not in the manifest.")
                    % {"slug": ref["framework"], "version": ref["version"]},
                )
            elif ref["code"] not in framework.competences:
                self.add(
                    label,
                    _("it names competence %(code)s, which framework %(slug)s version %(version)s does not have.")
                    % {"code": ref["code"], "slug": ref["framework"], "version": ref["version"]},
                )

    def _ids_check(self, label: str, ids: Iterable[str], known: set[str], what: str) -> None:
        for identifier in ids:
            if identifier not in known:
                self.add(
                    label,
                    _("it refers to %(what)s %(id)s, which is not in the manifest.") % {"what": what, "id": identifier},
                )

    # labels (as the person sees them: numbered from 1, with a title)

    @staticmethod
    def _plan_label(number: int, plan: Mapping[str, Any]) -> str:
        return _("Development plan %(number)s (%(title)s)") % {"number": number, "title": _short(plan["title"])}

    @staticmethod
    def _goal_label(plan_number: int, number: int, goal: Mapping[str, Any]) -> str:
        return _("Goal %(plan)s.%(number)s (%(title)s)") % {
            "plan": plan_number,
            "number": number,
            "title": _short(goal["title"]),
        }

    @staticmethod
    def _evidence_label(number: int, item: Mapping[str, Any]) -> str:
        return _("Evidence %(number)s (%(title)s)") % {"number": number, "title": _short(item["title"])}

    @staticmethod
    def _reflection_label(number: int, item: Mapping[str, Any]) -> str:
        return _("Reflection %(number)s (%(title)s)") % {"number": number, "title": _short(item["title"])}

    # the parts

    def _frameworks(self) -> None:
        for entry in self.manifest["frameworks"]:
            key = (entry["slug"], entry["version"])
            label = _("Framework %(slug)s version %(version)s") % {"slug": key[0], "version": key[1]}
            if key in self.frameworks:
                self.add(label, _("it appears more than once."))
                continue
            values = [level["value"] for level in entry["scale"]]
            domain_codes = [domain["code"] for domain in entry["domains"]]
            competences = [c for domain in entry["domains"] for c in domain["competences"]]
            competence_codes = [competence["code"] for competence in competences]
            for codes, what in (
                (values, _("scale value")),
                (domain_codes, _("domain code")),
                (competence_codes, _("competence code")),
            ):
                for code, count in Counter(codes).items():
                    if count > 1:
                        self.add(
                            label, _("the %(what)s %(code)s appears more than once.") % {"what": what, "code": code}
                        )
            indicators: set[tuple[str, str]] = set()
            for competence in competences:
                codes = [indicator["code"] for indicator in competence["indicators"]]
                for code, count in Counter(codes).items():
                    if count > 1:
                        self.add(label, _("the indicator code %(code)s appears more than once.") % {"code": code})
                indicators.update((competence["code"], code) for code in codes)
            self.frameworks[key] = _Framework(
                entry=entry, competences=set(competence_codes), indicators=indicators, levels=set(values)
            )

    def _measurement(self, number: int, measurement: Mapping[str, Any]) -> None:
        label = _("Measurement %(number)s") % {"number": number}
        framework = self.frameworks.get((measurement["framework"], measurement["version"]))
        if framework is None:
            self.add(
                label,
                _("its framework %(slug)s version %(version)s is not in the manifest.")
                % {"slug": measurement["framework"], "version": measurement["version"]},
            )
            return
        if (measurement["status"] == "finished") != (measurement["finished_at"] is not None):
            self.add(label, _("a finished measurement needs its finish date, one in progress has none."))
        seen: set[tuple[str, str]] = set()
        scale = sorted(framework.levels)
        for rating in measurement["ratings"]:
            key = (rating["competence"], rating["indicator"])
            where = _("%(measurement)s, indicator %(code)s") % {"measurement": label, "code": rating["indicator"]}
            if key not in framework.indicators:
                self.add(where, _("the framework has no such indicator under competence %(code)s.") % {"code": key[0]})
            if key in seen:
                self.add(where, _("the indicator is rated more than once."))
            seen.add(key)
            if rating["level"] is not None and rating["level"] not in framework.levels:
                self.add(
                    where,
                    _("level %(level)s is not on the framework's scale (%(scale)s).")
                    % {"level": rating["level"], "scale": ", ".join(str(value) for value in scale)},
                )
            self._ids_check(where, rating["evidence"], self.evidence_ids, _("evidence"))

    def _plan(self, number: int, plan: Mapping[str, Any]) -> None:
        label = self._plan_label(number, plan)
        if plan["source_measurement"] is not None:
            self._ids_check(label, [plan["source_measurement"]], self.measurement_ids, _("measurement"))
        if plan["ends_on"] is not None and plan["ends_on"] < plan["starts_on"]:
            self.add(label, _("it ends before it starts."))
        for goal_number, goal in enumerate(plan["goals"], start=1):
            self._refs_check(self._goal_label(number, goal_number, goal), goal["competences"])

    def _evidence(self, number: int, item: Mapping[str, Any], used_paths: set[str]) -> None:
        label = self._evidence_label(number, item)
        if item["kind"] == EvidenceKind.LINK and not item["url"]:
            self.add(label, _("a link needs its web address."))
        if item["url"]:
            try:
                URLValidator(schemes=URL_SCHEMES)(item["url"])
            except ValidationError:
                self.add(label, _("its web address is not valid."))
        if item["issued_on"] and item["expires_on"] and item["expires_on"] < item["issued_on"]:
            self.add(label, _("it expires before it was issued."))
        self._refs_check(label, item["competences"])
        self._ids_check(label, item["goals"], self.goal_ids, _("POP goal"))
        if item["file"] is not None:
            self._file(label, item, used_paths)

    def _file(self, label: str, item: Mapping[str, Any], used_paths: set[str]) -> None:
        file = item["file"]
        path = file["path"]
        info = self.entries.get(path)
        if info is None or path in (MANIFEST_NAME, INDEX_NAME) or info.is_dir():
            self.add(label, _("the file is missing from the ZIP (%(path)s).") % {"path": path[:120]})
            return
        if path in used_paths:
            self.add(label, _("its file %(path)s belongs to another item as well.") % {"path": path[:120]})
            return
        used_paths.add(path)
        if info.file_size != file["size"]:
            self.add(label, _("the file in the ZIP is not the size the manifest says."))
            return
        digest = hashlib.sha256()
        try:
            with self.archive.open(info) as source:
                while chunk := source.read(CHUNK_BYTES):
                    digest.update(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
            self.add(label, _("the file is damaged in the ZIP."))
            return
        if digest.hexdigest() != file["sha256"]:
            self.add(label, _("the file has been changed or damaged: its checksum (SHA-256) does not match."))
            return
        name = file["name"] or path.rsplit("/", 1)[-1]
        try:
            with self.archive.open(info) as source:
                content = File(source, name=name)
                content.size = info.file_size
                content_type = evidence_file_check(content)
        except ValidationError as error:
            self.add(label, " ".join(error.messages))
            return
        if content_type != file["content_type"]:
            self.add(
                label,
                _("the file is not what the manifest says it is (%(claimed)s).")
                % {"claimed": file["content_type"][:100]},
            )
            return
        self.files[item["id"]] = _FileCheck(info=info, name=name, content_type=content_type)

    def _reflection(self, number: int, reflection: Mapping[str, Any]) -> None:
        label = self._reflection_label(number, reflection)
        self._refs_check(label, reflection["competences"])
        self._ids_check(label, reflection["goals"], self.goal_ids, _("POP goal"))
        self._ids_check(label, reflection["evidence"], self.evidence_ids, _("evidence"))


def _messages_capped(messages: list[str]) -> list[str]:
    if len(messages) <= MAX_MESSAGES:
        return messages
    more = len(messages) - MAX_MESSAGES
    return [*messages[:MAX_MESSAGES], _("… and %(count)s more problems.") % {"count": more}]


# --- stage 3: writing --------------------------------------------------------------------------------


@dataclass
class _Target:
    """A framework version of the target board that a manifest version maps to."""

    version: FrameworkVersion
    competences: dict[str, Competence]
    indicators: dict[tuple[str, str], Indicator]
    levels: dict[int, ScaleLevel]


def _target_of(version: FrameworkVersion) -> _Target:
    competences: dict[str, Competence] = {}
    indicators: dict[tuple[str, str], Indicator] = {}
    for domain in version.domains.all():
        for competence in domain.competences.all():
            competences[competence.code] = competence
            for indicator in competence.indicators.all():
                indicators[(competence.code, indicator.code)] = indicator
    return _Target(version, competences, indicators, {level.value: level for level in version.scale_levels.all()})


def _cleaned(rows: Iterable[Row], label: Callable[[Row], str], exclude: Iterable[str]) -> None:
    """Field validation (lengths, choices, URLs) in memory; no queries."""
    for row in rows:
        try:
            row.clean_fields(exclude=list(exclude))
        except ValidationError as error:
            raise _refuse(
                _("%(entry)s: %(problem)s") % {"entry": label(row), "problem": " ".join(error.messages)}
            ) from None


def _file_field() -> models.FileField:
    return Evidence._meta.get_field("file")


class _Writer:
    """Stage 3: everything in new rows of the actor's dossier, in a fixed number of queries."""

    def __init__(self, actor: Actor, checker: _Checker) -> None:
        self.actor = actor
        self.board_id = actor.board_pk
        self.person = actor.person
        self.checker = checker
        self.manifest = checker.manifest
        self.result = ImportResult()
        self.stored: list[str] = []
        self.targets: dict[FrameworkKey, _Target] = {}
        self.ids: dict[str, UUID] = {}  # manifest id → new id
        self.restore: dict[type[models.Model], tuple[list[Any], list[str]]] = {}
        self.themes: dict[str, int] = {}

    # frameworks

    def frameworks(self) -> None:
        entries = self.manifest["frameworks"]
        existing = {
            framework.slug: framework
            for framework in frameworks_for_import(board_id=self.board_id, slugs={e["slug"] for e in entries})
        }
        published = [v.pk for f in existing.values() for v in f.versions.all() if v.status == VersionStatus.PUBLISHED]
        by_slug: dict[str, list[tuple[str, FrameworkVersion]]] = {}
        for version in framework_versions_with_content(board_id=self.board_id, version_ids=published):
            by_slug.setdefault(version.framework.slug, []).append(
                (framework_fingerprint(framework_entry(version)), version)
            )
        clashes = sorted(slug for slug, framework in existing.items() if framework.kind != FrameworkKind.COMPETENCES)
        if clashes:
            # A dossier's frameworks are competence frameworks; a kijkwijzer of the same code is another thing.
            raise _refuse(
                *(
                    _(
                        "The dossier uses a competence framework with the code %(code)s, which at this board is a "
                        "kijkwijzer. Ask the beheerder to give one of them another code, then import again."
                    )
                    % {"code": slug}
                    for slug in clashes
                )
            )
        preexisting = set(existing)  # frameworks the board had before this import
        used_numbers = {slug: {v.number for v in framework.versions.all()} for slug, framework in existing.items()}
        for entry in entries:
            key = (entry["slug"], entry["version"])
            fingerprint = framework_fingerprint(entry)
            matches = [version for print_, version in by_slug.get(entry["slug"], []) if print_ == fingerprint]
            if matches:
                # The same number if the board has that one, else the newest with the same content.
                version = next(
                    (v for v in matches if v.number == entry["version"]), max(matches, key=lambda v: v.number)
                )
                self.targets[key] = _target_of(version)
                self.result.frameworks_reused.append(str(version))
                continue
            framework = existing.get(entry["slug"])
            notes = entry["notes"]
            if framework is None:
                framework = Framework(
                    board_id=self.board_id,
                    slug=entry["slug"],
                    name=entry["name"],
                    audience=entry["audience"],
                    source=entry["source"],
                )
                _cleaned([framework], lambda f: str(f.name), exclude=("board",))
                framework.save()
                existing[framework.slug] = framework
                used_numbers[framework.slug] = set()
            elif framework.slug in preexisting:
                marker = _(
                    "Imported with the dossier of %(name)s on %(date)s: version %(version)s of another board, "
                    "whose content differs from this board's versions."
                ) % {
                    "name": self.person.full_name,
                    "date": timezone.localdate().strftime("%d-%m-%Y"),
                    "version": entry["version"],
                }
                notes = f"{marker}\n\n{notes}".strip()
            numbers = used_numbers[framework.slug]
            number = entry["version"] if entry["version"] not in numbers else max(numbers) + 1
            numbers.add(number)
            self.targets[key] = self._version_create(framework, entry, number, notes)
            self.result.frameworks_created.append(str(self.targets[key].version))

    def _version_create(self, framework: Framework, entry: Mapping[str, Any], number: int, notes: str) -> _Target:
        # Always published: a measurement may only point at a version that never changes.
        version = FrameworkVersion(
            board_id=self.board_id,
            framework=framework,
            number=number,
            label=entry["label"],
            status=VersionStatus.PUBLISHED,
            published_at=_moment(entry["published_at"]) or timezone.now(),
            scale_name=entry["scale_name"],
            notes=notes,
        )
        label = str(framework.name)
        _cleaned([version], lambda v: label, exclude=("board", "framework", "based_on"))
        version.save()
        levels = [
            ScaleLevel(
                board_id=self.board_id,
                version=version,
                value=level["value"],
                label=level["label"],
                description=level["description"],
            )
            for level in entry["scale"]
        ]
        domains = [
            Domain(
                board_id=self.board_id,
                version=version,
                code=d["code"],
                name=d["name"],
                description=d["description"],
                position=d["position"],
            )
            for d in entry["domains"]
        ]
        _cleaned(levels, lambda row: label, exclude=("board", "version"))
        _cleaned(domains, lambda row: label, exclude=("board", "version"))
        ScaleLevel.objects.bulk_create(levels)
        Domain.objects.bulk_create(domains)
        competences: dict[str, Competence] = {}
        for domain, d in zip(domains, entry["domains"], strict=True):
            for c in d["competences"]:
                competences[c["code"]] = Competence(
                    board_id=self.board_id,
                    version=version,
                    domain=domain,
                    code=c["code"],
                    name=c["name"],
                    description=c["description"],
                    position=c["position"],
                )
        _cleaned(competences.values(), lambda row: label, exclude=("board", "version", "domain"))
        Competence.objects.bulk_create(competences.values())
        indicators: dict[tuple[str, str], Indicator] = {}
        for d in entry["domains"]:
            for c in d["competences"]:
                for i in c["indicators"]:
                    indicators[(c["code"], i["code"])] = Indicator(
                        board_id=self.board_id,
                        competence=competences[c["code"]],
                        code=i["code"],
                        text=i["text"],
                        position=i["position"],
                    )
        _cleaned(indicators.values(), lambda row: label, exclude=("board", "competence"))
        Indicator.objects.bulk_create(indicators.values())
        return _Target(version, competences, indicators, {level.value: level for level in levels})

    def competences_of(self, refs: Iterable[Mapping[str, Any]]) -> list[Competence]:
        return [self.targets[(ref["framework"], ref["version"])].competences[ref["code"]] for ref in refs]

    def new_id(self, old: str) -> UUID:
        return self.ids[old]

    def keep_time(self, model: type[Row], rows: list[Row], fields: list[str], values: list[dict[str, Any]]) -> None:
        """bulk_create stamps auto_now(_add) fields with now; put the exported moments back afterwards."""
        for row, value in zip(rows, values, strict=True):
            for name in fields:
                setattr(row, name, value[name])
        self.restore[model] = (rows, fields)

    def times_restore(self) -> None:
        for model, (rows, fields) in self.restore.items():
            if rows:
                model._default_manager.bulk_update(rows, fields, batch_size=500)

    # the dossier

    def evidence(self) -> None:
        field_ = _file_field()
        rows: list[Evidence] = []
        times: list[dict[str, Any]] = []
        for item in self.manifest["evidence"]:
            row = Evidence(
                board_id=self.board_id,
                person=self.person,
                kind=item["kind"],
                title=item["title"],
                description=item["description"],
                url=item["url"],
                issuer=item["issuer"],
                issued_on=_date(item["issued_on"]),
                expires_on=_date(item["expires_on"]),
            )
            self.ids[item["id"]] = row.pk
            rows.append(row)
            times.append({"created_at": _moment(item["created_at"])})
            checked = self.checker.files.get(item["id"])
            if checked is not None:
                row.original_name = (item["file"]["name"] or "")[:200]
                row.content_type = checked.content_type
                row.size = checked.info.file_size
        _cleaned(rows, lambda row: str(row.title), exclude=("board", "person", "file"))
        # Files last of the checks: stored under the model's random names, removed again on any error.
        for row, item in zip(rows, self.manifest["evidence"], strict=True):
            checked = self.checker.files.get(item["id"])
            if checked is None:
                continue
            name = field_.generate_filename(row, checked.name)
            with self.checker.archive.open(checked.info) as source:
                content = File(source, name=checked.name)
                content.size = checked.info.file_size
                stored = field_.storage.save(name, content, max_length=field_.max_length)
            self.stored.append(stored)
            row.file.name = stored
            self.result.files += 1
        Evidence.objects.bulk_create(rows)
        self.keep_time(Evidence, rows, ["created_at"], times)
        self.result.evidence = len(rows)
        themes = dict(
            Theme.objects.filter(
                code__in={
                    code
                    for item in (*self.manifest["evidence"], *self.manifest["reflections"])
                    for code in item["themes"]
                }
            ).values_list("code", "pk")
        )
        self.themes = themes
        for code in sorted(
            {c for item in (*self.manifest["evidence"], *self.manifest["reflections"]) for c in item["themes"]}
            - set(themes)
        ):
            self.result.warnings.append(
                _("The register theme “%(code)s” is not known in this installation; items keep no tag for it.")
                % {"code": code}
            )
        through: Any = Evidence.competences.through
        through.objects.bulk_create(
            through(evidence_id=row.pk, competence_id=competence.pk)
            for row, item in zip(rows, self.manifest["evidence"], strict=True)
            for competence in self.competences_of(item["competences"])
        )
        through = Evidence.themes.through
        through.objects.bulk_create(
            through(evidence_id=row.pk, theme_id=themes[code])
            for row, item in zip(rows, self.manifest["evidence"], strict=True)
            for code in item["themes"]
            if code in themes
        )

    def measurements(self) -> None:
        rows: list[SelfAssessment] = []
        times: list[dict[str, Any]] = []
        ratings: list[Rating] = []
        rating_times: list[dict[str, Any]] = []
        rating_evidence: list[list[str]] = []
        rating_labels: dict[int, str] = {}
        for number, m in enumerate(self.manifest["measurements"], start=1):
            target = self.targets[(m["framework"], m["version"])]
            row = SelfAssessment(
                board_id=self.board_id,
                person=self.person,
                framework_version=target.version,
                kind=m["kind"],
                status=m["status"],
                finished_at=_moment(m["finished_at"]),
            )
            self.ids[m["id"]] = row.pk
            rows.append(row)
            times.append({"started_at": _moment(m["started_at"])})
            label = _("Measurement %(number)s") % {"number": number}
            for r in m["ratings"]:
                rating = Rating(
                    board_id=self.board_id,
                    assessment=row,
                    indicator=target.indicators[(r["competence"], r["indicator"])],
                    level=target.levels[r["level"]] if r["level"] is not None else None,
                    explanation=r["explanation"],
                )
                rating_labels[id(rating)] = label
                ratings.append(rating)
                rating_times.append({"updated_at": _moment(r["updated_at"])})
                rating_evidence.append(r["evidence"])
        _cleaned(rows, lambda row: str(row.kind), exclude=("board", "person", "framework_version"))
        _cleaned(ratings, lambda row: rating_labels[id(row)], exclude=("board", "assessment", "indicator", "level"))
        SelfAssessment.objects.bulk_create(rows)
        self.keep_time(SelfAssessment, rows, ["started_at"], times)
        Rating.objects.bulk_create(ratings)
        self.keep_time(Rating, ratings, ["updated_at"], rating_times)
        through = Rating.evidence.through
        through.objects.bulk_create(
            through(rating_id=rating.pk, evidence_id=self.new_id(old))
            for rating, olds in zip(ratings, rating_evidence, strict=True)
            for old in olds
        )
        self.result.measurements = len(rows)

    def plans(self) -> None:
        plans: list[DevelopmentPlan] = []
        goals: list[Goal] = []
        actions: list[Action] = []
        changes: list[GoalPhaseChange] = []
        comments: list[GoalComment] = []
        times: dict[str, list[dict[str, Any]]] = {"plans": [], "goals": [], "actions": [], "comments": []}
        goal_competences: list[tuple[Goal, list[Competence]]] = []
        exported_person = self.manifest["person"]
        owner_name = " ".join(
            p
            for p in (exported_person["given_name"], exported_person["name_prefix"], exported_person["family_name"])
            if p
        )
        for p in self.manifest["plans"]:
            plan = DevelopmentPlan(
                board_id=self.board_id,
                person=self.person,
                title=p["title"],
                starts_on=_day(p["starts_on"]),
                ends_on=_date(p["ends_on"]),
                source_assessment_id=self.new_id(p["source_measurement"]) if p["source_measurement"] else None,
            )
            self.ids[p["id"]] = plan.pk
            plans.append(plan)
            times["plans"].append({"created_at": _moment(p["created_at"])})
            for g in p["goals"]:
                goal = Goal(
                    board_id=self.board_id,
                    plan=plan,
                    title=g["title"],
                    why=g["why"],
                    success_criteria=g["success_criteria"],
                    due_date=_date(g["due_date"]),
                    phase=g["phase"],
                    phase_changed_at=_moment(g["phase_changed_at"]),
                    position=g["position"],
                )
                self.ids[g["id"]] = goal.pk
                goals.append(goal)
                times["goals"].append({"created_at": _moment(g["created_at"])})
                goal_competences.append((goal, self.competences_of(g["competences"])))
                for a in g["actions"]:
                    actions.append(
                        Action(
                            board_id=self.board_id,
                            goal=goal,
                            description=a["description"],
                            due_date=_date(a["due_date"]),
                            done_at=_moment(a["done_at"]),
                        )
                    )
                    times["actions"].append({"created_at": _moment(a["created_at"])})
                # The owner moves their own goals: their moves become the importer's.
                changes.extend(
                    GoalPhaseChange(
                        board_id=self.board_id,
                        goal=goal,
                        from_phase=c["from_phase"],
                        to_phase=c["to_phase"],
                        reflection=c["reflection"],
                        changed_at=_at(c["changed_at"]),
                        changed_by=self.person if c["changed_by"] == owner_name else None,
                    )
                    for c in g["phase_changes"]
                )
                for c in g["comments"]:
                    # The author works at the other board: there is no one here to link the comment to.
                    comments.append(
                        GoalComment(
                            board_id=self.board_id, goal=goal, author=None, author_name=c["author"], body=c["body"]
                        )
                    )
                    times["comments"].append({"created_at": _moment(c["created_at"])})
        _cleaned(plans, lambda row: str(row.title), exclude=("board", "person", "source_assessment"))
        _cleaned(goals, lambda row: str(row.title), exclude=("board", "plan"))
        _cleaned(actions, lambda row: str(row.goal.title), exclude=("board", "goal"))
        _cleaned(changes, lambda row: str(row.goal.title), exclude=("board", "goal", "changed_by"))
        _cleaned(comments, lambda row: str(row.goal.title), exclude=("board", "goal", "author"))
        DevelopmentPlan.objects.bulk_create(plans)
        Goal.objects.bulk_create(goals)
        Action.objects.bulk_create(actions)
        GoalPhaseChange.objects.bulk_create(changes)
        GoalComment.objects.bulk_create(comments)
        self.keep_time(DevelopmentPlan, plans, ["created_at"], times["plans"])
        self.keep_time(Goal, goals, ["created_at"], times["goals"])
        self.keep_time(Action, actions, ["created_at"], times["actions"])
        self.keep_time(GoalComment, comments, ["created_at"], times["comments"])
        through: Any = Goal.competences.through
        through.objects.bulk_create(
            through(goal_id=goal.pk, competence_id=competence.pk)
            for goal, competences in goal_competences
            for competence in competences
        )
        through = Evidence.goals.through
        through.objects.bulk_create(
            through(evidence_id=self.new_id(item["id"]), goal_id=self.new_id(old))
            for item in self.manifest["evidence"]
            for old in item["goals"]
        )
        self.result.plans = len(plans)
        self.result.goals = len(goals)

    def reflections(self) -> None:
        rows: list[Reflection] = []
        times: list[dict[str, Any]] = []
        for r in self.manifest["reflections"]:
            row = Reflection(
                board_id=self.board_id,
                person=self.person,
                title=r["title"],
                body=r["body"],
                written_on=_day(r["written_on"]),
            )
            self.ids[r["id"]] = row.pk
            rows.append(row)
            times.append({"created_at": _moment(r["created_at"])})
        _cleaned(rows, lambda row: str(row.title), exclude=("board", "person"))
        Reflection.objects.bulk_create(rows)
        self.keep_time(Reflection, rows, ["created_at"], times)
        pairs = list(zip(rows, self.manifest["reflections"], strict=True))
        through: Any = Reflection.competences.through
        through.objects.bulk_create(
            through(reflection_id=row.pk, competence_id=c.pk)
            for row, r in pairs
            for c in self.competences_of(r["competences"])
        )
        through = Reflection.goals.through
        through.objects.bulk_create(
            through(reflection_id=row.pk, goal_id=self.new_id(g)) for row, r in pairs for g in r["goals"]
        )
        through = Reflection.themes.through
        through.objects.bulk_create(
            through(reflection_id=row.pk, theme_id=self.themes[code])
            for row, r in pairs
            for code in r["themes"]
            if code in self.themes
        )
        through = Reflection.evidence.through
        through.objects.bulk_create(
            through(reflection_id=row.pk, evidence_id=self.new_id(e)) for row, r in pairs for e in r["evidence"]
        )
        self.result.reflections = len(rows)

    def write(self) -> ImportResult:
        try:
            with transaction.atomic():
                self.frameworks()
                self.evidence()
                self.measurements()
                self.plans()
                self.reflections()
                self.times_restore()
        except BaseException:
            storage = _file_field().storage
            for name in self.stored:
                with contextlib.suppress(OSError):
                    storage.delete(name)
            raise
        return self.result


def dossier_import(*, actor: Actor, upload: File[bytes]) -> ImportResult:
    """Add an exported dossier (ZIP) to the actor's own dossier at the active board, all or nothing.

    Raises ValidationError with one message per problem (per entry where it has one) and writes nothing
    then: no rows, no files.
    """
    authorize(actor, "dossier.view_own")
    actor.board_pk  # noqa: B018  # 404 for an actor outside a board, before any work
    with _zip_open(upload) as archive:
        entries = _entries_checked(archive)
        manifest = _manifest_read(archive, entries)
        checker = _Checker(manifest, archive, entries)
        checker.run()
        if checker.messages:
            raise _refuse(*_messages_capped(checker.messages))
        return _Writer(actor, checker).write()
