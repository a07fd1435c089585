"""Snapshot every output sheetkit makes from the examples, to compare before and after a refactor.

    python tests/snapshot_outputs.py OUT_FOLDER

Writes one text file per output into OUT_FOLDER: check (text and JSON), review
(JSON, at two months), render (.docx text and .xlsx cells, draft), next (.xlsx
cells), merge of examples/quan-mau with the list and the report (every sheet's
cells, the CSV tables, the report's text) and the templates' digests. Two
folders made before and after compare with ``diff -r``; the files hold values,
never timestamps of the run, so equal outputs give equal folders.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from sheetkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "examples").glob("ke-hoach-*.xlsx")) + sorted(
    (ROOT / "examples" / "quan-mau").glob("*.xlsx")
)


def run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    text = f"exit {code}\n{out.getvalue()}\n--- stderr\n{err.getvalue()}"
    return re.sub(re.escape(tempfile.gettempdir()) + r"/tmp\w+", "<work>", text)


def cells(path: Path) -> str:
    lines = []
    book = load_workbook(path)
    for sheet in book.worksheets:
        lines.append(f"== {sheet.title} {sheet.dimensions}")
        for row in sheet.iter_rows():
            for c in row:
                if c.value is not None:
                    lines.append(f"{c.coordinate}\t{c.value!r}")
        lines.append(f"merged {sorted(str(r) for r in sheet.merged_cells.ranges)}")
        lines.append(f"breaks {[b.id for b in sheet.row_breaks.brk]}")
        lines.append(f"validations {len(sheet.data_validations.dataValidation)}")
    return "\n".join(lines)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    # One line a paragraph, its runs' text joined; the XML's own markup (page breaks,
    # keep-with-next, widths) is kept as a digest so a layout change shows too.
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    lines = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs]
    lines.append(f"xml {hashlib.sha256(xml.encode()).hexdigest()}")
    return "\n".join(lines)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main_snapshot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for plan in PLANS:
            name = plan.stem
            (out / f"{name}.check.txt").write_text(run("check", str(plan)))
            (out / f"{name}.check.json").write_text(run("check", str(plan), "--format", "json"))
            for at in ("2026-12", "2027-06"):
                (out / f"{name}.review-{at}.json").write_text(
                    run("review", str(plan), "--format", "json", "--at", at)
                )
            for suffix in (".docx", ".xlsx"):
                target = work / f"{name}{suffix}"
                log = run("render", str(plan), "-o", str(target), "--draft")
                body = ""
                if target.exists():
                    body = docx_text(target) if suffix == ".docx" else cells(target)
                (out / f"{name}.render{suffix}.txt").write_text(log + body)
            target = work / f"{name}.next.xlsx"
            log = run("next", str(plan), "-o", str(target))
            (out / f"{name}.next.txt").write_text(log + (cells(target) if target.exists() else ""))
        summary, report, tables = work / "tong-hop.xlsx", work / "bao-cao.docx", work / "csv"
        log = run(
            "merge",
            str(ROOT / "examples" / "quan-mau"),
            "-o",
            str(summary),
            "--roster",
            str(ROOT / "examples" / "danh-sach-quan-mau.xlsx"),
            "--report",
            str(report),
            "--csv",
            str(tables),
        )
        (out / "merge.txt").write_text(log + cells(summary))
        (out / "merge.report.txt").write_text(docx_text(report))
        for table in sorted(tables.glob("*.csv")):
            (out / f"merge.{table.name}").write_text(table.read_text(encoding="utf-8"))
        templates = work / "templates"
        from sheetkit.writing.templates import write_all

        write_all(templates)
        (out / "templates.txt").write_text(
            "\n".join(
                f"{p.relative_to(templates)} {digest(p)}" for p in sorted(templates.rglob("*.*"))
            )
        )


if __name__ == "__main__":
    main_snapshot(Path(sys.argv[1]))
