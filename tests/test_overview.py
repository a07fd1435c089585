"""Tổng quan, the summary's first sheet, as an officer reads and prints it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

import sheetkit
from conftest import EXAMPLES
from sheetkit.writing import summary
from sheetkit.writing.layout import EXCEL, LIBREOFFICE, text_width

TOP_TITLE = "Tiêu chí được nhiều trường đưa vào kế hoạch nhất (TT2018)"
MONTH_TITLE = "Số việc cải tiến theo tháng hoàn thành (TT2018)"


@pytest.fixture(scope="module")
def rollup():
    return sheetkit.merge([EXAMPLES / "quan-mau"], workers=1)


@pytest.fixture(scope="module")
def written(rollup, tmp_path_factory):
    path = tmp_path_factory.mktemp("tong-hop") / "tong-hop.xlsx"
    sheetkit.write_summary(rollup, path)
    return path


def _table_after(ws, title: str) -> list[tuple]:
    """The rows of the small table under a section title (its header row skipped)."""
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == title)
    rows = []
    for r in range(start + 2, ws.max_row + 1):
        values = tuple(ws.cell(r, c).value for c in range(1, 4))
        if values[0] is None:
            break
        rows.append(values)
    return rows


def _charts(path) -> dict[str, str]:
    """Each chart's XML by its title."""
    with zipfile.ZipFile(path) as z:
        charts = [
            z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)
        ]
    return {re.search(r"<a:t>([^<]*)</a:t>", xml).group(1): xml for xml in charts}


def test_top_criteria_most_first(rollup, written):
    ws = openpyxl.load_workbook(written)["Tổng quan"]
    rows = _table_after(ws, TOP_TITLE)
    counts = [n for _, n, _ in rows]
    assert len(rows) == 15 and counts == sorted(counts, reverse=True)
    expected = rollup.criteria()["planning"].sort_values(ascending=False).head(15).tolist()
    assert counts == expected
    # The bar chart draws its first category at the bottom unless reversed: most stays on top.
    bar = _charts(written)[TOP_TITLE]
    assert '<c:orientation val="maxMin"/>' in bar.split("<c:catAx>")[1].split("</c:catAx>")[0]


def test_wrapped_titles_are_never_cut(written):
    ws = openpyxl.load_workbook(written)["Tổng quan"]
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == TOP_TITLE) + 2
    for row in range(start, start + 15):
        title = ws.cell(row, 3).value
        height = ws.row_dimensions[row].height or 15
        for metrics in (EXCEL, LIBREOFFICE):  # (heights are whole pixels, 0.75 points)
            need = metrics.text_height(title, summary.OVERVIEW_TITLE_WIDTH, 11)
            assert height >= need - 0.75, title


def test_months_on_a_time_axis(rollup, written):
    ws = openpyxl.load_workbook(written)["Tổng quan"]
    months = [m for m, _, _ in _table_after(ws, MONTH_TITLE)]
    assert all(isinstance(m, dt.datetime) and m.day == 1 for m in months)
    assert months == sorted(months) and len(set(months)) == len(months)
    assert months[-1] - months[0] > dt.timedelta(days=365 * 3)  # the district's 5-year plans
    chart = _charts(written)[MONTH_TITLE]
    assert "<c:dateAx>" in chart and "<c:catAx>" not in chart  # spaced by time, not by rank
    assert '<c:majorTimeUnit val="months"/>' in chart
    assert sum(n for _, n, _ in _table_after(ws, MONTH_TITLE)) == rollup.items["end"].notna().sum()


def test_chart_series_named_by_cells_and_titles_fit(written):
    for title, xml in _charts(written).items():
        names = re.findall(r"<c:tx>(.*?)</c:tx>", xml.split("</c:title>")[1])
        assert names and all("<c:strRef>" in n for n in names), title  # not literal text
        size = int(re.search(r'<a:defRPr sz="(\d+)" b="1"', xml).group(1)) / 100
        assert text_width(title, size, bold=True) * 96 / 72 <= summary.CHART_WIDTH_PX - 40


def test_overview_prints_with_its_page_break(written):
    ws = openpyxl.load_workbook(written)["Tổng quan"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # fitting would drop the break
    assert ws.page_setup.scale == summary.OVERVIEW_SCALE
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    titles = {r: ws.cell(r, 1).value for r in range(1, ws.max_row + 1)}

    def first(start: str) -> int:
        return next(r for r, v in titles.items() if str(v).startswith(start))

    # The figures alone on page 1; each regulation's part starts a page, two charts a page.
    tt57, older = first("Kế hoạch theo Thông tư 57"), first("Kế hoạch theo Thông tư 17")
    top, level = first(TOP_TITLE), first("Mức hiện tại và mức cần đạt")
    progress = first("Tiến độ các việc")
    assert len(breaks) == 4
    assert breaks[0] < tt57 < breaks[1] < progress < breaks[2] < older < top < breaks[3] < level


def test_the_tt57_states_part_the_rows_of_quan_mau(written):
    """The officer once read "Chưa bắt đầu 166" beside "chưa ghi 224" for the same rows: the
    states are now disjoint and add up to the number of rows, and no other line counts
    rows without a status."""
    ws = openpyxl.load_workbook(written)["Tổng quan"]
    figures = {
        ws.cell(r, 1).value: ws.cell(r, 2).value
        for r in range(1, 60)
        if isinstance(ws.cell(r, 2).value, int)
    }
    total = figures["Số việc trong kế hoạch (Thông tư 57)"]
    from sheetkit.validators.review import STATE_LABELS

    labels = tuple(STATE_LABELS.values())
    states = {
        label: v for k, v in figures.items() for label in labels if k.startswith(f"    {label}")
    }
    assert list(states) == list(labels) and sum(states.values()) == total == 223
    assert not [k for k in figures if "chưa ghi mức độ" in k.casefold() and "Chưa ghi:" not in k]
