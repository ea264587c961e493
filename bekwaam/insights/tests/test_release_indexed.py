"""The refresh's indexed release makes exactly disclosure.release_all's decisions, and is fast at scale.

release.py does not call disclosure.release_all (it rescans every atom for every group: minutes for a large
board's history); it keeps an index of atoms instead. These tests run both on the same random histories —
several dimensions, people in two schools and teams, releases in batches — and compare every version.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Hashable

from hypothesis import given, settings
from hypothesis import strategies as st

from bekwaam.insights.disclosure import Unit, atoms_safe, release_all
from bekwaam.insights.services.release import _release_indexed, release_until_stable

DIMENSIONS = ("a", "b", "c")

batches = st.lists(
    st.lists(
        st.tuples(
            st.integers(0, 15),  # person
            st.integers(0, 2),  # school
            st.sampled_from([None, 10, 11, 12]),  # team
            st.sets(st.sampled_from(DIMENSIONS), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=9,
    ),
    min_size=1,
    max_size=6,
)


def versions_of(units: list[Unit]) -> list[dict[str, int | None]]:
    return [dict(unit.versions) for unit in units]


@settings(max_examples=200, deadline=None)
@given(batches=batches, k=st.integers(2, 5))
def test_it_releases_exactly_what_release_all_releases(
    batches: list[list[tuple[int, int, int | None, set[str]]]], k: int
) -> None:
    theirs: list[Unit] = []
    ours: list[Unit] = []
    current_theirs: dict[tuple[str, Hashable], int] = {}
    current_ours: dict[tuple[str, Hashable], int] = {}
    where: dict[int, tuple[int, int | None]] = {}
    for batch in batches:
        for person, school, team, dimensions in batch:
            school, team = where.setdefault(person, (school, team))
            unit = Unit(
                key=len(theirs),
                person=person,
                dimensions=frozenset(dimensions),
                groups={"board": 1, "school": school, "team": team},
            )
            theirs.append(unit)
            ours.append(copy.deepcopy(unit))
        changes_theirs = release_all(theirs, k=k, current=current_theirs)
        changes_ours = _release_indexed(ours, k=k, current=current_ours)
        assert changes_ours == changes_theirs
        assert current_ours == current_theirs
        assert versions_of(ours) == versions_of(theirs)
        assert atoms_safe(ours, k=k)


@settings(max_examples=60, deadline=None)
@given(batches=batches, k=st.integers(2, 5))
def test_releasing_until_stable_keeps_every_atom_safe_and_then_changes_nothing(
    batches: list[list[tuple[int, int, int | None, set[str]]]], k: int
) -> None:
    units: list[Unit] = []
    current: dict[tuple[str, Hashable], int] = {}
    for batch in batches:
        for person, school, team, dimensions in batch:
            units.append(
                Unit(
                    key=len(units),
                    person=person,
                    dimensions=frozenset(dimensions),
                    groups={"board": 1, "school": school, "team": team},
                )
            )
        release_until_stable(units, k=k, current=current)
        assert atoms_safe(units, k=k)
        before = versions_of(units)
        assert release_all(units, k=k, current=dict(current)) == {}  # a fixed point of the rule itself
        assert versions_of(units) == before


def test_it_releases_a_school_year_of_a_large_board_in_about_a_second() -> None:
    """4,500 people in 90 schools and 300 teams, six milestones each: release_all took 11 s here."""
    rng = random.Random(7)
    units: list[Unit] = []
    for person in range(4500):
        school = rng.randrange(90)
        team = school * 4 + rng.randrange(4) if rng.random() < 0.9 else None
        for dimension in ("development:planned", "development:held", "development:signed", "performance:planned"):
            units.append(
                Unit(
                    key=len(units),
                    person=person,
                    dimensions=frozenset({dimension}),
                    groups={"board": 1, "school": school, "team": team},
                )
            )
    started = time.perf_counter()
    current: dict[tuple[str, Hashable], int] = {}
    release_until_stable(units, k=5, current=current)
    elapsed = time.perf_counter() - started
    assert ("board", 1) in current and sum(1 for kind, _g in current if kind == "school") == 90
    assert atoms_safe(units, k=5)
    assert elapsed < 5, f"releasing took {elapsed:.1f} s"
