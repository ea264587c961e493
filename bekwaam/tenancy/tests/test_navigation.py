"""The main navigation marks the one item the page belongs to: the longest item URL the path starts with."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_items(client: Any, path: str) -> list[str]:
    page = client.get(path).content.decode()
    nav = page[page.index('class="main-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page"', nav)


@pytest.mark.parametrize(
    ("path_name", "current"),
    [
        ("observations:calibration-overview", "observations:calibration-overview"),
        ("observations:visit-list", "observations:visit-list"),
        ("quality:board-overview", "quality:home"),
        ("tenancy:board-home", "tenancy:board-home"),
    ],
)
def test_exactly_the_item_of_the_page_is_current(world: Any, client_for: Any, path_name: str, current: str) -> None:
    client = client_for(world.quality_officer)
    assert current_items(client, reverse(path_name)) == [reverse(current)]
