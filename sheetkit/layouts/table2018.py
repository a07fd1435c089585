"""The 2018 table: Thông tư 17, 18, 19/2018, one free plan table (Kế hoạch) and Thông tin."""

from __future__ import annotations

from typing import Any

from ..model import catalog, contract
from .base import Layout


class Table2018(Layout):
    id = contract.LAYOUT_2018
    name = "mẫu theo Thông tư 17, 18, 19/2018"
    short_name = "mẫu 2018"
    family = catalog.FAMILY_2018

    # Read from the column registry at each use, so a column declared there reaches every wing.
    @property
    def info_fields(self):
        return contract.INFO_FIELDS

    @property
    def tables(self):
        return (
            contract.Table("assessment", contract.SHEET_ASSESSMENT, contract.ASSESSMENT_COLUMNS),
            contract.Table("items", contract.SHEET_PLAN, contract.PLAN_COLUMNS),
        )

    def check_tables(self, chosen, at):
        from ..checking import table2018

        return table2018.tables(chosen)

    def document(self, plan, common):
        from ..writing.document import table_document

        return table_document(plan, common)

    def write_docx_body(self, word, doc, usable_mm):
        from ..writing.plan_docx import write_plan

        write_plan(word, doc, usable_mm)

    def sheet_body(self, doc):
        from ..writing.plan_sheet import plan_layout

        return plan_layout(doc)

    def write_template(self, circular, level, path, data, macros) -> None:
        from ..writing.templates import write_2018

        write_2018(circular, path, data, macros, level)

    def carry_forward(self, plan, year, info, result):
        from ..writing.carry_over import from_2018

        return from_2018(plan, year, info, result)

    def overview_lines(self, rollup):
        from ..merging.table2018 import overview_section

        return overview_section(rollup)

    def reduce(self, plan, findings) -> dict[str, Any] | None:
        return None


LAYOUT = Table2018()
