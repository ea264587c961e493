"""Writes of the board's own judgement scale for self-evaluations (JudgementLevel).

Every board starts with the default scale onvoldoende / voldoende / goed, where "goed" means the school
meets its own ambition (REFERENCE.md section 0 item 6). It is created on first use by one function,
`judgement_scale_ensure`, which is idempotent and safe when two requests race. The kwaliteitsmedewerker
renames, adds, reorders and archives levels; a level a judgement refers to is never deleted (PROTECT),
only archived: old evaluations keep showing it, new judgements cannot choose it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_scopes import scopes_disabled

from bekwaam.lib.db import unique_or
from bekwaam.quality.models import JudgementLevel, StandardAssessment
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board
from bekwaam.tenancy.policy import authorize

MANAGE = "quality.manage"
MIN_ACTIVE_LEVELS = 2
MAX_LEVELS = 10
DUPLICATE_LABEL = _lazy("The scale has a level with this name already.")
UP, DOWN = "up", "down"

# The shipped scale: board data, so in Dutch like the rest of a board's own wording; the board renames it.
DEFAULT_SCALE: tuple[tuple[int, str, str], ...] = (
    (1, "Onvoldoende", "De school voldoet niet aan de standaard."),
    (2, "Voldoende", "De school voldoet aan de standaard."),
    (3, "Goed", "De school voldoet aan de standaard en haalt haar eigen ambitie."),
)


def judgement_scale_ensure(*, board_id: int) -> None:
    """Give the board the default scale when it has no levels yet; never changes a scale that exists.

    Idempotent and race-safe: the board row is locked while checking, and the unique (board, value)
    constraint makes a second insert a no-op where the database does not lock (SQLite serialises writes).
    """
    with scopes_disabled():
        if JudgementLevel.objects.filter(board_id=board_id).exists():
            return
        with transaction.atomic():
            Board.objects.select_for_update().filter(pk=board_id).first()
            if JudgementLevel.objects.filter(board_id=board_id).exists():
                return
            JudgementLevel.objects.bulk_create(
                (
                    JudgementLevel(board_id=board_id, value=value, label=label, description=description)
                    for value, label, description in DEFAULT_SCALE
                ),
                ignore_conflicts=True,
            )


def _in_use(level: JudgementLevel) -> bool:
    return StandardAssessment.objects.filter(board_id=level.board_id, level=level).exists()


def _own(actor: Actor, level: JudgementLevel) -> None:
    authorize(actor, MANAGE)
    if level.board_id != actor.board_id:
        raise ValidationError(_("This level is not part of your board's scale."), code="other_board")


def _lock(actor: Actor, level: JudgementLevel) -> JudgementLevel:
    Board.objects.select_for_update().filter(pk=actor.board_pk).first()  # the scale changes one at a time
    return JudgementLevel.objects.select_for_update().get(pk=level.pk, board_id=actor.board_pk)


def judgement_level_create(*, actor: Actor, label: str, description: str = "") -> JudgementLevel:
    """A new level at the top of the board's scale (move it down to place it between others)."""
    authorize(actor, MANAGE)
    label = label.strip()
    judgement_scale_ensure(board_id=actor.board_pk)
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=actor.board_pk).first()
        levels = JudgementLevel.objects.filter(board_id=actor.board_pk)
        if levels.count() >= MAX_LEVELS:
            raise ValidationError(_("A scale has at most %(max)s levels.") % {"max": MAX_LEVELS}, code="max_levels")
        if levels.filter(label__iexact=label).exists():
            raise ValidationError({"label": ValidationError(DUPLICATE_LABEL, code="duplicate")})
        top = levels.aggregate(top=Max("value"))["top"] or 0
        level = JudgementLevel(board_id=actor.board_pk, value=top + 1, label=label, description=description.strip())
        level.full_clean()
        with unique_or(ValidationError(_("The scale was changed at the same time; try again."))):
            level.save()
    return level


def judgement_level_update(*, actor: Actor, level: JudgementLevel, label: str, description: str) -> JudgementLevel:
    """Rename or describe a level; every evaluation that used it shows the new name."""
    _own(actor, level)
    label = label.strip()
    with transaction.atomic():
        locked = _lock(actor, level)
        others = JudgementLevel.objects.filter(board_id=actor.board_pk).exclude(pk=locked.pk)
        if others.filter(label__iexact=label).exists():
            raise ValidationError({"label": ValidationError(DUPLICATE_LABEL, code="duplicate")})
        locked.label, locked.description = label, description.strip()
        locked.full_clean()
        locked.save(update_fields=["label", "description"])
    return locked


def judgement_level_archive(*, actor: Actor, level: JudgementLevel) -> JudgementLevel:
    """Stop offering a level for new judgements; the scale keeps at least two levels in use."""
    _own(actor, level)
    with transaction.atomic():
        locked = _lock(actor, level)
        if locked.archived:
            return locked
        active = JudgementLevel.objects.filter(board_id=actor.board_pk, archived=False).count()
        if active <= MIN_ACTIVE_LEVELS:
            raise ValidationError(
                _("A scale needs at least two levels: add another level before archiving this one."), code="min_levels"
            )
        locked.archived = True
        locked.save(update_fields=["archived"])
    return locked


def judgement_level_restore(*, actor: Actor, level: JudgementLevel) -> JudgementLevel:
    """Offer an archived level again."""
    _own(actor, level)
    with transaction.atomic():
        locked = _lock(actor, level)
        if locked.archived:
            locked.archived = False
            locked.save(update_fields=["archived"])
    return locked


def judgement_level_delete(*, actor: Actor, level: JudgementLevel) -> None:
    """Remove a level no judgement has used (a typo); a level in use can only be archived."""
    _own(actor, level)
    with transaction.atomic():
        locked = _lock(actor, level)
        if _in_use(locked):
            raise ValidationError(
                _("“%(label)s” is used in a self-evaluation and cannot be deleted; archive it instead.")
                % {"label": locked.label},
                code="in_use",
            )
        active = JudgementLevel.objects.filter(board_id=actor.board_pk, archived=False).count()
        if not locked.archived and active <= MIN_ACTIVE_LEVELS:
            raise ValidationError(
                _("A scale needs at least two levels: add another level before deleting this one."), code="min_levels"
            )
        locked.delete()


def judgement_level_move(*, actor: Actor, level: JudgementLevel, direction: str) -> JudgementLevel:
    """Swap a level with its neighbour above or below (the order is what "higher" means on the scale)."""
    _own(actor, level)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose up or down."))
    with transaction.atomic():
        locked = _lock(actor, level)
        levels = JudgementLevel.objects.filter(board_id=actor.board_pk)
        neighbour = (
            levels.filter(value__gt=locked.value).order_by("value").first()
            if direction == UP
            else levels.filter(value__lt=locked.value).order_by("-value").first()
        )
        if neighbour is None:
            return locked
        mine, theirs = locked.value, neighbour.value
        # Values are unique per board: park this level on 0 (never a real value) while the neighbour moves.
        locked.value = 0
        locked.save(update_fields=["value"])
        neighbour.value = mine
        neighbour.save(update_fields=["value"])
        locked.value = theirs
        locked.save(update_fields=["value"])
    return locked
