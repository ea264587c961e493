"""Nobody's result can be derived by comparing what the team, school and board pages show (issue 7).

Property-based: hypothesis builds a board with random people across three schools and two leidinggevenden's
teams, then repeatedly adds finished measurements, refreshes, and records every figure the pages show — the
board page, a team page (HTML), the board, team and school CSV and the board's API answer — parsed from what
they return, so the real code path is what is tested.

The attacker is the strongest one: besides every figure ever shown, they know which records each figure
sums (who is in which school and team, who finished a measurement when, and even how the release rule
went). Each figure is then a linear equation over the records' values on one dimension (a domain): its
number of records, its sum (mean times records) and its records per level are sums over one set. The attacker
adds and subtracts equations, exactly, with fractions (as insights/tests/test_disclosure.py): a person's
value leaks when some combination of the shown sets adds up to a non-zero combination of that person's own
records only. The test asserts that never happens, after checking that every figure equals the sum over
the records the attacker thinks it holds (so a page that showed an unreleased record would be caught too).

The sanity tests run the same attacker against a naive aggregate (every record of a group, no release
rule): there it finds the person who joined a team, the one person outside a team in a school, and the one
person of a small school inside the board total, and computes their exact value.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bekwaam.accounts.testing import sign_in
from bekwaam.insights.models import Contribution, ContributionValue
from bekwaam.insights.services.release import refresh
from bekwaam.insights.tests.factories_groups import framework_build, measurement_build, staff_build
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory, SchoolFactory, with_totp

pytestmark = pytest.mark.django_db


# --- what the pages show ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure as a page showed it: a group's records on one dimension."""

    source: str
    group: str
    dimension: str
    people: int
    records: int
    total: Decimal  # the mean as shown, times the records
    counts: tuple[int, ...]
    precision: Decimal  # how far `total` may be from the exact sum (the mean is rounded)


def _headers() -> dict[str, str]:
    with translation.override("nl"):
        names = (
            "Group",
            "Name",
            "BRIN number",
            "Code",
            "People",
            "Records",
            "Mean",
            "Level",
            "Board",
            "School",
            "Team",
        )
        return {name: gettext(name) for name in names}


def figures_from_csv(response: Any, *, source: str, groups: dict[str, str]) -> list[Figure]:
    """`groups` maps what a row names (the BRIN of a school, else the name) to the group it is."""
    assert response.status_code == 200, response.content[:500]
    h = _headers()
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    found = []
    for row in rows:
        if not row[h["Code"]]:
            continue  # withheld: no numbers
        levels = [key for key in row if key.startswith(f"{h['Level']} ")]
        records = int(row[h["Records"]])
        found.append(
            Figure(
                source=source,
                group=groups[row[h["BRIN number"]] or row[h["Name"]]],
                dimension=row[h["Code"]],
                people=int(row[h["People"]]),
                records=records,
                total=Decimal(row[h["Mean"]].replace(",", ".")) * records,
                counts=tuple(int(row[key]) for key in levels),
                precision=Decimal("0.005") * records,
            )
        )
    return found


def figures_from_api(response: Any) -> list[Figure]:
    assert response.status_code == 200, response.content[:500]
    found = []
    for slice_ in response.json()["slices"]:
        for group in slice_["groups"]:
            for year in group["years"]:
                assert (year["status"] == "shown") == bool(year["dimensions"])
                found += [
                    Figure(
                        source="api",
                        group=group["group"],
                        dimension=dimension["code"],
                        people=dimension["people"],
                        records=dimension["records"],
                        total=Decimal(dimension["mean"]) * dimension["records"],
                        counts=tuple(dimension["counts"]),
                        precision=Decimal("0.0005") * dimension["records"],
                    )
                    for dimension in year["dimensions"]
                ]
    return found


ROW = re.compile(r"<tr ((?:data-[a-z]+=\"[^\"]*\"\s*)+)>")
ATTRIBUTE = re.compile(r'data-([a-z]+)="([^"]*)"')


def figures_from_page(response: Any, *, source: str, main_group: str, schools: dict[str, str]) -> list[Figure]:
    """The distribution tables of a page: its own group's (rows without a school) and each school's."""
    assert response.status_code == 200, response.content[:500]
    found = []
    for match in ROW.finditer(response.content.decode()):
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        if "dimension" not in attributes or "counts" not in attributes:
            continue
        records = int(attributes["records"])
        found.append(
            Figure(
                source=source,
                group=schools[attributes["school"]] if "school" in attributes else main_group,
                dimension=attributes["dimension"],
                people=int(attributes["people"]),
                records=records,
                total=Decimal(attributes["mean"]) * records,
                counts=tuple(int(n) for n in attributes["counts"].split(",")),
                precision=Decimal("0.0005") * records,
            )
        )
    return found


# --- what the attacker knows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    key: int
    person: Any
    groups: tuple[str, ...]  # "board", "school:<id>", "team:<id>"
    values: dict[str, Decimal]
    buckets: dict[str, int]


@dataclass(frozen=True)
class Equation:
    dimension: str
    units: frozenset[int]
    total: Decimal


def records_now() -> dict[int, Record]:
    values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    buckets: dict[int, dict[str, int]] = defaultdict(dict)
    for contribution_id, dimension, value, bucket in ContributionValue.objects.values_list(
        "contribution_id", "dimension", "value", "bucket"
    ):
        values[contribution_id][dimension] = value
        buckets[contribution_id][dimension] = bucket
    return {
        c.pk: Record(
            c.pk,
            c.person_id,
            ("board", f"school:{c.school_id}", *((f"team:{c.manager_id}",) if c.manager_id else ())),
            values[c.pk],
            buckets[c.pk],
        )
        for c in Contribution.objects.all()
    }


def released_now() -> dict[str, set[int]]:
    """Per group, the records released into it (what the strongest attacker knows each figure sums)."""
    sets: dict[str, set[int]] = defaultdict(set)
    for pk, school_id, manager_id, board_v, school_v, team_v in Contribution.objects.values_list(
        "pk", "school_id", "manager_id", "board_version", "school_version", "team_version"
    ):
        if board_v is not None:
            sets["board"].add(pk)
        if school_v is not None:
            sets[f"school:{school_id}"].add(pk)
        if team_v is not None:
            sets[f"team:{manager_id}"].add(pk)
    return sets


def naive_now() -> dict[str, set[int]]:
    """Per group, every record in it: a page without the release rule."""
    sets: dict[str, set[int]] = defaultdict(set)
    for record in records_now().values():
        for group in record.groups:
            sets[group].add(record.key)
    return sets


def equations_for(figures: Iterable[Figure], sets: dict[str, set[int]], records: dict[int, Record]) -> list[Equation]:
    """Each shown figure, checked against the records it sums, as the attacker's equation."""
    equations = []
    for figure in figures:
        units = frozenset(key for key in sets.get(figure.group, set()) if figure.dimension in records[key].values)
        assert figure.records == len(units), figure
        assert figure.people == len({records[key].person for key in units}), figure
        exact = sum((records[key].values[figure.dimension] for key in units), Decimal(0))
        assert abs(figure.total - exact) <= figure.precision, figure
        levels = defaultdict(int)
        for key in units:
            levels[records[key].buckets[figure.dimension]] += 1
        if figure.source != "naive":
            assert [n for n in figure.counts if n] == [levels[level] for level in sorted(levels)], figure
        equations.append(Equation(figure.dimension, units, figure.total))
    return equations


def naive_figures(sets: dict[str, set[int]], records: dict[int, Record]) -> list[Figure]:
    """What a page without the release rule would show: exact sums over every record of each group."""
    found = []
    for group, keys in sets.items():
        for dimension in {d for key in keys for d in records[key].values}:
            units = [key for key in keys if dimension in records[key].values]
            found.append(
                Figure(
                    source="naive",
                    group=group,
                    dimension=dimension,
                    people=len({records[key].person for key in units}),
                    records=len(units),
                    total=sum((records[key].values[dimension] for key in units), Decimal(0)),
                    counts=(),
                    precision=Decimal(0),
                )
            )
    return found


def _reduce(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """Reduced row echelon form (the last column is carried along: the equations' right-hand sides)."""
    matrix = [row[:] for row in rows]
    pivot_row = 0
    columns = len(matrix[0]) - 1 if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
    return [row for row in matrix if any(value != 0 for value in row[:-1])]


class Attacker:
    """Adds and subtracts everything shown on one dimension, exactly, to find one person's records."""

    def __init__(self, equations: list[Equation], records: dict[int, Record]) -> None:
        self.records = records
        self.by_dimension: dict[str, list[Equation]] = defaultdict(list)
        for equation in equations:
            self.by_dimension[equation.dimension].append(equation)

    def _system(self, dimension: str) -> tuple[list[int], list[list[Fraction]]]:
        units = sorted(key for key, record in self.records.items() if dimension in record.values)
        index = {key: i for i, key in enumerate(units)}
        rows = []
        for equation in self.by_dimension[dimension]:
            row = [Fraction(0)] * (len(units) + 1)
            for key in equation.units:
                row[index[key]] = Fraction(1)
            row[-1] = Fraction(equation.total)
            rows.append(row)
        return units, _reduce(rows)

    def isolates(self, dimension: str, person: Any) -> bool:
        """Some combination of the shown sums is a non-zero combination of this person's records alone."""
        units, reduced = self._system(dimension)
        own = [i for i, key in enumerate(units) if self.records[key].person == person]
        if not own:
            return False
        base = len(reduced)
        extra = [[Fraction(1 if j == i else 0) for j in range(len(units))] + [Fraction(0)] for i in own]
        # dim(R ∩ E_p) = dim R + dim E_p - dim(R + E_p) > 0
        return base + len(own) - len(_reduce([*reduced, *extra])) > 0

    def value_of(self, dimension: str, person: Any) -> Fraction | None:
        """The sum of the person's records on the dimension, if the shown sums determine it."""
        units, reduced = self._system(dimension)
        target = [Fraction(1 if self.records[key].person == person else 0) for key in units] + [Fraction(0)]
        for row in reduced:
            column = next(i for i, value in enumerate(row[:-1]) if value != 0)
            if target[column] != 0:
                factor = target[column]
                target = [a - factor * b for a, b in zip(target, row, strict=True)]
        if any(value != 0 for value in target[:-1]):
            return None
        return -target[-1]

    def leaks(self) -> set[tuple[str, Any]]:
        people = {record.person for record in self.records.values()}
        return {
            (dimension, person)
            for dimension in self.by_dimension
            for person in people
            if self.isolates(dimension, person)
        }


# --- the board the tests play on --------------------------------------------------------------------------------


class Board:
    """Three schools of board A, two leidinggevenden, and signed-in clients for every page of the attack."""

    def __init__(self, world: Any) -> None:
        self.world = world
        self.version = framework_build(world.board_a)
        extra = SchoolFactory(board=world.board_a, name="De Derde Alfaschool")
        self.schools = [world.school_a, world.school_a2, extra]
        leader = with_totp(PersonFactory(email="tweede-leider@alfa.nl"))
        EmploymentFactory(person=leader, school=world.school_a2, function="director")
        staff_build(school=world.school_a2, count=1, manager=leader, prefix="nog-zonder-meting")  # they lead someone
        self.leaders = [world.manager, leader]
        self.board_client = sign_in(Client(), world.board_member)
        self.team_clients = [sign_in(Client(), person) for person in self.leaders]
        self.by_brin = {school.brin: f"school:{school.pk}" for school in self.schools}
        self.by_id = {str(school.pk): f"school:{school.pk}" for school in self.schools}
        self.people: dict[int, Any] = {}

    def person(self, index: int, school: int, team: int | None) -> Any:
        if index not in self.people:
            manager = self.leaders[team] if team is not None else None
            self.people[index] = staff_build(school=self.schools[school], count=1, manager=manager, prefix=f"p{index}")[
                0
            ]
        return self.people[index]

    def measure(self, person: Any, levels: tuple[int, int]) -> None:
        measurement_build(person=person, version=self.version, levels=list(levels))

    def figures(self) -> list[Figure]:
        """Every figure the pages show now (one school year, the measurement framework)."""
        board_name = {self.world.board_a.name: "board"}
        team = [f"team:{leader.pk}" for leader in self.leaders]
        found = figures_from_page(
            self.board_client.get(reverse("insights:board")),
            source="board page",
            main_group="board",
            schools=self.by_id,
        )
        found += figures_from_csv(
            self.board_client.get(reverse("insights:board_csv")),
            source="board csv",
            groups={**board_name, **self.by_brin},
        )
        found += figures_from_api(self.board_client.get(reverse("api:insights-board")))
        school = self.schools[0]
        found += figures_from_csv(
            self.board_client.get(reverse("insights:school_csv", kwargs={"school_id": school.pk})),
            source="school csv",
            groups=self.by_brin,
        )
        found += figures_from_page(
            self.team_clients[0].get(reverse("insights:team")), source="team page", main_group=team[0], schools={}
        )
        found += figures_from_csv(
            self.team_clients[1].get(reverse("insights:team_csv")),
            source="team csv",
            groups={self.leaders[1].full_name: team[1]},
        )
        return found


History = list[list[tuple[Any, tuple[int, int]]]]  # per refresh: who finished a measurement, with what levels


def play(board: Board, history: History) -> set[frozenset[int]]:
    """Play the history, gather every figure shown after each refresh, attack; returns the different sets shown."""
    equations: list[Equation] = []
    for batch in history:
        for person, levels in batch:
            board.measure(person, levels)
        refresh(board=board.world.board_a)
        records = records_now()
        equations += equations_for(board.figures(), released_now(), records)
    attacker = Attacker(equations, records_now())
    assert attacker.leaks() == set()
    return {equation.units for equation in equations}


# --- the property -----------------------------------------------------------------------------------------------

# Where people work (school, leidinggevende's team): a team across two schools, people without a team, a school
# that is almost one team.
PLACES = [(0, 0), (0, None), (1, 1), (1, 0), (2, 1), (2, None)]
# A cohort: people at one place finishing a measurement before the same refresh — new people, or people of
# that place who measured before (measuring again) — with levels that vary from person to person.
cohort = st.tuples(st.integers(0, len(PLACES) - 1), st.integers(1, 6), st.booleans(), st.integers(0, 3))
batches_strategy = st.lists(st.lists(cohort, min_size=1, max_size=4), min_size=2, max_size=4)


def history_of(board: Board, batches: list[list[tuple[int, int, bool, int]]]) -> History:
    at_place: dict[int, list[Any]] = defaultdict(list)
    history: History = []
    for batch in batches:
        records = []
        for place, size, again, shift in batch:
            earlier = list(at_place[place]) if again else []
            for n in range(size):
                if n < len(earlier):
                    person = earlier[n]
                else:
                    person = board.person(len(board.people), *PLACES[place])
                    at_place[place].append(person)
                records.append((person, (1 + (shift + n) % 4, 1 + (shift + 2 * n) % 4)))
        history.append(records)
    return history


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(batches=batches_strategy)
def test_no_combination_of_pages_gives_away_anyones_value(
    world: Any, batches: list[list[tuple[int, int, bool, int]]]
) -> None:
    with transaction.atomic():
        try:
            board = Board(world)
            shown = play(board, history_of(board, batches))
            event(f"sets shown: {min(len(shown), 10)}{'+' if len(shown) >= 10 else ''}")
            event("a team shown" if any(group.startswith("team:") for group in released_now()) else "no team shown")
        finally:
            transaction.set_rollback(True)


def test_a_history_with_every_kind_of_overlap_gives_nothing_away(world: Any) -> None:
    """A fixed history the property may not hit: teams across schools, growing one person at a time."""
    board = Board(world)
    places = [(0, 0)] * 6 + [(0, None)] * 5 + [(1, 1)] * 5 + [(1, 0), (2, None), (2, 1)]
    people = [board.person(i, *place) for i, place in enumerate(places)]
    history: History = [[(person, (2, 3)) for person in people[:16]]]
    history += [[(person, (1 + i % 4, 4 - i % 4))] for i, person in enumerate(people[14:])]  # one by one
    history += [[(person, (3, 1)) for person in people]]
    shown = play(board, history)
    assert len(shown) >= 6
    assert any(group.startswith("team:") for group in released_now())


# --- the attacker finds what a naive page would give away -----------------------------------------------------------


def attack_naive(history: list[list[tuple[Any, tuple[int, int]]]], board: Board) -> Attacker:
    equations: list[Equation] = []
    for batch in history:
        for person, levels in batch:
            board.measure(person, levels)
        refresh(board=board.world.board_a)  # collects the records; the naive pages ignore what was released
        records = records_now()
        sets = naive_now()
        equations += equations_for(naive_figures(sets, records), sets, records)
    return Attacker(equations, records_now())


def attack_pages(board: Board) -> Attacker:
    records = records_now()
    return Attacker(equations_for(board.figures(), released_now(), records), records)


def test_the_attacker_finds_the_person_who_joined_a_naive_team(world: Any) -> None:
    board = Board(world)
    team = [board.person(i, 0, 0) for i in range(6)]
    naive = attack_naive([[(p, (2, 2)) for p in team[:5]], [(team[5], (4, 1))]], board)
    assert naive.value_of("D1", team[5].pk) == 4 and naive.value_of("D2", team[5].pk) == 1
    assert naive.leaks() == {("D1", team[5].pk), ("D2", team[5].pk)}
    # The real pages over the same history: the sixth waits for four more; nothing is isolated.
    pages = attack_pages(board)
    assert pages.value_of("D1", team[5].pk) is None and pages.leaks() == set()


def test_the_attacker_finds_the_one_person_outside_a_naive_team(world: Any) -> None:
    board = Board(world)
    team = [board.person(i, 0, 0) for i in range(5)]
    alone = board.person(5, 0, None)  # school minus team is this one person
    naive = attack_naive([[(p, (3, 3)) for p in team] + [(alone, (1, 4))]], board)
    assert naive.value_of("D1", alone.pk) == 1 and naive.value_of("D2", alone.pk) == 4
    pages = attack_pages(board)
    assert pages.leaks() == set() and pages.value_of("D1", alone.pk) is None


def test_the_attacker_finds_a_small_schools_person_in_a_naive_board_total(world: Any) -> None:
    board = Board(world)
    big = [board.person(i, 0, None) for i in range(6)]
    small = board.person(6, 1, None)  # board minus the other schools is this one person
    naive = attack_naive([[(p, (2, 3)) for p in big] + [(small, (4, 4))]], board)
    assert naive.value_of("D1", small.pk) == 4
    pages = attack_pages(board)
    assert pages.leaks() == set() and pages.value_of("D1", small.pk) is None
