"""The conversation pages through the test client: planning with bad input kept as typed, the conversation
page as each side sees it, signing (also from a stale tab), agreements to the POP, the .ics and the PDF,
the access log, and bounded query counts."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.accounts.testing import sign_in
from bekwaam.audit.models import AccessLog
from bekwaam.conversations.models import (
    Agreement,
    Answer,
    Conversation,
    ConversationDocument,
    ConversationEvent,
    ConversationKind,
    ConversationState,
    DocumentRole,
    FormPrompt,
    Signature,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.services import conversations as services
from bekwaam.conversations.tests.factories_conversations import addendum_build, conversation_build, forms_build
from bekwaam.dossier.models import Goal
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def dutch(msgid: str, **params: Any) -> str:
    """What a page says in Dutch (the pages' default language): the msgid until its translation exists."""
    with translation.override("nl"):
        text = gettext(msgid)
    return text % params if params else text


def client_as(person: Any) -> Client:
    """A client of its own per person (the client_for fixture signs one shared client in again)."""
    return sign_in(Client(), person)


def detail_url(conversation: Conversation) -> str:
    return reverse("conversations:detail", args=[conversation.pk])


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def future_day(days: int = 10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def plan_data(world: Any, **change: Any) -> dict[str, Any]:
    return {
        "employment": Employment.objects.get(person=world.teacher).pk,
        "kind": ConversationKind.DEVELOPMENT,
        "date": future_day(),
        "time": "14:30",
        "duration_minutes": 45,
        "location": "Kamer 12",
        "online_url": "",
        **change,
    }


# --- planning -------------------------------------------------------------------------------------


def test_it_preselects_the_person_and_kind_from_the_team_page(world: Any, client_for: Any) -> None:
    employment = Employment.objects.get(person=world.teacher)
    client = client_for(world.manager)
    response = client.get(reverse("conversations:plan"), {"employment": employment.pk, "kind": "performance"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"employment": employment.pk, "kind": "performance"}
    choices = {pk for pk, _label in form.fields["employment"].choices}
    assert {str(c) for c in choices} == {
        str(e.pk) for e in Employment.objects.filter(person__in=[world.teacher, world.colleague])
    }


@pytest.mark.parametrize(
    "employment",
    [lambda w: Employment.objects.get(person=w.outsider).pk, lambda w: "not-a-uuid", lambda w: w.teacher.pk],
)
def test_it_ignores_a_tampered_employment_in_the_query_string(world: Any, client_for: Any, employment: Any) -> None:
    response = client_for(world.manager).get(reverse("conversations:plan"), {"employment": employment(world)})
    assert response.status_code == 200
    assert "employment" not in response.context["form"].initial


def test_it_plans_and_opens_the_conversation(world: Any, client_for: Any) -> None:
    forms_build(world.board_a)
    response = client_for(world.manager).post(reverse("conversations:plan"), plan_data(world), follow=True)
    conversation = Conversation.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(conversation)
    assert timezone.localtime(conversation.scheduled_at).strftime("%H:%M") == "14:30"
    assert conversation.duration_minutes == 45
    assert messages_of(response) == [
        dutch("The conversation has been planned. %(name)s and you get an invitation by e-mail.", name="Tom Leraar")
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
            "date",
            "Choose a moment in the future: this date and time have passed.",
        ),
        ({"location": "", "online_url": ""}, "location", "Give a place, an online link, or both."),
        ({"online_url": "not a link at all"}, "online_url", ""),
        ({"employment": "00000000-0000-0000-0000-000000000000"}, "employment", ""),
        ({"kind": "interrogation"}, "kind", ""),
    ],
)
def test_it_refuses_a_bad_plan_and_keeps_what_was_typed(
    world: Any, client_for: Any, change: dict[str, Any], field: str, message: str
) -> None:
    data = (
        plan_data(world, location="Het lokaal van groep 7", **change)
        if "location" not in change
        else plan_data(world, **change)
    )
    response = client_for(world.manager).post(reverse("conversations:plan"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field]
    if message:
        assert form.errors[field] == [dutch(message)]
    content = response.content.decode()
    assert 'value="14:30"' in content
    if change.get("location") != "":
        assert "Het lokaal van groep 7" in content
    assert not Conversation.objects.exists()


def test_it_refuses_planning_with_a_foreign_employment(world: Any, client_for: Any) -> None:
    outsider = Employment.objects.get(person=world.outsider).pk
    response = client_for(world.manager).post(reverse("conversations:plan"), plan_data(world, employment=outsider))
    assert response.status_code == 400
    assert not Conversation.objects.exists()


def test_it_says_so_when_the_manager_leads_nobody(world: Any, client_for: Any) -> None:
    Employment.objects.filter(manager=world.manager).update(manager=None, school=world.school_a2)
    response = client_for(world.manager).get(reverse("conversations:plan"))
    assert response.status_code == 200
    assert not response.context["has_team"]
    with translation.override("nl"):
        message = gettext("You lead nobody at this board now, so there is nobody to plan a conversation with.")
    assert message in response.content.decode()


def test_it_moves_a_conversation_and_refuses_the_past(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world)
    client = client_for(world.manager)
    url = reverse("conversations:reschedule", args=[conversation.pk])
    response = client.get(url)
    assert response.context["form"].initial["location"] == "Kamer 12"
    past = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    data = {"date": past, "time": "09:00", "duration_minutes": 60, "location": "Aula", "online_url": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"Aula" in response.content
    response = client.post(url, {**data, "date": future_day(3)})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.location, conversation.calendar_sequence) == ("Aula", 1)


# --- the conversation page ---------------------------------------------------------------------------


def test_it_shows_the_other_sides_preparation_only_once_shared(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world)
    prompt = FormPrompt.objects.filter(section__version=conversation.preparation_form_version).first()
    document = ConversationDocument.objects.create(
        board=world.board_a,
        conversation=conversation,
        role=DocumentRole.MANAGER_PREPARATION,
        form_version=conversation.preparation_form_version,
        author=world.manager,
    )
    Answer.objects.create(board=world.board_a, document=document, prompt=prompt, text="Zorg over de werkdruk")
    teacher = client_for(world.teacher)
    response = teacher.get(detail_url(conversation))
    assert response.status_code == 200
    assert b"Zorg over de werkdruk" not in response.content
    assert b'data-testid="other-preparation-hidden"' in response.content
    document.shared_at = timezone.now()
    document.save()
    response = teacher.get(detail_url(conversation))
    assert b"Zorg over de werkdruk" in response.content


def test_it_fills_in_and_shares_a_preparation_through_the_pages(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world)
    first = FormPrompt.objects.filter(section__version=conversation.preparation_form_version).first()
    teacher = client_for(world.teacher)
    url = reverse("conversations:preparation", args=[conversation.pk])
    assert teacher.get(url).status_code == 200
    response = teacher.post(url, {f"prompt_{first.pk}": "Mijn succes dit jaar"})
    assert response.status_code == 302
    assert Answer.objects.get().text == "Mijn succes dit jaar"
    response = teacher.post(reverse("conversations:preparation-share", args=[conversation.pk]), follow=True)
    assert dutch("Your preparation is shared: the other side can read it now.") in messages_of(response)
    manager_page = client_as(world.manager).get(detail_url(conversation))
    assert b"Mijn succes dit jaar" in manager_page.content


def test_it_writes_the_report_with_agreements_and_puts_it_forward(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world)
    client = client_for(world.manager)
    response = client.post(reverse("conversations:report-start", args=[conversation.pk]))
    assert response["Location"] == reverse("conversations:report", args=[conversation.pk])
    prompt = FormPrompt.objects.filter(section__version=conversation.report_form_version).first()
    data = {f"prompt_{prompt.pk}": "Goed gesprek", "agreement_new_1": "Gaat mentor worden", "continue": "1"}
    response = client.post(reverse("conversations:report", args=[conversation.pk]), data)
    assert response["Location"] == reverse("conversations:report", args=[conversation.pk])
    page = client.get(reverse("conversations:report", args=[conversation.pk]))
    agreement = Agreement.objects.get()
    assert page.context["form"].initial == {} or f"agreement_{agreement.pk}" in page.context["form"].fields
    teacher = client_as(world.teacher)
    hidden = teacher.get(detail_url(conversation))
    assert b"Gaat mentor worden" not in hidden.content and b"Goed gesprek" not in hidden.content
    client.post(reverse("conversations:report-submit", args=[conversation.pk]))
    shown = teacher.get(detail_url(conversation))
    assert b"Gaat mentor worden" in shown.content and b"Goed gesprek" in shown.content


def test_it_signs_and_refuses_the_second_tab_with_a_message(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    teacher = client_for(world.teacher)
    url = reverse("conversations:sign", args=[conversation.pk])
    response = teacher.post(url, {"verdict": "", "reaction": "Mijn kant"})
    assert response.status_code == 400  # no verdict: the page comes back with what was typed
    assert b"Mijn kant" in response.content
    response = teacher.post(url, {"verdict": Verdict.SEEN, "reaction": "Mijn kant"}, follow=True)
    assert messages_of(response) == [dutch("You have signed. Your manager signs next.")]
    response = teacher.post(url, {"verdict": Verdict.AGREED, "reaction": "Toch akkoord"}, follow=True)
    assert messages_of(response) == [
        dutch("Your text has not been saved. This is what you typed, to copy: %(text)s", text="Toch akkoord"),
        dutch("You have signed this already (perhaps in another tab)."),
    ]
    signature = Signature.objects.get(conversation=conversation, role=SignerRole.EMPLOYEE)
    assert signature.verdict == Verdict.SEEN
    assert Conversation.objects.get().employee_reaction == "Mijn kant"

    manager = client_as(world.manager)
    page = manager.get(detail_url(conversation))
    assert b"Mijn kant" in page.content
    manager.post(url, follow=True)
    response = manager.post(url, follow=True)
    assert messages_of(response) == [dutch("You have signed this already (perhaps in another tab).")]
    assert Conversation.objects.get().state == ConversationState.SIGNED


def test_it_hands_back_the_reaction_typed_while_the_report_was_taken_back(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    client_as(world.manager).post(reverse("conversations:report-reopen", args=[conversation.pk]))
    assert Conversation.objects.get().state == ConversationState.REPORTING
    teacher = client_for(world.teacher)
    for name, data in (
        ("sign", {"verdict": Verdict.SEEN, "reaction": "Lang nagedacht"}),
        ("reaction", {"reaction": "Lang nagedacht"}),
    ):
        response = teacher.post(reverse(f"conversations:{name}", args=[conversation.pk]), data, follow=True)
        kept = dutch("Your text has not been saved. This is what you typed, to copy: %(text)s", text="Lang nagedacht")
        assert kept in messages_of(response), name
    assert Conversation.objects.get().employee_reaction == ""
    assert not Signature.objects.exists()


def test_it_saves_the_reaction_without_signing(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.WITH_EMPLOYEE)
    response = client_for(world.teacher).post(
        reverse("conversations:reaction", args=[conversation.pk]), {"reaction": "Eerst nadenken"}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.employee_reaction, conversation.state) == ("Eerst nadenken", ConversationState.WITH_EMPLOYEE)
    assert b"Eerst nadenken" not in client_as(world.manager).get(detail_url(conversation)).content


def test_it_refuses_editing_the_report_after_signing(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED, agreements=("Vast",))
    client = client_for(world.manager)
    agreement = Agreement.objects.get()
    response = client.post(
        reverse("conversations:report", args=[conversation.pk]), {f"agreement_{agreement.pk}": "Veranderd"}
    )
    assert response.status_code == 302
    assert Agreement.objects.get().text == "Vast"
    for name in ("report-submit", "report-reopen", "report-start", "cancel"):
        response = client.post(reverse(f"conversations:{name}", args=[conversation.pk]), follow=True)
        assert response.status_code == 200
        assert messages_of(response), name
    assert Conversation.objects.get().state == ConversationState.SIGNED


def test_it_turns_an_agreement_into_a_goal_with_one_click(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED, agreements=("Leert Engels geven",))
    agreement = Agreement.objects.get()
    teacher = client_for(world.teacher)
    page = teacher.get(detail_url(conversation))
    url = reverse("conversations:agreement-goal", args=[conversation.pk, agreement.pk])
    assert url.encode() in page.content
    response = teacher.post(url)
    goal = Goal.objects.get()
    assert response["Location"] == reverse("dossier:plan-detail", kwargs={"plan_id": goal.plan_id}) + f"#goal-{goal.pk}"
    again = teacher.post(url)
    assert again["Location"] == response["Location"]
    assert Goal.objects.count() == 1
    page = teacher.get(detail_url(conversation))
    assert b'data-testid="agreement-goal-link"' in page.content
    assert url.encode() not in page.content


def test_it_answers_404_for_an_agreement_of_another_conversation(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    other = conversation_build(world, ConversationState.SIGNED, employee=world.colleague)
    foreign = Agreement.objects.get(conversation=other)
    response = client_for(world.teacher).post(
        reverse("conversations:agreement-goal", args=[conversation.pk, foreign.pk])
    )
    assert response.status_code == 404
    assert not Goal.objects.exists()


def test_it_shows_the_appraisal_part_on_an_appraisal_conversation(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, kind=ConversationKind.APPRAISAL)
    response = client_for(world.manager).get(detail_url(conversation))
    assert response.context["appraisal"]
    assert b'id="appraisal"' in response.content
    plain = conversation_build(world)
    response = client_for(world.manager).get(detail_url(plain))
    assert response.context["appraisal"] == {}
    assert b'id="appraisal"' not in response.content


def test_it_logs_the_managers_reading_and_not_the_employees(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED)
    client_as(world.teacher).get(detail_url(conversation))
    assert not AccessLog.objects.exists()
    client_as(world.manager).get(detail_url(conversation))
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.subject, entry.object_id) == (world.manager, world.teacher, str(conversation.pk))
    assert entry.object_type == "conversations.conversation"


# --- .ics and PDF -------------------------------------------------------------------------------------


def test_it_offers_the_calendar_event_to_both(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world)
    for person in (world.teacher, world.manager):
        response = client_as(person).get(reverse("conversations:ics", args=[conversation.pk]))
        assert response["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.content)
        event = next(c for c in calendar.walk() if c.name == "VEVENT")
        assert str(event["UID"]).startswith(str(conversation.pk))
        assert int(event["SEQUENCE"]) == 0


def test_it_makes_a_pdf_of_a_signed_report_with_everything_on_it(world: Any, client_for: Any, monkeypatch: Any) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED, agreements=("Gaat een cursus volgen",))
    Conversation.objects.filter(pk=conversation.pk).update(employee_reaction="Ik ben het niet helemaal eens")
    report = ConversationDocument.objects.get(conversation=conversation, role=DocumentRole.REPORT)
    prompt = FormPrompt.objects.filter(section__version=report.form_version).first()
    Answer.objects.create(board=world.board_a, document=report, prompt=prompt, text="Sterke instructie")
    addendum_build(conversation, "signed")
    seen: list[str] = []
    render = services._pdf_render

    def spy(html: str) -> bytes:
        seen.append(html)
        return render(html)

    monkeypatch.setattr(services, "_pdf_render", spy)
    for person in (world.teacher, world.manager):
        response = client_as(person).get(reverse("conversations:pdf", args=[conversation.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    html = seen[0]
    for text in (
        "Tom Leraar",
        "Mira Leider",
        "Sterke instructie",
        "Gaat een cursus volgen",
        "Ik ben het niet helemaal eens",
        "Correctie: de cursus is in het voorjaar.",
        dutch("Agreed"),
    ):
        assert text in html, text
    signatures = Signature.objects.filter(conversation=conversation)
    assert signatures.count() == 4
    for signature in signatures:
        assert timezone.localtime(signature.signed_at).strftime("%d-%m-%Y %H:%M") in html
    assert AccessLog.objects.filter(actor=world.manager, path__endswith="report.pdf").count() == 1


def test_it_makes_no_pdf_before_the_report_is_signed(world: Any, client_for: Any) -> None:
    conversation = conversation_build(world, ConversationState.WITH_MANAGER)
    response = client_for(world.teacher).get(reverse("conversations:pdf", args=[conversation.pk]))
    assert response.status_code == 404


# --- query counts ------------------------------------------------------------------------------------


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def more_conversations(world: Any, n: int) -> None:
    for i in range(n):
        person = PersonFactory(email=f"extra{i}-{Conversation.objects.count()}@alfa.nl")
        EmploymentFactory(person=person, school=world.school_a, manager=world.manager)
        state = [ConversationState.PLANNED, ConversationState.SIGNED, ConversationState.WITH_EMPLOYEE][i % 3]
        conversation = conversation_build(world, state, employee=person)
        if state == ConversationState.SIGNED and i % 2:
            addendum_build(conversation)


def test_it_lists_conversations_in_a_fixed_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.manager)
    more_conversations(world, 3)
    few = count_queries(client, reverse("conversations:list"))
    more_conversations(world, 30)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("conversations:list"))
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(few):
        client.get(reverse("conversations:list"), {"page": 2, "who": "team"})
    assert few <= 12


def test_it_shows_a_conversation_in_a_fixed_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    conversation = conversation_build(world, ConversationState.SIGNED, agreements=("Een",))
    client = client_for(world.manager)
    few = count_queries(client, detail_url(conversation))
    report = ConversationDocument.objects.get(conversation=conversation, role=DocumentRole.REPORT)
    prompts = list(FormPrompt.objects.filter(section__version=report.form_version))
    for prompt in prompts:
        Answer.objects.create(board=world.board_a, document=report, prompt=prompt, text="Antwoord")
    for i in range(20):
        Agreement.objects.create(board=world.board_a, conversation=conversation, text=f"Afspraak {i}", position=i + 2)
    for state in ("signed", "signed", "signed", "with_employee"):
        addendum_build(conversation, state)
    for _ in range(10):
        ConversationEvent.objects.create(
            board=world.board_a, conversation=conversation, action="plan", to_state="planned", actor_name="X"
        )
    with django_assert_max_num_queries(few):
        response = client.get(detail_url(conversation))
    assert b"Afspraak 19" in response.content
    assert few <= 25
