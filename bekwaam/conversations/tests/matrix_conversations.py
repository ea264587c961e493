"""Authorization matrix cases for the conversation pages (merged by matrix_cases.py).

Every conversation here is the teacher's (medewerker) with the manager (leidinggevende) at board A.
The list is for everyone with a dossier or a team (403 for the others); planning for a leidinggevende.
A conversation's pages are reached by its two sides only: anyone else does not find it (404), the
beheerder, the bestuur and the colleague included. Each side's steps answer 403 to the other side. A
step that is not possible in the state (signing twice, sharing nothing) redirects back with a message
and changes nothing, which the `state` snapshots prove.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.conversations.models import (
    Addendum,
    AddendumState,
    Agreement,
    Answer,
    Conversation,
    ConversationDocument,
    ConversationState,
    DocumentRole,
    FormPrompt,
    Signature,
)
from bekwaam.conversations.tests.factories_conversations import addendum_build, conversation_build
from bekwaam.dossier.models import Goal
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.matrix import DENIED, EMPLOYEES, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect

# The two sides reach it; nobody else finds it.
BOTH = expect(ok=("teacher", "manager"), others=NOT_FOUND)
# One side's step: the other side is refused, nobody else finds it.
MANAGER_STEP = expect(ok=("manager",), others=NOT_FOUND) | {"teacher": DENIED}
EMPLOYEE_STEP = expect(ok=("teacher",), others=NOT_FOUND) | {"manager": DENIED}
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)


def conversation_in(state: str, label: str = "") -> Callable[[World], Any]:
    """The id of the teacher's conversation in `state` (made once per test, named by its place)."""

    def get(world: World) -> Any:
        place = f"Matrix {label or state}"
        found = Conversation.objects.filter(location=place).first()
        if found is None:
            found = conversation_build(world, state, location=place)
            if label == "prepared":
                _preparation(found, world)
        return found.pk

    return get


def _preparation(conversation: Conversation, world: World) -> None:
    document = ConversationDocument.objects.create(
        board=conversation.board,
        conversation=conversation,
        role=DocumentRole.EMPLOYEE_PREPARATION,
        form_version=conversation.preparation_form_version,
        author=world.teacher,
    )
    prompt = FormPrompt.objects.filter(section__version=conversation.preparation_form_version).first()
    Answer.objects.create(board=conversation.board, document=document, prompt=prompt, text="Voorbereid")


def addendum_in(state: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        conversation = Conversation.objects.get(
            pk=conversation_in(ConversationState.SIGNED, f"addendum {state}")(world)
        )
        addendum = Addendum.objects.filter(conversation=conversation).first() or addendum_build(conversation, state)
        return addendum.pk

    return get


def agreement_of(conversation: Callable[[World], Any]) -> Callable[[World], Any]:
    return lambda world: Agreement.objects.filter(conversation_id=conversation(world)).first().pk


def conversations_state(world: World) -> object:
    return sorted(
        (c.location, c.state, c.scheduled_at, c.calendar_sequence, c.employee_reaction, c.report_submitted_at)
        for c in Conversation.objects.all()
    )


def everything_state(world: World) -> object:
    return (
        conversations_state(world),
        sorted(ConversationDocument.objects.values_list("conversation__location", "role", "shared_at")),
        sorted(Answer.objects.values_list("document__conversation__location", "text")),
        sorted(Agreement.objects.values_list("conversation__location", "text", "goal_id")),
        sorted(Signature.objects.values_list("conversation__location", "part", "role")),
        sorted(Addendum.objects.values_list("conversation__location", "state", "body")),
        Goal.objects.count(),
    )


def future(days: int = 12) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def plan_data(world: World) -> dict[str, Any]:
    return {
        "employment": Employment.objects.get(person=world.teacher).pk,
        "kind": "development",
        "date": future(),
        "time": "10:00",
        "duration_minutes": 60,
        "location": "Matrix planned by post",
    }


def moment_data(world: World) -> dict[str, Any]:
    return {"date": future(20), "time": "11:00", "duration_minutes": 30, "location": "Aula", "online_url": ""}


def with_prompt(conversation: Callable[[World], Any], purpose: str) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        found = Conversation.objects.get(pk=conversation(world))
        version = found.report_form_version if purpose == "report" else found.preparation_form_version
        prompt = FormPrompt.objects.filter(section__version=version).first()
        return {f"prompt_{prompt.pk}": "Ingevuld in de matrix", "agreement_new_1": "Nieuwe afspraak"}

    return data


PLANNED = conversation_in(ConversationState.PLANNED)
PREPARED = conversation_in(ConversationState.PLANNED, "prepared")
REPORTING = conversation_in(ConversationState.REPORTING)
WITH_EMPLOYEE = conversation_in(ConversationState.WITH_EMPLOYEE)
WITH_MANAGER = conversation_in(ConversationState.WITH_MANAGER)
SIGNED = conversation_in(ConversationState.SIGNED)


def url(name: str, conversation: Callable[[World], Any], **extra: Any) -> Callable[[World], str]:
    return at(f"conversations:{name}", conversation_id=conversation, **extra)


MATRIX: dict[str, list[Case]] = {
    "conversations:list": [Case(at("conversations:list"), expect(ok=EMPLOYEES))],
    "conversations:plan": [
        Case(at("conversations:plan"), expect(ok=("manager",))),
        Case(
            at("conversations:plan"),
            expect(ok=("manager",)),
            method="post",
            data=plan_data,
            state=conversations_state,
            changes=("manager",),
        ),
    ],
    "conversations:detail": [
        Case(url("detail", PLANNED), BOTH, label="planned"),
        Case(url("detail", SIGNED), BOTH, label="signed"),
    ],
    "conversations:ics": [Case(url("ics", PLANNED), BOTH)],
    "conversations:pdf": [Case(url("pdf", SIGNED), BOTH)],
    "conversations:reschedule": [
        Case(url("reschedule", PLANNED), MANAGER_STEP),
        Case(
            url("reschedule", PLANNED),
            MANAGER_STEP,
            method="post",
            data=moment_data,
            state=conversations_state,
            changes=("manager",),
        ),
    ],
    "conversations:cancel": [
        Case(url("cancel", PLANNED), NOT_GET),
        Case(url("cancel", PLANNED), MANAGER_STEP, method="post", state=conversations_state, changes=("manager",)),
    ],
    "conversations:preparation": [
        Case(url("preparation", PLANNED), BOTH),
        Case(
            url("preparation", PLANNED),
            BOTH,
            method="post",
            data=with_prompt(PLANNED, "preparation"),
            state=everything_state,
            changes=("teacher", "manager"),
        ),
    ],
    "conversations:preparation-share": [
        Case(url("preparation-share", PREPARED), NOT_GET),
        Case(
            url("preparation-share", PREPARED),
            BOTH,
            method="post",
            state=everything_state,
            changes=("teacher",),  # the manager has no preparation to share: a message, nothing changes
        ),
    ],
    "conversations:report-start": [
        Case(url("report-start", PLANNED), NOT_GET),
        Case(url("report-start", PLANNED), MANAGER_STEP, method="post", state=everything_state, changes=("manager",)),
    ],
    "conversations:report": [
        Case(url("report", REPORTING), MANAGER_STEP),
        Case(
            url("report", REPORTING),
            MANAGER_STEP,
            method="post",
            data=with_prompt(REPORTING, "report"),
            state=everything_state,
            changes=("manager",),
        ),
        Case(
            url("report", SIGNED),
            MANAGER_STEP,
            method="post",
            data=with_prompt(SIGNED, "report"),
            state=everything_state,
            label="signed: refused with a message",
        ),
    ],
    "conversations:report-submit": [
        Case(url("report-submit", REPORTING), NOT_GET),
        Case(
            url("report-submit", REPORTING), MANAGER_STEP, method="post", state=everything_state, changes=("manager",)
        ),
    ],
    "conversations:report-reopen": [
        Case(url("report-reopen", WITH_EMPLOYEE), NOT_GET),
        Case(
            url("report-reopen", WITH_EMPLOYEE),
            MANAGER_STEP,
            method="post",
            state=everything_state,
            changes=("manager",),
        ),
    ],
    "conversations:reaction": [
        Case(url("reaction", WITH_EMPLOYEE), NOT_GET),
        Case(
            url("reaction", WITH_EMPLOYEE),
            EMPLOYEE_STEP,
            method="post",
            data=lambda w: {"reaction": "Mijn reactie"},
            state=everything_state,
            changes=("teacher",),
        ),
    ],
    "conversations:sign": [
        Case(url("sign", WITH_EMPLOYEE), NOT_GET),
        Case(
            url("sign", WITH_EMPLOYEE),
            BOTH,
            method="post",
            data=lambda w: {"verdict": "seen", "reaction": "Gezien"},
            state=everything_state,
            changes=("teacher",),  # the manager's signature waits: a message, nothing changes
            label="waiting for the employee",
        ),
        Case(
            url("sign", WITH_MANAGER),
            BOTH,
            method="post",
            data=lambda w: {"verdict": "agreed"},
            state=everything_state,
            changes=("manager",),  # the teacher signed already: a message, nothing changes
            label="waiting for the manager",
        ),
    ],
    "conversations:addendum-create": [
        Case(url("addendum-create", SIGNED), MANAGER_STEP),
        Case(
            url("addendum-create", SIGNED),
            MANAGER_STEP,
            method="post",
            data=lambda w: {"body": "Een correctie"},
            state=everything_state,
            changes=("manager",),
        ),
    ],
    "conversations:addendum-sign": [
        Case(
            at(
                "conversations:addendum-sign",
                conversation_id=conversation_in(ConversationState.SIGNED, f"addendum {AddendumState.WITH_EMPLOYEE}"),
                addendum_id=addendum_in(AddendumState.WITH_EMPLOYEE),
            ),
            NOT_GET,
        ),
        Case(
            at(
                "conversations:addendum-sign",
                conversation_id=conversation_in(ConversationState.SIGNED, f"addendum {AddendumState.WITH_EMPLOYEE}"),
                addendum_id=addendum_in(AddendumState.WITH_EMPLOYEE),
            ),
            BOTH,
            method="post",
            data=lambda w: {
                f"addendum-{Addendum.objects.get(state=AddendumState.WITH_EMPLOYEE).pk.hex[:8]}-verdict": "agreed"
            },
            state=everything_state,
            changes=("teacher",),
            label="waiting for the employee",
        ),
        Case(
            at(
                "conversations:addendum-sign",
                conversation_id=conversation_in(ConversationState.SIGNED, f"addendum {AddendumState.WITH_MANAGER}"),
                addendum_id=addendum_in(AddendumState.WITH_MANAGER),
            ),
            BOTH,
            method="post",
            state=everything_state,
            changes=("manager",),
            label="waiting for the manager",
        ),
        Case(
            at(
                "conversations:addendum-sign",
                conversation_id=SIGNED,
                addendum_id=addendum_in(AddendumState.WITH_MANAGER),
            ),
            expect(others=NOT_FOUND),
            method="post",
            state=everything_state,
            label="addendum of another conversation",
        ),
    ],
    "conversations:agreement-goal": [
        Case(url("agreement-goal", SIGNED, agreement_id=agreement_of(SIGNED)), NOT_GET),
        Case(
            url("agreement-goal", SIGNED, agreement_id=agreement_of(SIGNED)),
            EMPLOYEE_STEP,
            method="post",
            state=everything_state,
            changes=("teacher",),
        ),
        Case(
            url("agreement-goal", SIGNED, agreement_id=agreement_of(WITH_MANAGER)),
            expect(others=NOT_FOUND) | {"manager": DENIED},
            method="post",
            state=everything_state,
            label="agreement of another conversation",
        ),
    ],
}
