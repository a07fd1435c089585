"""District roll-up: hostile folders, duplicates, the summary workbook, the command."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from conftest import EXAMPLES, GOOD_PLAN, ROOT, encrypted_package, legacy_template, saved_at
from sheetkit import cli
from sheetkit.merging.rollup import STATUS_ERRORS, STATUS_VALID, merge
from sheetkit.model import contract
from sheetkit.model.contract import SUMMARY_SHEETS
from sheetkit.writing.summary import write_summary, write_tables

# openpyxl does not know the data-bar extension Excel 2010 added; it only warns.
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")


def plan_data(name: str, code: str, year: str = "2024-2025", **info) -> dict:
    data = copy.deepcopy(GOOD_PLAN)
    data["info"].update(school_name=name, school_code=code, school_year=year, **info)
    return data


@pytest.fixture
def district(tmp_path) -> Path:
    """A folder as a district receives it: three good plans, one with errors, and junk."""
    folder = tmp_path / "nop-ke-hoach"
    (folder / "dot-2").mkdir(parents=True)
    legacy_template(
        "tieu-hoc", folder / "th-kim-dong.xlsx", plan_data("Trường TH Kim Đồng", "7901")
    )
    legacy_template("tieu-hoc", folder / "th-le-loi.xlsx", plan_data("Trường TH Lê Lợi", "7902"))
    bad = plan_data("Trường TH Hoa Sen", "7903")
    bad["items"][0]["end"] = "cuối năm"  # not a month
    legacy_template("tieu-hoc", folder / "dot-2" / "th-hoa-sen.xlsx", bad)
    mn = copy.deepcopy(GOOD_PLAN)
    mn["info"].update(school_name="Trường MN Sơn Ca", school_code="7904", school_level="Mầm non")
    mn["assessment"] = {}
    mn["items"] = [dict(mn["items"][0], criterion="3.1")]
    legacy_template("mam-non", folder / "mn-son-ca.xlsx", mn)
    # What else lands in a mail download or a shared drive.
    (folder / "~$th-kim-dong.xlsx").write_bytes(b"lock")  # Excel lock file: silently ignored
    (folder / ".~lock.th-le-loi.xlsx#").write_text("lock")  # LibreOffice lock file
    (folder / "Thumbs.db").write_bytes(b"\0" * 10)
    (folder / ".DS_Store").write_bytes(b"\0" * 10)
    (folder / "ke-hoach-scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "rong.xlsx").write_bytes(b"")
    (folder / "khong-phai-excel.xlsx").write_text("xin chào", encoding="utf-8")
    (folder / "mat-khau.xlsx").write_bytes(encrypted_package())
    good = (folder / "th-le-loi.xlsx").read_bytes()
    (folder / "dot-2" / "tai-chua-xong.xlsx").write_bytes(good[: len(good) // 2])
    other = openpyxl.Workbook()
    other.active.title = "Danh sách lớp"
    other.active["A1"] = "Lớp"
    other.save(folder / "mau-khac.xlsx")
    (folder / ".git").mkdir()
    (folder / ".git" / "config.xlsx").write_bytes(b"hidden folder: never read")
    return folder


def by_file(rollup) -> dict[str, pd.Series]:
    return {Path(r.file).name: r for r in rollup.files.itertuples()}


def test_every_file_is_accounted_for(district):
    rollup = merge([district])
    files = by_file(rollup)
    assert "~$th-kim-dong.xlsx" not in files and ".~lock.th-le-loi.xlsx#" not in files
    assert "config.xlsx" not in files  # hidden folders are not searched
    statuses = {name: r.status for name, r in files.items()}
    assert statuses == {
        "th-kim-dong.xlsx": "read",
        "th-le-loi.xlsx": "read",
        "th-hoa-sen.xlsx": "read",
        "mn-son-ca.xlsx": "read",
        "Thumbs.db": "skipped",
        ".DS_Store": "skipped",
        "ke-hoach-scan.pdf": "skipped",
        "rong.xlsx": "unreadable",
        "khong-phai-excel.xlsx": "unreadable",
        "mat-khau.xlsx": "unreadable",
        "tai-chua-xong.xlsx": "unreadable",
        "mau-khac.xlsx": "read",
    }
    assert "rỗng" in files["rong.xlsx"].reason
    assert "mật khẩu" in files["mat-khau.xlsx"].reason
    assert "hỏng" in files["tai-chua-xong.xlsx"].reason
    assert "PDF" in files["ke-hoach-scan.pdf"].reason
    # Names start from the chosen folder, so the officer can find the file.
    assert files["th-hoa-sen.xlsx"].file == "nop-ke-hoach/dot-2/th-hoa-sen.xlsx"


def test_plans_with_errors_are_included_and_marked(district):
    rollup = merge([district])
    schools = rollup.schools.set_index("school_code")
    assert schools.loc["7903", "status"] == STATUS_ERRORS
    assert schools.loc["7903", "errors"] >= 1
    assert schools.loc["7901", "status"] == STATUS_VALID
    assert schools.loc["7901", "items"] == 2
    assert schools.loc["7901", "budget_total"] == 10_000_000
    assert schools.loc["7904", "circular"] == "tt19-2018"
    # A workbook from another template is read, and says what is missing.
    other = rollup.findings[rollup.findings["file"].str.endswith("mau-khac.xlsx")]
    assert set(other["rule"]) >= {"structure.missing_sheet"}
    # The findings are the same as `sheetkit check` gives.
    hoa_sen = rollup.findings[rollup.findings["file"].str.endswith("th-hoa-sen.xlsx")]
    assert "item.end_invalid" in set(hoa_sen["rule"])
    assert set(hoa_sen["cell"].dropna()) >= {"L5"}
    unreadable = rollup.findings[rollup.findings["rule"] == "file.unreadable"]
    assert len(unreadable) == 4
    assert not rollup.all_read


def test_items_levels_and_criteria(district):
    rollup = merge([district])
    kim_dong = rollup.items[rollup.items["school_code"] == "7901"]
    assert list(kim_dong["criterion"]) == ["3.6", "5.5"]
    assert list(kim_dong["current"]) == [1, 1]
    assert list(kim_dong["target"]) == [2, 2]
    assert kim_dong["start"].iloc[0] == pd.Timestamp(2024, 9, 1)
    assert kim_dong["end"].iloc[1] == pd.Timestamp(2025, 5, 1)
    assert kim_dong["criterion_title"].iloc[0].startswith("Thư viện")
    levels = rollup.levels.set_index(["school_id", "criterion"])
    school = int(rollup.schools.set_index("school_code").loc["7901", "school_id"])
    assert levels.loc[(school, "3.6"), "current"] == 1
    assert levels.loc[(school, "3.6"), "target"] == 2
    assert pd.isna(levels.loc[(school, "1.1"), "target"])
    criteria = rollup.criteria().set_index(["circular", "criterion"])
    row = criteria.loc[("tt17-2018", "3.6")]
    # Kim Đồng, Lê Lợi and Hoa Sen all plan 3.6 from Mức 1 to Mức 2.
    assert (row["schools"], row["current_1"], row["planning"], row["target_2"]) == (3, 3, 3, 3)
    assert criteria.loc[("tt17-2018", "1.1"), "planning"] == 0


def test_duplicates_keep_the_newer_plan(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    old = legacy_template("tieu-hoc", folder / "a-cu.xlsx", plan_data("Trường TH An Bình", "7911"))
    new = legacy_template(
        "tieu-hoc",
        folder / "b-moi.xlsx",
        plan_data("Trường TH An Bình", "7911", year="2025-2026"),
    )
    # Same name and district, no code, sent twice: the one the school saved later wins,
    # whatever the times on disk say (they follow the downloads).
    first = legacy_template("tieu-hoc", folder / "c-1.xlsx", plan_data("Trường TH Bình Minh", ""))
    second = legacy_template("tieu-hoc", folder / "c-2.xlsx", plan_data("trường th  BÌNH MINH", ""))
    saved_at(first, dt.datetime(2024, 10, 2, 8, 0))  # c-1 saved later than c-2
    saved_at(second, dt.datetime(2024, 9, 20, 8, 0))
    os.utime(first, (1_900_000_000, 1_900_000_000))  # but downloaded first
    os.utime(second, (2_000_000_000, 2_000_000_000))
    rollup = merge([folder])
    files = by_file(rollup)
    assert files["b-moi.xlsx"].status == "read"
    assert files["a-cu.xlsx"].status == "duplicate"
    assert "b-moi.xlsx" in files["a-cu.xlsx"].reason and "mã trường" in files["a-cu.xlsx"].reason
    assert files["a-cu.xlsx"].reason.startswith("'Trường TH An Bình' gửi nhiều bản")
    assert files["c-1.xlsx"].status == "read" and files["c-2.xlsx"].status == "duplicate"
    assert len(rollup.schools) == 2
    assert set(rollup.items["school_id"]) == set(rollup.schools["school_id"])
    dup = rollup.findings[rollup.findings["rule"] == "file.duplicate"]
    assert len(dup) == 2 and set(dup["severity"]) == {"warning"}
    assert old.exists() and new.exists()


def test_zip_archives(tmp_path, district):
    archive = tmp_path / "thu-muc-tai-ve.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(district / "th-kim-dong.xlsx", "Kế hoạch/th-kim-dong.xlsx")
        z.write(district / "rong.xlsx", "Kế hoạch/rong.xlsx")
        z.writestr("__MACOSX/Kế hoạch/._th-kim-dong.xlsx", b"apple double")
        z.writestr("Kế hoạch/~$th-kim-dong.xlsx", b"lock")
        z.writestr("ghi-chu.txt", "xin chào")
    truncated = tmp_path / "hong.zip"
    truncated.write_bytes(archive.read_bytes()[:200])
    rollup = merge([archive, truncated])
    files = {r.file: r for r in rollup.files.itertuples()}
    assert files[f"{archive}/Kế hoạch/th-kim-dong.xlsx"].status == "read"
    assert files[f"{archive}/Kế hoạch/rong.xlsx"].status == "unreadable"
    assert files[f"{archive}/ghi-chu.txt"].status == "skipped"
    assert files[str(truncated)].status == "unreadable"
    assert "tải lại" in files[str(truncated)].reason
    assert len(files) == 4


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    from sheetkit.reading import collect

    monkeypatch.setattr(collect, "MAX_ARCHIVE_BYTES", 1_000_000)
    archive = tmp_path / "bom.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xlsx", b"\0" * 2_000_000)  # compresses to a few KB
    rollup = merge([archive])
    (row,) = rollup.files.itertuples()
    assert row.status == "unreadable" and "quá lớn" in row.reason


def test_text_from_schools_stays_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = plan_data('=HYPERLINK("http://x.invalid","Bấm vào")', "=1+1")
    data["items"][0]["solution"] = "=SUM(A1:A9) rồi +1 và @ghi chú"
    legacy_template("tieu-hoc", folder / "a.xlsx", data)
    out = tmp_path / "tong-hop.xlsx"
    write_summary(merge([folder]), out)
    wb = openpyxl.load_workbook(out)
    school = wb["Theo trường"]
    assert school["B2"].value == '=HYPERLINK("http://x.invalid","Bấm vào")'
    assert school["B2"].data_type == "s"
    assert school["C2"].value == "=1+1" and school["C2"].data_type == "s"
    details = wb[contract.SHEET_ITEMS]
    solutions = [c.value for c in details["J"][1:]]
    assert "=SUM(A1:A9) rồi +1 và @ghi chú" in solutions
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("streamed", [False, True], ids=["in-memory", "streamed"])
def test_summary_workbook_structure(tmp_path, district, monkeypatch, streamed):
    import sheetkit.writing.summary

    if streamed:  # a province's roll-up: rows streamed to disk, same workbook
        monkeypatch.setattr(sheetkit.writing.summary, "STREAM_FROM_ITEMS", 0)
    rollup = sheetkit.merge([district])
    out = tmp_path / "bao-cao" / "tong-hop.xlsx"
    sheetkit.write_summary(rollup, out)
    wb = openpyxl.load_workbook(out)
    # 2018 plans only: no sheet of Thông tư 57 (tests/test_rollup57.py)
    assert wb.sheetnames == [
        s
        for s in SUMMARY_SHEETS
        if not s.startswith("TT57") and s not in contract.OPTIONAL_SUMMARY_SHEETS
    ]
    overview = wb["Tổng quan"]
    figures = {overview.cell(r, 1).value: overview.cell(r, 2).value for r in range(6, 30)}
    assert figures["Tệp tìm thấy"] == 12
    assert figures["Tệp không đọc được"] == 4
    assert figures["Kế hoạch có lỗi"] >= 2  # Hoa Sen and the other template
    assert figures["    Tiểu học"] == 3
    assert len(overview._charts) == 3
    schools = wb["Theo trường"]
    assert schools.freeze_panes == "C2"
    header = [c.value for c in schools[1]]
    assert schools.auto_filter.ref.startswith(f"A1:{get_column_letter(len(header))}")
    assert header[:5] == ["STT", "Tên trường", "Mã trường", "Cấp học", "Thông tư"]
    status = get_column_letter(header.index("Tình trạng") + 1)
    statuses = [c.value for c in schools[status][1:] if c.value]
    assert statuses.count("Không đọc được") == 4
    assert schools.page_setup.orientation == "landscape" and schools.print_title_rows == "$1:$1"
    problems = wb["Lỗi"]
    first = [c.value for c in problems[2]]
    assert first[0] == "Không đọc được"
    matrix = wb["Ma trận"]
    assert matrix.conditional_formatting, "colour scale on the matrix"
    details = wb[contract.SHEET_ITEMS]
    assert details.max_row - 1 == len(rollup.items)


def test_inputs_are_never_modified(district, tmp_path):
    before = {
        p: hashlib.sha256(p.read_bytes()).hexdigest() for p in district.rglob("*") if p.is_file()
    }
    summary = tmp_path / "tong-hop.xlsx"
    assert cli.main(["merge", str(district), "-o", str(summary), "--quiet"]) == 1
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before}
    assert before == after
    # A summary copied among the plans is known by its content: not read as a school's plan.
    shutil.copy(summary, district / "tong-hop-cu.xlsx")
    rollup = merge([district])
    assert by_file(rollup)["tong-hop-cu.xlsx"].status == "skipped"
    # Writing over an earlier summary stays allowed.
    assert cli.main(["merge", str(district), "-o", str(summary), "--quiet"]) == 1
    leftovers = [p.name for p in tmp_path.rglob(".sheetkit-*")]
    assert leftovers == []


def test_cli_exit_codes_and_closing_line(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    legacy_template("tieu-hoc", folder / "a.xlsx", plan_data("Trường TH Kim Đồng", "7901"))
    out = tmp_path / "out.xlsx"
    bad = plan_data("Trường TH Lê Lợi", "7902")
    bad["items"][0]["end"] = "cuối năm"
    legacy_template("tieu-hoc", folder / "b.xlsx", bad)
    # Plans with errors are part of a good roll-up: exit 0 when every file was read.
    assert cli.main(["merge", str(folder), "-o", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("Đã tổng hợp 2 trường, 2 tệp đọc được, 1 kế hoạch có lỗi")
    (folder / "c.xlsx").write_bytes(b"")
    assert cli.main(["merge", str(folder), "-o", str(out)]) == 1
    assert "1 tệp không đọc được" in capsys.readouterr().out
    # A path that does not exist, alone or beside a good one: exit 2, nothing written.
    out.unlink()
    for paths in ([tmp_path / "khong-co"], [folder, tmp_path / "khong-co"]):
        assert cli.main(["merge", *map(str, paths), "-o", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"Không tìm thấy '{tmp_path / 'khong-co'}'") and "\n" not in err
        assert not out.exists() and not list(tmp_path.glob(".sheetkit-*"))
    assert cli.main(["merge", str(folder / "a.xlsx"), "-o", str(folder / "a.xlsx")]) == 3
    assert cli.main(["merge", str(folder), "-o", str(tmp_path / "out.csv")]) == 3
    empty = tmp_path / "trong"
    empty.mkdir()
    assert cli.main(["merge", str(empty), "-o", str(out)]) == 2
    assert "Không tìm thấy tệp nào" in capsys.readouterr().err


def test_tables_for_analysts(tmp_path, district):
    rollup = merge([district])
    written = write_tables(rollup, tmp_path / "csv", "csv")
    assert [p.name for p in written] == [
        "files.csv",
        "schools.csv",
        "items.csv",
        "levels.csv",
        "findings.csv",
        "criteria.csv",
    ]
    assert (tmp_path / "csv" / "schools.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(tmp_path / "csv" / "items.csv", dtype={"school_code": str})
    assert len(back) == len(rollup.items)
    write_tables(rollup, tmp_path / "pq", "parquet")
    items = pd.read_parquet(tmp_path / "pq" / "items.parquet")
    assert list(items.columns) == list(rollup.items.columns)
    assert items["start"].dtype.kind == "M"


def test_parallel_and_serial_agree(tmp_path):
    from sample_district import write_district

    folder = tmp_path / "quan"
    write_district(folder, count=60, seed=7)
    serial = merge([folder], workers=1)
    parallel = merge([folder], workers=2)
    pd.testing.assert_frame_equal(serial.schools, parallel.schools)
    pd.testing.assert_frame_equal(serial.items, parallel.items)
    pd.testing.assert_frame_equal(serial.findings, parallel.findings)


def test_progress_is_reported(district):
    seen = []
    merge([district], progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 9) and seen[-1] == (9, 9)


def test_zip_member_names_written_without_the_utf8_flag():
    from sheetkit.reading.collect import _member_name

    info = zipfile.ZipInfo("placeholder")
    info.filename = "Kế hoạch Trường Hoa Sen.xlsx".encode().decode("cp437")  # how Python reads it
    info.flag_bits = 0
    assert _member_name(info) == "Kế hoạch Trường Hoa Sen.xlsx"
    info.filename, info.flag_bits = "Kế hoạch.xlsx", 0x800
    assert _member_name(info) == "Kế hoạch.xlsx"


# ----------------------------------------------------------------- hostile folders

QUAN_MAU = EXAMPLES / "quan-mau"
# What a reason must never show: a Python exception's name, a library's word.
PYTHON_WORDS = re.compile(r"Error|Exception|Zip|zlib|lzma|errno|Traceback|\bNone\b")


def test_a_reader_that_dies_or_hangs_costs_only_its_file(tmp_path, monkeypatch):
    """The fast reader can abort the whole process (it cannot allocate) or never return:
    the worker reading that file dies or is stopped, the file is unreadable, the rest read."""
    from sheetkit.merging import rollup

    files = sorted(QUAN_MAU.glob("*.xlsx"))
    killer, sleeper = files[5].name, files[30].name
    real = rollup.open_workbook

    def hostile(path):
        if path.endswith(killer):
            os.kill(os.getpid(), signal.SIGKILL)
        if path.endswith(sleeper):
            time.sleep(120)
        return real(path)

    monkeypatch.setattr(rollup, "open_workbook", hostile)
    monkeypatch.setattr(rollup, "READ_SECONDS", 3.0)
    for workers in (1, 2):
        result = merge([QUAN_MAU], workers=workers)
        files_by = by_file(result)
        assert "dừng đột ngột" in files_by[killer].reason
        assert "quá 3 giây" in files_by[sleeper].reason
        assert {r.status for n, r in files_by.items() if n not in (killer, sleeper)} == {"read"}
        assert len(result.schools) == 38


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_workers_end_when_the_merge_is_killed(stop):
    script = (
        "import sys, time\n"
        "from sheetkit.merging import rollup\n"
        "def busy(*args, **kwargs):\n"
        "    while True: pass\n"  # a worker at 100 % CPU on a hard file
        "rollup.read_batch = busy\n"
        "rollup.merge([sys.argv[1]], workers=2)\n"
    )
    merge_process = subprocess.Popen([sys.executable, "-c", script, str(QUAN_MAU)])
    deadline = time.monotonic() + 60
    while len(_children(merge_process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(merge_process.pid)
    assert len(workers) == 2
    merge_process.send_signal(stop)
    merge_process.wait(timeout=10)  # Ctrl+C: the merge stops its workers and ends
    deadline = time.monotonic() + 5
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _running(w)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "workers outlived their merge"


def test_a_killed_runs_temporary_files_are_removed_by_the_next(tmp_path):
    from sheetkit.jobs import merge_paths
    from sheetkit.writing.files import _host

    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    alive = os.getppid()  # a live process that is not this one
    host = _host()
    stale = [
        out / f".sheetkit-{host}-{dead}-k1ll3d.xlsx",
        out / f".sheetkit-{host}-{dead}-k1ll3d.csv",
    ]
    kept = [
        out / f".sheetkit-{host}-{alive}-writing.xlsx",  # another run, still writing
        out / f".sheetkit-maykhac-{dead}-k1ll3d.xlsx",  # another machine on a shared drive
        out / ".sheetkit-q1w2e3r4.xlsx",  # not named by a run we can judge
        out / ".sheetkit-ghi-chu.txt",
    ]
    for path in stale + kept:
        path.write_bytes(b"partial")
    merge_paths([QUAN_MAU], out / "tong-hop.xlsx", tables={"csv": out / "csv"})
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    assert (out / "tong-hop.xlsx").exists() and (out / "csv" / "schools.csv").exists()


def test_summaries_and_district_workbooks_in_the_folder_are_not_schools(tmp_path, district):
    import shutil

    from sheetkit.jobs import check_file

    write_summary(merge([district]), district / "bao-cao-th-kim-dong.xlsx")  # any name
    shutil.copy(ROOT / "workbook_templates" / "tong-hop.xlsm", district / "so-phong.xlsm")
    check_file(district / "th-kim-dong.xlsx", annotate=district / "kim-dong-da-danh-dau.xlsx")
    before = merge([district])
    files = by_file(before)
    for name in ("bao-cao-th-kim-dong.xlsx", "so-phong.xlsm"):
        assert files[name].status == "skipped"
        assert "Sổ tổng hợp do sheetkit tạo" in files[name].reason
    # A marked copy is not what the school sent: skipped, the school's own file is read.
    assert files["th-kim-dong.xlsx"].status == "read"
    assert files["kim-dong-da-danh-dau.xlsx"].status == "skipped"
    assert len(before.schools) == 5 and list(before.schools["school_code"]).count("7901") == 1


def _archive_with(path: Path, name: str, data: bytes, **patch) -> Path:
    """A .zip holding one member, its local header then patched: ``version`` (needed to
    extract, in tenths), ``method``, or ``damage`` (bytes of the data overwritten)."""
    import struct

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    raw = bytearray(path.read_bytes())
    central = raw.rindex(b"PK\x01\x02")
    if "version" in patch:
        struct.pack_into("<H", raw, 4, patch["version"])
        struct.pack_into("<H", raw, central + 6, patch["version"])
    if "method" in patch:
        struct.pack_into("<H", raw, 8, patch["method"])
        struct.pack_into("<H", raw, central + 10, patch["method"])
    if "damage" in patch:
        start = 30 + len(name.encode())
        raw[start + 10 : start + 10 + len(patch["damage"])] = patch["damage"]
    path.write_bytes(bytes(raw))
    return path


def test_damaged_archives_and_odd_files_do_not_stop_the_roll_up(tmp_path, district):
    plan = (district / "th-le-loi.xlsx").read_bytes()
    inbox = district / "hop-thu"
    inbox.mkdir()
    _archive_with(inbox / "phien-ban.zip", "a.xlsx", plan, version=255)  # "zip file version 25.5"
    _archive_with(inbox / "cach-nen.zip", "b.xlsx", plan, method=14)  # LZMA header, not LZMA data
    _archive_with(inbox / "du-lieu-hong.zip", "c.xlsx", plan, damage=b"\xff" * 40)
    (inbox / "phien-ban-sai.xlsx").write_bytes(
        _archive_with(
            tmp_path / "v.zip", "xl/workbook.xml", b"<workbook/>", version=255
        ).read_bytes()
    )
    os.symlink(inbox / "vong.xlsx", inbox / "vong.xlsx")
    latin1 = inbox / os.fsdecode(b"tr\xeang-l\xea-l\xf2i.xlsx")
    latin1.write_bytes(plan)
    budgets = plan_data("Trường TH Ngân Sách", "7998")
    budgets["items"][0]["budget"] = 1e308  # two budgets near the largest float: their sum is inf
    budgets["items"][1]["budget"] = "1e308"
    legacy_template("tieu-hoc", inbox / "kinh-phi.xlsx", budgets)
    out = tmp_path / "tong-hop.xlsx"
    assert cli.main(["merge", str(district), "-o", str(out), "--csv", str(tmp_path / "csv")]) == 1
    rollup = merge([district])
    files = {Path(r.file).name: r for r in rollup.files.itertuples()}
    assert "tải lại" in files["phien-ban.zip"].reason  # the archive itself
    for member in ("b.xlsx", "c.xlsx"):  # members that do not unpack
        assert files[member].status == "unreadable" and "tải lại" in files[member].reason
    assert files["phien-ban-sai.xlsx"].status == "unreadable"
    assert "vòng" in files["vong.xlsx"].reason
    assert files["trêng-lê-lòi.xlsx"].status in ("read", "duplicate")  # th-le-loi sent twice
    assert files["kinh-phi.xlsx"].status == "read"
    for reason in rollup.files["reason"]:
        assert not PYTHON_WORDS.search(reason), reason
    summary = openpyxl.load_workbook(out, read_only=True)
    assert "Lỗi" in summary.sheetnames
