"""Legacy text (TCVN3, VNI) read as Unicode everywhere, and `sheetkit fix` writing a corrected copy."""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile

import openpyxl
import pytest

from conftest import legacy_template
from sheetkit import cli
from sheetkit.checking.validation import check_plan
from sheetkit.jobs import fix_file, merge_paths
from sheetkit.model.contract import SHEET_INFO, SHEET_PLAN
from sheetkit.reading.reader import read_plan
from sheetkit.reading.text import to_legacy
from sheetkit.validators.rules import BY_ID
from sheetkit.writing.printed import render_plan

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")

NAME = "Trường Tiểu học Kim Đồng"
SOLUTION = "Tổ chức các hoạt động giáo dục kỹ năng sống"
LEAD = "Phó hiệu trưởng phụ trách chuyên môn"
NOTE = "=Ghi chú đầy đủ, không phải công thức"
PRINCIPAL_NFD = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")


@pytest.fixture
def legacy_plan(good_plan) -> dict:
    good_plan["info"]["school_name"] = to_legacy(NAME, "TCVN3")
    good_plan["info"]["principal"] = PRINCIPAL_NFD
    good_plan["items"][0]["solution"] = to_legacy(SOLUTION, "VNI")
    good_plan["items"][1]["lead"] = to_legacy(LEAD, "TCVN3")
    good_plan["items"][1]["budget"] = to_legacy("Theo quy chế chi tiêu nội bộ", "VNI")
    good_plan["items"][1]["note"] = to_legacy(NOTE, "TCVN3")
    return good_plan


def test_legacy_text_is_read_as_unicode_and_still_flagged(build, legacy_plan):
    path = build(legacy_plan)
    plan = read_plan(path)
    assert plan.school_name == NAME
    assert plan.item_records[0]["solution"] == SOLUTION
    assert plan.item_records[1]["lead"] == LEAD
    assert plan.item_records[1]["budget_kind"] is not None  # the VNI phrase is understood
    legacy = [f for f in check_plan(plan) if f.rule == "text.legacy_encoding"]
    # Each cell flagged where it is, with what was typed.
    assert sorted((f.sheet, f.cell, f.value) for f in legacy) == sorted(
        [
            (SHEET_INFO, plan.info["school_name"].cell, to_legacy(NAME, "TCVN3")),
            (SHEET_PLAN, _cell(plan, 1, "solution"), to_legacy(SOLUTION, "VNI")),
            (SHEET_PLAN, _cell(plan, 2, "lead"), to_legacy(LEAD, "TCVN3")),
            (SHEET_PLAN, _cell(plan, 2, "budget"), legacy_plan["items"][1]["budget"]),
            (SHEET_PLAN, _cell(plan, 2, "note"), to_legacy(NOTE, "TCVN3")),
        ]
    )
    message = next(f.message for f in legacy if f.value == to_legacy(NAME, "TCVN3"))
    assert "TCVN3" in message and "Unicode" in message and "sheetkit fix" in message
    assert BY_ID["text.legacy_encoding"].severity == "warning"


def _cell(plan, item: int, key: str) -> str:
    row = next(r["row"] for r in plan.item_records if r["item"] == item)
    return f"{plan.columns[SHEET_PLAN][key]}{row}"


def test_every_output_shows_unicode(build, legacy_plan, tmp_path):
    path = build(legacy_plan)
    doc = render_plan(read_plan(path))
    assert doc.school == NAME.upper()
    assert SOLUTION in doc.items[0].cells["solution"]
    folder = tmp_path / "nop"
    folder.mkdir()
    path.rename(folder / "th.xlsx")
    rollup = merge_paths([folder], tmp_path / "tong-hop.xlsx")
    assert list(rollup.schools["school_name"]) == [NAME]
    assert SOLUTION in set(rollup.items["solution"])
    assert (rollup.findings["rule"] == "text.legacy_encoding").sum() == 5
    summary = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")
    texts = {c.value for ws in summary.worksheets for row in ws.iter_rows() for c in row}
    assert NAME in texts and SOLUTION in texts


# ----------------------------------------------------------------- sheetkit fix


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cells(book) -> dict:
    """Every cell of every sheet with its value, type and formatting."""
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                found[(ws.title, c.coordinate)] = (
                    c.value,
                    c.data_type,
                    c.number_format,
                    repr(c.font),
                    repr(c.fill),
                    repr(c.border),
                    repr(c.alignment),
                    repr(c.protection),
                )
    return found


def sheet_facts(book) -> dict:
    facts = {}
    for ws in book.worksheets:
        facts[ws.title] = (
            ws.sheet_state,
            ws.freeze_panes,
            sorted(str(r) for r in ws.merged_cells.ranges),
            [
                (str(v.sqref), v.type, v.formula1, v.prompt, v.error, v.allow_blank)
                for v in ws.data_validations.dataValidation
            ],
            {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
            {k: d.height for k, d in ws.row_dimensions.items()},
            repr(ws.page_setup),
            repr(ws.protection),
            [(str(r.sqref), [repr(x) for x in r.rules]) for r in ws.conditional_formatting],
        )
    return facts


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_fix_writes_a_copy_with_only_the_text_changed(tmp_path, legacy_plan, capsys, suffix):
    source = legacy_template("tieu-hoc", tmp_path / f"ke-hoach{suffix}", legacy_plan)
    before = digest(source)
    out = tmp_path / f"da-sua{suffix}"
    assert cli.main(["fix", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert (
        f"  {SHEET_INFO}: 1 ô chuyển từ bảng mã cũ sang Unicode, 1 ô chuẩn hóa Unicode" in printed
    )
    assert f"  {SHEET_PLAN}: 4 ô chuyển từ bảng mã cũ sang Unicode" in printed
    assert printed.rstrip().endswith(f"→ {out}")
    assert digest(source) == before

    old = openpyxl.load_workbook(source, keep_vba=suffix == ".xlsm")
    new = openpyxl.load_workbook(out, keep_vba=suffix == ".xlsm")
    assert new.sheetnames == old.sheetnames
    assert sorted((n, d.attr_text) for n, d in new.defined_names.items()) == sorted(
        (n, d.attr_text) for n, d in old.defined_names.items()
    )
    assert sheet_facts(new) == sheet_facts(old)
    old_cells, new_cells = cells(old), cells(new)
    assert old_cells.keys() == new_cells.keys()
    changed = {k for k in old_cells if old_cells[k] != new_cells[k]}
    assert all(old_cells[k][1:] == new_cells[k][1:] for k in changed)  # only values changed
    values = {k: new_cells[k][0] for k in changed}
    assert sorted(values.values()) == sorted(
        [NAME, unicodedata.normalize("NFC", PRINCIPAL_NFD), SOLUTION, LEAD, NOTE]
        + ["Theo quy chế chi tiêu nội bộ"]
    )
    formulas = {k: v for k, v in old_cells.items() if v[1] == "f"}
    assert formulas and all(new_cells[k] == v for k, v in formulas.items())
    note = [k for k, v in new_cells.items() if v[0] == NOTE]
    assert note and new_cells[note[0]][1] == "s"  # text that looks like a formula stays text

    plan = read_plan(out)
    assert plan.legacy_cells == [] and plan.school_name == NAME
    if suffix == ".xlsm":
        with zipfile.ZipFile(source) as a, zipfile.ZipFile(out) as b:
            assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")


def test_fix_of_a_clean_workbook_changes_nothing(tmp_path, good_plan, capsys):
    source = legacy_template("tieu-hoc", tmp_path / "ke-hoach.xlsx", good_plan)
    fixed = fix_file(source, tmp_path / "ban-sao.xlsx")
    assert fixed.converted == {} and fixed.normalised == {}
    assert cells(openpyxl.load_workbook(fixed.output)) == cells(openpyxl.load_workbook(source))


def test_fix_refuses_what_it_cannot_do(tmp_path, good_plan, capsys):
    source = legacy_template("tieu-hoc", tmp_path / "ke-hoach.xlsx", good_plan)
    before = digest(source)
    assert cli.main(["fix", str(source), "-o", str(source)]) == 3
    assert "đó chính là tệp đầu vào" in capsys.readouterr().err
    assert cli.main(["fix", str(source), "-o", str(tmp_path / "ban.csv")]) == 3
    assert cli.main(["fix", str(source), "-o", str(tmp_path / "ban.xlsm")]) == 3
    (tmp_path / "cu.xls").write_bytes(b"")
    assert cli.main(["fix", str(tmp_path / "cu.xls"), "-o", str(tmp_path / "ban.xlsx")]) == 3
    assert cli.main(["fix", str(tmp_path / "khong-co.xlsx"), "-o", str(tmp_path / "b.xlsx")]) == 2
    (tmp_path / "hong.xlsx").write_text("không phải Excel", encoding="utf-8")
    assert cli.main(["fix", str(tmp_path / "hong.xlsx"), "-o", str(tmp_path / "b.xlsx")]) == 2
    assert "Không đọc được" in capsys.readouterr().err
    assert digest(source) == before
    assert not (tmp_path / "b.xlsx").exists() and not (tmp_path / "ban.xlsm").exists()


def test_fix_of_xml_only_the_reader_accepts_says_what_is_wrong(tmp_path, good_plan, capsys):
    """A character reference openpyxl refuses (&#1;): the copy's own reason, not "damaged"."""
    source = legacy_template("tieu-hoc", tmp_path / "ke-hoach.xlsx", good_plan)
    spoiled = tmp_path / "ky-tu-la.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(spoiled, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"</t></si>", b"&#1;</t></si>", 1)
            zout.writestr(info, data)
    out = tmp_path / "ban.xlsx"
    assert cli.main(["fix", str(spoiled), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "không chép được sang bản Excel mới" in err and "đã bị hỏng" not in err
    assert not out.exists()
