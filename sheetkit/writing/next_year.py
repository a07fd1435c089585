"""Next school year's plan from this year's: what carries over, and what the school must redo.

Under Thông tư 57 the results of a year's plan feed the next year's
self-assessment and plan (Biểu 2, mục VIII.b). ``next_year(plan)`` gives the
data of a new Thông tư 57 workbook: the same school, the year moved on, the
criteria levels as the starting point, the unfinished plan rows carried into
tables IV and V with their history in Ghi chú, finished rows and rows the school
wrote Không thực hiện left out, and the school's own words kept: every line of
Căn cứ, Mục đích, Tổ chức and Cơ chế with only its school years moved on and
the review line citing this year's review (``moved_words``). Last year's level
of each criterion is recorded in its Ghi chú ("Mức năm học 2026-2027: Mức 1")
so that ``check`` can say the levels are still last year's until the school
updates them or deletes those notes (rule tt57.assessment.levels_from_last_year).
From a 2018 plan, its unfinished items
become priority issues, with a note that the school must map them to the
Thông tư 57 criteria: this is how a school moves to the regulation in force.
"""

from __future__ import annotations

from .. import layouts
from ..model.contract import FIRST_TT57_YEAR, REVIEW_POINTS, TT57_CIRCULAR_TEXT
from ..model.plan import Plan
from ..reading.parsing import school_year_label
from .carry_over import KEPT_INFO, TEMPLATE_OF_LEVEL, NextYear, moved_text, moved_words

__all__ = ["NextYear", "moved_text", "moved_words", "next_year"]


def next_year(plan: Plan) -> NextYear:
    """The next school year's Thông tư 57 plan, from a Thông tư 57 or a 2018 plan."""
    first = plan.value("school_year")
    if first is None:
        raise ValueError("the plan has no school year")
    layout = layouts.of(plan)
    # A plan of an older form already written for a Thông tư 57 year moves to the form in
    # force, same year.
    moving = not layout.in_force and first >= FIRST_TT57_YEAR
    year = first if moving else max(first + 1, FIRST_TT57_YEAR)
    level = plan.value("school_level") or "THCS"
    result = NextYear(TEMPLATE_OF_LEVEL.get(level, "pho-thong"), {})
    info = {key: plan.value(key) for key in KEPT_INFO if plan.value(key)}
    info["school_year"] = school_year_label(year)
    info["circular"] = TT57_CIRCULAR_TEXT
    issues, items, assessment = layout.carry_forward(plan, year, info, result)
    result.data = {
        "info": info,
        "assessment": assessment,
        "issues": issues,
        "items": items,
        "reviews": [{"when": point} for point in REVIEW_POINTS],
    }
    return result
