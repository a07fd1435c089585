"""Every rule sheetkit checks, in one place.

How to read a rule:
    id        a stable name, used in JSON output and in tests
    severity  "error" (the plan must be fixed), "warning" (worth a look),
              "info" (for the record)
    table     what the rule looks at: "info" (one row per plan: the Thông tin
              sheet and plan-wide facts), "assessment" (rows of Tự đánh giá),
              "items" (rows of Kế hoạch), "legacy" (cells in an old encoding),
              "structure" (found while reading: missing sheets/headers) or
              "file" (a roll-up's files: unreadable, duplicate, skipped; their
              reasons are worded in validators/files.py)
    sheet     the sheet the finding points at
    column    the field whose cell the finding points at
    ok        a test over the table's columns, True where the row is fine
    message   what the user reads (Vietnamese): the problem, then what to do.
              Words in {braces} are filled from the row: {value} is what the
              user typed, {error} what the reader could not understand in it.

The columns a rule can use are listed in ``validators/schemas.py``. Thresholds
that decide a rule (how many missing levels make "mostly missing") are
declared here too; validators/titles.py holds the criterion-title rule.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from sheetkit.model.contract import FIRST_TT57_YEAR
from sheetkit.model.contract import SHEET_ASSESSMENT as ASSESSMENT_SHEET
from sheetkit.model.contract import SHEET_INFO as INFO_SHEET
from sheetkit.model.contract import SHEET_ISSUES as ISSUES_SHEET
from sheetkit.model.contract import SHEET_PLAN as PLAN_SHEET
from sheetkit.model.contract import SHEET_REVIEWS as REVIEWS_SHEET
from sheetkit.validators.school_level import LEVEL_1

ERROR, WARNING, INFO = "error", "warning", "info"

# More than this share of Tự đánh giá rows without a level is one finding for the
# plan (assessment.current_mostly_missing), not one per row.
MOSTLY_MISSING_SHARE = 0.5
# Thông tư 57: a plan whose rows and issues touch this many of the 15 criteria is not a plan
# of priority issues (Biểu 2, mục III.2.b) but a plan of everything.
NEARLY_ALL_CRITERIA = 12
# Said of a plan dated from 01/7/2025 whose managing body is unknown or a district's.
MANAGING_BODY_MESSAGE = (
    "{body_problem} Từ 01/7/2025 không còn Phòng GDĐT, quận, huyện: trường mầm non, tiểu học, "
    "THCS thuộc UBND xã, phường, đặc khu; trường THPT và trung tâm GDTX thuộc Sở GDĐT. Ghi "
    "vào {body_cells}. Đến khi đó bản kế hoạch {body_printed}."
)


class MessageError(KeyError):
    """A message placeholder with no value, or an empty one: a rule that would print a hole."""


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with each {placeholder} replaced by its value, shown as people read it.

    A placeholder that has no value, or an empty one, raises ``MessageError``:
    a message must never read "chưa đúng: ." because a fact was missing.
    Whole numbers print without ".0"; a huge one as 1e+308, not 309 digits.
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if name not in values:
            raise MessageError(f"{template!r}: no value for {{{name}}}")
        text = _shown(values[name])
        if not text:
            raise MessageError(f"{template!r}: {{{name}}} is empty")
        out.append(text)
    return "".join(out)


def _shown(value: object) -> str:
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:  # past Excel's 15 digits: 1e+308
            return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    table: str
    sheet: str
    column: str | None
    message: str
    ok: Callable[[pd.DataFrame], pd.Series] | None = None
    value: str | None = None  # the column shown as "what was typed" (default: <column>_raw)

    def message_for(self, values: Mapping[str, object]) -> str:
        """The message with the facts of one failing row filled in (see ``fill``)."""
        return fill(self.message, values)


def blank(s: pd.Series) -> pd.Series:
    return s.isna()


def given(s: pd.Series) -> pd.Series:
    return s.notna()


RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------ structure
    Rule(
        "structure.missing_sheet",
        ERROR,
        "structure",
        "",
        None,
        "Không có trang tính '{sheet}'. Hãy dùng đúng mẫu kế hoạch của sheetkit "
        "(lệnh 'sheetkit template') hoặc đổi tên trang tính cho đúng là '{sheet}'.",
    ),
    Rule(
        "structure.missing_header",
        ERROR,
        "structure",
        "",
        None,
        "Trang '{sheet}' thiếu cột: {value}. Hãy giữ nguyên dòng tiêu đề của mẫu "
        "(không xóa hay đổi tên các cột này) rồi kiểm tra lại.",
    ),
    Rule(
        "structure.mixed_layouts",
        ERROR,
        "structure",
        "",
        None,
        "Sổ này trộn hai mẫu: trang Kế hoạch hoặc các trang có cột của cả mẫu Thông tư "
        "57/2026 và mẫu 2018. sheetkit đọc theo {value}. Hãy chép nội dung sang một mẫu "
        "mới (lệnh 'sheetkit template') cho đúng một loại rồi kiểm tra lại.",
    ),
    Rule(
        "info.circular_unknown",
        ERROR,
        "structure",
        INFO_SHEET,
        "circular",
        "Dòng Thông tư ghi '{value}': sheetkit chỉ biết Thông tư 57/2026/TT-BGDĐT (mẫu mới) và "
        "Thông tư 17, 18, 19/2018/TT-BGDĐT. Ghi lại đúng số thông tư, hoặc tạo mẫu mới bằng "
        "lệnh 'sheetkit template'.",
    ),
    # ------------------------------------------------------------ Thông tin
    Rule(
        "info.school_name_missing",
        ERROR,
        "info",
        INFO_SHEET,
        "school_name",
        "Chưa ghi tên trường. Nhập tên trường vào ô bên cạnh nhãn 'Tên trường'.",
        ok=lambda t: given(t.school_name),
    ),
    Rule(
        "info.school_level_missing",
        ERROR,
        "info",
        INFO_SHEET,
        "school_level",
        "Chưa chọn cấp học. Chọn một cấp học trong danh sách (Mầm non, Tiểu học, THCS, "
        "THPT, Phổ thông nhiều cấp học); cấp học quyết định bộ tiêu chí được kiểm tra.",
        ok=lambda t: given(t.school_level_raw),
    ),
    Rule(
        "info.school_level_invalid",
        ERROR,
        "info",
        INFO_SHEET,
        "school_level",
        "Cấp học '{value}' không có trong danh sách. Chọn Mầm non, Tiểu học, THCS, THPT "
        "hoặc Phổ thông nhiều cấp học (trường TH&THCS chọn 'Phổ thông nhiều cấp học').",
        ok=lambda t: blank(t.school_level_error),
    ),
    Rule(
        "info.school_year_missing",
        ERROR,
        "info",
        INFO_SHEET,
        "school_year",
        "Chưa ghi năm học. Nhập năm học dạng 2024-2025.",
        ok=lambda t: given(t.school_year_raw),
    ),
    Rule(
        "info.school_year_invalid",
        ERROR,
        "info",
        INFO_SHEET,
        "school_year",
        "Năm học '{value}' chưa đúng: {error}. Nhập dạng 2024-2025.",
        ok=lambda t: blank(t.school_year_error),
    ),
    Rule(
        "info.plan_type_missing",
        ERROR,
        "info",
        INFO_SHEET,
        "plan_type",
        "Chưa chọn loại kế hoạch. Chọn 'Hằng năm' hoặc 'Chu kỳ 5 năm'.",
        ok=lambda t: given(t.plan_type_raw),
    ),
    Rule(
        "info.plan_type_invalid",
        ERROR,
        "info",
        INFO_SHEET,
        "plan_type",
        "Loại kế hoạch '{value}' không có trong danh sách. Chọn 'Hằng năm' hoặc 'Chu kỳ 5 năm'.",
        ok=lambda t: blank(t.plan_type_error),
    ),
    Rule(
        "info.end_year_missing",
        ERROR,
        "info",
        INFO_SHEET,
        "end_year",
        "Kế hoạch chu kỳ 5 năm cần ghi 'Đến năm học' (ví dụ 2028-2029).",
        ok=lambda t: ~(t.is_cycle & blank(t.end_year_raw)),
    ),
    Rule(
        "info.end_year_invalid",
        ERROR,
        "info",
        INFO_SHEET,
        "end_year",
        "'Đến năm học' là '{value}': {error}. Nhập dạng 2028-2029.",
        ok=lambda t: blank(t.end_year_error),
    ),
    Rule(
        "info.end_year_before_start",
        ERROR,
        "info",
        INFO_SHEET,
        "end_year",
        "'Đến năm học' ({value}) không được trước năm học bắt đầu ({school_year_label}). "
        "Sửa lại một trong hai ô.",
        ok=lambda t: blank(t.end_year) | blank(t.school_year) | (t.end_year >= t.school_year),
    ),
    Rule(
        "info.goal_level_missing",
        WARNING,
        "info",
        INFO_SHEET,
        "goal_level",
        "Chưa chọn mức mục tiêu của trường. Chọn Mức 1, Mức 2 hoặc Mức 3: sheetkit dùng mức "
        "này để tìm các tiêu chí còn thấp hơn mà chưa có trong trang Kế hoạch.",
        ok=lambda t: given(t.goal_level_raw),
    ),
    Rule(
        "info.goal_level_invalid",
        WARNING,
        "info",
        INFO_SHEET,
        "goal_level",
        "Mức mục tiêu '{value}' chưa đúng: {error}. Chọn Mức 1, Mức 2 hoặc Mức 3.",
        ok=lambda t: blank(t.goal_level_error),
    ),
    Rule(
        "info.issue_date_invalid",
        WARNING,
        "info",
        INFO_SHEET,
        "issue_date",
        "Ngày ban hành '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.issue_date_error),
    ),
    Rule(
        "assessment.current_mostly_missing",
        WARNING,
        "info",
        ASSESSMENT_SHEET,
        "assessment_current",
        "Trang Tự đánh giá chưa có mức hiện tại của {assessment_missing_count}/"
        "{assessment_count} tiêu chí ({assessment_missing_codes}). Chọn mức đã tự đánh giá "
        "(Không đạt, Mức 1, Mức 2, Mức 3) cho từng tiêu chí để so sánh được với mức cần đạt.",
        ok=lambda t: ~t.assessment_mostly_missing,
        value="assessment_current_raw",
    ),
    # ------------------------------------------------------------ Tự đánh giá
    Rule(
        "assessment.criterion_invalid",
        ERROR,
        "assessment",
        ASSESSMENT_SHEET,
        "criterion",
        "Mã tiêu chí '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.criterion_error),
    ),
    Rule(
        "assessment.criterion_not_in_circular",
        ERROR,
        "assessment",
        ASSESSMENT_SHEET,
        "criterion",
        "Tiêu chí {criterion} không có trong {circular} ({school_level}). "
        "Xóa dòng này hoặc sửa mã tiêu chí.",
        ok=lambda t: blank(t.criterion) | ~t.known_circular | t.in_circular,
    ),
    Rule(
        "assessment.duplicate_criterion",
        WARNING,
        "assessment",
        ASSESSMENT_SHEET,
        "criterion",
        "Tiêu chí {criterion} có nhiều hơn một dòng trong trang Tự đánh giá. Chỉ giữ một dòng.",
        ok=lambda t: ~t.duplicate,
    ),
    Rule(
        "assessment.current_missing",
        WARNING,
        "assessment",
        ASSESSMENT_SHEET,
        "current",
        "Chưa chọn mức hiện tại của tiêu chí {criterion}. Chọn mức đã tự đánh giá "
        "(Không đạt, Mức 1, Mức 2, Mức 3).",
        ok=lambda t: given(t.current_raw) | t.mostly_missing,
    ),
    Rule(
        "assessment.current_invalid",
        ERROR,
        "assessment",
        ASSESSMENT_SHEET,
        "current",
        "Mức hiện tại '{value}' chưa đúng: {error}. Chọn Không đạt, Mức 1, Mức 2 hoặc Mức 3.",
        ok=lambda t: blank(t.current_error),
    ),
    Rule(
        "assessment.current_above_max",
        ERROR,
        "assessment",
        ASSESSMENT_SHEET,
        "current",
        "Tiêu chí {criterion} chỉ có đến {max_label} trong {circular}, không thể ở {current_label}. "
        "Sửa lại mức hiện tại.",
        ok=lambda t: blank(t.current) | blank(t.max_level) | (t.current <= t.max_level),
    ),
    Rule(
        "assessment.below_goal_unplanned",
        WARNING,
        "assessment",
        ASSESSMENT_SHEET,
        "current",
        "Tiêu chí {criterion} đang ở {current_label}, thấp hơn mức trường phấn đấu "
        "({goal_label}), nhưng chưa có trong trang Kế hoạch. Thêm một dòng kế hoạch cải tiến "
        "cho tiêu chí này.",
        ok=lambda t: (
            blank(t.current) | blank(t.goal_needed) | (t.current >= t.goal_needed) | t.planned
        ),
    ),
    # ------------------------------------------------------------ Kế hoạch
    Rule(
        "item.criterion_missing",
        ERROR,
        "items",
        PLAN_SHEET,
        "criterion",
        "Dòng kế hoạch chưa có mã tiêu chí. Chọn mã tiêu chí trong danh sách.",
        ok=lambda t: given(t.criterion_raw),
    ),
    Rule(
        "item.criterion_ambiguous",
        ERROR,
        "items",
        PLAN_SHEET,
        "criterion",
        "Mã tiêu chí chưa rõ: {error}.",
        ok=lambda t: ~t.criterion_ambiguous,
    ),
    Rule(
        "item.criterion_invalid",
        ERROR,
        "items",
        PLAN_SHEET,
        "criterion",
        "Mã tiêu chí '{value}' chưa đúng: {error}. Chọn mã trong danh sách.",
        ok=lambda t: blank(t.criterion_error) | t.criterion_ambiguous,
    ),
    Rule(
        "item.criterion_not_in_circular",
        ERROR,
        "items",
        PLAN_SHEET,
        "criterion",
        "Tiêu chí {criterion} không có trong {circular} áp dụng cho {school_level}. "
        "Chọn mã tiêu chí trong danh sách của cấp học này.",
        ok=lambda t: blank(t.criterion) | ~t.known_circular | t.in_circular,
    ),
    Rule(
        "item.title_other_criterion",
        WARNING,
        "items",
        PLAN_SHEET,
        "title",
        "Tên tiêu chí ghi ở đây là tên của tiêu chí {title_match} chứ không phải {criterion} "
        "({catalog_title}). Kiểm tra lại mã tiêu chí hoặc tên tiêu chí.",
        ok=lambda t: t.title_issue != "other_criterion",
        value="title",
    ),
    Rule(
        "item.title_other_circular",
        WARNING,
        "items",
        PLAN_SHEET,
        "title",
        "Tên tiêu chí ghi theo {title_match}, không phải {circular} của {school_level}. "
        "Tên đúng của tiêu chí {criterion} là: {catalog_title}.",
        ok=lambda t: t.title_issue != "other_circular",
        value="title",
    ),
    Rule(
        "item.target_missing",
        ERROR,
        "items",
        PLAN_SHEET,
        "target",
        "Chưa chọn mức cần đạt cho tiêu chí {criterion}. Chọn Mức 1, Mức 2 hoặc Mức 3.",
        ok=lambda t: given(t.target_raw),
    ),
    Rule(
        "item.target_invalid",
        ERROR,
        "items",
        PLAN_SHEET,
        "target",
        "Mức cần đạt '{value}' chưa đúng: {error}. Chọn Mức 1, Mức 2 hoặc Mức 3.",
        ok=lambda t: blank(t.target_error),
    ),
    Rule(
        "item.target_above_max",
        ERROR,
        "items",
        PLAN_SHEET,
        "target",
        "Tiêu chí {criterion} chỉ có đến {max_label} trong {circular}; không thể đặt mục tiêu "
        "{target_label}. Chọn mức cần đạt không quá {max_label}.",
        ok=lambda t: blank(t.target) | blank(t.max_level) | (t.target <= t.max_level),
    ),
    Rule(
        "item.target_below_current",
        ERROR,
        "items",
        PLAN_SHEET,
        "target",
        "Mức cần đạt ({target_label}) thấp hơn mức hiện tại ({current_label}) của tiêu chí "
        "{criterion}. Chọn mức cần đạt bằng hoặc cao hơn mức hiện tại.",
        ok=lambda t: blank(t.target) | blank(t.current) | (t.target >= t.current),
    ),
    Rule(
        "item.target_equals_current",
        INFO,
        "items",
        PLAN_SHEET,
        "target",
        "Mức cần đạt bằng mức hiện tại ({current_label}): đây là kế hoạch duy trì tiêu chí "
        "{criterion}.",
        ok=lambda t: blank(t.target) | blank(t.current) | (t.target != t.current),
    ),
    Rule(
        "item.current_conflict",
        WARNING,
        "items",
        PLAN_SHEET,
        "current",
        "Mức hiện tại ghi ở đây ({current_typed_label}) khác với trang Tự đánh giá "
        "({current_label}). Sửa cho thống nhất; sheetkit dùng mức ở trang Tự đánh giá.",
        ok=lambda t: blank(t.current_typed) | blank(t.current) | (t.current_typed == t.current),
        value="current_typed_label",
    ),
    Rule(
        "item.solution_missing",
        ERROR,
        "items",
        PLAN_SHEET,
        "solution",
        "Chưa ghi công việc/giải pháp cần thực hiện cho tiêu chí {criterion}.",
        ok=lambda t: given(t.solution),
    ),
    Rule(
        "item.lead_missing",
        ERROR,
        "items",
        PLAN_SHEET,
        "lead",
        "Chưa ghi người hoặc bộ phận chủ trì thực hiện (ví dụ: Hiệu trưởng).",
        ok=lambda t: given(t.lead),
    ),
    Rule(
        "item.start_missing",
        ERROR,
        "items",
        PLAN_SHEET,
        "start",
        "Chưa ghi tháng bắt đầu. Nhập tháng/năm, ví dụ 9/2024.",
        ok=lambda t: given(t.start_raw),
    ),
    Rule(
        "item.start_invalid",
        ERROR,
        "items",
        PLAN_SHEET,
        "start",
        "Tháng bắt đầu '{value}' chưa đúng: {error}. Nhập tháng/năm, ví dụ 9/2024.",
        ok=lambda t: blank(t.start_error),
    ),
    Rule(
        "item.end_missing",
        ERROR,
        "items",
        PLAN_SHEET,
        "end",
        "Chưa ghi tháng hoàn thành. Nhập tháng/năm, ví dụ 5/2025.",
        ok=lambda t: given(t.end_raw),
    ),
    Rule(
        "item.end_invalid",
        ERROR,
        "items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành '{value}' chưa đúng: {error}. Nhập tháng/năm, ví dụ 5/2025.",
        ok=lambda t: blank(t.end_error),
    ),
    Rule(
        "item.end_before_start",
        ERROR,
        "items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành ({end_label}) trước tháng bắt đầu ({start_label}). Sửa lại một trong "
        "hai ô.",
        ok=lambda t: blank(t.start) | blank(t.end) | (t.end >= t.start),
    ),
    Rule(
        "item.start_outside_period",
        WARNING,
        "items",
        PLAN_SHEET,
        "start",
        "Tháng bắt đầu {start_label} nằm ngoài thời gian của kế hoạch ({period_label}). "
        "Kiểm tra lại tháng hoặc năm học.",
        ok=lambda t: (
            blank(t.start)
            | blank(t.period_start)
            | ((t.start >= t.period_start) & (t.start <= t.period_end))
        ),
    ),
    Rule(
        "item.end_outside_period",
        WARNING,
        "items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành {end_label} nằm ngoài thời gian của kế hoạch ({period_label}). "
        "Kiểm tra lại tháng hoặc năm học.",
        ok=lambda t: (
            blank(t.end)
            | blank(t.period_start)
            | ((t.end >= t.period_start) & (t.end <= t.period_end))
        ),
    ),
    Rule(
        "item.budget_invalid",
        ERROR,
        "items",
        PLAN_SHEET,
        "budget",
        "Dự kiến kinh phí '{value}': {error}.",
        ok=lambda t: blank(t.budget_error),
    ),
    Rule(
        "item.budget_missing",
        WARNING,
        "items",
        PLAN_SHEET,
        "budget",
        "Chưa ghi dự kiến kinh phí. Ghi số tiền (ví dụ 10 triệu), hoặc 'Không' nếu không cần "
        "kinh phí.",
        ok=lambda t: given(t.budget_raw),
    ),
    # ------------------------------------------------------------ any sheet
    Rule(
        "text.legacy_encoding",
        WARNING,
        "legacy",
        "",
        None,
        "Chữ trong ô này được gõ bằng bảng mã cũ ({encoding}): sheetkit đã đọc và chuyển sang "
        "Unicode, nhưng người khác mở tệp vẫn thấy sai dấu. Lệnh `sheetkit fix TỆP -o "
        "TỆP-MỚI.xlsx` ghi một bản sao đã chuyển mọi ô như vậy sang Unicode.",
        ok=lambda t: blank(t.encoding),
        value="value",
    ),
    Rule(
        "text.control_characters",
        WARNING,
        "legacy",
        "",
        None,
        "Ô này có ký tự điều khiển không nhìn thấy (thường do dán chữ từ Word hoặc PDF); "
        "sheetkit đã bỏ các ký tự đó khi đọc. Hãy xóa rồi gõ lại nội dung ô cho sạch.",
        ok=lambda t: blank(t.control),
        value="value",
    ),
    # ============================================================ Thông tư 57/2026
    # Thông tin
    Rule(
        "tt57.info.school_name_missing",
        ERROR,
        "tt57.info",
        INFO_SHEET,
        "school_name",
        "Chưa ghi tên trường. Nhập tên trường vào ô bên cạnh nhãn 'Tên trường'.",
        ok=lambda t: given(t.school_name),
    ),
    Rule(
        "tt57.info.school_level_missing",
        ERROR,
        "tt57.info",
        INFO_SHEET,
        "school_level",
        "Chưa chọn loại hình / cấp học. Chọn Mầm non, Tiểu học, THCS, THPT, Phổ thông nhiều cấp "
        "học hoặc GDTX: loại hình quyết định phụ lục tiêu chí (I, II hoặc III).",
        ok=lambda t: given(t.school_level_raw),
    ),
    Rule(
        "tt57.info.school_level_invalid",
        ERROR,
        "tt57.info",
        INFO_SHEET,
        "school_level",
        "Loại hình / cấp học '{value}' không có trong danh sách. Chọn Mầm non, Tiểu học, THCS, "
        "THPT, Phổ thông nhiều cấp học hoặc GDTX (trường TH&THCS chọn Phổ thông nhiều cấp học).",
        ok=lambda t: blank(t.school_level_error),
    ),
    Rule(
        "tt57.info.school_year_missing",
        ERROR,
        "tt57.info",
        INFO_SHEET,
        "school_year",
        "Chưa ghi năm học. Nhập năm học dạng 2026-2027.",
        ok=lambda t: given(t.school_year_raw),
    ),
    Rule(
        "tt57.info.school_year_invalid",
        ERROR,
        "tt57.info",
        INFO_SHEET,
        "school_year",
        "Năm học '{value}' chưa đúng: {error}. Nhập dạng 2026-2027.",
        ok=lambda t: blank(t.school_year_error),
    ),
    Rule(
        "tt57.info.province_invalid",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "province",
        "Tỉnh/thành phố '{value}': {error}. Chọn trong danh sách 34 tỉnh, thành phố.",
        ok=lambda t: blank(t.province_error),
    ),
    Rule(
        "tt57.info.commune_missing",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "commune",
        "Chưa ghi xã/phường/đặc khu. Từ 01/7/2025 trường thuộc UBND xã, phường, đặc khu (không "
        "còn quận, huyện): ghi tên đơn vị để in địa danh và cơ quan chủ quản.",
        ok=lambda t: given(t.commune),
    ),
    Rule(
        "tt57.info.issue_date_invalid",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "issue_date",
        "Ngày ban hành '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.issue_date_error),
    ),
    Rule(
        "tt57.info.governing_body_needed",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "governing_body",
        "Trường nhiều cấp học cần ghi Cơ quan chủ quản: UBND xã/phường nếu cấp cao nhất là THCS, "
        "Sở Giáo dục và Đào tạo nếu trường có cấp THPT. Ô này in ở đầu bản kế hoạch.",
        ok=lambda t: ~t.multi_level | given(t.governing_body),
    ),
    Rule(
        "tt57.info.appendix_mismatch",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "school_level",
        "Loại hình '{school_level}' dùng {circular}, nhưng trang Tự đánh giá là các tiêu chí của "
        "{appendix_found}: tệp được lập từ mẫu của loại hình khác. Lấy mẫu đúng loại hình (lệnh "
        "sheetkit template) và chép nội dung sang, hoặc sửa ô loại hình.",
        ok=lambda t: blank(t.appendix_found),
    ),
    Rule(
        "tt57.info.legal_bases_unfinished",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "legal_bases",
        "Mục Căn cứ xây dựng kế hoạch còn chỗ '……' để trống. Ghi vào đó năm học của báo cáo tự "
        "đánh giá và của kế hoạch năm học, số và ngày của văn bản được căn cứ.",
        ok=lambda t: ~t.legal_bases_unfinished,
        value="legal_bases",
    ),
    Rule(
        "tt57.assessment.current_mostly_missing",
        WARNING,
        "tt57.info",
        ASSESSMENT_SHEET,
        "assessment_current",
        "Trang Tự đánh giá chưa có mức hiện tại của {assessment_missing_count}/"
        "{assessment_count} tiêu chí ({assessment_missing_codes}). Chọn Không đạt Mức 1, Mức 1 "
        "hoặc Mức 2 cho từng tiêu chí: thiếu mức thì không tính được mức đạt của trường.",
        ok=lambda t: ~t.assessment_mostly_missing,
        value="assessment_current_raw",
    ),
    Rule(
        "tt57.assessment.levels_from_last_year",
        ERROR,
        "tt57.info",
        ASSESSMENT_SHEET,
        "levels_last_year",
        "Mức hiện tại ở trang Tự đánh giá vẫn là mức của kế hoạch năm học {levels_last_year} "
        "(cột Ghi chú ghi 'Mức năm học {levels_last_year}: …'), chưa theo báo cáo tự đánh giá "
        "năm nay. Cập nhật mức hiện tại của các tiêu chí theo báo cáo tự đánh giá năm nay; nếu "
        "mức năm nay không đổi, xoá các ghi chú đó để xác nhận. Chưa cập nhật thì mức đạt của "
        "trường chưa đúng và kế hoạch chưa gửi được.",
        ok=lambda t: blank(t.levels_last_year),
    ),
    Rule(
        "tt57.plan.too_broad",
        WARNING,
        "tt57.info",
        PLAN_SHEET,
        "criterion",
        "Kế hoạch có vấn đề hoặc việc cải tiến cho {planned_count}/15 tiêu chí. Thông tư 57 "
        "yêu cầu không dàn trải theo toàn bộ tiêu chí mà chỉ chọn các vấn đề trọng tâm (mục "
        "III.2.b Biểu 2): giữ những vấn đề có tác động trực tiếp đến chất lượng.",
        ok=lambda t: t.planned_count < NEARLY_ALL_CRITERIA,
        value="planned_codes",
    ),
    Rule(
        "tt57.reviews.point_missing",
        WARNING,
        "tt57.info",
        REVIEWS_SHEET,
        "when",
        "Trang Theo dõi chưa có dòng {review_points_missing}. Kế hoạch rà soát ít nhất 02 lần "
        "trong năm học (cuối học kỳ I và cuối năm học): giữ các dòng này để ghi kết quả rà soát.",
        ok=lambda t: blank(t.review_points_missing),
        value="review_points_missing",
    ),
    # Tự đánh giá
    Rule(
        "tt57.assessment.criterion_invalid",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "criterion",
        "Mã tiêu chí '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.criterion_error),
    ),
    Rule(
        "tt57.assessment.criterion_not_in_appendix",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "criterion",
        "Tiêu chí {criterion} không có trong {circular} (15 tiêu chí, từ 1.1 đến 4.3). Xóa dòng "
        "này hoặc sửa mã tiêu chí.",
        ok=lambda t: blank(t.criterion) | ~t.known_circular | t.in_circular,
    ),
    Rule(
        "tt57.assessment.duplicate_criterion",
        WARNING,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "criterion",
        "Tiêu chí {criterion} có nhiều hơn một dòng trong trang Tự đánh giá. Chỉ giữ một dòng.",
        ok=lambda t: ~t.duplicate,
    ),
    Rule(
        "tt57.assessment.current_missing",
        WARNING,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "current",
        "Chưa chọn mức hiện tại của tiêu chí {criterion}: chưa tính được mức đạt của trường. "
        "Chọn Không đạt Mức 1, Mức 1 hoặc Mức 2 theo báo cáo tự đánh giá.",
        ok=lambda t: given(t.current_raw) | t.mostly_missing | blank(t.criterion) | t.compulsory,
    ),
    Rule(
        "tt57.assessment.current_invalid",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "current",
        "Mức hiện tại '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.current_error),
    ),
    Rule(
        "tt57.assessment.target_invalid",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "target",
        "Mức cần đạt '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.target_error),
    ),
    Rule(
        "tt57.assessment.target_below_current",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "target",
        "Mức cần đạt ({target_label}) thấp hơn mức hiện tại ({current_label}) của tiêu chí "
        "{criterion}. Chọn mức cao hơn mức hiện tại, hoặc để trống nếu tiêu chí không cần nâng.",
        ok=lambda t: blank(t.target) | blank(t.current) | (t.target >= t.current),
    ),
    Rule(
        "tt57.assessment.target_not_above",
        WARNING,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "target",
        "Tiêu chí {criterion} đã ở {current_label}: mức cần đạt chỉ ghi khi cần nâng mức. Để "
        "trống ô này (tiêu chí đã đạt Mức 2 thì không ghi mức cần đạt).",
        ok=lambda t: blank(t.target) | blank(t.current) | (t.target != t.current),
    ),
    Rule(
        "tt57.assessment.compulsory_unplanned",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "target",
        "Tiêu chí {criterion} là tiêu chí bắt buộc, đang ở {current_label} và cần đạt "
        "{target_label} nhưng chưa có {missing_plan}. Thêm vấn đề trọng tâm (trang Vấn đề trọng "
        "tâm, cột Tiêu chí liên quan) và việc cải tiến (trang Kế hoạch) cho tiêu chí này.",
        ok=lambda t: (
            ~t.compulsory
            | blank(t.target)
            | blank(t.current)
            | (t.target <= t.current)
            | (t.planned_by_issue & t.planned_by_item)
        ),
    ),
    # The compulsory criteria decide the school's level (khoản 3 Điều 5): one without a
    # level leaves the level unknown; one below Mức 1 keeps the school below Mức 1, so the
    # plan must take it up even when no Mức cần đạt is written.
    Rule(
        "tt57.assessment.compulsory_current_missing",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "current",
        "Chưa chọn mức hiện tại của tiêu chí bắt buộc {criterion}: không tính được mức đạt của "
        "trường, vì khoản 3 Điều 5 xét mức của mọi tiêu chí bắt buộc. Chọn Không đạt Mức 1, "
        "Mức 1 hoặc Mức 2 theo báo cáo tự đánh giá.",
        ok=lambda t: ~t.compulsory | given(t.current_raw),
    ),
    Rule(
        "tt57.assessment.compulsory_below_unplanned",
        ERROR,
        "tt57.assessment",
        ASSESSMENT_SHEET,
        "target",
        "Tiêu chí bắt buộc {criterion} chưa đạt Mức 1 (mức hiện tại: {current_label}) nên trường "
        "không đạt Mức 1 (khoản 3 Điều 5), nhưng kế hoạch chưa có {missing_plan} cho tiêu chí "
        "này. Ghi mức cần đạt (Mức 1 hoặc Mức 2), thêm vấn đề trọng tâm (trang Vấn đề trọng "
        "tâm, cột Tiêu chí liên quan) và việc cải tiến (trang Kế hoạch) cho tiêu chí này.",
        ok=lambda t: (
            ~t.compulsory
            | blank(t.current)
            | (t.current >= LEVEL_1)
            | (given(t.target) & (t.target > t.current))
            | (t.planned_by_issue & t.planned_by_item)
        ),
    ),
    # Vấn đề trọng tâm
    Rule(
        "tt57.issue.standard_missing",
        ERROR,
        "tt57.issues",
        ISSUES_SHEET,
        "standard",
        "Vấn đề {tt} chưa ghi tiêu chuẩn. Chọn số tiêu chuẩn (1 đến 4) mà vấn đề thuộc về.",
        ok=lambda t: given(t.standard_raw),
    ),
    Rule(
        "tt57.issue.standard_invalid",
        ERROR,
        "tt57.issues",
        ISSUES_SHEET,
        "standard",
        "Tiêu chuẩn '{value}' của vấn đề {tt} chưa đúng: {error}.",
        ok=lambda t: blank(t.standard_error),
    ),
    Rule(
        "tt57.issue.standard_unknown",
        ERROR,
        "tt57.issues",
        ISSUES_SHEET,
        "standard",
        "Thông tư 57 chỉ có 4 tiêu chuẩn; vấn đề {tt} ghi tiêu chuẩn {standard}. Chọn từ 1 đến 4.",
        ok=lambda t: blank(t.standard) | t.standard_known,
    ),
    Rule(
        "tt57.issue.criteria_invalid",
        ERROR,
        "tt57.issues",
        ISSUES_SHEET,
        "criteria",
        "Tiêu chí liên quan '{value}' của vấn đề {tt} chưa đúng: {error}.",
        ok=lambda t: blank(t.criteria_error),
    ),
    Rule(
        "tt57.issue.criteria_not_in_appendix",
        ERROR,
        "tt57.issues",
        ISSUES_SHEET,
        "criteria",
        "Vấn đề {tt} ghi tiêu chí {criteria_unknown}, không có trong {circular} (15 tiêu chí, "
        "từ 1.1 đến 4.3). Sửa mã tiêu chí.",
        ok=lambda t: blank(t.criteria_unknown),
    ),
    Rule(
        "tt57.issue.criteria_other_standard",
        WARNING,
        "tt57.issues",
        ISSUES_SHEET,
        "criteria",
        "Vấn đề {tt} thuộc tiêu chuẩn {standard} nhưng ghi tiêu chí {criteria_other_standard} "
        "của tiêu chuẩn khác. Mỗi vấn đề gắn với một tiêu chuẩn: tách thành vấn đề riêng hoặc "
        "sửa tiêu chuẩn.",
        ok=lambda t: blank(t.criteria_other_standard),
    ),
    Rule(
        "tt57.issue.situation_missing",
        WARNING,
        "tt57.issues",
        ISSUES_SHEET,
        "situation",
        "Vấn đề {tt} chưa ghi đánh giá hiện trạng. Ghi ngắn gọn thực trạng (số liệu, kết quả đã "
        "đạt) để thấy vì sao đây là vấn đề trọng tâm.",
        ok=lambda t: given(t.situation),
    ),
    Rule(
        "tt57.issue.shortcoming_missing",
        ERROR,
        "tt57.issues",
        ISSUES_SHEET,
        "shortcoming",
        "Vấn đề {tt} chưa ghi điểm hạn chế. Ghi hạn chế trọng tâm cần cải tiến (và nguyên "
        "nhân) theo báo cáo tự đánh giá.",
        ok=lambda t: given(t.shortcoming),
    ),
    # Kế hoạch (table V)
    Rule(
        "tt57.item.issue_missing",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "issue",
        "Dòng kế hoạch chưa ghi vấn đề. Ghi số TT của vấn đề trọng tâm mà hoạt động này cải "
        "tiến (trang Vấn đề trọng tâm).",
        ok=lambda t: given(t.issue_raw),
    ),
    Rule(
        "tt57.item.issue_invalid",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "issue",
        "Vấn đề '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.issue_error),
    ),
    Rule(
        "tt57.item.issue_unknown",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "issue",
        "Vấn đề {issue} chưa có ở trang Vấn đề trọng tâm. Ghi vấn đề đó (tiêu chuẩn, hạn chế, "
        "nguyên nhân) hoặc sửa số vấn đề của dòng này.",
        ok=lambda t: blank(t.issue) | t.issue_exists,
    ),
    Rule(
        "tt57.item.criterion_invalid",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "criterion",
        "Mã tiêu chí '{value}' chưa đúng: {error}. Chọn mã trong danh sách.",
        ok=lambda t: blank(t.criterion_error),
    ),
    Rule(
        "tt57.item.criterion_from_2018",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "criterion",
        "Tiêu chí {criterion} là mã của {old_circular}, không có trong {circular} (15 tiêu chí, "
        "từ 1.1 đến 4.3). Chọn tiêu chí tương ứng của Thông tư 57 trong danh sách.",
        ok=lambda t: blank(t.criterion) | ~t.known_circular | t.in_circular | blank(t.old_circular),
    ),
    Rule(
        "tt57.item.criterion_not_in_appendix",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "criterion",
        "Tiêu chí {criterion} không có trong {circular} (15 tiêu chí, từ 1.1 đến 4.3). Chọn mã "
        "tiêu chí trong danh sách.",
        ok=lambda t: blank(t.criterion) | ~t.known_circular | t.in_circular | given(t.old_circular),
    ),
    Rule(
        "tt57.item.criterion_other_standard",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "criterion",
        "Tiêu chí {criterion} thuộc tiêu chuẩn {criterion_standard}, còn vấn đề {issue} thuộc "
        "tiêu chuẩn {issue_standard}. Kiểm tra lại số vấn đề hoặc mã tiêu chí.",
        ok=lambda t: (
            blank(t.criterion_standard)
            | blank(t.issue_standard)
            | (t.criterion_standard == t.issue_standard)
        ),
    ),
    *(
        Rule(
            f"tt57.item.{key}_missing",
            ERROR,
            "tt57.items",
            PLAN_SHEET,
            key,
            f"Dòng kế hoạch chưa ghi {what}. {how}",
            ok=lambda t, key=key: given(t[key]),
        )
        for key, what, how in (
            ("content", "nội dung cải tiến", "Ghi nội dung cần cải tiến (cột 2 của mục V)."),
            ("objective", "mục tiêu cải tiến", "Ghi kết quả hướng tới, đo được nếu có thể."),
            ("activities", "hoạt động/giải pháp", "Ghi các hoạt động, giải pháp sẽ thực hiện."),
            (
                "indicator",
                "chỉ số đánh giá kết quả",
                "Ghi chỉ số để biết đã đạt mục tiêu (ví dụ tỷ lệ %, số lượng).",
            ),
            ("owner", "đơn vị/cá nhân phụ trách", "Ghi người hoặc bộ phận chịu trách nhiệm."),
        )
    ),
    Rule(
        "tt57.item.start_missing",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "start",
        "Chưa ghi tháng bắt đầu. Nhập tháng/năm, ví dụ 9/2026.",
        ok=lambda t: given(t.start_raw),
    ),
    Rule(
        "tt57.item.start_invalid",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "start",
        "Tháng bắt đầu '{value}' chưa đúng: {error}. Nhập tháng/năm, ví dụ 9/2026.",
        ok=lambda t: blank(t.start_error),
    ),
    Rule(
        "tt57.item.end_missing",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "end",
        "Chưa ghi tháng hoàn thành. Nhập tháng/năm, ví dụ 5/2027.",
        ok=lambda t: given(t.end_raw),
    ),
    Rule(
        "tt57.item.end_invalid",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành '{value}' chưa đúng: {error}. Nhập tháng/năm, ví dụ 5/2027.",
        ok=lambda t: blank(t.end_error),
    ),
    Rule(
        "tt57.item.end_before_start",
        ERROR,
        "tt57.items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành ({end_label}) trước tháng bắt đầu ({start_label}). Sửa lại một trong "
        "hai ô.",
        ok=lambda t: blank(t.start) | blank(t.end) | (t.end >= t.start),
    ),
    Rule(
        "tt57.item.start_outside_year",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "start",
        "Tháng bắt đầu {start_label} nằm ngoài năm học của kế hoạch ({period_label}). Kế hoạch "
        "Thông tư 57 làm theo từng năm học: kiểm tra lại tháng hoặc năm học.",
        ok=lambda t: (
            blank(t.start)
            | blank(t.period_start)
            | ((t.start >= t.period_start) & (t.start <= t.period_end))
        ),
    ),
    Rule(
        "tt57.item.end_outside_year",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành {end_label} nằm ngoài năm học của kế hoạch ({period_label}). Việc "
        "kéo dài sang năm sau thì chuyển vào kế hoạch năm học tiếp theo.",
        # An end before the year is tt57.item.end_before_year: a wrong year, not a late one.
        ok=lambda t: blank(t.end) | blank(t.period_end) | (t.end <= t.period_end),
    ),
    Rule(
        "tt57.item.evidence_old_code",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "evidence",
        "Mã minh chứng {evidence_old_text} theo cách ghi của năm 2018. Thông tư 57 ghi mã dạng "
        "MC.tiêu chuẩn.tiêu chí.số thứ tự trong ngoặc đơn: {evidence_new_text}.",
        ok=lambda t: blank(t.evidence_old_text),
        value="evidence",
    ),
    Rule(
        "tt57.item.evidence_malformed",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "evidence",
        "Mã minh chứng {evidence_malformed_text} chưa đúng dạng MC.x.y.zz (ví dụ MC.1.4.01: tiêu "
        "chuẩn 1, tiêu chí 1.4, minh chứng số 01).",
        ok=lambda t: blank(t.evidence_malformed_text),
        value="evidence",
    ),
    Rule(
        "tt57.item.progress_unknown",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "progress",
        "Mức độ thực hiện '{value}' {error}. Nên chọn trong danh sách để tổng hợp được tiến độ; "
        "ghi chú thêm ở cột Ghi chú.",
        ok=lambda t: blank(t.progress_error),
    ),
    # Theo dõi (table VI)
    Rule(
        "tt57.review.date_invalid",
        WARNING,
        "tt57.reviews",
        REVIEWS_SHEET,
        "date",
        "Ngày rà soát '{value}' chưa đúng: {error}.",
        ok=lambda t: blank(t.date_error),
    ),
    Rule(
        "tt57.review.date_outside_year",
        WARNING,
        "tt57.reviews",
        REVIEWS_SHEET,
        "date",
        "Ngày rà soát {date_label} nằm ngoài năm học của kế hoạch ({period_label}). Kiểm tra "
        "lại ngày.",
        ok=lambda t: (
            blank(t.date_month)
            | blank(t.period_start)
            | ((t.date_month >= t.period_start) & (t.date_month <= t.period_end))
        ),
    ),
    # Rà soát: only when a review date is given (sheetkit review, check --at)
    Rule(
        "tt57.progress.row_overdue",
        WARNING,
        "tt57.review",
        PLAN_SHEET,
        "progress",
        "Dòng {item} ({content_short}) hết hạn tháng {end_label} nhưng chưa Hoàn thành "
        "(Mức độ thực hiện: {status_text}). Ghi kết quả thực hiện, hoặc điều chỉnh thời gian "
        "và ghi lý do ở trang Theo dõi.",
        ok=lambda t: t.state != "overdue",
    ),
    Rule(
        "tt57.progress.status_missing",
        WARNING,
        "tt57.review",
        PLAN_SHEET,
        "progress",
        "Đã đến lần rà soát {point_name} ({point_label}) mà dòng {item} ({content_short}), bắt "
        "đầu tháng {start_label}, chưa ghi Mức độ thực hiện. Chọn Chưa thực hiện, Đang thực "
        "hiện, Hoàn thành, Chậm tiến độ hoặc Không thực hiện.",
        ok=lambda t: given(t.progress_raw) | blank(t.point_name) | (t.state == "overdue"),
    ),
    Rule(
        "tt57.progress.monitoring_missing",
        WARNING,
        "tt57.review.points",
        REVIEWS_SHEET,
        "result",
        "Đã đến lần rà soát {point_name} ({point_label}) mà trang Theo dõi chưa ghi kết quả của "
        "lần này. Ghi ngày, nội dung theo dõi, kết quả thực hiện, điều chỉnh (nếu có) và người "
        "đánh giá ở dòng {point_name}.",
        ok=lambda t: t.recorded,
        value="point_name",
    ),
    # ------------------------------------------------------------ Thông tư 57 years, 2025 bodies
    # A 2018 layout for a school year that Thông tư 57 governs; a managing body that ended
    # on 01/7/2025 (Phòng GDĐT, quận, huyện) on a plan dated from then on.
    Rule(
        "info.school_year_needs_tt57",
        ERROR,
        "info",
        INFO_SHEET,
        "school_year",
        "Năm học {school_year_label} lập kế hoạch theo Thông tư 57/2026/TT-BGDĐT (Biểu 2), "
        "không dùng mẫu 2018 (Thông tư 17, 18, 19/2018) nữa. Chuyển kế hoạch sang mẫu mới, chạy: "
        "sheetkit next TỆP -o TỆP-MỚI.xlsx (các việc chưa xong được chuyển sang), rồi kiểm tra "
        "tệp mới. Nếu năm học ghi nhầm, sửa lại ô này.",
        ok=lambda t: blank(t.school_year) | (t.school_year < FIRST_TT57_YEAR),
    ),
    Rule(
        "info.managing_body_after_reform",
        WARNING,
        "info",
        INFO_SHEET,
        "governing_body",
        MANAGING_BODY_MESSAGE,
        ok=lambda t: ~(t.body_outdated | t.body_unknown),
    ),
    Rule(
        "tt57.info.managing_body_after_reform",
        WARNING,
        "tt57.info",
        INFO_SHEET,
        "governing_body",
        MANAGING_BODY_MESSAGE,
        # No body and no xã/phường: tt57.info.commune_missing already asks for the xã.
        ok=lambda t: ~(t.body_outdated | (t.body_unknown & given(t.commune))),
    ),
    Rule(
        "tt57.item.end_before_year",
        WARNING,
        "tt57.items",
        PLAN_SHEET,
        "end",
        "Tháng hoàn thành {end_label} trước năm học {school_year_label} của kế hoạch (năm học "
        "bắt đầu tháng {period_start_label}): kiểm tra lại năm.",
        ok=lambda t: blank(t.end) | blank(t.period_start) | (t.end >= t.period_start),
    ),
    # ------------------------------------------------------------ the printed plan
    Rule(
        "render.too_large",
        ERROR,
        "render",
        PLAN_SHEET,
        None,
        "Kế hoạch có {items} việc cải tiến ({characters} ký tự, {lines} dòng), quá giới hạn "
        "của bản in: {max_items} việc, {max_characters} ký tự, {max_lines} dòng.",
    ),
    Rule(
        "render.too_many_pages",
        ERROR,
        "render",
        PLAN_SHEET,
        None,
        "Bản kế hoạch sẽ in ra {pages} trang, quá giới hạn {max_pages} trang của một trang tính "
        "Excel (Excel chỉ giữ được 1.026 chỗ ngắt trang). Hãy xem lại các ô rất dài ở trang Kế "
        "hoạch (có thể đã dán nhầm dữ liệu), hoặc tạo bản Word (-o ten-tep.docx).",
    ),
    # ------------------------------------------------------------ files of a roll-up
    Rule(
        "file.unreadable",
        ERROR,
        "file",
        "",
        None,
        "{reason}",
    ),
    Rule(
        "file.duplicate",
        WARNING,
        "file",
        "",
        None,
        "{reason}",
    ),
    Rule(
        "file.skipped",
        INFO,
        "file",
        "",
        None,
        "{reason}",
    ),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
