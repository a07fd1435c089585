"""Text helpers: Unicode normalisation, label matching, legacy-encoding detection.

Workbooks come from Windows (NFC), macOS (often NFD) and from people who type
labels with odd spacing or capitals; every comparison of user text goes
through these functions so that the rules agree on what "the same" means.
"""

from __future__ import annotations

import os
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC-normalise and trim, keeping the user's own spelling otherwise."""
    return unicodedata.normalize("NFC", text).strip()


_UNTIDY_SPACE = re.compile(r"\s\s|[^\S ]|^ | $")

# Characters no output can carry: C0 controls but tab, line feed and carriage
# return; DEL and the C1 block; the two non-characters and the lone surrogates
# XML refuses. Text pasted from Word or a PDF brings them (Word's cell marks,
# page breaks); a terminal runs the escape sequences among them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Word's line break (Shift+Enter) and page break stay line breaks.
_CONTROL_LINES = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def has_controls(text: str) -> bool:
    """True when ``text`` holds a character that ``strip_controls`` replaces."""
    # Printable text (most cells) holds none of them; str.isprintable is one fast C pass.
    return not text.isprintable() and _CONTROL.search(text) is not None


def strip_controls(text: str) -> str:
    """``text`` without control characters (vertical tab and form feed become line breaks)."""
    if not has_controls(text):
        return text
    return _CONTROL.sub("", text.translate(_CONTROL_LINES))


def show_controls(text: str) -> str:
    """``text`` with every control character written out (``\\x1b``), for a terminal or a cell."""
    if not has_controls(text):
        return text
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else f"\\u{ord(m[0]):04x}", text
    )


def shown_path(name: object) -> str:
    """A file name as people can read it: bytes that are not UTF-8 (a name written by an
    old Windows program) read as Windows-1252, control characters written out."""
    text = os.fspath(name) if isinstance(name, os.PathLike) else str(name)
    if re.search("[\udc80-\udcff]", text):
        raw = text.encode("utf-8", "surrogateescape")
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    return show_controls(text)


def clean(value: object) -> str:
    """A cell value as display text: NFC, single spaces, no surrounding blanks, no controls."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # beyond Excel's 15 digits "1e+308" reads better than 309 digits
    text = value if isinstance(value, str) else str(value)
    text = strip_controls(text)
    # Most cells are already tidy NFC text; checking is cheaper than rebuilding them.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _UNTIDY_SPACE.search(text):
        text = _SPACES.sub(" ", text).strip()
    return text


def clean_lines(value: object) -> str:
    """Like ``clean`` but keeps the line breaks people type inside a cell (Alt+Enter).

    A solution written as "+ first step" / "+ second step" must print as a list,
    not one run-on line. Blank lines are kept once, spaces within a line folded.
    """
    if isinstance(value, str):
        value = strip_controls(value)
    if not isinstance(value, str) or "\n" not in value and "\r" not in value:
        return clean(value)
    lines = [clean(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def label_key(text: object) -> str:
    """Key for matching sheet names and headers: NFC, casefolded, spaces folded.

    Trailing colons and required-field stars ("Tên trường (*):") are dropped
    because people add them to labels.
    """
    key = clean(text).casefold()
    key = re.sub(r"\(\s*\*\s*\)|\*", "", key)
    key = key.strip(" :.")
    return _SPACES.sub(" ", key)


def fold(text: object) -> str:
    """Casefolded text without diacritics ("Tuỳ" and "Tùy" both give "tuy").

    Used for matching phrases where people place tone marks differently or
    leave them out; never for display.
    """
    decomposed = unicodedata.normalize("NFD", clean(text).casefold())
    # Vietnamese marks decompose into U+0300-U+036F: one pass removes them all.
    stripped = _COMBINING_MARKS.sub("", decomposed).replace("đ", "d")
    if not stripped.isascii():  # other scripts' combining marks, one by one
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return stripped


# U+034F (combining grapheme joiner) is in the block but is no mark: it has class 0.
_COMBINING_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def folded_key(text: object) -> str:
    """`label_key` without diacritics: a fallback match for typed labels."""
    return fold(label_key(text))


# ----------------------------------------------------------------- legacy encodings -> Unicode
#
# Both tables are built from the alphabet: twelve vowels, each bare or with one
# of five tones, and đ; capitals too. Legacy text sits in a workbook as the
# Latin-1 characters of its bytes (Excel read the font's bytes as Windows-1252).

TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền, hỏi, ngã, sắc, nặng
VOWELS = "aăâeêioôơuưy"


def _toned(vowel: str, tone: int) -> str:
    return unicodedata.normalize("NFC", vowel + TONES[tone])


# TCVN3 (TCVN 5712:1993 VN3, the ABC keyboard and .VnTime fonts): one byte per
# lower-case letter. Per vowel, its five toned forms in the order of TONES.
_TCVN3_TONED = {
    "a": "µ¶·¸¹",
    "ă": "»¼½¾Æ",
    "â": "ÇÈÉÊË",
    "e": "ÌÎÏÐÑ",
    "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ",
    "o": "ßáâãä",
    "ô": "åæçèé",
    "ơ": "êëìíî",
    "u": "ïñòóô",
    "ư": "õö÷øù",
    "y": "úûüýþ",
}
# Bare letters; of the capitals only these seven exist: a toned capital is the
# lower-case byte shown by an upper-case font (.VnTimeH).
_TCVN3_BARE = dict(zip("ăâêôơưđĂÂÊÔƠƯĐ", "¨©ª«¬\xad®¡¢£¤¥¦§", strict=True))

TCVN3_FROM_UNICODE: dict[str, str] = dict(_TCVN3_BARE)
for _vowel, _codes in _TCVN3_TONED.items():
    for _tone, _code in enumerate(_codes):
        TCVN3_FROM_UNICODE[_toned(_vowel, _tone)] = _code
TCVN3_TO_UNICODE = {code: letter for letter, code in TCVN3_FROM_UNICODE.items()}
_TCVN3_TO_CAPITALS = {code: letter.upper() for code, letter in TCVN3_TO_UNICODE.items()}

# VNI (VNI-Windows fonts): an ASCII letter followed by a mark character; the
# marks of a capital are the capitals of the marks ("aù" á, "AÙ" Á).
_VNI_TONE = "øûõùï"  # per tone, in the order of TONES
_VNI_HAT = {"\u0302": ("â", "àåãáä"), "\u0306": ("ê", "èúüéë")}  # circumflex, breve: bare, toned
_VNI_LETTER = {"ơ": "ô", "ư": "ö", "đ": "ñ"}  # one character each; ơ and ư take tone marks
_VNI_TONED_I, _VNI_Y_DOT = "ìæóíò", "î"  # i's toned forms and ỵ: one character each


def _vni_forms() -> dict[str, str]:
    """Every lower-case Vietnamese letter that is not ASCII -> its VNI spelling."""
    forms = dict(_VNI_LETTER)
    for vowel in VOWELS:
        base, *mark = unicodedata.normalize("NFD", vowel)
        hat = _VNI_HAT.get("".join(mark))
        if hat:
            forms[vowel] = base + hat[0]
        for tone in range(len(TONES)):
            if hat:
                spelling = base + hat[1][tone]
            elif vowel in _VNI_LETTER:
                spelling = _VNI_LETTER[vowel] + _VNI_TONE[tone]
            elif vowel == "i":
                spelling = _VNI_TONED_I[tone]
            elif vowel == "y" and TONES[tone] == "\u0323":
                spelling = _VNI_Y_DOT
            else:
                spelling = base + _VNI_TONE[tone]
            forms[_toned(vowel, tone)] = spelling
    return forms


VNI_FROM_UNICODE: dict[str, str] = {}
for _letter, _spelling in _vni_forms().items():
    VNI_FROM_UNICODE[_letter] = _spelling
    VNI_FROM_UNICODE[_letter.upper()] = _spelling.upper()
VNI_TO_UNICODE = {spelling: letter for letter, spelling in VNI_FROM_UNICODE.items()}
# A capital followed by a lower-case mark ("Aù") can only mean the capital letter too.
for _spelling, _letter in list(VNI_TO_UNICODE.items()):
    if len(_spelling) == 2 and _spelling[0].isupper():
        VNI_TO_UNICODE.setdefault(_spelling[0] + _spelling[1].lower(), _letter)


def _spelling_pattern(spellings) -> re.Pattern[str]:
    """One regex for the spellings, longest first, grouped by first character (fast to scan)."""
    follows: dict[str, set[str]] = {}
    for spelling in spellings:
        follows.setdefault(spelling[0], set()).add(spelling[1:])
    parts = []
    for first, rest in sorted(follows.items()):
        marks = "".join(sorted(r for r in rest if r))
        part = re.escape(first) + (f"[{re.escape(marks)}]" if marks else "")
        parts.append(part + "?" if marks and "" in rest else part)
    return re.compile("|".join(parts))


_VNI_SEQUENCE = _spelling_pattern(VNI_TO_UNICODE)
_ASCII_LETTER = re.compile("[A-Za-z]")


# Characters that TCVN3 uses for Vietnamese letters and that are rare in other
# Latin-1 text (é, è, à, ô... are left out: French and Spanish use them).
_TCVN3_MARKERS = set("¸µ¶·¹¨©ª«¬\xad®¡¢£¤¥¦§»¼½¾ÆÇËÎÏ×ØÜÞßäåæçëîïñöøûüþ")
_UNICODE_VIETNAMESE = re.compile("[\u1ea0-\u1ef9ăĂđĐơƠưƯ]")
_LATIN1_LETTER = re.compile("[\u00a1-\u00ff]")


def legacy_encoding(text: str) -> str | None:
    """Name the legacy Vietnamese encoding a text seems typed in, or None.

    Text typed with a TCVN3 or VNI keyboard/font and pasted into a Unicode
    workbook shows as gibberish to everybody else ("Tr\xadêng" for "Trường").
    We only flag text with several legacy letters and no real Vietnamese
    letters, so ordinary Unicode (and English, French) text never matches.
    VNI spells a letter as a vowel and a mark ("eá" for ế), and its marks are
    TCVN3 letters too: the text is VNI when such pairs outnumber the TCVN3
    letters that stand outside them.
    """
    if len(text) < 3 or text.isascii() or _UNICODE_VIETNAMESE.search(text):
        return None  # no Latin-1 letters at all, or real Vietnamese letters
    if not _LATIN1_LETTER.search(text):
        return None  # none of the Latin-1 letters both encodings use
    pairs = [m.span() for m in _VNI_SEQUENCE.finditer(text) if m.end() - m.start() == 2]
    paired = {i for start, end in pairs for i in range(start, end)}
    vni = len(pairs) + text.count("ñ") + text.count("Ñ")
    tcvn = sum(ch in _TCVN3_MARKERS for ch in text)
    tcvn_alone = sum(ch in _TCVN3_MARKERS for i, ch in enumerate(text) if i not in paired)
    if vni >= 2 and vni >= tcvn_alone:
        return "VNI"
    if tcvn >= 2:
        return "TCVN3"
    return None


def _all_capitals(text: str) -> bool:
    """Typed in an upper-case font: at least two ASCII letters and all of them capitals."""
    letters = _ASCII_LETTER.findall(text)
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def to_unicode(text: str, encoding: str) -> str:
    """Text typed in a legacy encoding ("TCVN3" or "VNI", see ``legacy_encoding``) as NFC Unicode.

    TCVN3 has no toned capitals (an upper-case font shows the lower-case
    bytes), so in a text whose ASCII letters are all capitals, every letter
    is made a capital ("KÕ HO¹CH" -> "KẾ HOẠCH").
    """
    if encoding == "TCVN3":
        letters = _TCVN3_TO_CAPITALS if _all_capitals(text) else TCVN3_TO_UNICODE
        return unicodedata.normalize("NFC", "".join(letters.get(ch, ch) for ch in text))
    if encoding == "VNI":
        converted = _VNI_SEQUENCE.sub(lambda m: VNI_TO_UNICODE[m.group()], text)
        return unicodedata.normalize("NFC", converted)
    raise ValueError(f"unknown legacy encoding: {encoding}")


def to_legacy(text: str, encoding: str) -> str:
    """Unicode text as a legacy font would store it (the inverse of ``to_unicode``; for tests).

    A toned capital in TCVN3 becomes its lower-case byte, as typed with an upper-case font.
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "TCVN3":
        table = TCVN3_FROM_UNICODE
        return "".join(table.get(ch) or table.get(ch.lower(), ch) for ch in text)
    if encoding == "VNI":
        return "".join(VNI_FROM_UNICODE.get(ch, ch) for ch in text)
    raise ValueError(f"unknown legacy encoding: {encoding}")
