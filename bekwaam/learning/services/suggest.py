"""A leidinggevende suggests an e-learning module to one of their people; the person decides.

Suggesting is never forcing: the only row written is the Suggestion (no enrolment, no goal, nothing in the
person's name). The person is told by e-mail (an "update": a person who turned updates off is not mailed) and
finds the suggestion in the catalogue. One open suggestion per person and module: a second one, by anyone, is
refused with a message until the person dismissed the first.

The e-mail task lives here, next to the one write that enqueues it (tasks are module-level functions; the
worker imports them by name).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django_scopes import scope
from django_tasks import task

from bekwaam.learning.models import CourseVersion, Suggestion, VersionStatus
from bekwaam.learning.selectors import published_versions_for
from bekwaam.notifications.mail import DeliveryFailedError, email_send, wants
from bekwaam.notifications.models import Category
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize
from bekwaam.tenancy.selectors import team_members_for

SUGGEST = "learning.suggest"
MESSAGE_MAX = 2000


def _refused(name: str) -> ValidationError:
    return ValidationError(
        {
            "course": _(
                "You suggested this module to %(name)s already, and the suggestion is still open. "
                "They decide whether to take it."
            )
            % {"name": name}
        }
    )


def suggestion_create(*, actor: Actor, person_id: Any, course_id: Any, message: str = "") -> Suggestion:
    """Suggest a published module of the actor's board to a person they lead; the person is e-mailed."""
    authorize(actor, SUGGEST)
    employment = team_members_for(actor=actor).filter(person_id=person_id).first()
    if employment is None:
        raise ValidationError({"person": _("Choose one of the people you lead.")})
    version = published_versions_for(actor=actor).filter(course_id=course_id).select_related("course").first()
    if version is None:
        raise ValidationError({"course": _("Choose a published module from the catalogue.")})
    authorize(actor, "learning.suggest_course", version.course)
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": _("Keep the message under %(max)d characters.") % {"max": MESSAGE_MAX}})
    person = employment.person
    try:
        with transaction.atomic():
            if Suggestion.objects.filter(
                person=person, course_id=version.course_id, dismissed_at__isnull=True
            ).exists():
                raise _refused(person.full_name)
            suggestion = Suggestion.objects.create(
                board_id=actor.board_pk,
                person=person,
                course_id=version.course_id,
                suggested_by=actor.person,
                message=message,
            )
            suggestion_id, board_id = str(suggestion.pk), actor.board_pk
            transaction.on_commit(
                lambda: suggestion_notice_send.enqueue(suggestion_id=suggestion_id, board_id=board_id)
            )
    except IntegrityError:
        # Two suggestions at the same moment: the database keeps one open suggestion per person and module.
        raise _refused(person.full_name) from None
    return suggestion


def _course_link(course_id: Any) -> str:
    """The module's page in the catalogue (the learner's side); the catalogue itself if that page is not there."""
    for name, kwargs in (("learning:course", {"course_id": course_id}), ("learning:catalogue", {})):
        try:
            return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return settings.SITE_URL.rstrip("/") + "/"


@task()
def suggestion_notice_send(*, suggestion_id: str, board_id: int) -> int:
    """E-mail the person that a module was suggested to them: 1 when sent, 0 when not (their preference, no
    address, a bounce, or the suggestion or module is gone). Safe to retry."""
    with scope(board=[board_id]):
        suggestion = (
            Suggestion.objects.filter(pk=suggestion_id, board_id=board_id, dismissed_at__isnull=True)
            .select_related("person", "suggested_by", "course")
            .first()
        )
        if suggestion is None:
            return 0
        version = CourseVersion.objects.filter(course=suggestion.course, status=VersionStatus.PUBLISHED).first()
        person = suggestion.person
        if version is None or not person.email or not wants(person_id=person.pk, category=Category.UPDATES):
            return 0
        try:
            email_send(
                to=person.email,
                language=person.language,
                template="learning/editor/email/suggestion",
                context={
                    "recipient": person,
                    "suggested_by": suggestion.suggested_by,
                    "title": version.title,
                    "duration": version.duration_minutes,
                    "message": suggestion.message,
                    "link": _course_link(suggestion.course_id),
                },
            )
        except DeliveryFailedError:
            return 0  # recorded as a Bounce by email_send
    return 1
