"""The coach's and assessor's writes beside the moves: dated coaching sessions and comments.

A coaching session is a record of a session that took place: its date is today or earlier (not before the
enrolment), and it has a summary. Planned sessions are agreed outside Bekwaam (a calendar): a future date
is refused, so the list on both sides only ever shows what happened. Only the trajectory's own coach
records sessions. Comments come from the coach or an assessor, on the whole portfolio or on one item of it
(an item only once the staff may see the portfolio). Both are possible while the trajectory is open, and
the candidate gets an e-mail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.lib.states import TransitionRefusedError
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize
from bekwaam.trajectories.models import OPEN_STATES, CoachingSession, Comment, PortfolioItem, Trajectory
from bekwaam.trajectories.selectors import may_see_portfolio
from bekwaam.trajectories.selectors.provider import state_label, trajectory_locked
from bekwaam.trajectories.services.review import event_write, notify

SUMMARY_MAX = 10_000
COMMENT_MAX = 5_000


def _refuse_closed(locked: Trajectory) -> None:
    if locked.state not in OPEN_STATES:
        raise TransitionRefusedError(
            _("This trajectory is closed (the status is “%(state)s”): nothing can be added any more.")
            % {"state": state_label(locked.state)}
        )


def coaching_session_create(
    *, actor: Actor, trajectory: Trajectory, held_on: datetime.date, summary: str
) -> CoachingSession:
    """The trajectory's coach records a session that took place (today or earlier, not before the enrolment)."""
    authorize(actor, "trajectories.coach", trajectory)
    summary = summary.strip()
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Record a session once it has taken place: the date cannot be in the future.")
    elif held_on < timezone.localdate(trajectory.enrolled_at):
        errors["held_on"] = _("The date is before the enrolment (%(date)s).") % {
            "date": f"{timezone.localdate(trajectory.enrolled_at):%d-%m-%Y}"
        }
    if not summary:
        errors["summary"] = _("Write a short summary of the session.")
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = _("Keep the summary under %(max)d characters.") % {"max": SUMMARY_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        _refuse_closed(locked)
        if locked.coach_id != actor.person.pk:
            raise TransitionRefusedError(_("Only the coach of this trajectory records its coaching sessions."))
        session = CoachingSession.objects.create(
            trajectory=locked, coach=actor.person, held_on=held_on, summary=summary
        )
        event_write(actor=actor, trajectory=locked, action="coaching_session", note=f"{held_on:%d-%m-%Y}")
        notify(locked, "coaching_session", [locked.candidate])
    return session


def comment_create(*, actor: Actor, trajectory: Trajectory, body: str, item_id: Any = None) -> Comment:
    """A coach or assessor comments on the portfolio, or on one item of it once the portfolio was submitted."""
    authorize(actor, "trajectories.comment", trajectory)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX}})
    item: PortfolioItem | None = None
    if item_id:
        with scopes_disabled():
            item = PortfolioItem.objects.filter(trajectory_id=trajectory.pk, pk=item_id).first()
        if item is None or not may_see_portfolio(actor=actor, trajectory=trajectory):
            raise ValidationError({"item": _("Choose an item of this portfolio.")})
    with transaction.atomic():
        locked = trajectory_locked(trajectory)
        _refuse_closed(locked)
        comment = Comment.objects.create(trajectory=locked, item=item, author=actor.person, body=body)
        notify(locked, "comment", [locked.candidate])
    return comment
