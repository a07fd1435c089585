"""Build a vbaProject.bin from VBA source text (MS-OVBA), so templates carry no opaque binary.

The project is "version independent": its ``_VBA_PROJECT`` stream holds no
compiled code, only the marker that tells Excel to compile the modules from
their source when the workbook opens. What we store:

- ``PROJECT``: the project's text properties (modules, name, protection);
- ``PROJECTwm``: module names in the code page and in UTF-16;
- ``VBA/dir``: the compressed binary description (references, modules);
- ``VBA/<module>``: each module's source, compressed (no performance cache);
- ``VBA/_VBA_PROJECT``: the 7-byte version-independent header.

Sources are ASCII only: the code page of a VBA project depends on the
machine that opens it, and xlwings breaks on non-ASCII Python commands.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import cfb, ovba

STANDARD, CLASS, DOCUMENT = "standard", "class", "document"
CODE_PAGE = 1252
LCID = 0x0409
PROJECT_NAME = "VBAProject"
# A fixed project ID and encryption seed: the same sources give the same bytes.
PROJECT_ID = "{5E6B9C1A-3F2D-4B8E-9A71-2C4D6E8F0A13}"
SEED = 0x5A

WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

# The references Excel gives every new project (OLE Automation and the Office library).
REFERENCES = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0"
        r"#C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
        r"#Microsoft Office 16.0 Object Library",
    ),
)

_NAME_LINE = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]{0,30})"\r?$', re.MULTILINE)


class VbaSourceError(ValueError):
    """A module's source cannot go into a VBA project."""


@dataclass(frozen=True)
class Module:
    """One VBA module as stored in the project: its name, kind and source text (CRLF lines)."""

    name: str
    kind: str
    source: str


def load_module(path: str | Path) -> Module:
    """Read an exported ``.bas`` (standard) or ``.cls`` (class) module file."""
    path = Path(path)
    return parse_module(path.name, path.read_bytes())


def parse_module(file_name: str, raw: bytes) -> Module:
    """An exported module's text as stored in a project; ``file_name`` gives its kind.

    The ``VERSION``/``BEGIN``...``END`` header of an exported class is what the
    VBA editor writes around the stored text; the stored text has a VB_Base
    attribute instead.
    """
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise VbaSourceError(f"{file_name}, line {line}: VBA sources must be ASCII") from None
    lines = text.replace("\r\n", "\n").split("\n")
    kind = CLASS if file_name.lower().endswith(".cls") else STANDARD
    if kind == CLASS:
        if lines[0].startswith("VERSION "):
            end = lines.index("END")
            lines = lines[end + 1 :]
        lines.insert(1, f'Attribute VB_Base = "{CLASS_BASE}"')
    source = "\r\n".join(lines)
    match = _NAME_LINE.match(source)
    if not match:
        raise VbaSourceError(f'{file_name}: the first line must be Attribute VB_Name = "..."')
    return Module(match.group(1), kind, source)


def vn_escape(text: str) -> str:
    """Text as the body of a ``Vn("...")`` literal in an ASCII VBA source.

    Every non-ASCII character (and the backslash) becomes \\uXXXX, one per
    UTF-16 code unit, which ``Vn()`` in sheetkit.bas turns back with ChrW; a
    quote is doubled, as VBA strings want. Write a new message with
    ``python -c "from sheetkit.excel.vba import vn_escape; print(vn_escape('Kiểm tra'))"``.
    """
    out = []
    for char in text:
        if char == '"':
            out.append('""')
        elif 32 <= ord(char) < 127 and char != "\\":
            out.append(char)
        else:
            units = char.encode("utf-16-le")
            out += [
                f"\\u{int.from_bytes(units[i : i + 2], 'little'):04x}"
                for i in range(0, len(units), 2)
            ]
    return "".join(out)


def vn_unescape(literal: str) -> str:
    """What ``Vn()`` in sheetkit.bas makes of a literal's body (the inverse of :func:`vn_escape`)."""
    units = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), literal)
    return units.replace('""', '"').encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def document_module(name: str, workbook: bool = False) -> Module:
    """The (empty) code module Excel keeps behind the workbook or one worksheet."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{WORKBOOK_BASE if workbook else WORKSHEET_BASE}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, DOCUMENT, "\r\n".join(lines) + "\r\n")


def workbook_modules(sheet_count: int, code: Iterable[Module]) -> list[Module]:
    """Document modules for ThisWorkbook and Sheet1..N (XlsxWriter's code names), then ``code``."""
    documents = [document_module("ThisWorkbook", workbook=True)]
    documents += [document_module(f"Sheet{i}") for i in range(1, sheet_count + 1)]
    return documents + list(code)


def build_project(modules: list[Module]) -> bytes:
    """The vbaProject.bin (a compound file) holding ``modules``."""
    names = [m.name.upper() for m in modules]
    if len(set(names)) != len(names):
        raise VbaSourceError("two modules have the same name")
    streams = {m.name: ovba.compress(m.source.encode("ascii")) for m in modules}
    vba = {
        "_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0, 0),
        "dir": ovba.compress(dir_stream(modules)),
    }
    vba.update(streams)
    return cfb.write_compound(
        {"PROJECT": project_stream(modules), "PROJECTwm": project_wm(modules), "VBA": vba}
    )


def project_stream(modules: list[Module]) -> bytes:
    """The PROJECT stream: text properties, module list and (encrypted) protection state."""
    lines = [f'ID="{PROJECT_ID}"']
    for module in modules:
        if module.kind == DOCUMENT:
            lines.append(f"Document={module.name}/&H00000000")
        else:
            lines.append(f"{'Class' if module.kind == CLASS else 'Module'}={module.name}")
    lines += [
        f'Name="{PROJECT_NAME}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(bytes(4)).hex().upper()}"',  # not protected
        f'DPB="{encrypt(bytes(1)).hex().upper()}"',  # no password
        f'GC="{encrypt(bytes([0xFF])).hex().upper()}"',  # visible
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
    ]
    return "\r\n".join(lines).encode("ascii")


def project_wm(modules: list[Module]) -> bytes:
    """The PROJECTwm stream: each module name in the code page and in UTF-16."""
    out = b"".join(
        m.name.encode("ascii") + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules
    )
    return out + b"\0\0"


def dir_stream(modules: list[Module]) -> bytes:
    """The uncompressed ``dir`` stream (MS-OVBA 2.3.4.2)."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 3))  # SysKind: 64-bit Windows
    out += _record(0x0002, struct.pack("<I", LCID))
    out += _record(0x0014, struct.pack("<I", LCID))  # LcidInvoke
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _record(0x0004, PROJECT_NAME.encode("ascii"))
    out += _text_pair(0x0005, 0x0040, "")  # DocString
    out += _text_pair(0x0006, 0x003D, "", unicode=False)  # HelpFile1 / HelpFile2
    out += _record(0x0007, struct.pack("<I", 0))  # HelpContext
    out += _record(0x0008, struct.pack("<I", 0))  # LibFlags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # Version (its Size field is always 4)
    out += _text_pair(0x000C, 0x003C, "")  # Constants
    for name, libid in REFERENCES:
        out += _text_pair(0x0016, 0x003E, name)
        encoded = libid.encode("ascii")
        out += _record(0x000D, struct.pack("<I", len(encoded)) + encoded + struct.pack("<IH", 0, 0))
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # ProjectCookie
    for module in modules:
        out += _text_pair(0x0019, 0x0047, module.name)
        out += _text_pair(0x001A, 0x0032, module.name)  # the stream's name
        out += _text_pair(0x001C, 0x0048, "")  # DocString
        out += _record(0x0031, struct.pack("<I", 0))  # TextOffset: no performance cache
        out += _record(0x001E, struct.pack("<I", 0))  # HelpContext
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # Cookie
        out += _record(0x0021 if module.kind == STANDARD else 0x0022, b"")
        out += _record(0x002B, b"")  # Terminator
    out += _record(0x0010, b"")  # end of dir
    return bytes(out)


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_pair(record_id: int, unicode_id: int, text: str, unicode: bool = True) -> bytes:
    """A record in the code page followed by its twin (UTF-16, or the code page again)."""
    second = text.encode("utf-16-le") if unicode else text.encode("ascii")
    return _record(record_id, text.encode("ascii")) + _record(unicode_id, second)


def encrypt(data: bytes, seed: int = SEED, project_id: str = PROJECT_ID) -> bytes:
    """MS-OVBA 2.4.3.2 data encryption, used for the CMG, DPB and GC properties."""
    version = 2
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, version ^ seed, key ^ seed])
    plain1, enc1, enc2 = key, key ^ seed, version ^ seed
    ignored = [7] * ((seed & 6) // 2)  # filler bytes the reader skips
    for byte in [*ignored, *struct.pack("<I", len(data)), *data]:
        encrypted = byte ^ ((enc2 + plain1) & 0xFF)
        out.append(encrypted)
        enc2, enc1, plain1 = enc1, encrypted, byte
    return bytes(out)


def decrypt(data: bytes, project_id: str = PROJECT_ID) -> bytes:
    """The inverse of :func:`encrypt` (MS-OVBA 2.4.3.3)."""
    seed, version_enc, key_enc = data[0], data[1], data[2]
    if version_enc ^ seed != 2 or key_enc ^ seed != sum(project_id.encode("ascii")) & 0xFF:
        raise VbaSourceError("the protection data does not belong to this project")
    plain1, enc1, enc2 = key_enc ^ seed, key_enc, version_enc
    plain = bytearray()
    for encrypted in data[3:]:
        byte = encrypted ^ ((enc2 + plain1) & 0xFF)
        plain.append(byte)
        enc2, enc1, plain1 = enc1, encrypted, byte
    skip = (seed & 6) // 2
    length = struct.unpack("<I", plain[skip : skip + 4])[0]
    return bytes(plain[skip + 4 : skip + 4 + length])
