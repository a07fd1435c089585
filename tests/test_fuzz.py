"""No file makes a command crash or hang: a seeded corpus of hostile inputs (tests/hostile.py)
runs through check, check --annotate, render --draft (.xlsx, .docx) and merge.

The runner is benchmarks/fuzz.py in its fork mode: two servers that have
imported sheetkit fork one child per command, with the benchmark's limits (30 s,
RLIMIT_AS 1 GiB) and judgement. Once a command fails on a case, the case's other
commands are skipped: a red run stays short, a green one runs everything.
``python -m pytest -m fuzz`` runs only these tests; ``FUZZ_SEED``/``FUZZ_COUNT``
choose another corpus. For thousands of cases: ``python benchmarks/fuzz.py``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = int(os.environ.get("FUZZ_SEED", "20240905"))
COUNT = int(os.environ.get("FUZZ_COUNT", "40"))  # about 190 command runs, every group

pytestmark = pytest.mark.fuzz


def _fuzz_module():
    """benchmarks/fuzz.py, imported by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz", module)
    spec.loader.exec_module(module)
    return module


def test_every_family_is_in_a_small_corpus():
    """Every family, so every failure the issue lists, is in the first few dozen cases."""
    kinds = {case.kind for case in hostile.cases(SEED, len(hostile.KNOWN_FAMILIES))}
    assert kinds == set(hostile.KNOWN_FAMILIES)
    assert set(hostile.SEEN_FAILURES.values()) <= kinds
    assert {case.family for case in hostile.cases(SEED, COUNT)} == set(hostile.GROUPS)


def test_cases_are_deterministic_and_small(tmp_path):
    """A case writes the same bytes in another process (another hash seed), and few of them."""
    count = len(hostile.KNOWN_FAMILIES)
    here = {}
    for case in hostile.cases(SEED, count):
        path = case.build(tmp_path / "here" / case.name)
        here[case.name] = hostile.digest(path)
        files = sorted(path.rglob("*")) if path.is_dir() and not path.is_symlink() else [path]
        size = sum(f.lstat().st_size for f in files if f.is_file() and not f.is_symlink())
        assert size < 8 * 2**20, f"{case.name} writes {size:,} bytes"
    there = subprocess.run(
        [sys.executable, hostile.__file__, "--seed", str(SEED), "--count", str(count)]
        + ["--out", str(tmp_path / "there"), "--digest"],
        env={**os.environ, "PYTHONHASHSEED": "4321"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert here == dict(line.split() for line in there.splitlines())
    hostile.make_readable(tmp_path)


def test_no_hostile_file_breaks_a_command(tmp_path):
    """Every command on every case: exit 0/1/2, one Vietnamese line, within 30 s and 1 GiB."""
    fuzz = _fuzz_module()
    selected = list(hostile.cases(SEED, COUNT))
    started = time.perf_counter()
    results = fuzz.run_all(
        selected, jobs=2, mode="fork", work=tmp_path / "work", stop_after="failure"
    )
    seconds = time.perf_counter() - started
    if fuzz.failures(results):
        pytest.fail(
            "hostile files break commands:\n" + fuzz.report(results, seconds), pytrace=False
        )
