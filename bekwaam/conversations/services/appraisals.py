"""Writes of the beoordeling (appraisal): the board's criteria and scale, and each appraisal's workflow.

The workflow is APPRAISAL_MACHINE (models.py): the leidinggevende writes a draft, puts it forward (the
ratings keep the names and labels they had then), may take it back until the medewerker signs; the
medewerker reacts in writing and signs "akkoord" or "gezien, niet akkoord"; the leidinggevende signs and
the appraisal is final (definitief) from then on. The beheerder records that an objection was made.
Every move locks the appraisal row and goes through `state_move`; a final appraisal is never written
again (every service here refuses it, before anything is saved).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.conversations.models import (
    APPRAISAL_MACHINE,
    Appraisal,
    AppraisalCriterion,
    AppraisalLevel,
    AppraisalRating,
    AppraisalState,
    Conversation,
    ConversationKind,
    ConversationState,
    EventSubject,
    SignedPart,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.services import signature_add, state_move
from bekwaam.dossier.models import Evidence
from bekwaam.dossier.selectors import visible_items_of
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board
from bekwaam.tenancy.policy import authorize

DEFAULTS_PATH = Path(__file__).resolve().parent.parent / "defaults" / "appraisal.json"
MIN_LEVELS = 2  # a scale of one level judges nothing
MAX_LEVEL_VALUE = 20


# --- the shipped defaults ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedAppraisal:
    criteria: tuple[tuple[str, str], ...]  # (name, description)
    scale: tuple[tuple[int, str], ...]  # (value, label)


@cache
def shipped_appraisal() -> ShippedAppraisal:
    """The criteria and scale in defaults/appraisal.json, checked once per process (a broken file fails loudly)."""
    data: dict[str, Any] = json.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))
    try:
        criteria = tuple((str(c["name"]), str(c.get("description", ""))) for c in data["criteria"])
        scale = tuple((int(level["value"]), str(level["label"])) for level in data["scale"])
    except (KeyError, TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"{DEFAULTS_PATH.name}: {error}") from error
    values = [value for value, _label in scale]
    if not criteria or len(scale) < MIN_LEVELS or len(set(values)) != len(values):
        raise ImproperlyConfigured(f"{DEFAULTS_PATH.name}: criteria, and a scale of distinct values, are required")
    return ShippedAppraisal(criteria=criteria, scale=scale)


def appraisal_defaults_install(*, board_id: int) -> None:
    """Give the board the shipped criteria when it has none, and the shipped scale when it has none; safe to repeat.

    Called when a board is set up (conversations' conversation_defaults_install), by the platform operator,
    so no actor: it only ever adds the shipped data to a board that lacks it, never changes what is there.
    """
    shipped = shipped_appraisal()
    with transaction.atomic(), scopes_disabled():
        # The board row serialises two installs at once (both would otherwise see "none" and add).
        Board.objects.select_for_update().filter(pk=board_id).first()
        if not AppraisalCriterion.objects.filter(board_id=board_id).exists():
            AppraisalCriterion.objects.bulk_create(
                AppraisalCriterion(board_id=board_id, name=name, description=description, position=position)
                for position, (name, description) in enumerate(shipped.criteria)
            )
        if not AppraisalLevel.objects.filter(board_id=board_id).exists():
            AppraisalLevel.objects.bulk_create(
                AppraisalLevel(board_id=board_id, value=value, label=label) for value, label in shipped.scale
            )


# --- the beheerder's criteria and scale --------------------------------------------------------------


def _criterion_in_use(criterion: AppraisalCriterion) -> bool:
    return AppraisalRating.objects.filter(board_id=criterion.board_id, criterion=criterion).exists()


def _level_in_use(level: AppraisalLevel) -> bool:
    return (
        AppraisalRating.objects.filter(board_id=level.board_id, level=level).exists()
        or Appraisal.objects.filter(board_id=level.board_id, overall_level=level).exists()
    )


def _own_board(actor: Actor, record: AppraisalCriterion | AppraisalLevel) -> None:
    authorize(actor, "conversations.manage")
    if record.board_id != actor.board_id:
        raise ValidationError(_("This is not part of your board's settings."))


def appraisal_criterion_create(*, actor: Actor, name: str, description: str = "") -> AppraisalCriterion:
    """A new criterion at the end of the board's list; appraisals still in draft are judged on it too."""
    authorize(actor, "conversations.manage")
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=actor.board_pk).first()  # distinct positions
        last = AppraisalCriterion.objects.filter(board_id=actor.board_pk).aggregate(last=Max("position"))["last"]
        criterion = AppraisalCriterion(
            board_id=actor.board_pk,
            name=name.strip(),
            description=description.strip(),
            position=0 if last is None else last + 1,
        )
        criterion.full_clean()
        criterion.save()
    return criterion


def appraisal_criterion_update(
    *, actor: Actor, criterion: AppraisalCriterion, name: str, description: str, position: int
) -> AppraisalCriterion:
    """Rename, describe or move a criterion. Appraisals put forward keep the name they were written with."""
    _own_board(actor, criterion)
    with transaction.atomic():
        locked = AppraisalCriterion.objects.select_for_update().get(pk=criterion.pk, board_id=actor.board_pk)
        locked.name, locked.description, locked.position = name.strip(), description.strip(), position
        locked.full_clean()
        locked.save(update_fields=["name", "description", "position"])
    return locked


def appraisal_criterion_archive(*, actor: Actor, criterion: AppraisalCriterion) -> AppraisalCriterion:
    """Stop judging on a criterion: new and draft appraisals leave it out; appraisals put forward keep it."""
    _own_board(actor, criterion)
    with transaction.atomic():
        locked = AppraisalCriterion.objects.select_for_update().get(pk=criterion.pk, board_id=actor.board_pk)
        if locked.archived_at is None:
            locked.archived_at = timezone.now()
            locked.save(update_fields=["archived_at"])
    return locked


def appraisal_criterion_restore(*, actor: Actor, criterion: AppraisalCriterion) -> AppraisalCriterion:
    """Judge on an archived criterion again."""
    _own_board(actor, criterion)
    with transaction.atomic():
        locked = AppraisalCriterion.objects.select_for_update().get(pk=criterion.pk, board_id=actor.board_pk)
        if locked.archived_at is not None:
            locked.archived_at = None
            locked.save(update_fields=["archived_at"])
    return locked


def appraisal_criterion_delete(*, actor: Actor, criterion: AppraisalCriterion) -> None:
    """Remove a criterion no appraisal has used (a typo); one in use can only be archived."""
    _own_board(actor, criterion)
    with transaction.atomic():
        locked = AppraisalCriterion.objects.select_for_update().get(pk=criterion.pk, board_id=actor.board_pk)
        if _criterion_in_use(locked):
            raise ValidationError(
                _("“%(name)s” is used in an appraisal and cannot be deleted; archive it instead.") % {"name": locked}
            )
        locked.delete()


def appraisal_level_create(*, actor: Actor, value: int, label: str) -> AppraisalLevel:
    """A new level of the board's scale; its value is fixed from then on (only its label can change)."""
    authorize(actor, "conversations.manage")
    if not 1 <= value <= MAX_LEVEL_VALUE:
        raise ValidationError({"value": _("Choose a value from 1 to %(max)s.") % {"max": MAX_LEVEL_VALUE}})
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=actor.board_pk).first()
        existing = AppraisalLevel.objects.filter(board_id=actor.board_pk, value=value).first()
        if existing is not None:
            message = (
                _("The scale has a level with this value already (“%(label)s”).")
                if existing.archived_at is None
                else _("An archived level has this value (“%(label)s”): restore it instead.")
            )
            raise ValidationError({"value": message % {"label": existing.label}})
        level = AppraisalLevel(board_id=actor.board_pk, value=value, label=label.strip())
        level.full_clean()
        level.save()
    return level


def appraisal_level_update(*, actor: Actor, level: AppraisalLevel, label: str) -> AppraisalLevel:
    """Rename a level. Appraisals put forward keep the label they were written with."""
    _own_board(actor, level)
    with transaction.atomic():
        locked = AppraisalLevel.objects.select_for_update().get(pk=level.pk, board_id=actor.board_pk)
        locked.label = label.strip()
        locked.full_clean()
        locked.save(update_fields=["label"])
    return locked


def appraisal_level_archive(*, actor: Actor, level: AppraisalLevel) -> AppraisalLevel:
    """Stop offering a level; the scale keeps at least two levels. Ratings already given keep it."""
    _own_board(actor, level)
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=actor.board_pk).first()  # two archives at once: count right
        locked = AppraisalLevel.objects.select_for_update().get(pk=level.pk, board_id=actor.board_pk)
        if locked.archived_at is not None:
            return locked
        active = AppraisalLevel.objects.filter(board_id=actor.board_pk, archived_at__isnull=True).count()
        if active <= MIN_LEVELS:
            raise ValidationError(_("A scale needs at least two levels: add another level before archiving this one."))
        locked.archived_at = timezone.now()
        locked.save(update_fields=["archived_at"])
    return locked


def appraisal_level_restore(*, actor: Actor, level: AppraisalLevel) -> AppraisalLevel:
    """Offer an archived level again."""
    _own_board(actor, level)
    with transaction.atomic():
        locked = AppraisalLevel.objects.select_for_update().get(pk=level.pk, board_id=actor.board_pk)
        if locked.archived_at is not None:
            locked.archived_at = None
            locked.save(update_fields=["archived_at"])
    return locked


def appraisal_level_delete(*, actor: Actor, level: AppraisalLevel) -> None:
    """Remove a level no appraisal has used (a typo); one in use can only be archived."""
    _own_board(actor, level)
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=actor.board_pk).first()
        locked = AppraisalLevel.objects.select_for_update().get(pk=level.pk, board_id=actor.board_pk)
        if _level_in_use(locked):
            raise ValidationError(
                _("“%(label)s” is used in an appraisal and cannot be deleted; archive it instead.")
                % {"label": locked.label}
            )
        active = AppraisalLevel.objects.filter(board_id=actor.board_pk, archived_at__isnull=True)
        if locked.archived_at is None and active.count() <= MIN_LEVELS:
            raise ValidationError(_("A scale needs at least two levels: add another level before deleting this one."))
        locked.delete()


# --- one appraisal -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    """What the leidinggevende wrote for one criterion: a level of the board's scale (or none yet) and why."""

    level_id: int | None
    argument: str


def _refuse_unless(appraisal: Appraisal, *states: str) -> None:
    """The same refusal as a state move's, for writes that are no move (saving a draft, a reaction)."""
    if appraisal.state not in states:
        if appraisal.is_final:
            raise TransitionRefusedError(_("This appraisal is final: it can no longer be changed."))
        raise TransitionRefusedError(
            _("This is not possible now: the appraisal's status is “%(state)s”. Reload the page to see the latest.")
            % {"state": AppraisalState(appraisal.state).label}
        )


def _lock(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.select_related("conversation").select_for_update(of=("self",)).get(pk=appraisal.pk)


def _check_conversation(conversation: Conversation) -> None:
    if conversation.kind != ConversationKind.APPRAISAL:
        raise ValidationError(_("Only an appraisal conversation has an appraisal."))
    if conversation.state == ConversationState.CANCELLED:
        raise TransitionRefusedError(_("This conversation has been cancelled: it has no appraisal."))


def _active_criteria(board_id: int) -> dict[int, AppraisalCriterion]:
    criteria = AppraisalCriterion.objects.filter(board_id=board_id, archived_at__isnull=True).order_by("position", "pk")
    return {criterion.pk: criterion for criterion in criteria}


def _active_levels(board_id: int) -> dict[int, AppraisalLevel]:
    levels = AppraisalLevel.objects.filter(board_id=board_id, archived_at__isnull=True)
    return {level.pk: level for level in levels}


def _level_of(levels: Mapping[int, AppraisalLevel], level_id: int | None, field: str) -> AppraisalLevel | None:
    if level_id is None:
        return None
    level = levels.get(level_id)
    if level is None:
        raise ValidationError({field: _("Choose a level of your board's scale.")})
    return level


def appraisal_evidence_choices(*, actor: Actor, conversation: Conversation) -> Any:
    """The evidence of the medewerker that the actor may see (their own, or shared with the actor)."""
    return visible_items_of(actor=actor, model=Evidence, owner_id=conversation.employee_id).order_by("-created_at")


def appraisal_save(
    *,
    actor: Actor,
    conversation: Conversation,
    ratings: Mapping[int, RatingInput],
    overall_level_id: int | None,
    overall_text: str,
    evidence_ids: Collection[UUID] = (),
) -> Appraisal:
    """The leidinggevende writes the draft (starting it when there is none): per active criterion a level and
    an argument, the overall level and judgement, and evidence the medewerker shared with them.

    A draft may be incomplete; putting it forward asks for the rest. Criteria, levels and evidence
    outside what the leidinggevende may use are refused (ValidationError naming the field).
    """
    authorize(actor, "conversations.act_as_manager", conversation)
    _check_conversation(conversation)
    board_id = conversation.board_id
    criteria = _active_criteria(board_id)
    levels = _active_levels(board_id)
    unknown = set(ratings) - set(criteria)
    if unknown:
        raise ValidationError(_("Rate only the criteria your board uses; reload the page to see the current list."))
    chosen = {
        criterion_id: _level_of(levels, r.level_id, f"level_{criterion_id}") for criterion_id, r in ratings.items()
    }
    overall_level = _level_of(levels, overall_level_id, "overall_level")
    wanted = set(evidence_ids)
    evidence = list(appraisal_evidence_choices(actor=actor, conversation=conversation).filter(pk__in=wanted))
    if len(evidence) != len(wanted):
        raise ValidationError({"evidence": _("Refer only to evidence that has been shared with you.")})
    with transaction.atomic():
        # The conversation row serialises two first saves (the OneToOne refuses a second appraisal anyway).
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        appraisal = Appraisal.objects.filter(conversation=conversation).first()
        if appraisal is None:
            appraisal = Appraisal.objects.create(board_id=board_id, conversation=conversation)
        appraisal = _lock(appraisal)
        _refuse_unless(appraisal, AppraisalState.DRAFT)
        appraisal.overall_level = overall_level
        appraisal.overall_text = overall_text.strip()
        appraisal.full_clean(exclude=["conversation", "evidence"])
        appraisal.save(update_fields=["overall_level", "overall_text"])
        existing = {r.criterion_id: r for r in AppraisalRating.objects.filter(appraisal=appraisal)}
        for criterion_id, given in ratings.items():
            rating = existing.get(criterion_id) or AppraisalRating(
                board_id=board_id, appraisal=appraisal, criterion=criteria[criterion_id]
            )
            rating.level, rating.argument = chosen[criterion_id], given.argument.strip()
            rating.save()
        # Evidence no longer shared with the leidinggevende drops out: they cannot refer to what they cannot see.
        appraisal.evidence.set(evidence)
    return appraisal


def _missing_for_put_forward(appraisal: Appraisal, criteria: Mapping[int, AppraisalCriterion]) -> dict[str, str]:
    ratings = {r.criterion_id: r for r in AppraisalRating.objects.filter(appraisal=appraisal)}
    missing: dict[str, str] = {}
    if not criteria:
        missing["__all__"] = _("Your board has no appraisal criteria yet: ask your administrator to set them up.")
    for criterion_id, criterion in criteria.items():
        rating = ratings.get(criterion_id)
        if rating is None or rating.level_id is None:
            missing[f"level_{criterion_id}"] = _("Choose a level for “%(criterion)s”.") % {"criterion": criterion}
        if rating is None or not rating.argument.strip():
            missing[f"argument_{criterion_id}"] = _("Give an argument for “%(criterion)s”.") % {"criterion": criterion}
    if appraisal.overall_level_id is None:
        missing["overall_level"] = _("Choose an overall level.")
    if not appraisal.overall_text.strip():
        missing["overall_text"] = _("Write the overall judgement.")
    return missing


def appraisal_put_forward(*, actor: Actor, appraisal: Appraisal) -> Appraisal:
    """Show the finished draft to the medewerker: every active criterion rated with an argument, and the overall
    level and judgement (a ValidationError names each thing missing). The names and labels are copied into
    the appraisal, so a later change to the board's criteria or scale does not change what was put forward."""
    authorize(actor, "conversations.act_as_manager", appraisal.conversation)
    with transaction.atomic():
        locked = _lock(appraisal)
        _check_conversation(locked.conversation)
        APPRAISAL_MACHINE.move(locked.state, "put_forward")  # the state first: then what is missing
        criteria = _active_criteria(locked.board_id)
        levels = _active_levels(locked.board_id)
        missing = _missing_for_put_forward(locked, criteria)
        ratings = list(AppraisalRating.objects.filter(appraisal=locked).select_related("level"))
        archived_levels = [r for r in ratings if r.criterion_id in criteria and r.level_id not in levels]
        for rating in archived_levels:
            missing.setdefault(
                f"level_{rating.criterion_id}",
                _("The level chosen for “%(criterion)s” is no longer on the scale: choose another.")
                % {"criterion": criteria[rating.criterion_id]},
            )
        if locked.overall_level_id is not None and locked.overall_level_id not in levels:
            missing.setdefault("overall_level", _("The overall level is no longer on the scale: choose another."))
        if missing:
            raise ValidationError(missing)
        # Ratings of criteria archived while this was a draft are not part of what is put forward.
        AppraisalRating.objects.filter(appraisal=locked).exclude(criterion_id__in=list(criteria)).delete()
        for rating in ratings:
            if rating.criterion_id in criteria and rating.level is not None:
                rating.criterion_name = criteria[rating.criterion_id].name
                rating.level_label = rating.level.label
                rating.save(update_fields=["criterion_name", "level_label"])
        locked.overall_level_label = levels[locked.overall_level_id].label if locked.overall_level_id else ""
        locked.put_forward_at = timezone.now()
        state_move(
            actor=actor,
            machine=APPRAISAL_MACHINE,
            record=locked,
            action="put_forward",
            conversation=locked.conversation,
            subject=EventSubject.APPRAISAL,
            update_fields=("overall_level_label", "put_forward_at"),
        )
    return locked


def appraisal_withdraw(*, actor: Actor, appraisal: Appraisal) -> Appraisal:
    """Take a put-forward appraisal back into draft, as long as the medewerker has not signed it.

    The medewerker's reaction stays (theirs, shown again when it is put forward anew)."""
    authorize(actor, "conversations.act_as_manager", appraisal.conversation)
    with transaction.atomic():
        locked = _lock(appraisal)
        locked.put_forward_at = None
        state_move(
            actor=actor,
            machine=APPRAISAL_MACHINE,
            record=locked,
            action="withdraw",
            conversation=locked.conversation,
            subject=EventSubject.APPRAISAL,
            update_fields=("put_forward_at",),
        )
    return locked


def appraisal_react(*, actor: Actor, appraisal: Appraisal, reaction: str) -> Appraisal:
    """The medewerker's written reaction to the appraisal put forward to them, until they sign."""
    authorize(actor, "conversations.act_as_employee", appraisal.conversation)
    with transaction.atomic():
        locked = _lock(appraisal)
        _refuse_unless(locked, AppraisalState.PUT_FORWARD)
        locked.employee_reaction = reaction.strip()
        locked.full_clean(exclude=["conversation", "evidence"])
        locked.save(update_fields=["employee_reaction"])
    return locked


def _signed_already(appraisal: Appraisal, role: str) -> bool:
    return appraisal.signatures.filter(role=role).exists()


def appraisal_employee_sign(*, actor: Actor, appraisal: Appraisal, verdict: str) -> Appraisal:
    """The medewerker signs "akkoord" (agreed) or "gezien, niet akkoord" (seen); then the leidinggevende signs."""
    authorize(actor, "conversations.act_as_employee", appraisal.conversation)
    if verdict not in (Verdict.AGREED, Verdict.SEEN):
        raise ValidationError({"verdict": _("Choose “agreed” or “seen, not agreed”.")})
    with transaction.atomic():
        locked = _lock(appraisal)  # a second tab waits here, then finds the status moved on
        if _signed_already(locked, SignerRole.EMPLOYEE):
            raise TransitionRefusedError(_("This has been signed already (perhaps in another tab)."))
        state_move(
            actor=actor,
            machine=APPRAISAL_MACHINE,
            record=locked,
            action="employee_sign",
            conversation=locked.conversation,
            subject=EventSubject.APPRAISAL,
        )
        signature_add(
            actor=actor,
            conversation=locked.conversation,
            part=SignedPart.APPRAISAL,
            role=SignerRole.EMPLOYEE,
            verdict=verdict,
            appraisal=locked,
        )
    return locked


def appraisal_manager_sign(*, actor: Actor, appraisal: Appraisal) -> Appraisal:
    """The leidinggevende signs after the medewerker: the appraisal is final (definitief) from that moment."""
    authorize(actor, "conversations.act_as_manager", appraisal.conversation)
    with transaction.atomic():
        locked = _lock(appraisal)
        if _signed_already(locked, SignerRole.MANAGER):
            raise TransitionRefusedError(_("This has been signed already (perhaps in another tab)."))
        locked.final_at = timezone.now()
        state_move(
            actor=actor,
            machine=APPRAISAL_MACHINE,
            record=locked,
            action="manager_sign",
            conversation=locked.conversation,
            subject=EventSubject.APPRAISAL,
            update_fields=("final_at",),
        )
        signature_add(
            actor=actor,
            conversation=locked.conversation,
            part=SignedPart.APPRAISAL,
            role=SignerRole.MANAGER,
            verdict=Verdict.SIGNED,
            appraisal=locked,
        )
    return locked


def appraisal_objection_record(
    *, actor: Actor, appraisal: Appraisal, received_on: datetime.date, note: str = ""
) -> Appraisal:
    """The beheerder records that the medewerker objected to a final appraisal, and when the board received it.

    The objection itself is handled under the board's own regulations, outside Bekwaam; the appraisal stays as
    it was signed. Only once per appraisal (the state moves to "objected")."""
    authorize(actor, "conversations.manage")
    if appraisal.board_id != actor.board_id:
        raise ValidationError(_("This appraisal is not at your board."))
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    with transaction.atomic():
        locked = _lock(appraisal)
        APPRAISAL_MACHINE.move(locked.state, "objection_record")  # only a final one, and only once
        if locked.final_at is not None and received_on < timezone.localdate(locked.final_at):
            raise ValidationError(
                {
                    "received_on": _("The date of receipt cannot be before the appraisal became final (%(date)s).")
                    % {"date": timezone.localdate(locked.final_at).strftime("%d-%m-%Y")}
                }
            )
        locked.objection_received_on = received_on
        locked.objection_note = note.strip()
        locked.objection_recorded_at = timezone.now()
        locked.objection_recorded_by = actor.person
        state_move(
            actor=actor,
            machine=APPRAISAL_MACHINE,
            record=locked,
            action="objection_record",
            conversation=locked.conversation,
            subject=EventSubject.APPRAISAL,
            update_fields=(
                "objection_received_on",
                "objection_note",
                "objection_recorded_at",
                "objection_recorded_by",
            ),
        )
    return locked


__all__ = [
    "RatingInput",
    "appraisal_criterion_archive",
    "appraisal_criterion_create",
    "appraisal_criterion_delete",
    "appraisal_criterion_restore",
    "appraisal_criterion_update",
    "appraisal_defaults_install",
    "appraisal_employee_sign",
    "appraisal_evidence_choices",
    "appraisal_level_archive",
    "appraisal_level_create",
    "appraisal_level_delete",
    "appraisal_level_restore",
    "appraisal_level_update",
    "appraisal_manager_sign",
    "appraisal_objection_record",
    "appraisal_put_forward",
    "appraisal_react",
    "appraisal_save",
    "appraisal_withdraw",
    "shipped_appraisal",
]
