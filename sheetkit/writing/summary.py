"""The roll-up summary workbook, written with XlsxWriter from a Rollup.

Sheets: Tổng quan (figures and charts of each regulation), Theo trường (every
school), for Thông tư 57 plans TT57 Mức đạt và tiến độ, TT57 Theo tiêu chí,
TT57 Vấn đề trọng tâm and TT57 Chi tiết kế hoạch, for 2018 plans TT2018 Theo
tiêu chí and TT2018 Chi tiết kế hoạch, then Ma trận (both) and Lỗi. Rows are written in order, so a province's
roll-up (100,000+ plan items) can stream them to disk (XlsxWriter's
constant-memory mode) and memory stays flat. Everything a school typed is written as a string cell:
a school name that starts with "=" stays text, never a formula or a link.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from .. import layouts
from ..merging import tt57
from ..merging.rollup import STATUS_ERRORS, STATUS_UNREADABLE, STATUS_VALID, Rollup
from ..merging.roster_match import HANDED_IN as ROSTER_HANDED_IN
from ..merging.roster_match import MISSING as ROSTER_MISSING
from ..merging.roster_match import OTHER_YEAR as ROSTER_OTHER_YEAR
from ..merging.roster_match import WITH_ERRORS as ROSTER_WITH_ERRORS
from ..merging.roster_match import RosterMatch
from ..merging.years import other_years, round_label
from ..model import catalog, contract
from ..model.contract import (
    FIRST_TT57_YEAR,
    SHEET_BODY_REPORT,
    SHEET_CRITERIA,
    SHEET_ITEMS,
    SHEET_MATRIX,
    SHEET_OVERVIEW,
    SHEET_PROBLEMS,
    SHEET_ROSTER_STATUS,
    SHEET_SCHOOLS,
    SHEET_TT57_CRITERIA,
    SHEET_TT57_ISSUES,
    SHEET_TT57_ITEMS,
    SHEET_TT57_SCHOOLS,
)
from ..model.contract import SummaryColumn as Column
from ..model.findings import SEVERITY_LABEL
from ..reading.parsing import is_blank, level_label
from ..reading.text import fold
from ..validators.review import STATE_LABELS
from ..workdirs import work_folder
from .files import atomic_path
from .layout import (
    EXCEL,
    HEIGHT_MARGIN,
    LIBREOFFICE,
    LIBREOFFICE_SCREEN,
    row_height,
    text_width,
)
from .plan_text import Document
from .report_sheet import write_report_sheet

EXCEL_MAX_ROWS = 1_048_576
# Up to a few thousand schools the workbook is built in memory (faster: shared
# strings); a province's roll-up streams rows to disk so memory stays flat.
STREAM_FROM_ITEMS = 100_000
FONT = "Times New Roman"
OVERVIEW_TITLE_WIDTH = 44
SHORT_LEVEL = {"tt19-2018": "MN", "tt17-2018": "TH", "tt18-2018": "THCS-THPT"}
FILE_SEVERITY = {
    "file.unreadable": STATUS_UNREADABLE,
    "file.duplicate": "Bản trùng",
    "file.skipped": "Bỏ qua",
}


SCHOOL_TABLE = (
    ("school_id", Column("STT", 6, "int")),
    ("school_name", Column("Tên trường", 36, wrap=True)),
    ("school_code", Column("Mã trường", 12)),
    ("school_level", Column("Cấp học", 16)),
    ("regulation", Column("Thông tư", 14)),
    ("province", Column("Tỉnh/thành phố", 16, wrap=True)),
    ("commune", Column("Xã/phường/đặc khu", 18, wrap=True)),
    ("managing_body", Column("Cơ quan quản lý", 26, wrap=True)),
    ("district", Column("Quận/huyện (kế hoạch cũ)", 16, wrap=True)),
    ("school_year", Column("Năm học", 12, wrap=True)),
    ("plan_type", Column("Loại kế hoạch", 14)),
    ("items", Column("Số việc", 9, "int")),
    ("errors", Column("Lỗi", 7, "int")),
    ("warnings", Column("Cảnh báo", 10, "int")),
    ("status", Column("Tình trạng", 16)),
    ("budget_total", Column("Kinh phí (đồng)", 18, "money")),
    ("file", Column("Tệp nguồn", 48, wrap=True)),
)
CRITERIA_TABLE = (
    ("circular_name", Column("Thông tư", 26)),
    ("standard", Column("Tiêu chuẩn", 10, "int")),
    ("criterion", Column("Tiêu chí", 9)),
    ("title", Column("Tên tiêu chí", 50, wrap=True)),
    ("schools", Column("Số trường", 10, "int")),
    ("current_0", Column("Hiện tại: Không đạt", 11, "int")),
    ("current_1", Column("Hiện tại: Mức 1", 10, "int")),
    ("current_2", Column("Hiện tại: Mức 2", 10, "int")),
    ("current_3", Column("Hiện tại: Mức 3", 10, "int")),
    ("not_assessed", Column("Chưa đánh giá", 10, "int")),
    ("planning", Column("Số trường có kế hoạch cải tiến", 14, "int")),
    ("target_1", Column("Lên Mức 1", 9, "int")),
    ("target_2", Column("Lên Mức 2", 9, "int")),
    ("target_3", Column("Lên Mức 3", 9, "int")),
    ("planning_share", Column("Tỷ lệ trường cải tiến", 12, "share")),
    ("items", Column("Số việc", 9, "int")),
    ("budget", Column("Kinh phí (đồng)", 18, "money")),
)
# The detail table: the school, then every plan-item column the registry gives the roll-up.
ITEM_SCHOOL_TABLE = (
    ("school_name", Column("Tên trường", 30)),
    ("school_code", Column("Mã trường", 11)),
    ("school_level", Column("Cấp học", 12)),
)
ITEM_SOURCE_TABLE = (
    ("file", Column("Tệp nguồn", 36, wrap=True)),
    ("row", Column("Dòng", 7, "int")),
)


def item_table() -> tuple[tuple[str, Column], ...]:
    """The columns of Chi tiết kế hoạch (and items.csv), derived from the column registry."""
    return (
        *ITEM_SCHOOL_TABLE,
        *layouts.get(contract.LAYOUT_2018).item_rollup_columns(),
        *ITEM_SOURCE_TABLE,
    )


PROBLEM_TABLE = (
    ("severity", Column("Mức độ", 15)),
    ("school_name", Column("Tên trường", 26, wrap=True)),
    ("file", Column("Tệp", 30, wrap=True)),
    ("sheet", Column("Trang tính", 12)),
    ("cell", Column("Ô", 8)),
    ("column", Column("Cột", 16, wrap=True)),
    ("criterion", Column("Tiêu chí", 8)),
    ("value", Column("Đã nhập", 22, wrap=True)),
    ("message", Column("Nội dung và cách sửa", 70, wrap=True)),
)


TT57_PLACE_TABLE = (
    ("province", Column("Tỉnh/thành phố", 16, wrap=True)),
    ("commune", Column("Xã/phường/đặc khu", 18, wrap=True)),
    ("managing_body", Column("Cơ quan quản lý", 24, wrap=True)),
    ("school_name", Column("Tên trường", 30, wrap=True)),
    ("school_code", Column("Mã trường", 11)),
)
TT57_SCHOOL_TABLE = (
    *TT57_PLACE_TABLE,
    ("school_level", Column("Cấp học", 11)),
    ("school_year", Column("Năm học", 11)),
    ("level_now_label", Column("Mức đạt hiện tại", 14, wrap=True)),
    ("level_after_label", Column("Mức đạt sau kế hoạch", 14, wrap=True)),
    ("compulsory_below", Column("Tiêu chí bắt buộc chưa đạt Mức 1", 16, wrap=True)),
    ("gap_after", Column("Sau kế hoạch còn thiếu", 34, wrap=True)),
    ("issues", Column("Số vấn đề trọng tâm", 10, "int")),
    ("items", Column("Số việc", 8, "int")),
    ("done", Column("Hoàn thành", 10, "int")),
    ("in_progress", Column("Đang thực hiện", 10, "int")),
    ("overdue", Column("Quá hạn", 9, "int")),
    ("not_carried_out", Column("Không thực hiện", 11, "int")),
    ("unrecorded", Column("Chưa ghi", 9, "int")),
    ("not_started", Column("Chưa bắt đầu", 10, "int")),
    ("done_share", Column("Tỷ lệ hoàn thành", 11, "share")),
    ("reviews_due", Column("Kỳ rà soát đã đến", 18, wrap=True)),
    ("reviews_missing", Column("Kỳ rà soát chưa ghi kết quả", 18, wrap=True)),
    ("errors", Column("Lỗi", 6, "int")),
    ("file", Column("Tệp nguồn", 40, wrap=True)),
)
TT57_SCHOOL_TOTALS = ("issues", "items", *tt57.STATES, "errors")
TT57_CRITERIA_TABLE = (
    ("appendix", Column("Phụ lục", 22, wrap=True)),
    ("standard", Column("Tiêu chuẩn", 10, "int")),
    ("criterion", Column("Tiêu chí", 9)),
    ("title", Column("Tên tiêu chí", 44, wrap=True)),
    ("compulsory", Column("Bắt buộc", 10)),
    ("schools", Column("Số trường áp dụng phụ lục", 11, "int")),
    ("current_0", Column("Hiện tại: Không đạt Mức 1", 12, "int")),
    ("current_1", Column("Hiện tại: Mức 1", 10, "int")),
    ("current_2", Column("Hiện tại: Mức 2", 10, "int")),
    ("not_assessed", Column("Chưa đánh giá hoặc ghi sai", 12, "int")),
    ("target_2", Column("Dự kiến lên Mức 2", 10, "int")),
    ("issue_schools", Column("Số trường nêu trong vấn đề trọng tâm", 14, "int")),
    ("planning", Column("Số trường có việc cải tiến", 12, "int")),
    ("items", Column("Số việc", 9, "int")),
)
TT57_ISSUE_TABLE = (
    *TT57_PLACE_TABLE,
    ("tt", Column("Vấn đề số", 8, "int")),
    ("standard", Column("Tiêu chuẩn", 10, "int")),
    ("criteria", Column("Tiêu chí liên quan", 12, wrap=True)),
    ("shortcoming", Column("Điểm hạn chế", 50, wrap=True)),
    ("cause", Column("Nguyên nhân", 40, wrap=True)),
    ("items", Column("Số việc", 8, "int")),
    ("done", Column("Hoàn thành", 10, "int")),
    ("overdue", Column("Quá hạn", 9, "int")),
)
TT57_ITEM_TABLE = (  # the plan's columns as the column registry declares them
    *TT57_PLACE_TABLE,
    ("item", Column("Việc số", 7, "int")),
    *layouts.get(contract.LAYOUT_TT57).item_rollup_columns(),
    ("file", Column("Tệp nguồn", 36, wrap=True)),
    ("row", Column("Dòng trong tệp", 8, "int")),
)


def write_summary(
    rollup: Rollup, path: str | os.PathLike[str], report: Document | None = None
) -> Path:
    """Write the summary workbook to ``path`` (a temporary file renamed into place).

    ``report``: the report sent upward (``body_report``), also as the Báo cáo sheet.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": len(rollup.items) >= STREAM_FROM_ITEMS,
                "in_memory": len(rollup.items) < STREAM_FROM_ITEMS,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                # Plain text cells use the default format: no style on 100,000s of cells.
                "default_format_properties": {"font_name": FONT, "font_size": 11, "valign": "top"},
            },
        )
        book.set_properties({"title": "Tổng hợp kế hoạch cải tiến chất lượng giáo dục"})
        styles = _Styles(book)
        criteria = rollup.criteria()
        tt57_count = len(rollup.tt57) if rollup.tt57 is not None else 0
        older = len(rollup.schools) > tt57_count or not tt57_count  # 2018 plans (or none at all)
        _overview(book, styles, rollup, criteria)
        if rollup.roster is not None:
            _roster(book, styles, rollup.roster)
        if report is not None:
            write_report_sheet(book, report, SHEET_BODY_REPORT)
        _schools(book, styles, rollup)
        if rollup.tt57 is not None and tt57_count:
            _tt57_sheets(book, styles, rollup)
        if older:
            _criteria(book, styles, criteria)
        _matrix(book, styles, rollup)
        if older:
            _items(book, styles, rollup)
        _problems(book, styles, rollup)
        book.close()
    return path


# ----------------------------------------------------------------- formats


class _Styles:
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


def _writer(ws, styles: _Styles, column: Column) -> Callable[[int, int, Any], None]:
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


def _table(
    book,
    styles: _Styles,
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
    writers = [_writer(ws, styles, column) for _, column in spec]
    keys = [key for key, _ in spec]
    wrapped = {n: widths[n] for n, (_, column) in enumerate(spec) if column.wrap}
    limit = EXCEL_MAX_ROWS - 2
    rows = _rows(frame, keys)
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
        _total_row(ws, styles, last, spec, frame, totals, ratios or {})
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
    _print_setup(ws, sum(column.width for _, column in spec))
    ws.repeat_rows(0)
    return ws


def _total_row(
    ws,
    styles: _Styles,
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


def _rows(frame: pd.DataFrame, keys: list[str]) -> Iterator[tuple]:
    """The rows of ``frame[keys]`` as tuples, without copying the frame.

    Columns are converted a slice at a time: one ``tolist`` per column slice
    is several times faster than boxing Arrow text cell by cell, and a
    slice of a province's items stays small.
    """
    for start in range(0, len(frame), ROWS_PER_SLICE):
        part = frame.iloc[start : start + ROWS_PER_SLICE]
        yield from zip(*(part[key].tolist() for key in keys), strict=True)


A3_FROM_WIDTH = 260  # column width units: a wider table prints on A3, still one page wide


def _print_setup(ws, width: float = 0) -> None:
    ws.set_paper(8 if width > A3_FROM_WIDTH else 9)  # A3 or A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")


# ----------------------------------------------------------------- Tổng quan

# The overview prints at a set scale, so Excel keeps its page break (Excel ignores
# manual breaks when "fit to page" is on): its columns and charts fit the width.
OVERVIEW_SCALE = 66
CHART_WIDTH_PX = 640


def _overview(book, styles: _Styles, rollup: Rollup, criteria: pd.DataFrame) -> None:
    ws = book.add_worksheet(SHEET_OVERVIEW)
    ws.set_column(0, 0, 52)
    ws.set_column(1, 1, 20)
    ws.set_column(2, 2, OVERVIEW_TITLE_WIDTH)
    ws.set_column(3, 3, 3)
    ws.write_string(0, 0, "TỔNG HỢP KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", styles.title)
    ws.write_string(1, 0, _scope(rollup), styles.subtitle)
    now = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
    at = rollup.tt57.at if rollup.tt57 is not None else None
    year = (
        rollup.roster.school_year if rollup.roster is not None else other_years(rollup.schools)[0]
    )
    round_name = round_label(year, at)
    collected = f" Kỳ tổng hợp: {round_name}." if round_name else ""
    ws.write_string(2, 0, f"Tổng hợp lúc {now} bằng sheetkit.{collected}", styles.subtitle)
    if rollup.roster is not None:  # who has not handed in comes first
        ws.write_string(3, 0, rollup.roster.headline() + ".", styles.section)
    row = 4
    ws.write_string(row, 0, "Chỉ tiêu", styles.header)
    ws.write_string(row, 1, "Số lượng", styles.header)
    for label, value in rollup.overview():
        row += 1
        if EXCEL.count(label, 52, OVERVIEW_SIZE) > 1:
            ws.set_row(row, _fitted(label, 52))  # a long label wraps, never clipped
        if value is None:  # a regulation's part
            ws.write_string(row, 0, label, styles.heading)
            ws.write_blank(row, 1, None, styles.heading)
            continue
        ws.write_string(row, 0, label, styles.label)
        ws.write_number(row, 1, value, styles.figure)
    row += 2
    # Print: the figures on page 1, then each regulation's charts two to a page.
    breaks: list[int] = []
    tt57_count = len(rollup.tt57) if rollup.tt57 is not None else 0
    if tt57_count:
        row = _tt57_charts(book, ws, styles, rollup, row, breaks)
    if len(rollup.schools) > tt57_count or not tt57_count:
        if tt57_count:
            breaks.append(row)
            ws.write_string(row, 0, "Kế hoạch theo Thông tư 17, 18, 19/2018", styles.heading)
            row += 2
        _charts_2018(book, ws, styles, rollup, criteria, row, breaks)
    ws.set_h_pagebreaks(breaks)
    _print_setup(ws)
    ws.fit_to_pages(0, 0)  # (undo the fitting _print_setup asks for: it drops page breaks)
    ws.set_print_scale(OVERVIEW_SCALE)
    ws.activate()


def _charts_2018(
    book, ws, styles: _Styles, rollup: Rollup, criteria: pd.DataFrame, row: int, breaks: list[int]
) -> None:
    """Top criteria, levels and completion months of the 2018 plans, each with its chart."""
    row = _chart_table(
        book,
        ws,
        styles,
        row,
        "Tiêu chí được nhiều trường đưa vào kế hoạch nhất (TT2018)",
        ("Tiêu chí", "Số trường", "Tên tiêu chí"),
        _top_criteria(rollup, criteria),
        chart_type="bar",
    )
    breaks.append(row + 1)
    row = _chart_table(
        book,
        ws,
        styles,
        row + 1,
        "Mức hiện tại và mức cần đạt của các việc cải tiến (TT2018)",
        ("Mức", "Hiện tại", "Cần đạt"),
        _level_counts(rollup),
        chart_type="column",
    )
    _chart_table(
        book,
        ws,
        styles,
        row + 1,
        "Số việc cải tiến theo tháng hoàn thành (TT2018)",
        ("Tháng", "Số việc"),
        _month_counts(rollup),
        chart_type="column",
        dates=True,
    )


def _tt57_charts(book, ws, styles: _Styles, rollup: Rollup, row: int, breaks: list[int]) -> int:
    """Levels, compulsory gaps, progress and priority issues of the TT57 plans, as charts.

    Appends to ``breaks`` the rows a printed page starts at: two charts a page.
    """
    tables = rollup.tt57
    breaks.append(row)
    ws.write_string(row, 0, "Kế hoạch theo Thông tư 57/2026", styles.heading)
    row += 2
    row = _chart_table(
        book,
        ws,
        styles,
        row,
        "Mức đạt của trường: hiện tại và sau kế hoạch (TT57)",
        ("Mức đạt", "Hiện tại", "Sau kế hoạch"),
        tt57.level_counts(tables),
        chart_type="column",
    )
    row = _chart_table(
        book,
        ws,
        styles,
        row + 1,
        "Tiêu chí bắt buộc chưa đạt Mức 1: số trường (TT57)",
        ("Tiêu chí", "Số trường"),
        tt57.compulsory_gaps(tables),
        chart_type="bar",
        empty="Không trường nào có tiêu chí bắt buộc chưa đạt Mức 1.",
    )
    breaks.append(row + 1)
    row = _chart_table(
        book,
        ws,
        styles,
        row + 1,
        f"Tiến độ các việc đến tháng {tables.at_label} (TT57)",
        ("Tình trạng", "Số việc"),
        tt57.progress_counts(tables),
        chart_type="column",
    )
    row = _chart_table(
        book,
        ws,
        styles,
        row + 1,
        "Vấn đề trọng tâm theo tiêu chuẩn (TT57)",
        ("Tiêu chuẩn", "Số vấn đề", "Tên tiêu chuẩn"),
        tt57.issues_by_standard(tables),
        chart_type="bar",
    )
    return row + 1


def _scope(rollup: Rollup) -> str:
    """ "12 xã/phường, Tỉnh Đồng Tháp, năm học 2026-2027", and the month progress is judged at.

    With Thông tư 57 plans the area is named by the managing body (cơ quan quản lý) and its
    xã/phường, never by a quận/huyện: the district level and its Phòng GDĐT ended on 01/7/2025.
    """
    schools = rollup.schools
    parts = []
    with_tt57 = rollup.tt57 is not None and len(rollup.tt57) > 0
    if with_tt57:
        tt57_schools = schools[schools["circular"].str.startswith("tt57")]
        bodies = [v for v in tt57_schools["managing_body"].value_counts().index if v]
        if len(bodies) == 1:
            parts.append(f"cơ quan quản lý: {bodies[0]}")
        elif bodies:
            parts.append(f"{len(bodies)} cơ quan quản lý")
    units = (
        ("commune", "xã/phường"),
        ("district", "quận/huyện (kế hoạch cũ)"),
        ("province", "tỉnh/thành phố"),
    )
    for key, many in units:
        if with_tt57 and key == "district":
            continue
        values = [v for v in schools[key].value_counts().index if v]
        if len(values) == 1:
            parts.append(values[0])
        elif values:
            parts.append(f"{len(values)} {many}")
    years = sorted(v for v in schools["school_year"].value_counts().index if v)
    if years:
        shown = ", ".join(years[-3:]) if len(years) <= 3 else f"{years[0]} đến {years[-1]}"
        parts.append(f"năm học {shown}")
    if rollup.tt57 is not None and len(rollup.tt57):
        parts.append(f"tiến độ tính đến tháng {rollup.tt57.at_label}")
    return ", ".join(parts) or "Chưa có kế hoạch nào đọc được."


def _top_criteria(rollup: Rollup, criteria: pd.DataFrame, count: int = 15) -> list[tuple]:
    """The criteria most schools plan to improve, most first (ties in the circulars' order)."""
    if criteria.empty:
        return []
    several = criteria["circular"].nunique() > 1
    top = criteria[criteria["planning"] > 0].sort_values("planning", ascending=False, kind="stable")
    rows = []
    for r in top.head(count).itertuples(index=False):
        prefix = f"{SHORT_LEVEL.get(r.circular, r.circular)} " if several else ""
        rows.append((f"{prefix}{r.criterion}", int(r.planning), r.title))
    return rows


def _level_counts(rollup: Rollup) -> list[tuple]:
    items = rollup.items
    current = items["current"].value_counts()
    target = items["target"].value_counts()
    rows = []
    for level in range(4):
        rows.append((level_label(level), int(current.get(level, 0)), int(target.get(level, 0))))
    missing = int(items["current"].isna().sum())
    if missing:
        rows.append(("Chưa đánh giá", missing, 0))
    return rows


def _month_counts(rollup: Rollup) -> list[tuple]:
    """(first day of the month, items completed that month), in time order."""
    ends = rollup.items["end"].dropna()
    if ends.empty:
        return []
    counts = ends.value_counts().sort_index()
    return [(d.to_pydatetime().date().replace(day=1), int(n)) for d, n in counts.items()]


CHART_HEIGHT_PX = 380
DEFAULT_ROW_POINTS = 15


def _chart_table(
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
            height = _fitted(values[2], OVERVIEW_TITLE_WIDTH)
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
    while size > 9 and _text_px(title, size) > CHART_WIDTH_PX - 40:
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


def _fitted(text: str, width: float) -> float:
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


def _text_px(text: str, size: float) -> float:
    """Width in pixels (96 dpi) of a bold Times New Roman title."""
    return text_width(text, size, bold=True) * 96 / 72


# ----------------------------------------------------------------- table sheets


def _schools(book, styles: _Styles, rollup: Rollup) -> None:
    frame = _school_rows(rollup)
    keys = [k for k, _ in SCHOOL_TABLE]
    status_col, year_col = keys.index("status"), keys.index("school_year")

    def row_style(values: tuple) -> dict[int, Any]:
        style = styles.status.get(values[status_col])
        marks = {status_col: style} if style is not None else {}
        if OTHER_YEAR_MARK in str(values[year_col]):
            marks[year_col] = styles.other_year
        return marks

    _table(
        book,
        styles,
        SHEET_SCHOOLS,
        SCHOOL_TABLE,
        frame,
        freeze_cols=2,
        row_style=row_style,
        totals=("items", "errors", "warnings", "budget_total"),
        note="Tình trạng: Hợp lệ = không có lỗi (có thể còn cảnh báo); Có lỗi = xem trang Lỗi; "
        "Không đọc được = tệp hỏng, đặt mật khẩu hoặc không phải mẫu kế hoạch. Năm học tô vàng: "
        "kế hoạch khác năm học của đa số kế hoạch (xem Tổng quan).",
    )


ROSTER_TABLE = (
    ("row", Column("Dòng trong danh sách", 10, "int")),
    ("school_code", Column("Mã trường", 11)),
    ("school_name", Column("Tên trường", 32, wrap=True)),
    ("school_level", Column("Cấp học", 12)),
    ("commune", Column("Xã/phường/đặc khu", 18, wrap=True)),
    ("state", Column("Tình hình nộp", 16, wrap=True)),
    ("matched_by", Column("Ghép theo", 12)),
    ("plan_name", Column("Tên trường trong kế hoạch", 30, wrap=True)),
    ("school_year", Column("Năm học của kế hoạch", 11)),
    ("errors", Column("Số lỗi", 7, "int")),
    ("note", Column("Ghi chú", 34, wrap=True)),
    ("file", Column("Tệp", 40, wrap=True)),
)
# A plan whose school is not on the list: its row in Tình hình nộp and in the roster table.
NOT_LISTED = "Không có trong danh sách"


def roster_table(match: RosterMatch) -> pd.DataFrame:
    """Every listed school with its state, then the plans of schools not on the list."""
    unlisted = match.unlisted
    apart = pd.DataFrame(
        {
            "school_code": unlisted.get("school_code"),
            "school_name": unlisted.get("school_name"),
            "school_level": unlisted.get("school_level"),
            "commune": unlisted.get("commune"),
            "province": unlisted.get("province"),
            "state": NOT_LISTED,
            "plan_name": unlisted.get("school_name"),
            "plan_code": unlisted.get("school_code"),
            "school_year": unlisted.get("school_year"),
            "errors": unlisted.get("errors"),
            "school_id": unlisted.get("school_id"),
            "file": unlisted.get("file"),
            "note": "thêm trường vào danh sách, hoặc kiểm tra mã và tên trường trong kế hoạch",
        }
    )
    if apart.empty:
        return match.roster.copy()
    table = pd.concat([match.roster, apart], ignore_index=True)
    for key in ("row", "errors", "school_id"):
        table[key] = table[key].astype("Int64")
    return table


def _roster(book, styles: _Styles, match: RosterMatch) -> None:
    state_col = [k for k, _ in ROSTER_TABLE].index("state")

    def row_style(values: tuple) -> dict[int, Any]:
        style = styles.roster_state.get(values[state_col])
        return {state_col: style} if style is not None else {}

    _table(
        book,
        styles,
        SHEET_ROSTER_STATUS,
        ROSTER_TABLE,
        roster_table(match),
        freeze_cols=3,
        row_style=row_style,
        note=f"{match.headline()}. Ghép theo mã trường, nếu không có thì theo tên trường trong "
        "cùng xã/phường; ghép theo tên gần đúng thì Ghi chú nêu tên trong kế hoạch để kiểm tra.",
    )


OTHER_YEAR_MARK = "(khác năm học"  # + " 2026-2027)": the Năm học cell of such a plan


def _school_rows(rollup: Rollup) -> pd.DataFrame:
    """Schools sorted by level then name, then the files that could not be read."""
    schools = rollup.schools.copy()
    schools["regulation"] = schools["circular"].map(_regulation)
    majority, other = other_years(schools)
    schools.loc[other, "school_year"] = schools.loc[other, "school_year"] + (
        f"\n{OTHER_YEAR_MARK} {majority})"
    )
    # A TT57 plan has no budget column (its costs are words in Nguồn lực bảo đảm): blank, not 0.
    schools["budget_total"] = schools["budget_total"].where(
        ~schools["circular"].str.startswith("tt57"), None
    )
    order = {level: n for n, level in enumerate(("Mầm non", "Tiểu học", "THCS", "THPT"))}
    schools["_level"] = schools["school_level"].map(lambda v: order.get(v, 9))
    schools["_name"] = schools["school_name"].map(fold)
    schools = schools.sort_values(["_level", "_name", "school_code"]).drop(
        columns=["_level", "_name"]
    )
    unreadable = rollup.unreadable
    missing = _missing_schools(rollup)
    rows = pd.concat(
        [
            schools,
            missing,
            pd.DataFrame(
                {
                    "file": unreadable["file"],
                    "status": STATUS_UNREADABLE,
                    "school_name": "",
                }
            ),
        ],
        ignore_index=True,
    )
    rows["school_id"] = range(1, len(rows) + 1)  # shown as STT
    return rows


def _missing_schools(rollup: Rollup) -> pd.DataFrame:
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


def _missing_tt57(rollup: Rollup) -> pd.DataFrame:
    """Listed schools with no plan in a Thông tư 57 year: a grey "Chưa nộp" row each, last."""
    match = rollup.roster
    if match is None or not match.school_year[:4].isdigit():
        return pd.DataFrame()
    if int(match.school_year[:4]) < FIRST_TT57_YEAR:
        return pd.DataFrame()
    missing = _missing_schools(rollup)
    return missing.drop(columns=["status"]).assign(level_now_label=ROSTER_MISSING)


def _regulation(circular_id: str) -> str:
    """ "TT 57/2026", "TT 18/2018": which regulation a school's plan follows."""
    if not circular_id:
        return ""
    if circular_id.startswith("tt57"):
        return "TT 57/2026"
    number, year = circular_id.removeprefix("tt").split("-")[:2]
    return f"TT {number}/{year}"


# ----------------------------------------------------------------- Thông tư 57


def _tt57_sheets(book, styles: _Styles, rollup: Rollup) -> None:
    """The four sheets of the Thông tư 57 plans: schools, criteria, priority issues, rows."""
    tables = rollup.tt57
    month = f"tháng {tables.at_label}"
    schools = tables.schools
    keys = [k for k, _ in TT57_SCHOOL_TABLE]
    label = keys.index("level_now_label")

    def row_style(values: tuple) -> dict[int, Any]:
        missing = values[label] == ROSTER_MISSING
        return {label: styles.status[ROSTER_MISSING]} if missing else {}

    ws = _table(
        book,
        styles,
        SHEET_TT57_SCHOOLS,
        TT57_SCHOOL_TABLE,
        pd.concat([schools, _missing_tt57(rollup)], ignore_index=True),
        freeze_cols=4,
        row_style=row_style,
        totals=TT57_SCHOOL_TOTALS,
        ratios={"done_share": ("done", "items")},
        note=f"Kế hoạch theo Thông tư 57/2026. Tiến độ tính đến {month}: Quá hạn = đã qua tháng "
        "hoàn thành mà chưa Hoàn thành; Chưa ghi = đã đến tháng bắt đầu mà chưa ghi mức độ thực "
        "hiện; Chưa bắt đầu = chưa đến tháng bắt đầu, hoặc ghi Chưa thực hiện. Mức đạt theo "
        "khoản 3 Điều 5 từ mức hiện tại và mức cần "
        "đạt ở trang Tự đánh giá. Lọc theo tỉnh, xã/phường hoặc cơ quan quản lý ở hàng tiêu đề.",
    )
    if len(schools):
        last = len(schools)
        share = keys.index("done_share")
        ws.conditional_format(
            1,
            share,
            last,
            share,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "mid_type": "num",
                "mid_value": 0.5,
                "max_type": "num",
                "max_value": 1,
                "min_color": "#F8696B",
                "mid_color": "#FFEB84",
                "max_color": "#63BE7B",
            },
        )
        for key in ("overdue", "compulsory_below", "reviews_missing"):
            col = keys.index(key)
            rule = (
                {"type": "cell", "criteria": ">", "value": 0}
                if key == "overdue"
                else {"type": "no_blanks"}
            )
            ws.conditional_format(1, col, last, col, {**rule, "format": styles.alert})
    criteria = tt57.criteria_table(tables, rollup.levels)
    ws = _table(
        book,
        styles,
        SHEET_TT57_CRITERIA,
        TT57_CRITERIA_TABLE,
        criteria
        if not criteria.empty
        else pd.DataFrame(columns=[k for k, _ in TT57_CRITERIA_TABLE]),
        freeze_cols=4,
        note="Số trường: các trường cùng phụ lục. Bắt buộc: tiêu chí phải đạt để trường đạt mức "
        "(khoản 3 Điều 5); ô đỏ: có trường chưa đạt Mức 1 ở tiêu chí bắt buộc.",
    )
    if not criteria.empty:
        col = [k for k, _ in TT57_CRITERIA_TABLE].index("current_0")
        ws.conditional_format(
            1,
            col,
            len(criteria),
            col,
            {
                "type": "formula",
                "criteria": f'=AND($E2="Bắt buộc",{_cell_name(1, col)}>0)',
                "format": styles.alert,
            },
        )
        _data_bar(ws, [k for k, _ in TT57_CRITERIA_TABLE].index("planning"), len(criteria))
    ws = _table(
        book,
        styles,
        SHEET_TT57_ISSUES,
        TT57_ISSUE_TABLE,
        tables.issues,
        freeze_cols=4,
        note=f"Mỗi dòng một vấn đề trọng tâm (mục IV của kế hoạch); Số việc, Hoàn thành, Quá hạn: "
        f"các việc của vấn đề ở mục V, tính đến {month}.",
    )
    if len(tables.issues):  # overdue in red, as on the schools' sheet
        col = [k for k, _ in TT57_ISSUE_TABLE].index("overdue")
        ws.conditional_format(
            1,
            col,
            len(tables.issues),
            col,
            {"type": "cell", "criteria": ">", "value": 0, "format": styles.alert},
        )
    items = tables.items
    files = rollup.schools.set_index("school_id")["file"]
    items["file"] = items["school_id"].map(files)
    try:
        ws = _table(book, styles, SHEET_TT57_ITEMS, TT57_ITEM_TABLE, items, freeze_cols=4)
    finally:
        del items["file"]
    if len(items):
        col = [k for k, _ in TT57_ITEM_TABLE].index("state")
        overdue = STATE_LABELS["overdue"]
        ws.conditional_format(
            1,
            col,
            len(items),
            col,
            {"type": "cell", "criteria": "==", "value": f'"{overdue}"', "format": styles.alert},
        )


def _data_bar(ws, col: int, rows: int) -> None:
    """A bar in each cell of a count column: the criteria most planned stand out."""
    ws.conditional_format(
        1, col, rows, col, {"type": "data_bar", "bar_color": "#F4B183", "bar_solid": True}
    )


def _cell_name(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)


def _criteria(book, styles: _Styles, criteria: pd.DataFrame) -> None:
    ws = _table(
        book,
        styles,
        SHEET_CRITERIA,
        CRITERIA_TABLE,
        criteria if not criteria.empty else pd.DataFrame(columns=[k for k, _ in CRITERIA_TABLE]),
        freeze_cols=4,
        note="Số trường: các trường cùng Thông tư. Lên Mức k: số trường có việc cải tiến tiêu chí "
        "này với mức cần đạt cao nhất là k.",
    )
    if not criteria.empty:
        _data_bar(ws, [k for k, _ in CRITERIA_TABLE].index("planning"), len(criteria))


def _items(book, styles: _Styles, rollup: Rollup) -> None:
    items = rollup.items
    files = rollup.schools.set_index("school_id")["file"]
    items["file"] = items["school_id"].map(files)  # a column of shared names, not a copy
    try:
        _table(book, styles, SHEET_ITEMS, item_table(), items, freeze_cols=1)
    finally:
        del items["file"]


def _problems(book, styles: _Styles, rollup: Rollup) -> None:
    findings = rollup.findings.copy()
    labels = findings["rule"].map(FILE_SEVERITY)
    findings["severity"] = labels.fillna(findings["severity"].map(SEVERITY_LABEL))
    order = {STATUS_UNREADABLE: 0, "Lỗi": 1, "Bản trùng": 2, "Cảnh báo": 3, "Lưu ý": 4, "Bỏ qua": 5}
    findings["_order"] = findings["severity"].map(order).fillna(9)
    findings["_file"] = findings["file"].map(fold)
    findings = findings.sort_values(["_order", "_file", "row"], kind="stable")
    findings["school_name"] = findings["school_name"].astype("object").fillna("")

    def row_style(values: tuple) -> dict[int, Any]:
        style = styles.severity.get(values[0])
        return {0: style} if style is not None else {}

    _table(
        book,
        styles,
        SHEET_PROBLEMS,
        PROBLEM_TABLE,
        findings,
        freeze_cols=1,
        row_style=row_style,
        note=None if len(findings) else "Không có lỗi nào: mọi tệp đều đọc được và hợp lệ.",
    )


# ----------------------------------------------------------------- Ma trận


def _matrix(book, styles: _Styles, rollup: Rollup) -> None:
    """Schools × criteria, one block per circular: current level → highest target, coloured."""
    ws = book.add_worksheet(SHEET_MATRIX)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 11)
    levels, schools = rollup.levels, rollup.schools
    ws.write_string(0, 0, "MA TRẬN MỨC ĐẠT THEO TIÊU CHÍ", styles.title)
    ws.write_string(
        1,
        0,
        "Mỗi ô: mức hiện tại → mức cần đạt cao nhất trong kế hoạch (chữ đậm); ô chỉ có một số là "
        "tiêu chí không có trong kế hoạch; ô trống là chưa tự đánh giá; '? → 2' là chưa ghi mức "
        "hiện tại nhưng có trong kế hoạch. Màu theo mức hiện tại: đỏ = không đạt, vàng = đã đạt "
        "nhưng chưa ở mức cao nhất, xanh = mức cao nhất (Mức 3 theo Thông tư 2018, Mức 2 theo "
        "Thông tư 57).",
        styles.subtitle,
    )
    row = 3
    widest = 2
    names = schools.set_index("school_id")
    for circular in catalog.circulars():
        own = levels[levels["circular"] == circular.id]
        if own.empty:
            continue
        codes = circular.codes
        current = own.pivot(index="school_id", columns="criterion", values="current")[codes]
        target = own.pivot(index="school_id", columns="criterion", values="target")[codes]
        order = sorted(current.index, key=lambda i: fold(names.at[i, "school_name"]))
        current_values = current.loc[order].to_numpy(dtype="float64", na_value=math.nan)
        target_values = target.loc[order].to_numpy(dtype="float64", na_value=math.nan)
        ws.write_string(
            row,
            0,
            f"{circular.short_name} — {', '.join(circular.school_levels)} ({len(order)} trường)",
            styles.section,
        )
        row += 1
        ws.write_string(row, 0, "Tên trường", styles.header)
        ws.write_string(row, 1, "Mã trường", styles.header)
        for k, code in enumerate(codes):
            ws.write_string(row, 2 + k, code, styles.header)
        first = row + 1
        for n, school_id in enumerate(order):
            row += 1
            ws.write_string(row, 0, names.at[school_id, "school_name"] or "", styles.text)
            ws.write_string(row, 1, names.at[school_id, "school_code"] or "", styles.text)
            for k, (level, goal) in enumerate(
                zip(current_values[n], target_values[n], strict=True)
            ):
                if math.isnan(level):
                    if not math.isnan(goal):
                        ws.write_string(row, 2 + k, f"? → {int(goal)}", styles.matrix)
                    continue
                fmt = styles.matrix if math.isnan(goal) else styles.matrix_planned[int(goal)]
                ws.write_number(row, 2 + k, int(level), fmt)
        if order:  # one colour per state, as the legend says, whatever the circular's top level
            # Formulas, not "cell value = 0": Excel counts an empty cell as 0.
            top, cell = circular.family.highest, _cell_name(first, 2)
            for test, fill in (
                (f"{cell}=0", "none"),
                (f"AND({cell}>=1,{cell}<{top})", "mid"),
                (f"{cell}={top}", "top"),
            ):
                ws.conditional_format(
                    first,
                    2,
                    row,
                    1 + len(codes),
                    {
                        "type": "formula",
                        "criteria": f"=AND(ISNUMBER({cell}),{test})",
                        "format": styles.level_fill[fill],
                    },
                )
        widest = max(widest, 2 + len(codes))
        row += 2
    ws.set_column(2, widest, 7)
    ws.freeze_panes(0, 2)
    _print_setup(ws)


# ----------------------------------------------------------------- tables for analysts

# A text cell starting with one of these is a formula to Excel and LibreOffice
# (OWASP "CSV injection": =HYPERLINK(...), DDE payloads); OWASP's remedy is a
# leading apostrophe, which makes the cell text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
STAGE_PREFIX = ".sheetkit-tables-"


def inert_text(value: Any) -> Any:
    """A text value a spreadsheet opens as text; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell made inert (``inert_text``); numbers and dates untouched."""
    safe = frame
    for name in frame.columns:
        column = frame[name]
        if not pd.api.types.is_object_dtype(column) and not pd.api.types.is_string_dtype(column):
            continue
        values = [inert_text(v) for v in column]
        if any(a is not b for a, b in zip(values, column, strict=True)):
            if safe is frame:
                safe = frame.copy()
            safe[name] = pd.Series(values, index=frame.index, dtype=column.dtype)
    return safe


# Columns that hold a fraction (done_share, planning_share): kept as decimals even when whole.
FRACTION_SUFFIX = "_share"


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every decimal column that holds only whole numbers as integers.

    A count or a level with a gap (a school whose level is unknown) is stored as a
    float by pandas; analysts should read ``level_now`` 1, not 1.0.
    """
    whole = frame
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind != "f" or str(name).endswith(FRACTION_SUFFIX):
            continue
        values = column.dropna()
        if values.empty or not (values == values.round()).all() or values.abs().max() >= 2**63:
            continue
        if whole is frame:
            whole = frame.copy()
        whole[name] = column.astype("Int64")
    return whole


def _csv(frame: pd.DataFrame, path: Path) -> None:
    # CRLF rows (RFC 4180): a value holding a bare CR or an LF is then quoted, never split.
    inert_frame(whole_numbers(frame)).to_csv(
        path, index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    # Data for analysts' tools: the text as typed, counts and levels as integers.
    whole_numbers(frame).to_parquet(path, index=False)


# Table format -> writer of one table (the file suffix is the format's name).
TABLE_FORMATS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    "csv": _csv,
    "parquet": _parquet,
}


def write_tables(rollup: Rollup, folder: str | os.PathLike[str], kind: str = "csv") -> list[Path]:
    """The roll-up's tables as CSV (UTF-8 with BOM, so Excel shows Vietnamese) or Parquet.

    Files: files, schools, items, levels, findings, criteria (.csv or .parquet);
    with Thông tư 57 plans also tt57-schools, tt57-criteria, tt57-issues, tt57-items
    (``items`` and ``criteria`` hold the 2018 plans); with a list of schools, roster.
    """
    return write_table_sets(rollup, {kind: folder})[kind]


def write_table_sets(
    rollup: Rollup, targets: dict[str, str | os.PathLike[str]]
) -> dict[str, list[Path]]:
    """Every set of tables asked for (format -> folder), replacing the old ones as a set.

    All tables are first written to a work folder inside each target folder
    and moved into place only when every one is complete, so a run killed
    while writing leaves the previous set whole, never old and new mixed.
    """
    for kind in targets:
        if kind not in TABLE_FORMATS:
            raise ValueError(f"unknown table format: {kind}")
    if not targets:
        return {}  # no --csv, no --parquet: nothing to compute
    tables = {
        "files": rollup.files,
        "schools": rollup.schools,
        "items": rollup.items,
        "levels": rollup.levels,
        "findings": rollup.findings,
        "criteria": rollup.criteria(),
    }
    if rollup.roster is not None:
        tables["roster"] = roster_table(rollup.roster)
    if rollup.tt57 is not None:
        tables.update(
            {
                "tt57-schools": rollup.tt57.schools,
                "tt57-criteria": tt57.criteria_table(rollup.tt57, rollup.levels),
                "tt57-issues": rollup.tt57.issues,
                "tt57-items": rollup.tt57.items,
            }
        )
    written: dict[str, list[Path]] = {}
    moves: list[tuple[Path, Path]] = []
    with contextlib.ExitStack() as stack:
        for kind, folder in targets.items():
            stage = stack.enter_context(work_folder(folder, STAGE_PREFIX))
            for name, frame in tables.items():
                staged = stage / f"{name}.{kind}"
                TABLE_FORMATS[kind](frame, staged)
                moves.append((staged, Path(folder) / staged.name))
                written.setdefault(kind, []).append(Path(folder) / staged.name)
        for staged, target in moves:
            os.replace(staged, target)
    return written
