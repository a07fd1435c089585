"""The report a managing body signs and sends upward: its schools' plans in one document.

A UBND xã/phường reports to the Sở GDĐT, a Sở to the Bộ or the UBND tỉnh:
who handed in (from the list of schools), the schools' levels now and after
their plans, compulsory criteria not met, priority issues by standard,
progress at the review point, the schools that need attention, and a
section left for the officer's proposals. Every figure comes from the
roll-up's tables (``Rollup``), so it equals the workbook's and the CSV's.
It is a ``Document`` with sections, printed by the Biểu 2 writers (Word).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pandas as pd

from ..merging.rollup import Rollup
from ..merging.roster_match import MISSING, OTHER_YEAR, WITH_ERRORS
from ..merging.years import review_point
from ..model.contract import LAYOUT_TT57
from ..model.places import place_name, recipient_case
from ..model.roster import BODY_OTHER, ReportingBody, body_kind
from ..validators.review import STATE_LABELS
from . import bieu2
from .plan_text import BLANK, Document, Section, upper

REPORT_TITLE = "BÁO CÁO"
LEVEL_ORDER = ("Mầm non", "Tiểu học", "THCS", "THPT", "Phổ thông nhiều cấp học", "GDTX")
STATES = tuple(STATE_LABELS)  # done, in progress, overdue, not carried out, unrecorded, not started
# Table 2 over the ten columns: level, schools, then levels now and after the plan.
LEVEL_COLUMNS = (
    ("Cấp học", 0, 1),
    ("Số trường", 2, 2),
    ("Hiện tại: Chưa đạt Mức 1", 3, 3),
    ("Hiện tại: Mức 1", 4, 4),
    ("Hiện tại: Mức 2", 5, 5),
    ("Chưa tính được mức", 6, 6),
    ("Sau kế hoạch: Chưa đạt Mức 1", 7, 7),
    ("Sau kế hoạch: Mức 1", 8, 8),
    ("Sau kế hoạch: Mức 2", 9, 9),
)
COMPULSORY_COLUMNS = (("Tiêu chí", 0, 1), ("Số trường", 2, 2), ("Các trường", 3, 9))
ISSUE_COLUMNS = (
    ("Tiêu chuẩn", 0, 3),
    ("Số vấn đề", 4, 4),
    ("Số trường", 5, 5),
    ("Số việc", 6, 6),
    ("Hoàn thành", 7, 7),
    ("Quá hạn", 8, 9),
)
PROGRESS_COLUMNS = (
    ("TT", 0, 0),
    ("Trường", 1, 2),
    ("Số việc", 3, 3),
    *((STATE_LABELS[k], n, n) for n, k in enumerate(STATES, start=4)),
)
ATTENTION_COLUMNS = (("TT", 0, 0), ("Trường", 1, 3), ("Cần quan tâm", 4, 9))
TT57_STANDARDS = 4  # Thông tư 57's standards, in every appendix


def body_report(
    rollup: Rollup,
    body: ReportingBody | None,
    *,
    at: int | None = None,
    today: dt.date | None = None,
) -> Document:
    """The report of the body that rolls up ``rollup`` (its list's Đơn vị tổng hợp, if any).

    ``at``: the review month the progress is judged at (the title names the
    review point); ``today``: the month printed in the date line.
    """
    today = today or dt.date.today()
    year = _school_year(rollup)
    if not named(body):
        body = replace(body or ReportingBody(), name=_body_from_plans(rollup))
    authority, title = body.signature()
    point = review_point(at)
    subtitle = (
        "Kết quả xây dựng và thực hiện kế hoạch cải tiến chất lượng giáo dục năm học "
        f"{year}{' ' + point if point else ''}"
    )
    return Document(
        governing_body=upper(body.parent or ""),
        school=upper(body.name or BLANK),
        number=f"Số: {body.number or BLANK + '/BC-' + BLANK}",
        place_date=f"{body.place or _place(body)}, ngày {BLANK} tháng {today.month} năm {today.year}",
        title=REPORT_TITLE,
        subtitle=subtitle,
        rows=[],
        signer_title="\n".join([*authority, *([title] if title else [])]),
        signer_name=body.signer or "",
        recipients=_recipients(body),
        sections=sections(rollup, year, point),
        layout=LAYOUT_TT57,  # printed by the Biểu 2 writers
    )


def _school_year(rollup: Rollup) -> str:
    if rollup.roster is not None and rollup.roster.school_year:
        return rollup.roster.school_year
    years = rollup.schools["school_year"].replace("", pd.NA).dropna()
    return years.mode().iloc[0] if not years.empty else BLANK


def named(body: ReportingBody | None) -> bool:
    """The list names the body that reports (else its name comes from the plans, with
    ``FROM_PLANS`` said to the officer)."""
    return body is not None and bool(body.name)


# Said when the report's body comes from the plans (no list, a CSV list, or no Tên cơ quan).
FROM_PLANS = (
    "Lưu ý: báo cáo lấy tên cơ quan theo cơ quan quản lý ghi trong các kế hoạch; hãy kiểm tra "
    "phần đầu và phần ký, hoặc dùng --roster với danh sách có trang Đơn vị tổng hợp."
)


def _body_from_plans(rollup: Rollup) -> str | None:
    """The body the plans name most among those that exist now (a UBND or a Sở: the report
    is written after 01/7/2025, when the Phòng GDĐT of older plans no longer exists)."""
    bodies = rollup.schools["managing_body"].replace("", pd.NA).dropna()
    bodies = bodies[bodies.map(body_kind) != BODY_OTHER]
    return bodies.mode().iloc[0] if not bodies.empty else None


def _place(body: ReportingBody) -> str:
    unit = body.commune or body.province or ""
    return place_name(unit) if unit else BLANK


def _recipients(body: ReportingBody) -> list[str]:
    if body.recipients:
        return [line if line.startswith("-") else f"- {line}" for line in body.recipients]
    lines = [f"- {recipient_case(body.parent)} (để báo cáo);"] if body.parent else []
    return [*lines, "- Lưu: VT."]


# ----------------------------------------------------------------- sections


def sections(rollup: Rollup, year: str, point: str) -> list[Section]:
    tt57 = rollup.tt57
    result = [Section("1", "TÌNH HÌNH CHUNG", general(rollup, year))]
    if tt57 is not None and len(tt57):
        result += [
            Section(
                "2",
                "MỨC ĐẠT CỦA CÁC TRƯỜNG",
                [_levels_sentence(tt57.schools)],
                table=level_table(tt57.schools),
            ),
            Section(
                "3",
                "TIÊU CHÍ BẮT BUỘC CHƯA ĐẠT MỨC 1",
                compulsory_sentence(tt57.schools),
                table=compulsory_table(tt57.schools) if compulsory_rows(tt57.schools) else None,
            ),
            Section(
                "4",
                "VẤN ĐỀ TRỌNG TÂM THEO TIÊU CHUẨN",
                [f"Các trường nêu {len(tt57.issues)} vấn đề trọng tâm."],
                table=issue_table(tt57.issues),
            ),
            Section(
                "5",
                f"TIẾN ĐỘ THỰC HIỆN ĐẾN KỲ RÀ SOÁT (THÁNG {tt57.at_label})",
                [progress_sentence(tt57.schools, point, tt57.at_label)],
                table=progress_table(tt57.schools),
            ),
        ]
    result.append(
        Section(
            str(len(result) + 1),
            "TRƯỜNG CẦN QUAN TÂM",
            [
                "Trường có kế hoạch còn lỗi, việc quá hạn, kỳ rà soát chưa ghi kết quả, hoặc chưa nộp kế hoạch."
            ],
            table=attention_table(rollup),
        )
    )
    older = rollup.schools[~rollup.schools["circular"].str.startswith("tt57")]
    if len(older):
        result.append(
            Section(
                str(len(result) + 1),
                "KẾ HOẠCH LẬP THEO THÔNG TƯ 17, 18, 19/2018/TT-BGDĐT",
                plans_2018(older, rollup),
            )
        )
    result.append(
        Section(
            str(len(result) + 1),
            "ĐỀ XUẤT, KIẾN NGHỊ",
            [BLANK * 8, BLANK * 8],
        )
    )
    return result


def general(rollup: Rollup, year: str) -> list[str]:
    """Section 1: schools listed, handed in, missing by name, with errors."""
    schools = rollup.schools
    lines = []
    match = rollup.roster
    if match is not None:
        table = match.roster
        listed = len(table)
        lines.append(
            f"Danh sách có {listed} trường. Đã nộp kế hoạch năm học {year}: {match.handed_in} "
            f"trường ({_share(match.handed_in, listed)}), trong đó {match.count(WITH_ERRORS)} "
            "kế hoạch còn lỗi."
        )
        for state, words in ((MISSING, "Chưa nộp"), (OTHER_YEAR, "Nộp bản năm học khác")):
            names = table[table["state"] == state]["school_name"].tolist()
            if names:
                lines.append(f"{words} ({len(names)} trường): {', '.join(names)}.")
        if len(match.unlisted):
            names = ", ".join(match.unlisted["school_name"].fillna("(chưa ghi tên)"))
            lines.append(f"Kế hoạch của trường không có trong danh sách: {names}.")
    else:
        lines.append(
            f"Đã tổng hợp kế hoạch của {len(schools)} trường (không có danh sách trường để đối "
            "chiếu trường chưa nộp)."
        )
    errors = schools[schools["errors"] > 0]
    lines.append(
        f"Kế hoạch còn lỗi: {len(errors)}"
        + (f" ({', '.join(errors['school_name'])})." if len(errors) else ".")
    )
    by_level = schools["school_level"].value_counts()
    parts = [f"{level} {int(by_level[level])}" for level in LEVEL_ORDER if by_level.get(level)]
    if parts:
        lines.append(f"Kế hoạch đã tổng hợp theo cấp học: {', '.join(parts)}.")
    return lines


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "0%"


def _levels_sentence(schools: pd.DataFrame) -> str:
    now = schools["level_now"]
    return (
        f"{len(schools)} trường lập kế hoạch theo Thông tư 57/2026/TT-BGDĐT: hiện đạt Mức 2 "
        f"{int((now == 2).sum())}, Mức 1 {int((now == 1).sum())}, chưa đạt Mức 1 "
        f"{int((now == 0).sum())}; sau kế hoạch đạt Mức 2 {int((schools['level_after'] == 2).sum())}."
    )


def level_counts(schools: pd.DataFrame) -> list[list[Any]]:
    """Per cấp học: schools, level now (0, 1, 2, unknown), level after (0, 1, 2); then Cộng."""
    rows = []
    for level in [*LEVEL_ORDER, *sorted(set(schools["school_level"]) - set(LEVEL_ORDER))]:
        own = schools[schools["school_level"] == level]
        if own.empty:
            continue
        rows.append([level, *_level_figures(own)])
    rows.append(["Cộng", *_level_figures(schools)])
    return rows


def _level_figures(schools: pd.DataFrame) -> list[int]:
    now, after = schools["level_now"], schools["level_after"]
    return [
        len(schools),
        *(int((now == n).sum()) for n in (0, 1, 2)),
        int(now.isna().sum()),
        *(int((after == n).sum()) for n in (0, 1, 2)),
    ]


def level_table(schools: pd.DataFrame) -> bieu2.Table:
    rows = [bieu2.TableRow("item", [str(v) for v in row]) for row in level_counts(schools)]
    return bieu2.Table("levels", LEVEL_COLUMNS, rows, figures=tuple(range(1, len(LEVEL_COLUMNS))))


def compulsory_rows(schools: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(criterion, schools below Mức 1 in it), criteria in order."""
    by_code: dict[str, list[str]] = {}
    for name, codes in zip(schools["school_name"], schools["compulsory_below"], strict=True):
        for code in filter(None, (c.strip() for c in str(codes or "").split(","))):
            by_code.setdefault(code, []).append(name)
    return sorted(by_code.items(), key=lambda kv: [int(p) for p in kv[0].split(".")])


def compulsory_sentence(schools: pd.DataFrame) -> list[str]:
    count = int((schools["compulsory_below_count"] > 0).sum())
    if not count:
        return ["Không trường nào có tiêu chí bắt buộc chưa đạt Mức 1."]
    return [
        f"{count} trường có tiêu chí bắt buộc chưa đạt Mức 1 (khoản 3 Điều 5: trường chưa đạt "
        "Mức 1 khi còn tiêu chí bắt buộc chưa đạt Mức 1)."
    ]


def compulsory_table(schools: pd.DataFrame) -> bieu2.Table:
    rows = [
        bieu2.TableRow("item", [code, str(len(names)), ", ".join(names)])
        for code, names in compulsory_rows(schools)
    ]
    return bieu2.Table("compulsory", COMPULSORY_COLUMNS, rows, figures=(2,))


def issue_counts(issues: pd.DataFrame) -> list[list[Any]]:
    """Per standard: issues, schools, items, done, overdue; then Cộng."""
    rows = []
    for standard, own in issues.groupby(issues["standard"].fillna(0).astype(int)):
        known = 1 <= standard <= TT57_STANDARDS
        name = f"Tiêu chuẩn {standard}" if known else "Chưa ghi tiêu chuẩn"
        rows.append([name, *_issue_figures(own)])
    rows.append(["Cộng", *_issue_figures(issues)])
    return rows


def _issue_figures(issues: pd.DataFrame) -> list[int]:
    return [
        len(issues),
        int(issues["school_id"].nunique()),
        int(issues["items"].sum()),
        int(issues["done"].sum()),
        int(issues["overdue"].sum()),
    ]


def issue_table(issues: pd.DataFrame) -> bieu2.Table:
    rows = [bieu2.TableRow("item", [str(v) for v in row]) for row in issue_counts(issues)]
    return bieu2.Table("issues", ISSUE_COLUMNS, rows, figures=tuple(range(1, len(ISSUE_COLUMNS))))


def progress_sentence(schools: pd.DataFrame, point: str, at_label: str) -> str:
    total = int(schools["items"].sum())
    parts = [
        f"{int(schools[key].sum())} {STATE_LABELS[key].lower()}" for key in STATES if key in schools
    ]
    when = point or f"đến tháng {at_label}"
    return f"Tiến độ {when}: {total} việc, trong đó {', '.join(parts)}."


def progress_rows(schools: pd.DataFrame) -> list[list[Any]]:
    """Per school: items and each state's count; then Cộng (the sums)."""
    ordered = schools.sort_values(["school_name"], key=lambda s: s.map(str))
    rows = [
        [str(n), row["school_name"], int(row["items"]), *(int(row[k]) for k in STATES)]
        for n, (_, row) in enumerate(ordered.iterrows(), start=1)
    ]
    rows.append(["", "Cộng", int(schools["items"].sum()), *(int(schools[k].sum()) for k in STATES)])
    return rows


def progress_table(schools: pd.DataFrame) -> bieu2.Table:
    rows = [bieu2.TableRow("item", [str(v) for v in row]) for row in progress_rows(schools)]
    return bieu2.Table(
        "progress", PROGRESS_COLUMNS, rows, figures=tuple(range(2, len(PROGRESS_COLUMNS)))
    )


def attention_rows(rollup: Rollup) -> list[tuple[str, str]]:
    """(school, why) for schools with errors, overdue work, a missing review or no plan."""
    reasons: dict[str, list[str]] = {}
    for name, errors in zip(rollup.schools["school_name"], rollup.schools["errors"], strict=True):
        if errors:
            reasons.setdefault(name, []).append(f"kế hoạch còn {int(errors)} lỗi")
    if rollup.tt57 is not None and len(rollup.tt57):
        for _, row in rollup.tt57.schools.iterrows():
            if row["overdue"]:
                reasons.setdefault(row["school_name"], []).append(
                    f"{int(row['overdue'])} việc quá hạn"
                )
            if row["reviews_missing"]:
                reasons.setdefault(row["school_name"], []).append(
                    f"chưa ghi kết quả rà soát {row['reviews_missing'].lower()}"
                )
    if rollup.roster is not None:
        table = rollup.roster.roster
        for name in table[table["state"] == MISSING]["school_name"]:
            reasons.setdefault(name, []).append("chưa nộp kế hoạch")
    return [(name, "; ".join(why)) for name, why in reasons.items()]


def attention_table(rollup: Rollup) -> bieu2.Table:
    rows = [
        bieu2.TableRow("item", [str(n), name, why])
        for n, (name, why) in enumerate(attention_rows(rollup), start=1)
    ]
    return bieu2.Table("attention", ATTENTION_COLUMNS, rows)


def plans_2018(older: pd.DataFrame, rollup: Rollup) -> list[str]:
    """The 2018 plans in their own section, saying which circular."""
    names = {
        "tt17-2018": "Thông tư 17/2018",
        "tt18-2018": "Thông tư 18/2018",
        "tt19-2018": "Thông tư 19/2018",
    }
    counts = older["circular"].value_counts()
    parts = [f"{names.get(c, c)}: {int(n)} trường" for c, n in sorted(counts.items())]
    items = rollup.items
    budget = float(older["budget_total"].sum())
    return [
        f"{len(older)} trường còn kế hoạch lập theo mẫu năm 2018 ({'; '.join(parts)}), với "
        f"{len(items)} việc cải tiến và tổng kinh phí dự kiến {budget:,.0f} đồng.".replace(
            ",", "."
        ),
        "Các trường này cần lập kế hoạch năm học mới theo Thông tư 57/2026/TT-BGDĐT (lệnh "
        "sheetkit next chuyển kế hoạch cũ sang mẫu mới).",
    ]
