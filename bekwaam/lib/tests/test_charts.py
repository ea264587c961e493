"""The SVG charts (lib/charts.py): valid XML, named and described, labelled beyond colour, safe with odd input."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parses only markup these tests generate

import pytest
from django.utils import translation

from bekwaam.lib.charts import (
    PALETTE,
    PREVIOUS_FILL,
    WIDTH,
    DistributionRow,
    MeanRow,
    contrast_ratio,
    distribution_chart,
    mean_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
SCALE = ["1 Overwegend zwak", "2 Meer zwak dan sterk", "3 Meer sterk dan zwak", "4 Overwegend sterk"]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314  # our own markup, not untrusted input


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_it_draws_a_distribution_as_valid_accessible_svg() -> None:
    markup = distribution_chart(
        chart_id="dist-1",
        title="Scores per item",
        description="How often each score was given",
        categories=SCALE,
        rows=[DistributionRow("D1.C1 Toont respect", [1, 2, 3, 4]), DistributionRow("D1.C2", [0, 0, 5, 5])],
    )
    root = parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "dist-1-title"
    assert root.get("aria-describedby") == "dist-1-desc"
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
    assert root.find(f"{SVG}title").text == "Scores per item"
    assert root.find(f"{SVG}desc").text == "How often each score was given"
    shown = texts(root)
    for label in SCALE:
        assert label in shown  # the legend names every category
    assert "D1.C1 Toont respect" in shown
    counts = [t.text for t in root.findall(f".//{SVG}text[@class='chart__count']")]
    assert counts == ["1", "2", "3", "4", "5", "5"]  # each segment wide enough carries its number
    # Every category has its own pattern, used in the legend and the bars.
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {f"dist-1-p{k}" for k in range(4)}
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(")}
    assert fills == {f"url(#dist-1-p{k})" for k in range(4)}
    assert "style=" not in markup  # the CSP allows no inline styles


def test_it_shows_an_empty_row_without_dividing_by_zero() -> None:
    markup = distribution_chart(
        chart_id="dist-empty",
        title="t",
        description="d",
        categories=["1", "2"],
        rows=[DistributionRow("Niets gescoord", [0, 0])],
        empty_text="Geen scores",
    )
    root = parse(markup)
    assert "Geen scores" in texts(root)
    assert not root.findall(f".//{SVG}rect[@class='chart__segment']")
    assert len(root.findall(f".//{SVG}rect[@class='chart__empty-box']")) == 1


def test_it_draws_no_rows_at_all() -> None:
    root = parse(distribution_chart(chart_id="none", title="t", description="d", categories=["1", "2"], rows=[]))
    assert float(root.get("height", "0")) > 0


def test_it_leaves_out_a_number_that_does_not_fit_its_segment() -> None:
    root = parse(
        distribution_chart(
            chart_id="thin", title="t", description="d", categories=["1", "2"], rows=[DistributionRow("x", [1, 999])]
        )
    )
    counts = [t.text for t in root.findall(f".//{SVG}text[@class='chart__count']")]
    assert counts == ["999"]
    assert (
        len(root.findall(f".//{SVG}rect[@class='chart__segment']")) == 2
    )  # the thin segment is still drawn  # 1 of 1000 is 0.3 units wide: the table beside the chart has it


def test_it_escapes_labels_and_titles() -> None:
    markup = distribution_chart(
        chart_id="esc",
        title="<script>",
        description="a & b",
        categories=["<b>1</b>", "2"],
        rows=[DistributionRow('"quoted" <i>', [1, 1])],
    )
    root = parse(markup)
    assert "<script>" not in markup
    assert root.find(f"{SVG}title").text == "<script>"
    assert '"quoted" <i>' in texts(root)


def test_it_wraps_long_labels_within_the_width() -> None:
    label = "Zorgt voor een doelmatig klassenmanagement met materialen die klaarliggen en passen bij het niveau"
    root = parse(
        distribution_chart(
            chart_id="wrap", title="t", description="d", categories=["1"], rows=[DistributionRow(label, [2])]
        )
    )
    lines = [t for t in texts(root) if t and t not in ("1", "2")]
    assert len(lines) > 1
    assert " ".join(lines).replace("…", "") in label


@pytest.mark.parametrize("bad", ["", "1abc", "a b", 'x"y'])
def test_it_refuses_an_id_that_is_not_a_plain_html_id(bad: str) -> None:
    with pytest.raises(ValueError, match="id"):
        distribution_chart(chart_id=bad, title="t", description="d", categories=["1"], rows=[])


def test_it_refuses_rows_that_do_not_match_the_categories() -> None:
    with pytest.raises(ValueError, match="one count per category"):
        distribution_chart(
            chart_id="x", title="t", description="d", categories=["1", "2"], rows=[DistributionRow("a", [1])]
        )
    with pytest.raises(ValueError, match="negative"):
        distribution_chart(
            chart_id="x", title="t", description="d", categories=["1"], rows=[DistributionRow("a", [-1])]
        )


def test_it_draws_means_with_a_previous_period() -> None:
    with translation.override("nl"):
        markup = mean_chart(
            chart_id="means",
            title="Gemiddelde per domein",
            description="Nu en vorige periode",
            rows=[MeanRow("Klimaat", 3.25, 2.5), MeanRow("Instructie", None, 3.0), MeanRow("Leren", 2.0, None)],
            minimum=0,
            maximum=4,
            series=("Deze periode", "Vorige periode"),
            empty_text="Geen scores",
        )
    root = parse(markup)
    shown = texts(root)
    assert {"Deze periode", "Vorige periode", "Klimaat", "Instructie", "Leren"} <= set(shown)
    assert "3,3" in shown  # 3.25 rounded half up as the table's floatformat does, in the language's notation
    assert "2,5" in shown
    assert shown.count("Geen scores") == 2
    assert {"0", "1", "2", "3", "4"} <= set(shown)  # the scale's steps
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class", "").startswith("chart__bar")]
    assert len(bars) == 4
    widths = [float(r.get("width", "0")) for r in bars]
    assert max(widths) <= WIDTH


def test_it_clamps_means_outside_the_scale() -> None:
    root = parse(
        mean_chart(
            chart_id="clamp", title="t", description="d", rows=[MeanRow("a", 9.0), MeanRow("b", -1.0)], maximum=4
        )
    )
    widths = [
        float(r.get("width", "0")) for r in root.iter(f"{SVG}rect") if r.get("class") == "chart__bar chart__bar--now"
    ]
    assert widths[1] == 0
    assert 0 < widths[0] < WIDTH


def test_it_refuses_an_empty_scale() -> None:
    with pytest.raises(ValueError, match="maximum"):
        mean_chart(chart_id="x", title="t", description="d", rows=[], minimum=4, maximum=4)


def test_its_colours_have_enough_contrast() -> None:
    for colour in (*PALETTE, PREVIOUS_FILL):
        assert contrast_ratio("#ffffff", colour) >= 4.5, colour  # white numbers on the fill; ≥ 3 for the fill itself
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)


def test_it_rounds_values_as_the_tables_do() -> None:
    with translation.override("en"):
        root = parse(
            mean_chart(
                chart_id="pct",
                title="t",
                description="d",
                rows=[MeanRow("a", 200 / 3), MeanRow("b", 12.5)],
                maximum=100,
                steps=[0, 50, 100],
                unit="%",
                decimals=0,
            )
        )
    shown = texts(root)
    assert "67%" in shown
    assert "13%" in shown
    assert {"0", "50", "100"} <= set(shown)
