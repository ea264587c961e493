"""Answering through a personal link: no account, save halfway, submit once, and every kind of bad link."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.feedback.models import FeedbackAnswer, FeedbackResponse, QuestionKind, Relation, RoundState
from bekwaam.feedback.services.answers import AnswerInput, AnswerRefusedError, response_save
from bekwaam.feedback.services.rounds import round_close
from bekwaam.feedback.tests.factories import invitation_build, questions_of, round_build
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def open_round(world: Any) -> Any:
    return round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, competences=2)


def url(token: str) -> str:
    return reverse("feedback:answer", kwargs={"token": token})


def full_answer(
    round_: Any, *, relation: str = Relation.COLLEAGUE, level: str = "3", text: str = "Blijf zo doorgaan!"
) -> dict[str, Any]:
    data: dict[str, Any] = {"relation": relation, "action": "submit"}
    for question in questions_of(round_):
        data[f"q{question.pk}"] = level
    for question in questions_of(round_, QuestionKind.OPEN):
        data[f"q{question.pk}"] = text
    return data


def test_it_shows_the_questions_to_an_anonymous_visitor_without_indexing_or_referrer(
    world: Any, open_round: Any, client: Client
) -> None:
    _invitation, token = invitation_build(open_round, relation=Relation.PARENT)
    response = client.get(url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert open_round.title in page and "Tom Leraar" in page
    for question in questions_of(open_round):
        assert question.competence.name in page
    assert "I cannot judge this" in page
    # "I answer as" is preset from the invitation.
    assert re.search(r'<input[^>]*name="relation" value="parent"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="relation" value="colleague"[^>]*checked', page)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Not "no-referrer": browsers would then send "Origin: null" with the form, which CSRF refuses.
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_it_shows_nothing_else_of_the_owner(world: Any, open_round: Any, client: Client) -> None:
    other = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, title="Geheime andere ronde")
    invitation_build(other, email="ander@example.nl")
    _invitation, token = invitation_build(open_round)
    page = client.get(url(token)).content.decode()
    for secret in ("Geheime andere ronde", world.teacher.email, "ander@example.nl", world.board_a.name):
        assert secret not in page
    assert "main-nav" not in page


@pytest.mark.parametrize("token", ["", "x", "test-token-does-not-exist", "a" * 43, "a" * 500])
def test_it_answers_an_unknown_or_tampered_link_with_a_plain_404(
    world: Any, open_round: Any, client: Client, token: str
) -> None:
    _invitation, real = invitation_build(open_round)
    tampered = token or real[:-1] + ("A" if real[-1] != "A" else "B")
    response = client.get(url(tampered))
    assert response.status_code == 404
    assert "Link not valid" in response.content.decode()
    assert open_round.title not in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.post(url(tampered), full_answer(open_round)).status_code == 404
    assert not FeedbackResponse.objects.exists()


def test_it_saves_halfway_and_shows_it_again_through_the_same_link(world: Any, open_round: Any, client: Client) -> None:
    invitation, token = invitation_build(open_round, relation=Relation.PARENT)
    first, second = questions_of(open_round)
    (open_question,) = questions_of(open_round, QuestionKind.OPEN)
    response = client.post(
        url(token),
        {"relation": Relation.PARENT, f"q{first.pk}": "2", f"q{open_question.pk}": "Half af", "action": "save"},
    )
    assert response.status_code == 302 and response["Location"] == url(token)
    saved = FeedbackResponse.objects.get(invitation=invitation)
    assert saved.submitted_at is None
    assert dict(saved.answers.values_list("question_id", "value")) == {first.pk: 2, open_question.pk: None}

    page = Client().get(url(token)).content.decode()  # another browser: the link is all it takes
    assert "Half af" in page
    assert f'name="q{first.pk}" value="2" id="id_q{first.pk}_1" checked' in page
    assert f'name="q{second.pk}" value="none" id="id_q{second.pk}_4">' in page


def test_it_takes_a_submitted_answer_once(world: Any, open_round: Any, client: Client) -> None:
    invitation, token = invitation_build(open_round)
    assert client.post(url(token), full_answer(open_round)).status_code == 302
    response = FeedbackResponse.objects.get(invitation=invitation)
    assert response.submitted_at is not None
    thanks = client.get(url(token))
    assert thanks.status_code == 200 and "You have answered already" in thanks.content.decode()
    again = client.post(url(token), full_answer(open_round, level="1", text="Anders"))
    assert "You have answered already" in again.content.decode()
    assert set(FeedbackAnswer.objects.filter(response=response).values_list("value", flat=True)) == {3, None}
    assert FeedbackAnswer.objects.filter(response=response, text="Anders").count() == 0


def test_it_refuses_a_second_submit_in_the_service_too(world: Any, open_round: Any) -> None:
    invitation, _token = invitation_build(open_round)
    ratings = {q.pk: 2 for q in questions_of(open_round)}
    response_save(invitation=invitation, data=AnswerInput(relation=Relation.COLLEAGUE, ratings=ratings), submit=True)
    with pytest.raises(AnswerRefusedError) as raised:
        response_save(invitation=invitation, data=AnswerInput(relation=Relation.OTHER, ratings=ratings), submit=False)
    assert raised.value.code == "answered"


def test_it_asks_for_every_competence_before_submitting(world: Any, open_round: Any, client: Client) -> None:
    _invitation, token = invitation_build(open_round)
    first, second = questions_of(open_round)
    data = full_answer(open_round)
    del data[f"q{second.pk}"]
    response = client.post(url(token), data)
    assert response.status_code == 400
    assert "I cannot judge this" in response.content.decode()
    assert f'href="#question-{second.pk}"' in response.content.decode()
    assert not FeedbackResponse.objects.exists()
    data[f"q{second.pk}"] = "none"  # "cannot judge" is an answer
    assert client.post(url(token), data).status_code == 302
    assert FeedbackAnswer.objects.get(question=second).value is None
    assert FeedbackAnswer.objects.get(question=first).value == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"relation": Relation.SELF}, "relation"),
        ({"relation": "boss"}, "relation"),
        ({"named": "on"}, "named"),  # a colleague cannot be named
        ({"level": "9"}, "q"),
    ],
)
def test_it_refuses_bad_answers(
    world: Any, open_round: Any, client: Client, change: dict[str, str], field: str
) -> None:
    _invitation, token = invitation_build(open_round)
    data = full_answer(open_round, level=change.pop("level", "3"))
    data.update(change)
    response = client.post(url(token), data)
    assert response.status_code == 400
    assert not FeedbackResponse.objects.exists()
    assert 'id="error-summary"' in response.content.decode()
    assert field


def test_it_lets_a_manager_be_named(world: Any, open_round: Any, client: Client) -> None:
    invitation, token = invitation_build(open_round, person=world.manager, relation=Relation.MANAGER)
    data = full_answer(open_round, relation=Relation.MANAGER) | {"named": "on"}
    assert client.post(url(token), data).status_code == 302
    assert FeedbackResponse.objects.get(invitation=invitation).named


def test_it_shows_an_expired_link(world: Any, open_round: Any, client: Client) -> None:
    _invitation, token = invitation_build(open_round)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client.get(url(token))
        assert response.status_code == 410
        assert "Link expired" in response.content.decode()
        assert client.post(url(token), full_answer(open_round)).status_code == 410
    assert not FeedbackResponse.objects.exists()


def test_it_keeps_what_was_typed_when_the_round_closed_meanwhile(world: Any, open_round: Any, client: Client) -> None:
    invitation, token = invitation_build(open_round)
    assert client.get(url(token)).status_code == 200  # the page is open…
    round_close(actor=actor_for(world.teacher, None), round_=open_round)  # …when the owner closes the round
    data = full_answer(open_round, text="Mijn zorgvuldig getypte antwoord")
    response = client.post(url(token), data)
    assert response.status_code == 410
    page = response.content.decode()
    assert "has closed" in page and "Mijn zorgvuldig getypte antwoord" in page
    assert not FeedbackResponse.objects.filter(invitation=invitation).exists()
    closed_page = client.get(url(token))
    assert closed_page.status_code == 410 and "has closed" in closed_page.content.decode()


def test_it_never_lets_one_link_read_or_answer_another_invitees_answer(
    world: Any, open_round: Any, client: Client
) -> None:
    alice, alice_token = invitation_build(open_round, name="Alice")
    bob, bob_token = invitation_build(open_round, name="Bob")
    other_round = round_build(owner=world.colleague, board=world.board_a, state=RoundState.OPEN, title="Andere ronde")
    (foreign_question, *_) = questions_of(other_round)
    (bob_open,) = questions_of(open_round, QuestionKind.OPEN)
    client.post(url(bob_token), {"relation": Relation.COLLEAGUE, f"q{bob_open.pk}": "Geheim van Bob", "action": "save"})

    alice_page = client.get(url(alice_token)).content.decode()
    assert "Geheim van Bob" not in alice_page and "Bob" not in alice_page

    # Alice's link cannot reach a question of another round, nor Bob's answer: fields it does not know are ignored.
    data = full_answer(open_round, text="Van Alice") | {f"q{foreign_question.pk}": "4", "response": str(bob.pk)}
    assert client.post(url(alice_token), data).status_code == 302
    assert FeedbackAnswer.objects.filter(question=foreign_question).count() == 0
    bob_answers = FeedbackAnswer.objects.filter(response__invitation=bob)
    assert list(bob_answers.values_list("text", flat=True)) == ["Geheim van Bob"]
    assert FeedbackResponse.objects.get(invitation=bob).submitted_at is None
    assert FeedbackResponse.objects.get(invitation=alice).submitted_at is not None
    # And the service itself refuses a question of another round.
    with translation.override("en"), pytest.raises(Exception, match="not part of the round"):
        response_save(
            invitation=bob,
            data=AnswerInput(relation=Relation.COLLEAGUE, ratings={foreign_question.pk: 2}),
            submit=False,
        )


@pytest.mark.parametrize("persona", ["outsider", "colleague", "administrator"])
def test_it_takes_the_answer_of_a_signed_in_visitor_as_the_link_says(
    world: Any, open_round: Any, client_for: Any, persona: str
) -> None:
    invitation, token = invitation_build(open_round)
    client = client_for(world.persona(persona))
    assert client.get(url(token)).status_code == 200
    assert client.post(url(token), full_answer(open_round)).status_code == 302
    assert FeedbackResponse.objects.get(invitation=invitation).submitted_at is not None


def test_it_shows_the_answer_page_in_a_bounded_number_of_queries(
    world: Any, client: Client, django_assert_max_num_queries: Any
) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, competences=8)
    _invitation, token = invitation_build(round_)
    with django_assert_max_num_queries(12):
        assert client.get(url(token)).status_code == 200
    data = full_answer(round_) | {"action": "save"}
    with django_assert_max_num_queries(30):  # of which 12 are full_clean's checks of the constraints
        assert client.post(url(token), data).status_code == 302
    with django_assert_max_num_queries(12):
        assert client.get(url(token)).status_code == 200
