"""What officers and schools download: the round's roll-up, tables, files, links, templates.

The roll-up is ``jobs.merge_stored`` over the handed-in versions' stored
results: the same workbook, report and tables ``merge --roster --report``
writes for the same files, made without reading any of them again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .. import jobs
from ..model import catalog
from . import intake, storage
from .lists import roster_of
from .models import Round, School, Submission, Version

# States whose handed-in version is in the roll-up (a returned plan waits for its new one).
IN_ROLLUP = (Submission.HANDED_IN, Submission.ACCEPTED)

logger = logging.getLogger(__name__)


def work_folder() -> Path:
    """A private folder in DATA/tmp for one download (swept at the next start if left)."""
    return Path(tempfile.mkdtemp(prefix="dl-", dir=storage.data_folder() / "tmp"))


def rollup_name(submission: Submission) -> str:
    """A handed-in file's name in the roll-up and the zip: the school's code (or number), its name."""
    version = submission.handed_in
    school = submission.school
    prefix = "".join(c for c in (school.code or f"truong-{school.pk}") if c.isalnum() or c in "-_")
    return f"{prefix or school.pk}-{version.original_name}"


def handed_in(round_: Round) -> list[Submission]:
    return list(
        round_.submissions.filter(state__in=IN_ROLLUP, handed_in__isnull=False)
        .select_related("school", "handed_in")
        .order_by("school__row", "school__id")
    )


def build_rollup(round_: Round, folder: Path, tables: Iterable[str] = ()) -> Path:
    """Write tong-hop.xlsx, bao-cao.docx (and the tables asked for) of the round into ``folder``.

    Results reduced by an older sheetkit are read again (in the pool) and stored anew.
    """
    submissions = handed_in(round_)
    plans = []
    for submission in submissions:
        version = submission.handed_in
        plans.append(
            jobs.StoredPlan(
                name=rollup_name(submission),
                modified=version.uploaded_posix,
                result=version.reduced_result(),
                version=version.reduced_version,
                path=storage.stored_path(version.stored),
            )
        )
    schools = School.objects.filter(submissions__round=round_, listed=True).order_by("row", "id")
    jobs.merge_stored(
        plans,
        folder / "tong-hop.xlsx",
        roster=roster_of(round_.body, schools),
        report=folder / "bao-cao.docx",
        tables={kind: folder / kind for kind in tables},
        at=round_.review_month(),
        reread=intake.rereader,
    )
    for submission, plan in zip(submissions, plans, strict=True):
        version = submission.handed_in
        if plan.version != version.reduced_version:
            Version.objects.filter(pk=version.pk).update(
                reduced=Version.pack(plan.result), reduced_version=plan.version
            )
    return folder


def rollup_key(round_: Round, tables: Iterable[str]) -> str:
    """What a round's roll-up depends on: the same key, the same files (so they are kept)."""
    import hashlib

    from django.utils import timezone

    from ..merging.rollup import reduced_format

    submissions = round_.submissions.filter(state__in=IN_ROLLUP).values_list(
        "pk", "state", "handed_in_id", "handed_in__digest", "handed_in__original_name"
    )
    schools = School.objects.filter(submissions__round=round_, listed=True).values_list(
        "pk", "row", "code", "name", "level", "ownership", "commune", "province", "managing_body"
    )
    parts = (
        round_.pk,
        sorted(submissions),
        sorted(schools),
        round_.body.name,
        sorted((round_.body.report_header or {}).items()),
        round_.review_month(),
        timezone.localdate().isoformat(),  # this month's progress, the report's date
        reduced_format(),
        sorted(tables),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_rollup(round_: Round, tables: Iterable[str] = ()) -> Path:
    """The folder of the round's roll-up as it stands, made once per state of the round.

    The officer downloads the workbook, then the report, then the tables: only
    the first waits. A state made anew replaces the round's older folders.
    """
    import shutil

    tables = tuple(sorted(tables))
    root = storage.data_folder() / "derived"
    folder = root / f"rollup-{round_.pk}-{rollup_key(round_, tables)[:32]}"
    if (folder / "done").exists():
        return folder
    partial = Path(tempfile.mkdtemp(prefix=".part-rollup-", dir=root))
    try:
        build_rollup(round_, partial, tables)
        (partial / "done").write_text("")
        for old in root.glob(f"rollup-{round_.pk}-*"):
            if old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
        # OSError: another request made the same state at the same time.
        with contextlib.suppress(OSError):
            os.replace(partial, folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


class Prebuilder:
    """Builds a round's roll-up in the background after each change, so the officer's
    download (workbook and report) is ready when asked for instead of taking seconds.

    One build per round at a time; a change during a build builds once more after it.
    Off unless ``sheetkit serve`` turns it on (tests run the views in a transaction that
    another thread cannot see).
    """

    def __init__(self) -> None:
        self.enabled = False
        self._lock = threading.Lock()
        self._running: set[int] = set()
        self._dirty: set[int] = set()

    def soon(self, round_id: int) -> None:
        """The round changed: build its roll-up again, in the background."""
        if not self.enabled:
            return
        with self._lock:
            self._dirty.add(round_id)
            if round_id in self._running:
                return
            self._running.add(round_id)
        threading.Thread(
            target=self._run, args=(round_id,), name=f"rollup-{round_id}", daemon=True
        ).start()

    def _run(self, round_id: int) -> None:
        from django.db import connection

        try:
            while True:
                with self._lock:
                    if round_id not in self._dirty:
                        self._running.discard(round_id)
                        return
                    self._dirty.discard(round_id)
                try:
                    cached_rollup(Round.objects.get(pk=round_id))
                except Exception:  # the officer's download builds it again and says why
                    logger.exception("background roll-up of round %s failed", round_id)
        finally:
            with self._lock:
                self._running.discard(round_id)
            connection.close()


PREBUILD = Prebuilder()


def open_rounds() -> list[int]:
    return list(Round.objects.filter(is_open=True).values_list("pk", flat=True))


def changed(round_: Round) -> None:
    """A change to what the round's roll-up holds: build it anew once the change is saved."""
    from django.db import transaction

    transaction.on_commit(lambda: PREBUILD.soon(round_.pk))


def zip_tables(folder: Path, target: Path) -> Path:
    """The CSV and Parquet tables of a roll-up folder, as one .zip."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in ("csv", "parquet"):
            for path in sorted((folder / kind).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return target


def handed_in_zip(round_: Round, target: Path) -> Path:
    """Every handed-in file of the round, as the school sent it, named as in the roll-up."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in handed_in(round_):
            path = storage.stored_path(submission.handed_in.stored)
            archive.write(path, rollup_name(submission))
    return target


def links_workbook(rows: list[tuple[School, str]], target: Path) -> Path:
    """The schools' links as a sheet to send out (every text written as inert text)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..writing.files import set_text

    book = Workbook()
    sheet = book.active
    sheet.title = "Liên kết nộp kế hoạch"
    headers = ("STT", "Mã trường", "Tên trường", "Cấp học", "Xã/phường", "Liên kết nộp kế hoạch")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, header)
        cell.font = Font(bold=True)
    for n, (school, url) in enumerate(rows, start=1):
        values = (n, school.code, school.name, school.level, school.commune, url)
        for column, value in enumerate(values, start=1):
            set_text(sheet.cell(row=n + 1, column=column), value)
    for letter, width in zip("ABCDEF", (6, 14, 40, 16, 24, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(target)
    return target


class NoTemplate(Exception):
    """The school's Cấp học names no template; ``str(err)`` is for the user."""


def prefilled_template(school: School, round_: Round | None, target: Path) -> Path:
    """The Thông tư 57 template of the school's level with its identity already filled in."""
    from ..writing.templates import build_template

    names = {level: name for name, level in catalog.TT57_TEMPLATES.items()}
    name = names.get(school.level)
    if name is None:
        raise NoTemplate(
            f"Cấp học “{school.level or 'chưa ghi'}” của trường trong danh sách không khớp mẫu "
            "nào: cơ quan quản lý cần sửa Cấp học trong danh sách trường."
        )
    info = {
        "school_name": school.name,
        "school_code": school.code or None,
        "commune": school.commune or None,
        "province": school.province or None,
    }
    if round_ is not None:
        info["school_year"] = round_.school_year
    build_template(name, target, {"info": {k: v for k, v in info.items() if v}})
    return target


def discard(folder: Path, served: Path | None = None) -> None:
    """Remove a download's work folder; ``served`` (open for the answer) is unlinked now
    where the system allows (POSIX keeps an open file readable), else swept at the next start."""
    import shutil

    if served is not None:
        remove_later(served)
    shutil.rmtree(folder, ignore_errors=True)


def remove_later(path: Path) -> None:
    """Unlink a served temporary file now (POSIX keeps it readable while open); else at next start."""
    with contextlib.suppress(OSError):
        os.unlink(path)
