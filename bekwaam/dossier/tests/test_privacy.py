"""The owner's privacy page: who opened what of their dossier, when, with which right."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.accounts.testing import sign_in
from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import DevelopmentPlan, Evidence, EvidenceKind, Reflection, Section, ShareAudience
from bekwaam.dossier.services.sharing import share_create
from bekwaam.tenancy.context import actor_for

pytestmark = pytest.mark.django_db


def evidence_of(person: Any, board: Any, title: str) -> Evidence:
    return Evidence.objects.create(
        board=board, person=person, kind=EvidenceKind.LINK, url="https://example.org", title=title
    )


def log(
    board: Any, actor: Any, subject: Any, item: Any = None, *, what: str = "evidence", right: str = "My manager"
) -> Any:
    return AccessLog.objects.create(
        board=board,
        actor=actor,
        subject=subject,
        what=what,
        right=right,
        object_type=item._meta.label_lower if item is not None else "",
        object_id=str(item.pk) if item is not None else "",
    )


def test_it_shows_who_opened_which_of_my_items_and_with_which_right(world: Any) -> None:
    item = evidence_of(world.teacher, world.board_a, "Diploma pabo")
    log(world.board_a, world.manager, world.teacher, item, right="My manager")
    log(world.board_a, world.administrator, world.teacher, what="personal details", right="functional administrator")

    response = sign_in(Client(), world.teacher).get(reverse("dossier:privacy"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Diploma pabo" in content  # the title, resolved from the owner's own item
    assert world.manager.full_name in content
    assert "My manager" in content
    assert "personal details" in content
    assert world.administrator.full_name in content


def test_it_shows_only_entries_about_me_at_this_board(world: Any) -> None:
    mine = evidence_of(world.teacher, world.board_a, "Van mij")
    theirs = evidence_of(world.colleague, world.board_a, "Van een collega")
    log(world.board_a, world.manager, world.teacher, mine)
    log(world.board_a, world.manager, world.colleague, theirs)
    # A forged entry about me naming the colleague's item: its title is not revealed.
    log(world.board_a, world.outsider, world.teacher, theirs, right="forged")

    content = sign_in(Client(), world.teacher).get(reverse("dossier:privacy")).content.decode()

    assert "Van mij" in content
    assert "Van een collega" not in content
    assert "forged" in content


def test_it_reads_a_page_of_entries_in_a_fixed_number_of_queries(world: Any) -> None:
    client = sign_in(Client(), world.teacher)
    url = reverse("dossier:privacy")
    client.get(url)

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            evidence = evidence_of(world.teacher, world.board_a, f"Bewijs {number:03d}")
            reflection = Reflection.objects.create(
                board=world.board_a,
                person=world.teacher,
                title=f"Reflectie {number:03d}",
                body="…",
                written_on=timezone.localdate(),
            )
            plan = DevelopmentPlan.objects.create(
                board=world.board_a,
                person=world.teacher,
                title=f"POP {number:03d}",
                starts_on=datetime.date(2025, 8, 1),
            )
            for item in (evidence, reflection, plan):
                log(world.board_a, world.manager, world.teacher, item)

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(20, 2)  # 66 entries: more than a page
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(few) == len(many)
    # Session and actor (7), the page and its count (2), one lookup per kind of item named (3).
    assert len(many) <= 12
    assert response.context["page"].paginator.num_pages == 2
    assert "POP 021" in response.content.decode()


def test_it_records_the_managers_view_so_the_owner_sees_it(world: Any) -> None:
    share_create(actor=actor_for(world.teacher, None), section=Section.PORTFOLIO, audience=ShareAudience.MANAGER)
    sign_in(Client(), world.manager).get(reverse("dossier:person-dossier", kwargs={"person_id": world.teacher.pk}))

    content = sign_in(Client(), world.teacher).get(reverse("dossier:privacy")).content.decode()

    entry = AccessLog.objects.get()
    assert entry.what in content
    with translation.override("nl"):
        assert entry.what == gettext("shared dossier overview")
    assert world.manager.full_name in content
