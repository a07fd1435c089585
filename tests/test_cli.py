"""The command line: exit codes, JSON contract, unreadable files, the annotated copy."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, encrypted_package
from sheetkit.cli import main

FIELDS = {
    "severity",
    "rule",
    "sheet",
    "cell",
    "row",
    "column",
    "item",
    "criterion",
    "value",
    "message",
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sheetkit", *args], capture_output=True, text=True, timeout=120
    )


def test_check_json_contract_and_exit_code(build, good_plan):
    good_plan["items"][1]["end"] = "cuối năm"
    path = build(good_plan)
    result = run("check", str(path), "--format", "json")
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["file"] == str(path)
    assert doc["summary"] == {"errors": 1, "warnings": 0, "notes": 0}
    (finding,) = doc["findings"]
    assert set(finding) == FIELDS
    assert finding | {"message": ""} == {
        "severity": "error",
        "rule": "item.end_invalid",
        "sheet": "Kế hoạch",
        "cell": "L6",
        "row": 6,
        "column": "Hoàn thành",
        "item": 2,
        "criterion": "5.5",
        "value": "cuối năm",
        "message": "",
    }


def test_check_clean_plan_exits_zero(build, good_plan, capsys):
    assert main(["check", str(build(good_plan))]) == 0
    assert "không có lỗi" in capsys.readouterr().out


def test_check_text_output_names_sheet_cell_and_typed_value(capsys):
    code = main(["check", str(EXAMPLES / "ke-hoach-th-thcs-thanh-dong-2024-2025.xlsx")])
    out = capsys.readouterr().out
    assert code == 0  # warnings only
    assert "── Kế hoạch ──" in out and "Kế hoạch!K6" in out and "đã nhập: Tháng 6/2024" in out
    assert "0 lỗi, 4 cảnh báo" in out


def _hostile_files(tmp_path):
    files = {}
    files["empty"] = tmp_path / "rong.xlsx"
    files["empty"].write_bytes(b"")
    files["text"] = tmp_path / "khong-phai-excel.xlsx"
    files["text"].write_text("đây không phải bảng tính", encoding="utf-8")
    files["truncated"] = tmp_path / "cat-ngang.xlsx"
    files["truncated"].write_bytes(
        (EXAMPLES / "ke-hoach-thcs-hoang-van-thu-2024-2025.xlsx").read_bytes()[:4000]
    )
    files["encrypted"] = tmp_path / "mat-khau.xlsx"
    files["encrypted"].write_bytes(encrypted_package())
    files["pdf"] = tmp_path / "ke-hoach.pdf"
    files["pdf"].write_bytes(b"%PDF-1.4")
    files["missing"] = tmp_path / "khong-co.xlsx"
    return files


@pytest.mark.parametrize("kind", ["empty", "text", "truncated", "encrypted", "pdf", "missing"])
def test_unreadable_file_is_one_clear_line_exit_2(kind, tmp_path):
    path = _hostile_files(tmp_path)[kind]
    result = run("check", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0]
    as_json = run("check", str(path), "--format", "json")
    assert as_json.returncode == 2 and json.loads(as_json.stdout)["error"]


def test_bad_usage_exits_3():
    # 2 is kept for a file that cannot be read; a command used wrongly is 3.
    assert run("check").returncode == 3
    assert run("template", "dai-hoc", "-o", "x.xlsx").returncode == 3


def test_template_command(tmp_path):
    out = tmp_path / "mau.xlsx"
    assert main(["template", "trung-hoc", "-o", str(out)]) == 0
    assert load_workbook(out).sheetnames[:4] == [
        "Hướng dẫn",
        "Thông tin",
        "Tự đánh giá",
        "Kế hoạch",
    ]


def test_template_command_macro_enabled(tmp_path, capsys):
    out = tmp_path / "mau.xlsm"
    assert main(["template", "tieu-hoc", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    district = tmp_path / "tong-hop.xlsm"
    assert main(["template", "tong-hop", "-o", str(district)]) == 0
    assert load_workbook(district).sheetnames == ["Tổng hợp", "xlwings.conf"]
    assert main(["template", "tong-hop", "-o", str(tmp_path / "tong-hop.xlsx")]) == 3
    assert ".xlsm" in capsys.readouterr().err
    assert not (tmp_path / "tong-hop.xlsx").exists()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_annotate_writes_a_marked_copy_and_never_touches_the_input(build, good_plan, tmp_path):
    good_plan["info"]["school_name"] = '=HYPERLINK("http://x","bấm")'
    good_plan["items"][0]["budget"] = "khoảng năm triệu"
    good_plan["items"][1]["lead"] = None
    source = build(good_plan)
    before = _digest(source)
    out = tmp_path / "da-danh-dau.xlsx"
    assert main(["check", str(source), "--annotate", str(out)]) == 1
    assert _digest(source) == before

    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Kết quả kiểm tra"
    # It opens on the report, the only selected tab (two selected tabs open grouped in Excel).
    assert wb.active.title == "Kết quả kiểm tra"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Kết quả kiểm tra"]
    report = wb["Kết quả kiểm tra"]
    rows = [[c.value for c in row] for row in report.iter_rows(min_row=6)]
    cells = {row[2] for row in rows}
    assert {"M5", "I6"} <= cells
    # It prints numbered, its header on every page, each header in its own column.
    assert report.oddFooter.center.text == "Trang &P/&N" and report.print_title_rows == "$5:$5"
    assert report.page_setup.useFirstPageNumber and report.page_setup.firstPageNumber == 1
    assert report["E5"].alignment.wrap_text and report.column_dimensions["E"].width >= 10
    link = next(r for r in report.iter_rows(min_row=6) if r[2].value == "M5")[2]
    assert link.hyperlink.location == "'Kế hoạch'!M5" or link.hyperlink.target.endswith("M5")
    plan = wb["Kế hoạch"]
    assert plan["M5"].fill.fgColor.rgb == "FFFFC7CE"
    assert "kinh phí" in plan["M5"].comment.text
    # The copy keeps every dropdown and defined name of the template.
    original = load_workbook(source)
    for name in ("Kế hoạch", "Thông tin", "Tự đánh giá"):
        assert len(wb[name].data_validations.dataValidation) == len(
            original[name].data_validations.dataValidation
        )
    assert set(wb.defined_names) == set(original.defined_names)
    # The school's text stays text in the copy, never a live formula.
    assert wb["Thông tin"]["B4"].data_type == "s"
    with zipfile.ZipFile(out) as z:
        report_xml = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>HYPERLINK" in z.read(n) for n in report_xml)

    # Annotating the annotated copy replaces the old marks instead of stacking them.
    again = tmp_path / "lan-hai.xlsx"
    good_plan["items"][0]["budget"] = "Không"
    main(["check", str(out), "--annotate", str(again)])
    wb2 = load_workbook(again)
    assert wb2.sheetnames.count("Kết quả kiểm tra") == 1


def test_annotate_refuses_to_overwrite_input(build, good_plan):
    source = build(good_plan)
    before = _digest(source)
    assert main(["check", str(source), "--annotate", str(source)]) == 3
    assert _digest(source) == before


def test_debug_after_the_command_and_version():
    """`sheetkit check FILE --debug` (as the README shows) and `--version` are understood."""
    example = str(EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx")
    after = run("check", example, "--debug")
    assert after.returncode == 0, after.stderr
    assert "không hiểu" not in after.stderr
    assert "sẵn sàng để gửi" in after.stdout
    before = run("--debug", "check", example)
    assert before.returncode == 0 and before.stdout == after.stdout
    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("sheetkit 0.1.0 (Python ")


def test_debug_after_the_command_shows_the_traceback(monkeypatch, capsys):
    from sheetkit import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng bên trong")

    monkeypatch.setattr(jobs, "check_source", broken)
    example = str(EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx")
    assert main(["check", example]) == 4
    assert "chạy lại với --debug" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match="hỏng bên trong"):
        main(["check", example, "--debug"])


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_output_keeps_vietnamese_letters_whatever_the_code_page(encoding):
    """A Windows redirect to a file (cp1252) must not turn letters into \\u escapes or crash."""
    import os

    example = str(EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for args in (("--format", "json"), ()):
        result = subprocess.run(
            [sys.executable, "-m", "sheetkit", "check", example, *args],
            capture_output=True,
            timeout=120,
            env=env,
        )
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        out = result.stdout.decode("utf-8")
        assert "\\u" not in out and "Lỗi không mong đợi" not in out
    assert json.loads(run("check", example, "--format", "json").stdout)["school_level"]
    assert "Mức đạt của trường" in out
