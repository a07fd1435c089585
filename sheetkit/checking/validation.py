"""Run the rules of ``validators/`` over plans and turn failures into findings.

Plans are checked in a batch: their rows are stacked into four tables (the
``plan`` column says whose row it is), every rule runs once per table as a
pandera check, and each failing row becomes a finding with its sheet and
cell. One plan (``sheetkit check``) is a batch of one; a district roll-up is
a batch of hundreds, at the cost of one validation per table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..model import contract
from ..model.contract import (
    SHEET_ASSESSMENT,
    SHEET_INFO,
    SHEET_ISSUES,
    SHEET_PLAN,
    SHEET_REVIEWS,
)
from ..model.findings import SEVERITY_ORDER, Finding, display_value
from ..model.plan import Plan
from ..reading.parsing import is_blank, level_label, month_label, school_year_label
from ..validators import rules as rules_module
from ..validators.schemas import SCHEMAS
from ..validators.titles import title_issue

# Tables with one row per plan: a finding takes its cell from the fact (``<column>_cell``).
PLAN_WIDE_TABLES = ("info", "tt57.info")
# Findings are listed in the order a school reads its workbook.
SHEET_ORDER = ("", SHEET_INFO, SHEET_ASSESSMENT, SHEET_ISSUES, SHEET_PLAN, SHEET_REVIEWS)


def check_plan(plan: Plan, at: int | None = None) -> list[Finding]:
    """Every finding for one plan, errors first, in sheet order.

    ``at`` (a month index, year * 12 + month - 1): also review a Thông tư 57
    plan's progress at that month (overdue rows, missing statuses, reviews).
    """
    return check_plans([plan], at)[0]


def check_plans(plans: list[Plan], at: int | None = None) -> list[list[Finding]]:
    """Findings per plan, in the order of ``plans``."""
    tables = prepare_tables(plans, at)
    results: list[list[Finding]] = [list(p.structure) for p in plans]
    for table_name, frame in tables.items():
        if frame.empty:
            continue
        for plan_index, finding in _run(table_name, frame, plans):
            results[plan_index].append(finding)
    sheet_order = {sheet: n for n, sheet in enumerate(SHEET_ORDER)}
    for findings in results:
        findings.sort(
            key=lambda f: (sheet_order.get(f.sheet, 9), f.row or 0, SEVERITY_ORDER[f.severity])
        )
    return results


# ----------------------------------------------------------------- preparing tables


def prepare_tables(plans: list[Plan], at: int | None = None) -> dict[str, pd.DataFrame]:
    """Every table the rules run over: the 2018 plans', the TT57 plans' and legacy cells.

    With a review month ``at``, also the review tables of TT57 plans.
    """
    from . import review, tt57

    tables = {
        "info": _info_table(plans),
        "assessment": _assessment_table(plans),
        "items": _items_table(plans),
        **tt57.tables(plans),
        "legacy": _legacy_table(plans),
    }
    if at is not None:
        tables["tt57.review"] = review.row_table(plans, at)
        tables["tt57.review.points"] = review.point_table(plans, at)
    return tables


def _info_table(plans: list[Plan]) -> pd.DataFrame:
    records = []
    for i, plan in enumerate(plans):
        if SHEET_INFO not in plan.sheet_names or plan.is_tt57:
            continue  # the missing sheet is one structure finding, not a dozen
        record: dict[str, Any] = {"plan": i}
        for key, item in plan.info.items():
            record[key] = item.value
            record[f"{key}_raw"] = item.raw
            record[f"{key}_error"] = item.error
            record[f"{key}_cell"] = item.cell
        record["is_cycle"] = plan.is_cycle
        record["school_year_label"] = school_year_label(plan.value("school_year"))
        record.update(_assessment_summary(plan))
        record.update(managing_facts(plan))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    for key in ("school_year", "end_year", "goal_level"):
        frame[key] = frame[key].astype("Int64")
    return frame


def _assessment_summary(plan: Plan) -> dict[str, Any]:
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


def _circular_columns(frame: pd.DataFrame, plans: list[Plan]) -> pd.DataFrame:
    """Add what the plan's circular says about each row's criterion."""
    circulars = [p.circular for p in plans]
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


def _stack(plans: list[Plan], attribute: str) -> pd.DataFrame:
    """One table of every plan's rows, the ``plan`` column saying whose row it is."""
    records = [
        {**record, "plan": i}
        for i, plan in enumerate(plans)
        if not plan.is_tt57
        for record in getattr(plan, attribute)
    ]
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def _assessment_table(plans: list[Plan]) -> pd.DataFrame:
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
        for i, plan in enumerate(plans)
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


def _items_table(plans: list[Plan]) -> pd.DataFrame:
    frame = _stack(plans, "item_records")
    if frame.empty:
        return frame
    for key in ("target", "start", "end", "current_typed"):
        frame[key] = frame[key].astype("Int64")
    frame["budget_amount"] = frame["budget_amount"].astype("float64")
    frame["criterion_ambiguous"] = frame["criterion_ambiguous"].astype(bool)
    frame = _circular_columns(frame, plans)

    # Mức hiện tại comes from Tự đánh giá (first row of the criterion), not from formulas.
    levels = [plan.current_levels() for plan in plans]
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


def _legacy_table(plans: list[Plan]) -> pd.DataFrame:
    """Cells typed in an old encoding, each with the plan row it belongs to (item, criterion)."""
    records = []
    for i, plan in enumerate(plans):
        rows = {
            SHEET_PLAN: {r["row"]: r for r in plan.item_records},
            SHEET_ASSESSMENT: {r["row"]: r for r in plan.assessment_records},
        }
        for cell in plan.legacy_cells:
            owner = rows.get(cell["sheet"], {}).get(cell["row"], {})
            criterion = owner.get("criterion")
            records.append(
                {
                    **cell,
                    "plan": i,
                    "item": owner.get("item"),
                    "criterion": criterion if isinstance(criterion, str) else None,
                }
            )
    return pd.DataFrame.from_records(records)


# ----------------------------------------------------------------- running the schemas


def _run(table_name: str, frame: pd.DataFrame, plans: list[Plan]):
    """Yield (plan index, finding) for each failing row of each rule."""
    for rule, row in failing_rows(SCHEMAS[table_name], frame, rules_module.BY_ID, table_name):
        plan_index = int(row["plan"])
        yield plan_index, _finding(rule, row, plans[plan_index])


def failing_rows(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, rules: dict[str, Any], table_name: str
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(rule, row as a dict) for each row of ``frame`` failing a rule of ``schema``.

    One lazy pandera pass; ``rules`` maps the checks' names to their rules. A
    failure that is not a rule (a column missing or mistyped) is our bug,
    never the user's, and raises.
    """
    try:
        schema.validate(frame, lazy=True)
        return
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    internal = cases[~cases["check"].isin(rules.keys())]
    if not internal.empty:
        raise RuntimeError(f"sheetkit prepared an invalid {table_name} table:\n{internal}")
    failures = cases[["check", "index"]].drop_duplicates()
    # The failing rows, each converted once (a row may fail several rules).
    rows = frame.loc[failures["index"].unique()].to_dict("index")
    for rule_id, index in failures.itertuples(index=False):
        yield rules[rule_id], rows[index]


def _finding(rule, row: dict[str, Any], plan: Plan) -> Finding:
    values = {k: ("" if is_blank(v) else v) for k, v in row.items()}
    sheet = rule.sheet or values.get("sheet", "")
    column_key = rule.column or values.get("column") or None
    plan_wide = rule.table in PLAN_WIDE_TABLES
    if plan_wide:
        cell = values.get(f"{column_key}_cell") or None
    else:
        cell = plan.cell(sheet, column_key, int(row["row"])) if column_key else None
    value_key = rule.value or f"{column_key}_raw"
    raw = values.get(value_key, values.get(column_key, ""))
    values["value"] = display_value(raw) if raw != "" else ""
    # {error}: why the reader could not understand the cell (the parser's own words).
    values.setdefault("error", values.get(f"{column_key}_error", ""))
    excel_row = _row_of(cell) if plan_wide else int(row["row"])
    criterion = values.get("criterion") or None
    if criterion is None and excel_row:  # a half-filled row: say which row, not "tiêu chí ."
        values["criterion"] = f"(chưa ghi mã tiêu chí, dòng {excel_row})"
    item = values.get("item")
    return Finding(
        severity=rule.severity,
        rule=rule.id,
        sheet=sheet,
        cell=cell,
        row=excel_row,
        column=contract.headers(sheet, plan.layout).get(column_key, column_key),
        item=int(item) if item != "" and item is not None else None,
        criterion=criterion,
        value=None if raw == "" else display_value(raw),
        message=rule.message_for(values),
    )


def _row_of(cell: str | None) -> int | None:
    if not cell:
        return None
    digits = "".join(ch for ch in cell.split(":")[0] if ch.isdigit())
    return int(digits) if digits else None


def findings_frame(findings: list[dict[str, Any]]) -> pd.DataFrame:
    """Findings as one DataFrame, columns as in the JSON output."""
    from ..model.findings import COLUMNS

    return pd.DataFrame.from_records([f.to_row() for f in findings], columns=list(COLUMNS))
