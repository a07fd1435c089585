"""Parsers: what people type, property-tested with hypothesis."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetkit.reading import parsing
from sheetkit.reading.parsing import (
    AmbiguousCriterion,
    ParseError,
    month_index,
    parse_budget,
    parse_criterion,
    parse_level,
    parse_month,
    parse_school_year,
)
from sheetkit.reading.text import clean, fold, label_key, legacy_encoding

months = st.integers(1, 12)
years = st.integers(2000, 2100)


@given(
    months,
    years,
    st.sampled_from(
        [
            "{m}/{y}",
            "{m:02d}/{y}",
            "T{m}/{y}",
            "tháng {m}/{y}",
            "Tháng {m} năm {y}",
            "tháng {m:02d}/{y}",
            "{m}-{y}",
            " {m}/{y} ",
            "th {m}/{y}",
            "{y}-{m:02d}",
        ]
    ),
)
def test_month_text_forms(m, y, form):
    assert parse_month(form.format(m=m, y=y)) == month_index(y, m)


@given(months, years, st.integers(1, 28))
def test_month_from_excel_dates_and_serials(m, y, day):
    date = dt.date(y, m, day)
    assert parse_month(date) == month_index(y, m)
    assert parse_month(dt.datetime(y, m, day, 7, 30)) == month_index(y, m)
    serial = (date - parsing.EXCEL_EPOCH).days
    assert parse_month(float(serial)) == month_index(y, m)


@given(months, years)
def test_month_label_round_trip(m, y):
    assert parse_month(parsing.month_label(month_index(y, m))) == month_index(y, m)


@pytest.mark.parametrize("text", ["13/2024", "0/2024", "Học kỳ 1", "cả năm", "thường xuyên"])
def test_month_not_understood(text):
    with pytest.raises(ParseError):
        parse_month(text)


def test_month_range_in_one_cell_says_so():
    with pytest.raises(ParseError, match="hai mốc"):
        parse_month("Tháng 10/2024 - tháng 05/2025")


@given(
    st.integers(0, 3),
    st.sampled_from(
        [
            "Mức {n}",
            "mức {n}",
            "M{n}",
            "{n}",
            "MỨC {n}",
            "Đạt mức {n} so với hiện tại",
            "Mục tiêu cần đạt: Mức {n}",
        ]
    ),
)
def test_level_forms(n, form):
    text = form.format(n=n)
    if n == 0 and not text.strip().isdigit():
        text = "Không đạt"
    assert parse_level(text) == n


@pytest.mark.parametrize("value", ["Mức 4", "Mức 5", "abc", "Đạt mức 3 so với mức 2 hiện tại", 2.5])
def test_level_rejected(value):
    with pytest.raises(ParseError):
        parse_level(value)


def test_level_numbers_and_blank():
    assert parse_level(2.0) == 2
    assert parse_level(None) is None
    assert parse_level("  ") is None


codes = st.tuples(st.integers(1, 5), st.integers(1, 10))


@given(
    codes,
    st.sampled_from(
        [
            "{a}.{b}",
            "Tiêu chí {a}.{b}",
            "TC {a}.{b}",
            "{a},{b}",
            "tiêu chí {a}.{b}: tên",
            "  {a}.{b} ",
        ]
    ),
)
def test_criterion_text_forms(code, form):
    a, b = code
    assert parse_criterion(form.format(a=a, b=b)) == f"{a}.{b}"


def test_criterion_number_unambiguous_and_ambiguous():
    known = {"1.1", "1.10", "1.2", "5.6"}
    assert parse_criterion(1.2, known) == "1.2"
    with pytest.raises(AmbiguousCriterion):
        parse_criterion(1.1, known)
    assert parse_criterion(1.1, {"1.1", "1.2"}) == "1.1"
    assert parse_criterion("1.10", known) == "1.10"


@pytest.mark.parametrize(
    "value", ["Tiêu chuẩn 1", 3, "abc", True, float("inf"), 1e308, 1e-300, -1.2, 1.00001]
)
def test_criterion_rejected(value):
    with pytest.raises(ParseError):
        parse_criterion(value)


@pytest.mark.parametrize("value", [1e308, float("inf"), 2e15, "1.000.000.000.000.000.000"])
def test_budget_beyond_any_plan_is_refused(value):
    # Sums of such amounts overflow to infinity, which no writer can print.
    with pytest.raises(ParseError, match="quá lớn"):
        parse_budget(value)


@given(st.integers(1, 999_999_999))
def test_budget_amounts_with_vietnamese_separators(amount):
    dotted = f"{amount:,}".replace(",", ".")
    assert parse_budget(dotted).amount == amount
    assert parse_budget(f"{dotted} đồng").amount == amount
    assert parse_budget(f"{dotted}đ").amount == amount
    assert parse_budget(float(amount)).amount == amount


@given(
    st.integers(1, 999),
    st.sampled_from(
        [
            ("triệu", 10**6),
            ("tr", 10**6),
            ("tỷ", 10**9),
            ("tỉ", 10**9),
            ("nghìn", 10**3),
            ("ngàn", 10**3),
        ]
    ),
)
def test_budget_units(n, unit):
    word, factor = unit
    assert parse_budget(f"{n} {word}").amount == n * factor


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,5 tỷ", 1.5e9),
        ("1.5 tỷ", 1.5e9),
        ("10,000,000", 1e7),
        ("1 tỷ 500 triệu", 1.5e9),
        ("500 nghìn đồng", 5e5),
        ("10 triệu (xã hội hóa)", 1e7),
        ("10.000.000 VNĐ", 1e7),
    ],
)
def test_budget_examples(text, amount):
    assert parse_budget(text).amount == amount


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("không", "none"),
        ("Không có", "none"),
        (" Không", "none"),
        (0, "none"),
        ("theo tình hình thực tế", "phrase"),
        ("Tuỳ tình hình thực tế", "phrase"),
        ("Tùy tình hình thực tế", "phrase"),
        ("theo Quy chế chi tiêu nội bộ", "phrase"),
        ("Xã hội hoá", "phrase"),
    ],
)
def test_budget_phrases(text, kind):
    assert parse_budget(text).kind == kind


@pytest.mark.parametrize("text", ["khoảng năm triệu", "abc", "-5", "nhiều"])
def test_budget_not_understood(text):
    with pytest.raises(ParseError):
        parse_budget(text)


@given(
    st.integers(2000, 2099),
    st.sampled_from(["{a}-{b}", "{a} – {b}", "{a}/{b}", "{a} - {b}", "Năm học {a}-{b}", "{a}-{s}"]),
)
def test_school_year_forms(a, form):
    assert parse_school_year(form.format(a=a, b=a + 1, s=str(a + 1)[2:])) == a


@pytest.mark.parametrize("value", ["2024-2026", 2024, "2024", "năm nay"])
def test_school_year_rejected(value):
    with pytest.raises(ParseError):
        parse_school_year(value)


@given(
    st.sampled_from(
        ["Tên trường", "Kế hoạch", "Mức hiện tại", "Công việc/giải pháp cần thực hiện"]
    ),
    st.sampled_from(["NFC", "NFD"]),
    st.booleans(),
    st.integers(0, 3),
)
def test_header_keys_ignore_normal_form_case_and_spaces(label, form, upper, spaces):
    typed = unicodedata.normalize(form, label.upper() if upper else label)
    typed = typed.replace(" ", " " * (spaces + 1)) + " " * spaces
    assert label_key(typed) == label_key(label)


def test_legacy_encodings_detected_and_unicode_left_alone():
    assert legacy_encoding("Tæ chøc c¸c ho¹t ®éng gi¸o dôc") == "TCVN3"
    assert legacy_encoding("Tröôøng Tieåu hoïc Nguyeãn Du") == "VNI"
    for text in [
        "Trường Tiểu học Nguyễn Du",
        "Hiệu trưởng",
        "Café crème",
        "STEM - ROBOTICS",
        "Hà Nội",
    ]:
        assert legacy_encoding(text) is None


def test_clean_shows_whole_numbers_without_point_and_huge_ones_short():
    assert clean(2024.0) == "2024"
    assert clean(123456789012345.0) == "123456789012345"
    assert clean(1e308) == "1e+308"  # not 309 digits in a message or a printed cell
    assert clean(1.5) == "1.5"


@given(st.text())
def test_fold_drops_every_combining_mark(text):
    """The fast path (U+0300-U+036F in one pass) agrees with removing marks one by one."""
    decomposed = unicodedata.normalize("NFD", clean(text).casefold())
    expected = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")
    assert fold(text) == expected


def test_fold_of_vietnamese():
    assert fold("Tuỳ chọn ĐỘI NGŨ") == fold("Tùy chọn đội ngũ") == "tuy chon doi ngu"


@given(st.text())
def test_has_controls_fast_path_agrees_with_the_pattern(text):
    from sheetkit.reading import text as text_module

    assert text_module.has_controls(text) == (text_module._CONTROL.search(text) is not None)


# ----------------------------------------------------------------- Ngày rà soát: a day or a month


@given(months, years, st.sampled_from(["{m}/{y}", "{m:02d}/{y}", "tháng {m}/{y}", "Tháng {m}/{y}"]))
def test_review_date_takes_a_month(m, y, form):
    day = parsing.parse_review_date(form.format(m=m, y=y))
    assert isinstance(day, parsing.MonthOnly) and (day.year, day.month) == (y, m)
    assert parsing.date_label(day) == f"tháng {m}/{y}"


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), st.booleans())
def test_review_date_keeps_a_whole_date(day, padded):
    text = (
        f"{day.day:02d}/{day.month:02d}/{day.year}"
        if padded
        else f"{day.day}/{day.month}/{day.year}"
    )
    parsed = parsing.parse_review_date(text)
    assert parsed == day and not isinstance(parsed, parsing.MonthOnly)
    assert parsing.date_label(parsed) == day.strftime("%d/%m/%Y")


@pytest.mark.parametrize("value", ["31/02/2027", "cuối kỳ", "13/2027"])
def test_review_date_refuses_what_is_neither(value):
    """An impossible day is not quietly read as its month."""
    with pytest.raises(ParseError):
        parsing.parse_review_date(value)
