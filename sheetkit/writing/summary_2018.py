"""The 2018 plans' part of the roll-up workbook: TT2018 Theo tiêu chí, TT2018 Chi tiết kế
hoạch and their charts in Tổng quan (their rows are in the generic tables of the roll-up)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..merging.rollup import Rollup, item_rollup_columns
from ..model.contract import LAYOUT_2018, SHEET_CRITERIA, SHEET_ITEMS
from ..model.contract import SummaryColumn as Column
from ..reading.parsing import level_label
from .summary_style import Styles, chart_table, data_bar, table

SHORT_LEVEL = {"tt19-2018": "MN", "tt17-2018": "TH", "tt18-2018": "THCS-THPT"}


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
        *item_rollup_columns(),
        *ITEM_SOURCE_TABLE,
    )


def charts_2018(
    book, ws, styles: Styles, rollup: Rollup, criteria: pd.DataFrame, row: int, breaks: list[int]
) -> int:
    """Top criteria, levels and completion months of the 2018 plans, each with its chart."""
    row = chart_table(
        book,
        ws,
        styles,
        row,
        "Tiêu chí được nhiều trường đưa vào kế hoạch nhất (TT2018)",
        ("Tiêu chí", "Số trường", "Tên tiêu chí"),
        top_criteria(rollup, criteria),
        chart_type="bar",
    )
    breaks.append(row + 1)
    row = chart_table(
        book,
        ws,
        styles,
        row + 1,
        "Mức hiện tại và mức cần đạt của các việc cải tiến (TT2018)",
        ("Mức", "Hiện tại", "Cần đạt"),
        level_counts(rollup),
        chart_type="column",
    )
    return chart_table(
        book,
        ws,
        styles,
        row + 1,
        "Số việc cải tiến theo tháng hoàn thành (TT2018)",
        ("Tháng", "Số việc"),
        month_counts(rollup),
        chart_type="column",
        dates=True,
    )


def top_criteria(rollup: Rollup, criteria: pd.DataFrame, count: int = 15) -> list[tuple]:
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


def level_counts(rollup: Rollup) -> list[tuple]:
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


def month_counts(rollup: Rollup) -> list[tuple]:
    """(first day of the month, items completed that month), in time order."""
    ends = rollup.items["end"].dropna()
    if ends.empty:
        return []
    counts = ends.value_counts().sort_index()
    return [(d.to_pydatetime().date().replace(day=1), int(n)) for d, n in counts.items()]


def criteria_sheet(book, styles: Styles, criteria: pd.DataFrame) -> None:
    ws = table(
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
        data_bar(ws, [k for k, _ in CRITERIA_TABLE].index("planning"), len(criteria))


def items_sheet(book, styles: Styles, rollup: Rollup) -> None:
    items = rollup.items
    files = rollup.schools.set_index("school_id")["file"]
    items["file"] = items["school_id"].map(files)  # a column of shared names, not a copy
    try:
        table(book, styles, SHEET_ITEMS, item_table(), items, freeze_cols=1)
    finally:
        del items["file"]


def shown(rollup: Rollup) -> bool:
    """The 2018 part is written when the roll-up has 2018 plans, or no plan at all."""
    return bool(rollup.layouts.get(LAYOUT_2018)) or not rollup.layouts


def sheets(rollup: Rollup, criteria: pd.DataFrame) -> dict[str, Callable]:
    """The 2018 sheets: sheet name -> writer(book, styles)."""
    if not shown(rollup):
        return {}
    return {
        SHEET_CRITERIA: lambda book, styles: criteria_sheet(book, styles, criteria),
        SHEET_ITEMS: lambda book, styles: items_sheet(book, styles, rollup),
    }


def overview_charts(
    book, ws, styles: Styles, rollup: Rollup, criteria: pd.DataFrame, row: int, breaks, first: bool
) -> int:
    """Tổng quan's 2018 charts from ``row``, under their heading unless they come first."""
    if not shown(rollup):
        return row
    if not first:
        breaks.append(row)
        ws.write_string(row, 0, "Kế hoạch theo Thông tư 17, 18, 19/2018", styles.heading)
        row += 2
    return charts_2018(book, ws, styles, rollup, criteria, row, breaks)
