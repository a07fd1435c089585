"""How a plan's content carries into next year's Thông tư 57 plan, per layout it was written in.

``from_tt57``: the unfinished rows into tables IV and V with their history,
the school's words with their years moved on, last year's levels noted.
``from_2018``: unfinished items become priority issues the school maps to the
Thông tư 57 criteria. ``next_year.next_year`` asks the plan's layout which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..checking.tt57 import last_year_note
from ..model import catalog
from ..model.plan import Plan
from ..reading.parsing import month_label, school_year_label
from .template_tt57 import SECTION_TEXTS

DONE, DROPPED = "Hoàn thành", "Không thực hiện"  # statuses whose rows do not carry over
TEMPLATE_OF_LEVEL = {level: name for name, level in catalog.TT57_TEMPLATES.items()}
KEPT_INFO = (
    "school_name",
    "school_code",
    "school_level",
    "address",
    "province",
    "commune",
    "governing_body",
    "principal",
    "purpose",
    "organisation",
    "reporting",
)


@dataclass
class NextYear:
    """The new plan's data (as ``build_template`` takes it) and what happened to each row."""

    template: str  # the TT57 template name for the school's level
    data: dict[str, Any]
    carried: list[int] = field(default_factory=list)  # items carried over
    finished: list[int] = field(default_factory=list)  # items left out: Hoàn thành
    dropped: list[int] = field(default_factory=list)  # items left out: Không thực hiện
    ended: list[int] = field(default_factory=list)  # 2018 items left out: their time is over
    notes: list[str] = field(default_factory=list)  # what the school must still do

    @property
    def year_label(self) -> str:
        return self.data["info"]["school_year"]


def _review_line(year: int) -> str:
    """Căn cứ's line citing the review of the plan of the year before ``year``."""
    return (
        "Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học "
        f"{school_year_label(year - 1)};"
    )


def _default_legal_bases(year: int) -> str:
    """Căn cứ of Biểu 2 filled for ``year``: for a plan whose own bases cite the 2018 circulars."""
    return (
        f"1. Báo cáo tự đánh giá năm học {school_year_label(year - 1)} của nhà trường;\n"
        f"2. {_review_line(year)}\n"
        f"3. Kế hoạch năm học {school_year_label(year)} và định hướng phát triển của nhà "
        "trường;\n" + SECTION_TEXTS["legal_bases"].split("\n")[-1]
    )


REVIEW_LINE = re.compile(r"^(\s*\d+\s*[.)]\s*)?Kết quả rà soát", re.IGNORECASE)
NUMBERED = re.compile(r"^(\s*)\d+(\s*[.)]\s*)")


def _legal_bases(plan: Plan, year: int) -> str:
    """The school's Căn cứ, line by line, with years moved on and the review line renewed.

    A line that cites a school year is about a document of that year: next year's is a
    new one, so its number and date become the form's blanks for the school to fill
    (``check`` warns while they are there). A line the school did not write is added
    only for the review, which Biểu 2 requires.
    """
    first = plan.value("school_year")
    text = (plan.value("legal_bases") or "").strip()
    if not text:
        return _default_legal_bases(year)
    lines, reviewed = [], False
    for line in text.split("\n"):
        match = REVIEW_LINE.match(line)
        if match:
            lines.append((match.group(1) or "") + _review_line(year))
            reviewed = True
            continue
        lines.append(";".join(_renewed(clause, first, year) for clause in line.split(";")))
    if not reviewed:
        lines.insert(min(1, len(lines)), "2. " + _review_line(year))
        count = 0
        for n, line in enumerate(lines):  # number the lines again, as the school did
            match = NUMBERED.match(line)
            if match:
                count += 1
                lines[n] = f"{match.group(1)}{count}{match.group(2)}{line[match.end() :]}"
    return "\n".join(lines)


def _renewed(clause: str, first: int, year: int) -> str:
    """A clause of Căn cứ with its years moved on; when it cites a school year, the school's
    own document numbers (số 35/KH-…, not a circular's 57/2026/TT-…) and dates are blanked."""
    moved = moved_words(clause, first, year - first)
    if moved == clause:
        return clause
    moved = DOCUMENT_NUMBER.sub(r"\1" + UNFINISHED, moved)
    return DOCUMENT_DATE.sub(r"\1" + UNFINISHED, moved)


SCHOOL_YEAR = re.compile(r"\b(\d{4})(\s*[-–]\s*)(\d{4})\b")
MONTH_YEAR = re.compile(r"(\btháng\s+\d{1,2}\s*/\s*)(\d{4})\b", re.IGNORECASE)
DOCUMENT_NUMBER = re.compile(r"(\bsố\s+)\d+(?=\s*/\s*[^\W\d])", re.IGNORECASE)
DOCUMENT_DATE = re.compile(r"(\bngày\s+)\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}", re.IGNORECASE)
UNFINISHED = "……"  # the form's blank, which ``check`` asks the school to fill


def moved_words(text: str, first: int, shift: int) -> str:
    """The school's text with its school years (``first``-1 to ``first``+1, as 2026-2027)
    and its months (tháng 01/2027) moved on by ``shift`` years; other ranges (giai đoạn
    2025-2030) and dates of documents stay as written."""

    def year_pair(match: re.Match) -> str:
        start, end = int(match.group(1)), int(match.group(3))
        if end != start + 1 or not first - 1 <= start <= first + 1:
            return match.group(0)
        return f"{start + shift}{match.group(2)}{end + shift}"

    def month(match: re.Match) -> str:
        value = int(match.group(2))
        if not first <= value <= first + 2:
            return match.group(0)
        return f"{match.group(1)}{value + shift}"

    return MONTH_YEAR.sub(month, SCHOOL_YEAR.sub(year_pair, text))


def _moved(month: int | None, shift: int, year: int) -> str | None:
    """A month moved by ``shift`` months and kept inside the new school year."""
    if month is None:
        return None
    first, last = year * 12 + 8, (year + 1) * 12 + 4  # September to May
    return month_label(min(max(month + shift, first), last))


def _rows_from_tt57(plan: Plan, year: int, result: NextYear):
    shift = (year - plan.value("school_year")) * 12
    old_label = school_year_label(plan.value("school_year"))
    kept_issues: dict[int, int] = {}
    items = []
    for record in plan.item_records:
        status = record.get("progress") if record.get("progress_raw") is not None else None
        if status == DONE:
            result.finished.append(record["item"])
            continue
        if status == DROPPED:  # the school decided not to do it: not carried, named as dropped
            result.dropped.append(record["item"])
            continue
        issue = record.get("issue")
        if issue is not None and issue not in kept_issues:
            kept_issues[issue] = len(kept_issues) + 1
        history = (
            f"Chuyển từ kế hoạch năm học {old_label} (dòng {record['item']}, "
            f"{month_label(record['start']) if record.get('start') is not None else '?'}–"
            f"{month_label(record['end']) if record.get('end') is not None else '?'}, "
            f"mức độ thực hiện: {status or 'chưa ghi'})."
        )
        items.append(
            {
                "issue": kept_issues.get(issue),
                "criterion": record.get("criterion"),
                "content": record.get("content"),
                "objective": record.get("objective"),
                "activities": record.get("activities"),
                "indicator": record.get("indicator"),
                "start": _moved(record.get("start"), shift, year),
                "end": _moved(record.get("end"), shift, year),
                "owner": record.get("owner"),
                "resources": record.get("resources"),
                "evidence": record.get("evidence"),
                "note": " ".join(p for p in (history, record.get("note") or "") if p),
            }
        )
        result.carried.append(record["item"])
    old_issues = {record.get("tt"): record for record in plan.issue_records}
    issues = []
    for tt in sorted(kept_issues, key=kept_issues.get):  # in their new numbering
        record = old_issues.get(tt, {})
        issues.append(
            {
                "standard": record.get("standard"),
                "criteria": ", ".join(record.get("criteria") or ()),
                "situation": _joined(f"[Năm học {old_label}]", record.get("situation")),
                "shortcoming": record.get("shortcoming"),
                "cause": record.get("cause"),
            }
        )
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    planned = {i["criterion"] for i in items if i.get("criterion")}
    assessment = {}
    for record in plan.assessment_records:
        code = record.get("criterion")
        if isinstance(code, str):
            target = record.get("target") if code in planned else None
            current = family.label(record.get("current"))
            assessment[code] = {
                "current": current,
                "target": family.label(target),
                # Read back by check (tt57.assessment.levels_from_last_year): see the module.
                "note": last_year_note(old_label, current) if current else None,
            }
    result.notes.append(
        "Mức hiện tại là mức năm trước (ghi ở cột Ghi chú trang Tự đánh giá): cập nhật theo báo "
        "cáo tự đánh giá năm nay; tệp chưa gửi được cho đến khi cập nhật."
    )
    return issues, items, assessment


def _joined(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _rows_from_2018(plan: Plan, year: int, result: NextYear):
    """Unfinished 2018 items: one priority issue per old criterion, its items as plan rows."""
    old = plan.circular.short_name if plan.circular else "Thông tư 2018"
    start = year * 12 + 7  # the new school year begins in August
    issues: list[dict] = []
    numbers: dict[str, int] = {}
    items = []
    for record in plan.item_records:
        end = record.get("end")
        if end is not None and end < start:
            result.ended.append(record["item"])  # its time is over: not carried
            continue
        code = str(record.get("criterion") or record.get("criterion_raw") or "?")
        title = record.get("title") or ""
        if plan.circular and plan.circular.get(code):
            title = plan.circular.get(code).title
        where = f"tiêu chí {code} ({title})" if title else f"tiêu chí {code}"
        if code not in numbers:
            issues.append(
                {
                    "situation": f"Theo kế hoạch cũ ({old}, {where}).",
                    "shortcoming": record.get("shortcoming") or record.get("result"),
                }
            )
            numbers[code] = len(issues)
        support = record.get("support")
        items.append(
            {
                "issue": numbers[code],
                "content": f"Tiếp tục cải tiến: {title}" if title else record.get("result"),
                "objective": record.get("result"),
                "activities": record.get("solution"),
                "owner": _joined(record.get("lead"), support and f"(phối hợp: {support})"),
                "start": month_label(year * 12 + 8),
                "end": month_label((year + 1) * 12 + 4),
                "resources": _joined(record.get("budget_label"), record.get("other_support")),
                "note": f"Chuyển từ kế hoạch theo {old} (dòng {record['item']}, {where}): chọn "
                "tiêu chí của Thông tư 57 ở cột Tiêu chí, ghi chỉ số đánh giá kết quả.",
            }
        )
        result.carried.append(record["item"])
    # The 15 criteria start without levels: 2018 levels do not map onto them.
    return issues, items, {}


def moved_text(result: NextYear) -> str:
    """One sentence for the command line: what was carried and what to do next."""
    parts = [f"{len(result.carried)} việc chưa hoàn thành được chuyển sang"]
    if result.finished:
        parts.append(f"{len(result.finished)} việc đã hoàn thành không chuyển")
    if result.dropped:
        rows = ", ".join(str(n) for n in result.dropped)
        parts.append(f"{len(result.dropped)} việc trường ghi Không thực hiện bị bỏ (dòng {rows})")
    if result.ended:
        parts.append(f"{len(result.ended)} việc đã hết thời gian thực hiện không chuyển")
    return ", ".join(parts) + ". " + " ".join(result.notes)


def from_tt57(plan: Plan, year: int, info: dict[str, Any], result: NextYear) -> tuple:
    """(issues, items, assessment) of next year's plan from a Thông tư 57 plan; ``info`` (the
    kept Thông tin) gets its words moved on to ``year``."""
    first = plan.value("school_year")
    for key in ("purpose", "organisation", "reporting"):
        if info.get(key):
            info[key] = moved_words(info[key], first, year - first)
    info["legal_bases"] = _legal_bases(plan, year)
    return _rows_from_tt57(plan, year, result)


def from_2018(plan: Plan, year: int, info: dict[str, Any], result: NextYear) -> tuple:
    """(issues, items, assessment) of the first Thông tư 57 plan from a 2018 plan."""
    info["legal_bases"] = _default_legal_bases(year)
    rows = _rows_from_2018(plan, year, result)
    info.pop("governing_body", None)  # the Phòng GDĐT of a district is gone since 2025
    for key in ("purpose", "organisation"):  # Biểu 2 has its own text for these sections
        info.pop(key, None)
    result.notes.append(
        "Kế hoạch cũ theo "
        + (plan.circular.short_name if plan.circular else "Thông tư 2018")
        + ": chọn lại mức hiện tại của 15 tiêu chí theo báo cáo tự đánh giá, chọn tiêu "
        "chuẩn và tiêu chí liên quan cho từng vấn đề trọng tâm, và cơ quan chủ quản."
    )
    return rows
