"""LibreOffice, a client we did not write, runs the projects we build and prints our plans.

LibreOffice Calc imports an .xlsm's VBA project into a Basic library and runs
it in VBA compatibility mode. It is driven through its UNO bridge by
tests/lo_vba_probe.py under the system Python (python3-uno), since the
bridge is not on PyPI. What is checked:

- every shipped .xlsm: LibreOffice lists all modules and decodes each one's
  source to exactly our text;
- a project built the same way from sheetkit.bas plus a probe module: its
  macros run, call across modules and write to the sheet.

And the printed plan (tests/lo_print_probe.py): LibreOffice lays out the
Bản kế hoạch sheet with no page break of its own beyond ours and rows as
tall as their text, and prints the Word plan with the total and the signature
block together.

The shipped projects themselves do not run in LibreOffice 7: it does not
compile xlwings' ``Declare PtrSafe`` lines nor the Dictionary class's
conditional constants, and then runs nothing of that library (measured here).
That does not matter to users: in LibreOffice they use the command line.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from conftest import ROOT
from sheetkit.excel import macros, vba
from sheetkit.model.contract import SHEET_RENDERED
from test_macros import ALL_XLSM

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3", "python3")
LO_HEADER = ["Rem Attribute VBA_ModuleType=VBAModule", "Option VBASupport 1"]
LO_CLASS_HEADER = [
    "Rem Attribute VBA_ModuleType=VBAClassModule",
    "Option VBASupport 1",
    "Option ClassModule",
]

PROBE = r"""Attribute VB_Name = "Probe"
Option Explicit

Public Function Greeting() As String
    Greeting = Vn("Ki\u1ec3m tra k\u1ebf ho\u1ea1ch")
End Function

Public Sub WriteTitle()
    ThisWorkbook.Worksheets(1).Range("B2").Value = Vn("T\u1ed5ng h\u1ee3p") & " " & FOLDER_NAME
End Sub
"""


def uno_python() -> str | None:
    """A Python that can import LibreOffice's uno module, if this machine has one."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return None
    for candidate in SYSTEM_PYTHONS:
        exe = shutil.which(candidate)
        if exe is None:
            continue
        probe = subprocess.run([exe, "-c", "import uno"], capture_output=True)
        if probe.returncode == 0:
            return exe
    return None


PYTHON = uno_python()
pytestmark = pytest.mark.skipif(
    PYTHON is None, reason="LibreOffice with python3-uno is not installed (.ci/run installs it)"
)


def run_probe(requests: list[dict], tmp_path: Path, probe: str = "lo_vba_probe.py") -> list[dict]:
    request_file = tmp_path / "request.json"
    request_file.write_text(json.dumps({"files": requests}), encoding="utf-8")
    done = subprocess.run(
        [PYTHON, str(HERE / probe), str(request_file)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def code_lines(source: str) -> list[str]:
    """A module's lines without the Attribute lines (LibreOffice keeps them elsewhere)."""
    return [line for line in source.splitlines() if not line.startswith("Attribute ")]


def trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


@pytest.fixture(scope="module")
def shipped_reports(tmp_path_factory):
    names = [*macros_templates()]
    folder = tmp_path_factory.mktemp("lo")
    return dict(
        zip(
            names,
            run_probe([{"path": str(ROOT / "workbook_templates" / n)} for n in names], folder),
            strict=True,
        )
    )


def macros_templates() -> list[str]:
    return list(ALL_XLSM)


@pytest.mark.parametrize("name", macros_templates())
def test_libreoffice_decodes_every_module_of_the_shipped_workbooks(name, shipped_reports):
    modules = shipped_reports[name]["modules"]
    ours = {m.name: m for m in macros.load_modules()}
    assert set(ours) <= set(modules)
    assert {"ThisWorkbook", "Sheet1"} <= set(modules)
    for module_name, module in ours.items():
        lines = modules[module_name].splitlines()
        header = LO_CLASS_HEADER if module.kind == vba.CLASS else LO_HEADER
        assert lines[: len(header)] == header
        # Trailing empty lines aside (LibreOffice adds one), the text is ours.
        assert trimmed(lines[len(header) :]) == trimmed(code_lines(module.source)), module_name


def test_libreoffice_runs_macros_built_from_our_sources(tmp_path):
    (tmp_path / "Probe.bas").write_bytes(PROBE.replace("\n", "\r\n").encode("ascii"))
    sheetkit_module = next(m for m in macros.load_modules() if m.name == "sheetkit")
    modules = vba.workbook_modules(1, [sheetkit_module, vba.load_module(tmp_path / "Probe.bas")])
    path = tmp_path / "probe.xlsm"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Trang 1")
    wb.add_vba_project(io.BytesIO(vba.build_project(modules)), is_stream=True)
    wb.close()

    (report,) = run_probe(
        [
            {
                "path": str(path),
                "invoke": [
                    ["Probe.Greeting", []],
                    ["sheetkit.Vn", ["Ch\\u1ecdn th\\u01b0 m\\u1ee5c"]],
                    ["Probe.WriteTitle", []],
                ],
                "read": [[0, "B2"]],
            }
        ],
        tmp_path,
    )
    results = report["results"]
    assert results["Probe.Greeting"] == {"ok": True, "value": "Kiểm tra kế hoạch"}
    assert results["sheetkit.Vn"] == {"ok": True, "value": "Chọn thư mục"}
    assert results["Probe.WriteTitle"]["ok"], results["Probe.WriteTitle"]
    assert report["cells"]["0!B2"] == f"Tổng hợp {macros.FOLDER_NAME}"


def test_probe_runs_under_a_system_python():
    assert PYTHON is not None and Path(PYTHON).resolve() != Path(sys.executable).resolve()


# ----------------------------------------------------------------- the printed plan

POINTS_PER_UNIT = 5.55  # a column width unit where Calibri (or Carlito) is the Normal font


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The examples and long plans rendered to .xlsx and .docx, laid out by LibreOffice.

    The 2018 examples and the long 2018 plan print their sections around the table; the
    old 2018 workbook prints the table alone.
    """
    import copy

    from test_print import long_plan

    from conftest import EXAMPLES, GOOD_PLAN, legacy_template, old_workbook
    from sheetkit.jobs import check_source, render_checked
    from sheetkit.writing.printed import render_docx, render_xlsx, sheet_layout
    from sheetkit.writing.templates import build_template

    folder = tmp_path_factory.mktemp("in")
    sources = sorted(EXAMPLES.glob("ke-hoach-*.xlsx"))
    sources.append(
        build_template("tieu-hoc", folder / "dai.xlsx", long_plan(copy.deepcopy(GOOD_PLAN)))
    )
    long_2018 = legacy_template("tieu-hoc", folder / "dai-2018.xlsx", long_plan(GOOD_PLAN))
    sources += [long_2018, old_workbook(long_2018)]
    cases, requests = [], []
    for source in sources:
        doc = render_checked(check_source(source), draft=True)
        sheet = render_xlsx(source, doc, folder / f"{source.stem}-ban-in.xlsx")
        word = render_docx(doc, folder / f"{source.stem}-ban-in.docx")
        pdf = folder / f"{source.stem}-word.pdf"
        requests += [
            {"path": str(sheet), "sheet": SHEET_RENDERED},
            {"path": str(word), "pdf": str(pdf)},
        ]
        cases.append((source.stem, sheet_layout(doc), pdf))
    reports = run_probe(requests, folder, "lo_print_probe.py")
    return [
        (name, layout, report, pdf)
        for (name, layout, pdf), report in zip(cases, reports[::2], strict=True)
    ]


def _calibri_metrics(printed) -> None:
    _, layout, report, _ = printed[0]
    unit = report["columns"][0] / layout.widths[0]
    if abs(unit - POINTS_PER_UNIT) > 0.2:
        pytest.skip(
            f"LibreOffice here makes a column width unit {unit:.2f} points, not Calibri's "
            f"{POINTS_PER_UNIT}: install Calibri or Carlito (fonts-crosextra-carlito)"
        )


def test_libreoffice_breaks_the_sheet_only_where_we_do(printed):
    _calibri_metrics(printed)
    for name, layout, report, _ in printed:
        breaks = report["breaks"]
        assert all(b["manual"] for b in breaks), (name, breaks)  # no page of its own making
        assert [b["row"] - 1 for b in breaks] == layout.breaks, name


def test_sheet_rows_are_as_tall_as_their_text_in_libreoffice(printed):
    """Within 10% of LibreOffice's own optimal height, and never below it."""
    _calibri_metrics(printed)
    ratios = []
    for name, layout, report, _ in printed:
        for row, kind in layout.kinds.items():
            if kind != "item" or row in layout.fixed:
                continue
            written, optimal = report["heights"][row - 1], report["optimal"][row - 1]
            assert written >= optimal - 0.5, (name, row, written, optimal)
            ratios.append(written / optimal)
    assert len(ratios) > 50
    within = sum(ratio <= 1.1 for ratio in ratios) / len(ratios)
    assert within >= 0.85 and sum(ratios) / len(ratios) <= 1.08, (within, max(ratios))


def test_word_plan_keeps_its_end_together_in_libreoffice(printed):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    for name, layout, _, pdf in printed:
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
        )
        pages = [page for page in text.stdout.split("\f") if page.strip()]
        assert len(pages) > 1, name
        last = pages[-1]
        assert "Nơi nhận" in last and "Lưu: VT." in last, name
        signature = min(r for r, kind in layout.kinds.items() if kind == "signature")
        if layout.kinds.get(signature - 1) == "paragraph":  # the last section's end goes with it
            closing = layout.cells[(signature - 1, 1)][0]
            assert " ".join(closing.split()[:5]) in " ".join(last.split()), name
        else:
            assert "Tổng kinh phí dự kiến" in last, name
        for page in pages:
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            assert not _heading(lines[-1]), (name, lines[-1])


def _heading(line: str) -> bool:
    """A section heading ("III. NỘI DUNG KẾ HOẠCH ...") or a Tiêu chuẩn row of the 2018 table."""
    section = re.match(r"^(I|II|III|IV|V|VI|VII|VIII)\. \S", line) and line == line.upper()
    return bool(section or re.match(r"^(I|II|III|IV|V)\s+Tiêu chuẩn", line))
