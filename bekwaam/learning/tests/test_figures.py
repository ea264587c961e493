"""Completion figures: a board's author sees their own people by name; an aanbieder's author sees counts only, a
board with fewer than the minimum withheld and left out of every figure, version rows withheld so that no small
group follows from total minus the rest; a flat query count."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bekwaam.learning.models import Completion, CourseVersion, Enrolment
from bekwaam.learning.selectors.figures import course_figures_for, suppressed
from bekwaam.learning.tests.factories import course_build
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
MINIMUM = 5
_names = itertools.count()


def take(
    world: Any, board: Any, version: CourseVersion, number: int, *, completed: int = 0, score: int = 80
) -> list[Any]:
    """`number` new people of `board` enrolled in `version`; the first `completed` of them passed with `score`."""
    people = []
    for index in range(number):
        person = PersonFactory(given_name=f"Deelnemer{next(_names)}", family_name="Figuur")
        done = index < completed
        enrolment = Enrolment.objects.create(
            board=board,
            person=person,
            course=version.course,
            version=version,
            completed_at=timezone.now() if done else None,
        )
        if done:
            Completion.objects.create(
                board=board,
                person=person,
                enrolment=enrolment,
                course=version.course,
                version=version,
                title=version.title,
                version_number=version.number,
                offered_by=board.name,
                score_percent=score,
                completed_at=timezone.now(),
            )
        people.append(person)
    return people


def figures_url(version: CourseVersion) -> str:
    return reverse("learning:editor-figures", kwargs={"course_id": version.course_id})


# --- a board's own module -------------------------------------------------------------------------------


def test_a_board_author_sees_the_names_of_their_own_people(world: Any, client_for: Any) -> None:
    version = course_build(board=world.board_a)
    passed = take(world, world.board_a, version, 3, completed=2, score=90)
    response = client_for(world.administrator).get(figures_url(version))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.for_board
    total = figures.total
    assert (total.started, total.running, total.completed, total.average) == (3, 1, 2, 90.0)
    assert [row.started for row in figures.versions] == [3]
    named = {completion.person_id for completion in figures.names.object_list}
    assert named == {passed[0].pk, passed[1].pk}
    assert passed[0].full_name in response.text
    assert passed[2].full_name not in response.text  # running: no completion to show
    assert 'data-withheld="yes"' not in response.text  # no minimum for the board's own people


def test_a_board_author_sees_a_single_person_too(world: Any) -> None:
    version = course_build(board=world.board_a)
    take(world, world.board_a, version, 1, completed=1, score=70)
    figures = course_figures_for(actor=actor_for(world.administrator, None), course=version.course)
    assert (figures.total.started, figures.total.average) == (1, 70.0)


def test_the_figures_count_per_version(world: Any) -> None:
    first = course_build(board=world.board_a)
    second = course_build(course=first.course, number=2, published=False)
    CourseVersion.objects.filter(pk=first.pk).update(status="retired")
    CourseVersion.objects.filter(pk=second.pk).update(status="published")
    take(world, world.board_a, first, 4, completed=4, score=60)
    take(world, world.board_a, second, 2, completed=1, score=100)
    figures = course_figures_for(actor=actor_for(world.administrator, None), course=first.course)
    assert [(r.label, r.started, r.running, r.completed, r.average) for r in figures.versions] == [
        ("1", 4, 0, 4, 60.0),
        ("2", 2, 1, 1, 100.0),
    ]
    assert (figures.total.started, figures.total.completed, figures.total.average) == (6, 5, 68.0)


# --- an aanbieder's module ------------------------------------------------------------------------------


def test_an_aanbieder_sees_counts_per_board_and_a_small_board_withheld(world: Any, client_for: Any) -> None:
    version = course_build(provider=world.provider, offered_to=(world.board_a, world.board_b))
    a_people = take(world, world.board_a, version, 6, completed=5, score=80)
    b_people = take(world, world.board_b, version, 2, completed=2, score=20)
    response = client_for(world.assessor).get(figures_url(version))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert not figures.for_board
    assert figures.names is None
    rows = {row.label: row for row in figures.boards}
    assert (rows[world.board_a.name].withheld, rows[world.board_a.name].started) == (False, 6)
    assert rows[world.board_b.name].withheld
    assert figures.withheld_boards == 1
    # Board B is left out of every figure: the total is board A's alone (nothing to subtract).
    assert (figures.total.started, figures.total.completed, figures.total.average) == (6, 5, 80.0)
    text = response.text
    for person in [*a_people, *b_people]:
        assert person.full_name not in text
    assert f'data-board="{world.board_b.pk}" data-withheld="yes"' in text
    assert 'data-started="2"' not in text


def test_an_aanbieder_sees_nothing_of_a_single_board_below_the_minimum(world: Any) -> None:
    version = course_build(provider=world.provider, offered_to=(world.board_a,))
    take(world, world.board_a, version, 4, completed=4, score=95)
    figures = course_figures_for(actor=actor_for(world.assessor, None), course=version.course)
    assert figures.total.started == 0
    assert figures.total.average is None
    assert [row.withheld for row in figures.boards] == [True]


def test_a_small_version_row_is_withheld_with_its_complement(world: Any) -> None:
    first = course_build(provider=world.provider, offered_to=(world.board_a,))
    second = course_build(course=first.course, number=2, published=False)
    take(world, world.board_a, first, 6, completed=6, score=50)
    take(world, world.board_a, second, 1, completed=1, score=100)
    figures = course_figures_for(actor=actor_for(world.assessor, None), course=first.course)
    # Version 2 (one person) is withheld, and version 1 with it: total minus version 1 would give version 2.
    assert [row.withheld for row in figures.versions] == [True, True]
    assert [row.average for row in figures.versions] == [None, None]
    assert (figures.total.started, figures.total.completed) == (7, 7)
    assert figures.total.average == round((6 * 50 + 100) / 7, 1)


def test_an_average_of_fewer_completions_than_the_minimum_is_withheld(world: Any) -> None:
    version = course_build(provider=world.provider, offered_to=(world.board_a,))
    take(world, world.board_a, version, 8, completed=2, score=40)
    figures = course_figures_for(actor=actor_for(world.assessor, None), course=version.course)
    assert (figures.total.started, figures.total.running, figures.total.completed) == (8, 6, 2)
    assert figures.total.average is None
    assert figures.versions[0].average is None


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_withheld_rows_never_leave_a_small_group_to_subtract(sizes: list[int]) -> None:
    withheld = suppressed(sizes, MINIMUM)
    hidden = [size for size, gone in zip(sizes, withheld, strict=True) if gone]
    shown = [size for size, gone in zip(sizes, withheld, strict=True) if not gone]
    # What total minus the shown rows gives is either nothing or a group of at least the minimum.
    assert sum(hidden) == 0 or sum(hidden) >= MINIMUM or not [s for s in shown if s]
    assert all(size == 0 or size >= MINIMUM for size in shown)


# --- bounded ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrator", "assessor"])
def test_the_figures_page_has_a_flat_query_count(world: Any, client_for: Any, persona: str) -> None:
    if persona == "assessor":
        version = course_build(provider=world.provider, offered_to=(world.board_a, world.board_b))
    else:
        version = course_build(board=world.board_a)
    client = client_for(world.persona(persona))
    take(world, world.board_a, version, 1, completed=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(figures_url(version)).status_code == 200
        return len(captured)

    few = queries()
    take(world, world.board_a, version, 25, completed=20)
    if persona == "assessor":
        take(world, world.board_b, version, 7, completed=3)
    assert queries() == few


def test_the_aanbieders_list_counts_only_the_boards_that_reach_the_minimum(world: Any, client_for: Any) -> None:
    version = course_build(provider=world.provider, offered_to=(world.board_a, world.board_b))
    take(world, world.board_a, version, 6, completed=3)
    take(world, world.board_b, version, 2, completed=2)
    response = client_for(world.assessor).get(reverse("learning:editor"))
    row = response.context["page"].object_list[0]
    # The same figures as the figures page: board B (two people) is left out of both numbers.
    assert (row.enrolment_count, row.completion_count) == (6, 3)
    board = course_build(board=world.board_a, title="Eigen module")
    take(world, world.board_a, board, 2, completed=1)
    own = client_for(world.administrator).get(reverse("learning:editor")).context["page"].object_list[0]
    assert (own.enrolment_count, own.completion_count) == (2, 1)  # a board's own people: no minimum
