"""The Thông tư 57 part of the roll-up: levels, compulsory criteria, priority issues, progress.

A worker keeps of each TT57 plan only facts (``reduce``): the school's level
now and after its plan, its compulsory criteria below Mức 1, its priority
issues, its plan rows with their dates and Mức độ thực hiện, and which review
points Theo dõi records. The parent builds the tables (``assemble``) and
judges progress at the month the roll-up is made for: each row's state
(``validators.review.state``: done, in progress, overdue, not carried out,
unrecorded or not started), each school's shares, and the review points that
have come without a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..checking.tt57 import gap_text, school_level_of
from ..model import catalog
from ..model.contract import ISSUE_COLUMNS, PLAN_COLUMNS_TT57
from ..model.plan import Plan
from ..reading.parsing import month_label
from ..reading.text import clean, fold
from ..validators.review import NOT_STARTED, STATE_LABELS, UNRECORDED, review_points, state

STATES = tuple(STATE_LABELS)  # done, in_progress, overdue, not_carried_out, unrecorded, ...
NOT_MET = 0  # "Không đạt Mức 1"

SCHOOL_FACTS = (
    "commune",
    "managing_body",
    "level_now",
    "level_after",
    "compulsory_below",
    "missing_levels",
    "gap_after",
)
# What the roll-up keeps of each priority issue and each plan row, field by field from the
# column registry: every column of Vấn đề trọng tâm; of Kế hoạch, the columns the roll-up
# shows (contract.PLAN_COLUMNS_TT57's ``rollup``) but the row's state, which is judged at
# the roll-up's month (``assemble``), plus where the row is (item, row).
ISSUE_FIELDS = tuple(f.key for f in ISSUE_COLUMNS)
JUDGED = ("state",)
ITEM_FIELDS = (
    "item",
    "row",
    *(key for f in PLAN_COLUMNS_TT57 for key, _ in f.rollup if key not in JUDGED),
)
# Fields of text: an empty cell is kept as "" (numbers and months stay None).
TEXT_PARSERS = ("lines", "evidence")
TEXT_FIELDS = frozenset(
    f.key for f in (*ISSUE_COLUMNS, *PLAN_COLUMNS_TT57) if f.parser in TEXT_PARSERS
)
# Columns every TT57 table repeats from the school, to group and filter by.
PLACE_COLUMNS = ("province", "commune", "managing_body", "school_name", "school_code")


def reduce(plan: Plan) -> dict[str, Any]:
    """What the roll-up keeps of a TT57 plan (small, picklable: it comes back from a worker)."""
    circular = plan.circular
    levels = school_level_of(plan)
    current = plan.current_levels()
    compulsory = circular.compulsory_codes if circular else []
    below = [code for code in compulsory if current.get(code) == NOT_MET]
    now, after = levels if levels else (None, None)
    school = {
        "commune": plan.value("commune") or "",
        "managing_body": plan.managing_body_label(),
        "level_now": now.level if now else None,
        "level_after": after.level if after else None,
        "compulsory_below": ", ".join(below),
        "missing_levels": len(now.missing_levels)
        if now
        else len(circular.codes if circular else []),
        "gap_after": gap_text(after) if after else "",
    }
    issues = [tuple(_issue_value(r, key) for key in ISSUE_FIELDS) for r in plan.issue_records]
    items = [tuple(_item_value(r, key) for key in ITEM_FIELDS) for r in plan.item_records]
    recorded = [
        (r.get("when") or "", bool(r.get("result") or r.get("content")))
        for r in plan.review_records
    ]
    return {"school": school, "issues": issues, "items": items, "reviews": recorded}


def _issue_value(record: dict[str, Any], key: str) -> Any:
    if key == "criteria":  # the codes understood, else the cell as typed
        return ", ".join(record.get("criteria") or ()) or clean(record.get("criteria_raw"))
    return _value(record, key)


def _item_value(record: dict[str, Any], key: str) -> Any:
    if key == "criterion":  # the code understood, else the cell as typed
        code = record.get("criterion")
        return code if isinstance(code, str) else clean(record.get("criterion_raw"))
    if key == "status":  # Mức độ thực hiện, when the cell holds anything
        return record.get("progress") if record.get("progress_raw") is not None else None
    return _value(record, key)


def _value(record: dict[str, Any], key: str) -> Any:
    value = record.get(key)
    return (value or "") if key in TEXT_FIELDS else value


# ----------------------------------------------------------------- the tables (parent side)


@dataclass
class Tables:
    """The TT57 plans of the roll-up at month ``at`` (a month index: year * 12 + month - 1).

    ``schools``: one row per TT57 school (its place, level now and after the
    plan, compulsory criteria below Mức 1, progress counts and shares, review
    points due and not recorded); ``issues``: every priority issue;
    ``items``: every plan row with its ``state`` at ``at``.
    """

    schools: pd.DataFrame
    issues: pd.DataFrame
    items: pd.DataFrame
    at: int

    @property
    def at_label(self) -> str:
        return month_label(self.at)

    def __len__(self) -> int:
        return len(self.schools)


def assemble(
    plans: dict[int, dict[str, Any]], kept_ids: list[int], schools: pd.DataFrame, at: int
) -> Tables:
    """The TT57 tables of the kept plans, with progress judged at month ``at``."""
    own = [i for i in kept_ids if "tt57" in plans[i]]
    base = schools.set_index("school_id")
    school_rows, issue_rows, item_rows = [], [], []
    for i in own:
        facts, school = plans[i]["tt57"], plans[i]["school"]
        place = {
            "school_id": i,
            "province": school["province"],
            "commune": facts["school"]["commune"],
            "managing_body": facts["school"]["managing_body"],
            "school_name": school["school_name"],
            "school_code": school["school_code"],
        }
        states = dict.fromkeys(STATES, 0)
        per_issue: dict[Any, dict[str, int]] = {}
        circular = catalog.by_id(school["circular"]) if school["circular"] else None
        codes = set(circular.codes) if circular else set()
        numbers = {values[0] for values in facts["issues"]}
        for values in facts["items"]:
            row = dict(zip(ITEM_FIELDS, values, strict=True))
            now = state(row["status"], row["start"], row["end"], at)
            states[now] += 1
            per_issue.setdefault(row["issue"], dict.fromkeys(STATES, 0))[now] += 1
            # A row whose criterion or issue is not in the plan is counted apart (see Lỗi).
            linked = row["criterion"] in codes and row["issue"] in numbers
            item_rows.append({**place, **row, "state": STATE_LABELS[now], "linked": linked})
        for values in facts["issues"]:
            row = dict(zip(ISSUE_FIELDS, values, strict=True))
            counts = per_issue.get(row["tt"], dict.fromkeys(STATES, 0))
            issue_rows.append(
                {
                    **place,
                    **row,
                    "items": sum(counts.values()),
                    "done": counts["done"],
                    "overdue": counts["overdue"],
                }
            )
        total = sum(states.values())
        year = school.get("school_year_start")
        due, missing = _due_reviews(year, facts["reviews"], at)
        school_rows.append(
            {
                **place,
                "school_level": school["school_level"],
                "school_year": school["school_year"],
                **{k: facts["school"][k] for k in SCHOOL_FACTS if k not in place},
                "level_now_label": _level(facts["school"]["level_now"], facts["school"]),
                "level_after_label": _level(facts["school"]["level_after"], facts["school"]),
                "compulsory_below_count": len(
                    [c for c in facts["school"]["compulsory_below"].split(", ") if c]
                ),
                "issues": len(facts["issues"]),
                "items": total,
                **states,
                "done_share": states["done"] / total if total else None,
                "reviews_due": ", ".join(due),
                "reviews_missing": ", ".join(missing),
                "errors": int(base.at[i, "errors"]),
                "file": base.at[i, "file"],
            }
        )
    return Tables(
        schools=_frame(school_rows, SCHOOL_TABLE_KEYS, sort=True),
        issues=_frame(issue_rows, ISSUE_TABLE_KEYS, sort=True),
        items=_items(item_rows),
        at=at,
    )


SCHOOL_TABLE_KEYS = (
    "school_id",
    *PLACE_COLUMNS,
    "school_level",
    "school_year",
    "level_now",
    "level_after",
    "level_now_label",
    "level_after_label",
    "compulsory_below",
    "compulsory_below_count",
    "missing_levels",
    "gap_after",
    "issues",
    "items",
    *STATES,
    "done_share",
    "reviews_due",
    "reviews_missing",
    "errors",
    "file",
)
ISSUE_TABLE_KEYS = ("school_id", *PLACE_COLUMNS, *ISSUE_FIELDS, "items", "done", "overdue")
ITEM_TABLE_KEYS = ("school_id", *PLACE_COLUMNS, *ITEM_FIELDS, "state", "linked")


def _level(level: int | None, facts: dict[str, Any]) -> str:
    if level is None:
        return f"Chưa tính được ({facts['missing_levels']} tiêu chí thiếu mức hoặc ghi sai mức)"
    return catalog.FAMILIES[catalog.FAMILY_TT57].label(level)


def _due_reviews(
    year: Any, recorded: list[tuple[str, bool]], at: int
) -> tuple[list[str], list[str]]:
    """The review points come by month ``at``, and those Theo dõi does not record."""
    if year is None or pd.isna(year):
        return [], []
    due = [name for name, month in review_points(int(year)) if month <= at]
    done = {
        fold(name)
        for name in due
        for when, ok in recorded
        if ok and fold(when).startswith(fold(name))
    }
    return due, [name for name in due if fold(name) not in done]


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    """By province, commune, managing body, then school name (as Vietnamese sorts them)."""
    keys = ["province", "commune", "managing_body", "school_name"]
    folded = frame[keys].apply(lambda column: column.map(lambda v: fold(str(v or ""))))
    order = folded.sort_values(keys, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _frame(rows: list[dict[str, Any]], keys: tuple[str, ...], sort: bool) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(keys))
    return _order(frame) if sort and len(frame) else frame


def _items(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = _frame(rows, ITEM_TABLE_KEYS, sort=True)
    for key in ("item", "row", "issue"):
        frame[key] = frame[key].astype("Int64")
    for key in ("start", "end"):
        index = pd.to_numeric(frame[key], errors="coerce")
        parts = pd.DataFrame({"year": index // 12, "month": index % 12 + 1, "day": 1})
        frame[key] = pd.to_datetime(parts.where(index.notna()), errors="coerce")
    return frame


# ----------------------------------------------------------------- summaries


def criteria_table(tables: Tables, levels: pd.DataFrame) -> pd.DataFrame:
    """Per TT57 appendix and criterion: compulsory or not, schools at each level, planned work."""
    ids = set(tables.schools["school_id"])
    own = levels[levels["school_id"].isin(ids)]
    planned = tables.items.groupby(["school_id", "criterion"]).size()
    issue_codes = {
        (r.school_id, code.strip())
        for r in tables.issues.itertuples(index=False)
        for code in str(r.criteria or "").split(",")
        if code.strip()
    }
    rows = []
    for circular in catalog.circulars():
        if circular.family.id != catalog.FAMILY_TT57:
            continue
        block = own[own["circular"] == circular.id]
        if block.empty:
            continue
        schools = block["school_id"].nunique()
        for c in circular.criteria:
            mine = block[block["criterion"] == c.code]
            current = mine["current"].value_counts()
            target = mine["target"].value_counts()
            with_items = {s for s in mine["school_id"] if (s, c.code) in planned.index}
            with_issue = {s for s in mine["school_id"] if (s, c.code) in issue_codes}
            rows.append(
                {
                    "circular": circular.id,
                    "appendix": appendix_name(circular),
                    "standard": c.standard,
                    "criterion": c.code,
                    "title": c.title,
                    "compulsory": "Bắt buộc" if c.compulsory else "",
                    "schools": schools,
                    "current_0": int(current.get(0, 0)),
                    "current_1": int(current.get(1, 0)),
                    "current_2": int(current.get(2, 0)),
                    "not_assessed": schools - int(current.sum()),
                    "target_2": int(target.get(2, 0)),
                    "issue_schools": len(with_issue),
                    "planning": len(with_items | with_issue),
                    "items": int(sum(planned.get((s, c.code), 0) for s in with_items)),
                }
            )
    return pd.DataFrame.from_records(rows)


def appendix_name(circular: catalog.Circular) -> str:
    """ "Phụ lục II – Phổ thông": which appendix of Thông tư 57, and for whom."""
    appendix = circular.short_name.split(" Thông tư")[0]
    who = {"tt57-2026-mam-non": "Mầm non", "tt57-2026-pho-thong": "Phổ thông"}.get(
        circular.id, "GDTX"
    )
    return f"{appendix} – {who}"


def compulsory_gaps(tables: Tables) -> list[tuple[str, int]]:
    """(criterion, schools) for compulsory criteria below Mức 1 in some school, most first."""
    counts: dict[str, int] = {}
    for text in tables.schools["compulsory_below"]:
        for code in filter(None, (c.strip() for c in str(text or "").split(","))):
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], _code_key(kv[0])))


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def issues_by_standard(tables: Tables) -> list[tuple[str, int, str]]:
    """(standard, priority issues, its name) over every TT57 plan, in the standards' order."""
    issues = tables.issues
    if issues.empty:
        return []
    names = _standard_names(tables)
    rows = []
    for standard, group in issues.groupby("standard", dropna=False, sort=True):
        if pd.isna(standard):
            rows.append(("Chưa ghi", len(group), "Vấn đề chưa ghi tiêu chuẩn"))
        else:
            rows.append((f"Tiêu chuẩn {int(standard)}", len(group), names.get(int(standard), "")))
    return rows


def _standard_names(tables: Tables) -> dict[int, str]:
    """Each standard's name; where the appendices present word it differently, the words
    they share and "…" ("… và phát triển học sinh / trẻ em / người học")."""
    levels = set(tables.schools["school_level"])
    appendices = [
        c
        for c in catalog.circulars()
        if c.family.id == catalog.FAMILY_TT57 and levels & set(c.school_levels)
    ] or [c for c in catalog.circulars() if c.family.id == catalog.FAMILY_TT57]
    names: dict[int, str] = {}
    for number in sorted({n for c in appendices for n, _ in c.standards()}):
        words = [dict(c.standards()).get(number, "").split() for c in appendices]
        shared = []
        for column in zip(*words, strict=False):
            if len(set(column)) > 1:
                break
            shared.append(column[0])
        same = all(w == words[0] for w in words)
        names[number] = " ".join(shared) + ("" if same else "…")
    return names


def level_counts(tables: Tables) -> list[tuple[str, int, int]]:
    """(level, schools now, schools after their plan), Không đạt Mức 1 to Mức 2."""
    family = catalog.FAMILIES[catalog.FAMILY_TT57]
    schools = tables.schools
    rows = []
    for level in (0, 1, 2):
        rows.append(
            (
                family.label(level),
                int((schools["level_now"] == level).sum()),
                int((schools["level_after"] == level).sum()),
            )
        )
    unknown_now, unknown_after = (
        int(schools["level_now"].isna().sum()),
        int(schools["level_after"].isna().sum()),
    )
    if unknown_now or unknown_after:
        rows.append(("Chưa tính được", unknown_now, unknown_after))
    return rows


def progress_counts(tables: Tables) -> list[tuple[str, int]]:
    """(state, plan rows) over every TT57 plan at the roll-up's month."""
    counts = tables.items["state"].value_counts()
    return [(label, int(counts.get(label, 0))) for label in STATE_LABELS.values()]


# Tổng quan says what the two states without a status mean.
OVERVIEW_STATE_LABELS = {
    STATE_LABELS[UNRECORDED]: "Chưa ghi: đã đến tháng bắt đầu mà chưa ghi mức độ thực hiện",
    STATE_LABELS[NOT_STARTED]: "Chưa bắt đầu: chưa đến tháng bắt đầu, hoặc ghi Chưa thực hiện",
}


# How Tổng quan names the sheets of these plans (writing/summary.py writes them).
SHEETS_NOTE = "các trang tính có tên bắt đầu bằng TT57"


def overview_section(tables: Tables | None) -> list[tuple[str, Any]]:
    """Tổng quan's lines about the Thông tư 57 plans (none when there are none)."""
    if tables is None or not len(tables):
        return []
    return [(f"THÔNG TƯ 57/2026/TT-BGDĐT (xem {SHEETS_NOTE})", None), *overview_lines(tables)]


def overview_lines(tables: Tables) -> list[tuple[str, Any]]:
    """The TT57 figures of Tổng quan, as (Vietnamese label, value) lines."""
    schools = tables.schools
    lines: list[tuple[str, Any]] = [("Số trường lập kế hoạch theo Thông tư 57", len(schools))]
    for level, label in ((2, "Hiện đạt Mức 2"), (1, "Hiện đạt Mức 1"), (0, "Chưa đạt Mức 1")):
        lines.append((f"    {label}", int((schools["level_now"] == level).sum())))
    unknown = int(schools["level_now"].isna().sum())
    if unknown:
        lines.append(("    Chưa tính được mức (thiếu mức của tiêu chí)", unknown))
    lines += [
        ("Đạt Mức 2 sau kế hoạch", int((schools["level_after"] == 2).sum())),
        (
            "Trường có tiêu chí bắt buộc chưa đạt Mức 1",
            int((schools["compulsory_below_count"] > 0).sum()),
        ),
        ("Số vấn đề trọng tâm", len(tables.issues)),
        ("Số việc trong kế hoạch (Thông tư 57)", len(tables.items)),
    ]
    # The states part the rows: they add up to the number of rows above.
    for label, count in progress_counts(tables):
        lines.append(
            (f"    {OVERVIEW_STATE_LABELS.get(label, label)} (tháng {tables.at_label})", count)
        )
    items = tables.items
    unlinked = int((~items["linked"].astype(bool)).sum())
    if unlinked:
        lines.append(
            ("    Việc ghi tiêu chí hoặc vấn đề không có trong kế hoạch (xem Lỗi)", unlinked)
        )
    lines.append(
        (
            f"Trường chưa ghi kết quả rà soát đã đến hạn (tháng {tables.at_label})",
            int((schools["reviews_missing"] != "").sum()),
        )
    )
    return lines
