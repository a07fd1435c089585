"""MS-OVBA 2.4.1 compression: how a VBA project stores its source text.

The vbaProject.bin inside a macro-enabled workbook keeps every module's code,
the ``dir`` stream and the PROJECT information compressed with this LZ77
variant. The published implementation we measured (ms-ovba-compression 1.0.1)
does not round-trip some inputs, so the templates build their project with
this one, which is tested at the chunk edges.

A compressed container is a signature byte 0x01 followed by chunks; each chunk
holds up to 4096 bytes of the original and starts with a 2-byte header (size,
signature 0b011, compressed flag). Inside a compressed chunk, a flag byte
announces up to 8 tokens: a literal byte, or a 2-byte copy token (offset,
length) into the chunk decoded so far, whose bit split depends on how far into
the chunk it is.
"""

from __future__ import annotations

CHUNK = 4096
SIGNATURE = 0x01
MIN_MATCH = 3
MAX_CANDIDATES = 64  # positions tried per match: enough for source text, bounded time


class OvbaError(ValueError):
    """The bytes are not a valid MS-OVBA compressed container."""


def _bit_count(difference: int) -> int:
    """Bits of a copy token used for the offset, ``difference`` bytes into the chunk."""
    return max(4, (difference - 1).bit_length())


def _max_length(difference: int) -> int:
    return (0xFFFF >> _bit_count(difference)) + MIN_MATCH


def compress(data: bytes) -> bytes:
    """``data`` as an MS-OVBA CompressedContainer."""
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start : start + CHUNK])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions where it starts
    position, end = 0, len(chunk)
    while position < end:
        flag_index = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if position >= end:
                break
            offset, length = _longest_match(chunk, position, heads)
            if length >= MIN_MATCH:
                bits = _bit_count(position)
                token = ((offset - 1) << (16 - bits)) | (length - MIN_MATCH)
                body += token.to_bytes(2, "little")
                flags |= 1 << bit
                step = length
            else:
                body.append(chunk[position])
                step = 1
            for p in range(position, position + step):
                if p + MIN_MATCH <= end:
                    heads.setdefault(bytes(chunk[p : p + MIN_MATCH]), []).append(p)
            position += step
        body[flag_index] = flags
    if len(body) > CHUNK:
        # Incompressible: a raw chunk holds exactly 4096 bytes (the spec pads with zeros).
        raw = bytes(chunk) + bytes(CHUNK - len(chunk))
        return (0x3000 | (CHUNK - 1)).to_bytes(2, "little") + raw
    header = 0x8000 | 0x3000 | (len(body) + 2 - 3)
    return header.to_bytes(2, "little") + bytes(body)


def _longest_match(chunk: bytes, position: int, heads: dict[bytes, list[int]]) -> tuple[int, int]:
    """(offset, length) of the longest earlier match of the bytes at ``position``."""
    end = len(chunk)
    if position + MIN_MATCH > end:
        return 0, 0
    candidates = heads.get(bytes(chunk[position : position + MIN_MATCH]))
    if not candidates:
        return 0, 0
    limit = min(_max_length(position), end - position)
    best_offset, best_length = 0, 0
    for start in reversed(candidates[-MAX_CANDIDATES:]):
        length = MIN_MATCH
        # Overlapping matches are allowed: the decoder copies byte by byte.
        while length < limit and chunk[start + length] == chunk[position + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = position - start, length
            if length == limit:
                break
    return best_offset, best_length


def decompress(data: bytes) -> bytes:
    """The original bytes of an MS-OVBA CompressedContainer."""
    if not data or data[0] != SIGNATURE:
        raise OvbaError("missing the 0x01 signature byte")
    out = bytearray()
    position = 1
    while position < len(data):
        if position + 2 > len(data):
            raise OvbaError(f"truncated chunk header at byte {position}")
        header = int.from_bytes(data[position : position + 2], "little")
        if (header >> 12) & 0b111 != 0b011:
            raise OvbaError(f"bad chunk signature at byte {position}")
        size = (header & 0x0FFF) + 3
        chunk_end = min(position + size, len(data))
        position += 2
        if not header & 0x8000:  # raw chunk
            if size != CHUNK + 2:
                raise OvbaError(f"raw chunk of {size - 2} bytes at byte {position - 2}")
            out += data[position : position + CHUNK]
            position += CHUNK
            continue
        start = len(out)
        while position < chunk_end:
            flags = data[position]
            position += 1
            for bit in range(8):
                if position >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(data[position])
                    position += 1
                    continue
                if position + 2 > chunk_end:
                    raise OvbaError(f"truncated copy token at byte {position}")
                token = int.from_bytes(data[position : position + 2], "little")
                position += 2
                bits = _bit_count(len(out) - start)
                offset = (token >> (16 - bits)) + 1
                length = (token & (0xFFFF >> bits)) + MIN_MATCH
                source = len(out) - offset
                if source < start:
                    raise OvbaError(f"copy token reaches before its chunk at byte {position - 2}")
                for k in range(length):
                    out.append(out[source + k])
    return bytes(out)
