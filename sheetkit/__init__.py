"""sheetkit: write, check and roll up school quality-improvement plans in Excel.

    import sheetkit
    plan = sheetkit.read_plan("ke-hoach.xlsx")      # school info + pandas DataFrames
    findings = sheetkit.check_plan(plan)            # list of Finding
    checked = sheetkit.check_file("ke-hoach.xlsx")  # read + check: .plan, .report (counts)
    sheetkit.build_template("tieu-hoc", "mau.xlsx")
    rollup = sheetkit.merge(["thu-muc"])             # a district's plans as DataFrames
    sheetkit.write_summary(rollup, "tong-hop.xlsx")
    doc = sheetkit.render_plan(plan)                 # the official plan document
    sheetkit.render_docx(doc, "ke-hoach.docx")       # or render_xlsx(source, doc, out)

Names are imported on first use so that ``import sheetkit`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_plan": "reading.reader",
    "plan_from_grids": "reading.reader",
    "ReadError": "reading.sources",
    "ParseError": "reading.parsing",
    "Plan": "model.plan",
    "Finding": "model.findings",
    "Report": "model.findings",
    "check_plan": "checking.validation",
    "check_plans": "checking.validation",
    "findings_frame": "checking.validation",
    "build_template": "writing.templates",
    "annotate_workbook": "writing.annotate",
    "render_plan": "writing.document",
    "Document": "writing.document",
    "RenderRefused": "writing.document",
    "render_xlsx": "writing.plan_sheet",
    "sheet_layout": "writing.plan_sheet",
    "render_docx": "writing.plan_docx",
    "write_summary": "writing.summary",
    "write_tables": "writing.summary",
    "UsageError": "writing.files",
    "merge": "merging.rollup",
    "Rollup": "merging.rollup",
    "check_file": "jobs",
    "render_file": "jobs",
    "merge_paths": "jobs",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'sheetkit' has no attribute {name!r}")
