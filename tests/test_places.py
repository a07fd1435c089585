"""Managing bodies after the 2025 reform and place names as Nghị định 30 writes them."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from sheetkit.model.places import managing_body, place_name, recipient_case
from sheetkit.reading.reader import read_plan
from sheetkit.writing.document import render_plan


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
