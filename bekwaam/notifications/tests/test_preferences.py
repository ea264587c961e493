"""The e-mail preference page: everyone chooses their own updates and reminders; essential mail always goes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from bekwaam.notifications.mail import wants
from bekwaam.notifications.models import Category, NotificationPreference
from bekwaam.notifications.services import preference_save
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db
URL = "/notifications/preferences/"


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return escape(gettext(msgid))


def test_it_starts_with_everything_on(world: Any, client_for: Any) -> None:
    response = client_for(world.teacher).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["updates"].value(), form["reminders"].value()) == (True, True)
    content = response.content.decode()
    for name in ("updates", "reminders"):
        assert re.search(rf'<input type="checkbox" name="{name}"[^>]*\bchecked\b', content)
    assert dutch("Always sent") in content
    assert not NotificationPreference.objects.exists()


def test_it_saves_the_persons_own_choice(world: Any, client_for: Any) -> None:
    client = client_for(world.teacher)
    response = client.post(URL, {"reminders": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    preference = NotificationPreference.objects.get()
    assert (preference.person_id, preference.updates, preference.reminders) == (world.teacher.pk, False, True)
    assert not wants(person_id=world.teacher.pk, category=Category.UPDATES)
    assert wants(person_id=world.teacher.pk, category=Category.ESSENTIAL)
    assert wants(person_id=world.colleague.pk, category=Category.UPDATES)

    page = client.get(URL)
    assert (page.context["form"]["updates"].value(), page.context["form"]["reminders"].value()) == (False, True)
    client.post(URL, {"updates": "on", "reminders": "on"})
    preference.refresh_from_db()
    assert (preference.updates, preference.reminders) == (True, True)
    assert NotificationPreference.objects.count() == 1


def test_it_is_open_to_everyone_signed_in_also_without_a_board(world: Any, client_for: Any) -> None:
    for person in (world.operator, world.coach, world.administrator):
        assert client_for(person).get(URL).status_code == 200
    preference_save(actor=actor_for(world.operator, None), updates=False, reminders=False)
    assert NotificationPreference.objects.filter(person=world.operator, updates=False, reminders=False).exists()


def test_it_sends_an_anonymous_visitor_to_sign_in(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
