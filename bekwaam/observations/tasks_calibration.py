"""E-mail to a second observer when they are added to a lesson visit (calibration), sent by the task worker.

In the recipient's language; an "update" (notifications.Category), so a person who turned updates off gets
none. Safe to retry: it reads the observation afresh and sends nothing for one cancelled in the meantime.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.observations.models import Observation, ObservationState


@task()
def calibration_invitation_send(*, observation_id: str) -> int:
    """Tell the second observer which lesson to score with whom; returns the number of messages sent (0 or 1)."""
    with scopes_disabled():
        observation = (
            Observation.objects.filter(pk=observation_id, calibrates__isnull=False)
            .exclude(state=ObservationState.CANCELLED)
            .select_related("observer", "teacher", "school", "calibrates__observer", "instrument__framework")
            .first()
        )
        if observation is None or observation.calibrates is None:
            return 0
        person = observation.observer
        if not person.email or not wants(person_id=person.pk, category=Category.UPDATES):
            return 0
        link = settings.SITE_URL.rstrip("/") + reverse("observations:visit-detail", args=[observation.pk])
        try:
            email_send(
                to=person.email,
                language=person.language,
                template="observations/email/calibration_invited",
                context={
                    "recipient": person,
                    "observation": observation,
                    "first_observer": observation.calibrates.observer,
                    "link": link,
                },
            )
        except DeliveryFailedError:
            return 0  # recorded as a Bounce by email_send
    return 1
