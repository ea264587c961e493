"""The owner's round: starting it, inviting, the state machine, the e-mailed links, bounces, reminders."""

from __future__ import annotations

import datetime
import re
import smtplib
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.feedback import tasks
from bekwaam.feedback.models import (
    ROUND_MACHINE,
    FeedbackEvent,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    QuestionKind,
    Relation,
    RoundState,
    token_hash,
)
from bekwaam.feedback.reminders import feedback_daily
from bekwaam.feedback.services import rounds as services
from bekwaam.feedback.tests.factories import invitation_build, questions_of, round_build, version_of
from bekwaam.frameworks.models import Competence
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.notifications.models import Bounce, NotificationPreference
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/feedback/answer/([\w-]+)/")


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def actor(world: Any) -> Any:
    version_of(world.board_a)
    return actor_for(world.teacher, None)


def links_in(messages: list[Any]) -> dict[str, str]:
    """E-mail address → token of the link in each message."""
    found = {}
    for message in messages:
        match = LINK.search(message.body)
        assert match, message.body
        found[message.to[0]] = match.group(1)
    return found


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# --- starting and preparing a round ----------------------------------------------------------------------


def test_it_starts_a_round_on_the_owners_framework_with_competences_and_open_questions(world: Any, actor: Any) -> None:
    version = version_of(world.board_a)
    competences = list(Competence.objects.filter(version=version).select_related("domain").order_by("-code")[:2])
    round_ = services.round_create(
        actor=actor,
        title="  Mijn lessen  ",
        message="Graag eerlijk.",
        closes_on=in_days(10),
        competences=competences,
        open_questions=["Wat moet ik blijven doen?", "", "  Wat kan beter?  ", "Wat moet ik blijven doen?"],
    )
    assert (round_.title, round_.state, round_.owner, round_.framework_version) == (
        "Mijn lessen",
        RoundState.DRAFT,
        world.teacher,
        version,
    )
    questions = list(FeedbackQuestion.objects.filter(round=round_).order_by("position"))
    # Competences in framework order first, then each open question once.
    assert [q.competence.code for q in questions if q.kind == QuestionKind.COMPETENCE] == sorted(
        c.code for c in competences
    )
    assert [q.text for q in questions if q.kind == QuestionKind.OPEN] == ["Wat moet ik blijven doen?", "Wat kan beter?"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_on": "past"}, "closes_on"),
        ({"closes_on": None}, "closes_on"),
        ({"competences": "other version"}, "competences"),
        ({"competences": [], "open_questions": []}, "competences"),
        ({"open_questions": [f"Vraag {n}" for n in range(11)]}, "open_questions"),
        ({"open_questions": ["x" * 501]}, "open_questions"),
    ],
)
def test_it_refuses_a_round_with_bad_input(world: Any, actor: Any, change: dict[str, Any], field: str) -> None:
    version = version_of(world.board_a)
    data: dict[str, Any] = {
        "title": "Ronde",
        "message": "",
        "closes_on": in_days(5),
        "competences": list(Competence.objects.filter(version=version).select_related("domain")[:1]),
        "open_questions": [],
    }
    data.update(change)
    if data["closes_on"] == "past":
        data["closes_on"] = in_days(-1)
    if data["competences"] == "other version":
        newer = framework_version_build(board=world.board_a, slug="ander-kader")
        data["competences"] = list(Competence.objects.filter(version=newer).select_related("domain")[:1])
    with pytest.raises(ValidationError) as raised:
        services.round_create(actor=actor, **data)
    assert field in raised.value.error_dict
    assert not FeedbackRound.objects.exists()


def test_it_refuses_a_round_when_the_board_has_no_framework(world: Any) -> None:
    with pytest.raises(ValidationError, match="not adopted a competence framework"):
        services.round_create(
            actor=actor_for(world.teacher, None),
            title="Ronde",
            message="",
            closes_on=in_days(5),
            competences=[],
            open_questions=["Wat kan beter?"],
        )


def test_it_refuses_a_round_to_someone_without_a_dossier(world: Any) -> None:
    version_of(world.board_a)
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=actor_for(world.administrator, None),
            title="Ronde",
            message="",
            closes_on=in_days(5),
            competences=[],
            open_questions=["Wat kan beter?"],
        )


def test_it_changes_the_questions_only_while_the_round_is_being_prepared(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, competences=2)
    kept = questions_of(round_)[0]
    services.self_rating_save(actor=actor, round_=round_, ratings={kept.pk: 3})
    services.round_update(
        actor=actor,
        round_=round_,
        title="Nieuwe titel",
        message="",
        closes_on=in_days(20),
        competences=[kept.competence],
        open_questions=["Nieuwe vraag"],
    )
    questions = list(FeedbackQuestion.objects.filter(round=round_).order_by("position"))
    assert [(q.kind, q.competence_id or q.text) for q in questions] == [
        (QuestionKind.COMPETENCE, kept.competence_id),
        (QuestionKind.OPEN, "Nieuwe vraag"),
    ]
    assert questions[0].pk == kept.pk  # kept, with the self-rating on it
    assert FeedbackResponse.objects.get(round=round_, relation=Relation.SELF).answers.get().value == 3

    round_.state = RoundState.OPEN
    round_.save()
    with pytest.raises(ValidationError, match="can no longer change"):
        services.round_update(
            actor=actor,
            round_=round_,
            title="Nog eens",
            message="",
            closes_on=in_days(20),
            competences=[kept.competence],
            open_questions=[],
        )


def test_it_lets_only_the_owner_manage_a_round(world: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    for persona in ("colleague", "manager", "outsider", "administrator"):
        with pytest.raises(PermissionDenied):
            services.round_close(actor=actor_for(world.persona(persona), None), round_=round_)


# --- inviting --------------------------------------------------------------------------------------------


def test_it_invites_the_manager_as_manager_and_colleagues_as_colleague(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    created = services.invitations_add(actor=actor, round_=round_, people=[world.manager, world.colleague])
    assert {(i.person, i.relation, i.email) for i in created} == {
        (world.manager, Relation.MANAGER, world.manager.email),
        (world.colleague, Relation.COLLEAGUE, world.colleague.email),
    }
    # Twice is once; nothing is sent while the round is being prepared.
    assert services.invitations_add(actor=actor, round_=round_, people=[world.colleague]) == []
    assert FeedbackInvitation.objects.filter(round=round_).count() == 2
    assert mail.outbox == []


def test_it_refuses_to_invite_someone_of_another_board_or_who_left(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    left = PersonFactory(email="weg@alfa.nl")
    EmploymentFactory(
        person=left, school=world.school_a, start_date=datetime.date(2020, 8, 1), end_date=datetime.date(2021, 7, 31)
    )
    for person in (world.outsider, left, world.administrator):
        with pytest.raises(ValidationError) as raised:
            services.invitations_add(actor=actor, round_=round_, people=[person])
        assert "people" in raised.value.error_dict
    assert not FeedbackInvitation.objects.exists()


@pytest.mark.parametrize(
    ("name", "email", "relation", "field"),
    [
        ("", "ouder@example.nl", Relation.PARENT, "name"),
        ("Ouder", "geen-adres", Relation.PARENT, "email"),
        ("Ouder", "ouder@example.nl", Relation.MANAGER, "relation"),
        ("Ouder", "ouder@example.nl", Relation.SELF, "relation"),
        ("Ikzelf", "LEERKRACHT@alfa.nl", Relation.OTHER, "email"),
    ],
)
def test_it_refuses_an_external_invitation_with_bad_input(
    world: Any, actor: Any, name: str, email: str, relation: str, field: str
) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    with pytest.raises(ValidationError) as raised:
        services.invitation_add_external(actor=actor, round_=round_, name=name, email=email, relation=relation)
    assert field in raised.value.error_dict


def test_it_invites_an_address_once_per_round(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    services.invitation_add_external(
        actor=actor, round_=round_, name="Ouder", email="Ouder@Example.nl", relation=Relation.PARENT
    )
    with pytest.raises(ValidationError, match="invited already"):
        services.invitation_add_external(
            actor=actor, round_=round_, name="Ouder 2", email="ouder@example.nl", relation=Relation.OTHER
        )


def test_it_removes_an_invitation_only_before_the_round_opens(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    invitation, _ = invitation_build(round_, sent=False)
    other, _ = invitation_build(round_, sent=False)
    services.invitation_remove(actor=actor, invitation=invitation)
    assert list(FeedbackInvitation.objects.filter(round=round_)) == [other]
    round_.state = RoundState.OPEN
    round_.save()
    with pytest.raises(ValidationError):
        services.invitation_remove(actor=actor, invitation=other)


# --- opening: the links ----------------------------------------------------------------------------------


def test_it_sends_each_invitee_their_own_link_and_stores_only_its_hash(
    world: Any, actor: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    languages: dict[str, str] = {}
    send = tasks.email_send

    def spy(**kwargs: Any) -> None:
        languages[kwargs["to"]] = kwargs["language"]
        send(**kwargs)

    monkeypatch.setattr(tasks, "email_send", spy)
    world.colleague.language = "en"
    world.colleague.save()
    round_ = round_build(owner=world.teacher, board=world.board_a)
    services.invitations_add(actor=actor, round_=round_, people=[world.colleague, world.manager])
    services.invitation_add_external(
        actor=actor, round_=round_, name="Petra Ouder", email="petra@example.nl", relation=Relation.PARENT
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(actor=actor, round_=round_)

    round_.refresh_from_db()
    assert round_.state == RoundState.OPEN and round_.opened_at is not None
    assert FeedbackEvent.objects.get(round=round_).action == "open"
    tokens = links_in(mail.outbox)
    assert set(tokens) == {world.colleague.email, world.manager.email, "petra@example.nl"}
    assert len(set(tokens.values())) == 3
    for email, token in tokens.items():
        invitation = FeedbackInvitation.objects.get(round=round_, email=email)
        assert invitation.token_hash == token_hash(token)
        assert token not in {invitation.token_hash, invitation.name, invitation.email}
        assert invitation.sent_at is not None
    # Each in their own language: the colleague chose English, the parent (no account) gets Dutch.
    assert languages == {world.colleague.email: "en", world.manager.email: "nl", "petra@example.nl": "nl"}
    assert all("Tom Leraar" in message.subject for message in mail.outbox)
    for message in mail.outbox:
        assert message.alternatives and message.alternatives[0].mimetype == "text/html"


def test_it_refuses_to_open_without_invitations_or_with_a_past_date(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    with pytest.raises(ValidationError, match="Invite at least one person"):
        services.round_open(actor=actor, round_=round_)
    invitation_build(round_, sent=False)
    FeedbackRound.objects.filter(pk=round_.pk).update(closes_on=in_days(-1))
    round_.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        services.round_open(actor=actor, round_=round_)
    assert "closes_on" in raised.value.error_dict
    round_.refresh_from_db()
    assert round_.state == RoundState.DRAFT
    assert not FeedbackEvent.objects.exists()


def test_it_sends_a_link_at_once_to_someone_invited_while_the_round_is_open(
    world: Any, actor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_add_external(
            actor=actor, round_=round_, name="Stagiair", email="stage@example.nl", relation=Relation.INTERN
        )
    assert [message.to for message in mail.outbox] == [["stage@example.nl"]]


def _refusing(address: str) -> Any:
    class Refusing(EmailBackend):
        def send_messages(self, messages: Any) -> int:
            for message in messages:
                if address in message.to:
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user")})
            return super().send_messages(messages)

    return Refusing


def test_it_shows_a_refused_address_and_sends_a_new_link_to_the_corrected_one(
    world: Any, actor: Any, client_for: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._RefuseTypo"
    round_ = round_build(owner=world.teacher, board=world.board_a)
    services.invitation_add_external(
        actor=actor, round_=round_, name="Petra Ouder", email="petra@exampel.nl", relation=Relation.PARENT
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(actor=actor, round_=round_)
    invitation = FeedbackInvitation.objects.get(round=round_)
    assert invitation.delivery_failed_at is not None
    assert "550" in invitation.delivery_problem
    assert Bounce.objects.filter(email="petra@exampel.nl").exists()

    client = client_for(world.teacher)
    page = client.get(reverse("feedback:round-detail", kwargs={"round_id": round_.pk}))
    assert "E-mail did not arrive" in row_of(page.content.decode(), invitation)
    old_hash = invitation.token_hash

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feedback:invitation-resend", kwargs={"invitation_id": invitation.pk}),
            {"email": "Petra@Example.nl"},
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.email, invitation.delivery_failed_at, invitation.delivery_problem) == (
        "petra@example.nl",
        None,
        "",
    )
    assert invitation.token_hash != old_hash
    token = links_in(mail.outbox)["petra@example.nl"]
    assert invitation.token_hash == token_hash(token)


class _RefuseTypo(_refusing("petra@exampel.nl")):  # type: ignore[misc]
    """An e-mail backend that refuses one misspelt address (settings.EMAIL_BACKEND takes a dotted path)."""


def row_of(page: str, invitation: FeedbackInvitation) -> str:
    return page.split(f'<tr id="invitation-{invitation.pk}">', 1)[1].split("</tr>", 1)[0]


def test_it_shows_a_bounce_reported_after_the_link_was_sent(world: Any, client_for: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    bounced, _ = invitation_build(round_, name="Petra Ouder", email="petra@example.nl", relation=Relation.PARENT)
    Bounce.objects.create(email="petra@example.nl", reason="mailbox full")  # reported now, after sent_at
    earlier, _ = invitation_build(round_, name="Oude Bounce", email="oud@example.nl")
    stale = Bounce.objects.create(email="oud@example.nl", reason="old")
    Bounce.objects.filter(pk=stale.pk).update(reported_at=timezone.now() - datetime.timedelta(days=30))

    page = client_for(world.teacher).get(reverse("feedback:round-detail", kwargs={"round_id": round_.pk}))
    content = page.content.decode()
    resend = reverse("feedback:invitation-resend", kwargs={"invitation_id": bounced.pk})
    assert resend in row_of(content, bounced)
    assert "E-mail did not arrive" in row_of(content, bounced)
    # A bounce from before this link was sent is about an older message: not shown.
    assert "E-mail did not arrive" not in row_of(content, earlier)


def test_it_makes_the_old_link_dead_when_a_new_one_is_sent(
    world: Any, actor: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    invitation, old_token = invitation_build(round_, email="petra@example.nl", relation=Relation.PARENT)
    FeedbackInvitation.objects.filter(pk=invitation.pk).update(delivery_failed_at=timezone.now())
    invitation.refresh_from_db()
    assert client.get(reverse("feedback:answer", kwargs={"token": old_token})).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=actor, invitation=invitation, email="")
    new_token = links_in(mail.outbox)["petra@example.nl"]
    assert client.get(reverse("feedback:answer", kwargs={"token": old_token})).status_code == 404
    assert client.get(reverse("feedback:answer", kwargs={"token": new_token})).status_code == 200


def test_it_refuses_to_resend_to_someone_who_answered(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    invitation, _ = invitation_build(round_)
    FeedbackResponse.objects.create(
        board=world.board_a,
        round=round_,
        invitation=invitation,
        relation=Relation.COLLEAGUE,
        submitted_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="answered already"):
        services.invitation_resend(actor=actor, invitation=invitation, email="")


# --- extend and close ------------------------------------------------------------------------------------


def test_it_extends_the_deadline_and_every_link_with_it(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, closes_on=in_days(3))
    invitation, _ = invitation_build(round_)
    with pytest.raises(ValidationError) as raised:
        services.round_extend(actor=actor, round_=round_, closes_on=in_days(2))
    assert "closes_on" in raised.value.error_dict
    services.round_extend(actor=actor, round_=round_, closes_on=in_days(10))
    round_.refresh_from_db()
    invitation.refresh_from_db()
    assert round_.closes_on == in_days(10)
    assert timezone.localtime(invitation.expires_at).date() == in_days(11)
    assert [e.action for e in FeedbackEvent.objects.filter(round=round_)] == ["extend"]


def test_it_closes_a_round_with_its_date(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    services.round_close(actor=actor, round_=round_)
    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED and round_.closed_at is not None
    event = FeedbackEvent.objects.get(round=round_)
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "close",
        RoundState.OPEN,
        RoundState.CLOSED,
        world.teacher,
    )


# --- the state machine: every (state, action) pair through the services ---------------------------------


def _act(action: str, actor: Any, round_: FeedbackRound) -> None:
    if action == "open":
        services.round_open(actor=actor, round_=round_)
    elif action == "extend":
        services.round_extend(actor=actor, round_=round_, closes_on=round_.closes_on + datetime.timedelta(days=7))
    elif action == "close":
        services.round_close(actor=actor, round_=round_)
    else:  # pragma: no cover - a new action needs a line here
        raise AssertionError(action)


@pytest.mark.parametrize("state", ROUND_MACHINE.states.values)
@pytest.mark.parametrize("action", ROUND_MACHINE.actions)
def test_it_moves_a_round_exactly_along_the_machine(world: Any, actor: Any, state: str, action: str) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=state)
    invitation_build(round_, sent=state != RoundState.DRAFT)
    if ROUND_MACHINE.allows(state, action):
        _act(action, actor, round_)
        round_.refresh_from_db()
        assert round_.state == ROUND_MACHINE.transitions[action][state]
        event = FeedbackEvent.objects.get(round=round_)
        assert (event.action, event.from_state, event.to_state) == (action, state, round_.state)
    else:
        with pytest.raises(TransitionRefusedError):
            _act(action, actor, round_)
        round_.refresh_from_db()
        assert round_.state == state
        assert not FeedbackEvent.objects.exists()


# --- the daily run ---------------------------------------------------------------------------------------


def test_it_closes_rounds_after_their_date_and_tells_the_owner(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    due = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, closes_on=today)
    other_board = round_build(
        owner=world.outsider, board=world.board_b, state=RoundState.OPEN, closes_on=today, title="Beta"
    )
    later = round_build(owner=world.colleague, board=world.board_a, state=RoundState.OPEN, closes_on=in_days(5))
    with django_capture_on_commit_callbacks(execute=True):
        feedback_daily(today)  # the last day itself: still open
    assert set(FeedbackRound.objects.values_list("state", flat=True)) == {RoundState.OPEN}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rounds_close_due(today=today + datetime.timedelta(days=1)) == 2
    states = dict(FeedbackRound.objects.values_list("pk", "state"))
    assert (states[due.pk], states[other_board.pk], states[later.pk]) == (
        RoundState.CLOSED,
        RoundState.CLOSED,
        RoundState.OPEN,
    )
    assert FeedbackEvent.objects.get(round=due).actor is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.teacher.email, world.outsider.email])
    assert (
        reverse("feedback:report", kwargs={"round_id": due.pk}) in mail.outbox[0].body
        or reverse("feedback:report", kwargs={"round_id": other_board.pk}) in mail.outbox[0].body
    )


def test_it_reminds_who_has_not_answered_once_three_days_before_the_date(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.localdate()
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, closes_on=in_days(5))
    waiting, old_token = invitation_build(round_, email="wacht@example.nl")
    answered, _ = invitation_build(round_, email="klaar@example.nl")
    FeedbackResponse.objects.create(
        board=world.board_a, round=round_, invitation=answered, relation=Relation.COLLEAGUE, submitted_at=timezone.now()
    )
    opted_out, _ = invitation_build(round_, person=world.colleague)
    NotificationPreference.objects.create(person=world.colleague, reminders=False)

    assert feedback_daily(start) == 0  # five days before: not yet
    with time_machine.travel(start + datetime.timedelta(days=2, hours=12)):
        with django_capture_on_commit_callbacks(execute=True):
            feedback_daily(timezone.localdate())
        assert [m.to for m in mail.outbox] == [["wacht@example.nl"]]
        assert mail.outbox[0].subject.startswith("Herinnering")  # Dutch: the invitee has no account
        new_token = links_in(mail.outbox)["wacht@example.nl"]
        waiting.refresh_from_db()
        assert waiting.token_hash == token_hash(new_token) != token_hash(old_token)
        with django_capture_on_commit_callbacks(execute=True):
            feedback_daily(timezone.localdate())  # the same day again
    with (
        time_machine.travel(start + datetime.timedelta(days=3, hours=12)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        feedback_daily(timezone.localdate())  # the next day
    assert len(mail.outbox) == 1
    assert opted_out.pk


# --- the self-rating -------------------------------------------------------------------------------------


def test_it_saves_the_self_rating_until_the_round_closes(world: Any, actor: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, competences=2)
    first, second = questions_of(round_)
    services.self_rating_save(actor=actor, round_=round_, ratings={first.pk: 2, second.pk: None})
    services.self_rating_save(actor=actor, round_=round_, ratings={first.pk: 4})
    response = FeedbackResponse.objects.get(round=round_, relation=Relation.SELF)
    assert dict(response.answers.values_list("question_id", "value")) == {first.pk: 4}
    with pytest.raises(ValidationError):
        services.self_rating_save(actor=actor, round_=round_, ratings={first.pk: 9})
    round_.state, round_.closed_at = RoundState.CLOSED, timezone.now()
    round_.save()
    with pytest.raises(ValidationError, match="closed"):
        services.self_rating_save(actor=actor, round_=round_, ratings={first.pk: 1})


# --- the pages -------------------------------------------------------------------------------------------


def test_it_creates_a_round_through_the_form_and_keeps_what_was_typed_on_an_error(world: Any, client_for: Any) -> None:
    version = version_of(world.board_a)
    competence = Competence.objects.filter(version=version).first()
    assert competence is not None
    client = client_for(world.teacher)
    url = reverse("feedback:round-create")
    page = client.get(url)
    assert page.status_code == 200
    assert competence.name in page.content.decode()
    data = {
        "title": "Mijn lessen",
        "message": "Graag!",
        "closes_on": in_days(-3).isoformat(),
        "competences": [competence.pk],
        "open_questions": "Wat kan beter?",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'value="Mijn lessen"' in response.content.decode()
    assert not FeedbackRound.objects.exists()
    data["closes_on"] = in_days(7).isoformat()
    response = client.post(url, data)
    round_ = FeedbackRound.objects.get()
    assert response["Location"] == reverse("feedback:round-detail", kwargs={"round_id": round_.pk})


def test_it_offers_colleagues_of_the_own_board_only(world: Any, client_for: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a)
    client = client_for(world.teacher)
    url = reverse("feedback:round-detail", kwargs={"round_id": round_.pk})
    page = client.get(url).content.decode()
    assert world.colleague.sort_name in page and world.manager.sort_name in page
    assert world.outsider.sort_name not in page
    search = client.get(url, {"q": world.outsider.family_name}).content.decode()
    assert world.outsider.sort_name not in search
    # Posting someone of another board is refused, with the form back.
    response = client.post(
        reverse("feedback:invite-people", kwargs={"round_id": round_.pk}), {"people": [world.outsider.pk]}
    )
    assert response.status_code == 400
    assert not FeedbackInvitation.objects.exists()


def test_it_shows_the_round_pages_in_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.teacher)
    for number in range(3):
        round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, title=f"R{number}")
        for _ in range(10):
            invitation_build(round_)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("feedback:round-list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("feedback:round-detail", kwargs={"round_id": round_.pk})).status_code == 200
    for _ in range(20):
        invitation_build(round_)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("feedback:round-detail", kwargs={"round_id": round_.pk})).status_code == 200
