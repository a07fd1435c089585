"""Write findings into a copy of the workbook: a Kết quả kiểm tra sheet and marked cells.

openpyxl is used because the copy must keep the user's formatting, dropdowns
and defined names. The input file is never written: the copy goes to a
temporary file renamed into place.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from .contract import SHEET_FINDINGS
from .files import atomic_path, open_for_copy
from .findings import SEVERITY_LABEL, display_value, summary
from .templates import row_height

FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}
AUTHOR = "sheetkit"


def set_text(cell, value: Any) -> None:
    """Write a value as inert text: a school name "=HYPERLINK(...)" stays text."""
    if value is None:
        cell.value = None
        return
    cell.value = value if isinstance(value, (int, float)) else str(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def annotate_workbook(
    source: str | os.PathLike[str],
    findings: list[dict],
    output: str | os.PathLike[str],
    sheet_names: dict[str, str] | None = None,
) -> Path:
    """Copy ``source`` to ``output`` with the findings shown inside it."""
    wb = open_for_copy(source, output)
    source, output = Path(source), Path(output)
    _clear_old_marks(wb)
    mark_cells(wb, findings, sheet_names or {})
    write_findings_sheet(wb, findings, source.name)
    with atomic_path(output) as tmp:
        wb.save(tmp)
    return output


def _clear_old_marks(wb) -> None:
    from openpyxl.styles import PatternFill

    if SHEET_FINDINGS in wb.sheetnames:
        del wb[SHEET_FINDINGS]
    ours = set(FILLS.values())
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                    if cell.fill is not None and cell.fill.fgColor.rgb in ours:
                        cell.fill = PatternFill(fill_type=None)


def mark_cells(wb, findings: list[dict], sheet_names: dict[str, str]) -> None:
    """Fill each cell with a finding and attach the messages as a comment."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[dict]] = {}
    for f in findings:
        cell = f.get("cell")
        if not cell or ":" in cell:
            continue
        sheet = sheet_names.get(f["sheet"], f["sheet"])
        if sheet in wb.sheetnames:
            by_cell.setdefault((sheet, cell), []).append(f)
    for (sheet, ref), group in by_cell.items():
        cell = wb[sheet][ref]
        worst = min(group, key=lambda f: ["error", "warning", "info"].index(f["severity"]))
        cell.fill = PatternFill("solid", fgColor=FILLS[worst["severity"]])
        text = "\n".join(f"{SEVERITY_LABEL[f['severity']]}: {f['message']}" for f in group)
        comment = Comment(text[:2000], AUTHOR)
        comment.width, comment.height = 320, 160
        cell.comment = comment


def write_findings_sheet(
    wb, findings: list[dict], file_name: str, link_sheets: Collection[str] | None = None
) -> None:
    """The Kết quả kiểm tra sheet: one row per finding, each linking to its cell.

    Links go to the sheets of ``wb``, or to ``link_sheets`` when the sheet is
    written apart and copied into the plan's workbook later (the Excel glue).
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(SHEET_FINDINGS, 0)
    counts = summary(findings)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    link = Font(name="Times New Roman", size=12, color="FF0563C1", underline="single")
    set_text(ws["A1"], "KẾT QUẢ KIỂM TRA KẾ HOẠCH")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=15)
    set_text(ws["A2"], f"Tệp: {file_name} — kiểm tra lúc {dt.datetime.now():%H:%M %d/%m/%Y}")
    set_text(
        ws["A3"],
        f"{counts['errors']} lỗi, {counts['warnings']} cảnh báo, {counts['infos']} lưu ý"
        + (
            " — không có lỗi."
            if not counts["errors"]
            else " — bấm vào ô ở cột C để đến chỗ cần sửa."
        ),
    )
    headers = ["Mức độ", "Trang", "Ô", "Cột", "Dòng KH", "Tiêu chí", "Đã nhập", "Cần sửa"]
    widths = [11, 14, 9, 18, 9, 9, 30, 90]
    for c, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=5, column=c)
        set_text(cell, header)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="FFDDEBF7")
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, f in enumerate(findings, start=6):
        values = [
            SEVERITY_LABEL[f["severity"]],
            f["sheet"],
            f.get("cell"),
            f.get("column"),
            f.get("item"),
            f.get("criterion"),
            display_value(f.get("value")),
            f["message"],
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            set_text(cell, value)
            cell.font = normal
            cell.alignment = wrap
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=FILLS[f["severity"]])
        shown = {"value": display_value(f.get("value")), "message": f["message"]}
        ws.row_dimensions[r].height = row_height(shown, {"value": widths[6], "message": widths[7]})
        target = f.get("cell")
        if target and f["sheet"] in (wb.sheetnames if link_sheets is None else link_sheets):
            first = target.split(":")[0]
            ref = ws.cell(row=r, column=3)
            ref.hyperlink = f"#'{f['sheet']}'!{first}"
            ref.font = link
    ws.freeze_panes = "A6"
    if findings:
        ws.auto_filter.ref = f"A5:H{5 + len(findings)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
