"""Every write of a conversation: planning, moving and cancelling it, the two preparations, the report and
its agreements, the signatures, addenda, and turning an agreement into a POP goal.

Each service checks the policy itself (rules.py), runs in one transaction, locks the conversation (or
addendum) row before it reads the state it decides on, and moves states only through `state_move`, so
two tabs cannot both pass a check against a state one of them has already left. E-mails go out through
tasks on commit. A signed report never changes: every write to its content refuses once the state is
"signed" (the tests prove the database unchanged); what can still happen then is an addendum, signed
again by both, and the medewerker linking an agreement to a goal in their own POP.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.conversations import tasks
from bekwaam.conversations.models import (
    ADDENDUM_MACHINE,
    CONVERSATION_MACHINE,
    Addendum,
    AddendumState,
    Agreement,
    Answer,
    AnswerType,
    Conversation,
    ConversationDocument,
    ConversationEvent,
    ConversationKind,
    ConversationState,
    DocumentRole,
    EventSubject,
    FormPrompt,
    FormVersion,
    Signature,
    SignedPart,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER, role_in
from bekwaam.conversations.selectors.appraisals import appraisal_section_for
from bekwaam.conversations.selectors.conversations import conversation_page_for
from bekwaam.conversations.selectors.setup import forms_for
from bekwaam.conversations.services import signature_add, state_move
from bekwaam.dossier.models import Goal
from bekwaam.dossier.services import plans
from bekwaam.frameworks.models import ScaleLevel
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.lib.pdf import pdf_render
from bekwaam.lib.states import StateMachine, TransitionRefusedError
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.policy import authorize
from bekwaam.tenancy.selectors import team_members_for

AS_MANAGER = "conversations.act_as_manager"
AS_EMPLOYEE = "conversations.act_as_employee"
PREPARING = (ConversationState.PLANNED, ConversationState.REPORTING)
REPORT_OUT = (ConversationState.WITH_EMPLOYEE, ConversationState.WITH_MANAGER, ConversationState.SIGNED)
AGREEMENT_MAX = 500
TEXT_MAX = 20_000


@dataclass(frozen=True)
class AnswerInput:
    """What was typed for one question: text, and for a rating question the chosen scale level."""

    text: str = ""
    level_id: int | None = None


@dataclass(frozen=True)
class AgreementInput:
    """One agreement line of the report form: an existing one (its id) or a new one (id None)."""

    id: int | None
    text: str


# --- helpers ----------------------------------------------------------------------------------------


def _lock(conversation: Conversation) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk, board_id=conversation.board_id)
    # The caller's copy has the participants loaded; the lock only needs the row's own columns.
    locked.employee = conversation.employee
    locked.manager = conversation.manager
    return locked


def _refresh(target: Conversation, source: Conversation) -> None:
    """Copy the locked row's columns back to the caller's object, so its page shows what was written."""
    for name in (
        "state",
        "scheduled_at",
        "duration_minutes",
        "location",
        "online_url",
        "employee_reaction",
        "calendar_sequence",
        "report_submitted_at",
        "signed_at",
    ):
        setattr(target, name, getattr(source, name))


def _refuse_final(conversation: Conversation) -> None:
    """The clear message for a write to a signed or cancelled conversation."""
    if conversation.state == ConversationState.SIGNED:
        raise TransitionRefusedError(
            _("This report is signed and can no longer change. A correction can be made with an addendum.")
        )
    if conversation.state == ConversationState.CANCELLED:
        raise TransitionRefusedError(_("This conversation has been cancelled."))


def _check_move(machine: StateMachine, state: str, action: str) -> None:
    """Refuse an action the state does not allow before checking anything else (the message names the state)."""
    machine.move(state, action)


def _event(
    *,
    actor: Actor,
    conversation: Conversation,
    action: str,
    subject: str = EventSubject.CONVERSATION,
    from_state: str = "",
    to_state: str = "",
) -> None:
    ConversationEvent.objects.create(
        board_id=conversation.board_id,
        conversation=conversation,
        subject=subject,
        action=action,
        from_state=from_state,
        to_state=to_state or conversation.state,
        actor=actor.person,
        actor_name=actor.person.full_name,
    )


def _notify(conversation: Conversation, notice: str, addendum: Addendum | None = None) -> None:
    conversation_id, addendum_id = str(conversation.pk), str(addendum.pk) if addendum else ""
    transaction.on_commit(
        lambda: tasks.conversation_notice_send.enqueue(
            conversation_id=conversation_id, notice=notice, addendum_id=addendum_id
        )
    )


def _invite(conversation: Conversation, change: str) -> None:
    conversation_id = str(conversation.pk)
    transaction.on_commit(
        lambda: tasks.conversation_invitation_send.enqueue(conversation_id=conversation_id, change=change)
    )


def _check_moment(
    *, scheduled_at: datetime.datetime, duration_minutes: int, location: str, online_url: str
) -> tuple[str, str]:
    errors: dict[str, str] = {}
    if timezone.is_naive(scheduled_at):
        raise ValueError("scheduled_at must be aware")
    if scheduled_at <= timezone.now():
        errors["scheduled_at"] = _("Choose a moment in the future: this date and time have passed.")
    if not 10 <= duration_minutes <= 480:
        errors["duration_minutes"] = _("A conversation takes between 10 minutes and 8 hours.")
    location, online_url = location.strip(), online_url.strip()
    if not location and not online_url:
        errors["location"] = _("Give a place, an online link, or both.")
    if errors:
        raise ValidationError(errors)
    return location, online_url


# --- planning ---------------------------------------------------------------------------------------


def conversation_plan(
    *,
    actor: Actor,
    employment: Employment,
    kind: str,
    scheduled_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
    online_url: str = "",
) -> Conversation:
    """The leidinggevende plans a conversation with someone they lead now, in the future, at a place or
    online; it pins the forms the cycle names for that school and kind, and invites both by e-mail."""
    authorize(actor, "conversations.lead")
    if kind not in ConversationKind.values:
        raise ValidationError({"kind": _("Choose a kind of conversation.")})
    if not team_members_for(actor=actor).filter(pk=employment.pk).exists():
        raise ValidationError({"employment": _("Choose someone you lead.")})
    location, online_url = _check_moment(
        scheduled_at=scheduled_at, duration_minutes=duration_minutes, location=location, online_url=online_url
    )
    preparation, report = forms_for(board_id=actor.board_pk, school_id=employment.school_id, kind=kind)
    with transaction.atomic():
        conversation = Conversation(
            board_id=actor.board_pk,
            school_id=employment.school_id,
            employment=employment,
            employee_id=employment.person_id,
            manager=actor.person,
            kind=kind,
            school_year=school_year_of(timezone.localdate(scheduled_at)),
            state=ConversationState.PLANNED,
            scheduled_at=scheduled_at,
            duration_minutes=duration_minutes,
            location=location,
            online_url=online_url,
            preparation_form_version=preparation,
            report_form_version=report,
        )
        conversation.full_clean()
        conversation.save()
        _event(actor=actor, conversation=conversation, action="plan", to_state=ConversationState.PLANNED)
        _invite(conversation, "planned")
    return conversation


def conversation_reschedule(
    *,
    actor: Actor,
    conversation: Conversation,
    scheduled_at: datetime.datetime,
    duration_minutes: int,
    location: str,
    online_url: str,
) -> Conversation:
    """Move a planned conversation (date, time, place or link): the calendar event of the same UID is
    updated with a higher SEQUENCE, and both get the new invitation."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _check_move(CONVERSATION_MACHINE, locked.state, "reschedule")
        location, online_url = _check_moment(
            scheduled_at=scheduled_at, duration_minutes=duration_minutes, location=location, online_url=online_url
        )
        locked.scheduled_at = scheduled_at
        locked.duration_minutes = duration_minutes
        locked.location, locked.online_url = location, online_url
        locked.school_year = school_year_of(timezone.localdate(scheduled_at))
        locked.calendar_sequence += 1
        locked.full_clean()
        state_move(
            actor=actor,
            machine=CONVERSATION_MACHINE,
            record=locked,
            action="reschedule",
            conversation=locked,
            update_fields=(
                "scheduled_at",
                "duration_minutes",
                "location",
                "online_url",
                "school_year",
                "calendar_sequence",
            ),
        )
        _invite(locked, "moved")
    _refresh(conversation, locked)
    return conversation


def conversation_cancel(*, actor: Actor, conversation: Conversation) -> Conversation:
    """Call off a planned conversation; both get a cancellation that removes it from their calendar."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _check_move(CONVERSATION_MACHINE, locked.state, "cancel")
        locked.calendar_sequence += 1
        state_move(
            actor=actor,
            machine=CONVERSATION_MACHINE,
            record=locked,
            action="cancel",
            conversation=locked,
            update_fields=("calendar_sequence",),
        )
        _invite(locked, "cancelled")
    _refresh(conversation, locked)
    return conversation


# --- answers ----------------------------------------------------------------------------------------


def _answers_write(*, document: ConversationDocument, answers: Mapping[int, AnswerInput]) -> None:
    """Write the answers to the document's form version; a question of another form is refused (a tampered
    id), as is a level outside the question's competence's scale. An emptied answer is removed."""
    prompts = {
        p.pk: p
        for p in FormPrompt.objects.filter(
            board_id=document.board_id, section__version_id=document.form_version_id
        ).select_related("competence")
    }
    unknown = set(answers) - set(prompts)
    if unknown:
        raise ValidationError(_("These answers do not belong to this form. Reload the page and try again."))
    scale_versions = {p.competence.version_id for p in prompts.values() if p.competence is not None}
    levels = {
        level.pk: level.version_id
        for level in ScaleLevel.objects.filter(version_id__in=scale_versions).only("id", "version_id")
    }
    errors: dict[str, str] = {}
    for prompt_id, given in answers.items():
        prompt = prompts[prompt_id]
        if len(given.text) > TEXT_MAX:
            errors[f"prompt_{prompt_id}"] = _("This answer is too long.")
        if given.level_id is not None and (
            prompt.answer_type != AnswerType.RATING
            or prompt.competence is None
            or levels.get(given.level_id) != prompt.competence.version_id
        ):
            errors[f"prompt_{prompt_id}"] = _("Choose a level of this competence's scale.")
    if errors:
        raise ValidationError(errors)
    existing = {a.prompt_id: a for a in Answer.objects.filter(board_id=document.board_id, document=document)}
    for prompt_id, given in answers.items():
        text = given.text.strip()
        answer = existing.get(prompt_id)
        if not text and given.level_id is None:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            Answer.objects.create(
                board_id=document.board_id, document=document, prompt_id=prompt_id, text=text, level_id=given.level_id
            )
        elif (answer.text, answer.level_id) != (text, given.level_id):
            answer.text, answer.level_id = text, given.level_id
            answer.save(update_fields=["text", "level_id"])
    ConversationDocument.objects.filter(pk=document.pk).update(updated_at=timezone.now())


def _missing_required(document: ConversationDocument | None, version_id: UUID | None) -> list[str]:
    """The required questions of a form version that have no answer in the document."""
    required = FormPrompt.objects.filter(section__version_id=version_id, required=True).order_by(
        "section__position", "position", "pk"
    )
    answered = set(Answer.objects.filter(document=document).values_list("prompt_id", flat=True)) if document else set()
    return [p.text for p in required if p.pk not in answered]


def _document(
    *, conversation: Conversation, role: str, version: FormVersion | None, author: Actor
) -> ConversationDocument:
    document = ConversationDocument.objects.filter(
        board_id=conversation.board_id, conversation=conversation, role=role
    ).first()
    if document is not None:
        return document
    if version is None:
        raise ValidationError(_("This conversation has no form for this part."))
    return ConversationDocument.objects.create(
        board_id=conversation.board_id, conversation=conversation, role=role, form_version=version, author=author.person
    )


def _preparation_role(actor: Actor, conversation: Conversation) -> str:
    authorize(actor, "conversations.view", conversation)
    role = role_in(actor=actor, conversation=conversation)
    return DocumentRole.EMPLOYEE_PREPARATION if role == EMPLOYEE else DocumentRole.MANAGER_PREPARATION


def _check_preparing(conversation: Conversation) -> None:
    _refuse_final(conversation)
    if conversation.state not in PREPARING:
        raise TransitionRefusedError(_("The report has been put forward: the preparations can no longer change."))


# --- preparation ------------------------------------------------------------------------------------


def preparation_save(
    *, actor: Actor, conversation: Conversation, answers: Mapping[int, AnswerInput]
) -> ConversationDocument:
    """Save (part of) the actor's own preparation; possible until the report is put forward."""
    document_role = _preparation_role(actor, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _check_preparing(locked)
        document = _document(
            conversation=locked, role=document_role, version=_pinned(locked.preparation_form_version_id), author=actor
        )
        _answers_write(document=document, answers=answers)
    return document


def _pinned(version_id: UUID | None) -> FormVersion | None:
    return FormVersion.objects.filter(pk=version_id).first() if version_id else None


def preparation_share(*, actor: Actor, conversation: Conversation) -> ConversationDocument:
    """Share the actor's own preparation with the other side, who then reads it (and can still see the
    later changes until the report is put forward). Required questions must be answered first."""
    document_role = _preparation_role(actor, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _check_preparing(locked)
        document = ConversationDocument.objects.filter(
            board_id=locked.board_id, conversation=locked, role=document_role
        ).first()
        if document is None:
            raise ValidationError(_("Fill in your preparation first, then share it."))
        if document.shared_at is not None:
            return document
        missing = _missing_required(document, document.form_version_id)
        if missing:
            raise ValidationError(
                _("Answer the required questions first: %(questions)s") % {"questions": "; ".join(missing)}
            )
        document.shared_at = timezone.now()
        document.save(update_fields=["shared_at"])
        _event(actor=actor, conversation=locked, action="preparation_share", from_state=locked.state)
    return document


# --- the report -------------------------------------------------------------------------------------


def report_start(*, actor: Actor, conversation: Conversation) -> Conversation:
    """The leidinggevende starts writing the report (from then on the conversation cannot be moved)."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        state_move(actor=actor, machine=CONVERSATION_MACHINE, record=locked, action="report_start", conversation=locked)
        if locked.report_form_version_id:
            _document(
                conversation=locked,
                role=DocumentRole.REPORT,
                version=_pinned(locked.report_form_version_id),
                author=actor,
            )
    _refresh(conversation, locked)
    return conversation


def _agreements_write(*, conversation: Conversation, agreements: Sequence[AgreementInput]) -> None:
    existing = {a.pk: a for a in Agreement.objects.filter(board_id=conversation.board_id, conversation=conversation)}
    if any(item.id is not None and item.id not in existing for item in agreements):
        raise ValidationError(_("These agreements do not belong to this report. Reload the page and try again."))
    if any(len(item.text.strip()) > AGREEMENT_MAX for item in agreements):
        raise ValidationError(
            {"agreements": _("Keep each agreement under %(max)d characters.") % {"max": AGREEMENT_MAX}}
        )
    position = 0
    for item in agreements:
        text = item.text.strip()
        agreement = existing.get(item.id) if item.id is not None else None
        if not text:
            if agreement is not None:
                agreement.delete()  # a goal made from it stays in the POP (Agreement.goal only points at it)
            continue
        position += 1
        if agreement is None:
            Agreement.objects.create(
                board_id=conversation.board_id, conversation=conversation, text=text, position=position
            )
        elif (agreement.text, agreement.position) != (text, position):
            agreement.text, agreement.position = text, position
            agreement.save(update_fields=["text", "position"])


def report_save(
    *,
    actor: Actor,
    conversation: Conversation,
    answers: Mapping[int, AnswerInput],
    agreements: Sequence[AgreementInput],
) -> Conversation:
    """Save (part of) the report: its answers and its agreements; only while it is being written."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _refuse_final(locked)
        if locked.state != ConversationState.REPORTING:
            raise TransitionRefusedError(
                _("The report can only be changed while it is being written (the status is “%(state)s”).")
                % {"state": ConversationState(locked.state).label}
            )
        if locked.report_form_version_id:
            document = _document(
                conversation=locked,
                role=DocumentRole.REPORT,
                version=_pinned(locked.report_form_version_id),
                author=actor,
            )
            _answers_write(document=document, answers=answers)
        elif answers:
            raise ValidationError(_("These answers do not belong to this form. Reload the page and try again."))
        _agreements_write(conversation=locked, agreements=agreements)
    return conversation


def report_submit(*, actor: Actor, conversation: Conversation) -> Conversation:
    """Put the report forward to the medewerker (who gets an e-mail); its required questions must be answered."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _check_move(CONVERSATION_MACHINE, locked.state, "report_submit")
        if locked.report_form_version_id:
            document = ConversationDocument.objects.filter(
                board_id=locked.board_id, conversation=locked, role=DocumentRole.REPORT
            ).first()
            missing = _missing_required(document, locked.report_form_version_id)
            if missing:
                raise ValidationError(
                    _("Answer the required questions of the report first: %(questions)s")
                    % {"questions": "; ".join(missing)}
                )
        locked.report_submitted_at = timezone.now()
        state_move(
            actor=actor,
            machine=CONVERSATION_MACHINE,
            record=locked,
            action="report_submit",
            conversation=locked,
            update_fields=("report_submitted_at",),
        )
        _notify(locked, "report_ready")
    _refresh(conversation, locked)
    return conversation


def report_reopen(*, actor: Actor, conversation: Conversation) -> Conversation:
    """Take the report back before the medewerker signs; they no longer read it until it is put forward again."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _check_move(CONVERSATION_MACHINE, locked.state, "report_reopen")
        locked.report_submitted_at = None
        state_move(
            actor=actor,
            machine=CONVERSATION_MACHINE,
            record=locked,
            action="report_reopen",
            conversation=locked,
            update_fields=("report_submitted_at",),
        )
        _notify(locked, "report_withdrawn")
    _refresh(conversation, locked)
    return conversation


def reaction_save(*, actor: Actor, conversation: Conversation, reaction: str) -> Conversation:
    """The medewerker saves their own reaction to the report (before they sign)."""
    authorize(actor, AS_EMPLOYEE, conversation)
    if len(reaction) > TEXT_MAX:
        raise ValidationError({"reaction": _("Your reaction is too long.")})
    with transaction.atomic():
        locked = _lock(conversation)
        _refuse_final(locked)
        if locked.state != ConversationState.WITH_EMPLOYEE:
            raise TransitionRefusedError(
                _("You can react while the report waits for your signature (the status is “%(state)s”).")
                % {"state": ConversationState(locked.state).label}
            )
        locked.employee_reaction = reaction.strip()
        locked.save(update_fields=["employee_reaction"])
    _refresh(conversation, locked)
    return conversation


def _signed_already(*, part: str, role: str, conversation: Conversation, addendum: Addendum | None = None) -> None:
    """The clear message for a second signature (another tab, a double click), checked on the locked row."""
    signatures = Signature.objects.filter(board_id=conversation.board_id, part=part, role=role)
    signatures = signatures.filter(addendum=addendum) if addendum else signatures.filter(conversation=conversation)
    if signatures.exists():
        raise TransitionRefusedError(_("You have signed this already (perhaps in another tab)."))


def _employee_verdict(verdict: str) -> None:
    if verdict not in (Verdict.AGREED, Verdict.SEEN):
        raise ValidationError({"verdict": _("Choose “agreed” or “seen, not agreed”.")})


def report_employee_sign(
    *, actor: Actor, conversation: Conversation, verdict: str, reaction: str | None = None
) -> Signature:
    """The medewerker signs the report "agreed" or "seen, not agreed" (with their reaction, when given);
    it then waits for the leidinggevende, who gets an e-mail."""
    authorize(actor, AS_EMPLOYEE, conversation)
    _employee_verdict(verdict)
    if reaction is not None and len(reaction) > TEXT_MAX:
        raise ValidationError({"reaction": _("Your reaction is too long.")})
    with transaction.atomic():
        locked = _lock(conversation)
        _signed_already(part=SignedPart.REPORT, role=SignerRole.EMPLOYEE, conversation=locked)
        _check_move(CONVERSATION_MACHINE, locked.state, "employee_sign")
        if reaction is not None:
            locked.employee_reaction = reaction.strip()
        state_move(
            actor=actor,
            machine=CONVERSATION_MACHINE,
            record=locked,
            action="employee_sign",
            conversation=locked,
            update_fields=("employee_reaction",),
        )
        signature = signature_add(
            actor=actor, conversation=locked, part=SignedPart.REPORT, role=SignerRole.EMPLOYEE, verdict=verdict
        )
        _notify(locked, "employee_signed")
    _refresh(conversation, locked)
    return signature


def report_manager_sign(*, actor: Actor, conversation: Conversation) -> Signature:
    """The leidinggevende signs after the medewerker: the report is signed and never changes again."""
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock(conversation)
        _signed_already(part=SignedPart.REPORT, role=SignerRole.MANAGER, conversation=locked)
        _check_move(CONVERSATION_MACHINE, locked.state, "manager_sign")
        locked.signed_at = timezone.now()
        state_move(
            actor=actor,
            machine=CONVERSATION_MACHINE,
            record=locked,
            action="manager_sign",
            conversation=locked,
            update_fields=("signed_at",),
        )
        signature = signature_add(
            actor=actor, conversation=locked, part=SignedPart.REPORT, role=SignerRole.MANAGER, verdict=Verdict.SIGNED
        )
        _notify(locked, "report_signed")
    _refresh(conversation, locked)
    return signature


# --- addenda ----------------------------------------------------------------------------------------


def addendum_create(*, actor: Actor, conversation: Conversation, body: str) -> Addendum:
    """A correction to a signed report, written by the leidinggevende; the medewerker signs it first.
    One addendum at a time: a new one waits until the open one is signed by both."""
    authorize(actor, AS_MANAGER, conversation)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the correction first.")})
    if len(body) > TEXT_MAX:
        raise ValidationError({"body": _("This correction is too long.")})
    with transaction.atomic():
        locked = _lock(conversation)
        if locked.state != ConversationState.SIGNED:
            raise TransitionRefusedError(_("An addendum can only be added to a signed report."))
        if Addendum.objects.filter(
            board_id=locked.board_id,
            conversation=locked,
            state__in=(AddendumState.WITH_EMPLOYEE, AddendumState.WITH_MANAGER),
        ).exists():
            raise TransitionRefusedError(_("The previous addendum still waits for signatures: finish that one first."))
        addendum = Addendum.objects.create(
            board_id=locked.board_id,
            conversation=locked,
            body=body,
            author=actor.person,
            state=AddendumState.WITH_EMPLOYEE,
        )
        _event(
            actor=actor,
            conversation=locked,
            action="addendum_create",
            subject=EventSubject.ADDENDUM,
            to_state=AddendumState.WITH_EMPLOYEE,
        )
        _notify(locked, "addendum_ready", addendum)
    return addendum


def _lock_addendum(addendum: Addendum) -> Addendum:
    return Addendum.objects.select_for_update().get(pk=addendum.pk, board_id=addendum.board_id)


def addendum_employee_sign(*, actor: Actor, addendum: Addendum, verdict: str, reaction: str = "") -> Signature:
    """The medewerker signs an addendum "agreed" or "seen, not agreed", with an optional reaction."""
    conversation = addendum.conversation
    authorize(actor, AS_EMPLOYEE, conversation)
    _employee_verdict(verdict)
    if len(reaction) > TEXT_MAX:
        raise ValidationError({"reaction": _("Your reaction is too long.")})
    with transaction.atomic():
        locked = _lock_addendum(addendum)
        _signed_already(part=SignedPart.ADDENDUM, role=SignerRole.EMPLOYEE, conversation=conversation, addendum=locked)
        _check_move(ADDENDUM_MACHINE, locked.state, "employee_sign")
        locked.employee_reaction = reaction.strip()
        state_move(
            actor=actor,
            machine=ADDENDUM_MACHINE,
            record=locked,
            action="employee_sign",
            conversation=conversation,
            subject=EventSubject.ADDENDUM,
            update_fields=("employee_reaction",),
        )
        signature = signature_add(
            actor=actor,
            conversation=conversation,
            part=SignedPart.ADDENDUM,
            role=SignerRole.EMPLOYEE,
            verdict=verdict,
            addendum=locked,
        )
        _notify(conversation, "addendum_employee_signed", locked)
    addendum.state, addendum.employee_reaction = locked.state, locked.employee_reaction
    return signature


def addendum_manager_sign(*, actor: Actor, addendum: Addendum) -> Signature:
    """The leidinggevende signs an addendum after the medewerker: it is final, like the report."""
    conversation = addendum.conversation
    authorize(actor, AS_MANAGER, conversation)
    with transaction.atomic():
        locked = _lock_addendum(addendum)
        _signed_already(part=SignedPart.ADDENDUM, role=SignerRole.MANAGER, conversation=conversation, addendum=locked)
        _check_move(ADDENDUM_MACHINE, locked.state, "manager_sign")
        locked.signed_at = timezone.now()
        state_move(
            actor=actor,
            machine=ADDENDUM_MACHINE,
            record=locked,
            action="manager_sign",
            conversation=conversation,
            subject=EventSubject.ADDENDUM,
            update_fields=("signed_at",),
        )
        signature = signature_add(
            actor=actor,
            conversation=conversation,
            part=SignedPart.ADDENDUM,
            role=SignerRole.MANAGER,
            verdict=Verdict.SIGNED,
            addendum=locked,
        )
        _notify(conversation, "addendum_signed", locked)
    addendum.state, addendum.signed_at = locked.state, locked.signed_at
    return signature


# --- agreements to the POP --------------------------------------------------------------------------


def agreement_goal_create(*, actor: Actor, agreement: Agreement) -> Goal:
    """The medewerker turns an agreement of a report put forward to them into a goal in their POP, once:
    a second click (or tab) returns the goal made the first time."""
    conversation = agreement.conversation
    authorize(actor, AS_EMPLOYEE, conversation)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk, board_id=agreement.board_id)
        if locked.goal_id is not None:
            existing = Goal.objects.filter(pk=locked.goal_id).first()
            if existing is not None:
                return existing
        state = Conversation.objects.filter(pk=conversation.pk).values_list("state", flat=True).get()
        if state not in REPORT_OUT:
            raise TransitionRefusedError(_("An agreement becomes a goal once the report has been put forward to you."))
        year = school_year_label(school_year_of(timezone.localdate()))
        plan, _created = plans.plan_current_or_create(
            actor=actor, title=_("Agreements from conversations %(year)s") % {"year": year}
        )
        held_on = timezone.localdate(conversation.scheduled_at).strftime("%d-%m-%Y")
        goal = plans.goal_create(
            actor=actor,
            plan=plan,
            title=locked.text[:300],
            why=_("Agreement from the %(kind)s of %(date)s: %(text)s")
            % {"kind": ConversationKind(conversation.kind).label.lower(), "date": held_on, "text": locked.text},
        )
        locked.goal = goal
        locked.save(update_fields=["goal"])
    agreement.goal = goal
    return goal


# --- reading a conversation: the access log ---------------------------------------------------------


def conversation_access_record(*, actor: Actor, conversation: Conversation, role: str, path: str = "") -> None:
    """The leidinggevende's reading of a medewerker's conversation goes in the access log (an employer
    record about them); the medewerker's own reading does not."""
    if role != MANAGER:
        return
    from bekwaam.audit.services import access_record

    access_record(
        actor=actor,
        subject=conversation.employee,
        what=str(Conversation._meta.verbose_name),
        right=str(SignerRole.MANAGER.label),
        path=path,
        object_type=Conversation._meta.label_lower,
        object_id=str(conversation.pk),
    )


def _pdf_render(html: str) -> bytes:
    return pdf_render(html)


def conversation_pdf(*, actor: Actor, conversation: Conversation, role: str, path: str = "") -> bytes:
    """The signed report as a PDF for either participant: the answers, agreements, reaction, signatures
    with names and times, and the addenda with theirs; the leidinggevende's download is logged."""
    authorize(actor, "conversations.view", conversation)
    if conversation.state != ConversationState.SIGNED:
        raise ValidationError(_("A PDF is made of a signed report only."))
    page = conversation_page_for(actor=actor, conversation=conversation, role=role)
    context = {
        "page": page,
        "conversation": conversation,
        "appraisal": appraisal_section_for(actor=actor, conversation=conversation, role=role),
        "made_at": timezone.now(),
    }
    html = render_to_string("conversations/report_pdf.html", context)
    conversation_access_record(actor=actor, conversation=conversation, role=role, path=path)
    return _pdf_render(html)
