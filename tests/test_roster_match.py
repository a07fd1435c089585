"""Matching the plans of a roll-up to the list of schools: by code, by name, by a loose name."""

from __future__ import annotations

import pandas as pd
import pytest

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
