"""The official plan: document text, the Bản kế hoạch sheet, the Word document, the CLI."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import EXAMPLES, example_files, without_sections
from sheetkit.cli import main
from sheetkit.model import catalog
from sheetkit.model.contract import SHEET_PLAN, SHEET_RENDERED
from sheetkit.reading.parsing import level_label
from sheetkit.reading.reader import read_plan
from sheetkit.writing.document import COLUMNS
from sheetkit.writing.layout import EXCEL, LIBREOFFICE, wrap
from sheetkit.writing.plan_text import DRAFT_MARK, MOTTO, NATION, RenderRefused
from sheetkit.writing.printed import render_docx, render_plan, render_xlsx, sheet_layout
from sheetkit.writing.sheet_parts import MAX_ROW_POINTS

LONG = (
    "Tiếp tục phối hợp, tạo điều kiện cho Ban đại diện cha mẹ học sinh trường, lớp thực hiện "
    "đầy đủ các hoạt động, phát huy các nhiệm vụ và quyền theo quy định; "
)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _squash(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------- the document


def test_document_header_title_and_signature(build, good_plan):
    doc = render_plan(read_plan(build(good_plan)))
    assert doc.governing_body == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 3"
    assert doc.school == "TRƯỜNG TIỂU HỌC KIM ĐỒNG"
    assert doc.number == "Số: 45/KH-KĐ"
    assert doc.place_date == "Quận 3, ngày 05 tháng 9 năm 2024"
    assert doc.subtitle == "Cải tiến chất lượng giáo dục năm học 2024-2025"
    assert (doc.signer_title, doc.signer_name) == ("HIỆU TRƯỞNG", "Nguyễn Văn A")
    assert doc.recipients[0] == "- Phòng GDĐT quận 3 (để báo cáo);"  # Nghị định 30: lower case
    assert doc.recipients[-1] == "- Lưu: VT."
    assert doc.draft == ""


def test_rows_grouped_by_standard_in_circular_order(build, good_plan):
    good_plan["items"].insert(0, {**good_plan["items"][1], "solution": "Việc thứ hai cho 5.5"})
    plan = read_plan(build(good_plan))
    doc = render_plan(plan)
    circular = catalog.by_id("tt17-2018")
    kinds = [(r.kind, r.tt) for r in doc.rows]
    assert kinds == [
        ("standard", "I"),
        ("item", "1"),
        ("standard", "II"),
        ("item", "1"),
        ("item", "2"),
        ("total", ""),
    ]
    standard_3 = dict(circular.standards())[3]
    assert doc.rows[0].text == f"Tiêu chuẩn 3: {standard_3}"
    library, study = doc.rows[1], doc.rows[3]
    assert library.cells["criterion"] == f"Tiêu chí 3.6: {circular.get('3.6').title}"
    assert library.cells["result"] == (
        "Đạt Mức 2 (hiện trạng: Mức 1)\nThư viện đạt chuẩn\n"
        "Hạn chế cần khắc phục: Thiếu sách tham khảo"
    )
    assert library.cells["people"] == "Chủ trì: Hiệu trưởng\nPhối hợp: Nhân viên thư viện"
    assert library.cells["time"] == "Tháng\u00a09/2024\u00a0– Tháng\u00a05/2025"  # breaks after –
    assert library.cells["budget"] == "10.000.000\u00a0đồng"  # no line break inside an amount
    # Two items of one criterion share its group (one merged criterion cell), in item order.
    assert doc.rows[3].group == doc.rows[4].group != library.group
    assert [study.cells["solution"], doc.rows[4].cells["solution"]] == [
        "Việc thứ hai cho 5.5",
        "Phụ đạo học sinh",
    ]
    total = doc.rows[-1]
    assert total.cells["budget"] == "10.000.000\u00a0đồng\n(chưa tính 2 khoản ghi bằng lời)"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 3"),
        ({"district": "Phường Bến Thành"}, "UBND PHƯỜNG BẾN THÀNH"),
        ({"district": "xã Tân Hiệp"}, "UBND XÃ TÂN HIỆP"),
        ({"governing_body": "Ủy ban nhân dân phường Sài Gòn"}, "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN"),
        ({"district": None, "province": None}, ""),
    ],
)
def test_governing_body(build, good_plan, changes, expected):
    good_plan["info"].update(changes)
    assert render_plan(read_plan(build(good_plan))).governing_body == expected


def test_upper_secondary_school_belongs_to_the_department(build, good_plan):
    good_plan["info"].update(school_level="THPT", province="Tỉnh Kiên Giang")
    good_plan["info"]["school_name"] = "THPT Tân Hiệp"
    plan = read_plan(build(good_plan, "trung-hoc"))
    doc = render_plan(plan, findings=[])
    assert doc.governing_body == "SỞ GIÁO DỤC VÀ ĐÀO TẠO KIÊN GIANG"
    assert doc.school == "TRƯỜNG THPT TÂN HIỆP"
    assert doc.recipients[0] == "- Sở GDĐT Kiên Giang (để báo cáo);"  # names keep their case


def test_five_year_plan_date_and_blanks(build, good_plan):
    good_plan["info"].update(
        plan_type="Chu kỳ 5 năm",
        end_year="2028-2029",
        issue_date="3/2/2025",
        document_number=None,
    )
    doc = render_plan(read_plan(build(good_plan)), findings=[])
    assert doc.subtitle == "Cải tiến chất lượng giáo dục giai đoạn 2024-2025 đến 2028-2029"
    assert doc.place_date == "Quận 3, ngày 03 tháng 02 năm 2025"
    assert doc.number == "Số: ……/KH-……"
    good_plan["info"]["issue_date"] = None
    doc = render_plan(read_plan(build(good_plan)), findings=[])
    assert doc.place_date == "Quận 3, ngày …… tháng …… năm ……"


def test_plan_with_errors_is_refused_unless_draft(build, good_plan):
    good_plan["items"][0]["end"] = "13/2025"
    plan = read_plan(build(good_plan))
    with pytest.raises(RenderRefused) as refused:
        render_plan(plan)
    assert "còn 1 lỗi" in str(refused.value)
    assert any(f.rule for f in refused.value.findings)
    doc = render_plan(plan, draft=True)
    assert doc.draft.startswith(DRAFT_MARK)
    assert "còn 1 lỗi" in doc.draft
    assert doc.items[0].cells["time"] == "Tháng\u00a09/2024\u00a0– 13/2025"  # what was typed, kept


def test_unknown_criterion_in_a_draft_comes_last(build, good_plan):
    good_plan["items"].append({**good_plan["items"][0], "criterion": "9.9"})
    doc = render_plan(read_plan(build(good_plan)), draft=True)
    heading = [r for r in doc.rows if r.kind == "standard"][-1]
    assert heading.text == "Tiêu chí chưa xác định"
    assert doc.items[-1].cells["criterion"] == "9.9"


@pytest.mark.parametrize("spec", example_files("2018"), ids=lambda p: p.stem)
def test_examples_render_every_item(spec):
    plan = read_plan(spec)
    doc = render_plan(plan)
    assert len(doc.items) == len(plan.item_records)
    solutions = sorted(r.cells["solution"] for r in doc.items)
    assert solutions == sorted(r.get("solution") or "" for r in plan.item_records)
    levels = plan.current_levels()
    for row in doc.items:
        code = row.cells["criterion"].split(":")[0].removeprefix("Tiêu chí ")
        if code in levels and "hiện trạng" in row.cells["result"]:
            assert f"hiện trạng: {level_label(levels[code])}" in row.cells["result"]


# ----------------------------------------------------------------- text wrapping


@given(st.text(alphabet=st.sampled_from("ab ếữ\n"), max_size=300), st.integers(1, 60))
def test_wrap_keeps_every_character_and_the_width(text, width):
    lines = wrap(text, width)
    assert "".join(lines) == text
    for line in lines:
        assert len(line.rstrip("\n").removesuffix(" ")) <= width


# ----------------------------------------------------------------- the Bản kế hoạch sheet


def _sheet_text(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_sheet_in_a_copy_with_print_setup(build, good_plan, tmp_path, sections):
    source = build(good_plan if sections else without_sections(good_plan))
    before = _digest(source)
    out = tmp_path / "ban-ke-hoach.xlsx"
    doc = render_plan(read_plan(source))
    render_xlsx(source, doc, out)
    assert _digest(source) == before
    wb = load_workbook(out)
    ws = wb[SHEET_RENDERED]
    assert wb.active.title == SHEET_RENDERED
    assert [s.sheet_view.tabSelected for s in wb.worksheets].count(True) == 1
    assert wb[SHEET_PLAN]["H5"].value == "Bổ sung 300 đầu sách"  # the school's sheets are kept
    layout = sheet_layout(doc)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    # A set scale that fits the table's width: with "fit to page" Excel ignores page breaks.
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == layout.scale < 100
    assert sum(layout.widths) * LIBREOFFICE.unit * layout.scale / 100 <= (297 - 45) * 72 / 25.4
    if sections:  # no print titles: they would top the pages of the sections too
        assert ws.print_title_rows is None and layout.header_row == 0
        header = min(r for r, kind in layout.kinds.items() if kind == "header")
    else:
        assert ws.print_title_rows == f"${layout.header_row}:${layout.header_row}"
        header = layout.header_row
    assert round(ws.page_margins.left * 25.4) == 30 and round(ws.page_margins.right * 25.4) == 15
    assert ws.oddHeader.center.text == "&P" and ws.HeaderFooter.differentFirst
    assert ws.page_setup.useFirstPageNumber and ws.page_setup.firstPageNumber == 1
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:C1", "E1:I1", "A2:C2", "E2:I2", "A4:C4", "E4:I4"} <= merged
    assert ws["A2"].value == "TRƯỜNG TIỂU HỌC KIM ĐỒNG" and ws["A2"].font.b
    assert ws["E1"].value == NATION and ws["E2"].value == MOTTO
    assert ws["E4"].font.i
    assert [ws.cell(header, c).value for c in range(1, 10)] == [label for _, label, _ in COLUMNS]
    standard_rows = [r for r in range(header, ws.max_row + 1) if ws.cell(r, 1).value == "I"]
    assert f"B{standard_rows[0]}:I{standard_rows[0]}" in merged
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}
    text = _sheet_text(ws)
    for row in doc.items:
        for value in row.cells.values():
            assert value in text
    assert "10.000.000\u00a0đồng" in text and "Nguyễn Văn A" in text and "Lưu: VT." in text


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_long_solution_is_never_cut(build, good_plan, tmp_path, sections):
    solution = (LONG * 30).strip()  # about 5,000 characters, more than one row can hold
    assert len(solution) > 4000
    good_plan["items"][0]["solution"] = solution
    good_plan["items"][1]["solution"] = LONG.strip()
    source = build(good_plan if sections else without_sections(good_plan))
    doc = render_plan(read_plan(source))
    out = render_xlsx(source, doc, tmp_path / "out.xlsx")
    ws = load_workbook(out)[SHEET_RENDERED]
    layout = sheet_layout(doc)
    rows = [r for r, kind in layout.kinds.items() if kind == "item"]
    pieces = [ws.cell(r, 4).value for r in rows if ws.cell(r, 4).value]
    joined = " ".join(p for p in pieces if p != LONG.strip())
    assert _squash(joined) == _squash(solution)
    parts = [r for r in rows if ws.cell(r, 4).value not in (None, LONG.strip())]
    assert len(parts) > 1  # continued over rows, each short enough to print
    width = layout.widths[3]
    for r in range(rows[0], ws.max_row + 1):
        assert (ws.row_dimensions[r].height or 0) <= MAX_ROW_POINTS
        assert layout.print_heights[r] <= layout.page_height
    for r in parts:
        text = ws.cell(r, 4).value
        # Written for LibreOffice, which prints the height written; Excel refits the row.
        assert ws.row_dimensions[r].height >= LIBREOFFICE.text_height(text, width)
        assert layout.print_heights[r] >= EXCEL.text_height(text, width)
    # The criterion is written again at the top of each page the item continues on.
    criterion = doc.items[0].cells["criterion"]
    pages: dict[int, list[int]] = {}
    for r in parts:
        pages.setdefault(sum(b < r for b in layout.breaks), []).append(r)
    assert len(pages) > 1
    assert [ws.cell(rows_[0], 2).value for rows_ in pages.values()] == [criterion] * len(pages)


def test_formula_like_text_stays_text(build, good_plan, tmp_path):
    good_plan["items"][0]["solution"] = '=HYPERLINK("http://x.invalid","bấm")'
    source = build(good_plan)
    out = render_xlsx(source, render_plan(read_plan(source)), tmp_path / "out.xlsx")
    ws = load_workbook(out)[SHEET_RENDERED]
    cells = [
        c for row in ws.iter_rows() for c in row if c.value == good_plan["items"][0]["solution"]
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_rendering_twice_replaces_the_sheet(build, good_plan, tmp_path):
    source = build(good_plan)
    doc = render_plan(read_plan(source))
    first = render_xlsx(source, doc, tmp_path / "a.xlsx")
    second = render_xlsx(first, render_plan(read_plan(first)), tmp_path / "b.xlsx")
    assert load_workbook(second).sheetnames.count(SHEET_RENDERED) == 1
    with pytest.raises(ValueError):
        render_xlsx(source, doc, source)


def test_draft_is_marked_on_the_sheet_and_every_page(build, good_plan, tmp_path):
    good_plan["items"][0]["target"] = "Mức 9"
    source = build(good_plan)
    doc = render_plan(read_plan(source), draft=True)
    ws = load_workbook(render_xlsx(source, doc, tmp_path / "d.xlsx"))[SHEET_RENDERED]
    assert any(str(c.value).startswith(DRAFT_MARK) for row in ws.iter_rows() for c in row)
    assert ws.oddHeader.left.text == DRAFT_MARK == ws.firstHeader.left.text


# ----------------------------------------------------------------- Word


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_docx_structure_and_exact_text(build, good_plan, tmp_path, sections):
    from docx import Document as Word
    from docx.enum.section import WD_ORIENT

    decomposed = unicodedata.normalize("NFD", "Bổ sung sách cho thư viện")
    good_plan["items"][0]["solution"] = f"{decomposed}\n+ Mua 300 đầu sách"
    source = build(good_plan if sections else without_sections(good_plan))
    doc = render_plan(read_plan(source))
    out = render_docx(doc, tmp_path / "ke-hoach.docx")
    word = Word(str(out))
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert section.different_first_page_header_footer
    assert 'instr="PAGE"' in section.header._element.xml or "PAGE" in section.header._element.xml
    header, table = word.tables[0], word.tables[1]
    assert header.cell(0, 0).text == doc.governing_body
    assert header.cell(1, 0).text == doc.school and header.cell(1, 1).text == MOTTO
    assert header.cell(3, 1).text == doc.place_date
    paragraphs = [p.text for p in word.paragraphs]
    assert doc.title in paragraphs and doc.subtitle in paragraphs
    # The header row, the document's rows, the signature block (in a table of its own, with
    # the last lines of Tổ chức thực hiện, when that section follows the table).
    assert len(table.rows) == 1 + len(doc.rows) + (not sections)
    assert [c.text for c in table.rows[0].cells] == [label for _, label, _ in COLUMNS]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    first_item = table.rows[2]
    # NFC and the school's own line breaks, one paragraph per line.
    assert first_item.cells[3].text == "Bổ sung sách cho thư viện\n+ Mua 300 đầu sách"
    assert unicodedata.is_normalized("NFC", first_item.cells[3].text)
    assert first_item.cells[1].text == doc.items[0].cells["criterion"]
    total = table.rows[len(doc.rows)]
    assert total.cells[6].text == doc.rows[-1].cells["budget"]
    fonts = {r.font.name for p in word.paragraphs for r in p.runs if r.text}
    fonts |= {
        r.font.name
        for t in word.tables
        for row in t.rows
        for cell in row.cells
        for p in cell.paragraphs
        for r in p.runs
        if r.text
    }
    assert fonts == {"Times New Roman"}
    assert len(word.tables) == 2 + sections
    signature = word.tables[-1].rows[-1].cells
    assert signature[-1].paragraphs[0].text == "HIỆU TRƯỞNG"
    assert signature[-1].paragraphs[-1].text == "Nguyễn Văn A"
    assert signature[0].paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in signature[0].paragraphs[1:]] == doc.recipients


# ----------------------------------------------------------------- command line


def test_cli_render_refuses_then_drafts(build, good_plan, tmp_path, capsys):
    good_plan["items"][0]["end"] = "13/2025"
    source = build(good_plan)
    out = tmp_path / "ke-hoach.docx"
    assert main(["render", str(source), "-o", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "Kế hoạch!L5" in err and "--draft" in err
    assert main(["render", str(source), "-o", str(out), "--draft"]) == 0
    assert "bản nháp" in capsys.readouterr().out
    assert out.exists()


def test_cli_render_usage_errors(build, good_plan, tmp_path):
    source = build(good_plan)
    assert main(["render", str(source), "-o", str(tmp_path / "x.pdf")]) == 3
    assert main(["render", str(source), "-o", str(source)]) == 3
    assert main(["render", str(source), "-o", str(tmp_path / "x.xlsm")]) == 3
    assert main(["render", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "x.xlsx")]) == 2


def test_cli_render_examples(tmp_path, capsys):
    for path in sorted(EXAMPLES.glob("ke-hoach-*.xlsx")):
        for suffix in (".xlsx", ".docx"):
            out = tmp_path / (path.stem + suffix)
            assert main(["render", str(path), "-o", str(out)]) == 0
            assert out.stat().st_size > 0
    assert "Đã tạo bản kế hoạch" in capsys.readouterr().out


def _validations(wb) -> dict[str, list[tuple[str, str]]]:
    return {
        ws.title: sorted(
            (str(v.sqref), str(v.formula1)) for v in ws.data_validations.dataValidation
        )
        for ws in wb.worksheets
    }


@pytest.mark.parametrize(
    "path", [*example_files("2018"), *example_files("tt57")], ids=lambda p: p.stem
)
def test_printed_copy_opens_on_and_prints_the_plan_first(path, tmp_path, capsys):
    """Bản kế hoạch is the first sheet and the active one: "Print Entire Workbook" and
    "Print Active Sheet" both start with the plan. The school's sheets follow in their
    order, with their names and lists, and the copy checks as the workbook does."""
    out = tmp_path / "ban-in.xlsx"
    assert main(["render", "--draft", str(path), "-o", str(out)]) == 0
    source, copy = load_workbook(path), load_workbook(out)
    assert copy.sheetnames == [SHEET_RENDERED, *source.sheetnames]
    assert copy.active.title == SHEET_RENDERED
    assert [ws.sheet_view.tabSelected for ws in copy.worksheets] == [True] + [False] * len(
        source.worksheets
    )
    assert copy[SHEET_RENDERED].print_area  # its own print area, at its new place
    names = {n: d.value for n, d in source.defined_names.items()}
    assert {n: d.value for n, d in copy.defined_names.items()} == names
    assert _validations(copy) == {SHEET_RENDERED: [], **_validations(source)}
    capsys.readouterr()
    reports = []
    for workbook in (path, out):
        main(["check", str(workbook)])
        reports.append(capsys.readouterr().out.split("\n", 1)[1])  # after "Kiểm tra: FILE"
    assert reports[0] == reports[1] and reports[0].strip()
