"""TCVN3 and VNI text converted to Unicode: full tables, real spellings, round trips."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sheetkit.reading.text import (
    TCVN3_FROM_UNICODE,
    TCVN3_TO_UNICODE,
    VNI_FROM_UNICODE,
    VNI_TO_UNICODE,
    legacy_encoding,
    to_legacy,
    to_unicode,
)

# The alphabet from first principles: each vowel bare or with one of five tones
# (grave, hook, tilde, acute, dot below), and đ.
BASES = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b"]
BASES.append("y")
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
LOWER = sorted(
    ({unicodedata.normalize("NFC", b + t) for b in BASES for t in TONE_MARKS} | {"đ"})
    - set(string.ascii_lowercase)
)
UPPER = [letter.upper() for letter in LOWER]
TONED_UPPER = [u for u in UPPER if u not in "ĂÂÊÔƠƯĐ"]


def test_the_alphabet_is_complete():
    assert len(LOWER) == len(UPPER) == 67
    assert set(VNI_FROM_UNICODE) == set(LOWER) | set(UPPER)
    # TCVN3 has every lower-case letter and the seven bare capitals, one byte each.
    assert set(TCVN3_FROM_UNICODE) == set(LOWER) | set("ĂÂÊÔƠƯĐ")
    assert all(len(code) == 1 and 0xA1 <= ord(code) <= 0xFE for code in TCVN3_TO_UNICODE)
    assert len(TCVN3_TO_UNICODE) == len(TCVN3_FROM_UNICODE)  # no two letters share a byte
    assert len(set(VNI_FROM_UNICODE.values())) == len(VNI_FROM_UNICODE)


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Tr\xadêng", "Trường"),
        ("§¹i häc", "Đại học"),
        ("Ninh B×nh", "Ninh Bình"),
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("M\xadêng Kh\xad¬ng", "Mường Khương"),
        ("Bæ sung 300 ®Çu s¸ch", "Bổ sung 300 đầu sách"),
        ("KÕ HO¹CH C¶I TIÕN CHÊT L¦îNG", "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG"),  # .VnTimeH
    ],
)
def test_tcvn3_spellings(legacy, unicode):
    assert legacy_encoding(legacy) in ("TCVN3", None)
    assert to_unicode(legacy, "TCVN3") == unicode


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("Tieáng Vieät", "Tiếng Việt"),
        ("Tröôøng Tieåu hoïc Kim Ñoàng", "Trường Tiểu học Kim Đồng"),
        ("lòch söû, kinh teá, thôøi gian", "lịch sử, kinh tế, thời gian"),
        ("Ñaït Möùc 2, naêm hoïc 2024-2025", "Đạt Mức 2, năm học 2024-2025"),
        ("KEÁ HOAÏCH CAÛI TIEÁN CHAÁT LÖÔÏNG", "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG"),
        ("Aán Ñoä", "Ấn Độ"),  # a capital with a lower-case mark
    ],
)
def test_vni_spellings(legacy, unicode):
    assert legacy_encoding(legacy) == "VNI"
    assert to_unicode(legacy, "VNI") == unicode


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_vni_round_trip_of_every_letter(letter):
    legacy = to_legacy(letter, "VNI")
    assert all(ord(ch) < 0x100 for ch in legacy)  # ì and í are spelt as in Unicode
    assert to_unicode(legacy, "VNI") == letter
    assert to_unicode("x" + legacy + "n", "VNI") == "x" + letter + "n"


@pytest.mark.parametrize("letter", LOWER + ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"])
def test_tcvn3_round_trip_of_every_letter(letter):
    legacy = to_legacy(letter, "TCVN3")
    assert len(legacy) == 1 and 0xA1 <= ord(legacy) <= 0xFE
    assert to_unicode(legacy, "TCVN3") == letter
    assert to_unicode("x" + legacy + "n", "TCVN3") == "x" + letter + "n"


@pytest.mark.parametrize("letter", TONED_UPPER)
def test_tcvn3_toned_capitals_in_upper_case_text(letter):
    """TCVN3 has no toned capitals: an upper-case font shows the lower-case byte."""
    assert to_legacy(letter, "TCVN3") == to_legacy(letter.lower(), "TCVN3")
    assert to_unicode(to_legacy("TR" + letter + "NG", "TCVN3"), "TCVN3") == "TR" + letter + "NG"


def test_every_legacy_spelling_round_trips():
    for code in TCVN3_TO_UNICODE:
        assert to_legacy(to_unicode(code, "TCVN3"), "TCVN3") == code
    for spelling, letter in VNI_TO_UNICODE.items():
        assert to_unicode(spelling, "VNI") == letter
        if spelling == VNI_FROM_UNICODE[letter]:
            assert to_legacy(letter, "VNI") == spelling


def test_unicode_text_is_never_changed_by_mistake():
    """Converted text is not flagged again, and Unicode Vietnamese is never detected."""
    for text in ("Trường Tiểu học Kim Đồng", "Bổ sung 300 đầu sách", "Café crème brûlée"):
        assert legacy_encoding(text) is None
    for encoding in ("TCVN3", "VNI"):
        legacy = to_legacy("Kế hoạch cải tiến chất lượng giáo dục", encoding)
        assert legacy_encoding(legacy) == encoding
        assert legacy_encoding(to_unicode(legacy, encoding)) is None


OTHER = string.ascii_letters + string.digits + " .,;:-/()%\n"
vietnamese_text = st.text(st.sampled_from(LOWER + UPPER + list(OTHER)), max_size=60)


@given(vietnamese_text)
def test_vni_round_trip(text):
    assert to_unicode(to_legacy(text, "VNI"), "VNI") == text


@given(st.text(st.sampled_from(LOWER + list("ĂÂÊÔƠƯĐ") + list(OTHER)), max_size=60))
def test_tcvn3_round_trip(text):
    ascii_letters = [ch for ch in text if ch in string.ascii_letters]
    assume(len(ascii_letters) < 2 or any(ch.islower() for ch in ascii_letters))
    assert to_unicode(to_legacy(text, "TCVN3"), "TCVN3") == text


@given(st.text(st.sampled_from(UPPER + list(string.ascii_uppercase + " 0123456789-")), max_size=40))
def test_tcvn3_round_trip_of_upper_case_text(text):
    assume(sum(ch in string.ascii_uppercase for ch in text) >= 2)
    assert to_unicode(to_legacy(text, "TCVN3"), "TCVN3") == text
