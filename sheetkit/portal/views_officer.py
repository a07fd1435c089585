"""The managing body's pages: the list, rounds, links, submissions, downloads, the audit log.

Every view starts from the signed-in officer's body and reaches schools and
rounds only through ``access`` (a ward officer never sees another ward's).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import jobs
from . import access, exports, present, storage, workflow
from .lists import import_list
from .models import (
    SHOWN_STATES,
    AuditLog,
    ManagingBody,
    Officer,
    RosterImport,
    Round,
    Submission,
    Version,
)


def officer_required(view):
    """The officer and its body, or the sign-in page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        officer = access.officer_of(request.user)
        if officer is None:
            return redirect(f"{reverse('portal:login')}")
        return view(request, officer, *args, **kwargs)

    return wrapped


def school_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("portal:school", args=[token]))


# ----------------------------------------------------------------- dashboard and list


@require_GET
@officer_required
def dashboard(request, officer):
    body = officer.body
    rounds = visible_rounds_with_counts(body)
    schools = access.visible_schools(body).filter(listed=True)
    last_import = RosterImport.objects.filter(body=body).order_by("-at").first()
    return render(
        request,
        "portal/dashboard.html",
        {
            "rounds": rounds,
            "school_count": schools.count(),
            "linked": len(access.linked_ids(schools)),
            "last_import": last_import,
            "kinds": Round.KINDS,
            "default_year": default_school_year(),
            "default_deadline": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        },
    )


def default_school_year() -> str:
    today = timezone.localdate()
    start = today.year if today.month >= 6 else today.year - 1
    return f"{start}-{start + 1}"


def visible_rounds_with_counts(body: ManagingBody) -> list[dict]:
    rows = []
    for round_ in access.visible_rounds(body).select_related("body"):
        subs = round_.submissions.all()
        rows.append(
            {
                "round": round_,
                "total": subs.count(),
                "handed_in": subs.filter(state__in=exports.IN_ROLLUP).count(),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@officer_required
def schools_view(request, officer):
    body = officer.body
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if getattr(request, "upload_too_large", False):
            messages.error(request, storage.too_large_message())
        elif uploaded is None:
            messages.error(request, "Hãy chọn tệp danh sách trường (.xlsx hoặc .csv) rồi bấm Nhập.")
        else:
            try:
                record = import_list(body, uploaded, request.user)
            except (storage.Refused, jobs.JobFailed) as err:
                messages.error(request, str(err))
            else:
                messages.success(request, f"Đã nhập danh sách: {record.schools} trường.")
                for round_ in Round.objects.filter(body=body, is_open=True):
                    workflow.ensure_submissions(round_)
        return redirect("portal:schools")
    last_import = RosterImport.objects.filter(body=body).order_by("-at").first()
    schools = access.visible_schools(body).filter(listed=True).order_by("row", "id")
    return render(
        request,
        "portal/schools.html",
        {
            "schools": schools,
            "last_import": last_import,
            "import_findings": present.findings_by_sheet(
                {"findings": last_import.findings} if last_import else None
            ),
        },
    )


# ----------------------------------------------------------------- rounds


YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


@require_POST
@officer_required
def open_round(request, officer):
    kind = request.POST.get("kind", "")
    year = request.POST.get("school_year", "").strip()
    match = YEAR.match(year)
    try:
        deadline = dt.date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        deadline = None
    if kind not in dict(Round.KINDS):
        messages.error(request, "Hãy chọn loại đợt nộp.")
    elif not match or int(match[2]) != int(match[1]) + 1:
        messages.error(request, "Năm học ghi dạng 2026-2027 (hai năm liền nhau).")
    elif deadline is None:
        messages.error(request, "Hãy chọn hạn nộp (ngày/tháng/năm).")
    elif not access.visible_schools(officer.body).filter(listed=True).exists():
        messages.error(request, "Chưa có danh sách trường: hãy nhập danh sách trước khi mở đợt.")
    else:
        with transaction.atomic():
            round_ = Round.objects.create(
                body=officer.body,
                kind=kind,
                school_year=f"{match[1]}-{match[2]}",
                deadline=deadline,
            )
            workflow.ensure_submissions(round_)
            workflow.log(
                workflow.officer_actor(request.user),
                "Mở đợt nộp",
                user=request.user,
                round=round_,
                detail=f"{round_}; hạn nộp {deadline:%d/%m/%Y}",
            )
        messages.success(request, f"Đã mở đợt {round_}.")
        return redirect("portal:round", round_.pk)
    return redirect("portal:dashboard")


@require_POST
@officer_required
def round_toggle(request, officer, round_id: int):
    round_ = access.round_for(officer.body, round_id)
    round_.is_open = not round_.is_open
    round_.save()
    action = "Mở lại đợt nộp" if round_.is_open else "Đóng đợt nộp"
    workflow.log(workflow.officer_actor(request.user), action, user=request.user, round=round_)
    messages.success(request, f"{action}: {round_}.")
    return redirect("portal:round", round_.pk)


@require_GET
@officer_required
def round_view(request, officer, round_id: int):
    round_ = access.round_for(officer.body, round_id)
    if round_.is_open:
        workflow.ensure_submissions(round_)
    visible = access.visible_schools(officer.body)
    submissions = list(
        round_.submissions.filter(school__in=visible)
        .select_related("school", "handed_in", "round")
        .order_by("school__row", "school__id")
    )
    levels = sorted({s.school.level for s in submissions if s.school.level})
    communes = sorted({s.school.commune for s in submissions if s.school.commune})
    level, commune = request.GET.get("cap", ""), request.GET.get("xa", "")
    shown = [
        s
        for s in submissions
        if (not level or s.school.level == level) and (not commune or s.school.commune == commune)
    ]
    counts = {state: 0 for state in SHOWN_STATES}
    for s in shown:
        counts[s.shown_state] = counts.get(s.shown_state, 0) + 1
    missing = [s.school for s in shown if s.state in (Submission.MISSING, Submission.DRAFTING)]
    newest = Version.objects.filter(submission__round=round_).order_by("submission_id", "-number")
    latest: dict[int, Version] = {}
    for version in newest.only(
        "submission_id", "number", "uploaded_at", "errors", "warnings", "unreadable"
    ):
        latest.setdefault(version.submission_id, version)  # one query for the whole round
    rows = [{"submission": s, "latest": latest.get(s.pk)} for s in shown]
    return render(
        request,
        "portal/round.html",
        {
            "round": round_,
            "rows": rows,
            "counts": counts.items(),
            "levels": levels,
            "communes": communes,
            "level": level,
            "commune": commune,
            "missing_text": "\n".join(
                f"{s.name}" + (f" ({s.commune})" if s.commune else "") for s in missing
            ),
            "missing_count": len(missing),
            "in_rollup": sum(s.state in exports.IN_ROLLUP for s in submissions),
        },
    )


@require_GET
@officer_required
def submission_view(request, officer, round_id: int, school_id: int):
    round_ = access.round_for(officer.body, round_id)
    submission = access.submission_for(officer.body, round_, school_id)
    versions = list(submission.versions.all())
    shown = submission.handed_in or (versions[0] if versions else None)
    history = AuditLog.objects.filter(round=round_, school=submission.school)[:50]
    return render(
        request,
        "portal/submission.html",
        {
            "round": round_,
            "submission": submission,
            "school": submission.school,
            "versions": versions,
            "shown": shown,
            "groups": present.findings_by_sheet(shown.findings if shown else None),
            "level": present.school_level(shown.findings if shown else None),
            "history": history,
            "notes": workflow.identity_notes(submission.school, shown) if shown else [],
        },
    )


@require_POST
@officer_required
def submission_action(request, officer, round_id: int, school_id: int):
    round_ = access.round_for(officer.body, round_id)
    submission = access.submission_for(officer.body, round_, school_id)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")[:4000]
    try:
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=submission.pk)
            if action == "accept":
                workflow.accept(submission, request.user, note)
                messages.success(request, "Đã duyệt kế hoạch.")
            elif action in ("return", "reopen"):
                workflow.return_(submission, request.user, note)
                messages.success(
                    request,
                    "Đã trả lại kế hoạch cho trường kèm ghi chú."
                    if action == "return"
                    else "Đã mở lại: trường sửa, tải lên và nộp lại.",
                )
            else:
                return HttpResponseBadRequest("Thao tác không hợp lệ.")
            exports.changed(round_)
    except workflow.NotAllowed as err:
        messages.error(request, str(err))
    return redirect("portal:submission", round_.pk, school_id)


@require_GET
@officer_required
def version_file(request, officer, round_id: int, school_id: int, version_id: int):
    """The file a school uploaded, as it sent it."""
    round_ = access.round_for(officer.body, round_id)
    submission = access.submission_for(officer.body, round_, school_id)
    version = submission.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404
    return present.attachment(storage.stored_path(version.stored), version.original_name)


# ----------------------------------------------------------------- downloads


@require_GET
@officer_required
def round_download(request, officer, round_id: int, what: str):
    round_ = access.round_for(officer.body, round_id)
    stamp = f"{round_.school_year}-{timezone.localtime():%Y%m%d-%H%M}"
    made = {
        "tong-hop.xlsx": ("tong-hop.xlsx", f"tong-hop-{stamp}.xlsx", present.XLSX),
        "bao-cao.docx": ("bao-cao.docx", f"bao-cao-{stamp}.docx", present.DOCX),
    }
    if what not in (*made, "bang.zip", "tep-da-nop.zip"):
        raise Http404
    folder = exports.work_folder()
    try:
        if what == "tep-da-nop.zip":
            target = exports.handed_in_zip(round_, folder / "files.zip")
            name, kind = f"tep-da-nop-{stamp}.zip", present.ZIP
        elif what == "bang.zip":
            rollup = exports.cached_rollup(round_, ("csv", "parquet"))
            target = exports.zip_tables(rollup, folder / "bang.zip")
            name, kind = f"bang-csv-parquet-{stamp}.zip", present.ZIP
        else:
            file, name, kind = made[what]
            target = exports.cached_rollup(round_) / file
    except jobs.NothingToMerge:
        exports.discard(folder)
        messages.error(
            request, "Chưa có trường nào nộp (hoặc được duyệt) trong đợt này để tổng hợp."
        )
        return redirect("portal:round", round_.pk)
    response = present.attachment(target, name, kind)
    workflow.log(
        workflow.officer_actor(request.user), "Tải về", user=request.user, round=round_, detail=what
    )
    exports.discard(folder, target if target.parent == folder else None)
    return response


# ----------------------------------------------------------------- links


@require_GET
@officer_required
def links_view(request, officer):
    schools = access.visible_schools(officer.body).filter(listed=True).order_by("row", "id")
    active = access.linked_ids(schools)
    rows = [{"school": s, "has_link": s.pk in active} for s in schools]
    open_round = Round.objects.filter(body=officer.body, is_open=True).first()
    return render(
        request,
        "portal/links.html",
        {"rows": rows, "missing": sum(not r["has_link"] for r in rows), "open_round": open_round},
    )


@require_POST
@officer_required
def links_create(request, officer):
    """New links (shown only now): for schools without one, for all, or for one school."""
    schools = access.visible_schools(officer.body).filter(listed=True).order_by("row", "id")
    which = request.POST.get("which", "missing")
    if which == "all":
        chosen = list(schools)
    elif which == "one":
        chosen = list(schools.filter(pk=request.POST.get("school", 0) or 0))
        if not chosen:
            raise Http404
    else:
        linked = access.linked_ids(schools)
        chosen = [s for s in schools if s.pk not in linked]
    rows = []
    with transaction.atomic():
        for school in chosen:
            token = access.new_link(school)
            rows.append({"school": school, "token": token, "url": school_url(request, token)})
        if rows:
            workflow.log(
                workflow.officer_actor(request.user),
                "Tạo liên kết",
                user=request.user,
                body=officer.body,
                school=chosen[0] if len(chosen) == 1 else None,
                detail=f"{len(rows)} trường: " + ", ".join(s.name for s in chosen[:20]),
            )
    if not rows:
        messages.info(request, "Mọi trường đều đã có liên kết. Muốn đổi, bấm “Tạo lại tất cả”.")
        return redirect("portal:links")
    return render(request, "portal/links_new.html", {"rows": rows})


@require_POST
@officer_required
def links_excel(request, officer):
    """The links just made, as a sheet: only pairs whose token is the school's live link."""
    visible = access.visible_schools(officer.body)
    rows = []
    for school_id, token in zip(
        request.POST.getlist("school"), request.POST.getlist("token"), strict=False
    ):
        link = (
            visible.filter(
                pk=school_id if school_id.isdigit() else 0,
                links__token_hash=access.token_hash(token),
                links__revoked_at__isnull=True,
            )
            .distinct()
            .first()
        )
        if link is not None:
            rows.append((link, school_url(request, token)))
    if not rows:
        messages.error(request, "Không còn liên kết nào hợp lệ để ghi: hãy tạo liên kết mới.")
        return redirect("portal:links")
    folder = exports.work_folder()
    target = exports.links_workbook(rows, folder / "lien-ket.xlsx")
    response = present.attachment(target, "lien-ket-nop-ke-hoach.xlsx", present.XLSX)
    exports.discard(folder, target)
    return response


@require_GET
@officer_required
def template_download(request, officer, school_id: int):
    school = access.visible_schools(officer.body).filter(pk=school_id).first()
    if school is None:
        raise Http404
    round_ = Round.objects.filter(body=officer.body, is_open=True).first()
    return _template_response(request, school, round_, "portal:links")


def _template_response(request, school, round_, back: str, *args):
    folder = exports.work_folder()
    try:
        target = exports.prefilled_template(school, round_, folder / "mau.xlsx")
    except exports.NoTemplate as err:
        exports.discard(folder)
        messages.error(request, str(err))
        return redirect(back, *args)
    slug = "".join(c for c in (school.code or str(school.pk)) if c.isalnum())
    response = present.attachment(target, f"ke-hoach-{slug or school.pk}.xlsx", present.XLSX)
    exports.discard(folder, target)
    return response


# ----------------------------------------------------------------- audit and officers


@require_GET
@officer_required
def audit_view(request, officer):
    body = officer.body
    rounds = access.visible_rounds(body)
    schools = access.visible_schools(body)
    entries = AuditLog.objects.filter(
        Q(body=body) | Q(round__in=rounds) | Q(school__in=schools)
    ).select_related("round", "school")
    page = Paginator(entries.distinct(), 100).get_page(request.GET.get("trang"))
    return render(request, "portal/audit.html", {"page": page})


@require_http_methods(["GET", "POST"])
@officer_required
def officers_view(request, officer):
    """A Sở officer (or the first account) adds officers: its own or a ward's body."""
    manager = officer.body.kind == ManagingBody.SO or request.user.is_superuser
    if not manager:
        raise Http404
    province = officer.body.province_key
    same = Q(pk=officer.body.pk) | (Q(province_key=province) if province else Q(pk__in=[]))
    bodies = ManagingBody.objects.filter(same)
    officers = Officer.objects.filter(body__in=bodies).select_related("user", "body")
    created = None
    if request.method == "POST" and request.POST.get("reset"):
        created = _reset_password(request, officers, request.POST["reset"])
    elif request.method == "POST":
        created = _create_officer(request, officer)
    return render(
        request,
        "portal/officers.html",
        {"officers": officers, "created": created, "kinds": ManagingBody.KINDS},
    )


def _reset_password(request, officers, officer_id: str) -> dict | None:
    """A new one-time password for an officer who forgot theirs (never one's own: change it)."""
    target = officers.filter(pk=officer_id if officer_id.isdigit() else 0).first()
    if target is None:
        raise Http404
    if target.user_id == request.user.pk:
        messages.error(request, "Mật khẩu của chính mình thì đổi ở trang Đổi mật khẩu.")
        return None
    password = one_time_password()
    with transaction.atomic():
        target.user.set_password(password)
        target.user.save()
        target.must_change_password = True
        target.save()
        workflow.log(
            workflow.officer_actor(request.user),
            "Đặt lại mật khẩu",
            user=request.user,
            body=target.body,
            detail=target.user.username,
        )
    return {"username": target.user.username, "password": password, "body": target.body}


def _create_officer(request, officer) -> dict | None:
    username = request.POST.get("username", "").strip()[:150]
    full_name = request.POST.get("full_name", "").strip()[:150]
    kind = request.POST.get("kind", "")
    body_name = request.POST.get("body_name", "").strip()[:200]
    commune = request.POST.get("commune", "").strip()[:100]
    user_model = get_user_model()
    if not re.fullmatch(r"[\w.@+-]{3,150}", username):
        messages.error(request, "Tên đăng nhập gồm 3 ký tự trở lên: chữ, số, dấu . @ + - _.")
        return None
    if user_model.objects.filter(username=username).exists():
        messages.error(request, f"Đã có tài khoản “{username}”: chọn tên đăng nhập khác.")
        return None
    if kind == ManagingBody.UBND and not (body_name and commune):
        messages.error(request, "Cán bộ UBND xã/phường: ghi tên UBND và tên xã/phường.")
        return None
    with transaction.atomic():
        if kind == ManagingBody.UBND:
            body = ManagingBody.objects.filter(
                kind=kind, name=body_name, province=officer.body.province
            ).first() or ManagingBody.objects.create(
                kind=kind, name=body_name, province=officer.body.province, commune=commune
            )
        else:
            body = officer.body
        password = one_time_password()
        user = user_model.objects.create_user(username=username, password=password)
        user.first_name = full_name
        user.save()
        Officer.objects.create(user=user, body=body, must_change_password=True)
        workflow.log(
            workflow.officer_actor(request.user),
            "Tạo tài khoản cán bộ",
            user=request.user,
            body=body,
            detail=f"{username} ({body.name})",
        )
    return {"username": username, "password": password, "body": body}


def one_time_password() -> str:
    """A password to give once: easy to type, 12 letters and digits (about 70 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(14))
