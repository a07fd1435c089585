"""The report a managing body sends upward (merge --report): its words, and every number
equal to the roll-up workbook's and the CSV tables'."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pytest

from sheetkit.cli import main
from sheetkit.reading.parsing import month_index
from sheetkit.validators.review import STATE_LABELS
from sheetkit.writing.body_report import review_point

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STATE_KEYS = ("done", "in_progress", "overdue", "not_carried_out", "unrecorded", "not_started")


@pytest.fixture(scope="module")
def report(area_with_list):
    rollup, out = area_with_list
    return rollup, out, docx.Document(str(out / "bao-cao.docx"))


def table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = cell.text.strip()
            if not cells or cell._tc is not cells[-1][0]:
                cells.append((cell._tc, text))
        rows.append([text for _, text in cells])
    return rows


def csv_rows(out: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "csv" / f"{name}.csv").read_text("utf-8-sig"))))


def texts(document) -> list[str]:
    """Every paragraph, in the body and in the tables (the title block is a table)."""
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p.text for p in cell.paragraphs]
    return found


def find_table(document, first_header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text.strip() == first_header)


def test_title_block_number_and_signature(report):
    _, _, document = report
    words = texts(document)
    assert "UBND TỈNH ĐỒNG THÁP" in words
    assert "SỞ GDĐT ĐỒNG THÁP" in words
    assert "Số: …/BC-SGDĐT" in words
    assert any(w.startswith("Đồng Tháp, ngày …… tháng ") for w in words)
    assert "BÁO CÁO" in words
    assert (
        "Kết quả xây dựng và thực hiện kế hoạch cải tiến chất lượng giáo dục năm học 2026-2027 "
        "đến hết học kỳ I" in words
    )
    # Nghị định 30's signature of a Sở, one line each, then the signer.
    at = words.index("KT. GIÁM ĐỐC")
    assert words[at + 1] == "PHÓ GIÁM ĐỐC"
    assert "Nguyễn Văn Minh" in words
    assert "- UBND tỉnh Đồng Tháp (để báo cáo);" in words
    headings = [w for w in words if w[:2] in {f"{n}." for n in range(1, 10)}]
    assert headings == [
        "1. TÌNH HÌNH CHUNG",
        "2. MỨC ĐẠT CỦA CÁC TRƯỜNG",
        "3. TIÊU CHÍ BẮT BUỘC CHƯA ĐẠT MỨC 1",
        "4. VẤN ĐỀ TRỌNG TÂM THEO TIÊU CHUẨN",
        "5. TIẾN ĐỘ THỰC HIỆN ĐẾN KỲ RÀ SOÁT (THÁNG 1/2027)",
        "6. TRƯỜNG CẦN QUAN TÂM",
        "7. KẾ HOẠCH LẬP THEO THÔNG TƯ 17, 18, 19/2018/TT-BGDĐT",
        "8. ĐỀ XUẤT, KIẾN NGHỊ",
    ]


def test_section_1_counts_equal_the_roster_table(report):
    rollup, out, document = report
    roster = csv_rows(out, "roster")
    handed = sum(r["state"] in ("Đã nộp", "Nộp nhưng có lỗi") for r in roster)
    with_errors = sum(r["state"] == "Nộp nhưng có lỗi" for r in roster)
    listed = sum(r["state"] != "Không có trong danh sách" for r in roster)
    words = texts(document)
    assert (
        f"Danh sách có {listed} trường. Đã nộp kế hoạch năm học 2026-2027: {handed} trường "
        f"({handed / listed:.0%}), trong đó {with_errors} kế hoạch còn lỗi." in words
    )
    assert "Chưa nộp (2 trường): Trường Tiểu học Phú Thuận, Trường Mầm non Bình Minh." in words
    assert "Kế hoạch của trường không có trong danh sách: Trường Tiểu học Họa Mi." in words
    errors = sum(int(r["errors"]) > 0 for r in csv_rows(out, "schools"))
    assert any(w.startswith(f"Kế hoạch còn lỗi: {errors} (") for w in words)


def test_level_table_equals_the_tt57_schools_table_and_overview(report):
    _, out, document = report
    schools = csv_rows(out, "tt57-schools")
    table = table_rows(find_table(document, "Cấp học"))
    total = table[-1]
    assert total[0] == "Cộng"
    now = [r["level_now"] for r in schools]
    after = [r["level_after"] for r in schools]
    expected = [
        len(schools),
        now.count("0"),
        now.count("1"),
        now.count("2"),
        now.count(""),
        after.count("0"),
        after.count("1"),
        after.count("2"),
    ]
    assert [int(v) for v in total[1:]] == expected
    # each level's row adds up to the Cộng row
    assert [sum(int(r[i]) for r in table[1:-1]) for i in range(1, 9)] == expected
    figures = overview(out)
    assert figures["    Hiện đạt Mức 1"] == now.count("1")
    assert figures["    Hiện đạt Mức 2"] == now.count("2")
    assert figures["Đạt Mức 2 sau kế hoạch"] == after.count("2")


def overview(out: Path) -> dict:
    wb = openpyxl.load_workbook(out / "tong-hop.xlsx", read_only=True)
    return {r[0]: r[1] for r in wb["Tổng quan"].iter_rows(values_only=True) if r and r[0]}


def test_issue_table_equals_the_issues_table(report):
    _, out, document = report
    issues = csv_rows(out, "tt57-issues")
    total = table_rows(find_table(document, "Tiêu chuẩn"))[-1]
    assert total[0] == "Cộng"
    assert [int(v) for v in total[1:]] == [
        len(issues),
        len({r["school_id"] for r in issues}),
        sum(int(r["items"]) for r in issues),
        sum(int(r["done"]) for r in issues),
        sum(int(r["overdue"]) for r in issues),
    ]
    assert overview(out)["Số vấn đề trọng tâm"] == len(issues)


def test_progress_table_equals_the_schools_table_and_the_items(report):
    rollup, out, document = report
    schools = csv_rows(out, "tt57-schools")
    rows = table_rows(find_table(document, "TT"))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header == ["TT", "Trường", "Số việc", *STATE_LABELS.values()]
    assert list(STATE_LABELS) == list(STATE_KEYS)
    assert len(body) == len(schools)
    assert total[1] == "Cộng"
    sums = [sum(int(r[k]) for r in schools) for k in ("items", *STATE_KEYS)]
    assert [int(v) for v in total[2:]] == sums
    assert sums[0] == sum(sums[1:])  # the states part the rows
    items = csv_rows(out, "tt57-items")
    assert sums[0] == len(items)
    states = [r["state"] for r in items]
    assert sums[1:] == [states.count(label) for label in header[3:]]
    by_name = {r["school_name"]: r for r in schools}
    for row in body:
        school = by_name[row[1]]
        assert [int(v) for v in row[2:]] == [int(school[k]) for k in ("items", *STATE_KEYS)]


def test_attention_lists_errors_overdue_and_missing(report):
    rollup, out, document = report
    attention = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][-1] == "Cần quan tâm"
    )
    found = {r[1]: r[2] for r in table_rows(attention)[1:]}
    assert found["Trường Tiểu học Phú Thuận"] == "chưa nộp kế hoạch"
    for school in csv_rows(out, "schools"):
        if int(school["errors"]):
            assert f"kế hoạch còn {school['errors']} lỗi" in found[school["school_name"]]
    for school in csv_rows(out, "tt57-schools"):
        if int(school["overdue"]):
            assert f"{school['overdue']} việc quá hạn" in found[school["school_name"]]


def merge_quan_mau(tmp_path: Path, report: str) -> int:
    """`sheetkit merge examples/quan-mau -o t.xlsx --report REPORT` without a list of schools."""
    out = [str(tmp_path / "t.xlsx"), "--report", str(tmp_path / report), "--quiet"]
    return main(["merge", str(EXAMPLES / "quan-mau"), "-o", *out])


def test_without_a_list_the_body_comes_from_the_plans_with_a_warning(tmp_path, capsys):
    assert merge_quan_mau(tmp_path, "bc.docx") == 0
    err = capsys.readouterr().err
    assert "báo cáo lấy tên cơ quan theo cơ quan quản lý ghi trong các kế hoạch" in err
    words = texts(docx.Document(str(tmp_path / "bc.docx")))
    assert any(w.startswith("Đã tổng hợp kế hoạch của 40 trường") for w in words)


def test_report_must_be_word(tmp_path, capsys):
    assert merge_quan_mau(tmp_path, "bc.pdf") == 3
    assert "báo cáo (--report) phải có đuôi .docx" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize(
    ("month", "said"),
    [
        (month_index(2027, 1), "đến hết học kỳ I"),
        (month_index(2026, 12), "đến hết học kỳ I"),
        (month_index(2027, 5), "đến hết năm học"),
        (month_index(2027, 3), "đến tháng 3/2027"),
        (None, ""),
    ],
)
def test_review_point_in_the_title(month, said):
    assert review_point(month) == said


def test_the_summary_has_the_report_as_a_printable_sheet(report):
    """The Báo cáo sheet holds the Word report's text and tables, row for row, on A4 portrait."""
    _, out, document = report
    wb = openpyxl.load_workbook(out / "tong-hop.xlsx")
    assert wb.sheetnames[:3] == ["Tổng quan", "Tình hình nộp", "Báo cáo"]
    ws = wb["Báo cáo"]
    rows = [[str(v) for v in row if v not in (None, "")] for row in ws.iter_rows(values_only=True)]
    for table in document.tables[1:-1]:  # the title block first, the closing block last
        for row in table_rows(table):
            assert [c for c in row if c] in rows, row
    words = {w for row in rows for w in row}
    assert {"BÁO CÁO", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Minh", "Nơi nhận:"} <= words
    assert "5. TIẾN ĐỘ THỰC HIỆN ĐẾN KỲ RÀ SOÁT (THÁNG 1/2027)" in words
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # one page wide (1 is the default width)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0


def test_a_csv_list_has_no_body_so_the_plans_name_it_with_the_notice(tmp_path, capsys):
    """A CSV list has no Đơn vị tổng hợp: the header comes from the plans, and the officer is told."""
    listed = tmp_path / "danh-sach.csv"
    listed.write_text("Mã trường,Tên trường,Cấp học\n870009,Trường THPT Lê Quý Đôn,THPT\n", "utf-8")
    out = [str(tmp_path / "t.xlsx"), "--roster", str(listed), "--report", str(tmp_path / "bc.docx")]
    assert main(["merge", str(EXAMPLES / "quan-mau"), "-o", *out, "--quiet"]) == 0
    assert "báo cáo lấy tên cơ quan theo cơ quan quản lý ghi trong các kế hoạch" in (
        capsys.readouterr().err
    )
    words = texts(docx.Document(str(tmp_path / "bc.docx")))
    assert "……" not in words[:3] and any(
        w.startswith("UBND ") or w.startswith("SỞ ") for w in words
    )
