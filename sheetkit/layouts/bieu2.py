"""Biểu 2 of Thông tư 57/2026: priority issues, a ten-column plan, a twice-yearly review.

Its plans have a school level (khoản 3 Điều 5), their targets in Tự đánh giá,
their progress reviewed at a month (Mức độ thực hiện, Theo dõi), and a roll-up
of their own (levels, compulsory criteria, issues, progress: merging/tt57.py).
"""

from __future__ import annotations

from typing import Any

from ..model import catalog, contract
from .base import Layout


def _parse_criterion(value: object) -> Any:
    from ..reading import parsing

    # Thông tư 57 has no criterion 1.10, so a number 1.1 there is criterion 1.1.
    return parsing.parse_criterion(value, catalog.family_codes(catalog.FAMILY_TT57))


def _parse_school_level(value: object) -> Any:
    from ..reading import parsing

    return parsing.parse_choice(value, parsing.SCHOOL_LEVEL_CHOICES_TT57)


class Bieu2(Layout):
    id = contract.LAYOUT_TT57
    name = "mẫu Thông tư 57/2026"
    short_name = "mẫu Thông tư 57/2026"
    family = catalog.FAMILY_TT57

    @property
    def info_fields(self):
        return contract.INFO_FIELDS_TT57

    @property
    def tables(self):
        return (
            contract.Table(
                "assessment", contract.SHEET_ASSESSMENT, contract.ASSESSMENT_COLUMNS_TT57
            ),
            contract.Table("issues", contract.SHEET_ISSUES, contract.ISSUE_COLUMNS),
            contract.Table("items", contract.SHEET_PLAN, contract.PLAN_COLUMNS_TT57),
            contract.Table("reviews", contract.SHEET_REVIEWS, contract.REVIEW_COLUMNS),
        )

    distinct_sheets = (contract.SHEET_ISSUES, contract.SHEET_REVIEWS)
    in_force = True
    reviewable = True
    rows_in_rollup = False  # its rows have their own columns: the TT57 sheets of the roll-up
    targets_in_assessment = True

    def value_parsers(self) -> dict[str, Any]:
        return {"criterion": _parse_criterion, "school_level": _parse_school_level}

    def check_tables(self, chosen, at):
        from ..checking import review, tt57

        tables = tt57.tables(chosen)
        if at is not None:
            tables["tt57.review"] = review.row_table(chosen, at)
            tables["tt57.review.points"] = review.point_table(chosen, at)
        return tables

    def school_level(self, plan):
        from ..checking.tt57 import school_level_summary

        return school_level_summary(plan)

    def school_level_lines(self, plan):
        from ..checking.tt57 import school_level_lines

        return school_level_lines(plan)

    def document(self, plan, common):
        from ..writing.bieu2 import document

        return document(plan, common)

    def write_docx_body(self, word, doc, usable_mm):
        from ..writing.bieu2_docx import write_sections

        write_sections(word, doc, usable_mm)

    def sheet_body(self, doc):
        from ..writing.bieu2_sheet import bieu2_layout

        return bieu2_layout(doc)

    def write_template(self, circular, level, path, data, macros) -> None:
        from ..writing.template_tt57 import write_tt57

        write_tt57(circular, level or circular.school_levels[0], path, data, macros)

    def carry_forward(self, plan, year, info, result):
        from ..writing.carry_over import from_tt57

        return from_tt57(plan, year, info, result)

    def reduce(self, plan, findings):
        from ..merging import tt57

        return tt57.reduce(plan)

    def overview_lines(self, rollup):
        from ..merging import tt57

        return tt57.overview_section(rollup.parts.get(self.id))

    def summary_sheets(self, rollup, criteria):
        from ..writing import summary_tt57

        return summary_tt57.sheets(rollup)

    def overview_charts(self, book, ws, styles, rollup, criteria, row, breaks, first):
        from ..writing import summary_tt57

        return summary_tt57.overview_charts(book, ws, styles, rollup, row, breaks)

    def table_set(self, rollup):
        from ..writing import summary_tt57

        return summary_tt57.table_set(rollup)

    def assemble(self, plans, kept_ids, schools, at):
        from ..merging import tt57

        return tt57.assemble(plans, kept_ids, schools, at)


LAYOUT = Bieu2()
