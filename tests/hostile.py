"""Hostile inputs for sheetkit: a seeded, deterministic generator of damaged files.

``cases(seed, count)`` yields :class:`Case` objects; ``case.build(folder)`` writes
one hostile input into ``folder`` and returns its path. ``case.target`` says what
it is for: ``"file"`` (a workbook for check and render) or ``"merge"`` (a folder
or a .zip for merge).

Every input is made from the committed templates (``workbook_templates/
ke-hoach-*.xlsx``) and example plans (``examples/*.xlsx``): their zip parts are
edited as bytes and XML, and written back with a small zip writer of our own so
headers can lie. Nothing is downloaded and no sheetkit module is imported, so
the generator survives refactors of the library. The same (seed, index) always
gives the same case, and the same case always writes the same bytes.

    python tests/hostile.py --seed 1 --count 40 --out /tmp/hostile   # look at a corpus
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import random
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "workbook_templates").glob("ke-hoach-*.xlsx"))
EXAMPLES = sorted((ROOT / "examples").glob("ke-hoach-*.xlsx"))  # the plans, not the list
SOURCES = EXAMPLES + TEMPLATES

SHEET_INFO, SHEET_ASSESSMENT, SHEET_PLAN = "Thông tin", "Tự đánh giá", "Kế hoạch"
ZIP_TIME = (2024, 9, 5, 8, 0, 0)
MAX_COLUMN, MAX_ROW = 16_384, 1_048_576

# ---------------------------------------------------------------------------
# Zip files: read with zipfile, written by hand so every header field is ours.


@dataclass
class Member:
    """One zip member as it will be written: ``data`` is already compressed."""

    name: bytes
    data: bytes
    crc: int
    size: int  # uncompressed size declared in both headers
    method: int = zipfile.ZIP_DEFLATED
    version: int = 20  # "version needed to extract", in tenths
    flags: int = 0x800  # bit 11: the name is UTF-8

    @classmethod
    def of(cls, name: str | bytes, content: bytes, method: int = zipfile.ZIP_DEFLATED) -> Member:
        """A member holding ``content`` (deflated unless ``method`` is ZIP_STORED)."""
        raw = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else name
        packed = deflate(content) if method == zipfile.ZIP_DEFLATED else content
        flags = 0x800 if isinstance(name, str) else 0
        return cls(raw, packed, zlib.crc32(content), len(content), method, flags=flags)


def deflate(data: bytes) -> bytes:
    """Raw deflate, as zip members hold it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def zip_bytes(members: list[Member], comment: bytes = b"", entries: int | None = None) -> bytes:
    """A zip archive of ``members``; ``entries`` overrides the count in the end record."""
    dos_time = (ZIP_TIME[3] << 11) | (ZIP_TIME[4] << 5) | (ZIP_TIME[5] // 2)
    dos_date = ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
    body, central = bytearray(), bytearray()
    for m in members:
        offset = len(body)
        fixed = (m.version, m.flags, m.method, dos_time, dos_date, m.crc, len(m.data), m.size)
        body += struct.pack("<4s5H3I2H", b"PK\x03\x04", *fixed, len(m.name), 0)
        body += m.name + m.data
        central += struct.pack(
            "<4s6H3I5H2I",
            b"PK\x01\x02",
            0x0314,
            *fixed,
            len(m.name),
            0,
            0,
            0,
            0,
            0o100644 << 16,
            offset,
        )
        central += m.name
    count = len(members) if entries is None else entries
    end = struct.pack(
        "<4s4H2IH",
        b"PK\x05\x06",
        0,
        0,
        count & 0xFFFF,
        count & 0xFFFF,
        len(central),
        len(body),
        len(comment),
    )
    return bytes(body + central + end + comment)


def read_parts(path: Path) -> dict[str, bytes]:
    """The parts of a workbook, in archive order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def repeated_deflate(
    prefix: bytes, chunk: bytes, times: int, suffix: bytes
) -> tuple[bytes, int, int]:
    """Deflate ``prefix + chunk * times + suffix`` cheaply: (data, crc, size).

    ``chunk`` is compressed once after a full flush and its bytes are repeated,
    so a member that unpacks to hundreds of MB is built in a fraction of a second.
    """
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    block = head.compress(chunk) + head.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return (
        start + block * times + deflate(suffix),
        crc,
        len(prefix) + len(chunk) * times + len(suffix),
    )


# ---------------------------------------------------------------------------
# Workbooks as XML parts: find sheets and cells by their labels, set cells.

CELL_RE = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
ROW_RE = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)


def column_index(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def column_letters(index: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def split_ref(ref: str) -> tuple[str, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not match:
        raise ValueError(ref)
    return match[1], int(match[2])


def xml_text(text: str) -> str:
    """Escape text for an XML element; control characters are kept raw (hostile on purpose)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ooxml_escape(text: str) -> str:
    """Escape as Excel does: control characters become ``_xHHHH_``."""
    return "".join(
        f"_x{ord(ch):04X}_" if ord(ch) < 32 and ch not in "\t\n" else ch for ch in xml_text(text)
    )


def inline_string(ref: str, text: str, style: int | None = None, raw: bool = True) -> str:
    """The XML of a text cell (inline string)."""
    body = xml_text(text) if raw else ooxml_escape(text)
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def number_cell(ref: str, literal: str, style: int | None = None) -> str:
    """The XML of a number cell holding ``literal`` as written (may be 'inf', 'NaN'...)."""
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s}><v>{literal}</v></c>'


class Book:
    """An .xlsx held as its parts; sheets and label cells found by their text."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = dict(parts)

    @classmethod
    def load(cls, path: Path) -> Book:
        return cls(read_parts(path))

    def text(self, part: str) -> str:
        return self.parts[part].decode("utf-8")

    def put(self, part: str, text: str | bytes) -> None:
        self.parts[part] = text.encode("utf-8") if isinstance(text, str) else text

    # -- structure
    def sheets(self) -> list[tuple[str, str]]:
        """(sheet name, part path) in workbook order."""
        rels = dict(
            re.findall(
                r'Id="([^"]+)"[^>]*?Target="([^"]+)"', self.text("xl/_rels/workbook.xml.rels")
            )
        )
        rels.update(
            (rid, target)
            for target, rid in re.findall(
                r'Target="([^"]+)"[^>]*?Id="([^"]+)"', self.text("xl/_rels/workbook.xml.rels")
            )
        )
        found = []
        for attrs in re.findall(r"<sheet ([^>]*)/>", self.text("xl/workbook.xml")):
            name = html.unescape(re.search(r'name="([^"]*)"', attrs)[1])
            rid = re.search(r'r:id="([^"]*)"', attrs)[1]
            target = rels[rid].lstrip("/")
            found.append((name, target if target.startswith("xl/") else "xl/" + target))
        return found

    def sheet_part(self, name: str) -> str:
        return dict(self.sheets())[name]

    def shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.parts:
            return []
        items = re.findall(r"<si>(.*?)</si>", self.text("xl/sharedStrings.xml"), re.S)
        return [html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S))) for si in items]

    def values(self, sheet: str) -> dict[tuple[int, int], str | float]:
        """(row, column) -> value of the non-empty cells of a sheet (1-based)."""
        strings = self.shared_strings()
        found: dict[tuple[int, int], str | float] = {}
        for letters, row, attrs, inner in CELL_RE.findall(self.text(self.sheet_part(sheet))):
            kind = re.search(r't="(\w+)"', attrs)
            value = re.search(r"<v>(.*?)</v>", inner or "", re.S)
            if kind and kind[1] == "inlineStr":
                text = "".join(re.findall(r"<t[^>]*>(.*?)</t>", inner, re.S))
                found[int(row), column_index(letters)] = html.unescape(text)
            elif value and value[1] != "":
                if kind and kind[1] == "s":
                    found[int(row), column_index(letters)] = strings[int(value[1])]
                elif kind and kind[1] in ("str", "e"):
                    found[int(row), column_index(letters)] = html.unescape(value[1])
                else:
                    found[int(row), column_index(letters)] = float(value[1])
        return found

    # -- cells
    def set_cell(self, sheet: str, ref: str, cell_xml: str) -> None:
        """Replace or insert the cell ``ref`` (rows and cells kept in order)."""
        part = self.sheet_part(sheet)
        self.put(part, set_cell_xml(self.text(part), ref, cell_xml))

    def set_text(self, sheet: str, ref: str, text: str, raw: bool = True) -> None:
        self.set_cell(sheet, ref, inline_string(ref, text, raw=raw))

    def add_style(self, number_format: str | int) -> int:
        """Append a cell format (a numFmt code or a built-in id); returns its style index."""
        styles = self.text("xl/styles.xml")
        if isinstance(number_format, int):
            fmt_id = number_format
        else:
            ids = [int(i) for i in re.findall(r'numFmtId="(\d+)"', styles)]
            fmt_id = max([163, *ids]) + 1
            entry = f'<numFmt numFmtId="{fmt_id}" formatCode="{html.escape(number_format)}"/>'
            if "<numFmts" in styles:
                styles = re.sub(r"(<numFmts[^>]*>)", lambda m: m[1] + entry, styles, count=1)
            else:
                styles = styles.replace("<fonts", f"<numFmts>{entry}</numFmts><fonts", 1)
        xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
        index = len(re.findall(r"<xf ", xfs[1]))
        new_xf = f'<xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        styles = styles[: xfs.end(1)] + new_xf + styles[xfs.end(1) :]
        self.put("xl/styles.xml", styles)
        return index

    def drop_sheet(self, name: str) -> None:
        """Remove a sheet from workbook.xml (its part stays, unreferenced)."""
        workbook = self.text("xl/workbook.xml")
        escaped = re.escape(html.escape(name, quote=True))
        self.put("xl/workbook.xml", re.sub(rf'<sheet name="{escaped}"[^>]*/>', "", workbook))

    def rename_sheet(self, name: str, new: str) -> None:
        workbook = self.text("xl/workbook.xml")
        old = f'name="{html.escape(name, quote=True)}"'
        self.put("xl/workbook.xml", workbook.replace(old, f'name="{xml_text(new)}"', 1))

    def to_bytes(self) -> bytes:
        return zip_bytes([Member.of(name, data) for name, data in self.parts.items()])

    def save(self, path: Path) -> Path:
        path.write_bytes(self.to_bytes())
        return path


def set_cell_xml(sheet_xml: str, ref: str, cell_xml: str) -> str:
    """``sheet_xml`` with cell ``ref`` replaced by ``cell_xml``, or inserted in order."""
    letters, row = split_ref(ref)
    for cell in CELL_RE.finditer(sheet_xml):
        if cell[1] == letters and int(cell[2]) == row:
            return sheet_xml[: cell.start()] + cell_xml + sheet_xml[cell.end() :]
    for found in ROW_RE.finditer(sheet_xml):
        number = int(found[1])
        if number == row:
            if found[2] is None:  # <row r="5"/>
                opening = found[0][:-2] + ">"
                return (
                    sheet_xml[: found.start()]
                    + opening
                    + cell_xml
                    + "</row>"
                    + sheet_xml[found.end() :]
                )
            inner_start = found.start(2)
            for cell in CELL_RE.finditer(found[2]):
                if column_index(cell[1]) > column_index(letters):
                    at = inner_start + cell.start()
                    return sheet_xml[:at] + cell_xml + sheet_xml[at:]
            at = found.end(2)
            return sheet_xml[:at] + cell_xml + sheet_xml[at:]
        if number > row:
            new_row = f'<row r="{row}">{cell_xml}</row>'
            return sheet_xml[: found.start()] + new_row + sheet_xml[found.start() :]
    new_row = f'<row r="{row}">{cell_xml}</row>'
    if "<sheetData/>" in sheet_xml:
        return sheet_xml.replace("<sheetData/>", f"<sheetData>{new_row}</sheetData>", 1)
    return sheet_xml.replace("</sheetData>", new_row + "</sheetData>", 1)


@dataclass
class PlanCells:
    """Where a plan's values sit, found by label in a workbook."""

    info: dict[str, str]  # label in Thông tin -> cell of its value ("Tên trường" -> "B4")
    columns: dict[str, str]  # header in Kế hoạch -> column letters
    header_row: int
    item_rows: list[int]  # rows of Kế hoạch holding a criterion code
    level_cells: list[str]  # Tự đánh giá cells of the current levels

    def item_cell(self, rng: random.Random, header: str) -> str:
        """The cell of column ``header`` in a random item row."""
        row = rng.choice(self.item_rows or [self.header_row + 1])
        return f"{self.columns.get(header, 'H')}{row}"


TEXT_HEADERS = [
    "Kết quả cần đạt",
    "Hạn chế cần khắc phục",
    "Công việc/giải pháp cần thực hiện",
    "Chủ trì",
    "Phối hợp",
    "Điều kiện hỗ trợ khác",
    "Ghi chú",
    # Thông tư 57 (table V)
    "Nội dung cải tiến",
    "Mục tiêu cải tiến",
    "Hoạt động/giải pháp",
    "Chỉ số đánh giá kết quả",
    "Đơn vị/cá nhân phụ trách",
    "Nguồn lực bảo đảm",
    "Minh chứng dự kiến",
]
PARSED_HEADERS = ["Mã tiêu chí", "Mức cần đạt", "Bắt đầu", "Hoàn thành", "Dự kiến kinh phí"]
PARSED_HEADERS += ["Vấn đề", "Tiêu chí", "Mức độ thực hiện"]  # Thông tư 57
CODE_HEADERS = ("Mã tiêu chí", "Tiêu chí")
INFO_LABELS = [
    "Tên trường",
    "Mã trường",
    "Cấp học",
    "Quận/huyện",
    "Tỉnh/thành phố",
    "Năm học",
    "Đến năm học",
    "Loại kế hoạch",
    "Số văn bản",
    "Ngày ban hành",
    "Hiệu trưởng",
    "Mức mục tiêu",
    "Cơ quan chủ quản",
    "Xã/phường/đặc khu",
    "Loại hình / Cấp học",
]


def plan_cells(book: Book) -> PlanCells:
    """Locate the plan's cells by label; falls back to the template layout."""
    info = {}
    values = book.values(SHEET_INFO)
    for (row, col), value in values.items():
        if col == 1 and isinstance(value, str) and value.strip() in INFO_LABELS:
            info[value.strip()] = f"B{row}"
    plan = book.values(SHEET_PLAN)
    header_row = 4
    for (row, _col), value in sorted(plan.items()):
        if value in CODE_HEADERS:
            header_row = row
            break
    columns = {
        value: column_letters(col)
        for (row, col), value in plan.items()
        if row == header_row and isinstance(value, str)
    }
    code_header = next((h for h in CODE_HEADERS if h in columns), "Mã tiêu chí")
    code_col = column_index(columns.get(code_header, "B"))
    item_rows = sorted(row for (row, col) in plan if row > header_row and col == code_col)
    levels = book.values(SHEET_ASSESSMENT)
    level_cells = [f"C{row}" for (row, col) in levels if col == 1 and row > 3]
    return PlanCells(info, columns, header_row, item_rows, level_cells or ["C4"])


# ---------------------------------------------------------------------------
# Other formats, written by hand: BIFF8 .xls in a compound file, and .ods.

CFB_FREE, CFB_END, CFB_FAT, CFB_NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb_bytes(stream_name: str, data: bytes) -> bytes:
    """A version-3 compound file holding one stream (padded past the mini-stream cutoff)."""
    data = data.ljust(max(len(data), 4096), b"\0")
    data = data.ljust(-(-len(data) // 512) * 512, b"\0")
    n_data = len(data) // 512
    n_fat = 1
    while n_fat * 128 < n_fat + 1 + n_data:
        n_fat += 1
    first = n_fat + 1
    fat = [CFB_FAT] * n_fat + [CFB_END] + [first + i + 1 for i in range(n_data - 1)] + [CFB_END]
    fat += [CFB_FREE] * (n_fat * 128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<5H6x", 0x3E, 3, 0xFFFE, 9, 6)
    header += struct.pack("<9I", 0, n_fat, n_fat, 0, 4096, CFB_END, 0, CFB_END, 0)
    header += struct.pack("<109I", *(list(range(n_fat)) + [CFB_FREE] * (109 - n_fat)))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name.encode("utf-16-le") + b"\0\0") if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(raw), kind, 1 if kind else 0, CFB_NONE, CFB_NONE, child)
            + bytes(20)
            + bytes(16)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, CFB_END, 0)
        + entry(stream_name, 2, CFB_NONE, first, len(data))
        + entry("", 0, CFB_NONE, 0, 0) * 2
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + data


def _record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _xls_string(text: str, length_bytes: int) -> bytes:
    raw = text.encode("utf-16-le")
    return struct.pack("<B" if length_bytes == 1 else "<H", len(text)) + b"\x01" + raw


def xls_bytes(sheets: list[tuple[str, dict[tuple[int, int], str | float]]]) -> bytes:
    """A BIFF8 workbook (LABEL and NUMBER cells, one cell format) in a compound file."""

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<4H2I", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    xf = struct.pack("<3H2B3HIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    streams = []
    for _name, cells in sheets:
        body = bof(0x0010)
        rows = [r for r, _ in cells] or [1]
        cols = [c for _, c in cells] or [1]
        body += _record(0x0200, struct.pack("<2I3H", 0, max(rows), 0, max(cols), 0))
        for (row, col), value in sorted(cells.items()):
            if isinstance(value, str):
                text = value[:4000]
                body += _record(
                    0x0204, struct.pack("<3H", row - 1, col - 1, 0) + _xls_string(text, 2)
                )
            else:
                body += _record(0x0203, struct.pack("<3Hd", row - 1, col - 1, 0, value))
        streams.append(body + _record(0x000A, b""))
    head = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
    head += _record(
        0x0031,
        struct.pack("<5H", 200, 0, 0x7FFF, 400, 0) + b"\x00\x00\x00\x00" + _xls_string("Arial", 1),
    )
    head += _record(0x00E0, xf)
    sheet_records = [struct.pack("<I2B", 0, 0, 0) + _xls_string(name, 1) for name, _ in sheets]
    globals_size = len(head) + sum(len(_record(0x0085, r)) for r in sheet_records) + 4
    offset, records = globals_size, b""
    for record, body in zip(sheet_records, streams, strict=True):
        records += _record(0x0085, struct.pack("<I", offset) + record[4:])
        offset += len(body)
    workbook = head + records + _record(0x000A, b"") + b"".join(streams)
    return cfb_bytes("Workbook", workbook)


def ods_bytes(
    sheets: list[tuple[str, dict[tuple[int, int], str | float]]], repeat: int = 1
) -> bytes:
    """An OpenDocument spreadsheet; ``repeat`` > 1 makes the last row repeat that many times."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    tables = []
    for name, cells in sheets:
        rows = []
        last_row = max([r for r, _ in cells] or [1])
        for row in range(1, last_row + 1):
            parts, last_col = [], max([c for r, c in cells if r == row] or [0])
            for col in range(1, last_col + 1):
                value = cells.get((row, col))
                if value is None:
                    parts.append("<table:table-cell/>")
                elif isinstance(value, str):
                    paragraphs = "".join(
                        f"<text:p>{xml_text(p)}</text:p>" for p in value.split("\n")
                    )
                    parts.append(
                        f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'
                    )
                else:
                    parts.append(
                        f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                        f"<text:p>{value!r}</text:p></table:table-cell>"
                    )
            rows.append(
                f"<table:table-row>{''.join(parts) or '<table:table-cell/>'}</table:table-row>"
            )
        if repeat > 1:
            rows.append(
                f'<table:table-row table:number-rows-repeated="{repeat}">'
                f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
                "<text:p>x</text:p></table:table-cell></table:table-row>"
            )
        tables.append(f'<table:table table:name="{xml_text(name)}">{"".join(rows)}</table:table>')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return zip_bytes(
        [
            Member.of(
                "mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
            ),
            Member.of("META-INF/manifest.xml", manifest.encode()),
            Member.of("content.xml", content.encode()),
        ]
    )


def plan_sheets(source: Path) -> list[tuple[str, dict[tuple[int, int], str | float]]]:
    """The sheets and values of a committed workbook, for rewriting it in another format."""
    book = Book.load(source)
    return [(name, book.values(name)) for name, _part in book.sheets()]


# ---------------------------------------------------------------------------
# Hostile values.

CONTROL_CHARS = [chr(i) for i in range(32)] + ["\x7f", "\x85", "\x9b"]
TERMINAL_ESCAPES = [
    "\x1b[31mĐỎ\x1b[0m",
    "\x1b]0;cửa sổ bị đổi tên\x07",
    "\x1b[2J\x1b[H",
    "\x1b[?1049h",
    "\x9b31mC1\x9b0m",
    "\x1b[6n",
    "\x1bP+q544e\x1b\\",
    "xoá\x08\x08\x08ghi",
    "dòng một\rGHI ĐÈ",
    "chuông\x07\x07",
    "\x1b]8;;http://example.invalid\x1b\\liên kết\x1b]8;;\x1b\\",
]
FORMULA_TEXT = [
    "=1+1",
    '=HYPERLINK("http://example.invalid","bấm vào đây")',
    "+84 912 345 678",
    "-5",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "=A1",
    "'=1+1",
    "==",
    "=",
    '=INDIRECT("A"&1)',
    "\t=2+3",
    "=1/0",
]
NUMBER_LITERALS = [
    "NaN",
    "nan",
    "inf",
    "-inf",
    "INF",
    "Infinity",
    "1e308",
    "-1e308",
    "1e309",
    "1.7976931348623157e308",
    "5e-324",
    "-0",
    "9007199254740993",
    "1e20",
    "123456789012345678901234567890",
    "0x10",
    " 12 ",
    "",
    "1e-400",
]
NUMBER_TEXT = [
    "1e308",
    "1e308 đồng",
    "inf",
    "NaN",
    "9" * 400,
    "-1",
    "1e308 triệu",
    "1e308 tỷ",
    "1,7976931348623157e308",
    "0,0000001 tỷ",
    "99999999999999999999 tỷ",
    "Mức 1e308",
    "Mức 99999999999999999999",
    "tháng 1e308/2024",
    "9/1e308",
    "1.1e308",
]
DATE_SERIALS = [
    "2958466",
    "2958465.99999999",
    "1e9",
    "-1",
    "0",
    "60",
    "0.0001",
    "1e308",
    "-693594",
    "inf",
    "NaN",
]
DATE_TEXT = [
    "31/12/9999",
    "1/1/0001",
    "tháng 13/2024",
    "9/99999",
    "0/2024",
    "tháng 9 năm 99999999999",
    "32/13/2024",
    "9/2024 - 9/2025",
    "2024-09-01T00:00:00",
    "99999999999/2024",
    "T9/-2024",
    "29/2/2023",
]
TIME_FORMATS: list[str | int] = [
    "h:mm",
    "h:mm:ss AM/PM",
    "[h]:mm:ss",
    "mm:ss",
    "[mm]:ss",
    18,
    19,
    20,
    21,
    45,
    46,
    47,
]
TIME_VALUES = ["0.5", "0.999988", "1.5", "36.5", "-0.25", "1000000", "0", "2958466.5"]
UNICODE_TEXT = [
    "\u200b\u200d\ufeffTrường\u200b",
    "\u202eMẫu kế hoạch\u202c",
    "🏫📚" * 200,
    unicodedata.normalize("NFD", "Trường Tiểu học Nguyễn Thái Bình"),
    "e" + "\u0301" * 5000,
    "Tr\xadêng TiÓu häc",  # TCVN3 typed in a Unicode font
    "Tröôøng Tieåu hoïc",  # VNI
    "\ufffd\ufffe\uffff",
    "Mức\u00a02",
    "１．１",  # full-width criterion code
    "Ⅱ",
    "Mức ２",
]


def long_text(rng: random.Random, size: int, lines: int = 1) -> str:
    """Vietnamese-looking text of about ``size`` characters on ``lines`` lines."""
    words = [
        "tổ",
        "chức",
        "bồi",
        "dưỡng",
        "giáo",
        "viên",
        "cơ",
        "sở",
        "vật",
        "chất",
        "thư",
        "viện",
        "học",
        "sinh",
        "kế",
        "hoạch",
    ]
    per_line = max(1, size // max(lines, 1))
    out = []
    for _ in range(lines):
        line, length = [], 0
        while length < per_line:
            word = rng.choice(words)
            line.append(word)
            length += len(word) + 1
        out.append(" ".join(line))
    return "\n".join(out)[:size]


# ---------------------------------------------------------------------------
# Cases and families.


@dataclass(frozen=True)
class Case:
    """One hostile input: ``build(folder)`` writes it and returns its path."""

    name: str
    kind: str
    target: str  # "file": check and render it; "merge": merge it (a folder or a .zip)
    make: Callable[[random.Random, Path], Path] = field(repr=False, compare=False)
    readable: bool = False  # a genuine plan: refusing it (exit 2) is a failure
    forbid: tuple[str, ...] = ()  # text no output may contain (a wrong reason)
    interrupt: str | None = None  # "SIGTERM"/"SIGINT" sent to merge while it runs

    @property
    def family(self) -> str:
        return self.kind.split(".", 1)[0]

    def build(self, folder: Path) -> Path:
        """Write the hostile input into ``folder`` (created) and return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        return self.make(random.Random(self.name), folder)


@dataclass(frozen=True)
class Family:
    kind: str
    make: Callable[[random.Random, Path], Path]
    weight: float
    target: str
    readable: bool
    forbid: tuple[str, ...]
    interrupt: bool


FAMILIES: dict[str, Family] = {}


def family(
    kind: str,
    weight: float = 1.0,
    target: str = "file",
    readable: bool = False,
    forbid: tuple[str, ...] = (),
    interrupt: bool = False,
):
    """Register a builder ``fn(rng, folder) -> Path`` as the family ``kind``."""

    def register(fn: Callable[[random.Random, Path], Path]):
        FAMILIES[kind] = Family(kind, fn, weight, target, readable, forbid, interrupt)
        return fn

    return register


def base_book(rng: random.Random, examples_only: bool = False) -> tuple[Book, Path]:
    """A committed plan to mutate: an example (filled) most of the time, else a template."""
    pool = EXAMPLES if examples_only or rng.random() < 0.8 else TEMPLATES
    source = rng.choice(pool)
    return Book.load(source), source


def plan_name(rng: random.Random, suffix: str = ".xlsx") -> str:
    return f"ke-hoach-{rng.randrange(10**6):06d}{suffix}"


# -- bytes


@family("bytes.flip", weight=3)
def _bytes_flip(rng: random.Random, folder: Path) -> Path:
    data = bytearray(rng.choice(SOURCES).read_bytes())
    for _ in range(rng.choice([1, 1, 2, 5, 20, 100])):
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(1, 256)
    path = folder / plan_name(rng)
    path.write_bytes(bytes(data))
    return path


@family("bytes.truncate", weight=2)
def _bytes_truncate(rng: random.Random, folder: Path) -> Path:
    data = rng.choice(SOURCES).read_bytes()
    cut = rng.choice(
        [1, 2, 4, 30, len(data) // 2, len(data) - 22, len(data) - 1, rng.randrange(len(data))]
    )
    path = folder / plan_name(rng)
    path.write_bytes(data[:cut])
    return path


@family("bytes.junk")
def _bytes_junk(rng: random.Random, folder: Path) -> Path:
    """Empty, tiny, random, or real bytes with junk before or after."""
    data = rng.choice(SOURCES).read_bytes()
    junk = rng.randbytes(rng.choice([1, 100, 5000]))
    choice = rng.choice(["empty", "pk", "random", "prefix", "suffix", "zeros"])
    content = {
        "empty": b"",
        "pk": b"PK",
        "random": junk,
        "prefix": junk + data,
        "suffix": data + junk,
        "zeros": bytes(len(data)),
    }[choice]
    path = folder / plan_name(rng, rng.choice([".xlsx", ".xlsx", ".xls", ".ods", ".xlsm"]))
    path.write_bytes(content)
    return path


# -- XML


def _mutate_text(rng: random.Random, text: str) -> str:
    """A few random edits of an XML document: spans cut or copied, numbers and tags mangled."""
    for _ in range(rng.choice([1, 1, 2, 3, 8])):
        n = len(text)
        at = rng.randrange(n)
        op = rng.choice(["cut", "copy", "number", "attr", "char", "tag", "ref"])
        if op == "cut":
            text = text[:at] + text[at + rng.randrange(1, 200) :]
        elif op == "copy":
            span = text[at : at + rng.randrange(1, 400)]
            to = rng.randrange(n)
            text = text[:to] + span + text[to:]
        elif op == "number":
            numbers = list(re.finditer(r"\d+", text))
            if numbers:
                m = rng.choice(numbers)
                new = rng.choice(["-1", "0", "", "99999999999999999999", "1.5", "x", "1e9", "٣"])
                text = text[: m.start()] + new + text[m.end() :]
        elif op == "attr":
            attrs = list(re.finditer(r' [\w:]+="[^"]*"', text))
            if attrs:
                m = rng.choice(attrs)
                text = text[: m.start()] + text[m.end() :]
        elif op == "char":
            text = (
                text[:at]
                + rng.choice(["<", ">", "&", '"', "\x00", "\x01", "\ufffe", "]]>"])
                + text[at:]
            )
        elif op == "tag":
            tags = list(re.finditer(r"</?(\w+)", text))
            if tags:
                m = rng.choice(tags)
                text = (
                    text[: m.start(1)]
                    + rng.choice(["c", "row", "v", "x", "sheetData", "si"])
                    + text[m.end(1) :]
                )
        else:
            refs = list(re.finditer(r' r="([A-Z]+\d+|\d+)"', text))
            if refs:
                m = rng.choice(refs)
                new = rng.choice(
                    [
                        "",
                        "A",
                        "1",
                        "A0",
                        "0",
                        "-1",
                        "A-1",
                        "1A",
                        "ZZZZ1",
                        "A1:B2",
                        "A 1",
                        "a1",
                        "A1048577",
                    ]
                )
                text = text[: m.start(1)] + new + text[m.end(1) :]
    return text


@family("xml.mutate", weight=4)
def _xml_mutate(rng: random.Random, folder: Path) -> Path:
    book, _ = base_book(rng)
    parts = [p for p in book.parts if p.endswith((".xml", ".rels"))]
    weights = [5 if "worksheets" in p or "sharedStrings" in p else 1 for p in parts]
    for part in dict.fromkeys(rng.choices(parts, weights, k=rng.choice([1, 1, 2]))):
        book.put(part, _mutate_text(rng, book.text(part)))
    return book.save(folder / plan_name(rng))


@family("xml.far_cell")
def _xml_far_cell(rng: random.Random, folder: Path) -> Path:
    """A cell at XFD1048576 (or another far corner) on a plan sheet."""
    book, _ = base_book(rng)
    sheet = rng.choice([SHEET_PLAN, SHEET_PLAN, SHEET_INFO, SHEET_ASSESSMENT])
    ref = rng.choice(["XFD1048576", "XFD1", "A1048576", "XFD5", "O1048576"])
    book.set_cell(sheet, ref, inline_string(ref, rng.choice(["x", "Mức 2", "1.1"])))
    if rng.random() < 0.5:
        part = book.sheet_part(sheet)
        book.put(
            part,
            re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{ref}"/>', book.text(part)),
        )
    return book.save(folder / plan_name(rng))


@family("xml.bad_ref", weight=2)
def _xml_bad_ref(rng: random.Random, folder: Path) -> Path:
    """Cell references past the sheet's end or malformed: A9999999910, XFE1, A0, 1A..."""
    book, _ = base_book(rng)
    sheet = rng.choice([SHEET_PLAN, SHEET_INFO, SHEET_ASSESSMENT])
    part = book.sheet_part(sheet)
    bad = rng.choice(
        [
            "A9999999910",
            "XFE1",
            "A1048577",
            "ZZZZZZZZ1",
            "A0",
            "1A",
            "",
            "A-1",
            "a5",
            "A 5",
            "B99999999999999999999",
        ]
    )
    cell = f'<c r="{bad}" t="inlineStr"><is><t>Mức 3</t></is></c>'
    text = book.text(part)
    if rng.random() < 0.5:
        text = text.replace(
            "</sheetData>", f'<row r="{re.sub(r"[^0-9]", "", bad) or "0"}">{cell}</row></sheetData>'
        )
    else:  # inside an existing row, where a reader trusts the row number
        text = re.sub(r"(<row r=\"5\"[^>]*>)", lambda m: m[1] + cell, text, count=1)
    book.put(part, text)
    return book.save(folder / plan_name(rng))


@family("xml.shared_strings", weight=2)
def _xml_shared_strings(rng: random.Random, folder: Path) -> Path:
    """A sharedStrings count far above the real one, or cells pointing past the table."""
    book, _ = base_book(rng)
    sst = book.text("xl/sharedStrings.xml")
    choice = rng.choice(["count", "count", "index", "missing", "rich"])
    if choice == "count":
        big = rng.choice(["4294967295", "999999999999", "2147483648", "-1", "0", "1e9"])
        sst = re.sub(r'count="\d+" uniqueCount="\d+"', f'count="{big}" uniqueCount="{big}"', sst)
        book.put("xl/sharedStrings.xml", sst)
    elif choice == "index":
        part = book.sheet_part(SHEET_PLAN)
        index = rng.choice(["99999999", "-1", "abc", "1e3", "4294967296", ""])
        text = book.text(part)
        cells = list(re.finditer(r'(t="s"><v>)(\d+)(</v>)', text))
        m = rng.choice(cells)
        book.put(part, text[: m.start(2)] + index + text[m.end(2) :])
    elif choice == "missing":
        del book.parts["xl/sharedStrings.xml"]
    else:  # rich text runs and phonetic runs inside one string
        run = '<r><rPr><b/></rPr><t>Mức </t></r><r><t xml:space="preserve">2</t></r><rPh sb="0" eb="1"><t>x</t></rPh>'
        book.put(
            "xl/sharedStrings.xml",
            re.sub(r"<si><t>Mức 2</t></si>", f"<si>{run}</si>", sst, count=1),
        )
    return book.save(folder / plan_name(rng))


@family("xml.char_ref", weight=2)
def _xml_char_ref(rng: random.Random, folder: Path) -> Path:
    """Character references a strict XML parser refuses: &#1; &#x1B; &#0; &#xFFFE; &#xD800;."""
    book, _ = base_book(rng)
    refs = rng.choice(
        [
            "&#1;",
            "&#x1B;[31m",
            "&#0;",
            "&#xFFFE;",
            "&#xD800;",
            "&#8;&#7;",
            "&#65536;",
            "&#99999999;",
        ]
    )
    target = rng.choice(["sst", "inline", "sheet_name"])
    if target == "sst":
        sst = book.text("xl/sharedStrings.xml")
        items = list(re.finditer(r"<si><t>([^<]*)</t></si>", sst))
        m = rng.choice(items[-40:])
        book.put("xl/sharedStrings.xml", sst[: m.end(1)] + refs + sst[m.end(1) :])
    elif target == "inline":
        cells = plan_cells(book)
        ref = cells.item_cell(rng, rng.choice(TEXT_HEADERS))
        book.set_cell(
            SHEET_PLAN, ref, f'<c r="{ref}" t="inlineStr"><is><t>Giải pháp {refs}</t></is></c>'
        )
    else:
        workbook = book.text("xl/workbook.xml")
        book.put("xl/workbook.xml", workbook.replace('name="Hướng dẫn"', f'name="Hướng dẫn{refs}"'))
    return book.save(folder / plan_name(rng))


@family("xml.dtd_entity", weight=2)
def _xml_dtd_entity(rng: random.Random, folder: Path) -> Path:
    """A DOCTYPE in a part: an entity used in a cell or sheet name, nested, external, or unused."""
    book, _ = base_book(rng)
    style = rng.choice(["plain", "nested", "external", "unused"])
    if style == "nested":
        levels = ['<!ENTITY a0 "Mức 2 ">']
        levels += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 6)]
        dtd, use = f"<!DOCTYPE x [{''.join(levels)}]>", "&a5;"
    elif style == "external":
        dtd, use = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
    else:
        dtd, use = '<!DOCTYPE x [<!ENTITY truong "Trường Tiểu học Thực Thể">]>', "&truong;"
        use = "" if style == "unused" else use
    where = rng.choice(["sst", "sst", "sheet", "workbook", "styles"])
    if where == "sst":
        part = "xl/sharedStrings.xml"
        text = book.text(part).replace("?>", "?>" + dtd, 1)
        m = rng.choice(list(re.finditer(r"<si><t>([^<]*)</t></si>", text))[-40:])
        text = text[: m.end(1)] + use + text[m.end(1) :]
    elif where == "sheet":
        cells = plan_cells(book)
        part = book.sheet_part(SHEET_PLAN)
        ref = cells.item_cell(rng, rng.choice(TEXT_HEADERS))
        cell = f'<c r="{ref}" t="inlineStr"><is><t>Giải pháp {use}</t></is></c>'
        text = set_cell_xml(book.text(part).replace("?>", "?>" + dtd, 1), ref, cell)
    elif where == "workbook":
        part = "xl/workbook.xml"
        text = book.text(part).replace("?>", "?>" + dtd, 1)
        text = text.replace('name="Hướng dẫn"', f'name="Hướng dẫn{use}"')
    else:
        part = "xl/styles.xml"
        text = book.text(part).replace("?>", "?>" + dtd, 1)
    book.put(part, text)
    return book.save(folder / plan_name(rng))


@family("xml.encoding")
def _xml_encoding(rng: random.Random, folder: Path) -> Path:
    """Sheet XML in another encoding than declared, invalid UTF-8, or a strict-OOXML namespace."""
    book, _ = base_book(rng)
    part = rng.choice(["xl/sharedStrings.xml", book.sheet_part(SHEET_INFO)])
    text = book.text(part)
    choice = rng.choice(["utf16", "latin1_bytes", "declared_utf16", "strict_ns", "bom"])
    if choice == "utf16":
        book.put(part, text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    elif choice == "latin1_bytes":
        book.put(part, text.encode("utf-8").replace("ư".encode(), b"\xe9\xff", 3))
    elif choice == "declared_utf16":
        book.put(part, text.replace('encoding="UTF-8"', 'encoding="UTF-16"'))
    elif choice == "strict_ns":
        strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
        book.put(
            part, text.replace("http://schemas.openxmlformats.org/spreadsheetml/2006/main", strict)
        )
    else:
        book.put(part, b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode())
    return book.save(folder / plan_name(rng))


@family("xml.styles")
def _xml_styles(rng: random.Random, folder: Path) -> Path:
    """Cells pointing at missing or odd formats: s="99999", s="-1", numFmt codes that look like dates."""
    book, _ = base_book(rng)
    cells = plan_cells(book)
    if rng.random() < 0.5:
        ref = cells.item_cell(rng, rng.choice(PARSED_HEADERS))
        style = rng.choice(["99999", "-1", "x", "4294967296"])
        book.set_cell(SHEET_PLAN, ref, f'<c r="{ref}" s="{style}"><v>45536</v></c>')
    else:
        code = rng.choice(
            [
                "[$-42A]mmmm\\ yyyy;@",
                "d/m/yyyy;@",
                '"tháng "m',
                "yyyy-mm-dd hh:mm:ss.000",
                "@@@",
                "0" * 300,
                "[Red]",
            ]
        )
        style = book.add_style(code)
        ref = cells.item_cell(
            rng, rng.choice(["Bắt đầu", "Hoàn thành", "Dự kiến kinh phí", "Mức cần đạt"])
        )
        book.set_cell(
            SHEET_PLAN, ref, number_cell(ref, rng.choice(["45536", "1e308", "-1", "0.5"]), style)
        )
    return book.save(folder / plan_name(rng))


@family("xml.missing_part")
def _xml_missing_part(rng: random.Random, folder: Path) -> Path:
    """A part the workbook refers to is gone: a sheet, styles, rels, content types."""
    book, _ = base_book(rng)
    gone = rng.choice(
        [
            book.sheet_part(SHEET_PLAN),
            book.sheet_part(SHEET_INFO),
            "xl/styles.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
            "xl/workbook.xml",
            "_rels/.rels",
        ]
    )
    del book.parts[gone]
    return book.save(folder / plan_name(rng))


# -- values


def _value_book(rng: random.Random) -> tuple[Book, PlanCells]:
    book, _ = base_book(rng, examples_only=rng.random() < 0.9)
    return book, plan_cells(book)


def _random_target(
    rng: random.Random, cells: PlanCells, headers: list[str], labels: list[str]
) -> tuple[str, str]:
    """(sheet, cell) of a text-like place: an item column or a Thông tin value."""
    if labels and (rng.random() < 0.35 or not cells.item_rows):
        label = rng.choice([label for label in labels if label in cells.info] or ["Tên trường"])
        return SHEET_INFO, cells.info.get(label, "B4")
    return SHEET_PLAN, cells.item_cell(rng, rng.choice(headers))


@family("value.control_chars", weight=3)
def _value_control_chars(rng: random.Random, folder: Path) -> Path:
    """Control characters U+0000-U+001F in cells: raw in the XML or as Excel's _xHHHH_ escapes."""
    book, cells = _value_book(rng)
    for _ in range(rng.choice([1, 3, 8])):
        chars = "".join(rng.choice(CONTROL_CHARS) for _ in range(rng.choice([1, 3, 32])))
        if rng.random() < 0.3:
            chars = "".join(CONTROL_CHARS[:32])
        sheet, ref = _random_target(
            rng,
            cells,
            TEXT_HEADERS + PARSED_HEADERS,
            ["Tên trường", "Hiệu trưởng", "Năm học", "Số văn bản"],
        )
        book.set_text(sheet, ref, f"Giá trị{chars}có ký tự điều khiển", raw=rng.random() < 0.5)
    return book.save(folder / plan_name(rng))


@family("value.escape_seq", weight=2)
def _value_escape_seq(rng: random.Random, folder: Path) -> Path:
    """Terminal escape sequences in cells a report echoes (đã nhập: ...)."""
    book, cells = _value_book(rng)
    for _ in range(rng.choice([1, 2, 5])):
        sheet, ref = _random_target(
            rng,
            cells,
            PARSED_HEADERS + ["Công việc/giải pháp cần thực hiện"],
            ["Tên trường", "Năm học", "Cấp học"],
        )
        book.set_text(
            sheet,
            ref,
            rng.choice(["", "9/2024", "Mức 2"]) + rng.choice(TERMINAL_ESCAPES),
            raw=rng.random() < 0.7,
        )
    if rng.random() < 0.3:
        book.rename_sheet("Hướng dẫn", "Hướng dẫn\x1b[31m")
    return book.save(folder / plan_name(rng))


@family("value.long_text", weight=2)
def _value_long_text(rng: random.Random, folder: Path) -> Path:
    """100,000-character cells, single or multi-line (render's row splitting, docx layout)."""
    book, cells = _value_book(rng)
    lines = rng.choice([1, 1, 200, 3000])
    for _ in range(rng.choice([1, 3])):
        sheet, ref = _random_target(
            rng, cells, TEXT_HEADERS, ["Tên trường", "Hiệu trưởng", "Cơ quan chủ quản"]
        )
        book.set_text(sheet, ref, long_text(rng, rng.choice([33_000, 100_000]), lines))
    return book.save(folder / plan_name(rng))


@family("value.multiline_items")
def _value_multiline_items(rng: random.Random, folder: Path) -> Path:
    """Every item's solution is long multi-line text (render --draft to .docx took > 90 s)."""
    book, cells = _value_book(rng)
    column = cells.columns.get("Công việc/giải pháp cần thực hiện", "H")
    size, lines = rng.choice([(20_000, 500), (20_000, 2000), (100_000, 5000), (32_000, 3000)])
    for row in cells.item_rows or [cells.header_row + 1]:
        ref = f"{column}{row}"
        book.set_text(SHEET_PLAN, ref, long_text(rng, size, lines))
    return book.save(folder / plan_name(rng))


@family("value.formula_text")
def _value_formula_text(rng: random.Random, folder: Path) -> Path:
    """Text that looks like a formula (=, +, -, @) and real formula cells with odd cached values."""
    book, cells = _value_book(rng)
    for _ in range(rng.choice([1, 3, 6])):
        sheet, ref = _random_target(
            rng, cells, TEXT_HEADERS + PARSED_HEADERS, ["Tên trường", "Mã trường", "Hiệu trưởng"]
        )
        if rng.random() < 0.6:
            book.set_text(sheet, ref, rng.choice(FORMULA_TEXT))
        else:
            cached = rng.choice(
                [
                    't="e"><f>1/0</f><v>#DIV/0!</v>',
                    't="e"><f>NA()</f><v>#N/A</v>',
                    't="str"><f>"=1+1"</f><v>=1+1</v>',
                    "><f>1E+308*10</f><v>1e309</v>",
                    "><f>A1</f>",
                    't="b"><f>TRUE</f><v>1</v>',
                    't="e"><v>#REF!</v>',
                ]
            )
            book.set_cell(
                sheet, ref, f'<c r="{ref}" {cached}</c>'.replace('" >', '">').replace("  ", " ")
            )
    return book.save(folder / plan_name(rng))


@family("value.special_number", weight=2)
def _value_special_number(rng: random.Random, folder: Path) -> Path:
    """NaN, inf, 1e308, 5e-324... as number cells and as text, in budgets, levels, months, years."""
    book, cells = _value_book(rng)
    for _ in range(rng.choice([1, 2, 5])):
        sheet, ref = _random_target(
            rng,
            cells,
            PARSED_HEADERS,
            ["Năm học", "Đến năm học", "Mức mục tiêu", "Mã trường", "Cấp học"],
        )
        if rng.random() < 0.6:
            book.set_cell(sheet, ref, number_cell(ref, rng.choice(NUMBER_LITERALS)))
        else:
            book.set_text(sheet, ref, rng.choice(NUMBER_TEXT))
    if rng.random() < 0.3:
        ref = rng.choice(cells.level_cells)
        book.set_cell(SHEET_ASSESSMENT, ref, number_cell(ref, rng.choice(NUMBER_LITERALS)))
    return book.save(folder / plan_name(rng))


@family("value.huge_budgets")
def _value_huge_budgets(rng: random.Random, folder: Path) -> Path:
    """Two (or more) budgets of 1e308: each is fine, their sum is infinite."""
    book, cells = _value_book(rng)
    column = cells.columns.get("Dự kiến kinh phí", "M")
    rows = cells.item_rows or [cells.header_row + 1, cells.header_row + 2]
    literal = rng.choice(["1e308", "1.7976931348623157e308", "9e307"])
    for row in rows[: rng.choice([2, 2, len(rows)])]:
        ref = f"{column}{row}"
        if rng.random() < 0.7:
            book.set_cell(SHEET_PLAN, ref, number_cell(ref, literal))
        else:
            book.set_text(
                SHEET_PLAN, ref, rng.choice(["1e308", "1e308 đồng", "179769313486231570000000 tỷ"])
            )
    return book.save(folder / plan_name(rng))


@family("value.far_date", weight=2)
def _value_far_date(rng: random.Random, folder: Path) -> Path:
    """Date cells far outside 1900-9999 (or before 1900, or 1900-02-29), and dates as odd text."""
    book, cells = _value_book(rng)
    style = book.add_style(rng.choice([14, 22, "d/m/yyyy", "mm/yyyy", "yyyy"]))
    for _ in range(rng.choice([1, 2, 4])):
        sheet, ref = _random_target(
            rng, cells, ["Bắt đầu", "Hoàn thành"], ["Ngày ban hành", "Năm học"]
        )
        if rng.random() < 0.7:
            book.set_cell(sheet, ref, number_cell(ref, rng.choice(DATE_SERIALS), style))
        else:
            book.set_text(sheet, ref, rng.choice(DATE_TEXT))
    return book.save(folder / plan_name(rng))


@family("value.time_cell", weight=2)
def _value_time_cell(rng: random.Random, folder: Path) -> Path:
    """A time-only or duration cell (h:mm, [h]:mm:ss) where a month or date is expected."""
    book, cells = _value_book(rng)
    style = book.add_style(rng.choice(TIME_FORMATS))
    for _ in range(rng.choice([1, 2, 3])):
        sheet, ref = _random_target(
            rng,
            cells,
            ["Bắt đầu", "Hoàn thành", "Dự kiến kinh phí", "Mức cần đạt", "Ghi chú"],
            ["Ngày ban hành", "Năm học", "Tên trường"],
        )
        book.set_cell(sheet, ref, number_cell(ref, rng.choice(TIME_VALUES), style))
    return book.save(folder / plan_name(rng))


@family("value.typed_cells")
def _value_typed_cells(rng: random.Random, folder: Path) -> Path:
    """Booleans, error values and numbers where text is expected (and text where numbers are)."""
    book, cells = _value_book(rng)
    for _ in range(rng.choice([1, 3, 6])):
        sheet, ref = _random_target(rng, cells, TEXT_HEADERS + PARSED_HEADERS, INFO_LABELS)
        kind = rng.choice(["b", "e", "n", "d"])
        if kind == "b":
            book.set_cell(
                sheet, ref, f'<c r="{ref}" t="b"><v>{rng.choice(["1", "0", "2", "true"])}</v></c>'
            )
        elif kind == "e":
            book.set_cell(
                sheet,
                ref,
                f'<c r="{ref}" t="e"><v>{rng.choice(["#N/A", "#VALUE!", "#NAME?", "#NULL!", "#GETTING_DATA"])}</v></c>',
            )
        elif kind == "d":
            book.set_cell(
                sheet,
                ref,
                f'<c r="{ref}" t="d"><v>{rng.choice(["2024-09-01T00:00:00", "9999-12-31", "0000-01-01", "x"])}</v></c>',
            )
        else:
            book.set_cell(
                sheet,
                ref,
                number_cell(ref, rng.choice(["1.1", "1.10", "2024", "2024.2025", "3", "0"])),
            )
    return book.save(folder / plan_name(rng))


@family("value.unicode")
def _value_unicode(rng: random.Random, folder: Path) -> Path:
    """Zero-width and bidi characters, NFD, emoji, 5,000 combining marks, TCVN3/VNI text."""
    book, cells = _value_book(rng)
    for _ in range(rng.choice([1, 3, 6])):
        sheet, ref = _random_target(rng, cells, TEXT_HEADERS + PARSED_HEADERS, INFO_LABELS)
        book.set_text(sheet, ref, rng.choice(UNICODE_TEXT))
    return book.save(folder / plan_name(rng))


@family("value.many_items")
def _value_many_items(rng: random.Random, folder: Path) -> Path:
    """1,200 plan items, all under one criterion (python-docx recursed too deep)."""
    book, cells = _value_book(rng)
    part = book.sheet_part(SHEET_PLAN)
    text = re.sub(
        r'<row r="(\d+)".*?</row>',
        lambda m: m[0] if int(m[1]) <= cells.header_row else "",
        book.text(part),
        flags=re.S,
    )
    count = rng.choice([1200, 1200, 3000])
    code = rng.choice(["1.1", "2.2", "5.1"])
    cols = cells.columns
    rows = []
    for i in range(count):
        r = cells.header_row + 1 + i
        values = {
            "Mã tiêu chí": code,
            "Mức cần đạt": "Mức 2",
            "Kết quả cần đạt": f"Kết quả {i}",
            "Công việc/giải pháp cần thực hiện": f"Giải pháp số {i}",
            "Chủ trì": "Hiệu trưởng",
            "Bắt đầu": "9/2024",
            "Hoàn thành": "5/2025",
            "Dự kiến kinh phí": f"{i + 1} triệu",
        }
        row_cells = "".join(
            inline_string(f"{cols.get(h, 'B')}{r}", v) for h, v in values.items() if h in cols
        )
        rows.append(f'<row r="{r}">{row_cells}</row>')
    book.put(part, text.replace("</sheetData>", "".join(rows) + "</sheetData>"))
    return book.save(folder / plan_name(rng))


PLAN_ROWS = 20_000


@family("value.many_rows", readable=True)
def _value_many_rows(rng: random.Random, folder: Path) -> Path:
    """A 20,000-row plan: an example's own rows, repeated (check ran out of memory under 2 GB).

    Formula cells (the row number, Thông tư 57's helper columns) are left out of the copies:
    their cached values would belong to another row. Still a genuine plan: never refused.
    """
    book, cells = _value_book_filled(rng)
    part = book.sheet_part(SHEET_PLAN)
    text = book.text(part)
    rows = {int(m[1]): m[0] for m in re.finditer(r'<row r="(\d+)"[^>]*?>.*?</row>', text, re.S)}
    formula = re.compile(r"<c [^>]*?>(?:(?!</c>).)*?<f[ >/].*?</c>", re.S)
    mark = "\x00"  # where the row number goes in a copied row
    items = []
    for r in cells.item_rows:
        if r in rows:
            row = re.sub(r'(<c r="[A-Z]+)\d+"', rf'\g<1>{mark}"', formula.sub("", rows[r]))
            items.append(re.sub(r'^<row r="\d+"', f'<row r="{mark}"', row))
    kept = re.sub(
        r'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)',
        lambda m: m[0] if int(m[1]) <= cells.header_row else "",
        re.sub(r'<dimension ref="[^"]*"/>', "", text),
        flags=re.S,
    )
    first = cells.header_row + 1
    copies = "".join(items[i % len(items)].replace(mark, str(first + i)) for i in range(PLAN_ROWS))
    book.put(part, kept.replace("</sheetData>", copies + "</sheetData>", 1))
    members = []
    for name, data in book.parts.items():  # the large sheet packed fast, the rest as usual
        if name == part:
            packer = zlib.compressobj(1, zlib.DEFLATED, -15)
            packed = packer.compress(data) + packer.flush()
            members.append(Member(name.encode(), packed, zlib.crc32(data), len(data)))
        else:
            members.append(Member.of(name, data))
    path = folder / plan_name(rng)
    path.write_bytes(zip_bytes(members))
    return path


def _value_book_filled(rng: random.Random) -> tuple[Book, PlanCells]:
    """An example plan with its item rows (every example has some)."""
    while True:
        book, cells = _value_book(rng)
        if cells.item_rows:
            return book, cells


# -- structure


@family("struct.missing_sheet", weight=2)
def _struct_missing_sheet(rng: random.Random, folder: Path) -> Path:
    """Plan sheets dropped, renamed, duplicated, hidden, or only one empty sheet left."""
    book, _ = base_book(rng)
    choice = rng.choice(["drop_one", "drop_all", "rename", "duplicate", "hidden", "empty"])
    names = [SHEET_INFO, SHEET_ASSESSMENT, SHEET_PLAN]
    if choice == "drop_one":
        book.drop_sheet(rng.choice(names))
    elif choice == "drop_all":
        for name in names:
            book.drop_sheet(name)
    elif choice == "rename":
        book.rename_sheet(
            rng.choice(names),
            rng.choice(["KẾ HOẠCH ", "Ke hoach", "Sheet1", "Kế hoạch (2)", " ", "Thong tin"]),
        )
    elif choice == "duplicate":
        book.rename_sheet("Hướng dẫn", rng.choice(names))
    elif choice == "hidden":
        workbook = book.text("xl/workbook.xml")
        book.put(
            "xl/workbook.xml",
            workbook.replace(f'name="{SHEET_PLAN}"', f'name="{SHEET_PLAN}" state="veryHidden"'),
        )
    else:
        for _name, part in book.sheets():
            book.put(
                part,
                re.sub(r"<sheetData>.*</sheetData>", "<sheetData/>", book.text(part), flags=re.S),
            )
    return book.save(folder / plan_name(rng))


@family("struct.wide")
def _struct_wide(rng: random.Random, folder: Path) -> Path:
    """A row filled across all 16,384 columns (or the header row pushed there)."""
    book, cells = _value_book(rng)
    row = rng.choice([cells.header_row, cells.header_row + 1, 1, 1000])
    width = rng.choice([MAX_COLUMN, MAX_COLUMN, 5000])
    run = "".join(number_cell(f"{column_letters(c)}{row}", str(c)) for c in range(16, width + 1))
    part = book.sheet_part(rng.choice([SHEET_PLAN, SHEET_PLAN, SHEET_INFO]))
    text = book.text(part)
    book.put(part, set_cell_xml(text, f"P{row}", run))
    return book.save(folder / plan_name(rng))


@family("struct.last_row")
def _struct_last_row(rng: random.Random, folder: Path) -> Path:
    """Something in row 1,048,576 (or just past a plausible end) of a plan sheet."""
    book, _cells = _value_book(rng)
    sheet = rng.choice([SHEET_PLAN, SHEET_PLAN, SHEET_ASSESSMENT, SHEET_INFO])
    row = rng.choice([MAX_ROW, MAX_ROW, 500_000, 65_537])
    column = rng.choice(["A", "B", "H", "M"])
    value = rng.choice(["1.1", "Ghi chú cuối", "Mức 2"])
    book.set_cell(sheet, f"{column}{row}", inline_string(f"{column}{row}", value))
    return book.save(folder / plan_name(rng))


@family("struct.many_sheets")
def _struct_many_sheets(rng: random.Random, folder: Path) -> Path:
    """Hundreds of extra sheets, or sheets with huge merged ranges and odd names."""
    book, _ = base_book(rng)
    count = rng.choice([300, 1000])
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Kế hoạch</t></is></c></row></sheetData>'
        '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'
    )
    sheets, rels, types = [], [], []
    for i in range(count):
        book.put(f"xl/worksheets/extra{i}.xml", sheet_xml)
        sheets.append(f'<sheet name="Kế hoạch {i}" sheetId="{100 + i}" r:id="rX{i}"/>')
        rels.append(
            f'<Relationship Id="rX{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/extra{i}.xml"/>'
        )
        types.append(
            f'<Override PartName="/xl/worksheets/extra{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    book.put(
        "xl/workbook.xml",
        book.text("xl/workbook.xml").replace("</sheets>", "".join(sheets) + "</sheets>"),
    )
    book.put(
        "xl/_rels/workbook.xml.rels",
        book.text("xl/_rels/workbook.xml.rels").replace(
            "</Relationships>", "".join(rels) + "</Relationships>"
        ),
    )
    book.put(
        "[Content_Types].xml",
        book.text("[Content_Types].xml").replace("</Types>", "".join(types) + "</Types>"),
    )
    return book.save(folder / plan_name(rng))


# -- workbook containers


@family("zip.version")
def _zip_version(rng: random.Random, folder: Path) -> Path:
    """A workbook whose members say "version needed to extract 25.5" (or an odd method/flag)."""
    book, _ = base_book(rng)
    members = [Member.of(n, d) for n, d in book.parts.items()]
    for m in rng.sample(members, rng.choice([1, len(members)])):
        choice = rng.choice(["version", "version", "flags", "method"])
        if choice == "version":
            m.version = rng.choice([255, 63, 45, 0xFFFF])
        elif choice == "flags":  # encrypted, strong encryption, masked local header
            m.flags |= rng.choice([0x1, 0x40, 0x2000])
        else:
            m.method = rng.choice([1, 6, 9, 12, 14, 19, 95, 98, 99])
    path = folder / plan_name(rng)
    path.write_bytes(zip_bytes(members))
    return path


@family("zip.bomb", weight=2)
def _zip_bomb(rng: random.Random, folder: Path) -> Path:
    """A workbook whose sheet declares a huge size, or really unpacks to hundreds of MB."""
    book, _ = base_book(rng)
    part = book.sheet_part(rng.choice([SHEET_PLAN, SHEET_INFO]))
    members = [Member.of(n, d) for n, d in book.parts.items()]
    victim = next(m for m in members if m.name.decode() == part)
    choice = rng.choice(["declared", "declared", "ratio", "ratio_text"])
    if choice == "declared":
        victim.size = rng.choice([0xFFFFFFFF, 0xFFFFFFFE, 400 * 2**20, 2**31])
    else:
        text = book.text(part)
        megabytes = rng.choice([50, 200, 450])
        if choice == "ratio":  # whitespace between elements: valid XML, megabytes of it
            at = text.index("<sheetData>") + len("<sheetData>")
            prefix, suffix, chunk = text[:at].encode(), text[at:].encode(), b" " * 2**20
        else:  # one shared string megabytes long
            sst = book.text("xl/sharedStrings.xml")
            at = sst.index("<si><t>") + len("<si><t>")
            part, prefix, suffix, chunk = (
                "xl/sharedStrings.xml",
                sst[:at].encode(),
                sst[at:].encode(),
                b"A" * 2**20,
            )
            victim = next(m for m in members if m.name.decode() == part)
        victim.data, victim.crc, victim.size = repeated_deflate(prefix, chunk, megabytes, suffix)
    path = folder / plan_name(rng)
    path.write_bytes(zip_bytes(members))
    return path


@family("zip.damaged_member")
def _zip_damaged_member(rng: random.Random, folder: Path) -> Path:
    """One part's compressed stream is broken: bad deflate, LZMA garbage, CRC or size lies."""
    book, _ = base_book(rng)
    members = [Member.of(n, d) for n, d in book.parts.items()]
    victim = rng.choice([m for m in members if m.name.endswith(b".xml")])
    choice = rng.choice(["deflate", "lzma", "bzip2", "crc", "short", "long"])
    if choice == "deflate":
        victim.data = bytes([victim.data[0] ^ 0xFF]) + rng.randbytes(len(victim.data) - 1)
    elif choice == "lzma":
        victim.method, victim.data = zipfile.ZIP_LZMA, b"\x09\x04\x05\x00" + rng.randbytes(64)
    elif choice == "bzip2":
        victim.method, victim.data = zipfile.ZIP_BZIP2, b"BZh9" + rng.randbytes(64)
    elif choice == "crc":
        victim.crc ^= 0xDEADBEEF
    elif choice == "short":
        victim.size = max(1, victim.size // 3)
    else:
        victim.size *= 3
    path = folder / plan_name(rng)
    path.write_bytes(zip_bytes(members))
    return path


@family("zip.nested_part")
def _zip_nested_part(rng: random.Random, folder: Path) -> Path:
    """Parts that are themselves zips, duplicated names, or a lying entry count."""
    book, _ = base_book(rng)
    members = [Member.of(n, d) for n, d in book.parts.items()]
    choice = rng.choice(["zip_in_part", "duplicate", "count"])
    entries = None
    if choice == "zip_in_part":
        victim = rng.choice(members)
        inner = zip_bytes([Member.of(victim.name, b"<x/>")])
        replacement = Member.of(victim.name, inner)
        members[members.index(victim)] = replacement
    elif choice == "duplicate":
        twin = Member.of(book.sheet_part(SHEET_PLAN), b'<?xml version="1.0"?><worksheet/>')
        members.insert(rng.randrange(len(members)), twin)
    else:
        entries = rng.choice([0, 1, 65535])
    path = folder / plan_name(rng)
    path.write_bytes(zip_bytes(members, entries=entries))
    return path


# -- other formats


def _example_sheets(rng: random.Random) -> list[tuple[str, dict[tuple[int, int], str | float]]]:
    return plan_sheets(rng.choice(EXAMPLES))


@family("format.xls", readable=True)
def _format_xls(rng: random.Random, folder: Path) -> Path:
    """A genuine .xls (BIFF8) of an example plan: check, --annotate and render must all handle it."""
    path = folder / plan_name(rng, ".xls")
    path.write_bytes(xls_bytes(_example_sheets(rng)))
    return path


@family("format.ods", readable=True)
def _format_ods(rng: random.Random, folder: Path) -> Path:
    """A genuine .ods of an example plan."""
    path = folder / plan_name(rng, ".ods")
    path.write_bytes(ods_bytes(_example_sheets(rng)))
    return path


@family("format.ods_repeat")
def _format_ods_repeat(rng: random.Random, folder: Path) -> Path:
    """An .ods whose last row repeats a million times across 16,384 columns (a few bytes on disk)."""
    path = folder / plan_name(rng, ".ods")
    path.write_bytes(ods_bytes(_example_sheets(rng), repeat=rng.choice([MAX_COLUMN, MAX_ROW])))
    return path


@family("format.xls_as_xlsx", forbid=("mật khẩu",))
def _format_xls_as_xlsx(rng: random.Random, folder: Path) -> Path:
    """An .xls renamed .xlsx: must not be reported as password-protected."""
    path = folder / plan_name(rng, rng.choice([".xlsx", ".xlsm"]))
    path.write_bytes(xls_bytes(_example_sheets(rng)))
    return path


@family("format.xlsx_as_xls", readable=True)
def _format_xlsx_as_xls(rng: random.Random, folder: Path) -> Path:
    """A valid .xlsx (or .ods) renamed .xls, .ods or .xlsb: still a readable plan."""
    source = rng.choice(EXAMPLES)
    if rng.random() < 0.7:
        path = folder / plan_name(rng, rng.choice([".xls", ".xls", ".ods", ".xlsb"]))
        path.write_bytes(source.read_bytes())
    else:
        path = folder / plan_name(rng, rng.choice([".xlsx", ".xls"]))
        path.write_bytes(ods_bytes(plan_sheets(source)))
    return path


@family("format.damaged_xls_ods", weight=2)
def _format_damaged_xls_ods(rng: random.Random, folder: Path) -> Path:
    """Byte flips in an .xls, or XML mutations in an .ods."""
    sheets = _example_sheets(rng)
    if rng.random() < 0.5:
        data = bytearray(xls_bytes(sheets))
        for _ in range(rng.choice([1, 4, 30])):
            at = (
                rng.randrange(len(data))
                if rng.random() < 0.5
                else rng.randrange(512, min(len(data), 2048))
            )
            data[at] = rng.randrange(256)
        path = folder / plan_name(rng, ".xls")
        path.write_bytes(bytes(data))
    else:
        parts = read_parts_bytes(ods_bytes(sheets))
        parts["content.xml"] = _mutate_text(rng, parts["content.xml"].decode()).encode(
            "utf-8", "surrogatepass"
        )
        path = folder / plan_name(rng, ".ods")
        path.write_bytes(
            zip_bytes(
                [
                    Member.of(n, d, zipfile.ZIP_STORED if n == "mimetype" else zipfile.ZIP_DEFLATED)
                    for n, d in parts.items()
                ]
            )
        )
    return path


def read_parts_bytes(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@family("format.not_workbook")
def _format_not_workbook(rng: random.Random, folder: Path) -> Path:
    """PDF, PNG, HTML, CSV or a Word document saved with a spreadsheet name."""
    choice = rng.choice(["pdf", "png", "html", "csv", "docx", "text"])
    content = {
        "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "html": "<html><body><table><tr><td>Tên trường</td><td>Trường A</td></tr></table></body></html>".encode(),
        "csv": "Tên trường,Trường A\nNăm học,2024-2025\n".encode(),
        "docx": zip_bytes(
            [
                Member.of("word/document.xml", b"<w:document/>"),
                Member.of("[Content_Types].xml", b"<Types/>"),
            ]
        ),
        "text": "Kế hoạch cải tiến chất lượng\n".encode("utf-16"),
    }[choice]
    path = folder / plan_name(rng, rng.choice([".xlsx", ".xls", ".ods", ".xlsm"]))
    path.write_bytes(content)
    return path


# -- the file system


@family("fs.symlink_loop")
def _fs_symlink_loop(rng: random.Random, folder: Path) -> Path:
    """A symlink loop (a -> b -> a), a dangling link, or a directory named like a workbook."""
    choice = rng.choice(["loop", "self", "dangling", "directory"])
    path = folder / plan_name(rng)
    if choice == "loop":
        other = folder / plan_name(rng)
        os.symlink(other.name, path)
        os.symlink(path.name, other)
    elif choice == "self":
        os.symlink(path.name, path)
    elif choice == "dangling":
        os.symlink("khong-ton-tai.xlsx", path)
    else:
        path.mkdir()
        (path / "xl").mkdir()
    return path


@family("fs.odd_name", weight=2, readable=True)
def _fs_odd_name(rng: random.Random, folder: Path) -> Path:
    """A good plan under a name in Latin-1 bytes, with escape sequences, a newline, or 250 bytes."""
    choice = rng.choice(["latin1", "latin1", "escape", "newline", "long", "nfd", "spaces"])
    name = {
        "latin1": os.fsdecode(b"k\xe9-ho\xe0ch-tr\xfa\xf4ng.xlsx"),
        "escape": "ke-hoach-\x1b[31mdo\x1b[0m.xlsx",
        "newline": "ke-hoach\nLỗi: giả.xlsx",
        "long": "k" * 245 + ".xlsx",
        "nfd": unicodedata.normalize("NFD", "kế-hoạch-trường.xlsx"),
        "spaces": " kế hoạch  .xlsx",
    }[choice]
    path = folder / name
    path.write_bytes(rng.choice(EXAMPLES).read_bytes())
    return path


@family("fs.unreadable", weight=0.5)
def _fs_unreadable(rng: random.Random, folder: Path) -> Path:
    """A plan the user may not read (mode 000)."""
    path = folder / plan_name(rng)
    path.write_bytes(rng.choice(EXAMPLES).read_bytes())
    path.chmod(0)
    return path


@family("fs.fifo", weight=0.15)
def _fs_fifo(rng: random.Random, folder: Path) -> Path:
    """A named pipe called plan.xlsx: opening it blocks until someone writes."""
    path = folder / plan_name(rng)
    os.mkfifo(path)
    return path


# -- merge inputs: folders and archives


# Not put into merge folders: a pipe (merge has its own case), and the 20,000-row plan,
# whose read and summary take most of a merge's time budget on their own (check and
# render run it alone).
NOT_IN_FOLDERS = ("fs.fifo", "value.many_rows")


def _file_kinds() -> list[str]:
    return [k for k, f in FAMILIES.items() if f.target == "file" and k not in NOT_IN_FOLDERS]


def _hostile_file(rng: random.Random, folder: Path) -> Path:
    """One hostile workbook of a random file family, written into ``folder``."""
    kind = rng.choice(_file_kinds())
    return FAMILIES[kind].make(random.Random(rng.random()), folder)


def _good_file(rng: random.Random, folder: Path, name: str | None = None) -> Path:
    source = rng.choice(SOURCES)
    path = folder / (name or f"{rng.randrange(10**6):06d}-{source.name}")
    path.write_bytes(source.read_bytes())
    return path


@family("merge.folder", weight=3, target="merge")
def _merge_folder(rng: random.Random, folder: Path) -> Path:
    """A district folder: good plans, hostile files, subfolders, system files, a symlink loop."""
    root = folder / "thu-muc-ke-hoach"
    sub = root / "dot-2"
    sub.mkdir(parents=True)
    for _ in range(rng.choice([1, 2, 4])):
        _good_file(rng, rng.choice([root, sub]))
    for _ in range(rng.choice([2, 4, 8])):
        _hostile_file(rng, rng.choice([root, sub]))
    extras = rng.sample(
        ["loop", "thumbs", "lock", "pdf", "empty_dir", "dir_loop", "fifo"], rng.choice([0, 2, 4])
    )
    if "loop" in extras:
        os.symlink("vong-b.xlsx", root / "vong-a.xlsx")
        os.symlink("vong-a.xlsx", root / "vong-b.xlsx")
    if "dir_loop" in extras:
        os.symlink("..", sub / "len-tren")
    if "thumbs" in extras:
        (root / "Thumbs.db").write_bytes(bytes(100))
    if "lock" in extras:
        (root / "~$ke-hoach.xlsx").write_bytes(b"\x00" * 162)
    if "pdf" in extras:
        (root / "ke-hoach.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    if "fifo" in extras:
        os.mkfifo(sub / "ong-dan.xlsx")
    if "empty_dir" in extras:
        (root / "trong").mkdir()
    return root


def _archive_members(rng: random.Random, folder: Path, count: int) -> list[Member]:
    """Members for a district .zip: good and hostile workbooks, read back from disk."""
    staging = folder / "staging"
    staging.mkdir(exist_ok=True)
    members = []
    for i in range(count):
        path = _good_file(rng, staging) if rng.random() < 0.4 else _hostile_file(rng, staging)
        if path.is_file() and not path.is_symlink():
            path.chmod(0o644)
            members.append(Member.of(f"quan-{i % 3}/{path.name}", path.read_bytes()))
    return members


def _write_archive(
    rng: random.Random, folder: Path, members: list[Member], entries: int | None = None
) -> Path:
    path = folder / f"ke-hoach-cac-truong-{rng.randrange(1000):03d}.zip"
    path.write_bytes(zip_bytes(members, entries=entries))
    return path


@family("merge.archive_damaged", weight=2, target="merge")
def _merge_archive_damaged(rng: random.Random, folder: Path) -> Path:
    """A folder holding a damaged .zip: version 25.5, unknown method, bad deflate/LZMA, truncated."""
    root = folder / "thu-muc"
    root.mkdir()
    _good_file(rng, root)
    members = _archive_members(rng, folder, rng.choice([2, 4]))
    for m in rng.sample(members, max(1, len(members) // 2)):
        choice = rng.choice(["version", "method", "deflate", "lzma", "crc", "encrypted"])
        if choice == "version":
            m.version = 255
        elif choice == "method":
            m.method = rng.choice([98, 99, 97, 19])
        elif choice == "deflate":
            m.data = b"\xff" + m.data[1:]
        elif choice == "lzma":
            m.method, m.data = zipfile.ZIP_LZMA, rng.randbytes(40)
        elif choice == "crc":
            m.crc ^= 1
        else:
            m.flags |= 1
    archive = _write_archive(rng, root, members)
    if rng.random() < 0.3:
        data = archive.read_bytes()
        archive.write_bytes(data[: rng.randrange(1, len(data))])
    return root


@family("merge.archive_bomb", target="merge")
def _merge_archive_bomb(rng: random.Random, folder: Path) -> Path:
    """A .zip whose members declare terabytes, or really unpack to 50-450 MB each."""
    members = _archive_members(rng, folder, 2)
    choice = rng.choice(["declared", "declared_many", "ratio", "lying_small"])
    if choice == "declared":
        members.append(Member(b"quan-9/bom.xlsx", deflate(b"x"), zlib.crc32(b"x"), 0xFFFFFFFF))
    elif choice == "declared_many":
        members += [
            Member(f"bom-{i}.xlsx".encode(), deflate(b"x"), zlib.crc32(b"x"), 0x7FFFFFFF)
            for i in range(5)
        ]
    elif choice == "ratio":
        data, crc, size = repeated_deflate(b"PK", b"\0" * 2**20, rng.choice([50, 99, 450]), b"")
        members.append(Member(b"quan-9/bom.xlsx", data, crc, size))
    else:  # declares a few bytes, unpacks to 200 MB
        data, crc, _size = repeated_deflate(b"", b"\0" * 2**20, 200, b"")
        members.append(Member(b"quan-9/nho.xlsx", data, crc, 10))
    return _write_archive(rng, folder, members)


@family("merge.archive_paths", target="merge")
def _merge_archive_paths(rng: random.Random, folder: Path) -> Path:
    """Members named ../../x, /abs, C:\\x, Latin-1 bytes, escape sequences, duplicates, nested zips."""
    members = _archive_members(rng, folder, 2)
    content = rng.choice(EXAMPLES).read_bytes()
    names: list[str | bytes] = rng.sample(
        [
            "../../fuzz-escaped.xlsx",
            "/tmp/fuzz-escaped-abs.xlsx",
            "..\\..\\fuzz-escaped-win.xlsx",
            "C:/fuzz-escaped.xlsx",
            "a/../../fuzz-escaped.xlsx",
            b"k\xe9-ho\xe0ch.xlsx",
            "ke-hoach-\x1b[31m.xlsx",
            "ke-hoach\n.xlsx",
            "x" * 300 + ".xlsx",
            "",
            "thu-muc/",
        ],
        rng.choice([2, 4, 6]),
    )
    members += [Member.of(name, content) for name in names]
    if rng.random() < 0.5:
        members.append(members[-1])  # the same name twice
    if rng.random() < 0.5:
        depth = rng.choice([2, 5, 20])
        inner = zip_bytes([Member.of("ke-hoach.xlsx", content)])
        for level in range(depth):
            inner = zip_bytes([Member.of(f"long-{level}.zip", inner)])
        members.append(Member.of("long-nhau.zip", inner))
    entries = rng.choice([None, None, 65535, 0])
    return _write_archive(rng, folder, members, entries)


@family("merge.many_files", weight=0.5, target="merge")
def _merge_many_files(rng: random.Random, folder: Path) -> Path:
    """A .zip of thousands of tiny broken members (each is a file to account for)."""
    count = rng.choice([2_000, 10_000])
    members = [Member.of(f"truong-{i:05d}.xlsx", b"PK\x03\x04") for i in range(count)]
    return _write_archive(rng, folder, members)


@family("merge.interrupted", weight=0.5, target="merge", interrupt=True)
def _merge_interrupted(rng: random.Random, folder: Path) -> Path:
    """120 plans, merged and stopped while the workers run: no worker may be left behind."""
    root = folder / "quan"
    root.mkdir()
    for i in range(120):
        _good_file(rng, root, f"truong-{i:02d}.xlsx")
    return root


KNOWN_FAMILIES: tuple[str, ...] = tuple(sorted(FAMILIES))
"""Every kind of hostile case ("bytes.flip", "xml.far_cell", ...)."""

GROUPS: tuple[str, ...] = tuple(sorted({k.split(".")[0] for k in KNOWN_FAMILIES}))
"""The families' groups: bytes, format, fs, merge, struct, value, xml, zip."""

SEEN_FAILURES: dict[str, str] = {
    "a zip whose header says version 25.5": "merge.archive_damaged",
    "a cell at XFD1048576": "xml.far_cell",
    "a cell reference like A9999999910": "xml.bad_ref",
    "a sharedStrings count far above the real one": "xml.shared_strings",
    "control characters in cells": "value.control_chars",
    "a time-only or duration cell": "value.time_cell",
    "a huge number / inf": "value.special_number",
    "mutated XML": "xml.mutate",
    "render --draft to .docx of very long multi-line text": "value.multiline_items",
    "--annotate of .ods/.xls answering in English": "format.xls",
    "damaged .zip inside a merge folder": "merge.archive_damaged",
    "a symlink loop": "fs.symlink_loop",
    "a file name in Latin-1 bytes": "fs.odd_name",
    "two budgets of 1e308": "value.huge_budgets",
    "a killed merge leaving workers": "merge.interrupted",
    "1,200 items under one criterion": "value.many_items",
    "XML with a character reference &#1;": "xml.char_ref",
    "a DTD entity": "xml.dtd_entity",
    "an .xls renamed .xlsx": "format.xls_as_xlsx",
    "a valid .xlsx renamed .xls": "format.xlsx_as_xls",
    "a file the user may not read": "fs.unreadable",
    "escape sequences from cells echoed to the terminal": "value.escape_seq",
}
"""Failures reported in the issue -> the family that reproduces each."""


def cases(seed: int, count: int) -> Iterator[Case]:
    """``count`` cases for ``seed``: every family once (in a seeded order), then by weight.

    Case ``i`` does not depend on ``count``, so a longer run extends a shorter one.
    """
    rng = random.Random(seed)
    order = list(KNOWN_FAMILIES)
    rng.shuffle(order)
    weights = [FAMILIES[k].weight for k in KNOWN_FAMILIES]
    for index in range(count):
        kind = order[index] if index < len(order) else rng.choices(KNOWN_FAMILIES, weights)[0]
        spec = FAMILIES[kind]
        interrupt = None
        if spec.interrupt:
            interrupt = random.Random(f"{seed}:{index}").choice(["SIGTERM", "SIGINT", "SIGKILL"])
        yield Case(
            name=f"s{seed}-{index:05d}-{kind}",
            kind=kind,
            target=spec.target,
            make=spec.make,
            readable=spec.readable,
            forbid=spec.forbid,
            interrupt=interrupt,
        )


def case_by_name(name: str) -> Case:
    """The case called ``name`` ("s1-00042-xml.far_cell")."""
    match = re.fullmatch(r"s(-?\d+)-(\d+)-(.+)", name)
    if not match:
        raise ValueError(f"not a case name: {name}")
    seed, index = int(match[1]), int(match[2])
    case = list(cases(seed, index + 1))[index]
    if case.name != name:
        raise ValueError(f"{name} is {case.name} in this version of the generator")
    return case


def make_readable(folder: Path) -> None:
    """Give back read permission under ``folder`` so it can be copied or removed."""
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            if not path.is_symlink():
                mode = path.lstat().st_mode
                if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
                    path.chmod(
                        mode
                        | stat.S_IRUSR
                        | stat.S_IWUSR
                        | (stat.S_IXUSR if stat.S_ISDIR(mode) else 0)
                    )


def digest(path: Path) -> str:
    """A hash of everything under ``path``: names, bytes, link targets, pipes."""
    h = hashlib.sha256()
    entries = sorted(path.rglob("*")) if path.is_dir() and not path.is_symlink() else [path]
    for entry in entries:
        h.update(os.fsencode(entry.relative_to(path.parent)) + b"\0")
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            h.update(b"link:" + os.fsencode(os.readlink(entry)))
        elif stat.S_ISREG(mode):
            entry.chmod(mode | stat.S_IRUSR)
            h.update(entry.read_bytes())
            entry.chmod(mode)
        else:
            h.update(f"mode:{stat.S_IFMT(mode)}".encode())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a corpus of hostile inputs for inspection.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=len(KNOWN_FAMILIES))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--digest", action="store_true", help="print a hash of each case instead")
    args = parser.parse_args()
    for case in cases(args.seed, args.count):
        path = case.build(args.out / case.name)
        if args.digest:
            print(case.name, digest(path))
            continue
        files = [path, *path.rglob("*")] if path.is_dir() and not path.is_symlink() else [path]
        size = sum(p.lstat().st_size for p in files if p.is_file() and not p.is_symlink())
        print(f"{case.name:45} {case.target:5} {size:>10,} B  {path.name!r}")


if __name__ == "__main__":
    main()
