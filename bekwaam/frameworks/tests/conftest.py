"""Fixtures of the framework tests: messages in English (the msgids), actors of the world's personas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from bekwaam.tenancy.context import Actor, actor_for


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Compare messages with their English msgids; the Dutch ones come from the .po file later."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin_a(world: Any) -> Actor:
    return actor_for(world.administrator, None)


@pytest.fixture
def admin_b(world: Any) -> Actor:
    return actor_for(world.outsider_admin, None)
