"""The list of schools to fill (`sheetkit template danh-sach`): schools, and the signing body.

Sheets: Hướng dẫn; Đơn vị tổng hợp (the body that rolls up and signs: its
name, parent line, area, report number, place, signer and Nghị định 30
signature lines); Danh sách trường (one row per school, dropdowns for Cấp
học, Loại hình and Tỉnh/thành phố); a hidden Danh mục of the lists behind
the dropdowns. Read back by ``reading/roster.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import catalog
from ..model.roster import (
    BODY_FIELDS,
    OWNERSHIP,
    ROSTER_FIELDS,
    SHEET_BODY,
    SHEET_ROSTER,
    SHEET_ROSTER_GUIDE,
    SHEET_ROSTER_LISTS,
)
from ..reading.sources import column_letter
from .files import atomic_path
from .layout import row_height
from .workbook_style import FONT, list_validation, new_workbook, template_formats

ROSTER_ROWS = 500  # rows with dropdowns: a Sở lists a few hundred schools
HEADER_ROW = 3  # 0-based: Excel row 4
BODY_WIDTHS = {"value": 48, "hint": 70}  # Đơn vị tổng hợp's columns B and C
LIST_NAMES = {
    "school_level": "DS_CapHoc",
    "ownership": "DS_LoaiHinh",
    "province": "DS_Tinh",
}

GUIDE = (
    (
        "Dùng để làm gì",
        "Danh sách các trường phải nộp kế hoạch cải tiến chất lượng giáo dục cho cơ quan quản "
        "lý. Khi tổng hợp, sheetkit ghép kế hoạch của từng trường với danh sách này để biết "
        "trường nào đã nộp, trường nào chưa nộp, và lấy phần Đơn vị tổng hợp làm tiêu đề, phần "
        "ký của báo cáo gửi cấp trên.",
    ),
    (
        "1. Đơn vị tổng hợp",
        "Ghi tên cơ quan tổng hợp (UBND xã/phường/đặc khu với trường mầm non, tiểu học, THCS; "
        "Sở GDĐT với trường THPT, trung tâm GDNN-GDTX, hoặc mọi trường của tỉnh), tỉnh/thành "
        "phố, xã/phường (UBND), số ký hiệu báo cáo, người ký. Thẩm quyền ký và chức vụ để trống "
        "thì ghi theo Nghị định 30/2020/NĐ-CP.",
    ),
    (
        "2. Danh sách trường",
        "Mỗi trường một dòng, ngay dưới hàng tiêu đề. Mã trường (mã trên cơ sở dữ liệu ngành) "
        "giúp ghép đúng kế hoạch; chưa có mã thì ghép theo tên trường trong cùng xã/phường. Cấp "
        "học, Loại hình, Tỉnh/thành phố chọn trong danh sách thả xuống. Có thể dán danh sách từ "
        "tệp khác (dán giá trị).",
    ),
    (
        "3. Kiểm tra",
        "Lệnh: sheetkit check danh-sach.xlsx. Mỗi lỗi ghi rõ trang, ô và cách sửa: mã trường "
        "trùng, cấp học không có trong danh sách, trường ngoài địa bàn của cơ quan.",
    ),
    (
        "Tệp CSV",
        "Danh sách dạng CSV (UTF-8) có cùng hàng tiêu đề cũng dùng được; khi đó báo cáo chưa "
        "có phần Đơn vị tổng hợp và sheetkit nhắc bổ sung.",
    ),
)


def write_roster_template(
    path: str | os.PathLike[str],
    body: dict[str, str] | None = None,
    schools: list[dict[str, object]] | None = None,
) -> Path:
    """Write the danh sách workbook to ``path`` (through a temporary file renamed into place).

    ``body`` (Đơn vị tổng hợp, by field key) and ``schools`` (rows by field key)
    pre-fill it as an officer would type them: text stays text.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        _write(tmp, body or {}, schools or [])
    return path


def _write(path: Path, values: dict[str, str], rows: list[dict[str, object]]) -> None:
    wb = new_workbook(path, "Danh sách trường nộp kế hoạch cải tiến chất lượng giáo dục")
    fmt = _formats(wb)
    guide = wb.add_worksheet(SHEET_ROSTER_GUIDE)
    body = wb.add_worksheet(SHEET_BODY)
    schools = wb.add_worksheet(SHEET_ROSTER)
    lists = wb.add_worksheet(SHEET_ROSTER_LISTS)
    _write_lists(wb, lists)
    _write_guide(guide, fmt)
    _write_body(body, fmt, values)
    _write_schools(schools, fmt, rows)
    schools.activate()
    lists.hide()
    wb.close()


def _formats(wb) -> dict:
    fmt = template_formats(wb)
    fmt["number"] = wb.add_format(
        {
            "font_name": FONT,
            "font_size": 12,
            "border": 1,
            "align": "center",
            "font_color": "#595959",
        }
    )
    fmt["plain"] = wb.add_format({"font_name": FONT, "font_size": 12})
    return fmt


def _write_lists(wb, ws) -> None:
    values = {
        "school_level": ("Cấp học", catalog.SCHOOL_LEVELS_TT57),
        "ownership": ("Loại hình", OWNERSHIP),
        "province": ("Tỉnh/thành phố", tuple(p.full_name for p in catalog.provinces())),
    }
    for col, (key, (header, items)) in enumerate(values.items()):
        ws.write_string(0, col, header)
        for r, item in enumerate(items, start=1):
            ws.write_string(r, col, item)
        letter = column_letter(col)
        wb.define_name(
            LIST_NAMES[key], f"='{SHEET_ROSTER_LISTS}'!${letter}$2:${letter}${len(items) + 1}"
        )
    ws.write_string(0, len(values) + 1, "Tạo bởi")
    ws.write_string(0, len(values) + 2, "sheetkit")


def _dropdown(ws, r1, c1, r2, c2, key: str, title: str) -> None:
    # Not strict: a pasted value is kept, and sheetkit check says what is wrong with it.
    error = f"Hãy chọn {title.lower()} trong danh sách thả xuống."
    list_validation(
        ws,
        (r1, c1, r2, c2),
        LIST_NAMES[key],
        title,
        "Chọn trong danh sách thả xuống.",
        error,
        strict=False,
    )


def _write_guide(ws, fmt) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 95)
    ws.hide_gridlines(2)
    ws.write_string(
        0, 0, "DANH SÁCH TRƯỜNG NỘP KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", fmt["title"]
    )
    ws.write_string(
        1, 0, "Dành cho cơ quan quản lý: UBND xã/phường/đặc khu, Sở GDĐT", fmt["subtitle"]
    )
    for r, (head, text) in enumerate(GUIDE, start=3):
        ws.write_string(r, 0, head, fmt["guide_head"])
        ws.write_string(r, 1, text, fmt["guide_text"])
        ws.set_row(r, max(20, row_height({"text": text}, {"text": 95 * 0.9})) + 4)
    _print_setup(ws)


def _write_body(ws, fmt, values: dict[str, str]) -> None:
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, BODY_WIDTHS["value"])
    ws.set_column(2, 2, BODY_WIDTHS["hint"])
    ws.write_string(0, 0, "ĐƠN VỊ TỔNG HỢP VÀ KÝ BÁO CÁO", fmt["title"])
    ws.write_string(
        1, 0, "Điền cột B; dòng để trống được ghi theo Nghị định 30/2020/NĐ-CP.", fmt["subtitle"]
    )
    for c, header in enumerate(("Thông tin", "Nội dung", "Cách điền")):
        ws.write_string(2, c, header, fmt["header"])
    for r, field in enumerate(BODY_FIELDS, start=3):
        ws.write_string(r, 0, field.label, fmt["label"])
        if values.get(field.key):
            ws.write_string(r, 1, str(values[field.key]), fmt["input_text"])
        else:
            ws.write_blank(r, 1, None, fmt["input_text"])
        ws.write_string(r, 2, field.hint, fmt["hint"])
        fit = {key: width * 0.9 for key, width in BODY_WIDTHS.items()}
        ws.set_row(r, max(20, row_height({"hint": field.hint}, fit)))
        if field.key == "province":
            _dropdown(ws, r, 1, r, 1, "province", field.label)
    ws.freeze_panes(3, 0)
    _print_setup(ws)


def _write_schools(ws, fmt, rows: list[dict[str, object]]) -> None:
    ws.write_string(0, 0, "DANH SÁCH TRƯỜNG", fmt["title"])
    ws.write_string(
        1,
        0,
        "Mỗi trường một dòng; Tên trường và Cấp học bắt buộc, Mã trường nên có.",
        fmt["subtitle"],
    )
    ws.write_string(HEADER_ROW, 0, "TT", fmt["header"])
    ws.set_column(0, 0, 5, fmt["number"])
    first, last = HEADER_ROW + 1, HEADER_ROW + ROSTER_ROWS
    for c, field in enumerate(ROSTER_FIELDS, start=1):
        ws.write_string(HEADER_ROW, c, field.header, fmt["header"])
        ws.set_column(
            c, c, field.width, fmt["input_text"] if field.key in ("code", "phone") else fmt["input"]
        )
        if field.key in LIST_NAMES:
            _dropdown(ws, first, c, last, c, field.key, field.header)
    ws.set_row(HEADER_ROW, 32)
    for r, school in enumerate(rows, start=first):
        ws.write_number(r, 0, r - first + 1)
        for c, field in enumerate(ROSTER_FIELDS, start=1):
            if school.get(field.key) not in (None, ""):
                ws.write_string(r, c, str(school[field.key]))
    # The title rows keep no grid: a row's format wins over its columns' input format. The
    # rows below hold no formula (TT is the officer's), so a list prints only as far as it goes.
    for r in range(HEADER_ROW):
        ws.set_row(r, None, fmt["plain"])
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, last, len(ROSTER_FIELDS))
    ws.repeat_rows(HEADER_ROW)
    _print_setup(ws)


def _print_setup(ws) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
