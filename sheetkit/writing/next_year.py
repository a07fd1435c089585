"""Next school year's plan from this year's: what carries over, and what the school must redo.

Under Thông tư 57 the results of a year's plan feed the next year's
self-assessment and plan (Biểu 2, mục VIII.b). ``next_year(plan)`` gives the
data of a new Thông tư 57 workbook: the same school, the year moved on, the
criteria levels as the starting point, the unfinished plan rows carried into
tables IV and V with their history in Ghi chú, finished rows left out, and
Căn cứ citing this year's review. From a 2018 plan, its unfinished items
become priority issues, with a note that the school must map them to the
Thông tư 57 criteria: this is how a school moves to the regulation in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import catalog
from ..model.contract import FIRST_TT57_YEAR, REVIEW_POINTS, TT57_CIRCULAR_TEXT
from ..model.plan import Plan
from ..reading.parsing import month_label, school_year_label
from .template_tt57 import SECTION_TEXTS

LEFT_BEHIND = ("Hoàn thành", "Không thực hiện")  # statuses whose rows do not carry over
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
    finished: list[int] = field(default_factory=list)  # items left out (done or dropped)
    notes: list[str] = field(default_factory=list)  # what the school must still do

    @property
    def year_label(self) -> str:
        return self.data["info"]["school_year"]


def next_year(plan: Plan) -> NextYear:
    """The next school year's Thông tư 57 plan, from a Thông tư 57 or a 2018 plan."""
    first = plan.value("school_year")
    if first is None:
        raise ValueError("the plan has no school year")
    # A 2018 plan already written for a Thông tư 57 year moves to the new form, same year.
    moving = not plan.is_tt57 and first >= FIRST_TT57_YEAR
    year = first if moving else max(first + 1, FIRST_TT57_YEAR)
    level = plan.value("school_level") or "THCS"
    result = NextYear(TEMPLATE_OF_LEVEL.get(level, "pho-thong"), {})
    info = {key: plan.value(key) for key in KEPT_INFO if plan.value(key)}
    info["school_year"] = school_year_label(year)
    info["circular"] = TT57_CIRCULAR_TEXT
    info["legal_bases"] = _legal_bases(plan, year)
    if plan.is_tt57:
        issues, items, assessment = _from_tt57(plan, year, result)
    else:
        issues, items, assessment = _from_2018(plan, year, result)
        info.pop("governing_body", None)  # the Phòng GDĐT of a district is gone since 2025
        for key in ("purpose", "organisation"):  # Biểu 2 has its own text for these sections
            info.pop(key, None)
        result.notes.append(
            "Kế hoạch cũ theo "
            + (plan.circular.short_name if plan.circular else "Thông tư 2018")
            + ": chọn lại mức hiện tại của 15 tiêu chí theo báo cáo tự đánh giá, chọn tiêu "
            "chuẩn và tiêu chí liên quan cho từng vấn đề trọng tâm, và cơ quan chủ quản."
        )
    result.data = {
        "info": info,
        "assessment": assessment,
        "issues": issues,
        "items": items,
        "reviews": [{"when": point} for point in REVIEW_POINTS],
    }
    return result


def _legal_bases(plan: Plan, year: int) -> str:
    done = school_year_label(year - 1)
    return (
        f"1. Báo cáo tự đánh giá năm học {done} của nhà trường;\n"
        f"2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học {done} "
        "(trang Theo dõi của kế hoạch năm trước);\n"
        f"3. Kế hoạch năm học {school_year_label(year)} và định hướng phát triển của nhà "
        "trường;\n" + SECTION_TEXTS["legal_bases"].split("\n")[-1]
    )


def _moved(month: int | None, shift: int, year: int) -> str | None:
    """A month moved by ``shift`` months and kept inside the new school year."""
    if month is None:
        return None
    first, last = year * 12 + 8, (year + 1) * 12 + 4  # September to May
    return month_label(min(max(month + shift, first), last))


def _from_tt57(plan: Plan, year: int, result: NextYear):
    shift = (year - plan.value("school_year")) * 12
    old_label = school_year_label(plan.value("school_year"))
    kept_issues: dict[int, int] = {}
    items = []
    for record in plan.item_records:
        status = record.get("progress") if record.get("progress_raw") is not None else None
        if status in LEFT_BEHIND:
            result.finished.append(record["item"])
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
            assessment[code] = {
                "current": family.label(record.get("current")),
                "target": family.label(target),
                "note": f"Mức năm học {old_label}; cập nhật theo báo cáo tự đánh giá năm nay.",
            }
    result.notes.append("Mức hiện tại là mức năm trước: cập nhật theo báo cáo tự đánh giá năm nay.")
    return issues, items, assessment


def _joined(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _from_2018(plan: Plan, year: int, result: NextYear):
    """Unfinished 2018 items: one priority issue per old criterion, its items as plan rows."""
    old = plan.circular.short_name if plan.circular else "Thông tư 2018"
    start = year * 12 + 7  # the new school year begins in August
    issues: list[dict] = []
    numbers: dict[str, int] = {}
    items = []
    for record in plan.item_records:
        end = record.get("end")
        if end is not None and end < start:
            result.finished.append(record["item"])  # its time is over: not carried
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
    lines = [
        f"{len(result.carried)} việc chưa hoàn thành được chuyển sang"
        + (f", {len(result.finished)} việc đã xong không chuyển" if result.finished else ""),
    ]
    return "; ".join(lines) + ". " + " ".join(result.notes)
