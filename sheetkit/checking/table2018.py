"""The tables the rules run over for plans of the 2018 layout (Thông tư 17, 18, 19/2018).

One row per plan (``info``), per Tự đánh giá row (``assessment``) and per
Kế hoạch row (``items``), each with the facts its rules need; the ``plan``
column holds the plan's index in the batch being checked.
"""

from __future__ import annotations

import pandas as pd

from ..model.contract import SHEET_INFO
from ..model.plan import Plan
from ..reading.parsing import level_label, month_label
from ..validators import rules as rules_module
from ..validators.titles import title_issue
from .facts import assessment_summary, info_record, managing_facts

Plans = dict[int, Plan]  # by index in the batch


def tables(chosen: list[tuple[int, Plan]]) -> dict[str, pd.DataFrame]:
    """The 2018 tables of a batch's plans of this layout: (index in the batch, plan)."""
    plans = dict(chosen)
    return {
        "info": _info_table(plans),
        "assessment": _assessment_table(plans),
        "items": _items_table(plans),
    }


def _info_table(plans: Plans) -> pd.DataFrame:
    records = []
    for i, plan in plans.items():
        if SHEET_INFO not in plan.sheet_names:
            continue  # the missing sheet is one structure finding, not a dozen
        record = info_record(i, plan)
        record["is_cycle"] = plan.is_cycle
        record.update(assessment_summary(plan))
        record.update(managing_facts(plan))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    for key in ("school_year", "end_year", "goal_level"):
        frame[key] = frame[key].astype("Int64")
    return frame


def _circular_columns(frame: pd.DataFrame, plans: Plans) -> pd.DataFrame:
    """Add what the plan's circular says about each row's criterion."""
    circulars = {i: p.circular for i, p in plans.items()}
    known, inside, max_level = [], [], []
    for plan_index, code in zip(frame["plan"], frame["criterion"], strict=True):
        circular = circulars[plan_index]
        criterion = circular.get(code) if circular is not None and isinstance(code, str) else None
        known.append(circular is not None)
        inside.append(criterion is not None)
        max_level.append(criterion.max_level if criterion else None)
    frame["known_circular"] = known
    frame["in_circular"] = inside
    frame["max_level"] = pd.array(max_level, dtype="Int64")
    frame["max_label"] = [level_label(v) if v is not None else "" for v in max_level]
    frame["circular"] = [circulars[i].short_name if circulars[i] else "" for i in frame["plan"]]
    frame["school_level"] = [plans[i].value("school_level") or "" for i in frame["plan"]]
    return frame


def _stack(plans: Plans, attribute: str) -> pd.DataFrame:
    """One table of every plan's rows, the ``plan`` column saying whose row it is."""
    records = [
        {**record, "plan": i} for i, plan in plans.items() for record in getattr(plan, attribute)
    ]
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def _assessment_table(plans: Plans) -> pd.DataFrame:
    frame = _stack(plans, "assessment_records")
    if frame.empty:
        return frame
    frame["current"] = frame["current"].astype("Int64")
    frame = _circular_columns(frame, plans)
    # The goal the school gave, capped at what the circular defines for the criterion;
    # no goal, no comparison (the missing goal is one finding of its own).
    goal = pd.Series(
        pd.array([plans[i].value("goal_level") for i in frame["plan"]], dtype="Int64"),
        index=frame.index,
    )
    within = (goal <= frame["max_level"]).fillna(True).astype(bool)
    frame["goal_needed"] = goal.where(within, frame["max_level"])
    frame["goal_label"] = [level_label(plans[i].value("goal_level")) for i in frame["plan"]]
    planned = {
        (i, record["criterion"])
        for i, plan in plans.items()
        for record in plan.item_records
        if record.get("criterion") is not None
    }
    frame["planned"] = [
        (p, c) in planned for p, c in zip(frame["plan"], frame["criterion"], strict=True)
    ]
    has_code = frame["criterion"].notna()
    frame["duplicate"] = has_code & frame.duplicated(["plan", "criterion"], keep="first")
    # More than half of a plan's levels missing: one finding for the plan, not one per row.
    share_missing = frame["current_raw"].isna().groupby(frame["plan"]).transform("mean")
    frame["mostly_missing"] = (share_missing > rules_module.MOSTLY_MISSING_SHARE).astype(bool)
    frame["current_label"] = [level_label(v) if pd.notna(v) else "" for v in frame["current"]]
    return frame


def _items_table(plans: Plans) -> pd.DataFrame:
    frame = _stack(plans, "item_records")
    if frame.empty:
        return frame
    for key in ("target", "start", "end", "current_typed"):
        frame[key] = frame[key].astype("Int64")
    frame["budget_amount"] = frame["budget_amount"].astype("float64")
    frame["criterion_ambiguous"] = frame["criterion_ambiguous"].astype(bool)
    frame = _circular_columns(frame, plans)

    # Mức hiện tại comes from Tự đánh giá (first row of the criterion), not from formulas.
    levels = {i: plan.current_levels() for i, plan in plans.items()}
    current = [levels[p].get(c) for p, c in zip(frame["plan"], frame["criterion"], strict=True)]
    frame["current"] = pd.array(current, dtype="Int64")

    periods = [plans[i].period for i in frame["plan"]]
    frame["period_start"] = pd.array([p[0] if p else None for p in periods], dtype="Int64")
    frame["period_end"] = pd.array([p[1] if p else None for p in periods], dtype="Int64")
    frame["period_label"] = [
        f"{month_label(p[0])} – {month_label(p[1])}" if p else "" for p in periods
    ]
    for key in ("current", "target", "current_typed"):
        frame[f"{key}_label"] = [level_label(v) if pd.notna(v) else "" for v in frame[key]]
    for key in ("start", "end"):
        frame[f"{key}_label"] = [month_label(v) if pd.notna(v) else "" for v in frame[key]]

    issues = [
        title_issue(plans[p].circular.id if plans[p].circular else None, code, title)
        for p, code, title in zip(frame["plan"], frame["criterion"], frame["title"], strict=True)
    ]
    frame["title_issue"] = [i[0] for i in issues]
    frame["title_match"] = [i[1] for i in issues]
    frame["catalog_title"] = [i[2] for i in issues]
    return frame
