"""Facts about a plan that the rules of every layout need: its levels, its managing body."""

from __future__ import annotations

from typing import Any

from ..model.contract import SHEET_ASSESSMENT, SHEET_INFO
from ..model.plan import Plan
from ..reading.parsing import school_year_label
from ..validators import rules as rules_module


def info_record(index: int, plan: Plan) -> dict[str, Any]:
    """The plan's row of an info table: each Thông tin value, as typed, why it was not
    understood and its cell (``<key>``, ``<key>_raw``, ``<key>_error``, ``<key>_cell``)."""
    record: dict[str, Any] = {"plan": index}
    for key, item in plan.info.items():
        record[key] = item.value
        record[f"{key}_raw"] = item.raw
        record[f"{key}_error"] = item.error
        record[f"{key}_cell"] = item.cell
    record["school_year_label"] = school_year_label(plan.value("school_year"))
    return record


def assessment_summary(plan: Plan) -> dict[str, Any]:
    records = plan.assessment_records
    summary: dict[str, Any] = {"assessment_mostly_missing": False, "assessment_current_raw": None}
    if not records:
        return summary
    missing = [r for r in records if r.get("current_raw") is None]
    share = len(missing) / len(records)
    summary["assessment_mostly_missing"] = share > rules_module.MOSTLY_MISSING_SHARE
    if summary["assessment_mostly_missing"]:
        letter = plan.columns[SHEET_ASSESSMENT]["current"]
        rows = [r["row"] for r in missing]
        codes = [str(r["criterion"]) for r in missing if r.get("criterion") is not None]
        summary["assessment_current_cell"] = f"{letter}{min(rows)}:{letter}{max(rows)}"
        summary["assessment_missing_count"] = len(missing)
        summary["assessment_count"] = len(records)
        summary["assessment_missing_codes"] = (
            "tất cả" if len(missing) == len(records) else ", ".join(codes)
        )
    return summary


def managing_facts(plan: Plan) -> dict[str, Any]:
    """What the managing-body rules need: is the plan dated after 01/7/2025 with no body, or
    with a typed Phòng GDĐT/quận/huyện; what it says, which cells to fill, what is printed."""
    outdated = plan.outdated_body
    full = plan.managing_body()[0]
    facts: dict[str, Any] = {
        "body_outdated": outdated,
        "body_unknown": plan.after_reform and not full,
    }
    if not (facts["body_outdated"] or facts["body_unknown"]):
        return facts
    day = plan.value("issue_date")
    dated = (
        f"ban hành ngày {day:%d/%m/%Y}"
        if day is not None
        else f"năm học {school_year_label(plan.value('school_year'))}"
    )
    if outdated:
        facts["body_problem"] = (
            f"Cơ quan chủ quản '{plan.value('governing_body')}' là cơ quan cấp huyện, nhưng kế "
            f"hoạch {dated}, sau ngày 01/7/2025."
        )
    else:
        facts["body_problem"] = (
            f"Kế hoạch {dated} (sau ngày 01/7/2025) chưa cho biết cơ quan chủ quản để in ở "
            "đầu văn bản."
        )
    cells = [
        f"ô {SHEET_INFO}!{plan.info[key].cell} ({plan.info[key].label})"
        for key in ("commune", "governing_body")
        if key in plan.info and plan.info[key].cell
    ]
    facts["body_cells"] = (
        " hoặc ".join(cells) or f"dòng 'Cơ quan chủ quản' (thêm dòng này vào trang {SHEET_INFO})"
    )
    facts["body_printed"] = (
        f"in '{full.upper()}' ở dòng này" if full else "để trống dòng này (……) cho trường ghi tay"
    )
    return facts
