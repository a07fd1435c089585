"""Check a list of schools with the rules of ``validators/roster.py``, as plans are checked.

The list becomes three small tables (its schools, its Đơn vị tổng hợp block,
the list as a whole) with the facts the rules test: duplicate codes and names,
levels and provinces not understood, schools outside the body's area. Each
failing row becomes a finding with its sheet, cell and Vietnamese message.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..model.findings import SEVERITY_ORDER, Finding, display_value
from ..model.places import PROVINCE_LEVELS, split_unit
from ..model.roster import (
    BODY_LABELS,
    BODY_SO,
    BODY_UBND,
    OWNERSHIP,
    ROSTER_HEADERS,
    SHEET_BODY,
    Roster,
    RosterSchool,
    code_key,
    commune_key,
    name_key,
)
from ..reading.parsing import is_blank
from ..reading.text import fold
from ..validators.roster import ROSTER_RULES_BY_ID, ROSTER_SCHEMAS
from .validation import failing_rows


def check_roster(roster: Roster) -> list[Finding]:
    """Every finding for the list: structure first, then the body block, then the schools."""
    findings = list(roster.structure)
    if any(f.rule == "roster.missing_sheet" for f in findings):
        return findings
    tables = {
        "roster.list": pd.DataFrame({"schools": [len(roster.schools)]}),
        "roster": school_table(roster),
    }
    if roster.body is not None:
        tables["roster.body"] = body_table(roster)
    for name, frame in tables.items():
        if not frame.empty:
            findings.extend(_run(name, frame, roster))
    order = {"structure": 0, "roster.body": 1, "roster.list": 2, "roster": 3}
    findings.sort(
        key=lambda f: (
            order.get(ROSTER_RULES_BY_ID[f.rule].table, 9),
            f.row or 0,
            SEVERITY_ORDER[f.severity],
        )
    )
    return findings


def body_area(roster: Roster) -> tuple[str | None, str | None]:
    """(xã/phường, province) the body covers: a UBND its xã/phường, typed or from its name."""
    body = roster.body
    if body is None:
        return None, None
    named = commune_of_body(body.name) if body.kind == BODY_UBND and body.name else None
    return body.commune or named, body.province


def commune_of_body(name: str) -> str | None:
    """ "UBND phường Bình Thạnh", "Ủy ban nhân dân xã Yên Thành" -> "Phường Bình Thạnh"."""
    words = name.split()
    skip = 4 if fold(name).startswith("uy ban nhan dan") else 1
    word, proper = split_unit(" ".join(words[skip:]))
    return f"{word.capitalize()} {proper}" if word and proper else None


def school_table(roster: Roster) -> pd.DataFrame:
    """One row per school of the list with the facts its rules test."""
    schools = roster.schools
    body_commune, body_province = body_area(roster)
    kind = roster.body.kind if roster.body else None
    first_code: dict[str, RosterSchool] = {}
    first_name: dict[tuple[str, str], RosterSchool] = {}
    ownership = {fold(o) for o in OWNERSHIP}
    records: list[dict[str, Any]] = []
    for school in schools:
        code_first = None
        if school.code:
            key = code_key(school.code)
            if key in first_code:
                code_first = first_code[key]
            else:
                first_code[key] = school
        name_first = None
        if school.name and code_first is None:
            key2 = (name_key(school.name), commune_key(school.commune))
            earlier = first_name.get(key2)
            # Two rows of one name and place are one school unless both carry their own code.
            if earlier is not None and not (earlier.code and school.code):
                name_first = earlier
            first_name.setdefault(key2, school)
        outside_commune = bool(
            kind == BODY_UBND
            and body_commune
            and school.commune
            and commune_key(school.commune) != commune_key(body_commune)
        )
        outside_province = bool(
            kind in (BODY_UBND, BODY_SO)
            and body_province
            and school.province
            and school.province != body_province
        )
        records.append(
            {
                "row": school.row,
                "name": school.name,
                "school": school.name or f"Trường ở dòng {school.row}",
                "code": school.code,
                "code_raw": school.code,
                "code_first_row": code_first.row if code_first else None,
                "code_first_name": (code_first.name or "chưa ghi tên") if code_first else None,
                "name_first_row": name_first.row if name_first else None,
                "school_level": school.school_level,
                "school_level_raw": school.raw.get("school_level"),
                "school_level_error": school.errors.get("school_level"),
                "province": school.province,
                "province_raw": school.raw.get("province"),
                "province_error": school.errors.get("province"),
                "commune": school.commune,
                "ownership": school.ownership,
                "body_name": roster.body.name if roster.body else None,
                "body_commune": body_commune,
                "body_province": body_province,
                "outside_commune": outside_commune,
                "outside_province": outside_province,
                "province_school_on_commune_list": bool(
                    kind == BODY_UBND and school.school_level in PROVINCE_LEVELS
                ),
                "ownership_unknown": bool(
                    school.ownership and fold(school.ownership) not in ownership
                ),
            }
        )
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    for key in ("code_first_row", "name_first_row"):
        frame[key] = frame[key].astype("Int64")
    return frame


def body_table(roster: Roster) -> pd.DataFrame:
    body = roster.body
    assert body is not None
    typed = body.province
    error = body.errors.get("province")
    return pd.DataFrame(
        [
            {
                "name": body.name,
                "name_raw": body.name,
                "kind": body.kind,
                "province": typed,
                "province_raw": typed,
                "province_error": error,
            }
        ]
    )


def _run(table: str, frame: pd.DataFrame, roster: Roster) -> list[Finding]:
    schema = ROSTER_SCHEMAS[table]
    return [
        _finding(rule, row, roster)
        for rule, row in failing_rows(schema, frame, ROSTER_RULES_BY_ID, table)
    ]


def _finding(rule, row: dict[str, Any], roster: Roster) -> Finding:
    values = {k: ("" if is_blank(v) else v) for k, v in row.items()}
    key = rule.column
    if rule.table == "roster.body":
        cell = roster.body_cells.get(key) if key else None
        sheet, column = SHEET_BODY, BODY_LABELS.get(key or "")
        excel_row = int(cell[1:]) if cell else None
    elif rule.table == "roster":
        letter = roster.columns.get(key or "")
        excel_row = int(row["row"])
        cell = f"{letter}{excel_row}" if letter else None
        sheet, column = roster.sheet, ROSTER_HEADERS.get(key or "")
    else:
        sheet, cell, excel_row, column = roster.sheet, None, None, None
    raw = values.get(rule.value or f"{key}_raw", "") if key else ""
    values["value"] = display_value(raw) if raw != "" else ""
    values.setdefault("error", values.get(f"{key}_error", ""))
    shown = None if raw == "" else display_value(raw)
    return Finding(
        rule.severity,
        rule.id,
        sheet,
        cell,
        excel_row,
        column,
        None,
        None,
        shown,
        rule.message_for(values),
    )
