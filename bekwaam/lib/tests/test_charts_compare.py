"""The grouped bar chart (lib/charts.grouped_bar_chart): valid accessible SVG, series told apart by more than
colour, values written as the tables write them, safe with odd input."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parses only markup these tests generate

import pytest
from django.utils import translation

from bekwaam.lib.charts import (
    SERIES_COLOURS,
    WIDTH,
    GroupedRow,
    contrast_ratio,
    grouped_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314  # our own markup, not untrusted input


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def chart(**options: object) -> str:
    arguments: dict[str, object] = {
        "chart_id": "grouped",
        "title": "Gemiddeld niveau per domein",
        "description": "Drie metingen naast elkaar",
        "series": ["Nulmeting 01-09-2024", "Meting 01-03-2025", "Meting 01-09-2025"],
        "rows": [GroupedRow("D1 Domein 1", [2.0, 2.5, 3.25]), GroupedRow("D2 Domein 2", [1.5, None, 4.0])],
        "maximum": 4,
    }
    arguments.update(options)
    return grouped_bar_chart(**arguments)  # type: ignore[arg-type]


def test_it_draws_a_group_of_bars_per_row_as_accessible_svg() -> None:
    with translation.override("nl"):
        markup = chart(empty_text="niet gemeten")
    root = parse(markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "grouped-title"
    assert root.get("aria-describedby") == "grouped-desc"
    assert root.find(f"{SVG}title").text == "Gemiddeld niveau per domein"
    assert root.find(f"{SVG}desc").text == "Drie metingen naast elkaar"
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
    shown = texts(root)
    # The legend names each series with its key; each bar carries its key and its value, in Dutch notation.
    assert "A – Nulmeting 01-09-2024" in shown
    assert "C – Meting 01-09-2025" in shown
    values = [t.text for t in root.findall(f".//{SVG}text[@class='chart__value']")]
    assert values == ["A 2,0", "B 2,5", "C 3,3", "A 1,5", "C 4,0"]  # 3.25 half up, as floatformat:1
    assert "B: niet gemeten" in shown
    bars = root.findall(f".//{SVG}rect[@class='chart__bar']")
    assert [bar.get("data-series") for bar in bars] == ["A", "B", "C", "A", "C"]
    assert len(root.findall(f".//{SVG}g[@class='chart__group']")) == 2
    assert " style=" not in markup  # the CSP allows no inline styles


def test_each_series_has_its_own_pattern_and_colour() -> None:
    root = parse(chart())
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert set(patterns) == {"grouped-s0", "grouped-s1", "grouped-s2"}
    colours = {p.find(f"{SVG}rect").get("fill") for p in patterns.values()}
    assert len(colours) == 3
    marks = [len(list(p)) for p in patterns.values()]
    assert marks[0] == 1 and all(count == 2 for count in marks[1:])  # solid, then a white mark on the others
    fills = {bar.get("fill") for bar in root.findall(f".//{SVG}rect[@class='chart__bar']")}
    assert fills == {"url(#grouped-s0)", "url(#grouped-s1)", "url(#grouped-s2)"}


def test_its_series_colours_have_enough_contrast() -> None:
    for colour in SERIES_COLOURS:
        assert contrast_ratio("#ffffff", colour) >= 4.5, colour


def test_bar_lengths_follow_the_values_within_the_width() -> None:
    root = parse(chart(rows=[GroupedRow("a", [4.0, 2.0, 0.0]), GroupedRow("b", [9.0, -1.0, 1.0])]))
    widths = [float(bar.get("width", "0")) for bar in root.findall(f".//{SVG}rect[@class='chart__bar']")]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[2] == 0
    assert widths[3] == widths[0]  # clamped to the maximum
    assert widths[4] == 0  # and to the minimum
    assert max(widths) < WIDTH


def test_it_writes_the_unit_and_the_decimals_asked_for() -> None:
    with translation.override("en"):
        root = parse(
            chart(series=["Goals done"], rows=[GroupedRow("2024-2025", [3.0])], maximum=5, unit="", decimals=0)
        )
    # One series: nothing to tell apart, so no letter; the legend names it.
    assert [t.text for t in root.findall(f".//{SVG}text[@class='chart__value']")] == ["3"]
    assert "Goals done" in texts(root)
    assert {"0", "1", "2", "3", "4", "5"} <= set(texts(root))


def test_it_escapes_labels() -> None:
    markup = chart(title="<script>", series=["<b>x</b>"], rows=[GroupedRow('"q" <i>', [1.0])])
    root = parse(markup)
    assert "<script>" not in markup and "<b>" not in markup
    assert '"q" <i>' in texts(root)


def test_it_draws_no_rows_at_all() -> None:
    root = parse(chart(rows=[]))
    assert float(root.get("height", "0")) > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"chart_id": "1x"}, "id"),
        ({"maximum": 0}, "maximum"),
        ({"series": []}, "series"),
        ({"series": [str(n) for n in range(9)], "rows": []}, "series"),
        ({"rows": [GroupedRow("a", [1.0])]}, "one value per series"),
    ],
)
def test_it_refuses_what_it_cannot_draw(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        chart(**options)
