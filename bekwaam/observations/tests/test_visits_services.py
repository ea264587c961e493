"""The lesson-visit services: planning, peer visits, the plan's changes, scoring (with its validation and the
newer-wins rule for offline replays), the nagesprek, putting forward, the teacher's side, agreement → goal,
and every state move allowed or refused. E-mails run on commit through the immediate task backend."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.dossier.models import Goal
from bekwaam.frameworks.models import FrameworkKind
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.notifications.models import NotificationPreference
from bekwaam.observations.models import (
    OBSERVATION_MACHINE,
    Observation,
    ObservationAgreement,
    ObservationEvent,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.observations.services import visits as services
from bekwaam.observations.services.visits import AgreementLine, ScoreChange
from bekwaam.observations.tests.factories_visits import (
    actor_of,
    details,
    instrument_build,
    instrument_of,
    items_of,
    peer_visit_in,
    visit_in,
)
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def employment_of(person: Any) -> Employment:
    return Employment.objects.filter(person=person).order_by("start_date").first()


def events_of(observation: Observation) -> list[str]:
    return list(
        ObservationEvent.objects.filter(observation=observation).order_by("at", "pk").values_list("action", flat=True)
    )


def change(item: Any, value: int | None, *, note: str = "", at: datetime.datetime | None = None) -> ScoreChange:
    return ScoreChange(item_id=item.pk, value=value, note=note, edited_at=at or timezone.now())


def calendar_of(message: Any) -> icalendar.Calendar | None:
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    if not parts:
        return None
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def plan(world: Any, capture: Any, **overrides: Any) -> Observation:
    with capture(execute=True):
        return services.visit_plan(
            actor=actor_of(world.manager, world.board_a),
            employment=employment_of(world.teacher),
            details=details(instrument_of(world), **overrides),
        )


# --- planning -----------------------------------------------------------------------------------------


def test_it_plans_a_visit_and_mails_the_teacher_an_invitation(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    instrument = instrument_of(world)
    focus = items_of(instrument)[:2]
    observation = plan(world, django_capture_on_commit_callbacks, focus_items=focus)
    assert observation.state == ObservationState.PLANNED
    assert observation.observer_id == world.manager.pk
    assert observation.teacher_id == world.teacher.pk
    assert observation.kind == ObservationKind.VISIT
    assert set(observation.focus_items.all()) == set(focus)
    assert events_of(observation) == ["plan"]
    [message] = mailoutbox
    assert message.to == [world.teacher.email]
    calendar = calendar_of(message)
    assert calendar is not None
    [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert str(event["uid"]).startswith(f"observation-{observation.pk}@")
    assert int(event["sequence"]) == 0


def test_it_plans_a_visit_in_the_past_without_a_calendar_event(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    observation = plan(world, django_capture_on_commit_callbacks, date=yesterday)
    assert observation.date == yesterday
    [message] = mailoutbox
    assert calendar_of(message) is None


def test_it_sends_no_calendar_event_without_a_time(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    plan(world, django_capture_on_commit_callbacks, start_time=None)
    [message] = mailoutbox
    assert calendar_of(message) is None


def test_it_respects_the_teachers_mail_preference(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    NotificationPreference.objects.create(person=world.teacher, updates=False)
    plan(world, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_it_refuses_a_manager_planning_for_someone_they_do_not_lead(world: Any) -> None:
    stranger = PersonFactory(email="elders@alfa.nl")
    EmploymentFactory(person=stranger, school=world.school_a2)
    with pytest.raises(ValidationError) as error:
        services.visit_plan(
            actor=actor_of(world.manager, world.board_a),
            employment=employment_of(stranger),
            details=details(instrument_of(world)),
        )
    assert "employment" in error.value.message_dict
    assert not Observation.objects.exists()


def test_it_lets_the_quality_officer_plan_at_any_school_of_the_board(world: Any) -> None:
    stranger = PersonFactory(email="elders@alfa.nl")
    EmploymentFactory(person=stranger, school=world.school_a2)
    observation = services.visit_plan(
        actor=actor_of(world.quality_officer, world.board_a),
        employment=employment_of(stranger),
        details=details(instrument_of(world)),
    )
    assert observation.observer_id == world.quality_officer.pk
    assert observation.school_id == world.school_a2.pk


def test_it_refuses_a_teacher_of_another_board(world: Any) -> None:
    with pytest.raises(ValidationError):
        services.visit_plan(
            actor=actor_of(world.quality_officer, world.board_a),
            employment=employment_of(world.outsider),
            details=details(instrument_of(world)),
        )


def test_it_refuses_planning_to_someone_without_the_right(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_plan(
            actor=actor_of(world.teacher, world.board_a),
            employment=employment_of(world.colleague),
            details=details(instrument_of(world)),
        )


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("group", {"group": 9}),
        ("group", {"group": 0}),
        ("date", {"date": datetime.date(2001, 1, 1)}),
        ("subject", {"subject": "   "}),
        ("subject", {"subject": "x" * 201}),
    ],
)
def test_it_refuses_a_bad_plan(world: Any, field: str, overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.visit_plan(
            actor=actor_of(world.manager, world.board_a),
            employment=employment_of(world.teacher),
            details=details(instrument_of(world), **overrides),
        )
    assert field in error.value.message_dict
    assert not Observation.objects.exists()


def test_it_refuses_a_kijkwijzer_of_another_board_or_a_competence_framework(world: Any) -> None:
    other_board = instrument_build(board=world.board_b)
    competences = framework_version_build(board=world.board_a, slug="bekwaamheden", kind=FrameworkKind.COMPETENCES)
    for instrument in (other_board, competences):
        with pytest.raises(ValidationError) as error:
            services.visit_plan(
                actor=actor_of(world.manager, world.board_a),
                employment=employment_of(world.teacher),
                details=details(instrument),
            )
        assert "instrument" in error.value.message_dict


def test_it_refuses_focus_items_of_another_kijkwijzer(world: Any) -> None:
    other = instrument_build(board=world.board_a, slug="focus-kijkwijzer")
    with pytest.raises(ValidationError) as error:
        services.visit_plan(
            actor=actor_of(world.manager, world.board_a),
            employment=employment_of(world.teacher),
            details=details(instrument_of(world), focus_items=items_of(other)[:1]),
        )
    assert "focus_items" in error.value.message_dict


# --- peer visits --------------------------------------------------------------------------------------


def test_it_asks_a_colleague_for_a_peer_visit_and_mails_them(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        observation = services.peer_visit_request(
            actor=actor_of(world.teacher, world.board_a),
            employment=employment_of(world.teacher),
            colleague=employment_of(world.colleague),
            details=details(instrument_of(world)),
        )
    assert observation.kind == ObservationKind.PEER
    assert (observation.teacher_id, observation.observer_id) == (world.teacher.pk, world.colleague.pk)
    assert observation.created_by_id == world.teacher.pk
    assert events_of(observation) == ["request_peer"]
    [message] = mailoutbox
    assert message.to == [world.colleague.email]
    assert calendar_of(message) is not None


def test_it_refuses_a_peer_visit_by_yourself_or_by_someone_of_another_board(world: Any) -> None:
    actor = actor_of(world.teacher, world.board_a)
    for colleague in (employment_of(world.teacher), employment_of(world.outsider)):
        with pytest.raises(ValidationError) as error:
            services.peer_visit_request(
                actor=actor,
                employment=employment_of(world.teacher),
                colleague=colleague,
                details=details(instrument_of(world)),
            )
        assert "colleague" in error.value.message_dict
    assert not Observation.objects.exists()


# --- changing and cancelling the plan ------------------------------------------------------------------


def test_it_changes_a_planned_visit_and_updates_the_calendar_event(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    observation = plan(world, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    new_day = timezone.localdate() + datetime.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_update(
            actor=actor_of(world.manager, world.board_a),
            observation=observation,
            details=details(instrument_of(world), date=new_day, group=6),
        )
    observation.refresh_from_db()
    assert (observation.date, observation.group) == (new_day, 6)
    assert events_of(observation) == ["plan", "edit"]
    [message] = mailoutbox
    [event] = [c for c in calendar_of(message).walk() if c.name == "VEVENT"]
    assert int(event["sequence"]) == 1


def test_it_records_nothing_when_the_plan_did_not_change(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    observation = plan(world, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_update(
            actor=actor_of(world.manager, world.board_a), observation=observation, details=details(instrument_of(world))
        )
    assert events_of(observation) == ["plan"]
    assert mailoutbox == []


def test_it_refuses_changing_the_plan_once_scoring_started(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    with pytest.raises(TransitionRefusedError):
        services.visit_update(
            actor=actor_of(world.manager, world.board_a),
            observation=observation,
            details=details(instrument_of(world), group=2),
        )
    observation.refresh_from_db()
    assert observation.group == 5


def test_it_lets_only_the_observer_change_a_visit_but_both_change_a_peer_visit(world: Any) -> None:
    visit = visit_in(world)
    with pytest.raises(PermissionDenied):
        services.visit_update(
            actor=actor_of(world.teacher, world.board_a), observation=visit, details=details(instrument_of(world))
        )
    with pytest.raises(PermissionDenied):
        services.visit_cancel(actor=actor_of(world.quality_officer, world.board_a), observation=visit)
    peer = peer_visit_in(world)
    services.visit_update(
        actor=actor_of(world.teacher, world.board_a), observation=peer, details=details(instrument_of(world), group=3)
    )
    peer.refresh_from_db()
    assert peer.group == 3


def test_it_cancels_a_visit_and_sends_the_calendar_cancellation(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    observation = plan(world, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_cancel(actor=actor_of(world.manager, world.board_a), observation=observation)
    observation.refresh_from_db()
    assert observation.state == ObservationState.CANCELLED
    [message] = mailoutbox
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"


# --- scoring ------------------------------------------------------------------------------------------


def test_the_first_score_starts_a_planned_visit(world: Any) -> None:
    observation = visit_in(world)
    item = items_of(observation.instrument)[0]
    outcomes = services.scores_save(
        actor=actor_of(world.manager, world.board_a), observation=observation, changes=[change(item, 3, note="Rustig")]
    )
    assert [o.applied for o in outcomes] == [True]
    observation.refresh_from_db()
    assert observation.state == ObservationState.IN_PROGRESS
    assert events_of(observation) == ["start"]
    score = ObservationScore.objects.get(observation=observation, item=item)
    assert (score.value, score.note) == (3, "Rustig")


def test_an_empty_item_does_not_start_a_visit(world: Any) -> None:
    observation = visit_in(world)
    item = items_of(observation.instrument)[0]
    services.scores_save(
        actor=actor_of(world.manager, world.board_a), observation=observation, changes=[change(item, None)]
    )
    observation.refresh_from_db()
    assert observation.state == ObservationState.PLANNED
    assert not ObservationScore.objects.exists()


def test_it_refuses_an_item_of_another_kijkwijzer_version(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    newer = instrument_build(board=world.board_a)  # version 2 of the same kijkwijzer
    foreign = items_of(newer)[0]
    good = items_of(observation.instrument)[0]
    with pytest.raises(ValidationError):
        services.scores_save(
            actor=actor_of(world.manager, world.board_a),
            observation=observation,
            changes=[change(good, 2), change(foreign, 2)],
        )
    assert not ObservationScore.objects.exists()


@pytest.mark.parametrize("value", [0, 5, 99])
def test_it_refuses_a_score_outside_the_scale(world: Any, value: int) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    with pytest.raises(ValidationError) as error:
        services.scores_save(
            actor=actor_of(world.manager, world.board_a), observation=observation, changes=[change(item, value)]
        )
    assert str(value) in " ".join(error.value.messages)
    assert not ObservationScore.objects.exists()


def test_it_refuses_a_note_that_is_too_long(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    with pytest.raises(ValidationError):
        services.scores_save(
            actor=actor_of(world.manager, world.board_a),
            observation=observation,
            changes=[change(item, 2, note="x" * (services.NOTE_MAX + 1))],
        )


@pytest.mark.parametrize(
    "state", [ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED, ObservationState.CANCELLED]
)
def test_it_refuses_scores_on_a_visit_that_is_not_open(world: Any, state: str) -> None:
    observation = visit_in(world, state)
    before = list(ObservationScore.objects.values_list("item_id", "value"))
    item = items_of(observation.instrument)[2]
    with pytest.raises(TransitionRefusedError):
        services.scores_save(
            actor=actor_of(world.manager, world.board_a), observation=observation, changes=[change(item, 1)]
        )
    assert list(ObservationScore.objects.values_list("item_id", "value")) == before


def test_it_refuses_a_second_observer_with_a_clear_message(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    with translation.override("en"), pytest.raises(PermissionDenied) as error:
        services.scores_save(
            actor=actor_of(world.quality_officer, world.board_a), observation=observation, changes=[change(item, 1)]
        )
    assert "calibration" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.scores_save(
            actor=actor_of(world.teacher, world.board_a), observation=observation, changes=[change(item, 4)]
        )
    assert not ObservationScore.objects.exists()


def test_a_stale_offline_replay_does_not_overwrite_a_newer_score(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    actor = actor_of(world.manager, world.board_a)
    now = timezone.now()
    offline_at = now - datetime.timedelta(minutes=10)  # made on a tablet that lost its connection
    services.scores_save(actor=actor, observation=observation, changes=[change(item, 4, note="Nieuw", at=now)])
    [outcome] = services.scores_save(
        actor=actor, observation=observation, changes=[change(item, 1, note="Oud", at=offline_at)]
    )
    assert not outcome.applied
    assert (outcome.value, outcome.note) == (4, "Nieuw")
    score = ObservationScore.objects.get(observation=observation, item=item)
    assert (score.value, score.note) == (4, "Nieuw")


def test_a_newer_change_replaces_the_stored_score(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    actor = actor_of(world.manager, world.board_a)
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    services.scores_save(actor=actor, observation=observation, changes=[change(item, 1, at=earlier)])
    [outcome] = services.scores_save(actor=actor, observation=observation, changes=[change(item, 3)])
    assert outcome.applied
    assert ObservationScore.objects.get(observation=observation, item=item).value == 3


def test_the_later_change_of_one_item_in_one_request_wins(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    now = timezone.now()
    services.scores_save(
        actor=actor_of(world.manager, world.board_a),
        observation=observation,
        changes=[change(item, 2, at=now), change(item, 1, at=now - datetime.timedelta(seconds=3))],
    )
    assert ObservationScore.objects.get(observation=observation, item=item).value == 2


def test_a_device_clock_ahead_does_not_lock_the_score(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    actor = actor_of(world.manager, world.board_a)
    future = timezone.now() + datetime.timedelta(days=2)
    services.scores_save(actor=actor, observation=observation, changes=[change(item, 1, at=future)])
    assert ObservationScore.objects.get(observation=observation, item=item).updated_at <= timezone.now()
    services.scores_save(actor=actor, observation=observation, changes=[change(item, 4)])
    assert ObservationScore.objects.get(observation=observation, item=item).value == 4


def test_clearing_a_score_keeps_its_time_so_an_older_replay_stays_out(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    actor = actor_of(world.manager, world.board_a)
    now = timezone.now()
    services.scores_save(
        actor=actor, observation=observation, changes=[change(item, 3, at=now - datetime.timedelta(minutes=2))]
    )
    services.scores_save(actor=actor, observation=observation, changes=[change(item, None, at=now)])
    services.scores_save(
        actor=actor, observation=observation, changes=[change(item, 2, at=now - datetime.timedelta(minutes=1))]
    )
    assert ObservationScore.objects.get(observation=observation, item=item).value is None


# --- the nagesprek and putting forward ----------------------------------------------------------------


def test_it_saves_the_nagesprek_with_its_agreements(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    actor = actor_of(world.manager, world.board_a)
    services.debrief_save(
        actor=actor,
        observation=observation,
        went_well="Heldere instructie",
        work_on="Differentiatie",
        agreements=[
            AgreementLine(None, "Oefenen met de instructietafel"),
            AgreementLine(None, "  "),
            AgreementLine(None, "Collega bezoeken"),
        ],
    )
    observation.refresh_from_db()
    assert (observation.went_well, observation.work_on) == ("Heldere instructie", "Differentiatie")
    first, second = ObservationAgreement.objects.filter(observation=observation)
    assert (first.text, second.text) == ("Oefenen met de instructietafel", "Collega bezoeken")
    services.debrief_save(
        actor=actor,
        observation=observation,
        went_well="Heldere instructie",
        work_on="Differentiatie",
        agreements=[AgreementLine(first.pk, ""), AgreementLine(second.pk, "Collega bezoeken in groep 6")],
    )
    assert list(ObservationAgreement.objects.filter(observation=observation).values_list("text", flat=True)) == [
        "Collega bezoeken in groep 6"
    ]


def test_it_refuses_an_agreement_of_another_visit(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    other = visit_in(world, ObservationState.IN_PROGRESS, agreements=("Van een ander bezoek",))
    foreign = ObservationAgreement.objects.get(observation=other)
    with pytest.raises(ValidationError):
        services.debrief_save(
            actor=actor_of(world.manager, world.board_a),
            observation=observation,
            went_well="",
            work_on="",
            agreements=[AgreementLine(foreign.pk, "Gekaapt")],
        )
    foreign.refresh_from_db()
    assert foreign.text == "Van een ander bezoek"


def test_it_puts_forward_only_with_a_score(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    actor = actor_of(world.manager, world.board_a)
    with pytest.raises(ValidationError):
        services.visit_submit(actor=actor, observation=observation)
    observation.refresh_from_db()
    assert observation.state == ObservationState.IN_PROGRESS
    services.scores_save(actor=actor, observation=observation, changes=[change(items_of(observation.instrument)[0], 2)])
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_submit(actor=actor, observation=observation)
    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED
    assert observation.submitted_at is not None
    assert [m.to for m in mailoutbox] == [[world.teacher.email]]


def test_a_second_submit_gets_the_state_machines_refusal(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS, scores=[2])
    stale = Observation.objects.get(pk=observation.pk)  # the same page open in a second tab
    actor = actor_of(world.manager, world.board_a)
    services.visit_submit(actor=actor, observation=observation)
    with pytest.raises(TransitionRefusedError) as error:
        services.visit_submit(actor=actor, observation=stale)
    with translation.override("nl"):
        expected = gettext(
            "“%(action)s” is not possible now: the status is “%(state)s”. Reload the page to see the latest."
        ) % {
            "action": OBSERVATION_MACHINE.action_labels["submit"],
            "state": ObservationState.SUBMITTED.label,
        }
        assert error.value.messages == [expected]
    assert events_of(observation).count("submit") == 1


def test_it_reopens_until_the_teacher_has_seen_it(world: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED)
    actor = actor_of(world.manager, world.board_a)
    services.visit_reopen(actor=actor, observation=observation)
    observation.refresh_from_db()
    assert (observation.state, observation.submitted_at) == (ObservationState.IN_PROGRESS, None)
    seen = visit_in(world, ObservationState.ACKNOWLEDGED)
    with pytest.raises(TransitionRefusedError):
        services.visit_reopen(actor=actor, observation=seen)


# --- the teacher --------------------------------------------------------------------------------------


def test_the_teacher_reacts_and_acknowledges(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED)
    actor = actor_of(world.teacher, world.board_a)
    services.reaction_save(actor=actor, observation=observation, reaction="Eerste gedachte")
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_acknowledge(actor=actor, observation=observation, reaction="Dank voor de tips")
    observation.refresh_from_db()
    assert observation.state == ObservationState.ACKNOWLEDGED
    assert observation.teacher_reaction == "Dank voor de tips"
    assert observation.acknowledged_at is not None
    assert [m.to for m in mailoutbox] == [[world.manager.email]]
    with pytest.raises(TransitionRefusedError):
        services.reaction_save(actor=actor, observation=observation, reaction="Later")
    with pytest.raises(TransitionRefusedError):
        services.visit_acknowledge(actor=actor, observation=observation)


def test_only_the_teacher_acknowledges(world: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED)
    for person in (world.manager, world.quality_officer):
        with pytest.raises(PermissionDenied):
            services.visit_acknowledge(actor=actor_of(person, world.board_a), observation=observation)
    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED


def test_an_agreement_becomes_a_pop_goal_once(world: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED, agreements=("Werken met een instructietafel",))
    agreement = ObservationAgreement.objects.get(observation=observation)
    actor = actor_of(world.teacher, world.board_a)
    goal, created = services.agreement_goal_create(actor=actor, agreement=agreement)
    assert created
    assert goal.title == "Werken met een instructietafel"
    assert goal.plan.person_id == world.teacher.pk
    agreement.refresh_from_db()
    assert agreement.goal_id == goal.pk
    again, created_again = services.agreement_goal_create(actor=actor, agreement=agreement)
    assert (again.pk, created_again) == (goal.pk, False)
    assert Goal.objects.count() == 1


def test_an_agreement_is_no_goal_before_the_visit_is_put_forward(world: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS, agreements=("Nog een concept",))
    agreement = ObservationAgreement.objects.get(observation=observation)
    with pytest.raises(TransitionRefusedError):
        services.agreement_goal_create(actor=actor_of(world.teacher, world.board_a), agreement=agreement)
    with pytest.raises(PermissionDenied):
        services.agreement_goal_create(actor=actor_of(world.manager, world.board_a), agreement=agreement)
    assert not Goal.objects.exists()


# --- every state move ---------------------------------------------------------------------------------


def _do(world: Any, action: str, observation: Observation) -> None:
    observer = actor_of(world.manager, world.board_a)
    if action == "start":
        services.scores_save(
            actor=observer, observation=observation, changes=[change(items_of(observation.instrument)[1], 1)]
        )
    elif action == "submit":
        services.visit_submit(actor=observer, observation=observation)
    elif action == "reopen":
        services.visit_reopen(actor=observer, observation=observation)
    elif action == "acknowledge":
        services.visit_acknowledge(actor=actor_of(world.teacher, world.board_a), observation=observation)
    elif action == "cancel":
        services.visit_cancel(actor=observer, observation=observation)
    else:  # pragma: no cover - a new action in the machine needs a line here
        raise AssertionError(action)


@pytest.mark.parametrize("action", OBSERVATION_MACHINE.actions)
@pytest.mark.parametrize("state", ObservationState.values)
def test_every_move_is_allowed_exactly_where_the_machine_says(world: Any, state: str, action: str) -> None:
    observation = visit_in(world, state, scores=[2])
    before = events_of(observation)
    allowed = OBSERVATION_MACHINE.allows(state, action)
    if action == "start" and state == ObservationState.IN_PROGRESS:
        _do(world, action, observation)  # scoring goes on: no move, no history row
        observation.refresh_from_db()
        assert observation.state == state
        assert events_of(observation) == before
        return
    if allowed:
        _do(world, action, observation)
        observation.refresh_from_db()
        assert observation.state == OBSERVATION_MACHINE.transitions[action][state]
        assert events_of(observation) == [*before, action]
    else:
        with pytest.raises(TransitionRefusedError):
            _do(world, action, observation)
        observation.refresh_from_db()
        assert observation.state == state
        assert events_of(observation) == before
