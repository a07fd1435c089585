"""The list of schools (danh sách trường): its template, its reader and its checks."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetkit.checking.roster import check_roster, commune_of_body
from sheetkit.cli import main
from sheetkit.model.roster import (
    BODY_FIELDS,
    ROSTER_FIELDS,
    SHEET_BODY,
    SHEET_ROSTER,
    ReportingBody,
)
from sheetkit.reading.roster import read_roster, school_code
from sheetkit.writing.templates import build_template

WARD_BODY = {
    "name": "UBND phường Bình Thạnh",
    "province": "Thành phố Hồ Chí Minh",
    "number": "125/BC-UBND",
    "signer": "Nguyễn Văn Bình",
}
WARD_SCHOOLS = [
    {
        "code": "790001",
        "name": "Trường Tiểu học Kim Đồng",
        "school_level": "Tiểu học",
        "ownership": "Công lập",
        "commune": "Phường Bình Thạnh",
        "province": "Thành phố Hồ Chí Minh",
    },
    {
        "code": "790002",
        "name": "Trường Mầm non Hoa Sen",
        "school_level": "Mầm non",
        "ownership": "Công lập",
        "commune": "Phường Bình Thạnh",
        "province": "Thành phố Hồ Chí Minh",
    },
    {
        "code": "790003",
        "name": "Trường THCS Lê Văn Tám",
        "school_level": "THCS",
        "ownership": "Công lập",
        "commune": "Phường Bình Thạnh",
        "province": "Thành phố Hồ Chí Minh",
        "email": "thcslevantam@example.edu.vn",
    },
]
HEADER_ROW = 4  # Excel row of the template's headers
BODY_ROW = {f.key: 4 + i for i, f in enumerate(BODY_FIELDS)}
COLUMN = {f.key: 2 + i for i, f in enumerate(ROSTER_FIELDS)}  # column A is TT


def fill_roster(path: Path, body: dict | None = None, schools: list[dict] | None = None) -> Path:
    """The danh-sach template filled as an officer fills it (values typed, template kept)."""
    template = path.with_name("danh-sach-mau.xlsx")
    build_template("danh-sach", template)
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_BODY]
    for key, value in (body if body is not None else WARD_BODY).items():
        ws.cell(BODY_ROW[key], 2, value)
    ws = wb[SHEET_ROSTER]
    for r, school in enumerate(schools if schools is not None else WARD_SCHOOLS, start=5):
        for key, value in school.items():
            ws.cell(r, COLUMN[key], value)
    wb.save(path)
    return path


def windows_1258(text: str) -> bytes:
    """``text`` as Excel on a Vietnamese Windows saves CSV: letters with a separate tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258")
            out += parts[-1].encode("cp1258")
    return out


def findings(path: Path):
    return check_roster(read_roster(path))


def only(found, rule: str):
    matching = [f for f in found if f.rule == rule]
    assert len(matching) == 1, [(f.rule, f.message) for f in found]
    return matching[0]


# ----------------------------------------------------------------- the template


def test_template_has_the_sheets_headers_and_dropdowns(tmp_path):
    path = build_template("danh-sach", tmp_path / "danh-sach.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", SHEET_BODY, SHEET_ROSTER, "Danh mục"]
    assert wb.active.title == SHEET_ROSTER
    assert wb["Danh mục"].sheet_state == "hidden"
    ws = wb[SHEET_ROSTER]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers == [
        "TT",
        "Mã trường",
        "Tên trường",
        "Cấp học",
        "Loại hình",
        "Xã/phường/đặc khu",
        "Tỉnh/thành phố",
        "Cơ quan quản lý",
        "Người liên hệ",
        "Điện thoại",
        "Email",
    ]
    sources = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert sources == {"D5": "DS_CapHoc", "E5": "DS_LoaiHinh", "G5": "DS_Tinh"}
    names = {name: wb.defined_names[name].attr_text for name in wb.defined_names}
    assert names["DS_CapHoc"] == "'Danh mục'!$A$2:$A$7"
    levels = [wb["Danh mục"].cell(r, 1).value for r in range(2, 8)]
    assert levels == ["Mầm non", "Tiểu học", "THCS", "THPT", "Phổ thông nhiều cấp học", "GDTX"]
    assert wb["Danh mục"].cell(35, 3).value is not None  # the 34 provinces
    assert wb["Danh mục"].cell(36, 3).value is None
    body = wb[SHEET_BODY]
    labels = [body.cell(r, 1).value for r in range(4, 4 + len(BODY_FIELDS))]
    assert labels == [f.label for f in BODY_FIELDS]
    assert "TM. ỦY BAN NHÂN DÂN" in body.cell(BODY_ROW["authority"], 3).value
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "A5"


def test_template_refuses_macros(tmp_path, capsys):
    assert main(["template", "danh-sach", "-o", str(tmp_path / "ds.xlsm")]) == 3
    assert "danh sách trường không có nút bấm" in capsys.readouterr().err


# ----------------------------------------------------------------- reading


def test_a_filled_list_reads_and_checks_clean(tmp_path, capsys):
    path = fill_roster(tmp_path / "ds.xlsx")
    roster = read_roster(path)
    assert [s.name for s in roster.schools] == [s["name"] for s in WARD_SCHOOLS]
    first = roster.schools[0]
    assert (first.row, first.code, first.school_level, first.province) == (
        5,
        "790001",
        "Tiểu học",
        "Thành phố Hồ Chí Minh",
    )
    assert roster.body == ReportingBody(
        name="UBND phường Bình Thạnh",
        province="Thành phố Hồ Chí Minh",
        number="125/BC-UBND",
        signer="Nguyễn Văn Bình",
    )
    assert roster.body.signature() == (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH")
    assert check_roster(roster) == []
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Danh sách trường: 3 trường; đơn vị tổng hợp: UBND phường Bình Thạnh" in out
    assert out.rstrip().endswith(
        "Kết quả: không có lỗi, không có cảnh báo. Danh sách sẵn sàng để tổng hợp."
    )


def test_signature_defaults_follow_the_body_and_can_be_changed():
    so = ReportingBody(name="Sở GDĐT Tây Ninh")
    assert so.signature() == (("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC")
    chosen = ReportingBody(name="Sở GDĐT Tây Ninh", authority=("GIÁM ĐỐC",), title="")
    assert chosen.signature() == (("GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC")


def test_codes_typed_as_numbers_read_as_text(tmp_path):
    schools = [dict(WARD_SCHOOLS[0], code=790001), dict(WARD_SCHOOLS[1], code="0790002")]
    roster = read_roster(fill_roster(tmp_path / "ds.xlsx", schools=schools))
    assert [s.code for s in roster.schools] == ["790001", "0790002"]


@given(st.integers(min_value=0, max_value=10**12))
def test_school_code_of_a_number_never_has_a_decimal(n):
    assert school_code(float(n)) == str(n) == school_code(n)
    assert school_code(f" {n} ") == str(n)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Mã trường,Tên trường,Cấp học\n790001,Trường Tiểu học Kim Đồng,Tiểu học\n", "utf-8-sig"),
        ("Mã trường;Tên trường;Cấp học\n790001;Trường Tiểu học Kim Đồng;tiểu học\n", "utf-8"),
        ("Mã trường;Tên trường;Cấp học\n790001;Trường Tiểu học Kim Đồng;Tiểu học\n", "cp1258"),
    ],
)
def test_a_csv_list_with_the_same_headers_reads(tmp_path, text, encoding):
    path = tmp_path / "ds.csv"
    path.write_bytes(windows_1258(text) if encoding == "cp1258" else text.encode(encoding))
    roster = read_roster(path)
    assert roster.body is None
    assert [(s.code, s.name, s.school_level) for s in roster.schools] == [
        ("790001", "Trường Tiểu học Kim Đồng", "Tiểu học")
    ]
    assert check_roster(roster) == []


def test_a_list_on_another_sheet_is_found_by_its_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["DANH SÁCH CÁC TRƯỜNG"])
    ws.append([])
    ws.append(["STT", "Tên trường", "Mã trường", "Cấp học", "Xã, phường"])
    ws.append([1, "Trường THCS Lê Văn Tám", "790003", "THCS", "Phường Bình Thạnh"])
    wb.save(tmp_path / "export.xlsx")
    roster = read_roster(tmp_path / "export.xlsx")
    assert roster.sheet == "Sheet1" and roster.header_row == 3
    assert roster.columns == {"name": "B", "code": "C", "school_level": "D", "commune": "E"}
    assert [(s.row, s.commune) for s in roster.schools] == [(4, "Phường Bình Thạnh")]


def test_a_workbook_without_a_list_says_how_to_make_one(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Họ tên", "Lớp"])
    wb.save(tmp_path / "other.xlsx")
    (finding,) = findings(tmp_path / "other.xlsx")
    assert finding.severity == "error"
    assert finding.message == (
        "Không tìm thấy danh sách trường: cần trang 'Danh sách trường' có hàng tiêu đề gồm Mã "
        "trường, Tên trường, Cấp học. Tạo mẫu bằng lệnh sheetkit template danh-sach -o "
        "danh-sach.xlsx rồi chép danh sách vào."
    )


def test_a_missing_required_column_is_named_with_its_row(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Mã trường,Tên trường\n790001,Trường Tiểu học Kim Đồng\n", "utf-8")
    finding = only(findings(path), "roster.missing_header")
    assert finding.message == (
        "Trang 'Danh sách trường' thiếu cột 'Cấp học' ở hàng tiêu đề (dòng 1). Thêm cột này như "
        "trong mẫu danh sách."
    )


# ----------------------------------------------------------------- checks, one spoiler each


def spoil(tmp_path, index: int = 0, body: dict | None = None, **changes) -> list:
    schools = [dict(s) for s in WARD_SCHOOLS]
    schools[index].update(changes)
    return findings(fill_roster(tmp_path / "ds.xlsx", body=body, schools=schools))


SPOILERS = [
    (
        {"index": 2, "code": "790001"},
        "roster.code_duplicate",
        "error",
        "B7",
        "Mã trường 790001 của Trường THCS Lê Văn Tám trùng với dòng 5 (Trường Tiểu học Kim "
        "Đồng). Mỗi trường một mã: sửa lại mã cho đúng, hoặc xóa dòng lặp nếu là cùng một trường.",
    ),
    (
        {"index": 1, "school_level": "Nhà trẻ tư thục"},
        "roster.level_unknown",
        "error",
        "D6",
        "Cấp học 'Nhà trẻ tư thục' của Trường Mầm non Hoa Sen không có trong danh sách. Chọn "
        "một trong: Mầm non, Tiểu học, THCS, THPT, Phổ thông nhiều cấp học, GDTX (trung tâm "
        "GDNN-GDTX).",
    ),
    (
        {"index": 1, "school_level": None},
        "roster.level_missing",
        "error",
        "D6",
        "Chưa chọn Cấp học của Trường Mầm non Hoa Sen. Chọn trong danh sách: Mầm non, Tiểu học, "
        "THCS, THPT, Phổ thông nhiều cấp học, GDTX.",
    ),
    (
        {"index": 1, "name": None},
        "roster.name_missing",
        "error",
        "C6",
        "Dòng 6 có thông tin nhưng chưa ghi Tên trường. Ghi tên trường (ví dụ: Trường Tiểu học "
        "Hòa Bình), hoặc xóa dòng này.",
    ),
    (
        {"index": 0, "code": None},
        "roster.code_missing",
        "warning",
        "B5",
        "Trường Tiểu học Kim Đồng chưa có Mã trường. Ghi mã của trường (mã trên cơ sở dữ liệu "
        "ngành) để kế hoạch được ghép đúng trường; chưa có mã thì sheetkit ghép theo tên trường "
        "trong cùng xã/phường.",
    ),
    (
        {"index": 2, "school_level": "THPT"},
        "roster.level_of_province",
        "warning",
        "D7",
        "Trường THCS Lê Văn Tám là trường THPT: từ 01/7/2025 trường THPT và trung tâm GDNN-GDTX "
        "do Sở GDĐT quản lý, không thuộc UBND phường Bình Thạnh. Kiểm tra lại cấp học, hoặc xóa "
        "trường khỏi danh sách nếu Sở GDĐT tổng hợp kế hoạch của trường.",
    ),
    (
        {"index": 0, "ownership": "Quốc tế"},
        "roster.ownership_unknown",
        "warning",
        "E5",
        "Loại hình 'Quốc tế' của Trường Tiểu học Kim Đồng không có trong danh sách. Chọn Công "
        "lập, Tư thục hoặc Dân lập.",
    ),
]


@pytest.mark.parametrize(("changes", "rule", "severity", "cell", "message"), SPOILERS)
def test_each_school_rule_says_where_and_what_to_do(
    tmp_path, changes, rule, severity, cell, message
):
    changes = dict(changes)
    f = only(spoil(tmp_path, changes.pop("index"), **changes), rule)
    assert (f.severity, f.sheet, f.cell, f.row) == (severity, SHEET_ROSTER, cell, int(cell[1:]))
    assert f.message == message


def test_the_same_name_twice_in_one_ward(tmp_path):
    found = spoil(tmp_path, 1, code=None, name="trường tiểu học  Kim Đồng", school_level="Tiểu học")
    f = only(found, "roster.name_duplicate")
    assert (f.severity, f.cell) == ("warning", "C6")
    assert f.message == (
        "trường tiểu học Kim Đồng trùng tên với dòng 5 (cùng xã/phường). Nếu là một trường, xóa "
        "dòng lặp; nếu là hai trường khác nhau, ghi Mã trường cho cả hai."
    )


def test_a_school_of_another_ward(tmp_path):
    f = only(spoil(tmp_path, 2, commune="Phường Gia Định"), "roster.outside_commune")
    assert (f.severity, f.cell) == ("error", "F7")
    assert f.message == (
        "Trường THCS Lê Văn Tám ở Phường Gia Định, ngoài địa bàn của UBND phường Bình Thạnh "
        "(Phường Bình Thạnh). Kiểm tra lại xã/phường của trường; trường của địa bàn khác thì "
        "đưa vào danh sách của cơ quan quản lý trường đó."
    )
    # The same ward typed another way is inside.
    assert not [
        x
        for x in spoil(tmp_path, 2, commune="P. Bình Thạnh")
        if x.rule.startswith("roster.outside")
    ]


def test_a_school_of_another_province_on_the_so_list(tmp_path):
    body = {"name": "Sở GDĐT Tây Ninh", "province": "Tỉnh Tây Ninh"}
    schools = [dict(s, province="Tỉnh Tây Ninh", commune="Phường Tân Ninh") for s in WARD_SCHOOLS]
    schools[1]["province"] = "Long An"  # merged into Tây Ninh in 2025
    schools[2]["province"] = "Tỉnh An Giang"
    found = findings(fill_roster(tmp_path / "ds.xlsx", body=body, schools=schools))
    merged = only(found, "roster.province_unknown")
    assert merged.message == (
        "Tỉnh/thành phố 'Long An' của Trường Mầm non Hoa Sen: Long An đã hợp nhất vào Tỉnh Tây "
        "Ninh từ năm 2025; chọn Tỉnh Tây Ninh."
    )
    outside = only(found, "roster.outside_province")
    assert outside.cell == "G7"
    assert outside.message == (
        "Trường THCS Lê Văn Tám ở Tỉnh An Giang, ngoài tỉnh, thành phố của Sở GDĐT Tây Ninh "
        "(Tỉnh Tây Ninh). Kiểm tra lại tỉnh/thành phố của trường, hoặc xóa trường khỏi danh sách."
    )


def test_body_missing_or_a_phong_that_no_longer_exists(tmp_path):
    f = only(
        spoil(tmp_path, body={"province": "Thành phố Hồ Chí Minh"}), "roster.body_name_missing"
    )
    assert (f.sheet, f.cell, f.column) == (SHEET_BODY, "B4", "Tên cơ quan")
    assert f.message.startswith("Chưa ghi Tên cơ quan ở trang Đơn vị tổng hợp. Ghi cơ quan")
    f = only(
        spoil(tmp_path, body={"name": "Phòng GDĐT quận Bình Thạnh"}), "roster.body_not_managing"
    )
    assert f.message == (
        "Tên cơ quan 'Phòng GDĐT quận Bình Thạnh' không phải UBND xã/phường/đặc khu hay Sở GDĐT. "
        "Từ 01/7/2025 không còn Phòng GDĐT cấp huyện: trường mầm non, tiểu học, THCS thuộc UBND "
        "xã/phường/đặc khu; THPT và trung tâm GDNN-GDTX thuộc Sở GDĐT. Ghi đúng tên cơ quan "
        "tổng hợp."
    )
    f = only(
        spoil(tmp_path, body={**WARD_BODY, "province": "Sài Gòn xưa"}),
        "roster.body_province_unknown",
    )
    assert f.cell == "B6"
    assert f.message == (
        "Tỉnh/thành phố 'Sài Gòn xưa' ở trang Đơn vị tổng hợp: không phải một trong 34 tỉnh, "
        "thành phố (từ 01/7/2025)."
    )


def test_an_empty_list(tmp_path):
    f = only(findings(fill_roster(tmp_path / "ds.xlsx", schools=[])), "roster.empty")
    assert (
        f.message
        == "Danh sách chưa có trường nào. Ghi mỗi trường một dòng, ngay dưới hàng tiêu đề."
    )


@pytest.mark.parametrize(
    ("name", "commune"),
    [
        ("UBND phường Bình Thạnh", "Phường Bình Thạnh"),
        ("Ủy ban nhân dân xã Yên Thành", "Xã Yên Thành"),
        ("UBND đặc khu Phú Quốc", "Đặc khu Phú Quốc"),
        ("UBND Bình Thạnh", None),
    ],
)
def test_the_ward_of_a_ubnd_comes_from_its_name(name, commune):
    assert commune_of_body(name) == commune


def test_check_json_of_a_list(tmp_path, capsys):
    path = fill_roster(
        tmp_path / "ds.xlsx", schools=[dict(WARD_SCHOOLS[0], school_level="Đại học")]
    )
    assert main(["check", str(path), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["schools"] == 1
    assert doc["summary"] == {"errors": 1, "warnings": 0, "notes": 0}
    (finding,) = doc["findings"]
    assert (finding["rule"], finding["sheet"], finding["cell"], finding["row"]) == (
        "roster.level_unknown",
        SHEET_ROSTER,
        "D5",
        5,
    )
    assert finding["column"] == "Cấp học" and finding["value"] == "Đại học"


def test_annotate_is_refused_for_a_list(tmp_path, capsys):
    path = fill_roster(tmp_path / "ds.xlsx")
    assert main(["check", str(path), "--annotate", str(tmp_path / "x.xlsx")]) == 3
    assert "chỉ dùng cho tệp kế hoạch" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
