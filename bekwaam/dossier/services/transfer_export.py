"""Export of a whole own dossier: a ZIP (every file, index.html, manifest.json) and a PDF summary.

The ZIP is built into a temporary file that spills to disk past SPOOL_BYTES, file by file in chunks,
so a dossier with hundreds of megabytes of evidence never sits in memory; the view streams it.
index.html and the PDF are rendered from the manifest itself, so what a person reads is what a
machine reads. Nothing here writes to the database. docs/dossier-export.md describes the format.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from bekwaam.dossier.models import (
    AssessmentKind,
    AssessmentStatus,
    DevelopmentPlan,
    Evidence,
    EvidenceKind,
    Phase,
    Reflection,
    SelfAssessment,
)
from bekwaam.dossier.selectors.transfer import DossierContents, dossier_contents_for
from bekwaam.dossier.services.transfer import (
    FILES_FOLDER,
    FORMAT,
    INDEX_NAME,
    MANIFEST_NAME,
    SCHEMA_VERSION,
    competence_ref,
    framework_entry,
    iso,
    safe_file_name,
)
from bekwaam.dossier.uploads import ALLOWED_TYPES, HEAD_BYTES, detect_content_type
from bekwaam.frameworks.models import Audience
from bekwaam.lib.pdf import pdf_render
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

logger = logging.getLogger(__name__)

SPOOL_BYTES = 16 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
GENERATOR = "Bekwaam"


# --- the manifest ------------------------------------------------------------------------------


def _measurement_entry(measurement: SelfAssessment) -> dict[str, Any]:
    version = measurement.framework_version
    return {
        "id": str(measurement.pk),
        "framework": version.framework.slug,
        "version": version.number,
        "kind": measurement.kind,
        "status": measurement.status,
        "started_at": iso(measurement.started_at),
        "finished_at": iso(measurement.finished_at),
        "ratings": [
            {
                "competence": rating.indicator.competence.code,
                "indicator": rating.indicator.code,
                "level": rating.level.value if rating.level else None,
                "explanation": rating.explanation,
                "evidence": sorted(str(item.pk) for item in rating.evidence.all()),
                "updated_at": iso(rating.updated_at),
            }
            for rating in measurement.ratings.all()
        ],
    }


def _plan_entry(plan: DevelopmentPlan) -> dict[str, Any]:
    return {
        "id": str(plan.pk),
        "title": plan.title,
        "starts_on": iso(plan.starts_on),
        "ends_on": iso(plan.ends_on),
        "source_measurement": str(plan.source_assessment_id) if plan.source_assessment_id else None,
        "created_at": iso(plan.created_at),
        "goals": [
            {
                "id": str(goal.pk),
                "title": goal.title,
                "why": goal.why,
                "success_criteria": goal.success_criteria,
                "competences": _refs(goal.competences.all()),
                "due_date": iso(goal.due_date),
                "phase": goal.phase,
                "phase_changed_at": iso(goal.phase_changed_at),
                "position": goal.position,
                "created_at": iso(goal.created_at),
                "actions": [
                    {
                        "id": str(action.pk),
                        "description": action.description,
                        "due_date": iso(action.due_date),
                        "done_at": iso(action.done_at),
                        "created_at": iso(action.created_at),
                    }
                    for action in sorted(goal.actions.all(), key=lambda a: (a.created_at, str(a.pk)))
                ],
                "phase_changes": [
                    {
                        "from_phase": change.from_phase,
                        "to_phase": change.to_phase,
                        "reflection": change.reflection,
                        "changed_at": iso(change.changed_at),
                        "changed_by": change.changed_by.full_name if change.changed_by else "",
                    }
                    for change in goal.phase_changes.all()
                ],
                "comments": [
                    {
                        "id": str(comment.pk),
                        "author": comment.author_name or (comment.author.full_name if comment.author else ""),
                        "body": comment.body,
                        "created_at": iso(comment.created_at),
                    }
                    for comment in goal.comments.all()
                ],
            }
            for goal in plan.goals.all()
        ],
    }


def _refs(competences: Any) -> list[dict[str, Any]]:
    refs = [competence_ref(competence) for competence in competences]
    return sorted(refs, key=lambda ref: (ref["framework"], ref["version"], ref["code"]))


def _evidence_entry(evidence: Evidence, file: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": str(evidence.pk),
        "kind": evidence.kind,
        "title": evidence.title,
        "description": evidence.description,
        "issuer": evidence.issuer,
        "issued_on": iso(evidence.issued_on),
        "expires_on": iso(evidence.expires_on),
        "url": evidence.url,
        "created_at": iso(evidence.created_at),
        "file": file,
        "competences": _refs(evidence.competences.all()),
        "goals": sorted(str(goal.pk) for goal in evidence.goals.all()),
        "themes": sorted(theme.code for theme in evidence.themes.all()),
    }


def _reflection_entry(reflection: Reflection) -> dict[str, Any]:
    return {
        "id": str(reflection.pk),
        "title": reflection.title,
        "body": reflection.body,
        "written_on": iso(reflection.written_on),
        "created_at": iso(reflection.created_at),
        "competences": _refs(reflection.competences.all()),
        "goals": sorted(str(goal.pk) for goal in reflection.goals.all()),
        "themes": sorted(theme.code for theme in reflection.themes.all()),
        "evidence": sorted(str(item.pk) for item in reflection.evidence.all()),
    }


def manifest_build(contents: DossierContents, files: Mapping[Any, dict[str, Any] | None]) -> dict[str, Any]:
    """The manifest of a dossier (docs/dossier-export.md); `files` holds each evidence item's file entry."""
    person = contents.person
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": iso(timezone.now()),
        "generator": GENERATOR,
        "person": {
            "given_name": person.given_name,
            "name_prefix": person.name_prefix,
            "family_name": person.family_name,
            "email": person.email,
        },
        "frameworks": [framework_entry(version) for version in contents.frameworks],
        "measurements": [_measurement_entry(measurement) for measurement in contents.measurements],
        "plans": [_plan_entry(plan) for plan in contents.plans],
        "evidence": [_evidence_entry(item, files.get(item.pk)) for item in contents.evidence],
        "reflections": [_reflection_entry(reflection) for reflection in contents.reflections],
    }


# --- the ZIP -----------------------------------------------------------------------------------


def _zip_time(moment: Any) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(moment)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def _file_name_of(evidence: Evidence, content_type: str) -> str:
    if evidence.original_name:
        return safe_file_name(evidence.original_name)
    extension = ALLOWED_TYPES.get(content_type, "bin")
    return safe_file_name(f"{evidence.title}.{extension}")


def _copy_file(archive: zipfile.ZipFile, evidence: Evidence) -> dict[str, Any] | None:
    """Copy one evidence file into the ZIP in chunks, hashing on the way; None when storage lost it."""
    try:
        source = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        logger.warning("Evidence %s: file %s is missing from storage", evidence.pk, evidence.file.name)
        return None
    with source:
        head = source.read(HEAD_BYTES)
        content_type = evidence.content_type or detect_content_type(head) or "application/octet-stream"
        path = f"{FILES_FOLDER}/{evidence.pk}/{_file_name_of(evidence, content_type)}"
        info = zipfile.ZipInfo(path, date_time=_zip_time(evidence.created_at))
        info.compress_type = zipfile.ZIP_DEFLATED
        digest = hashlib.sha256()
        size = 0
        with archive.open(info, "w") as target:
            chunk = head
            while chunk:
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
                chunk = source.read(CHUNK_BYTES)
    return {
        "path": path,
        "name": evidence.original_name,
        "sha256": digest.hexdigest(),
        "size": size,
        "content_type": content_type,
    }


@dataclass(frozen=True)
class ExportFile:
    """A finished export: an open file at its start (the caller closes it), its size and download name."""

    file: IO[bytes]
    size: int
    filename: str

    @property
    def in_memory(self) -> bool:
        """Small enough that it never left memory (SPOOL_BYTES): send it as one piece."""
        return self.size <= SPOOL_BYTES


def _download_name(contents: DossierContents, extension: str) -> str:
    name = slugify(contents.person.full_name) or "dossier"
    return f"bekwaamheidsdossier-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def dossier_export_zip(*, actor: Actor) -> ExportFile:
    """The actor's whole dossier at the active board as a ZIP: files/<evidence id>/<name>, index.html and
    manifest.json; written to a temporary file (on disk when large), returned at its start."""
    authorize(actor, "dossier.view_own")
    contents = dossier_contents_for(actor=actor)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  # closed by the response
    try:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            files = {item.pk: _copy_file(archive, item) for item in contents.evidence if item.file}
            manifest = manifest_build(contents, files)
            now = _zip_time(timezone.now())
            info = zipfile.ZipInfo(MANIFEST_NAME, date_time=now)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=2))
            info = zipfile.ZipInfo(INDEX_NAME, date_time=now)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, render_to_string("dossier/export_index.html", readable_dossier(manifest)))
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    return ExportFile(file=spool, size=size, filename=_download_name(contents, "zip"))


# --- what people read: index.html and the PDF ------------------------------------------------------


def _when(value: str | None) -> datetime.date | datetime.datetime | None:
    """A manifest date or moment back as a date or an aware datetime, for the templates' |date filter."""
    if not value:
        return None
    if len(value) == 10:
        return datetime.date.fromisoformat(value)
    return timezone.localtime(datetime.datetime.fromisoformat(value))


def _dated(entry: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {**entry, **{key: _when(entry[key]) for key in keys}}


def readable_dossier(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest arranged for reading (index.html, the PDF): names beside codes, labels beside values."""
    frameworks = {(entry["slug"], entry["version"]): entry for entry in manifest["frameworks"]}
    competence_names: dict[tuple[str, int, str], str] = {}
    for key, entry in frameworks.items():
        for domain in entry["domains"]:
            for competence in domain["competences"]:
                competence_names[(*key, competence["code"])] = competence["name"]
    evidence_by_id = {item["id"]: item for item in manifest["evidence"]}
    goals_by_id = {goal["id"]: goal for plan in manifest["plans"] for goal in plan["goals"]}
    theme_codes = {code for item in (*manifest["evidence"], *manifest["reflections"]) for code in item["themes"]}
    themes = dict(Theme.objects.filter(code__in=theme_codes).values_list("code", "name"))

    def competences(refs: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {"code": ref["code"], "name": competence_names.get((ref["framework"], ref["version"], ref["code"]), "")}
            for ref in refs
        ]

    def links(ids: list[str]) -> list[dict[str, Any]]:
        return [_evidence_link(evidence_by_id[i]) for i in ids if i in evidence_by_id]

    def goal_titles(ids: list[str]) -> list[str]:
        return [goals_by_id[i]["title"] for i in ids if i in goals_by_id]

    measurements = [
        _readable_measurement(m, frameworks[(m["framework"], m["version"])], links) for m in manifest["measurements"]
    ]
    plans = [
        {
            **_dated(plan, "starts_on", "ends_on"),
            "goals": [
                {
                    **_dated(goal, "due_date", "phase_changed_at"),
                    "phase_label": Phase(goal["phase"]).label,
                    "competence_list": competences(goal["competences"]),
                    "actions": [_dated(action, "due_date", "done_at") for action in goal["actions"]],
                    "phase_history": [
                        {
                            **_dated(change, "changed_at"),
                            "from_label": Phase(change["from_phase"]).label,
                            "to_label": Phase(change["to_phase"]).label,
                        }
                        for change in goal["phase_changes"]
                    ],
                    "comments": [_dated(comment, "created_at") for comment in goal["comments"]],
                }
                for goal in plan["goals"]
            ],
        }
        for plan in manifest["plans"]
    ]
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.EXPIRY_WARNING_DAYS)
    evidence = []
    for item in manifest["evidence"]:
        expires_on = _when(item["expires_on"])
        evidence.append(
            {
                **_dated(item, "issued_on", "expires_on", "created_at"),
                "kind_label": EvidenceKind(item["kind"]).label,
                "competence_list": competences(item["competences"]),
                "goal_titles": goal_titles(item["goals"]),
                "theme_names": [themes.get(code, code) for code in item["themes"]],
                "link": _evidence_link(item),
                "expired": expires_on is not None and expires_on < today,
                "expires_soon": expires_on is not None and today <= expires_on <= soon,
            }
        )
    reflections = [
        {
            **_dated(reflection, "written_on", "created_at"),
            "competence_list": competences(reflection["competences"]),
            "goal_titles": goal_titles(reflection["goals"]),
            "theme_names": [themes.get(code, code) for code in reflection["themes"]],
            "evidence_links": links(reflection["evidence"]),
        }
        for reflection in manifest["reflections"]
    ]
    finished = [m for m in measurements if m["status"] == AssessmentStatus.FINISHED]
    person = manifest["person"]
    return {
        "exported_at": _when(manifest["exported_at"]),
        "person_name": " ".join(p for p in (person["given_name"], person["name_prefix"], person["family_name"]) if p),
        "person_email": person["email"],
        "frameworks": [
            {**entry, "audience_label": Audience(entry["audience"]).label} for entry in manifest["frameworks"]
        ],
        "measurements": measurements,
        "latest_measurement": finished[-1] if finished else None,
        "plans": plans,
        "evidence": evidence,
        "reflections": reflections,
    }


def _evidence_link(item: Mapping[str, Any]) -> dict[str, Any]:
    file = item["file"]
    return {
        "title": item["title"],
        "href": quote(file["path"]) if file else item["url"],
        "is_file": file is not None,
        "file_name": (file["name"] or file["path"].rsplit("/", 1)[-1]) if file else "",
        "size": file["size"] if file else 0,
    }


def _readable_measurement(measurement: Mapping[str, Any], framework: Mapping[str, Any], links: Any) -> dict[str, Any]:
    levels = {level["value"]: level["label"] for level in framework["scale"]}
    top = max(levels, default=0)
    ratings = {(r["competence"], r["indicator"]): r for r in measurement["ratings"]}
    domains = []
    for domain in framework["domains"]:
        values: list[int] = []
        indicator_count = 0
        competences = []
        for competence in domain["competences"]:
            rows = []
            for indicator in competence["indicators"]:
                indicator_count += 1
                rating = ratings.get((competence["code"], indicator["code"]))
                level = rating["level"] if rating else None
                if level is not None:
                    values.append(level)
                rows.append(
                    {
                        "code": indicator["code"],
                        "text": indicator["text"],
                        "level": level,
                        "level_label": levels.get(level, "") if level is not None else "",
                        "explanation": rating["explanation"] if rating else "",
                        "evidence_links": links(rating["evidence"]) if rating else [],
                    }
                )
            competences.append({**competence, "rows": rows})
        average = sum(values) / len(values) if values else None
        domains.append(
            {
                "code": domain["code"],
                "name": domain["name"],
                "competences": competences,
                "rated": len(values),
                "indicator_count": indicator_count,
                "average": average,
                "average_label": levels.get(round(average), "") if average is not None else "",
                "percent": round(100 * average / top) if average is not None and top else 0,
            }
        )
    return {
        **_dated(measurement, "started_at", "finished_at"),
        "framework_name": framework["name"],
        "framework_label": framework["label"] or f"{framework['version']}",
        "kind_label": AssessmentKind(measurement["kind"]).label,
        "status_label": AssessmentStatus(measurement["status"]).label,
        "scale": framework["scale"],
        "top": top,
        "domains": domains,
    }


def _pdf_render(html: str) -> bytes:
    return pdf_render(html)


def dossier_export_pdf(*, actor: Actor) -> tuple[bytes, str]:
    """A readable A4 summary of the actor's dossier (WeasyPrint, no network, no files read) and its name."""
    authorize(actor, "dossier.view_own")
    contents = dossier_contents_for(actor=actor)
    manifest = manifest_build(contents, {})
    context = readable_dossier(manifest)
    context["today"] = timezone.localdate()
    html = render_to_string("dossier/export_pdf.html", context)
    return _pdf_render(html), _download_name(contents, "pdf")
