"""How fast is `sheetkit check` on a 40-item plan, and where does the time go?

    python benchmarks/check_bench.py

Measures, each as the median of 5 runs on this machine:
- the whole `sheetkit check FILE` process (interpreter start included);
- what bare interpreter start, `import pandas` and `import pandera.pandas` cost
  in a fresh process, so the share of imports is visible;
- reading the plan's three sheets with python-calamine (what sheetkit uses)
  next to openpyxl (the naive baseline), in-process.
Target (issue 3): the check process at most 1.5 s.

Then a Thông tư 57 plan of 30 rows (issues 14 and 15): the whole `sheetkit
check` and `sheetkit review --at 2027-01` processes, each at most 1.0 s.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from sample_district import sample_plan, tt57_plan

from sheetkit.reading.sources import open_workbook
from sheetkit.writing.templates import build_template

RUNS = 5
SHEETS = ("Thông tin", "Tự đánh giá", "Kế hoạch")


def forty_item_plan(folder: Path) -> Path:
    rng = random.Random(7)
    data = sample_plan(rng, "trung-hoc", "THCS", "Lê Quý Đôn", 1, min_items=20, max_items=20)
    while len(data["items"]) < 40:  # a second item for some criteria, as real plans have
        data["items"].append(dict(rng.choice(data["items"])))
    data["items"].sort(key=lambda item: [int(p) for p in str(item["criterion"]).split(".")])
    return build_template("trung-hoc", folder / "ke-hoach-40.xlsx", data)


def thirty_row_tt57_plan(folder: Path) -> Path:
    rng = random.Random(7)
    data = tt57_plan(rng, "thcs", "THCS", "Lê Quý Đôn", 1)
    rows = data["items"]
    while len(rows) < 30:  # more rows under the same priority issues
        rows.append(dict(rng.choice(rows[: max(1, len(rows) // 2)])))
    return build_template("thcs", folder / "ke-hoach-tt57-30.xlsx", data)


def median_process(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_call(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def read_calamine(path: Path) -> int:
    book = open_workbook(path)
    return sum(len(book.grid(name)) for name in SHEETS)


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    return sum(len(list(wb[name].iter_rows(values_only=True))) for name in SHEETS)


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tt57 = thirty_row_tt57_plan(Path(tmp))
        check57 = median_process([py, "-m", "sheetkit", "check", str(tt57)])
        review57 = median_process([py, "-m", "sheetkit", "review", str(tt57), "--at", "2027-01"])
        path = forty_item_plan(Path(tmp))
        check = median_process([py, "-m", "sheetkit", "check", str(path)])
        bare = median_process([py, "-c", "pass"])
        pandas = median_process([py, "-c", "import pandas"])
        pandera = median_process([py, "-c", "import pandera.pandas"])
        read_openpyxl(path)  # warm the import before timing reads
        calamine_read = median_call(lambda: read_calamine(path))
        openpyxl_read = median_call(lambda: read_openpyxl(path))

    print(
        f"sheetkit check, 40-item plan, whole process (median of {RUNS}): {check:.3f} s "
        f"(target <= 1.5 s: {'ok' if check <= 1.5 else 'MISSED'})"
    )
    print(f"  bare interpreter start:           {bare:.3f} s")
    print(f"  import pandas (fresh process):    {pandas:.3f} s")
    print(
        f"  import pandera.pandas (includes pandas): {pandera:.3f} s "
        f"= {pandera / check:.0%} of the check"
    )
    print(f"  everything else (read, parse, validate, print): {check - pandera:.3f} s")
    print(f"read 3 sheets, python-calamine: {calamine_read * 1000:.1f} ms")
    for what, seconds in (("check", check57), ("review --at 2027-01", review57)):
        verdict = "ok" if seconds <= 1.0 else "MISSED"
        print(
            f"sheetkit {what}, 30-row Thông tư 57 plan, whole process (median of {RUNS}): "
            f"{seconds:.3f} s (target <= 1.0 s: {verdict}; "
            f"{seconds / pandera:.1f}x the import of pandera alone)"
        )
    print(
        f"read 3 sheets, openpyxl (naive baseline): {openpyxl_read * 1000:.1f} ms "
        f"-> calamine is {openpyxl_read / calamine_read:.1f}x faster"
    )


if __name__ == "__main__":
    main()
