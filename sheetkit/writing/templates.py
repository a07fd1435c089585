"""Template workbooks per school level, written with XlsxWriter.

The template is the contract made visible: the sheets and headers readers
look for, dropdowns fed from workbook-level defined names (never inline
lists, which Excel caps at 255 characters), criterion codes stored as text,
and formulas that show the criterion title and current level as the user
types. No reader relies on those formulas.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import layouts
from ..excel.macros import (
    DISTRICT_BUTTONS,
    FOLDER_NAME,
    PLAN_BUTTONS,
    STATUS_NAME,
    add_macros,
)
from ..model import catalog, contract
from ..model.contract import (
    SHEET_ASSESSMENT,
    SHEET_DISTRICT,
    SHEET_GUIDE,
    SHEET_INFO,
    SHEET_LISTS,
    SHEET_PLAN,
)
from ..model.roster import ROSTER_TEMPLATE
from ..reading.parsing import LEVEL_NAMES, PLAN_TYPES
from ..reading.sources import column_letter
from .files import UsageError, atomic_path
from .layout import row_height
from .roster_template import write_roster_template
from .workbook_style import (
    button_rows,
    define,
    field_validation,
    note_rows,
    write_value,
)
from .workbook_style import new_workbook as _new_workbook
from .workbook_style import template_formats as _formats

TEMPLATE_NAMES = ("mam-non", "tieu-hoc", "trung-hoc")  # the 2018 circulars' templates
TT57_TEMPLATE_NAMES = tuple(
    catalog.TT57_TEMPLATES
)  # mam-non, tieu-hoc, thcs, thpt, pho-thong, gdtx
CIRCULAR_IDS = ("tt57-2026", "tt17-2018", "tt18-2018", "tt19-2018")  # what --circular accepts
DISTRICT_TEMPLATE = "tong-hop"
PLAN_ROWS = 200  # rows with dropdowns and formulas in Kế hoạch
PLAN_HEADER_ROW = 3  # 0-based: Excel row 4
ASSESSMENT_HEADER_ROW = 2  # 0-based: Excel row 3

INFO_WIDTHS = {"value": 70, "hint": 58}  # Thông tin's columns B and C


# The 2018 circulars were all signed on 22/8/2018; the Bộ's guidance on self-assessment
# came on 28/12/2018, one Công văn for mầm non and one for phổ thông.
CIRCULAR_DATE_2018 = "22/8/2018"
GUIDANCE_2018 = {
    "tt19-2018": "Công văn số 5942/BGDĐT-QLCL ngày 28/12/2018 của Bộ Giáo dục và Đào tạo về "
    "việc hướng dẫn tự đánh giá và đánh giá ngoài trường mầm non",
    "tt17-2018": "Công văn số 5932/BGDĐT-QLCL ngày 28/12/2018 của Bộ Giáo dục và Đào tạo về "
    "việc hướng dẫn tự đánh giá và đánh giá ngoài cơ sở giáo dục phổ thông",
}
GUIDANCE_2018["tt18-2018"] = GUIDANCE_2018["tt17-2018"]


def section_texts(circular: catalog.Circular) -> dict[str, str]:
    """The text of sections I, II and IV of a 2018 plan, pre-filled in Thông tin for the school
    to edit: the circular of its level and its guidance, the year's plans, the self-assessment."""
    subject = circular.description[0].lower() + circular.description[1:]
    return {
        "legal_bases": (
            f"Căn cứ Thông tư số {circular.number} ngày {CIRCULAR_DATE_2018} của Bộ trưởng Bộ "
            f"Giáo dục và Đào tạo ban hành Quy định về {subject};\n"
            f"Căn cứ {GUIDANCE_2018[circular.id]};\n"
            "Căn cứ Công văn hướng dẫn thực hiện nhiệm vụ năm học của cơ quan quản lý giáo dục "
            "và Kế hoạch năm học của nhà trường;\n"
            "Căn cứ Báo cáo tự đánh giá và kết quả thực hiện kế hoạch cải tiến chất lượng "
            "năm học trước của nhà trường."
        ),
        "purpose": (
            "1. Mục đích\n"
            "- Trên cơ sở kết quả tự đánh giá, xác định các tiêu chí cần cải tiến và giải pháp "
            "phát huy điểm mạnh, khắc phục điểm yếu, từng bước nâng cao chất lượng giáo dục "
            "của nhà trường.\n"
            "- Duy trì và nâng cao mức đạt của các tiêu chí, tiêu chuẩn; làm căn cứ để nhà "
            "trường đề nghị đánh giá ngoài, công nhận đạt kiểm định chất lượng giáo dục và "
            "đạt chuẩn quốc gia.\n"
            "2. Yêu cầu\n"
            "- Kế hoạch cụ thể, khả thi, phù hợp với điều kiện thực tế của nhà trường và địa "
            "phương.\n"
            "- Mỗi tiêu chí cần cải tiến có kết quả cần đạt, công việc, người chủ trì, người "
            "phối hợp, thời gian, kinh phí và điều kiện hỗ trợ rõ ràng.\n"
            "- Cán bộ, giáo viên, nhân viên nắm vững và thực hiện đúng kế hoạch; định kỳ rà "
            "soát, điều chỉnh cho phù hợp."
        ),
        "organisation": (
            "1. Hiệu trưởng (Chủ tịch Hội đồng tự đánh giá)\n"
            "- Ban hành kế hoạch, phân công nhiệm vụ cho các thành viên Hội đồng tự đánh giá, "
            "các tổ, bộ phận; bảo đảm kinh phí và điều kiện thực hiện kế hoạch.\n"
            "- Theo dõi, kiểm tra, đôn đốc việc thực hiện; định kỳ sơ kết, đánh giá và báo "
            "cáo cơ quan quản lý.\n"
            "2. Các thành viên Hội đồng tự đánh giá\n"
            "- Theo dõi, bảo đảm tiến độ cải tiến chất lượng các tiêu chí được phân công; cập "
            "nhật minh chứng và báo cáo tự đánh giá.\n"
            "3. Các tổ chuyên môn, tổ văn phòng, cán bộ, giáo viên, nhân viên\n"
            "- Thực hiện các công việc được phân công trong kế hoạch; báo cáo kết quả, đề xuất "
            "điều chỉnh khi cần thiết."
        ),
    }


def guide_lines(circular: catalog.Circular) -> list[tuple[str, str]]:
    """(heading, text) pairs of the Hướng dẫn sheet."""
    return [
        (
            "1. Thông tin",
            "Điền tên trường, cấp học, năm học, loại kế hoạch (Hằng năm hoặc Chu kỳ 5 năm; "
            "kế hoạch chu kỳ ghi thêm 'Đến năm học'), số văn bản, ngày ban hành, hiệu trưởng "
            "và mức mục tiêu của trường. Ba dòng Căn cứ xây dựng kế hoạch, Mục đích, yêu cầu "
            "và Tổ chức thực hiện đã có nội dung mẫu: sửa cho phù hợp với trường (mỗi ý một "
            "dòng, xuống dòng bằng Alt+Enter); chúng được in trước và sau bảng của bản kế "
            "hoạch.",
        ),
        (
            "2. Tự đánh giá",
            f"Trang này đã có sẵn {len(circular.criteria)} tiêu chí của {circular.short_name}. "
            "Chọn mức hiện tại của từng tiêu chí theo kết quả tự đánh giá: Không đạt, Mức 1, "
            "Mức 2 hoặc Mức 3.",
        ),
        (
            "3. Kế hoạch",
            "Mỗi dòng là một việc cải tiến. Chọn mã tiêu chí trong danh sách: tên tiêu chí và "
            "mức hiện tại tự hiện ra. Chọn mức cần đạt, rồi ghi kết quả cần đạt, hạn chế cần "
            "khắc phục, công việc/giải pháp, người chủ trì và người phối hợp. Một tiêu chí có "
            "thể có nhiều dòng.",
        ),
        (
            "4. Thời gian",
            "Bắt đầu và Hoàn thành ghi tháng/năm, ví dụ 9/2024 hoặc tháng 9/2024. Mỗi ô chỉ "
            "ghi một tháng. Kế hoạch hằng năm nằm trong năm học (tháng 8 đến tháng 7 năm sau).",
        ),
        (
            "5. Kinh phí",
            "Ghi số tiền (10.000.000 hoặc 10 triệu, 1,5 tỷ) hoặc một trong các cụm: Không; "
            "Theo tình hình thực tế; Theo quy chế chi tiêu nội bộ; Xã hội hóa.",
        ),
        (
            "6. Giữ nguyên mẫu",
            "Không xóa, đổi tên hay chèn cột trong các trang. Có thể thêm dòng trong bảng "
            "Kế hoạch. Gõ chữ bằng Unicode (không dùng bảng mã TCVN3 hay VNI).",
        ),
        (
            "7. Kiểm tra",
            "Chạy lệnh: sheetkit check <tên tệp>.xlsx (hoặc bấm nút Kiểm tra kế hoạch trong "
            "bản .xlsm). Mỗi lỗi ghi rõ trang, ô và cách sửa; sửa hết lỗi trước khi gửi.",
        ),
        (
            "8. Gửi",
            "Gửi chính tệp này (không phải bản PDF hay ảnh chụp) cho cơ quan quản lý (UBND xã, "
            "phường hoặc Sở GDĐT) để tổng hợp.",
        ),
    ]


def resolve_template(name: str, circular: str | None = None) -> tuple[catalog.Circular, str | None]:
    """(circular, the Cấp học it pre-fills) of a template name under a circular.

    Without ``circular`` the regulation in force is used, Thông tư 57/2026
    (the phổ thông levels share its Phụ lục II, Cấp học pre-filled); only the
    2018 name "trung-hoc" still means Thông tư 18/2018. ``circular`` is one of
    CIRCULAR_IDS.
    """
    if circular in (None, "tt57-2026"):
        if name in catalog.TT57_TEMPLATES:
            level = catalog.TT57_TEMPLATES[name]
            return catalog.for_school_level(level, catalog.FAMILY_TT57), level
        if circular is None and name == "trung-hoc":
            return catalog.by_id("tt18-2018"), None
        choices = ", ".join(TT57_TEMPLATE_NAMES)
        raise UsageError(f"không có mẫu '{name}' theo Thông tư 57/2026; chọn một trong: {choices}")
    if circular not in CIRCULAR_IDS:
        raise UsageError(
            f"không có thông tư '{circular}'; chọn một trong: {', '.join(CIRCULAR_IDS)}"
        )
    chosen = catalog.by_id(circular)
    if name == chosen.template:
        return chosen, None
    level = catalog.TT57_TEMPLATES.get(name)
    if level in chosen.school_levels:
        return chosen, level
    raise UsageError(
        f"{chosen.short_name} không có mẫu '{name}' (mẫu của thông tư này: {chosen.template})"
    )


def build_template(
    name: str,
    path: str | os.PathLike[str],
    data: PlanData | None = None,
    circular: str | None = None,
) -> Path:
    """Write the template ``name`` to ``path``: a school level, or tong-hop (the district workbook).

    Levels: mam-non, tieu-hoc, thcs, thpt, pho-thong, gdtx under Thông tư
    57/2026 (the default); with ``circular`` (tt17-2018, tt18-2018,
    tt19-2018) the 2018 templates mam-non, tieu-hoc, trung-hoc. A ``.xlsm``
    path gives the macro-enabled workbook with buttons (the only kind of
    tong-hop). With ``data`` a plan template comes pre-filled, as if a school
    had typed it: ``{"info": {field key: value}, "assessment": {code: level
    or {"current": ..., "target": ..., "note": ...}}, "items": [{column key:
    value}]}`` and under TT57 also ``"issues"`` and ``"reviews"``. Values are
    written as typed (text stays text); formulas get their results cached.
    """
    path = Path(path)
    macros = path.suffix.lower() == ".xlsm"
    if name == DISTRICT_TEMPLATE and not macros:
        raise UsageError("sổ tổng hợp có nút bấm nên phải có đuôi .xlsm")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError("tệp mẫu phải có đuôi .xlsx (hoặc .xlsm để có nút bấm)")
    if name == DISTRICT_TEMPLATE:
        with atomic_path(path) as tmp:
            _write_district(tmp)
        return path
    if name == ROSTER_TEMPLATE:
        if macros:
            raise UsageError("danh sách trường không có nút bấm: hãy ghi tệp có đuôi .xlsx")
        return write_roster_template(path)
    chosen, level = resolve_template(name, circular)
    with atomic_path(path) as tmp:
        layouts.get(chosen.family.layout).write_template(chosen, level, tmp, data or {}, macros)
    return path


PlanData = dict


def write_2018(
    circular: catalog.Circular, path: Path, data: PlanData, macros: bool = False, level=None
) -> None:
    """The template of a 2018 circular (``level`` pre-filled as Cấp học): the 2018 layout's."""
    wb = _new_workbook(path, "Kế hoạch cải tiến chất lượng giáo dục", circular.short_name)
    fmt = _formats(wb)

    guide = wb.add_worksheet(SHEET_GUIDE)
    info = wb.add_worksheet(SHEET_INFO)
    assessment = wb.add_worksheet(SHEET_ASSESSMENT)
    plan = wb.add_worksheet(SHEET_PLAN)
    lists = wb.add_worksheet(SHEET_LISTS)

    n_criteria = _write_lists(wb, lists, circular, fmt)
    _write_guide(guide, circular, fmt, macros)
    levels = {
        code: (v.get("current") if isinstance(v, dict) else v)
        for code, v in data.get("assessment", {}).items()
    }
    notes = {
        code: v.get("note") for code, v in data.get("assessment", {}).items() if isinstance(v, dict)
    }
    _write_info(info, circular, fmt, data.get("info", {}), level)
    _write_assessment(wb, assessment, circular, fmt, n_criteria, levels, notes)
    _write_plan(plan, circular, fmt, data.get("items", []), levels)
    info.activate()
    lists.hide()
    if macros:
        add_macros(wb)
    wb.close()


def _write_lists(wb, ws, circular: catalog.Circular, fmt) -> int:
    """The hidden sheet with every dropdown list, each behind a defined name."""
    columns = {
        "DS_CapHoc": ("Cấp học", list(circular.school_levels)),
        "DS_MucCanDat": ("Mức cần đạt", [LEVEL_NAMES[i] for i in (1, 2, 3)]),
        "DS_MucDanhGia": ("Mức đánh giá", [LEVEL_NAMES[i] for i in (0, 1, 2, 3)]),
        "DS_LoaiKeHoach": ("Loại kế hoạch", list(PLAN_TYPES)),
    }
    for col, (name, (header, values)) in enumerate(columns.items()):
        ws.write_string(0, col, header)
        for r, value in enumerate(values, start=1):
            ws.write_string(r, col, value)
        define(wb, name, SHEET_LISTS, 1, col, len(values))
    # The criteria table: code (text), title, highest level.
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
    first, last = column_letter(base), column_letter(base + 2)
    wb.define_name("BangTieuChi", f"='{SHEET_LISTS}'!${first}$2:${last}${n + 1}")
    # What this template is, for people and for sheetkit's own tools.
    meta_col = base + 5
    for r, (key, value) in enumerate(
        (("Thông tư", circular.number), ("Mẫu", circular.template), ("Tạo bởi", "sheetkit"))
    ):
        ws.write_string(r, meta_col, key)
        ws.write_string(r, meta_col + 1, value)
    ws.set_column(base + 1, base + 1, 60)
    return n


def _write_guide(ws, circular: catalog.Circular, fmt, macros: bool = False) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 95)
    ws.write_string(0, 0, "HƯỚNG DẪN ĐIỀN KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", fmt["title"])
    ws.write_string(
        1,
        0,
        f"Mẫu dành cho trường {', '.join(circular.school_levels)} — {circular.short_name}",
        fmt["subtitle"],
    )
    first = 3
    if macros:  # the buttons live here: Python never edits this sheet
        first = button_rows(ws, 3, PLAN_BUTTONS, fmt, "sheetkit check / sheetkit render") + 1
    note_rows(ws, first, guide_lines(circular), fmt, chars_per_row=100)
    ws.hide_gridlines(2)


def _write_info(
    ws, circular: catalog.Circular, fmt, values: dict, level: str | None = None
) -> None:
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, INFO_WIDTHS["value"])
    ws.set_column(2, 2, INFO_WIDTHS["hint"])
    ws.write_string(0, 0, "THÔNG TIN CHUNG CỦA KẾ HOẠCH", fmt["title"])
    ws.write_string(1, 0, "Điền cột B. Các dòng ghi 'Bắt buộc' phải có.", fmt["subtitle"])
    ws.write_string(2, 0, "Thông tin", fmt["header"])
    ws.write_string(2, 1, "Nội dung", fmt["header"])
    ws.write_string(2, 2, "Cách điền", fmt["header"])
    fields = [f for f in contract.INFO_FIELDS if f.in_template]
    defaults = section_texts(circular)
    for r, field in enumerate(fields, start=3):
        ws.write_string(r, 0, field.label, fmt["label"])
        value = values.get(field.key, defaults.get(field.key))
        if value is None and field.key == "school_level":
            value = level or (
                circular.school_levels[0] if len(circular.school_levels) == 1 else None
            )
        write_value(ws, r, 1, value, fmt[field.style])
        shown = {"value": "" if value is None else str(value), "hint": field.hint}
        # A tenth narrower than the columns: LibreOffice fits fewer letters a line than Excel.
        fit = {key: width * 0.9 for key, width in INFO_WIDTHS.items()}
        ws.set_row(r, max(20, row_height(shown, fit)))
        ws.write_string(r, 2, field.hint, fmt["hint"])
        field_validation(ws, r, 1, r, 1, field, circular)
    ws.freeze_panes(3, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_assessment(wb, ws, circular, fmt, n: int, levels: dict, notes: dict) -> None:
    columns = contract.ASSESSMENT_COLUMNS
    for c, field in enumerate(columns):
        ws.set_column(c, c, field.width)
    ws.write_string(
        0, 0, f"KẾT QUẢ TỰ ĐÁNH GIÁ THEO TIÊU CHÍ — {circular.short_name}", fmt["title"]
    )
    ws.write_string(1, 0, "Chọn mức hiện tại của từng tiêu chí (cột C).", fmt["subtitle"])
    h = ASSESSMENT_HEADER_ROW
    for c, field in enumerate(columns):
        ws.write_string(h, c, field.label, fmt["header"])
    col = {f.key: c for c, f in enumerate(columns)}
    for r, criterion in enumerate(circular.criteria, start=h + 1):
        known = {"criterion": criterion.code, "title": criterion.title}
        typed = {"current": levels.get(criterion.code), "note": notes.get(criterion.code)}
        for field in columns:
            value = known.get(field.key, typed.get(field.key))
            write_value(ws, r, col[field.key], value, fmt[field.style])
    last = h + n
    for field in columns:
        field_validation(ws, h + 1, col[field.key], last, col[field.key], field, circular)
    define(wb, "TuDanhGia_Ma", SHEET_ASSESSMENT, h + 1, col["criterion"], last)
    define(wb, "TuDanhGia_Muc", SHEET_ASSESSMENT, h + 1, col["current"], last)
    ws.freeze_panes(h + 1, 1)
    ws.repeat_rows(h)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_plan(ws, circular: catalog.Circular, fmt, items: list[dict], levels: dict) -> None:
    columns = contract.PLAN_COLUMNS
    col = {f.key: i for i, f in enumerate(columns)}
    widths = {f.key: f.width for f in columns}
    for field in columns:
        ws.set_column(col[field.key], col[field.key], field.width)
    ws.write_string(0, 0, "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", fmt["title"])
    ws.write_string(
        1,
        0,
        "Mỗi dòng là một việc cải tiến. Chọn mã tiêu chí: tên tiêu chí và mức hiện tại tự hiện. "
        "Thời gian ghi tháng/năm (9/2024).",
        fmt["subtitle"],
    )
    h = PLAN_HEADER_ROW
    ws.set_row(h, 33)
    for field in columns:
        ws.write_string(h, col[field.key], field.label, fmt["header"])
    first, last = h + 1, h + max(PLAN_ROWS, len(items) + 20)
    code = column_letter(col["criterion"])
    filled = 0
    for r in range(first, last + 1):
        ref = f"{code}{r + 1}"
        item = items[r - first] if r - first < len(items) else {}
        typed_code = item.get("criterion")
        has_code = typed_code not in (None, "")
        filled += has_code
        known = circular.get(str(typed_code)) if has_code else None
        # The formula columns show what the reader takes from the catalog and Tự đánh giá;
        # their results are cached so a program reading the file sees them too.
        formulas = {
            "tt": (
                f'=IF({ref}="","",COUNTA(${code}${first + 1}:{ref}))',
                filled if has_code else "",
            ),
            "title": (
                f'=IF({ref}="","",IFERROR(VLOOKUP({ref},BangTieuChi,2,FALSE),'
                '"(mã không có trong danh sách)"))',
                "" if not has_code else (known.title if known else "(mã không có trong danh sách)"),
            ),
            "current": (
                f'=IF({ref}="","",IFERROR(INDEX(TuDanhGia_Muc,MATCH({ref},TuDanhGia_Ma,0))&"",""))',
                ""
                if levels.get(str(typed_code)) is None or not has_code
                else str(levels[str(typed_code)]),
            ),
        }
        for field in columns:
            c = col[field.key]
            if field.key in formulas and item.get(field.key) and field.key != "tt":
                # A value typed over the formula, as some schools do.
                ws.write_string(r, c, str(item[field.key]), fmt[TYPED_OVER_FORMULA[field.key]])
            elif field.key in formulas:
                formula, cached = formulas[field.key]
                ws.write_formula(r, c, formula, fmt[field.style], cached)
            else:
                write_value(ws, r, c, item.get(field.key), fmt[field.style])
        if item:
            ws.set_row(r, row_height(item, widths))
    for field in columns:
        field_validation(ws, first, col[field.key], last, col[field.key], field, circular)
    ws.freeze_panes(h + 1, col["title"] + 1)
    ws.autofilter(h, 0, last, len(columns) - 1)
    ws.repeat_rows(h)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


# The format of a value a school typed over a formula column.
TYPED_OVER_FORMULA = {"title": "input", "current": "input_center"}


def _write_district(path: Path) -> None:
    """tong-hop.xlsm: the district officer's workbook, a folder cell and the buttons.

    Tổng hợp writes the summary sheets of ``sheetkit merge`` after this sheet.
    """
    wb = _new_workbook(path, "Tổng hợp kế hoạch cải tiến chất lượng giáo dục")
    fmt = _formats(wb)
    ws = wb.add_worksheet(SHEET_DISTRICT)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 100)
    ws.hide_gridlines(2)
    ws.write_string(0, 0, "TỔNG HỢP KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC CÁC TRƯỜNG", fmt["title"])
    ws.write_string(
        1,
        0,
        "Bấm Chọn thư mục, chọn thư mục chứa tệp kế hoạch của các trường, rồi bấm Tổng hợp.",
        fmt["subtitle"],
    )
    ws.write_string(3, 0, "Thư mục kế hoạch", fmt["label_middle"])
    ws.write_blank(3, 1, None, fmt["input_text"])
    ws.set_row(3, 24)
    wb.define_name(FOLDER_NAME, f"='{SHEET_DISTRICT}'!$B$4")
    ws.write_string(4, 1, "Có thể gõ hoặc dán đường dẫn, ví dụ D:\\KeHoach\\2024-2025", fmt["hint"])
    row = button_rows(ws, 6, DISTRICT_BUTTONS, fmt, "sheetkit merge") + 1
    ws.write_string(row, 0, "Lần tổng hợp gần nhất", fmt["label_middle"])
    ws.write_blank(row, 1, None, fmt["formula"])
    ws.set_row(row, 36)
    wb.define_name(STATUS_NAME, f"='{SHEET_DISTRICT}'!$B${row + 1}")
    notes = [
        (
            "Kết quả",
            "Các trang Tổng quan, Theo trường, Theo tiêu chí, Ma trận, Chi tiết kế hoạch và Lỗi "
            "được thêm sau trang này; mỗi lần bấm Tổng hợp chúng được thay bằng bản mới.",
        ),
        (
            "Tệp đọc được",
            "Tệp .xlsx, .xlsm, .xls, .ods và tệp nén .zip, cả trong thư mục con. Tệp hỏng, có mật "
            "khẩu hay không phải kế hoạch không làm dừng việc tổng hợp: chúng được liệt kê ở "
            "trang Lỗi kèm lý do.",
        ),
        (
            "An toàn",
            "Tệp của các trường chỉ được đọc, không bao giờ bị sửa. Trường gửi hai lần: giữ bản "
            "mới hơn và ghi lại ở trang Lỗi.",
        ),
        (
            "Không có Excel",
            "Lệnh sheetkit merge <thư mục> -o tong-hop.xlsx cho cùng kết quả.",
        ),
    ]
    note_rows(ws, row + 2, notes, fmt, chars_per_row=105)
    ws.activate()
    add_macros(wb)
    wb.close()


LEGACY_FOLDER = "thong-tu-2018"  # the 2018 circulars' templates, beside the ones in force


@dataclass(frozen=True)
class Committed:
    """A template committed in workbook_templates/."""

    path: str  # under workbook_templates/
    name: str  # the template name
    circular: str | None  # None: the regulation in force (Thông tư 57/2026), or tong-hop

    def build(self, target: str | os.PathLike[str]) -> Path:
        return build_template(self.name, target, circular=self.circular)


def committed_templates() -> list[Committed]:
    """Every committed template: Thông tư 57/2026 at the top, the 2018 ones in thong-tu-2018/."""
    found = [
        Committed(f"ke-hoach-{name}{suffix}", name, None)
        for name in TT57_TEMPLATE_NAMES
        for suffix in (".xlsx", ".xlsm")
    ]
    found += [
        Committed(f"{LEGACY_FOLDER}/ke-hoach-{name}{suffix}", name, catalog.for_template(name).id)
        for name in TEMPLATE_NAMES
        for suffix in (".xlsx", ".xlsm")
    ]
    return [
        *found,
        Committed(f"{DISTRICT_TEMPLATE}.xlsm", DISTRICT_TEMPLATE, None),
        Committed(f"{ROSTER_TEMPLATE}.xlsx", ROSTER_TEMPLATE, None),
    ]


def write_all(folder: str | os.PathLike[str]) -> list[Path]:
    """Write every committed template into ``folder`` (workbook_templates)."""
    return [c.build(Path(folder) / c.path) for c in committed_templates()]


if __name__ == "__main__":  # python -m sheetkit.templates workbook_templates
    import sys

    for written in write_all(sys.argv[1] if len(sys.argv) > 1 else "workbook_templates"):
        print(f"wrote {written}")
