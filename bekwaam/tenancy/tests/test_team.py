""" "Mijn team": each person's conversations this school year, in words, with a link to plan or open them."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from bekwaam.conversations.models import Conversation, ConversationCycle, ConversationState
from bekwaam.conversations.selectors.cycle import StepStatus
from bekwaam.conversations.services.setup import conversation_defaults_install
from bekwaam.tenancy.models import Employment

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2025, 12, 10, 9, 0, tzinfo=AMSTERDAM)  # school year 2025-2026


def dutch_text(status: StepStatus) -> str:
    with translation.override("nl"):
        return escape(status.text)


def planned(employment: Employment, manager: Any, kind: str, day: datetime.date, state: str) -> Conversation:
    scheduled = datetime.datetime.combine(day, datetime.time(14), tzinfo=AMSTERDAM)
    return Conversation.objects.create(
        board_id=employment.board_id,
        school_id=employment.school_id,
        employment=employment,
        employee_id=employment.person_id,
        manager=manager,
        kind=kind,
        school_year=2025,
        state=state,
        scheduled_at=scheduled,
        signed_at=scheduled if state == ConversationState.SIGNED else None,
    )


@time_machine.travel(NOW, tick=False)
def test_it_shows_each_persons_conversations_this_school_year(world: Any, client_for: Any) -> None:
    conversation_defaults_install(board_id=world.board_a.pk)
    teacher = Employment.objects.get(person=world.teacher)
    colleague = Employment.objects.get(person=world.colleague)
    development = planned(teacher, world.manager, "development", datetime.date(2026, 1, 12), ConversationState.PLANNED)
    planned(colleague, world.manager, "development", datetime.date(2025, 10, 6), ConversationState.SIGNED)

    response = client_for(world.manager).get("/team/")
    assert response.status_code == 200
    content = response.content.decode()
    rows = dict(response.context["rows"])
    texts = {cell.status.kind: cell for cell in rows[teacher]}

    # The teacher's development conversation is planned: a link to it, no "plan" link.
    assert texts["development"].url == reverse("conversations:detail", kwargs={"conversation_id": development.pk})
    assert texts["development"].plan_url is None
    assert dutch_text(texts["development"].status) in content
    assert texts["development"].url in content
    # The performance conversation is due by the end of March: plan it.
    plan = f"{reverse('conversations:plan')}?employment={teacher.pk}&amp;kind=performance"
    assert plan in content
    assert texts["performance"].status.status == "due"
    # The development conversation was due by the end of November for the colleague, who had it signed.
    colleague_cells = {cell.status.kind: cell for cell in rows[colleague]}
    assert colleague_cells["development"].status.status == "done"
    assert dutch_text(colleague_cells["development"].status) in content
    # The appraisal: due (never held), due by the end of June.
    assert texts["appraisal"].status.status == "due"


@time_machine.travel(NOW, tick=False)
def test_it_marks_overdue_in_words_and_offers_to_plan(world: Any, client_for: Any) -> None:
    conversation_defaults_install(board_id=world.board_a.pk)
    teacher = Employment.objects.get(person=world.teacher)
    response = client_for(world.manager).get("/team/")
    cell = next(c for c in dict(response.context["rows"])[teacher] if c.status.kind == "development")
    assert cell.status.status == "overdue"  # due by the end of November, nothing planned
    content = response.content.decode()
    assert f'<span class="badge badge--overdue">{dutch_text(cell.status)}</span>' in content
    assert f"employment={teacher.pk}&amp;kind=development" in content


@time_machine.travel(NOW, tick=False)
def test_it_says_so_when_the_board_has_no_cycle(world: Any, client_for: Any) -> None:
    assert not ConversationCycle.objects.filter(board=world.board_a).exists()
    response = client_for(world.manager).get("/team/")
    content = response.content.decode()
    with translation.override("nl"):
        note = translation.gettext(
            "Your board has not set up its conversation cycle yet, so no conversations are shown as due."
        )
    assert escape(note) in content
    assert "kind=development" not in content


@time_machine.travel(NOW, tick=False)
def test_it_does_not_show_another_boards_conversations(world: Any, client_for: Any) -> None:
    conversation_defaults_install(board_id=world.board_a.pk)
    conversation_defaults_install(board_id=world.board_b.pk)
    outsider = Employment.objects.get(person=world.outsider)
    planned(outsider, world.outsider_admin, "development", datetime.date(2026, 1, 12), ConversationState.PLANNED)
    response = client_for(world.manager).get("/team/")
    assert outsider not in dict(response.context["rows"])
    assert str(outsider.pk) not in response.content.decode()
