"""LibreOffice, a VBA client we did not write, reads and runs the projects we build.

LibreOffice Calc imports an .xlsm's VBA project into a Basic library and runs
it in VBA compatibility mode. It is driven through its UNO bridge by
tests/lo_vba_probe.py under the system Python (python3-uno), since the
bridge is not on PyPI. What is checked:

- every shipped .xlsm: LibreOffice lists all modules and decodes each one's
  source to exactly our text;
- a project built the same way from sheetkit.bas plus a probe module: its
  macros run, call across modules and write to the sheet.

The shipped projects themselves do not run in LibreOffice 7: it does not
compile xlwings' ``Declare PtrSafe`` lines nor the Dictionary class's
conditional constants, and then runs nothing of that library (measured here).
That does not matter to users: in LibreOffice they use the command line.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from conftest import ROOT
from sheetkit.excel import macros, vba
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


def run_probe(requests: list[dict], tmp_path: Path) -> list[dict]:
    request_file = tmp_path / "request.json"
    request_file.write_text(json.dumps({"files": requests}), encoding="utf-8")
    done = subprocess.run(
        [PYTHON, str(HERE / "lo_vba_probe.py"), str(request_file)],
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
