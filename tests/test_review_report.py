"""Báo cáo rà soát (render --review): a TT57 plan's progress at a review month, printed.

At February 2027 the THCS example (examples/sources/tt57-thcs.json) stands, row by row:
1 done (ends 10/2026, Hoàn thành), 2 in progress (Đang thực hiện, ends 5/2027 and 4/2027),
3 overdue (row 4: Đang thực hiện but ended 1/2027; rows 7 and 9: nothing written, ended
11/2026 and 1/2027), 4 unrecorded, "Chưa ghi" (rows 5, 6, 8, 10: nothing written although
they started in 9/2026 or 10/2026; they end 5/2027). None is Không thực hiện or Chưa bắt đầu.
"""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, example_specs
from sheetkit.checking.review import review_plan
from sheetkit.cli import main
from sheetkit.reading.reader import read_plan
from sheetkit.writing.printed import sheet_layout
from sheetkit.writing.review_report import SHEET_REPORT, review_document

SPECS = {s["template"]: s for s in example_specs("tt57")}
THCS = EXAMPLES / SPECS["thcs"]["file"]
FEBRUARY_2027 = 2027 * 12 + 1


@pytest.fixture(scope="module")
def report():
    plan = read_plan(THCS)
    return review_document(plan, review_plan(plan, FEBRUARY_2027))


def _table(report, number):
    return next(s.table for s in report.sections if s.number == number)


def test_the_report_says_where_the_plan_stands(report):
    assert report.title == "BÁO CÁO"
    assert report.subtitle == (
        "Kết quả rà soát thực hiện kế hoạch cải tiến chất lượng giáo dục năm học 2026-2027"
    )
    assert report.number.startswith("Số: ") and "/BC-" in report.number
    # Dated in the month of the review, the day left to write (not the plan's own date).
    assert report.place_date.endswith(", ngày …… tháng 02 năm 2027"), report.place_date
    assert [s.title for s in report.sections] == [
        "I. TÌNH HÌNH CHUNG",
        "II. THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (MỤC VI CỦA KẾ HOẠCH)",
        "III. TIẾN ĐỘ THEO VẤN ĐỀ TRỌNG TÂM",
        "IV. TIẾN ĐỘ THEO TIÊU CHUẨN",
        "V. CÁC VIỆC CẦN QUAN TÂM",
        "VI. ĐIỀU CHỈNH, ĐỀ XUẤT",
    ]
    assert report.sections[0].paragraphs[:2] == [
        "Thời điểm rà soát: tháng 2/2027.",
        "Kế hoạch có 10 việc cải tiến thuộc 5 vấn đề trọng tâm. Đến tháng 2/2027: 1 việc hoàn "
        "thành (10%), 2 việc đang thực hiện (20%), 3 việc quá hạn (30%), 4 việc chưa ghi mức độ "
        "thực hiện (40%).",
    ]
    assert report.signer_title == "HIỆU TRƯỞNG"
    assert report.recipients[0] == "- UBND xã Yên Thành (để báo cáo);"


def test_progress_per_issue_and_per_standard(report):
    issues = _table(report, "III")
    assert [label for label, _, _ in issues.columns][2:] == [
        "Số việc",
        "Hoàn thành",
        "Đang thực hiện",
        "Quá hạn",
        "Không thực hiện",
        "Chưa ghi",
        "Chưa bắt đầu",
    ]
    first, total = issues.rows[0].cells, issues.rows[-1].cells
    assert first[0] == "1" and first[1].startswith("Vấn đề 1 (tiêu chuẩn 1; tiêu chí 1.3)")
    assert first[2:] == ["2", "1", "1", "0", "0", "0", "0"]
    assert total == ["", "Cộng", "10", "1", "2", "3", "0", "4", "0"]
    standards = {r.cells[0]: r.cells[2:] for r in _table(report, "IV").rows}
    # Standard 3 holds issues 3 and 4: rows 5, 6 (Chưa ghi), 7 (overdue), 8 (Chưa ghi).
    assert standards["3"] == ["4", "0", "0", "1", "0", "3", "0"]
    assert issues.centred() == {0, 2, 3, 4, 5, 6, 7, 8}


def test_rows_needing_attention_are_the_overdue_and_the_unwritten(report):
    rows = _table(report, "V").rows
    assert [r.cells[0] for r in rows] == ["4", "5", "6", "7", "8", "9", "10"]
    row4 = rows[0].cells
    assert row4[2] == "Tháng 9/2026 – Tháng 1/2027"
    assert row4[4:] == ["Đang thực hiện", "Quá hạn"]
    assert rows[1].cells[4:] == ["(chưa ghi)", "Chưa ghi"]


def test_a_row_not_carried_out_is_its_own_state_in_the_report(tmp_path):
    """Row 7 ended 11/2026; written Không thực hiện it is not overdue, and row 10 written
    Chưa thực hiện (ends 5/2027) has not started."""
    import copy

    from sheetkit.writing.templates import build_template

    data = copy.deepcopy(SPECS["thcs"])
    data["items"][6]["progress"] = "Không thực hiện"
    data["items"][9]["progress"] = "Chưa thực hiện"
    plan = read_plan(build_template("thcs", tmp_path / "kh.xlsx", data))
    report = review_document(plan, review_plan(plan, FEBRUARY_2027))
    assert (
        report.sections[0]
        .paragraphs[1]
        .endswith(
            "Đến tháng 2/2027: 1 việc hoàn thành (10%), 2 việc đang thực hiện (20%), 2 việc quá hạn "
            "(20%), 1 việc không thực hiện (10%), 3 việc chưa ghi mức độ thực hiện (30%), 1 việc "
            "chưa bắt đầu (10%)."
        )
    )
    assert _table(report, "III").rows[-1].cells == ["", "Cộng", "10", "1", "2", "2", "1", "3", "1"]
    attention = {r.cells[0]: r.cells[4:] for r in _table(report, "V").rows}
    assert attention["7"] == ["Không thực hiện", "Không thực hiện"]
    assert "10" not in attention  # Chưa thực hiện before its end month needs nothing yet


def test_the_sheet_keeps_headings_with_their_tables(report):
    layout = sheet_layout(report)
    for row in layout.breaks:
        assert layout.kinds.get(row) not in ("heading", "group", "header"), row
    assert layout.kinds[layout.last_row] == "signature"


def test_render_review_from_the_command_line(tmp_path, capsys):
    docx, xlsx = tmp_path / "bao-cao.docx", tmp_path / "bao-cao.xlsx"
    for out in (docx, xlsx):
        assert main(["render", "--review", "--at", "2027-02", str(THCS), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Đã tạo báo cáo rà soát tháng 2/2027 (10 việc: Hoàn thành 1 (10%)" in said
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "TIẾN ĐỘ THEO VẤN ĐỀ TRỌNG TÂM" in xml
    wb = load_workbook(xlsx)
    assert wb.active.title == SHEET_REPORT and "Bản kế hoạch" not in wb.sheetnames
    assert load_workbook(THCS).sheetnames == [n for n in wb.sheetnames if n != SHEET_REPORT]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--review", str(EXAMPLES / "ke-hoach-thcs-hoang-van-thu-2024-2025.xlsx")], "mẫu 2018"),
        (["--at", "2027-01", str(THCS)], "--at chỉ dùng cùng --review"),
        (["--review", "--draft", str(THCS)], "không có bản nháp"),
    ],
)
def test_review_report_refusals(args, message, tmp_path, capsys):
    out = tmp_path / "bao-cao.docx"
    assert main(["render", *args, "-o", str(out)]) == 3
    assert message in capsys.readouterr().err and not out.exists()


def test_the_report_gives_the_schools_level_with_its_reasons(tmp_path):
    level_now = (
        "Mức đạt của trường hiện tại (khoản 3 Điều 5): Mức 1 vì 8/8 tiêu chí bắt buộc đạt Mức 1 "
        "trở lên và có 6/7 tiêu chí không bắt buộc đạt Mức 1 trở lên (cần ít nhất 5/7); chưa đạt "
        "Mức 2 vì tiêu chí bắt buộc 1.3, 1.4, 2.2, 3.2, 4.1, 4.2 chưa đạt Mức 2;"
    )
    plan = read_plan(THCS)
    paragraphs = review_document(plan, review_plan(plan, FEBRUARY_2027)).sections[0].paragraphs
    now, after = paragraphs[-2:]
    assert now.startswith(level_now) and "Để đạt Mức 2: nâng tiêu chí bắt buộc" in now
    assert after.startswith("Mức đạt dự kiến sau kế hoạch: Mức 1 vì 8/8 tiêu chí bắt buộc")
    docx = tmp_path / "bao-cao.docx"
    assert main(["render", "--review", "--at", "2027-02", str(THCS), "-o", str(docx)]) == 0
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert level_now in xml and "Mức đạt dự kiến sau kế hoạch: Mức 1 vì" in xml
