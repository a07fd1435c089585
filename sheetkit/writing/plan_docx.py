"""The official plan as a Word document (python-docx), laid out per Nghị định 30/2020/NĐ-CP.

Word wraps text and sizes rows itself, and a long row may continue on the next
page; this module only places the text of a ``render.Document``: header
blocks in a borderless table so Số and the date line stay level, the plan
table with its header row repeated on every page, the signature block.
"""

from __future__ import annotations

import os
from pathlib import Path

from .document import CENTERED, COLUMN_KEYS, COLUMNS, DRAFT_MARK, MOTTO, NATION, Document
from .files import atomic_path
from .plan_sheet import MARGINS_MM

FONT = "Times New Roman"
PAGE_MM = (297, 210)  # A4 landscape
RED = (0xC0, 0x00, 0x00)


def render_docx(doc: Document, output: str | os.PathLike[str]) -> Path:
    """Write ``doc`` as a .docx file (temporary file renamed into place)."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    _east_asian_font(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.header_distance = Mm(8)
    usable_mm = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]

    # Page numbers at the top centre, not on the first page (the decree's rule).
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = 1
    _page_field(number)
    if doc.draft:
        for header in (section.header, section.first_page_header):
            mark = header.paragraphs[0].insert_paragraph_before()
            _run(mark, DRAFT_MARK, 14, bold=True, color=RED)

    _header_blocks(word, doc, usable_mm)
    if doc.draft:
        _paragraph(word, doc.draft, 14, bold=True, color=RED, align=1, before=6)
    _paragraph(word, doc.title, 14, bold=True, align=1, before=12)
    _paragraph(word, doc.subtitle, 14, bold=True, align=1)
    _rule(word.add_paragraph(), usable_mm, 0.25)
    _plan_table(word, doc, usable_mm)
    _signature(word, doc, usable_mm)

    output = Path(output)
    with atomic_path(output) as tmp:
        word.save(str(tmp))
    return output


# ----------------------------------------------------------------- pieces


def _header_blocks(word, doc: Document, usable_mm: float) -> None:
    from docx.shared import Mm

    left_mm = usable_mm * 0.45
    table = word.add_table(rows=4, cols=2)
    _no_borders(table)
    table.autofit = False
    widths = (Mm(left_mm), Mm(usable_mm - left_mm))
    lines = (
        ((doc.governing_body, 12, False, False), (NATION, 13, True, False)),
        ((doc.school, 13, True, False), (MOTTO, 14, True, False)),
        (None, None),
        ((doc.number, 13, False, False), (doc.place_date, 14, False, True)),
    )
    for r, pair in enumerate(lines):
        for c, spec in enumerate(pair):
            cell = table.cell(r, c)
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = 1
            if spec is None:
                # The short rule: from a third to a half of the line above it.
                _rule(paragraph, left_mm if c == 0 else usable_mm - left_mm, 0.35)
            else:
                text, size, bold, italic = spec
                _run(paragraph, text, size, bold=bold, italic=italic)
    for c, width in enumerate(widths):
        table.columns[c].width = width


def _plan_table(word, doc: Document, usable_mm: float) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Mm

    # The sheet's proportions, with room for "TT", "III", "10.000.000" and "Tháng 12/2024"
    # at 12 pt: Word pads cells more than a spreadsheet does.
    least = {"tt": 7, "time": 15, "budget": 16}
    units = [max(width, least.get(key, 0)) for key, _, width in COLUMNS]
    widths = [Mm(usable_mm * width / sum(units)) for width in units]
    table = word.add_table(rows=1, cols=len(COLUMNS))
    table.style = word.styles["Table Grid"]
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    for c, (_, label, _) in enumerate(COLUMNS):
        cell = header.cells[c]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(cell, label, bold=True, align=1)

    groups: dict[int, list] = {}
    for entry in doc.rows:
        row = table.add_row()
        cells = row.cells
        if entry.kind == "standard":
            _cell_text(cells[0], entry.tt, bold=True, align=1)
            merged = cells[1].merge(cells[-1])
            _cell_text(merged, entry.text, bold=True)
            _keep_with_next(row)  # a Tiêu chuẩn row never ends a page alone
        elif entry.kind == "total":
            budget = COLUMN_KEYS.index("budget")
            merged = cells[0].merge(cells[budget - 1])
            _cell_text(merged, entry.text, bold=True, align=2)
            _cell_text(cells[budget], entry.cells.get("budget", ""), bold=True, align=1)
            _keep_with_next(row)  # the end of the table stays on the page of the signature
        else:
            for c, key in enumerate(COLUMN_KEYS):
                if key != "criterion":
                    align = 1 if key in CENTERED else 0
                    _cell_text(cells[c], entry.cells.get(key, ""), align=align)
            groups.setdefault(entry.group, []).append((row, entry.cells.get("criterion", "")))
    criterion = COLUMN_KEYS.index("criterion")
    for members in groups.values():
        first, text = members[0]
        cell = first.cells[criterion]
        if len(members) > 1:
            cell = cell.merge(members[-1][0].cells[criterion])
        _cell_text(cell, text)
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
    for c, width in enumerate(widths):
        table.columns[c].width = width


def _signature(word, doc: Document, usable_mm: float) -> None:
    from docx.shared import Mm

    word.add_paragraph().paragraph_format.keep_with_next = True
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left_mm = usable_mm * 0.5
    widths = (Mm(left_mm), Mm(usable_mm - left_mm))
    left, right = table.cell(0, 0), table.cell(0, 1)
    _run(left.paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True)
    for line in doc.recipients:
        _run(left.add_paragraph(), line, 11)
    title = right.paragraphs[0]
    title.alignment = 1
    _run(title, doc.signer_title, 13, bold=True)
    for _ in range(4):  # room for the signature and the stamp
        right.add_paragraph()
    name = right.add_paragraph()
    name.alignment = 1
    _run(name, doc.signer_name, 13, bold=True)
    for c, width in enumerate(widths):
        table.columns[c].width = width
        table.cell(0, c).width = width


# ----------------------------------------------------------------- helpers


def _run(paragraph, text: str, size: float, *, bold=False, italic=False, color=None):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    if color:
        run.font.color.rgb = RGBColor(*color)
    return run


def _paragraph(word, text, size, *, bold=False, color=None, align=0, before=0):
    from docx.shared import Pt

    paragraph = word.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    _run(paragraph, text, size, bold=bold, color=color)
    return paragraph


def _cell_text(cell, text: str, *, bold=False, align=0) -> None:
    """Text into a table cell at 12 pt, one paragraph per line the school typed."""
    from docx.shared import Pt

    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:  # merged cells keep the paragraphs of each part
        extra._element.getparent().remove(extra._element)
    for n, line in enumerate(lines):
        paragraph = first if n == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(2 if n == 0 else 0)
        paragraph.paragraph_format.space_after = Pt(2 if n == len(lines) - 1 else 0)
        if line:
            _run(paragraph, line, 12, bold=bold)


def _rule(paragraph, width_mm: float, share: float) -> None:
    """A centred horizontal line ``share`` of ``width_mm`` long: a paragraph border between indents."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    indent = Mm(width_mm * (1 - share) / 2)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_before = Pt(4)
    paragraph.paragraph_format.space_after = Pt(6)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    p_pr.append(borders)
    run = paragraph.add_run()
    run.font.size = Pt(2)


def _page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _keep_with_next(row) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _east_asian_font(style_element) -> None:
    """Times New Roman for every script slot, so Word does not swap fonts for some letters."""
    from docx.oxml.ns import qn

    fonts = style_element.rPr.rFonts
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)
