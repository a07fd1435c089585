"""Managing bodies after the 2025 reform and place names as Nghị định 30 writes them."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES
from sheetkit.model.places import managing_body, place_name, recipient_case
from sheetkit.reading.reader import read_plan
from sheetkit.writing.printed import render_plan


@pytest.mark.parametrize(
    ("unit", "place"),
    [
        ("Quận Bình Thạnh", "Bình Thạnh"),
        ("Huyện Củ Chi", "Củ Chi"),
        ("Phường Bến Thành", "Bến Thành"),
        ("Xã Yên Thành", "Yên Thành"),
        ("Quận 10", "Quận 10"),  # a number: in full
        ("Phuong 5", "Phường 5"),
        ("Phường Nguyễn Trãi", "Phường Nguyễn Trãi"),  # a person's name: in full
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Tân Hiệp", "Tân Hiệp"),
        ("Xa La", "Xa La"),  # "Xa" without its accent is a name, not "Xã"
    ],
)
def test_place_of_the_date_line(unit, place):
    assert place_name(unit) == place


def test_managing_body_by_level_after_2025():
    thcs = managing_body("THCS", "Tỉnh Nghệ An", commune="Xã Yên Thành")
    assert (thcs.name, thcs.short) == ("UBND Xã Yên Thành", "UBND xã Yên Thành")
    thpt = managing_body("THPT", "Thành phố Hồ Chí Minh", commune="Phường Bến Thành")
    assert thpt.name == "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh"
    assert managing_body("GDTX", "Tỉnh Thanh Hóa").short == "Sở GDĐT Thanh Hóa"
    # A 2018 plan naming only its district keeps its Phòng GDĐT; a phường there is the UBND.
    assert managing_body("Tiểu học", None, district="Quận 3").short == "Phòng GDĐT quận 3"
    assert managing_body("Tiểu học", None, district="Phường 5").name == "UBND Phường 5"
    assert managing_body("Tiểu học", None) is None


def test_nơi_nhận_writes_the_administrative_word_in_lower_case():
    assert recipient_case("UBND XÃ YÊN THÀNH") == "UBND xã Yên Thành"
    assert recipient_case("SỞ GIÁO DỤC VÀ ĐÀO TẠO THANH HÓA") == "Sở Giáo dục và Đào tạo Thanh Hóa"
    assert recipient_case("UBND Phường 5") == "UBND phường 5"


def test_tt57_plans_print_their_commune_and_managing_body():
    doc = render_plan(read_plan(EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"))
    assert doc.governing_body == "UBND XÃ YÊN THÀNH"
    assert doc.place_date == "Yên Thành, ngày 18 tháng 9 năm 2026"
    assert doc.recipients[0] == "- UBND xã Yên Thành (để báo cáo);"
    gdtx = render_plan(read_plan(EXAMPLES / "ke-hoach-gdnn-gdtx-tho-xuan-2026-2027.xlsx"))
    assert gdtx.governing_body == "SỞ GIÁO DỤC VÀ ĐÀO TẠO THANH HÓA"


def test_a_2018_plan_prints_its_district_by_its_own_name(build, good_plan):
    good_plan["info"]["district"] = "Quận Bình Thạnh"
    doc = render_plan(read_plan(build(good_plan)))
    assert doc.place_date.startswith("Bình Thạnh, ngày 05")
    assert doc.governing_body == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN BÌNH THẠNH"


# ----------------------------------------------------------------- documents dated after 01/7/2025


def _last_year_plan_for(good_plan: dict, year: int, **info) -> dict:
    """Last year's 2018 workbook of the district "Quận Mẫu" with its Năm học changed."""
    good_plan["info"].update(
        {"district": "Quận Mẫu", "school_year": f"{year}-{year + 1}", "issue_date": None, **info}
    )
    for item in good_plan["items"]:
        item.update(start=f"9/{year}", end=f"5/{year + 1}")
    return good_plan


def test_a_plan_dated_after_the_reform_names_no_phong_gddt(build, good_plan, tmp_path):
    from docx import Document as Word

    from sheetkit.writing.printed import render_docx, render_xlsx

    source = build(_last_year_plan_for(good_plan, 2025))
    plan = read_plan(source)
    assert plan.document_date.isoformat() == "2025-08-01"  # no Ngày ban hành: the year's start
    doc = render_plan(plan, draft=True)
    assert doc.governing_body == "……"  # for the school to write by hand
    word = Word(str(render_docx(doc, tmp_path / "ke-hoach.docx")))
    assert word.tables[0].cell(0, 0).text == "……"
    sheet = render_xlsx(source, doc, tmp_path / "ke-hoach.xlsx")
    from openpyxl import load_workbook

    texts = [
        str(c.value)
        for ws in load_workbook(sheet).worksheets
        if ws.title != "Thông tin"
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    for words in (word.element.xml, " ".join(texts)):
        assert "PHÒNG GIÁO DỤC" not in words.upper() and "Phòng GDĐT" not in words
    # The same workbook a year earlier is a document of its day: its Phòng GDĐT stays.
    earlier = render_plan(read_plan(build(_last_year_plan_for(good_plan, 2024))))
    assert earlier.governing_body == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN MẪU"


@pytest.mark.parametrize(
    ("info", "header"),
    [
        ({"governing_body": "UBND phường Bến Thành"}, "UBND PHƯỜNG BẾN THÀNH"),
        ({"governing_body": "Phòng GD&ĐT Quận Mẫu"}, "……"),  # typed, but gone since 7/2025
        ({"governing_body": "UBND HUYỆN MẪU"}, "……"),
        ({"issue_date": "20/6/2025"}, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN MẪU"),  # before the reform
    ],
)
def test_the_header_of_a_plan_dated_after_the_reform(build, good_plan, info, header):
    plan = read_plan(build(_last_year_plan_for(good_plan, 2025, **info)))
    assert render_plan(plan, draft=True).governing_body == header


def test_a_xa_phuong_line_in_a_2018_workbook_gives_the_body(build, good_plan, tmp_path):
    from openpyxl import load_workbook

    path = build(_last_year_plan_for(good_plan, 2025))
    wb = load_workbook(path)
    ws = wb["Thông tin"]
    row = ws.max_row + 1
    ws.cell(row, 1, "Xã/phường/đặc khu")
    ws.cell(row, 2, "Phường Mẫu")
    edited = tmp_path / "co-phuong.xlsx"
    wb.save(edited)
    plan = read_plan(edited)
    assert render_plan(plan, draft=True).governing_body == "UBND PHƯỜNG MẪU"
    from sheetkit.checking.validation import check_plan

    assert "info.managing_body_after_reform" not in {f.rule for f in check_plan(plan)}


def test_biểu_2_and_the_review_report_drop_a_typed_phong_gddt():
    from sheetkit.checking.review import review_plan
    from sheetkit.writing.review_report import review_document

    plan = read_plan(EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx")
    plan.info["governing_body"].value = "PHÒNG GD&ĐT HUYỆN YÊN THÀNH"
    assert render_plan(plan, findings=[]).governing_body == "UBND XÃ YÊN THÀNH"
    report = review_document(plan, review_plan(plan, 2027 * 12))
    assert report.governing_body == "UBND XÃ YÊN THÀNH"
    assert not any("Phòng" in line for line in report.recipients)


# ----------------------------------------------------------------- no Phòng as the receiver

# Text that names a Phòng GDĐT as the body a file goes to (or that issues codes, or that
# a header falls back to). "Từ 01/7/2025 không còn Phòng GDĐT" is history and stays.
PHONG = re.compile(r"\bPhòng\s*(?:GD|Giáo dục|/|cần)")
HISTORY = re.compile(r"không còn Phòng GDĐT", re.IGNORECASE)


def _phong(text: str) -> list[str]:
    return [m.group(0) for m in PHONG.finditer(HISTORY.sub("", text))]


def _workbook_texts(path, sheets: tuple[str, ...] = ()) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        if sheets and ws.title not in sheets:
            continue
        texts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        for dv in ws.data_validations.dataValidation:
            texts += [t for t in (dv.prompt, dv.promptTitle, dv.error, dv.errorTitle) if t]
    return texts


def test_no_template_or_example_names_the_phong_as_receiver():
    from conftest import ROOT

    # Every cell of the templates; of the examples, what sheetkit wrote (their plans are
    # the schools' own words of 2024, when the Phòng GDĐT still existed).
    books = [(b, ()) for b in sorted((ROOT / "workbook_templates").rglob("*.xls[xm]"))]
    books += [(b, ("Hướng dẫn",)) for b in sorted(EXAMPLES.glob("ke-hoach-*.xlsx"))]
    assert len(books) > 15
    found = {
        f"{book.name}: {text[:80]}"
        for book, sheets in books
        for text in _workbook_texts(book, sheets)
        if _phong(text)
    }
    assert not found


def test_no_help_or_file_reason_names_the_phong(capsys):
    from sheetkit.cli import main
    from sheetkit.validators import files

    for command in ([], ["check"], ["template"], ["merge"], ["render"], ["review"], ["next"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
    assert not _phong(capsys.readouterr().out)
    assert "cơ quan quản lý" in " ".join(files.SKIPPED.values())
    assert not _phong(" ".join(files.SKIPPED.values()))
