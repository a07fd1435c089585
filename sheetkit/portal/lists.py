"""The list of schools an officer imports (danh sách workbook or CSV), and the list a roll-up uses."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.db import transaction

from ..model.roster import (
    ReportingBody,
    Roster,
    RosterSchool,
    body_kind,
    code_key,
    commune_key,
    name_key,
)
from . import storage, workflow
from .intake import pool
from .models import ManagingBody, RosterImport, School

LIST_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv")


def import_list(body: ManagingBody, uploaded, user) -> RosterImport:
    """Read a list in the isolated pool, store it, and bring the body's schools up to date.

    A school already known (same Mã trường, else same name in the same
    xã/phường) keeps its links and hand-ins; a school the new list leaves out
    stays in past rounds but is no longer listed. ``storage.Refused`` or
    ``jobs.JobFailed`` (with the reason) when the list cannot be used.
    """
    source = Path(uploaded.temporary_file_path())
    if Path(uploaded.name or "").suffix.lower() in (".csv", ".txt"):
        suffix = ".csv"
    else:
        suffix = storage.workbook_suffix(source)
    stored = storage.store(source, suffix)
    roster, report = pool().run("roster", str(stored.path))
    findings = [f.to_dict() for f in report.findings]
    usable = [s for s in roster.schools if s.name]
    if roster.structure or not usable:
        reason = roster.structure[0].message if roster.structure else "danh sách chưa có trường nào"
        raise storage.Refused(f"Không dùng được danh sách này: {reason}")
    with transaction.atomic():
        _update_schools(body, usable)
        if roster.body is not None and roster.body.name:
            _update_body(body, roster.body)
        record = RosterImport.objects.create(
            body=body,
            by=user,
            original_name=(uploaded.name or "danh-sach")[:255],
            digest=stored.digest,
            stored=stored.relative,
            schools=len(usable),
            findings=findings,
        )
        workflow.log(
            workflow.officer_actor(user),
            "Nhập danh sách trường",
            user=user,
            body=body,
            detail=f"{record.original_name}: {len(usable)} trường, "
            f"{report.errors} lỗi, {report.warnings} cảnh báo",
        )
    return record


def _update_body(body: ManagingBody, header: ReportingBody) -> None:
    """The list's Đơn vị tổng hợp names the body: its report header, and what it is."""
    fields = dataclasses.asdict(header)
    fields.pop("errors", None)
    body.report_header = fields
    body.name = (header.name or body.name)[:200]
    kind = body_kind(header.name)
    if kind in (ManagingBody.UBND, ManagingBody.SO):
        body.kind = kind
    if header.province:
        body.province = header.province[:100]
    if header.commune or body.kind == ManagingBody.SO:
        body.commune = (header.commune or "")[:100]
    body.save()


def _update_schools(body: ManagingBody, listed: list[RosterSchool]) -> None:
    known = list(School.objects.filter(body=body))
    by_code = {code_key(s.code): s for s in known if s.code}
    by_name = {(name_key(s.name), commune_key(s.commune)): s for s in known}
    kept: set[int] = set()
    for entry in listed:
        school = by_code.get(code_key(entry.code)) if entry.code else None
        school = school or by_name.get((name_key(entry.name), commune_key(entry.commune)))
        school = school or School(body=body)
        for field, value in _fields(entry).items():
            setattr(school, field, value)
        school.listed = True
        school.save()
        kept.add(school.pk)
    School.objects.filter(body=body).exclude(pk__in=kept).update(listed=False)


def _fields(entry: RosterSchool) -> dict:
    text = lambda value: str(value or "")  # noqa: E731
    return {
        "row": entry.row,
        "code": text(entry.code)[:40],
        "name": text(entry.name)[:300],
        "level": text(entry.school_level)[:60],
        "ownership": text(entry.ownership)[:40],
        "commune": text(entry.commune)[:100],
        "province": text(entry.province)[:100],
        "managing_body": text(entry.managing_body)[:200],
        "contact": text(entry.contact)[:200],
        "phone": text(entry.phone)[:60],
        "email": text(entry.email)[:200],
    }


def roster_of(body: ManagingBody, schools) -> Roster:
    """The list a roll-up matches plans against: the round's schools, and the body's header."""
    entries = [
        RosterSchool(
            row=s.row,
            code=s.code or None,
            name=s.name or None,
            school_level=s.level or None,
            ownership=s.ownership or None,
            commune=s.commune or None,
            province=s.province or None,
            managing_body=s.managing_body or None,
            contact=s.contact or None,
            phone=s.phone or None,
            email=s.email or None,
        )
        for s in schools
    ]
    header = dict(body.report_header or {})
    reporting = None
    if header.get("name"):
        for key in ("authority", "recipients"):
            header[key] = tuple(header.get(key) or ())
        known = {f.name for f in dataclasses.fields(ReportingBody)} - {"errors"}
        reporting = ReportingBody(**{k: v for k, v in header.items() if k in known})
    return Roster(source="danh sách trường", schools=entries, body=reporting)
