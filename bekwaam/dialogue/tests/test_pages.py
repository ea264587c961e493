"""The dialogue's pages: the list, starting a session in two steps, the session page (capturing with and without
htmx, marking held, additions afterwards, closed), adopting into the shared view and showing it (also on the
quality school page), agreed actions into the verbeterplan and one's POP; what each person sees or is refused,
bad input that keeps what was typed, and bounded query counts. Pages are read in English."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bekwaam.dialogue.models import (
    Pillar,
    SessionAnswer,
    SessionQuestion,
    SharedView,
    Statement,
    StatementKind,
    TeamSession,
)
from bekwaam.dialogue.questions import shipped_questions
from bekwaam.dialogue.tests.factories import (
    answer_build,
    first_question,
    session_build,
    statement_build,
    view_build,
)
from bekwaam.dossier.models import Goal
from bekwaam.quality.models import ImprovementAction
from bekwaam.quality.tests.factories_plans import goal_build, plan_build
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def session_url(session: TeamSession) -> str:
    return reverse("dialogue:session", kwargs={"session_id": session.pk})


def create_url(school: Any = None, pillar: str = "") -> str:
    url = reverse("dialogue:session_create")
    query = "&".join(
        part for part in (f"school={school.pk}" if school else "", f"pillar={pillar}" if pillar else "") if part
    )
    return f"{url}?{query}" if query else url


def school_view_url(school: Any) -> str:
    return reverse("dialogue:school_view", kwargs={"school_id": school.pk})


def a_session(world: Any, **extra: Any) -> TeamSession:
    """At school_a, facilitated by the manager (schoolleider), with the teacher; the colleague does not take part."""
    extra.setdefault("participants", [world.teacher])
    return session_build(school=world.school_a, facilitator=world.manager, **extra)


# --- the list ---------------------------------------------------------------------------------------------


def test_the_list_shows_the_sessions_of_ones_own_schools(world: Any, client_for: Any) -> None:
    mine = a_session(world, title="Onze sessie")
    other_school = session_build(school=world.school_a2, facilitator=PersonFactory(), title="Elders")
    page = client_for(world.colleague).get(reverse("dialogue:sessions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-session="{mine.pk}"' in html and f'data-session="{other_school.pk}"' not in html
    assert reverse("dialogue:session_create") in html
    assert school_view_url(world.school_a) in html and school_view_url(world.school_a2) not in html


def test_the_boards_quality_viewers_get_every_schools_shared_view_but_no_sessions(world: Any, client_for: Any) -> None:
    session = a_session(world)
    html = client_for(world.board_member).get(reverse("dialogue:sessions")).content.decode()
    assert f'data-session="{session.pk}"' not in html
    assert reverse("dialogue:session_create") not in html
    assert school_view_url(world.school_a) in html and school_view_url(world.school_a2) in html
    assert client_for(world.board_member).get(session_url(session)).status_code == 404


def test_the_list_needs_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.teacher)
    a_session(world)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("dialogue:sessions"))
    for index in range(12):
        session = a_session(world, title=f"Sessie {index}", questions=("Een", "Twee"))
        statement_build(session)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dialogue:sessions"))


# --- starting a session -------------------------------------------------------------------------------------


def test_step_one_asks_the_pillar_and_step_two_ticks_every_shipped_question(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    first = client.get(create_url())
    assert first.status_code == 200
    assert 'name="pillar"' in first.content.decode()
    assert 'name="title"' not in first.content.decode()
    second = client.get(create_url(pillar=Pillar.MONITOR))  # one school: the school is implied
    html = second.content.decode()
    keys = [question.key for question in shipped_questions(Pillar.MONITOR)]
    assert len(keys) >= 5
    for key in keys:
        assert re.search(rf'name="shipped" value="{key}"[^>]*checked', html), key
    # The teacher is ticked as a participant, and only school_a's people are offered.
    assert re.search(rf'name="participants" value="{world.teacher.pk}"[^>]*checked', html)
    assert str(world.colleague.pk) in html and str(world.outsider.pk) not in html


def test_it_starts_a_session_with_two_shipped_questions_and_one_of_its_own(world: Any, client_for: Any) -> None:
    response = client_for(world.manager).post(
        create_url(world.school_a, Pillar.DEFINE),
        {
            "title": "Wat verstaan wij onder goed onderwijs?",
            "planned_on": TODAY().isoformat(),
            "participants": [str(world.teacher.pk), str(world.colleague.pk)],
            "shipped": ["define-1", "define-2"],
            "own_questions": "Wat maakt onze school bijzonder?\n\n",
        },
    )
    session = TeamSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session_url(session)
    assert list(session.questions.values_list("shipped_as", flat=True)) == ["define-1", "define-2", ""]
    assert set(session.participants.all()) == {world.manager, world.teacher, world.colleague}


def test_no_questions_is_refused_and_what_was_typed_stays(world: Any, client_for: Any) -> None:
    response = client_for(world.manager).post(
        create_url(world.school_a, Pillar.SHOW),
        {"title": "Zichtbaar maken", "planned_on": TODAY().isoformat(), "own_questions": "   \n  "},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one question, or write your own." in html
    assert 'value="Zichtbaar maken"' in html
    assert not TeamSession.objects.exists()


def test_a_participant_from_another_school_is_refused_and_what_was_typed_stays(world: Any, client_for: Any) -> None:
    elsewhere = PersonFactory()
    EmploymentFactory(person=elsewhere, school=world.school_a2)
    response = client_for(world.manager).post(
        create_url(world.school_a, Pillar.DEFINE),
        {
            "title": "Met een gast",
            "planned_on": TODAY().isoformat(),
            "participants": [str(world.teacher.pk), str(elsewhere.pk)],
            "shipped": ["define-1"],
            "own_questions": "Onze eigen vraag",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "Onze eigen vraag" in html and 'value="Met een gast"' in html
    assert not TeamSession.objects.exists()


def test_a_school_one_does_not_work_at_is_not_found_and_an_outsider_cannot_start(world: Any, client_for: Any) -> None:
    assert client_for(world.teacher).get(create_url(world.school_a2, Pillar.DEFINE)).status_code == 404
    assert client_for(world.teacher).get(create_url(world.school_b, Pillar.DEFINE)).status_code == 404
    assert client_for(world.quality_officer).get(create_url()).status_code == 403


def test_step_one_without_a_pillar_says_so(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).get(f"{reverse('dialogue:session_create')}?school={world.school_a.pk}")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    changing = client_for(world.teacher).get(create_url(pillar=Pillar.SHOW) + "&change=1")
    assert changing.status_code == 200
    assert re.search(r'value="show"[^>]*checked', changing.content.decode())


def test_several_schools_are_chosen_in_step_one(world: Any, client_for: Any) -> None:
    EmploymentFactory(person=world.teacher, school=world.school_a2)
    client = client_for(world.teacher)
    html = client.get(create_url(pillar=Pillar.DEFINE)).content.decode()
    assert 'name="school"' in html and 'name="title"' not in html
    assert 'name="title"' in client.get(create_url(world.school_a2, Pillar.DEFINE)).content.decode()


# --- the session page ---------------------------------------------------------------------------------------


def test_the_facilitator_captures_answers_and_statements_without_javascript(world: Any, client_for: Any) -> None:
    session = a_session(world)
    question = first_question(session)
    client = client_for(world.manager)
    page = client.get(session_url(session)).content.decode()
    assert reverse("dialogue:answer_add", kwargs={"question_id": question.pk}) in page
    added = client.post(reverse("dialogue:answer_add", kwargs={"question_id": question.pk}), {"text": "Geduld"})
    assert added.status_code == 302 and added["Location"] == f"{session_url(session)}#question-{question.pk}"
    client.post(reverse("dialogue:answer_add", kwargs={"question_id": question.pk}), {"text": "Humor"})
    client.post(
        reverse("dialogue:statement_add", kwargs={"question_id": question.pk}),
        {"kind": StatementKind.ACTION, "text": "We plannen samen"},
    )
    assert list(SessionAnswer.objects.order_by("created_at").values_list("text", "added_afterwards")) == [
        ("Geduld", False),
        ("Humor", False),
    ]
    html = client.get(session_url(session)).content.decode()
    assert "Geduld" in html and "We plannen samen" in html
    assert 'data-kind="action"' in html


def test_with_htmx_an_addition_answers_with_the_question_only(world: Any, client_for: Any) -> None:
    session = a_session(world)
    question = first_question(session)
    client = client_for(world.manager)
    url = reverse("dialogue:answer_add", kwargs={"question_id": question.pk})
    response = client.post(url, {"text": "Zonder herladen"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<article") and "<html" not in html
    assert "Zonder herladen" in html
    # An empty statement comes back in the fragment (200, so htmx shows it), with the kind that was chosen.
    response = client.post(
        reverse("dialogue:statement_add", kwargs={"question_id": question.pk}),
        {"kind": StatementKind.ACTION, "text": " "},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'aria-invalid="true"' in html
    assert re.search(r'value="action"[^>]*checked', html)
    assert not Statement.objects.exists()


def test_an_empty_statement_comes_back_on_the_page_with_what_was_chosen(world: Any, client_for: Any) -> None:
    session = a_session(world, questions=("Een", "Twee"))
    second = SessionQuestion.objects.get(session=session, position=1)
    response = client_for(world.manager).post(
        reverse("dialogue:statement_add", kwargs={"question_id": second.pk}), {"kind": StatementKind.ACTION, "text": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('aria-invalid="true"') == 1
    assert f'id="id_statement_{second.pk.hex[:12]}_text"' in html
    assert re.search(rf'id="id_statement_{second.pk.hex[:12]}_kind_1"[^>]*checked|value="action"[^>]*checked', html)


def test_the_facilitator_edits_and_deletes_before_the_session_is_held(world: Any, client_for: Any) -> None:
    session = a_session(world)
    answer = answer_build(first_question(session), text="Eerst")
    statement = statement_build(session, text="Eerste opvatting")
    client = client_for(world.manager)
    edit = reverse("dialogue:answer_edit", kwargs={"answer_id": answer.pk})
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"text": ""}).status_code == 400
    assert client.post(edit, {"text": "Daarna"}).status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Daarna"
    statement_edit = reverse("dialogue:statement_edit", kwargs={"statement_id": statement.pk})
    assert client.post(statement_edit, {"kind": "action", "text": "Nu een afspraak"}).status_code == 302
    statement.refresh_from_db()
    assert (statement.kind, statement.text) == ("action", "Nu een afspraak")
    client.post(reverse("dialogue:statement_delete", kwargs={"statement_id": statement.pk}))
    client.post(reverse("dialogue:answer_delete", kwargs={"answer_id": answer.pk}))
    assert not Statement.objects.exists() and not SessionAnswer.objects.exists()


def test_a_participant_and_a_colleague_read_but_do_not_capture(world: Any, client_for: Any) -> None:
    session = a_session(world)
    answer = answer_build(first_question(session), text="Vastgelegd")
    for person in (world.teacher, world.colleague):
        client = client_for(person)
        html = client.get(session_url(session)).content.decode()
        assert "Vastgelegd" in html
        assert (
            'name="text"' not in html
            and reverse("dialogue:session_held", kwargs={"session_id": session.pk}) not in html
        )
        assert client.post(reverse("dialogue:answer_delete", kwargs={"answer_id": answer.pk})).status_code == 403


def test_marking_held_opens_additions_until_a_date_and_then_closes(world: Any, client_for: Any, settings: Any) -> None:
    settings.DIALOGUE_ADDITION_DAYS = 7
    session = a_session(world)
    question = first_question(session)
    answer_build(question, text="Tijdens de sessie", author=world.manager)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        response = client_for(world.manager).post(reverse("dialogue:session_held", kwargs={"session_id": session.pk}))
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.held_at is not None
        teacher = client_for(world.teacher)
        html = teacher.get(session_url(session)).content.decode()
        assert 'data-status="open"' in html
        until = session.held_at + datetime.timedelta(days=7)
        assert timezone.localtime(until).strftime("%-d %B %Y") in html
        teacher.post(reverse("dialogue:answer_add", kwargs={"question_id": question.pk}), {"text": "Nog bedacht"})
        added = SessionAnswer.objects.get(text="Nog bedacht")
        assert added.added_afterwards and added.author == world.teacher
        html = teacher.get(session_url(session)).content.decode()
        assert "Added afterwards by Tom Leraar" in html
        # The colleague did not take part: they read, and are refused when they write.
        colleague = client_for(world.colleague)
        assert 'name="text"' not in colleague.get(session_url(session)).content.decode()
        url = reverse("dialogue:answer_add", kwargs={"question_id": question.pk})
        assert colleague.post(url, {"text": "Ik ook"}).status_code == 403
        traveller.shift(datetime.timedelta(days=8))
        teacher = client_for(world.teacher)  # one test client: sign the teacher in again
        html = teacher.get(session_url(session)).content.decode()
        assert 'data-status="closed"' in html and 'name="text"' not in html
        late = teacher.post(url, {"text": "Te laat"})
        assert late.status_code == 302
        assert not SessionAnswer.objects.filter(text="Te laat").exists()


def test_what_was_captured_stays_once_held(world: Any, client_for: Any) -> None:
    session = a_session(world, held_days_ago=1)
    answer = answer_build(first_question(session), text="Vast")
    client = client_for(world.manager)
    response = client.post(reverse("dialogue:answer_edit", kwargs={"answer_id": answer.pk}), {"text": "Anders"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Vast"
    assert client.post(reverse("dialogue:session_held", kwargs={"session_id": session.pk})).status_code == 302


def test_another_boards_session_is_not_found(world: Any, client_for: Any) -> None:
    school = SchoolFactory(board=world.board_b)
    session = session_build(school=school, facilitator=world.outsider, held_days_ago=1)
    statement = statement_build(session, kind=StatementKind.ACTION)
    for person in (world.manager, world.quality_officer):
        client = client_for(person)
        assert client.get(session_url(session)).status_code == 404
        assert client.get(school_view_url(school)).status_code == 404
        url = reverse("dialogue:statement_to_plan", kwargs={"statement_id": statement.pk})
        assert client.get(url).status_code == 404


def test_the_session_page_needs_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    session = a_session(world, held_days_ago=1)
    answer_build(first_question(session), author=world.teacher, afterwards=True)
    statement_build(session, kind=StatementKind.ACTION, author=world.teacher)
    client = client_for(world.manager)
    with django_assert_max_num_queries(30) as small:
        assert client.get(session_url(session)).status_code == 200
    for index in range(8):
        question = SessionQuestion.objects.create(
            board_id=session.board_id, session=session, position=index + 1, text=f"Vraag {index}"
        )
        for _ in range(3):
            answer_build(question, author=world.teacher, afterwards=True)
        statement_build(session, question=question, author=world.teacher)
        plan = plan_build(board=world.board_a, school=world.school_a)
        action = statement_build(session, question=question, kind=StatementKind.ACTION)
        action.improvement_action = ImprovementAction.objects.create(
            board_id=plan.board_id,
            goal=goal_build(plan),
            title="Actie",
            start_date=TODAY(),
            deadline=TODAY(),
        )
        action.save()
    session.participants.add(world.colleague)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(session_url(session)).status_code == 200


# --- the shared view ----------------------------------------------------------------------------------------


def test_adopting_makes_a_version_shown_on_the_shared_view_page_and_the_school_page(
    world: Any, client_for: Any
) -> None:
    view_build(school=world.school_a, statements=[(Pillar.DEFINE, "Oude opvatting"), (Pillar.MONITOR, "Blijft")])
    session = a_session(world, held_days_ago=1, pillar=Pillar.IMPROVE)
    new = statement_build(session, text="We leren van elkaar")
    statement_build(session, text="Een afspraak", kind=StatementKind.ACTION)
    client = client_for(world.teacher)
    assert client.get(reverse("dialogue:session_adopt", kwargs={"session_id": session.pk})).status_code == 403
    client = client_for(world.manager)
    url = reverse("dialogue:session_adopt", kwargs={"session_id": session.pk})
    html = client.get(url).content.decode()
    # Every current statement is kept and every new view offered, ticked; actions are not offered.
    assert html.count('name="keep"') == 2 and len(re.findall(r'name="keep"[^>]*checked', html)) == 2
    assert re.search(rf'name="adopt" value="{new.pk}"[^>]*checked', html) and "Een afspraak" not in html
    kept = SharedView.objects.get().statements.get(text="Blijft")
    response = client.post(url, {"based_on": "1", "keep": [str(kept.pk)], "adopt": [str(new.pk)]})
    assert response.status_code == 302 and response["Location"] == school_view_url(world.school_a)
    html = client.get(school_view_url(world.school_a)).content.decode()
    current = html[html.index('data-testid="current-view"') : html.index('id="history"')]
    assert "We leren van elkaar" in current and "Blijft" in current and "Oude opvatting" not in current
    added = html[html.index('data-testid="added"') :]
    assert "We leren van elkaar" in added[: added.index("</ul>")]
    dropped = html[html.index('data-testid="dropped"') :]
    assert "Oude opvatting" in dropped[: dropped.index("</ul>")]
    # The quality school page shows the current version, for the schoolleider and the bestuur.
    for person in (world.manager, world.board_member):
        page = client_for(person).get(reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk}))
        section = page.content.decode()
        section = section[section.index('data-testid="shared-view"') :]
        assert 'data-version="2"' in section[:200]
        assert "We leren van elkaar" in section and school_view_url(world.school_a) in section


def test_a_stale_adoption_is_sent_back_to_choose_again(world: Any, client_for: Any) -> None:
    session = a_session(world, held_days_ago=1)
    statement = statement_build(session)
    view_build(school=world.school_a, statements=[(Pillar.DEFINE, "Van een ander")])
    url = reverse("dialogue:session_adopt", kwargs={"session_id": session.pk})
    response = client_for(world.manager).post(url, {"based_on": "0", "adopt": [str(statement.pk)]})
    assert response.status_code == 302 and response["Location"] == url
    assert SharedView.objects.count() == 1


def test_adopting_nothing_new_is_refused_with_the_form(world: Any, client_for: Any) -> None:
    session = a_session(world, held_days_ago=1)
    statement_build(session)
    url = reverse("dialogue:session_adopt", kwargs={"session_id": session.pk})
    response = client_for(world.manager).post(url, {"based_on": "0"})
    assert response.status_code == 400
    assert not SharedView.objects.exists()


def test_the_shared_view_page_needs_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    session = a_session(world, held_days_ago=1)
    view_build(school=world.school_a, statements=[(Pillar.DEFINE, "Een")], session=session)
    statement_build(session, kind=StatementKind.ACTION)
    client = client_for(world.quality_officer)
    with django_assert_max_num_queries(25) as small:
        assert client.get(school_view_url(world.school_a)).status_code == 200
    for index in range(10):
        view_build(
            school=world.school_a,
            statements=[(Pillar.DEFINE, f"Opvatting {index}"), (Pillar.SHOW, f"Zichtbaar {index}")],
            session=session,
        )
        statement_build(session, kind=StatementKind.ACTION, text=f"Actie {index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(school_view_url(world.school_a)).status_code == 200


def test_the_quality_school_page_says_when_there_is_no_shared_view_yet(world: Any, client_for: Any) -> None:
    html = (
        client_for(world.quality_officer)
        .get(reverse("quality:school-detail", kwargs={"school_id": world.school_a.pk}))
        .content.decode()
    )
    assert 'data-testid="shared-view"' in html and "The team has not adopted a shared view yet." in html


# --- agreed actions -----------------------------------------------------------------------------------------


def test_an_agreed_action_goes_into_the_verbeterplan_and_the_session_says_so(world: Any, client_for: Any) -> None:
    session = a_session(world, held_days_ago=1)
    statement = statement_build(session, text="Maandelijks collegiale consultatie", kind=StatementKind.ACTION)
    url = reverse("dialogue:statement_to_plan", kwargs={"statement_id": statement.pk})
    client = client_for(world.manager)
    # Without an open plan the page points to starting one.
    html = client.get(url).content.decode()
    assert 'data-testid="no-plans"' in html and f"{reverse('quality:plan-create')}?school={world.school_a.pk}" in html
    plan = plan_build(board=world.board_a, school=world.school_a, title="Verbeterplan 2025")
    goal = goal_build(plan, title="Leren van elkaar")
    html = client.get(url).content.decode()
    assert 'value="Maandelijks collegiale consultatie"' in html
    data = {
        "goal": str(goal.pk),
        "new_goal": "",
        "title": "Collegiale consultatie",
        "description": "Afgesproken in de teamsessie",
        "owner": str(world.teacher.pk),
        "start_date": TODAY().isoformat(),
        "deadline": (TODAY() - datetime.timedelta(days=3)).isoformat(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'value="Collegiale consultatie"' in html and "Afgesproken in de teamsessie" in html
    assert "The deadline cannot be before the start date." in html
    assert not ImprovementAction.objects.exists()
    data["deadline"] = (TODAY() + datetime.timedelta(days=90)).isoformat()
    assert client.post(url, data).status_code == 302
    action = ImprovementAction.objects.get()
    assert (action.goal, action.owner, action.title) == (goal, world.teacher, "Collegiale consultatie")
    html = client.get(session_url(session)).content.decode()
    assert 'data-linked="yes"' in html and 'data-testid="in-plan"' in html
    assert reverse("quality:plan-detail", kwargs={"plan_id": plan.pk}) in html
    # The teacher sees it is in the plan, without a link to a plan they may not open.
    html = client_for(world.teacher).get(session_url(session)).content.decode()
    assert 'data-testid="in-plan"' in html and reverse("quality:plan-detail", kwargs={"plan_id": plan.pk}) not in html
    assert client_for(world.manager).get(url).status_code == 302  # already in the plan


def test_the_kwaliteitsmedewerker_finds_agreed_actions_on_the_shared_view_page(world: Any, client_for: Any) -> None:
    session = a_session(world, held_days_ago=1)
    statement = statement_build(session, text="Samen scholing kiezen", kind=StatementKind.ACTION)
    plan = plan_build(board=world.board_a, school=world.school_a)
    html = client_for(world.quality_officer).get(school_view_url(world.school_a)).content.decode()
    assert reverse("dialogue:statement_to_plan", kwargs={"statement_id": statement.pk}) in html
    assert session_url(session) not in html  # the answers are the team's
    response = client_for(world.quality_officer).post(
        reverse("dialogue:statement_to_plan", kwargs={"statement_id": statement.pk}),
        {
            "goal": f"new-{plan.pk}",
            "new_goal": "",
            "title": "Scholing",
            "owner": str(world.quality_officer.pk),
            "start_date": TODAY().isoformat(),
            "deadline": TODAY().isoformat(),
        },
    )
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    # The bestuurder sees it, without the button.
    html = client_for(world.board_member).get(school_view_url(world.school_a)).content.decode()
    assert "Samen scholing kiezen" in html
    assert reverse("dialogue:statement_to_plan", kwargs={"statement_id": statement.pk}) not in html


def test_a_participant_puts_an_agreed_action_into_their_own_pop(world: Any, client_for: Any) -> None:
    session = a_session(world, held_days_ago=1)
    statement = statement_build(session, text="Ik ga bij een collega kijken", kind=StatementKind.ACTION)
    client = client_for(world.teacher)
    url = reverse("dialogue:statement_to_pop", kwargs={"statement_id": statement.pk})
    response = client.post(url)
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('dossier:plan-detail', kwargs={'plan_id': goal.plan_id})}#goal-{goal.pk}"
    assert goal.plan.person == world.teacher and goal.title == "Ik ga bij een collega kijken"
    assert client.post(url).status_code == 302 and Goal.objects.count() == 1
    # Nothing about it shows to others.
    html = client_for(world.manager).get(session_url(session)).content.decode()
    assert str(goal.pk) not in html and str(goal.plan_id) not in html
    assert client_for(world.colleague).post(url).status_code == 403
