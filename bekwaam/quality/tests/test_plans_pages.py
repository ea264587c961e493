"""The verbeterplan pages: who sees and writes which plan, starting from a record, forms that come back
with what was typed, PDCA steps through the page (also a stale one), and bounded queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.quality.models import (
    ACTION_MACHINE,
    ActionCheck,
    ActionPhase,
    ImprovementAction,
    ImprovementGoal,
    ImprovementPlan,
)
from bekwaam.quality.tests.factories import evaluation_build, inspection_build, kader_load, standard
from bekwaam.quality.tests.factories_plans import action_build, check_build, goal_build, plan_build, plan_with_action
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, RoleGrantFactory, with_totp

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def plan_url(plan: ImprovementPlan) -> str:
    return reverse("quality:plan-detail", kwargs={"plan_id": plan.pk})


def message_texts(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def nl(text: str, **values: Any) -> str:
    with translation.override("nl"):
        return gettext(text) % values if values else gettext(text)


# --- who sees and writes which plan ---------------------------------------------------------------------

SCHOOL_PLAN_SEEN = {
    "quality_officer": (200, True),
    "board_member": (200, False),  # reads every school's plans, writes none
    "manager": (200, True),  # leads school_a
    "teacher": (404, False),
    "administrator": (404, False),
    "outsider_admin": (404, False),
}


@pytest.mark.parametrize(("persona", "expected"), SCHOOL_PLAN_SEEN.items())
def test_a_school_plan_is_seen_and_written_by(world: Any, client_for: Any, persona: str, expected: Any) -> None:
    status, writes = expected
    plan, _goal, _action = plan_with_action(board=world.board_a, school=world.school_a)
    response = client_for(world.persona(persona)).get(plan_url(plan))
    assert response.status_code == status
    if status == 200:
        assert response.context["writable"] is writes
        assert (reverse("quality:goal-create", kwargs={"plan_id": plan.pk}) in response.content.decode()) is writes


def test_the_schoolleider_does_not_find_another_schools_plan_or_the_boards(world: Any, client_for: Any) -> None:
    other = plan_build(board=world.board_a, school=world.school_a2)
    board_own = plan_build(board=world.board_a, school=None)
    client = client_for(world.manager)
    assert client.get(plan_url(other)).status_code == 404
    assert client.get(plan_url(board_own)).status_code == 404
    listed = client.get(reverse("quality:plan-list")).context["page"].object_list
    assert other not in listed and board_own not in listed


def test_the_bestuur_writes_its_own_plan_but_not_a_schools(world: Any, client_for: Any) -> None:
    board_own = plan_build(board=world.board_a, school=None)
    school_plan = plan_build(board=world.board_a, school=world.school_a)
    client = client_for(world.board_member)
    data = {"title": "Doel van het bestuur", "description": ""}
    response = client.post(reverse("quality:goal-create", kwargs={"plan_id": board_own.pk}), data)
    assert response.status_code == 302
    response = client.post(reverse("quality:goal-create", kwargs={"plan_id": school_plan.pk}), data)
    assert response.status_code == 403
    assert list(ImprovementGoal.objects.values_list("plan_id", flat=True)) == [board_own.pk]


def test_board_b_finds_nothing_of_board_a(world: Any, client_for: Any) -> None:
    plan, goal, action = plan_with_action(board=world.board_a, school=world.school_a)
    client = client_for(world.outsider_admin)
    for url in (
        plan_url(plan),
        reverse("quality:plan-edit", kwargs={"plan_id": plan.pk}),
        reverse("quality:goal-edit", kwargs={"goal_id": goal.pk}),
        reverse("quality:action-edit", kwargs={"action_id": action.pk}),
    ):
        assert client.get(url).status_code in (403, 404)  # outsider_admin has no quality rule at all
    board_b_officer = with_totp(PersonFactory())
    RoleGrantFactory(person=board_b_officer, board=world.board_b, role=Role.QUALITY_OFFICER)
    client = client_for(board_b_officer)
    for url in (
        plan_url(plan),
        reverse("quality:goal-edit", kwargs={"goal_id": goal.pk}),
        reverse("quality:action-edit", kwargs={"action_id": action.pk}),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("quality:action-move", kwargs={"action_id": action.pk}), {"move": "start", "checked_on": TODAY()}
    )
    assert response.status_code == 404
    assert ImprovementAction.objects.get(pk=action.pk).phase == ActionPhase.PLAN


# --- starting a plan ------------------------------------------------------------------------------------


def test_it_starts_a_plan_from_a_self_evaluation_with_the_ticked_goals(world: Any, client_for: Any) -> None:
    framework = kader_load()
    evaluation = evaluation_build(
        board=world.board_a, school=world.school_a, judgements={"OP2": "Onvoldoende", "VS1": "Onvoldoende"}
    )
    client = client_for(world.manager)
    url = f"{reverse('quality:plan-create')}?school={world.school_a.pk}&evaluation={evaluation.pk}"
    page = client.get(url)
    assert page.status_code == 200
    proposals = page.context["proposals"]
    assert len(proposals) == 2
    assert page.context["form"].initial["proposals"] == [p.key for p in proposals]
    response = client.post(
        url, {"school": str(world.school_a.pk), "title": "Plan OP2", "description": "", "proposals": [proposals[0].key]}
    )
    plan = ImprovementPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan_url(plan)
    assert plan.school == world.school_a and plan.source_evaluation == evaluation and plan.created_by == world.manager
    goal = ImprovementGoal.objects.get(plan=plan)
    assert list(goal.standards.all()) == [standard(framework, "OP2")]


def test_a_source_of_another_school_is_refused_with_a_message(world: Any, client_for: Any) -> None:
    evaluation = evaluation_build(board=world.board_a, school=world.school_a2, judgements={"OP2": "Onvoldoende"})
    client = client_for(world.quality_officer)
    url = f"{reverse('quality:plan-create')}?school={world.school_a.pk}&evaluation={evaluation.pk}"
    page = client.get(url)
    assert page.status_code == 400 and page.context["problem"]
    assert 'data-testid="source-problem"' in page.content.decode()
    response = client.post(url, {"school": str(world.school_a.pk), "title": "Fout"})
    assert response.status_code == 400
    assert not ImprovementPlan.objects.exists()


def test_a_source_of_another_board_is_not_found(world: Any, client_for: Any) -> None:
    evaluation = evaluation_build(board=world.board_b, school=world.school_b, judgements={"OP2": "Onvoldoende"})
    client = client_for(world.quality_officer)
    url = f"{reverse('quality:plan-create')}?evaluation={evaluation.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"school": str(world.school_a.pk), "title": "Fout"}).status_code == 404
    assert client.get(f"{reverse('quality:plan-create')}?evaluation=not-a-uuid").status_code == 404
    assert not ImprovementPlan.objects.exists()


def test_it_starts_a_plan_from_an_inspection_for_the_board_itself(world: Any, client_for: Any) -> None:
    visit = inspection_build(
        board=world.board_a,
        school=None,
        date=TODAY() - datetime.timedelta(days=5),
        judgements={"BKA2": "insufficient"},
        repair_orders=[("BKA2", "Zorg voor een sluitende kwaliteitscultuur.", None)],
    )
    client = client_for(world.quality_officer)
    url = f"{reverse('quality:plan-create')}?inspection={visit.pk}"
    page = client.get(url)
    assert page.status_code == 200 and page.context["fixed"] == "board"
    keys = [p.key for p in page.context["proposals"]]
    response = client.post(url, {"school": "board", "title": "Bestuursplan", "proposals": keys})
    assert response.status_code == 302
    plan = ImprovementPlan.objects.get()
    assert plan.school is None and plan.source_inspection == visit
    assert plan.goals.count() == 2
    # The schoolleider may not start the board's plan.
    assert client_for(world.manager).get(url).status_code == 404


def test_a_bestuurder_may_not_start_a_schools_plan(world: Any, client_for: Any) -> None:
    client = client_for(world.board_member)
    response = client.get(f"{reverse('quality:plan-create')}?school={world.school_a.pk}")
    assert response.status_code == 403
    page = client.get(reverse("quality:plan-create"))
    assert page.status_code == 200
    assert [value for value, _label in page.context["form"].fields["school"].choices] == ["", "board"]


def test_the_plan_form_keeps_what_was_typed(world: Any, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    response = client.post(
        reverse("quality:plan-create"), {"school": "", "title": "", "description": "Mijn lange toelichting"}
    )
    assert response.status_code == 400
    assert "Mijn lange toelichting" in response.content.decode()
    assert not ImprovementPlan.objects.exists()


# --- goals and actions ----------------------------------------------------------------------------------


def test_goal_and_action_forms_through_the_pages(world: Any, client_for: Any) -> None:
    framework = kader_load()
    plan = plan_build(board=world.board_a, school=world.school_a)
    client = client_for(world.manager)
    page = client.get(reverse("quality:goal-create", kwargs={"plan_id": plan.pk}))
    choices = [value for value, _label in page.context["form"].fields["standards"].choices]
    assert standard(framework, "OP2").pk in choices and standard(framework, "BKA1").pk not in choices
    response = client.post(
        reverse("quality:goal-create", kwargs={"plan_id": plan.pk}),
        {"title": "Zicht op ontwikkeling", "description": "", "standards": [standard(framework, "OP2").pk]},
    )
    goal = ImprovementGoal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")

    url = reverse("quality:action-create", kwargs={"goal_id": goal.pk})
    page = client.get(url)
    owners = [value for value, _label in page.context["form"].fields["owner"].choices]
    assert str(world.teacher.pk) in owners and str(world.quality_officer.pk) in owners
    assert str(world.outsider.pk) not in owners
    typed = {
        "title": "Groepsbezoeken door de IB'er",
        "description": "Elke groep één keer",
        "owner": str(world.teacher.pk),
        "start_date": TODAY().isoformat(),
        "deadline": (TODAY() - datetime.timedelta(days=3)).isoformat(),
    }
    response = client.post(url, typed)
    assert response.status_code == 400
    assert response.context["form"].errors["deadline"] == [nl("The deadline cannot be before the start date.")]
    body = response.content.decode()
    assert "Groepsbezoeken door de IB&#x27;er" in body and "Elke groep één keer" in body
    assert not ImprovementAction.objects.exists()
    typed["deadline"] = (TODAY() + datetime.timedelta(days=30)).isoformat()
    response = client.post(url, typed)
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.pk}")
    assert action.owner == world.teacher and action.phase == ActionPhase.PLAN

    edit = reverse("quality:action-edit", kwargs={"action_id": action.pk})
    response = client.post(edit, {**typed, "owner": str(world.outsider.pk)})
    assert response.status_code == 400 and "owner" in response.context["form"].errors
    response = client.post(edit, {**typed, "title": "Nieuwe titel"})
    assert response.status_code == 302
    assert ImprovementAction.objects.get().title == "Nieuwe titel"


def test_a_goal_with_checked_actions_is_not_removed(world: Any, client_for: Any) -> None:
    _plan, goal, action = plan_with_action(board=world.board_a, school=world.school_a)
    check_build(action)
    response = client_for(world.manager).post(reverse("quality:goal-delete", kwargs={"goal_id": goal.pk}))
    assert response.status_code == 302
    assert ImprovementGoal.objects.filter(pk=goal.pk).exists()


# --- PDCA through the page -------------------------------------------------------------------------------


def move(client: Any, action: ImprovementAction, step: str, text: str = "", **extra: Any) -> Any:
    data = {"move": step, "checked_on": TODAY().isoformat(), "text": text, **extra}
    return client.post(reverse("quality:action-move", kwargs={"action_id": action.pk}), data)


def test_it_moves_an_action_through_pdca_with_dated_notes(world: Any, client_for: Any) -> None:
    plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a)
    client = client_for(world.manager)
    assert move(client, action, "start").status_code == 302
    response = move(client, action, "check")
    assert response.status_code == 400
    assert "text" in response.context["goals"][0].actions[0].move_form.errors
    assert ImprovementAction.objects.get().phase == ActionPhase.DO
    assert move(client, action, "check", "Vier groepen bezocht.").status_code == 302
    assert move(client, action, "adjust").status_code == 302
    assert move(client, action, "complete", "De aanpak staat in het schoolplan.").status_code == 302
    assert ImprovementAction.objects.get().phase == ActionPhase.DONE
    assert list(ActionCheck.objects.values_list("phase", "text")) == [
        ("check", "Vier groepen bezocht."),
        ("done", "De aanpak staat in het schoolplan."),
    ]
    response = client.post(reverse("quality:plan-close", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 302
    assert ImprovementPlan.objects.get().state == "closed"
    page = client.get(plan_url(plan))
    assert page.context["writable"] is False


def test_a_stale_step_gets_the_machines_message_and_the_note_back(world: Any, client_for: Any) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.CHECK)
    client = client_for(world.manager)
    response = move(client, action, "check", "Mijn notitie die niet verloren mag gaan")
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.pk}")
    texts = message_texts(response)
    with translation.override("nl"):
        expected = str(
            gettext("“%(action)s” is not possible now: the status is “%(state)s”. Reload the page to see the latest.")
            % {"action": ACTION_MACHINE.action_labels["check"], "state": ActionPhase.CHECK.label}
        )
    assert expected in texts
    assert any("Mijn notitie die niet verloren mag gaan" in text for text in texts)
    assert not ActionCheck.objects.exists()


def test_a_check_form_with_errors_comes_back_on_the_plan_page(world: Any, client_for: Any) -> None:
    _plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, phase=ActionPhase.DO)
    client = client_for(world.manager)
    url = reverse("quality:action-check-add", kwargs={"action_id": action.pk})
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"checked_on": tomorrow, "text": "Nog niet gebeurd"})
    assert response.status_code == 400
    panel = response.context["goals"][0].actions[0]
    assert panel.open == "check" and "checked_on" in panel.check_form.errors
    assert "Nog niet gebeurd" in response.content.decode()
    assert client.post(url, {"checked_on": TODAY().isoformat(), "text": "Gedaan"}).status_code == 302
    assert ActionCheck.objects.get().phase == ActionPhase.DO


def test_overdue_is_shown_in_words(world: Any, client_for: Any) -> None:
    plan = plan_build(board=world.board_a, school=world.school_a)
    goal = goal_build(plan)
    late = action_build(
        goal, start_date=TODAY() - datetime.timedelta(days=60), deadline=TODAY() - datetime.timedelta(days=1)
    )
    action_build(
        goal,
        phase=ActionPhase.DONE,
        start_date=TODAY() - datetime.timedelta(days=60),
        deadline=TODAY() - datetime.timedelta(days=1),
    )
    page = client_for(world.manager).get(plan_url(plan))
    assert page.context["detail"].overdue_count == 1
    body = page.content.decode()
    overdue = re.findall(r'id="action-([0-9a-f-]+)"[^>]*data-overdue="yes"', body)
    assert overdue == [str(late.pk)]
    assert 'data-testid="overdue"' in body


def test_the_plan_page_takes_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    framework = kader_load()
    plan, _goal, action = plan_with_action(board=world.board_a, school=world.school_a, owner=world.teacher)
    check_build(action)
    client = client_for(world.manager)
    with CaptureQueriesContext(connection) as few:
        assert client.get(plan_url(plan)).status_code == 200
    for g in range(6):
        more = goal_build(plan, title=f"Doel {g}", position=g + 1, standards=[standard(framework, "OP2")])
        for a in range(4):
            person = PersonFactory()
            EmploymentFactory(person=person, school=world.school_a)
            extra = action_build(more, title=f"Actie {a}", owner=person)
            check_build(extra)
            check_build(extra, text="Nog een")
    with CaptureQueriesContext(connection) as many:
        assert client.get(plan_url(plan)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_plan_list_takes_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.quality_officer)
    plan_with_action(board=world.board_a, school=world.school_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("quality:plan-list")).status_code == 200
    for _ in range(30):
        plan_with_action(board=world.board_a, school=world.school_a2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("quality:plan-list"))
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)
    filtered = client.get(reverse("quality:plan-list"), {"school": world.school_a.pk})
    assert len(filtered.context["page"].object_list) == 1
    assert client.get(reverse("quality:plan-list"), {"school": world.school_b.pk}).status_code == 404
