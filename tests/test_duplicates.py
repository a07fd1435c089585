"""Copies of one school's plan: the one the school saved last is used (issue 21, point 2).

Disk times follow downloads from email or Zalo and mean nothing; the time a
workbook records as its last save decides. An annotated copy made by
`sheetkit check --annotate` is known by its content and skipped.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import GOOD_PLAN, legacy_template, saved_at
from sheetkit.jobs import check_file
from sheetkit.merging.rollup import merge
from sheetkit.reading.sources import open_workbook, w3cdtf_time
from sheetkit.writing.summary import write_summary, write_tables

VIETNAM = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def vietnam_time(monkeypatch):
    """Times shown as an officer in Việt Nam reads them (UTC+7), whatever the machine's zone."""
    monkeypatch.setenv("TZ", "<+07>-7")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def hoa_mi(
    path: Path, saved: dt.datetime, items: int = 2, error: bool = False, year: str = "2024-2025"
) -> Path:
    """Trường TH Hoa Mi's plan, saved by the school at ``saved`` (Việt Nam time)."""
    data = copy.deepcopy(GOOD_PLAN)
    data["info"].update(school_name="Trường TH Hoa Mi", school_code="7901", school_year=year)
    data["items"] = [copy.deepcopy(data["items"][n % 2]) for n in range(items)]
    if error:
        data["items"][0]["end"] = "cuối năm"  # the first draft's mistake
    legacy_template("tieu-hoc", path, data)
    return saved_at(path, saved.replace(tzinfo=VIETNAM).astimezone(dt.timezone.utc))


def on_disk(path: Path, when: dt.datetime) -> None:
    stamp = when.replace(tzinfo=VIETNAM).timestamp()
    os.utime(path, (stamp, stamp))


def test_the_copy_saved_last_is_used_and_an_annotated_copy_skipped(tmp_path, vietnam_time):
    inbox = tmp_path / "ke-hoach-nop"
    inbox.mkdir()
    draft = hoa_mi(tmp_path / "ban-nhap.xlsx", dt.datetime(2024, 9, 20, 8, 0), items=1, error=True)
    annotated = inbox / "ban-nhap-da-kiem-tra.xlsx"
    check_file(draft, annotate=annotated)
    january = hoa_mi(inbox / "ke-hoach-thang-1.xlsx", dt.datetime(2025, 1, 15, 10, 20))
    latest = hoa_mi(inbox / "ke-hoach-moi.xlsx", dt.datetime(2025, 5, 28, 16, 45), items=3)
    # Downloaded in the opposite order: the first draft's copy is the newest file on disk.
    on_disk(latest, dt.datetime(2025, 6, 1, 7, 0))
    on_disk(january, dt.datetime(2025, 6, 1, 7, 5))
    on_disk(annotated, dt.datetime(2025, 6, 1, 7, 10))

    rollup = merge([inbox])

    files = rollup.files.set_index("file")
    kept, older, marked = (
        f"ke-hoach-nop/{name}"
        for name in ("ke-hoach-moi.xlsx", "ke-hoach-thang-1.xlsx", "ban-nhap-da-kiem-tra.xlsx")
    )
    assert files.loc[kept, "status"] == "read"
    assert files.loc[older, "status"] == "duplicate"
    assert files.loc[marked, "status"] == "skipped"
    duplicate_reason = (
        "'Trường TH Hoa Mi' gửi nhiều bản kế hoạch (cùng mã trường): đã dùng bản "
        "'ke-hoach-nop/ke-hoach-moi.xlsx' (năm học 2024-2025) vì lưu sau (thời điểm lưu ghi "
        "trong tệp: bản đó lưu lúc 28/05/2025 16:45, bản này lưu lúc 15/01/2025 10:20); "
        "không tính bản này."
    )
    # Annotated today: saved later than any copy the school sent, yet not the school's plan.
    made = dt.datetime.fromtimestamp(open_workbook(annotated).saved)
    assert abs(made - dt.datetime.now()) < dt.timedelta(minutes=5)
    skipped_reason = (
        f"Bản sao có đánh dấu lỗi do sheetkit tạo lúc {made:%d/%m/%Y %H:%M} (lệnh check "
        "--annotate hoặc review --annotate), chưa ai sửa và lưu lại: không phải kế hoạch trường "
        "gửi, đã bỏ qua. Nếu trường chỉ gửi bản này, hãy đề nghị trường gửi tệp kế hoạch gốc."
    )
    kept_reason = (
        "Dùng bản này trong 2 bản kế hoạch của 'Trường TH Hoa Mi': năm học 2024-2025, lưu lúc "
        "28/05/2025 16:45 theo thời điểm lưu ghi trong tệp; các bản kia ghi ở trang Lỗi."
    )
    assert files.loc[older, "reason"] == duplicate_reason
    assert files.loc[marked, "reason"] == skipped_reason
    assert files.loc[kept, "reason"] == kept_reason
    # The school's latest plan is the one rolled up: its three rows, none of the draft's errors.
    (school,) = rollup.schools.itertuples()
    assert (school.file, school.items, school.errors) == (kept, 3, 0)
    assert set(rollup.findings["file"]) == {older, marked}

    # The Lỗi sheet says the same to the officer.
    out = tmp_path / "tong-hop.xlsx"
    write_summary(rollup, out)
    sheet = openpyxl.load_workbook(out, read_only=True)["Lỗi"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    shown = {
        r[header.index("Tệp")]: (r[header.index("Mức độ")], r[header.index("Nội dung và cách sửa")])
        for r in rows[1:]
    }
    assert shown == {older: ("Bản trùng", duplicate_reason), marked: ("Bỏ qua", skipped_reason)}

    # And so do the files table's CSV and Parquet, with both times.
    for kind in ("csv", "parquet"):
        (written,) = [p for p in write_tables(rollup, tmp_path / kind, kind) if p.stem == "files"]
        table = (pd.read_csv if kind == "csv" else pd.read_parquet)(written).set_index("file")
        assert list(table.columns) == ["status", "reason", "modified", "saved", "school_id"]
        assert table.loc[older, "reason"] == duplicate_reason
        assert table.loc[kept, "reason"] == kept_reason
        assert str(table.loc[kept, "saved"]) == "2025-05-28 16:45:00"
        assert str(table.loc[older, "saved"]) == "2025-01-15 10:20:00"
        assert str(table.loc[kept, "modified"]).startswith("2025-06-01 07:00:00")


def test_an_annotated_copy_the_school_saved_again_is_its_plan(tmp_path, vietnam_time):
    """A school that fixed its plan in the annotated copy and saved it sent its work."""
    inbox = tmp_path / "ke-hoach-nop"
    inbox.mkdir()
    draft = hoa_mi(tmp_path / "ban-nhap.xlsx", dt.datetime(2024, 9, 20, 8, 0))
    fixed = inbox / "ban-da-sua.xlsx"
    check_file(draft, annotate=fixed)
    assert open_workbook(fixed).copy == "annotate"
    school_saved = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(hours=1)
    saved_at(fixed, school_saved)  # opened in Excel, fixed, saved
    assert open_workbook(fixed).copy is None
    assert open_workbook(fixed).saved == school_saved.timestamp()
    rollup = merge([inbox])
    assert rollup.files.loc[0, "status"] == "read"
    assert list(rollup.schools["school_name"]) == ["Trường TH Hoa Mi"]


def test_a_workbook_without_a_saved_time_falls_back_on_its_disk_time(tmp_path, vietnam_time):
    inbox = tmp_path / "ke-hoach-nop"
    inbox.mkdir()
    recorded = hoa_mi(inbox / "a.xlsx", dt.datetime(2025, 1, 15, 10, 20))
    unknown = hoa_mi(inbox / "b.xlsx", dt.datetime(2025, 1, 15, 10, 20))
    saved_at(unknown, None)  # a writer that records no save time
    on_disk(unknown, dt.datetime(2025, 3, 2, 14, 5))
    on_disk(recorded, dt.datetime(2025, 6, 1, 7, 0))
    files = merge([inbox]).files.set_index("file")
    assert files.loc["ke-hoach-nop/b.xlsx", "status"] == "read"
    assert files.loc["ke-hoach-nop/a.xlsx", "reason"].endswith(
        "vì lưu sau (bản đó lưu lúc 02/03/2025 14:05 theo giờ sửa tệp trên máy (tệp không ghi "
        "thời điểm lưu), bản này lưu lúc 15/01/2025 10:20 theo thời điểm lưu ghi trong tệp); "
        "không tính bản này."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-15T03:20:00Z", dt.datetime(2025, 1, 15, 3, 20, tzinfo=dt.timezone.utc)),
        ("2025-01-15T10:20:00+07:00", dt.datetime(2025, 1, 15, 3, 20, tzinfo=dt.timezone.utc)),
        ("2025-01-15T03:20:00.1234567Z", dt.datetime(2025, 1, 15, 3, 20, tzinfo=dt.timezone.utc)),
        ("2025-01-15T10:20:00.123456789", dt.datetime(2025, 1, 15, 10, 20, tzinfo=VIETNAM)),
        ("1899-12-31T00:00:00Z", None),
        ("hôm qua", None),
        ("2025-13-45T00:00:00Z", None),
    ],
)
def test_saved_times_as_workbooks_write_them(text, expected, vietnam_time):
    assert w3cdtf_time(text) == (expected.timestamp() if expected else None)


def test_a_later_school_year_wins_over_a_later_save(tmp_path, vietnam_time):
    inbox = tmp_path / "ke-hoach-nop"
    inbox.mkdir()
    hoa_mi(inbox / "nam-nay.xlsx", dt.datetime(2025, 9, 1, 7, 0), year="2025-2026")
    hoa_mi(inbox / "nam-truoc.xlsx", dt.datetime(2025, 9, 12, 9, 0))
    files = merge([inbox]).files.set_index("file")
    assert files.loc["ke-hoach-nop/nam-nay.xlsx", "status"] == "read"
    assert files.loc["ke-hoach-nop/nam-truoc.xlsx", "reason"] == (
        "'Trường TH Hoa Mi' gửi nhiều bản kế hoạch (cùng mã trường): đã dùng bản "
        "'ke-hoach-nop/nam-nay.xlsx' vì năm học 2025-2026 mới hơn năm học 2024-2025 của bản "
        "này (thời điểm lưu ghi trong tệp: bản đó lưu lúc 01/09/2025 07:00, bản này lưu lúc "
        "12/09/2025 09:00); không tính bản này."
    )
