"""Plan layouts: one object per regulation's form, found by every wing.

A third layout is one new module of sheetkit/layouts plus its data (a family
and a circular in the catalog): the test below declares one, a 2018-like form
with a sheet of its own (Minh chứng), registers it as such a module would, and
finds it in the template, the reader, the checks, the printed plan and the
roll-up, without touching any other module.
"""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from openpyxl import load_workbook

from sheetkit import layouts
from sheetkit.jobs import check_file, merge_paths, render_file
from sheetkit.layouts.table2018 import Table2018
from sheetkit.model import catalog, contract
from sheetkit.model.contract import Field, PlanField, Table
from sheetkit.reading.reader import read_plan
from sheetkit.writing import templates
from sheetkit.writing.templates import build_template

SHEET_EVIDENCE = "Minh chứng"
EVIDENCE_COLUMNS = (
    PlanField("criterion", "Mã tiêu chí", parser="criterion", required=True),
    PlanField("evidence", "Minh chứng", parser="lines"),
)
MARK = "(mẫu thử nghiệm)"


class Trial(Table2018):
    """A made-up regulation: the 2018 table plus a sheet of evidence per criterion."""

    id = "trial"
    name = "mẫu thử nghiệm"
    short_name = "mẫu thử nghiệm"
    family = "trial"
    distinct_sheets = (SHEET_EVIDENCE,)

    @property
    def tables(self) -> tuple[Table, ...]:
        return (*super().tables, Table("evidence", SHEET_EVIDENCE, EVIDENCE_COLUMNS))

    def check_tables(self, chosen, at):
        self.checked = [plan.source for _, plan in chosen]
        return super().check_tables(chosen, at)

    def document(self, plan, common):
        doc = super().document(plan, common)
        return dataclasses.replace(doc, layout=self.id, subtitle=f"{doc.subtitle} {MARK}")

    def write_template(self, circular, level, path, data, macros) -> None:
        super().write_template(circular, level, path, data, macros)
        book = load_workbook(path)
        sheet = book.create_sheet(SHEET_EVIDENCE)
        sheet.append([f.label for f in EVIDENCE_COLUMNS])
        for code, text in data.get("evidence", {}).items():
            sheet.append([code, text])
        book.save(path)

    def reduce(self, plan, findings):
        return {"evidence": len(plan.records.get("evidence", []))}

    def assemble(self, plans, kept_ids, schools, at):
        return sum(plans[i][self.id]["evidence"] for i in kept_ids if self.id in plans[i])

    def overview_lines(self, rollup):
        count = rollup.parts.get(self.id)
        return [] if count is None else [("MẪU THỬ NGHIỆM", None), ("Số minh chứng", count)]


@pytest.fixture
def trial(monkeypatch):
    """The trial layout registered with its data: a family and a circular (a copy of TT17)."""
    layout = Trial()
    monkeypatch.setitem(layouts.LAYOUTS, layout.id, layout)
    family = dataclasses.replace(catalog.FAMILIES[catalog.FAMILY_2018], id="trial", layout="trial")
    monkeypatch.setitem(catalog.FAMILIES, "trial", family)
    circular = dataclasses.replace(catalog.by_id("tt17-2018"), id="trial-2027", family_id="trial")
    shipped = catalog.circulars()
    monkeypatch.setattr(catalog, "circulars", lambda: (*shipped, circular))
    monkeypatch.setattr(templates, "CIRCULAR_IDS", (*templates.CIRCULAR_IDS, circular.id))
    monkeypatch.setitem(templates.GUIDANCE_2018, circular.id, templates.GUIDANCE_2018["tt17-2018"])
    return layout


def trial_plan(tmp_path, good_plan, name="truong-thu.xlsx"):
    data = {**good_plan, "evidence": {"3.6": "Biên bản kiểm kê", "5.5": "Sổ theo dõi"}}
    return build_template("tieu-hoc", tmp_path / name, data, circular="trial-2027")


def test_the_builtin_layouts_are_found_by_discovery():
    assert {contract.LAYOUT_2018, contract.LAYOUT_TT57} <= set(layouts.LAYOUTS)
    assert layouts.all_layouts()[0].id == contract.LAYOUT_2018  # the default comes first
    # Each names the family of its circulars, and each family names its layout back.
    for layout in layouts.all_layouts():
        assert catalog.FAMILIES[layout.family].layout == layout.id


def test_every_layout_has_its_tables_and_a_plan_table():
    for layout in layouts.all_layouts():
        keys = [t.key for t in layout.tables]
        assert "items" in keys and len(keys) == len(set(keys))
        assert all(isinstance(f, Field) for f in layout.info_fields)
        assert "tiêu chí" in layout.headers(contract.SHEET_PLAN)["criterion"].lower()


def test_a_new_layout_is_found_by_template_read_check_render_and_merge(trial, tmp_path, good_plan):
    folder = tmp_path / "truong"
    folder.mkdir()
    path = trial_plan(folder, good_plan)

    # The template: the layout's own writer (its sheet is there).
    assert SHEET_EVIDENCE in load_workbook(path).sheetnames

    # The reader tells the layout from the content and reads its own table.
    plan = read_plan(path)
    assert plan.layout == "trial" and plan.family_id == "trial"
    assert plan.circular.id == "trial-2027"
    assert [r["evidence"] for r in plan.records["evidence"]] == ["Biên bản kiểm kê", "Sổ theo dõi"]

    # The checks run the layout's tables: a spoilt row is found with its cell.
    spoilt = {**good_plan, "items": [{**good_plan["items"][0], "target": "Mức 1"}]}
    spoilt["assessment"] = {**good_plan["assessment"], "3.6": "Mức 2"}
    bad = trial_plan(tmp_path, spoilt, "sai.xlsx")
    checked = check_file(bad)
    assert trial.checked == [str(bad)]
    errors = checked.report.of_severity("error")
    assert any(f.sheet == contract.SHEET_PLAN and f.cell for f in errors)

    # The printed plan: the layout's document, in Word and in the sheet.
    rendered = render_file(path, tmp_path / "ke-hoach.docx")
    assert rendered.document.layout == "trial"
    with zipfile.ZipFile(tmp_path / "ke-hoach.docx") as archive:
        assert MARK in archive.read("word/document.xml").decode("utf-8")
    render_file(path, tmp_path / "ke-hoach-in.xlsx")
    sheet = load_workbook(tmp_path / "ke-hoach-in.xlsx")["Bản kế hoạch"]
    assert any(MARK in str(c.value) for row in sheet.iter_rows() for c in row if c.value)

    # The roll-up: the layout's own part, and its section of Tổng quan.
    rollup = merge_paths([folder], tmp_path / "tong-hop.xlsx", workers=1)
    assert rollup.layouts == {"trial": 1}
    assert rollup.parts["trial"] == 2
    assert ("Số minh chứng", 2) in rollup.overview()
    overview = load_workbook(tmp_path / "tong-hop.xlsx")["Tổng quan"]
    assert any(c.value == "Số minh chứng" for row in overview.iter_rows() for c in row)


def test_a_layout_without_progress_is_refused_by_review_in_its_own_words(
    trial, tmp_path, good_plan
):
    from sheetkit.jobs import review_file
    from sheetkit.writing.files import UsageError

    path = trial_plan(tmp_path, good_plan)
    with pytest.raises(UsageError, match="kế hoạch này theo mẫu thử nghiệm"):
        review_file(path)
