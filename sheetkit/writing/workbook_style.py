"""What every workbook sheetkit creates from nothing shares: properties, font, fills, formats.

The plan templates (both regulations), the district workbook and the list of
schools use these, so a school and its managing body see one house style.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..excel.macros import insert_buttons
from ..reading.sources import column_letter
from .layout import LINE_HEIGHT

if TYPE_CHECKING:
    from ..excel.macros import Button
    from ..model.catalog import Circular
    from ..model.contract import Field

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


def write_value(ws, row: int, col: int, value, cell_format) -> None:
    """Write what a user would have typed: text as text, numbers and dates as such."""
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(row, col, value, cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)


def define(wb, name: str, sheet: str, first_row: int, col: int, last_row: int) -> None:
    """A workbook-level defined name over one column range (rows 0-based)."""
    letter = column_letter(col)
    wb.define_name(name, f"='{sheet}'!${letter}${first_row + 1}:${letter}${last_row + 1}")


def note_rows(ws, first: int, lines: list[tuple[str, str]], fmt, chars_per_row: int) -> None:
    """(heading, text) rows in columns A and B, tall enough for the text; A4 landscape."""
    for r, (head, text) in enumerate(lines, start=first):
        ws.write_string(r, 0, head, fmt["guide_head"])
        ws.write_string(r, 1, text, fmt["guide_text"])
        ws.set_row(r, LINE_HEIGHT * (1 + len(text) // chars_per_row) + 4)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def button_rows(ws, row: int, buttons: tuple[Button, ...], fmt, commands: str) -> int:
    """A row of buttons (heading in column A) and one line per button saying what it does.

    Returns the next free row.
    """
    ws.write_string(row, 0, "Nút bấm", fmt["guide_head"])
    ws.set_row(row, 36)
    insert_buttons(ws, row, 1, buttons)
    for i, button in enumerate(buttons, start=row + 1):
        ws.write_string(i, 1, button.tip, fmt["hint"])
    ws.write_string(
        row + len(buttons) + 1,
        1,
        "Nút chỉ chạy trong Excel đã cài Python và sheetkit (mục Nút bấm trong Excel của "
        "hướng dẫn sử dụng sheetkit) và khi đã bấm Enable Content (Bật nội dung). Không có "
        f"Excel: dùng lệnh {commands}.",
        fmt["hint"],
    )
    ws.set_row(row + len(buttons) + 1, LINE_HEIGHT * 2 + 4)
    return row + len(buttons) + 2


def field_validation(ws, r1, c1, r2, c2, field: Field, circular: Circular) -> None:
    """The field's dropdown (from its defined name) or its input prompt, over a range."""
    if field.prompt is None:
        return
    title, message = (text.format(circular=circular.short_name) for text in field.prompt)
    if field.dropdown is None:
        ws.data_validation(
            r1, c1, r2, c2, {"validate": "any", "input_title": title, "input_message": message}
        )
        return
    error = field.dropdown_error or f"Hãy chọn {title.lower()} trong danh sách thả xuống."
    list_validation(
        ws,
        (r1, c1, r2, c2),
        field.dropdown,
        title,
        message,
        error.format(circular=circular.short_name),
        strict=field.strict,
    )
