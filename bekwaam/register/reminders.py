"""Reminders to a school leader short on points (registered with notifications.reminders; run daily).

At each of REGISTER_REMINDER_MONTHS (12, 6 and 3) months before a period is over, a person whose period does
not yet meet its requirement gets one e-mail. Only the nearest milestone reached is sent: a period entered
with four months left gets the six-month reminder only, and a day the run missed sends it the day after.
Each is claimed with a RegisterReminder row (unique per period and milestone) before it is sent, so a
second run, or a run on two machines, sends nothing twice. Only people who want reminders get them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.notifications.reminders import reminder
from bekwaam.register import points as rules
from bekwaam.register.models import RegisterReminder, RegistrationPeriod
from bekwaam.register.selectors import standing_of, with_totals


def _claim(period: RegistrationPeriod, *, months: int, points: int) -> bool:
    """True the first time this milestone of this period is claimed."""
    try:
        with transaction.atomic():
            RegisterReminder.objects.create(
                board_id=period.board_id, period=period, months_before=months, points_then=points
            )
    except IntegrityError:
        return False
    return True


@reminder
def register_short_remind(today: datetime.date) -> int:
    """E-mail each person whose period is short at a milestone before its end, once per milestone."""
    months = sorted({m for m in settings.REGISTER_REMINDER_MONTHS if m > 0})
    if not months:
        return 0
    horizon = rules.add_months(today, max(months) + 1)  # generous in SQL; reminder_due decides exactly
    sent = 0
    with scopes_disabled():  # every board at once: the daily run has no request and no board
        periods = list(
            with_totals(RegistrationPeriod.objects.filter(end_date__gte=today, end_date__lte=horizon))
            .select_related("person")
            .order_by("end_date", "pk")
        )
        claimed = set(
            RegisterReminder.objects.filter(period__in=[p.pk for p in periods]).values_list(
                "period_id", "months_before"
            )
        )
        for period in periods:
            due = rules.reminder_due(end_date=period.end_date, today=today, months=months)
            if due is None or (period.pk, due) in claimed:
                continue
            standing = standing_of(period, today=today)
            person = period.person
            if standing.requirement_met or not person.email or not person.is_active:
                continue
            if not wants(person_id=person.pk, category=Category.REMINDERS):
                continue
            if not _claim(period, months=due, points=standing.points):
                continue
            context = {
                "recipient": person,
                "period": period,
                "standing": standing,
                "months": due,
                "link": settings.SITE_URL.rstrip("/") + reverse("register:overview"),
            }
            try:
                email_send(
                    to=person.email, language=person.language, template="register/email/reminder", context=context
                )
            except DeliveryFailedError:
                continue  # recorded as a Bounce by email_send; the milestone stays claimed
            sent += 1
    return sent
