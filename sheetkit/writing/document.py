"""The 2018 plan as printed: the table of Thông tư 17, 18, 19/2018, grouped by standard.

``table_document(plan, common)`` is the 2018 layout's document: the header
parts every layout shares (``common``, from ``printed.render_plan``), the
plan table grouped by standard with its total, the sections of Thông tin
around it (Căn cứ, Mục đích, yêu cầu, Tổ chức thực hiện), HIỆU TRƯỞNG and
Nơi nhận. The writers (``plan_docx``, ``plan_sheet``) only place that text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import catalog, contract
from ..model.plan import Plan
from ..reading.parsing import format_amount, level_label, school_year_label
from ..reading.text import clean, fold
from .plan_text import (
    BLANK,
    NBSP,
    Document,
    Section,
    keep_months,
    paragraphs,
    roman,
    time_text,
)

SIGNER = "HIỆU TRƯỞNG"

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


def table_document(plan: Plan, common: dict[str, Any]) -> Document:
    """The 2018 plan's document, from the header parts every layout shares (``common``)."""
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


def text_sections(plan: Plan) -> tuple[list[Section], str, list[Section]]:
    """(sections before the table, the table's heading, sections after it) of a 2018 plan.

    A section is printed when its Thông tin cell has text, one paragraph a
    line; with none of them the table has no heading either.
    """
    texts = {key: paragraphs(plan.value(key)) for key, _ in SECTIONS_2018 if key}
    if not any(texts.values()):
        return [], "", []
    parts: tuple[list[Section], list[Section]] = ([], [])
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
