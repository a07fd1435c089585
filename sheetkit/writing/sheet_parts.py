"""What every layout's Bản kế hoạch sheet is made of: the layout as data, its pieces, its writer.

``SheetLayout`` holds every cell, merge, style, row height and page break of
the printed sheet as plain data, so the same layout is written by openpyxl
into a copy of the school's workbook (``write_plan_sheet``) and by the Excel
button into the open workbook. A layout's sheet (``plan_sheet`` for the 2018
table, ``bieu2_sheet`` for Biểu 2) is built row by row by a ``SheetBuilder``,
which keeps count of the page and places what every document has: the
decree's header blocks and title, sections of text whose heading never ends
a page, rows that continue on the next page in pieces (``Cells``), and the
signature block with Nơi nhận.

Spreadsheets do not lay out pages the way a word processor does, so the
builder does: it wraps every cell's text with the font's metrics and breaks
pages itself. Pages are measured with Excel's line height, the taller of the
two applications; rows are written at LibreOffice's height (which LibreOffice
prints as written) and left for Excel to refit when it opens the file, except
rows holding merged text, whose height is fixed at Excel's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.dimensions import RowDimension

from ..model.contract import SHEET_RENDERED
from .files import show_only
from .layout import EXCEL, LIBREOFFICE, LIBREOFFICE_SCREEN, Measured
from .page import KEPT_LINES, MARGINS_MM, POINTS_PER_MM, printable_mm
from .plan_text import DRAFT_MARK, MOTTO, NATION, Document, is_subheading

FONT = "Times New Roman"
MAX_ROW_POINTS = 409  # Excel's limit
RULE = "─" * 14  # the short rule under the school name, the motto and the title
TABLE_SIZE = 12  # points: the table's text
# Page breaking: a row may continue on the next page when at least
# PIECE_LINES of its lines stay on each side.
PIECE_LINES = 3
GAP = 6.0  # points above a section heading
PAGE_SAFETY = 0.97  # of the page's height: rounding in the applications' layout

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

    def fit_page(self, units: float) -> None:
        """The print scale for a sheet ``units`` wide, and the sheet's points one page holds."""
        printable_width, printable_height = (mm * POINTS_PER_MM for mm in printable_mm())
        # The sheet must fit the page's width where a width unit is widest (LibreOffice).
        widest_unit = max(EXCEL.unit, LIBREOFFICE.unit)
        self.scale = min(100, math.floor(100 * printable_width / (units * widest_unit)))
        self.page_height = printable_height * 100 / self.scale * PAGE_SAFETY


# ----------------------------------------------------------------- measuring


def text_heights(text: str, width: float, size: float, bold: bool = False) -> tuple[float, float]:
    """(LibreOffice, Excel) heights of a row holding ``text`` in a cell ``width`` wide."""
    return libreoffice_height(text, width, size, bold), EXCEL.text_height(text, width, size, bold)


def libreoffice_height(
    text: str, width: float, size: float = TABLE_SIZE, bold: bool = False
) -> float:
    """What LibreOffice needs to show ``text`` whole, printed and on screen."""
    return libreoffice_measured(Measured(text, bold), width, size)


def libreoffice_measured(text: Measured, width: float, size: float = TABLE_SIZE) -> float:
    return max(
        metrics.height(metrics.count_measured(text, width, size), size)
        for metrics in (LIBREOFFICE, LIBREOFFICE_SCREEN)
    )


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
                libreoffice_measured(text, width, self.size)
                for text, width in zip(self.measured, self.widths, strict=True)
            )
        return max(
            libreoffice_height(text, width, self.size, self.bold)
            for text, width in zip(self.piece(start, end), self.widths, strict=True)
        )

    def printed(self, start: int, end: int) -> float:
        return EXCEL.height(end - start, self.size)


# Writes one piece of a row: (row number, the cells' text, is first piece, is last piece).
PieceWriter = Callable[[int, list[str], bool, bool], None]


class SheetBuilder:
    """Writes the layout row by row, keeping count of the current page.

    A layout's builder sets ``left`` and ``right`` (the columns of the header
    blocks and of the signature), says what a new page starts with
    (``new_page``) and builds its body between ``title_block`` and ``signature``.
    """

    left: tuple[int, int]
    right: tuple[int, int]

    def __init__(self, layout: SheetLayout, doc: Document):
        self.layout, self.doc = layout, doc
        self.row = 1
        self.used = 0.0  # points of the current page already taken
        self.repeat = 0.0  # a table's header, repeated at the top of every page
        self.full = (1, len(layout.widths))

    # ------------------------------------------------------------- pages

    def room(self) -> float:
        return self.layout.page_height - self.used

    def new_page(self) -> None:
        """Break the page before the next row, and start the new page."""
        raise NotImplementedError

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

    # ------------------------------------------------------------- the title

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

    def header_line(self, left: tuple[str, str], right: tuple[str, str]) -> None:
        heights = []
        for (first, last), (text, style) in ((self.left, left), (self.right, right)):
            self.layout.span(self.row, first, last, text, style)
            spec = STYLES[style]
            size, bold = spec["size"], spec.get("bold", False)
            heights.append(text_heights(text, self.layout.width(first, last), size, bold))
        self.add(max(h[0] for h in heights), max(h[1] for h in heights), True)

    def fixed_row(self, text: str, width: float, size: float, bold: bool = False) -> None:
        """A row of merged text: its height is set (Excel does not fit merged cells)."""
        written, printed = text_heights(text, width, size, bold)
        self.add(max(written, printed), printed, True)

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

    # ------------------------------------------------------------- the signature

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
