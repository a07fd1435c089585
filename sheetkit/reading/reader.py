"""Turn a workbook's grids into a Plan: find sheets and headers by label, parse cells.

Nothing here judges the plan; problems found while reading are recorded next
to the values (``*_error`` columns) or, for a missing sheet or header, as a
structure finding, and the validators decide what to report.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache
from typing import Any

from .. import layouts
from ..layouts.base import Layout
from ..model import catalog, contract
from ..model.contract import (
    SHEET_INFO,
    SHEET_PLAN,
    Field,
    Table,
)
from ..model.findings import Finding, structure_finding
from ..model.plan import InfoValue, Plan
from . import parsing
from .parsing import ParseError, is_blank
from .sources import Grid, Workbook, column_letter, open_workbook
from .text import (
    clean,
    clean_lines,
    folded_key,
    has_controls,
    label_key,
    legacy_encoding,
    to_unicode,
)

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
TT57_CODES = catalog.family_codes(catalog.FAMILY_TT57)

# Parsers of single values, by the name a field's ``parser`` gives.
VALUE_PARSERS = {
    "level": PARSE_LEVEL,
    "level_tt57": _memo(parsing.parse_level_tt57),
    "month": PARSE_MONTH,
    "budget": PARSE_BUDGET,
    "criterion": PARSE_CRITERION,
    "school_level": lambda v: parsing.parse_choice(v, parsing.SCHOOL_LEVEL_CHOICES),
    "plan_type": lambda v: parsing.parse_choice(v, parsing.PLAN_TYPE_CHOICES),
    "school_year": parsing.parse_school_year,
    "date": parsing.parse_date,
    "review_date": parsing.parse_review_date,
    "number": _memo(parsing.parse_ordinal),
    "standard": _memo(parsing.parse_standard),
    "criteria": lambda v: parsing.parse_criteria(v, TT57_CODES),
    "progress": _memo(parsing.parse_progress),
    "province": lambda v: parsing.parse_province(v, catalog.provinces()),
    "circular": parsing.parse_circular,
}


def parsers(layout: str) -> dict:
    """The value parsers of a layout: the defaults, and those its layout object changes."""
    return {**VALUE_PARSERS, **_layout_parsers(layouts.get(layout))}


@cache
def _layout_parsers(layout: Layout) -> dict:
    """A layout's own parsers, each remembering its answers like the defaults (once a process)."""
    return {key: _memo(parser) for key, parser in layout.value_parsers().items()}


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan workbook (.xlsx, .xlsm, .xls, .ods); raises sources.ReadError."""
    return plan_from_workbook(open_workbook(path), source=str(path))


def is_plan_workbook(book: Workbook) -> bool:
    """True when a workbook holds a school's plan, of either layout: a Kế hoạch or Thông tin
    sheet (a sheetkit summary has neither)."""
    return book.find_sheet(SHEET_PLAN) is not None or book.find_sheet(SHEET_INFO) is not None


def plan_from_grids(grids: dict[str, Grid], source: str = "") -> Plan:
    """A Plan from grids already in memory (the Excel glue, tests)."""
    return plan_from_workbook(Workbook.from_grids(grids), source)


def plan_from_workbook(book: Workbook, source: str = "") -> Plan:
    """The Plan of a workbook: its layout first, then Thông tin and each table sheet."""
    try:
        return _plan_from_workbook(book, source)
    finally:
        _indexed.clear()  # the header index holds this workbook's grids: let them go


def _plan_from_workbook(book: Workbook, source: str) -> Plan:
    layout, notes = detect_layout(book)
    spec = layouts.get(layout)
    plan = Plan(source=source, info={}, layout=layout, family_id=spec.family)
    plan.structure.extend(notes)
    mixed = any(f.rule == "structure.mixed_layouts" for f in notes)
    legacy: list[dict[str, Any]] = []
    value_parsers = parsers(layout)
    fields = spec.info_fields

    name = book.find_sheet(SHEET_INFO)
    if name is None:
        plan.structure.append(structure_finding("structure.missing_sheet", SHEET_INFO))
        plan.info = {f.key: InfoValue(f.label) for f in fields}
    else:
        plan.sheet_names[SHEET_INFO] = name
        plan.info = _read_info(book.grid(name), fields, value_parsers, legacy)
        plan.columns[SHEET_INFO] = {f.key: "B" for f in fields}  # legacy cells

    for table in spec.tables:
        name = book.find_sheet(table.sheet)
        if name is None:
            if not mixed:
                plan.structure.append(structure_finding("structure.missing_sheet", table.sheet))
            continue
        plan.sheet_names[table.sheet] = name
        grid = book.grid(name)
        columns = table.fields
        header_row, mapping = find_header(grid, columns)
        missing = [f.label for f in columns if f.required and f.key not in mapping]
        if header_row is None or missing:
            if not mixed:  # the mixed workbook's one finding says why
                plan.structure.append(
                    structure_finding(
                        "structure.missing_header",
                        table.sheet,
                        row=None if header_row is None else header_row + 1,
                        value=", ".join(missing or [f.label for f in columns if f.required]),
                    )
                )
            continue
        plan.columns[table.sheet] = {key: column_letter(col) for key, col in mapping.items()}
        plan.header_rows[table.sheet] = header_row + 1
        plan.records[table.key] = _table_rows(
            grid, header_row, mapping, table, value_parsers, legacy
        )
    plan.legacy_cells = legacy
    return plan


# Labels and headers only one layout has: they tell a TT57 workbook from a 2018 one.
def _distinct_keys(layout: Layout) -> tuple[frozenset[str], frozenset[str]]:
    others = [other for other in layouts.all_layouts() if other.id != layout.id]
    their_plan = {f.key for other in others for f in other.plan_columns}
    their_info = {f.key for other in others for f in other.info_fields}
    mine_plan = {f.key for f in layout.plan_columns} - their_plan
    mine_info = {f.key for f in layout.info_fields if f.in_template} - their_info
    return frozenset(mine_plan), frozenset(mine_info)


def detect_layout(book: Workbook) -> tuple[str, list[Finding]]:
    """The layout (sheetkit.layouts) a workbook follows, from its content, never its file name.

    A "Thông tư" line in Thông tin decides; otherwise the sheets and labels
    only one layout has (Vấn đề trọng tâm, Theo dõi, "Nội dung cải tiến" ...
    against "Mức cần đạt", "Dự kiến kinh phí" ...); the first layout (the
    2018 table) when nothing tells. A workbook holding substantial parts of
    two is reported once (structure.mixed_layouts).
    """
    notes: list[Finding] = []
    candidates = layouts.all_layouts()
    scores = {layout.id: 0 for layout in candidates}
    plan_scores = dict(scores)
    declared = None
    info_name = book.find_sheet(SHEET_INFO)
    plan_name = book.find_sheet(SHEET_PLAN)
    labels = {}
    if info_name is not None:
        grid = book.grid(info_name)
        labels = {r: row[0] for r, row in enumerate(grid) if row and _label_candidate(row[0])}
    label_rows = _label_rows(labels)
    for layout in candidates:
        plan_keys, info_keys = _distinct_keys(layout)
        for f in layout.info_fields:
            if f.key in info_keys and _first_row(label_rows, f) is not None:
                scores[layout.id] += 1
        if plan_name is not None:
            _, mapping = find_header(book.grid(plan_name), layout.plan_columns)
            plan_scores[layout.id] = len(set(mapping) & plan_keys)
            scores[layout.id] += plan_scores[layout.id]
        scores[layout.id] += 3 * sum(
            book.find_sheet(sheet) is not None for sheet in layout.distinct_sheets
        )
    circular_field = next(f for f in contract.INFO_FIELDS_TT57 if f.key == "circular")
    for r, text in labels.items():
        if _matches(text, circular_field):
            raw = _cell(book.grid(info_name), r, 1)
            try:
                declared = parsing.parse_circular(raw)
            except ParseError:
                notes.append(_circular_unknown(r + 1, raw))
            break
    # The highest score; on a tie the earlier layout (the 2018 table first).
    layout = declared or max(scores, key=lambda key: (scores[key], -list(scores).index(key)))
    others = [score for key, score in plan_scores.items() if key != layout]
    if others and max(others) >= MIXED_PLAN_HEADERS:
        notes.append(_mixed(layout))
    return layout, notes


# This many headers of another layout in Kế hoạch make a workbook "mixed".
MIXED_PLAN_HEADERS = 3


def _mixed(layout: str) -> Finding:
    finding = structure_finding(
        "structure.mixed_layouts", SHEET_PLAN, value=layouts.get(layout).name
    )
    return finding


def _circular_unknown(row: int, raw: object) -> Finding:
    from ..validators.rules import BY_ID

    rule = BY_ID["info.circular_unknown"]
    return Finding(
        severity=rule.severity,
        rule=rule.id,
        sheet=SHEET_INFO,
        cell=f"B{row}",
        row=row,
        column="Thông tư",
        item=None,
        criterion=None,
        value=clean(raw) or None,
        message=rule.message_for({"value": clean(raw) or "(trống)"}),
    )


def _cell(grid: Grid, row: int, col: int) -> Any:
    if row < len(grid) and col < len(grid[row]):
        return grid[row][col]
    return None


_FIELD_KEYS: dict[int, tuple[Field, frozenset[str], frozenset[str]]] = {}


def _field_keys(f: Field) -> tuple[frozenset[str], frozenset[str]]:
    """The label keys a field answers to: exact (NFC, case, spaces) and without diacritics.

    Kept by the field's identity: hashing a frozen dataclass hashes all its
    values, which a thousand files would pay a hundred thousand times.
    """
    found = _FIELD_KEYS.get(id(f))
    if found is None or found[0] is not f:
        names = (f.label, *f.aliases)
        exact = frozenset(label_key(n) for n in names)
        found = _FIELD_KEYS[id(f)] = (f, exact, frozenset(folded_key(n) for n in names))
    return found[1], found[2]


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


# Grids whose first rows were indexed, by identity (the grid is kept to check it):
# layout detection and the reader look for headers in the same grids. Emptied
# after each workbook (plan_from_workbook).
_indexed: dict[int, tuple[Grid, list[dict[str, list[int]]]]] = {}


def _header_labels(grid: Grid) -> list[dict[str, list[int]]]:
    """For each of the first rows: label key (exact and without diacritics) -> columns."""
    found = _indexed.get(id(grid))
    if found is not None and found[0] is grid:
        return found[1]
    rows = []
    for row in grid[:HEADER_SEARCH_ROWS]:
        at: dict[str, list[int]] = {}
        for c, v in enumerate(row):
            # _label_candidate, inline: this runs for every cell of a workbook's first rows.
            if v.__class__ is str and 0 < len(v) <= MAX_LABEL_CHARS and not v.isspace():
                key, fkey = _label_keys(v)
                at.setdefault(key, []).append(c)
                if fkey != key:
                    at.setdefault(fkey, []).append(c)
        rows.append(at)
    _indexed[id(grid)] = (grid, rows)
    return rows


def _label_rows(labels: dict[int, object]) -> dict[str, int]:
    """Label key (exact and without diacritics) -> the first row holding it."""
    rows: dict[str, int] = {}
    for r, text in labels.items():
        if _label_candidate(text):
            for key in _label_keys(text):
                rows.setdefault(key, r)
    return rows


def _first_row(label_rows: dict[str, int], f: Field) -> int | None:
    """The first row whose label is the field's (``_matches``), by lookup."""
    found = [label_rows[k] for k in frozenset().union(*_field_keys(f)) if k in label_rows]
    return min(found) if found else None


def find_header(grid: Grid, columns: tuple[Field, ...]) -> tuple[int | None, dict[str, int]]:
    """The header row (0-based) and field key -> column index, found by labels.

    The header is the row among the first rows that names the most contract
    columns; a title block above it is fine. Each field takes the first
    column that matches its label (then its aliases).
    """
    best_row, best = None, {}
    wanted = [(f.key, frozenset().union(*_field_keys(f))) for f in columns]
    for r, at in enumerate(_header_labels(grid)):
        if len(at) < 2:
            continue
        mapping: dict[str, int] = {}
        taken: set[int] = set()
        for key, keys in wanted:
            # The first column (left to right) whose label matches, not taken by a field before.
            found = [c for k in keys for c in at.get(k, ()) if c not in taken]
            if found:
                mapping[key] = min(found)
                taken.add(mapping[key])
        if len(mapping) > len(best):
            best_row, best = r, mapping
            if len(best) == len(columns):
                break
    if len(best) < 2:
        return None, {}
    return best_row, best


def _read_info(grid: Grid, fields, value_parsers, legacy: list) -> dict[str, InfoValue]:
    result = {}
    labels = {r: grid[r][0] for r in range(len(grid)) if grid[r] and isinstance(grid[r][0], str)}
    label_rows = _label_rows(labels)
    for f in fields:
        item = InfoValue(f.label)
        row = _first_row(label_rows, f)
        if row is not None:
            raw = _note_legacy(legacy, SHEET_INFO, row + 1, f.key, _cell(grid, row, 1))
            item.cell = f"B{row + 1}"
            item.raw = None if is_blank(raw) else raw
            parser = value_parsers.get(f.parser or "")
            try:
                if parser:
                    item.value = parser(raw)
                else:
                    item.value = (clean_lines(raw) if f.parser == "lines" else clean(raw)) or None
            except ParseError as err:
                item.error = str(err)
        result[f.key] = item
    return result


def _note_legacy(legacy: list, sheet: str, row: int, key: str, value: object) -> object:
    """The cell's value, converted to Unicode (and noted) when typed in TCVN3 or VNI.

    A cell holding control characters (dropped by ``clean``) is noted too, for
    the rule text.control_characters.
    """
    if isinstance(value, str):
        cell = {"sheet": sheet, "row": row, "column": key, "value": value}
        if has_controls(value):
            legacy.append({**cell, "encoding": None, "control": True})
        encoding = legacy_encoding(value)
        if encoding:
            legacy.append({**cell, "encoding": encoding, "control": None})
            return to_unicode(value, encoding)
    return value


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


_EMPTY_CELLS = frozenset({"", None})


def _data_rows(grid: Grid, header_row: int, mapping: dict[str, int], skip=frozenset()):
    """(excel_row, {key: value}) for each non-blank row under the header."""
    looked = [col for key, col in mapping.items() if key not in skip]
    widest = max(looked, default=-1)
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        # Most rows under a template's header are empty: tell so before building anything
        # (a set of the row's values in one C pass, then the exact test if need be).
        if len(row) > widest and set(map(row.__getitem__, looked)) <= _EMPTY_CELLS:
            continue
        if not any(col < len(row) and not is_blank(row[col]) for col in looked):
            continue
        yield r + 1, {key: _cell(grid, r, col) for key, col in mapping.items()}


def _table_rows(grid, header_row, mapping, table: Table, value_parsers, legacy) -> list[dict]:
    """One record per filled row under the header; plan rows are numbered (``item``)."""
    derived = {f.key for f in table.fields if f.derived}
    records: list[dict[str, Any]] = []
    for row, values in _data_rows(grid, header_row, mapping, skip=derived):
        record: dict[str, Any] = {"row": row}
        if table.key == "items":
            record["item"] = len(records) + 1
        _read_fields(record, table.fields, values, table.sheet, value_parsers, legacy)
        if table.key == "issues" and record.get("tt") is None and not record.get("tt_error"):
            # The template numbers issues as they are filled; a file saved without formula
            # results reads the same numbers by position.
            record["tt"] = len(records) + 1
        records.append(record)
    return records


def _read_fields(record: dict, columns, values: dict, sheet: str, value_parsers, legacy) -> None:
    """Parse each field of one table row into ``record``, as its declaration says."""
    row = record["row"]
    for f in columns:
        kind = f.parser
        value = values.get(f.key)
        if kind is None:
            continue
        value = _note_legacy(legacy, sheet, row, f.key, value)
        if kind == "criterion":
            err = _parse(record, f.key, value_parsers["criterion"], value)
            record[f"{f.key}_ambiguous"] = isinstance(err, parsing.AmbiguousCriterion)
        elif kind == "evidence":
            # The text is kept as typed; the codes found in it are checked.
            record[f.key] = clean_lines(value) or None
            found = parsing.parse_evidence(value)
            record[f"{f.key}_codes"] = found.codes if found else ()
            record[f"{f.key}_old"] = found.old if found else ()
            record[f"{f.key}_malformed"] = found.malformed if found else ()
        elif kind == "progress":
            # Free text is allowed (and warned about): keep it, cleaned, when not in the list.
            err = _parse(record, f.key, value_parsers["progress"], value)
            if err is not None:
                record[f.key] = clean(value)
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
        elif kind in value_parsers:
            _parse(record, f.key, value_parsers[kind], value)
        else:  # text: "lines" keeps the line breaks typed in the cell
            record[f.key] = (clean_lines(value) if kind == "lines" else clean(value)) or None
