"""The real portal over HTTP: `sheetkit serve` in a subprocess, and a small cookie client.

Used by tests/test_portal_browser.py, tests/test_portal_reliability.py and
benchmarks/portal_bench.py. Only the standard library speaks HTTP here (no
requests dependency); the server listens on 127.0.0.1 and a port it picks.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ROSTER = EXAMPLES / "danh-sach-quan-mau.xlsx"
PLANS = EXAMPLES / "quan-mau"
PASSWORD = "Mật-khẩu-đủ-dài-2026"
START_TIMEOUT = 60.0

URL_LINE = re.compile(r"Trang web đang chạy tại (http://\S+)")
PASSWORD_LINE = re.compile(r"mật khẩu dùng một lần: (\S+)")


@dataclass
class Server:
    """A running `sheetkit serve`; ``password`` is the first officer's (first start only)."""

    process: subprocess.Popen
    url: str
    password: str | None
    data: Path
    lines: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> None:
        """Ctrl+C (SIGINT), as the user stops it; SIGKILL only if it will not stop."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close()

    def kill(self) -> None:
        """SIGKILL the server and its reader processes (its own process group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(15)
        self._close()

    def _close(self) -> None:
        # The pool's readers are in the server's process group: none outlives it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.stdout:
            self.process.stdout.close()

    def peak_rss_mb(self) -> float:
        """VmHWM of the server process (its readers are separate processes)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kb = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])
        return kb / 1024

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(data: Path, database_url: str | None = None, env: dict | None = None) -> Server:
    """`sheetkit serve --data DATA --host 127.0.0.1 --port 0`; returns once it answers."""
    command = [
        sys.executable,
        "-m",
        "sheetkit",
        "serve",
        "--data",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
    ]
    if database_url:
        command += ["--database-url", database_url]
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8", **(env or {})}
    environ.pop("SHEETKIT_HTTPS", None)
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=environ,
        cwd=ROOT,
        start_new_session=True,  # its own process group: a kill reaches its readers too
    )
    lines: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()

    def pump() -> None:  # keeps reading so the server never blocks on a full pipe
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if m := PASSWORD_LINE.search(line):
                found["password"] = m[1]
            if m := URL_LINE.search(line):
                found["url"] = m[1]
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    ready.wait(START_TIMEOUT)
    if "url" not in found:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raise RuntimeError("sheetkit serve did not start:\n" + "\n".join(lines))
    # The one-time password is printed on the next lines (first start only).
    for _ in range(20):
        if "password" in found or any("Tài khoản quản trị" in x for x in lines):
            break
        time.sleep(0.05)
    time.sleep(0.05)
    server = Server(process, found["url"], found.get("password"), data, lines)
    return server


# ---------------------------------------------------------------------- HTTP


@dataclass
class Answer:
    status: int
    url: str
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # we follow by hand (to keep POST → GET)
        return None


class Browserless:
    """A cookie-keeping HTTP client that sends Django's CSRF token like a form does."""

    def __init__(self, base: str, timeout: float = 60.0):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def csrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        self.get("/dang-nhap/")
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def _send(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(
                    response.status, response.url, dict(response.headers), response.read()
                )
        except urllib.error.HTTPError as err:
            body = err.read() if err.fp else b""
            return Answer(err.code, err.url, dict(err.headers), body)

    def request(self, path: str, data: bytes | None = None, headers=None, follow=True) -> Answer:
        url = path if path.startswith("http") else self.base + path
        headers = dict(headers or {})
        if data is not None:
            headers.setdefault("Referer", url)
            headers["X-CSRFToken"] = self.csrf()
        answer = self._send(urllib.request.Request(url, data=data, headers=headers))
        hops = 0
        while follow and answer.status in (301, 302, 303) and hops < 10:
            target = urllib.parse.urljoin(url, answer.headers["Location"])
            answer = self._send(urllib.request.Request(target))
            url, hops = target, hops + 1
        return answer

    def get(self, path: str, follow: bool = True) -> Answer:
        return self.request(path, follow=follow)

    def post(self, path: str, fields: dict | None = None, follow: bool = True) -> Answer:
        pairs = [("csrfmiddlewaretoken", self.csrf())]
        for key, value in (fields or {}).items():
            for one in value if isinstance(value, list) else [value]:
                pairs.append((key, str(one)))
        body = urllib.parse.urlencode(pairs).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(path, body, headers, follow)

    def upload(self, path: str, file: Path, name: str | None = None, follow=True) -> Answer:
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.csrf()}, "file", name or file.name, file.read_bytes()
        )
        return self.request(path, body, {"Content-Type": content_type}, follow)


def multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    quoted = filename.replace('"', "%22")
    parts.append(
        (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{file_field}"; filename="{quoted}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------------- a round set up


def officer(server: Server, password: str = PASSWORD) -> Browserless:
    """The first officer signed in (its one-time password changed on the first start)."""
    client = Browserless(server.url)
    client.get("/dang-nhap/")
    first = server.password
    answer = client.post("/dang-nhap/", {"username": "quantri", "password": first or password})
    if answer.url.endswith("/doi-mat-khau/"):
        answer = client.post(
            "/doi-mat-khau/",
            {"old_password": first, "new_password1": password, "new_password2": password},
        )
    assert answer.url.endswith("/co-quan/"), (answer.url, answer.text[:2000])
    return client


def import_list(client: Browserless, roster: Path = ROSTER) -> Answer:
    answer = client.upload("/danh-sach/", roster)
    assert answer.status == 200, answer.status
    return answer


def open_round(client: Browserless, year: str = "2026-2027", deadline: str = "2099-12-31") -> int:
    answer = client.post("/dot/mo/", {"kind": "plan", "school_year": year, "deadline": deadline})
    match = re.search(r"/dot/(\d+)/$", answer.url)
    assert match, (answer.url, answer.text[:2000])
    return int(match[1])


def school_ids(client: Browserless) -> dict[str, int]:
    """Every school on the links page: name → id."""
    page = client.get("/lien-ket/").text
    rows = re.findall(r"<td>([^<]+)</td>.*?name=\"school\" value=\"(\d+)\"", page, re.S)
    return {unescape(name): int(pk) for name, pk in rows}


def all_links(client: Browserless) -> dict[int, str]:
    """Links made for every school still without one: school id → token."""
    page = client.post("/lien-ket/tao/", {"which": "missing"}).text
    tokens = re.findall(r'name="token" value="([\w-]+)"', page)
    ids = re.findall(r'name="school" value="(\d+)"', page)
    return dict(zip(map(int, ids), tokens, strict=True))


def link(client: Browserless, school_id: int) -> str:
    page = client.post("/lien-ket/tao/", {"which": "one", "school": school_id}).text
    (token,) = set(re.findall(r'name="token" value="([\w-]+)"', page))
    return token


def unescape(text: str) -> str:
    import html

    return html.unescape(text).strip()


# ---------------------------------------------------------------------- PostgreSQL

TEST_DATABASE_ENV = "SHEETKIT_TEST_DATABASE_URL"


class NoPostgres(Exception):
    """Why a throwaway PostgreSQL cluster could not start (the tests that need one skip)."""


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust authentication), or the one
    SHEETKIT_TEST_DATABASE_URL names."""

    base: str  # postgresql://user@host:port
    folder: Path | None = None
    command: list[str] = field(default_factory=list)
    _count: int = 0

    def new_database(self) -> str:
        """A fresh, empty database on the cluster; its URL."""
        import psycopg

        self._count += 1
        name = f"sheetkit_{os.getpid()}_{self._count}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(self.base + "/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return f"{self.base}/{name}"

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run(
            [*self.command, _pg_bin("pg_ctl"), "-D", str(self.folder / "db"), "-m", "immediate"]
            + ["stop"],
            capture_output=True,
            timeout=60,
        )
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    import shutil

    path = shutil.which(name)
    if not path:
        raise NoPostgres(f"{name} not found (apt-get install postgresql)")
    return path


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> Cluster:
    """SHEETKIT_TEST_DATABASE_URL's server, or a cluster of our own in /tmp: initdb, pg_ctl
    start, as the `postgres` user when we are root (PostgreSQL refuses to run as root)."""
    import importlib.util
    import tempfile

    if importlib.util.find_spec("psycopg") is None:
        raise NoPostgres("psycopg is not installed")
    given = os.environ.get(TEST_DATABASE_ENV)
    if given:
        parts = urllib.parse.urlsplit(given)
        return Cluster(f"{parts.scheme}://{parts.netloc}")
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    command: list[str] = []
    owner = None
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as err:
            raise NoPostgres("running as root and there is no `postgres` user") from err
        command = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="sheetkit-pg-"))
    if owner:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = Cluster("", folder, command)
    port = _free_port()
    try:
        run = subprocess.run(
            [*command, initdb, "-D", str(folder / "db"), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if run.returncode:
            raise NoPostgres(f"initdb failed: {run.stderr.strip()[-500:]}")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
            "-c fsync=off -c max_connections=60 -c shared_buffers=32MB"
        )
        run = subprocess.run(
            [*command, pg_ctl, "-D", str(folder / "db"), "-l", str(folder / "log"), "-w"]
            + ["-t", "60", "-o", options, "start"],
            capture_output=True,
            text=True,
            timeout=90,
        )
        if run.returncode:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            raise NoPostgres(f"pg_ctl start failed: {run.stderr.strip()[-300:]} {log[-500:]}")
    except NoPostgres:
        cluster.stop()
        raise
    except (OSError, subprocess.TimeoutExpired) as err:
        cluster.stop()
        raise NoPostgres(f"{type(err).__name__}: {err}") from err
    cluster.base = f"postgresql://postgres@127.0.0.1:{port}"
    return cluster
