"""The choices in Mijn ontwikkeling's address (insights.forms.person): defaults, and every bad value left out with
a word instead of an error — another person's ids, garbage, too many, unknown parts."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.insights.forms.person import MAX_VALUES, selection_query, selection_read
from bekwaam.insights.selectors.person import (
    GOALS,
    MAX_MEASUREMENTS,
    MAX_ROUNDS,
    MEASUREMENTS,
    SECTIONS,
    VISITS,
    person_options_for,
)
from bekwaam.insights.tests.factories_person import (
    actor_of,
    measurement_build,
    round_with_answers_build,
    visit_build,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def query(**params: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in params.items():
        data.setlist(key, [str(v) for v in (values if isinstance(values, list | tuple) else [values])])
    return data


@pytest.fixture
def measurements(world: Any) -> list[Any]:
    """Seven finished measurements of the teacher, newest first."""
    return [
        measurement_build(person=world.teacher, board=world.board_a, day=TODAY - datetime.timedelta(days=30 * n))
        for n in range(7)
    ]


def read(world: Any, data: QueryDict) -> Any:
    options = person_options_for(actor=actor_of(world.teacher, world.board_a))
    with translation.override("en"):
        return selection_read(data, options=options)


def test_without_choices_it_shows_every_part_and_the_latest_three(world: Any, measurements: list[Any]) -> None:
    form, selection = read(world, QueryDict())
    assert selection.sections == SECTIONS
    assert selection.measurements == tuple(str(m.pk) for m in measurements[:3])
    assert selection.visits == selection.rounds == ()  # none to choose from
    assert selection.notices == []
    assert form.is_valid()
    assert form.cleaned_data["measurement"] == list(selection.measurements)


def test_the_default_compares_within_the_framework_of_the_latest_measurement(world: Any) -> None:
    other = framework_version_build(board=world.board_a, slug="ander-kader", name="Ander kader")
    mine = [
        measurement_build(person=world.teacher, board=world.board_a, day=TODAY - datetime.timedelta(days=n))
        for n in (1, 5)
    ]
    measurement_build(person=world.teacher, board=world.board_a, day=TODAY - datetime.timedelta(days=3), version=other)
    _form, selection = read(world, QueryDict())
    assert selection.measurements == tuple(str(m.pk) for m in mine)


def test_it_keeps_the_chosen_own_ids_and_parts(world: Any, measurements: list[Any]) -> None:
    chosen = [measurements[6], measurements[2]]
    _form, selection = read(world, query(section=[GOALS, MEASUREMENTS], measurement=[m.pk for m in chosen]))
    assert selection.sections == (MEASUREMENTS, GOALS)  # in the page's order
    assert selection.measurements == (str(measurements[2].pk), str(measurements[6].pk))
    assert selection.notices == []


def test_another_persons_measurement_is_left_out_with_a_word(world: Any, measurements: list[Any]) -> None:
    theirs = measurement_build(person=world.colleague, board=world.board_a, day=TODAY)
    outsider = measurement_build(
        person=world.outsider, board=world.board_b, day=TODAY, version=framework_version_build(board=world.board_b)
    )
    _form, selection = read(world, query(measurement=[theirs.pk, outsider.pk, measurements[1].pk]))
    assert selection.measurements == (str(measurements[1].pk),)
    assert selection.notices == [
        "2 chosen measurements are not among your own finished measurements and were left out."
    ]


def test_garbage_is_left_out_and_the_latest_are_shown(world: Any, measurements: list[Any]) -> None:
    _form, selection = read(world, query(measurement=["abc", "", "1 OR 1=1", str(uuid.uuid4())], visit="x"))
    assert selection.measurements == tuple(str(m.pk) for m in measurements[:3])
    assert selection.notices == [
        "4 chosen measurements are not among your own finished measurements and were left out.",
        "1 chosen lesson visit is not one of your own visits with scores and was left out.",
        "No measurement was chosen: the latest are shown.",
    ]


def test_too_many_keeps_the_latest(world: Any, measurements: list[Any]) -> None:
    _form, selection = read(world, query(measurement=[m.pk for m in reversed(measurements)]))
    assert len(measurements) > MAX_MEASUREMENTS
    assert selection.measurements == tuple(str(m.pk) for m in measurements[:MAX_MEASUREMENTS])
    assert selection.notices == [
        f"At most {MAX_MEASUREMENTS} measurements can be put side by side: the latest are shown."
    ]


def test_a_very_long_list_is_cut_and_counted(world: Any, measurements: list[Any]) -> None:
    values = [str(measurements[0].pk)] * 3 + [str(uuid.uuid4()) for _n in range(MAX_VALUES + 20)]
    _form, selection = read(world, query(measurement=values))
    assert selection.measurements == (str(measurements[0].pk),)  # the same id twice counts once
    assert selection.notices[0].startswith(f"{MAX_VALUES + 20} chosen measurements")


def test_unknown_or_no_parts(world: Any, measurements: list[Any]) -> None:
    _form, selection = read(world, query(section=["nonsense", VISITS]))
    assert selection.sections == (VISITS,)
    assert selection.notices == ["Some parts asked for in the address do not exist and were left out."]
    _form, selection = read(world, query(section=""))
    assert selection.sections == SECTIONS
    assert "No part was chosen, so every part is shown." in selection.notices


def test_too_many_rounds_and_visits_keep_the_latest(world: Any) -> None:
    rounds = [
        round_with_answers_build(owner=world.teacher, board=world.board_a, day=TODAY - datetime.timedelta(days=n))
        for n in range(MAX_ROUNDS + 1)
    ]
    visits = [
        visit_build(
            teacher=world.teacher, observer=world.manager, board=world.board_a, day=TODAY - datetime.timedelta(days=n)
        )
        for n in range(2)
    ]
    _form, selection = read(world, query(round=[r.pk for r in rounds], visit=[v.pk for v in visits]))
    assert selection.rounds == tuple(str(r.pk) for r in rounds[:MAX_ROUNDS])
    assert selection.visits == tuple(str(v.pk) for v in visits)
    assert len(selection.notices) == 1


def test_the_query_of_a_selection_reads_back_as_the_same_selection(world: Any, measurements: list[Any]) -> None:
    _form, selection = read(world, query(section=[MEASUREMENTS, GOALS], measurement=[measurements[4].pk]))
    again_form, again = read(world, QueryDict(selection_query(selection)))
    assert (again.sections, again.measurements, again.notices) == (selection.sections, selection.measurements, [])
    assert again_form.is_valid()
