"""Authorization matrix cases for the register pages."""

from __future__ import annotations

from bekwaam.tenancy.tests.matrix import Case

MATRIX: dict[str, list[Case]] = {}
