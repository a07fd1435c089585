"""How a school's hand-in moves through a round, and the audit log of every step.

Chưa nộp → (upload) Đang sửa → (Nộp, no errors) Đã nộp → (officer) Đã duyệt
or Trả lại with a note → (upload, Nộp) Đã nộp again. Before acceptance a new
hand-in replaces the handed-in version; after it, the school asks the officer
to reopen (the plan goes back to Trả lại with the officer's note).
"""

from __future__ import annotations

from django.utils import timezone

from .models import AuditLog, ManagingBody, Round, School, Submission, Version


class NotAllowed(Exception):
    """A step the submission's state does not allow; ``str(err)`` is for the user (Vietnamese)."""


def log(
    actor: str,
    action: str,
    *,
    user=None,
    body: ManagingBody | None = None,
    round: Round | None = None,
    school: School | None = None,
    detail: str = "",
) -> None:
    AuditLog.objects.create(
        actor=storable(actor)[:300],
        action=action[:100],
        user=user if getattr(user, "is_authenticated", False) else None,
        body=body if body is not None else (round.body if round is not None else None),
        round=round,
        school=school,
        detail=storable(detail),
    )


def storable(text: str) -> str:
    """Text a database accepts: a lone surrogate (from a hostile file's name) becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def school_actor(school: School) -> str:
    return f"{school.name} (qua liên kết của trường)"


def _save(submission: Submission) -> None:
    submission.updated_at = timezone.now()
    submission.save()


def uploaded(submission: Submission, version: Version, actor: str) -> None:
    """A new version was read: a school that had not handed in is now working on it."""
    if submission.state == Submission.MISSING:
        submission.state = Submission.DRAFTING
    _save(submission)
    what = f"Tải lên bản {version.number}: {version.original_name}"
    if version.unreadable:
        what += " (không đọc được)"
    else:
        what += f" ({version.errors} lỗi, {version.warnings} cảnh báo)"
    log(actor, "Tải lên", round=submission.round, school=submission.school, detail=what)


def hand_in_refusal(submission: Submission, version: Version) -> str | None:
    """Why this version cannot be handed in now (Vietnamese), or None."""
    if not submission.round.is_open:
        return "Đợt nộp đã đóng: liên hệ cơ quan quản lý nếu cần nộp thêm."
    if submission.state == Submission.ACCEPTED:
        return (
            "Kế hoạch đã được duyệt. Muốn nộp bản khác, hãy bấm “Đề nghị mở lại” để cơ quan "
            "quản lý mở lại."
        )
    if version.unreadable:
        return "Tệp này không đọc được nên không nộp được: sửa theo hướng dẫn rồi tải lên lại."
    if version.errors:
        return f"Kế hoạch còn {version.errors} lỗi: sửa hết lỗi trong Excel, tải lên lại rồi nộp."
    mismatch = identity_mismatch(submission.school, submission.round, version)
    if mismatch:
        return mismatch
    return None


def identity_mismatch(school: School, round_: Round, version: Version) -> str | None:
    """A plan of another school, or of another school year, is not handed in under this link."""
    from ..model.roster import code_key

    identity = version.identity or {}
    code = code_key(identity.get("school_code"))
    if school.code and code and code != code_key(school.code):
        return (
            f"Tệp ghi Mã trường {identity.get('school_code')}, khác mã của trường trong danh sách "
            f"({school.code}). Hãy kiểm tra trang Thông tin: có thể đây là tệp của trường khác."
        )
    year = identity.get("school_year") or ""
    if year and round_.school_year and not covers(year, round_.school_year):
        return (
            f"Tệp ghi năm học {year}, đợt này nhận kế hoạch năm học {round_.school_year}. Hãy "
            "sửa năm học ở trang Thông tin hoặc tải lên đúng tệp của năm học này."
        )
    return None


def identity_notes(school: School, version: Version) -> list[str]:
    """What the plan says that differs from the list without stopping the hand-in: the name."""
    import difflib

    from ..merging.roster_match import LOOSE_RATIO, loose_key

    identity = version.identity or {}
    name = identity.get("school_name") or ""
    if not name or not school.name:
        return []
    ours, theirs = loose_key(school.name), loose_key(name)
    if ours == theirs or difflib.SequenceMatcher(None, ours, theirs).ratio() >= LOOSE_RATIO:
        return []
    return [
        f"Tên trường trong tệp ({name}) khác tên trong danh sách ({school.name}). Nếu đúng là "
        "kế hoạch của trường mình, hãy sửa tên ở trang Thông tin cho khớp danh sách."
    ]


def covers(plan_year: str, round_year: str) -> bool:
    """A plan's year label covers the round's school year (a 5-year plan "2024-2029" too)."""
    try:
        start, end = (int(x) for x in plan_year.split("-")[:2])
        wanted = int(round_year[:4])
    except ValueError:
        return True
    return start <= wanted < end if end > start + 1 else start == wanted


def hand_in(submission: Submission, version: Version, actor: str) -> None:
    """The school hands in ``version`` (no errors): it replaces any handed-in one."""
    refusal = hand_in_refusal(submission, version)
    if refusal:
        raise NotAllowed(refusal)
    replaced = submission.handed_in
    submission.state = Submission.HANDED_IN
    submission.handed_in = version
    submission.handed_in_at = timezone.now()
    submission.reopen_requested = False
    _save(submission)
    detail = f"Nộp bản {version.number}: {version.original_name}"
    if replaced is not None and replaced.pk != version.pk:
        detail += f" (thay bản {replaced.number} đã nộp)"
    if submission.late:
        detail += f"; nộp muộn (hạn {submission.round.deadline:%d/%m/%Y})"
    log(actor, "Nộp", round=submission.round, school=submission.school, detail=detail)


def accept(submission: Submission, user, note: str = "") -> None:
    if submission.state != Submission.HANDED_IN:
        raise NotAllowed("Chỉ duyệt được kế hoạch trường đã nộp.")
    submission.state = Submission.ACCEPTED
    submission.note = note.strip()
    _save(submission)
    version = submission.handed_in
    log(
        _officer_name(user),
        "Duyệt",
        user=user,
        round=submission.round,
        school=submission.school,
        detail=f"Duyệt bản {version.number if version else '?'}" + (f": {note}" if note else ""),
    )


def return_(submission: Submission, user, note: str) -> None:
    """The officer sends the plan back with a note the school reads."""
    note = note.strip()
    if not note:
        raise NotAllowed("Hãy ghi chú cho trường biết cần sửa gì trước khi trả lại.")
    if submission.state not in (Submission.HANDED_IN, Submission.ACCEPTED):
        raise NotAllowed("Chỉ trả lại được kế hoạch trường đã nộp.")
    action = "Mở lại" if submission.state == Submission.ACCEPTED else "Trả lại"
    submission.state = Submission.RETURNED
    submission.note = note
    submission.reopen_requested = False
    _save(submission)
    log(
        _officer_name(user),
        action,
        user=user,
        round=submission.round,
        school=submission.school,
        detail=note,
    )


def request_reopen(submission: Submission, actor: str, reason: str) -> None:
    if submission.state != Submission.ACCEPTED:
        raise NotAllowed("Chỉ đề nghị mở lại khi kế hoạch đã được duyệt.")
    submission.reopen_requested = True
    _save(submission)
    log(
        actor,
        "Đề nghị mở lại",
        round=submission.round,
        school=submission.school,
        detail=reason.strip()[:2000],
    )


def _officer_name(user) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name or user.get_username()} (cán bộ)"


def officer_actor(user) -> str:
    return _officer_name(user)


def ensure_submissions(round_: Round) -> None:
    """Every school the round's body sees has its row (schools added by a later list too)."""
    from .access import visible_schools

    have = set(round_.submissions.values_list("school_id", flat=True))
    schools = visible_schools(round_.body).filter(listed=True).exclude(pk__in=have)
    Submission.objects.bulk_create(
        [Submission(round=round_, school=s) for s in schools], ignore_conflicts=True
    )
