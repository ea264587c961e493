"""The shipped professionaliseringsthema's and their years of validity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bekwaam.register.models import Theme
from bekwaam.register.selectors import theme_list_current

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[1] / "defaults" / "themes.json"


def test_it_ships_every_theme_of_the_defaults_file() -> None:
    codes = {row["code"] for row in json.loads(SHIPPED.read_text(encoding="utf-8"))["themes"]}
    assert set(Theme.objects.values_list("code", flat=True)) >= codes
    assert Theme.objects.get(code="kansenongelijkheid").first_year == 2021


def test_it_lists_only_themes_valid_in_the_year() -> None:
    Theme.objects.create(code="oud-thema", name="Oud thema", first_year=2014, last_year=2019)
    Theme.objects.create(code="nieuw-thema", name="Nieuw thema", first_year=2030)
    in_2018 = set(theme_list_current(year=2018).values_list("code", flat=True))
    in_2025 = set(theme_list_current(year=2025).values_list("code", flat=True))
    assert "oud-thema" in in_2018 and "oud-thema" not in in_2025
    assert "pedagogisch-leiderschap" in in_2025 and "pedagogisch-leiderschap" not in in_2018
    assert "nieuw-thema" not in in_2025
