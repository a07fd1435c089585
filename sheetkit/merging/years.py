"""School years of a roll-up: the year most plans cover, and the plans of another year.

A plan covers its Năm học; a five-year plan every year to its Đến năm học.
Tổng quan names the plans of another year, and the list of schools counts a
school that sent only such a plan as "Nộp bản năm học khác": one rule for both.
"""

from __future__ import annotations

import pandas as pd

from ..reading.parsing import month_label, school_year_label


def _first_year(label: str) -> int | None:
    return int(label[:4]) if isinstance(label, str) and label[:4].isdigit() else None


def other_years(schools: pd.DataFrame) -> tuple[str, pd.Series]:
    """(the school year most plans cover, True for each plan that does not cover it).

    A plan covers its Năm học; a five-year plan every year to its Đến năm học, so a
    2024-2029 plan is not "another year" in a 2026-2027 roll-up. Ties go to the later year;
    plans without a year are not marked. No plan, or all of one year: ("", all False).
    """
    ends = schools["end_year"] if "end_year" in schools else [None] * len(schools)
    spans = [
        span(first_label, end_label)
        for first_label, end_label in zip(schools["school_year"], ends, strict=True)
    ]
    counts: dict[int, int] = {}
    for years in spans:
        for year in range(years[0], years[1] + 1) if years else ():
            counts[year] = counts.get(year, 0) + 1
    if not counts:
        return "", pd.Series(False, index=schools.index)
    year = max(counts, key=lambda y: (counts[y], y))
    other = [years is not None and not years[0] <= year <= years[1] for years in spans]
    return school_year_label(year), pd.Series(other, index=schools.index, dtype=bool)


def span(first_label: object, end_label: object) -> tuple[int, int] | None:
    """(first, last) school year a plan covers, by their starting years; None without a year."""
    first = _first_year(first_label)
    if first is None:
        return None
    last = _first_year(end_label) or first
    return first, max(first, last)


def covers(first_label: object, end_label: object, year: str) -> bool:
    """A plan of ``first_label`` (to ``end_label``) covers the school year ``year``."""
    years, wanted = span(first_label, end_label), _first_year(year)
    return years is not None and wanted is not None and years[0] <= wanted <= years[1]


# The review points of a school year (Biểu 2, mục VI), by the month progress is judged at.
TERM_END, YEAR_END = "term", "year"
REVIEW_MONTHS = {**dict.fromkeys((12, 1, 2), TERM_END), **dict.fromkeys((5, 6, 7, 8), YEAR_END)}


def review_round(at: int | None) -> str | None:
    """TERM_END (December to February), YEAR_END (May to August), or None (no review point)."""
    return REVIEW_MONTHS.get(at % 12 + 1) if at is not None else None


def review_point(at: int | None) -> str:
    """What a report's title adds: "đến hết học kỳ I", "đến hết năm học", or the month."""
    if at is None:
        return ""
    words = {TERM_END: "đến hết học kỳ I", YEAR_END: "đến hết năm học"}
    return words.get(review_round(at), f"đến tháng {month_label(at)}")


def round_label(year: str, at: int | None) -> str:
    """The round an officer collects, named by the month progress is judged at.

    The plan itself (September to November, or no month), the review at the end of
    học kỳ I (December to February), the review at the end of the year (May to August).
    """
    if not year:
        return ""
    point = review_round(at)
    if point == TERM_END:
        return f"Rà soát cuối học kỳ I, năm học {year}"
    if point == YEAR_END:
        return f"Rà soát cuối năm học {year}"
    if at is not None and at % 12 + 1 in (3, 4):
        return f"Kế hoạch năm học {year} (tiến độ đến tháng {month_label(at)})"
    return f"Kế hoạch năm học {year}"
