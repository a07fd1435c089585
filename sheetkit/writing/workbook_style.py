"""What every workbook sheetkit creates from nothing shares: properties, font, fills, formats.

The plan templates (both regulations), the district workbook and the list of
schools use these, so a school and its managing body see one house style.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXED_DATE = dt.datetime(2024, 8, 1)  # document properties: same bytes for the same code
FONT = "Times New Roman"
HEADER_FILL = "#DDEBF7"
INPUT_FILL = "#FFFFFF"
FORMULA_FILL = "#F2F2F2"


def new_workbook(path: Path, title: str, subject: str | None = None):
    """An XlsxWriter workbook with our properties (fixed date: same bytes for the same code)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    properties = {"title": title, "author": "sheetkit", "created": FIXED_DATE}
    if subject:
        properties["subject"] = subject
    wb.set_properties(properties)
    wb.set_size(1600, 1000)
    return wb


def template_formats(wb) -> dict:
    """The named cell formats of the templates: titles, headers, labels, inputs, hints."""
    base = {"font_name": FONT, "font_size": 12, "valign": "top", "text_wrap": True}

    def f(**extra):
        return wb.add_format({**base, **extra})

    return {
        "title": f(bold=True, font_size=15, text_wrap=False, valign="vcenter"),
        "subtitle": f(italic=True, text_wrap=False),
        "header": f(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter"),
        "label": f(bold=True, border=1, bg_color=HEADER_FILL),
        "label_middle": f(bold=True, border=1, bg_color=HEADER_FILL, valign="vcenter"),
        "input": f(border=1, bg_color=INPUT_FILL),
        "input_text": f(border=1, bg_color=INPUT_FILL, num_format="@"),
        "input_center": f(border=1, align="center"),
        "input_code": f(border=1, align="center", num_format="@"),
        "input_money": f(border=1, num_format="#,##0"),
        "input_long": f(border=1, bg_color=INPUT_FILL),
        "hint": f(italic=True, font_color="#595959"),
        "formula": f(border=1, bg_color=FORMULA_FILL),
        "formula_center": f(border=1, bg_color=FORMULA_FILL, align="center"),
        "code": f(border=1, align="center", num_format="@", bg_color=FORMULA_FILL),
        "guide_head": f(bold=True),
        "guide_text": f(),
        "plain": f(),
    }


def list_validation(
    ws,
    cells: tuple[int, int, int, int],
    source: str,
    title: str,
    message: str,
    error: str,
    *,
    strict: bool,
) -> None:
    """A dropdown from a defined name over ``cells`` (r1, c1, r2, c2), texts cut to Excel's caps.

    ``strict``: a typed value outside the list is refused; otherwise Excel warns and keeps
    it, and sheetkit check says what is wrong with it.
    """
    ws.data_validation(
        *cells,
        {
            "validate": "list",
            "source": f"={source}",
            "input_title": title[:32],
            "input_message": message[:255],
            "error_title": "Giá trị không có trong danh sách"[:32],
            "error_message": error[:225],
            "error_type": "stop" if strict else "warning",
        },
    )
