"""The portal on PostgreSQL as on SQLite: a throwaway cluster started by the tests.

The cluster is Debian's PostgreSQL (`.ci/run` installs it), made with initdb in
/tmp and started with pg_ctl on 127.0.0.1 (as the `postgres` user when the
tests run as root), or the server SHEETKIT_TEST_DATABASE_URL names. When it
cannot start, only these PostgreSQL tests are skipped, and the reason says why.

- a whole round over HTTP against the real server (`sheetkit serve
  --database-url`);
- the SIGKILL-during-20-uploads test of tests/test_portal_reliability.py on
  PostgreSQL;
- the main flow of tests/test_portal.py (Django's test client: a whole round,
  the roll-up equal to merge, who sees what) run again with its database on
  PostgreSQL (SHEETKIT_DATABASE_URL, which the portal's settings read).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("django")
pytest.importorskip("waitress")

from openpyxl import load_workbook  # noqa: E402
from portal_helpers import (  # noqa: E402
    PLANS,
    ROOT,
    Browserless,
    NoPostgres,
    import_list,
    link,
    officer,
    open_round,
    school_ids,
    start_postgres,
    start_server,
)

SCHOOL = "Trường Tiểu học Bình An"
PLAN = PLANS / "th-binh-an-2026-2027.xlsx"
# The main flow of the test-client suite, by name (a name that no longer matches is caught:
# the run must pass at least MAIN_FLOW_MIN tests).
MAIN_FLOW = (
    "test_a_whole_round or test_rollup_downloads_equal_merge or test_a_ward_officer_sees "
    "or test_a_link_shows_only_its_school or test_first_officer_changes"
)
MAIN_FLOW_MIN = 5


@pytest.fixture(scope="module")
def cluster():
    try:
        cluster = start_postgres()
    except NoPostgres as err:
        pytest.skip(f"PostgreSQL could not start, its tests are skipped: {err}")
    yield cluster
    cluster.stop()


@pytest.fixture
def database_url(cluster) -> str:
    """A fresh database on the cluster (SQLite's real-server round is the browser test's)."""
    return cluster.new_database()


def spoiled(folder: Path) -> Path:
    book = load_workbook(PLAN)
    book["Thông tin"]["B4"] = None
    out = folder / "ke-hoach-sai.xlsx"
    book.save(out)
    return out


def test_a_whole_round_over_http_on_postgres(tmp_path, database_url):
    server = start_server(tmp_path / "data", database_url)
    try:
        client = officer(server)
        assert "41 trường" in import_list(client).text
        round_id = open_round(client)
        school_id = school_ids(client)[SCHOOL]
        token = link(client, school_id)
        school = Browserless(server.url)
        page_url = f"/s/{token}/dot/{round_id}/"
        assert "Chưa nộp" in school.get(page_url).text

        page = school.upload(page_url + "tai-len/", spoiled(tmp_path)).text
        assert "1 lỗi" in page and "Ô B4" in page and "Chưa ghi tên trường" in page
        assert "Nộp kế hoạch</button>" not in page
        page = school.upload(page_url + "tai-len/", PLAN).text
        assert "0 lỗi" in page and "Nộp kế hoạch</button>" in page
        version = re.search(r'name="version" value="(\d+)"', page)[1]
        assert "Đã nộp lúc" in school.post(page_url + "nop/", {"version": version}).text

        sub_url = f"/dot/{round_id}/truong/{school_id}/"
        note = "Bổ sung minh chứng tiêu chí 1.3"
        page = client.post(sub_url + "xu-ly/", {"action": "return", "note": note}).text
        assert "Trả lại" in page
        page = school.get(page_url).text
        assert note in page and "Trả lại" in page
        assert "Đã nộp lúc" in school.post(page_url + "nop/", {"version": version}).text
        page = client.post(sub_url + "xu-ly/", {"action": "accept", "note": ""}).text
        assert "Đã duyệt" in page
        assert "Đã duyệt" in school.get(page_url).text

        rollup = client.get(f"/dot/{round_id}/tai/tong-hop.xlsx")
        assert rollup.status == 200 and "attachment" in rollup.headers["Content-Disposition"]
        (tmp_path / "tong-hop.xlsx").write_bytes(rollup.body)
        book = load_workbook(tmp_path / "tong-hop.xlsx", read_only=True)
        cells = [
            str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r
        ]
        assert any(SCHOOL in v for v in cells)
        book.close()
        report = client.get(f"/dot/{round_id}/tai/bao-cao.docx")
        assert report.status == 200
        (tmp_path / "bao-cao.docx").write_bytes(report.body)
        with zipfile.ZipFile(tmp_path / "bao-cao.docx") as archive:
            assert "word/document.xml" in archive.namelist()
        audit = client.get("/nhat-ky/").text
        for action in ("Tải lên", "Nộp", "Trả lại", "Duyệt"):
            assert action in audit
    finally:
        server.stop()


def test_kill_during_uploads_on_postgres(tmp_path, cluster):
    from test_portal_reliability import kill_during_uploads

    kill_during_uploads(tmp_path, cluster.new_database())


def test_the_test_client_main_flow_on_postgres(tmp_path, cluster):
    """tests/test_portal.py's main flow, in its own pytest, its database on PostgreSQL."""
    url = cluster.new_database()
    env = {**os.environ, "SHEETKIT_DATABASE_URL": url, "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
        + ["tests/test_portal.py", "-k", MAIN_FLOW, "--reuse-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    tail = (run.stdout + run.stderr)[-3000:]
    assert run.returncode == 0, tail
    passed = int(re.search(r"(\d+) passed", run.stdout)[1])
    assert passed >= MAIN_FLOW_MIN, tail
    # It really ran on PostgreSQL: pytest-django's test database (kept by --reuse-db) is
    # there, with the portal's tables.
    import psycopg

    name = "test_" + url.rsplit("/", 1)[1]
    with psycopg.connect(f"{cluster.base}/{name}") as db:
        tables = {r[0] for r in db.execute("SELECT tablename FROM pg_tables")}
    assert {"portal_version", "portal_submission", "portal_auditlog"} <= tables
