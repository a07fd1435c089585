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

from ..model.contract import SHEET_FINDINGS
from ..model.findings import SEVERITY_LABEL, SEVERITY_ORDER, Finding, Report, display_value
from ..reading.text import show_controls, shown_path
from .files import atomic_path, open_for_copy, set_text, show_only, stamp_copy
from .layout import HEIGHT_MARGIN, row_height

FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}
AUTHOR = "sheetkit"
NOTE_PREFIXES = tuple(f"{label}:" for label in SEVERITY_LABEL.values())
FIRST_FINDING_ROW = 6  # of the Kết quả kiểm tra sheet; row 5 holds the headers
# A marked copy lists and marks at most this many findings, errors first. Past it a plan is
# one mistake repeated (20,000 rows pasted in), and every listed finding costs openpyxl
# eight styled cells and a comment: 24,000 findings took minutes and 500 MB.
MAX_ANNOTATED = 2_000


def annotated(findings: list[Finding]) -> list[Finding]:
    """The findings a marked copy shows: all, or the ``MAX_ANNOTATED`` worst in their order."""
    if len(findings) <= MAX_ANNOTATED:
        return findings
    worst = sorted(range(len(findings)), key=lambda i: SEVERITY_ORDER[findings[i].severity])
    return [findings[i] for i in sorted(worst[:MAX_ANNOTATED])]


def fill_rgb(severity: str) -> tuple[int, int, int]:
    """The fill of a marked cell as (r, g, b), for writers that take colours that way."""
    argb = FILLS[severity]
    return (int(argb[2:4], 16), int(argb[4:6], 16), int(argb[6:8], 16))


def cell_marks(
    findings: list[Finding], sheet_names: dict[str, str], present: Collection[str]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, cell) -> (worst severity, note text) for each single cell with findings.

    ``sheet_names`` maps the contract's sheet labels to the workbook's names;
    findings on sheets not ``present`` or on ranges ("A1:C3") are not marked.
    """
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in annotated(findings):
        sheet = sheet_names.get(f.sheet, f.sheet)
        if f.cell and ":" not in f.cell and sheet in present:
            by_cell.setdefault((sheet, f.cell), []).append(f)
    marks = {}
    for key, group in by_cell.items():
        worst = min(group, key=lambda f: SEVERITY_ORDER[f.severity])
        text = "\n".join(f"{SEVERITY_LABEL[f.severity]}: {f.message}" for f in group)
        marks[key] = (worst.severity, show_controls(text[:2000]))
    return marks


def listed_cells(grid: list[list[Any]]) -> list[tuple[str, str]]:
    """(sheet, cell) of every finding a Kết quả kiểm tra sheet lists, from its values."""
    return [
        (str(row[1]), str(row[2]))
        for row in grid[FIRST_FINDING_ROW - 1 :]
        if len(row) > 2 and row[1] and row[2]
    ]


def annotate_workbook(
    source: str | os.PathLike[str],
    findings: list[Finding],
    output: str | os.PathLike[str],
    sheet_names: dict[str, str] | None = None,
    headline: str | None = None,
) -> Path:
    """Copy ``source`` to ``output`` with the findings shown inside it.

    ``headline``: what the check says of the plan as a whole (a TT57 school's
    level and why), shown above the findings.
    """
    wb = open_for_copy(source, output)
    source, output = Path(source), Path(output)
    _clear_old_marks(wb)
    mark_cells(wb, findings, sheet_names or {})
    write_findings_sheet(wb, findings, shown_path(source.name), headline=headline)
    stamp_copy(wb, "annotate")  # merge skips it: the school's plan is the file it was made from
    with atomic_path(output) as tmp:
        wb.save(tmp)
    return output


def _clear_old_marks(wb) -> None:
    from openpyxl.styles import PatternFill

    if SHEET_FINDINGS in wb.sheetnames:
        del wb[SHEET_FINDINGS]
    ours = set(FILLS.values())
    for ws in wb.worksheets:
        # Only the cells that exist: iter_rows() would visit every empty cell up to
        # the farthest one, a billion for a sheet with a stray cell at XFD1048576.
        for cell in list(ws._cells.values()):
            if cell.comment is not None and cell.comment.author == AUTHOR:
                cell.comment = None
                if cell.fill is not None and cell.fill.fgColor.rgb in ours:
                    cell.fill = PatternFill(fill_type=None)


def mark_cells(wb, findings: list[Finding], sheet_names: dict[str, str]) -> None:
    """Fill each cell with a finding and attach the messages as a comment."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    for (sheet, ref), (severity, text) in cell_marks(findings, sheet_names, wb.sheetnames).items():
        cell = wb[sheet][ref]
        cell.fill = PatternFill("solid", fgColor=FILLS[severity])
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 160
        cell.comment = comment


def write_findings_sheet(
    wb,
    findings: list[Finding],
    file_name: str,
    link_sheets: Collection[str] | None = None,
    headline: str | None = None,
) -> None:
    """The Kết quả kiểm tra sheet: one row per finding, each linking to its cell.

    Links go to the sheets of ``wb``, or to ``link_sheets`` when the sheet is
    written apart and copied into the plan's workbook later (the Excel glue).
    ``headline`` (lines about the whole plan: a TT57 school's level and why)
    fills row 4, above the findings' headers.
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(SHEET_FINDINGS, 0)
    report = Report(findings)
    listed = annotated(findings)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    link = Font(name="Times New Roman", size=12, color="FF0563C1", underline="single")
    set_text(ws["A1"], "KẾT QUẢ KIỂM TRA KẾ HOẠCH")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=15)
    set_text(ws["A2"], f"Tệp: {file_name} — kiểm tra lúc {dt.datetime.now():%H:%M %d/%m/%Y}")
    set_text(
        ws["A3"],
        f"{report.errors} lỗi, {report.warnings} cảnh báo, {report.infos} lưu ý"
        + (" — không có lỗi." if report.ok else " — bấm vào ô ở cột C để đến chỗ cần sửa."),
    )
    notice = ""
    if len(listed) < len(findings):
        shown, left = (
            f"{n:,}".replace(",", ".") for n in (len(listed), len(findings) - len(listed))
        )
        notice = (
            f"Bản này chỉ ghi {shown} phát hiện (lỗi trước), còn {left} phát hiện khác: hãy sửa "
            "các chỗ dưới đây rồi kiểm tra lại (lệnh sheetkit check liệt kê đủ)."
        )
    if notice and not headline:
        set_text(ws["A4"], notice)
        ws["A4"].font = Font(name="Times New Roman", bold=True, size=12, color="FF9C0006")
    elif notice:  # row 4 holds the school's level: the notice follows it there
        headline = f"{headline}\n{notice}"
    headers = ["Mức độ", "Trang", "Ô", "Cột", "Dòng KH", "Tiêu chí", "Đã nhập", "Cần sửa"]
    widths = [11, 14, 9, 18, 10, 10, 30, 90]
    if headline:
        # Row 4, across the table's width (one cell: the lines wrap inside it).
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(headers))
        set_text(ws["A4"], headline)
        ws["A4"].font = normal
        ws["A4"].alignment = Alignment(wrap_text=True, vertical="top")
        lines = headline.split("\n")
        span = sum(widths) * HEIGHT_MARGIN
        ws.row_dimensions[4].height = sum(row_height({"t": line}, {"t": span}) for line in lines)
    for c, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=FIRST_FINDING_ROW - 1, column=c)
        set_text(cell, header)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="FFDDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    # Measured a little narrower than the columns: LibreOffice wraps some lines earlier.
    wrapped = {"sheet": 1, "column": 3, "value": 6, "message": 7}
    measured = {key: widths[n] * HEIGHT_MARGIN for key, n in wrapped.items()}
    for r, f in enumerate(listed, start=FIRST_FINDING_ROW):
        values = [
            SEVERITY_LABEL[f.severity],
            f.sheet,
            f.cell,
            f.column,
            f.item,
            f.criterion,
            display_value(f.value),
            f.message,
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            set_text(cell, value)
            cell.font = normal
            cell.alignment = wrap
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        shown = {"sheet": f.sheet, "column": f.column, "value": display_value(f.value)}
        shown["message"] = f.message
        ws.row_dimensions[r].height = row_height(shown, measured)
        target = f.cell
        if target and f.sheet in (wb.sheetnames if link_sheets is None else link_sheets):
            first = target.split(":")[0]
            ref = ws.cell(row=r, column=3)
            ref.hyperlink = f"#'{f.sheet}'!{first}"
            ref.font = link
    ws.freeze_panes = f"A{FIRST_FINDING_ROW}"
    if listed:
        header = FIRST_FINDING_ROW - 1
        ws.auto_filter.ref = f"A{header}:H{header + len(listed)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    # Numbered from 1 whatever sheets print before it (LibreOffice numbers on across sheets).
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.print_title_rows = f"{FIRST_FINDING_ROW - 1}:{FIRST_FINDING_ROW - 1}"
    show_only(wb, ws.title)
