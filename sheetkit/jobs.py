"""Jobs: what a command or an Excel button does, from reading a plan to the file written.

Every job follows one sequence: read (a file, or the grids of a workbook
open in Excel) -> check -> act, or refuse with the same message. The command
line and the Excel buttons call these functions and only present the result,
so neither repeats the sequence and both say the same thing.

Outputs are chosen by suffix from the tables below, never by if-chains.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import layouts
from .model.findings import Report
from .model.plan import Plan
from .reading.sources import Workbook
from .writing.files import UsageError, guard_output, same_file

if TYPE_CHECKING:
    from .merging.rollup import Rollup
    from .model.roster import Roster
    from .writing.plan_text import Document

PathLike = str | os.PathLike[str]


@dataclass
class Checked:
    """A plan read and checked: what every job starts from."""

    name: str  # the file as the user named it (or the open workbook's name)
    plan: Plan
    report: Report
    at: int | None = None  # the review month, when the plan was reviewed too

    def facts(self) -> dict:
        """Plan facts the JSON output adds: ``school_level`` where the layout has one (TT57)."""
        level = layouts.of(self.plan).school_level(self.plan)
        return {"school_level": level} if level is not None else {}

    def headline(self) -> str | None:
        """Lines about the plan for people: the school's level now and after, where it has one."""
        return "\n".join(layouts.of(self.plan).school_level_lines(self.plan)) or None


def _annotate(path: PathLike, checked: Checked, output: PathLike) -> None:
    """Copy the checked file with its findings, and the school's level, shown inside it."""
    from .writing.annotate import annotate_workbook

    findings, names = checked.report.findings, checked.plan.sheet_names
    annotate_workbook(path, findings, output, names, checked.headline())


def read_source(source: PathLike | Workbook, name: str | None = None) -> Plan:
    """Read one plan: a workbook file, or a workbook's grids (the Excel glue).

    Raises ``ReadError`` (Vietnamese reason) when a file cannot be read.
    """
    from .reading.reader import plan_from_workbook, read_plan

    if isinstance(source, Workbook):
        return plan_from_workbook(source, source=name or "")
    return read_plan(source)


def check_source(
    source: PathLike | Workbook, name: str | None = None, at: int | None = None
) -> Checked:
    """Read and check one plan (see ``read_source``); ``at``: also review it at that month."""
    from .checking.validation import check_plan

    plan = read_source(source, name)
    return Checked(name or str(source), plan, Report(check_plan(plan, at)), at)


def check_file(
    path: PathLike, *, annotate: PathLike | None = None, at: int | None = None
) -> Checked:
    """Check a plan file; with ``annotate``, also write a copy showing the findings in its cells.

    ``at`` (a month index): also review a Thông tư 57 plan's progress at that month.
    """
    if annotate is not None and Path(annotate).suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError("bản có đánh dấu (--annotate) phải có đuôi .xlsx")
    _guard_annotate(path, annotate)
    checked = check_source(path, at=at)
    if annotate is not None:
        _annotate(path, checked, annotate)
    return checked


def is_roster_file(path: PathLike) -> bool:
    """The file is a list of schools (danh sách trường), not a plan: `check` checks it as such."""
    from .reading.roster import is_roster

    return is_roster(path)


def check_roster_file(path: PathLike, *, annotate: PathLike | None = None) -> tuple[Roster, Report]:
    """Read and check a list of schools: every problem with its sheet, cell and what to do."""
    from .checking.roster import check_roster
    from .reading.roster import read_roster

    if annotate is not None:
        raise UsageError(
            "bản có đánh dấu (--annotate) chỉ dùng cho tệp kế hoạch, không cho danh sách trường"
        )
    roster = read_roster(path)
    return roster, Report(check_roster(roster))


def _guard_annotate(path: PathLike, annotate: PathLike | None) -> None:
    if annotate is not None:
        guard_output(annotate, [path], what="bản có đánh dấu (--annotate)", option="--annotate")


def review_file(
    path: PathLike, *, at: int | None = None, annotate: PathLike | None = None
) -> tuple[Checked, object]:
    """Check a Thông tư 57 plan and review its progress at month ``at`` (default: this month).

    Returns (checked, review) where review is a ``checking.review.Review``.
    Raises ``UsageError`` for a 2018 plan, which has no progress to review.
    """
    import datetime as dt

    from .checking.review import review_plan

    if at is None:
        today = dt.date.today()
        at = today.year * 12 + today.month - 1
    _guard_annotate(path, annotate)
    checked = check_source(path, at=at)
    layout = layouts.of(checked.plan)
    if not layout.reviewable:
        raise UsageError(
            "rà soát tiến độ dùng cho kế hoạch theo Thông tư 57/2026 (cột Mức độ thực hiện, "
            f"trang Theo dõi); kế hoạch này theo {layout.short_name}"
        )
    if annotate is not None:
        _annotate(path, checked, annotate)
    return checked, review_plan(checked.plan, at)


@dataclass
class Reported:
    """A review report written: the checked plan, the review, the document, where it went."""

    checked: Checked
    review: object  # checking.review.Review
    document: Document
    output: Path


def review_report_file(path: PathLike, output: PathLike, *, at: int | None = None) -> Reported:
    """Write the Báo cáo rà soát of a Thông tư 57 plan at month ``at`` (.docx or a sheet).

    Written whatever the plan's findings (the report is about where the plan
    stands); ``UsageError`` for a 2018 plan or an output it cannot write.
    """
    from .writing.review_report import SHEET_REPORT, review_document

    check_render_target(path, output)
    checked, review = review_file(path, at=at)
    document = review_document(checked.plan, review)
    if Path(output).suffix.lower() == ".docx":
        _render_word(path, document, output)
    else:
        from .writing.printed import render_xlsx

        render_xlsx(path, document, output, sheet=SHEET_REPORT)
    return Reported(checked, review, document, Path(output))


def next_file(path: PathLike, output: PathLike) -> object:
    """Write next school year's Thông tư 57 workbook from a plan file (TT57 or 2018).

    Returns the ``writing.next_year.NextYear`` with what was carried over.
    """
    from .writing.next_year import next_year
    from .writing.templates import build_template

    if Path(output).suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError("tệp kế hoạch mới phải có đuôi .xlsx (hoặc .xlsm để có nút bấm)")
    guard_output(output, [path], what="tệp kế hoạch mới (-o)")
    plan = read_source(path)
    if plan.value("school_year") is None:
        raise UsageError("kế hoạch năm nay chưa ghi năm học: sửa trang Thông tin rồi chạy lại")
    result = next_year(plan)
    build_template(result.template, output, result.data)
    return result


# ----------------------------------------------------------------- render


def _render_sheet(source: PathLike, document: Document, output: PathLike) -> None:
    from .writing.printed import render_xlsx

    render_xlsx(source, document, output)


def _render_word(source: PathLike, document: Document, output: PathLike) -> None:
    from .writing.printed import render_docx

    render_docx(document, output)


# Output suffix -> writer of the rendered plan.
RENDER_FORMATS: dict[str, Callable[[PathLike, Document, PathLike], None]] = {
    ".xlsx": _render_sheet,
    ".xlsm": _render_sheet,
    ".docx": _render_word,
}


@dataclass
class Rendered:
    checked: Checked
    document: Document
    output: Path | None = None


def render_checked(checked: Checked, *, draft: bool = False) -> Document:
    """The official document of a checked plan; ``RenderRefused`` if it has errors and no draft."""
    from .writing.printed import render_plan

    return render_plan(checked.plan, checked.report.findings, draft=draft)


def check_render_target(source: PathLike, output: PathLike) -> None:
    """Refuse, before any work, an output the render cannot write."""
    suffix = Path(output).suffix.lower()
    if suffix not in RENDER_FORMATS:
        raise UsageError("tệp kết quả phải có đuôi .xlsx, .xlsm hoặc .docx")
    if suffix == ".xlsm" and Path(source).suffix.lower() != ".xlsm":
        raise UsageError("chỉ ghi .xlsm khi tệp kế hoạch là .xlsm; hãy dùng đuôi .xlsx")
    guard_output(output, [source], what="tệp kết quả (-o)")


def render_file(path: PathLike, output: PathLike, *, draft: bool = False) -> Rendered:
    """Read, check and render a plan file to ``output`` (.xlsx/.xlsm sheet or .docx).

    Raises ``UsageError`` for an output it cannot write, ``ReadError`` for an
    unreadable plan, ``RenderRefused`` for a plan with errors (unless ``draft``).
    """
    check_render_target(path, output)
    checked = check_source(path)
    document = render_checked(checked, draft=draft)
    RENDER_FORMATS[Path(output).suffix.lower()](path, document, output)
    return Rendered(checked, document, Path(output))


# ----------------------------------------------------------------- merge


class NothingToMerge(Exception):
    """No file at all under the given paths; ``str(err)`` is for the user."""


def merge_paths(
    paths: Iterable[PathLike],
    output: PathLike,
    *,
    tables: dict[str, PathLike] | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    exclude: Iterable[PathLike] = (),
    at: int | None = None,
    roster: PathLike | None = None,
    report: PathLike | None = None,
) -> Rollup:
    """Roll up every plan under ``paths`` into the summary workbook ``output``.

    ``roster``: the list of schools (danh sách trường): every listed school is
    matched to its plan, and the summary says who has not handed in.
    ``report``: also write the report the body signs and sends upward (.docx).

    ``tables`` maps a table format ("csv", "parquet") to the folder its
    tables are written to; ``at``: the month (index) Thông tư 57 plans'
    progress is judged at, this month by default. Raises ``UsageError`` for
    an output it cannot write and ``NothingToMerge`` when a path does not
    exist or no file was found (nothing is written then).
    """
    from .merging.rollup import merge
    from .validators.files import merge_missing

    paths = list(paths)
    sources = [*paths, *([roster] if roster is not None else [])]
    tables = _check_merge_outputs(output, report, tables, sources, paths)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:  # like an empty folder: nothing is written
        raise NothingToMerge(merge_missing(missing[0]))
    listed = read_roster_for_merge(roster) if roster is not None else None
    skip = [output, *exclude, *([roster] if roster is not None else [])]
    rollup = merge(paths, workers=workers, progress=progress, exclude=skip, at=at)
    if rollup.files.empty:
        raise NothingToMerge("Không tìm thấy tệp nào trong các đường dẫn đã cho.")
    _write_rollup(rollup, output, listed=listed, report=report, tables=tables, at=at)
    return rollup


def _check_merge_outputs(
    output: PathLike,
    report: PathLike | None,
    tables: dict[str, PathLike] | None,
    sources: list[PathLike],
    plans: list[PathLike],
) -> dict[str, PathLike]:
    """Refuse, before any work, outputs a roll-up cannot write; the table folders asked for."""
    from .writing.summary import TABLE_FORMATS

    if Path(output).suffix.lower() != ".xlsx":
        raise UsageError("tệp tổng hợp phải có đuôi .xlsx")
    if report is not None and Path(report).suffix.lower() != ".docx":
        raise UsageError("báo cáo (--report) phải có đuôi .docx")
    guard_output(output, sources, what="tệp tổng hợp (-o)")
    if report is not None:
        if same_file(report, output):
            raise UsageError("báo cáo (--report) phải là một tệp khác tệp tổng hợp (-o).")
        guard_output(report, sources, what="báo cáo (--report)", option="--report")
    tables = dict(tables or {})
    for kind, folder in tables.items():
        if kind not in TABLE_FORMATS:
            raise UsageError(
                f"không có định dạng bảng '{kind}' (chỉ có: {', '.join(TABLE_FORMATS)})"
            )
        guard_output(folder, plans, what=f"các bảng (--{kind})", option=f"--{kind}")
    if "parquet" in tables:
        try:
            import pyarrow  # noqa: F401
        except ImportError as err:
            raise UsageError("ghi Parquet cần thư viện pyarrow: pip install pyarrow") from err
    return tables


def _write_rollup(
    rollup: Rollup,
    output: PathLike,
    *,
    listed: Roster | None,
    report: PathLike | None,
    tables: dict[str, PathLike],
    at: int | None,
) -> None:
    """Match the list, then write the summary workbook, the tables and the report.

    One path for ``merge_paths`` (files on disk) and ``merge_stored`` (the
    portal's stored results), so both write the same roll-up of the same plans.
    """
    import time

    from .writing.summary import write_summary, write_table_sets

    if listed is not None:
        from .merging.roster_match import match_roster

        rollup.roster = match_roster(listed, rollup.schools)
    document = None
    if report is not None:
        from .writing.body_report import FROM_PLANS, body_report, named

        body = listed.body if listed is not None else None
        document = body_report(rollup, body, at=at)
        if not named(body):
            rollup.notices.append(FROM_PLANS)
    started = time.perf_counter()
    write_summary(rollup, output, report=document)
    rollup.timings["write"] = time.perf_counter() - started
    write_table_sets(rollup, tables)
    if document is not None:
        from .writing.printed import render_docx

        render_docx(document, report)


def read_roster_for_merge(path: PathLike) -> Roster:
    """The list of schools for ``merge --roster``; refused when it has no school to match.

    Its other problems do not stop the roll-up: `sheetkit check` on the list shows them.
    """
    from .reading.roster import read_roster

    listed = read_roster(path)
    if listed.structure or not any(s.name for s in listed.schools):
        reason = listed.structure[0].message if listed.structure else "danh sách chưa có trường nào"
        raise UsageError(f"không dùng được danh sách trường {path}: {reason}")
    return listed


# ----------------------------------------------------------------- fix


@dataclass
class Fixed:
    """What ``fix_file`` changed, per sheet: cells converted from TCVN3/VNI, cells made NFC."""

    output: Path
    converted: dict[str, int]
    normalised: dict[str, int]


FIX_SUFFIXES = (".xlsx", ".xlsm")


def fix_file(path: PathLike, output: PathLike) -> Fixed:
    """Write a copy of a workbook with legacy text converted to Unicode and all text NFC.

    Only string cells change: text typed in TCVN3 or VNI becomes Unicode
    (what the reader already shows), every other text is NFC-normalised (a
    workbook from a Mac may hold NFD). Formulas, formats, dropdowns, defined
    names and macros (.xlsm to .xlsm) are kept as openpyxl keeps them.
    Raises ``UsageError`` for an output it cannot write, ``ReadError`` for an
    unreadable workbook.
    """
    import unicodedata

    from .reading.sources import ReadError, open_workbook
    from .reading.text import legacy_encoding, to_unicode
    from .writing.files import atomic_path, open_for_copy, stamp_copy

    source, target = Path(path).suffix.lower(), Path(output).suffix.lower()
    if target not in FIX_SUFFIXES:
        raise UsageError("tệp kết quả phải có đuôi .xlsx hoặc .xlsm")
    guard_output(output, [path], what="tệp kết quả (-o)")
    if source not in FIX_SUFFIXES:
        raise UsageError(
            "sheetkit fix chỉ sửa tệp .xlsx hoặc .xlsm; hãy mở tệp bằng Excel và lưu thành .xlsx"
        )
    if target == ".xlsm" and source != ".xlsm":
        raise UsageError("chỉ ghi .xlsm khi tệp kế hoạch là .xlsm; hãy dùng đuôi .xlsx")
    open_workbook(path)  # a missing, empty, damaged or locked file: the usual reason
    try:
        book = open_for_copy(path, output)
    except (ReadError, MemoryError):
        raise  # its own reason (too large, XML openpyxl refuses, memory): not "damaged"
    except Exception as err:  # openpyxl raises many types for what calamine still reads
        raise ReadError("damaged", detail=type(err).__name__) from err
    converted: dict[str, int] = {}
    normalised: dict[str, int] = {}
    for ws in book.worksheets:
        # The cells the file holds (iter_rows would create every empty cell of the range).
        for cell in list(ws._cells.values()):
            text = cell.value
            if not isinstance(text, str) or cell.data_type != "s":
                continue  # numbers, dates, formulas: untouched
            encoding = legacy_encoding(text)
            fixed = to_unicode(text, encoding) if encoding else unicodedata.normalize("NFC", text)
            if fixed == text:
                continue
            cell.value = fixed
            cell.data_type = "s"  # text stays text, even one starting with "="
            counts = converted if encoding else normalised
            counts[ws.title] = counts.get(ws.title, 0) + 1
    stamp_copy(book, "fix")
    with atomic_path(output) as tmp:
        book.save(tmp)
    return Fixed(Path(output), converted, normalised)


# ----------------------------------------------------------------- intake (the portal)
#
# A school's upload is read once, in a worker process (``IsolatedPool``): what
# `check --format json` says, who the plan says the school is, and what the
# roll-up keeps of it (``read_batch``'s reduced result). The portal stores the
# result, so a roll-up of a round only assembles stored results (``merge_stored``).

# What read_batch skips is refused at intake (``rollup.not_a_plan``): the kind, for the
# portal to say what to do.
REFUSED_ROSTER, REFUSED_ROLLUP, REFUSED_ANNOTATED = (
    "roster",
    "sheetkit_output",
    "sheetkit_annotated",
)


def intake_file(path: PathLike, name: str, at: int | None = None) -> dict:
    """Read and check one uploaded plan once; a small picklable dict of everything kept.

    Keys: ``version`` (``reduced_format()`` of this code); ``check``: the
    document `sheetkit check --format json` prints for the file (named
    ``name``), with ``school_level`` for a Thông tư 57 plan, or its ``error``
    when unreadable; ``identity``: who the plan says the school is (to match
    against the list), None when unreadable; ``reduced``: what ``read_batch``
    gives for the file (without its ``index``), which ``merge_stored`` rolls
    up; ``refused``: ``REFUSED_*`` when the file is not a school's plan;
    ``error``: why it was not read (Vietnamese), else None. With ``at`` (a
    review round's month) ``check`` is what `check --at` prints: the plan's
    progress reviewed too (the reduced result stays the roll-up's, as merge reads it).
    """
    import json

    from .merging.rollup import (
        OUT_OF_MEMORY,
        UNEXPECTED,
        _validate,
        not_a_plan,
        reduce_plan,
        reduced_format,
    )
    from .model.findings import to_json
    from .reading.reader import plan_from_workbook
    from .reading.sources import ReadError, open_workbook

    answer: dict = {"version": reduced_format(), "identity": None, "reduced": None}
    answer.update(refused=None, error=None)

    def unreadable(reason: str) -> dict:
        answer["error"] = reason
        answer["check"] = {"file": name, "error": reason, "findings": [], "summary": None}
        return answer

    try:
        book = open_workbook(path)
        skipped = not_a_plan(book)
        if skipped is not None:
            answer["refused"] = skipped[0]
            return unreadable(skipped[1])
        plan = plan_from_workbook(book, source=name)
        (findings,) = _validate([plan])
        if isinstance(findings, Exception):
            raise findings
    except ReadError as err:
        return unreadable(str(err))
    except MemoryError:
        return unreadable(OUT_OF_MEMORY)
    except Exception:  # a damaged file can break a reader in unexpected ways
        return unreadable(UNEXPECTED)
    shown = findings
    if at is not None:
        from .checking.validation import check_plan

        try:
            shown = check_plan(plan, at)
        except MemoryError:
            return unreadable(OUT_OF_MEMORY)
        except Exception:
            return unreadable(UNEXPECTED)
    checked = Checked(name, plan, Report(shown), at)
    answer["check"] = json.loads(to_json(name, checked.report, checked.facts()))
    reduced = {**reduce_plan(0, plan, findings), "saved": book.saved}
    del reduced["index"]
    answer["reduced"] = reduced
    circular = plan.circular
    answer["identity"] = {
        **{key: reduced["school"][key] for key in IDENTITY_KEYS},
        "circular_name": circular.short_name if circular else "",
        "layout": plan.layout,
    }
    return answer


# Who a plan says the school is (keys of the roll-up's school row).
IDENTITY_KEYS = (
    "school_name",
    "school_code",
    "school_level",
    "commune",
    "district",
    "province",
    "school_year",
    "circular",
)


def annotate_copy(path: PathLike, output: PathLike) -> None:
    """Write the annotated copy of a plan (what `check --annotate` writes)."""
    check_file(path, annotate=output)


def draft_document(path: PathLike, output: PathLike) -> None:
    """Write a plan's printed document as a draft, errors or not (`render --draft`)."""
    render_file(path, output, draft=True)


# ----------------------------------------------------------------- isolated pool


class JobFailed(Exception):
    """A pooled job could not be carried out; ``str(err)`` is for the user (Vietnamese)."""


# Jobs a pool worker runs, by name: only these, never code the caller sends.
POOL_JOBS: dict[str, Callable] = {
    "intake": intake_file,
    "annotate": annotate_copy,
    "draft": draft_document,
    "roster": check_roster_file,
}
POOL_MEMORY_MB = 1536  # address space of a worker (RLIMIT_AS): a plan needs far less
POOL_SECONDS = 60.0  # a job still running after this is stuck: its worker is killed
# Imported once by the process the workers fork from, so a worker starts in milliseconds.
POOL_PRELOAD = [
    "sheetkit.jobs",
    "sheetkit.merging.rollup",
    "sheetkit.checking.validation",
    "sheetkit.reading.reader",
    "sheetkit.writing.annotate",
    "sheetkit.writing.printed",
    "sheetkit.layouts",
]


class IsolatedPool:
    """Worker processes that read what strangers upload, one job each at a time.

    Many threads (a web server's) call ``run`` at once; each job gets an idle
    worker or a new one, up to ``workers``. A worker has a memory limit
    (RLIMIT_AS) and the job a time limit: a worker that crashes (a native
    reader aborting), overruns or runs out of memory is killed and replaced,
    and only that job fails, with a Vietnamese reason. Workers start from a
    fork server that imported sheetkit once (Linux), never from a fresh
    interpreter per upload, and die with their parent. As with any multiprocessing
    outside fork, a script that makes a pool runs its work under
    ``if __name__ == "__main__":`` (workers import the main module).
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        memory_mb: int = POOL_MEMORY_MB,
        seconds: float = POOL_SECONDS,
    ) -> None:
        import queue
        import threading

        self.workers = workers or max(2, os.cpu_count() or 1)
        self.memory_mb, self.seconds = memory_mb, seconds
        self._context = _pool_context()
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(self.workers)
        self._lock = threading.Lock()
        self._live: set = set()
        self._closed = False

    def run(self, job: str, *args: object, seconds: float | None = None) -> object:
        """Run ``POOL_JOBS[job](*args)`` in a worker; its result, or ``JobFailed``."""
        from .validators import files as file_reasons

        if job not in POOL_JOBS:
            raise ValueError(f"unknown pool job: {job}")
        limit = seconds or self.seconds
        with self._slots:
            worker = self._take()
            try:
                worker[1].send((job, args))
                if not worker[1].poll(limit):
                    self._discard(worker)
                    raise JobFailed(file_reasons.unreadable("reader_timeout", seconds=int(limit)))
                status, value = worker[1].recv()
            except (EOFError, OSError, BrokenPipeError) as err:
                self._discard(worker)
                raise JobFailed(file_reasons.unreadable("reader_crashed")) from err
            self._idle.put(worker)
        if status != "ok":
            raise JobFailed(value)
        return value

    def warm(self) -> None:
        """Start every worker now (the fork server imports sheetkit once), not at the first job."""
        started = [self._take() for _ in range(self.workers)]
        for worker in started:
            self._idle.put(worker)

    def _take(self):
        import queue

        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        conn, child = self._context.Pipe()
        process = self._context.Process(
            target=_pool_worker_main, args=(child, self.memory_mb), daemon=True
        )
        process.start()
        child.close()
        worker = (process, conn)
        with self._lock:
            self._live.add(worker)
        return worker

    def _discard(self, worker) -> None:
        process, conn = worker
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        conn.close()
        with self._lock:
            self._live.discard(worker)

    def close(self) -> None:
        """End every worker (an idle one exits when its pipe closes)."""
        with self._lock:
            live = list(self._live)
        for worker in live:
            self._discard(worker)


def _pool_context():
    """A fork server with sheetkit imported (Linux); elsewhere fresh interpreters, once each."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(POOL_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _pool_worker_main(conn, memory_mb: int) -> None:
    """A pool worker: limits itself, then runs jobs until its pipe closes."""
    import signal

    from .merging.rollup import OUT_OF_MEMORY, UNEXPECTED, _silence_native_errors
    from .reading.sources import ReadError
    from .writing.plan_text import RenderRefused

    _limit_memory(memory_mb)
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    _silence_native_errors()
    while True:
        try:
            job, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", POOL_JOBS[job](*args))
        except (ReadError, UsageError, RenderRefused) as err:
            answer = ("error", str(err))
        except MemoryError:
            answer = ("error", OUT_OF_MEMORY)
        except Exception:
            answer = ("error", UNEXPECTED)
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


def _limit_memory(memory_mb: int) -> None:
    """RLIMIT_AS: a file that makes the reader allocate without end gets a MemoryError."""
    try:
        import resource
    except ImportError:  # Windows: the time limit still holds
        return
    limit = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that started it dies."""
    import ctypes
    import signal

    if sys.platform != "linux":
        return  # elsewhere the worker ends when its pipe closes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


# ----------------------------------------------------------------- stored roll-ups


@dataclass
class StoredPlan:
    """A plan the portal keeps: its reduced result and the file it was read from."""

    name: str  # the name the roll-up shows for the file
    modified: float  # POSIX time, the roll-up's "modified" (the portal: when handed in)
    result: dict | None  # intake_file's ``reduced`` (None: read it again from ``path``)
    version: str = ""  # reduced_format() of the code that made ``result``
    path: Path | None = None  # the stored file, read again when the version differs


def merge_stored(
    plans: Iterable[StoredPlan],
    output: PathLike,
    *,
    roster: Roster | PathLike | None = None,
    report: PathLike | None = None,
    tables: dict[str, PathLike] | None = None,
    at: int | None = None,
    reread: Callable[[Path, str], dict] | None = None,
) -> Rollup:
    """The roll-up of stored results: what ``merge_paths`` writes for the same files.

    Each plan is assembled from its stored reduced result (nothing is read),
    except one reduced by another version of this code, which is read again
    from its file by ``reread(path, name)`` (default: ``intake_file`` here;
    the portal passes its isolated pool) and updated in place, so the caller
    can store the new result. ``roster``: the list of schools (a ``Roster`` or
    a file); ``report``, ``tables``, ``at``: as for ``merge_paths``.
    """
    from .merging.rollup import assemble, reduced_format
    from .reading.collect import Candidate

    plans = list(plans)
    sources = [p.path for p in plans if p.path is not None]
    if roster is not None and not hasattr(roster, "schools"):
        sources.append(roster)
    tables = _check_merge_outputs(output, report, tables, sources, sources)
    if not plans:
        raise NothingToMerge("Chưa có kế hoạch nào đã nộp để tổng hợp.")
    listed = (
        roster if roster is None or hasattr(roster, "schools") else read_roster_for_merge(roster)
    )
    current = reduced_format()
    candidates, results = [], {}
    for i, plan in enumerate(plans):
        if plan.result is None or plan.version != current:
            if plan.path is None:
                raise ValueError(f"stored plan {plan.name} is outdated and has no file")
            answer = (reread or intake_file)(plan.path, plan.name)
            plan.result, plan.version = answer["reduced"], answer["version"]
            if plan.result is None:
                plan.result = {"error": answer["error"]}
        candidates.append(Candidate(plan.name, plan.path, plan.modified))
        results[i] = {**plan.result, "index": i}
    rollup = assemble(candidates, results, at=at)
    _write_rollup(rollup, output, listed=listed, report=report, tables=tables, at=at)
    return rollup
