"""Staff and school import: read a CSV or XLSX file, validate every row, plan what would change.

Reading and planning are plain functions over plain data, so the dry run and the apply step run
the very same checks: `read_rows` turns bytes into rows of strings, `load_board_state` takes a
snapshot of the board in a fixed number of queries, and `plan_staff` / `plan_schools` decide per
row what happens (create, update, end, unchanged) or why it cannot (row errors). The services in
services.py store the plan (dry run) or write it (apply). docs/import.md describes the columns.

Messages are kept as English msgids plus parameters (gettext_noop) and translated when shown,
so a stored dry run reads in the language of whoever opens it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from bekwaam.tenancy.models import Employment, Function, ProviderRoleGrant, RoleGrant, School, StaffImport, Team
from bekwaam.tenancy.validators import normalize_brin, validate_brin

KIND_STAFF = StaffImport.Kind.STAFF.value
KIND_SCHOOLS = StaffImport.Kind.SCHOOLS.value

# More rows than this is not a school board's staff list; it keeps one request bounded.
MAX_ROWS = 10_000
# A sheet that has been formatted far below its data: stop after this many empty rows in a row.
MAX_BLANK_RUN = 1_000
MAX_COLUMNS = 60

CREATE, UPDATE, END, UNCHANGED, ERROR = "create", "update", "end", "unchanged", "error"
ACTIONS = (ERROR, CREATE, UPDATE, END, UNCHANGED)

# The dry run's counts ("3 new") and each row's action ("create").
ACTION_TOTAL_LABELS: dict[str, Promise] = {
    ERROR: _("With errors"),
    CREATE: _("New"),
    UPDATE: _("Changed"),
    END: _("Ended"),
    UNCHANGED: _("Unchanged"),
}
ACTION_LABELS: dict[str, Promise] = {
    ERROR: _("Error"),
    CREATE: _("Create"),
    UPDATE: _("Update"),
    END: _("End"),
    UNCHANGED: _("Unchanged"),
}

FTE_MIN, FTE_MAX, FTE_DEFAULT = Decimal("0.01"), Decimal("1.2"), Decimal("1.000")


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the name in code
    header: str  # the Dutch header, as in the template and in row errors
    required: bool
    example: str
    aliases: tuple[str, ...] = ()


STAFF_COLUMNS: tuple[Column, ...] = (
    Column("personnel_number", "personeelsnummer", True, "100234", ("personeelsnr", "personnelnumber")),
    Column("given_name", "voornaam", True, "Anna", ("roepnaam", "givenname", "firstname")),
    Column("name_prefix", "tussenvoegsel", False, "de", ("tussenvoegsels", "nameprefix", "prefix")),
    Column("family_name", "achternaam", True, "Vries", ("familienaam", "familyname", "lastname")),
    Column("email", "e-mail", True, "anna.devries@voorbeeld.nl", ("emailadres", "mail")),
    Column("brin", "brin", True, "12AB", ("brinnummer", "brincode")),
    Column("function", "functie", True, "leerkracht", ("function",)),
    Column("start_date", "startdatum", True, "01-08-2024", ("begindatum", "ingangsdatum", "startdate")),
    Column("end_date", "einddatum", False, "", ("enddate",)),
    Column("fte", "fte", False, "0,8", ("wtf",)),
    Column("team", "team", False, "Bovenbouw", ()),
    Column("manager", "leidinggevende", False, "100001", ("manager",)),
)

SCHOOL_COLUMNS: tuple[Column, ...] = (
    Column("brin", "brin", True, "12AB", ("brinnummer", "brincode")),
    Column("name", "naam", True, "De Regenboog", ("schoolnaam", "school", "name")),
    Column("place", "plaats", False, "Utrecht", ("vestigingsplaats", "woonplaats", "place")),
)


def columns_for(kind: str) -> tuple[Column, ...]:
    return STAFF_COLUMNS if kind == KIND_STAFF else SCHOOL_COLUMNS


def _header_key(value: str) -> str:
    """Headers compare without case, spaces, hyphens, underscores, dots, asterisks or a stray BOM."""
    return re.sub(r"[\s\-_.*'’\ufeff]", "", value).casefold()


# Names of the fields a change can touch, for the dry run's "what changes" column.
FIELD_LABELS: dict[str, Promise] = {
    "email": _("e-mail address"),
    "given_name": _("first name"),
    "name_prefix": _("prefix"),
    "family_name": _("last name"),
    "school": _("school"),
    "team": _("team"),
    "function": _("function"),
    "start_date": _("start date"),
    "end_date": _("end date"),
    "fte": _("FTE"),
    "manager": _("manager"),
    "name": _("name"),
    "place": _("place"),
}


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be used; `message` says why, for the upload form."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


Row = dict[str, str]  # column key → text; "_row" holds the spreadsheet row number (the header is row 1)


def read_rows(content: bytes, *, kind: str, max_bytes: int) -> list[Row]:
    """The file's data rows keyed by column, or ImportFileError with one clear message."""
    if len(content) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(size)s. Split it into smaller files.") % {"size": filesizeformat(max_bytes)}
        )
    if not content.strip(b" \t\r\n\x00").removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportFileError(_("The file is empty."))
    # An .xlsx is a zip file, whatever its name says; anything else is read as text.
    table = _read_xlsx(content) if content.startswith(b"PK\x03\x04") else _read_csv(content)

    header: tuple[int, list[str]] | None = None
    data: list[tuple[int, list[str]]] = []
    for number, cells in table:
        if not any(cells):
            continue
        if header is None:
            header = (number, cells)
            continue
        data.append((number, cells))
        if len(data) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
            )
    if header is None:
        raise ImportFileError(_("The file is empty."))
    positions = _map_header(header[1], kind)
    if not data:
        raise ImportFileError(_("The file has a header row but no data rows."))
    rows: list[Row] = []
    for number, cells in data:
        row: Row = {"_row": str(number)}
        for key, index in positions.items():
            row[key] = cells[index].strip() if index < len(cells) else ""
        rows.append(row)
    return rows


def _map_header(cells: list[str], kind: str) -> dict[str, int]:
    columns = columns_for(kind)
    lookup: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            lookup[_header_key(name)] = column
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        found = lookup.get(_header_key(cell))
        if found is None:
            continue  # other columns (an HR system's extra fields) are ignored
        if found.key in positions:
            raise ImportFileError(_("The column “%(column)s” appears more than once.") % {"column": found.header})
        positions[found.key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise ImportFileError(
            _(
                "The first row must contain the column names. Missing required columns: %(columns)s. "
                "Download the template to see the expected columns."
            )
            % {"columns": ", ".join(missing)}
        )
    return positions


_NOT_A_TABLE = _("This is not a CSV or Excel (.xlsx) file. Save the list as CSV or .xlsx and upload it again.")


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV."))
    if b"\x00" in content[:8192]:
        raise ImportFileError(_NOT_A_TABLE)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (gescheiden door lijstscheidingsteken)" on Windows writes Windows-1252.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The characters in this file could not be read. Save it as “CSV UTF-8” and upload it again.")
            ) from None
    # A stray control character can be in a real export; many of them mean a binary file.
    sample = text[:8192]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if controls > max(5, len(sample) // 100):
        raise ImportFileError(_NOT_A_TABLE)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count) if first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [(number, cells[:MAX_COLUMNS]) for number, cells in enumerate(reader, start=1)]
    except csv.Error:
        raise ImportFileError(_NOT_A_TABLE) from None


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (styles, data validation): not our user's problem.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                return list(_xlsx_rows(workbook.worksheets[0]))
            finally:
                workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on damaged or foreign zip files
        raise ImportFileError(
            _("This file could not be read as an Excel workbook (.xlsx). Save it again as .xlsx or CSV.")
        ) from None


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    blank_run = filled = 0
    for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if any(cells):
            blank_run = 0
            filled += 1
            if filled > MAX_ROWS + 1:  # header + MAX_ROWS: read_rows reports the file as too long
                yield number, cells
                return
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                return
        yield number, cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Personnel numbers typed as numbers come back as floats (1234.0).
        return str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value).strip()


# ---------------------------------------------------------------------------------------------
# Cleaning values
# ---------------------------------------------------------------------------------------------

_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(value: str) -> datetime.date | None:
    """dd-mm-jjjj (also with / or .) or jjjj-mm-dd; None when it is not a real date."""
    value = value.strip()
    try:
        if match := _DATE_DMY.match(value):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if match := _DATE_YMD.match(value):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


def parse_fte(value: str) -> Decimal | None:
    """'0,8', '0.8' or '1' as a Decimal with 3 places; None when it is not a number."""
    value = value.strip().replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", value):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def _function_key(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKD", value).casefold())


_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    Function.TEACHER: ("leerkracht", "groepsleerkracht", "leraar", "leerkrachtbasisonderwijs", "teacher"),
    Function.INTERNAL_SUPERVISOR: ("internbegeleider", "iber", "ib", "internalsupervisor", "internalsupervisorib"),
    Function.TEACHING_ASSISTANT: ("onderwijsassistent", "klassenassistent", "oa", "teachingassistant"),
    Function.SCHOOL_LEADER: ("schoolleider", "locatieleider", "schoolleader"),
    Function.DIRECTOR: ("directeur", "meerschoolsdirecteur", "director"),
    Function.SUPPORT_STAFF: ("ondersteunendpersoneel", "onderwijsondersteunendpersoneel", "oop", "supportstaff"),
    Function.OTHER: ("overig", "overige", "anders", "other"),
}
_FUNCTIONS: dict[str, str] = {_function_key(w): str(f) for f, words in _FUNCTION_WORDS.items() for w in words}


def parse_function(value: str) -> str | None:
    """A Function value from its code, its Dutch name (leerkracht, IB'er, …) or its label."""
    return _function_lookup().get(_function_key(value))


def _function_lookup() -> dict[str, str]:
    """Codes and Dutch names, plus the labels in the active language (cached per language)."""
    language = get_language() or ""
    lookup = _FUNCTION_LOOKUPS.get(language)
    if lookup is None:
        lookup = dict(_FUNCTIONS)
        for choice, label in Function.choices:
            lookup.setdefault(_function_key(choice), choice)
            lookup.setdefault(_function_key(str(label)), choice)
        _FUNCTION_LOOKUPS[language] = lookup
    return lookup


_FUNCTION_LOOKUPS: dict[str, dict[str, str]] = {}
_email_validator = EmailValidator()


# ---------------------------------------------------------------------------------------------
# The board as it is (a snapshot in a fixed number of queries)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    brin: str
    name: str
    place: str


@dataclass(frozen=True)
class PersonInfo:
    id: str
    email: str
    given_name: str
    name_prefix: str
    family_name: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.name_prefix, self.family_name) if p)


@dataclass(frozen=True)
class EmploymentInfo:
    id: str
    personnel_number: str
    person_id: str
    school_id: int
    team_id: int | None
    function: str
    start_date: datetime.date
    end_date: datetime.date | None
    fte: Decimal
    manager_id: str | None


@dataclass
class BoardState:
    """What the board holds now: enough to plan an import without further queries."""

    board_id: int
    today: datetime.date
    schools: dict[str, SchoolInfo] = field(default_factory=dict)  # brin → school
    other_board_brins: set[str] = field(default_factory=set)  # BRINs taken by another board
    teams: dict[tuple[int, str], tuple[int, str]] = field(
        default_factory=dict
    )  # (school, name.casefold()) → (id, name)
    employments: dict[str, EmploymentInfo] = field(default_factory=dict)  # personnel number → employment
    people: dict[str, PersonInfo] = field(default_factory=dict)  # person id → person
    people_by_email: dict[str, str] = field(default_factory=dict)  # lower-case e-mail → person id
    board_person_ids: set[str] = field(default_factory=set)  # people with an employment at this board
    # People of this board who also belong elsewhere (another board, a provider, the platform staff).
    shared_person_ids: set[str] = field(default_factory=set)

    @cached_property
    def schools_by_id(self) -> dict[int, SchoolInfo]:
        return {s.id: s for s in self.schools.values()}

    @cached_property
    def team_names(self) -> dict[int, str]:
        return {team_id: name for team_id, name in self.teams.values()}


def load_board_state(*, board_id: int, kind: str, rows: list[Row], today: datetime.date) -> BoardState:
    """Snapshot of the board's schools, teams, employments and people, plus accounts the file names."""
    state = BoardState(board_id=board_id, today=today)
    for school_id, brin, name, place in School.objects.filter(board_id=board_id).values_list(
        "id", "brin", "name", "place"
    ):
        state.schools[brin] = SchoolInfo(school_id, brin, name, place)
    if kind == KIND_SCHOOLS:
        brins = {normalize_brin(r.get("brin", "")) for r in rows} - set(state.schools)
        # BRIN numbers are unique across the platform; only the numbers (no other data) of other boards are read.
        with scopes_disabled():
            state.other_board_brins = set(School.objects.filter(brin__in=brins).values_list("brin", flat=True))
        return state

    for team_id, school_id, name in Team.objects.filter(school__board_id=board_id).values_list(
        "id", "school_id", "name"
    ):
        state.teams[(school_id, name.casefold())] = (team_id, name)
    person_fields = ("id", "email", "given_name", "name_prefix", "family_name")
    # Tuples, not model instances: a board of thousands loads in a fraction of the time.
    employments = Employment.objects.filter(board_id=board_id).values_list(
        "id", "personnel_number", "school_id", "team_id", "function", "start_date", "end_date", "fte", "manager_id",
        *(f"person__{f}" for f in person_fields),
    )  # fmt: skip
    for pk, number, school_id, team_id, function, start, end, fte, manager_id, *person in employments:
        state.employments[number] = EmploymentInfo(
            id=str(pk),
            personnel_number=number,
            person_id=str(person[0]),
            school_id=school_id,
            team_id=team_id,
            function=function,
            start_date=start,
            end_date=end,
            fte=fte,
            manager_id=str(manager_id) if manager_id else None,
        )
        state.board_person_ids.add(str(person[0]))
        _add_person(state, *person)
    state.shared_person_ids = _shared_person_ids(board_id)
    emails = {r.get("email", "").strip().lower() for r in rows} | {
        r.get("manager", "").strip().lower() for r in rows if "@" in r.get("manager", "")
    }
    emails -= set(state.people_by_email) | {""}
    if emails:
        people = get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        for values in people.values_list(*person_fields):
            _add_person(state, *values)
    return state


def _shared_person_ids(board_id: int) -> set[str]:
    """Ids of this board's people who also have an employment or role elsewhere, or are platform staff."""
    with scopes_disabled():
        ours = Employment.objects.filter(board_id=board_id).values("person_id")
        ids = set(
            Employment.objects.filter(person_id__in=ours).exclude(board_id=board_id).values_list("person_id", flat=True)
        )
        ids |= set(
            RoleGrant.objects.filter(person_id__in=ours).exclude(board_id=board_id).values_list("person_id", flat=True)
        )
        ids |= set(ProviderRoleGrant.objects.filter(person_id__in=ours).values_list("person_id", flat=True))
        staff = get_user_model().objects.filter(id__in=ours).filter(Q(is_superuser=True) | Q(is_staff=True))
        ids |= set(staff.values_list("id", flat=True))
    return {str(pk) for pk in ids}


def _add_person(state: BoardState, pk: object, email: str, given: str, prefix: str, family: str) -> None:
    info = PersonInfo(str(pk), email, given, prefix, family)
    state.people[info.id] = info
    state.people_by_email[email.lower()] = info.id


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------


class Problem(TypedDict):
    column: str  # the header as in the template; "" when about the whole row
    msg: str  # English msgid
    params: dict[str, str]


class Change(TypedDict):
    field: str
    old: str
    new: str


@dataclass
class RowResult:
    row: int | None  # spreadsheet row; None for an employment that is not in the file
    key: str  # personnel number or BRIN
    label: str  # the person's or school's name
    action: str = UNCHANGED
    changes: list[Change] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def error(self, column: str, msg: str, **params: object) -> None:
        self.errors.append({"column": column, "msg": msg, "params": {k: str(v) for k, v in params.items()}})

    def note(self, msg: str, **params: object) -> None:
        self.notes.append({"column": "", "msg": msg, "params": {k: str(v) for k, v in params.items()}})

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "key": self.key,
            "label": self.label,
            "action": ERROR if self.errors else self.action,
            "changes": self.changes,
            "notes": self.notes,
            "errors": self.errors,
        }


@dataclass
class NewPerson:
    email: str
    given_name: str
    name_prefix: str
    family_name: str


@dataclass
class EmploymentValues:
    """An employment's values after the import; `person` and `manager` are person keys (id or 'new:<e-mail>')."""

    personnel_number: str
    person: str
    school_id: int
    team: tuple[int, str] | None  # (school id, team name): the team may not exist yet
    function: str
    start_date: datetime.date
    end_date: datetime.date | None
    fte: Decimal
    manager: str | None
    employment_id: str | None = None  # set for an existing employment
    keep_team_id: int | None = None  # the current team, when the import does not name one (ending only)
    label: str = ""  # the person and the school, for the change log


@dataclass
class Plan:
    kind: str
    results: list[RowResult] = field(default_factory=list)
    new_people: dict[str, NewPerson] = field(default_factory=dict)  # 'new:<e-mail>' → fields
    person_updates: dict[str, NewPerson] = field(default_factory=dict)  # person id → all four fields after
    new_teams: dict[tuple[int, str], str] = field(default_factory=dict)  # (school id, casefold name) → name
    employment_creates: list[EmploymentValues] = field(default_factory=list)
    employment_updates: list[EmploymentValues] = field(default_factory=list)
    school_creates: list[SchoolInfo] = field(default_factory=list)  # id 0: not saved yet
    school_updates: list[SchoolInfo] = field(default_factory=list)
    # For the change log: "<model>:<id>" → {field: [before, after]} of every update.
    update_changes: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(len(r.errors) for r in self.results)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for result in self.results:
            counts[ERROR if result.errors else result.action] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        """The dry run as JSON: counts per action and every row's result, rows with errors first."""
        rows = sorted(
            (r.as_json() for r in self.results),
            key=lambda r: (r["action"] != ERROR, r["row"] is None, r["row"] or 0),
        )
        return {
            "counts": self.counts,
            "error_count": self.error_count,
            "new_teams": sorted(self.new_teams.values()),
            "new_people": len(self.new_people),
            "rows": rows,
        }


def _fmt_date(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _fmt_fte(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def _rows_text(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers))


def _text(row: Row, key: str) -> str:
    return " ".join(row.get(key, "").split())


def _check_length(result: RowResult, header: str, value: str, limit: int) -> None:
    if len(value) > limit:
        result.error(header, gettext_noop("At most %(limit)s characters."), limit=limit)


@dataclass
class _StaffRow:
    result: RowResult
    number: str
    email: str
    names: tuple[str, str, str]
    school: SchoolInfo | None
    function: str | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    fte: Decimal | None
    team: str
    manager: str
    person: str = ""  # person key once resolved


def plan_staff(rows: list[Row], state: BoardState, *, end_missing: bool) -> Plan:
    """Decide per row what happens to the employment and the person; every problem becomes a row error."""
    plan = Plan(kind=KIND_STAFF)
    staff = [_clean_staff_row(row, state) for row in rows]
    plan.results = [s.result for s in staff]

    by_number: dict[str, list[_StaffRow]] = defaultdict(list)
    for s in staff:
        if s.number:
            by_number[s.number].append(s)
    for number, group in by_number.items():
        if len(group) > 1:
            others = _rows_text(g.result.row or 0 for g in group)
            for s in group:
                s.result.error(
                    "personeelsnummer",
                    gettext_noop("Personnel number %(number)s appears more than once in the file (rows %(rows)s)."),
                    number=number,
                    rows=others,
                )

    _resolve_people(staff, state, plan)
    _resolve_managers(staff, state)

    for s in staff:
        _plan_employment(s, state, plan)

    if end_missing:
        in_file = set(by_number)
        for number, employment in sorted(state.employments.items()):
            if number in in_file or (employment.end_date is not None and employment.end_date <= state.today):
                continue
            end_date = max(state.today, employment.start_date)
            person = state.people[employment.person_id]
            result = RowResult(row=None, key=number, label=person.full_name, action=END)
            result.changes.append(
                {"field": "end_date", "old": _fmt_date(employment.end_date), "new": _fmt_date(end_date)}
            )
            result.note(gettext_noop("Not in the file: this employment will be ended."))
            plan.results.append(result)
            plan.employment_updates.append(_values_of(employment, state, end_date=end_date))
            plan.update_changes[f"employment:{employment.id}"] = {
                "end_date": [_fmt_date(employment.end_date), _fmt_date(end_date)]
            }
    return plan


def _values_of(employment: EmploymentInfo, state: BoardState, *, end_date: datetime.date | None) -> EmploymentValues:
    school = state.schools_by_id.get(employment.school_id)
    return EmploymentValues(
        label=f"{state.people[employment.person_id].full_name} – {school.name if school else ''}",
        personnel_number=employment.personnel_number,
        person=employment.person_id,
        school_id=employment.school_id,
        team=None,
        keep_team_id=employment.team_id,
        function=employment.function,
        start_date=employment.start_date,
        end_date=end_date,
        fte=employment.fte,
        manager=employment.manager_id,
        employment_id=employment.id,
    )


def _clean_staff_row(row: Row, state: BoardState) -> _StaffRow:
    number_text = row.get("_row", "")
    names = (_text(row, "given_name"), _text(row, "name_prefix"), _text(row, "family_name"))
    result = RowResult(
        row=int(number_text) if number_text.isdigit() else None,
        key=_text(row, "personnel_number"),
        label=" ".join(n for n in names if n),
    )
    required = gettext_noop("This column is required.")

    number = _text(row, "personnel_number")
    if not number:
        result.error("personeelsnummer", required)
    _check_length(result, "personeelsnummer", number, 32)
    for header, value, limit in (("voornaam", names[0], 100), ("achternaam", names[2], 150)):
        if not value:
            result.error(header, required)
        _check_length(result, header, value, limit)
    _check_length(result, "tussenvoegsel", names[1], 30)

    email = row.get("email", "").strip().lower()
    if not email:
        result.error("e-mail", required)
    else:
        try:
            _email_validator(email)
        except ValidationError:
            result.error("e-mail", gettext_noop("“%(value)s” is not a valid e-mail address."), value=email)
            email = ""

    school = None
    brin = normalize_brin(row.get("brin", ""))
    if not brin:
        result.error("brin", required)
    else:
        try:
            validate_brin(brin)
        except ValidationError:
            result.error(
                "brin",
                gettext_noop("“%(value)s” is not a BRIN number: 2 digits and 2 letters (12AB), optionally 2 digits."),
                value=row.get("brin", ""),
            )
        else:
            school = state.schools.get(brin)
            if school is None:
                result.error(
                    "brin",
                    gettext_noop("Your board has no school with BRIN %(brin)s. Import or add the school first."),
                    brin=brin,
                )

    function = None
    function_text = _text(row, "function")
    if not function_text:
        result.error("functie", required)
    else:
        function = parse_function(function_text)
        if function is None:
            result.error(
                "functie",
                gettext_noop(
                    "Unknown function “%(value)s”. Use leerkracht, intern begeleider, onderwijsassistent, "
                    "schoolleider, directeur, ondersteunend personeel or overig."
                ),
                value=function_text,
            )

    bad_date = gettext_noop("“%(value)s” is not a date. Write it as dd-mm-jjjj, for example 01-08-2024.")
    start_text, end_text = _text(row, "start_date"), _text(row, "end_date")
    start_date = parse_date(start_text) if start_text else None
    if not start_text:
        result.error("startdatum", required)
    elif start_date is None:
        result.error("startdatum", bad_date, value=start_text)
    end_date = parse_date(end_text) if end_text else None
    if end_text and end_date is None:
        result.error("einddatum", bad_date, value=end_text)
    if start_date and end_date and end_date < start_date:
        result.error(
            "einddatum",
            gettext_noop("The end date %(end)s is before the start date %(start)s."),
            end=_fmt_date(end_date),
            start=_fmt_date(start_date),
        )

    fte_text = _text(row, "fte")
    fte: Decimal | None = FTE_DEFAULT
    if fte_text:
        fte = parse_fte(fte_text)
        if fte is None or not FTE_MIN <= fte <= FTE_MAX:
            result.error(
                "fte",
                gettext_noop("“%(value)s” is not a valid FTE: a number from 0,01 to 1,2 (for example 0,8)."),
                value=fte_text,
            )
            fte = None

    team = _text(row, "team")
    _check_length(result, "team", team, 100)
    return _StaffRow(
        result=result,
        number=number,
        email=email,
        names=names,
        school=school,
        function=function,
        start_date=start_date,
        end_date=end_date,
        fte=fte,
        team=team,
        manager=_text(row, "manager"),
    )


def _same_names(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    return tuple(x.casefold() for x in a) == tuple(x.casefold() for x in b)


def _resolve_people(staff: list[_StaffRow], state: BoardState, plan: Plan) -> None:
    """Give every row a person key; rows that would mix up two people get an error instead."""
    by_email: dict[str, list[_StaffRow]] = defaultdict(list)
    for s in staff:
        if s.email:
            by_email[s.email].append(s)

    for email, group in by_email.items():
        rows = _rows_text(g.result.row or 0 for g in group)
        owner = state.people_by_email.get(email)
        employed = {state.employments[g.number].person_id for g in group if g.number in state.employments}
        candidates = employed | ({owner} if owner else set())
        if len(candidates) > 1:
            for s in group:
                employment = state.employments.get(s.number)
                if owner and employment and employment.person_id != owner:
                    other = state.people[employment.person_id]
                    if owner in state.board_person_ids:
                        s.result.error(
                            "e-mail",
                            gettext_noop(
                                "The e-mail address %(email)s already belongs to %(name)s; personnel number "
                                "%(number)s belongs to %(other)s (%(other_email)s)."
                            ),
                            email=email,
                            name=state.people[owner].full_name,
                            number=s.number,
                            other=other.full_name,
                            other_email=other.email,
                        )
                    else:
                        # The owner works elsewhere: say nothing about them (privacy across boards).
                        s.result.error(
                            "e-mail",
                            gettext_noop(
                                "The e-mail address %(email)s belongs to another account; personnel number "
                                "%(number)s belongs to %(other)s (%(other_email)s)."
                            ),
                            email=email,
                            number=s.number,
                            other=other.full_name,
                            other_email=other.email,
                        )
                else:
                    s.result.error(
                        "e-mail",
                        gettext_noop("The e-mail address %(email)s is used for different people (rows %(rows)s)."),
                        email=email,
                        rows=rows,
                    )
            continue
        if any(not _same_names(g.names, group[0].names) for g in group):
            for s in group:
                s.result.error(
                    "e-mail",
                    gettext_noop("The e-mail address %(email)s is used with different names (rows %(rows)s)."),
                    email=email,
                    rows=rows,
                )
            continue
        if owner and owner in state.board_person_ids and not employed:
            # Only new personnel numbers, for someone who already works here: a second employment when the
            # names match; otherwise the file most likely reuses another person's (shared) mailbox.
            person = state.people[owner]
            if not _same_names(group[0].names, (person.given_name, person.name_prefix, person.family_name)):
                numbers = sorted(e.personnel_number for e in state.employments.values() if e.person_id == owner)
                for s in group:
                    s.result.error(
                        "e-mail",
                        gettext_noop(
                            "The e-mail address %(email)s already belongs to %(name)s (personnel number "
                            "%(number)s) at your board."
                        ),
                        email=email,
                        name=person.full_name,
                        number=", ".join(numbers),
                    )
                continue
            for s in group:
                s.result.note(
                    gettext_noop("%(name)s already works at your board: this adds an employment."),
                    name=person.full_name,
                )
        key = next(iter(candidates)) if candidates else f"new:{email}"
        for s in group:
            s.person = key

    # One person, one e-mail address: two employments of the same person must agree.
    by_person: dict[str, list[_StaffRow]] = defaultdict(list)
    for s in staff:
        if s.person:
            by_person[s.person].append(s)
    for key, group in by_person.items():
        if len({g.email for g in group}) > 1:
            for s in group:
                s.result.error(
                    "e-mail",
                    gettext_noop("Rows %(rows)s belong to the same person but have different e-mail addresses."),
                    rows=_rows_text(g.result.row or 0 for g in group),
                )
            continue
        first = group[0]
        given, prefix, family = first.names
        wanted = NewPerson(email=first.email, given_name=given, name_prefix=prefix, family_name=family)
        if key.startswith("new:"):
            plan.new_people[key] = wanted
            continue
        person = state.people[key]
        if key not in state.board_person_ids:
            # Someone with an account elsewhere: linked by e-mail; their name stays theirs, and is not shown.
            for s in group:
                s.result.note(gettext_noop("An existing account with this e-mail address is used."))
            continue
        if not any(g.number in state.employments for g in group):
            continue  # a new employment only: the person stays as they are
        if key in state.shared_person_ids:
            # Their account is shared with another board or a provider: one board may not change the
            # sign-in address or name others rely on (that would let it take the account over).
            for s in group:
                s.result.note(
                    gettext_noop(
                        "This person also works for another organisation: their name and e-mail address "
                        "stay as they are."
                    )
                )
            continue
        if person.email.lower() == wanted.email:
            wanted.email = person.email  # a difference in capitals only is no change
        if (person.email, person.given_name, person.name_prefix, person.family_name) != (
            wanted.email,
            wanted.given_name,
            wanted.name_prefix,
            wanted.family_name,
        ):
            plan.person_updates[key] = wanted
            plan.update_changes[f"person:{key}"] = {
                name: [getattr(person, name), getattr(wanted, name)]
                for name in ("email", "given_name", "name_prefix", "family_name")
                if getattr(person, name) != getattr(wanted, name)
            }


def _resolve_managers(staff: list[_StaffRow], state: BoardState) -> None:
    # A reference to a row that has errors of its own resolves to "" and adds no second error here.
    file_numbers = {s.number: s.person for s in staff if s.number}
    file_emails = {s.email: s.person for s in staff if s.email}
    for s in staff:
        if not s.manager:
            continue
        reference = s.manager.strip()
        key: str | None
        if "@" in reference:
            reference = reference.lower()
            key = file_emails.get(reference)
            if key is None:
                owner = state.people_by_email.get(reference)
                key = owner if owner in state.board_person_ids else None
        else:
            key = file_numbers.get(reference)
            if key is None and reference in state.employments:
                key = state.employments[reference].person_id
        if key == "":
            s.manager = ""
        elif key is None:
            s.result.error(
                "leidinggevende",
                gettext_noop(
                    "No colleague with personnel number or e-mail address “%(value)s” at your board or in this file."
                ),
                value=reference,
            )
        elif s.person and key == s.person:
            s.result.error("leidinggevende", gettext_noop("Someone cannot be their own manager."))
        else:
            s.manager = key


def _plan_employment(s: _StaffRow, state: BoardState, plan: Plan) -> None:
    result = s.result
    if s.team and s.school:
        team_key = (s.school.id, s.team.casefold())
        if team_key not in state.teams:
            if team_key not in plan.new_teams:
                plan.new_teams[team_key] = s.team
            result.note(
                gettext_noop("Team “%(team)s” will be created at %(school)s."), team=s.team, school=s.school.name
            )
    if result.errors or s.school is None or s.function is None or s.start_date is None or s.fte is None:
        return
    values = EmploymentValues(
        personnel_number=s.number,
        person=s.person,
        school_id=s.school.id,
        team=(s.school.id, s.team) if s.team else None,
        function=s.function,
        start_date=s.start_date,
        end_date=s.end_date,
        fte=s.fte,
        manager=s.manager or None,
        label=f"{result.label} – {s.school.name}",
    )
    existing = state.employments.get(s.number)
    if existing is None:
        result.action = CREATE
        if s.person.startswith("new:"):
            result.note(gettext_noop("New account."))
        if s.end_date and s.end_date <= state.today:
            result.note(gettext_noop("This employment has already ended (%(date)s)."), date=_fmt_date(s.end_date))
        plan.employment_creates.append(values)
        return

    values.employment_id = existing.id
    changes = result.changes
    person_after = plan.person_updates.get(s.person)
    if person_after is not None:
        person = state.people[s.person]
        for name in ("email", "given_name", "name_prefix", "family_name"):
            old, new = getattr(person, name), getattr(person_after, name)
            if old != new:
                changes.append({"field": name, "old": old, "new": new})
    schools = state.schools_by_id
    if existing.school_id != values.school_id:
        changes.append(
            {"field": "school", "old": schools[existing.school_id].name, "new": schools[values.school_id].name}
        )
    team_id_now = state.teams.get((values.school_id, s.team.casefold()), (None, ""))[0] if s.team else None
    if existing.team_id != team_id_now or (s.team and team_id_now is None):
        old_team = state.team_names.get(existing.team_id, "") if existing.team_id else ""
        changes.append({"field": "team", "old": old_team, "new": s.team})
    if existing.function != values.function:
        changes.append({"field": "function", "old": existing.function, "new": values.function})
    if existing.start_date != values.start_date:
        changes.append(
            {"field": "start_date", "old": _fmt_date(existing.start_date), "new": _fmt_date(values.start_date)}
        )
    if existing.end_date != values.end_date:
        changes.append({"field": "end_date", "old": _fmt_date(existing.end_date), "new": _fmt_date(values.end_date)})
    if existing.fte != values.fte:
        changes.append({"field": "fte", "old": _fmt_fte(existing.fte), "new": _fmt_fte(values.fte)})
    if existing.manager_id != values.manager:
        changes.append(
            {
                "field": "manager",
                "old": _person_name(state, plan, existing.manager_id),
                "new": _person_name(state, plan, values.manager),
            }
        )
    was_active = existing.end_date is None or existing.end_date > state.today
    if values.end_date is not None and values.end_date <= state.today and was_active:
        result.action = END
    elif changes:
        result.action = UPDATE
    else:
        result.action = UNCHANGED
    if changes:
        plan.employment_updates.append(values)
        plan.update_changes[f"employment:{existing.id}"] = {c["field"]: [c["old"], c["new"]] for c in changes}


def _person_name(state: BoardState, plan: Plan, key: str | None) -> str:
    if not key:
        return ""
    if key in state.people:
        return state.people[key].full_name
    new = plan.new_people.get(key)
    if new is None:
        return ""
    return " ".join(p for p in (new.given_name, new.name_prefix, new.family_name) if p)


def plan_schools(rows: list[Row], state: BoardState) -> Plan:
    """Decide per row whether a school is created, updated or unchanged (key: the BRIN number)."""
    plan = Plan(kind=KIND_SCHOOLS)
    seen: dict[str, list[RowResult]] = defaultdict(list)
    for row in rows:
        number_text = row.get("_row", "")
        name, place = _text(row, "name"), _text(row, "place")
        brin = normalize_brin(row.get("brin", ""))
        result = RowResult(row=int(number_text) if number_text.isdigit() else None, key=brin, label=name)
        plan.results.append(result)
        if not name:
            result.error("naam", gettext_noop("This column is required."))
        _check_length(result, "naam", name, 200)
        _check_length(result, "plaats", place, 100)
        if not brin:
            result.error("brin", gettext_noop("This column is required."))
            continue
        try:
            validate_brin(brin)
        except ValidationError:
            result.error(
                "brin",
                gettext_noop("“%(value)s” is not a BRIN number: 2 digits and 2 letters (12AB), optionally 2 digits."),
                value=row.get("brin", ""),
            )
            continue
        seen[brin].append(result)
        if brin in state.other_board_brins:
            result.error("brin", gettext_noop("BRIN %(brin)s belongs to a school of another board."), brin=brin)
        if result.errors:
            continue
        existing = state.schools.get(brin)
        if existing is None:
            result.action = CREATE
            plan.school_creates.append(SchoolInfo(0, brin, name, place))
            continue
        if existing.name != name:
            result.changes.append({"field": "name", "old": existing.name, "new": name})
        if existing.place != place:
            result.changes.append({"field": "place", "old": existing.place, "new": place})
        if result.changes:
            result.action = UPDATE
            plan.school_updates.append(SchoolInfo(existing.id, brin, name, place))
            plan.update_changes[f"school:{existing.id}"] = {c["field"]: [c["old"], c["new"]] for c in result.changes}
    for brin, group in seen.items():
        if len(group) > 1:
            rows_text = _rows_text(r.row or 0 for r in group)
            for result in group:
                result.error(
                    "brin",
                    gettext_noop("BRIN %(brin)s appears more than once in the file (rows %(rows)s)."),
                    brin=brin,
                    rows=rows_text,
                )
    return plan


# ---------------------------------------------------------------------------------------------
# Showing a stored plan, and the templates to download
# ---------------------------------------------------------------------------------------------


def render_message(problem: Mapping[str, Any]) -> str:
    """A stored message in the active language."""
    text = gettext(problem["msg"])
    params = problem.get("params") or {}
    return text % params if params else text


def rows_for_display(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored row results with their messages and field names translated (for one page of the table)."""
    labels = dict(Function.choices)
    shown = []
    for row in rows:
        changes = []
        for change in row.get("changes", []):
            old, new = change["old"], change["new"]
            if change["field"] == "function":
                old, new = str(labels.get(old, old)), str(labels.get(new, new))
            changes.append({"field": str(FIELD_LABELS.get(change["field"], change["field"])), "old": old, "new": new})
        shown.append(
            {
                **row,
                "action_label": str(ACTION_LABELS.get(row.get("action", ""), "")),
                "changes": changes,
                "notes": [render_message(n) for n in row.get("notes", [])],
                "errors": [{"column": e["column"], "message": render_message(e)} for e in row.get("errors", [])],
            }
        )
    return shown


def template_rows(kind: str) -> tuple[list[str], list[str]]:
    """The header and one example row of the downloadable template."""
    columns = columns_for(kind)
    return [c.header for c in columns], [c.example for c in columns]


def template_csv(kind: str) -> bytes:
    """A template CSV as Dutch Excel writes it: UTF-8 with a BOM, separated by semicolons."""
    header, example = template_rows(kind)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """A template workbook: the header, one example row, dates as real dates and text columns as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header, example = template_rows(kind)
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "Personeel" if kind == KIND_STAFF else "Scholen"
    sheet.append(header)
    values: list[object] = []
    for column, value in zip(columns_for(kind), example, strict=True):
        if column.key in ("start_date", "end_date") and value:
            values.append(parse_date(value))
        else:
            values.append(value)
    sheet.append(values)
    for index, column in enumerate(columns_for(kind), start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
        if column.key in ("start_date", "end_date"):
            sheet.cell(row=2, column=index).number_format = "DD-MM-YYYY"
        else:
            # Personnel numbers with leading zeros and BRINs must stay text.
            sheet.cell(row=2, column=index).number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
