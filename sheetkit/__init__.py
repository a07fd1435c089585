"""sheetkit: write, check and roll up school quality-improvement plans in Excel.

    import sheetkit
    plan = sheetkit.read_plan("ke-hoach.xlsx")      # school info + pandas DataFrames
    findings = sheetkit.check_plan(plan)            # list of findings (dicts)
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
    "read_plan": "reading",
    "plan_from_grids": "reading",
    "Plan": "plan",
    "check_plan": "validation",
    "check_plans": "validation",
    "findings_frame": "validation",
    "build_template": "templates",
    "annotate_workbook": "annotate",
    "ReadError": "sources",
    "ParseError": "parsing",
    "merge": "merging",
    "Rollup": "merging",
    "write_summary": "summary",
    "write_tables": "summary",
    "render_plan": "render",
    "Document": "render",
    "RenderRefused": "render",
    "render_xlsx": "plan_sheet",
    "sheet_layout": "plan_sheet",
    "render_docx": "plan_docx",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'sheetkit' has no attribute {name!r}")
