"""MS-OVBA compression: the spec's examples, chunk edges, and round trips of any bytes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.excel.ovba import CHUNK, OvbaError, compress, decompress

# [MS-OVBA] 3.2, the worked examples. The spec's own output for the first one
# differs in three copy tokens from what its documented procedure produces (it
# picks a farther candidate of the same length; both decode to the same bytes),
# so the first is checked for decoding and size; the others byte for byte.
NORMAL = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
NORMAL_PACKED = (
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C "
    "00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)
EXACT = [
    (
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
    ),
    # A run: one literal and one copy token of length 72.
    (b"a" * 73, "01 03 B0 02 61 45 00"),
    # A full chunk of one byte: one literal and the longest token (4095).
    (b"a" * CHUNK, "01 03 B0 02 61 FC 0F"),
]


def test_spec_normal_example():
    assert decompress(bytes.fromhex(NORMAL_PACKED)) == NORMAL
    packed = compress(NORMAL)
    assert decompress(packed) == NORMAL
    assert len(packed) == len(bytes.fromhex(NORMAL_PACKED))


@pytest.mark.parametrize(("plain", "packed"), EXACT)
def test_exact_encodings(plain, packed):
    assert compress(plain) == bytes.fromhex(packed)
    assert decompress(bytes.fromhex(packed)) == plain


def _vba_like(size: int, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    words = ["Sub", "End", "Dim", "As", "String", "RunPython", "sheetkit", "excel", "If", "Then"]
    text = []
    while sum(map(len, text)) < size:
        text.append(rng.choice(words) + rng.choice([" ", "\r\n", "(", ")", ". "]))
    return "".join(text).encode("ascii")[:size]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4095, 4096, 4097, 8191, 8192, 8193, 20000])
def test_round_trip_at_chunk_edges(size):
    for data in (_vba_like(size), bytes(random.Random(size).randrange(256) for _ in range(size))):
        packed = compress(data)
        unpacked = decompress(packed)
        chunks = -(-len(data) // CHUNK)
        assert len(packed) <= 1 + chunks * (CHUNK + 2)  # never worse than raw chunks
        # A raw (incompressible) final chunk is padded to 4096 bytes, as the spec says.
        assert unpacked[: len(data)] == data
        assert set(unpacked[len(data) :]) <= {0}


def test_long_runs_round_trip_across_chunks():
    data = b"a" * 10_000 + b"b" * 5000
    packed = compress(data)
    assert decompress(packed) == data
    # Tokens get shorter further into a chunk (more offset bits): still small.
    assert len(packed) < 400


def test_text_compresses_well():
    text = _vba_like(50_000, seed=3)
    assert len(compress(text)) < len(text) / 2


@given(st.binary(max_size=9000))
@settings(max_examples=60, deadline=None)
def test_any_bytes_round_trip(data):
    unpacked = decompress(compress(data))
    assert unpacked[: len(data)] == data
    assert set(unpacked[len(data) :]) <= {0}


@given(st.lists(st.sampled_from([b"Sub ", b"End Sub\r\n", b"x", b"\x00", b"aaaa"]), max_size=3000))
@settings(max_examples=40, deadline=None)
def test_repetitive_bytes_round_trip_exactly(parts):
    data = b"".join(parts)
    assert decompress(compress(data)) == data


@pytest.mark.parametrize(
    "bad", [b"", b"\x02\x00\x00", b"\x01\x00", b"\x01\xff\x0f", b"\x01\x03\xb0\x01\x01\x00"]
)
def test_damaged_containers_are_refused(bad):
    with pytest.raises(OvbaError):
        decompress(bad)


@pytest.mark.parametrize("size", [100, 4095, 4096, 4097, 30_000])
def test_an_independent_decoder_reads_our_output(size):
    """oletools (olevba), which reads VBA projects for security analysts, decodes what we write."""
    from oletools.olevba import decompress_stream

    data = _vba_like(size, seed=size)
    assert decompress_stream(bytearray(compress(data))) == data
