"""Administrative units as documents name them: the managing body and the place line.

Since 01/7/2025 local government has two levels (tỉnh; xã, phường, đặc khu):
mầm non, tiểu học and THCS schools belong to the UBND of their xã/phường,
THPT schools and GDTX centres to the province's Sở GDĐT. Before that, 2018
plans named a district (quận/huyện) and its Phòng GDĐT.

Nghị định 30/2020/NĐ-CP writes the place in the date line with the unit's own
name ("Bình Thạnh, ngày …"), in full only when that name is a number or a
person's name ("Quận 10", "Phường Nguyễn Trãi"); in Nơi nhận the
administrative word is in lower case ("UBND xã Yên Thành").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..reading.text import clean, fold

# The day the district level (UBND huyện, Phòng GDĐT) ended: a document dated from then on
# names a xã/phường/đặc khu or the province's Sở as the managing body, never a Phòng or quận.
REFORM_DATE = dt.date(2025, 7, 1)
_DISTRICT_WORD = re.compile(r"\b(?:quận|huyện)\b")
_DISTRICT_OFFICE = ("phong gd", "phong giao duc")

# Administrative words, longest first, as folded prefixes -> their lower-case form.
ADMIN_WORDS = (
    ("thanh pho", "thành phố"),
    ("dac khu", "đặc khu"),
    ("thi tran", "thị trấn"),
    ("thi xa", "thị xã"),
    ("phuong", "phường"),
    ("quan", "quận"),
    ("huyen", "huyện"),
    ("tinh", "tỉnh"),
    ("xa", "xã"),
    ("tp", "thành phố"),  # "TP. Hồ Chí Minh"
)
COMMUNE_WORDS = ("phường", "xã", "đặc khu", "thị trấn")
# Bodies whose full name has its own capitals (typed in capitals on a letterhead).
BODY_NAMES = (
    ("uy ban nhan dan", "Ủy ban nhân dân"),
    ("ubnd", "UBND"),
    ("so giao duc va dao tao", "Sở Giáo dục và Đào tạo"),
    ("so gd&dt", "Sở GD&ĐT"),
    ("so gddt", "Sở GDĐT"),
    ("phong giao duc va dao tao", "Phòng Giáo dục và Đào tạo"),
    ("phong gd&dt", "Phòng GD&ĐT"),
    ("phong gddt", "Phòng GDĐT"),
)
# People whose names units bear (Nghị định 30 keeps "Phường Nguyễn Trãi" in full).
PERSON_NAMES = {
    fold(name)
    for name in (
        "Hồ Chí Minh",
        "Nguyễn Trãi",
        "Nguyễn Du",
        "Nguyễn Thái Bình",
        "Nguyễn Cư Trinh",
        "Nguyễn Văn Cừ",
        "Lê Lợi",
        "Lê Hồng Phong",
        "Lê Quý Đôn",
        "Lý Thường Kiệt",
        "Lý Tự Trọng",
        "Trần Hưng Đạo",
        "Trần Phú",
        "Trần Quốc Toản",
        "Quang Trung",
        "Hai Bà Trưng",
        "Hoàng Văn Thụ",
        "Võ Thị Sáu",
        "Phan Chu Trinh",
        "Phan Bội Châu",
        "Hùng Vương",
        "Ngô Quyền",
        "Đinh Tiên Hoàng",
        "Chu Văn An",
        "Bà Triệu",
        "Tô Hiến Thành",
        "Hàm Nghi",
        "Minh Khai",
    )
}


def split_unit(name: str) -> tuple[str, str]:
    """("phường", "Bến Thành") of "Phường Bến Thành"; ("", "Tân Hiệp") without a word.

    The word is matched with its diacritics ("Xa La" is a name, "Xã La" a
    commune); long words also when typed without them ("Phuong 5").
    """
    text = " ".join(name.split())
    lowered, folded = text.casefold(), fold(text)
    for prefix, word in ADMIN_WORDS:
        short = prefix if len(prefix) >= 4 or prefix == "tp" else None
        for typed, key in ((lowered, word), (folded, short)):
            if key and (typed.startswith(key + " ") or typed.startswith(key + ".")):
                return word, text[len(key) :].lstrip(" .")
    return "", text


def keeps_full_name(proper: str) -> bool:
    """A unit named by a number or after a person keeps its administrative word."""
    return any(ch.isdigit() for ch in proper) or fold(proper) in PERSON_NAMES


def place_name(unit: str) -> str:
    """The place of the date line (Nghị định 30): "Quận Bình Thạnh" -> "Bình Thạnh"."""
    word, proper = split_unit(unit)
    if not word or not proper:
        return unit.strip()
    return f"{word.capitalize()} {proper}" if keeps_full_name(proper) else proper


def is_commune(unit: str) -> bool:
    return split_unit(unit)[0] in COMMUNE_WORDS


def province_core(province: str) -> str:
    """ "Tỉnh An Giang" -> "An Giang"; a city named after a person keeps its word.

    "Thành phố Hồ Chí Minh" stays whole: "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh".
    """
    word, proper = split_unit(province)
    if word not in ("tỉnh", "thành phố") or not proper:
        return province.strip()
    return f"{word.capitalize()} {proper}" if keeps_full_name(proper) else proper


@dataclass(frozen=True)
class Body:
    """A managing body: ``name`` for the letterhead (in capitals there), ``short`` for Nơi nhận."""

    name: str
    short: str


# School levels managed by the province's Sở GDĐT since 01/7/2025.
PROVINCE_LEVELS = ("THPT", "GDTX")


def managing_body(
    school_level: str | None,
    province: str | None,
    commune: str | None = None,
    district: str | None = None,
    *,
    reformed: bool = False,
) -> Body | None:
    """The body a school reports to, from its level and units (None when they do not tell).

    THPT and GDTX: the province's Sở GDĐT. Others: the UBND of their xã/phường
    (2025 reform); a 2018 plan that gives only a quận/huyện: its Phòng GDĐT,
    or the UBND when the "district" cell names a phường/xã. ``reformed``: the
    document is dated from 01/7/2025, when the Phòng GDĐT no longer exists.
    """
    if school_level in PROVINCE_LEVELS and province:
        core = province_core(province)
        return Body(f"Sở Giáo dục và Đào tạo {core}", f"Sở GDĐT {core}")
    for unit in (commune, district):
        if unit and is_commune(unit):
            return Body(f"UBND {unit}", f"UBND {lower_word(unit)}")
    if district and not reformed:
        return Body(f"Phòng Giáo dục và Đào tạo {district}", f"Phòng GDĐT {lower_word(district)}")
    return None


def names_district_body(body: str) -> bool:
    """A typed managing body of the district level: a Phòng GDĐT, a quận or huyện (UBND huyện)."""
    folded = fold(body)
    return any(key in folded for key in _DISTRICT_OFFICE) or bool(
        _DISTRICT_WORD.search(clean(body).casefold())
    )


def lower_word(unit: str) -> str:
    """ "Phường Bến Thành" -> "phường Bến Thành", as Nơi nhận writes a unit."""
    word, proper = split_unit(unit)
    return f"{word} {proper}" if word and proper else unit.strip()


def recipient_case(body: str) -> str:
    """A body as Nơi nhận writes it: "UBND XÃ YÊN THÀNH" -> "UBND xã Yên Thành".

    Text already in mixed case is kept as the school typed it, apart from the
    administrative word before a unit's name.
    """
    text = " ".join(body.split())
    folded = fold(text)
    head = ""
    for key, shown in BODY_NAMES:
        if folded.startswith(key + " "):
            head, text = shown, text[len(key) :].strip()
            break
    if body.isupper():
        word, proper = split_unit(text)
        proper = " ".join(part if part.isdigit() else part.capitalize() for part in proper.split())
        text = f"{word} {proper}".strip() if word else proper
    else:
        text = lower_word(text)
    return f"{head} {text}".strip()
