"""Calibration: adding a second observer (who, when, refusals, the e-mail), the blind rule at every state for
both observers and the viewers, what the teacher sees, and the comparison's figures."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.observations.models import Observation, ObservationEvent, ObservationKind, ObservationState
from bekwaam.observations.selectors.calibration import (
    CALIBRATION_ADD_DAYS,
    calibration_blinds,
    calibration_compared,
    calibration_panel_for,
)
from bekwaam.observations.services.calibration import calibration_add
from bekwaam.observations.tests.factories import instrument_build, items_of, observation_build
from bekwaam.observations.tests.factories_reports import actor_of, calibration_build, move, observer_build
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db

STATES = (
    ObservationState.PLANNED,
    ObservationState.IN_PROGRESS,
    ObservationState.SUBMITTED,
    ObservationState.ACKNOWLEDGED,
)
PUT_FORWARD = (ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED)
FIRST = [1, 2, 3, 4, 4, 3]
SECOND = [1, 3, 3, 4, 2, None]


@pytest.fixture
def instrument(world: Any) -> Any:
    return instrument_build(board=world.board_a)


@pytest.fixture
def visit(world: Any, instrument: Any) -> Observation:
    """The manager's (leidinggevende) visit to the teacher, today."""
    return observation_build(teacher=world.teacher, observer=world.manager, instrument=instrument)


@pytest.fixture
def other_leader(world: Any) -> Any:
    """A school leader of the other school of board A: observes lessons, but the teacher is not in their team."""
    return observer_build(board=world.board_a, school=world.school_a2, email="leider2@alfa.nl")


def panel(person: Any, observation: Observation, world: Any) -> dict[str, Any] | None:
    return calibration_panel_for(actor=actor_of(person, world.board_a), observation=observation)


# --- adding a second observer ----------------------------------------------------------------------


def test_it_adds_the_second_observers_observation_of_the_same_lesson(
    world: Any, visit: Observation, django_capture_on_commit_callbacks: Any
) -> None:
    visit.start_time = datetime.time(9, 30)
    visit.focus = "Instructie"
    visit.save()
    visit.focus_items.set(items_of(visit.instrument)[:2])
    with django_capture_on_commit_callbacks(execute=True):
        second = calibration_add(
            actor=actor_of(world.manager, world.board_a), observation=visit, observer=world.quality_officer
        )
    second.refresh_from_db()
    assert second.calibrates_id == visit.pk
    assert second.observer == world.quality_officer
    assert second.kind == ObservationKind.VISIT
    assert second.state == ObservationState.PLANNED
    for name in (
        "teacher_id",
        "employment_id",
        "school_id",
        "board_id",
        "group",
        "date",
        "start_time",
        "subject",
        "instrument_id",
        "focus",
    ):
        assert getattr(second, name) == getattr(visit, name), name
    assert set(second.focus_items.all()) == set(visit.focus_items.all())
    assert second.created_by == world.manager
    assert ObservationEvent.objects.filter(observation=second, action="plan").exists()
    assert ObservationEvent.objects.filter(observation=visit, action="calibration_added").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.quality_officer.email]
    assert str(second.pk) in message.body
    assert world.manager.full_name in message.body


def test_a_quality_officer_adds_a_second_observer_to_someone_elses_visit(
    world: Any, visit: Observation, other_leader: Any
) -> None:
    second = calibration_add(
        actor=actor_of(world.quality_officer, world.board_a), observation=visit, observer=other_leader
    )
    assert second.observer == other_leader


@pytest.mark.parametrize("persona", ["teacher", "colleague", "board_member", "administrator"])
def test_others_may_not_add_a_second_observer(world: Any, visit: Observation, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        calibration_add(
            actor=actor_of(world.persona(persona), world.board_a), observation=visit, observer=world.quality_officer
        )
    assert not Observation.objects.filter(calibrates=visit).exists()


def test_it_refuses_a_peer_visit_and_a_calibration_itself(world: Any, instrument: Any, visit: Observation) -> None:
    peer = observation_build(
        teacher=world.teacher, observer=world.colleague, instrument=instrument, kind=ObservationKind.PEER
    )
    with pytest.raises(PermissionDenied):
        calibration_add(
            actor=actor_of(world.colleague, world.board_a), observation=peer, observer=world.quality_officer
        )
    second = calibration_build(primary=visit, observer=world.quality_officer)
    with pytest.raises(PermissionDenied):
        calibration_add(
            actor=actor_of(world.quality_officer, world.board_a), observation=second, observer=world.manager
        )


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("teacher", "observer"),
        ("manager", "observer"),
        ("colleague", "observer"),
        ("outsider", "observer"),
        ("outsider_admin", "observer"),
    ],
)
def test_it_refuses_an_observer_who_cannot_be_the_second(world: Any, visit: Observation, who: str, field: str) -> None:
    """The teacher, the visit's own observer, a colleague who does not observe lessons, people of board B."""
    with pytest.raises(ValidationError) as refused:
        calibration_add(actor=actor_of(world.manager, world.board_a), observation=visit, observer=world.persona(who))
    assert field in refused.value.message_dict
    assert not Observation.objects.filter(calibrates=visit).exists()


def test_it_refuses_a_leader_who_has_left_the_board(world: Any, visit: Observation, other_leader: Any) -> None:
    other_leader.employments.update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        calibration_add(actor=actor_of(world.manager, world.board_a), observation=visit, observer=other_leader)


def test_it_keeps_one_second_observer_at_a_time(world: Any, visit: Observation, other_leader: Any) -> None:
    actor = actor_of(world.manager, world.board_a)
    first = calibration_add(actor=actor, observation=visit, observer=world.quality_officer)
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        calibration_add(actor=actor, observation=visit, observer=other_leader)
    move(first, ObservationState.CANCELLED)
    replacement = calibration_add(actor=actor, observation=visit, observer=other_leader)
    assert replacement.observer == other_leader


def test_it_refuses_a_cancelled_visit_and_a_lesson_long_ago(world: Any, instrument: Any, visit: Observation) -> None:
    actor = actor_of(world.manager, world.board_a)
    move(visit, ObservationState.CANCELLED)
    with pytest.raises(ValidationError):
        calibration_add(actor=actor, observation=visit, observer=world.quality_officer)
    late = timezone.localdate() - datetime.timedelta(days=CALIBRATION_ADD_DAYS + 1)
    old = observation_build(
        teacher=world.teacher,
        observer=world.manager,
        instrument=instrument,
        state=ObservationState.SUBMITTED,
        date=late,
    )
    with pytest.raises(ValidationError, match=str(CALIBRATION_ADD_DAYS)):
        calibration_add(actor=actor, observation=old, observer=world.quality_officer)
    recent = observation_build(
        teacher=world.teacher,
        observer=world.manager,
        instrument=instrument,
        state=ObservationState.SUBMITTED,
        date=late + datetime.timedelta(days=1),
    )
    assert calibration_add(actor=actor, observation=recent, observer=world.quality_officer).calibrates == recent


def test_the_page_adds_a_second_observer_and_shows_errors_on_the_form(
    world: Any, client_for: Any, visit: Observation
) -> None:
    path = reverse("observations:calibration-add", kwargs={"observation_id": visit.pk})
    client = client_for(world.manager)
    refused = client.post(path, {"observer": str(world.teacher.pk)})
    assert refused.status_code == 400
    assert b'id="error-summary"' in refused.content
    assert not Observation.objects.filter(calibrates=visit).exists()
    done = client.post(path, {"observer": str(world.quality_officer.pk)})
    assert done.status_code == 302
    assert done["Location"] == reverse("observations:visit-detail", kwargs={"observation_id": visit.pk})
    again = client.post(path, {"observer": str(world.quality_officer.pk)})
    assert again.status_code == 400
    assert Observation.objects.filter(calibrates=visit).count() == 1


# --- the panel and the blind rule --------------------------------------------------------------------


def test_the_observer_gets_the_form_until_there_is_a_second_observer(
    world: Any, visit: Observation, other_leader: Any
) -> None:
    mine = panel(world.manager, visit, world)
    assert mine is not None
    assert mine["may_add"]
    choices = list(mine["form"].fields["observer"].queryset)
    assert world.quality_officer in choices
    assert other_leader in choices
    assert world.manager not in choices
    assert world.teacher not in choices
    assert world.colleague not in choices
    assert world.outsider not in choices
    assert panel(world.teacher, visit, world) is None  # nothing to tell the teacher yet
    assert panel(world.colleague, visit, world) is None
    calibration_build(primary=visit, observer=world.quality_officer)
    mine = panel(world.manager, visit, world)
    assert mine is not None
    assert not mine["may_add"]
    assert mine["form"] is None


@pytest.mark.parametrize(("first_state", "second_state"), list(itertools.product(STATES, STATES)))
def test_neither_observer_sees_the_others_scores_until_both_put_forward(
    world: Any, visit: Observation, other_leader: Any, first_state: str, second_state: str
) -> None:
    move(visit, first_state)
    visit.scores.all().delete()
    from bekwaam.observations.models import ObservationScore

    items = items_of(visit.instrument)
    ObservationScore.objects.bulk_create(
        ObservationScore(board=world.board_a, observation=visit, item=item, value=value)
        for item, value in zip(items, FIRST, strict=True)
    )
    second = calibration_build(primary=visit, observer=other_leader, state=second_state, scores=SECOND)
    comparable = first_state in PUT_FORWARD and second_state in PUT_FORWARD
    # Both observers, on either page, and the viewers (kwaliteitsmedewerker, the teacher's leidinggevende is the
    # first observer here) see the comparison exactly when both are put forward.
    for person, observation in (
        (world.manager, visit),
        (world.manager, second),
        (other_leader, second),
        (world.quality_officer, visit),
        (world.quality_officer, second),
    ):
        shown = panel(person, observation, world)
        assert shown is not None
        assert shown["comparable"] is comparable
        assert (shown["comparison"] is not None) is comparable
        assert {side.observation.pk for side in shown["sides"]} == {visit.pk, second.pk}
    # The second observer, who may not open the visit itself, never learns its scores before.
    assert calibration_blinds(actor=actor_of(other_leader, world.board_a), observation=visit) is (
        second_state not in PUT_FORWARD
    )
    assert calibration_blinds(actor=actor_of(world.manager, world.board_a), observation=second) is (
        first_state not in PUT_FORWARD
    )
    assert calibration_compared(observation=visit) is comparable
    # The teacher: only that a second observer scored the lesson, never scores.
    teachers = panel(world.teacher, visit, world)
    assert teachers == {"relation": "teacher", "second_observers": [other_leader.full_name]}
    assert panel(world.teacher, second, world) is None
    assert panel(world.colleague, visit, world) is None


@pytest.mark.parametrize(("first_state", "second_state"), list(itertools.product(STATES, STATES)))
def test_the_comparison_page_is_blind_too(
    world: Any, client_for: Any, visit: Observation, other_leader: Any, first_state: str, second_state: str
) -> None:
    move(visit, first_state)
    calibration_build(primary=visit, observer=other_leader, state=second_state, scores=SECOND)
    path = reverse("observations:calibration-detail", kwargs={"observation_id": visit.pk})
    comparable = first_state in PUT_FORWARD and second_state in PUT_FORWARD
    for person in (world.manager, other_leader, world.quality_officer):
        response = client_for(person).get(path)
        assert response.status_code == 200
        page = response.content.decode()
        assert ('data-testid="calibration-comparison"' in page) is comparable
        assert ('data-testid="calibration-blind"' in page) is not comparable
        assert ("data-first=" in page) is comparable
    for persona in ("teacher", "colleague", "board_member", "administrator", "outsider_admin"):
        assert client_for(world.persona(persona)).get(path).status_code == 404


def test_the_comparison_has_the_scores_side_by_side_with_agreement(
    world: Any, client_for: Any, instrument: Any, other_leader: Any
) -> None:
    visit = observation_build(
        teacher=world.teacher, observer=world.manager, instrument=instrument, state="submitted", scores=FIRST
    )
    calibration_build(primary=visit, observer=other_leader, state="submitted", scores=SECOND)
    shown = panel(other_leader, visit, world)
    assert shown is not None
    comparison = shown["comparison"]
    assert [(row.first, row.second) for row in comparison.items] == list(zip(FIRST, SECOND, strict=True))
    assert [row.equal for row in comparison.items] == [True, False, True, True, False, None]
    # Domain 1: (1,1) (2,3) (3,3): 2 of 3 the same; domain 2: (4,4) (4,2): 1 of 2; overall 3 of 5.
    assert (comparison.domains[0].agreement.agreed, comparison.domains[0].agreement.pairs) == (2, 3)
    assert (comparison.domains[1].agreement.agreed, comparison.domains[1].agreement.pairs) == (1, 2)
    assert comparison.overall.exact == pytest.approx(3 / 5)
    # Overall kappa by hand: rows (A) 1,2,3,4,4 → {1:1,2:1,3:1,4:2}; columns (B) 1,3,3,4,2 → {1:1,2:1,3:2,4:1};
    # n·agreed - Σ r·c = 5·3 - (1 + 1 + 2 + 2) = 9; n² - Σ = 25 - 6 = 19 → 9/19.
    assert comparison.overall.kappa == pytest.approx(9 / 19)
    # Domain 2 has A = (4, 4): kappa from rows {4:2}, columns {4:1, 2:1}: (2·1 - 2)/(4 - 2) = 0.
    assert comparison.domains[1].agreement.kappa == pytest.approx(0.0)
    page = client_for(world.manager).get(
        reverse("observations:calibration-detail", kwargs={"observation_id": visit.pk})
    )
    content = page.content.decode()
    assert 'data-first="2" data-second="3" data-equal="no"' in content
    assert 'data-kappa="0.47"' in content
    assert content.count('role="img"') == 1


def test_a_panel_says_when_kappa_is_undefined(world: Any, instrument: Any, other_leader: Any) -> None:
    visit = observation_build(
        teacher=world.teacher, observer=world.manager, instrument=instrument, state="submitted", scores=[3] * 6
    )
    calibration_build(primary=visit, observer=other_leader, state="submitted", scores=[3] * 6)
    shown = panel(world.manager, visit, world)
    assert shown is not None
    assert shown["comparison"].overall.kappa is None
    assert shown["comparison"].overall.agreement_only
    assert shown["comparison"].overall.exact == 1.0


def test_a_cancelled_second_observer_leaves_the_panel(world: Any, visit: Observation, other_leader: Any) -> None:
    second = calibration_build(primary=visit, observer=other_leader)
    move(second, ObservationState.CANCELLED)
    assert panel(other_leader, second, world) is None
    mine = panel(world.manager, visit, world)
    assert mine is not None
    assert mine["partner"] is None
    assert mine["may_add"]
    assert panel(world.teacher, visit, world) is None


def test_nothing_is_shown_across_boards(world: Any, visit: Observation, other_leader: Any) -> None:
    calibration_build(primary=visit, observer=other_leader)
    outsider_leader = PersonFactory(email="leider@beta.nl")
    EmploymentFactory(person=outsider_leader, school=world.school_b)
    assert calibration_panel_for(actor=actor_of(world.outsider_admin, world.board_b), observation=visit) is None
    assert calibration_panel_for(actor=actor_of(outsider_leader, world.board_b), observation=visit) is None


def test_the_comparison_runs_a_fixed_number_of_queries(
    world: Any, client_for: Any, instrument: Any, other_leader: Any, django_assert_max_num_queries: Any
) -> None:
    visit = observation_build(
        teacher=world.teacher, observer=world.manager, instrument=instrument, state="submitted", scores=FIRST
    )
    calibration_build(primary=visit, observer=other_leader, state="submitted", scores=SECOND)
    # Other calibrated visits at the board change nothing on this page.
    for n in range(10):
        other = observation_build(
            teacher=world.colleague, observer=world.manager, instrument=instrument, state="submitted", scores=FIRST
        )
        calibration_build(primary=other, observer=other_leader, state="submitted", scores=[n % 4 + 1] * 6)
    client = client_for(other_leader)
    path = reverse("observations:calibration-detail", kwargs={"observation_id": visit.pk})
    with django_assert_max_num_queries(13):
        assert client.get(path).status_code == 200
    actor = actor_of(world.manager, world.board_a)
    with django_assert_max_num_queries(4):
        shown = calibration_panel_for(actor=actor, observation=visit)
        assert shown is not None
        assert shown["comparison"] is not None
