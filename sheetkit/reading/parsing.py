"""Parsers for what people type in plan cells.

Each parser takes a raw cell value (str, int, float, date, datetime or None)
and returns the parsed value, ``None`` for an empty cell, or raises
``ParseError`` whose message (Vietnamese) says what was not understood.
They are pure and never see a workbook, so they are property-tested on their own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from .text import clean, fold


class ParseError(ValueError):
    """A value that was typed but not understood; ``str(err)`` is for the user."""


class AmbiguousCriterion(ParseError):
    """A number such as 1.1 that may be criterion 1.1 or 1.10."""


_PANDAS_MISSING = ("NAType", "NaTType")  # pd.NA, pd.NaT: named, so parsing needs no pandas


def is_blank(value: object) -> bool:
    """No value: None, an empty or all-space text, NaN, pandas' NA or NaT.

    The one test of "nothing here" for cells, table values and findings.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in _PANDAS_MISSING


# --------------------------------------------------------------------------- months
# A month is an int: year * 12 + (month - 1). Comparable, vectorisable, cheap.

EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 2000, 2100
# Excel serial numbers of the first and last day of those years.
MIN_SERIAL = (dt.date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days
MAX_SERIAL = (dt.date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days


def month_index(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ParseError(f"tháng {month} không có (tháng phải từ 1 đến 12)")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(f"năm {year} không hợp lý")
    return year * 12 + month - 1


def month_label(index: int) -> str:
    """9/2024: the way the plan document writes a month."""
    year, month0 = divmod(int(index), 12)
    return f"{month0 + 1}/{year}"


def month_year(index: int) -> tuple[int, int]:
    year, month0 = divmod(int(index), 12)
    return year, month0 + 1


_YEAR = r"(\d{4}|\d{2})"
_MONTH_PATTERNS = [
    # tháng 9/2024, T9/2024, th 9-2024, 09/2024, tháng 9 năm 2024, 9.2024
    re.compile(
        r"^(?:thang|th|t)?\s*\.?\s*(\d{1,2})\s*(?:[/.\-,]|nam)\s*(?:nam\s*)?" + _YEAR + r"$"
    ),
    # ngày 5 tháng 9 năm 2024, 05/09/2024, 5-9-2024
    re.compile(r"^(?:ngay\s*)?\d{1,2}\s*(?:[/.\-]|thang)\s*(\d{1,2})\s*(?:[/.\-]|nam)\s*(\d{4})$"),
]
_ISO_MONTH = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?$")
_RANGE = re.compile(
    r"\d\s*(?:-|–|—|đến|den|toi)\s*(?:thang|th|t)?\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\s*$"
)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_month(value: object) -> int | None:
    """A start or completion month: 9/2024, T9/2024, tháng 9 năm 2024, a date."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return month_index(value.year, value.month)
    if isinstance(value, dt.date):
        return month_index(value.year, value.month)
    if isinstance(value, bool):
        raise ParseError("không phải tháng/năm")
    if isinstance(value, (int, float)):
        return _month_from_number(float(value))
    text = fold(value)
    text = text.replace("–", "-").replace("—", "-")
    text = re.sub(r"^(?:tu|bat dau|bat dau tu|den|hoan thanh)\s+", "", text)
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            return month_index(_year(match.group(2)), int(match.group(1)))
    match = _ISO_MONTH.match(text)
    if match:
        return month_index(int(match.group(1)), int(match.group(2)))
    if _RANGE.search(text):
        raise ParseError("ô có hai mốc thời gian; mỗi ô chỉ ghi một tháng")
    raise ParseError("không hiểu tháng/năm")


def _month_from_number(number: float) -> int:
    # An Excel serial date (a date cell read without its format).
    if MIN_SERIAL <= number <= MAX_SERIAL and number.is_integer():
        day = EXCEL_EPOCH + dt.timedelta(days=int(number))
        return month_index(day.year, day.month)
    # 9.2024 typed into a General cell becomes this number.
    text = f"{number:.6f}".rstrip("0")
    match = re.fullmatch(r"(\d{1,2})\.(\d{4})", text)
    if match:
        return month_index(int(match.group(2)), int(match.group(1)))
    raise ParseError("không hiểu tháng/năm")


# --------------------------------------------------------------------------- levels

LEVEL_NAMES = {0: "Không đạt", 1: "Mức 1", 2: "Mức 2", 3: "Mức 3"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LEVEL_MENTION = re.compile(r"\b(?:muc|m|level)\s*\.?\s*(\d|iv|iii|ii|i)\b")


def level_label(level: int | None) -> str:
    return "" if level is None else LEVEL_NAMES.get(int(level), str(level))


def parse_level(value: object) -> int | None:
    """A criterion level: Không đạt (0), Mức 1, mức 2, M3, "2", the number 2."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError("không phải một mức")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return _check_level(int(value))
        raise ParseError("không phải một mức")
    text = fold(value).strip(" .;:")
    if text in {"khong dat", "chua dat", "kd"}:
        return 0
    if text.isdigit():
        return _check_level(int(text))
    mentions = {m if m.isdigit() else str(_ROMAN[m]) for m in _LEVEL_MENTION.findall(text)}
    if len(mentions) == 1:
        return _check_level(int(mentions.pop()))
    if len(mentions) > 1:
        raise ParseError("ô nhắc tới nhiều mức khác nhau; chỉ chọn một mức")
    raise ParseError("không hiểu mức")


def _check_level(level: int) -> int:
    if level == 4:
        raise ParseError("Mức 4 chỉ đánh giá cho cả trường, không dùng cho từng tiêu chí")
    if not 0 <= level <= 3:
        raise ParseError(f"không có mức {level} (chỉ có Không đạt, Mức 1, Mức 2, Mức 3)")
    return level


# --------------------------------------------------------------------------- criteria

_CRITERION = re.compile(
    r"^(?:tieu chi|tieu chi so|tc|t\.c)?\s*\.?\s*(\d{1,2})\s*[.,]\s*(\d{1,2})(?!\d)"
)


def parse_criterion(value: object, known_codes: set[str] | None = None) -> str | None:
    """A criterion code as text: "1.2", "Tiêu chí 1.2", "TC 1.2", "1,2", 1.2.

    A number like 1.1 may be "1.1" or "1.10" that Excel turned into a number;
    when both codes exist (or we cannot tell) it is reported, never guessed.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError("không phải mã tiêu chí")
    if isinstance(value, (int, float)):
        return _criterion_from_number(float(value), known_codes)
    text = fold(value)
    match = _CRITERION.match(text)
    if not match:
        if re.match(r"^(?:tieu chuan|tc)\s*\d+\s*$", text) or re.fullmatch(r"\d+", text):
            raise ParseError("đây là số tiêu chuẩn, chưa có số tiêu chí (ví dụ 1.2)")
        raise ParseError("không hiểu mã tiêu chí (mã có dạng 1.2 hoặc 1.10)")
    return f"{int(match.group(1))}.{int(match.group(2))}"


def _criterion_from_number(number: float, known_codes: set[str] | None) -> str:
    if not 1 <= number < 1000:  # 1e308, infinity, 1e-300: no criterion code reads so
        raise ParseError("không hiểu mã tiêu chí (mã có dạng 1.2 hoặc 1.10)")
    if number.is_integer():
        raise ParseError("đây là số tiêu chuẩn, chưa có số tiêu chí (ví dụ 1.2)")
    text = f"{number:.4f}".rstrip("0")
    major, minor = text.split(".")
    if not minor:  # 1.00001: a whole number to four places
        raise ParseError("đây là số tiêu chuẩn, chưa có số tiêu chí (ví dụ 1.2)")
    code = f"{int(major)}.{int(minor)}"
    if len(minor) == 1:
        longer = f"{int(major)}.{int(minor)}0"
        if known_codes is None or longer in known_codes:
            raise AmbiguousCriterion(
                f"ô là con số {text} nên không rõ là tiêu chí {code} hay {longer} "
                "(Excel đổi '1.10' thành số 1.1); chọn mã từ danh sách"
            )
    return code


# --------------------------------------------------------------------------- budgets


@dataclass(frozen=True)
class Budget:
    """A parsed budget cell: an amount in VND, or a known phrase (amount None)."""

    kind: str  # "amount" | "none" | "phrase"
    amount: float | None
    label: str  # display text: "10.000.000", "Không", "Theo quy chế chi tiêu nội bộ"


# Folded phrase -> display label. "none" phrases mean no money is needed.
_NONE_PHRASES = {
    "khong",
    "khong co",
    "khong can",
    "khong phat sinh",
    "khong dong",
    "0",
    "0 dong",
    "-",
    "/",
    "x",
}
_PHRASES = {
    "theo tinh hinh thuc te": "Theo tình hình thực tế",
    "tuy tinh hinh thuc te": "Theo tình hình thực tế",
    "tuy theo tinh hinh thuc te": "Theo tình hình thực tế",
    "theo thuc te": "Theo tình hình thực tế",
    "theo nhu cau thuc te": "Theo tình hình thực tế",
    "quy che chi tieu noi bo": "Theo quy chế chi tiêu nội bộ",
    "xa hoi hoa": "Xã hội hóa",
    "ngan sach": "Ngân sách",
    "kinh phi chi thuong xuyen": "Ngân sách",
    "kinh phi nha truong": "Ngân sách",
    "nguon kinh phi cua nha truong": "Ngân sách",
    "tai tro": "Tài trợ",
    "cha me hoc sinh": "Cha mẹ học sinh hỗ trợ",
    "chua xac dinh": "Chưa xác định",
    "du toan": "Theo dự toán",
    "theo du toan": "Theo dự toán",
}
_PHRASE_PATTERNS = sorted(_PHRASES, key=len, reverse=True)

_UNITS = {
    "ty": 1e9,
    "ti": 1e9,
    "trieu": 1e6,
    "tr": 1e6,
    "nghin": 1e3,
    "ngan": 1e3,
    "k": 1e3,
}
_CURRENCY = r"(?:dong|d|vnd|vnđ)"
_NUMBER = r"\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_PART = re.compile(r"\s*(" + _NUMBER + r")(?!\d)\s*(?:(ty|ti|trieu|tr|nghin|ngan|k)(?![a-z]))?\.?")
_CURRENCY_TAIL = re.compile(r"\s*" + _CURRENCY + r"(?![a-z])\.?")


def parse_number(text: str) -> float:
    """A number written the Vietnamese way (10.000.000; 1,5) or the English way."""
    text = text.replace(" ", "")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(text.replace(thousands, "").replace(decimal, "."))
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(text)
    count = dots or commas
    if count > 1 or re.fullmatch(r"\d{1,3}[.,]\d{3}", text):
        return float(text.replace(sep, ""))
    return float(text.replace(sep, "."))


def format_amount(amount: float) -> str:
    """10.000.000: Vietnamese thousands separators."""
    whole = f"{round(amount):,}".replace(",", ".")
    return whole


def _phrase(folded: str) -> str | None:
    for key in _PHRASE_PATTERNS:
        if re.search(r"(?<![a-z])" + re.escape(key) + r"(?![a-z])", folded):
            return _PHRASES[key]
    return None


def parse_budget(value: object) -> Budget | None:
    """Dự kiến kinh phí: 10.000.000, 10 triệu, 1,5 tỷ, 500 nghìn đồng, or a known phrase."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError("không hiểu kinh phí")
    if isinstance(value, (int, float)):
        if value < 0 or math.isnan(value):
            raise ParseError("kinh phí không được âm")
        if value == 0:
            return Budget("none", 0.0, "Không")
        return _amount(float(value))
    raw = clean(value)
    folded = fold(raw).strip(" .;")
    if folded in _NONE_PHRASES:
        return Budget("none", 0.0, "Không")
    amount, rest = _amount_prefix(folded)
    if amount is not None:
        rest = rest.strip(" ()[],;:-.")
        if not rest or _phrase(rest) or rest in {"nam", "/nam", "moi nam", "/ nam"}:
            if amount == 0:
                return Budget("none", 0.0, "Không")
            return _amount(amount)
    phrase = _phrase(folded)
    if phrase:
        return Budget("phrase", None, raw)
    raise ParseError(
        "không hiểu kinh phí; ghi số tiền (ví dụ 10.000.000 hoặc 10 triệu) "
        "hoặc một cụm như 'Không', 'Theo quy chế chi tiêu nội bộ', 'Xã hội hóa'"
    )


# More than any school could budget for one item (1 triệu tỷ đồng); beyond it (1e308,
# infinity) a number is a typing slip, and sums of it would overflow.
MAX_BUDGET = 1e15


def _amount(amount: float) -> Budget:
    if not amount <= MAX_BUDGET:
        raise ParseError("số tiền quá lớn để là kinh phí của một việc; hãy kiểm tra lại số tiền")
    return Budget("amount", amount, format_amount(amount))


def _amount_prefix(text: str) -> tuple[float | None, str]:
    """Sum of "number [unit]" parts at the start of text, then the rest."""
    total, pos, parts = 0.0, 0, 0
    while True:
        match = _PART.match(text, pos)
        if not match:
            break
        try:
            number = parse_number(match.group(1))
        except ValueError:
            break
        unit = match.group(2)
        total += number * (_UNITS[unit] if unit else 1)
        pos = match.end()
        parts += 1
        if not unit:
            break
    if not parts:
        return None, text
    tail = _CURRENCY_TAIL.match(text, pos)
    if tail:
        pos = tail.end()
    return total, text[pos:]


# --------------------------------------------------------------------------- school years

_SCHOOL_YEAR = re.compile(r"(\d{4})\s*(?:-|–|—|/|den)\s*(\d{4}|\d{2})\b")


def parse_school_year(value: object) -> int | None:
    """A school year "2024-2025" (also "2024 – 2025", "2024/2025"); returns 2024."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, bool)):
        raise ParseError("năm học ghi dạng 2024-2025")
    if isinstance(value, (int, float)):
        raise ParseError("năm học ghi dạng 2024-2025 (năm đầu - năm sau)")
    text = fold(value).replace("nam hoc", " ").strip()
    matches = _SCHOOL_YEAR.findall(text)
    if len(matches) != 1:
        raise ParseError("năm học ghi dạng 2024-2025")
    start = int(matches[0][0])
    end_text = matches[0][1]
    if len(end_text) == 2:  # "2024-25"; "2099-00" crosses the century
        end = start + 1 if int(end_text) == (start + 1) % 100 else int(end_text)
    else:
        end = int(end_text)
    if end != start + 1:
        raise ParseError(f"năm học {start}-{end} không liền nhau (phải là {start}-{start + 1})")
    if not MIN_YEAR <= start <= MAX_YEAR:
        raise ParseError(f"năm {start} không hợp lý")
    return start


def school_year_label(start: int | None) -> str:
    return "" if start is None else f"{start}-{start + 1}"


# --------------------------------------------------------------------------- choices


def parse_choice(value: object, choices: dict[str, str]) -> str | None:
    """One of a fixed list, matched without diacritics: {folded alias: canonical}."""
    if is_blank(value):
        return None
    key = " ".join(fold(value).replace("&", " & ").split())
    if key in choices:
        return choices[key]
    raise ParseError("không có trong danh sách")


SCHOOL_LEVEL_CHOICES = {
    "mam non": "Mầm non",
    "truong mam non": "Mầm non",
    "mau giao": "Mầm non",
    "nha tre": "Mầm non",
    "tieu hoc": "Tiểu học",
    "truong tieu hoc": "Tiểu học",
    "th": "Tiểu học",
    "thcs": "THCS",
    "trung hoc co so": "THCS",
    "thpt": "THPT",
    "trung hoc pho thong": "THPT",
    "pho thong nhieu cap hoc": "Phổ thông nhiều cấp học",
    "pho thong co nhieu cap hoc": "Phổ thông nhiều cấp học",
    "nhieu cap hoc": "Phổ thông nhiều cấp học",
    "lien cap": "Phổ thông nhiều cấp học",
    "th & thcs": "Phổ thông nhiều cấp học",
    "th-thcs": "Phổ thông nhiều cấp học",
    "thcs & thpt": "Phổ thông nhiều cấp học",
    "thcs-thpt": "Phổ thông nhiều cấp học",
    "th, thcs & thpt": "Phổ thông nhiều cấp học",
}

PLAN_TYPES = ("Hằng năm", "Chu kỳ 5 năm")
PLAN_TYPE_CHOICES = {
    "hang nam": "Hằng năm",
    "nam hoc": "Hằng năm",
    "1 nam": "Hằng năm",
    "mot nam": "Hằng năm",
    "chu ky 5 nam": "Chu kỳ 5 năm",
    "chu ky": "Chu kỳ 5 năm",
    "5 nam": "Chu kỳ 5 năm",
    "theo chu ky": "Chu kỳ 5 năm",
    "theo chu ky 5 nam": "Chu kỳ 5 năm",
    "giai doan 5 nam": "Chu kỳ 5 năm",
}


_DATE = re.compile(r"(\d{1,2})\s*(?:[/.\-]|thang)\s*(\d{1,2})\s*(?:[/.\-]|nam)\s*(\d{4})")


def parse_date(value: object) -> dt.date | None:
    """Ngày ban hành: a date cell, 05/9/2024, or "ngày 05 tháng 9 năm 2024"."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if MIN_SERIAL <= value <= MAX_SERIAL:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ParseError("không hiểu ngày")
    text = fold(value)
    match = _DATE.search(text)
    if not match:
        raise ParseError("không hiểu ngày (ghi dạng 05/9/2024)")
    try:
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError as err:
        raise ParseError("ngày không có thật") from err


class MonthOnly(dt.date):
    """A date known to its month only ("1/2027" in Ngày rà soát): the month's first day,
    which ``date_label`` shows as the month the school wrote."""


def parse_review_date(value: object) -> dt.date | None:
    """Ngày rà soát: a date (15/01/2027), or a month ("1/2027", "tháng 1/2027") as a MonthOnly.

    A review is often recorded by its month; asking for a day the school does not know only
    makes it type one.
    """
    try:
        return parse_date(value)
    except ParseError:
        if isinstance(value, str) and _DATE.search(fold(value)):
            raise  # a day that does not exist (31/02/2027) is not read as its month
    try:
        month = parse_month(value)
    except ParseError as err:
        raise ParseError("không hiểu ngày (ghi dạng 15/01/2027, hoặc tháng: 1/2027)") from err
    year, number = month_year(month)
    return MonthOnly(year, number, 1)


def date_label(day: dt.date) -> str:
    """ "15/01/2027"; a MonthOnly as the month: "tháng 1/2027"."""
    if isinstance(day, MonthOnly):
        return f"tháng {day.month}/{day.year}"
    return day.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- Thông tư 57/2026

LEVEL_NAMES_TT57 = {0: "Không đạt Mức 1", 1: "Mức 1", 2: "Mức 2"}


def parse_level_tt57(value: object) -> int | None:
    """A TT57 criterion level: Không đạt Mức 1 (0), Mức 1, Mức 2 ("Đạt Mức 1", "M2", 2).

    TT57 has two levels; "Mức 3" (a 2018 level) is refused with that reason.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError("không phải một mức")
    text = "" if isinstance(value, (int, float)) else fold(value).strip(" .;:")
    if text.startswith(("khong dat", "chua dat")) or text == "kd":
        return 0
    try:
        level = parse_level(value)
    except ParseError as err:
        raise ParseError(
            f"{err}; Thông tư 57 chỉ có Không đạt Mức 1, Mức 1 và Mức 2"
            if "không hiểu" not in str(err)
            else "không hiểu mức (chọn Không đạt Mức 1, Mức 1 hoặc Mức 2)"
        ) from err
    if level == 3:
        raise ParseError("Thông tư 57/2026 chỉ có Mức 1 và Mức 2, không có Mức 3")
    return level


_NUMBER_ONLY = re.compile(r"^(?:van de|vd|v\.d|so|tt|stt)?\s*\.?\s*(\d{1,3})\s*\.?$")


def parse_ordinal(value: object) -> int | None:
    """A small whole number typed as 1, "1", "Vấn đề 1", "VĐ1" (the TT of a priority issue)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError("không phải một số thứ tự")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 0 < value < 1000:
            return int(value)
        raise ParseError("ghi số thứ tự là một số nguyên, ví dụ 1")
    match = _NUMBER_ONLY.match(fold(value))
    if not match:
        raise ParseError("ghi số thứ tự là một số nguyên, ví dụ 1")
    return int(match.group(1))


_STANDARD = re.compile(r"^(?:tieu chuan|tc)?\s*\.?\s*(\d{1,2})(?:\s*[:.\-–]\s*.*)?$")


def parse_standard(value: object) -> int | None:
    """A standard number: 2, "2", "Tiêu chuẩn 2", "Tiêu chuẩn 2: Phát triển đội ngũ"."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        raise ParseError("ghi số tiêu chuẩn (1, 2, 3 hoặc 4), không ghi mã tiêu chí")
    match = _STANDARD.match(fold(value))
    if not match:
        raise ParseError("ghi số tiêu chuẩn, ví dụ 2 hoặc Tiêu chuẩn 2")
    return int(match.group(1))


_CODE = re.compile(r"(?<![\d.])(\d{1,2})\s*[.,]\s*(\d{1,2})(?![\d])")


def parse_criteria(value: object, known_codes: set[str] | None = None) -> tuple[str, ...] | None:
    """A list of criterion codes: "1.3, 1.4", "Tiêu chí 1.3 và 1.4", "1.3; 2.1", or one code."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (parse_criterion(value, known_codes),)
    text = fold(value)
    codes = tuple(dict.fromkeys(f"{int(a)}.{int(b)}" for a, b in _CODE.findall(text)))
    rest = _CODE.sub(" ", text)
    rest = re.sub(r"tieu chi|va|,|;|/|&|\+|-|\s", "", rest)
    if not codes or rest:
        raise ParseError("ghi mã tiêu chí cách nhau dấu phẩy, ví dụ 1.3, 1.4")
    return codes


# Evidence codes (Phụ lục IV): MC.<standard>.<criterion>.<NN>; 2018 plans wrote [H1-1.1-01].
_EVIDENCE = re.compile(r"\bMC\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,3})\b", re.I)
_EVIDENCE_LIKE = re.compile(r"\bMC[\s.]*[\d.]+", re.I)
_EVIDENCE_2018 = re.compile(
    r"\[?\s*H\s*(\d{1,2})\s*[-.]\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*[-.]\s*(\d{1,3})\s*\]?", re.I
)


@dataclass(frozen=True)
class Evidence:
    """Evidence codes found in Minh chứng dự kiến (the text itself is kept as typed)."""

    codes: tuple[str, ...]  # well-formed: "MC.1.4.01"
    old: tuple[tuple[str, str], ...]  # 2018 codes and their TT57 form: ("[H1-1.4-01]", "MC.1.4.01")
    malformed: tuple[str, ...]  # "MC.1.4.1": a code that is not MC.x.y.zz


def parse_evidence(value: object) -> Evidence | None:
    """The evidence codes in a cell: MC.x.y.zz; old [Hn-x.y-zz] codes with their new form."""
    if is_blank(value):
        return None
    text = clean(value)
    codes, malformed = [], []
    for match in _EVIDENCE_LIKE.finditer(text):
        found = _EVIDENCE.match(text, match.start())
        if found and len(found.group(3)) == 2:
            codes.append(f"MC.{int(found.group(1))}.{int(found.group(2))}.{found.group(3)}")
        else:
            malformed.append(match.group(0).strip(" .,;)"))
    old = tuple(
        (m.group(0).strip(), f"MC.{int(m.group(2))}.{int(m.group(3))}.{int(m.group(4)):02d}")
        for m in _EVIDENCE_2018.finditer(text)
    )
    return Evidence(tuple(codes), old, tuple(malformed))


def evidence_label(code: str) -> str:
    """How the plan prints evidence codes: in round brackets, "(MC.1.1.01)"."""
    return f"({code})"


PROGRESS_ALIASES = {
    "chua thuc hien": "Chưa thực hiện",
    "chua bat dau": "Chưa thực hiện",
    "dang thuc hien": "Đang thực hiện",
    "dang trien khai": "Đang thực hiện",
    "hoan thanh": "Hoàn thành",
    "da hoan thanh": "Hoàn thành",
    "xong": "Hoàn thành",
    "cham tien do": "Chậm tiến độ",
    "cham": "Chậm tiến độ",
    "khong thuc hien": "Không thực hiện",
    "chua hoan thanh": "Chậm tiến độ",
}


def parse_progress(value: object) -> str | None:
    """Mức độ thực hiện: one of the offered values, or ParseError for free text.

    "Đang thực hiện - 40%" counts as Đang thực hiện: a note after a dash or
    in brackets is allowed. Free text is kept by the reader and warned about.
    """
    if is_blank(value):
        return None
    key = " ".join(re.split(r"[-–(:,;]", fold(value))[0].split())
    if key in PROGRESS_ALIASES:
        return PROGRESS_ALIASES[key]
    raise ParseError(
        "không có trong danh sách (Chưa thực hiện, Đang thực hiện, Hoàn thành, "
        "Chậm tiến độ, Không thực hiện)"
    )


_CIRCULAR = re.compile(r"(\d{1,3})\s*/\s*(\d{4})")


def parse_circular(value: object) -> str | None:
    """The circular a workbook says it follows: "Thông tư 57/2026/TT-BGDĐT" -> "tt57"."""
    if is_blank(value):
        return None
    match = _CIRCULAR.search(fold(value))
    if match and match.group(2) == "2026" and match.group(1) == "57":
        return "tt57"
    if match and match.group(2) == "2018" and match.group(1) in {"17", "18", "19"}:
        return "2018"
    raise ParseError(
        "sheetkit chỉ biết Thông tư 57/2026/TT-BGDĐT và Thông tư 17, 18, 19/2018/TT-BGDĐT"
    )


# TT57 also covers continuing-education centres (GDTX); the 2018 circulars do not.
SCHOOL_LEVEL_CHOICES_TT57 = {
    **SCHOOL_LEVEL_CHOICES,
    "gdtx": "GDTX",
    "giao duc thuong xuyen": "GDTX",
    "trung tam gdtx": "GDTX",
    "trung tam gdnn-gdtx": "GDTX",
    "trung tam gdnn - gdtx": "GDTX",
    "gdnn-gdtx": "GDTX",
    "trung tam giao duc nghe nghiep - giao duc thuong xuyen": "GDTX",
    "co so giao duc thuong xuyen": "GDTX",
}


@dataclass(frozen=True)
class Province:
    """A provincial unit since 01/7/2025 and the provinces merged into it."""

    name: str  # "An Giang"
    kind: str  # "Tỉnh" | "Thành phố"
    merged: tuple[str, ...] = ()  # "Kiên Giang"

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


def parse_province(value: object, provinces: tuple[Province, ...]) -> str | None:
    """One of the 34 provincial units, as "Tỉnh An Giang" / "Thành phố Hồ Chí Minh".

    "TP.HCM", "Hà Nội", "tỉnh an giang" are understood; a province merged in
    2025 ("Kiên Giang") is refused with the unit it now belongs to.
    """
    if is_blank(value):
        return None
    key = fold(value).replace(".", " ").replace("-", " ")
    key = re.sub(r"^(?:tinh|thanh pho|tp)\s+", "", " ".join(key.split()))
    key = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh"}.get(key, key)
    for province in provinces:
        if key == " ".join(fold(province.name).replace("-", " ").split()):
            return province.full_name
    for province in provinces:
        for old in province.merged:
            if key == " ".join(fold(old).replace("-", " ").split()):
                raise ParseError(
                    f"{old} đã hợp nhất vào {province.full_name} từ năm 2025; "
                    f"chọn {province.full_name}"
                )
    raise ParseError("không phải một trong 34 tỉnh, thành phố (từ 01/7/2025)")
