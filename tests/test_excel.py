"""The Excel buttons' Python side, run against an in-memory stand-in for xlwings.

Each entry point must give what the command line gives for the same plan
(same findings, same Bản kế hoạch, same summary), read edits that are not
saved yet, and clean up after itself when pressed again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import xlwings_fake as fake
from conftest import EXAMPLES, legacy_template
from sheetkit import excel
from sheetkit.checking.validation import check_plan
from sheetkit.excel import buttons
from sheetkit.excel.macros import FOLDER_NAME, STATUS_NAME
from sheetkit.merging.rollup import merge
from sheetkit.model.contract import OPTIONAL_SUMMARY_SHEETS, SUMMARY_SHEETS
from sheetkit.reading.reader import read_plan
from sheetkit.writing.printed import render_plan, render_xlsx
from sheetkit.writing.summary import write_summary
from sheetkit.writing.templates import build_template

# The district button merges without a list of schools or a report: no sheets of theirs.
SHEETS = [s for s in SUMMARY_SHEETS if s not in OPTIONAL_SUMMARY_SHEETS]
PLAN_SHEETS = ["Hướng dẫn", "Thông tin", "Tự đánh giá", "Kế hoạch", "DanhSach", "xlwings.conf"]


@pytest.fixture
def open_plan(tmp_path):
    """A filled .xlsm plan opened in the stand-in Excel."""

    def _open(data: dict, answers=None) -> fake.Book:
        path = legacy_template("tieu-hoc", tmp_path / "ke-hoach.xlsm", data)
        return fake.Book.from_file(path, fake.App(answers))

    return _open


def spoil(plan: dict) -> dict:
    plan["items"][0]["budget"] = "khoảng năm triệu"  # error at M5
    plan["items"][1]["lead"] = None  # error at I6
    return plan


def report_rows(book: fake.Book) -> list[list]:
    return book.sheets["Kết quả kiểm tra"].values()[5:]


def test_check_lists_marks_and_tells(open_plan, good_plan, tmp_path):
    book = open_plan(spoil(good_plan))
    findings = excel.check(book)

    expected = check_plan(read_plan(legacy_template("tieu-hoc", tmp_path / "f.xlsx", good_plan)))
    assert [(f.sheet, f.cell, f.message) for f in findings] == [
        (f.sheet, f.cell, f.message) for f in expected
    ]
    assert [s.name for s in book.sheets] == ["Kết quả kiểm tra", *PLAN_SHEETS]
    assert book.active.name == "Kết quả kiểm tra"
    rows = report_rows(book)
    assert [(r[1], r[2], r[7]) for r in rows] == [(f.sheet, f.cell, f.message) for f in expected]
    report = book.sheets["Kết quả kiểm tra"]
    m5 = next(i for i, r in enumerate(rows) if r[2] == "M5")
    assert report.links[(6 + m5, 3)].endswith("'Kế hoạch'!M5")  # a click goes to the cell

    plan = book.sheets["Kế hoạch"]
    assert plan["M5"].color == excel.MARK_COLORS["error"]
    assert "kinh phí" in plan["M5"].note.text
    assert plan["I6"].note.text.startswith("Lỗi:")
    assert plan["M5"].value == "khoảng năm triệu"  # what the school typed is untouched

    (message,) = book.app.alerts
    assert message["prompt"].startswith("Đã kiểm tra kế hoạch: 2 lỗi")
    assert book.app.screen_updating and book.app.status_bar is False  # given back to Excel
    assert all(b.closed for b in book.app.books.opened)


def test_check_reads_unsaved_edits_and_clears_old_marks(open_plan, good_plan):
    book = open_plan(spoil(good_plan))
    plan = book.sheets["Kế hoạch"]
    plan["A1"].color = (0, 176, 80)  # the school's own colour and note stay
    plan["A1"].add_note("ghi chú của trường")
    excel.check(book)
    plan["M5"].value = "5 triệu"  # fixed in Excel, not saved
    plan["I6"].value = "Phó hiệu trưởng"

    findings = excel.check(book)

    assert findings == []
    assert [s.name for s in book.sheets].count("Kết quả kiểm tra") == 1
    assert report_rows(book) == []
    for ref in ("M5", "I6"):
        assert plan[ref].color is None and plan[ref].note is None
    assert plan["A1"].color == (0, 176, 80) and plan["A1"].note.text == "ghi chú của trường"
    assert book.app.alerts[-1]["prompt"].startswith("Đã kiểm tra kế hoạch: 0 lỗi")
    assert "Tạo bản kế hoạch" in book.app.alerts[-1]["prompt"]


def test_check_keeps_a_note_the_school_wrote(open_plan, good_plan):
    book = open_plan(spoil(good_plan))
    book.sheets["Kế hoạch"]["M5"].add_note("Kế toán sẽ ghi số tiền sau")
    excel.check(book)
    cell = book.sheets["Kế hoạch"]["M5"]
    assert cell.note.text == "Kế toán sẽ ghi số tiền sau"
    assert cell.color == excel.MARK_COLORS["error"]


def test_render_adds_the_plan_sheet_the_cli_would_write(open_plan, good_plan, tmp_path):
    book = open_plan(good_plan)
    excel.render(book)

    names = [s.name for s in book.sheets]
    assert names == [*PLAN_SHEETS[:4], "Bản kế hoạch", *PLAN_SHEETS[4:]]
    assert book.active.name == "Bản kế hoạch"
    source = legacy_template("tieu-hoc", tmp_path / "f.xlsx", good_plan)
    cli = render_xlsx(source, render_plan(read_plan(source)), tmp_path / "out.xlsx")
    expected = fake.Book.from_file(cli).sheets["Bản kế hoạch"]
    assert book.sheets["Bản kế hoạch"].cells == expected.cells
    assert "Đã tạo bản kế hoạch" in book.app.alerts[-1]["prompt"]

    excel.render(book)  # pressed again: replaced, not added
    assert [s.name for s in book.sheets].count("Bản kế hoạch") == 1


def test_render_with_errors_asks_before_a_draft(open_plan, good_plan):
    book = open_plan(spoil(good_plan), answers=["no"])
    excel.render(book)
    assert "Bản kế hoạch" not in [s.name for s in book.sheets]
    assert book.app.alerts[-1]["buttons"] == "yes_no"
    assert "còn 2 lỗi" in book.app.alerts[-1]["prompt"]

    book.app.answers = ["yes", "ok"]
    excel.render(book)
    sheet = book.sheets["Bản kế hoạch"]
    assert any("BẢN NHÁP" in str(v) for v in sheet.cells.values())
    assert "bản nháp" in book.app.alerts[-1]["prompt"]


def test_render_of_a_plan_too_large_says_why(open_plan, good_plan, monkeypatch):
    from sheetkit.writing import page

    monkeypatch.setattr(page, "MAX_ITEMS", 1)  # the good plan has more items than that
    book = open_plan(good_plan)
    excel.render(book)
    assert "Bản kế hoạch" not in [s.name for s in book.sheets]
    prompt = book.app.alerts[-1]["prompt"]
    assert "quá giới hạn của bản in: 1 việc" in prompt and "không mong đợi" not in prompt
    assert "tách thành nhiều kế hoạch nhỏ hơn" in prompt


@pytest.fixture
def district(tmp_path):
    path = build_template("tong-hop", tmp_path / "tong-hop.xlsm")
    return fake.Book.from_file(path, fake.App())


def test_merge_writes_the_summary_sheets_into_the_workbook(district, tmp_path):
    folder = EXAMPLES / "quan-mau"
    district.names[FOLDER_NAME].refers_to_range.value = str(folder)
    rollup = excel.merge(district)

    assert [s.name for s in district.sheets] == ["Tổng hợp", *SHEETS, "xlwings.conf"]
    assert district.active.name == "Tổng quan"
    cli = fake.Book.from_file(write_summary(merge([folder]), tmp_path / "cli.xlsx"))
    for name in SHEETS:
        assert district.sheets[name].cells == cli.sheets[name].cells, name
    status = district.names[STATUS_NAME].refers_to_range.value
    assert rollup.headline() in status and str(folder) in status
    assert district.app.alerts[-1]["prompt"] == f"Đã tổng hợp {rollup.headline()}."
    assert any("đã đọc" in s for s in district.app.status_history)

    excel.merge(district)  # pressed again: the sheets are replaced
    assert [s.name for s in district.sheets] == ["Tổng hợp", *SHEETS, "xlwings.conf"]


def test_merge_folder_relative_to_the_workbook(tmp_path):
    plans = tmp_path / "ke-hoach-cac-truong"
    plans.mkdir()
    for name in ("mn-an-khanh-2018.xlsx", "th-kim-dong-2026-2027.xlsx"):
        (plans / name).write_bytes((EXAMPLES / "quan-mau" / name).read_bytes())
    (plans / "hong.xlsx").write_bytes(b"not a workbook")
    book = fake.Book.from_file(build_template("tong-hop", tmp_path / "tong-hop.xlsm"), fake.App())
    book.names[FOLDER_NAME].refers_to_range.value = "ke-hoach-cac-truong"
    rollup = excel.merge(book)
    assert len(rollup.schools) == 2
    assert "1 tệp không đọc được" in book.app.alerts[-1]["prompt"]
    assert "trang Lỗi" in book.app.alerts[-1]["prompt"]
    problems = book.sheets["Lỗi"].values()
    assert any("hong.xlsx" in str(v) for row in problems for v in row)


def test_merge_skips_the_district_workbook_itself(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "mn-an-khanh-2018.xlsx").write_bytes(
        (EXAMPLES / "quan-mau" / "mn-an-khanh-2018.xlsx").read_bytes()
    )
    book = fake.Book.from_file(build_template("tong-hop", plans / "tong-hop.xlsm"), fake.App())
    book.names[FOLDER_NAME].refers_to_range.value = str(plans)
    rollup = excel.merge(book)
    assert list(rollup.files["status"]) == ["read"]


@pytest.mark.parametrize("typed", [None, "   ", "khong-co-thu-muc-nay"])
def test_merge_without_a_folder_says_what_to_do(district, typed):
    district.names[FOLDER_NAME].refers_to_range.value = typed
    assert excel.merge(district) is None
    assert [s.name for s in district.sheets] == ["Tổng hợp", "xlwings.conf"]
    prompt = district.app.alerts[-1]["prompt"]
    assert "Chọn thư mục" in prompt


def test_doctor_reports_what_is_ready(open_plan, good_plan, monkeypatch):
    book = open_plan(good_plan)
    monkeypatch.setitem(sys.modules, "xlwings", fake.XlwingsModule(book, excel.XLWINGS_VERSION))
    text = excel.doctor()  # no argument: the calling workbook, as from the button
    assert "Mọi thứ đã sẵn sàng" in text
    assert "Đọc được sổ này: 2 dòng kế hoạch, 27 tiêu chí" in text
    assert book.app.alerts[-1]["mode"] == "info"


def test_doctor_names_a_wrong_xlwings_version(district, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlwings", fake.XlwingsModule(district, "0.30.0"))
    text = excel.doctor(district)
    assert 'pip install "xlwings==0.37.8"' in text
    assert "Sổ tổng hợp" in text
    assert district.app.alerts[-1]["mode"] == "critical"


def test_doctor_on_a_workbook_that_is_not_a_plan(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "khac.xlsx"
    wb = Workbook()
    wb.active["A1"] = "bảng lương"
    wb.save(path)
    book = fake.Book.from_file(path, fake.App())
    text = excel.doctor(book)
    assert "thiếu trang" in text and "xlwings.conf" in text


def test_unexpected_errors_become_a_vietnamese_message(open_plan, good_plan, monkeypatch):
    book = open_plan(good_plan)

    def broken(_book):
        raise OSError("ổ đĩa đầy")

    monkeypatch.setattr(buttons, "check_live", broken)
    assert excel.check(book) is None
    (message,) = book.app.alerts
    assert message["mode"] == "critical"
    assert "Có lỗi không mong đợi" in message["prompt"] and "ổ đĩa đầy" in message["prompt"]
    assert book.app.screen_updating  # never left frozen


def test_live_grid_matches_the_file_reader(open_plan, good_plan):
    book = open_plan(good_plan)
    live = excel.check_live(book).plan
    saved = read_plan(book.fullname)
    assert live.item_records == saved.item_records
    assert live.assessment_records == saved.assessment_records
    assert {k: v.value for k, v in live.info.items()} == {k: v.value for k, v in saved.info.items()}


def test_the_plan_workbook_file_is_never_written(open_plan, good_plan):
    book = open_plan(spoil(good_plan))
    path = Path(book.fullname)
    before = path.read_bytes()
    excel.check(book)
    excel.render(book)
    assert path.read_bytes() == before
    assert load_workbook(book.fullname).sheetnames == PLAN_SHEETS


def test_review_marks_overdue_rows_and_reports_progress(tmp_path):
    import copy

    from conftest import example_specs

    data = copy.deepcopy(next(s for s in example_specs("tt57") if s["template"] == "thcs"))
    path = build_template("thcs", tmp_path / "ke-hoach.xlsm", data)
    book = fake.Book.from_file(path, fake.App())
    result = excel.review(book, at=2027 * 12 + 1)  # February 2027: term I review is due
    assert result.overall.total == len(data["items"]) and result.overall.counts["overdue"] >= 1
    rules = {row[1] for row in report_rows(book)}
    assert "Kế hoạch" in rules and "Theo dõi" in rules
    prompt = book.app.alerts[-1]["prompt"]
    assert prompt.startswith("Rà soát đến tháng 2/2027:") and "Quá hạn" in prompt
    overdue = next(r for r in result.rows if r["overdue"])
    row = 4 + overdue["item"]
    assert book.sheets["Kế hoạch"].range(f"M{row}").color == excel.MARK_COLORS["warning"]


def test_review_of_a_2018_plan_says_what_to_press(open_plan, good_plan):
    book = open_plan(good_plan)
    assert excel.review(book) is None
    assert "Kiểm tra kế hoạch" in book.app.alerts[-1]["prompt"]
