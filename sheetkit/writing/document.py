"""The official plan as a document model: what a school prints, signs, stamps and files.

``render_plan(plan)`` turns a checked Plan into a ``Document``: the header
blocks, number and date line, title, the plan table grouped by standard, the
signature block and Nơi nhận, laid out as an administrative document of
Nghị định 30/2020/NĐ-CP. The writers (``sheetkit.render_xlsx`` for the
Bản kế hoạch sheet, ``sheetkit.render_docx`` for Word, the Excel button)
only place that text; no wording is decided there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import catalog, contract, places
from ..model.findings import Finding, Report
from ..model.plan import Plan
from ..reading.parsing import format_amount, level_label, month_label, school_year_label
from ..reading.text import clean, fold

TITLE = "KẾ HOẠCH"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGNER = "HIỆU TRƯỞNG"
DRAFT_MARK = "BẢN NHÁP"
BLANK = "……"

# The official column order of the plan table, with widths in spreadsheet
# character units (the Word table uses the same proportions).
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("tt", "TT", 5),
    ("criterion", "Tiêu chuẩn, tiêu chí", 21),
    ("result", "Kết quả cần đạt (so với hiện trạng)", 22),
    ("solution", "Công việc/giải pháp cần thực hiện", 42),
    ("people", "Chủ trì và phối hợp thực hiện", 17),
    ("time", "Thời gian thực hiện và hoàn thành", 13),
    ("budget", "Dự kiến kinh phí", 13),
    ("other", "Điều kiện hỗ trợ khác", 13),
    ("note", "Ghi chú", 10),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
CENTERED = {"tt", "time", "budget"}  # short values, centred in their cells


@dataclass
class Row:
    """One row of the plan table.

    ``kind``: "standard" (a bold Tiêu chuẩn row: ``tt`` and ``text``),
    "item" (``cells`` by column key; ``group`` numbers the criterion the row
    belongs to, so writers can merge its criterion cell over the rows of one
    criterion) or "total" (``text`` and ``cells["budget"]``).
    """

    kind: str
    tt: str = ""
    text: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    group: int = 0


@dataclass
class Document:
    """Every piece of text of the official plan, in reading order."""

    governing_body: str  # "UBND PHƯỜNG BẾN THÀNH" ("" or "……" when unknown: governing_body())
    school: str  # "TRƯỜNG THCS HOÀNG VĂN THỤ"
    number: str  # "Số: 122/KH-HVT"
    place_date: str  # "Quận 10, ngày 05 tháng 9 năm 2024"
    title: str
    subtitle: str
    rows: list[Row]
    signer_title: str
    signer_name: str
    recipients: list[str]
    draft: str = ""  # the draft notice; "" for a final document
    # Biểu 2 of Thông tư 57: sections I-VIII (bieu2.Section) instead of the one table of ``rows``.
    sections: list[Any] = field(default_factory=list)
    # A 2018 plan's sections from Thông tin (bieu2.Section, text only): those printed before
    # the table, the table's own heading, those printed after it. All empty for a workbook
    # without these lines: the table alone, as before.
    opening: list[Any] = field(default_factory=list)
    table_heading: str = ""
    closing: list[Any] = field(default_factory=list)

    @property
    def items(self) -> list[Any]:
        """The plan's items: rows of the 2018 table, or of table V of Biểu 2."""
        if self.sections:
            return [
                row
                for section in self.sections
                if section.table is not None and section.table.key == "plan"
                for row in section.table.rows
                if row.kind == "item"
            ]
        return [r for r in self.rows if r.kind == "item"]


class RenderRefused(Exception):
    """The plan still has errors: it is not rendered as an official document."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self.report = Report(findings)
        super().__init__(
            f"Kế hoạch còn {self.report.errors} lỗi nên chưa tạo bản kế hoạch chính thức. Sửa "
            "các lỗi (sheetkit check chỉ rõ từng ô) rồi tạo lại, hoặc tạo bản nháp (--draft)."
        )


def render_plan(
    plan: Plan, findings: list[Finding] | None = None, *, draft: bool = False
) -> Document:
    """The official document of ``plan``.

    ``findings`` are those of ``check_plan(plan)`` (computed when not given).
    A plan with errors raises ``RenderRefused`` unless ``draft``: a draft is
    rendered with a visible BẢN NHÁP mark so it cannot pass for the real one.
    """
    if findings is None:
        from ..checking.validation import check_plan

        findings = check_plan(plan)
    errors = Report(findings).errors
    if errors and not draft:
        raise RenderRefused(findings)
    notice = ""
    if draft:
        notice = f"{DRAFT_MARK} - " + (
            f"kế hoạch còn {errors} lỗi, chưa dùng để ban hành"
            if errors
            else "chưa dùng để ban hành"
        )
    principal = plan.value("principal") or ""
    common = {
        "governing_body": governing_body(plan),
        "school": school_heading(plan.school_name),
        "number": f"Số: {plan.value('document_number') or BLANK + '/KH-' + BLANK}",
        "place_date": place_date(plan),
        "title": TITLE,
        "signer_name": principal,
        "draft": notice,
    }
    if plan.layout == "tt57":  # Biểu 2, Phụ lục V of Thông tư 57/2026
        from . import bieu2

        return Document(
            **common,
            subtitle=bieu2.subtitle(plan),
            rows=[],
            signer_title=bieu2.signer(plan),
            recipients=bieu2.recipients(plan, plan.managing_body()[1]),
            sections=bieu2.sections(plan),
        )
    opening, table_heading, closing = text_sections(plan)
    return Document(
        **common,
        subtitle=subtitle(plan),
        rows=table_rows(plan),
        signer_title=SIGNER,
        recipients=recipients(plan),
        opening=opening,
        table_heading=table_heading,
        closing=closing,
    )


# The sections of a 2018 plan around its table: (Thông tin field, heading), in print order;
# None stands for the table. Numbered in order among those the plan has.
SECTIONS_2018 = (
    ("legal_bases", "CĂN CỨ XÂY DỰNG KẾ HOẠCH"),
    ("purpose", "MỤC ĐÍCH, YÊU CẦU"),
    (None, "NỘI DUNG KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC"),
    ("organisation", "TỔ CHỨC THỰC HIỆN"),
)


def text_sections(plan: Plan) -> tuple[list[Any], str, list[Any]]:
    """(sections before the table, the table's heading, sections after it) of a 2018 plan.

    A section is printed when its Thông tin cell has text, one paragraph a
    line; with none of them the table has no heading either.
    """
    from .bieu2 import Section, paragraphs

    texts = {key: paragraphs(plan.value(key)) for key, _ in SECTIONS_2018 if key}
    if not any(texts.values()):
        return [], "", []
    parts: tuple[list[Any], list[Any]] = ([], [])
    heading, number = "", 0
    for key, title in SECTIONS_2018:
        if key is not None and not texts[key]:
            continue
        number += 1
        if key is None:
            heading = f"{roman(number)}. {title}"
        else:
            parts[bool(heading)].append(Section(roman(number), title, texts[key]))
    return parts[0], heading, parts[1]


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


_SUBHEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.|[a-zđ]\))\s+\S")


def is_subheading(line: str) -> bool:
    """A numbered line heading what follows ("1. Mục đích", "a) Về đội ngũ"): printed, it
    stays with the next line instead of ending a page alone."""
    line = line.strip()
    return len(line) <= 80 and not line.endswith((".", ";", ",")) and bool(_SUBHEADING.match(line))


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


def subtitle(plan: Plan) -> str:
    first = plan.value("school_year")
    if first is None:
        return f"Cải tiến chất lượng giáo dục năm học {BLANK}"
    if plan.is_cycle:
        last = plan.last_school_year
        return (
            f"Cải tiến chất lượng giáo dục giai đoạn {school_year_label(first)} "
            f"đến {school_year_label(last)}"
        )
    return f"Cải tiến chất lượng giáo dục năm học {school_year_label(first)}"


def recipients(plan: Plan) -> list[str]:
    above = plan.managing_body()[1]
    return [
        f"- {above} (để báo cáo);",
        "- Hội đồng trường;",
        "- Các bộ phận, cá nhân được phân công;",
        "- Lưu: VT.",
    ]


# ----------------------------------------------------------------- the table

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def roman(n: int) -> str:
    return _ROMAN[n - 1] if 1 <= n <= len(_ROMAN) else str(n)


def table_rows(plan: Plan) -> list[Row]:
    """Items grouped under their standard, in the circular's order of criteria.

    Items whose criterion is not in the circular (only in a draft) come last,
    under their own heading, in the order they were written.
    """
    circular = plan.circular
    levels = plan.current_levels()
    known: dict[int, list[tuple[catalog.Criterion, dict]]] = {}
    unknown: list[dict] = []
    for record in plan.item_records:
        code = record.get("criterion")
        criterion = circular.get(code) if circular and isinstance(code, str) else None
        if criterion is None:
            unknown.append(record)
        else:
            known.setdefault(criterion.standard, []).append((criterion, record))
    rows: list[Row] = []
    group = 0
    standards = dict(circular.standards()) if circular else {}
    for n, standard in enumerate(sorted(known), start=1):
        rows.append(Row("standard", roman(n), f"Tiêu chuẩn {standard}: {standards[standard]}"))
        entries = sorted(known[standard], key=lambda e: (e[0].sort_key, e[1]["item"]))
        previous = None
        for number, (criterion, record) in enumerate(entries, start=1):
            if criterion.code != previous:
                group, previous = group + 1, criterion.code
            heading = f"Tiêu chí {criterion.code}: {criterion.title}"
            rows.append(_item_row(str(number), heading, record, levels.get(criterion.code), group))
    if unknown:
        rows.append(Row("standard", roman(len(known) + 1), "Tiêu chí chưa xác định"))
        for number, record in enumerate(unknown, start=1):
            group += 1
            heading = clean(record.get("criterion_raw"))
            rows.append(_item_row(str(number), heading, record, None, group))
    rows.append(Row("total", text="Tổng kinh phí dự kiến", cells={"budget": _total(plan)}))
    return rows


def _item_row(tt: str, heading: str, record: dict, current: int | None, group: int) -> Row:
    context = {"tt": tt, "heading": heading, "current": current}
    return Row("item", tt=tt, group=group, cells=item_cells(record, context))


def item_cells(record: dict, context: dict[str, Any]) -> dict[str, str]:
    """The printed table's cells of one plan item, by column key.

    Each plan field names the column it is printed in (``printed`` in the
    registry). Columns that combine fields are written by their builder;
    any other field printed in a column is added there as "Label: value",
    so no declared field is ever left out of the document.
    """
    cells: dict[str, str] = {}
    placed: dict[str, list[contract.PlanField]] = {key: [] for key in COLUMN_KEYS}
    for f in contract.PLAN_COLUMNS:
        if f.printed is not None:
            placed[f.printed].append(f)  # KeyError: a field printed in a column that is not there
    for key in COLUMN_KEYS:
        consumed, build = BUILDERS.get(key, ((), None))
        parts = [build(record, context)] if build else []
        others = [f for f in placed[key] if f.key not in consumed]
        if build is None and len(others) == 1:
            parts.append(clean_text(record.get(others[0].key)))
        else:
            parts += [
                f"{f.label}: {clean_text(record.get(f.key))}"
                for f in others
                if clean_text(record.get(f.key))
            ]
        cells[key] = "\n".join(part for part in parts if part)
    return cells


def clean_text(value: Any) -> str:
    return value if isinstance(value, str) else clean(value)


def result_text(record: dict, current: int | None) -> str:
    """ "Đạt Mức 2 (hiện trạng: Mức 1)", then what the school wrote it will achieve."""
    parts = []
    target = record.get("target")
    if target is not None:
        head = f"Đạt {level_label(target)}" if target else level_label(target)
        if current is not None:
            head += f" (hiện trạng: {level_label(current)})"
        parts.append(head)
    elif clean(record.get("target_raw")):
        parts.append(clean(record["target_raw"]))
    result = record.get("result")
    if result and not (
        target is not None and fold(result).removeprefix("dat ") == fold(level_label(target))
    ):
        parts.append(result)  # unless it only repeats the level ("Mức 2")
    if record.get("shortcoming"):
        parts.append(f"Hạn chế cần khắc phục: {record['shortcoming']}")
    return "\n".join(parts)


def people_text(record: dict) -> str:
    lead, support = record.get("lead"), record.get("support")
    if lead and support:
        return f"Chủ trì: {lead}\nPhối hợp: {support}"
    if support:
        return f"Phối hợp: {support}"
    return lead or ""


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


def money(amount: float) -> str:
    """ "10.000.000 đồng", held together on one line."""
    return f"{format_amount(amount)}{NBSP}đồng"


def budget_text(record: dict) -> str:
    amount = record.get("budget_amount")
    if amount is not None and record.get("budget_kind") == "amount":
        return money(amount)
    return record.get("budget_label") or clean(record.get("budget_raw"))


# Columns written from several fields: (the fields they use, the builder).
BUILDERS: dict[str, tuple[tuple[str, ...], Any]] = {
    "tt": (("tt",), lambda record, context: context["tt"]),
    "criterion": (("criterion", "title"), lambda record, context: context["heading"]),
    "result": (
        ("current", "target", "result", "shortcoming"),
        lambda record, context: result_text(record, context["current"]),
    ),
    "people": (("lead", "support"), lambda record, context: people_text(record)),
    "time": (("start", "end"), lambda record, context: keep_months(time_text(record))),
    "budget": (("budget",), lambda record, context: budget_text(record)),
}


def _total(plan: Plan) -> str:
    total, amounts, phrases = plan.budget_totals()
    if amounts and phrases:
        return f"{money(total)}\n(chưa tính {phrases} khoản ghi bằng lời)"
    if phrases:  # "0 đồng" would read as "no cost"
        return f"({phrases} khoản ghi bằng lời, không cộng được)"
    return money(total) if amounts else ""
