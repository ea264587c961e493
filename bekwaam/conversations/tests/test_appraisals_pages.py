"""The beoordeling's pages: the leidinggevende's draft form, the medewerker's reaction and signature, the
beheerder's settings, board list and objection form; messages, kept input, and bounded queries."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.conversations.models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalRating,
    AppraisalState,
    Signature,
    Verdict,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER
from bekwaam.conversations.selectors.appraisals import appraisal_section_for
from bekwaam.conversations.tests.matrix_appraisals import (
    ARGUMENT,
    OVERALL,
    appraisal_in,
    appraisal_snapshot,
    conversation_of,
    criteria_of,
    level_of,
)
from bekwaam.dossier.models import Evidence, EvidenceKind, Section, Share, ShareAudience
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages() -> Iterator[None]:
    """The pages answer in the session's language; these tests read the English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def conversation(world: Any) -> Any:
    return conversation_of(world, "pagina")


def url(name: str, conversation: Any) -> str:
    return reverse(f"conversations:{name}", kwargs={"conversation_id": conversation.pk})


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def draft_post(world: Any, *, value: int = 3, argument: str = ARGUMENT, intent: str = "save") -> dict[str, Any]:
    level = level_of(world.board_a.pk, value)
    data: dict[str, Any] = {"overall_level": level.pk, "overall_text": OVERALL, "intent": intent}
    for criterion in criteria_of(world.board_a.pk):
        data[f"level_{criterion.pk}"] = level.pk
        data[f"argument_{criterion.pk}"] = argument
    return data


# --- the leidinggevende -----------------------------------------------------------------------------------


def test_it_writes_saves_and_puts_forward_the_draft_from_its_page(
    world: Any, client_for: Any, conversation: Any
) -> None:
    client = english(client_for(world.manager))
    criteria = criteria_of(world.board_a.pk)  # the board's defaults, as installed when it was created
    page = client.get(url("appraisal-edit", conversation))
    assert page.status_code == 200
    for criterion in criteria:
        assert criterion.name in page.content.decode()
    response = client.post(url("appraisal-edit", conversation), draft_post(world))
    assert response.status_code == 302
    appraisal = Appraisal.objects.get(conversation=conversation)
    assert appraisal.state == AppraisalState.DRAFT
    assert AppraisalRating.objects.filter(appraisal=appraisal, argument=ARGUMENT).count() == 6
    response = client.post(url("appraisal-edit", conversation), draft_post(world, intent="put_forward"), follow=True)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.PUT_FORWARD
    assert "The appraisal has been put forward to the employee." in messages_of(response)
    # Not a draft any more: the form page sends the leidinggevende back.
    again = client.get(url("appraisal-edit", conversation))
    assert again.status_code == 302


def test_it_names_what_is_missing_and_keeps_what_was_typed(world: Any, client_for: Any, conversation: Any) -> None:
    client = english(client_for(world.manager))
    data = draft_post(world, intent="put_forward")
    first = criteria_of(world.board_a.pk)[0]
    data[f"argument_{first.pk}"] = ""
    data["overall_text"] = "Mijn half getypte oordeel"
    response = client.post(url("appraisal-edit", conversation), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Give an argument for “{first.name}”." in html
    assert "Mijn half getypte oordeel" in html
    assert "The draft has been saved, but not put forward yet." in messages_of(response)
    appraisal = Appraisal.objects.get(conversation=conversation)
    assert (appraisal.state, appraisal.overall_text) == (AppraisalState.DRAFT, "Mijn half getypte oordeel")


def test_it_shows_what_is_missing_when_put_forward_from_the_conversation_page(
    world: Any, client_for: Any, conversation: Any
) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT, complete=False)
    first = criteria_of(world.board_a.pk)[0]
    response = english(client_for(world.manager)).post(url("appraisal-put-forward", conversation))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Choose a level for “{first.name}”." in html
    assert ARGUMENT in html  # the saved draft, at its fields
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.DRAFT


def test_it_refuses_a_tampered_level_or_evidence_id_on_the_form(world: Any, client_for: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    before = appraisal_snapshot(appraisal)
    client = english(client_for(world.manager))
    foreign_level = level_of(world.board_b.pk, 5)
    data = draft_post(world)
    data[f"level_{criteria_of(world.board_a.pk)[0].pk}"] = foreign_level.pk
    assert client.post(url("appraisal-edit", conversation), data).status_code == 400
    private = Evidence.objects.create(
        board=world.board_a, person=world.teacher, kind=EvidenceKind.LINK, url="https://example.org", title="Privé"
    )
    data = draft_post(world)
    data["evidence"] = [str(private.pk)]
    assert client.post(url("appraisal-edit", conversation), data).status_code == 400
    assert appraisal_snapshot(appraisal) == before


def test_it_takes_back_a_put_forward_appraisal_and_signs_last(world: Any, client_for: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    client = english(client_for(world.manager))
    response = client.post(url("appraisal-withdraw", conversation), follow=True)
    assert "The appraisal has been taken back; the employee no longer sees it." in messages_of(response)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.DRAFT
    response = client.post(url("appraisal-withdraw", conversation), follow=True)
    assert any("is not possible now" in m for m in messages_of(response))


# --- the medewerker ---------------------------------------------------------------------------------------


def test_it_hands_back_the_reaction_typed_while_the_appraisal_was_taken_back(
    world: Any, client_for: Any, conversation: Any
) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    english(client_for(world.manager)).post(url("appraisal-withdraw", conversation))
    teacher = english(client_for(world.teacher))
    response = teacher.post(url("appraisal-reaction", conversation), {"reaction": "Mijn lange reactie"}, follow=True)
    assert "Your text has not been saved. This is what you typed, to copy: Mijn lange reactie" in messages_of(response)
    appraisal.refresh_from_db()
    assert (appraisal.state, appraisal.employee_reaction) == (AppraisalState.DRAFT, "")
    # A GET still finds nothing: the draft is not the medewerker's to see.
    assert teacher.get(url("appraisal-reaction", conversation)).status_code == 404


def test_it_shows_the_medewerker_in_preparation_and_nothing_more(
    world: Any, client_for: Any, conversation: Any
) -> None:
    appraisal_in(conversation, AppraisalState.DRAFT)
    client = english(client_for(world.teacher))
    html = client.get(url("appraisal-view", conversation)).content.decode()
    assert 'data-appraisal-state="not_started"' in html
    assert "Your manager is preparing the appraisal." in html
    for secret in (ARGUMENT, OVERALL, "Voldoende", criteria_of(world.board_a.pk)[0].name):
        assert secret not in html
    # Every step of theirs answers as if there were no appraisal at all.
    assert client.get(url("appraisal-reaction", conversation)).status_code == 404
    assert client.post(url("appraisal-sign", conversation), {"verdict": Verdict.AGREED}).status_code == 404
    assert not Signature.objects.exists()


def test_it_lets_the_medewerker_react_and_sign(world: Any, client_for: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    client = english(client_for(world.teacher))
    html = client.get(url("appraisal-view", conversation)).content.decode()
    assert ARGUMENT in html and OVERALL in html
    assert 'name="verdict"' in html and 'name="reaction"' in html
    response = client.post(url("appraisal-reaction", conversation), {"reaction": "Ik zie het anders."}, follow=True)
    assert "Your reaction has been saved." in messages_of(response)
    # Without a choice: the form again, with the message at the field.
    response = client.post(url("appraisal-sign", conversation), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(url("appraisal-sign", conversation), {"verdict": Verdict.SEEN}, follow=True)
    assert "You have signed the appraisal. Your manager signs next." in messages_of(response)
    appraisal.refresh_from_db()
    assert (appraisal.state, appraisal.employee_reaction) == (AppraisalState.WITH_MANAGER, "Ik zie het anders.")
    # The second tab: a clear message, one signature.
    response = client.post(url("appraisal-sign", conversation), {"verdict": Verdict.AGREED}, follow=True)
    assert "This has been signed already (perhaps in another tab)." in messages_of(response)
    assert Signature.objects.filter(appraisal=appraisal).count() == 1


def test_it_keeps_a_too_long_reaction_on_the_page(world: Any, client_for: Any, conversation: Any) -> None:
    appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    text = "lang " * 2100
    response = english(client_for(world.teacher)).post(url("appraisal-reaction", conversation), {"reaction": text})
    assert response.status_code == 400
    assert text.strip() in response.content.decode()
    assert Appraisal.objects.get(conversation=conversation).employee_reaction == ""


def test_it_shows_the_final_status_with_its_date_and_the_right_to_object(
    world: Any, client_for: Any, conversation: Any
) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.WITH_MANAGER)
    response = english(client_for(world.manager)).post(url("appraisal-sign", conversation), follow=True)
    assert "You have signed: the appraisal is final." in messages_of(response)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.FINAL
    for person in (world.teacher, world.manager):
        html = english(client_for(person)).get(url("appraisal-view", conversation)).content.decode()
        assert 'data-appraisal-state="final"' in html
        assert f"final since {timezone.localdate(appraisal.final_at):%d-%m-%Y}" in html
        assert "Right to object" in html and "your board's regulations" in html


def test_it_shows_the_final_status_in_dutch_by_default(world: Any, client_for: Any, conversation: Any) -> None:
    appraisal_in(conversation, AppraisalState.FINAL)
    with translation.override("nl"):
        html = client_for(world.teacher).get(url("appraisal-view", conversation)).content.decode()
    assert 'lang="nl"' in html and 'data-appraisal-state="final"' in html


# --- the beheerder --------------------------------------------------------------------------------------


def test_it_lists_the_boards_appraisals_without_their_content(world: Any, client_for: Any) -> None:
    for state in (AppraisalState.DRAFT, AppraisalState.PUT_FORWARD, AppraisalState.FINAL):
        appraisal_in(conversation_of(world, f"lijst {state}", employee=_new_teacher(world, state)), state)
    client = english(client_for(world.administrator))
    html = client.get(reverse("conversations:appraisal-list")).content.decode()
    assert html.count("<tr data-appraisal=") == 3
    assert world.school_a.name in html
    assert "In preparation" in html and "Draft" not in html
    for secret in (ARGUMENT, OVERALL, "Voldoende", "Goed", criteria_of(world.board_a.pk)[0].name):
        assert secret not in html
    filtered = client.get(reverse("conversations:appraisal-list"), {"state": AppraisalState.FINAL}).content.decode()
    assert filtered.count("<tr data-appraisal=") == 1
    assert "Record an objection" in filtered


def _new_teacher(world: Any, label: str) -> Any:
    person = PersonFactory(email=f"{label}@alfa.nl")
    EmploymentFactory(person=person, school=world.school_a, manager=world.manager)
    return person


def test_it_records_an_objection_on_a_final_appraisal_only(world: Any, client_for: Any, conversation: Any) -> None:
    client = english(client_for(world.administrator))
    put_forward = appraisal_in(conversation_of(world, "nog niet", employee=_new_teacher(world, "x")), "put_forward")
    objection = reverse("conversations:appraisal-objection", kwargs={"appraisal_id": put_forward.pk})
    page = client.get(objection).content.decode()
    assert "An objection can be recorded once the appraisal is final" in page and "received_on" not in page
    response = client.post(objection, {"received_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "is not possible now" in response.content.decode()
    final = appraisal_in(conversation, AppraisalState.FINAL)
    objection = reverse("conversations:appraisal-objection", kwargs={"appraisal_id": final.pk})
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(objection, {"received_on": future, "note": "Per brief"})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode() and "Per brief" in response.content.decode()
    response = client.post(
        objection, {"received_on": timezone.localdate().isoformat(), "note": "Per brief"}, follow=True
    )
    assert "The objection has been recorded." in messages_of(response)
    final.refresh_from_db()
    assert (final.state, final.objection_note, final.objection_recorded_by) == (
        AppraisalState.OBJECTED,
        "Per brief",
        world.administrator,
    )
    html = english(client_for(world.teacher)).get(url("appraisal-view", conversation)).content.decode()
    assert f"The board received an objection on {timezone.localdate():%d-%m-%Y}." in html


def test_it_manages_criteria_and_scale_through_the_pages(world: Any, client_for: Any) -> None:
    client = english(client_for(world.administrator))
    criteria_of(world.board_a.pk)
    page = client.get(reverse("conversations:appraisal-settings")).content.decode()
    assert "Lesgeven: pedagogisch handelen" in page and "Uitstekend" in page
    response = client.post(reverse("conversations:appraisal-criterion-create"), {"name": "", "description": ""})
    assert response.status_code == 400
    client.post(reverse("conversations:appraisal-criterion-create"), {"name": "Leiderschap", "description": "Zo."})
    criterion = AppraisalCriterion.objects.get(board=world.board_a, name="Leiderschap")
    edit = reverse("conversations:appraisal-criterion-edit", kwargs={"criterion_id": criterion.pk})
    client.post(edit, {"name": "Eigen regie", "description": "", "position": "2"})
    criterion.refresh_from_db()
    assert (criterion.name, criterion.position) == ("Eigen regie", 2)
    response = client.post(reverse("conversations:appraisal-level-create"), {"value": "3", "label": "Dubbel"})
    assert response.status_code == 400
    assert "The scale has a level with this value already" in response.content.decode()
    # A criterion in use: its delete button is gone, and a forged delete is refused with a message.
    conversation = conversation_of(world, "in gebruik")
    appraisal_in(conversation, AppraisalState.DRAFT)
    used = criteria_of(world.board_a.pk)[0]
    delete = reverse("conversations:appraisal-criterion-delete", kwargs={"criterion_id": used.pk})
    assert delete not in client.get(reverse("conversations:appraisal-settings")).content.decode()
    response = client.post(delete, follow=True)
    assert any("archive it instead" in m for m in messages_of(response))
    assert AppraisalCriterion.objects.filter(pk=used.pk).exists()


# --- bounded queries -----------------------------------------------------------------------------------


def _count(run: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def _grow_board(world: Any, conversation: Any, extra: int) -> None:
    """More criteria, ratings and shared evidence: nothing a page reads may grow with them."""
    level = level_of(world.board_a.pk, 3)
    appraisal = Appraisal.objects.get(conversation=conversation)
    for number in range(extra):
        criterion = AppraisalCriterion.objects.create(board=world.board_a, name=f"Extra {number}", position=50 + number)
        AppraisalRating.objects.create(
            board=world.board_a,
            appraisal=appraisal,
            criterion=criterion,
            level=level,
            argument="x",
            criterion_name=criterion.name,
            level_label=level.label,
        )
        item = Evidence.objects.create(
            board=world.board_a,
            person=world.teacher,
            kind=EvidenceKind.LINK,
            url="https://example.org",
            title=f"B{number}",
        )
        Share.objects.create(
            board=world.board_a,
            owner=world.teacher,
            audience=ShareAudience.MANAGER,
            section=Section.PORTFOLIO,
            evidence=item,
        )
        appraisal.evidence.add(item)


@pytest.mark.parametrize(
    ("state", "role"), [("draft", MANAGER), ("put_forward", MANAGER), ("put_forward", EMPLOYEE), ("final", EMPLOYEE)]
)
def test_it_reads_the_section_in_a_fixed_number_of_queries(
    world: Any, conversation: Any, state: str, role: str
) -> None:
    appraisal_in(conversation, state)
    person = world.manager if role == MANAGER else world.teacher
    actor = actor_for(person, None)
    few = _count(lambda: appraisal_section_for(actor=actor, conversation=conversation, role=role))
    _grow_board(world, conversation, 8)
    many = _count(lambda: appraisal_section_for(actor=actor, conversation=conversation, role=role))
    assert many == few <= 8
    section = appraisal_section_for(actor=actor, conversation=conversation, role=role)["section"]
    assert len(section.evidence) == 8


@pytest.mark.parametrize(
    ("persona", "name", "state"),
    [
        ("manager", "appraisal-view", "draft"),
        ("manager", "appraisal-edit", "draft"),
        ("teacher", "appraisal-view", "put_forward"),
        ("teacher", "appraisal-reaction", "put_forward"),
    ],
)
def test_it_serves_the_conversation_pages_in_a_fixed_number_of_queries(
    world: Any, client_for: Any, conversation: Any, persona: str, name: str, state: str
) -> None:
    appraisal_in(conversation, state)
    client = client_for(world.persona(persona))
    target = url(name, conversation)
    few = _count(lambda: client.get(target))
    _grow_board(world, conversation, 8)
    response = client.get(target)
    assert response.status_code == 200
    assert _count(lambda: client.get(target)) == few


@pytest.mark.parametrize("name", ["conversations:appraisal-list", "conversations:appraisal-settings"])
def test_it_serves_the_beheerders_pages_in_a_fixed_number_of_queries(world: Any, client_for: Any, name: str) -> None:
    client = client_for(world.administrator)
    appraisal_in(conversation_of(world, "eerste"), AppraisalState.FINAL)
    few = _count(lambda: client.get(reverse(name)))
    for number in range(6):
        talk = conversation_of(world, f"meer {number}", employee=_new_teacher(world, f"meer{number}"))
        appraisal_in(talk, AppraisalState.PUT_FORWARD)
        AppraisalCriterion.objects.create(board=world.board_a, name=f"Meer {number}", archived_at=timezone.now())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _count(lambda: client.get(reverse(name))) == few
    if name.endswith("list"):
        assert len(re.findall(r"<tr data-appraisal=", response.content.decode())) == 7


# --- on the conversation page and in its PDF --------------------------------------------------------------


def test_it_shows_its_part_on_the_conversation_page_as_each_party_may_see_it(
    world: Any, client_for: Any, conversation: Any
) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    detail = reverse("conversations:detail", kwargs={"conversation_id": conversation.pk})
    teacher_html = english(client_for(world.teacher)).get(detail).content.decode()
    assert 'data-appraisal-state="not_started"' in teacher_html
    assert ARGUMENT not in teacher_html and OVERALL not in teacher_html
    manager_html = english(client_for(world.manager)).get(detail).content.decode()
    assert 'data-appraisal-state="draft"' in manager_html and ARGUMENT in manager_html
    assert url("appraisal-put-forward", conversation) in manager_html
    Appraisal.objects.filter(pk=appraisal.pk).update(state=AppraisalState.PUT_FORWARD)
    teacher_html = english(client_for(world.teacher)).get(detail).content.decode()
    assert 'data-appraisal-state="put_forward"' in teacher_html and ARGUMENT in teacher_html
    assert url("appraisal-sign", conversation) in teacher_html


def test_it_renders_its_part_of_the_pdf_without_links_or_forms(world: Any, conversation: Any) -> None:
    appraisal_in(conversation, AppraisalState.FINAL)
    for person, role in ((world.teacher, EMPLOYEE), (world.manager, MANAGER)):
        context = {
            "appraisal": appraisal_section_for(actor=actor_for(person, None), conversation=conversation, role=role)
        }
        html = render_to_string("conversations/_appraisal_pdf.html", context)
        assert ARGUMENT in html and OVERALL in html and "Right to object" in html
        assert world.teacher.full_name in html and world.manager.full_name in html  # the signatures
        assert "<a " not in html and "<form" not in html
    appraisal_in(conversation_of(world, "concept pdf", employee=world.colleague), AppraisalState.DRAFT)
    draft_talk = conversation_of(world, "concept pdf")
    context = {
        "appraisal": appraisal_section_for(
            actor=actor_for(world.colleague, None), conversation=draft_talk, role=EMPLOYEE
        )
    }
    html = render_to_string("conversations/_appraisal_pdf.html", context)
    assert ARGUMENT not in html and "being prepared" in html
