"""The 2018 plan in Word: its sections of text, its table, the signature (python-docx).

``write_plan`` is the 2018 layout's Word body, appended after the title page
(``docx_parts.title_page``): the plan table with its header row repeated on
every page, columns as wide as their text needs (``plan_sheet.column_widths``),
rows that do not break across a page unless they are long, each Tiêu chuẩn
row kept with the row after it, the last item kept with the total, the total
with the signature block, and the signature block (Nơi nhận, HIỆU TRƯỞNG and
the name) in one unbreakable row.

The plan table is written as WordprocessingML directly, a row at a time: a
criterion's cell spans its items by ``w:vMerge``, with no call to
python-docx's ``merge`` (which recurses once per row and fails past about a
thousand rows) and no per-cell object, so a plan of thousands of items is
written in seconds.
"""

from __future__ import annotations

from .document import CENTERED, COLUMN_KEYS, COLUMNS
from .docx_parts import (
    HEADING_PT,
    TABLE_SIZE,
    TWIPS,
    UNBROKEN_LINES,
    WORD,
    cell_lines,
    closing_table,
    element,
    heading,
    insert,
    kept_whole,
    para,
    section_text,
    signature_row,
    table_cell,
    table_row,
    table_start,
)
from .page import POINTS_PER_MM
from .plan_sheet import column_widths
from .plan_text import Document


def write_plan(word, doc: Document, usable_mm: float) -> None:
    """Append a 2018 plan's sections, its table and the signature to a document with its title.

    Sections I and II (Căn cứ, Mục đích, yêu cầu) come before the table,
    under its own heading, section IV (Tổ chức thực hiện) after it, when the
    plan has their text; without them the table is all, as it always was.
    """
    for section in doc.opening:
        section_text(word, section.title, section.paragraphs)
    if doc.table_heading:
        insert(word, element(heading(doc.table_heading)))
    widths, grid = plan_grid(doc, usable_mm * POINTS_PER_MM)
    insert(word, plan_table(doc, widths, grid, signature=not doc.closing))
    tail: list[str] = []
    for n, section in enumerate(doc.closing):
        tail = section_text(word, section.title, section.paragraphs, n == len(doc.closing) - 1)
    if doc.closing:
        insert(word, element(closing_table(tail, doc, grid)))


def plan_grid(doc: Document, width_pt: float) -> tuple[dict[str, float], list[int]]:
    """The table's column widths (points, by key) and its grid (twips)."""
    widths = column_widths(doc, WORD, width_pt, 2)
    return widths, [round(widths[key] * TWIPS) for key in COLUMN_KEYS]


def plan_table(doc: Document, widths: dict[str, float], grid: list[int], signature: bool = True):
    """The plan table, ending with the signature block, as a ``w:tbl`` element.

    ``widths`` and ``grid``: ``plan_grid``'s. The signature block is the table's last row (borderless, unbreakable):
    Word and LibreOffice both keep a row with the next one when its
    paragraphs say so, but LibreOffice does not carry that from a table to
    what follows it. So the last item is kept with the total, the total with
    the signature, and the signature block is never split. Without
    ``signature`` (a section follows the table) the table ends with the
    total, kept with the last item. A table of SMALL_TABLE_ROWS rows or fewer
    that takes at most half a page is kept whole (``kept_whole``).
    """
    from docx.oxml import parse_xml

    parts = [table_start(grid)]
    rows = doc.rows
    small = kept_whole(len(rows), _table_height(doc, widths))  # the whole table on one page
    headed = bool(doc.table_heading) or small  # the header goes with the first rows
    labels = [
        table_cell([para(label, bold=True, align="center", keep=headed)], grid[n], valign=True)
        for n, (_, label, _) in enumerate(COLUMNS)
    ]
    parts.append(table_row(labels, header=True, whole=True))
    last_item = max((n for n, row in enumerate(rows) if row.kind == "item"), default=-1)
    budget = COLUMN_KEYS.index("budget")
    previous_group = None
    for n, entry in enumerate(rows):
        if entry.kind == "standard":  # kept with the row after it
            cells = [
                table_cell(cell_lines(entry.tt, bold=True, align="center", keep=True), grid[0]),
                table_cell(
                    cell_lines(entry.text, bold=True, keep=True), sum(grid[1:]), span=len(grid) - 1
                ),
            ]
            parts.append(table_row(cells, whole=True))
            previous_group = None
        elif entry.kind == "total":  # kept with the signature
            amount = entry.cells.get("budget", "")
            cells = [
                table_cell(
                    cell_lines(entry.text, bold=True, align="right", keep=signature),
                    sum(grid[:budget]),
                    span=budget,
                ),
                table_cell(
                    cell_lines(amount, bold=True, align="center", keep=signature),
                    sum(grid[budget:]),
                    span=len(grid) - budget,
                ),
            ]
            parts.append(table_row(cells, whole=True))
        else:
            starts = entry.group != previous_group  # its criterion's text is in this row
            tallest = max(
                WORD.count(entry.cells.get(key, ""), widths[key], TABLE_SIZE)
                for key in COLUMN_KEYS
                if key != "criterion" or starts
            )
            whole = small or tallest <= UNBROKEN_LINES
            # The last item stays with the total; a long one breaks, and its end goes with
            # the total anyway (LibreOffice drops a keep that chains a breaking row).
            keep = (n == last_item or small) and whole
            cells = []
            for c, key in enumerate(COLUMN_KEYS):
                text = entry.cells.get(key, "")
                if key == "criterion":
                    first = entry.group != previous_group
                    merge = "restart" if first else "continue"
                    cells.append(
                        table_cell(
                            cell_lines(text if first else "", keep=keep), grid[c], merge=merge
                        )
                    )
                else:
                    align = "center" if key in CENTERED else "left"
                    cells.append(table_cell(cell_lines(text, align=align, keep=keep), grid[c]))
            parts.append(table_row(cells, whole=whole))
            previous_group = entry.group
    if signature:
        parts.append(signature_row(doc, grid))
    parts.append("</w:tbl>")
    return parse_xml("".join(parts))


def _table_height(doc: Document, widths: dict[str, float]) -> float:
    """Points the 2018 plan table takes in Word, with its heading and header (not the signature)."""
    height = HEADING_PT if doc.table_heading else 0.0
    height += max(
        WORD.height(WORD.count(label, widths[key], TABLE_SIZE, bold=True))
        for key, label, _ in COLUMNS
    )
    for entry in doc.rows:
        if entry.kind == "item":
            lines = max(WORD.count(entry.cells.get(key, ""), widths[key]) for key in COLUMN_KEYS)
        else:
            lines = WORD.count(entry.text, sum(widths.values()) * 0.7, bold=True)
        height += WORD.height(lines)
    return height
