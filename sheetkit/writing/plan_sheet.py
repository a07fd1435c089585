"""The 2018 plan on the Bản kế hoạch sheet: its table laid out page by page.

``plan_layout(document)`` is the 2018 layout's sheet (``printed.sheet_layout``
asks for it): it gives the columns the widths their text needs
(``column_widths``, which the Word table uses too) and breaks pages with the
pieces every layout's sheet shares (``sheet_parts``). A Tiêu chuẩn row never
ends a page, a long item continues on the next page as a new row (never
leaving fewer than three of its lines on either side), the total row shares
its page with the end of the last item, and the signature block stays whole
on that page. A plan with the sections of Thông tin (Căn cứ, Mục đích, yêu
cầu, Tổ chức thực hiện) prints them before and after the table: no heading
ends a page, the table's header is written again on each page the table
continues on, and the last lines of the last section go with the signature.
"""

from __future__ import annotations

import re

from .document import CENTERED, COLUMN_KEYS, COLUMNS, Row
from .layout import EXCEL, Group, Measured, Metrics, fit_widths, text_width
from .plan_text import MOTTO, NATION, Document
from .sheet_parts import (
    MAX_ROW_POINTS,
    PIECE_LINES,
    STYLES,
    TABLE_SIZE,
    SheetBuilder,
    SheetLayout,
    libreoffice_height,
    libreoffice_measured,
    text_heights,
)

LEFT = (1, 3)  # columns of the left header block (governing body, school, Số, Nơi nhận)
RIGHT = (5, 9)  # columns of the right one (nation, motto, date, the signature)
LAST_COLUMN = len(COLUMNS)
SAMPLE_ROWS = 120  # items measured when choosing column widths
HEADER_LINES = 3
# Shares of the table's width a column never goes below: "Tiêu chí 1.10: ..."
# reads badly at a dozen letters a line even where it is not the tallest cell.
LEAST_WIDTH = {"criterion": 0.09, "result": 0.1, "solution": 0.15}


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


def plan_layout(doc: Document) -> SheetLayout:
    """Cells, merges, styles, row heights and page breaks of the 2018 plan."""
    total_units = sum(width for _, _, width in COLUMNS)
    widths = column_widths(doc, EXCEL, total_units, 0.5, blocks=_blocks(doc))
    layout = SheetLayout(widths=[widths[key] for key in COLUMN_KEYS], draft=doc.draft)
    layout.fit_page(total_units)
    _PlanBuilder(layout, doc).build()
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
        """LibreOffice's height for lines ``start`` to ``end`` (see ``libreoffice_height``)."""
        if start == 0 and end >= self.count:
            return max(
                libreoffice_measured(text, self.width[key]) for key, text in self.measured.items()
            )
        return max(
            libreoffice_height(text, self.width[key])
            for key, text in self.piece(start, end).items()
        )


def splittable(item: _Item) -> bool:
    """An item may continue on the next page when both parts keep PIECE_LINES lines."""
    return item.count >= 2 * PIECE_LINES


class _PlanBuilder(SheetBuilder):
    """The 2018 table: Tiêu chuẩn rows, items under their criterion, the total."""

    left, right = LEFT, RIGHT

    def __init__(self, layout: SheetLayout, doc: Document):
        super().__init__(layout, doc)
        self.width = {key: layout.widths[n] for n, key in enumerate(COLUMN_KEYS)}
        self.group: int | None = None  # the criterion group being placed
        self.group_text = ""
        self.group_rows: list[int] = []  # its rows on the current page
        # With sections around the table, the sheet has no print titles (they would top the
        # pages of the sections too): the table writes its header again after each break.
        self.sections = bool(doc.table_heading)
        self.in_table = False
        self._table_rows: tuple[list[_Item], Row | None, float] | None = None

    # ------------------------------------------------------------- pages

    def new_page(self) -> None:
        self.layout.breaks.append(self.row - 1)
        if not self.sections:
            self.used = self.repeat  # the print titles' header row
            return
        self.used = self.repeat = 0.0
        if self.in_table:
            self.table_header()
            self.repeat = self.used

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

    def header_height(self) -> tuple[float, float]:
        heights = [(0.0, 0.0)]
        for key, label, _ in COLUMNS:
            heights.append(text_heights(label, self.width[key], TABLE_SIZE, bold=True))
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
        return text_heights(entry.text, self.layout.width(2, LAST_COLUMN), TABLE_SIZE, True)[1]

    def standard(self, entry: Row) -> None:
        layout = self.layout
        self.close_group()
        layout.put(self.row, 1, entry.tt, "standard_tt")
        layout.span(self.row, 2, LAST_COLUMN, entry.text, "standard")
        written, printed = text_heights(entry.text, layout.width(2, LAST_COLUMN), TABLE_SIZE, True)
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
        need_written, need_printed = text_heights(text, width, TABLE_SIZE)
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
        written, printed = text_heights(text, width, TABLE_SIZE, bold=True)
        return max(written, printed), printed

    def total(self, entry: Row) -> None:
        layout = self.layout
        budget = COLUMN_KEYS.index("budget") + 1
        layout.span(self.row, 1, budget - 1, entry.text, "total")
        layout.span(self.row, budget, LAST_COLUMN, entry.cells.get("budget", ""), "total_value")
        self.add(*self.total_height(entry), True, "total")
