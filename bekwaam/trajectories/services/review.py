"""The aanbieder's moves of a trajectory: accept the enrolment (and choose the coach), start the review, ask
for additions, plan (or move) the criteriumgericht interview.

Each service checks its rule by name, runs in one transaction, locks the trajectory row (select_for_update)
and decides on the locked copy: the move goes through TRAJECTORY_MACHINE with a TrajectoryEvent, so when two
assessors press the same button at once the second is refused with "already done" instead of doing it twice.
E-mails go out through a task on commit (trajectories.tasks_provider).

Planning the interview freezes the portfolio: the canonical snapshot and its SHA-256 (services.portfolio)
are stored on the trajectory; the candidate cannot change the portfolio from then on (EDITABLE_STATES).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.lib.states import TransitionRefusedError
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize
from bekwaam.trajectories.models import (
    TRAJECTORY_MACHINE,
    PortfolioReview,
    ReviewOutcome,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
)
from bekwaam.trajectories.selectors.provider import (
    assessors_of,
    coach_choices_for,
    state_label,
    trajectory_locked,
)

ASSESS = "trajectories.assess"
MISSING_MAX = 5_000
LOCATION_MAX = 200
# An interview is planned at least a little ahead, and within a year (a later date is a typo).
PLAN_AHEAD = datetime.timedelta(minutes=5)
PLAN_WINDOW = datetime.timedelta(days=366)


# --- helpers shared by the aanbieder's services --------------------------------------------------------


def event_write(*, actor: Actor, trajectory: Trajectory, action: str, before: str = "", note: str = "") -> None:
    """The trajectory's history row for a step (a move when `before` differs from the state now)."""
    TrajectoryEvent.objects.create(
        trajectory=trajectory,
        actor=actor.person,
        action=action,
        from_state=before,
        to_state=trajectory.state if before else "",
        note=note,
    )


def _already_done(locked: Trajectory, action: str) -> TransitionRefusedError | None:
    """When the locked row is where `action` leads, someone else took the step first: say who and when."""
    if locked.state not in set(TRAJECTORY_MACHINE.transitions[action].values()):
        return None
    with scopes_disabled():
        event = (
            TrajectoryEvent.objects.filter(trajectory_id=locked.pk, action=action)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
    if event is not None and event.actor is not None:
        return TransitionRefusedError(
            _("This has been done already, by %(name)s on %(date)s. The status is now “%(state)s”.")
            % {
                "name": event.actor.full_name,
                "date": timezone.localtime(event.at).strftime("%d-%m-%Y %H:%M"),
                "state": state_label(locked.state),
            }
        )
    return TransitionRefusedError(
        _("This has been done already. The status is now “%(state)s”.") % {"state": state_label(locked.state)}
    )


def move(*, actor: Actor, locked: Trajectory, action: str, update_fields: Sequence[str] = (), note: str = "") -> None:
    """The only writer of `state` on this side: the machine's move on the locked row, saved, with its event."""
    before = locked.state
    if not TRAJECTORY_MACHINE.allows(before, action):
        raise refusal(locked, action)
    locked.state = TRAJECTORY_MACHINE.move(before, action)
    locked.save(update_fields=["state", *update_fields])
    event_write(actor=actor, trajectory=locked, action=action, before=before, note=note)


def refusal(locked: Trajectory, action: str) -> TransitionRefusedError:
    """Why `action` is not possible on the locked row: done already by someone else, or the machine's refusal."""
    done = _already_done(locked, action)
    if done is not None:
        return done
    try:
        TRAJECTORY_MACHINE.move(locked.state, action)
    except TransitionRefusedError as error:
        return error
    raise AssertionError("the move is allowed")  # pragma: no cover


def notify(trajectory: Trajectory, notice: str, people: Iterable[Any]) -> None:
    """E-mail each person (once) about a step, sent by the task worker after the transaction commits."""
    from bekwaam.trajectories import tasks_provider as tasks

    trajectory_id = str(trajectory.pk)
    person_ids: list[str] = []
    for person in people:
        if person is not None and str(person.pk) not in person_ids:
            person_ids.append(str(person.pk))

    def send() -> None:
        for person_id in person_ids:
            tasks.trajectory_notice_send.enqueue(trajectory_id=trajectory_id, notice=notice, person_id=person_id)

    if person_ids:
        transaction.on_commit(send)


def _refresh(target: Trajectory, source: Trajectory, names: Sequence[str]) -> None:
    """Copy what the service wrote on the locked row back to the caller's object."""
    for name in ("state", *names):
        setattr(target, name, getattr(source, name))


# --- accept the enrolment -------------------------------------------------------------------------------


def trajectory_accept(*, actor: Actor, trajectory: Trajectory, coach: Any | None = None) -> Trajectory:
    """An assessor accepts the enrolment (ENROLLED → COLLECTING); with coaching, one of the aanbieder's coaches
    (never the candidate) is assigned. The candidate (and the coach) get an e-mail."""
    authorize(actor, ASSESS, trajectory)
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        if not TRAJECTORY_MACHINE.allows(locked.state, "start"):
            raise refusal(locked, "start")
        fields: list[str] = []
        if locked.with_coaching:
            if coach is None:
                raise ValidationError({"coach": _("Choose the coach: the candidate asked for coaching.")})
            if coach.pk == locked.candidate_id:
                raise ValidationError({"coach": _("The candidate cannot be their own coach.")})
            if not coach_choices_for(trajectory=locked).filter(pk=coach.pk).exists():
                raise ValidationError({"coach": _("Choose one of your organisation's coaches.")})
            locked.coach = coach
            fields.append("coach")
        move(actor=actor, locked=locked, action="start", update_fields=fields)
        if coach is not None and "coach" in fields:
            event_write(actor=actor, trajectory=locked, action="coach_assigned", note=coach.full_name)
            notify(locked, "coach_assigned", [coach])
        notify(locked, "accepted", [locked.candidate])
    _refresh(trajectory, locked, ("coach",))
    return trajectory


# --- the review ---------------------------------------------------------------------------------------


def review_start(*, actor: Actor, trajectory: Trajectory) -> Trajectory:
    """An assessor takes up a submitted portfolio (ASSESSMENT_REQUESTED → UNDER_REVIEW)."""
    authorize(actor, ASSESS, trajectory)
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        move(actor=actor, locked=locked, action="start_review")
    _refresh(trajectory, locked, ())
    return trajectory


def additions_request(*, actor: Actor, trajectory: Trajectory, missing: str) -> PortfolioReview:
    """The review finds the portfolio short (UNDER_REVIEW → ADDITIONS_REQUESTED): what is missing is recorded
    (PortfolioReview) and shown to the candidate, who gets an e-mail (their coach too)."""
    authorize(actor, ASSESS, trajectory)
    missing = missing.strip()
    if not missing:
        raise ValidationError({"missing": _("Say what is missing, so the candidate knows what to add.")})
    if len(missing) > MISSING_MAX:
        raise ValidationError({"missing": _("Keep it under %(max)d characters.") % {"max": MISSING_MAX}})
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        locked.additions_requested = missing
        move(actor=actor, locked=locked, action="request_additions", update_fields=["additions_requested"])
        review = PortfolioReview.objects.create(
            trajectory=locked, assessor=actor.person, outcome=ReviewOutcome.NEEDS_ADDITIONS, missing=missing
        )
        notify(locked, "additions_requested", [locked.candidate, locked.coach])
    _refresh(trajectory, locked, ("additions_requested",))
    return review


# --- the interview ------------------------------------------------------------------------------------


def _clean_interview(*, at: datetime.datetime, location: str) -> tuple[datetime.datetime, str]:
    errors: dict[str, str] = {}
    now = timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at < now + PLAN_AHEAD:
        errors["date"] = _("Choose a moment in the future.")
    elif at > now + PLAN_WINDOW:
        errors["date"] = _("Choose a date within a year from today.")
    location = location.strip()
    if not location:
        errors["location"] = _("Say where the interview takes place (an address or a video link).")
    elif len(location) > LOCATION_MAX:
        errors["location"] = _("Keep the location under %(max)d characters.") % {"max": LOCATION_MAX}
    if errors:
        raise ValidationError(errors)
    return at, location


def _invitees(locked: Trajectory) -> list[Any]:
    return [locked.candidate, locked.coach, *assessors_of(provider_id=locked.provider_id)]


def interview_plan(*, actor: Actor, trajectory: Trajectory, at: datetime.datetime, location: str) -> Trajectory:
    """Plan the criteriumgericht interview (UNDER_REVIEW → INTERVIEW_PLANNED) and freeze the portfolio: its
    canonical snapshot and SHA-256 are stored with frozen_at. Candidate, coach and the aanbieder's assessors
    get the calendar invitation (one UID per trajectory)."""
    from bekwaam.trajectories.services.portfolio import portfolio_snapshot

    authorize(actor, ASSESS, trajectory)
    at, location = _clean_interview(at=at, location=location)
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        if not TRAJECTORY_MACHINE.allows(locked.state, "plan_interview"):
            raise refusal(locked, "plan_interview")
        snapshot, digest = portfolio_snapshot(locked)
        locked.interview_at, locked.interview_location = at, location
        locked.snapshot, locked.snapshot_hash, locked.frozen_at = snapshot, digest, timezone.now()
        move(
            actor=actor,
            locked=locked,
            action="plan_interview",
            update_fields=["interview_at", "interview_location", "snapshot", "snapshot_hash", "frozen_at"],
            note=_when(at, location),
        )
        PortfolioReview.objects.create(trajectory=locked, assessor=actor.person, outcome=ReviewOutcome.INTERVIEW)
        notify(locked, "interview_planned", _invitees(locked))
    _refresh(trajectory, locked, ("interview_at", "interview_location", "snapshot", "snapshot_hash", "frozen_at"))
    return trajectory


def interview_move(*, actor: Actor, trajectory: Trajectory, at: datetime.datetime, location: str) -> Trajectory:
    """Move a planned interview (no change of state; the snapshot stays as frozen). Everyone invited gets the
    updated invitation: the same UID with the next SEQUENCE. Unchanged date and place: nothing happens."""
    authorize(actor, ASSESS, trajectory)
    at, location = _clean_interview(at=at, location=location)
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        if locked.state != TrajectoryState.INTERVIEW_PLANNED:
            raise TransitionRefusedError(
                _("The interview can only be moved while it is planned. The status is now “%(state)s”.")
                % {"state": state_label(locked.state)}
            )
        if locked.interview_at != at or locked.interview_location != location:
            locked.interview_at, locked.interview_location = at, location
            locked.save(update_fields=["interview_at", "interview_location"])
            event_write(actor=actor, trajectory=locked, action="replan_interview", note=_when(at, location))
            notify(locked, "interview_moved", _invitees(locked))
    _refresh(trajectory, locked, ("interview_at", "interview_location"))
    return trajectory


def _when(at: datetime.datetime, location: str) -> str:
    return f"{timezone.localtime(at):%d-%m-%Y %H:%M}, {location}"
