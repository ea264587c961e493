"""Reads for the dossier's assessments."""

from __future__ import annotations

from typing import Any

from bekwaam.tenancy.context import Actor


def assessment_overview_for(*, actor: Actor) -> dict[str, Any]:
    """Context for the dossier overview's assessments card (template dossier/_overview_assessments.html)."""
    return {}
