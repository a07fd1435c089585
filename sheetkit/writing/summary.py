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
import functools
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from .. import layouts
from ..merging.rollup import STATUS_UNREADABLE, Rollup
from ..merging.roster_match import RosterMatch
from ..merging.years import other_years, round_label
from ..model import catalog
from ..model.contract import (
    SHEET_BODY_REPORT,
    SHEET_MATRIX,
    SHEET_OVERVIEW,
    SHEET_PROBLEMS,
    SHEET_ROSTER_STATUS,
    SHEET_SCHOOLS,
    SUMMARY_SHEETS,
)
from ..model.contract import SummaryColumn as Column
from ..model.findings import SEVERITY_LABEL
from ..reading.text import fold
from ..workdirs import work_folder
from .files import atomic_path
from .layout import (
    EXCEL,
)
from .plan_text import Document
from .report_sheet import write_report_sheet
from .summary_style import (
    CHART_WIDTH_PX,
    FONT,
    NOT_LISTED,
    OVERVIEW_SIZE,
    OVERVIEW_TITLE_WIDTH,
    Styles,
    cell_name,
    fitted,
    missing_schools,
    print_setup,
    table,
)

__all__ = ["CHART_WIDTH_PX", "OVERVIEW_TITLE_WIDTH", "write_summary", "write_tables"]

# Up to a few thousand schools the workbook is built in memory (faster: shared
# strings); a province's roll-up streams rows to disk so memory stays flat.
STREAM_FROM_ITEMS = 100_000
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
        styles = Styles(book)
        criteria = rollup.criteria()
        writers: dict[str, Callable[[], None]] = {
            SHEET_OVERVIEW: lambda: _overview(book, styles, rollup, criteria),
            SHEET_SCHOOLS: lambda: _schools(book, styles, rollup),
            SHEET_MATRIX: lambda: _matrix(book, styles, rollup),
            SHEET_PROBLEMS: lambda: _problems(book, styles, rollup),
        }
        if rollup.roster is not None:
            writers[SHEET_ROSTER_STATUS] = lambda: _roster(book, styles, rollup.roster)
        if report is not None:
            writers[SHEET_BODY_REPORT] = lambda: write_report_sheet(book, report, SHEET_BODY_REPORT)
        for layout in layouts.all_layouts():  # each layout's own sheets, for its plans
            for name, write in layout.summary_sheets(rollup, criteria).items():
                writers[name] = functools.partial(write, book, styles)
        for name in sheet_order(writers):
            writers[name]()
        book.close()
    return path


def sheet_order(names) -> list[str]:
    """The order of the summary's sheets: the contract's (SUMMARY_SHEETS), and the sheets of a
    layout it does not list before Lỗi, which stays last."""
    known = [name for name in SUMMARY_SHEETS if name in names and name != SHEET_PROBLEMS]
    others = [name for name in names if name not in SUMMARY_SHEETS]
    return [*known, *others, *([SHEET_PROBLEMS] if SHEET_PROBLEMS in names else [])]


# ----------------------------------------------------------------- Tổng quan

# The overview prints at a set scale, so Excel keeps its page break (Excel ignores
# manual breaks when "fit to page" is on): its columns and charts fit the width.
OVERVIEW_SCALE = 66


def _overview(book, styles: Styles, rollup: Rollup, criteria: pd.DataFrame) -> None:
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
            ws.set_row(row, fitted(label, 52))  # a long label wraps, never clipped
        if value is None:  # a regulation's part
            ws.write_string(row, 0, label, styles.heading)
            ws.write_blank(row, 1, None, styles.heading)
            continue
        ws.write_string(row, 0, label, styles.label)
        ws.write_number(row, 1, value, styles.figure)
    row += 2
    # Print: the figures on page 1, then each regulation's charts two to a page.
    breaks: list[int] = []
    first = True  # each layout's charts under its heading, the form in force first
    for layout in sorted(layouts.all_layouts(), key=lambda layout: not layout.in_force):
        after = layout.overview_charts(book, ws, styles, rollup, criteria, row, breaks, first)
        first, row = first and after == row, after
    ws.set_h_pagebreaks(breaks)
    print_setup(ws)
    ws.fit_to_pages(0, 0)  # (undo the fitting print_setup asks for: it drops page breaks)
    ws.set_print_scale(OVERVIEW_SCALE)
    ws.activate()


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


# ----------------------------------------------------------------- table sheets


def _schools(book, styles: Styles, rollup: Rollup) -> None:
    frame = _school_rows(rollup)
    keys = [k for k, _ in SCHOOL_TABLE]
    status_col, year_col = keys.index("status"), keys.index("school_year")

    def row_style(values: tuple) -> dict[int, Any]:
        style = styles.status.get(values[status_col])
        marks = {status_col: style} if style is not None else {}
        if OTHER_YEAR_MARK in str(values[year_col]):
            marks[year_col] = styles.other_year
        return marks

    table(
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


def _roster(book, styles: Styles, match: RosterMatch) -> None:
    state_col = [k for k, _ in ROSTER_TABLE].index("state")

    def row_style(values: tuple) -> dict[int, Any]:
        style = styles.roster_state.get(values[state_col])
        return {state_col: style} if style is not None else {}

    table(
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
        schools["circular"].map(_has_budget), None
    )
    order = {level: n for n, level in enumerate(("Mầm non", "Tiểu học", "THCS", "THPT"))}
    schools["_level"] = schools["school_level"].map(lambda v: order.get(v, 9))
    schools["_name"] = schools["school_name"].map(fold)
    schools = schools.sort_values(["_level", "_name", "school_code"]).drop(
        columns=["_level", "_name"]
    )
    unreadable = rollup.unreadable
    missing = missing_schools(rollup)
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


def _regulation(circular_id: str) -> str:
    """ "TT 57/2026", "TT 18/2018": which regulation a school's plan follows (its number)."""
    if not circular_id:
        return ""
    number, year = catalog.by_id(circular_id).number.split("/")[:2]
    return f"TT {number}/{year}"


def _has_budget(circular_id: str) -> bool:
    """Whether plans of this circular have a budget column (TT57's costs are words in Nguồn
    lực bảo đảm: its schools' budget is blank, not 0). Unknown circular: shown."""
    if not circular_id:
        return True
    layout = layouts.get(catalog.by_id(circular_id).family.layout)
    return any(key == "budget_amount" for key, _ in layout.item_rollup_columns())


# ----------------------------------------------------------------- Thông tư 57


def _problems(book, styles: Styles, rollup: Rollup) -> None:
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

    table(
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


def _matrix(book, styles: Styles, rollup: Rollup) -> None:
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
            top, cell = circular.family.highest, cell_name(first, 2)
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
    print_setup(ws)


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
    for layout in layouts.all_layouts():
        tables.update(layout.table_set(rollup))
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
