"""Reads for the dossier's portfolio."""

from __future__ import annotations

from typing import Any

from bekwaam.tenancy.context import Actor


def portfolio_overview_for(*, actor: Actor) -> dict[str, Any]:
    """Context for the dossier overview's portfolio card (template dossier/_overview_portfolio.html)."""
    return {}
