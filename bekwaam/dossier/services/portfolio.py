"""Every write to the portfolio: evidence (files, diplomas, certificates, links) and reflections.

Each write is one transaction, checks the policy, and accepts only tags of the owner's own board
(competences), their own POP (goals) and, for school leaders, the register's themes. Files go through
the storage API under a random name (models.evidence_upload_to); a replaced or deleted item's file is
removed from storage once the transaction has committed, so a rolled-back delete keeps its file.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from functools import partial
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import Evidence, EvidenceKind, Goal, Reflection
from bekwaam.dossier.selectors.portfolio import is_school_leader
from bekwaam.dossier.uploads import evidence_file_check
from bekwaam.frameworks.models import Competence
from bekwaam.lib.storage import file_remove
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

CREDENTIAL_KINDS = (EvidenceKind.DIPLOMA, EvidenceKind.CERTIFICATE)
URL_SCHEMES = ("http", "https")
NAME_MAX = 200  # Evidence.original_name


def original_name_clean(name: str) -> str:
    """The last part of an uploaded file's name, without control characters, at most NAME_MAX long.

    Only ever shown and sent back in Content-Disposition; never part of a storage path.
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip(" .")
    base = " ".join(base.split())
    if len(base) > NAME_MAX:
        stem, dot, extension = base.rpartition(".")
        keep_extension = dot and len(extension) < 10
        base = f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}" if keep_extension else base[:NAME_MAX]
    return base or "file"


def _file_remove_on_commit(evidence: Evidence) -> None:
    if evidence.file:
        transaction.on_commit(partial(file_remove, evidence.file.storage, evidence.file.name))


def _tags_check(
    *,
    actor: Actor,
    competences: Iterable[Competence],
    goals: Iterable[Goal] | None,
    themes: Iterable[Theme] | None,
) -> tuple[list[Competence], list[Goal] | None, list[Theme] | None]:
    """The tags as lists; ValidationError for a competence of another board or a goal of another person."""
    competence_list = list(competences)
    if any(competence.board_id != actor.board_id for competence in competence_list):
        raise ValidationError({"competences": _("Choose competences of your own framework.")})
    goal_list = list(goals) if goals is not None else None
    if goal_list:
        own = Goal.objects.filter(
            board_id=actor.board_pk, plan__person=actor.person, pk__in=[goal.pk for goal in goal_list]
        ).count()
        if own != len({goal.pk for goal in goal_list}):
            raise ValidationError({"goals": _("Choose goals of your own development plan.")})
    theme_list = list(themes) if themes is not None else None
    if theme_list and not is_school_leader(actor=actor):
        raise ValidationError({"themes": _("Register themes are for school leaders.")})
    return competence_list, goal_list, theme_list


def _tags_set(
    item: Evidence | Reflection,
    competences: list[Competence],
    goals: list[Goal] | None,
    themes: list[Theme] | None,
) -> None:
    item.competences.set(competences)
    if goals is not None:
        item.goals.set(goals)
    if themes is not None:
        item.themes.set(themes)


def _evidence_fields_check(
    *, kind: str, url: str, issued_on: datetime.date | None, expires_on: datetime.date | None
) -> None:
    errors: dict[str, str] = {}
    if kind == EvidenceKind.LINK:
        if urlsplit(url).scheme.lower() not in URL_SCHEMES:
            errors["url"] = _("Only web addresses that start with http:// or https:// are allowed.")
    elif kind in CREDENTIAL_KINDS:
        if issued_on is None:
            errors["issued_on"] = _("Fill in the date of issue.")
        elif issued_on > timezone.localdate():
            errors["issued_on"] = _("The date of issue cannot be in the future.")
        elif expires_on is not None and expires_on <= issued_on:
            errors["expires_on"] = _("The expiry date must be after the date of issue.")
    if errors:
        raise ValidationError(errors)


def _evidence_fill(
    evidence: Evidence,
    *,
    title: str,
    description: str,
    url: str,
    issuer: str,
    issued_on: datetime.date | None,
    expires_on: datetime.date | None,
) -> None:
    """Set the fields the evidence's kind has; the others are emptied (a link has no issuer)."""
    kind = evidence.kind
    _evidence_fields_check(kind=kind, url=url, issued_on=issued_on, expires_on=expires_on)
    evidence.title = title.strip()
    evidence.description = description.strip()
    credential = kind in CREDENTIAL_KINDS
    # A certificate from a Bekwaam trajectory keeps its verification address (set when it was added from
    # the trajectory; the dossier form does not show it for credentials, so an edit must not clear it).
    evidence.url = url.strip() if kind == EvidenceKind.LINK else (evidence.url if credential else "")
    evidence.issuer = issuer.strip() if credential else ""
    evidence.issued_on = issued_on if credential else None
    evidence.expires_on = expires_on if credential else None


def _file_store(evidence: Evidence, upload: File[Any]) -> str:
    """Check the upload by its content and store it under a random name; returns the stored name."""
    content_type = evidence_file_check(upload)
    evidence.original_name = original_name_clean(upload.name or "")
    evidence.content_type = content_type
    evidence.size = upload.size or 0
    evidence.file.save(evidence.original_name, upload, save=False)
    return evidence.file.name or ""


def evidence_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    description: str = "",
    file: File[Any] | None = None,
    url: str = "",
    issuer: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    competences: Iterable[Competence] = (),
    goals: Iterable[Goal] | None = None,
    themes: Iterable[Theme] | None = None,
) -> Evidence:
    """A new evidence item of the actor's own, with its file stored (checked by content) and its tags."""
    authorize(actor, "dossier.view_own")
    if kind not in EvidenceKind.values:
        raise ValidationError(_("Choose a kind of evidence."))
    if kind == EvidenceKind.DOCUMENT and not file:
        raise ValidationError({"file": _("Choose a file.")})
    tags = _tags_check(actor=actor, competences=competences, goals=goals, themes=themes)
    evidence = Evidence(board_id=actor.board_pk, person=actor.person, kind=kind)
    _evidence_fill(
        evidence,
        title=title,
        description=description,
        url=url,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    evidence.full_clean(exclude=["file"])
    with transaction.atomic():
        stored = _file_store(evidence, file) if file and kind != EvidenceKind.LINK else ""
        try:
            evidence.save()
            _tags_set(evidence, *tags)
        except BaseException:
            if stored:  # the row is not written: neither is its file
                file_remove(evidence.file.storage, stored)
            raise
    return evidence


def evidence_update(
    *,
    actor: Actor,
    evidence: Evidence,
    title: str,
    description: str = "",
    file: File[Any] | None = None,
    url: str = "",
    issuer: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    competences: Iterable[Competence] = (),
    goals: Iterable[Goal] | None = None,
    themes: Iterable[Theme] | None = None,
) -> Evidence:
    """Change the actor's own evidence; a new file replaces the old one, which is removed after commit.

    `goals` or `themes` None leaves those tags as they are (the form did not offer them).
    """
    authorize(actor, "dossier.change_item", evidence)
    tags = _tags_check(actor=actor, competences=competences, goals=goals, themes=themes)
    _evidence_fill(
        evidence,
        title=title,
        description=description,
        url=url,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    evidence.full_clean(exclude=["file"])
    with transaction.atomic():
        old = Evidence.objects.filter(pk=evidence.pk).values_list("file", flat=True).get()
        stored = _file_store(evidence, file) if file and evidence.kind != EvidenceKind.LINK else ""
        try:
            evidence.save()
            _tags_set(evidence, *tags)
        except BaseException:
            if stored:
                file_remove(evidence.file.storage, stored)
            raise
        if stored and old:
            transaction.on_commit(partial(file_remove, evidence.file.storage, old))
    return evidence


def evidence_delete(*, actor: Actor, evidence: Evidence) -> None:
    """Delete the actor's own evidence (its shares and links go with it); its file is removed after commit."""
    authorize(actor, "dossier.change_item", evidence)
    with transaction.atomic():
        _file_remove_on_commit(evidence)
        evidence.delete()


def _reflection_evidence_check(*, actor: Actor, evidence: Iterable[Evidence]) -> list[Evidence]:
    items = list(evidence)
    if items:
        own = Evidence.objects.filter(
            board_id=actor.board_pk, person=actor.person, pk__in=[item.pk for item in items]
        ).count()
        if own != len({item.pk for item in items}):
            raise ValidationError({"evidence": _("Choose evidence of your own portfolio.")})
    return items


def _reflection_fill(reflection: Reflection, *, title: str, body: str, written_on: datetime.date) -> None:
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": _("The date cannot be in the future.")})
    reflection.title = title.strip()
    reflection.body = body.strip()
    reflection.written_on = written_on


def reflection_create(
    *,
    actor: Actor,
    title: str,
    body: str,
    written_on: datetime.date,
    evidence: Iterable[Evidence] = (),
    competences: Iterable[Competence] = (),
    goals: Iterable[Goal] | None = None,
    themes: Iterable[Theme] | None = None,
) -> Reflection:
    """A new written reflection of the actor's own, optionally about some of their evidence."""
    authorize(actor, "dossier.view_own")
    tags = _tags_check(actor=actor, competences=competences, goals=goals, themes=themes)
    about = _reflection_evidence_check(actor=actor, evidence=evidence)
    reflection = Reflection(board_id=actor.board_pk, person=actor.person)
    _reflection_fill(reflection, title=title, body=body, written_on=written_on)
    reflection.full_clean()
    with transaction.atomic():
        reflection.save()
        _tags_set(reflection, *tags)
        reflection.evidence.set(about)
    return reflection


def reflection_update(
    *,
    actor: Actor,
    reflection: Reflection,
    title: str,
    body: str,
    written_on: datetime.date,
    evidence: Iterable[Evidence] | None = None,
    competences: Iterable[Competence] = (),
    goals: Iterable[Goal] | None = None,
    themes: Iterable[Theme] | None = None,
) -> Reflection:
    """Change the actor's own reflection; `evidence`, `goals` or `themes` None leaves those links as they are."""
    authorize(actor, "dossier.change_item", reflection)
    tags = _tags_check(actor=actor, competences=competences, goals=goals, themes=themes)
    about = _reflection_evidence_check(actor=actor, evidence=evidence) if evidence is not None else None
    _reflection_fill(reflection, title=title, body=body, written_on=written_on)
    reflection.full_clean()
    with transaction.atomic():
        reflection.save()
        _tags_set(reflection, *tags)
        if about is not None:
            reflection.evidence.set(about)
    return reflection


def reflection_delete(*, actor: Actor, reflection: Reflection) -> None:
    """Delete the actor's own reflection (its shares go with it; the evidence it was about stays)."""
    authorize(actor, "dossier.change_item", reflection)
    with transaction.atomic():
        reflection.delete()
