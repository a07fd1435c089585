"""The workbook contract: sheet names, labels and columns (see design.md).

Templates write exactly these names; readers match them with ``label_key``
(NFC, case, spaces), then without diacritics, and accept the listed aliases.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_ASSESSMENT = "Tự đánh giá"
SHEET_PLAN = "Kế hoạch"
SHEET_FINDINGS = "Kết quả kiểm tra"
SHEET_RENDERED = "Bản kế hoạch"
SHEET_DISTRICT = "Tổng hợp"  # the district workbook's own sheet (tong-hop.xlsm)
SHEET_LISTS = "DanhSach"  # hidden: dropdown lists and the criteria table


@dataclass(frozen=True)
class Field:
    key: str  # identifier used in code and in findings' "column"
    label: str  # the Vietnamese label or header, as the template writes it
    aliases: tuple[str, ...] = ()
    required: bool = False  # for columns: the table cannot be read without it


INFO_FIELDS: tuple[Field, ...] = (
    Field("school_name", "Tên trường", ("Tên đơn vị", "Trường")),
    Field("school_code", "Mã trường", ("Mã đơn vị",)),
    Field("school_level", "Cấp học", ("Cấp",)),
    Field("district", "Quận/huyện", ("Quận / huyện", "Quận, huyện", "Quận", "Huyện")),
    Field("province", "Tỉnh/thành phố", ("Tỉnh / thành phố", "Tỉnh, thành phố", "Tỉnh")),
    Field("school_year", "Năm học", ("Từ năm học",)),
    Field("end_year", "Đến năm học", ("Đến hết năm học",)),
    Field("plan_type", "Loại kế hoạch", ("Loại",)),
    Field("document_number", "Số văn bản", ("Số", "Số kế hoạch")),
    Field("issue_date", "Ngày ban hành", ("Ngày",)),
    Field("principal", "Hiệu trưởng", ("Họ tên hiệu trưởng",)),
    Field("goal_level", "Mức mục tiêu", ("Mức đạt mục tiêu", "Mức phấn đấu")),
    # Printed above the school name in the official plan; guessed from Quận/huyện when empty.
    Field("governing_body", "Cơ quan chủ quản", ("Cơ quan quản lý", "Đơn vị chủ quản")),
)

ASSESSMENT_COLUMNS: tuple[Field, ...] = (
    Field("criterion", "Mã tiêu chí", ("Tiêu chí", "Mã TC"), required=True),
    Field("title", "Tên tiêu chí", ("Nội dung tiêu chí",)),
    Field("current", "Mức hiện tại", ("Mức đạt", "Mức đánh giá", "Kết quả tự đánh giá"), True),
    Field("note", "Ghi chú"),
)

PLAN_COLUMNS: tuple[Field, ...] = (
    Field("tt", "TT", ("STT", "Số TT")),
    Field("criterion", "Mã tiêu chí", ("Tiêu chí", "Mã TC"), required=True),
    Field("title", "Tên tiêu chí", ("Nội dung tiêu chí",)),
    Field("current", "Mức hiện tại"),
    Field("target", "Mức cần đạt", ("Mức mục tiêu",), required=True),
    Field("result", "Kết quả cần đạt", ("Kết quả cần đạt (so với hiện trạng)", "Mục tiêu cần đạt")),
    Field("shortcoming", "Hạn chế cần khắc phục", ("Hạn chế", "Điểm yếu")),
    Field(
        "solution",
        "Công việc/giải pháp cần thực hiện",
        ("Công việc / giải pháp cần thực hiện", "Giải pháp thực hiện", "Giải pháp", "Công việc"),
        required=True,
    ),
    Field("lead", "Chủ trì", ("Người thực hiện", "Chủ trì thực hiện"), required=True),
    Field("support", "Phối hợp", ("Phối hợp thực hiện", "Người phối hợp")),
    Field("start", "Bắt đầu", ("Thời gian bắt đầu", "Thời gian thực hiện"), required=True),
    Field("end", "Hoàn thành", ("Thời gian hoàn thành",), required=True),
    Field("budget", "Dự kiến kinh phí", ("Kinh phí", "Kinh phí dự kiến"), required=True),
    Field("other_support", "Điều kiện hỗ trợ khác", ("Điều kiện hỗ trợ", "Nguồn lực khác")),
    Field("note", "Ghi chú"),
)

# Columns whose content is shown by formulas in the template: a row is not a
# plan item just because these show something.
PLAN_DERIVED = {"tt", "title", "current"}

# The input columns of a plan row that hold free text from the school.
PLAN_TEXT = ("result", "shortcoming", "solution", "lead", "support", "other_support", "note")
