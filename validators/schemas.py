"""pandera schemas: the columns each table has, and the rules run on it.

sheetkit prepares four tables from the plans it checks (many plans at once
for a district roll-up; the ``plan`` column says whose row it is) and
validates each with the schema below, lazily, so every failing row of every
rule is reported. Each rule of ``rules.py`` becomes one pandera Check named by
the rule's id; its failures are turned into findings with sheet and cell.
"""

from __future__ import annotations

import pandera.pandas as pa

from .rules import RULES

TEXT = None  # free text or a raw cell value: any type, may be empty


def _col(dtype=TEXT, nullable: bool = True) -> pa.Column:
    return pa.Column(dtype, nullable=nullable, required=True, coerce=False)


def _checks(table: str) -> list[pa.Check]:
    checks = []
    for rule in RULES:
        if rule.table == table and rule.ok is not None:
            # A rule that cannot decide (missing values it did not guard) counts as failed,
            # so a forgotten guard shows up in the tests instead of hiding a problem.
            checks.append(
                pa.Check(
                    lambda t, ok=rule.ok: ok(t).fillna(False).astype(bool),
                    name=rule.id,
                    ignore_na=False,  # rules guard their own missing values; no NA pass
                )
            )
    return checks


def _parsed(name: str, dtype=TEXT) -> dict[str, pa.Column]:
    """A parsed cell: the value, what was typed, and why it was not understood."""
    return {name: _col(dtype), f"{name}_raw": _col(), f"{name}_error": _col()}


INFO = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        **_parsed("school_name"),
        **_parsed("school_level"),
        **_parsed("school_year", "Int64"),
        **_parsed("end_year", "Int64"),
        **_parsed("plan_type"),
        **_parsed("goal_level", "Int64"),
        **_parsed("issue_date"),
        "is_cycle": _col("bool", nullable=False),
        "school_year_label": _col(),
        "assessment_mostly_missing": _col("bool", nullable=False),
        "body_outdated": _col("bool", nullable=False),  # a typed Phòng GDĐT/quận after 7/2025
        "body_unknown": _col("bool", nullable=False),  # no managing body on a plan after 7/2025
    },
    checks=_checks("info"),
    name="Thông tin",
)

ASSESSMENT = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        **_parsed("criterion"),
        **_parsed("current", "Int64"),
        "known_circular": _col("bool", nullable=False),  # the school level names a circular
        "in_circular": _col("bool", nullable=False),  # the code exists in that circular
        "max_level": _col("Int64"),  # highest level the circular defines for the criterion
        "goal_needed": _col("Int64"),  # the school's goal, capped at max_level
        "planned": _col("bool", nullable=False),  # a plan item names this criterion
        "duplicate": _col("bool", nullable=False),
        "mostly_missing": _col("bool", nullable=False),  # over half the rows have no level
    },
    checks=_checks("assessment"),
    name="Tự đánh giá",
)

ITEMS = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        "item": _col("int64", nullable=False),
        **_parsed("criterion"),
        "criterion_ambiguous": _col("bool", nullable=False),
        "known_circular": _col("bool", nullable=False),
        "in_circular": _col("bool", nullable=False),
        "max_level": _col("Int64"),
        "title": _col(),
        "title_issue": _col(),  # None, "other_criterion" or "other_circular"
        **_parsed("target", "Int64"),
        "current": _col("Int64"),  # from Tự đánh giá
        "current_typed": _col("Int64"),  # typed over the formula in Kế hoạch, if any
        **_parsed("start", "Int64"),  # month index: year * 12 + month - 1
        **_parsed("end", "Int64"),
        "period_start": _col("Int64"),
        "period_end": _col("Int64"),
        "solution": _col(),
        "lead": _col(),
        **_parsed("budget"),
        "budget_kind": _col(),
        "budget_amount": _col("float64"),
    },
    checks=_checks("items"),
    name="Kế hoạch",
)

LEGACY = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "sheet": _col(),
        "row": _col("int64", nullable=False),
        "column": _col(),
        "value": _col(),
        "encoding": _col(),
    },
    checks=_checks("legacy"),
    name="Bảng mã",
)

SCHEMAS = {"info": INFO, "assessment": ASSESSMENT, "items": ITEMS, "legacy": LEGACY}


# ----------------------------------------------------------------- Thông tư 57/2026

TT57_INFO = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        **_parsed("school_name"),
        **_parsed("school_level"),
        **_parsed("school_year", "Int64"),
        **_parsed("province"),
        **_parsed("issue_date"),
        "commune": _col(),
        "governing_body": _col(),
        "multi_level": _col("bool", nullable=False),  # Phổ thông nhiều cấp học
        "appendix_found": _col(),  # the appendix whose criteria Tự đánh giá holds, when another
        "legal_bases_unfinished": _col("bool", nullable=False),  # the form's "……" left in
        "assessment_mostly_missing": _col("bool", nullable=False),
        "planned_count": _col("int64", nullable=False),  # criteria named by issues and rows
        "review_points_missing": _col(),  # "Cuối học kỳ I, Cuối năm học" or empty
        "body_outdated": _col("bool", nullable=False),
        "body_unknown": _col("bool", nullable=False),
    },
    checks=_checks("tt57.info"),
    name="Thông tin (Thông tư 57)",
)

TT57_ASSESSMENT = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        **_parsed("criterion"),
        **_parsed("current", "Int64"),
        **_parsed("target", "Int64"),
        "known_circular": _col("bool", nullable=False),
        "in_circular": _col("bool", nullable=False),
        "compulsory": _col("bool", nullable=False),  # a compulsory criterion (bắt buộc)
        "planned_by_issue": _col("bool", nullable=False),  # an issue names it
        "planned_by_item": _col("bool", nullable=False),  # a plan row names it
        "duplicate": _col("bool", nullable=False),
        "mostly_missing": _col("bool", nullable=False),
    },
    checks=_checks("tt57.assessment"),
    name="Tự đánh giá (Thông tư 57)",
)

TT57_ISSUES = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        "tt": _col(),
        **_parsed("standard", "Int64"),
        **_parsed("criteria"),
        "standard_known": _col("bool", nullable=False),  # 1 to 4
        "criteria_unknown": _col(),  # codes not in the appendix, as text
        "criteria_other_standard": _col(),  # codes of another standard, as text
        "situation": _col(),
        "shortcoming": _col(),
    },
    checks=_checks("tt57.issues"),
    name="Vấn đề trọng tâm",
)

TT57_ITEMS = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        "item": _col("int64", nullable=False),
        **_parsed("issue", "Int64"),
        "issue_exists": _col("bool", nullable=False),
        "issue_standard": _col("Int64"),
        **_parsed("criterion"),
        "known_circular": _col("bool", nullable=False),
        "in_circular": _col("bool", nullable=False),
        "old_circular": _col(),  # the 2018 circular a code outside TT57 belongs to
        "criterion_standard": _col("Int64"),
        **{key: _col() for key in ("content", "objective", "activities", "indicator", "owner")},
        **_parsed("start", "Int64"),
        **_parsed("end", "Int64"),
        "period_start": _col("Int64"),
        "period_end": _col("Int64"),
        "evidence_old_text": _col(),
        "evidence_malformed_text": _col(),
        **_parsed("progress"),
    },
    checks=_checks("tt57.items"),
    name="Kế hoạch (Thông tư 57)",
)

TT57_REVIEWS = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        **_parsed("date"),
        "date_month": _col("Int64"),
        "period_start": _col("Int64"),
        "period_end": _col("Int64"),
    },
    checks=_checks("tt57.reviews"),
    name="Theo dõi",
)

SCHEMAS.update(
    {
        "tt57.info": TT57_INFO,
        "tt57.assessment": TT57_ASSESSMENT,
        "tt57.issues": TT57_ISSUES,
        "tt57.items": TT57_ITEMS,
        "tt57.reviews": TT57_REVIEWS,
    }
)

TT57_REVIEW = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        "item": _col("int64", nullable=False),
        "state": _col(),  # validators.review.state() at the review month
        **_parsed("progress"),
        "point_name": _col(),  # the latest review point due after the row started, if any
    },
    checks=_checks("tt57.review"),
    name="Rà soát (Kế hoạch)",
)

TT57_REVIEW_POINTS = pa.DataFrameSchema(
    {
        "plan": _col("int64", nullable=False),
        "row": _col("int64", nullable=False),
        "point_name": _col(),
        "recorded": _col("bool", nullable=False),  # Theo dõi has a result for this point
    },
    checks=_checks("tt57.review.points"),
    name="Rà soát (Theo dõi)",
)

SCHEMAS.update({"tt57.review": TT57_REVIEW, "tt57.review.points": TT57_REVIEW_POINTS})
