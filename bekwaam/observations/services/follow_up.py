"""A follow-up lesson visit the teacher asks for, on the items of an earlier visit (docs/insights-loop.md).

Until now only an observer planned a visit (services.visits.visit_plan) and a teacher could only ask a
colleague for a peer visit. Here the teacher of a put-forward lesson visit asks for another visit on one of
its items, after making it a POP goal ("the loop closes"): the visit is planned for

1. the observer of the earlier visit, while they may still plan visits to this teacher (the same rule as
   their planning page: observations.selectors.visits.plan_teacher_choices_for), else
2. the teacher's leidinggevende on the job the visit was at (or their current job), when they may,

with the item as its focus item, in the latest published version of the same kijkwijzer that has an item with
that code (else the earlier visit's own version), the same group and subject, about four weeks ahead and
without a time: the observer sets date and time (visit_update, which tells the teacher with the calendar
event). The observer gets an e-mail like a planned visit's, on commit, in their language, unless they turned
updates off. Whether the teacher asked already is the caller's business (insights keeps it on the goal).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.accounts.models import Person
from bekwaam.frameworks.models import Competence, FrameworkVersion
from bekwaam.frameworks.selectors import observation_instruments
from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.observations.models import Observation, ObservationKind
from bekwaam.observations.selectors.visits import (
    observation_calendar,
    observation_for_task,
    own_employment_choices_for,
    plan_teacher_choices_for,
)
from bekwaam.observations.services.visits import AS_TEACHER, VisitDetails, _create, _event
from bekwaam.tenancy.context import Actor, actor_for
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.policy import authorize

FOLLOW_UP_AFTER = datetime.timedelta(weeks=4)  # the proposed date; the observer sets the real one


@dataclass(frozen=True)
class FollowUpPlan:
    """Who would visit which lesson on which item, before the teacher agrees."""

    observer: Person
    is_earlier_observer: bool  # False: the leidinggevende, because the earlier observer no longer can
    employment: Employment
    instrument: FrameworkVersion
    item: Competence


def _is_active(employment: Employment, today: datetime.date) -> bool:
    return employment.start_date <= today and (employment.end_date is None or employment.end_date >= today)


def _may_visit(person: Person | None, *, board_id: int, employment: Employment, teacher_id: Any) -> bool:
    """Whether `person` may plan a visit to this job now, as on their own planning page."""
    if person is None or person.pk == teacher_id:
        return False
    observer = actor_for(person, f"board:{board_id}")
    if observer.board_id != board_id:
        return False
    return plan_teacher_choices_for(actor=observer).filter(pk=employment.pk).exists()


def follow_up_plan_for(*, actor: Actor, observation: Observation, code: str) -> FollowUpPlan:
    """Who would visit the teacher's lesson again on the item `code` of their put-forward visit; a
    ValidationError says why no follow-up visit can be planned."""
    authorize(actor, AS_TEACHER, observation)
    if observation.kind != ObservationKind.VISIT or not observation.is_put_forward:
        raise ValidationError(_("A follow-up visit is asked for after a lesson visit that has been put forward."))
    today = timezone.localdate()
    employment = (
        Employment.objects.filter(board_id=actor.board_pk, pk=observation.employment_id)
        .select_related("manager")
        .first()
    )
    if employment is None or not _is_active(employment, today):
        current = own_employment_choices_for(actor=actor).select_related("manager").first()
        if current is None:
            raise ValidationError(_("You have no current job at this board, so no lesson visit can be planned."))
        employment = current
    latest = observation_instruments(board_id=actor.board_pk).filter(framework_id=observation.instrument.framework_id)
    instrument: FrameworkVersion | None = latest.first()
    item = Competence.objects.filter(version=instrument, code=code).first() if instrument is not None else None
    if item is None:
        # The item is no longer in the newest version: visit with the earlier visit's own kijkwijzer.
        instrument = observation.instrument
        item = Competence.objects.filter(version=instrument, code=code).first()
    if item is None or instrument is None:
        raise ValidationError(_("This item is not part of the kijkwijzer of the visit."))
    board_id = actor.board_pk
    if _may_visit(observation.observer, board_id=board_id, employment=employment, teacher_id=actor.person.pk):
        return FollowUpPlan(observation.observer, True, employment, instrument, item)
    manager = employment.manager
    if manager is not None and _may_visit(
        manager, board_id=board_id, employment=employment, teacher_id=actor.person.pk
    ):
        return FollowUpPlan(manager, False, employment, instrument, item)
    raise ValidationError(
        _(
            "Nobody can be asked for a follow-up visit now: the observer of the visit can no longer visit your "
            "lessons, and you have no leidinggevende who visits lessons. Ask your school leader."
        )
    )


def follow_up_visit_request(*, actor: Actor, observation: Observation, code: str, focus: str = "") -> Observation:
    """The teacher asks for a follow-up visit on item `code` of their put-forward visit: a planned visit for the
    observer that follow_up_plan_for names, who gets an e-mail on commit."""
    plan = follow_up_plan_for(actor=actor, observation=observation, code=code)
    details = VisitDetails(
        group=observation.group,
        date=timezone.localdate() + FOLLOW_UP_AFTER,
        subject=observation.subject,
        instrument=plan.instrument,
        start_time=None,
        focus=focus.strip(),
        focus_items=[plan.item],
    )
    with transaction.atomic():
        visit = _create(
            actor=actor,
            employment=plan.employment,
            observer_id=plan.observer.pk,
            kind=ObservationKind.VISIT,
            details=details,
        )
        _event(actor=actor, observation=visit, action="plan")
        visit_id = str(visit.pk)
        transaction.on_commit(lambda: follow_up_notice_send.enqueue(observation_id=visit_id))
    return visit


@task()
def follow_up_notice_send(*, observation_id: str) -> int:
    """Tell the observer a teacher asked them for a follow-up visit; 1 when sent, 0 when not (preference, no
    address, bounce, or the visit is gone). Safe to retry: it reads the visit afresh."""
    with scopes_disabled():
        observation = observation_for_task(observation_id=observation_id)
        if observation is None:
            return 0
        observer = observation.observer
        if not observer.email or not wants(person_id=observer.pk, category=Category.UPDATES):
            return 0
        items = list(observation.focus_items.order_by("domain__position", "position"))
        with translation.override(observer.language or settings.LANGUAGE_CODE):
            calendar = observation_calendar(observation=observation, site_url=settings.SITE_URL)
        link = settings.SITE_URL.rstrip("/") + reverse("observations:visit-detail", args=[observation.pk])
        try:
            email_send(
                to=observer.email,
                language=observer.language,
                template="insights/loop/email/follow_up",
                context={
                    "recipient": observer,
                    "teacher": observation.teacher,
                    "observation": observation,
                    "items": items,
                    "link": link,
                    "has_calendar": calendar is not None,
                },
                calendar=calendar,
            )
        except DeliveryFailedError:
            return 0  # recorded as a Bounce by email_send
    return 1
