"""In production e-mails go through the database task queue and the worker (`manage.py db_worker`)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from bekwaam.tenancy import services
from bekwaam.tenancy.context import actor_for

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_it_queues_the_invitation_and_the_worker_sends_it(world: Any, settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    services.person_invite(
        actor=actor_for(world.administrator, None),
        email="nieuw@alfa.nl",
        given_name="Nina",
        name_prefix="",
        family_name="Nieuw",
        school=world.school_a,
        function="teacher",
        personnel_number="W1",
        start_date=datetime.date(2026, 8, 1),
    )
    # Committed, queued, not yet sent: the request does not wait for the mail server.
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [["nieuw@alfa.nl"]]
    assert "/invitation/" in mail.outbox[0].body
