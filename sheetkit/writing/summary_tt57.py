"""The Thông tư 57 plans' part of the roll-up workbook: the four TT57 sheets (Mức đạt và
tiến độ, Theo tiêu chí, Vấn đề trọng tâm, Chi tiết kế hoạch), their charts in Tổng quan
and their tables (tt57-*.csv), from the roll-up's TT57 tables (merging/tt57.py)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import layouts
from ..merging import tt57
from ..merging.rollup import Rollup
from ..merging.roster_match import MISSING as ROSTER_MISSING
from ..model.contract import (
    FIRST_TT57_YEAR,
    LAYOUT_TT57,
    SHEET_TT57_CRITERIA,
    SHEET_TT57_ISSUES,
    SHEET_TT57_ITEMS,
    SHEET_TT57_SCHOOLS,
)
from ..model.contract import SummaryColumn as Column
from ..validators.review import STATE_LABELS
from .summary_style import Styles, cell_name, chart_table, data_bar, missing_schools, table

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
    *layouts.get(LAYOUT_TT57).item_rollup_columns(),
    ("file", Column("Tệp nguồn", 36, wrap=True)),
    ("row", Column("Dòng trong tệp", 8, "int")),
)


def charts_tt57(book, ws, styles: Styles, rollup: Rollup, row: int, breaks: list[int]) -> int:
    """Levels, compulsory gaps, progress and priority issues of the TT57 plans, as charts.

    Appends to ``breaks`` the rows a printed page starts at: two charts a page.
    """
    tables = rollup.tt57
    breaks.append(row)
    ws.write_string(row, 0, "Kế hoạch theo Thông tư 57/2026", styles.heading)
    row += 2
    row = chart_table(
        book,
        ws,
        styles,
        row,
        "Mức đạt của trường: hiện tại và sau kế hoạch (TT57)",
        ("Mức đạt", "Hiện tại", "Sau kế hoạch"),
        tt57.level_counts(tables),
        chart_type="column",
    )
    row = chart_table(
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
    row = chart_table(
        book,
        ws,
        styles,
        row + 1,
        f"Tiến độ các việc đến tháng {tables.at_label} (TT57)",
        ("Tình trạng", "Số việc"),
        tt57.progress_counts(tables),
        chart_type="column",
    )
    row = chart_table(
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


def missing_tt57(rollup: Rollup) -> pd.DataFrame:
    """Listed schools with no plan in a Thông tư 57 year: a grey "Chưa nộp" row each, last."""
    match = rollup.roster
    if match is None or not match.school_year[:4].isdigit():
        return pd.DataFrame()
    if int(match.school_year[:4]) < FIRST_TT57_YEAR:
        return pd.DataFrame()
    missing = missing_schools(rollup)
    return missing.drop(columns=["status"]).assign(level_now_label=ROSTER_MISSING)


def sheets_tt57(book, styles: Styles, rollup: Rollup) -> None:
    """The four sheets of the Thông tư 57 plans: schools, criteria, priority issues, rows."""
    tables = rollup.tt57
    month = f"tháng {tables.at_label}"
    schools = tables.schools
    keys = [k for k, _ in TT57_SCHOOL_TABLE]
    label = keys.index("level_now_label")

    def row_style(values: tuple) -> dict[int, Any]:
        missing = values[label] == ROSTER_MISSING
        return {label: styles.status[ROSTER_MISSING]} if missing else {}

    ws = table(
        book,
        styles,
        SHEET_TT57_SCHOOLS,
        TT57_SCHOOL_TABLE,
        pd.concat([schools, missing_tt57(rollup)], ignore_index=True),
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
    ws = table(
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
                "criteria": f'=AND($E2="Bắt buộc",{cell_name(1, col)}>0)',
                "format": styles.alert,
            },
        )
        data_bar(ws, [k for k, _ in TT57_CRITERIA_TABLE].index("planning"), len(criteria))
    ws = table(
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
        ws = table(book, styles, SHEET_TT57_ITEMS, TT57_ITEM_TABLE, items, freeze_cols=4)
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


def table_set(rollup: Rollup) -> dict[str, pd.DataFrame]:
    """The TT57 tables written beside the roll-up (--csv, --parquet)."""
    tables = rollup.tt57
    if tables is None:
        return {}
    return {
        "tt57-schools": tables.schools,
        "tt57-criteria": tt57.criteria_table(tables, rollup.levels),
        "tt57-issues": tables.issues,
        "tt57-items": tables.items,
    }


def sheets(rollup: Rollup) -> dict[str, Any]:
    """The four TT57 sheets, when the roll-up has TT57 plans: sheet name -> writer(book, styles).

    Written together (one pass over the TT57 tables), under the first sheet's name.
    """
    if rollup.tt57 is None or not len(rollup.tt57):
        return {}
    return {SHEET_TT57_SCHOOLS: lambda book, styles: sheets_tt57(book, styles, rollup)}


def overview_charts(book, ws, styles: Styles, rollup: Rollup, row: int, breaks) -> int:
    """Tổng quan's TT57 charts from ``row``, under their heading (none without TT57 plans)."""
    if rollup.tt57 is None or not len(rollup.tt57):
        return row
    return charts_tt57(book, ws, styles, rollup, row, breaks)
