"""The printed page both writers share, and how large a plan may be to be printed at all.

A4 landscape with the margins of Nghị định 30 (Phụ lục I), for Word
(``docx_parts``) and the Bản kế hoạch sheet (``sheet_parts``) alike; a plan
beyond the size limits is refused before any work (``check_size``).
"""

from __future__ import annotations

from ..model.findings import Finding
from ..validators.rules import BY_ID
from .plan_text import Document, RenderRefused

MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20}  # Nghị định 30, Phụ lục I
PAGE_MM = (297, 210)  # A4 landscape
POINTS_PER_MM = 72 / 25.4
KEPT_LINES = 2  # lines of the last section before the signature kept on its page
# A plan larger than this is refused with a message (not rendered for minutes):
# no school plan comes near it, and Word and the sheet stay fast below it.
MAX_ITEMS = 5_000
MAX_TEXT = 4_000_000  # characters of table text
MAX_LINES = 40_000  # lines of table text: Word's memory grows with them (a paragraph each)
MAX_PAGES = 1_000  # of the printed sheet: Excel keeps at most 1,026 manual page breaks


def printable_mm() -> tuple[float, float]:
    """(width, height) in millimetres inside the margins."""
    return (
        PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"],
        PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"],
    )


class PlanTooLarge(RenderRefused):
    """The plan is far beyond any school's: refused at once rather than rendered for minutes.

    A refusal like a plan with errors (the command exits 1): the file was read,
    but its content cannot be printed as it is.
    """

    def __init__(self, rule_id: str, facts: dict[str, int]):
        rule = BY_ID[rule_id]
        message = rule.message_for({key: _number(value) for key, value in facts.items()})
        finding = Finding(
            rule.severity, rule.id, rule.sheet, None, None, None, None, None, None, message
        )
        super().__init__([finding])
        self.args = (
            "Chưa tạo bản kế hoạch vì kế hoạch quá lớn để in. Hãy xem lại trang Kế hoạch (có thể "
            "đã dán nhầm dữ liệu) hoặc tách thành nhiều kế hoạch nhỏ hơn.",
        )


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_size(doc: Document) -> None:
    """Refuse, before any work, a plan beyond MAX_ITEMS items, MAX_TEXT characters or MAX_LINES."""
    items = doc.items
    cells = (row.cells.values() if isinstance(row.cells, dict) else row.cells for row in items)
    values = [value for values in cells for value in values if value]
    text = sum(len(value) for value in values)
    lines = sum(value.count("\n") + 1 for value in values)
    if len(items) > MAX_ITEMS or text > MAX_TEXT or lines > MAX_LINES:
        raise PlanTooLarge(
            "render.too_large",
            {
                "items": len(items),
                "characters": text,
                "lines": lines,
                "max_items": MAX_ITEMS,
                "max_characters": MAX_TEXT,
                "max_lines": MAX_LINES,
            },
        )


def check_pages(pages: int) -> None:
    """Refuse a sheet of more than MAX_PAGES pages: Excel keeps at most 1,026 manual breaks."""
    if pages > MAX_PAGES:
        raise PlanTooLarge("render.too_many_pages", {"pages": pages, "max_pages": MAX_PAGES})
