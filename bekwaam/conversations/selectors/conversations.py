"""Reads of the conversations themselves: the list, the page of one conversation, its forms, and its .ics.

Who reaches a conversation is decided in conversations.selectors (role_in); this module decides what
each side reads of it, in the query and not only in the template:

- A preparation's answers are loaded only for the side that wrote it, and for the other side once it is
  shared (`shared_at`). An unshared preparation of the other side is never read from the database.
- The report (its answers and its agreements) is loaded for the medewerker only once it has been put
  forward (`report_submitted_at`); while the leidinggevende writes it, the medewerker sees that it is
  being written and nothing else.
- The medewerker's reaction is a draft of theirs until they sign: the leidinggevende reads it from then on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bekwaam.conversations.models import (
    Addendum,
    AddendumState,
    Agreement,
    Answer,
    Conversation,
    ConversationDocument,
    ConversationEvent,
    ConversationState,
    DocumentRole,
    EventSubject,
    FormPrompt,
    FormSection,
    FormVersion,
    Signature,
    SignedPart,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER, conversations_visible_to, document_visible
from bekwaam.frameworks.models import ScaleLevel
from bekwaam.notifications.ics import Attendee, calendar_event
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.selectors import team_members_for

# The happy path a conversation walks; "cancelled" leaves it (the stepper then shows that instead).
MAIN_PATH = (
    ConversationState.PLANNED,
    ConversationState.REPORTING,
    ConversationState.WITH_EMPLOYEE,
    ConversationState.WITH_MANAGER,
    ConversationState.SIGNED,
)
# While a preparation may still change: until the report is put forward.
PREPARING = (ConversationState.PLANNED, ConversationState.REPORTING)
# Once the report is put forward, the medewerker reads it (and may turn agreements into POP goals).
REPORT_OUT = (ConversationState.WITH_EMPLOYEE, ConversationState.WITH_MANAGER, ConversationState.SIGNED)
OPEN_ADDENDUM = (AddendumState.WITH_EMPLOYEE, AddendumState.WITH_MANAGER)

STEP_LABELS: dict[str, str | Promise] = {
    ConversationState.PLANNED: gettext_lazy("Planned"),
    ConversationState.REPORTING: gettext_lazy("Report"),
    ConversationState.WITH_EMPLOYEE: gettext_lazy("Employee signs"),
    ConversationState.WITH_MANAGER: gettext_lazy("Manager signs"),
    ConversationState.SIGNED: gettext_lazy("Signed"),
}

# --- the list ---------------------------------------------------------------------------------------

WHO_OWN = "own"
WHO_TEAM = "team"


def conversation_list_for(*, actor: Actor, who: str = "") -> QuerySet[Conversation]:
    """The actor's own conversations and those of the people they lead now: planned ones still to come
    first (soonest first), then the rest (newest first). `who` narrows to "own" or "team"."""
    conversations = conversations_visible_to(actor=actor)
    if who == WHO_OWN:
        conversations = conversations.filter(employee=actor.person)
    elif who == WHO_TEAM:
        conversations = conversations.exclude(employee=actor.person)
    upcoming = Q(state=ConversationState.PLANNED, scheduled_at__gte=timezone.now())
    open_addendum = Addendum.objects.filter(conversation=OuterRef("pk"), state__in=OPEN_ADDENDUM).order_by("created_at")
    return (
        conversations.select_related("employee", "manager", "school")
        .annotate(
            upcoming=Case(When(upcoming, then=Value(0)), default=Value(1), output_field=IntegerField()),
            addendum_state=Subquery(open_addendum.values("state")[:1]),
        )
        .order_by(
            "upcoming",
            Case(When(upcoming, then=F("scheduled_at"))).asc(nulls_last=True),
            F("scheduled_at").desc(),
            "pk",
        )
    )


def waiting_for(*, conversation: Conversation, role: str) -> bool:
    """Whether the next step of a listed conversation (annotated by conversation_list_for) is the actor's."""
    state = conversation.state
    addendum_state = getattr(conversation, "addendum_state", None)
    if role == EMPLOYEE:
        return state == ConversationState.WITH_EMPLOYEE or addendum_state == AddendumState.WITH_EMPLOYEE
    return (
        state in (ConversationState.REPORTING, ConversationState.WITH_MANAGER)
        or addendum_state == AddendumState.WITH_MANAGER
    )


# --- planning ---------------------------------------------------------------------------------------


def plan_choices_for(*, actor: Actor) -> QuerySet[Employment]:
    """The employments the actor may plan a conversation for: the people they lead now (as "Mijn team")."""
    return team_members_for(actor=actor)


def plan_employment_for(*, actor: Actor, employment_id: str) -> Employment | None:
    """The led employment named in the query string, or None for a missing, foreign or malformed id."""
    try:
        pk = UUID(employment_id)
    except (TypeError, ValueError):
        return None
    return plan_choices_for(actor=actor).filter(pk=pk).first()


# --- forms as the page shows them -------------------------------------------------------------------


@dataclass(frozen=True)
class PromptView:
    prompt: FormPrompt
    levels: tuple[ScaleLevel, ...] = ()
    answer: Answer | None = None

    @property
    def is_rating(self) -> bool:
        return self.prompt.competence_id is not None and self.prompt.answer_type == "rating"

    @property
    def field_name(self) -> str:
        return f"prompt_{self.prompt.pk}"

    @property
    def note_name(self) -> str:
        return f"note_{self.prompt.pk}"


@dataclass(frozen=True)
class SectionView:
    section: FormSection
    prompts: tuple[PromptView, ...]


@dataclass(frozen=True)
class FormView:
    """A form version's sections and questions, with the scale levels of each rating question."""

    version: FormVersion
    sections: tuple[SectionView, ...]

    @property
    def prompts(self) -> list[PromptView]:
        return [prompt for section in self.sections for prompt in section.prompts]

    def with_answers(self, answers: Iterable[Answer]) -> FormView:
        by_prompt = {answer.prompt_id: answer for answer in answers}
        return FormView(
            version=self.version,
            sections=tuple(
                SectionView(
                    section=s.section,
                    prompts=tuple(PromptView(p.prompt, p.levels, by_prompt.get(p.prompt.pk)) for p in s.prompts),
                )
                for s in self.sections
            ),
        )


def form_views_for(*, versions: Sequence[FormVersion]) -> dict[UUID, FormView]:
    """The sections, questions and rating scales of some form versions, in three queries whatever their size."""
    ids = [version.pk for version in versions]
    if not ids:
        return {}
    sections = list(
        FormSection.objects.filter(version_id__in=ids)
        .prefetch_related(
            Prefetch("prompts", queryset=FormPrompt.objects.select_related("competence").order_by("position", "pk"))
        )
        .order_by("position", "pk")
    )
    framework_ids = {
        prompt.competence.version_id
        for section in sections
        for prompt in section.prompts.all()
        if prompt.competence is not None
    }
    levels: dict[Any, list[ScaleLevel]] = {}
    if framework_ids:
        for level in ScaleLevel.objects.filter(version_id__in=framework_ids).order_by("value"):
            levels.setdefault(level.version_id, []).append(level)
    views: dict[UUID, FormView] = {}
    for version in versions:
        views[version.pk] = FormView(
            version=version,
            sections=tuple(
                SectionView(
                    section=section,
                    prompts=tuple(
                        PromptView(
                            prompt,
                            tuple(levels.get(prompt.competence.version_id, ())) if prompt.competence else (),
                        )
                        for prompt in section.prompts.all()
                    ),
                )
                for section in sections
                if section.version_id == version.pk
            ),
        )
    return views


# --- one conversation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    status: str  # "passed" | "current" | "upcoming"


@dataclass
class DocumentView:
    """One filled-in form as the reader may see it; `form` is None when the reader may not read it."""

    role: str
    document: ConversationDocument | None
    form: FormView | None
    visible: bool

    @property
    def shared(self) -> bool:
        return self.document is not None and self.document.shared_at is not None

    @property
    def answered(self) -> bool:
        return self.form is not None and any(p.answer is not None for p in self.form.prompts)


@dataclass
class AddendumView:
    addendum: Addendum
    signatures: list[Signature]
    may_sign: bool = False

    @property
    def is_open(self) -> bool:
        return self.addendum.state in OPEN_ADDENDUM


@dataclass
class ConversationPage:
    """Everything the conversation page (and the PDF) shows, as one role may see it."""

    conversation: Conversation
    role: str
    steps: list[Step]
    next_step: str
    own_preparation: DocumentView
    other_preparation: DocumentView
    report: DocumentView
    agreements: list[Agreement]
    report_signatures: list[Signature]
    reaction_visible: bool
    addenda: list[AddendumView]
    events: list[ConversationEvent]
    has_preparation_form: bool
    may: dict[str, bool] = field(default_factory=dict)

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER

    @property
    def is_employee(self) -> bool:
        return self.role == EMPLOYEE

    @property
    def employee_signature(self) -> Signature | None:
        return next((s for s in self.report_signatures if s.role == SignerRole.EMPLOYEE), None)

    @property
    def manager_signature(self) -> Signature | None:
        return next((s for s in self.report_signatures if s.role == SignerRole.MANAGER), None)


def steps_for(state: str) -> list[Step]:
    """The stepper: every state of the main path as passed, current or upcoming (or "cancelled" alone)."""
    if state == ConversationState.CANCELLED:
        return [Step(state, str(ConversationState.CANCELLED.label), "current")]
    index = MAIN_PATH.index(ConversationState(state))
    done = state == ConversationState.SIGNED  # the last step reached: everything is behind it

    def status(n: int) -> str:
        if n < index or done:
            return "passed"
        return "current" if n == index else "upcoming"

    return [Step(step, str(STEP_LABELS[step]), status(n)) for n, step in enumerate(MAIN_PATH)]


def next_step_text(*, conversation: Conversation, role: str, open_addendum: Addendum | None) -> str:
    """What happens next and who does it, addressed to the reader."""
    you_manage = role == MANAGER
    employee = conversation.employee.full_name
    state = conversation.state
    if state == ConversationState.CANCELLED:
        return _("This conversation has been cancelled.")
    if state == ConversationState.PLANNED:
        if you_manage:
            return _("Prepare the conversation; after it, write the report.")
        return _("Prepare the conversation. After it, your manager writes the report.")
    if state == ConversationState.REPORTING:
        if you_manage:
            return _("Write the report and put it forward to %(name)s.") % {"name": employee}
        return _("Your manager is writing the report. You will get an e-mail when you can read it.")
    if state == ConversationState.WITH_EMPLOYEE:
        if you_manage:
            return _("Waiting for %(name)s to read and sign the report.") % {"name": employee}
        return _("Read the report, add your reaction if you like, and sign it.")
    if state == ConversationState.WITH_MANAGER:
        if you_manage:
            return _("%(name)s has signed. Sign the report to finish it.") % {"name": employee}
        return _("You have signed. Waiting for your manager's signature.")
    if open_addendum is not None:
        if open_addendum.state == AddendumState.WITH_EMPLOYEE:
            if you_manage:
                return _("Waiting for %(name)s to sign the addendum.") % {"name": employee}
            return _("Read the addendum and sign it.")
        if you_manage:
            return _("Sign the addendum to finish it.")
        return _("Waiting for your manager to sign the addendum.")
    return _("The report is signed and final. A correction can only be made with an addendum.")


def conversation_page_for(*, actor: Actor, conversation: Conversation, role: str) -> ConversationPage:
    """The page of one conversation for `role` (from conversation_get_for), in a fixed number of queries."""
    board_id = conversation.board_id
    state = conversation.state
    documents = {
        d.role: d
        for d in ConversationDocument.objects.filter(board_id=board_id, conversation=conversation).only(
            "id", "board_id", "conversation_id", "role", "form_version_id", "author_id", "shared_at", "updated_at"
        )
    }
    for document in documents.values():
        document.conversation = conversation  # document_visible reads report_submitted_at from it
    own_role = DocumentRole.EMPLOYEE_PREPARATION if role == EMPLOYEE else DocumentRole.MANAGER_PREPARATION
    other_role = DocumentRole.MANAGER_PREPARATION if role == EMPLOYEE else DocumentRole.EMPLOYEE_PREPARATION
    report_visible = role == MANAGER or conversation.report_submitted_at is not None

    # The versions each visible document was written against (a preparation not yet written: the pinned one).
    version_ids: dict[str, Any] = {
        own_role: conversation.preparation_form_version_id,
        other_role: conversation.preparation_form_version_id,
        DocumentRole.REPORT: conversation.report_form_version_id,
    }
    for document_role, document in documents.items():
        version_ids[document_role] = document.form_version_id
    visible: dict[str, bool] = {
        own_role: True,
        other_role: other_role in documents and document_visible(document=documents[other_role], role=role),
        DocumentRole.REPORT: report_visible,
    }
    wanted = {version_ids[r] for r, seen in visible.items() if seen and version_ids[r] is not None}
    versions = list(FormVersion.objects.filter(board_id=board_id, pk__in=wanted).select_related("form"))
    forms = form_views_for(versions=versions)
    # Answers only of documents the reader may read: the others are never loaded.
    readable_ids = [documents[r].pk for r, seen in visible.items() if seen and r in documents]
    answers: dict[Any, list[Answer]] = {}
    if readable_ids:
        for answer in Answer.objects.filter(board_id=board_id, document_id__in=readable_ids).select_related("level"):
            answers.setdefault(answer.document_id, []).append(answer)

    def view(document_role: str) -> DocumentView:
        document = documents.get(document_role)
        version_id = version_ids[document_role]
        form = forms.get(version_id) if visible[document_role] and version_id is not None else None
        if form is not None and document is not None:
            form = form.with_answers(answers.get(document.pk, []))
        return DocumentView(role=document_role, document=document, form=form, visible=visible[document_role])

    agreements = (
        list(Agreement.objects.filter(board_id=board_id, conversation=conversation).select_related("goal"))
        if report_visible
        else []
    )
    signatures = list(
        Signature.objects.filter(
            board_id=board_id, conversation=conversation, part__in=[SignedPart.REPORT, SignedPart.ADDENDUM]
        )
    )
    addenda_rows = list(Addendum.objects.filter(board_id=board_id, conversation=conversation).order_by("created_at"))
    addenda = [
        AddendumView(
            addendum=a,
            signatures=[s for s in signatures if s.part == SignedPart.ADDENDUM and s.addendum_id == a.pk],
        )
        for a in addenda_rows
    ]
    open_addendum = next((a.addendum for a in addenda if a.is_open), None)
    for item in addenda:
        item.may_sign = (role == EMPLOYEE and item.addendum.state == AddendumState.WITH_EMPLOYEE) or (
            role == MANAGER and item.addendum.state == AddendumState.WITH_MANAGER
        )
    report_signatures = [s for s in signatures if s.part == SignedPart.REPORT]
    events = list(ConversationEvent.objects.filter(board_id=board_id, conversation=conversation).order_by("at", "pk"))
    has_preparation = conversation.preparation_form_version_id is not None
    may = {
        "reschedule": role == MANAGER and state == ConversationState.PLANNED,
        "cancel": role == MANAGER and state == ConversationState.PLANNED,
        "prepare": has_preparation and state in PREPARING,
        "share": has_preparation
        and state in PREPARING
        and own_role in documents
        and documents[own_role].shared_at is None,
        "report_start": role == MANAGER and state == ConversationState.PLANNED,
        "report_edit": role == MANAGER and state == ConversationState.REPORTING,
        "report_submit": role == MANAGER and state == ConversationState.REPORTING,
        "report_reopen": role == MANAGER and state == ConversationState.WITH_EMPLOYEE,
        "react": role == EMPLOYEE and state == ConversationState.WITH_EMPLOYEE,
        "sign": (role == EMPLOYEE and state == ConversationState.WITH_EMPLOYEE)
        or (role == MANAGER and state == ConversationState.WITH_MANAGER),
        "addendum": role == MANAGER and state == ConversationState.SIGNED and open_addendum is None,
        "goal": role == EMPLOYEE and state in REPORT_OUT,
        "pdf": state == ConversationState.SIGNED,
        "ics": state == ConversationState.PLANNED,
    }
    return ConversationPage(
        conversation=conversation,
        role=role,
        steps=steps_for(state),
        next_step=next_step_text(conversation=conversation, role=role, open_addendum=open_addendum),
        own_preparation=view(own_role),
        other_preparation=view(other_role),
        report=view(DocumentRole.REPORT),
        agreements=agreements,
        report_signatures=report_signatures,
        reaction_visible=role == EMPLOYEE or any(s.role == SignerRole.EMPLOYEE for s in report_signatures),
        addenda=addenda,
        events=events,
        has_preparation_form=has_preparation,
        may=may,
    )


def event_label(event: ConversationEvent) -> str:
    """A history row in words (the action's label, or what a creation did)."""
    from bekwaam.conversations.models import ADDENDUM_MACHINE, CONVERSATION_MACHINE

    special = {
        "plan": _("Conversation planned"),
        "preparation_share": _("Preparation shared"),
        "addendum_create": _("Addendum written"),
    }
    if event.action in special:
        return special[event.action]
    machine = ADDENDUM_MACHINE if event.subject == EventSubject.ADDENDUM else CONVERSATION_MACHINE
    label = machine.action_labels.get(event.action)
    if label is None:
        return event.action
    if event.subject == EventSubject.ADDENDUM:
        return _("Addendum: %(action)s") % {"action": label}
    return str(label)


# --- document editing -------------------------------------------------------------------------------


def document_edit_for(*, conversation: Conversation, document_role: str) -> FormView | None:
    """The form of one document with its saved answers, for its author's edit page (the caller checks who)."""
    document = (
        ConversationDocument.objects.filter(
            board_id=conversation.board_id, conversation=conversation, role=document_role
        )
        .select_related("form_version__form")
        .first()
    )
    if document is not None:
        version: FormVersion | None = document.form_version
    else:
        pinned = (
            conversation.report_form_version_id
            if document_role == DocumentRole.REPORT
            else conversation.preparation_form_version_id
        )
        version = (
            FormVersion.objects.filter(board_id=conversation.board_id, pk=pinned).select_related("form").first()
            if pinned
            else None
        )
    if version is None:
        return None
    form = form_views_for(versions=[version])[version.pk]
    if document is None:
        return form
    return form.with_answers(Answer.objects.filter(board_id=conversation.board_id, document=document))


def agreements_for(*, conversation: Conversation) -> list[Agreement]:
    """The report's agreements in their order (for the leidinggevende's edit page)."""
    return list(Agreement.objects.filter(board_id=conversation.board_id, conversation=conversation))


def agreement_get_for(*, conversation: Conversation, agreement_id: int) -> Agreement:
    """One agreement of this conversation; 404 for another conversation's (a tampered id)."""
    agreement = get_object_or_404(
        Agreement.objects.select_related("goal"),
        pk=agreement_id,
        conversation=conversation,
        board_id=conversation.board_id,
    )
    agreement.conversation = conversation
    return agreement


def addendum_get_for(*, conversation: Conversation, addendum_id: UUID) -> Addendum:
    """One addendum of this conversation; 404 for another conversation's."""
    addendum = get_object_or_404(Addendum, pk=addendum_id, conversation=conversation, board_id=conversation.board_id)
    addendum.conversation = conversation
    return addendum


def employee_verdicts() -> list[tuple[str, str]]:
    return [(Verdict.AGREED, str(Verdict.AGREED.label)), (Verdict.SEEN, str(Verdict.SEEN.label))]


# --- the calendar -----------------------------------------------------------------------------------


def conversation_calendar(*, conversation: Conversation, site_url: str) -> bytes:
    """The conversation's calendar event: one UID for its whole life (its id), SEQUENCE as stored; cancelled
    conversations give METHOD:CANCEL. Texts in the active language."""
    summary = _("%(kind)s: %(employee)s and %(manager)s") % {
        "kind": conversation.get_kind_display(),
        "employee": conversation.employee.full_name,
        "manager": conversation.manager.full_name,
    }
    link = site_url.rstrip("/") + reverse("conversations:detail", args=[conversation.pk])
    lines = [_("In Bekwaam: %(link)s") % {"link": link}]
    if conversation.online_url:
        lines.insert(0, _("Online: %(url)s") % {"url": conversation.online_url})
    start = conversation.scheduled_at
    return calendar_event(
        uid=str(conversation.pk),
        sequence=conversation.calendar_sequence,
        start=start,
        end=start + datetime.timedelta(minutes=conversation.duration_minutes),
        summary=summary,
        description="\n".join(lines),
        location=conversation.location or conversation.online_url,
        url=conversation.online_url or link,
        organizer=Attendee(conversation.manager.full_name, conversation.manager.email),
        attendees=[
            Attendee(conversation.employee.full_name, conversation.employee.email),
            Attendee(conversation.manager.full_name, conversation.manager.email),
        ],
        cancel=conversation.state == ConversationState.CANCELLED,
    )


def conversation_for_task(*, conversation_id: Any) -> Conversation | None:
    """A conversation with its participants, by id, for background work (the caller disables the scope)."""
    return Conversation.objects.select_related("employee", "manager", "school").filter(pk=conversation_id).first()
