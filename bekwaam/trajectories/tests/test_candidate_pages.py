"""The candidate's pages: my trajectories (with its empty state), the catalogue, an offer and enrolling,
the trajectory page (steps, missing, additions, interview, decision, certificate), items through the
forms, file downloads, the request, withdrawing, advice into goals, the certificate into the dossier,
who is refused or does not find what, and bounded query counts. Pages are read in English."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.dossier.models import Evidence, EvidenceKind, Goal
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    ProviderFactory,
    ProviderRoleGrantFactory,
    with_totp,
)
from bekwaam.trajectories.models import (
    CoachingSession,
    Comment,
    Decision,
    DecisionOutcome,
    PortfolioItem,
    Trajectory,
    TrajectoryState,
)
from bekwaam.trajectories.tests.factories import (
    assessor_build,
    item_build,
    template_build,
    themes,
    trajectory_build,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Signed-in clients that read English pages: the assertions use the English msgids."""

    def signed_in(person: Any) -> Client:
        client: Client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def detail_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:detail", kwargs={"trajectory_id": trajectory.pk})


def trajectory_of(world: Any, state: str = TrajectoryState.COLLECTING, **extra: Any) -> Trajectory:
    template = template_build(provider=world.provider, name=extra.pop("name", "Achteraf waarderen"))
    return trajectory_build(candidate=world.manager, template=template, state=state, **extra)


def with_file(trajectory: Trajectory, name: str = "Verslag studiedag.pdf") -> PortfolioItem:
    item = item_build(trajectory=trajectory, assignment=trajectory.assignments.first(), title="Met bestand")
    item.file.save("random", ContentFile(PDF), save=False)
    item.file_name = name
    item.save()
    return item


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def body(response: Any) -> str:
    return str(response.content.decode())


# --- my trajectories ----------------------------------------------------------------------------------


def test_it_explains_waarderingstrajecten_when_there_are_none(world: Any, client_for: Any) -> None:
    response = client_for(world.manager).get(reverse("trajectories:mine"))
    assert response.status_code == 200
    assert 'data-testid="empty"' in body(response)
    assert "In a waarderingstraject an aanbieder assesses" in body(response)
    assert reverse("trajectories:catalogue") in body(response)


def test_it_lists_my_trajectories_with_state_aanbieder_themes_and_next_step(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, theme_list=themes(1))
    response = client_for(world.manager).get(reverse("trajectories:mine"))
    page = body(response)
    assert f'data-trajectory="{trajectory.pk}"' in page
    assert world.provider.name in page
    assert themes(1)[0].name in page
    assert "Add evidence and reflections to each assignment" in page


def test_only_school_leaders_and_candidates_open_my_trajectories(world: Any, client_for: Any) -> None:
    assert client_for(world.teacher).get(reverse("trajectories:mine")).status_code == 403
    assert client_for(world.teacher).get(reverse("trajectories:catalogue")).status_code == 403
    # A candidate working for another organisation still finds their own trajectories.
    trajectory = trajectory_of(world)
    ProviderRoleGrantFactory(person=world.manager, provider=ProviderFactory(name="Eigen bureau"), role=Role.COACH)
    client = client_for(world.manager)
    from bekwaam.tenancy.context import actor_for

    provider_key = next(o.key for o in actor_for(world.manager, None).organisations if o.kind == "provider")
    client.post(reverse("tenancy:organisation-switch"), {"organisation": provider_key})
    assert client.get(reverse("trajectories:catalogue")).status_code == 403
    response = client.get(reverse("trajectories:mine"))
    assert response.status_code == 200
    assert f'data-trajectory="{trajectory.pk}"' in body(response)
    assert client.get(detail_url(trajectory)).status_code == 200


def test_my_trajectories_take_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.manager)
    trajectory_of(world)
    few = count_queries(client, reverse("trajectories:mine"))
    for n in range(8):
        trajectory_of(world, name=f"Traject {n}", state=TrajectoryState.WITHDRAWN)
    assert count_queries(client, reverse("trajectories:mine")) <= few
    assert few <= 12


# --- the catalogue and an offer -----------------------------------------------------------------------


def test_the_catalogue_shows_published_templates_of_every_aanbieder(world: Any, client_for: Any) -> None:
    other = ProviderFactory(name="Andere Academie")
    shown = [template_build(provider=world.provider, name="Eén"), template_build(provider=other, name="Twee")]
    hidden = template_build(provider=world.provider, name="Concept", published=False)
    archived = template_build(provider=other, name="Oud")
    archived.archived_at = timezone.now()
    archived.save()
    page = body(client_for(world.manager).get(reverse("trajectories:catalogue")))
    for template in shown:
        assert f'data-template="{template.pk}"' in page
    for template in (hidden, archived):
        assert f'data-template="{template.pk}"' not in page
    assert "€ 1250.00" in page or "€ 1250,00" in page


def test_the_catalogue_takes_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.manager)
    template_build(provider=world.provider, name="Eerste")
    few = count_queries(client, reverse("trajectories:catalogue"))
    for n in range(10):
        template_build(provider=ProviderFactory(name=f"Aanbieder {n}"), name=f"Aanbod {n}")
    assert count_queries(client, reverse("trajectories:catalogue")) <= few
    assert few <= 12


def test_an_offer_shows_its_steps_assignments_criteria_and_prices(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    template.reflection_instrument = "https://example.org/reflectie"
    template.save()
    response = client_for(world.manager).get(reverse("trajectories:offer", kwargs={"template_id": template.pk}))
    page = body(response)
    assert "Criterion-based interview" in page  # a step
    assert "For every theme" in page and "Opdracht 2" in page
    assert "Het leerniveau (Shulman) blijkt uit portfolio en interview." in page
    assert 'href="https://example.org/reflectie"' in page
    assert 'name="with_coaching"' in page
    assert 'data-testid="enrol-form"' in page


def test_an_offer_without_coaching_asks_nothing_about_it(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider, coaching_offered=False)
    page = body(client_for(world.manager).get(reverse("trajectories:offer", kwargs={"template_id": template.pk})))
    assert 'name="with_coaching"' not in page


def test_it_enrols_through_the_offer_and_refuses_twice(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider)
    client = client_for(world.manager)
    url = reverse("trajectories:offer", kwargs={"template_id": template.pk})
    refused = client.post(url, {"with_coaching": "yes"})
    assert refused.status_code == 400
    assert "Choose at least one theme." in body(refused)
    response = client.post(url, {"themes": [themes(1)[0].pk], "with_coaching": "yes"})
    trajectory = Trajectory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(trajectory)
    assert trajectory.with_coaching
    page = body(client.get(url))
    assert 'data-testid="already-enrolled"' in page
    assert 'data-testid="enrol-form"' not in page
    again = client.post(url, {"themes": [themes(1)[0].pk], "with_coaching": "no"})
    assert again.status_code == 400
    assert "You are already enrolled" in body(again)
    assert Trajectory.objects.count() == 1


def test_an_unpublished_offer_is_not_found(world: Any, client_for: Any) -> None:
    template = template_build(provider=world.provider, published=False)
    url = reverse("trajectories:offer", kwargs={"template_id": template.pk})
    assert client_for(world.manager).get(url).status_code == 404


# --- the trajectory page ------------------------------------------------------------------------------


def test_the_page_shows_steps_missing_items_and_the_request_button(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, complete=False)
    page = body(client_for(world.manager).get(detail_url(trajectory)))
    assert 'data-state="collecting"' in page
    assert 'data-step="collecting"' in page and 'aria-current="step"' in page
    assert "Opdracht 1: 1 more piece of evidence and 1 more reflection needed" in page
    assert 'data-testid="request-assessment"' in page
    assert reverse("trajectories:withdraw", kwargs={"trajectory_id": trajectory.pk}) in page


def test_the_page_shows_additions_comments_and_coaching(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, state=TrajectoryState.ADDITIONS_REQUESTED, coach=world.coach)
    trajectory.additions_requested = "Voeg een reflectie op het teamgesprek toe."
    trajectory.save()
    item = trajectory.items.first()
    Comment.objects.create(trajectory=trajectory, author=world.assessor, body="Algemeen: mooi begin.")
    Comment.objects.create(trajectory=trajectory, item=item, author=world.coach, body="Over dit stuk: concreter.")
    CoachingSession.objects.create(
        trajectory=trajectory, coach=world.coach, held_on=timezone.localdate(), summary="Eerste gesprek."
    )
    page = body(client_for(world.manager).get(detail_url(trajectory)))
    assert 'data-testid="additions"' in page
    assert "Voeg een reflectie op het teamgesprek toe." in page
    assert "Algemeen: mooi begin." in page and "Over dit stuk: concreter." in page
    assert "Eerste gesprek." in page
    assert "Request the assessment again" in page


def test_the_page_shows_the_interview_and_the_frozen_portfolio(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, state=TrajectoryState.INTERVIEW_PLANNED)
    page = body(client_for(world.manager).get(detail_url(trajectory)))
    assert 'data-testid="interview"' in page and "Utrecht" in page
    assert 'data-testid="frozen"' in page
    assert (
        reverse(
            "trajectories:item-edit", kwargs={"trajectory_id": trajectory.pk, "item_id": trajectory.items.first().pk}
        )
        not in page
    )
    assert 'data-testid="request-assessment"' not in page


def test_the_page_shows_the_advice_with_a_goal_form(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, state=TrajectoryState.ADVISED)
    decision = Decision.objects.create(
        trajectory=trajectory,
        outcome=DecisionOutcome.DEVELOPMENT_ADVICE,
        learning_level=3,
        first_assessor=world.assessor,
        second_assessor=assessor_build(provider=world.provider, email="tweede@academie.nl"),
        advice="Werk aan je visie.\nBetrek het team.",
    )
    decision.themes.set(themes(1))
    client = client_for(world.manager)
    page = body(client.get(detail_url(trajectory)))
    assert 'data-outcome="development_advice"' in page
    assert "3 – Performance and action" in page
    assert 'data-testid="advice-goals-form"' in page
    url = reverse("trajectories:advice-goals", kwargs={"trajectory_id": trajectory.pk})
    response = client.post(url, {"lines": ["1"]})
    goal = Goal.objects.get()
    assert goal.title == "Betrek het team."
    assert response["Location"] == reverse("dossier:plan-detail", kwargs={"plan_id": goal.plan_id})
    page = body(client.get(detail_url(trajectory)))
    assert 'data-testid="advice-goals-done"' in page
    again = client.post(url, {"lines": ["0"]}, follow=True)
    assert "in your development plan already" in body(again)
    assert Goal.objects.count() == 1


def test_the_page_links_the_certificate_and_adds_it_to_the_dossier(world: Any, client_for: Any) -> None:
    from bekwaam.credentials.tests.factories import world_certificate

    certificate = world_certificate(world)
    trajectory = certificate.trajectory
    client = client_for(world.manager)
    page = body(client.get(detail_url(trajectory)))
    assert 'data-outcome="certified"' in page
    assert reverse("credentials:certificate", kwargs={"certificate_id": certificate.pk}) in page
    url = reverse("trajectories:share-result", kwargs={"trajectory_id": trajectory.pk})
    response = client.post(url)
    evidence = Evidence.objects.get()
    assert evidence.kind == EvidenceKind.CERTIFICATE
    assert response["Location"] == reverse("dossier:evidence-detail", kwargs={"evidence_id": evidence.pk})
    client.post(url)
    assert Evidence.objects.count() == 1


def test_the_page_takes_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for(world.manager)
    small = trajectory_of(world, state=TrajectoryState.ADDITIONS_REQUESTED, coach=world.coach)
    assert small.items.count() == 4
    few = count_queries(client, detail_url(small))
    big = trajectory_of(world, name="Groot", state=TrajectoryState.ADDITIONS_REQUESTED, coach=world.coach)
    assignment = big.assignments.first()
    for n in range(16):
        item = item_build(trajectory=big, assignment=assignment, title=f"Stuk {n}")
        Comment.objects.create(trajectory=big, item=item, author=world.coach, body=f"Opmerking {n}")
    for n in range(5):
        CoachingSession.objects.create(
            trajectory=big, coach=world.coach, held_on=timezone.localdate() - datetime.timedelta(days=n), summary="x"
        )
        Comment.objects.create(trajectory=big, author=world.assessor, body=f"Algemeen {n}")
    assert big.items.count() == 20
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(big))
    assert "Opmerking 15" in body(response)
    assert len(queries) <= few
    assert few <= 22


# --- items through the pages --------------------------------------------------------------------------


def test_it_adds_evidence_with_a_file_and_serves_it_under_its_own_name(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, complete=False)
    assignment = trajectory.assignments.first()
    client = client_for(world.manager)
    url = reverse("trajectories:item-create", kwargs={"trajectory_id": trajectory.pk, "assignment_id": assignment.pk})
    form = client.get(url + "?kind=reflection")
    assert re.search(r'<input type="radio" name="kind" value="reflection"[^>]*checked', body(form))
    response = client.post(
        url,
        {
            "kind": "evidence",
            "title": "Verslag",
            "body": "",
            "link": "",
            "file": SimpleUploadedFile("Verslag studiedag.pdf", PDF),
            "themes": [t.pk for t in trajectory.themes.all()],
        },
    )
    assert response.status_code == 302
    item = PortfolioItem.objects.get()
    download = client.get(
        reverse("trajectories:item-file", kwargs={"trajectory_id": trajectory.pk, "item_id": item.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "Verslag studiedag.pdf" in download["Content-Disposition"]


def test_the_item_form_keeps_what_was_typed_and_says_what_is_wrong(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, complete=False)
    assignment = trajectory.assignments.first()
    url = reverse("trajectories:item-create", kwargs={"trajectory_id": trajectory.pk, "assignment_id": assignment.pk})
    response = client_for(world.manager).post(
        url,
        {
            "kind": "evidence",
            "title": "Mijn titel",
            "link": "javascript:alert(1)",
            "themes": [t.pk for t in trajectory.themes.all()],
        },
    )
    assert response.status_code == 400
    assert "Only web addresses that start with http:// or https:// are allowed." in body(response)
    assert 'value="Mijn titel"' in body(response)
    assert not PortfolioItem.objects.exists()


def test_a_frozen_portfolio_sends_the_candidate_back_with_a_message(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, state=TrajectoryState.INTERVIEW_PLANNED)
    item = trajectory.items.first()
    client = client_for(world.manager)
    for url in (
        reverse(
            "trajectories:item-create",
            kwargs={"trajectory_id": trajectory.pk, "assignment_id": trajectory.assignments.first().pk},
        ),
        reverse("trajectories:item-edit", kwargs={"trajectory_id": trajectory.pk, "item_id": item.pk}),
    ):
        response = client.get(url, follow=True)
        assert "Your portfolio is frozen" in body(response)
    response = client.post(
        reverse("trajectories:item-delete", kwargs={"trajectory_id": trajectory.pk, "item_id": item.pk}), follow=True
    )
    assert "Your portfolio is frozen" in body(response)
    assert PortfolioItem.objects.filter(pk=item.pk).exists()


def test_it_copies_from_the_dossier_through_the_page(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, complete=False)
    assignment = trajectory.assignments.first()
    source = Evidence.objects.create(
        board=world.board_a, person=world.manager, kind=EvidenceKind.LINK, title="Lesvideo", url="https://a.nl/v"
    )
    Evidence.objects.create(
        board=world.board_a, person=world.teacher, kind=EvidenceKind.LINK, title="Van een ander", url="https://b.nl"
    )
    client = client_for(world.manager)
    url = reverse("trajectories:item-copy", kwargs={"trajectory_id": trajectory.pk, "assignment_id": assignment.pk})
    page = body(client.get(url))
    assert "Lesvideo" in page and "Van een ander" not in page
    response = client.post(url, {"source": f"evidence:{source.pk}", "themes": [themes(1)[0].pk]})
    assert response.status_code == 302
    item = PortfolioItem.objects.get()
    assert (item.link, item.source_evidence_id) == ("https://a.nl/v", source.pk)


def test_the_staff_download_a_file_only_once_submitted(world: Any, client_for: Any) -> None:
    collecting = trajectory_of(world, coach=world.coach)
    early = with_file(collecting)
    submitted = trajectory_of(world, name="Ingediend", state=TrajectoryState.UNDER_REVIEW, coach=world.coach)
    late = with_file(submitted)

    def file_url(trajectory: Trajectory, item: PortfolioItem) -> str:
        return reverse("trajectories:item-file", kwargs={"trajectory_id": trajectory.pk, "item_id": item.pk})

    for person in (world.assessor, world.coach):
        client = client_for(person)
        assert client.get(file_url(collecting, early)).status_code == 403
        assert client.get(file_url(submitted, late)).status_code == 200
        assert client.get(detail_url(submitted)).status_code == 403  # staff have their own page
        # An item of one trajectory is not found through another.
        assert client.get(file_url(submitted, early)).status_code == 404


def test_another_aanbieder_and_another_board_find_nothing(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, state=TrajectoryState.UNDER_REVIEW)
    item = with_file(trajectory)
    other_assessor = assessor_build(provider=ProviderFactory(name="Concurrent"), email="assessor@elders.nl")
    leader_b = with_totp(PersonFactory(email="directeur@beta.nl"))
    EmploymentFactory(person=leader_b, school=world.school_b, function="director")
    file_url = reverse("trajectories:item-file", kwargs={"trajectory_id": trajectory.pk, "item_id": item.pk})
    for person in (other_assessor, leader_b, world.administrator):
        client = client_for(person)
        assert client.get(detail_url(trajectory)).status_code == 404
        assert client.get(file_url).status_code == 404
    # The school leader of board B may enrol, but sees only their own (no) trajectories.
    response = client_for(leader_b).get(reverse("trajectories:mine"))
    assert response.status_code == 200
    assert f'data-trajectory="{trajectory.pk}"' not in body(response)


# --- the request and withdrawing ----------------------------------------------------------------------


def test_the_request_refused_names_what_is_missing(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, complete=False)
    response = client_for(world.manager).post(
        reverse("trajectories:request-assessment", kwargs={"trajectory_id": trajectory.pk}), follow=True
    )
    page = body(response)
    assert "Your portfolio is not complete yet. Still missing:" in page
    assert "Opdracht 2: 1 more piece of evidence and 1 more reflection needed" in page
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.COLLECTING


def test_the_request_hands_in_a_complete_portfolio(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world, complete=True)
    response = client_for(world.manager).post(
        reverse("trajectories:request-assessment", kwargs={"trajectory_id": trajectory.pk}), follow=True
    )
    assert "You have requested the assessment." in body(response)
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.ASSESSMENT_REQUESTED


def test_it_withdraws_after_confirmation(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world)
    client = client_for(world.manager)
    url = reverse("trajectories:withdraw", kwargs={"trajectory_id": trajectory.pk})
    assert 'data-testid="withdraw-form"' in body(client.get(url))
    client.post(url, {"reason": "Andere prioriteiten"})
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.WITHDRAWN
    page = body(client.get(detail_url(trajectory)))
    assert "Andere prioriteiten" in page
    assert 'data-testid="frozen"' in page
    response = client.get(url, follow=True)
    assert "can no longer be withdrawn" in body(response)


def test_the_offer_and_the_forms_take_a_bounded_number_of_queries(world: Any, client_for: Any) -> None:
    from bekwaam.trajectories.models import TemplateAssignment

    client = client_for(world.manager)
    small = template_build(provider=world.provider, name="Klein", assignments=1)
    few = count_queries(client, reverse("trajectories:offer", kwargs={"template_id": small.pk}))
    big = template_build(provider=world.provider, name="Groot", assignments=6)
    for position, theme in enumerate(themes(6), start=7):
        TemplateAssignment.objects.create(template=big, position=position, theme=theme, title=f"Thema {position}")
    assert count_queries(client, reverse("trajectories:offer", kwargs={"template_id": big.pk})) <= few
    assert few <= 14

    trajectory = trajectory_of(world, complete=True)
    assignment = trajectory.assignments.first()
    copy_url = reverse(
        "trajectories:item-copy", kwargs={"trajectory_id": trajectory.pk, "assignment_id": assignment.pk}
    )
    Evidence.objects.create(
        board=world.board_a, person=world.manager, kind=EvidenceKind.LINK, title="E", url="https://a.nl"
    )
    few = count_queries(client, copy_url)
    for n in range(30):
        Evidence.objects.create(
            board=world.board_a, person=world.manager, kind=EvidenceKind.LINK, title=f"E{n}", url="https://a.nl"
        )
    assert count_queries(client, copy_url) <= few
    item = trajectory.items.first()
    for url in (
        reverse("trajectories:item-create", kwargs={"trajectory_id": trajectory.pk, "assignment_id": assignment.pk}),
        reverse("trajectories:item-edit", kwargs={"trajectory_id": trajectory.pk, "item_id": item.pk}),
        reverse("trajectories:withdraw", kwargs={"trajectory_id": trajectory.pk}),
    ):
        assert count_queries(client, url) <= 14


def test_advice_goals_before_any_advice_say_why(world: Any, client_for: Any) -> None:
    trajectory = trajectory_of(world)
    response = client_for(world.manager).post(
        reverse("trajectories:advice-goals", kwargs={"trajectory_id": trajectory.pk}), {"lines": ["0"]}, follow=True
    )
    assert "Goals can be made from the development advice once it has been given." in body(response)
    assert not Goal.objects.exists()


def test_the_assessors_mail_links_to_their_own_page_of_the_trajectory(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    template = template_build(provider=world.provider)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.manager).post(
            reverse("trajectories:offer", kwargs={"template_id": template.pk}),
            {"themes": [themes(1)[0].pk], "with_coaching": "no"},
        )
    trajectory = Trajectory.objects.get()
    [message] = mailoutbox
    assert message.to == [world.assessor.email]
    assert reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk}) in message.body
    assert "PDF" not in message.body and "Verslag" not in message.body
