"""Writing outputs safely: a temporary file beside the target, renamed into place.

A crash, a full disk or Excel holding the old file open never leaves a
half-written workbook under the name the user asked for. A run that is
killed while writing cannot remove its temporary file, so each temporary
name says which machine and process wrote it
(``.sheetkit-<host>-<pid>-<random>.xlsx``); the next run in that folder
removes the ones of this machine whose process is gone, and no other file. An output that
cannot be written as asked (a wrong suffix, the input itself) is refused
with a ``UsageError`` before any work.
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
from collections.abc import Iterator
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
