"""Findings: what the checks report, in one shape, and how it is shown."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .validators.rules import BY_ID

COLUMNS = (
    "severity",
    "rule",
    "sheet",
    "cell",
    "row",
    "column",
    "item",
    "criterion",
    "value",
    "message",
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}


def structure_finding(rule_id: str, sheet: str, row: int | None = None, value: Any = None) -> dict:
    """A finding about the workbook's structure (missing sheet or header)."""
    rule = BY_ID[rule_id]
    return {
        "severity": rule.severity,
        "rule": rule.id,
        "sheet": sheet,
        "cell": f"A{row}" if row else None,
        "row": row,
        "column": None,
        "item": None,
        "criterion": None,
        "value": value,
        "message": rule.message.format(sheet=sheet, value=value or ""),
    }


def display_value(value: Any) -> Any:
    """A cell value as JSON and people can read it."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if hasattr(value, "item"):  # numpy scalars
        return display_value(value.item())
    return value


def summary(findings: list[dict]) -> dict[str, int]:
    return {
        "errors": sum(f["severity"] == "error" for f in findings),
        "warnings": sum(f["severity"] == "warning" for f in findings),
        "infos": sum(f["severity"] == "info" for f in findings),
    }


def to_json(file: str, findings: list[dict]) -> str:
    counts = summary(findings)
    doc = {
        "file": file,
        "findings": [{k: display_value(f.get(k)) for k in COLUMNS} for f in findings],
        "summary": {"errors": counts["errors"], "warnings": counts["warnings"]},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


REPEAT_THRESHOLD = 5


def _repeated_rules(group: list[dict]) -> set[str]:
    """Rules that fire with the same message in many cells: shown once, listing the cells."""
    messages: dict[str, set[str]] = {}
    for f in group:
        if f.get("cell"):
            messages.setdefault(f["rule"], set()).add(f["message"])
    counts: dict[str, int] = {}
    for f in group:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    return {r for r, n in counts.items() if n >= REPEAT_THRESHOLD and len(messages.get(r, ())) == 1}


def to_text(file: str, findings: list[dict]) -> str:
    """Findings grouped by sheet: where, what was typed, what to do."""
    lines = [f"Kiểm tra: {file}"]
    sheets: dict[str, list[dict]] = {}
    for f in findings:
        sheets.setdefault(f["sheet"] or "(tệp)", []).append(f)
    for sheet, group in sheets.items():
        lines.append("")
        lines.append(f"── {sheet} ──")
        repeated = _repeated_rules(group)
        shown: set[str] = set()
        for f in group:
            if f["rule"] in repeated:
                if f["rule"] in shown:
                    continue
                shown.add(f["rule"])
                same = [g for g in group if g["rule"] == f["rule"]]
                cells = ", ".join(g["cell"] for g in same)
                label = SEVERITY_LABEL[f["severity"]]
                lines.append(f"  [{label}] {len(same)} ô {sheet}!{cells}: {f['message']}")
                continue
            where = f"{sheet}!{f['cell']}" if f.get("cell") else sheet
            label = SEVERITY_LABEL[f["severity"]]
            lines.append(f"  [{label}] {where}: {f['message']}")
            value = display_value(f.get("value"))
            if value not in (None, "") and f["rule"] not in {"structure.missing_header"}:
                text = str(value).replace("\n", " ")
                if len(text) > 80:
                    text = text[:77] + "..."
                lines.append(f"      đã nhập: {text}")
    counts = summary(findings)
    lines.append("")
    if counts["errors"] == 0 and counts["warnings"] == 0:
        lines.append("Kết quả: không có lỗi, không có cảnh báo. Kế hoạch sẵn sàng để gửi.")
    else:
        lines.append(
            f"Kết quả: {counts['errors']} lỗi, {counts['warnings']} cảnh báo"
            + (f", {counts['infos']} lưu ý" if counts["infos"] else "")
            + (". Hãy sửa các lỗi trước khi gửi." if counts["errors"] else ".")
        )
    return "\n".join(lines)
