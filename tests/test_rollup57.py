"""The roll-up of Thông tư 57 plans (with 2018 plans beside them), against hand-counted figures.

The folder: the three TT57 examples (THCS, Mầm non, GDTX) and a copy of the
THCS example from another school whose compulsory criterion 1.3 is Không đạt
Mức 1, whose term I review is recorded, and where row 7 (ended 11/2026) says
Không thực hiện, row 10 says Chưa thực hiện and row 6 starts in 3/2027. At
February 2027 (term I review due, not yet the year-end one), counting the
examples' rows by hand (examples/sources/tt57-*.json, start and end month and
Mức độ thực hiện of each row; every example row starts in 9/2026 or 10/2026,
so a row with nothing written is Chưa ghi unless it is overdue):

    THCS       done 1 (row 1), in progress 2 (rows 2, 3), overdue 3 (rows 4, 7, 9: end
               1/2027, 11/2026, 1/2027), Chưa ghi 4 (rows 5, 6, 8, 10)
    THCS copy  done 1, in progress 2, overdue 2 (rows 4, 9), Không thực hiện 1 (row 7: not
               overdue), Chưa ghi 2 (rows 5, 8), Chưa bắt đầu 2 (row 6 starts 3/2027, row 10
               Chưa thực hiện ending 5/2027)
    Mầm non    overdue 5 (ends 12/2026 x2, 11/2026 x2, 1/2027), Chưa ghi 5
    GDTX       overdue 2 (ends 12/2026, 11/2026), Chưa ghi 6

Before this count had its own Không thực hiện and Chưa ghi, the 17 rows with nothing
written were "not started" while Tổng quan said 21 rows had no Mức độ thực hiện.
"""

from __future__ import annotations

import copy

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, example_specs
from sheetkit.cli import main
from sheetkit.merging import tt57
from sheetkit.merging.rollup import merge
from sheetkit.model import contract
from sheetkit.writing.summary import write_summary, write_tables
from sheetkit.writing.templates import build_template

SPECS = {s["template"]: s for s in example_specs("tt57")}
FEBRUARY_2027 = 2027 * 12 + 1
COPY_NAME = "Trường THCS Hoa Thành Hai"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xa")
    for name in ("thcs", "mam-non", "gdtx"):
        build_template(name, folder / f"{name}.xlsx", SPECS[name])
    other = copy.deepcopy(SPECS["thcs"])
    other["info"]["school_name"] = COPY_NAME
    other["assessment"]["1.3"]["current"] = "Không đạt Mức 1"
    other["reviews"][0].update(
        date="15/01/2027",
        content="Rà soát 10 việc",
        result="1 việc hoàn thành, 2 việc đang thực hiện",
        reviewer="Hiệu trưởng",
    )
    other["items"][6]["progress"] = "Không thực hiện"
    other["items"][9]["progress"] = "Chưa thực hiện"
    other["items"][5]["start"] = "3/2027"
    build_template("thcs", folder / "thcs-2.xlsx", other)
    return folder


@pytest.fixture(scope="module")
def rollup(folder):
    return merge([folder], at=FEBRUARY_2027)


def _school(rollup, name):
    schools = rollup.tt57.schools
    return schools[schools["school_name"] == name].iloc[0]


def test_levels_and_compulsory_criteria(rollup):
    schools = rollup.tt57.schools
    assert len(schools) == 4 and len(rollup.schools) == 4
    assert sorted(schools["level_now_label"]) == ["Không đạt Mức 1", "Mức 1", "Mức 1", "Mức 1"]
    assert list(schools["level_after_label"]) == ["Mức 1"] * 4
    copy_row = _school(rollup, COPY_NAME)
    assert copy_row["compulsory_below"] == "1.3" and copy_row["level_now"] == 0
    # After its plan (1.3, 2.2, 3.2, 4.1 to Mức 2): compulsory 1.4 and 4.2 are still at Mức 1,
    # and of the seven others only 1.2 and 4.3 are at Mức 2.
    assert copy_row["gap_after"] == (
        "Để đạt Mức 2 còn cần: tiêu chí bắt buộc 1.4, 4.2 đạt Mức 2; "
        "thêm 3 tiêu chí không bắt buộc đạt Mức 2."
    )
    assert tt57.compulsory_gaps(rollup.tt57) == [("1.3", 1)]
    assert tt57.level_counts(rollup.tt57) == [
        ("Không đạt Mức 1", 1, 0),
        ("Mức 1", 3, 4),
        ("Mức 2", 0, 0),
    ]


def test_progress_at_the_month_asked(rollup):
    counts = {
        name: tuple(_school(rollup, name)[k] for k in tt57.STATES)
        for name in rollup.tt57.schools["school_name"]
    }
    # done, in progress, overdue, Không thực hiện, Chưa ghi, Chưa bắt đầu
    assert counts == {
        "Trường THCS Hoa Thành": (1, 2, 3, 0, 4, 0),
        COPY_NAME: (1, 2, 2, 1, 2, 2),
        "Trường Mầm non Sen Hồng": (0, 0, 5, 0, 5, 0),
        "Trung tâm GDNN-GDTX Thọ Xuân": (0, 0, 2, 0, 6, 0),
    }
    assert tt57.progress_counts(rollup.tt57) == [
        ("Hoàn thành", 2),
        ("Đang thực hiện", 4),
        ("Quá hạn", 12),
        ("Không thực hiện", 1),
        ("Chưa ghi", 17),
        ("Chưa bắt đầu", 2),
    ]
    assert _school(rollup, "Trường THCS Hoa Thành")["done_share"] == pytest.approx(0.1)
    # The term I review (January 2027) has come: recorded by the copy only.
    schools = rollup.tt57.schools
    missing = dict(zip(schools["school_name"], schools["reviews_missing"], strict=True))
    assert missing[COPY_NAME] == ""
    assert {v for k, v in missing.items() if k != COPY_NAME} == {"Cuối học kỳ I"}


def test_the_month_moves_the_states(folder):
    """In December 2026 no review is due yet, and only the rows ending in November are late."""
    december = merge([folder], at=2026 * 12 + 11).tt57
    assert (december.schools["reviews_due"] == "").all()
    # The rows ending 11/2026: THCS 1, Mầm non 2, GDTX 1 (the copy's says Không thực hiện).
    assert dict(tt57.progress_counts(december))["Quá hạn"] == 4


def test_priority_issues_by_standard(rollup):
    issues = rollup.tt57.issues
    assert len(issues) == 18
    assert tt57.issues_by_standard(rollup.tt57) == [
        ("Tiêu chuẩn 1", 4, "Quản trị nhà trường và bảo đảm chất lượng"),
        ("Tiêu chuẩn 2", 3, "Phát triển đội ngũ"),
        # Mầm non, phổ thông and GDTX name standard 3 differently: the words they share.
        ("Tiêu chuẩn 3", 7, "Thực hiện chương trình, đổi mới phương pháp giáo dục và phát triển…"),
        ("Tiêu chuẩn 4", 4, "Điều kiện giáo dục, môi trường an toàn và phối hợp xã hội"),
    ]
    first = issues[(issues["school_name"] == "Trường THCS Hoa Thành") & (issues["tt"] == 2)].iloc[0]
    assert (first["items"], first["done"], first["overdue"]) == (2, 0, 1)


def test_criteria_table_per_appendix(rollup):
    table = tt57.criteria_table(rollup.tt57, rollup.levels)
    row = table[(table["circular"] == "tt57-2026-pho-thong") & (table["criterion"] == "1.3")].iloc[
        0
    ]
    assert row["compulsory"] == "Bắt buộc" and row["schools"] == 2
    assert (row["current_0"], row["current_1"], row["current_2"]) == (1, 1, 0)
    assert (row["target_2"], row["issue_schools"], row["planning"], row["items"]) == (2, 2, 2, 4)
    mam_non = table[table["circular"] == "tt57-2026-mam-non"]
    assert len(mam_non) == 15 and mam_non["schools"].eq(1).all()


def test_places_and_managing_bodies_to_group_by(rollup):
    schools = rollup.tt57.schools.set_index("school_name")
    assert schools.at["Trường THCS Hoa Thành", "managing_body"] == "UBND xã Yên Thành"
    assert schools.at["Trường Mầm non Sen Hồng", "managing_body"] == "UBND phường Bến Thành"
    assert schools.at["Trung tâm GDNN-GDTX Thọ Xuân", "managing_body"] == "Sở GDĐT Thanh Hóa"
    # Sorted by province, commune, managing body, then name.
    provinces = list(rollup.tt57.schools["province"])
    assert provinces == sorted(provinces, key=lambda p: p.casefold())


# ----------------------------------------------------------------- the workbook


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_tt57_only_workbook_has_its_own_sheets(rollup, tmp_path):
    wb = load_workbook(write_summary(rollup, tmp_path / "tong-hop.xlsx"))
    assert wb.sheetnames == [
        "Tổng quan",
        "Theo trường",
        "TT57 Mức đạt và tiến độ",
        "TT57 Theo tiêu chí",
        "TT57 Vấn đề trọng tâm",
        "TT57 Chi tiết kế hoạch",
        "Ma trận",
        "Lỗi",
    ]
    figures = {r[0]: r[1] for r in _rows(wb["Tổng quan"])[:40] if r[0]}
    assert figures["Số trường lập kế hoạch theo Thông tư 57"] == 4
    assert figures["    Chưa đạt Mức 1"] == 1
    assert figures["Trường có tiêu chí bắt buộc chưa đạt Mức 1"] == 1
    # The six states part the 38 rows (no "not started" beside a larger "no status").
    states = {
        "    Hoàn thành (tháng 2/2027)": 2,
        "    Đang thực hiện (tháng 2/2027)": 4,
        "    Quá hạn (tháng 2/2027)": 12,
        "    Không thực hiện (tháng 2/2027)": 1,
        "    Chưa ghi: đã đến tháng bắt đầu mà chưa ghi mức độ thực hiện (tháng 2/2027)": 17,
        "    Chưa bắt đầu: chưa đến tháng bắt đầu, hoặc ghi Chưa thực hiện (tháng 2/2027)": 2,
    }
    assert {k: figures[k] for k in states} == states
    assert sum(states.values()) == figures["Số việc trong kế hoạch (Thông tư 57)"] == 38
    assert not [k for k in figures if "chưa ghi mức độ" in k and k not in states]
    assert figures["Trường chưa ghi kết quả rà soát đã đến hạn (tháng 2/2027)"] == 3
    assert (
        "THÔNG TƯ 17, 18, 19/2018/TT-BGDĐT (xem các trang tính có tên bắt đầu bằng TT2018)"
        not in figures
    )
    sheet = wb["TT57 Mức đạt và tiến độ"]
    header, *body = _rows(sheet)
    body = [r for r in body if r[3]]  # (the note under the table has no school)
    assert header[:4] == ("Tỉnh/thành phố", "Xã/phường/đặc khu", "Cơ quan quản lý", "Tên trường")
    assert len(body) == 4 and sheet.auto_filter.ref.startswith("A1:")
    scales = [r.type for rules in sheet.conditional_formatting for r in rules.rules]
    assert "colorScale" in scales
    items = wb["TT57 Chi tiết kế hoạch"]
    header, *body = _rows(items)
    assert "Tình trạng" in header and len([r for r in body if r[3]]) == 38
    state = header.index("Tình trạng")
    assert sorted({r[state] for r in body if r[3]}) == sorted(tt57.STATE_LABELS.values())


def test_mixed_workbook_says_which_regulation_each_part_covers(folder, tmp_path, capsys):
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for path in folder.iterdir():
        (mixed / path.name).write_bytes(path.read_bytes())
    older = sorted(EXAMPLES.glob("ke-hoach-thcs-hoang-van-thu-2024-2025.xlsx"))[0]
    (mixed / older.name).write_bytes(older.read_bytes())
    out = tmp_path / "tong-hop.xlsx"
    assert (
        main(
            ["merge", str(mixed), "-o", str(out), "--at", "2027-02", "--csv", str(tmp_path / "csv")]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == [
        s for s in contract.SUMMARY_SHEETS if s not in contract.OPTIONAL_SUMMARY_SHEETS
    ]
    labels = [r[0] for r in _rows(wb["Tổng quan"]) if r[0]]
    assert "THÔNG TƯ 57/2026/TT-BGDĐT (xem các trang tính có tên bắt đầu bằng TT57)" in labels
    assert (
        "THÔNG TƯ 17, 18, 19/2018/TT-BGDĐT (xem các trang tính có tên bắt đầu bằng TT2018)"
        in labels
    )
    regulation = {r[1]: r[4] for r in _rows(wb["Theo trường"])[1:] if r[1]}
    assert regulation["Trường THCS Hoa Thành"] == "TT 57/2026"
    assert set(regulation.values()) == {"TT 57/2026", "TT 18/2018"}
    older_items = {r[0] for r in _rows(wb["TT2018 Chi tiết kế hoạch"])[1:]}
    assert older_items == {"Trường THCS Hoàng Văn Thụ"}
    csv = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert {"tt57-schools.csv", "tt57-items.csv", "tt57-issues.csv", "tt57-criteria.csv"} <= set(
        csv
    )


def test_tables_for_analysts_hold_the_tt57_rows(rollup, tmp_path):
    import pandas as pd

    write_tables(rollup, tmp_path)
    items = pd.read_csv(tmp_path / "tt57-items.csv")
    assert len(items) == 38 and set(items["state"]) == set(tt57.STATE_LABELS.values())
    assert len(pd.read_csv(tmp_path / "items.csv")) == 0  # the 2018 table: no 2018 plan here


def test_school_text_in_tt57_sheets_and_tables_stays_text(tmp_path):
    """A formula typed by a school is text in every TT57 sheet and neutralised in the CSV."""
    import pandas as pd

    hostile = copy.deepcopy(SPECS["thcs"])
    hostile["info"]["school_name"] = '=HYPERLINK("http://x.invalid","Bấm")'
    hostile["issues"][0]["shortcoming"] = "=1+1"
    hostile["items"][0]["content"] = "@SUM(A1:A9)"
    folder = tmp_path / "in"
    folder.mkdir()
    build_template("thcs", folder / "a.xlsx", hostile)
    rollup = merge([folder], at=FEBRUARY_2027)
    wb = load_workbook(write_summary(rollup, tmp_path / "tong-hop.xlsx"))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = {c.value for c in cells}
    assert {'=HYPERLINK("http://x.invalid","Bấm")', "=1+1", "@SUM(A1:A9)"} <= texts
    write_tables(rollup, tmp_path / "csv")
    issues = pd.read_csv(tmp_path / "csv" / "tt57-issues.csv")
    items = pd.read_csv(tmp_path / "csv" / "tt57-items.csv")
    assert issues["school_name"].iloc[0] == '\'=HYPERLINK("http://x.invalid","Bấm")'
    assert "'=1+1" in set(issues["shortcoming"]) and "'@SUM(A1:A9)" in set(items["content"])


def test_matrix_colours_follow_each_circulars_top_level(rollup, tmp_path):
    """Green is the top level of the plan's own circular (Mức 2 under TT57), as the legend says;
    formulas, since Excel counts an empty cell (not assessed) as 0 in a "cell value" rule."""
    wb = load_workbook(write_summary(rollup, tmp_path / "tong-hop.xlsx"))
    ws = wb["Ma trận"]
    rules = [
        (rule.formula[0], rule.dxf.fill.bgColor.rgb)
        for ranges in ws.conditional_formatting
        for rule in ranges.rules
    ]
    assert rules and len(rules) % 3 == 0  # three rules per block (one block per appendix)
    for n in range(0, len(rules), 3):
        (none, red), (mid, yellow), (top, green) = rules[n : n + 3]
        assert none.endswith("=0)") and "ISNUMBER(" in none and red.endswith("F8696B")
        assert mid.endswith("<2))") and yellow.endswith("FFEB84")
        assert top.endswith("=2)") and green.endswith("63BE7B")
    assert (
        "xanh = mức cao nhất (Mức 3 theo Thông tư 2018, Mức 2 theo Thông tư 57)" in ws["A2"].value
    )


def test_overdue_is_red_on_the_issue_and_row_sheets_too(rollup, tmp_path):
    """Quá hạn stands out wherever it is counted or stated, as on the schools' sheet."""
    wb = load_workbook(write_summary(rollup, tmp_path / "tong-hop.xlsx"))
    for sheet, header, formula in (
        ("TT57 Vấn đề trọng tâm", "Quá hạn", ["0"]),
        ("TT57 Chi tiết kế hoạch", "Tình trạng", ['"Quá hạn"']),
    ):
        ws = wb[sheet]
        col = next(c.column_letter for c in ws[1] if c.value == header)
        rules = {
            str(ranges.sqref): [rule.formula for rule in ranges.rules]
            for ranges in ws.conditional_formatting
        }
        assert any(ref.startswith(col) and formula in f for ref, f in rules.items()), rules


def test_count_charts_have_whole_number_axes_from_zero(rollup, tmp_path):
    """A count is never 0.5: every chart's value axis starts at 0, steps by a whole number
    and shows whole numbers (read from the chart XML of the written workbook)."""
    import re
    import zipfile

    path = write_summary(rollup, tmp_path / "tong-hop.xlsx")
    with zipfile.ZipFile(path) as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/")]
    assert len(charts) == 4  # levels, compulsory criteria, progress, issues by standard
    for xml in charts:
        axis = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
        assert '<c:min val="0"/>' in axis
        assert int(re.search(r'<c:majorUnit val="(\d+)"/>', axis).group(1)) >= 1
        assert '<c:numFmt formatCode="0" sourceLinked="0"/>' in axis
    # The progress chart of 38 rows (at most 17 in a state) steps by 5.
    progress = next(x for x in charts if "Tiến độ các việc" in x)
    assert '<c:majorUnit val="5"/>' in progress


def test_the_schools_sheet_ends_with_a_cong_row(rollup, tmp_path):
    """TT57 Mức đạt và tiến độ: a Cộng row under the four schools sums each count column
    (the hand counts of the module docstring), outside the filter range."""
    wb = load_workbook(write_summary(rollup, tmp_path / "tong-hop.xlsx"))
    sheet = wb["TT57 Mức đạt và tiến độ"]
    header = [c.value for c in sheet[1]]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Cộng")
    got = dict(zip(header, total, strict=True))
    assert {k: got[k] for k in header[header.index("Số vấn đề trọng tâm") :][:8]} == {
        "Số vấn đề trọng tâm": 18,
        "Số việc": 38,
        "Hoàn thành": 2,
        "Đang thực hiện": 4,
        "Quá hạn": 12,
        "Không thực hiện": 1,
        "Chưa ghi": 17,
        "Chưa bắt đầu": 2,
    }
    assert got["Tỷ lệ hoàn thành"] == pytest.approx(2 / 38)
    assert got["Tên trường"] is None and got["Lỗi"] == sum(
        r[header.index("Lỗi")] for r in sheet.iter_rows(min_row=2, max_row=5, values_only=True)
    )
    assert sheet.auto_filter.ref.endswith("5")  # the four schools; Cộng stays last
    # Theo trường too: Số việc, Lỗi, Cảnh báo summed.
    schools = wb["Theo trường"]
    header = [c.value for c in schools[1]]
    total = next(r for r in schools.iter_rows(values_only=True) if r[0] == "Cộng")
    assert total[header.index("Số việc")] == 38


def test_a_plan_of_another_school_year_is_named_in_tong_quan_and_marked(folder, tmp_path):
    """One 2024-2025 plan among 2026-2027 ones; a five-year 2018 plan running to 2029 covers
    2026-2027 and is not marked."""
    mixed = tmp_path / "nam-hoc"
    mixed.mkdir()
    for path in folder.iterdir():
        (mixed / path.name).write_bytes(path.read_bytes())
    for name in (
        "ke-hoach-thcs-hoang-van-thu-2024-2025.xlsx",
        "ke-hoach-th-nguyen-thai-binh-2024-2029.xlsx",
    ):
        (mixed / name).write_bytes((EXAMPLES / name).read_bytes())
    out = tmp_path / "tong-hop.xlsx"
    assert main(["merge", str(mixed), "-o", str(out), "--at", "2027-02"]) == 0
    wb = load_workbook(out)
    overview = _rows(wb["Tổng quan"])
    scope = overview[1][0]
    assert "cơ quan quản lý" in scope and "Quận" not in scope
    line = next(r for r in overview if str(r[0]).startswith("Có "))
    assert line[:2] == (
        "Có 1 kế hoạch khác năm học 2026-2027 (năm học chiếm đa số): Trường THCS Hoàng Văn Thụ "
        "(2024-2025) (tô vàng ở cột Năm học, trang Theo trường)",
        1,
    )
    ws = wb["Theo trường"]
    header = [c.value for c in ws[1]]
    name_col, year_col = header.index("Tên trường"), header.index("Năm học")
    years = {
        row[name_col].value: row[year_col] for row in ws.iter_rows(min_row=2) if row[name_col].value
    }
    marked = years["Trường THCS Hoàng Văn Thụ"]
    assert marked.value == "2024-2025\n(khác năm học 2026-2027)"
    assert marked.fill.fgColor.rgb == "FFFFEB9C"
    assert years["Trường Tiểu học Nguyễn Thái Bình"].value == "2024-2025"  # runs to 2028-2029
    assert years["Trường THCS Hoa Thành"].value == "2026-2027"
    assert years["Trường THCS Hoa Thành"].fill.fgColor.rgb != "FFFFEB9C"
