"""Rules for a managing body's list of schools (danh sách trường), read like those of a plan.

Each rule is a ``Rule`` of ``rules.py`` (id, severity, table, sheet, column,
message, test). The tables, prepared by ``sheetkit/checking/roster.py``:
    roster        one row per school of the list
    roster.body   one row: the Đơn vị tổng hợp block
    roster.list   one row: the list as a whole
    structure     found while reading (no list, a missing column)
"""

from __future__ import annotations

import pandera.pandas as pa

from sheetkit.model.roster import SHEET_BODY, SHEET_ROSTER

from .rules import ERROR, WARNING, Rule, blank, given

LEVEL_CHOICES = "Mầm non, Tiểu học, THCS, THPT, Phổ thông nhiều cấp học, GDTX"

ROSTER_RULES: tuple[Rule, ...] = (
    Rule(
        "roster.missing_sheet",
        ERROR,
        "structure",
        SHEET_ROSTER,
        None,
        "Không tìm thấy danh sách trường: cần trang '{sheet}' có hàng tiêu đề gồm Mã trường, "
        "Tên trường, Cấp học. Tạo mẫu bằng lệnh sheetkit template danh-sach -o danh-sach.xlsx "
        "rồi chép danh sách vào.",
    ),
    Rule(
        "roster.missing_header",
        ERROR,
        "structure",
        SHEET_ROSTER,
        None,
        "Trang '{sheet}' thiếu cột '{value}' ở hàng tiêu đề (dòng {row}). Thêm cột này như "
        "trong mẫu danh sách.",
    ),
    Rule(
        "roster.empty",
        ERROR,
        "roster.list",
        SHEET_ROSTER,
        None,
        "Danh sách chưa có trường nào. Ghi mỗi trường một dòng, ngay dưới hàng tiêu đề.",
        lambda t: t["schools"] > 0,
    ),
    Rule(
        "roster.name_missing",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "name",
        "Dòng {row} có thông tin nhưng chưa ghi Tên trường. Ghi tên trường (ví dụ: Trường Tiểu "
        "học Hòa Bình), hoặc xóa dòng này.",
        lambda t: given(t["name"]),
    ),
    Rule(
        "roster.code_missing",
        WARNING,
        "roster",
        SHEET_ROSTER,
        "code",
        "{school} chưa có Mã trường. Ghi mã của trường (mã trên cơ sở dữ liệu ngành) để kế hoạch "
        "được ghép đúng trường; chưa có mã thì sheetkit ghép theo tên trường trong cùng xã/phường.",
        lambda t: given(t["code"]) | blank(t["name"]),
    ),
    Rule(
        "roster.code_duplicate",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "code",
        "Mã trường {value} của {school} trùng với dòng {code_first_row} ({code_first_name}). Mỗi "
        "trường một mã: sửa lại mã cho đúng, hoặc xóa dòng lặp nếu là cùng một trường.",
        lambda t: blank(t["code_first_row"]),
    ),
    Rule(
        "roster.name_duplicate",
        WARNING,
        "roster",
        SHEET_ROSTER,
        "name",
        "{school} trùng tên với dòng {name_first_row} (cùng xã/phường). Nếu là một trường, xóa "
        "dòng lặp; nếu là hai trường khác nhau, ghi Mã trường cho cả hai.",
        lambda t: blank(t["name_first_row"]),
        value="name",
    ),
    Rule(
        "roster.level_missing",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "school_level",
        f"Chưa chọn Cấp học của {{school}}. Chọn trong danh sách: {LEVEL_CHOICES}.",
        lambda t: given(t["school_level_raw"]) | blank(t["name"]),
    ),
    Rule(
        "roster.level_unknown",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "school_level",
        f"Cấp học '{{value}}' của {{school}} không có trong danh sách. Chọn một trong: "
        f"{LEVEL_CHOICES} (trung tâm GDNN-GDTX).",
        lambda t: blank(t["school_level_error"]),
    ),
    Rule(
        "roster.province_unknown",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "province",
        "Tỉnh/thành phố '{value}' của {school}: {error}.",
        lambda t: blank(t["province_error"]),
    ),
    Rule(
        "roster.outside_commune",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "commune",
        "{school} ở {commune}, ngoài địa bàn của {body_name} ({body_commune}). Kiểm tra lại "
        "xã/phường của trường; trường của địa bàn khác thì đưa vào danh sách của cơ quan quản "
        "lý trường đó.",
        lambda t: ~t["outside_commune"],
        value="commune",
    ),
    Rule(
        "roster.outside_province",
        ERROR,
        "roster",
        SHEET_ROSTER,
        "province",
        "{school} ở {province}, ngoài tỉnh, thành phố của {body_name} ({body_province}). Kiểm "
        "tra lại tỉnh/thành phố của trường, hoặc xóa trường khỏi danh sách.",
        lambda t: ~t["outside_province"],
    ),
    Rule(
        "roster.level_of_province",
        WARNING,
        "roster",
        SHEET_ROSTER,
        "school_level",
        "{school} là trường {school_level}: từ 01/7/2025 trường THPT và trung tâm GDNN-GDTX do "
        "Sở GDĐT quản lý, không thuộc {body_name}. Kiểm tra lại cấp học, hoặc xóa trường khỏi "
        "danh sách nếu Sở GDĐT tổng hợp kế hoạch của trường.",
        lambda t: ~t["province_school_on_commune_list"],
    ),
    Rule(
        "roster.ownership_unknown",
        WARNING,
        "roster",
        SHEET_ROSTER,
        "ownership",
        "Loại hình '{value}' của {school} không có trong danh sách. Chọn Công lập, Tư thục hoặc "
        "Dân lập.",
        lambda t: ~t["ownership_unknown"],
        value="ownership",
    ),
    Rule(
        "roster.body_name_missing",
        WARNING,
        "roster.body",
        SHEET_BODY,
        "name",
        "Chưa ghi Tên cơ quan ở trang Đơn vị tổng hợp. Ghi cơ quan tổng hợp và ký báo cáo (ví "
        "dụ: UBND phường Bình Thạnh, Sở GDĐT Tây Ninh): báo cáo gửi cấp trên lấy dòng này làm "
        "tên cơ quan ban hành.",
        lambda t: given(t["name"]),
    ),
    Rule(
        "roster.body_not_managing",
        WARNING,
        "roster.body",
        SHEET_BODY,
        "name",
        "Tên cơ quan '{value}' không phải UBND xã/phường/đặc khu hay Sở GDĐT. Từ 01/7/2025 không "
        "còn Phòng GDĐT cấp huyện: trường mầm non, tiểu học, THCS thuộc UBND xã/phường/đặc khu; "
        "THPT và trung tâm GDNN-GDTX thuộc Sở GDĐT. Ghi đúng tên cơ quan tổng hợp.",
        lambda t: blank(t["name"]) | (t["kind"] != "other"),
        value="name",
    ),
    Rule(
        "roster.body_province_unknown",
        ERROR,
        "roster.body",
        SHEET_BODY,
        "province",
        "Tỉnh/thành phố '{value}' ở trang Đơn vị tổng hợp: {error}.",
        lambda t: blank(t["province_error"]),
    ),
)
ROSTER_RULES_BY_ID = {rule.id: rule for rule in ROSTER_RULES}


def _col(dtype=None, nullable: bool = True) -> pa.Column:
    return pa.Column(dtype, nullable=nullable, required=True, coerce=False)


def _checks(table: str) -> list[pa.Check]:
    return [
        pa.Check(
            lambda t, ok=rule.ok: ok(t).fillna(False).astype(bool), name=rule.id, ignore_na=False
        )
        for rule in ROSTER_RULES
        if rule.table == table and rule.ok is not None
    ]


ROSTER_SCHEMAS = {
    "roster": pa.DataFrameSchema(
        {
            "row": _col("int64", nullable=False),
            "name": _col(),
            "code": _col(),
            "code_first_row": _col("Int64"),
            "name_first_row": _col("Int64"),
            "school_level_raw": _col(),
            "school_level_error": _col(),
            "province_error": _col(),
            "outside_commune": _col("bool", nullable=False),
            "outside_province": _col("bool", nullable=False),
            "province_school_on_commune_list": _col("bool", nullable=False),
            "ownership_unknown": _col("bool", nullable=False),
        },
        checks=_checks("roster"),
        name=SHEET_ROSTER,
    ),
    "roster.body": pa.DataFrameSchema(
        {"name": _col(), "kind": _col(), "province_error": _col()},
        checks=_checks("roster.body"),
        name=SHEET_BODY,
    ),
    "roster.list": pa.DataFrameSchema(
        {"schools": _col("int64", nullable=False)}, checks=_checks("roster.list")
    ),
}
