"""Send one e-mail in the recipient's language: a plain-text part always, an HTML part when there is one.

Templates come in threes under templates/<app>/email/: `<name>_subject.txt`, `<name>.txt`, and an
optional `<name>.html`. Called from tasks (never inside a request). A recipient the mail server refuses
outright raises DeliveryFailedError and is recorded as a Bounce, so the page that invited them can say so.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from bekwaam.notifications.models import Bounce, Category, NotificationPreference


class DeliveryFailedError(Exception):
    """The mail server refused the recipient (a hard bounce at sending time)."""


def wants(*, person_id: Any, category: str) -> bool:
    """Whether the person wants e-mail of this category (no preference row: yes). Essential mail always goes."""
    if category == Category.ESSENTIAL:
        return True
    preference = NotificationPreference.objects.filter(person_id=person_id).first()
    if preference is None:
        return True
    return bool(getattr(preference, category))


def email_send(
    *,
    to: str,
    language: str,
    template: str,
    context: Mapping[str, Any],
    calendar: bytes | None = None,
    cancel: bool = False,
) -> None:
    """Render and send one message; raises DeliveryFailedError (and records a Bounce) when the address is refused."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html: str | None = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject, body, None, [to])
    if html is not None:
        message.attach_alternative(html, "text/html")
    if calendar is not None:
        # Built by hand: attach() with "method" inside the mimetype would repeat the charset parameter.
        part = MIMEText(calendar.decode(), "calendar", "utf-8")
        part.set_param("method", "CANCEL" if cancel else "REQUEST")
        part.add_header("Content-Disposition", "attachment", filename="uitnodiging.ics")
        message.attach(part)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        reason = "; ".join(f"{code} {text!r}" for code, text in error.recipients.values())[:300]
        Bounce.objects.create(email=to.lower(), reason=reason)
        raise DeliveryFailedError(reason) from error


def bounced_since(*, email: str, since: Any) -> Bounce | None:
    """The latest bounce reported for this address after `since` (a send time), if any."""
    if since is None:
        return None
    return Bounce.objects.filter(email=email.lower(), reported_at__gte=since).order_by("-reported_at").first()
