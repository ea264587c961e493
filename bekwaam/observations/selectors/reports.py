"""The team report (one school, one period, one kijkwijzer) and the board's calibration overview.

Both are computed by the database (values + annotate Count/Avg) in a fixed number of queries, whatever
the number of visits: the tests count them.

What a team report counts: lesson visits (kind visit, not a second observer's calibration scoring) at the
school, put forward (or acknowledged), dated in the period, scored with any version of the chosen
kijkwijzer; items are matched across versions by their code and named as in the newest version that has
them. Scores of "not seen" (no value) are not counted.

Anonymity: the report names no teacher, except in the list of the visits the viewer may open anyway
(observations_visible_to). When it covers fewer than settings.AGGREGATE_MIN_GROUP_SIZE distinct teachers
and the viewer may not see every visit in it (a bestuurder sees none), its figures are withheld: with
four teachers a distribution can show one teacher's scores. The previous period (for the trend) follows
the same rule on its own. Such a viewer also gets whole school years only: comparing two overlapping
custom periods would show the scores of a teacher visited in the days between them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from bekwaam.accounts.models import Person
from bekwaam.frameworks.models import Competence, Framework, FrameworkKind, ScaleLevel, VersionStatus
from bekwaam.lib.dates import SCHOOL_YEAR_START_MONTH, school_year_bounds, school_year_label, school_year_of
from bekwaam.observations.calibration import Agreement, agreement_of, confusion_merge, confusion_transpose
from bekwaam.observations.models import PUT_FORWARD_STATES, Observation, ObservationKind, ObservationScore
from bekwaam.observations.selectors import observations_visible_to
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School

HIGHLIGHTS = 3  # strengths and points to work on: at most this many of each


# --- period ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    start: datetime.date
    end: datetime.date
    year: int | None = None  # set when the period is a whole school year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.year is not None:
            return school_year_label(self.year)
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"

    @property
    def previous(self) -> ReportPeriod:
        """The period of the same length just before: the previous school year for a school year."""
        if self.year is not None:
            start, end = school_year_bounds(self.year - 1)
            return ReportPeriod(start=start, end=end, year=self.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return ReportPeriod(start=end - datetime.timedelta(days=self.days - 1), end=end)


def report_period(
    *,
    today: datetime.date,
    year: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ReportPeriod:
    """From/to when either is given (the other filled in from the school year), else a school year (default: now)."""
    if start is None and end is None:
        chosen = year if year is not None else school_year_of(today)
        first, last = school_year_bounds(chosen)
        return ReportPeriod(start=first, end=last, year=chosen)
    if start is None and end is not None:
        start = school_year_bounds(school_year_of(end))[0]
    assert start is not None  # noqa: S101  # narrowed for mypy: one of the two was given
    if end is None:
        end = today if today >= start else school_year_bounds(school_year_of(start))[1]
    return ReportPeriod(start=start, end=end)


# --- the kijkwijzer ------------------------------------------------------------------------------------


def report_frameworks_for(*, actor: Actor) -> list[Framework]:
    """The board's kijkwijzers with at least one published version (the report's choice)."""
    return list(
        Framework.objects.filter(
            board_id=actor.board_pk, kind=FrameworkKind.OBSERVATION, versions__status=VersionStatus.PUBLISHED
        )
        .distinct()
        .order_by("name")
    )


def _visits(*, school: School, period: ReportPeriod) -> QuerySet[Observation]:
    """The visits a report counts: put-forward lesson visits at the school in the period (any kijkwijzer)."""
    return Observation.objects.filter(
        board_id=school.board_id,
        school=school,
        kind=ObservationKind.VISIT,
        calibrates__isnull=True,
        state__in=PUT_FORWARD_STATES,
        date__gte=period.start,
        date__lte=period.end,
    )


def report_default_framework(*, school: School, period: ReportPeriod, frameworks: list[Framework]) -> Framework | None:
    """The kijkwijzer with the most visits in the period (ties: by name); the first one when none was used."""
    if not frameworks:
        return None
    used = dict(
        _visits(school=school, period=period)
        .filter(instrument__framework__in=frameworks)
        .values_list("instrument__framework_id")
        .annotate(n=Count("id"))
        .values_list("instrument__framework_id", "n")
    )
    # max() keeps the first of equals, and the frameworks come sorted by name.
    return max(frameworks, key=lambda framework: used.get(framework.pk, 0))


# --- figures ---------------------------------------------------------------------------------------------


@dataclass
class ItemFigures:
    code: str
    name: str
    counts: list[int]  # per scale value, in the order of TeamReport.scale
    total: int
    mean: float | None
    previous_mean: float | None = None

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass
class DomainFigures:
    code: str
    name: str
    items: list[ItemFigures]
    counts: list[int]
    total: int
    mean: float | None
    previous_mean: float | None = None
    previous_total: int = 0

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return round(self.mean, 1) - round(self.previous_mean, 1)


@dataclass(frozen=True)
class Totals:
    visits: int
    teachers: int
    groups: int
    visible: int  # how many of the visits the viewer may open


@dataclass
class TeamReport:
    school: School
    framework: Framework | None
    period: ReportPeriod
    previous_period: ReportPeriod
    threshold: int
    scale: list[tuple[int, str]] = field(default_factory=list)
    totals: Totals = Totals(0, 0, 0, 0)
    previous_totals: Totals = Totals(0, 0, 0, 0)
    withheld: bool = False
    previous_withheld: bool = False
    # Withheld because the period is not a whole school year (see team_report_for), not for too few teachers.
    needs_school_year: bool = False
    domains: list[DomainFigures] = field(default_factory=list)
    strengths: list[ItemFigures] = field(default_factory=list)
    work_on: list[ItemFigures] = field(default_factory=list)
    visible_visits: list[Observation] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.totals.visits == 0

    @property
    def shows_figures(self) -> bool:
        return not self.is_empty and not self.withheld

    @property
    def has_trend(self) -> bool:
        return self.previous_totals.visits > 0 and not self.previous_withheld

    @property
    def scale_min(self) -> int:
        return min((value for value, _label in self.scale), default=1)

    @property
    def scale_max(self) -> int:
        return max((value for value, _label in self.scale), default=4)

    @property
    def items(self) -> list[ItemFigures]:
        return [item for domain in self.domains for item in domain.items]


def _totals(visits: QuerySet[Observation], visible: QuerySet[Observation]) -> Totals:
    row = visits.aggregate(
        visits=Count("id"),
        teachers=Count("teacher_id", distinct=True),
        groups=Count("group", distinct=True),
        visible=Count("id", filter=Q(pk__in=visible.values("pk"))),
    )
    return Totals(visits=row["visits"], teachers=row["teachers"], groups=row["groups"], visible=row["visible"])


def _withheld(totals: Totals, threshold: int) -> bool:
    """Too few teachers to be anonymous, for a viewer who may not open every visit anyway."""
    return 0 < totals.teachers < threshold and totals.visible < totals.visits


@dataclass(frozen=True)
class _Item:
    code: str
    name: str
    domain_code: str
    domain_name: str
    order: tuple[int, int, str]


def _framework_items(framework: Framework) -> tuple[list[_Item], list[tuple[int, str]]]:
    """Every item code of the framework's published versions, named as in the newest version that has it,
    in the newest version's order (older codes after); and the newest version's scale (two queries)."""
    rows = (
        Competence.objects.filter(version__framework=framework, version__status=VersionStatus.PUBLISHED)
        .values_list("code", "name", "position", "domain__code", "domain__name", "domain__position", "version__number")
        .order_by("version__number")
    )
    newest: dict[str, tuple[Any, ...]] = {}
    latest_number = 0
    for row in rows:
        newest[row[0]] = row  # later versions overwrite
        latest_number = max(latest_number, row[6])
    items = [
        _Item(
            code=code,
            name=name,
            domain_code=domain_code,
            domain_name=domain_name,
            order=(0 if number == latest_number else 1, domain_position * 10_000 + position, code),
        )
        for code, name, position, domain_code, domain_name, domain_position, number in newest.values()
    ]
    items.sort(key=lambda item: item.order)
    levels = ScaleLevel.objects.filter(
        version__framework=framework, version__status=VersionStatus.PUBLISHED
    ).values_list("value", "label", "version__number")
    scale: dict[int, tuple[int, str]] = {}
    for value, label, number in levels:
        if value not in scale or number >= scale[value][0]:
            scale[value] = (number, label)
    return items, [(value, label) for value, (_number, label) in sorted(scale.items())]


def _mean(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    return None if total == 0 else sum(value * n for value, n in counts.items()) / total


def _highlights(items: list[ItemFigures]) -> tuple[list[ItemFigures], list[ItemFigures]]:
    """Strengths (highest means) and points to work on (lowest), never the same item in both."""
    scored = [item for item in items if item.mean is not None]
    size = min(HIGHLIGHTS, len(scored) // 2)
    if size == 0:
        return [], []
    high = sorted(scored, key=lambda item: (-(item.mean or 0), item.code))[:size]
    low = sorted(scored, key=lambda item: (item.mean or 0, item.code))[:size]
    return high, low


def team_report_for(*, actor: Actor, school: School, framework: Framework | None, period: ReportPeriod) -> TeamReport:
    """The team report as the actor may see it (figures withheld below the anonymity threshold, see above)."""
    threshold = int(settings.AGGREGATE_MIN_GROUP_SIZE)
    previous = period.previous
    report = TeamReport(
        school=school, framework=framework, period=period, previous_period=previous, threshold=threshold
    )
    if framework is None:
        return report
    visible = observations_visible_to(actor=actor)
    now = _visits(school=school, period=period).filter(instrument__framework=framework)
    before = _visits(school=school, period=previous).filter(instrument__framework=framework)
    report.totals = _totals(now, visible)
    report.previous_totals = _totals(before, visible)
    # Differencing: two overlapping custom periods, each above the threshold, could single out the one teacher
    # visited in between. A viewer who may not open every visit gets whole school years only.
    report.needs_school_year = period.year is None and report.totals.visible < report.totals.visits
    report.withheld = report.needs_school_year or _withheld(report.totals, threshold)
    report.previous_withheld = report.needs_school_year or _withheld(report.previous_totals, threshold)
    if report.totals.visits:
        report.visible_visits = list(
            visible.filter(pk__in=now.values("pk")).select_related("teacher", "observer").order_by("date", "pk")
        )
    if not report.shows_figures:
        return report

    items, scale = _framework_items(framework)
    distribution: dict[str, dict[int, int]] = defaultdict(dict)
    for code, value, n in (
        ObservationScore.objects.filter(board_id=school.board_id, observation__in=now, value__isnull=False)
        .values_list("item__code", "value")
        .annotate(n=Count("id"))
        .values_list("item__code", "value", "n")
    ):
        if value is not None:  # filtered out above; narrowed for the type checker
            distribution[code][value] = n
    previous_means: dict[str, tuple[float, int]] = {}
    if report.has_trend:
        previous_means = {
            code: (float(mean), n)
            for code, mean, n in ObservationScore.objects.filter(
                board_id=school.board_id, observation__in=before, value__isnull=False
            )
            .values_list("item__code")
            .annotate(mean=Avg("value"), n=Count("id"))
            .values_list("item__code", "mean", "n")
        }
    # A value outside the newest scale (an older version's) still counts, under its own number.
    seen = {value for counts in distribution.values() for value in counts}
    scale_values = sorted({value for value, _label in scale} | seen)
    labels = dict(scale)
    report.scale = [(value, labels.get(value, str(value))) for value in scale_values]

    known = {item.code for item in items}
    extra = sorted(code for code in distribution if code not in known)
    domains: dict[str, DomainFigures] = {}
    for item in items + [_Item(code, code, "?", str(_("Other items")), (2, 0, code)) for code in extra]:
        counts = distribution.get(item.code, {})
        if item.order[0] == 1 and not counts:
            continue  # an item of an older version nobody scored in this period
        previous_mean, previous_n = previous_means.get(item.code, (None, 0))
        figures = ItemFigures(
            code=item.code,
            name=item.name,
            counts=[counts.get(value, 0) for value in scale_values],
            total=sum(counts.values()),
            mean=_mean(counts),
            previous_mean=previous_mean,
        )
        domain = domains.get(item.domain_code)
        if domain is None:
            domain = domains[item.domain_code] = DomainFigures(
                code=item.domain_code,
                name=item.domain_name,
                items=[],
                counts=[0] * len(scale_values),
                total=0,
                mean=None,
            )
        domain.items.append(figures)
        domain.counts = [a + b for a, b in zip(domain.counts, figures.counts, strict=True)]
        domain.total += figures.total
        if previous_n:
            weighted = (domain.previous_mean or 0) * domain.previous_total + (previous_mean or 0) * previous_n
            domain.previous_total += previous_n
            domain.previous_mean = weighted / domain.previous_total
    for domain in domains.values():
        domain.mean = _mean(dict(zip(scale_values, domain.counts, strict=True)))
    report.domains = list(domains.values())
    report.strengths, report.work_on = _highlights(report.items)
    return report


# --- the board's calibration overview -------------------------------------------------------------------


def school_year_expression(field_name: str) -> Case:
    """The school year (the calendar year it began) of a date column, computed by the database."""
    return Case(
        When(**{f"{field_name}__month__gte": SCHOOL_YEAR_START_MONTH}, then=ExtractYear(field_name)),
        default=ExtractYear(field_name) - 1,
        output_field=IntegerField(),
    )


KAPPA_BANDS: tuple[tuple[float, Any], ...] = (
    # Landis & Koch (1977), the usual reading of kappa; a rule of thumb, not a verdict.
    (0.0, _("poor")),
    (0.20, _("slight")),
    (0.40, _("fair")),
    (0.60, _("moderate")),
    (0.80, _("substantial")),
    (1.0, _("almost perfect")),
)


def kappa_band(kappa: float | None) -> Any:
    """Landis & Koch's words for a kappa: below 0 poor, up to .20 slight, .40 fair, .60 moderate, .80
    substantial, above that almost perfect."""
    if kappa is None:
        return ""
    if kappa < 0:
        return KAPPA_BANDS[0][1]
    for upper, label in KAPPA_BANDS[1:]:
        if kappa <= upper:
            return label
    return KAPPA_BANDS[-1][1]


@dataclass
class ObserverYear:
    """One observer's calibrations in one school year, against whoever their partners were."""

    person_id: Any
    name: str
    year: int
    visits: int
    partners: list[str]
    agreement: Agreement

    @property
    def band(self) -> Any:
        return kappa_band(self.agreement.kappa)


@dataclass
class CalibrationYear:
    year: int
    observers: list[ObserverYear]
    board: Agreement  # every pair of the year pooled (each calibrated visit once)
    visits: int

    @property
    def label(self) -> str:
        return school_year_label(self.year)

    @property
    def band(self) -> Any:
        return kappa_band(self.board.kappa)


def calibration_overview_for(*, actor: Actor) -> list[CalibrationYear]:
    """Per school year (newest first) and observer: calibrated visits, exact agreement and kappa against their
    partners, from score pairs counted by the database (four queries, however many visits)."""
    board_id = actor.board_pk
    both_forward = Q(
        board_id=board_id,
        kind=ObservationKind.VISIT,
        calibrates__isnull=False,
        state__in=PUT_FORWARD_STATES,
        calibrates__state__in=PUT_FORWARD_STATES,
    )
    first_value = Subquery(
        ObservationScore.objects.filter(
            observation_id=OuterRef("observation__calibrates_id"), item_id=OuterRef("item_id")
        ).values("value")[:1]
    )
    pairs = (
        ObservationScore.objects.filter(
            board_id=board_id,
            value__isnull=False,
            observation__in=Observation.objects.filter(both_forward).values("pk"),
        )
        .annotate(first=first_value, year=school_year_expression("observation__date"))
        .filter(first__isnull=False)
        .values("observation__calibrates__observer_id", "observation__observer_id", "year", "first", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    visits = (
        Observation.objects.filter(both_forward)
        .annotate(year=school_year_expression("date"))
        .values("calibrates__observer_id", "observer_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    # (year, observer, partner) → the observer's confusion table against that partner: (own, partner's) → n
    tables: dict[tuple[int, Any, Any], dict[tuple[int, int], int]] = defaultdict(dict)
    for row in pairs:
        key = (row["year"], row["observation__calibrates__observer_id"], row["observation__observer_id"])
        cell = (row["first"], row["value"])
        tables[key][cell] = tables[key].get(cell, 0) + row["n"]
    counts: dict[tuple[int, Any, Any], int] = defaultdict(int)
    for row in visits:
        counts[(row["year"], row["calibrates__observer_id"], row["observer_id"])] += row["n"]

    people = {
        person.pk: person.full_name
        for person in Person.objects.filter(
            pk__in={first for _y, first, _s in counts} | {second for _y, _f, second in counts}
        )
    }
    per_observer: dict[tuple[int, Any], dict[str, Any]] = {}
    years: dict[int, dict[str, Any]] = {}
    scale_values: list[int] = sorted({v for table in tables.values() for cell in table for v in cell})
    for (year, first, second), n in counts.items():
        table = tables.get((year, first, second), {})
        year_entry = years.setdefault(year, {"tables": [], "visits": 0})
        year_entry["tables"].append(table)
        year_entry["visits"] += n
        for me, partner, mine in ((first, second, table), (second, first, confusion_transpose(table))):
            entry = per_observer.setdefault((year, me), {"tables": [], "visits": 0, "partners": set()})
            entry["tables"].append(mine)
            entry["visits"] += n
            entry["partners"].add(people.get(partner, "?"))
    result: list[CalibrationYear] = []
    for year in sorted(years, reverse=True):
        observers = [
            ObserverYear(
                person_id=person_id,
                name=people.get(person_id, "?"),
                year=year,
                visits=entry["visits"],
                partners=sorted(entry["partners"]),
                agreement=agreement_of(confusion_merge(*entry["tables"]), scale_values),
            )
            for (entry_year, person_id), entry in per_observer.items()
            if entry_year == year
        ]
        observers.sort(key=lambda row: row.name)
        result.append(
            CalibrationYear(
                year=year,
                observers=observers,
                board=agreement_of(confusion_merge(*years[year]["tables"]), scale_values),
                visits=years[year]["visits"],
            )
        )
    return result
