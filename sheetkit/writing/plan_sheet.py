"""The Bản kế hoạch sheet: the official plan laid out on a printable worksheet.

``sheet_layout(document)`` decides every cell, merge, style and row height as
plain data, so the same layout is written by openpyxl into a copy of the
school's workbook (``render_xlsx``) and by the Excel button into the open
workbook. Spreadsheets do not fit row heights to wrapped text in a file
written by a program, and a row cannot be taller than 409 points: heights are
computed here, and a very long cell continues on the next row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.contract import SHEET_RENDERED
from .document import CENTERED, COLUMN_KEYS, COLUMNS, DRAFT_MARK, MOTTO, NATION, Document
from .files import atomic_path, open_for_copy, same_file
from .layout import line_height, lines_of, text_height

FONT = "Times New Roman"
LEFT = (1, 3)  # columns of the left header block (governing body, school, Số)
RIGHT = (5, 9)  # columns of the right header block (nation, motto, date)
LAST_COLUMN = len(COLUMNS)
MAX_ROW_POINTS = 409  # Excel's limit
# A long item continues on rows of at most this height, so pages fill up
# instead of leaving a row that does not fit on the page for the next one.
CHUNK_POINTS = 200
SINGLE_ROW_POINTS = 380  # an item up to this high stays on one row
RULE = "─" * 14  # the short rule under the school name, the motto and the title
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20}  # Nghị định 30, Phụ lục I

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
}


@dataclass
class SheetLayout:
    """What the Bản kế hoạch sheet holds, independent of the library that writes it.

    Rows and columns are 1-based. ``cells``: (row, col) -> (text, style name,
    borders) where borders is a subset of "tblr" (top, bottom, left, right);
    ``merges``: (first row, first col, last row, last col).
    """

    widths: list[float]
    cells: dict[tuple[int, int], tuple[str, str, str]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    header_row: int = 0
    last_row: int = 0
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


def sheet_layout(doc: Document) -> SheetLayout:
    """Cells, merges, styles and row heights of the official plan."""
    layout = SheetLayout(widths=[width for _, _, width in COLUMNS], draft=doc.draft)
    left_width, right_width = layout.width(*LEFT), layout.width(*RIGHT)
    full = (1, LAST_COLUMN)

    def header_line(row: int, left: tuple[str, str], right: tuple[str, str]) -> None:
        height = 0.0
        for (first, last), (text, style), width in (
            (LEFT, left, left_width),
            (RIGHT, right, right_width),
        ):
            layout.span(row, first, last, text, style)
            size = STYLES[style]["size"]
            height = max(height, text_height(text, width, size, capitals=text.isupper()))
        layout.heights[row] = height

    header_line(1, (doc.governing_body, "governing"), (NATION, "body_bold"))
    header_line(2, (doc.school, "body_bold"), (MOTTO, "motto"))
    header_line(3, (RULE, "rule"), (RULE, "rule"))
    header_line(4, (doc.number, "body"), (doc.place_date, "date"))
    row = 6
    if doc.draft:
        layout.span(row, *full, doc.draft, "draft")
        layout.heights[row] = line_height(14) + 6
        row += 1
    for text, style in ((doc.title, "title"), (doc.subtitle, "title"), (RULE, "rule")):
        layout.span(row, *full, text, style)
        size = STYLES[style]["size"]
        layout.heights[row] = text_height(text, layout.width(*full), size)
        row += 1
    row += 1

    layout.header_row = row
    for col, (_, label, _) in enumerate(COLUMNS, start=1):
        layout.put(row, col, label, "header")
    layout.heights[row] = max(text_height(label, w, 12) for _, label, w in COLUMNS)
    row += 1
    row = _table(layout, doc, row)

    row += 1
    layout.span(row, *RIGHT, doc.signer_title, "signer")
    layout.span(row, *LEFT, "Nơi nhận:", "recipients_title")
    layout.heights[row] = line_height(13) + 4
    for n, line in enumerate(doc.recipients, start=1):
        layout.span(row + n, *LEFT, line, "recipients")
        layout.heights[row + n] = text_height(line, left_width, 11)
    # Room for the signature and the stamp: about 4 lines.
    name_row = max(row + len(doc.recipients) + 1, row + 5)
    layout.span(name_row, *RIGHT, doc.signer_name, "signer")
    layout.heights[name_row] = line_height(13) + 4
    layout.last_row = name_row
    return layout


def _table(layout: SheetLayout, doc: Document, row: int) -> int:
    """Write the table rows from ``row``; return the row after the table."""
    widths = {key: width for key, _, width in COLUMNS}
    group_rows: dict[int, list[int]] = {}
    group_text: dict[int, str] = {}
    for entry in doc.rows:
        if entry.kind == "standard":
            layout.put(row, 1, entry.tt, "standard_tt")
            layout.span(row, 2, LAST_COLUMN, entry.text, "standard")
            layout.heights[row] = text_height(entry.text, layout.width(2, LAST_COLUMN), 12)
            row += 1
        elif entry.kind == "total":
            budget = COLUMN_KEYS.index("budget") + 1
            layout.span(row, 1, budget - 1, entry.text, "total")
            layout.put(row, budget, entry.cells.get("budget", ""), "total_value")
            for col in range(budget + 1, LAST_COLUMN + 1):
                layout.put(row, col, "", "cell")
            layout.heights[row] = text_height(entry.cells.get("budget", ""), widths["budget"], 12)
            row += 1
        else:
            chunks = _chunks(entry.cells, widths)
            first = row
            for n, chunk in enumerate(chunks):
                edge = ("t" if n == 0 else "") + ("b" if n == len(chunks) - 1 else "") + "lr"
                for col, (key, _, _) in enumerate(COLUMNS, start=1):
                    if key == "criterion":
                        continue
                    style = "cell_center" if key in CENTERED else "cell"
                    layout.put(
                        row, col, chunk.get(key, "") if key != "tt" or n == 0 else "", style, edge
                    )
                layout.heights[row] = chunk["_height"]
                row += 1
            group_rows.setdefault(entry.group, []).extend(range(first, row))
            group_text[entry.group] = entry.cells.get("criterion", "")
    for group, rows in group_rows.items():
        text = group_text[group]
        layout.span(rows[0], 2, 2, text, "cell", rows=len(rows))
        needed = text_height(text, widths["criterion"], 12)
        have = sum(layout.heights[r] for r in rows)
        if needed > have:  # a long criterion name over short items: the last row grows
            layout.heights[rows[-1]] = min(MAX_ROW_POINTS, layout.heights[rows[-1]] + needed - have)
    return row


def _chunks(cells: dict[str, str], widths: dict[str, float]) -> list[dict[str, Any]]:
    """The item's cells over one or more rows, each at most CHUNK_POINTS high."""
    lines = {key: lines_of(cells.get(key, ""), widths[key]) for key in widths if key != "criterion"}
    count = max(len(v) for v in lines.values())
    fits = count * line_height(12) + 4 <= SINGLE_ROW_POINTS
    per_row = count if fits else int((CHUNK_POINTS - 4) // line_height(12))
    chunks = []
    for start in range(0, count, per_row):
        chunk: dict[str, Any] = {
            key: "".join(v[start : start + per_row]).strip() for key, v in lines.items()
        }
        used = min(per_row, count - start)
        chunk["_height"] = used * line_height(12) + 4
        chunks.append(chunk)
    return chunks


# ----------------------------------------------------------------- openpyxl


def write_plan_sheet(wb, layout: SheetLayout) -> Any:
    """(Re)create the Bản kế hoạch sheet in an openpyxl workbook and make it the active one."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    if SHEET_RENDERED in wb.sheetnames:
        del wb[SHEET_RENDERED]
    ws = wb.create_sheet(SHEET_RENDERED)
    for sheet in wb.worksheets:  # one selected tab, or Excel groups the sheets
        sheet.sheet_view.tabSelected = False
    wb.active = wb.sheetnames.index(SHEET_RENDERED)
    ws.sheet_view.tabSelected = True
    ws.sheet_view.showGridLines = False

    for col, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    thin = Side(style="thin")
    fonts, aligns, borders = {}, {}, {}
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
            vertical="top" if "border" in style else "center",
            wrap_text=True,
        )
    for (row, col), (text, style, edges) in layout.cells.items():
        cell = ws.cell(row=row, column=col)
        if text:
            cell.value = text
            cell.data_type = "s"  # a solution "=..." stays text
        cell.font = fonts[style]
        cell.alignment = aligns[style]
        if edges:
            if edges not in borders:
                borders[edges] = Border(
                    top=thin if "t" in edges else None,
                    bottom=thin if "b" in edges else None,
                    left=thin if "l" in edges else None,
                    right=thin if "r" in edges else None,
                )
            cell.border = borders[edges]
    for first_row, first_col, last_row, last_col in layout.merges:
        ws.merge_cells(
            start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
        )
    for row, height in layout.heights.items():
        ws.row_dimensions[row].height = round(height, 2)

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    inch = 25.4
    ws.page_margins.left = MARGINS_MM["left"] / inch
    ws.page_margins.right = MARGINS_MM["right"] / inch
    ws.page_margins.top = MARGINS_MM["top"] / inch
    ws.page_margins.bottom = MARGINS_MM["bottom"] / inch
    ws.page_margins.header = 8 / inch
    ws.page_margins.footer = 8 / inch
    ws.print_title_rows = f"{layout.header_row}:{layout.header_row}"
    ws.print_area = f"A1:{get_column_letter(LAST_COLUMN)}{layout.last_row}"
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


def render_xlsx(
    source: str | os.PathLike[str], doc: Document, output: str | os.PathLike[str]
) -> Path:
    """A copy of the school's workbook with the Bản kế hoạch sheet; the input is not touched.

    .xls and .ods inputs, which openpyxl cannot open, give a new workbook
    holding only the Bản kế hoạch sheet.
    """
    from openpyxl import Workbook

    source, output = Path(source), Path(output)
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        wb = open_for_copy(source, output)
    elif same_file(source, output):
        raise ValueError("output must differ from the input file")
    else:
        wb = Workbook()
        wb.remove(wb.active)
    write_plan_sheet(wb, sheet_layout(doc))
    with atomic_path(output) as tmp:
        wb.save(tmp)
    return output
