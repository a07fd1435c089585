"""What pages show of stored results: findings grouped by sheet, the school level and why."""

from __future__ import annotations

from django.http import FileResponse

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}


def findings_by_sheet(doc: dict | None) -> list[dict]:
    """``check --format json`` findings as [{"sheet", "findings": [...]}] in the order found."""
    groups: dict[str, list[dict]] = {}
    for finding in (doc or {}).get("findings") or []:
        sheet = finding.get("sheet") or "Cả tệp"
        shown = dict(finding)
        shown["label"] = SEVERITY_LABELS.get(finding.get("severity"), "Ghi chú")
        groups.setdefault(sheet, []).append(shown)
    return [{"sheet": sheet, "findings": items} for sheet, items in groups.items()]


def school_level(doc: dict | None) -> dict | None:
    """The Thông tư 57 level now and after the plan, with the sentences that explain it."""
    level = (doc or {}).get("school_level")
    if not level:
        return None
    reasons = level.get("reasons") or {}
    lines = []
    for key in ("current", "planned"):
        part = reasons.get(key) or {}
        lines += [str(s) for s in part.get("sentences") or []]
    return {"current": level.get("current"), "planned": level.get("planned"), "sentences": lines}


def attachment(path, filename: str, content_type: str | None = None) -> FileResponse:
    """A download, always as an attachment (never shown inline by the browser)."""
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    response = FileResponse(handle, as_attachment=True, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
