"""The accreditation circulars and their criteria, loaded from package data.

A circular (Thông tư) defines the standards and criteria for one or more school
levels. Each one is a CSV file in ``sheetkit/data/criteria/`` listed in
``sheetkit/data/circulars.csv``: when the Ministry issues a new circular, add a
file and a line there; no code changes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..reading.text import fold


@dataclass(frozen=True)
class Criterion:
    code: str  # "1.10": always text, never a number
    standard: int
    standard_name: str
    title: str
    max_level: int  # highest level the circular defines: 2 or 3
    unverified: str  # what still needs checking against the official text ("" if nothing)

    @property
    def sort_key(self) -> tuple[int, int]:
        major, minor = self.code.split(".")
        return int(major), int(minor)


@dataclass(frozen=True)
class Circular:
    id: str  # "tt17-2018"
    number: str  # "17/2018/TT-BGDĐT"
    template: str  # template name: "tieu-hoc"
    school_levels: tuple[str, ...]  # values of Cấp học it applies to
    description: str
    criteria: tuple[Criterion, ...] = field(repr=False)
    by_code: dict[str, Criterion] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self.by_code.update((c.code, c) for c in self.criteria)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.criteria]

    def get(self, code: str) -> Criterion | None:
        return self.by_code.get(code)

    def standards(self) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for c in self.criteria:
            seen.setdefault(c.standard, c.standard_name)
        return sorted(seen.items())

    @property
    def short_name(self) -> str:
        """ "Thông tư 17/2018/TT-BGDĐT" as people cite it."""
        return f"Thông tư {self.number}"


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("sheetkit").joinpath("data", *name.split("/")).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def circulars() -> tuple[Circular, ...]:
    """Every circular shipped with sheetkit, in the order of circulars.csv."""
    result = []
    for row in _read_csv("circulars.csv"):
        criteria = tuple(
            Criterion(
                code=r["tieu_chi"].strip(),
                standard=int(r["tieu_chuan"]),
                standard_name=r["tieu_chuan_ten"].strip(),
                title=r["tieu_chi_ten"].strip(),
                max_level=int(r["max_muc"]),
                unverified=r.get("can_kiem_tra", "").strip(),
            )
            for r in _read_csv(f"criteria/{row['id']}.csv")
        )
        result.append(
            Circular(
                id=row["id"],
                number=row["so_hieu"],
                template=row["template"],
                school_levels=tuple(row["cap_hoc"].split("|")),
                description=row["mo_ta"],
                criteria=tuple(sorted(criteria, key=lambda c: c.sort_key)),
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


def for_school_level(level: str) -> Circular:
    """The circular that governs a school level ("Tiểu học" -> TT17)."""
    for circular in circulars():
        if level in circular.school_levels:
            return circular
    raise KeyError(level)


def for_template(name: str) -> Circular:
    """The circular of a template name: mam-non, tieu-hoc, trung-hoc."""
    for circular in circulars():
        if circular.template == name:
            return circular
    raise KeyError(name)


def by_id(circular_id: str) -> Circular:
    for circular in circulars():
        if circular.id == circular_id:
            return circular
    raise KeyError(circular_id)


def title_key(title: str) -> str:
    """Comparable form of a criterion title (no diacritics, punctuation or case)."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(title)).split())
