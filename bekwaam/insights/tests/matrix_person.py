"""Authorization matrix cases for the person part of insights (merged by matrix_cases.py)."""

from __future__ import annotations

from bekwaam.tenancy.tests.matrix import Case

MATRIX: dict[str, list[Case]] = {}
