"""The workbook contract: sheet names and every field, declared once (see design.md).

A field says everything the program needs to know about one label or column:
the Vietnamese header and the aliases readers accept, how the reader parses
it, how the template shows it (width, cell style, dropdown, prompt), which
columns it gives the roll-up's detail table, and which column of the printed
plan its text goes into. Template widths, the reader's parsing, the roll-up's
item fields, the summary's detail table and the printed plan's cells are all
derived from these declarations: adding a column is one entry here (and its
tests).

Readers match labels with ``label_key`` (NFC, case, spaces), then without
diacritics, and accept the listed aliases. Code reads the registry at call
time (``contract.PLAN_COLUMNS``), never a copy taken at import.
"""

from __future__ import annotations

from dataclasses import dataclass

# ----------------------------------------------------------------- sheet names

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_ASSESSMENT = "Tự đánh giá"
SHEET_PLAN = "Kế hoạch"
SHEET_FINDINGS = "Kết quả kiểm tra"  # written by check --annotate and the Excel button
SHEET_RENDERED = "Bản kế hoạch"  # written by render and the Excel button
SHEET_DISTRICT = "Tổng hợp"  # the district workbook's own sheet (tong-hop.xlsm)
SHEET_LISTS = "DanhSach"  # hidden: dropdown lists and the criteria table

# The sheets of the roll-up summary workbook, in order.
SHEET_OVERVIEW = "Tổng quan"
SHEET_SCHOOLS = "Theo trường"
SHEET_CRITERIA = "Theo tiêu chí"
SHEET_MATRIX = "Ma trận"
SHEET_ITEMS = "Chi tiết kế hoạch"
SHEET_PROBLEMS = "Lỗi"
SUMMARY_SHEETS = (
    SHEET_OVERVIEW,
    SHEET_SCHOOLS,
    SHEET_CRITERIA,
    SHEET_MATRIX,
    SHEET_ITEMS,
    SHEET_PROBLEMS,
)


# ----------------------------------------------------------------- declarations


@dataclass(frozen=True)
class SummaryColumn:
    """How a value is shown in a table of the roll-up workbook."""

    label: str
    width: float
    kind: str = "text"  # text | int | money | month | share | level
    wrap: bool = False  # wrapped text; the row is made tall enough to show it


@dataclass(frozen=True)
class Field:
    """One label of Thông tin or one column of a table sheet.

    ``parser`` names how the reader turns the cell into a value (see
    ``reading.reader``); ``None`` means the reader does not read it (a column
    filled by a template formula, such as TT). ``style`` names a cell format
    of the template, ``dropdown`` a defined name holding the allowed values,
    ``prompt`` the (title, message) Excel shows when the cell is selected; a
    ``{circular}`` in a prompt is replaced by the circular's name.
    """

    key: str  # identifier used in code and in findings' "column"
    label: str  # the Vietnamese label or header, as the template writes it
    aliases: tuple[str, ...] = ()
    required: bool = False  # for columns: the table cannot be read without it
    parser: str | None = "text"
    width: float = 14  # template column width, in character units
    style: str = "input"
    derived: bool = False  # shown by a template formula; its content alone is not a row
    hint: str = ""  # Thông tin: what to type, shown beside the cell
    dropdown: str | None = None
    prompt: tuple[str, str] | None = None
    dropdown_error: str | None = None


@dataclass(frozen=True)
class PlanField(Field):
    """A column of the Kế hoạch table: it must also say where it goes in every output.

    ``rollup``: (key, column) pairs this field gives the roll-up's detail
    table (Chi tiết kế hoạch, items.csv), in order; empty when the roll-up
    does not show it. ``printed``: the key of the printed plan's column its
    text goes into (``writing.document.COLUMNS``), or ``None`` when the
    printed plan leaves it out. Both are required so that no column is
    forgotten by a writer without anybody deciding so.
    """

    rollup: tuple[tuple[str, SummaryColumn], ...] = ()
    printed: str | None = None


# ----------------------------------------------------------------- Thông tin

INFO_FIELDS: tuple[Field, ...] = (
    Field(
        "school_name",
        "Tên trường",
        ("Tên đơn vị", "Trường"),
        hint="Bắt buộc. Ví dụ: Trường Tiểu học Nguyễn Thái Bình",
    ),
    Field(
        "school_code",
        "Mã trường",
        ("Mã đơn vị",),
        style="input_text",
        hint="Mã trường do Phòng/Sở GDĐT cấp (nếu có)",
    ),
    Field(
        "school_level",
        "Cấp học",
        ("Cấp",),
        parser="school_level",
        hint="Bắt buộc. Chọn trong danh sách",
        dropdown="DS_CapHoc",
        prompt=("Cấp học", "Chọn cấp học của trường."),
    ),
    Field(
        "district",
        "Quận/huyện",
        ("Quận / huyện", "Quận, huyện", "Quận", "Huyện"),
        hint="Ví dụ: Quận 12, huyện Tân Hiệp",
    ),
    Field(
        "province",
        "Tỉnh/thành phố",
        ("Tỉnh / thành phố", "Tỉnh, thành phố", "Tỉnh"),
        hint="Ví dụ: Thành phố Hồ Chí Minh",
    ),
    Field(
        "school_year",
        "Năm học",
        ("Từ năm học",),
        parser="school_year",
        style="input_text",
        hint="Bắt buộc. Dạng 2024-2025 (năm học bắt đầu của kế hoạch)",
    ),
    Field(
        "end_year",
        "Đến năm học",
        ("Đến hết năm học",),
        parser="school_year",
        style="input_text",
        hint="Chỉ với kế hoạch chu kỳ 5 năm, ví dụ 2028-2029",
    ),
    Field(
        "plan_type",
        "Loại kế hoạch",
        ("Loại",),
        parser="plan_type",
        hint="Bắt buộc. Hằng năm hoặc Chu kỳ 5 năm",
        dropdown="DS_LoaiKeHoach",
        prompt=("Loại kế hoạch", "Hằng năm hoặc Chu kỳ 5 năm."),
    ),
    Field(
        "document_number",
        "Số văn bản",
        ("Số", "Số kế hoạch"),
        style="input_text",
        hint="Ví dụ: 122/KH-HVT",
    ),
    Field("issue_date", "Ngày ban hành", ("Ngày",), parser="date", hint="Ví dụ: 05/9/2024"),
    Field("principal", "Hiệu trưởng", ("Họ tên hiệu trưởng",), hint="Họ và tên hiệu trưởng"),
    Field(
        "goal_level",
        "Mức mục tiêu",
        ("Mức đạt mục tiêu", "Mức phấn đấu"),
        parser="level",
        hint="Mức chất lượng trường phấn đấu đạt: Mức 1, Mức 2 hoặc Mức 3",
        dropdown="DS_MucCanDat",
        prompt=("Mức mục tiêu", "Mức trường phấn đấu đạt."),
    ),
    # Printed above the school name in the official plan; guessed from Quận/huyện when empty.
    Field(
        "governing_body",
        "Cơ quan chủ quản",
        ("Cơ quan quản lý", "Đơn vị chủ quản"),
        hint="Ghi ở đầu bản kế hoạch, ví dụ: UBND phường Bến Thành. Để trống: "
        "Phòng GDĐT của Quận/huyện (Sở GDĐT với trường THPT)",
    ),
)

# ----------------------------------------------------------------- Tự đánh giá

ASSESSMENT_COLUMNS: tuple[Field, ...] = (
    Field(
        "criterion",
        "Mã tiêu chí",
        ("Tiêu chí", "Mã TC"),
        required=True,
        parser="criterion",
        width=11,
        style="code",
    ),
    Field("title", "Tên tiêu chí", ("Nội dung tiêu chí",), width=70, style="formula", derived=True),
    Field(
        "current",
        "Mức hiện tại",
        ("Mức đạt", "Mức đánh giá", "Kết quả tự đánh giá"),
        required=True,
        parser="level",
        width=14,
        style="input_center",
        dropdown="DS_MucDanhGia",
        prompt=("Mức hiện tại", "Chọn mức đã tự đánh giá: Không đạt, Mức 1, Mức 2 hoặc Mức 3."),
    ),
    Field("note", "Ghi chú", width=40),
)

# ----------------------------------------------------------------- Kế hoạch

PLAN_COLUMNS: tuple[PlanField, ...] = (
    PlanField(
        "tt",
        "TT",
        ("STT", "Số TT"),
        parser=None,
        width=5,
        style="formula_center",
        derived=True,
        printed="tt",
    ),
    PlanField(
        "criterion",
        "Mã tiêu chí",
        ("Tiêu chí", "Mã TC"),
        required=True,
        parser="criterion",
        width=9,
        style="input_code",
        dropdown="DS_TieuChi",
        prompt=("Mã tiêu chí", "Chọn mã tiêu chí của {circular} (ví dụ 1.2, 1.10)."),
        dropdown_error="Mã này không có trong {circular}. Hãy chọn trong danh sách thả xuống.",
        rollup=(("criterion", SummaryColumn("Tiêu chí", 8)),),
        printed="criterion",
    ),
    PlanField(
        "title",
        "Tên tiêu chí",
        ("Nội dung tiêu chí",),
        width=26,
        style="formula",
        derived=True,
        rollup=(("criterion_title", SummaryColumn("Tên tiêu chí", 36)),),
        printed="criterion",
    ),
    PlanField(
        "current",
        "Mức hiện tại",
        parser="typed_level",
        width=10,
        style="formula_center",
        derived=True,
        rollup=(("current", SummaryColumn("Mức hiện tại", 11, "level")),),
        printed="result",
    ),
    PlanField(
        "target",
        "Mức cần đạt",
        ("Mức mục tiêu",),
        required=True,
        parser="level",
        width=10,
        style="input_center",
        dropdown="DS_MucCanDat",
        prompt=("Mức cần đạt", "Chọn mức cần đạt: bằng hoặc cao hơn mức hiện tại."),
        rollup=(("target", SummaryColumn("Mức cần đạt", 11, "level")),),
        printed="result",
    ),
    PlanField(
        "result",
        "Kết quả cần đạt",
        ("Kết quả cần đạt (so với hiện trạng)", "Mục tiêu cần đạt"),
        parser="lines",
        width=26,
        rollup=(("result", SummaryColumn("Kết quả cần đạt", 30)),),
        printed="result",
    ),
    PlanField(
        "shortcoming",
        "Hạn chế cần khắc phục",
        ("Hạn chế", "Điểm yếu"),
        parser="lines",
        width=28,
        rollup=(("shortcoming", SummaryColumn("Hạn chế cần khắc phục", 36)),),
        printed="result",
    ),
    PlanField(
        "solution",
        "Công việc/giải pháp cần thực hiện",
        ("Công việc / giải pháp cần thực hiện", "Giải pháp thực hiện", "Giải pháp", "Công việc"),
        required=True,
        parser="lines",
        width=44,
        rollup=(("solution", SummaryColumn("Công việc/giải pháp cần thực hiện", 50)),),
        printed="solution",
    ),
    PlanField(
        "lead",
        "Chủ trì",
        ("Người thực hiện", "Chủ trì thực hiện"),
        required=True,
        parser="lines",
        width=16,
        rollup=(("lead", SummaryColumn("Chủ trì", 18)),),
        printed="people",
    ),
    PlanField(
        "support",
        "Phối hợp",
        ("Phối hợp thực hiện", "Người phối hợp"),
        parser="lines",
        width=18,
        rollup=(("support", SummaryColumn("Phối hợp", 18)),),
        printed="people",
    ),
    PlanField(
        "start",
        "Bắt đầu",
        ("Thời gian bắt đầu", "Thời gian thực hiện"),
        required=True,
        parser="month",
        width=10,
        style="input_code",
        prompt=("Tháng bắt đầu", "Ghi tháng/năm, ví dụ 9/2024. Mỗi ô một tháng."),
        rollup=(("start", SummaryColumn("Bắt đầu", 10, "month")),),
        printed="time",
    ),
    PlanField(
        "end",
        "Hoàn thành",
        ("Thời gian hoàn thành",),
        required=True,
        parser="month",
        width=11,
        style="input_code",
        prompt=("Tháng hoàn thành", "Ghi tháng/năm, ví dụ 5/2025. Mỗi ô một tháng."),
        rollup=(("end", SummaryColumn("Hoàn thành", 11, "month")),),
        printed="time",
    ),
    PlanField(
        "budget",
        "Dự kiến kinh phí",
        ("Kinh phí", "Kinh phí dự kiến"),
        required=True,
        parser="budget",
        width=14,
        style="input_money",
        prompt=(
            "Dự kiến kinh phí",
            "Số tiền (10.000.000 hoặc 10 triệu) hoặc: Không; Theo tình hình thực tế; "
            "Theo quy chế chi tiêu nội bộ; Xã hội hóa.",
        ),
        rollup=(
            ("budget", SummaryColumn("Dự kiến kinh phí", 22)),
            ("budget_amount", SummaryColumn("Kinh phí (đồng)", 16, "money")),
        ),
        printed="budget",
    ),
    PlanField(
        "other_support",
        "Điều kiện hỗ trợ khác",
        ("Điều kiện hỗ trợ", "Nguồn lực khác"),
        parser="lines",
        width=20,
        rollup=(("other_support", SummaryColumn("Điều kiện hỗ trợ khác", 20)),),
        printed="other",
    ),
    PlanField(
        "note",
        "Ghi chú",
        parser="lines",
        width=14,
        rollup=(("note", SummaryColumn("Ghi chú", 20)),),
        printed="note",
    ),
)


# ----------------------------------------------------------------- derived views


def plan_field(key: str) -> PlanField:
    """The Kế hoạch column ``key``."""
    for f in PLAN_COLUMNS:
        if f.key == key:
            return f
    raise KeyError(key)


def plan_text_keys() -> tuple[str, ...]:
    """The Kế hoạch columns that hold the school's free text."""
    return tuple(f.key for f in PLAN_COLUMNS if f.parser == "lines")


def derived_plan_keys() -> frozenset[str]:
    """Columns shown by formulas in the template: they alone do not make a row a plan item."""
    return frozenset(f.key for f in PLAN_COLUMNS if f.derived)


def item_rollup_columns() -> tuple[tuple[str, SummaryColumn], ...]:
    """The plan-item columns of the roll-up's detail table, in the order of Kế hoạch."""
    return tuple(pair for f in PLAN_COLUMNS for pair in f.rollup)


def headers(sheet: str) -> dict[str, str]:
    """Field key -> Vietnamese header of a sheet, as findings name their column."""
    fields = {
        SHEET_INFO: INFO_FIELDS,
        SHEET_ASSESSMENT: ASSESSMENT_COLUMNS,
        SHEET_PLAN: PLAN_COLUMNS,
    }
    found = {f.key: f.label for f in fields.get(sheet, ())}
    if sheet == SHEET_ASSESSMENT:
        found["assessment_current"] = "Mức hiện tại"  # the plan-wide "most levels missing" finding
    return found
