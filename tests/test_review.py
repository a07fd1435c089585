"""The twice-yearly review of a Thông tư 57 plan, on crafted dates."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import EXAMPLES, example_specs
from sheetkit.checking.review import review_plan
from sheetkit.cli import main
from sheetkit.reading.parsing import parse_month
from sheetkit.reading.reader import read_plan
from sheetkit.writing.templates import build_template

SPEC = next(s for s in example_specs("tt57") if s["template"] == "thcs")


def _plan_data() -> dict:
    """Five rows with known months and statuses, two review rows."""
    data = copy.deepcopy(SPEC)
    rows = [
        ("9/2026", "10/2026", "Hoàn thành"),  # done
        ("9/2026", "12/2026", "Đang thực hiện"),  # overdue from 1/2027
        ("10/2026", "5/2027", "Đang thực hiện"),  # in progress
        ("1/2027", "5/2027", None),  # not started before 1/2027, then no status (Chưa ghi)
        ("9/2026", "3/2027", None),  # started, no status (Chưa ghi), overdue from 4/2027
    ]
    data["items"] = [
        {**data["items"][i], "start": start, "end": end, "progress": status}
        for i, (start, end, status) in enumerate(rows)
    ]
    kept = {item["criterion"] for item in data["items"]}
    for code, level in data["assessment"].items():  # no target left without its plan row
        if code not in kept:
            level["target"] = ""
    return data


@pytest.fixture
def plan_path(tmp_path):
    return build_template("thcs", tmp_path / "kh.xlsx", _plan_data())


def _rules(path, at: str) -> list[tuple[str, str]]:
    from sheetkit.checking.validation import check_plan

    findings = check_plan(read_plan(path), parse_month(at))
    return [(f.rule, f.cell) for f in findings if f.rule.startswith("tt57.progress")]


def test_before_the_first_review_only_passed_ends_count(plan_path):
    # November 2026: no review point is due; no row has passed its end month. Row 4 starts
    # in 1/2027 (Chưa bắt đầu); row 5 started in 9/2026 and has no status (Chưa ghi).
    assert _rules(plan_path, "2026-11") == []
    review = review_plan(read_plan(plan_path), parse_month("2026-11"))
    assert review.overall.counts == {
        "done": 1,
        "in_progress": 2,
        "overdue": 0,
        "not_carried_out": 0,
        "unrecorded": 1,
        "not_started": 1,
    }


def test_at_term_one_rows_need_a_status_and_the_review_a_result(plan_path):
    found = _rules(plan_path, "2027-01")
    assert ("tt57.progress.row_overdue", "M6") in found  # ended 12/2026, still in progress
    # Started by January without a status: row 4 (starts 1/2027) and row 5.
    assert ("tt57.progress.status_missing", "M8") in found
    assert ("tt57.progress.status_missing", "M9") in found
    assert ("tt57.progress.monitoring_missing", "D5") in found  # Cuối học kỳ I not recorded
    assert ("tt57.progress.monitoring_missing", "D6") not in found  # Cuối năm học not due yet
    assert len(found) == 4


def test_every_review_rule_is_exercised(plan_path):
    from sheetkit.validators.rules import RULES

    review_rules = {r.id for r in RULES if r.id.startswith("tt57.progress.")}
    assert {rule for rule, _ in _rules(plan_path, "2027-01")} == review_rules


def test_a_recorded_review_is_not_reported(tmp_path):
    data = _plan_data()
    data["reviews"][0].update(
        date="15/01/2027", content="Rà soát 5 hoạt động", result="1 hoàn thành", reviewer="HĐTĐG"
    )
    path = build_template("thcs", tmp_path / "kh.xlsx", data)
    assert ("tt57.progress.monitoring_missing", "D5") not in _rules(path, "2027-02")


def test_progress_per_issue_and_standard_against_hand_counts(plan_path):
    review = review_plan(read_plan(plan_path), parse_month("2027-04"))
    # At 4/2027: row 1 done; row 2 overdue (12/2026); row 3 in progress; row 4 started in
    # 1/2027 without a status (Chưa ghi); row 5 overdue (ended 3/2027, no status).
    assert review.overall.counts == {
        "done": 1,
        "in_progress": 1,
        "overdue": 2,
        "not_carried_out": 0,
        "unrecorded": 1,
        "not_started": 0,
    }
    assert review.overall.share("overdue") == 0.4
    issues = {i["issue"] for i in _plan_data()["items"]}
    assert set(review.by_issue) == issues
    assert sum(p.total for p in review.by_standard.values()) == 5
    assert [r["overdue"] for r in review.rows] == [False, True, False, False, True]
    assert review.rows[1] == {
        "item": 2,
        "issue": _plan_data()["items"][1]["issue"],
        "status": "Đang thực hiện",
        "end": "2026-12",
        "state": "overdue",
        "overdue": True,
    }


def test_each_state_is_its_own(tmp_path, capsys):
    """Không thực hiện is neither overdue nor done; Chưa thực hiện is not started until its end
    month passes; no status is Chưa ghi once the start month has come, Chưa bắt đầu before."""
    data = _plan_data()
    data["items"][1]["progress"] = "Không thực hiện"  # ended 12/2026: still not overdue
    data["items"][2]["progress"] = "Chưa thực hiện"  # ends 5/2027
    path = build_template("thcs", tmp_path / "kh.xlsx", data)
    review = review_plan(read_plan(path), parse_month("2027-04"))
    assert [r["state"] for r in review.rows] == [
        "done",
        "not_carried_out",
        "not_started",
        "unrecorded",
        "overdue",
    ]
    assert sum(review.overall.counts.values()) == 5
    assert ("tt57.progress.row_overdue", "M6") not in _rules(path, "2027-04")
    assert main(["review", str(path), "--at", "4/2027"]) == 0
    assert (
        "Tiến độ đến tháng 4/2027: 5 việc: Hoàn thành 1 (20%), Quá hạn 1 (20%), Không thực hiện "
        "1 (20%), Chưa ghi 1 (20%), Chưa bắt đầu 1 (20%)" in capsys.readouterr().out
    )
    assert main(["review", str(path), "--at", "2027-04", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in doc["rows"]][1:4] == [
        "not_carried_out",
        "not_started",
        "unrecorded",
    ]
    overall = doc["progress"]["overall"]
    assert (overall["not_carried_out"], overall["unrecorded"], overall["not_started"]) == (1, 1, 1)


@pytest.mark.parametrize(
    ("status", "start", "end", "expected"),
    [
        ("Hoàn thành", "9/2026", "10/2026", "done"),
        ("Không thực hiện", "9/2026", "10/2026", "not_carried_out"),
        ("Đang thực hiện", "9/2026", "10/2026", "overdue"),
        (None, "9/2026", "10/2026", "overdue"),
        ("Chưa thực hiện", "9/2026", "10/2026", "overdue"),
        ("Chậm tiến độ", "9/2026", "5/2027", "in_progress"),
        ("Đang thực hiện - 40%", "9/2026", "5/2027", "in_progress"),
        ("Chưa thực hiện", "9/2026", "5/2027", "not_started"),
        (None, "3/2027", "5/2027", "not_started"),
        (None, "1/2027", "5/2027", "unrecorded"),
        (None, None, None, "unrecorded"),
    ],
)
def test_the_one_definition_of_a_rows_state(status, start, end, expected):
    from sheetkit.validators.review import state

    month = [parse_month(m) if m else None for m in (start, end)]
    assert state(status, *month, parse_month("1/2027")) == expected


def test_review_command_text_json_and_exit(plan_path, capsys):
    assert main(["review", str(plan_path), "--at", "2027-01", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["at"] == "2027-01" and len(doc["rows"]) == 5
    assert doc["progress"]["overall"]["overdue"] == 1
    assert {f["rule"] for f in doc["findings"]} >= {"tt57.progress.row_overdue"}
    assert doc["school_level"]["current"] == "Mức 1"
    assert main(["review", str(plan_path), "--at", "1/2027"]) == 0
    out = capsys.readouterr().out
    assert "Tiến độ đến tháng 1/2027: 5 việc" in out and "Theo tiêu chuẩn:" in out
    # check --at gives the same findings.
    assert main(["check", str(plan_path), "--at", "2027-01", "--format", "json"]) == 0
    same = json.loads(capsys.readouterr().out)
    assert same["findings"] == doc["findings"]


def test_review_refuses_a_2018_plan_and_a_bad_month(capsys):
    path = EXAMPLES / "ke-hoach-thcs-hoang-van-thu-2024-2025.xlsx"
    assert main(["review", str(path), "--at", "2025-01"]) == 3
    assert "Thông tư 57/2026" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["review", str(path), "--at", "tháng mười"])
    assert stop.value.code == 3
