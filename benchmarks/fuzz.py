"""Fuzz sheetkit's command line with hostile files: no file may make a command crash or hang.

    python benchmarks/fuzz.py                                  # 2000 cases, seed 1, 2 jobs
    python benchmarks/fuzz.py --count 500 --save /tmp/fuzz-failures
    python benchmarks/fuzz.py --case s1-00042-xml.far_cell -v # one case again, with its output
    python benchmarks/fuzz.py --mode fork                      # faster, see below
    python benchmarks/fuzz.py --probe-cap                      # the smallest address-space cap

Cases come from tests/hostile.py. A workbook is run through ``check --format
json``, ``check``, ``check --annotate``, ``render --draft -o .xlsx`` and ``render
--draft -o .docx``; a folder or .zip through ``merge -o .xlsx --csv DIR``. Every
command runs in its own process group with a timeout (30 s) and an address-space
cap (RLIMIT_AS, 1 GiB), as a user (root drops CAP_DAC_OVERRIDE so unreadable
files stay unreadable). A run fails when it:

- does not end in time, is killed by a signal, or goes over the memory cap;
- leaves processes behind (also 5 s after merge is killed on purpose);
- exits with a code other than 0, 1, 2 (render --draft: 0, 2, or 1 refusing a
  plan too large to print);
- prints a traceback, "Lỗi không mong đợi", or English error text;
- prints invalid JSON for --format json, a control character (ESC, C0, C1, DEL)
  or bytes that are not UTF-8;
- refuses a file (exit 2) without exactly one line of Vietnamese reason;
- gives a reason the case forbids (an .xls "password-protected"), refuses a
  genuine plan, claims an output it did not write, leaves temporary files or
  writes outside its folder.

``--mode exec`` (default) starts ``python -m sheetkit`` for every command, as a
user does. ``--mode fork`` starts one server per job that loads sheetkit's
console-script entry point and imports its dependencies and modules (nothing
is run), then forks a child per command under the same limits; the child ends
like the interpreter (atexit handlers, flushed streams) without its slow module
teardown. Two to three times faster; tests/test_fuzz.py uses it. It cannot see
warnings printed while a module is imported (they were printed in the server).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402  (tests/hostile.py)

TIMEOUT = 30.0
# render refuses a plan past its size limits with exit 1 even with --draft (a plan with errors).
TOO_LARGE = "kế hoạch quá lớn để in"
MEMORY_MB = 1024
BASELINE_PLAN = ROOT / "examples" / "ke-hoach-th-thcs-thanh-dong-2024-2025.xlsx"
BASELINE_FOLDER = ROOT / "examples" / "quan-mau"

# ---------------------------------------------------------------------------
# Commands


@dataclass(frozen=True)
class Command:
    """One sheetkit invocation: ``label`` groups failures, ``output`` is what it must write."""

    label: str
    args: tuple[str, ...]
    output: str | None = None  # file (relative to the out folder) written on success
    ok_codes: frozenset[int] = frozenset({0, 1, 2})
    writes_on: frozenset[int] = frozenset({0, 1})
    json: bool = False


def commands_for(case: hostile.Case, path: Path, out: Path) -> list[Command]:
    """The commands a case runs: five for a workbook, merge for a folder or archive."""
    p = str(path)
    if case.target == "merge":
        return [
            Command(
                "merge --csv",
                ("merge", p, "-o", str(out / "tong-hop.xlsx"), "--csv", str(out / "csv")),
                "tong-hop.xlsx",
            )
        ]
    draft = frozenset({0, 2})
    return [
        Command("check --format json", ("check", p, "--format", "json"), json=True),
        Command("check", ("check", p)),
        Command(
            "check --annotate",
            ("check", p, "--annotate", str(out / "da-kiem-tra.xlsx")),
            "da-kiem-tra.xlsx",
        ),
        Command(
            "render --draft .xlsx",
            ("render", p, "--draft", "-o", str(out / "ban-ke-hoach.xlsx")),
            "ban-ke-hoach.xlsx",
            draft,
            frozenset({0}),
        ),
        Command(
            "render --draft .docx",
            ("render", p, "--draft", "-o", str(out / "ban-ke-hoach.docx")),
            "ban-ke-hoach.docx",
            draft,
            frozenset({0}),
        ),
    ]


# ---------------------------------------------------------------------------
# Running one process: limits, supervision, what is left behind

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
PR_CAPBSET_DROP, PR_SET_PDEATHSIG = 24, 1


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


_LIBC = ctypes.CDLL(None, use_errno=True)


def drop_file_privileges() -> None:
    """As root, stop bypassing file permissions (so a mode-000 file is unreadable, as for a user)."""
    if os.geteuid() != 0:
        return
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        _LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # survives exec
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    if _LIBC.capget(ctypes.byref(header), data) == 0:
        mask = ~((1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH)) & 0xFFFFFFFF
        for name in ("effective", "permitted", "inheritable"):
            setattr(data[0], name, getattr(data[0], name) & mask)
        _LIBC.capset(ctypes.byref(header), data)


def limit_child(memory_mb: int) -> None:
    """preexec_fn: the address-space cap and user-like file permissions."""
    if memory_mb:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    drop_file_privileges()


@dataclass
class Outcome:
    """How a process ended."""

    returncode: int  # negative: killed by that signal
    seconds: float
    peak_mb: float  # the largest of: its peak RSS, the memory (PSS) of it and its workers together
    timed_out: bool = False
    leftovers: int = 0  # processes of its group still alive after it ended
    interrupted: bool = False


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return found


def _own_memory_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split among their users), in kB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:  # no smaps_rollup: resident size, shared pages counted in full
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, IndexError, ValueError):
        return 0


def _tree_memory_mb(pid: int) -> float:
    """Memory of ``pid`` and its descendants (merge's workers) together, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _own_memory_kb(current)
        todo += _children(current)
    return total / 1024


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid``."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in "ZX":
            members.append(int(entry))
    return members


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


ACTIVE_GROUPS: set[int] = set()  # process groups being supervised, killed if we are stopped


def kill_active_groups() -> None:
    """Kill every command still running (the harness is being stopped)."""
    for pgid in list(ACTIVE_GROUPS):
        _kill_group(pgid)


def supervise(pid: int, timeout: float, interrupt: str | None = None) -> Outcome:
    """Wait for ``pid`` (leader of its own process group); kill the group at the timeout.

    With ``interrupt``, that signal is sent to ``pid`` alone once it has children
    (merge's workers), as when a user or a task manager stops the command.
    """
    ACTIVE_GROUPS.add(pid)
    try:
        return _supervise(pid, timeout, interrupt)
    finally:
        ACTIVE_GROUPS.discard(pid)


def _supervise(pid: int, timeout: float, interrupt: str | None) -> Outcome:
    start = time.monotonic()
    peak, delay, sent, timed_out = 0.0, 0.005, False, False
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got == pid:
            break
        now = time.monotonic()
        peak = max(peak, _tree_memory_mb(pid))
        if interrupt and not sent and (_children(pid) or now - start > 10):
            os.kill(pid, signal.Signals[interrupt])  # pid is not reaped yet: it gets the signal
            sent = True
        if now - start > timeout:
            _kill_group(pid)
            _, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(delay)
        delay = min(delay * 1.5, 0.05)
    seconds = time.monotonic() - start
    peak = max(peak, usage.ru_maxrss / 1024)
    grace = time.monotonic() + (5.0 if sent else 1.0)
    members = _group_members(pid)
    while members and time.monotonic() < grace:
        time.sleep(0.05)
        members = _group_members(pid)
    if members:
        _kill_group(pid)
    return Outcome(os.waitstatus_to_exitcode(status), seconds, peak, timed_out, len(members), sent)


def child_env(tmp: Path) -> dict[str, str]:
    """The environment of a command: the caller's, with temporary files kept in ``tmp``."""
    env = dict(os.environ)
    env.update(TMPDIR=str(tmp), PYTHONUNBUFFERED="", PYTHONWARNINGS="")
    return {k: v for k, v in env.items() if v != ""}


class ExecRunner:
    """Each command is a fresh ``python -m sheetkit`` process."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb

    def run(
        self,
        args: Iterable[str],
        cwd: Path,
        tmp: Path,
        stdout: Path,
        stderr: Path,
        timeout: float,
        interrupt: str | None,
    ) -> Outcome:
        with stdout.open("wb") as out, stderr.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sheetkit", *args],
                cwd=cwd,
                env=child_env(tmp),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
                preexec_fn=lambda: limit_child(self.memory_mb),
            )
        outcome = supervise(proc.pid, timeout, interrupt)
        proc.returncode = outcome.returncode  # already reaped by supervise
        return outcome

    def close(self) -> None:
        pass


# -- fork mode: an interpreter with everything imported forks one child per command


def _entry_point() -> Callable[[], int]:
    """sheetkit's console-script entry point, as the installed ``sheetkit`` command loads it."""
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="sheetkit")
    return script.load()


def _preload() -> None:
    """Import what the commands import, without running any: sheetkit's declared
    dependencies and every module of the package (found by walking it, not by name).

    Nothing else: running a command here (even validating a one-cell DataFrame with
    pandera) leaves state behind, pyarrow's mimalloc pool or a thread pool, after
    which forked children near the memory cap hang or abort where a fresh process
    finishes. Children therefore still pay first-use costs (~0.3 s a command).
    """
    import importlib
    import importlib.metadata as metadata
    import pkgutil
    import warnings

    wanted = {
        re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        for requirement in metadata.requires("sheetkit") or []
        if "extra ==" not in requirement
    }
    modules = sorted(
        module
        for module, dists in metadata.packages_distributions().items()
        if any(d.lower().replace("_", "-") in wanted for d in dists)
    )
    package = importlib.import_module("sheetkit")
    walk = pkgutil.walk_packages(package.__path__, "sheetkit.", onerror=lambda name: None)
    modules += [info.name for info in walk if not info.name.endswith("__main__")]
    with warnings.catch_warnings():
        for module in modules:
            with contextlib.suppress(Exception):  # an optional module (sheetkit.excel: xlwings)
                importlib.import_module(module)


def _exit_like_python(main: Callable[[], int]) -> None:
    """``sys.exit(main())`` as the interpreter ends it, without its slow module teardown.

    An uncaught exception prints its traceback and exits 1, atexit handlers run
    (temporary folders are removed there), the standard streams are flushed;
    only the final garbage collection of modules (about 0.25 s) is skipped.
    """
    import atexit
    import traceback

    try:
        code: object = main()
    except SystemExit as stop:
        code = stop.code
    except KeyboardInterrupt:
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:  # what the interpreter does with an uncaught exception
        traceback.print_exc()
        code = 1
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if code == -signal.SIGINT:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit((code or 0) & 0xFF)


def _server_stopped(signum: int, frame: object) -> None:
    kill_active_groups()
    os._exit(128 + signum)


def serve() -> None:
    """The fork server: one JSON request per line on stdin, one JSON outcome per line back."""
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)  # the harness died: so do we
    signal.signal(signal.SIGTERM, _server_stopped)
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    quiet = os.open(os.devnull, os.O_RDWR)
    os.dup2(quiet, 1)  # the library's prints go nowhere, and never into the replies
    main = _entry_point()
    saved_stderr = os.dup(2)
    os.dup2(quiet, 2)
    _preload()
    os.dup2(saved_stderr, 2)
    os.close(saved_stderr)
    replies.write("ready\n")
    for line in sys.stdin:
        request = json.loads(line)
        out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: becomes `sheetkit ARGS` and never comes back here
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.setsid()
            os.dup2(quiet, 0)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.dup2(quiet, replies.fileno())  # stays open: closing it would print at exit
            os.close(out)
            os.close(err)
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            tempfile.tempdir = None
            sys.argv = ["sheetkit", *request["args"]]
            _exit_like_python(main)
        os.close(out)
        os.close(err)
        outcome = supervise(pid, request["timeout"], request["interrupt"])
        replies.write(json.dumps(dataclasses.asdict(outcome)) + "\n")


class ForkRunner:
    """Commands are forked from a server process with the imports done (one per thread)."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        self.local = threading.local()
        self.servers: list[subprocess.Popen] = []
        self.lock = threading.Lock()

    def _server(self) -> subprocess.Popen:
        server = getattr(self.local, "server", None)
        if server is None or server.poll() is not None:
            server = subprocess.Popen(
                [sys.executable, __file__, "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                preexec_fn=lambda: limit_child(self.memory_mb),
            )
            if server.stdout.readline().strip() != "ready":
                raise RuntimeError("the fork server did not start (run with --serve to see why)")
            self.local.server = server
            with self.lock:
                self.servers.append(server)
        return server

    def run(
        self,
        args: Iterable[str],
        cwd: Path,
        tmp: Path,
        stdout: Path,
        stderr: Path,
        timeout: float,
        interrupt: str | None,
    ) -> Outcome:
        server = self._server()
        request = {
            "args": list(args),
            "cwd": str(cwd),
            "env": child_env(tmp),
            "stdout": str(stdout),
            "stderr": str(stderr),
            "timeout": timeout,
            "interrupt": interrupt,
        }
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        reply = server.stdout.readline()
        if not reply:
            raise RuntimeError("the fork server died")
        return Outcome(**json.loads(reply))

    def close(self) -> None:
        """Stop the servers (a server still running a command kills it first)."""
        for server in self.servers:
            server.stdin.close()
            try:
                server.wait(timeout=2)
            except subprocess.TimeoutExpired:
                server.terminate()
                server.wait()


# ---------------------------------------------------------------------------
# Judging a run

ENGLISH = (
    "Error:",
    "Exception",
    "please use",
    "please check",
    "Warning:",
    "[Errno",
    "No such file",
    "Permission denied",
)
MEMORY = (
    "MemoryError",
    "memory allocation of",
    "bad_alloc",
    "Cannot allocate memory",
    "out of memory",
)
UNEXPECTED = "Lỗi không mong đợi"
# Vietnamese letters that plain English never has: a reason without any is not Vietnamese.
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class Run:
    """One command on one case, and what was wrong with it (``symptom`` None: nothing)."""

    case: str
    kind: str
    command: str
    returncode: int
    seconds: float
    peak_mb: float
    symptom: str | None = None
    message: str = ""
    also: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    args: list[str] = field(default_factory=list)  # of a failing run, paths relative to its case


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _shown(text: str) -> str:
    """A line safe to print: control characters as escapes, at most 160 characters."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text.strip())
    return text if len(text) <= 160 else text[:157] + "..."


def _traceback_reason(text: str) -> str:
    lines = _lines(text)
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt|Warning)\b", line.strip()):
            return line.strip()
    return lines[-1] if lines else ""


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return False


def judge(
    case: hostile.Case,
    command: Command,
    outcome: Outcome,
    out_bytes: bytes,
    err_bytes: bytes,
    out_dir: Path,
    tmp: Path,
    timeout: float,
    memory_mb: int,
) -> list[tuple[str, str]]:
    """Every (symptom, message) wrong with one run, worst first; empty when the run is fine."""
    found: list[tuple[str, str]] = []
    out = out_bytes.decode("utf-8", "replace")
    err = err_bytes.decode("utf-8", "replace")
    both = err + "\n" + out
    rc = outcome.returncode
    first = (_lines(err) or _lines(out) or [""])[0]
    if command.json:
        with contextlib.suppress(ValueError, AttributeError):
            first = str(json.loads(out).get("error") or first)

    if outcome.timed_out:
        found.append(("timeout", f"no answer after {timeout:.0f} s"))
    if (memory_mb and outcome.peak_mb > memory_mb) or any(m in both for m in MEMORY):
        marker = next((line for line in _lines(both) if any(m in line for m in MEMORY)), "")
        found.append(("memory", marker or f"peak {outcome.peak_mb:.0f} MB > {memory_mb} MB"))
    if rc < 0 and not outcome.timed_out and not outcome.interrupted:
        found.append(("killed by signal", signal.Signals(-rc).name))
    if outcome.leftovers:
        what = "after being stopped" if outcome.interrupted else "after it ended"
        found.append(("processes left", f"{outcome.leftovers} process(es) still running {what}"))
    too_large = rc == 1 and command.output is not None and TOO_LARGE in both
    if rc >= 0 and rc not in command.ok_codes and not outcome.interrupted and not too_large:
        found.append(("exit code", f"exit {rc}: {first}"))
    if "Traceback" in both:
        found.append(("traceback", _traceback_reason(both)))
    if UNEXPECTED in both:
        line = next(line for line in _lines(both) if UNEXPECTED in line)
        line = re.sub(r"\s*\(chạy lại với --debug.*", "", line)
        if line.strip() == UNEXPECTED + ":":  # str(MemoryError()) is empty
            found.append(("memory", f"{UNEXPECTED} with an empty message: MemoryError at the cap"))
        else:
            found.append(("unexpected error", line))
    if command.json and rc in (0, 1, 2) and not outcome.timed_out and not outcome.interrupted:
        try:
            doc = json.loads(out)
            if not isinstance(doc, dict) or "findings" not in doc:
                found.append(("invalid JSON", "no findings in the JSON document"))
            elif rc == 2 and "\n" in str(doc.get("error", "\n")).strip():
                found.append(("reason not one line", "JSON error: " + str(doc.get("error"))))
        except ValueError as err_json:
            found.append(
                ("invalid JSON", f"{err_json.__class__.__name__}: {err_json} ({_shown(out[:60])})")
            )
    for stream, text in (("stdout", out), ("stderr", err)):
        bad = CONTROL.search(text)
        if bad:
            found.append(("control character", f"U+{ord(bad[0]):04X} printed on {stream}"))
            break
    for stream, raw in (("stdout", out_bytes), ("stderr", err_bytes)):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            found.append(("output not UTF-8", f"byte {raw[bad.start]:#04x} on {stream}"))
            break
    english = next((line for line in _lines(both) if any(m in line for m in ENGLISH)), None)
    if english and "Traceback" not in both:
        # a library warning: "/path/module.py:12: UserWarning: text" -> "UserWarning: text"
        found.append(("English text", re.sub(r"^\S+\.py:\d+: ", "", english.strip())))
    if rc == 2 and not outcome.timed_out and not outcome.interrupted and not command.json:
        lines = _lines(both)
        if not lines:
            found.append(("no reason", "exit 2 and nothing printed"))
        elif len(lines) > 1:
            found.append(("reason not one line", f"{len(lines)} lines: {lines[0]}"))
        elif not VIETNAMESE.search(lines[0]):
            found.append(("English text", lines[0]))
    for text in case.forbid:
        if text in both:
            line = next((line for line in _lines(both) if text in line), text)
            found.append(("wrong reason", line))
    if case.readable and rc == 2:
        found.append(("genuine plan refused", first))
    if command.output and rc in command.writes_on and not outcome.timed_out:
        target = out_dir / command.output
        if not target.exists():
            found.append(("output missing", f"exit {rc} but no {command.output}"))
        elif not _is_workbook(target):
            found.append(("output damaged", f"{command.output} is not a valid zip package"))
    if not outcome.timed_out and not outcome.interrupted and rc >= 0 and any(tmp.iterdir()):
        left = sorted(p.name for p in tmp.iterdir())
        found.append(("temporary files left", ", ".join(left[:3])))
    return found


def normalise(message: str, paths: Iterable[str]) -> str:
    """A message with what varies between cases (paths, numbers, quoted values) blanked out."""
    for path in sorted(paths, key=len, reverse=True):
        if path:
            message = message.replace(path, "<path>")
    message = re.sub(r"/tmp/\S+", "<path>", message)
    message = re.sub(r"'[^']{0,200}'", "'…'", message)
    message = re.sub(r"(?<!U\+)\b\d+\b", "N", message)
    return _shown(message)[:110]


# ---------------------------------------------------------------------------
# Cases


@dataclass
class CaseResult:
    case: str
    kind: str
    build_seconds: float
    runs: list[Run]
    escaped: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # commands not run after a timeout

    @property
    def failed(self) -> bool:
        return any(r.symptom for r in self.runs)


def _escaped(case_dir: Path, marker: str = "fuzz-escaped") -> list[str]:
    """Files a merge wrote outside its folder (zip members named ../../fuzz-escaped...)."""
    found = []
    for base in (
        case_dir.parent,
        case_dir.parent.parent,
        Path(tempfile.gettempdir()),
        case_dir / "out",
    ):
        with contextlib.suppress(OSError):
            found += [str(p) for p in base.iterdir() if marker in p.name]
    return found


def _copy_input(source: Path, target: Path) -> None:
    """Copy a case's input for reproduction: symlinks as links, pipes as new pipes."""
    hostile.make_readable(source)
    for root, dirs, files in os.walk(source):
        rel = Path(root).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in dirs + files:
            src, dst = Path(root) / name, target / rel / name
            mode = src.lstat().st_mode
            if stat.S_ISLNK(mode):
                os.symlink(os.readlink(src), dst)
                if name in dirs:
                    dirs.remove(name)
            elif stat.S_ISFIFO(mode):
                os.mkfifo(dst)
            elif stat.S_ISREG(mode):
                shutil.copy2(src, dst)


def run_case(
    case: hostile.Case,
    work: Path,
    runner: ExecRunner | ForkRunner,
    timeout: float,
    memory_mb: int,
    save: Path | None = None,
    stop_after: str | None = None,
) -> CaseResult:
    """Build one case in ``work`` and run its commands; the folder is removed afterwards.

    ``stop_after`` "timeout" (or "failure"): once a command of the case hangs (or
    fails), its other commands are skipped; they read the same file the same way,
    and this bounds the time of a run over code that still fails.
    """
    case_dir = work / case.name
    started = time.perf_counter()
    path = case.build(case_dir / "in")
    build_seconds = time.perf_counter() - started
    out = case_dir / "out"
    out.mkdir(parents=True)
    runs: list[Run] = []
    skipped: list[str] = []
    for number, command in enumerate(commands_for(case, path, out)):
        if any(r.symptom and stop_after in (r.symptom, "failure") for r in runs):
            skipped.append(command.label)
            continue
        tmp = case_dir / f"tmp{number}"
        tmp.mkdir()
        stdout, stderr = case_dir / f"stdout{number}", case_dir / f"stderr{number}"
        interrupt = case.interrupt if command.label.startswith("merge") else None
        outcome = runner.run(command.args, out, tmp, stdout, stderr, timeout, interrupt)
        out_bytes, err_bytes = stdout.read_bytes(), stderr.read_bytes()
        problems = judge(case, command, outcome, out_bytes, err_bytes, out, tmp, timeout, memory_mb)
        paths = [str(path), str(out), str(case_dir), os.fsdecode(os.fsencode(path))]
        symptom, message = problems[0] if problems else (None, "")
        runs.append(
            Run(
                case.name,
                case.kind,
                command.label,
                outcome.returncode,
                round(outcome.seconds, 3),
                round(outcome.peak_mb, 1),
                symptom,
                normalise(message, paths) if symptom else "",
                [f"{s}: {_shown(m)}" for s, m in problems[1:]],
                out_bytes.decode("utf-8", "replace")[-4000:] if symptom else "",
                err_bytes.decode("utf-8", "replace")[-4000:] if symptom else "",
                [a.replace(str(case_dir), ".") for a in command.args] if symptom else [],
            )
        )
    escaped = _escaped(case_dir) if case.target == "merge" else []
    if escaped:
        runs[-1].symptom = runs[-1].symptom or "wrote outside its folder"
        runs[-1].message = runs[-1].message or ", ".join(escaped)
        for name in escaped:
            Path(name).unlink(missing_ok=True)
    result = CaseResult(case.name, case.kind, round(build_seconds, 3), runs, escaped, skipped)
    if save and result.failed:
        _save(result, case_dir, save / case.name)
    hostile.make_readable(case_dir)
    shutil.rmtree(case_dir, ignore_errors=True)
    return result


def _save(result: CaseResult, case_dir: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    _copy_input(case_dir / "in", target / "in")
    lines = [f"case {result.case} ({result.kind})", ""]
    for run in result.runs:
        if run.symptom:
            lines += [
                f"sheetkit {run.command}: exit {run.returncode}, {run.seconds:.1f} s, {run.peak_mb:.0f} MB",
                "  "
                + " ".join(
                    ["sheetkit", *(repr(a) if not a.isprintable() else a for a in run.args)]
                ),
                f"  {run.symptom}: {run.message}",
                *[f"  also {a}" for a in run.also],
                "  stdout: " + _shown(run.stdout[-500:]),
                "  stderr: " + _shown(run.stderr[-500:]),
                "",
            ]
    lines.append(f"again: python benchmarks/fuzz.py --case {result.case} -v")
    (target / "README.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_all(
    selected: list[hostile.Case],
    *,
    jobs: int = 2,
    mode: str = "exec",
    timeout: float = TIMEOUT,
    memory_mb: int = MEMORY_MB,
    save: Path | None = None,
    work: Path | None = None,
    stop_after: str | None = None,
    progress: Callable[[int, int, CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Run ``selected`` cases with ``jobs`` in parallel; results in case order."""
    runner = ForkRunner(memory_mb) if mode == "fork" else ExecRunner(memory_mb)
    owned = work is None
    work = Path(tempfile.mkdtemp(prefix="sheetkit-fuzz-")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)
    results: dict[str, CaseResult] = {}
    try:
        pool = ThreadPoolExecutor(max_workers=jobs)
        futures = [
            pool.submit(run_case, c, work, runner, timeout, memory_mb, save, stop_after)
            for c in selected
        ]
        try:
            for done, future in enumerate(as_completed(futures), 1):
                result = future.result()
                results[result.case] = result
                if progress:
                    progress(done, len(selected), result)
        except BaseException:  # Ctrl-C or a harness error: leave no command running
            pool.shutdown(wait=False, cancel_futures=True)
            kill_active_groups()
            raise
        pool.shutdown()
    finally:
        runner.close()
        if owned:
            hostile.make_readable(work)
            shutil.rmtree(work, ignore_errors=True)
    return [results[c.name] for c in selected]


# ---------------------------------------------------------------------------
# Reporting


def failures(results: list[CaseResult]) -> list[Run]:
    return [run for result in results for run in result.runs if run.symptom]


def report(results: list[CaseResult], seconds: float) -> str:
    """The summary: failure groups (command, symptom, message) with counts and an example."""
    runs = [run for result in results for run in result.runs]
    failing = failures(results)
    groups: dict[tuple[str, str, str], list[Run]] = defaultdict(list)
    for run in failing:
        groups[run.command, run.symptom or "", run.message].append(run)
    lines = []
    if groups:
        lines.append(
            f"{'runs':>5}  {'command':<21} {'symptom':<22} {'first line of the message':<72} example case"
        )
        for (command, symptom, message), group in sorted(
            groups.items(), key=lambda kv: (-len(kv[1]), kv[0])
        ):
            lines.append(
                f"{len(group):>5}  {command:<21} {symptom:<22} {message[:72]:<72} {group[0].case}"
            )
        lines.append("")
    kinds = Counter(r.kind for r in results)
    failing_kinds = Counter(r.kind for r in results if r.failed)
    lines.append(
        "cases by family (failing/all): "
        + ", ".join(f"{k} {failing_kinds[k]}/{n}" for k, n in sorted(kinds.items()))
    )
    slow = sorted(runs, key=lambda r: -r.seconds)[:5]
    lines.append(
        "slowest runs: " + ", ".join(f"{r.case} {r.command} {r.seconds:.1f} s" for r in slow)
    )
    heavy = max(runs, key=lambda r: r.peak_mb, default=None)
    if heavy:
        lines.append(f"largest peak memory: {heavy.peak_mb:.0f} MB ({heavy.case}, {heavy.command})")
    failed_cases = sum(r.failed for r in results)
    skipped = sum(len(r.skipped) for r in results)
    if skipped:
        lines.append(f"{skipped} runs skipped after a timeout or failure of the same case")
    lines.append(
        f"{len(results)} cases, {len(runs)} command runs, {len(failing)} failing runs in {failed_cases} cases, "
        f"{len(groups)} groups; {seconds:.0f} s, {len(results) / max(seconds, 1e-9):.2f} cases/s, "
        f"{len(runs) / max(seconds, 1e-9):.2f} runs/s"
    )
    return "\n".join(lines)


def baseline(mode: str, memory_mb: int, timeout: float = TIMEOUT, quiet: bool = False) -> bool:
    """Run every command on a real plan (and merge on the 40-school district) under the cap."""
    plan = hostile.Case(
        "baseline-plan",
        "baseline",
        "file",
        lambda rng, folder: _copy(BASELINE_PLAN, folder),
        readable=True,
    )
    district = hostile.Case(
        "baseline-merge", "baseline", "merge", lambda rng, folder: BASELINE_FOLDER, readable=True
    )
    results = run_all([plan, district], jobs=1, mode=mode, timeout=timeout, memory_mb=memory_mb)
    ok = True
    for result in results:
        for run in result.runs:
            ok &= run.symptom is None and run.returncode in (0, 1)
            if not quiet:
                state = "ok" if run.symptom is None else f"FAILS: {run.symptom}: {run.message}"
                print(
                    f"  baseline {run.command:<21} exit {run.returncode}  {run.seconds:5.2f} s  peak {run.peak_mb:4.0f} MB  {state}"
                )
    return ok


def _copy(source: Path, folder: Path) -> Path:
    target = folder / source.name
    shutil.copy2(source, target)
    return target


def probe_cap(mode: str) -> None:
    """The smallest RLIMIT_AS (in 64 MB steps) under which every baseline command still works."""
    for cap in range(256, 2049, 64):
        ok = baseline(mode, cap, quiet=True)
        print(f"  RLIMIT_AS {cap:5} MB: {'all baseline commands work' if ok else 'some fail'}")
        if ok:
            return


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--mode", choices=["exec", "fork"], default="exec")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per command")
    parser.add_argument(
        "--memory-mb", type=int, default=MEMORY_MB, help="RLIMIT_AS per process; 0: none"
    )
    parser.add_argument("--kind", action="append", help="only cases of this family (repeatable)")
    parser.add_argument("--case", action="append", help="run this case again (repeatable)")
    parser.add_argument(
        "--save", type=Path, help="keep failing inputs (and a README) in this folder"
    )
    parser.add_argument("--json", type=Path, help="write every run as JSON here")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--stop-after",
        choices=["timeout", "failure"],
        help="skip a case's other commands once one hangs (or fails)",
    )
    parser.add_argument(
        "--probe-cap", action="store_true", help="find the smallest working RLIMIT_AS"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print each failing run's output"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # stopped with SIGTERM: unwind like Ctrl-C, so no command is left running
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.serve:
        serve()
        return 0
    if args.probe_cap:
        probe_cap(args.mode)
        return 0
    if args.case:
        selected = [hostile.case_by_name(name) for name in args.case]
    else:
        selected = list(hostile.cases(args.seed, args.count))
        if args.kind:
            selected = [c for c in selected if c.kind in args.kind or c.family in args.kind]
    print(
        f"sheetkit fuzz: {len(selected)} cases, seed {args.seed}, {args.jobs} jobs, mode {args.mode}, "
        f"timeout {args.timeout:.0f} s, RLIMIT_AS {args.memory_mb} MB"
    )
    if not (args.no_baseline or args.case) and not baseline(
        args.mode, args.memory_mb, args.timeout
    ):
        print("The baseline fails under these limits: raise --memory-mb (see --probe-cap).")
        return 2
    started = time.perf_counter()
    failing_runs = 0

    def progress(done: int, total: int, result: CaseResult) -> None:
        nonlocal failing_runs
        failing_runs += sum(1 for r in result.runs if r.symptom)
        if args.verbose:
            for run in result.runs:
                if run.symptom:
                    print(f"\n{run.case} {run.command}: {run.symptom}: {run.message}")
                    print("  stdout: " + _shown(run.stdout[-800:]))
                    print("  stderr: " + _shown(run.stderr[-800:]))
        if done % 25 == 0 or done == total:
            elapsed = time.perf_counter() - started
            print(
                f"[{done}/{total}] {elapsed:.0f} s, {failing_runs} failing runs",
                file=sys.stderr,
                flush=True,
            )

    try:
        results = run_all(
            selected,
            jobs=args.jobs,
            mode=args.mode,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            save=args.save,
            stop_after=args.stop_after,
            progress=progress,
        )
    except KeyboardInterrupt:
        print("stopped; no command left running", file=sys.stderr)
        return 130
    seconds = time.perf_counter() - started
    print()
    print(report(results, seconds))
    if args.json:
        runs = [dataclasses.asdict(r) for r in results]
        # json escapes everything outside ASCII: file names may hold lone surrogates
        args.json.write_text(json.dumps(runs, indent=1), encoding="ascii")
    return 1 if failures(results) else 0


if __name__ == "__main__":
    sys.exit(main())
