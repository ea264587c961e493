"""The trajectories app's authorization matrix cases, one module per part."""

from __future__ import annotations

from bekwaam.tenancy.tests.matrix import Case
from bekwaam.trajectories.tests import matrix_candidate, matrix_decision, matrix_provider

MATRIX: dict[str, list[Case]] = {**matrix_candidate.MATRIX, **matrix_provider.MATRIX, **matrix_decision.MATRIX}
