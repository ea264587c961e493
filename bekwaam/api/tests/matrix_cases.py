"""Authorization matrix cases for the API (its own part)."""

from __future__ import annotations

from bekwaam.tenancy.tests.matrix import Case

MATRIX: dict[str, list[Case]] = {}
