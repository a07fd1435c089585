"""Matching the plans of a roll-up to the list of schools: by code, by name, by a loose name."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sheetkit.jobs import merge_paths
from sheetkit.merging.roster_match import (
    BY_CODE,
    BY_LOOSE_NAME,
    BY_NAME,
    HANDED_IN,
    MISSING,
    OTHER_YEAR,
    WITH_ERRORS,
    loose_key,
    match_roster,
)
from sheetkit.model.roster import ReportingBody, Roster, RosterSchool

WARD = "Phường Bình Thạnh"


def listed(row: int, name: str, code: str | None = None, commune: str = WARD) -> RosterSchool:
    return RosterSchool(row=row, code=code, name=name, school_level="Tiểu học", commune=commune)


def plan(school_id: int, name: str, code: str = "", commune: str = WARD, **extra) -> dict:
    return {
        "school_id": school_id,
        "school_name": name,
        "school_code": code,
        "commune": commune,
        "district": "",
        "school_year": "2026-2027",
        "errors": 0,
        "file": f"ke-hoach-{school_id}.xlsx",
        **extra,
    }


ROSTER = Roster(
    source="danh-sach.xlsx",
    schools=[
        listed(5, "Trường Tiểu học Kim Đồng", "790001"),
        listed(6, "Trường Mầm non Hoa Sen"),
        listed(7, "Trường THCS Lê Văn Tám"),
        listed(8, "Trường Tiểu học Nguyễn Du", "790004"),
        listed(9, "Trường Mầm non Sơn Ca"),
        listed(10, "Trường Tiểu học Hòa Bình"),
        listed(11, "Trường THCS Chu Văn An", "790007"),
    ],
    body=ReportingBody(name="UBND phường Bình Thạnh"),
)


@pytest.fixture
def matched():
    schools = pd.DataFrame(
        [
            plan(0, "Trường TH Kim Đồng (cơ sở 1)", "790001"),  # code; the name differs
            plan(1, "trường mầm non  HOA SEN"),  # exact name, other case and spaces
            plan(2, "THCS Lê Văn Tám"),  # loose: abbreviation
            plan(3, "Trường Mầm non Sơn Ca", errors=3),  # with errors
            plan(4, "Trường Tiểu học Hòa Bình", school_year="2025-2026"),  # another year
            plan(5, "Trường Tiểu học Hòa Bình", commune="Phường Gia Định"),  # another ward
            plan(6, "Trường THCS Chu Văn Ann", "790099"),  # code not listed: unlisted
        ]
    )
    return match_roster(ROSTER, schools)


def test_each_listed_school_has_its_state(matched):
    table = matched.roster.set_index("row")
    assert table["state"].to_dict() == {
        5: HANDED_IN,
        6: HANDED_IN,
        7: HANDED_IN,
        8: MISSING,
        9: WITH_ERRORS,
        10: OTHER_YEAR,
        11: MISSING,
    }
    assert table["matched_by"].to_dict() == {
        5: BY_CODE,
        6: BY_NAME,
        7: BY_LOOSE_NAME,
        8: "",
        9: BY_NAME,
        10: BY_NAME,
        11: "",
    }
    assert table.loc[5, "note"] == "tên trong kế hoạch khác danh sách: Trường TH Kim Đồng (cơ sở 1)"
    assert table.loc[7, "note"] == "tên trong kế hoạch khác danh sách: THCS Lê Văn Tám"
    assert table.loc[10, "note"] == "kế hoạch năm học 2025-2026"
    assert table.loc[9, "errors"] == 3
    assert table.loc[6, "file"] == "ke-hoach-1.xlsx"


def test_plans_of_schools_not_listed_are_apart(matched):
    assert matched.unlisted["school_id"].tolist() == [5, 6]


def test_headline_counts_and_names_the_missing(matched):
    assert matched.school_year == "2026-2027"
    assert matched.handed_in == 4
    assert matched.headline() == (
        "4/7 trường đã nộp kế hoạch năm học 2026-2027; 2 chưa nộp: Trường Tiểu học Nguyễn Du, "
        "Trường THCS Chu Văn An; 1 nộp bản năm học khác; 2 kế hoạch của trường không có trong "
        "danh sách"
    )


def test_a_plan_matches_one_school_only():
    twice = Roster(
        "x", [listed(5, "Trường Tiểu học Kim Đồng"), listed(6, "Trường TH Kim Đồng")], None
    )
    result = match_roster(twice, pd.DataFrame([plan(0, "Trường Tiểu học Kim Đồng")]))
    assert result.roster["state"].tolist() == [HANDED_IN, MISSING]


def test_a_loose_name_needs_one_candidate():
    """Two listed schools equally close: no guess; the plan is listed apart."""
    two = Roster(
        "x",
        [listed(5, "Trường Tiểu học Kim Đồng A"), listed(6, "Trường Tiểu học Kim Đồng B")],
        None,
    )
    result = match_roster(two, pd.DataFrame([plan(0, "Trường Tiểu học Kim Đồng")]))
    assert result.roster["state"].tolist() == [MISSING, MISSING]
    assert len(result.unlisted) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Trường Tiểu học Kim Đồng", "TH Kim Đồng"),
        ("Trường Trung học cơ sở Lê Văn Tám", "THCS Lê Văn Tám"),
        ("Trường Mầm non Hoa Sen", "trường MN hoa sen"),
        (
            "Trung tâm GDNN-GDTX Thọ Xuân",
            "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Thọ Xuân",
        ),
    ],
)
def test_loose_names(a, b):
    assert loose_key(a) == loose_key(b)


# ----------------------------------------------------------------- merge --roster on the examples

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def area(area_with_list):
    return area_with_list


def test_the_example_list_finds_the_two_missing_and_the_extra_school(area):
    rollup, _ = area
    match = rollup.roster
    # 41 listed: the 39 schools that sent a plan but Họa Mi, and 2 that sent none.
    assert len(match.roster) == 41
    missing = match.roster[match.roster["state"] == MISSING]["school_name"].tolist()
    assert missing == ["Trường Tiểu học Phú Thuận", "Trường Mầm non Bình Minh"]
    assert match.unlisted["school_name"].tolist() == ["Trường Tiểu học Họa Mi"]
    # The 2018 plans for 2024-2025 alone are another year's; a five-year plan to 2028-2029
    # covers 2026-2027 and counts as handed in.
    schools = rollup.schools.set_index("school_name")
    one_year_2018 = {
        name
        for name, year, end in zip(
            schools.index, schools["school_year"], schools["end_year"], strict=True
        )
        if year == "2024-2025" and not end
    }
    other = set(match.roster[match.roster["state"] == OTHER_YEAR]["school_name"])
    assert other == one_year_2018 and len(other) == 8
    with_errors = match.roster[match.roster["state"] == WITH_ERRORS]
    assert (with_errors["errors"] > 0).all()
    by = match.roster.set_index("school_name")["matched_by"]
    assert by["Trường Tiểu học Kim Đồng"] == BY_NAME  # listed without its code
    assert by["THCS Nguyễn Du"] == BY_LOOSE_NAME  # listed by a shorter name
    assert match.roster.set_index("school_name").loc["THCS Nguyễn Du", "note"] == (
        "tên trong kế hoạch khác danh sách: Trường THCS Nguyễn Du"
    )


def test_overview_sheet_and_table_say_the_same(area):
    rollup, out = area
    match = rollup.roster
    wb = openpyxl.load_workbook(out / "tong-hop.xlsx", read_only=True)
    assert wb.sheetnames[:2] == ["Tổng quan", "Tình hình nộp"]
    overview = [row for row in wb["Tổng quan"].iter_rows(values_only=True)]
    assert overview[3][0] == (
        f"{match.handed_in}/41 trường đã nộp kế hoạch năm học 2026-2027; 2 chưa nộp: Trường "
        "Tiểu học Phú Thuận, Trường Mầm non Bình Minh; 8 nộp bản năm học khác; 1 kế hoạch của "
        "trường không có trong danh sách."
    )
    figures = {row[0]: row[1] for row in overview if row and row[0]}
    assert figures["Số trường trong danh sách"] == 41
    sheet = [row for row in wb["Tình hình nộp"].iter_rows(min_row=2, values_only=True) if row[2]]
    states = Counter(row[5] for row in sheet)
    csv_rows = list(
        csv.DictReader(io.StringIO((out / "csv" / "roster.csv").read_text("utf-8-sig")))
    )
    assert Counter(r["state"] for r in csv_rows) == states
    for state in (HANDED_IN, WITH_ERRORS, OTHER_YEAR, MISSING):
        assert figures[f"    {state}"] == states[state] == match.count(state)
    assert (
        states["Không có trong danh sách"]
        == figures["Kế hoạch của trường không có trong danh sách"]
        == 1
    )
    assert match.handed_in == states[HANDED_IN] + states[WITH_ERRORS] == 31


def test_missing_schools_have_a_grey_row_in_theo_truong(area):
    _, out = area
    wb = openpyxl.load_workbook(out / "tong-hop.xlsx")
    ws = wb["Theo trường"]
    header = [c.value for c in ws[1]]
    status = header.index("Tình trạng") + 1
    name = header.index("Tên trường") + 1
    missing = [r for r in range(2, ws.max_row + 1) if ws.cell(r, status).value == MISSING]
    assert [ws.cell(r, name).value for r in missing] == [
        "Trường Tiểu học Phú Thuận",
        "Trường Mầm non Bình Minh",
    ]
    assert ws.cell(missing[0], status).fill.fgColor.rgb.endswith("D9D9D9")


def test_without_roster_merge_is_as_before(tmp_path):
    rollup = merge_paths(
        [EXAMPLES / "quan-mau"], tmp_path / "t.xlsx", tables={"csv": tmp_path / "c"}
    )
    assert rollup.roster is None
    assert not (tmp_path / "c" / "roster.csv").exists()
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx", read_only=True)
    assert "Tình hình nộp" not in wb.sheetnames


def test_merge_roster_command_line(tmp_path, capsys):
    from sheetkit.cli import main

    code = main(
        [
            "merge",
            str(EXAMPLES / "quan-mau"),
            "--roster",
            str(EXAMPLES / "danh-sach-quan-mau.xlsx"),
            "-o",
            str(tmp_path / "t.xlsx"),
            "--quiet",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "2 chưa nộp: Trường Tiểu học Phú Thuận, Trường Mầm non Bình Minh" in out
    assert (
        main(
            [
                "merge",
                str(EXAMPLES / "quan-mau"),
                "--roster",
                str(tmp_path / "no.xlsx"),
                "-o",
                str(tmp_path / "u.xlsx"),
            ]
        )
        == 2
    )
    assert "no.xlsx" in capsys.readouterr().err
    assert not (tmp_path / "u.xlsx").exists()


def test_a_list_left_among_the_plans_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    for name in ("ke-hoach-thcs-hoa-thanh-2026-2027.xlsx", "danh-sach-quan-mau.xlsx"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    rollup = merge_paths([folder], tmp_path / "t.xlsx")
    files = rollup.files.set_index(rollup.files["file"].map(lambda f: Path(f).name))
    assert files.loc["danh-sach-quan-mau.xlsx", "status"] == "skipped"
    assert files.loc["danh-sach-quan-mau.xlsx", "reason"] == (
        "Danh sách trường của cơ quan quản lý (không phải kế hoạch): đã bỏ qua. Dùng danh sách "
        "với tùy chọn --roster để biết trường nào chưa nộp."
    )
    assert len(rollup.schools) == 1


def test_missing_schools_have_a_grey_row_on_the_tt57_sheet(area):
    _, out = area
    ws = openpyxl.load_workbook(out / "tong-hop.xlsx")["TT57 Mức đạt và tiến độ"]
    header = [c.value for c in ws[1]]
    level, name = header.index("Mức đạt hiện tại") + 1, header.index("Tên trường") + 1
    missing = [r for r in range(2, ws.max_row + 1) if ws.cell(r, level).value == MISSING]
    assert [ws.cell(r, name).value for r in missing] == [
        "Trường Tiểu học Phú Thuận",
        "Trường Mầm non Bình Minh",
    ]
    assert ws.cell(missing[0], level).fill.fgColor.rgb.endswith("D9D9D9")
    total = next(r for r in ws.iter_rows(values_only=True) if "Cộng" in r)
    assert total[header.index("Số việc")] == int(area[0].tt57.schools["items"].sum())


def test_the_headline_names_ten_missing_schools_and_counts_the_rest():
    many = Roster(
        "x", [listed(5 + n, f"Trường Tiểu học Số {n}", f"79{n:04d}") for n in range(13)], None
    )
    result = match_roster(many, pd.DataFrame([plan(0, "Trường Tiểu học Số 0", "790000")]))
    names = ", ".join(f"Trường Tiểu học Số {n}" for n in range(1, 11))
    assert result.headline() == (
        f"1/13 trường đã nộp kế hoạch năm học 2026-2027; 12 chưa nộp: {names} và 2 trường khác "
        "(xem trang Tình hình nộp)"
    )


def test_tong_quan_names_the_round(area):
    _, out = area
    rows = list(
        openpyxl.load_workbook(out / "tong-hop.xlsx", read_only=True)["Tổng quan"].iter_rows(
            values_only=True
        )
    )
    assert rows[2][0].endswith(" Kỳ tổng hợp: Rà soát cuối học kỳ I, năm học 2026-2027.")


@pytest.mark.parametrize(
    ("month", "label"),
    [
        (None, "Kế hoạch năm học 2026-2027"),
        ((2026, 10), "Kế hoạch năm học 2026-2027"),
        ((2027, 1), "Rà soát cuối học kỳ I, năm học 2026-2027"),
        ((2027, 3), "Kế hoạch năm học 2026-2027 (tiến độ đến tháng 3/2027)"),
        ((2027, 6), "Rà soát cuối năm học 2026-2027"),
    ],
)
def test_round_label(month, label):
    from sheetkit.merging.years import round_label
    from sheetkit.reading.parsing import month_index

    assert round_label("2026-2027", month_index(*month) if month else None) == label
