"""Next year's plan: carried over from a Thông tư 57 plan, or moved over from a 2018 plan."""

from __future__ import annotations

from conftest import EXAMPLES
from sheetkit.checking.validation import check_plan
from sheetkit.cli import main
from sheetkit.reading.reader import read_plan
from sheetkit.writing.template_tt57 import SECTION_TEXTS

THCS = EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"
OLD = EXAMPLES / "ke-hoach-th-nguyen-thai-binh-2024-2029.xlsx"


def test_unfinished_rows_carry_over_with_their_history(tmp_path, capsys):
    out = tmp_path / "nam-sau.xlsx"
    assert main(["next", str(THCS), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    before, after = read_plan(THCS), read_plan(out)
    done = [r["item"] for r in before.item_records if r.get("progress") == "Hoàn thành"]
    assert done and f"{len(before.item_records) - len(done)} việc chưa hoàn thành" in said
    assert after.layout == "tt57" and after.value("school_year") == 2027
    assert after.value("school_name") == before.value("school_name")
    assert "năm học 2026-2027" in after.value("legal_bases")
    assert "Kết quả rà soát" in after.value("legal_bases")
    assert len(after.item_records) == len(before.item_records) - len(done)
    for record in after.item_records:
        assert record["note"].startswith("Chuyển từ kế hoạch năm học 2026-2027 (dòng ")
        assert record["progress"] is None  # a new year starts without statuses
        assert 2027 * 12 + 8 <= record["start"] <= record["end"] <= 2028 * 12 + 4
    # Each carried row keeps its issue, renumbered among the issues carried.
    assert {r["issue"] for r in after.item_records} == set(range(1, len(after.issue_records) + 1))
    # Levels are the starting point: the same current level per criterion.
    assert after.current_levels() == before.current_levels()
    assert [r.get("progress") for r in after.item_records] == [None] * len(after.item_records)
    assert not [f for f in check_plan(after) if f.severity == "error"]


def test_a_2018_plan_moves_to_thong_tu_57(tmp_path, capsys):
    out = tmp_path / "tt57.xlsx"
    assert main(["next", str(OLD), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "chọn tiêu chuẩn và tiêu chí liên quan" in said
    before, after = read_plan(OLD), read_plan(out)
    assert after.layout == "tt57" and after.value("school_year") == 2026  # the first TT57 year
    assert after.value("school_name") == before.value("school_name")
    # One priority issue per old criterion; every unfinished item a plan row under it.
    codes = {r["criterion"] for r in before.item_records}
    assert len(after.issue_records) == len(codes)
    assert len(after.item_records) == len(before.item_records)
    assert all("Thông tư 17/2018" in r["note"] for r in after.item_records)
    assert all(r["current"] is None for r in after.assessment_records)  # levels to redo
    # The 2018 plan's own sections stay behind: Biểu 2's text stands in the new plan.
    assert before.value("purpose") and before.value("organisation")
    assert after.value("purpose") == SECTION_TEXTS["purpose"]
    assert after.value("organisation") == SECTION_TEXTS["organisation"]
    rules = {f.rule for f in check_plan(after)}
    assert "tt57.issue.standard_missing" in rules  # what the school must map is reported


def test_next_refuses_its_own_input(capsys):
    assert main(["next", str(THCS), "-o", str(THCS)]) == 3
    assert "đó chính là tệp đầu vào" in capsys.readouterr().err
