"""The Thông tư 57 plan as Biểu 2 (Phụ lục V) prints it: the document model.

Sections I to VIII in order (plan-form.md): I from Thông tin, II, III, VII and
VIII from their cells, IV the priority issues, V the ten numbered columns of
the plan with its rows grouped under their priority issue, VI the reviews.
``document(plan, common)`` is the Biểu 2 layout's document; the writers
(``bieu2_sheet``, ``bieu2_docx``) only place its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import catalog, places
from ..model.plan import Plan
from ..reading.parsing import date_label, school_year_label
from ..reading.text import clean
from .plan_text import Document, Section, keep_months, paragraphs, time_text

ISSUES_NOTE = (
    "Lưu ý: Chỉ lựa chọn các vấn đề trọng tâm, có tác động trực tiếp đến chất lượng giáo dục "
    "để đưa vào kế hoạch cải tiến."
)
# Table V's ten columns, numbered (1) to (10) under the header, with relative widths.
PLAN_COLUMNS = (
    ("tt", "TT", 6),
    ("content", "Nội dung cải tiến", 17),
    ("objective", "Mục tiêu cải tiến", 17),
    ("activities", "Hoạt động/giải pháp", 28),
    ("indicator", "Chỉ số đánh giá kết quả", 17),
    ("time", "Thời gian thực hiện", 13),
    ("owner", "Đơn vị/cá nhân phụ trách", 14),
    ("resources", "Nguồn lực bảo đảm", 15),
    ("evidence", "Thông tin, dữ liệu hoặc minh chứng dự kiến", 15),
    ("progress", "Mức độ thực hiện", 13),
)
# Columns that give way when another needs room for an unbreakable piece (an amount, a code).
FLEXIBLE = (3, 4, 1, 2)  # activities, indicator, content, objective
# Tables IV and VI are laid over table V's columns: (label, first column, last column), 0-based.
ISSUE_COLUMNS = (
    ("TT", 0, 0),
    ("Tiêu chuẩn", 1, 1),
    ("Tiêu chí liên quan (nếu có)", 2, 2),
    ("Đánh giá hiện trạng", 3, 4),
    ("Điểm hạn chế", 5, 6),
    ("Nguyên nhân của hạn chế", 7, 9),
)
REVIEW_COLUMNS = (
    ("Thời điểm", 0, 1),
    ("Nội dung theo dõi", 2, 3),
    ("Kết quả thực hiện", 4, 5),
    ("Điều chỉnh (nếu có)", 6, 7),
    ("Người đánh giá", 8, 9),
)
SPAN_ALL = ((0, len(PLAN_COLUMNS) - 1),)


@dataclass
class TableRow:
    """A row of a Biểu 2 table: ``kind`` "item" (cells by column) or "group" (one text)."""

    kind: str
    cells: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Table:
    key: str  # "issues", "plan", "reviews"
    columns: tuple[tuple[str, int, int], ...]  # (header, first, last) over the ten columns
    rows: list[TableRow]
    numbered: bool = False  # a row (1) (2) ... under the header (table V)
    note: str = ""
    figures: tuple[int, ...] = ()  # columns of numbers, centred like TT

    def centred(self) -> set[int]:
        """The columns whose cells are centred: TT and the figures."""
        return {n for n, (label, _, _) in enumerate(self.columns) if label == "TT"} | set(
            self.figures
        )


def document(plan: Plan, common: dict[str, Any]) -> Document:
    """Biểu 2 (Phụ lục V of Thông tư 57/2026), from the header parts every layout shares."""
    return Document(
        **common,
        subtitle=subtitle(plan),
        rows=[],
        signer_title=signer(plan),
        recipients=recipients(plan, plan.managing_body()[1]),
        sections=sections(plan),
    )


def sections(plan: Plan) -> list[Section]:
    """Sections I to VIII of Biểu 2 with the plan's text."""
    return [
        Section("I", "THÔNG TIN CHUNG", _general(plan)),
        Section("II", "CĂN CỨ XÂY DỰNG KẾ HOẠCH", _lines(plan.value("legal_bases"))),
        Section("III", "MỤC ĐÍCH, YÊU CẦU", _lines(plan.value("purpose"))),
        Section("IV", "TÓM TẮT CÁC VẤN ĐỀ TRỌNG TÂM CẦN CẢI TIẾN", table=_issues(plan)),
        Section("V", "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG", table=_plan(plan)),
        Section("VI", "THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (GIÁM SÁT NỘI BỘ)", table=_reviews(plan)),
        Section("VII", "TỔ CHỨC THỰC HIỆN", _lines(plan.value("organisation"))),
        Section("VIII", "CƠ CHẾ ĐÁNH GIÁ VÀ BÁO CÁO", _lines(plan.value("reporting"))),
    ]


def _lines(text: str | None) -> list[str]:
    return paragraphs(text) or ["……"]


def _general(plan: Plan) -> list[str]:
    return [
        f"1. Tên cơ sở giáo dục: {plan.school_name or '……'}",
        f"2. Loại hình, cấp học: {plan.value('school_level') or '……'}",
        f"3. Địa chỉ: {plan.value('address') or _where(plan) or '……'}",
    ]


def _where(plan: Plan) -> str:
    return ", ".join(v for v in (plan.value("commune"), plan.value("province")) if v)


def standard_name(plan: Plan, number: int | None) -> str:
    if number is None:
        return ""
    circular = plan.circular or catalog.for_school_level("THCS", catalog.FAMILY_TT57)
    names = dict(circular.standards())
    return f"{number}. {names[number]}" if number in names else str(number)


def _issues(plan: Plan) -> Table:
    rows = [
        TableRow(
            "item",
            [
                str(r.get("tt") or ""),
                standard_name(plan, r.get("standard")),
                ", ".join(r.get("criteria") or ()) or clean(r.get("criteria_raw")),
                r.get("situation") or "",
                r.get("shortcoming") or "",
                r.get("cause") or "",
            ],
        )
        for r in plan.issue_records
    ]
    return Table("issues", ISSUE_COLUMNS, rows, note=ISSUES_NOTE)


_AMOUNT = re.compile(r"(\d[\d.,]*)[ \t]+(đồng|triệu|tỷ|nghìn)")  # not across a line break
_CODE = re.compile(
    r"(?:\(\s*)?(MC\.\d{1,2}\.\d{1,2}\.\d{2,3}(?:\s*[,;]\s*MC\.\d{1,2}\.\d{1,2}\.\d{2,3})*)(?:\s*\))?"
)


def keep_amounts(text: str) -> str:
    """A no-break space between a number and its unit: "10.000.000 đồng" never breaks."""
    return _AMOUNT.sub(lambda m: f"{m.group(1)}\u00a0{m.group(2)}", text)


def evidence_text(text: str) -> str:
    """Evidence codes as Phụ lục IV writes them, in round brackets: "(MC.1.1.01, MC.1.1.02)"."""
    return _CODE.sub(lambda m: "(" + re.sub(r"\s*[,;]\s*", ", ", m.group(1)) + ")", text)


def _plan(plan: Plan) -> Table:
    issues = {r.get("tt"): r for r in plan.issue_records}
    rows: list[TableRow] = []
    current = object()
    ordered = sorted(plan.item_records, key=lambda r: (r.get("issue") is None, r.get("issue") or 0))
    for number, record in enumerate(ordered, start=1):
        issue = record.get("issue")
        if issue != current:
            current = issue
            rows.append(TableRow("group", text=issue_heading(plan, issue, issues.get(issue))))
        content = record.get("content") or ""
        if record.get("criterion"):
            content = f"{content}\n(Tiêu chí {record['criterion']})" if content else ""
        rows.append(
            TableRow(
                "item",
                [
                    str(number),
                    content,
                    record.get("objective") or "",
                    record.get("activities") or "",
                    record.get("indicator") or "",
                    keep_months(time_text(record)),
                    record.get("owner") or "",
                    keep_amounts(record.get("resources") or ""),
                    evidence_text(record.get("evidence") or ""),
                    record.get("progress") or "",
                ],
            )
        )
    return Table(
        "plan",
        tuple((label, n, n) for n, (_, label, _) in enumerate(PLAN_COLUMNS)),
        rows,
        numbered=True,
    )


def issue_heading(plan: Plan, number: int | None, issue: dict | None) -> str:
    if number is None:
        return "Chưa ghi vấn đề trọng tâm"
    if issue is None:
        return f"Vấn đề {number}"
    standard = issue.get("standard")
    where = f"tiêu chuẩn {standard}" if standard else ""
    criteria = ", ".join(issue.get("criteria") or ())
    if criteria:
        where += f"{'; ' if where else ''}tiêu chí {criteria}"
    shortcoming = " ".join((issue.get("shortcoming") or "").split())
    if len(shortcoming) > 160:  # a reminder of table IV, cut between words
        shortcoming = shortcoming[:158].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
    head = f"Vấn đề {number}" + (f" ({where})" if where else "")
    return f"{head}: {shortcoming}" if shortcoming else head


def _reviews(plan: Plan) -> Table:
    return Table("reviews", REVIEW_COLUMNS, review_rows(plan))


def review_rows(plan: Plan) -> list[TableRow]:
    """Table VI as the school wrote it in Theo dõi (the date after the review's name)."""
    rows = []
    for r in plan.review_records:
        when = r.get("when") or ""
        if r.get("date") is not None:
            when += f" ({date_label(r['date'])})"
        rows.append(
            TableRow(
                "item",
                [
                    when,
                    r.get("content") or "",
                    r.get("result") or "",
                    r.get("adjustment") or "",
                    r.get("reviewer") or "",
                ],
            )
        )
    return rows


def subtitle(plan: Plan) -> str:
    first = plan.value("school_year")
    year = school_year_label(first) if first is not None else "……"
    return f"Cải tiến chất lượng giáo dục năm học {year}"


def signer(plan: Plan) -> str:
    return "GIÁM ĐỐC" if plan.value("school_level") == "GDTX" else "HIỆU TRƯỞNG"


def recipients(plan: Plan, managing: str) -> list[str]:
    """Nơi nhận: the managing body, the Sở GDĐT when the body is the UBND, the council, Lưu."""
    lines = [f"- {managing} (để báo cáo);"] if managing else []
    province = plan.value("province")
    if province and not managing.startswith(("Sở", "SỞ")):
        lines.append(f"- Sở GDĐT {places.province_core(province)} (để báo cáo);")
    return [
        *lines,
        "- Hội đồng tự đánh giá;",
        "- Các tổ, bộ phận, cá nhân liên quan;",
        "- Lưu: VT.",
    ]


def column_widths(
    doc_sections: list[Section], total: float, pad: float, size: float = 12
) -> list[float]:
    """Widths of the ten columns summing to ``total``, none narrower than its longest
    unbreakable piece (an amount joined to "đồng", an evidence code, a long word) plus
    ``pad``; the room comes from the widest text columns. Units are those of ``total``
    and ``pad`` (points for Word; spreadsheet units when ``pad`` is converted by the caller).
    """
    from .layout import text_width

    weights = [w for _, _, w in PLAN_COLUMNS]
    widths = [total * w / sum(weights) for w in weights]
    need = [0.0] * len(widths)
    for section in doc_sections:
        table = section.table
        if table is None or table.key != "plan":
            continue
        for row in table.rows:
            for n, text in enumerate(row.cells):
                for piece in text.replace("\n", " ").split(" "):
                    if piece:
                        need[n] = max(need[n], text_width(piece, size) + pad)
    for n, width in enumerate(widths):
        short = need[n] - width
        if short <= 0 or n in FLEXIBLE:
            continue
        widths[n] = need[n]
        room = [m for m in FLEXIBLE if widths[m] - short / len(FLEXIBLE) > total * 0.08]
        for m in room or FLEXIBLE:
            widths[m] -= short / len(room or FLEXIBLE)
    return widths
