"""The four-eyes decision rule, through the services: the interview recorded as held, judgements recorded and
revised, agreement (same learning level, same themes) and disagreement, the third assessor and the consensus
round, the coach kept out, a judgement or a decision twice, the wrong state, points per level, the
certificate and the register activity, the candidate's e-mail, and who sees which judgement at each stage.

Messages are compared with gettext under the default language, so the tests do not depend on it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bekwaam.credentials.models import Certificate
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.register.models import Activity, RegistrationPeriod
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.trajectories.models import (
    Decision,
    DecisionOutcome,
    Judgement,
    TrajectoryEvent,
    TrajectoryState,
)
from bekwaam.trajectories.selectors.decision import (
    compare,
    criteria_of,
    decision_panel_for,
    judgements_visible_to,
)
from bekwaam.trajectories.services import decision as services
from bekwaam.trajectories.services.decision import criterion_field
from bekwaam.trajectories.tests.factories import (
    assessor_build,
    judgement_build,
    template_build,
    themes,
    trajectory_build,
)

pytestmark = pytest.mark.django_db


class Setting:
    """A trajectory in deciding: the manager is the candidate, world.coach coaches; three more assessors."""

    def __init__(self, world: Any, state: str = TrajectoryState.DECIDING) -> None:
        self.world = world
        self.themes = themes(3)
        self.trajectory = trajectory_build(
            candidate=world.manager,
            template=template_build(provider=world.provider),
            state=state,
            coach=world.coach,
            theme_list=self.themes,
        )
        self.first = world.assessor
        self.second = assessor_build(provider=world.provider, email="tweede@academie.nl")
        self.third = assessor_build(provider=world.provider, email="derde@academie.nl")
        self.fourth = assessor_build(provider=world.provider, email="vierde@academie.nl")

    def record(self, person: Any, *, level: int = 5, theme_list: list[Any] | None = None, advice: str = "") -> Any:
        return services.judgement_record(
            actor=actor_for(person, None),
            trajectory=self.fresh(),
            themes=self.themes[:2] if theme_list is None else theme_list,
            learning_level=level,
            criteria=self.criteria(person),
            advice=advice,
        )

    def revise(self, person: Any, *, level: int = 5, theme_list: list[Any] | None = None, advice: str = "") -> Any:
        return services.judgement_revise(
            actor=actor_for(person, None),
            trajectory=self.fresh(),
            themes=self.themes[:2] if theme_list is None else theme_list,
            learning_level=level,
            criteria=self.criteria(person),
            advice=advice,
        )

    def criteria(self, person: Any) -> dict[str, str]:
        return {code: f"{person.email}: onderbouwing van {code}" for code, _text in criteria_of(self.trajectory)}

    def fresh(self) -> Any:
        return (
            type(self.trajectory)
            .objects.select_related("template", "provider", "candidate", "coach")
            .get(pk=self.trajectory.pk)
        )


@pytest.fixture
def setting(world: Any) -> Setting:
    return Setting(world)


def message_of(error: Exception) -> str:
    assert isinstance(error, ValidationError | PermissionDenied)
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# --- agreement ----------------------------------------------------------------------------------------


def test_it_decides_when_two_assessors_agree(setting: Setting) -> None:
    first = setting.record(setting.first, level=5)
    assert first.decision is None and not first.disagreement
    assert setting.fresh().state == TrajectoryState.DECIDING
    second = setting.record(setting.second, level=5)
    decision = second.decision
    assert decision is not None
    assert (decision.first_assessor, decision.second_assessor) == (setting.first, setting.second)
    assert decision.outcome == DecisionOutcome.CERTIFIED
    assert decision.learning_level == 5
    assert set(decision.themes.all()) == set(setting.themes[:2])
    assert decision.points == 30  # two themes at 10, plus 10 at level 5
    trajectory = setting.fresh()
    assert trajectory.state == TrajectoryState.CERTIFIED
    assert trajectory.closed_at is not None
    assert not trajectory.disagreement
    certificate = Certificate.objects.get(trajectory=trajectory)
    assert (certificate.points, certificate.learning_level) == (30, 5)
    actions = list(TrajectoryEvent.objects.filter(trajectory=trajectory).values_list("action", flat=True))
    assert actions == ["record_judgement", "record_judgement", "certify", "certificate_issued"]


def test_it_enters_the_certificate_in_the_candidates_register(setting: Setting) -> None:
    today = timezone.localdate()
    RegistrationPeriod.objects.create(
        board=setting.world.board_a,
        person=setting.world.manager,
        start_date=today - datetime.timedelta(days=400),
        end_date=today + datetime.timedelta(days=1000),
    )
    setting.record(setting.first, level=6)
    setting.record(setting.second, level=6)
    activity = Activity.objects.get(certificate__trajectory=setting.trajectory)
    assert activity.points == 40  # two themes at 10, plus 20 at level 6
    assert activity.learning_level == 6
    assert set(activity.themes.all()) == set(setting.themes[:2])


@pytest.mark.parametrize(
    ("level", "points", "state"),
    [
        (1, 0, TrajectoryState.ADVISED),
        (2, 0, TrajectoryState.ADVISED),
        (3, 0, TrajectoryState.ADVISED),
        (4, 20, TrajectoryState.CERTIFIED),
        (5, 30, TrajectoryState.CERTIFIED),
        (6, 40, TrajectoryState.CERTIFIED),
    ],
)
def test_it_gives_points_per_level(setting: Setting, level: int, points: int, state: str) -> None:
    advice = "Werk aan reflectie op eigen handelen." if points == 0 else ""
    setting.record(setting.first, level=level, advice=advice)
    decision = setting.record(setting.second, level=level, advice=advice).decision
    assert decision.points == points
    assert setting.fresh().state == state
    if points:
        assert decision.outcome == DecisionOutcome.CERTIFIED
        assert Certificate.objects.filter(trajectory=setting.trajectory).exists()
    else:
        assert decision.outcome == DecisionOutcome.DEVELOPMENT_ADVICE
        assert decision.advice == advice  # the same text twice is given once
        assert not Certificate.objects.filter(trajectory=setting.trajectory).exists()


def test_all_themes_at_the_top_level_make_points_per_theme_plus_the_bonus(setting: Setting) -> None:
    setting.record(setting.first, level=6, theme_list=setting.themes)
    decision = setting.record(setting.second, level=6, theme_list=setting.themes).decision
    assert decision.points == 50


def test_no_theme_shown_gives_advice_even_at_a_high_level(setting: Setting) -> None:
    setting.record(setting.first, level=6, theme_list=[], advice="Kies één thema en werk het uit.")
    decision = setting.record(setting.second, level=6, theme_list=[], advice="Laat de ontwikkeling zien.").decision
    assert decision.outcome == DecisionOutcome.DEVELOPMENT_ADVICE
    assert decision.points == 0
    assert decision.advice == "Kies één thema en werk het uit.\n\nLaat de ontwikkeling zien."
    assert setting.fresh().state == TrajectoryState.ADVISED


def test_the_rule_compares_the_level_and_the_set_of_themes() -> None:
    assert compare(5, [1, 2], 5, [2, 1]).agree
    assert compare(5, [1, 2, 2], 5, [1, 2]).agree
    differ_level = compare(4, [1, 2], 5, [1, 2])
    assert not differ_level.agree and not differ_level.same_level and differ_level.same_themes
    differ_themes = compare(5, [1], 5, [1, 2])
    assert not differ_themes.agree and differ_themes.same_level and not differ_themes.same_themes
    assert compare(3, [], 3, []).agree


# --- disagreement -------------------------------------------------------------------------------------


@pytest.mark.parametrize("differ_on", ["level", "themes", "both"])
def test_it_marks_a_disagreement(setting: Setting, differ_on: str) -> None:
    setting.record(setting.first, level=5)
    other_level = 4 if differ_on in ("level", "both") else 5
    other_themes = setting.themes[:1] if differ_on in ("themes", "both") else setting.themes[:2]
    outcome = setting.record(setting.second, level=other_level, theme_list=other_themes)
    assert outcome.decision is None
    assert outcome.disagreement
    trajectory = setting.fresh()
    assert trajectory.state == TrajectoryState.DECIDING
    assert trajectory.disagreement
    assert not Decision.objects.filter(trajectory=trajectory).exists()
    assert TrajectoryEvent.objects.filter(trajectory=trajectory, action="disagreement").count() == 1


def test_a_third_assessor_agreeing_with_the_first_decides_with_the_first(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4)
    decision = setting.record(setting.third, level=5).decision
    assert (decision.first_assessor, decision.second_assessor) == (setting.first, setting.third)
    assert decision.learning_level == 5
    assert setting.fresh().state == TrajectoryState.CERTIFIED
    assert not setting.fresh().disagreement


def test_a_third_assessor_agreeing_with_the_second_decides_with_the_second(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4)
    decision = setting.record(setting.third, level=4).decision
    assert (decision.first_assessor, decision.second_assessor) == (setting.second, setting.third)
    assert decision.points == 20


def test_a_third_assessor_agreeing_with_neither_leaves_the_disagreement(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4)
    outcome = setting.record(setting.third, level=6)
    assert outcome.decision is None and outcome.disagreement
    assert setting.fresh().state == TrajectoryState.DECIDING
    assert TrajectoryEvent.objects.filter(trajectory=setting.trajectory, action="disagreement").count() == 1
    # A fourth assessor, or a revision, still decides.
    decision = setting.record(setting.fourth, level=6).decision
    assert (decision.first_assessor, decision.second_assessor) == (setting.third, setting.fourth)


def test_a_consensus_round_decides_when_a_revision_agrees(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4, theme_list=setting.themes[:1])
    outcome = setting.revise(setting.first, level=4, theme_list=setting.themes[:1])
    decision = outcome.decision
    assert decision is not None
    assert (decision.first_assessor, decision.second_assessor) == (setting.first, setting.second)
    assert decision.points == 10
    revised = Judgement.objects.get(trajectory=setting.trajectory, assessor=setting.first)
    assert revised.revised_at is not None
    assert revised.learning_level == 4
    event = TrajectoryEvent.objects.get(trajectory=setting.trajectory, action="revise_judgement")
    assert "5" in event.note and setting.themes[1].name in event.note  # the previous level and themes


def test_a_revision_that_still_differs_keeps_the_disagreement(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4)
    outcome = setting.revise(setting.second, level=3, advice="Meer reflectie.")
    assert outcome.decision is None and outcome.disagreement
    assert setting.fresh().state == TrajectoryState.DECIDING


def test_it_refuses_a_revision_without_a_judgement(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    with pytest.raises(ValidationError):
        setting.revise(setting.second, level=5)


def test_the_decision_combines_both_assessors_advice(setting: Setting) -> None:
    setting.record(setting.first, level=5, advice="Deel uw aanpak met collega's.")
    decision = setting.record(setting.second, level=5, advice="Onderzoek het effect op leerlingen.").decision
    assert decision.advice == "Deel uw aanpak met collega's.\n\nOnderzoek het effect op leerlingen."


# --- refusals -----------------------------------------------------------------------------------------


def test_it_rejects_assessor_who_coached_candidate(setting: Setting) -> None:
    coaching_assessor = setting.third
    setting.trajectory.coach = coaching_assessor
    setting.trajectory.save(update_fields=["coach"])
    with pytest.raises(PermissionDenied) as refused:
        setting.record(coaching_assessor)
    assert message_of(refused.value) == services.coach_refused_message()
    assert not Judgement.objects.filter(trajectory=setting.trajectory).exists()


def test_it_rejects_the_coach(setting: Setting) -> None:
    with pytest.raises(PermissionDenied) as refused:
        setting.record(setting.world.coach)
    assert message_of(refused.value) == services.coach_refused_message()


@pytest.mark.parametrize("persona", ["manager", "teacher", "administrator", "outsider"])
def test_it_rejects_everyone_who_is_not_an_assessor(setting: Setting, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        setting.record(setting.world.persona(persona))
    assert not Judgement.objects.exists()


def test_it_rejects_an_assessor_of_another_aanbieder(setting: Setting) -> None:
    other = assessor_build(provider=ProviderFactory(), email="assessor@elders.nl")
    with pytest.raises(PermissionDenied):
        setting.record(other)


def test_a_judgement_of_someone_who_became_the_coach_never_decides(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.trajectory.coach = setting.first
    setting.trajectory.save(update_fields=["coach"])
    outcome = setting.record(setting.second, level=5)
    assert outcome.decision is None
    assert setting.fresh().state == TrajectoryState.DECIDING
    decision = setting.record(setting.third, level=5).decision
    assert {decision.first_assessor, decision.second_assessor} == {setting.second, setting.third}


def test_it_refuses_a_judgement_recorded_twice(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    with pytest.raises(ValidationError) as refused:
        setting.record(setting.first, level=4)
    assert message_of(refused.value) == services.already_recorded_message()
    assert Judgement.objects.get(trajectory=setting.trajectory).learning_level == 5


@pytest.mark.parametrize(
    "state",
    [TrajectoryState.COLLECTING, TrajectoryState.UNDER_REVIEW, TrajectoryState.INTERVIEW_PLANNED],
)
def test_it_refuses_a_judgement_before_the_interview_was_held(world: Any, state: str) -> None:
    setting = Setting(world, state=state)
    with pytest.raises(TransitionRefusedError):
        setting.record(setting.first)
    assert not Judgement.objects.exists()


def test_it_refuses_a_judgement_once_decided(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=5)
    with pytest.raises(ValidationError) as refused:
        setting.record(setting.third, level=5)
    assert message_of(refused.value) == services.already_decided_message()
    with pytest.raises(ValidationError):
        setting.revise(setting.first, level=4)
    assert Decision.objects.count() == 1
    assert Judgement.objects.count() == 2


def test_a_second_decision_is_refused_by_the_database(setting: Setting) -> None:
    """The state says deciding but a decision exists (a race the lock did not see): refused, nothing stored."""
    judgement_build(trajectory=setting.trajectory, assessor=setting.third, level=5, theme_list=setting.themes[:2])
    judgement_build(trajectory=setting.trajectory, assessor=setting.fourth, level=4, theme_list=setting.themes[:2])
    Decision.objects.create(
        trajectory=setting.trajectory,
        outcome=DecisionOutcome.CERTIFIED,
        learning_level=5,
        points=30,
        first_assessor=setting.third,
        second_assessor=setting.fourth,
    )
    with pytest.raises(ValidationError) as refused:
        setting.record(setting.first, level=5)
    assert message_of(refused.value) == services.already_decided_message()
    assert not Judgement.objects.filter(assessor=setting.first).exists()


def test_it_requires_advice_when_the_outcome_is_no_points(setting: Setting) -> None:
    with pytest.raises(ValidationError) as refused:
        setting.record(setting.first, level=3)
    assert "advice" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        setting.record(setting.first, level=5, theme_list=[])
    assert "advice" in refused.value.message_dict
    assert not Judgement.objects.exists()


def test_it_requires_every_criterion_and_only_the_trajectorys_themes(setting: Setting) -> None:
    codes = [code for code, _text in criteria_of(setting.trajectory)]
    with pytest.raises(ValidationError) as refused:
        services.judgement_record(
            actor=actor_for(setting.first, None),
            trajectory=setting.fresh(),
            themes=themes(5)[3:],
            learning_level=7,
            criteria={codes[0]: "Alleen deze"},
            advice="",
        )
    errors = refused.value.message_dict
    assert "themes" in errors and "learning_level" in errors
    assert criterion_field(codes[0]) not in errors
    assert all(criterion_field(code) in errors for code in codes[1:])
    assert not Judgement.objects.exists()


# --- the interview ------------------------------------------------------------------------------------


def planned(world: Any, *, days: int) -> Setting:
    setting = Setting(world, state=TrajectoryState.INTERVIEW_PLANNED)
    setting.trajectory.interview_at = timezone.now() + datetime.timedelta(days=days)
    setting.trajectory.save(update_fields=["interview_at"])
    return setting


def test_an_assessor_records_the_interview_as_held(world: Any) -> None:
    setting = planned(world, days=-1)
    services.trajectory_start_deciding(actor=actor_for(world.assessor, None), trajectory=setting.fresh())
    trajectory = setting.fresh()
    assert trajectory.state == TrajectoryState.DECIDING
    event = TrajectoryEvent.objects.get(trajectory=trajectory, action="start_deciding")
    assert (event.from_state, event.to_state, event.note) == ("interview_planned", "deciding", "")


def test_the_interview_is_held_before_its_date_only_when_confirmed(world: Any) -> None:
    setting = planned(world, days=3)
    actor = actor_for(world.assessor, None)
    with pytest.raises(ValidationError) as refused:
        services.trajectory_start_deciding(actor=actor, trajectory=setting.fresh())
    assert refused.value.code == "early"
    assert setting.fresh().state == TrajectoryState.INTERVIEW_PLANNED
    services.trajectory_start_deciding(actor=actor, trajectory=setting.fresh(), held_early=True)
    assert setting.fresh().state == TrajectoryState.DECIDING
    assert TrajectoryEvent.objects.get(trajectory=setting.trajectory, action="start_deciding").note


def test_only_an_assessor_records_the_interview_as_held(world: Any) -> None:
    setting = planned(world, days=-1)
    for persona in ("coach", "manager"):
        with pytest.raises(PermissionDenied):
            services.trajectory_start_deciding(
                actor=actor_for(world.persona(persona), None), trajectory=setting.fresh()
            )
    assert setting.fresh().state == TrajectoryState.INTERVIEW_PLANNED


def test_the_interview_is_held_once(setting: Setting) -> None:
    with pytest.raises(TransitionRefusedError):
        services.trajectory_start_deciding(actor=actor_for(setting.first, None), trajectory=setting.fresh())


# --- the candidate's e-mail ---------------------------------------------------------------------------


def test_the_candidate_gets_an_email_when_decided(setting: Setting, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        setting.record(setting.first, level=5)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        setting.record(setting.second, level=5)
    assert [message.to for message in mail.outbox] == [[setting.world.manager.email]]
    assert setting.trajectory.template.name in mail.outbox[0].subject
    assert "Onderbouwing" not in mail.outbox[0].body  # never the substantiation


def test_the_candidate_gets_an_email_about_advice(setting: Setting, django_capture_on_commit_callbacks: Any) -> None:
    setting.record(setting.first, level=2, advice="Meer reflectie.")
    with django_capture_on_commit_callbacks(execute=True):
        setting.record(setting.second, level=2, advice="Meer bewijs.")
    assert len(mail.outbox) == 1
    assert "Meer reflectie" not in mail.outbox[0].body  # the advice is read in Bekwaam


# --- who sees which judgement -------------------------------------------------------------------------


def visible(setting: Setting, person: Any) -> set[str]:
    trajectory = setting.fresh()
    return {j.assessor.email for j in judgements_visible_to(actor_for(person, None), trajectory)}


def test_judgements_are_blind_until_the_actor_and_a_second_have_recorded(setting: Setting) -> None:
    world = setting.world
    everyone = [setting.first, setting.second, setting.third, world.coach, world.manager, world.teacher]
    a, b, c = setting.first.email, setting.second.email, setting.third.email

    def seen() -> list[set[str]]:
        return [visible(setting, person) for person in everyone]

    assert seen() == [set()] * 6
    setting.record(setting.first, level=5)
    assert seen() == [{a}, set(), set(), set(), set(), set()]
    setting.record(setting.second, level=4)  # they differ
    assert seen() == [{a, b}, {a, b}, set(), set(), set(), set()]
    setting.record(setting.third, level=6)  # agrees with neither: the third now sees all three
    assert seen() == [{a, b, c}, {a, b, c}, {a, b, c}, set(), set(), set()]
    setting.revise(setting.second, level=6)  # consensus with the third: decided
    assert setting.fresh().state == TrajectoryState.CERTIFIED
    # Decided: every assessor sees all; the candidate and the coach see the two deciding judgements.
    assert seen() == [{a, b, c}, {a, b, c}, {a, b, c}, {b, c}, {b, c}, set()]
    assert visible(setting, setting.fourth) == {a, b, c}


def test_an_assessor_who_has_not_recorded_sees_nothing_while_deciding(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4)
    panel = decision_panel_for(actor=actor_for(setting.fourth, None), trajectory=setting.fresh())
    assert panel.visible == [] and panel.blind and panel.recorded == 2
    assert panel.may_judge and not panel.may_revise
    assert panel.disagreement
    mine = decision_panel_for(actor=actor_for(setting.first, None), trajectory=setting.fresh())
    assert len(mine.visible) == 2 and not mine.blind
    assert mine.may_revise and not mine.may_judge
    assert [pair.comparison.agree for pair in mine.pairs] == [False]
    assert [row.answers[0] for row in mine.rows] == list(setting.criteria(setting.first).values())


def test_the_panel_tells_the_coach_they_are_out(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    panel = decision_panel_for(actor=actor_for(setting.world.coach, None), trajectory=setting.fresh())
    assert panel.is_coach and not panel.may_judge and panel.visible == []


def test_revision_notes_are_for_assessors_who_see_every_judgement(setting: Setting) -> None:
    setting.record(setting.first, level=5)
    setting.record(setting.second, level=4)
    setting.revise(setting.first, level=6)
    shows = {
        person.email: decision_panel_for(
            actor=actor_for(person, None), trajectory=setting.fresh()
        ).shows_judgement_notes
        for person in (setting.first, setting.second, setting.fourth, setting.world.coach, setting.world.manager)
    }
    assert shows == {
        setting.first.email: True,
        setting.second.email: True,
        setting.fourth.email: False,
        setting.world.coach.email: False,
        setting.world.manager.email: False,
    }
