"""The gesprekscyclus for the bench board (issue 4): five school years of conversations for everyone with a
leidinggevende, and this school year's cycle in every state, so "Mijn team" has a history to read.

Per person and past school year: an ontwikkelgesprek and a functioneringsgesprek, and every third year a
beoordelingsgesprek (with its final appraisal), each signed, with its report (answers to the shipped
report form), one or two agreements, both signatures and the four state changes. This school year each
kind is, at random, signed, planned, held with the report being written or waiting for a signature,
held without a report (overdue), or not planned. The board gets the shipped forms and cycle first.
Everything through bulk_create, with deterministic ids.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

HISTORY_YEARS = 5
BATCH = 5000
# (kind, month, day range) of each conversation in its school year.
WHEN = {"development": (10, 28), "performance": (2, 28), "appraisal": (5, 28)}
MOVES = (
    ("report_start", "planned", "reporting"),
    ("report_submit", "reporting", "with_employee"),
    ("employee_sign", "with_employee", "with_manager"),
    ("manager_sign", "with_manager", "signed"),
)
NOW_OUTCOMES = ("signed", "signed", "planned", "reporting", "with_employee", "with_manager", "overdue", "none")
AGREEMENTS = (
    "Volgt de cursus coöperatief leren en deelt een werkvorm in de bouwvergadering.",
    "Bezoekt twee lessen bij een collega van de bovenbouw en bespreekt wat opviel.",
    "Maakt een plan voor differentiatie bij rekenen en bespreekt het in januari.",
    "Neemt de coördinatie van de leesweek op zich.",
)
ANSWERS = (
    "We hebben besproken wat goed gaat: de rust in de groep en de heldere instructie.",
    "De medewerker wil verder groeien in het afstemmen op verschillen tussen leerlingen.",
    "Afgesproken is om na de kerstvakantie samen terug te kijken.",
)


def _at(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def generate_conversations(
    rng: random.Random,
    new_id: Callable[[], Any],
    *,
    board: Any,
    employments: list[Any],
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Conversations for everyone at the board with an active employment that names a leidinggevende."""
    from bekwaam.conversations.models import (
        Agreement,
        Answer,
        Appraisal,
        AppraisalCriterion,
        AppraisalLevel,
        AppraisalRating,
        Conversation,
        ConversationDocument,
        ConversationEvent,
        FormPrompt,
        FormVersion,
        Signature,
    )
    from bekwaam.conversations.services.setup import conversation_defaults_install
    from bekwaam.lib.dates import school_year_bounds, school_year_of

    today = today or timezone.localdate()
    conversation_defaults_install(board_id=board.id)
    versions = {
        (v.form.kind, v.form.purpose): v
        for v in FormVersion.objects.filter(board=board, form__shipped_as__gt="").select_related("form")
    }
    report_prompts = {
        kind: list(FormPrompt.objects.filter(section__version=versions[(kind, "report")]).values_list("id", flat=True))
        for kind in WHEN
    }
    criteria = list(AppraisalCriterion.objects.filter(board=board).order_by("position"))
    levels = list(AppraisalLevel.objects.filter(board=board).order_by("value"))
    people = {e.person_id: e for e in employments if e.end_date is None and e.manager_id is not None}
    names = {e.person_id: f"{e.person.given_name} {e.person.family_name}" for e in employments}
    for e in employments:
        if e.manager is not None:
            names[e.manager_id] = f"{e.manager.given_name} {e.manager.family_name}"

    rows: dict[str, list[Any]] = {
        name: []
        for name in (
            "conversations", "documents", "answers", "agreements", "signatures", "events", "appraisals", "ratings",
        )
    }  # fmt: skip
    current = school_year_of(today)
    first_day, _last_day = school_year_bounds(current)

    def add(employment: Any, kind: str, year: int, state: str, day: datetime.date) -> None:
        manager_id = employment.manager_id
        scheduled = _at(day)
        signed = state == "signed"
        submitted = state in ("with_employee", "with_manager", "signed")
        conversation = Conversation(
            id=new_id(), board=board, school_id=employment.school_id, employment=employment,
            employee_id=employment.person_id, manager_id=manager_id, kind=kind, school_year=year, state=state,
            scheduled_at=scheduled, location="Kamer van de directeur",
            preparation_form_version=versions[(kind, "preparation")], report_form_version=versions[(kind, "report")],
            report_submitted_at=scheduled + datetime.timedelta(days=3) if submitted else None,
            signed_at=scheduled + datetime.timedelta(days=8) if signed else None,
        )  # fmt: skip
        conversation.created_at = scheduled - datetime.timedelta(days=21)
        rows["conversations"].append(conversation)
        reached = {"planned": 0, "reporting": 1, "with_employee": 2, "with_manager": 3, "signed": 4}[state]
        for step, (action, before, after) in enumerate(MOVES[:reached]):
            by_employee = action == "employee_sign"
            actor = employment.person_id if by_employee else manager_id
            event = ConversationEvent(
                board=board, conversation=conversation, action=action, from_state=before, to_state=after,
                actor_id=actor, actor_name=names.get(actor, ""),
            )  # fmt: skip
            event.at = scheduled + datetime.timedelta(days=(0, 3, 6, 8)[step], hours=1)
            rows["events"].append(event)
        if reached == 0:
            return
        document = ConversationDocument(
            id=new_id(), board=board, conversation=conversation, role="report",
            form_version=versions[(kind, "report")], author_id=manager_id,
        )  # fmt: skip
        rows["documents"].append(document)
        rows["answers"] += [
            Answer(board=board, document=document, prompt_id=prompt, text=ANSWERS[n % len(ANSWERS)])
            for n, prompt in enumerate(report_prompts[kind])
        ]
        rows["agreements"] += [
            Agreement(board=board, conversation=conversation, text=rng.choice(AGREEMENTS), position=n)
            for n in range(rng.randint(1, 2))
        ]
        if reached >= 3:
            rows["signatures"].append(
                Signature(
                    id=new_id(),
                    board=board,
                    conversation=conversation,
                    part="report",
                    role="employee",
                    verdict="agreed" if rng.random() < 0.9 else "seen",
                    signer_id=employment.person_id,
                    signer_name=names.get(employment.person_id, ""),
                    signed_at=scheduled + datetime.timedelta(days=6),
                )
            )
        if signed:
            rows["signatures"].append(
                Signature(
                    id=new_id(),
                    board=board,
                    conversation=conversation,
                    part="report",
                    role="manager",
                    verdict="signed",
                    signer_id=manager_id,
                    signer_name=names.get(manager_id, ""),
                    signed_at=scheduled + datetime.timedelta(days=8),
                )
            )
            if kind == "appraisal" and criteria and levels:
                overall = levels[min(len(levels) - 1, 2 + rng.randint(0, 1))]
                appraisal = Appraisal(
                    id=new_id(), board=board, conversation=conversation, state="final", overall_level=overall,
                    overall_level_label=overall.label, overall_text="Functioneert goed; groeit in differentiatie.",
                    put_forward_at=scheduled + datetime.timedelta(days=3),
                    final_at=scheduled + datetime.timedelta(days=8),
                )  # fmt: skip
                rows["appraisals"].append(appraisal)
                for criterion in criteria:
                    level = levels[min(len(levels) - 1, 2 + rng.randint(-1, 1))]
                    rows["ratings"].append(
                        AppraisalRating(
                            board=board,
                            appraisal=appraisal,
                            criterion=criterion,
                            level=level,
                            argument="Gezien in de lesbezoeken van dit jaar.",
                            criterion_name=criterion.name,
                            level_label=level.label,
                        )
                    )

    for employment in people.values():
        appraisal_offset = rng.randint(0, 2)
        for year in range(current - HISTORY_YEARS, current):
            for kind, (month, days) in WHEN.items():
                if kind == "appraisal" and (year - appraisal_offset) % 3:
                    continue
                calendar_year = year if month >= 8 else year + 1
                add(employment, kind, year, "signed", datetime.date(calendar_year, month, rng.randint(1, days)))
        for kind in ("development", "performance"):
            outcome = rng.choice(NOW_OUTCOMES)
            past = (today - first_day).days
            if outcome == "none" or (outcome != "planned" and past < 14):
                continue  # nothing yet (or too early in the school year to have held it)
            if outcome == "planned":
                add(employment, kind, current, "planned", today + datetime.timedelta(days=rng.randint(1, 60)))
                continue
            held = first_day + datetime.timedelta(days=rng.randint(0, past - 10))
            add(employment, kind, current, "planned" if outcome == "overdue" else outcome, held)

    models = {
        "conversations": Conversation, "documents": ConversationDocument, "answers": Answer,
        "agreements": Agreement, "signatures": Signature, "events": ConversationEvent, "appraisals": Appraisal,
        "ratings": AppraisalRating,
    }  # fmt: skip
    # The dates are spread over the years on purpose: auto_now_add would stamp them all with today.
    stamped = [(Conversation, "created_at"), (ConversationEvent, "at")]
    for model, name in stamped:
        model._meta.get_field(name).auto_now_add = False  # type: ignore[union-attr]
    try:
        for name, model in models.items():
            model.objects.bulk_create(rows[name], batch_size=BATCH)
    finally:
        for model, name in stamped:
            model._meta.get_field(name).auto_now_add = True  # type: ignore[union-attr]
    return {name: len(value) for name, value in rows.items()}
