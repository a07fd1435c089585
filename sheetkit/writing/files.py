"""Writing outputs safely: a temporary file beside the target, renamed into place.

A crash, a full disk or Excel holding the old file open never leaves a
half-written workbook under the name the user asked for. A run that is
killed while writing cannot remove its temporary file, so each temporary
name says which machine and process wrote it
(``.sheetkit-<host>-<pid>-<random>.xlsx``); the next run in that folder
removes the ones of this machine whose process is gone, and no other file. An output that
cannot be written as asked (a wrong suffix, the input itself) is refused
with a ``UsageError`` before any work; ``guard_output`` is the one place that
decides which outputs would overwrite what a school sent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import re
import socket
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..reading.text import show_controls, strip_controls

TEMP_PREFIX = ".sheetkit-"  # a temporary output beside the target


def owned_prefix(prefix: str) -> str:
    """``prefix`` + this machine + this process: "<prefix><host>-<pid>-"."""
    return f"{prefix}{_host()}-{os.getpid()}-"


class UsageError(ValueError):
    """A request that cannot be carried out as asked; ``str(err)`` is for the user (Vietnamese)."""


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", socket.gethostname())[:30] or "host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or nothing we can judge: keep its file
    return True


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary outputs that sheetkit runs on this machine, killed while
    writing, left in ``folder``; what live runs, other machines or anybody else wrote stays."""
    pattern = re.compile(re.escape(TEMP_PREFIX) + r"(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-[\w.]+")
    removed = []
    host = _host()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            found = pattern.fullmatch(entry.name)
            if not found or found["host"] != host or int(found["pid"]) == os.getpid():
                continue
            if _alive(int(found["pid"])):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    fd, tmp = tempfile.mkstemp(
        prefix=owned_prefix(TEMP_PREFIX), suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private (0600); the output should get the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def show_only(wb, name: str) -> None:
    """Make sheet ``name`` of an openpyxl workbook the one it opens on, and the only selected tab.

    A copy keeps the school's selected tab; two selected tabs open grouped in
    Excel, where typing in one sheet writes into the other too.
    """
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    wb.active = wb.sheetnames.index(name)
    wb[name].sheet_view.tabSelected = True


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when two paths name one file (so an output would overwrite its input)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        return False


# Why an output is refused (exit 3): what is wrong, then what to do.
OUTPUT_IS_INPUT = (
    "không ghi {what} vào '{path}': đó chính là tệp đầu vào. sheetkit không bao giờ ghi đè tệp "
    "các trường gửi; hãy chọn một tên tệp khác."
)
OUTPUT_IN_INPUT_FOLDER = (
    "không ghi {what} vào '{path}': chỗ này nằm trong thư mục đầu vào '{folder}', nơi để các "
    "tệp trường gửi (có thể ghi đè kế hoạch của một trường, và lần tổng hợp sau sẽ đọc lẫn tệp "
    "mới). Hãy ghi ra ngoài thư mục đó, ví dụ: {option} {example}"
)
OUTPUT_IS_PLAN = (
    "không ghi {what} vào '{path}': tệp này đã có và là kế hoạch của một trường (có trang "
    "Kế hoạch hoặc Thông tin); sheetkit không ghi đè kế hoạch. Hãy chọn một tên tệp khác; nếu "
    "chắc chắn không cần tệp đó nữa, hãy tự xóa hoặc đổi tên nó rồi chạy lại."
)
OUTPUT_IS_LOCKED = (
    "không ghi {what} vào '{path}': tệp này đã có và được đặt mật khẩu, nên không biết có phải "
    "kế hoạch của một trường không; sheetkit không ghi đè. Hãy chọn một tên tệp khác."
)


def guard_output(
    output: str | os.PathLike[str],
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    what: str,
    option: str = "-o",
) -> None:
    """Refuse (``UsageError``), before any work, an output that could replace what a school sent.

    Refused: an input itself; any path inside an input folder, at any depth
    (a later run reads it, and it may bear a school's file name); a file an
    input folder links to; an existing workbook that reads as a school plan.
    Replacing an earlier sheetkit summary, or a copy sheetkit wrote that
    nobody has saved since (``stamp_copy``), stays allowed. ``what`` names the
    output in the message ("tệp tổng hợp (-o)"), ``option`` the option to retype.
    """
    from ..reading.text import shown_path

    out = Path(output)
    target = Path(_resolved(out))
    shown = {"what": what, "path": shown_path(output)}
    for given in inputs:
        source = Path(given)
        if same_file(source, out):
            raise UsageError(OUTPUT_IS_INPUT.format(**shown))
        if not source.is_dir():
            continue
        folder = Path(_resolved(source))
        if target == folder or folder in target.parents:
            example = _outside(folder, out.name)
            raise UsageError(
                OUTPUT_IN_INPUT_FOLDER.format(
                    **shown, folder=shown_path(given), option=option, example=example
                )
            )
        if target in _linked_files(folder):
            raise UsageError(OUTPUT_IS_INPUT.format(**shown))
    refusal = _plan_refusal(out) if out.is_file() else None
    if refusal:
        raise UsageError(refusal.format(**shown))


def _resolved(path: str | os.PathLike[str]) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        return os.path.abspath(path)


def _outside(folder: Path, name: str) -> str:
    """A path for ``name`` beside ``folder``, as short as the user would type it."""
    beside = folder.parent / name
    with contextlib.suppress(ValueError):  # another drive (Windows)
        relative = os.path.relpath(beside)
        if len(relative) < len(str(beside)):
            beside = Path(relative)
    text = str(beside)
    return f"'{text}'" if any(c.isspace() for c in text) else text


def _linked_files(folder: Path) -> set[Path]:
    """Where the file links (symlinks) under ``folder`` lead: files a merge reads too.

    Linked folders are not followed, as the merge does not follow them.
    """
    found: set[Path] = set()
    pending = [folder]
    while pending:
        with contextlib.suppress(OSError), os.scandir(pending.pop()) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.is_symlink():
                        if not entry.is_dir():
                            found.add(Path(_resolved(entry.path)))
                    elif entry.is_dir():
                        pending.append(Path(entry.path))
    return found


def _plan_refusal(path: Path) -> str | None:
    """Why an existing file may not be replaced: it reads as a school's plan (any layout),
    or it is password-protected (it may be one); None when it may be replaced."""
    from ..reading.reader import is_plan_workbook
    from ..reading.sources import ReadError, open_workbook

    try:
        book = open_workbook(path)
    except ReadError as err:  # not a workbook, or damaged: nobody's plan to keep
        return OUTPUT_IS_LOCKED if err.reason in ("password", "encrypted") else None
    return OUTPUT_IS_PLAN if book.copy is None and is_plan_workbook(book) else None


# What a copy of a plan is made as (the mark's value): only these are written.
COPY_KINDS = ("annotate", "render", "fix")


def stamp_copy(wb, kind: str) -> None:
    """Mark an openpyxl workbook as a copy of a plan sheetkit is writing now.

    openpyxl records the save as the copy's saved time; the mark (custom
    document properties, which Excel and LibreOffice keep) says what sheetkit
    made it as and when. Until somebody saves the copy, which records a later
    saved time, merge knows an annotated copy from the school's plan, and a
    later run may write over the copy.
    """
    from openpyxl.packaging.custom import DateTimeProperty, StringProperty

    from ..reading.sources import COPY_MARK, COPY_WRITTEN

    if kind not in COPY_KINDS:
        raise ValueError(f"unknown copy kind: {kind}")
    props = wb.custom_doc_props
    for name in (COPY_MARK, COPY_WRITTEN):
        if name in props.names:
            del props[name]
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    props.append(StringProperty(name=COPY_MARK, value=kind))
    props.append(DateTimeProperty(name=COPY_WRITTEN, value=now))


def set_text(cell, value: Any) -> None:
    """Write a value as inert text: a school name "=HYPERLINK(...)" stays text, and
    control characters (which no workbook may hold) are written out as ``\\x1b``."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value if math.isfinite(value) else str(value)
    else:
        cell.value = show_controls(str(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"


def open_for_copy(source: str | os.PathLike[str], output: str | os.PathLike[str]):
    """The user's workbook opened with openpyxl, to be saved as ``output`` (never over ``source``).

    Macros are kept when both are .xlsm; links, formatting, dropdowns and
    defined names are kept as openpyxl can. The file's content decides, not its
    name: an .xls or .ods (which openpyxl cannot open) becomes a workbook of its
    values, sheet by sheet. openpyxl is stricter than the reader that checked
    the plan (control characters, odd XML): a ``ReadError`` says so in
    Vietnamese. The package is inspected as the reader does (no DTD, no bomb,
    no sheet beyond the limits) before openpyxl sees it.
    """
    from openpyxl import load_workbook

    from ..reading import sources

    if same_file(source, output):
        raise ValueError("output must differ from the input file")
    data = sources.read_bytes(source)
    kind = sources.sniff(data)
    if kind != "xlsx":
        return values_copy(source)
    sources.check_copyable(sources.inspect_package(data, kind))
    keep_vba = Path(source).suffix.lower() == ".xlsm" and Path(output).suffix.lower() == ".xlsm"
    try:
        with warnings.catch_warnings():  # openpyxl warns (in English) of what it drops
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), keep_vba=keep_vba, keep_links=True)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as err:  # XML, zip, KeyError, ValueError...: the file, not sheetkit
        raise sources.ReadError("copy_unreadable") from err


def values_copy(source: str | os.PathLike[str]):
    """A new openpyxl workbook holding the values of every sheet of ``source`` (any workbook
    the reader opens: .xls, .ods), text as inert text; formatting is not carried over."""
    from openpyxl import Workbook

    from ..reading.sources import MAX_COPY_CELLS, ReadError, open_workbook

    book = open_workbook(source)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    written = 0
    for name in book.sheet_names:
        ws = wb.create_sheet(_sheet_title(name, used))
        if name in book.hidden:
            ws.sheet_state = "hidden"
        for r, row in enumerate(book.grid(name), start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                written += 1
                if written > MAX_COPY_CELLS:
                    raise ReadError("copy_too_large", cells=f"{MAX_COPY_CELLS:,}".replace(",", "."))
                cell = ws.cell(row=r, column=c)
                if isinstance(value, (dt.date, dt.time, dt.timedelta)):
                    cell.value = value
                else:
                    set_text(cell, value)
    return wb


def _sheet_title(name: str, used: set[str]) -> str:
    """A sheet name openpyxl accepts (no []:*?/\\, at most 31 characters), unique."""
    title = re.sub(r"[\\\[\]:*?/]", "_", strip_controls(name)).strip("'")[:31] or "Sheet"
    base, n = title, 1
    while title.casefold() in used:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    used.add(title.casefold())
    return title
