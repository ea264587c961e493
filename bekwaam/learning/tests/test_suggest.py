"""Suggestions: a leidinggevende suggests a published module of their board to one of their people, who gets an
e-mail and finds it in the catalogue; nothing else is written in the person's name; a second open suggestion is
refused with a message; the leidinggevende sees their own suggestions to their own people, started or completed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bekwaam.learning.models import Completion, Course, Enrolment, Suggestion
from bekwaam.learning.services.suggest import suggestion_create
from bekwaam.learning.tests.factories import course_build
from bekwaam.notifications.models import NotificationPreference
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "learning:suggest"


def actor(person: Any) -> Any:
    return actor_for(person, None)


def suggest(world: Any, person: Any, course: Course, message: str = "") -> Suggestion:
    return suggestion_create(actor=actor(world.manager), person_id=person.pk, course_id=course.pk, message=message)


def test_a_manager_suggests_a_module_and_the_person_is_told(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version = course_build(board=world.board_a, title="Feedback die werkt")
    client = client_for(world.manager)
    data = {"person": str(world.teacher.pk), "course": str(version.course_id), "message": "Past bij je POP-doel."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), data)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.person, suggestion.course_id, suggestion.suggested_by, suggestion.board_id) == (
        world.teacher,
        version.course_id,
        world.manager,
        world.board_a.pk,
    )
    assert suggestion.message == "Past bij je POP-doel."
    # Suggesting is never forcing: nothing else in the person's name.
    assert not Enrolment.objects.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.teacher.email]
    assert "Feedback die werkt" in message.subject
    assert "Past bij je POP-doel." in message.body
    assert reverse("learning:course", kwargs={"course_id": version.course_id}) in message.body
    # The person finds it in their catalogue.
    catalogue = client_for(world.teacher).get(reverse("learning:catalogue"))
    assert catalogue.status_code == 200
    assert f'data-suggestion="{suggestion.pk}"' in catalogue.text


def test_a_person_who_turned_updates_off_gets_no_email(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    NotificationPreference.objects.create(person=world.teacher, updates=False, reminders=True)
    version = course_build(board=world.board_a)
    with django_capture_on_commit_callbacks(execute=True):
        suggest(world, world.teacher, version.course)
    assert Suggestion.objects.count() == 1
    assert mail.outbox == []


def test_a_second_open_suggestion_is_refused_with_a_message(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a)
    suggest(world, world.teacher, version.course)
    client = client_for(world.manager)
    data = {"person": str(world.teacher.pk), "course": str(version.course_id), "message": "Nog een keer"}
    with translation.override("nl"):
        response = client.post(reverse(URL), data)
        expected = _(
            "You suggested this module to %(name)s already, and the suggestion is still open. "
            "They decide whether to take it."
        ) % {"name": world.teacher.full_name}
    assert response.status_code == 400
    assert response.context["form"].errors["course"] == [expected]
    assert "Nog een keer" in response.text
    assert Suggestion.objects.count() == 1
    # Once the person set it aside, it may be suggested again.
    Suggestion.objects.update(dismissed_at=timezone.now())
    suggest(world, world.teacher, version.course)
    assert Suggestion.objects.count() == 2


@pytest.mark.parametrize("who", ["outsider", "manager", "administrator"])
def test_only_the_managers_own_people_can_be_suggested_to(world: Any, who: str) -> None:
    version = course_build(board=world.board_a)
    with pytest.raises(ValidationError) as caught:
        suggest(world, world.persona(who), version.course)
    assert "person" in caught.value.message_dict
    assert not Suggestion.objects.exists()


def test_only_a_published_module_of_the_board_can_be_suggested(world: Any) -> None:
    draft = course_build(board=world.board_a, published=False, title="Concept")
    other_board = course_build(board=world.board_b, title="Van Beta")
    not_offered = course_build(provider=world.provider, title="Niet aangeboden")
    archived = course_build(board=world.board_a, title="Gearchiveerd")
    Course.objects.filter(pk=archived.course_id).update(archived_at=timezone.now())
    for version in (draft, other_board, not_offered, archived):
        with pytest.raises(ValidationError) as caught:
            suggest(world, world.teacher, version.course)
        assert "course" in caught.value.message_dict
    offered = course_build(provider=world.provider, offered_to=(world.board_a,), title="Aangeboden")
    suggest(world, world.teacher, offered.course)
    assert Suggestion.objects.count() == 1


@pytest.mark.parametrize("persona", ["teacher", "administrator", "assessor", "coach"])
def test_people_who_lead_nobody_cannot_suggest(world: Any, client_for: Any, persona: str) -> None:
    version = course_build(board=world.board_a)
    with pytest.raises(PermissionDenied):
        suggestion_create(
            actor=actor(world.persona(persona)), person_id=world.colleague.pk, course_id=version.course_id
        )
    assert client_for(world.persona(persona)).get(reverse(URL)).status_code == 403


def test_the_manager_sees_whether_their_people_started_or_completed(world: Any, client_for: Any) -> None:
    started = course_build(board=world.board_a, title="Begonnen")
    completed = course_build(board=world.board_a, title="Afgerond")
    untouched = course_build(board=world.board_a, title="Nog niet")
    for version in (started, completed, untouched):
        suggest(world, world.teacher, version.course)
    Enrolment.objects.create(board=world.board_a, person=world.teacher, course=started.course, version=started)
    enrolment = Enrolment.objects.create(
        board=world.board_a,
        person=world.teacher,
        course=completed.course,
        version=completed,
        completed_at=timezone.now(),
    )
    Completion.objects.create(
        board=world.board_a,
        person=world.teacher,
        enrolment=enrolment,
        course=completed.course,
        version=completed,
        title=completed.title,
        version_number=1,
        offered_by=world.board_a.name,
        score_percent=90,
        completed_at=timezone.now(),
    )
    # Someone else's suggestion, and one to a person the manager no longer leads, are not shown.
    other_manager = PersonFactory()
    Suggestion.objects.create(
        board=world.board_a, person=world.colleague, course=untouched.course, suggested_by=other_manager
    )
    former = PersonFactory()
    EmploymentFactory(person=former, school=world.school_a, manager=world.manager)
    suggest(world, former, untouched.course)
    Employment.objects.filter(person=former).update(end_date=timezone.localdate() - datetime.timedelta(days=1))

    response = client_for(world.manager).get(reverse(URL))
    assert response.status_code == 200
    states = {row.course_title: (row.started, row.completed) for row in response.context["page"].object_list}
    assert states == {"Begonnen": (True, False), "Afgerond": (True, True), "Nog niet": (False, False)}
    assert former.full_name not in response.text
    assert 'data-state="completed"' in response.text


def test_the_suggestions_page_has_a_flat_query_count(world: Any, client_for: Any) -> None:
    client = client_for(world.manager)
    version = course_build(board=world.board_a, title="Eerste")
    suggest(world, world.teacher, version.course)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(URL)).status_code == 200
        return len(captured)

    few = queries()
    for number in range(10):
        more = course_build(board=world.board_a, title=f"Module {number}")
        suggest(world, world.teacher, more.course)
        suggest(world, world.colleague, more.course)
    assert queries() == few
