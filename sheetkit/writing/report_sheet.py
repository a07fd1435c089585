"""A report (a ``Document`` of sections) as a printable sheet of a workbook XlsxWriter builds.

The summary workbook gets its Báo cáo sheet here: the Nghị định 30 title
block, each section's heading and paragraphs across the page, its table on
a grid of ten columns (the Biểu 2 tables' spans), then Nơi nhận and the
signature; A4 portrait, one page wide, rows tall enough for their text in
Excel and LibreOffice. The Word report is the same document
(``printed.render_docx``).
"""

from __future__ import annotations

from typing import Any

from .layout import EXCEL, LIBREOFFICE
from .plan_text import Document

FONT = "Times New Roman"
# Ten columns over A4 portrait (their spans come from the tables, bieu2.Table.columns).
GRID = (6, 16, 12, 9, 9, 9, 9, 9, 9, 9)
LEFT, RIGHT = (0, 3), (5, 9)  # the title block's and the signature's halves
SIGNATURE_ROOM = 4  # empty rows for the signature and the stamp


def _width(first: int, last: int) -> float:
    return float(sum(GRID[first : last + 1]))


def _height(text: str, width: float, size: float = 12, bold: bool = False) -> float:
    """Points a row needs so neither Excel nor LibreOffice hides a line of ``text``."""
    lines = max(metrics.count(text, width, size, bold) for metrics in (EXCEL, LIBREOFFICE))
    return max(EXCEL.height(lines, size), LIBREOFFICE.height(lines, size)) + 2


class _Sheet:
    def __init__(self, book, name: str):
        self.ws = book.add_worksheet(name)
        self.row = 0
        base = {"font_name": FONT, "font_size": 12, "valign": "top", "text_wrap": True}

        def add(**props: Any):
            return book.add_format({**base, **props})

        self.f = {
            "body": add(),
            "body_bold": add(bold=True),
            "center": add(align="center"),
            "center_bold": add(align="center", bold=True),
            "center_italic": add(align="center", italic=True),
            "title": add(align="center", bold=True, font_size=14),
            "heading": add(bold=True),
            "cell": add(border=1),
            "cell_center": add(border=1, align="center"),
            "cell_head": add(border=1, bold=True, align="center", valign="vcenter"),
            "small": add(font_size=11),
            "small_italic_bold": add(font_size=12, bold=True, italic=True),
        }
        for col, width in enumerate(GRID):
            self.ws.set_column(col, col, width)

    def span(self, first: int, last: int, text: str, style: str) -> None:
        if first == last:
            self.ws.write_string(self.row, first, text, self.f[style])
        else:
            self.ws.merge_range(self.row, first, self.row, last, text, self.f[style])

    def line(self, text: str, style: str = "body", size: float = 12, bold: bool = False) -> None:
        """One text across the page, its row as tall as the text needs."""
        self.span(0, len(GRID) - 1, text, style)
        self.ws.set_row(self.row, _height(text, _width(0, len(GRID) - 1), size, bold))
        self.row += 1

    def pair(self, left: tuple[str, str], right: tuple[str, str]) -> None:
        """The title block's two halves on one row."""
        heights = []
        for (first, last), (text, style) in ((LEFT, left), (RIGHT, right)):
            self.span(first, last, text, style)
            heights.append(_height(text, _width(first, last), 12, "bold" in style))
        self.ws.set_row(self.row, max(heights))
        self.row += 1


def write_report_sheet(book, doc: Document, name: str) -> None:
    """The report ``doc`` as the sheet ``name`` of the XlsxWriter workbook ``book``."""
    sheet = _Sheet(book, name)
    sheet.pair(
        (doc.governing_body, "center"), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "center_bold")
    )
    sheet.pair((doc.school, "center_bold"), ("Độc lập - Tự do - Hạnh phúc", "center_bold"))
    sheet.row += 1
    sheet.pair((doc.number, "center"), (doc.place_date, "center_italic"))
    sheet.row += 1
    sheet.line(doc.title, "title", 14, True)
    sheet.line(doc.subtitle, "center_bold", 12, True)
    sheet.row += 1
    for section in doc.sections:
        sheet.line(section.title, "heading", 12, True)
        for paragraph in section.paragraphs:
            sheet.line(paragraph)
        if section.table is not None and section.table.rows:
            _table(sheet, section.table)
        sheet.row += 1
    _closing(sheet, doc)
    ws = sheet.ws
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.7, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")
    ws.hide_gridlines(2)


def _table(sheet: _Sheet, table) -> None:
    """A Biểu 2 table: its header (spans over the grid), then its rows, with borders."""
    centred = table.centred()
    heights = []
    for label, first, last in table.columns:
        sheet.span(first, last, label, "cell_head")
        heights.append(_height(label, _width(first, last), 12, True))
    sheet.ws.set_row(sheet.row, max(heights))
    sheet.row += 1
    for row in table.rows:
        if row.kind != "item":  # a group line across the table
            sheet.span(0, len(GRID) - 1, row.text, "cell")
            sheet.ws.set_row(sheet.row, _height(row.text, _width(0, len(GRID) - 1)))
            sheet.row += 1
            continue
        heights = []
        for n, ((_, first, last), text) in enumerate(zip(table.columns, row.cells, strict=True)):
            sheet.span(first, last, text, "cell_center" if n in centred else "cell")
            heights.append(_height(text, _width(first, last)))
        sheet.ws.set_row(sheet.row, max(heights))
        sheet.row += 1


def _closing(sheet: _Sheet, doc: Document) -> None:
    """Nơi nhận on the left; the authority lines, room to sign and the name on the right."""
    left = ["Nơi nhận:", *doc.recipients]
    right = [*doc.signer_title.split("\n"), *([""] * SIGNATURE_ROOM), doc.signer_name]
    for n in range(max(len(left), len(right))):
        if n < len(left):
            style = "small_italic_bold" if n == 0 else "small"
            sheet.span(0, 4, left[n], style)
        if n < len(right):
            sheet.span(*RIGHT, right[n], "center_bold")
        sheet.row += 1
