"""The sections a 2018 plan prints around its table (issue 16.9).

Căn cứ xây dựng kế hoạch, Mục đích, yêu cầu and Tổ chức thực hiện come from
cells of Thông tin, pre-filled by the templates and edited by the school;
the printed plan (Word and the Bản kế hoạch sheet) gives them in order:
I and II before the table, III the table under its heading, IV after it,
then the signature. A workbook made before these lines prints as it did.
"""

from __future__ import annotations

import copy

import pytest
from openpyxl import load_workbook

from conftest import LEGACY, SECTION_KEYS, legacy_template, old_workbook, without_sections
from sheetkit.checking.validation import check_plan
from sheetkit.model import catalog
from sheetkit.model.contract import INFO_FIELDS, SHEET_INFO, SHEET_RENDERED
from sheetkit.reading.reader import read_plan
from sheetkit.writing.page import KEPT_LINES
from sheetkit.writing.printed import render_docx, render_plan, render_xlsx, sheet_layout
from sheetkit.writing.templates import TEMPLATE_NAMES, section_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADINGS = [
    "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH",
    "II. MỤC ĐÍCH, YÊU CẦU",
    "III. NỘI DUNG KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC",
    "IV. TỔ CHỨC THỰC HIỆN",
]
TEXTS = {
    "legal_bases": "Căn cứ Thông tư số 17/2018/TT-BGDĐT;\n\nCăn cứ Kế hoạch năm học 2024-2025.",
    "purpose": "1. Mục đích\n- Nâng cao chất lượng giáo dục.\n2. Yêu cầu\n- Cụ thể, khả thi.",
    "organisation": (
        "1. Hiệu trưởng\n- Chỉ đạo chung.\n2. Hội đồng tự đánh giá\n- Theo dõi tiến độ.\n"
        "3. Tổ chuyên môn\n- Thực hiện và báo cáo."
    ),
}
LABELS = {f.key: f.label for f in INFO_FIELDS}


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.fixture
def with_texts(good_plan) -> dict:
    good_plan["info"].update(TEXTS)
    return good_plan


# ----------------------------------------------------------------- the templates


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_templates_prefill_the_sections_for_the_level(name, tmp_path):
    circular = catalog.by_id(LEGACY[name])
    path = legacy_template(name, tmp_path / "t.xlsx")
    ws = load_workbook(path)[SHEET_INFO]
    rows = {c.value: c.row for c in ws["A"] if isinstance(c.value, str)}
    keys = [*SECTION_KEYS]
    # After the other lines, in the order they print; each with its text and what to do.
    assert [rows[LABELS[k]] for k in keys] == [rows["Cơ quan chủ quản"] + n for n in (1, 2, 3)]
    texts = section_texts(circular)
    for key in keys:
        row = rows[LABELS[key]]
        assert ws.cell(row, 2).value == texts[key]
        assert ws.cell(row, 3).value  # the hint
        assert ws.row_dimensions[row].height >= 15 * len(_lines(texts[key]))
    bases = texts["legal_bases"]
    assert f"Thông tư số {circular.number} ngày 22/8/2018" in bases
    assert ("5942/BGDĐT-QLCL" if name == "mam-non" else "5932/BGDĐT-QLCL") in bases
    assert "Kế hoạch năm học" in bases and "Báo cáo tự đánh giá" in bases
    assert "1. Mục đích" in texts["purpose"] and "2. Yêu cầu" in texts["purpose"]
    assert texts["organisation"].startswith("1. Hiệu trưởng")
    # Read back as the plan's text, and no finding about them.
    plan = read_plan(path)
    assert {key: plan.value(key) for key in keys} == {key: texts[key] for key in keys}
    assert not [f for f in check_plan(plan) if f.column in {LABELS[k] for k in keys}]


def test_the_text_of_each_level_names_its_own_circular():
    bases = {name: section_texts(catalog.by_id(LEGACY[name]))["legal_bases"] for name in LEGACY}
    assert "19/2018/TT-BGDĐT" in bases["mam-non"] and "trường mầm non" in bases["mam-non"]
    assert "17/2018/TT-BGDĐT" in bases["tieu-hoc"] and "trường tiểu học" in bases["tieu-hoc"]
    assert "18/2018/TT-BGDĐT" in bases["trung-hoc"] and "trung học cơ sở" in bases["trung-hoc"]


# ----------------------------------------------------------------- the document


def test_sections_are_the_thong_tin_cells_in_order(build, with_texts, tmp_path):
    source = build(with_texts)
    doc = render_plan(read_plan(source))
    assert [s.title for s in doc.opening] == HEADINGS[:2]
    assert doc.table_heading == HEADINGS[2]
    assert [s.title for s in doc.closing] == HEADINGS[3:]
    sections = [*doc.opening, *doc.closing]
    for section, key in zip(sections, SECTION_KEYS, strict=True):
        assert section.paragraphs == _lines(TEXTS[key])  # one a line, blank lines left out
    expected = [HEADINGS[0], *_lines(TEXTS["legal_bases"])]
    expected += [HEADINGS[1], *_lines(TEXTS["purpose"]), HEADINGS[2]]
    expected += [HEADINGS[3], *_lines(TEXTS["organisation"])]

    # The sheet: headings and paragraphs across the page, in order, around the table.
    layout = sheet_layout(doc)
    texts = [
        layout.cells[(row, 1)][0]
        for row, kind in sorted(layout.kinds.items())
        if kind in ("heading", "paragraph")
    ]
    assert texts == expected
    rows = {
        kind: [r for r, k in layout.kinds.items() if k == kind]
        for kind in set(layout.kinds.values())
    }
    heading_3 = next(r for r in rows["heading"] if layout.cells[(r, 1)][0] == HEADINGS[2])
    assert rows["header"][0] == heading_3 + 1 and rows["total"][0] < min(
        r for r in rows["heading"] if layout.cells[(r, 1)][0] == HEADINGS[3]
    )
    written = load_workbook(render_xlsx(source, doc, tmp_path / "ban-in.xlsx"))[SHEET_RENDERED]
    assert [written.cell(r, 1).value for r in sorted(rows["heading"])] == HEADINGS
    assert written.print_title_rows is None

    # Word: the same paragraphs, the last lines of IV in the table of the signature.
    from docx import Document as Word

    word = Word(str(render_docx(doc, tmp_path / "ke-hoach.docx")))
    body = [p.text for p in word.paragraphs if p.text in expected]
    tail = _lines(TEXTS["organisation"])[-KEPT_LINES:]
    assert body + tail == expected
    closing = word.tables[-1]
    closing_text = [p.text for row in closing.rows for c in row.cells for p in c.paragraphs]
    assert closing_text[: len(tail)] == tail and "HIỆU TRƯỞNG" in closing_text


@pytest.mark.parametrize(
    ("given", "opening", "heading", "closing"),
    [
        ({"organisation"}, [], "I. NỘI DUNG", ["II. TỔ CHỨC THỰC HIỆN"]),
        ({"purpose"}, ["I. MỤC ĐÍCH, YÊU CẦU"], "II. NỘI DUNG", []),
        (
            {"legal_bases", "organisation"},
            ["I. CĂN CỨ XÂY DỰNG KẾ HOẠCH"],
            "II. NỘI DUNG",
            ["III. TỔ CHỨC THỰC HIỆN"],
        ),
    ],
)
def test_sections_are_numbered_among_those_the_plan_has(
    build, good_plan, tmp_path, given, opening, heading, closing
):
    good_plan["info"].update({key: TEXTS[key] if key in given else None for key in SECTION_KEYS})
    doc = render_plan(read_plan(build(good_plan)))
    assert [s.title for s in doc.opening] == opening
    assert doc.table_heading.startswith(heading)
    assert [s.title for s in doc.closing] == closing
    layout = sheet_layout(doc)
    total = next(r for r, kind in layout.kinds.items() if kind == "total")
    signature = min(r for r, kind in layout.kinds.items() if kind == "signature")
    if closing:  # the signature goes with the end of the last section
        assert layout.cells[(signature - 1, 1)][0] == _lines(TEXTS["organisation"])[-1]
    else:  # with the total, as the table alone always was
        assert signature == total + 1
    from docx import Document as Word

    word = Word(str(render_docx(doc, tmp_path / "ke-hoach.docx")))
    assert len(word.tables) == 2 + bool(closing)
    assert "HIỆU TRƯỞNG" in word.tables[-1].rows[-1].cells[-1].text


def test_an_old_workbook_without_the_lines_prints_as_before(build, good_plan, tmp_path):
    source = build(good_plan)
    old = old_workbook(source)
    labels = {LABELS[key] for key in SECTION_KEYS}
    assert not labels & {c.value for c in load_workbook(old)[SHEET_INFO]["A"]}
    plan = read_plan(old)
    assert plan.layout == "2018" and all(plan.value(key) is None for key in SECTION_KEYS)
    # No new finding: the same as the workbook with the lines (and the lines emptied).
    findings = check_plan(plan)
    assert findings == check_plan(read_plan(source))
    assert findings == check_plan(read_plan(build(without_sections(good_plan))))
    assert not [f for f in findings if f.column in labels]
    # The document is the table alone, as it was before the sections: no heading anywhere.
    doc = render_plan(plan)
    assert (doc.opening, doc.table_heading, doc.closing) == ([], "", [])
    assert doc == render_plan(read_plan(build(without_sections(good_plan))))
    layout = sheet_layout(doc)
    assert not {"heading", "paragraph", "gap"} & set(layout.kinds.values())
    assert layout.header_row  # the sheet's print titles repeat it, as before
    written = load_workbook(render_xlsx(old, doc, tmp_path / "ban-in.xlsx"))[SHEET_RENDERED]
    assert written.print_title_rows == f"${layout.header_row}:${layout.header_row}"
    from docx import Document as Word

    word = Word(str(render_docx(doc, tmp_path / "ke-hoach.docx")))
    assert len(word.tables) == 2
    assert not [p for p in word.paragraphs if p.text.split(".")[0] in ("I", "II", "III", "IV")]
    assert word.tables[1].rows[-1].cells[0].paragraphs[0].text == "Nơi nhận:"


# ----------------------------------------------------------------- pages


def _variants(doc):
    """The document with sections I and IV from 0 to 30 lines long: headings, the table's
    start and the signature land at every height of a page."""
    for n in range(0, 31, 2):
        for m in (1, 5, 17):
            variant = copy.deepcopy(doc)
            line = "Căn cứ văn bản số {} của cơ quan quản lý giáo dục về nhiệm vụ năm học;"
            variant.opening[0].paragraphs = [line.format(k) for k in range(n)] or ["Căn cứ."]
            variant.closing[0].paragraphs = [f"{k}. Nhiệm vụ của bộ phận {k}." for k in range(m)]
            yield variant


def test_no_heading_ends_a_page_on_the_sheet(build, with_texts):
    doc = render_plan(read_plan(build(with_texts)))
    for variant in _variants(doc):
        layout = sheet_layout(variant)
        kinds = layout.kinds
        signature = min(r for r, kind in kinds.items() if kind == "signature")
        pages = [0, *layout.breaks]
        for row in layout.breaks:  # ``row`` ends a page
            assert kinds.get(row) not in ("heading", "gap", "header", "standard"), (row, kinds)
            if kinds.get(row) in ("item", "standard"):  # the table goes on: its header again
                assert kinds.get(row + 1) == "header"
        # The last lines of IV and the signature block share the last page.
        count = min(KEPT_LINES, len(variant.closing[0].paragraphs))
        kept = list(range(signature - count, signature))
        assert [kinds[r] for r in kept] == ["paragraph"] * count
        assert pages[-1] < kept[0], (pages[-1], kept)
        assert layout.cells[(kept[-1], 1)][0] == variant.closing[0].paragraphs[-1]
        # Each page holds what it is given.
        bounds = [*pages, layout.last_row]
        for first, last in zip(bounds, bounds[1:], strict=False):
            used = sum(layout.print_heights[r] for r in range(first + 1, last + 1))
            assert used <= layout.page_height + 0.01


def test_word_keeps_headings_with_what_follows(build, with_texts, tmp_path):
    from docx import Document as Word

    doc = render_plan(read_plan(build(with_texts)))
    word = Word(str(render_docx(doc, tmp_path / "ke-hoach.docx")))
    headings = [p for p in word.paragraphs if p.text in HEADINGS]
    assert [p.text for p in headings] == HEADINGS
    assert all(p.paragraph_format.keep_with_next for p in headings)
    # III stands right before the plan table, whose header goes with its first rows.
    body = list(word.element.body)
    table = word.tables[1]._tbl
    assert body[body.index(table) - 1] is headings[2]._p
    header = table.findall(f"{W}tr")[0]
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in header.iter(f"{W}p"))
    # The end: IV's last lines and the signature in one table whose rows never break.
    closing = word.tables[-1]._tbl
    assert body[-2] is closing  # (the section properties end the body)
    rows = closing.findall(f"{W}tr")
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    kept = [p for p in rows[0].iter(f"{W}p")]
    assert len(kept) == KEPT_LINES
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in kept)
