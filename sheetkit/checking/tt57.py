"""The tables the Thông tư 57/2026 rules run over, and the school's level.

Like the 2018 tables in ``validation``, each TT57 plan's rows are stacked
(the ``plan`` column says whose row it is) and every fact a rule needs is a
column: whether a criterion is in the appendix, compulsory, planned by an
issue and a row; whether a plan row's issue exists; the school year's months.
No rule is decided here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pandas as pd

from ..model import catalog
from ..model.contract import (
    REVIEW_POINTS,
    SHEET_ASSESSMENT,
    SHEET_INFO,
    SHEET_PLAN,
    SHEET_REVIEWS,
    TT57_CIRCULAR_TEXT,
)
from ..model.plan import Plan
from ..reading.parsing import date_label, month_label, school_year_label
from ..reading.text import fold
from ..validators.school_level import (
    LEVEL_1,
    LEVEL_2,
    NOT_MET,
    OTHERS_NEEDED,
    SchoolLevel,
    school_level,
)
from .facts import assessment_summary, info_record, managing_facts

UNFINISHED = "……"  # the blanks the template's section texts leave for the school
# The Ghi chú of Tự đánh giá that ``sheetkit next`` writes: the criterion's level in the plan
# of the year before. While every criterion that has one keeps that level, the levels are
# last year's (rule tt57.assessment.levels_from_last_year); the school updates them, or
# deletes the notes to confirm that this year's self-assessment left them unchanged.
LAST_YEAR_NOTE = re.compile(r"Mức năm học (\d{4}-\d{4}): (Không đạt Mức 1|Mức 1|Mức 2)\b")


def last_year_note(year_label: str, level: str) -> str:
    """The Ghi chú recording a criterion's level in the plan of ``year_label``."""
    return f"Mức năm học {year_label}: {level}. Cập nhật theo báo cáo tự đánh giá năm nay."


def last_year_levels(plan: Plan) -> str | None:
    """The school year whose levels Tự đánh giá still holds unchanged, from the notes of
    ``sheetkit next`` (``LAST_YEAR_NOTE``); None once any noted level has changed or no
    note is left."""
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    years, unchanged = set(), True
    for record in plan.assessment_records:
        found = LAST_YEAR_NOTE.search(str(record.get("note") or ""))
        if found is None:
            continue
        years.add(found.group(1))
        unchanged &= fold(family.label(record.get("current")) or "") == fold(found.group(2))
    return ", ".join(sorted(years)) if years and unchanged else None


def tables(chosen: list[tuple[int, Plan]]) -> dict[str, pd.DataFrame]:
    """The TT57 tables of a batch's TT57 plans: (index in the batch, plan)."""
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
        record = info_record(i, plan)
        record["legal_bases_unfinished"] = UNFINISHED in (plan.value("legal_bases") or "")
        record["multi_level"] = plan.value("school_level") == "Phổ thông nhiều cấp học"
        record["appendix_found"] = _appendix_found(plan)
        record["circular"] = plan.circular.short_name if plan.circular else ""
        record.update(assessment_summary(plan))
        record["levels_last_year"] = last_year_levels(plan)
        record["levels_last_year_raw"] = ""  # nothing typed to show: the message says it all
        if record["levels_last_year"]:
            rows = [r["row"] for r in plan.assessment_records]
            letter = plan.columns.get(SHEET_ASSESSMENT, {}).get("current", "E")
            record["levels_last_year_cell"] = f"{letter}{min(rows)}:{letter}{max(rows)}"
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


def _criterion_levels(plan: Plan) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """Each criterion's level now and after the plan (its Mức cần đạt where one is given).

    A criterion with no level now has none after the plan either: a target
    alone says nothing of where the school stands, so the planned level is
    unknown whenever the current one is (as the template computes it).
    """
    now: dict[str, int | None] = {}
    after: dict[str, int | None] = {}
    for record in plan.assessment_records:
        code = record.get("criterion")
        if isinstance(code, str) and code not in now:
            now[code] = record.get("current")
            target = record.get("target")
            after[code] = None if now[code] is None else max(now[code], target or 0)
    return now, after


def school_level_of(plan: Plan) -> tuple[SchoolLevel, SchoolLevel] | None:
    """(now, after the plan) by khoản 3 Điều 5, for a TT57 plan with an appendix; else None.

    "After the plan" takes each criterion at its Mức cần đạt where one is given.
    """
    circular = plan.circular
    if circular is None or circular.family.school_level_rule is None:
        return None
    now, after = _criterion_levels(plan)
    codes, compulsory = circular.codes, circular.compulsory_codes
    return school_level(now, codes, compulsory), school_level(after, codes, compulsory)


def school_level_summary(plan: Plan) -> dict[str, Any] | None:
    """The JSON ``school_level``: current, planned and the reasons (None: not a TT57 plan)."""
    levels = school_level_of(plan)
    if levels is None:
        return None
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    now, after = levels
    return {
        "current": family.label(now.level) or None,
        "planned": family.label(after.level) or None,
        "reasons": school_level_reasons(plan),
    }


def _unit(circular: catalog.Circular) -> str:
    """How the appendix names the institution: a GDTX centre is not a "trường"."""
    return "trung tâm" if "GDTX" in circular.school_levels else "trường"


def school_level_reasons(plan: Plan) -> dict[str, Any] | None:
    """Why the school is at its level now and after the plan, and what the next level needs.

    For each of ``current`` and ``planned``: the level, the counts of compulsory
    and other criteria at each level, the criteria that decide it, what the next
    level still needs, and the same in Vietnamese sentences (``sentences``),
    which the text output, the review report and the annotated copy print.
    """
    circular = plan.circular
    if circular is None or circular.family.school_level_rule is None:
        return None
    now, after = _criterion_levels(plan)
    unit = _unit(circular)
    return {
        "rule": f"khoản 3 Điều 5 {TT57_CIRCULAR_TEXT}",
        "current": _reasons(now, circular, f"Mức đạt của {unit} hiện tại (khoản 3 Điều 5)"),
        "planned": _reasons(after, circular, "Mức đạt dự kiến sau kế hoạch", planned=True),
    }


def _codes(codes: list[str] | tuple[str, ...]) -> str:
    return ", ".join(codes)


def _reasons(
    levels: dict[str, int | None], circular: catalog.Circular, subject: str, planned: bool = False
) -> dict[str, Any]:
    """The reasons of one level (now or after the plan): see ``school_level_reasons``."""
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    codes, compulsory = circular.codes, circular.compulsory_codes
    result = school_level(levels, codes, compulsory)
    known = {c: v for c, v in levels.items() if c in codes and v is not None}
    groups = {
        "compulsory": [c for c in codes if c in compulsory],
        "others": [c for c in codes if c not in compulsory],
    }

    def below(group: str, level: int) -> list[str]:
        return [c for c in groups[group] if c in known and known[c] < level]

    def reaching(group: str, level: int) -> int:
        return sum(known.get(c, -1) >= level for c in groups[group])

    counts: dict[str, dict[str, Any]] = {}
    for group, members in groups.items():
        counts[group] = {
            "total": len(members),
            "level_1_or_above": reaching(group, LEVEL_1),
            "level_2": reaching(group, LEVEL_2),
            "below_level_1": below(group, LEVEL_1),
            "below_level_2": below(group, LEVEL_2),
        }
    counts["others"]["needed"] = OTHERS_NEEDED
    n_comp, n_others = len(groups["compulsory"]), len(groups["others"])
    need = f"cần ít nhất {OTHERS_NEEDED}/{n_others}"

    def others_text(level: int) -> str:
        reached = reaching("others", level)
        return f"{reached}/{n_others} tiêu chí không bắt buộc đạt {family.label(level)}" + (
            " trở lên" if level == LEVEL_1 else ""
        )

    def why_not(level: int) -> list[str]:
        """What keeps the school below ``level``."""
        label = family.label(level)
        parts = []
        if below("compulsory", level):
            parts.append(f"tiêu chí bắt buộc {_codes(below('compulsory', level))} chưa đạt {label}")
        if reaching("others", level) < OTHERS_NEEDED:
            parts.append(f"mới có {others_text(level)} ({need})")
        if level == LEVEL_2 and below("others", LEVEL_1):
            parts.append(
                f"tiêu chí {_codes(below('others', LEVEL_1))} chưa đạt Mức 1 (Mức 2 cần mọi "
                "tiêu chí đạt ít nhất Mức 1)"
            )
        return parts

    missing = list(result.missing_levels)
    level = result.level
    following = None if level is None or level == LEVEL_2 else level + 1
    reasons: dict[str, Any] = {
        "level": family.label(level) or None,
        "missing_levels": missing,
        **counts,
        "next_level": family.label(following) if following else None,
        "for_next_level": None,
    }
    if level is None:
        if planned:
            verdict = "chưa tính được vì mức đạt hiện tại chưa tính được."
            sentences = [f"{subject}: {verdict}"]
        else:
            names = [
                f"tiêu chí{' bắt buộc' if group == 'compulsory' else ''} {_codes(chosen)}"
                for group in groups
                if (chosen := [c for c in groups[group] if c in missing])
            ]
            sentences = [
                f"{subject}: chưa tính được vì {' và '.join(names)} chưa có mức hiện tại.",
                f"Để tính được: chọn mức hiện tại của tiêu chí {_codes(missing)} ở trang Tự đánh "
                "giá (Không đạt Mức 1, Mức 1 hoặc Mức 2).",
            ]
        return {**reasons, "sentences": sentences}
    label = family.label(level)
    if level == NOT_MET:
        verdict = f"{label} vì {'; '.join(why_not(LEVEL_1))}."
    elif level == LEVEL_1:
        verdict = (
            f"{label} vì {n_comp}/{n_comp} tiêu chí bắt buộc đạt Mức 1 trở lên và có "
            f"{others_text(LEVEL_1)} ({need}); chưa đạt Mức 2 vì {'; '.join(why_not(LEVEL_2))}."
        )
    else:
        verdict = (
            f"{label} vì {n_comp}/{n_comp} tiêu chí bắt buộc đạt Mức 2, có {others_text(LEVEL_2)} "
            f"({need}) và không tiêu chí nào dưới Mức 1."
        )
    sentences = [f"{subject}: {verdict}"]
    if following is None:
        sentences.append("Mức 2 là mức cao nhất.")
        return {**reasons, "sentences": sentences}
    target = family.label(following)
    short = max(0, OTHERS_NEEDED - reaching("others", following))
    to_level_1 = below("others", LEVEL_1) if following == LEVEL_2 else []
    reasons["for_next_level"] = {
        "compulsory": below("compulsory", following),
        "others_more": short,
        "others_below": below("others", following),
        "others_to_level_1": to_level_1,
    }
    needs = []
    if below("compulsory", following):
        needs.append(
            f"nâng tiêu chí bắt buộc {_codes(below('compulsory', following))} lên {target}"
        )
    if short:
        needs.append(
            f"nâng thêm {short} trong các tiêu chí {_codes(below('others', following))} lên {target}"
        )
    if to_level_1:
        needs.append(f"nâng tiêu chí {_codes(to_level_1)} lên ít nhất Mức 1")
    sentences.append(f"Để đạt {target}: {'; '.join(needs)}.")
    return {**reasons, "sentences": sentences}


def school_level_lines(plan: Plan) -> list[str]:
    """The school's level now and after the plan, each with why, as people read it."""
    reasons = school_level_reasons(plan)
    if reasons is None:
        return []
    return [" ".join(reasons[key]["sentences"]) for key in ("current", "planned")]


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
    """The school's level for the text output of check and review: one line now, one after."""
    return "\n".join(school_level_lines(plan)) or None
