"""The printed plan as text: the ``Document`` every layout fills and the pieces they share.

A plan layout's document (``document.table_document`` for the 2018 table,
``bieu2.document`` for Biểu 2 of Thông tư 57) turns a checked Plan into a
``Document``: the header blocks of an administrative document (Nghị định
30/2020/NĐ-CP), number and date line, title, the layout's body, the
signature block and Nơi nhận. The writers (``printed.render_docx`` for Word,
``printed.sheet_layout`` for the Bản kế hoạch sheet, the Excel button) only
place that text; no wording is decided there. This module holds what every
document says the same way: the header, sections of paragraphs, and how a
month or a numbered heading is printed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import places
from ..model.contract import LAYOUT_2018
from ..model.findings import Finding, Report
from ..model.plan import Plan
from ..reading.parsing import month_label
from ..reading.text import clean, fold

TITLE = "KẾ HOẠCH"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "BẢN NHÁP"
BLANK = "……"


@dataclass
class Section:
    """A numbered section: its heading, its paragraphs, and a table under them (or None)."""

    number: str  # "IV"
    heading: str  # "TÓM TẮT CÁC VẤN ĐỀ TRỌNG TÂM CẦN CẢI TIẾN"
    paragraphs: list[str] = field(default_factory=list)
    table: Any = None  # a table over Biểu 2's ten columns (bieu2.Table)

    @property
    def title(self) -> str:
        return f"{self.number}. {self.heading}"


@dataclass
class Document:
    """Every piece of text of the official plan, in reading order."""

    governing_body: str  # "UBND PHƯỜNG BẾN THÀNH" ("" or "……" when unknown: governing_body())
    school: str  # "TRƯỜNG THCS HOÀNG VĂN THỤ"
    number: str  # "Số: 122/KH-HVT"
    place_date: str  # "Quận 10, ngày 05 tháng 9 năm 2024"
    title: str
    subtitle: str
    rows: list[Any]  # the 2018 table's rows (document.Row); empty for a document of sections
    signer_title: str
    signer_name: str
    recipients: list[str]
    draft: str = ""  # the draft notice; "" for a final document
    # Biểu 2 of Thông tư 57: sections I-VIII instead of the one table of ``rows``.
    sections: list[Section] = field(default_factory=list)
    # A 2018 plan's sections from Thông tin (text only): those printed before the table,
    # the table's own heading, those printed after it. All empty for a workbook without
    # these lines: the table alone, as before.
    opening: list[Section] = field(default_factory=list)
    table_heading: str = ""
    closing: list[Section] = field(default_factory=list)
    # The plan layout whose writers print the body (layouts.get): "2018", "tt57".
    layout: str = LAYOUT_2018

    @property
    def items(self) -> list[Any]:
        """The plan's items: rows of the 2018 table and of a sections' plan table (Biểu 2's V)."""
        return [r for r in self.rows if r.kind == "item"] + [
            row
            for section in self.sections
            if section.table is not None and section.table.key == "plan"
            for row in section.table.rows
            if row.kind == "item"
        ]


class RenderRefused(Exception):
    """The plan still has errors: it is not rendered as an official document."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self.report = Report(findings)
        super().__init__(
            f"Kế hoạch còn {self.report.errors} lỗi nên chưa tạo bản kế hoạch chính thức. Sửa "
            "các lỗi (sheetkit check chỉ rõ từng ô) rồi tạo lại, hoặc tạo bản nháp (--draft)."
        )


# ----------------------------------------------------------------- header pieces


def upper(text: str) -> str:
    """Vietnamese capitals ("Trường Tiểu học" -> "TRƯỜNG TIỂU HỌC"), diacritics kept."""
    return text.upper()


def school_heading(name: str) -> str:
    if not name:
        return "TRƯỜNG " + BLANK
    return upper(name if fold(name).startswith("truong") else f"Trường {name}")


def governing_body(plan: Plan) -> str:
    """The body above the school in the header, in capitals.

    Unknown: "" on a plan dated before 01/7/2025; on a later one "……" for the
    school to write by hand (check warns, naming the cell that would fill it),
    never the Phòng GDĐT of a district that no longer exists.
    """
    body = upper(plan.managing_body()[0])
    return body or (BLANK if plan.after_reform else "")


def place_date(plan: Plan) -> str:
    """ "Bình Thạnh, ngày 05 tháng 9 năm 2024"; blanks to fill by hand when the date is not given.

    The place is the unit's own name (Nghị định 30: "Quận 10" and "Phường Nguyễn Trãi"
    stay whole); days below 10 and months below 3 take a leading zero.
    """
    place = _place(plan)
    day: dt.date | None = plan.value("issue_date")
    if day is None:
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    return f"{place}, ngày {day.day:02d} tháng {_month_text(day.month)} năm {day.year}"


def place_month(plan: Plan, year: int, month: int) -> str:
    """The place line of a document written in a known month (a review report): the day
    is left for the school to write, not taken from the plan's own date."""
    return f"{_place(plan)}, ngày {BLANK} tháng {_month_text(month)} năm {year}"


def _place(plan: Plan) -> str:
    unit = plan.value("commune") or plan.value("district")
    if unit:
        return places.place_name(unit)
    province = plan.value("province")
    return places.place_name(province) if province else BLANK


def _month_text(month: int) -> str:
    """Months below 3 take a leading zero in a date line (Nghị định 30)."""
    return f"{month:02d}" if month < 3 else str(month)


# ----------------------------------------------------------------- sections and their text


def paragraphs(text: str | None) -> list[str]:
    """A Thông tin cell's text as paragraphs: one a line, blank lines left out."""
    return [line for line in (text or "").split("\n") if line.strip()]


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def roman(n: int) -> str:
    return _ROMAN[n - 1] if 1 <= n <= len(_ROMAN) else str(n)


_SUBHEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.|[a-zđ]\))\s+\S")


def is_subheading(line: str) -> bool:
    """A numbered line heading what follows ("1. Mục đích", "a) Về đội ngũ"): printed, it
    stays with the next line instead of ending a page alone."""
    line = line.strip()
    return len(line) <= 80 and not line.endswith((".", ";", ",")) and bool(_SUBHEADING.match(line))


# ----------------------------------------------------------------- months


def _month(record: dict, key: str) -> str:
    value = record.get(key)
    if value is not None:
        return f"Tháng {month_label(value)}"
    return clean(record.get(f"{key}_raw"))


def time_text(record: dict) -> str:
    """ "Tháng 9/2024 – Tháng 5/2025", or one month when both are the same."""
    start, end = _month(record, "start"), _month(record, "end")
    if start and end and start != end:
        return f"{start} – {end}"
    return start or end


# Between an amount and its unit: a no-break space, so "10.000.000 đồng" never breaks.
NBSP = "\u00a0"


_MONTH = re.compile(r"\b([Tt]háng)[ \t]+(\d{1,2}(?:/\d{2,4})?)\b")
_DASH = re.compile(r"[ \t]+([–-])[ \t]+")


def keep_months(text: str) -> str:
    """A printed time: "Tháng 9/2026 – Tháng 12/2026" never breaks inside a month.

    No-break spaces inside each month and before the dash, so a narrow cell
    breaks the text only after the dash ("Tháng 9/2026 –" over "Tháng 12/2026").
    """
    text = _MONTH.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)
    return _DASH.sub(lambda m: f"{NBSP}{m.group(1)} ", text)
