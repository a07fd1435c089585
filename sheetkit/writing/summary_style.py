"""What every sheet of the roll-up workbook shares: formats, tables, charts, print setup.

Used by the generic sheets (writing/summary.py) and by each layout's own
sheets (summary_2018.py, summary_tt57.py), so none of them imports another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import xlsxwriter

from ..merging.rollup import STATUS_ERRORS, STATUS_UNREADABLE, STATUS_VALID, Rollup
from ..merging.roster_match import HANDED_IN as ROSTER_HANDED_IN
from ..merging.roster_match import MISSING as ROSTER_MISSING
from ..merging.roster_match import OTHER_YEAR as ROSTER_OTHER_YEAR
from ..merging.roster_match import WITH_ERRORS as ROSTER_WITH_ERRORS
from ..model.contract import SummaryColumn as Column
from ..reading.parsing import is_blank, level_label
from .layout import (
    EXCEL,
    HEIGHT_MARGIN,
    LIBREOFFICE,
    LIBREOFFICE_SCREEN,
    row_height,
    text_width,
)

EXCEL_MAX_ROWS = 1_048_576
FONT = "Times New Roman"
OVERVIEW_TITLE_WIDTH = 44
CHART_WIDTH_PX = 640
NOT_LISTED = "Không có trong danh sách"  # Tình hình nộp: a plan of a school not on the list


class Styles:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": FONT, "font_size": 11, "valign": "top"}

        def add(**props) -> Any:
            return book.add_format({**base, **props})

        self.text = None  # the workbook's default format: Times New Roman 11, top
        self.wrap = add(text_wrap=True)
        self.int = add(num_format="0", align="center")
        self.money = add(num_format="#,##0")
        self.month = add(num_format="m/yyyy", align="left")
        self.share = add(num_format="0%")
        self.header = add(
            bold=True,
            text_wrap=True,
            valign="vcenter",
            align="center",
            border=1,
            bg_color="#DDEBF7",
        )
        self.total_label = add(bold=True, bg_color="#F2F2F2", top=1)
        self.total = add(bold=True, bg_color="#F2F2F2", top=1, num_format="0", align="center")
        self.total_money = add(bold=True, bg_color="#F2F2F2", top=1, num_format="#,##0")
        self.total_share = add(bold=True, bg_color="#F2F2F2", top=1, num_format="0%")
        self.title = add(bold=True, font_size=14)
        self.subtitle = add(italic=True)
        self.label = add(text_wrap=True)
        self.figure = add(num_format="#,##0", bold=True)
        self.section = add(bold=True, font_size=12)
        self.heading = add(bold=True, font_size=11, bg_color="#F2F2F2", text_wrap=True)
        self.alert = book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
        # Theo trường: a plan of another school year than most (merging.years.other_years).
        self.other_year = add(text_wrap=True, font_color="#9C5700", bg_color="#FFEB9C", bold=True)
        self.status = {
            STATUS_VALID: add(font_color="#006100", bg_color="#C6EFCE"),
            STATUS_ERRORS: add(font_color="#9C0006", bg_color="#FFC7CE"),
            STATUS_UNREADABLE: add(font_color="#FFFFFF", bg_color="#C00000", bold=True),
            ROSTER_MISSING: add(font_color="#595959", bg_color="#D9D9D9", italic=True),
        }
        self.roster_state = {
            ROSTER_HANDED_IN: self.status[STATUS_VALID],
            ROSTER_WITH_ERRORS: self.status[STATUS_ERRORS],
            ROSTER_OTHER_YEAR: add(font_color="#9C5700", bg_color="#FFEB9C"),
            ROSTER_MISSING: self.status[ROSTER_MISSING],
            NOT_LISTED: add(font_color="#1F4E79", bg_color="#DDEBF7"),
        }
        self.severity = {
            "Lỗi": self.status[STATUS_ERRORS],
            STATUS_UNREADABLE: self.status[STATUS_UNREADABLE],
            "Cảnh báo": add(font_color="#9C5700", bg_color="#FFEB9C"),
        }
        self.matrix = add(num_format="0", align="center", border=1, border_color="#BFBFBF")
        self.level_fill = {  # Ma trận: not reached, reached below the top level, the top level
            "none": add(bg_color="#F8696B"),
            "mid": add(bg_color="#FFEB84"),
            "top": add(bg_color="#63BE7B"),
        }
        self.matrix_planned = {
            target: add(
                num_format=f'0" → {target}"',
                align="center",
                bold=True,
                border=1,
                border_color="#BFBFBF",
            )
            for target in (0, 1, 2, 3)
        }


def column_writer(ws, styles: Styles, column: Column) -> Callable[[int, int, Any], None]:
    """A function writing one value of this column: numbers as numbers, text always as text."""
    number_format = {"int": styles.int, "money": styles.money, "share": styles.share}
    if column.kind in number_format:
        fmt = number_format[column.kind]

        def emit(row: int, col: int, value: Any) -> None:
            ws.write_number(row, col, value, fmt)

    elif column.kind == "month":

        def emit(row: int, col: int, value: Any) -> None:
            ws.write_datetime(row, col, value.to_pydatetime(), styles.month)

    elif column.kind == "level":

        def emit(row: int, col: int, value: Any) -> None:
            ws.write_string(row, col, level_label(value), styles.text)

    else:
        # Most cells of a roll-up are text: one call per cell, not two.
        write_string, text = ws.write_string, styles.text

        def write_text(row: int, col: int, value: Any) -> None:
            if isinstance(value, str):
                if value:
                    write_string(row, col, value, text)
            elif not is_blank(value):
                write_string(row, col, str(value), text)

        return write_text

    def write(row: int, col: int, value: Any) -> None:
        if not is_blank(value):
            emit(row, col, value)

    return write


def table(
    book,
    styles: Styles,
    name: str,
    spec: tuple[tuple[str, Column], ...],
    frame: pd.DataFrame,
    *,
    freeze_cols: int = 1,
    row_style: Callable[[tuple], dict[int, Any]] | None = None,
    note: str | None = None,
    totals: tuple[str, ...] = (),
    ratios: dict[str, tuple[str, str]] | None = None,
) -> Any:
    """A sheet holding one table: header row 1, frozen, filterable, printable.

    ``totals``: the count columns a Cộng row under the table sums (outside the filter,
    so sorting leaves it last); ``ratios``: share columns it gives as one sum over another.
    """
    ws = book.add_worksheet(name)
    for col, (_, column) in enumerate(spec):
        ws.set_column(col, col, column.width)
    # Heights measured at a little less than the columns' widths (see HEIGHT_MARGIN).
    widths = {n: column.width * HEIGHT_MARGIN for n, (_, column) in enumerate(spec)}
    labels = {n: column.label for n, (_, column) in enumerate(spec)}
    bold = {n: width * HEIGHT_MARGIN for n, width in widths.items()}  # bold is wider still
    ws.set_row(0, max(32, row_height(labels, bold)))
    for col, (_, column) in enumerate(spec):
        ws.write_string(0, col, column.label, styles.header)
    writers = [column_writer(ws, styles, column) for _, column in spec]
    keys = [key for key, _ in spec]
    wrapped = {n: widths[n] for n, (_, column) in enumerate(spec) if column.wrap}
    limit = EXCEL_MAX_ROWS - 2
    rows = frame_rows(frame, keys)
    count = 0
    for count, values in enumerate(rows, start=1):
        if count > limit:
            count -= 1
            break
        overrides = row_style(values) if row_style else {}
        if wrapped:
            height = row_height({n: values[n] for n in wrapped}, wrapped)
            ws.set_row(count, height)
            overrides = {**{n: styles.wrap for n in wrapped}, **overrides}
        for col, (write, value) in enumerate(zip(writers, values, strict=True)):
            if col in overrides and isinstance(value, str):
                ws.write_string(count, col, value, overrides[col])
            else:
                write(count, col, value)
    last = max(count, 1)
    if totals and count and len(frame) <= limit:
        last += 1
        total_row(ws, styles, last, spec, frame, totals, ratios or {})
    if len(frame) > limit:
        ws.write_string(
            last + 1,
            0,
            f"Chỉ ghi được {limit} dòng đầu (giới hạn của Excel); dùng --csv hoặc --parquet "
            "để có đủ dữ liệu.",
            styles.section,
        )
    elif note:
        ws.write_string(last + 2, 0, note, styles.subtitle)
    ws.autofilter(0, 0, count if totals and count else last, len(spec) - 1)
    ws.freeze_panes(1, freeze_cols)
    print_setup(ws, sum(column.width for _, column in spec))
    ws.repeat_rows(0)
    return ws


def total_row(
    ws,
    styles: Styles,
    row: int,
    spec: tuple[tuple[str, Column], ...],
    frame: pd.DataFrame,
    totals: tuple[str, ...],
    ratios: dict[str, tuple[str, str]],
) -> None:
    """The Cộng row: the label in the first column, each count column's sum (a number, so
    the workbook holds no formula), each ratio column as its two sums divided."""
    keys = {*totals, *(key for pair in ratios.values() for key in pair)}
    sums = {key: int(pd.to_numeric(frame[key], errors="coerce").fillna(0).sum()) for key in keys}
    ws.write_string(row, 0, "Cộng", styles.total_label)
    for col, (key, column) in enumerate(spec):
        if key in totals:
            style = styles.total_money if column.kind == "money" else styles.total
            ws.write_number(row, col, sums[key], style)
        elif key in ratios:
            over, under = ratios[key]
            if sums[under]:
                ws.write_number(row, col, sums[over] / sums[under], styles.total_share)
        elif col:
            ws.write_blank(row, col, None, styles.total_label)


ROWS_PER_SLICE = 20_000


def frame_rows(frame: pd.DataFrame, keys: list[str]) -> Iterator[tuple]:
    """The rows of ``frame[keys]`` as tuples, without copying the frame.

    Columns are converted a slice at a time: one ``tolist`` per column slice
    is several times faster than boxing Arrow text cell by cell, and a
    slice of a province's items stays small.
    """
    for start in range(0, len(frame), ROWS_PER_SLICE):
        part = frame.iloc[start : start + ROWS_PER_SLICE]
        yield from zip(*(part[key].tolist() for key in keys), strict=True)


A3_FROM_WIDTH = 260  # column width units: a wider table prints on A3, still one page wide


def print_setup(ws, width: float = 0) -> None:
    ws.set_paper(8 if width > A3_FROM_WIDTH else 9)  # A3 or A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")


CHART_HEIGHT_PX = 380
DEFAULT_ROW_POINTS = 15


def chart_table(
    book,
    ws,
    styles,
    row,
    title,
    headers,
    data,
    *,
    chart_type,
    dates: bool = False,
    empty: str = "(chưa có số liệu)",
) -> int:
    """A small table and, to its right, its chart; returns the first row after both.

    Series are named by their header cells (LibreOffice does not show a name
    given as text). A bar chart lists its categories from the top, in the
    table's order; ``dates``: the categories are months, on a time axis, so
    months with nothing completed keep their place.
    """
    anchor = row
    ws.write_string(row, 0, title, styles.section)
    used = 2 * DEFAULT_ROW_POINTS  # title and header rows
    row += 1
    header_row = row
    for col, header in enumerate(headers):
        ws.write_string(row, col, header, styles.header)
    first = row + 1
    for values in data:
        row += 1
        height = DEFAULT_ROW_POINTS
        if len(values) > 2 and isinstance(values[2], str):  # a criterion's title, wrapped
            height = fitted(values[2], OVERVIEW_TITLE_WIDTH)
            ws.set_row(row, height)
        used += height
        for col, value in enumerate(values):
            if isinstance(value, str):
                ws.write_string(row, col, value, styles.label if col == 2 else styles.text)
            elif isinstance(value, dt.date):
                ws.write_datetime(row, col, value, styles.month)
            else:
                ws.write_number(row, col, value, styles.int)
    if not data:
        row += 1
        ws.write_string(row, 0, empty, styles.subtitle)
        return row + 1
    last = row
    chart = book.add_chart({"type": chart_type})
    value_columns = [1] if len(headers) == 2 or chart_type == "bar" else [1, 2]
    colors = ["#4472C4", "#ED7D31"]
    for n, col in enumerate(value_columns):
        chart.add_series(
            {
                "name": [ws.name, header_row, col],
                "categories": [ws.name, first, 0, last, 0],
                "values": [ws.name, first, col, last, col],
                "fill": {"color": colors[n % 2]},
                "data_labels": {"value": True, "font": {"name": FONT, "size": 9}},
                "gap": 60,
            }
        )
    size = 12
    while size > 9 and text_px(title, size) > CHART_WIDTH_PX - 40:
        size -= 1  # a title as wide as the chart allows, never cut
    chart.set_title({"name": title, "name_font": {"name": FONT, "size": size, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"name": FONT}})
    axis_font = {"name": FONT, "size": 9}
    categories: dict[str, Any] = {"num_font": axis_font}
    # Counts: whole numbers from 0, never an axis of 0.5 steps.
    biggest = max(
        (v for values in data for v in values[1:] if isinstance(v, int | float)), default=0
    )
    values: dict[str, Any] = {
        "num_font": axis_font,
        "major_gridlines": {"visible": True},
        "min": 0,
        "major_unit": whole_step(biggest),
        "num_format": "0",
    }
    if chart_type == "bar":  # the first (largest) at the top, the values still below
        categories.update(reverse=True, crossing="max")
    if dates:
        months = (data[-1][0].year - data[0][0].year) * 12 + data[-1][0].month - data[0][0].month
        categories.update(
            date_axis=True,  # months a day apart at least: Excel takes months as its unit
            major_unit=max(1, -(-months // 12)),  # about a dozen labels, whatever the span
            major_unit_type="months",
            num_format="m/yyyy",
        )
    # XlsxWriter's x axis is the horizontal one: a bar chart's categories are its y axis.
    x_axis, y_axis = (values, categories) if chart_type == "bar" else (categories, values)
    chart.set_x_axis(x_axis)
    chart.set_y_axis(y_axis)
    chart.set_size({"width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX})
    ws.insert_chart(anchor, 4, chart)
    # Leave room for the chart before the next table (a chart is 0.75 pt per pixel).
    while used < CHART_HEIGHT_PX * 0.75 + DEFAULT_ROW_POINTS:
        last += 1
        used += DEFAULT_ROW_POINTS
    return last + 1


def whole_step(biggest: float, lines: int = 8) -> int:
    """A count axis's step: 1, 2, 5, 10, 20, 50… the first giving at most ``lines`` steps."""
    step = 1
    while biggest / step > lines:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


OVERVIEW_SIZE = 11  # the workbook's text


def fitted(text: str, width: float) -> float:
    """A row's height for ``text`` wrapped ``width`` wide, in Excel and in LibreOffice.

    Measured with the font's metrics (the overview's rows are few): its height is
    set, so it must hold the text where lines are tallest.
    """
    return max(
        DEFAULT_ROW_POINTS,
        *(
            metrics.text_height(text, width, OVERVIEW_SIZE)
            for metrics in (EXCEL, LIBREOFFICE, LIBREOFFICE_SCREEN)
        ),
    )


def text_px(text: str, size: float) -> float:
    """Width in pixels (96 dpi) of a bold Times New Roman title."""
    return text_width(text, size, bold=True) * 96 / 72


def missing_schools(rollup: Rollup) -> pd.DataFrame:
    """Listed schools with no plan (merge --roster): a row each in Theo trường, "Chưa nộp"."""
    if rollup.roster is None:
        return pd.DataFrame()
    table = rollup.roster.roster
    missing = table[table["state"] == ROSTER_MISSING]
    return pd.DataFrame(
        {
            "school_name": missing["school_name"],
            "school_code": missing["school_code"],
            "school_level": missing["school_level"],
            "commune": missing["commune"],
            "province": missing["province"],
            "status": ROSTER_MISSING,
        }
    )


def data_bar(ws, col: int, rows: int) -> None:
    """A bar in each cell of a count column: the criteria most planned stand out."""
    ws.conditional_format(
        1, col, rows, col, {"type": "data_bar", "bar_color": "#F4B183", "bar_solid": True}
    )


def cell_name(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)
