"""Next year's plan: carried over from a Thông tư 57 plan, or moved over from a 2018 plan."""

from __future__ import annotations

from conftest import EXAMPLES
from sheetkit.checking.validation import check_plan
from sheetkit.cli import main
from sheetkit.reading.reader import read_plan
from sheetkit.writing.template_tt57 import SECTION_TEXTS

THCS = EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"
OLD = EXAMPLES / "ke-hoach-th-nguyen-thai-binh-2024-2029.xlsx"


def test_unfinished_rows_carry_over_with_their_history(tmp_path, capsys):
    out = tmp_path / "nam-sau.xlsx"
    assert main(["next", str(THCS), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    before, after = read_plan(THCS), read_plan(out)
    done = [r["item"] for r in before.item_records if r.get("progress") == "Hoàn thành"]
    assert done and f"{len(before.item_records) - len(done)} việc chưa hoàn thành" in said
    assert after.layout == "tt57" and after.value("school_year") == 2027
    assert after.value("school_name") == before.value("school_name")
    assert "năm học 2026-2027" in after.value("legal_bases")
    assert "Kết quả rà soát" in after.value("legal_bases")
    assert len(after.item_records) == len(before.item_records) - len(done)
    for record in after.item_records:
        assert record["note"].startswith("Chuyển từ kế hoạch năm học 2026-2027 (dòng ")
        assert record["progress"] is None  # a new year starts without statuses
        assert 2027 * 12 + 8 <= record["start"] <= record["end"] <= 2028 * 12 + 4
    # Each carried row keeps its issue, renumbered among the issues carried.
    assert {r["issue"] for r in after.item_records} == set(range(1, len(after.issue_records) + 1))
    # Levels are the starting point: the same current level per criterion.
    assert after.current_levels() == before.current_levels()
    assert [r.get("progress") for r in after.item_records] == [None] * len(after.item_records)
    # Not ready to send while the levels are last year's: the only error.
    errors = [f.rule for f in check_plan(after) if f.severity == "error"]
    assert errors == ["tt57.assessment.levels_from_last_year"]


def _levels_error(path) -> list[str]:
    rule = "tt57.assessment.levels_from_last_year"
    return [f.message for f in check_plan(read_plan(path)) if f.rule == rule]


def test_last_years_levels_are_an_error_until_updated_or_confirmed(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "nam-sau.xlsx"
    assert main(["next", str(THCS), "-o", str(out)]) == 0
    assert _levels_error(out)
    # The notes record last year's level of each criterion, readable by the school.
    notes = {r["criterion"]: r["note"] for r in read_plan(out).assessment_records}
    assert notes["1.3"] == (
        "Mức năm học 2026-2027: Mức 1. Cập nhật theo báo cáo tự đánh giá năm nay."
    )
    sheet = load_workbook(out)["Tự đánh giá"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Mức hiện tại" for c in r))
    current = next(c.column_letter for c in header if c.value == "Mức hiện tại")
    note = next(c.column_letter for c in header if c.value == "Ghi chú")
    first = header[0].row + 1
    # A level changed from this year's self-assessment: the school has updated them.
    changed = load_workbook(out)
    cell = changed["Tự đánh giá"][f"{current}{first}"]
    cell.value = "Mức 2" if cell.value != "Mức 2" else "Mức 1"
    changed.save(tmp_path / "changed.xlsx")
    assert _levels_error(tmp_path / "changed.xlsx") == []
    # The same levels, confirmed by deleting the notes.
    confirmed = load_workbook(out)
    for row in range(first, first + 15):
        confirmed["Tự đánh giá"][f"{note}{row}"] = None
    confirmed.save(tmp_path / "confirmed.xlsx")
    assert _levels_error(tmp_path / "confirmed.xlsx") == []


def test_a_fresh_template_has_no_last_year_levels(tmp_path):
    from sheetkit.writing.templates import build_template

    assert _levels_error(build_template("thcs", tmp_path / "mau.xlsx")) == []


def test_the_schools_words_are_kept_with_the_years_moved_on(tmp_path):
    out = tmp_path / "nam-sau.xlsx"
    assert main(["next", str(THCS), "-o", str(out)]) == 0
    before, after = read_plan(THCS), read_plan(out)
    bases = after.value("legal_bases").split("\n")
    assert bases == [
        "1. Báo cáo tự đánh giá năm học 2026-2027 của Trường THCS Hoa Thành, được Hội đồng tự "
        "đánh giá rà soát, cập nhật theo 15 tiêu chí tại Phụ lục II Thông tư số "
        "57/2026/TT-BGDĐT (hoàn thành ngày ……);",
        "2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học 2026-2027;",
        # The school's own plan of the new year is a new document: its number and date blank.
        "3. Kế hoạch số ……/KH-THCSHT ngày …… của Trường THCS Hoa Thành về thực hiện nhiệm vụ "
        "năm học 2027-2028 và Chiến lược phát triển nhà trường giai đoạn 2025-2030;",
        "4. Thông tư số 57/2026/TT-BGDĐT ngày 07/7/2026 của Bộ trưởng Bộ Giáo dục và Đào tạo; "
        "hướng dẫn thực hiện nhiệm vụ năm học 2027-2028 của Sở Giáo dục và Đào tạo Nghệ An; kế "
        "hoạch phát triển giáo dục năm học 2027-2028 của UBND xã Yên Thành.",
    ]
    old_reporting = before.value("reporting")
    assert after.value("reporting") == (
        old_reporting.replace("2027-2028", "2028-2029")
        .replace("2026-2027", "2027-2028")
        .replace("/2027)", "/2028)")
    )
    assert "cuối học kỳ I (tháng 01/2028) và cuối năm học (tháng 5/2028)" in after.value(
        "reporting"
    )
    assert after.value("organisation") == before.value("organisation")  # no year in it
    assert "giai đoạn 2025-2030" in after.value("purpose")
    assert "kế hoạch năm học 2027-2028" in after.value("purpose")


def test_a_school_line_citing_another_body_is_kept_and_nothing_about_sheets_is_printed(
    tmp_path,
):
    from conftest import example_specs
    from sheetkit.writing import bieu2
    from sheetkit.writing.templates import build_template

    spec = next(s for s in example_specs("tt57") if s["template"] == "thcs")
    spec["info"]["legal_bases"] = (
        "1. Báo cáo tự đánh giá năm học 2025-2026 của Trường THCS Hoa Thành;\n"
        "2. Kế hoạch số 12/KH-UBND ngày 05/8/2026 của UBND xã Yên Thành về phát triển giáo dục "
        "giai đoạn 2026-2030;\n"
        "3. Thông tư số 57/2026/TT-BGDĐT ngày 07/7/2026 của Bộ trưởng Bộ Giáo dục và Đào tạo."
    )
    source = build_template("thcs", tmp_path / "kh.xlsx", spec)
    out = tmp_path / "nam-sau.xlsx"
    assert main(["next", str(source), "-o", str(out)]) == 0
    after = read_plan(out)
    assert after.value("legal_bases").split("\n") == [
        "1. Báo cáo tự đánh giá năm học 2026-2027 của Trường THCS Hoa Thành;",
        "2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học 2026-2027;",
        "3. Kế hoạch số 12/KH-UBND ngày 05/8/2026 của UBND xã Yên Thành về phát triển giáo dục "
        "giai đoạn 2026-2030;",
        "4. Thông tư số 57/2026/TT-BGDĐT ngày 07/7/2026 của Bộ trưởng Bộ Giáo dục và Đào tạo.",
    ]
    printed = " ".join(
        " ".join([s.heading, *s.paragraphs]) for s in bieu2.sections(after)
    ).casefold()
    for words in ("trang theo dõi", "trang tự đánh giá", "sheetkit", "kế hoạch năm trước"):
        assert words not in printed


def test_a_row_not_carried_out_is_dropped_and_named_so(tmp_path, capsys):
    from conftest import example_specs
    from sheetkit.writing.templates import build_template

    spec = next(s for s in example_specs("tt57") if s["template"] == "thcs")
    spec["items"][6]["progress"] = "Không thực hiện"  # row 7
    source = build_template("thcs", tmp_path / "kh.xlsx", spec)
    out = tmp_path / "nam-sau.xlsx"
    assert main(["next", str(source), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert (
        "8 việc chưa hoàn thành được chuyển sang, 1 việc đã hoàn thành không chuyển, 1 việc "
        "trường ghi Không thực hiện bị bỏ (dòng 7)." in said
    )
    assert "đã xong" not in said
    assert len(read_plan(out).item_records) == 8


def test_a_2018_plan_moves_to_thong_tu_57(tmp_path, capsys):
    out = tmp_path / "tt57.xlsx"
    assert main(["next", str(OLD), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "chọn tiêu chuẩn và tiêu chí liên quan" in said
    before, after = read_plan(OLD), read_plan(out)
    assert after.layout == "tt57" and after.value("school_year") == 2026  # the first TT57 year
    assert after.value("school_name") == before.value("school_name")
    # One priority issue per old criterion; every unfinished item a plan row under it.
    codes = {r["criterion"] for r in before.item_records}
    assert len(after.issue_records) == len(codes)
    assert len(after.item_records) == len(before.item_records)
    assert all("Thông tư 17/2018" in r["note"] for r in after.item_records)
    assert all(r["current"] is None for r in after.assessment_records)  # levels to redo
    # The 2018 plan's own sections stay behind: Biểu 2's text stands in the new plan.
    assert before.value("purpose") and before.value("organisation")
    assert after.value("purpose") == SECTION_TEXTS["purpose"]
    assert after.value("organisation") == SECTION_TEXTS["organisation"]
    rules = {f.rule for f in check_plan(after)}
    assert "tt57.issue.standard_missing" in rules  # what the school must map is reported


def test_next_refuses_its_own_input(capsys):
    assert main(["next", str(THCS), "-o", str(THCS)]) == 3
    assert "đó chính là tệp đầu vào" in capsys.readouterr().err


def test_a_2018_plan_written_for_a_tt57_year_moves_to_that_same_year(build, good_plan, tmp_path):
    """check sends such a plan to `sheetkit next`: it must not come out a year later."""
    good_plan["info"].update(school_year="2026-2027", issue_date="05/9/2026")
    for item in good_plan["items"]:
        item.update(start="9/2026", end="5/2027")
    source = build(good_plan)
    assert "info.school_year_needs_tt57" in {f.rule for f in check_plan(read_plan(source))}
    out = tmp_path / "tt57.xlsx"
    assert main(["next", str(source), "-o", str(out)]) == 0
    after = read_plan(out)
    assert after.layout == "tt57" and after.value("school_year") == 2026
    assert len(after.item_records) == len(good_plan["items"])
