"""Templates: compared by structure (cells, validations, names, layout), never by bytes."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from conftest import LEGACY, ROOT, legacy_template
from sheetkit.model import catalog
from sheetkit.writing.templates import (
    PLAN_ROWS,
    TEMPLATE_NAMES,
    build_template,
    committed_templates,
)

COMMITTED_XLSX = [c for c in committed_templates() if c.path.endswith(".xlsx")]


def describe(path) -> dict:
    """What a user and Excel see of a workbook: the golden-file comparison key."""
    wb = load_workbook(path)
    desc = {
        "sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets],
        "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
    }
    for ws in wb.worksheets:
        desc[ws.title] = {
            "cells": {
                c.coordinate: (c.value, c.data_type, c.number_format)
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            },
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1, v.promptTitle, v.prompt, v.errorStyle)
                for v in ws.data_validations.dataValidation
            ),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "freeze": ws.freeze_panes,
            "print_titles": ws.print_title_rows,
            "orientation": ws.page_setup.orientation,
            "paper": ws.page_setup.paperSize,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        }
    return desc


@pytest.mark.parametrize("template", COMMITTED_XLSX, ids=lambda c: c.path)
def test_committed_templates_are_up_to_date(template, tmp_path):
    committed = ROOT / "workbook_templates" / template.path
    fresh = template.build(tmp_path / "fresh.xlsx")
    assert describe(committed) == describe(fresh), (
        "workbook_templates/ is out of date: run python -m sheetkit.writing.templates workbook_templates"
    )


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_contract(name, tmp_path):
    circular = catalog.by_id(LEGACY[name])
    wb = load_workbook(legacy_template(name, tmp_path / "t.xlsx"))
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Tự đánh giá", "Kế hoạch", "DanhSach"]
    assert wb["DanhSach"].sheet_state == "hidden"

    # Tự đánh giá: every criterion of the circular, codes stored as text ("1.10" stays 1.10).
    ws = wb["Tự đánh giá"]
    assert [c.value for c in ws[3]] == ["Mã tiêu chí", "Tên tiêu chí", "Mức hiện tại", "Ghi chú"]
    codes = [ws.cell(row=r, column=1) for r in range(4, 4 + len(circular.criteria))]
    assert [c.value for c in codes] == circular.codes
    assert all(c.data_type == "s" for c in codes)
    assert "1.10" in circular.codes

    # Kế hoạch: the contract's header row, with dropdowns over PLAN_ROWS rows.
    plan = wb["Kế hoạch"]
    headers = [c.value for c in plan[4]]
    assert headers[:5] == ["TT", "Mã tiêu chí", "Tên tiêu chí", "Mức hiện tại", "Mức cần đạt"]
    assert headers[-1] == "Ghi chú" and len(headers) == 15
    lists = {
        v.formula1: str(v.sqref) for v in plan.data_validations.dataValidation if v.type == "list"
    }
    assert lists == {"DS_TieuChi": f"B5:B{4 + PLAN_ROWS}", "DS_MucCanDat": f"E5:E{4 + PLAN_ROWS}"}
    assert plan["B5"].number_format == "@"  # typed codes stay text
    assert plan["C5"].value.startswith("=IF(B5") and "BangTieuChi" in plan["C5"].value
    assert "TuDanhGia_Muc" in plan["D5"].value
    assert plan.freeze_panes == "D5" and plan.print_title_rows == "$4:$4"
    assert plan.page_setup.orientation == "landscape" and plan.page_setup.paperSize == 9

    # Every list comes from a workbook-level defined name, never an inline list.
    for sheet in wb.worksheets:
        for v in sheet.data_validations.dataValidation:
            if v.type == "list":
                assert v.formula1 in wb.defined_names, v.formula1
            assert len(v.promptTitle or "") <= 32 and len(v.prompt or "") <= 255
            assert len(v.errorTitle or "") <= 32 and len(v.error or "") <= 225
    names = wb.defined_names
    assert names["DS_TieuChi"].attr_text == f"'DanhSach'!$F$2:$F${1 + len(circular.criteria)}"

    info = wb["Thông tin"]
    labels = [info.cell(row=r, column=1).value for r in range(4, 16)]
    assert labels[:3] == ["Tên trường", "Mã trường", "Cấp học"] and "Mức mục tiêu" in labels
    info_lists = {v.formula1 for v in info.data_validations.dataValidation}
    assert info_lists == {"DS_CapHoc", "DS_LoaiKeHoach", "DS_MucCanDat"}


def test_trung_hoc_levels_list(tmp_path):
    wb = load_workbook(legacy_template("trung-hoc", tmp_path / "t.xlsx"))
    values = [wb["DanhSach"].cell(row=r, column=1).value for r in range(2, 5)]
    assert values == ["THCS", "THPT", "Phổ thông nhiều cấp học"]


def test_unknown_template_name(tmp_path):
    with pytest.raises(ValueError):
        build_template("dai-hoc", tmp_path / "x.xlsx")
