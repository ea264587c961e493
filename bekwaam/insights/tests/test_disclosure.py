"""The release rule (insights.disclosure): an attacker with every released sum cannot isolate one person.

The attacker sees, for every group and every version it was released in, the sum over its released units
(any figure a page shows is such a sum, per dimension). They can add and subtract those sums: everything
they can compute is the row space of the sets' indicator vectors. A person's value leaks when that space
holds a non-zero vector that lives on that person's units only. The tests compute exactly that, with
fractions, over random histories of people joining schools and teams in batches.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bekwaam.insights.disclosure import GROUP_KINDS, Unit, atoms_safe, releasable, release_all


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def released_sets(units: list[Unit]) -> list[set[int]]:
    """Every set a page has shown: per group, the units released up to each of its versions."""
    sets: list[set[int]] = []
    for kind in GROUP_KINDS:
        versions: dict[object, set[int]] = {}
        for unit in units:
            version = unit.versions.get(kind)
            if version is not None:
                versions.setdefault((unit.groups[kind], version), set())
        for group, version in versions:
            sets.append(
                {
                    int(str(unit.key))
                    for unit in units
                    if unit.groups.get(kind) == group and (unit.versions.get(kind) or 10**9) <= version
                }
            )
    return sets


def leaking_people(units: list[Unit]) -> set[object]:
    """The people whose value (or the sum of their own units) follows from the released sums."""
    index = {int(str(unit.key)): i for i, unit in enumerate(units)}
    rows = [
        [Fraction(1 if i in {index[key] for key in found} else 0) for i in range(len(units))]
        for found in released_sets(units)
    ]
    if not rows:
        return set()
    base = _rank(rows)
    leaks = set()
    for person in {unit.person for unit in units}:
        own = [
            [Fraction(1 if unit.person == person and j == i else 0) for j in range(len(units))]
            for i, unit in enumerate(units)
            if unit.person == person
        ]
        # dim(R ∩ E_p) = dim R + dim E_p - dim(R + E_p) > 0: some combination of released sums is theirs alone.
        if base + len(own) - _rank(rows + own) > 0:
            leaks.add(person)
    return leaks


def unit(key: int, person: int, school: int, team: int | None) -> Unit:
    return Unit(
        key=key, person=person, dimensions=frozenset({"d"}), groups={"board": 1, "school": school, "team": team}
    )


batches = st.lists(
    st.lists(st.tuples(st.integers(0, 13), st.integers(0, 2), st.sampled_from([None, 10, 11])), min_size=1, max_size=6),
    min_size=1,
    max_size=7,
)


@settings(max_examples=150, deadline=None)
@given(batches=batches, k=st.integers(2, 5))
def test_no_history_of_releases_lets_anyone_isolate_a_person(
    batches: list[list[tuple[int, int, int | None]]], k: int
) -> None:
    units: list[Unit] = []
    current: dict[tuple[str, object], int] = {}
    people_school: dict[int, tuple[int, int | None]] = {}
    for batch in batches:
        for person, school, team in batch:
            where = people_school.setdefault(person, (school, team))  # a person stays at one school and team
            units.append(unit(len(units), person, *where))
        release_all(units, k=k, current=current)
        assert atoms_safe(units, k=k)
    assert leaking_people(units) == set()


def test_the_attacker_finds_the_naive_leak() -> None:
    """Sanity of the attacker: a school shown with five people, then with six, gives the sixth away."""
    units = [unit(i, i, 1, None) for i in range(6)]
    for u in units[:5]:
        u.versions["school"] = 1
    units[5].versions["school"] = 2
    assert leaking_people(units) == {5}
    assert not atoms_safe(units, k=5)


def test_a_school_of_four_is_withheld_and_of_five_shown() -> None:
    four = [unit(i, i, 1, None) for i in range(4)]
    assert releasable(four, kind="school", group=1, k=5) == []
    five = [*four, unit(4, 4, 1, None)]
    assert sorted(releasable(five, kind="school", group=1, k=5)) == [0, 1, 2, 3, 4]


def test_one_person_joining_waits_for_four_more() -> None:
    units = [unit(i, i, 1, None) for i in range(6)]
    current: dict[tuple[str, object], int] = {}
    release_all(units, k=5, current=current)
    assert current[("school", 1)] == 1
    units.append(unit(6, 6, 1, None))
    release_all(units, k=5, current=current)
    assert current[("school", 1)] == 1 and units[6].versions.get("school") is None
    units.extend(unit(i, i, 1, None) for i in range(7, 11))
    release_all(units, k=5, current=current)
    assert current[("school", 1)] == 2 and all(u.versions.get("school") == 2 for u in units[6:])


def test_a_team_is_shown_only_when_the_rest_of_its_school_is_large_enough() -> None:
    # School of 7: a team of 5 would leave 2 others, whose sum would follow from school minus team.
    units = [unit(i, i, 1, 10 if i < 5 else None) for i in range(7)]
    current: dict[tuple[str, object], int] = {}
    release_all(units, k=5, current=current)
    assert ("school", 1) in current and ("team", 10) not in current
    assert leaking_people(units) == set()


def test_a_small_school_does_not_leak_through_the_board_total() -> None:
    # School 1 has 6 people, school 2 has 4: the board total may not be school 1 plus the four.
    units = [unit(i, i, 1 if i < 6 else 2, None) for i in range(10)]
    current: dict[tuple[str, object], int] = {}
    release_all(units, k=5, current=current)
    assert ("school", 2) not in current
    assert {u.versions.get("board") for u in units[6:]} == {None}
    assert leaking_people(units) == set()


def test_a_dimension_with_fewer_people_holds_the_release_back() -> None:
    # Five people, but only two rated domain "b": showing "b" would show two people's values.
    units = [
        Unit(key=i, person=i, dimensions=frozenset({"a", "b"} if i < 2 else {"a"}), groups={"school": 1})
        for i in range(5)
    ]
    assert releasable(units, kind="school", group=1, k=5) == []
