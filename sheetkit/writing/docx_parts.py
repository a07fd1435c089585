"""What every layout's Word document is made of: the title page and the WordprocessingML pieces.

``title_page`` starts a landscape A4 document with the header blocks of
Nghị định 30/2020/NĐ-CP (in a borderless table, so Số and the date line stay
level), the title and the subtitle; a layout's writer (``plan_docx`` for the
2018 table, ``bieu2_docx`` for Biểu 2) appends its body. Tables are written
as WordprocessingML directly, a row at a time (``table_start``,
``table_row``, ``table_cell``, ``para``), with no per-cell python-docx object,
so a plan of thousands of rows is written in seconds. Sections of text keep
their heading with what follows (``section_text``), and the signature block
(Nơi nhận, the signer and the name) is one unbreakable row (``signature_row``),
sharing a borderless table with the last lines of the last section
(``closing_table``).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from .layout import Metrics
from .page import KEPT_LINES, MARGINS_MM, PAGE_MM, POINTS_PER_MM, printable_mm
from .plan_text import DRAFT_MARK, MOTTO, NATION, Document, is_subheading

FONT = "Times New Roman"
RED = (0xC0, 0x00, 0x00)
TABLE_SIZE = 12
BODY_SIZE = 13  # the sections' text
CELL_MARGIN_PT = 2.85  # left and right padding of the plan table's cells (0.1 cm)
TWIPS = 20  # per point
# Word's single line spacing for Times New Roman is 1.15 em; a cell adds 2 pt
# before its first paragraph and after its last.
WORD = Metrics(
    name="Word",
    unit=1.0,
    ratio=1.0,
    inset=2 * CELL_MARGIN_PT + 1,
    pitches=(),
    pitch_per_point=1.15,
    pad=4,
)
# An item row of at most this many lines moves whole to the next page rather
# than break; a longer one may break (moving it would leave a gap at the foot
# of the page), as Word's own paragraphs do, never leaving a line alone.
UNBROKEN_LINES = 6
# A table of at most this many rows (under its header) that takes at most half
# a page never breaks across pages: moved whole, it leaves the page before it
# at least half full.
SMALL_TABLE_ROWS = 5
BODY_HEIGHT_PT = printable_mm()[1] * POINTS_PER_MM


HEADING_PT = BODY_SIZE * 1.15 + 8 + 4  # a section's heading, with the space around it


def kept_whole(rows: int, height: float) -> bool:
    """Whether a table of ``rows`` rows, ``height`` points tall with its heading and header,
    is kept on one page."""
    return 0 < rows <= SMALL_TABLE_ROWS and height <= BODY_HEIGHT_PT / 2


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_RUN_FONT = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'


def title_page(doc: Document):
    """A landscape A4 Word document with the decree's header blocks and title: (document, mm wide)."""
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
    return word, usable_mm


# ----------------------------------------------------------------- sections of text


def heading(title: str) -> str:
    """A section's heading: bold, kept with what follows it, so it never ends a page."""
    return para(title, BODY_SIZE, bold=True, keep=True, before=8, after=4)  # HEADING_PT tall


def section_text(word, title: str, paragraphs: list[str], last: bool = False) -> list[str]:
    """Append a section's heading and its paragraphs, justified.

    The last section before the signature holds back its last KEPT_LINES
    paragraphs, returned for ``closing_table``.
    """
    tail = paragraphs[-KEPT_LINES:] if last else []
    insert(word, element(heading(title)))
    for line in paragraphs[: len(paragraphs) - len(tail)]:
        keep = is_subheading(line)  # "1. Mục đích" goes with its first line
        insert(word, element(para(line, BODY_SIZE, align="both", keep=keep, after=3)))
    return tail


def closing_table(tail: list[str], doc: Document, grid: list[int]) -> str:
    """The last lines of the last section and the signature block, in one borderless table."""
    none = (
        '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
        '<w:right w:val="nil"/></w:tcBorders>'
    )
    lines = [para(line, BODY_SIZE, align="both", keep=True, after=3) for line in tail]
    parts = [table_start(grid).replace('w:val="single"', 'w:val="nil"')]
    if lines:
        parts.append(
            table_row([table_cell(lines, sum(grid), span=len(grid), borders=none)], whole=True)
        )
    parts.append(signature_row(doc, grid))
    parts.append("</w:tbl>")
    return "".join(parts)


def element(xml: str):
    """A paragraph's or table's XML as an element (a lone paragraph needs the namespace)."""
    from docx.oxml import parse_xml

    if xml.startswith("<w:p>"):
        xml = f"<w:p {_W}>" + xml[len("<w:p>") :]
    return parse_xml(xml)


def signature_row(doc: Document, grid: list[int]) -> str:
    """Nơi nhận on the left, HIỆU TRƯỞNG and the name on the right: one row, no borders."""
    half = next(n for n in range(len(grid)) if sum(grid[: n + 1]) >= sum(grid) / 2)
    left = [para("Nơi nhận:", 12, bold=True, italic=True, before=14)]
    left += [para(line, 11) for line in doc.recipients]
    # A body's authority lines (Nghị định 30: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC") one per line.
    right = [
        para(line, 13, bold=True, align="center", before=14 if n == 0 else 0)
        for n, line in enumerate(doc.signer_title.split("\n"))
    ]
    right += [para("", 13) for _ in range(4)]  # room for the signature and the stamp
    right.append(para(doc.signer_name, 13, bold=True, align="center"))
    borders = (
        '<w:tcBorders><w:left w:val="nil"/><w:bottom w:val="nil"/>'
        '<w:right w:val="nil"/></w:tcBorders>'
    )
    cells = [
        table_cell(left, sum(grid[: half + 1]), span=half + 1, borders=borders),
        table_cell(right, sum(grid[half + 1 :]), span=len(grid) - half - 1, borders=borders),
    ]
    return table_row(cells, whole=True)


# ----------------------------------------------------------------- WordprocessingML


def table_start(grid: list[int]) -> str:
    margin = round(CELL_MARGIN_PT * TWIPS)
    borders = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in grid)
    return (
        f"<w:tbl {_W}><w:tblPr>"
        f'<w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{columns}</w:tblGrid>'
    )


def table_row(cells: list[str], *, header: bool = False, whole: bool = False) -> str:
    """A table row; ``whole``: it does not break across pages; ``header``: repeated on each page."""
    props = ("<w:cantSplit/>" if whole else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def table_cell(
    paragraphs: list[str],
    width: int,
    *,
    span: int = 1,
    merge: str | None = None,
    valign: bool = False,
    borders: str = "",
) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    props += borders
    if valign:
        props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs)}</w:tc>"


def cell_lines(
    text: str, *, bold: bool = False, align: str = "left", keep: bool = False
) -> list[str]:
    """A table cell's text at 12 pt: one paragraph per line the school typed, 2 pt above and below."""
    lines = text.split("\n") if text else [""]
    last = len(lines) - 1
    return [
        para(
            line,
            bold=bold,
            align=align,
            keep=keep,
            before=2 if n == 0 else 0,
            after=2 if n == last else 0,
        )
        for n, line in enumerate(lines)
    ]


def para(
    text: str,
    size: float = TABLE_SIZE,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    keep: bool = False,
    before: float = 0,
    after: float = 0,
) -> str:
    """One paragraph; ``keep``: kept with the next (in a table: its row with the next row)."""
    props = (
        f"<w:pPr>{'<w:keepNext/>' if keep else ''}"
        f'<w:spacing w:before="{round(before * TWIPS)}" w:after="{round(after * TWIPS)}"/>'
        f'<w:jc w:val="{align}"/></w:pPr>'
    )
    text = _XML_ILLEGAL.sub("", text)
    if not text:
        return f"<w:p>{props}</w:p>"
    half_points = round(size * 2)
    run = (
        f"<w:rPr>{_RUN_FONT}{'<w:b/>' if bold else ''}{'<w:i/>' if italic else ''}"
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )
    return f'<w:p>{props}<w:r>{run}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def insert(word, element) -> None:
    """Append a block element to the body (before the section properties that end it)."""
    body = word.element.body
    body.sectPr.addprevious(element) if body.sectPr is not None else body.append(element)


# ----------------------------------------------------------------- other pieces


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
    paragraph.paragraph_format.keep_with_next = True  # the title stays with the table
    _run(paragraph, text, size, bold=bold, color=color)
    return paragraph


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
