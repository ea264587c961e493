"""Cross-provider tenancy: the staff of another aanbieder find nothing of this aanbieder's templates and
trajectories. Every staff URL with an object answers 404, GET and POST alike, and nothing changes; their
worklist and template list are empty of ours."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.trajectories import urls_provider
from bekwaam.trajectories.models import (
    CoachingSession,
    Comment,
    PortfolioReview,
    TemplateAssignment,
    TemplateStep,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.tests.factories import assessor_build, template_build, trajectory_build

pytestmark = pytest.mark.django_db

LISTS = {"template-list", "template-create", "worklist"}


def everything() -> object:
    return (
        sorted(
            (str(t.pk), t.state, str(t.coach_id), t.additions_requested, t.snapshot_hash)
            for t in Trajectory.objects.all()
        ),
        sorted(
            (t.name, t.published_at is not None, t.archived_at is not None, t.description)
            for t in TrajectoryTemplate.objects.all()
        ),
        sorted(TemplateStep.objects.values_list("template_id", "position", "title")),
        sorted(TemplateAssignment.objects.values_list("template_id", "position", "title")),
        PortfolioReview.objects.count(),
        CoachingSession.objects.count(),
        Comment.objects.count(),
        TrajectoryEvent.objects.count(),
    )


def staff_requests(world: Any) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(URL name, method, URL, data) for every staff URL that names an object of the world's aanbieder."""
    template = template_build(provider=world.provider, name="Van de academie", published=False)
    step = template.steps.order_by("position").first()
    assignment = template.assignments.order_by("position").first()
    enrolled = trajectory_build(candidate=world.manager, template=template, state=TrajectoryState.ENROLLED)
    requested = trajectory_build(
        candidate=world.manager, template=template, state=TrajectoryState.ASSESSMENT_REQUESTED, coach=world.coach
    )
    reviewing = trajectory_build(
        candidate=world.manager, template=template, state=TrajectoryState.UNDER_REVIEW, coach=world.coach
    )
    day = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    def t(name: str, **extra: Any) -> str:
        return reverse(f"trajectories:{name}", kwargs={"template_id": template.pk, **extra})

    def w(name: str, trajectory: Trajectory) -> str:
        return reverse(f"trajectories:{name}", kwargs={"trajectory_id": trajectory.pk})

    template_data = {"name": "Overgenomen", "kind": "retro_assessment", "price": "1", "criteria": "X"}
    assignment_data = {"title": "Overgenomen", "min_evidence": "1", "min_reflections": "1"}
    return [
        ("template-edit", "get", t("template-edit"), {}),
        ("template-edit", "post", t("template-edit"), template_data),
        ("template-step-add", "post", t("template-step-add"), {"kind": "coaching"}),
        ("template-step-delete", "post", t("template-step-delete", step_id=step.pk), {}),
        ("template-step-move", "post", t("template-step-move", step_id=step.pk), {"direction": "down"}),
        ("template-assignment-add", "post", t("template-assignment-add"), assignment_data),
        ("template-assignment-edit", "get", t("template-assignment-edit", assignment_id=assignment.pk), {}),
        (
            "template-assignment-edit",
            "post",
            t("template-assignment-edit", assignment_id=assignment.pk),
            assignment_data,
        ),
        ("template-assignment-delete", "post", t("template-assignment-delete", assignment_id=assignment.pk), {}),
        (
            "template-assignment-move",
            "post",
            t("template-assignment-move", assignment_id=assignment.pk),
            {"direction": "down"},
        ),
        ("template-publish", "post", t("template-publish"), {}),
        ("template-unpublish", "post", t("template-unpublish"), {}),
        ("template-archive", "post", t("template-archive"), {}),
        ("work", "get", w("work", reviewing), {}),
        ("accept", "post", w("accept", enrolled), {}),
        ("review-start", "post", w("review-start", requested), {}),
        ("additions-request", "post", w("additions-request", reviewing), {"missing": "Alles"}),
        ("interview-plan", "get", w("interview-plan", reviewing), {}),
        ("interview-plan", "post", w("interview-plan", reviewing), {"date": day, "time": "10:00", "location": "X"}),
        ("coaching-create", "post", w("coaching-create", requested), {"held_on": timezone.localdate(), "summary": "X"}),
        ("comment-create", "post", w("comment-create", reviewing), {"body": "Overgenomen"}),
    ]


def test_every_staff_url_with_an_object_is_covered(world: Any) -> None:
    names = {pattern.name for pattern in urls_provider.urlpatterns} - LISTS
    assert {name for name, *_rest in staff_requests(world)} == names


def test_another_aanbieders_assessor_finds_nothing_of_ours(world: Any, client_for: Any) -> None:
    elsewhere = assessor_build(provider=ProviderFactory(name="Andere Academie"), email="assessor@andere.nl")
    template_build(provider=elsewhere.provider_role_grants.get().provider, name="Van de andere academie")
    requests = staff_requests(world)
    client = client_for(elsewhere)
    before = everything()
    problems = []
    for name, method, url, data in requests:
        status = getattr(client, method)(url, data).status_code
        if status != 404:
            problems.append(f"{method.upper()} {name}: {status}")
    assert not problems, problems
    assert everything() == before
    worklist = client.get(reverse("trajectories:worklist"), {"state": "all"})
    assert worklist.status_code == 200
    assert list(worklist.context["rows"]) == []
    templates = client.get(reverse("trajectories:template-list"))
    assert [t.name for t in templates.context["templates"]] == ["Van de andere academie"]


def test_another_aanbieders_coach_finds_no_trajectory_of_ours(world: Any, client_for: Any) -> None:
    coach = assessor_build(provider=ProviderFactory(name="Andere Academie"), email="coach@andere.nl", role=Role.COACH)
    client = client_for(coach)
    requests = staff_requests(world)
    before = everything()
    for name, method, url, data in requests:
        if name.startswith("template-"):
            continue  # template pages are an assessor's: 403 for any coach
        assert getattr(client, method)(url, data).status_code == 404, name
    assert everything() == before
    assert list(client.get(reverse("trajectories:worklist"), {"state": "all"}).context["rows"]) == []


def test_a_coach_of_this_aanbieder_elsewhere_is_not_a_coach_here(world: Any, client_for: Any) -> None:
    """The coach's grant is for the world's aanbieder; a trajectory at another aanbieder naming them as coach
    (data from before a move, say) still is not theirs to see from here."""
    other = ProviderFactory(name="Derde Academie")
    trajectory = trajectory_build(
        candidate=world.manager, template=template_build(provider=other, name="Elders"), coach=world.coach
    )
    response = client_for(world.coach).get(reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk}))
    assert response.status_code == 404
