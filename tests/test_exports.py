"""Tables for analysts: CSV an officer can double-click safely, replaced as a set; work folders."""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import GOOD_PLAN, legacy_template
from sheetkit import cli, workdirs
from sheetkit.jobs import merge_paths
from sheetkit.merging.rollup import WORK_PREFIX, merge
from sheetkit.writing import summary
from sheetkit.writing.summary import STAGE_PREFIX, inert_frame, inert_text, write_tables

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
HOSTILE = {
    "school_name": HYPERLINK,
    "principal": "@SUM(1+1)*cmd|' /C calc'!A0",
    "district": "+1+2",
    "solution": DDE,
    "lead": "-2+3",
    "support": "+SUM(1)",
    "result": "@A1",
    "budget": "\t=1+1",  # not understood: its finding shows what was typed, tab included
}
TABLES = ("files", "schools", "items", "levels", "findings", "criteria")


def hostile_plan() -> dict:
    data = copy.deepcopy(GOOD_PLAN)
    data["info"].update(
        school_name=HOSTILE["school_name"],
        principal=HOSTILE["principal"],
        district=HOSTILE["district"],
    )
    item = data["items"][0]
    item.update(solution=HOSTILE["solution"], lead=HOSTILE["lead"], support=HOSTILE["support"])
    item.update(result=HOSTILE["result"], budget=HOSTILE["budget"])
    return data


@pytest.fixture
def hostile_district(tmp_path) -> Path:
    folder = tmp_path / "@nop"  # every file is named from it: "@nop/=1+2.xlsx"
    folder.mkdir()
    legacy_template("tieu-hoc", folder / "=1+2.xlsx", hostile_plan())
    (folder / "@SUM(1)\rx.xlsx").write_bytes(b"")  # unreadable, with a bare CR in its name
    (folder / "-tệp\nhỏng.xlsx").write_text("không phải Excel", encoding="utf-8")
    return folder


# ----------------------------------------------------------------- the rule


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_with_a_formula_trigger_gets_an_apostrophe(first):
    assert inert_text(first + "SUM(A1)") == "'" + first + "SUM(A1)"


@pytest.mark.parametrize("value", ["Trường TH Kim Đồng", "", " =1", "'=1", "a=1", "\n=1", None, -5])
def test_other_values_are_unchanged(value):
    assert inert_text(value) is value


def test_numbers_and_dates_stay_numbers():
    frame = pd.DataFrame(
        {
            "budget": [-5.0, 10_000_000.0, None],
            "count": pd.array([-1, None, 3], dtype="Int64"),
            "when": pd.to_datetime(["2024-09-01", None, "2025-05-01"]),
            "text": ["=1+1", None, "-5"],
        }
    )
    safe = inert_frame(frame)
    pd.testing.assert_frame_equal(safe.drop(columns="text"), frame.drop(columns="text"))
    assert safe["text"].fillna("").tolist() == ["'=1+1", "", "'-5"]
    assert frame["text"].fillna("").tolist() == ["=1+1", "", "-5"]  # the roll-up keeps the text
    written = io.StringIO()
    safe.to_csv(written, index=False)
    assert written.getvalue().splitlines()[1].startswith("-5.0,-1,2024-09-01,")


def test_a_carriage_return_never_splits_a_row(tmp_path):
    frame = pd.DataFrame({"name": ["Trường\rA", "Trường\nB", 'Trường "C", D'], "n": [1, 2, 3]})
    summary.TABLE_FORMATS["csv"](frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["name", "n"], ["Trường\rA", "1"], ["Trường\nB", "2"], ['Trường "C", D', "3"]]


# ----------------------------------------------------------------- a hostile district, opened


def libreoffice_sheets(paths: list[Path], tmp_path: Path) -> dict[str, list[list]]:
    """Each CSV as LibreOffice Calc opens it (UTF-8, comma, double quotes): rows of cells.

    A cell is ("f", text) when Calc made it a formula, else (type, value).
    """
    out = tmp_path / "lo-out"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            shutil.which("soffice") or "libreoffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--infilter=CSV:44,34,76,1",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    sheets = {}
    for path in paths:
        book = openpyxl.load_workbook(out / f"{path.stem}.xlsx")
        sheets[path.stem] = [
            [(c.data_type, c.value) for c in row] for row in book.worksheets[0].iter_rows()
        ]
    return sheets


def column(sheet: list[list], name: str) -> list:
    header = [value for _, value in sheet[0]]
    at = header.index(name)
    return [row[at][1] if at < len(row) else None for row in sheet[1:]]


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="needs LibreOffice"
)
def test_hostile_text_opens_as_text_in_libreoffice(tmp_path, hostile_district):
    csv_dir, parquet_dir = tmp_path / "csv", tmp_path / "pq"
    tables = {"csv": csv_dir, "parquet": parquet_dir}
    rollup = merge_paths([hostile_district], tmp_path / "tong-hop.xlsx", tables=tables)
    sheets = libreoffice_sheets([csv_dir / f"{name}.csv" for name in TABLES], tmp_path)

    formulas = [
        (name, r, value)
        for name, rows in sheets.items()
        for r, row in enumerate(rows)
        for kind, value in row
        if kind == "f" or (isinstance(value, str) and value.startswith("="))
    ]
    assert formulas == []
    frames = {name: getattr(rollup, name) for name in TABLES[:-1]}
    frames["criteria"] = rollup.criteria()
    for name, frame in frames.items():  # one row per record: nothing split by a CR or LF
        assert len(sheets[name]) == len(frame) + 1, name

    schools = sheets["schools"]
    assert column(schools, "school_name") == ["'" + HOSTILE["school_name"]]
    assert column(schools, "principal") == ["'" + HOSTILE["principal"]]
    assert column(schools, "district") == ["'" + HOSTILE["district"]]
    items = sheets["items"]
    for key in ("solution", "lead", "support", "result"):
        assert column(items, key)[0] == "'" + HOSTILE[key], key
    assert set(column(items, "school_name")) == {"'" + HOSTILE["school_name"]}
    # Calc keeps a line break in a cell as LF, whether CR or LF was written.
    assert sorted(column(sheets["files"], "file")) == sorted(
        ["'@nop/=1+2.xlsx", "'@nop/@SUM(1)\nx.xlsx", "'@nop/-tệp\nhỏng.xlsx"]
    )
    assert "'" + HOSTILE["budget"] in column(sheets["findings"], "value")
    # Numbers are numbers, as the roll-up has them.
    for key in ("school_id", "items", "errors", "warnings", "infos", "budget_total"):
        assert column(schools, key) == list(rollup.schools[key]), key
    assert column(items, "budget_amount") == [
        None if pd.isna(v) else v for v in rollup.items["budget_amount"]
    ]
    assert column(items, "row") == list(rollup.items["row"])
    # Parquet is data for analysts' tools: the text exactly as typed.
    back = pd.read_parquet(parquet_dir / "schools.parquet")
    assert list(back["school_name"]) == [HOSTILE["school_name"]]
    assert pd.read_parquet(parquet_dir / "items.parquet")["solution"][0] == HOSTILE["solution"]


# ----------------------------------------------------------------- replaced as a set


def test_tables_are_replaced_as_a_set(tmp_path, hostile_district, monkeypatch):
    folder = tmp_path / "bang"
    folder.mkdir()
    (folder / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    for name in TABLES:
        (folder / f"{name}.csv").write_text(f"old {name}", encoding="utf-8")
    rollup = merge([hostile_district])
    write_csv = summary.TABLE_FORMATS["csv"]

    def fail_at_findings(frame, path):
        if path.stem == "findings":
            raise OSError("disk full")
        write_csv(frame, path)

    monkeypatch.setitem(summary.TABLE_FORMATS, "csv", fail_at_findings)
    with pytest.raises(OSError, match="disk full"):
        write_tables(rollup, folder, "csv")
    # Nothing new in place, nothing half-written left: the old set is whole.
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["ghi-chu.txt", *(f"{name}.csv" for name in TABLES)]
    )
    for name in TABLES:
        assert (folder / f"{name}.csv").read_text(encoding="utf-8") == f"old {name}"

    monkeypatch.setitem(summary.TABLE_FORMATS, "csv", write_csv)
    written = write_tables(rollup, folder, "csv")
    assert [p.name for p in written] == [f"{name}.csv" for name in TABLES]
    assert (folder / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["ghi-chu.txt", *(f"{name}.csv" for name in TABLES)]
    )
    assert (folder / "files.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# ----------------------------------------------------------------- work folders of killed runs

DAY = 24 * 3600


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_sweep_removes_only_old_unheld_folders_of_its_kind(tmp_path):
    parent = tmp_path

    def folder(name: str, files: dict[str, str], days: float) -> Path:
        path = parent / name
        path.mkdir()
        for file, text in files.items():
            (path / file).write_text(text, encoding="utf-8")
        age(path, days * DAY)
        return path

    killed = folder(f"{WORK_PREFIX}k2j4h5g6", {workdirs.OWNER: "", "000001.xlsx": "x"}, 2)
    older_version = folder(f"{WORK_PREFIX}a1b2c3d4", {"000001.xlsx": "x", "000002.xls": "x"}, 2)
    empty = folder(f"{WORK_PREFIX}zz_9zz_9", {}, 2)
    recent = folder(f"{WORK_PREFIX}recent01", {workdirs.OWNER: ""}, 1 - 1 / 24)
    # Look-alikes that are the user's: never touched, however old.
    bench = folder(f"{WORK_PREFIX}bench", {"000001.xlsx": "x"}, 9)  # not a mkdtemp name
    notes = folder(f"{WORK_PREFIX}20240901", {"ghi-chu.txt": "của tôi"}, 9)  # not our content
    other = folder("sheetkit-other1", {workdirs.OWNER: ""}, 9)  # another prefix
    user_file = parent / f"{WORK_PREFIX}notes123"  # a file, not a folder
    user_file.write_text("x")
    age(user_file, 9 * DAY)
    target = folder("elsewhere", {workdirs.OWNER: ""}, 9)
    link = parent / f"{WORK_PREFIX}link1234"
    link.symlink_to(target, target_is_directory=True)

    with workdirs.work_folder(parent, WORK_PREFIX) as running:
        assert not killed.exists() and not older_version.exists() and not empty.exists()
        age(running, 3 * DAY)  # an old folder whose run is still alive
        assert workdirs.sweep(parent, WORK_PREFIX) == []
        assert running.is_dir()
    assert not running.exists()
    for kept in (recent, bench, notes, other, target):
        assert kept.is_dir(), kept
    assert (notes / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    assert user_file.is_file() and link.is_symlink()


KILLED_MERGE = """
import sys, time
from sheetkit.merging.rollup import merge

def hold(done, total):
    print("reading", flush=True)
    time.sleep(120)

merge([sys.argv[1]], progress=hold)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_merge_leaves_a_folder_the_next_run_removes(tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    archive = tmp_path / "ke-hoach.zip"
    plan = legacy_template("tieu-hoc", tmp_path / "a.xlsx", copy.deepcopy(GOOD_PLAN))
    with zipfile.ZipFile(archive, "w") as z:
        z.write(plan, "truong-a.xlsx")
    env = {**os.environ, "TMPDIR": str(temp)}
    run = subprocess.Popen(
        [sys.executable, "-c", KILLED_MERGE, str(archive)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert run.stdout.readline().strip() == "reading"  # the archive is unpacked by now
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
    left = [p for p in temp.iterdir() if p.name.startswith(WORK_PREFIX)]
    assert len(left) == 1 and any(left[0].rglob("*.xlsx"))  # what the issue saw
    mine = temp / "ghi-chu.txt"
    mine.write_text("không đụng đến", encoding="utf-8")

    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = tmp_path / "tong-hop.xlsx"
    assert cli.main(["merge", str(archive), "-o", str(out), "--quiet"]) == 0
    assert left[0].exists()  # killed under a day ago: perhaps still wanted
    age(left[0], DAY + 60)
    assert cli.main(["merge", str(archive), "-o", str(out), "--quiet"]) == 0
    assert not left[0].exists()
    assert sorted(p.name for p in temp.iterdir()) == ["ghi-chu.txt"]
    assert mine.read_text(encoding="utf-8") == "không đụng đến"


def test_table_staging_folders_of_a_killed_run_are_swept(tmp_path, hostile_district):
    folder = tmp_path / "bang"
    stale = folder / f"{STAGE_PREFIX}killed01"
    stale.mkdir(parents=True)
    (stale / workdirs.OWNER).write_bytes(b"")
    (stale / "items.csv").write_text("half", encoding="utf-8")
    age(stale, 2 * DAY)
    write_tables(merge([hostile_district]), folder, "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.csv" for n in TABLES)


def test_whole_numbers_stay_whole_in_csv_and_parquet(tmp_path):
    """level_now 1, not 1.0 (a column with a gap is float in pandas); fractions stay decimal."""
    frame = pd.DataFrame(
        {
            "level_now": [1.0, None, 2.0],
            "budget": [5_000_000.0, 0.0, None],
            "done_share": [0.0, 1.0, 0.5],
            "planning_share": [1.0, 0.0, 1.0],
            "ratio": [0.5, 1.0, 2.0],
            "name": ["a", "b", "c"],
        }
    )
    summary.TABLE_FORMATS["csv"](frame, tmp_path / "t.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text("utf-8-sig"))))
    assert [r["level_now"] for r in rows] == ["1", "", "2"]
    assert [r["budget"] for r in rows] == ["5000000", "0", ""]
    assert [r["done_share"] for r in rows] == ["0.0", "1.0", "0.5"]
    assert [r["planning_share"] for r in rows] == ["1.0", "0.0", "1.0"]
    assert [r["ratio"] for r in rows] == ["0.5", "1.0", "2.0"]
    summary.TABLE_FORMATS["parquet"](frame, tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert str(back["level_now"].dtype) == "Int64" and back["level_now"].tolist()[0] == 1
    assert back["done_share"].dtype.kind == "f"


def test_merged_tables_write_levels_and_counts_as_integers(tmp_path):
    from conftest import EXAMPLES

    merge_paths([EXAMPLES / "quan-mau"], tmp_path / "t.xlsx", tables={"csv": tmp_path / "csv"})
    text = (tmp_path / "csv" / "tt57-schools.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["level_now"] for r in rows} <= {"", "0", "1", "2"}
    assert all(not r["items"].endswith(".0") for r in rows)
    criteria = list(
        csv.DictReader(io.StringIO((tmp_path / "csv" / "criteria.csv").read_text("utf-8-sig")))
    )
    assert all(not r["budget"].endswith(".0") for r in criteria)
