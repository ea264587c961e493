"""Small template filters shared by every app."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int:
    """A duration in whole minutes, rounded up (a lockout of 29.5 minutes reads as 30)."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)
