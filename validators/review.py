"""When a Thông tư 57 plan is reviewed, and what a row's progress counts as.

Biểu 2 (mục VIII, table VI) asks for a review at least twice a school year: at the
end of term I and at the end of the year. A review point is due from its month on.
"""

from __future__ import annotations

from sheetkit.model.contract import REVIEW_POINTS

# Month of each review point, in the second calendar year of the school year.
REVIEW_MONTHS = {REVIEW_POINTS[0]: 1, REVIEW_POINTS[1]: 5}  # January, May

DONE, IN_PROGRESS, OVERDUE, NOT_STARTED = "done", "in_progress", "overdue", "not_started"
STATE_LABELS = {
    DONE: "Hoàn thành",
    IN_PROGRESS: "Đang thực hiện",
    OVERDUE: "Quá hạn",
    NOT_STARTED: "Chưa bắt đầu",
}
# Mức độ thực hiện values and the state they give a row whose end month has not passed.
STATUS_STATES = {
    "Hoàn thành": DONE,
    "Đang thực hiện": IN_PROGRESS,
    "Chậm tiến độ": IN_PROGRESS,
    "Chưa thực hiện": NOT_STARTED,
    "Không thực hiện": NOT_STARTED,
}


def review_points(school_year: int) -> list[tuple[str, int]]:
    """(name, month index) of the review points of a school year starting in ``school_year``."""
    return [(name, (school_year + 1) * 12 + month - 1) for name, month in REVIEW_MONTHS.items()]


def state(status: str | None, start: int | None, end: int | None, at: int) -> str:
    """A plan row's state at month ``at``: done; overdue once its end month has passed
    without Hoàn thành; in progress; or not started."""
    if status == "Hoàn thành":
        return DONE
    if end is not None and end < at:
        return OVERDUE
    if status in STATUS_STATES:
        return STATUS_STATES[status]
    if status:  # free text: the school wrote something, so it has begun
        return IN_PROGRESS
    return NOT_STARTED
