"""The aanbieder's templates: both kinds buildable from an example, steps and assignments edited and moved,
publishing rules, archive, criteria codes, and edits that never reach running trajectories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.trajectories.models import StepKind, TemplateKind, TemplateStep, TrajectoryState
from bekwaam.trajectories.services import templates as services
from bekwaam.trajectories.services.templates import AssignmentData, TemplateData
from bekwaam.trajectories.tests.factories import assessor_build, template_build, themes, trajectory_build

pytestmark = pytest.mark.django_db


def actor(person: Any) -> Any:
    return actor_for(person, None)


def data(**overrides: Any) -> TemplateData:
    values: dict[str, Any] = {
        "name": "Leiderschap in de praktijk",
        "kind": TemplateKind.RETRO_ASSESSMENT,
        "description": "Achteraf waarderen.",
        "price": Decimal("950.00"),
        "criteria": ["Eerste criterium", "Tweede criterium"],
    }
    values.update(overrides)
    return TemplateData(**values)


def kinds(template: Any) -> list[str]:
    return list(TemplateStep.objects.filter(template=template).order_by("position").values_list("kind", flat=True))


def test_the_retro_assessment_example_has_its_steps_and_assignments(world: Any) -> None:
    template = services.template_create(actor=actor(world.assessor), data=data(), example=True)
    assert template.provider_id == world.provider.pk
    assert template.published_at is None
    assert kinds(template) == [
        StepKind.COLLECTING,
        StepKind.PORTFOLIO_CHECK,
        StepKind.INTERVIEW,
        StepKind.DECISION,
        StepKind.CERTIFICATE,
    ]
    assert template.assignments.count() == 2
    assert [c["text"] for c in template.criteria] == ["Eerste criterium", "Tweede criterium"]
    assert len({c["code"] for c in template.criteria}) == 2


def test_the_programme_example_has_intake_baseline_collecting_coaching_check_interview_certificate(world: Any) -> None:
    template = services.template_create(
        actor=actor(world.assessor), data=data(kind=TemplateKind.PROGRAMME), example=True
    )
    assert kinds(template) == [
        StepKind.INTAKE,
        StepKind.BASELINE,
        StepKind.COLLECTING,
        StepKind.COACHING,
        StepKind.PORTFOLIO_CHECK,
        StepKind.INTERVIEW,
        StepKind.DECISION,
        StepKind.CERTIFICATE,
    ]
    assert template.coaching_offered
    assert template.reflection_instrument  # the digital baseline
    services.template_publish(actor=actor(world.assessor), template=template)
    assert template.published_at is not None


def test_an_empty_template_cannot_be_published_until_it_has_a_step_and_an_assignment(world: Any) -> None:
    assessor = actor(world.assessor)
    template = services.template_create(actor=assessor, data=data())
    with pytest.raises(ValidationError) as error:
        services.template_publish(actor=assessor, template=template)
    assert len(error.value.messages) == 2
    services.template_step_add(actor=assessor, template=template, kind=StepKind.INTERVIEW)
    with pytest.raises(ValidationError):
        services.template_publish(actor=assessor, template=template)
    services.template_assignment_add(actor=assessor, template=template, data=AssignmentData("Opdracht"))
    services.template_publish(actor=assessor, template=template)
    template.refresh_from_db()
    assert template.published_at is not None
    assert template.steps.get().title == str(StepKind.INTERVIEW.label)  # an empty title takes the kind's name


def test_it_refuses_a_template_without_criteria_or_a_name_taken(world: Any) -> None:
    assessor = actor(world.assessor)
    with pytest.raises(ValidationError) as error:
        services.template_create(actor=assessor, data=data(criteria=["", "  "]))
    assert "criteria" in error.value.error_dict
    services.template_create(actor=assessor, data=data())
    with pytest.raises(ValidationError) as error:
        services.template_create(actor=assessor, data=data(name="leiderschap in de PRAKTIJK"))
    assert "name" in error.value.error_dict


def test_another_aanbieder_may_use_the_same_name(world: Any) -> None:
    services.template_create(actor=actor(world.assessor), data=data())
    elsewhere = assessor_build(provider=ProviderFactory(), email="assessor@elders.nl")
    template = services.template_create(actor=actor(elsewhere), data=data())
    assert template.provider_id != world.provider.pk


def test_a_coach_does_not_manage_templates(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.template_create(actor=actor(world.coach), data=data())


def test_steps_move_up_and_down_and_keep_unique_positions(world: Any) -> None:
    assessor = actor(world.assessor)
    template = services.template_create(actor=assessor, data=data(), example=True)
    first, second = list(TemplateStep.objects.filter(template=template).order_by("position"))[:2]
    services.template_step_move(actor=assessor, step=second, direction=services.UP)
    assert kinds(template)[:2] == [second.kind, first.kind]
    services.template_step_move(actor=assessor, step=second, direction=services.UP)  # at the top: nothing
    assert kinds(template)[:2] == [second.kind, first.kind]
    services.template_step_move(actor=assessor, step=second, direction=services.DOWN)
    assert kinds(template)[:2] == [first.kind, second.kind]
    with pytest.raises(ValidationError):
        services.template_step_move(actor=assessor, step=second, direction="sideways")


def test_a_published_template_keeps_its_last_step_and_assignment(world: Any) -> None:
    assessor = actor(world.assessor)
    template = template_build(provider=world.provider, assignments=1)
    for step in list(template.steps.order_by("position"))[:-1]:
        services.template_step_delete(actor=assessor, step=step)
    last_step = template.steps.get()
    with pytest.raises(ValidationError):
        services.template_step_delete(actor=assessor, step=last_step)
    with pytest.raises(ValidationError):
        services.template_assignment_delete(actor=assessor, assignment=template.assignments.get())
    services.template_unpublish(actor=assessor, template=template)
    services.template_assignment_delete(actor=assessor, assignment=template.assignments.get())
    assert not template.assignments.exists()


def test_an_archived_template_is_read_only_and_not_offered(world: Any) -> None:
    assessor = actor(world.assessor)
    template = template_build(provider=world.provider)
    services.template_archive(actor=assessor, template=template)
    template.refresh_from_db()
    assert template.archived_at is not None
    assert template.published_at is None
    with pytest.raises(ValidationError):
        services.template_publish(actor=assessor, template=template)
    with pytest.raises(ValidationError):
        services.template_step_add(actor=assessor, template=template, kind=StepKind.INTERVIEW)
    with pytest.raises(ValidationError):
        services.template_update(actor=assessor, template=template, data=data())


@pytest.mark.parametrize(
    ("assignment", "field"),
    [
        (AssignmentData("  "), "title"),
        (AssignmentData("Opdracht", min_evidence=0, min_reflections=0), "min_evidence"),
        (AssignmentData("Opdracht", min_evidence=21), "min_evidence"),
    ],
)
def test_an_assignment_needs_a_title_and_asks_for_something(world: Any, assignment: AssignmentData, field: str) -> None:
    template = template_build(provider=world.provider)
    with pytest.raises(ValidationError) as error:
        services.template_assignment_add(actor=actor(world.assessor), template=template, data=assignment)
    assert field in error.value.error_dict


def test_an_assignment_for_one_theme(world: Any) -> None:
    theme = themes(1)[0]
    template = template_build(provider=world.provider, assignments=0)
    made = services.template_assignment_add(
        actor=actor(world.assessor), template=template, data=AssignmentData("Voor één thema", theme=theme)
    )
    assert made.theme_id == theme.pk
    assert made.position == 1


def test_editing_the_template_never_changes_a_running_trajectory(world: Any) -> None:
    assessor = actor(world.assessor)
    template = template_build(provider=world.provider)
    trajectory = trajectory_build(candidate=world.manager, template=template)
    copied = list(trajectory.assignments.values_list("title", "min_evidence"))
    first = template.assignments.order_by("position").first()
    services.template_assignment_update(
        actor=assessor, assignment=first, data=AssignmentData("Nieuwe titel", min_evidence=5)
    )
    services.template_assignment_add(actor=assessor, template=template, data=AssignmentData("Erbij"))
    assert list(trajectory.assignments.values_list("title", "min_evidence")) == copied
    first.refresh_from_db()
    assert (first.title, first.min_evidence) == ("Nieuwe titel", 5)


def test_criteria_keep_their_codes_and_are_fixed_once_judged(world: Any) -> None:
    assessor = actor(world.assessor)
    template = services.template_create(actor=assessor, data=data(criteria=["Een", "Twee"]))
    codes = {c["text"]: c["code"] for c in template.criteria}
    services.template_update(actor=assessor, template=template, data=data(criteria=["Twee", "Drie"]))
    template.refresh_from_db()
    assert template.criteria[0] == {"code": codes["Twee"], "text": "Twee"}
    assert template.criteria[1]["code"] not in codes.values()
    trajectory_build(candidate=world.manager, template=template, state=TrajectoryState.DECIDING)
    with pytest.raises(ValidationError) as error:
        services.template_update(actor=assessor, template=template, data=data(criteria=["Anders"]))
    assert "criteria" in error.value.error_dict
    services.template_update(actor=assessor, template=template, data=data(criteria=["Twee", "Drie"], price=Decimal(1)))
    template.refresh_from_db()
    assert template.price == Decimal(1)
