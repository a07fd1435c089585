"""Reader: headers by label, rows keep their Excel numbers, examples read back exactly."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, example_specs, rules_of
from sheetkit.checking.validation import check_plan
from sheetkit.reading import parsing
from sheetkit.reading.reader import plan_from_grids, read_plan
from sheetkit.writing.templates import build_template

PARSED = {
    "target": parsing.parse_level,
    "start": parsing.parse_month,
    "end": parsing.parse_month,
}
TEXT = ("result", "shortcoming", "solution", "lead", "support", "other_support", "title")


def assert_reads_back(plan, spec):
    info = {k: v for k, v in spec["info"].items() if v is not None}
    for key, value in info.items():
        assert plan.info[key].raw == value, key
    items = plan.items
    assert len(items) == len(spec["items"])
    for (_, row), item in zip(items.iterrows(), spec["items"], strict=True):
        assert row["criterion"] == str(item["criterion"])
        for key, parse in PARSED.items():
            assert row[key] == parse(item[key]), key
        for key in TEXT:
            expected = " ".join(str(item.get(key) or "").split()) or None
            got = row[key]
            assert (" ".join(got.split()) if isinstance(got, str) else None) == expected, key
        budget = row["budget_raw"]
        assert (None if pd.isna(budget) else budget) == (item.get("budget") or None)


@pytest.mark.parametrize("spec", example_specs(), ids=lambda s: s["file"])
def test_committed_examples_read_back_exactly(spec):
    assert_reads_back(read_plan(EXAMPLES / spec["file"]), spec)


@pytest.mark.parametrize("spec", example_specs(), ids=lambda s: s["file"])
def test_template_filled_with_openpyxl_reads_back(spec, tmp_path):
    """Fill the empty template cell by cell with openpyxl, as another program would."""
    from sheetkit.model.contract import INFO_FIELDS, PLAN_COLUMNS

    path = build_template(spec["template"], tmp_path / "empty.xlsx", circular=spec["circular"])
    wb = load_workbook(path)
    info = wb["Thông tin"]
    for r, field in enumerate(INFO_FIELDS, start=4):
        value = spec["info"].get(field.key)
        if value is not None:
            info.cell(row=r, column=2, value=value)
    plan_ws = wb["Kế hoạch"]
    for i, item in enumerate(spec["items"]):
        for c, field in enumerate(PLAN_COLUMNS, start=1):
            if field.key in item and item[field.key] not in (None, ""):
                plan_ws.cell(row=5 + i, column=c, value=item[field.key])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    assert_reads_back(read_plan(filled), spec)


EXPECTED_EXAMPLE_FINDINGS = {
    # The real problems of each plan, and nothing else.
    # Neither of the first two plans states the school's goal level: one finding says so.
    "ke-hoach-th-thcs-thanh-dong-2024-2025.xlsx": {
        "info.goal_level_missing",
        "assessment.current_mostly_missing",
        "item.start_outside_period",
        "item.budget_missing",
    },
    "ke-hoach-thcs-hoang-van-thu-2024-2025.xlsx": {
        "info.goal_level_missing",
        "assessment.current_mostly_missing",
        "item.title_other_criterion",
    },
    "ke-hoach-th-nguyen-thai-binh-2024-2029.xlsx": {
        "assessment.current_mostly_missing",
        "item.budget_missing",
        "item.title_other_circular",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED_EXAMPLE_FINDINGS))
def test_examples_report_their_real_problems(name):
    findings = check_plan(read_plan(EXAMPLES / name))
    assert rules_of(findings) == EXPECTED_EXAMPLE_FINDINGS[name]
    assert not [f for f in findings if f.severity == "error"]


def test_thanh_dong_reports_june_start_on_its_cell():
    findings = check_plan(read_plan(EXAMPLES / "ke-hoach-th-thcs-thanh-dong-2024-2025.xlsx"))
    hit = next(f for f in findings if f.rule == "item.start_outside_period")
    assert (hit.cell, hit.item, hit.criterion, hit.value) == (
        "K6",
        2,
        "2.2",
        "Tháng 6/2024",
    )


def _grids(good_plan_path: Path) -> dict:
    from sheetkit.reading.sources import open_workbook

    book = open_workbook(good_plan_path)
    return {name: book.grid(name) for name in book.sheet_names}


def test_headers_found_by_label_below_a_title_block_nfd_and_blank_rows(build, good_plan):
    grids = _grids(build(good_plan))
    plan_grid = grids.pop("Kế hoạch")
    # A Mac (NFD) workbook with three more title rows and a blank row between items.
    shifted = [[""] * 15 for _ in range(3)] + plan_grid
    header = shifted[6]
    shifted[6] = [
        unicodedata.normalize("NFD", h.upper()) if isinstance(h, str) else h for h in header
    ]
    shifted.insert(8, [""] * 15)
    grids["KẾ HOẠCH "] = shifted
    plan = plan_from_grids(grids)
    assert list(plan.items["row"]) == [8, 10]  # Excel rows, blank row skipped, not shifted
    assert list(plan.items["item"]) == [1, 2]
    assert plan.sheet_names["Kế hoạch"] == "KẾ HOẠCH "


def test_missing_sheet_is_one_finding(build, good_plan):
    grids = _grids(build(good_plan))
    del grids["Tự đánh giá"]
    findings = check_plan(plan_from_grids(grids))
    missing = [f for f in findings if f.rule == "structure.missing_sheet"]
    assert len(missing) == 1 and "Tự đánh giá" in missing[0].message


def test_missing_header_is_one_finding_not_hundreds(build, good_plan):
    grids = _grids(build(good_plan))
    grids["Kế hoạch"][3][12] = "Tiền"  # Dự kiến kinh phí renamed
    findings = check_plan(plan_from_grids(grids))
    structure = [f for f in findings if f.sheet == "Kế hoạch"]
    assert len(structure) == 1 and structure[0].rule == "structure.missing_header"
    assert "Dự kiến kinh phí" in structure[0].message


def test_not_a_plan_at_all():
    findings = check_plan(plan_from_grids({"Sheet1": [["a", "b"], [1, 2]]}))
    assert rules_of(findings) == {"structure.missing_sheet"} and len(findings) == 3


def test_ods_reads_like_xlsx(build, good_plan, tmp_path):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = build(good_plan)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ods = read_plan(tmp_path / (source.stem + ".ods"))
    assert ods.items[["criterion", "target", "start", "end"]].equals(
        read_plan(source).items[["criterion", "target", "start", "end"]]
    )


# ----------------------------------------------------------------- hostile files

PLAN = EXAMPLES / "ke-hoach-th-thcs-thanh-dong-2024-2025.xlsx"


def rewrite(source: Path, target: Path, **edits) -> Path:
    """A copy of a workbook with some parts edited: ``sheet="Kế hoạch"`` picks the part
    of that sheet; ``edits`` map a part (or "sheet") to a function of its text."""
    import re
    import zipfile

    with zipfile.ZipFile(source) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = edits.pop("sheet", "Kế hoạch")
    workbook = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet name="{sheet}" sheetId="\d+" r:id="(\w+)"', workbook)[1]
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    part = "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels)[1]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            edit = edits.get("sheet_xml" if name == part else name)
            out.writestr(name, edit(data.decode()).encode() if edit else data)
    return target


def add_cell(ref: str, text: str = "x"):
    """An edit that appends a text cell ``ref`` in its own last row."""
    row = "".join(ch for ch in ref if ch.isdigit())
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    return lambda xml: xml.replace("</sheetData>", cell + "</sheetData>")


def check_capped(path: Path, *args: str):
    """``sheetkit check`` in a process capped at 1 GB, as a school computer might be:
    a reader that tries to allocate a huge grid aborts the process instead of raising."""
    import subprocess
    import sys

    cap = "import resource,sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
    run = "from sheetkit.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", cap + run, "check", str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("ref", "reason"),
    [("XFD1048576", "quá xa"), ("A9999999910", "không thể có"), ("A150000", "quá xa")],
)
def test_a_far_cell_is_refused_naming_it(ref, reason, tmp_path):
    path = rewrite(PLAN, tmp_path / "xa.xlsx", sheet_xml=add_cell(ref))
    result = check_capped(path)
    assert result.returncode == 2, result.stderr[-300:]
    (line,) = result.stderr.splitlines()
    assert reason in line and "'Kế hoạch'" in line and ref in line


def test_a_wide_row_within_the_limits_is_read(tmp_path):
    path = rewrite(PLAN, tmp_path / "rong.xlsx", sheet_xml=add_cell("XFD2", "ghi chú"))
    assert len(read_plan(path).items) == len(read_plan(PLAN).items)


def test_a_shared_strings_count_that_lies_is_ignored(tmp_path):
    import re

    def lie(xml: str) -> str:
        return re.sub(
            r'count="\d+" uniqueCount="\d+"', 'count="4294967295" uniqueCount="4294967295"', xml
        )

    path = rewrite(PLAN, tmp_path / "dem.xlsx", **{"xl/sharedStrings.xml": lie})
    result = check_capped(path, "--format", "json")
    assert result.returncode in (0, 1), result.stderr[-300:]
    assert len(read_plan(path).items) == len(read_plan(PLAN).items)


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "docProps/core.xml"])
def test_a_dtd_is_refused_and_never_expanded(part, tmp_path):
    from sheetkit.reading.sources import ReadError

    laughs = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9))
    dtd = f'<!DOCTYPE x [<!ENTITY a0 "Mức 2 ">{laughs}]>'
    path = rewrite(
        PLAN, tmp_path / "dtd.xlsx", **{part: lambda xml: xml.replace("?>", "?>" + dtd, 1)}
    )
    with pytest.raises(ReadError) as refused:
        read_plan(path)
    assert refused.value.reason == "xml_dtd" and "DTD" in str(refused.value)


def test_the_content_decides_not_the_name(tmp_path):
    import shutil

    from sheetkit.excel.cfb import write_compound
    from sheetkit.reading.sources import ReadError

    renamed = shutil.copy(PLAN, tmp_path / "ke-hoach.xls")  # a real .xlsx named .xls
    assert len(read_plan(renamed).items) == len(read_plan(PLAN).items)
    # An .xls (a compound file with a Workbook stream) named .xlsx is not "password-protected".
    old = tmp_path / "cu.xlsx"
    old.write_bytes(write_compound({"Workbook": b"\x09\x08" + b"\0" * 600}))
    with pytest.raises(ReadError) as damaged:
        read_plan(old)
    assert "mật khẩu" not in str(damaged.value) and "hỏng" in str(damaged.value)
    word = tmp_path / "ke-hoach-word.xlsx"
    shutil.make_archive(str(tmp_path / "w"), "zip", EXAMPLES / "sources")
    with zipfile_writer(word) as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError) as not_excel:
        read_plan(word)
    assert "Word (.docx)" in str(not_excel.value)


def zipfile_writer(path: Path):
    import zipfile

    return zipfile.ZipFile(path, "w")


def test_reasons_say_what_is_wrong_with_the_path(tmp_path, monkeypatch):
    import os

    from sheetkit.reading.sources import ReadError

    loop = tmp_path / "vong.xlsx"
    os.symlink(loop, loop)
    gone = tmp_path / "lien-ket.xlsx"
    os.symlink(tmp_path / "da-xoa.xlsx", gone)
    pipe = tmp_path / "ong.xlsx"
    os.mkfifo(pipe)  # opening it would wait forever
    closed = tmp_path / "khoa.xlsx"
    closed.write_bytes(PLAN.read_bytes())
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == closed:  # tests run as root, who may read anything
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    expected = {loop: "vòng", gone: "không còn", pipe: "thông thường", closed: "quyền"}
    for path, words in expected.items():
        with pytest.raises(ReadError) as refused:
            read_plan(path)
        assert words in str(refused.value), path


def test_a_latin1_file_name_reads_and_shows(tmp_path):
    import os

    from sheetkit.reading.text import shown_path

    name = os.fsdecode(b"tr\xeang-h\xf2a-sen.xlsx")  # written by an old Windows zip tool
    path = tmp_path / name
    path.write_bytes(PLAN.read_bytes())
    assert len(read_plan(path).items) == len(read_plan(PLAN).items)
    assert shown_path(path.name) == "trêng-hòa-sen.xlsx"


def test_control_characters_are_dropped_and_reported(tmp_path):
    pasted = "Tổ chức\x07 hội thảo\x1b[31m\x0bbước 2\x85"
    path = rewrite(
        PLAN,
        tmp_path / "dan.xlsx",
        sheet_xml=lambda xml: xml.replace(
            "</sheetData>",
            '<row r="30"><c r="A30"><v>9</v></c><c r="B30" t="inlineStr"><is><t>1.1</t></is></c>'
            '<c r="H30" t="inlineStr"><is><t>' + pasted + "</t></is></c></row></sheetData>",
        ),
    )
    plan = read_plan(path)
    item = plan.items[plan.items["row"] == 30].iloc[0]
    assert item["solution"] == "Tổ chức hội thảo[31m\nbước 2"
    hits = [f for f in check_plan(plan) if f.rule == "text.control_characters"]
    assert [(f.sheet, f.cell, f.severity) for f in hits] == [("Kế hoạch", "H30", "warning")]
    assert hits[0].value == pasted


def test_an_ods_cell_repeated_over_the_sheet_is_refused(tmp_path):
    """A filled .ods cell may say it repeats: 4,000 x 4,000 of them is 16 million cells
    (a few bytes on disk), which the reader builds when the file is opened."""
    import zipfile

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    rows = (
        f"<table:table-row>{cell.format('Tên trường')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="4000">'
        + cell.replace(
            "<table:table-cell ", '<table:table-cell table:number-columns-repeated="4000" '
        ).format("x")
        + "</table:table-row>"
        # What LibreOffice writes for the empty rest of a sheet: costs nothing, never refused.
        + '<table:table-row table:number-rows-repeated="1044575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        f'<office:spreadsheet><table:table table:name="Thông tin">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "lap-lai.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    result = check_capped(path)
    assert result.returncode == 2, result.stderr[-300:]
    (line,) = result.stderr.splitlines()
    assert "'Thông tin'" in line and "EWV4001" in line and "quá xa" in line
