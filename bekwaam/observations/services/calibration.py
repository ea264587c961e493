"""Adding a second observer to a lesson visit (calibration).

The second observer gets an observation of their own of the same lesson (same teacher, employment,
school, group, date, time, subject, focus and kijkwijzer version), planned, with `calibrates` pointing
at the visit; they score it on the normal scoring page, and neither observer sees the other's scores
until both have put them forward (selectors.calibration). One second observer per visit at a time: a
cancelled one can be replaced.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bekwaam.accounts.models import Person
from bekwaam.observations import tasks_calibration
from bekwaam.observations.models import Observation, ObservationEvent, ObservationKind, ObservationState
from bekwaam.observations.selectors.calibration import ADD_RULE, CALIBRATION_ADD_DAYS, calibration_add_deadline
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor, Organisation, actor_for
from bekwaam.tenancy.policy import authorize


def _observes_at(person: Person, board_id: int) -> bool:
    """Whether the person may observe lessons at the board now (their roles resolved as at sign-in)."""
    if not person.is_active:
        return False
    as_actor = actor_for(person, Organisation("board", board_id, "").key)
    return as_actor.board_id == board_id and as_actor.has_permission(roles.OBSERVE_LESSONS)


def _refusal(locked: Observation, observer: Person) -> ValidationError | None:
    if locked.kind != ObservationKind.VISIT or locked.calibrates_id is not None:
        return ValidationError(_("Only a lesson visit itself can get a second observer (not a peer visit)."))
    if locked.state == ObservationState.CANCELLED:
        return ValidationError(_("This visit has been cancelled."))
    if locked.date < calibration_add_deadline():
        return ValidationError(
            _(
                "A second observer can be added up to %(days)s days after the lesson: they score what they saw, "
                "not what they remember weeks later."
            )
            % {"days": CALIBRATION_ADD_DAYS}
        )
    if observer.pk == locked.teacher_id:
        return ValidationError({"observer": _("The teacher cannot observe their own lesson.")})
    if observer.pk == locked.observer_id:
        return ValidationError({"observer": _("Choose someone other than the visit's own observer.")})
    if (
        Observation.objects.filter(board_id=locked.board_id, calibrates=locked)
        .exclude(state=ObservationState.CANCELLED)
        .exists()
    ):
        return ValidationError(_("This visit already has a second observer."))
    if not _observes_at(observer, locked.board_id):
        return ValidationError(
            {"observer": _("Choose a leidinggevende or kwaliteitsmedewerker of this board who observes lessons.")}
        )
    return None


@transaction.atomic
def calibration_add(*, actor: Actor, observation: Observation, observer: Person) -> Observation:
    """The second observer's planned observation of the same lesson; refused with a clear message otherwise.

    Allowed for the visit's observer and a kwaliteitsmedewerker (rule observations.add_calibration). The
    visit is locked first, so two people adding a second observer at once end with one.
    """
    authorize(actor, ADD_RULE, observation)
    locked = Observation.objects.select_for_update().get(pk=observation.pk, board_id=observation.board_id)
    refusal = _refusal(locked, observer)
    if refusal is not None:
        raise refusal
    second = Observation(
        board_id=locked.board_id,
        school_id=locked.school_id,
        employment_id=locked.employment_id,
        teacher_id=locked.teacher_id,
        observer=observer,
        kind=ObservationKind.VISIT,
        instrument_id=locked.instrument_id,
        calibrates=locked,
        group=locked.group,
        date=locked.date,
        start_time=locked.start_time,
        subject=locked.subject,
        focus=locked.focus,
        state=ObservationState.PLANNED,
        created_by=actor.person,
    )
    second.full_clean()
    second.save(force_insert=True)
    second.focus_items.set(locked.focus_items.all())
    ObservationEvent.objects.bulk_create(
        [
            ObservationEvent(board_id=locked.board_id, observation=second, action="plan", actor=actor.person),
            ObservationEvent(
                board_id=locked.board_id, observation=locked, action="calibration_added", actor=actor.person
            ),
        ]
    )
    second_id = str(second.pk)
    transaction.on_commit(lambda: tasks_calibration.calibration_invitation_send.enqueue(observation_id=second_id))
    return second
