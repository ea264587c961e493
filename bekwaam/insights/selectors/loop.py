"""The loop closes: low scores that can become a POP goal (filled in by the loop part; see docs/insights.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bekwaam.tenancy.context import Actor


@dataclass(frozen=True)
class LowScore:
    kind: str  # insights.models.OriginKind
    framework_slug: str
    code: str
    label: str
    value: Decimal
    scale_max: int
    source_id: str
    source_label: str  # e.g. "Lesbezoek 12-03-2026"


def low_scores_for(*, actor: Actor) -> list[LowScore]:
    """The actor's own lowest recent scores (kijkwijzer items, measurement indicators, 360° competences)."""
    return []
