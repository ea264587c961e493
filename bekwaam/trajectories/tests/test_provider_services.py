"""The aanbieder's services: accept (with the coach), review, additions, the interview (freeze and .ics), coaching
sessions and comments; every move allowed only from its state, refused for the wrong person, and a second
assessor told "already done"."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bekwaam.lib.states import TransitionRefusedError
from bekwaam.notifications.models import NotificationPreference
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import ProviderFactory, ProviderRoleGrantFactory
from bekwaam.trajectories.models import (
    CoachingSession,
    Comment,
    PortfolioReview,
    ReviewOutcome,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
)
from bekwaam.trajectories.services import coaching, review
from bekwaam.trajectories.tests.factories import assessor_build, item_build, template_build, trajectory_build

pytestmark = pytest.mark.django_db
S = TrajectoryState


def actor(person: Any) -> Any:
    return actor_for(person, None)


def build(world: Any, state: str, *, coach: bool = True, with_coaching: bool | None = None) -> Trajectory:
    trajectory = trajectory_build(
        candidate=world.manager,
        template=template_build(provider=world.provider, name=f"Sjabloon {state} {Trajectory.objects.count()}"),
        state=state,
        coach=world.coach if coach else None,
    )
    if with_coaching is not None:
        trajectory.with_coaching = with_coaching
        trajectory.save(update_fields=["with_coaching"])
    return trajectory


def events_of(trajectory: Trajectory) -> list[str]:
    return list(
        TrajectoryEvent.objects.filter(trajectory=trajectory).order_by("at", "id").values_list("action", flat=True)
    )


def calendar_of(message: Any) -> icalendar.Calendar | None:
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    if not parts:
        return None
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def soon(days: int = 7, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- accept ---------------------------------------------------------------------------------------------


def test_it_accepts_an_enrolment_with_the_chosen_coach_and_mails_both(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = build(world, S.ENROLLED, coach=False, with_coaching=True)
    with django_capture_on_commit_callbacks(execute=True):
        review.trajectory_accept(actor=actor(world.assessor), trajectory=trajectory, coach=world.coach)
    trajectory.refresh_from_db()
    assert trajectory.state == S.COLLECTING
    assert trajectory.coach_id == world.coach.pk
    assert events_of(trajectory) == ["start", "coach_assigned"]
    event = TrajectoryEvent.objects.get(trajectory=trajectory, action="start")
    assert (event.from_state, event.to_state, event.actor_id) == (S.ENROLLED, S.COLLECTING, world.assessor.pk)
    assert sorted(message.to[0] for message in mailoutbox) == sorted([world.manager.email, world.coach.email])


def test_it_accepts_without_coaching_when_none_was_asked(world: Any) -> None:
    trajectory = build(world, S.ENROLLED, coach=False)
    review.trajectory_accept(actor=actor(world.assessor), trajectory=trajectory)
    trajectory.refresh_from_db()
    assert (trajectory.state, trajectory.coach_id) == (S.COLLECTING, None)


def test_it_asks_for_a_coach_when_the_candidate_chose_coaching(world: Any) -> None:
    trajectory = build(world, S.ENROLLED, coach=False, with_coaching=True)
    with pytest.raises(ValidationError) as error:
        review.trajectory_accept(actor=actor(world.assessor), trajectory=trajectory)
    assert "coach" in error.value.error_dict
    trajectory.refresh_from_db()
    assert trajectory.state == S.ENROLLED


def test_it_refuses_the_candidate_as_their_own_coach(world: Any) -> None:
    ProviderRoleGrantFactory(person=world.manager, provider=world.provider, role=Role.COACH)
    trajectory = build(world, S.ENROLLED, coach=False, with_coaching=True)
    with pytest.raises(ValidationError) as error:
        review.trajectory_accept(actor=actor(world.assessor), trajectory=trajectory, coach=world.manager)
    assert "coach" in error.value.error_dict
    trajectory.refresh_from_db()
    assert (trajectory.state, trajectory.coach_id) == (S.ENROLLED, None)


def test_it_refuses_a_coach_who_is_not_a_coach_of_the_aanbieder(world: Any) -> None:
    trajectory = build(world, S.ENROLLED, coach=False, with_coaching=True)
    with pytest.raises(ValidationError) as error:
        review.trajectory_accept(actor=actor(world.assessor), trajectory=trajectory, coach=world.assessor)
    assert "coach" in error.value.error_dict


def test_a_second_assessor_is_told_the_enrolment_was_accepted_already(world: Any) -> None:
    second = assessor_build(provider=world.provider, email="tweede@academie.nl")
    trajectory = build(world, S.ENROLLED, coach=False)
    stale = Trajectory.objects.get(pk=trajectory.pk)  # the second assessor's page, loaded before the first acted
    review.trajectory_accept(actor=actor(world.assessor), trajectory=trajectory)
    with translation.override("en"), pytest.raises(TransitionRefusedError) as error:
        review.trajectory_accept(actor=actor(second), trajectory=stale)
    assert "done already" in error.value.messages[0]
    assert world.assessor.full_name in error.value.messages[0]
    assert events_of(trajectory) == ["start"]


# --- every move from its own state only -----------------------------------------------------------------

# Each step as (the state it starts from, step(person, trajectory)).
MOVES = {
    "accept": (S.ENROLLED, lambda p, t: review.trajectory_accept(actor=actor(p), trajectory=t)),
    "review_start": (S.ASSESSMENT_REQUESTED, lambda p, t: review.review_start(actor=actor(p), trajectory=t)),
    "additions": (
        S.UNDER_REVIEW,
        lambda p, t: review.additions_request(actor=actor(p), trajectory=t, missing="Meer bewijs"),
    ),
    "interview": (
        S.UNDER_REVIEW,
        lambda p, t: review.interview_plan(actor=actor(p), trajectory=t, at=soon(), location="Utrecht"),
    ),
    "interview_move": (
        S.INTERVIEW_PLANNED,
        lambda p, t: review.interview_move(actor=actor(p), trajectory=t, at=soon(9), location="Zwolle"),
    ),
}


@pytest.mark.parametrize("name", sorted(MOVES))
@pytest.mark.parametrize("state", TrajectoryState.values)
def test_each_step_is_possible_from_its_own_state_only(world: Any, name: str, state: str) -> None:
    source, step = MOVES[name]
    trajectory = build(world, state, coach=False)
    before = (trajectory.state, events_of(trajectory))
    if state == source:
        step(world.assessor, trajectory)
        trajectory.refresh_from_db()
        assert events_of(trajectory) != before[1]
    else:
        with pytest.raises(TransitionRefusedError):
            step(world.assessor, trajectory)
        trajectory.refresh_from_db()
        assert (trajectory.state, events_of(trajectory)) == before


@pytest.mark.parametrize("name", sorted(MOVES))
@pytest.mark.parametrize("persona", ["coach", "manager", "teacher"])
def test_only_an_assessor_of_the_aanbieder_takes_the_steps(world: Any, name: str, persona: str) -> None:
    source, step = MOVES[name]
    trajectory = build(world, source)
    with pytest.raises(PermissionDenied):
        step(world.persona(persona), trajectory)
    trajectory.refresh_from_db()
    assert trajectory.state == source


# --- the review -----------------------------------------------------------------------------------------


def test_it_starts_the_review(world: Any) -> None:
    trajectory = build(world, S.ASSESSMENT_REQUESTED)
    review.review_start(actor=actor(world.assessor), trajectory=trajectory)
    assert trajectory.state == S.UNDER_REVIEW
    assert Trajectory.objects.get(pk=trajectory.pk).state == S.UNDER_REVIEW


def test_it_asks_for_additions_with_what_is_missing_and_mails_the_candidate(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        made = review.additions_request(
            actor=actor(world.assessor), trajectory=trajectory, missing="  Een verslag van de studiedag.  "
        )
    trajectory.refresh_from_db()
    assert trajectory.state == S.ADDITIONS_REQUESTED
    assert trajectory.additions_requested == "Een verslag van de studiedag."
    assert (made.outcome, made.missing, made.assessor_id) == (
        ReviewOutcome.NEEDS_ADDITIONS,
        "Een verslag van de studiedag.",
        world.assessor.pk,
    )
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted([world.manager.email, world.coach.email])
    to_candidate = next(message for message in mailoutbox if message.to == [world.manager.email])
    assert "Een verslag van de studiedag." in to_candidate.body


def test_it_needs_to_know_what_is_missing(world: Any) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        review.additions_request(actor=actor(world.assessor), trajectory=trajectory, missing="   ")
    assert "missing" in error.value.error_dict
    assert not PortfolioReview.objects.filter(trajectory=trajectory).exists()


# --- the interview --------------------------------------------------------------------------------------


def test_planning_the_interview_freezes_the_portfolio_with_its_hash(world: Any) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    at = soon()
    review.interview_plan(actor=actor(world.assessor), trajectory=trajectory, at=at, location="  Utrecht, zaal 3 ")
    trajectory.refresh_from_db()
    assert trajectory.state == S.INTERVIEW_PLANNED
    assert (trajectory.interview_at, trajectory.interview_location) == (at, "Utrecht, zaal 3")
    assert trajectory.frozen_at is not None
    canonical = json.dumps(trajectory.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert trajectory.snapshot_hash == hashlib.sha256(canonical.encode()).hexdigest()
    titles = {item["title"] for a in trajectory.snapshot["assignments"] for item in a["items"]}
    assert titles == set(trajectory.items.values_list("title", flat=True))
    assert PortfolioReview.objects.filter(trajectory=trajectory, outcome=ReviewOutcome.INTERVIEW).count() == 1


def test_it_mails_an_invitation_to_candidate_coach_and_assessors(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    second = assessor_build(provider=world.provider, email="tweede@academie.nl")
    assessor_build(provider=ProviderFactory(), email="elders@andere.nl")
    trajectory = build(world, S.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        review.interview_plan(actor=actor(world.assessor), trajectory=trajectory, at=soon(), location="Utrecht")
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted([world.manager.email, world.coach.email, world.assessor.email, second.email])
    for message in mailoutbox:
        calendar = calendar_of(message)
        assert calendar is not None
        assert str(calendar["method"]) == "REQUEST"
        [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
        assert str(event["uid"]).startswith(f"trajectory-interview-{trajectory.pk}@")
        assert int(event["sequence"]) == 0
        assert event.decoded("dtstart") == soon()
        assert str(event["location"]) == "Utrecht"
        attendees = {str(a).removeprefix("mailto:") for a in event.get("attendee")}
        assert attendees == {world.manager.email, world.coach.email, world.assessor.email, second.email}
        assert str(event["organizer"]).removeprefix("mailto:") == world.assessor.email


def test_moving_the_interview_keeps_the_uid_and_raises_the_sequence(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    review.interview_plan(actor=actor(world.assessor), trajectory=trajectory, at=soon(), location="Utrecht")
    frozen = (trajectory.snapshot_hash, trajectory.frozen_at)
    for number, days in enumerate((8, 9), start=1):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            review.interview_move(actor=actor(world.assessor), trajectory=trajectory, at=soon(days), location="Zwolle")
        [event] = [c for c in calendar_of(mailoutbox[0]).walk() if c.name == "VEVENT"]
        assert str(event["uid"]).startswith(f"trajectory-interview-{trajectory.pk}@")
        assert int(event["sequence"]) == number
        assert event.decoded("dtstart") == soon(days)
    trajectory.refresh_from_db()
    assert (trajectory.snapshot_hash, trajectory.frozen_at) == frozen
    assert events_of(trajectory).count("replan_interview") == 2


def test_moving_to_the_same_moment_changes_nothing(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    review.interview_plan(actor=actor(world.assessor), trajectory=trajectory, at=soon(), location="Utrecht")
    with django_capture_on_commit_callbacks(execute=True):
        review.interview_move(actor=actor(world.assessor), trajectory=trajectory, at=soon(), location="Utrecht")
    assert mailoutbox == []
    assert "replan_interview" not in events_of(trajectory)


def test_a_second_assessor_planning_at_once_is_told_it_is_done(world: Any) -> None:
    second = assessor_build(provider=world.provider, email="tweede@academie.nl")
    trajectory = build(world, S.UNDER_REVIEW)
    stale = Trajectory.objects.get(pk=trajectory.pk)
    review.interview_plan(actor=actor(world.assessor), trajectory=trajectory, at=soon(), location="Utrecht")
    with translation.override("en"), pytest.raises(TransitionRefusedError) as error:
        review.interview_plan(actor=actor(second), trajectory=stale, at=soon(9), location="Zwolle")
    assert "done already" in error.value.messages[0]
    trajectory.refresh_from_db()
    assert (trajectory.interview_location, trajectory.interview_at) == ("Utrecht", soon())


@pytest.mark.parametrize(
    ("at", "location", "field"),
    [
        (lambda: timezone.now() - datetime.timedelta(hours=1), "Utrecht", "date"),
        (lambda: timezone.now() + datetime.timedelta(days=400), "Utrecht", "date"),
        (lambda: soon(), "   ", "location"),
        (lambda: soon(), "x" * 201, "location"),
    ],
)
def test_it_refuses_an_interview_in_the_past_or_without_a_place(world: Any, at: Any, location: str, field: str) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        review.interview_plan(actor=actor(world.assessor), trajectory=trajectory, at=at(), location=location)
    assert field in error.value.error_dict
    trajectory.refresh_from_db()
    assert (trajectory.state, trajectory.frozen_at) == (S.UNDER_REVIEW, None)


# --- coaching sessions ----------------------------------------------------------------------------------


def test_the_coach_records_a_session_the_candidate_is_told(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = build(world, S.COLLECTING)
    with django_capture_on_commit_callbacks(execute=True):
        session = coaching.coaching_session_create(
            actor=actor(world.coach), trajectory=trajectory, held_on=timezone.localdate(), summary=" Over visie. "
        )
    assert (session.coach_id, session.summary, session.held_on) == (world.coach.pk, "Over visie.", timezone.localdate())
    assert events_of(trajectory)[-1] == "coaching_session"
    assert [message.to for message in mailoutbox] == [[world.manager.email]]


@pytest.mark.parametrize(
    ("days", "summary", "field"),
    [(1, "Gepland gesprek", "held_on"), (-400, "Te vroeg", "held_on"), (0, "   ", "summary")],
)
def test_a_session_is_recorded_once_held_after_the_enrolment(world: Any, days: int, summary: str, field: str) -> None:
    trajectory = build(world, S.COLLECTING)
    with pytest.raises(ValidationError) as error:
        coaching.coaching_session_create(
            actor=actor(world.coach),
            trajectory=trajectory,
            held_on=timezone.localdate() + datetime.timedelta(days=days),
            summary=summary,
        )
    assert field in error.value.error_dict
    assert not CoachingSession.objects.exists()


@pytest.mark.parametrize("persona", ["assessor", "manager"])
def test_only_the_coach_of_the_trajectory_records_sessions(world: Any, persona: str) -> None:
    trajectory = build(world, S.COLLECTING)
    with pytest.raises(PermissionDenied):
        coaching.coaching_session_create(
            actor=actor(world.persona(persona)), trajectory=trajectory, held_on=timezone.localdate(), summary="Iets"
        )


def test_another_coach_of_the_aanbieder_does_not_record_sessions(world: Any) -> None:
    other = assessor_build(provider=world.provider, email="coach2@academie.nl", role=Role.COACH)
    trajectory = build(world, S.COLLECTING)
    with pytest.raises(PermissionDenied):
        coaching.coaching_session_create(
            actor=actor(other), trajectory=trajectory, held_on=timezone.localdate(), summary="Iets"
        )


@pytest.mark.parametrize("state", [S.CERTIFIED, S.ADVISED, S.WITHDRAWN])
def test_nothing_is_added_to_a_closed_trajectory(world: Any, state: str) -> None:
    trajectory = build(world, state)
    with pytest.raises(TransitionRefusedError):
        coaching.coaching_session_create(
            actor=actor(world.coach), trajectory=trajectory, held_on=timezone.localdate(), summary="Iets"
        )
    with pytest.raises(TransitionRefusedError):
        coaching.comment_create(actor=actor(world.assessor), trajectory=trajectory, body="Iets")
    assert not CoachingSession.objects.exists()
    assert not Comment.objects.exists()


# --- comments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["assessor", "coach"])
def test_coach_and_assessor_comment_on_an_item_of_the_submitted_portfolio(
    world: Any, persona: str, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    item = trajectory.items.first()
    with django_capture_on_commit_callbacks(execute=True):
        comment = coaching.comment_create(
            actor=actor(world.persona(persona)), trajectory=trajectory, body="Mooi voorbeeld.", item_id=item.pk
        )
    assert (comment.item_id, comment.author_id, comment.body) == (item.pk, world.persona(persona).pk, "Mooi voorbeeld.")
    assert [message.to for message in mailoutbox] == [[world.manager.email]]


def test_before_submission_a_comment_is_on_the_whole_portfolio_only(world: Any) -> None:
    trajectory = build(world, S.COLLECTING)
    item = trajectory_build(  # an item exists, but the coach may not see it yet
        candidate=world.manager, template=trajectory.template, state=S.COLLECTING, complete=True
    ).items.first()
    own = trajectory.assignments.first()
    hidden = item_build(trajectory=trajectory, assignment=own)
    with pytest.raises(ValidationError):
        coaching.comment_create(actor=actor(world.coach), trajectory=trajectory, body="Hmm", item_id=hidden.pk)
    with pytest.raises(ValidationError):
        coaching.comment_create(actor=actor(world.coach), trajectory=trajectory, body="Hmm", item_id=item.pk)
    comment = coaching.comment_create(actor=actor(world.coach), trajectory=trajectory, body="Succes!")
    assert comment.item_id is None


def test_a_comment_on_an_item_of_another_trajectory_is_refused(world: Any) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    other = build(world, S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        coaching.comment_create(
            actor=actor(world.assessor), trajectory=trajectory, body="Hmm", item_id=other.items.first().pk
        )
    assert "item" in error.value.error_dict


@pytest.mark.parametrize("persona", ["manager", "teacher"])
def test_the_candidate_and_others_do_not_comment_here(world: Any, persona: str) -> None:
    trajectory = build(world, S.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        coaching.comment_create(actor=actor(world.persona(persona)), trajectory=trajectory, body="Hallo")


def test_the_mail_respects_the_candidates_preference(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    NotificationPreference.objects.create(person=world.manager, updates=False)
    trajectory = build(world, S.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        coaching.comment_create(actor=actor(world.assessor), trajectory=trajectory, body="Hallo")
        review.additions_request(actor=actor(world.assessor), trajectory=trajectory, missing="Meer bewijs")
    # The comment is an update (turned off); a request for additions is essential (always sent).
    to_candidate = [message for message in mailoutbox if message.to == [world.manager.email]]
    assert len(to_candidate) == 1
    assert "Meer bewijs" in to_candidate[0].body
