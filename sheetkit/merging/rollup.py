"""District roll-up: many school plans read, validated and reduced to a few tables.

``merge(paths)`` finds the workbooks (``collect``), reads and validates them in
batches, in worker processes when there are many, and keeps from each plan
only what the summary needs: one school row, its plan items, its levels per
criterion and its findings. Nothing a school sent can stop the roll-up: a file
that cannot be read becomes a row with its reason. When one school sent its
plan twice, the newer plan is kept (school year, then the time the workbook
records as its last save) and the other is reported with both times.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import layouts
from ..checking.validation import check_plans
from ..model import catalog, contract
from ..model.contract import LAYOUT_TT57, SHEET_ROSTER_STATUS, SummaryColumn
from ..model.findings import COLUMNS as FINDING_COLUMNS
from ..model.findings import Finding, Report
from ..model.plan import Plan
from ..reading.collect import Candidate, collect
from ..reading.parsing import is_blank, level_label, school_year_label
from ..reading.reader import plan_from_workbook
from ..reading.roster import is_roster_workbook
from ..reading.sources import ReadError, Workbook, open_workbook
from ..reading.text import clean, folded_key
from ..validators import files as file_reasons
from ..validators.rules import BY_ID
from ..workdirs import work_folder
from .roster_match import STATES as ROSTER_STATES
from .roster_match import RosterMatch
from .years import other_years

if TYPE_CHECKING:
    from . import tt57

STATUS_VALID = "Hợp lệ"
STATUS_ERRORS = "Có lỗi"
STATUS_UNREADABLE = "Không đọc được"
WORK_PREFIX = "sheetkit-merge-"

SCHOOL_COLUMNS = (
    "school_id",
    "school_name",
    "school_code",
    "school_level",
    "district",
    "province",
    "commune",
    "managing_body",
    "school_year",
    "end_year",
    "plan_type",
    "circular",
    "principal",
    "goal_level",
    "items",
    "errors",
    "warnings",
    "infos",
    "budget_total",
    "budget_phrases",
    "status",
    "file",
    "modified",
)


def item_rollup_columns() -> tuple[tuple[str, SummaryColumn], ...]:
    """The columns of the roll-up's table of plan rows, from the column registry: those of
    every layout whose rows it holds (``Layout.rows_in_rollup``), each once, in their order."""
    columns: dict[str, SummaryColumn] = {}
    for layout in layouts.all_layouts():
        if layout.rows_in_rollup:
            for key, column in layout.item_rollup_columns():
                columns.setdefault(key, column)
    return tuple(columns.items())


def item_fields() -> tuple[str, ...]:
    """What a worker sends back per plan item (school columns are joined in the parent)."""
    return ("item", "row", *(key for key, _ in item_rollup_columns()))


ITEM_SCHOOL_COLUMNS = ("school_id", "school_name", "school_code", "school_level", "circular")
# modified: the file's time on disk; saved: the last save the workbook itself records.
FILE_COLUMNS = ("file", "status", "reason", "modified", "saved", "school_id")
FILE_FINDING_COLUMNS = ("file", "school_name", *FINDING_COLUMNS)
LEVEL_COLUMNS = ("school_id", "circular", "criterion", "current", "target")

# Batches: each costs one pandera pass per table (about 35 ms however few plans
# it holds), so they are large (two per worker for 1,000 files: measured faster
# than four); small enough to keep every core busy and the progress bar moving.
MIN_BATCH, MAX_BATCH = 16, 250
PARALLEL_FROM = 48  # below this many workbooks a worker pool costs more than it saves


@dataclass
class Rollup:
    """The district's plans as tables (pandas DataFrames).

    ``files``: every file found (``status`` read / unreadable / skipped /
    duplicate, ``reason``); ``schools``: one row per school kept; ``items``:
    every plan item of those schools; ``levels``: per school and criterion the
    current level and the highest planned target; ``findings``: every
    problem, from plan findings to files that could not be read.
    """

    files: pd.DataFrame
    schools: pd.DataFrame
    items: pd.DataFrame
    levels: pd.DataFrame
    findings: pd.DataFrame
    # Each layout's own part (``Layout.assemble``), by layout id, for the layouts it has.
    parts: dict[str, Any] = field(default_factory=dict)
    layouts: dict[str, int] = field(default_factory=dict)  # schools kept, by plan layout
    timings: dict[str, float] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # what the run says to the officer
    roster: RosterMatch | None = None  # the list of schools matched (merge --roster)

    @property
    def tt57(self) -> tt57.Tables | None:
        """The Thông tư 57 plans' tables (None: no such plan)."""
        return self.parts.get(LAYOUT_TT57)

    @property
    def unreadable(self) -> pd.DataFrame:
        return self.files[self.files["status"] == "unreadable"]

    @property
    def all_read(self) -> bool:
        """Every workbook found could be read (plans may still have errors: see ``schools``)."""
        return self.unreadable.empty

    def criteria(self) -> pd.DataFrame:
        return criteria_summary(self)

    def overview(self) -> list[tuple[str, Any]]:
        return overview(self)

    def headline(self) -> str:
        """The roll-up in one phrase: "30 trường, 31 tệp đọc được, ..., 2 kế hoạch có lỗi"."""
        status = self.files["status"].value_counts()
        read = int(status.get("read", 0) + status.get("duplicate", 0))  # as Tổng quan counts
        parts = [f"{len(self.schools)} trường", f"{read} tệp đọc được"]
        for key, label in (
            ("unreadable", "tệp không đọc được"),
            ("duplicate", "bản trùng"),
            ("skipped", "tệp bỏ qua"),
        ):
            if status.get(key, 0):
                parts.append(f"{int(status[key])} {label}")
        parts.append(f"{int((self.schools['errors'] > 0).sum())} kế hoạch có lỗi")
        return ", ".join(parts)


# ----------------------------------------------------------------- the roll-up


def merge(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    at: int | None = None,
) -> Rollup:
    """Read, validate and roll up every plan workbook under ``paths``.

    ``paths``: workbooks, folders (searched recursively) or .zip archives.
    ``workers``: processes to read with (default: every core when there are
    many files). ``progress(done, total)`` is called as files are read.
    ``exclude``: files never to read, such as the summary being written into
    the same folder. ``at``: the month (year * 12 + month - 1) at which the
    progress of Thông tư 57 plans is judged; this month by default.
    """
    if at is None:
        today = dt.date.today()
        at = today.year * 12 + today.month - 1
    started = time.perf_counter()
    # .zip members are unpacked here; a killed run's folder is swept by a later one.
    with work_folder(tempfile.gettempdir(), WORK_PREFIX) as workdir:
        candidates = collect(list(paths), Path(workdir), exclude=exclude)
        readable = [(i, c) for i, c in enumerate(candidates) if c.problem is None]
        results: dict[int, dict[str, Any]] = {}
        timings = {"read": 0.0, "validate": 0.0}
        done = 0
        if progress:
            progress(0, len(readable))
        item_chunks: list[pd.DataFrame] = []
        for batch_results, batch_timings in _run_batches(readable, workers):
            for result in batch_results:
                results[result["index"]] = result
            # Items become a compact frame per batch at once, so the Python
            # strings of thousands of plans are never all alive together.
            item_chunks.append(_item_chunk(batch_results))
            for key in timings:
                timings[key] += batch_timings[key]
            done += len(batch_results)
            if progress:
                progress(done, len(readable))
    timings["collect_and_read_wall"] = time.perf_counter() - started
    assemble_started = time.perf_counter()
    rollup = assemble(candidates, results, at=at, item_chunks=item_chunks)
    timings["assemble"] = time.perf_counter() - assemble_started
    rollup.timings = timings
    return rollup


# What a stored reduced result (``read_batch``'s per-file dict) was made by. The
# portal keeps each plan's reduced result and re-reduces it from the stored file
# when this differs: bump it whenever ``reduce_plan``, ``tt57.reduce`` or the
# roll-up columns change what a result holds.
REDUCED_FORMAT = 1


def reduced_format() -> str:
    """The format a reduced result is made in by this code: sheetkit's version and ours."""
    from .. import __version__

    return f"{__version__}/{REDUCED_FORMAT}"


def assemble(
    candidates: list[Candidate],
    results: dict[int, dict[str, Any]],
    *,
    at: int | None = None,
    item_chunks: list[pd.DataFrame] | None = None,
) -> Rollup:
    """The roll-up of files already read and reduced: the one path from results to tables.

    ``candidates[i]`` is file i as found (name, time on disk, or why it was not
    read); ``results[i]`` what ``read_batch`` gave for it. ``merge`` passes the
    plan items it already gathered per batch as ``item_chunks`` (each result's
    ``items`` were taken out then); without them the items are taken from the
    results, which are left as they were (the portal's stored results).
    ``at``: the month Thông tư 57 progress is judged at, this month by default.
    """
    if at is None:
        today = dt.date.today()
        at = today.year * 12 + today.month - 1
    if item_chunks is None:
        records = [(i, *item) for i, r in results.items() for item in r.get("items", ())]
        item_chunks = [pd.DataFrame.from_records(records, columns=["school_id", *item_fields()])]
        results = {i: {k: v for k, v in r.items() if k != "items"} for i, r in results.items()}
    return _assemble(candidates, results, item_chunks, at)


def _run_batches(readable: list[tuple[int, Candidate]], workers: int | None) -> Iterator:
    jobs = [(i, c.name, str(c.path)) for i, c in readable]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= PARALLEL_FROM else 1
    workers = max(1, min(workers, len(jobs) // MIN_BATCH or 1))
    size = max(MIN_BATCH, min(MAX_BATCH, -(-len(jobs) // (workers * 2))))
    batches = [jobs[k : k + size] for k in range(0, len(jobs), size)]
    context = _fork_context()
    if context is None:
        yield from map(read_batch, batches)
        return
    yield from isolated_batches(batches, workers, context)


def _fork_context():
    """Worker processes that start from this one's memory (no second import of pandas).

    Only where fork is safe (Linux); elsewhere the roll-up reads in one process,
    which is what the Excel button on Windows gets.
    """
    import multiprocessing

    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


# ----------------------------------------------------------------- isolated workers
#
# Batches are read in worker processes (even with one worker), each saying
# which file it is reading before it reads it. A file that makes the reader
# abort (a native library that cannot allocate aborts the whole process) or
# hang only kills its worker: the file is marked unreadable, the other files
# of its batch go back in the queue, a new worker takes the worker's place and
# the roll-up goes on. Workers die with their parent (PR_SET_PDEATHSIG), and
# end when the parent closes their pipe, so a killed merge leaves no process.

# A plan reads in well under a second; a file still being read after this is stuck.
READ_SECONDS = 20.0
# Validating a batch: a fixed part plus a little per plan.
VALIDATE_SECONDS, VALIDATE_SECONDS_PER_PLAN = 30.0, 0.5


@dataclass
class _Worker:
    process: Any
    conn: Any
    batch: list[tuple[int, str, str]] = field(default_factory=list)
    reading: int | None = None  # the job index being read
    deadline: float = 0.0

    def give(self, batch: list[tuple[int, str, str]]) -> None:
        self.batch, self.reading = batch, None
        # Until it says which file it reads, a worker only has the time to start.
        self.deadline = time.monotonic() + READ_SECONDS
        self.conn.send(batch)


def isolated_batches(batches: list, workers: int, context) -> Iterator:
    """Yield (results, timings) per batch, read by ``workers`` worker processes.

    A batch whose worker dies or overruns yields a result for the file at
    fault (unreadable, with the reason) and its other files are read again.
    """
    from collections import deque
    from multiprocessing.connection import wait

    queue = deque(batches)
    idle: list[_Worker] = []
    busy: dict[Any, _Worker] = {}
    with _deferred_interrupt() as interrupted:
        try:
            while queue or busy:
                while queue and (idle or len(busy) < workers):
                    others = [w.conn for w in (*idle, *busy.values())]
                    worker = idle.pop() if idle else _start(context, others)
                    worker.give(queue.popleft())
                    busy[worker.conn] = worker
                soonest = min(w.deadline for w in busy.values()) - time.monotonic()
                for conn in wait(list(busy), timeout=min(max(0.0, soonest), 0.5)):
                    worker = busy[conn]
                    try:
                        message = conn.recv()
                    except (EOFError, OSError):  # the worker died
                        del busy[conn]
                        yield from _lost(worker, queue, "reader_crashed")
                        continue
                    if message[0] == "reading":
                        worker.reading = message[1]
                        worker.deadline = time.monotonic() + READ_SECONDS
                    elif message[0] == "validating":
                        worker.reading = None
                        worker.deadline = time.monotonic() + VALIDATE_SECONDS
                        worker.deadline += VALIDATE_SECONDS_PER_PLAN * len(worker.batch)
                    else:  # ("done", results, timings)
                        del busy[conn]
                        idle.append(worker)
                        yield message[1], message[2]
                for conn, worker in list(busy.items()):
                    if time.monotonic() > worker.deadline:
                        del busy[conn]
                        yield from _lost(worker, queue, "reader_timeout")
                if interrupted:
                    raise KeyboardInterrupt
        finally:
            for worker in busy.values():  # abandoned batches: stop now
                _stop(worker)
            for worker in idle:
                worker.conn.close()  # an idle worker reads the end of its pipe and exits
            for worker in idle:
                worker.process.join(timeout=5)
                _stop(worker)


@contextlib.contextmanager
def _deferred_interrupt():
    """Ctrl+C (SIGINT) noted while workers are being managed, acted on at a safe point.

    Python runs a KeyboardInterrupt that lands during fork() inside the fork
    handlers, where it is printed and lost: the merge would go on. The flag is
    checked between two waits instead.
    """
    import signal
    import threading

    interrupted: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def _start(context, others: list) -> _Worker:
    """A new worker; ``others`` are the parent's ends of the other workers' pipes."""
    conn, child = context.Pipe()
    # The child closes its copies of the parent's ends, or it would never see its pipe close.
    inherited = [conn, *others]
    process = context.Process(
        target=_worker_main, args=(child, inherited, os.getpid()), daemon=True
    )
    process.start()
    child.close()
    return _Worker(process, conn)


def _stop(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.conn.close()


def _lost(worker: _Worker, queue, reason: str) -> Iterator:
    """What to do with a batch whose worker died or overran: blame one file, retry the rest."""
    _stop(worker)
    details = {"seconds": int(READ_SECONDS)} if reason == "reader_timeout" else {}
    error = file_reasons.unreadable(reason, **details)
    if worker.reading is not None:
        culprit = worker.reading
        yield [{"index": culprit, "error": error}], {"read": 0.0, "validate": 0.0}
        rest = [job for job in worker.batch if job[0] != culprit]
        if rest:
            queue.append(rest)
    elif len(worker.batch) == 1:  # died validating (or starting) one file: that file
        yield [{"index": worker.batch[0][0], "error": error}], {"read": 0.0, "validate": 0.0}
    else:  # died validating many: read them one by one to find the one at fault
        queue.extend([job] for job in worker.batch)


def _worker_main(conn, inherited: list, parent: int) -> None:
    """A worker process: read batches until the parent closes the pipe."""
    import signal

    _die_with_parent(parent)
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _silence_native_errors()
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        results, timings = read_batch(
            batch,
            on_read=lambda index: conn.send(("reading", index)),
            on_validate=lambda: conn.send(("validating",)),
        )
        conn.send(("done", results, timings))


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies; exit if that already happened."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _silence_native_errors() -> None:
    """A native reader that aborts prints to stderr ("memory allocation of ... failed");
    the file's reason says what happened, so the worker's stderr goes nowhere."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


# ----------------------------------------------------------------- one batch (worker side)


def not_a_plan(book: Workbook) -> tuple[str, str] | None:
    """(kind, reason) of a workbook that is not a school's plan although it looks like one: a
    sheetkit roll-up, a list of schools, or an annotated copy (the school's plan is the file
    it was made from); None for a plan."""
    if is_rollup_workbook(book):
        return "sheetkit_output", file_reasons.skipped("sheetkit_output")
    if is_roster_workbook(book):
        return "roster", file_reasons.skipped("roster")
    if book.copy == "annotate":
        saved = shown_time(book.saved)
        return "sheetkit_annotated", file_reasons.skipped("sheetkit_annotated", saved=saved)
    return None


def read_batch(
    jobs: list[tuple[int, str, str]],
    on_read: Callable[[int], None] | None = None,
    on_validate: Callable[[], None] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Read and validate a batch of workbooks; return only what the roll-up keeps.

    Runs in a worker process: the result is small (no grids, no DataFrames),
    so sending it back costs little. ``on_read(index)`` is called before each
    file is read and ``on_validate()`` before the batch is validated, so the
    parent knows which file was at fault if this process dies.
    """
    started = time.perf_counter()
    plans: list[tuple[int, Plan]] = []
    results: list[dict[str, Any]] = []
    saved: dict[int, float | None] = {}  # the last save each workbook records
    for index, name, path in jobs:
        if on_read:
            on_read(index)
        try:
            book = open_workbook(path)
            skipped = not_a_plan(book)
            if skipped is not None:
                results.append({"index": index, "skipped": skipped[1]})
                continue
            plan = plan_from_workbook(book, source=name)
            plans.append((index, plan))
            saved[index] = book.saved
        except ReadError as err:
            results.append({"index": index, "error": str(err)})
        except MemoryError:  # this file alone is too large for the machine; the others go on
            results.append({"index": index, "error": OUT_OF_MEMORY})
        except Exception:  # a damaged file can break a reader in unexpected ways
            results.append({"index": index, "error": UNEXPECTED})
    read_done = time.perf_counter()
    if on_validate:
        on_validate()
    for (index, plan), findings in zip(plans, _validate([p for _, p in plans]), strict=True):
        if isinstance(findings, Exception):
            too_large = isinstance(findings, MemoryError)
            results.append({"index": index, "error": OUT_OF_MEMORY if too_large else UNEXPECTED})
        else:
            results.append({**reduce_plan(index, plan, findings), "saved": saved[index]})
    timings = {"read": read_done - started, "validate": time.perf_counter() - read_done}
    return results, timings


# Every roll-up workbook sheetkit writes (the summary, tong-hop.xlsm) carries this
# document title (writing/summary.py, writing/templates.py).
ROLLUP_TITLE = "Tổng hợp kế hoạch cải tiến chất lượng giáo dục"


def is_rollup_workbook(book: Workbook) -> bool:
    """A summary or district workbook sheetkit wrote, found among the plans: not a plan.

    Known by its content, whatever its name: no Kế hoạch sheet, and our roll-up
    title, the district workbook's own sheet, or the summary's sheets. Copies
    of a plan hold the school's plan: an annotated one is skipped by its mark
    (``Workbook.copy``), rendered ones are read as plans (the duplicate rule
    keeps one of them).
    """
    if book.find_sheet(contract.SHEET_PLAN) is not None:
        return False
    if book.title == ROLLUP_TITLE or book.find_sheet(contract.SHEET_DISTRICT):
        return True
    return sum(book.find_sheet(s) is not None for s in contract.SUMMARY_SHEETS) >= 3


# A file that broke sheetkit itself: the reason says so, without the exception.
UNEXPECTED = file_reasons.unreadable("unexpected")
OUT_OF_MEMORY = file_reasons.unreadable("out_of_memory")


def _validate(plans: list[Plan]) -> list[list[Finding] | Exception]:
    """Findings per plan; a plan that breaks the validation is isolated, not the batch."""
    try:
        return list(check_plans(plans))
    except Exception:
        results: list[list[Finding] | Exception] = []
        for plan in plans:
            try:
                results.append(check_plans([plan])[0])
            except Exception as err:
                results.append(err)
        return results


def reduce_plan(index: int, plan: Plan, findings: list[Finding]) -> dict[str, Any]:
    """What the roll-up keeps of one plan: school row, items, levels, findings."""
    circular = plan.circular
    levels = plan.current_levels()
    fields = item_fields()
    items = []
    layout = layouts.of(plan)
    # Targets are per plan row, or (TT57) in Tự đánh giá; rows of their own columns are the
    # layout's part (``Layout.reduce``).
    targets: dict[str, int] = plan.target_levels() if layout.targets_in_assessment else {}
    records = plan.item_records if layout.rows_in_rollup else []
    for record in records:
        code = record.get("criterion")
        known = circular.get(code) if circular and isinstance(code, str) else None
        values = {
            **record,
            "criterion": code if isinstance(code, str) else clean(record.get("criterion_raw")),
            "criterion_title": known.title if known else record.get("title"),
            "current": levels.get(code) if isinstance(code, str) else None,
            "budget": record.get("budget_label") or clean(record.get("budget_raw")) or None,
        }
        items.append(tuple(values.get(k) for k in fields))
        shown_code, target = values["criterion"], record.get("target")
        if target is not None and isinstance(shown_code, str):
            targets[shown_code] = max(target, targets.get(shown_code, target))
    report = Report(findings)
    amounts, _, phrases = plan.budget_totals()
    school = {
        "school_name": plan.school_name,
        "school_code": plan.value("school_code") or "",
        "school_level": plan.value("school_level") or "",
        "district": plan.value("district") or "",
        "province": plan.value("province") or "",
        "commune": plan.value("commune") or "",
        "managing_body": plan.managing_body_label(),
        "school_year_start": plan.value("school_year"),
        "school_year": school_year_label(plan.value("school_year")),
        "end_year": school_year_label(plan.value("end_year")) if plan.is_cycle else "",
        "plan_type": plan.value("plan_type") or "",
        "circular": circular.id if circular else "",
        "principal": plan.value("principal") or "",
        "goal_level": level_label(plan.value("goal_level")),
        "items": len(plan.item_records),
        "errors": report.errors,
        "warnings": report.warnings,
        "infos": report.infos,
        "budget_total": amounts,
        "budget_phrases": phrases,
        "status": STATUS_VALID if report.ok else STATUS_ERRORS,
    }
    result = {
        "index": index,
        "school": school,
        "items": items,
        "targets": targets,
        "levels": list(levels.items()),
        "findings": [f.to_row() for f in findings],
    }
    result["layout"] = layout.id
    part = layout.reduce(plan, findings)
    if part is not None:
        result[layout.id] = part
    return result


# ----------------------------------------------------------------- assembling (parent side)


def _item_chunk(batch_results: list[dict[str, Any]]) -> pd.DataFrame:
    records = [(r["index"], *item) for r in batch_results for item in r.pop("items", ())]
    return pd.DataFrame.from_records(records, columns=["school_id", *item_fields()])


def _assemble(
    candidates: list[Candidate],
    results: dict[int, dict[str, Any]],
    item_chunks: list,
    at: int,
) -> Rollup:
    files = []
    for i, c in enumerate(candidates):
        result = results.get(i, {})
        if c.problem is not None:
            status = "unreadable" if c.unreadable else "skipped"
            reason = c.problem
        elif "error" in result:
            status, reason = "unreadable", result["error"]
        elif "skipped" in result:
            status, reason = "skipped", result["skipped"]
        else:
            status, reason = "read", ""
        files.append(
            {
                "file": c.name,
                "status": status,
                "reason": reason,
                "modified": _timestamp(c.modified),
                "saved": _timestamp(result.get("saved")),
                "school_id": i if status == "read" else None,
            }
        )
    plans = {i: r for i, r in results.items() if "school" in r}
    dropped = _duplicates(plans, candidates)
    for i, (kept, why) in dropped.items():
        files[i]["status"] = "duplicate"
        files[i]["reason"] = why
        files[i]["school_id"] = None
        files[kept]["reason"] = _kept_note(kept, dropped, plans, candidates)
    kept_ids = [i for i in sorted(plans) if i not in dropped]

    schools = pd.DataFrame.from_records(
        [
            {
                "school_id": i,
                **plans[i]["school"],
                "file": candidates[i].name,
                "modified": _timestamp(candidates[i].modified),
            }
            for i in kept_ids
        ],
        columns=[*SCHOOL_COLUMNS, "school_year_start"],
    )
    counts = ("items", "errors", "warnings", "infos", "budget_phrases")
    schools = schools.astype(
        {**dict.fromkeys(counts, "int64"), "budget_total": "float64", "school_year_start": "Int64"}
    )
    schools = schools[list(SCHOOL_COLUMNS)]
    return Rollup(
        files=pd.DataFrame.from_records(files, columns=list(FILE_COLUMNS)).astype(
            {"school_id": "Int64"}
        ),
        schools=schools,
        items=_items_frame(item_chunks, kept_ids, schools),
        levels=_levels_frame(plans, kept_ids),
        findings=_findings_frame(files, plans, kept_ids),
        parts=_layout_parts(plans, kept_ids, schools, at),
        layouts=dict(Counter(plans[i]["layout"] for i in kept_ids)),
    )


def _layout_parts(plans, kept_ids: list[int], schools: pd.DataFrame, at: int) -> dict[str, Any]:
    """Each layout's own part of the roll-up, for the layouts whose plans kept one."""
    parts = {}
    for layout in layouts.all_layouts():
        if any(layout.id in plans[i] for i in kept_ids):
            part = layout.assemble(plans, kept_ids, schools, at)
            if part is not None:
                parts[layout.id] = part
    return parts


def _timestamp(posix: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(posix) if posix else None


def shown_time(posix: float | None) -> str:
    """A time as officers read it: "15/01/2027 10:20" (this machine's time zone)."""
    if not posix:
        return file_reasons.SAVED_UNKNOWN
    return f"{dt.datetime.fromtimestamp(posix):%d/%m/%Y %H:%M}"


def _saved(i: int, plans, candidates) -> tuple[float, str]:
    """When plan ``i`` was last saved, and where that comes from: the time the workbook
    records ("file"), or, when it records none, the file's time on disk ("disk")."""
    recorded = plans[i].get("saved")
    return (recorded, "file") if recorded else (candidates[i].modified, "disk")


def _saved_text(i: int, plans, candidates, with_source: bool = True) -> str:
    posix, source = _saved(i, plans, candidates)
    text = shown_time(posix)
    if not posix:
        return text
    return f"{text} theo {file_reasons.SAVED_SOURCE[source]}" if with_source else text


def _kept_note(kept: int, dropped, plans, candidates) -> str:
    """The kept copy's line in the files table: which of the school's copies it is, and why."""
    school = plans[kept]["school"]
    return file_reasons.DUPLICATE_KEPT.format(
        count=1 + sum(k == kept for k, _ in dropped.values()),
        school=school["school_name"]
        or file_reasons.DUPLICATE_NO_NAME.format(code=school["school_code"]),
        year=school["school_year"] or file_reasons.DUPLICATE_NO_YEAR,
        saved=_saved_text(kept, plans, candidates),
    )


def _code(school: dict[str, Any]) -> str:
    return "".join(school["school_code"].split()).upper()


def _school_keys(school: dict[str, Any]) -> list[str]:
    """What identifies a school: its code, or its name within its district."""
    keys = []
    code = _code(school)
    if code:
        keys.append(f"code:{code}")
    if school["school_name"]:
        keys.append(f"name:{folded_key(school['school_name'])}|{folded_key(school['district'])}")
    return keys


def _duplicates(
    plans: dict[int, dict[str, Any]], candidates: list[Candidate]
) -> dict[int, tuple[int, str]]:
    """Plans sent twice by one school: {dropped index: (kept index, reason)}.

    Two plans are the same school when they share a Mã trường, or the same
    name in the same district. The newer plan is kept: later school year,
    then the later saved time the workbook records (its time on disk only when
    it records none: disk times follow downloads, not the school's work).
    """
    parent: dict[int, int] = {i: i for i in plans}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i in sorted(plans):
        for key in _school_keys(plans[i]["school"]):
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in plans:
        groups.setdefault(root(i), []).append(i)

    def newness(i: int) -> tuple:
        year = plans[i]["school"]["school_year_start"]
        return (-1 if year is None else year, _saved(i, plans, candidates)[0], i)

    dropped: dict[int, tuple[int, str]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = max(members, key=newness)
        school = plans[kept]["school"]
        for i in members:
            if i == kept:
                continue
            other = plans[i]["school"]
            same_code = _code(school) and _code(other) == _code(school)
            label = other["school_name"] or school["school_name"]
            if not label:
                label = file_reasons.DUPLICATE_NO_NAME.format(code=school["school_code"])
            dropped[i] = (
                kept,
                file_reasons.DUPLICATE.format(
                    school=label,
                    basis=file_reasons.DUPLICATE_BASIS["code" if same_code else "name"],
                    kept=candidates[kept].name,
                    why=_why_kept(kept, i, plans, candidates),
                    times=_times(kept, i, plans, candidates),
                ),
            )
    return dropped


def _why_kept(kept: int, other: int, plans, candidates) -> str:
    """Why plan ``kept`` was used rather than ``other``: its school year, or its saved time."""
    year, this_year = (plans[i]["school"]["school_year_start"] for i in (kept, other))
    labels = {
        "year": plans[kept]["school"]["school_year"] or file_reasons.DUPLICATE_NO_YEAR,
        "this_year": plans[other]["school"]["school_year"] or file_reasons.DUPLICATE_NO_YEAR,
    }
    if year != this_year:  # the kept one's is later, or the other has none
        why = "year" if this_year is not None else "year_missing"
        return file_reasons.DUPLICATE_WHY[why].format(**labels)
    same = _saved(kept, plans, candidates)[0] == _saved(other, plans, candidates)[0]
    return file_reasons.DUPLICATE_WHY["same" if same else "saved"].format(**labels)


def _times(kept: int, other: int, plans, candidates) -> str:
    """Both saved times, each saying where it comes from (once, when both come from one place)."""
    sources = {_saved(i, plans, candidates)[1] for i in (kept, other)}
    together = len(sources) == 1
    texts = [_saved_text(i, plans, candidates, with_source=not together) for i in (kept, other)]
    line = file_reasons.DUPLICATE_TIMES.format(kept=texts[0], this=texts[1])
    return f"{file_reasons.SAVED_SOURCE[sources.pop()]}: {line}" if together else line


def _items_frame(chunks: list[pd.DataFrame], kept_ids: list[int], schools) -> pd.DataFrame:
    chunks = [c for c in chunks if len(c)]
    if chunks:
        items = pd.concat(chunks, ignore_index=True)
        items = items[items["school_id"].isin(kept_ids)]
        # Batches finish in any order; the table follows the files' order.
        items = items.sort_values("school_id", kind="stable").reset_index(drop=True)
    else:
        items = pd.DataFrame(columns=["school_id", *item_fields()])
    for key in ("item", "row"):
        items[key] = items[key].astype("Int64")
    for key, column in item_rollup_columns():
        if column.kind in ("level", "int"):
            items[key] = items[key].astype("Int64")
        elif column.kind == "money":
            items[key] = items[key].astype("float64")
        elif column.kind == "month":
            items[key] = _month_dates(items[key])
    by_school = schools.set_index("school_id")
    for n, key in enumerate(ITEM_SCHOOL_COLUMNS[1:], start=1):
        items.insert(n, key, items["school_id"].map(by_school[key]))
    return items


def _month_dates(months: pd.Series) -> pd.Series:
    """Month indexes (year * 12 + month - 1) as the first day of the month."""
    index = pd.to_numeric(months, errors="coerce")
    years, month0 = index // 12, index % 12
    parts = pd.DataFrame({"year": years, "month": month0 + 1, "day": 1})
    return pd.to_datetime(parts.where(index.notna()), errors="coerce")


def _levels_frame(plans, kept_ids: list[int]) -> pd.DataFrame:
    """Per school and criterion of its circular: current level and highest planned target."""
    records = []
    for i in kept_ids:
        circular_id = plans[i]["school"]["circular"]
        if not circular_id:
            continue
        circular = catalog.by_id(circular_id)
        current = dict(plans[i]["levels"])
        targets = plans[i]["targets"]
        for code in circular.codes:
            records.append((i, circular_id, code, current.get(code), targets.get(code)))
    levels = pd.DataFrame.from_records(records, columns=list(LEVEL_COLUMNS))
    for key in ("current", "target"):
        levels[key] = levels[key].astype("Int64")
    return levels


# The rule of each file status that is a finding (validators/rules.py).
FILE_RULES = {
    "unreadable": "file.unreadable",
    "duplicate": "file.duplicate",
    "skipped": "file.skipped",
}


def _findings_frame(files, plans, kept_ids) -> pd.DataFrame:
    records = []
    for f in files:
        if f["status"] in FILE_RULES:
            rule = BY_ID[FILE_RULES[f["status"]]]
            message = rule.message.format(reason=f["reason"])
            records.append(
                {"file": f["file"], "severity": rule.severity, "rule": rule.id, "message": message}
            )
    for i in kept_ids:
        school = plans[i]["school"]
        for finding in plans[i]["findings"]:
            record = dict(zip(FINDING_COLUMNS, finding, strict=True))
            record["file"] = files[i]["file"]
            record["school_name"] = school["school_name"]
            records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(FILE_FINDING_COLUMNS))
    # What was typed, as text: a column mixing numbers and words suits no analyst's tool.
    frame["value"] = [None if is_blank(v) else str(v) for v in frame["value"]]
    for key in ("row", "item"):
        frame[key] = frame[key].astype("Int64")
    return frame


# ----------------------------------------------------------------- summaries


def criteria_summary(rollup: Rollup) -> pd.DataFrame:
    """Per circular and criterion: schools at each current level, schools raising it, to what."""
    levels = rollup.levels
    # Only the three small columns: filtering the whole items table would copy
    # every solution text of the province (hundreds of MB).
    by_criterion = rollup.items.groupby(["circular", "criterion"])["budget_amount"]
    item_count, budget = by_criterion.size(), by_criterion.sum()
    rows = []
    for circular in catalog.circulars():
        if not layouts.get(circular.family.layout).rows_in_rollup:
            continue  # the layout's own part has its criteria (TT57: tt57.criteria_table)
        own = levels[levels["circular"] == circular.id]
        if own.empty:
            continue
        schools = own["school_id"].nunique()
        current = own.groupby("criterion")["current"].value_counts().unstack(fill_value=0)
        target = own.groupby("criterion")["target"].value_counts().unstack(fill_value=0)
        for c in circular.criteria:
            at = current.loc[c.code] if c.code in current.index else pd.Series(dtype="int64")
            to = target.loc[c.code] if c.code in target.index else pd.Series(dtype="int64")
            planning = int(sum(to.get(level, 0) for level in range(4)))
            row = {
                "circular": circular.id,
                "circular_name": circular.short_name,
                "standard": c.standard,
                "criterion": c.code,
                "title": c.title,
                "schools": schools,
            }
            for level in range(4):
                row[f"current_{level}"] = int(at.get(level, 0))
            row["not_assessed"] = schools - int(sum(at.get(level, 0) for level in range(4)))
            row["planning"] = planning
            for level in range(1, 4):
                row[f"target_{level}"] = int(to.get(level, 0))
            row["planning_share"] = planning / schools if schools else 0.0
            row["items"] = int(item_count.get((circular.id, c.code), 0))
            row["budget"] = float(budget.get((circular.id, c.code), 0.0))
            rows.append(row)
    return pd.DataFrame.from_records(rows)


LEVEL_GROUPS = ("Mầm non", "Tiểu học", "THCS", "THPT", "Phổ thông nhiều cấp học", "GDTX")


def overview(rollup: Rollup) -> list[tuple[str, Any]]:
    """The headline figures, as (Vietnamese label, value) lines; value None: a section heading."""
    files, schools = rollup.files, rollup.schools
    status = files["status"].value_counts()
    lines: list[tuple[str, Any]] = roster_lines(rollup.roster) if rollup.roster else []
    lines += [
        ("Tệp tìm thấy", len(files)),
        ("Tệp kế hoạch đọc được", int(status.get("read", 0) + status.get("duplicate", 0))),
        ("Tệp không đọc được", int(status.get("unreadable", 0))),
        ("Tệp bỏ qua (không phải bảng tính, tệp ẩn)", int(status.get("skipped", 0))),
        ("Bản gửi trùng (đã bỏ, dùng bản mới hơn)", int(status.get("duplicate", 0))),
        ("Số trường đã tổng hợp", len(schools)),
    ]
    by_level = schools["school_level"].value_counts()
    for level in LEVEL_GROUPS:
        if by_level.get(level, 0):
            lines.append((f"    {level}", int(by_level[level])))
    unknown = int((schools["school_level"] == "").sum())
    if unknown:
        lines.append(("    Chưa ghi cấp học", unknown))
    lines += [
        ("Kế hoạch hợp lệ (không có lỗi)", int((schools["errors"] == 0).sum())),
        ("Kế hoạch có lỗi", int((schools["errors"] > 0).sum())),
        ("Kế hoạch có cảnh báo", int((schools["warnings"] > 0).sum())),
    ]
    majority, other = other_years(schools)
    if other.any():
        lines.append((other_years_line(schools, majority, other), int(other.sum())))
    # A section per layout, the form in force first.
    for layout in sorted(layouts.all_layouts(), key=lambda layout: not layout.in_force):
        lines += layout.overview_lines(rollup)
    return lines


def roster_lines(match: RosterMatch) -> list[tuple[str, Any]]:
    """The list of schools first: how many are listed, handed in, missing (merge --roster)."""
    return [
        (f"DANH SÁCH TRƯỜNG (xem trang {SHEET_ROSTER_STATUS})", None),
        ("Số trường trong danh sách", len(match.roster)),
        *((f"    {state}", match.count(state)) for state in ROSTER_STATES),
        ("Kế hoạch của trường không có trong danh sách", len(match.unlisted)),
    ]


# Schools named in Tổng quan's line about plans of another school year (the rest: "…").
OTHER_YEAR_NAMES = 5


def other_years_line(schools: pd.DataFrame, majority: str, other: pd.Series) -> str:
    """ "Có 1 kế hoạch khác năm học 2026-2027 (năm học chiếm đa số): Trường TH A (2024-2025)"."""
    marked = schools[other]
    names = [
        f"{name or file} ({year})"
        for name, file, year in zip(
            marked["school_name"], marked["file"], marked["school_year"], strict=True
        )
    ]
    shown = ", ".join(names[:OTHER_YEAR_NAMES]) + (", …" if len(names) > OTHER_YEAR_NAMES else "")
    return (
        f"Có {len(names)} kế hoạch khác năm học {majority} (năm học chiếm đa số): {shown} "
        "(tô vàng ở cột Năm học, trang Theo trường)"
    )
