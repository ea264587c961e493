"""Reads of register data that other apps need."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from bekwaam.register.models import Theme


def theme_list_current(*, year: int | None = None) -> QuerySet[Theme]:
    """Themes valid in the given year (this year by default), by name."""
    year = year or timezone.localdate().year
    return Theme.objects.filter(Q(first_year__lte=year), Q(last_year__isnull=True) | Q(last_year__gte=year))
