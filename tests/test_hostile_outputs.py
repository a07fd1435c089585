"""What a hostile cell does to each output: the terminal, JSON, the marked copy, the
printed plan. Values that break a writer are cleaned or shown as text; a workbook
the stricter copier refuses gives one Vietnamese line."""

from __future__ import annotations

import json
import re

import pytest
from openpyxl import load_workbook
from test_reading import PLAN, rewrite

from sheetkit.cli import main

# What a terminal would run: C0 controls (bar tab and line feed), DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESCAPES = "Tổ chức\x1b]0;cửa sổ bị đổi tên\x07 hội thảo\x1b[2J\x9b31m\x00"


def with_cells(tmp_path, name: str, cells: dict[str, str]):
    """The example plan with raw cell XML placed in Kế hoạch (row 30, one item)."""
    xml = "".join(cells.values())
    row = '<row r="30"><c r="B30" t="inlineStr"><is><t>1.1</t></is></c>' + xml + "</row>"
    return rewrite(
        PLAN,
        tmp_path / name,
        sheet_xml=lambda text: text.replace("</sheetData>", row + "</sheetData>"),
    )


def text_cell(ref: str, text: str) -> str:
    """A text cell as Excel writes it: control characters as _xHHHH_ escapes."""
    escaped = re.sub(r"[\x00-\x1f]", lambda m: f"_x{ord(m[0]):04X}_", text)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'


@pytest.fixture
def pasted(tmp_path):
    """A plan whose solution and budget were pasted with terminal escape sequences."""
    return with_cells(
        tmp_path,
        "dan-tu-word.xlsx",
        {"H": text_cell("H30", ESCAPES), "M": text_cell("M30", "10 triệu\x1b[31m\x07")},
    )


def test_the_terminal_is_not_a_canvas(pasted, capsys):
    assert main(["check", str(pasted)]) in (0, 1)
    out = capsys.readouterr().out
    assert not CONTROL.search(out)
    assert "Kế hoạch!H30" in out and "\\x1b" in out  # the cell, its characters written out
    assert main(["check", str(pasted), "--format", "json"]) in (0, 1)
    raw = capsys.readouterr().out
    assert not CONTROL.search(raw)  # JSON escapes C0; DEL and C1 too
    doc = json.loads(raw)
    hit = next(f for f in doc["findings"] if f["cell"] == "H30")
    assert hit["rule"] == "text.control_characters" and hit["value"] == ESCAPES


def test_a_pasted_plan_is_marked_and_printed(pasted, tmp_path, capsys):
    marked = tmp_path / "da-kiem-tra.xlsx"
    assert main(["check", str(pasted), "--annotate", str(marked)]) in (0, 1)
    sheet = load_workbook(marked)["Kết quả kiểm tra"]
    shown = [row for row in sheet.iter_rows(values_only=True) if row[2] == "H30"]
    assert shown and "\\x1b" in shown[0][6]  # Đã nhập: written out, not refused
    for output in ("ban-in.docx", "ban-in.xlsx"):
        assert main(["render", str(pasted), "--draft", "-o", str(tmp_path / output)]) == 0
    plan_sheet = load_workbook(tmp_path / "ban-in.xlsx")["Bản kế hoạch"]
    texts = [c for row in plan_sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("Tổ chức" in t and "hội thảo" in t for t in texts)
    assert not any(CONTROL.search(t) for t in texts)


def test_odd_values_are_shown_as_text_in_json(tmp_path, capsys):
    import datetime as dt

    from sheetkit.model.findings import display_value

    path = with_cells(
        tmp_path,
        "so-la.xlsx",
        {"L": '<c r="L30"><v>1e308</v></c>', "M": '<c r="M30"><v>INF</v></c>'},
    )
    assert main(["check", str(path), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)  # json.loads refuses a bare Infinity
    values = {f["cell"]: f["value"] for f in doc["findings"] if f["row"] == 30}
    assert values["M30"] == "∞" and values["L30"] == 1e308
    budget = next(f for f in doc["findings"] if f["cell"] == "M30")
    assert budget["rule"] == "item.budget_invalid" and "quá lớn" in budget["message"]
    # Cells JSON has no type for: a time-only cell, a duration.
    assert display_value(dt.time(8, 30)) == "08:30:00"
    assert display_value(dt.timedelta(hours=30)) == "1 day, 6:00:00"
    assert [display_value(float("-inf")), display_value(float("nan"))] == ["-∞", None]


def test_xml_only_the_fast_reader_accepts_gives_one_line(tmp_path, capsys):
    path = rewrite(
        PLAN,
        tmp_path / "ky-tu.xlsx",
        **{"xl/sharedStrings.xml": lambda xml: xml.replace("</t></si>", "&#1;</t></si>", 1)},
    )
    assert main(["check", str(path)]) in (0, 1)  # the plan itself reads
    capsys.readouterr()
    marked = tmp_path / "da-kiem-tra.xlsx"
    assert main(["check", str(path), "--annotate", str(marked)]) == 2
    captured = capsys.readouterr()
    (line,) = (captured.out + captured.err).strip().splitlines()
    assert line.startswith(f"Không tạo được bản sao Excel từ '{path}'") and not marked.exists()
    assert main(["render", str(path), "--draft", "-o", str(tmp_path / "ban-in.docx")]) == 0


def test_an_ods_plan_gets_a_marked_xlsx(tmp_path, capsys):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(PLAN)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ods = tmp_path / (PLAN.stem + ".ods")
    marked = tmp_path / "da-kiem-tra.xlsx"
    assert main(["check", str(ods), "--annotate", str(marked)]) in (0, 1)
    book = load_workbook(marked)
    assert book.sheetnames[0] == "Kết quả kiểm tra" and "Kế hoạch" in book.sheetnames
    listed = [row[2] for row in book["Kết quả kiểm tra"].iter_rows(min_row=6, values_only=True)]
    assert listed and all(ref is None or book["Kế hoạch"][ref] is not None for ref in listed)
