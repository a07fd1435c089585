"""Text helpers: Unicode normalisation, label matching, legacy-encoding detection.

Workbooks come from Windows (NFC), macOS (often NFD) and from people who type
labels with odd spacing or capitals; every comparison of user text goes
through these functions so that the rules agree on what "the same" means.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC-normalise and trim, keeping the user's own spelling otherwise."""
    return unicodedata.normalize("NFC", text).strip()


_UNTIDY_SPACE = re.compile(r"\s\s|[^\S ]|^ | $")


def clean(value: object) -> str:
    """A cell value as display text: NFC, single spaces, no surrounding blanks."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else str(value)
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
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def folded_key(text: object) -> str:
    """`label_key` without diacritics: a fallback match for typed labels."""
    return fold(label_key(text))


# Characters that TCVN3 (ABC, .VnTime fonts) uses for Vietnamese letters and
# that never occur in Unicode Vietnamese text.
_TCVN3_MARKERS = set("¸µ¶·¹¨©ª«¬\xad®¡¢£¤¥¦§»¼½¾ÆÇËÎÏ×ØÜÞßäåæçëîïñöøûüþ")
# Of those, the ones VNI never produces.
_TCVN3_ONLY = set("¸µ¶·¹¨©ª«¬\xad®¡¢£¤¥¦§»¼½¾")
# VNI (VNI-Times fonts) writes a base letter followed by one of these.
_VNI_MARKS = set("øùûõïâêôöäåëüñÑÖØÄÅËÜÏÛ")
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øûõïäåëüö]|[aeoAEO][âêô][ùøûõï]?|ñ|Ñ")
_UNICODE_VIETNAMESE = re.compile("[\u1ea0-\u1ef9ăĂđĐơƠưƯ]")


def legacy_encoding(text: str) -> str | None:
    """Name the legacy Vietnamese encoding a text seems typed in, or None.

    Text typed with a TCVN3 or VNI keyboard/font and pasted into a Unicode
    workbook shows as gibberish to everybody else ("Tr­êng" for "Trường").
    We only flag text with several marker characters and no real Vietnamese
    letters, so ordinary Unicode (and English, French) text never matches.
    """
    if not text or len(text) < 3 or _UNICODE_VIETNAMESE.search(text):
        return None
    tcvn = sum(1 for ch in text if ch in _TCVN3_MARKERS)
    tcvn_only = sum(1 for ch in text if ch in _TCVN3_ONLY)
    vni = len(_VNI_PAIR.findall(text))
    if tcvn >= 2 and (tcvn_only or vni < 2):
        return "TCVN3"
    if vni >= 2:
        return "VNI"
    return None
