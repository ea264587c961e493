"""Reads of the beoordeling (appraisal): who sees what of it, decided in the query, not only in the template.

- The leidinggevende (role "manager" in the conversation) sees the appraisal in every state.
- The medewerker sees it only once it is put forward; before that, not even whether a draft exists: the
  page says "in preparation" either way, and every lookup answers 404 as for a missing appraisal.
- Nobody else reaches a conversation (conversations.selectors.role_in). The beheerder's board list
  reads name, school, date and status only (`values_list`), never a rating, argument or judgement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.conversations.forms.appraisals import AppraisalEmployeeSignForm, AppraisalReactionForm
from bekwaam.conversations.models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalLevel,
    AppraisalRating,
    AppraisalState,
    Conversation,
    ConversationKind,
    ConversationState,
    Signature,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER
from bekwaam.dossier.models import Evidence
from bekwaam.dossier.selectors import visible_items_of
from bekwaam.tenancy.context import Actor

# What the medewerker may read: everything from the moment it is put forward.
SHOWN_TO_EMPLOYEE = (
    AppraisalState.PUT_FORWARD,
    AppraisalState.WITH_MANAGER,
    AppraisalState.FINAL,
    AppraisalState.OBJECTED,
)
FINAL_STATES = (AppraisalState.FINAL, AppraisalState.OBJECTED)
NOT_STARTED = "not_started"  # the section's state when there is no appraisal (or, for the medewerker, no visible one)


def appraisal_shown_to(*, appraisal: Appraisal | None, role: str | None) -> bool:
    """True when the role in the conversation may read this appraisal (see the module docstring)."""
    if appraisal is None or role is None:
        return False
    return role == MANAGER or (role == EMPLOYEE and appraisal.state in SHOWN_TO_EMPLOYEE)


def appraisal_get_for(*, actor: Actor, conversation: Conversation, role: str) -> Appraisal:
    """The conversation's appraisal as the role may reach it; 404 when there is none, and for the medewerker
    also while it is a draft (so no request tells them more than "in preparation")."""
    appraisal = get_object_or_404(
        Appraisal.objects.select_related("overall_level"), conversation=conversation, board_id=actor.board_pk
    )
    if not appraisal_shown_to(appraisal=appraisal, role=role):
        raise Http404
    appraisal.conversation = conversation  # the caller's copy, with its employee and manager loaded
    return appraisal


def board_state_choices() -> list[tuple[str, str]]:
    """The statuses as the beheerder's filter offers them (a draft is "in preparation" to them too)."""
    return [(state, appraisal_state_label(state)) for state in AppraisalState.values]


def appraisal_state_label(state: str, *, role: str | None = None) -> str:
    """The status as a person reads it; a draft is "in preparation" for anyone but the leidinggevende."""
    if state == NOT_STARTED or (state == AppraisalState.DRAFT and role != MANAGER):
        return _("In preparation")
    return str(AppraisalState(state).label)


# --- the section on the conversation page (and in its PDF) ------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    criterion_id: int
    name: str
    description: str
    level_value: int | None
    level_label: str
    argument: str


@dataclass(frozen=True)
class EvidenceRow:
    title: str
    kind: str
    url: str


@dataclass(frozen=True)
class SignatureRow:
    role: str
    role_label: str
    verdict: str
    verdict_label: str
    name: str
    signed_at: datetime.datetime


@dataclass
class AppraisalSection:
    """What one role sees of the appraisal of one conversation, and which next step they may take."""

    conversation_id: UUID
    role: str
    state: str
    state_label: str
    visible: bool = False
    put_forward_at: datetime.datetime | None = None
    final_at: datetime.datetime | None = None
    objection_received_on: datetime.date | None = None
    ratings: list[RatingRow] = field(default_factory=list)
    overall_label: str = ""
    overall_text: str = ""
    employee_reaction: str = ""
    evidence: list[EvidenceRow] = field(default_factory=list)
    signatures: list[SignatureRow] = field(default_factory=list)
    cancelled: bool = False
    may_edit: bool = False
    may_put_forward: bool = False
    may_withdraw: bool = False
    may_react: bool = False
    may_sign: bool = False

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def is_draft(self) -> bool:
        return self.state == AppraisalState.DRAFT

    @property
    def not_started(self) -> bool:
        return self.state == NOT_STARTED


def _evidence_rows(*, actor: Actor, appraisal: Appraisal, role: str, employee_id: UUID) -> list[EvidenceRow]:
    referenced = Evidence.objects.filter(board_id=appraisal.board_id, pk__in=appraisal.evidence.values("pk"))
    if role != EMPLOYEE:
        # The leidinggevende reads what is still shared with them; a withdrawn share hides the reference too.
        referenced = referenced.filter(
            pk__in=visible_items_of(actor=actor, model=Evidence, owner_id=employee_id).values("pk")
        )
    return [
        EvidenceRow(
            title=item.title,
            kind=item.get_kind_display(),
            url=reverse("dossier:evidence-detail", kwargs={"evidence_id": item.pk}),
        )
        for item in referenced.order_by("title").only("id", "title", "kind")
    ]


def _rating_rows(appraisal: Appraisal) -> list[RatingRow]:
    """Draft: every active criterion, rated or not, by its current name. Put forward: the copied names."""
    ratings = AppraisalRating.objects.filter(appraisal=appraisal, board_id=appraisal.board_id).select_related(
        "criterion", "level"
    )
    if appraisal.state != AppraisalState.DRAFT:
        return [
            RatingRow(
                r.criterion_id,
                r.criterion_name or r.criterion.name,
                "",
                r.level.value if r.level else None,
                r.level_label,
                r.argument,
            )
            for r in ratings.order_by("criterion__position", "pk")
        ]
    given = {r.criterion_id: r for r in ratings}
    criteria = AppraisalCriterion.objects.filter(board_id=appraisal.board_id, archived_at__isnull=True)
    rows = []
    for criterion in criteria.order_by("position", "pk"):
        rating = given.get(criterion.pk)
        level = rating.level if rating else None
        rows.append(
            RatingRow(
                criterion.pk,
                criterion.name,
                criterion.description,
                level.value if level else None,
                level.label if level else "",
                rating.argument if rating else "",
            )
        )
    return rows


def _signature_rows(appraisal: Appraisal) -> list[SignatureRow]:
    signatures = Signature.objects.filter(board_id=appraisal.board_id, appraisal=appraisal).order_by("signed_at")
    return [
        SignatureRow(
            role=s.role,
            role_label=str(SignerRole(s.role).label),
            verdict=s.verdict,
            verdict_label=str(Verdict(s.verdict).label),
            name=s.signer_name,
            signed_at=s.signed_at,
        )
        for s in signatures
    ]


def appraisal_section_for(*, actor: Actor, conversation: Conversation, role: str) -> dict[str, Any]:
    """The context of the appraisal part of a beoordelingsgesprek's page and PDF, as `role` may see it.

    Returns {} for other kinds of conversation. For the medewerker before it is put forward, only the
    state "in preparation": the ratings are not read from the database at all. At most seven queries.
    """
    if conversation.kind != ConversationKind.APPRAISAL or role not in (EMPLOYEE, MANAGER):
        return {}
    appraisal = (
        Appraisal.objects.filter(board_id=conversation.board_id, conversation=conversation)
        .select_related("overall_level")
        .first()
    )
    cancelled = conversation.state == ConversationState.CANCELLED
    if appraisal is None or not appraisal_shown_to(appraisal=appraisal, role=role):
        section = AppraisalSection(
            conversation_id=conversation.pk,
            role=role,
            state=NOT_STARTED,
            state_label=appraisal_state_label(NOT_STARTED),
            cancelled=cancelled,
            may_edit=role == MANAGER and not cancelled,
        )
        return {"section": section}
    state = appraisal.state
    section = AppraisalSection(
        conversation_id=conversation.pk,
        role=role,
        state=state,
        state_label=appraisal_state_label(state, role=role),
        visible=True,
        put_forward_at=appraisal.put_forward_at,
        final_at=appraisal.final_at,
        objection_received_on=appraisal.objection_received_on,
        ratings=_rating_rows(appraisal),
        overall_label=(
            appraisal.overall_level_label
            if state != AppraisalState.DRAFT
            else (appraisal.overall_level.label if appraisal.overall_level else "")
        ),
        overall_text=appraisal.overall_text,
        employee_reaction=appraisal.employee_reaction,
        evidence=_evidence_rows(actor=actor, appraisal=appraisal, role=role, employee_id=conversation.employee_id),
        signatures=_signature_rows(appraisal) if state != AppraisalState.DRAFT else [],
        cancelled=cancelled,
    )
    if role == MANAGER:
        section.may_edit = state == AppraisalState.DRAFT and not cancelled
        section.may_put_forward = section.may_edit
        section.may_withdraw = state == AppraisalState.PUT_FORWARD
        section.may_sign = state == AppraisalState.WITH_MANAGER
        return {"section": section}
    section.may_react = section.may_sign = state == AppraisalState.PUT_FORWARD
    if not section.may_sign:
        return {"section": section}
    return {
        "section": section,
        "reaction_form": AppraisalReactionForm(initial={"reaction": appraisal.employee_reaction}),
        "sign_form": AppraisalEmployeeSignForm(),
    }


# --- the leidinggevende's draft form ------------------------------------------------------------------


@dataclass(frozen=True)
class DraftForm:
    """What the draft form offers: the active criteria and levels, the evidence, and what was saved."""

    appraisal: Appraisal | None
    criteria: list[AppraisalCriterion]
    levels: list[AppraisalLevel]
    evidence: list[Evidence]
    initial: dict[str, Any]


def appraisal_draft_for(*, actor: Actor, conversation: Conversation) -> DraftForm:
    """The draft form's choices and saved values for the leidinggevende (the caller checks the role)."""
    appraisal = Appraisal.objects.filter(board_id=actor.board_pk, conversation=conversation).first()
    criteria = list(
        AppraisalCriterion.objects.filter(board_id=actor.board_pk, archived_at__isnull=True).order_by("position", "pk")
    )
    levels = list(AppraisalLevel.objects.filter(board_id=actor.board_pk, archived_at__isnull=True).order_by("value"))
    evidence = list(
        visible_items_of(actor=actor, model=Evidence, owner_id=conversation.employee_id)
        .only("id", "title", "kind", "created_at")
        .order_by("-created_at")
    )
    initial: dict[str, Any] = {}
    if appraisal is not None:
        initial["overall_level"] = appraisal.overall_level_id
        initial["overall_text"] = appraisal.overall_text
        visible_ids = {item.pk for item in evidence}
        initial["evidence"] = [pk for pk in appraisal.evidence.values_list("pk", flat=True) if pk in visible_ids]
        for rating in AppraisalRating.objects.filter(board_id=actor.board_pk, appraisal=appraisal):
            initial[f"level_{rating.criterion_id}"] = rating.level_id
            initial[f"argument_{rating.criterion_id}"] = rating.argument
    return DraftForm(appraisal=appraisal, criteria=criteria, levels=levels, evidence=evidence, initial=initial)


# --- the beheerder: criteria and scale ------------------------------------------------------------------


def appraisal_criteria_for(*, actor: Actor) -> QuerySet[AppraisalCriterion]:
    """The board's criteria, active first, each with `in_use` (rated in some appraisal: archive, not delete)."""
    used = AppraisalRating.objects.filter(criterion_id=OuterRef("pk"))
    return (
        AppraisalCriterion.objects.filter(board_id=actor.board_pk)
        .annotate(in_use=Exists(used))
        .order_by(F("archived_at").asc(nulls_first=True), "position", "pk")
    )


def appraisal_levels_for(*, actor: Actor) -> QuerySet[AppraisalLevel]:
    """The board's scale by value, each level with `in_use` (rated or overall in some appraisal)."""
    used = AppraisalRating.objects.filter(level_id=OuterRef("pk"))
    overall = Appraisal.objects.filter(overall_level_id=OuterRef("pk"))
    return (
        AppraisalLevel.objects.filter(board_id=actor.board_pk)
        .annotate(in_use=Exists(used) | Exists(overall))
        .order_by("value")
    )


def appraisal_criterion_get_for(*, actor: Actor, criterion_id: int) -> AppraisalCriterion:
    """One criterion of the actor's board; 404 for another board's."""
    return get_object_or_404(AppraisalCriterion, pk=criterion_id, board_id=actor.board_pk)


def appraisal_level_get_for(*, actor: Actor, level_id: int) -> AppraisalLevel:
    """One level of the actor's board's scale; 404 for another board's."""
    return get_object_or_404(AppraisalLevel, pk=level_id, board_id=actor.board_pk)


# --- the beheerder: the board's appraisals (no content) -----------------------------------------------


@dataclass(frozen=True)
class BoardAppraisalRow:
    """An appraisal as the beheerder sees it: who, where, when and its status; never what it says."""

    id: UUID
    name: str
    school: str
    date: datetime.date
    state: str
    state_label: str
    final_at: datetime.datetime | None
    objection_received_on: datetime.date | None

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def may_record_objection(self) -> bool:
        return self.state == AppraisalState.FINAL


# Only these columns are read: the beheerder is not the leidinggevende (docs/appraisal.md, privacy).
BOARD_COLUMNS = (
    "id",
    "conversation__employee__given_name",
    "conversation__employee__name_prefix",
    "conversation__employee__family_name",
    "conversation__school__name",
    "conversation__scheduled_at",
    "state",
    "final_at",
    "objection_received_on",
)


def _board_row(values: tuple[Any, ...]) -> BoardAppraisalRow:
    pk, given, prefix, family, school, scheduled_at, state, final_at, received_on = values
    return BoardAppraisalRow(
        id=pk,
        name=" ".join(part for part in (given, prefix, family) if part),
        school=school,
        date=timezone.localdate(scheduled_at),
        state=state,
        state_label=appraisal_state_label(state),
        final_at=final_at,
        objection_received_on=received_on,
    )


def board_appraisals_for(*, actor: Actor, state: str = "") -> QuerySet[Appraisal, tuple[Any, ...]]:
    """The board's appraisals as BOARD_COLUMNS tuples (nothing else is read), newest conversation first,
    optionally of one status; turn (a page of) them into rows with board_appraisal_rows."""
    appraisals = Appraisal.objects.filter(board_id=actor.board_pk)
    if state:
        appraisals = appraisals.filter(state=state)
    return appraisals.order_by("-conversation__scheduled_at", "pk").values_list(*BOARD_COLUMNS)


def board_appraisal_rows(values: Iterable[tuple[Any, ...]]) -> list[BoardAppraisalRow]:
    """The rows of (a page of) board_appraisals_for."""
    return [_board_row(row) for row in values]


def board_appraisal_get_for(*, actor: Actor, appraisal_id: UUID) -> tuple[Appraisal, BoardAppraisalRow]:
    """One appraisal of the actor's board for recording an objection: the bare row (no content loaded) and
    what the page shows of it. 404 for another board's."""
    values = Appraisal.objects.filter(board_id=actor.board_pk, pk=appraisal_id).values_list(*BOARD_COLUMNS).first()
    if values is None:
        raise Http404
    appraisal = Appraisal.objects.only("id", "board_id", "state", "final_at", "conversation_id").get(
        pk=appraisal_id, board_id=actor.board_pk
    )
    return appraisal, _board_row(values)
