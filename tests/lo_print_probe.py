"""Print documents in LibreOffice headless and report how it lays them out.

Run with a Python that has LibreOffice's ``uno`` module (the system python3
with python3-uno, not the project's virtual environment):

    python3 lo_print_probe.py REQUEST.json

REQUEST: {"files": [{"path": ..., "sheet": name or null, "pdf": path or null}]}.
For a workbook with ``sheet``: that sheet's row heights as written, the rows
where LibreOffice starts a new page (manual and automatic breaks), and each
row's optimal height (LibreOffice fitting the row to its text), all in
points; with ``pdf``, only that sheet is exported. For a text document: the
PDF. Prints one JSON object per file. Nothing is saved over the input.
"""

from __future__ import annotations

import os

import uno  # noqa: I001  (from LibreOffice, not from PyPI)
from lo_vba_probe import prop, serve

POINTS_PER_HMM = 72 / 2540  # LibreOffice lengths are in 1/100 mm


def sheet_report(doc, request: dict) -> dict:
    sheet = doc.Sheets.getByName(request["sheet"])
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    last, end_column = cursor.RangeAddress.EndRow, cursor.RangeAddress.EndColumn
    rows = sheet.Rows
    written = [rows.getByIndex(r).Height * POINTS_PER_HMM for r in range(last + 1)]
    breaks = [
        {"row": b.Position + 1, "manual": bool(b.ManualBreak)}
        for b in sheet.getRowPageBreaks()
        if 0 < b.Position <= last
    ]
    if request.get("pdf"):
        for name in list(doc.Sheets.ElementNames):
            if name != request["sheet"]:
                doc.Sheets.removeByName(name)
        export(doc, request["pdf"], "calc_pdf_Export")
        sheet = doc.Sheets.getByName(request["sheet"])
        rows = sheet.Rows
    optimal = []
    for r in range(last + 1):
        row = rows.getByIndex(r)
        row.OptimalHeight = True
        optimal.append(row.Height * POINTS_PER_HMM)
    columns = [sheet.Columns.getByIndex(c).Width * POINTS_PER_HMM for c in range(end_column + 1)]
    return {"heights": written, "breaks": breaks, "optimal": optimal, "columns": columns}


def export(doc, pdf: str, filter_name: str) -> None:
    url = uno.systemPathToFileUrl(os.path.abspath(pdf))
    doc.storeToURL(url, (prop("FilterName", filter_name),))


def probe(desktop, request: dict) -> dict:
    url = uno.systemPathToFileUrl(os.path.abspath(request["path"]))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    try:
        report = {"path": request["path"]}
        if request.get("sheet"):
            report.update(sheet_report(doc, request))
        elif request.get("pdf"):
            export(doc, request["pdf"], "writer_pdf_Export")
        return report
    finally:
        doc.close(True)


def main() -> None:
    serve(probe)


if __name__ == "__main__":
    main()
