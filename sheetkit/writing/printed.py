"""Printing a plan: its document, the Word file, the Bản kế hoạch sheet, whatever its layout.

``render_plan(plan)`` turns a checked Plan into a ``Document``: the header
parts every document shares, then the plan's layout writes its body
(``layouts.of(plan).document``). ``render_docx`` and ``sheet_layout`` (with
``render_xlsx``, a copy of the school's workbook with the sheet) write any
``Document``, asking the layout that made it (``Document.layout``) for its
body. No module these reach imports this one.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import layouts
from ..model.contract import SHEET_RENDERED
from ..model.findings import Finding, Report
from ..model.plan import Plan
from .docx_parts import title_page
from .files import atomic_path, open_for_copy, same_file, stamp_copy
from .page import check_pages, check_size
from .plan_text import (
    BLANK,
    DRAFT_MARK,
    TITLE,
    Document,
    RenderRefused,
    governing_body,
    place_date,
    school_heading,
)
from .sheet_parts import SheetLayout, print_first, write_plan_sheet


def render_plan(
    plan: Plan, findings: list[Finding] | None = None, *, draft: bool = False
) -> Document:
    """The official document of ``plan``.

    ``findings`` are those of ``check_plan(plan)`` (computed when not given).
    A plan with errors raises ``RenderRefused`` unless ``draft``: a draft is
    rendered with a visible BẢN NHÁP mark so it cannot pass for the real one.
    """
    if findings is None:
        from ..checking.validation import check_plan

        findings = check_plan(plan)
    errors = Report(findings).errors
    if errors and not draft:
        raise RenderRefused(findings)
    notice = ""
    if draft:
        notice = f"{DRAFT_MARK} - " + (
            f"kế hoạch còn {errors} lỗi, chưa dùng để ban hành"
            if errors
            else "chưa dùng để ban hành"
        )
    principal = plan.value("principal") or ""
    common = {
        "governing_body": governing_body(plan),
        "school": school_heading(plan.school_name),
        "number": f"Số: {plan.value('document_number') or BLANK + '/KH-' + BLANK}",
        "place_date": place_date(plan),
        "title": TITLE,
        "signer_name": principal,
        "draft": notice,
        "layout": plan.layout,
    }
    return layouts.of(plan).document(plan, common)


def render_docx(doc: Document, output: str | os.PathLike[str]) -> Path:
    """Write ``doc`` as a .docx file (temporary file renamed into place)."""
    check_size(doc)
    word, usable_mm = title_page(doc)
    layouts.get(doc.layout).write_docx_body(word, doc, usable_mm)
    output = Path(output)
    with atomic_path(output) as tmp:
        word.save(str(tmp))
    return output


def sheet_layout(doc: Document) -> SheetLayout:
    """Cells, merges, styles, row heights and page breaks of the official plan.

    Refused (PlanTooLarge) past the size limits, or past MAX_PAGES pages: Excel
    keeps at most 1,026 manual page breaks in a sheet.
    """
    check_size(doc)
    layout = layouts.get(doc.layout).sheet_body(doc)
    check_pages(len(layout.breaks) + 1)
    return layout


def render_xlsx(
    source: str | os.PathLike[str],
    doc: Document,
    output: str | os.PathLike[str],
    sheet: str = SHEET_RENDERED,
) -> Path:
    """A copy of the school's workbook with the Bản kế hoạch sheet; the input is not touched.

    .xls and .ods inputs, which openpyxl cannot open, give a new workbook
    holding only the Bản kế hoạch sheet. ``sheet``: another name for it (the
    review report's Báo cáo rà soát).
    """
    from openpyxl import Workbook

    layout = sheet_layout(doc)  # first: a plan too large is refused before any copying
    source, output = Path(source), Path(output)
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        wb = open_for_copy(source, output)
    elif same_file(source, output):
        raise ValueError("output must differ from the input file")
    else:
        wb = Workbook()
        wb.remove(wb.active)
    print_first(wb, write_plan_sheet(wb, layout, sheet))
    stamp_copy(wb, "render")  # a later render may write over it until somebody saves it
    with atomic_path(output) as tmp:
        wb.save(tmp)
    return output
