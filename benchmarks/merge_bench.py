"""How fast is `sheetkit merge` on 100, 1,000 and 10,000 school workbooks?

    python benchmarks/merge_bench.py [--sizes 100 1000 10000] [--data DIR] [--baseline-max N]
                                     [--mixed]

Generates realistic school workbooks once (kept in --data, default
/tmp/sheetkit-merge-bench): the real templates with dropdowns and formatting,
all three circulars, 10-40 plan items of long Vietnamese text each, about 30%
with real mistakes. Then, for each size, in the same run:

- the whole `sheetkit merge DIR -o OUT.xlsx` process (interpreter start,
  imports, read, validate, write), with its own breakdown (`--debug`):
  read and validate as CPU seconds summed over the worker processes, write
  as wall time, and the peak memory of the main process and of a worker;
- the naive baseline a user would write: `pd.concat` of
  `pd.read_excel(f, sheet_name=None)` (openpyxl) for every file, reading only.

Targets (issue 5): merge of 1,000 at least 5x faster than the baseline's read
of 1,000; 10,000 at most 11x the time of 1,000; peak memory under 1 GB.
``--mixed`` (issue 15): every other workbook is a Thông tư 57 plan for
2026-2027 (its own sheets: Vấn đề trọng tâm, Theo dõi; 2-4 priority issues),
so half the area follows each regulation; target: still at least 5x.
``--roster`` (issue 23): the merge also matches a list of the area's schools
(every school but 1 in 50, and 20 that sent nothing; made once from the
folder and kept beside it) and writes the report sent upward (.docx and the
Báo cáo sheet): ``merge DIR --roster LIST --report REPORT.docx``; target:
still at least 5x.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from sample_district import LEVEL_MIX, NAMES, SOLUTIONS, TT57_LEVEL_MIX, sample_plan, tt57_plan

from sheetkit.writing.templates import build_template

BASELINE_SCRIPT = """
import sys, glob, pandas as pd
files = sorted(glob.glob(sys.argv[1] + "/*.xlsx"))
frames = []
for f in files:
    frames.append(pd.concat(pd.read_excel(f, sheet_name=None, engine="openpyxl")))
table = pd.concat(frames)
print(len(files), len(table))
"""


def _one(index: int, folder: str, mixed: bool = False) -> None:
    rng = random.Random(index)
    if mixed and index % 2:
        template, level, short = rng.choices(TT57_LEVEL_MIX, weights=[12, 12, 8, 3, 1])[0]
        data = tt57_plan(rng, template, level, f"{NAMES[index % len(NAMES)]} {index}", index)
        build_template(template, Path(folder) / f"{short}-{index:05d}.xlsx", data, "tt57-2026")
        return
    template, level, short = rng.choices(LEVEL_MIX, weights=[14, 14, 10, 2])[0]
    name = f"{NAMES[index % len(NAMES)]} {index}"
    data = sample_plan(rng, template, level, name, index, min_items=10, max_items=28)
    wanted = rng.randint(10, 40)
    while len(data["items"]) < wanted:  # a second item for some criteria, as real plans have
        data["items"].append(dict(rng.choice(data["items"])))
    for item in data["items"]:  # long solutions: several sentences, some over 1,000 characters
        parts = rng.sample(SOLUTIONS, k=rng.randint(1, 5))
        item["solution"] = " ".join(p.format(year="2024-2025", district="Quận Mẫu") for p in parts)
    data["items"].sort(key=lambda item: [int(p) for p in str(item["criterion"]).split(".")])
    if rng.random() < 0.3:
        data["items"][0]["end"] = "cuối năm"  # a mistake schools make
    circular = {"mam-non": "tt19-2018", "tieu-hoc": "tt17-2018", "trung-hoc": "tt18-2018"}[template]
    build_template(template, Path(folder) / f"{short}-{index:05d}.xlsx", data, circular)


def generate(folder: Path, count: int, mixed: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    have = len(list(folder.glob("*.xlsx")))
    if have < count:
        print(f"  generating {count - have} workbooks in {folder} ...", flush=True)
        jobs = [(i, str(folder), mixed) for i in range(have, count)]
        with Pool(os.cpu_count() or 1) as pool:
            pool.starmap(_one, jobs, chunksize=20)
    return folder


def make_roster(folder: Path) -> Path:
    """The area's list of schools (written once beside the folder): all but 1 in 50, plus 20."""
    from sheetkit.merging.rollup import merge
    from sheetkit.writing.roster_template import write_roster_template

    path = folder.with_name(folder.name + "-danh-sach.xlsx")
    if path.exists():
        return path
    print(f"  writing the list of schools {path} ...", flush=True)
    schools = merge([folder]).schools
    rows = [
        {
            "code": code,
            "name": name,
            "school_level": level,
            "commune": commune,
            "province": "Tỉnh Đồng Tháp",
        }
        for n, (code, name, level, commune) in enumerate(
            zip(
                schools["school_code"],
                schools["school_name"],
                schools["school_level"],
                schools["commune"],
                strict=True,
            )
        )
        if n % 50 != 7
    ]
    rows += [
        {"code": f"99{n:04d}", "name": f"Trường Tiểu học Chưa Nộp {n}", "school_level": "Tiểu học"}
        for n in range(20)
    ]
    body = {
        "name": "Sở GDĐT Đồng Tháp",
        "parent": "UBND tỉnh Đồng Tháp",
        "province": "Tỉnh Đồng Tháp",
    }
    return write_roster_template(path, body, rows)


def run_merge(folder: Path, out: Path, roster: Path | None = None) -> dict:
    extra = ["--roster", str(roster), "--report", str(out.with_suffix(".docx"))] if roster else []
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "sheetkit", "--debug", "merge", str(folder), "-o", str(out), *extra],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"merge failed:\n{proc.stderr}")
    line = next(x for x in proc.stderr.splitlines() if x.startswith("timings "))
    figures = json.loads(line.removeprefix("timings "))
    return {"wall": wall, **figures, "summary": proc.stdout.strip()}


def run_baseline(folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", BASELINE_SCRIPT, str(folder)], check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "sheetkit-merge-bench"
    )
    parser.add_argument(
        "--baseline-max", type=int, default=1000, help="skip the slow baseline above this size"
    )
    parser.add_argument(
        "--mixed", action="store_true", help="half the workbooks are Thông tư 57 plans"
    )
    parser.add_argument(
        "--roster", action="store_true", help="merge with a list of schools and write the report"
    )
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        name = f"mixed-{size}" if args.mixed else str(size)
        folder = generate(args.data / name, size, args.mixed)
        roster = make_roster(folder) if args.roster else None
        with tempfile.TemporaryDirectory() as tmp:
            merged = run_merge(folder, Path(tmp) / "tong-hop.xlsx", roster)
        baseline = run_baseline(folder) if size <= args.baseline_max else None
        results[size] = (merged, baseline)
        print(
            f"\n{size} workbooks"
            + (" (half Thông tư 57)" if args.mixed else "")
            + (" with --roster --report" if args.roster else "")
        )
        print(f"  sheetkit merge, whole process: {merged['wall']:.2f} s  ({merged['summary']})")
        print(
            f"    read {merged['read']:.2f} s + validate {merged['validate']:.2f} s (CPU, all workers); "
            f"collect+read+validate wall {merged['collect_and_read_wall']:.2f} s; "
            f"assemble {merged['assemble']:.2f} s; write {merged['write']:.2f} s"
        )
        print(
            f"    peak memory: main process {merged.get('peak_mb_main', 0):.0f} MB, "
            f"largest worker {merged.get('peak_mb_worker', 0):.0f} MB"
        )
        if baseline is not None:
            print(
                f"  naive baseline (pd.read_excel openpyxl, read only): {baseline:.2f} s  "
                f"-> merge is {baseline / merged['wall']:.1f}x faster"
            )
    if 1000 in results and 10000 in results:
        ratio = results[10000][0]["wall"] / results[1000][0]["wall"]
        print(f"\n10,000 / 1,000 merge time: {ratio:.1f}x (target at most 11x)")


if __name__ == "__main__":
    main()
