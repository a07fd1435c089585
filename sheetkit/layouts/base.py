"""What a plan layout is: the one object that says what differs between regulations.

A plan layout is a workbook form and the regulation behind it: the 2018
table (Thông tư 17, 18, 19/2018) or Biểu 2 of Thông tư 57/2026. Generic code
(reading, checking, printing, templates, the roll-up, jobs) asks the plan's
layout and never tests which regulation a plan follows. Each layout is one
module of this package; its methods import the wing modules that do its work
when they are called, so importing the registry costs only the column
registry, and no wing module ever imports a layout back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.contract import SHEET_ASSESSMENT, SHEET_INFO, Field, PlanField, SummaryColumn, Table

if TYPE_CHECKING:
    import pandas as pd

    from ..model.catalog import Circular
    from ..model.findings import Finding
    from ..model.plan import Plan
    from ..writing.plan_text import Document


class Layout:
    """One plan layout. Subclasses set the data and override what they do differently."""

    id: str  # Plan.layout: "2018", "tt57"
    name: str  # how messages name it: "mẫu Thông tư 57/2026"
    short_name: str  # in a sentence: "kế hoạch này theo mẫu 2018"
    family: str  # the catalog family of its circulars (catalog.FAMILIES)
    info_fields: tuple[Field, ...]  # the Thông tin labels
    tables: tuple[Table, ...]  # the table sheets, in workbook order
    # Sheets only this layout has: each weighs three headers when a workbook's layout is told.
    distinct_sheets: tuple[str, ...] = ()
    # The form in force: next year's plan is written in it (``sheetkit next``).
    in_force: bool = False
    # Its plans' progress can be reviewed at a month (Mức độ thực hiện, Theo dõi).
    reviewable: bool = False
    # Its plan rows go to the roll-up's generic table of plan rows (Chi tiết kế hoạch).
    rows_in_rollup: bool = True
    # The plan's target levels are written in Tự đánh giá rather than on each plan row.
    targets_in_assessment: bool = False

    # ------------------------------------------------------------- the column registry

    @property
    def plan_columns(self) -> tuple[PlanField, ...]:
        """The columns of Kế hoạch."""
        return next(t.fields for t in self.tables if t.key == "items")

    def item_rollup_columns(self) -> tuple[tuple[str, SummaryColumn], ...]:
        """The plan-row columns of the roll-up's detail table, in the order of Kế hoạch."""
        return tuple(pair for f in self.plan_columns for pair in f.rollup)

    def headers(self, sheet: str) -> dict[str, str]:
        """Field key -> Vietnamese header of a sheet, as findings name their column."""
        fields = {SHEET_INFO: self.info_fields}
        fields.update((t.sheet, t.fields) for t in self.tables)
        found = {f.key: f.label for f in fields.get(sheet, ())}
        if sheet == SHEET_ASSESSMENT:
            found["assessment_current"] = "Mức hiện tại"  # the plan-wide "levels missing" finding
        return found

    # ------------------------------------------------------------- reading

    def value_parsers(self) -> dict[str, Any]:
        """Parsers (by a field's ``parser`` name) that differ from the reader's defaults: plain
        functions; the reader remembers their answers as it does its own."""
        return {}

    # ------------------------------------------------------------- checking

    def check_tables(
        self, chosen: list[tuple[int, Plan]], at: int | None
    ) -> dict[str, pd.DataFrame]:
        """The tables the rules of ``validators/`` run over, for this layout's plans of a batch.

        ``chosen``: (index in the batch, plan); each table's ``plan`` column holds the index.
        ``at``: a review month, for a layout whose progress is reviewed.
        """
        raise NotImplementedError

    def school_level(self, plan: Plan) -> dict[str, Any] | None:
        """The JSON ``school_level`` (current, planned, reasons); None: no school level."""
        return None

    def school_level_lines(self, plan: Plan) -> list[str]:
        """The school level now and after the plan, each with why, as printed lines."""
        return []

    # ------------------------------------------------------------- printing

    def document(self, plan: Plan, common: dict[str, Any]) -> Document:
        """The printed document, from the header parts every layout shares (``common``)."""
        raise NotImplementedError

    def write_docx_body(self, word: Any, doc: Document, usable_mm: float) -> None:
        """Append the document's body after the Word title page."""
        raise NotImplementedError

    def sheet_body(self, doc: Document) -> Any:
        """The Bản kế hoạch sheet's cells, merges, heights and breaks (``plan_sheet.SheetLayout``)."""
        raise NotImplementedError

    # ------------------------------------------------------------- templates

    def write_template(
        self, circular: Circular, level: str | None, path: Path, data: dict, macros: bool
    ) -> None:
        """Write the template workbook of ``circular`` (``level`` pre-filled as Cấp học)."""
        raise NotImplementedError

    # ------------------------------------------------------------- next year's plan

    def carry_forward(self, plan: Plan, year: int, info: dict[str, Any], result: Any) -> tuple:
        """(issues, items, assessment) of next year's plan (the form in force) for ``year``,
        from this layout's ``plan``; ``info`` (the kept Thông tin) and ``result``
        (``carry_over.NextYear``: rows carried, notes) are completed on the way."""
        raise NotImplementedError

    # ------------------------------------------------------------- the roll-up

    def reduce(self, plan: Plan, findings: list[Finding]) -> dict[str, Any] | None:
        """What the roll-up keeps of a plan beyond its school row and generic rows (None:
        nothing); kept in the plan's result under the layout's id.

        Small and picklable: it comes back from a worker process.
        """
        return None

    def overview_lines(self, rollup: Any) -> list[tuple[str, Any]]:
        """Tổng quan's section about this layout's plans: (label, value) lines, value None for
        a heading; none when the roll-up has none of them."""
        return []

    def summary_sheets(self, rollup: Any, criteria: Any) -> dict[str, Any]:
        """The roll-up workbook's sheets of this layout's plans: name -> writer(book, styles);
        written in the order of contract.SUMMARY_SHEETS (others before Lỗi)."""
        return {}

    def overview_charts(
        self,
        book: Any,
        ws: Any,
        styles: Any,
        rollup: Any,
        criteria: Any,
        row: int,
        breaks: list,
        first: bool,
    ) -> int:
        """Tổng quan's charts of this layout's plans from ``row`` (under a heading unless
        ``first``), adding the rows where a printed page starts to ``breaks``; the row after."""
        return row

    def table_set(self, rollup: Any) -> dict[str, Any]:
        """The tables of this layout's own part written beside the roll-up (--csv, --parquet)."""
        return {}

    def assemble(
        self, plans: dict[int, dict[str, Any]], kept_ids: list[int], schools: pd.DataFrame, at: int
    ) -> Any:
        """The layout's own part of the roll-up (``Rollup.parts[id]``), from the plans' results
        (by school id; those of this layout hold what ``reduce`` kept under its id), at month
        ``at``. None: the layout adds nothing."""
        return None
