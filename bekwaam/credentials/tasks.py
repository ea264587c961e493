"""E-mails about certificates, sent by the task worker in the recipient's language.

A revoked certificate is told to its holder: essential mail (it changes their register points), sent
whatever their preferences. Safe to retry: it reads the certificate afresh and says what it says now.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_scopes import scopes_disabled
from django_tasks import task

from bekwaam.credentials.models import Certificate
from bekwaam.notifications.mail import DeliveryFailedError, email_send


@task()
def certificate_revoked_notice_send(*, certificate_id: str) -> int:
    """Tell the holder their certificate was revoked; 1 when sent, 0 when not (no address, a bounce, not revoked)."""
    with scopes_disabled():
        certificate = Certificate.objects.select_related("holder").filter(pk=certificate_id).first()
    if certificate is None or certificate.revoked_at is None or not certificate.holder.email:
        return 0
    holder = certificate.holder
    link = settings.SITE_URL.rstrip("/") + reverse("credentials:certificate", args=[certificate.pk])
    try:
        email_send(
            to=holder.email,
            language=holder.language,
            template="credentials/email/certificate_revoked",
            context={"recipient": holder, "certificate": certificate, "link": link},
        )
    except DeliveryFailedError:
        return 0  # recorded as a Bounce by email_send
    return 1
