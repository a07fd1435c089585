"""Biểu 2 (Thông tư 57) in Word: sections I to VIII after the title, then the signature.

Headings are kept with what follows them, so none ends a page alone; table
headers repeat on every page; a table row of a few lines never breaks; the
last lines of section VIII and the signature block share one unbreakable
table, so the signature never stands on a page without them.
"""

from __future__ import annotations

from .bieu2 import Table, column_widths
from .document import Document
from .plan_docx import (
    CELL_MARGIN_PT,
    TABLE_SIZE,
    TWIPS,
    UNBROKEN_LINES,
    WORD,
    _cell,
    _insert,
    _lines,
    _para,
    _row,
    _table_start,
    closing_table,
    element,
    section_text,
)
from .plan_sheet import POINTS_PER_MM


def write_sections(word, doc: Document, usable_mm: float) -> None:
    """Append Biểu 2's sections and signature to a Word document that has its title."""
    width = usable_mm * POINTS_PER_MM
    points = column_widths(doc.sections, width, pad=2 * CELL_MARGIN_PT + 3)
    grid = [round(p * TWIPS) for p in points]
    last = len(doc.sections) - 1
    for n, section in enumerate(doc.sections):
        tail = section_text(word, section.title, section.paragraphs, n == last)
        if section.table is not None:
            _insert(word, element(_table(section.table, grid, points)))
            if section.table.note:
                note = _para(section.table.note, 12, italic=True, before=3, after=3)
                _insert(word, element(note))
        if n == last:
            _insert(word, element(closing_table(tail, doc, grid)))


def _table(table: Table, grid: list[int], points: list[float]) -> str:
    spans = [(label, first, last) for label, first, last in table.columns]
    parts = [_table_start(grid)]
    header = [
        _cell(
            [_para(label, bold=True, align="center")],
            sum(grid[first : last + 1]),
            span=last - first + 1,
            valign=True,
        )
        for label, first, last in spans
    ]
    parts.append(_row(header, header=True, whole=True))
    if table.numbered:
        numbers = [
            _cell(
                [_para(f"({n})", align="center")],
                sum(grid[first : last + 1]),
                span=last - first + 1,
            )
            for n, (_, first, last) in enumerate(spans, start=1)
        ]
        parts.append(_row(numbers, header=True, whole=True))
    for row in table.rows:
        if row.kind == "group":
            cell = _cell(_lines(row.text, bold=True, keep=True), sum(grid), span=len(grid))
            parts.append(_row([cell], whole=True))
            continue
        tallest = max(
            WORD.count(text, sum(points[first : last + 1]), TABLE_SIZE)
            for text, (_, first, last) in zip(row.cells, spans, strict=True)
        )
        centred = table.centred()
        cells = [
            _cell(
                _lines(text, align="center" if n in centred else "left"),
                sum(grid[first : last + 1]),
                span=last - first + 1,
            )
            for n, (text, (_, first, last)) in enumerate(zip(row.cells, spans, strict=True))
        ]
        parts.append(_row(cells, whole=tallest <= UNBROKEN_LINES))
    if not table.rows:
        empty = _cell([_para("(chưa có)", italic=True, align="center")], sum(grid), span=len(grid))
        parts.append(_row([empty], whole=True))
    parts.append("</w:tbl>")
    return "".join(parts)
