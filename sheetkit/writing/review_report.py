"""Báo cáo rà soát: a Thông tư 57 plan's progress at a review month, as a document.

What the school sends its managing body after each review (end of term I, end
of the year): the monitoring rows of table VI as the school wrote them, the
progress per priority issue and per standard (one column per row state of
``validators.review.state``), and the rows that need attention (overdue, not
carried out, or started without a Mức độ thực hiện). It is a ``Document`` with sections, so the Biểu 2 writers
print it: Word (``bieu2_docx``) and a sheet (``bieu2_sheet``).
"""

from __future__ import annotations

from ..checking.review import STATES, Progress, Review
from ..checking.tt57 import school_level_lines
from ..model.contract import LAYOUT_TT57
from ..model.plan import Plan
from ..reading.parsing import month_label
from ..validators.review import NOT_CARRIED_OUT, OVERDUE, STATE_LABELS, UNRECORDED
from . import bieu2
from .plan_text import (
    BLANK,
    Document,
    Section,
    governing_body,
    place_month,
    school_heading,
    time_text,
)

SHEET_REPORT = "Báo cáo rà soát"
REPORT_TITLE = "BÁO CÁO"
# Progress tables over the ten-column grid of Biểu 2: (header, first, last). The six
# states take the last six columns; the share done is in section I.
PROGRESS_COLUMNS = (
    ("TT", 0, 0),
    ("{what}", 1, 2),
    ("Số việc", 3, 3),
    *((STATE_LABELS[k], n, n) for n, k in enumerate(STATES, start=4)),
)
ATTENTION_STATES = (OVERDUE, NOT_CARRIED_OUT, UNRECORDED)
ATTENTION_COLUMNS = (
    ("TT", 0, 0),
    ("Nội dung cải tiến", 1, 2),
    ("Thời gian thực hiện", 3, 3),
    ("Đơn vị/cá nhân phụ trách", 4, 5),
    ("Mức độ thực hiện (trường ghi)", 6, 7),
    ("Tình trạng", 8, 9),
)


def review_document(plan: Plan, review: Review) -> Document:
    """The review report of a TT57 plan at the review's month."""
    years = bieu2.subtitle(plan).removeprefix("Cải tiến chất lượng giáo dục ")
    return Document(
        governing_body=governing_body(plan),
        school=school_heading(plan.school_name),
        number=f"Số: {BLANK}/BC-{BLANK}",
        place_date=place_month(plan, review.at // 12, review.at % 12 + 1),
        title=REPORT_TITLE,
        subtitle=f"Kết quả rà soát thực hiện kế hoạch cải tiến chất lượng giáo dục {years}",
        rows=[],
        signer_title=bieu2.signer(plan),
        signer_name=plan.value("principal") or "",
        recipients=_recipients(plan),
        sections=sections(plan, review),
        layout=LAYOUT_TT57,
    )


def _recipients(plan: Plan) -> list[str]:
    managing = plan.managing_body()[1]
    lines = [f"- {managing} (để báo cáo);"] if managing else []
    return [
        *lines,
        "- Hội đồng tự đánh giá;",
        "- Các tổ, bộ phận, cá nhân liên quan;",
        "- Lưu: VT.",
    ]


def sections(plan: Plan, review: Review) -> list[Section]:
    at = month_label(review.at)
    overall = review.overall
    summary = [
        f"Thời điểm rà soát: tháng {at}.",
        f"Kế hoạch có {overall.total} việc cải tiến thuộc {len(plan.issue_records)} vấn đề "
        f"trọng tâm. Đến tháng {at}: {_counts(overall)}.",
        *school_level_lines(plan),  # the level now and after the plan, each with why
    ]
    return [
        Section("I", "TÌNH HÌNH CHUNG", summary),
        Section(
            "II",
            "THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (MỤC VI CỦA KẾ HOẠCH)",
            table=bieu2.Table("reviews", bieu2.REVIEW_COLUMNS, bieu2.review_rows(plan)),
        ),
        Section(
            "III",
            "TIẾN ĐỘ THEO VẤN ĐỀ TRỌNG TÂM",
            table=_progress_table(plan, review, "issues"),
        ),
        Section("IV", "TIẾN ĐỘ THEO TIÊU CHUẨN", table=_progress_table(plan, review, "standards")),
        Section(
            "V",
            "CÁC VIỆC CẦN QUAN TÂM",
            [
                "Việc quá hạn (đã qua tháng hoàn thành mà chưa Hoàn thành), việc trường ghi "
                "Không thực hiện (ghi lý do ở mục VI) và việc chưa ghi (đã đến tháng bắt đầu mà "
                "chưa ghi mức độ thực hiện)."
            ],
            table=_attention_table(plan, review),
        ),
        Section(
            "VI",
            "ĐIỀU CHỈNH, ĐỀ XUẤT",
            _adjustments(plan),
        ),
    ]


# How section I's sentence names a state when its label alone would be unclear.
STATE_WORDS = {UNRECORDED: "chưa ghi mức độ thực hiện"}


def _counts(progress: Progress) -> str:
    parts = [
        f"{progress.counts[k]} việc {STATE_WORDS.get(k, STATE_LABELS[k].lower())} "
        f"({progress.share(k):.0%})"
        for k in STATES
        if progress.counts[k]
    ]
    return ", ".join(parts) if parts else "chưa có việc nào"


def _progress_table(plan: Plan, review: Review, key: str) -> bieu2.Table:
    what = "Vấn đề trọng tâm" if key == "issues" else "Tiêu chuẩn"
    columns = tuple((label.format(what=what), a, b) for label, a, b in PROGRESS_COLUMNS)
    groups = review.by_issue if key == "issues" else review.by_standard
    issues = {r.get("tt"): r for r in plan.issue_records}
    rows = []
    for number, progress in sorted(groups.items()):
        if key == "issues":
            name = bieu2.issue_heading(plan, number, issues.get(number))
        else:
            name = bieu2.standard_name(plan, number)
        rows.append(bieu2.TableRow("item", [str(number), name, *_figures(progress)]))
    if len(rows) > 1:
        rows.append(bieu2.TableRow("item", ["", "Cộng", *_figures(review.overall)]))
    return bieu2.Table(key, columns, rows, figures=tuple(range(2, len(columns))))


def _figures(progress: Progress) -> list[str]:
    return [str(progress.total), *(str(progress.counts[k]) for k in STATES)]


def _attention_table(plan: Plan, review: Review) -> bieu2.Table:
    states = {row["item"]: row["state"] for row in review.rows}
    rows = []
    for record in plan.item_records:
        now = states.get(record["item"])
        if now not in ATTENTION_STATES:
            continue
        status = record.get("progress") if record.get("progress_raw") is not None else None
        rows.append(
            bieu2.TableRow(
                "item",
                [
                    str(record["item"]),
                    " ".join(str(record.get("content") or record.get("activities") or "").split()),
                    time_text(record),
                    record.get("owner") or "",
                    status or "(chưa ghi)",
                    STATE_LABELS[now] if now else "",
                ],
            )
        )
    return bieu2.Table("attention", ATTENTION_COLUMNS, rows)


def _adjustments(plan: Plan) -> list[str]:
    """What table VI records under Điều chỉnh, one line per review that wrote one."""
    lines = [
        f"{r.get('when') or 'Rà soát'}: {r['adjustment']}"
        for r in plan.review_records
        if r.get("adjustment")
    ]
    return lines or ["Chưa ghi điều chỉnh (cột Điều chỉnh ở trang Theo dõi)."]
