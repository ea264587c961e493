"""Reads of the team, school and board figures: released contributions only, for every page, PDF, CSV and API.

There is no other code path to these figures. Each group — the board, a school, a leidinggevende's team —
shows only contributions released into it (`<kind>_version` not null, insights.services.release), per metric,
framework and school year: per dimension the number of people, of records, the mean and how many records
fall on each level. All of it is summed by the database (values + annotate), two queries per kind of
group, whatever the number of schools or records.

A group and school year without a release (`GroupRelease`) is *withheld*: fewer than
AGGREGATE_MIN_GROUP_SIZE people, or its figures would show someone's result next to another page. Pages
say so, without telling nobody from a few (that, too, would say something about a small group).

The only choices a reader makes are the metric, the framework and the school year, each among fixed
values; the group follows from the page and the actor (audience_*_for): nothing narrows a group.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

import rules
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from bekwaam.conversations.models import ConversationKind
from bekwaam.frameworks.models import Domain, Framework, ScaleLevel, VersionStatus
from bekwaam.insights.models import ContributionValue, GroupRelease, Metric, RefreshRun
from bekwaam.insights.services.release import HELD, MILESTONES, PLANNED, SIGNED
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import authorize

BOARD, SCHOOL, TEAM = "board", "school", "team"

MILESTONE_LABELS = {
    PLANNED: _("planned"),
    HELD: _("held, report written"),
    SIGNED: _("signed"),
}

_RELEASED = {
    BOARD: "contribution__board_version__isnull",
    SCHOOL: "contribution__school_version__isnull",
    TEAM: "contribution__team_version__isnull",
}
_GROUP_FIELD = {BOARD: None, SCHOOL: "contribution__school_id", TEAM: "contribution__manager_id"}


# --- whose figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """The groups a page shows: the board with each of its schools, one school, or one leidinggevende's team."""

    kind: str
    board_id: int
    name: str
    school: School | None = None
    manager_id: UUID | None = None

    @property
    def group(self) -> str:
        if self.kind == SCHOOL and self.school is not None:
            return school_group(self.school.pk)
        if self.kind == TEAM:
            return team_group(self.manager_id)
        return BOARD

    def release_filter(self) -> Q:
        """The GroupRelease rows of the page: the board's page also names each school."""
        if self.kind == BOARD:
            return Q(group=BOARD) | Q(group__startswith="school:")
        return Q(group=self.group)


def school_group(school_id: int) -> str:
    return f"school:{school_id}"


def team_group(manager_id: Any) -> str:
    return f"team:{manager_id}"


def audience_board_for(*, actor: Actor) -> Audience:
    """The active board with its schools (bestuurder, kwaliteitsmedewerker)."""
    authorize(actor, "insights.board")
    organisation = actor.organisation
    return Audience(kind=BOARD, board_id=actor.board_pk, name=organisation.name if organisation else "")


def audience_school_for(*, actor: Actor, school_id: int) -> Audience:
    """One school of the active board the actor may see; 404 for any other (another board's, not theirs)."""
    authorize(actor, "insights.schools")
    school = School.objects.filter(pk=school_id, board_id=actor.board_pk).select_related("board").first()
    if school is None or not _may(actor, "insights.view_school", school):
        raise Http404
    return Audience(kind=SCHOOL, board_id=school.board_id, name=school.name, school=school)


def audience_team_for(*, actor: Actor) -> Audience:
    """The people the actor leads (as their leidinggevende when the records were made): only their own team."""
    authorize(actor, "insights.team")
    return Audience(kind=TEAM, board_id=actor.board_pk, name=actor.person.full_name, manager_id=actor.person.pk)


def _may(actor: Actor, rule: str, obj: Any) -> bool:
    return bool(rules.test_rule(rule, actor, obj))


# --- what may be chosen -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """Per metric and framework the school years with figures released for the page's groups."""

    years: dict[str, dict[str, list[int]]]
    framework_names: dict[str, str]

    @property
    def metrics(self) -> list[str]:
        return [metric for metric in Metric.values if metric in self.years]

    def frameworks(self, metric: str) -> list[str]:
        return sorted(self.years.get(metric, {}), key=lambda slug: (self.framework_name(slug).lower(), slug))

    def framework_name(self, slug: str) -> str:
        return self.framework_names.get(slug, slug)

    def years_of(self, metric: str, slug: str) -> list[int]:
        return self.years.get(metric, {}).get(slug, [])

    @property
    def all_years(self) -> list[int]:
        return sorted({year for slugs in self.years.values() for years in slugs.values() for year in years})


def choices_for(*, audience: Audience) -> Choices:
    """The metrics, frameworks and years with anything released for the page (two queries)."""
    years: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for metric, slug, year in (
        GroupRelease.objects.filter(audience.release_filter(), board_id=audience.board_id)
        .values_list("metric", "framework_slug", "year")
        .distinct()
    ):
        years[metric][slug].add(year)
    slugs = {slug for per_slug in years.values() for slug in per_slug if slug}
    names = (
        dict(Framework.objects.filter(board_id=audience.board_id, slug__in=slugs).values_list("slug", "name"))
        if slugs
        else {}
    )
    return Choices(
        years={metric: {slug: sorted(found) for slug, found in per_slug.items()} for metric, per_slug in years.items()},
        framework_names=names,
    )


@dataclass(frozen=True)
class Selection:
    metric: str
    framework_slug: str
    year: int

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)


def selection_resolve(
    choices: Choices,
    *,
    today: datetime.date,
    metric: str | None = None,
    framework_slug: str | None = None,
    year: int | None = None,
) -> Selection:
    """The reader's choices, the rest filled in: the first metric and framework with figures, their latest year."""
    metric = metric or next(iter(choices.metrics), Metric.MEASUREMENT)
    frameworks = choices.frameworks(metric)
    if metric == Metric.CONVERSATIONS:
        framework_slug = ""
    elif not framework_slug:
        framework_slug = frameworks[0] if frameworks else ""
    if year is None:
        years = choices.years_of(metric, framework_slug)
        year = years[-1] if years else school_year_of(today)
    return Selection(metric=metric, framework_slug=framework_slug, year=year)


# --- the figures ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    value: int
    label: str

    @property
    def name(self) -> str:
        return f"{self.value} {self.label}".strip()


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str  # as shown: "D1 Pedagogisch handelen", "Development conversation: signed"


@dataclass
class DimensionFigures:
    """One dimension of one group and school year: people, records, mean and records per level."""

    dimension: Dimension
    people: int
    records: int
    total: Decimal
    counts: list[int]

    @property
    def mean(self) -> Decimal:
        return self.total / self.records if self.records else Decimal(0)


@dataclass
class GroupYear:
    """A group's released figures in one school year (None outside: withheld)."""

    year: int
    released_at: datetime.datetime
    figures: dict[str, DimensionFigures]

    @property
    def label(self) -> str:
        return school_year_label(self.year)


@dataclass
class GroupSeries:
    """One group over the school years: the board, a school or a team."""

    group: str
    name: str
    school: School | None = None
    years: dict[int, GroupYear] = field(default_factory=dict)

    def at(self, year: int) -> GroupYear | None:
        return self.years.get(year)


@dataclass(frozen=True)
class TrendRow:
    """One school year of a group: its figures per dimension in the page's order (None: not in that year)."""

    year: int
    entry: GroupYear | None
    cells: list[DimensionFigures | None]

    @property
    def label(self) -> str:
        return school_year_label(self.year)


@dataclass
class Insights:
    """Everything a page, its PDF, its CSV and the API show about one metric and framework."""

    audience: Audience
    choices: Choices
    selection: Selection
    levels: list[Level]
    dimensions: list[Dimension]
    main: GroupSeries
    years: list[int]  # the school years the page covers, oldest first (the trend)
    schools: list[GroupSeries] = field(default_factory=list)  # the board page: every school of the board
    last_refresh: RefreshRun | None = None
    threshold: int = 5

    @property
    def is_counts(self) -> bool:
        """Conversations are counted (value 1 per milestone): no mean, no distribution."""
        return self.selection.metric == Metric.CONVERSATIONS

    @property
    def metric_label(self) -> str:
        return str(Metric(self.selection.metric).label)

    @property
    def framework_name(self) -> str:
        return self.choices.framework_name(self.selection.framework_slug)

    @property
    def current(self) -> GroupYear | None:
        return self.main.at(self.selection.year)

    @property
    def previous(self) -> GroupYear | None:
        return self.main.at(self.selection.year - 1)

    @property
    def withheld_schools(self) -> list[GroupSeries]:
        return [series for series in self.schools if series.at(self.selection.year) is None]

    @property
    def shown_schools(self) -> list[GroupSeries]:
        return [series for series in self.schools if series.at(self.selection.year) is not None]

    @property
    def as_of(self) -> datetime.datetime | None:
        moments = [entry.released_at for series in (self.main, *self.schools) for entry in series.years.values()]
        return max(moments, default=None)

    def rows_of(self, entry: GroupYear | None) -> list[DimensionFigures]:
        """The entry's figures in the page's order of dimensions."""
        if entry is None:
            return []
        return [figures for dimension in self.dimensions if (figures := entry.figures.get(dimension.code))]

    @property
    def current_rows(self) -> list[DimensionFigures]:
        return self.rows_of(self.current)

    def trend_of(self, series: GroupSeries) -> list[TrendRow]:
        return [
            TrendRow(
                year=year,
                entry=(entry := series.at(year)),
                cells=[entry.figures.get(dimension.code) if entry else None for dimension in self.dimensions],
            )
            for year in self.years
        ]

    @property
    def trend(self) -> list[TrendRow]:
        return self.trend_of(self.main)

    @property
    def school_cells(self) -> list[tuple[GroupSeries, list[DimensionFigures | None]]]:
        """The shown schools in the chosen year, each with its figures per dimension (the board page's table)."""
        return [
            (series, [entry.figures.get(dimension.code) for dimension in self.dimensions])
            for series in self.schools
            if (entry := series.at(self.selection.year)) is not None
        ]

    def schools_for(self, code: str) -> list[tuple[GroupSeries, DimensionFigures]]:
        """The shown schools in the chosen year with their figures on one dimension."""
        return [
            (series, figures)
            for series in self.schools
            if (entry := series.at(self.selection.year)) is not None and (figures := entry.figures.get(code))
        ]

    @property
    def scale_min(self) -> int:
        return min((level.value for level in self.levels), default=1)

    @property
    def scale_max(self) -> int:
        return max((level.value for level in self.levels), default=4)


def _labels(*, board_id: int, metric: str, framework_slug: str) -> tuple[list[Dimension], list[Level]]:
    """Dimension names and levels as the newest published version of the framework has them (two queries)."""
    if metric == Metric.CONVERSATIONS:
        dimensions = [
            Dimension(f"{kind}:{milestone}", f"{label}: {MILESTONE_LABELS[milestone]}")
            for kind, label in ConversationKind.choices
            for milestone in MILESTONES
        ]
        return dimensions, [Level(1, "")]
    domains: dict[str, tuple[int, int, str]] = {}
    for code, name, position, number in (
        Domain.objects.filter(
            board_id=board_id, version__framework__slug=framework_slug, version__status=VersionStatus.PUBLISHED
        )
        .values_list("code", "name", "position", "version__number")
        .order_by("version__number")
    ):
        domains[code] = (number, position, name)
    newest = max((number for number, _position, _name in domains.values()), default=0)
    ordered = sorted(domains.items(), key=lambda item: (item[1][0] != newest, item[1][1], item[0]))
    levels: dict[int, tuple[int, str]] = {}
    for value, label, number in ScaleLevel.objects.filter(
        board_id=board_id, version__framework__slug=framework_slug, version__status=VersionStatus.PUBLISHED
    ).values_list("value", "label", "version__number"):
        if value not in levels or number >= levels[value][0]:
            levels[value] = (number, label)
    return (
        [Dimension(code, f"{code} {name}") for code, (_number, _position, name) in ordered],
        [Level(value, label) for value, (_number, label) in sorted(levels.items())],
    )


_RawKey = tuple[Any, int, str]  # (group id or None, year, dimension)


def _figures(
    *, board_id: int, kind: str, selection: Selection, ids: list[Any] | None, years: list[int] | None
) -> tuple[dict[_RawKey, tuple[int, int, Decimal]], dict[_RawKey, dict[int, int]]]:
    """Per group, year and dimension: (people, records, sum) and records per level; two queries."""
    rows = ContributionValue.objects.filter(
        board_id=board_id,
        contribution__metric=selection.metric,
        contribution__framework_slug=selection.framework_slug,
        **{_RELEASED[kind]: False},
    )
    group_field = _GROUP_FIELD[kind]
    if ids is not None and group_field is not None:
        rows = rows.filter(**{f"{group_field}__in": ids})
    if years is not None:
        rows = rows.filter(contribution__year__in=years)
    keys = [*([group_field] if group_field else []), "contribution__year", "dimension"]

    def key_of(row: dict[str, Any]) -> _RawKey:
        return (row[group_field] if group_field else None, row["contribution__year"], row["dimension"])

    totals = {
        key_of(row): (row["people"], row["records"], row["total"])
        for row in rows.values(*keys)
        .annotate(people=Count("contribution__person_id", distinct=True), records=Count("id"), total=Sum("value"))
        .order_by()
    }
    buckets: dict[_RawKey, dict[int, int]] = defaultdict(dict)
    for row in rows.values(*keys, "bucket").annotate(n=Count("id")).order_by():
        buckets[key_of(row)][row["bucket"]] = row["n"]
    return totals, buckets


def _series(
    series: dict[Any, GroupSeries],
    releases: dict[tuple[str, int], datetime.datetime],
    totals: dict[_RawKey, tuple[int, int, Decimal]],
    buckets: dict[_RawKey, dict[int, int]],
    *,
    group_of: Any,
    dimensions: dict[str, Dimension],
    levels: list[Level],
) -> None:
    """Fill each series with its released years (a year without a GroupRelease row stays withheld)."""
    for (ident, year, code), (people, records, total) in totals.items():
        target = series.get(ident)
        if target is None:
            continue
        released_at = releases.get((group_of(ident), year))
        if released_at is None:
            continue  # released units of a group always come with its release; never show without one
        entry = target.years.get(year)
        if entry is None:
            entry = target.years[year] = GroupYear(year=year, released_at=released_at, figures={})
        per_level = buckets.get((ident, year, code), {})
        entry.figures[code] = DimensionFigures(
            dimension=dimensions.get(code) or Dimension(code, code),
            people=people,
            records=records,
            total=Decimal(total),
            counts=[per_level.get(level.value, 0) for level in levels],
        )


def insights_for(
    *, audience: Audience, choices: Choices, selection: Selection, schools_all_years: bool = False
) -> Insights:
    """The page's figures: its group over every school year with figures, and on the board page each school
    in the chosen year (`schools_all_years`: in every year, for the CSV and the API). A fixed number of
    queries: labels 2, releases 1, the group 2, and on the board page the schools 1 + 2 and the last refresh 1.
    """
    board_id = audience.board_id
    dimension_list, levels = _labels(
        board_id=board_id, metric=selection.metric, framework_slug=selection.framework_slug
    )
    releases: dict[tuple[str, int], datetime.datetime] = {
        (group, year): released_at
        for group, year, released_at in GroupRelease.objects.filter(
            audience.release_filter(),
            board_id=board_id,
            metric=selection.metric,
            framework_slug=selection.framework_slug,
        ).values_list("group", "year", "released_at")
    }
    main = GroupSeries(group=audience.group, name=audience.name, school=audience.school)
    main_ids: list[Any] | None = None
    if audience.kind == SCHOOL and audience.school is not None:
        main_ids = [audience.school.pk]
    elif audience.kind == TEAM:
        main_ids = [audience.manager_id]
    totals, buckets = _figures(board_id=board_id, kind=audience.kind, selection=selection, ids=main_ids, years=None)
    # Levels outside the newest scale (an older version's) still count, under their own number.
    seen = {value for per_level in buckets.values() for value in per_level} - {level.value for level in levels}
    if seen and selection.metric != Metric.CONVERSATIONS:
        levels = sorted([*levels, *(Level(value, "") for value in seen)], key=lambda level: level.value)
    dimensions = {dimension.code: dimension for dimension in dimension_list}
    main_key = main_ids[0] if main_ids else None
    _series(
        {main_key: main},
        releases,
        totals,
        buckets,
        group_of=lambda _ident: audience.group,
        dimensions=dimensions,
        levels=levels,
    )
    schools: list[GroupSeries] = []
    last_refresh = None
    if audience.kind == BOARD:
        by_school = {
            school.pk: GroupSeries(group=school_group(school.pk), name=school.name, school=school)
            for school in School.objects.filter(board_id=board_id).order_by("name", "pk")
        }
        years = None if schools_all_years else [selection.year]
        school_totals, school_buckets = _figures(
            board_id=board_id, kind=SCHOOL, selection=selection, ids=None, years=years
        )
        _series(
            dict(by_school),
            releases,
            school_totals,
            school_buckets,
            group_of=school_group,
            dimensions=dimensions,
            levels=levels,
        )
        schools = list(by_school.values())
        last_refresh = RefreshRun.objects.filter(board_id=board_id).order_by("-started_at").first()
    used = {code for series in (main, *schools) for entry in series.years.values() for code in entry.figures}
    shown_dimensions = [dimension for dimension in dimension_list if dimension.code in used]
    shown_dimensions += [Dimension(code, code) for code in sorted(used - set(dimensions))]
    years_shown = sorted(
        set(choices.years_of(selection.metric, selection.framework_slug)) | {selection.year} | set(main.years)
    )
    return Insights(
        audience=audience,
        choices=choices,
        selection=selection,
        levels=levels,
        dimensions=shown_dimensions,
        main=main,
        years=years_shown,
        schools=schools,
        last_refresh=last_refresh,
        threshold=int(settings.AGGREGATE_MIN_GROUP_SIZE),
    )


def insights_all_for(*, audience: Audience, choices: Choices, today: datetime.date) -> list[Insights]:
    """Every metric and framework with figures for the page's groups, all years (the API without choices)."""
    return [
        insights_for(
            audience=audience,
            choices=choices,
            selection=selection_resolve(choices, today=today, metric=metric, framework_slug=slug),
            schools_all_years=True,
        )
        for metric in choices.metrics
        for slug in choices.frameworks(metric)
    ]
