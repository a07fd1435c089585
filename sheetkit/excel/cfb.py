"""A writer for Microsoft compound files (MS-CFB version 3), the container of vbaProject.bin.

A compound file is a small file system in one file: 512-byte sectors chained by
a FAT, a directory of 128-byte entries (storages are folders, streams are
files) and a "mini stream" of 64-byte sectors for streams under 4096 bytes.
We only ever write small, fixed trees (a VBA project), so this writer keeps
to the simplest valid layout: no DIFAT (up to 109 FAT sectors, about 6.8 MB),
zero timestamps and a fixed order, so the same input gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NO_STREAM = 0xFFFFFFFF
MAX_FAT_SECTORS = 109  # what the header's own DIFAT array can list
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
UNUSED, STORAGE, STREAM, ROOT = 0, 1, 2, 5
ENTRY = 128  # bytes per directory entry
RED, BLACK = 0, 1

Tree = Mapping[str, "bytes | Tree"]


class CompoundFileError(ValueError):
    """The tree cannot be stored in a compound file."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    color: int = BLACK
    start: int = END_OF_CHAIN


def write_compound(tree: Tree) -> bytes:
    """A compound file holding ``tree``: names map to bytes (streams) or to nested trees."""
    root = _Entry("Root Entry", ROOT, children=_entries(tree))
    entries = _flatten(root)
    small = [e for e in entries if e.kind == STREAM and len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == STREAM and len(e.data) >= MINI_CUTOFF]

    mini_stream, mini_fat = bytearray(), []
    for entry in small:
        if not entry.data:
            continue  # an empty stream owns no sector
        entry.start = len(mini_stream) // MINI_SECTOR
        count = _sectors(len(entry.data), MINI_SECTOR)
        mini_fat += _chain(entry.start, count)
        mini_stream += _pad(entry.data, MINI_SECTOR)
    root.data = bytes(mini_stream)

    directory_size = _sectors(len(entries) * ENTRY, SECTOR) * SECTOR
    mini_fat_bytes = _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), SECTOR, b"\xff")
    blocks = [bytes(directory_size), mini_fat_bytes if mini_fat else b"", bytes(root.data)]
    blocks += [entry.data for entry in large]
    used = sum(_sectors(len(b), SECTOR) for b in blocks)
    fat_count = 1
    while fat_count * SECTOR // 4 < fat_count + used:
        fat_count += 1
    if fat_count > MAX_FAT_SECTORS:
        raise CompoundFileError("the streams are too large for a compound file without DIFAT")

    fat = [FAT_SECTOR] * fat_count
    starts = []
    for block in blocks:
        count = _sectors(len(block), SECTOR)
        starts.append(len(fat) if count else END_OF_CHAIN)
        fat += _chain(len(fat), count)
    directory_start, mini_fat_start, mini_stream_start = starts[:3]
    for entry, start in zip(large, starts[3:], strict=True):
        entry.start = start
    root.start = mini_stream_start
    unused = _directory_entry(_Entry("", UNUSED, color=RED, start=0))
    directory = b"".join(_directory_entry(e) for e in entries)
    blocks[0] = directory + unused * ((directory_size - len(directory)) // ENTRY)

    fat += [FREE] * (fat_count * SECTOR // 4 - len(fat))
    header = _header(
        fat_sectors=list(range(fat_count)),
        directory_start=directory_start,
        mini_fat_start=mini_fat_start,
        mini_fat_count=_sectors(len(blocks[1]), SECTOR),
    )
    body = struct.pack(f"<{len(fat)}I", *fat)
    body += b"".join(_pad(block, SECTOR) for block in blocks)
    return header + body


def _entries(tree: Tree) -> list[_Entry]:
    entries = []
    seen = set()
    for name, value in tree.items():
        if not 0 < len(name) <= 31 or any(c in name for c in "/\\:!"):
            raise CompoundFileError(f"{name!r} is not a valid compound-file name")
        if name.upper() in seen:  # names are compared case-insensitively
            raise CompoundFileError(f"{name!r} appears twice in one storage")
        seen.add(name.upper())
        if isinstance(value, bytes | bytearray):
            entries.append(_Entry(name, STREAM, bytes(value)))
        else:
            entries.append(_Entry(name, STORAGE, children=_entries(value)))
    return entries


def _flatten(root: _Entry) -> list[_Entry]:
    """Number the entries depth first and link each storage's children as a red-black tree."""
    order = [root]
    pending = [root]
    while pending:
        entry = pending.pop(0)
        for child in sorted(entry.children, key=_sort_key):
            child.index = len(order)
            order.append(child)
            pending.append(child)
    for entry in order:
        if entry.children:
            entry.child = _link(sorted(entry.children, key=_sort_key), depth=0, red_depth=None)
    return order


def _sort_key(entry: _Entry) -> tuple[int, str]:
    # MS-CFB 2.6.4: shorter names first, then by upper-cased code points.
    return (len(entry.name), entry.name.upper())


def _link(siblings: list[_Entry], depth: int, red_depth: int | None) -> int:
    """Link sorted siblings as a balanced tree; returns the index of its root.

    Splitting at the middle puts every empty leaf at depth d or d + 1, so the
    tree is a valid red-black tree when the nodes of the partial last level are red.
    """
    if not siblings:
        return NO_STREAM
    if red_depth is None:
        red_depth = (len(siblings) + 1).bit_length() - 1  # d = floor(log2(n + 1))
    middle = len(siblings) // 2
    node = siblings[middle]
    node.color = RED if depth == red_depth else BLACK
    node.left = _link(siblings[:middle], depth + 1, red_depth)
    node.right = _link(siblings[middle + 1 :], depth + 1, red_depth)
    return node.index


def _directory_entry(entry: _Entry) -> bytes:
    name = (entry.name + "\0").encode("utf-16-le") if entry.kind != UNUSED else b""
    size = len(entry.data) if entry.kind != STORAGE else 0
    start = entry.start if entry.kind != STORAGE else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        bytes(16),  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modification time
        start,
        size,
    )


def _header(
    fat_sectors: list[int], directory_start: int, mini_fat_start: int, mini_fat_count: int
) -> bytes:
    difat = fat_sectors + [FREE] * (MAX_FAT_SECTORS - len(fat_sectors))
    return (
        SIGNATURE
        + bytes(16)  # CLSID
        + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII",
            0,  # directory sectors (always 0 in version 3)
            len(fat_sectors),
            directory_start,
            0,  # transaction signature
            MINI_CUTOFF,
            mini_fat_start if mini_fat_count else END_OF_CHAIN,
            mini_fat_count,
            END_OF_CHAIN,  # first DIFAT sector: none
            0,  # DIFAT sectors
        )
        + struct.pack(f"<{MAX_FAT_SECTORS}I", *difat)
    )


def _chain(start: int, count: int) -> list[int]:
    """The allocation-table entries of ``count`` consecutive sectors from ``start``."""
    return [start + i + 1 for i in range(count - 1)] + [END_OF_CHAIN] if count else []


def _sectors(size: int, sector: int) -> int:
    return -(-size // sector)


def _pad(data: bytes, sector: int, fill: bytes = b"\0") -> bytes:
    return data + fill * (-len(data) % sector)
