"""Reads of register data: the themes other apps need, and a school leader's own periods and activities.

A period is the school leader's own record: every read filters on the actor's person at the active board,
so another person's period or activity is not found (404), whoever asks. Totals are summed in SQL, in a
fixed number of queries however many activities a period holds.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from bekwaam.register import points as rules
from bekwaam.register.models import Activity, ActivityKind, LeadershipPractice, RegistrationPeriod, Theme
from bekwaam.tenancy.context import Actor


def theme_list_current(*, year: int | None = None) -> QuerySet[Theme]:
    """Themes valid in the given year (this year by default), by name."""
    year = year or timezone.localdate().year
    return Theme.objects.filter(Q(first_year__lte=year), Q(last_year__isnull=True) | Q(last_year__gte=year))


def theme_choices_for_period(*, period: RegistrationPeriod) -> QuerySet[Theme]:
    """Themes valid in at least one year of the period, by name (the activity's own year is checked on saving)."""
    return Theme.objects.filter(
        Q(first_year__lte=period.end_date.year),
        Q(last_year__isnull=True) | Q(last_year__gte=period.start_date.year),
    ).order_by("name")


# --- periods -----------------------------------------------------------------------------------------------


# A revoked certificate's activity stays listed, marked, but no longer counts.
COUNTED = Q(certificate__isnull=True) | Q(certificate__revoked_at__isnull=True)


def _points_of_period() -> Subquery:
    return Subquery(
        Activity.objects.filter(COUNTED, period=OuterRef("pk"))
        .order_by()
        .values("period")
        .annotate(total=Sum("points"))
        .values("total")[:1],
        output_field=IntegerField(),
    )


def _themes_of_period() -> Subquery:
    return Subquery(
        Activity.objects.filter(COUNTED, period=OuterRef("pk"))
        .order_by()
        .values("period")
        .annotate(themes_count=Count("themes", distinct=True))
        .values("themes_count")[:1],
        output_field=IntegerField(),
    )


def with_totals(periods: QuerySet[RegistrationPeriod]) -> QuerySet[RegistrationPeriod]:
    """The periods with `points_total` and `theme_total` (different themes) summed in SQL, one row each."""
    return periods.annotate(
        points_total=Coalesce(_points_of_period(), Value(0)),
        theme_total=Coalesce(_themes_of_period(), Value(0)),
    )


def period_list_for(*, actor: Actor) -> QuerySet[RegistrationPeriod]:
    """The actor's own periods at the active board, newest first, with `points_total` and `theme_total`."""
    own = RegistrationPeriod.objects.filter(board_id=actor.board_pk, person=actor.person)
    return with_totals(own).order_by("-start_date")


def period_get_for(*, actor: Actor, period_id: uuid.UUID) -> RegistrationPeriod:
    """One of the actor's own periods (with its totals); 404 for anyone else's, or none."""
    period = period_list_for(actor=actor).filter(pk=period_id).first()
    if period is None:
        raise Http404
    return period


def standing_of(period: RegistrationPeriod, *, today: datetime.date | None = None) -> rules.PeriodStanding:
    """The period's standing on `today`, from the totals period_list_for annotated."""
    return rules.period_standing(
        start_date=period.start_date,
        end_date=period.end_date,
        today=today or timezone.localdate(),
        points=int(getattr(period, "points_total", 0) or 0),
        points_required=period.points_required,
        distinct_themes=int(getattr(period, "theme_total", 0) or 0),
    )


@dataclass
class PeriodRow:
    period: RegistrationPeriod
    standing: rules.PeriodStanding


def periods_overview_for(
    *, actor: Actor, today: datetime.date | None = None
) -> tuple[PeriodRow | None, list[PeriodRow]]:
    """The current period (the latest begun by today; else the first still to come) and the others, newest first."""
    today = today or timezone.localdate()
    rows = [PeriodRow(period, standing_of(period, today=today)) for period in period_list_for(actor=actor)]
    begun = [row for row in rows if row.period.start_date <= today]
    current = begun[0] if begun else (rows[-1] if rows else None)
    return current, [row for row in rows if row is not current]


def period_proposed_start(*, actor: Actor) -> datetime.date | None:
    """The day after the actor's latest period ends: the next period starts then, however late it is renewed."""
    latest = RegistrationPeriod.objects.filter(board_id=actor.board_pk, person=actor.person).order_by("-end_date")
    end = latest.values_list("end_date", flat=True).first()
    return end + datetime.timedelta(days=1) if end else None


# --- one period's totals -----------------------------------------------------------------------------------


@dataclass
class TotalRow:
    """Activities and points for one theme or leadership practice (an activity counts under each it names)."""

    key: str
    label: str
    activities: int
    points: int


@dataclass
class PeriodSummary:
    period: RegistrationPeriod
    standing: rules.PeriodStanding
    points_total: int
    pre_points: int
    pre_count: int
    retro_points: int
    retro_count: int
    from_certificates: int
    themes: list[TotalRow] = field(default_factory=list)
    practices: list[TotalRow] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    @property
    def activity_count(self) -> int:
        return self.pre_count + self.retro_count


def _practice_filter(code: str) -> Q:
    # The list is stored as JSON text; the codes are a closed list that cannot contain one another
    # with their quotes ("LP1", "PL"), and a text match works the same on SQLite and PostgreSQL.
    return Q(practices_text__contains=f'"{code}"')


def period_summary_for(
    *, actor: Actor, period: RegistrationPeriod, today: datetime.date | None = None
) -> PeriodSummary:
    """The period's totals (overall, pre/retro, per theme, per leadership practice) and its activities.

    Four queries for the totals and activities (with their themes), whatever the number of activities.
    """
    if period.person_id != actor.person.pk:  # a caller's slip, never a way in
        raise Http404
    activities = Activity.objects.filter(period=period)
    aggregates: dict[str, Any] = {
        "total": Sum("points"),
        "pre_points": Sum("points", filter=Q(kind=ActivityKind.PRE_ACCREDITED)),
        "pre_count": Count("pk", filter=Q(kind=ActivityKind.PRE_ACCREDITED)),
        "retro_points": Sum("points", filter=Q(kind=ActivityKind.RETRO_ASSESSED)),
        "retro_count": Count("pk", filter=Q(kind=ActivityKind.RETRO_ASSESSED)),
        "from_certificates": Count("pk", filter=Q(certificate__isnull=False)),
    }
    for code in LeadershipPractice.values:
        aggregates[f"lp_count_{code}"] = Count("pk", filter=_practice_filter(code))
        aggregates[f"lp_points_{code}"] = Sum("points", filter=_practice_filter(code))
    totals = (
        activities.filter(COUNTED)
        .annotate(practices_text=Cast("leadership_practices", CharField()))
        .aggregate(**aggregates)
    )

    through = Activity.themes.through
    theme_rows = list(
        through.objects.filter(activity__period=period)
        .filter(Q(activity__certificate__isnull=True) | Q(activity__certificate__revoked_at__isnull=True))
        .values("theme_id", "theme__name")
        .annotate(activities=Count("activity_id"), points=Sum("activity__points"))
        .order_by("-points", "theme__name")
    )
    themes = [
        TotalRow(key=str(row["theme_id"]), label=row["theme__name"], activities=row["activities"], points=row["points"])
        for row in theme_rows
    ]
    practices = [
        TotalRow(
            key=code,
            label=str(label),
            activities=totals[f"lp_count_{code}"],
            points=totals[f"lp_points_{code}"] or 0,
        )
        for code, label in LeadershipPractice.choices
    ]
    points_total = totals["total"] or 0
    standing = rules.period_standing(
        start_date=period.start_date,
        end_date=period.end_date,
        today=today or timezone.localdate(),
        points=points_total,
        points_required=period.points_required,
        distinct_themes=len(themes),
    )
    listed = list(
        activities.select_related("certificate").prefetch_related("themes").order_by("-completed_on", "title")
    )
    return PeriodSummary(
        period=period,
        standing=standing,
        points_total=points_total,
        pre_points=totals["pre_points"] or 0,
        pre_count=totals["pre_count"],
        retro_points=totals["retro_points"] or 0,
        retro_count=totals["retro_count"],
        from_certificates=totals["from_certificates"],
        themes=themes,
        practices=practices,
        activities=listed,
    )


# --- activities --------------------------------------------------------------------------------------------


def activity_get_for(*, actor: Actor, activity_id: uuid.UUID) -> Activity:
    """One activity of the actor's own periods at the active board (with its period and themes); 404 otherwise."""
    activity = (
        Activity.objects.filter(board_id=actor.board_pk, period__person=actor.person, pk=activity_id)
        .select_related("period")
        .prefetch_related("themes")
        .first()
    )
    if activity is None:
        raise Http404
    return activity
