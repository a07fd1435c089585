"""Biểu 2 of Thông tư 57: the printed plan (Word and the Bản kế hoạch sheet) of a TT57 plan."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from word_pages import broken_months, half_empty, needs_libreoffice

from conftest import EXAMPLES, example_specs
from sheetkit.cli import main
from sheetkit.reading.reader import read_plan
from sheetkit.writing import bieu2
from sheetkit.writing.bieu2_sheet import COLUMNS
from sheetkit.writing.layout import EXCEL
from sheetkit.writing.printed import render_docx, render_plan, render_xlsx, sheet_layout
from sheetkit.writing.sheet_parts import MAX_ROW_POINTS, PIECE_LINES
from sheetkit.writing.templates import build_template

SPECS = {s["template"]: s for s in example_specs("tt57")}
THCS = EXAMPLES / SPECS["thcs"]["file"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADINGS = [
    "I. THÔNG TIN CHUNG",
    "II. CĂN CỨ XÂY DỰNG KẾ HOẠCH",
    "III. MỤC ĐÍCH, YÊU CẦU",
    "IV. TÓM TẮT CÁC VẤN ĐỀ TRỌNG TÂM CẦN CẢI TIẾN",
    "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG",
    "VI. THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (GIÁM SÁT NỘI BỘ)",
    "VII. TỔ CHỨC THỰC HIỆN",
    "VIII. CƠ CHẾ ĐÁNH GIÁ VÀ BÁO CÁO",
]


@pytest.fixture(scope="module")
def doc():
    return render_plan(read_plan(THCS))


def _table(doc, key):
    return next(s.table for s in doc.sections if s.table is not None and s.table.key == key)


# ----------------------------------------------------------------- the document's text


def test_sections_follow_the_form_with_the_plans_text(doc):
    spec = SPECS["thcs"]
    assert [s.title for s in doc.sections] == HEADINGS
    assert doc.title == "KẾ HOẠCH"
    assert doc.subtitle == "Cải tiến chất lượng giáo dục năm học 2026-2027"
    general = doc.sections[0].paragraphs
    assert general[0] == f"1. Tên cơ sở giáo dục: {spec['info']['school_name']}"
    assert general[1] == "2. Loại hình, cấp học: THCS"
    assert doc.sections[1].paragraphs == spec["info"]["legal_bases"].split("\n")
    assert doc.sections[7].paragraphs == spec["info"]["reporting"].split("\n")
    assert doc.governing_body == "UBND XÃ YÊN THÀNH"
    assert doc.signer_title == "HIỆU TRƯỞNG" and doc.signer_name == spec["info"]["principal"]
    assert doc.recipients[:2] == [
        "- UBND xã Yên Thành (để báo cáo);",
        "- Sở GDĐT Nghệ An (để báo cáo);",
    ]


def test_issues_table_names_the_standard_and_the_note(doc):
    table = _table(doc, "issues")
    issues = SPECS["thcs"]["issues"]
    assert len(table.rows) == len(issues)
    first = table.rows[0].cells
    assert first[:3] == ["1", "1. Quản trị nhà trường và bảo đảm chất lượng", "1.3"]
    assert first[3:] == [issues[0]["situation"], issues[0]["shortcoming"], issues[0]["cause"]]
    assert table.note.startswith("Lưu ý: Chỉ lựa chọn các vấn đề trọng tâm")
    # The six columns lie over the ten columns of table V, edge to edge.
    spans = [(first, last) for _, first, last in table.columns]
    assert spans[0][0] == 0 and spans[-1][1] == COLUMNS - 1
    assert all(a[1] + 1 == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_plan_table_has_ten_numbered_columns_grouped_by_issue(doc):
    table = _table(doc, "plan")
    items = SPECS["thcs"]["items"]
    assert [label for label, _, _ in table.columns] == [
        "TT",
        "Nội dung cải tiến",
        "Mục tiêu cải tiến",
        "Hoạt động/giải pháp",
        "Chỉ số đánh giá kết quả",
        "Thời gian thực hiện",
        "Đơn vị/cá nhân phụ trách",
        "Nguồn lực bảo đảm",
        "Thông tin, dữ liệu hoặc minh chứng dự kiến",
        "Mức độ thực hiện",
    ]
    assert table.numbered
    rows = [r for r in table.rows if r.kind == "item"]
    assert [r.cells[0] for r in rows] == [str(n) for n in range(1, len(items) + 1)]
    groups = [r.text for r in table.rows if r.kind == "group"]
    assert len(groups) == len({i["issue"] for i in items})
    assert groups[0].startswith("Vấn đề 1 (tiêu chuẩn 1; tiêu chí 1.3): Dữ liệu chuyên cần")
    first, second = rows[0].cells, rows[1].cells
    assert first[1] == f"{items[0]['content']}\n(Tiêu chí 1.3)"
    # A month never breaks; a line breaks only after the dash.
    assert first[5] == "Tháng\u00a09/2026\u00a0– Tháng\u00a010/2026"
    assert first[8] == "(MC.1.3.01, MC.1.3.02)"
    assert first[9] == "Hoàn thành"
    assert "2.000.000\u00a0đồng" in second[7]  # an amount never breaks from its unit


def test_no_review_yet_shows_the_two_review_times(doc):
    table = _table(doc, "reviews")
    assert [r.cells[0] for r in table.rows] == ["Cuối học kỳ I", "Cuối năm học"]


def test_gdtx_is_signed_by_the_director():
    doc = render_plan(read_plan(EXAMPLES / SPECS["gdtx"]["file"]))
    assert doc.signer_title == "GIÁM ĐỐC"
    assert doc.sections[0].paragraphs[1].endswith("GDTX")


@given(
    st.lists(
        st.sampled_from(["10.000.000", "2,5", "15", "đồng", "triệu", "tỷ", "kinh phí", "\n"]),
        max_size=8,
    )
)
def test_keep_amounts_only_joins_numbers_to_their_unit(words):
    text = " ".join(words)
    kept = bieu2.keep_amounts(text)
    assert kept.replace("\u00a0", " ") == text  # nothing else changes
    assert not re.search(r"\d (đồng|triệu|tỷ)", kept)


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("MC.1.1.01, MC.1.1.02", "(MC.1.1.01, MC.1.1.02)"),
        ("(MC.1.1.01;MC.1.1.02)", "(MC.1.1.01, MC.1.1.02)"),
        ("Biên bản họp MC.3.2.05", "Biên bản họp (MC.3.2.05)"),
        ("Biên bản họp tổ", "Biên bản họp tổ"),
    ],
)
def test_evidence_codes_are_written_in_brackets(written, printed):
    assert bieu2.evidence_text(written) == printed


# ----------------------------------------------------------------- Word


def _word(doc, tmp_path):
    from docx import Document as Word

    return Word(str(render_docx(doc, tmp_path / "ke-hoach.docx")))


def test_docx_keeps_headings_with_what_follows_and_repeats_table_headers(doc, tmp_path):
    word = _word(doc, tmp_path)
    headings = [p for p in word.paragraphs if p.text in HEADINGS]
    assert [p.text for p in headings] == HEADINGS
    assert all(p.paragraph_format.keep_with_next for p in headings)
    issues, plan, reviews = word.tables[1:4]
    assert [c.text for c in plan.rows[1].cells] == [f"({n})" for n in range(1, 11)]
    for table in (issues, plan, reviews):  # the labels only (see bieu2_docx._table)
        header = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in table._tbl.tr_lst]
        assert header[:2] == [True, False]
    text = "\n".join(c.text for row in plan.rows for c in row.cells)
    for item in SPECS["thcs"]["items"]:
        assert item["content"] in text
    # The last lines of section VIII and the signature share one unbreakable table.
    closing = word.tables[-1]
    cells = "\n".join(c.text for row in closing.rows for c in row.cells)
    assert SPECS["thcs"]["info"]["reporting"].split("\n")[-1] in cells
    assert "HIỆU TRƯỞNG" in cells and "Nơi nhận:" in cells
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in closing._tbl.tr_lst)


def test_docx_page_is_a4_landscape_with_the_decrees_margins(doc, tmp_path):
    section = _word(doc, tmp_path).sections[0]
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15


# ----------------------------------------------------------------- the sheet


def _pages(layout) -> list[list[int]]:
    bounds = [0, *layout.breaks, layout.last_row]
    return [list(range(a + 1, b + 1)) for a, b in zip(bounds, bounds[1:], strict=False)]


def _long(spec: dict, times: int = 4) -> dict:
    data = copy.deepcopy(spec)
    items = data["items"]
    data["items"] = [copy.deepcopy(items[n % len(items)]) for n in range(len(items) * times)]
    data["items"][3]["activities"] = "\n".join(
        f"- Bước {n}: " + "làm việc " * 12 for n in range(40)
    )
    return data


@pytest.fixture(scope="module")
def long_doc(tmp_path_factory):
    """The THCS plan four times over, one item with forty steps (longer than a page)."""
    path = build_template("thcs", tmp_path_factory.mktemp("b2") / "long.xlsx", _long(SPECS["thcs"]))
    return render_plan(read_plan(path))


def test_sheet_pages_keep_headings_headers_and_signature(doc, long_doc):
    for document in (doc, long_doc):
        layout = sheet_layout(document)
        kinds = layout.kinds
        pages = _pages(layout)
        assert len(pages) > 1
        for page in pages:
            height = sum(layout.print_heights[r] for r in page)
            assert height <= layout.page_height + 0.01
            # A page never ends on a heading or an issue's group row.
            assert kinds.get(page[-1]) not in ("heading", "group", "header")
        for page in pages[1:]:
            # A table going on over a break starts the page with its header again.
            if kinds.get(page[0]) in ("item", "group"):
                pytest.fail(f"page starting at row {page[0]} has no table header")
        # The signature block ends the last page, after lines of section VIII.
        last = pages[-1]
        signature = [r for r in last if kinds.get(r) == "signature"]
        assert signature and signature[-1] == last[-1] == layout.last_row
        assert kinds.get(signature[0] - 1) == "paragraph"
        assert layout.cells[(signature[0] - 1, 1)][0] == document.sections[-1].paragraphs[-1]


def test_sheet_long_rows_continue_in_pieces_of_at_least_three_lines(long_doc):
    document = long_doc
    layout = sheet_layout(document)
    pitch = EXCEL.pitch(12)
    pieces = [r for r, kind in layout.kinds.items() if kind == "item"]
    heights = [layout.print_heights[r] for r in pieces]
    assert max(heights) <= MAX_ROW_POINTS
    # The 40-step item is split: rows whose number cell is empty continue the row above.
    continued = [r for r in pieces if layout.cells[(r, 1)][0] == ""]
    assert continued
    for r in continued:
        assert layout.print_heights[r] >= PIECE_LINES * pitch - 0.01
        # The row above is open at the foot, this one at the top: one cell to the eye.
        above = max(p for p in pieces if p < r)  # (the table's header may stand between)
        assert "t" not in layout.cells[(r, 4)][2] and "b" not in layout.cells[(above, 4)][2]
    text = " ".join(layout.cells[(r, 4)][0] for r in pieces)
    spec = _long(SPECS["thcs"])
    assert text.count("Bước ") == sum(i["activities"].count("Bước ") for i in spec["items"])
    assert text.count("Bước ") >= 40


def test_sheet_columns_fit_amounts_and_codes(doc):
    layout = sheet_layout(doc)
    assert len(layout.widths) == COLUMNS
    assert layout.scale <= 100 and layout.print_heights
    plan = [r for r, kind in layout.kinds.items() if kind == "item" and (r, 9) in layout.cells]
    for r in plan:
        for col in (8, 9):
            for piece in layout.cells[(r, col)][0].split():
                assert EXCEL.count(piece, layout.widths[col - 1]) == 1, piece


def test_render_a_tt57_plan_from_the_command_line(tmp_path, capsys):
    for suffix in (".xlsx", ".docx"):
        out = tmp_path / f"ke-hoach{suffix}"
        assert main(["render", str(THCS), "-o", str(out)]) == 0
        assert out.exists()
    assert "10 việc cải tiến" in capsys.readouterr().out
    xml = zipfile.ZipFile(tmp_path / "ke-hoach.docx").read("word/document.xml").decode()
    assert "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG" in xml
    render_xlsx(THCS, render_plan(read_plan(THCS)), tmp_path / "again.xlsx")


@pytest.mark.parametrize("family", ["2018", "tt57"])
def test_a_plan_without_any_row_renders_as_a_draft(family, good_plan, tmp_path):
    """An empty plan (the template as sent) crashed the sheet's column widths."""
    if family == "tt57":
        data = copy.deepcopy(SPECS["thcs"])
        data["items"], data["issues"], template = [], [], "thcs"
    else:
        data = copy.deepcopy(good_plan)
        data["items"], template = [], "tieu-hoc"
    source = build_template(template, tmp_path / "trong.xlsx", data)
    for suffix in (".xlsx", ".docx"):
        out = tmp_path / f"ban-in{suffix}"
        assert main(["render", "--draft", str(source), "-o", str(out)]) == 0
    layout = sheet_layout(render_plan(read_plan(source), draft=True))
    texts = [text for text, _, _ in layout.cells.values()]
    assert layout.last_row > 0 and ("(chưa có)" in texts or family == "2018")


def test_a_short_last_section_keeps_its_heading_on_the_page_of_the_signature(doc):
    """Section VIII of one line goes with the signature, its heading with it."""
    for n in range(0, 60, 3):
        variant = copy.deepcopy(doc)
        variant.sections[1].paragraphs = [f"{k}. Căn cứ văn bản số {k};" for k in range(n + 1)]
        variant.sections[-1].paragraphs = ["Rà soát, đánh giá tối thiểu 02 lần trong năm học./."]
        layout = sheet_layout(variant)
        for row in layout.breaks:
            assert layout.kinds.get(row) not in ("heading", "gap", "header", "group"), (n, row)
        signature = min(r for r, kind in layout.kinds.items() if kind == "signature")
        assert layout.kinds[signature - 1] == "paragraph"
        assert layout.kinds[signature - 2] == "heading"
        assert max([0, *layout.breaks]) < signature - 2


def test_a_long_issue_heading_is_cut_between_words():
    """The group row of table V recalls the issue's shortcoming; cut, it ends on a whole word."""
    words = "Tỷ lệ học sinh đạt chuẩn kiến thức môn Khoa học tự nhiên và 0,5 điểm " * 5
    plan = read_plan(EXAMPLES / SPECS["thcs"]["file"])
    heading = bieu2.issue_heading(
        plan, 2, {"standard": 5, "criteria": ["5.1"], "shortcoming": words}
    )
    assert heading.startswith("Vấn đề 2 (tiêu chuẩn 5; tiêu chí 5.1): Tỷ lệ học sinh")
    assert heading.endswith("…") and len(heading) < 200
    kept = heading.split(": ", 1)[1].removesuffix("…")
    assert words.startswith(kept + " ")  # the last word kept is whole


def test_a_numbered_subheading_never_ends_a_page(doc, tmp_path):
    """ "1. Mục đích" of section III goes with its first line, wherever section II ends."""
    from sheetkit.writing.plan_text import is_subheading

    assert is_subheading("1. Mục đích") and is_subheading("a) Về đội ngũ")
    assert not is_subheading("1. Nâng cao chất lượng đội ngũ giáo viên.")
    purpose = next(s for s in doc.sections if s.title.startswith("III."))
    subheadings = [p for p in purpose.paragraphs if is_subheading(p)]
    assert subheadings, "the example's section III has numbered parts"
    for n in range(0, 40, 2):
        variant = copy.deepcopy(doc)
        variant.sections[1].paragraphs = [f"Căn cứ văn bản số {k} về công tác;" for k in range(n)]
        layout = sheet_layout(variant)
        for row in layout.breaks:
            text = layout.cells.get((row, 1), ("",))[0]
            assert not is_subheading(text), (n, row, text)
    word = _word(doc, tmp_path)
    kept = [p for p in word.paragraphs if p.text in subheadings]
    assert kept and all(p.paragraph_format.keep_with_next for p in kept)


# ----------------------------------------------------------------- Word pages in LibreOffice

REVIEWS = [
    bieu2.TableRow(
        "item",
        [
            f"Lần {n}",
            f"Tiến độ và kết quả các hoạt động của vấn đề {n}",
            "Đạt tiến độ",
            "Không",
            "Hiệu trưởng",
        ],
    )
    for n in range(1, 6)
]
SHIFTS = range(0, 36, 3)  # lines added to table V's last row: table VI meets every page position


def _shifted(doc, lines: int):
    """The plan with five reviews, table VI pushed down the page by ``lines`` lines."""
    variant = copy.deepcopy(doc)
    _table(variant, "reviews").rows = copy.deepcopy(REVIEWS)
    last = _table(variant, "plan").rows[-1]
    last.cells[3] += "".join(f"\n- Bước {n}" for n in range(lines))
    return variant


@pytest.fixture(scope="module")
def word_pages(doc, tmp_path_factory):
    """The TT57 examples and the THCS plan with table VI at many places, printed by LibreOffice."""
    from word_pages import pages, to_pdf

    folder = tmp_path_factory.mktemp("word-pages")
    docs = {
        Path(spec["file"]).stem: render_plan(read_plan(EXAMPLES / spec["file"]))
        for spec in SPECS.values()
    }
    docs.update({f"thcs-vi-{lines}": _shifted(doc, lines) for lines in SHIFTS})
    words = [render_docx(d, folder / f"{name}.docx") for name, d in docs.items()]
    return {name: pages(pdf) for name, pdf in zip(docs, to_pdf(words, folder), strict=True)}


@needs_libreoffice
def test_no_word_page_is_left_more_than_half_empty(word_pages):
    """A row that fits on a page never leaves the page before it half empty: every page but
    the last is written below its middle (a heading and a table kept together take less than
    half a page, so moving them never empties more)."""
    assert {name: half_empty(pages) for name, pages in word_pages.items()} == {
        name: [] for name in word_pages
    }


@needs_libreoffice
def test_a_month_never_breaks_across_lines(word_pages):
    """ "Tháng 9/2026 – Tháng 12/2026" breaks after the dash, never inside a month."""
    assert {name: broken_months(pages) for name, pages in word_pages.items()} == {
        name: [] for name in word_pages
    }
    printed = " ".join(p.text for p in word_pages["ke-hoach-thcs-hoa-thanh-2026-2027"])
    assert "Tháng 9/2026 –" in printed


@needs_libreoffice
def test_table_vi_of_five_rows_stays_on_one_page_with_its_heading(word_pages):
    for lines in SHIFTS:
        document = word_pages[f"thcs-vi-{lines}"]
        holding = {
            text: [p.number for p in document if text in p.text]
            for text in ["VI. THEO DÕI", "Thời điểm", *(f"Lần {n}" for n in range(1, 6))]
        }
        on = {number for numbers in holding.values() for number in numbers}
        assert len(on) == 1, (lines, holding)


def test_docx_keeps_a_short_table_whole(doc, tmp_path):
    """Table VI of five rows: every row unbreakable and kept with the next, its heading with it."""
    from docx import Document as Word

    word = Word(str(render_docx(_shifted(doc, 0), tmp_path / "vi.docx")))
    heading = next(p for p in word.paragraphs if p.text.startswith("VI."))
    assert heading.paragraph_format.keep_with_next
    reviews = next(t for t in word.tables if t.rows[0].cells[0].text == "Thời điểm")
    rows = reviews._tbl.tr_lst
    assert len(rows) == 6
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    kept = [all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")) for tr in rows]
    assert kept == [True] * 5 + [False]
    # A long table (table V) is not kept whole: it breaks between and inside its rows.
    plan = word.tables[2]
    assert not all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in plan._tbl.tr_lst)
