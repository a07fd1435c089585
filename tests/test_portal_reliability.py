"""The real server (`sheetkit serve` in a subprocess) under a kill and under hostile files.

- 20 schools upload at once; the server is SIGKILLed while the uploads are in
  flight and started again on the same data folder: every upload that was
  answered is there, its stored file whole (its SHA-256 is its name, and the
  school downloads the same bytes it sent), no file of the folder is
  half-written, and nothing is left in DATA/tmp after the start.
- Every family of tests/hostile.py's corpus through the upload form over HTTP:
  never a 500, each file read or refused with a Vietnamese reason, the server
  still up and answering.

Everything on 127.0.0.1, every wait bounded.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("django")
pytest.importorskip("waitress")

from portal_helpers import (  # noqa: E402
    PLANS,
    Browserless,
    all_links,
    import_list,
    multipart,
    officer,
    open_round,
    start_server,
)

UPLOADS = 20
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]", re.I)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def distinct_plans(folder: Path, count: int) -> list[Path]:
    """``count`` plans with different bytes (a zip comment each), so each is stored apart."""
    sources = sorted(PLANS.glob("*.xlsx"))
    out = []
    for n in range(count):
        target = folder / f"ke-hoach-{n:02d}.xlsx"
        target.write_bytes(sources[n % len(sources)].read_bytes())
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = f"upload {n}".encode()
        out.append(target)
    return out


def stored_rows(data: Path, database_url: str | None = None) -> list[tuple[int, str, str, str]]:
    """(id, digest, stored path, original name) of every version the database holds."""
    query = "SELECT id, digest, stored, original_name FROM portal_version ORDER BY id"
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as db:
            return db.execute(query).fetchall()
    with sqlite3.connect(data / "sheetkit.sqlite3") as db:
        return db.execute(query).fetchall()


def school_page(server, token: str, round_id: int) -> str:
    return Browserless(server.url).get(f"/s/{token}/dot/{round_id}/").text


def test_kill_during_twenty_uploads_loses_nothing_answered(tmp_path):
    kill_during_uploads(tmp_path)


def kill_during_uploads(tmp_path: Path, database_url: str | None = None) -> None:
    """The kill test on SQLite (``database_url`` None) or on the given database."""
    data = tmp_path / "data"
    plans = distinct_plans(tmp_path, UPLOADS)
    server = start_server(data, database_url)
    try:
        client = officer(server)
        import_list(client)
        round_id = open_round(client)
        tokens = list(all_links(client).values())[:UPLOADS]
        assert len(tokens) == UPLOADS
        answered: dict[int, str] = {}  # upload number → the digest of the bytes sent
        failed: dict[int, str] = {}
        go = threading.Barrier(UPLOADS + 1)

        def send(n: int) -> None:
            school = Browserless(server.url, timeout=30)
            school.get(f"/s/{tokens[n]}/dot/{round_id}/")  # its CSRF cookie, as a browser
            body, content_type = multipart(
                {"csrfmiddlewaretoken": school.csrf()}, "file", plans[n].name, plans[n].read_bytes()
            )
            go.wait(10)
            try:
                answer = school.request(
                    f"/s/{tokens[n]}/dot/{round_id}/tai-len/",
                    body,
                    {"Content-Type": content_type},
                    follow=False,
                )
            except OSError as err:  # the connection cut by the kill
                failed[n] = repr(err)
                return
            if answer.status == 302:
                answered[n] = sha256(plans[n])
            else:
                failed[n] = f"HTTP {answer.status}"

        threads = [threading.Thread(target=send, args=(n,), daemon=True) for n in range(UPLOADS)]
        for thread in threads:
            thread.start()
        go.wait(10)
        # Kill while they are in flight: after the first answers, before the last.
        deadline = time.monotonic() + 20
        while len(answered) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()
        for thread in threads:
            thread.join(35)
        assert not any(t.is_alive() for t in threads)
        assert len(answered) < UPLOADS, "every upload finished before the kill: nothing tested"
        assert answered, f"no upload was answered before the kill: {failed}"
        print(f"{len(answered)} uploads answered before the kill, {len(failed)} cut")
    finally:
        server.kill()

    # Started again on the same folder.
    server = start_server(data, database_url)
    try:
        assert server.password is None  # the first officer exists already
        assert not list((data / "tmp").iterdir()), list((data / "tmp").iterdir())
        assert not list((data / "derived").glob(".part-*"))
        rows = stored_rows(data, database_url)
        by_digest = {digest: (pk, stored, name) for pk, digest, stored, name in rows}
        for n, digest in answered.items():
            assert digest in by_digest, f"answered upload {n} is lost"
            _, stored, name = by_digest[digest]
            assert name == plans[n].name
            assert sha256(data / "files" / stored) == digest
            # The school sees it and downloads the same bytes it sent.
            page = school_page(server, tokens[n], round_id)
            assert plans[n].name in page
            (version_url,) = set(re.findall(rf"/s/{tokens[n]}/dot/{round_id}/ban/\d+/tep", page))
            got = Browserless(server.url).get(version_url)
            assert got.status == 200 and hashlib.sha256(got.body).hexdigest() == digest
        # Every file the database names is whole; every stored file is named by its digest.
        for _, digest, stored, _ in rows:
            assert sha256(data / "files" / stored) == digest
        for path in (data / "files").rglob("*"):
            if path.is_file():
                assert sha256(path) == path.stem and path.parent.name == path.stem[:2], path
        assert len(rows) <= UPLOADS
    finally:
        server.stop()


def test_hostile_corpus_through_the_real_upload_form(tmp_path):
    """Every family of the hostile corpus (seed 7, one case each) sent over HTTP."""
    from hostile import KNOWN_FAMILIES, cases

    built = []
    for n, case in enumerate(cases(7, len(KNOWN_FAMILIES))):
        if case.target != "file":
            continue
        try:
            path = case.build(tmp_path / "corpus" / str(n))
        except Exception:  # a family that needs a tool this machine lacks
            continue
        if path.is_file() and path.stat().st_size <= 20 * 1024 * 1024:
            built.append((case.name, path))
    assert len(built) >= 35
    server = start_server(tmp_path / "data")
    try:
        client = officer(server)
        import_list(client)
        round_id = open_round(client)
        token = next(iter(all_links(client).values()))
        school = Browserless(server.url, timeout=60)
        school.get(f"/s/{token}/dot/{round_id}/")

        def send(item: tuple[str, Path]) -> tuple[str, int, str]:
            name, path = item
            answer = school.upload(f"/s/{token}/dot/{round_id}/tai-len/", path)
            return name, answer.status, answer.text

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(send, built))
        for name, status, page in results:
            assert status == 200, (name, status)
            assert "Lỗi máy chủ" not in page and "Server Error" not in page, name
            reason = re.search(r'class="msg (?:error|warning|success)">([^<]+)<', page)
            assert reason, name
            assert VIETNAMESE.search(reason[1]), (name, reason[1])
        assert server.alive()
        assert Browserless(server.url).get("/dang-nhap/").status == 200
        assert not [line for line in server.lines if "Traceback" in line], server.output()
    finally:
        server.stop()


def test_a_school_form_post_carries_the_origin_a_browser_sends(tmp_path):
    """The Origin a browser sends with a form post depends on the page's Referrer-Policy
    (Fetch standard: "null" under no-referrer); the school's upload must still be taken."""
    server = start_server(tmp_path / "data")
    try:
        client = officer(server)
        import_list(client)
        round_id = open_round(client)
        token = next(iter(all_links(client).values()))
        school = Browserless(server.url)
        page = school.get(f"/s/{token}/dot/{round_id}/")
        policy = page.headers.get("Referrer-Policy", "")
        origin = "null" if policy == "no-referrer" else server.url.rstrip("/")
        plan = PLANS / "th-binh-an-2026-2027.xlsx"
        body, content_type = multipart(
            {"csrfmiddlewaretoken": school.csrf()}, "file", plan.name, plan.read_bytes()
        )
        answer = school.request(
            f"/s/{token}/dot/{round_id}/tai-len/",
            body,
            {"Content-Type": content_type, "Origin": origin},
        )
        assert answer.status == 200, (policy, answer.status)
        assert "Kết quả kiểm tra bản 1" in answer.text
    finally:
        server.stop()
