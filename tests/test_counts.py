"""The same counts everywhere: terminal, JSON, Tổng quan, the render refusal; whole numbers."""

from __future__ import annotations

import copy
import json
import re

import openpyxl
import pytest

from sheetkit import cli
from sheetkit.checking.validation import check_plans
from sheetkit.reading.reader import read_plan

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")


def spoilt(plan: dict) -> dict:
    """One error, one warning and one note."""
    plan["items"][0]["end"] = "cuối năm"  # error: not a month
    plan["items"][1]["budget"] = None  # warning: budget left empty
    plan["items"][1]["target"] = "Mức 1"  # note: 5.5 is at Mức 1 already (maintain)
    return plan


def result_counts(text: str) -> dict[str, int]:
    line = next(line for line in text.splitlines() if line.startswith("Kết quả:"))
    found = {"errors": 0, "warnings": 0, "notes": 0}
    for number, word in re.findall(r"(\d+) (lỗi|cảnh báo|lưu ý)", line):
        found[{"lỗi": "errors", "cảnh báo": "warnings", "lưu ý": "notes"}[word]] = int(number)
    return found


@pytest.mark.parametrize(
    "spoil",
    [spoilt, lambda p: p["items"][1].update(target="Mức 1") or p],
    ids=["error-warning-note", "note-only"],
)
def test_text_and_json_agree(build, good_plan, capsys, spoil):
    path = str(build(spoil(good_plan)))
    cli.main(["check", path])
    text = capsys.readouterr().out
    cli.main(["check", path, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    by_severity = {
        key: sum(f["severity"] == severity for f in doc["findings"])
        for key, severity in (("errors", "error"), ("warnings", "warning"), ("notes", "info"))
    }
    assert doc["summary"] == by_severity
    assert result_counts(text) == by_severity
    assert by_severity["notes"] == 1


def test_render_refusal_counts_warnings_and_notes(build, good_plan, tmp_path, capsys):
    path = str(build(spoilt(good_plan)))
    assert cli.main(["render", path, "-o", str(tmp_path / "ban-in.docx")]) == 1
    err = capsys.readouterr().err
    assert "[Lỗi]" in err and "[Cảnh báo]" not in err  # lists what blocks the plan
    assert result_counts(err) == {"errors": 1, "warnings": 1, "notes": 1}
    assert "Kết quả: 1 lỗi, 1 cảnh báo, 1 lưu ý." in err


def test_terminal_line_agrees_with_tong_quan(tmp_path, build, good_plan, capsys):
    folder = tmp_path / "nop"
    folder.mkdir()
    plan = build(good_plan)
    (folder / "a.xlsx").write_bytes(plan.read_bytes())
    (folder / "a-gui-lai.xlsx").write_bytes(plan.read_bytes())  # the same school twice
    other = spoilt(copy.deepcopy(good_plan))
    other["info"].update(school_name="Trường Tiểu học Lê Lợi", school_code="790002")
    (folder / "b.xlsx").write_bytes(build(other).read_bytes())
    (folder / "hong.xlsx").write_bytes(b"")
    out = tmp_path / "tong-hop.xlsx"
    assert cli.main(["merge", str(folder), "-o", str(out), "--quiet"]) == 1
    line = capsys.readouterr().out
    overview = {
        row[0].value: row[1].value
        for row in openpyxl.load_workbook(out)["Tổng quan"].iter_rows(min_col=1, max_col=2)
        if isinstance(row[0].value, str)
    }
    said = {
        word: int(n)
        for n, word in re.findall(
            r"(\d+) (trường|tệp đọc được|tệp không đọc được|bản trùng|kế hoạch có lỗi)", line
        )
    }
    assert said == {
        "trường": overview["Số trường đã tổng hợp"],
        "tệp đọc được": overview["Tệp kế hoạch đọc được"],
        "tệp không đọc được": overview["Tệp không đọc được"],
        "bản trùng": overview["Bản gửi trùng (đã bỏ, dùng bản mới hơn)"],
        "kế hoạch có lỗi": overview["Kế hoạch có lỗi"],
    }
    assert said["tệp đọc được"] == 3 and said["bản trùng"] == 1


def test_counts_in_messages_are_whole_numbers(build, good_plan):
    """In a batch (a roll-up), a count missing for one plan must not turn the others' to 26.0."""
    sparse = {**good_plan, "assessment": {"1.1": "Mức 2"}}
    plans = [read_plan(build(good_plan)), read_plan(build(sparse))]
    findings = check_plans(plans)[1]
    message = next(f.message for f in findings if f.rule == "assessment.current_mostly_missing")
    assert "26/27 tiêu chí" in message
    assert not re.search(r"\d\.0\b", message)
