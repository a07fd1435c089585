"""Findings: what the checks report, in one shape, and how it is shown.

A ``Finding`` carries the fields of the JSON contract (design.md); a
``Report`` is the findings of one plan with their counts, so no caller
counts severities by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, fields
from typing import Any

from ..reading.text import show_controls
from ..validators.rules import BY_ID

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}


@dataclass
class Finding:
    """One problem found in a plan, with where it is and what to do (``message``)."""

    severity: str  # "error" | "warning" | "info"
    rule: str  # the rule's id in validators/rules.py
    sheet: str | None  # the contract's sheet name ("" or None: the file itself)
    cell: str | None  # "L7", a range "C4:C30", or None
    row: int | None  # Excel row
    column: str | None  # the column's Vietnamese header
    item: int | None  # 1-based position of the plan row among the filled rows of Kế hoạch
    criterion: str | None
    value: Any  # what the user typed
    message: str  # Vietnamese: the problem, then what to do

    def to_dict(self) -> dict[str, Any]:
        """The finding as the JSON output writes it."""
        return {key: display_value(getattr(self, key)) for key in COLUMNS}

    def to_row(self) -> tuple:
        """The finding's values in ``COLUMNS`` order, as JSON shows them."""
        return tuple(display_value(getattr(self, key)) for key in COLUMNS)


COLUMNS = tuple(f.name for f in fields(Finding))


@dataclass
class Report:
    """The findings of one plan, errors first, and their counts."""

    findings: list[Finding]

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    @property
    def ok(self) -> bool:
        """No error: the plan can be sent and printed (warnings only advise)."""
        return self.errors == 0

    def of_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]


def structure_finding(
    rule_id: str, sheet: str, row: int | None = None, value: Any = None, rules=BY_ID
) -> Finding:
    """A finding about the workbook's structure (missing sheet or header).

    ``rules``: where the rule is found (a plan's rules; a list of schools has its own).
    """
    rule = rules[rule_id]
    return Finding(
        severity=rule.severity,
        rule=rule.id,
        sheet=sheet,
        cell=f"A{row}" if row else None,
        row=row,
        column=None,
        item=None,
        criterion=None,
        value=value,
        message=rule.message_for({"sheet": sheet, "value": value, "row": row}),
    )


# Whole numbers up to this are shown as integers; beyond, as Python writes floats (1e+308).
MAX_SHOWN_INTEGER = 1e15


def display_value(value: Any) -> Any:
    """A cell value as JSON and people can read it; what JSON cannot hold is shown as text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value in (math.inf, -math.inf):
            return "∞" if value > 0 else "-∞"
        return int(value) if value.is_integer() and abs(value) < MAX_SHOWN_INTEGER else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):  # a time-only cell
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):  # a duration cell
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return display_value(value.item())
    return str(value)


# Control characters JSON leaves as they are (DEL, C1): escaped so no terminal runs them.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def to_json(file: str, report: Report, extra: dict[str, Any] | None = None) -> str:
    """The JSON contract of design.md; ``extra`` adds plan facts (``school_level`` under TT57)."""
    doc = {
        "file": file,
        "findings": [f.to_dict() for f in report.findings],
        "summary": {"errors": report.errors, "warnings": report.warnings, "notes": report.infos},
        **(extra or {}),
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


REPEAT_THRESHOLD = 5
# A repeated finding names at most this many cells, then how many more: a 20,000-row plan
# printed one line of 140,000 characters per rule.
MAX_CELLS_LISTED = 30


def _repeated_rules(group: list[Finding]) -> set[str]:
    """Rules that fire with the same message in many cells: shown once, listing the cells."""
    messages: dict[str, set[str]] = {}
    for f in group:
        if f.cell:
            messages.setdefault(f.rule, set()).add(f.message)
    counts: dict[str, int] = {}
    for f in group:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    return {r for r, n in counts.items() if n >= REPEAT_THRESHOLD and len(messages.get(r, ())) == 1}


@dataclass(frozen=True)
class Subject:
    """What was checked, as the closing line of the text output names it."""

    ready: str  # said when there is neither error nor warning
    fix_first: str  # said after the counts when there are errors


PLAN_SUBJECT = Subject("Kế hoạch sẵn sàng để gửi.", "Hãy sửa các lỗi trước khi gửi.")
ROSTER_SUBJECT = Subject(
    "Danh sách sẵn sàng để tổng hợp.", "Hãy sửa các lỗi trước khi dùng danh sách để tổng hợp."
)


def to_text(
    file: str,
    report: Report,
    headline: str | None = None,
    *,
    only: str | None = None,
    subject: Subject = PLAN_SUBJECT,
) -> str:
    """Findings grouped by sheet: where, what was typed, what to do.

    ``headline``: one line about the plan shown under the file name (the
    school's level under TT57). ``only`` lists the findings of one severity;
    the counts stay the whole report's.
    """
    lines = [f"Kiểm tra: {file}"]
    if headline:
        lines.append(headline)
    sheets: dict[str, list[Finding]] = {}
    for f in report.findings:
        if only is None or f.severity == only:
            sheets.setdefault(f.sheet or "(tệp)", []).append(f)
    for sheet, group in sheets.items():
        lines.append("")
        lines.append(f"── {sheet} ──")
        repeated = _repeated_rules(group)
        shown: set[str] = set()
        for f in group:
            label = SEVERITY_LABEL[f.severity]
            if f.rule in repeated:
                if f.rule in shown:
                    continue
                shown.add(f.rule)
                same = [g for g in group if g.rule == f.rule]
                cells = ", ".join(g.cell for g in same[:MAX_CELLS_LISTED])
                if len(same) > MAX_CELLS_LISTED:
                    more = f"{len(same) - MAX_CELLS_LISTED:,}".replace(",", ".")
                    cells += f" và {more} ô khác"
                lines.append(f"  [{label}] {len(same)} ô {sheet}!{cells}: {f.message}")
                continue
            where = f"{sheet}!{f.cell}" if f.cell else sheet
            lines.append(f"  [{label}] {where}: {f.message}")
            value = display_value(f.value)
            if value not in (None, "") and f.rule != "structure.missing_header":
                text = str(value).replace("\n", " ")
                if len(text) > 80:
                    text = text[:77] + "..."
                lines.append(f"      đã nhập: {text}")
    lines.append("")
    if report.errors == 0 and report.warnings == 0:
        notes = f", {report.infos} lưu ý" if report.infos else ""
        lines.append(f"Kết quả: không có lỗi, không có cảnh báo{notes}. {subject.ready}")
    else:
        lines.append(
            f"Kết quả: {report.errors} lỗi, {report.warnings} cảnh báo"
            + (f", {report.infos} lưu ý" if report.infos else "")
            + (f". {subject.fix_first}" if report.errors else ".")
        )
    # What a cell held is shown, never run: an escape sequence from a cell is written out.
    return "\n".join(show_controls(line).replace("\r", " ") for line in lines)
