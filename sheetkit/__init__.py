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

import os
from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Libraries that reserve address space sheetkit never uses, set before pandas imports them
# (a value already in the environment wins). pyarrow, which holds every text column of
# pandas, allocates through mimalloc by default, and mimalloc reserves 1 GiB of address
# space on its first allocation; OpenBLAS, loaded with numpy and unused here, starts one
# thread per CPU, each with its own stack and buffers. Under an address-space limit
# (``ulimit -v``, a shared server's quota) those reservations, not the plan, ran out:
# a 20,000-row check and a 100,000-character cell's render failed under 2 GB.
RUNTIME_ENVIRONMENT = {"ARROW_DEFAULT_MEMORY_POOL": "system", "OPENBLAS_NUM_THREADS": "1"}
for _name, _value in RUNTIME_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

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
    "render_plan": "writing.printed",
    "Document": "writing.plan_text",
    "RenderRefused": "writing.plan_text",
    "render_xlsx": "writing.printed",
    "sheet_layout": "writing.printed",
    "render_docx": "writing.printed",
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
