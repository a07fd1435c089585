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

from .. import layouts
from ..model.contract import (
    SHEET_ASSESSMENT,
    SHEET_INFO,
    SHEET_ISSUES,
    SHEET_PLAN,
    SHEET_REVIEWS,
)
from ..model.findings import SEVERITY_ORDER, Finding, display_value
from ..model.plan import Plan
from ..reading.parsing import is_blank
from ..validators import rules as rules_module
from ..validators.schemas import SCHEMAS

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
    """Every table the rules run over: each layout's tables of its plans, and legacy cells.

    With a review month ``at``, also the review tables of layouts whose progress is reviewed.
    """
    by_layout: dict[str, list[tuple[int, Plan]]] = {}
    for i, plan in enumerate(plans):
        by_layout.setdefault(plan.layout, []).append((i, plan))
    tables: dict[str, pd.DataFrame] = {}
    for layout in layouts.all_layouts():
        tables.update(layout.check_tables(by_layout.get(layout.id, []), at))
    tables["legacy"] = _legacy_table(plans)
    return tables


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
        column=layouts.of(plan).headers(sheet).get(column_key, column_key),
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
