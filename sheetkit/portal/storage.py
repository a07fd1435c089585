"""Uploaded files: streamed to DATA/tmp under a size limit, sniffed, stored under their digest.

A file is complete under DATA/files/<aa>/<digest><suffix> (written to a
temporary name, fsynced, renamed) before any database row names it, so a
server killed at any moment leaves either nothing or a whole file; the next
start removes what is left in DATA/tmp. Files are only ever read, never run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

from ..reading.sources import ReadError, refuse_kind, sniff

CHUNK = 1024 * 1024


def data_folder() -> Path:
    return Path(settings.SHEETKIT_DATA)


def max_upload() -> int:
    return int(settings.SHEETKIT_MAX_UPLOAD)


def too_large_message() -> str:
    return (
        f"Tệp lớn hơn {max_upload() // (1024 * 1024)} MB nên không nhận. Một kế hoạch thường "
        "dưới 2 MB: hãy xóa ảnh, trang tính thừa trong tệp, lưu lại rồi tải lên lần nữa."
    )


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Django's file-on-disk upload, stopped as soon as it passes the size limit.

    The request's Content-Length is checked before anything is read
    (``UploadLimitMiddleware`` answers it first); a body that lies about
    its length is still stopped at the limit while it streams.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > max_upload() + 64 * 1024:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > max_upload():
            self.request.upload_too_large = True
            self.file.close()  # the temporary file is removed with it
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


class Refused(Exception):
    """An upload that is not a workbook we take; ``str(err)`` is for the user (Vietnamese)."""


@dataclass
class Stored:
    digest: str
    relative: str  # under DATA/files
    size: int

    @property
    def path(self) -> Path:
        return data_folder() / "files" / self.relative


def workbook_suffix(path: Path) -> str:
    """.xlsx, .xlsm or .ods by content (the zip's parts), or ``Refused`` with what to do.

    Only the zip's directory is read (and 100 bytes of an .ods mimetype): a
    hostile archive is never unpacked here, only in the isolated worker.
    """
    with path.open("rb") as f:
        head = f.read(64 * 1024)
    if not head.startswith(b"PK\x03\x04"):
        kind = sniff(head)
        if kind in ("xls", "xlsb", "damaged_ole"):
            raise Refused(
                "Tệp này là bảng tính Excel đời cũ (.xls) hoặc dạng nhị phân (.xlsb). Hãy mở bằng "
                "Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx) rồi tải lên tệp .xlsx."
            )
        raise Refused(_reason(kind))
    try:
        with zipfile.ZipFile(path) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            if "xl/workbook.xml" in names:
                return ".xlsm" if "xl/vbaproject.bin" in names else ".xlsx"
            if "content.xml" in names and "mimetype" in names:
                with archive.open(names["mimetype"]) as member:
                    if b"spreadsheet" in member.read(100):
                        return ".ods"
            if "xl/workbook.bin" in names:
                raise Refused(
                    "Tệp dạng Excel nhị phân (.xlsb): hãy mở bằng Excel, Lưu thành kiểu .xlsx "
                    "rồi tải lên lại."
                )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as err:
        raise Refused(_reason("damaged_zip")) from err
    raise Refused(
        "Tệp không phải bảng tính Excel (.xlsx). Hãy tải lên tệp kế hoạch lập bằng mẫu của "
        "sheetkit, lưu dạng .xlsx."
    )


def _reason(kind: str) -> str:
    try:
        message = str(refuse_kind(kind))
    except (KeyError, ReadError) as err:  # pragma: no cover - every kind has a reason
        message = str(err)
    return f"{message} Hãy tải lên tệp kế hoạch dạng .xlsx."


def store(source: Path, suffix: str) -> Stored:
    """Copy ``source`` into DATA/files under its SHA-256, complete and on disk before returning."""
    digest = hashlib.sha256()
    size = 0
    tmp_folder = data_folder() / "tmp"
    tmp_folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = _temp(tmp_folder)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        hexdigest = digest.hexdigest()
        relative = f"{hexdigest[:2]}/{hexdigest}{suffix}"
        target = data_folder() / "files" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.stat().st_size == size:
            os.unlink(tmp_name)  # the same bytes are stored already
        else:
            os.replace(tmp_name, target)
            _fsync_folder(target.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return Stored(hexdigest, relative, size)


def _temp(folder: Path) -> tuple[int, str]:
    import tempfile

    return tempfile.mkstemp(prefix="store-", suffix=".part", dir=folder)


def _fsync_folder(folder: Path) -> None:
    """The rename itself on disk (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stored_path(relative: str) -> Path:
    """A stored file's path; a name that would leave DATA/files is refused."""
    root = (data_folder() / "files").resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"stored path outside the files folder: {relative}")
    return path


def derived_path(digest: str, kind: str, suffix: str) -> Path:
    """Where a file made from a stored one is cached (the annotated copy, the draft)."""
    if not all(c in "0123456789abcdef" for c in digest) or len(digest) != 64:
        raise ValueError("not a digest")
    return data_folder() / "derived" / f"{digest}-{kind}{suffix}"


def sweep_temporaries() -> int:
    """Remove everything left in DATA/tmp (uploads and copies cut short by a stop or a kill).

    Run at start, before the server answers: nothing in it belongs to a live request then.
    """
    removed = 0
    folder = data_folder() / "tmp"
    for folder_to_sweep in (folder, data_folder() / "derived"):
        if not folder_to_sweep.is_dir():
            continue
        for entry in folder_to_sweep.iterdir():
            if folder_to_sweep != folder and not entry.name.startswith((".part-", ".sheetkit-")):
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed += 1
    return removed
