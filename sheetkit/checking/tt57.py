"""The tables the Thông tư 57/2026 rules run over, and the school's level.

Like the 2018 tables in ``validation``, each TT57 plan's rows are stacked
(the ``plan`` column says whose row it is) and every fact a rule needs is a
column: whether a criterion is in the appendix, compulsory, planned by an
issue and a row; whether a plan row's issue exists; the school year's months.
No rule is decided here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from ..model import catalog
from ..model.contract import (
    REVIEW_POINTS,
    SHEET_INFO,
    SHEET_PLAN,
    SHEET_REVIEWS,
)
from ..model.plan import Plan
from ..reading.parsing import date_label, month_label, school_year_label
from ..reading.text import fold
from ..validators.school_level import SchoolLevel, school_level
from .validation import _assessment_summary, managing_facts

UNFINISHED = "……"  # the blanks the template's section texts leave for the school


def tables(plans: list[Plan]) -> dict[str, pd.DataFrame]:
    """The TT57 tables of a batch of plans (other plans are left out)."""
    chosen = [(i, p) for i, p in enumerate(plans) if p.is_tt57]
    return {
        "tt57.info": _info(chosen),
        "tt57.assessment": _assessment(chosen),
        "tt57.issues": _issues(chosen),
        "tt57.items": _items(chosen),
        "tt57.reviews": _reviews(chosen),
    }


def _period(plan: Plan) -> tuple[int, int] | None:
    """The school year's months, August to July (TT57 plans are yearly)."""
    first = plan.value("school_year")
    return None if first is None else (first * 12 + 7, (first + 1) * 12 + 6)


def _period_label(period: tuple[int, int] | None) -> str:
    return f"{month_label(period[0])} – {month_label(period[1])}" if period else ""


def planned_codes(plan: Plan) -> set[str]:
    """Criteria that the plan's priority issues or rows name."""
    codes = {c for r in plan.issue_records for c in (r.get("criteria") or ())}
    return codes | {r["criterion"] for r in plan.item_records if r.get("criterion")}


def _info(chosen: list[tuple[int, Plan]]) -> pd.DataFrame:
    records = []
    for i, plan in chosen:
        if SHEET_INFO not in plan.sheet_names:
            continue  # the missing sheet is one structure finding
        record: dict[str, Any] = {"plan": i}
        for key, item in plan.info.items():
            record[key] = item.value
            record[f"{key}_raw"] = item.raw
            record[f"{key}_error"] = item.error
            record[f"{key}_cell"] = item.cell
        record["school_year_label"] = school_year_label(plan.value("school_year"))
        record["legal_bases_unfinished"] = UNFINISHED in (plan.value("legal_bases") or "")
        record["multi_level"] = plan.value("school_level") == "Phổ thông nhiều cấp học"
        record["appendix_found"] = _appendix_found(plan)
        record["circular"] = plan.circular.short_name if plan.circular else ""
        record.update(_assessment_summary(plan))
        record.update(managing_facts(plan))
        codes = planned_codes(plan)
        record["planned_count"] = len(codes)
        record["planned_codes"] = ", ".join(sorted(codes, key=_code_key))
        rows = [r["row"] for r in plan.item_records if r.get("criterion_raw") is not None]
        letter = plan.columns.get(SHEET_PLAN, {}).get("criterion")
        if rows and letter:
            record["criterion_cell"] = f"{letter}{min(rows)}:{letter}{max(rows)}"
        seen = {fold(r.get("when") or "") for r in plan.review_records}
        missing = [p for p in REVIEW_POINTS if not any(s.startswith(fold(p)) for s in seen)]
        record["review_points_missing"] = ", ".join(f"'{p}'" for p in missing) or None
        when = plan.columns.get(SHEET_REVIEWS, {}).get("when")
        if when:
            record["when_cell"] = f"{when}{plan.header_rows.get(SHEET_REVIEWS, 0) + 1}"
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if not frame.empty:
        frame["school_year"] = frame["school_year"].astype("Int64")
        frame["planned_count"] = frame["planned_count"].astype("int64")
    return frame


def _appendix_found(plan: Plan) -> str | None:
    """The TT57 appendix whose titles Tự đánh giá holds, when it is not the plan's own.

    A school that types another Loại hình into a template keeps that template's criteria.
    """
    own = plan.circular
    titles = [fold(r.get("title")) for r in plan.assessment_records if r.get("title")]
    if own is None or not titles:
        return None

    def matches(circular: catalog.Circular) -> int:
        known = _folded_titles(circular.id)
        return sum(t in known for t in titles)

    best = max(catalog.of_family(catalog.FAMILY_TT57), key=matches)
    return best.short_name if matches(best) > matches(own) else None


@cache
def _folded_titles(circular_id: str) -> frozenset[str]:
    """An appendix's criterion titles without diacritics (by id: hashing a circular is slow)."""
    return frozenset(fold(c.title) for c in catalog.by_id(circular_id).criteria)


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def _stack(chosen: list[tuple[int, Plan]], key: str) -> pd.DataFrame:
    records = [{**r, "plan": i} for i, plan in chosen for r in plan.records.get(key, [])]
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def _circular_facts(frame: pd.DataFrame, plans: dict[int, Plan]) -> pd.DataFrame:
    """known_circular, in_circular, the circular's name, for each row's criterion code."""
    circulars = {i: p.circular for i, p in plans.items()}
    frame["known_circular"] = [circulars[i] is not None for i in frame["plan"]]
    frame["in_circular"] = [
        circulars[i] is not None and isinstance(c, str) and circulars[i].get(c) is not None
        for i, c in zip(frame["plan"], frame["criterion"], strict=True)
    ]
    frame["circular"] = [circulars[i].short_name if circulars[i] else "" for i in frame["plan"]]
    return frame


def _assessment(chosen: list[tuple[int, Plan]]) -> pd.DataFrame:
    frame = _stack(chosen, "assessment")
    if frame.empty:
        return frame
    plans = dict(chosen)
    for key in ("current", "target"):
        frame[key] = frame[key].astype("Int64")
    frame = _circular_facts(frame, plans)
    frame["compulsory"] = [
        bool(
            p.circular and isinstance(c, str) and p.circular.get(c) and p.circular.get(c).compulsory
        )
        for p, c in ((plans[i], c) for i, c in zip(frame["plan"], frame["criterion"], strict=True))
    ]
    by_issue = {
        i: {c for r in p.issue_records for c in (r.get("criteria") or ())} for i, p in chosen
    }
    by_item = {i: {r.get("criterion") for r in p.item_records} for i, p in chosen}
    pairs = list(zip(frame["plan"], frame["criterion"], strict=True))
    frame["planned_by_issue"] = [c in by_issue[i] for i, c in pairs]
    frame["planned_by_item"] = [c in by_item[i] for i, c in pairs]
    frame["missing_plan"] = [
        " và ".join(
            part
            for part, present in (
                ("vấn đề trọng tâm", issue),
                ("việc cải tiến ở trang Kế hoạch", item),
            )
            if not present
        )
        for issue, item in zip(frame["planned_by_issue"], frame["planned_by_item"], strict=True)
    ]
    has_code = frame["criterion"].notna()
    frame["duplicate"] = has_code & frame.duplicated(["plan", "criterion"], keep="first")
    share = frame["current_raw"].isna().groupby(frame["plan"]).transform("mean")
    from ..validators.rules import MOSTLY_MISSING_SHARE

    frame["mostly_missing"] = (share > MOSTLY_MISSING_SHARE).astype(bool)
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    for key in ("current", "target"):
        frame[f"{key}_label"] = [family.label(v) if pd.notna(v) else "" for v in frame[key]]
    return frame


def _issues(chosen: list[tuple[int, Plan]]) -> pd.DataFrame:
    frame = _stack(chosen, "issues")
    if frame.empty:
        return frame
    plans = dict(chosen)
    frame["standard"] = frame["standard"].astype("Int64")
    known, unknown, other = [], [], []
    for i, standard, codes in zip(frame["plan"], frame["standard"], frame["criteria"], strict=True):
        circular = plans[i].circular or catalog.by_id("tt57-2026-pho-thong")
        standards = {n for n, _ in circular.standards()}
        known.append(pd.notna(standard) and int(standard) in standards)
        codes = codes if isinstance(codes, tuple) else ()
        unknown.append(", ".join(c for c in codes if circular.get(c) is None) or None)
        other.append(
            ", ".join(
                c
                for c in codes
                if circular.get(c) is not None
                and pd.notna(standard)
                and circular.get(c).standard != int(standard)
            )
            or None
        )
    frame["standard_known"] = known
    frame["criteria_unknown"] = unknown
    frame["criteria_other_standard"] = other
    frame["circular"] = [
        plans[i].circular.short_name if plans[i].circular else "Thông tư 57/2026/TT-BGDĐT"
        for i in frame["plan"]
    ]
    # How a finding names the issue: its TT, or its row when the TT was cleared.
    frame["tt"] = [
        str(int(t)) if isinstance(t, (int, float)) and pd.notna(t) else f"ở dòng {row}"
        for t, row in zip(frame["tt"], frame["row"], strict=True)
    ]
    return frame


def _old_circular(plan: Plan, code: object) -> str | None:
    """The 2018 circular a criterion code outside TT57 comes from (5.6 -> Thông tư 18/2018)."""
    if not isinstance(code, str):
        return None
    level = plan.value("school_level")
    old = catalog.of_family(catalog.FAMILY_2018)
    preferred = [c for c in old if level in c.school_levels] + list(old)
    return next((c.short_name for c in preferred if c.get(code) is not None), None)


def _items(chosen: list[tuple[int, Plan]]) -> pd.DataFrame:
    frame = _stack(chosen, "items")
    if frame.empty:
        return frame
    plans = dict(chosen)
    for key in ("issue", "start", "end"):
        frame[key] = frame[key].astype("Int64")
    frame = _circular_facts(frame, plans)
    issues = {
        i: {int(r["tt"]): r.get("standard") for r in p.issue_records if r.get("tt") is not None}
        for i, p in chosen
    }
    frame["issue_exists"] = [
        pd.notna(n) and int(n) in issues[i]
        for i, n in zip(frame["plan"], frame["issue"], strict=True)
    ]
    frame["issue_standard"] = pd.array(
        [
            issues[i].get(int(n)) if pd.notna(n) else None
            for i, n in zip(frame["plan"], frame["issue"], strict=True)
        ],
        dtype="Int64",
    )
    frame["criterion_standard"] = pd.array(
        [
            int(c.split(".")[0]) if inside else None
            for c, inside in zip(frame["criterion"], frame["in_circular"], strict=True)
        ],
        dtype="Int64",
    )
    frame["old_circular"] = [
        None if inside else _old_circular(plans[i], c)
        for i, c, inside in zip(
            frame["plan"], frame["criterion"], frame["in_circular"], strict=True
        )
    ]
    periods = [_period(plans[i]) for i in frame["plan"]]
    frame["period_start"] = pd.array([p[0] if p else None for p in periods], dtype="Int64")
    frame["period_end"] = pd.array([p[1] if p else None for p in periods], dtype="Int64")
    frame["period_label"] = [_period_label(p) for p in periods]
    frame["period_start_label"] = [month_label(p[0]) if p else "" for p in periods]
    frame["school_year_label"] = [
        school_year_label(plans[i].value("school_year")) for i in frame["plan"]
    ]
    for key in ("start", "end"):
        frame[f"{key}_label"] = [month_label(v) if pd.notna(v) else "" for v in frame[key]]
    frame["evidence_old_text"] = [
        ", ".join(old for old, _ in pairs) or None for pairs in frame["evidence_old"]
    ]
    frame["evidence_new_text"] = [
        "(" + ", ".join(new for _, new in pairs) + ")" if pairs else None
        for pairs in frame["evidence_old"]
    ]
    frame["evidence_malformed_text"] = [", ".join(m) or None for m in frame["evidence_malformed"]]
    return frame


def _reviews(chosen: list[tuple[int, Plan]]) -> pd.DataFrame:
    frame = _stack(chosen, "reviews")
    if frame.empty:
        return frame
    plans = dict(chosen)
    frame["date_month"] = pd.array(
        [d.year * 12 + d.month - 1 if hasattr(d, "year") else None for d in frame["date"]],
        dtype="Int64",
    )
    frame["date_label"] = [date_label(d) if hasattr(d, "year") else "" for d in frame["date"]]
    periods = [_period(plans[i]) for i in frame["plan"]]
    frame["period_start"] = pd.array([p[0] if p else None for p in periods], dtype="Int64")
    frame["period_end"] = pd.array([p[1] if p else None for p in periods], dtype="Int64")
    frame["period_label"] = [_period_label(p) for p in periods]
    return frame


# ----------------------------------------------------------------- the school's level


def school_level_of(plan: Plan) -> tuple[SchoolLevel, SchoolLevel] | None:
    """(now, after the plan) by khoản 3 Điều 5, for a TT57 plan with an appendix; else None.

    "After the plan" takes each criterion at its Mức cần đạt where one is given.
    """
    circular = plan.circular
    if not plan.is_tt57 or circular is None:
        return None
    now: dict[str, int | None] = {}
    after: dict[str, int | None] = {}
    for record in plan.assessment_records:
        code = record.get("criterion")
        if isinstance(code, str) and code not in now:
            now[code] = record.get("current")
            target = record.get("target")
            after[code] = (
                max(v for v in (now[code], target) if v is not None)
                if (now[code] is not None or target is not None)
                else None
            )
    codes, compulsory = circular.codes, circular.compulsory_codes
    return school_level(now, codes, compulsory), school_level(after, codes, compulsory)


def school_level_summary(plan: Plan) -> dict[str, str | None] | None:
    """{"current": "Mức 1", "planned": "Mức 2"} for the JSON output (None: not computable)."""
    levels = school_level_of(plan)
    if levels is None:
        return None
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    now, after = levels
    return {
        "current": family.label(now.level) or None,
        "planned": family.label(after.level) or None,
    }


def gap_text(after: SchoolLevel) -> str:
    """What a school still lacks for the next level after its plan (the template's line too)."""
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    if after.level is None:
        return "Chọn đủ mức hiện tại của 15 tiêu chí."
    if after.level == 2:
        return "Sau kế hoạch đạt Mức 2, mức cao nhất."
    target = family.label(after.level + 1)
    parts = []
    if after.compulsory_below:
        parts.append(f"tiêu chí bắt buộc {', '.join(after.compulsory_below)} đạt {target}")
    if after.others_short:
        parts.append(f"thêm {after.others_short} tiêu chí không bắt buộc đạt {target}")
    if after.others_below_1:
        parts.append(f"tiêu chí {', '.join(after.others_below_1)} đạt ít nhất Mức 1")
    return f"Để đạt {target} còn cần: {'; '.join(parts)}."


def school_level_line(plan: Plan) -> str | None:
    """The school's level in one line for the text output of check, as the template says it."""
    levels = school_level_of(plan)
    if levels is None:
        return None
    now, after = levels
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    if now.level is None:
        return (
            "Mức đạt của trường (khoản 3 Điều 5): chưa tính được, còn "
            f"{len(now.missing_levels)} tiêu chí chưa có mức hiện tại."
        )
    return (
        f"Mức đạt của trường (khoản 3 Điều 5): {family.label(now.level)}; dự kiến sau kế "
        f"hoạch: {family.label(after.level)}. {gap_text(after)}"
    )
