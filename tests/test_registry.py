"""The column registry: one declaration per field reaches every reader and writer."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from conftest import legacy_template
from sheetkit import layouts
from sheetkit.merging.rollup import merge
from sheetkit.model import contract
from sheetkit.model.contract import SHEET_ITEMS, PlanField, SummaryColumn
from sheetkit.reading.reader import read_plan
from sheetkit.writing.document import COLUMN_KEYS
from sheetkit.writing.printed import render_plan
from sheetkit.writing.summary import write_summary
from sheetkit.writing.summary_2018 import item_table
from sheetkit.writing.templates import PLAN_HEADER_ROW

EXTRA = PlanField(
    "evidence",
    "Minh chứng dự kiến",
    ("Minh chứng",),
    parser="lines",
    width=20,
    rollup=(("evidence", SummaryColumn("Minh chứng dự kiến", 24)),),
    printed="note",
)


def _add_column(monkeypatch, field: PlanField) -> None:
    """A column declared in the registry, and nowhere else (the 2018 layout reads it there)."""
    monkeypatch.setattr(contract, "PLAN_COLUMNS", (*contract.PLAN_COLUMNS, field))


def test_every_plan_field_is_placed_in_every_output():
    keys = [f.key for f in contract.PLAN_COLUMNS]
    assert len(keys) == len(set(keys))
    rolled = [key for key, _ in layouts.get(contract.LAYOUT_2018).item_rollup_columns()]
    assert len(rolled) == len(set(rolled))
    for f in contract.PLAN_COLUMNS:
        # Printed somewhere that exists, or deliberately not printed.
        assert f.printed is None or f.printed in COLUMN_KEYS, f.key
        # Read fields reach the roll-up; only formula-only columns (TT) may stay out of it.
        assert f.rollup or f.parser is None, f.key
    table = [key for key, _ in item_table()]
    assert set(rolled) <= set(table)


def test_a_field_printed_in_no_known_column_fails_loudly(monkeypatch, build, good_plan):
    plan = read_plan(build(good_plan))
    lost = PlanField("lost", "Cột lạc", parser="lines", printed="khong-co-cot")
    _add_column(monkeypatch, lost)
    with pytest.raises(KeyError):
        render_plan(plan)


def test_a_new_column_is_one_entry(monkeypatch, tmp_path, good_plan):
    """Declared once, a column appears in the template, the reader, the roll-up and the print."""
    _add_column(monkeypatch, EXTRA)
    good_plan["items"][0]["evidence"] = "Biên bản kiểm kê thư viện"
    folder = tmp_path / "truong"
    folder.mkdir()
    path = legacy_template("tieu-hoc", folder / "ke-hoach.xlsx", good_plan)

    # The template: the header at the end of the table, the typed value below it.
    ws = load_workbook(path)["Kế hoạch"]
    header = [c.value for c in ws[PLAN_HEADER_ROW + 1]]
    col = header.index("Minh chứng dự kiến") + 1
    assert col == len(contract.PLAN_COLUMNS)
    assert ws.cell(PLAN_HEADER_ROW + 2, col).value == "Biên bản kiểm kê thư viện"

    # The reader.
    plan = read_plan(path)
    assert plan.items["evidence"].tolist()[0] == "Biên bản kiểm kê thư viện"

    # The roll-up's table and its detail sheet.
    rollup = merge([folder], workers=1)
    assert rollup.items["evidence"].tolist()[0] == "Biên bản kiểm kê thư viện"
    summary = write_summary(rollup, tmp_path / "tong-hop.xlsx")
    detail = load_workbook(summary)[SHEET_ITEMS]
    names = [c.value for c in detail[1]]
    values = [c.value for c in detail[2]]
    assert values[names.index("Minh chứng dự kiến")] == "Biên bản kiểm kê thư viện"

    # The printed plan: in the column the field names.
    document = render_plan(plan, draft=True)
    cells = [row.cells["note"] for row in document.items]
    assert any("Minh chứng dự kiến: Biên bản kiểm kê thư viện" in c for c in cells)
