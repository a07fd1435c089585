"""Biểu 2 (Thông tư 57) on the Bản kế hoạch sheet: sections I to VIII, page by page.

The same page-keeping as the 2018 sheet (``plan_sheet``): heights from the
font's metrics, pages broken by hand. Here a section heading or an issue's
group row never ends a page, each table's header (and table V's numbered
row) is written again at the top of every page the table continues on, a
long row continues on the next page as a new row (keeping at least three of
its lines on either side), and the last lines of section VIII share their
page with the signature block.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .bieu2 import PLAN_COLUMNS, Section, Table, TableRow, column_widths
from .document import Document
from .layout import EXCEL, LIBREOFFICE, Measured
from .plan_sheet import (
    MARGINS_MM,
    MAX_ROW_POINTS,
    PAGE_MM,
    PAGE_SAFETY,
    PIECE_LINES,
    POINTS_PER_MM,
    STYLES,
    TABLE_SIZE,
    SheetLayout,
    _Builder,
    _height,
    _lo_height,
    _lo_measured,
)

COLUMNS = len(PLAN_COLUMNS)
LEFT = (1, 4)  # governing body, school, Số, Nơi nhận
RIGHT = (6, COLUMNS)  # nation, motto, date, the signature
TOTAL_UNITS = 150  # the ten columns' width: printed at about 85% on A4 landscape
BODY_SIZE = STYLES["paragraph"]["size"]
KEPT_LINES = 2  # lines of section VIII kept on the page of the signature
EMPTY = "(chưa có)"
GAP = 6.0  # points above a section heading


def bieu2_layout(doc: Document) -> SheetLayout:
    """Cells, merges, styles, row heights and page breaks of Biểu 2."""
    pad = EXCEL.inset + 3
    points = column_widths(doc.sections, TOTAL_UNITS * EXCEL.unit, pad=pad)
    widths = [round(p / EXCEL.unit * 2) / 2 for p in points]
    layout = SheetLayout(widths=widths, draft=doc.draft)
    printable_width = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * POINTS_PER_MM
    printable_height = (PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]) * POINTS_PER_MM
    widest_unit = max(EXCEL.unit, LIBREOFFICE.unit)
    layout.scale = min(100, math.floor(100 * printable_width / (sum(widths) * widest_unit)))
    layout.page_height = printable_height * 100 / layout.scale * PAGE_SAFETY
    _Bieu2Builder(layout, doc).build()
    return layout


class _Cells:
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


class _Bieu2Builder(_Builder):
    def __init__(self, layout: SheetLayout, doc: Document):
        super().__init__(layout, doc)
        self.left, self.right = LEFT, RIGHT
        self.full = (1, COLUMNS)
        self.header: Table | None = None  # the table whose header starts every new page

    def build(self) -> None:
        self.title_block()
        sections = self.doc.sections
        tail = sum(printed for _, printed in self.signature_rows())
        for n, section in enumerate(sections):
            self.section(section, tail if n == len(sections) - 1 else 0.0)
        self.signature()
        self.layout.last_row = self.row - 1

    # ------------------------------------------------------------- pages

    def new_page(self) -> None:
        self.layout.breaks.append(self.row - 1)
        self.used = self.repeat = 0.0
        if self.header is not None:
            self.table_head(self.header)
            self.repeat = self.used

    def lines_in(self, room: float, size: float = TABLE_SIZE) -> int:
        return max(0, int((room - EXCEL.pad) // EXCEL.pitch(size)))

    def first_need(self, cells: _Cells) -> float:
        """The least room a row needs on a page to start there."""
        lines = PIECE_LINES if cells.splittable() else cells.count
        return EXCEL.height(lines, cells.size)

    def place(
        self, cells: _Cells, write: PieceWriter, fixed: bool, kind: str, tail: float = 0.0
    ) -> None:
        """Place a row in one or more pieces: a long row continues on the next page.

        ``tail``: room the last piece must leave below it (the signature).
        """
        start, count, size = 0, cells.count, cells.size
        most = self.lines_in(MAX_ROW_POINTS, size)
        while start < count:
            left, room = count - start, self.room()
            if left <= min(most, self.lines_in(room - tail, size)):
                self.piece(cells, start, count, write, fixed, kind)
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
                self.piece(cells, start, start + take, write, fixed, kind)
                start += take
            else:
                self.new_page()

    def piece(
        self, cells: _Cells, start: int, end: int, write: PieceWriter, fixed: bool, kind: str
    ) -> None:
        write(self.row, cells.piece(start, end), start == 0, end >= cells.count)
        written, printed = cells.written(start, end), cells.printed(start, end)
        self.add(max(written, printed) if fixed else written, printed, fixed, kind)

    def spans_width(self, first: int, last: int) -> float:
        return self.layout.width(first, last)

    # ------------------------------------------------------------- sections

    def section(self, section: Section, tail: float) -> None:
        full = self.layout.width(*self.full)
        heading = _Cells([section.title], [full], BODY_SIZE, bold=True)
        paragraphs = [_Cells([text], [full], BODY_SIZE) for text in section.paragraphs]
        need = heading.printed(0, heading.count)
        if paragraphs:
            need += self.first_need(paragraphs[0])
        elif section.table is not None:
            need += self.table_start_need(section.table)
        if need + GAP > self.room() and not self.page_is_empty():
            self.new_page()
        if not self.page_is_empty():
            self.add(GAP, GAP, True, "gap")  # air between a table and the next heading
        self.place(heading, self.span_writer("section", ""), True, "heading")
        kept = paragraphs[-KEPT_LINES:] if tail else []
        for n, cells in enumerate(paragraphs):
            if kept and cells is kept[0]:
                together = sum(c.printed(0, c.count) for c in kept) + tail
                fits = together <= self.layout.page_height
                if fits and together > self.room() and not self.page_is_empty():
                    self.new_page()
            last = n == len(paragraphs) - 1
            self.place(
                cells, self.span_writer("paragraph", ""), True, "paragraph", tail if last else 0.0
            )
        if section.table is not None:
            self.table_block(section.table)

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

    # ------------------------------------------------------------- tables

    def table_spans(self, table: Table) -> list[tuple[int, int]]:
        return [(first + 1, last + 1) for _, first, last in table.columns]

    def row_cells(self, table: Table, row: TableRow) -> _Cells:
        if row.kind == "group":
            return _Cells([row.text], [self.layout.width(*self.full)], TABLE_SIZE, bold=True)
        widths = [self.layout.width(first, last) for first, last in self.table_spans(table)]
        return _Cells(row.cells, widths, TABLE_SIZE)

    def head_rows(self, table: Table) -> list[tuple[list[str], str, bool]]:
        """The header row, and table V's row of column numbers: (texts, style, bold)."""
        rows = [([label for label, _, _ in table.columns], "header", True)]
        if table.numbered:
            rows.append(
                ([f"({n})" for n in range(1, len(table.columns) + 1)], "cell_center", False)
            )
        return rows

    def head_height(self, table: Table) -> float:
        spans = self.table_spans(table)
        total = 0.0
        for texts, _, bold in self.head_rows(table):
            total += max(
                _height(text, self.layout.width(*span), TABLE_SIZE, bold)[1]
                for text, span in zip(texts, spans, strict=True)
            )
        return total

    def table_head(self, table: Table) -> None:
        spans = self.table_spans(table)
        merged = any(last > first for first, last in spans)
        for texts, style, bold in self.head_rows(table):
            heights = []
            for text, (first, last) in zip(texts, spans, strict=True):
                self.layout.span(self.row, first, last, text, style)
                heights.append(_height(text, self.layout.width(first, last), TABLE_SIZE, bold))
            written, printed = max(h[0] for h in heights), max(h[1] for h in heights)
            self.add(max(written, printed) if merged else written, printed, merged, "header")

    def table_start_need(self, table: Table) -> float:
        need = self.head_height(table)
        rows = table.rows
        if rows:
            need += self.first_need(self.row_cells(table, rows[0]))
            if rows[0].kind == "group" and len(rows) > 1:
                need += self.first_need(self.row_cells(table, rows[1]))
        else:
            need += EXCEL.height(1, TABLE_SIZE)
        return need

    def table_block(self, table: Table) -> None:
        if self.table_start_need(table) > self.room() and not self.page_is_empty():
            self.new_page()
        self.table_head(table)
        self.header = table
        spans = self.table_spans(table)
        merged = any(last > first for first, last in spans)
        cells = [self.row_cells(table, row) for row in table.rows]
        for n, row in enumerate(table.rows):
            if row.kind == "group":
                need = cells[n].printed(0, cells[n].count)
                if n + 1 < len(cells):
                    need += self.first_need(cells[n + 1])
                if need > self.room() and not self.page_is_empty():
                    self.new_page()
                self.place(cells[n], self.span_writer("group", "tblr"), True, "group")
            else:
                self.place(cells[n], self.item_writer(table, spans), merged, "item")
        if not table.rows:
            empty = _Cells([EMPTY], [self.layout.width(*self.full)], TABLE_SIZE)
            self.place(empty, self.span_writer("empty", "tblr"), True, "item")
        self.header = None
        if table.note:
            note = _Cells([table.note], [self.layout.width(*self.full)], STYLES["note"]["size"])
            self.place(note, self.span_writer("note", ""), True, "note")

    def item_writer(self, table: Table, spans: list[tuple[int, int]]) -> PieceWriter:
        centred = table.centred()

        def write(row: int, texts: list[str], first: bool, last: bool) -> None:
            edges = ("t" if first else "") + ("b" if last else "") + "lr"
            for n, (text, (a, b)) in enumerate(zip(texts, spans, strict=True)):
                shown = text if first or n not in centred else ""  # the number once
                style = "cell_center" if n in centred else "cell"
                self.span_edges(row, a, b, shown, style, edges)

        return write
