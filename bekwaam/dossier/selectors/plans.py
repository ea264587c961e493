"""Reads for the dossier's plans."""

from __future__ import annotations

from typing import Any

from bekwaam.tenancy.context import Actor


def plan_overview_for(*, actor: Actor) -> dict[str, Any]:
    """Context for the dossier overview's plans card (template dossier/_overview_plans.html)."""
    return {}
