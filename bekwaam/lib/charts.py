"""Charts rendered on the server as accessible SVG: no JavaScript, the same markup on a page and in a PDF.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and summarised by its ``<desc>``; the page
puts a data table with the same figures beside it (the table is what assistive technology reads in
full). Colours are never the only carrier of meaning: each category has its own pattern as well as its
colour, a legend names both, every bar segment wide enough carries its number, and a mean is written at
the end of its bar. Fills reach at least 3:1 against white (WCAG 1.4.11) and white text on them at least
4.5:1 (1.4.3). The drawing is 320 units wide (``viewBox``) and scales to its container, so it fits the
narrowest screen (1.4.10); long labels wrap above their bar instead of squeezing it.

All styling is in presentation attributes (no ``style`` attribute: the CSP forbids inline styles, and
WeasyPrint reads attributes without the site's stylesheet). Labels are escaped here; callers pass text
already translated. Numbers in text follow the active language ("2,8" in Dutch); coordinates never do.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 320
FONT_SIZE = 12
LINE_HEIGHT = 15
CHAR_WIDTH = 0.58 * FONT_SIZE  # a generous average for a sans-serif, to wrap before the edge
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
TEXT_COLOUR = "#1b1f24"
MUTED_COLOUR = "#4a5563"
GRID_COLOUR = "#d5dae1"
EMPTY_FILL = "#fff4d6"
EMPTY_STROKE = "#8a6100"

# Dark enough for white text (≥ 4.5:1) and for a fill against white (≥ 3:1); ordered low → high, so a
# four-point scale reads red, brown, green, blue. tests/test_charts.py checks the contrast of each.
PALETTE = ("#b3261e", "#8a4b00", "#1e6b34", "#0b5cad", "#5b3a8c", "#3d4551", "#7a1f5c", "#005f66")
PREVIOUS_FILL = "#4a5563"
# One pattern per category (drawn in white over the colour), so no two categories differ by colour alone.
PATTERNS = ("solid", "diagonal", "dots", "horizontal", "cross", "vertical", "backdiagonal", "grid")

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class DistributionRow:
    """One stacked bar: a label and a count per category (in the order of the chart's categories)."""

    label: str
    counts: Sequence[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class MeanRow:
    """One bar of means: the current value and, optionally, the previous period's (None = no scores)."""

    label: str
    value: float | None
    previous: float | None = None


def _num(value: float) -> str:
    """A coordinate: always a dot, two decimals at most."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _wrap(text: str, width: float = WIDTH, max_lines: int = 3) -> list[str]:
    """Words in lines that fit `width` units at the chart's font size; an ellipsis after `max_lines`."""
    chars = max(8, int(width / CHAR_WIDTH))
    lines = textwrap.wrap(" ".join(text.split()), chars, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _check_id(chart_id: str) -> None:
    if not _ID.match(chart_id):
        raise ValueError(f"a chart id must be a plain HTML id, not {chart_id!r}")


def _pattern(pattern_id: str, kind: str, colour: str) -> str:
    """A 6 by 6 tile: the colour with thin white marks; 'solid' is the colour alone."""
    marks = {
        "solid": "",
        "diagonal": (
            '<path d="M-1 1 l2 -2 M0 6 l6 -6 M5 7 l2 -2" stroke="#fff" stroke-width="1.2" stroke-opacity=".55"/>'
        ),
        "backdiagonal": (
            '<path d="M-1 5 l2 2 M0 0 l6 6 M5 -1 l2 2" stroke="#fff" stroke-width="1.2" stroke-opacity=".55"/>'
        ),
        "dots": '<circle cx="3" cy="3" r="1.1" fill="#fff" fill-opacity=".65"/>',
        "horizontal": '<path d="M0 3 h6" stroke="#fff" stroke-width="1.2" stroke-opacity=".55"/>',
        "vertical": '<path d="M3 0 v6" stroke="#fff" stroke-width="1.2" stroke-opacity=".55"/>',
        "cross": ('<path d="M0 0 l6 6 M6 0 l-6 6" stroke="#fff" stroke-width="1" stroke-opacity=".55"/>'),
        "grid": '<path d="M0 3 h6 M3 0 v6" stroke="#fff" stroke-width="1" stroke-opacity=".55"/>',
    }[kind]
    return (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
    )


def _svg(chart_id: str, css_class: str, height: float, title: str, description: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308  # every piece of text in `body` is escaped where it is made
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" width="{WIDTH}" height="{_num(height)}" '
        f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _label_lines(lines: list[str], y: float) -> str:
    """Label lines starting at baseline `y` (each its own <text>, which every renderer wraps the same way)."""
    return "".join(
        f'<text x="0" y="{_num(y + i * LINE_HEIGHT)}" fill="{TEXT_COLOUR}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def distribution_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    rows: Sequence[DistributionRow],
    empty_text: str | None = None,
) -> SafeString:
    """A stacked horizontal bar per row: how many of each category (e.g. how many 1s, 2s, 3s, 4s per item).

    `categories` are the legend's labels ("1 Overwegend zwak"), low to high; each row's counts follow
    them. A row without any count shows a dashed box with `empty_text` instead of a bar.
    """
    _check_id(chart_id)
    if any(len(row.counts) != len(categories) for row in rows):
        raise ValueError("every row needs one count per category")
    if any(count < 0 for row in rows for count in row.counts):
        raise ValueError("a count cannot be negative")
    empty_text = empty_text if empty_text is not None else _("No scores")
    pattern_ids = [f"{chart_id}-p{k}" for k in range(len(categories))]
    colours = [PALETTE[k % len(PALETTE)] for k in range(len(categories))]
    kinds = [PATTERNS[k % len(PATTERNS)] for k in range(len(categories))]
    body = [
        "<defs>"
        + "".join(_pattern(pid, kind, colour) for pid, kind, colour in zip(pattern_ids, kinds, colours, strict=True))
        + "</defs>"
    ]

    # Legend: one line per category, a swatch with the category's pattern and its label.
    y = 0.0
    legend: list[str] = []
    for k, label in enumerate(categories):
        line = _wrap(label, WIDTH - 22, max_lines=1)[0]
        legend.append(
            f'<g class="chart__legend-item"><rect x="0" y="{_num(y + 2)}" width="14" height="14" '
            f'fill="url(#{pattern_ids[k]})" stroke="{TEXT_COLOUR}" stroke-width=".5"/>'
            f'<text x="20" y="{_num(y + 13)}" fill="{TEXT_COLOUR}">{escape(line)}</text></g>'
        )
        y += 18
    body.append('<g class="chart__legend">' + "".join(legend) + "</g>")
    y += 8

    bar_height = 22.0
    for row in rows:
        lines = _wrap(row.label)
        body.append(_label_lines(lines, y + FONT_SIZE))
        y += len(lines) * LINE_HEIGHT + 3
        total = row.total
        if total == 0:
            body.append(
                f'<rect x="0.5" y="{_num(y)}" width="{WIDTH - 1}" height="{_num(bar_height)}" fill="{EMPTY_FILL}" '
                f'stroke="{EMPTY_STROKE}" stroke-dasharray="4 3" class="chart__empty-box"/>'
                f'<text x="6" y="{_num(y + 15)}" fill="{TEXT_COLOUR}" font-style="italic">{escape(empty_text)}</text>'
            )
        else:
            x = 0.0
            segments: list[str] = []
            for k, count in enumerate(row.counts):
                if count == 0:
                    continue
                width = WIDTH * count / total
                segments.append(
                    f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(bar_height)}" '
                    f'fill="url(#{pattern_ids[k]})" stroke="#fff" stroke-width="1" class="chart__segment"/>'
                )
                text = number_format(count)
                if _text_width(text) + 6 <= width:
                    # White on the dark fill; the halo in the fill's colour keeps it readable over the pattern.
                    segments.append(
                        f'<text x="{_num(x + width / 2)}" y="{_num(y + 15.5)}" text-anchor="middle" fill="#fff" '
                        f'font-weight="700" stroke="{colours[k]}" stroke-width="3" paint-order="stroke" '
                        f'class="chart__count">'
                        f"{escape(text)}</text>"
                    )
                x += width
            body.append('<g class="chart__bar">' + "".join(segments) + "</g>")
        y += bar_height + 12
    return _svg(chart_id, "chart--distribution", max(y, 1), title, description, body)


def mean_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[MeanRow],
    maximum: float,
    minimum: float = 0,
    series: tuple[str, str] | None = None,
    empty_text: str | None = None,
    steps: Sequence[float] | None = None,
    unit: str = "",
    decimals: int = 1,
) -> SafeString:
    """A horizontal bar per row for a mean on a scale from `minimum` to `maximum`, its value written beside it.

    With `series` (labels of "now" and "before") each row gets a second, thinner, hatched bar for the
    previous period, and a legend names the two. A value of None shows `empty_text` instead of a bar.
    Grid lines stand at `steps` (default: every whole number, or the two ends of a long scale); `unit`
    follows each value ("%"), rounded to `decimals` places.
    """
    _check_id(chart_id)
    if maximum <= minimum:
        raise ValueError("the maximum must be above the minimum")
    empty_text = empty_text if empty_text is not None else _("No scores")
    span = maximum - minimum
    value_room = 44.0  # right of the bars, for the number ("100,0%")
    track = WIDTH - value_room
    now_id, before_id = f"{chart_id}-now", f"{chart_id}-before"
    body = [
        "<defs>" + _pattern(now_id, "solid", PALETTE[3]) + _pattern(before_id, "diagonal", PREVIOUS_FILL) + "</defs>"
    ]
    y = 0.0
    if series is not None:
        for pattern_id, label in ((now_id, series[0]), (before_id, series[1])):
            line = _wrap(label, WIDTH - 22, max_lines=1)[0]
            body.append(
                f'<g class="chart__legend-item"><rect x="0" y="{_num(y + 2)}" width="14" height="14" '
                f'fill="url(#{pattern_id})" stroke="{TEXT_COLOUR}" stroke-width=".5"/>'
                f'<text x="20" y="{_num(y + 13)}" fill="{TEXT_COLOUR}">{escape(line)}</text></g>'
            )
            y += 18
        y += 6

    # Scale: a light grid line and its number at each whole step, so bar lengths can be read off.
    axis_top = y
    if steps is None:
        steps = [minimum + step for step in range(int(span) + 1)] if span <= 10 else [minimum, maximum]
    y += FONT_SIZE + 4
    rows_top = y
    parts: list[str] = []
    for row in rows:
        lines = _wrap(row.label, track)
        parts.append(_label_lines(lines, y + FONT_SIZE))
        y += len(lines) * LINE_HEIGHT + 3
        bars: list[tuple[float | None, str, float, str]] = [(row.value, now_id, 18.0, "now")]
        if series is not None:
            bars.append((row.previous, before_id, 12.0, "before"))
        for value, pattern_id, height, kind in bars:
            if value is None:
                parts.append(
                    f'<text x="2" y="{_num(y + height - 4)}" fill="{MUTED_COLOUR}" font-style="italic" '
                    f'class="chart__empty chart__empty--{kind}">{escape(empty_text)}</text>'
                )
            else:
                share = min(max((value - minimum) / span, 0.0), 1.0)
                width = track * share
                parts.append(
                    f'<rect x="0" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}" '
                    f'fill="url(#{pattern_id})" class="chart__bar chart__bar--{kind}"/>'
                    f'<text x="{_num(width + 4)}" y="{_num(y + height - 4)}" fill="{TEXT_COLOUR}" '
                    f'font-weight="{700 if kind == "now" else 400}">'
                    f"{escape(_value_label(value, decimals) + unit)}</text>"
                )
            y += height + 2
        y += 10
    body.append(_grid(steps, track=track, minimum=minimum, maximum=maximum, top=rows_top, bottom=y, axis_top=axis_top))
    body.extend(parts)
    return _svg(chart_id, "chart--means", max(y, 1), title, description, body)


def _grid(
    steps: Sequence[float], *, track: float, minimum: float, maximum: float, top: float, bottom: float, axis_top: float
) -> str:
    """The vertical grid lines of a bar chart with their step labels above the bars."""
    span = maximum - minimum
    grid = []
    for step in steps:
        x = track * (step - minimum) / span
        anchor = "start" if step == minimum else ("end" if step == maximum else "middle")
        grid.append(
            f'<line x1="{_num(x)}" y1="{_num(top - 2)}" x2="{_num(x)}" y2="{_num(max(bottom - 8, top))}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{_num(x)}" y="{_num(axis_top + FONT_SIZE)}" text-anchor="{anchor}" fill="{MUTED_COLOUR}">'
            f"{escape(_step_label(step))}</text>"
        )
    return '<g class="chart__grid">' + "".join(grid) + "</g>"


def _value_label(value: float, decimals: int) -> str:
    """Rounded half up as the templates' floatformat does, so the chart reads as its table (number_format alone
    cuts off: 66.67 would read 66,6 beside a table's 67)."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimals)


def _step_label(step: float) -> str:
    return number_format(int(step)) if float(step).is_integer() else number_format(step, 1)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (for the tests and for anyone adding to the palette)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- grouped bars: several series side by side per row (insights, "Mijn ontwikkeling") ------------------

# Series colours in an order where neighbours differ strongly (blue, green, purple, brown, …); each series
# also has its own pattern and a letter key written in the legend and beside each of its bars.
SERIES_COLOURS = (PALETTE[3], PALETTE[2], PALETTE[4], PALETTE[1], PALETTE[6], PALETTE[5], PALETTE[7], PALETTE[0])
SERIES_KEYS = "ABCDEFGH"


@dataclass(frozen=True)
class GroupedRow:
    """One group of bars: a label and a value per series (in the order of the chart's series; None = none)."""

    label: str
    values: Sequence[float | None]


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[str],
    rows: Sequence[GroupedRow],
    maximum: float,
    minimum: float = 0,
    empty_text: str | None = None,
    steps: Sequence[float] | None = None,
    unit: str = "",
    decimals: int = 1,
) -> SafeString:
    """A group of horizontal bars per row, one bar per series (e.g. a domain's mean in three measurements).

    The legend names each series with its letter key (A, B, C …), colour and pattern; every bar is drawn
    in its series' pattern with "A 2,8" beside it, so no series is told apart by colour alone. A value of
    None writes "A: `empty_text`" instead of a bar. At most eight series; a single series has no letter
    (nothing to tell apart), its legend names it. Grid lines stand at `steps`
    (default: every whole number, or the two ends of a long scale); `unit` follows each value.
    """
    _check_id(chart_id)
    if maximum <= minimum:
        raise ValueError("the maximum must be above the minimum")
    if not 1 <= len(series) <= len(SERIES_KEYS):
        raise ValueError(f"a grouped bar chart has one to {len(SERIES_KEYS)} series")
    if any(len(row.values) != len(series) for row in rows):
        raise ValueError("every row needs one value per series")
    empty_text = empty_text if empty_text is not None else _("No scores")
    span = maximum - minimum
    value_room = 62.0  # right of the bars, for the key and the number ("A 100,0%")
    track = WIDTH - value_room
    pattern_ids = [f"{chart_id}-s{k}" for k in range(len(series))]
    body = [
        "<defs>"
        + "".join(
            _pattern(pattern_ids[k], PATTERNS[k % len(PATTERNS)], SERIES_COLOURS[k % len(SERIES_COLOURS)])
            for k in range(len(series))
        )
        + "</defs>"
    ]
    keys = [SERIES_KEYS[k] if len(series) > 1 else "" for k in range(len(series))]
    y = 0.0
    legend: list[str] = []
    for k, label in enumerate(series):
        line = _wrap(f"{keys[k]} – {label}" if keys[k] else label, WIDTH - 22, max_lines=1)[0]
        legend.append(
            f'<g class="chart__legend-item"><rect x="0" y="{_num(y + 2)}" width="14" height="14" '
            f'fill="url(#{pattern_ids[k]})" stroke="{TEXT_COLOUR}" stroke-width=".5"/>'
            f'<text x="20" y="{_num(y + 13)}" fill="{TEXT_COLOUR}">{escape(line)}</text></g>'
        )
        y += 18
    body.append('<g class="chart__legend">' + "".join(legend) + "</g>")
    y += 6

    axis_top = y
    if steps is None:
        steps = [minimum + step for step in range(int(span) + 1)] if span <= 10 else [minimum, maximum]
    y += FONT_SIZE + 4
    rows_top = y
    bar_height = 14.0
    parts: list[str] = []
    for row in rows:
        lines = _wrap(row.label, track)
        parts.append(_label_lines(lines, y + FONT_SIZE))
        y += len(lines) * LINE_HEIGHT + 3
        bars: list[str] = []
        for k, value in enumerate(row.values):
            key = SERIES_KEYS[k]
            if value is None:
                text = f"{keys[k]}: {empty_text}" if keys[k] else empty_text
                bars.append(
                    f'<text x="2" y="{_num(y + bar_height - 3)}" fill="{MUTED_COLOUR}" font-style="italic" '
                    f'class="chart__empty" data-series="{key}">{escape(text)}</text>'
                )
            else:
                share = min(max((value - minimum) / span, 0.0), 1.0)
                width = track * share
                bars.append(
                    f'<rect x="0" y="{_num(y)}" width="{_num(width)}" height="{_num(bar_height)}" '
                    f'fill="url(#{pattern_ids[k]})" class="chart__bar" data-series="{key}"/>'
                    f'<text x="{_num(width + 4)}" y="{_num(y + bar_height - 3)}" fill="{TEXT_COLOUR}" '
                    f'class="chart__value" data-series="{key}">'
                    f"{escape(f'{keys[k]} {_value_label(value, decimals)}{unit}'.lstrip())}</text>"
                )
            y += bar_height + 2
        parts.append('<g class="chart__group">' + "".join(bars) + "</g>")
        y += 10
    body.append(_grid(steps, track=track, minimum=minimum, maximum=maximum, top=rows_top, bottom=y, axis_top=axis_top))
    body.extend(parts)
    return _svg(chart_id, "chart--grouped", max(y, 1), title, description, body)
