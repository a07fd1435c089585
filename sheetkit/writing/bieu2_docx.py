"""Biểu 2 (Thông tư 57) in Word: sections I to VIII after the title, then the signature.

Headings are kept with what follows them, so none ends a page alone; table
headers repeat on every page; a table row of a few lines never breaks, nor a
table of a few rows (table VI); the last lines of section VIII and the
signature block share one unbreakable table, so the signature never stands on
a page without them. A month in Thời gian thực hiện never breaks
(``plan_text.keep_months``).
"""

from __future__ import annotations

from . import docx_parts
from .bieu2 import Table, TableRow, column_widths
from .docx_parts import (
    WORD,
    cell_lines,
    closing_table,
    element,
    insert,
    kept_whole,
    para,
    section_text,
    table_cell,
    table_row,
    table_start,
)
from .page import POINTS_PER_MM
from .plan_text import Document


def write_sections(word, doc: Document, usable_mm: float) -> None:
    """Append Biểu 2's sections and signature to a Word document that has its title."""
    width = usable_mm * POINTS_PER_MM
    points = column_widths(doc.sections, width, pad=2 * docx_parts.CELL_MARGIN_PT + 3)
    grid = [round(p * docx_parts.TWIPS) for p in points]
    last = len(doc.sections) - 1
    for n, section in enumerate(doc.sections):
        tail = section_text(word, section.title, section.paragraphs, n == last)
        if section.table is not None:
            insert(word, element(_table(section.table, grid, points)))
            if section.table.note:
                note = para(section.table.note, 12, italic=True, before=3, after=3)
                insert(word, element(note))
        if n == last:
            insert(word, element(closing_table(tail, doc, grid)))


def _table(table: Table, grid: list[int], points: list[float]) -> str:
    """A Biểu 2 table: its header row repeated on every page; a short table kept whole.

    Only the label row is repeated, and table V's row of numbers is not kept
    with the rows under it: after a kept heading, LibreOffice moves a table
    whose first rows (the repeated ones and those kept with the next) are
    followed by a long row to the next page whole rather than split that
    row, and the page before is left half empty. A table of SMALL_TABLE_ROWS rows or fewer that takes at most half
    a page never breaks (its rows unbreakable, each kept with the next); a
    longer one breaks between rows, and inside a row of more than
    UNBROKEN_LINES lines.
    """
    spans = [(label, first, last) for label, first, last in table.columns]
    widths = [sum(points[first : last + 1]) for _, first, last in spans]
    heights = [
        WORD.height(WORD.count(label, w, docx_parts.TABLE_SIZE, bold=True))
        for (label, _, _), w in zip(spans, widths, strict=True)
    ]
    tallest = [_tallest(row, widths) for row in table.rows]
    height = (
        docx_parts.HEADING_PT + max(heights) + sum(WORD.height(lines) for lines in tallest or [1])
    )
    if table.numbered:
        height += WORD.height(1)
    small = kept_whole(len(table.rows) or 1, height)
    parts = [table_start(grid)]
    header = [
        table_cell(
            [para(label, bold=True, align="center", keep=small)],
            sum(grid[first : last + 1]),
            span=last - first + 1,
            valign=True,
        )
        for label, first, last in spans
    ]
    parts.append(table_row(header, header=True, whole=True))
    if table.numbered:  # not kept with the rows under it (see above)
        numbers = [
            table_cell(
                [para(f"({n})", align="center", keep=small)],
                sum(grid[first : last + 1]),
                span=last - first + 1,
            )
            for n, (_, first, last) in enumerate(spans, start=1)
        ]
        parts.append(table_row(numbers, whole=True))
    centred = table.centred()
    last_row = len(table.rows) - 1
    for n, (row, lines) in enumerate(zip(table.rows, tallest, strict=True)):
        keep = small and n < last_row
        if row.kind == "group":  # always kept with the first item under it
            cell = table_cell(cell_lines(row.text, bold=True, keep=True), sum(grid), span=len(grid))
            parts.append(table_row([cell], whole=True))
            continue
        cells = [
            table_cell(
                cell_lines(text, align="center" if c in centred else "left", keep=keep),
                sum(grid[first : last + 1]),
                span=last - first + 1,
            )
            for c, (text, (_, first, last)) in enumerate(zip(row.cells, spans, strict=True))
        ]
        parts.append(table_row(cells, whole=small or lines <= docx_parts.UNBROKEN_LINES))
    if not table.rows:
        empty = table_cell(
            [para("(chưa có)", italic=True, align="center")], sum(grid), span=len(grid)
        )
        parts.append(table_row([empty], whole=True))
    parts.append("</w:tbl>")
    return "".join(parts)


def _tallest(row: TableRow, widths: list[float]) -> int:
    """Lines of a row's tallest cell in Word."""
    if row.kind == "group":
        return WORD.count(row.text, sum(widths), docx_parts.TABLE_SIZE, bold=True)
    return max(
        WORD.count(text, width, docx_parts.TABLE_SIZE)
        for text, width in zip(row.cells, widths, strict=True)
    )
