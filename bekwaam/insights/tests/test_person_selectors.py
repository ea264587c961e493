"""Mijn ontwikkeling's figures, section by section: the numbers against what was entered, codes matched across
framework versions, and only what the person may see of their own results (insights.selectors.person)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from bekwaam.conversations.models import AppraisalState
from bekwaam.dossier.models import Phase
from bekwaam.feedback.models import Relation, RoundState
from bekwaam.feedback.tests.factories import questions_of, response_build, round_build
from bekwaam.frameworks.models import Competence, Domain, Indicator
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.selectors.person import (
    MAX_APPRAISALS,
    Option,
    appraisals_for,
    feedback_for,
    goals_for,
    learning_for,
    measurements_for,
    person_options_for,
    visits_for,
)
from bekwaam.insights.tests.factories_person import (
    actor_of,
    appraisal_build,
    completion_build,
    framework_of,
    goals_build,
    measurement_build,
    round_with_answers_build,
    visit_build,
)
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.observations.models import ObservationKind, ObservationState

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def teacher(world: Any) -> Any:
    return actor_of(world.teacher, world.board_a)


def by_code(rows: list[Any]) -> dict[str, Any]:
    return {row.code: row for row in rows}


# --- measurements ----------------------------------------------------------------------------------------


def test_it_gives_the_mean_level_per_domain_and_competence_with_the_differences(world: Any, teacher: Any) -> None:
    first = measurement_build(
        person=world.teacher,
        board=world.board_a,
        day=days_ago(400),
        levels={"D1.C1.I1": 1, "D1.C1.I2": 2, "D1.C2.I1": 2, "D1.C2.I2": 3, "D2.C1.I1": 4},
    )
    second = measurement_build(person=world.teacher, board=world.board_a, day=days_ago(200), levels=3)
    third = measurement_build(person=world.teacher, board=world.board_a, day=days_ago(10), levels=2)
    options = person_options_for(actor=teacher)
    assert [o.id for o in options.measurements] == [str(third.pk), str(second.pk), str(first.pk)]  # newest first

    [group] = measurements_for(actor=teacher, options=options.measurements)
    assert [c.id for c in group.columns] == [str(first.pk), str(second.pk), str(third.pk)]  # oldest on the left
    assert [c.key for c in group.columns] == ["A", "B", "C"]
    domains = by_code(group.domains)
    # D1 of the first: the mean over its four rated indicators (1, 2, 2, 3), not a mean of competence means.
    assert domains["D1"].values == [2.0, 3.0, 2.0]
    assert [cell.difference for cell in domains["D1"].cells] == [None, 1.0, -1.0]
    assert by_code(domains["D1"].children)["D1.C1"].values == [1.5, 3.0, 2.0]
    assert by_code(domains["D1"].children)["D1.C2"].values == [2.5, 3.0, 2.0]
    assert domains["D2"].values == [4.0, 3.0, 2.0]
    # D2.C2 was not rated in the first measurement: no value, and no difference after it.
    d2c2 = by_code(domains["D2"].children)["D2.C2"]
    assert d2c2.values == [None, 3.0, 2.0]
    assert [cell.difference for cell in d2c2.cells] == [None, None, -1.0]
    assert group.scale_max == 4
    assert group.same_scale


def test_it_matches_domains_and_competences_by_code_across_framework_versions(world: Any, teacher: Any) -> None:
    v1 = framework_of(world.board_a)
    v2 = framework_version_build(board=world.board_a, slug="test-framework")  # version 2, the same codes
    Domain.objects.filter(version=v2, code="D1").update(name="Domein een, herzien")
    Competence.objects.filter(version=v2, code="D2.C2").delete()
    d2 = Domain.objects.get(version=v2, code="D2")
    added = Competence.objects.create(
        board=world.board_a, version=v2, domain=d2, code="D2.C3", name="Nieuw", position=3
    )
    for n in (1, 2):
        Indicator.objects.create(board=world.board_a, competence=added, code=f"D2.C3.I{n}", text="x", position=n)
    old = measurement_build(
        person=world.teacher,
        board=world.board_a,
        day=days_ago(300),
        version=v1,
        levels={"D1.C1.I1": 1, "D1.C1.I2": 1, "D1.C2.I1": 1, "D1.C2.I2": 1}
        | {"D2.C1.I1": 2, "D2.C1.I2": 2, "D2.C2.I1": 4, "D2.C2.I2": 4},
    )
    new = measurement_build(
        person=world.teacher,
        board=world.board_a,
        day=days_ago(5),
        version=v2,
        levels={"D1.C1.I1": 3, "D1.C1.I2": 3, "D1.C2.I1": 3, "D1.C2.I2": 3}
        | {"D2.C1.I1": 3, "D2.C1.I2": 3, "D2.C3.I1": 2, "D2.C3.I2": 2},
    )
    options = person_options_for(actor=teacher)
    [group] = measurements_for(actor=teacher, options=options.measurements)  # one framework: one comparison
    assert [c.id for c in group.columns] == [str(old.pk), str(new.pk)]
    d1, d2_row = group.domains
    assert (d1.code, d1.name) == ("D1", "Domein een, herzien")  # named as in the newest version
    assert d1.values == [1.0, 3.0]
    assert d1.cells[1].difference == 2.0
    assert d2_row.values == [3.0, 2.5]  # (2, 2, 4, 4) then (3, 3, 2, 2)
    assert d2_row.cells[1].difference == -0.5
    # The newest version's order first; a code only the older version had comes last, without a later value.
    assert [(c.code, c.values) for c in d2_row.children] == [
        ("D2.C1", [2.0, 3.0]),
        ("D2.C3", [None, 2.0]),
        ("D2.C2", [4.0, None]),
    ]


def test_measurements_of_different_frameworks_are_compared_apart(world: Any, teacher: Any) -> None:
    leader = framework_version_build(board=world.board_a, slug="school-leader-test", name="Leiderschap", domains=1)
    measurement_build(person=world.teacher, board=world.board_a, day=days_ago(30), levels=2)
    measurement_build(person=world.teacher, board=world.board_a, day=days_ago(20), version=leader, levels=4)
    groups = measurements_for(actor=teacher, options=person_options_for(actor=teacher).measurements)
    assert [(g.slug, len(g.columns)) for g in groups] == [("school-leader-test", 1), ("test-framework", 1)]


def test_it_offers_only_the_persons_own_finished_measurements(world: Any, teacher: Any) -> None:
    own = measurement_build(person=world.teacher, board=world.board_a, day=days_ago(3))
    measurement_build(person=world.colleague, board=world.board_a, day=days_ago(2))
    draft = measurement_build(person=world.teacher, board=world.board_a, day=days_ago(1))
    type(draft).objects.filter(pk=draft.pk).update(status="draft", finished_at=None)
    assert [o.id for o in person_options_for(actor=teacher).measurements] == [str(own.pk)]


# --- lesson visits ---------------------------------------------------------------------------------------


def test_it_gives_the_mean_score_per_domain_per_visit(world: Any, teacher: Any) -> None:
    first = visit_build(
        teacher=world.teacher, observer=world.manager, board=world.board_a, day=days_ago(90), scores=[1, 2, 3, 4, 4, 3]
    )
    second = visit_build(
        teacher=world.teacher,
        observer=world.quality_officer,
        board=world.board_a,
        day=days_ago(9),
        scores=[2, 2, 2, None, 4, 4],
        state=ObservationState.ACKNOWLEDGED,
    )
    options = person_options_for(actor=teacher).visits
    [group] = visits_for(actor=teacher, options=options)
    assert [c.id for c in group.columns] == [str(first.pk), str(second.pk)]
    d1, d2 = group.domains
    assert d1.values == [2.0, 2.0]
    assert d1.cells[1].difference == 0
    assert d2.values[0] == pytest.approx(11 / 3)
    assert d2.values[1] == 4.0  # "not seen" (no score) is not counted
    assert d2.cells[1].difference == pytest.approx(0.33)
    assert group.scale_max == 4


def test_a_visit_the_teacher_may_not_see_is_not_shown(world: Any, teacher: Any) -> None:
    shown = visit_build(teacher=world.teacher, observer=world.manager, board=world.board_a, day=days_ago(20))
    hidden = [
        # A second observer's calibration scoring of the same lesson: never the teacher's to see.
        visit_build(
            teacher=world.teacher,
            observer=world.quality_officer,
            board=world.board_a,
            day=days_ago(20),
            calibrates=shown,
            scores=[1, 1, 1, 1, 1, 1],
        ),
        # Scores not put forward yet, and a cancelled visit.
        visit_build(
            teacher=world.teacher,
            observer=world.manager,
            board=world.board_a,
            day=days_ago(5),
            state=ObservationState.IN_PROGRESS,
        ),
        visit_build(
            teacher=world.teacher,
            observer=world.manager,
            board=world.board_a,
            day=days_ago(4),
            state=ObservationState.CANCELLED,
        ),
        # Someone else's visit.
        visit_build(teacher=world.colleague, observer=world.manager, board=world.board_a, day=days_ago(3)),
    ]
    options = person_options_for(actor=teacher).visits
    assert [o.id for o in options] == [str(shown.pk)]
    # Asked for by id anyway (the form drops them first; the selector checks again): still not shown.
    forged = [Option(str(v.pk), "x", "x", days_ago(1), "test-kijkwijzer", "x") for v in hidden]
    [group] = visits_for(actor=teacher, options=[*options, *forged])
    assert [c.id for c in group.columns] == [str(shown.pk)]


def test_a_peer_visit_the_teacher_asked_for_counts_as_their_visit(world: Any, teacher: Any) -> None:
    peer = visit_build(
        teacher=world.teacher,
        observer=world.colleague,
        board=world.board_a,
        day=days_ago(2),
        kind=ObservationKind.PEER,
    )
    [option] = person_options_for(actor=teacher).visits
    assert option.id == str(peer.pk)
    assert "groep" in option.label


# --- appraisals ------------------------------------------------------------------------------------------


def test_it_gives_the_level_per_criterion_per_appraisal_by_year(world: Any, teacher: Any) -> None:
    old = appraisal_build(world, day=days_ago(700), values=(2, 3, 3))
    new = appraisal_build(world, day=days_ago(30), values=(3, 3, None), state=AppraisalState.PUT_FORWARD)
    appraisal_build(world, day=days_ago(2), values=(4, 4, 4), state=AppraisalState.DRAFT)  # not shown to them yet
    appraisal_build(world, day=days_ago(20), values=(1, 1, 1), employee=world.colleague)  # someone else's
    block = appraisals_for(actor=teacher)
    assert [c.id for c in block.columns] == [str(old.pk), str(new.pk)]
    assert block.columns[0].label.startswith(school_year_label(school_year_of(days_ago(700))))
    rows = {row.name: row for row in block.criteria}
    assert rows["Vakmanschap"].values == [2.0, 3.0]
    assert rows["Vakmanschap"].cells[1].difference == 1.0
    assert [cell.text for cell in rows["Vakmanschap"].cells] == ["Voldoende", "Goed"]
    assert rows["Ontwikkeling"].values == [3.0, None]
    assert block.overall == ["Goed", "Goed"]
    assert block.scale_max == 4
    assert not block.more


def test_it_shows_the_latest_appraisals_only(world: Any, teacher: Any) -> None:
    for n in range(MAX_APPRAISALS + 1):
        appraisal_build(world, day=days_ago(400 * (n + 1)))
    block = appraisals_for(actor=teacher)
    assert len(block.columns) == MAX_APPRAISALS
    assert block.more
    assert block.columns[-1].day == days_ago(400)


# --- 360° feedback ---------------------------------------------------------------------------------------


def test_it_sets_the_self_rating_against_others_mean_per_round(world: Any, teacher: Any) -> None:
    round_with_answers_build(
        owner=world.teacher,
        board=world.board_a,
        day=days_ago(60),
        self_values=(2, 2, 3, 3),
        colleagues=((3, 3, 3, 4), (3, 4, 3, 4), (4, 3, 3, 4)),
    )
    options = person_options_for(actor=teacher).rounds
    block = feedback_for(actor=teacher, options=options)
    [round_] = block.rounds
    lines = by_code(round_.lines)
    assert lines["D1.C1"].self_value == 2.0
    assert lines["D1.C1"].others == pytest.approx(10 / 3)
    assert lines["D1.C1"].others_count == 3
    assert lines["D1.C1"].gap == pytest.approx(1.33)
    assert lines["D2.C2"].others == 4.0
    assert round_.shows_others


def test_a_round_below_the_threshold_shows_no_others_figures(world: Any, teacher: Any, settings: Any) -> None:
    settings.FEEDBACK_MIN_GROUP_SIZE = 3
    round_with_answers_build(
        owner=world.teacher, board=world.board_a, day=days_ago(10), colleagues=((1, 1, 1, 1), (1, 1, 1, 1))
    )
    [round_] = feedback_for(actor=teacher, options=person_options_for(actor=teacher).rounds).rounds
    assert not round_.shows_others
    for line in round_.lines:
        assert line.others is None
        assert line.others_count == 0
        assert line.gap is None
        assert line.self_value is not None  # their own view is theirs to see
        assert line.withheld  # the report's reason: the colleagues are not shown


def test_others_mean_uses_only_the_groups_the_report_shows(world: Any, teacher: Any, settings: Any) -> None:
    """Three managers are shown; two colleagues are withheld (and too few to pool): their answers of 1 must not
    pull the mean down, or comparing with the managers' figure would reveal them."""
    settings.FEEDBACK_MIN_GROUP_SIZE = 3
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, open_questions=())
    questions = questions_of(round_)
    response_build(round_, relation=Relation.SELF, values=dict.fromkeys(questions, 2))
    for _n in range(3):
        response_build(round_, relation=Relation.MANAGER, values=dict.fromkeys(questions, 4))
    for _n in range(2):
        response_build(round_, relation=Relation.COLLEAGUE, values=dict.fromkeys(questions, 1))
    [block] = feedback_for(actor=teacher, options=person_options_for(actor=teacher).rounds).rounds
    for line in block.lines:
        assert line.others == 4.0
        assert line.others_count == 3
        assert line.withheld


def test_small_groups_pooled_by_the_report_count_as_others(world: Any, teacher: Any, settings: Any) -> None:
    settings.FEEDBACK_MIN_GROUP_SIZE = 3
    round_ = round_build(owner=world.teacher, board=world.board_a, state=RoundState.CLOSED, open_questions=())
    questions = questions_of(round_)
    for value in (2, 3):
        response_build(round_, relation=Relation.COLLEAGUE, values=dict.fromkeys(questions, value))
    response_build(round_, relation=Relation.PARENT, values=dict.fromkeys(questions, 4))
    [block] = feedback_for(actor=teacher, options=person_options_for(actor=teacher).rounds).rounds
    assert {line.others for line in block.lines} == {3.0}
    assert {line.others_count for line in block.lines} == {3}
    assert {line.self_value for line in block.lines} == {None}  # no self-rating given


def test_only_own_closed_rounds_are_offered_and_compared_across_rounds(world: Any, teacher: Any) -> None:
    first = round_with_answers_build(
        owner=world.teacher, board=world.board_a, day=days_ago(300), colleagues=((2, 2, 2, 2),) * 3
    )
    second = round_with_answers_build(
        owner=world.teacher, board=world.board_a, day=days_ago(30), colleagues=((3, 3, 3, 3),) * 3
    )
    round_with_answers_build(owner=world.teacher, board=world.board_a, day=days_ago(1), state=RoundState.OPEN)
    round_with_answers_build(owner=world.colleague, board=world.board_a, day=days_ago(5))
    options = person_options_for(actor=teacher).rounds
    assert [o.id for o in options] == [str(second.pk), str(first.pk)]
    block = feedback_for(actor=teacher, options=options)
    assert [c.id for c in block.columns] == [str(first.pk), str(second.pk)]
    assert by_code(block.competences)["D1.C1"].values == [2.0, 3.0]
    assert by_code(block.competences)["D1.C1"].cells[1].difference == 1.0


# --- POP goals and e-learning ----------------------------------------------------------------------------


def test_it_counts_goals_done_per_school_year_and_the_open_ones(world: Any, teacher: Any) -> None:
    this_year = school_year_of(TODAY)
    goals_build(person=world.teacher, board=world.board_a, day=datetime.date(this_year - 2, 10, 1), done=3)
    goals_build(person=world.teacher, board=world.board_a, day=datetime.date(this_year, 8, 20), done=1, open_=2)
    goals_build(person=world.colleague, board=world.board_a, day=datetime.date(this_year, 8, 20), done=5, open_=5)
    block = goals_for(actor=teacher)
    assert block.years == [
        (school_year_label(this_year - 2), 3),
        (school_year_label(this_year - 1), 0),  # a year without goals done is shown as zero
        (school_year_label(this_year), 1),
    ]
    assert block.done_count == 4
    assert block.open_count == 2
    assert {goal.phase for goal in block.open_goals} == {Phase.DO}
    assert all(goal.title.startswith("Open doel") for goal in block.open_goals)


def test_it_lists_the_persons_completed_modules_at_the_board(world: Any, teacher: Any) -> None:
    this_year = school_year_of(TODAY)
    completion_build(person=world.teacher, board=world.board_a, day=datetime.date(this_year - 1, 9, 5), score=90)
    completion_build(
        person=world.teacher, board=world.board_a, day=datetime.date(this_year, 8, 5), title="Feedback geven"
    )
    completion_build(person=world.colleague, board=world.board_a, day=days_ago(3))
    completion_build(person=world.teacher, board=world.board_b, day=days_ago(3), title="Elders")
    block = learning_for(actor=teacher)
    assert block.completions[0].title == "Feedback geven"
    assert "Elders" not in [row.title for row in block.completions]
    assert len(block.completions) == 2
    assert block.completions[1].score_percent == 90
    assert block.completions[0].version_number == 1
    assert block.years == [(school_year_label(this_year - 1), 1), (school_year_label(this_year), 1)]


def test_an_empty_history_gives_empty_sections(world: Any, teacher: Any) -> None:
    options = person_options_for(actor=teacher)
    assert options.measurements == options.visits == options.rounds == ()
    assert measurements_for(actor=teacher, options=()) == []
    assert visits_for(actor=teacher, options=()) == []
    assert feedback_for(actor=teacher, options=()).rounds == []
    assert appraisals_for(actor=teacher).columns == []
    assert goals_for(actor=teacher).years == []
    assert learning_for(actor=teacher).completions == []
