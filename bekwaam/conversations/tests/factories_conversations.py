"""Builders for conversation tests: forms written directly (not through the set-up services), and a
conversation between the world's manager and teacher in any state, with what that state implies
(the report document, an agreement, the signatures so far)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from bekwaam.conversations.models import (
    Addendum,
    AddendumState,
    Agreement,
    AnswerType,
    Conversation,
    ConversationDocument,
    ConversationForm,
    ConversationKind,
    ConversationState,
    DocumentRole,
    FormPrompt,
    FormPurpose,
    FormSection,
    FormStatus,
    FormVersion,
    Signature,
    SignedPart,
    SignerRole,
    Verdict,
)
from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.lib.dates import school_year_of
from bekwaam.tenancy.models import Employment

AFTER_REPORT = (
    ConversationState.REPORTING,
    ConversationState.WITH_EMPLOYEE,
    ConversationState.WITH_MANAGER,
    ConversationState.SIGNED,
)
PUT_FORWARD = (ConversationState.WITH_EMPLOYEE, ConversationState.WITH_MANAGER, ConversationState.SIGNED)


def form_version_build(
    board: Any,
    *,
    purpose: str,
    kind: str = ConversationKind.DEVELOPMENT,
    slug: str = "",
    framework_version: FrameworkVersion | None = None,
    required: bool = False,
) -> FormVersion:
    """A published version with one section of two text questions (the first required when asked), and a
    rating question on the framework's first competence when a framework version is given."""
    slug = slug or f"{kind}-{purpose}-{uuid.uuid4().hex[:6]}"
    form = ConversationForm.objects.create(board=board, slug=slug, name=f"Formulier {slug}", kind=kind, purpose=purpose)
    version = FormVersion.objects.create(
        board=board,
        form=form,
        number=1,
        status=FormStatus.PUBLISHED,
        published_at=timezone.now(),
        framework_version=framework_version,
    )
    section = FormSection.objects.create(board=board, version=version, title=f"Terugblik ({purpose})", position=1)
    FormPrompt.objects.create(
        board=board, section=section, text=f"Waar ben je trots op? ({purpose})", required=required, position=1
    )
    FormPrompt.objects.create(board=board, section=section, text=f"Wat wil je leren? ({purpose})", position=2)
    if framework_version is not None:
        competence = Competence.objects.filter(version=framework_version).order_by("pk").first()
        FormPrompt.objects.create(
            board=board,
            section=section,
            text=f"Hoe sta je ervoor? ({purpose})",
            answer_type=AnswerType.RATING,
            competence=competence,
            position=3,
        )
    return version


def forms_build(
    board: Any, *, kind: str = ConversationKind.DEVELOPMENT, **options: Any
) -> tuple[FormVersion, FormVersion]:
    return (
        form_version_build(board, purpose=FormPurpose.PREPARATION, kind=kind, **options),
        form_version_build(board, purpose=FormPurpose.REPORT, kind=kind, **options),
    )


def conversation_build(
    world: Any,
    state: str = ConversationState.PLANNED,
    *,
    employee: Any = None,
    manager: Any = None,
    kind: str = ConversationKind.DEVELOPMENT,
    forms: tuple[FormVersion | None, FormVersion | None] | None = None,
    agreements: tuple[str, ...] = ("Volgt een cursus over feedback geven.",),
    location: str = "Kamer 12",
) -> Conversation:
    """A conversation of the teacher (or `employee`) with the manager in `state`, consistent with it."""
    employee = employee or world.teacher
    manager = manager or world.manager
    employment = Employment.objects.filter(person=employee).order_by("start_date").first()
    assert employment is not None
    if forms is None:
        preparation = FormVersion.objects.filter(
            board=employment.board, form__kind=kind, form__purpose=FormPurpose.PREPARATION
        ).first()
        report = FormVersion.objects.filter(
            board=employment.board, form__kind=kind, form__purpose=FormPurpose.REPORT
        ).first()
        if preparation is None or report is None:
            preparation, report = forms_build(employment.board, kind=kind)
        forms = (preparation, report)
    now = timezone.now()
    when = now + datetime.timedelta(days=7) if state == ConversationState.PLANNED else now - datetime.timedelta(days=7)
    conversation = Conversation.objects.create(
        board=employment.board,
        school=employment.school,
        employment=employment,
        employee=employee,
        manager=manager,
        kind=kind,
        school_year=school_year_of(timezone.localdate(when)),
        state=state,
        scheduled_at=when,
        location=location,
        preparation_form_version=forms[0],
        report_form_version=forms[1],
        report_submitted_at=now if state in PUT_FORWARD else None,
        signed_at=now if state == ConversationState.SIGNED else None,
    )
    if state in AFTER_REPORT and forms[1] is not None:
        ConversationDocument.objects.create(
            board=conversation.board,
            conversation=conversation,
            role=DocumentRole.REPORT,
            form_version=forms[1],
            author=manager,
        )
    if state in AFTER_REPORT:
        for position, text in enumerate(agreements, start=1):
            Agreement.objects.create(board=conversation.board, conversation=conversation, text=text, position=position)
    if state in (ConversationState.WITH_MANAGER, ConversationState.SIGNED):
        signature_build(conversation, SignerRole.EMPLOYEE, employee)
    if state == ConversationState.SIGNED:
        signature_build(conversation, SignerRole.MANAGER, manager)
    return Conversation.objects.select_related("employee", "manager", "school", "employment").get(pk=conversation.pk)


def signature_build(
    conversation: Conversation, role: str, signer: Any, *, addendum: Addendum | None = None
) -> Signature:
    return Signature.objects.create(
        board=conversation.board,
        conversation=conversation,
        part=SignedPart.ADDENDUM if addendum else SignedPart.REPORT,
        addendum=addendum,
        role=role,
        verdict=Verdict.AGREED if role == SignerRole.EMPLOYEE else Verdict.SIGNED,
        signer=signer,
        signer_name=signer.full_name,
        signed_at=timezone.now(),
    )


def addendum_build(conversation: Conversation, state: str = AddendumState.WITH_EMPLOYEE) -> Addendum:
    """An addendum on a signed conversation in `state`, with the signatures that state implies."""
    addendum = Addendum.objects.create(
        board=conversation.board,
        conversation=conversation,
        body="Correctie: de cursus is in het voorjaar.",
        author=conversation.manager,
        state=state,
        signed_at=timezone.now() if state == AddendumState.SIGNED else None,
    )
    if state in (AddendumState.WITH_MANAGER, AddendumState.SIGNED):
        signature_build(conversation, SignerRole.EMPLOYEE, conversation.employee, addendum=addendum)
    if state == AddendumState.SIGNED:
        signature_build(conversation, SignerRole.MANAGER, conversation.manager, addendum=addendum)
    addendum.conversation = conversation
    return addendum
