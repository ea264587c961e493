"""The lesson-visit pages: who sees which visit (per persona), what the teacher sees before and after the
visit is put forward, the scoring page and its JSON save endpoint (validation, refusals, newer-wins), the
plan form, the nagesprek, agreement → goal, and bounded query counts.

Pages are fetched in the default language (Dutch); assertions use status codes, data attributes, the
database, and words the tests typed themselves."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import Goal
from bekwaam.frameworks.models import FrameworkVersion
from bekwaam.observations.models import (
    Observation,
    ObservationAgreement,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.observations.tests.factories import ICALT_SCALE
from bekwaam.observations.tests.factories_visits import (
    instrument_build,
    instrument_of,
    items_of,
    observation_build,
    peer_visit_in,
    visit_in,
)
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def detail_url(observation: Observation) -> str:
    return reverse("observations:visit-detail", args=[observation.pk])


def save_url(observation: Observation) -> str:
    return reverse("observations:score-save", args=[observation.pk])


def score_url(observation: Observation) -> str:
    return reverse("observations:visit-score", args=[observation.pk])


def post_json(client: Any, url: str, changes: list[dict[str, Any]]) -> Any:
    return client.post(url, data=json.dumps({"changes": changes}), content_type="application/json")


def listed_ids(response: Any) -> set[str]:
    return {str(observation.pk) for observation, _role in response.context["rows"]}


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- who sees what ------------------------------------------------------------------------------------

# A visit of the teacher observed by the kwaliteitsmedewerker: the manager sees it as the teacher's leidinggevende.
VISIT_SEEN_BY = {
    "teacher": 200,
    "quality_officer": 200,  # the observer
    "manager": 200,  # leads the teacher
    "board_member": 404,  # aggregates only (team report), never one teacher's visit
    "administrator": 404,
    "colleague": 404,
    "outsider": 404,
    "outsider_admin": 404,
}
PEER_SEEN_BY = {
    "teacher": 200,
    "colleague": 200,  # the observer
    "manager": 404,
    "quality_officer": 404,
    "board_member": 404,
    "administrator": 404,
    "outsider": 404,
    "outsider_admin": 404,
}


@pytest.mark.parametrize(("persona", "status"), VISIT_SEEN_BY.items())
def test_a_visit_is_seen_by_its_teacher_observer_leidinggevende_and_quality_officer(
    world: Any, client_for: Any, persona: str, status: int
) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED, observer=world.quality_officer)
    client = client_for(world.persona(persona))
    assert client.get(detail_url(observation)).status_code == status
    listing = client.get(reverse("observations:visit-list"))
    if listing.status_code == 200:
        assert (str(observation.pk) in listed_ids(listing)) == (status == 200)
    else:
        assert persona in ("board_member", "administrator", "outsider_admin")
        assert listing.status_code == 403


@pytest.mark.parametrize(("persona", "status"), PEER_SEEN_BY.items())
def test_a_peer_visit_is_seen_by_the_teacher_and_the_colleague_only(
    world: Any, client_for: Any, persona: str, status: int
) -> None:
    observation = peer_visit_in(world, ObservationState.SUBMITTED)
    client = client_for(world.persona(persona))
    assert client.get(detail_url(observation)).status_code == status
    listing = client.get(reverse("observations:visit-list"))
    if listing.status_code == 200:
        assert (str(observation.pk) in listed_ids(listing)) == (status == 200)


def test_the_teacher_sees_the_plan_but_no_scores_before_it_is_put_forward(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS, observer=world.quality_officer, scores=[3])
    ObservationScore.objects.filter(observation=observation).update(note="Geheime aantekening")
    Observation.objects.filter(pk=observation.pk).update(went_well="Nog een concept", focus="Afgesproken focus")
    teacher = client_for(world.teacher).get(detail_url(observation))
    body = teacher.content.decode()
    assert teacher.context["page"].show_scores is False
    assert 'data-testid="scores-hidden"' in body
    assert "Afgesproken focus" in body
    assert "Geheime aantekening" not in body
    assert "Nog een concept" not in body
    manager = client_for(world.manager).get(detail_url(observation))
    assert "Geheime aantekening" not in manager.content.decode()
    observer = client_for(world.quality_officer).get(detail_url(observation))
    assert "Geheime aantekening" in observer.content.decode()


def test_the_teacher_sees_scores_with_scale_labels_notes_and_the_nagesprek_once_put_forward(
    world: Any, client_for: Any
) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED, scores=[3, 4], agreements=("Rondlopen tijdens werken",))
    item = items_of(observation.instrument)[0]
    ObservationScore.objects.filter(observation=observation, item=item).update(note="Duidelijke doelen")
    Observation.objects.filter(pk=observation.pk).update(went_well="Rustige start", work_on="Afstemming")
    body = client_for(world.teacher).get(detail_url(observation)).content.decode()
    assert f'data-item="{item.pk}" data-value="3"' in body
    assert ICALT_SCALE[2] in body
    assert "Duidelijke doelen" in body
    assert "Rustige start" in body and "Afstemming" in body
    assert "Rondlopen tijdens werken" in body
    assert reverse("observations:visit-acknowledge", args=[observation.pk]) in body


def test_the_reaction_stays_with_the_teacher_until_they_mark_the_visit_as_seen(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED)
    teacher = client_for(world.teacher)
    teacher.post(reverse("observations:visit-reaction", args=[observation.pk]), {"reaction": "Mijn eerste reactie"})
    observation.refresh_from_db()
    assert observation.teacher_reaction == "Mijn eerste reactie"
    assert "Mijn eerste reactie" not in client_for(world.manager).get(detail_url(observation)).content.decode()
    teacher = client_for(world.teacher)
    teacher.post(reverse("observations:visit-acknowledge", args=[observation.pk]), {"reaction": "Dank je"})
    observation.refresh_from_db()
    assert observation.state == ObservationState.ACKNOWLEDGED
    assert 'data-testid="reaction"' in client_for(world.manager).get(detail_url(observation)).content.decode()


def test_the_managers_and_quality_officers_reading_is_logged_but_not_the_observers(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED, observer=world.quality_officer)
    client_for(world.quality_officer).get(detail_url(observation))
    client_for(world.teacher).get(detail_url(observation))
    assert not AccessLog.objects.exists()
    client_for(world.manager).get(detail_url(observation))
    [entry] = AccessLog.objects.all()
    assert (entry.actor_id, entry.subject_id, entry.object_id) == (
        world.manager.pk,
        world.teacher.pk,
        str(observation.pk),
    )


# --- the list -----------------------------------------------------------------------------------------


def test_the_list_tabs_split_observed_own_and_others(world: Any, client_for: Any) -> None:
    observed = visit_in(world, observer=world.manager)  # the manager observes the teacher
    own = visit_in(world, teacher=world.manager, observer=world.quality_officer)  # the manager's own lesson
    other = visit_in(world, teacher=world.colleague, observer=world.quality_officer)  # the manager's team
    client = client_for(world.manager)
    url = reverse("observations:visit-list")
    assert listed_ids(client.get(url)) == {str(observed.pk), str(own.pk), str(other.pk)}
    assert listed_ids(client.get(url, {"who": "observing"})) == {str(observed.pk)}
    assert listed_ids(client.get(url, {"who": "own"})) == {str(own.pk)}
    assert listed_ids(client.get(url, {"who": "others"})) == {str(other.pk)}
    assert listed_ids(client.get(url, {"state": "planned", "who": "bogus"})) == {
        str(observed.pk),
        str(own.pk),
        str(other.pk),
    }


def test_the_quality_officer_filters_by_school_and_pages(world: Any, client_for: Any) -> None:
    elsewhere = PersonFactory(email="tweede@alfa.nl")
    EmploymentFactory(person=elsewhere, school=world.school_a2)
    at_a2 = visit_in(world, teacher=elsewhere, observer=world.manager)
    for _ in range(26):
        visit_in(world, observer=world.manager)
    client = client_for(world.quality_officer)
    url = reverse("observations:visit-list")
    response = client.get(url, {"school": world.school_a2.pk})
    assert listed_ids(response) == {str(at_a2.pk)}
    first = client.get(url)
    assert len(first.context["rows"]) == 25
    second = client.get(url, {"page": 2})
    assert len(second.context["rows"]) == 2
    assert client.get(url, {"school": world.school_b.pk}).context["school_id"] is None  # not a school of the board


def test_the_list_shows_open_visits_first(world: Any, client_for: Any) -> None:
    done = visit_in(world, ObservationState.ACKNOWLEDGED)
    Observation.objects.filter(pk=done.pk).update(date=timezone.localdate() + datetime.timedelta(days=30))
    planned = visit_in(world)
    rows = client_for(world.manager).get(reverse("observations:visit-list")).context["rows"]
    assert [str(o.pk) for o, _role in rows] == [str(planned.pk), str(done.pk)]


def test_it_lists_visits_in_a_fixed_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.quality_officer)
    url = reverse("observations:visit-list")
    visit_in(world, observer=world.manager)
    few = count_queries(client, url)
    for i in range(30):
        person = PersonFactory(email=f"extra{i}@alfa.nl")
        EmploymentFactory(person=person, school=world.school_a2 if i % 2 else world.school_a, manager=world.manager)
        visit_in(world, teacher=person, observer=world.manager if i % 3 else world.quality_officer)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(few):
        client.get(url, {"page": 2, "school": world.school_a.pk, "state": "planned"})
    manager = client_for(world.manager)
    with django_assert_max_num_queries(few + 2):
        manager.get(url, {"who": "others"})
    assert few <= 12


# --- planning -----------------------------------------------------------------------------------------


def test_the_plan_page_says_how_to_get_a_kijkwijzer_when_there_is_none(world: Any, client_for: Any) -> None:
    response = client_for(world.manager).get(reverse("observations:visit-create"))
    assert response.status_code == 200
    assert 'data-testid="no-instruments"' in response.content.decode()
    assert 'data-testid="plan-form"' not in response.content.decode()


def test_it_plans_through_the_form_and_warns_about_a_date_in_the_past(world: Any, client_for: Any) -> None:
    instrument = instrument_of(world)
    focus = items_of(instrument)[1]
    employment = Employment.objects.get(person=world.teacher)
    client = client_for(world.manager)
    page = client.get(reverse("observations:visit-create"), {"employment": employment.pk})
    assert page.context["form"].initial["employment"] == str(employment.pk)
    response = client.post(
        reverse("observations:visit-create"),
        {
            "employment": employment.pk,
            "group": 3,
            "date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "subject": "Begrijpend lezen",
            "instrument": instrument.pk,
            "focus": "Modeling",
            "focus_items": [focus.pk],
        },
        follow=True,
    )
    observation = Observation.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(observation)
    assert [m.level_tag for m in response.context["messages"]] == ["success", "warning"]
    assert list(observation.focus_items.all()) == [focus]
    assert f'data-focus-item="{focus.pk}"' in response.content.decode()


def test_it_keeps_what_was_typed_when_the_plan_is_refused(world: Any, client_for: Any) -> None:
    instrument = instrument_of(world)
    other = instrument_build(board=world.board_a, slug="focus-kijkwijzer")
    response = client_for(world.manager).post(
        reverse("observations:visit-create"),
        {
            "employment": Employment.objects.get(person=world.teacher).pk,
            "group": 3,
            "date": timezone.localdate().isoformat(),
            "subject": "Getypt onderwerp",
            "instrument": instrument.pk,
            "focus_items": [items_of(other)[0].pk],
        },
    )
    assert response.status_code == 400
    assert "focus_items" in response.context["form"].errors
    assert "Getypt onderwerp" in response.content.decode()
    assert not Observation.objects.exists()


def test_it_asks_a_colleague_through_the_form(world: Any, client_for: Any) -> None:
    instrument = instrument_of(world)
    response = client_for(world.teacher).post(
        reverse("observations:peer-create"),
        {
            "colleague": Employment.objects.get(person=world.colleague).pk,
            "group": 7,
            "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "start_time": "11:00",
            "subject": "Gym",
            "instrument": instrument.pk,
        },
    )
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert (observation.kind, observation.observer_id, observation.teacher_id) == (
        ObservationKind.PEER,
        world.colleague.pk,
        world.teacher.pk,
    )


# --- scoring ------------------------------------------------------------------------------------------


def test_the_save_endpoint_stores_a_tap_and_starts_the_visit(world: Any, client_for: Any) -> None:
    observation = visit_in(world)
    item = items_of(observation.instrument)[0]
    response = post_json(
        client_for(world.manager),
        save_url(observation),
        [{"item": item.pk, "value": 2, "note": "Goed", "edited_at": None}],
    )
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == ObservationState.IN_PROGRESS
    assert data["results"][0]["applied"] is True
    score = ObservationScore.objects.get(observation=observation, item=item)
    assert (score.value, score.note) == (2, "Goed")


def test_the_save_endpoint_keeps_a_newer_score_over_a_stale_replay(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    client = client_for(world.manager)
    now_ms = int(timezone.now().timestamp() * 1000)
    post_json(client, save_url(observation), [{"item": item.pk, "value": 4, "note": "Later", "edited_at": now_ms}])
    response = post_json(
        client, save_url(observation), [{"item": item.pk, "value": 1, "note": "Eerder", "edited_at": now_ms - 60_000}]
    )
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert (result["applied"], result["value"], result["note"]) == (False, 4, "Later")
    assert ObservationScore.objects.get(observation=observation, item=item).value == 4


@pytest.mark.parametrize(
    "change",
    [
        {"item": 999_999, "value": 2},
        {"item": "abc", "value": 2},
        {"value": 2},
        {"item": "FIRST", "value": 7},
        {"item": "FIRST", "value": "drie"},
        {"item": "FIRST", "value": 2, "edited_at": "gisteren"},
        {"item": "FIRST", "value": 2, "note": ["lijst"]},
    ],
)
def test_the_save_endpoint_refuses_bad_input_with_a_message(
    world: Any, client_for: Any, change: dict[str, Any]
) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    if change.get("item") == "FIRST":
        change = {**change, "item": items_of(observation.instrument)[0].pk}
    response = post_json(client_for(world.manager), save_url(observation), [change])
    assert response.status_code == 400
    assert response.json()["error"]
    assert not ObservationScore.objects.exists()


def test_the_save_endpoint_refuses_an_item_of_another_version(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    newer = instrument_build(board=world.board_a)
    response = post_json(
        client_for(world.manager), save_url(observation), [{"item": items_of(newer)[0].pk, "value": 2}]
    )
    assert response.status_code == 400
    assert not ObservationScore.objects.exists()


def test_the_save_endpoint_refuses_unreadable_json(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    response = client_for(world.manager).post(save_url(observation), data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_save_endpoint_refuses_a_visit_that_was_put_forward(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED)
    before = list(ObservationScore.objects.values_list("item_id", "value"))
    item = items_of(observation.instrument)[2]
    response = post_json(client_for(world.manager), save_url(observation), [{"item": item.pk, "value": 1}])
    assert response.status_code == 400
    assert response.json()["error"]
    assert list(ObservationScore.objects.values_list("item_id", "value")) == before


def test_the_save_endpoint_refuses_a_second_observer_and_hides_from_strangers(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    item = items_of(observation.instrument)[0]
    response = post_json(client_for(world.quality_officer), save_url(observation), [{"item": item.pk, "value": 1}])
    assert response.status_code == 403
    assert response.json()["error"]
    assert (
        post_json(client_for(world.teacher), save_url(observation), [{"item": item.pk, "value": 1}]).status_code == 403
    )
    assert (
        post_json(client_for(world.colleague), save_url(observation), [{"item": item.pk, "value": 1}]).status_code
        == 404
    )
    assert not ObservationScore.objects.exists()


def test_the_scoring_page_refuses_a_second_observer_with_a_message(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    response = client_for(world.quality_officer).get(score_url(observation))
    assert response.status_code == 403
    assert 'data-testid="refused"' in response.content.decode()


def test_the_scoring_form_saves_every_item_without_javascript(world: Any, client_for: Any) -> None:
    observation = visit_in(world)
    first, second, third = items_of(observation.instrument)[:3]
    response = client_for(world.manager).post(
        score_url(observation),
        {
            f"item_{first.pk}": "4",
            f"note_{first.pk}": "Sterk",
            f"item_{second.pk}": "1",
            f"note_{second.pk}": "",
            f"item_{third.pk}": "",
            f"note_{third.pk}": "",
            "next": "debrief",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("observations:visit-debrief", args=[observation.pk])
    assert dict(ObservationScore.objects.values_list("item_id", "value")) == {first.pk: 4, second.pk: 1}
    observation.refresh_from_db()
    assert observation.state == ObservationState.IN_PROGRESS


def test_the_scoring_form_comes_back_with_the_message_and_what_was_sent(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    first = items_of(observation.instrument)[0]
    response = client_for(world.manager).post(
        score_url(observation), {f"item_{first.pk}": "9", f"note_{first.pk}": "Wat ik typte"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="score-error"' in body
    assert "Wat ik typte" in body
    assert not ObservationScore.objects.exists()


def test_the_scoring_page_marks_focus_items_and_shows_look_fors(world: Any, client_for: Any) -> None:
    observation = visit_in(world)
    focus = items_of(observation.instrument)[1]
    observation.focus_items.set([focus])
    body = client_for(world.manager).get(score_url(observation)).content.decode()
    assert f'class="scoring-item scoring-item--focus" id="item-{focus.pk}"' in body
    assert "Indicator 1.2.1" in body  # the look-for of that item
    assert 'aria-live="polite"' in body


def test_the_scoring_page_takes_a_fixed_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    small = observation_build(
        teacher=world.teacher, observer=world.manager, instrument=instrument_of(world), scores=[1, 2]
    )
    client = client_for(world.manager)
    few = count_queries(client, score_url(small))
    big_instrument = instrument_build(board=world.board_a, slug="groot", domains=7, items=6)
    big = observation_build(teacher=world.teacher, observer=world.manager, instrument=big_instrument, scores=[2] * 30)
    big.focus_items.set(items_of(big_instrument)[:5])
    with django_assert_max_num_queries(few):
        response = client.get(score_url(big))
    assert response.context["sheet"].item_count == 42
    assert few <= 16


def test_the_visit_page_takes_a_fixed_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    small = visit_in(world, ObservationState.SUBMITTED, agreements=("Een",))
    manager = client_for(world.manager)
    few = count_queries(manager, detail_url(small))
    big_instrument = instrument_build(board=world.board_a, slug="groot", domains=7, items=6)
    big = observation_build(
        teacher=world.teacher,
        observer=world.manager,
        instrument=big_instrument,
        state=ObservationState.SUBMITTED,
        scores=[3] * 42,
    )
    for i in range(12):
        ObservationAgreement.objects.create(board=world.board_a, observation=big, text=f"Afspraak {i}", position=i)
    big.focus_items.set(items_of(big_instrument)[:5])
    with django_assert_max_num_queries(few):
        response = manager.get(detail_url(big))
    assert b"Afspraak 11" in response.content
    quality = client_for(world.quality_officer)
    with django_assert_max_num_queries(few + 2):
        quality.get(detail_url(big))
    assert few <= 22


# --- the nagesprek and the teacher's side -------------------------------------------------------------


def test_the_nagesprek_form_saves_and_puts_forward(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS, scores=[2])
    response = client_for(world.manager).post(
        reverse("observations:visit-debrief", args=[observation.pk]),
        {"went_well": "Rust", "work_on": "Tempo", "agreement_new_1": "Tempo verhogen", "submit": "1"},
    )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED
    assert observation.went_well == "Rust"
    assert list(ObservationAgreement.objects.values_list("text", flat=True)) == ["Tempo verhogen"]


def test_putting_forward_without_a_score_saves_the_nagesprek_and_says_why(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.IN_PROGRESS)
    response = client_for(world.manager).post(
        reverse("observations:visit-debrief", args=[observation.pk]),
        {"went_well": "Bewaard", "work_on": "", "submit": "1"},
        follow=True,
    )
    observation.refresh_from_db()
    assert observation.state == ObservationState.IN_PROGRESS
    assert observation.went_well == "Bewaard"
    assert "error" in [m.level_tag for m in response.context["messages"]]


def test_an_agreement_becomes_one_goal_however_often_it_is_clicked(world: Any, client_for: Any) -> None:
    observation = visit_in(world, ObservationState.SUBMITTED, agreements=("Coöperatieve werkvormen",))
    agreement = ObservationAgreement.objects.get()
    client = client_for(world.teacher)
    url = reverse("observations:visit-agreement-goal", args=[observation.pk, agreement.pk])
    first = client.post(url)
    second = client.post(url)
    goal = Goal.objects.get()
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#goal-{goal.pk}")
    agreement.refresh_from_db()
    assert agreement.goal_id == goal.pk


def test_a_kijkwijzer_version_published_later_does_not_change_a_planned_visits_choice(
    world: Any, client_for: Any
) -> None:
    observation = visit_in(world)
    newer = instrument_build(board=world.board_a)
    response = client_for(world.manager).get(reverse("observations:visit-edit", args=[observation.pk]))
    choices = {str(pk) for pk, _label in response.context["form"].fields["instrument"].choices if pk}
    assert {str(observation.instrument_id), str(newer.pk)} <= choices
    assert FrameworkVersion.objects.filter(framework__slug="test-kijkwijzer").count() == 2
