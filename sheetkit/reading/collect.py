"""Finding the plan workbooks a district received: files, folders, .zip archives.

What an officer points us at is a mail download or a shared drive: workbooks
mixed with PDFs, Word files, Excel lock files, macOS and Windows system files,
and archives. Every file is accounted for: a workbook to read, or a reason it
is not read. Only Excel's and LibreOffice's lock files are dropped silently;
they are not files anybody sent.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..validators import files as reasons
from .sources import MAX_FILE_BYTES, READABLE_SUFFIXES
from .text import show_controls, shown_path

# A province's archive of several thousand plans unpacks to a few hundred MB.
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 50_000
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db", "icon\r"}
SKIPPED_FOLDERS = {"__macosx", "$recycle.bin", "system volume information"}
DOCUMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png", ".rtf"}


@dataclass(frozen=True)
class Candidate:
    """One file found in the inputs."""

    name: str  # what the officer recognises: the path as given, or "archive.zip/inner.xlsx"
    path: Path | None  # the file to read (archive members are extracted first)
    modified: float = 0.0  # POSIX time on disk: decides between copies only when the
    # workbook records no saved time (disk times follow downloads, not the school's work)
    problem: str | None = None  # why it is not read (Vietnamese, validators/files.py); None to read
    unreadable: bool = False  # the problem is an error (damaged archive), not a skip


def is_lock_file(name: str) -> bool:
    """Excel's ``~$Book.xlsx`` and LibreOffice's ``.~lock.Book.xlsx#`` while a file is open."""
    return name.startswith("~$") or name.startswith(".~lock.")


def _skip_reason(name: str) -> str | None:
    lowered = name.lower()
    if lowered in SYSTEM_FILES:
        return reasons.skipped("system")
    if name.startswith("."):
        return reasons.skipped("hidden")
    suffix = PurePosixPath(lowered).suffix
    if suffix in READABLE_SUFFIXES or suffix == ".zip":
        return None
    if suffix in DOCUMENT_SUFFIXES:
        return reasons.skipped("document", kind=suffix[1:].upper())
    return reasons.skipped("not_spreadsheet")


def collect(paths: list[str | os.PathLike[str]], workdir: Path, exclude=()) -> list[Candidate]:
    """Every file under ``paths`` in a stable order; archive members are extracted to ``workdir``.

    ``exclude`` lists files never to read (the output being written).
    """
    excluded = {_resolved(p) for p in exclude}
    found: list[Candidate] = []
    counter = iter(range(10**9))
    for given in paths:
        path = Path(given)
        if not path.exists():
            found.append(_refused(shown_path(given), "path_not_found"))
        elif path.is_dir():
            top = Path(_resolved(path)).name or path.name
            for file, problem in _walk(path):
                # Named from the chosen folder: "quan-10/th-hoa-sen.xlsx".
                name = shown_path((Path(top) / file.relative_to(path)).as_posix())
                if problem:
                    found.append(problem(name))
                elif _resolved(file) not in excluded:
                    found.extend(_candidates(file, name, workdir, counter))
        elif _resolved(path) not in excluded:
            found.extend(_candidates(path, shown_path(given), workdir, counter, explicit=True))
    return found


def _resolved(path) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        return str(path)


def _walk(folder: Path):
    """(path, None) for each file under ``folder``, sorted, without descending into hidden
    or system folders; (path, problem) for a folder that is not searched and should be."""
    problems: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=lambda err: problems.append(err.filename)):
        here = Path(root)
        searched = [d for d in dirs if not d.startswith(".") and d.lower() not in SKIPPED_FOLDERS]
        dirs[:] = sorted(d for d in searched if not (here / d).is_symlink())
        for name in sorted(d for d in searched if (here / d).is_symlink()):
            yield here / name, _linked_folder
        for name in sorted(files):
            yield here / name, None
        while problems:
            yield Path(problems.pop()), _closed_folder
    while problems:  # the chosen folder itself could not be listed
        yield Path(problems.pop()), _closed_folder


def _linked_folder(name: str) -> Candidate:
    return Candidate(name, None, problem=reasons.skipped("linked_folder"))


def _closed_folder(name: str) -> Candidate:
    return _refused(name, "folder_unreadable")


def _candidates(path: Path, name: str, workdir: Path, counter, explicit=False):
    base = path.name
    if is_lock_file(base):
        return
    reason = None if explicit else _skip_reason(base)
    if reason:
        yield Candidate(name, None, problem=reason)
        return
    try:
        modified = path.stat().st_mtime
    except OSError:
        modified = 0.0
    if path.suffix.lower() == ".zip":
        yield from _archive(path, name, workdir, counter)
    else:
        yield Candidate(name, path, modified)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author typed it.

    Zip tools on Windows often store UTF-8 names without setting the UTF-8
    flag; Python then decodes them as cp437 and Vietnamese names turn to
    gibberish. Undo that when the bytes are valid UTF-8.
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _archive(path: Path, name: str, workdir: Path, counter):
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.filename.endswith("/")]
            if len(members) > MAX_ARCHIVE_MEMBERS:
                yield _refused(name, "archive_too_many", count=len(members))
                return
            declared = sum(m.file_size for m in members)
            if declared > MAX_ARCHIVE_BYTES:
                yield _refused(name, "archive_too_large", megabytes=declared // 2**20)
                return
            for member in sorted(members, key=_member_name):
                shown = show_controls(f"{name}/{_member_name(member)}")
                yield from _member(archive, member, shown, workdir, counter)
    except Exception:  # a damaged archive breaks zipfile in many ways (struct, zlib, lzma...)
        yield _refused(name, "archive_damaged")


def _member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, workdir, counter):
    parts = PurePosixPath(name.replace("\\", "/")).parts
    base = parts[-1]
    if is_lock_file(base) or any(p.lower() in SKIPPED_FOLDERS for p in parts[:-1]):
        return
    reason = _skip_reason(base)
    if reason:
        yield Candidate(name, None, problem=reason)
        return
    suffix = PurePosixPath(base.lower()).suffix
    if suffix == ".zip":
        yield Candidate(name, None, problem=reasons.skipped("nested_archive"))
        return
    if member.file_size > MAX_FILE_BYTES:
        yield _refused(name, "member_too_large")
        return
    # Members are written under numbered names in our own folder, never under the
    # names they carry: "../../x.xlsx" cannot leave the folder.
    target = workdir / f"{next(counter):06d}{suffix}"
    if member.flag_bits & 0x1:
        yield _refused(name, "member_encrypted")
        return
    try:
        _extract(archive, member, target)
    except NotImplementedError:  # a compression method zipfile does not know
        yield _refused(name, "member_unextractable")
        return
    except Exception:  # CRC, zlib, lzma, a header that lies...
        yield _refused(name, "member_damaged")
        return
    modified = _zip_time(member)
    yield Candidate(name, target, modified)


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    """Copy one member out, stopping if it grows past what its header declared."""
    limit = min(member.file_size, MAX_FILE_BYTES) + 1
    with archive.open(member) as src, target.open("wb") as dst:
        shutil.copyfileobj(_Capped(src, limit), dst)


class _Capped:
    """A reader that raises when more than ``limit`` bytes come out (a lying zip header)."""

    def __init__(self, stream, limit: int):
        self.stream, self.left = stream, limit

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size and size > 0 else 1 << 20)
        self.left -= len(data)
        if self.left < 0:
            raise ValueError("member larger than declared")
        return data


def _zip_time(member: zipfile.ZipInfo) -> float:
    import datetime as dt

    try:
        return dt.datetime(*member.date_time).timestamp()
    except (ValueError, OverflowError):
        return 0.0


def _refused(name: str, reason: str, **details: object) -> Candidate:
    """A file that should have been read but cannot be: ``reason`` from validators/files.py."""
    return Candidate(name, None, problem=reasons.unreadable(reason, **details), unreadable=True)
