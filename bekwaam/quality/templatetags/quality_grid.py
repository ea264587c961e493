"""The board grid's cells, rendered in Python: 100 schools by 14 standards is 1,400 cells, and the template
engine spent most of the page's time on them (make bench). The markup is what a template would give."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _line(tag: str, latest: Any, low: bool) -> SafeString:
    return format_html(
        '<span class="qp-cell__line{}"><span class="qp-cell__tag">{}</span> {} '
        '<span class="qp-cell__date">{}</span></span>',
        " qp-cell__line--low" if low else "",
        tag,
        latest.label,
        date_format(latest.date, "j-n-y"),
    )


def _iso(latest: Any) -> str:
    return latest.date.isoformat() if latest is not None else ""


def _value(latest: Any) -> str:
    return "" if latest is None or latest.value is None else str(latest.value)


@register.simple_tag
def grid_cells(row: Any, grid: Any, school_url: str, own_tag: str, inspection_tag: str, not_judged: str) -> SafeString:
    """All <td> of one grid row."""
    lowest = grid.lowest_level_value

    def cell(c: Any) -> tuple[Any, ...]:
        parts: list[SafeString] = []
        if c.own:
            parts.append(_line(own_tag, c.own, lowest is not None and c.own.value <= lowest))
        if c.inspection:
            parts.append(_line(inspection_tag, c.inspection, c.inspection_weak))
        if not c.own and not c.inspection:
            parts.append(
                format_html(
                    '<span class="qp-cell__none" aria-hidden="true">–</span><span class="visually-hidden">{}</span>',
                    not_judged,
                )
            )
        inner = SafeString("".join(parts))
        return (
            c.standard.code,
            _value(c.own),
            _iso(c.own),
            _value(c.inspection),
            _iso(c.inspection),
            school_url,
            c.standard.code,
            row.school.name,
            c.standard.code,
            inner,
        )

    return format_html_join(
        "",
        '<td data-standard="{}" data-own="{}" data-own-date="{}" data-inspection="{}" data-inspection-date="{}">'
        '<a class="qp-cell" href="{}#standard-{}"><span class="visually-hidden">{}, {}: </span>{}</a></td>',
        (cell(c) for c in row.cells),
    )
