"""How fast is `sheetkit render` on plans of 10 to 5,000 items, and what does it cost in memory?

    python benchmarks/render_bench.py [--sizes 10 100 1000 5000]

For each size, a plan workbook is built from the sample generator's items (one
criterion in four carries several items; every third solution runs over
several lines), then, each in a fresh process so the peak memory is the
run's own:
- the Word writer (`render_docx`), the plan table written as WordprocessingML
  with ``w:vMerge`` spans;
- the naive baseline it replaced, in the same run: python-docx's table API
  with one ``add_row`` per row and ``cell.merge`` per criterion (its merge
  recurses once per merged row: past about a thousand rows under one
  criterion it raises RecursionError);
- the sheet writer (`render_xlsx`: layout, page breaks, the copy of the
  workbook), and the whole `sheetkit render` command to .docx.
Target (issue 16): any plan within the documented size (5,000 items, 4 million
characters) in well under 30 s and 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

from sample_district import sample_plan  # noqa: E402

from sheetkit.writing.templates import build_template  # noqa: E402

STEPS = [
    "+ Rà soát, đánh giá thực trạng và báo cáo Hiệu trưởng hằng tháng.",
    "+ Tổ chức chuyên đề, bồi dưỡng giáo viên theo kế hoạch của tổ chuyên môn.",
    "+ Phối hợp với Ban đại diện cha mẹ học sinh, huy động các nguồn lực hợp pháp.",
]

# Runs in a fresh process: argv = kind, plan workbook, output. Prints seconds and peak MB.
RUNNER = r"""
import json, resource, sys, time
kind, source, output = sys.argv[1:4]
sys.path.insert(0, sys.argv[4])
from sheetkit.jobs import check_source, render_checked
doc = render_checked(check_source(source), draft=True)
started = time.perf_counter()
if kind == "docx":
    from sheetkit.writing.printed import render_docx
    render_docx(doc, output)
elif kind == "naive":
    from render_bench import naive_docx
    naive_docx(doc, output)
else:
    from sheetkit.writing.printed import render_xlsx
    render_xlsx(source, doc, output)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_plan(folder: Path, size: int) -> Path:
    rng = random.Random(size)
    data = sample_plan(rng, "tieu-hoc", "Tiểu học", "Kim Đồng", 1, min_items=10, max_items=10)
    pattern = data["items"]
    items = []
    for n in range(size):
        item = dict(pattern[n % len(pattern)])
        if n % 4 == 0:  # a criterion with several items
            item["criterion"] = pattern[0]["criterion"]
        if n % 3 == 0:
            item["solution"] = "\n".join([item.get("solution") or "", *STEPS])
        items.append(item)
    data["items"] = items
    return build_template("tieu-hoc", folder / f"ke-hoach-{size}.xlsx", data)


def naive_docx(doc, output) -> None:
    """The plan table as python-docx's API builds it: a row at a time, merged cell by cell."""
    from docx import Document as WordDocument

    from sheetkit.writing.document import COLUMN_KEYS, COLUMNS

    word = WordDocument()
    table = word.add_table(rows=1, cols=len(COLUMNS))
    for cell, (_, label, _) in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = label
    groups: dict[int, list] = {}
    for entry in doc.rows:
        row = table.add_row()
        cells = row.cells
        if entry.kind == "standard":
            cells[0].text = entry.tt
            cells[1].merge(cells[-1]).text = entry.text
        elif entry.kind == "total":
            budget = COLUMN_KEYS.index("budget")
            cells[0].merge(cells[budget - 1]).text = entry.text
            cells[budget].text = entry.cells.get("budget", "")
        else:
            for cell, key in zip(cells, COLUMN_KEYS, strict=True):
                if key != "criterion":
                    cell.text = entry.cells.get(key, "")
            groups.setdefault(entry.group, []).append((row, entry.cells.get("criterion", "")))
    criterion = COLUMN_KEYS.index("criterion")
    for members in groups.values():
        first, text = members[0]
        cell = first.cells[criterion]
        if len(members) > 1:
            cell = cell.merge(members[-1][0].cells[criterion])
        cell.text = text
    word.save(str(output))


def run(kind: str, source: Path, output: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, kind, str(source), str(output), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
        return {"error": reason}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def whole_command(source: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sheetkit", "render", str(source), "-o", str(output), "--draft"],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def show(name: str, result: dict) -> str:
    if "error" in result:
        return f"  {name}: {result['error']}"
    return f"  {name}: {result['seconds']:.2f} s, peak {result['mb']:.0f} MB (whole process)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            source = build_plan(folder, size)
            ours = run("docx", source, folder / "ban-in.docx")
            naive = run("naive", source, folder / "naive.docx")
            sheet = run("xlsx", source, folder / "ban-in.xlsx")
            command = whole_command(source, folder / "lenh.docx")
            print(f"\n{size} items")
            print(show("render_docx (WordprocessingML rows, vMerge)", ours))
            print(show("naive baseline (python-docx add_row + cell.merge)", naive))
            if "error" not in ours and "error" not in naive:
                ratio = naive["seconds"] / ours["seconds"]
                word = "faster" if ratio >= 1 else "slower (it also fits the columns to the text)"
                print(f"    -> the Word writer: {ratio:.1f}x the baseline's speed, {word}")
            print(show("render_xlsx (layout, page breaks, workbook copy)", sheet))
            print(f"  sheetkit render -o .docx, whole command: {command:.2f} s")


if __name__ == "__main__":
    main()
