"""Biểu 2 (Thông tư 57) on the Bản kế hoạch sheet: sections I to VIII, page by page.

The page-keeping every layout's sheet shares (``sheet_parts``): heights from the
font's metrics, pages broken by hand. Here a section heading or an issue's
group row never ends a page, each table's header (and table V's numbered
row) is written again at the top of every page the table continues on, a
long row continues on the next page as a new row (keeping at least three of
its lines on either side), and the last lines of section VIII share their
page with the signature block.
"""

from __future__ import annotations

from .bieu2 import PLAN_COLUMNS, Table, TableRow, column_widths
from .layout import EXCEL
from .plan_text import Document, Section
from .sheet_parts import (
    STYLES,
    TABLE_SIZE,
    Cells,
    PieceWriter,
    SheetBuilder,
    SheetLayout,
    text_heights,
)

COLUMNS = len(PLAN_COLUMNS)
LEFT = (1, 4)  # governing body, school, Số, Nơi nhận
RIGHT = (6, COLUMNS)  # nation, motto, date, the signature
TOTAL_UNITS = 150  # the ten columns' width: printed at about 85% on A4 landscape
EMPTY = "(chưa có)"


def bieu2_layout(doc: Document) -> SheetLayout:
    """Cells, merges, styles, row heights and page breaks of Biểu 2."""
    pad = EXCEL.inset + 3
    points = column_widths(doc.sections, TOTAL_UNITS * EXCEL.unit, pad=pad)
    widths = [round(p / EXCEL.unit * 2) / 2 for p in points]
    layout = SheetLayout(widths=widths, draft=doc.draft)
    layout.fit_page(sum(widths))
    _Bieu2Builder(layout, doc).build()
    return layout


class _Bieu2Builder(SheetBuilder):
    left, right = LEFT, RIGHT

    def __init__(self, layout: SheetLayout, doc: Document):
        super().__init__(layout, doc)
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

    def spans_width(self, first: int, last: int) -> float:
        return self.layout.width(first, last)

    # ------------------------------------------------------------- sections

    def section(self, section: Section, tail: float) -> None:
        table = section.table
        then = self.table_start_need(table) if table is not None else 0.0
        self.text_section(section.title, section.paragraphs, tail, then)
        if table is not None:
            self.table_block(table)

    # ------------------------------------------------------------- tables

    def table_spans(self, table: Table) -> list[tuple[int, int]]:
        return [(first + 1, last + 1) for _, first, last in table.columns]

    def row_cells(self, table: Table, row: TableRow) -> Cells:
        if row.kind == "group":
            return Cells([row.text], [self.layout.width(*self.full)], TABLE_SIZE, bold=True)
        widths = [self.layout.width(first, last) for first, last in self.table_spans(table)]
        return Cells(row.cells, widths, TABLE_SIZE)

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
                text_heights(text, self.layout.width(*span), TABLE_SIZE, bold)[1]
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
                heights.append(text_heights(text, self.layout.width(first, last), TABLE_SIZE, bold))
            written, printed = max(h[0] for h in heights), max(h[1] for h in heights)
            self.add(max(written, printed) if merged else written, printed, merged, "header")

    def table_start_need(self, table: Table) -> float:
        need = self.head_height(table)
        rows = table.rows
        if rows:
            need += self.cells_need(self.row_cells(table, rows[0]))
            if rows[0].kind == "group" and len(rows) > 1:
                need += self.cells_need(self.row_cells(table, rows[1]))
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
                    need += self.cells_need(cells[n + 1])
                if need > self.room() and not self.page_is_empty():
                    self.new_page()
                self.place(cells[n], self.span_writer("group", "tblr"), True, "group")
            else:
                self.place(cells[n], self.item_writer(table, spans), merged, "item")
        if not table.rows:
            empty = Cells([EMPTY], [self.layout.width(*self.full)], TABLE_SIZE)
            self.place(empty, self.span_writer("empty", "tblr"), True, "item")
        self.header = None
        if table.note:
            note = Cells([table.note], [self.layout.width(*self.full)], STYLES["note"]["size"])
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
