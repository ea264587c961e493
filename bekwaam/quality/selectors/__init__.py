"""Shared reads of the quality app: the current onderzoekskader and a school in the actor's reach."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from bekwaam.quality.models import InspectionFramework
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import authorize


def framework_valid_on(day: datetime.date) -> InspectionFramework | None:
    """The onderzoekskader in force on `day` (the latest whose valid_from has passed); None before all of them."""
    return InspectionFramework.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def current_framework() -> InspectionFramework:
    """The onderzoekskader in force today; 404 when none is loaded."""
    framework = framework_valid_on(timezone.localdate())
    if framework is None:
        raise Http404
    return framework


def school_get_for(*, actor: Actor, school_id: int, edit: bool = False) -> School:
    """A school of the actor's board that the quality rules let them see (or record for); 404 otherwise."""
    school = School.objects.filter(pk=school_id, board_id=actor.board_pk).first()
    if school is None:
        raise Http404
    try:
        authorize(actor, "quality.edit_school" if edit else "quality.view_school", school)
    except PermissionDenied:
        raise Http404 from None
    return school
