"""The 2018 plans' part of the roll-up's Tổng quan (their rows are in the generic tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model.contract import LAYOUT_2018

if TYPE_CHECKING:
    from .rollup import Rollup

# How Tổng quan names the sheets of these plans (writing/summary.py writes them).
SHEETS_NOTE = "các trang tính có tên bắt đầu bằng TT2018"


def overview_section(rollup: Rollup) -> list[tuple[str, Any]]:
    """Tổng quan's lines about the plans of the 2018 circulars (none when there are none)."""
    count = rollup.layouts.get(LAYOUT_2018, 0)
    if not count:
        return []
    schools = rollup.schools
    return [
        (f"THÔNG TƯ 17, 18, 19/2018/TT-BGDĐT (xem {SHEETS_NOTE})", None),
        ("Số trường lập kế hoạch theo Thông tư 2018", count),
        ("Số việc cải tiến trong các kế hoạch", len(rollup.items)),
        (
            "Tổng kinh phí dự kiến (đồng, các khoản ghi số tiền)",
            float(schools["budget_total"].sum()),
        ),
        (
            "Khoản kinh phí ghi bằng lời (không cộng vào tổng)",
            int(schools["budget_phrases"].sum()),
        ),
    ]
