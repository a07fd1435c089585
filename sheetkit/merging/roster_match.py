"""Match the plans of a roll-up to the list of schools: who handed in, who has not.

Every plan found is matched to one school of the list: by Mã trường first;
else by the school's name within the same xã/phường, exactly (diacritics,
case and spaces aside) or loosely ("TH Kim Đồng" for "Trường Tiểu học Kim
Đồng", a letter off), in which case the match is reported so the officer can
correct the list or the plan. Pure: tables in, tables out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from ..model.roster import Roster, RosterSchool, code_key, commune_key, name_key
from .years import covers, other_years

# States of a listed school, in the order the officer reads them.
HANDED_IN = "Đã nộp"
WITH_ERRORS = "Nộp nhưng có lỗi"
OTHER_YEAR = "Nộp bản năm học khác"
MISSING = "Chưa nộp"
STATES = (HANDED_IN, WITH_ERRORS, OTHER_YEAR, MISSING)
BY_CODE, BY_NAME, BY_LOOSE_NAME = "mã trường", "tên trường", "tên gần đúng"
# Missing schools the one-line headline names; the rest are counted (Tình hình nộp lists all).
HEADLINE_NAMES = 10
# Two folded names this alike (difflib's ratio) within one xã/phường are one school.
LOOSE_RATIO = 0.88
# Words schools abbreviate or leave out, folded: the loose name drops or shortens them.
NAME_WORDS = (
    (r"\btruong\b", ""),
    (r"\btrung hoc co so\b", "thcs"),
    (r"\btrung hoc pho thong\b", "thpt"),
    (r"\btieu hoc\b", "th"),
    (r"\bmam non\b", "mn"),
    (r"\bmau giao\b", "mg"),
    (r"\bpho thong\b", "pt"),
    (r"\bgiao duc nghe nghiep\b", "gdnn"),
    (r"\bgiao duc thuong xuyen\b", "gdtx"),
    (r"\btrung tam\b", "tt"),
    (r"\bva\b", "&"),
)
ROSTER_COLUMNS = (
    "row",
    "school_code",
    "school_name",
    "school_level",
    "commune",
    "province",
    "state",
    "matched_by",
    "plan_name",
    "plan_code",
    "school_year",
    "errors",
    "school_id",
    "file",
    "note",
)


def loose_key(name: object) -> str:
    """``name_key`` with the usual abbreviations: "Trường Tiểu học Kim Đồng" -> "th kim dong"."""
    key = name_key(name).replace(" - ", " ")
    for pattern, short in NAME_WORDS:
        key = re.sub(pattern, short, key)
    return " ".join(key.split())


@dataclass
class RosterMatch:
    """The list with each school's state, and the plans of schools not on it."""

    roster: pd.DataFrame  # one row per listed school (ROSTER_COLUMNS)
    unlisted: pd.DataFrame  # plans matched to no listed school (the schools table's rows)
    school_year: str  # the round's school year, "2026-2027"

    def count(self, state: str) -> int:
        return int((self.roster["state"] == state).sum())

    @property
    def handed_in(self) -> int:
        """Schools that handed in a plan of the round's year (with or without errors)."""
        return self.count(HANDED_IN) + self.count(WITH_ERRORS)

    def headline(self) -> str:
        """ "32/35 trường đã nộp; 3 chưa nộp: …" as Tổng quan and the report open."""
        total = len(self.roster)
        missing = self.roster[self.roster["state"] == MISSING]["school_name"].tolist()
        text = f"{self.handed_in}/{total} trường đã nộp kế hoạch năm học {self.school_year}"
        if missing:
            shown = ", ".join(missing[:HEADLINE_NAMES])
            more = len(missing) - HEADLINE_NAMES
            text += f"; {len(missing)} chưa nộp: {shown}" + (
                f" và {more} trường khác (xem trang Tình hình nộp)" if more > 0 else ""
            )
        other = self.count(OTHER_YEAR)
        if other:
            text += f"; {other} nộp bản năm học khác"
        if len(self.unlisted):
            text += f"; {len(self.unlisted)} kế hoạch của trường không có trong danh sách"
        return text


def match_roster(
    roster: Roster, schools: pd.DataFrame, school_year: str | None = None
) -> RosterMatch:
    """Each listed school's plan and state; ``schools`` is the roll-up's schools table.

    ``school_year``: the round's year ("2026-2027"); by default the year of most plans.
    """
    year = school_year or other_years(schools)[0]
    listed = [s for s in roster.schools if s.name]
    plans = schools.to_dict("records")
    taken: dict[int, tuple[int, str, str]] = {}  # plan position -> (listed index, how, note)
    by_code: dict[str, int] = {}
    for i, school in enumerate(listed):
        if school.code:
            by_code.setdefault(code_key(school.code), i)
    # 1. by code
    for p, plan in enumerate(plans):
        i = by_code.get(code_key(plan.get("school_code")))
        if i is not None:
            note = ""
            if name_key(plan.get("school_name")) != name_key(listed[i].name):
                note = (
                    f"tên trong kế hoạch khác danh sách: {plan.get('school_name') or '(chưa ghi)'}"
                )
            taken[p] = (i, BY_CODE, note)
    # 2. by name within the same xã/phường, exactly then loosely
    matched = {i for i, _, _ in taken.values()}
    for p, plan in enumerate(plans):
        if p in taken:
            continue
        found = _by_name(plan, listed, matched)
        if found is not None:
            taken[p] = found
            matched.add(found[0])
    rows = []
    plan_of = {i: p for p, (i, _, _) in taken.items()}
    for i, school in enumerate(listed):
        p = plan_of.get(i)
        rows.append(_row(school, plans[p] if p is not None else None, taken.get(p), year))
    unlisted_rows = [plans[p] for p in range(len(plans)) if p not in taken]
    roster_frame = pd.DataFrame(rows, columns=list(ROSTER_COLUMNS))
    for key in ("errors", "school_id"):
        roster_frame[key] = roster_frame[key].astype("Int64")
    unlisted = pd.DataFrame(unlisted_rows, columns=schools.columns)
    return RosterMatch(roster_frame, unlisted, year)


def _by_name(
    plan: dict, listed: list[RosterSchool], matched: set[int]
) -> tuple[int, str, str] | None:
    name = plan.get("school_name")
    if not name:
        return None
    commune = commune_key(plan.get("commune") or plan.get("district") or "")
    candidates = [
        i
        for i, s in enumerate(listed)
        if i not in matched
        and (not commune or not s.commune or commune_key(s.commune) == commune)
        and not (s.code and plan.get("school_code"))  # both have codes and they differ
    ]
    exact = [i for i in candidates if name_key(listed[i].name) == name_key(name)]
    if len(exact) == 1:
        return exact[0], BY_NAME, ""
    loose = [i for i in candidates if loose_key(listed[i].name) == loose_key(name)]
    if len(loose) != 1:
        scored = [
            (difflib.SequenceMatcher(None, loose_key(listed[i].name), loose_key(name)).ratio(), i)
            for i in candidates
        ]
        loose = [i for ratio, i in scored if ratio >= LOOSE_RATIO]
    if len(loose) == 1:
        return loose[0], BY_LOOSE_NAME, f"tên trong kế hoạch khác danh sách: {name}"
    return None


def _row(school: RosterSchool, plan: dict | None, how, year: str) -> dict:
    row = {
        "row": school.row,
        "school_code": school.code,
        "school_name": school.name,
        "school_level": school.school_level,
        "commune": school.commune,
        "province": school.province,
        "state": MISSING,
        "matched_by": "",
        "plan_name": None,
        "plan_code": None,
        "school_year": None,
        "errors": None,
        "school_id": None,
        "file": None,
        "note": "",
    }
    if plan is None:
        return row
    _, matched_by, note = how
    errors = int(plan.get("errors") or 0)
    plan_year = plan.get("school_year") or ""
    if year and not covers(plan_year, plan.get("end_year"), year):
        state = OTHER_YEAR
        note = "; ".join(filter(None, [f"kế hoạch năm học {plan_year or '(chưa ghi)'}", note]))
    else:
        state = WITH_ERRORS if errors else HANDED_IN
    row.update(
        state=state,
        matched_by=matched_by,
        plan_name=plan.get("school_name"),
        plan_code=plan.get("school_code"),
        school_year=plan_year,
        errors=errors,
        school_id=plan.get("school_id"),
        file=plan.get("file"),
        note=note,
    )
    return row
