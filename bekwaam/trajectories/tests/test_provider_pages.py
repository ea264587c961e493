"""The aanbieder's pages: the worklist (who sees what, filters, counts, a flat query count from 3 to 500
trajectories), the staff trajectory page (roles, the portfolio only once submitted, bounded queries), the
template pages and the steps' forms (typed input kept on error, refusals as messages).

Assertions use status codes, data attributes, the database and words the tests typed themselves, so they do
not depend on the language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from bekwaam.trajectories.models import (
    CoachingSession,
    Comment,
    PortfolioItemKind,
    StepKind,
    TemplateKind,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.tests.factories import item_build, template_build, themes, trajectory_build

pytestmark = pytest.mark.django_db
S = TrajectoryState


def work_url(trajectory: Trajectory, name: str = "work") -> str:
    return reverse(f"trajectories:{name}", kwargs={"trajectory_id": trajectory.pk})


def listed(response: Any) -> set[str]:
    return {str(trajectory.pk) for trajectory in response.context["rows"]}


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def candidates_bulk(
    world: Any, template: TrajectoryTemplate, number: int, state: str = S.COLLECTING, prefix: str = "k"
) -> None:
    """`number` trajectories of different candidates, written in bulk (fast), each with two themes."""
    people = [
        PersonFactory.build(email=f"{prefix}{n}@school.nl", given_name=f"K{n}", family_name="Kandidaat")
        for n in range(number)
    ]
    model = type(world.manager)
    model.objects.bulk_create(people)
    now = timezone.now()
    made = Trajectory.objects.bulk_create(
        [
            Trajectory(
                provider=world.provider,
                template=template,
                candidate=person,
                candidate_board=world.board_a,
                state=state,
                with_coaching=n % 2 == 0,
                coach=world.coach if n % 2 == 0 else None,
                enrolled_at=now - datetime.timedelta(minutes=n),
                requested_at=now if state not in (S.ENROLLED, S.COLLECTING) else None,
            )
            for n, person in enumerate(people)
        ]
    )
    through = Trajectory.themes.through
    chosen = themes(2)
    through.objects.bulk_create([through(trajectory=t, theme=theme) for t in made for theme in chosen])


# --- the worklist ---------------------------------------------------------------------------------------


def test_the_assessor_starts_at_the_trajectories_waiting_for_action(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    waiting = {
        state: trajectory_build(candidate=world.manager, template=template, state=state)
        for state in (S.ENROLLED, S.ASSESSMENT_REQUESTED, S.UNDER_REVIEW, S.INTERVIEW_PLANNED, S.DECIDING)
    }
    others = [
        trajectory_build(candidate=world.manager, template=template, state=state)
        for state in (S.COLLECTING, S.ADDITIONS_REQUESTED, S.CERTIFIED)
    ]
    client = client_for(world.assessor)
    response = client.get(reverse("trajectories:worklist"))
    assert response.status_code == 200
    assert listed(response) == {str(t.pk) for t in waiting.values()}
    everything = client.get(reverse("trajectories:worklist"), {"state": "all"})
    assert listed(everything) == {str(t.pk) for t in [*waiting.values(), *others]}
    certified = client.get(reverse("trajectories:worklist"), {"state": S.CERTIFIED})
    assert listed(certified) == {str(others[2].pk)}
    counts = {option.key: option.count for option in response.context["options"]}
    assert counts["action"] == 5
    assert counts["open"] == 7
    assert counts["all"] == 8
    assert counts[S.COLLECTING] == 1
    assert f'data-state="{S.DECIDING}" data-count="1"' in response.text


def test_the_coach_sees_only_the_trajectories_they_coach(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    coached = trajectory_build(candidate=world.manager, template=template, coach=world.coach)
    trajectory_build(candidate=world.manager, template=template)
    response = client_for(world.coach).get(reverse("trajectories:worklist"))
    assert response.status_code == 200
    assert listed(response) == {str(coached.pk)}
    assert response.context["options"][2].count == 1


def test_an_unknown_filter_falls_back_to_the_default(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    enrolled = trajectory_build(candidate=world.manager, template=template, state=S.ENROLLED)
    response = client_for(world.assessor).get(reverse("trajectories:worklist"), {"state": "nonsense"})
    assert listed(response) == {str(enrolled.pk)}


def test_the_worklist_query_count_is_flat_from_3_to_500(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    client = client_for(world.assessor)
    candidates_bulk(world, template, 3, state=S.ASSESSMENT_REQUESTED)
    few = count_queries(client, reverse("trajectories:worklist"))
    candidates_bulk_more = 497
    Trajectory.objects.all().delete()
    candidates_bulk(world, template, candidates_bulk_more + 3, state=S.ASSESSMENT_REQUESTED, prefix="veel")
    many_response = client.get(reverse("trajectories:worklist"), {"page": 2})
    assert len(many_response.context["rows"]) == 25
    assert many_response.context["page"].paginator.count == 500
    many = count_queries(client, reverse("trajectories:worklist") + "?page=20")
    assert many == few
    assert few <= 12


def test_the_coachs_worklist_query_count_is_flat(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    client = client_for(world.coach)
    candidates_bulk(world, template, 4)
    few = count_queries(client, reverse("trajectories:worklist"))
    Trajectory.objects.all().delete()
    candidates_bulk(world, template, 120, prefix="veel")
    assert count_queries(client, reverse("trajectories:worklist")) == few


# --- the staff trajectory page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("assessor", 200), ("coach", 200), ("manager", 403), ("teacher", 403), ("administrator", 403)],
)
def test_the_staff_page_is_for_its_assessors_and_coach(world: Any, client_for: Any, persona: str, status: int) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), coach=world.coach
    )
    response = client_for(world.persona(persona)).get(work_url(trajectory))
    assert response.status_code == status


def test_the_candidate_is_pointed_to_their_own_page(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(candidate=world.manager, template=template_build(provider=world.provider))
    response = client_for(world.manager).get(work_url(trajectory))
    assert response.status_code == 403
    assert work_url(trajectory, "detail") in response.text


def test_a_coach_does_not_find_a_trajectory_they_do_not_coach(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(candidate=world.manager, template=template_build(provider=world.provider))
    assert client_for(world.coach).get(work_url(trajectory)).status_code == 404


def test_staff_see_the_portfolio_only_once_submitted(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    collecting = trajectory_build(candidate=world.manager, template=template, coach=world.coach, complete=True)
    submitted = trajectory_build(candidate=world.manager, template=template, coach=world.coach, state=S.UNDER_REVIEW)
    for person in (world.assessor, world.coach):
        client = client_for(person)
        hidden = client.get(work_url(collecting))
        assert 'data-testid="portfolio-hidden"' in hidden.text
        assert "Bewijs 1.0" not in hidden.text
        shown = client.get(work_url(submitted))
        assert 'data-testid="portfolio"' in shown.text
        assert "Bewijs 1.0" in shown.text


def test_the_page_shows_what_the_portfolio_misses(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    trajectory = trajectory_build(candidate=world.manager, template=template, state=S.UNDER_REVIEW, complete=False)
    response = client_for(world.assessor).get(work_url(trajectory))
    assert 'data-testid="missing"' in response.text
    assert response.context["page"].missing


def test_the_staff_page_query_count_does_not_grow_with_the_portfolio(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider, assignments=2)
    trajectory = trajectory_build(candidate=world.manager, template=template, coach=world.coach, state=S.UNDER_REVIEW)
    client = client_for(world.assessor)
    few = count_queries(client, work_url(trajectory))
    for assignment in trajectory.assignments.all():
        for n in range(6):
            item = item_build(trajectory=trajectory, assignment=assignment, title=f"Extra {n}")
            Comment.objects.create(trajectory=trajectory, item=item, author=world.coach, body="Opmerking")
        item_build(trajectory=trajectory, assignment=assignment, kind=PortfolioItemKind.REFLECTION)
    for n in range(5):
        CoachingSession.objects.create(
            trajectory=trajectory, coach=world.coach, held_on=timezone.localdate(), summary=f"Sessie {n}"
        )
        TrajectoryEvent.objects.create(trajectory=trajectory, actor=world.assessor, action="start_review")
    many = count_queries(client, work_url(trajectory))
    assert many == few
    assert few <= 30


def test_the_hub_links_to_the_judgement_when_deciding(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), state=S.DECIDING
    )
    response = client_for(world.assessor).get(work_url(trajectory))
    assert work_url(trajectory, "judgement") in response.text
    assert 'data-testid="judge-link"' in response.text


# --- the steps through the pages ------------------------------------------------------------------------


def test_accepting_with_a_coach_through_the_page(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), state=S.ENROLLED
    )
    trajectory.with_coaching = True
    trajectory.save(update_fields=["with_coaching"])
    client = client_for(world.assessor)
    page = client.get(work_url(trajectory))
    assert 'data-testid="accept-form"' in page.text
    assert page.context["accept_form"].fields["coach"].queryset.filter(pk=world.coach.pk).exists()
    missing = client.post(work_url(trajectory, "accept"), {})
    assert missing.status_code == 400
    response = client.post(work_url(trajectory, "accept"), {"coach": world.coach.pk})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert (trajectory.state, trajectory.coach_id) == (S.COLLECTING, world.coach.pk)
    again = client.post(work_url(trajectory, "accept"), {"coach": world.coach.pk}, follow=True)
    assert 'class="message message--error"' in again.text


def test_a_request_for_additions_keeps_the_typed_text(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), state=S.UNDER_REVIEW
    )
    client = client_for(world.assessor)
    too_long = "Mist een verslag. " * 400
    response = client.post(work_url(trajectory, "additions-request"), {"missing": too_long})
    assert response.status_code == 400
    assert "Mist een verslag." in response.text
    response = client.post(work_url(trajectory, "additions-request"), {"missing": "Het verslag van de studiedag"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.state == S.ADDITIONS_REQUESTED
    # A second assessor's request on the stale page: refused, with the text handed back.
    stale = client.post(work_url(trajectory, "additions-request"), {"missing": "Nog een bijlage"}, follow=True)
    assert "Nog een bijlage" in stale.text
    assert trajectory.reviews.count() == 1


def test_planning_the_interview_through_the_page(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), state=S.UNDER_REVIEW
    )
    client = client_for(world.assessor)
    assert client.get(work_url(trajectory, "interview-plan")).status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    past = client.post(
        work_url(trajectory, "interview-plan"), {"date": yesterday.isoformat(), "time": "10:00", "location": "Zaal"}
    )
    assert past.status_code == 400
    assert 'value="Zaal"' in past.text
    day = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(work_url(trajectory, "interview-plan"), {"date": day, "time": "10:30", "location": "Zaal"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.state == S.INTERVIEW_PLANNED
    assert trajectory.snapshot_hash
    moving = client.get(work_url(trajectory, "interview-plan"))
    assert moving.context["moving"]
    assert 'value="Zaal"' in moving.text
    later = (timezone.localdate() + datetime.timedelta(days=12)).isoformat()
    moved = client.post(
        work_url(trajectory, "interview-plan"), {"date": later, "time": "11:00", "location": "Online", "move": "1"}
    )
    assert moved.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.interview_location == "Online"


def test_the_interview_form_is_not_offered_before_the_review(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(candidate=world.manager, template=template_build(provider=world.provider))
    response = client_for(world.assessor).get(work_url(trajectory, "interview-plan"))
    assert response.status_code == 302


def test_the_coach_records_a_session_and_comments_through_the_page(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), coach=world.coach
    )
    client = client_for(world.coach)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    refused = client.post(work_url(trajectory, "coaching-create"), {"held_on": future, "summary": "Gepland overleg"})
    assert refused.status_code == 400
    assert "Gepland overleg" in refused.text
    today = timezone.localdate().isoformat()
    made = client.post(work_url(trajectory, "coaching-create"), {"held_on": today, "summary": "Over de visie"})
    assert made.status_code == 302
    assert trajectory.coaching_sessions.get().summary == "Over de visie"
    commented = client.post(work_url(trajectory, "comment-create"), {"body": "Goed bezig"})
    assert commented.status_code == 302
    assert trajectory.comments.get().body == "Goed bezig"
    page = client.get(work_url(trajectory))
    assert "Over de visie" in page.text
    assert "Goed bezig" in page.text


def test_an_assessor_does_not_record_coaching_sessions(world: Any, client_for: Any) -> None:
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=world.provider), coach=world.coach
    )
    response = client_for(world.assessor).post(
        work_url(trajectory, "coaching-create"), {"held_on": timezone.localdate().isoformat(), "summary": "X"}
    )
    assert response.status_code == 403
    assert not trajectory.coaching_sessions.exists()


# --- templates ------------------------------------------------------------------------------------------


def edit_url(template: TrajectoryTemplate, name: str = "template-edit", **extra: Any) -> str:
    return reverse(f"trajectories:{name}", kwargs={"template_id": template.pk, **extra})


def test_making_a_programme_from_the_example_through_the_pages(world: Any, client_for: Any) -> None:
    client = client_for(world.assessor)
    assert client.get(reverse("trajectories:template-create")).status_code == 200
    response = client.post(
        reverse("trajectories:template-create"),
        {
            "name": "Schoolleider in ontwikkeling",
            "kind": TemplateKind.PROGRAMME,
            "start": "example",
            "price": "1500",
            "coaching_price": "",
            "criteria": "Criterium A\nCriterium B",
        },
    )
    assert response.status_code == 302
    template = TrajectoryTemplate.objects.get(name="Schoolleider in ontwikkeling")
    assert response["Location"] == edit_url(template)
    assert template.steps.filter(kind=StepKind.BASELINE).exists()
    page = client.get(edit_url(template))
    assert page.status_code == 200
    assert client.post(edit_url(template, "template-publish")).status_code == 302
    template.refresh_from_db()
    assert template.published_at is not None
    listing = client.get(reverse("trajectories:template-list"))
    assert f'data-template="{template.pk}" data-status="published"' in listing.text


def test_a_step_with_errors_keeps_its_input(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    client = client_for(world.assessor)
    response = client.post(edit_url(template, "template-step-add"), {"kind": "nonsense", "title": "Mijn stap"})
    assert response.status_code == 400
    assert 'value="Mijn stap"' in response.text
    ok = client.post(edit_url(template, "template-step-add"), {"kind": StepKind.COACHING, "title": "Begeleiding"})
    assert ok.status_code == 302
    assert template.steps.order_by("position").last().title == "Begeleiding"


def test_assignments_through_the_pages(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider, assignments=1)
    client = client_for(world.assessor)
    theme = themes(1)[0]
    bad = client.post(
        edit_url(template, "template-assignment-add"),
        {"title": "Leeg", "min_evidence": "0", "min_reflections": "0"},
    )
    assert bad.status_code == 400
    assert 'value="Leeg"' in bad.text
    added = client.post(
        edit_url(template, "template-assignment-add"),
        {"title": "Thema-opdracht", "theme": theme.pk, "min_evidence": "2", "min_reflections": "1"},
    )
    assert added.status_code == 302
    made = template.assignments.get(title="Thema-opdracht")
    assert made.theme_id == theme.pk
    edit = edit_url(template, "template-assignment-edit", assignment_id=made.pk)
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "Hernoemd", "min_evidence": "1", "min_reflections": "1"})
    made.refresh_from_db()
    assert (made.title, made.theme_id) == ("Hernoemd", None)
    client.post(edit_url(template, "template-assignment-move", assignment_id=made.pk), {"direction": "up"})
    assert template.assignments.order_by("position").first().pk == made.pk
    client.post(edit_url(template, "template-assignment-delete", assignment_id=made.pk))
    assert not template.assignments.filter(pk=made.pk).exists()


def test_the_template_pages_have_bounded_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.assessor)
    template = template_build(provider=world.provider, assignments=2)
    few_list = count_queries(client, reverse("trajectories:template-list"))
    few_edit = count_queries(client, edit_url(template))
    for n in range(8):
        extra = template_build(provider=world.provider, name=f"Extra {n}", assignments=4)
        trajectory_build(candidate=world.manager, template=extra)
    bigger = template_build(provider=world.provider, name="Groot", assignments=12)
    assert count_queries(client, reverse("trajectories:template-list")) == few_list
    assert count_queries(client, edit_url(bigger)) == few_edit


def test_a_new_candidate_of_another_board_is_listed_like_any_other(world: Any, client_for: Any) -> None:
    leader = PersonFactory(email="leider@beta.nl")
    EmploymentFactory(person=leader, school=world.school_b, function="school_leader")
    trajectory = trajectory_build(
        candidate=leader, template=template_build(provider=world.provider), state=S.ASSESSMENT_REQUESTED
    )
    response = client_for(world.assessor).get(reverse("trajectories:worklist"))
    assert str(trajectory.pk) in listed(response)
