"""Thông tư 57/2026: templates, reading, every rule, the school's level and the live checks."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import EXAMPLES, example_specs, rules_of
from sheetkit.checking.tt57 import gap_text, school_level_of, school_level_summary
from sheetkit.checking.validation import check_plan
from sheetkit.cli import main
from sheetkit.model import catalog, contract
from sheetkit.reading.reader import plan_from_grids, read_plan
from sheetkit.validators.rules import RULES
from sheetkit.validators.school_level import school_level
from sheetkit.writing.template_tt57 import LIVE_CHECK_FILL
from sheetkit.writing.templates import build_template

HOLLOW = re.compile(r"\(\s*\)|:\s*\.|''|\bNone\b|\bnan\b|\d\.0\b")
SPECS = {s["template"]: s for s in example_specs("tt57")}


@pytest.fixture
def thcs() -> dict:
    """A clean TT57 plan (the THCS example) to spoil one way per test."""
    return copy.deepcopy(SPECS["thcs"])


@pytest.fixture
def build57(tmp_path):
    counter = iter(range(10_000))

    def _build(data: dict, template: str = "thcs", suffix: str = ".xlsx") -> Path:
        return build_template(template, tmp_path / f"plan-{next(counter)}{suffix}", data)

    return _build


@pytest.fixture
def findings57(build57):
    return lambda data, template="thcs": check_plan(read_plan(build57(data, template)))


# ----------------------------------------------------------------- templates and reading


@pytest.mark.parametrize("name", list(catalog.TT57_TEMPLATES))
def test_tt57_template_sheets_and_contract(name, tmp_path):
    path = build_template(name, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Hướng dẫn",
        "Thông tin",
        "Tự đánh giá",
        "Vấn đề trọng tâm",
        "Kế hoạch",
        "Theo dõi",
        "DanhSach",
    ]
    info = {
        wb["Thông tin"].cell(r, 1).value: wb["Thông tin"].cell(r, 2).value for r in range(4, 30)
    }
    assert info["Loại hình / Cấp học"] == catalog.TT57_TEMPLATES[name]
    assert info["Thông tư"] == "Thông tư 57/2026/TT-BGDĐT"
    assert "Báo cáo tự đánh giá" in info["Căn cứ xây dựng kế hoạch"]
    assert "Không xây dựng kế hoạch cải tiến đối với toàn bộ tiêu chí" in info["Mục đích, yêu cầu"]
    assert "tối thiểu 02 lần" in info["Cơ chế đánh giá và báo cáo"]
    assert info["Tổ chức thực hiện"].startswith("1. Người đứng đầu")
    headers = [c.value for c in wb["Kế hoạch"][4]][: len(contract.PLAN_COLUMNS_TT57)]
    assert headers == [f.label for f in contract.PLAN_COLUMNS_TT57]
    assert [c.value for c in wb["Theo dõi"][4]][:6] == [f.label for f in contract.REVIEW_COLUMNS]
    assert [wb["Theo dõi"].cell(r, 1).value for r in (5, 6)] == ["Cuối học kỳ I", "Cuối năm học"]
    # At least 100 plan rows with the dropdowns; 15 criteria with their compulsory mark.
    plan_ws = wb["Kế hoạch"]
    issue_dv = next(v for v in plan_ws.data_validations.dataValidation if v.formula1 == "DS_VanDe")
    assert "B5:B" in str(issue_dv.sqref) and int(str(issue_dv.sqref).split(":B")[1]) >= 104
    assessment = wb["Tự đánh giá"]
    marks = {assessment.cell(r, 2).value: assessment.cell(r, 4).value for r in range(7, 22)}
    assert {c for c, m in marks.items() if m == "x"} == {
        "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"
    }  # fmt: skip
    provinces = wb.defined_names["DS_Tinh"].attr_text
    assert provinces.endswith("$35")  # 34 provinces under a header


@pytest.mark.parametrize("template", sorted(SPECS))
def test_examples_are_clean_and_read_back_exactly(template, tmp_path):
    spec = SPECS[template]
    committed = read_plan(EXAMPLES / spec["file"])
    assert committed.layout == "tt57" and check_plan(committed) == []
    assert_reads_back(committed, spec)
    # The empty template filled cell by cell with openpyxl, as another program would.
    wb = load_workbook(build_template(template, tmp_path / "empty.xlsx"))
    info = wb["Thông tin"]
    rows = {info.cell(r, 1).value: r for r in range(1, 40)}
    for field in contract.INFO_FIELDS_TT57:
        if field.key in spec["info"]:
            info.cell(rows[field.label], 2, spec["info"][field.key])
    assessment = wb["Tự đánh giá"]
    for r in range(7, 22):
        typed = spec["assessment"][assessment.cell(r, 2).value]
        assessment.cell(r, 5, typed.get("current") or None)
        assessment.cell(r, 6, typed.get("target") or None)
        assessment.cell(r, 9, typed.get("note") or None)
    for sheet, key, fields in (
        ("Vấn đề trọng tâm", "issues", contract.ISSUE_COLUMNS),
        ("Kế hoạch", "items", contract.PLAN_COLUMNS_TT57),
        ("Theo dõi", "reviews", contract.REVIEW_COLUMNS),
    ):
        ws = wb[sheet]
        for i, record in enumerate(spec[key]):
            for c, field in enumerate(fields, start=1):
                if record.get(field.key) not in (None, ""):
                    ws.cell(5 + i, c, record[field.key])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    assert_reads_back(read_plan(filled), spec)


def assert_reads_back(plan, spec) -> None:
    def same(got, typed) -> bool:
        if typed in (None, ""):
            return got is None
        return " ".join(str(got).split()) == " ".join(str(typed).split())

    for key, value in spec["info"].items():
        item = plan.info[key]
        shown = item.raw if item.raw is not None else item.value
        assert same(shown, value), key
    for record in plan.assessment_records:
        typed = spec["assessment"][record["criterion"]]
        assert same(record["current_raw"], typed.get("current"))
        assert same(record["target_raw"], typed.get("target"))
    assert len(plan.issue_records) == len(spec["issues"])
    for record, typed in zip(plan.issue_records, spec["issues"], strict=True):
        assert record["standard"] == typed["standard"]
        assert ", ".join(record["criteria"]) == typed["criteria"].replace(";", ",")
        assert same(record["situation"], typed["situation"])
        assert same(record["shortcoming"], typed["shortcoming"])
    assert len(plan.item_records) == len(spec["items"])
    for record, typed in zip(plan.item_records, spec["items"], strict=True):
        assert record["issue"] == typed["issue"]
        for key in ("content", "objective", "indicator", "owner", "resources", "note"):
            assert same(record[key], typed.get(key)), key
        assert record["activities"] == typed["activities"]  # line breaks kept
        assert same(record["start_raw"], typed["start"]) and same(record["end_raw"], typed["end"])
        assert same(record["progress_raw"], typed.get("progress"))
    assert [r["when"] for r in plan.review_records] == [r["when"] for r in spec["reviews"]]


def test_the_layout_comes_from_the_content_not_the_file_name(tmp_path):
    for spec in example_specs("2018"):
        assert read_plan(EXAMPLES / spec["file"]).layout == "2018"
    renamed = tmp_path / "ke-hoach-2018-tt17.xlsx"  # a misleading name changes nothing
    renamed.write_bytes((EXAMPLES / SPECS["thcs"]["file"]).read_bytes())
    assert read_plan(renamed).layout == "tt57"


# ----------------------------------------------------------------- bad input


def _one_structure_finding(path) -> list:
    findings = check_plan(read_plan(path))
    return [f for f in findings if f.rule.startswith(("structure.", "info.circular"))]


def test_a_workbook_mixing_both_layouts_gets_one_clear_finding(tmp_path):
    wb = load_workbook(EXAMPLES / SPECS["thcs"]["file"])
    plan = wb["Kế hoạch"]
    for c, field in enumerate(contract.PLAN_COLUMNS, start=1):  # 2018 headers over table V
        plan.cell(4, c, field.label)
    path = tmp_path / "tron.xlsx"
    wb.save(path)
    (finding,) = _one_structure_finding(path)
    assert finding.rule == "structure.mixed_layouts" and finding.severity == "error"
    assert "Thông tư 57/2026" in finding.message and "2018" in finding.message


def test_an_unknown_circular_is_one_finding_with_its_cell(tmp_path):
    wb = load_workbook(EXAMPLES / SPECS["thcs"]["file"])
    info = wb["Thông tin"]
    row = next(r for r in range(1, 40) if info.cell(r, 1).value == "Thông tư")
    info.cell(row, 2, "Thông tư 99/2030/TT-BGDĐT")
    path = tmp_path / "la.xlsx"
    wb.save(path)
    (finding,) = _one_structure_finding(path)
    assert finding.rule == "info.circular_unknown" and finding.cell == f"B{row}"
    assert "99/2030" in finding.message and "57/2026" in finding.message


def test_a_2018_criterion_and_a_level_3_are_explained(findings57, thcs):
    thcs["items"][0]["criterion"] = "5.6"
    thcs["assessment"]["1.1"]["current"] = "Mức 3"
    findings = {f.rule: f for f in findings57(thcs)}
    hit = findings["tt57.item.criterion_from_2018"]
    assert "Thông tư 18/2018" in hit.message and hit.cell == "C5" and hit.item == 1
    level = findings["tt57.assessment.current_invalid"]
    assert "không có Mức 3" in level.message and level.cell == "E7"


def test_odd_workbooks_never_crash(tmp_path):
    grids = {
        "Thông tin": [["Tên trường", "X"], ["Thông tư", 57]],
        "Vấn đề trọng tâm": [["TT", "Tiêu chuẩn", "Điểm hạn chế"], [1, "abc", None]],
        "Kế hoạch": [["TT", "Vấn đề", "Nội dung cải tiến", "Hoạt động/giải pháp", "Bắt đầu",
                      "Hoàn thành"], [None, "1", "a", "b", "x", 3.5]],
    }  # fmt: skip
    plan = plan_from_grids(grids)
    assert plan.layout == "tt57"
    findings = check_plan(plan)
    assert findings and all(f.message and not HOLLOW.search(f.message) for f in findings)


# ----------------------------------------------------------------- every rule


def _compulsory_unplanned(d):
    planned = {c for i in d["issues"] for c in i["criteria"].replace(";", ",").split(", ")}
    code = next(
        c
        for c in ("1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2")
        if d["assessment"][c]["current"] == "Mức 1" and c not in planned
    )
    d["assessment"][code]["target"] = "Mức 2"


def _item(d, i=0):
    return d["items"][i]


def _issue(d, i=0):
    return d["issues"][i]


SPOILERS = {
    "tt57.info.school_name_missing": lambda d: d["info"].update(school_name=None),
    "tt57.info.school_level_missing": lambda d: d["info"].update(school_level=""),
    "tt57.info.school_level_invalid": lambda d: d["info"].update(school_level="Đại học"),
    "tt57.info.school_year_missing": lambda d: d["info"].update(school_year=None),
    "tt57.info.school_year_invalid": lambda d: d["info"].update(school_year="2026-2028"),
    "tt57.info.province_invalid": lambda d: d["info"].update(province="Tỉnh Kiên Giang"),
    "tt57.info.commune_missing": lambda d: d["info"].update(commune=""),
    "tt57.info.issue_date_invalid": lambda d: d["info"].update(issue_date="31/02/2026"),
    "tt57.info.governing_body_needed": lambda d: d["info"].update(
        school_level="Phổ thông nhiều cấp học", governing_body=""
    ),
    "tt57.info.appendix_mismatch": lambda d: d["info"].update(school_level="Mầm non"),
    "tt57.info.managing_body_after_reform": lambda d: d["info"].update(
        governing_body="Phòng GD&ĐT huyện Yên Thành"
    ),
    "tt57.info.legal_bases_unfinished": lambda d: d["info"].update(
        legal_bases="1. Báo cáo tự đánh giá năm học …… của nhà trường;"
    ),
    "tt57.assessment.current_mostly_missing": lambda d: [
        v.update(current=None, target=None) for v in list(d["assessment"].values())[2:]
    ],
    "tt57.assessment.levels_from_last_year": lambda d: [
        v.update(note=f"Mức năm học 2025-2026: {v['current']}.")
        for v in d["assessment"].values()
        if v.get("current")
    ],
    "tt57.plan.too_broad": lambda d: d["issues"].append(
        {
            "standard": 1,
            "criteria": "1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 3.4, 3.5",
            "shortcoming": "Mọi mặt",
        }
    ),
    "tt57.reviews.point_missing": lambda d: d.update(reviews=[{"when": "Cuối học kỳ I"}]),
    "tt57.assessment.current_missing": lambda d: d["assessment"]["1.1"].update(current=None),
    "tt57.assessment.current_invalid": lambda d: d["assessment"]["1.1"].update(current="Mức 3"),
    "tt57.assessment.target_invalid": lambda d: d["assessment"]["1.1"].update(target="Cao"),
    "tt57.assessment.target_below_current": lambda d: d["assessment"]["1.2"].update(target="Mức 1"),
    "tt57.assessment.target_not_above": lambda d: d["assessment"]["1.2"].update(target="Mức 2"),
    "tt57.assessment.compulsory_unplanned": _compulsory_unplanned,
    "tt57.assessment.compulsory_current_missing": lambda d: d["assessment"]["4.2"].update(
        current=None
    ),
    "tt57.assessment.compulsory_below_unplanned": lambda d: d["assessment"]["4.2"].update(
        current="Không đạt Mức 1"
    ),
    "tt57.issue.standard_missing": lambda d: _issue(d).update(standard=None),
    "tt57.issue.standard_invalid": lambda d: _issue(d).update(standard="Quản trị"),
    "tt57.issue.standard_unknown": lambda d: _issue(d).update(standard=5),
    "tt57.issue.criteria_invalid": lambda d: _issue(d).update(criteria="một điểm ba"),
    "tt57.issue.criteria_not_in_appendix": lambda d: _issue(d).update(criteria="1.3, 5.6"),
    "tt57.issue.criteria_other_standard": lambda d: _issue(d).update(criteria="1.3, 2.1"),
    "tt57.issue.situation_missing": lambda d: _issue(d).update(situation=None),
    "tt57.issue.shortcoming_missing": lambda d: _issue(d).update(shortcoming=None),
    "tt57.item.issue_missing": lambda d: _item(d).update(issue=None),
    "tt57.item.issue_invalid": lambda d: _item(d).update(issue="vấn đề đầu"),
    "tt57.item.issue_unknown": lambda d: _item(d).update(issue=9),
    "tt57.item.criterion_invalid": lambda d: _item(d).update(criterion="Tiêu chuẩn 1"),
    "tt57.item.criterion_from_2018": lambda d: _item(d).update(criterion="5.6"),
    "tt57.item.criterion_not_in_appendix": lambda d: _item(d).update(criterion="9.9"),
    "tt57.item.criterion_other_standard": lambda d: _item(d).update(criterion="2.1"),
    "tt57.item.content_missing": lambda d: _item(d).update(content=None),
    "tt57.item.objective_missing": lambda d: _item(d).update(objective=None),
    "tt57.item.activities_missing": lambda d: _item(d).update(activities=None),
    "tt57.item.indicator_missing": lambda d: _item(d).update(indicator=None),
    "tt57.item.owner_missing": lambda d: _item(d).update(owner=None),
    "tt57.item.start_missing": lambda d: _item(d).update(start=None),
    "tt57.item.start_invalid": lambda d: _item(d).update(start="đầu năm"),
    "tt57.item.end_missing": lambda d: _item(d).update(end=None),
    "tt57.item.end_invalid": lambda d: _item(d).update(end="cuối năm"),
    "tt57.item.end_before_start": lambda d: _item(d).update(start="12/2026", end="10/2026"),
    "tt57.item.start_outside_year": lambda d: _item(d).update(start="6/2026"),
    "tt57.item.end_outside_year": lambda d: _item(d).update(end="9/2027"),
    "tt57.item.end_before_year": lambda d: _item(d).update(start="9/2026", end="5/2026"),
    "tt57.item.evidence_old_code": lambda d: _item(d).update(evidence="[H1-1.3-01]"),
    "tt57.item.evidence_malformed": lambda d: _item(d).update(evidence="(MC.1.3.1)"),
    "tt57.item.progress_unknown": lambda d: _item(d).update(progress="Gần xong"),
    "tt57.review.date_invalid": lambda d: d["reviews"][0].update(date="32/13/2026"),
    "tt57.review.date_outside_year": lambda d: d["reviews"][0].update(date="15/01/2028"),
}


# Rules on the pre-filled codes of Tự đánh giá: spoilt by typing over a cell.
CELL_EDITS = {
    "tt57.assessment.criterion_invalid": {"B7": "một"},
    "tt57.assessment.criterion_not_in_appendix": {"B7": "5.6"},
    "tt57.assessment.duplicate_criterion": {"B8": "1.1"},
}


def test_every_tt57_rule_is_spoilt_here():
    # The progress rules need a review date: they are spoilt in test_review.
    tt57 = {
        r.id for r in RULES if r.id.startswith("tt57.") and not r.id.startswith("tt57.progress.")
    }
    assert set(SPOILERS) | set(CELL_EDITS) == tt57


@pytest.mark.parametrize("rule_id", sorted(CELL_EDITS))
def test_tt57_assessment_code_rules(rule_id, build57, thcs, tmp_path):
    wb = load_workbook(build57(thcs))
    for ref, value in CELL_EDITS[rule_id].items():
        wb["Tự đánh giá"][ref] = value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    hits = [f for f in check_plan(read_plan(edited)) if f.rule == rule_id]
    assert hits and hits[0].sheet == "Tự đánh giá"
    assert hits[0].cell == next(iter(CELL_EDITS[rule_id]))
    assert not HOLLOW.search(hits[0].message), hits[0].message


@pytest.mark.parametrize("rule_id", sorted(SPOILERS))
def test_tt57_rule_fires_at_its_cell_with_a_whole_message(rule_id, findings57, thcs):
    SPOILERS[rule_id](thcs)
    findings = findings57(thcs)
    hits = [f for f in findings if f.rule == rule_id]
    assert hits, f"{rule_id} did not fire; got {rules_of(findings)}"
    rule = next(r for r in RULES if r.id == rule_id)
    for f in hits:
        assert f.sheet and f.cell, f
        assert f.severity == rule.severity
        assert f.message and not HOLLOW.search(f.message), f.message
        if rule.table == "tt57.items":
            assert f.item is not None


def test_evidence_old_code_shows_the_new_form(findings57, thcs):
    SPOILERS["tt57.item.evidence_old_code"](thcs)
    hit = next(f for f in findings57(thcs) if f.rule == "tt57.item.evidence_old_code")
    assert "[H1-1.3-01]" in hit.message and "(MC.1.3.01)" in hit.message


def test_the_examples_of_every_appendix_are_clean(findings57):
    for template, spec in SPECS.items():
        assert findings57(copy.deepcopy(spec), template) == [], template


# ----------------------------------------------------------------- the school's level


def _levels(current: dict[str, int]) -> dict:
    names = {0: "Không đạt Mức 1", 1: "Mức 1", 2: "Mức 2"}
    return {code: {"current": names[level]} for code, level in current.items()}


CODES = catalog.by_id("tt57-2026-pho-thong").codes
COMPULSORY = catalog.by_id("tt57-2026-pho-thong").compulsory_codes


def test_school_level_follows_khoan_3_dieu_5():
    others = [c for c in CODES if c not in COMPULSORY]
    all2 = dict.fromkeys(CODES, 2)
    assert school_level(all2, CODES, COMPULSORY).level == 2
    # Mức 2 needs 5 of the 7 others at Mức 2 and none of them below Mức 1.
    mixed = {**all2, **dict.fromkeys(others[:2], 1)}
    assert school_level(mixed, CODES, COMPULSORY).level == 2
    assert school_level({**mixed, others[2]: 1}, CODES, COMPULSORY).level == 1
    assert school_level({**all2, others[0]: 0}, CODES, COMPULSORY).level == 1
    # One compulsory criterion below blocks the level.
    assert school_level({**all2, "1.4": 1}, CODES, COMPULSORY).level == 1
    below = school_level({**all2, "1.4": 0}, CODES, COMPULSORY)
    assert below.level == 0 and below.compulsory_below == ("1.4",)
    # Mức 1 needs 5 of the 7 others at Mức 1 or above.
    two_down = {**dict.fromkeys(CODES, 1), **dict.fromkeys(others[:2], 0)}
    assert school_level(two_down, CODES, COMPULSORY).level == 1
    assert school_level({**two_down, others[2]: 0}, CODES, COMPULSORY).level == 0
    missing = school_level({**all2, "2.3": None}, CODES, COMPULSORY)
    assert missing.level is None and missing.missing_levels == ("2.3",)


def test_json_gives_the_school_level(build57, thcs, capsys):
    path = build57(thcs)
    assert main(["check", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {k: doc["school_level"][k] for k in ("current", "planned")} == {
        "current": "Mức 1",
        "planned": "Mức 1",
    }
    thcs["assessment"] = _levels(dict.fromkeys(CODES, 2))
    thcs["assessment"]["1.3"] = {"current": "Mức 1", "target": "Mức 2"}
    summary = school_level_summary(read_plan(build57(thcs)))
    assert (summary["current"], summary["planned"]) == ("Mức 1", "Mức 2")
    assert summary["reasons"]["planned"]["sentences"] == [
        "Mức đạt dự kiến sau kế hoạch: Mức 2 vì 8/8 tiêu chí bắt buộc đạt Mức 2, có 7/7 tiêu chí "
        "không bắt buộc đạt Mức 2 (cần ít nhất 5/7) và không tiêu chí nào dưới Mức 1.",
        "Mức 2 là mức cao nhất.",
    ]
    assert main(["check", str(path)]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith(
        "Mức đạt của trường hiện tại (khoản 3 Điều 5): Mức 1 vì 8/8 tiêu chí bắt buộc đạt Mức 1 "
        "trở lên và có 6/7 tiêu chí không bắt buộc đạt Mức 1 trở lên (cần ít nhất 5/7); chưa "
        "đạt Mức 2 vì tiêu chí bắt buộc 1.3, 1.4, 2.2, 3.2, 4.1, 4.2 chưa đạt Mức 2;"
    )
    assert "Để đạt Mức 2: nâng tiêu chí bắt buộc 1.3, 1.4, 2.2, 3.2, 4.1, 4.2 lên Mức 2;" in line


def _check(path, capsys, *options) -> tuple[list[str], dict]:
    """(the text output's lines, the JSON's school_level) of ``check``."""
    main(["check", str(path), *options])
    lines = capsys.readouterr().out.splitlines()
    main(["check", str(path), *options, "--format", "json"])
    return lines, json.loads(capsys.readouterr().out)["school_level"]


def test_a_compulsory_criterion_below_level_1_says_why_the_school_is_not_at_level_1(
    build57, thcs, capsys
):
    # 4.1 is planned (an issue and two rows) but has no Mức cần đạt: the plan keeps it below.
    thcs["assessment"]["4.1"].update(current="Không đạt Mức 1", target="")
    lines, level = _check(build57(thcs), capsys)
    assert lines[1:3] == [
        "Mức đạt của trường hiện tại (khoản 3 Điều 5): Không đạt Mức 1 vì tiêu chí bắt buộc 4.1 "
        "chưa đạt Mức 1. Để đạt Mức 1: nâng tiêu chí bắt buộc 4.1 lên Mức 1.",
        "Mức đạt dự kiến sau kế hoạch: Không đạt Mức 1 vì tiêu chí bắt buộc 4.1 chưa đạt Mức 1. "
        "Để đạt Mức 1: nâng tiêu chí bắt buộc 4.1 lên Mức 1.",
    ]
    current = level["reasons"]["current"]
    assert level["current"] == current["level"] == "Không đạt Mức 1"
    assert current["compulsory"] == {
        "total": 8,
        "level_1_or_above": 7,
        "level_2": 2,
        "below_level_1": ["4.1"],
        "below_level_2": ["1.3", "1.4", "2.2", "3.2", "4.1", "4.2"],
    }
    assert current["others"]["level_1_or_above"] == 6 and current["others"]["needed"] == 5
    assert current["next_level"] == "Mức 1"
    assert current["for_next_level"] == {
        "compulsory": ["4.1"],
        "others_more": 0,
        "others_below": ["3.4"],
        "others_to_level_1": [],
    }
    assert level["reasons"]["rule"] == "khoản 3 Điều 5 Thông tư 57/2026/TT-BGDĐT"


def test_too_few_other_criteria_at_level_1_are_counted_in_the_reason(build57, thcs, capsys):
    for code in ("1.1", "2.3"):  # with 3.4: three of the seven others below Mức 1
        thcs["assessment"][code]["current"] = "Không đạt Mức 1"
    lines, level = _check(build57(thcs), capsys)
    assert lines[1] == (
        "Mức đạt của trường hiện tại (khoản 3 Điều 5): Không đạt Mức 1 vì mới có 4/7 tiêu chí "
        "không bắt buộc đạt Mức 1 trở lên (cần ít nhất 5/7). Để đạt Mức 1: nâng thêm 1 trong "
        "các tiêu chí 1.1, 2.3, 3.4 lên Mức 1."
    )
    assert lines[2].startswith(
        "Mức đạt dự kiến sau kế hoạch: Mức 1 vì 8/8 tiêu chí bắt buộc đạt Mức 1 trở lên và có "
        "5/7 tiêu chí không bắt buộc đạt Mức 1 trở lên (cần ít nhất 5/7); chưa đạt Mức 2 vì"
    )
    others = level["reasons"]["current"]["others"]
    assert (others["level_1_or_above"], others["below_level_1"]) == (4, ["1.1", "2.3", "3.4"])
    assert level["reasons"]["current"]["for_next_level"]["others_more"] == 1
    assert level["planned"] == "Mức 1"


def test_no_level_for_a_compulsory_criterion_means_no_level_now_or_after(build57, thcs, capsys):
    # A Mức cần đạt alone does not say where 4.1 stands: planned is null with current.
    thcs["assessment"]["4.1"].update(current=None, target="Mức 2")
    path = build57(thcs)
    lines, level = _check(path, capsys)
    assert (level["current"], level["planned"]) == (None, None)
    assert level["reasons"]["current"]["missing_levels"] == ["4.1"]
    assert lines[1:3] == [
        "Mức đạt của trường hiện tại (khoản 3 Điều 5): chưa tính được vì tiêu chí bắt buộc 4.1 "
        "chưa có mức hiện tại. Để tính được: chọn mức hiện tại của tiêu chí 4.1 ở trang Tự đánh "
        "giá (Không đạt Mức 1, Mức 1 hoặc Mức 2).",
        "Mức đạt dự kiến sau kế hoạch: chưa tính được vì mức đạt hiện tại chưa tính được.",
    ]
    assert "Không đạt Mức 1 vì" not in "\n".join(lines)
    assert school_level_of(read_plan(path))[1].level is None
    assert "tt57.assessment.compulsory_current_missing" in rules_of(check_plan(read_plan(path)))


def test_the_annotated_copy_gives_the_level_with_its_reasons(build57, thcs, tmp_path, capsys):
    SPOILERS["tt57.assessment.compulsory_below_unplanned"](thcs)  # 4.2 below Mức 1, unplanned
    path, marked = build57(thcs), tmp_path / "da-danh-dau.xlsx"
    assert main(["check", str(path), "--annotate", str(marked)]) == 1
    said = capsys.readouterr().out.splitlines()
    level_now = (
        "Mức đạt của trường hiện tại (khoản 3 Điều 5): Không đạt Mức 1 vì tiêu chí bắt buộc 4.2 "
        "chưa đạt Mức 1. Để đạt Mức 1: nâng tiêu chí bắt buộc 4.2 lên Mức 1."
    )
    assert said[1] == level_now
    sheet = load_workbook(marked)["Kết quả kiểm tra"]
    assert sheet["A4"].value == "\n".join(said[1:3])
    assert sheet["A5"].value == "Mức độ" and "A4:H4" in sheet.merged_cells
    assert sheet["C6"].value == "F20" and "Tiêu chí bắt buộc 4.2" in sheet["H6"].value
    again = tmp_path / "ra-soat.xlsx"
    main(["review", str(path), "--at", "2027-02", "--annotate", str(again)])
    assert load_workbook(again)["Kết quả kiểm tra"]["A4"].value.startswith(level_now)


# ----------------------------------------------------------------- LibreOffice recalculates

lo = pytest.importorskip("test_libreoffice")
needs_lo = pytest.mark.skipif(lo.PYTHON is None, reason="LibreOffice with python3-uno missing")


@needs_lo
def test_the_templates_level_formulas_agree_with_check(build57, thcs, tmp_path):
    import random

    rng = random.Random(57)
    cases = []
    for _ in range(8):
        current = {c: rng.choices([0, 1, 2], weights=[1, 4, 5])[0] for c in CODES}
        data = copy.deepcopy(thcs)
        data["assessment"] = _levels(current)
        for code in rng.sample(CODES, 3):  # a few targets: the planned level
            if current[code] < 2:
                data["assessment"][code]["target"] = "Mức 2"
        cases.append(data)
    paths = [build57(data) for data in cases]
    reports = lo.run_probe(
        [
            {"path": str(p), "recalculate": True, "read": [[2, "D2"], [2, "D3"], [2, "D4"]]}
            for p in paths
        ],
        tmp_path,
    )
    for path, report in zip(paths, reports, strict=True):
        plan = read_plan(path)
        expected = school_level_summary(plan)
        assert report["cells"]["2!D2"] == expected["current"]
        assert report["cells"]["2!D3"] == expected["planned"]
        assert report["cells"]["2!D4"] == gap_text(school_level_of(plan)[1])


class _Marked(HTMLParser):
    """(sheet, cell) of every cell LibreOffice's HTML export paints with ``fill``."""

    def __init__(self, fill: str):
        super().__init__()
        self.fill, self.sheet, self.marked = fill.lower(), None, set()
        self.in_title, self.row, self.col, self.spans = False, 0, 0, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.in_title = True
        elif tag == "table":
            self.row, self.spans = 0, {}
        elif tag == "tr":
            self.row += 1
            self.col = 0
        elif tag == "td":
            self.col += 1
            while (self.row, self.col) in self.spans:
                self.col += 1
            rows, cols = int(attrs.get("rowspan", 1)), int(attrs.get("colspan", 1))
            for r in range(rows):
                for c in range(cols):
                    if r or c:
                        self.spans[(self.row + r, self.col + c)] = True
            if (attrs.get("bgcolor") or "").lower() == self.fill and self.sheet:
                self.marked.add((self.sheet, f"{get_column_letter(self.col)}{self.row}"))
            self.col += cols - 1

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title and data.strip() and not data.strip().endswith(":"):
            self.sheet = data.strip()


# The rules the template's conditional formats check while the school types.
LIVE_RULES = {
    "tt57.item.criterion_invalid",
    "tt57.item.criterion_from_2018",
    "tt57.item.criterion_not_in_appendix",
    "tt57.item.end_before_start",
    "tt57.item.issue_invalid",
    "tt57.item.issue_unknown",
    *(f"tt57.item.{key}_missing" for key in (
        "issue", "content", "objective", "activities", "indicator", "start", "end", "owner"
    )),
    "tt57.assessment.compulsory_unplanned",
    "tt57.assessment.compulsory_below_unplanned",
}  # fmt: skip


@needs_lo
def test_live_checks_mark_exactly_the_cells_check_reports(build57, thcs, tmp_path):
    thcs["items"][0]["criterion"] = "5.6"
    thcs["items"][1].update(start="tháng 12/2026", end="10/2026")
    thcs["items"][2]["owner"] = None
    thcs["items"][3]["issue"] = 9
    thcs["items"][4]["criterion"] = "abc"
    thcs["items"].append({"content": "Một dòng mới chỉ có nội dung"})
    _compulsory_unplanned(thcs)
    SPOILERS["tt57.assessment.compulsory_below_unplanned"](thcs)
    thcs["assessment"]["4.1"]["current"] = "Không đạt Mức 1"  # below Mức 1 but planned: no mark
    path = build57(thcs)
    findings = [f for f in check_plan(read_plan(path)) if f.rule in LIVE_RULES]
    assert {f.rule for f in findings} >= {
        "tt57.item.criterion_from_2018",
        "tt57.item.end_before_start",
        "tt57.item.owner_missing",
        "tt57.item.issue_unknown",
        "tt57.item.criterion_invalid",
        "tt57.item.activities_missing",
        "tt57.assessment.compulsory_unplanned",
        "tt57.assessment.compulsory_below_unplanned",
    }
    html = tmp_path / "live.html"
    lo.run_probe([{"path": str(path), "recalculate": True, "html": str(html)}], tmp_path)
    parser = _Marked(LIVE_CHECK_FILL)
    parser.feed(html.read_text("utf-8", errors="replace"))
    assert parser.marked == {(f.sheet, f.cell) for f in findings}


def test_an_end_month_before_the_school_year_is_told_to_check_the_year(findings57, thcs):
    """Not "chuyển vào kế hoạch năm học tiếp theo": 5/2026 is a wrong year, not a late row."""
    SPOILERS["tt57.item.end_before_year"](thcs)
    findings = findings57(thcs)
    hit = next(f for f in findings if f.rule == "tt57.item.end_before_year")
    assert hit.message == (
        "Tháng hoàn thành 5/2026 trước năm học 2026-2027 của kế hoạch (năm học bắt đầu tháng "
        "8/2026): kiểm tra lại năm."
    )
    assert "tt57.item.end_outside_year" not in rules_of(findings)
    assert not any("năm học tiếp theo" in f.message for f in findings)


def test_a_typed_district_body_is_replaced_and_named(findings57, thcs):
    SPOILERS["tt57.info.managing_body_after_reform"](thcs)
    hit = next(f for f in findings57(thcs) if f.rule == "tt57.info.managing_body_after_reform")
    assert hit.message == (
        "Cơ quan chủ quản 'Phòng GD&ĐT huyện Yên Thành' là cơ quan cấp huyện, nhưng kế hoạch "
        "ban hành ngày 18/09/2026, sau ngày 01/7/2025. Từ 01/7/2025 không còn Phòng GDĐT, "
        "quận, huyện: trường mầm non, tiểu học, THCS thuộc UBND xã, phường, đặc khu; trường "
        "THPT và trung tâm GDTX thuộc Sở GDĐT. Ghi vào ô Thông tin!B9 (Xã/phường/đặc khu) hoặc "
        "ô Thông tin!B10 (Cơ quan chủ quản). Đến khi đó bản kế hoạch in 'UBND XÃ YÊN THÀNH' ở "
        "dòng này."
    )


def test_a_review_recorded_by_its_month_is_read_and_printed_as_the_month(build57, thcs):
    from sheetkit.writing.bieu2 import review_rows

    thcs["reviews"][0].update(date="1/2027")
    plan = read_plan(build57(thcs))
    assert not [f for f in check_plan(plan) if f.rule.startswith("tt57.review.")]
    assert review_rows(plan)[0].cells[0] == "Cuối học kỳ I (tháng 1/2027)"
    thcs["reviews"][0].update(date="tháng 1/2028")
    hit = next(
        f for f in check_plan(read_plan(build57(thcs))) if f.rule == "tt57.review.date_outside_year"
    )
    assert hit.message.startswith("Ngày rà soát tháng 1/2028 nằm ngoài năm học của kế hoạch")
