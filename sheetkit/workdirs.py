"""Work folders that a killed run does not leave behind for ever.

A roll-up unpacks .zip archives into a work folder, and the tables for
analysts are staged in one before they replace the old set. ``finally``
removes such a folder, but a run killed outright (SIGKILL, a closed laptop,
Task Manager) cannot. Every work folder therefore holds an owner file that
its process keeps open and locked, and the next run removes the folders of
its kind that are older than a day and that no running process holds. Only
folders named with our own prefix are ever considered, so no other file of
the user's is touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

OWNER = ".sheetkit-owner"
STALE_AFTER = 24 * 3600  # seconds: a run never takes a day
# What tempfile.mkdtemp adds to the prefix; a folder named otherwise is never ours.
_MKDTEMP_TAIL = re.compile(r"[a-z0-9_]{8}")
# What versions before the owner file left in a merge's folder: unpacked members, 000001.xlsx.
_UNPACKED = re.compile(r"\d{6}(\.[A-Za-z0-9]+)?")


@contextlib.contextmanager
def work_folder(parent: str | os.PathLike[str], prefix: str) -> Iterator[Path]:
    """A fresh folder ``parent/prefix*``, removed on exit; stale ones of a killed run go first."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    sweep(parent, prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    owner = _claim(folder)
    try:
        yield folder
    finally:
        owner.close()
        shutil.rmtree(folder, ignore_errors=True)


def sweep(parent: str | os.PathLike[str], prefix: str, *, now: float | None = None) -> list[Path]:
    """Remove ``parent/prefix*`` work folders older than a day that no running process holds.

    Returns the folders removed. Only a folder named as ``work_folder`` names
    them and holding what sheetkit puts there (its owner file, or the
    unpacked members an older version left) is ours; files, links, other
    folders and a folder that cannot be examined are never touched.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        if not _MKDTEMP_TAIL.fullmatch(entry.name[len(prefix) :]):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER:
                continue
        except OSError:
            continue
        folder = Path(entry.path)
        if not _ours(folder) or _held(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _ours(folder: Path) -> bool:
    """The folder holds our owner file, or only the unpacked members of an older version."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    if OWNER in names:
        return True
    return all(_UNPACKED.fullmatch(name) and (folder / name).is_file() for name in names)


def _claim(folder: Path) -> IO[bytes]:
    """Open and lock the folder's owner file for as long as this run lives.

    The lock is taken on a file under a temporary name that is then renamed,
    so no other run ever sees an owner file that is not yet locked. The
    operating system releases the lock when the process dies, however it dies.
    """
    if sys.platform == "win32":
        # Windows refuses to delete a file that is open: the open file is the claim.
        return open(folder / OWNER, "wb")  # noqa: SIM115 (held open until the run ends)
    import fcntl

    pending = folder / f"{OWNER}.{os.getpid()}"
    handle = open(pending, "wb")  # noqa: SIM115 (held open until the run ends)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.replace(pending, folder / OWNER)
    return handle


def _held(folder: Path) -> bool:
    """True when a running process holds the folder's owner file (or it cannot be told)."""
    owner = folder / OWNER
    if sys.platform == "win32":
        try:
            owner.unlink(missing_ok=True)  # fails while the owning run keeps it open
        except OSError:
            return True
        return False
    import fcntl

    try:
        handle = open(owner, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return False  # a folder of an older version
    except OSError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
