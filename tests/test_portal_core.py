"""The portal's core without Django: one read per upload, and roll-ups of stored results.

``merge_stored`` must write exactly what ``merge --roster --report`` writes for
the same files: the portal promises the officer the same numbers.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES
from sheetkit import jobs
from sheetkit.cli import main
from sheetkit.merging.rollup import reduced_format
from sheetkit.reading.parsing import month_index
from sheetkit.reading.roster import read_roster

AT = month_index(2027, 1)
ROSTER = EXAMPLES / "danh-sach-quan-mau.xlsx"


# When the summary was written: the one cell that differs between two runs minutes apart.
WRITTEN_AT = re.compile(r"Tổng hợp lúc \d\d/\d\d/\d{4} \d\d:\d\d")


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)

    def value(v):
        return WRITTEN_AT.sub("Tổng hợp lúc …", v) if isinstance(v, str) else v

    return {
        ws.title: [tuple(value(v) for v in row) for row in ws.iter_rows(values_only=True)]
        for ws in book
    }


def docx_text(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return lines


def csv_tables(folder: Path) -> dict[str, list[list[str]]]:
    tables = {}
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            tables[path.relative_to(folder).as_posix()] = list(csv.reader(f))
    return tables


@pytest.fixture(scope="module")
def merged(tmp_path_factory, area_with_list):
    rollup, out = area_with_list
    return rollup, out


def stored_plans(rollup) -> list[jobs.StoredPlan]:
    plans = []
    for name in rollup.files["file"]:
        path = EXAMPLES / name
        answer = jobs.intake_file(path, name)
        plans.append(
            jobs.StoredPlan(name, path.stat().st_mtime, answer["reduced"], answer["version"], path)
        )
    return plans


def test_merge_stored_writes_what_merge_writes(merged, tmp_path):
    rollup, out = merged
    plans = stored_plans(rollup)
    stored = jobs.merge_stored(
        plans,
        tmp_path / "tong-hop.xlsx",
        roster=read_roster(ROSTER),
        report=tmp_path / "bao-cao.docx",
        tables={"csv": tmp_path / "csv"},
        at=AT,
    )
    assert stored.headline() == rollup.headline()
    assert stored.roster.headline() == rollup.roster.headline()
    expected, got = sheet_values(out / "tong-hop.xlsx"), sheet_values(tmp_path / "tong-hop.xlsx")
    assert list(got) == list(expected)
    for sheet in expected:
        assert got[sheet] == expected[sheet], sheet
    assert csv_tables(tmp_path / "csv") == csv_tables(out / "csv")
    assert docx_text(tmp_path / "bao-cao.docx") == docx_text(out / "bao-cao.docx")


def test_outdated_results_are_read_again(merged, tmp_path):
    rollup, out = merged
    plans = stored_plans(rollup)[:3]
    plans[0].version, plans[1].result = "0.0.0/0", None
    seen = []

    def reread(path, name):
        seen.append(name)
        return jobs.intake_file(path, name)

    jobs.merge_stored(plans, tmp_path / "a.xlsx", at=AT, reread=reread)
    assert seen == [plans[0].name, plans[1].name]
    assert all(p.version == reduced_format() and p.result for p in plans)


def test_intake_gives_check_json(tmp_path, capsys):
    plan = EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"
    answer = jobs.intake_file(plan, plan.name)
    main(["check", str(plan), "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    printed["file"] = plan.name
    assert answer["check"] == printed
    assert "school_level" in answer["check"]
    assert answer["identity"]["school_name"]
    assert answer["identity"]["layout"] == "tt57"
    assert answer["error"] is None and answer["reduced"]["school"]["school_name"]


def test_intake_at_a_review_month_gives_check_at(capsys):
    plan = EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"
    answer = jobs.intake_file(plan, plan.name, AT)
    main(["check", str(plan), "--at", "2027-01", "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    printed["file"] = plan.name
    assert answer["check"] == printed
    plain = jobs.intake_file(plan, plan.name)
    assert answer["reduced"] == plain["reduced"]  # the roll-up's reading, whatever the round


def test_intake_refuses_what_is_not_a_plan(tmp_path):
    answer = jobs.intake_file(ROSTER, ROSTER.name)
    assert answer["refused"] == jobs.REFUSED_ROSTER and answer["reduced"] is None
    junk = tmp_path / "x.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    answer = jobs.intake_file(junk, "x.xlsx")
    assert answer["error"] and answer["check"]["findings"] == []


def test_pool_runs_jobs_and_survives_a_stuck_one(tmp_path):
    plan = EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"
    pool = jobs.IsolatedPool(2)
    try:
        answer = pool.run("intake", str(plan), plan.name)
        assert answer["reduced"]["school"]["school_name"]
        out = tmp_path / "annotated.xlsx"
        pool.run("annotate", str(plan), str(out))
        assert out.stat().st_size > 0
        shutil.copy(plan, tmp_path / "p.xlsx")
        with pytest.raises(jobs.JobFailed, match="giây"):
            pool.run("intake", str(plan), plan.name, seconds=0.001)
        assert pool.run("intake", str(plan), plan.name)["error"] is None
    finally:
        pool.close()


# ----------------------------------------------------------------- serve, without Django


ROOT = Path(__file__).resolve().parent.parent


def test_only_the_portal_imports_django():
    import re

    pattern = re.compile(r"^\s*(import django|from django)", re.M)
    outside = [
        path
        for folder in (ROOT / "sheetkit", ROOT / "validators")
        for path in folder.rglob("*.py")
        if "portal" not in path.relative_to(ROOT).parts and pattern.search(path.read_text("utf-8"))
    ]
    assert outside == []


def test_serve_says_how_to_install_the_portal(monkeypatch, capsys):
    import sys

    from sheetkit.portal import INSTALL_HINT

    monkeypatch.setitem(sys.modules, "django", None)  # as if the extra were not installed
    assert main(["serve", "--data", "x"]) == 3
    assert INSTALL_HINT in capsys.readouterr().err
    assert "pip install" in INSTALL_HINT


def test_database_urls(tmp_path):
    pytest.importorskip("django")
    from sheetkit.portal.settings import DatabaseUrlError, database_from_url

    assert database_from_url(None, tmp_path)["NAME"] == str(tmp_path / "sheetkit.sqlite3")
    assert database_from_url("sqlite:////srv/a.sqlite3", tmp_path)["NAME"] == "/srv/a.sqlite3"
    pg = database_from_url(
        "postgresql://sk:p%40ss@db.local:5433/sheetkit?sslmode=require", tmp_path
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "sheetkit",
        "sk",
        "p@ss",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    for wrong in ("mysql://x/y", "postgresql://host/"):
        with pytest.raises(DatabaseUrlError):
            database_from_url(wrong, tmp_path)


def test_serve_starts_on_a_free_port_and_sweeps_temporaries(tmp_path):
    """The real server: first start prints the address and the one-time password; a second
    start removes what a killed run left in DATA/tmp and prints no password."""
    import re
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    pytest.importorskip("django")
    pytest.importorskip("waitress")
    data = tmp_path / "data"

    def start():
        process = subprocess.Popen(
            [sys.executable, "-m", "sheetkit", "serve", "--data", str(data), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "đang chạy tại" in line or not line:
                break
        found = re.search(r"(http://[\d.]+:\d+/)", "".join(lines))
        assert found, "".join(lines)
        return process, found[1], lines

    process, url, lines = start()
    try:
        page = urllib.request.urlopen(url + "dang-nhap/", timeout=30).read().decode()
        assert "Đăng nhập cán bộ" in page
        more = process.stdout.readline() + process.stdout.readline()
        assert "mật khẩu dùng một lần" in more
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    (data / "tmp" / "tmpleft.upload.xlsx").write_bytes(b"half")
    process, url, lines = start()
    try:
        assert not (data / "tmp" / "tmpleft.upload.xlsx").exists()
        assert urllib.request.urlopen(url, timeout=30).status == 200
    finally:
        process.kill()
        process.wait(timeout=30)
