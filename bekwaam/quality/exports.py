"""The board grid and the improvement actions as spreadsheets (CSV and XLSX), for the bestuur's own analysis.

CSV as Dutch Excel reads it: UTF-8 with a byte-order mark, separated by semicolons (the decimal comma
makes Dutch Excel split on ";"). XLSX through openpyxl, dates as real dates. Both carry the same rows:

- the grid: one row per school and standard ("long" format: filters and pivot tables work on it; a wide
  sheet with two judgements and two dates per standard would have 60 columns);
- the actions: one row per action, with its plan, goal, standards, owner, dates, phase and latest check.

Every text cell that starts like a formula (=, +, -, @, tab, carriage return) is prefixed with ' in both
formats (OWASP "CSV injection"): names and titles are typed by people, and a value like =HYPERLINK(…) must
not run when someone opens the file.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bekwaam.quality.models import ImprovementAction
from bekwaam.quality.selectors.board import BoardGrid
from bekwaam.quality.selectors.plans import action_is_overdue

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | datetime.date | None


def spreadsheet_safe(value: Cell) -> Cell:
    """A text that a spreadsheet would read as a formula gets a leading ', so it is shown as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# --- the rows --------------------------------------------------------------------------------------------


def grid_table(grid: BoardGrid) -> tuple[list[str], list[list[Cell]]]:
    """The grid's header and rows: one row per school and standard, also where nothing was judged yet."""
    header = [
        _("School"),
        _("BRIN number"),
        _("Under scrutiny"),
        _("Standard"),
        _("Name of the standard"),
        _("Kernstandaard"),
        _("Self-evaluation: judgement"),
        _("Self-evaluation: date"),
        _("Inspection: judgement"),
        _("Inspection: date"),
    ]
    rows: list[list[Cell]] = [
        [
            row.school.name,
            row.school.brin,
            _yes_no(row.flagged),
            cell.standard.code,
            cell.standard.name,
            _yes_no(cell.standard.is_core),
            cell.own.label if cell.own else "",
            cell.own.date if cell.own else None,
            cell.inspection.label if cell.inspection else "",
            cell.inspection.date if cell.inspection else None,
        ]
        for row in grid.rows
        for cell in row.cells
    ]
    return header, rows


def actions_table(actions: Iterable[ImprovementAction]) -> tuple[list[str], list[list[Cell]]]:
    """One row per action. `actions` comes from selectors.plans.actions_for_export (annotated, prefetched)."""
    header = [
        _("School"),
        _("Improvement plan"),
        _("Plan status"),
        _("Goal"),
        _("Standards"),
        _("Action"),
        _("Owner"),
        _("Start date"),
        _("Deadline"),
        _("Phase"),
        _("Overdue"),
        _("Last check: date"),
        _("Last check"),
    ]
    today = timezone.localdate()
    rows: list[list[Cell]] = []
    for action in actions:
        goal = action.goal
        plan = goal.plan
        rows.append(
            [
                plan.school.name if plan.school else _("The board itself"),
                plan.title,
                plan.get_state_display(),
                goal.title,
                ", ".join(standard.code for standard in goal.standards.all()),
                action.title,
                action.owner.full_name if action.owner else "",
                action.start_date,
                action.deadline,
                action.get_phase_display(),
                _yes_no(action_is_overdue(action, today)),
                getattr(action, "last_checked_on", None),
                getattr(action, "last_check_text", None) or "",
            ]
        )
    return header, rows


# --- the files -------------------------------------------------------------------------------------------


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the accents), ';'-separated, dates as YYYY-MM-DD."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow(
            [
                "" if cell is None else cell.isoformat() if isinstance(cell, datetime.date) else spreadsheet_safe(cell)
                for cell in row
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    """One sheet: a bold, frozen header row, dates as dates (DD-MM-YYYY), text never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([spreadsheet_safe(cell) for cell in header])
    widths = [len(name) for name in header]
    for row in rows:
        sheet.append([spreadsheet_safe(cell) for cell in row])
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], min(60, len(str(cell or ""))))
    for index, width in enumerate(widths, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(10, width + 2)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD-MM-YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_file(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], *, fmt: str, name: str
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the export in `fmt`; the file name carries today's date."""
    filename = f"{slugify(name)}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == XLSX:
        return xlsx_bytes(header, rows, title=name), CONTENT_TYPES[XLSX], filename
    return csv_bytes(header, rows), CONTENT_TYPES[CSV], filename
