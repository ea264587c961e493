"""The refresh: copy finished records into contributions, then release them into the groups pages show.

`refresh(board=…)` runs daily (insights.tasks, `manage.py insights_refresh`) and when a board viewer asks
for it. Per metric, in one transaction (the board row locked, so two refreshes of one board queue up):

1. **Collect.** Every finished source record of the board that is not yet a `Contribution` becomes one,
   with its values per dimension *copied* (`ContributionValue`): a figure never changes when a source
   changes later (a visit taken back and corrected, a measurement framework edited).

   - measurement: a finished self-assessment (dossier); framework = its framework's slug; year = the school
     year of the day it was finished; school and leidinggevende = those of the person's employment at the
     board on that day (the earliest started when there are several; not collected while there is none).
     A dimension per domain: the mean level of the ratings in that domain.
   - observation: a put-forward lesson visit (kind "visit", not a second observer's calibration scoring, in
     observations.PUT_FORWARD_STATES); framework = the kijkwijzer's slug; year = the visit's school year;
     school = the visit's; leidinggevende = the one on the employment the visit was for. A dimension per
     domain: the mean item score ("not seen" not counted; a visit without any score is not collected).
   - conversations: per conversation (not cancelled) and milestone reached, one contribution with the key
     "<conversation id>:<milestone>" and the dimension "<kind>:<milestone>", value 1 (a count). Milestones:
     "planned" (the conversation exists and was not cancelled when first seen), "held" (the report was put
     forward: waiting for signatures or signed — the conversation took place and was written up),
     "signed" (signed by both). Year = the conversation's school year; school, leidinggevende = the
     conversation's own. A milestone, once counted, stays counted (a report taken back, a conversation
     cancelled afterwards): released figures never shrink.

2. **Release.** Per metric, framework and school year with new contributions, every contribution becomes a
   `disclosure.Unit` (groups: the board; its school; the team of its leidinggevende, none without one) and
   the groups release what the rule allows (insights.disclosure): new versions are written back, each
   changed group's `GroupRelease` (version, released_at) with them. Releasing is repeated until nothing more
   may be released, so a refresh with no new records changes nothing (which is why only years with new
   contributions are looked at; `full=True` looks at every year, e.g. after AGGREGATE_MIN_GROUP_SIZE changed).
   Afterwards the invariant is checked (disclosure.atoms_safe): a violation rolls the metric back.

   Contributions with different sets of dimensions are released one set after the other, each with the
   groups' shared version counters. Released together, a single unit of a rare dimension (the one appraisal
   conversation of a school year, a visit with one domain "not seen") would make its whole atom unsafe and
   hold back every other record with it, for as long as it stays alone — in practice, for conversations,
   for ever. Released apart, the atoms stay the same safe atoms: every version number comes from one
   release of one set, so no two sets ever share a released atom, and each atom is checked as before.

Why not `disclosure.release_all` itself: it recomputes every atom for every group (for 4,500 staff, one
school year of conversations took 11 s, ten years of history minutes). `_release_indexed` makes exactly the
same decisions in the same order from an index of atoms that it keeps up to date; the tests compare the two
on random histories (insights/tests/test_release_indexed.py).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django_scopes import scopes_disabled

from bekwaam.conversations.models import Conversation, ConversationState
from bekwaam.dossier.models import AssessmentStatus, Rating, SelfAssessment
from bekwaam.insights.disclosure import GROUP_KINDS, Signature, Unit, atoms_safe
from bekwaam.insights.models import Contribution, ContributionValue, GroupRelease, Metric, RefreshRun
from bekwaam.lib.dates import school_year_of
from bekwaam.observations.models import PUT_FORWARD_STATES, Observation, ObservationKind, ObservationScore
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board, Employment
from bekwaam.tenancy.policy import authorize

CHUNK = 1000  # source records per query for their values, rows per insert

PLANNED, HELD, SIGNED = "planned", "held", "signed"
MILESTONES: tuple[str, ...] = (PLANNED, HELD, SIGNED)
HELD_STATES = frozenset({ConversationState.WITH_EMPLOYEE, ConversationState.WITH_MANAGER, ConversationState.SIGNED})

THOUSANDTH = Decimal("0.001")

T = TypeVar("T")


class ReleaseInvariantError(RuntimeError):
    """A release would have left an atom of fewer than AGGREGATE_MIN_GROUP_SIZE people: nothing is written."""


# --- groups as GroupRelease names them ----------------------------------------------------------------------


def group_name(kind: str, group: Hashable) -> str:
    """The GroupRelease.group of a disclosure group: "board", "school:<id>", "team:<person id>"."""
    return "board" if kind == "board" else f"{kind}:{group}"


def _group_of_name(name: str) -> tuple[str, Hashable] | None:
    kind, _sep, ident = name.partition(":")
    if kind == "board":
        return None  # the board's id comes from the refresh itself
    if kind == "school" and ident.isdigit():
        return kind, int(ident)
    if kind == "team":
        try:
            return kind, UUID(ident)
        except ValueError:
            return None
    return None


# --- collecting -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """A source record as it will be copied: its key, where it counts, and its values per dimension."""

    record_key: str
    framework_slug: str
    year: int
    person_id: UUID
    school_id: int
    manager_id: UUID | None
    values: dict[str, Decimal]


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _value(mean: Any) -> Decimal:
    return Decimal(str(mean)).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def bucket_of(value: Decimal) -> int:
    """The scale level a mean counts under in a distribution: rounded half up (2.5 → 3)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _Employments:
    """Each person's employments at the board (one query), to find where they worked on a day."""

    def __init__(self, board_id: int) -> None:
        self.by_person: dict[UUID, list[tuple[datetime.date, datetime.date | None, int, UUID | None]]] = defaultdict(
            list
        )
        rows = (
            Employment.objects.filter(board_id=board_id)
            .order_by("start_date", "pk")
            .values_list("person_id", "start_date", "end_date", "school_id", "manager_id")
        )
        for person_id, start, end, school_id, manager_id in rows:
            self.by_person[person_id].append((start, end, school_id, manager_id))

    def on(self, person_id: UUID, day: datetime.date) -> tuple[int, UUID | None] | None:
        """(school, leidinggevende) of the earliest started employment active on `day`; None when none was."""
        for start, end, school_id, manager_id in self.by_person.get(person_id, ()):
            if start <= day and (end is None or end >= day):
                return school_id, manager_id
        return None


def _collected(board_id: int, metric: str) -> set[str]:
    return set(Contribution.objects.filter(board_id=board_id, metric=metric).values_list("record_key", flat=True))


def measurements_new(board_id: int) -> Iterator[list[Record]]:
    """Finished self-assessments not collected yet, in chunks, with the mean level per domain."""
    collected = _collected(board_id, Metric.MEASUREMENT)
    rows = [
        row
        for row in SelfAssessment.objects.filter(board_id=board_id, status=AssessmentStatus.FINISHED).values_list(
            "id", "person_id", "finished_at", "framework_version__framework__slug"
        )
        if str(row[0]) not in collected
    ]
    if not rows:
        return
    employments = _Employments(board_id)
    for chunk in _chunks(rows):
        means: dict[UUID, dict[str, Decimal]] = defaultdict(dict)
        for assessment_id, code, mean in (
            Rating.objects.filter(board_id=board_id, assessment_id__in=[row[0] for row in chunk], level__isnull=False)
            .values("assessment_id", "indicator__competence__domain__code")
            .annotate(mean=Avg("level__value"))
            .values_list("assessment_id", "indicator__competence__domain__code", "mean")
            .order_by()
        ):
            means[assessment_id][code] = _value(mean)
        records = []
        for assessment_id, person_id, finished_at, slug in chunk:
            day = timezone.localdate(finished_at)
            where = employments.on(person_id, day)
            if where is None or not means.get(assessment_id):
                continue  # not working at the board that day (looked at again next time), or nothing rated
            school_id, manager_id = where
            year = school_year_of(day)
            values = means[assessment_id]
            records.append(Record(str(assessment_id), slug, year, person_id, school_id, manager_id, values))
        yield records


def observations_new(board_id: int) -> Iterator[list[Record]]:
    """Put-forward lesson visits not collected yet, in chunks, with the mean item score per domain."""
    collected = _collected(board_id, Metric.OBSERVATION)
    rows = [
        row
        for row in Observation.objects.filter(
            board_id=board_id, kind=ObservationKind.VISIT, calibrates__isnull=True, state__in=PUT_FORWARD_STATES
        ).values_list("id", "teacher_id", "school_id", "employment__manager_id", "date", "instrument__framework__slug")
        if str(row[0]) not in collected
    ]
    for chunk in _chunks(rows):
        means: dict[UUID, dict[str, Decimal]] = defaultdict(dict)
        for observation_id, code, mean in (
            ObservationScore.objects.filter(
                board_id=board_id, observation_id__in=[row[0] for row in chunk], value__isnull=False
            )
            .values("observation_id", "item__domain__code")
            .annotate(mean=Avg("value"))
            .values_list("observation_id", "item__domain__code", "mean")
            .order_by()
        ):
            means[observation_id][code] = _value(mean)
        yield [
            Record(str(visit_id), slug, school_year_of(day), teacher_id, school_id, manager_id, means[visit_id])
            for visit_id, teacher_id, school_id, manager_id, day, slug in chunk
            if means.get(visit_id)
        ]


def conversation_milestones(state: str) -> tuple[str, ...]:
    """The milestones a conversation in `state` has reached (none when cancelled)."""
    if state == ConversationState.CANCELLED:
        return ()
    if state == ConversationState.SIGNED:
        return MILESTONES
    if state in HELD_STATES:
        return (PLANNED, HELD)
    return (PLANNED,)


def conversations_new(board_id: int) -> Iterator[list[Record]]:
    """Milestones of conversations not collected yet: one record per conversation and milestone."""
    collected = _collected(board_id, Metric.CONVERSATIONS)
    records = []
    for conversation_id, employee_id, school_id, manager_id, kind, year, state in (
        Conversation.objects.filter(board_id=board_id)
        .exclude(state=ConversationState.CANCELLED)
        .values_list("id", "employee_id", "school_id", "manager_id", "kind", "school_year", "state")
    ):
        for milestone in conversation_milestones(state):
            key = f"{conversation_id}:{milestone}"
            if key not in collected:
                values = {f"{kind}:{milestone}": Decimal(1)}
                records.append(Record(key, "", year, employee_id, school_id, manager_id, values))
    for chunk in _chunks(records):
        yield list(chunk)


COLLECTORS = {
    Metric.MEASUREMENT: measurements_new,
    Metric.OBSERVATION: observations_new,
    Metric.CONVERSATIONS: conversations_new,
}


def _insert(board_id: int, metric: str, records: Sequence[Record]) -> set[tuple[str, int]]:
    """Insert the contributions and their values; returns the (framework, year) partitions they fall in."""
    contributions = Contribution.objects.bulk_create(
        [
            Contribution(
                board_id=board_id,
                metric=metric,
                framework_slug=record.framework_slug,
                year=record.year,
                record_key=record.record_key,
                person_id=record.person_id,
                school_id=record.school_id,
                manager_id=record.manager_id,
            )
            for record in records
        ]
    )
    ids = {contribution.record_key: contribution.pk for contribution in contributions}
    if None in ids.values():  # a database that does not return ids from a bulk insert
        ids = dict(
            Contribution.objects.filter(
                board_id=board_id, metric=metric, record_key__in=[record.record_key for record in records]
            ).values_list("record_key", "pk")
        )
    ContributionValue.objects.bulk_create(
        [
            ContributionValue(
                board_id=board_id,
                contribution_id=ids[record.record_key],
                dimension=dimension,
                value=value,
                bucket=bucket_of(value),
            )
            for record in records
            for dimension, value in record.values.items()
        ],
        batch_size=CHUNK,
    )
    return {(record.framework_slug, record.year) for record in records}


# --- releasing --------------------------------------------------------------------------------------------------


class _Atoms:
    """Units by signature, with per atom and dimension how many units each person has in it."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.signature_of: dict[Hashable, Signature] = {}
        self.people: dict[Signature, dict[str, Counter[Hashable]]] = defaultdict(lambda: defaultdict(Counter))
        for unit in units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        signature = unit.signature()
        self.signature_of[unit.key] = signature
        per_dimension = self.people[signature]
        for dimension in unit.dimensions:
            per_dimension[dimension][unit.person] += 1

    def remove(self, unit: Unit) -> None:
        signature = self.signature_of.pop(unit.key)
        per_dimension = self.people[signature]
        for dimension in unit.dimensions:
            counts = per_dimension[dimension]
            counts[unit.person] -= 1
            if counts[unit.person] == 0:
                del counts[unit.person]
            if not counts:
                del per_dimension[dimension]
        if not per_dimension:
            del self.people[signature]

    def rest_safe(self, signature: Signature, inside: Sequence[Unit], k: int) -> bool:
        """Would the atom's units outside `inside` hold, per dimension, nobody or at least k people?"""
        taken: dict[str, Counter[Hashable]] = defaultdict(Counter)
        for unit in inside:
            for dimension in unit.dimensions:
                taken[dimension][unit.person] += 1
        for dimension, counts in self.people.get(signature, {}).items():
            mine = taken.get(dimension, Counter())
            left = len(counts) - sum(1 for person, n in mine.items() if counts.get(person) == n)
            if 0 < left < k:
                return False
        return True


def _inside_safe(units: Sequence[Unit], k: int) -> bool:
    people: dict[str, set[Hashable]] = defaultdict(set)
    for unit in units:
        for dimension in unit.dimensions:
            people[dimension].add(unit.person)
    return all(len(persons) >= k for persons in people.values())


def _release_indexed(
    units: Sequence[Unit], *, k: int, current: dict[tuple[str, Hashable], int]
) -> dict[Hashable, dict[str, int]]:
    """disclosure.release_all's decisions, in its order, from an index of atoms instead of a rescan per group.

    Per kind (disclosure.GROUP_KINDS) the groups with pending units, sorted as release_all sorts them; per
    group its pending units by atom: released when they hold, per dimension, at least k people and the rest
    of a released atom (a non-empty signature) holds nobody or at least k. Units' versions and `current` are
    updated in place; returns {unit key: {kind: new version}}.
    """
    atoms = _Atoms(units)
    pending: dict[tuple[str, Hashable], list[Unit]] = defaultdict(list)
    for unit in units:
        for kind in GROUP_KINDS:
            group = unit.groups.get(kind)
            if group is not None and unit.versions.get(kind) is None:
                pending[(kind, group)].append(unit)
    changes: dict[Hashable, dict[str, int]] = defaultdict(dict)
    for kind in GROUP_KINDS:
        for group in sorted((group for (of_kind, group) in pending if of_kind == kind), key=str):
            by_atom: dict[Signature, list[Unit]] = defaultdict(list)
            for unit in pending[(kind, group)]:
                by_atom[atoms.signature_of[unit.key]].append(unit)
            chosen = [
                unit
                for signature, inside in by_atom.items()
                if _inside_safe(inside, k) and (not signature or atoms.rest_safe(signature, inside, k))
                for unit in inside
            ]
            if not chosen:
                continue
            version = current.get((kind, group), 0) + 1
            current[(kind, group)] = version
            for unit in chosen:
                atoms.remove(unit)
                unit.versions[kind] = version
                atoms.add(unit)
                changes[unit.key][kind] = version
    return dict(changes)


def release_until_stable(
    units: Sequence[Unit], *, k: int, current: dict[tuple[str, Hashable], int]
) -> dict[Hashable, dict[str, int]]:
    """Release again while anything more may be released (a team shown may let its school follow)."""
    changes: dict[Hashable, dict[str, int]] = defaultdict(dict)
    while True:
        step = _release_indexed(units, k=k, current=current)
        if not step:
            return dict(changes)
        for key, versions in step.items():
            changes[key].update(versions)


def _unsafe_atoms(units: Iterable[Unit], k: int) -> set[Signature]:
    atoms: dict[Signature, list[Unit]] = defaultdict(list)
    for unit in units:
        atoms[unit.signature()].append(unit)
    return {signature for signature, members in atoms.items() if not atoms_safe(members, k=k)}


def _partition_release(
    *, board_id: int, metric: str, framework_slug: str, year: int, k: int, now: datetime.datetime
) -> int:
    """Release what may be released of one metric, framework and school year; returns how many were released."""
    units: list[Unit] = []
    rows = list(
        Contribution.objects.filter(
            board_id=board_id, metric=metric, framework_slug=framework_slug, year=year
        ).values_list("pk", "person_id", "school_id", "manager_id", "board_version", "school_version", "team_version")
    )
    dimensions: dict[int, set[str]] = defaultdict(set)
    # By contribution id, in chunks (the foreign key's index): joined to Contribution instead, PostgreSQL may
    # plan a nested loop over rows it has no statistics for yet (just inserted) — a minute per query.
    for chunk in _chunks([row[0] for row in rows], 5 * CHUNK):
        for contribution_id, dimension in ContributionValue.objects.filter(contribution_id__in=chunk).values_list(
            "contribution_id", "dimension"
        ):
            dimensions[contribution_id].add(dimension)
    for pk, person_id, school_id, manager_id, board_version, school_version, team_version in rows:
        units.append(
            Unit(
                key=pk,
                person=person_id,
                dimensions=frozenset(dimensions.get(pk, ())),
                groups={"board": board_id, "school": school_id, "team": manager_id},
                versions={"board": board_version, "school": school_version, "team": team_version},
            )
        )
    releases = GroupRelease.objects.filter(board_id=board_id, metric=metric, framework_slug=framework_slug, year=year)
    current: dict[tuple[str, Hashable], int] = {}
    for name, version in releases.values_list("group", "version"):
        found = ("board", board_id) if name == "board" else _group_of_name(name)
        if found is not None:
            current[found] = version
    unsafe_before = _unsafe_atoms(units, k)
    changes: dict[Hashable, dict[str, int]] = {}
    # Per set of dimensions, one after the other (the groups' versions shared): one person's appraisal
    # conversation must not hold back every development conversation of the school (see the docstring).
    by_dimensions: dict[frozenset[str], list[Unit]] = defaultdict(list)
    for unit in units:
        by_dimensions[unit.dimensions].append(unit)
    for dimension_set in sorted(by_dimensions, key=sorted):
        changes.update(release_until_stable(by_dimensions[dimension_set], k=k, current=current))
    if not changes:
        return 0
    # Only an erasure (contributions deleted with their person) can make an atom unsafe before a release; a
    # release itself never may. Checked here on every atom, the whole rule's invariant.
    if _unsafe_atoms(units, k) - unsafe_before:
        raise ReleaseInvariantError(f"release of {metric}/{framework_slug}/{year} of board {board_id}")

    # One UPDATE per kind and version number (across groups), in chunks of ids, however many groups and units.
    groups_of = {unit.key: unit.groups for unit in units}
    by_version: dict[tuple[str, int], list[int]] = defaultdict(list)
    latest: dict[tuple[str, Hashable], int] = {}
    for key, versions in changes.items():
        for kind, version in versions.items():
            by_version[(kind, version)].append(int(str(key)))
            group = groups_of[key][kind]
            latest[(kind, group)] = max(version, latest.get((kind, group), 0))
    for (kind, version), ids in by_version.items():
        for chunk in _chunks(ids):
            Contribution.objects.filter(pk__in=chunk).update(**{f"{kind}_version": version})
    GroupRelease.objects.bulk_create(
        [
            GroupRelease(
                board_id=board_id,
                metric=metric,
                framework_slug=framework_slug,
                year=year,
                group=group_name(kind, group),
                version=version,
                released_at=now,
            )
            for (kind, group), version in latest.items()
        ],
        update_conflicts=True,
        unique_fields=["board", "metric", "framework_slug", "year", "group"],
        update_fields=["version", "released_at"],
    )
    return len(changes)


# --- the refresh ------------------------------------------------------------------------------------------------


def refresh(*, board: Board, full: bool = False) -> RefreshRun:
    """Collect the board's new finished records and release what the rule allows; one transaction per metric.

    Idempotent: a second refresh without new records adds and releases nothing. `full` also looks again at
    every school year without new records (after a change of AGGREGATE_MIN_GROUP_SIZE).
    """
    k = int(settings.AGGREGATE_MIN_GROUP_SIZE)
    with scopes_disabled():
        run = RefreshRun.objects.create(board=board)
        added = released = 0
        for metric, collect in COLLECTORS.items():
            with transaction.atomic():
                Board.objects.select_for_update().filter(pk=board.pk).first()  # one refresh of a board at a time
                partitions: set[tuple[str, int]] = set()
                for records in collect(board.pk):
                    if records:
                        partitions |= _insert(board.pk, metric, records)
                        added += len(records)
                if full:
                    partitions |= set(
                        Contribution.objects.filter(board_id=board.pk, metric=metric)
                        .values_list("framework_slug", "year")
                        .distinct()
                    )
                now = timezone.now()
                for framework_slug, year in sorted(partitions):
                    released += _partition_release(
                        board_id=board.pk, metric=metric, framework_slug=framework_slug, year=year, k=k, now=now
                    )
        run.added, run.released, run.finished_at = added, released, timezone.now()
        run.save(update_fields=["added", "released", "finished_at"])
    return run


REFRESH_PAUSE = datetime.timedelta(minutes=2)


def refresh_request(*, actor: Actor) -> bool:
    """Enqueue a refresh of the actor's board (board viewers); False when one started moments ago is still running.

    The task worker runs it (immediately in tests); the daily run does the same for every board.
    """
    authorize(actor, "insights.refresh")
    board_id = actor.board_pk
    running = RefreshRun.objects.filter(
        board_id=board_id, finished_at__isnull=True, started_at__gte=timezone.now() - REFRESH_PAUSE
    ).exists()
    if running:
        return False
    from bekwaam.insights.tasks import insights_refresh  # the task module imports this one

    insights_refresh.enqueue(board_id=board_id)
    return True
