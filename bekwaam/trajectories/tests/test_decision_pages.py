"""The decision pages: the judgement form (typed input kept on every refusal), the blind rule as pages show
it, the disagreement and its two ways forward, the revision page, the interview recorded as held (before
its date only when confirmed), the coach and other aanbieders kept out, and bounded query counts.

Pages are fetched in the default language (Dutch); assertions use status codes, data attributes, the
database, words the tests typed themselves, and messages through gettext in that language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import escape

from bekwaam.accounts.testing import sign_in
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.trajectories.models import Decision, Judgement, Trajectory, TrajectoryState, TrajectoryTemplate
from bekwaam.trajectories.selectors.decision import criteria_of
from bekwaam.trajectories.services import decision as services
from bekwaam.trajectories.services.decision import criterion_field
from bekwaam.trajectories.tests.factories import (
    assessor_build,
    item_build,
    judgement_build,
    template_build,
    themes,
    trajectory_build,
)

pytestmark = pytest.mark.django_db


def judgement_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:judgement", kwargs={"trajectory_id": trajectory.pk})


def revise_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:judgement-revise", kwargs={"trajectory_id": trajectory.pk})


def held_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:interview-held", kwargs={"trajectory_id": trajectory.pk})


def deciding(world: Any, *, coach: Any = None, state: str = TrajectoryState.DECIDING) -> Trajectory:
    template = TrajectoryTemplate.objects.filter(provider=world.provider).first()
    return trajectory_build(
        candidate=world.manager,
        template=template or template_build(provider=world.provider),
        state=state,
        coach=coach if coach is not None else world.coach,
        theme_list=themes(3),
    )


def form_data(trajectory: Trajectory, *, text: str, level: int = 5, theme_count: int = 2, advice: str = "") -> dict:
    return {
        "themes": [theme.pk for theme in trajectory.themes.order_by("name")[:theme_count]],
        "learning_level": str(level),
        "advice": advice,
        **{criterion_field(code): f"{text} ({code})" for code, _text in criteria_of(trajectory)},
    }


def nl(text: str) -> str:
    """A message as the page shows it: in Dutch (the default language), HTML-escaped."""
    with translation.override("nl"):
        return escape(translation.gettext(str(text)))


def signed_in(person: Any) -> Client:
    """A client of its own (client_for signs the one shared test client in as someone else)."""
    return sign_in(Client(), person)


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def second(world: Any) -> Any:
    return assessor_build(provider=world.provider, email="tweede@academie.nl")


# --- recording ----------------------------------------------------------------------------------------


def test_an_assessor_records_a_judgement(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    client = client_for(world.assessor)
    html = page(client, judgement_url(trajectory))
    assert 'data-testid="judgement-form"' in html
    assert 'data-testid="snapshot-hash"' in html and trajectory.snapshot_hash in html
    assert "Bewijs 1.0" in html  # the portfolio as assessed, read-only
    response = client.post(judgement_url(trajectory), form_data(trajectory, text="Sterk onderbouwd"))
    assert response.status_code == 302
    assert response["Location"].endswith("#decision")
    judgement = Judgement.objects.get(trajectory=trajectory)
    assert judgement.assessor == world.assessor
    assert judgement.learning_level == 5
    assert judgement.themes.count() == 2
    assert all(text.startswith("Sterk onderbouwd") for text in judgement.criteria.values())
    html = page(client, judgement_url(trajectory))
    assert 'data-testid="judgement-form"' not in html
    assert 'data-testid="waiting"' in html
    assert "Sterk onderbouwd" in html  # their own judgement


def test_it_keeps_what_was_typed_when_a_criterion_is_missing(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    data = form_data(trajectory, text="Eerste criterium uitgewerkt")
    last = criterion_field(criteria_of(trajectory)[-1][0])
    data[last] = ""
    response = client_for(world.assessor).post(judgement_url(trajectory), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Eerste criterium uitgewerkt" in html
    assert nl("Substantiate this criterion.") in html
    assert not Judgement.objects.exists()


def test_it_asks_for_advice_when_the_outcome_is_no_points(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    response = client_for(world.assessor).post(
        judgement_url(trajectory), form_data(trajectory, text="Te vroeg", level=3)
    )
    assert response.status_code == 400
    assert 'id="id_advice"' in response.content.decode()
    assert "advice" in response.context["form"].errors
    assert not Judgement.objects.exists()


def test_a_judgement_recorded_twice_is_refused_and_the_text_kept(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    client = client_for(world.assessor)
    assert client.post(judgement_url(trajectory), form_data(trajectory, text="Eerste keer")).status_code == 302
    response = client.post(judgement_url(trajectory), form_data(trajectory, text="Tweede keer", level=6))
    assert response.status_code == 400
    html = response.content.decode()
    assert nl(services.already_recorded_message()) in html
    assert "Tweede keer" in html
    assert Judgement.objects.get(trajectory=trajectory).learning_level == 5


def test_a_judgement_after_the_decision_says_it_was_made(world: Any, client_for: Any, second: Any) -> None:
    trajectory = deciding(world)
    third = assessor_build(provider=world.provider, email="derde@academie.nl")
    client_for(world.assessor).post(judgement_url(trajectory), form_data(trajectory, text="Eens"))
    client_for(second).post(judgement_url(trajectory), form_data(trajectory, text="Ook eens"))
    assert Decision.objects.filter(trajectory=trajectory).exists()
    client = client_for(third)
    html = page(client, judgement_url(trajectory))
    assert 'data-testid="judgement-form"' not in html
    assert 'data-outcome="certified"' in html
    response = client.post(judgement_url(trajectory), form_data(trajectory, text="Te laat"))
    assert response.status_code == 400
    assert nl(services.already_decided_message()) in response.content.decode()
    assert "Te laat" in response.content.decode()


# --- blind, then side by side -------------------------------------------------------------------------


def hub(client: Any, trajectory: Trajectory) -> str | None:
    try:
        url = reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk})
    except NoReverseMatch:
        return None
    return page(client, url)


def test_nobody_sees_a_judgement_before_recording_their_own(world: Any, second: Any) -> None:
    trajectory = deciding(world)
    signed_in(world.assessor).post(judgement_url(trajectory), form_data(trajectory, text="GEHEIM-EERSTE"))
    other = signed_in(second)
    html = page(other, judgement_url(trajectory))
    assert "GEHEIM-EERSTE" not in html
    assert 'data-testid="blind"' in html and 'data-recorded="1"' in html
    assert "GEHEIM-EERSTE" not in (hub(other, trajectory) or "")
    assert "GEHEIM-EERSTE" not in (hub(signed_in(world.coach), trajectory) or "")
    # The second records a different level: both now see both, and the two ways forward.
    assert (
        other.post(judgement_url(trajectory), form_data(trajectory, text="GEHEIM-TWEEDE", level=4)).status_code == 302
    )
    for client in (other, signed_in(world.assessor)):
        html = page(client, judgement_url(trajectory))
        assert "GEHEIM-EERSTE" in html and "GEHEIM-TWEEDE" in html
        assert 'data-testid="disagreement"' in html
        assert 'data-agree="no"' in html
        assert 'data-testid="revise-link"' in html
    # A third assessor sees neither until they have recorded.
    third = signed_in(assessor_build(provider=world.provider, email="derde@academie.nl"))
    html = page(third, judgement_url(trajectory))
    assert "GEHEIM-EERSTE" not in html and "GEHEIM-TWEEDE" not in html
    assert 'data-testid="judgement-form"' in html and 'data-testid="disagreement"' in html
    assert "GEHEIM-EERSTE" not in (hub(third, trajectory) or "")
    assert third.post(judgement_url(trajectory), form_data(trajectory, text="DERDE", level=4)).status_code == 302
    decision = Decision.objects.get(trajectory=trajectory)
    assert (decision.first_assessor, decision.second_assessor) == (second, Judgement.objects.last().assessor)
    html = page(third, judgement_url(trajectory))
    assert 'data-outcome="certified"' in html and 'data-points="20"' in html


def test_a_revisions_history_note_stays_hidden_from_who_may_not_see_the_judgements(world: Any, second: Any) -> None:
    """The revision keeps the previous judgement in the history; the hub shows it only to who sees them all."""
    trajectory = deciding(world)
    first = signed_in(world.assessor)
    first.post(judgement_url(trajectory), form_data(trajectory, text="VOOR-OVERLEG"))
    signed_in(second).post(judgement_url(trajectory), form_data(trajectory, text="ANDERS", level=4))
    first.post(revise_url(trajectory), form_data(trajectory, text="NA-OVERLEG", level=6))
    assert Trajectory.objects.get(pk=trajectory.pk).state == TrajectoryState.DECIDING
    fourth = signed_in(assessor_build(provider=world.provider, email="vierde@academie.nl"))
    for client in (fourth, signed_in(world.coach)):
        html = hub(client, trajectory) or ""
        assert "VOOR-OVERLEG" not in html and "NA-OVERLEG" not in html and "ANDERS" not in html


# --- the consensus round ------------------------------------------------------------------------------


def test_a_revision_in_a_consensus_round_decides(world: Any, client_for: Any, second: Any) -> None:
    trajectory = deciding(world)
    client_for(world.assessor).post(judgement_url(trajectory), form_data(trajectory, text="Mijn oordeel"))
    client_for(second).post(judgement_url(trajectory), form_data(trajectory, text="Ander oordeel", level=6))
    client = client_for(world.assessor)
    html = page(client, revise_url(trajectory))
    assert "Mijn oordeel" in html  # the current values filled in
    assert 'value="5"' in html
    response = client.post(revise_url(trajectory), form_data(trajectory, text="Na overleg", level=6))
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.CERTIFIED
    assert Decision.objects.get(trajectory=trajectory).learning_level == 6
    assert Judgement.objects.get(assessor=world.assessor).revised_at is not None


def test_the_revise_page_sends_back_who_has_nothing_to_revise(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    response = client_for(world.assessor).get(revise_url(trajectory))
    assert response.status_code == 302
    assert response["Location"] == judgement_url(trajectory)


def test_a_revision_with_errors_keeps_what_was_typed(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    judgement_build(trajectory=trajectory, assessor=world.assessor, level=5)
    data = form_data(trajectory, text="Herzien na overleg", level=2)
    response = client_for(world.assessor).post(revise_url(trajectory), data)
    assert response.status_code == 400  # no advice at level 2
    assert "Herzien na overleg" in response.content.decode()
    assert Judgement.objects.get(assessor=world.assessor).revised_at is None


# --- who may ------------------------------------------------------------------------------------------


def test_the_coach_is_kept_out_with_the_reason(world: Any, client_for: Any) -> None:
    trajectory = deciding(world, coach=world.assessor)
    client = client_for(world.assessor)
    for response in (
        client.get(judgement_url(trajectory)),
        client.post(judgement_url(trajectory), form_data(trajectory, text="Als coach")),
        client.get(revise_url(trajectory)),
    ):
        assert response.status_code == 403
        assert nl(services.coach_refused_message()) in response.content.decode()
    assert not Judgement.objects.exists()


def test_the_candidate_is_refused_and_their_board_finds_nothing(world: Any, client_for: Any) -> None:
    trajectory = deciding(world)
    assert client_for(world.manager).get(judgement_url(trajectory)).status_code == 403
    for persona in ("administrator", "board_member", "quality_officer", "teacher", "outsider_admin"):
        assert client_for(world.persona(persona)).get(judgement_url(trajectory)).status_code == 404, persona


def test_another_aanbieders_assessor_finds_nothing(world: Any, client_for: Any) -> None:
    trajectory = deciding(world, state=TrajectoryState.INTERVIEW_PLANNED)
    deciding_one = deciding(world)
    judgement_build(trajectory=deciding_one, assessor=world.assessor, level=5)
    client = client_for(assessor_build(provider=ProviderFactory(), email="assessor@elders.nl"))
    assert client.post(held_url(trajectory)).status_code == 404
    assert client.get(judgement_url(deciding_one)).status_code == 404
    assert client.post(judgement_url(deciding_one), form_data(deciding_one, text="Elders")).status_code == 404
    assert client.get(revise_url(deciding_one)).status_code == 404
    assert client.post(revise_url(deciding_one), form_data(deciding_one, text="Elders")).status_code == 404
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.INTERVIEW_PLANNED
    assert Judgement.objects.count() == 1


# --- the interview ------------------------------------------------------------------------------------


def test_the_interview_is_recorded_as_held(world: Any, client_for: Any) -> None:
    trajectory = deciding(world, state=TrajectoryState.INTERVIEW_PLANNED)
    trajectory.interview_at = timezone.now() - datetime.timedelta(hours=1)
    trajectory.save(update_fields=["interview_at"])
    client = client_for(world.assessor)
    html = page(client, judgement_url(trajectory))
    assert 'data-testid="interview-held-form"' in html and 'name="held_early"' not in html
    response = client.post(held_url(trajectory))
    assert response.status_code == 302 and response["Location"] == judgement_url(trajectory)
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.DECIDING
    assert 'data-testid="judgement-form"' in page(client, judgement_url(trajectory))


def test_an_interview_before_its_date_needs_a_confirmation(world: Any, client_for: Any) -> None:
    trajectory = deciding(world, state=TrajectoryState.INTERVIEW_PLANNED)  # planned a week ahead
    client = client_for(world.assessor)
    assert 'name="held_early"' in page(client, judgement_url(trajectory))
    response = client.post(held_url(trajectory))
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.INTERVIEW_PLANNED
    client.post(held_url(trajectory), {"held_early": "on"})
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.DECIDING


def test_the_page_says_when_the_interview_is_still_to_come(world: Any, client_for: Any) -> None:
    trajectory = deciding(world, state=TrajectoryState.COLLECTING)
    html = page(client_for(world.assessor), judgement_url(trajectory))
    assert 'data-testid="not-yet"' in html and 'data-testid="judgement-form"' not in html


# --- query counts -------------------------------------------------------------------------------------


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_judgement_page_takes_a_fixed_number_of_queries(
    world: Any, client_for: Any, second: Any, django_assert_max_num_queries: Any
) -> None:
    small = deciding(world)
    client = client_for(world.assessor)
    few = count_queries(client, judgement_url(small))
    big = deciding(world)
    for assignment in big.assignments.all():
        for n in range(6):
            item_build(trajectory=big, assignment=assignment, title=f"Extra {n}")
    with django_assert_max_num_queries(few):
        client.get(judgement_url(big))
    # Side by side: four judgements (the actor's among them) cost no more than one.
    judgement_build(trajectory=small, assessor=world.assessor, level=5)
    one = count_queries(client, judgement_url(small))
    for n, level in enumerate((4, 6, 3)):
        other = second if n == 0 else assessor_build(provider=world.provider, email=f"extra{n}@academie.nl")
        judgement_build(trajectory=small, assessor=other, level=level)
    with django_assert_max_num_queries(one):
        response = client.get(judgement_url(small))
    assert len(response.context["panel"].visible) == 4
    with django_assert_max_num_queries(one + 1):  # the revise page reads the actor's judgement for the form
        assert client.get(revise_url(small)).status_code == 200
    assert few <= 20


def test_the_decided_page_takes_a_fixed_number_of_queries(
    world: Any, client_for: Any, second: Any, django_assert_max_num_queries: Any
) -> None:
    trajectory = deciding(world)
    client_for(world.assessor).post(judgement_url(trajectory), form_data(trajectory, text="Eens"))
    client_for(second).post(judgement_url(trajectory), form_data(trajectory, text="Eens"))
    trajectory.refresh_from_db()
    assert trajectory.state == TrajectoryState.CERTIFIED
    client = client_for(world.assessor)
    decided = count_queries(client, judgement_url(trajectory))
    with django_assert_max_num_queries(decided):
        response = client.get(judgement_url(trajectory))
    assert (
        'data-testid="certificate-link"' in response.content.decode()
        or response.context["panel"].certificate_url is None
    )
    assert decided <= 22
