"""The printed plan on paper: page breaks, widths, what stays together, size limits."""

from __future__ import annotations

import copy
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from word_pages import broken_months, half_empty, needs_libreoffice

from conftest import example_files, old_workbook, without_sections
from sheetkit.cli import main
from sheetkit.model.contract import SHEET_RENDERED
from sheetkit.reading.reader import read_plan
from sheetkit.writing import page as limits
from sheetkit.writing import plan_sheet, sheet_parts
from sheetkit.writing.document import COLUMN_KEYS, Row
from sheetkit.writing.docx_parts import CELL_MARGIN_PT, UNBROKEN_LINES, WORD
from sheetkit.writing.layout import (
    EXCEL,
    LIBREOFFICE,
    count_lines,
    text_width,
    wrap_points,
)
from sheetkit.writing.page import KEPT_LINES
from sheetkit.writing.plan_sheet import column_widths
from sheetkit.writing.plan_text import Document
from sheetkit.writing.printed import render_docx, render_plan, render_xlsx, sheet_layout

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STEP = (
    "+ Tiếp tục phối hợp, tạo điều kiện cho Ban đại diện cha mẹ học sinh trường, lớp thực hiện "
    "đầy đủ các hoạt động, phát huy các nhiệm vụ và quyền theo quy định."
)
CODES = ["1.1", "1.4", "2.2", "3.3", "3.6", "4.2", "5.1", "5.3"]


def long_plan(good_plan: dict, count: int = 40) -> dict:
    """Many items, long multi-line solutions, one criterion (5.5) with 15 of them."""
    plan = copy.deepcopy(good_plan)
    base = plan["items"][0]
    items = []
    for n in range(count):
        code = "5.5" if n < 15 else CODES[n % len(CODES)]
        items.append(
            dict(
                base,
                criterion=code,
                solution="\n".join([STEP] * (1 + n % 5)),
                result="Đạt yêu cầu của tiêu chí" + ", có minh chứng" * (n % 4),
                budget=["10 triệu", "1.250.000.000", "không", "theo quy chế chi tiêu nội bộ"][
                    n % 4
                ],
            )
        )
    plan["items"] = items
    return plan


def _pages(layout) -> list[list[int]]:
    """The sheet's rows, page by page, as its breaks cut them."""
    pages, current = [], []
    for row in range(1, layout.last_row + 1):
        current.append(row)
        if row in layout.breaks:
            pages.append(current)
            current = []
    return [*pages, current]


def _sheet_cases(build, good_plan):
    """2018 plans with their sections (the examples, a long plan) and without (emptied, old)."""
    yield from example_files("2018")  # (Biểu 2 of Thông tư 57: test_bieu2.py)
    yield build(long_plan(good_plan))
    yield build(without_sections(long_plan(good_plan)))
    yield old_workbook(build(long_plan(good_plan)))


def _repeat(layout) -> float:
    """The header row the sheet's print titles add to every page after the first (if any)."""
    return layout.print_heights[layout.header_row] if layout.header_row else 0.0


# ----------------------------------------------------------------- the sheet's pages


def test_sheet_pages_keep_the_plan_together(build, good_plan, tmp_path):
    for source in _sheet_cases(build, good_plan):
        doc = render_plan(read_plan(source), draft=True)
        layout = sheet_layout(doc)
        out = render_xlsx(source, doc, tmp_path / f"{source.stem}-ban-in.xlsx")
        ws = load_workbook(out)[SHEET_RENDERED]
        breaks = sorted(b.id for b in ws.row_breaks.brk)
        assert breaks == layout.breaks, source.name
        assert all(b.man for b in ws.row_breaks.brk)
        kinds = layout.kinds
        total = next(r for r, kind in kinds.items() if kind == "total")
        signature = [r for r, kind in kinds.items() if kind == "signature"]
        # The signature block ends the sheet, right after the total or the last section's end.
        assert signature == list(range(signature[0], layout.last_row + 1))
        end = total if not doc.closing else signature[0] - KEPT_LINES
        if doc.closing:
            assert [kinds[r] for r in range(end, signature[0])] == ["paragraph"] * KEPT_LINES
            assert set(kinds[r] for r in range(total + 1, end)) <= {"gap", "heading", "paragraph"}
        else:
            assert signature[0] == total + 1
        for row in breaks:  # ``row`` ends a page
            assert kinds.get(row) not in ("standard", "heading", "header", "gap"), (
                f"{source.name}: a {kinds.get(row)} row ({row}) ends a page"
            )
            starts = row + 1 + (kinds.get(row + 1) == "header")  # after a repeated header
            assert starts != total, f"{source.name}: the total row starts a page alone"
            assert not end <= row < signature[-1], f"{source.name}: the end is split at {row}"
            if kinds.get(row) in ("item", "standard") and not layout.header_row:
                assert kinds.get(row + 1) == "header", f"{source.name}: no header after {row}"
        # Every page holds what it is given, in Excel's heights (the taller) and as written.
        pages = _pages(layout)
        printable = (210 - 20 - 20) * 72 / 25.4 * 100 / layout.scale
        assert layout.page_height <= printable
        for n, rows in enumerate(pages):
            repeat = _repeat(layout) if n else 0
            printed = repeat + sum(layout.print_heights[r] for r in rows)
            written = repeat + sum(ws.row_dimensions[r].height or 15 for r in rows)
            assert written <= printed <= layout.page_height, (source.name, n)
            if n < len(pages) - 1:  # and no page is broken off early for nothing
                assert printed >= 0.5 * layout.page_height, (source.name, n, printed)


def _with(sections: bool, data: dict) -> dict:
    return data if sections else without_sections(data)


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_long_plan_items_continue_on_the_next_page(build, good_plan, sections):
    doc = render_plan(read_plan(build(_with(sections, long_plan(good_plan)))))
    layout = sheet_layout(doc)
    assert len(layout.breaks) >= 5
    items = [r for r, kind in layout.kinds.items() if kind == "item"]
    continued = [r for r in items if layout.cells[(r, 1)][0] == ""]  # no TT: a continuation
    assert continued, "long items run on over a page break"
    for row in continued:
        above = row - 1 - (layout.kinds.get(row - 1) == "header")  # the header written again
        assert above in layout.breaks or layout.cells[(row - 1, 1)][0] == ""
        # At least three lines of the item on each side of a break.
        assert layout.print_heights[row] >= EXCEL.height(sheet_parts.PIECE_LINES)


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_an_item_longer_than_a_row_fills_its_pages(build, good_plan, sections):
    """Past 409 points an item goes on in a new row, on the same page while there is room."""
    good_plan["items"][0]["solution"] = "\n".join([STEP] * 120)
    doc = render_plan(read_plan(build(_with(sections, good_plan))))
    layout = sheet_layout(doc)
    rows = [r for r, kind in layout.kinds.items() if kind == "item"]
    assert max(layout.print_heights[r] for r in rows) <= sheet_parts.MAX_ROW_POINTS
    pages = _pages(layout)
    assert len(pages) > 3
    middle = [  # pages after the first the item goes on from: the next starts with its rest
        page
        for page, after in zip(pages[1:], pages[2:], strict=False)
        if layout.cells[(after[0] + (layout.kinds.get(after[0]) == "header"), 1)][0] == ""
    ]
    assert len(middle) >= len(pages) - 4
    for n, page in enumerate(middle):
        used = _repeat(layout) + sum(layout.print_heights[r] for r in page)
        assert used >= layout.page_height - EXCEL.height(sheet_parts.PIECE_LINES), n


def test_sheet_rows_fit_their_text(build, good_plan):
    doc = render_plan(read_plan(build(long_plan(good_plan))))
    layout = sheet_layout(doc)
    widths = dict(zip(COLUMN_KEYS, layout.widths, strict=True))
    spanned = {
        r for top, col, bottom, _ in layout.merges if col == 2 for r in range(top, bottom + 1)
    }
    for row, kind in layout.kinds.items():
        if kind != "item" or row in layout.fixed:
            continue
        cells = {  # a criterion spanning several rows is not this row's to fit
            key: layout.cells[(row, col)][0]
            for col, key in enumerate(COLUMN_KEYS, start=1)
            if (row, col) in layout.cells and not (col == 2 and row in spanned)
        }
        tallest_lo = max(LIBREOFFICE.text_height(text, widths[key]) for key, text in cells.items())
        tallest_excel = max(EXCEL.text_height(text, widths[key]) for key, text in cells.items())
        # Written as LibreOffice needs it (printed and on screen), with no more than a line spare.
        assert tallest_lo - 0.01 <= layout.heights[row] <= tallest_lo + 14.5
        assert layout.print_heights[row] == pytest.approx(tallest_excel)


def test_the_sheet_is_printed_at_a_set_scale_that_fits_the_width(build, good_plan, tmp_path):
    source = build(long_plan(good_plan))
    doc = render_plan(read_plan(source))
    ws = load_workbook(render_xlsx(source, doc, tmp_path / "out.xlsx"))[SHEET_RENDERED]
    layout = sheet_layout(doc)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # else Excel drops the breaks
    assert ws.page_setup.scale == layout.scale
    width = sum(layout.widths) * max(EXCEL.unit, LIBREOFFICE.unit) * layout.scale / 100
    assert width <= (297 - 30 - 15) * 72 / 25.4


# ----------------------------------------------------------------- widths


def test_amounts_hold_together_and_fit_their_column(build, good_plan, tmp_path):
    good_plan["items"][0]["budget"] = "1.250.000.000"
    good_plan["items"][1]["budget"] = "500 nghìn đồng"
    source = build(good_plan)
    doc = render_plan(read_plan(source))
    amounts = [row.cells["budget"] for row in doc.items]
    assert amounts == ["1.250.000.000\u00a0đồng", "500.000\u00a0đồng"]
    for row in doc.rows:
        for text in [*row.cells.values(), row.text]:
            assert " đồng" not in text  # never a breakable space before the unit
    longest = max(text_width(a) for a in amounts)
    layout = sheet_layout(doc)
    budget = layout.widths[COLUMN_KEYS.index("budget")]
    assert EXCEL.usable(budget) >= longest and LIBREOFFICE.usable(budget) >= longest
    # In Word too: the column less its padding.
    out = render_docx(doc, tmp_path / "ke-hoach.docx")
    grid = _grid(out)
    usable = grid[COLUMN_KEYS.index("budget")] / 20 - 2 * CELL_MARGIN_PT
    assert usable >= longest


def test_columns_take_the_width_their_text_needs(build, good_plan):
    for item in good_plan["items"]:
        item["result"] = "Đạt chuẩn về thư viện, có đủ sách, báo, tài liệu tham khảo. " * 6
        item["solution"] = "Mua sách"
    doc = render_plan(read_plan(build(good_plan)))
    widths = dict(zip(COLUMN_KEYS, sheet_layout(doc).widths, strict=True))
    assert widths["result"] > widths["solution"]
    good_plan["items"][0]["result"] = good_plan["items"][1]["result"] = "Đạt"
    good_plan["items"][0]["solution"] = good_plan["items"][1]["solution"] = STEP * 6
    doc = render_plan(read_plan(build(good_plan)))
    widths = dict(zip(COLUMN_KEYS, sheet_layout(doc).widths, strict=True))
    assert widths["solution"] > 2 * widths["result"]


def test_header_labels_take_at_most_three_lines(build, good_plan):
    doc = render_plan(read_plan(build(long_plan(good_plan))))
    layout = sheet_layout(doc)
    headers = [r for r, kind in layout.kinds.items() if kind == "header"]
    assert len(headers) > 1  # written again on each page the table goes on to
    for col, width in enumerate(layout.widths, start=1):
        label = layout.cells[(headers[0], col)][0]
        assert all(layout.cells[(r, col)][0] == label for r in headers)
        assert EXCEL.count(label, width, bold=True) <= plan_sheet.HEADER_LINES
        assert all(EXCEL.count(word, width, bold=True) == 1 for word in label.split())


# ----------------------------------------------------------------- Word


def _grid(path) -> list[int]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    plan = xml.split("<w:tbl>")[2]  # the header blocks' table comes first
    return [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', plan)]


def _plan_rows(path):
    from docx import Document as Word

    table = Word(str(path)).tables[1]._tbl
    return table.findall(f"{W}tr")


def _keeps(tr) -> bool:
    paragraphs = tr.iter(f"{W}p")
    return all(p.find(f"{W}pPr/{W}keepNext") is not None for p in paragraphs)


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_docx_rows_stay_together_where_they_must(build, good_plan, tmp_path, sections):
    plan = long_plan(good_plan, count=12)
    plan["items"][-1].update(solution="Mua sách", result="Đạt", shortcoming=None, support=None)
    doc = render_plan(read_plan(build(_with(sections, plan))))
    out = render_docx(doc, tmp_path / "ke-hoach.docx")
    rows = _plan_rows(out)
    if sections:  # the signature goes with the end of Tổ chức thực hiện, in a table of its own
        from docx import Document as Word

        assert len(rows) == 1 + len(doc.rows)
        header, body = rows[0], rows[1:]
        signature = Word(str(out)).tables[-1]._tbl.findall(f"{W}tr")[-1]
    else:
        assert len(rows) == 1 + len(doc.rows) + 1
        header, body, signature = rows[0], rows[1:-1], rows[-1]
    whole = f"{W}trPr/{W}cantSplit"
    assert header.find(f"{W}trPr/{W}tblHeader") is not None and header.find(whole) is not None
    assert _keeps(header) == sections  # under its heading, the header goes with the first rows
    widths = column_widths(doc, WORD, (297 - 30 - 15) * 72 / 25.4, 2)
    last_item = max(n for n, row in enumerate(doc.rows) if row.kind == "item")
    unbroken = 0
    for n, (entry, tr) in enumerate(zip(doc.rows, body, strict=True)):
        if entry.kind == "standard":  # kept with the row after it, unbroken
            assert tr.find(whole) is not None and _keeps(tr), entry
        elif entry.kind == "total":  # kept with the signature when it follows in the table
            assert tr.find(whole) is not None and _keeps(tr) == (not sections), entry
        else:
            starts = n == 0 or doc.rows[n - 1].group != entry.group
            keys = [k for k in COLUMN_KEYS if k != "criterion" or starts]
            lines = max(WORD.count(entry.cells.get(k, ""), widths[k]) for k in keys)
            assert (tr.find(whole) is not None) == (lines <= UNBROKEN_LINES)
            unbroken += lines <= UNBROKEN_LINES
            assert _keeps(tr) == (n == last_item)  # only the last item keeps with the total
    assert 0 < unbroken < len(doc.items)
    # The signature block is one row that never breaks, with no borders of its own.
    assert signature.find(whole) is not None
    text = "".join(t.text or "" for t in signature.iter(f"{W}t"))
    assert text.startswith("Nơi nhận:") and "HIỆU TRƯỞNG" in text and doc.signer_name in text


def test_docx_long_rows_may_break_short_rows_may_not(build, good_plan, tmp_path):
    good_plan["items"][0]["solution"] = "\n".join([STEP] * 12)  # far longer than UNBROKEN_LINES
    good_plan["items"][1].update(result="Đạt", shortcoming=None, budget="không")
    doc = render_plan(read_plan(build(good_plan)))
    rows = _plan_rows(render_docx(doc, tmp_path / "ke-hoach.docx"))
    items = [tr for entry, tr in zip(doc.rows, rows[1:], strict=False) if entry.kind == "item"]
    long_row, short_row = items
    assert long_row.find(f"{W}trPr/{W}cantSplit") is None
    assert short_row.find(f"{W}trPr/{W}cantSplit") is not None
    assert UNBROKEN_LINES < 12


def test_docx_of_1200_items_under_one_criterion(tmp_path):
    """python-docx's merge recursed once per row: 1,200 rows raised RecursionError."""
    items = [
        Row(
            "item",
            tt=str(n),
            group=1,
            cells={"criterion": "Tiêu chí 5.5: Kết quả", "solution": STEP},
        )
        for n in range(1, 1201)
    ]
    doc = Document(
        governing_body="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 3",
        school="TRƯỜNG TIỂU HỌC KIM ĐỒNG",
        number="Số: 1/KH-KĐ",
        place_date="Quận 3, ngày 05 tháng 9 năm 2024",
        title="KẾ HOẠCH",
        subtitle="Cải tiến chất lượng giáo dục năm học 2024-2025",
        rows=[
            Row("standard", "I", "Tiêu chuẩn 5: Hoạt động giáo dục"),
            *items,
            Row("total", text="Tổng"),
        ],
        signer_title="HIỆU TRƯỞNG",
        signer_name="Nguyễn Văn A",
        recipients=["- Lưu: VT."],
    )
    out = render_docx(doc, tmp_path / "lon.docx")
    rows = _plan_rows(out)
    merges = [tr.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}vMerge") for tr in rows[2:1202]]
    assert merges[0].get(f"{W}val") == "restart"
    assert all(m is not None and m.get(f"{W}val") is None for m in merges[1:])  # continue


# ----------------------------------------------------------------- size limit


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_plan_beyond_the_limit_is_refused_with_a_message(
    build, good_plan, tmp_path, capsys, monkeypatch, suffix
):
    monkeypatch.setattr(limits, "MAX_ITEMS", 1)
    source = build(good_plan)
    out = tmp_path / f"ban-in{suffix}"
    assert main(["render", str(source), "-o", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "Kế hoạch có 2 việc cải tiến" in err and "quá giới hạn của bản in: 1 việc" in err
    assert "Chưa tạo bản kế hoạch vì kế hoạch quá lớn để in" in err
    assert "Traceback" not in err


def test_plan_beyond_the_text_limit_is_refused(build, good_plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT", 100)
    doc = render_plan(read_plan(build(good_plan)))
    with pytest.raises(limits.PlanTooLarge) as refused:
        sheet_layout(doc)
    assert "ký tự" in refused.value.findings[0].message


# ----------------------------------------------------------------- text measurement


@given(
    st.text(alphabet=st.sampled_from("aW iếữ\n\u00a0.,"), max_size=300),
    st.floats(min_value=3, max_value=400),
)
def test_wrap_points_keeps_every_character_and_the_width(text, width):
    lines = wrap_points(text, width)
    assert "".join(lines) == text
    assert count_lines(text, width) == len(lines)
    for line in lines:
        body = line.rstrip("\n").removesuffix(" ")
        assert text_width(body) <= width or len(body) == 1  # a glyph wider than the line


def test_width_follows_the_glyphs():
    assert text_width("iiii") < text_width("MMMM") / 3
    assert text_width("ế") == text_width("e") and text_width("ư") > text_width("u")
    assert text_width("Tháng", 24) == 2 * text_width("Tháng", 12)


def test_plan_beyond_the_line_limit_is_refused(build, good_plan, monkeypatch):
    """Word's memory grows with lines (a paragraph each): 124,000 lines took 830 MB."""
    monkeypatch.setattr(limits, "MAX_LINES", 5)
    doc = render_plan(read_plan(build(good_plan)))
    with pytest.raises(limits.PlanTooLarge) as refused:
        sheet_layout(doc)
    message = refused.value.findings[0].message
    assert "dòng), quá giới hạn của bản in" in message and "ký tự, 5 dòng." in message


@given(
    st.text(alphabet=st.sampled_from("aW iếữ\n\u00a0.,"), max_size=300),
    st.integers(min_value=1, max_value=120),
)
def test_wrapped_lines_agrees_with_wrap(text, per_line):
    from sheetkit.writing.layout import wrap, wrapped_lines

    assert wrapped_lines(text, per_line) == (len(wrap(text, per_line)) if text else 1)


def test_a_sheet_beyond_excels_page_breaks_is_refused_the_word_plan_is_not(
    build, good_plan, tmp_path, capsys, monkeypatch
):
    """Excel keeps at most 1,026 page breaks in a sheet: past MAX_PAGES the sheet is refused
    with the page count and the advice to make the Word plan, which has no such limit."""
    monkeypatch.setattr(limits, "MAX_PAGES", 1)
    source = build(good_plan)
    out = tmp_path / "ban-in.xlsx"
    assert main(["render", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "quá giới hạn 1 trang của một trang tính Excel" in err and "-o ten-tep.docx" in err
    assert "Chưa tạo bản kế hoạch vì kế hoạch quá lớn để in" in err
    assert not out.exists()
    assert main(["render", str(source), "-o", str(tmp_path / "ban-in.docx")]) == 0


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "table-only"])
def test_docx_short_table_never_breaks(build, good_plan, tmp_path, sections):
    """Two short items (five rows with their Tiêu chuẩn rows and the total): every row
    unbreakable and kept with the next, so the table prints on one page. (A table of five
    rows taller than half a page may break: moved whole, it would empty the page before.)"""
    doc = render_plan(read_plan(build(_with(sections, _short(good_plan)))))
    assert len(doc.rows) == 5
    rows = _plan_rows(render_docx(doc, tmp_path / "ngan.docx"))
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    # All kept with the next but the last: the total when a section follows the table,
    # the signature block (which ends the table) otherwise.
    assert [_keeps(tr) for tr in rows] == [True] * (len(rows) - 1) + [False]


def _short(good_plan: dict) -> dict:
    plan = copy.deepcopy(good_plan)
    for item in plan["items"]:
        item.update(result="Đạt", shortcoming=None, support=None, budget="không")
    return plan


@pytest.fixture(scope="module")
def pages_2018(tmp_path_factory):
    """The 2018 examples and a two-item plan, printed from Word by LibreOffice."""
    from word_pages import pages, to_pdf

    from conftest import GOOD_PLAN, legacy_template

    folder = tmp_path_factory.mktemp("pages-2018")
    sources = [
        *example_files("2018"),
        legacy_template("tieu-hoc", folder / "ngan.xlsx", _short(GOOD_PLAN)),
    ]
    words = [
        render_docx(render_plan(read_plan(s), draft=True), folder / f"{s.stem}.docx")
        for s in sources
    ]
    return {s.stem: pages(pdf) for s, pdf in zip(sources, to_pdf(words, folder), strict=True)}


@needs_libreoffice
def test_word_2018_pages_are_full_and_months_whole(pages_2018):
    for name, document in pages_2018.items():
        assert half_empty(document) == [], name
        assert broken_months(document) == [], name
    # The two-item plan's table, from its header to the total, is on one page.
    short = pages_2018["ngan"]
    holding = {p.number for p in short if "Tổng kinh phí" in p.text or "Tiêu chuẩn" in p.text}
    assert len(holding) == 1, holding
