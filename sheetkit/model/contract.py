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
time (``contract.PLAN_COLUMNS``, ``tables(layout)``), never a copy taken at
import.

There are two layouts: the 2018 circulars' workbook (Thông tin, Tự đánh giá,
Kế hoạch) and Thông tư 57/2026's (Thông tin, Tự đánh giá, Vấn đề trọng tâm,
Kế hoạch, Theo dõi: the tables IV, V and VI of Biểu 2).
"""

from __future__ import annotations

from dataclasses import dataclass

# ----------------------------------------------------------------- sheet names

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_ASSESSMENT = "Tự đánh giá"
SHEET_PLAN = "Kế hoạch"
SHEET_ISSUES = "Vấn đề trọng tâm"  # TT57 table IV
SHEET_REVIEWS = "Theo dõi"  # TT57 table VI
SHEET_FINDINGS = "Kết quả kiểm tra"  # written by check --annotate and the Excel button
SHEET_RENDERED = "Bản kế hoạch"  # written by render and the Excel button
SHEET_DISTRICT = "Tổng hợp"  # the district workbook's own sheet (tong-hop.xlsm)
SHEET_LISTS = "DanhSach"  # hidden: dropdown lists and the criteria table

# The sheets of the roll-up summary workbook, in order. Each regulation's own
# sheets say which one they cover ("TT57 ...", "TT2018 ..."); a workbook holds
# those of the regulations its plans follow.
SHEET_OVERVIEW = "Tổng quan"
SHEET_ROSTER_STATUS = "Tình hình nộp"  # merge --roster: each listed school, handed in or not
SHEET_BODY_REPORT = "Báo cáo"  # merge --report: the report sent upward, printable
SHEET_SCHOOLS = "Theo trường"
SHEET_TT57_SCHOOLS = "TT57 Mức đạt và tiến độ"
SHEET_TT57_CRITERIA = "TT57 Theo tiêu chí"
SHEET_TT57_ISSUES = "TT57 Vấn đề trọng tâm"
SHEET_TT57_ITEMS = "TT57 Chi tiết kế hoạch"
SHEET_CRITERIA = "TT2018 Theo tiêu chí"
SHEET_MATRIX = "Ma trận"
SHEET_ITEMS = "TT2018 Chi tiết kế hoạch"
SHEET_PROBLEMS = "Lỗi"
SUMMARY_SHEETS = (
    SHEET_OVERVIEW,
    SHEET_ROSTER_STATUS,
    SHEET_BODY_REPORT,
    SHEET_SCHOOLS,
    SHEET_TT57_SCHOOLS,
    SHEET_TT57_CRITERIA,
    SHEET_TT57_ISSUES,
    SHEET_TT57_ITEMS,
    SHEET_CRITERIA,
    SHEET_MATRIX,
    SHEET_ITEMS,
    SHEET_PROBLEMS,
)
# Sheets only some runs write: with a list of schools (--roster), with a report (--report).
OPTIONAL_SUMMARY_SHEETS = (SHEET_ROSTER_STATUS, SHEET_BODY_REPORT)
# Names earlier versions gave (a district workbook updated by the button drops them too).
SUMMARY_SHEETS_BEFORE = ("Theo tiêu chí", "Chi tiết kế hoạch")


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
    in_template: bool = True  # False: read when a workbook has it, never written by templates
    strict: bool = True  # a dropdown refuses other values (False: warns, accepts)


@dataclass(frozen=True)
class Table:
    """A table sheet of a layout: its rows become ``Plan.records[key]``."""

    key: str  # "assessment", "items", and under TT57 "issues", "reviews"
    sheet: str
    fields: tuple[Field, ...]


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


def _section(key: str, label: str, aliases: tuple[str, ...], hint: str) -> Field:
    """A Thông tin cell holding a section of the printed plan: lines of text, one per paragraph."""
    return Field(key, label, aliases, parser="lines", style="input_long", hint=hint)


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
        hint="Mã trường trên cơ sở dữ liệu ngành (nếu có)",
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
    # Printed above the school name in the official plan; when empty, guessed from Quận/huyện
    # only on a plan dated before 01/7/2025 (Plan.managing_body).
    Field(
        "governing_body",
        "Cơ quan chủ quản",
        ("Cơ quan quản lý", "Đơn vị chủ quản"),
        hint="Ghi ở đầu bản kế hoạch, ví dụ: UBND phường Bến Thành (trường THPT: Sở GDĐT). "
        "Từ 01/7/2025 không ghi quận, huyện",
    ),
    # The text around the table of the printed plan, pre-filled by the template (optional:
    # a workbook made before these lines prints the table alone).
    _section(
        "legal_bases",
        "Căn cứ xây dựng kế hoạch",
        ("Căn cứ", "I. Căn cứ xây dựng kế hoạch"),
        "Mục I của bản kế hoạch, mỗi văn bản một dòng (Alt+Enter): sửa, bổ sung văn bản của "
        "địa phương và kế hoạch năm học của trường",
    ),
    _section(
        "purpose",
        "Mục đích, yêu cầu",
        ("II. Mục đích, yêu cầu",),
        "Mục II của bản kế hoạch: nội dung mẫu, nhà trường sửa cho phù hợp",
    ),
    _section(
        "organisation",
        "Tổ chức thực hiện",
        ("IV. Tổ chức thực hiện",),
        "Mục IV, in sau bảng kế hoạch: nhiệm vụ của hiệu trưởng, Hội đồng tự đánh giá, các "
        "tổ, bộ phận",
    ),
    # Since 01/7/2025 schools belong to a xã/phường: read when a 2018 workbook has the line.
    Field(
        "commune",
        "Xã/phường/đặc khu",
        ("Xã / phường / đặc khu", "Xã, phường, đặc khu", "Xã/phường", "Phường/xã"),
        in_template=False,
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
        rollup=(("criterion_title", SummaryColumn("Tên tiêu chí", 36, wrap=True)),),
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
        rollup=(("result", SummaryColumn("Kết quả cần đạt", 30, wrap=True)),),
        printed="result",
    ),
    PlanField(
        "shortcoming",
        "Hạn chế cần khắc phục",
        ("Hạn chế", "Điểm yếu"),
        parser="lines",
        width=28,
        rollup=(("shortcoming", SummaryColumn("Hạn chế cần khắc phục", 36, wrap=True)),),
        printed="result",
    ),
    PlanField(
        "solution",
        "Công việc/giải pháp cần thực hiện",
        ("Công việc / giải pháp cần thực hiện", "Giải pháp thực hiện", "Giải pháp", "Công việc"),
        required=True,
        parser="lines",
        width=44,
        rollup=(("solution", SummaryColumn("Công việc/giải pháp cần thực hiện", 50, wrap=True)),),
        printed="solution",
    ),
    PlanField(
        "lead",
        "Chủ trì",
        ("Người thực hiện", "Chủ trì thực hiện"),
        required=True,
        parser="lines",
        width=16,
        rollup=(("lead", SummaryColumn("Chủ trì", 18, wrap=True)),),
        printed="people",
    ),
    PlanField(
        "support",
        "Phối hợp",
        ("Phối hợp thực hiện", "Người phối hợp"),
        parser="lines",
        width=18,
        rollup=(("support", SummaryColumn("Phối hợp", 18, wrap=True)),),
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
            ("budget", SummaryColumn("Dự kiến kinh phí", 22, wrap=True)),
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
        rollup=(("other_support", SummaryColumn("Điều kiện hỗ trợ khác", 20, wrap=True)),),
        printed="other",
    ),
    PlanField(
        "note",
        "Ghi chú",
        parser="lines",
        width=14,
        rollup=(("note", SummaryColumn("Ghi chú", 20, wrap=True)),),
        printed="note",
    ),
)


# ----------------------------------------------------------------- Thông tư 57/2026

LAYOUT_2018, LAYOUT_TT57 = "2018", "tt57"

TT57_CIRCULAR_TEXT = "Thông tư 57/2026/TT-BGDĐT"
# The first school year planned under Thông tư 57 (a 2018 layout for it is an error).
FIRST_TT57_YEAR = 2026

INFO_FIELDS_TT57: tuple[Field, ...] = (
    Field(
        "school_name",
        "Tên trường",
        ("Tên cơ sở giáo dục", "Tên đơn vị", "Trường"),
        hint="Bắt buộc. Ví dụ: Trường Mầm non Hoa Sen",
    ),
    Field(
        "school_code",
        "Mã trường",
        ("Mã đơn vị",),
        style="input_text",
        hint="Mã trường trên cơ sở dữ liệu ngành (nếu có)",
    ),
    Field(
        "school_level",
        "Loại hình / Cấp học",
        ("Loại hình, cấp học", "Cấp học", "Loại hình"),
        parser="school_level",
        hint="Bắt buộc. Chọn trong danh sách. Mẫu đã có bộ tiêu chí theo loại hình: trường khác "
        "loại hình hãy lấy mẫu tương ứng",
        dropdown="DS_CapHoc",
        prompt=("Loại hình / Cấp học", "Chọn loại hình, cấp học của cơ sở giáo dục."),
    ),
    Field("address", "Địa chỉ", hint="Số nhà, đường, xã/phường, tỉnh/thành phố"),
    Field(
        "province",
        "Tỉnh/thành phố",
        ("Tỉnh / thành phố", "Tỉnh, thành phố", "Tỉnh"),
        parser="province",
        hint="Chọn một trong 34 tỉnh, thành phố (sau sắp xếp năm 2025)",
        dropdown="DS_Tinh",
        prompt=("Tỉnh/thành phố", "Chọn tỉnh, thành phố theo đơn vị hành chính từ 01/7/2025."),
    ),
    Field(
        "commune",
        "Xã/phường/đặc khu",
        ("Xã / phường / đặc khu", "Xã, phường, đặc khu", "Xã/phường", "Phường/xã", "Xã", "Phường"),
        hint="Ví dụ: Phường Bến Thành, Xã Yên Thành",
    ),
    Field(
        "governing_body",
        "Cơ quan chủ quản",
        ("Cơ quan quản lý", "Đơn vị chủ quản"),
        hint="In ở đầu bản kế hoạch",
    ),
    Field(
        "school_year",
        "Năm học",
        parser="school_year",
        style="input_text",
        hint="Bắt buộc. Dạng 2026-2027",
    ),
    Field(
        "document_number",
        "Số văn bản",
        ("Số", "Số kế hoạch"),
        style="input_text",
        hint="Ví dụ: 45/KH-MNHS",
    ),
    Field(
        "issue_date",
        "Ngày ban hành",
        ("Ngày",),
        parser="date",
        style="input_text",  # typed 5/9/2026 stays 5 September on any Windows locale
        hint="Ví dụ: 15/9/2026",
    ),
    Field(
        "principal",
        "Hiệu trưởng",
        ("Họ tên hiệu trưởng", "Giám đốc", "Người đứng đầu"),
        hint="Họ và tên người ký (trung tâm GDTX: giám đốc)",
    ),
    Field(
        "circular",
        "Thông tư",
        ("Thông tư áp dụng", "Văn bản áp dụng"),
        parser="circular",
        style="formula",
        hint="Không sửa: mẫu này theo Thông tư 57/2026/TT-BGDĐT",
    ),
    _section(
        "legal_bases",
        "Căn cứ xây dựng kế hoạch",
        ("Căn cứ", "II. Căn cứ xây dựng kế hoạch"),
        "Mục II của kế hoạch: sửa năm học và bổ sung văn bản của địa phương (nếu có)",
    ),
    _section(
        "purpose",
        "Mục đích, yêu cầu",
        ("III. Mục đích, yêu cầu",),
        "Mục III: nội dung theo mẫu Biểu 2, nhà trường có thể điều chỉnh",
    ),
    _section(
        "organisation",
        "Tổ chức thực hiện",
        ("VII. Tổ chức thực hiện",),
        "Mục VII: nhiệm vụ của người đứng đầu, Hội đồng tự đánh giá, các tổ, bộ phận",
    ),
    _section(
        "reporting",
        "Cơ chế đánh giá và báo cáo",
        ("VIII. Cơ chế đánh giá và báo cáo",),
        "Mục VIII: rà soát ít nhất 02 lần trong năm học",
    ),
)

LEVEL_PROMPT_TT57 = "Chọn: Không đạt Mức 1, Mức 1 hoặc Mức 2 (Thông tư 57 chỉ có hai mức)."

ASSESSMENT_COLUMNS_TT57: tuple[Field, ...] = (
    Field("standard", "Tiêu chuẩn", parser=None, width=6, style="formula_center", derived=True),
    Field(
        "criterion",
        "Mã tiêu chí",
        ("Tiêu chí", "Mã TC"),
        required=True,
        parser="criterion",
        width=7,
        style="code",
    ),
    Field("title", "Tên tiêu chí", ("Nội dung tiêu chí",), width=26, style="formula", derived=True),
    Field(
        "compulsory",
        "Bắt buộc",
        ("Tiêu chí bắt buộc",),
        parser=None,
        width=7,
        style="formula_center",
        derived=True,
    ),
    Field(
        "current",
        "Mức hiện tại",
        ("Mức đạt", "Mức đánh giá", "Kết quả tự đánh giá"),
        required=True,
        parser="level_tt57",
        width=13,
        style="input_center",
        dropdown="DS_MucDanhGia",
        prompt=("Mức hiện tại", LEVEL_PROMPT_TT57),
    ),
    Field(
        "target",
        "Mức cần đạt",
        ("Mức mục tiêu", "Mức phấn đấu"),
        parser="level_tt57",
        width=11,
        style="input_center",
        dropdown="DS_MucCanDat",
        prompt=(
            "Mức cần đạt",
            "Mức tiêu chí cần đạt sau kế hoạch, cao hơn mức hiện tại. Tiêu chí đã đạt Mức 2: "
            "để trống.",
        ),
    ),
    Field("requirement_1", "Yêu cầu Mức 1", width=40, style="formula", derived=True),
    Field("requirement_2", "Yêu cầu Mức 2", width=40, style="formula", derived=True),
    Field("note", "Ghi chú", width=14),
)

ISSUE_COLUMNS: tuple[Field, ...] = (
    Field(
        "tt", "TT", ("STT", "Số TT"), parser="number", width=5, style="formula_center", derived=True
    ),
    Field(
        "standard",
        "Tiêu chuẩn",
        required=True,
        parser="standard",
        width=10,
        style="input_center",
        dropdown="DS_TieuChuan",
        prompt=("Tiêu chuẩn", "Chọn số tiêu chuẩn (1 đến 4) của vấn đề."),
    ),
    Field(
        "criteria",
        "Tiêu chí liên quan",
        ("Tiêu chí liên quan (nếu có)", "Tiêu chí"),
        parser="criteria",
        width=12,
        style="input_code",
        prompt=("Tiêu chí liên quan", "Mã tiêu chí, nhiều mã cách nhau dấu phẩy: 1.3, 1.4"),
    ),
    Field("situation", "Đánh giá hiện trạng", parser="lines", width=40),
    Field(
        "shortcoming",
        "Điểm hạn chế",
        ("Hạn chế", "Điểm hạn chế trọng tâm"),
        required=True,
        parser="lines",
        width=40,
    ),
    Field(
        "cause",
        "Nguyên nhân",
        ("Nguyên nhân của hạn chế", "Nguyên nhân cốt lõi"),
        parser="lines",
        width=36,
    ),
)

PLAN_COLUMNS_TT57: tuple[PlanField, ...] = (
    PlanField(
        "tt",
        "TT",
        ("STT", "Số TT"),
        parser=None,
        width=4,
        style="formula_center",
        derived=True,
        printed="tt",
    ),
    PlanField(
        "issue",
        "Vấn đề",
        ("Vấn đề trọng tâm", "TT vấn đề"),
        required=True,
        parser="number",
        width=6,
        style="input_center",
        dropdown="DS_VanDe",
        prompt=("Vấn đề", "Chọn số TT của vấn đề trọng tâm (trang Vấn đề trọng tâm)."),
        dropdown_error="Số này không có ở trang Vấn đề trọng tâm. Hãy chọn trong danh sách.",
        rollup=(("issue", SummaryColumn("Vấn đề số", 8, "int")),),
        printed="content",
    ),
    PlanField(
        "criterion",
        "Tiêu chí",
        ("Mã tiêu chí", "Tiêu chí liên quan"),
        parser="criterion",
        width=6,
        style="input_code",
        dropdown="DS_TieuChi",
        prompt=("Tiêu chí", "Mã tiêu chí liên quan (nếu có), ví dụ 1.4."),
        dropdown_error="Mã này không có trong {circular}. Hãy chọn trong danh sách thả xuống.",
        rollup=(("criterion", SummaryColumn("Tiêu chí", 8)),),
        printed="content",
    ),
    PlanField(
        "content",
        "Nội dung cải tiến",
        ("Nội dung",),
        required=True,
        parser="lines",
        width=16,
        rollup=(("content", SummaryColumn("Nội dung cải tiến", 36, wrap=True)),),
        printed="content",
    ),
    PlanField(
        "objective",
        "Mục tiêu cải tiến",
        ("Mục tiêu",),
        parser="lines",
        width=16,
        rollup=(("objective", SummaryColumn("Mục tiêu cải tiến", 30, wrap=True)),),
        printed="objective",
    ),
    PlanField(
        "activities",
        "Hoạt động/giải pháp",
        ("Hoạt động / giải pháp", "Hoạt động, giải pháp", "Giải pháp", "Hoạt động"),
        required=True,
        parser="lines",
        width=28,
        rollup=(("activities", SummaryColumn("Hoạt động/giải pháp", 44, wrap=True)),),
        printed="activities",
    ),
    PlanField(
        "indicator",
        "Chỉ số đánh giá kết quả",
        ("Chỉ số đánh giá", "Chỉ số"),
        parser="lines",
        width=17,
        rollup=(("indicator", SummaryColumn("Chỉ số đánh giá kết quả", 30, wrap=True)),),
        printed="indicator",
    ),
    PlanField(
        "start",
        "Bắt đầu",
        ("Thời gian bắt đầu",),
        required=True,
        parser="month",
        width=8.5,
        style="input_code",
        prompt=("Tháng bắt đầu", "Ghi tháng/năm, ví dụ 9/2026. Mỗi ô một tháng."),
        rollup=(("start", SummaryColumn("Bắt đầu", 10, "month")),),
        printed="time",
    ),
    PlanField(
        "end",
        "Hoàn thành",
        ("Thời gian hoàn thành", "Kết thúc"),
        required=True,
        parser="month",
        width=8.5,
        style="input_code",
        prompt=("Tháng hoàn thành", "Ghi tháng/năm, ví dụ 12/2026. Mỗi ô một tháng."),
        rollup=(("end", SummaryColumn("Hoàn thành", 10, "month")),),
        printed="time",
    ),
    PlanField(
        "owner",
        "Đơn vị/cá nhân phụ trách",
        ("Đơn vị / cá nhân phụ trách", "Phụ trách", "Người phụ trách"),
        parser="lines",
        width=14,
        rollup=(("owner", SummaryColumn("Đơn vị/cá nhân phụ trách", 24, wrap=True)),),
        printed="owner",
    ),
    PlanField(
        "resources",
        "Nguồn lực bảo đảm",
        ("Nguồn lực",),
        parser="lines",
        width=14,
        rollup=(("resources", SummaryColumn("Nguồn lực bảo đảm", 30, wrap=True)),),
        printed="resources",
    ),
    PlanField(
        "evidence",
        "Minh chứng dự kiến",
        ("Thông tin, dữ liệu hoặc minh chứng dự kiến", "Minh chứng"),
        parser="evidence",
        width=12,
        rollup=(("evidence", SummaryColumn("Minh chứng dự kiến", 24, wrap=True)),),
        printed="evidence",
    ),
    PlanField(
        "progress",
        "Mức độ thực hiện",
        ("Tiến độ", "Tình trạng thực hiện"),
        parser="progress",
        width=11,
        style="input_center",
        dropdown="DS_MucDoThucHien",
        prompt=(
            "Mức độ thực hiện",
            "Ghi khi rà soát (cuối học kỳ I, cuối năm học): chọn trong danh sách.",
        ),
        dropdown_error="Nên chọn một mức trong danh sách; vẫn có thể ghi khác (sheetkit sẽ nhắc).",
        strict=False,
        rollup=(  # what the school wrote, and the state the roll-up computes from it
            ("status", SummaryColumn("Mức độ thực hiện (trường ghi)", 16, wrap=True)),
            ("state", SummaryColumn("Tình trạng", 14, wrap=True)),
        ),
        printed="progress",
    ),
    PlanField(
        "note",
        "Ghi chú",
        parser="lines",
        width=10,
        rollup=(("note", SummaryColumn("Ghi chú", 24, wrap=True)),),
        printed=None,
    ),
)

REVIEW_COLUMNS: tuple[Field, ...] = (
    Field(
        "when",
        "Thời điểm",
        ("Thời điểm theo dõi", "Lần rà soát"),
        required=True,
        parser="lines",
        width=16,
        style="input",
    ),
    # A day or only a month ("1/2027"): reviews are often recorded by their month. A text
    # cell, so Excel keeps "1/2027" as typed instead of turning it into 01/01/2027.
    Field(
        "date",
        "Ngày",
        ("Ngày rà soát", "Ngày đánh giá"),
        parser="review_date",
        style="input_text",
        width=12,
    ),
    Field("content", "Nội dung theo dõi", ("Nội dung",), parser="lines", width=40),
    Field("result", "Kết quả thực hiện", ("Kết quả",), parser="lines", width=40),
    Field("adjustment", "Điều chỉnh", ("Điều chỉnh (nếu có)",), parser="lines", width=30),
    Field("reviewer", "Người đánh giá", ("Người theo dõi",), parser="lines", width=20),
)

# The review points every TT57 plan has (mục VIII, table VI): pre-filled rows of Theo dõi.
REVIEW_POINTS = ("Cuối học kỳ I", "Cuối năm học")
# Mức độ thực hiện: no official list; these are offered, free text is accepted with a warning.
PROGRESS_CHOICES = (
    "Chưa thực hiện",
    "Đang thực hiện",
    "Hoàn thành",
    "Chậm tiến độ",
    "Không thực hiện",
)


# ----------------------------------------------------------------- derived views


def info_fields(layout: str = LAYOUT_2018) -> tuple[Field, ...]:
    """The Thông tin labels of a layout."""
    return INFO_FIELDS_TT57 if layout == LAYOUT_TT57 else INFO_FIELDS


def tables(layout: str = LAYOUT_2018) -> tuple[Table, ...]:
    """The table sheets of a layout, in workbook order."""
    if layout == LAYOUT_TT57:
        return (
            Table("assessment", SHEET_ASSESSMENT, ASSESSMENT_COLUMNS_TT57),
            Table("issues", SHEET_ISSUES, ISSUE_COLUMNS),
            Table("items", SHEET_PLAN, PLAN_COLUMNS_TT57),
            Table("reviews", SHEET_REVIEWS, REVIEW_COLUMNS),
        )
    return (
        Table("assessment", SHEET_ASSESSMENT, ASSESSMENT_COLUMNS),
        Table("items", SHEET_PLAN, PLAN_COLUMNS),
    )


def plan_columns(layout: str = LAYOUT_2018) -> tuple[PlanField, ...]:
    return PLAN_COLUMNS_TT57 if layout == LAYOUT_TT57 else PLAN_COLUMNS


def item_rollup_columns(layout: str = LAYOUT_2018) -> tuple[tuple[str, SummaryColumn], ...]:
    """The plan-item columns of the roll-up's detail table, in the order of Kế hoạch."""
    return tuple(pair for f in plan_columns(layout) for pair in f.rollup)


def headers(sheet: str, layout: str = LAYOUT_2018) -> dict[str, str]:
    """Field key -> Vietnamese header of a sheet, as findings name their column."""
    fields = {SHEET_INFO: info_fields(layout)}
    fields.update((t.sheet, t.fields) for t in tables(layout))
    found = {f.key: f.label for f in fields.get(sheet, ())}
    if sheet == SHEET_ASSESSMENT:
        found["assessment_current"] = "Mức hiện tại"  # the plan-wide "most levels missing" finding
    return found
