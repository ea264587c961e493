"""Which contributions a group may release, so that no one's value can be derived by comparing pages.

Pure functions; no database. The model (insights.models) and the refresh (insights.services.release)
feed them `Unit`s and write back the versions they return.

Why this rule. Every figure a school, team or board page shows is a sum over a released set of units (a
count per level, a sum of values, a number of records), per dimension. Anyone who sees several pages —
or one page at several moments — can add and subtract those sums. What they can compute is exactly the
sums over the *atoms*: the sets of units that lie in the same released sets (the same release history).
A single unit's value is derivable if and only if it is alone in its atom. So a release is allowed only
if, afterwards, every atom that was released somewhere holds, per dimension, either nobody or at least
`k` different people (k = settings.AGGREGATE_MIN_GROUP_SIZE). The first release of a group is then at
least k people; later releases add at least k people at once; a team inside a school is shown only when
the rest of the school (its complement) is empty or also at least k people. The tests try to derive a
value with linear algebra over everything released and fail when they can (insights/tests/test_disclosure).

What the rule does not hide: when all k people in an atom have the same level, the distribution shows
that level for each of them (homogeneity). That is what any minimum group size allows; docs/insights.md
says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

# The kinds of group a contribution is released into, in the order a refresh releases them.
GROUP_KINDS: tuple[str, ...] = ("school", "board", "team")

Signature = tuple[tuple[str, Hashable, int], ...]


@dataclass
class Unit:
    """One contribution as the check sees it: whose it is, its dimensions, its groups and release versions."""

    key: Hashable
    person: Hashable
    dimensions: frozenset[str]
    groups: dict[str, Hashable | None]  # kind -> group id (None: not in a group of that kind, e.g. no team)
    versions: dict[str, int | None] = field(default_factory=dict)  # kind -> version first shown in, or None

    def signature(self) -> Signature:
        return tuple(
            (kind, self.groups.get(kind), version)
            for kind in GROUP_KINDS
            if (version := self.versions.get(kind)) is not None
        )

    def pending_in(self, kind: str, group: Hashable) -> bool:
        return self.groups.get(kind) == group and self.versions.get(kind) is None


def _safe(units: Iterable[Unit], k: int) -> bool:
    """Per dimension, nobody or at least k different people."""
    people: dict[str, set[Hashable]] = defaultdict(set)
    for unit in units:
        for dimension in unit.dimensions:
            people[dimension].add(unit.person)
    return all(len(persons) >= k for persons in people.values())


def releasable(units: Sequence[Unit], *, kind: str, group: Hashable, k: int) -> list[Hashable]:
    """The keys of the pending units of the group that may be released now (possibly none).

    Units are considered per atom (same signature). Releasing the group's pending units of an atom splits
    it in two: those units (which get the new version) and the rest of the atom. Both parts must be safe;
    the rest need not be when it was never released anywhere (an empty signature: nothing shows it).
    """
    atoms: dict[Signature, list[Unit]] = defaultdict(list)
    for unit in units:
        atoms[unit.signature()].append(unit)
    chosen: list[Hashable] = []
    for signature, members in atoms.items():
        inside = [unit for unit in members if unit.pending_in(kind, group)]
        if not inside:
            continue
        rest = [unit for unit in members if not unit.pending_in(kind, group)]
        if not _safe(inside, k):
            continue
        if signature and not _safe(rest, k):
            continue
        chosen.extend(unit.key for unit in inside)
    return chosen


def release_all(
    units: Sequence[Unit], *, k: int, current: dict[tuple[str, Hashable], int]
) -> dict[Hashable, dict[str, int]]:
    """Release every group that may release, kind by kind; returns {unit key: {kind: new version}}.

    `current` maps (kind, group) to the group's latest version (absent: never released) and is updated.
    The units' versions are updated in place, so later groups see earlier releases of the same run.
    """
    by_key = {unit.key: unit for unit in units}
    changes: dict[Hashable, dict[str, int]] = defaultdict(dict)
    for kind in GROUP_KINDS:
        groups = sorted(
            {
                unit.groups[kind]
                for unit in units
                if unit.groups.get(kind) is not None and unit.versions.get(kind) is None
            },
            key=str,
        )
        for group in groups:
            keys = releasable(units, kind=kind, group=group, k=k)
            if not keys:
                continue
            version = current.get((kind, group), 0) + 1
            current[(kind, group)] = version
            for key in keys:
                by_key[key].versions[kind] = version
                changes[key][kind] = version
    return dict(changes)


def atoms_safe(units: Sequence[Unit], *, k: int) -> bool:
    """The invariant: every atom released somewhere is safe (used by tests and a check after each refresh)."""
    atoms: dict[Signature, list[Unit]] = defaultdict(list)
    for unit in units:
        atoms[unit.signature()].append(unit)
    return all(_safe(members, k) for signature, members in atoms.items() if signature)
