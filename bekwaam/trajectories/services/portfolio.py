"""The candidate's portfolio of a trajectory: items written here or copied from the dossier, the
completeness check, the request for assessment, and the frozen snapshot the assessors judge.

Every write locks the trajectory row (select_for_update) before it looks at the state, so an item added
in one tab while the aanbieder plans the interview in another either lands before the snapshot or is
refused: the portfolio changes only in EDITABLE_STATES and never once `frozen_at` is set. Files are
checked by their content (the dossier's upload check), stored under a random name (the original name is
only ever shown and sent back in Content-Disposition), and their SHA-256 is kept for the snapshot. A
copy from the dossier copies the file's bytes: the trajectory never shares a stored file with the dossier,
so deleting one never breaks the other.

Contract for the aanbieder's side (common.md): `portfolio_missing(trajectory)` and
`portfolio_snapshot(trajectory)`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from bekwaam.dossier.models import Evidence, EvidenceKind, Reflection
from bekwaam.dossier.services.portfolio import original_name_clean
from bekwaam.dossier.uploads import evidence_file_check
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.lib.storage import file_remove
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize
from bekwaam.trajectories import tasks_candidate as tasks
from bekwaam.trajectories.models import (
    EDITABLE_STATES,
    TRAJECTORY_MACHINE,
    Assignment,
    PortfolioItem,
    PortfolioItemKind,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
)

AS_CANDIDATE = "trajectories.act_as_candidate"
TITLE_MAX = 200
BODY_MAX = 50_000
LINK_MAX = 500
URL_SCHEMES = ("http", "https")
SNAPSHOT_VERSION = 1
FILE_BLOCK = 64 * 1024


# --- reading the portfolio: what is missing, and the snapshot -----------------------------------------


def assignment_missing(*, assignment: Assignment, evidence: int, reflections: int) -> str:
    """One sentence naming what the assignment still lacks (empty when nothing), e.g.
    "Opdracht 2: nog 1 reflectie nodig"."""
    more_evidence = max(assignment.min_evidence - evidence, 0)
    more_reflections = max(assignment.min_reflections - reflections, 0)
    name = assignment.title
    if more_evidence and more_reflections:
        return _("%(assignment)s: %(evidence)s and %(reflections)s needed") % {
            "assignment": name,
            "evidence": ngettext("%(count)d more piece of evidence", "%(count)d more pieces of evidence", more_evidence)
            % {"count": more_evidence},
            "reflections": ngettext("%(count)d more reflection", "%(count)d more reflections", more_reflections)
            % {"count": more_reflections},
        }
    if more_evidence:
        return ngettext(
            "%(assignment)s: %(count)d more piece of evidence needed",
            "%(assignment)s: %(count)d more pieces of evidence needed",
            more_evidence,
        ) % {"assignment": name, "count": more_evidence}
    if more_reflections:
        return ngettext(
            "%(assignment)s: %(count)d more reflection needed",
            "%(assignment)s: %(count)d more reflections needed",
            more_reflections,
        ) % {"assignment": name, "count": more_reflections}
    if evidence + reflections == 0:
        # An assignment that asks for nothing in particular still needs something to be assessed on.
        return _("%(assignment)s: nothing added yet; add evidence or a reflection") % {"assignment": name}
    return ""


def portfolio_missing(trajectory: Trajectory) -> list[str]:
    """What the portfolio still lacks, one translated sentence per assignment (empty: complete).

    Each assignment needs its template's minimum of evidence and of reflections, and at least one item
    whatever the minimums; a trajectory without any assignment cannot be assessed either.
    """
    with scopes_disabled():
        assignments = list(
            Assignment.objects.filter(trajectory_id=trajectory.pk)
            .annotate(
                evidence_count=Count("items", filter=Q(items__kind=PortfolioItemKind.EVIDENCE)),
                reflection_count=Count("items", filter=Q(items__kind=PortfolioItemKind.REFLECTION)),
            )
            .order_by("position", "pk")
        )
    if not assignments:
        return [_("This trajectory has no assignments. Ask the aanbieder which assignments apply.")]
    missing = (
        assignment_missing(
            assignment=assignment,
            evidence=assignment.evidence_count,
            reflections=assignment.reflection_count,
        )
        for assignment in assignments
    )
    return [sentence for sentence in missing if sentence]


def _stored_sha256(item: PortfolioItem) -> str:
    """The file's SHA-256: as stored at upload, or read from storage for an item that has none yet."""
    if not item.file:
        return ""
    if item.file_sha256:
        return item.file_sha256
    digest = hashlib.sha256()
    with item.file.storage.open(item.file.name or "", "rb") as stored:
        for chunk in iter(lambda: stored.read(FILE_BLOCK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def portfolio_snapshot(trajectory: Trajectory) -> tuple[dict[str, Any], str]:
    """The portfolio as a canonical JSON-able dict (every assignment and item: ids, titles, texts, links,
    file names and SHA-256, themes), and the SHA-256 hex of its canonical serialisation
    (json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False), UTF-8).

    Call it inside the transaction that holds the trajectory's row lock, so nothing changes in between.
    """
    with scopes_disabled():
        themes = sorted(trajectory.themes.values_list("code", "name"))
        assignments = list(
            Assignment.objects.filter(trajectory_id=trajectory.pk)
            .select_related("theme")
            .prefetch_related("items__themes")
            .order_by("position", "pk")
        )
    snapshot: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "trajectory": str(trajectory.pk),
        "themes": [{"code": code, "name": name} for code, name in themes],
        "assignments": [
            {
                "id": assignment.pk,
                "position": assignment.position,
                "title": assignment.title,
                "instructions": assignment.instructions,
                "theme": assignment.theme.code if assignment.theme else None,
                "min_evidence": assignment.min_evidence,
                "min_reflections": assignment.min_reflections,
                "items": [
                    {
                        "id": str(item.pk),
                        "kind": item.kind,
                        "title": item.title,
                        "body": item.body,
                        "link": item.link,
                        "file_name": item.file_name if item.file else "",
                        "file_sha256": _stored_sha256(item),
                        "themes": sorted(theme.code for theme in item.themes.all()),
                    }
                    for item in sorted(assignment.items.all(), key=lambda i: (i.created_at, str(i.pk)))
                ],
            }
            for assignment in assignments
        ],
    }
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return snapshot, hashlib.sha256(canonical).hexdigest()


# --- helpers ------------------------------------------------------------------------------------------


def lock(trajectory: Trajectory) -> Trajectory:
    """The trajectory's row, locked for the rest of the transaction (the caller's copy keeps its relations)."""
    with scopes_disabled():
        locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk, provider_id=trajectory.provider_id)
    locked.template = trajectory.template
    locked.provider = trajectory.provider
    locked.candidate = trajectory.candidate
    return locked


def refresh(target: Trajectory, source: Trajectory) -> None:
    """Copy the locked row's workflow columns back to the caller's object, so its page shows what was written."""
    for name in ("state", "requested_at", "closed_at", "advice_goals_created", "frozen_at"):
        setattr(target, name, getattr(source, name))


def event_write(
    *, actor: Actor, trajectory: Trajectory, action: str, from_state: str = "", to_state: str = "", note: str = ""
) -> None:
    """The trajectory's history row (shown to the candidate and to the aanbieder's staff)."""
    TrajectoryEvent.objects.create(
        trajectory=trajectory, actor=actor.person, action=action, from_state=from_state, to_state=to_state, note=note
    )


def move(*, actor: Actor, locked: Trajectory, action: str, update_fields: Sequence[str] = (), note: str = "") -> None:
    """The machine's move on the locked row, saved, with its history row."""
    before = locked.state
    locked.state = TRAJECTORY_MACHINE.move(before, action)
    locked.save(update_fields=["state", *update_fields])
    event_write(actor=actor, trajectory=locked, action=action, from_state=before, to_state=locked.state, note=note)


def notify_staff(trajectory: Trajectory, notice: str) -> None:
    """An e-mail to the aanbieder's assessors about the candidate's step, sent on commit."""
    trajectory_id = str(trajectory.pk)
    transaction.on_commit(lambda: tasks.staff_notice_send.enqueue(trajectory_id=trajectory_id, notice=notice))


def not_editable_message(state: str) -> str:
    if state in (TrajectoryState.ASSESSMENT_REQUESTED, TrajectoryState.UNDER_REVIEW):
        return _(
            "Your portfolio is with the assessor now, so it cannot be changed. "
            "If the assessor asks for additions, you can change it again."
        )
    if state == TrajectoryState.WITHDRAWN:
        return _("This trajectory has been withdrawn: its portfolio can no longer be changed.")
    return _(
        "Your portfolio is frozen: the interview has been planned, and the assessors judge the portfolio "
        "as it was then. It can no longer be changed."
    )


def refuse_unless_editable(trajectory: Trajectory) -> None:
    if trajectory.state not in EDITABLE_STATES or trajectory.frozen_at is not None:
        raise TransitionRefusedError(not_editable_message(trajectory.state))


def _file_store(item: PortfolioItem, upload: File[Any], *, original_name: str) -> str:
    """Store the file under a random name with its SHA-256 and original name; returns the stored name."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(FILE_BLOCK):
        digest.update(chunk)
    upload.seek(0)
    item.file_sha256 = digest.hexdigest()
    item.file_name = original_name_clean(original_name)
    # The random name keeps the uploader's name (and any extension a browser might act on) out of the path.
    item.file.save(uuid.uuid4().hex, upload, save=False)
    return item.file.name or ""


def _clean_link(link: str) -> str:
    link = link.strip()
    if not link:
        return ""
    if urlsplit(link).scheme.lower() not in URL_SCHEMES:
        raise ValidationError(
            {"link": _("Only web addresses that start with http:// or https:// are allowed.")}, code="scheme"
        )
    if len(link) > LINK_MAX:
        raise ValidationError({"link": _("The web address is too long.")})
    try:
        URLValidator(schemes=list(URL_SCHEMES))(link)
    except ValidationError as error:
        raise ValidationError({"link": _("Enter a valid web address.")}) from error
    return link


def _clean_themes(*, trajectory: Trajectory, themes: Iterable[Theme]) -> list[Theme]:
    chosen = list(themes)
    with scopes_disabled():
        allowed = set(trajectory.themes.values_list("pk", flat=True))
    if not chosen:
        raise ValidationError({"themes": _("Choose the theme (or themes) this item shows.")})
    if any(theme.pk not in allowed for theme in chosen):
        raise ValidationError({"themes": _("Choose themes of this trajectory.")})
    return chosen


def _clean_item(*, kind: str, title: str, body: str, link: str, has_file: bool) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    if kind not in PortfolioItemKind.values:
        errors["kind"] = _("Choose evidence or a reflection.")
    title, body = title.strip(), body.strip()
    if not title:
        errors["title"] = _("Give the item a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}
    if len(body) > BODY_MAX:
        errors["body"] = _("The text is too long.")
    try:
        link = _clean_link(link)
    except ValidationError as error:
        errors.update({field: " ".join(messages) for field, messages in error.message_dict.items()})
    if not errors:
        if kind == PortfolioItemKind.REFLECTION and not body:
            errors["body"] = _("Write your reflection.")
        elif kind == PortfolioItemKind.EVIDENCE and not (body or link or has_file):
            errors["body"] = _("Add a text, a link or a file: evidence needs something to show.")
    if errors:
        raise ValidationError(errors)
    return title, body, link


def _checked_upload(upload: File[Any] | None) -> File[Any] | None:
    if not upload:
        return None
    try:
        evidence_file_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return upload


def _check_assignment(*, trajectory: Trajectory, assignment: Assignment) -> None:
    if assignment.trajectory_id != trajectory.pk:
        raise ValidationError(_("This assignment is not part of this trajectory. Reload the page and try again."))


# --- writing items ------------------------------------------------------------------------------------


def item_create(
    *,
    actor: Actor,
    trajectory: Trajectory,
    assignment: Assignment,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    file: File[Any] | None = None,
    themes: Iterable[Theme] = (),
) -> PortfolioItem:
    """A new piece of evidence or a reflection for one assignment, while the portfolio may change."""
    authorize(actor, AS_CANDIDATE, trajectory)
    _check_assignment(trajectory=trajectory, assignment=assignment)
    upload = _checked_upload(file)
    title, body, link = _clean_item(kind=kind, title=title, body=body, link=link, has_file=upload is not None)
    theme_list = _clean_themes(trajectory=trajectory, themes=themes)
    with transaction.atomic(), scopes_disabled():
        locked = lock(trajectory)
        refuse_unless_editable(locked)
        now = timezone.now()
        item = PortfolioItem(
            trajectory=locked,
            assignment=assignment,
            kind=kind,
            title=title,
            body=body,
            link=link,
            created_at=now,
            updated_at=now,
        )
        stored = _file_store(item, upload, original_name=upload.name or "") if upload else ""
        try:
            item.full_clean(exclude=["file"])
            item.save()
            item.themes.set(theme_list)
        except BaseException:
            if stored:  # the row is not written: neither is its file
                file_remove(item.file.storage, stored)
            raise
    return item


def item_update(
    *,
    actor: Actor,
    item: PortfolioItem,
    title: str,
    body: str = "",
    link: str = "",
    file: File[Any] | None = None,
    remove_file: bool = False,
    themes: Iterable[Theme] = (),
) -> PortfolioItem:
    """Change an item while the portfolio may change; a new file replaces the old one (removed after commit)."""
    trajectory = item.trajectory
    authorize(actor, AS_CANDIDATE, trajectory)
    upload = _checked_upload(file)
    keeps_file = bool(item.file) and not remove_file
    title, body, link = _clean_item(
        kind=item.kind, title=title, body=body, link=link, has_file=upload is not None or keeps_file
    )
    theme_list = _clean_themes(trajectory=trajectory, themes=themes)
    with transaction.atomic(), scopes_disabled():
        locked = lock(trajectory)
        refuse_unless_editable(locked)
        old = item.file.name if item.file else ""
        item.title, item.body, item.link = title, body, link
        item.updated_at = timezone.now()
        stored = _file_store(item, upload, original_name=upload.name or "") if upload else ""
        if not stored and remove_file and old:
            item.file = None
            item.file_name, item.file_sha256 = "", ""
        try:
            item.full_clean(exclude=["file"])
            item.save()
            item.themes.set(theme_list)
        except BaseException:
            if stored:
                file_remove(item.file.storage, stored)
            raise
        if old and (stored or remove_file):
            transaction.on_commit(partial(file_remove, item.file.storage, old))
    return item


def item_delete(*, actor: Actor, item: PortfolioItem) -> None:
    """Delete an item (and, after commit, its file) while the portfolio may change."""
    authorize(actor, AS_CANDIDATE, item.trajectory)
    with transaction.atomic(), scopes_disabled():
        locked = lock(item.trajectory)
        refuse_unless_editable(locked)
        if item.file:
            transaction.on_commit(partial(file_remove, item.file.storage, item.file.name or ""))
        item.delete()


def _dossier_source(*, actor: Actor, source_kind: str, source_id: Any) -> Evidence | Reflection:
    """One of the actor's own dossier items at the active board, or ValidationError."""
    model: type[Evidence] | type[Reflection] = Reflection if source_kind == "reflection" else Evidence
    found = model.objects.filter(pk=source_id, board_id=actor.board_pk, person=actor.person).first()
    if found is None:
        raise ValidationError({"source": _("Choose an item of your own dossier.")})
    return found


def item_copy_from_dossier(
    *,
    actor: Actor,
    trajectory: Trajectory,
    assignment: Assignment,
    source_kind: str,
    source_id: Any,
    themes: Iterable[Theme] = (),
) -> PortfolioItem:
    """Copy one of the candidate's own dossier items (evidence or a reflection, at the board they enrolled
    from) into an assignment: title, text, link and the file's bytes; the item remembers its source."""
    authorize(actor, AS_CANDIDATE, trajectory)
    _check_assignment(trajectory=trajectory, assignment=assignment)
    if actor.board_id != trajectory.candidate_board_id:
        raise ValidationError(_("Your dossier items come from the organisation you enrolled from. Switch to it first."))
    source = _dossier_source(actor=actor, source_kind=source_kind, source_id=source_id)
    theme_list = _clean_themes(trajectory=trajectory, themes=themes)
    with transaction.atomic(), scopes_disabled():
        locked = lock(trajectory)
        refuse_unless_editable(locked)
        now = timezone.now()
        item = PortfolioItem(trajectory=locked, assignment=assignment, created_at=now, updated_at=now)
        stored = ""
        if isinstance(source, Reflection):
            item.kind = PortfolioItemKind.REFLECTION
            item.title, item.body = source.title[:TITLE_MAX], source.body
            item.source_reflection = source
        else:
            item.kind = PortfolioItemKind.EVIDENCE
            item.title = source.title[:TITLE_MAX]
            lines = [source.description]
            if source.issuer or source.issued_on:
                lines.append(
                    _("Issued by %(issuer)s on %(date)s.")
                    % {
                        "issuer": source.issuer or "–",
                        "date": source.issued_on.strftime("%d-%m-%Y") if source.issued_on else "–",
                    }
                )
            item.body = "\n\n".join(line for line in lines if line)
            item.link = source.url[:LINK_MAX] if source.kind == EvidenceKind.LINK else ""
            item.source_evidence = source
            if source.file:
                # A copy of the bytes, never the dossier's stored file: each side deletes its own.
                with source.file.storage.open(source.file.name or "", "rb") as handle:
                    stored = _file_store(item, File(handle), original_name=source.original_name or "file")
        try:
            item.full_clean(exclude=["file"])
            item.save()
            item.themes.set(theme_list)
        except BaseException:
            if stored:
                file_remove(item.file.storage, stored)
            raise
    return item


# --- the request for assessment -----------------------------------------------------------------------


def trajectory_request_assessment(*, actor: Actor, trajectory: Trajectory) -> Trajectory:
    """The candidate hands in the portfolio (collecting, or after additions): refused, naming per assignment
    what is missing, unless complete. The first request sets `requested_at`, from which the aanbieder's
    staff see the portfolio; the assessors get an e-mail."""
    authorize(actor, AS_CANDIDATE, trajectory)
    with transaction.atomic(), scopes_disabled():
        locked = lock(trajectory)
        if locked.state == TrajectoryState.ENROLLED:
            raise TransitionRefusedError(
                _(
                    "The aanbieder has not yet accepted your enrolment. You can add to your portfolio already, "
                    "and request the assessment once they have."
                )
            )
        TRAJECTORY_MACHINE.move(locked.state, "request_assessment")  # the state's refusal first
        missing = portfolio_missing(locked)
        if missing:
            raise ValidationError([ValidationError(sentence, code="incomplete") for sentence in missing])
        fields = []
        if locked.requested_at is None:
            locked.requested_at = timezone.now()
            fields.append("requested_at")
        move(actor=actor, locked=locked, action="request_assessment", update_fields=fields)
        notify_staff(locked, "requested")
    refresh(trajectory, locked)
    return trajectory
