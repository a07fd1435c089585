"""A school's pages, reached by its private link (no account): upload, findings, hand in.

Every view resolves the token first (``access.school_for_token``) and reaches
only that school's submissions and versions: another school's data is never
one id away.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import jobs
from . import access, exports, intake, present, storage, workflow
from .models import Submission


def school_required(view):
    """The school of the link in the URL; 404 for an unknown link, 429 after many."""

    @functools.wraps(view)
    def wrapped(request, token: str, *args, **kwargs):
        try:
            school = access.school_for_token(token, access.client_address(request))
        except access.RateLimited:
            return render(
                request,
                "portal/message.html",
                {
                    "title": "Tạm khóa",
                    "message": "Đã mở sai liên kết nhiều lần. Hãy đợi 10 phút rồi mở lại đúng "
                    "liên kết cơ quan quản lý đã gửi.",
                },
                status=429,
            )
        except Http404:
            return render(
                request,
                "portal/message.html",
                {
                    "title": "Liên kết không đúng",
                    "message": "Liên kết này không đúng hoặc đã được thay bằng liên kết mới. Hãy "
                    "hỏi cơ quan quản lý liên kết hiện tại của trường.",
                },
                status=404,
            )
        return view(request, school, token, *args, **kwargs)

    return wrapped


def _submission(school, round_id: int) -> Submission:
    found = (
        Submission.objects.select_related("round", "school", "handed_in")
        .filter(school=school, round_id=round_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@require_GET
@school_required
def school_home(request, school, token: str):
    subs = list(
        Submission.objects.filter(school=school)
        .select_related("round", "handed_in")
        .order_by("-round__is_open", "-round__created_at")
    )
    if len([s for s in subs if s.round.is_open]) == 1:
        return redirect(
            "portal:school_round", token, next(s for s in subs if s.round.is_open).round_id
        )
    return render(
        request, "portal/school_home.html", {"school": school, "token": token, "subs": subs}
    )


@require_GET
@school_required
def school_round(request, school, token: str, round_id: int):
    submission = _submission(school, round_id)
    versions = list(submission.versions.all())
    latest = versions[0] if versions else None
    refusal = workflow.hand_in_refusal(submission, latest) if latest else None
    return render(
        request,
        "portal/school_round.html",
        {
            "school": school,
            "token": token,
            "round": submission.round,
            "submission": submission,
            "versions": versions,
            "latest": latest,
            "groups": present.findings_by_sheet(latest.findings if latest else None),
            "level": present.school_level(latest.findings if latest else None),
            "refusal": refusal,
            "notes": workflow.identity_notes(school, latest) if latest else [],
            "can_hand_in": latest is not None and refusal is None,
            "replaces": submission.state == Submission.HANDED_IN
            and latest is not None
            and submission.handed_in_id != latest.pk,
            "max_mb": storage.max_upload() // (1024 * 1024),
            "max_bytes": storage.max_upload(),
        },
    )


@require_POST
@school_required
def school_upload(request, school, token: str, round_id: int):
    submission = _submission(school, round_id)
    back = redirect("portal:school_round", token, round_id)
    if not submission.round.is_open:
        messages.error(request, "Đợt nộp đã đóng: không tải lên được nữa.")
        return back
    if submission.state == Submission.ACCEPTED:
        messages.error(
            request,
            "Kế hoạch đã được duyệt. Muốn gửi bản khác, hãy bấm “Đề nghị mở lại” để cơ quan quản "
            "lý mở lại, rồi tải lên.",
        )
        return back
    uploaded = request.FILES.get("file")
    if getattr(request, "upload_too_large", False):
        messages.error(request, storage.too_large_message())
        return back
    if uploaded is None:
        messages.error(request, "Hãy chọn tệp kế hoạch (.xlsx) rồi bấm Tải lên.")
        return back
    try:
        version = intake.accept_upload(submission, uploaded, workflow.school_actor(school))
    except storage.Refused as err:
        messages.error(request, str(err))
        workflow.log(
            workflow.school_actor(school),
            "Tệp bị từ chối",
            round=submission.round,
            school=school,
            detail=f"{uploaded.name[:200]}: {err}",
        )
        return back
    if version.unreadable:
        messages.error(request, f"Không đọc được tệp: {version.unreadable}")
    elif version.errors:
        messages.warning(
            request,
            f"Đã kiểm tra: {version.errors} lỗi, {version.warnings} cảnh báo. Sửa lỗi rồi tải lên lại.",
        )
    else:
        messages.success(
            request,
            f"Đã kiểm tra: không có lỗi ({version.warnings} cảnh báo). Bấm “Nộp” để nộp kế hoạch.",
        )
    return back


@require_POST
@school_required
def school_hand_in(request, school, token: str, round_id: int):
    submission = _submission(school, round_id)
    version = submission.versions.filter(pk=request.POST.get("version", 0) or 0).first()
    if version is None:
        raise Http404
    try:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            workflow.hand_in(locked, version, workflow.school_actor(school))
            exports.changed(submission.round)
    except workflow.NotAllowed as err:
        messages.error(request, str(err))
    else:
        messages.success(request, "Đã nộp kế hoạch. Cơ quan quản lý sẽ xem và duyệt.")
    return redirect("portal:school_round", token, round_id)


@require_POST
@school_required
def school_reopen(request, school, token: str, round_id: int):
    submission = _submission(school, round_id)
    try:
        workflow.request_reopen(
            submission, workflow.school_actor(school), request.POST.get("reason", "")
        )
    except workflow.NotAllowed as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request, "Đã gửi đề nghị mở lại. Khi cơ quan quản lý mở lại, hãy tải lên bản mới."
        )
    return redirect("portal:school_round", token, round_id)


@require_GET
@school_required
def school_version_file(request, school, token: str, round_id: int, version_id: int, kind: str):
    """The school's own upload: as sent, annotated with its findings, or as a draft document."""
    submission = _submission(school, round_id)
    version = submission.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404
    stem = version.original_name.rsplit(".", 1)[0] or "ke-hoach"
    if kind == "tep":
        return present.attachment(storage.stored_path(version.stored), version.original_name)
    if version.unreadable:
        raise Http404
    try:
        if kind == "danh-dau":
            path = intake.derived(version, "annotate")
            return present.attachment(path, f"{stem}-danh-dau.xlsx", present.XLSX)
        if kind == "ban-nhap":
            path = intake.derived(version, "draft")
            return present.attachment(path, f"{stem}-ban-nhap.docx", present.DOCX)
    except jobs.JobFailed as err:
        messages.error(request, f"Không tạo được tệp: {err}")
        return redirect("portal:school_round", token, round_id)
    raise Http404


@require_GET
@school_required
def school_template(request, school, token: str, round_id: int):
    submission = _submission(school, round_id)
    folder = exports.work_folder()
    try:
        target = exports.prefilled_template(school, submission.round, folder / "mau.xlsx")
    except exports.NoTemplate as err:
        exports.discard(folder)
        messages.error(request, str(err))
        return redirect("portal:school_round", token, round_id)
    response = present.attachment(target, "ke-hoach-mau.xlsx", present.XLSX)
    exports.discard(folder, target)
    return response
