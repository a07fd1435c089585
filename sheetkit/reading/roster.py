"""Read a list of schools (danh sách trường): the template's workbook, any workbook, or CSV.

The sheet and the header row are found by their labels, as for plans: an
officer's own list exported from the sector database reads too, provided it
has at least the columns Tên trường and Cấp học. Nothing is judged here: a
level or a province that is not understood keeps what was typed and why, and
``checking/roster.py`` reports it.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..model import catalog
from ..model.contract import SHEET_PLAN
from ..model.findings import Finding, structure_finding
from ..model.roster import (
    BODY_FIELDS,
    ROSTER_FIELDS,
    SHEET_BODY,
    SHEET_ROSTER,
    ReportingBody,
    Roster,
    RosterSchool,
)
from ..validators.roster import ROSTER_RULES_BY_ID
from . import parsing
from .parsing import ParseError, is_blank
from .sources import Grid, ReadError, Workbook, column_letter, open_workbook, read_bytes
from .text import clean, clean_lines, folded_key

HEADER_SEARCH_ROWS = 30
# A header row names at least this many of the list's columns.
MIN_HEADERS = 2
CSV_ENCODINGS = ("utf-8-sig", "cp1258")  # "CSV UTF-8" and Excel's Vietnamese Windows code page


def _keys(names) -> set[str]:
    return {folded_key(n) for n in names}


FIELD_KEYS = {f.key: _keys((f.header, *f.aliases)) for f in ROSTER_FIELDS}
BODY_KEYS = {f.key: _keys((f.label, *f.aliases)) for f in BODY_FIELDS}


def read_roster(path: str | os.PathLike[str]) -> Roster:
    """The list in ``path`` (.xlsx, .xlsm, .ods, .xls or .csv); ReadError when unreadable."""
    name = str(path)
    if Path(path).suffix.lower() in (".csv", ".txt"):
        return roster_from_grid(_csv_grid(read_bytes(path)), name, body=None)
    workbook = open_workbook(path)
    sheet = workbook.find_sheet(SHEET_ROSTER)
    candidates = [sheet] if sheet else [s for s in workbook.sheet_names if s not in (SHEET_BODY,)]
    grid: Grid = []
    for candidate in candidates:
        grid = workbook.grid(candidate)
        if _header_row(grid) is not None:
            sheet = candidate
            break
    body_sheet = workbook.find_sheet(SHEET_BODY)
    body, cells = _body(workbook.grid(body_sheet)) if body_sheet else (ReportingBody(), {})
    roster = roster_from_grid(grid if sheet else [], name, body, sheet or SHEET_ROSTER)
    roster.body_cells = cells
    return roster


def is_roster(path: str | os.PathLike[str]) -> bool:
    """A CSV file, or a workbook that is a list of schools (``is_roster_workbook``).

    Only the sheet names are looked at: no grid is loaded.
    """
    if Path(path).suffix.lower() in (".csv", ".txt"):
        return True
    try:
        return is_roster_workbook(open_workbook(path))
    except ReadError:
        return False  # the plan reader says why the file cannot be read


def is_roster_workbook(book: Workbook) -> bool:
    """A list of schools (the sheet Danh sách trường), not a plan (no Kế hoạch sheet)."""
    return book.find_sheet(SHEET_PLAN) is None and book.find_sheet(SHEET_ROSTER) is not None


def _csv_grid(data: bytes) -> Grid:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly every byte
        raise ReadError("tệp CSV không phải chữ Unicode (UTF-8): hãy lưu lại dạng CSV UTF-8")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _header_row(grid: Grid) -> int | None:
    """0-based index of the row naming the list's columns, or None."""
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found = {key for key in _columns(row)}
        if "name" in found and len(found) >= MIN_HEADERS:
            return r
    return None


def _columns(row: list[object]) -> dict[str, int]:
    """Field key -> 0-based column, for the cells of ``row`` that are headers."""
    found: dict[str, int] = {}
    for c, value in enumerate(row):
        if not isinstance(value, str) or len(value) > 60:
            continue
        key = folded_key(value)
        for field_key, names in FIELD_KEYS.items():
            if key in names and field_key not in found:
                found[field_key] = c
                break
    return found


def roster_from_grid(
    grid: Grid, source: str, body: ReportingBody | None, sheet: str = SHEET_ROSTER
) -> Roster:
    """The schools under the header row of ``grid``; structure findings when there is none."""
    roster = Roster(source=source, schools=[], body=body, sheet=sheet)
    header = _header_row(grid)
    if header is None:
        roster.structure.append(_structure("roster.missing_sheet", sheet))
        return roster
    columns = _columns(grid[header])
    roster.header_row = header + 1
    roster.columns = {key: column_letter(c) for key, c in columns.items()}
    for f in ROSTER_FIELDS:
        if f.required and f.key not in columns:
            roster.structure.append(
                _structure("roster.missing_header", sheet, header + 1, f.header)
            )
    provinces = catalog.provinces()
    for r in range(header + 1, len(grid)):
        row = grid[r]
        values = {key: (row[c] if c < len(row) else None) for key, c in columns.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        roster.schools.append(_school(r + 1, values, provinces))
    return roster


def _school(row: int, values: dict[str, object], provinces) -> RosterSchool:
    raw: dict[str, object] = {}
    errors: dict[str, str] = {}

    def parsed(key: str, parse) -> str | None:
        value = values.get(key)
        if is_blank(value):
            return None
        raw[key] = value
        try:
            return parse(value)
        except ParseError as err:
            errors[key] = str(err)
            return None

    text = {key: (clean(v) or None) for key, v in values.items()}
    return RosterSchool(
        row=row,
        code=school_code(values.get("code")),
        name=text.get("name"),
        school_level=parsed(
            "school_level", lambda v: parsing.parse_choice(v, parsing.SCHOOL_LEVEL_CHOICES_TT57)
        ),
        ownership=text.get("ownership"),
        commune=text.get("commune"),
        province=parsed("province", lambda v: parsing.parse_province(v, provinces)),
        managing_body=text.get("managing_body"),
        contact=text.get("contact"),
        phone=school_code(values.get("phone")),
        email=text.get("email"),
        raw=raw,
        errors=errors,
    )


def school_code(value: object) -> str | None:
    """A code as text: 790033 typed as a number stays 790033 (not 790033.0); leading zeros kept."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value) or None


def _body(grid: Grid) -> tuple[ReportingBody, dict[str, str]]:
    """The Đơn vị tổng hợp block: labels in column A, values in column B."""
    values: dict[str, object] = {}
    cells: dict[str, str] = {}
    for r, row in enumerate(grid[:60]):
        if not row or not isinstance(row[0], str):
            continue
        key = folded_key(row[0])
        for field_key, names in BODY_KEYS.items():
            if key in names and field_key not in cells:
                cells[field_key] = f"B{r + 1}"
                values[field_key] = row[1] if len(row) > 1 else None
                break
    text = {key: (clean(v) or None) for key, v in values.items() if key not in _LINES}
    lines = {
        key: tuple(line for line in clean_lines(values.get(key)).split("\n") if line.strip())
        for key in _LINES
    }
    province, errors = text.get("province"), {}
    if province:
        try:
            province = parsing.parse_province(province, catalog.provinces()) or province
        except ParseError as err:  # kept as typed; the check says why
            errors["province"] = str(err)
    body = ReportingBody(
        name=text.get("name"),
        parent=text.get("parent"),
        province=province,
        commune=text.get("commune"),
        number=school_code(values.get("number")),
        place=text.get("place"),
        signer=text.get("signer"),
        authority=lines["authority"],
        title=text.get("title"),
        recipients=lines["recipients"],
        errors=errors,
    )
    return body, cells


_LINES = ("authority", "recipients")  # cells of several lines (Alt+Enter)


def _structure(rule_id: str, sheet: str, row: int | None = None, value: object = None) -> Finding:
    return structure_finding(rule_id, sheet, row, value, rules=ROSTER_RULES_BY_ID)
