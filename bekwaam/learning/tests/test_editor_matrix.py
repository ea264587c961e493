"""The author pages' authorization matrix cases (matrix_editor.py), one test per URL name.

The project-wide matrix test runs them too, grouped with other URLs; here each URL fails on its own.
"""

from __future__ import annotations

from typing import Any

import pytest

from bekwaam.learning.tests.matrix_editor import MATRIX
from bekwaam.tenancy.tests.matrix import run_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_gives_each_persona_the_expected_outcome_on_author_pages(world: Any, name: str) -> None:
    problems = [problem for case in MATRIX[name] for problem in run_case(world, case)]
    assert not problems, "\n".join(problems)
