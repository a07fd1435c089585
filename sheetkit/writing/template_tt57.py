"""The Thông tư 57/2026 template: the plan form Biểu 2 as a workbook a school fills.

Sheets, in order: Hướng dẫn, Thông tin (with the text of sections II, III,
VII and VIII, pre-filled from the form), Tự đánh giá (the 15 criteria, the
school's level computed live by khoản 3 Điều 5), Vấn đề trọng tâm (table
IV), Kế hoạch (table V and column (10) Mức độ thực hiện), Theo dõi (table VI).

Live checks without Python: conditional formats mark, while the school
types, a criterion not in the appendix, a completion month before the start,
a compulsory criterion aimed higher or below Mức 1 but not planned, and a required cell left
empty in a started row. They use only functions Excel 2007 and LibreOffice
share; small hidden helper columns turn typed months and levels into numbers.
``sheetkit check`` reports the same cells (a LibreOffice test holds them to it).
"""

from __future__ import annotations

from pathlib import Path

from ..excel.macros import PLAN_BUTTONS_TT57, add_macros
from ..model import catalog, contract
from ..model.contract import (
    PROGRESS_CHOICES,
    REVIEW_POINTS,
    SHEET_ASSESSMENT,
    SHEET_GUIDE,
    SHEET_INFO,
    SHEET_ISSUES,
    SHEET_LISTS,
    SHEET_PLAN,
    SHEET_REVIEWS,
    TT57_CIRCULAR_TEXT,
)
from ..reading.parsing import ParseError, parse_month
from ..reading.sources import column_letter
from ..validators.rules import RULES
from ..validators.school_level import OTHERS_NEEDED
from .layout import row_height
from .workbook_style import (
    FORMULA_FILL,
    button_rows,
    define,
    field_validation,
    note_rows,
    write_value,
)
from .workbook_style import new_workbook as _new_workbook
from .workbook_style import template_formats as _formats

ASSESSMENT_HEADER_ROW = 5  # 0-based: Excel row 6; the school's level is computed above it
ISSUE_HEADER_ROW = 3
ISSUE_ROWS = 30
PLAN_HEADER_ROW = 3
PLAN_ROWS = 120  # at least 100 rows ready to fill
REVIEW_HEADER_ROW = 3
REVIEW_ROWS = 12
LIVE_CHECK_FILL = "#FFC7CE"  # the cells a live check marks (the colour of an error in sheetkit)

# Texts pre-filled in Thông tin for the school to edit: sections II, III, VII, VIII of Biểu 2.
SECTION_TEXTS = {
    "legal_bases": (
        "1. Báo cáo tự đánh giá năm học …… của nhà trường;\n"
        "2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học trước;\n"
        "3. Kế hoạch năm học …… và định hướng phát triển của nhà trường;\n"
        "4. Thông tư số 57/2026/TT-BGDĐT ngày 07/7/2026 của Bộ trưởng Bộ Giáo dục và Đào tạo "
        "quy định về kiểm định chất lượng giáo dục và công nhận đạt chuẩn quốc gia."
    ),
    "purpose": (
        "1. Mục đích\n"
        "a) Xác định các vấn đề trọng tâm cần cải tiến trên cơ sở kết quả tự đánh giá;\n"
        "b) Tổ chức thực hiện các giải pháp nhằm nâng cao chất lượng giáo dục;\n"
        "c) Tăng cường hiệu quả quản trị, sử dụng nguồn lực và trách nhiệm giải trình của cơ "
        "sở giáo dục.\n"
        "2. Yêu cầu\n"
        "a) Bảo đảm tính trọng tâm, khả thi, hiệu quả, phù hợp với điều kiện thực tế;\n"
        "b) Không xây dựng kế hoạch cải tiến đối với toàn bộ tiêu chí mà tập trung vào các "
        "vấn đề ưu tiên;\n"
        "c) Xác định rõ: nội dung, mục tiêu, biện pháp, thời gian, nguồn lực, trách nhiệm và "
        "kết quả;\n"
        "d) Gắn với kế hoạch năm học và kế hoạch phát triển của cơ sở giáo dục;\n"
        "đ) Có cơ chế theo dõi, đánh giá và điều chỉnh trong quá trình thực hiện."
    ),
    "organisation": (
        "1. Người đứng đầu cơ sở giáo dục: chỉ đạo chung, phân công nhiệm vụ, bảo đảm nguồn "
        "lực thực hiện kế hoạch; phê duyệt kết quả rà soát.\n"
        "2. Hội đồng tự đánh giá: theo dõi, đánh giá việc thực hiện kế hoạch; tổ chức rà soát "
        "cuối học kỳ I và cuối năm học, đề xuất điều chỉnh.\n"
        "3. Các tổ chuyên môn và bộ phận liên quan: thực hiện các hoạt động được phân công, lưu "
        "giữ minh chứng, báo cáo kết quả theo định kỳ."
    ),
    "reporting": (
        "a) Thực hiện rà soát, đánh giá tối thiểu 02 lần trong năm học;\n"
        "b) Kết quả thực hiện kế hoạch cải tiến là cơ sở để cập nhật báo cáo tự đánh giá và "
        "xây dựng kế hoạch cải tiến của năm học tiếp theo;\n"
        "c) Bảo đảm công khai, minh bạch và phục vụ trách nhiệm giải trình của cơ sở giáo dục./."
    ),
}


# What each level's template calls the school and its head, with examples of a name and a number.
UNITS = {
    "GDTX": ("trung tâm", "Giám đốc", "Trung tâm GDNN-GDTX Thọ Xuân", "41/KH-TTGDNN-GDTX"),
    "Mầm non": ("trường", "Hiệu trưởng", "Trường Mầm non Sen Hồng", "52/KH-MNSH"),
    "Tiểu học": ("trường", "Hiệu trưởng", "Trường Tiểu học Kim Đồng", "45/KH-THKĐ"),
    "THCS": ("trường", "Hiệu trưởng", "Trường THCS Hoa Thành", "38/KH-THCSHT"),
    "THPT": ("trường", "Hiệu trưởng", "Trường THPT Lê Quý Đôn", "27/KH-THPTLQĐ"),
    "Phổ thông nhiều cấp học": (
        "trường",
        "Hiệu trưởng",
        "Trường TH&THCS Thạnh Đông",
        "30/KH-THCSTĐ",
    ),
}


def guide_lines(circular: catalog.Circular, level: str = "") -> list[tuple[str, str]]:
    """(heading, text) pairs of the Hướng dẫn sheet."""
    compulsory = ", ".join(circular.compulsory_codes)
    replaced = (
        "các quy định kiểm định trước đây (với trung tâm GDTX: Thông tư 42/2012/TT-BGDĐT)"
        if level == "GDTX"
        else "Thông tư 17, 18, 19/2018"
    )
    return [
        (
            "Thay đổi so với trước",
            f"Thông tư 57/2026/TT-BGDĐT (07/7/2026) thay {replaced}: 15 tiêu chí "
            "trong 4 tiêu chuẩn; mỗi tiêu chí chỉ có Mức 1, Mức 2 (dưới Mức 1 là Không đạt Mức "
            f"1); 8 tiêu chí bắt buộc ({compulsory}); mức đạt tính theo khoản 3 Điều "
            "5; kế hoạch theo Biểu 2 Phụ lục V, chỉ gồm các vấn đề trọng tâm; minh chứng ghi "
            "(MC.1.1.01); rà soát ít nhất 2 lần mỗi năm học. Từ 01/7/2025 không còn Phòng GDĐT "
            "cấp huyện.",
        ),
        (
            "1. Thông tin",
            "Điền tên trường, loại hình/cấp học, địa chỉ, tỉnh/thành phố, xã/phường/đặc khu, "
            "năm học, số văn bản, ngày ban hành và người ký. Cơ quan chủ quản: UBND xã/phường/"
            "đặc khu với trường mầm non, tiểu học, THCS; Sở Giáo dục và Đào tạo với trường THPT, "
            "trường nhiều cấp có THPT và GDTX. Các mục II, III, VII, VIII đã có sẵn nội dung "
            "theo mẫu: sửa cho phù hợp (thay dấu …… bằng năm học).",
        ),
        (
            "2. Tự đánh giá",
            f"Có sẵn 15 tiêu chí của {circular.short_name}. Chọn mức hiện tại (Không đạt Mức 1, "
            "Mức 1, Mức 2) theo báo cáo tự đánh giá; với tiêu chí cần cải tiến, chọn mức cần "
            "đạt cao hơn mức hiện tại. Đầu trang tự tính mức đạt của trường và những gì còn "
            "thiếu để lên mức tiếp theo.",
        ),
        (
            "3. Vấn đề trọng tâm",
            "Mục IV: chỉ chọn các vấn đề ưu tiên, có tác động trực tiếp đến chất lượng, không "
            "dàn trải cả 15 tiêu chí. Mỗi vấn đề ghi tiêu chuẩn, tiêu chí liên quan, đánh giá "
            "hiện trạng, điểm hạn chế và nguyên nhân. Tiêu chí bắt buộc có mức cần đạt cao hơn "
            "mức hiện tại phải có vấn đề và có việc ở trang Kế hoạch.",
        ),
        (
            "4. Kế hoạch",
            "Mục V: mỗi dòng là một hoạt động cải tiến. Cột Vấn đề ghi số TT của vấn đề trọng "
            "tâm. Ghi đủ nội dung, mục tiêu, hoạt động/giải pháp, chỉ số đánh giá kết quả, tháng "
            "bắt đầu và hoàn thành (ví dụ 9/2026, trong năm học), đơn vị/cá nhân phụ trách, "
            "nguồn lực; minh chứng dự kiến ghi mã dạng (MC.1.4.01).",
        ),
        (
            "5. Theo dõi",
            "Rà soát ít nhất 2 lần: cuối học kỳ I và cuối năm học. Mỗi lần ghi Mức độ thực hiện "
            "của từng dòng kế hoạch (Chưa thực hiện, Đang thực hiện, Hoàn thành, Chậm tiến độ, "
            "Không thực hiện) và một dòng ở trang Theo dõi (mục VI).",
        ),
        (
            "6. Ô có nền đỏ",
            "Khi đang gõ, ô có nền đỏ nhạt là chỗ cần sửa: mã tiêu chí không có trong phụ lục, "
            "tháng hoàn thành trước tháng bắt đầu, ô bắt buộc còn trống ở dòng đã bắt đầu ghi, "
            "số vấn đề chưa có ở trang Vấn đề trọng tâm, tiêu chí bắt buộc cần nâng mức hoặc chưa "
            "đạt Mức 1 mà chưa có kế hoạch. Tháng ghi dạng 9/2026 để được kiểm tra ngay.",
        ),
        (
            "7. Kiểm tra",
            "Chạy lệnh: sheetkit check <tên tệp>.xlsx (hoặc bấm nút Kiểm tra kế hoạch trong bản "
            ".xlsm). Mỗi lỗi ghi rõ trang, ô và cách sửa; sửa hết lỗi trước khi gửi.",
        ),
        (
            "8. Gửi",
            "Gửi chính tệp này (không phải bản PDF hay ảnh chụp) cho UBND xã/phường hoặc Sở "
            "GDĐT (cơ quan quản lý) để tổng hợp.",
        ),
    ]


def write_tt57(
    circular: catalog.Circular, level: str, path: Path, data: dict, macros: bool = False
) -> None:
    """Write the TT57 template of ``circular`` with Loại hình / Cấp học pre-filled as ``level``."""
    wb = _new_workbook(path, "Kế hoạch cải tiến chất lượng giáo dục", circular.short_name)
    fmt = _formats(wb)
    fmt.update(_tt57_formats(wb))
    sheets = {
        name: wb.add_worksheet(name)
        for name in (
            SHEET_GUIDE,
            SHEET_INFO,
            SHEET_ASSESSMENT,
            SHEET_ISSUES,
            SHEET_PLAN,
            SHEET_REVIEWS,
            SHEET_LISTS,
        )
    }
    _write_lists(wb, sheets[SHEET_LISTS], circular)
    _write_guide(sheets[SHEET_GUIDE], circular, level, fmt, macros)
    _write_info(sheets[SHEET_INFO], circular, level, fmt, data.get("info", {}))
    _write_assessment(wb, sheets[SHEET_ASSESSMENT], circular, fmt, data.get("assessment", {}))
    _write_issues(wb, sheets[SHEET_ISSUES], circular, fmt, data.get("issues", []))
    _write_plan(wb, sheets[SHEET_PLAN], circular, fmt, data.get("items", []))
    _write_reviews(sheets[SHEET_REVIEWS], fmt, data.get("reviews"))
    sheets[SHEET_INFO].activate()
    sheets[SHEET_LISTS].hide()
    if macros:
        add_macros(wb)
    wb.close()


def _tt57_formats(wb) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}

    def f(**extra):
        return wb.add_format({**base, **extra})

    return {
        "input_long": f(border=1),
        "level_label": f(bold=True, valign="vcenter"),
        "level_value": f(
            bold=True, font_color="#1F4E79", border=1, bg_color=FORMULA_FILL, valign="vcenter"
        ),
        "live_check": wb.add_format({"bg_color": LIVE_CHECK_FILL}),
        "helper": f(font_color="#808080", font_size=9),
        "date_input": f(border=1, align="center", num_format="dd/mm/yyyy"),
        "hint_cell": f(italic=True, font_color="#595959", border=1),
    }


def _write_lists(wb, ws, circular: catalog.Circular) -> None:
    """The hidden sheet with every dropdown list, each behind a defined name."""
    family = circular.family
    columns = {
        "DS_CapHoc": ("Loại hình / Cấp học", list(catalog.SCHOOL_LEVELS_TT57)),
        "DS_MucDanhGia": ("Mức đánh giá", [label for _, label in family.levels]),
        "DS_MucCanDat": ("Mức cần đạt", [label for level, label in family.levels if level]),
        "DS_Tinh": ("Tỉnh/thành phố", [p.full_name for p in catalog.provinces()]),
        "DS_TieuChuan": ("Tiêu chuẩn", [str(n) for n, _ in circular.standards()]),
        "DS_MucDoThucHien": ("Mức độ thực hiện", list(PROGRESS_CHOICES)),
        "DS_ThoiDiem": ("Thời điểm", [*REVIEW_POINTS, "Giữa học kỳ I", "Giữa học kỳ II"]),
    }
    for col, (name, (header, values)) in enumerate(columns.items()):
        ws.write_string(0, col, header)
        for r, value in enumerate(values, start=1):
            if name == "DS_TieuChuan":
                ws.write_number(r, col, int(value))
            else:
                ws.write_string(r, col, value)
        define(wb, name, SHEET_LISTS, 1, col, len(values))
    base = len(columns) + 1
    for c, header in enumerate(("Mã tiêu chí", "Tên tiêu chí", "Mức cao nhất", "Tiêu chuẩn")):
        ws.write_string(0, base + c, header)
    for r, criterion in enumerate(circular.criteria, start=1):
        ws.write_string(r, base, criterion.code)
        ws.write_string(r, base + 1, criterion.title)
        ws.write_number(r, base + 2, criterion.max_level)
        ws.write_number(r, base + 3, criterion.standard)
    n = len(circular.criteria)
    define(wb, "DS_TieuChi", SHEET_LISTS, 1, base, n)
    first, last = column_letter(base), column_letter(base + 3)
    wb.define_name("BangTieuChi", f"='{SHEET_LISTS}'!${first}$2:${last}${n + 1}")
    meta_col = base + 5
    meta = (
        ("Thông tư", circular.number),
        ("Phụ lục", circular.appendix),
        ("Mẫu", "Biểu 2 Phụ lục V"),
        ("Tạo bởi", "sheetkit"),
    )
    for r, (key, value) in enumerate(meta):
        ws.write_string(r, meta_col, key)
        ws.write_string(r, meta_col + 1, value)
    ws.set_column(base + 1, base + 1, 60)


def _write_guide(ws, circular: catalog.Circular, level: str, fmt, macros: bool) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 95)
    ws.write_string(0, 0, "HƯỚNG DẪN ĐIỀN KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", fmt["title"])
    ws.write_string(
        1,
        0,
        f"Mẫu dành cho {level} — {circular.short_name}; Biểu 2 Phụ lục V (kế hoạch cải tiến "
        "chất lượng).",
        fmt["subtitle"],
    )
    first = 3
    if macros:  # the buttons live here: Python never edits this sheet
        commands = "sheetkit check / sheetkit render / sheetkit review"
        first = button_rows(ws, 3, PLAN_BUTTONS_TT57, fmt, commands) + 1
    note_rows(ws, first, guide_lines(circular, level), fmt, chars_per_row=100)
    ws.hide_gridlines(2)
    ws.fit_to_pages(1, 1)
    ws.set_footer("&CTrang &P/&N")


def _write_info(ws, circular: catalog.Circular, level: str, fmt, values: dict) -> None:
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 2, 50)
    ws.write_string(0, 0, "THÔNG TIN CHUNG CỦA KẾ HOẠCH", fmt["title"])
    ws.write_string(
        1,
        0,
        "Điền cột B. Các dòng ghi “Bắt buộc” phải có; mục II, III, VII, VIII sửa cho phù hợp.",
        fmt["subtitle"],
    )
    ws.set_row(2, 24)
    for c, header in enumerate(("Thông tin", "Nội dung", "Cách điền")):
        ws.write_string(2, c, header, fmt["header"])
    _, head, example, number = UNITS.get(level, UNITS["THCS"])
    hints = {
        "school_name": f"Bắt buộc. Ví dụ: {example}",
        "document_number": f"Ví dụ: {number}",
        "principal": f"Họ và tên {head.lower()} (người ký kế hoạch)",
    }
    fields = [f for f in contract.INFO_FIELDS_TT57 if f.in_template]
    rows = {f.key: r for r, f in enumerate(fields, start=3)}
    defaults = {"school_level": level, "circular": TT57_CIRCULAR_TEXT, **SECTION_TEXTS}
    for field in fields:
        r = rows[field.key]
        ws.write_string(r, 0, field.label, fmt["label"])
        value = values.get(field.key, defaults.get(field.key))
        write_value(ws, r, 1, value, fmt[field.style])
        hint = hints.get(field.key, field.hint)
        shown = {"value": "" if value is None else str(value), "hint": hint}
        ws.set_row(r, max(20, row_height(shown, {"value": 70, "hint": 50})))
        ws.write_string(r, 2, hint, fmt["hint_cell"])
        field_validation(ws, r, 1, r, 1, field, circular)
    # The managing body as the 2025 reform has it, suggested live from what is typed above.
    cell = {key: f"B{r + 1}" for key, r in rows.items()}
    kind = cell["school_level"]
    core = f'SUBSTITUTE(SUBSTITUTE({cell["province"]},"Thành phố ",""),"Tỉnh ","")'
    department = f'"SỞ GIÁO DỤC VÀ ĐÀO TẠO "&IF({cell["province"]}="","…",UPPER({core}))'
    committee = f'IF({cell["commune"]}="","UBND XÃ/PHƯỜNG …","UBND "&UPPER({cell["commune"]}))'
    suggestion = (
        f'="Để trống: bản kế hoạch ghi "&IF(OR({kind}="THPT",{kind}="GDTX"),{department},'
        f'IF({kind}="Phổ thông nhiều cấp học",{committee}&" (trường có cấp THPT: "&{department}'
        f'&"; hãy ghi rõ)",{committee}))'
    )
    ws.write_formula(rows["governing_body"], 2, suggestion, fmt["hint_cell"], "")
    ws.freeze_panes(3, 0)
    ws.repeat_rows(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


def _columns(fields: tuple[contract.Field, ...]) -> dict[str, int]:
    """Field key -> the column (0-based) of a sheet whose columns are ``fields``."""
    return {f.key: i for i, f in enumerate(fields)}


def _table_header(ws, fields, header_row: int, fmt, height: float = 36) -> None:
    for c, field in enumerate(fields):
        ws.set_column(c, c, field.width)
        ws.write_string(header_row, c, field.label, fmt["header"])
    ws.set_row(header_row, height)


def _write_assessment(wb, ws, circular: catalog.Circular, fmt, data: dict) -> None:
    fields = contract.ASSESSMENT_COLUMNS_TT57
    col = _columns(fields)
    letter = {key: column_letter(c) for key, c in col.items()}
    h = ASSESSMENT_HEADER_ROW
    first, last = h + 1, h + len(circular.criteria)  # 0-based
    # Hidden helpers: the level as a number, and the level after the plan.
    current_n, planned_n = len(fields) + 1, len(fields) + 2
    cur, plan = column_letter(current_n), column_letter(planned_n)
    _table_header(ws, fields, h, fmt)
    ws.write_string(h, current_n, "Mức hiện tại (số)", fmt["helper"])
    ws.write_string(h, planned_n, "Mức sau kế hoạch (số)", fmt["helper"])
    ws.write_string(
        0, 0, f"KẾT QUẢ TỰ ĐÁNH GIÁ THEO TIÊU CHÍ — {circular.short_name}", fmt["title"]
    )
    bb = f"${letter['compulsory']}${first + 1}:${letter['compulsory']}${last + 1}"
    ms = f"${cur}${first + 1}:${cur}${last + 1}"
    ps = f"${plan}${first + 1}:${plan}${last + 1}"
    n_compulsory = len(circular.compulsory_codes)

    at_least_1 = '">=1"'

    # "The others" are counted as all minus the compulsory ones: LibreOffice's COUNTIFS
    # does not count empty cells for a "<>x" criterion, Excel's does.
    def count(levels: str, criterion: str, compulsory_only: bool = False) -> str:
        compulsory_count = f'COUNTIFS({bb},"x",{levels},{criterion})'
        if compulsory_only:
            return compulsory_count
        return f"(COUNTIF({levels},{criterion})-{compulsory_count})"

    def level_formula(levels: str) -> str:
        n = len(circular.criteria)
        return (
            f'IF(COUNT({levels})<{n},"Chưa đủ: còn "&({n}-COUNT({levels}))&'
            f'" tiêu chí chưa chọn mức hiện tại",'
            f"IF(AND({count(levels, 2, True)}={n_compulsory},"
            f"{count(levels, 2)}>={OTHERS_NEEDED},{count(levels, 0)}=0),"
            f'"Mức 2",IF(AND({count(levels, at_least_1, True)}={n_compulsory},'
            f'{count(levels, at_least_1)}>={OTHERS_NEEDED}),"Mức 1",'
            f'"Không đạt Mức 1")))'
        )

    # What is still missing after the plan, naming the criteria as check does (one IF per
    # row joined with &: TEXTJOIN is missing from Excel before 2019).
    rows = list(range(first + 1, last + 2))
    bl, dl, pl = letter["criterion"], letter["compulsory"], plan

    def codes(condition: str) -> str:
        parts = "&".join(f'IF({condition.format(r=r)},${bl}${r}&" ","")' for r in rows)
        return f'SUBSTITUTE(TRIM({parts})," ",", ")'

    need = 'IF($D$3="Mức 1",2,1)'
    target = 'IF($D$3="Mức 1","Mức 2","Mức 1")'
    compulsory_below = codes(f'AND(${dl}${{r}}="x",${pl}${{r}}<{need})')
    others_short = (
        f'MAX(0,{OTHERS_NEEDED}-(COUNTIF({ps},">="&{need})-COUNTIFS({bb},"x",{ps},">="&{need})))'
    )
    others_below_1 = codes(f'AND(${dl}${{r}}<>"x",${pl}${{r}}<1)')
    parts = (
        f'IF({compulsory_below}="","","tiêu chí bắt buộc "&{compulsory_below}&" đạt "&{target}&"; ")'
        f'&IF({others_short}=0,"","thêm "&{others_short}&" tiêu chí không bắt buộc đạt "&{target}&"; ")'
        f'&IF(OR({need}=1,{others_below_1}=""),"","tiêu chí "&{others_below_1}&" đạt ít nhất Mức 1; ")'
    )
    gap = (
        f'=IF(COUNT({ms})<{len(circular.criteria)},"Chọn đủ mức hiện tại của 15 tiêu chí.",'
        f'IF($D$3="Mức 2","Sau kế hoạch đạt Mức 2, mức cao nhất.",'
        f'"Để đạt "&{target}&" còn cần: "&LEFT({parts},LEN({parts})-2)&"."))'
    )
    unit = "trung tâm" if "GDTX" in circular.school_levels else "trường"
    labels = (
        (f"Mức đạt hiện tại của {unit} (khoản 3 Điều 5):", f"={level_formula(ms)}"),
        ("Mức đạt dự kiến sau khi hoàn thành kế hoạch:", f"={level_formula(ps)}"),
        ("Còn thiếu để lên mức tiếp theo:", gap),
    )
    for r, (label, formula) in enumerate(labels, start=1):
        ws.merge_range(r, 0, r, 2, label, fmt["level_label"])
        ws.merge_range(r, 3, r, len(fields) - 1, "", fmt["level_value"])
        ws.write_formula(r, 3, formula, fmt["level_value"], "")
        ws.set_row(r, 24 if r < 3 else 40)
    ws.write_string(
        4,
        0,
        "Chọn mức hiện tại (cột E) và, với tiêu chí cần cải tiến, mức cần đạt (cột F). Bắt buộc: "
        "x. Ô mức cần đạt có nền đỏ: tiêu chí bắt buộc chưa có vấn đề trọng tâm hoặc việc ở trang "
        "Kế hoạch.",
        fmt["subtitle"],
    )
    for r, criterion in enumerate(circular.criteria, start=first):
        typed = data.get(criterion.code) or {}
        if not isinstance(typed, dict):
            typed = {"current": typed}
        known = {
            "standard": criterion.standard,
            "criterion": criterion.code,
            "title": criterion.title,
            "compulsory": "x" if criterion.compulsory else "",
            "requirement_1": criterion.requirements[0],
            "requirement_2": criterion.requirements[1],
        }
        for field in fields:
            value = known[field.key] if field.key in known else typed.get(field.key)
            write_value(ws, r, col[field.key], value, fmt[field.style])
        e, t = f"{letter['current']}{r + 1}", f"{letter['target']}{r + 1}"
        ws.write_formula(
            r,
            current_n,
            f'=IF({e}="","",IFERROR(MATCH({e},DS_MucDanhGia,0)-1,""))',
            fmt["helper"],
            "",
        )
        ws.write_formula(
            r,
            planned_n,
            f'=IF({cur}{r + 1}="","",MAX({cur}{r + 1},IFERROR(MATCH({t},DS_MucDanhGia,0)-1,0)))',
            fmt["helper"],
            "",
        )
        texts = {
            "title": criterion.title,
            "r1": known["requirement_1"],
            "r2": known["requirement_2"],
        }
        ws.set_row(r, row_height(texts, {"title": 36, "r1": 48, "r2": 48}))
    for field in fields:
        c = col[field.key]
        field_validation(ws, first, c, last, c, field, circular)
    define(wb, "TuDanhGia_Ma", SHEET_ASSESSMENT, first, col["criterion"], last)
    define(wb, "TuDanhGia_Muc", SHEET_ASSESSMENT, first, col["current"], last)
    # Live check: a compulsory criterion aimed higher, or still below Mức 1, without a priority
    # issue or a plan row (tt57.assessment.compulsory_unplanned, compulsory_below_unplanned).
    b, d = letter["criterion"], letter["compulsory"]
    ws.conditional_format(
        first,
        col["target"],
        last,
        col["target"],
        {
            "type": "formula",
            "criteria": (
                f'=AND(${d}{first + 1}="x",ISNUMBER(${cur}{first + 1}),'
                f"OR(${plan}{first + 1}>${cur}{first + 1},${cur}{first + 1}=0),"
                f"OR(COUNTIF(KH_TieuChi,${b}{first + 1})=0,"
                f'COUNTIF(VanDe_TieuChi,"*"&${b}{first + 1}&"*")=0))'
            ),
            "format": fmt["live_check"],
        },
    )
    ws.set_column(current_n, planned_n, 10, None, {"hidden": True})
    ws.print_area(0, 0, last, len(fields) - 1)
    ws.freeze_panes(h + 1, 3)
    ws.repeat_rows(h)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


def _write_issues(wb, ws, circular: catalog.Circular, fmt, issues: list[dict]) -> None:
    fields = contract.ISSUE_COLUMNS
    col = _columns(fields)
    h = ISSUE_HEADER_ROW
    first, last = h + 1, h + max(ISSUE_ROWS, len(issues) + 5)
    ws.write_string(0, 0, "IV. TÓM TẮT CÁC VẤN ĐỀ TRỌNG TÂM CẦN CẢI TIẾN", fmt["title"])
    ws.write_string(
        1,
        0,
        "Lưu ý: Chỉ lựa chọn các vấn đề trọng tâm, có tác động trực tiếp đến chất lượng giáo "
        "dục để đưa vào kế hoạch cải tiến.",
        fmt["subtitle"],
    )
    _table_header(ws, fields, h, fmt)
    filled_n = len(fields) + 1  # hidden: 1 when the issue row has content
    filled = column_letter(filled_n)
    widths = {f.key: f.width for f in fields}
    count = 0
    for r in range(first, last + 1):
        issue = issues[r - first] if r - first < len(issues) else {}
        count += bool(issue)
        for field in fields:
            if field.key == "tt" and issue.get("tt") is None:
                # Numbered as rows are filled (the reader counts the same way).
                ws.write_formula(
                    r,
                    col["tt"],
                    f'=IF({filled}{r + 1}=1,COUNTIF({filled}${first + 1}:{filled}{r + 1},1),"")',
                    fmt[field.style],
                    count if issue else "",
                )
                continue
            write_value(ws, r, col[field.key], issue.get(field.key), fmt[field.style])
        inputs = "&".join(f"{column_letter(col[f.key])}{r + 1}" for f in fields if not f.derived)
        ws.write_formula(r, filled_n, f"=IF(LEN({inputs})>0,1,0)", fmt["helper"], 1 if issue else 0)
        if issue:
            ws.set_row(r, row_height(issue, widths))
    for field in fields:
        c = col[field.key]
        field_validation(ws, first, c, last, c, field, circular)
    define(wb, "DS_VanDe", SHEET_ISSUES, first, col["tt"], last)
    define(wb, "VanDe_TT", SHEET_ISSUES, first, col["tt"], last)
    define(wb, "VanDe_Co", SHEET_ISSUES, first, filled_n, last)
    define(wb, "VanDe_TieuChi", SHEET_ISSUES, first, col["criteria"], last)
    ws.set_column(filled_n, filled_n, 8, None, {"hidden": True})
    ws.print_area(0, 0, last, len(fields) - 1)
    ws.freeze_panes(h + 1, 0)
    ws.repeat_rows(h)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


# Plan columns that a started row must fill: those of the check's tt57.item.*_missing
# rules, so the live check marks the cells the check reports (in the plan's order).
_MISSING_RULES = {r.column for r in RULES if r.table == "tt57.items" and r.id.endswith("_missing")}
REQUIRED_IN_ROW = tuple(f.key for f in contract.PLAN_COLUMNS_TT57 if f.key in _MISSING_RULES)


def _cached_month(value: object) -> int | str:
    """What the month helper formula gives for a typed month (blank when not understood)."""
    try:
        month = parse_month(value)
    except ParseError:
        return ""
    return "" if month is None else month


def _month_index(ref: str) -> str:
    """A formula giving year * 12 + month - 1 of a typed month (9/2026, T9/2026, tháng 9/2026)."""
    text = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(UPPER(TRIM({ref})),"THÁNG",""),"T","")," ","")'
    return (
        f'=IF(LEN({ref})=0,"",IF(ISNUMBER({ref}),YEAR({ref})*12+MONTH({ref})-1,'
        f'IFERROR(VALUE(MID({text},FIND("/",{text})+1,4))*12'
        f'+VALUE(LEFT({text},FIND("/",{text})-1))-1,"")))'
    )


def _write_plan(wb, ws, circular: catalog.Circular, fmt, items: list[dict]) -> None:
    fields = contract.PLAN_COLUMNS_TT57
    col = _columns(fields)
    letter = {key: column_letter(c) for key, c in col.items()}
    h = PLAN_HEADER_ROW
    first, last = h + 1, h + max(PLAN_ROWS, len(items) + 20)
    ws.write_string(0, 0, "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG", fmt["title"])
    ws.write_string(
        1,
        0,
        "Mỗi dòng là một hoạt động cải tiến; cột Vấn đề ghi số TT ở trang Vấn đề trọng tâm. "
        "Thời gian ghi tháng/năm (9/2026). Mức độ thực hiện ghi khi rà soát.",
        fmt["subtitle"],
    )
    _table_header(ws, fields, h, fmt, height=50)
    # Hidden helpers: months as numbers, and whether the row is started.
    start_n, end_n, started_n = len(fields) + 1, len(fields) + 2, len(fields) + 3
    s_col, e_col, st_col = (column_letter(n) for n in (start_n, end_n, started_n))
    for n, title in ((start_n, "Bắt đầu (số)"), (end_n, "Hoàn thành (số)"), (started_n, "Đã ghi")):
        ws.write_string(h, n, title, fmt["helper"])
    inputs = [f for f in fields if not f.derived]
    widths = {f.key: f.width for f in fields}
    started = 0
    for r in range(first, last + 1):
        item = items[r - first] if r - first < len(items) else {}
        excel = r + 1
        # Results are cached as a spreadsheet would compute them, for viewers that do not
        # recalculate on opening.
        filled = any(item.get(f.key) not in (None, "") for f in inputs)
        started += filled
        ws.write_formula(
            r,
            col["tt"],
            f'=IF(${st_col}{excel}=1,SUM(${st_col}${first + 1}:${st_col}{excel}),"")',
            fmt[fields[col["tt"]].style],
            started if filled else "",
        )
        for field in inputs:
            write_value(ws, r, col[field.key], item.get(field.key), fmt[field.style])
        for n, key in ((start_n, "start"), (end_n, "end")):
            ref = f"{letter[key]}{excel}"
            ws.write_formula(r, n, _month_index(ref), fmt["helper"], _cached_month(item.get(key)))
        typed = "&".join(f"{letter[f.key]}{excel}" for f in inputs)
        ws.write_formula(r, started_n, f"=IF(LEN({typed})>0,1,0)", fmt["helper"], int(filled))
        if item:
            ws.set_row(r, row_height(item, widths))
    for field in fields:
        c = col[field.key]
        field_validation(ws, first, c, last, c, field, circular)
    # Mức độ thực hiện: free text allowed, with a reminder (the check warns).
    define(wb, "KH_TieuChi", SHEET_PLAN, first, col["criterion"], last)
    top = first + 1
    live = fmt["live_check"]

    def mark(key: str, formula: str) -> None:
        c = col[key]
        ws.conditional_format(
            first, c, last, c, {"type": "formula", "criteria": formula, "format": live}
        )

    mark(
        "criterion",
        f"=AND(LEN(${letter['criterion']}{top})>0,"
        f'ISNA(MATCH(${letter["criterion"]}{top}&"",DS_TieuChi,0)))',
    )
    mark(
        "end", f"=AND(ISNUMBER(${s_col}{top}),ISNUMBER(${e_col}{top}),${e_col}{top}<${s_col}{top})"
    )
    mark(
        "issue",
        f"=AND(LEN(${letter['issue']}{top})>0,"
        f"COUNTIFS(VanDe_TT,${letter['issue']}{top},VanDe_Co,1)=0)",
    )
    for key in REQUIRED_IN_ROW:
        mark(key, f"=AND(${st_col}{top}=1,LEN({letter[key]}{top})=0)")
    ws.set_column(start_n, started_n, 8, None, {"hidden": True})
    ws.print_area(0, 0, last, len(fields) - 1)
    ws.freeze_panes(h + 1, col["content"])
    ws.autofilter(h, 0, last, len(fields) - 1)
    ws.repeat_rows(h)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


def _write_reviews(ws, fmt, reviews: list[dict] | None) -> None:
    fields = contract.REVIEW_COLUMNS
    col = _columns(fields)
    h = REVIEW_HEADER_ROW
    if reviews is None:
        reviews = [{"when": point} for point in REVIEW_POINTS]
    first, last = h + 1, h + max(REVIEW_ROWS, len(reviews) + 4)
    ws.write_string(0, 0, "VI. THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (GIÁM SÁT NỘI BỘ)", fmt["title"])
    ws.write_string(
        1,
        0,
        "Rà soát ít nhất 02 lần trong năm học: cuối học kỳ I và cuối năm học. Có thể thêm "
        "dòng cho các lần rà soát khác.",
        fmt["subtitle"],
    )
    _table_header(ws, fields, h, fmt)
    widths = {f.key: f.width for f in fields}
    for r in range(first, last + 1):
        review = reviews[r - first] if r - first < len(reviews) else {}
        for field in fields:
            style = fmt["date_input"] if field.parser == "date" else fmt[field.style]
            write_value(ws, r, col[field.key], review.get(field.key), style)
        ws.set_row(r, max(row_height(review, widths), 30))
    ws.data_validation(
        first,
        col["when"],
        last,
        col["when"],
        {
            "validate": "list",
            "source": "=DS_ThoiDiem",
            "input_title": "Thời điểm",
            "input_message": "Cuối học kỳ I, cuối năm học, hoặc ghi thời điểm khác.",
            "error_type": "information",
            "error_title": "Thời điểm khác",
            "error_message": "Thời điểm này không có trong danh sách; vẫn được ghi.",
        },
    )
    ws.data_validation(
        first,
        col["date"],
        last,
        col["date"],
        {
            "validate": "any",
            "input_title": "Ngày",
            "input_message": "Ngày rà soát, ví dụ 15/01/2027, hoặc tháng: 1/2027.",
        },
    )
    ws.freeze_panes(h + 1, 0)
    ws.repeat_rows(h)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")
