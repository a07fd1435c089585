"""When a Thông tư 57 plan is reviewed, and what a row's progress counts as.

Biểu 2 (mục VIII, table VI) asks for a review at least twice a school year: at the
end of term I and at the end of the year. A review point is due from its month on.
"""

from __future__ import annotations

from sheetkit.model.contract import REVIEW_POINTS

# Month of each review point, in the second calendar year of the school year.
REVIEW_MONTHS = {REVIEW_POINTS[0]: 1, REVIEW_POINTS[1]: 5}  # January, May

# A plan row's state at a review month. One definition (``state``) for review,
# check --at, the review report, the roll-up and next year's plan.
DONE, IN_PROGRESS, OVERDUE = "done", "in_progress", "overdue"
NOT_CARRIED_OUT, UNRECORDED, NOT_STARTED = "not_carried_out", "unrecorded", "not_started"
STATE_LABELS = {
    DONE: "Hoàn thành",
    IN_PROGRESS: "Đang thực hiện",
    OVERDUE: "Quá hạn",
    NOT_CARRIED_OUT: "Không thực hiện",
    UNRECORDED: "Chưa ghi",
    NOT_STARTED: "Chưa bắt đầu",
}
# Mức độ thực hiện values and the state they give a row whose end month has not passed.
STATUS_STATES = {
    "Hoàn thành": DONE,
    "Đang thực hiện": IN_PROGRESS,
    "Chậm tiến độ": IN_PROGRESS,
    "Chưa thực hiện": NOT_STARTED,
    "Không thực hiện": NOT_CARRIED_OUT,
}


def review_points(school_year: int) -> list[tuple[str, int]]:
    """(name, month index) of the review points of a school year starting in ``school_year``."""
    return [(name, (school_year + 1) * 12 + month - 1) for name, month in REVIEW_MONTHS.items()]


def state(status: str | None, start: int | None, end: int | None, at: int) -> str:
    """A plan row's state at month ``at``, the first that applies:

    1. Hoàn thành (done) and Không thực hiện (the school decided not to do it):
       as the school wrote, whatever the months;
    2. Quá hạn (overdue): its end month has passed (``end < at``) without either;
    3. Đang thực hiện: Đang thực hiện, Chậm tiến độ or any other text the school wrote;
    4. Chưa bắt đầu: Chưa thực hiện, or no Mức độ thực hiện while its start month
       has not come (``start > at``);
    5. Chưa ghi (unrecorded): no Mức độ thực hiện although its start month has come
       (``start <= at``, or no start month): the school owes a status.
    """
    if status == "Hoàn thành":
        return DONE
    if status == "Không thực hiện":
        return NOT_CARRIED_OUT
    if end is not None and end < at:
        return OVERDUE
    if status in STATUS_STATES:
        return STATUS_STATES[status]
    if status:  # free text: the school wrote something, so it has begun
        return IN_PROGRESS
    if start is not None and start > at:
        return NOT_STARTED
    return UNRECORDED
