"""Sources of grids: a workbook file on disk, read with python-calamine.

A grid is a list of rows of plain cell values (str, float, int, bool, date,
datetime), row 0 being Excel row 1 and column 0 column A. The Excel glue
(xlwings) produces the same grids from a live workbook, so everything after
this module never knows where the values came from.

What a district receives is not always what its name says: an .xls renamed
.xlsx, a Word file saved as .xlsx, a workbook cut short by a download, or a
file made to hurt. The file's bytes decide what it is, and before the fast
reader (which aborts the whole process when it cannot allocate) sees a
package, every part is unpacked once here, bounded: sizes are checked against
what the zip headers declare, XML that declares a DTD is refused (no entity is
ever expanded), a shared-strings count that lies is dropped, and each sheet is
measured by the cells really in it, so a stray cell at XFD1048576 is a
message, not a 17-billion-cell grid.
"""

from __future__ import annotations

import errno
import html
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..validators import files as reasons
from .text import folded_key, label_key

Grid = list[list[object]]

READABLE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
# An honest plan workbook is well under 5 MB; these bounds refuse archive bombs.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
# The largest sheet read: the area from A1 to the last filled cell. A plan has
# a few hundred rows of 15 columns; these leave room for any real workbook (a
# note typed in column XFD of a 200-row sheet) and keep a grid near 150 MB.
MAX_SHEET_ROWS = 100_000
MAX_SHEET_CELLS = 4_000_000
# A full copy of the workbook (check --annotate, render -o .xlsx) holds every cell of
# every sheet as a Python object, about 500 bytes each.
MAX_COPY_CELLS = 1_000_000
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
# A shared-strings table may announce a few more strings than it holds; far more
# would make the reader reserve memory for strings that are not there.
SST_COUNT_SLACK = 10_000

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # all Excel and LibreOffice write


class ReadError(Exception):
    """The file cannot be read as a workbook.

    ``reason`` names the fact (validators/files.py words it); ``str(err)`` is
    the Vietnamese sentence for the user.
    """

    def __init__(self, reason: str, **details: object):
        self.reason = reason
        self.details = details
        super().__init__(reasons.unreadable(reason, **details))

    def headline(self, name: str) -> str:
        """The one line a command prints for the file ``name``."""
        return reasons.headline(name, str(self), copy=self.reason in reasons.COPY)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26 (any length: a reference may be nonsense)."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


class Workbook:
    """Sheets of one workbook, read lazily: only the sheets a command needs are parsed.

    ``kind`` is what the file's bytes are ("xlsx", "xls", "ods", ...);
    ``title`` its document title, if it has one; ``saved`` when it was last
    saved, as the workbook itself records it (POSIX time; None when it does
    not say); ``copy`` what sheetkit made it as ("annotate", "render", "fix")
    when it is a copy sheetkit wrote and nobody has saved since, else None.
    """

    def __init__(
        self,
        sheet_names: list[str],
        load: Callable[[str], Grid],
        hidden=(),
        kind: str = "",
        title: str = "",
        saved: float | None = None,
        copy: str | None = None,
    ):
        self.sheet_names = sheet_names
        self.hidden = set(hidden)
        self.kind = kind
        self.title = title
        self.saved = saved
        self.copy = copy
        self._load = load
        self._cache: dict[str, Grid] = {}

    def find_sheet(self, label: str) -> str | None:
        """The workbook's own name of the sheet the contract calls ``label``."""
        for key_fn in (label_key, folded_key):
            wanted = key_fn(label)
            for name in self.sheet_names:
                if key_fn(name) == wanted:
                    return name
        return None

    def grid(self, name: str) -> Grid:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    @classmethod
    def from_grids(cls, grids: dict[str, Grid]) -> Workbook:
        """A workbook from grids already in memory (tests, the Excel glue)."""
        return cls(list(grids), grids.__getitem__)


# ----------------------------------------------------------------- the file itself


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or a ReadError that says what is wrong with the path."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError as err:
        raise ReadError("broken_link" if path.is_symlink() else "not_found") from err
    except PermissionError as err:
        raise ReadError("no_permission") from err
    except OSError as err:
        raise _os_error(err) from err
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("is_folder")
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device: opening it could wait forever
        raise ReadError("not_regular")
    if info.st_size == 0:
        raise ReadError("empty")
    if info.st_size > MAX_FILE_BYTES:
        raise ReadError("too_large", megabytes=info.st_size // (1024 * 1024))
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError as err:
        raise ReadError("no_permission") from err
    except OSError as err:
        raise _os_error(err) from err
    if not data:
        raise ReadError("empty")
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("too_large", megabytes=len(data) // (1024 * 1024))
    return data


def _os_error(err: OSError) -> ReadError:
    if err.errno == errno.ELOOP:
        return ReadError("link_loop")
    if err.errno in (errno.EACCES, errno.EPERM):
        return ReadError("no_permission")
    if err.errno == errno.ENAMETOOLONG:
        return ReadError("name_too_long")
    return ReadError("disk_error")


# ----------------------------------------------------------------- what the bytes are

# Names of compound-file (OLE) streams, as stored in its directory (UTF-16LE).
_OLE_STREAMS = {
    "encrypted": ("EncryptedPackage", "EncryptionInfo"),
    "xls": ("Workbook", "Book"),
    "doc": ("WordDocument",),
    "ppt": ("PowerPoint Document",),
}


def sniff(data: bytes) -> str:
    """What a file is, from its bytes: a workbook kind ("xlsx", "xlsb", "ods", "xls"),
    "encrypted", "damaged_zip", or a kind that is not a workbook ("docx", "pdf", ...).
    """
    if data.startswith(ZIP_SIGNATURES):
        return _zip_kind(data)
    if data.startswith(OLE_SIGNATURE):
        return _ole_kind(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in head:
        return "html"
    if data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1") or data[:3] == b"GIF":
        return "image"
    if data.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "archive"
    return "unknown"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "content.xml" in names:
                mimetype = b""
                if "mimetype" in names:
                    mimetype = archive.read(names["mimetype"])[:100]
                if not mimetype or b"spreadsheet" in mimetype:
                    return "ods"
                return "odt"
            if "word/document.xml" in names:
                return "docx"
            if "ppt/presentation.xml" in names:
                return "pptx"
            return "zip"
    except Exception:  # a zip directory that lies breaks zipfile in many ways
        return "damaged_zip"


def _ole_kind(data: bytes) -> str:
    """The kind of a compound file by its stream names (directory entries are 128-byte aligned)."""
    for kind, streams in _OLE_STREAMS.items():
        for stream in streams:
            needle = stream.encode("utf-16-le") + b"\0\0"
            start = data.find(needle)
            while start != -1:
                if start % 128 == 0:
                    return kind
                start = data.find(needle, start + 1)
    return "damaged_ole"


# What the bytes are, for a file that is not a workbook we read (the reason's id).
NOT_WORKBOOK = {
    "encrypted": "encrypted",
    "damaged_zip": "damaged_zip",
    "damaged_ole": "damaged",
    "docx": "renamed_document",
    "odt": "renamed_document",
    "pptx": "renamed_document",
    "doc": "renamed_document",
    "ppt": "renamed_document",
    "pdf": "renamed_document",
    "rtf": "renamed_document",
    "image": "renamed_document",
    "html": "html",
    "xml2003": "xml2003",
    "zip": "plain_zip",
    "archive": "plain_zip",
    "unknown": "not_workbook",
}
KIND_NAMES = {
    "docx": "Word (.docx)",
    "doc": "Word (.doc)",
    "odt": "văn bản OpenDocument (.odt)",
    "pptx": "PowerPoint (.pptx)",
    "ppt": "PowerPoint (.ppt)",
    "pdf": "PDF",
    "rtf": "văn bản RTF",
    "image": "ảnh",
}


def refuse_kind(kind: str) -> ReadError:
    """The error for bytes that are not a workbook we read."""
    return ReadError(NOT_WORKBOOK[kind], kind=KIND_NAMES.get(kind, kind))


# ----------------------------------------------------------------- inside a zip package


@dataclass
class Package:
    """A zip workbook unpacked once and measured: what the fast reader may safely open."""

    data: bytes  # the bytes to hand the reader (repaired when a count lied)
    title: str = ""
    saved: float | None = None  # dcterms:modified (.ods: dc:date), POSIX time
    stamp: tuple[str, float | None] | None = None  # sheetkit's copy mark: (kind, written)
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> part
    worksheets: dict[str, bytes] = field(default_factory=dict)  # worksheet part -> its XML
    _measured: dict[str, Extent] = field(default_factory=dict, repr=False)

    @property
    def copy(self) -> str | None:
        """What sheetkit wrote this workbook as, while nobody has saved it since.

        Excel and LibreOffice keep the mark but set the saved time when they
        save: a copy saved later than sheetkit wrote it is somebody's work.
        """
        if self.stamp is None:
            return None
        kind, written = self.stamp
        if written is not None and self.saved is not None and self.saved > written + SAVED_SLACK:
            return None
        return kind

    def extent(self, part: str) -> Extent:
        """What a worksheet part holds, measured when first asked: a roll-up reads four
        sheets of a plan and never pays for the lists and the guide."""
        if part not in self._measured:
            self._measured[part] = sheet_extent(self.worksheets[part])
        return self._measured[part]

    @property
    def extents(self) -> dict[str, Extent]:
        """Every worksheet part measured (a full copy needs them all)."""
        return {part: self.extent(part) for part in self.worksheets}


_XML_PARTS = (".xml", ".rels", ".vml")
_WORKSHEET = re.compile(r"(?i)^xl/worksheets/[^/]+\.xml$")
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*?)(/?)>")
_CELL_REF = re.compile(rb'\sr\s*=\s*["\']\$?([A-Za-z]{1,12})\$?(\d{1,20})["\']')
_ROW_REF = re.compile(rb'\sr\s*=\s*["\'](\d{1,20})["\']')
_SST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b[^>]*>")
_SST_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SST_COUNT = re.compile(rb'\s(?:count|uniqueCount)\s*=\s*["\']([^"\']*)["\']')
_TITLE = re.compile(rb"<dc:title>([^<]{0,500})</dc:title>")
# The last save: dcterms:modified in an Office package's core.xml, dc:date in an .ods meta.xml.
_MODIFIED = re.compile(rb"<(?:[\w.-]+:)?(?:modified|date)\b[^>]*>\s*([^<]{1,60}?)\s*</")
_W3CDTF = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d\d:?\d\d)?$"
)
# The mark sheetkit leaves in the copies it writes (writing/files.py: stamp_copy).
COPY_MARK, COPY_WRITTEN = "sheetkit-copy", "sheetkit-written"
_CUSTOM = re.compile(
    rb'<(?:[\w.-]+:)?property\b[^>]*\bname="(sheetkit-copy|sheetkit-written)"[^>]*>\s*'
    rb"<(?:[\w.-]+:)?\w+\b[^>]*>([^<]{0,60})</"
)
# A copy saved within this many seconds of being written is still sheetkit's.
SAVED_SLACK = 2.0
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_MERGE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\sref\s*=\s*"\$?([A-Za-z]{1,12})\$?(\d{1,20}):'
    rb'\$?([A-Za-z]{1,12})\$?(\d{1,20})"'
)
# A cell tag: <c r="A1" (its column captured) or any other form (<c s="1" r=..>,
# <x:c ...>, <c/>, <c>), captured empty, which sends the sheet to the slow path.
_CELL_TAG = re.compile(rb'<c r="([A-Z]{1,3})\d{1,7}"|<(?:[A-Za-z_][\w.-]*:)?c(?=[\s>/])')
_SIMPLE_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')


def inspect_package(data: bytes, kind: str) -> Package:
    """Unpack every part of a zip workbook once, bounded; raise ReadError when it is unsafe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as err:
        raise ReadError("damaged_zip") from err
    package = Package(data)
    with archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ReadError("zip_bomb")
        parts: dict[str, bytes] = {}
        for member in members:
            if member.is_dir():
                continue
            if member.flag_bits & 0x1 or member.compress_type not in ZIP_METHODS:
                raise ReadError("zip_method")
            if member.file_size > MAX_PART_BYTES:
                raise ReadError("zip_bomb")
            content = _unpack(archive, member)
            name = member.filename
            if name.lower().endswith(_XML_PARTS) and _declares_dtd(content):
                raise ReadError("xml_dtd")
            if kind == "xlsx" and _WORKSHEET.match(name):
                package.worksheets[name] = content
            elif kind == "ods" and name == "content.xml":
                # The reader builds every sheet of an .ods when it opens it: all are checked now.
                for sheet, extent in ods_extents(content).items():
                    check_extent(sheet, extent.rows, extent.cols, extent.far)
            elif name.lower() in ("xl/sharedstrings.xml", "xl/workbook.xml") or name.endswith(
                ".rels"
            ):
                parts[name.lower()] = content
            elif name.lower() in ("docprops/core.xml", "meta.xml"):
                found = _TITLE.search(content)
                if found:
                    package.title = html.unescape(found[1].decode("utf-8", "replace")).strip()
                found = _MODIFIED.search(content)
                package.saved = w3cdtf_time(found[1]) if found else None
            elif name.lower() == "docprops/custom.xml":
                package.stamp = _copy_stamp(content)
        if kind == "xlsx":
            package.sheet_parts = _sheet_parts(parts)
            sst = parts.get("xl/sharedstrings.xml")
            if sst is not None and _sst_count_lies(sst):
                package.data = _repack(archive, _drop_sst_counts)
    return package


def w3cdtf_time(text: bytes | str) -> float | None:
    """A document property's date ("2027-01-15T03:20:00Z") as POSIX time; None if it is not one.

    A time without a zone (LibreOffice's meta.xml) is this machine's local time.
    """
    import datetime as dt

    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    found = _W3CDTF.match(text.strip())
    if not found:
        return None
    year, month, day, hour, minute, second, zone = found.groups()
    try:
        when = dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        if zone:
            zone = zone.replace(":", "")
            offset = 0 if zone == "Z" else (int(zone[1:3]) * 60 + int(zone[3:5]))
            offset = -offset if zone.startswith("-") else offset
            when = when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
        stamp = when.timestamp()
    except (ValueError, OverflowError, OSError):
        return None
    return stamp if stamp > 0 else None  # 1899/1970 "dates" mean the writer did not know


def _copy_stamp(content: bytes) -> tuple[str, float | None] | None:
    """(kind, written) from sheetkit's mark in docProps/custom.xml, or None."""
    found = {
        m[1].decode(): m[2].decode("utf-8", "replace").strip() for m in _CUSTOM.finditer(content)
    }
    if COPY_MARK not in found:
        return None
    written = found.get(COPY_WRITTEN)
    return found[COPY_MARK], w3cdtf_time(written) if written else None


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's content; more bytes than its header declared, or a bad CRC, is damage."""
    try:
        with archive.open(member) as stream:
            content = stream.read(member.file_size + 1)
    except MemoryError:
        raise
    except Exception as err:  # zlib.error, BadZipFile (CRC), EOFError, NotImplementedError...
        raise ReadError("damaged_zip") from err
    if len(content) != member.file_size:
        raise ReadError("damaged_zip")
    return content


def _declares_dtd(content: bytes) -> bool:
    """True when an XML part has a DOCTYPE or ENTITY before its first element."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        content = content[:8192].decode("utf-16", "replace").encode("utf-8")
    first = _FIRST_ELEMENT.search(content)
    prolog = content[: first.start()] if first else content
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


class Extent(NamedTuple):
    """What a worksheet part really holds."""

    rows: int  # the last row with a filled cell
    cols: int  # the last column with a filled cell (1 = A)
    far: str  # the cell that set the farthest row or column ("XFD1048576")
    cells: int  # filled cells
    merged: int  # cells inside merged ranges
    merged_ref: str  # the largest merged range


def sheet_extent(xml: bytes) -> Extent:
    """What a worksheet part holds: the farthest filled cell, the cells, the merged areas.

    The reader sizes its grid by the farthest filled cell, so this is what
    reading the sheet will cost; empty formatted cells (``<c r="X9" s="1"/>``)
    do not count. Where every cell is written ``<c r="A1" ...>`` (Excel,
    LibreOffice, XlsxWriter, openpyxl) a few fast passes bound the sheet;
    otherwise, or when that bound is large, cells are placed one by one, as
    readers place them.
    """
    rows = cols = cells = 0
    far = ""
    # One pass: the column of each <c r="A1" ...>, b"" for any other cell tag.
    columns = _CELL_TAG.findall(xml)
    if not columns.count(b""):
        # Every cell is <c r="A1" ...>: the farthest reference bounds the filled cells.
        if columns:
            rows = int(max(set(_SIMPLE_ROW.findall(xml)), key=lambda r: (len(r), r)))
            cols = 1 + column_index(max(set(columns), key=lambda c: (len(c), c)).decode())
        cells = len(columns)
        if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
            # Empty formatted cells counted too: place the filled ones to be sure.
            rows, cols, far, _ = _placed_extent(xml)
    else:
        rows, cols, far, cells = _placed_extent(xml)
    merged, merged_ref, largest = 0, "", 0
    for found in _MERGE.finditer(xml) if b"mergeCell" in xml else ():
        first, last = column_index(found[1].decode()), column_index(found[3].decode())
        area = (abs(last - first) + 1) * (abs(int(found[4]) - int(found[2])) + 1)
        merged += area
        if area > largest:
            largest, merged_ref = area, found[0].decode().split('"')[-2]
    return Extent(rows, cols, far, cells, merged, merged_ref)


def _placed_extent(xml: bytes) -> tuple[int, int, str, int]:
    """(rows, columns, farthest cell, cells) placing each cell: one without a
    reference follows the previous one, a row without one the previous row.
    The farthest cell is the one in the last row, or in the last column when the
    columns are what makes the sheet large."""
    rows = cols = cells = 0
    last_row = last_col = ""
    row = 0
    col = -1
    for match in _ROW_OR_CELL.finditer(xml):
        kind, attrs, closed = match.groups()
        if kind == b"row":
            found = _ROW_REF.search(attrs)
            row = int(found[1]) if found else row + 1
            col = -1
            continue
        ref = _CELL_REF.search(attrs)
        if ref:
            col = column_index(ref[1].decode())
            row = int(ref[2]) or row
        else:
            col += 1
        if closed:
            continue
        cells += 1
        if row > rows:
            rows, last_row = row, f"{column_letter(col)}{row}"
        if col + 1 > cols:
            cols, last_col = col + 1, f"{column_letter(col)}{row}"
    wide = rows <= MAX_SHEET_ROWS and (cols > EXCEL_COLUMNS or cols > rows)
    return rows, cols, last_col if wide else last_row, cells


_ODS_TABLE = re.compile(rb"<table:table\s[^>]*?table:name\s*=\s*\"([^\"]*)\"[^>]*>")
_ODS_TOKEN = re.compile(
    rb"<(table:table-row|table:table-cell|table:covered-table-cell|/table:table-row|/table:table)"
    rb"(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_ROWS = re.compile(rb'table:number-rows-repeated\s*=\s*"(\d{1,12})"')
_ODS_COLUMNS = re.compile(rb'table:number-columns-repeated\s*=\s*"(\d{1,12})"')


def ods_extents(content: bytes) -> dict[str, Extent]:
    """Sheet name -> what it holds, for an OpenDocument spreadsheet's content.xml.

    A row or cell may say it repeats (``number-rows-repeated="1048576"``):
    LibreOffice writes that for the empty rest of a sheet, which costs
    nothing, but a filled cell repeated is as many filled cells.
    """
    extents: dict[str, Extent] = {}
    for table in _ODS_TABLE.finditer(content):
        name = html.unescape(table[1].decode("utf-8", "replace"))
        rows = cols = cells = 0
        row = col = 0  # the next row and column to place (0-based)
        row_repeat, row_filled_to = 1, 0
        for token in _ODS_TOKEN.finditer(content, table.end()):
            tag, attrs, closed = token.groups()
            if tag == b"/table:table":
                break
            if tag == b"table:table-row":
                found = _ODS_ROWS.search(attrs)
                row_repeat, col, row_filled_to = int(found[1]) if found else 1, 0, 0
                if closed:
                    row += row_repeat
            elif tag == b"/table:table-row":
                if row_filled_to:
                    rows = max(rows, row + row_repeat)
                    cols = max(cols, row_filled_to)
                    cells += row_filled_to * row_repeat
                row += row_repeat
            else:
                found = _ODS_COLUMNS.search(attrs)
                repeat = int(found[1]) if found else 1
                if not closed or b"office:value-type" in attrs:
                    row_filled_to = col + repeat
                col += repeat
        extents[name] = Extent(rows, cols, f"{column_letter(max(cols, 1) - 1)}{rows}", cells, 0, "")
    return extents


def check_extent(sheet: str, rows: int, cols: int, far: str) -> None:
    """Refuse a sheet whose grid would be beyond what sheetkit reads."""
    if rows > EXCEL_ROWS or cols > EXCEL_COLUMNS:
        raise ReadError("cell_out_of_range", sheet=sheet, cell=far)
    if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
        raise ReadError(
            "sheet_too_large",
            sheet=sheet,
            cell=far,
            rows=f"{MAX_SHEET_ROWS:,}".replace(",", "."),
            cells=f"{MAX_SHEET_CELLS:,}".replace(",", "."),
        )


def check_copyable(package: Package) -> None:
    """Refuse a workbook too large for a full copy (openpyxl keeps every cell, and
    every cell of a merged range, as an object): every sheet, not only the plan's."""
    names = {part: name for name, part in package.sheet_parts.items()}
    for part, extent in package.extents.items():
        sheet = names.get(part, part.rsplit("/", 1)[-1])
        check_extent(sheet, extent.rows, extent.cols, extent.far)
        if extent.merged > MAX_SHEET_CELLS:
            raise ReadError("merge_too_large", sheet=sheet, cell=extent.merged_ref)
    if sum(e.cells for e in package.extents.values()) > MAX_COPY_CELLS:
        raise ReadError("copy_too_large", cells=f"{MAX_COPY_CELLS:,}".replace(",", "."))


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships."""
    workbook = parts.get("xl/workbook.xml", b"").decode("utf-8", "replace")
    rels = parts.get("xl/_rels/workbook.xml.rels", b"").decode("utf-8", "replace")
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            path = target[1].lstrip("/")
            targets[rid[1]] = path if path.startswith("xl/") else f"xl/{path}"
    mapping = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]*)"', tag)
        if name and rid and rid[1] in targets:
            mapping[html.unescape(name[1])] = targets[rid[1]]
    return mapping


def _sst_count_lies(sst: bytes) -> bool:
    tag = _SST_TAG.search(sst)
    if not tag:
        return False
    declared = _SST_COUNT.findall(tag[0])
    if not declared:
        return False
    real = len(_SST_ITEM.findall(sst))
    return any(not d.isdigit() or int(d) > real + SST_COUNT_SLACK for d in declared)


def _drop_sst_counts(name: str, content: bytes) -> bytes:
    if name.lower() != "xl/sharedstrings.xml":
        return content
    tag = _SST_TAG.search(content)
    fixed = _SST_COUNT.sub(b"", tag[0])
    return content[: tag.start()] + fixed + content[tag.end() :]


def _repack(archive: zipfile.ZipFile, edit: Callable[[str, bytes], bytes]) -> bytes:
    """The package rewritten with ``edit`` applied to each part (members already checked)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in archive.infolist():
            if not member.is_dir():
                target.writestr(member.filename, edit(member.filename, archive.read(member)))
    return out.getvalue()


# ----------------------------------------------------------------- opening a workbook


def open_workbook(path: str | os.PathLike[str]) -> Workbook:
    """Open a workbook file for reading; raise ReadError with a Vietnamese reason.

    The file's content decides how it is read, whatever its name says.
    """
    data = read_bytes(path)
    kind = sniff(data)
    if kind not in ("xlsx", "xlsb", "ods", "xls"):
        raise refuse_kind(kind)
    package = inspect_package(data, kind) if kind != "xls" else Package(data)
    return _calamine_workbook(package, kind)


def _calamine_workbook(package: Package, kind: str) -> Workbook:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        names = list(book.sheet_names)
        hidden = [
            m.name for m in book.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] != "Visible"
        ]
    except python_calamine.PasswordError as err:
        raise ReadError("password") from err
    except BaseException as err:  # calamine raises several types, a Rust panic included
        _reraise_interrupts(err)
        raise ReadError("damaged") from err

    def load(name: str) -> Grid:
        part = package.sheet_parts.get(name)
        known = part in package.worksheets
        for extent in [package.extent(part)] if known else package.extents.values():
            check_extent(name, extent.rows, extent.cols, extent.far)
        try:
            sheet = book.get_sheet_by_name(name)
            if sheet.end is not None:  # the grid runs from A1 to the last cell
                rows, cols = sheet.end[0] + 1, sheet.end[1] + 1
                check_extent(name, rows, cols, f"{column_letter(cols - 1)}{rows}")
            return sheet.to_python(skip_empty_area=False)
        except ReadError:
            raise
        except BaseException as err:
            _reraise_interrupts(err)
            raise ReadError("sheet_damaged", sheet=name) from err

    return Workbook(
        names,
        load,
        hidden,
        kind=kind,
        title=package.title,
        saved=package.saved,
        copy=package.copy,
    )


def _reraise_interrupts(err: BaseException) -> None:
    """Let Ctrl+C, exits and running out of memory through (the machine, not the file:
    the command says so); everything else from the reader is the file's fault."""
    if isinstance(err, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise err
