"""The Plan: one school's plan, read and parsed, every value knowing its cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from . import catalog, places

if TYPE_CHECKING:
    import pandas as pd

    from .findings import Finding

# Columns an empty table still has, so code can select them without checking.
ASSESSMENT_MINIMAL = ("row", "criterion", "criterion_raw", "criterion_error")
ITEMS_MINIMAL = ("item", "row", "criterion")


@dataclass
class InfoValue:
    """One line of the Thông tin sheet."""

    label: str
    raw: Any = None  # what the cell holds
    value: Any = None  # parsed value (None if empty or not understood)
    error: str | None = None  # why the value was not understood
    cell: str | None = None  # "B5"; None when the label is not in the sheet


@dataclass
class Plan:
    """A school's quality-improvement plan.

    ``assessment`` has one row per criterion row of Tự đánh giá, ``items`` one
    row per filled row of Kế hoạch; both keep the Excel ``row`` and, for each
    value, the raw cell content next to the parsed one (``target_raw`` /
    ``target`` / ``target_error``). ``columns`` maps sheet -> field key ->
    column letter, so any finding can name its cell.

    The reader keeps the rows as records and the DataFrames are built on first
    use: a district roll-up stacks the records of hundreds of plans into one
    table instead of building, then concatenating, two small frames per plan.
    """

    source: str
    info: dict[str, InfoValue]
    # Rows of each table sheet, by table key ("assessment", "items"; TT57: "issues", "reviews").
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> Excel row of its headers
    sheet_names: dict[str, str] = field(default_factory=dict)
    legacy_cells: list[dict[str, Any]] = field(default_factory=list)
    structure: list[Finding] = field(default_factory=list)  # findings from reading
    # The workbook's layout (sheetkit.layouts: "2018", "tt57") and its circulars' family.
    layout: str = catalog.FAMILY_2018
    family_id: str = catalog.FAMILY_2018

    @property
    def assessment_records(self) -> list[dict[str, Any]]:
        return self.records.get("assessment", [])

    @property
    def item_records(self) -> list[dict[str, Any]]:
        return self.records.get("items", [])

    @property
    def issue_records(self) -> list[dict[str, Any]]:
        """TT57 table IV: the priority issues."""
        return self.records.get("issues", [])

    @property
    def review_records(self) -> list[dict[str, Any]]:
        """TT57 table VI: the monitoring rows."""
        return self.records.get("reviews", [])

    def managing_body(self) -> tuple[str, str]:
        """(full name, name as Nơi nhận writes it) of the body the school reports to.

        From Cơ quan chủ quản when given; otherwise by the 2025 reform: THPT and
        GDTX under the province's Sở GDĐT, the others under the UBND of their
        xã/phường; a 2018 plan dated before 01/7/2025 that names only its
        quận/huyện, under its Phòng GDĐT. A document dated from 01/7/2025 never
        names a Phòng GDĐT, quận or huyện, typed or guessed (``after_reform``).
        ("", "Cơ quan quản lý") when the plan does not tell.
        """
        given = self.value("governing_body")
        if given and not self.outdated_body:
            return given, places.recipient_case(given)
        body = places.managing_body(
            self.value("school_level"),
            self.value("province"),
            commune=self.value("commune"),
            district=self.value("district"),
            reformed=self.after_reform,
        )
        if body is None:
            return "", "Cơ quan quản lý"
        return body.name, body.short

    def managing_body_label(self) -> str:
        """The body the school reports to, written one way for all ("UBND phường An Bình",
        "Sở GDĐT Hà Nội"), to group a roll-up by; "" when the plan does not tell."""
        full, short = self.managing_body()
        if not full:
            return ""
        for long, brief in (
            ("Sở Giáo dục và Đào tạo ", "Sở GDĐT "),
            ("Phòng Giáo dục và Đào tạo ", "Phòng GDĐT "),
        ):
            if short.casefold().startswith(long.casefold()):
                return brief + short[len(long) :]
        return short

    @property
    def document_date(self) -> dt.date | None:
        """The day the plan is dated: its Ngày ban hành, or else the first day of its school
        year (1 August, where ``period`` starts); None when it has neither."""
        day = self.value("issue_date")
        if isinstance(day, dt.date):
            return day
        first = self.value("school_year")
        return dt.date(first, 8, 1) if first is not None else None

    @property
    def after_reform(self) -> bool:
        """Dated from 01/7/2025, when the Phòng GDĐT and the district level ended."""
        day = self.document_date
        return day is not None and day >= places.REFORM_DATE

    @property
    def outdated_body(self) -> bool:
        """A typed Cơ quan chủ quản of the district level on a plan dated after the reform."""
        given = self.value("governing_body")
        return bool(given) and self.after_reform and places.names_district_body(given)

    @property
    def family(self) -> catalog.Family:
        return catalog.FAMILIES[self.family_id]

    @cached_property
    def assessment(self) -> pd.DataFrame:
        return records_frame(self.assessment_records, ASSESSMENT_MINIMAL)

    @cached_property
    def items(self) -> pd.DataFrame:
        return records_frame(self.item_records, ITEMS_MINIMAL)

    def current_levels(self) -> dict[str, int]:
        """Mức hiện tại per criterion code, from the first Tự đánh giá row that has one."""
        return self._assessed("current")

    def target_levels(self) -> dict[str, int]:
        """Mức cần đạt per criterion code written in Tự đánh giá (how TT57 plans give it)."""
        return self._assessed("target")

    def _assessed(self, key: str) -> dict[str, int]:
        levels: dict[str, int] = {}
        for record in self.assessment_records:
            code, level = record.get("criterion"), record.get(key)
            if isinstance(code, str) and level is not None:
                levels.setdefault(code, level)
        return levels

    def budget_totals(self) -> tuple[float, int, int]:
        """(sum of the amounts, items with an amount, items with a budget phrase).

        Only amounts add up; "Theo quy chế chi tiêu nội bộ" is counted, not summed.
        """
        total, amounts, phrases = 0.0, 0, 0
        for record in self.item_records:
            kind = record.get("budget_kind")
            if kind == "amount":
                total += record["budget_amount"]
                amounts += 1
            elif kind == "phrase":
                phrases += 1
        return total, amounts, phrases

    def value(self, key: str) -> Any:
        item = self.info.get(key)
        return None if item is None else item.value

    @property
    def school_name(self) -> str:
        return self.value("school_name") or ""

    @property
    def circular(self) -> catalog.Circular | None:
        """The circular (TT57: its appendix) of the plan's layout and school level."""
        level = self.value("school_level")
        if not level:
            return None
        try:
            return catalog.for_school_level(level, self.family_id)
        except KeyError:
            return None

    @property
    def is_cycle(self) -> bool:
        """A 2018 five-year plan; TT57 plans are yearly."""
        return self.value("plan_type") == "Chu kỳ 5 năm"

    @property
    def last_school_year(self) -> int | None:
        first = self.value("school_year")
        if first is None:
            return None
        if self.is_cycle:
            return self.value("end_year") or first + 4
        return first

    @property
    def period(self) -> tuple[int, int] | None:
        """(first month, last month) as month indexes: August of the first year to July."""
        first, last = self.value("school_year"), self.last_school_year
        if first is None or last is None:
            return None
        return first * 12 + 7, (last + 1) * 12 + 6

    def cell(self, sheet: str, key: str, row: int) -> str | None:
        letter = self.columns.get(sheet, {}).get(key)
        return f"{letter}{row}" if letter else None


def records_frame(records: list[dict[str, Any]], minimal: tuple[str, ...]) -> pd.DataFrame:
    """Records as a DataFrame; with no records, an empty frame that has ``minimal`` columns."""
    import pandas as pd

    if not records:
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in minimal})
        return frame.astype({"row": "int64"})
    return pd.DataFrame.from_records(records)
