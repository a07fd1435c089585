"""The Bản kế hoạch sheet: the official plan laid out on a printable worksheet.

``sheet_layout(document)`` decides every cell, merge, style, row height and
page break as plain data, so the same layout is written by openpyxl into a
copy of the school's workbook (``render_xlsx``) and by the Excel button into
the open workbook.

Spreadsheets do not lay out pages the way a word processor does, so this
module does: it wraps every cell's text with the font's metrics, gives the
columns the widths their text needs (``column_widths``), and breaks pages
itself. A Tiêu chuẩn row never ends a page, a long item continues on the
next page as a new row (never leaving fewer than three of its lines on
either side), the total row shares its page with the end of the last item,
and the signature block stays whole on that page. A plan with the sections
of Thông tin (Căn cứ, Mục đích, yêu cầu, Tổ chức thực hiện) prints them
before and after the table: no heading ends a page, the table's header is
written again on each page the table continues on, and the last lines of
the last section go with the signature. Pages are measured with
Excel's line height, the taller of the two applications; rows are written
at LibreOffice's height (which LibreOffice prints as written) and left for
Excel to refit when it opens the file, except rows holding merged text,
whose height is fixed at Excel's.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.worksheet.dimensions import RowDimension

from ..model.contract import SHEET_RENDERED
from ..model.findings import Finding
from ..validators.rules import BY_ID
from .document import (
    CENTERED,
    COLUMN_KEYS,
    COLUMNS,
    DRAFT_MARK,
    MOTTO,
    NATION,
    Document,
    RenderRefused,
    Row,
    is_subheading,
)
from .files import atomic_path, open_for_copy, same_file, show_only, stamp_copy
from .layout import (
    EXCEL,
    LIBREOFFICE,
    LIBREOFFICE_SCREEN,
    Group,
    Measured,
    Metrics,
    fit_widths,
    text_width,
)

FONT = "Times New Roman"
LEFT = (1, 3)  # columns of the left header block (governing body, school, Số, Nơi nhận)
RIGHT = (5, 9)  # columns of the right one (nation, motto, date, the signature)
LAST_COLUMN = len(COLUMNS)
MAX_ROW_POINTS = 409  # Excel's limit
RULE = "─" * 14  # the short rule under the school name, the motto and the title
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20}  # Nghị định 30, Phụ lục I
PAGE_MM = (297, 210)  # A4 landscape
POINTS_PER_MM = 72 / 25.4
TABLE_SIZE = 12  # points: the table's text
# A plan larger than this is refused with a message (not rendered for minutes):
# no school plan comes near it, and Word and the sheet stay fast below it.
MAX_ITEMS = 5_000
MAX_TEXT = 4_000_000  # characters of table text
MAX_LINES = 40_000  # lines of table text: Word's memory grows with them (a paragraph each)
MAX_PAGES = 1_000  # of the printed sheet: Excel keeps at most 1,026 manual page breaks

# Page breaking: an item may continue on the next page when at least
# PIECE_LINES of its lines stay on each side.
PIECE_LINES = 3
KEPT_LINES = 2  # lines of the last section before the signature kept on its page
GAP = 6.0  # points above a section heading
PAGE_SAFETY = 0.97  # of the page's height: rounding in the applications' layout
SAMPLE_ROWS = 120  # items measured when choosing column widths
HEADER_LINES = 3
# Shares of the table's width a column never goes below: "Tiêu chí 1.10: ..."
# reads badly at a dozen letters a line even where it is not the tallest cell.
LEAST_WIDTH = {"criterion": 0.09, "result": 0.1, "solution": 0.15}

# Named styles: size (pt), bold, italic, colour, horizontal alignment, border.
STYLES: dict[str, dict[str, Any]] = {
    "body": {"size": 13, "align": "center"},
    "governing": {"size": 12, "align": "center"},
    "body_bold": {"size": 13, "bold": True, "align": "center"},
    "motto": {"size": 14, "bold": True, "align": "center"},
    "date": {"size": 14, "italic": True, "align": "center"},
    "title": {"size": 14, "bold": True, "align": "center"},
    "rule": {"size": 9, "align": "center"},
    "draft": {"size": 14, "bold": True, "color": "C00000", "align": "center"},
    "header": {"size": 12, "bold": True, "align": "center", "border": "all"},
    "standard": {"size": 12, "bold": True, "align": "left", "border": "all"},
    "standard_tt": {"size": 12, "bold": True, "align": "center", "border": "all"},
    "cell": {"size": 12, "align": "left", "border": "all"},
    "cell_center": {"size": 12, "align": "center", "border": "all"},
    "total": {"size": 12, "bold": True, "align": "right", "border": "all"},
    "total_value": {"size": 12, "bold": True, "align": "center", "border": "all"},
    "recipients_title": {"size": 12, "bold": True, "italic": True, "align": "left"},
    "recipients": {"size": 11, "align": "left"},
    "signer": {"size": 13, "bold": True, "align": "center"},
    # Biểu 2 (Thông tư 57): section headings, their text, notes under a table, issue rows.
    "section": {"size": 13, "bold": True, "align": "left", "valign": "top"},
    "paragraph": {"size": 13, "align": "justify", "valign": "top"},
    "note": {"size": 12, "italic": True, "align": "left", "valign": "top"},
    "group": {"size": 12, "bold": True, "align": "left", "border": "all"},
    "empty": {"size": 12, "italic": True, "align": "center", "border": "all"},
}


class PlanTooLarge(RenderRefused):
    """The plan is far beyond any school's: refused at once rather than rendered for minutes.

    A refusal like a plan with errors (the command exits 1): the file was read,
    but its content cannot be printed as it is.
    """

    def __init__(self, rule_id: str, facts: dict[str, int]):
        rule = BY_ID[rule_id]
        message = rule.message_for({key: _number(value) for key, value in facts.items()})
        finding = Finding(
            rule.severity, rule.id, rule.sheet, None, None, None, None, None, None, message
        )
        super().__init__([finding])
        self.args = (
            "Chưa tạo bản kế hoạch vì kế hoạch quá lớn để in. Hãy xem lại trang Kế hoạch (có thể "
            "đã dán nhầm dữ liệu) hoặc tách thành nhiều kế hoạch nhỏ hơn.",
        )


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_size(doc: Document) -> None:
    """Refuse, before any work, a plan beyond MAX_ITEMS items, MAX_TEXT characters or MAX_LINES."""
    items = doc.items
    cells = (row.cells.values() if isinstance(row.cells, dict) else row.cells for row in items)
    values = [value for values in cells for value in values if value]
    text = sum(len(value) for value in values)
    lines = sum(value.count("\n") + 1 for value in values)
    if len(items) > MAX_ITEMS or text > MAX_TEXT or lines > MAX_LINES:
        raise PlanTooLarge(
            "render.too_large",
            {
                "items": len(items),
                "characters": text,
                "lines": lines,
                "max_items": MAX_ITEMS,
                "max_characters": MAX_TEXT,
                "max_lines": MAX_LINES,
            },
        )


@dataclass
class SheetLayout:
    """What the Bản kế hoạch sheet holds, independent of the library that writes it.

    Rows and columns are 1-based. ``cells``: (row, col) -> (text, style name,
    borders) where borders is a subset of "tblr" (top, bottom, left, right);
    ``merges``: (first row, first col, last row, last col). ``heights``: what
    each row is written with; ``fixed``: rows whose height is set by hand
    (rows with merged text; Excel refits the others to their text when it
    opens the workbook); ``print_heights``: each row's height in Excel, from
    which ``breaks`` (the last row of every page but the last) are chosen.
    """

    widths: list[float]
    cells: dict[tuple[int, int], tuple[str, str, str]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    print_heights: dict[int, float] = field(default_factory=dict)
    fixed: set[int] = field(default_factory=set)
    breaks: list[int] = field(default_factory=list)
    kinds: dict[int, str] = field(default_factory=dict)  # table rows: standard/item/total/signature
    header_row: int = 0
    last_row: int = 0
    scale: int = 100
    page_height: float = 0.0  # points of sheet (before scaling) one page holds
    draft: str = ""

    def put(self, row: int, col: int, text: str, style: str, borders: str = "") -> None:
        if not borders and STYLES[style].get("border") == "all":
            borders = "tblr"
        self.cells[(row, col)] = (text, style, borders)

    def span(self, row: int, first: int, last: int, text: str, style: str, rows: int = 1) -> None:
        """Text in a merged range; borders drawn on every cell so the range is framed."""
        for r in range(row, row + rows):
            for c in range(first, last + 1):
                if (r, c) != (row, first):
                    self.put(r, c, "", style)
        self.put(row, first, text, style)
        if last > first or rows > 1:
            self.merges.append((row, first, row + rows - 1, last))

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def set_height(self, row: int, written: float, printed: float, fixed: bool) -> None:
        self.heights[row] = round(min(MAX_ROW_POINTS, written), 2)
        self.print_heights[row] = min(MAX_ROW_POINTS, printed)
        if fixed:
            self.fixed.add(row)
        else:
            self.fixed.discard(row)


# ----------------------------------------------------------------- column widths


def column_widths(
    doc: Document,
    metrics: Metrics,
    total: float,
    step: float,
    blocks: dict[tuple[int, int], float] | None = None,
) -> dict[str, float]:
    """Widths (in ``metrics`` units, summing to ``total``) that the plan's text needs.

    Every column is at least as wide as its header's and its cells' longest
    word (an amount with its unit, "Tháng 12/2024 –" in the time column), so
    no word is ever cut, and its header takes at most HEADER_LINES lines;
    ``blocks`` asks a run of columns (first, last; 1-based) to be at least so
    many units wide together. The rest goes where it saves the most lines.
    """
    groups: dict[int, Group] = {}
    items = doc.items
    every = max(1, -(-len(items) // SAMPLE_ROWS))  # evenly spread: the shape, not each row
    for row in items[::every]:
        group = groups.setdefault(row.group, Group(row.cells.get("criterion", ""), []))
        group.rows.append(row.cells)
    chosen = list(groups.values())
    standards = [row.tt for row in doc.rows if row.kind == "standard"]
    minimums = {}
    for key, label, _ in COLUMNS:
        words = {word for row in items for word in _unbreakable(key, row.cells.get(key, ""))}
        bold = set(label.split()) | (set(standards) if key == "tt" else set())
        widest = max(
            (
                text_width(w, TABLE_SIZE, b)
                for words_, b in ((words, False), (bold, True))
                for w in words_
            ),
            default=0,
        )
        widest = min(widest, 0.3 * total * metrics.unit)  # a pasted URL must not take the page
        least = (widest + metrics.inset) / (metrics.ratio * metrics.unit) + step / 2
        # The header row is on every page: its labels take at most HEADER_LINES lines.
        while metrics.count(label, least, TABLE_SIZE, bold=True) > HEADER_LINES:
            least += step
        minimums[key] = max(least, LEAST_WIDTH.get(key, 0) * total)
    for (first, last), need in (blocks or {}).items():
        keys = COLUMN_KEYS[first - 1 : last]
        have = sum(minimums[key] for key in keys)
        if have < need:
            minimums.update({key: minimums[key] * need / have for key in keys})
    widths = fit_widths(chosen, "criterion", minimums, total, metrics, step, TABLE_SIZE)
    return {key: round(widths[key] / step) * step for key in COLUMN_KEYS}


def _unbreakable(key: str, text: str) -> list[str]:
    """The pieces of a cell's text a line never breaks inside."""
    if key == "time":  # "Tháng 9/2024 – Tháng 5/2025": a month stays on its line, with its dash
        return [piece for line in text.split("\n") for piece in re.split(r"(?<=–) ", line)]
    return re.split(r"[ \n]+", text)  # not str.split(): a no-break space holds


# ----------------------------------------------------------------- the layout


def sheet_layout(doc: Document) -> SheetLayout:
    """Cells, merges, styles, row heights and page breaks of the official plan.

    Refused (PlanTooLarge) past the size limits, or past MAX_PAGES pages: Excel
    keeps at most 1,026 manual page breaks in a sheet.
    """
    check_size(doc)
    if doc.sections:  # Biểu 2 of Thông tư 57
        from .bieu2_sheet import bieu2_layout

        layout = bieu2_layout(doc)
    else:
        layout = _plan_layout(doc)
    pages = len(layout.breaks) + 1
    if pages > MAX_PAGES:
        raise PlanTooLarge("render.too_many_pages", {"pages": pages, "max_pages": MAX_PAGES})
    return layout


def _plan_layout(doc: Document) -> SheetLayout:
    total_units = sum(width for _, _, width in COLUMNS)
    widths = column_widths(doc, EXCEL, total_units, 0.5, blocks=_blocks(doc))
    layout = SheetLayout(widths=[widths[key] for key in COLUMN_KEYS], draft=doc.draft)
    printable_width = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * POINTS_PER_MM
    printable_height = (PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]) * POINTS_PER_MM
    # The table must fit the page's width where a width unit is widest (LibreOffice).
    widest_unit = max(EXCEL.unit, LIBREOFFICE.unit)
    layout.scale = min(100, math.floor(100 * printable_width / (total_units * widest_unit)))
    layout.page_height = printable_height * 100 / layout.scale * PAGE_SAFETY
    _Builder(layout, doc).build()
    return layout


def _blocks(doc: Document) -> dict[tuple[int, int], float]:
    """Width (units) the header blocks need: the national motto and the date on one line each."""
    right = max(
        text_width(NATION, STYLES["body_bold"]["size"], bold=True),
        text_width(MOTTO, STYLES["motto"]["size"], bold=True),
        text_width(doc.place_date, STYLES["date"]["size"]),
    )
    left = max(text_width(line, 11) for line in [*doc.recipients, doc.number])
    return {
        RIGHT: (right + EXCEL.inset) / EXCEL.unit + 1,
        LEFT: (left + EXCEL.inset) / EXCEL.unit + 1,
    }


def _height(text: str, width: float, size: float, bold: bool = False) -> tuple[float, float]:
    """(LibreOffice, Excel) heights of a row holding ``text`` in a cell ``width`` wide."""
    return _lo_height(text, width, size, bold), EXCEL.text_height(text, width, size, bold)


def _lo_height(text: str, width: float, size: float = TABLE_SIZE, bold: bool = False) -> float:
    """What LibreOffice needs to show ``text`` whole, printed and on screen."""
    return _lo_measured(Measured(text, bold), width, size)


def _lo_measured(text: Measured, width: float, size: float = TABLE_SIZE) -> float:
    return max(
        metrics.height(metrics.count_measured(text, width, size), size)
        for metrics in (LIBREOFFICE, LIBREOFFICE_SCREEN)
    )


class _Item:
    """One item's cells: measured once; wrapped into lines (as Excel wraps them) only if split."""

    def __init__(self, row: Row, width: dict[str, float]):
        self.row, self.width = row, width
        self.cells = {key: row.cells.get(key, "") for key in COLUMN_KEYS if key != "criterion"}
        self.measured = {key: Measured(text) for key, text in self.cells.items()}
        self.count = max(
            EXCEL.count_measured(text, width[key], TABLE_SIZE)
            for key, text in self.measured.items()
        )
        self._lines: dict[str, list[str]] | None = None

    def lines(self) -> dict[str, list[str]]:
        if self._lines is None:
            self._lines = {
                key: EXCEL.lines(text, self.width[key], TABLE_SIZE) if key != "tt" else [text]
                for key, text in self.cells.items()
            }
        return self._lines

    def piece(self, start: int, end: int) -> dict[str, str]:
        """The cells' text on lines ``start`` to ``end``."""
        if start == 0 and end >= self.count:
            return self.cells
        return {key: "".join(lines[start:end]).strip() for key, lines in self.lines().items()}

    def written(self, start: int, end: int) -> float:
        """LibreOffice's height for lines ``start`` to ``end`` (see ``_lo_height``)."""
        if start == 0 and end >= self.count:
            return max(_lo_measured(text, self.width[key]) for key, text in self.measured.items())
        return max(
            _lo_height(text, self.width[key]) for key, text in self.piece(start, end).items()
        )


def splittable(item: _Item) -> bool:
    """An item may continue on the next page when both parts keep PIECE_LINES lines."""
    return item.count >= 2 * PIECE_LINES


class Cells:
    """A row's cells with their widths: measured once, wrapped into lines only if split."""

    def __init__(self, texts: list[str], widths: list[float], size: float, bold: bool = False):
        self.texts, self.widths, self.size, self.bold = texts, widths, size, bold
        self.measured = [Measured(text, bold) for text in texts]
        self.count = max(
            EXCEL.count_measured(text, width, size)
            for text, width in zip(self.measured, widths, strict=True)
        )
        self._lines: list[list[str]] | None = None

    def splittable(self) -> bool:
        return self.count >= 2 * PIECE_LINES

    def piece(self, start: int, end: int) -> list[str]:
        if start == 0 and end >= self.count:
            return self.texts
        if self._lines is None:
            self._lines = [
                EXCEL.lines(text, width, self.size, self.bold) if text else [""]
                for text, width in zip(self.texts, self.widths, strict=True)
            ]
        return ["".join(lines[start:end]).strip() for lines in self._lines]

    def written(self, start: int, end: int) -> float:
        """LibreOffice's height for lines ``start`` to ``end``."""
        if start == 0 and end >= self.count:
            return max(
                _lo_measured(text, width, self.size)
                for text, width in zip(self.measured, self.widths, strict=True)
            )
        return max(
            _lo_height(text, width, self.size, self.bold)
            for text, width in zip(self.piece(start, end), self.widths, strict=True)
        )

    def printed(self, start: int, end: int) -> float:
        return EXCEL.height(end - start, self.size)


# Writes one piece of a row: (row number, the cells' text, is first piece, is last piece).
PieceWriter = Callable[[int, list[str], bool, bool], None]


class _Builder:
    """Writes the layout row by row, keeping count of the current page."""

    def __init__(self, layout: SheetLayout, doc: Document):
        self.layout, self.doc = layout, doc
        self.width = {key: layout.widths[n] for n, key in enumerate(COLUMN_KEYS)}
        self.row = 1
        self.used = 0.0  # points of the current page already taken
        self.repeat = 0.0  # the header row, repeated at the top of every page
        self.group: int | None = None  # the criterion group being placed
        self.group_text = ""
        self.group_rows: list[int] = []  # its rows on the current page
        self.left, self.right = LEFT, RIGHT
        self.full = (1, len(layout.widths))
        # With sections around the table, the sheet has no print titles (they would top the
        # pages of the sections too): the table writes its header again after each break.
        self.sections = bool(doc.table_heading)
        self.in_table = False
        self._table_rows: tuple[list[_Item], Row | None, float] | None = None

    # ------------------------------------------------------------- pages

    def room(self) -> float:
        return self.layout.page_height - self.used

    def new_page(self) -> None:
        self.layout.breaks.append(self.row - 1)
        if not self.sections:
            self.used = self.repeat  # the print titles' header row
            return
        self.used = self.repeat = 0.0
        if self.in_table:
            self.table_header()
            self.repeat = self.used

    def page_is_empty(self) -> bool:
        return self.used <= self.repeat + 0.01

    def add(self, written: float, printed: float, fixed: bool, kind: str = "") -> int:
        """Take the next row; returns its number."""
        row = self.row
        self.layout.set_height(row, written, printed, fixed)
        self.used += self.layout.print_heights[row]
        if kind:
            self.layout.kinds[row] = kind
        self.row += 1
        return row

    def lines_in(self, room: float, size: float = TABLE_SIZE) -> int:
        """Lines of ``size`` (Excel) that fit in ``room`` points in one row or several."""
        return max(0, int((room - EXCEL.pad) // EXCEL.pitch(size)))

    # ------------------------------------------------------------- parts

    def build(self) -> None:
        doc = self.doc
        self.title_block()
        for section in doc.opening:
            self.text_section(section.title, section.paragraphs)
        if doc.table_heading:
            self.text_section(doc.table_heading, [], then=self.plan_start_need())
        self.in_table = True
        self.table_header()
        self.table()
        self.in_table = False
        if self.sections:
            self.repeat = 0.0  # the pages after the table have no header
        tail = sum(printed for _, printed in self.signature_rows())
        for n, section in enumerate(doc.closing):
            last = n == len(doc.closing) - 1
            self.text_section(section.title, section.paragraphs, tail if last else 0.0)
        self.signature()
        self.layout.last_row = self.row - 1

    def title_block(self) -> None:
        """The decree's header blocks, the draft notice, KẾ HOẠCH and its subtitle."""
        layout, doc = self.layout, self.doc
        full = (1, len(layout.widths))
        self.header_line((doc.governing_body, "governing"), (NATION, "body_bold"))
        self.header_line((doc.school, "body_bold"), (MOTTO, "motto"))
        self.header_line((RULE, "rule"), (RULE, "rule"))
        self.header_line((doc.number, "body"), (doc.place_date, "date"))
        self.add(8, 8, True)
        if doc.draft:
            layout.span(self.row, *full, doc.draft, "draft")
            self.fixed_row(doc.draft, layout.width(*full), 14)
        for text, style in ((doc.title, "title"), (doc.subtitle, "title"), (RULE, "rule")):
            layout.span(self.row, *full, text, style)
            self.fixed_row(text, layout.width(*full), STYLES[style]["size"], bold=True)
        self.add(8, 8, True)

    def header_height(self) -> tuple[float, float]:
        heights = [(0.0, 0.0)]
        for key, label, _ in COLUMNS:
            heights.append(_height(label, self.width[key], TABLE_SIZE, bold=True))
        return max(h[0] for h in heights), max(h[1] for h in heights)

    def table_header(self) -> None:
        """The table's header row: the sheet's print titles, or written again on each page."""
        layout = self.layout
        for col, (_, label, _) in enumerate(COLUMNS, start=1):
            layout.put(self.row, col, label, "header")
        written, printed = self.header_height()
        if self.sections:
            self.add(written, printed, False, "header")
            return
        layout.header_row = self.row
        self.add(written, printed, False)
        self.repeat = printed

    def header_line(self, left: tuple[str, str], right: tuple[str, str]) -> None:
        heights = []
        for (first, last), (text, style) in ((self.left, left), (self.right, right)):
            self.layout.span(self.row, first, last, text, style)
            spec = STYLES[style]
            size, bold = spec["size"], spec.get("bold", False)
            heights.append(_height(text, self.layout.width(first, last), size, bold))
        self.add(max(h[0] for h in heights), max(h[1] for h in heights), True)

    def fixed_row(self, text: str, width: float, size: float, bold: bool = False) -> None:
        """A row of merged text: its height is set (Excel does not fit merged cells)."""
        written, printed = _height(text, width, size, bold)
        self.add(max(written, printed), printed, True)

    # ------------------------------------------------------------- the table

    def table_rows(self) -> tuple[list[_Item], Row | None, float]:
        """The table's items (measured once), its total row and what must follow the last item."""
        if self._table_rows is None:
            entries = self.doc.rows
            items = [_Item(entry, self.width) for entry in entries if entry.kind == "item"]
            total = next((entry for entry in entries if entry.kind == "total"), None)
            self._table_rows = items, total, self.tail_height(total)
        return self._table_rows

    def standard_need(self, index: int, n: int) -> float:
        """Room the Tiêu chuẩn row ``index`` needs: itself and the start of its item ``n``."""
        entries = self.doc.rows
        items, _, tail = self.table_rows()
        need = self.standard_height(entries[index])
        following = entries[index + 1] if index + 1 < len(entries) else None
        if following is not None and following.kind == "item":
            need += self.first_need(items[n], n == len(items) - 1, tail)
        return need

    def plan_start_need(self) -> float:
        """Room under the table's heading: the header and the first rows placed after it."""
        entries = self.doc.rows
        first = entries[0] if entries else None
        need = self.header_height()[1]
        if first is not None and first.kind == "standard":
            return need + self.standard_need(0, 0)
        return need + self.table_rows()[2]

    def table(self) -> None:
        entries = self.doc.rows
        items, total, tail = self.table_rows()
        n = 0
        for index, entry in enumerate(entries):
            if entry.kind == "standard":
                if self.standard_need(index, n) > self.room() and not self.page_is_empty():
                    self.new_page()
                self.standard(entry)
            elif entry.kind == "item":
                last = n == len(items) - 1
                self.item(items[n], tail if last else 0.0)
                n += 1
        self.close_group()
        if total is not None:
            if tail > self.room() and not self.page_is_empty():
                self.new_page()  # only when the table has no item at all
            self.total(total)

    def standard_height(self, entry: Row) -> float:
        return _height(entry.text, self.layout.width(2, LAST_COLUMN), TABLE_SIZE, True)[1]

    def standard(self, entry: Row) -> None:
        layout = self.layout
        self.close_group()
        layout.put(self.row, 1, entry.tt, "standard_tt")
        layout.span(self.row, 2, LAST_COLUMN, entry.text, "standard")
        written, printed = _height(entry.text, layout.width(2, LAST_COLUMN), TABLE_SIZE, True)
        self.add(max(written, printed), printed, True, "standard")

    def criterion_height(self, entry: Row) -> float:
        return EXCEL.text_height(entry.cells.get("criterion", ""), self.width["criterion"])

    def first_need(self, item: _Item, last: bool, tail: float) -> float:
        """The least room an item needs on a page to start there."""
        lines = PIECE_LINES if splittable(item) else item.count
        need = EXCEL.height(lines, TABLE_SIZE)
        if last and not splittable(item):
            need += tail  # a short last item goes with the total and the signature
        if item.row.group != self.group:
            need = max(need, self.criterion_height(item.row))
        return need

    def item(self, item: _Item, tail: float) -> None:
        """Place an item in one or more rows: a long item continues on the next page."""
        if item.row.group != self.group:
            self.close_group()
            if self.first_need(item, bool(tail), tail) > self.room() and not self.page_is_empty():
                self.new_page()
            self.open_group(item.row)
        start, count = 0, item.count
        most = self.lines_in(MAX_ROW_POINTS)  # a row holds at most 409 points
        while start < count:
            left = count - start
            room = self.room()
            if left <= min(most, self.lines_in(room - tail)):
                self.piece(item, start, count)  # the rest, and the total after it if last
                return
            fits = min(most, self.lines_in(room))
            take = 0
            if splittable(item) and fits >= PIECE_LINES:
                take = min(fits, left - PIECE_LINES)  # leave enough for the row after it
                if take < PIECE_LINES:
                    take = 0
            if take == 0 and self.page_is_empty():  # taller than a page: cut it anyway,
                keep = PIECE_LINES if tail and left > PIECE_LINES else 0  # (some go with the total)
                take = max(1, min(fits, left - keep))
            if take:
                self.piece(item, start, start + take)
                start += take  # the rest in a row below: on this page while it has room
            else:
                self.break_group()
                self.new_page()
                self.reopen_group()

    def piece(self, item: _Item, start: int, end: int) -> None:
        layout, cells = self.layout, item.piece(start, end)
        first, last = start == 0, end == item.count
        edge = ("t" if first else "") + ("b" if last else "") + "lr"
        for col, key in enumerate(COLUMN_KEYS, start=1):
            if key == "criterion":
                continue
            style = "cell_center" if key in CENTERED else "cell"
            layout.put(
                self.row, col, cells.get(key, "") if key != "tt" or first else "", style, edge
            )
        printed = EXCEL.height(end - start, TABLE_SIZE)
        row = self.add(item.written(start, end), printed, False, "item")
        self.group_rows.append(row)

    # ------------------------------------------------------------- sections of text

    def text_section(
        self, title: str, paragraphs: list[str], tail: float = 0.0, then: float = 0.0
    ) -> None:
        """A section's heading and its paragraphs across the page's width.

        The heading never ends a page: it goes with the start of its first
        paragraph or, without one, with ``then`` points of what follows. With
        ``tail`` (the signature's height), the last KEPT_LINES paragraphs go
        with it on one page.
        """
        full = self.layout.width(*self.full)
        size = STYLES["paragraph"]["size"]
        heading = Cells([title], [full], size, bold=True)
        texts = [Cells([text], [full], size) for text in paragraphs]
        kept = texts[-KEPT_LINES:] if tail else []
        together = sum(c.printed(0, c.count) for c in kept) + tail
        if together > self.layout.page_height:
            kept = []  # more than a page: the lines go on as they come
        need = heading.printed(0, heading.count)
        if texts:  # the first paragraph, or all that goes with the signature
            need += together if kept and texts[0] is kept[0] else self.cells_need(texts[0])
            if len(texts) > 1 and is_subheading(paragraphs[0]) and not kept:  # and its line
                need += self.cells_need(texts[1])
        else:
            need += then
        if need + GAP > self.room() and not self.page_is_empty():
            self.new_page()
        if not self.page_is_empty():
            self.add(GAP, GAP, True, "gap")  # air between a table and the next heading
        self.place(heading, self.span_writer("section", ""), True, "heading")
        for n, cells in enumerate(texts):
            first_kept = kept and cells is kept[0] and n  # (at n == 0 the heading saw to it)
            if first_kept and together > self.room() and not self.page_is_empty():
                self.new_page()
            elif n and n + 1 < len(texts) and is_subheading(paragraphs[n]):  # with its line
                need = cells.printed(0, cells.count) + self.cells_need(texts[n + 1])
                if need > self.room() and not self.page_is_empty():
                    self.new_page()
            last = n == len(texts) - 1
            self.place(
                cells, self.span_writer("paragraph", ""), True, "paragraph", tail if last else 0.0
            )

    def cells_need(self, cells: Cells) -> float:
        """The least room a row needs on a page to start there."""
        lines = PIECE_LINES if cells.splittable() else cells.count
        return EXCEL.height(lines, cells.size)

    def place(
        self, cells: Cells, write: PieceWriter, fixed: bool, kind: str, tail: float = 0.0
    ) -> None:
        """Place a row in one or more pieces: a long row continues on the next page.

        ``tail``: room the last piece must leave below it (the signature).
        """
        start, count, size = 0, cells.count, cells.size
        most = self.lines_in(MAX_ROW_POINTS, size)
        while start < count:
            left, room = count - start, self.room()
            if left <= min(most, self.lines_in(room - tail, size)):
                self.place_piece(cells, start, count, write, fixed, kind)
                return
            fits = min(most, self.lines_in(room, size))
            take = 0
            if cells.splittable() and fits >= PIECE_LINES:
                take = min(fits, left - PIECE_LINES)
                if take < PIECE_LINES:
                    take = 0
            if take == 0 and self.page_is_empty():  # taller than a page: cut it anyway
                take = max(1, min(fits, left))
            if take:
                self.place_piece(cells, start, start + take, write, fixed, kind)
                start += take
            else:
                self.new_page()

    def place_piece(
        self, cells: Cells, start: int, end: int, write: PieceWriter, fixed: bool, kind: str
    ) -> None:
        write(self.row, cells.piece(start, end), start == 0, end >= cells.count)
        written, printed = cells.written(start, end), cells.printed(start, end)
        self.add(max(written, printed) if fixed else written, printed, fixed, kind)

    def span_writer(self, style: str, edges: str) -> PieceWriter:
        def write(row: int, texts: list[str], first: bool, last: bool) -> None:
            self.span_edges(row, *self.full, texts[0], style, edges)

        return write

    def span_edges(
        self, row: int, first: int, last: int, text: str, style: str, edges: str
    ) -> None:
        layout = self.layout
        layout.span(row, first, last, text, style)
        for col in range(first, last + 1):
            value, name, _ = layout.cells[(row, col)]
            layout.cells[(row, col)] = (value, name, edges)

    # ------------------------------------------------------------- criterion cells

    def open_group(self, entry: Row) -> None:
        self.group = entry.group
        self.group_text = entry.cells.get("criterion", "")
        self.group_rows = []

    def reopen_group(self) -> None:
        """The group goes on after a page break: its criterion is written again there."""
        self.group_rows = []

    def break_group(self) -> None:
        self.write_group()

    def close_group(self) -> None:
        if self.group is not None:
            self.write_group()
        self.group = None
        self.group_rows = []

    def write_group(self) -> None:
        """The criterion cell over this page's rows of its group, tall enough for its text."""
        rows, layout = self.group_rows, self.layout
        if not rows:
            return
        text, width = self.group_text, self.width["criterion"]
        layout.span(rows[0], 2, 2, text, "cell", rows=len(rows))
        edge = "tblr"
        layout.cells[(rows[0], 2)] = (text, "cell", edge)
        need_written, need_printed = _height(text, width, TABLE_SIZE)
        have_written = sum(layout.heights[r] for r in rows)
        have_printed = sum(layout.print_heights[r] for r in rows)
        if len(rows) == 1:  # not merged: the row fits itself to the criterion too
            end = rows[-1]
            layout.set_height(
                end,
                max(layout.heights[end], need_written),
                max(layout.print_heights[end], need_printed),
                False,
            )
        elif need_written > have_written or need_printed > have_printed:
            end = rows[-1]  # a long criterion over short items: the last row grows, fixed
            printed = layout.print_heights[end] + max(0.0, need_printed - have_printed)
            written = layout.heights[end] + max(0.0, need_written - have_written)
            layout.set_height(end, max(written, printed), printed, True)
        self.used += sum(layout.print_heights[r] for r in rows) - have_printed
        self.group_rows = []

    # ------------------------------------------------------------- the end

    def tail_height(self, total: Row | None) -> float:
        """The total row, the gap and the signature block: they share the last page.

        With a section after the table, the signature goes with that section's end instead.
        """
        height = self.total_height(total)[1] if total is not None else 0.0
        if self.doc.closing:
            return height
        return height + sum(printed for _, printed in self.signature_rows())

    def total_height(self, total: Row) -> tuple[float, float]:
        """The total's amount spans the budget column and those after it."""
        text = total.cells.get("budget", "")
        width = self.layout.width(COLUMN_KEYS.index("budget") + 1, LAST_COLUMN)
        written, printed = _height(text, width, TABLE_SIZE, bold=True)
        return max(written, printed), printed

    def total(self, entry: Row) -> None:
        layout = self.layout
        budget = COLUMN_KEYS.index("budget") + 1
        layout.span(self.row, 1, budget - 1, entry.text, "total")
        layout.span(self.row, budget, LAST_COLUMN, entry.cells.get("budget", ""), "total_value")
        self.add(*self.total_height(entry), True, "total")

    def signature_rows(self) -> list[tuple[float, float]]:
        """(written, printed) heights of the gap row and the signature block's rows."""
        left = self.layout.width(*self.left)
        rows = [(15.0, 15.0)]  # the gap after the table
        title = EXCEL.height(1, 13)
        rows.append((title, title))
        for line in self.doc.recipients:
            height = EXCEL.text_height(line, left, 11)
            rows.append((height, height))
        # Room for the signature and the stamp: about 4 lines.
        while len(rows) < 6:
            rows.append((EXCEL.height(1, 13), EXCEL.height(1, 13)))
        rows.append((title, title))
        return rows

    def signature(self) -> None:
        layout, doc = self.layout, self.doc
        heights = self.signature_rows()
        if sum(h for _, h in heights) > self.room() and not self.page_is_empty():
            self.new_page()  # (only when the plan has no table rows to keep it company)
        first = self.row
        for written, printed in heights:
            self.add(written, printed, True, "signature")
        layout.span(first + 1, *self.right, doc.signer_title, "signer")
        layout.span(first + 1, *self.left, "Nơi nhận:", "recipients_title")
        for n, line in enumerate(doc.recipients, start=2):
            layout.span(first + n, *self.left, line, "recipients")
        layout.span(self.row - 1, *self.right, doc.signer_name, "signer")


# ----------------------------------------------------------------- openpyxl


def write_plan_sheet(wb, layout: SheetLayout, name: str = SHEET_RENDERED) -> Any:
    """(Re)create the Bản kế hoạch sheet (or ``name``) in an openpyxl workbook, made active."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.properties import PageSetupProperties

    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name)
    show_only(wb, name)
    ws.sheet_view.showGridLines = False

    for col, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    thin = Side(style="thin")
    fonts, aligns = {}, {}
    for name, style in STYLES.items():
        fonts[name] = Font(
            name=FONT,
            size=style["size"],
            bold=style.get("bold", False),
            italic=style.get("italic", False),
            color=style.get("color"),
        )
        aligns[name] = Alignment(
            horizontal=style["align"],
            vertical=style.get("valign", "top" if "border" in style else "center"),
            wrap_text=True,
        )
    # Styles are set once per kind of cell and copied: openpyxl hashes every style it is given.
    styled: dict[tuple[str, str], Any] = {}
    for (row, col), (text, style, edges) in layout.cells.items():
        cell = ws.cell(row=row, column=col)
        if text:
            cell.value = text
            cell.data_type = "s"  # a solution "=..." stays text
        same = styled.get((style, edges))
        if same is not None:
            cell._style = copy(same)
            continue
        cell.font = fonts[style]
        cell.alignment = aligns[style]
        if edges:
            cell.border = Border(
                top=thin if "t" in edges else None,
                bottom=thin if "b" in edges else None,
                left=thin if "l" in edges else None,
                right=thin if "r" in edges else None,
            )
        styled[(style, edges)] = cell._style
    # The layout's merges never overlap: added as they are (openpyxl's merge_cells checks
    # each against all others, and rewrites the borders the layout already drew).
    for first_row, first_col, last_row, last_col in layout.merges:
        ref = f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
        ws.merged_cells.ranges.add(MergedCellRange(ws, ref))
    for row, height in layout.heights.items():
        if row in layout.fixed:
            ws.row_dimensions[row].height = height
        else:
            ws.row_dimensions[row] = _FittedRow(ws, index=row, ht=height)
    # Set at once: openpyxl's append re-checks every break already there (7,000 breaks
    # of a pasted plan took 30 s).
    ws.row_breaks.brk = [Break(id=row) for row in layout.breaks]

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # A set scale, not "fit to width": Excel ignores manual page breaks when fitting.
    ws.page_setup.scale = layout.scale
    # Numbered from 1 whatever sheets print before it (LibreOffice numbers on across sheets).
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.print_options.horizontalCentered = True
    inch = 25.4
    ws.page_margins.left = MARGINS_MM["left"] / inch
    ws.page_margins.right = MARGINS_MM["right"] / inch
    ws.page_margins.top = MARGINS_MM["top"] / inch
    ws.page_margins.bottom = MARGINS_MM["bottom"] / inch
    ws.page_margins.header = 8 / inch
    ws.page_margins.footer = 8 / inch
    if layout.header_row:  # Biểu 2 repeats each table's header itself after a break
        ws.print_title_rows = f"{layout.header_row}:{layout.header_row}"
    ws.print_area = f"A1:{get_column_letter(len(layout.widths))}{layout.last_row}"
    # Page numbers at the top centre from page 2 on, as the decree places them.
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font = FONT
    ws.oddHeader.center.size = 13
    if layout.draft:
        for header in (ws.oddHeader, ws.firstHeader):
            header.left.text = DRAFT_MARK
            header.left.font = f"{FONT},Bold"
            header.left.color = "C00000"
            header.left.size = 14
    return ws


def print_first(wb, ws) -> None:
    """Make ``ws`` the workbook's first sheet, the one it opens on and the only selected tab.

    Sheets print in their order: "Print Entire Workbook" then starts with the
    plan, as "Print Active Sheet" does. Nothing refers to a sheet by its place:
    formulas, lists and defined names name it (openpyxl writes a sheet's own
    names with its new place), and the reader finds sheets by name.
    """
    wb.move_sheet(ws, offset=-wb.index(ws))
    show_only(wb, ws.title)
    for view in wb.views:  # the tab bar scrolled to show it
        view.firstSheet = 0


class _FittedRow(RowDimension):
    """A row written with a height but not marked as set by hand (no customHeight).

    LibreOffice prints the height written; Excel refits such a row to its text
    when it opens the workbook, with its own line height.
    """

    @property
    def customHeight(self) -> bool:  # noqa: N802 (openpyxl's attribute name)
        return False


def render_xlsx(
    source: str | os.PathLike[str],
    doc: Document,
    output: str | os.PathLike[str],
    sheet: str = SHEET_RENDERED,
) -> Path:
    """A copy of the school's workbook with the Bản kế hoạch sheet; the input is not touched.

    .xls and .ods inputs, which openpyxl cannot open, give a new workbook
    holding only the Bản kế hoạch sheet. ``sheet``: another name for it (the
    review report's Báo cáo rà soát).
    """
    from openpyxl import Workbook

    layout = sheet_layout(doc)  # first: a plan too large is refused before any copying
    source, output = Path(source), Path(output)
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        wb = open_for_copy(source, output)
    elif same_file(source, output):
        raise ValueError("output must differ from the input file")
    else:
        wb = Workbook()
        wb.remove(wb.active)
    print_first(wb, write_plan_sheet(wb, layout, sheet))
    stamp_copy(wb, "render")  # a later render may write over it until somebody saves it
    with atomic_path(output) as tmp:
        wb.save(tmp)
    return output
