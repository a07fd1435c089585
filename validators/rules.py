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

from sheetkit.model.contract import SHEET_ASSESSMENT as ASSESSMENT_SHEET
from sheetkit.model.contract import SHEET_INFO as INFO_SHEET
from sheetkit.model.contract import SHEET_PLAN as PLAN_SHEET

ERROR, WARNING, INFO = "error", "warning", "info"

# More than this share of Tự đánh giá rows without a level is one finding for the
# plan (assessment.current_mostly_missing), not one per row.
MOSTLY_MISSING_SHARE = 0.5


class MessageError(KeyError):
    """A message placeholder with no value, or an empty one: a rule that would print a hole."""


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with each {placeholder} replaced by its value, shown as people read it.

    A placeholder that has no value, or an empty one, raises ``MessageError``:
    a message must never read "chưa đúng: ." because a fact was missing.
    Whole numbers print without ".0".
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
        if value.is_integer():
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
        "Chữ trong ô này có vẻ được gõ bằng bảng mã cũ ({encoding}) nên người khác sẽ thấy "
        "sai dấu. Hãy chuyển sang Unicode (ví dụ công cụ chuyển mã của Unikey) rồi dán lại.",
        ok=lambda t: blank(t.encoding),
        value="value",
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
