"""The report: who may read it (owner, shares), the page and the PDF with the same figures, POP goals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from bekwaam.audit.models import AccessLog
from bekwaam.dossier.models import DevelopmentPlan, Goal
from bekwaam.feedback.models import FeedbackShare, QuestionKind, Relation, RoundState, ShareAudience
from bekwaam.feedback.services import sharing as services
from bekwaam.feedback.tests.factories import questions_of, response_build, round_build, version_of
from bekwaam.feedback.views import report as report_views
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Employment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def closed_round(world: Any) -> Any:
    """Three colleagues (shown), one parent (withheld), the owner's self-rating; one open question."""
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, competences=2)
    first, second = questions_of(round_)
    (question,) = questions_of(round_, QuestionKind.OPEN)
    response_build(round_, relation=Relation.SELF, values={first: 4, second: 1})
    for value, text in ((2, "Fijne sfeer"), (3, "Heldere instructie"), (3, "Meer uitdaging")):
        response_build(round_, relation=Relation.COLLEAGUE, values={first: value, second: 2}, texts={question: text})
    response_build(round_, relation=Relation.PARENT, values={first: 1, second: 4}, texts={question: "UNIEK-OUDER"})
    return round_


def report_url(round_: Any, name: str = "feedback:report") -> str:
    return reverse(name, kwargs={"round_id": round_.pk})


def test_it_shows_the_owner_the_groups_that_reach_three_and_says_why_the_rest_is_withheld(
    world: Any, closed_round: Any, client_for: Any
) -> None:
    response = client_for(world.teacher).get(report_url(closed_round))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-group="colleague"' in page and 'data-group="self"' in page
    assert "2.7" in page  # the colleagues' average of 2, 3, 3
    assert "Parents – fewer than 3 answers" in page
    assert "UNIEK-OUDER" not in page
    assert 'data-group="parent"' not in page
    # Comments per group, sorted by text (not in the order they came in).
    assert page.index("Fijne sfeer") < page.index("Heldere instructie") < page.index("Meer uitdaging")
    assert "<svg" in page and "<caption>" in page


def test_it_has_no_report_before_the_round_closes(world: Any, client_for: Any) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    response = client_for(world.teacher).get(report_url(round_))
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:round-detail", kwargs={"round_id": round_.pk})
    assert client_for(world.teacher).get(report_url(round_, "feedback:report-pdf")).status_code == 302


@pytest.mark.parametrize("persona", ["manager", "colleague", "administrator", "board_member", "outsider"])
def test_it_shows_an_unshared_report_to_nobody_else(
    world: Any, closed_round: Any, client_for: Any, persona: str
) -> None:
    client = client_for(world.persona(persona))
    assert client.get(report_url(closed_round)).status_code == 404
    assert client.get(report_url(closed_round, "feedback:report-pdf")).status_code == 404
    assert client.get(reverse("feedback:round-detail", kwargs={"round_id": closed_round.pk})).status_code in (403, 404)


def test_it_shares_with_the_manager_until_withdrawn_and_logs_each_view(
    world: Any, closed_round: Any, client_for: Any
) -> None:
    owner = client_for(world.teacher)
    response = owner.post(report_url(closed_round, "feedback:share-create"), {"with_whom": "manager"})
    assert response.status_code == 302
    share = FeedbackShare.objects.get()
    assert (share.audience, share.grantee) == (ShareAudience.MANAGER, None)

    manager = client_for(world.manager)
    page = manager.get(report_url(closed_round))
    assert page.status_code == 200
    assert "Make it a POP goal" not in page.content.decode() and 'id="sharing"' not in page.content.decode()
    assert closed_round.title in manager.get(reverse("feedback:round-list")).content.decode()
    log = AccessLog.objects.get()
    assert (log.actor, log.subject, log.object_id) == (world.manager, world.teacher, str(closed_round.pk))
    # The colleague is not the manager: a "my manager" share does not reach them.
    assert client_for(world.colleague).get(report_url(closed_round)).status_code == 404

    owner.post(report_url(closed_round, "feedback:share-withdraw"), {"share": share.pk})
    assert manager.get(report_url(closed_round)).status_code == 404  # the very next request


def test_it_follows_the_manager_of_the_moment(world: Any, closed_round: Any, client_for: Any) -> None:
    services.share_create(actor=actor_for(world.teacher, None), round_=closed_round, audience=ShareAudience.MANAGER)
    assert client_for(world.manager).get(report_url(closed_round)).status_code == 200
    # The director is no longer the teacher's manager (no longer named, no longer leads the school).
    Employment.objects.filter(person=world.teacher).update(manager=None)
    world.manager.role_grants.all().delete()
    assert client_for(world.manager).get(report_url(closed_round)).status_code == 404


def test_it_shares_with_a_named_colleague_only_while_they_work_at_the_board(
    world: Any, closed_round: Any, client_for: Any
) -> None:
    actor = actor_for(world.teacher, None)
    services.share_create(actor=actor, round_=closed_round, audience=ShareAudience.PERSON, grantee=world.colleague)
    assert client_for(world.colleague).get(report_url(closed_round)).status_code == 200
    assert client_for(world.manager).get(report_url(closed_round)).status_code == 404
    Employment.objects.filter(person=world.colleague).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    assert client_for(world.colleague).get(report_url(closed_round)).status_code != 200


@pytest.mark.parametrize(
    ("audience", "grantee", "message"),
    [
        (ShareAudience.PERSON, "outsider", "does not work at this board"),
        (ShareAudience.PERSON, "teacher", "yourself"),
        (ShareAudience.PERSON, None, "Choose the colleague"),
        ("everyone", None, "Choose whom"),
    ],
)
def test_it_refuses_bad_shares(world: Any, closed_round: Any, audience: str, grantee: str | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.share_create(
            actor=actor_for(world.teacher, None),
            round_=closed_round,
            audience=audience,
            grantee=world.persona(grantee) if grantee else None,
        )


def test_it_shares_only_a_closed_round_and_never_twice(world: Any, closed_round: Any) -> None:
    actor = actor_for(world.teacher, None)
    first = services.share_create(actor=actor, round_=closed_round, audience=ShareAudience.MANAGER)
    assert services.share_create(actor=actor, round_=closed_round, audience=ShareAudience.MANAGER) == first
    open_round = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN)
    with pytest.raises(ValidationError, match="once the round is closed"):
        services.share_create(actor=actor, round_=open_round, audience=ShareAudience.MANAGER)


def test_it_makes_the_pdf_from_the_same_report_with_the_same_threshold(
    world: Any, closed_round: Any, client_for: Any, monkeypatch: Any
) -> None:
    rendered: list[str] = []
    real = report_views.pdf_render

    def spy(html: str) -> bytes:
        rendered.append(html)
        return real(html)

    monkeypatch.setattr(report_views, "pdf_render", spy)
    response = client_for(world.teacher).get(report_url(closed_round, "feedback:report-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (html,) = rendered
    assert "2.7" in html  # the colleagues' average
    assert "Parents – fewer than 3 answers" in html
    assert "UNIEK-OUDER" not in html


def test_it_shows_the_report_of_thirty_answers_in_a_bounded_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, competences=4)
    competences = questions_of(round_)
    (question,) = questions_of(round_, QuestionKind.OPEN)
    relations = [Relation.COLLEAGUE] * 18 + [Relation.PARENT] * 8 + [Relation.INTERN] * 2 + [Relation.OTHER] * 2
    for number, relation in enumerate(relations):
        response_build(
            round_,
            relation=relation,
            values={q: 1 + (number + i) % 4 for i, q in enumerate(competences)},
            texts={question: f"Opmerking {number}"},
        )
    response_build(round_, relation=Relation.MANAGER, named=True, values={competences[0]: 3}, name="Mira")
    client = client_for(world.teacher)
    with django_assert_max_num_queries(24):  # about ten for the report, the rest for the session and the page
        assert client.get(report_url(round_)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(report_url(round_, "feedback:report-pdf")).status_code == 200


# --- "Make it a POP goal" ---------------------------------------------------------------------------------


def test_it_adds_a_goal_for_the_competence_to_the_current_plan(world: Any, closed_round: Any, client_for: Any) -> None:
    plan = DevelopmentPlan.objects.create(
        board=world.board_a, person=world.teacher, title="Mijn POP", starts_on=timezone.localdate()
    )
    (first, _second) = questions_of(closed_round)
    response = client_for(world.teacher).post(report_url(closed_round, "feedback:goal-create"), {"question": first.pk})
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:goal-edit", kwargs={"goal_id": goal.pk})
    assert goal.plan == plan
    assert list(goal.competences.all()) == [first.competence]
    assert first.competence.name in goal.title


def test_it_starts_a_plan_when_there_is_none_running(world: Any, closed_round: Any) -> None:
    DevelopmentPlan.objects.create(
        board=world.board_a,
        person=world.teacher,
        title="Oud POP",
        starts_on=datetime.date(2020, 8, 1),
        ends_on=datetime.date(2021, 7, 31),
    )
    (first, _second) = questions_of(closed_round)
    made = services.goal_from_report(
        actor=actor_for(world.teacher, None), round_=closed_round, competence=first.competence
    )
    assert made.plan_created and made.linked
    assert made.goal.plan.title != "Oud POP" and made.goal.plan.ends_on is not None


def test_it_links_no_competence_of_a_framework_version_the_pop_does_not_allow(
    world: Any, closed_round: Any, client_for: Any
) -> None:
    framework = closed_round.framework_version.framework
    framework_version_build(board=world.board_a, framework=framework)  # a newer published version
    assert version_of(world.board_a) != closed_round.framework_version
    (first, _second) = questions_of(closed_round)
    response = client_for(world.teacher).post(
        report_url(closed_round, "feedback:goal-create"), {"question": first.pk}, follow=True
    )
    goal = Goal.objects.get()
    assert list(goal.competences.all()) == []
    assert "not linked to the competence" in response.content.decode()


def test_it_makes_goals_only_of_the_rounds_own_closed_competences(world: Any, closed_round: Any) -> None:
    other = round_build(owner=world.teacher, board=world.board_a, state=RoundState.OPEN, competences=4)
    actor = actor_for(world.teacher, None)
    outside = questions_of(other)[3].competence
    with pytest.raises(ValidationError, match="not part of the round"):
        services.goal_from_report(actor=actor, round_=closed_round, competence=outside)
    with pytest.raises(ValidationError, match="once the round is closed"):
        services.goal_from_report(actor=actor, round_=other, competence=outside)
    assert not Goal.objects.exists()
