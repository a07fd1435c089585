"""Every rule: a clean plan has no finding; each spoilt plan shows the rule, at its cell."""

from __future__ import annotations

import re

import pytest

from conftest import rules_of
from sheetkit.validators.rules import RULES, MessageError, fill

# What a message with a missing fact looks like: "()", ": .", "''", None, nan, "27.0".
HOLLOW = re.compile(r"\(\s*\)|:\s*\.|''|\bNone\b|\bnan\b|\d\.0\b")


def test_good_plan_has_no_findings(findings_of, good_plan):
    assert findings_of(good_plan) == []


def _item(data, i=0):
    return data["items"][i]


SPOILERS = {
    "info.school_name_missing": lambda d: d["info"].update(school_name=None),
    "info.school_level_invalid": lambda d: d["info"].update(school_level="Trường điểm"),
    "info.school_year_missing": lambda d: d["info"].update(school_year=None),
    "info.school_year_invalid": lambda d: d["info"].update(school_year="2024-2026"),
    "info.plan_type_missing": lambda d: d["info"].update(plan_type=None),
    "info.plan_type_invalid": lambda d: d["info"].update(plan_type="Nhiệm kỳ"),
    "info.end_year_missing": lambda d: d["info"].update(plan_type="Chu kỳ 5 năm"),
    "info.end_year_invalid": lambda d: d["info"].update(plan_type="Chu kỳ 5 năm", end_year="2028"),
    "info.end_year_before_start": lambda d: d["info"].update(
        plan_type="Chu kỳ 5 năm", end_year="2022-2023"
    ),
    "info.goal_level_missing": lambda d: d["info"].update(goal_level=None),
    "info.goal_level_invalid": lambda d: d["info"].update(goal_level="Mức 4"),
    "info.issue_date_invalid": lambda d: d["info"].update(issue_date="31/02/2024"),
    "info.school_year_needs_tt57": lambda d: d["info"].update(school_year="2026-2027"),
    "info.managing_body_after_reform": lambda d: d["info"].update(issue_date="05/9/2025"),
    "assessment.current_missing": lambda d: d["assessment"].update({"1.1": None}),
    "assessment.current_mostly_missing": lambda d: d.update(assessment={"3.6": "Mức 1"}),
    "assessment.current_invalid": lambda d: d["assessment"].update({"1.1": "Tốt"}),
    "assessment.current_above_max": lambda d: d["assessment"].update({"1.2": "Mức 3"}),
    "assessment.below_goal_unplanned": lambda d: d["assessment"].update({"4.1": "Mức 1"}),
    "item.criterion_missing": lambda d: _item(d).update(criterion=None),
    "item.criterion_ambiguous": lambda d: _item(d).update(criterion=1.1),
    "item.criterion_invalid": lambda d: _item(d).update(criterion="Tiêu chuẩn 3"),
    "item.criterion_not_in_circular": lambda d: _item(d).update(criterion="5.6"),
    "item.title_other_criterion": lambda d: _item(d).update(title="Thiết bị"),
    "item.title_other_circular": lambda d: _item(d).update(
        title="Phòng học, phòng học bộ môn và khối phục vụ học tập", criterion="3.2"
    ),
    "item.target_missing": lambda d: _item(d).update(target=None),
    "item.target_invalid": lambda d: _item(d).update(target="Tốt"),
    "item.target_above_max": lambda d: (
        d["assessment"].update({"3.4": "Mức 1"}),
        _item(d).update(criterion="3.4", target="Mức 3"),
    ),
    "item.target_below_current": lambda d: d["assessment"].update({"3.6": "Mức 3"}),
    "item.target_equals_current": lambda d: _item(d).update(target="Mức 1"),
    "item.current_conflict": lambda d: _item(d).update(current="Mức 2"),
    "item.solution_missing": lambda d: _item(d).update(solution=None),
    "item.lead_missing": lambda d: _item(d).update(lead=" "),
    "item.start_missing": lambda d: _item(d).update(start=None),
    "item.start_invalid": lambda d: _item(d).update(start="Học kỳ 1"),
    "item.end_missing": lambda d: _item(d).update(end=None),
    "item.end_invalid": lambda d: _item(d).update(end="cuối năm"),
    "item.end_before_start": lambda d: _item(d).update(start="3/2025", end="10/2024"),
    "item.start_outside_period": lambda d: _item(d).update(start="6/2024"),
    "item.end_outside_period": lambda d: _item(d).update(end="9/2025"),
    "item.budget_invalid": lambda d: _item(d).update(budget="khoảng năm triệu"),
    "item.budget_missing": lambda d: _item(d).update(budget=None),
    "text.legacy_encoding": lambda d: _item(d).update(solution="Tæ chøc c¸c ho¹t ®éng"),
    # Pasted from Word: a cell-end mark and a terminal escape sequence.
    "text.control_characters": lambda d: _item(d).update(solution="Bổ sung\x07 sách\x1b[31m"),
}

# Rules on the pre-filled codes of Tự đánh giá: spoilt by typing over a cell.
CELL_EDITS = {
    "assessment.criterion_invalid": {"A4": "một"},
    "assessment.criterion_not_in_circular": {"A4": "9.9"},
    "assessment.duplicate_criterion": {"A5": "1.1"},
}

# Structure rules are tested in test_reading, file rules in test_merge; the rest must each be
# spoilt here.
# Thông tư 57 rules are spoilt in test_tt57.
CHECKED_HERE = {
    r.id
    for r in RULES
    if r.table not in ("structure", "file", "render") and not r.id.startswith("tt57.")
} - {"info.school_level_missing"}


def test_every_rule_is_tested():
    assert set(SPOILERS) | set(CELL_EDITS) == CHECKED_HERE


@pytest.mark.parametrize("rule_id", sorted(CELL_EDITS))
def test_assessment_code_rules(rule_id, build, good_plan, tmp_path):
    from openpyxl import load_workbook

    from sheetkit.checking.validation import check_plan
    from sheetkit.reading.reader import read_plan

    path = build(good_plan)
    wb = load_workbook(path)
    for ref, value in CELL_EDITS[rule_id].items():
        wb["Tự đánh giá"][ref] = value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    hits = [f for f in check_plan(read_plan(edited)) if f.rule == rule_id]
    assert hits and hits[0].sheet == "Tự đánh giá"
    assert hits[0].cell == next(iter(CELL_EDITS[rule_id]))


@pytest.mark.parametrize("rule_id", sorted(SPOILERS))
def test_rule_fires(rule_id, findings_of, good_plan):
    SPOILERS[rule_id](good_plan)
    findings = findings_of(good_plan)
    hits = [f for f in findings if f.rule == rule_id]
    assert hits, f"{rule_id} did not fire; got {rules_of(findings)}"
    for f in hits:
        assert f.sheet and f.cell, f
        assert f.message and "{" not in f.message, f.message
        assert not HOLLOW.search(f.message), f.message
        assert f.severity == next(r.severity for r in RULES if r.id == rule_id)


# The parser's own explanation reaches the message (it was lost before: "chưa rõ: .").
EXPLAINED = {
    "item.criterion_ambiguous": "1.10",
    "item.criterion_invalid": "số tiêu chuẩn",
    "item.start_invalid": "không hiểu tháng/năm",
    "item.end_invalid": "không hiểu tháng/năm",
    "item.budget_invalid": "không hiểu kinh phí",
    "item.target_invalid": "không hiểu mức",
    "assessment.current_invalid": "không hiểu mức",
    "info.school_year_invalid": "không liền nhau",
    "info.end_year_invalid": "2024-2025",
    "info.goal_level_invalid": "Mức 4 chỉ đánh giá cho cả trường",
    "info.issue_date_invalid": "ngày không có thật",
}


@pytest.mark.parametrize("rule_id", sorted(EXPLAINED))
def test_messages_carry_the_parsers_explanation(rule_id, findings_of, good_plan):
    SPOILERS[rule_id](good_plan)
    hit = next(f for f in findings_of(good_plan) if f.rule == rule_id)
    assert EXPLAINED[rule_id] in hit.message, hit.message


def test_every_rule_that_explains_is_checked_for_it():
    explaining = {r.id for r in RULES if "{error}" in r.message and not r.id.startswith("tt57.")}
    assert explaining - {"assessment.criterion_invalid"} <= set(EXPLAINED)


def test_fill_refuses_unknown_and_empty_placeholders():
    assert fill("{a}/{b} tiêu chí", {"a": 27.0, "b": 28}) == "27/28 tiêu chí"
    with pytest.raises(MessageError):
        fill("Tiêu chí {criterion}", {})
    for empty in ("", None, float("nan"), "  "):
        with pytest.raises(MessageError):
            fill("mức phấn đấu ({goal})", {"goal": empty})


def test_a_huge_number_is_shown_short_in_a_message():
    """1e308 in a budget cell: the message shows 1e+308, not a 309-digit integer."""
    assert fill("'{value}'", {"value": 1e308}) == "'1e+308'"
    assert fill("'{value}'", {"value": -1e300}) == "'-1e+300'"
    assert fill("'{value}'", {"value": 5_000_000.0}) == "'5000000'"


def test_a_missing_goal_is_one_finding_not_one_per_criterion(findings_of, good_plan):
    good_plan["info"]["goal_level"] = None
    good_plan["assessment"]["4.1"] = "Mức 1"  # below the old goal, not planned
    findings = findings_of(good_plan)
    assert [f.rule for f in findings] == ["info.goal_level_missing"]
    assert findings[0].cell == "B15" and findings[0].sheet == "Thông tin"


def test_legacy_text_findings_carry_their_item(findings_of, good_plan):
    good_plan["items"][1]["solution"] = "Tæ chøc c¸c ho¹t ®éng"
    hit = next(f for f in findings_of(good_plan) if f.rule == "text.legacy_encoding")
    assert (hit.item, hit.criterion, hit.sheet) == (2, "5.5", "Kế hoạch")


def test_school_level_missing(findings_of, good_plan, tmp_path):
    # The tiểu học template pre-fills Cấp học; the trung-học one does not.
    good_plan["info"]["school_level"] = None
    findings = findings_of(good_plan, "trung-hoc")
    assert "info.school_level_missing" in rules_of(findings)
    # Without a school level the criteria cannot be judged, and are not misjudged.
    assert "item.criterion_not_in_circular" not in rules_of(findings)


def test_cells_and_items_point_at_the_right_place(findings_of, good_plan):
    good_plan["items"][1]["end"] = "cuối năm"
    good_plan["items"][1]["budget"] = None
    findings = {f.rule: f for f in findings_of(good_plan)}
    end = findings["item.end_invalid"]
    assert (end.sheet, end.cell, end.row, end.item) == ("Kế hoạch", "L6", 6, 2)
    assert end.column == "Hoàn thành" and end.criterion == "5.5"
    assert end.value == "cuối năm" and "cuối năm" in end.message
    assert findings["item.budget_missing"].cell == "M6"


def test_target_below_current_reads_level_from_assessment_not_formula(findings_of, good_plan):
    good_plan["assessment"]["3.6"] = "Mức 3"
    hit = next(f for f in findings_of(good_plan) if f.rule == "item.target_below_current")
    assert "Mức 3" in hit.message and hit.cell == "E5"


def test_mam_non_criterion_2_4_is_not_in_circular(findings_of, good_plan):
    good_plan["info"]["school_level"] = "Mầm non"
    good_plan["assessment"] = {}
    good_plan["items"][0]["criterion"] = "2.4"
    findings = findings_of(good_plan, "mam-non")
    hit = [f for f in findings if f.rule == "item.criterion_not_in_circular"]
    assert hit and "19/2018" in hit[0].message


def test_target_above_max_reports_ceiling(findings_of, good_plan):
    # TT17 1.2 stops at Mức 2: Mức 3 is not a level it defines.
    good_plan["items"][0].update(criterion="1.2", target="Mức 3")
    good_plan["assessment"]["1.2"] = "Mức 2"
    hit = next(f for f in findings_of(good_plan) if f.rule == "item.target_above_max")
    assert "Mức 2" in hit.message


def test_cycle_plan_period_runs_to_july_of_last_year(findings_of, good_plan):
    good_plan["info"].update(plan_type="Chu kỳ 5 năm", end_year="2028-2029")
    good_plan["items"][0]["end"] = "7/2029"
    assert findings_of(good_plan) == []
    good_plan["items"][0]["end"] = "8/2029"
    assert "item.end_outside_period" in rules_of(findings_of(good_plan))


def test_bad_data_never_raises(findings_of, good_plan):
    good_plan["info"] = {k: '=HYPERLINK("x")' for k in good_plan["info"]}
    for item in good_plan["items"]:
        for key in item:
            item[key] = "#REF!"
    findings = findings_of(good_plan)
    assert any(f.severity == "error" for f in findings)


def test_a_half_filled_row_names_its_row_when_it_has_no_criterion(findings_of, good_plan):
    """A row with neither criterion nor target crashed check (the message needs {criterion})."""
    _item(good_plan).update(criterion=None, target=None)
    findings = findings_of(good_plan)
    target = next(f for f in findings if f.rule == "item.target_missing")
    assert target.criterion is None
    assert target.message.startswith(
        f"Chưa chọn mức cần đạt cho tiêu chí (chưa ghi mã tiêu chí, dòng {target.row})."
    )
    assert all(f.message and "  " not in f.message for f in findings)


def test_last_years_levels_message_is_whole(tmp_path):
    """A workbook made by `next` is not ready to send until its levels are this year's."""
    from conftest import EXAMPLES
    from sheetkit.checking.validation import check_plan
    from sheetkit.cli import main
    from sheetkit.reading.reader import read_plan

    out = tmp_path / "nam-sau.xlsx"
    assert (
        main(["next", str(EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"), "-o", str(out)])
        == 0
    )
    hits = [
        f for f in check_plan(read_plan(out)) if f.rule == "tt57.assessment.levels_from_last_year"
    ]
    assert [(f.severity, f.sheet, f.cell) for f in hits] == [("error", "Tự đánh giá", "E7:E21")]
    assert hits[0].message == (
        "Mức hiện tại ở trang Tự đánh giá vẫn là mức của kế hoạch năm học 2026-2027 (cột Ghi "
        "chú ghi 'Mức năm học 2026-2027: …'), chưa theo báo cáo tự đánh giá năm nay. Cập nhật "
        "mức hiện tại của các tiêu chí theo báo cáo tự đánh giá năm nay; nếu mức năm nay không "
        "đổi, xoá các ghi chú đó để xác nhận. Chưa cập nhật thì mức đạt của trường chưa đúng và "
        "kế hoạch chưa gửi được."
    )


# ------------------------------------------------ Thông tư 57: the compulsory criteria decide the level


@pytest.fixture
def tt57_findings(tmp_path):
    """Findings of the THCS example's data, spoilt by ``edit``, in a real TT57 template."""
    import copy

    from conftest import example_specs
    from sheetkit.checking.validation import check_plan
    from sheetkit.reading.reader import read_plan
    from sheetkit.writing.templates import build_template

    spec = next(s for s in example_specs("tt57") if s["template"] == "thcs")
    counter = iter(range(100))

    def _findings(edit) -> list:
        data = copy.deepcopy(spec)
        edit(data)
        path = build_template("thcs", tmp_path / f"plan-{next(counter)}.xlsx", data)
        return check_plan(read_plan(path))

    return _findings


def _hits(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


def test_a_compulsory_criterion_below_level_1_without_a_plan_is_an_error(tt57_findings):
    # 4.2 (row 20) is compulsory, no issue or plan row names it, and no Mức cần đạt is written.
    (hit,) = _hits(
        tt57_findings(lambda d: d["assessment"]["4.2"].update(current="Không đạt Mức 1")),
        "tt57.assessment.compulsory_below_unplanned",
    )
    assert (hit.severity, hit.sheet, hit.cell) == ("error", "Tự đánh giá", "F20")
    assert hit.message == (
        "Tiêu chí bắt buộc 4.2 chưa đạt Mức 1 (mức hiện tại: Không đạt Mức 1) nên trường không "
        "đạt Mức 1 (khoản 3 Điều 5), nhưng kế hoạch chưa có vấn đề trọng tâm và việc cải tiến ở "
        "trang Kế hoạch cho tiêu chí này. Ghi mức cần đạt (Mức 1 hoặc Mức 2), thêm vấn đề trọng "
        "tâm (trang Vấn đề trọng tâm, cột Tiêu chí liên quan) và việc cải tiến (trang Kế hoạch) "
        "cho tiêu chí này."
    )


def test_a_compulsory_criterion_below_level_1_names_what_its_plan_lacks(tt57_findings):
    def issue_only(d):
        d["assessment"]["4.2"].update(current="Không đạt Mức 1")
        d["issues"][-1]["criteria"] = "4.1, 4.2"

    (hit,) = _hits(tt57_findings(issue_only), "tt57.assessment.compulsory_below_unplanned")
    assert "nhưng kế hoạch chưa có việc cải tiến ở trang Kế hoạch cho tiêu chí này." in hit.message
    # Planned by an issue and plan rows (4.1), or aimed higher (the other rule): no finding.
    planned = tt57_findings(lambda d: d["assessment"]["4.1"].update(current="Không đạt Mức 1"))
    assert not _hits(planned, "tt57.assessment.compulsory_below_unplanned")
    aimed = tt57_findings(
        lambda d: d["assessment"]["4.2"].update(current="Không đạt Mức 1", target="Mức 1")
    )
    assert not _hits(aimed, "tt57.assessment.compulsory_below_unplanned")
    assert _hits(aimed, "tt57.assessment.compulsory_unplanned")


def test_a_compulsory_criterion_without_a_level_is_an_error_the_level_needs(tt57_findings):
    findings = tt57_findings(lambda d: d["assessment"]["4.2"].update(current=None))
    (hit,) = _hits(findings, "tt57.assessment.compulsory_current_missing")
    assert (hit.severity, hit.sheet, hit.cell) == ("error", "Tự đánh giá", "E20")
    assert hit.message == (
        "Chưa chọn mức hiện tại của tiêu chí bắt buộc 4.2: không tính được mức đạt của trường, "
        "vì khoản 3 Điều 5 xét mức của mọi tiêu chí bắt buộc. Chọn Không đạt Mức 1, Mức 1 hoặc "
        "Mức 2 theo báo cáo tự đánh giá."
    )
    assert not _hits(findings, "tt57.assessment.current_missing")  # one finding, not two
    # Another criterion without a level stays a warning, which says the level cannot be computed.
    (other,) = _hits(
        tt57_findings(lambda d: d["assessment"]["2.3"].update(current=None)),
        "tt57.assessment.current_missing",
    )
    assert other.severity == "warning" and other.message == (
        "Chưa chọn mức hiện tại của tiêu chí 2.3: chưa tính được mức đạt của trường. Chọn Không "
        "đạt Mức 1, Mức 1 hoặc Mức 2 theo báo cáo tự đánh giá."
    )


# ----------------------------------------------------------------- Thông tư 57 years, 2025 bodies


def test_a_2018_layout_for_a_tt57_year_is_an_error_naming_the_circular_and_next(
    findings_of, good_plan
):
    good_plan["info"].update(school_year="2026-2027", issue_date="05/9/2026")
    for item in good_plan["items"]:
        item.update(start="9/2026", end="5/2027")
    hit = next(f for f in findings_of(good_plan) if f.rule == "info.school_year_needs_tt57")
    assert (hit.severity, hit.sheet, hit.cell, hit.value) == (
        "error",
        "Thông tin",
        "B9",
        "2026-2027",
    )
    assert hit.message == (
        "Năm học 2026-2027 lập kế hoạch theo Thông tư 57/2026/TT-BGDĐT (Biểu 2), không dùng mẫu "
        "2018 (Thông tư 17, 18, 19/2018) nữa. Chuyển kế hoạch sang mẫu mới, chạy: sheetkit next "
        "TỆP -o TỆP-MỚI.xlsx (các việc chưa xong được chuyển sang), rồi kiểm tra tệp mới. Nếu "
        "năm học ghi nhầm, sửa lại ô này."
    )


@pytest.mark.parametrize(
    ("changes", "end"),
    [
        ({"plan_type": "Chu kỳ 5 năm", "end_year": "2028-2029"}, "5/2029"),  # started 2024
        ({"school_year": "2025-2026", "issue_date": "05/9/2025", "district": "Phường 5"}, "5/2026"),
    ],
)
def test_2018_plans_started_before_2026_stay_valid(findings_of, good_plan, changes, end):
    """Only the plan's own first Năm học decides: a five-year plan running to 2029 is fine."""
    good_plan["info"].update(changes)
    if "school_year" in changes:
        for item in good_plan["items"]:
            item.update(start="9/2025", end=end)
    good_plan["items"][0]["end"] = end
    assert findings_of(good_plan) == []


def test_a_plan_dated_after_the_reform_without_a_managing_body_is_told_which_cell(
    findings_of, good_plan
):
    """Quận/huyện alone names a Phòng GDĐT that no longer exists: the line is left blank."""
    good_plan["info"].update(issue_date="05/9/2025")
    hit = next(f for f in findings_of(good_plan) if f.rule == "info.managing_body_after_reform")
    assert (hit.severity, hit.sheet, hit.cell) == ("warning", "Thông tin", "B16")
    assert hit.message == (
        "Kế hoạch ban hành ngày 05/09/2025 (sau ngày 01/7/2025) chưa cho biết cơ quan chủ quản "
        "để in ở đầu văn bản. Từ 01/7/2025 không còn Phòng GDĐT, quận, huyện: trường mầm non, "
        "tiểu học, THCS thuộc UBND xã, phường, đặc khu; trường THPT và trung tâm GDTX thuộc Sở "
        "GDĐT. Ghi vào ô Thông tin!B16 (Cơ quan chủ quản). Đến khi đó bản kế hoạch để trống "
        "dòng này (……) cho trường ghi tay."
    )


def test_a_typed_phong_gddt_after_the_reform_gets_the_same_warning(findings_of, good_plan):
    good_plan["info"].update(
        school_year="2025-2026", issue_date=None, governing_body="PHÒNG GD&ĐT QUẬN 3"
    )
    for item in good_plan["items"]:
        item.update(start="9/2025", end="5/2026")
    findings = findings_of(good_plan)
    assert rules_of(findings) == {"info.managing_body_after_reform"}
    assert findings[0].value == "PHÒNG GD&ĐT QUẬN 3"
    assert findings[0].message.startswith(
        "Cơ quan chủ quản 'PHÒNG GD&ĐT QUẬN 3' là cơ quan cấp huyện, nhưng kế hoạch năm học "
        "2025-2026, sau ngày 01/7/2025. Từ 01/7/2025 không còn Phòng GDĐT"
    )
    # Before the reform the same line is the body of its day: nothing to say.
    good_plan["info"].update(school_year="2024-2025")
    for item in good_plan["items"]:
        item.update(start="9/2024", end="5/2025")
    assert findings_of(good_plan) == []
