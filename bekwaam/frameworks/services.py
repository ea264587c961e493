"""Every write to competence frameworks and kijkwijzers: policy check, one transaction, nothing half-written.

A kijkwijzer is a framework of kind "observation" (decision 0007): the same versions, editor, import
and export; its items need no look-fors to be published, and its kind never changes once created.

Versioning (docs/frameworks.md): a board's framework has numbered versions. A draft can be edited,
published or deleted; a published version never changes again (every edit service refuses it) and
cannot be deleted, because measurements point at it. "New version" copies the latest published
version into a draft numbered one higher; a framework has at most one draft (a DB constraint).

The board-level functions (`framework_load`, `framework_adopt_for_board`, `observation_defaults_install`)
take no actor: board creation, the management command and the demo seed call them; the beheerder's
services check the policy first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from bekwaam.frameworks import defaults, mahara, schema
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
from bekwaam.lib.db import unique_or
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board
from bekwaam.tenancy.policy import authorize

UP, DOWN = "up", "down"

Row = TypeVar("Row", ScaleLevel, Domain, Competence, Indicator)
Positioned = TypeVar("Positioned", Domain, Competence, Indicator)


@dataclass(frozen=True)
class ImportResult:
    framework: Framework
    versions: list[FrameworkVersion]
    created: bool  # a new framework; False when the versions were added to an existing one
    kind: str  # "bekwaam" or "mahara"


# --- loading files ----------------------------------------------------------------------------------


def _version_write(*, framework: Framework, data: schema.VersionData, number: int, published: bool) -> FrameworkVersion:
    """One version with its whole tree, in a fixed number of queries (bulk inserts)."""
    board_id = framework.board_id
    version = FrameworkVersion(
        board_id=board_id,
        framework=framework,
        number=number,
        label=data.label,
        notes=data.notes,
        scale_name=data.scale_name,
        status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        published_at=timezone.now() if published else None,
    )
    version.full_clean(exclude=["board", "framework", "based_on"], validate_unique=False, validate_constraints=False)
    version.save()
    ScaleLevel.objects.bulk_create(
        ScaleLevel(board_id=board_id, version=version, value=s.value, label=s.label, description=s.description)
        for s in data.scale
    )
    domains = Domain.objects.bulk_create(
        Domain(board_id=board_id, version=version, code=d.code, name=d.name, description=d.description, position=n)
        for n, d in enumerate(data.domains, start=1)
    )
    competence_rows: list[Competence] = []
    competence_data: list[schema.CompetenceData] = []
    for domain, domain_data in zip(domains, data.domains, strict=True):
        for n, c in enumerate(domain_data.competences, start=1):
            competence_rows.append(
                Competence(
                    board_id=board_id,
                    version=version,
                    domain=domain,
                    code=c.code,
                    name=c.name,
                    description=c.description,
                    position=n,
                )
            )
            competence_data.append(c)
    competences = Competence.objects.bulk_create(competence_rows)
    Indicator.objects.bulk_create(
        (
            Indicator(board_id=board_id, competence=competence, code=i.code, text=i.text, position=n)
            for competence, c in zip(competences, competence_data, strict=True)
            for n, i in enumerate(c.indicators, start=1)
        ),
        batch_size=500,
    )
    return version


def _versions_add(
    *, framework: Framework, versions: Sequence[schema.VersionData], draft: bool, keep_numbers: bool
) -> list[FrameworkVersion]:
    """Write versions after the framework's existing ones; `draft` makes the single version a draft."""
    if draft and len(versions) != 1:
        raise ValidationError(_("Only one version can be added as a draft."))
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    existing = list(FrameworkVersion.objects.filter(framework=locked).values_list("number", "label", "status"))
    current_draft = next((number for number, _label, status in existing if status == VersionStatus.DRAFT), None)
    if current_draft is not None:
        raise ValidationError(
            _("This framework has a draft (version %(number)s). Publish or delete it first.")
            % {"number": current_draft}
        )
    labels = {label.casefold() for _number, label, _status in existing if label}
    for version in versions:
        if version.label and version.label.casefold() in labels:
            raise ValidationError(
                _("%(framework)s already has a version “%(label)s”.")
                % {"framework": locked.name, "label": version.label}
            )
    next_number = max((number for number, _label, _status in existing), default=0) + 1
    written = []
    for n, version in enumerate(versions):
        number = version.number if keep_numbers and version.number is not None else next_number + n
        written.append(_version_write(framework=locked, data=version, number=number, published=not draft))
    return written


def framework_load(*, board: Board, data: Any, shipped_as: str = "", as_draft: bool = False) -> Framework:
    """Create a framework of the board from a decoded framework file; checks it all first, writes all or nothing.

    Every version becomes a published version (numbers from the file when it has them), or, with
    `as_draft`, the file's single version becomes draft 1. ValidationError lists what is wrong, per
    place in the file; a board that already has a framework with the file's slug is refused.
    """
    parsed = schema.parse(data, complete=not as_draft)
    taken = ValidationError(_("Your board already has a framework with the code “%(slug)s”.") % {"slug": parsed.slug})
    with scope(board=[board.pk]), transaction.atomic():
        if Framework.objects.filter(board=board, slug=parsed.slug).exists():
            raise taken
        framework = Framework(
            board=board,
            slug=parsed.slug,
            name=parsed.name,
            audience=parsed.audience,
            kind=parsed.kind,
            source=parsed.source,
            shipped_as=shipped_as,
        )
        framework.full_clean(validate_constraints=False)
        with unique_or(taken):
            framework.save()
        _versions_add(framework=framework, versions=parsed.versions, draft=as_draft, keep_numbers=True)
    return framework


def framework_adopt_for_board(*, board: Board, slug: str) -> Framework:
    """Adopt a shipped framework for a board; idempotent: a board that has it already gets it back."""
    data = defaults.shipped_data(slug)
    if data is None:
        raise ValidationError(_("Bekwaam ships no framework with the code “%(slug)s”.") % {"slug": slug})
    with scope(board=[board.pk]):
        existing = Framework.objects.filter(board=board, shipped_as=slug).first()
    if existing is not None:
        return existing
    return framework_load(board=board, data=data, shipped_as=slug)


def observation_defaults_install(*, board: Board) -> list[Framework]:
    """Adopt every kijkwijzer Bekwaam ships for a board (a new board gets them); idempotent."""
    return [
        framework_adopt_for_board(board=board, slug=slug)
        for slug in defaults.shipped_slugs(kind=FrameworkKind.OBSERVATION)
    ]


def framework_adopt(*, actor: Actor, slug: str) -> Framework:
    """The beheerder adopts a shipped framework: all its versions, published; adopting it twice is refused."""
    authorize(actor, "frameworks.manage")
    shipped = next((f for f in defaults.shipped_frameworks() if f.slug == slug), None)
    if shipped is None:
        raise ValidationError(_("Bekwaam ships no framework with the code “%(slug)s”.") % {"slug": slug})
    board = Board.objects.get(pk=actor.board_pk)
    existing = Framework.objects.filter(Q(slug=slug) | Q(shipped_as=slug), board=board).first()
    if existing is not None and existing.shipped_as == slug:
        raise ValidationError(_("Your board has already adopted %(name)s.") % {"name": existing.name})
    if existing is not None:
        raise ValidationError(
            _("Your board already has its own framework with the code “%(slug)s” (%(name)s).")
            % {"slug": slug, "name": existing.name}
        )
    try:
        return framework_adopt_for_board(board=board, slug=slug)
    except ValidationError:
        # A second click that raced past the check above meets the unique slug: same answer.
        raise ValidationError(_("Your board has already adopted %(name)s.") % {"name": shipped.name}) from None


def _free_slug(board_id: int, wanted: str) -> str:
    taken = set(Framework.objects.filter(board_id=board_id).values_list("slug", flat=True))
    slug, n = wanted, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = wanted[: schema.SLUG_MAX - len(suffix)] + suffix
        n += 1
    return slug


def framework_import(*, actor: Actor, content: bytes, target: Framework | None = None) -> ImportResult:
    """Import a Bekwaam framework file or a Mahara .matrix file, as a new framework or into `target`.

    A Bekwaam file's versions become published versions; it must name the target's slug. A Mahara
    matrix becomes a draft (of a new framework, or the target's next version) to check and publish.
    """
    authorize(actor, "frameworks.manage")
    if target is not None:
        authorize(actor, "frameworks.change_framework", target)
    data = schema.decode(content)
    board = Board.objects.get(pk=actor.board_pk)
    if mahara.is_matrix(data):
        converted = mahara.matrix_to_data(data)
        if target is None:
            converted["slug"] = _free_slug(board.pk, converted["slug"])
            framework = framework_load(board=board, data=converted, as_draft=True)
            return ImportResult(framework, list(framework.versions.all()), created=True, kind="mahara")
        # A matrix has no kind of its own: it becomes the next draft of whichever kind the target is.
        parsed = schema.parse(converted, complete=False)
        with transaction.atomic():
            versions = _versions_add(framework=target, versions=parsed.versions, draft=True, keep_numbers=False)
        return ImportResult(target, versions, created=False, kind="mahara")
    if not isinstance(data, dict) or "schema" not in data:
        raise ValidationError(_("This is neither a Bekwaam framework file (JSON) nor a Mahara matrix file."))
    if target is None:
        parsed = schema.parse(data)
        existing = Framework.objects.filter(board=board, slug=parsed.slug).first()
        if existing is not None:
            raise ValidationError(
                _(
                    "Your board already has a framework with the code “%(slug)s” (%(name)s). To add the file's "
                    "versions to it, choose it under “Add as new versions of”."
                )
                % {"slug": parsed.slug, "name": existing.name}
            )
        framework = framework_load(board=board, data=data)
        return ImportResult(framework, list(framework.versions.order_by("number")), created=True, kind="bekwaam")
    parsed = schema.parse(data)
    if parsed.slug != target.slug:
        raise ValidationError(
            _("This file holds the framework “%(file)s”, not “%(target)s”: the codes differ.")
            % {"file": parsed.slug, "target": target.slug}
        )
    _same_kind(parsed, target)
    with transaction.atomic():
        versions = _versions_add(framework=target, versions=parsed.versions, draft=False, keep_numbers=False)
    return ImportResult(target, versions, created=False, kind="bekwaam")


def _same_kind(parsed: schema.FrameworkData, target: Framework) -> None:
    """Refuse versions of a kijkwijzer for a competence framework, and the other way round."""
    if parsed.kind != target.kind:
        raise ValidationError(
            _("This file holds a %(file_kind)s, but %(name)s is a %(target_kind)s: the kinds differ.")
            % {
                "file_kind": FrameworkKind(parsed.kind).label,
                "name": target.name,
                "target_kind": FrameworkKind(target.kind).label,
            }
        )


# --- the board's own frameworks ---------------------------------------------------------------------


def framework_create(
    *, actor: Actor, name: str, slug: str, audience: str, source: str = "", kind: str = FrameworkKind.COMPETENCES
) -> Framework:
    """A new framework (or kijkwijzer, by `kind`) of the actor's board with an empty draft version 1.

    The kind is chosen once: it decides where the framework is used, so it never changes afterwards."""
    authorize(actor, "frameworks.manage")
    slug = slug.strip() or slugify(name)[: schema.SLUG_MAX]
    taken = ValidationError({"slug": _("Your board already has a framework with this code.")})
    with transaction.atomic():
        if Framework.objects.filter(board_id=actor.board_pk, slug=slug).exists():
            raise taken
        framework = Framework(
            board_id=actor.board_pk, slug=slug, name=name.strip(), audience=audience, source=source, kind=kind
        )
        framework.full_clean(validate_constraints=False)
        with unique_or(taken):
            framework.save()
        FrameworkVersion.objects.create(board_id=actor.board_pk, framework=framework, number=1)
    return framework


def framework_update(*, actor: Actor, framework: Framework, name: str, audience: str, source: str) -> Framework:
    """Change a framework's name, audience and source (its code and its versions stay as they are)."""
    authorize(actor, "frameworks.change_framework", framework)
    with transaction.atomic():
        locked = Framework.objects.select_for_update().get(pk=framework.pk)
        locked.name, locked.audience, locked.source = name.strip(), audience, source.strip()
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=["name", "audience", "source"])
    return locked


# --- versions ---------------------------------------------------------------------------------------


def _draft_locked(actor: Actor, version_id: Any) -> FrameworkVersion:
    """The version row, locked, when the actor may change it and it is still a draft."""
    version = FrameworkVersion.objects.select_for_update().select_related("framework").get(pk=version_id)
    authorize(actor, "frameworks.change_framework", version)
    if version.is_published:
        raise ValidationError(
            _("Version %(number)s has been published and can no longer be changed. Start a new version instead.")
            % {"number": version.number}
        )
    return version


def version_update(*, actor: Actor, version: FrameworkVersion, label: str, scale_name: str, notes: str) -> None:
    """Change a draft's label, scale name and notes."""
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        locked.label, locked.scale_name, locked.notes = label.strip(), scale_name.strip(), notes.strip()
        locked.full_clean(exclude=["board", "framework", "based_on"], validate_constraints=False)
        locked.save(update_fields=["label", "scale_name", "notes"])


def version_problems(version: FrameworkVersion) -> list[str]:
    """What keeps a version from being published: a scale, a domain, and no empty domain or competence.

    A kijkwijzer's items need no look-fors (the items are what an observer scores)."""
    observation = version.framework.kind == FrameworkKind.OBSERVATION
    problems = []
    if not ScaleLevel.objects.filter(version=version).exists():
        problems.append(_("The rating scale needs at least one level."))
    domains = list(Domain.objects.filter(version=version).order_by("position", "code"))
    if not domains:
        problems.append(_("Add at least one observation domain.") if observation else _("Add at least one domain."))
    filled = set(Competence.objects.filter(version=version).values_list("domain_id", flat=True))
    problems += [
        (
            _("Observation domain %(code)s “%(name)s” has no items.")
            if observation
            else _("Domain %(code)s “%(name)s” has no competences.")
        )
        % {"code": d.code, "name": d.name}
        for d in domains
        if d.pk not in filled
    ]
    if observation:
        return problems
    empty = (
        Competence.objects.filter(version=version, indicators__isnull=True)
        .select_related("domain")
        .order_by("domain__position", "position", "code")
    )
    problems += [
        _("Competence %(code)s “%(name)s” has no indicators.") % {"code": c.code, "name": c.name} for c in empty
    ]
    return problems


def version_publish(*, actor: Actor, version: FrameworkVersion) -> FrameworkVersion:
    """Publish a complete draft; from now on it never changes. ValidationError lists what is missing."""
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        problems = version_problems(locked)
        if problems:
            raise ValidationError(problems)
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
    return locked


def version_create_draft(*, actor: Actor, framework: Framework) -> FrameworkVersion:
    """A new draft, numbered after the last version: a deep copy of the latest published version (with
    its scale), or empty when nothing is published yet. A framework has at most one draft."""
    authorize(actor, "frameworks.change_framework", framework)
    exists = ValidationError(_("This framework already has a draft: continue with that one."))
    with transaction.atomic():
        locked = Framework.objects.select_for_update().get(pk=framework.pk)
        versions = FrameworkVersion.objects.filter(framework=locked)
        if versions.filter(status=VersionStatus.DRAFT).exists():
            raise exists
        number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
        source = versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
        draft = FrameworkVersion(
            board_id=locked.board_id,
            framework=locked,
            number=number,
            label="",
            scale_name=source.scale_name if source else "",
            notes=source.notes if source else "",
            based_on=source,
        )
        with unique_or(exists):
            draft.save()
        if source is not None:
            _tree_copy(source=source, target=draft)
    return draft


def _tree_copy(*, source: FrameworkVersion, target: FrameworkVersion) -> None:
    """Copy scale, domains, competences and indicators in a fixed number of queries."""
    board_id = target.board_id
    ScaleLevel.objects.bulk_create(
        ScaleLevel(board_id=board_id, version=target, value=s.value, label=s.label, description=s.description)
        for s in ScaleLevel.objects.filter(version=source).order_by("value")
    )
    old_domains = list(Domain.objects.filter(version=source).order_by("position", "code"))
    new_domains = Domain.objects.bulk_create(
        Domain(
            board_id=board_id,
            version=target,
            code=d.code,
            name=d.name,
            description=d.description,
            position=d.position,
        )
        for d in old_domains
    )
    domain_map = {old.pk: new for old, new in zip(old_domains, new_domains, strict=True)}
    old_competences = list(Competence.objects.filter(version=source).order_by("position", "code"))
    new_competences = Competence.objects.bulk_create(
        Competence(
            board_id=board_id,
            version=target,
            domain=domain_map[c.domain_id],
            code=c.code,
            name=c.name,
            description=c.description,
            position=c.position,
        )
        for c in old_competences
    )
    competence_map = {old.pk: new for old, new in zip(old_competences, new_competences, strict=True)}
    Indicator.objects.bulk_create(
        (
            Indicator(
                board_id=board_id,
                competence=competence_map[i.competence_id],
                code=i.code,
                text=i.text,
                position=i.position,
            )
            for i in Indicator.objects.filter(competence__version=source).order_by("position", "code")
        ),
        batch_size=500,
    )


def version_delete(*, actor: Actor, version: FrameworkVersion) -> bool:
    """Delete a draft (a published version is never deleted: measurements point at it).

    A framework whose only version was this draft goes with it; returns True when that happened.
    """
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        framework = locked.framework
        try:
            locked.delete()
        except ProtectedError:
            raise ValidationError(_("This draft is in use and cannot be deleted.")) from None
        if not FrameworkVersion.objects.filter(framework=framework).exists():
            framework.delete()
            return True
    return False


# --- editing a draft --------------------------------------------------------------------------------


def _code_taken(rows: Any, code: str, exclude_pk: Any = None) -> bool:
    matches = rows.filter(code__iexact=code.strip())
    if exclude_pk is not None:
        matches = matches.exclude(pk=exclude_pk)
    return bool(matches.exists())


def _code_or_next(rows: Any, code: str, prefix: str) -> str:
    """The code typed, or (left empty) the number after the highest one under `prefix` ("D1." → "D1.3")."""
    code = code.strip()
    if code:
        return code
    taken = {c.casefold() for c in rows.values_list("code", flat=True)}
    folded = prefix.casefold()
    numbers = [int(c[len(folded) :]) for c in taken if c.startswith(folded) and c[len(folded) :].isdigit()]
    n = max(numbers, default=0) + 1
    while True:
        candidate = f"{prefix}{n}" if len(prefix) + len(str(n)) <= schema.CODE_MAX else str(n)
        if candidate.casefold() not in taken:
            return candidate
        n += 1


DOMAIN, COMPETENCE, INDICATOR = "domain", "competence", "indicator"


def _code_taken_error(version: FrameworkVersion, part: str) -> ValidationError:
    """The "code taken" error in the words of the framework's kind (a kijkwijzer has items and look-fors)."""
    observation = version.framework.kind == FrameworkKind.OBSERVATION
    if part == DOMAIN:
        message = (
            _("Another observation domain of this version has this code.")
            if observation
            else _("Another domain of this version has this code.")
        )
    elif part == COMPETENCE:
        message = (
            _("Another item of this version has this code.")
            if observation
            else _("Another competence of this version has this code.")
        )
    else:
        message = (
            _("Another look-for of this item has this code.")
            if observation
            else _("Another indicator of this competence has this code.")
        )
    return ValidationError({"code": message})


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(last=Max("position"))["last"] or 0) + 1


def _save(row: Row, taken: ValidationError, fields: list[str] | None = None) -> Row:
    """Validate and save a row; `fields` saves only those (an edit never writes back a stale position)."""
    row.full_clean(exclude=["board", "version", "domain", "competence"], validate_constraints=False)
    with unique_or(taken):
        row.save(update_fields=fields)
    return row


def _delete(row: Row) -> None:
    try:
        row.delete()
    except ProtectedError:
        raise ValidationError(_("This part is in use and cannot be deleted.")) from None


def _check_direction(direction: str) -> None:
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose up or down."))


def _reorder(siblings: list[Positioned], row: Positioned, direction: str) -> None:
    """Move a row one place up or down among its siblings, renumbering positions 1..n."""
    _check_direction(direction)
    order = [s.pk for s in siblings]
    at = order.index(row.pk)
    to = at - 1 if direction == UP else at + 1
    if not 0 <= to < len(siblings):
        return
    siblings[at], siblings[to] = siblings[to], siblings[at]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


# Scale levels


def scale_level_create(
    *, actor: Actor, version: FrameworkVersion, value: int, label: str, description: str = ""
) -> ScaleLevel:
    """Add a level to a draft's rating scale; its value is unique in the scale."""
    taken = ValidationError({"value": _("This scale already has a level with this value.")})
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        if ScaleLevel.objects.filter(version=locked, value=value).exists():
            raise taken
        level = ScaleLevel(
            board_id=locked.board_id, version=locked, value=value, label=label.strip(), description=description.strip()
        )
        return _save(level, taken)


def scale_level_update(*, actor: Actor, level: ScaleLevel, value: int, label: str, description: str = "") -> ScaleLevel:
    """Change a level of a draft's scale (value, label, description)."""
    taken = ValidationError({"value": _("This scale already has a level with this value.")})
    with transaction.atomic():
        _draft_locked(actor, level.version_id)
        if ScaleLevel.objects.filter(version_id=level.version_id, value=value).exclude(pk=level.pk).exists():
            raise taken
        row = ScaleLevel.objects.select_for_update().get(pk=level.pk)
        row.value, row.label, row.description = value, label.strip(), description.strip()
        return _save(row, taken, ["value", "label", "description"])


def scale_level_delete(*, actor: Actor, level: ScaleLevel) -> None:
    """Delete a level of a draft's scale."""
    with transaction.atomic():
        _draft_locked(actor, level.version_id)
        _delete(level)


def scale_level_move(*, actor: Actor, level: ScaleLevel, direction: str) -> None:
    """Swap a level's value with the next lower (up) or higher (down) one: the labels change places."""
    _check_direction(direction)
    with transaction.atomic():
        _draft_locked(actor, level.version_id)
        levels = list(ScaleLevel.objects.filter(version_id=level.version_id).order_by("value"))
        order = [s.pk for s in levels]
        at = order.index(level.pk)
        to = at - 1 if direction == UP else at + 1
        if not 0 <= to < len(levels):
            return
        mine, theirs = levels[at], levels[to]
        values = {s.value for s in levels}
        parking = next(v for v in range(schema.MAX_SCALE_VALUE, -1, -1) if v not in values)
        # One at a time through a free value: (version, value) is unique at every step.
        mine_value, theirs_value = mine.value, theirs.value
        ScaleLevel.objects.filter(pk=mine.pk).update(value=parking)
        ScaleLevel.objects.filter(pk=theirs.pk).update(value=mine_value)
        ScaleLevel.objects.filter(pk=mine.pk).update(value=theirs_value)


# Domains


def domain_create(*, actor: Actor, version: FrameworkVersion, code: str, name: str, description: str = "") -> Domain:
    """Add a domain at the end of a draft; an empty code takes the next number."""
    with transaction.atomic():
        locked = _draft_locked(actor, version.pk)
        taken = _code_taken_error(locked, DOMAIN)
        domains = Domain.objects.filter(version=locked)
        code = _code_or_next(domains, code, "")
        if _code_taken(domains, code):
            raise taken
        domain = Domain(
            board_id=locked.board_id,
            version=locked,
            code=code.strip(),
            name=name.strip(),
            description=description.strip(),
            position=_next_position(domains),
        )
        return _save(domain, taken)


def domain_update(*, actor: Actor, domain: Domain, code: str, name: str, description: str = "") -> Domain:
    """Change a domain of a draft; its code stays unique in the version."""
    with transaction.atomic():
        taken = _code_taken_error(_draft_locked(actor, domain.version_id), DOMAIN)
        if _code_taken(Domain.objects.filter(version_id=domain.version_id), code, domain.pk):
            raise taken
        row = Domain.objects.select_for_update().get(pk=domain.pk)
        row.code, row.name, row.description = code.strip(), name.strip(), description.strip()
        return _save(row, taken, ["code", "name", "description"])


def domain_delete(*, actor: Actor, domain: Domain) -> None:
    """Delete a domain of a draft with its competences and their indicators."""
    with transaction.atomic():
        _draft_locked(actor, domain.version_id)
        _delete(domain)


def domain_move(*, actor: Actor, domain: Domain, direction: str) -> None:
    """Move a domain of a draft one place up or down."""
    with transaction.atomic():
        _draft_locked(actor, domain.version_id)
        siblings = list(Domain.objects.filter(version_id=domain.version_id).order_by("position", "code"))
        _reorder(siblings, domain, direction)


# Competences


def competence_create(*, actor: Actor, domain: Domain, code: str, name: str, description: str = "") -> Competence:
    """Add a competence at the end of a domain of a draft; an empty code takes the next number."""
    with transaction.atomic():
        locked = _draft_locked(actor, domain.version_id)
        taken = _code_taken_error(locked, COMPETENCE)
        code = _code_or_next(Competence.objects.filter(version=locked), code, f"{domain.code}.")
        if _code_taken(Competence.objects.filter(version=locked), code):
            raise taken
        competence = Competence(
            board_id=locked.board_id,
            version=locked,
            domain=domain,
            code=code.strip(),
            name=name.strip(),
            description=description.strip(),
            position=_next_position(Competence.objects.filter(domain=domain)),
        )
        return _save(competence, taken)


def competence_update(
    *, actor: Actor, competence: Competence, code: str, name: str, description: str = "", domain: Domain | None = None
) -> Competence:
    """Change a competence of a draft; a `domain` of the same version moves it there (as the last one)."""
    with transaction.atomic():
        taken = _code_taken_error(_draft_locked(actor, competence.version_id), COMPETENCE)
        if _code_taken(Competence.objects.filter(version_id=competence.version_id), code, competence.pk):
            raise taken
        row = Competence.objects.select_for_update().get(pk=competence.pk)
        fields = ["code", "name", "description"]
        if domain is not None and domain.pk != row.domain_id:
            if domain.version_id != row.version_id:
                raise ValidationError({"domain": _("Choose a domain of this version.")})
            row.domain = domain
            row.position = _next_position(Competence.objects.filter(domain=domain))
            fields += ["domain", "position"]
        row.code, row.name, row.description = code.strip(), name.strip(), description.strip()
        return _save(row, taken, fields)


def competence_delete(*, actor: Actor, competence: Competence) -> None:
    """Delete a competence of a draft with its indicators."""
    with transaction.atomic():
        _draft_locked(actor, competence.version_id)
        _delete(competence)


def competence_move(*, actor: Actor, competence: Competence, direction: str) -> None:
    """Move a competence one place up or down within its domain."""
    with transaction.atomic():
        _draft_locked(actor, competence.version_id)
        siblings = list(Competence.objects.filter(domain_id=competence.domain_id).order_by("position", "code"))
        _reorder(siblings, competence, direction)


# Indicators


def indicator_create(*, actor: Actor, competence: Competence, code: str, text: str) -> Indicator:
    """Add an indicator at the end of a competence of a draft; an empty code takes the next number."""
    with transaction.atomic():
        locked = _draft_locked(actor, competence.version_id)
        taken = _code_taken_error(locked, INDICATOR)
        indicators = Indicator.objects.filter(competence=competence)
        code = _code_or_next(indicators, code, f"{competence.code}.")
        if _code_taken(indicators, code):
            raise taken
        indicator = Indicator(
            board_id=locked.board_id,
            competence=competence,
            code=code.strip(),
            text=text.strip(),
            position=_next_position(indicators),
        )
        return _save(indicator, taken)


def indicator_update(*, actor: Actor, indicator: Indicator, code: str, text: str) -> Indicator:
    """Change an indicator of a draft; its code stays unique in the competence."""
    with transaction.atomic():
        taken = _code_taken_error(_draft_locked(actor, indicator.competence.version_id), INDICATOR)
        if _code_taken(Indicator.objects.filter(competence_id=indicator.competence_id), code, indicator.pk):
            raise taken
        row = Indicator.objects.select_for_update().get(pk=indicator.pk)
        row.code, row.text = code.strip(), text.strip()
        return _save(row, taken, ["code", "text"])


def indicator_delete(*, actor: Actor, indicator: Indicator) -> None:
    """Delete an indicator of a draft."""
    with transaction.atomic():
        _draft_locked(actor, indicator.competence.version_id)
        _delete(indicator)


def indicator_move(*, actor: Actor, indicator: Indicator, direction: str) -> None:
    """Move an indicator one place up or down within its competence."""
    with transaction.atomic():
        _draft_locked(actor, indicator.competence.version_id)
        siblings = list(Indicator.objects.filter(competence_id=indicator.competence_id).order_by("position", "code"))
        _reorder(siblings, indicator, direction)
