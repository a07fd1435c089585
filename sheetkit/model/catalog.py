"""The accreditation circulars and their criteria, loaded from package data.

A circular (Thông tư) defines the standards and criteria for one or more school
levels. Each one is a CSV file in ``sheetkit/data/criteria/`` listed in
``sheetkit/data/circulars.csv``: when the Ministry issues a new circular, add a
file and a line there.

Circulars come in families that share a shape (``Family``): the 2018
circulars (Thông tư 17, 18, 19/2018: levels Không đạt to Mức 3, a free plan
table) and Thông tư 57/2026 (15 criteria, Mức 1 and Mức 2, compulsory
criteria, a school level by khoản 3 Điều 5, the Biểu 2 plan form). The family
says which levels exist, whether criteria can be compulsory, how the school's
own level is computed and which workbook layout its plans use.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..reading.parsing import Province
from ..reading.text import fold

FAMILY_2018 = "2018"
FAMILY_TT57 = "tt57"


@dataclass(frozen=True)
class Family:
    """The shape shared by the circulars of one generation."""

    id: str
    name: str  # how people cite the family
    levels: tuple[tuple[int, str], ...]  # (level, label) a criterion can have
    compulsory: bool  # some criteria are compulsory (bắt buộc)
    school_level_rule: str | None  # how the school's own level is computed (None: not at all)
    layout: str  # the workbook layout of its plans (model.contract)

    @property
    def level_names(self) -> dict[int, str]:
        return dict(self.levels)

    @property
    def highest(self) -> int:
        return max(level for level, _ in self.levels)

    def label(self, level: int | None) -> str:
        """ "Mức 2"; "Không đạt Mức 1" under TT57, "Không đạt" under 2018; "" for none."""
        return "" if level is None else self.level_names.get(int(level), str(level))


FAMILIES: dict[str, Family] = {
    FAMILY_2018: Family(
        FAMILY_2018,
        "Thông tư 17, 18, 19/2018/TT-BGDĐT",
        ((0, "Không đạt"), (1, "Mức 1"), (2, "Mức 2"), (3, "Mức 3")),
        compulsory=False,
        school_level_rule=None,
        layout=FAMILY_2018,
    ),
    FAMILY_TT57: Family(
        FAMILY_TT57,
        "Thông tư 57/2026/TT-BGDĐT",
        ((0, "Không đạt Mức 1"), (1, "Mức 1"), (2, "Mức 2")),
        compulsory=True,
        school_level_rule="khoản 3 Điều 5",
        layout=FAMILY_TT57,
    ),
}


@dataclass(frozen=True)
class Criterion:
    code: str  # "1.10": always text, never a number
    standard: int
    standard_name: str
    title: str
    max_level: int  # highest level the circular defines: 2 or 3
    unverified: str  # what still needs checking against the official text ("" if nothing)
    compulsory: bool = False  # TT57: a compulsory criterion (bắt buộc)
    other_titles: tuple[str, ...] = ()  # other wordings of the title accepted when typed
    other_standard_names: tuple[str, ...] = ()
    requirements: tuple[str, str] = ("", "")  # TT57: what Mức 1 and Mức 2 require
    evidence: str = ""  # TT57: suggested evidence
    indicators: tuple[str, ...] = ()  # TT57: quantitative indicators (chỉ số định lượng)

    @property
    def sort_key(self) -> tuple[int, int]:
        major, minor = self.code.split(".")
        return int(major), int(minor)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.other_titles)


@dataclass(frozen=True)
class Circular:
    id: str  # "tt17-2018"
    number: str  # "17/2018/TT-BGDĐT"
    template: str  # template name: "tieu-hoc"
    school_levels: tuple[str, ...]  # values of Cấp học it applies to
    description: str
    criteria: tuple[Criterion, ...] = field(repr=False)
    family_id: str = FAMILY_2018
    appendix: str = ""  # TT57: "I", "II", "III"
    by_code: dict[str, Criterion] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self.by_code.update((c.code, c) for c in self.criteria)

    @property
    def family(self) -> Family:
        return FAMILIES[self.family_id]

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.criteria]

    @property
    def compulsory_codes(self) -> list[str]:
        return [c.code for c in self.criteria if c.compulsory]

    def get(self, code: str) -> Criterion | None:
        return self.by_code.get(code)

    def standards(self) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for c in self.criteria:
            seen.setdefault(c.standard, c.standard_name)
        return sorted(seen.items())

    @property
    def short_name(self) -> str:
        """ "Thông tư 17/2018/TT-BGDĐT" as people cite it; TT57 names its appendix."""
        if self.appendix:
            return f"Phụ lục {self.appendix} Thông tư {self.number}"
        return f"Thông tư {self.number}"


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("sheetkit").joinpath("data", *name.split("/")).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _split(text: str | None, sep: str = "|") -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(sep) if part.strip())


def _criterion(r: dict[str, str]) -> Criterion:
    return Criterion(
        code=r["tieu_chi"].strip(),
        standard=int(r["tieu_chuan"]),
        standard_name=r["tieu_chuan_ten"].strip(),
        title=r["tieu_chi_ten"].strip(),
        max_level=int(r["max_muc"]),
        unverified=(r.get("can_kiem_tra") or "").strip(),
        compulsory=(r.get("bat_buoc") or "").strip() == "1",
        other_titles=_split(r.get("tieu_chi_ten_khac")),
        other_standard_names=_split(r.get("tieu_chuan_ten_khac")),
        requirements=((r.get("muc1") or "").strip(), (r.get("muc2") or "").strip()),
        evidence=(r.get("minh_chung_goi_y") or "").strip(),
        indicators=_split(r.get("chi_so_dinh_luong"), ";"),
    )


@cache
def circulars() -> tuple[Circular, ...]:
    """Every circular shipped with sheetkit, in the order of circulars.csv."""
    result = []
    for row in _read_csv("circulars.csv"):
        criteria = tuple(_criterion(r) for r in _read_csv(f"criteria/{row['id']}.csv"))
        result.append(
            Circular(
                id=row["id"],
                number=row["so_hieu"],
                template=row["template"],
                school_levels=tuple(row["cap_hoc"].split("|")),
                description=row["mo_ta"],
                criteria=tuple(sorted(criteria, key=lambda c: c.sort_key)),
                family_id=row.get("ho") or FAMILY_2018,
                appendix=row.get("phu_luc") or "",
            )
        )
    return tuple(result)


SCHOOL_LEVELS: tuple[str, ...] = (
    "Mầm non",
    "Tiểu học",
    "THCS",
    "THPT",
    "Phổ thông nhiều cấp học",
)
# TT57 also covers continuing-education centres.
SCHOOL_LEVELS_TT57: tuple[str, ...] = (*SCHOOL_LEVELS, "GDTX")


def of_family(family: str) -> tuple[Circular, ...]:
    return tuple(c for c in circulars() if c.family_id == family)


@cache
def family_codes(family: str) -> frozenset[str]:
    """Every criterion code of a family's circulars (TT57 has no 1.10: "1.1" is criterion 1.1)."""
    return frozenset(code for c in of_family(family) for code in c.codes)


def for_school_level(level: str, family: str = FAMILY_2018) -> Circular:
    """The circular of a family that governs a school level ("Tiểu học" -> TT17 or Phụ lục II)."""
    for circular in of_family(family):
        if level in circular.school_levels:
            return circular
    raise KeyError(level)


def for_template(name: str, family: str = FAMILY_2018) -> Circular:
    """The circular of a template name (mam-non, tieu-hoc, trung-hoc; TT57: thcs, gdtx...)."""
    if family == FAMILY_TT57 and name in TT57_TEMPLATES:
        return for_school_level(TT57_TEMPLATES[name], FAMILY_TT57)
    for circular in of_family(family):
        if circular.template == name:
            return circular
    raise KeyError(name)


def by_id(circular_id: str) -> Circular:
    for circular in circulars():
        if circular.id == circular_id:
            return circular
    raise KeyError(circular_id)


# TT57 template names and the Loại hình / Cấp học each pre-fills (phổ thông share Phụ lục II).
TT57_TEMPLATES: dict[str, str] = {
    "mam-non": "Mầm non",
    "tieu-hoc": "Tiểu học",
    "thcs": "THCS",
    "thpt": "THPT",
    "pho-thong": "Phổ thông nhiều cấp học",
    "gdtx": "GDTX",
}


@cache
def provinces() -> tuple[Province, ...]:
    """The 34 provincial units since 01/7/2025 (Nghị quyết 202/2025/QH15), from package data."""
    return tuple(
        Province(r["ten"].strip(), r["loai"].strip(), _split(r["sap_nhap_tu"]))
        for r in _read_csv("provinces.csv")
    )


def title_key(title: str) -> str:
    """Comparable form of a criterion title (no diacritics, punctuation or case)."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(title)).split())
