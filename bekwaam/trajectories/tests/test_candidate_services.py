"""The candidate's services: enrolling, portfolio items (new, from the dossier, changed, deleted; frozen
from the interview on; bad links and files), the completeness check and the request for assessment,
withdrawing, development advice into POP goals (once), the certificate into the dossier (once), and the
portfolio snapshot. Messages are compared in English (translation.override); e-mails run on commit
through the immediate task backend."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from bekwaam.dossier.models import DevelopmentPlan, Evidence, EvidenceKind, Goal, Reflection
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.register.models import Theme
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import BoardFactory, EmploymentFactory, SchoolFactory
from bekwaam.trajectories.models import (
    Assignment,
    Decision,
    DecisionOutcome,
    PortfolioItem,
    PortfolioItemKind,
    TemplateAssignment,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
)
from bekwaam.trajectories.services import enrolment, portfolio
from bekwaam.trajectories.tests.factories import (
    assessor_build,
    item_build,
    template_build,
    themes,
    trajectory_build,
)


def in_dutch(text: str) -> str:
    """A label as the e-mail shows it (the default language is Dutch)."""
    with translation.override("nl"):
        return translation.gettext(text)


pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Files go to a temporary directory through the normal storage API (to see what is left behind)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def candidate(world: Any) -> Any:
    return actor_for(world.manager, f"board:{world.board_a.pk}")


def pdf(name: str = "verslag.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def collecting(world: Any, **extra: Any) -> Trajectory:
    template = template_build(provider=world.provider, name=extra.pop("name", "Achteraf waarderen"))
    return trajectory_build(candidate=world.manager, template=template, **extra)


def add(world: Any, trajectory: Trajectory, **fields: Any) -> PortfolioItem:
    values: dict[str, Any] = {
        "kind": PortfolioItemKind.EVIDENCE,
        "title": "Studiedag",
        "body": "Verslag van de studiedag.",
        "themes": list(trajectory.themes.all()),
        "assignment": trajectory.assignments.order_by("position").first(),
    }
    values.update(fields)
    return portfolio.item_create(actor=candidate(world), trajectory=trajectory, **values)


def messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- enrolling ----------------------------------------------------------------------------------------


def test_it_enrols_copying_the_assignments_of_the_chosen_themes_and_mails_the_assessors(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    template = template_build(provider=world.provider, assignments=1)
    first, second, third = themes(3)
    TemplateAssignment.objects.create(template=template, position=2, theme=first, title="Opdracht thema 1")
    TemplateAssignment.objects.create(template=template, position=3, theme=third, title="Opdracht thema 3")
    with django_capture_on_commit_callbacks(execute=True):
        trajectory = enrolment.trajectory_enrol(
            actor=candidate(world), template=template, themes=[first, second], with_coaching=True
        )
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.ENROLLED
    assert trajectory.candidate_board_id == world.board_a.pk
    assert trajectory.provider_id == world.provider.pk
    assert trajectory.with_coaching
    assert set(trajectory.themes.all()) == {first, second}
    assert list(trajectory.assignments.order_by("position").values_list("title", flat=True)) == [
        "Opdracht 1",
        "Opdracht thema 1",
    ]
    event = TrajectoryEvent.objects.get(trajectory=trajectory)
    assert (event.action, event.to_state, event.actor_id) == ("enrol", "enrolled", world.manager.pk)
    assert [message.to for message in mailoutbox] == [[world.assessor.email]]  # the coach gets none
    assert world.manager.full_name in mailoutbox[0].subject


def test_a_template_edit_never_changes_a_running_trajectory(world: Any) -> None:
    template = template_build(provider=world.provider, assignments=1)
    trajectory = enrolment.trajectory_enrol(
        actor=candidate(world), template=template, themes=themes(1), with_coaching=False
    )
    TemplateAssignment.objects.filter(template=template).update(title="Anders", min_evidence=5)
    assert list(Assignment.objects.filter(trajectory=trajectory).values_list("title", "min_evidence")) == [
        ("Opdracht 1", 1)
    ]


def test_it_refuses_a_second_open_trajectory_of_the_same_template(world: Any) -> None:
    template = template_build(provider=world.provider)
    actor = candidate(world)
    first = enrolment.trajectory_enrol(actor=actor, template=template, themes=themes(1), with_coaching=False)
    with pytest.raises(ValidationError) as refused:
        enrolment.trajectory_enrol(actor=actor, template=template, themes=themes(2), with_coaching=False)
    assert "You are already enrolled in “Achteraf waarderen”" in messages_of(refused.value)[0]
    assert Trajectory.objects.count() == 1
    enrolment.trajectory_withdraw(actor=actor, trajectory=first)
    enrolment.trajectory_enrol(actor=actor, template=template, themes=themes(1), with_coaching=False)
    assert Trajectory.objects.count() == 2


@pytest.mark.parametrize(
    ("problem", "field"),
    [("no themes", "themes"), ("old theme", "themes"), ("coaching", "with_coaching"), ("no assignments", "themes")],
)
def test_it_refuses_a_bad_enrolment(world: Any, problem: str, field: str) -> None:
    template = template_build(provider=world.provider, assignments=0, coaching_offered=False)
    chosen = themes(1)
    TemplateAssignment.objects.create(template=template, position=1, theme=chosen[0], title="Alleen thema 1")
    with_coaching = problem == "coaching"
    if problem == "no themes":
        chosen = []
    elif problem == "old theme":
        chosen = [Theme.objects.create(code="oud", name="Oud thema", first_year=2010, last_year=2015)]
    elif problem == "no assignments":
        chosen = themes(2)[1:]
    with pytest.raises(ValidationError) as refused:
        enrolment.trajectory_enrol(
            actor=candidate(world), template=template, themes=chosen, with_coaching=with_coaching
        )
    assert field in refused.value.message_dict
    assert not Trajectory.objects.exists()


def test_it_refuses_an_unpublished_or_archived_template_and_a_teacher(world: Any) -> None:
    draft = template_build(provider=world.provider, name="Concept", published=False)
    archived = template_build(provider=world.provider, name="Oud")
    archived.archived_at = timezone.now()
    archived.save()
    for template in (draft, archived):
        with pytest.raises(ValidationError, match="no longer offered"):
            enrolment.trajectory_enrol(actor=candidate(world), template=template, themes=themes(1), with_coaching=False)
    teacher = actor_for(world.teacher, None)
    with pytest.raises(PermissionDenied):
        enrolment.trajectory_enrol(actor=teacher, template=archived, themes=themes(1), with_coaching=False)


# --- portfolio items ----------------------------------------------------------------------------------


def test_it_adds_evidence_with_a_file_stored_under_a_random_name_with_its_digest(world: Any, media: Path) -> None:
    trajectory = collecting(world)
    item = add(world, trajectory, file=pdf("Mijn verslag.pdf"), link="https://example.org/verslag")
    item.refresh_from_db()
    assert item.file_name == "Mijn verslag.pdf"
    assert item.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert "verslag" not in item.file.name.lower()
    assert item.file.name.startswith("trajectories/")
    assert item.link == "https://example.org/verslag"
    assert list(item.themes.all()) == list(trajectory.themes.all())
    assert len(stored_files(media)) == 1


def test_a_candidate_may_add_items_while_enrolled(world: Any) -> None:
    trajectory = collecting(world, state=TrajectoryState.ENROLLED)
    add(world, trajectory)
    assert trajectory.items.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"link": "javascript:alert(1)", "body": ""}, "link", "Only web addresses that start with http"),
        ({"link": "ftp://example.org/a", "body": ""}, "link", "Only web addresses that start with http"),
        ({"link": "https://", "body": ""}, "link", "Enter a valid web address"),
        ({"body": "", "link": ""}, "body", "Add a text, a link or a file"),
        ({"kind": PortfolioItemKind.REFLECTION, "body": "  "}, "body", "Write your reflection"),
        ({"title": " "}, "title", "Give the item a title"),
        ({"themes": []}, "themes", "Choose the theme"),
        ({"file": pdf("leeg.pdf", b"")}, "file", "The file is empty"),
        ({"file": pdf("echt.pdf", b"<html><script>alert(1)</script></html>")}, "file", "not a real .pdf"),
        ({"file": pdf("pagina.html", b"<html></html>")}, "file", "This type of file is not allowed"),
    ],
)
def test_it_refuses_bad_items_and_keeps_nothing(
    world: Any, media: Path, fields: dict[str, Any], field: str, message: str
) -> None:
    trajectory = collecting(world)
    with pytest.raises(ValidationError) as refused:
        add(world, trajectory, **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert not PortfolioItem.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_themes_and_assignments_of_another_trajectory(world: Any) -> None:
    trajectory = collecting(world, theme_list=themes(1))
    other = collecting(world, name="Ander traject", theme_list=themes(2)[1:])
    with pytest.raises(ValidationError, match="Choose themes of this trajectory"):
        add(world, trajectory, themes=list(other.themes.all()))
    with pytest.raises(ValidationError, match="not part of this trajectory"):
        add(world, trajectory, assignment=other.assignments.first())


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (TrajectoryState.ASSESSMENT_REQUESTED, "with the assessor now"),
        (TrajectoryState.UNDER_REVIEW, "with the assessor now"),
        (TrajectoryState.INTERVIEW_PLANNED, "Your portfolio is frozen"),
        (TrajectoryState.DECIDING, "Your portfolio is frozen"),
        (TrajectoryState.WITHDRAWN, "withdrawn"),
    ],
)
def test_it_refuses_changes_once_handed_in_or_frozen(world: Any, state: str, message: str) -> None:
    trajectory = collecting(world, state=state, complete=True)
    item = trajectory.items.first()
    item.trajectory = trajectory
    before = sorted(PortfolioItem.objects.values_list("pk", "title"))
    with pytest.raises(TransitionRefusedError, match=message):
        add(world, trajectory)
    with pytest.raises(TransitionRefusedError, match=message):
        portfolio.item_update(
            actor=candidate(world), item=item, title="Anders", body="x", themes=list(trajectory.themes.all())
        )
    with pytest.raises(TransitionRefusedError, match=message):
        portfolio.item_delete(actor=candidate(world), item=item)
    assert sorted(PortfolioItem.objects.values_list("pk", "title")) == before


def test_the_state_is_read_on_the_locked_row_not_the_callers_copy(world: Any) -> None:
    """A page opened before the interview was planned cannot add to the frozen portfolio."""
    trajectory = collecting(world)
    Trajectory.objects.filter(pk=trajectory.pk).update(
        state=TrajectoryState.INTERVIEW_PLANNED, frozen_at=timezone.now()
    )
    with pytest.raises(TransitionRefusedError, match="frozen"):
        add(world, trajectory)


def test_the_staff_and_others_cannot_write_the_portfolio(world: Any) -> None:
    trajectory = collecting(world, coach=world.coach)
    for person in (world.assessor, world.coach, world.teacher):
        with pytest.raises(PermissionDenied):
            portfolio.item_create(
                actor=actor_for(person, None),
                trajectory=trajectory,
                assignment=trajectory.assignments.first(),
                kind=PortfolioItemKind.EVIDENCE,
                title="x",
                body="y",
                themes=list(trajectory.themes.all()),
            )


def test_it_replaces_and_removes_a_file_after_commit(
    world: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    trajectory = collecting(world)
    item = add(world, trajectory, file=pdf("een.pdf"))
    item.trajectory = trajectory
    first = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        portfolio.item_update(
            actor=candidate(world),
            item=item,
            title="Nieuw",
            body="",
            file=pdf("twee.pdf", PDF + b"% twee\n"),
            themes=list(trajectory.themes.all()),
        )
    item.refresh_from_db()
    assert item.file_name == "twee.pdf"
    assert item.file.name != first
    assert len(stored_files(media)) == 1
    with pytest.raises(ValidationError, match="Add a text, a link or a file"):
        portfolio.item_update(
            actor=candidate(world),
            item=item,
            title="Nieuw",
            body="",
            remove_file=True,
            themes=list(trajectory.themes.all()),
        )
    with django_capture_on_commit_callbacks(execute=True):
        portfolio.item_update(
            actor=candidate(world),
            item=item,
            title="Nieuw",
            body="Nu met tekst",
            remove_file=True,
            themes=list(trajectory.themes.all()),
        )
    item.refresh_from_db()
    assert not item.file
    assert (item.file_name, item.file_sha256) == ("", "")
    assert stored_files(media) == []


def test_it_deletes_an_item_and_its_file_after_commit(
    world: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    trajectory = collecting(world)
    item = add(world, trajectory, file=pdf())
    item.trajectory = trajectory
    with django_capture_on_commit_callbacks(execute=True):
        portfolio.item_delete(actor=candidate(world), item=item)
    assert not PortfolioItem.objects.exists()
    assert stored_files(media) == []


# --- from the dossier ---------------------------------------------------------------------------------


def test_it_copies_dossier_evidence_with_its_own_copy_of_the_file(world: Any, media: Path) -> None:
    from bekwaam.dossier.services.portfolio import evidence_create

    actor = candidate(world)
    source = evidence_create(
        actor=actor,
        kind=EvidenceKind.CERTIFICATE,
        title="Certificaat coachen",
        description="Tweedaagse training.",
        issuer="Academie",
        issued_on=timezone.localdate(),
        file=pdf("certificaat.pdf"),
    )
    trajectory = collecting(world)
    item = portfolio.item_copy_from_dossier(
        actor=actor,
        trajectory=trajectory,
        assignment=trajectory.assignments.first(),
        source_kind="evidence",
        source_id=source.pk,
        themes=list(trajectory.themes.all())[:1],
    )
    item.refresh_from_db()
    assert (item.kind, item.title, item.source_evidence_id) == ("evidence", "Certificaat coachen", source.pk)
    assert "Tweedaagse training." in item.body and "Issued by Academie" in item.body
    assert item.file_name == "certificaat.pdf"
    assert item.file.name != source.file.name
    assert item.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert len(stored_files(media)) == 2
    source.delete()
    item.refresh_from_db()
    assert item.source_evidence_id is None
    with item.file.open("rb") as stored:
        assert stored.read() == PDF


def test_it_copies_a_reflection(world: Any) -> None:
    actor = candidate(world)
    source = Reflection.objects.create(
        board=world.board_a, person=world.manager, title="Terugblik", body="Ik leerde.", written_on=timezone.localdate()
    )
    trajectory = collecting(world)
    item = portfolio.item_copy_from_dossier(
        actor=actor,
        trajectory=trajectory,
        assignment=trajectory.assignments.first(),
        source_kind="reflection",
        source_id=source.pk,
        themes=list(trajectory.themes.all()),
    )
    assert (item.kind, item.title, item.body, item.source_reflection_id) == (
        "reflection",
        "Terugblik",
        "Ik leerde.",
        source.pk,
    )


def test_it_copies_only_the_candidates_own_items_at_the_board_they_enrolled_from(world: Any) -> None:
    trajectory = collecting(world)
    someone_else = Evidence.objects.create(
        board=world.board_a, person=world.teacher, kind=EvidenceKind.LINK, title="Niet van mij", url="https://a.nl"
    )
    with pytest.raises(ValidationError, match="Choose an item of your own dossier"):
        portfolio.item_copy_from_dossier(
            actor=candidate(world),
            trajectory=trajectory,
            assignment=trajectory.assignments.first(),
            source_kind="evidence",
            source_id=someone_else.pk,
            themes=list(trajectory.themes.all()),
        )
    other_board = BoardFactory(name="Stichting Gamma")
    EmploymentFactory(person=world.manager, school=SchoolFactory(board=other_board), function="director")
    elsewhere = actor_for(world.manager, f"board:{other_board.pk}")
    with pytest.raises(ValidationError, match="Switch to it first"):
        portfolio.item_copy_from_dossier(
            actor=elsewhere,
            trajectory=trajectory,
            assignment=trajectory.assignments.first(),
            source_kind="evidence",
            source_id=someone_else.pk,
            themes=list(trajectory.themes.all()),
        )
    assert not PortfolioItem.objects.exists()


# --- completeness and the request ---------------------------------------------------------------------


def test_it_names_per_assignment_what_is_missing(world: Any) -> None:
    template = template_build(provider=world.provider, assignments=3, min_evidence=2, min_reflections=1)
    trajectory = trajectory_build(candidate=world.manager, template=template)
    first, second, third = trajectory.assignments.order_by("position")
    item_build(trajectory=trajectory, assignment=first)
    item_build(trajectory=trajectory, assignment=first)
    item_build(trajectory=trajectory, assignment=second)
    item_build(trajectory=trajectory, assignment=second, kind=PortfolioItemKind.REFLECTION)
    item_build(trajectory=trajectory, assignment=third, kind=PortfolioItemKind.REFLECTION)
    assert portfolio.portfolio_missing(trajectory) == [
        "Opdracht 1: 1 more reflection needed",
        "Opdracht 2: 1 more piece of evidence needed",
        "Opdracht 3: 2 more pieces of evidence needed",
    ]
    with translation.override("nl"):
        assert all(sentence.startswith("Opdracht") for sentence in portfolio.portfolio_missing(trajectory))


def test_an_assignment_that_asks_for_nothing_still_needs_one_item(world: Any) -> None:
    template = template_build(provider=world.provider, assignments=1, min_evidence=0, min_reflections=0)
    trajectory = trajectory_build(candidate=world.manager, template=template)
    assert portfolio.portfolio_missing(trajectory) == ["Opdracht 1: nothing added yet; add evidence or a reflection"]
    item_build(trajectory=trajectory, assignment=trajectory.assignments.get())
    assert portfolio.portfolio_missing(trajectory) == []


def test_it_refuses_a_request_with_empty_assignments_naming_them(world: Any, mailoutbox: Any) -> None:
    template = template_build(provider=world.provider, assignments=2, min_evidence=1, min_reflections=1)
    trajectory = trajectory_build(candidate=world.manager, template=template)
    with pytest.raises(ValidationError) as refused:
        portfolio.trajectory_request_assessment(actor=candidate(world), trajectory=trajectory)
    assert messages_of(refused.value) == [
        "Opdracht 1: 1 more piece of evidence and 1 more reflection needed",
        "Opdracht 2: 1 more piece of evidence and 1 more reflection needed",
    ]
    trajectory.refresh_from_db()
    assert (trajectory.state, trajectory.requested_at) == (TrajectoryState.COLLECTING, None)
    assert not TrajectoryEvent.objects.exists()
    assert mailoutbox == []


def test_a_trajectory_without_assignments_cannot_be_requested(world: Any) -> None:
    template = template_build(provider=world.provider, assignments=0)
    trajectory = trajectory_build(candidate=world.manager, template=template)
    with pytest.raises(ValidationError, match="has no assignments"):
        portfolio.trajectory_request_assessment(actor=candidate(world), trajectory=trajectory)


def test_the_request_waits_for_the_aanbieder_to_accept_the_enrolment(world: Any) -> None:
    trajectory = collecting(world, state=TrajectoryState.ENROLLED, complete=True)
    with pytest.raises(TransitionRefusedError, match="not yet accepted your enrolment"):
        portfolio.trajectory_request_assessment(actor=candidate(world), trajectory=trajectory)


def test_it_requests_the_assessment_once_complete_and_again_after_additions(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = collecting(world, complete=True)
    with django_capture_on_commit_callbacks(execute=True):
        portfolio.trajectory_request_assessment(actor=candidate(world), trajectory=trajectory)
    trajectory.refresh_from_db()
    first_request = trajectory.requested_at
    assert trajectory.state == TrajectoryState.ASSESSMENT_REQUESTED
    assert first_request is not None
    assert [m.to for m in mailoutbox] == [[world.assessor.email]]
    assert in_dutch("Assessment requested") in mailoutbox[0].subject
    event = TrajectoryEvent.objects.get(trajectory=trajectory)
    assert (event.action, event.from_state, event.to_state) == (
        "request_assessment",
        "collecting",
        "assessment_requested",
    )
    with pytest.raises(TransitionRefusedError):
        portfolio.trajectory_request_assessment(actor=candidate(world), trajectory=trajectory)
    Trajectory.objects.filter(pk=trajectory.pk).update(state=TrajectoryState.ADDITIONS_REQUESTED)
    portfolio.trajectory_request_assessment(actor=candidate(world), trajectory=trajectory)
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.ASSESSMENT_REQUESTED
    assert trajectory.requested_at == first_request


# --- withdrawing --------------------------------------------------------------------------------------


def test_it_withdraws_with_a_reason_and_tells_the_aanbieder(
    world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    trajectory = collecting(world, state=TrajectoryState.INTERVIEW_PLANNED)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.trajectory_withdraw(actor=candidate(world), trajectory=trajectory, reason=" Geen tijd ")
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.WITHDRAWN
    assert trajectory.closed_at is not None
    event = TrajectoryEvent.objects.get(trajectory=trajectory)
    assert (event.action, event.note) == ("withdraw", "Geen tijd")
    with translation.override("nl"):
        assert translation.pgettext("trajectory", "Withdrawn") in mailoutbox[0].subject


@pytest.mark.parametrize("state", [TrajectoryState.DECIDING, TrajectoryState.CERTIFIED, TrajectoryState.WITHDRAWN])
def test_it_refuses_to_withdraw_once_deciding_or_closed(world: Any, state: str) -> None:
    trajectory = collecting(world, state=state)
    with pytest.raises(TransitionRefusedError):
        enrolment.trajectory_withdraw(actor=candidate(world), trajectory=trajectory)
    trajectory.refresh_from_db()
    assert trajectory.state == state


# --- the outcome --------------------------------------------------------------------------------------


def advised(world: Any, advice: str = "- Werk aan je visie.\n\n2. Betrek het team bij keuzes.\n") -> Trajectory:
    trajectory = collecting(world, state=TrajectoryState.ADVISED)
    decision = Decision.objects.create(
        trajectory=trajectory,
        outcome=DecisionOutcome.DEVELOPMENT_ADVICE,
        learning_level=3,
        first_assessor=world.assessor,
        second_assessor=assessor_build(provider=world.provider, email="tweede@academie.nl"),
        advice=advice,
    )
    decision.themes.set(trajectory.themes.all())
    return trajectory


def test_it_splits_the_advice_into_lines_without_bullets() -> None:
    assert enrolment.advice_lines("- Een\n\n* Twee\n3. Drie\n• Vier\n2024 was goed.\n") == [
        "Een",
        "Twee",
        "Drie",
        "Vier",
        "2024 was goed.",
    ]


def test_it_turns_the_chosen_advice_into_pop_goals_once(world: Any) -> None:
    trajectory = advised(world)
    result = enrolment.advice_goals_create(actor=candidate(world), trajectory=trajectory, line_numbers=[1, 7])
    assert [goal.title for goal in result.goals] == ["Betrek het team bij keuzes."]
    goal = Goal.objects.get()
    assert goal.plan.person_id == world.manager.pk
    assert goal.board_id == world.board_a.pk
    assert "Achteraf waarderen" in goal.why
    trajectory.refresh_from_db()
    assert trajectory.advice_goals_created
    with pytest.raises(TransitionRefusedError, match="in your development plan already"):
        enrolment.advice_goals_create(actor=candidate(world), trajectory=trajectory, line_numbers=[0])
    assert Goal.objects.count() == 1


def test_the_advice_goals_go_into_the_plan_that_runs_today(world: Any) -> None:
    plan = DevelopmentPlan.objects.create(
        board=world.board_a, person=world.manager, title="Mijn POP", starts_on=timezone.localdate()
    )
    result = enrolment.advice_goals_create(actor=candidate(world), trajectory=advised(world), line_numbers=[0, 1])
    assert result.plan_id == plan.pk
    assert Goal.objects.filter(plan=plan).count() == 2


def test_advice_goals_need_advice_the_board_enrolled_from_and_a_choice(world: Any) -> None:
    trajectory = advised(world)
    with pytest.raises(ValidationError, match="Choose at least one part"):
        enrolment.advice_goals_create(actor=candidate(world), trajectory=trajectory, line_numbers=[])
    other_board = BoardFactory(name="Stichting Gamma")
    EmploymentFactory(person=world.manager, school=SchoolFactory(board=other_board), function="director")
    elsewhere = actor_for(world.manager, f"board:{other_board.pk}")
    with pytest.raises(ValidationError, match="Switch to it first"):
        enrolment.advice_goals_create(actor=elsewhere, trajectory=trajectory, line_numbers=[0])
    collecting_one = collecting(world, name="Nog bezig")
    with pytest.raises(TransitionRefusedError, match="once it has been given"):
        enrolment.advice_goals_create(actor=candidate(world), trajectory=collecting_one, line_numbers=[0])
    assert not Goal.objects.exists()


def test_it_adds_the_certificate_to_the_dossier_once(world: Any) -> None:
    from bekwaam.credentials.tests.factories import world_certificate

    certificate = world_certificate(world)
    trajectory = Trajectory.objects.select_related("template", "provider", "candidate").get(
        pk=certificate.trajectory_id
    )
    evidence, created = enrolment.result_share(actor=candidate(world), trajectory=trajectory)
    assert created
    assert (evidence.kind, evidence.person_id, evidence.board_id) == ("certificate", world.manager.pk, world.board_a.pk)
    assert evidence.url.endswith(f"/{certificate.pk}/")
    assert evidence.url in evidence.description
    assert evidence.issuer == certificate.issuer_name
    again, created_again = enrolment.result_share(actor=candidate(world), trajectory=trajectory)
    assert (again.pk, created_again) == (evidence.pk, False)
    assert Evidence.objects.count() == 1


def test_sharing_needs_a_certificate(world: Any) -> None:
    trajectory = advised(world)
    with pytest.raises(TransitionRefusedError, match="once it has been issued"):
        enrolment.result_share(actor=candidate(world), trajectory=trajectory)
    assert not Evidence.objects.exists()


# --- the snapshot -------------------------------------------------------------------------------------


def test_the_snapshot_is_canonical_and_changes_with_the_portfolio(world: Any) -> None:
    trajectory = collecting(world)
    item = add(world, trajectory, file=pdf("verslag.pdf"))
    snapshot, digest = portfolio.portfolio_snapshot(trajectory)
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert digest == hashlib.sha256(canonical).hexdigest()
    assert json.loads(canonical) == snapshot
    first = snapshot["assignments"][0]
    assert first["title"] == "Opdracht 1"
    [entry] = first["items"]
    assert entry == {
        "id": str(item.pk),
        "kind": "evidence",
        "title": "Studiedag",
        "body": "Verslag van de studiedag.",
        "link": "",
        "file_name": "verslag.pdf",
        "file_sha256": hashlib.sha256(PDF).hexdigest(),
        "themes": sorted(t.code for t in trajectory.themes.all()),
    }
    assert portfolio.portfolio_snapshot(trajectory)[1] == digest
    PortfolioItem.objects.filter(pk=item.pk).update(body="Anders")
    assert portfolio.portfolio_snapshot(trajectory)[1] != digest
