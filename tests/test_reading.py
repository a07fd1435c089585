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
