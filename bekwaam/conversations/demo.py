"""Demo conversations: a leidinggevende's conversations with a few of the people they lead, in different states.

Written through the same services the pages use (only the date of a conversation that already took
place is set back afterwards: a service refuses to plan in the past). Idempotent: a leidinggevende who
already has conversations at the board is left alone. Called from tenancy/demo.py as

    seed_conversations_demo(board=board, manager=schoolleider, employees=[lotte, colleague], today=today)

with people `manager` leads (Employment.manager or a school they lead).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone
from django_scopes import scope

from bekwaam.accounts.models import Person
from bekwaam.conversations.models import (
    Conversation,
    ConversationKind,
    DocumentRole,
    FormPrompt,
)
from bekwaam.conversations.services import conversations as services
from bekwaam.conversations.services.setup import conversation_defaults_install
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Board, Employment
from bekwaam.tenancy.selectors import team_members_for

ANSWERS = [
    "Ik ben trots op hoe mijn groep zelfstandiger is gaan werken.",
    "Meer tijd voor de verlengde instructie bij rekenen.",
    "Ik wil volgend jaar een collega coachen bij het differentiëren.",
    "Twee keer collegiale consultatie en een cursus over feedback geven.",
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _answers(conversation: Conversation, role: str) -> dict[int, services.AnswerInput]:
    """Text answers for the text questions of the document's pinned form (rating questions left open)."""
    version_id = (
        conversation.report_form_version_id if role == DocumentRole.REPORT else conversation.preparation_form_version_id
    )
    prompts = FormPrompt.objects.filter(section__version_id=version_id, answer_type="text").order_by(
        "section__position", "position", "pk"
    )
    return {prompt.pk: services.AnswerInput(text=ANSWERS[n % len(ANSWERS)]) for n, prompt in enumerate(prompts)}


def seed_conversations_demo(
    *, board: Board, manager: Person, employees: Sequence[Person], today: datetime.date
) -> None:
    """Install the board's shipped forms and cycle, then give the first employee (the demo medewerker) a
    signed report with agreements (one already a POP goal) and an addendum signed by both, and a report
    waiting for their signature; and the second a conversation planned next week (preparation shared)."""
    conversation_defaults_install(board_id=board.pk)
    with scope(board=[board.pk]):
        if Conversation.objects.filter(board=board, manager=manager).exists():
            return
        boss = actor_for(manager, f"board:{board.pk}")
        led = {e.person_id: e for e in team_members_for(actor=boss).filter(person__in=list(employees))}
        employments: list[Employment] = [led[p.pk] for p in employees if p.pk in led]
        if not employments:
            return

        def plan(employment: Employment, kind: str, day: datetime.date) -> Conversation:
            # Planned in the future (as the service demands), then set to the day it took place.
            conversation = services.conversation_plan(
                actor=boss,
                employment=employment,
                kind=kind,
                scheduled_at=_at(today + datetime.timedelta(days=7), 10),
                duration_minutes=60,
                location="Kamer van de directie",
            )
            if day < today:
                Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=_at(day, 15))
                conversation.refresh_from_db()
            return conversation

        def held(employment: Employment, kind: str, days_ago: int, agreements: list[str]) -> Conversation:
            conversation = plan(employment, kind, today - datetime.timedelta(days=days_ago))
            services.report_start(actor=boss, conversation=conversation)
            services.report_save(
                actor=boss,
                conversation=conversation,
                answers=_answers(conversation, DocumentRole.REPORT) if conversation.report_form_version_id else {},
                agreements=[services.AgreementInput(None, text) for text in agreements],
            )
            services.report_submit(actor=boss, conversation=conversation)
            return conversation

        # The demo medewerker (the first one) has a history: a functioneringsgesprek of half a year ago, signed
        # ("seen, not agreed", with a reaction), one agreement already a POP goal, and an addendum signed by both.
        first = employments[0]
        worker = actor_for(first.person, f"board:{board.pk}")
        signed = held(
            first,
            ConversationKind.PERFORMANCE,
            200,
            ["Begeleidt in het voorjaar een stagiair.", "Werkt het rekenbeleid van de bovenbouw mee uit."],
        )
        services.report_employee_sign(
            actor=worker,
            conversation=signed,
            verdict="seen",
            reaction="Ik herken me in het verslag, maar de werkdruk is onderbelicht.",
        )
        services.report_manager_sign(actor=boss, conversation=signed)
        agreement = signed.agreements.order_by("position").first()
        if agreement is not None:
            services.agreement_goal_create(actor=worker, agreement=agreement)
        addendum = services.addendum_create(
            actor=boss,
            conversation=signed,
            body="Aanvulling: we spreken af dat de werkdruk terugkomt in het ontwikkelgesprek.",
        )
        addendum.conversation = signed
        services.addendum_employee_sign(actor=worker, addendum=addendum, verdict="agreed", reaction="Dank je.")
        services.addendum_manager_sign(actor=boss, addendum=addendum)

        # This year's ontwikkelgesprek, held ten days ago: its report waits for the demo medewerker's signature.
        held(
            first,
            ConversationKind.DEVELOPMENT,
            10,
            ["Volgt dit schooljaar de cursus 'Feedback geven'.", "Plant twee collegiale consultaties voor de kerst."],
        )

        # A colleague's functioneringsgesprek next week: they have prepared and shared, the leidinggevende has
        # prepared too (privately).
        second = employments[1] if len(employments) > 1 else first
        upcoming = plan(second, ConversationKind.PERFORMANCE, today + datetime.timedelta(days=7))
        colleague = actor_for(second.person, f"board:{board.pk}")
        if upcoming.preparation_form_version_id:
            services.preparation_save(
                actor=colleague,
                conversation=upcoming,
                answers=_answers(upcoming, DocumentRole.EMPLOYEE_PREPARATION),
            )
            services.preparation_share(actor=colleague, conversation=upcoming)
            services.preparation_save(
                actor=boss, conversation=upcoming, answers=_answers(upcoming, DocumentRole.MANAGER_PREPARATION)
            )
