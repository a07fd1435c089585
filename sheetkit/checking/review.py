"""The twice-yearly review of a Thông tư 57 plan: where each row stands at a given month.

Facts only: each row's state at the review month (``validators.review.state``,
the one definition: done, in progress, overdue, not carried out, unrecorded,
not started), the review points that are due, whether Theo dõi records them,
and the progress per priority issue and per standard. The rules that turn
them into findings are in validators/rules.py (``tt57.review.*``), the review
points in validators/review.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..model.contract import SHEET_REVIEWS
from ..model.plan import Plan
from ..reading.parsing import month_label
from ..reading.text import fold
from ..validators.review import STATE_LABELS, review_points, state

STATES = tuple(STATE_LABELS)


@dataclass
class Progress:
    """How many rows are in each state, and their share."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, key: str) -> float:
        return self.counts[key] / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **self.counts,
            "shares": {k: round(self.share(k), 4) for k in STATES},
        }

    def line(self) -> str:
        parts = [
            f"{STATE_LABELS[k]} {n} ({self.share(k):.0%})" for k, n in self.counts.items() if n
        ]
        return f"{self.total} việc: " + ", ".join(parts) if parts else "chưa có việc nào"


def _content_short(record: dict) -> str:
    text = " ".join(str(record.get("content") or record.get("activities") or "").split())
    if not text:
        return "chưa ghi nội dung"
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def row_table(chosen: list[tuple[int, Plan]], at: int) -> pd.DataFrame:
    """One row per plan row of each plan: its state at month ``at`` and the due point.

    ``chosen``: (index in the batch, plan) of the batch's plans whose progress is reviewed.
    """
    records = []
    for i, plan in chosen:
        if plan.value("school_year") is None:
            continue
        due = [
            (name, month) for name, month in review_points(plan.value("school_year")) if month <= at
        ]
        for record in plan.item_records:
            start, end = record.get("start"), record.get("end")
            status = record.get("progress") if record.get("progress_raw") is not None else None
            started = [(n, m) for n, m in due if start is None or start <= m]
            point = started[-1] if started else None
            records.append(
                {
                    "plan": i,
                    "row": record["row"],
                    "item": record["item"],
                    "state": state(status, start, end, at),
                    "progress": record.get("progress"),
                    "progress_raw": record.get("progress_raw"),
                    "progress_error": None,
                    "status_text": status or "chưa ghi",
                    "content_short": _content_short(record),
                    "start_label": month_label(start) if start is not None else "chưa ghi",
                    "end_label": month_label(end) if end is not None else "chưa ghi",
                    "point_name": point[0] if point else None,
                    "point_label": f"tháng {month_label(point[1])}" if point else None,
                }
            )
    return pd.DataFrame.from_records(records)


def point_table(chosen: list[tuple[int, Plan]], at: int) -> pd.DataFrame:
    """One row per due review point of each plan (``chosen``, as ``row_table``'s): is it
    recorded in Theo dõi?"""
    records = []
    for i, plan in chosen:
        if plan.value("school_year") is None:
            continue
        header = plan.header_rows.get(SHEET_REVIEWS, 0)
        for name, month in review_points(plan.value("school_year")):
            if month > at:
                continue
            rows = [
                r for r in plan.review_records if fold(r.get("when") or "").startswith(fold(name))
            ]
            recorded = any(r.get("result") or r.get("content") for r in rows)
            records.append(
                {
                    "plan": i,
                    "row": rows[0]["row"] if rows else header + 1,
                    "point_name": name,
                    "point_label": f"tháng {month_label(month)}",
                    "recorded": recorded,
                }
            )
    return pd.DataFrame.from_records(records)


@dataclass
class Review:
    """A plan's progress at the review month."""

    at: int  # month index
    rows: list[dict[str, Any]]
    overall: Progress
    by_issue: dict[int, Progress]
    by_standard: dict[int, Progress]

    @property
    def label(self) -> str:
        return month_label(self.at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": f"{self.at // 12}-{self.at % 12 + 1:02d}",
            "rows": self.rows,
            "progress": {
                "overall": self.overall.to_dict(),
                "issues": [{"issue": k, **v.to_dict()} for k, v in sorted(self.by_issue.items())],
                "standards": [
                    {"standard": k, **v.to_dict()} for k, v in sorted(self.by_standard.items())
                ],
            },
        }


def review_plan(plan: Plan, at: int) -> Review:
    """Where each row of a TT57 plan stands at month ``at``, with the progress per group."""
    standards = {r.get("tt"): r.get("standard") for r in plan.issue_records}
    rows, overall = [], Progress()
    by_issue: dict[int, Progress] = {}
    by_standard: dict[int, Progress] = {}
    for record in plan.item_records:
        status = record.get("progress") if record.get("progress_raw") is not None else None
        now = state(status, record.get("start"), record.get("end"), at)
        end = record.get("end")
        rows.append(
            {
                "item": record["item"],
                "issue": record.get("issue"),
                "status": status,
                "end": f"{end // 12}-{end % 12 + 1:02d}" if end is not None else None,
                "state": now,
                "overdue": now == "overdue",
            }
        )
        overall.counts[now] += 1
        issue = record.get("issue")
        if issue is not None:
            by_issue.setdefault(issue, Progress()).counts[now] += 1
            standard = standards.get(issue)
            if standard is not None:
                by_standard.setdefault(standard, Progress()).counts[now] += 1
    return Review(at, rows, overall, by_issue, by_standard)
