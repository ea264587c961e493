"""Calibration: two observers of one lesson compared. Placeholder until the reports helper fills it in."""

from __future__ import annotations

from typing import Any

from bekwaam.observations.models import Observation
from bekwaam.tenancy.context import Actor


def calibration_panel_for(*, actor: Actor, observation: Observation) -> dict[str, Any] | None:
    """Context for templates/observations/_calibration_panel.html on a visit page, or None to show nothing."""
    return None
