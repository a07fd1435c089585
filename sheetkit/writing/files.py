"""Writing outputs safely: a temporary file beside the target, renamed into place.

A crash, a full disk or Excel holding the old file open never leaves a
half-written workbook under the name the user asked for. An output that
cannot be written as asked (a wrong suffix, the input itself) is refused
with a ``UsageError`` before any work.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class UsageError(ValueError):
    """A request that cannot be carried out as asked; ``str(err)`` is for the user (Vietnamese)."""


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sheetkit-", suffix=target.suffix, dir=target.parent)
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


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when two paths name one file (so an output would overwrite its input)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def open_for_copy(source: str | os.PathLike[str], output: str | os.PathLike[str]):
    """The user's workbook opened with openpyxl, to be saved as ``output`` (never over ``source``).

    Macros are kept when both are .xlsm; links, formatting, dropdowns and
    defined names are kept as openpyxl can.
    """
    from openpyxl import load_workbook

    if same_file(source, output):
        raise ValueError("output must differ from the input file")
    keep_vba = Path(source).suffix.lower() == ".xlsm" and Path(output).suffix.lower() == ".xlsm"
    return load_workbook(source, keep_vba=keep_vba, keep_links=True)
