"""Turn a workbook's grids into a Plan: find sheets and headers by label, parse cells.

Nothing here judges the plan; problems found while reading are recorded next
to the values (``*_error`` columns) or, for a missing sheet or header, as a
structure finding, and the validators decide what to report.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache
from typing import Any

from ..model import catalog, contract
from ..model.contract import SHEET_ASSESSMENT, SHEET_INFO, SHEET_PLAN, Field
from ..model.findings import structure_finding
from ..model.plan import InfoValue, Plan
from . import parsing
from .parsing import ParseError, is_blank
from .sources import Grid, Workbook, column_letter, open_workbook
from .text import clean, clean_lines, folded_key, label_key, legacy_encoding

HEADER_SEARCH_ROWS = 40
# Longer than any label or alias with room for notes like "(*)": such a cell is
# data, not a header, and is not worth normalising while looking for headers.
MAX_LABEL_CHARS = 80
ALL_CODES = {code for c in catalog.circulars() for code in c.codes}


def _memo(parser):
    """The parser, remembering its answers for plain cell values.

    Parsers are pure and a district's cells repeat ("Mức 2", "9/2024",
    "Không"), so each distinct value is parsed once per process. ``typed``
    keeps 1, 1.0 and True apart. Errors are not remembered (they are rare).
    """
    cached = lru_cache(maxsize=8192, typed=True)(parser)

    def parse(value: object):
        if isinstance(value, (str, int, float)) and not (
            isinstance(value, str) and len(value) > 200
        ):
            return cached(value)
        return parser(value)

    return parse


PARSE_LEVEL = _memo(parsing.parse_level)
PARSE_MONTH = _memo(parsing.parse_month)
PARSE_BUDGET = _memo(parsing.parse_budget)
PARSE_CRITERION = _memo(lambda v: parsing.parse_criterion(v, ALL_CODES))

# Parsers of single values, by the name a field's ``parser`` gives.
VALUE_PARSERS = {
    "level": PARSE_LEVEL,
    "month": PARSE_MONTH,
    "budget": PARSE_BUDGET,
    "criterion": PARSE_CRITERION,
    "school_level": lambda v: parsing.parse_choice(v, parsing.SCHOOL_LEVEL_CHOICES),
    "plan_type": lambda v: parsing.parse_choice(v, parsing.PLAN_TYPE_CHOICES),
    "school_year": parsing.parse_school_year,
    "date": parsing.parse_date,
}


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan workbook (.xlsx, .xlsm, .xls, .ods); raises sources.ReadError."""
    return plan_from_workbook(open_workbook(path), source=str(path))


def plan_from_grids(grids: dict[str, Grid], source: str = "") -> Plan:
    """A Plan from grids already in memory (the Excel glue, tests)."""
    return plan_from_workbook(Workbook.from_grids(grids), source)


def plan_from_workbook(book: Workbook, source: str = "") -> Plan:
    plan = Plan(source=source, info={})
    legacy: list[dict[str, Any]] = []

    name = book.find_sheet(SHEET_INFO)
    if name is None:
        plan.structure.append(structure_finding("structure.missing_sheet", SHEET_INFO))
        plan.info = {f.key: InfoValue(f.label) for f in contract.INFO_FIELDS}
    else:
        plan.sheet_names[SHEET_INFO] = name
        plan.info = _read_info(book.grid(name), legacy)

    for sheet, columns, reader in (
        (SHEET_ASSESSMENT, contract.ASSESSMENT_COLUMNS, _assessment_rows),
        (SHEET_PLAN, contract.PLAN_COLUMNS, _item_rows),
    ):
        name = book.find_sheet(sheet)
        if name is None:
            plan.structure.append(structure_finding("structure.missing_sheet", sheet))
            continue
        plan.sheet_names[sheet] = name
        grid = book.grid(name)
        header_row, mapping = find_header(grid, columns)
        missing = [f.label for f in columns if f.required and f.key not in mapping]
        if header_row is None or missing:
            plan.structure.append(
                structure_finding(
                    "structure.missing_header",
                    sheet,
                    row=None if header_row is None else header_row + 1,
                    value=", ".join(missing or [f.label for f in columns if f.required]),
                )
            )
            continue
        plan.columns[sheet] = {key: column_letter(col) for key, col in mapping.items()}
        records = reader(grid, header_row, mapping, columns, legacy)
        if sheet == SHEET_PLAN:
            plan.item_records = records
        else:
            plan.assessment_records = records
    plan.legacy_cells = legacy
    return plan


def _cell(grid: Grid, row: int, col: int) -> Any:
    if row < len(grid) and col < len(grid[row]):
        return grid[row][col]
    return None


@cache
def _field_keys(f: Field) -> tuple[frozenset[str], frozenset[str]]:
    """The label keys a field answers to: exact (NFC, case, spaces) and without diacritics."""
    names = (f.label, *f.aliases)
    return frozenset(label_key(n) for n in names), frozenset(folded_key(n) for n in names)


@lru_cache(maxsize=8192)
def _label_keys(text: str) -> tuple[str, str]:
    """(label_key, folded_key) of a short text; labels repeat across a district's files."""
    return label_key(text), folded_key(text)


def _label_candidate(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_LABEL_CHARS and not value.isspace()


def _matches(value: object, f: Field) -> bool:
    if not _label_candidate(value):
        return False
    exact, folded = _field_keys(f)
    key, fkey = _label_keys(value)
    return key in exact or fkey in folded


def find_header(grid: Grid, columns: tuple[Field, ...]) -> tuple[int | None, dict[str, int]]:
    """The header row (0-based) and field key -> column index, found by labels.

    The header is the row among the first rows that names the most contract
    columns; a title block above it is fine. Each field takes the first
    column that matches its label (then its aliases).
    """
    best_row, best = None, {}
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        # Each cell's keys once; then every field is a set lookup.
        cells = [(c, *_label_keys(v)) for c, v in enumerate(grid[r]) if _label_candidate(v)]
        mapping: dict[str, int] = {}
        for f in columns:
            exact, folded = _field_keys(f)
            for c, key, fkey in cells:
                if c not in mapping.values() and (key in exact or fkey in folded):
                    mapping[f.key] = c
                    break
        if len(mapping) > len(best):
            best_row, best = r, mapping
            if len(best) == len(columns):
                break
    if len(best) < 2:
        return None, {}
    return best_row, best


def _read_info(grid: Grid, legacy: list[dict[str, Any]]) -> dict[str, InfoValue]:
    result = {}
    labels = {r: grid[r][0] for r in range(len(grid)) if grid[r] and isinstance(grid[r][0], str)}
    for f in contract.INFO_FIELDS:
        item = InfoValue(f.label)
        row = next((r for r, text in labels.items() if _matches(text, f)), None)
        if row is not None:
            raw = _cell(grid, row, 1)
            item.cell = f"B{row + 1}"
            item.raw = None if is_blank(raw) else raw
            parser = VALUE_PARSERS.get(f.parser or "")
            try:
                item.value = parser(raw) if parser else (clean(raw) or None)
            except ParseError as err:
                item.error = str(err)
            _note_legacy(legacy, SHEET_INFO, row + 1, f.key, raw)
        result[f.key] = item
    return result


def _note_legacy(legacy: list, sheet: str, row: int, key: str, value: object) -> None:
    if isinstance(value, str):
        encoding = legacy_encoding(value)
        if encoding:
            legacy.append(
                {"sheet": sheet, "row": row, "column": key, "value": value, "encoding": encoding}
            )


def _parse(record: dict, key: str, parser, value: object) -> ParseError | None:
    record[f"{key}_raw"] = None if is_blank(value) else value
    try:
        record[key] = parser(value)
        record[f"{key}_error"] = None
        return None
    except ParseError as err:
        record[key] = None
        record[f"{key}_error"] = str(err)
        return err


def _data_rows(grid: Grid, header_row: int, mapping: dict[str, int], skip=frozenset()):
    """(excel_row, {key: value}) for each non-blank row under the header."""
    for r in range(header_row + 1, len(grid)):
        values = {key: _cell(grid, r, col) for key, col in mapping.items()}
        if all(is_blank(v) for k, v in values.items() if k not in skip):
            continue
        yield r + 1, values


def _assessment_rows(grid, header_row, mapping, columns, legacy) -> list[dict[str, Any]]:
    derived = {f.key for f in columns if f.derived}
    records = []
    for row, values in _data_rows(grid, header_row, mapping, skip=derived):
        record: dict[str, Any] = {"row": row}
        _read_fields(record, columns, values, SHEET_ASSESSMENT, legacy)
        records.append(record)
    return records


def _item_rows(grid, header_row, mapping, columns, legacy) -> list[dict[str, Any]]:
    derived = {f.key for f in columns if f.derived}
    records = []
    for row, values in _data_rows(grid, header_row, mapping, skip=derived):
        record: dict[str, Any] = {"item": len(records) + 1, "row": row}
        _read_fields(record, columns, values, SHEET_PLAN, legacy)
        records.append(record)
    return records


def _read_fields(record: dict, columns, values: dict, sheet: str, legacy: list) -> None:
    """Parse each field of one table row into ``record``, as its declaration says."""
    row = record["row"]
    for f in columns:
        kind = f.parser
        value = values.get(f.key)
        if kind is None:
            continue
        if kind == "criterion":
            err = _parse(record, f.key, PARSE_CRITERION, value)
            record[f"{f.key}_ambiguous"] = isinstance(err, parsing.AmbiguousCriterion)
        elif kind == "typed_level":
            # A level typed over the template's formula is kept, to compare with Tự đánh giá.
            try:
                record[f"{f.key}_typed"] = PARSE_LEVEL(value)
            except ParseError:
                record[f"{f.key}_typed"] = None
        elif kind == "budget":
            _parse(record, f.key, PARSE_BUDGET, value)
            budget = record[f.key]
            record[f.key] = budget.label if budget else None
            record[f"{f.key}_kind"] = budget.kind if budget else None
            record[f"{f.key}_amount"] = budget.amount if budget else None
            record[f"{f.key}_label"] = budget.label if budget else None
        elif kind in VALUE_PARSERS:
            _parse(record, f.key, VALUE_PARSERS[kind], value)
        else:  # text: "lines" keeps the line breaks typed in the cell
            record[f.key] = (clean_lines(value) if kind == "lines" else clean(value)) or None
            _note_legacy(legacy, sheet, row, f.key, value)
