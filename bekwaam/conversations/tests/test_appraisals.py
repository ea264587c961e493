"""The beoordeling through its services and selectors: the state machine pair by pair, who may take which
step, what each party sees, evidence, the final appraisal that never changes, objections and the defaults.

Conversations are made directly (matrix_appraisals.conversation_of): the conversation pages are another part's.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekwaam.conversations.models import (
    APPRAISAL_MACHINE,
    Appraisal,
    AppraisalCriterion,
    AppraisalLevel,
    AppraisalRating,
    AppraisalState,
    ConversationEvent,
    ConversationKind,
    ConversationState,
    EventSubject,
    Signature,
    SignerRole,
    Verdict,
)
from bekwaam.conversations.selectors import EMPLOYEE, MANAGER, conversation_get_for
from bekwaam.conversations.selectors.appraisals import (
    NOT_STARTED,
    appraisal_get_for,
    appraisal_section_for,
)
from bekwaam.conversations.services import appraisals as services
from bekwaam.conversations.services.appraisals import RatingInput, shipped_appraisal
from bekwaam.conversations.tests.matrix_appraisals import (
    ARGUMENT,
    OVERALL,
    appraisal_in,
    appraisal_snapshot,
    board_b_conversation,
    conversation_of,
    criteria_of,
    level_of,
)
from bekwaam.dossier.models import Evidence, EvidenceKind, Section, Share, ShareAudience
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield


def actor_of(person: Any) -> Any:
    return actor_for(person, None)


@pytest.fixture
def conversation(world: Any) -> Any:
    return conversation_of(world, "test")


def full_ratings(board_id: int, value: int = 3, argument: str = ARGUMENT) -> dict[int, RatingInput]:
    level = level_of(board_id, value)
    return {c.pk: RatingInput(level_id=level.pk, argument=argument) for c in criteria_of(board_id)}


# The persona who takes each step, and how.
STEP_BY: dict[str, str] = {
    "put_forward": "manager",
    "withdraw": "manager",
    "employee_sign": "teacher",
    "manager_sign": "manager",
    "objection_record": "administrator",
}


def take(action: str, appraisal: Appraisal, person: Any) -> Appraisal:
    actor = actor_of(person)
    steps: dict[str, Callable[[], Appraisal]] = {
        "put_forward": lambda: services.appraisal_put_forward(actor=actor, appraisal=appraisal),
        "withdraw": lambda: services.appraisal_withdraw(actor=actor, appraisal=appraisal),
        "employee_sign": lambda: services.appraisal_employee_sign(
            actor=actor, appraisal=appraisal, verdict=Verdict.SEEN
        ),
        "manager_sign": lambda: services.appraisal_manager_sign(actor=actor, appraisal=appraisal),
        "objection_record": lambda: services.appraisal_objection_record(
            actor=actor, appraisal=appraisal, received_on=timezone.localdate(), note="Per brief ontvangen"
        ),
    }
    return steps[action]()


# --- the state machine, pair by pair ------------------------------------------------------------------

ALL_PAIRS = list(itertools.product(AppraisalState.values, APPRAISAL_MACHINE.actions))


def test_it_names_a_step_for_every_action() -> None:
    assert set(STEP_BY) == set(APPRAISAL_MACHINE.actions)


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
def test_it_moves_an_appraisal_exactly_along_the_declared_transitions(
    world: Any, conversation: Any, state: str, action: str
) -> None:
    appraisal = appraisal_in(conversation, state)
    person = world.persona(STEP_BY[action])
    before = appraisal_snapshot(appraisal)
    if not APPRAISAL_MACHINE.allows(state, action):
        with pytest.raises(ValidationError):  # TransitionRefusedError, or the "signed already" refusal
            take(action, appraisal, person)
        assert appraisal_snapshot(appraisal) == before
        return
    take(action, appraisal, person)
    appraisal.refresh_from_db()
    assert appraisal.state == APPRAISAL_MACHINE.transitions[action][state]
    event = ConversationEvent.objects.filter(conversation=conversation).latest("id")
    assert (event.subject, event.action, event.from_state, event.to_state) == (
        EventSubject.APPRAISAL,
        action,
        state,
        appraisal.state,
    )
    assert event.actor == person
    signatures = {s.role: s for s in Signature.objects.filter(appraisal=appraisal)}
    if action == "put_forward":
        assert appraisal.put_forward_at is not None
        assert appraisal.overall_level_label == "Goed"
    if action == "withdraw":
        assert appraisal.put_forward_at is None
    if action == "employee_sign":
        assert signatures[SignerRole.EMPLOYEE].verdict == Verdict.SEEN
        assert signatures[SignerRole.EMPLOYEE].signer_name == world.teacher.full_name
    if action == "manager_sign":
        assert signatures[SignerRole.MANAGER].verdict == Verdict.SIGNED
        assert appraisal.final_at is not None and appraisal.is_final
    if action == "objection_record":
        assert appraisal.objection_received_on == timezone.localdate()
        assert appraisal.objection_recorded_by == world.administrator
        assert appraisal.objection_note == "Per brief ontvangen"


def test_it_raises_the_refusal_type_for_a_move_the_machine_does_not_allow(world: Any, conversation: Any) -> None:
    from bekwaam.lib.states import TransitionRefusedError

    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    with pytest.raises(TransitionRefusedError, match="is not possible now"):
        services.appraisal_withdraw(actor=actor_of(world.manager), appraisal=appraisal)


OTHERS = ("manager", "teacher", "colleague", "administrator", "board_member", "outsider", "outsider_admin", "coach")


@pytest.mark.parametrize(
    ("action", "persona"),
    [(action, persona) for action in APPRAISAL_MACHINE.actions for persona in OTHERS if persona != STEP_BY[action]],
)
def test_it_refuses_each_step_to_everyone_but_the_one_who_takes_it(
    world: Any, conversation: Any, action: str, persona: str
) -> None:
    state = next(s for s in AppraisalState.values if APPRAISAL_MACHINE.allows(s, action))
    appraisal = appraisal_in(conversation, state)
    before = appraisal_snapshot(appraisal)
    with pytest.raises((PermissionDenied, ValidationError)):
        take(action, appraisal, world.persona(persona))
    assert appraisal_snapshot(appraisal) == before


def test_it_refuses_the_other_boards_administrator_an_objection(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.FINAL)
    before = appraisal_snapshot(appraisal)
    with pytest.raises(ValidationError, match="not at your board"):
        take("objection_record", appraisal, world.outsider_admin)
    assert appraisal_snapshot(appraisal) == before


# --- writing and putting forward ---------------------------------------------------------------------


def test_it_starts_and_saves_a_draft_that_may_be_incomplete(world: Any, conversation: Any) -> None:
    board_id = world.board_a.pk
    first, *rest = criteria_of(board_id)
    level = level_of(board_id, 2)
    appraisal = services.appraisal_save(
        actor=actor_of(world.manager),
        conversation=conversation,
        ratings={first.pk: RatingInput(level_id=level.pk, argument="  Veel te leren.  ")},
        overall_level_id=None,
        overall_text="",
    )
    assert appraisal.state == AppraisalState.DRAFT
    rating = AppraisalRating.objects.get(appraisal=appraisal)
    assert (rating.criterion, rating.level, rating.argument) == (first, level, "Veel te leren.")
    # Saving again changes the same rows: one appraisal per conversation, one rating per criterion.
    again = services.appraisal_save(
        actor=actor_of(world.manager),
        conversation=conversation,
        ratings={first.pk: RatingInput(level_id=None, argument="Anders"), rest[0].pk: RatingInput(None, "")},
        overall_level_id=level.pk,
        overall_text="Oordeel",
    )
    assert again.pk == appraisal.pk
    assert Appraisal.objects.count() == 1
    assert sorted(AppraisalRating.objects.values_list("criterion_id", "level_id", "argument")) == sorted(
        [(first.pk, None, "Anders"), (rest[0].pk, None, "")]
    )
    assert not ConversationEvent.objects.exists()  # a draft is no move: nothing in the history


def test_it_refuses_a_level_outside_the_boards_scale(world: Any, conversation: Any) -> None:
    board_id = world.board_a.pk
    criterion = criteria_of(board_id)[0]
    foreign = level_of(world.board_b.pk, 3)
    archived = level_of(board_id, 1)
    archived.archived_at = timezone.now()
    archived.save()
    for level_id in (foreign.pk, archived.pk, 987654):
        with pytest.raises(ValidationError) as raised:
            services.appraisal_save(
                actor=actor_of(world.manager),
                conversation=conversation,
                ratings={criterion.pk: RatingInput(level_id=level_id, argument="x")},
                overall_level_id=None,
                overall_text="",
            )
        assert f"level_{criterion.pk}" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        services.appraisal_save(
            actor=actor_of(world.manager),
            conversation=conversation,
            ratings={},
            overall_level_id=foreign.pk,
            overall_text="",
        )
    assert "overall_level" in raised.value.error_dict
    assert not Appraisal.objects.exists()


def test_it_refuses_criteria_of_another_board_or_archived(world: Any, conversation: Any) -> None:
    level = level_of(world.board_a.pk, 3)
    foreign = criteria_of(world.board_b.pk)[0]
    archived = criteria_of(world.board_a.pk)[-1]
    archived.archived_at = timezone.now()
    archived.save()
    for criterion_id in (foreign.pk, archived.pk, 424242):
        with pytest.raises(ValidationError, match="Rate only the criteria"):
            services.appraisal_save(
                actor=actor_of(world.manager),
                conversation=conversation,
                ratings={criterion_id: RatingInput(level_id=level.pk, argument="x")},
                overall_level_id=None,
                overall_text="",
            )
    assert not Appraisal.objects.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(level_id=st.integers(min_value=-5, max_value=10**6), criterion_offset=st.integers(min_value=0, max_value=10))
def test_it_accepts_only_the_boards_own_ids_whatever_is_sent(
    world: Any, conversation: Any, level_id: int, criterion_offset: int
) -> None:
    criteria = criteria_of(world.board_a.pk)
    levels = set(
        AppraisalLevel.objects.filter(board=world.board_a, archived_at__isnull=True).values_list("pk", flat=True)
    )
    criterion_id = criteria[0].pk + criterion_offset
    valid_criterion = criterion_id in {c.pk for c in criteria}
    call = lambda: services.appraisal_save(  # noqa: E731
        actor=actor_of(world.manager),
        conversation=conversation,
        ratings={criterion_id: RatingInput(level_id=level_id, argument="x")},
        overall_level_id=None,
        overall_text="",
    )
    if valid_criterion and level_id in levels:
        assert call().ratings.get(criterion_id=criterion_id).level_id == level_id
    else:
        with pytest.raises(ValidationError):
            call()
        assert not AppraisalRating.objects.filter(criterion_id=criterion_id, level_id=level_id).exists()


def test_it_refuses_a_draft_for_another_kind_of_conversation_or_a_cancelled_one(world: Any) -> None:
    talk = conversation_of(world, "ontwikkel")
    talk.kind = ConversationKind.DEVELOPMENT
    talk.save()
    cancelled = conversation_of(world, "geannuleerd", state=ConversationState.CANCELLED)
    for target, message in ((talk, "Only an appraisal conversation"), (cancelled, "cancelled")):
        with pytest.raises(ValidationError, match=message):
            services.appraisal_save(
                actor=actor_of(world.manager),
                conversation=target,
                ratings={},
                overall_level_id=None,
                overall_text="",
            )
    assert not Appraisal.objects.exists()


def test_it_lets_only_the_leidinggevende_write_the_draft(world: Any, conversation: Any) -> None:
    for persona in ("teacher", "colleague", "administrator", "outsider", "board_member"):
        with pytest.raises(PermissionDenied):
            services.appraisal_save(
                actor=actor_of(world.persona(persona)),
                conversation=conversation,
                ratings=full_ratings(world.board_a.pk),
                overall_level_id=None,
                overall_text="",
            )
    assert not Appraisal.objects.exists()


def test_it_names_everything_missing_before_putting_forward(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT, complete=False)
    second = criteria_of(world.board_a.pk)[1]
    AppraisalRating.objects.filter(appraisal=appraisal, criterion=second).update(argument="  ")
    Appraisal.objects.filter(pk=appraisal.pk).update(overall_text="", overall_level=None)
    first = criteria_of(world.board_a.pk)[0]
    before = appraisal_snapshot(appraisal)
    with pytest.raises(ValidationError) as raised:
        services.appraisal_put_forward(actor=actor_of(world.manager), appraisal=appraisal)
    errors = {field: " ".join(str(m) for m in messages) for field, messages in raised.value.message_dict.items()}
    assert set(errors) == {
        f"level_{first.pk}",
        f"argument_{first.pk}",
        f"argument_{second.pk}",
        "overall_level",
        "overall_text",
    }
    assert first.name in errors[f"level_{first.pk}"]
    assert second.name in errors[f"argument_{second.pk}"]
    assert appraisal_snapshot(appraisal) == before


def test_it_refuses_to_put_forward_when_the_board_has_no_criteria(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    AppraisalCriterion.objects.filter(board=world.board_a).update(archived_at=timezone.now())
    with pytest.raises(ValidationError, match="no appraisal criteria"):
        services.appraisal_put_forward(actor=actor_of(world.manager), appraisal=appraisal)


def test_it_refuses_to_put_forward_a_level_archived_since_it_was_chosen(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    AppraisalLevel.objects.filter(board=world.board_a, value=4).update(archived_at=timezone.now())
    with pytest.raises(ValidationError) as raised:
        services.appraisal_put_forward(actor=actor_of(world.manager), appraisal=appraisal)
    assert "overall_level" in raised.value.message_dict
    assert any(key.startswith("level_") for key in raised.value.message_dict)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.DRAFT


def test_it_copies_names_and_labels_when_put_forward_so_later_changes_leave_it_alone(
    world: Any, conversation: Any
) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    criterion = criteria_of(world.board_a.pk)[0]
    services.appraisal_put_forward(actor=actor_of(world.manager), appraisal=appraisal)
    admin = actor_of(world.administrator)
    services.appraisal_criterion_update(
        actor=admin, criterion=criterion, name="Nieuwe naam", description="", position=criterion.position
    )
    services.appraisal_level_update(actor=admin, level=level_of(world.board_a.pk, 4), label="Sterk")
    section = appraisal_section_for(actor=actor_of(world.teacher), conversation=conversation, role=EMPLOYEE)["section"]
    assert section.ratings[0].name == criterion.name != "Nieuwe naam"
    assert section.ratings[0].level_label == "Goed"
    assert section.overall_label == "Goed"


def test_it_leaves_out_criteria_archived_while_in_draft(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.DRAFT)
    archived = criteria_of(world.board_a.pk)[-1]
    services.appraisal_criterion_archive(actor=actor_of(world.administrator), criterion=archived)
    services.appraisal_put_forward(actor=actor_of(world.manager), appraisal=appraisal)
    assert not AppraisalRating.objects.filter(appraisal=appraisal, criterion=archived).exists()
    assert AppraisalRating.objects.filter(appraisal=appraisal).count() == len(shipped_appraisal().criteria) - 1


def test_it_keeps_the_reaction_when_the_appraisal_is_taken_back(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    services.appraisal_react(actor=actor_of(world.teacher), appraisal=appraisal, reaction="  Ik herken dit.  ")
    services.appraisal_withdraw(actor=actor_of(world.manager), appraisal=appraisal)
    appraisal.refresh_from_db()
    assert (appraisal.state, appraisal.employee_reaction) == (AppraisalState.DRAFT, "Ik herken dit.")
    with pytest.raises(ValidationError, match="not possible now"):
        services.appraisal_react(actor=actor_of(world.teacher), appraisal=appraisal, reaction="Nog iets")
    appraisal.refresh_from_db()
    assert appraisal.employee_reaction == "Ik herken dit."


def test_it_refuses_a_reaction_from_anyone_but_the_medewerker(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    for persona in ("manager", "colleague", "administrator", "outsider"):
        with pytest.raises(PermissionDenied):
            services.appraisal_react(actor=actor_of(world.persona(persona)), appraisal=appraisal, reaction="x")
    appraisal.refresh_from_db()
    assert appraisal.employee_reaction == ""


def test_it_refuses_an_unknown_verdict(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    for verdict in ("signed", "", "yes"):
        with pytest.raises(ValidationError) as raised:
            services.appraisal_employee_sign(actor=actor_of(world.teacher), appraisal=appraisal, verdict=verdict)
        assert "verdict" in raised.value.error_dict
    assert not Signature.objects.exists()


# --- signing twice, and the final appraisal -------------------------------------------------------------


def test_it_refuses_a_second_signature_from_another_tab_with_a_clear_message(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    first_tab, second_tab = Appraisal.objects.get(pk=appraisal.pk), Appraisal.objects.get(pk=appraisal.pk)
    services.appraisal_employee_sign(actor=actor_of(world.teacher), appraisal=first_tab, verdict=Verdict.AGREED)
    with pytest.raises(ValidationError, match=r"signed already \(perhaps in another tab\)"):
        services.appraisal_employee_sign(actor=actor_of(world.teacher), appraisal=second_tab, verdict=Verdict.SEEN)
    services.appraisal_manager_sign(actor=actor_of(world.manager), appraisal=first_tab)
    with pytest.raises(ValidationError, match="signed already"):
        services.appraisal_manager_sign(actor=actor_of(world.manager), appraisal=second_tab)
    assert sorted(Signature.objects.filter(appraisal=appraisal).values_list("role", "verdict")) == [
        (SignerRole.EMPLOYEE, Verdict.AGREED),
        (SignerRole.MANAGER, Verdict.SIGNED),
    ]
    assert ConversationEvent.objects.filter(conversation=conversation).count() == 2


@pytest.mark.parametrize("state", [AppraisalState.FINAL, AppraisalState.OBJECTED])
def test_it_never_changes_a_final_appraisal(world: Any, conversation: Any, state: str) -> None:
    appraisal = appraisal_in(conversation, state)
    before = appraisal_snapshot(appraisal)
    manager, teacher = actor_of(world.manager), actor_of(world.teacher)
    attempts: list[Callable[[], Any]] = [
        lambda: services.appraisal_save(
            actor=manager,
            conversation=conversation,
            ratings=full_ratings(world.board_a.pk, 1, "Toch anders"),
            overall_level_id=level_of(world.board_a.pk, 1).pk,
            overall_text="Toch anders",
        ),
        lambda: services.appraisal_put_forward(actor=manager, appraisal=appraisal),
        lambda: services.appraisal_withdraw(actor=manager, appraisal=appraisal),
        lambda: services.appraisal_react(actor=teacher, appraisal=appraisal, reaction="Toch anders"),
        lambda: services.appraisal_employee_sign(actor=teacher, appraisal=appraisal, verdict=Verdict.SEEN),
        lambda: services.appraisal_manager_sign(actor=manager, appraisal=appraisal),
    ]
    if state == AppraisalState.OBJECTED:  # recording one objection is the only step left after final
        attempts.append(
            lambda: services.appraisal_objection_record(
                actor=actor_of(world.administrator), appraisal=appraisal, received_on=timezone.localdate()
            )
        )
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
        assert appraisal_snapshot(appraisal) == before
    # The board renaming its criteria and scale does not change what the final appraisal says either.
    admin = actor_of(world.administrator)
    for criterion in criteria_of(world.board_a.pk):
        services.appraisal_criterion_update(
            actor=admin, criterion=criterion, name=f"{criterion.name} (nieuw)", description="", position=0
        )
    services.appraisal_level_update(actor=admin, level=level_of(world.board_a.pk, 4), label="Prima")
    assert appraisal_snapshot(appraisal) == before
    section = appraisal_section_for(actor=teacher, conversation=conversation, role=EMPLOYEE)["section"]
    assert all("(nieuw)" not in row.name for row in section.ratings)
    assert {row.level_label for row in section.ratings} == {"Goed", "Voldoende"}


def test_it_says_a_final_appraisal_can_no_longer_be_changed(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.FINAL)
    with pytest.raises(ValidationError, match="final: it can no longer be changed"):
        services.appraisal_react(actor=actor_of(world.teacher), appraisal=appraisal, reaction="x")


# --- objections ------------------------------------------------------------------------------------------


def test_it_records_an_objection_once_with_the_date_it_was_received(world: Any, conversation: Any) -> None:
    appraisal = appraisal_in(conversation, AppraisalState.FINAL)
    Appraisal.objects.filter(pk=appraisal.pk).update(final_at=timezone.now() - datetime.timedelta(days=10))
    admin = actor_of(world.administrator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for day, message in (
        (timezone.localdate() + datetime.timedelta(days=1), "cannot be in the future"),
        (timezone.localdate() - datetime.timedelta(days=30), "before the appraisal became final"),
    ):
        with pytest.raises(ValidationError, match=message) as raised:
            services.appraisal_objection_record(actor=admin, appraisal=appraisal, received_on=day)
        assert "received_on" in raised.value.error_dict
    services.appraisal_objection_record(actor=admin, appraisal=appraisal, received_on=yesterday, note="Brief")
    appraisal.refresh_from_db()
    assert (appraisal.state, appraisal.objection_received_on, appraisal.objection_note) == (
        AppraisalState.OBJECTED,
        yesterday,
        "Brief",
    )
    for role, person in ((EMPLOYEE, world.teacher), (MANAGER, world.manager)):
        section = appraisal_section_for(actor=actor_of(person), conversation=conversation, role=role)["section"]
        assert section.objection_received_on == yesterday
        assert section.is_final


# --- what each party sees ---------------------------------------------------------------------------------


def _queries_touching(table: str, run: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


@pytest.mark.parametrize("state", [None, AppraisalState.DRAFT])
def test_it_shows_the_medewerker_only_in_preparation_before_it_is_put_forward(
    world: Any, conversation: Any, state: str | None
) -> None:
    if state is not None:
        appraisal_in(conversation, state)
    teacher = actor_of(world.teacher)
    run = lambda: appraisal_section_for(actor=teacher, conversation=conversation, role=EMPLOYEE)  # noqa: E731
    # Enforced in the query: the ratings are not even read.
    assert _queries_touching("appraisalrating", run) == []
    section = run()["section"]
    assert (section.state, section.visible, section.ratings, section.overall_text) == (NOT_STARTED, False, [], "")
    assert not (section.may_sign or section.may_react)
    with pytest.raises(Http404):
        appraisal_get_for(actor=teacher, conversation=conversation, role=EMPLOYEE)


@pytest.mark.parametrize(
    "state", [AppraisalState.PUT_FORWARD, AppraisalState.WITH_MANAGER, AppraisalState.FINAL, AppraisalState.OBJECTED]
)
def test_it_shows_the_medewerker_the_appraisal_once_put_forward(world: Any, conversation: Any, state: str) -> None:
    appraisal_in(conversation, state)
    result = appraisal_section_for(actor=actor_of(world.teacher), conversation=conversation, role=EMPLOYEE)
    section = result["section"]
    assert section.visible and section.state == state
    assert [row.argument for row in section.ratings] == [ARGUMENT] * len(shipped_appraisal().criteria)
    assert section.overall_text == OVERALL
    assert section.may_sign == (state == AppraisalState.PUT_FORWARD) == ("sign_form" in result)
    assert not (section.may_edit or section.may_withdraw or section.may_put_forward)


def test_it_shows_the_leidinggevende_the_draft_with_every_active_criterion(world: Any, conversation: Any) -> None:
    appraisal_in(conversation, AppraisalState.DRAFT, complete=False)
    section = appraisal_section_for(actor=actor_of(world.manager), conversation=conversation, role=MANAGER)["section"]
    assert section.visible and section.may_edit and section.may_put_forward
    assert [row.name for row in section.ratings] == [name for name, _ in shipped_appraisal().criteria]
    assert section.ratings[0].level_label == "" and section.ratings[1].level_label == "Voldoende"


@pytest.mark.parametrize("persona", ["colleague", "administrator", "board_member", "quality_officer", "outsider"])
def test_it_keeps_everyone_else_out_of_the_conversation(world: Any, conversation: Any, persona: str) -> None:
    appraisal_in(conversation, AppraisalState.FINAL)
    with pytest.raises(Http404):
        conversation_get_for(actor=actor_of(world.persona(persona)), conversation_id=conversation.pk)
    # And a role nobody has in it gives nothing, whatever a caller passes.
    assert appraisal_section_for(actor=actor_of(world.persona(persona)), conversation=conversation, role="") == {}


def test_it_gives_no_section_for_other_kinds_of_conversation(world: Any) -> None:
    talk = conversation_of(world, "ontwikkel")
    talk.kind = ConversationKind.DEVELOPMENT
    talk.save()
    assert appraisal_section_for(actor=actor_of(world.manager), conversation=talk, role=MANAGER) == {}


# --- evidence ------------------------------------------------------------------------------------------


def evidence_of(person: Any, board: Any, title: str, share_with_manager: bool = False) -> Evidence:
    item = Evidence.objects.create(
        board=board, person=person, kind=EvidenceKind.LINK, url="https://example.org/bewijs", title=title
    )
    if share_with_manager:
        Share.objects.create(
            board=board, owner=person, audience=ShareAudience.MANAGER, section=Section.PORTFOLIO, evidence=item
        )
    return item


def test_it_lets_the_leidinggevende_refer_only_to_evidence_shared_with_them(world: Any, conversation: Any) -> None:
    shared = evidence_of(world.teacher, world.board_a, "Lesvoorbereiding", share_with_manager=True)
    private = evidence_of(world.teacher, world.board_a, "Dagboek")
    someone_elses = evidence_of(world.colleague, world.board_a, "Van een collega", share_with_manager=True)
    other_board = evidence_of(world.outsider, world.board_b, "Van elders")
    manager = actor_of(world.manager)
    assert list(services.appraisal_evidence_choices(actor=manager, conversation=conversation)) == [shared]
    for item in (private, someone_elses, other_board):
        with pytest.raises(ValidationError) as raised:
            services.appraisal_save(
                actor=manager,
                conversation=conversation,
                ratings={},
                overall_level_id=None,
                overall_text="",
                evidence_ids=[shared.pk, item.pk],
            )
        assert "evidence" in raised.value.error_dict
    assert not Appraisal.objects.exists()
    appraisal = services.appraisal_save(
        actor=manager,
        conversation=conversation,
        ratings={},
        overall_level_id=None,
        overall_text="",
        evidence_ids=[shared.pk],
    )
    assert list(appraisal.evidence.all()) == [shared]


def test_it_hides_a_reference_from_the_leidinggevende_once_the_share_is_withdrawn(
    world: Any, conversation: Any
) -> None:
    shared = evidence_of(world.teacher, world.board_a, "Lesvoorbereiding", share_with_manager=True)
    appraisal = appraisal_in(conversation, AppraisalState.PUT_FORWARD)
    appraisal.evidence.set([shared])

    def titles(person: Any, role: str) -> list[str]:
        result = appraisal_section_for(actor=actor_of(person), conversation=conversation, role=role)
        return [row.title for row in result["section"].evidence]

    assert titles(world.manager, MANAGER) == titles(world.teacher, EMPLOYEE) == ["Lesvoorbereiding"]
    Share.objects.filter(evidence=shared).update(withdrawn_at=timezone.now())
    assert titles(world.manager, MANAGER) == []
    assert titles(world.teacher, EMPLOYEE) == ["Lesvoorbereiding"]  # their own, always


# --- the defaults ----------------------------------------------------------------------------------------


def test_it_installs_the_default_criteria_and_scale_in_dutch_once(world: Any) -> None:
    board_id = world.board_a.pk
    services.appraisal_defaults_install(board_id=board_id)
    criteria = list(AppraisalCriterion.objects.filter(board_id=board_id).values_list("pk", "name", "position"))
    levels = list(AppraisalLevel.objects.filter(board_id=board_id).values_list("pk", "value", "label"))
    assert [name for _, name, _ in criteria] == [
        "Lesgeven: pedagogisch handelen",
        "Lesgeven: vakdidactisch handelen",
        "Lesgeven: vakinhoudelijk handelen",
        "Reflectie en ontwikkeling",
        "Samenwerking in het team",
        "Samenwerking met de omgeving",
    ]
    assert [position for _, _, position in criteria] == list(range(6))
    assert all(AppraisalCriterion.objects.filter(board_id=board_id).values_list("description", flat=True))
    assert [(value, label) for _, value, label in levels] == [
        (1, "Onvoldoende"),
        (2, "Matig"),
        (3, "Voldoende"),
        (4, "Goed"),
        (5, "Uitstekend"),
    ]
    services.appraisal_defaults_install(board_id=board_id)
    assert list(AppraisalCriterion.objects.filter(board_id=board_id).values_list("pk", "name", "position")) == criteria
    assert list(AppraisalLevel.objects.filter(board_id=board_id).values_list("pk", "value", "label")) == levels
    assert not AppraisalCriterion.objects.filter(board=world.board_b).exists()


def test_it_leaves_a_boards_own_criteria_and_scale_alone(world: Any) -> None:
    board_id = world.board_a.pk
    AppraisalCriterion.objects.create(board_id=board_id, name="Eigen criterium", archived_at=timezone.now())
    services.appraisal_defaults_install(board_id=board_id)
    assert list(AppraisalCriterion.objects.filter(board_id=board_id).values_list("name", flat=True)) == [
        "Eigen criterium"
    ]
    assert AppraisalLevel.objects.filter(board_id=board_id).count() == 5  # the scale was missing: added
    AppraisalLevel.objects.filter(board_id=board_id, value=5).delete()
    services.appraisal_defaults_install(board_id=board_id)
    assert AppraisalLevel.objects.filter(board_id=board_id).count() == 4


def test_it_ships_a_valid_defaults_file() -> None:
    shipped = shipped_appraisal()
    assert len(shipped.criteria) == 6 and all(description for _, description in shipped.criteria)
    assert [value for value, _ in shipped.scale] == [1, 2, 3, 4, 5]


# --- the beheerder's criteria and scale -----------------------------------------------------------------


def test_it_adds_edits_archives_restores_and_deletes_criteria(world: Any) -> None:
    admin = actor_of(world.administrator)
    services.appraisal_defaults_install(board_id=world.board_a.pk)
    added = services.appraisal_criterion_create(actor=admin, name="  Leiderschap ", description=" Neemt de leiding. ")
    assert (added.name, added.description, added.position) == ("Leiderschap", "Neemt de leiding.", 6)
    edited = services.appraisal_criterion_update(
        actor=admin, criterion=added, name="Eigen regie", description="", position=0
    )
    assert (edited.name, edited.position) == ("Eigen regie", 0)
    assert services.appraisal_criterion_archive(actor=admin, criterion=edited).archived_at is not None
    assert services.appraisal_criterion_restore(actor=admin, criterion=edited).archived_at is None
    services.appraisal_criterion_delete(actor=admin, criterion=edited)
    assert not AppraisalCriterion.objects.filter(pk=added.pk).exists()
    with pytest.raises(ValidationError):
        services.appraisal_criterion_create(actor=admin, name="   ")


def test_it_never_deletes_a_criterion_or_level_in_use(world: Any, conversation: Any) -> None:
    appraisal_in(conversation, AppraisalState.DRAFT)
    admin = actor_of(world.administrator)
    criterion = criteria_of(world.board_a.pk)[0]
    level = level_of(world.board_a.pk, 4)
    with pytest.raises(ValidationError, match="archive it instead"):
        services.appraisal_criterion_delete(actor=admin, criterion=criterion)
    with pytest.raises(ValidationError, match="archive it instead"):
        services.appraisal_level_delete(actor=admin, level=level)
    assert AppraisalCriterion.objects.filter(pk=criterion.pk).exists()
    assert AppraisalLevel.objects.filter(pk=level.pk).exists()
    # Archiving is always possible; the draft simply no longer offers it.
    services.appraisal_criterion_archive(actor=admin, criterion=criterion)
    services.appraisal_level_archive(actor=admin, level=level)


def test_it_keeps_the_scale_at_two_levels_and_its_values_distinct(world: Any) -> None:
    admin = actor_of(world.administrator)
    services.appraisal_defaults_install(board_id=world.board_a.pk)
    with pytest.raises(ValidationError, match="already") as raised:
        services.appraisal_level_create(actor=admin, value=3, label="Dubbel")
    assert "value" in raised.value.error_dict
    for value in (0, 21):
        with pytest.raises(ValidationError):
            services.appraisal_level_create(actor=admin, value=value, label="Buiten bereik")
    levels = list(AppraisalLevel.objects.filter(board=world.board_a).order_by("value"))
    for level in levels[:3]:
        services.appraisal_level_archive(actor=admin, level=level)
    with pytest.raises(ValidationError, match="at least two levels"):
        services.appraisal_level_archive(actor=admin, level=levels[3])
    with pytest.raises(ValidationError, match="at least two levels"):
        services.appraisal_level_delete(actor=admin, level=levels[3])
    with pytest.raises(ValidationError, match="restore it instead"):
        services.appraisal_level_create(actor=admin, value=1, label="Opnieuw")
    services.appraisal_level_restore(actor=admin, level=levels[0])
    assert services.appraisal_level_update(actor=admin, level=levels[0], label=" Zwak ").label == "Zwak"
    assert AppraisalLevel.objects.filter(board=world.board_a, archived_at__isnull=True).count() == 3


def test_it_lets_only_a_beheerder_of_the_board_change_the_settings(world: Any) -> None:
    services.appraisal_defaults_install(board_id=world.board_a.pk)
    criterion = criteria_of(world.board_a.pk)[0]
    level = level_of(world.board_a.pk, 1)
    for persona in ("manager", "teacher", "board_member", "quality_officer"):
        actor = actor_of(world.persona(persona))
        with pytest.raises(PermissionDenied):
            services.appraisal_criterion_create(actor=actor, name="X")
        with pytest.raises(PermissionDenied):
            services.appraisal_criterion_archive(actor=actor, criterion=criterion)
        with pytest.raises(PermissionDenied):
            services.appraisal_level_update(actor=actor, level=level, label="X")
    other = actor_of(world.outsider_admin)
    with pytest.raises(ValidationError, match="not part of your board"):
        services.appraisal_criterion_archive(actor=other, criterion=criterion)
    with pytest.raises(ValidationError, match="not part of your board"):
        services.appraisal_level_delete(actor=other, level=level)
    criterion.refresh_from_db()
    assert criterion.archived_at is None
    assert AppraisalLevel.objects.filter(pk=level.pk, label="Onvoldoende").exists()


def test_it_finds_the_other_boards_conversation_only_for_its_own_people(world: Any) -> None:
    talk = board_b_conversation(world)
    appraisal_in(talk, AppraisalState.PUT_FORWARD)
    _conversation, role = conversation_get_for(actor=actor_of(world.outsider), conversation_id=talk.pk)
    assert role == EMPLOYEE
    for persona in ("manager", "teacher", "administrator"):
        with pytest.raises(Http404):
            conversation_get_for(actor=actor_of(world.persona(persona)), conversation_id=talk.pk)
